"""Gaps and recommended practices: where a region stands against Kota Kediri and its peers, and
which of Kediri's documented practices answer its largest gaps.

- Dimension gaps: a self-assessment (rujukan.assessment, 1–4) beside Kediri's published 2022
  dimension scores (the evaluation's own scale, maximum not stated in the sources): indicative only.
  Kediri's environment score was not published, so that gap is unknown — never zero.
- Indicator gaps: percentiles among all regions (rujukan.regions.percentile_profile; 100 = best,
  so "higher poverty" is a lower percentile and a gap), against Kediri and against peers.
- Recommendations come from the search core (SearchEngine.search filtered to the gap's dimension),
  not from a fixed table; every field is the record's own text, or "tidak diketahui".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from .assessment import INSTITUTIONS, SCALE_MAX, SCALE_MIN, Assessment, institution_label
from .errors import RujukanError
from .i18n import t
from .practices import Practice
from .regions import KEDIRI, Dataset, find_peers, national_indicators, percentile_profile
from .search import Filters, SearchEngine
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

    kind: str  # "dimension", "indicator" or "institution"
    key: str  # the dimension, indicator or institution id
    dimension: str
    size: float  # 0..1, larger = further behind (see the sizes above)
    problem: str  # Indonesian wording given to the search
    reason: str  # Indonesian: what the gap is, with its figures


@dataclass(frozen=True)
class Recommendation:
    practice_id: str
    title: str
    title_en: str
    dimension: str
    gap: str
    why: str
    section: str
    passage: str
    score: float
    stages: str
    costs: str
    legal_basis: str
    prerequisites: tuple[str, ...]
    prerequisites_from: str  # "record" (its "Cara mereplikasi" section) or "rujukan" (Rujukan's reading of its fields)
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["id"] = out.pop("practice_id")
        out["prerequisites"] = list(self.prerequisites)
        out["sources"] = list(self.sources)
        out["score"] = round(self.score, 4)
        return out


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
    gap_kediri, peers_percentile (median), gap_peers, n, rank (1 = largest known gap to Kediri).
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
        })
    columns = ["indicator", "name", "unit", "dimension", "higher_is_better", "year", "value", "percentile", "kediri_value",
               "kediri_percentile", "gap_kediri", "peers_percentile", "gap_peers", "n"]
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
) -> list[GapItem]:
    """Every gap that a practice could answer, largest first (sizes on one 0..1 footing)."""
    items: list[GapItem] = []
    if assessment is not None:
        for row in gaps(assessment, ds).to_dict("records"):
            dim = str(row["dimension"])
            label = dimension_label(dim)
            if row["status"] == "gap":
                items.append(GapItem(
                    "dimension", dim, dim, float(row["gap_kediri"]) / (SCALE_MAX - SCALE_MIN),
                    DIMENSION_PROBLEMS[dim],
                    f"{label}: penilaian mandiri {int(row['self_score'])} dari {SCALE_MAX}, skor Kota Kediri {KEDIRI_YEAR} "
                    f"{float(row['kediri_2022']):g} (skala evaluasi resmi; perbandingan indikatif)",
                ))
            elif row["status"] == "unknown" and int(row["self_score"]) < 3:
                # Kediri's score is not published: only a low own level counts, sized by its distance to "running" (3)
                items.append(GapItem(
                    "dimension", dim, dim, (3 - int(row["self_score"])) / (SCALE_MAX - SCALE_MIN),
                    DIMENSION_PROBLEMS[dim],
                    f"{label}: penilaian mandiri {int(row['self_score'])} dari {SCALE_MAX}; skor Kota Kediri {KEDIRI_YEAR} "
                    f"tidak dipublikasikan, jadi kesenjangannya tidak diketahui",
                ))
        for item, state in assessment.institutions.items():
            if state in INSTITUTION_SIZE:
                wording = "sedang disiapkan" if state == "in_progress" else "belum ada"
                items.append(GapItem("institution", item, "governance", INSTITUTION_SIZE[state], INSTITUTION_PROBLEMS[item],
                                     f"Kelembagaan: {institution_label(item)} {wording}"))
    for row in indicator_gaps(ds, region_code, indicators, peers).to_dict("records"):
        if row["dimension"] is None or pd.isna(row["gap_kediri"]) or row["gap_kediri"] <= 0:
            continue
        indicator, name = str(row["indicator"]), str(row["name"])
        unit = f" {row['unit']}" if row["unit"] else ""
        items.append(GapItem(
            "indicator", indicator, str(row["dimension"]), float(row["gap_kediri"]) / 100, INDICATOR_PROBLEMS.get(indicator, name),
            f"{name}: {float(row['value']):g}{unit} ({row['year']}), persentil {float(row['percentile']):.0f} dari {row['n']} daerah; "
            f"Kota Kediri {float(row['kediri_value']):g}{unit}, persentil {float(row['kediri_percentile']):.0f}",
        ))
    order = {"dimension": 0, "institution": 1, "indicator": 2}
    return sorted(items, key=lambda g: (-g.size, order[g.kind], g.key))


# --------------------------------------------------------------------------- recommendations


def recommend(
    engine: SearchEngine,
    ds: Dataset,
    region_code: str,
    assessment: Assessment | None = None,
    k: int = 5,
    indicators: Sequence[str] | None = None,
    peers: Sequence[str] | None = None,
) -> list[Recommendation]:
    """Up to k of Kediri's practices for the region's largest gaps, one practice per gap at most.

    For each gap, largest first, the search core is asked (in Indonesian) for the gap's dimension
    and problem, filtered to practices of that dimension; the best practice not yet recommended is
    taken. Nothing comes from a fixed table, and no field is filled in beyond the record.
    """
    chosen: list[Recommendation] = []
    used: set[str] = set()
    for gap in gap_items(ds, region_code, assessment, indicators, peers):
        if len(chosen) >= k:
            break
        query = f"{dimension_label(gap.dimension)}: {gap.problem}"
        result = engine.search(query, top_k=5, filters=Filters(dimensions=(gap.dimension,)))
        match = next((m for m in result.matches if m.practice.id not in used), None)
        if match is None:
            continue
        used.add(match.practice.id)
        chosen.append(_recommendation(match.practice, gap, match.section, match.passage, match.score))
    return chosen


def _recommendation(p: Practice, gap: GapItem, section: str, passage: str, score: float) -> Recommendation:
    excerpt = _excerpt(passage)
    why = (
        f"Menjawab kesenjangan — {gap.reason}. Cocok pada bagian \u201c{section_label(section)}\u201d: "
        f"\u201c{excerpt}\u201d (skor kecocokan {score:.2f})."
    )
    prerequisites, origin = prerequisites_of(p)
    return Recommendation(
        practice_id=p.id,
        title=p.title,
        title_en=p.title_en,
        dimension=gap.dimension,
        gap=gap.reason,
        why=why,
        section=section,
        passage=passage,
        score=float(score),
        stages=_section_text(p, "stages") or UNKNOWN_TEXT,
        costs=costs_of(p),
        legal_basis="; ".join(p.legal_basis) or UNKNOWN,
        prerequisites=prerequisites,
        prerequisites_from=origin,
        sources=tuple(s.url for s in p.sources),
    )


def _is_unknown(text: str) -> bool:
    return text.strip().rstrip(".").strip().lower() in ("", UNKNOWN)


def _section_text(p: Practice, key: str) -> str:
    section = p.section(key)
    return "" if section is None or _is_unknown(section.text) else section.text.strip()


def _excerpt(passage: str, limit: int = 280) -> str:
    flat = re.sub(r"\s+", " ", passage).strip()
    return flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " …"


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
