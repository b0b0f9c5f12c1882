"""Context of transfer (issue 11 §3): Kota Kediri when a practice began beside the region that would
adopt it, from sourced figures only, with the differences worded plainly."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rujukan.config import REPO_ROOT
from rujukan.errors import DataError
from rujukan.practices import load_knowledge
from rujukan.regions import load_dataset
from rujukan.tables import transfer_table
from rujukan.transfer import differences, transfer_context, year_note


@pytest.fixture(scope="module")
def ds():
    return load_dataset(REPO_ROOT / "data")


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(REPO_ROOT / "knowledge" / "practices")


def test_tegal_beside_kediri_is_worded_with_the_sourced_figures(ds, kb):
    p = kb.get("prodamas-plus")
    context = transfer_context(ds, p, "3328")
    said = differences(context, ds, "id")
    assert said[0] == "Kabupaten Tegal adalah kabupaten, Kota Kediri kota."
    assert "Jumlah penduduk (SP2020): Kabupaten Tegal 5,6× Kota Kediri (1.596.996 dibanding 286.796 jiwa, 2020)." in said
    assert "Luas wilayah: Kabupaten Tegal 15× Kota Kediri (983,71 dibanding 67,23 km², 2024)." in said
    assert any(line.startswith("PDRB per kapita (harga konstan 2010): Kota Kediri 18× Kabupaten Tegal") for line in said)  # the larger as subject
    assert said[-1].startswith("Rujukan tidak memegang angka APBD")  # what would scale a practice stays unknown
    english = differences(context, ds, "en")
    assert "Kabupaten Tegal is a regency, Kota Kediri a city." in english


def test_figures_are_taken_in_the_year_nearest_the_start_for_both_regions(ds, kb):
    p = kb.get("prodamas-plus")
    assert p.start_year == 2021
    context = transfer_context(ds, p, "3328")
    assert context.origin.figures["ipm"].year == context.focus.figures["ipm"].year == 2021  # IPM is held 2020–2024
    assert context.origin.figures["population"].year == 2020  # the census is the only population year
    earlier = transfer_context(ds, replace(p, started="2015"), "3328")
    assert earlier.origin.figures["ipm"].year == 2020  # the earliest year held, and said so
    assert "Praktik dimulai 2015" in year_note(earlier, "id")
    unknown_start = transfer_context(ds, replace(p, started=""), "3328")
    assert unknown_start.origin.figures["ipm"].year == 2024 and "tidak diketahui" in year_note(unknown_start, "id")


def test_a_figure_the_source_lacks_stays_unknown(ds, kb):
    context = transfer_context(ds, kb.get("prodamas-plus"), "5321")  # Kabupaten Malaka: its INDO-DAPOER GRDP is left out as implausible
    said = differences(context, ds, "id")
    assert "PDRB per kapita (harga konstan 2010): tidak diketahui untuk Kabupaten Malaka (tidak dicakup sumber)." in said
    table = transfer_table(context, ds, "id")
    row = table[table["Indikator (satuan)"].str.startswith("PDRB per kapita")].iloc[0]
    assert row["Kabupaten Malaka"] == "tidak diketahui" and row["Kota Kediri"] == "313,17"


def test_every_figure_names_its_exact_source(ds, kb):
    table = transfer_table(transfer_context(ds, kb.get("prodamas-plus"), "3328"), ds, "id")
    sources = dict(zip(table["Indikator (satuan)"], table["Sumber"]))
    assert sources["Jumlah penduduk (SP2020) (jiwa)"].startswith("BPS (Sensus Penduduk 2020)")
    assert "World Bank INDO-DAPOER 2019 (CC BY 4.0)" in sources["PDRB per kapita (harga konstan 2010) (juta Rp/jiwa)"]
    assert table.iloc[0]["Kabupaten Tegal"] == "kabupaten" and table.iloc[0]["Kota Kediri"] == "kota"


def test_an_unknown_region_is_a_clear_error(ds, kb):
    with pytest.raises(DataError, match="Unknown region code '9999'"):
        transfer_context(ds, kb.get("prodamas-plus"), "9999")
