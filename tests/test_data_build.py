"""The data build: invariants of the built tables, figures as in the sources, and loud failures."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rujukan.config import REPO_ROOT
from rujukan.databuild import RAW_FILES, build, raw_digest
from rujukan.errors import ConflictError, DuplicateRegionError, JoinError, RujukanError, SourceFormatError
from rujukan.outlines import NATIONAL_FILE
from rujukan.regions import FILES

DATA = REPO_ROOT / "data"
RAW = DATA / "raw"
CROSSWALK = DATA / "crosswalk.csv"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    report = build(RAW, out)
    tables = {name: pd.read_csv(out / name, dtype=str, keep_default_na=False) for name in FILES}
    return out, report, tables


def value(tables, code: str, indicator: str, year: int) -> float:
    v = tables["indicator_values.csv"]
    rows = v[(v.region_code == code) & (v.indicator == indicator) & (v.year == str(year))]
    assert len(rows) == 1, (code, indicator, year, rows)
    return float(rows.value.iloc[0])


def crosswalk_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(CROSSWALK.read_text(encoding="utf-8"))))


def write_crosswalk(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def test_514_regions_with_kind_and_province(built):
    _, report, t = built
    regions = t["regions.csv"]
    assert report.regions == len(regions) == regions.code.nunique() == 514
    assert set(regions.kind) == {"kota", "kabupaten"}
    assert (regions.kind == "kota").sum() == 98
    kediri = regions.set_index("code").loc["3571"]
    assert (kediri["name"], kediri["kind"], kediri["province"]) == ("Kota Kediri", "kota", "Jawa Timur")
    tegal = regions.set_index("code").loc["3328"]
    assert (tegal["name"], tegal["kind"], tegal["province"]) == ("Kabupaten Tegal", "kabupaten", "Jawa Tengah")
    assert regions.set_index("code").loc["1405", "name"] == "Kabupaten Siak"  # 'S I A K' in the source


@pytest.mark.parametrize(
    "code, indicator, year, expected",
    [
        ("3571", "ipm", 2022, 79.59),
        ("3328", "ipm", 2022, 69.53),
        ("3571", "ipm", 2020, 78.23),
        ("3571", "ipm", 2024, 81.35),
        ("3328", "ipm", 2024, 70.77),
        ("3376", "ipm", 2023, 77.02),
        ("3328", "poverty", 2024, 6.81),
        ("3571", "poverty", 2024, 6.51),
        ("3571", "poverty", 2021, 7.75),
        ("3328", "poverty", 2025, 6.16),
        ("3571", "rls", 2021, 10.15),
        ("3571", "expenditure", 2021, 12359),
        ("3571", "uhh", 2021, 74.04),
        ("3571", "sanitation", 2021, 95.75),
        ("3571", "drinking_water", 2021, 98.95),
        ("3571", "tpt", 2021, 6.37),
        ("3328", "tpt", 2020, 9.82),
        ("3328", "uhh", 2024, 74.25),
        ("7371", "ipm", 2022, 83.12),  # 'Kota Makasar' in the IPM file
        ("9401", "ipm", 2022, 71.24),  # Merauke, listed twice
    ],
)
def test_figures_as_in_the_sources(built, code, indicator, year, expected):
    assert value(built[2], code, indicator, year) == pytest.approx(expected, abs=1e-9)


def test_every_value_has_a_known_source_and_one_row_per_key(built):
    t = built[2]
    v = t["indicator_values.csv"]
    assert (v.source != "").all()
    assert set(v.source) <= set(t["sources.csv"].id)
    assert set(v.indicator) <= set(t["indicators.csv"].id)
    assert set(v.region_code) <= set(t["regions.csv"].code)
    assert not v.duplicated(["region_code", "indicator", "year"]).any()
    assert (v.value != "").all()


@pytest.mark.parametrize("indicator", ["ipm", "poverty"])
def test_national_series_cover_every_region_every_year(built, indicator):
    v = built[2]["indicator_values.csv"]
    counts = v[v.indicator == indicator].groupby("year").region_code.nunique()
    assert {int(y): n for y, n in counts.items() if int(y) <= 2024} == {y: 514 for y in range(2020, 2025)}


def test_papua_regencies_listed_twice_are_counted_once(built):
    v = built[2]["indicator_values.csv"]
    merauke = v[(v.region_code == "9401") & (v.indicator == "ipm")]
    assert list(merauke.year) == ["2020", "2021", "2022", "2023", "2024"]


def test_jawa_tengah_series_adds_years_and_national_tables_win_overlaps(built):
    _, report, t = built
    v = t["indicator_values.csv"]
    assert set(v[v.year == "2025"].region_code) == set(t["regions.csv"].query("province_code == '33'").code)
    p21 = v[(v.indicator == "poverty") & (v.year == "2021")]
    assert set(p21.source) == {"tauradavin_miskin"}  # Kaggle and SYFDNNN agree and are not repeated
    assert set(v[(v.indicator == "rls") & (v.year == "2021")].source) == {"kaggle_2021"}
    assert report.agreements > 514  # every Kaggle P0 matched the BPS P0, plus the Jawa Tengah overlaps


def test_uhh_series_break_is_a_caveat_on_the_affected_rows(built):
    v = built[2]["indicator_values.csv"]
    uhh = v[(v.indicator == "uhh") & v.region_code.str.startswith("33")]
    broken = uhh[uhh.caveat.str.contains("series break")]
    assert set(broken.year) == {"2024", "2025"} and len(broken) == 70
    assert (uhh[uhh.year <= "2023"].caveat == "").all()


def test_one_schooling_indicator_because_the_components_reproduce_ipm(built):
    """RLS from the Kaggle file ('15+') equals SYFDNNN's 25+ RLS; with HLS, UHH and expenditure it
    recomputes BPS's IPM (2020–2023, older UHH basis), so it is the IPM component."""
    v = built[2]["indicator_values.csv"].assign(value=lambda d: d.value.astype(float))
    wide = v[v.region_code.str.startswith("33")].pivot_table(index=["region_code", "year"], columns="indicator", values="value").reset_index()
    wide = wide[(wide.year >= "2020") & (wide.year <= "2023")]  # the IPM component years (2019 is INDO-DAPOER only)
    health = (wide.uhh - 20) / 65
    education = (wide.hls / 18 + wide.rls / 15) / 2
    spending = (np.log(wide.expenditure) - np.log(1007.436)) / (np.log(26572.352) - np.log(1007.436))
    ipm = 100 * (health * education * spending) ** (1 / 3)
    assert len(wide) == 35 * 4
    assert (ipm - wide.ipm).abs().max() < 0.006


def test_smart_city_scores_with_source_and_missing_environment(built):
    s = built[2]["smart_city_scores.csv"]
    got = {(r.year, r.measure): r.value for r in s.itertuples()}
    assert got == {
        ("2021", "index"): "3.06", ("2022", "index"): "3.31", ("2022", "governance"): "2.75", ("2022", "branding"): "2.75",
        ("2022", "economy"): "3.5", ("2022", "society"): "3.33", ("2022", "living"): "3.33", ("2022", "environment"): "",
    }
    assert (s.region_code == "3571").all() and s.source_url.str.startswith("https://nusadaily.com/").all()
    assert "not published" in s[s.measure == "environment"].note.iloc[0]


def test_every_source_has_an_honest_label_in_both_languages(built):
    sources = built[2]["sources.csv"].set_index("id")
    assert list(built[2]["sources.csv"].columns[-2:]) == ["label_id", "label_en"]
    assert (sources.label_id.str.strip() != "").all() and (sources.label_en.str.strip() != "").all()
    assert sources.label_id.is_unique and sources.label_en.is_unique
    for sid in ("tauradavin_ipm", "tauradavin_miskin"):  # copies of BPS tables: the table's title, quoted as published
        s = sources.loc[sid]
        assert s.label_id == f'BPS, tabel "{s.title}", salinan di GitHub' and s.label_en == f'BPS, table "{s.title}", a copy on GitHub'
    for sid in ("kaggle_2021", "syfdnnn_jateng"):  # compilations: who compiled them, and that the BPS titles are unknown
        s = sources.loc[sid]
        assert "dihimpun" in s.label_id and "judul tabel BPS tidak diketahui" in s.label_id
        assert "compiled" in s.label_en and "BPS table titles not known" in s.label_en
    assert "Kaggle" in sources.at["kaggle_2021", "label_id"] and "2021 disimpulkan" in sources.at["kaggle_2021", "label_id"]
    assert "BPS Provinsi Jawa Tengah" in sources.at["syfdnnn_jateng", "label_id"]
    assert "nusadaily.com" in sources.at["kominfo_smart_city", "label_id"] and "tidak diketahui" in sources.at["kominfo_smart_city", "label_id"]
    assert "bukan angka resmi" in sources.at["user", "label_id"] and "not official" in sources.at["user", "label_en"]
    for label in sources.label_id:  # Indonesian labels carry none of the English notes of publisher/table
        assert not any(note in label for note in ("copy in", "compiled in", "commit", "inferred"))


def test_committed_tables_equal_a_fresh_build(built):
    out = built[0]
    stale = [name for name in [*FILES, NATIONAL_FILE] if (DATA / name).read_bytes() != (out / name).read_bytes()]
    assert stale == [], f"data/{stale} differ from a fresh build: run python -m rujukan data build, never edit them by hand"


def test_build_is_deterministic(built, tmp_path):
    build(RAW, tmp_path)
    assert all((tmp_path / n).read_bytes() == (built[0] / n).read_bytes() for n in [*FILES, NATIONAL_FILE])
    assert not list(tmp_path.glob(".*.tmp"))


def test_raw_copies_are_unchanged():
    assert {n: raw_digest(RAW / n) for n in RAW_FILES} == RAW_FILES


def test_a_crosswalk_without_a_row_fails_naming_the_region(tmp_path):
    rows = [r for r in crosswalk_rows() if r[:3] != ["tauradavin_ipm", "JAWA TENGAH", "Tegal"]]
    with pytest.raises(JoinError, match=r"tauradavin_ipm, province JAWA TENGAH, name 'Tegal' has no row in crosswalk.csv"):
        build(RAW, tmp_path / "out", crosswalk=write_crosswalk(tmp_path / "cw.csv", rows))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_region_joined_twice_fails(tmp_path):
    rows = crosswalk_rows()
    for row in rows:
        if row[:3] == ["kaggle_2021", "JAWA TENGAH", "Kota Tegal"]:
            row[3] = "3328"
    with pytest.raises(DuplicateRegionError, match=r"Kabupaten Tegal \(3328\) appears twice: JAWA TENGAH / Tegal .*JAWA TENGAH / Kota Tegal"):
        build(RAW, tmp_path, crosswalk=write_crosswalk(tmp_path / "cw.csv", rows))


def test_a_twice_listed_papua_regency_needs_its_years(tmp_path):
    rows = [r[:4] + [""] + r[5:] if r[:3] == ["tauradavin_ipm", "PAPUA SELATAN", "Merauke"] else r for r in crosswalk_rows()]
    with pytest.raises(DuplicateRegionError, match=r"Kabupaten Merauke \(9401\) appears twice"):
        build(RAW, tmp_path, crosswalk=write_crosswalk(tmp_path / "cw.csv", rows))


def test_copies_that_disagree_fail(tmp_path):
    """Swap which copy carries which years: 2024's old copy is '-' where the new one has a value."""
    rows = crosswalk_rows()
    for row in rows:
        if row[:3] == ["tauradavin_ipm", "PAPUA", "Merauke"]:
            row[4] = "2020-2024"
        elif row[:3] == ["tauradavin_ipm", "PAPUA SELATAN", "Merauke"]:
            row[4] = "2019"
    with pytest.raises(ConflictError, match=r"Merauke \(9401\)"):
        build(RAW, tmp_path, crosswalk=write_crosswalk(tmp_path / "cw.csv", rows))


def test_an_unused_crosswalk_row_fails(tmp_path):
    rows = crosswalk_rows() + [["kaggle_2021", "JAWA TENGAH", "Atlantis", "3328", "", ""]]
    with pytest.raises(JoinError, match="Atlantis"):
        build(RAW, tmp_path, crosswalk=write_crosswalk(tmp_path / "cw.csv", rows))


def copy_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    shutil.copy(CROSSWALK, tmp_path / "crosswalk.csv")
    return raw


def test_a_region_twice_in_a_code_keyed_table_fails(tmp_path):
    raw = copy_raw(tmp_path)
    path = raw / "syfdnnn_kemiskinan_jateng_2020_2025.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    tegal = next(line for line in lines if line.startswith("3328,Kabupaten Tegal,2022,"))
    path.write_text("\n".join(lines + [tegal]), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="has been changed"):
        build(raw, tmp_path / "out")
    with pytest.raises(DuplicateRegionError, match=r"Kabupaten Tegal \(3328\) appears twice for 2022"):
        build(raw, tmp_path / "out", check_hashes=False)


def test_a_region_missing_from_a_table_fails(tmp_path):
    raw = copy_raw(tmp_path)
    for year in range(2020, 2025):
        path = raw / f"tauradavin_miskin_{year}.csv"
        path.write_text("\n".join(ln for ln in path.read_text(encoding="utf-8").split("\n") if not ln.startswith("Brebes,")), encoding="utf-8")
    rows = [r for r in crosswalk_rows() if r[:3] != ["tauradavin_miskin", "JAWA TENGAH", "Brebes"]]
    with pytest.raises(JoinError, match=r"poverty 2020: 1 region\(s\) do not join: Kabupaten Brebes \(3329\)"):
        build(raw, tmp_path / "out", crosswalk=write_crosswalk(tmp_path / "cw.csv", rows), check_hashes=False)


def test_a_misread_decimal_fails(tmp_path):
    raw = copy_raw(tmp_path)
    path = raw / "kaggle_klasifikasi_kemiskinan_kabkota_2021.csv"
    path.write_bytes(path.read_bytes().replace(b";10.15;12359;", b";1015;12359;"))
    with pytest.raises(SourceFormatError, match=r"Kota Kediri \(3571\) rls 2021 = 1015.0 is outside"):
        build(raw, tmp_path / "out", check_hashes=False)


def test_a_missing_raw_file_is_named(tmp_path):
    raw = copy_raw(tmp_path)
    (raw / "tauradavin_ipm_2023.csv").unlink()
    with pytest.raises(RujukanError, match="tauradavin_ipm_2023.csv is missing"):
        build(raw, tmp_path / "out")
