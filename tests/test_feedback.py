"""The feedback store on real SQLite files: privacy between sessions, curator views, CSV safety,
concurrency, crash safety, and the messages for a busy database, a full disk and a broken file."""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import resource
import signal
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from rujukan.config import Settings
from rujukan.errors import RujukanError, StateError
from rujukan.feedback import FeedbackStore, new_session_id, normalise

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
    return tmp_path / "state" / "rujukan.sqlite3"


@pytest.fixture
def store(path) -> FeedbackStore:
    return FeedbackStore(path)


def count_events(path: Path) -> int:
    with sqlite3.connect(path) as con:
        return con.execute("SELECT count(*) FROM events").fetchone()[0]


def test_creates_folder_schema_and_wal(path):
    FeedbackStore(path)
    assert path.exists()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
    FeedbackStore(path)  # opening again keeps one version row
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 1


def test_default_path_is_in_the_state_folder(tmp_path):
    settings = Settings.from_env({"RUJUKAN_DATA_DIR": str(tmp_path)})
    assert settings.feedback_db == tmp_path / "state" / "rujukan.sqlite3"


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


def test_feedback_on_another_sessions_event_is_refused(store, path):
    theirs = store.log_event(B, "ask", "pertanyaan B", 2, "p1", 0.9, False)
    with pytest.raises(StateError) as caught:
        store.add_feedback(A, theirs, False, "spam")
    assert caught.value.reason == "refused"
    with pytest.raises(StateError):
        store.add_feedback(A, 999_999, True)  # an event that does not exist reads the same
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM feedback").fetchone()[0] == 0


def test_marking_again_replaces_the_earlier_mark(store):
    event = store.log_event(A, "search", "sampah", 2, "p1", 0.8, False)
    first = store.add_feedback(A, event, True)
    second = store.add_feedback(A, event, False, "ternyata kurang")
    assert first == second
    assert store.feedback_by_practice().to_dict("records") == [
        {"practice_id": "p1", "helpful": 0, "not_helpful": 1, "comments": 1}
    ]


@pytest.mark.parametrize("session", ["", "short", "192.168.1.20", "::1", "a" * 65, "Mozilla/5.0 (X11)"])
def test_session_ids_that_could_be_personal_data_are_refused(store, session):
    with pytest.raises(StateError):
        store.log_event(session, "search", "x", 0, None, None, False)


def test_new_session_ids_are_random_and_accepted(store):
    one, two = new_session_id(), new_session_id()
    assert one != two
    store.log_event(one, "search", "x", 0, None, None, False)


def test_text_is_cleaned_and_capped(store, path):
    event = store.log_event(A, "ask", "a\x00b\x1b[31mc\u202edef\n" + "x" * 5000, 0, None, None, True)
    comment = "baris satu\nbaris dua\x07" + "y" * 5000
    store.add_feedback(A, event, False, comment)
    [row] = store.session_events(A)
    assert row["text"].startswith("ab [31mcdef ")
    assert len(row["text"]) == 1000
    with sqlite3.connect(path) as con:
        stored = con.execute("SELECT comment FROM feedback").fetchone()[0]
    assert stored.startswith("baris satu\nbaris dua ")
    assert len(stored) == 2000


def test_unknown_kind_is_refused(store):
    with pytest.raises(StateError):
        store.log_event(A, "upload", "x", 0, None, None, False)


def test_normalise():
    assert normalise("  Apa   ITU\tSmart  City? ") == "apa itu smart city?"


def test_curator_views_on_a_known_set(path):
    clock = Clock(datetime(2024, 1, 1, 9, 0, tzinfo=UTC))  # Monday of ISO week 2024-W01
    store = FeedbackStore(path, clock=clock)
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


def test_iso_week_at_the_year_boundary(path):
    clock = Clock(datetime(2020, 12, 31, 23, 30, tzinfo=UTC))  # ISO 2020-W53
    store = FeedbackStore(path, clock=clock)
    store.log_event(A, "search", "x", 1, None, None, False)
    clock.moment = datetime(2021, 1, 3, 12, tzinfo=UTC)  # still 2020-W53
    store.log_event(A, "search", "y", 1, None, None, False)
    clock.moment = datetime(2021, 1, 4, 0, 0, tzinfo=timezone(timedelta(hours=7)))  # WIB; = 3 Jan 17:00 UTC
    store.log_event(A, "search", "z", 1, None, None, False)
    assert store.weekly_trend()[["week", "count"]].values.tolist() == [["2020-W53", 3]]


def test_empty_store_gives_empty_frames_with_columns(store):
    assert store.top_questions().empty and list(store.top_questions().columns) == ["question", "kind", "count", "last_asked"]
    assert store.unanswered().empty
    assert store.feedback_by_practice().empty
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


def test_injection_like_text_is_stored_verbatim(store, path):
    text = "'; DROP TABLE events; --"
    event = store.log_event(A, "search", text, 0, None, None, False)
    store.add_feedback(A, event, False, "\"); DELETE FROM feedback; --", practice_id="x'); DROP TABLE feedback; --")
    assert store.session_events(A)[0]["text"] == text
    with sqlite3.connect(path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"events", "feedback", "schema_version"} <= tables
    assert count_events(path) == 1
    assert store.feedback_by_practice()["practice_id"].tolist() == ["x'); DROP TABLE feedback; --"]


def test_concurrent_sessions_in_threads(path):
    store = FeedbackStore(path)  # one object shared by all threads, as the app does
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
    assert count_events(path) == 400
    assert store.top_questions(limit=1000)["count"].sum() == 400
    assert store.feedback_by_practice()[["helpful", "not_helpful"]].to_numpy().sum() == 40
    for n in range(8):
        events = store.session_events(f"thread-session-{n:02d}", limit=100)
        assert len(events) == 50 and all(e["text"].startswith(f"pertanyaan {n} ") for e in events)


def _die_mid_transaction(path: str, through_store: bool) -> None:
    """Child process: begin an IMMEDIATE transaction, write a lot, and die before COMMIT."""
    if through_store:
        store = FeedbackStore(Path(path))
        with store._db.write() as con:  # the store's own transaction path
            con.execute("PRAGMA cache_size = 1")  # spill pages into the WAL before dying
            for i in range(500):
                con.execute(
                    "INSERT INTO events (session, kind, text, norm, result_count, declined, created)"
                    " VALUES ('child-session', 'ask', ?, ?, 0, 0, '2024-01-01T00:00:00Z')",
                    ("x" * 900 + str(i), "x"),
                )
            os._exit(0)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA cache_size = 1")
    con.execute("BEGIN IMMEDIATE")
    for i in range(500):
        con.execute(
            "INSERT INTO events (session, kind, text, norm, result_count, declined, created)"
            " VALUES ('child-session', 'ask', ?, ?, 0, 0, '2024-01-01T00:00:00Z')",
            ("x" * 900 + str(i), "x"),
        )
    con.execute("DELETE FROM events WHERE session != 'child-session'")
    os._exit(0)


@pytest.mark.parametrize("through_store", [False, True], ids=["raw-connection", "store-transaction"])
def test_a_writer_killed_mid_transaction_leaves_the_old_data(path, through_store):
    store = FeedbackStore(path)
    for i in range(5):
        store.log_event(A, "ask", f"lama {i}", 1, "p", 0.9, False)
    child = multiprocessing.get_context("fork").Process(target=_die_mid_transaction, args=(str(path), through_store))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert path.with_name(path.name + "-wal").stat().st_size > 500 * 900  # the child really wrote pages
    assert count_events(path) == 5
    assert [r["text"] for r in store.session_events(A)] == [f"lama {i}" for i in reversed(range(5))]
    store.log_event(A, "ask", "baru", 1, None, None, False)  # and the lock is gone
    assert count_events(path) == 6
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


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
    assert count_events(path) == 2


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
    written = count_events(path)
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


def test_a_newer_schema_is_not_touched(path):
    FeedbackStore(path)
    with sqlite3.connect(path) as con:
        con.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StateError) as caught:
        FeedbackStore(path)
    assert caught.value.reason == "newer"
