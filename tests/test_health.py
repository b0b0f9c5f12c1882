"""`rujukan doctor` and the home page's health panel (issue 12 §1): each part the app runs on, and
what is wrong with it, from real folders, a real Chroma server and real SQLite files."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from rujukan.config import REPO_ROOT, Settings
from rujukan.health import NOTE, OK, PROBLEM, check_all

from conftest import free_port


def doctor(env: dict[str, str]) -> tuple[int, list[dict]]:
    done = subprocess.run([sys.executable, "-m", "rujukan", "doctor", "--json"], capture_output=True, text=True, env={**os.environ, **env},
                          cwd=REPO_ROOT, timeout=120)
    return done.returncode, json.loads(done.stdout)


def by_part(checks: list[dict], part: str) -> list[dict]:
    return [c for c in checks if c["part"] == part]


@pytest.mark.model
def test_a_working_setup_is_reported_part_by_part(ready, session_env):
    code, checks = doctor(session_env)
    assert code == 0 and [c["part"] for c in checks] == ["model", "knowledge", "documents", "data", "index", "state", "state", "state", "state"]
    assert by_part(checks, "model")[0]["status"] == OK and "multilingual-e5-small" in by_part(checks, "model")[0]["summary"]
    index = by_part(checks, "index")[0]
    assert index["status"] == OK and f"{ready.engine.store.count()} chunks" in index["summary"]
    assert "15 practice record(s)" in by_part(checks, "knowledge")[0]["summary"]
    assert "514 regions" in by_part(checks, "data")[0]["summary"] and "507 outlines" in by_part(checks, "data")[0]["summary"]


def test_a_fresh_setup_says_what_the_first_start_builds(tmp_path):
    env = {"RUJUKAN_MODEL_CACHE": str(tmp_path / "models"), "RUJUKAN_INDEX_DIR": str(tmp_path / "index"), "RUJUKAN_STATE_DIR": str(tmp_path / "state")}
    code, checks = doctor(env)
    assert code == 0 and {c["part"]: c["status"] for c in checks}["model"] == NOTE
    assert by_part(checks, "index")[0]["status"] == NOTE and "not built yet" in by_part(checks, "index")[0]["detail"]
    assert all(c["status"] == NOTE for c in by_part(checks, "state"))
    assert not (tmp_path / "index").exists() and not (tmp_path / "state").exists()  # the doctor only reads


def test_what_is_wrong_is_named(tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    (state / "assessments.sqlite3").write_bytes(b"this is not a database" * 100)
    with sqlite3.connect(state / "visits.sqlite3") as con:
        con.execute("CREATE TABLE schema_version (version INTEGER)")
        con.execute("INSERT INTO schema_version VALUES (99)")
    port = free_port()
    env = {"RUJUKAN_STATE_DIR": str(state), "RUJUKAN_CHROMA_HOST": "127.0.0.1", "RUJUKAN_CHROMA_PORT": str(port),
           "RUJUKAN_MODEL_CACHE": str(tmp_path / "models")}
    code, checks = doctor(env)
    assert code == 1
    index = by_part(checks, "index")[0]
    assert index["status"] == PROBLEM and f"127.0.0.1:{port}" in index["detail"]
    states = {c["summary"].split(":")[0]: c for c in by_part(checks, "state")}
    assert states["self-assessments"]["status"] == PROBLEM and "cannot be read" in states["self-assessments"]["detail"]
    assert states["visits"]["status"] == PROBLEM and "schema 99" in states["visits"]["summary"] and "update the app" in states["visits"]["detail"]


def test_a_shared_postgresql_is_reported_with_each_stores_schema(postgres, tmp_path):
    from rujukan.feedback import FeedbackStore

    url = postgres.new_database()
    env = {"RUJUKAN_DATABASE_URL": url, "RUJUKAN_STATE_DIR": str(tmp_path / "state"), "RUJUKAN_MODEL_CACHE": str(tmp_path / "models")}
    _code, checks = doctor(env)
    [state] = by_part(checks, "state")
    assert state["status"] == NOTE and f"PostgreSQL 127.0.0.1:{postgres.port}/" in state["summary"] and "no tables yet" in state["detail"]
    FeedbackStore(url).database.dispose()  # the first store opened makes its tables
    _code, checks = doctor(env)
    [state] = by_part(checks, "state")
    assert "questions and feedback: feedback_0001" in state["detail"] and "self-assessments: no tables yet" in state["detail"]
    assert state["status"] == NOTE and "self-assessments, visits, revisions created" in state["detail"]
    assert not (tmp_path / "state").exists()  # nothing written to the SQLite folder


def test_an_unreachable_postgresql_is_named_by_host_and_port(tmp_path):
    port = free_port()  # nothing listens there
    env = {"RUJUKAN_DATABASE_URL": f"postgresql://rujukan:secret@127.0.0.1:{port}/rujukan", "RUJUKAN_MODEL_CACHE": str(tmp_path / "models")}
    code, checks = doctor(env)
    [state] = by_part(checks, "state")
    assert code == 1 and state["status"] == PROBLEM and f"127.0.0.1:{port}" in state["detail"] and "cannot be reached" in state["detail"]
    assert "secret" not in json.dumps(checks)  # the password is never shown


def test_broken_records_and_missing_data_are_problems(tmp_path):
    (tmp_path / "knowledge" / "practices").mkdir(parents=True)
    (tmp_path / "knowledge" / "practices" / "rusak.md").write_text("no front matter", encoding="utf-8")
    settings = Settings.from_env({"RUJUKAN_KNOWLEDGE_DIR": str(tmp_path / "knowledge"), "RUJUKAN_DATA_DIR": str(tmp_path / "data"),
                                  "RUJUKAN_MODEL_CACHE": str(tmp_path / "models")})
    checks = {c.part: c for c in check_all(settings)}
    assert checks["knowledge"].status == PROBLEM and "rusak.md" in checks["knowledge"].detail
    assert checks["data"].status == PROBLEM and "regions.csv" in checks["data"].detail


@pytest.mark.model
def test_the_home_page_shows_the_same_health(app_env):
    from conftest import open_page

    at = open_page(None, 300)
    table = next(d.value for d in at.dataframe if "Bagian" in d.value.columns)
    assert list(table["Bagian"])[:5] == ["model", "basis pengetahuan", "dokumen lampiran", "data wilayah", "indeks pencarian"]
    assert set(table["Status"]) <= {"baik", "catatan", "MASALAH"} and "baik" in set(table["Status"])
