"""Population, area, density and INDO-DAPOER 2019 for all 514 regions (issue 11 §1): the check
figures of the sources, the joins (never by digits across coding systems), and loud failures."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from rujukan.config import REPO_ROOT
from rujukan.databuild import build
from rujukan.errors import DuplicateRegionError, JoinError, SourceFormatError
from rujukan.national_sources import SP2020_TOTAL
from rujukan.outlines import NATIONAL_FOLDER, load_national, no_outline
from rujukan.regions import CONTEXT_INDICATORS, FILES, load_dataset, national_indicators, rank_within
from rujukan.tables import comparison_table

DATA = REPO_ROOT / "data"
RAW = DATA / "raw"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA)


def figure(ds, code: str, indicator: str) -> tuple[float, int, str]:
    rows = ds.values[(ds.values.region_code == code) & (ds.values.indicator == indicator)]
    assert len(rows) == 1, (code, indicator, rows)
    return float(rows.value.iloc[0]), int(rows.year.iloc[0]), str(rows.source.iloc[0])


@pytest.mark.parametrize(
    "code, indicator, expected",
    [
        ("3328", "population", (1_596_996, 2020, "bps_sp2020")),  # Kabupaten Tegal, SP2020
        ("3571", "population", (286_796, 2020, "bps_sp2020")),  # Kota Kediri
        ("3328", "area", (983.713, 2024, "big_2024")),
        ("3571", "area", (67.232, 2024, "big_2024")),
        ("1101", "area", (1828.851, 2024, "big_2024")),  # Simeulue: BPS 1101 is Kemendagri 11.09, joined through the bridge
        ("9401", "area", (45016.452, 2024, "big_2024")),  # Merauke: renumbered 93.01 in 2022, joined by name
        ("9171", "area", (205.759, 2024, "big_2024")),  # Kota Sorong: now 96.71
        ("1102", "area", (1851.615, 2024, "big_2024")),  # Aceh Singkil: stored as '11.1', restored to 11.10 (Kemendagri 1110 = BPS 1102)
        ("1107", "area", (2782.606, 2024, "big_2024")),  # Aceh Barat: BPS 1107 is Kemendagri 11.05, while Kemendagri 11.07 is Pidie
        ("3571", "grdp", (90_008_680, 2019, "dapoer_2019")),  # Kota Kediri, INDO-DAPOER (city row)
        ("3506", "grdp", (29_197_650, 2019, "dapoer_2019")),  # Kabupaten Kediri (regency row): the two Kediri kept apart
    ],
)
def test_check_figures_of_the_sources(ds, code, indicator, expected):
    value, year, source = figure(ds, code, indicator)
    assert (round(value, 3), year, source) == (pytest.approx(expected[0]), expected[1], expected[2])


def test_every_region_has_a_population_area_and_density_and_the_census_adds_up(ds):
    for indicator in ("population", "area", "density"):
        assert ds.values[ds.values.indicator == indicator].region_code.nunique() == 514, indicator
    population = ds.values[ds.values.indicator == "population"]
    assert population.value.sum() == SP2020_TOTAL == 270_203_917
    tegal = figure(ds, "3328", "density")
    assert tegal[0] == pytest.approx(1_596_996 / 983.713) and tegal[2] == "rujukan_density"


def test_grdp_per_head_is_computed_from_one_source_and_kediri_is_shown_as_the_outlier_it_is(ds):
    kediri, year, source = figure(ds, "3571", "grdp_per_head")
    assert (round(kediri, 1), year, source) == (313.2, 2019, "rujukan_grdp_per_head")
    ranking = rank_within(ds, "grdp_per_head", scope="national", region_code="3571")
    assert (ranking.rank, ranking.of) == (3, 508)  # nothing clipped: 511 in the source, 3 without population
    assert round(figure(ds, "3328", "grdp_per_head")[0], 1) == 17.3  # Kabupaten Tegal
    for code in ("7414", "7415", "7413"):  # Buton Selatan, Buton Tengah, Muna Barat: no population in INDO-DAPOER
        assert ds.values[(ds.values.region_code == code) & (ds.values.indicator == "grdp_per_head")].empty
    for code in ("5321", "5320", "6501"):  # Malaka, Sabu Raijua, Malinau: their GRDP is implausible, left out (not shown as 0)
        rows = ds.values[(ds.values.region_code == code) & ds.values.indicator.isin(["grdp", "grdp_per_head"])]
        assert rows.empty, code
    assert "Malaka" in ds.indicator("grdp")["caveats"] and "Buton Selatan" in ds.indicator("grdp_per_head")["caveats"]


def test_sources_are_named_exactly(ds):
    sources = ds.sources.set_index("id")
    assert sources.at["bps_sp2020", "label_id"].startswith("BPS (Sensus Penduduk 2020)")
    assert sources.at["bps_sp2020", "label_en"].startswith("BPS (Census 2020)")
    assert sources.at["dapoer_2019", "label_id"].startswith("World Bank INDO-DAPOER 2019 (CC BY 4.0)")
    assert "Badan Informasi Geospasial" in sources.at["big_2024", "label_id"] and "B-16.10/DIGD-BIG" in sources.at["big_2024", "label_id"]
    for derived in ("rujukan_density", "rujukan_grdp_per_head"):  # a computed figure names its formula and both parts
        assert sources.at[derived, "label_id"].startswith("Dihitung Rujukan:") and "÷" in sources.at[derived, "label_id"]
    assert "tidak diketahui" in sources.at["bps_sp2020", "title"]  # the table's title as published is not known


def test_sizes_are_neither_better_nor_worse(ds):
    assert bool(ds.indicator("population")["neutral"]) and not bool(ds.indicator("grdp_per_head")["neutral"])
    assert not set(CONTEXT_INDICATORS) & set(national_indicators(ds))  # peers and gaps stay on the BPS statistics
    largest = rank_within(ds, "population", scope="national").table
    assert largest.value.iloc[0] == largest.value.max()  # largest first
    table = comparison_table(ds, "3328", "3571", ["3329"], ["population", "ipm"], "id")
    pct = [c for c in table.columns if c.endswith("persentil")]
    assert (table.loc[0, pct] == "–").all() and (table.loc[1, pct] != "–").all()  # no percentile for a size
    assert table.loc[0, "Kabupaten Tegal"] == "1.596.996"


def copy_raw(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    return raw


def test_an_area_row_that_does_not_join_fails_naming_it(tmp_path):
    raw = copy_raw(tmp_path)
    path = raw / "cahyadsn_wilayah_luas.sql"
    path.write_text(path.read_text(encoding="utf-8").replace("('33.28','Kabupaten Tegal',983.713)", "('33.99','Kabupaten Tegal',983.713)"), encoding="utf-8")
    with pytest.raises(JoinError, match=r"Kabupaten Tegal \(33.99\) has no Kemendagri code 3399"):
        build(raw, tmp_path / "out", crosswalk=DATA / "crosswalk.csv", check_hashes=False)


def test_a_census_that_does_not_add_up_fails(tmp_path):
    raw = copy_raw(tmp_path)
    path = raw / "samplingin_pop_dt_sp2020.DERIVED.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",809884,787112,1596996", ",809884,787113,1596997"), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="not the published SP2020 count 270,203,917"):
        build(raw, tmp_path / "out", crosswalk=DATA / "crosswalk.csv", check_hashes=False)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_implausible_dapoer_figure_fails_loudly(tmp_path):
    raw = copy_raw(tmp_path)
    path = raw / "worldbank_dapoer_district_2019.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",90008680,", ",90008,"), encoding="utf-8")  # Kota Kediri's GRDP, a thousandth
    with pytest.raises(SourceFormatError, match=r"Kota Kediri \(3571\) grdp 2019 = 90008.0 is outside"):
        build(raw, tmp_path / "out", crosswalk=DATA / "crosswalk.csv", check_hashes=False)


def test_built_tables_stay_small():
    assert sum((DATA / name).stat().st_size for name in FILES) < 5 * 1024 * 1024
    assert pd.read_csv(DATA / "indicator_values.csv", dtype=str).shape[0] > 13_000


def test_the_comparison_table_reads_the_focus_against_its_province_the_nation_and_its_kind(ds):
    table = comparison_table(ds, "3328", "3571", ["3329"], ["ipm"], "en").iloc[0]
    ipm = ds.latest("ipm").merge(ds.regions, left_on="region_code", right_on="code")
    assert table["Median of Jawa Tengah"] == f"{ipm[ipm.province_code == '33'].value.median():,.2f}".rstrip("0").rstrip(".")
    assert table["National median"] == f"{ipm.value.median():,.2f}".rstrip("0").rstrip(".")
    assert table["Median of all regencies"] == f"{ipm[ipm.kind == 'kabupaten'].value.median():,.2f}".rstrip("0").rstrip(".")
    kediri = comparison_table(ds, "3571", "3328", [], ["population"], "id").iloc[0]
    population = ds.latest("population").merge(ds.regions, left_on="region_code", right_on="code")
    english = f"{population[population.kind == 'kota'].value.median():,.2f}".rstrip("0").rstrip(".")  # 98 kota: 279,117.5
    assert kediri["Median semua kota"] == english.translate(str.maketrans(",.", ".,"))  # a kota reads against the kota, in Indonesian numbers
    assert "Median Jawa Timur" in kediri.index and "Median semua kabupaten" not in kediri.index


def test_an_upload_of_a_new_indicator_is_checked_as_any_other(ds):
    from rujukan.regions import validate_upload

    accepted = validate_upload(b"region_code,indicator,year,value\n3328,population,2024,1650000\n", ds)
    assert accepted.ok and list(accepted.values["source"]) == ["user"]
    refused = validate_upload(b"region_code,indicator,year,value\n3328,population,2020,1600000\n", ds)
    assert not refused.ok and "already has an official population figure for 2020" in refused.problems[0].message
    negative = validate_upload(b"region_code,indicator,year,value\n3328,area,2024,-5\n", ds)
    assert not negative.ok and negative.problems[0].column == "value"


# --------------------------------------------------------------------------- national outlines (§14)

NO_OUTLINE = ["Kota Sibolga", "Kota Tebing Tinggi", "Kota Padang Panjang", "Kota Bukittinggi", "Kabupaten Kepulauan Seribu", "Kota Magelang",
              "Kota Mojokerto"]


def _box(geo: dict, code: str) -> tuple[float, float, float, float]:
    points = [p for f in geo["features"] if f["id"] == code for polygon in f["geometry"]["coordinates"] for p in polygon[0]]
    return min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points)


def test_every_region_has_an_outline_but_the_seven_the_source_lacks(ds):
    geo = load_national(DATA)
    names = ds.names()
    assert sorted(f["id"] for f in geo["features"]) == sorted(ds.regions["code"])
    assert sorted(names[c] for c in no_outline(geo)) == sorted(NO_OUTLINE)  # 507 drawn, 7 said to have none
    for feature in geo["features"]:
        for polygon in (feature["geometry"] or {}).get("coordinates", []):
            ring = polygon[0]
            assert ring[0] == ring[-1] and len(ring) >= 4 and all(94 < lon < 142 and -12 < lat < 7 for lon, lat in ring)


@pytest.mark.parametrize("code, box", [
    ("3571", (111.9, -7.9, 112.1, -7.7)),  # Kota Kediri
    ("3328", (108.9, -7.2, 109.3, -6.8)),  # Kabupaten Tegal
    ("9101", (131.9, -3.5, 133.8, -2.3)),  # Kabupaten Fakfak (Papua Barat): a Papua code, joined by name
    ("1101", (95.7, 2.2, 96.6, 3.0)),  # Simeulue: Kemendagri 11.09, joined through the bridge, not by digits
    ("9471", (140.5, -2.9, 141.1, -2.4)),  # Kota Jayapura: a Papua code changed in 2022, joined by name
    ("9401", (138.0, -9.2, 141.1, -6.7)),  # Kabupaten Merauke (Papua Selatan since 2022), by name
])
def test_outlines_lie_where_their_region_is(code, box):
    x0, y0, x1, y1 = _box(load_national(DATA), code)
    assert box[0] - 0.6 < x0 and x1 < box[2] + 0.6 and box[1] - 0.6 < y0 and y1 < box[3] + 0.6, (x0, y0, x1, y1)


def test_an_outline_file_that_is_not_a_kab_kota_fails_naming_it(tmp_path):
    raw = copy_raw(tmp_path)
    (raw / NATIONAL_FOLDER / "Kabupaten" / "Bali" / "Kabupaten_Contoh.json").write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"KDPKAB":"51.0x","WADMKK":"Contoh"},"geometry":null}]}')
    with pytest.raises(SourceFormatError, match=r"Bali/Kabupaten_Contoh.json: KDPKAB '51.0x' is not a Kemendagri kab/kota code"):
        build(raw, tmp_path / "out", crosswalk=DATA / "crosswalk.csv", check_hashes=False)
    assert not (tmp_path / "out").exists()


def test_a_second_outline_of_one_region_fails_naming_both(tmp_path):
    raw = copy_raw(tmp_path)
    folder = raw / NATIONAL_FOLDER / "Kabupaten" / "Jawa_Tengah"
    shutil.copy(folder / "Kabupaten_Tegal.json", folder / "Kabupaten_Tegal_Lagi.json")
    with pytest.raises(DuplicateRegionError, match=r"Kabupaten Tegal \(3328\) already has the outline Jawa_Tengah/Kabupaten_Tegal"):
        build(raw, tmp_path / "out", crosswalk=DATA / "crosswalk.csv", check_hashes=False)


def test_a_region_without_an_outline_file_fails_naming_it(tmp_path):
    raw = copy_raw(tmp_path)
    (raw / NATIONAL_FOLDER / "Kabupaten" / "Jawa_Tengah" / "Kabupaten_Tegal.json").unlink()
    with pytest.raises(JoinError, match=r"no outline file for Kabupaten Tegal \(3328\)"):
        build(raw, tmp_path / "out", crosswalk=DATA / "crosswalk.csv", check_hashes=False)


def test_a_changed_outline_folder_is_refused(tmp_path):
    raw = copy_raw(tmp_path)
    (raw / NATIONAL_FOLDER / "README.md").write_text("edited")
    with pytest.raises(SourceFormatError, match=r"outlines_indonesia_kabkota has been changed"):
        build(raw, tmp_path / "out", crosswalk=DATA / "crosswalk.csv")
