"""A region's self-assessment: Rujukan's own checklist, and a small store for it in the state database.

This is Rujukan's checklist, NOT the ministry's (Kominfo's) official evaluation instrument. It asks
for one level per smart-city dimension on a 1–4 scale (worded in rujukan.i18n, "scale.*") and the
state of the five institutions the Gerakan Menuju 100 Smart City programme expects (council, team, masterplan,
regulation, quick wins). Kota Kediri's published 2022 dimension scores (data/smart_city_scores.csv,
3.31 overall) are on the evaluation's own scale, whose maximum the sources read do not state
(4 or 5); setting a self-assessment beside them is therefore indicative only.

The store follows rujukan.feedback: the state database of rujukan.database (an SQLite file, or
PostgreSQL), every write one transaction (a crash leaves the old or the new state), and every
database or file failure a StateError whose message says what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa

from .database import Database, Target
from .errors import StateError
from .formats import clean_text, iso_date, safe_csv, utc_stamp
from .i18n import t
from .vocabulary import DIMENSIONS

#: The store's Alembic branch (rujukan/migrations), and what a file made before Alembic was at.
BRANCH = "assessment"
LEGACY = {1: "assessment_0001"}
MAX_NOTE_CHARS = 4000

SCALE_MIN, SCALE_MAX = 1, 4
#: The levels of the documented scale; their wording is in rujukan.i18n ("scale.1" … "scale.4").
#: Kediri's published scores (0–4 or 0–5, unknown) sit beside these levels only as an indication.
LEVELS: tuple[int, ...] = tuple(range(SCALE_MIN, SCALE_MAX + 1))

#: The programme's institutions, and the states each can be in (labels: "institution.*",
#: "institution_state.*" in rujukan.i18n).
INSTITUTIONS: tuple[str, ...] = ("council", "team", "masterplan", "regulation", "quick_wins")
INSTITUTION_STATES: tuple[str, ...] = ("yes", "in_progress", "no")

_CODE = re.compile(r"^\d{4}$")

_COLUMNS = ["region_code", "date", *(f"score_{d}" for d in DIMENSIONS), *(f"inst_{i}" for i in INSTITUTIONS), "note", "updated"]
# The table as this code reads it; its history is in rujukan/migrations/versions/assessment_*.
assessments = sa.Table("assessments", sa.MetaData(), *(sa.Column(c, sa.Integer if c.startswith("score_") else sa.Text) for c in _COLUMNS))


@dataclass(frozen=True)
class Assessment:
    """One region's self-assessment on one date. A score of None means "not assessed"."""

    region_code: str
    date: str  # ISO date, YYYY-MM-DD
    scores: dict[str, int | None]
    institutions: dict[str, str]
    note: str = ""
    updated: str = ""  # UTC, ISO text; set by the store

    def to_dict(self) -> dict[str, Any]:
        return {"region_code": self.region_code, "date": self.date, "scores": dict(self.scores),
                "institutions": dict(self.institutions), "note": self.note, "updated": self.updated}


def scale_label(level: int, lang: str = "id") -> str:
    return t(f"scale.{int(level)}", lang)


def institution_label(item: str, lang: str = "id") -> str:
    return t(f"institution.{item}", lang) if item in INSTITUTIONS else item


def state_label(state: str, lang: str = "id") -> str:
    return t(f"institution_state.{state}", lang) if state in INSTITUTION_STATES else state


def normalise_date(value: str | dt.date) -> str:
    """The ISO text of a date given as a date or as 'YYYY-MM-DD'; a StateError otherwise."""
    try:
        day = iso_date(value)
    except ValueError:
        day = None
    if day is None:
        raise StateError(f"The date {str(value)[:40]!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-05-31.", "invalid")
    return day.isoformat()


def check_region(code: str) -> str:
    code = str(code).strip()
    if not _CODE.fullmatch(code):
        raise StateError(f"The region code {code[:20]!r} is not a 4-digit BPS code (e.g. 3328).", "invalid")
    return code


def check_scores(scores: Mapping[str, Any]) -> dict[str, int | None]:
    unknown = sorted(set(scores) - set(DIMENSIONS))
    if unknown:
        raise StateError(f"Unknown dimension(s) {', '.join(unknown)}; use {', '.join(DIMENSIONS)}.", "invalid")
    out: dict[str, int | None] = {}
    for dim in DIMENSIONS:
        value = scores.get(dim)
        if value is None or (isinstance(value, float) and value != value):
            out[dim] = None
            continue
        try:
            level = int(value)
        except (TypeError, ValueError):
            level = -1
        if level != value or not SCALE_MIN <= level <= SCALE_MAX:
            raise StateError(f"The score for {dim} must be a whole number from {SCALE_MIN} to {SCALE_MAX}, not {value!r}.", "invalid")
        out[dim] = level
    return out


def check_institutions(institutions: Mapping[str, Any]) -> dict[str, str]:
    unknown = sorted(set(institutions) - set(INSTITUTIONS))
    if unknown:
        raise StateError(f"Unknown institution item(s) {', '.join(unknown)}; use {', '.join(INSTITUTIONS)}.", "invalid")
    out = {}
    for item in INSTITUTIONS:
        state = institutions.get(item, "no")
        if state not in INSTITUTION_STATES:
            raise StateError(f"The state of {item} must be one of {', '.join(INSTITUTION_STATES)}, not {state!r}.", "invalid")
        out[item] = state
    return out


def parse_assessment(region_code: str, scores: str, institutions: str = "", date: str | dt.date | None = None) -> Assessment:
    """A self-assessment given as text, not saved: scores "economy=1,governance=4" (a dimension
    left out, or given as 0 or "-", is not assessed) and institutions "council=yes,team=no" (only
    those given count). StateError ("invalid") names what cannot be read."""
    def pairs(text: str, what: str) -> dict[str, str]:
        out = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            key, sep, value = item.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise StateError(f"{what}: {item!r} is not name=value (e.g. economy=1,governance=4).", "invalid")
            out[key.strip()] = value.strip()
        return out

    levels: dict[str, Any] = {}
    for dim, value in pairs(scores, "--scores").items():
        if value in ("0", "-"):
            levels[dim] = None
            continue
        if not value.isdigit():
            raise StateError(f"The score for {dim} must be a whole number from {SCALE_MIN} to {SCALE_MAX}, not {value!r}.", "invalid")
        levels[dim] = int(value)
    states = pairs(institutions, "--institutions")
    given = check_institutions(states)
    day = normalise_date(date or dt.date.today())
    return Assessment(check_region(region_code), day, check_scores(levels), {i: given[i] for i in states})


class AssessmentStore:
    """Self-assessments per region and date in the state database; safe to share across threads."""

    def __init__(self, target: Target, *, busy_timeout: float = 5.0) -> None:
        """Open the store at `target` (an SQLite file, or a PostgreSQL URL), making or carrying forward its table."""
        self._db = Database(target, "the self-assessment database", busy_timeout=busy_timeout)
        self._db.upgrade(BRANCH, LEGACY)

    @property
    def database(self) -> Database:
        return self._db

    # ------------------------------------------------------------------ operations

    def save(
        self,
        region_code: str,
        date: str | dt.date,
        scores: Mapping[str, Any],
        institutions: Mapping[str, Any],
        note: str = "",
    ) -> Assessment:
        """Insert, or replace, the self-assessment of a region on a date; returns what was stored."""
        code = check_region(region_code)
        day = normalise_date(date)
        levels = check_scores(scores)
        states = check_institutions(institutions)
        text = clean_text(note or "", MAX_NOTE_CHARS, keep_newlines=True)
        updated = utc_stamp()
        values = dict(zip(_COLUMNS, [code, day, *(levels[d] for d in DIMENSIONS), *(states[i] for i in INSTITUTIONS), text, updated]))
        upsert = self._db.insert(assessments).values(values)
        upsert = upsert.on_conflict_do_update(index_elements=["region_code", "date"],
                                              set_={c: upsert.excluded[c] for c in _COLUMNS[2:]})
        with self._db.write() as con:
            con.execute(upsert)
        return Assessment(code, day, levels, states, text, updated)

    def get(self, region_code: str, date: str | dt.date) -> Assessment | None:
        """The self-assessment of a region on a date, or None."""
        code, day = check_region(region_code), normalise_date(date)
        with self._db.read() as con:
            row = con.execute(sa.select(assessments).where(assessments.c.region_code == code, assessments.c.date == day)).first()
        return _assessment(tuple(row)) if row else None

    def assessments(self, region_code: str | None = None) -> list[Assessment]:
        """A region's self-assessments (all regions when None), newest date first."""
        query = sa.select(assessments)
        if region_code is not None:
            query = query.where(assessments.c.region_code == check_region(region_code))
        with self._db.read() as con:
            rows = con.execute(query.order_by(assessments.c.region_code, assessments.c.date.desc())).fetchall()
        return [_assessment(tuple(r)) for r in rows]

    def latest(self, region_code: str) -> Assessment | None:
        """The region's most recent self-assessment, or None."""
        found = self.assessments(region_code)
        return found[0] if found else None

    def delete(self, region_code: str, date: str | dt.date) -> bool:
        """Remove one self-assessment; True when there was one."""
        code, day = check_region(region_code), normalise_date(date)
        with self._db.write() as con:
            gone = con.execute(sa.delete(assessments).where(assessments.c.region_code == code, assessments.c.date == day))
            return gone.rowcount > 0

    def table(self, region_code: str | None = None) -> pd.DataFrame:
        """The stored rows as a flat table (score_<dimension>, inst_<item>, note, updated)."""
        return pd.DataFrame([_row(a) for a in self.assessments(region_code)], columns=_COLUMNS).astype(
            {f"score_{d}": "Int64" for d in DIMENSIONS}
        )

    def export_csv(self, region_code: str | None = None) -> bytes:
        """The stored rows as UTF-8 CSV whose cells cannot run as spreadsheet formulas."""
        return safe_csv(self.table(region_code))


def _assessment(row: tuple) -> Assessment:
    values = dict(zip(_COLUMNS, row))
    return Assessment(
        region_code=values["region_code"],
        date=values["date"],
        scores={d: (None if values[f"score_{d}"] is None else int(values[f"score_{d}"])) for d in DIMENSIONS},
        institutions={i: values[f"inst_{i}"] for i in INSTITUTIONS},
        note=values["note"],
        updated=values["updated"],
    )


def _row(a: Assessment) -> dict[str, Any]:
    return {
        "region_code": a.region_code,
        "date": a.date,
        **{f"score_{d}": a.scores.get(d) for d in DIMENSIONS},
        **{f"inst_{i}": a.institutions.get(i, "no") for i in INSTITUTIONS},
        "note": a.note,
        "updated": a.updated,
    }
