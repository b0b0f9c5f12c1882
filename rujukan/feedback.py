"""What people ask, and what they think of the answers: a small SQLite store in the state folder.

Questions and searches (the text, a random per-session id, UTC timestamps, result counts; no IP
address, no user agent, nothing else about the person) and helpful / not helpful marks with an
optional comment. Curators read aggregates as DataFrames and export them as formula-safe CSV.

Why it is built this way:
- one short-lived sqlite3 connection per operation, so any thread (Streamlit runs each session
  in its own) can use one FeedbackStore object; WAL mode lets readers run beside a writer;
- every write is one BEGIN IMMEDIATE ... COMMIT, so a crash leaves the old or the new state;
- a visitor's session sees only its own events, and can mark only its own events;
- every SQLite or file failure becomes a StateError that says what to do (busy, disk full,
  corrupt file: move it aside), never a traceback on a page.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pandas as pd

from .errors import StateError
from .formats import clean_text, safe_csv, utc_stamp
from .sqlite import SQLiteFile

SCHEMA_VERSION = 1
MAX_TEXT_CHARS = 1000
MAX_COMMENT_CHARS = 2000
MAX_ID_CHARS = 200
KINDS = ("search", "ask")
#: What export_csv accepts: the two raw tables (without session ids) and the curator views.
EXPORTS = ("events", "feedback", "top_questions", "unanswered", "feedback_by_practice", "weekly_trend", "comments")

#: A session id is an opaque random token (see new_session_id); dots and colons are refused so
#: an IP address cannot be stored by mistake.
_SESSION = re.compile(r"[A-Za-z0-9_-]{8,64}")
_SPACES = re.compile(r"\s+")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    session      TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('search', 'ask')),
    text         TEXT    NOT NULL,
    norm         TEXT    NOT NULL,
    result_count INTEGER NOT NULL CHECK (result_count >= 0),
    top_practice TEXT,
    top_score    REAL,
    declined     INTEGER NOT NULL CHECK (declined IN (0, 1)),
    created      TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS events_session ON events (session, id);
CREATE INDEX IF NOT EXISTS events_norm ON events (norm);
CREATE TABLE IF NOT EXISTS feedback (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id     INTEGER NOT NULL REFERENCES events (id),
    session      TEXT    NOT NULL,
    practice_key TEXT    NOT NULL,
    practice_id  TEXT,
    helpful      INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    comment      TEXT    NOT NULL,
    created      TEXT    NOT NULL,
    UNIQUE (event_id, practice_key)
);
"""


def new_session_id() -> str:
    """A random, meaningless id for one visitor session (what the app passes as `session`)."""
    return secrets.token_urlsafe(16)


def normalise(text: str) -> str:
    """The form questions are counted by: NFKC, lower-case, spaces collapsed, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class FeedbackStore:
    """Questions, searches and feedback in one SQLite file; safe to share across threads."""

    def __init__(
        self,
        path: Path,
        *,
        busy_timeout: float = 5.0,
        max_pages: int | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        """Open (creating folder and schema if needed) the store at `path`.

        busy_timeout: seconds a write waits for another writer before "database busy".
        max_pages: optional cap on the file size in pages (4 KiB each); a write past it fails
            as "disk full" — a guard against a flood of submissions filling the disk.
        clock: returns the current time (UTC); tests pass a fixed one.
        """
        self.path = Path(path)
        self._clock = clock
        self._db = SQLiteFile(self.path, "the feedback database", busy_timeout=busy_timeout, max_pages=max_pages)
        self._db.create_schema(_SCHEMA, SCHEMA_VERSION)

    def _now(self) -> str:
        return utc_stamp(self._clock())

    # ------------------------------------------------------------------ writes

    def log_event(
        self,
        session: str,
        kind: str,
        text: str,
        result_count: int,
        top_practice: str | None,
        top_score: float | None,
        declined: bool,
    ) -> int:
        """Record one search or question; returns its event id (for later feedback)."""
        _check_session(session)
        if kind not in KINDS:
            raise StateError(f"Unknown event kind {kind!r}; expected one of {', '.join(KINDS)}.", "invalid")
        stored = clean_text(text, MAX_TEXT_CHARS)
        count = max(0, int(result_count))
        practice = clean_text(top_practice, MAX_ID_CHARS) or None if top_practice is not None else None
        score = None if top_score is None else float(top_score)
        if score is not None and score != score:  # NaN
            score = None
        with self._db.write() as con:
            cursor = con.execute(
                "INSERT INTO events (session, kind, text, norm, result_count, top_practice, top_score, declined, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (session, kind, stored, normalise(stored), count, practice, score, int(bool(declined)), self._now()),
            )
            return int(cursor.fetchone()[0])

    def add_feedback(
        self,
        session: str,
        event_id: int,
        helpful: bool,
        comment: str = "",
        practice_id: str | None = None,
    ) -> int:
        """Mark an event of this session (optionally one practice in it) helpful or not.

        Marking the same event and practice again replaces the earlier mark (a change of mind, or
        a page rerun, counts once). Returns the feedback id. Refuses events of other sessions.
        """
        _check_session(session)
        practice = clean_text(practice_id, MAX_ID_CHARS) or None if practice_id is not None else None
        note = clean_text(comment or "", MAX_COMMENT_CHARS, keep_newlines=True)
        with self._db.write() as con:
            row = con.execute("SELECT session FROM events WHERE id = ?", (int(event_id),)).fetchone()
            if row is None or row[0] != session:
                # the same message for "missing" and "someone else's": nothing leaks about other sessions
                raise StateError(
                    "This answer is not part of your session (it may have expired); search or ask again, then give feedback.",
                    "refused",
                )
            cursor = con.execute(
                "INSERT INTO feedback (event_id, session, practice_key, practice_id, helpful, comment, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (event_id, practice_key) DO UPDATE SET"
                " helpful = excluded.helpful, comment = excluded.comment, created = excluded.created"
                " RETURNING id",
                (int(event_id), session, practice or "", practice, int(bool(helpful)), note, self._now()),
            )
            return int(cursor.fetchone()[0])

    # ------------------------------------------------------------------ a visitor's own view

    def session_events(self, session: str, limit: int = 20) -> list[dict[str, Any]]:
        """This session's own latest events, newest first, each with its feedback (or None)."""
        _check_session(session)
        frame = self._db.frame(
            "SELECT e.id, e.kind, e.text, e.result_count, e.top_practice, e.top_score, e.declined, e.created,"
            " (SELECT f.helpful FROM feedback f WHERE f.event_id = e.id ORDER BY f.created DESC, f.id DESC LIMIT 1) AS helpful"
            " FROM events e WHERE e.session = ? ORDER BY e.id DESC LIMIT ?",
            (session, max(0, int(limit))),
        )
        rows: list[dict[str, Any]] = []
        for record in cast(list[dict[str, Any]], frame.to_dict("records")):
            record["declined"] = bool(record["declined"])
            record["helpful"] = None if pd.isna(record["helpful"]) else bool(record["helpful"])
            record["top_score"] = None if pd.isna(record["top_score"]) else float(record["top_score"])
            record["id"] = int(record["id"])
            record["result_count"] = int(record["result_count"])
            rows.append(record)
        return rows

    # ------------------------------------------------------------------ curator views

    def top_questions(self, limit: int = 20, kind: str | None = None) -> pd.DataFrame:
        """Most frequent questions/searches by normalised text.

        Columns: question (normalised), kind, count, last_asked (UTC, ISO text).
        """
        where, params = _kind_filter(kind)
        return self._db.frame(
            "SELECT norm AS question, kind, count(*) AS count, max(created) AS last_asked FROM events"
            f" WHERE norm != ''{where} GROUP BY norm, kind ORDER BY count DESC, last_asked DESC, question LIMIT ?",
            [*params, max(0, int(limit))],
        )

    def unanswered(self, limit: int = 50, min_score: float | None = None) -> pd.DataFrame:
        """The knowledge base's gaps: declined questions, searches with no results, and (when
        min_score is given) events whose best score was below it; most frequent first.

        Columns: question, kind, count, declined, no_results, best_score, last_asked.
        """
        low = " OR (top_score IS NOT NULL AND top_score < ?)" if min_score is not None else ""
        params: list[Any] = [float(min_score)] if min_score is not None else []
        return self._db.frame(
            "SELECT norm AS question, kind, count(*) AS count, sum(declined) AS declined,"
            " sum(result_count = 0) AS no_results, max(top_score) AS best_score, max(created) AS last_asked"
            f" FROM events WHERE norm != '' AND (declined = 1 OR result_count = 0{low})"
            " GROUP BY norm, kind ORDER BY count DESC, last_asked DESC, question LIMIT ?",
            [*params, max(0, int(limit))],
        )

    def feedback_by_practice(self) -> pd.DataFrame:
        """Marks per practice (the marked practice, else the event's top practice; "" when none).

        Columns: practice_id, helpful, not_helpful, comments; most marks first.
        """
        return self._db.frame(
            "SELECT COALESCE(f.practice_id, e.top_practice, '') AS practice_id,"
            " sum(f.helpful = 1) AS helpful, sum(f.helpful = 0) AS not_helpful, sum(f.comment != '') AS comments"
            " FROM feedback f JOIN events e ON e.id = f.event_id"
            " GROUP BY 1 ORDER BY (helpful + not_helpful) DESC, practice_id"
        )

    def weekly_trend(self) -> pd.DataFrame:
        """Events per ISO week and kind. Columns: week ("2024-W05"), kind, count, declined_share (0..1)."""
        raw = self._db.frame("SELECT kind, declined, created FROM events")
        columns = ["week", "kind", "count", "declined_share"]
        if raw.empty:
            return pd.DataFrame({"week": pd.Series(dtype=str), "kind": pd.Series(dtype=str),
                                 "count": pd.Series(dtype="int64"), "declined_share": pd.Series(dtype=float)})
        iso = pd.to_datetime(raw["created"], utc=True).dt.isocalendar()
        raw["week"] = iso["year"].astype(str) + "-W" + iso["week"].astype(int).map("{:02d}".format)
        grouped = raw.groupby(["week", "kind"], as_index=False).agg(count=("declined", "size"), declined_share=("declined", "mean"))
        grouped["count"] = grouped["count"].astype("int64")
        grouped["declined_share"] = grouped["declined_share"].astype(float)
        return grouped.sort_values(["week", "kind"]).reset_index(drop=True)[columns]

    def events_table(self) -> pd.DataFrame:
        """All events, without session ids. Columns: id, kind, text, result_count, top_practice,
        top_score, declined, created."""
        return self._db.frame(
            "SELECT id, kind, text, result_count, top_practice, top_score, declined, created FROM events ORDER BY id"
        )

    def feedback_table(self) -> pd.DataFrame:
        """All feedback, without session ids. Columns: id, event_id, kind, question, practice_id,
        helpful, comment, created."""
        return self._db.frame(
            "SELECT f.id, f.event_id, e.kind, e.text AS question, COALESCE(f.practice_id, e.top_practice) AS practice_id,"
            " f.helpful, f.comment, f.created FROM feedback f JOIN events e ON e.id = f.event_id ORDER BY f.id"
        )

    def comments(self, limit: int = 200) -> pd.DataFrame:
        """The comments people left, newest first, without session ids. Columns: practice_id,
        helpful, comment, kind, question, created."""
        return self._db.frame(
            "SELECT COALESCE(f.practice_id, e.top_practice, '') AS practice_id, f.helpful, f.comment, e.kind, e.text AS question,"
            " f.created FROM feedback f JOIN events e ON e.id = f.event_id WHERE f.comment != '' ORDER BY f.created DESC, f.id DESC LIMIT ?",
            (max(0, int(limit)),),
        )

    def export_csv(self, table: str) -> bytes:
        """One of EXPORTS as UTF-8 CSV whose cells cannot run as spreadsheet formulas."""
        views: dict[str, Callable[[], pd.DataFrame]] = {
            "events": self.events_table,
            "feedback": self.feedback_table,
            "top_questions": lambda: self.top_questions(limit=10_000),
            "unanswered": lambda: self.unanswered(limit=10_000),
            "feedback_by_practice": self.feedback_by_practice,
            "weekly_trend": self.weekly_trend,
            "comments": lambda: self.comments(limit=100_000),
        }
        if table not in views:
            raise StateError(f"Unknown export {table!r}; choose one of {', '.join(EXPORTS)}.", "invalid")
        return safe_csv(views[table]())


def _check_session(session: str) -> None:
    if not isinstance(session, str) or not _SESSION.fullmatch(session):
        raise StateError(
            "The session id must be a random token of 8–64 letters, digits, '-' or '_' (use new_session_id()).",
            "invalid",
        )


def _kind_filter(kind: str | None) -> tuple[str, list[Any]]:
    if kind is None:
        return "", []
    if kind not in KINDS:
        raise StateError(f"Unknown event kind {kind!r}; expected one of {', '.join(KINDS)}.", "invalid")
    return " AND kind = ?", [kind]
