"""The self-assessment checklist and its SQLite store: round trip, upsert, atomicity, concurrency."""

from __future__ import annotations

import io
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pandas as pd
import pytest

from rujukan.assessment import INSTITUTIONS, LEVELS, Assessment, AssessmentStore, scale_label
from rujukan.config import Settings
from rujukan.errors import RujukanError, StateError
from rujukan.i18n import t
from rujukan.sqlite import SQLiteFile
from rujukan.vocabulary import DIMENSIONS

SCORES = {"governance": 2, "branding": 1, "economy": 3, "living": 3, "society": 2, "environment": None}
INSTITUTION_STATE = {"council": "yes", "team": "in_progress", "masterplan": "no", "regulation": "no", "quick_wins": "yes"}


@pytest.fixture
def store(tmp_path) -> AssessmentStore:
    return AssessmentStore(tmp_path / "state" / "assessments.sqlite3")


def test_checklist_is_documented_and_says_it_is_not_the_ministrys():
    assert LEVELS == (1, 2, 3, 4) and all(scale_label(level, lang) != f"scale.{level}" for level in LEVELS for lang in ("id", "en"))
    assert scale_label(1, "id") != scale_label(1, "en")
    assert list(INSTITUTIONS) == ["council", "team", "masterplan", "regulation", "quick_wins"]
    assert "bukan instrumen resmi" in t("assessment.notice", "id") and "not the ministry" in t("assessment.notice", "en")
    assert "indikatif" in t("assessment.notice", "id") or "petunjuk" in t("assessment.notice", "id")


def test_default_path_is_in_the_state_folder(tmp_path):
    settings = Settings.from_env({"RUJUKAN_STATE_DIR": str(tmp_path)})
    assert settings.assessments_db == tmp_path / "assessments.sqlite3"


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


@contextmanager
def _crash_before_commit(self):
    """BEGIN IMMEDIATE, let the real save write its rows, then die before COMMIT."""
    with self.connection() as con:
        con.execute("BEGIN IMMEDIATE")
        yield con
        os._exit(0)


def _in_child(work) -> int:
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        try:
            work()
        finally:
            os._exit(3)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_a_crash_mid_save_leaves_the_old_data_intact(store, monkeypatch):
    old = store.save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "old")

    def crash():
        monkeypatch.setattr(SQLiteFile, "write", _crash_before_commit)
        store.save("3328", "2024-05-31", {d: 4 for d in DIMENSIONS}, {i: "yes" for i in INSTITUTIONS}, "new")
        store.save("3328", "2024-06-30", SCORES, INSTITUTION_STATE, "never")

    assert _in_child(crash) == 0  # it died at the first COMMIT
    assert store.get("3328", "2024-05-31") == old
    assert [a.date for a in store.assessments("3328")] == ["2024-05-31"]
    # the dead writer's lock is gone: the next save goes through
    assert store.save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "after").note == "after"


def test_a_crash_mid_transaction_with_raw_sql_leaves_the_old_data_intact(store):
    old = store.save("3328", "2024-05-31", SCORES, INSTITUTION_STATE, "old")

    def crash():
        con = sqlite3.connect(str(store.path), isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE assessments SET note = 'torn', score_economy = 1")
        con.execute("DELETE FROM assessments WHERE date = '2024-05-31'")
        os._exit(0)

    assert _in_child(crash) == 0
    assert store.get("3328", "2024-05-31") == old


def test_concurrent_writers_all_land(store):
    def write(n: int) -> None:
        store.save("3328", f"2024-01-{n % 28 + 1:02d}", {"economy": n % 4 + 1}, {}, f"writer {n}")
        store.save(f"{3500 + n:04d}", "2024-01-01", SCORES, INSTITUTION_STATE, f"writer {n}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(40)))
    assert len(store.assessments("3328")) == 28
    assert len(store.assessments()) == 28 + 40


def test_concurrent_processes_all_land(store):
    pids = []
    for n in range(4):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                for m in range(10):
                    store.save(f"{3400 + n:04d}", f"2024-02-{m + 1:02d}", SCORES, INSTITUTION_STATE)
                code = 0
            finally:
                os._exit(code)
        pids.append(pid)
    assert all(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0 for pid in pids)
    assert len(store.assessments()) == 40


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
