"""Answer quality, calibration and speed on bench/eval/questions.jsonl: the shipped method beside
the earlier one (record sentences only, a cosine threshold), in the same run.

    python bench/answer_quality.py          # prints figures, writes bench/results/answer_quality.json
    python bench/answer_quality.py --fit    # also fits the calibration on this set (answer.py's constants come from it)

Every question is answered with min_confidence=0 (what would be said), then judged:
- factual / field with a known value: right when the first citation is the right practice and
  the answer contains the fact (for a two-practice question: every practice cited, every fact);
- field whose value the record does not have: right when the answer says it is unknown for that
  practice (the earlier method has no field answers: an "unknown"/"tidak diketahui" in its text counts);
- out_of_scope / near_domain: no answer is right; only a decline is.
A question is declined when its confidence is below the method's threshold. The reliability table
bins the would-be answers by confidence and gives the share that was right in each bin: where a
calibrated confidence says 0.8, about 80 % should be right. This is a development set: the
calibration and the threshold are chosen on it, so its figures are optimistic; --fit also prints a
5-fold cross-validated table, fitted on four fifths and judged on the fifth.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from rujukan import answer as A
from rujukan.config import Settings
from rujukan.sentences import embedding_text
from rujukan.service import prepare

from common import load_eval, percentiles, write

QUESTIONS = Path(__file__).resolve().parent / "eval" / "questions.jsonl"
DECLINE_KINDS = ("out_of_scope", "near_domain")
UNKNOWN_WORDS = ("tidak diketahui", "unknown", "does not give", "not known")
FEATURES = ("cosine", "peak", "support")
BINS = [i / 10 for i in range(11)]


def load_questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def practices_of(q: dict) -> list[str]:
    return q.get("practices") or ([q["practice"]] if "practice" in q else [])


def facts_of(q: dict) -> list[str]:
    return q.get("facts") or ([q["fact"]] if "fact" in q else [])


def check_set(engine, questions: list[dict]) -> list[str]:
    """Every practice exists and every factual fact is in its record's text (the set is only fair if so)."""
    bad = []
    for q in questions:
        for pid in practices_of(q):
            if engine.kb.get(pid) is None:
                bad.append(f"{q['question']}: no practice {pid}")
        if q["kind"] == "factual":
            p = engine.kb.get(q["practice"])
            text = " ".join([p.summary] + [s.text for s in p.sections]) if p else ""
            if q["fact"].casefold() not in text.casefold():
                bad.append(f"{q['question']}: fact not in the record")
    return bad


def judge(q: dict, a: A.Answer) -> bool:
    """Whether the would-be answer is right (see the module's docstring)."""
    if q["kind"] in DECLINE_KINDS or not a.citations and not a.fields:
        return False
    cited = [c.practice_id for c in a.citations]
    wanted = practices_of(q)
    if q["kind"] == "field" and q.get("unknown"):
        if a.fields:
            return all(any(f.practice_id == pid and f.field == q["field"] and not f.known for f in a.fields) for pid in wanted)
        return bool(cited) and cited[0] == wanted[0] and any(w in a.answer.casefold() for w in UNKNOWN_WORDS)
    text = a.answer.casefold()
    if len(wanted) > 1:
        return all(pid in cited for pid in wanted) and all(f.casefold() in text for f in facts_of(q))
    return bool(cited) and cited[0] == wanted[0] and all(f.casefold() in text for f in facts_of(q))


def evaluate(engine, questions: list[dict], method: str) -> list[dict]:
    rows = []
    for q in questions:
        a = A.answer_question(engine, q["question"], method=method, min_confidence=0.0)
        rows.append({
            "question": q["question"], "lang": q["lang"], "kind": q["kind"], "field": q.get("field"), "unknown": bool(q.get("unknown")),
            "confidence": a.confidence, "right": judge(q, a), "path": "field" if a.fields else "sentences", "basis": a.basis,
            "first": a.citations[0].practice_id if a.citations else None, "answer": a.answer,
        })
    return rows


def share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 3) if flags else 0.0


def summary(rows: list[dict], threshold: float) -> dict:
    answerable = [r for r in rows if r["kind"] in ("factual", "field") and not r["unknown"]]
    unknown = [r for r in rows if r["unknown"]]
    decline = [r for r in rows if r["kind"] in DECLINE_KINDS]
    kept = lambda r: r["confidence"] >= threshold  # noqa: E731
    return {
        "threshold": threshold,
        "right_answer": share([kept(r) and r["right"] for r in answerable]),  # right practice first and right fact
        "right_answer_field": share([kept(r) and r["right"] for r in answerable if r["kind"] == "field"]),
        "right_answer_factual": share([kept(r) and r["right"] for r in answerable if r["kind"] == "factual"]),
        "unknown_stated": share([kept(r) and r["right"] for r in unknown]),
        "declined": share([not kept(r) for r in decline]),
        "declined_out_of_scope": share([not kept(r) for r in decline if r["kind"] == "out_of_scope"]),
        "declined_near_domain": share([not kept(r) for r in decline if r["kind"] == "near_domain"]),
        "declined_id": share([not kept(r) for r in decline if r["lang"] == "id"]),
        "declined_en": share([not kept(r) for r in decline if r["lang"] == "en"]),
        "wrongly_declined": share([not kept(r) for r in answerable + unknown]),
        "decisions_right": share([(kept(r) and r["right"]) or (not kept(r) and r["kind"] in DECLINE_KINDS) for r in rows]),
    }


def reliability(confidences: list[float], rights: list[bool]) -> list[dict]:
    table = []
    for low, high in zip(BINS, BINS[1:]):
        inside = [r for c, r in zip(confidences, rights) if low <= c < high or (high == 1.0 and c == 1.0)]
        mean = [c for c in confidences if low <= c < high or (high == 1.0 and c == 1.0)]
        table.append({"bin": f"{low:.1f}–{high:.1f}", "n": len(inside), "mean_confidence": round(float(np.mean(mean)), 3) if mean else None,
                      "right": round(sum(inside) / len(inside), 3) if inside else None})
    return table


def calibration_error(confidences: list[float], rights: list[bool]) -> float:
    """Expected calibration error: the n-weighted mean gap between confidence and the share right, per bin."""
    rows = reliability(confidences, rights)
    n = sum(r["n"] for r in rows)
    return round(sum(r["n"] * abs(r["mean_confidence"] - r["right"]) for r in rows if r["n"]) / n, 3) if n else 0.0


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 100) -> np.ndarray:
    """Newton's method for a logistic regression with an intercept and a small L2 penalty (not on it)."""
    design = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(design.shape[1])
    penalty = np.diag([0.0] + [l2] * x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(design @ w, -50, 50)))
        gradient = design.T @ (p - y) + penalty @ w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(w[0] + x @ w[1:], -50, 50)))


def fit(rows: list[dict]) -> dict:
    """The sentence-answer calibration and the field-answer confidence, fitted on this set."""
    sentence_rows = [r for r in rows if r["path"] == "sentences"]
    x = np.array([[r["basis"][f] for f in FEATURES] for r in sentence_rows])
    y = np.array([1.0 if r["right"] else 0.0 for r in sentence_rows])
    w = fit_logistic(x, y)
    folds = np.arange(len(y)) % 5
    held_out = np.zeros(len(y))
    for k in range(5):
        train = folds != k
        held_out[~train] = predict(fit_logistic(x[train], y[train]), x[~train])
    field_rows = [r for r in rows if r["path"] == "field"]
    field_right = sum(r["right"] for r in field_rows)
    return {
        "calibration": {"intercept": round(float(w[0]), 3), **{f: round(float(v), 3) for f, v in zip(FEATURES, w[1:])}},
        "sentence_answers": len(sentence_rows),
        "field_answers": len(field_rows),
        "field_right": field_right,
        "field_confidence": round((field_right + 1) / (len(field_rows) + 2), 3),
        "in_sample_reliability": reliability(list(predict(w, x)), list(y.astype(bool))),
        "cross_validated_reliability": reliability(list(held_out), list(y.astype(bool))),
        "cross_validated_calibration_error": calibration_error(list(held_out), list(y.astype(bool))),
    }


def latency(engine, questions: list[dict]) -> dict:
    """First answer after start (sentence vectors read from the index) against embedding every
    record sentence (what the earlier method did before its first answer); warm answer vs search."""
    started = time.perf_counter()
    first = A.answer_question(engine, questions[0]["question"])
    first_ms = (time.perf_counter() - started) * 1000
    texts = [embedding_text(p, s) for p in engine.kb.practices for s in engine.sentences(p)[0]]
    started = time.perf_counter()
    engine.embedder.embed_passages(texts)
    embed_all_ms = (time.perf_counter() - started) * 1000
    answer_ms, search_ms = [], []
    for _ in range(2):
        for q in questions:
            t0 = time.perf_counter()
            A.answer_question(engine, q["question"])
            answer_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            engine.search(q["question"], top_k=A.CANDIDATE_PRACTICES)
            search_ms.append((time.perf_counter() - t0) * 1000)
    return {"first_answer_ms": round(first_ms, 1), "first_answer_declined": first.declined, "embed_every_sentence_ms": round(embed_all_ms, 1),
            "sentences": len(texts), "answer": percentiles(answer_ms), "search": percentiles(search_ms)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fit", action="store_true", help="fit the calibration on this set and print it")
    args = parser.parse_args()
    questions = load_questions()
    engine = prepare(Settings.from_env(), log=lambda m: print(m, file=sys.stderr)).engine
    bad = check_set(engine, questions)
    if bad:
        print("the set does not fit the records:\n" + "\n".join(bad))
        return 1
    speed = latency(engine, [q for q in questions if q["kind"] != "near_domain"])
    counts = {kind: sum(q["kind"] == kind for q in questions) for kind in ("factual", "field", *DECLINE_KINDS)}
    counts["field_unknown"] = sum(bool(q.get("unknown")) for q in questions)
    print(f"{len(questions)} questions: {counts}")

    shipped, earlier = evaluate(engine, questions, "shipped"), evaluate(engine, questions, "sentences")
    figures: dict = {"counts": counts, "shipped": summary(shipped, A.ANSWER_BELOW), "earlier": summary(earlier, 0.5)}
    figures["sweep"] = [summary(shipped, round(t, 2)) for t in np.arange(0.1, 0.95, 0.05)]
    figures["reliability"] = {
        "shipped": reliability([r["confidence"] for r in shipped], [r["right"] for r in shipped]),
        "earlier": reliability([r["confidence"] for r in earlier], [r["right"] for r in earlier]),
    }
    figures["calibration_error"] = {
        "shipped": calibration_error([r["confidence"] for r in shipped], [r["right"] for r in shipped]),
        "earlier": calibration_error([r["confidence"] for r in earlier], [r["right"] for r in earlier]),
    }
    search_queries = [q["query"] for q in load_eval()]
    figures["search_queries_declined"] = {
        "shipped": share([A.answer_question(engine, s).declined for s in search_queries]),
        "earlier": share([A.answer_question(engine, s, method="sentences").declined for s in search_queries]),
    }
    figures["latency"] = speed
    if args.fit:
        figures["fit"] = fit(shipped)

    keys = ["right_answer", "right_answer_factual", "right_answer_field", "unknown_stated", "declined", "declined_out_of_scope",
            "declined_near_domain", "declined_id", "declined_en", "wrongly_declined", "decisions_right"]
    print(f"\n{'measure':28} {'shipped':>8} {'earlier':>8}")
    for key in keys:
        print(f"{key:28} {figures['shipped'][key]:>8} {figures['earlier'][key]:>8}")
    print(f"{'calibration error (ECE)':28} {figures['calibration_error']['shipped']:>8} {figures['calibration_error']['earlier']:>8}")
    print(f"{'search queries declined':28} {figures['search_queries_declined']['shipped']:>8} {figures['search_queries_declined']['earlier']:>8}")
    print("\nreliability (would-be answers by confidence: n, share right)")
    print(f"{'bin':10} {'shipped':>14} {'earlier':>14}")
    for s_row, e_row in zip(figures["reliability"]["shipped"], figures["reliability"]["earlier"]):
        fmt = lambda r: f"{r['n']:>4} {r['right'] if r['right'] is not None else '-':>8}"  # noqa: E731
        print(f"{s_row['bin']:10} {fmt(s_row):>14} {fmt(e_row):>14}")
    print("\nthreshold sweep (shipped): threshold, right answer, unknown stated, declined, wrongly declined, decisions right")
    for row in figures["sweep"]:
        print(f"  {row['threshold']:.2f}  {row['right_answer']:.3f}  {row['unknown_stated']:.3f}  {row['declined']:.3f}  "
              f"{row['wrongly_declined']:.3f}  {row['decisions_right']:.3f}")
    print(f"\nlatency: first answer after start {speed['first_answer_ms']} ms (the earlier method first embedded every sentence: "
          f"{speed['embed_every_sentence_ms']} ms for {speed['sentences']}); warm answer p50 {speed['answer']['p50_ms']} / p95 "
          f"{speed['answer']['p95_ms']} ms vs search p50 {speed['search']['p50_ms']} / p95 {speed['search']['p95_ms']} ms")
    wrong = [r for r in shipped if not r["right"] and r["kind"] not in DECLINE_KINDS]
    print(f"\nshipped, answerable but wrong: {len(wrong)}")
    for r in wrong:
        print(f"  [{r['kind']}{'/unknown' if r['unknown'] else ''}] {r['question'][:70]!r} conf {r['confidence']} first {r['first']}")
    kept_declines = [r for r in shipped if r["kind"] in DECLINE_KINDS and r["confidence"] >= A.ANSWER_BELOW]
    print(f"shipped, should decline but answers: {len(kept_declines)}")
    for r in kept_declines:
        print(f"  [{r['kind']}] {r['question'][:70]!r} conf {r['confidence']} first {r['first']}")
    if args.fit:
        f = figures["fit"]
        print(f"\nfit: CALIBRATION = {f['calibration']}; FIELD_CONFIDENCE = {f['field_confidence']} "
              f"({f['field_right']}/{f['field_answers']} field answers right)")
        print(f"cross-validated calibration error {f['cross_validated_calibration_error']}")
        for a_row, b_row in zip(f["in_sample_reliability"], f["cross_validated_reliability"]):
            print(f"  {a_row['bin']:10} in-sample {a_row['n']:>4} {a_row['right']!s:>6}   5-fold {b_row['n']:>4} {b_row['right']!s:>6}")
    figures["rows"] = {"shipped": shipped, "earlier": earlier}
    print(f"\nwritten: {write('answer_quality', figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
