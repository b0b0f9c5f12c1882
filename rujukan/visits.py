"""Study visits recorded when a briefing pack is made: a small SQLite store in the state folder.

Official, sourced visits live in the practice records (`replicated_by`) and are shown by the
practice page; this log only remembers which region planned to come, when, for which practices
and why, so a host can see earlier briefs. One short-lived connection per operation (any
Streamlit thread may call it), WAL so readers run beside a writer, every write one
BEGIN IMMEDIATE ... COMMIT; every SQLite or file failure becomes a StateError.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import StateError
from .formats import clean_text, iso_date, utc_stamp
from .practices import ID_PATTERN
from .sqlite import SQLiteFile

MAX_PURPOSE_CHARS = 2000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS visits (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code TEXT NOT NULL,
    visit_date  TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    created     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS visit_practices (
    visit_id    INTEGER NOT NULL REFERENCES visits (id),
    position    INTEGER NOT NULL,
    practice_id TEXT    NOT NULL,
    PRIMARY KEY (visit_id, position)
);
CREATE INDEX IF NOT EXISTS visits_region ON visits (region_code, visit_date);
CREATE INDEX IF NOT EXISTS visit_practices_practice ON visit_practices (practice_id);
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)
"""
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class RecordedVisit:
    id: int
    region_code: str
    date: str  # YYYY-MM-DD, or "" when not known
    practice_ids: tuple[str, ...]
    purpose: str
    created: str  # UTC, ISO 8601


class VisitLog:
    """Planned study visits in one SQLite file; safe to share across threads."""

    def __init__(self, path: Path, busy_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self._db = SQLiteFile(self.path, "the visit log", busy_timeout=busy_timeout)
        self._db.create_schema(_SCHEMA, SCHEMA_VERSION)

    def record(self, region_code: str, date: dt.date | str | None, practice_ids: list[str] | tuple[str, ...], purpose: str = "") -> int:
        """Store one planned visit; returns its id."""
        code = str(region_code or "").strip()
        if not re.fullmatch(r"\d{4}", code):
            raise StateError(f"{code!r} is not a 4-digit BPS region code such as 3328.", "invalid")
        day = _date_text(date)
        ids = list(dict.fromkeys(str(p).strip() for p in practice_ids if str(p).strip()))
        if not ids:
            raise StateError("A visit needs at least one practice.", "invalid")
        bad = [p for p in ids if not ID_PATTERN.match(p)]
        if bad:
            raise StateError(f"Not a practice id: {', '.join(map(repr, bad))}.", "invalid")
        text = clean_text(purpose or "", MAX_PURPOSE_CHARS, keep_newlines=True)
        created = utc_stamp()
        with self._db.write() as con:
            cur = con.execute(
                "INSERT INTO visits (region_code, visit_date, purpose, created) VALUES (?, ?, ?, ?) RETURNING id", (code, day, text, created)
            )
            visit_id = int(cur.fetchone()[0])
            con.executemany(
                "INSERT INTO visit_practices (visit_id, position, practice_id) VALUES (?, ?, ?)",
                [(visit_id, n, p) for n, p in enumerate(ids)],
            )
        return visit_id

    def visits(self, region_code: str | None = None) -> list[RecordedVisit]:
        """Visits, latest visit date first (then latest recorded); only one region's when given."""
        where, params = ("WHERE region_code = ?", (str(region_code).strip(),)) if region_code else ("", ())
        return self._select(where, params)

    def visits_for_practice(self, practice_id: str) -> list[RecordedVisit]:
        """Visits that planned to study the practice, latest first."""
        return self._select(
            "WHERE id IN (SELECT visit_id FROM visit_practices WHERE practice_id = ?)", (str(practice_id).strip(),)
        )

    def _select(self, where: str, params: tuple) -> list[RecordedVisit]:
        with self._db.connection() as con:
            visits = con.execute(
                f"SELECT id, region_code, visit_date, purpose, created FROM visits {where} ORDER BY visit_date DESC, id DESC", params
            ).fetchall()
            links = con.execute("SELECT visit_id, practice_id FROM visit_practices ORDER BY visit_id, position").fetchall()
        practices: dict[int, list[str]] = {}
        for visit_id, practice_id in links:
            practices.setdefault(visit_id, []).append(practice_id)
        return [RecordedVisit(i, code, day, tuple(practices.get(i, ())), purpose, created) for i, code, day, purpose, created in visits]


def _date_text(date: dt.date | str | None) -> str:
    try:
        day = iso_date(date)
    except ValueError:
        raise StateError(f"{date!r} is not a date; write it as YYYY-MM-DD.", "invalid") from None
    return day.isoformat() if day else ""
