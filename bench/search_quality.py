"""Search quality on the development evaluation set: dense-only, keyword-only, fusions, shipped.

    python bench/search_quality.py            # prints a table, writes bench/results/search_quality.json

Every method ranks the same candidates in the same run. Recall@k is the share of a query's
relevant practices found in the top k (averaged); MRR uses the first relevant practice.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
from answer_quality import fit_logistic, predict

from rujukan.config import Settings
from rujukan.search import KEYWORD_WEIGHT, RELEVANCE, RELEVANCE_FLOOR, relevance_of
from rujukan.service import prepare

from common import load_eval, write

QUESTIONS = Path(__file__).resolve().parent / "eval" / "questions.jsonl"
#: Queries nothing in the knowledge base answers, beside the everyday questions of questions.jsonl.
NONSENSE = ["xqzt blorf", "asdfgh qwerty", "lorem ipsum dolor sit amet", "12345 67890", "zzzz", "kucing terbang di atas bulan ungu",
            "purple elephants dancing on mars", "the quick brown fox jumps"]

WEIGHTS = (0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
RRF_K = 60


def metrics(rankings: list[list[str]], queries: list[dict]) -> dict[str, float]:
    r1 = r3 = mrr = 0.0
    for ranked, q in zip(rankings, queries):
        relevant = set(q["relevant"])
        r1 += len(relevant & set(ranked[:1])) / min(1, len(relevant))
        r3 += len(relevant & set(ranked[:3])) / min(3, len(relevant))
        rank = next((i for i, pid in enumerate(ranked, start=1) if pid in relevant), None)
        mrr += 1 / rank if rank else 0.0
    n = len(queries)
    return {"recall@1": round(r1 / n, 3), "recall@3": round(r3 / n, 3), "mrr": round(mrr / n, 3), "n": n}


def by_group(rankings, queries, key):
    groups = sorted({q[key] for q in queries})
    return {g: metrics([r for r, q in zip(rankings, queries) if q[key] == g], [q for q in queries if q[key] == g]) for g in groups}


def no_match_queries() -> list[str]:
    questions = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [q["question"] for q in questions if q["kind"] == "out_of_scope"] + NONSENSE


def floor_rows(engine, queries: list[dict], no_match: list[str]) -> list[dict]:
    """Every match of every query with its relevance features and whether it is relevant."""
    rows = []
    for text, relevant, kind in [(q["query"], set(q["relevant"]), "eval") for q in queries] + [(t, set(), "no_match") for t in no_match]:
        for rank, m in enumerate(engine.search(text, top_k=len(engine.kb.practices)).matches):
            features = engine.relevance_features(text, m.practice, m.passage, m.similarity)
            rows.append({"query": text, "kind": kind, "rank": rank, "practice": m.practice.id, "relevant": m.practice.id in relevant,
                         "features": features, "relevance": relevance_of(**features)})
    return rows


def floor_effect(rows: list[dict], queries: list[dict], floor: float) -> dict:
    """Search with and without the floor: recall and MRR counting weak matches as not found, the
    share of top-3 matches shown as matches that are relevant, and the no-match queries told so."""
    def ranked(q: dict, on: bool) -> list[str]:
        return [r["practice"] for r in rows if r["query"] == q["query"] and r["kind"] == "eval" and (not on or r["relevance"] >= floor)]
    out = {}
    for on in (False, True):
        rankings = [ranked(q, on) for q in queries]
        shown = [r for r in rows if r["kind"] == "eval" and r["rank"] < 3 and (not on or r["relevance"] >= floor)]
        tops = [r for r in rows if r["kind"] == "no_match" and r["rank"] == 0]
        out["floor_on" if on else "floor_off"] = {
            **metrics(rankings, queries),
            "precision@3": round(sum(r["relevant"] for r in shown) / len(shown), 3) if shown else 0.0,
            "no_match_queries_told_weak": round(sum(on and r["relevance"] < floor for r in tops) / len(tops), 3),
        }
    return out


def fit_floor(rows: list[dict]) -> dict:
    """The relevance model and its floor, chosen on this set: weak iff cosine + a × support < b, with
    b as high as it can be without marking a relevant practice in an evaluation query's top 3 weak
    (so recall@3 and MRR cannot fall) and the support weight a that then marks the most no-match
    queries weak; then a logistic fit of relevance on cosine + a × support makes the score a
    probability, and the floor is that probability at b."""
    def line(r: dict, a: float) -> float:
        return r["features"]["cosine"] + a * r["features"]["support"]

    relevant = [r for r in rows if r["kind"] == "eval" and r["relevant"] and r["rank"] < 3]
    tops = [r for r in rows if r["kind"] == "no_match" and r["rank"] == 0]
    best = max(((a / 100, sum(line(r, a / 100) < min(line(q, a / 100) for q in relevant) for r in tops)) for a in range(0, 51)),
               key=lambda pair: (pair[1], -pair[0]))
    a = best[0]
    b = min(line(q, a) for q in relevant)
    w = fit_logistic(np.array([[line(r, a)] for r in rows]), np.array([1.0 if r["relevant"] else 0.0 for r in rows]))
    relevance = {"intercept": round(float(w[0]), 4), "cosine": round(float(w[1]), 4), "support": round(float(w[1] * a), 4)}
    floor = float(predict(w, np.array([[b]]))[0])
    return {"relevance": relevance, "floor": math.floor(floor * 10000) / 10000, "support_weight": a, "no_match_told_weak": round(best[1] / len(tops), 3)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fit", action="store_true", help="fit the relevance model and its floor on this set and print them")
    args = parser.parse_args()
    queries = load_eval()
    engine = prepare(Settings.from_env(), log=lambda m: print(m, file=sys.stderr)).engine
    n_practices = len(engine.kb.practices)

    dense_scores, keyword_scores, shipped = [], [], []
    for q in queries:
        dense = engine.search(q["query"], top_k=n_practices, method="dense").matches
        keyword = engine.search(q["query"], top_k=n_practices, method="keyword").matches
        dense_scores.append({m.practice.id: m.similarity for m in dense})
        keyword_scores.append({m.practice.id: m.keyword for m in keyword})
        shipped.append([m.practice.id for m in engine.search(q["query"], top_k=n_practices).matches])

    def rank(scores: dict[str, float]) -> list[str]:
        return [pid for pid, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))]

    def weighted(w):
        return [
            rank({pid: d.get(pid, min(d.values(), default=0)) + w * k.get(pid, 0.0) for pid in d.keys() | k.keys()})
            for d, k in zip(dense_scores, keyword_scores)
        ]

    def rrf():
        out = []
        for d, k in zip(dense_scores, keyword_scores):
            fused = {}
            for ranked in (rank(d), rank(k)):
                for i, pid in enumerate(ranked, start=1):
                    fused[pid] = fused.get(pid, 0.0) + 1 / (RRF_K + i)
            out.append(rank(fused))
        return out

    runs = {"dense": [rank(d) for d in dense_scores], "keyword": [rank(k) for k in keyword_scores], "rrf_equal": rrf()}
    runs.update({f"weighted_{w}": weighted(w) for w in WEIGHTS})
    runs[f"shipped (weighted_{KEYWORD_WEIGHT})"] = shipped

    results = {}
    print(f"{len(queries)} queries, {n_practices} practices\n")
    print(f"{'method':28} {'R@1':>6} {'R@3':>6} {'MRR':>6}   {'R@1 id':>7} {'R@1 en':>7} {'R@1 para':>9} {'R@1 name':>9}")
    for name, rankings in runs.items():
        overall = metrics(rankings, queries)
        lang, kind = by_group(rankings, queries, "lang"), by_group(rankings, queries, "kind")
        results[name] = {"overall": overall, "by_lang": lang, "by_kind": kind}
        print(f"{name:28} {overall['recall@1']:6.3f} {overall['recall@3']:6.3f} {overall['mrr']:6.3f}   "
              f"{lang['id']['recall@1']:7.3f} {lang['en']['recall@1']:7.3f} {kind['paraphrase']['recall@1']:9.3f} {kind['name']['recall@1']:9.3f}")

    ship = results[f"shipped (weighted_{KEYWORD_WEIGHT})"]["overall"]
    checks = {
        base: {m: ship[m] >= results[base]["overall"][m] for m in ("recall@3", "mrr")} for base in ("dense", "keyword")
    }
    print(f"\nshipped >= each baseline on recall@3 and MRR: {checks}")
    misses = [
        {"query": q["query"], "relevant": q["relevant"], "got": r[:3]}
        for q, r in zip(queries, shipped) if not set(q["relevant"]) & set(r[:1])
    ]
    print(f"shipped misses at rank 1: {len(misses)}")
    for m in misses:
        print(f"  {m['query'][:70]!r}: want {m['relevant']}, got {m['got']}")
    rows = floor_rows(engine, queries, no_match_queries())
    effect = floor_effect(rows, queries, RELEVANCE_FLOOR)
    print(f"\nrelevance floor {RELEVANCE_FLOOR} (model {RELEVANCE}); weak matches count as not found:")
    print(f"{'':10} {'R@1':>6} {'R@3':>6} {'MRR':>6} {'P@3 shown':>10} {'no-match queries told weak':>28}")
    for name, m in effect.items():
        print(f"{name:10} {m['recall@1']:6.3f} {m['recall@3']:6.3f} {m['mrr']:6.3f} {m['precision@3']:10.3f} {m['no_match_queries_told_weak']:28.3f}")
    fitted = fit_floor(rows) if args.fit else None
    if fitted:
        print(f"fit: RELEVANCE = {fitted['relevance']}, RELEVANCE_FLOOR = {fitted['floor']}")
    path = write(
        "search_quality",
        {"model": engine.embedder.identity, "keyword_weight": KEYWORD_WEIGHT, "methods": results, "shipped_at_least_baselines": checks,
         "misses_at_1": misses, "relevance_floor": {"floor": RELEVANCE_FLOOR, "model": RELEVANCE, "effect": effect, "fit": fitted,
                                                     "no_match_queries": len(no_match_queries())}},
    )
    print(f"\nwritten: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
