"""Bandingkan wilayah through AppTest, plus the chart and outline builders, on the real built data."""

import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from rujukan import charts
from rujukan.config import REPO_ROOT
from rujukan.outlines import load_national, load_outlines
from rujukan.regions import latest, load_dataset, percentile_profile, rank_within

from conftest import open_page

pytestmark = pytest.mark.model  # the app opens on Beranda, which prepares the search engine

DATA = REPO_ROOT / "data"


def compare_app(**params: str) -> AppTest:
    return open_page("views/bandingkan.py", 120, **params)


def test_default_view_is_tegal_against_kediri(app_env):
    at = compare_app()
    assert at.selectbox(key="focus_box").value == "3328"
    assert at.selectbox(key="ref_box").value == "3571"
    assert len(at.get("plotly_chart")) == 1  # the open tab's profile only: the other tabs are built when opened
    assert at.query_params["focus"] == ["3328"] or at.query_params["focus"] == "3328"
    peers_table = at.dataframe[0].value
    assert len(peers_table) == 5


def test_view_opens_from_a_shared_url(app_env):
    at = compare_app(focus="3571", ref="3328", ind="ipm,poverty", peers="3577,3506", tab="Tabel & sumber")
    assert at.selectbox(key="focus_box").value == "3571"
    assert at.multiselect(key="ind_box").value == ["ipm", "poverty"]
    assert at.multiselect(key="peer_box").value == ["3577", "3506"]
    table = next(d.value for d in at.dataframe if "Indikator (satuan)" in d.value.columns)
    assert list(table["Indikator (satuan)"]) == ["Indeks Pembangunan Manusia (IPM) (indeks (0–100))", "Persentase penduduk miskin (P0) (% penduduk)"]
    assert {"Kota Kediri", "Kabupaten Tegal", "Median 2 daerah sebanding", "Sumber"} <= set(table.columns)
    assert table["Kota Kediri"].str.contains(",").all()  # Indonesian decimals: 81,35, not 81.35
    assert not table.isin(["None", "nan", "<NA>"]).any().any() and table["Tahun"].str.fullmatch(r"\d{4}").all()
    csv = next(b for b in at.get("download_button") if b.proto.label.startswith("Unduh semua nilai"))
    assert csv is not None


def test_kediri_smart_city_scores_show_environment_as_not_published(app_env):
    at = compare_app(tab="Tabel & sumber")
    smart = next(d.value for d in at.dataframe if "Yang dinilai" in d.value.columns)
    row = smart[(smart["Yang dinilai"] == "Smart Environment (lingkungan)") & (smart["Tahun"] == "2022")]
    assert list(row["Nilai"]) == ["tidak dipublikasikan"]
    assert "2,75" in set(smart[smart["Yang dinilai"] == "Smart Governance (tata kelola)"]["Nilai"])


def test_missing_data_folder_is_a_message(app_env, monkeypatch, tmp_path):
    monkeypatch.setenv("RUJUKAN_DATA_DIR", str(tmp_path))
    at = compare_app()
    assert at.error and "regions.csv" in at.error[0].value.replace("\\", "")


def test_outlines_cover_jatim_and_jateng_in_lon_lat():
    geo = load_outlines(DATA / "raw")
    ids = {f["id"] for f in geo["features"]}
    assert {"3571", "3328"} <= ids and all(i[:2] in ("33", "35") for i in ids) and len(ids) == 73
    for feature in geo["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            ring = polygon[0]
            assert ring[0] == ring[-1] and len(ring) >= 4
            assert all(105 < lon < 117 and -9 < lat < -5 for lon, lat in ring)  # Java and its islands


def test_charts_colour_regions_by_role():
    colors = charts.role_colors("3328", "3571", ["3329"])
    assert colors["3328"] == charts.FOCUS and colors["3571"] == charts.REFERENCE and colors["3329"] in charts.PEER_COLORS
    values = pd.DataFrame({"region_code": ["3328", "3571", "3329", "1101"], "value": [69.5, 79.6, 68.0, 70.1]})
    fig = charts.ranking(values, {"3328": "Kabupaten Tegal"}, colors, "IPM", "indeks", True, "Sumber: BPS")
    bar = fig.data[0]
    assert list(bar.y)[0].startswith("1. ") and bar.marker.color[0] == charts.REFERENCE  # Kediri is best
    fig = charts.ranking(values, {}, colors, "P0", "%", False, "Sumber: BPS")
    assert list(fig.data[0].y)[0].endswith("3329")  # lower is better


def test_every_chart_says_its_title_unit_and_source_and_names_only_the_highlighted_regions():
    ds = load_dataset(DATA)
    names = ds.names()
    colors = charts.role_colors("3328", "3571", ["3329", "3327"])
    ranking = rank_within(ds, "ipm", scope="national", region_code="3328")
    strip = charts.ranking(ranking.table, names, colors, "IPM (2024)", "indeks", True, "Sumber: BPS · tahun 2024", "id")
    assert len(ranking.table) == 514 and len(strip.data) == 1 + len(colors)  # grey context, then one named point per highlighted region
    named = [tr.name for tr in strip.data[1:]]
    assert named[0].startswith("Kabupaten Tegal: ke-") and all(" dari 514" in label for label in named)
    xs, ys = latest(ds.values, "ipm"), latest(ds.values, "poverty")
    both = xs[["region_code", "value"]].rename(columns={"value": "x"}).merge(ys[["region_code", "value"]].rename(columns={"value": "y"}), on="region_code")
    scatter = charts.scatter(both, names, colors, "IPM", "P0", "514 kab/kota", "Sumber: BPS", "en")
    assert scatter.data[0].mode == "markers" and [tr.mode for tr in scatter.data[1:]] == ["markers+text", "markers+text", "markers", "markers"]
    assert scatter.data[1].textposition != scatter.data[2].textposition  # the focus's and the reference's names go different ways
    profile = percentile_profile(ds, "3328", ["3571"], ["ipm", "poverty"]).assign(indicator_label=lambda f: f["indicator"])
    bars = charts.profile(profile, names, colors, "Profil", "Sumber: BPS", "id")
    assert all(tr.orientation == "h" for tr in bars.data) and len(bars.data) == 2  # a panel per indicator, regions named beside their bars
    assert list(bars.data[0].y) == ["Kabupaten Tegal", "Kota Kediri"] and list(bars.data[0].marker.color) == [charts.FOCUS, charts.REFERENCE]
    for fig in (strip, scatter, bars):
        layout = fig.layout
        assert layout.title.text and any(a.text.startswith(("Sumber:", "Source:")) for a in layout.annotations)
        # laid out for a phone: fixed margins (plotly would widen them for the legend and squeeze the plot); the legend below
        # the plot, one entry per line, and the source line below the legend
        assert layout.margin.autoexpand is False
        source = next(a for a in layout.annotations if a.text.startswith(("Sumber:", "Source:")))
        if layout.showlegend:
            entries = sum(1 for tr in fig.data if tr.showlegend is not False)
            legend_below_plot = layout.margin.b - layout.legend.y * layout.height  # pixels from the plot's bottom to the legend's top
            assert layout.legend.orientation == "v" and layout.legend.yref == "container" and legend_below_plot > 0
            assert -source.yshift >= legend_below_plot + charts.LEGEND_ROW * entries
        assert -source.yshift < layout.margin.b  # and inside the figure


@pytest.mark.parametrize("text", ["Kabupaten <b>Tegal</b> & <a href='x'>co</a>", "a " * 60])
def test_chart_text_is_wrapped_to_a_phone_and_shown_as_typed(text):
    wrapped = charts.wrap(text, charts.TITLE_WIDTH)
    assert all(len(line) <= charts.TITLE_WIDTH + 20 for line in wrapped)  # escaping may lengthen a line, never the words shown
    assert "<" not in "".join(wrapped) and ">" not in "".join(wrapped)
    values = pd.DataFrame({"region_code": ["3328", "3571"], "value": [69.5, 79.6]})
    fig = charts.ranking(values, {"3328": text}, charts.role_colors("3328", "3571", []), text, "indeks", True, text)
    assert "<b>" not in fig.layout.title.text and "&lt;b&gt;" in fig.layout.title.text if "<b>" in text else fig.layout.title.text.count("<br>") >= 2


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_exported_csv_cannot_run_formulas(cell):
    from rujukan.formats import safe_csv

    text = safe_csv(pd.DataFrame({"a": [cell]})).decode("utf-8")
    assert f"'{cell}" in text


def _hover(fig, code_name: str) -> str:
    """The hover label of one region on a map (the invisible point at its centre)."""
    centres = next(tr for tr in fig.data if tr.mode == "markers" and tr.text is not None and len(tr.text) > 10)
    return next(text for text in centres.text if text.startswith(code_name + ":"))


def test_map_colours_every_outlined_region_by_class_and_fetches_nothing():
    geo = load_national(DATA)
    ds = load_dataset(DATA)
    values = latest(ds.values, "ipm")
    fig = charts.region_map(geo, values, ds.names(), {"3328": charts.FOCUS}, "IPM", "indeks", "Sumber: BPS", "en")
    classes = charts.map_classes(values[values["region_code"].isin({f["id"] for f in geo["features"] if f["geometry"]})]["value"])
    fills = [tr for tr in fig.data if tr.fill == "toself"]
    assert {tr.name for tr in fills} == {f"{charts.number(lo, 'en')} – {charts.number(hi, 'en')}" for lo, hi in classes}
    drawn = sum(int(np.isnan(tr.x).sum()) for tr in fills)  # one gap after each ring
    rings = sum(len(f["geometry"]["coordinates"]) for f in geo["features"] if f["geometry"])
    assert drawn == rings and len(classes) == 5
    assert _hover(fig, "Kabupaten Tegal") == "Kabupaten Tegal: 70.77"  # IPM 2024, as in the source
    indonesian = charts.region_map(geo, values, ds.names(), {"3328": charts.FOCUS}, "IPM", "indeks", "Sumber: BPS", "id")
    assert _hover(indonesian, "Kabupaten Tegal") == "Kabupaten Tegal: 70,77"  # the language's numbers
    tegal = next(tr for tr in fig.data if tr.name == "Kabupaten Tegal")
    assert tegal.marker.color == charts.FOCUS  # the focus marked at its centre, its outline drawn in its colour
    assert any(tr.mode == "lines" and tr.line.color == charts.FOCUS and tr.fill is None for tr in fig.data)
    assert "geo" not in fig.to_plotly_json()["layout"]  # no world outline fetched from a CDN


def test_an_outlier_stays_in_view_on_the_map_and_a_region_without_a_value_says_so():
    geo = load_national(DATA)
    ds = load_dataset(DATA)
    values = latest(ds.values, "grdp_per_head")  # Kota Kediri: third of 508; six regions not covered
    fig = charts.region_map(geo, values, ds.names(), {}, "PDRB", "juta Rp", "Sumber", "id")
    top = max(charts.map_classes(values["value"]), key=lambda c: c[1])
    assert top[1] == values["value"].max() and values.set_index("region_code").at["3571", "value"] <= top[1]
    names = [tr.name for tr in fig.data if tr.fill == "toself"]
    assert "tidak tersedia (tidak dicakup sumber)" in names
    assert _hover(fig, "Kabupaten Malaka") == "Kabupaten Malaka: tidak tersedia (tidak dicakup sumber)"


def test_a_province_map_of_jawa_tengah_uses_the_detailed_outlines():
    detailed = load_outlines(DATA / "raw")
    national = load_national(DATA)
    ring_points = lambda geo, code: sum(len(p[0]) for f in geo["features"] if f["id"] == code and f["geometry"] for p in f["geometry"]["coordinates"])  # noqa: E731
    assert ring_points(detailed, "3328") > 2 * ring_points(national, "3328")  # where the detail helps: a province map


def _upload(at: AppTest, content: bytes) -> AppTest:
    at.file_uploader(key="upload").set_value(("angka.csv", content, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_valid_upload_is_marked_as_user_data(app_env):
    at = _upload(compare_app(tab="Data Anda"), b"region_code,indicator,year,value\n3328,sanitation,2023,88.5\n")
    assert "paling besar 5 MB" in at.file_uploader(key="upload").label  # the limit the check applies, said in the page's language
    assert at.success and "data pengguna" in at.success[0].value
    accepted = next(d.value for d in at.dataframe if "value" in d.value.columns and len(d.value) == 1)
    assert list(accepted["source"]) == ["user"] and float(accepted["value"].iloc[0]) == 88.5


@pytest.mark.parametrize(
    "content, indonesian, english",
    [
        (b"kode,nilai\n3328,1\n", "kolom tidak ada", "missing column"),
        (b"region_code,indicator,year,value\n9999,ipm,2025,70\n", "baris 2, kolom region_code: kode wilayah '9999' tidak dikenal",
         "row 2, column region_code: unknown region code '9999'"),
        (b"region_code,indicator,year,value\n3328,ipm,2025,tujuh puluh\n", "baris 2, kolom value: 'tujuh puluh' bukan angka",
         "row 2, column value: 'tujuh puluh' is not a number"),
        (b"region_code,indicator,year,value\n3328,ipm,2025,\"70,5\"\n", "memakai koma desimal; tulis 70.5", "uses a decimal comma; write 70.5"),
        (b"", "berkas: berkas kosong", "file: the file is empty"),
    ],
)
def test_a_bad_upload_is_refused_with_row_and_column_in_the_pages_language(app_env, content, indonesian, english):
    for lang, expected, other in (("id", indonesian, english), ("en", english, indonesian)):
        at = _upload(compare_app(lang=lang.upper(), tab="Data Anda" if lang == "id" else "Your data"), content)
        shown = at.error[0].value.replace("\\", "") if at.error else ""
        assert expected in shown and other not in shown, (lang, shown)
        assert not at.success


def test_suggested_peer_count_is_part_of_the_url(app_env):
    at = compare_app(k="3")
    assert at.slider(key="k_box").value == 3
    peers_table = at.dataframe[0].value
    assert len(peers_table) == 3
    assert at.query_params["k"] in ("3", ["3"])


def test_a_size_is_ranked_largest_first_and_kept_out_of_the_profile(app_env):
    at = compare_app(ind="population,ipm")
    assert any("Ukuran wilayah (Jumlah penduduk (SP2020))" in c.value for c in at.caption)  # said, not silently dropped
    at = compare_app(ind="population,ipm", tab="Peringkat")
    at.selectbox(key="rank_box").set_value("population").run()
    assert not at.exception
    ranks = [m.value for m in at.markdown if "terbesar dari" in m.value]
    assert len(ranks) == 2 and "Kabupaten Tegal ke-" in ranks[0]
    assert not any("Peringkat nasional" in m.value for m in at.markdown)  # a size has no rank of better or worse


def test_the_profile_says_how_many_regions_each_indicator_ranks(app_env):
    at = compare_app(ind="grdp_per_head,ipm")
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    profile = next(s for s in specs if "persentil" in json.dumps(s.get("layout", {}).get("xaxis2", {}), ensure_ascii=False))
    panels = [a["text"] for a in profile["layout"]["annotations"] if a["text"].startswith("<b>")]
    assert any("PDRB per kapita" in p and "508 kab/kota" in p for p in panels)  # three without population, three left out as implausible
    assert any("(IPM)" in p and "514 kab/kota" in p for p in panels), panels



def test_the_national_map_lists_the_regions_without_an_outline(app_env):
    at = compare_app(focus="7371", ind="ipm", tab="Peta")  # Kota Makassar: a focus outside Jawa has a map too
    missing = next(c.value for c in at.caption if c.value.startswith("Tanpa garis batas"))
    assert all(name in missing for name in ("Kota Sibolga", "Kota Magelang", "Kota Mojokerto", "Kabupaten Kepulauan Seribu"))
    assert at.radio(key="map_scope").value == "national"
    at.radio(key="map_scope").set_value("province").run()
    assert not at.exception and not any(c.value.startswith("Tanpa garis batas") for c in at.caption)  # Sulawesi Selatan: all drawn


def test_a_focus_without_an_outline_is_told_so_on_the_map(app_env):
    at = compare_app(focus="3371", ind="ipm,grdp_per_head", tab="Peta")  # Kota Magelang
    assert any("Kota Magelang tidak punya garis batas" in i.value for i in at.info)
    at.radio(key="map_scope").set_value("province").run()  # Jawa Tengah's detailed outlines do have Kota Magelang
    assert not at.exception and not any("Kota Magelang tidak punya garis batas" in i.value for i in at.info)


def test_peers_of_the_same_population_band_say_their_population(app_env):
    at = compare_app(focus="3328")
    at.checkbox(key="size_box").check().run()
    table = at.dataframe[0].value
    people = table["Penduduk (SP2020)"].str.replace(".", "", regex=False).astype(int)
    assert len(table) == 5 and people.between(1_596_996 / 2, 1_596_996 * 2).all()
    assert set(table["Jenis"]) <= {"kabupaten", "kota"}


def test_a_total_switches_to_its_sourced_per_head_figure(app_env):
    at = compare_app(ind="grdp,ipm", tab="Peringkat")
    at.selectbox(key="rank_box").set_value("grdp").run()
    at.radio(key="rank_measure").set_value("per_head").run()
    assert not at.exception
    ranks = [m.value for m in at.markdown if "dari" in m.value and "Kabupaten Tegal" in m.value]
    specs = " ".join(chart.proto.spec for chart in at.get("plotly_chart"))
    assert any("ke-418 dari 508 (2019)" in r for r in ranks)  # GRDP per head ranks the 508 regions that have it, not size
    assert "PDRB per kapita" in specs and "(2019)" in specs  # the derived indicator, with its year in the title


def test_a_region_the_source_does_not_cover_is_said_to_be_not_available(app_env):
    for tab in ("Peringkat", "Sebaran", "Peta"):  # Kabupaten Malaka: its INDO-DAPOER GRDP is left out as implausible
        at = compare_app(focus="5321", ind="grdp_per_head,ipm", tab=tab)
        said = [c.value for c in at.caption if "tidak tersedia untuk" in c.value]
        assert any("Kabupaten Malaka: tidak tersedia untuk PDRB per kapita" in c and "INDO-DAPOER" in c for c in said), (tab, said)
    at = compare_app(focus="5321", ind="grdp_per_head,ipm", tab="Tabel & sumber")
    table = next(d.value for d in at.dataframe if "Indikator (satuan)" in d.value.columns)
    assert "tidak tersedia" in list(table["Kabupaten Malaka"])
