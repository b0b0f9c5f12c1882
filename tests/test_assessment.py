"""The self-assessment checklist and its store, on a real SQLite file and on a real PostgreSQL
(`state_target` runs a test on both): round trip, upsert, atomicity (a writer dying before COMMIT),
concurrency, schema revisions (a file made before Alembic, a database made by a newer Rujukan, the
stores sharing one database), and, on SQLite files, a damaged file and an unwritable folder."""

from __future__ import annotations

import io
import multiprocessing
import os
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from rujukan.assessment import INSTITUTIONS, LEVELS, Assessment, AssessmentStore, assessments, scale_label
from rujukan.config import Settings
from rujukan.database import Database
from rujukan.errors import RujukanError, StateError
from rujukan.feedback import FeedbackStore
from rujukan.i18n import t
from rujukan.visits import VisitLog
from rujukan.vocabulary import DIMENSIONS

from conftest import legacy_sqlite_file

SCORES = {"governance": 2, "branding": 1, "economy": 3, "living": 3, "society": 2, "environment": None}
INSTITUTION_STATE = {"council": "yes", "team": "in_progress", "masterplan": "no", "regulation": "no", "quick_wins": "yes"}


@pytest.fixture
def store(state_target) -> Iterator[AssessmentStore]:
    opened = AssessmentStore(state_target)
    yield opened
    opened.database.dispose()


@contextmanager
def connect(target: Path | str) -> Iterator[sa.Connection]:
    """A plain SQLAlchemy connection beside the store (not through rujukan.database), one transaction."""
    engine = sa.create_engine(f"sqlite:///{target}" if isinstance(target, Path) else target, poolclass=NullPool)
    try:
        with engine.begin() as con:
            yield con
    finally:
        engine.dispose()


def revisions_in(target: Path | str) -> list[str]:
    with connect(target) as con:
        return sorted(con.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())


def snapshot(target: Path | str) -> tuple:
    """Every table's columns and rows, to show that a refused database was left as it was."""
    with connect(target) as con:
        inspector = sa.inspect(con)
        tables = {name: sorted(c["name"] for c in inspector.get_columns(name)) for name in inspector.get_table_names()}
        rows = {name: sorted(map(tuple, con.execute(sa.text(f"SELECT * FROM {name}"))), key=repr) for name in tables}
    return tables, rows


def test_checklist_is_documented_and_says_it_is_not_the_ministrys():
    assert LEVELS == (1, 2, 3, 4) and all(scale_label(level, lang) != f"scale.{level}" for level in LEVELS for lang in ("id", "en"))
    assert scale_label(1, "id") != scale_label(1, "en")
    assert list(INSTITUTIONS) == ["council", "team", "masterplan", "regulation", "quick_wins"]
    assert "bukan instrumen resmi" in t("assessment.notice", "id") and "not the ministry" in t("assessment.notice", "en")
    assert "indikatif" in t("assessment.notice", "id") or "petunjuk" in t("assessment.notice", "id")


def test_default_path_is_in_the_state_folder(tmp_path):
    settings = Settings.from_env({"RUJUKAN_STATE_DIR": str(tmp_path)})
    assert settings.assessments_db == tmp_path / "assessments.sqlite3"
    url = "postgresql+psycopg://rujukan@db.example:5432/rujukan"
    assert Settings.from_env({"RUJUKAN_STATE_DIR": str(tmp_path), "RUJUKAN_DATABASE_URL": url}).assessments_db == url


def test_a_new_database_is_at_the_alembic_revision(state_target):
    AssessmentStore(state_target).database.dispose()
    assert revisions_in(state_target) == ["assessment_0001"]
    with connect(state_target) as con:
        assert set(sa.inspect(con).get_table_names()) == {"alembic_version", "assessments"}  # no schema_version in a new database
    AssessmentStore(state_target).save("3328", "2024-05-31", SCORES, INSTITUTION_STATE)  # opening again keeps one revision row
    assert revisions_in(state_target) == ["assessment_0001"]


def test_round_trip(store):
    saved = store.save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "Catatan tim\nbaris dua")
    got = store.get("3328", "2024-05-31")
    assert got == saved
    assert got.scores == SCORES and got.institutions == INSTITUTION_STATE and got.note == "Catatan tim\nbaris dua"
    assert got.updated.endswith("Z")
    assert store.get("3328", "2024-06-01") is None and store.get("3571", "2024-05-31") is None


def test_missing_items_default_to_not_assessed_and_no(store):
    got = store.save("3328", "2024-01-01", {"economy": 4}, {})
    assert got.scores == {d: (4 if d == "economy" else None) for d in DIMENSIONS}
    assert set(got.institutions.values()) == {"no"}


def test_save_is_an_upsert_per_region_and_date(store):
    store.save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "first")
    store.save("3328", "2024-05-31", {**SCORES, "governance": 4}, INSTITUTION_STATE, "second")
    store.save("3328", "2023-05-31", SCORES, INSTITUTION_STATE, "older")
    store.save("3571", "2024-05-31", SCORES, INSTITUTION_STATE, "other region")
    listed = store.assessments("3328")
    assert [a.date for a in listed] == ["2024-05-31", "2023-05-31"]  # newest first
    assert listed[0].scores["governance"] == 4 and listed[0].note == "second"
    assert store.latest("3328").date == "2024-05-31"
    assert len(store.assessments()) == 3


def test_delete(store):
    store.save("3328", "2024-05-31", SCORES, INSTITUTION_STATE)
    assert store.delete("3328", "2024-05-31") is True
    assert store.delete("3328", "2024-05-31") is False
    assert store.assessments("3328") == [] and store.latest("3328") is None


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda s: s.save("33", "2024-01-01", {}, {}), "4-digit"),
        (lambda s: s.save("3328", "31/05/2024", {}, {}), "YYYY-MM-DD"),
        (lambda s: s.save("3328", "2024-01-01", {"economy": 5}, {}), "1 to 4"),
        (lambda s: s.save("3328", "2024-01-01", {"economy": 2.5}, {}), "whole number"),
        (lambda s: s.save("3328", "2024-01-01", {"tourism": 2}, {}), "Unknown dimension"),
        (lambda s: s.save("3328", "2024-01-01", {}, {"council": "maybe"}), "yes, in_progress, no"),
        (lambda s: s.save("3328", "2024-01-01", {}, {"mayor": "yes"}), "Unknown institution"),
    ],
)
def test_invalid_entries_are_refused_with_a_message(store, call, words):
    with pytest.raises(StateError, match=words) as info:
        call(store)
    assert info.value.reason == "invalid" and isinstance(info.value, RujukanError)
    assert store.assessments() == []


def test_export_csv_is_formula_safe_and_complete(store):
    store.save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "=HYPERLINK(\"http://x\")")
    table = pd.read_csv(io.BytesIO(store.export_csv("3328")), dtype=str)
    assert list(table.columns[:2]) == ["region_code", "date"]
    assert {f"score_{d}" for d in DIMENSIONS} | {f"inst_{i}" for i in INSTITUTIONS} <= set(table.columns)
    assert table.loc[0, "note"].startswith("'=")
    assert table.loc[0, "score_economy"] == "3" and pd.isna(table.loc[0, "score_environment"])
    assert store.export_csv("3571").decode().count("\r\n") == 1  # header only


def test_note_is_cleaned_and_capped(store):
    got = store.save("3328", "2024-05-31", {}, {}, "a\u202eb\x00c" + "x" * 5000)
    assert "\u202e" not in got.note and "\x00" not in got.note and len(got.note) == 4000


_REAL_WRITE = Database.write


@contextmanager
def _crash_before_commit(self):
    """The store's real write transaction: let the save run its statements in it, check that they
    did, then die before COMMIT."""
    with _REAL_WRITE(self) as con:
        yield con
        seen = con.execute(sa.select(assessments.c.note)).scalars().all()
        os._exit(0 if "new" in seen else 4)


def _in_child(work) -> int:
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        try:
            work()
        finally:
            os._exit(3)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_a_crash_mid_save_leaves_the_old_data_intact(store, state_target, monkeypatch):
    old = store.save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "old")

    def crash():
        own = AssessmentStore(state_target)  # a process of its own opens the store (no connection shared with the parent)
        monkeypatch.setattr(Database, "write", _crash_before_commit)
        own.save("3328", "2024-05-31", {d: 4 for d in DIMENSIONS}, {i: "yes" for i in INSTITUTIONS}, "new")
        own.save("3328", "2024-06-30", SCORES, INSTITUTION_STATE, "never")

    assert _in_child(crash) == 0  # it wrote, and died at the first COMMIT
    assert store.get("3328", "2024-05-31") == old
    assert [a.date for a in store.assessments("3328")] == ["2024-05-31"]
    assert AssessmentStore(state_target).get("3328", "2024-05-31") == old  # as a fresh opening reads it too
    # the dead writer's lock is gone: the next save goes through
    assert store.save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "after").note == "after"
    assert store.get("3328", "2024-05-31").note == "after"


def test_a_crash_mid_transaction_with_raw_sql_leaves_the_old_data_intact(store, state_target):
    old = store.save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "old")

    def crash():
        if isinstance(state_target, Path):
            con = sqlite3.connect(str(state_target), isolation_level=None)
            con.execute("BEGIN IMMEDIATE")
        else:
            import psycopg

            con = psycopg.connect(state_target.replace("postgresql+psycopg://", "postgresql://"))  # a transaction begins by itself
        con.execute("UPDATE assessments SET note = 'torn', score_economy = 1")
        con.execute("DELETE FROM assessments WHERE date = '2024-05-31'")
        os._exit(0 if con.execute("SELECT count(*) FROM assessments").fetchone()[0] == 0 else 4)

    assert _in_child(crash) == 0
    assert store.get("3328", "2024-05-31") == old
    assert store.save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "after").note == "after"


def test_concurrent_writers_all_land(store):
    def write(n: int) -> None:
        store.save("3328", f"2024-01-{n % 28 + 1:02d}", {"economy": n % 4 + 1}, {}, f"writer {n}")
        store.save(f"{3500 + n:04d}", "2024-01-01", SCORES, INSTITUTION_STATE, f"writer {n}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(40)))
    assert len(store.assessments("3328")) == 28
    assert len(store.assessments()) == 28 + 40
    assert {a.note for a in store.assessments() if a.region_code != "3328"} == {f"writer {n}" for n in range(40)}


def test_concurrent_processes_all_land(store, state_target):
    pids = []
    for n in range(4):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                own = AssessmentStore(state_target)  # each process opens the store, as app replicas do
                for m in range(10):
                    own.save(f"{3400 + n:04d}", f"2024-02-{m + 1:02d}", SCORES, INSTITUTION_STATE)
                code = 0
            finally:
                os._exit(code)
        pids.append(pid)
    assert all(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0 for pid in pids)
    assert len(store.assessments()) == 40
    assert revisions_in(state_target) == ["assessment_0001"]



def _open_and_save(target: Path | str, start, code: str) -> None:
    """Child process: open the store at the same moment as the others, then save once."""
    start.wait(30)
    AssessmentStore(target).save(code, "2024-03-01", SCORES, INSTITUTION_STATE, f"replica {code}")


def test_processes_opening_a_new_database_at_once_all_work(state_target):
    """Replicas starting together on an empty database: one makes the table, the others wait and find it made."""
    context = multiprocessing.get_context("fork")
    start = context.Barrier(5)
    children = [context.Process(target=_open_and_save, args=(state_target, start, f"{3600 + n}")) for n in range(5)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
    assert [child.exitcode for child in children] == [0] * 5
    assert revisions_in(state_target) == ["assessment_0001"]
    assert sorted(a.note for a in AssessmentStore(state_target).assessments()) == [f"replica {3600 + n}" for n in range(5)]


# ------------------------------------------------------------------ schema revisions

#: The table as Rujukan made it before Alembic (git history: rujukan/assessment.py, SCHEMA_VERSION 1).
OLD_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS assessments (
    region_code TEXT NOT NULL,
    date        TEXT NOT NULL,
    {scores},
    {institutions},
    note        TEXT NOT NULL,
    updated     TEXT NOT NULL,
    PRIMARY KEY (region_code, date)
);
""".format(
    scores=",\n    ".join(f"score_{d} INTEGER CHECK (score_{d} BETWEEN 1 AND 4)" for d in DIMENSIONS),
    institutions=",\n    ".join(f"inst_{i} TEXT NOT NULL CHECK (inst_{i} IN ('yes', 'in_progress', 'no'))" for i in INSTITUTIONS),
)
_OLD_ROW = "INSERT INTO assessments VALUES (?, ?, {}, ?, ?)".format(", ".join("?" * (len(DIMENSIONS) + len(INSTITUTIONS))))


def make_old_file(path: Path) -> None:
    """A file as the code before Alembic left it, holding two self-assessments."""
    legacy_sqlite_file(path, OLD_SCHEMA, [
        (_OLD_ROW, ("3328", "2023-05-31", *(SCORES[d] for d in DIMENSIONS), *(INSTITUTION_STATE[i] for i in INSTITUTIONS), "lama",
                    "2023-06-01T08:00:00Z")),
        (_OLD_ROW, ("3571", "2023-05-31", *(4 for _ in DIMENSIONS), *("no" for _ in INSTITUTIONS), "", "2023-06-02T08:00:00Z")),
    ])


def test_a_file_made_before_alembic_is_stamped_and_carried_forward(tmp_path):
    path = tmp_path / "state" / "assessments.sqlite3"
    make_old_file(path)
    store = AssessmentStore(path)
    assert revisions_in(path) == ["assessment_0001"]
    assert store.get("3328", "2023-05-31") == Assessment("3328", "2023-05-31", SCORES, INSTITUTION_STATE, "lama", "2023-06-01T08:00:00Z")
    assert store.get("3571", "2023-05-31").scores == {d: 4 for d in DIMENSIONS}
    store.save("3328", "2024-05-31", {"economy": 4}, {"council": "yes"}, "baru")
    store.save("3571", "2023-05-31", {"economy": 1}, {}, "diganti")  # the old primary key still makes a save an upsert
    assert [(a.region_code, a.date, a.note) for a in store.assessments()] == [
        ("3328", "2024-05-31", "baru"), ("3328", "2023-05-31", "lama"), ("3571", "2023-05-31", "diganti")]
    AssessmentStore(path)  # opening again: no second stamp, nothing lost
    assert revisions_in(path) == ["assessment_0001"]
    assert len(AssessmentStore(path).assessments()) == 3
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_newer_legacy_schema_is_refused_and_left_untouched(state_target):
    if isinstance(state_target, Path):
        state_target.parent.mkdir(parents=True)
    with connect(state_target) as con:
        con.execute(sa.text("CREATE TABLE schema_version (version INTEGER NOT NULL)"))
        con.execute(sa.text("INSERT INTO schema_version (version) VALUES (2)"))
        con.execute(sa.text("CREATE TABLE assessments (region_code TEXT NOT NULL, date TEXT NOT NULL, novel TEXT, PRIMARY KEY (region_code, date))"))
        con.execute(sa.text("INSERT INTO assessments VALUES ('3328', '2030-01-01', 'dari masa depan')"))
    before = snapshot(state_target)
    with pytest.raises(StateError) as caught:
        AssessmentStore(state_target)
    assert caught.value.reason == "newer" and "newer" in str(caught.value)
    assert snapshot(state_target) == before
    assert "alembic_version" not in before[0]


def test_an_unknown_alembic_revision_is_refused_and_left_untouched(state_target):
    AssessmentStore(state_target).save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "tersimpan")
    with connect(state_target) as con:
        con.execute(sa.text("UPDATE alembic_version SET version_num = 'assessment_0099'"))
    before = snapshot(state_target)
    with pytest.raises(StateError) as caught:
        AssessmentStore(state_target)
    assert caught.value.reason == "newer"
    assert "assessment_0099" in str(caught.value) and "newer" in str(caught.value)
    assert snapshot(state_target) == before
    assert revisions_in(state_target) == ["assessment_0099"]


def test_the_stores_can_share_one_database(state_target):
    """With RUJUKAN_DATABASE_URL every store is in one PostgreSQL database: each keeps its own
    revision row in alembic_version, and opening one does not disturb the others."""
    feedback = FeedbackStore(state_target)
    event = feedback.log_event("session-aaaaaaaa", "ask", "bersama", 1, None, None, False)
    store = AssessmentStore(state_target)
    store.save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "bersama")
    VisitLog(state_target).database.dispose()
    assert revisions_in(state_target) == ["assessment_0001", "feedback_0001", "visits_0002"]
    again, feedback_again = AssessmentStore(state_target), FeedbackStore(state_target)
    assert revisions_in(state_target) == ["assessment_0001", "feedback_0001", "visits_0002"]
    assert again.get("3328", "2024-05-31").note == "bersama"
    assert [r["id"] for r in feedback_again.session_events("session-aaaaaaaa")] == [event]
    for opened in (feedback, store, again, feedback_again):
        opened.database.dispose()


def test_a_newer_revision_of_another_store_in_a_shared_database_is_a_message(state_target):
    """A newer replica carried the visit log forward in the shared database; this Rujukan's other
    stores either open (their own revision is known) or say "newer", never a traceback, and the
    database is left as it was."""
    AssessmentStore(state_target).save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "tersimpan")
    FeedbackStore(state_target).database.dispose()
    VisitLog(state_target).database.dispose()
    with connect(state_target) as con:
        con.execute(sa.text("UPDATE alembic_version SET version_num = 'visits_0099' WHERE version_num LIKE 'visits_%'"))
    before = snapshot(state_target)
    for make in (AssessmentStore, FeedbackStore):
        try:
            opened = make(state_target)
        except StateError as exc:
            assert exc.reason == "newer", exc
        except Exception as exc:  # noqa: BLE001 - what a page would show as a traceback
            raise AssertionError(f"{make.__name__} raised {type(exc).__module__}.{type(exc).__name__}: {exc}") from exc
        else:
            opened.database.dispose()
    assert snapshot(state_target) == before


# ------------------------------------------------------------------ SQLite files


def test_a_damaged_file_is_a_message(tmp_path):
    path = tmp_path / "assessments.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateError, match="Move the file aside") as info:
        AssessmentStore(path)
    assert info.value.reason == "corrupt"


def test_an_unwritable_folder_is_a_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StateError, match="RUJUKAN_STATE_DIR"):
        AssessmentStore(blocker / "sub" / "assessments.sqlite3")


def test_assessment_to_dict():
    a = Assessment("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "n")
    assert a.to_dict()["scores"] == SCORES
