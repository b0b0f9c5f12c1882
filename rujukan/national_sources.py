"""Readers of the all-Indonesia size and economy sources (data/SOURCES.md §10–§13): the BPS 2020
census population, the BIG 2024 areas, the BPS↔Kemendagri code bridge that the areas are joined
through, and the World Bank INDO-DAPOER 2019 district table (joined by name through crosswalk.csv).

Each reader checks its copy and fails loudly, naming the file, the line and what is wrong; a
region that does not join, or joins twice, stops the build. Codes are never matched by digits
across the two coding systems: only through the bridge (or, for the Papua regions whose
Kemendagri codes changed in 2022, through the bridge's names).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .errors import DuplicateRegionError, JoinError, SourceFormatError

POPULATION_FILE = "samplingin_pop_dt_sp2020.DERIVED.csv"
POPULATION_RDA = "samplingin_pop_dt_sp2020.rda"  # the package's own file; the CSV above is the same table
POPULATION_YEAR = 2020
#: The published SP2020 count of Indonesia, which the 514 regions must add up to.
SP2020_TOTAL = 270_203_917
AREA_FILE = "cahyadsn_wilayah_luas.sql"
AREA_YEAR = 2024
#: Codes the area file stored as numbers, losing a trailing zero (data/SOURCES.md §11).
AREA_CODE_FIXES = {"11.1": "11.10", "12.1": "12.10", "12.2": "12.20", "14.1": "14.10"}
#: Kemendagri province codes of Papua since 2022 (Papua, Papua Barat and the four new provinces), whose
#: regency codes differ from the 2020 bridge's: those rows join the bridge by name within the old
#: Papua provinces (91 Papua Barat, 94 Papua in BPS coding).
PAPUA_SINCE_2022 = ("91", "92", "93", "94", "95", "96")
BRIDGE_FILE = "zakiego_kabkota_bps_kemendagri.csv"
DAPOER_FILE = "worldbank_dapoer_district_2019.csv"
DAPOER_YEAR = 2019
#: INDO-DAPOER columns used -> what they are; the repository author's polygon area and density, the
#: HDI and poverty (BPS's own tables are used for those) are not read.
DAPOER_COLUMNS = {
    "grdp_total": "grdp",  # IDR million, constant 2010 prices, with oil and gas
    "population": "population_2019",  # the 2019 projection (SP2010 basis): only for GRDP per head
    "electricity_access": "electricity",
    "water_access": "water_access",
    "literacy_rate": "literacy",
}
DAPOER_KINDS = {"regency": "kabupaten", "city": "kota"}
#: INDO-DAPOER values that cannot be a whole regency's figure, left out (read as not available) rather
#: than shown; any other value outside an indicator's plausible range still stops the build.
DAPOER_IMPLAUSIBLE = {
    ("Malaka (regency)", "grdp"): "1,310 million rupiah for a regency of 191,892 people (6,800 rupiah a head)",
    ("Sabu Raijua (regency)", "grdp"): "6,170 million rupiah for a regency of 97,379 people",
    ("Malinau (regency)", "grdp"): "52,170 million rupiah for a regency of 90,382 people",
}


def source_text(path: Path) -> str:
    """A raw copy as text; SourceFormatError naming the file when it cannot be read as UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceFormatError(f"{path.name}: cannot be read as UTF-8 ({exc})") from exc


def name_key(text: str) -> str:
    """A name reduced to its letters, upper case: 'Kab. Toli-Toli' and 'KAB TOLITOLI' compare equal."""
    return re.sub(r"[^A-Z]", "", text.upper())


def region_names(regions: dict[str, dict[str, str]], codes: list[str]) -> str:
    return ", ".join(f"{regions[c]['name']} ({c})" for c in codes[:10]) + (f" and {len(codes) - 10} more" if len(codes) > 10 else "")


def parse_number(text: str, file: str, line: int, column: str, decimal_comma: bool = False) -> float:
    """A non-negative number as a raw copy writes it (a decimal point; or a comma when allowed);
    SourceFormatError naming file, line and column otherwise."""
    pattern = r"\d+(?:[.,]\d+)?" if decimal_comma else r"\d+(?:\.\d+)?"
    if not re.fullmatch(pattern, text.strip()):
        raise SourceFormatError(f"{file}: line {line}: column {column}: {text!r} is not a number")
    return float(text.strip().replace(",", "."))


def read_population(raw_dir: Path, regions: dict[str, dict[str, str]]) -> dict[str, int]:
    """BPS code -> SP2020 population, for every region; the total must be the published count."""
    path = raw_dir / POPULATION_FILE
    rows = list(csv.reader(io.StringIO(source_text(path))))
    header = ["idkab", "kdprov", "kdkab", "nmprov", "nmkab", "Laki-laki", "Perempuan", "Total"]
    if not rows or rows[0] != header:
        raise SourceFormatError(f"{path.name}: line 1: the header must be {','.join(header)}")
    population: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise SourceFormatError(f"{path.name}: line {line}: {len(row)} fields, expected {len(header)}")
        code, men, women, total = row[0], row[5], row[6], row[7]
        if code not in regions:
            raise JoinError(f"{path.name}: line {line}: {row[4]} has code {code!r}, not a region code of edwardsamuel_regencies.csv")
        if code in population:
            raise DuplicateRegionError(f"{path.name}: line {line}: region {code} ({row[4]}) appears twice")
        if not all(re.fullmatch(r"\d+", v) for v in (men, women, total)) or int(men) + int(women) != int(total):
            raise SourceFormatError(f"{path.name}: line {line}: {row[4]}: Total {total!r} is not Laki-laki {men!r} + Perempuan {women!r}")
        population[code] = int(total)
    absent = sorted(set(regions) - set(population))
    if absent:
        raise JoinError(f"{path.name}: no row for {region_names(regions, absent)}")
    if sum(population.values()) != SP2020_TOTAL:
        raise SourceFormatError(f"{path.name}: the regions add up to {sum(population.values()):,}, not the published SP2020 count {SP2020_TOTAL:,}")
    return population


def read_bridge(raw_dir: Path, regions: dict[str, dict[str, str]]) -> dict[str, tuple[str, str]]:
    """Kemendagri code -> (BPS code, Kemendagri name), one row per region."""
    path = raw_dir / BRIDGE_FILE
    rows = list(csv.reader(io.StringIO(source_text(path))))
    header = ["kode_bps", "nama_bps", "kode_dagri", "nama_dagri"]
    if not rows or rows[0] != header:
        raise SourceFormatError(f"{path.name}: line 1: the header must be {','.join(header)}")
    bridge: dict[str, tuple[str, str]] = {}
    seen: set[str] = set()
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header) or not re.fullmatch(r"\d{4}", row[0]) or not re.fullmatch(r"\d{4}", row[2]):
            raise SourceFormatError(f"{path.name}: line {line}: expected two 4-digit codes and two names, got {row!r}")
        bps, _, dagri, name = row
        if bps not in regions:
            raise JoinError(f"{path.name}: line {line}: BPS code {bps} ({row[1]}) is not a region code of edwardsamuel_regencies.csv")
        if bps in seen or dagri in bridge:
            raise DuplicateRegionError(f"{path.name}: line {line}: BPS code {bps} or Kemendagri code {dagri} appears twice")
        seen.add(bps)
        bridge[dagri] = (bps, name)
    absent = sorted(set(regions) - seen)
    if absent:
        raise JoinError(f"{path.name}: no row for {region_names(regions, absent)}")
    return bridge


def kind_and_name(name: str) -> tuple[str, str]:
    """'Kabupaten Fak Fak' / 'KAB. FAK FAK' / 'KOTA SORONG' -> ('kabupaten', 'FAKFAK')."""
    upper = name.upper().strip()
    for prefix, kind in (("KABUPATEN ", "kabupaten"), ("KAB. ", "kabupaten"), ("KAB ", "kabupaten"), ("KOTA ", "kota")):
        if upper.startswith(prefix):
            return kind, name_key(upper[len(prefix):])
    return "", name_key(upper)


def papua_names(bridge: dict[str, tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(kind, name key) -> Kemendagri code, for the bridge's rows in the old Papua provinces (91, 92)."""
    return {kind_and_name(name): dagri for dagri, (_, name) in bridge.items() if dagri[:2] in ("91", "92")}


def bps_code(dotted: str, kind_name: tuple[str, str], bridge: dict[str, tuple[str, str]], papua: dict[tuple[str, str], str], where: str) -> str:
    """A Kemendagri kab/kota code ('33.28') -> its BPS code through the bridge; in the Papua provinces
    renumbered in 2022, by kind and name among the bridge's Papua rows. JoinError naming `where`."""
    if dotted[:2] in PAPUA_SINCE_2022:
        dagri = papua.get(kind_name)
        if dagri is None:
            raise JoinError(f"{where} ({dotted}) has no {kind_name[0] or 'row'} of the same name in Papua or Papua Barat in {BRIDGE_FILE}")
    else:
        dagri = dotted.replace(".", "")
    if dagri not in bridge:
        raise JoinError(f"{where} ({dotted}) has no Kemendagri code {dagri} in {BRIDGE_FILE}")
    return bridge[dagri][0]


def read_area(raw_dir: Path, regions: dict[str, dict[str, str]], bridge: dict[str, tuple[str, str]]) -> dict[str, float]:
    """BPS code -> area in km² (BIG 2024), joined through the bridge; every region exactly once."""
    path = raw_dir / AREA_FILE
    found = re.findall(r"\('(\d{2}(?:\.\d{1,2})?)','([^']*)',([0-9.]+)\)", source_text(path))
    papua = papua_names(bridge)
    area: dict[str, float] = {}
    where: dict[str, str] = {}
    for kemendagri, name, text in found:
        kind_name = kind_and_name(name)
        if not kind_name[0]:
            continue  # a province ('31.0' is DKI Jakarta, stored as a number)
        dotted = AREA_CODE_FIXES.get(kemendagri, kemendagri)
        if not re.fullmatch(r"\d{2}\.\d{2}", dotted):
            raise SourceFormatError(f"{path.name}: {name}: code {kemendagri!r} is not a Kemendagri kab/kota code such as 33.28")
        code = bps_code(dotted, kind_name, bridge, papua, f"{path.name}: {name}")
        if code in area:
            raise DuplicateRegionError(f"{path.name}: {regions[code]['name']} ({code}) is given by both {where[code]} and {name} ({dotted})")
        area[code] = float(text)
        where[code] = f"{name} ({dotted})"
    absent = sorted(set(regions) - set(area))
    if absent:
        raise JoinError(f"{path.name}: no area for {region_names(regions, absent)}")
    return area


def dapoer_name(district: str, district_type: str) -> str:
    """How an INDO-DAPOER row is named in crosswalk.csv: the district and its type, which the
    table needs (two Kediri rows, two Tegal rows: one regency, one city)."""
    return f"{district} ({district_type})"


def read_dapoer(raw_dir: Path) -> list[tuple[int, str, str, str, float | None]]:
    """INDO-DAPOER 2019 rows: (line, province, crosswalk name, measure, value or None when empty, NA or
    in DAPOER_IMPLAUSIBLE)."""
    path = raw_dir / DAPOER_FILE
    rows = list(csv.DictReader(io.StringIO(source_text(path))))
    needed = {"district", "district_type", "province", *DAPOER_COLUMNS}
    if not rows or not needed <= set(rows[0]):
        raise SourceFormatError(f"{path.name}: line 1: the header must hold {', '.join(sorted(needed))}")
    out: list[tuple[int, str, str, str, float | None]] = []
    for line, row in enumerate(rows, start=2):
        if row["district_type"] not in DAPOER_KINDS:
            raise SourceFormatError(f"{path.name}: line {line}: column district_type: {row['district_type']!r} is not regency or city")
        name = dapoer_name(row["district"].strip(), row["district_type"])
        for column, measure in DAPOER_COLUMNS.items():
            text = row[column].strip()
            missing = text in ("", "NA") or (name, measure) in DAPOER_IMPLAUSIBLE
            out.append((line, row["province"].strip(), name, measure, None if missing else parse_number(text, path.name, line, column)))
    return out
