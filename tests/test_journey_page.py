"""Perjalanan through AppTest: the focus region's journey against Kediri's, from the real CSVs."""

import pytest
from streamlit.testing.v1 import AppTest

from conftest import open_page

pytestmark = pytest.mark.model  # the app opens on Beranda, which prepares the search engine


def journey_app(**params: str) -> AppTest:
    return open_page("views/perjalanan.py", 120, **params)


def _plain(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


def test_default_focus_is_tegal_with_both_journeys_drawn(app_env):
    at = journey_app()
    assert at.selectbox(key="journey_focus").value == "3328"
    assert at.query_params["focus"] in ("3328", ["3328"])
    chart = at.get("plotly_chart")[0].proto.spec
    assert "Kota Kediri" in chart and "Kabupaten Tegal" in chart and "circle-open" in chart
    assert "Evaluasi tahunan" in _plain(at)  # Tegal's furthest stage


def test_kediri_practices_link_to_the_practice_page(app_env):
    at = journey_app()
    links = [(p.proto.label, p.proto.page) for p in at.get("page_link")]
    assert links and all(page.endswith("praktik") or "praktik" in page for _, page in links)
    assert any("Masterplan" in label for label, _ in links)


def test_milestone_table_has_sources_for_both_regions(app_env):
    at = journey_app(focus="3328")
    table = next(d.value for d in at.dataframe if "stage" in d.value.columns)
    assert set(table["region_name"]) == {"Kabupaten Tegal", "Kota Kediri"}
    assert table["source_url"].str.startswith("http").all()
    mou = table[(table["region_name"] == "Kota Kediri") & (table["date"] == "2019-05-15")]
    assert len(mou) == 1


def test_an_unknown_focus_in_the_url_falls_back_to_tegal(app_env):
    at = journey_app(focus="9999")
    assert at.selectbox(key="journey_focus").value == "3328"


def test_english_labels(app_env):
    at = journey_app(lang="EN")
    assert at.selectbox(key="journey_focus").label == "Focus region"


def test_a_broken_programme_file_is_a_message(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("RUJUKAN_DATA_DIR", str(tmp_path))
    at = journey_app()
    assert at.error and "stages.csv" in at.error[0].value.replace("\\", "")


def test_any_region_has_a_journey_page_saying_no_milestones_are_recorded(app_env):
    at = journey_app(focus="7371")  # Kota Makassar: no milestone in data/programme
    assert at.selectbox(key="journey_focus").value == "7371"
    assert any(i.value == "Belum ada tonggak yang tercatat untuk daerah ini." for i in at.info)
    table = next(d.value for d in at.dataframe if "stage" in d.value.columns)
    assert set(table["region_name"]) == {"Kota Kediri"}  # Kediri's journey is still there to learn from
    assert len(at.selectbox(key="journey_focus").options) == 513  # every region but Kediri
