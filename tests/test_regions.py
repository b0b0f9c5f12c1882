"""Regions: loading, percentiles, ranks, the peer finder's properties, uploads and safe CSV export."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from rujukan.config import REPO_ROOT
from rujukan.errors import DataError
from rujukan.formats import safe_csv
from rujukan.regions import (
    MAX_UPLOAD_BYTES,
    UPLOAD_PROBLEMS,
    Dataset,
    compare,
    find_peers,
    latest,
    load_dataset,
    national_indicators,
    percentile_profile,
    rank_within,
    reference_year,
    validate_upload,
)

DATA = REPO_ROOT / "data"
NATIONAL = ["ipm", "poverty", "rls", "expenditure", "uhh", "sanitation", "drinking_water", "tpt"]


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(DATA)


def with_values(ds: Dataset, change) -> Dataset:
    values = ds.values.copy()
    change(values)
    return replace(ds, values=values)


# --------------------------------------------------------------------------- loading


def test_load_dataset_types(ds):
    assert len(ds.regions) == 514
    assert ds.values["year"].dtype == "int64" and ds.values["value"].dtype == "float64"
    assert ds.indicators["higher_is_better"].dtype == bool
    assert ds.names()["3571"] == "Kota Kediri"
    assert ds.smart_city["value"].isna().sum() == 1  # environment 2022, not published
    assert {"label_id", "label_en"} <= set(ds.sources.columns)
    assert (ds.sources[["label_id", "label_en"]] != "").all().all()


def test_a_hand_edit_that_breaks_a_table_is_named(tmp_path):
    for name in ("regions.csv", "indicators.csv", "sources.csv", "smart_city_scores.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    text = (DATA / "indicator_values.csv").read_text(encoding="utf-8").split("\n")
    text[5] = text[5].replace(text[5].split(",")[3], "tujuh", 1)
    (tmp_path / "indicator_values.csv").write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(DataError, match=r"indicator_values.csv: row 6, column value: not a number"):
        load_dataset(tmp_path)


def test_a_missing_table_says_how_to_build_it(tmp_path):
    with pytest.raises(DataError, match="python -m rujukan data build"):
        load_dataset(tmp_path)


# --------------------------------------------------------------------------- years, percentiles, ranks


def test_regions_are_compared_within_one_year(ds):
    assert reference_year(ds.values, "ipm") == 2024
    assert reference_year(ds.values, "rls") == 2021  # not Jawa Tengah's 2025 against the others' 2021
    assert reference_year(ds.values, "hls") == 2025
    assert set(latest(ds.values, "uhh")["year"]) == {2021}
    assert national_indicators(ds) == NATIONAL


@pytest.mark.parametrize("indicator, better", [("poverty", "lower"), ("tpt", "lower"), ("ipm", "higher"), ("sanitation", "higher")])
def test_percentile_direction(ds, indicator, better):
    codes = list(ds.regions["code"])
    profile = percentile_profile(ds, codes[0], codes[1:], [indicator]).sort_values("value", ascending=better == "lower")
    assert profile["percentile"].is_monotonic_decreasing  # the better the value, the higher the percentile
    assert profile["percentile"].max() > 99.5 and profile["percentile"].min() < 0.5 and (profile["n"] == 514).all()


def test_lower_poverty_gives_the_higher_percentile(ds):
    profile = percentile_profile(ds, "3328", ["3571"], ["poverty"]).set_index("region_code")
    assert profile.at["3571", "value"] < profile.at["3328", "value"]  # 6.51 < 6.81 in 2024
    assert profile.at["3571", "percentile"] > profile.at["3328", "percentile"]


def test_percentile_direction_higher_ipm_is_better(ds):
    profile = percentile_profile(ds, "3328", ["3571"], ["ipm"]).set_index("region_code")
    assert profile.at["3571", "percentile"] > profile.at["3328", "percentile"]
    assert list(profile["year"]) == [2024, 2024]
    assert profile.at["3571", "value"] == 81.35 and profile.at["3571", "source"] == "tauradavin_ipm"


def test_percentile_of_a_region_without_a_value_is_empty(ds):
    profile = percentile_profile(ds, "3571", ["3328"], ["hls"]).set_index("region_code")
    assert pd.isna(profile.at["3571", "percentile"]) and profile.at["3328", "n"] == 35


def test_rank_within_province_and_nation(ds):
    r = rank_within(ds, "ipm", 2022, "province", "3328")
    assert r.province == "Jawa Tengah" and r.of == 35 and r.year == 2022
    assert list(r.table["rank"]) == sorted(r.table["rank"]) and r.table["value"].is_monotonic_decreasing
    assert r.rank == int(r.table.set_index("region_code").at["3328", "rank"])
    n = rank_within(ds, "poverty", None, "national", "3571")
    assert n.of == 514 and n.year == 2024 and n.table["value"].is_monotonic_increasing  # lower poverty ranks first
    with pytest.raises(DataError, match="region_code"):
        rank_within(ds, "ipm", 2022, "province")


# --------------------------------------------------------------------------- peers


@pytest.mark.parametrize("k", [1, 5, 12])
@pytest.mark.parametrize("focus", ["3328", "3571", "9429"])
def test_peers_basic_properties(ds, focus, k):
    peers = find_peers(ds, focus, NATIONAL, k=k)
    codes = [p.code for p in peers]
    assert focus not in codes and len(codes) == k == len(set(codes))
    distances = [p.distance for p in peers]
    assert distances == sorted(distances)
    for p in peers:
        assert sum(p.contributions.values()) == pytest.approx(p.distance**2)
        assert set(p.closest) == set(NATIONAL) and p.contributions[p.closest[0]] == min(p.contributions.values())
    assert peers.years["ipm"] == 2024 and peers.years["rls"] == 2021 and peers.skipped == ()


@pytest.mark.parametrize("focus", ["3328", "3571"])
def test_peer_filters_hold(ds, focus):
    region = ds.region(focus)
    info = ds.regions.set_index("code")
    for kwargs in ({"same_kind": True}, {"same_province": True}, {"same_kind": True, "same_province": True}):
        peers = find_peers(ds, focus, ["ipm", "poverty", "uhh"], k=8, **kwargs)
        assert peers and focus not in [p.code for p in peers]
        for p in peers:
            if kwargs.get("same_kind"):
                assert info.at[p.code, "kind"] == region["kind"] == p.kind
            if kwargs.get("same_province"):
                assert info.at[p.code, "province_code"] == region["province_code"]


def test_an_identical_region_has_distance_zero(ds):
    chosen = ["ipm", "poverty", "sanitation"]

    def copy_focus(values):
        for indicator in chosen:
            year = reference_year(values, indicator)
            at = (values["indicator"] == indicator) & (values["year"] == year)
            focus_value = values.loc[at & (values["region_code"] == "3328"), "value"].iloc[0]
            values.loc[at & (values["region_code"] == "1101"), "value"] = focus_value

    peers = find_peers(with_values(ds, copy_focus), "3328", chosen, k=3)
    assert peers[0].code == "1101" and peers[0].distance == 0
    assert all(c == 0 for c in peers[0].contributions.values())


def test_standardisation_makes_units_irrelevant(ds):
    def scale(values):
        values.loc[values["indicator"] == "expenditure", "value"] *= 1000

    chosen = ["ipm", "expenditure", "tpt"]
    before = find_peers(ds, "3328", chosen, k=10)
    after = find_peers(with_values(ds, scale), "3328", chosen, k=10)
    assert [p.code for p in after] == [p.code for p in before]
    assert [p.distance for p in after] == pytest.approx([p.distance for p in before])


def test_regions_without_a_value_are_skipped_and_reported(ds):
    peers = find_peers(ds, "3328", ["ipm", "hls"], k=50)
    assert len(peers) == peers.considered == 34  # the other Jawa Tengah regions
    assert len(peers.skipped) == 514 - 35 and "3571" in peers.skipped
    with pytest.raises(DataError, match=r"Kota Kediri \(3571\) has no value for hls \(2025\)"):
        find_peers(ds, "3571", ["ipm", "hls"])


@pytest.mark.parametrize(
    "focus, indicators, k, message",
    [
        ("0000", ["ipm"], 5, "Unknown region code"),
        ("3328", [], 5, "at least one indicator"),
        ("3328", ["gdp"], 5, "Unknown indicator 'gdp'"),
        ("3328", ["ipm"], 0, "k must be"),
    ],
)
def test_peer_search_refuses_bad_requests(ds, focus, indicators, k, message):
    with pytest.raises(DataError, match=message):
        find_peers(ds, focus, indicators, k=k)


# --------------------------------------------------------------------------- compare


def test_compare_gives_values_with_year_and_source(ds):
    table = compare(ds, ["3328", "3571"], ["ipm", "uhh"])
    assert list(table.columns) == ["region_code", "name", "indicator", "year", "value", "unit", "source", "caveat"]
    ipm = table[table["indicator"] == "ipm"]
    assert list(ipm["region_code"]) == ["3328"] * 5 + ["3571"] * 5 and list(ipm["year"])[:5] == list(range(2020, 2025))
    assert (table["source"] != "").all()
    assert table.query("region_code == '3328' and indicator == 'uhh' and year == 2024")["caveat"].str.contains("series break").all()
    with pytest.raises(DataError, match="9999"):
        compare(ds, ["3328", "9999"])


# --------------------------------------------------------------------------- uploads

HEADER = "region_code,indicator,year,value\n"


class HugeUpload:
    """Like Streamlit's UploadedFile: a size, and content that must not be read."""

    size = 50 * 1024 * 1024

    def getvalue(self) -> bytes:
        raise AssertionError("the content was read")

    read = getvalue


def problems(result) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in result.problems]


@pytest.mark.parametrize(
    "text, row, column, fragment",
    [
        ("kode,indikator,tahun,nilai\n3328,ipm,2025,71\n", 1, "region_code", "missing column"),
        ("region_code,indicator,year,value,comment\n3328,ipm,2025,71,x\n", 1, "comment", "unknown column"),
        (HEADER + "3328,ipm,2025,71\n9999,ipm,2025,70\n", 3, "region_code", "unknown region code '9999'"),
        (HEADER + "Tegal,ipm,2025,71\n", 2, "region_code", "not a 4-digit BPS region code"),
        (HEADER + "3328,gdp,2025,71\n", 2, "indicator", "unknown indicator 'gdp'"),
        (HEADER + "3328,ipm,2025,tujuh puluh\n", 2, "value", "'tujuh puluh' is not a number"),
        (HEADER + "3328,ipm,2025,\n", 2, "value", "empty"),
        (HEADER + '3328,ipm,2025,"71,5"\n', 2, "value", "decimal comma"),
        (HEADER + "3328,ipm,2025,71,5\n", 2, "", "unquoted decimal comma"),
        (HEADER + "3328,ipm,dua ribu,71\n", 2, "year", "not a year"),
        (HEADER + "3328,ipm,2025,71\n3571,ipm,2025,82\n3328,ipm,2025,72\n", 4, "region_code,indicator,year", "repeats row 2"),
        (HEADER + "3328,ipm,2022,70\n", 2, "region_code,indicator,year", "already has an official ipm figure for 2022 (69.53)"),
        (HEADER + "3328,poverty,2026,140\n", 2, "value", "outside 0–100"),
        ("", 0, "", "the file is empty"),
        ("\n\n", 0, "", "the file is empty"),
        (HEADER, 0, "", "header but no rows"),
    ],
)
def test_bad_uploads_are_refused_naming_row_and_column(ds, text, row, column, fragment):
    result = validate_upload(text.encode("utf-8"), ds)
    assert not result.ok and result.values.empty
    assert any(r == row and c == column and fragment in m for r, c, m in problems(result)), problems(result)
    if row:
        assert str(result.problems[0]).startswith(f"row {result.problems[0].row}")
    for problem in result.problems:  # each worded in both languages, none left as its key
        assert problem.code in UPLOAD_PROBLEMS
        indonesian = problem.worded("id")
        assert "upload." not in indonesian and indonesian != problem.worded("en")
        assert indonesian.startswith(f"baris {row}" if row else "berkas")


def test_every_problem_the_upload_check_can_name_is_worded():
    import re

    from rujukan import regions

    source = Path(regions.__file__).read_text(encoding="utf-8")
    named = set(re.findall(r'_problem\(\s*\w+,\s*(?:"[^"]*"|\w+(?: or "[^"]*")?),\s*"([a-z_]+)"', source))
    named |= set(re.findall(r'return math\.nan, "([a-z_]+)"', source))  # _number's codes
    assert len(named) >= 18 and named <= set(UPLOAD_PROBLEMS), named - set(UPLOAD_PROBLEMS)


def test_a_50_mb_file_is_refused_before_it_is_read(ds):
    result = validate_upload(HugeUpload(), ds)
    assert problems(result) == [(0, "", "the file is 50.0 MB; the limit is 5 MB")]
    big = b"x" * (50 * 1024 * 1024)
    assert "limit is 5 MB" in validate_upload(big, ds).problems[0].message
    assert validate_upload(io.BytesIO(big), ds).problems[0].message.startswith("the file is 50.0 MB")
    assert MAX_UPLOAD_BYTES == 5 * 1024 * 1024


def test_one_bad_row_keeps_the_whole_file_out(ds):
    text = HEADER + "".join(f"3328,ipm,{y},7{y % 10}\n" for y in range(2025, 2030)) + "3571,ipm,2025,abc\n"
    result = validate_upload(text.encode(), ds)
    assert not result.ok and result.values.empty
    assert problems(result) == [(7, "value", "'abc' is not a number")]
    with pytest.raises(DataError, match="nothing from it is used"):
        ds.with_upload(result)


def test_a_valid_upload_is_marked_as_user_figures(ds):
    text = "region_code;indicator;year;value;source\n3328;ipm;2025;71,5;Bappeda Kabupaten Tegal\n3571;hls;2024;15.1;\n"
    result = validate_upload(text.encode("utf-8-sig"), ds)
    assert result.ok, problems(result)
    assert list(result.values["source"]) == ["user", "user"] and list(result.values["value"]) == [71.5, 15.1]
    assert "Bappeda Kabupaten Tegal" in result.values["caveat"].iloc[0] and "not an official figure" in result.values["caveat"].iloc[1]
    merged = ds.with_upload(result)
    assert len(merged.values) == len(ds.values) + 2 and len(ds.values) == len(load_dataset(DATA).values)
    rows = compare(merged, ["3328"], ["ipm"])
    assert rows.iloc[-1][["year", "value", "source"]].tolist() == [2025, 71.5, "user"]
    assert (rows.iloc[:-1]["source"] == "tauradavin_ipm").all()
    assert reference_year(merged.values, "ipm") == 2024  # one user figure does not move the comparison year
    again = validate_upload(text.encode("utf-8"), merged)
    assert "already has an uploaded ipm figure for 2025" in again.problems[0].message
    with pytest.raises(DataError, match="repeats"):
        merged.with_upload(result)


def test_a_dataframe_upload_is_checked_the_same_way(ds):
    ok = validate_upload(pd.DataFrame({"region_code": ["3328"], "indicator": ["ipm"], "year": [2025], "value": [71.0]}), ds)
    assert ok.ok
    bad = validate_upload(pd.DataFrame({"region_code": ["3328"], "indicator": ["ipm"], "year": [2025], "value": ["x"]}), ds)
    assert problems(bad) == [(2, "value", "'x' is not a number")]


# --------------------------------------------------------------------------- export


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"])
def test_safe_csv_neutralises_formulas(cell):
    out = pd.read_csv(io.BytesIO(safe_csv(pd.DataFrame({"note": [cell], "value": [-1.5]}))), dtype=str, keep_default_na=False)
    assert out["note"].iloc[0] == "'" + cell
    assert out["value"].iloc[0] == "-1.5"  # a number stays a number


def test_safe_csv_leaves_plain_text_and_neutralises_headers():
    text = safe_csv(pd.DataFrame({"=bad": ["Kota Kediri", "3.5 - 4", None]})).decode("utf-8")
    assert text.split("\r\n") == ["'=bad", "Kota Kediri", "3.5 - 4", '""', ""]  # "" marks an empty one-column row


def test_safe_csv_of_a_comparison(ds):
    text = safe_csv(compare(ds, ["3328"], ["ipm"])).decode("utf-8")
    assert text.splitlines()[0] == "region_code,name,indicator,year,value,unit,source,caveat"
    assert "3328,Kabupaten Tegal,ipm,2022,69.53,indeks (0–100),tauradavin_ipm," in text
