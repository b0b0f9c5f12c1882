"""Bulk import of practices from CSV and XLSX (issue 13 §2): every row checked before any is
written, problems named by row and field, new records and new revisions of existing ones."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys

import pytest

from rujukan.bulk import COLUMNS, ImportRefused, import_table, read_table
from rujukan.config import REPO_ROOT
from rujukan.practices import load_knowledge
from rujukan.revisions import RevisionStore


@pytest.fixture
def practices(tmp_path):
    folder = tmp_path / "knowledge" / "practices"
    shutil.copytree(REPO_ROOT / "knowledge" / "practices", folder)
    return folder


def row(practice_id: str, **changes: str) -> dict[str, str]:
    base = {
        "id": practice_id, "title": "Bank Sampah RW", "title_en": "Neighbourhood waste bank",
        "summary": "Bank sampah tingkat RW disebut dalam evaluasi smart city 2023 [1].", "summary_en": "A neighbourhood waste bank.",
        "region_code": "3571", "region_name": "Kota Kediri", "dimensions": "environment, society", "status": "unknown",
        "sources": "https://kharismafm.com/pemkot-kediri-jabarkan-serangkaian-program-dan-inovasi/ | Pemkot Kediri jabarkan serangkaian "
                   "program dan inovasi | kharismafm.com | ~2023-11",
        "last_verified": "2026-12-03", "keywords": "bank sampah, RW", "related": "bank-sampah",
        "Masalah": "Tidak diketahui.", "Yang dilakukan": "Pemkot menyebut bank sampah sebagai program lingkungan [1].", "Hasil": "Tidak diketahui.",
    }
    return {**base, **changes}


def as_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c for c in COLUMNS if any(c in r for r in rows)])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows: list[dict[str, str]], formula_in: str = "") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    header = [c for c in COLUMNS if any(c in r for r in rows)]
    sheet.append(header)
    for r in rows:
        sheet.append([("=1+1" if c == formula_in else r.get(c, "")) for c in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_csv_of_new_records_and_an_update_is_imported_as_revisions(state_target, practices):
    store = RevisionStore(state_target, practices)
    rows = [row("bank-sampah-rw", related="bank-sampah-rt"), row("bank-sampah-rt", title="Bank Sampah RT", related="bank-sampah-rw")]
    saved = import_table(as_csv(rows), "praktik.csv", store, "Ani", "dari DLH")
    assert [(r.practice_id, r.number) for r in saved] == [("bank-sampah-rw", 1), ("bank-sampah-rt", 1)]
    kb = load_knowledge(practices)
    assert not kb.problems and kb.get("bank-sampah-rt").related == ("bank-sampah-rw",)  # rows may name each other
    assert kb.get("bank-sampah-rw").sources[0].date == "~2023-11" and kb.get("bank-sampah-rw").dimensions == ("environment", "society")
    again = import_table(as_csv([row("bank-sampah-rw", title="Bank Sampah Tingkat RW")]), "lagi.csv", store, "Ani", "judul")
    assert again[0].number == 2 and load_knowledge(practices).get("bank-sampah-rw").title == "Bank Sampah Tingkat RW"


def test_one_bad_row_stops_the_whole_import_and_every_problem_is_named(state_target, practices):
    store = RevisionStore(state_target, practices)
    before = sorted(p.name for p in practices.glob("*.md"))
    rows = [row("baik-satu"), row("baik-satu"), row("buruk", status="maybe", dimensions="nonsense", sources="javascript:alert(1) | x | y | z")]
    with pytest.raises(ImportRefused) as caught:
        import_table(as_csv(rows), "praktik.csv", store, "Ani", "x")
    said = "\n".join(caught.value.problems)
    assert "row 3 (baik-satu): id: the same id as row 2" in said
    assert "row 4 (buruk): status:" in said and "row 4 (buruk): dimensions:" in said and "row 4 (buruk): sources[1].url:" in said
    assert sorted(p.name for p in practices.glob("*.md")) == before  # nothing written


def test_an_xlsx_workbook_is_read_by_its_content_and_formulas_are_never_run(state_target, practices):
    store = RevisionStore(state_target, practices)
    saved = import_table(as_xlsx([row("bank-sampah-xlsx")]), "praktik.csv", store, "Ani", "xlsx")  # named .csv, read as XLSX
    assert [r.practice_id for r in saved] == ["bank-sampah-xlsx"]
    with pytest.raises(ImportRefused) as caught:
        import_table(as_xlsx([row("rumus")], formula_in="summary"), "rumus.xlsx", store, "Ani", "x")
    assert any("row 2 (rumus): summary:" in p for p in caught.value.problems)  # the formula's cell holds no value: it never ran


@pytest.mark.parametrize("data, words", [
    (b"nama,nilai\r\nx,1\r\n", "unknown column 'nama'"),
    (b"\xff\xfe\x00bukan teks", "neither an XLSX workbook nor UTF-8"),
    (b"PK\x03\x04" + b"\x00" * 200, "not a readable XLSX"),
    (b"", "no rows"),
    (b"x" * (5 * 1024 * 1024 + 1), "at most"),
])
def test_tables_that_are_not_records_are_refused_with_a_reason(data, words):
    with pytest.raises(ImportRefused, match=words):
        read_table(data, "unggah")


def test_the_command_line_imports_or_names_the_problems(practices, tmp_path):
    env = {**os.environ, "RUJUKAN_KNOWLEDGE_DIR": str(practices.parent), "RUJUKAN_STATE_DIR": str(tmp_path / "state")}
    good, bad = tmp_path / "baik.csv", tmp_path / "buruk.csv"
    good.write_bytes(as_csv([row("bank-sampah-cli")]))
    bad.write_bytes(as_csv([row("buruk-cli", status="maybe")]))
    command = [sys.executable, "-m", "rujukan", "practice", "import"]
    done = subprocess.run([*command, str(good), "--author", "Ani", "--reason", "r"], capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120)
    assert done.returncode == 0 and "bank-sampah-cli (revision 1)" in done.stderr, done.stderr
    refused = subprocess.run([*command, str(bad), "--author", "Ani", "--reason", "r"], capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120)
    assert refused.returncode == 1 and "row 2 (buruk-cli): status:" in refused.stderr and not (practices / "buruk-cli.md").exists()
