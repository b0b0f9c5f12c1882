"""The briefing pack, read back with python-docx: titles, figures, images, sources, unknowns, errors;
its labels, numbers, links and fields; the PDF made by LibreOffice (skipped where soffice is not
installed); and the visit log, its upserts and its upgrade from schema 1."""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
import subprocess
import threading
from dataclasses import replace

import docx
import pytest
import sqlalchemy as sa
from docx.oxml.ns import qn

from rujukan import brief as brief_module
from rujukan.brief import build_brief, comparison_rows, docx_to_pdf, editor_runs, pdf_available, questions, visit_purpose, write_brief, write_pdf
from rujukan.config import REPO_ROOT
from rujukan.errors import BriefError, RujukanError, StateError
from rujukan.practices import load_knowledge
from rujukan.regions import load_dataset
from rujukan.sentences import EDITOR_LABEL
from rujukan.visits import VisitLog

needs_soffice = pytest.mark.skipif(
    not pdf_available(), reason="LibreOffice is not installed (no soffice or libreoffice on PATH): apt-get install -y libreoffice-writer-nogui"
)

CHOSEN = ["prodamas-plus", "sistem-informasi-eksekutif"]


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(REPO_ROOT / "knowledge" / "practices")


@pytest.fixture(scope="module")
def ds():
    return load_dataset(REPO_ROOT / "data")


@pytest.fixture(scope="module")
def document(kb, ds):
    return docx.Document(io.BytesIO(build_brief(kb, ds, "3328", CHOSEN, visit_date="2025-06-23")))


def all_text(d) -> str:
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def headings(d) -> list[str]:
    return [p.text for p in d.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def practice_part(d, title: str) -> list:
    """The paragraphs from a practice's Heading 1 to the next Heading 1."""
    paragraphs = d.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1" and p.text == title)
    end = next((i for i in range(start + 1, len(paragraphs)) if paragraphs[i].style.name == "Heading 1"), len(paragraphs))
    return paragraphs[start:end]


def section_after(part: list, heading: str) -> list[str]:
    start = next(i for i, p in enumerate(part) if p.style.name == "Heading 2" and p.text == heading)
    end = next((i for i in range(start + 1, len(part)) if part[i].style.name.startswith("Heading")), len(part))
    return [p.text for p in part[start + 1 : end]]


def test_titles_name_the_region_and_each_practice(document, kb):
    found = headings(document)
    assert found[0] == "Bahan kunjungan studi: Kabupaten Tegal ke Kota Kediri"
    for pid in CHOSEN:
        assert kb.get(pid).title in found
    for heading in ("Tujuan kunjungan", "Agenda (draf)", "Perbandingan: Kabupaten Tegal dan Kota Kediri", "Sumber"):
        assert heading in found
    assert "23 Juni 2025" in all_text(document)


def test_comparison_table_has_official_figures_with_source(document):
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Indikator")
    header = [c.text for c in table.rows[0].cells]
    assert header[3:5] == ["Kabupaten Tegal", "Kota Kediri"]
    ipm = next([c.text for c in row.cells] for row in table.rows if row.cells[0].text.startswith("Indeks Pembangunan Manusia"))
    assert ipm[2] == "2024" and ipm[3] == "70,77" and ipm[4] == "81,35"  # Indonesian decimals (was 70.77 / 81.35)
    assert "BPS" in ipm[header.index("Sumber")]
    assert len(table.rows) - 1 == 8  # every indicator that covers all 514 regions


def comparison_table(d) -> list[list[str]]:
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "Indikator")
    return [[c.text for c in row.cells] for row in table.rows]


def test_each_figure_carries_its_own_source_label(document, ds):
    labels = ds.sources.set_index("id")["label_id"]
    rows = comparison_rows(ds, "3328", "3571")
    table = comparison_table(document)[1:]
    assert [r[0] for r in table] == [r["name"] for r in rows]
    for cells, row in zip(table, rows):
        assert cells[5] == "; ".join(labels[s] for s in row["source_ids"]), cells[0]
    by_source = {}
    for row in rows:
        for s in row["source_ids"]:
            by_source.setdefault(s, []).append(row["name"])
    assert len(by_source["kaggle_2021"]) == 6  # six of the eight figures are a Kaggle author's compilation of BPS figures
    compiled = [cells[5] for cells, row in zip(table, rows) if "kaggle_2021" in row["source_ids"]]
    assert all("dihimpun" in label and "Kaggle" in label and "resmi" not in label for label in compiled)
    assert all(cells[5].startswith("BPS, tabel ") for cells, row in zip(table, rows) if row["source_ids"] in (["tauradavin_ipm"], ["tauradavin_miskin"]))
    text = all_text(document)
    assert "Nilai resmi BPS" not in text and "resmi BPS" not in text
    intro = next(p.text for p in document.paragraphs if p.text.startswith("Angka pada tahun acuan"))
    assert "himpunan angka BPS" in intro and "tidak diunduh langsung dari BPS" in intro


def test_a_jawa_tengah_figure_from_the_provincial_compilation_is_labelled_so(kb, ds):
    only_jateng = replace(ds, values=ds.values[ds.values["source"] != "kaggle_2021"].reset_index(drop=True))
    rows = comparison_rows(only_jateng, "3328", "3571")
    assert rows  # IPM and P0 still cover every region
    d = docx.Document(io.BytesIO(build_brief(kb, only_jateng, "3328", ["prodamas-plus"])))
    label = ds.sources.set_index("id").at["syfdnnn_jateng", "label_id"]
    assert "BPS Provinsi Jawa Tengah" in label and "dihimpun" in label
    for cells, row in zip(comparison_table(d)[1:], rows):
        assert ("syfdnnn_jateng" in row["source_ids"]) == (label in cells[5])


def body_runs_text(d) -> str:
    """The document's own words: paragraphs and cells without the text of the links (addresses)."""
    paragraphs = [p for p in d.paragraphs] + [p for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join("".join(r.text for r in p.runs) for p in paragraphs)


def test_numbers_and_dates_are_written_the_indonesian_way(document):
    for cells in comparison_table(document)[1:]:
        for value in cells[3:5]:
            assert re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d{1,2})?|tidak diketahui", value), value
    expenditure = next(c for c in comparison_table(document) if c[0].startswith("Pengeluaran per kapita"))
    assert expenditure[3:5] == ["9.700", "12.359"]  # thousands grouped with a point
    words = body_runs_text(document)
    agenda = {c.text for t in document.tables if t.rows[0].cells[0].text == "Waktu" for row in t.rows for c in row.cells}
    without_agenda = "\n".join(line for line in words.splitlines() if line not in agenda)
    # no decimal point (agenda times 08.30 are times; a letter's number such as B-16.10/DIGD and a licence's version are not figures)
    assert not re.search(r"(?<![\d.-])\d+\.\d{1,2}(?![\d./])", without_agenda.replace("CC BY 4.0", ""))
    assert not re.search(r"\d{4}-\d{2}-\d{2}", words)  # no ISO dates outside the addresses
    assert "23 Juni 2025" in words and "Kabupaten Tegal (22 Juni 2022)" in words


def test_no_english_developer_notes_in_the_indonesian_document(document, ds):
    words = body_runs_text(document)
    for note in ("copy in", "compiled in", "commit", "github.com/", "Badan Pusat Statistik); copy", "(inferred)", "BPS official statistics"):
        assert note not in words, note
    for _, s in ds.sources.iterrows():
        for field in ("publisher", "table", "caveats", "licence"):
            if s[field]:
                assert s[field] not in words, (s["id"], field)
    sources_part = words[words.rindex("Data wilayah"):]
    for sid in ("tauradavin_ipm", "tauradavin_miskin", "kaggle_2021"):
        assert ds.sources.set_index("id").at[sid, "label_id"] in sources_part


def test_charts_are_inline_png_images(document):
    assert len(document.inline_shapes) >= 2
    images = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert images and all(r.target_part.content_type == "image/png" for r in images)


def test_every_source_of_the_chosen_practices_is_listed(document, kb, ds):
    paragraphs = [p.text for p in document.paragraphs]
    sources_part = "\n".join(paragraphs[len(paragraphs) - 1 - paragraphs[::-1].index("Sumber"):])
    for pid in CHOSEN:
        for s in kb.get(pid).sources:
            assert s.url in sources_part, s.url
    assert "bps.go.id" in sources_part  # the BPS tables behind the comparison


def test_the_editors_label_stands_once_at_the_start_of_a_paragraph(document, kb):
    practice_paragraphs = [p for title in (kb.get(pid).title for pid in CHOSEN) for p in practice_part(document, title)]
    with_label = [p for p in practice_paragraphs if EDITOR_LABEL in p.text]
    assert len(with_label) >= 4
    for p in with_label:
        assert p.text.count(EDITOR_LABEL) == 1 and p.text.startswith(EDITOR_LABEL), p.text[:80]
        assert p.runs[0].text == EDITOR_LABEL and p.runs[0].bold
    # the meaning is the record's: the same sentences, citations and order, only the repeated labels gone
    record = kb.get("prodamas-plus").section("lessons").text
    seven = next(block for block in record.split("\n\n") if block.count(EDITOR_LABEL) == 7)
    once = " ".join(seven.split()).removeprefix(EDITOR_LABEL).strip()
    expected = EDITOR_LABEL + " " + re.sub(rf" {EDITOR_LABEL} (\S)", lambda m: " " + m.group(1).upper(), once)
    assert EDITOR_LABEL not in expected[len(EDITOR_LABEL):] and "[10]. Pengawasan dipasang" in expected
    lessons = section_after(practice_part(document, "Prodamas Plus"), "Pelajaran")
    assert expected in lessons


def test_a_paragraph_mixing_sources_and_editors_keeps_each_sentence_with_its_speaker():
    text = (
        f"{EDITOR_LABEL} dana disimpan di kelurahan [1]. Sumber mencatat Rp100 juta per RT [2]. "
        f"{EDITOR_LABEL} ini perlu dicek [3]. {EDITOR_LABEL} dan dikoreksi [4]."
    )
    assert editor_runs(text) == [
        (True, "dana disimpan di kelurahan [1]."),
        (False, "Sumber mencatat Rp100 juta per RT [2]."),
        (True, "ini perlu dicek [3]. Dan dikoreksi [4]."),
    ]
    assert editor_runs(f"{EDITOR_LABEL} satu [1]. {EDITOR_LABEL} e-SPTPD dua [2].") == [(True, "satu [1]. e-SPTPD dua [2].")]
    assert editor_runs("Tanpa label [1].") == [(False, "Tanpa label [1].")]
    w = brief_module._Writer("uji")
    w.record_text(text)
    written = [p.text for p in w.doc.paragraphs]
    assert written == [
        f"{EDITOR_LABEL} dana disimpan di kelurahan [1].",
        "Sumber mencatat Rp100 juta per RT [2].",
        f"{EDITOR_LABEL} ini perlu dicek [3]. Dan dikoreksi [4].",
    ]


def links(d) -> list[tuple[str, str]]:
    """(address, shown text) of every w:hyperlink in the body, from its external relationship."""
    found = []
    for element in d.element.body.iter(qn("w:hyperlink")):
        rel = d.part.rels[element.get(qn("r:id"))]
        assert rel.is_external and rel.reltype.endswith("/hyperlink")
        styles = [s.get(qn("w:val")) for s in element.iter(qn("w:rStyle"))]
        assert styles and all(s == d.styles["Hyperlink"].style_id for s in styles)
        found.append((rel.target_ref, "".join(t.text for t in element.iter(qn("w:t")))))
    return found


def test_every_source_address_is_a_clickable_link(document, kb, ds):
    found = links(document)
    targets = {url for url, _ in found}
    assert all(url == shown for url, shown in found)
    for pid in CHOSEN:
        for s in kb.get(pid).sources:
            assert s.url in targets, s.url
    for sid in ("tauradavin_ipm", "tauradavin_miskin", "kaggle_2021"):
        assert ds.sources.set_index("id").at[sid, "url"] in targets
    link_style = document.styles["Hyperlink"]
    assert link_style.font.underline and str(link_style.font.color.rgb) == "0563C1"


def instructions(element) -> list[str]:
    """The field codes (PAGE, TOC …) under an element, in order."""
    return [t.text.strip() for t in element.iter(qn("w:instrText")) if t.text]


def test_footer_page_numbers_and_a_table_of_contents_field(document):
    footer = document.sections[0].footer
    assert instructions(footer._element) == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[0].text.startswith("Halaman ")
    body = instructions(document.element.body)
    assert body.count('TOC \\o "1-2" \\h \\z \\u') == 1
    texts = [p.text for p in document.paragraphs]
    contents = texts.index("Daftar isi")
    assert document.paragraphs[contents].style.name == "TOC Heading"  # not itself in the table of contents
    assert document.paragraphs[contents].paragraph_format.page_break_before
    assert texts.index("Tanggal kunjungan: 23 Juni 2025") < contents < texts.index("Tujuan kunjungan")  # after the title page
    assert "TOC" in instructions(document.paragraphs[contents + 1]._p)[0]
    note = texts[contents + 2]
    assert "dibuka atau dicetak" in note and "Ya" in note
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_each_practice_sets_kediri_beside_the_visiting_region(document, kb):
    part = practice_part(document, kb.get(CHOSEN[0]).title)
    said = section_after(part, "Konteks penerapan")
    assert said[0].startswith("Praktik dimulai") or said[0].startswith("Tahun mulai praktik tidak diketahui")
    assert "Kabupaten Tegal adalah kabupaten, Kota Kediri kota." in said
    assert any(line.startswith("Jumlah penduduk (SP2020): Kabupaten Tegal 5,6× Kota Kediri") for line in said)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Indikator (satuan)" and t.rows[0].cells[2].text == "Kota Kediri"
                 and t.rows[0].cells[3].text == "Kabupaten Tegal")
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows}
    assert rows["Jenis"][2:4] == ["kota", "kabupaten"] and "BPS (Sensus Penduduk 2020)" in rows["Jumlah penduduk (SP2020) (jiwa)"][4]


def test_agenda_is_a_draft_with_a_slot_per_practice(document):
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Waktu")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert "Command Center" in rows[0][1]
    assert rows[1][1].endswith("Prodamas Plus") and rows[1][2] == "tidak diketahui"  # the record names no agency
    assert "Tanya jawab" in rows[-1][1]
    assert len(rows) == 2 + len(CHOSEN)


def test_practice_pages_keep_citations_and_list_who_studied_it(document):
    part = practice_part(document, "Prodamas Plus")
    assert any("[1]" in line for line in section_after(part, "Yang dilakukan"))
    assert section_after(part, "Dasar hukum") == ["Perwali Kota Kediri No. 23 Tahun 2020", "Perwali Kota Kediri No. 32 Tahun 2021"]
    assert any(line.startswith("Kabupaten Tegal (22 Juni 2022)") for line in section_after(part, "Yang sudah mempelajari praktik ini"))  # was (2022-06-22)
    asked = section_after(part, "Pertanyaan yang layak diajukan")
    assert 3 <= len(asked) <= 5 and all(q.rstrip().endswith("?") for q in asked)
    assert any("OPD" in q for q in asked)  # the agency is unknown, so it is asked


def test_unknown_budget_says_tidak_diketahui_and_asks_for_it(kb, ds):
    d = docx.Document(io.BytesIO(build_brief(kb, ds, "3328", ["bank-sampah"])))
    part = practice_part(d, "Bank Sampah")
    for heading in ("Biaya dan sumber daya", "Dasar hukum", "Instansi yang ditemui", "Masalah", "Tahapan", "Hasil"):
        assert section_after(part, heading) == ["tidak diketahui"], heading
    asked = section_after(part, "Pertanyaan yang layak diajukan")
    assert any("Berapa anggaran tahunan Bank Sampah" in q for q in asked)
    assert "Tanggal kunjungan: tidak diketahui" in all_text(d)


def test_region_with_missing_data_says_tidak_diketahui(kb, ds):
    gap = replace(ds, values=ds.values[ds.values["region_code"] != "3328"].reset_index(drop=True))
    d = docx.Document(io.BytesIO(build_brief(kb, gap, "3328", ["prodamas-plus"])))
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "Indikator")
    assert all(row.cells[3].text == "tidak diketahui" for row in table.rows[1:])
    assert all(row.cells[4].text not in ("", "tidak diketahui") for row in table.rows[1:])
    assert len(d.inline_shapes) >= 2  # the charts still draw Kediri and mark Tegal unknown


@pytest.mark.parametrize(
    "region, chosen, words",
    [
        ("9999", CHOSEN, ["'9999'", "3328"]),
        ("", CHOSEN, ["region code"]),
        ("3328", [], ["No practices chosen"]),
        ("3328", ["", " "], ["No practices chosen"]),
        ("3328", ["prodamas-plus", "no-such-thing"], ["no-such-thing", "Valid ids", "bank-sampah"]),
        ("3571", CHOSEN, ["Kota Kediri"]),
    ],
)
def test_bad_requests_are_clear_errors(kb, ds, region, chosen, words):
    with pytest.raises(BriefError) as caught:
        build_brief(kb, ds, region, chosen)
    assert isinstance(caught.value, RujukanError)
    for word in words:
        assert word in str(caught.value)


def test_bad_visit_date_is_a_clear_error(kb, ds):
    with pytest.raises(BriefError, match="YYYY-MM-DD"):
        build_brief(kb, ds, "3328", CHOSEN, visit_date="23/06/2025")


def test_own_purpose_goes_in_as_plain_text(kb, ds):
    purpose = "Belajar **dashboard** <b>eksekutif</b> =SUM(A1)\x00"
    d = docx.Document(io.BytesIO(build_brief(kb, ds, "3328", ["sistem-informasi-eksekutif"], purpose=purpose)))
    assert "Belajar **dashboard** <b>eksekutif</b> =SUM(A1)" in all_text(d)


def test_questions_come_from_gaps_and_stages(kb):
    prodamas = questions(kb.get("prodamas-plus"), "Kabupaten Tegal")
    assert any("tahapan yang tercatat" in q for q in prodamas)
    assert not any("anggaran tahunan" in q for q in prodamas)  # its budget is known
    for p in kb.practices:
        assert 3 <= len(questions(p, "Kabupaten Tegal")) <= 5


def test_write_brief_writes_a_docx(kb, ds, tmp_path):
    out = write_brief(kb, ds, "3328", CHOSEN, tmp_path / "sub" / "brief.docx")
    assert docx.Document(str(out)).paragraphs[0].text.startswith("Bahan kunjungan studi")
    assert [p.name for p in out.parent.iterdir()] == ["brief.docx"]


def test_write_brief_is_atomic(kb, ds, tmp_path, monkeypatch):
    out = tmp_path / "brief.docx"
    out.write_bytes(b"the earlier brief")
    with pytest.raises(BriefError):
        write_brief(kb, ds, "9999", CHOSEN, out)

    def broken(*args, **kwargs):
        raise RuntimeError("chart failed half way")

    monkeypatch.setattr(brief_module, "ipm_chart", broken)
    with pytest.raises(RuntimeError):
        write_brief(kb, ds, "3328", CHOSEN, out)
    assert out.read_bytes() == b"the earlier brief"
    monkeypatch.undo()

    real_replace = brief_module.os.replace
    monkeypatch.setattr(brief_module.os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(BriefError, match="No space left"):
        write_brief(kb, ds, "3328", CHOSEN, out)
    monkeypatch.setattr(brief_module.os, "replace", real_replace)
    assert out.read_bytes() == b"the earlier brief"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.docx"]  # no temporary file left behind


def test_visit_log_round_trip(state_target):
    log = VisitLog(state_target)
    first = log.record("3328", "2022-06-22", CHOSEN, "Belajar tahapan smart city")
    second = log.record("3577", None, ["prodamas-plus"], "Belajar Prodamas")  # a purpose is now required (was "")
    assert (first, second) == (1, 2)
    tegal = log.visits("3328")
    assert len(tegal) == 1
    assert (tegal[0].date, tegal[0].practice_ids, tegal[0].purpose) == ("2022-06-22", tuple(CHOSEN), "Belajar tahapan smart city")
    assert [v.id for v in log.visits()] == [1, 2]  # latest visit date first; no date sorts last
    assert [v.id for v in log.visits_for_practice("prodamas-plus")] == [1, 2]
    assert [v.id for v in log.visits_for_practice("sistem-informasi-eksekutif")] == [1]
    assert log.visits_for_practice("bank-sampah") == []
    assert [v.id for v in VisitLog(state_target).visits()] == [1, 2]  # persisted


@pytest.mark.parametrize(
    "args, words",
    [
        (("99", "2022-06-22", CHOSEN, "Belajar"), "4-digit"),
        (("3328", "22/06/2022", CHOSEN, "Belajar"), "YYYY-MM-DD"),
        (("3328", None, [], "Belajar"), "at least one"),
        (("3328", "2022-06-22", CHOSEN, ""), "field purpose is empty"),
        (("3328", "2022-06-22", CHOSEN, " \n\t "), "field purpose is empty"),
    ],
)
def test_visit_log_refuses_bad_visits(state_target, args, words):
    log = VisitLog(state_target)
    with pytest.raises(StateError, match=words) as caught:
        log.record(*args)
    assert caught.value.reason == "invalid"
    assert log.visits() == []


def test_visit_log_damaged_file_is_a_message(tmp_path):
    path = tmp_path / "visits.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StateError, match="damaged"):
        VisitLog(path)


def test_visit_log_concurrent_writers(state_target):
    log = VisitLog(state_target)
    errors = []

    def write(n):
        try:
            for i in range(10):  # forty different visits (a date each); then all of them make the same one again
                log.record("3328", f"2025-{n + 1:02d}-{i + 10:02d}", ["prodamas-plus"], f"thread {n}")
                log.record("3577", "2025-07-01", ["prodamas-plus", "surga"], f"thread {n} again {i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(log.visits("3328")) == 40
    assert len(log.visits("3577")) == 1  # one record however many sessions made that brief


def test_making_the_brief_again_updates_its_visit(state_target):
    log = VisitLog(state_target)
    first = log.record("3328", "2025-06-23", CHOSEN, "Belajar dasbor")
    again = log.record("3328", "2025-06-23", list(reversed(CHOSEN)), "  Belajar dasbor dan Prodamas  ")  # the same set, another order
    assert again == first
    [visit] = log.visits()
    assert visit.purpose == "Belajar dasbor dan Prodamas" and visit.practice_ids == tuple(CHOSEN)
    other_day = log.record("3328", "2025-06-24", CHOSEN, "Hari lain")
    other_set = log.record("3328", "2025-06-23", ["prodamas-plus"], "Hanya Prodamas")
    undated = log.record("3328", None, CHOSEN, "Tanpa tanggal")
    assert log.record("3328", "", CHOSEN, "Tanpa tanggal, lagi") == undated
    assert len({first, other_day, other_set, undated}) == 4 and len(log.visits()) == 4
    assert [v.id for v in log.visits_for_practice("sistem-informasi-eksekutif")] == [other_day, first, undated]


def test_a_curator_deletes_a_visit(state_target):
    log = VisitLog(state_target)
    keep = log.record("3328", "2025-06-23", CHOSEN, "Belajar")
    gone = log.record("3577", "2025-06-24", ["prodamas-plus"], "Salah catat")
    assert log.delete(gone) is True
    assert log.delete(gone) is False and log.delete(9999) is False
    assert [v.id for v in log.visits()] == [keep]
    assert [v.id for v in log.visits_for_practice("prodamas-plus")] == [keep]
    with log.database.read() as con:
        assert con.execute(sa.text("SELECT count(*) FROM visit_practices WHERE visit_id = :id"), {"id": gone}).scalar() == 0
    with pytest.raises(StateError, match="not a visit number") as caught:
        log.delete("satu")  # type: ignore[arg-type]
    assert caught.value.reason == "invalid"
    assert log.record("3577", "2025-06-24", ["prodamas-plus"], "Dicatat lagi") != gone  # a new record, not the deleted one


#: The visit log as schema 1 wrote it (before one record per visit).
SCHEMA_1 = """
CREATE TABLE visits (id INTEGER PRIMARY KEY AUTOINCREMENT, region_code TEXT NOT NULL, visit_date TEXT NOT NULL,
                     purpose TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE visit_practices (visit_id INTEGER NOT NULL REFERENCES visits (id), position INTEGER NOT NULL,
                              practice_id TEXT NOT NULL, PRIMARY KEY (visit_id, position));
CREATE INDEX visits_region ON visits (region_code, visit_date);
CREATE INDEX visit_practices_practice ON visit_practices (practice_id);
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (1);
"""


def schema_1_file(path, visits):
    """A schema-1 visit log holding `visits` as (region, date, practices, purpose, created)."""
    with sqlite3.connect(path) as con:
        con.executescript(SCHEMA_1)
        for n, (code, day, practices, purpose, created) in enumerate(visits, start=1):
            con.execute("INSERT INTO visits VALUES (?, ?, ?, ?, ?)", (n, code, day, purpose, created))
            con.executemany("INSERT INTO visit_practices VALUES (?, ?, ?)", [(n, i, p) for i, p in enumerate(practices)])
    con.close()
    return path


def test_a_schema_1_log_with_duplicates_is_carried_forward_and_merged(tmp_path):
    path = schema_1_file(tmp_path / "visits.sqlite3", [
        ("3328", "2025-06-23", CHOSEN, "Belajar dasbor", "2025-06-01T08:00:00Z"),
        ("3328", "2025-06-23", list(reversed(CHOSEN)), "Belajar dasbor dan Prodamas", "2025-06-02T08:00:00Z"),
        ("3577", "", ["prodamas-plus"], "Kota Malang belajar Prodamas", "2025-06-03T08:00:00Z"),
        ("3328", "2025-06-23", CHOSEN, "", "2025-06-04T08:00:00Z"),  # a later click without a purpose
        ("3328", "2025-06-23", CHOSEN, "", "2025-06-05T08:00:00Z"),
        ("3577", "", ["prodamas-plus"], "", "2025-06-06T08:00:00Z"),
        ("3328", "2025-06-24", CHOSEN, "Hari kedua", "2025-06-07T08:00:00Z"),
    ])
    log = VisitLog(path)
    visits = {v.id: v for v in log.visits()}
    assert sorted(visits) == [1, 3, 7]  # the first recorded of each visit keeps its number
    assert (visits[1].purpose, visits[1].created, visits[1].practice_ids) == ("Belajar dasbor dan Prodamas", "2025-06-05T08:00:00Z", tuple(CHOSEN))
    assert (visits[3].purpose, visits[3].created) == ("Kota Malang belajar Prodamas", "2025-06-06T08:00:00Z")
    assert visits[7].purpose == "Hari kedua"
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("visits_0002",)]
        assert con.execute("SELECT DISTINCT visit_id FROM visit_practices ORDER BY visit_id").fetchall() == [(1,), (3,), (7,)]
        assert con.execute("SELECT practice_key FROM visits WHERE id = 1").fetchone()[0] == ",".join(sorted(CHOSEN))
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
    assert log.record("3328", "2025-06-23", list(reversed(CHOSEN)), "Sesudah upgrade") == 1  # and is one record from now on
    assert len(VisitLog(path).visits()) == 3  # opening again changes nothing


def test_a_failed_upgrade_leaves_the_schema_1_file_as_it_was(tmp_path):
    path = schema_1_file(tmp_path / "visits.sqlite3", [("3328", "2025-06-23", CHOSEN, "Belajar", "2025-06-01T08:00:00Z")])
    with sqlite3.connect(path) as con:  # the column schema 2 adds is already there: the upgrade fails at its first step
        con.execute("ALTER TABLE visits ADD COLUMN practice_key TEXT")
        con.execute("CREATE TABLE half_way (x)")
    con.close()
    with pytest.raises(StateError, match="duplicate column"):
        VisitLog(path)
    with sqlite3.connect(path) as con:  # rolled back: still schema 1, the visit and its practices kept, no index added
        assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM visits").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM visit_practices").fetchone()[0] == len(CHOSEN)
        assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'visits_once'").fetchone()[0] == 0
    con.close()


def test_a_newer_visit_log_is_refused_and_left_alone(state_target):
    log = VisitLog(state_target)
    log.record("3328", "2025-06-23", CHOSEN, "Belajar")
    with log.database.write() as con:  # as a later Rujukan would leave it
        con.execute(sa.text("UPDATE alembic_version SET version_num = 'visits_0099' WHERE version_num = 'visits_0002'"))
    with pytest.raises(StateError, match="newer Rujukan") as caught:
        VisitLog(state_target)
    assert caught.value.reason == "newer"
    with log.database.read() as con:
        assert con.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == ["visits_0099"]
        assert con.execute(sa.text("SELECT count(*) FROM visits")).scalar() == 1


def test_a_schema_1_sqlite_log_newer_than_known_is_refused(tmp_path):
    path = schema_1_file(tmp_path / "visits.sqlite3", [])
    with sqlite3.connect(path) as con:
        con.execute("INSERT INTO schema_version (version) VALUES (3)")
    con.close()
    with pytest.raises(StateError, match="newer Rujukan") as caught:
        VisitLog(path)
    assert caught.value.reason == "newer"


def test_duplicates_recorded_at_the_first_revision_are_merged_on_postgresql_too(postgres):
    from alembic import command

    from rujukan.database import Database, _alembic_config

    url = postgres.new_database()
    database = Database(url, "the visit log")
    with database.write() as con:  # the tables as revision visits_0001 made them, with a visit recorded twice
        command.upgrade(_alembic_config(con), "visits_0001")
        for n, (purpose, created) in enumerate([("Belajar", "2025-06-01T08:00:00Z"), ("", "2025-06-02T08:00:00Z")], start=1):
            con.execute(sa.text("INSERT INTO visits (id, region_code, visit_date, purpose, created) VALUES (:n, '3328', '2025-06-23', :p, :c)"),
                        {"n": n, "p": purpose, "c": created})
            con.execute(sa.text("INSERT INTO visit_practices VALUES (:n, 0, 'prodamas-plus')"), {"n": n})
    [visit] = VisitLog(url).visits()
    assert (visit.id, visit.purpose, visit.created) == (1, "Belajar", "2025-06-02T08:00:00Z")
    with database.read() as con:
        assert con.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == ["visits_0002"]


def test_command_line_writes_the_brief_and_records_the_visit(tmp_path, monkeypatch):
    from rujukan import __main__ as cli

    if not hasattr(cli, "cmd_brief"):
        pytest.skip("python -m rujukan brief is not wired into rujukan/__main__.py yet")
    monkeypatch.setenv("RUJUKAN_KNOWLEDGE_DIR", str(REPO_ROOT / "knowledge"))
    monkeypatch.setenv("RUJUKAN_DATA_DIR", str(REPO_ROOT / "data"))
    monkeypatch.setenv("RUJUKAN_STATE_DIR", str(tmp_path / "state"))
    out = tmp_path / "FILE.docx"
    assert cli.main(["brief", "--region", "3328", "--practices", ",".join(CHOSEN), "--out", str(out), "--date", "2025-06-23"]) == 0
    assert "Kabupaten Tegal" in docx.Document(str(out)).paragraphs[0].text
    assert len(VisitLog(tmp_path / "state" / "visits.sqlite3").visits("3328")) == 1
    assert cli.main(["brief", "--region", "9999", "--practices", "bank-sampah", "--out", str(tmp_path / "x.docx")]) == 2
    assert not (tmp_path / "x.docx").exists()


# --------------------------------------------------------------------------- the PDF (real LibreOffice)


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page, with poppler's pdftotext or else pypdf; skipped when neither is here."""
    if shutil.which("pdftotext"):
        source = tmp_path / "read.pdf"
        source.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(source), "-"], capture_output=True, check=True, timeout=60).stdout.decode("utf-8")
        return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    pypdf = pytest.importorskip("pypdf", reason="reading the PDF needs pdftotext (apt-get install -y poppler-utils) or pypdf")
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def brief_docx(kb, ds):
    return build_brief(kb, ds, "3328", CHOSEN, visit_date="2025-06-23")


@needs_soffice
def test_the_pdf_has_every_page_with_numbers_and_a_filled_table_of_contents(brief_docx, tmp_path):
    pdf = docx_to_pdf(brief_docx)
    assert pdf.startswith(b"%PDF-")
    pages = pdf_pages(pdf, tmp_path)
    total = len(pages)
    assert total >= 8
    for n, page in enumerate(pages, start=1):
        assert f"Halaman {n} dari {total}" in page  # the footer's PAGE and NUMPAGES fields, filled
    assert "Bahan kunjungan studi" in pages[0] and "23 Juni 2025" in pages[0]
    contents = "\n".join(p for p in pages if "Daftar isi" in p or re.search(r"\.{5,}\s*\d+", p))
    assert "belum diperbarui" not in contents  # LibreOffice replaced the placeholder
    entries: dict[str, str] = {}
    for heading, page in re.findall(r"^\s*(\S[^.\n]*?)\s*\.{3,}\s*(\d+)\s*$", contents, re.MULTILINE):
        entries.setdefault(heading, page)  # the first: a practice's title is also a Heading 2 under Sumber
    for heading in ("Tujuan kunjungan", "Prodamas Plus", "Sistem Informasi Eksekutif (SIE)", "Sumber"):
        assert heading in entries, heading
        assert pages[int(entries[heading]) - 1].lstrip().startswith(heading), heading  # the number is the page it starts on
    assert "Pelajaran" in entries  # Heading 2 as well
    everything = "\n".join(pages)
    assert "70,77" in everything and "Catatan Rujukan:" in everything and "surabaya.tribunnews.com" in everything


@needs_soffice
def test_a_conversion_that_takes_too_long_is_stopped_with_a_message(brief_docx):
    with pytest.raises(BriefError, match="took longer than 0.2 s"):
        docx_to_pdf(brief_docx, timeout=0.2)


def test_without_libreoffice_the_pdf_is_a_clear_error_and_the_docx_still_works(kb, ds, brief_docx, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # LibreOffice really is not found
    assert not pdf_available()
    with pytest.raises(BriefError, match="LibreOffice is not installed.*libreoffice-writer-nogui") as caught:
        docx_to_pdf(brief_docx)
    assert isinstance(caught.value, RujukanError)
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"the earlier PDF")
    with pytest.raises(BriefError):
        write_pdf(brief_docx, out)
    assert out.read_bytes() == b"the earlier PDF"
    assert docx.Document(io.BytesIO(brief_docx)).paragraphs[0].text.startswith("Bahan kunjungan studi")


def test_the_purpose_recorded_is_the_purpose_in_the_brief(kb, ds, brief_docx):
    stated = visit_purpose(kb, ds, "3328", CHOSEN)
    assert stated.startswith("Delegasi Kabupaten Tegal datang ke Kota Kediri")
    assert stated in all_text(docx.Document(io.BytesIO(brief_docx)))
    assert visit_purpose(kb, ds, "3328", CHOSEN, "  Belajar dasbor\x00 ") == "Belajar dasbor"
    with pytest.raises(BriefError, match="No practices chosen"):
        visit_purpose(kb, ds, "3328", [])


def cli_env(monkeypatch, tmp_path):
    monkeypatch.setenv("RUJUKAN_KNOWLEDGE_DIR", str(REPO_ROOT / "knowledge"))
    monkeypatch.setenv("RUJUKAN_DATA_DIR", str(REPO_ROOT / "data"))
    monkeypatch.setenv("RUJUKAN_STATE_DIR", str(tmp_path / "state"))


@needs_soffice
def test_command_line_pdf_is_written_beside_the_docx(tmp_path, monkeypatch):
    from rujukan import __main__ as cli

    cli_env(monkeypatch, tmp_path)
    out = tmp_path / "out" / "FILE.docx"
    args = ["brief", "--region", "3328", "--practices", ",".join(CHOSEN), "--out", str(out), "--date", "2025-06-23", "--pdf"]
    assert cli.main(args) == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["FILE.docx", "FILE.pdf"]  # no temporary file left
    assert (tmp_path / "out" / "FILE.pdf").read_bytes().startswith(b"%PDF-")
    assert cli.main(args) == 0  # again: the same visit, updated
    [visit] = VisitLog(tmp_path / "state" / "visits.sqlite3").visits()
    assert visit.purpose.startswith("Delegasi Kabupaten Tegal")


def test_command_line_pdf_without_libreoffice_keeps_the_docx_and_records_the_visit(tmp_path, monkeypatch, capsys):
    from rujukan import __main__ as cli

    cli_env(monkeypatch, tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "FILE.docx"
    assert cli.main(["brief", "--region", "3328", "--practices", "prodamas-plus", "--out", str(out), "--pdf"]) == 1
    assert "libreoffice-writer-nogui" in capsys.readouterr().err
    assert docx.Document(str(out)).paragraphs[0].text.startswith("Bahan kunjungan studi")
    assert not (tmp_path / "FILE.pdf").exists()
    assert len(VisitLog(tmp_path / "state" / "visits.sqlite3").visits("3328")) == 1
