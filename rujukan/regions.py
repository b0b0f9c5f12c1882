"""Regions and their indicators: load the built tables, rank, profile, find peers, check uploads.

The tables under data/ are built by `rujukan.databuild` from the unchanged sources in data/raw/.
Every value row carries its source; a user's uploaded figures are marked source="user" and may
add figures but never replace an official one. Regions are compared within one year per indicator
(its reference year), so a Jawa Tengah 2025 figure is never ranked against others' 2021 figures.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from .errors import DataError
from .i18n import t

REGION_COUNT = 514
#: Kota Kediri, the reference city every comparison starts from.
KEDIRI = "3571"
#: Kabupaten Tegal, whose study visits (2020, 2022) this tool began with: where region pickers start.
DEFAULT_FOCUS = "3328"
USER_SOURCE = "user"
#: The source of the region list and of each region's kind and province (sources.csv id).
REGION_SOURCE = "edwardsamuel"
KINDS = ("kota", "kabupaten")
SCOPES = ("province", "national")
#: A region's size and economy (SP2020, BIG 2024, INDO-DAPOER 2019): the context a practice was built
#: in, shown beside the others but not a default for peers and gaps, whose figures were chosen on the
#: BPS statistics.
CONTEXT_INDICATORS = ("population", "area", "density", "grdp", "grdp_per_head", "electricity", "water_access", "literacy")

#: File name -> columns, in the order they are written.
FILES: dict[str, tuple[str, ...]] = {
    "regions.csv": ("code", "name", "province_code", "province", "kind"),
    "indicator_values.csv": ("region_code", "indicator", "year", "value", "source", "caveat"),
    "indicators.csv": ("id", "name_id", "name_en", "unit", "higher_is_better", "source", "caveats"),
    "sources.csv": ("id", "title", "publisher", "url", "table", "year", "licence", "caveats", "label_id", "label_en"),
    "smart_city_scores.csv": ("region_code", "year", "measure", "value", "source_url", "note"),
}
VALUE_COLUMNS = FILES["indicator_values.csv"]
KEY = ["region_code", "indicator", "year"]

#: A reference year must cover at least this share of the regions that the best-covered year covers.
COVERAGE_SHARE = 0.9

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_ROWS = 100_000
MAX_PROBLEMS = 100
UPLOAD_REQUIRED = ("region_code", "indicator", "year", "value")
UPLOAD_OPTIONAL = ("source",)

_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class Dataset:
    """The built tables. Treat the frames as read-only; derive new ones with `with_upload`."""

    regions: pd.DataFrame
    values: pd.DataFrame
    indicators: pd.DataFrame
    sources: pd.DataFrame
    smart_city: pd.DataFrame
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # answers worked out once (the frames are read-only)

    def names(self) -> dict[str, str]:
        """Region code -> human name ("Kota Kediri")."""
        if "names" not in self._memo:
            self._memo["names"] = dict(zip(self.regions["code"], self.regions["name"]))
        return dict(self._memo["names"])

    def source_label(self, source_id: str, lang: str) -> str:
        """A source's short label in the language (label_id / label_en; its title where there is no
        label, its id where the source is not in sources.csv)."""
        key = ("source_labels", lang)
        if key not in self._memo:
            column = f"label_{lang}" if f"label_{lang}" in self.sources.columns else "title"
            labels = self.sources[column].where(self.sources[column].astype(str).str.strip() != "", self.sources["title"])
            self._memo[key] = dict(zip(self.sources["id"], labels.astype(str)))
        return self._memo[key].get(source_id, source_id)

    def _values_of(self, indicator: str) -> pd.DataFrame:
        if "by_indicator" not in self._memo:
            self._memo["by_indicator"] = {str(i): rows for i, rows in self.values.groupby("indicator", sort=False)}
        return self._memo["by_indicator"].get(indicator, self.values.iloc[0:0])

    def reference_year(self, indicator: str) -> int | None:
        """reference_year() over this dataset's values."""
        key = ("reference_year", indicator)
        if key not in self._memo:
            self._memo[key] = reference_year(self._values_of(indicator), indicator)
        return self._memo[key]

    def latest(self, indicator: str, year: int | None = None) -> pd.DataFrame:
        """latest() over this dataset's values (a copy: change it freely)."""
        year = self.reference_year(indicator) if year is None else int(year)
        key = ("latest", indicator, year)
        if key not in self._memo:
            self._memo[key] = latest(self._values_of(indicator), indicator, year)
        return self._memo[key].copy()

    def region(self, code: str) -> dict[str, Any]:
        """One region as a dict; DataError if the code is unknown."""
        rows = self.regions[self.regions["code"] == str(code)]
        if rows.empty:
            raise DataError(f"Unknown region code {code!r}: use a 4-digit BPS code from regions.csv, e.g. 3328.")
        return cast(dict[str, Any], rows.iloc[0].to_dict())

    def indicator(self, indicator_id: str) -> dict[str, Any]:
        """One indicator's metadata as a dict; DataError if the id is unknown."""
        if "indicators" not in self._memo:
            self._memo["indicators"] = {str(row["id"]): row for row in self.indicators.to_dict("records")}
        if indicator_id not in self._memo["indicators"]:
            known = ", ".join(self.indicators["id"])
            raise DataError(f"Unknown indicator {indicator_id!r}; known: {known}.")
        return dict(self._memo["indicators"][indicator_id])

    def with_upload(self, upload: UploadResult) -> Dataset:
        """A new Dataset whose values include a valid upload's rows (source="user")."""
        if not upload.ok:
            raise DataError(f"The upload has {len(upload.problems)} problem(s); nothing from it is used.")
        values = pd.concat([self.values, upload.values], ignore_index=True)
        if values.duplicated(KEY).any():
            raise DataError("The upload repeats figures that are already loaded; check it against this dataset again.")
        return replace(self, values=_sorted_values(values))


def load_dataset(data_dir: Path) -> Dataset:
    """Read and check the five built tables under `data_dir`."""
    frames = {name: _read(Path(data_dir) / name, columns) for name, columns in FILES.items()}
    regions = frames["regions.csv"]
    _require_unique(regions, ["code"], "regions.csv")
    _check_pattern(regions, "code", r"^\d{4}$", "regions.csv", "a 4-digit BPS code")
    _check_pattern(regions, "province_code", r"^\d{2}$", "regions.csv", "a 2-digit province code")
    _check_member(regions, "kind", set(KINDS), "regions.csv")
    if len(regions) != REGION_COUNT:
        raise DataError(f"regions.csv has {len(regions)} regions, expected {REGION_COUNT}; rebuild with python -m rujukan data build.")

    sources = frames["sources.csv"]
    _require_unique(sources, ["id"], "sources.csv")
    indicators = frames["indicators.csv"]
    _require_unique(indicators, ["id"], "indicators.csv")
    _check_member(indicators, "higher_is_better", {"true", "false", ""}, "indicators.csv")
    indicators["neutral"] = indicators["higher_is_better"] == ""  # a size (population, area): larger is not better
    indicators["higher_is_better"] = indicators["higher_is_better"] != "false"  # sizes rank and take percentiles largest first

    values = frames["indicator_values.csv"]
    _check_member(values, "region_code", set(regions["code"]), "indicator_values.csv")
    _check_member(values, "indicator", set(indicators["id"]), "indicator_values.csv")
    _check_member(values, "source", set(sources["id"]), "indicator_values.csv")
    values["year"] = _numbers(values, "year", "indicator_values.csv", integer=True)
    values["value"] = _numbers(values, "value", "indicator_values.csv")
    _require_unique(values, KEY, "indicator_values.csv")

    smart = frames["smart_city_scores.csv"]
    _check_member(smart, "region_code", set(regions["code"]), "smart_city_scores.csv")
    smart["year"] = _numbers(smart, "year", "smart_city_scores.csv", integer=True)
    smart["value"] = _numbers(smart, "value", "smart_city_scores.csv", allow_empty=True)
    return Dataset(regions, _sorted_values(values), indicators, sources, smart)


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    if not path.is_file():
        raise DataError(f"{path} is missing; build the tables with: python -m rujukan data build")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"{path.name}: cannot be read as a UTF-8 CSV ({exc})") from exc
    if tuple(frame.columns) != columns:
        raise DataError(f"{path.name}: row 1: columns are {', '.join(frame.columns)}; expected {', '.join(columns)}")
    return frame


def _rows(mask: pd.Series) -> str:
    rows = [str(i + 2) for i in np.flatnonzero(mask.to_numpy())]
    return ", ".join(rows[:5]) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")


def _require_unique(frame: pd.DataFrame, key: list[str], name: str) -> None:
    dup = frame.duplicated(key, keep=False)
    if dup.any():
        raise DataError(f"{name}: rows {_rows(dup)}: the same {', '.join(key)} appears more than once")


def _check_pattern(frame: pd.DataFrame, column: str, pattern: str, name: str, what: str) -> None:
    bad = ~frame[column].str.fullmatch(pattern)
    if bad.any():
        raise DataError(f"{name}: row {_rows(bad)}, column {column}: must be {what}")


def _check_member(frame: pd.DataFrame, column: str, allowed: set[str], name: str) -> None:
    bad = ~frame[column].isin(allowed)
    if bad.any():
        first = frame.loc[bad, column].iloc[0]
        raise DataError(f"{name}: row {_rows(bad)}, column {column}: unknown value {first!r}")


def _numbers(frame: pd.DataFrame, column: str, name: str, integer: bool = False, allow_empty: bool = False) -> pd.Series:
    text = frame[column].str.strip()
    numbers = pd.to_numeric(text.where(text != "", None), errors="coerce")
    bad = numbers.isna() & ((text != "") | (not allow_empty))
    if integer:
        bad |= numbers.notna() & (numbers % 1 != 0)
    if bad.any():
        raise DataError(f"{name}: row {_rows(bad)}, column {column}: not a {'whole ' if integer else ''}number")
    return numbers.astype("int64") if integer else numbers.astype("float64")


def _sorted_values(values: pd.DataFrame) -> pd.DataFrame:
    return values.sort_values(KEY + ["source"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- analysis


def reference_year(values: pd.DataFrame, indicator: str) -> int | None:
    """The most recent year whose coverage is at least 90 % of the indicator's best-covered year."""
    rows = values[(values["indicator"] == indicator) & values["value"].notna()]
    if rows.empty:
        return None
    coverage = rows.groupby("year")["region_code"].nunique()
    return int(coverage[coverage >= COVERAGE_SHARE * coverage.max()].index.max())


def latest(values: pd.DataFrame, indicator: str, year: int | None = None) -> pd.DataFrame:
    """One value per region for the indicator in one year (default: its reference year).

    Columns: region_code, indicator, year, value, source, caveat. Empty if there is no such value.
    """
    year = reference_year(values, indicator) if year is None else int(year)
    rows = values[(values["indicator"] == indicator) & (values["year"] == year) & values["value"].notna()]
    rows = rows.assign(_user=rows["source"] == USER_SOURCE).sort_values(["region_code", "_user"], kind="stable")
    return rows.drop_duplicates("region_code").drop(columns="_user").reset_index(drop=True)[list(VALUE_COLUMNS)]


def national_indicators(ds: Dataset) -> list[str]:
    """Indicators whose reference year covers every region, the context ones aside (a sensible
    default for peers and gaps)."""
    return [i for i in ds.indicators["id"] if i not in CONTEXT_INDICATORS and ds.latest(i)["region_code"].nunique() == len(ds.regions)]


def _percentiles(values: pd.Series, higher_is_better: bool) -> pd.Series:
    """0 = worst, 100 = best; ties share the average rank."""
    n = len(values)
    if n == 1:
        return pd.Series(100.0, index=values.index)
    ranks = values.rank(method="average", ascending=higher_is_better)
    return (ranks - 1) / (n - 1) * 100


def percentile_profile(ds: Dataset, focus: str, others: list[str], indicators: list[str]) -> pd.DataFrame:
    """Each region's percentile (0–100, higher is always better) among all regions with a value.

    Columns: region_code, name, indicator, year, value, source, caveat, percentile, n
    (n = regions ranked). A region without a value gets a row with empty value and percentile.
    """
    codes = list(dict.fromkeys([str(focus)] + [str(c) for c in others]))
    _check_codes(ds, codes)
    key = ("percentile_profile", tuple(codes), tuple(indicators))
    if key not in ds._memo:  # a page draws the same profile for its chart and its table
        ds._memo[key] = _percentile_profile(ds, codes, list(indicators))
    return ds._memo[key].copy()


def _percentile_profile(ds: Dataset, codes: list[str], indicators: list[str]) -> pd.DataFrame:
    names = ds.names()
    parts = []
    for indicator in indicators:
        meta = ds.indicator(indicator)
        table = ds.latest(indicator)
        table = table.assign(percentile=_percentiles(table["value"], bool(meta["higher_is_better"])))
        year = int(table["year"].iloc[0]) if len(table) else pd.NA
        chosen = pd.DataFrame({"region_code": codes}).merge(table, on="region_code", how="left")
        chosen = chosen.assign(indicator=indicator, year=chosen["year"].fillna(year), n=len(table))
        parts.append(chosen)
    columns = ["region_code", "name", "indicator", "year", "value", "source", "caveat", "percentile", "n"]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    out["name"] = out["region_code"].map(names)
    out["year"] = out["year"].astype("Int64")
    out["source"] = out["source"].fillna("")
    out["caveat"] = out["caveat"].fillna("")
    return out[columns]


@dataclass(frozen=True)
class Ranking:
    """Where a region stands among the regions of its province, or of the whole country."""

    indicator: str
    year: int | None
    scope: str
    province: str | None
    region_code: str | None
    rank: int | None  # 1 = best; None when the region has no value
    of: int
    table: pd.DataFrame = field(repr=False)  # region_code, name, province, value, source, caveat, rank; best first


def rank_within(
    ds: Dataset, indicator: str, year: int | None = None, scope: str = "province", region_code: str | None = None
) -> Ranking:
    """Rank regions on one indicator in one year (default: its reference year), best first."""
    if scope not in SCOPES:
        raise DataError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    meta = ds.indicator(indicator)
    region = ds.region(region_code) if region_code is not None else None
    if scope == "province" and region is None:
        raise DataError("A province ranking needs a region_code (the province is the region's).")
    year = ds.reference_year(indicator) if year is None else int(year)
    table = ds.latest(indicator, year)
    regions = ds.regions if scope == "national" or region is None else ds.regions[ds.regions["province_code"] == region["province_code"]]
    table = regions[["code", "name", "province"]].rename(columns={"code": "region_code"}).merge(table, on="region_code")
    table["rank"] = table["value"].rank(method="min", ascending=not meta["higher_is_better"]).astype("int64")
    table = table.sort_values(["rank", "region_code"], kind="stable").reset_index(drop=True)
    table = table[["region_code", "name", "province", "value", "source", "caveat", "rank"]]
    own = table[table["region_code"] == (region["code"] if region else None)]
    return Ranking(
        indicator=indicator,
        year=year,
        scope=scope,
        province=region["province"] if scope == "province" and region is not None else None,
        region_code=region["code"] if region else None,
        rank=int(own["rank"].iloc[0]) if len(own) else None,
        of=len(table),
        table=table,
    )


@dataclass(frozen=True)
class Peer:
    """A region near the focus. `gaps`: standardised difference (peer − focus) per indicator;
    `contributions`: its square, so they sum to distance²; `closest`: indicators, most alike first."""

    code: str
    name: str
    kind: str
    province: str
    distance: float
    values: dict[str, float]
    gaps: dict[str, float]
    contributions: dict[str, float]
    closest: tuple[str, ...]


class PeerList(list):
    """The peers, nearest first, with what the search used and which regions it had to skip."""

    def __init__(self, peers: list[Peer], focus: str, indicators: tuple[str, ...], years: dict[str, int], skipped: tuple[str, ...], considered: int):
        super().__init__(peers)
        self.focus = focus
        self.indicators = indicators
        self.years = years  # indicator -> the year compared
        self.skipped = skipped  # candidate codes without a value for some chosen indicator
        self.considered = considered  # candidates with every value


#: Indicators with a sourced per-head or per-km² counterpart (a derived indicator of the build), for the page's switch.
PER_UNIT = {"grdp": {"per_head": "grdp_per_head"}, "population": {"per_km2": "density"}}


#: A peer of the "same population band" has from 1/SIZE_BAND to SIZE_BAND times the focus's population.
SIZE_BAND = 2.0


def population_band(people: float) -> tuple[float, float]:
    """The population band around a region of `people` inhabitants: (low, high), inclusive."""
    return people / SIZE_BAND, people * SIZE_BAND


def find_peers(
    ds: Dataset,
    focus_code: str,
    indicators: list[str],
    k: int = 5,
    same_kind: bool = False,
    same_province: bool = False,
    same_size: bool = False,
) -> PeerList:
    """The k regions nearest to the focus by Euclidean distance on z-scores; optionally only those of
    the same kind, province, or population band (SIZE_BAND: from half to twice the focus's people).

    Each indicator is standardised over all regions with a value in its reference year, so no
    indicator weighs more because of its unit. Candidates missing any chosen indicator are skipped
    and listed in `.skipped`. Ties are broken by region code.
    """
    focus = ds.region(focus_code)
    chosen = tuple(dict.fromkeys(indicators))
    if not chosen:
        raise DataError("Choose at least one indicator to find similar regions.")
    if not isinstance(k, int) or k < 1:
        raise DataError(f"k must be a whole number of at least 1, not {k!r}")
    columns: dict[str, pd.Series] = {}
    raw: dict[str, pd.Series] = {}
    years: dict[str, int] = {}
    for indicator in chosen:
        ds.indicator(indicator)
        rows = ds.latest(indicator)
        if rows.empty:
            raise DataError(f"No region has a value for {indicator!r}.")
        years[indicator] = int(rows["year"].max())  # latest() holds the reference year only
        table = rows.set_index("region_code")["value"]
        std = float(table.std(ddof=0))
        columns[indicator] = (table - table.mean()) / std if std > 0 else table * 0.0
        raw[indicator] = table
    z = pd.DataFrame(columns)
    values = pd.DataFrame(raw)
    absent = z.reindex([focus["code"]]).iloc[0].isna()  # all True when the focus has no value at all
    missing = [i for i in chosen if absent[i]]
    if missing:
        labels = ", ".join(f"{i} ({years[i]})" for i in missing)
        raise DataError(f"{focus['name']} ({focus['code']}) has no value for {labels}; choose other indicators.")
    candidates = ds.regions[ds.regions["code"] != focus["code"]]
    if same_kind:
        candidates = candidates[candidates["kind"] == focus["kind"]]
    if same_province:
        candidates = candidates[candidates["province_code"] == focus["province_code"]]
    if same_size:
        people = ds.latest("population").set_index("region_code")["value"]
        if focus["code"] not in people.index:
            raise DataError(f"{focus['name']} ({focus['code']}) has no population figure, so no population band can be chosen.")
        low, high = population_band(float(people[focus["code"]]))
        candidates = candidates[candidates["code"].map(people).between(low, high)]
    complete = z.reindex(candidates["code"]).dropna()
    skipped = tuple(sorted(set(candidates["code"]) - set(complete.index)))
    gaps = complete - z.loc[focus["code"]]
    distance = np.sqrt((gaps**2).sum(axis=1))
    order = pd.DataFrame({"code": distance.index, "distance": distance.to_numpy()}).sort_values(["distance", "code"], kind="stable")
    nearest = list(order["code"].iloc[:k])
    info = ds.regions.set_index("code").loc[nearest].to_dict("index")
    gap_rows, value_rows = gaps.loc[nearest].to_dict("index"), values.loc[nearest].to_dict("index")
    peers = []
    for code, dist in zip(nearest, order["distance"].iloc[:k]):
        gap = {i: float(gap_rows[code][i]) for i in chosen}
        contrib = {i: g * g for i, g in gap.items()}
        peers.append(
            Peer(
                code=code,
                name=str(info[code]["name"]),
                kind=str(info[code]["kind"]),
                province=str(info[code]["province"]),
                distance=float(dist),
                values={i: float(value_rows[code][i]) for i in chosen},
                gaps=gap,
                contributions=contrib,
                closest=tuple(sorted(chosen, key=lambda i: (contrib[i], chosen.index(i)))),
            )
        )
    return PeerList(peers, focus["code"], chosen, years, skipped, len(complete))


def compare(ds: Dataset, codes: list[str], indicators: list[str] | None = None) -> pd.DataFrame:
    """Every value (all years) of the given regions, with its year, source and caveat.

    Columns: region_code, name, indicator, year, value, unit, source, caveat; ordered by
    indicator (as listed), region (as given) and year.
    """
    codes = list(dict.fromkeys(str(c).strip() for c in codes))
    _check_codes(ds, codes)
    indicators = list(ds.indicators["id"]) if indicators is None else list(dict.fromkeys(indicators))
    for indicator in indicators:
        ds.indicator(indicator)
    rows = ds.values[ds.values["region_code"].isin(codes) & ds.values["indicator"].isin(indicators)].copy()
    rows["name"] = rows["region_code"].map(ds.names())
    rows["unit"] = rows["indicator"].map(dict(zip(ds.indicators["id"], ds.indicators["unit"])))
    rows["_i"] = rows["indicator"].map({i: n for n, i in enumerate(indicators)})
    rows["_r"] = rows["region_code"].map({c: n for n, c in enumerate(codes)})
    rows = rows.sort_values(["_i", "_r", "year", "source"], kind="stable")
    return rows[["region_code", "name", "indicator", "year", "value", "unit", "source", "caveat"]].reset_index(drop=True)


def _check_codes(ds: Dataset, codes: list[str]) -> None:
    known = set(ds.regions["code"])
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DataError(f"Unknown region code(s): {', '.join(unknown)}; use 4-digit BPS codes from regions.csv, e.g. 3328.")


# --------------------------------------------------------------------------- uploads


#: What can be wrong with an uploaded CSV: UploadProblem.code, worded in rujukan.i18n's "upload" namespace.
UPLOAD_PROBLEMS = (
    "empty", "not_utf8", "not_csv", "too_big", "missing_column", "unknown_column", "repeated_column", "no_rows", "too_many_rows",
    "more_problems", "cell_count", "cell_count_comma", "bad_code", "unknown_code", "unknown_indicator", "bad_year", "value_empty",
    "decimal_comma", "not_number", "not_finite", "out_of_range", "long_source", "repeats_row", "replaces_official", "replaces_upload",
)


@dataclass(frozen=True)
class UploadProblem:
    """One thing wrong with an uploaded file. Row 1 is the header, as a spreadsheet counts.
    `code` names the problem (worded in rujukan.i18n, "upload.<code>"), `params` fill it in."""

    row: int
    column: str
    code: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        """What is wrong, in English (the command line's and the logs' language)."""
        return self.worded("en", where=False)

    def worded(self, lang: str, where: bool = True) -> str:
        """What is wrong and where, in the language."""
        said = t(f"upload.{self.code}", lang, **dict(self.params))
        if not where:
            return said
        place = t("upload_at.row", lang, row=str(self.row)) if self.row else t("upload_at.file", lang)
        return t("upload_at.column", lang, place=place, column=self.column, said=said) if self.column else f"{place}: {said}"

    def __str__(self) -> str:
        return self.worded("en")


def _problem(row: int, column: str, problem: str, **params: Any) -> UploadProblem:
    return UploadProblem(row, column, problem, tuple((k, str(v)) for k, v in params.items()))


@dataclass(frozen=True)
class UploadResult:
    """Accepted rows (source="user") only when the whole file is valid; otherwise its problems."""

    values: pd.DataFrame
    problems: tuple[UploadProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _refuse(*problems: UploadProblem) -> UploadResult:
    return UploadResult(pd.DataFrame(columns=list(VALUE_COLUMNS)), tuple(problems))


def _size(upload: Any) -> int | None:
    """The size in bytes, found without reading the content where possible."""
    if isinstance(upload, (bytes, bytearray, memoryview)):
        return len(upload)
    if isinstance(upload, str):
        return len(upload.encode("utf-8"))
    if isinstance(upload, Path):
        return upload.stat().st_size
    size = getattr(upload, "size", None)  # Streamlit's UploadedFile
    if isinstance(size, int):
        return size
    if hasattr(upload, "seek") and hasattr(upload, "tell"):
        here = upload.tell()
        upload.seek(0, io.SEEK_END)
        end = upload.tell()
        upload.seek(here)
        return end - here
    return None


def _cells(upload: Any) -> tuple[list[list[str]], bool, UploadProblem | None]:
    """The file as rows of text cells (header first) and whether it is ';'-separated, or the
    problem that stops reading it."""
    if isinstance(upload, pd.DataFrame):
        header = [str(c) for c in upload.columns]
        body = upload.astype(object).where(upload.notna(), "").astype(str).values.tolist()
        return [header] + body, False, None
    if isinstance(upload, Path):
        data = upload.read_bytes()
    elif isinstance(upload, str):
        data = upload.encode("utf-8")
    elif isinstance(upload, (bytes, bytearray, memoryview)):
        data = bytes(upload)
    elif hasattr(upload, "getvalue"):
        data = upload.getvalue()
    else:
        data = upload.read()
    if not data.strip():
        return [], False, _problem(0, "", "empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], False, _problem(0, "", "not_utf8", byte=exc.start)
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return [], False, _problem(0, "", "not_csv", error=exc)
    return rows, delimiter == ";", None


def validate_upload(upload: Any, ds: Dataset) -> UploadResult:
    """Check a user's CSV of values (region_code, indicator, year, value[, source]) row by row.

    `upload`: bytes, CSV text, a Path, a file-like object (e.g. Streamlit's UploadedFile) or a
    DataFrame. Files over 5 MB are refused before they are read. Numbers use a decimal point;
    a ';'-separated file (as spreadsheets save in Indonesian settings) may use a decimal comma.
    Indicators must be ones the app knows (indicators.csv); an upload may add years or regions to
    them but not replace an official figure. Nothing is accepted unless every row is valid.
    """
    size = _size(upload)
    if size is not None and size > MAX_UPLOAD_BYTES:
        return _refuse(_problem(0, "", "too_big", size=f"{size / 1024 / 1024:.1f}", limit=MAX_UPLOAD_BYTES // 1024 // 1024))
    rows, decimal_comma, problem = _cells(upload)
    if problem:
        return _refuse(problem)
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        return _refuse(_problem(0, "", "empty"))
    header = [cell.strip().lower() for cell in rows[0]]
    problems = []
    for column in UPLOAD_REQUIRED:
        if column not in header:
            problems.append(_problem(1, column, "missing_column"))
    for column in header:
        if column not in UPLOAD_REQUIRED + UPLOAD_OPTIONAL:
            problems.append(_problem(1, column or "(empty)", "unknown_column"))
        elif header.count(column) > 1:
            problems.append(_problem(1, column, "repeated_column"))
    if problems:
        return _refuse(*dict.fromkeys(problems))
    body = rows[1:]
    if not any(any(cell.strip() for cell in row) for row in body):
        return _refuse(_problem(0, "", "no_rows"))
    if len(body) > MAX_UPLOAD_ROWS:
        return _refuse(_problem(0, "", "too_many_rows", rows=len(body), limit=MAX_UPLOAD_ROWS))
    return _check_rows(header, body, ds, decimal_comma)


def _check_rows(header: list[str], body: list[list[str]], ds: Dataset, decimal_comma: bool) -> UploadResult:
    regions = set(ds.regions["code"])
    meta = ds.indicators.set_index("id")
    existing = {(c, i, int(y)): (v, s) for c, i, y, v, s in ds.values[KEY + ["value", "source"]].itertuples(index=False)}
    problems: list[UploadProblem] = []
    accepted: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, int], int] = {}
    for offset, cells in enumerate(body):
        row = offset + 2
        if len(problems) >= MAX_PROBLEMS:
            problems.append(_problem(row, "", "more_problems", limit=MAX_PROBLEMS))
            break
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            split = len(cells) == len(header) + 1  # most likely an unquoted decimal comma
            problems.append(_problem(row, "", "cell_count_comma" if split else "cell_count", cells=len(cells), columns=len(header)))
            continue
        cell = {name: value.strip() for name, value in zip(header, cells)}
        found: list[UploadProblem] = []
        code = cell["region_code"]
        if not re.fullmatch(r"\d{4}", code):
            found.append(_problem(row, "region_code", "bad_code", code=repr(code)))
        elif code not in regions:
            found.append(_problem(row, "region_code", "unknown_code", code=repr(code), count=REGION_COUNT))
        indicator = cell["indicator"]
        if indicator not in meta.index:
            found.append(_problem(row, "indicator", "unknown_indicator", indicator=repr(indicator), known=", ".join(meta.index)))
        year = _whole(cell["year"])
        if year is None or not 1990 <= year <= 2100:
            found.append(_problem(row, "year", "bad_year", year=repr(cell["year"])))
        value, wrong = _number(cell["value"], decimal_comma)
        if wrong:
            found.append(_problem(row, "value", wrong, text=repr(cell["value"]), fixed=cell["value"].replace(",", ".")))
        elif indicator in meta.index:
            low, high = _bounds(str(meta.at[indicator, "unit"]))
            if not low <= value <= high:
                found.append(_problem(row, "value", "out_of_range", value=f"{value:g}", low=f"{low:g}", high=f"{high:g}", indicator=indicator))
        source = cell.get("source", "")
        if len(source) > 200:
            found.append(_problem(row, "source", "long_source", limit=200))
        if not found and year is not None:
            key = (code, indicator, year)
            if key in seen:
                found.append(_problem(row, "region_code,indicator,year", "repeats_row", first=seen[key]))
            elif key in existing:
                figure, source = existing[key]
                found.append(_problem(
                    row, "region_code,indicator,year", "replaces_upload" if source == USER_SOURCE else "replaces_official",
                    code=code, indicator=indicator, year=year, figure=f"{figure:g}",
                ))
            seen.setdefault(key, row)
        if found or year is None:
            problems.extend(found)
            continue
        caveat = "supplied by the user; not an official figure" + (f"; their source: {source}" if source else "")
        accepted.append({"region_code": code, "indicator": indicator, "year": year, "value": value, "source": USER_SOURCE, "caveat": caveat})
    if problems:
        return _refuse(*problems)
    values = pd.DataFrame(accepted, columns=list(VALUE_COLUMNS)).astype({"year": "int64", "value": "float64"})
    return UploadResult(_sorted_values(values), ())


def _whole(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[+-]?\d{1,6}", text) else None


def _number(text: str, decimal_comma: bool = False) -> tuple[float, str]:
    """A finite number (decimal point; or comma when allowed), or the code of what is wrong
    (UploadProblem: value_empty, decimal_comma, not_number, not_finite)."""
    if not text:
        return math.nan, "value_empty"
    if decimal_comma and _COMMA_DECIMAL.match(text):
        text = text.replace(",", ".")
    elif _COMMA_DECIMAL.match(text):
        return math.nan, "decimal_comma"
    if not _NUMBER.match(text):
        return math.nan, "not_number"
    value = float(text)
    if not math.isfinite(value):
        return math.nan, "not_finite"
    return value, ""


def _bounds(unit: str) -> tuple[float, float]:
    """Plausible range by unit: shares and 0–100 indices cannot leave 0–100; nothing is negative."""
    return (0.0, 100.0) if unit.startswith(("%", "indeks")) else (0.0, math.inf)

