"""Search quality on the development evaluation set: dense-only, keyword-only, fusions, shipped.

    python bench/search_quality.py            # prints a table, writes bench/results/search_quality.json

Every method ranks the same candidates in the same run. Recall@k is the share of a query's
relevant practices found in the top k (averaged); MRR uses the first relevant practice.
"""

from __future__ import annotations

import sys

from rujukan.config import Settings
from rujukan.search import KEYWORD_WEIGHT
from rujukan.service import prepare

from common import load_eval, write

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


def main() -> int:
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
    path = write(
        "search_quality",
        {"model": engine.embedder.identity, "keyword_weight": KEYWORD_WEIGHT, "methods": results, "shipped_at_least_baselines": checks, "misses_at_1": misses},
    )
    print(f"\nwritten: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
