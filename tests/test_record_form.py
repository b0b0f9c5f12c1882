"""The structured editor's core (rujukan.record_form): a record as form values and back without
loss, the records' own style for what changed, the fields the form does not show carried over,
and the validator's problems placed on the form's fields."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from rujukan.config import REPO_ROOT
from rujukan.practices import FRONT_MATTER, Problem
from rujukan.record_form import (
    CitedSource,
    FormError,
    SourceRow,
    VisitRow,
    form_field,
    from_text,
    lines,
    new_record,
    problems_by_field,
    renumber_sources,
    source_rows,
    table_cell,
    table_records,
    to_text,
    visit_rows,
)
from rujukan.revisions import parse_text, set_verified

RECORDS = sorted((REPO_ROOT / "knowledge" / "practices").glob("*.md"))


def same_practice(a, b) -> bool:
    """Two parsed records hold the same practice (the file they came from aside)."""
    return dataclasses.replace(a, path=Path("x"), content_hash="") == dataclasses.replace(b, path=Path("x"), content_hash="")


def front(text: str) -> dict:
    return yaml.safe_load(FRONT_MATTER.match(text).group(1))


def test_there_are_fifteen_records():
    assert len(RECORDS) == 15


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_every_record_comes_back_as_it_was(path):
    text = path.read_text(encoding="utf-8")
    values = from_text(text)
    assert to_text(values) == text  # unchanged: the very same bytes
    original, problems = parse_text(path.stem, text)
    assert problems == [] and original is not None
    fresh = to_text(dataclasses.replace(values, layout=None))  # every field written afresh, in the records' style
    again, problems = parse_text(path.stem, fresh)
    assert problems == [] and same_practice(original, again)
    assert list(front(fresh)) == list(front(text))  # the same fields in the same order
    assert from_text(fresh) == values


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_an_edit_changes_only_the_lines_of_its_field(path):
    text = path.read_text(encoding="utf-8")
    values = from_text(text)
    values.agency = "Dinas Komunikasi dan Informatika Kota Kediri"
    values.sections["results"] = values.sections["results"] + " Catatan Rujukan: ditambah lewat formulir [1]."
    changed = to_text(values)
    old, new = text.splitlines(), changed.splitlines()
    assert len(old) == len(new)
    differ = [(a, b) for a, b in zip(old, new) if a != b]
    assert len(differ) == 2, differ
    assert differ[0][1] == 'agency: "Dinas Komunikasi dan Informatika Kota Kediri"'
    assert differ[1][1].endswith("Catatan Rujukan: ditambah lewat formulir [1].")
    practice, problems = parse_text(path.stem, changed)
    assert problems == [] and practice.agency == "Dinas Komunikasi dan Informatika Kota Kediri"


def test_fields_the_form_does_not_show_survive_an_edit():
    text = (REPO_ROOT / "knowledge" / "practices" / "prodamas-plus.md").read_text(encoding="utf-8")
    text = set_verified(text, "2026-12-01", "ani@kedirikota.test", [1, 2])
    text = text.replace("uncertain: [started]\n", "uncertain: [started]\n# a curator's note\nextra: {kept: [1, 2]}  # not a field\n")
    text = text.replace("\n## Masalah", "Teks sebelum bagian pertama.\n\n## Masalah", 1)
    values = from_text(text)
    values.title = "Prodamas Plus (disunting)"
    values.sources.append(SourceRow("https://example.org/baru", "", "example.org", "2024"))
    values.sections["history"] = ""  # a section taken out
    out = to_text(values)
    meta = front(out)
    assert meta["verified_by"] == "ani@kedirikota.test" and meta["verified_against"] == [1, 2] and meta["last_verified"] == "2026-12-01"
    assert "# a curator's note\nextra: {kept: [1, 2]}  # not a field\n" in out  # as written, comment and all
    assert "Teks sebelum bagian pertama." in out
    assert meta["title"] == "Prodamas Plus (disunting)"
    assert meta["sources"][-1] == {"url": "https://example.org/baru", "title": "", "publisher": "example.org", "date": "2024"}
    assert "## Riwayat" not in out and "## Tahapan" in out
    assert from_text(out).title == "Prodamas Plus (disunting)"


def test_a_field_the_record_lacked_is_written_in_its_place():
    text = (REPO_ROOT / "knowledge" / "practices" / "bank-sampah.md").read_text(encoding="utf-8").replace('ended: ""\n', "")
    values = from_text(text)
    assert "ended:" not in to_text(values)  # empty, and absent before: left out
    values.ended = "2024"
    assert list(front(to_text(values)))[8:11] == ["started", "ended", "status"]


def test_a_new_record_starts_from_kediri_with_everything_unknown():
    values = new_record("arsip-digital")
    assert (values.region_code, values.region_name, values.status) == ("3571", "Kota Kediri", "unknown")
    assert values.sources == [] and values.agency == "" and values.started == "" and values.budget == ""
    text = to_text(values)
    assert list(front(text)) == ["id", "title", "title_en", "summary", "summary_en", "region", "dimensions", "agency", "started", "ended", "status",
                                 "legal_basis", "budget", "keywords", "related", "replicated_by", "uncertain", "sources", "last_verified"]
    _practice, problems = parse_text("arsip-digital", text)
    assert {p.field for p in problems} == {"title", "title_en", "summary", "summary_en", "dimensions", "sources", "last_verified"}
    assert from_text(text) == values


def test_a_new_record_filled_in_parses_to_what_was_typed():
    values = new_record("arsip-digital")
    values.title, values.title_en = "Arsip Digital: uji", "Digital archive — a test"
    values.summary = "Ringkasan yang panjang " * 12 + "[1]."
    values.summary_en = "A summary: with a colon, and #hash."
    values.dimensions = ["governance"]
    values.keywords = ["arsip", "yes", "112", "- dash", "a: b"]
    values.legal_basis = ["Perwali Kota Kediri No. 1 Tahun 2024"]
    values.budget = 'Rp1 juta "APBD" [1]'
    values.sources = [SourceRow("https://example.org/a", 'Judul "terbit": satu', "", "~2024-05")]
    values.replicated_by = [VisitRow("Kabupaten Tegal", "2022-06-22", "studi tiru", 1)]
    values.last_verified = "2026-11-29"
    values.sections["what"] = "Dilakukan sesuatu [1].\n\n- butir satu\n- butir dua"
    text = to_text(values)
    practice, problems = parse_text("arsip-digital", text)
    assert problems == [], problems
    assert practice.title == "Arsip Digital: uji" and practice.keywords == ("arsip", "yes", "112", "- dash", "a: b")
    assert practice.summary == values.summary and practice.budget == values.budget
    assert practice.sources[0].title == 'Judul "terbit": satu' and practice.sources[0].date == "~2024-05"
    assert practice.replicated_by[0].source == 1 and practice.section("what").text == values.sections["what"]
    assert "summary: >-\n  Ringkasan" in text  # folded, as the records write summaries
    assert from_text(text) == values


def test_texts_the_form_cannot_show_as_they_are_are_refused_with_the_reason():
    text = (REPO_ROOT / "knowledge" / "practices" / "bank-sampah.md").read_text(encoding="utf-8")
    cases = {
        "does not start with": text.split("---\n", 2)[2],
        "does not parse": text.replace("dimensions: [environment]", "dimensions: [environment"),
        "Catatan": text.replace("## Hasil", "## Catatan"),
        "out of order": text.replace("## Masalah", "## Hasil", 1),
        "a date": text.replace('started: ""', "started: 2021-05-01"),
        "source number": text.replace("replicated_by: []", "replicated_by:\n  - {region: Kota X, source: satu}"),
    }
    for said, broken in cases.items():
        with pytest.raises(FormError, match=said):
            from_text(broken)


def test_a_bad_value_of_the_right_kind_is_shown_so_the_validator_can_name_it():
    text = (REPO_ROOT / "knowledge" / "practices" / "bank-sampah.md").read_text(encoding="utf-8")
    values = from_text(text.replace("dimensions: [environment]", "dimensions: [environment, smart-x]").replace('date: "~2023-11"', 'date: "kemarin"'))
    assert values.dimensions == ["environment", "smart-x"] and values.sources[0].date == "kemarin"


def test_problems_are_placed_on_the_fields_they_name():
    problems = [Problem("x.md", name, f"about {name}") for name in (
        "title", "region", "region.code", "sources", "sources[2]", "sources[2].url", "replicated_by[1].source", "section 'Masalah'",
        "section 'Yang dilakukan'", "section 'Catatan'", "verified_against", "front matter", "-", "extra", "dimensions")]
    placed = problems_by_field(problems)
    assert placed["title"] == ["about title"] and placed["sources[2].url"] == ["about sources[2].url"]
    assert placed["sections.problem"] == ["about section 'Masalah'"] and placed["sections.what"] == ["about section 'Yang dilakukan'"]
    assert placed["region.code"] == ["about region.code"] and placed["region"] == ["about region"]
    assert placed[""] == ["about section 'Catatan'", "about verified_against", "about front matter", "about -", "about extra"]
    assert form_field("region.name") == "region.name"
    assert table_cell("sources[2].url") == ("sources", 2, "url") and table_cell("sources[3]") == ("sources", 3, None)
    assert table_cell("sources") == ("sources", None, None) and table_cell("title") is None
    assert form_field("replicated_by[4].date") == "replicated_by[4].date" and form_field("verified_by") == ""


def test_the_validators_own_problems_land_under_their_fields():
    text = (REPO_ROOT / "knowledge" / "practices" / "bank-sampah.md").read_text(encoding="utf-8")
    values = from_text(text)
    values.sources[0].date = "kemarin"
    values.dimensions = ["environment", "smart-x"]
    values.started = "tahun lalu"
    values.sections["results"] = "Hasilnya baik [2]."  # cites a source the record does not have
    values.sources.append(SourceRow("https://example.org/b", "", "", ""))  # … and then has it, but the old [2] …
    values.sources.append(SourceRow("https://example.org/c", "", "", ""))  # … and a third nobody cites
    values.region_code = "35-71"
    _practice, problems = parse_text("bank-sampah", to_text(values))
    placed = problems_by_field(problems, values)
    assert any("kemarin" in m for m in placed["sources[1].date"])
    assert any("smart-x" in m for m in placed["dimensions"])
    assert any("tahun lalu" in m for m in placed["started"])
    assert any("never cited" in m for m in placed["sources[3]"])
    assert any("35-71" in m for m in placed["region.code"])
    values.sources.pop()
    values.sources.pop()
    values.sections["lessons"] = "Catatan Rujukan: lihat [4]."
    _practice, problems = parse_text("bank-sampah", to_text(values))
    placed = problems_by_field(problems, values)  # a citation without its source: under the text that cites it
    assert any("citation [2]" in m for m in placed["sections.results"]) and any("citation [4]" in m for m in placed["sections.lessons"])
    assert "sources" not in placed


def test_the_page_tables_and_lists_read_back_as_rows():
    assert lines(" satu \n\n dua\r\n") == ["satu", "dua"]
    nan = float("nan")
    assert source_rows([{"url": "https://a.test", "title": None, "publisher": nan, "date": "2024"}]) == [SourceRow("https://a.test", "", "", "2024")]
    assert source_rows([{"url": None, "title": None, "publisher": None, "date": None}]) == [SourceRow()]  # kept: dropping would renumber
    assert visit_rows([{"region": "Kota X", "date": None, "what": "", "source": 3.0}, {"region": "Kota Y", "source": nan}]) == [
        VisitRow("Kota X", "", "", 3), VisitRow("Kota Y", "", "", None)]
    rows = [SourceRow("https://a.test", "A", "B", "2024")]
    assert source_rows(table_records(rows)) == rows


def test_deleting_a_source_nobody_cites_renumbers_the_citations_after_it():
    text = (REPO_ROOT / "knowledge" / "practices" / "bank-sampah.md").read_text(encoding="utf-8")
    values = from_text(set_verified(text, "2026-12-01", "ani", [1, 2, 3]))
    values.sources += [SourceRow("https://example.org/dua", "", "", ""), SourceRow("https://example.org/tiga", "", "", "2024")]
    values.sections["results"] = "Hasil menurut sumber ketiga [3], juga [1, 3]."
    values.replicated_by = [VisitRow("Kabupaten Tegal", "2022-06-22", "studi tiru", 3)]
    before = len(values.sources)
    values.sources.pop(1)  # the table without row 2, which nobody cites
    after = renumber_sources(values, [1, 3], before)
    assert after.sections["results"] == "Hasil menurut sumber ketiga [2], juga [1, 2]."
    assert after.replicated_by[0].source == 2 and after.verified_against == [1, 2]
    practice, problems = parse_text("bank-sampah", to_text(after))
    assert problems == [] and practice.source(2).url == "https://example.org/tiga" and practice.verified_against == (1, 2)


def test_a_source_still_cited_is_not_deleted():
    text = (REPO_ROOT / "knowledge" / "practices" / "bank-sampah.md").read_text(encoding="utf-8")
    values = from_text(text)
    values.sources.append(SourceRow("https://example.org/dua", "", "", ""))
    values.sections["results"] = "Hasil [2]."
    values.replicated_by = [VisitRow("Kota X", "", "", 2)]
    values.sources.pop(1)
    with pytest.raises(CitedSource) as refused:
        renumber_sources(values, [1], 2)
    assert refused.value.cited == {2: ["sections.results", "replicated_by[1].source"]}
