"""The briefing pack, read back with python-docx: titles, figures, images, sources, unknowns, errors."""

from __future__ import annotations

import io
import threading
from dataclasses import replace

import docx
import pytest

from rujukan import brief as brief_module
from rujukan.brief import build_brief, questions, write_brief
from rujukan.config import REPO_ROOT
from rujukan.errors import BriefError, RujukanError, StateError
from rujukan.practices import load_knowledge
from rujukan.regions import load_dataset
from rujukan.visits import VisitLog

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
    assert ipm[2] == "2024" and ipm[3] == "70.77" and ipm[4] == "81.35"
    assert "BPS" in ipm[header.index("Sumber")]
    assert len(table.rows) - 1 == 8  # every indicator that covers all 514 regions


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
    assert any(line.startswith("Kabupaten Tegal (2022-06-22)") for line in section_after(part, "Yang sudah mempelajari praktik ini"))
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


def test_visit_log_round_trip(tmp_path):
    log = VisitLog(tmp_path / "state" / "visits.sqlite3")
    first = log.record("3328", "2022-06-22", CHOSEN, "Belajar tahapan smart city")
    second = log.record("3577", None, ["prodamas-plus"], "")
    assert (first, second) == (1, 2)
    tegal = log.visits("3328")
    assert len(tegal) == 1
    assert (tegal[0].date, tegal[0].practice_ids, tegal[0].purpose) == ("2022-06-22", tuple(CHOSEN), "Belajar tahapan smart city")
    assert [v.id for v in log.visits()] == [1, 2]  # latest visit date first; no date sorts last
    assert [v.id for v in log.visits_for_practice("prodamas-plus")] == [1, 2]
    assert [v.id for v in log.visits_for_practice("sistem-informasi-eksekutif")] == [1]
    assert log.visits_for_practice("bank-sampah") == []
    assert [v.id for v in VisitLog(tmp_path / "state" / "visits.sqlite3").visits()] == [1, 2]  # persisted


@pytest.mark.parametrize(
    "args, words",
    [(("99", "2022-06-22", CHOSEN), "4-digit"), (("3328", "22/06/2022", CHOSEN), "YYYY-MM-DD"), (("3328", None, []), "at least one")],
)
def test_visit_log_refuses_bad_visits(tmp_path, args, words):
    with pytest.raises(StateError, match=words):
        VisitLog(tmp_path / "v.sqlite3").record(*args)


def test_visit_log_damaged_file_is_a_message(tmp_path):
    path = tmp_path / "visits.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StateError, match="damaged"):
        VisitLog(path)


def test_visit_log_concurrent_writers(tmp_path):
    log = VisitLog(tmp_path / "visits.sqlite3")
    errors = []

    def write(n):
        try:
            for _ in range(10):
                log.record("3328", f"2025-06-{n + 10:02d}", ["prodamas-plus"], f"thread {n}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(log.visits()) == 40


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
