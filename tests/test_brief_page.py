"""Bahan kunjungan through AppTest: choose, build, download, record; errors as messages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from rujukan.brief import pdf_available
from rujukan.config import REPO_ROOT
from rujukan.visits import VisitLog

from conftest import open_page

pytestmark = pytest.mark.model  # the app opens on Beranda, which prepares the search engine

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
    assert len(table) == 1 and "Kabupaten Tegal — Jawa Tengah" in table.iloc[0].tolist()
    assert table.iloc[0]["Tanggal kunjungan"] == "tidak diketahui" and "Sistem Informasi Eksekutif (SIE)" in table.iloc[0]["Praktik"]
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


def test_a_blank_purpose_is_written_from_the_practices_and_making_it_again_updates_the_visit(state):
    at = brief_app(region="3328", practices="bank-sampah")
    at.button(key="brief_build").click()
    at.run(timeout=120)
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    visits = VisitLog(state / "visits.sqlite3").visits()
    assert len(visits) == 1 and visits[0].purpose.startswith("Delegasi Kabupaten Tegal datang ke Kota Kediri")
    assert any("Tujuan yang dicatat" in c.value for c in at.caption)
    at.text_area(key="brief_purpose").input("Belajar bank sampah")
    at.button(key="brief_build").click()
    at.run(timeout=120)
    again = VisitLog(state / "visits.sqlite3").visits()
    assert [(v.id, v.purpose) for v in again] == [(visits[0].id, "Belajar bank sampah")]  # the same visit, updated


def test_a_visit_recorded_by_mistake_is_deleted(state):
    log = VisitLog(state / "visits.sqlite3")
    keep = log.record("3328", "2026-03-02", ["bank-sampah"], "Belajar bank sampah")
    wrong = log.record("3329", "2026-03-03", ["prodamas-plus"], "salah wilayah")
    at = brief_app()
    assert len(at.dataframe[0].value) == 2
    at.selectbox(key="brief_delete_which").set_value(wrong)
    at.button(key="brief_delete").click()
    at.run()
    assert not at.exception
    assert [v.id for v in log.visits()] == [keep]
    assert at.success and f"nomor {wrong} dihapus" in at.success[0].value
    assert len(at.dataframe[0].value) == 1


def test_the_shortlist_from_search_is_the_default_choice(state):
    at = open_page("views/sumber.py", 120)
    at.session_state["shortlist"] = ["bank-sampah", "prodamas-plus"]  # as the result cards' "add" buttons leave it
    at.switch_page(PAGE)
    at.run()
    assert at.multiselect(key="brief_practices").value == ["bank-sampah", "prodamas-plus"]


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice (libreoffice-writer-nogui) is not installed")
def test_the_pack_is_also_a_pdf(state):
    at = brief_app(region="3328", practices="bank-sampah")
    at.button(key="brief_build").click()
    at.run(timeout=120)
    at.button(key="brief_pdf_make").click()
    at.run(timeout=300)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state["brief_pdf"].startswith(b"%PDF")
    assert any(b.proto.label.endswith("(PDF)") for b in at.get("download_button"))
