"""The curators' queue and the stale flag (issue 13 §4), on the repository's 15 records."""

from __future__ import annotations

import datetime as dt

import pytest

from rujukan.config import REPO_ROOT, Settings
from rujukan.errors import ConfigError
from rujukan.feedback import FeedbackStore, new_session_id
from rujukan.practices import load_knowledge
from rujukan.queue import SOURCE, STALE, UNANSWERED, UNKNOWN, build, is_stale, unknown_share

KB = load_knowledge(REPO_ROOT / "knowledge" / "practices")
CHECKED = dt.date(2026, 11, 29)  # every record's last_verified today


def test_records_are_stale_only_past_the_configured_age():
    assert not [i for i in build(KB, CHECKED + dt.timedelta(days=365)) if i.kind == STALE]
    stale = [i for i in build(KB, CHECKED + dt.timedelta(days=366)) if i.kind == STALE]
    assert len(stale) == 15 and {i.detail for i in stale} == {"2026-11-29"}
    assert is_stale(KB.get("bank-sampah"), CHECKED + dt.timedelta(days=8), stale_days=7)


def test_sources_without_a_date_or_title_and_mostly_unknown_records_are_queued():
    items = build(KB, CHECKED)
    assert ("english-massive", SOURCE) in {(i.practice_id, i.kind) for i in items}  # its emas.kedirikota.go.id source shows no date
    unknown = {i.practice_id: i.detail for i in items if i.kind == UNKNOWN}
    assert "bank-sampah" in unknown and unknown_share(KB.get("bank-sampah")) >= 0.5  # agency, start, basis, budget and two sections unknown
    assert "prodamas-plus" not in unknown and unknown_share(KB.get("prodamas-plus")) < 0.5


def test_unanswered_questions_come_from_the_question_log(tmp_path):
    store, session = FeedbackStore(tmp_path / "fb.sqlite3"), new_session_id()
    for _ in range(3):
        store.log_event(session, "ask", "berapa jumlah drone kota?", 0, None, None, True)
    store.log_event(session, "search", "prodamas", 3, "prodamas-plus", 0.9, False)
    [question] = [i for i in build(KB, CHECKED, unanswered=store.unanswered()) if i.kind == UNANSWERED]
    assert (question.detail, question.count, question.practice_id) == ("berapa jumlah drone kota?", 3, "")


def test_the_stale_age_is_a_setting():
    assert Settings.from_env({}).stale_days == 365 and Settings.from_env({"RUJUKAN_STALE_DAYS": "30"}).stale_days == 30
    for bad in ("0", "-5", "setahun"):
        with pytest.raises(ConfigError, match="RUJUKAN_STALE_DAYS"):
            Settings.from_env({"RUJUKAN_STALE_DAYS": bad})


@pytest.mark.model
def test_the_practice_page_flags_a_stale_record_and_curators_see_the_queue(app_env, monkeypatch):
    from conftest import open_page

    at = open_page("views/praktik.py", 300, practice="bank-sampah")
    assert not [w for w in at.warning if "terakhir diperiksa" in w.value.replace("\\", "")]  # checked 2026-11-29, within a year
    monkeypatch.setenv("RUJUKAN_STALE_DAYS", "1")
    at = open_page("views/praktik.py", 300, practice="bank-sampah")
    assert any("terakhir diperiksa terhadap sumbernya pada 2026-11-29" in w.value.replace("\\", "") for w in at.warning)
    at = open_page("views/kurasi.py", 300)
    assert not at.exception
    queue = next(d.value for d in at.dataframe if "Keterangan" in d.value.columns)
    assert "lama tidak diperiksa" in set(queue["Jenis"]) and "Bank Sampah" in set(queue["Praktik"])
