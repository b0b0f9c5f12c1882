"""Fault loop (issue 12 §3): `rujukan index` killed with SIGKILL at random moments.

Each trial changes the knowledge a little (one record's text; every third trial the whole index
folder is deleted, so a full build is under way), starts `python -m rujukan index` as a user would,
and kills it -9 after a random delay drawn from the measured length of such a run. Then the app's
own path runs in this process, as the next page view would: prepare() (which syncs, or rebuilds a
damaged folder) and a search, which must answer. At the end the index is compared with a clean
build of the same records in a fresh folder: the same chunk and sentence ids, texts and practice
hashes, no more and no fewer.

    python bench/faults.py [--trials 30] [--seed 7]

Prints the figures and stores bench/results/faults_index.json. The model is loaded once here
(not timed); the killed processes each pay their own import.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rujukan.config import Settings
from rujukan.embeddings import load_embedder
from rujukan.index import forget_folder
from rujukan.practices import load_knowledge
from rujukan.service import prepare

from common import ROOT, write

QUERY = "bagaimana warga RT mengusulkan penggunaan dana"


def contents(ready) -> dict[str, set]:
    """What the index holds, collection by collection: (id, text, practice hash) of every item."""
    store = ready.engine.store
    found = {}
    for name, collection in (("chunks", store._collection), ("sentences", store._sentences)):
        got = collection.get(include=["documents", "metadatas"])
        found[name] = {(i, d, m.get("practice_hash")) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}
        found[name + "_count"] = collection.count()
    return found


def run_index(env: dict[str, str], kill_after: float | None) -> tuple[float, int | None]:
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "rujukan", "index"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after is None:
        code = proc.wait()
        return time.monotonic() - started, code
    try:
        proc.wait(timeout=kill_after)
        return time.monotonic() - started, proc.returncode  # finished before the kill
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return time.monotonic() - started, None


def touch_record(practices: Path, trial: int) -> str:
    """Append a word to one record's last paragraph; returns its file name."""
    files = sorted(practices.glob("*.md"))
    chosen = files[trial % len(files)]
    text = chosen.read_text(encoding="utf-8").rstrip("\n")
    chosen.write_text(f"{text} (uji {trial})\n", encoding="utf-8")
    return chosen.name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="rujukan-faults-"))
    shutil.copytree(ROOT / "knowledge", work / "knowledge")
    env = {**os.environ, "RUJUKAN_KNOWLEDGE_DIR": str(work / "knowledge"), "RUJUKAN_INDEX_DIR": str(work / "index"),
           "RUJUKAN_STATE_DIR": str(work / "state"), "HF_HUB_OFFLINE": "1"}
    settings = Settings.from_env(env)
    embedder = load_embedder(settings, log=lambda _m: None)

    full, code = run_index(env, None)
    assert code == 0, "a clean `rujukan index` failed"
    touch_record(settings.practices_dir, 0)
    incremental, code = run_index(env, None)
    print(f"unkilled runs: full build {full:.1f} s, one record changed {incremental:.1f} s (each with its imports)")

    killed = finished = answered = errors = 0
    kinds = {"full": 0, "incremental": 0}
    rows = []
    for trial in range(1, args.trials + 1):
        if trial % 3 == 0:
            forget_folder(settings.index_dir)
            shutil.rmtree(settings.index_dir, ignore_errors=True)
            kind, length = "full", full
        else:
            touch_record(settings.practices_dir, trial)
            kind, length = "incremental", incremental
        kinds[kind] += 1
        delay = rng.uniform(0.3, length)
        took, code = run_index(env, delay)
        killed += code is None
        finished += code is not None
        forget_folder(settings.index_dir)  # as a new app process would open it
        try:
            ready = prepare(settings, log=lambda _m: None, embedder=embedder)
            hits = ready.engine.search(QUERY, top_k=3).matches
            ok = bool(hits)
        except Exception as exc:  # counted, and named below
            ok, hits = False, []
            print(f"  trial {trial}: the next search failed: {type(exc).__name__}: {exc}")
        answered += ok
        errors += not ok
        rows.append({"trial": trial, "kind": kind, "kill_after_s": round(delay, 2), "killed": code is None, "search_answered": ok})
        print(f"trial {trial:2d} {kind:11s} kill after {delay:5.1f} s: {'killed' if code is None else 'had finished'}; "
              f"next search {'answered' if ok else 'FAILED'} ({len(hits)} results)")

    forget_folder(settings.index_dir)
    final = contents(prepare(settings, log=lambda _m: None, embedder=embedder))
    clean_env = {**env, "RUJUKAN_INDEX_DIR": str(work / "clean-index")}
    clean = contents(prepare(Settings.from_env(clean_env), log=lambda _m: None, embedder=embedder, kb=load_knowledge(settings.practices_dir)))
    same = final == clean
    print(f"\n{args.trials} trials ({kinds['full']} during a full build, {kinds['incremental']} during an incremental sync): "
          f"{killed} killed mid-run, {finished} had finished; next search answered {answered}/{args.trials}, errors {errors}")
    print(f"final sync: {final['chunks_count']} chunks, {final['sentences_count']} sentences; clean build {clean['chunks_count']}, "
          f"{clean['sentences_count']}: {'identical' if same else 'DIFFERENT'}")
    write("faults_index", {
        "trials": args.trials, "seed": args.seed, "killed_mid_run": killed, "had_finished": finished, "search_answered": answered,
        "errors": errors, "final_equals_clean_build": same, "final_chunks": final["chunks_count"], "final_sentences": final["sentences_count"],
        "clean_chunks": clean["chunks_count"], "clean_sentences": clean["sentences_count"],
        "unkilled_full_s": round(full, 1), "unkilled_incremental_s": round(incremental, 1), "trials_detail": rows,
    })
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
