"""Bahan kunjungan through AppTest: choose, build, download, record; errors as messages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from rujukan.config import REPO_ROOT
from rujukan.visits import VisitLog

from conftest import open_page

PAGE = "views/brief.py"


def brief_app(**params: str) -> AppTest:
    return open_page(PAGE, 120, **params)


@pytest.fixture
def state(monkeypatch, tmp_path):
    monkeypatch.setenv("RUJUKAN_KNOWLEDGE_DIR", str(REPO_ROOT / "knowledge"))
    monkeypatch.setenv("RUJUKAN_DATA_DIR", str(REPO_ROOT / "data"))
    monkeypatch.setenv("RUJUKAN_STATE_DIR", str(tmp_path / "state"))
    return tmp_path / "state"


def query(at: AppTest, key: str) -> str:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_opens_from_a_shared_url_and_builds_a_brief(state):
    at = brief_app(region="3328", practices="prodamas-plus,sistem-informasi-eksekutif")
    assert at.selectbox(key="brief_region").value == "3328"
    assert at.multiselect(key="brief_practices").value == ["prodamas-plus", "sistem-informasi-eksekutif"]
    assert not at.get("download_button")
    at.text_area(key="brief_purpose").input("Belajar Prodamas Plus dan SIE")
    at.button(key="brief_build").click()
    at.run(timeout=120)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success and at.get("download_button")
    visits = VisitLog(state / "visits.sqlite3").visits()
    assert len(visits) == 1
    assert (visits[0].region_code, visits[0].practice_ids, visits[0].purpose) == (
        "3328", ("prodamas-plus", "sistem-informasi-eksekutif"), "Belajar Prodamas Plus dan SIE",
    )
    table = at.dataframe[0].value
    assert len(table) == 1 and "Kabupaten Tegal (3328)" in table.iloc[0].tolist()
    assert query(at, "region") == "3328" and query(at, "practices") == "prodamas-plus,sistem-informasi-eksekutif"


def test_default_region_is_tegal_and_no_practice_is_a_message(state):
    at = brief_app()
    assert at.selectbox(key="brief_region").value == "3328"
    at.button(key="brief_build").click()
    at.run(timeout=120)
    assert not at.exception
    assert at.error and "No practices chosen" in at.error[0].value.replace("\\", "")
    assert not at.get("download_button")
    assert VisitLog(state / "visits.sqlite3").visits() == []


def test_unknown_region_in_url_falls_back_and_unknown_practice_is_dropped(state):
    at = brief_app(region="9999", practices="no-such-practice,bank-sampah")
    assert at.selectbox(key="brief_region").value == "3328"
    assert at.multiselect(key="brief_practices").value == ["bank-sampah"]


def test_unwritable_state_still_gives_the_document(state, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("RUJUKAN_STATE_DIR", str(blocker / "state"))
    at = brief_app(practices="bank-sampah")
    at.button(key="brief_build").click()
    at.run(timeout=120)
    assert not at.exception
    assert at.get("download_button") and at.warning
