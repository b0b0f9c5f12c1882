"""What a question asks and which practice it names, what a record's fields say with their
sources, sentences that respect lists, and matched words marked without touching the text."""

from __future__ import annotations

import re

import pytest

from rujukan.config import REPO_ROOT
from rujukan.fields import asked_fields, date_text, field_fact, named_practices
from rujukan.keyword import highlight
from rujukan.practices import load_knowledge
from rujukan.sentences import paragraphs, practice_sentences

KB = load_knowledge(REPO_ROOT / "knowledge" / "practices")


@pytest.mark.parametrize(
    "question, fields",
    [
        ("Apa dasar hukum Prodamas Plus?", ["legal_basis"]),
        ("Which regulation is Prodamas Plus based on?", ["legal_basis"]),
        ("perwali apa yang mengatur KURNIA", ["legal_basis"]),
        ("Who manages Lapor Mbak Wali 112?", ["agency"]),
        ("siapa sih yg ngurus home care?", ["agency"]),
        ("Rumah sakit mana yang menjalankan Home Care PEDULI?", ["agency"]),
        ("Berapa dana Prodamas Plus per RT setiap tahun?", ["budget"]),
        ("How much did the masterplan cost?", ["budget"]),
        ("Kapan MPP dibuka?", ["started"]),
        ("start year of Satu Data Kediri", ["started"]),
        ("Is English Massive still running?", ["status"]),
        ("apakah SURGA masih berjalan?", ["status"]),
        ("apa hasil SURGA?", ["results"]),
        ("Which regions have come to study Kediri's SIE?", ["replicated_by"]),
        ("Sudah ada daerah lain yang meniru KURNIA?", ["replicated_by"]),
        ("Apa dasar hukum dan siapa yang menjalankan Si-Malik?", ["legal_basis", "agency"]),
        ("bagaimana warga RT mengusulkan penggunaan dana", []),
        ("harga cabai di pasar hari ini", []),
    ],
)
def test_the_field_a_question_asks_about(question, fields):
    assert asked_fields(question) == fields


@pytest.mark.parametrize(
    "question, ids",
    [
        ("Which regulation is Prodamas Plus based on?", ["prodamas-plus"]),
        ("Apa dasar hukum KURNIA dan Si-Malik?", ["kurnia", "si-malik"]),
        ("siapa yang mengurus homecare peduli", ["home-care-peduli"]),
        ("Kapan MPP dibuka?", ["mall-pelayanan-publik"]),
        ("Kapan EMAS dimulai?", ["english-massive"]),
        ("harga emas hari ini", []),  # a short all-capital name counts only in capitals
        ("apa itu sie", []),
        ("bagaimana warga RT mengusulkan penggunaan dana", []),
    ],
)
def test_the_practices_a_question_names(question, ids):
    assert [p.id for p in named_practices(KB.practices, question)] == ids


def test_a_known_field_is_cited_to_the_sentence_that_states_it():
    prodamas = KB.get("prodamas-plus")
    fact = field_fact(prodamas, "legal_basis", practice_sentences(prodamas))
    assert fact.values == prodamas.legal_basis and not fact.uncertain
    for value, evidence in zip(fact.values, fact.evidence):
        number, year = re.search(r"No\. (\d+) Tahun (\d{4})", value).groups()
        assert re.search(rf"{number}/{year}|Nomor {number} Tahun {year}", evidence.text)
        assert evidence.source_number and prodamas.source(evidence.source_number)


def test_an_empty_field_is_unknown_and_nothing_is_filled_in():
    lapor = KB.get("lapor-mbak-wali-112")
    for field in ("agency", "legal_basis", "budget", "replicated_by", "status"):
        fact = field_fact(lapor, field, practice_sentences(lapor))
        assert not fact.known and fact.values == () and fact.evidence == (), field


def test_uncertain_fields_say_so_and_dates_read_as_dates():
    kurnia = KB.get("kurnia")
    assert field_fact(kurnia, "legal_basis", practice_sentences(kurnia)).uncertain
    mpp = KB.get("mall-pelayanan-publik")
    started = field_fact(mpp, "started", practice_sentences(mpp))
    assert started.values == ("2023-09-07",) and "7 September 2023" in started.evidence[0].text
    assert date_text("2023-09-07", "id") == "7 September 2023" and date_text("2016-05", "en") == "May 2016" and date_text("2016", "id") == "2016"


def test_visits_are_cited_to_their_own_sources():
    sie = KB.get("sistem-informasi-eksekutif")
    fact = field_fact(sie, "replicated_by", practice_sentences(sie))
    assert [e.source_number for e in fact.evidence] == [v.source for v in sie.replicated_by]
    assert any("Kabupaten Tegal" in v for v in fact.values)


def test_numbered_and_bulleted_lists_become_one_sentence_per_item():
    assert paragraphs("Alur:\n1. Pertama [1].\n2. Kedua\n   lanjutan [2].\n- Ketiga [3].") == ["Alur:", "Pertama [1].", "Kedua lanjutan [2].", "Ketiga [3]."]
    lapor = KB.get("lapor-mbak-wali-112")
    stages = [s.text for s in practice_sentences(lapor) if s.section == "stages"]
    assert len(stages) == 4 and stages[1].startswith("Alur tiga lapis disusun")
    for practice in KB.practices:  # no list number runs into a sentence ("… tim lapangan. 3")
        assert not [s.text for s in practice_sentences(practice) if re.search(r"[a-z]\.\s+\d{1,2}\.?$", s.text)]


@pytest.mark.parametrize(
    "text, terms, marked",
    [
        ("Perwali 32/2021 tentang dana RT [1].", ["32/2021", "dana"], ["32/2021", "dana"]),
        ("E-SPTPD dipakai wajib pajak.", ["sptpd"], ["E-SPTPD"]),
        ("Àkses *bebas* <b>gratis</b>", ["akses", "b"], ["Àkses", "b", "b"]),
        ("tanpa kata yang sama", ["prodamas"], []),
    ],
)
def test_matched_words_are_marked_and_the_text_is_kept(text, terms, marked):
    pieces = highlight(text, terms)
    assert "".join(piece for piece, _ in pieces) == text
    assert [piece for piece, hit in pieces if hit] == marked


def test_an_empty_or_malformed_field_never_yields_a_value(tmp_path):
    from rujukan.practices import parse_practice

    fixture = (REPO_ROOT / "tests" / "fixtures" / "contoh-praktik.md").read_text(encoding="utf-8")
    empty = tmp_path / "contoh-praktik.md"
    assert 'legal_basis: ["Perwali Kota Kediri No. 4 Tahun 2023"]' in fixture
    empty.write_text(fixture.replace("legal_basis: [\"Perwali Kota Kediri No. 4 Tahun 2023\"]", "legal_basis: []"), encoding="utf-8")
    practice, problems = parse_practice(empty)
    assert not problems and practice.legal_basis == ()
    assert not field_fact(practice, "legal_basis", practice_sentences(practice)).known
    assert not field_fact(practice, "agency", practice_sentences(practice)).known  # agency: "" in the fixture
    broken = tmp_path / "broken" / "contoh-praktik.md"
    broken.parent.mkdir()
    broken.write_text(fixture.replace("legal_basis: [\"Perwali Kota Kediri No. 4 Tahun 2023\"]", "legal_basis: Perwali tanpa daftar"), encoding="utf-8")
    practice, problems = parse_practice(broken)
    assert practice is None and any(p.field == "legal_basis" for p in problems)  # refused, so nothing can quote it
