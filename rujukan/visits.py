"""Study visits recorded when a briefing pack is made: a small store in the state database.

Official, sourced visits live in the practice records (`replicated_by`) and are shown by the
practice page; this log only remembers which region planned to come, when, for which practices
and why, so a host can see earlier briefs. A planned visit is one record per region, visit date
and set of practices (in any order): making the brief again updates that record's purpose and
time. The database is rujukan.database's (an SQLite file, or PostgreSQL); every write is one
transaction, and every database or file failure becomes a StateError.

Revision visits_0002 (rujukan/migrations) added visits.practice_key and its unique index; an
older log is carried forward on opening, its duplicate visits merged into the first recorded
(the latest purpose and time kept), in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from .database import Database, Target
from .errors import StateError
from .formats import clean_text, iso_date, utc_stamp
from .practices import ID_PATTERN

MAX_PURPOSE_CHARS = 2000
#: The store's Alembic branch (rujukan/migrations), and what a file made before Alembic was at.
BRANCH = "visits"
LEGACY = {1: "visits_0001", 2: "visits_0002"}

# The tables as this code reads them; their history is in rujukan/migrations/versions/visits_*.
_meta = sa.MetaData()
visit_table = sa.Table(
    "visits", _meta,
    sa.Column("id", sa.Integer, primary_key=True), sa.Column("region_code", sa.Text), sa.Column("visit_date", sa.Text),
    sa.Column("purpose", sa.Text), sa.Column("created", sa.Text), sa.Column("practice_key", sa.Text),
)
visit_practices = sa.Table(
    "visit_practices", _meta,
    sa.Column("visit_id", sa.Integer), sa.Column("position", sa.Integer), sa.Column("practice_id", sa.Text),
)


@dataclass(frozen=True)
class RecordedVisit:
    id: int
    region_code: str
    date: str  # YYYY-MM-DD, or "" when not known
    practice_ids: tuple[str, ...]
    purpose: str
    created: str  # UTC, ISO 8601: when the brief was last made for this visit


class VisitLog:
    """Planned study visits in the state database; safe to share across threads."""

    def __init__(self, target: Target, busy_timeout: float = 5.0) -> None:
        """Open the log at `target` (an SQLite file, or a PostgreSQL URL), making or carrying forward its tables."""
        self._db = Database(target, "the visit log", busy_timeout=busy_timeout)
        self._db.upgrade(BRANCH, LEGACY)

    @property
    def database(self) -> Database:
        return self._db

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
        upsert = self._db.insert(visit_table).values(region_code=code, visit_date=day, purpose=text, created=utc_stamp(), practice_key=practice_key(ids))
        upsert = upsert.on_conflict_do_update(index_elements=["region_code", "visit_date", "practice_key"],
                                              set_={"purpose": upsert.excluded.purpose, "created": upsert.excluded.created})
        with self._db.write() as con:
            visit_id = int(con.execute(upsert.returning(visit_table.c.id)).scalar_one())
            listed = con.execute(sa.select(sa.func.count()).select_from(visit_practices).where(visit_practices.c.visit_id == visit_id)).scalar()
            if not listed:
                con.execute(sa.insert(visit_practices), [{"visit_id": visit_id, "position": n, "practice_id": p} for n, p in enumerate(ids)])
        return visit_id

    def delete(self, visit_id: int) -> bool:
        """Remove a recorded visit (a curator's correction); True when it existed."""
        try:
            number = int(visit_id)
        except (TypeError, ValueError):
            raise StateError(f"{visit_id!r} is not a visit number; use the id shown in the list of visits.", "invalid") from None
        with self._db.write() as con:
            con.execute(sa.delete(visit_practices).where(visit_practices.c.visit_id == number))
            return con.execute(sa.delete(visit_table).where(visit_table.c.id == number)).rowcount > 0

    def visits(self, region_code: str | None = None) -> list[RecordedVisit]:
        """Visits, latest visit date first (then latest recorded); only one region's when given."""
        return self._select(visit_table.c.region_code == str(region_code).strip() if region_code else None)

    def visits_for_practice(self, practice_id: str) -> list[RecordedVisit]:
        """Visits that planned to study the practice, latest first."""
        chosen = sa.select(visit_practices.c.visit_id).where(visit_practices.c.practice_id == str(practice_id).strip())
        return self._select(visit_table.c.id.in_(chosen))

    def _select(self, condition: sa.ColumnElement[bool] | None) -> list[RecordedVisit]:
        query = sa.select(visit_table.c.id, visit_table.c.region_code, visit_table.c.visit_date, visit_table.c.purpose, visit_table.c.created)
        if condition is not None:
            query = query.where(condition)
        with self._db.read() as con:
            found = con.execute(query.order_by(visit_table.c.visit_date.desc(), visit_table.c.id.desc())).fetchall()
            links = con.execute(sa.select(visit_practices.c.visit_id, visit_practices.c.practice_id)
                                .order_by(visit_practices.c.visit_id, visit_practices.c.position)).fetchall()
        practices: dict[int, list[str]] = {}
        for visit_id, practice_id in links:
            practices.setdefault(visit_id, []).append(practice_id)
        return [RecordedVisit(i, code, day, tuple(practices.get(i, ())), purpose, created) for i, code, day, purpose, created in found]


def practice_key(practice_ids: Iterable[str]) -> str:
    """The set of practices as stored for uniqueness: sorted, distinct, comma-joined."""
    return ",".join(sorted(set(practice_ids)))


def _date_text(date: dt.date | str | None) -> str:
    try:
        day = iso_date(date)
    except ValueError:
        raise StateError(f"{date!r} is not a date; write it as YYYY-MM-DD.", "invalid") from None
    return day.isoformat() if day else ""
