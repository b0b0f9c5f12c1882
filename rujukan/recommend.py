"""Gaps and recommended practices: where a region stands against Kota Kediri and its peers, and
which of Kediri's documented practices answer its largest gaps.

- Dimension gaps: a self-assessment (rujukan.assessment, 1–4) beside Kediri's published 2022
  dimension scores (the evaluation's own scale, maximum not stated in the sources): indicative only.
  Kediri's environment score was not published, so that gap is unknown — never zero.
- Indicator gaps: percentiles among all regions (rujukan.regions.percentile_profile; 100 = best,
  so "higher poverty" is a lower percentile and a gap), against Kediri and against peers.
- Recommendations follow the mentor's own gaps first (the self-assessment), then the indicator
  gaps; they come from the search core (SearchEngine.search filtered to the gap's dimension), not
  from a fixed table; every field is the record's own text, or "tidak diketahui"; a thin record
  (most of what a region needs to copy it unknown) is labelled and comes last.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .assessment import INSTITUTIONS, SCALE_MAX, SCALE_MIN, Assessment, institution_label, state_label
from .errors import RujukanError
from .i18n import t
from .practices import Practice, Source, cited_numbers
from .regions import KEDIRI, Dataset, find_peers, national_indicators, percentile_profile
from .search import Filters, SearchEngine, excerpt
from .vocabulary import DIMENSIONS, UNKNOWN_TEXT, dimension_label, section_label

KEDIRI_YEAR = 2022
UNKNOWN = t("common.unknown")  # gap reasons and record texts are in Bahasa Indonesia

#: Rujukan's own mapping of BPS indicators to smart-city dimensions (not an official one): which
#: dimension's practices are searched when a region lags on the indicator.
INDICATOR_DIMENSIONS: dict[str, str] = {
    "poverty": "economy",
    "expenditure": "economy",
    "tpt": "economy",
    "uhh": "living",
    "sanitation": "living",
    "drinking_water": "living",
    "ipm": "society",
    "rls": "society",
    "hls": "society",
}
#: The problem each gap stands for, in Indonesian: the words the search is given.
DIMENSION_PROBLEMS: dict[str, str] = {
    "governance": "pelayanan publik dan tata kelola pemerintahan belum terpadu secara digital",
    "branding": "citra daerah, promosi wisata dan identitas daerah belum kuat",
    "economy": "ekonomi warga, UMKM dan lapangan kerja perlu diperkuat",
    "living": "kualitas hidup, layanan kesehatan dan permukiman warga perlu ditingkatkan",
    "society": "partisipasi warga, pendidikan dan keterampilan masyarakat perlu ditingkatkan",
    "environment": "pengelolaan sampah dan lingkungan hidup perlu diperbaiki",
}
INDICATOR_PROBLEMS: dict[str, str] = {
    "poverty": "angka kemiskinan tinggi; pemberdayaan ekonomi dan bantuan warga miskin",
    "expenditure": "pengeluaran per kapita rendah; pendapatan dan daya beli warga",
    "tpt": "pengangguran terbuka tinggi; lapangan kerja dan pelatihan kerja",
    "uhh": "umur harapan hidup rendah; layanan kesehatan warga",
    "sanitation": "rumah tangga dengan sanitasi layak masih sedikit",
    "drinking_water": "akses air minum layak masih kurang",
    "ipm": "indeks pembangunan manusia rendah; pendidikan, kesehatan dan ekonomi warga",
    "rls": "rata-rata lama sekolah rendah; pendidikan warga",
    "hls": "harapan lama sekolah rendah; akses pendidikan anak",
}
INSTITUTION_PROBLEMS: dict[str, str] = {
    "council": "membentuk dewan smart city",
    "team": "membentuk tim pelaksana smart city",
    "masterplan": "menyusun masterplan smart city",
    "regulation": "peraturan kepala daerah tentang smart city",
    "quick_wins": "program quick win smart city",
}
#: Gap sizes on one 0..1 footing so the three kinds can be ranked together (Rujukan's heuristic):
#: dimension gap / (scale range); indicator percentile gap / 100; institution missing 0.5, in progress 0.25.
INSTITUTION_SIZE = {"no": 0.5, "in_progress": 0.25}


@dataclass(frozen=True)
class GapItem:
    """One gap a recommendation can answer."""

    kind: str  # "dimension", "institution" or "indicator" (KINDS: the mentor's own gaps come first)
    key: str  # the dimension, indicator or institution id
    dimension: str
    size: float  # 0..1, larger = further behind (see the sizes above)
    problem: str  # Indonesian wording given to the search
    figures: Mapping[str, Any]  # what reason() words: the levels, scores, values, percentiles

    @property
    def reason(self) -> str:
        """What the gap is, with its figures, in Bahasa Indonesia."""
        return gap_reason(self, "id")


#: The order of the gaps: the self-assessment's dimensions, then its institutions, then the indicators.
KINDS = ("dimension", "institution", "indicator")


def gap_reason(gap: GapItem, lang: str = "id") -> str:
    """What the gap is, with its figures, in the interface language."""
    f = gap.figures
    if gap.kind == "dimension":
        key = "recommend.gap_dimension" if f.get("kediri") is not None else "recommend.gap_dimension_unknown"
        return t(key, lang, label=dimension_label(gap.key, lang), own=f["own"], max=SCALE_MAX, year=KEDIRI_YEAR, kediri=f"{f.get('kediri') or 0:g}")
    if gap.kind == "institution":
        return t("recommend.gap_institution", lang, item=institution_label(gap.key, lang), state=state_label(f["state"], lang))
    unit = f" {f['unit']}" if f["unit"] else ""
    return t("recommend.gap_indicator", lang, name=f["name_en" if lang == "en" else "name"], value=f"{f['value']:g}", unit=unit, year=f["year"],
             percentile=f"{f['percentile']:.0f}", n=f["n"], kediri=f"{f['kediri_value']:g}", kediri_percentile=f"{f['kediri_percentile']:.0f}")


# --------------------------------------------------------------------------- dimension gaps


def kediri_scores(ds: Dataset, year: int = KEDIRI_YEAR) -> dict[str, float | None]:
    """Kediri's published dimension scores of a year; None where not published."""
    rows = ds.smart_city[(ds.smart_city["region_code"] == KEDIRI) & (ds.smart_city["year"] == year)]
    found = {r["measure"]: _num(r["value"]) for r in rows.to_dict("records")}
    return {dim: found.get(dim) for dim in DIMENSIONS}


def gaps(
    assessment: Assessment,
    ds: Dataset,
    peers_scores: Mapping[str, Mapping[str, float | None]] | None = None,
) -> pd.DataFrame:
    """The self-assessment against Kediri 2022 (and peers' self-assessments), largest gap first.

    Columns: dimension, label, self_score, kediri_2022, gap_kediri (Kediri − self; empty when
    either is unknown), peers_mean, gap_peers (peers' mean − self), status ("gap", "no_gap",
    "unknown": Kediri's score not published, "not_assessed"), rank (1 = largest known gap).
    """
    kediri = kediri_scores(ds)
    rows = []
    for dim in DIMENSIONS:
        own = assessment.scores.get(dim)
        ref = kediri[dim]
        peer_values = [float(v) for s in (peers_scores or {}).values() if (v := s.get(dim)) is not None]
        peers_mean = sum(peer_values) / len(peer_values) if peer_values else None
        gap_k = None if own is None or ref is None else round(ref - own, 2)
        gap_p = None if own is None or peers_mean is None else round(peers_mean - own, 2)
        status = "not_assessed" if own is None else "unknown" if gap_k is None else "gap" if gap_k > 0 else "no_gap"
        rows.append({"dimension": dim, "label": dimension_label(dim), "self_score": own, "kediri_2022": ref,
                     "gap_kediri": gap_k, "peers_mean": peers_mean, "gap_peers": gap_p, "status": status})
    table = pd.DataFrame(rows)
    for column in ("self_score", "kediri_2022", "gap_kediri", "peers_mean", "gap_peers"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype("Float64")
    table["_order"] = range(len(table))
    table = table.sort_values(["gap_kediri", "gap_peers", "_order"], ascending=[False, False, True], na_position="last", kind="stable")
    known = table["gap_kediri"].notna()
    table["rank"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table.loc[known, "rank"] = range(1, int(known.sum()) + 1)
    return table.drop(columns="_order").reset_index(drop=True)


# --------------------------------------------------------------------------- indicator gaps


def default_peers(ds: Dataset, region_code: str, k: int = 5) -> list[str]:
    """The k regions most like the focus on the indicators that cover every region (none if it cannot)."""
    try:
        return [p.code for p in find_peers(ds, region_code, national_indicators(ds), k=k) if p.code != KEDIRI]
    except RujukanError:
        return []


def indicator_gaps(
    ds: Dataset,
    region_code: str,
    indicators: Sequence[str] | None = None,
    peers: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The region's indicator gaps against Kediri and its peers, largest gap to Kediri first.

    Gaps are in percentile points (0–100, higher always better, so direction is handled: a higher
    poverty rate is a lower percentile). Columns: indicator, name, unit, dimension (Rujukan's
    mapping), higher_is_better, year, value, percentile, kediri_value, kediri_percentile,
    gap_kediri, peers_percentile (median), gap_peers, n, source (the region's value's source id),
    rank (1 = largest known gap to Kediri).
    """
    region_code = str(region_code)
    ds.region(region_code)
    chosen = list(dict.fromkeys(indicators)) if indicators is not None else national_indicators(ds)
    peer_codes = [c for c in (default_peers(ds, region_code) if peers is None else peers) if c not in (region_code, KEDIRI)]
    profile = percentile_profile(ds, region_code, [KEDIRI, *peer_codes], chosen)
    rows = []
    for indicator in chosen:
        meta = ds.indicator(indicator)
        part = profile[profile["indicator"] == indicator].set_index("region_code")
        by_region = part.to_dict("index")
        own = by_region[region_code]
        ref = by_region[KEDIRI] if region_code != KEDIRI else own
        peer_pct = part.loc[part.index.isin(peer_codes), "percentile"].dropna()
        pct = _num(own["percentile"])
        ref_pct = _num(ref["percentile"])
        peers_pct = float(peer_pct.median()) if len(peer_pct) else None
        rows.append({
            "indicator": indicator,
            "name": meta["name_id"],
            "unit": meta["unit"],
            "dimension": INDICATOR_DIMENSIONS.get(indicator),
            "higher_is_better": bool(meta["higher_is_better"]),
            "year": own["year"],
            "value": _num(own["value"]),
            "percentile": pct,
            "kediri_value": _num(ref["value"]),
            "kediri_percentile": ref_pct,
            "gap_kediri": None if pct is None or ref_pct is None else ref_pct - pct,
            "peers_percentile": peers_pct,
            "gap_peers": None if pct is None or peers_pct is None else peers_pct - pct,
            "n": int(own["n"]),
            "source": own["source"] or "",
        })
    columns = ["indicator", "name", "unit", "dimension", "higher_is_better", "year", "value", "percentile", "kediri_value",
               "kediri_percentile", "gap_kediri", "peers_percentile", "gap_peers", "n", "source"]
    table = pd.DataFrame(rows, columns=columns)
    for column in ("value", "percentile", "kediri_value", "kediri_percentile", "gap_kediri", "peers_percentile", "gap_peers"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype("Float64")
    table["year"] = pd.to_numeric(table["year"], errors="coerce").astype("Int64")
    table = table.sort_values(["gap_kediri", "gap_peers", "indicator"], ascending=[False, False, True], na_position="last", kind="stable")
    known = table["gap_kediri"].notna()
    table["rank"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table.loc[known, "rank"] = range(1, int(known.sum()) + 1)
    return table.reset_index(drop=True)


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


# --------------------------------------------------------------------------- the gaps, together


def gap_items(
    ds: Dataset,
    region_code: str,
    assessment: Assessment | None = None,
    indicators: Sequence[str] | None = None,
    peers: Sequence[str] | None = None,
    order: str = "assessment",
) -> list[GapItem]:
    """Every gap that a practice could answer. order="assessment" (shipped): the mentor's own gaps
    first (the self-assessment's dimensions, then its institutions), then the indicator gaps, each
    group largest first; order="size": all together by size (the earlier method)."""
    items: list[GapItem] = []
    if assessment is not None:
        for row in gaps(assessment, ds).to_dict("records"):
            dim = str(row["dimension"])
            if row["status"] == "gap":
                items.append(GapItem("dimension", dim, dim, float(row["gap_kediri"]) / (SCALE_MAX - SCALE_MIN), DIMENSION_PROBLEMS[dim],
                                     {"own": int(row["self_score"]), "kediri": float(row["kediri_2022"])}))
            elif row["status"] == "unknown" and int(row["self_score"]) < 3:
                # Kediri's score is not published: only a low own level counts, sized by its distance to "running" (3)
                items.append(GapItem("dimension", dim, dim, (3 - int(row["self_score"])) / (SCALE_MAX - SCALE_MIN), DIMENSION_PROBLEMS[dim],
                                     {"own": int(row["self_score"]), "kediri": None}))
        for item, state in assessment.institutions.items():
            if state in INSTITUTION_SIZE:
                items.append(GapItem("institution", item, "governance", INSTITUTION_SIZE[state], INSTITUTION_PROBLEMS[item], {"state": state}))
    english = dict(zip(ds.indicators["id"], ds.indicators["name_en"]))
    for row in indicator_gaps(ds, region_code, indicators, peers).to_dict("records"):
        if row["dimension"] is None or pd.isna(row["gap_kediri"]) or row["gap_kediri"] <= 0:
            continue
        indicator, name = str(row["indicator"]), str(row["name"])
        items.append(GapItem(
            "indicator", indicator, str(row["dimension"]), float(row["gap_kediri"]) / 100, INDICATOR_PROBLEMS.get(indicator, name),
            {"name": name, "name_en": english.get(indicator, name), "unit": row["unit"], "value": float(row["value"]), "year": row["year"],
             "percentile": float(row["percentile"]), "n": row["n"], "kediri_value": float(row["kediri_value"]),
             "kediri_percentile": float(row["kediri_percentile"])},
        ))
    if order == "size":
        return sorted(items, key=lambda g: (-g.size, KINDS.index(g.kind), g.key))
    return sorted(items, key=lambda g: (KINDS.index(g.kind), -g.size, g.key))


# --------------------------------------------------------------------------- recommendations

#: The fields a region needs to copy a practice; a record that knows at most THIN_AT of them is thin.
TRANSFERABLE = ("stages", "costs", "legal_basis", "agency", "results", "replicate")
THIN_AT = 2
METHODS = ("shipped", "earlier")


@dataclass(frozen=True)
class Recommendation:
    practice_id: str
    title: str
    title_en: str
    dimension: str
    gap: GapItem
    section: str  # the section of the passage that answers the gap's problem
    passage: str
    excerpt: str  # the passage's sentences closest to the problem (rujukan.search.excerpt), with their [n] marks
    score: float  # the search score of that passage for the gap's problem
    relevance: float  # the search's relevance of the passage (rujukan.search.RELEVANCE)
    stages: str
    costs: str
    legal_basis: str
    prerequisites: tuple[str, ...]
    prerequisites_from: str  # "record" (its "Cara mereplikasi" section) or "rujukan" (Rujukan's reading of its fields)
    sources: tuple[Source, ...]  # every source of the record, the ones the excerpt cites first

    @property
    def cited_sources(self) -> tuple[Source, ...]:
        """The sources the excerpt cites (the first source when it cites none)."""
        cited = cited_numbers(self.excerpt)
        return tuple(s for s in self.sources if s.number in cited) or self.sources[:1]
    documented: tuple[str, ...]  # which TRANSFERABLE fields the record knows

    @property
    def thin(self) -> bool:
        """Most of what a region needs to copy it is unknown in the record."""
        return len(self.documented) <= THIN_AT

    def why(self, lang: str = "id") -> str:
        """The gap it answers and where the record answers it (the passage itself is shown beside)."""
        return t("recommend.why", lang, gap=gap_reason(self.gap, lang), section=section_label(self.section, lang))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.practice_id, "title": self.title, "title_en": self.title_en, "dimension": self.dimension,
            "gap": {"kind": self.gap.kind, "key": self.gap.key, "size": round(self.gap.size, 4), "reason": self.gap.reason,
                    "reason_en": gap_reason(self.gap, "en")},
            "why": self.why("id"), "why_en": self.why("en"), "section": self.section, "passage": self.passage, "excerpt": self.excerpt,
            "score": round(self.score, 4), "relevance": round(self.relevance, 4), "thin": self.thin, "documented": list(self.documented),
            "stages": self.stages, "costs": self.costs, "legal_basis": self.legal_basis,
            "prerequisites": list(self.prerequisites), "prerequisites_from": self.prerequisites_from,
            "sources": [{"number": s.number, "url": s.url, "publisher": s.publisher, "title": s.title, "date": s.date} for s in self.sources],
        }


def recommend(
    engine: SearchEngine,
    ds: Dataset,
    region_code: str,
    assessment: Assessment | None = None,
    k: int = 5,
    indicators: Sequence[str] | None = None,
    peers: Sequence[str] | None = None,
    method: str = "shipped",
    references: Sequence[str] = (),
) -> list[Recommendation]:
    """Up to k of Kediri's practices for the region's gaps, one practice per gap at most.

    For each gap in turn (the mentor's own first, see gap_items), the search core is asked in
    Indonesian for the gap's dimension and problem, filtered to practices of that dimension; the
    best practice not yet recommended whose passage is not a weak match (rujukan.search) answers
    it; a thin record (THIN_AT or fewer transferable fields known) comes after the well-documented
    ones among the mentor's gaps, and among the indicator gaps. method="earlier": gaps by size alone, the dimension's name in the query, weak
    passages and thin records taken as they come.
    Nothing comes from a fixed table, and no field is filled in beyond the record.
    references: only practices of these reference regions (BPS codes); none = every region's. The
    gaps are still measured against Kediri's scores and the peers.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    shipped = method == "shipped"
    chosen: list[Recommendation] = []
    used: set[str] = set()
    for gap in gap_items(ds, region_code, assessment, indicators, peers, order="assessment" if shipped else "size"):
        if len(chosen) >= k:
            break
        # the problem alone: the dimension's name would match the records' evaluation scores by dimension
        query = gap.problem if shipped else f"{dimension_label(gap.dimension)}: {gap.problem}"
        result = engine.search(query, top_k=5, filters=Filters(dimensions=(gap.dimension,), regions=tuple(references)))
        match = next((m for m in result.matches if m.practice.id not in used and not (shipped and m.weak)), None)
        if match is None:
            continue
        used.add(match.practice.id)
        shown = excerpt(engine, match, "id", result.vector).text
        chosen.append(_recommendation(match.practice, gap, match.section, match.passage, shown, match.score, match.relevance))
    if shipped:  # within the mentor's own gaps and within the indicator gaps, thin records last (stable: gap order kept)
        chosen.sort(key=lambda r: (r.gap.kind == "indicator", r.thin))
    return chosen


def _recommendation(p: Practice, gap: GapItem, section: str, passage: str, shown: str, score: float, relevance: float) -> Recommendation:
    prerequisites, origin = prerequisites_of(p)
    cited = cited_numbers(shown)
    return Recommendation(
        practice_id=p.id,
        title=p.title,
        title_en=p.title_en,
        dimension=gap.dimension,
        gap=gap,
        section=section,
        passage=passage,
        excerpt=shown,
        score=float(score),
        relevance=float(relevance),
        stages=_section_text(p, "stages") or UNKNOWN_TEXT,
        costs=costs_of(p),
        legal_basis="; ".join(p.legal_basis) or UNKNOWN,
        prerequisites=prerequisites,
        prerequisites_from=origin,
        sources=tuple(sorted(p.sources, key=lambda s: (s.number not in cited, s.number))),
        documented=documented(p),
    )


def documented(p: Practice) -> tuple[str, ...]:
    """The TRANSFERABLE fields the record knows."""
    known = {
        "stages": bool(_section_text(p, "stages")),
        "costs": costs_of(p) != UNKNOWN,
        "legal_basis": bool(p.legal_basis),
        "agency": bool(p.agency),
        "results": bool(_section_text(p, "results")),
        "replicate": bool(_section_text(p, "replicate")),
    }
    return tuple(name for name in TRANSFERABLE if known[name])


def _is_unknown(text: str) -> bool:
    return text.strip().rstrip(".").strip().lower() in ("", UNKNOWN)


def _section_text(p: Practice, key: str) -> str:
    section = p.section(key)
    return "" if section is None or _is_unknown(section.text) else section.text.strip()


def costs_of(p: Practice) -> str:
    """The record's budget field and its costs section, as written; "tidak diketahui" when neither."""
    parts = [part for part in (p.budget.strip(), _section_text(p, "costs")) if part and not _is_unknown(part)]
    return "\n\n".join(parts) or UNKNOWN


def prerequisites_of(p: Practice) -> tuple[tuple[str, ...], str]:
    """What a region needs before copying the practice, and where that comes from.

    "record": the sentences or bullets of the record's "Cara mereplikasi" section, verbatim.
    "rujukan": no such section, so Rujukan's cautious reading of the record's fields (legal basis,
    agency, budget) — labelled as such wherever it is shown.
    """
    text = _section_text(p, "replicate")
    if text:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if any(line.startswith(("- ", "* ")) for line in lines):
            items = [line[2:].strip() if line.startswith(("- ", "* ")) else line for line in lines]
        else:
            items = [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\u00c0-\u024f])", " ".join(lines)) if s.strip()]
        return tuple(items), "record"
    items = []
    if p.legal_basis:
        items.append(f"Dasar hukum setara di daerah sendiri (di Kota Kediri: {'; '.join(p.legal_basis)}).")
    else:
        items.append("Dasar hukum: di Kota Kediri tidak diketahui; periksa regulasi daerah yang dibutuhkan sebelum meniru.")
    if p.agency:
        items.append(f"Perangkat daerah yang menjalankannya (di Kota Kediri: {p.agency}).")
    else:
        items.append("Perangkat daerah penanggung jawab yang jelas (di Kota Kediri tidak diketahui).")
    if p.budget:
        items.append(f"Anggaran sendiri (di Kota Kediri: {p.budget}).")
    else:
        items.append("Perkiraan anggaran sendiri: biaya di Kota Kediri tidak diketahui.")
    items.append("Konfirmasi rincian langsung ke Pemkot Kediri sebelum meniru.")
    return tuple(items), "rujukan"


def institutions_missing(assessment: Assessment) -> list[str]:
    """Institution items not yet in place ("no" or "in progress")."""
    return [i for i in INSTITUTIONS if assessment.institutions.get(i) in INSTITUTION_SIZE]
