"""Bulk import of practice records from a CSV or XLSX table (issue 13 §2).

One row per practice. The columns are the record's fields (see COLUMNS), with lists written
in one cell: `dimensions`, `keywords`, `related` and `uncertain` comma-separated, `legal_basis`
semicolon-separated. Put one source per line in `sources`: "url | title as published | publisher | date".
Each body section goes in a column named by its heading ("Masalah", "Yang dilakukan", …).

Every row becomes a record's text and is checked as a record (and `related` against the
knowledge base plus the other rows). If any row has a problem, nothing is written and every
problem is named by row, id and field. Otherwise each row is saved as a new revision (a new
record, or the next revision of an existing one).
"""

from __future__ import annotations

import csv
import io

import yaml

from .errors import RujukanError
from .revisions import EditRefused, Revision, RevisionStore, parse_text
from .vocabulary import SECTIONS

REQUIRED = ("id", "title", "title_en", "summary", "summary_en", "region_code", "region_name", "dimensions", "status", "sources",
            "last_verified")
OPTIONAL = ("agency", "started", "ended", "legal_basis", "budget", "keywords", "related", "uncertain", *SECTIONS)
COLUMNS = REQUIRED + OPTIONAL
MAX_BYTES, MAX_ROWS = 5 * 1024 * 1024, 500
_COMMA_LISTS, _SEMICOLON_LISTS = ("dimensions", "keywords", "related", "uncertain"), ("legal_basis",)


class ImportRefused(RujukanError):
    """The table was not imported; `problems` names each by row and field."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def read_table(data: bytes, name: str = "table") -> list[dict[str, str]]:
    """The rows of a CSV (UTF-8) or XLSX file, decided by content (an XLSX is a zip), as text cells."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"{name} is {len(data):,} bytes; a table may be at most {MAX_BYTES:,} bytes.")
    if data[:4] == b"PK\x03\x04":
        rows = _xlsx_rows(data, name)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused(f"{name} is neither an XLSX workbook nor UTF-8 CSV text.") from None
        rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise ImportRefused(f"{name} has no rows.")
    header = [str(c).strip() for c in rows[0]]
    unknown = [c for c in header if c not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown or missing:
        said = [f"unknown column {c!r}" for c in unknown] + [f"missing column {c!r}" for c in missing]
        raise ImportRefused(f"{name}: the header does not fit ({'; '.join(said)}). The columns are: {', '.join(COLUMNS)}.")
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRefused(f"{name} has {len(rows) - 1} rows; import at most {MAX_ROWS} at a time.")
    return [{h: str(v if v is not None else "").strip() for h, v in zip(header, r)} for r in rows[1:]]


def _xlsx_rows(data: bytes, name: str) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)  # cached values: a formula is never run
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRefused(f"{name} is not a readable XLSX workbook ({type(exc).__name__}).") from None
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    book.close()
    return rows


def record_text(row: dict[str, str]) -> str:
    """A row as a record's Markdown text (YAML front matter, then its sections in order)."""
    def listed(key: str, sep: str) -> list[str]:
        return [part.strip() for part in row.get(key, "").split(sep) if part.strip()]

    sources = []
    for line in filter(None, (ln.strip() for ln in row.get("sources", "").splitlines())):
        url, title, publisher, date = ([*(p.strip() for p in line.split("|")), "", "", ""])[:4]
        sources.append({"url": url, "title": title, "publisher": publisher, "date": date})
    meta = {
        "id": row.get("id", ""), "title": row.get("title", ""), "title_en": row.get("title_en", ""),
        "summary": row.get("summary", ""), "summary_en": row.get("summary_en", ""),
        "region": {"code": row.get("region_code", ""), "name": row.get("region_name", "")},
        "dimensions": listed("dimensions", ","), "agency": row.get("agency", ""), "started": row.get("started", ""),
        "ended": row.get("ended", ""), "status": row.get("status", ""), "legal_basis": listed("legal_basis", ";"),
        "budget": row.get("budget", ""), "keywords": listed("keywords", ","), "related": listed("related", ","),
        "replicated_by": [], "uncertain": listed("uncertain", ","), "sources": sources, "last_verified": row.get("last_verified", ""),
    }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=120)
    body = "".join(f"\n## {heading}\n\n{row[heading].strip()}\n" for heading in SECTIONS if row.get(heading, "").strip())
    return f"---\n{front}---\n{body}"


def check(rows: list[dict[str, str]], known_ids: set[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Each row's (id, text), and every problem as "row N (id): field: message" (row 2 is the first under the header)."""
    ids = [row.get("id", "") for row in rows]
    problems: list[str] = []
    seen: dict[str, int] = {}
    for n, practice_id in enumerate(ids, start=2):
        if practice_id in seen:
            problems.append(f"row {n} ({practice_id}): id: the same id as row {seen[practice_id]}")
        seen.setdefault(practice_id, n)
    planned = []
    for n, row in enumerate(rows, start=2):
        text = record_text(row)
        _practice, found = parse_text(row.get("id", ""), text, known_ids | set(ids))
        problems += [f"row {n} ({row.get('id', '') or 'no id'}): {p.field}: {p.message}" for p in found]
        planned.append((row.get("id", ""), text))
    return planned, problems


def import_table(data: bytes, name: str, store: RevisionStore, author: str, reason: str) -> list[Revision]:
    """Check every row, then save each as a revision; ImportRefused (nothing written) when any row has a problem."""
    rows = read_table(data, name)
    known = {p.stem for p in store.practices_dir.glob("*.md")}
    planned, problems = check(rows, known)
    if problems:
        raise ImportRefused(f"{name}: {len(problems)} problem(s) in {len(rows)} row(s); nothing was imported.", problems)
    saved = []
    for practice_id, text in planned:
        latest = store.latest(practice_id)
        try:
            saved.append(store.save(practice_id, text, author, reason, latest.number if latest else None, also_known={i for i, _t in planned}))
        except EditRefused as exc:  # only a save by someone else between the check and this row
            raise ImportRefused(f"{name}: {practice_id}: {exc} The rows before it were imported: "
                                f"{', '.join(r.practice_id for r in saved) or 'none'}.") from exc
    return saved
