"""Penilaian mandiri through AppTest: the notice, save, edit, export, gaps and recommendations."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from rujukan.assessment import AssessmentStore
from rujukan.vocabulary import dimension_label

from conftest import open_page

PAGE = "views/penilaian.py"
pytestmark = pytest.mark.model  # the page recommends practices through the search engine


@pytest.fixture
def state(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("RUJUKAN_STATE_DIR", str(tmp_path))
    return tmp_path


def page_app(**params: str) -> AppTest:
    return open_page(PAGE, **params)


def save_button(at: AppTest):
    return next(b for b in at.button if str(b.label) == "Simpan")


def test_page_says_it_is_rujukans_own_checklist_and_recommends(state):
    at = page_app()
    assert at.selectbox(key="pm_region").value == "3328"
    assert "bukan instrumen resmi" in at.info[0].value
    assert not at.error
    # without a saved assessment: indicator gaps and recommendations from them
    ind = next(d.value for d in at.dataframe if "Indikator (satuan)" in d.value.columns)
    assert {"Selisih persentil dengan Kediri", "persentil", "Kota Kediri · persentil", "Dimensi", "Sumber"} <= set(ind.columns)
    poor = ind[ind["Indikator (satuan)"].str.startswith("Persentase penduduk miskin")].iloc[0]
    assert "," in poor["Nilai"] and "." not in poor["Nilai"]  # 6,81 as Indonesian writes it, not 6.81
    assert "BPS" in poor["Sumber"]
    assert any("Buka praktik" in str(link.label) for link in at.get("page_link"))


def test_save_edit_export_and_gaps(state):
    at = page_app(region="3328")
    for dim, level in {"governance": 2, "branding": 1, "economy": 2, "living": 3, "society": 2, "environment": 1}.items():
        at.select_slider(key=f"pm_score_{dim}").set_value(level)
    at.radio(key="pm_inst_council").set_value("yes")
    at.text_area(key="pm_note").input("Uji coba")
    at.date_input(key="pm_date").set_value(pd.Timestamp("2024-05-31").date())
    save_button(at).click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success and "2024-05-31" in at.success[0].value

    stored = AssessmentStore(state / "assessments.sqlite3").get("3328", "2024-05-31")
    assert stored.scores["branding"] == 1 and stored.institutions["council"] == "yes" and stored.note == "Uji coba"

    gaps = next(d.value for d in at.dataframe if "Kota Kediri 2022 (skala resmi)" in d.value.columns)
    env = gaps[gaps["Dimensi"] == dimension_label("environment")].iloc[0]
    assert env["Kota Kediri 2022 (skala resmi)"] == "tidak dipublikasikan" and env["Selisih dengan Kediri"] == "–"
    assert gaps.iloc[0]["Dimensi"] == dimension_label("branding")

    export = next(e for e in at.get("download_button"))
    assert export is not None

    # edit: load the saved one back into the form, change a level, save again (same date: replaced)
    at.button(key="pm_load").click()
    at.run()
    assert at.select_slider(key="pm_score_branding").value == 1
    at.select_slider(key="pm_score_branding").set_value(3)
    save_button(at).click()
    at.run()
    assert not at.exception and not at.error
    listed = AssessmentStore(state / "assessments.sqlite3").assessments("3328")
    assert len(listed) == 1 and listed[0].scores["branding"] == 3


def test_a_broken_store_is_a_message_not_a_traceback(state):
    (state / "assessments.sqlite3").write_bytes(b"not a database" * 200)
    at = page_app()
    assert not at.exception
    assert at.error and "Move the file aside" in at.error[0].value.replace("\\", "")


def test_english(state):
    at = page_app(lang="EN")
    assert at.title[0].value == "Self-assessment"
    assert "not the ministry" in at.info[0].value
    whys = [m.value for m in at.markdown if m.value.startswith("**Why:**")]
    assert whys and all("Answers the gap" in w and "Menjawab kesenjangan" not in w for w in whys)
    sources = [c.value for c in at.caption if c.value.startswith("Sources:")]
    assert sources and all(c.count("](http") <= 4 for c in sources)  # grouped and short, not every URL of the record
