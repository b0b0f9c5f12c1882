"""Answer quality and speed on the factual and out-of-scope questions, plus the search eval set.

    python bench/answer_quality.py     # prints figures, writes bench/results/answer_quality.json

- first_citation_right: share of factual questions whose answer's first citation is the right practice
- contains_fact: share of factual questions whose answer text contains the fact (case-insensitive)
- out_of_scope_declined: share of out-of-scope questions declined
- false_decline: share of in-scope items declined (factual questions; search eval queries)
- latency: answer_question against plain engine.search on the same in-scope queries, warm
  (every practice's sentence vectors cached first), interleaved in the same run
- sweep: the same shares for decline thresholds around the shipped one, from each question's
  best sentence cosine (rujukan.answer.best_similarity)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from rujukan import answer as A
from rujukan.config import Settings
from rujukan.service import prepare

from common import load_eval, percentiles, write

QUESTIONS = Path(__file__).resolve().parent / "eval" / "questions.jsonl"
SWEEP = [round(0.78 + 0.01 * i, 2) for i in range(13)]


def load_questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def check_facts(engine, factual: list[dict]) -> list[str]:
    """Every fact must be in the text of its record (the set is only fair if it is)."""
    bad = []
    for q in factual:
        p = engine.kb.get(q["practice"])
        text = " ".join([p.summary] + [s.text for s in p.sections]) if p else ""
        if q["fact"].casefold() not in text.casefold():
            bad.append(q["question"])
    return bad


def share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 3) if flags else 0.0


def main() -> int:
    questions = load_questions()
    factual = [q for q in questions if q["kind"] == "factual"]
    oos = [q for q in questions if q["kind"] == "out_of_scope"]
    search_queries = [q["query"] for q in load_eval()]
    engine = prepare(Settings.from_env(), log=lambda m: print(m, file=sys.stderr)).engine
    bad = check_facts(engine, factual)
    if bad:
        print(f"facts not found in their record: {bad}")
        return 1
    started = time.perf_counter()
    n_sentences = A.warm_up(engine)
    warm_ms = (time.perf_counter() - started) * 1000

    # Quality at the shipped threshold.
    rows = []
    for q in factual:
        a = A.answer_question(engine, q["question"])
        rows.append({
            "question": q["question"], "lang": q["lang"], "practice": q["practice"], "fact": q["fact"],
            "declined": a.declined, "confidence": a.confidence, "detected_lang": a.lang,
            "first": a.citations[0].practice_id if a.citations else None,
            "first_right": bool(a.citations) and a.citations[0].practice_id == q["practice"],
            "fact_found": q["fact"].casefold() in a.answer.casefold(),
            "answer": a.answer,
        })
    oos_rows = [
        {"question": q["question"], "declined": (a := A.answer_question(engine, q["question"])).declined, "confidence": a.confidence,
         "closest": [c[0] for c in a.closest]}
        for q in oos
    ]
    search_declined = [A.answer_question(engine, s).declined for s in search_queries]

    def by_lang(key: str) -> dict[str, float]:
        return {lang: share([r[key] for r in rows if r["lang"] == lang]) for lang in ("id", "en")}

    quality = {
        "threshold": A.DECLINE_BELOW,
        "first_citation_right": share([r["first_right"] for r in rows]),
        "first_citation_right_by_lang": by_lang("first_right"),
        "contains_fact": share([r["fact_found"] for r in rows]),
        "contains_fact_by_lang": by_lang("fact_found"),
        "out_of_scope_declined": share([r["declined"] for r in oos_rows]),
        "false_decline_factual": share([r["declined"] for r in rows]),
        "false_decline_search_eval": share(search_declined),
        "lang_detected_right": share([r["lang"] == r["detected_lang"] for r in rows]),
        "n_factual": len(rows), "n_out_of_scope": len(oos_rows), "n_search_eval": len(search_queries),
    }

    # Threshold sweep from each question's best sentence cosine.
    best_factual = [A.best_similarity(engine, q["question"]) for q in factual]
    best_oos = [A.best_similarity(engine, q["question"]) for q in oos]
    best_search = [A.best_similarity(engine, s) for s in search_queries]
    search_langs = [q["lang"] for q in load_eval()]
    sweep = {}
    for lang in ("id", "en"):  # the threshold is per question language
        f = [b for b, q in zip(best_factual, factual) if q["lang"] == lang]
        o = [b for b, q in zip(best_oos, oos) if q["lang"] == lang]
        s = [b for b, sl in zip(best_search, search_langs) if sl == lang]
        sweep[lang] = [
            {"threshold": t, "out_of_scope_declined": share([b < t for b in o]),
             "false_decline_factual": share([b < t for b in f]), "false_decline_search_eval": share([b < t for b in s])}
            for t in SWEEP
        ]

    # Latency, warm and interleaved: the same in-scope queries through both paths.
    timed = [q["question"] for q in factual] + search_queries
    answer_ms, search_ms = [], []
    for text in timed:
        t0 = time.perf_counter()
        engine.search(text, top_k=A.CANDIDATE_PRACTICES)
        search_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        A.answer_question(engine, text)
        answer_ms.append((time.perf_counter() - t0) * 1000)
    latency = {"answer": percentiles(answer_ms), "search": percentiles(search_ms), "warm_up_ms": round(warm_ms, 1), "sentences": n_sentences}

    print(f"{len(factual)} factual, {len(oos)} out-of-scope, {len(search_queries)} search eval queries; {n_sentences} sentences\n")
    for key in ("first_citation_right", "contains_fact", "out_of_scope_declined", "false_decline_factual", "false_decline_search_eval", "lang_detected_right"):
        print(f"{key:28} {quality[key]:.3f}")
    print(f"{'by language (id / en)':28} first {quality['first_citation_right_by_lang']}  fact {quality['contains_fact_by_lang']}")
    print(f"\nlatency warm (ms): answer p50 {latency['answer']['p50_ms']} p95 {latency['answer']['p95_ms']}; "
          f"search p50 {latency['search']['p50_ms']} p95 {latency['search']['p95_ms']} (n={latency['answer']['n']}); "
          f"warm-up {latency['warm_up_ms']} ms")
    print(f"\nbest cosine: factual min {min(best_factual):.3f}, search eval min {min(best_search):.3f}, out-of-scope max {max(best_oos):.3f}")
    for lang, rows_ in sweep.items():
        print(f"\nquestions in {lang!r}:")
        print(f"{'threshold':>9} {'oos decl':>9} {'false decl fact':>16} {'false decl search':>18}")
        for s in rows_:
            mark = "  <- shipped" if abs(s["threshold"] - A.DECLINE_BELOW[lang]) < 1e-9 else ""
            print(f"{s['threshold']:9.2f} {s['out_of_scope_declined']:9.3f} {s['false_decline_factual']:16.3f} {s['false_decline_search_eval']:18.3f}{mark}")
    misses = [r for r in rows if not (r["first_right"] and r["fact_found"])]
    print(f"\nfactual misses: {len(misses)}")
    for r in misses:
        print(f"  {r['question'][:70]!r}: want {r['practice']} / {r['fact']!r}; got {r['first']} declined={r['declined']}")
    not_declined = [r for r in oos_rows if not r["declined"]]
    for r in not_declined:
        print(f"  out-of-scope answered: {r['question']!r} (confidence {r['confidence']})")
    path = write("answer_quality", {
        "model": engine.embedder.identity, "quality": quality, "latency": latency, "sweep": sweep,
        "best_cosine": {
            "factual": [round(b, 4) for b in best_factual],
            "out_of_scope": [round(b, 4) for b in best_oos],
            "search_eval": [round(b, 4) for b in best_search],
        },
        "factual": rows, "out_of_scope": oos_rows,
    })
    print(f"\nwritten: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
