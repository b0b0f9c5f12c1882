"""What people ask, and what they think of the answers: a small store in the state database.

Questions and searches (the text, a random per-session id, UTC timestamps, result counts; no IP
address, no user agent, nothing else about the person) and helpful / not helpful marks with an
optional comment. Curators read aggregates as DataFrames and export them as formula-safe CSV.

Why it is built this way:
- rujukan.database: an SQLite file in the state folder, or PostgreSQL shared by replicas; one
  short-lived connection (or pooled one) per operation, so any Streamlit thread can use one
  FeedbackStore object, and every write is one transaction (a crash leaves the old or the new state);
- a visitor's session sees only its own events, and can mark only its own events;
- every database or file failure becomes a StateError that says what to do (busy, disk full,
  corrupt file: move it aside, server unreachable), never a traceback on a page.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

import pandas as pd
import sqlalchemy as sa

from .database import Database, Target
from .errors import StateError
from .formats import clean_text, safe_csv, utc_stamp

#: The store's Alembic branch (rujukan/migrations), and what a file made before Alembic was at.
BRANCH = "feedback"
LEGACY = {1: "feedback_0001"}
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

# The tables as this code reads them; their history is in rujukan/migrations/versions/feedback_*.
_meta = sa.MetaData()
events = sa.Table(
    "events", _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("session", sa.Text), sa.Column("kind", sa.Text), sa.Column("text", sa.Text), sa.Column("norm", sa.Text),
    sa.Column("result_count", sa.Integer), sa.Column("top_practice", sa.Text), sa.Column("top_score", sa.Float),
    sa.Column("declined", sa.Integer), sa.Column("created", sa.Text),
)
feedback = sa.Table(
    "feedback", _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("event_id", sa.Integer), sa.Column("session", sa.Text), sa.Column("practice_key", sa.Text),
    sa.Column("practice_id", sa.Text), sa.Column("helpful", sa.Integer), sa.Column("comment", sa.Text), sa.Column("created", sa.Text),
)


def _count(condition: Any) -> Any:
    """How many rows meet a condition (portable: PostgreSQL cannot sum booleans)."""
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def new_session_id() -> str:
    """A random, meaningless id for one visitor session (what the app passes as `session`)."""
    return secrets.token_urlsafe(16)


def normalise(text: str) -> str:
    """The form questions are counted by: NFKC, lower-case, spaces collapsed, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class FeedbackStore:
    """Questions, searches and feedback in the state database; safe to share across threads."""

    def __init__(
        self,
        target: Target,
        *,
        busy_timeout: float = 5.0,
        max_pages: int | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        """Open (creating folder and tables, or carrying them forward) the store at `target`: an
        SQLite file, or a PostgreSQL URL.

        busy_timeout: seconds a write waits for another writer before "database busy".
        max_pages: SQLite only: optional cap on the file size in pages (4 KiB each); a write past
            it fails as "disk full" — a guard against a flood of submissions filling the disk.
        clock: returns the current time (UTC); tests pass a fixed one.
        """
        self._clock = clock
        self._db = Database(target, "the feedback database", busy_timeout=busy_timeout, max_pages=max_pages)
        self._db.upgrade(BRANCH, LEGACY)

    @property
    def database(self) -> Database:
        return self._db

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
        row = {"session": session, "kind": kind, "text": stored, "norm": normalise(stored), "result_count": count,
               "top_practice": practice, "top_score": score, "declined": int(bool(declined)), "created": self._now()}
        with self._db.write() as con:
            return int(con.execute(sa.insert(events).values(row).returning(events.c.id)).scalar_one())

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
            owner = con.execute(sa.select(events.c.session).where(events.c.id == int(event_id))).scalar()
            if owner != session:
                # the same message for "missing" and "someone else's": nothing leaks about other sessions
                raise StateError(
                    "This answer is not part of your session (it may have expired); search or ask again, then give feedback.",
                    "refused",
                )
            mark = self._db.insert(feedback).values(event_id=int(event_id), session=session, practice_key=practice or "",
                                                     practice_id=practice, helpful=int(bool(helpful)), comment=note, created=self._now())
            mark = mark.on_conflict_do_update(index_elements=["event_id", "practice_key"], set_={
                "helpful": mark.excluded.helpful, "comment": mark.excluded.comment, "created": mark.excluded.created})
            return int(con.execute(mark.returning(feedback.c.id)).scalar_one())

    # ------------------------------------------------------------------ a visitor's own view

    def session_events(self, session: str, limit: int = 20) -> list[dict[str, Any]]:
        """This session's own latest events, newest first, each with its feedback (or None)."""
        _check_session(session)
        latest_mark = (sa.select(feedback.c.helpful).where(feedback.c.event_id == events.c.id)
                       .order_by(feedback.c.created.desc(), feedback.c.id.desc()).limit(1).scalar_subquery())
        frame = self._db.frame(
            sa.select(events.c.id, events.c.kind, events.c.text, events.c.result_count, events.c.top_practice, events.c.top_score,
                      events.c.declined, events.c.created, latest_mark.label("helpful"))
            .where(events.c.session == session).order_by(events.c.id.desc()).limit(max(0, int(limit)))
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
        count, last = sa.func.count().label("count"), sa.func.max(events.c.created).label("last_asked")
        query = sa.select(events.c.norm.label("question"), events.c.kind, count, last).where(events.c.norm != "")
        if kind is not None:
            query = query.where(events.c.kind == _check_kind(kind))
        return self._db.frame(query.group_by(events.c.norm, events.c.kind)
                              .order_by(count.desc(), last.desc(), events.c.norm).limit(max(0, int(limit))))

    def unanswered(self, limit: int = 50, min_score: float | None = None) -> pd.DataFrame:
        """The knowledge base's gaps: declined questions, searches with no results, and (when
        min_score is given) events whose best score was below it; most frequent first.

        Columns: question, kind, count, declined, no_results, best_score, last_asked.
        """
        gap = sa.or_(events.c.declined == 1, events.c.result_count == 0)
        if min_score is not None:
            gap = sa.or_(gap, sa.and_(events.c.top_score.is_not(None), events.c.top_score < float(min_score)))
        count, last = sa.func.count().label("count"), sa.func.max(events.c.created).label("last_asked")
        return self._db.frame(
            sa.select(events.c.norm.label("question"), events.c.kind, count, _count(events.c.declined == 1).label("declined"),
                      _count(events.c.result_count == 0).label("no_results"), sa.func.max(events.c.top_score).label("best_score"), last)
            .where(events.c.norm != "", gap).group_by(events.c.norm, events.c.kind)
            .order_by(count.desc(), last.desc(), events.c.norm).limit(max(0, int(limit)))
        )

    def feedback_by_practice(self) -> pd.DataFrame:
        """Marks per practice (the marked practice, else the event's top practice; "" when none).

        Columns: practice_id, helpful, not_helpful, comments; most marks first.
        """
        practice = sa.func.coalesce(feedback.c.practice_id, events.c.top_practice, "")
        helpful, not_helpful = _count(feedback.c.helpful == 1), _count(feedback.c.helpful == 0)
        return self._db.frame(
            sa.select(practice.label("practice_id"), helpful.label("helpful"), not_helpful.label("not_helpful"),
                      _count(feedback.c.comment != "").label("comments"))
            .select_from(feedback.join(events, events.c.id == feedback.c.event_id))
            .group_by(practice).order_by((helpful + not_helpful).desc(), practice)
        )

    def weekly_trend(self) -> pd.DataFrame:
        """Events per ISO week and kind. Columns: week ("2024-W05"), kind, count, declined_share (0..1)."""
        raw = self._db.frame(sa.select(events.c.kind, events.c.declined, events.c.created))
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
        e = events.c
        return self._db.frame(sa.select(e.id, e.kind, e.text, e.result_count, e.top_practice, e.top_score, e.declined, e.created)
                              .order_by(e.id))

    def feedback_table(self) -> pd.DataFrame:
        """All feedback, without session ids. Columns: id, event_id, kind, question, practice_id,
        helpful, comment, created."""
        f, e = feedback.c, events.c
        return self._db.frame(
            sa.select(f.id, f.event_id, e.kind, e.text.label("question"), sa.func.coalesce(f.practice_id, e.top_practice).label("practice_id"),
                      f.helpful, f.comment, f.created)
            .select_from(feedback.join(events, e.id == f.event_id)).order_by(f.id)
        )

    def comments(self, limit: int = 200) -> pd.DataFrame:
        """The comments people left, newest first, without session ids. Columns: practice_id,
        helpful, comment, kind, question, created."""
        f, e = feedback.c, events.c
        return self._db.frame(
            sa.select(sa.func.coalesce(f.practice_id, e.top_practice, "").label("practice_id"), f.helpful, f.comment, e.kind,
                      e.text.label("question"), f.created)
            .select_from(feedback.join(events, e.id == f.event_id)).where(f.comment != "")
            .order_by(f.created.desc(), f.id.desc()).limit(max(0, int(limit)))
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


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise StateError(f"Unknown event kind {kind!r}; expected one of {', '.join(KINDS)}.", "invalid")
    return kind
