"""Tanya and the curator page through AppTest, and `python -m rujukan ask` on the real model."""

import json
import os
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from rujukan.config import REPO_ROOT, Settings
from rujukan.feedback import FeedbackStore

from conftest import open_page, plain


def page(path: str, **params: str) -> AppTest:
    return open_page(path, **params)


@pytest.mark.model
def test_ask_page_answers_with_numbered_citations_and_logs_the_question(app_env, ready):
    at = page("views/tanya.py", tanya="Berapa dana Prodamas Plus per RT?")
    answer = next(m.value for m in at.markdown if "Menurut catatan praktik" in plain(m.value))
    assert "100" in plain(answer) and "[1]" in plain(answer)
    citations = [plain(m.value) for m in at.markdown if plain(m.value).startswith("**[")]
    assert citations and "Prodamas Plus" in citations[0] and "https://" in citations[0]
    events = FeedbackStore(Settings.from_env().feedback_db).session_events(at.session_state["session_id"])
    assert [(e["kind"], e["text"]) for e in events][:1] == [("ask", "Berapa dana Prodamas Plus per RT?")]


@pytest.mark.model
def test_ask_page_declines_out_of_scope_and_shows_closest(app_env, ready):
    at = page("views/tanya.py", tanya="resep rendang padang yang enak")
    assert at.warning and "belum punya jawaban" in at.warning[0].value
    assert len(at.get("page_link")) >= 1


def test_ask_page_offers_starter_questions(app_env):
    at = page("views/tanya.py")
    starters = [link.proto.label for link in at.get("page_link") if link.proto.page == "tanya"]
    assert len(starters) >= 3


@pytest.mark.model
def test_feedback_on_an_answer_is_stored_for_curators(app_env, ready):
    at = page("views/tanya.py", tanya="Kapan Home Care PEDULI dimulai?")
    comment = next(box for box in at.text_input if (box.key or "").startswith("fbc::"))
    comment.input("jelas dan bersumber")
    at.get("feedback")[0].set_value(1)  # thumbs up
    at.run()
    assert not at.exception
    row = FeedbackStore(Settings.from_env().feedback_db).feedback_by_practice().set_index("practice_id").loc["home-care-peduli"]
    assert row["helpful"] >= 1


@pytest.mark.model
def test_curator_page_shows_what_people_asked(app_env, ready):
    asked = page("views/tanya.py", tanya="Siapa yang menjalankan English Massive?")
    asked.get("feedback")[0].set_value(0)  # thumbs down first, then a comment on the same answer
    asked.run()
    next(box for box in asked.text_input if (box.key or "").startswith("fbc::")).input("sumber kedua tidak dibuka")
    asked.run()
    assert not asked.exception
    at = page("views/kurasi.py")
    tables = [d.value for d in at.dataframe]
    assert tables and any("Siapa yang menjalankan English Massive?".lower() in " ".join(map(str, t.to_numpy().ravel())).lower() for t in tables)
    assert len(at.get("download_button")) == len(tables) >= 3  # one per view that has rows, comments included
    cells = " ".join(str(v) for table in tables for v in table.to_numpy().ravel())
    assert "sumber kedua tidak dibuka" in cells and "👎" in cells  # the comment given after the thumb is kept with it
    assert not any(c.startswith("practice_id") or c == "kind" for table in tables for c in table.columns)  # labelled, not raw


def test_curator_page_says_a_view_has_no_rows_yet_in_the_interface_language(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("RUJUKAN_STATE_DIR", str(tmp_path))  # a deployment nobody has used yet
    for lang, said in (("ID", "Belum ada isinya."), ("EN", "Nothing here yet.")):
        at = page("views/kurasi.py", lang=lang)
        # no empty grid (Streamlit writes "empty" in English), nothing to export: only the curators' queue, which the records fill
        grids = [d.value for d in at.dataframe]
        assert len(grids) == 1 and len(grids[0].columns) == 3 and len(at.get("download_button")) == 1
        assert [c.value for c in at.caption].count(said) == 5


@pytest.mark.model
def test_cli_ask_json(ready, session_env):
    done = subprocess.run(
        [sys.executable, "-m", "rujukan", "ask", "How much does KURNIA lend at most?", "--json"],
        capture_output=True, text=True, env={**os.environ, **session_env}, cwd=REPO_ROOT, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert {"answer", "citations", "confidence", "declined"} <= set(out)
    assert out["lang"] == "en" and out["answer"].startswith("From Kediri's practice records")
    assert out["citations"][0]["id"] == "kurnia" and out["citations"][0]["source_url"].startswith("https://")


@pytest.mark.model
def test_a_session_sees_only_its_own_questions(app_env, ready):
    first = page("views/tanya.py", tanya="Apa dasar hukum KURNIA?")
    other = page("views/tanya.py", tanya="Kapan English Massive dimulai?")
    other.text_input(key="tanya").input("Apa hasil Home Care PEDULI?").run()
    labels = [plain(link.proto.label) for link in other.get("page_link")]
    assert "Kapan English Massive dimulai?" in labels and "Apa dasar hukum KURNIA?" not in labels
    assert first.session_state["session_id"] != other.session_state["session_id"]


@pytest.mark.model
def test_an_unknown_field_is_said_plainly_on_the_page(app_env, ready):
    at = page("views/tanya.py", tanya="Who manages Lapor Mbak Wali 112?", lang="EN")
    text = "\n".join(plain(m.value) for m in at.markdown)
    assert "The record of Lapor Mbak Wali 112 does not give its agency." in text
    assert "not an answer to this question" in text
    assert any("estimated chance" in c.value for c in at.caption)


@pytest.mark.model
def test_an_everyday_question_in_indonesian_is_declined_and_counted_as_a_gap(app_env, ready):
    at = page("views/tanya.py", tanya="Berapa harga cabai di pasar hari ini?")
    assert at.warning and "belum punya jawaban" in at.warning[0].value
    gaps = FeedbackStore(Settings.from_env().feedback_db).unanswered()
    assert "berapa harga cabai di pasar hari ini?" in list(gaps["question"])
