"""Context of transfer: the region a practice was built in, when it began, beside a region that
would adopt it (issue 11 §3), on the practice page and in the briefing pack.

Only sourced figures: each is the value of the year nearest to the practice's start that the data
hold (the same year for both regions where both have it), with its source; a figure the data do
not hold stays unknown. The differences are worded plainly, one sentence per figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from .formats import number
from .i18n import t
from .practices import Practice
from .regions import USER_SOURCE, Dataset

#: The figures compared, in the order shown; the region's kind (kabupaten / kota) comes first.
CONTEXT_FIGURES = ("population", "area", "density", "grdp_per_head", "ipm", "poverty")
#: Sizes compared as a ratio ("5,6×"); rates as a difference in points.
RATIOS = frozenset({"population", "area", "density", "grdp_per_head"})
#: Within these bounds two figures are said to be comparable, not different.
SIMILAR_RATIO, SIMILAR_POINTS = 1.25, 1.0


@dataclass(frozen=True)
class Figure:
    value: float | None  # None: not held for this region
    year: int | None
    source: str  # source id ("" when not held)


@dataclass(frozen=True)
class Side:
    code: str
    name: str
    kind: str  # kabupaten | kota
    figures: dict[str, Figure]


@dataclass(frozen=True)
class Context:
    practice_id: str
    started: int | None  # the practice's start year, None when unknown
    origin: Side  # the practice's region (Kota Kediri)
    focus: Side
    indicators: tuple[str, ...]  # the figures the dataset has, in CONTEXT_FIGURES order


def _figure(ds: Dataset, code: str, indicator: str, year: int | None) -> Figure:
    """The region's value in `year`, else in the nearest year held (an earlier one on a tie); latest when year is None."""
    rows = ds.values[(ds.values["indicator"] == indicator) & (ds.values["region_code"] == code) & (ds.values["source"] != USER_SOURCE)]
    rows = rows.dropna(subset=["value"])
    if rows.empty:
        return Figure(None, None, "")
    years = sorted(int(y) for y in rows["year"])
    chosen = years[-1] if year is None else min(years, key=lambda y: (abs(y - year), y))
    row = rows[rows["year"] == chosen].iloc[0]
    return Figure(float(row["value"]), chosen, str(row["source"]))


def _side(ds: Dataset, code: str, indicators: tuple[str, ...], years: dict[str, int | None]) -> Side:
    region = ds.region(code)
    return Side(code, str(region["name"]), str(region["kind"]), {i: _figure(ds, code, i, years.get(i)) for i in indicators})


def transfer_context(ds: Dataset, practice: Practice, focus_code: str) -> Context:
    """The practice's region at (or nearest to) its start beside the focus region in the same years;
    DataError for an unknown region code."""
    held = set(ds.indicators["id"])
    indicators = tuple(i for i in CONTEXT_FIGURES if i in held)
    started = practice.start_year
    origin = _side(ds, practice.region_code, indicators, dict.fromkeys(indicators, started))
    focus = _side(ds, focus_code, indicators, {i: origin.figures[i].year if origin.figures[i].year else started for i in indicators})
    return Context(practice.id, started, origin, focus, indicators)


def differences(ctx: Context, ds: Dataset, lang: str = "id") -> list[str]:
    """The differences that matter, one plain sentence each: kind, then each figure as a ratio or a
    difference in points (or comparable), or unknown for the side the data do not cover."""
    origin, focus = ctx.origin, ctx.focus
    said: list[str] = []
    if origin.code == focus.code:
        return [t("transfer.same_region", lang, name=focus.name)]
    if origin.kind != focus.kind:
        said.append(t("transfer.kind", lang, focus=focus.name, focus_kind=t(f"kind.{focus.kind}", lang), origin=origin.name,
                      origin_kind=t(f"kind.{origin.kind}", lang)))
    for indicator in ctx.indicators:
        meta = ds.indicator(indicator)
        what = str(meta["name_en" if lang == "en" else "name_id"])
        a, b = focus.figures[indicator], origin.figures[indicator]
        missing = [side.name for side, f in ((focus, a), (origin, b)) if f.value is None]
        if missing:
            said.append(t("transfer.unknown", lang, what=what, names=" & ".join(missing)))
            continue
        assert a.value is not None and b.value is not None
        years = str(a.year) if a.year == b.year else f"{a.year} / {b.year}"
        shown = dict(what=what, focus=focus.name, origin=origin.name, a=number(a.value, lang), b=number(b.value, lang), unit=str(meta["unit"]),
                     year=years)
        if indicator in RATIOS:
            ratio = a.value / b.value if b.value else float("inf")
            if 1 / SIMILAR_RATIO <= ratio <= SIMILAR_RATIO:
                said.append(t("transfer.similar", lang, **shown))
                continue
            if ratio < 1:  # the larger one is the subject: "Kota Kediri 18× Kabupaten Tegal", not "0,1×"
                ratio = 1 / ratio
                shown.update(focus=origin.name, origin=focus.name, a=shown["b"], b=shown["a"])
            said.append(t("transfer.ratio", lang, ratio=number(round(ratio, 0 if ratio >= 10 else 1), lang, 1), **shown))
        else:
            gap = a.value - b.value
            key = "transfer.points_same" if abs(gap) < SIMILAR_POINTS else "transfer.points_above" if gap > 0 else "transfer.points_below"
            said.append(t(key, lang, points=number(abs(gap), lang, 1), **shown))
    said.append(t("transfer.not_held", lang))
    return said


def year_span(ctx: Context) -> str:
    """The years the figures are from: '2019–2024', one year, or '' when none is held."""
    years = sorted({f.year for side in (ctx.origin, ctx.focus) for f in side.figures.values() if f.year})
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]) if years else ""


def year_note(ctx: Context, lang: str = "id") -> str:
    """Which years the figures are from, against the practice's start."""
    span = year_span(ctx) or t("common.unknown", lang)
    if ctx.started is None:
        return t("transfer.years_unknown_start", lang, years=span)
    return t("transfer.years", lang, started=str(ctx.started), years=span)
