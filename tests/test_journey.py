"""The programme journey: the CSVs in data/programme validate, and the core answers from them."""

from pathlib import Path

import pandas as pd
import pytest

from rujukan.config import REPO_ROOT
from rujukan.errors import ProgrammeError
from rujukan.journey import (
    KEDIRI,
    current_stage,
    journey_figure,
    kediri_at,
    load_programme,
    next_stage,
    parse_date,
    visits_for_practice,
)
from rujukan.practices import load_knowledge

DATA = REPO_ROOT / "data"
PROGRAMME = DATA / "programme"
REQUIRED_STAGES = {"assessment", "mou", "bimtek", "institutions", "masterplan_book1", "masterplan_book2", "award", "regulation", "quick_wins", "evaluation"}


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(REPO_ROOT / "knowledge" / "practices")


@pytest.fixture(scope="module")
def prog(kb):
    return load_programme(DATA, kb)


def test_the_csvs_validate_against_the_knowledge_base(prog, kb):
    assert REQUIRED_STAGES <= set(prog.stages["id"])
    assert list(prog.stages["order"]) == sorted(prog.stages["order"])
    known = {p.id for p in kb.practices}
    for frame in (prog.milestones, prog.visits):
        assert frame["source_url"].str.match(r"^https?://").all()
        assert all(pid in known for ids in frame["practices"] for pid in ids)
    assert {"3571", "3328"} <= set(prog.milestones["region_code"])


def test_region_codes_and_names_agree_with_regions_csv(prog):
    regions = pd.read_csv(DATA / "regions.csv", dtype=str).set_index("code")["name"]
    for frame in (prog.milestones, prog.visits):
        for code, name in zip(frame["region_code"], frame["region_name"]):
            assert regions[code] == name, (code, name)


def test_kediri_signed_the_mou_on_15_may_2019(prog):
    mou = kediri_at(prog, "mou")
    assert list(mou["date"]) == ["2019-05-15"]
    assert mou["source_url"].iloc[0].startswith("https://kedirikota.go.id/p/berita/1019147/")
    assert not mou["date_uncertain"].iloc[0]
    assert mou["when"].iloc[0] == pd.Timestamp("2019-05-15")


def test_kediri_quick_wins_carry_their_six_practices(prog, kb):
    rows = kediri_at(prog, "quick_wins", kb)
    assert set(rows["practices"].iloc[0]) == {"e-sptpd", "prodamas-plus", "kurnia", "home-care-peduli", "english-massive", "bank-sampah"}
    assert len(rows["practice_titles"].iloc[0]) == 6


def test_uncertain_dates_are_marked_and_unknown_dates_stay_empty(prog):
    m = prog.milestones
    assert m[m["date"] == ""]["date_uncertain"].all()
    perwali = m[(m["region_code"] == KEDIRI) & (m["stage_id"] == "regulation")]
    assert list(perwali["date"]) == ["2023"] and perwali["date_uncertain"].all()


def test_tegal_has_reached_at_least_regulation(prog):
    order = prog.stage_order()
    assert order[current_stage(prog, "3328")] >= order["regulation"]
    assert current_stage(prog, "9999") is None
    assert next_stage(prog, "mou") == "bimtek" and next_stage(prog, "evaluation") is None


def test_visits_for_a_practice(prog):
    prodamas = visits_for_practice(prog, "prodamas-plus")
    assert {"1674", "6472", "3573", "3328"} <= set(prodamas["region_code"])
    assert list(prodamas["when"]) == sorted(prodamas["when"])
    assert set(visits_for_practice(prog, "sistem-informasi-eksekutif")["region_code"]) == {"3328", "3576"}
    assert visits_for_practice(prog, "no-such-practice").empty


@pytest.mark.parametrize(
    "text, expected, approximate",
    [
        ("2019-05-15", "2019-05-15", False),
        ("~2023-11", "2023-11-15", True),
        ("2024-02", "2024-02-15", False),
        ("2023", "2023-07-02", False),
    ],
)
def test_partial_dates_sit_at_the_middle_of_their_period(text, expected, approximate):
    when, approx = parse_date(text)
    assert when == pd.Timestamp(expected) and approx is approximate


@pytest.mark.parametrize("text", ["2019-13", "15 Mei 2019", "2019-02-30", "~", "1800"])
def test_bad_dates_are_not_dates(text):
    assert parse_date(text) is None


def test_figure_has_one_trace_per_region_and_open_markers_for_uncertain_dates(prog):
    fig = journey_figure(prog, [KEDIRI, "3328"], {"3571": "Kota Kediri", "3328": "Kabupaten Tegal"})
    assert [t.name for t in fig.data] == ["Kota Kediri", "Kabupaten Tegal"]
    assert len({t.marker.color for t in fig.data}) == 2
    kediri = fig.data[0]
    dated = prog.milestones[(prog.milestones["region_code"] == KEDIRI) & prog.milestones["when"].notna()].sort_values("when", kind="stable")
    assert len(kediri.x) == len(dated)
    for symbol, (_, row) in zip(kediri.marker.symbol, dated.iterrows()):
        assert (symbol == "circle-open") == bool(row["date_uncertain"] or row["approximate"])
    assert "circle-open" in kediri.marker.symbol and "circle" in kediri.marker.symbol
    assert list(fig.layout.yaxis.categoryarray)[0].replace("<br>", " ") == prog.stage_name(prog.stages["id"].iloc[0])  # wrapped for a phone
    assert all(t.type == "scatter" for t in fig.data)  # nothing that needs a CDN (no maps, no mapbox)


# --- bad rows: the error names the file, the row and the column -------------------------------


def _copy(tmp_path: Path) -> Path:
    for name in ("stages.csv", "milestones.csv", "visits.csv"):
        (tmp_path / name).write_text((PROGRAMME / name).read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def _append(path: Path, line: str) -> int:
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join(lines + [line]) + "\n", encoding="utf-8")
    return len(lines) + 1


GOOD = "3328,Kabupaten Tegal,{stage},{date},{uncertain},Sesuatu terjadi.,{practices},{url}"


@pytest.mark.parametrize(
    "fields, column",
    [
        (dict(date="15 Mei 2023"), "date"),
        (dict(date="2023-02-30"), "date"),
        (dict(stage="launch"), "stage_id"),
        (dict(url=""), "source_url"),
        (dict(url="kedirikota.go.id"), "source_url"),
        (dict(uncertain="maybe"), "date_uncertain"),
        (dict(date="", uncertain="false"), "date"),
        (dict(practices="masterplan-smart-city;no-such-practice"), "practice_ids"),
    ],
)
def test_a_bad_milestone_names_file_row_and_column(tmp_path, kb, fields, column):
    folder = _copy(tmp_path)
    values = dict(stage="evaluation", date="2024", uncertain="false", practices="masterplan-smart-city", url="https://example.org/a") | fields
    row = _append(folder / "milestones.csv", GOOD.format(**values))
    with pytest.raises(ProgrammeError) as caught:
        load_programme(folder, kb)
    err = caught.value
    assert (err.file, err.row, err.column) == ("milestones.csv", row, column)
    assert f"milestones.csv, row {row}, column {column}" in str(err)


def test_unknown_practice_ids_pass_without_a_knowledge_base(tmp_path):
    folder = _copy(tmp_path)
    _append(folder / "milestones.csv", GOOD.format(stage="evaluation", date="2024", uncertain="false", practices="no-such-practice", url="https://example.org/a"))
    assert len(load_programme(folder).milestones) == len(load_programme(DATA).milestones) + 1


def test_a_visit_needs_a_date_and_a_source(tmp_path, kb):
    folder = _copy(tmp_path)
    row = _append(folder / "visits.csv", "3573,Kota Malang,,prodamas-plus,Studi tiru.,https://example.org/b")
    with pytest.raises(ProgrammeError, match=rf"visits.csv, row {row}, column date"):
        load_programme(folder, kb)
    folder = _copy(tmp_path)
    row = _append(folder / "visits.csv", "3573,Kota Malang,2025-02-10,prodamas-plus,Studi tiru.,")
    with pytest.raises(ProgrammeError, match=rf"visits.csv, row {row}, column source_url"):
        load_programme(folder, kb)


def test_a_stage_without_source_and_a_missing_column_are_named(tmp_path):
    folder = _copy(tmp_path)
    row = _append(folder / "stages.csv", "launch,11,Peluncuran,Launch,Sesuatu.,")
    with pytest.raises(ProgrammeError, match=rf"stages.csv, row {row}, column source_url"):
        load_programme(folder)
    folder = _copy(tmp_path)
    (folder / "visits.csv").write_text("region_code,date\n3328,2020-01-31\n", encoding="utf-8")
    with pytest.raises(ProgrammeError, match=r"visits.csv, row 1, column region_name"):
        load_programme(folder)


def test_a_missing_file_is_an_error_a_person_can_act_on(tmp_path):
    with pytest.raises(ProgrammeError, match="stages.csv"):
        load_programme(tmp_path)
