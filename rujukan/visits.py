"""Study visits recorded when a briefing pack is made: a small SQLite store in the state folder.

Official, sourced visits live in the practice records (`replicated_by`) and are shown by the
practice page; this log only remembers which region planned to come, when, for which practices
and why, so a host can see earlier briefs. A planned visit is one record per region, visit date
and set of practices (in any order): making the brief again updates that record's purpose and
time. One short-lived connection per operation (any Streamlit thread may call it), WAL so readers
run beside a writer, every write one BEGIN IMMEDIATE ... COMMIT; every SQLite or file failure
becomes a StateError.

Schema 2 (this one) added visits.practice_key and its unique index; a schema-1 file is carried
forward on opening, its duplicate visits merged into the first recorded (the latest purpose and
time kept), in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable
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
    created     TEXT NOT NULL,
    practice_key TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS visit_practices (
    visit_id    INTEGER NOT NULL REFERENCES visits (id),
    position    INTEGER NOT NULL,
    practice_id TEXT    NOT NULL,
    PRIMARY KEY (visit_id, position)
);
CREATE INDEX IF NOT EXISTS visits_region ON visits (region_code, visit_date);
CREATE INDEX IF NOT EXISTS visit_practices_practice ON visit_practices (practice_id);
CREATE UNIQUE INDEX IF NOT EXISTS visits_once ON visits (region_code, visit_date, practice_key);
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)
"""
SCHEMA_VERSION = 2


@dataclass(frozen=True)
class RecordedVisit:
    id: int
    region_code: str
    date: str  # YYYY-MM-DD, or "" when not known
    practice_ids: tuple[str, ...]
    purpose: str
    created: str  # UTC, ISO 8601: when the brief was last made for this visit


class VisitLog:
    """Planned study visits in one SQLite file; safe to share across threads."""

    def __init__(self, path: Path, busy_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self._db = SQLiteFile(self.path, "the visit log", busy_timeout=busy_timeout)
        self._db.create_schema(_SCHEMA, SCHEMA_VERSION, {1: _merge_duplicates})

    def record(self, region_code: str, date: dt.date | str | None, practice_ids: list[str] | tuple[str, ...], purpose: str) -> int:
        """Store a planned visit, or update the one already recorded for the same region, visit
        date and practices (in any order): its purpose and time become these. Returns its id.
        StateError "invalid" naming the field for a bad code, date, practice or an empty purpose."""
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
        if not text:
            raise StateError("The field purpose is empty: say why the delegation comes (the purpose written in the brief).", "invalid")
        created = utc_stamp()
        with self._db.write() as con:
            cur = con.execute(
                "INSERT INTO visits (region_code, visit_date, purpose, created, practice_key) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (region_code, visit_date, practice_key) DO UPDATE SET purpose = excluded.purpose, created = excluded.created "
                "RETURNING id",
                (code, day, text, created, practice_key(ids)),
            )
            visit_id = int(cur.fetchone()[0])
            if con.execute("SELECT count(*) FROM visit_practices WHERE visit_id = ?", (visit_id,)).fetchone()[0] == 0:
                con.executemany(
                    "INSERT INTO visit_practices (visit_id, position, practice_id) VALUES (?, ?, ?)",
                    [(visit_id, n, p) for n, p in enumerate(ids)],
                )
        return visit_id

    def delete(self, visit_id: int) -> bool:
        """Remove a recorded visit (a curator's correction); True when it existed."""
        try:
            number = int(visit_id)
        except (TypeError, ValueError):
            raise StateError(f"{visit_id!r} is not a visit number; use the id shown in the list of visits.", "invalid") from None
        with self._db.write() as con:
            con.execute("DELETE FROM visit_practices WHERE visit_id = ?", (number,))
            return con.execute("DELETE FROM visits WHERE id = ?", (number,)).rowcount > 0

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


def practice_key(practice_ids: Iterable[str]) -> str:
    """The set of practices as stored for uniqueness: sorted, distinct, comma-joined."""
    return ",".join(sorted(set(practice_ids)))


def _merge_duplicates(con: sqlite3.Connection) -> None:
    """Schema 1 to 2, inside the opening transaction: add practice_key, then merge the visits that
    share region, date and practices into the first recorded one (its id and practice order), which
    takes the latest non-empty purpose and the latest time. Nothing else is dropped."""
    con.execute("ALTER TABLE visits ADD COLUMN practice_key TEXT NOT NULL DEFAULT ''")
    practices: dict[int, list[str]] = {}
    for visit_id, practice_id in con.execute("SELECT visit_id, practice_id FROM visit_practices ORDER BY visit_id, position"):
        practices.setdefault(visit_id, []).append(practice_id)
    groups: dict[tuple[str, str, str], list[tuple[int, str, str]]] = {}
    for visit_id, code, day, purpose, created in con.execute("SELECT id, region_code, visit_date, purpose, created FROM visits ORDER BY id").fetchall():
        key = practice_key(practices.get(visit_id, []))
        con.execute("UPDATE visits SET practice_key = ? WHERE id = ?", (key, visit_id))
        groups.setdefault((code, day, key), []).append((visit_id, purpose, created))
    for rows in groups.values():
        if len(rows) < 2:
            continue
        keep = rows[0][0]
        latest = max(rows, key=lambda r: (r[2], r[0]))
        said = [r for r in rows if r[1].strip()]
        purpose = max(said, key=lambda r: (r[2], r[0]))[1] if said else ""
        con.execute("UPDATE visits SET purpose = ?, created = ? WHERE id = ?", (purpose, latest[2], keep))
        merged = [(r[0],) for r in rows[1:]]
        con.executemany("DELETE FROM visit_practices WHERE visit_id = ?", merged)
        con.executemany("DELETE FROM visits WHERE id = ?", merged)


def _date_text(date: dt.date | str | None) -> str:
    try:
        day = iso_date(date)
    except ValueError:
        raise StateError(f"{date!r} is not a date; write it as YYYY-MM-DD.", "invalid") from None
    return day.isoformat() if day else ""
