"""The feedback store on a real SQLite file and on a real PostgreSQL (`state_target` runs a test on
both): privacy between sessions, curator views, CSV safety, concurrency, crash safety (a writer
dying mid-transaction, kill -9 of writers), schema revisions (a file made before Alembic, a
database made by a newer Rujukan), and, on SQLite files, WAL, the messages for a busy database, a
full disk and a broken file."""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import random
import resource
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from rujukan.config import REPO_ROOT, Settings
from rujukan.errors import RujukanError, StateError
from rujukan.feedback import FeedbackStore, events, new_session_id, normalise

from conftest import legacy_sqlite_file

A = "session-aaaaaaaa"
B = "session-bbbbbbbb"


class Clock:
    """A settable UTC clock, so weekly grouping is tested on known dates."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def path(tmp_path) -> Path:
    """The store's file, for the tests that are about SQLite files themselves."""
    return tmp_path / "state" / "rujukan.sqlite3"


@pytest.fixture
def store(state_target) -> Iterator[FeedbackStore]:
    opened = FeedbackStore(state_target)
    yield opened
    opened.database.dispose()


def _url(target: Path | str) -> str:
    return f"sqlite:///{target}" if isinstance(target, Path) else str(target)


@contextmanager
def connect(target: Path | str) -> Iterator[sa.Connection]:
    """A plain SQLAlchemy connection beside the store (not through rujukan.database), one transaction."""
    engine = sa.create_engine(_url(target), poolclass=NullPool)
    try:
        with engine.begin() as con:
            yield con
    finally:
        engine.dispose()


def count_rows(target: Path | str, table: str = "events") -> int:
    with connect(target) as con:
        return int(con.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


def revisions_in(target: Path | str) -> list[str]:
    with connect(target) as con:
        return sorted(con.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())


def table_names(target: Path | str) -> set[str]:
    with connect(target) as con:
        return set(sa.inspect(con).get_table_names())


def test_creates_folder_and_uses_wal(path):
    FeedbackStore(path)
    assert path.exists()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_new_database_is_at_the_alembic_revision(state_target):
    FeedbackStore(state_target)
    assert revisions_in(state_target) == ["feedback_0001"]
    assert table_names(state_target) == {"alembic_version", "events", "feedback"}  # no schema_version in a new database
    FeedbackStore(state_target).log_event(A, "search", "lagi", 1, None, None, False)  # opening again keeps one revision row
    assert revisions_in(state_target) == ["feedback_0001"]
    assert count_rows(state_target) == 1


def test_default_path_is_in_the_state_folder(tmp_path):
    settings = Settings.from_env({"RUJUKAN_DATA_DIR": str(tmp_path)})
    assert settings.feedback_db == tmp_path / "state" / "rujukan.sqlite3"
    url = "postgresql+psycopg://rujukan@db.example:5432/rujukan"
    assert Settings.from_env({"RUJUKAN_DATA_DIR": str(tmp_path), "RUJUKAN_DATABASE_URL": url}).feedback_db == url


def test_round_trip(store):
    event = store.log_event(A, "ask", "Bagaimana  Kediri membangun Command Center?", 3, "kediri-command-center", 0.87, False)
    feedback = store.add_feedback(A, event, True, "Jelas, terima kasih", practice_id="kediri-command-center")
    assert isinstance(event, int) and isinstance(feedback, int)
    [row] = store.session_events(A)
    assert row["id"] == event
    assert row["kind"] == "ask"
    assert row["text"] == "Bagaimana  Kediri membangun Command Center?"  # stored verbatim
    assert row["result_count"] == 3
    assert row["top_practice"] == "kediri-command-center"
    assert row["top_score"] == pytest.approx(0.87)
    assert row["declined"] is False
    assert row["helpful"] is True
    assert row["created"].endswith("Z")


def test_a_session_sees_only_its_own_events(store):
    mine = [store.log_event(A, "search", f"cctv {i}", 1, None, None, False) for i in range(3)]
    store.log_event(B, "ask", "rahasia orang lain", 0, None, None, True)
    rows = store.session_events(A)
    assert [r["id"] for r in rows] == mine[::-1]  # newest first
    assert all("rahasia" not in r["text"] for r in rows)
    assert [r["text"] for r in store.session_events(B)] == ["rahasia orang lain"]
    assert len(store.session_events(A, limit=2)) == 2


def test_feedback_on_another_sessions_event_is_refused(store, state_target):
    theirs = store.log_event(B, "ask", "pertanyaan B", 2, "p1", 0.9, False)
    with pytest.raises(StateError) as caught:
        store.add_feedback(A, theirs, False, "spam")
    assert caught.value.reason == "refused"
    with pytest.raises(StateError) as missing:
        store.add_feedback(A, 999_999, True)  # an event that does not exist reads the same
    assert str(missing.value) == str(caught.value)
    assert count_rows(state_target, "feedback") == 0


def test_marking_again_replaces_the_earlier_mark(store, state_target):
    event = store.log_event(A, "search", "sampah", 2, "p1", 0.8, False)
    first = store.add_feedback(A, event, True)
    second = store.add_feedback(A, event, False, "ternyata kurang")
    assert first == second
    assert store.feedback_by_practice().to_dict("records") == [
        {"practice_id": "p1", "helpful": 0, "not_helpful": 1, "comments": 1}
    ]
    assert count_rows(state_target, "feedback") == 1
    assert store.session_events(A)[0]["helpful"] is False


@pytest.mark.parametrize("session", ["", "short", "192.168.1.20", "::1", "a" * 65, "Mozilla/5.0 (X11)"])
def test_session_ids_that_could_be_personal_data_are_refused(store, state_target, session):
    with pytest.raises(StateError):
        store.log_event(session, "search", "x", 0, None, None, False)
    assert count_rows(state_target) == 0


def test_new_session_ids_are_random_and_accepted(store):
    one, two = new_session_id(), new_session_id()
    assert one != two
    event = store.log_event(one, "search", "x", 0, None, None, False)
    assert [r["id"] for r in store.session_events(one)] == [event]


def test_text_is_cleaned_and_capped(store, state_target):
    event = store.log_event(A, "ask", "a\x00b\x1b[31mc\u202edef\n" + "x" * 5000, 0, None, None, True)
    comment = "baris satu\nbaris dua\x07" + "y" * 5000
    store.add_feedback(A, event, False, comment)
    [row] = store.session_events(A)
    assert row["text"].startswith("ab [31mcdef ")
    assert len(row["text"]) == 1000
    with connect(state_target) as con:
        stored = con.execute(sa.text("SELECT comment FROM feedback")).scalar_one()
    assert stored.startswith("baris satu\nbaris dua ")
    assert len(stored) == 2000


def test_unknown_kind_is_refused(store, state_target):
    with pytest.raises(StateError):
        store.log_event(A, "upload", "x", 0, None, None, False)
    assert count_rows(state_target) == 0


def test_normalise():
    assert normalise("  Apa   ITU\tSmart  City? ") == "apa itu smart city?"


def test_curator_views_on_a_known_set(state_target):
    clock = Clock(datetime(2024, 1, 1, 9, 0, tzinfo=UTC))  # Monday of ISO week 2024-W01
    store = FeedbackStore(state_target, clock=clock)
    ids = {}

    def log(when: datetime, session, kind, text, count, top, score, declined):
        clock.moment = when
        return store.log_event(session, kind, text, count, top, score, declined)

    w1 = datetime(2024, 1, 2, 10, tzinfo=UTC)
    w2 = datetime(2024, 1, 9, 10, tzinfo=UTC)
    ids["cc1"] = log(w1, A, "ask", "Apa itu Command Center?", 3, "kediri-cc", 0.90, False)
    ids["cc2"] = log(w1, B, "ask", "apa  itu command   center?", 3, "kediri-cc", 0.91, False)
    ids["cc3"] = log(w2, A, "ask", "APA ITU COMMAND CENTER?", 3, "kediri-cc", 0.92, False)
    ids["pajak1"] = log(w1, A, "ask", "Berapa pajak hotel di Tegal?", 1, "kediri-pajak", 0.70, True)
    ids["pajak2"] = log(w2, B, "ask", "berapa pajak hotel di tegal?", 1, "kediri-pajak", 0.71, True)
    ids["drone"] = log(w2, A, "search", "drone pertanian", 0, None, None, False)
    ids["lapor"] = log(w2, B, "search", "lapor", 4, "kediri-lapor", 0.60, False)
    ids["wifi"] = log(w2, B, "search", "wifi", 5, "kediri-wifi", 0.95, False)

    top = store.top_questions()
    assert list(top.columns) == ["question", "kind", "count", "last_asked"]
    assert top.iloc[0].to_dict() == {"question": "apa itu command center?", "kind": "ask", "count": 3, "last_asked": "2024-01-09T10:00:00Z"}
    assert top.iloc[1][["question", "count"]].tolist() == ["berapa pajak hotel di tegal?", 2]
    assert len(top) == 5
    assert set(store.top_questions(kind="search")["question"]) == {"drone pertanian", "lapor", "wifi"}
    assert len(store.top_questions(limit=2)) == 2

    gaps = store.unanswered()
    assert list(gaps.columns) == ["question", "kind", "count", "declined", "no_results", "best_score", "last_asked"]
    assert gaps[["question", "count", "declined", "no_results"]].values.tolist() == [
        ["berapa pajak hotel di tegal?", 2, 2, 0],
        ["drone pertanian", 1, 0, 1],
    ]
    with_low = store.unanswered(min_score=0.65)
    assert with_low["question"].tolist() == ["berapa pajak hotel di tegal?", "drone pertanian", "lapor"]  # ties: newest, then a-z

    store.add_feedback(A, ids["cc1"], True, "bagus")
    store.add_feedback(B, ids["cc2"], True)
    store.add_feedback(A, ids["cc3"], False, "kurang rinci")
    store.add_feedback(A, ids["pajak1"], False)
    store.add_feedback(B, ids["wifi"], True, practice_id="kediri-wifi")
    store.add_feedback(B, ids["wifi"], False, "yang kedua salah", practice_id="kediri-lapor")
    store.add_feedback(A, ids["drone"], False, "tidak ada hasil")
    by_practice = store.feedback_by_practice()
    assert list(by_practice.columns) == ["practice_id", "helpful", "not_helpful", "comments"]
    assert by_practice.to_dict("records") == [
        {"practice_id": "kediri-cc", "helpful": 2, "not_helpful": 1, "comments": 2},
        {"practice_id": "", "helpful": 0, "not_helpful": 1, "comments": 1},
        {"practice_id": "kediri-lapor", "helpful": 0, "not_helpful": 1, "comments": 1},
        {"practice_id": "kediri-pajak", "helpful": 0, "not_helpful": 1, "comments": 0},
        {"practice_id": "kediri-wifi", "helpful": 1, "not_helpful": 0, "comments": 0},
    ]

    trend = store.weekly_trend()
    assert list(trend.columns) == ["week", "kind", "count", "declined_share"]
    assert trend[["week", "kind", "count"]].values.tolist() == [
        ["2024-W01", "ask", 3],
        ["2024-W02", "ask", 2],
        ["2024-W02", "search", 3],
    ]
    assert trend["declined_share"].tolist() == pytest.approx([1 / 3, 0.5, 0.0])
    store.database.dispose()


def test_iso_week_at_the_year_boundary(state_target):
    clock = Clock(datetime(2020, 12, 31, 23, 30, tzinfo=UTC))  # ISO 2020-W53
    store = FeedbackStore(state_target, clock=clock)
    store.log_event(A, "search", "x", 1, None, None, False)
    clock.moment = datetime(2021, 1, 3, 12, tzinfo=UTC)  # still 2020-W53
    store.log_event(A, "search", "y", 1, None, None, False)
    clock.moment = datetime(2021, 1, 4, 0, 0, tzinfo=timezone(timedelta(hours=7)))  # WIB; = 3 Jan 17:00 UTC
    store.log_event(A, "search", "z", 1, None, None, False)
    assert store.weekly_trend()[["week", "count"]].values.tolist() == [["2020-W53", 3]]
    clock.moment = datetime(2021, 1, 4, 0, 0, tzinfo=UTC)  # Monday: 2021-W01
    store.log_event(A, "search", "w", 1, None, None, False)
    assert store.weekly_trend()[["week", "count"]].values.tolist() == [["2020-W53", 3], ["2021-W01", 1]]
    store.database.dispose()


def test_empty_store_gives_empty_frames_with_columns(store):
    assert store.top_questions().empty and list(store.top_questions().columns) == ["question", "kind", "count", "last_asked"]
    gaps = store.unanswered()
    assert gaps.empty and list(gaps.columns) == ["question", "kind", "count", "declined", "no_results", "best_score", "last_asked"]
    by_practice = store.feedback_by_practice()
    assert by_practice.empty and list(by_practice.columns) == ["practice_id", "helpful", "not_helpful", "comments"]
    trend = store.weekly_trend()
    assert trend.empty and list(trend.columns) == ["week", "kind", "count", "declined_share"]
    assert store.session_events(A) == []
    assert store.export_csv("weekly_trend").startswith(b"week,kind,count,declined_share")


DANGEROUS = ["=cmd|' /C calc'!A0", "+1", "-1", "@x"]


@pytest.mark.parametrize("table", ["events", "top_questions", "unanswered", "feedback"])
def test_csv_export_neutralises_formulas(store, table):
    for text in DANGEROUS:
        event = store.log_event(A, "ask", text, 0, None, None, True)
        store.add_feedback(A, event, False, "=HYPERLINK(\"http://x\")")
    rows = list(csv.DictReader(io.StringIO(store.export_csv(table).decode("utf-8"))))
    column = "question" if "question" in rows[0] else "text"
    cells = {row[column] for row in rows}
    expected = DANGEROUS if table in ("events", "feedback") else [normalise(t) for t in DANGEROUS]  # views count lower-cased text
    assert cells == {"'" + text for text in expected}
    if table == "feedback":
        assert {row["comment"] for row in rows} == {"'=HYPERLINK(\"http://x\")"}
        assert "session" not in rows[0]
    if table == "events":
        assert "session" not in rows[0]
        assert {row["result_count"] for row in rows} == {"0"}  # numbers stay numbers


def test_export_of_an_unknown_table_is_refused(store):
    with pytest.raises(StateError):
        store.export_csv("sqlite_master")


def test_injection_like_text_is_stored_verbatim(store, state_target):
    text = "'; DROP TABLE events; --"
    event = store.log_event(A, "search", text, 0, None, None, False)
    store.add_feedback(A, event, False, "\"); DELETE FROM feedback; --", practice_id="x'); DROP TABLE feedback; --")
    assert store.session_events(A)[0]["text"] == text
    assert {"events", "feedback", "alembic_version"} <= table_names(state_target)
    assert count_rows(state_target) == 1 and count_rows(state_target, "feedback") == 1
    with connect(state_target) as con:
        assert con.execute(sa.text("SELECT text FROM events")).scalar_one() == text
        assert con.execute(sa.text("SELECT comment FROM feedback")).scalar_one() == "\"); DELETE FROM feedback; --"
    assert store.feedback_by_practice()["practice_id"].tolist() == ["x'); DROP TABLE feedback; --"]


def test_concurrent_sessions_in_threads(state_target):
    store = FeedbackStore(state_target)  # one object shared by all threads, as the app does
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def visitor(n: int) -> None:
        session = f"thread-session-{n:02d}"
        try:
            start.wait()
            for i in range(50):
                event = store.log_event(session, "search", f"pertanyaan {n} {i}", i % 3, None, None, i % 5 == 0)
                if i % 10 == 0:
                    store.add_feedback(session, event, bool(i % 20))
                    assert store.session_events(session, limit=1)[0]["id"] == event
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count_rows(state_target) == 400
    assert store.top_questions(limit=1000)["count"].sum() == 400
    assert store.feedback_by_practice()[["helpful", "not_helpful"]].to_numpy().sum() == 40
    for n in range(8):
        rows = store.session_events(f"thread-session-{n:02d}", limit=100)
        assert len(rows) == 50 and all(e["text"].startswith(f"pertanyaan {n} ") for e in rows)
    store.database.dispose()


# ------------------------------------------------------------------ crashes


def _die_mid_transaction(target: str, through_store: bool, report) -> None:
    """Child process: open a write transaction, write a lot (500 new rows, the old ones deleted),
    report how many rows the transaction sees, and die before COMMIT."""
    sqlite = "://" not in target
    if through_store:
        store = FeedbackStore(target)
        with store.database.write() as con:  # the store's own transaction path
            if sqlite:
                con.exec_driver_sql("PRAGMA cache_size = 1")  # spill pages into the WAL before dying
            for i in range(500):
                con.execute(sa.insert(events).values(session="child-session", kind="ask", text="x" * 900 + str(i), norm="x",
                                                     result_count=0, declined=0, created="2024-01-01T00:00:00Z"))
            con.execute(sa.delete(events).where(events.c.session != "child-session"))
            report.send(con.execute(sa.text("SELECT count(*) FROM events")).scalar_one())
            os._exit(0)
    if sqlite:
        raw = sqlite3.connect(target, isolation_level=None)
        raw.execute("PRAGMA cache_size = 1")
        raw.execute("BEGIN IMMEDIATE")
        mark = "?"
    else:
        import psycopg

        raw = psycopg.connect(target.replace("postgresql+psycopg://", "postgresql://"))  # a transaction begins by itself
        mark = "%s"
    for i in range(500):
        raw.execute("INSERT INTO events (session, kind, text, norm, result_count, declined, created)"
                    f" VALUES ('child-session', 'ask', {mark}, {mark}, 0, 0, '2024-01-01T00:00:00Z')", ("x" * 900 + str(i), "x"))
    raw.execute("DELETE FROM events WHERE session != 'child-session'")
    report.send(raw.execute("SELECT count(*) FROM events").fetchone()[0])
    os._exit(0)


@pytest.mark.parametrize("through_store", [False, True], ids=["raw-connection", "store-transaction"])
def test_a_writer_killed_mid_transaction_leaves_the_old_data(state_target, through_store):
    store = FeedbackStore(state_target)
    for i in range(5):
        store.log_event(A, "ask", f"lama {i}", 1, "p", 0.9, False)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_die_mid_transaction, args=(str(state_target), through_store, send))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert receive.poll(5) and receive.recv() == 500  # the child really wrote, inside its transaction
    if isinstance(state_target, Path):
        assert state_target.with_name(state_target.name + "-wal").stat().st_size > 500 * 900  # and spilled its pages to the file
    assert count_rows(state_target) == 5
    assert [r["text"] for r in store.session_events(A)] == [f"lama {i}" for i in reversed(range(5))]
    store.log_event(A, "ask", "baru", 1, None, None, False)  # and the lock is gone
    assert count_rows(state_target) == 6
    if isinstance(state_target, Path):
        with sqlite3.connect(state_target) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.database.dispose()


#: A writer as the app is one: a process of its own that opens the store and commits events and
#: their marks one by one, printing each id once its transaction has committed.
_WRITER = """
import sys
from rujukan.feedback import FeedbackStore

target, trial = sys.argv[1], int(sys.argv[2])
store = FeedbackStore(target)
session = f"kill-session-{trial:04d}"
print("ready", flush=True)
n = 0
while True:
    event = store.log_event(session, "ask", f"kill {trial} {n} " + "x" * 600, n, "p-kill", 0.5, False)
    print("event", event, n, flush=True)
    mark = store.add_feedback(session, event, n % 2 == 0, f"mark {trial} {n} " + "y" * 600)
    print("mark", event, mark, flush=True)
    n += 1
"""
KILL_TRIALS = 24


def _read_until(proc: subprocess.Popen, marker: bytes, timeout: float, log: Path) -> bytes:
    data, deadline = b"", time.monotonic() + timeout
    while marker not in data:
        left = deadline - time.monotonic()
        readable, _, _ = select.select([proc.stdout], [], [], max(0.0, left))
        chunk = os.read(proc.stdout.fileno(), 65536) if readable else b""
        if not chunk:
            proc.kill()
            proc.wait()
            raise AssertionError(f"the writer did not start: {data!r} {log.read_text(errors='replace')[-2000:]}")
        data += chunk
    return data


def test_kill_9_of_writers_loses_no_committed_row(state_target, tmp_path):
    """Each trial starts a writer process and SIGKILLs it at a random moment: every event and mark
    it reported committed is stored, no row is partial (each event and mark is whole, and the
    writer's events are its first n, in order), and the store opens and works afterwards."""
    FeedbackStore(state_target).database.dispose()
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    reported = lost = unreported = empty = written = 0
    problems: list[str] = []
    started = time.monotonic()
    for trial in range(KILL_TRIALS):
        session = f"kill-session-{trial:04d}"
        log = tmp_path / f"writer-{trial}.log"
        with open(log, "wb") as errors:
            proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(state_target), str(trial)], cwd=REPO_ROOT,
                                    stdout=subprocess.PIPE, stderr=errors, bufsize=0)
        output = _read_until(proc, b"ready\n", 60, log)
        time.sleep(rng.uniform(0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        output += proc.stdout.read()
        proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL, f"the writer ended by itself: {log.read_text(errors='replace')[-2000:]}"
        lines = [line.split() for line in output.decode().split("\n")[:-1]]  # the last piece is cut off (or empty)
        said_events = {int(w[1]): int(w[2]) for w in lines if w[0] == "event"}
        said_marks = {int(w[2]): int(w[1]) for w in lines if w[0] == "mark"}
        with connect(state_target) as con:
            stored = con.execute(sa.text("SELECT id, text, norm, result_count, top_practice, top_score, declined, created FROM events "
                                         "WHERE session = :s ORDER BY id"), {"s": session}).all()
            marks = con.execute(sa.text("SELECT id, event_id, helpful, comment, practice_key FROM feedback WHERE session = :s ORDER BY id"),
                                {"s": session}).all()
        ids = {row.id: row.result_count for row in stored}
        mark_ids = {row.id: row.event_id for row in marks}
        lost += sum(1 for e, n in said_events.items() if ids.get(e) != n) + sum(1 for f, e in said_marks.items() if mark_ids.get(f) != e)
        reported += len(said_events) + len(said_marks)
        unreported += sum(1 for row in stored if row.id not in said_events) + sum(1 for row in marks if row.id not in said_marks)
        empty += not stored
        written += len(stored)
        for row in stored:
            whole = (row.text == f"kill {trial} {row.result_count} " + "x" * 600 and row.norm == normalise(row.text)
                     and row.top_practice == "p-kill" and row.top_score == 0.5 and row.declined == 0 and row.created.endswith("Z"))
            if not whole:
                problems.append(f"trial {trial}: partial event {tuple(row)!r:.200}")
        if [row.result_count for row in stored] != list(range(len(stored))) or len(stored) - len(said_events) not in (0, 1):
            problems.append(f"trial {trial}: events {[row.result_count for row in stored]} after {len(said_events)} reported")
        for row in marks:
            n = ids.get(row.event_id)
            if n is None or row.comment != f"mark {trial} {n} " + "y" * 600 or row.helpful != int(n % 2 == 0) or row.practice_key != "":
                problems.append(f"trial {trial}: partial mark {tuple(row)!r:.200}")
        if [row.event_id for row in marks] != [row.id for row in stored[:len(marks)]] or len(marks) - len(said_marks) not in (0, 1):
            problems.append(f"trial {trial}: marks on {[row.event_id for row in marks]} after {len(said_marks)} reported")
        after = FeedbackStore(state_target)  # the database opens after the kill, and takes a write
        check = after.log_event(A, "search", f"after kill {trial}", 1, None, None, False)
        if after.session_events(A, limit=1)[0]["id"] != check:
            problems.append(f"trial {trial}: the store did not work after the kill")
        after.database.dispose()
    seconds = time.monotonic() - started
    kind = "sqlite" if isinstance(state_target, Path) else "postgresql"
    print(f"\nkill -9 ({kind}, seed {seed}): {KILL_TRIALS} trials in {seconds:.1f} s, {reported} rows reported committed, "
          f"{lost} lost, {unreported} committed but not yet reported, {empty} trials killed before a first commit")
    assert lost == 0
    assert problems == []
    assert reported > KILL_TRIALS  # the writers did commit rows before being killed
    assert count_rows(state_target) == written + KILL_TRIALS  # the writers' events and the checks, nothing else
    if isinstance(state_target, Path):
        with sqlite3.connect(state_target) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"



def test_a_postgresql_outage_says_unreachable_and_the_store_recovers(postgres):
    """The server stops abruptly (as a crash or an outage): saving, reading and opening say it
    cannot be reached, naming host and port; once it is back the same store works by itself."""
    url = postgres.new_database()
    store = FeedbackStore(url)
    store.log_event(A, "ask", "sebelum", 1, None, None, False)
    postgres.stop("immediate")
    try:
        for call in (lambda: store.log_event(A, "ask", "selama", 1, None, None, False), store.top_questions, lambda: FeedbackStore(url)):
            started = time.monotonic()
            with pytest.raises(StateError) as caught:
                call()
            assert caught.value.reason == "unreachable"
            assert f"127.0.0.1:{postgres.port}" in str(caught.value) and "cannot be reached" in str(caught.value)
            assert time.monotonic() - started < 10
    finally:
        postgres.start()
    store.log_event(A, "ask", "sesudah", 1, None, None, False)
    assert [r["text"] for r in store.session_events(A)] == ["sesudah", "sebelum"]
    store.database.dispose()


# ------------------------------------------------------------------ schema revisions

#: The tables as Rujukan made them before Alembic (git history: rujukan/feedback.py, SCHEMA_VERSION 1).
OLD_SCHEMA = """
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


def make_old_file(path: Path) -> None:
    """A file as the code before Alembic left it, holding two events and a mark."""
    legacy_sqlite_file(path, OLD_SCHEMA, [
        ("INSERT INTO events (session, kind, text, norm, result_count, top_practice, top_score, declined, created) VALUES "
         "(?, 'ask', 'Apa itu Command Center?', 'apa itu command center?', 3, 'kediri-cc', 0.9, 0, '2024-01-02T10:00:00Z'), "
         "(?, 'search', 'drone', 'drone', 0, NULL, NULL, 0, '2024-01-03T10:00:00Z')", (A, A)),
        ("INSERT INTO feedback (event_id, session, practice_key, practice_id, helpful, comment, created) "
         "VALUES (1, ?, '', NULL, 1, 'bagus', '2024-01-02T10:01:00Z')", (A,)),
    ])


def test_a_file_made_before_alembic_is_stamped_and_carried_forward(path):
    make_old_file(path)
    store = FeedbackStore(path)
    assert revisions_in(path) == ["feedback_0001"]
    rows = store.session_events(A)
    assert [(r["id"], r["text"], r["helpful"]) for r in rows] == [(2, "drone", None), (1, "Apa itu Command Center?", True)]
    assert store.feedback_by_practice().to_dict("records") == [{"practice_id": "kediri-cc", "helpful": 1, "not_helpful": 0, "comments": 1}]
    event = store.log_event(A, "ask", "baru", 1, "kediri-cc", 0.8, False)
    assert event == 3
    store.add_feedback(A, event, False, "kurang")
    store.add_feedback(A, 1, False, "berubah pikiran")  # the old table's UNIQUE still makes a second mark replace the first
    assert store.feedback_by_practice().to_dict("records") == [{"practice_id": "kediri-cc", "helpful": 0, "not_helpful": 2, "comments": 2}]
    assert count_rows(path) == 3 and count_rows(path, "feedback") == 2
    FeedbackStore(path)  # opening again: no second stamp, nothing lost
    assert revisions_in(path) == ["feedback_0001"]
    assert [r["text"] for r in FeedbackStore(path).session_events(A)] == ["baru", "drone", "Apa itu Command Center?"]
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


#: Tables a newer Rujukan might have left (portable SQL, so the same on SQLite and PostgreSQL).
_NEWER_TABLES = ("CREATE TABLE events (id INTEGER PRIMARY KEY, session TEXT NOT NULL, text TEXT NOT NULL, novel TEXT NOT NULL)",
                 "INSERT INTO events (id, session, text, novel) VALUES (1, 'session-aaaaaaaa', 'dari masa depan', 'x')")


def _snapshot(target: Path | str) -> tuple:
    with connect(target) as con:
        inspector = sa.inspect(con)
        tables = {name: sorted(c["name"] for c in inspector.get_columns(name)) for name in inspector.get_table_names()}
        rows = {name: sorted(tuple(r) for r in con.execute(sa.text(f"SELECT * FROM {name}"))) for name in tables}
    return tables, rows


def test_a_newer_legacy_schema_is_refused_and_left_untouched(state_target):
    if isinstance(state_target, Path):
        state_target.parent.mkdir(parents=True)
    with connect(state_target) as con:
        con.execute(sa.text("CREATE TABLE schema_version (version INTEGER NOT NULL)"))
        con.execute(sa.text("INSERT INTO schema_version (version) VALUES (99)"))
        for statement in _NEWER_TABLES:
            con.execute(sa.text(statement))
    before = _snapshot(state_target)
    with pytest.raises(StateError) as caught:
        FeedbackStore(state_target)
    assert caught.value.reason == "newer"
    assert "newer" in str(caught.value) and "99" in str(caught.value)
    assert _snapshot(state_target) == before
    assert "alembic_version" not in table_names(state_target)


def test_an_unknown_alembic_revision_is_refused_and_left_untouched(state_target):
    store = FeedbackStore(state_target)
    event = store.log_event(A, "ask", "sudah tersimpan", 1, "p", 0.5, False)
    store.add_feedback(A, event, True, "bagus")
    store.database.dispose()
    with connect(state_target) as con:
        con.execute(sa.text("UPDATE alembic_version SET version_num = 'feedback_0099'"))
        con.execute(sa.text("ALTER TABLE events ADD COLUMN novel TEXT"))  # what that newer revision might have added
    before = _snapshot(state_target)
    with pytest.raises(StateError) as caught:
        FeedbackStore(state_target)
    assert caught.value.reason == "newer"
    assert "feedback_0099" in str(caught.value) and "newer" in str(caught.value)
    assert _snapshot(state_target) == before
    assert revisions_in(state_target) == ["feedback_0099"]


# ------------------------------------------------------------------ SQLite files


def test_a_locked_database_gives_a_busy_message(path):
    store = FeedbackStore(path, busy_timeout=0.2)
    store.log_event(A, "search", "sebelum", 1, None, None, False)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(StateError) as caught:
            store.log_event(A, "search", "selama", 1, None, None, False)
        waited = time.monotonic() - started
        assert caught.value.reason == "busy"
        assert "busy" in str(caught.value) and "try again" in str(caught.value)
        assert isinstance(caught.value, RujukanError)
        assert 0.15 <= waited < 5
        with pytest.raises(StateError):
            store.add_feedback(A, 1, True)
        assert [r["text"] for r in store.session_events(A)] == ["sebelum"]  # WAL: reads still work
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.log_event(A, "search", "sesudah", 1, None, None, False)
    assert count_rows(path) == 2


def test_a_full_database_gives_a_disk_full_message(path):
    """Mechanism: SQLite's max_page_count on every connection the store opens (max_pages), which
    makes SQLite return SQLITE_FULL — the same error code as a full disk."""
    FeedbackStore(path).log_event(A, "ask", "sudah tersimpan", 1, None, None, False)
    with sqlite3.connect(path) as con:
        pages = con.execute("PRAGMA page_count").fetchone()[0]
    capped = FeedbackStore(path, max_pages=pages + 2)
    with pytest.raises(StateError) as caught:
        for i in range(200):
            capped.log_event(A, "ask", f"{i} " + "isi " * 240, 1, None, None, False)
    assert caught.value.reason == "full"
    assert str(path) in str(caught.value) and "full" in str(caught.value)
    written = count_rows(path)
    assert 1 <= written < 201
    assert capped.session_events(A, limit=1000)[-1]["text"] == "sudah tersimpan"
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _write_past_file_size_limit(path: str, queue) -> None:
    """Child process: the OS refuses to grow files past a limit (RLIMIT_FSIZE), like a full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    store = FeedbackStore(Path(path))
    size = sum(p.stat().st_size for p in Path(path).parent.iterdir())
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 64 * 1024, resource.RLIM_INFINITY))
    try:
        for i in range(1000):
            store.log_event(A, "ask", f"{i} " + "isi " * 240, 1, None, None, False)
        queue.put(("no error", ""))
    except StateError as exc:
        queue.put((exc.reason, str(exc)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        queue.put(("crash", repr(exc)))


def test_the_os_refusing_to_grow_the_file_gives_a_message(path):
    """Mechanism: a real failed write(2) (EFBIG under RLIMIT_FSIZE) in a child process."""
    FeedbackStore(path).log_event(A, "ask", "sudah tersimpan", 1, None, None, False)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_write_past_file_size_limit, args=(str(path), queue))
    child.start()
    reason, message = queue.get(timeout=60)
    child.join(30)
    assert reason in ("full", "io"), message
    assert str(path) in message
    store = FeedbackStore(path)
    assert store.session_events(A, limit=1000)[-1]["text"] == "sudah tersimpan"
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_corrupt_file_says_to_move_it_aside(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database, just some bytes " * 200)
    with pytest.raises(StateError) as caught:
        FeedbackStore(path)
    assert caught.value.reason == "corrupt"
    assert str(path) in str(caught.value) and "aside" in str(caught.value)
    assert path.read_bytes() == b"this is not a database, just some bytes " * 200


def test_reads_of_a_file_broken_after_opening_raise_feedback_error(path):
    store = FeedbackStore(path)
    store.log_event(A, "ask", "x", 1, None, None, False)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(b"\0garbage" * 1000)
    with pytest.raises(StateError):
        store.top_questions()
    with pytest.raises(StateError):
        store.log_event(A, "ask", "y", 1, None, None, False)


def test_an_unwritable_folder_gives_a_message(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be")
    with pytest.raises(StateError) as caught:
        FeedbackStore(blocker / "state" / "rujukan.sqlite3")
    assert "RUJUKAN_STATE_DIR" in str(caught.value)
