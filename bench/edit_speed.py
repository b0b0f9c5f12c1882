"""Edit -> searchable: from saving an edit to the first search that finds the new text.

    python bench/edit_speed.py [--trials 5]

An engine is prepared once on a temporary copy of the knowledge base (model loaded, index built;
neither timed into the trials). Each trial picks a practice (in turn), appends a sentence with a
made-up marker word ("Catatan Rujukan: uji penanda zqx<n> [1].", at the end of the record's last
section, where source [1] exists) and saves it with RevisionStore.save based on the latest
revision; then, as the app does for a new file signature, `prepare(settings, embedder=embedder)`
builds a new engine (syncing only that practice) and `engine.search("zqx<n>", 5, method="hybrid")`
must return that practice first. The clock runs from the save to that search's answer.

Baseline in the same run: re-indexing that practice alone, the time of `sync(store, kb, embedder)`
after the file changed again (a second marker, saved untimed; only the sync is timed).

Prints the figures and stores bench/results/edit_speed.json.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rujukan.config import Settings
from rujukan.embeddings import load_embedder
from rujukan.index import sync
from rujukan.practices import load_knowledge
from rujukan.revisions import RevisionStore
from rujukan.service import prepare

from common import ROOT, write

MARKER = "Catatan Rujukan: uji penanda {word} [1]."
#: A 1-minute load average above this before the run means other processes were busy (this one idles then).
BUSY_LOAD = 0.5
#: Engines prepared per trial before giving up on the marker coming first (the first should do it).
ATTEMPTS = 3


def silent(_message: str) -> None:
    pass


def with_marker(text: str, word: str) -> str:
    """The record with the marker sentence as a new paragraph at the end of its last section."""
    return text.rstrip("\n") + "\n\n" + MARKER.format(word=word) + "\n"


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()
    load_before = os.getloadavg()
    busy_before = load_before[0] > BUSY_LOAD
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} on {os.cpu_count()} CPUs "
          f"({'other processes were busy' if busy_before else 'idle'})")
    work = Path(tempfile.mkdtemp(prefix="rujukan-editbench-"))
    try:
        shutil.copytree(ROOT / "knowledge", work / "knowledge", ignore=shutil.ignore_patterns("documents"))
        env = {**os.environ, "RUJUKAN_MODEL_CACHE": "/tmp/rujukan-models", "HF_HUB_OFFLINE": "1",
               "RUJUKAN_KNOWLEDGE_DIR": str(work / "knowledge"), "RUJUKAN_INDEX_DIR": str(work / "index"),
               "RUJUKAN_STATE_DIR": str(work / "state"), "RUJUKAN_DOCUMENTS_DIR": str(work / "documents")}
        settings = Settings.from_env(env)
        started = time.perf_counter()
        embedder = load_embedder(settings, log=silent)
        model_s = time.perf_counter() - started
        started = time.perf_counter()
        first = prepare(settings, log=silent, embedder=embedder)
        build_s = time.perf_counter() - started
        print(f"model loaded in {model_s:.1f} s; index built in {build_s:.1f} s ({first.report.chunks_embedded} chunks, "
              f"{first.report.sentences_embedded} sentences) — neither is part of a trial")
        revisions = RevisionStore(settings.revisions_db, settings.practices_dir)
        ids = sorted(p.id for p in first.engine.kb.practices)

        trials = []
        print(f"\n{'trial':>5} {'practice':28} {'save':>7} {'sync':>8} {'prepare':>8} {'search':>7} {'total':>8} {'baseline':>9} "
              f"{'ratio':>6} {'chunks':>6} {'sent.':>5} {'rank':>4}")
        for n in range(1, args.trials + 1):
            pid = ids[(n - 1) % len(ids)]
            word = f"zqx{n}"
            latest = revisions.latest(pid)  # records the file as its first revision the first time (untimed)
            text = with_marker(latest.text, word)

            started = time.perf_counter()
            revisions.save(pid, text, "bench", f"edit speed trial {n}", latest.number)
            saved = time.perf_counter()
            attempts, rank, report, prepare_s, search_s = 0, None, None, 0.0, 0.0
            while attempts < ATTEMPTS:
                attempts += 1
                t0 = time.perf_counter()
                ready = prepare(settings, log=silent, embedder=embedder)
                t1 = time.perf_counter()
                found = ready.engine.search(word, 5, method="hybrid")
                t2 = time.perf_counter()
                report = report or ready.report  # the sync that re-embedded the edit
                prepare_s, search_s = prepare_s + (t1 - t0), search_s + (t2 - t1)
                got = [m.practice.id for m in found.matches]
                rank = got.index(pid) + 1 if pid in got else None
                if rank == 1:
                    break
            done = time.perf_counter()
            assert report.embedded_practices == (pid,), report

            # the baseline: the same practice re-indexed alone, after another edit (saved untimed)
            again = revisions.latest(pid)
            revisions.save(pid, with_marker(again.text, f"zqy{n}"), "bench", f"edit speed baseline {n}", again.number)
            kb = load_knowledge(settings.practices_dir)
            t0 = time.perf_counter()
            alone = sync(ready.engine.store, kb, embedder)
            baseline_s = time.perf_counter() - t0
            assert alone.embedded_practices == (pid,), alone

            row = {"trial": n, "practice": pid, "marker": word, "save_ms": ms(saved - started), "sync_ms": ms(report.seconds),
                   "prepare_ms": ms(prepare_s), "prepare_besides_sync_ms": ms(prepare_s - report.seconds), "search_ms": ms(search_s),
                   "edit_to_searchable_ms": ms(done - started), "baseline_sync_alone_ms": ms(baseline_s),
                   "ratio_total_over_baseline": round((done - started) / baseline_s, 2),
                   "chunks_reembedded": report.chunks_embedded, "sentences_reembedded": report.sentences_embedded,
                   "embedded_practices": list(report.embedded_practices), "baseline_chunks": alone.chunks_embedded,
                   "baseline_sentences": alone.sentences_embedded, "engines_prepared": attempts, "marker_rank": rank}
            trials.append(row)
            print(f"{n:5} {pid:28} {row['save_ms']:7.1f} {row['sync_ms']:8.1f} {row['prepare_ms']:8.1f} {row['search_ms']:7.1f} "
                  f"{row['edit_to_searchable_ms']:8.1f} {row['baseline_sync_alone_ms']:9.1f} {row['ratio_total_over_baseline']:6.2f} "
                  f"{row['chunks_reembedded']:6} {row['sentences_reembedded']:5} {rank!s:>4}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    keys = ("save_ms", "sync_ms", "prepare_ms", "prepare_besides_sync_ms", "search_ms", "edit_to_searchable_ms", "baseline_sync_alone_ms",
            "ratio_total_over_baseline")
    medians = {k: round(statistics.median(t[k] for t in trials), 2) for k in keys}
    found_first = sum(t["marker_rank"] == 1 for t in trials)
    print(f"{'med.':>5} {'':28} {medians['save_ms']:7.1f} {medians['sync_ms']:8.1f} {medians['prepare_ms']:8.1f} {medians['search_ms']:7.1f} "
          f"{medians['edit_to_searchable_ms']:8.1f} {medians['baseline_sync_alone_ms']:9.1f} {medians['ratio_total_over_baseline']:6.2f}")
    print("(ms; total = save + prepare (load the records, sync, build the engine) + search; baseline = sync of that practice alone)")
    print(f"the marker came first in {found_first} of {len(trials)} trials (first engine: "
          f"{sum(t['engines_prepared'] == 1 and t['marker_rank'] == 1 for t in trials)})")
    load_after = os.getloadavg()
    busy = busy_before or load_after[0] > 1.0 + BUSY_LOAD
    print(f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} on {os.cpu_count()} CPUs: "
          f"{'other processes were busy, figures provisional' if busy else 'no other busy processes seen'}")
    path = write("edit_speed", {
        "date": time.strftime("%Y-%m-%d"), "python": platform.python_version(), "cpu_count": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before], "loadavg_after": [round(x, 2) for x in load_after], "other_processes_busy": busy,
        "model_load_s": round(model_s, 2), "full_index_s": round(build_s, 2),
        "trials": trials, "median": medians, "marker_first": found_first,
        "note": "edit_to_searchable = RevisionStore.save + prepare(settings, embedder=embedder) (load_knowledge, open the store, sync only "
                "the edited practice, build the SearchEngine) + engine.search(marker, 5, method='hybrid') returning that practice first. "
                "baseline = sync(store, kb, embedder) alone after a second edit of the same practice (the save and load_knowledge untimed).",
    })
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
