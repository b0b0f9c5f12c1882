"""Tables as people read them: columns labelled in the interface language (units in the header),
numbers written the language's way and sensibly rounded, labels instead of codes, and a word
instead of an empty cell. The pages show these; exports keep the codes and add the labels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from .assessment import INSTITUTIONS, Assessment, scale_label, state_label
from .formats import number
from .i18n import t
from .regions import REGION_SOURCE, Dataset, percentile_profile
from .transfer import Context
from .visits import RecordedVisit
from .vocabulary import DIMENSIONS, dimension_label

DASH = "–"


def _year(value: Any) -> str:
    """A year as written, without a thousands separator; a dash when missing."""
    text = number(value, "en", 0)
    return text.replace(",", "") if text else DASH


def _unit(unit: Any) -> str:
    return f" ({unit})" if isinstance(unit, str) and unit else ""


def source_line(ds: Dataset, source_ids: Sequence[str], lang: str, years: str = "") -> str:
    """The line a chart carries at its foot: the sources of the values it draws, and their year(s)."""
    labels = "; ".join(ds.source_label(s, lang) for s in dict.fromkeys(s for s in source_ids if isinstance(s, str) and s))
    line = t("chart.source", lang, sources=labels or t("common.unknown", lang))
    return f"{line} · {years}" if years else line


def comparison_table(ds: Dataset, focus: str, reference: str, peers: Sequence[str], indicators: Sequence[str], lang: str) -> pd.DataFrame:
    """One row per indicator: its year, the focus's and the reference's value and percentile, the
    peers' median value and percentile, and the source — the reference year of each indicator."""
    names = ds.names()
    profile = percentile_profile(ds, focus, [reference, *peers], list(indicators))
    meta = ds.indicators.set_index("id")
    name_column = "name_en" if lang == "en" else "name_id"
    pct = t("tables.percentile", lang)
    rows = []
    for indicator in indicators:
        part = profile[profile["indicator"] == indicator].set_index("region_code")
        unit = meta.at[indicator, "unit"]
        row: dict[str, str] = {
            t("tables.indicator", lang): f"{str(meta.at[indicator, name_column])}{_unit(unit)}",
            t("tables.year", lang): _year(part["year"].dropna().max()) if part["year"].notna().any() else DASH,
        }
        size = bool(meta.at[indicator, "neutral"])  # a size has no standing: no percentile
        for code in (focus, reference):
            here = part.loc[code] if code in part.index else None
            row[names.get(code, code)] = number(None if here is None else here["value"], lang, unknown=t("common.not_available", lang))
            row[f"{names.get(code, code)} · {pct}"] = number(None if here is None or size else here["percentile"], lang, 0, DASH)
        peer_part = part.loc[part.index.isin(peers)]
        median = t("tables.peers_median", lang, n=str(len(peers)))
        row[median] = number(peer_part["value"].median() if len(peer_part) else None, lang, unknown=DASH)
        row[f"{median} · {pct}"] = number(peer_part["percentile"].median() if len(peer_part) and not size else None, lang, 0, DASH)
        for label, value in reference_medians(ds, focus, indicator, lang).items():
            row[label] = number(value, lang, unknown=DASH)
        used = [s for s in dict.fromkeys(part["source"]) if s]
        row[t("common.sources", lang)] = "; ".join(ds.source_label(s, lang) for s in used) or DASH
        rows.append(row)
    return pd.DataFrame(rows)


def transfer_table(ctx: Context, ds: Dataset, lang: str) -> pd.DataFrame:
    """The context of transfer as people read it: kind, then each figure of both regions with its
    year and its exact source ("tidak diketahui" where the data hold none)."""
    unknown = t("common.unknown", lang)
    origin, focus = ctx.origin, ctx.focus
    name_column = "name_en" if lang == "en" else "name_id"
    kind_source = ds.source_label(REGION_SOURCE, lang)
    rows = [{
        t("tables.indicator", lang): t("tables.kind", lang), t("tables.year", lang): DASH,
        origin.name: t(f"kind.{origin.kind}", lang), focus.name: t(f"kind.{focus.kind}", lang), t("common.sources", lang): kind_source,
    }]
    for indicator in ctx.indicators:
        meta = ds.indicator(indicator)
        a, b = origin.figures[indicator], focus.figures[indicator]
        years = [y for y in dict.fromkeys((a.year, b.year)) if y]
        used = [s for s in dict.fromkeys((a.source, b.source)) if s]
        rows.append({
            t("tables.indicator", lang): f"{meta[name_column]}{_unit(str(meta['unit']))}",
            t("tables.year", lang): " / ".join(str(y) for y in years) or DASH,
            origin.name: number(a.value, lang, unknown=unknown),
            focus.name: number(b.value, lang, unknown=unknown),
            t("common.sources", lang): "; ".join(ds.source_label(s, lang) for s in used) or unknown,
        })
    return pd.DataFrame(rows)


def reference_medians(ds: Dataset, focus: str, indicator: str, lang: str) -> dict[str, float | None]:
    """The medians a region is read against besides Kota Kediri, in the indicator's reference year:
    its province's, the nation's and that of every region of its kind (kabupaten or kota)."""
    region = ds.region(focus)
    values = ds.latest(indicator).merge(ds.regions[["code", "province_code", "kind"]], left_on="region_code", right_on="code")
    groups = {
        t("tables.province_median", lang, province=str(region["province"])): values["province_code"] == region["province_code"],
        t("tables.national_median", lang): values["code"].notna(),
        t({"kabupaten": "tables.kind_median_kabupaten", "kota": "tables.kind_median_kota"}[str(region["kind"])], lang): values["kind"] == region["kind"],
    }
    return {label: (float(values.loc[mask, "value"].median()) if mask.any() else None) for label, mask in groups.items()}


def labelled_values(ds: Dataset, table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An export of compare()'s rows: the codes kept, with the region's and indicator's names, the
    source's label and address beside them."""
    meta = ds.indicators.set_index("id")
    sources = ds.sources.set_index("id")
    out = table.copy()
    out.insert(3, "indicator_name", out["indicator"].map(lambda i: meta.at[i, "name_en" if lang == "en" else "name_id"] if i in meta.index else i))
    out["source_label"] = out["source"].map(lambda s: ds.source_label(s, lang))
    out["source_url"] = out["source"].map(lambda s: sources.at[s, "url"] if s in sources.index else "")
    return out


def peers_table(peers: Sequence[Any], region_label: Callable[[str], str], indicator_name: Callable[[str], str], lang: str,
                population: dict[str, float] | None = None) -> pd.DataFrame:
    """The suggested peers: region, its kind, its population (SP2020) when given, distance (smaller is
    closer) and the indicators it is closest on."""
    columns = {
        t("compare.col_region", lang): [region_label(p.code) for p in peers],
        t("compare.col_kind", lang): [t(f"kind.{p.kind}", lang) for p in peers],
    }
    if population is not None:
        columns[t("compare.col_population", lang)] = [number(population.get(p.code), lang, 0, t("common.unknown", lang)) for p in peers]
    columns[t("compare.col_distance", lang)] = [number(p.distance, lang, 2) for p in peers]
    columns[t("compare.col_closest", lang)] = [", ".join(indicator_name(i) for i in p.closest[:3]) for p in peers]
    return pd.DataFrame(columns)


def smart_city_table(ds: Dataset, lang: str) -> pd.DataFrame:
    """Kota Kediri's smart-city evaluation scores: year, what was scored, the score or 'not published', source."""
    smart = ds.smart_city
    measure = {"index": t("tables.smart_city_index", lang), **{d: dimension_label(d, lang) for d in DIMENSIONS}}
    return pd.DataFrame({
        t("tables.year", lang): smart["year"].astype(str),
        t("tables.measure", lang): smart["measure"].map(lambda m: measure.get(m, m)),
        t("tables.score", lang): smart["value"].map(lambda v: number(v, lang, 2, t("common.not_published", lang))),
        t("common.address", lang): smart["source_url"],
    })


def dimension_gaps_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """recommend.gaps() for people: every dimension with the self-assessed level, Kediri's score,
    the gaps, the peers' mean, its status and rank."""
    status = table["status"].map(lambda s: t(f"gap_status.{s}", lang))
    return pd.DataFrame({
        t("tables.dimension", lang): table["dimension"].map(lambda d: dimension_label(d, lang)),
        t("tables.self_score", lang): table["self_score"].map(lambda v: number(v, lang, 0, t("gap_status.not_assessed", lang))),
        t("tables.kediri_score", lang): table["kediri_2022"].map(lambda v: number(v, lang, 2, t("common.not_published", lang))),
        t("tables.gap_kediri", lang): table["gap_kediri"].map(lambda v: number(v, lang, 2, DASH)),
        t("tables.peers_mean", lang): table["peers_mean"].map(lambda v: number(v, lang, 2, DASH)),
        t("tables.gap_peers", lang): table["gap_peers"].map(lambda v: number(v, lang, 2, DASH)),
        t("tables.status", lang): status,
        t("tables.rank", lang): table["rank"].map(lambda v: number(v, lang, 0, DASH)),
    })


def indicator_gaps_table(table: pd.DataFrame, ds: Dataset, lang: str) -> pd.DataFrame:
    """recommend.indicator_gaps() for people: the indicator with its unit, year, value and
    percentile, Kediri's, the peers' median percentile, the gaps, Rujukan's dimension, and the value's source."""
    names = dict(zip(ds.indicators["id"], ds.indicators["name_en" if lang == "en" else "name_id"]))
    pct = t("tables.percentile", lang)
    return pd.DataFrame({
        t("tables.indicator", lang): [f"{names.get(i, i)}{_unit(u)}" for i, u in zip(table["indicator"], table["unit"])],
        t("tables.year", lang): table["year"].map(_year),
        t("tables.value", lang): table["value"].map(lambda v: number(v, lang, unknown=DASH)),
        pct: table["percentile"].map(lambda v: number(v, lang, 0, DASH)),
        t("tables.kediri_value", lang): table["kediri_value"].map(lambda v: number(v, lang, unknown=DASH)),
        t("tables.kediri_percentile", lang): table["kediri_percentile"].map(lambda v: number(v, lang, 0, DASH)),
        t("tables.gap_kediri_points", lang): table["gap_kediri"].map(lambda v: number(v, lang, 0, DASH)),
        t("tables.peers_percentile", lang): table["peers_percentile"].map(lambda v: number(v, lang, 0, DASH)),
        t("tables.gap_peers_points", lang): table["gap_peers"].map(lambda v: number(v, lang, 0, DASH)),
        t("tables.dimension", lang): table["dimension"].map(lambda d: dimension_label(d, lang) if isinstance(d, str) else DASH),
        t("tables.source", lang): table["source"].map(lambda s: ds.source_label(s, lang) if s else t("common.unknown", lang)),
    })


def assessments_table(assessments: Sequence[Assessment], lang: str) -> pd.DataFrame:
    """Saved self-assessments: the date, each dimension's level in words, each institution's state, the note."""
    def level(value: int | None) -> str:
        return f"{value} — {scale_label(value, lang).split(':')[0]}" if value else t("gap_status.not_assessed", lang)

    return pd.DataFrame([
        {t("tables.date", lang): a.date,
         **{dimension_label(d, lang): level(a.scores.get(d)) for d in DIMENSIONS},
         **{t(f"institution.{i}", lang): state_label(a.institutions.get(i, "no"), lang) for i in INSTITUTIONS},
         t("tables.note", lang): a.note or DASH}
        for a in assessments
    ])


def curator_table(view: str, frame: pd.DataFrame, titles: dict[str, str], lang: str) -> pd.DataFrame:
    """One of the curator page's views (rujukan.feedback) for people: kinds and practices named,
    counts and shares formatted; comments shown as the text people typed."""
    kind = {"ask": t("tables.kind_ask", lang), "search": t("tables.kind_search", lang)}
    practice = {**titles, "": t("tables.none_practice", lang)}
    columns: dict[str, tuple[str, Callable[[Any], str]]] = {
        "question": ("tables.question", str),
        "kind": ("tables.kind", lambda k: kind.get(k, k)),
        "count": ("tables.count", lambda v: number(v, lang, 0)),
        "last_asked": ("tables.last_asked", lambda v: str(v).replace("T", " ").rstrip("Z")),
        "declined": ("tables.declined", lambda v: number(v, lang, 0)),
        "no_results": ("tables.no_results", lambda v: number(v, lang, 0)),
        "best_score": ("tables.best_score", lambda v: number(v, lang, 2, DASH)),
        "practice_id": ("tables.practice", lambda p: practice.get(p or "", p)),
        "helpful": ("tables.helpful", lambda v: number(v, lang, 0) if view != "comments" else ("👍" if v else "👎")),
        "not_helpful": ("tables.not_helpful", lambda v: number(v, lang, 0)),
        "comments": ("tables.comments", lambda v: number(v, lang, 0)),
        "week": ("tables.week", str),
        "declined_share": ("tables.declined_share", lambda v: f"{number(100 * float(v), lang, 0)} %" if v == v else DASH),
        "comment": ("tables.comment", str),
        "created": ("tables.given", lambda v: str(v).replace("T", " ").rstrip("Z")),
    }
    return pd.DataFrame({t(columns[c][0], lang): frame[c].map(columns[c][1]) for c in frame.columns if c in columns})


def visits_table(visits: Sequence[RecordedVisit], region_name: Callable[[str], str], practice_title: Callable[[str], str], lang: str) -> pd.DataFrame:
    """Recorded study visits: number, visit date (unknown said so), region, practices by title, purpose, when last made."""
    return pd.DataFrame([
        {t("brief.col_number", lang): str(v.id),
         t("brief.col_date", lang): v.date or t("common.unknown", lang),
         t("brief.col_region", lang): region_name(v.region_code),
         t("brief.col_practices", lang): "; ".join(practice_title(p) for p in v.practice_ids),
         t("brief.col_purpose", lang): v.purpose or DASH,
         t("brief.col_recorded", lang): v.created.replace("T", " ").rstrip("Z")}
        for v in visits
    ])
