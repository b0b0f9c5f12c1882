"""Search and indexing speed against baselines measured in the same run.

    python bench/search_speed.py                  # all scales, prints figures, writes bench/results/search_speed.json
    python bench/search_speed.py --scales 10000   # one scale

Each store size runs in its own process so its peak memory is its own. Figures:
- warm search latency (shipped hybrid method) p50/p95 vs bare query-embedding time;
- indexing throughput (knowledge base -> Chroma) vs the model's raw encode throughput;
- time to re-index one edited practice vs a full index;
- cold start of the app (streamlit run, real browser) to a first result, model already built.
Synthetic chunks are random unit vectors with random words; encoding speed uses real passages.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from rujukan.chunks import Chunk, practice_chunks
from rujukan.config import Settings
from rujukan.embeddings import load_embedder
from rujukan.index import ChunkStore, open_client, sync
from rujukan.practices import load_knowledge
from rujukan.search import SearchEngine
from rujukan.sentences import embedding_text, practice_sentences

from common import RESULTS, ROOT, load_eval, percentiles, write

ROUNDS = 3


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def settings_for(data_dir: Path, knowledge_dir: Path | None = None) -> Settings:
    env = dict(os.environ, RUJUKAN_DATA_DIR=str(data_dir))
    env.pop("RUJUKAN_CHROMA_HOST", None)
    if knowledge_dir:
        env["RUJUKAN_KNOWLEDGE_DIR"] = str(knowledge_dir)
    return Settings.from_env(env)


def timed_ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def run_scale(n_synthetic: int) -> dict:
    """One process: a store with the knowledge base plus n synthetic chunks; latency figures."""
    work = Path(tempfile.mkdtemp(prefix="rujukan-bench-"))
    try:
        settings = settings_for(work)
        kb = load_knowledge(settings.practices_dir)
        embedder = load_embedder(settings, log=lambda m: None)
        store = ChunkStore(open_client(settings), embedder.identity, embedder.dimension)
        sync(store, kb, embedder)

        rng = np.random.default_rng(7)
        vocabulary = sorted({w for p in kb.practices for c in practice_chunks(p) for w in c.text.split()})
        docs: dict[str, str] = {}
        started = time.perf_counter()
        batch = 2000
        for start in range(0, n_synthetic, batch):
            size = min(batch, n_synthetic - start)
            vectors = rng.normal(size=(size, embedder.dimension)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            ids = [f"synthetic-{start + i}" for i in range(size)]
            texts = [" ".join(rng.choice(vocabulary, 60)) for _ in range(size)]
            docs.update(zip(ids, texts))
            chunks = [Chunk(cid, f"synthetic-{(start + i) // 8}", "synthetic", text) for i, (cid, text) in enumerate(zip(ids, texts))]
            store.add(chunks, vectors, {c.practice_id: "-" for c in chunks})
        load_s = time.perf_counter() - started
        engine = SearchEngine(kb, store, embedder, extra_keyword_docs=docs)

        queries = [q["query"] for q in load_eval()]
        for q in queries[:5]:  # warm up both paths
            embedder.embed_queries([q])
            engine.search(q)
        embed_ms, search_ms, chroma_ms = [], [], []
        for _ in range(ROUNDS):
            for q in queries:
                embed_ms.append(timed_ms(lambda q=q: embedder.embed_queries([q])))
                search_ms.append(timed_ms(lambda q=q: engine.search(q)))
                vector = embedder.embed_queries([q])[0]
                chroma_ms.append(timed_ms(lambda vector=vector: store.query(vector, 100)))
        bare, search = percentiles(embed_ms), percentiles(search_ms)
        return {
            "chunks_in_store": store.count(),
            "synthetic_load_s": round(load_s, 1),
            "bare_query_embedding": bare,
            "search_hybrid": search,
            "chroma_query_only": percentiles(chroma_ms),
            "search_p50_over_embedding_p50": round(search["p50_ms"] / bare["p50_ms"], 2),
            "peak_rss_mb": peak_rss_mb(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_indexing() -> dict:
    """Indexing throughput against raw encoding of the same passages (the chunks and the record
    sentences the index keeps), and one-practice re-index."""
    work = Path(tempfile.mkdtemp(prefix="rujukan-bench-"))
    try:
        knowledge = work / "knowledge"
        shutil.copytree(ROOT / "knowledge", knowledge)
        settings = settings_for(work / "data", knowledge)
        kb = load_knowledge(settings.practices_dir)
        embedder = load_embedder(settings, log=lambda m: None)
        chunks = [c for p in kb.practices for c in practice_chunks(p)]
        titles = {p.id: p.title for p in kb.practices}
        sentences = [(p, s) for p in kb.practices for s in practice_sentences(p)]
        texts = [c.embedding_text(titles[c.practice_id]) for c in chunks] + [embedding_text(p, s) for p, s in sentences]
        embedder.embed_passages(texts[:16])  # warm up

        raw_runs, index_runs = [], []
        for _ in range(ROUNDS):
            raw_runs.append(timed_ms(lambda: embedder.embed_passages(texts)) / 1000)
            shutil.rmtree(settings.index_dir, ignore_errors=True)
            store = ChunkStore(open_client(settings, log=lambda m: None), embedder.identity, embedder.dimension)
            index_runs.append(sync(store, kb, embedder).seconds)
        raw_s, index_s = min(raw_runs), min(index_runs)

        target = kb.practices[0]
        text = target.path.read_text(encoding="utf-8")
        target.path.write_text(text.replace("## Hasil", "## Hasil\n\nCatatan uji bench [1].\n", 1), encoding="utf-8")
        edited = sync(store, load_knowledge(settings.practices_dir), embedder)
        return {
            "chunks": len(chunks),
            "sentences": len(sentences),
            "words_per_passage_mean": round(float(np.mean([len(t.split()) for t in texts])), 1),
            "raw_encode_passages_per_s": round(len(texts) / raw_s, 1),
            "index_passages_per_s": round(len(texts) / index_s, 1),
            "index_over_raw_throughput": round(raw_s / index_s, 3),
            "full_index_s": round(index_s, 2),
            "reindex_one_edited_practice_s": round(edited.seconds, 2),
            "reindex_one_over_full": round(edited.seconds / index_s, 3),
            "reindexed": list(edited.embedded_practices),
            "peak_rss_mb": peak_rss_mb(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_cold_start() -> dict:
    """streamlit run -> first result card visible in a real browser (model built, index present)."""
    chromium = shutil.which("chromium")
    if not chromium:
        return {"skipped": "chromium not installed"}
    import socket

    from playwright.sync_api import sync_playwright

    settings = Settings.from_env()
    load_embedder(settings, log=lambda m: None)  # make sure the model exists: cold start excludes the one-time build
    subprocess.run([sys.executable, "-m", "rujukan", "index"], cwd=ROOT, check=True, capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking"])
            page = browser.new_page()
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/cari?q=dashboard+for+the+mayor", timeout=2000)
                    break
                except Exception:
                    time.sleep(0.1)
            page.get_by_text("Cocok di bagian").first.wait_for(timeout=180_000)
            first_result_s = time.perf_counter() - started
            page.reload()
            page.get_by_text("Cocok di bagian").first.wait_for(timeout=60_000)
            warm_reload_s = time.perf_counter() - started - first_result_s
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return {"cold_start_to_first_result_s": round(first_result_s, 2), "warm_page_reload_to_result_s": round(warm_reload_s, 2)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="10000,100000")
    parser.add_argument("--parts", default="indexing,scales,app", help="which parts to run; the others keep their stored figures")
    parser.add_argument("--one-scale", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--indexing", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_scale is not None:
        print(json.dumps(run_scale(args.one_scale)))
        return 0
    if args.indexing:
        print(json.dumps(run_indexing()))
        return 0

    def child(*extra: str) -> dict:
        done = subprocess.run([sys.executable, __file__, *extra], capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    parts = set(args.parts.split(","))
    stored = RESULTS / "search_speed.json"
    figures: dict = json.loads(stored.read_text(encoding="utf-8")) if stored.exists() and parts != {"indexing", "scales", "app"} else {}
    figures.pop("measured_at", None), figures.pop("machine", None)
    if "indexing" in parts:
        figures["indexing"] = child("--indexing")
        print("indexing:", json.dumps(figures["indexing"], indent=1))
    if "scales" in parts:
        figures["scales"] = {}
        for n in (int(s) for s in args.scales.split(",")):
            figures["scales"][str(n)] = child("--one-scale", str(n))
            print(f"{n} synthetic chunks:", json.dumps(figures["scales"][str(n)], indent=1))
    if "app" in parts:
        figures["app"] = run_cold_start()
        print("app:", figures["app"])
    print("written:", write("search_speed", figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
