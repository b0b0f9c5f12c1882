"""Recommendation quality on bench/eval/recommend_cases.jsonl: the shipped method beside the earlier
one (all gaps by size, the dimension's name in the query, weak passages and thin records as they
come), in the same run.

    python bench/recommend_quality.py     # prints figures, writes bench/results/recommend_quality.json

Each case is a mentor's self-assessment of a region and, for each dimension with a gap, the
practices a mentor would accept as its lesson (written from the records). Figures:
- precision@3: the share of the first three recommendations whose practice is acceptable for the
  dimension of the gap it answers;
- largest gap answered: the case's largest self-assessed gap has a recommendation among the first
  three, and it is acceptable; first is the largest gap: the first recommendation answers it;
- thin first: the first recommendation is a thin record although a well-documented one is listed.
This is a development set (written from the same records the search reads): figures are optimistic.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rujukan.assessment import Assessment, check_institutions, check_scores
from rujukan.config import Settings
from rujukan.recommend import recommend
from rujukan.regions import load_dataset
from rujukan.service import prepare

from common import write

CASES = Path(__file__).resolve().parent / "eval" / "recommend_cases.jsonl"


def load_cases() -> list[dict]:
    return [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]


def judge(case: dict, recs) -> dict:
    acceptable = case["acceptable"]
    top = recs[:3]
    right = [r.practice_id in acceptable.get(r.dimension, []) for r in top]
    largest = [r for r in top if r.gap.kind == "dimension" and r.gap.key == case["largest_gap"]]
    return {
        "case": case["case"], "recommended": [(r.practice_id, r.gap.kind, r.gap.key, r.thin) for r in top],
        "precision@3": sum(right) / 3, "largest_gap_answered": bool(largest) and largest[0].practice_id in acceptable.get(case["largest_gap"], []),
        "first_is_largest_gap": bool(top) and top[0].gap.kind == "dimension" and top[0].gap.key == case["largest_gap"],
        "thin_first": bool(top) and top[0].thin and any(not r.thin for r in top[1:]),
    }


def main() -> int:
    settings = Settings.from_env()
    engine = prepare(settings, log=lambda m: print(m, file=sys.stderr)).engine
    ds = load_dataset(settings.data_dir)
    figures: dict = {"cases": 0}
    rows: dict[str, list[dict]] = {"shipped": [], "earlier": []}
    for case in load_cases():
        assessment = Assessment(case["region"], "2026-01-01", check_scores(case["scores"]), check_institutions(case.get("institutions", {})))
        for method in rows:
            rows[method].append(judge(case, recommend(engine, ds, case["region"], assessment, k=3, method=method)))
    figures["cases"] = len(rows["shipped"])
    print(f"{figures['cases']} cases\n\n{'measure':24} {'shipped':>8} {'earlier':>8}")
    for key in ("precision@3", "largest_gap_answered", "first_is_largest_gap", "thin_first"):
        values = {m: round(sum(float(r[key]) for r in rows[m]) / len(rows[m]), 3) for m in rows}
        figures[key] = values
        print(f"{key:24} {values['shipped']:>8} {values['earlier']:>8}")
    print("\nshipped, cases whose first three are not all acceptable:")
    for r in rows["shipped"]:
        if r["precision@3"] < 1:
            print(f"  {r['case']}: {r['recommended']}")
    figures["rows"] = rows
    print(f"\nwritten: {write('recommend_quality', figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
