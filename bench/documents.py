"""Document ingest speed and memory, and search quality with documents in the store.

    python bench/documents.py [--repeats 3] [--pages 100]

1. Ingest of a 100-page text PDF (written with tests/sample_files.make_pdf from the records' own
   body text, cycled, 50 lines of at most 85 characters a page), each phase in its own child
   process of this script (`--child PHASE`), so each peak RSS is that phase's own:
   - raw: pypdf PdfReader + page.extract_text() of every page (the baseline);
   - add: DocumentLibrary.add (type check, JavaScript walk, extraction, hash, atomic write);
   - searchable: add + prepare() (the index sync embeds the document's chunks and sentences with
     the real model, and the engine is built). The model is loaded and the records' index built
     first in the same child, timed apart and excluded from pages/s;
   - engine: a child that only loads the model and prepares the engine without the document (the
     memory a searchable upload starts from).
   Every phase runs --repeats times, each in fresh folders; medians are reported, with ratios to
   raw extraction in the same run.
2. Search quality on eval/queries.jsonl (engine.search(query, top_k=5), rankings = practice ids,
   metrics() of search_quality.py) with no documents and with 20: 15 PDFs each repeating one
   record's body, attached to that record, and 5 distractors made from project prose (READMEs,
   the design notes, the data provenance) attached round-robin to 5 practices.

Prints the figures and stores bench/results/documents.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from common import ROOT, load_eval, write

sys.path.insert(0, str(ROOT / "tests"))
from sample_files import make_pdf  # noqa: E402

MODEL_CACHE = "/tmp/rujukan-models"
LINES_PER_PAGE, LINE_CHARS = 50, 85
INGEST_PRACTICE = "masterplan-smart-city"
INGEST_TITLE = "Catatan praktik smart city Kota Kediri (uji ingest)"
#: Project prose about no practice, for the distractor documents (those present are used).
DISTRACTORS = ("bench/README.md", "knowledge/README.md", "../shared/DESIGN.md", "../shared/data/sources/PROVENANCE.md", "README.md")
PHASES = ("raw", "add", "engine", "searchable")
#: Characters make_pdf's WinAnsi/latin-1 text cannot carry, written as their plain equivalents.
PLAIN = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "→": "->", "≤": "<=", "≥": ">=", "×": "x",
                       "−": "-", "•": "*", "≈": "~"})
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)


def silent(_message: str) -> None:
    pass


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KB on Linux


def body(path: Path) -> str:
    """A record's body (after its front matter), headings as plain lines."""
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    return re.sub(r"^#+\s*", "", match.group(1) if match else text, flags=re.MULTILINE)


def lines_of(text: str) -> list[str]:
    """Text as PDF lines of at most LINE_CHARS characters (blank lines dropped)."""
    out = []
    for paragraph in text.translate(PLAIN).split("\n"):
        out += textwrap.wrap(paragraph, LINE_CHARS, break_long_words=True, break_on_hyphens=False)
    return out


def pages_cycled(lines: list[str], n_pages: int) -> list[str]:
    """n_pages pages of LINES_PER_PAGE lines, cycling through `lines`."""
    return ["\n".join(lines[(p * LINES_PER_PAGE + i) % len(lines)] for i in range(LINES_PER_PAGE)) for p in range(n_pages)]


def pages_spread(lines: list[str], low: int = 5, high: int = 20) -> list[str]:
    """`lines` once, on low..high pages: full pages when that fills at least `low`, else spread thinner."""
    n = max(low, min(high, -(-len(lines) // LINES_PER_PAGE)))
    per = min(LINES_PER_PAGE, -(-len(lines) // n))
    return ["\n".join(lines[p * per:(p + 1) * per]) for p in range(n) if lines[p * per:(p + 1) * per]]


def fresh_env(work: Path, index: Path | None = None) -> dict[str, str]:
    """Fresh knowledge copy, index, state and documents folders under `work`; the index a copy of
    `index` (the records' index, built once by a child that has exited) when given."""
    shutil.copytree(ROOT / "knowledge", work / "knowledge", ignore=shutil.ignore_patterns("documents"))
    if index is not None:
        shutil.copytree(index, work / "index")
    return {**os.environ, "RUJUKAN_MODEL_CACHE": MODEL_CACHE, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
            "RUJUKAN_KNOWLEDGE_DIR": str(work / "knowledge"), "RUJUKAN_INDEX_DIR": str(work / "index"),
            "RUJUKAN_STATE_DIR": str(work / "state"), "RUJUKAN_DOCUMENTS_DIR": str(work / "documents")}


# -- the children --------------------------------------------------------------------------------


def child(phase: str, pdf: Path) -> dict:
    """One phase in this process; its figures (the parent reads the last line of stdout)."""
    from rujukan.config import Settings

    data = pdf.read_bytes()
    settings = Settings.from_env(dict(os.environ))
    if phase == "raw":
        from pypdf import PdfReader

        before = peak_rss_mb()
        started = time.perf_counter()
        reader = PdfReader(io.BytesIO(data))
        texts = [page.extract_text() or "" for page in reader.pages]
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "pages": len(texts), "chars": sum(map(len, texts)), "rss_before_mb": before, "peak_rss_mb": peak_rss_mb()}
    import pypdf  # noqa: F401  (imported before the clock starts, as in raw)

    from rujukan.documents import DocumentLibrary

    library: DocumentLibrary = settings.document_library()
    known = {p.stem for p in settings.practices_dir.glob("*.md")}

    def add():
        return library.add(data, pdf.name, practice_id=INGEST_PRACTICE, known_practices=known, title=INGEST_TITLE, uploaded_by="bench")

    if phase == "add":
        before = peak_rss_mb()
        started = time.perf_counter()
        document = add()
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "pages": len(document.pages), "chars": sum(map(len, document.pages)), "rss_before_mb": before,
                "peak_rss_mb": peak_rss_mb()}

    from rujukan.embeddings import load_embedder
    from rujukan.service import prepare

    started = time.perf_counter()
    embedder = load_embedder(settings, log=silent)
    model_s = time.perf_counter() - started
    started = time.perf_counter()
    first = prepare(settings, log=silent, embedder=embedder)
    records_s = time.perf_counter() - started
    out = {"model_load_s": round(model_s, 2), "records_index_s": round(records_s, 2), "records_chunks": first.report.chunks_embedded,
           "records_sentences": first.report.sentences_embedded, "rss_before_mb": peak_rss_mb()}
    if phase == "template":
        return out
    assert not first.report.embedded_practices, "the records' index copy should be up to date"
    if phase == "engine":
        engine_rss = peak_rss_mb()
        from rujukan.chunks import practice_chunks  # then the model's working memory: the records' chunks embedded once, as a build would

        texts = [c.embedding_text(p.title) for p in first.engine.kb.practices for c in practice_chunks(p)]
        for start in range(0, len(texts), 64):
            embedder.embed_passages(texts[start:start + 64])
        return {**out, "peak_rss_mb": engine_rss, "peak_rss_after_embedding_mb": peak_rss_mb()}
    started = time.perf_counter()
    document = add()
    added = time.perf_counter()
    ready = prepare(settings, log=silent, embedder=embedder)
    seconds = time.perf_counter() - started
    assert ready.report.embedded_documents == (document.id,) and not ready.report.embedded_practices, ready.report
    probe = max(document.pages[len(document.pages) // 2].split("\n"), key=len)  # the longest line of the middle page
    found = [m for m in ready.engine.search(probe, top_k=5).matches if m.document is not None and m.document.id == document.id]
    return {**out, "seconds": seconds, "add_s": added - started, "sync_s": ready.report.seconds, "engine_s": seconds - (added - started) - ready.report.seconds,
            "pages": len(document.pages), "chunks_embedded": ready.report.chunks_embedded, "sentences_embedded": ready.report.sentences_embedded,
            "probe": probe, "probe_found_in_document": bool(found), "peak_rss_mb": peak_rss_mb()}


def run_child(phase: str, pdf: Path, index: Path | None, keep: Path | None = None) -> dict:
    """`phase` in a child process, in fresh folders (removed after, unless `keep` is where to keep them)."""
    work = keep or Path(tempfile.mkdtemp(prefix=f"rujukan-docbench-{phase}-"))
    try:
        proc = subprocess.run([sys.executable, __file__, "--child", phase, "--pdf", str(pdf)], env=fresh_env(work, index), cwd=ROOT,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"child {phase} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def median(runs: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 3)


def ingest(repeats: int, n_pages: int, folder: Path) -> dict:
    practices = sorted((ROOT / "knowledge" / "practices").glob("*.md"))
    lines = [line for p in practices for line in lines_of(body(p))]
    pages = pages_cycled(lines, n_pages)
    pdf = folder / f"ingest-{n_pages}-pages.pdf"
    pdf.write_bytes(make_pdf(pages, width_chars=LINE_CHARS + 5))
    print(f"PDF: {n_pages} pages, {sum(map(len, pages)):,} characters, {pdf.stat().st_size / 1e6:.2f} MB "
          f"({len(lines)} distinct lines of the {len(practices)} records' bodies, cycled)")
    template = run_child("template", pdf, None, keep=folder / "template")
    index = folder / "template" / "index"
    print(f"the records' index built once in a child ({template['records_chunks']} chunks, {template['records_sentences']} sentences, "
          f"{template['records_index_s']:.1f} s); every engine and searchable child starts from a copy of it", flush=True)
    runs: dict[str, list[dict]] = {p: [] for p in PHASES}
    for r in range(1, repeats + 1):
        for phase in PHASES:
            runs[phase].append(run_child(phase, pdf, index if phase in ("engine", "searchable") else None))
        line = ", ".join(f"{p} {runs[p][-1]['seconds']:.2f} s" for p in PHASES if "seconds" in runs[p][-1])
        print(f"  repeat {r}: {line}", flush=True)
    raw_s = median(runs["raw"], "seconds")
    out: dict = {
        "pdf": {"pages": n_pages, "bytes": pdf.stat().st_size, "chars": sum(map(len, pages)), "lines_per_page": LINES_PER_PAGE,
                "max_line_chars": LINE_CHARS, "mean_line_chars": round(statistics.mean(len(line) for page in pages for line in page.split("\n")), 1),
                "text": f"the body text (after the front matter, headings as plain lines) of the {len(practices)} records in "
                        "knowledge/practices/*.md, wrapped at 85 characters and cycled to fill the pages; non-latin-1 punctuation "
                        "written plainly (em dash as -)"},
        "repeats": repeats, "attached_to": INGEST_PRACTICE, "runs": runs, "records_index_template": template,
        "note": "each phase in its own child process and fresh folders; imports untimed; peak RSS = ru_maxrss of the child at its end. "
                "searchable = DocumentLibrary.add + prepare() (sync of the document's chunks and sentences + engine build); the model "
                "load and a first prepare() on a copy of the records' index (built once by a template child) happen earlier in that child "
                "and are excluded from its pages/s. engine = the same child without the upload (its memory is the baseline).",
    }
    for phase in ("raw", "add", "searchable"):
        seconds = median(runs[phase], "seconds")
        out[phase] = {"seconds_median": seconds, "pages_per_s": round(n_pages / seconds, 1), "peak_rss_mb_median": median(runs[phase], "peak_rss_mb"),
                      "time_over_raw": round(seconds / raw_s, 2),
                      "phase_rss_increase_mb_median": round(statistics.median(r["peak_rss_mb"] - r["rss_before_mb"] for r in runs[phase]), 1),
                      "time_over_raw_per_repeat": [round(a["seconds"] / b["seconds"], 2) for a, b in zip(runs[phase], runs["raw"])]}
    s = runs["searchable"]
    out["searchable"].update({
        "add_s_median": median(s, "add_s"), "sync_s_median": median(s, "sync_s"), "engine_build_s_median": median(s, "engine_s"),
        "chunks_embedded": s[0]["chunks_embedded"], "sentences_embedded": s[0]["sentences_embedded"],
        "passages_per_s": round((s[0]["chunks_embedded"] + s[0]["sentences_embedded"]) / median(s, "sync_s"), 1),
        "model_load_s_median (excluded)": median(s, "model_load_s"), "open_index_s_median (excluded)": median(s, "records_index_s"),
        "probe_found_in_document": all(r["probe_found_in_document"] for r in s),
    })
    engine_rss = median(runs["engine"], "peak_rss_mb")
    warm_rss = median(runs["engine"], "peak_rss_after_embedding_mb")
    out["engine_without_document"] = {"peak_rss_mb_median": engine_rss, "model_load_s_median": median(runs["engine"], "model_load_s"),
                                      "peak_rss_after_embedding_records_chunks_mb_median": warm_rss}
    out["searchable"]["document_extra_rss_mb"] = round(out["searchable"]["peak_rss_mb_median"] - engine_rss, 1)
    out["searchable"]["document_extra_rss_over_warm_model_mb"] = round(out["searchable"]["peak_rss_mb_median"] - warm_rss, 1)
    out["searchable"]["document_extra_rss_mb_same_child"] = round(statistics.median(r["peak_rss_mb"] - r["rss_before_mb"] for r in s), 1)
    return out


# -- search quality with documents -----------------------------------------------------------------


def evaluate(engine, queries: list[dict]) -> tuple[list[list[str]], list[list]]:
    results = [engine.search(q["query"], top_k=5).matches for q in queries]
    return [[m.practice.id for m in ms] for ms in results], results


#: Document-only probes: one synthetic fact per one-page document (bench data, not about any real
#: practice), each asked in Indonesian and English. A probe is found when its practice comes first
#: and the passage shown is from its document.
PROBES = [
    ("prodamas-plus", "Jembatan gantung Brantas dirawat setiap enam bulan oleh tim pemeliharaan khusus yang memakai cat antikarat.",
     "berapa kali jembatan gantung dirawat", "how often is the suspension bridge maintained"),
    ("bank-sampah", "Setiap kelurahan menimbang sampah plastik pada hari Sabtu pertama tiap bulan di balai RW.",
     "kapan sampah plastik ditimbang di kelurahan", "when is plastic waste weighed in the neighbourhood"),
    ("kurnia", "Nasabah yang terlambat membayar angsuran dihubungi petugas lewat pesan singkat tiga hari setelah jatuh tempo.",
     "apa yang dilakukan petugas bila angsuran terlambat dibayar", "what happens when a loan instalment is paid late"),
    ("english-massive", "Tutor menerima pelatihan metode fonik selama dua minggu sebelum mengajar di kelompok belajar.",
     "berapa lama tutor dilatih sebelum mengajar", "how long are tutors trained before they teach"),
    ("mall-pelayanan-publik", "Loket antrean daring dibuka pukul tujuh pagi dan kuota harian dibatasi dua ratus nomor.",
     "jam berapa antrean daring dibuka", "what time does the online queue open"),
    ("home-care-peduli", "Ambulans layanan rumah membawa tabung oksigen cadangan dan alat pengukur gula darah.",
     "peralatan apa yang dibawa ambulans layanan rumah", "what equipment does the home care ambulance carry"),
]
GRID = [(penalty, keyword) for penalty in (0.0, 0.03, 0.05, 0.08) for keyword in (1.0, 0.5, 0.25)]


def grid(engine, queries: list[dict], probes: list[tuple[str, str, str]]) -> list[dict]:
    """The evaluation set's quality and the probes found, for each (DOCUMENT_PENALTY, DOCUMENT_KEYWORD)."""
    from search_quality import metrics

    from rujukan import search

    shipped = (search.DOCUMENT_PENALTY, search.DOCUMENT_KEYWORD)
    rows = []
    try:
        for penalty, keyword in GRID:
            search.DOCUMENT_PENALTY, search.DOCUMENT_KEYWORD = penalty, keyword
            ranked, _ = evaluate(engine, queries)
            found = 0
            for practice_id, document_id, question in probes:
                top = engine.search(question, top_k=5).matches[:1]
                found += bool(top and top[0].practice.id == practice_id and top[0].document is not None and top[0].document.id == document_id)
            rows.append({"penalty": penalty, "keyword": keyword, **metrics(ranked, queries), "probes_found": found, "probes": len(probes)})
    finally:
        search.DOCUMENT_PENALTY, search.DOCUMENT_KEYWORD = shipped
    return rows


def quality(folder: Path) -> dict:
    from search_quality import metrics  # here, so the children do not import it

    from rujukan.config import Settings
    from rujukan.embeddings import load_embedder
    from rujukan.practices import load_knowledge
    from rujukan.service import prepare

    work = folder / "quality"
    env = fresh_env(work)
    settings = Settings.from_env(env)
    os.environ.update({k: env[k] for k in ("RUJUKAN_MODEL_CACHE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")})
    queries = load_eval()
    embedder = load_embedder(settings, log=silent)
    before = prepare(settings, log=silent, embedder=embedder).engine
    rank_a, res_a = evaluate(before, queries)

    kb = load_knowledge(settings.practices_dir)
    library = settings.document_library()
    known = {p.id for p in kb.practices}
    added, kinds = [], {}
    for p in sorted(kb.practices, key=lambda p: p.id):
        pages = pages_spread(lines_of(body(p.path)), low=1)
        d = library.add(make_pdf(pages, width_chars=LINE_CHARS + 5), f"{p.id}.pdf", practice_id=p.id, known_practices=known,
                        title=f"{p.title} (salinan catatan)", uploaded_by="bench")
        added.append({"id": d.id, "kind": "repeat", "practice": p.id, "pages": len(d.pages), "source": f"knowledge/practices/{p.id}.md"})
        kinds[d.id] = "repeat"
    hosts = sorted(known)[:5]
    distractors = [name for name in DISTRACTORS if (ROOT / name).is_file()]
    for n, name in enumerate(distractors):
        path = (ROOT / name).resolve()
        lines = lines_of(path.read_text(encoding="utf-8"))
        pages = pages_spread(lines)
        host = hosts[n % len(hosts)]
        d = library.add(make_pdf(pages, width_chars=LINE_CHARS + 5), f"{path.stem}.pdf", practice_id=host, known_practices=known,
                        title=f"Dokumen proyek: {name}", uploaded_by="bench")
        used = sum(len(page.split("\n")) for page in pages)
        added.append({"id": d.id, "kind": "distractor", "practice": host, "pages": len(d.pages), "source": name, "lines_used": used,
                      "lines_in_file": len(lines)})
        kinds[d.id] = "distractor"
    ready = prepare(settings, log=silent, embedder=embedder)
    assert len(ready.report.embedded_documents) == len(added), ready.report
    rank_b, res_b = evaluate(ready.engine, queries)
    with_twenty = grid(ready.engine, queries, [])
    probes = []
    for practice_id, fact, question_id, question_en in PROBES:
        d = library.add(make_pdf([fact]), f"probe-{practice_id}.pdf", practice_id=practice_id, known_practices=known,
                        title="Catatan uji bench (fakta sintetis)", uploaded_by="bench")
        probes += [(practice_id, d.id, question_id), (practice_id, d.id, question_en)]
    probed = prepare(settings, log=silent, embedder=embedder)
    with_probes = grid(probed.engine, queries, probes)

    m_a, m_b = metrics(rank_a, queries), metrics(rank_b, queries)
    langs = sorted({q["lang"] for q in queries})
    by_lang = {lang: {"n": sum(q["lang"] == lang for q in queries),
                      "without": metrics([r for r, q in zip(rank_a, queries) if q["lang"] == lang], [q for q in queries if q["lang"] == lang]),
                      "with": metrics([r for r, q in zip(rank_b, queries) if q["lang"] == lang], [q for q in queries if q["lang"] == lang]),
                      "queries_with_a_distractor_in_top5": sum(any(m.document is not None and kinds[m.document.id] == "distractor" for m in ms)
                                                               for ms, q in zip(res_b, queries) if q["lang"] == lang)}
               for lang in langs}
    from_doc = [m for ms in res_b for m in ms if m.document is not None]
    changed = []
    def first_relevant(q: dict, ranked: list[str]) -> int | None:
        return next((i for i, pid in enumerate(ranked, start=1) if pid in set(q["relevant"])), None)

    rank_moves = [{"query": q["query"], "relevant": q["relevant"], "rank_without": first_relevant(q, ra), "rank_with": first_relevant(q, rb)}
                  for q, ra, rb in zip(queries, rank_a, rank_b) if first_relevant(q, ra) != first_relevant(q, rb)]
    for q, ra, rb, mb in zip(queries, rank_a, rank_b, res_b):
        if ra[:1] != rb[:1]:
            top = mb[0] if mb else None
            changed.append({"query": q["query"], "relevant": q["relevant"], "top1_without": ra[:1], "top1_with": rb[:1],
                            "top1_with_from": (kinds[top.document.id] + " document " + top.document.title) if top and top.document else "record",
                            "top1_with_passage": (f"p{top.page}: " if top and top.document else "") + (top.passage[:160] if top else ""),
                            "top1_with_similarity": round(top.similarity, 3) if top else None, "top1_with_weak": bool(top and top.weak),
                            "relevant_with": [(m.practice.id, round(m.similarity, 3), "document" if m.document else "record")
                                              for m in mb if m.practice.id in set(q["relevant"])],
                            "right_without": bool(set(q["relevant"]) & set(ra[:1])), "right_with": bool(set(q["relevant"]) & set(rb[:1]))})
    top5_moved = sum(ra != rb for ra, rb in zip(rank_a, rank_b))
    from rujukan import search

    return {
        "shipped": [search.DOCUMENT_PENALTY, search.DOCUMENT_KEYWORD],
        "documents": added,
        "chunks_embedded": ready.report.chunks_embedded, "sentences_embedded": ready.report.sentences_embedded,
        "without_documents": m_a, "with_documents": m_b, "by_lang": by_lang,
        "difference": {k: round(m_b[k] - m_a[k], 3) for k in ("recall@1", "recall@3", "mrr")},
        "top1_changed": len(changed), "top5_lists_changed": top5_moved, "changed_queries": changed, "first_relevant_rank_moved": rank_moves,
        "top5_matches": sum(map(len, res_b)), "top5_matches_from_a_document": len(from_doc),
        "top5_matches_from_repeat_documents": sum(kinds[m.document.id] == "repeat" for m in from_doc),
        "top5_matches_from_distractors": sum(kinds[m.document.id] == "distractor" for m in from_doc),
        "top5_distractor_matches_marked_weak": sum(kinds[m.document.id] == "distractor" and m.weak for m in from_doc),
        "top1_from_a_document": sum(1 for ms in res_b if ms and ms[0].document is not None),
        "grid_with_20_documents": with_twenty,
        "grid_with_20_documents_and_6_probe_documents": with_probes,
        "note": "engine.search(query, top_k=5): MRR counts a first relevant practice beyond rank 5 as not found. Repeat documents: one "
                "record's body as a PDF (1-3 pages) attached to that record; distractors: project prose spread on 5-20 pages, attached "
                f"round-robin to {hosts} (a file longer than 20 pages keeps its first 1000 lines). Documents titled "
                "'<practice title> (salinan catatan)' and 'Dokumen proyek: <file>'.",
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--quality-only", action="store_true", help="only the search-quality part (no ingest timing)")
    parser.add_argument("--child", choices=(*PHASES, "template"), help=argparse.SUPPRESS)
    parser.add_argument("--pdf", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.pdf)))
        return 0
    load_before = os.getloadavg()
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} on {os.cpu_count()} CPUs")
    folder = Path(tempfile.mkdtemp(prefix="rujukan-docbench-"))
    try:
        figures = None if args.quality_only else ingest(args.repeats, args.pages, folder)
        if figures is not None:
            print(f"\ningest of a {args.pages}-page text PDF, median of {args.repeats} (each phase its own process, fresh folders):")
            print(f"{'phase':34} {'s':>8} {'pages/s':>9} {'x raw time':>11} {'peak RSS MB':>12}")
            phases = (("raw", "raw extraction (pypdf, baseline)"), ("add", "checked and stored (add)"), ("searchable", "searchable (add + prepare)"))
            for phase, label in phases:
                f = figures[phase]
                print(f"{label:34} {f['seconds_median']:8.2f} {f['pages_per_s']:9.1f} {f['time_over_raw']:11.2f} {f['peak_rss_mb_median']:12.1f}")
            s, e = figures["searchable"], figures["engine_without_document"]
            print(f"{'engine without the document':34} {'':8} {'':9} {'':11} {e['peak_rss_mb_median']:12.1f}")
            print(f"{'  + the records chunks embedded':34} {'':8} {'':9} {'':11} {e['peak_rss_after_embedding_records_chunks_mb_median']:12.1f}")
            print(f"searchable: add {s['add_s_median']:.2f} s + sync {s['sync_s_median']:.2f} s + engine build {s['engine_build_s_median']:.2f} s; "
                  f"{s['chunks_embedded']} chunks and {s['sentences_embedded']} sentences embedded ({s['passages_per_s']} passages/s); "
                  f"model load {s['model_load_s_median (excluded)']:.2f} s and opening the records' index {s['open_index_s_median (excluded)']:.2f} s excluded")
            print(f"the document's own extra memory: {s['document_extra_rss_mb']} MB over the engine-only child, "
                  f"{s['document_extra_rss_over_warm_model_mb']} MB over it once the model has embedded the records' chunks "
                  f"({s['document_extra_rss_mb_same_child']} MB over the same child's peak before the upload); "
                  f"a line from its middle found in the document: {s['probe_found_in_document']}")

        print("\nsearch quality on eval/queries.jsonl (top_k=5):", flush=True)
        q = quality(folder)
        print(f"{'':22} {'R@1':>6} {'R@3':>6} {'MRR':>6}")
        for name, key in (("no documents", "without_documents"), ("20 documents", "with_documents"), ("difference", "difference")):
            m = q[key]
            print(f"{name:22} {m['recall@1']:6.3f} {m['recall@3']:6.3f} {m['mrr']:6.3f}")
        for lang, g in q["by_lang"].items():
            print(f"  {lang} ({g['n']} queries): R@1 {g['without']['recall@1']:.3f} -> {g['with']['recall@1']:.3f}, MRR {g['without']['mrr']:.3f} -> "
                  f"{g['with']['mrr']:.3f}; {g['queries_with_a_distractor_in_top5']} with a distractor document in the top 5")
        print(f"{q['top1_changed']} of {q['with_documents']['n']} queries' top-1 changed ({q['top5_lists_changed']} top-5 lists changed); "
              f"{q['top5_matches_from_a_document']} of {q['top5_matches']} top-5 matches came from a document "
              f"({q['top5_matches_from_repeat_documents']} repeat, {q['top5_matches_from_distractors']} distractor, "
              f"{q['top5_distractor_matches_marked_weak']} of these marked weak; "
              f"{q['top1_from_a_document']} top-1)")
        for c in q["changed_queries"]:
            print(f"  {c['query'][:70]!r}: want {c['relevant']}, {c['top1_without']} -> {c['top1_with']} ({c['top1_with_from']}, "
                  f"cosine {c['top1_with_similarity']}{', weak' if c['top1_with_weak'] else ''}; relevant: {c['relevant_with']})")
        print("\nDOCUMENT_PENALTY x DOCUMENT_KEYWORD (shipped: "
              f"{q['shipped']}): eval with 20 documents | with 6 probe documents more, and probes found first")
        for a, b in zip(q["grid_with_20_documents"], q["grid_with_20_documents_and_6_probe_documents"]):
            print(f"  {a['penalty']:.2f} x {a['keyword']:.1f}: R@1 {a['recall@1']:.3f} R@3 {a['recall@3']:.3f} MRR {a['mrr']:.3f} | "
                  f"R@1 {b['recall@1']:.3f} MRR {b['mrr']:.3f}, probes {b['probes_found']}/{b['probes']}")
        print(f"{len(q['first_relevant_rank_moved'])} queries' first relevant rank moved (None = not in the top 5):")
        for c in q["first_relevant_rank_moved"]:
            print(f"  {c['query'][:70]!r}: want {c['relevant']}, rank {c['rank_without']} -> {c['rank_with']}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    load_after = os.getloadavg()
    print(f"\nload average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    path = write("documents", {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(), "cpu_count": os.cpu_count(),
                               "loadavg_before": [round(x, 2) for x in load_before], "loadavg_after": [round(x, 2) for x in load_after],
                               "ingest": figures, "search_quality": q})
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
