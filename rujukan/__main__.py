"""The command line: `rujukan COMMAND` (or `python -m rujukan COMMAND`); `rujukan --help` lists them."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .config import Settings
from .errors import RujukanError, StateError
from .i18n import t
from .practices import load_knowledge
from .search import METHODS, Filters, SearchResult
from .vocabulary import DIMENSIONS, STATUSES


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(done: int, total: int, what: str) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    end = "\n" if done >= total else ""
    print(f"\r{what}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr, flush=True)


def cmd_validate(settings: Settings, args: argparse.Namespace) -> int:
    kb = load_knowledge(Path(args.dir) if args.dir else settings.practices_dir)
    for problem in kb.problems:
        print(problem)
    print(f"{len(kb.practices)} record(s) valid, {len(kb.problems)} problem(s).", file=sys.stderr)
    return 1 if kb.problems else 0


def cmd_doctor(settings: Settings, args: argparse.Namespace) -> int:
    from .health import PROBLEM, check_all

    checks = check_all(settings)
    if args.json:
        print(json.dumps([c.to_dict() for c in checks], ensure_ascii=False, indent=2))
    else:
        mark = {"ok": "ok     ", "note": "note   ", "problem": "PROBLEM"}
        for c in checks:
            print(f"{mark[c.status]} {c.part:9} {c.summary}" + (f"\n{'':17} {c.detail}" if c.detail else ""))
    return 1 if any(c.status == PROBLEM for c in checks) else 0


def cmd_index(settings: Settings, args: argparse.Namespace) -> int:
    from .service import prepare

    kb = load_knowledge(settings.practices_dir)
    for problem in kb.problems:
        _err(f"skipped: {problem}")
    ready = prepare(settings, log=_err, progress=_progress, kb=kb)
    r = ready.report
    if r.rebuilt:
        _err(f"Rebuilt the whole index: {r.rebuilt}.")
    _err(
        f"Indexed {len(r.embedded_practices)} changed practice(s) ({r.chunks_embedded} chunks), "
        f"removed {len(r.removed_practices)}, unchanged {r.unchanged}, in {r.seconds:.1f} s; "
        f"{ready.engine.store.count()} chunks in the index."
    )
    if r.embedded_practices:
        _err("Re-embedded: " + ", ".join(r.embedded_practices))
    return 1 if kb.problems else 0


def _as_json(result: SearchResult) -> list[dict]:
    return [
        {
            "id": m.practice.id,
            "title": m.practice.title,
            "title_en": m.practice.title_en,
            "score": round(m.score, 4),
            "similarity": round(m.similarity, 4),
            "keyword": round(m.keyword, 4),
            "relevance": round(m.relevance, 4),
            "weak": m.weak,
            "section": m.section,
            "passage": m.passage,
            "matched_terms": list(m.matched_terms),
            "dimensions": list(m.practice.dimensions),
            "region": {"code": m.practice.region_code, "name": m.practice.region_name},
            "sources": [s.url for s in m.practice.sources],
        } | ({"document": m.document.title, "document_id": m.document.id, "page": m.page} if m.document else {})
        for m in result.matches
    ]


def _reference_regions(kb, codes: list[str] | None) -> tuple[str, ...] | None:
    """The --region codes, each the region of at least one record; None (after saying which are not) otherwise."""
    regions = kb.regions()
    unknown = [code for code in codes or () if code not in regions]
    if unknown:
        _err(f"No practice record is of region {', '.join(unknown)}; the reference regions are: "
             + ", ".join(f"{code} ({name})" for code, name in regions.items()))
        return None
    return tuple(dict.fromkeys(codes or ()))


def cmd_search(settings: Settings, args: argparse.Namespace) -> int:
    from .service import prepare

    if (args.query is None) == (args.queries_file is None):
        _err("Give either a QUERY or --queries-file F.")
        return 2
    kb = load_knowledge(settings.practices_dir)
    regions = _reference_regions(kb, args.region)
    if regions is None:
        return 2
    filters = Filters(
        dimensions=tuple(args.dimension or ()),
        agencies=tuple(args.agency or ()),
        statuses=tuple(args.status or ()),
        year_from=args.year_from,
        year_to=args.year_to,
        regions=regions,
    )
    engine = prepare(settings, log=_err, kb=kb).engine
    if args.queries_file:
        try:
            lines = Path(args.queries_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            _err(f"Cannot read --queries-file {args.queries_file}: {exc}")
            return 2
        for line in (ln.strip() for ln in lines):
            if not line:
                continue
            started = time.perf_counter()
            result = engine.search(line, args.top, filters, args.method)
            elapsed = (time.perf_counter() - started) * 1000
            print(json.dumps({"query": line, "weak": result.weak, "results": _as_json(result), "elapsed_ms": round(elapsed, 2)}, ensure_ascii=False),
                  flush=True)
        return 0
    result = engine.search(args.query, args.top, filters, args.method)
    for notice in result.notices:
        _err(f"note: {t(f'notice.{notice}', 'en')}")
    if result.matches and result.weak:
        _err("note: no practice matches well; these are only the closest (each marked weak)")
    if args.json:
        print(json.dumps(_as_json(result), ensure_ascii=False, indent=2))
    else:
        for rank, m in enumerate(result.matches, start=1):
            print(f"{rank}. {m.practice.title} [{m.practice.id}] score {m.score:.3f}" + (" (weak)" if m.weak else ""))
            print(f"   {m.passage[:200].replace(chr(10), ' ')}")
    return 0


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    from .answer import answer_question
    from .service import prepare

    kb = load_knowledge(settings.practices_dir)
    regions = _reference_regions(kb, args.region)
    if regions is None:
        return 2
    answer = answer_question(prepare(settings, log=_err, kb=kb).engine, args.question, filters=Filters(regions=regions) if regions else None)
    out = {
        "question": answer.question,
        "lang": answer.lang,
        "answer": answer.answer,
        "citations": [
            {"number": c.number, "id": c.practice_id, "title": c.practice_title, "section": c.section,
             "source_number": c.source_number, "source_url": c.source_url, "source_title": c.source_title, "text": c.text}
            | ({"document": c.document_title, "document_id": c.document_id, "page": c.page} if c.document_id else {})
            for c in answer.citations
        ],
        "confidence": round(answer.confidence, 3),
        "weak": answer.weak,
        "declined": answer.declined,
        "reason": answer.reason,
        "closest": [{"id": pid, "title": title} for pid, title in answer.closest],
        "fields": [{"id": f.practice_id, "field": f.field, "known": f.known, "values": list(f.values), "uncertain": f.uncertain}
                   for f in answer.fields],
        "followups": list(answer.followups),
        "notices": list(answer.notices),
    }
    for notice in answer.notices:
        _err(f"note: {t(f'notice.{notice}', 'en')}")
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    elif answer.declined and not answer.closest:
        print("No answer: the question has nothing to search with.")
    elif answer.declined:
        print("No answer strong enough in the knowledge base. Closest practices: " + ", ".join(title for _, title in answer.closest))
    else:
        print(answer.answer)
        for c in answer.citations:
            where = f"{c.document_title}, page {c.page}" if c.document_id else c.section
            print(f"[{c.number}] {c.practice_title} / {where}: {c.source_url}")
    return 0


def cmd_data_build(settings: Settings, args: argparse.Namespace) -> int:
    from .databuild import build

    report = build(settings.data_dir / "raw", settings.data_dir)
    _err(report.summary())
    return 0


def _dataset(settings: Settings):
    from .regions import load_dataset

    return load_dataset(settings.data_dir)


def cmd_peers(settings: Settings, args: argparse.Namespace) -> int:
    from .regions import find_peers, national_indicators

    ds = _dataset(settings)
    indicators = args.indicators.split(",") if args.indicators else national_indicators(ds)
    peers = find_peers(ds, args.region, indicators, k=args.k, same_kind=args.same_kind, same_province=args.same_province,
                       same_size=args.same_size)
    if peers.skipped:
        _err(f"{len(peers.skipped)} region(s) skipped for missing values; {peers.considered} compared.")
    items = [
        {"code": p.code, "name": p.name, "kind": p.kind, "province": p.province, "distance": round(p.distance, 4),
         "closest_on": list(p.closest), "values": p.values, "years": peers.years}
        for p in peers
    ]
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
    else:
        for rank, item in enumerate(items, start=1):
            closest = ", ".join(item["closest_on"][:3])
            print(f"{rank}. {item['name']} ({item['code']}, {item['province']}) distance {item['distance']:.2f}; closest on {closest}")
    return 0


def cmd_compare(settings: Settings, args: argparse.Namespace) -> int:
    from .regions import compare

    ds = _dataset(settings)
    table = compare(ds, args.regions.split(","), args.indicators.split(",") if args.indicators else None)
    sources = ds.sources.set_index("id")
    records = []
    for row in table.to_dict("records"):
        records.append({
            "region_code": row["region_code"], "name": row["name"], "indicator": row["indicator"], "year": int(row["year"]),
            "value": None if row["value"] != row["value"] else float(row["value"]), "unit": row["unit"], "caveat": row["caveat"] or "",
            "source": row["source"], "source_url": sources.at[row["source"], "url"] if row["source"] in sources.index else "",
        })
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        for r in records:
            print(f"{r['name']:30} {r['indicator']:14} {r['year']} {r['value']} {r['unit']}  [{r['source']}]")
    return 0


def cmd_recommend(settings: Settings, args: argparse.Namespace) -> int:
    from .assessment import AssessmentStore, parse_assessment
    from .recommend import gap_items, gaps, indicator_gaps, recommend
    from .service import prepare

    ds = _dataset(settings)
    region = ds.region(args.region)
    assessment = None
    if args.scores or args.institutions:
        assessment = parse_assessment(region["code"], args.scores or "", args.institutions or "", args.date)
    elif not args.no_assessment:
        try:
            store = AssessmentStore(settings.assessments_db)
            assessment = store.get(region["code"], args.date) if args.date else store.latest(region["code"])
        except StateError as exc:  # e.g. a read-only state folder without the file: the indicator gaps still stand
            _err(f"note: the saved self-assessments cannot be read ({exc}); using indicator gaps only.")
        if args.date and assessment is None:
            _err(f"No self-assessment of {region['name']} on {args.date}; using indicator gaps only.")
    peers = args.peers.split(",") if args.peers else None
    indicators = args.indicators.split(",") if args.indicators else None
    engine = prepare(settings, log=_err).engine
    references = _reference_regions(engine.kb, args.reference)
    if references is None:
        return 2
    recs = recommend(engine, ds, region["code"], assessment, k=args.k, indicators=indicators, peers=peers, references=references)

    def records(frame) -> list[dict]:
        rows = frame.astype(object).to_dict("records")
        return [{k: (None if v is None or v != v else (v.item() if hasattr(v, "item") else v)) for k, v in row.items()} for row in rows]

    out = {
        "region": {"code": region["code"], "name": region["name"], "province": region["province"]},
        "assessment": None if assessment is None else assessment.to_dict(),
        "gaps": {
            "dimensions": [] if assessment is None else records(gaps(assessment, ds)),
            "indicators": records(indicator_gaps(ds, region["code"], indicators, peers)),
            "ranked": [{"kind": g.kind, "key": g.key, "dimension": g.dimension, "size": round(g.size, 4), "reason": g.reason}
                       for g in gap_items(ds, region["code"], assessment, indicators, peers)],
        },
        "recommendations": [r.to_dict() for r in recs],
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    else:
        if assessment is None:
            _err(f"No self-assessment saved for {region['name']}; recommending from indicator gaps only.")
        print(f"{region['name']} ({region['code']}): {len(recs)} practice(s) recommended")
        for rank, r in enumerate(recs, start=1):
            thin = " — thin record: most of what a region needs to copy it is unknown" if r.thin else ""
            print(f"{rank}. {r.title} [{r.practice_id}] ({r.dimension}){thin}\n   {r.gap.reason}\n"
                  f"   legal basis: {r.legal_basis}; costs: {r.costs.splitlines()[0]}")
    return 0


def cmd_brief(settings: Settings, args: argparse.Namespace) -> int:
    from .brief import visit_purpose, write_brief, write_pdf
    from .visits import VisitLog

    kb = load_knowledge(settings.practices_dir)
    ds = _dataset(settings)
    practices = [p.strip() for p in args.practices.split(",") if p.strip()]
    out = write_brief(kb, ds, args.region, practices, Path(args.out), visit_date=args.date, purpose=args.purpose)
    _err(f"brief written: {out}")
    status = 0
    if args.pdf:
        try:
            beside = out.with_suffix(".pdf")  # FILE.docx -> FILE.pdf; never over the DOCX itself
            pdf = write_pdf(out.read_bytes(), beside if beside != out else out.with_name(out.name + ".pdf"))
        except (RujukanError, OSError) as exc:
            _err(f"error: the brief was written ({out}), but not its PDF: {exc}")
            status = 1
        else:
            _err(f"PDF written: {pdf}")
    try:
        purpose = visit_purpose(kb, ds, args.region, practices, args.purpose)
        log = VisitLog(settings.visits_db)
        visit = log.record(args.region.strip(), args.date, practices, purpose)
    except StateError as exc:
        if exc.reason == "readonly":  # the pack is what was asked for; recording the visit is a side effect that cannot be done
            _err(f"note: the brief was written; the visit was not recorded: {exc}")
            return status
        _err(f"error: the brief was written, but the visit was not recorded: {exc}")
        return 1
    except RujukanError as exc:
        _err(f"error: the brief was written, but the visit was not recorded: {exc}")
        return 1
    _err(f"visit recorded: number {visit} in {log.database.where}")
    return status


def _read_bytes(path: Path) -> bytes | None:
    """A file named on the command line, or None after saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        _err(f"error: cannot read {path}: {exc.strerror or exc}")
        return None


def cmd_practice(settings: Settings, args: argparse.Namespace) -> int:
    """Local curation for whoever holds the files: save an edited record, its history, a diff, a restore."""
    from .bulk import ImportRefused, import_table
    from .revisions import EditRefused, RevisionStore

    store = RevisionStore(settings.revisions_db, settings.practices_dir)
    try:
        if args.action == "import":
            path = Path(args.file)
            data = _read_bytes(path)
            if data is None:
                return 2
            try:
                imported = import_table(data, path.name, store, args.author, args.reason)
            except ImportRefused as exc:
                _err(f"not imported: {exc}")
                for row_problem in exc.problems:
                    _err(f"  {row_problem}")
                return 1
            _err(f"imported {len(imported)} record(s): " + ", ".join(f"{r.practice_id} (revision {r.number})" for r in imported)
                 + "; run `rujukan index` (or reload the app) to embed them")
        elif args.action == "save":
            path = Path(args.file)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                _err(f"error: cannot read {path}: {exc}")
                return 2
            practice_id = args.id or path.stem
            saved = store.save(practice_id, text, args.author, args.reason, args.base)
            _err(f"saved {practice_id} as revision {saved.number} in {store.file(practice_id)}; run `rujukan index` (or reload the app) "
                 "to re-embed it")
        elif args.action == "history":
            for r in store.history(args.id):
                print(f"{r.number}\t{r.created}\t{r.author}\t{r.reason}")
        elif args.action == "diff":
            print(store.diff(args.id, args.older, args.newer), end="")
        elif args.action == "restore":
            saved = store.restore(args.id, args.number, args.author, args.reason or "")
            _err(f"restored revision {args.number} of {args.id} as revision {saved.number}")
    except EditRefused as exc:
        _err(f"not saved: {exc}")
        for problem in exc.problems:
            _err(f"  {problem.field}: {problem.message}")
        if exc.conflict:
            print(exc.conflict)
        return 1
    return 0


def cmd_documents(settings: Settings, args: argparse.Namespace) -> int:
    """Documents attached to practices, for whoever holds the files: add, list, remove."""
    import getpass

    from .documents import DocumentRefused
    from .practices import load_knowledge

    library = settings.document_library()
    try:
        if args.action == "add":
            path = Path(args.file)
            data = _read_bytes(path)
            if data is None:
                return 2
            known = {p.id for p in load_knowledge(settings.practices_dir).practices}
            doc = library.add(data, path.name, practice_id=args.practice_id, known_practices=known, title=args.title,
                              uploaded_by=args.by or f"{getpass.getuser()} (command line)", source_url=args.source_url or "", licence=args.licence or "")
            label = "" if doc.text_layer else "; no text layer: not searchable (no OCR here)"
            _err(f"stored {doc.id} ({doc.kind}, {len(doc.pages)} page(s)) for {doc.practice_id} in {library.folder}{label}; "
                 "the next `rujukan index` (or the app) embeds it")
            print(doc.id)
        elif args.action == "list":
            docs = library.documents()
            if args.json:
                print(json.dumps([{"id": d.id, "practice_id": d.practice_id, "title": d.title, "kind": d.kind, "pages": len(d.pages),
                                   "text_layer": d.text_layer, "size": d.size, "filename": d.filename, "uploaded_by": d.uploaded_by,
                                   "uploaded_at": d.uploaded_at, "source_url": d.source_url, "licence": d.licence, "notes": list(d.notes)}
                                  for d in docs], ensure_ascii=False, indent=2))
            for d in docs if not args.json else ():
                print(f"{d.id}\t{d.practice_id}\t{d.kind}\t{len(d.pages)} p.\t{d.title}" + ("" if d.text_layer else "\t(no text layer)"))
        elif args.action == "remove":
            doc = library.remove(args.id)
            _err(f"removed {doc.id} ({doc.title}); the next `rujukan index` (or the app) drops it from the index")
    except DocumentRefused as exc:
        _err(f"refused: {exc}")
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Every command and option (README's "Command line" lists the same; a test checks it)."""
    parser = argparse.ArgumentParser(prog="rujukan", description="Rujukan: Kota Kediri's smart-city practices.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check every practice record; exit 1 if any problem")
    p.add_argument("--dir", help="folder of records (default: the configured knowledge/practices)")
    p.set_defaults(run=cmd_validate)
    p = sub.add_parser("doctor", help="what the app runs on (model, knowledge, data, index, state) and what is wrong; exit 1 on a problem")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_doctor)
    p = sub.add_parser("index", help="bring the search index up to date (only changed practices)")
    p.set_defaults(run=cmd_index)
    p = sub.add_parser("search", help="search the practices")
    p.add_argument("query", nargs="?", help="the question or keywords")
    p.add_argument("--top", type=int, default=5, help="how many practices (default 5)")
    p.add_argument("--json", action="store_true", help="print a JSON array, best first")
    p.add_argument("--queries-file", help="one query per line; prints one JSON object per line")
    p.add_argument("--method", choices=METHODS, default="hybrid")
    p.add_argument("--dimension", action="append", choices=list(DIMENSIONS))
    p.add_argument("--agency", action="append")
    p.add_argument("--status", action="append", choices=list(STATUSES))
    p.add_argument("--year-from", type=int)
    p.add_argument("--year-to", type=int)
    p.add_argument("--region", action="append", metavar="CODE", help="only practices of this reference region (BPS code, e.g. 3571); repeatable")
    p.set_defaults(run=cmd_search)
    p = sub.add_parser("ask", help="a short answer from the knowledge base, every sentence with its source")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print answer, citations, confidence, declined as JSON")
    p.add_argument("--region", action="append", metavar="CODE", help="answer only from practices of this reference region (BPS code); repeatable")
    p.set_defaults(run=cmd_ask)
    p = sub.add_parser("data", help="region data: rujukan data build")
    p.add_argument("action", choices=["build"], help="build the tidy tables under the data folder from data/raw")
    p.set_defaults(run=cmd_data_build)
    p = sub.add_parser("peers", help="the regions most similar to one region")
    p.add_argument("region", help="4-digit BPS code, e.g. 3328")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--indicators", help="comma-separated indicator ids (default: those covering all 514 regions)")
    p.add_argument("--same-kind", action="store_true", help="only kota with kota, kabupaten with kabupaten")
    p.add_argument("--same-province", action="store_true")
    p.add_argument("--same-size", action="store_true", help="only regions with half to twice the population (SP2020)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_peers)
    p = sub.add_parser("compare", help="indicator values of regions, with year and source")
    p.add_argument("--regions", required=True, help="comma-separated BPS codes, e.g. 3328,3571")
    p.add_argument("--indicators", help="comma-separated indicator ids (default: all)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_compare)
    p = sub.add_parser("brief", help="a study-visit briefing pack (DOCX, Bahasa Indonesia; --pdf a PDF too); records the visit")
    p.add_argument("--region", required=True, help="the visiting region's BPS code, e.g. 3328")
    p.add_argument("--practices", required=True, help="comma-separated practice ids, e.g. prodamas-plus,sistem-informasi-eksekutif")
    p.add_argument("--out", required=True, help="the .docx file to write (replaced atomically)")
    p.add_argument("--date", help="visit date YYYY-MM-DD (default: shown as tidak diketahui)")
    p.add_argument("--purpose", help="purpose of the visit (default: written from the chosen practices)")
    p.add_argument("--pdf", action="store_true", help="also write a PDF beside --out (FILE.pdf; needs LibreOffice: soffice)")
    p.set_defaults(run=cmd_brief)
    p = sub.add_parser("recommend", help="gaps of a region against Kediri and peers, and the Kediri practices for the largest")
    p.add_argument("--region", required=True, help="4-digit BPS code, e.g. 3328")
    p.add_argument("--k", type=int, default=5, help="how many practices (default 5)")
    p.add_argument("--date", help="use the self-assessment of this date (YYYY-MM-DD); default: the latest saved")
    p.add_argument("--no-assessment", action="store_true", help="ignore saved self-assessments (indicator gaps only)")
    p.add_argument("--scores", help="a self-assessment given here (not saved), e.g. economy=1,governance=4 (1–4; left out: not assessed)")
    p.add_argument("--institutions", help="with --scores: institution states, e.g. council=yes,team=in_progress,masterplan=no")
    p.add_argument("--peers", help="comma-separated BPS codes of peers (default: the 5 most similar regions)")
    p.add_argument("--indicators", help="comma-separated indicator ids (default: those covering all 514 regions)")
    p.add_argument("--reference", action="append", metavar="CODE", help="only practices of this reference region (repeatable; default: all)")
    p.add_argument("--json", action="store_true", help="print region, gaps and recommendations as JSON")
    p.set_defaults(run=cmd_recommend)
    p = sub.add_parser("practice", help="curate records locally: save an edited record as a new revision, history, diff, restore")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("save", help="validate FILE (knowledge format) and save it as the record's next revision")
    q.add_argument("file")
    q.add_argument("--id", help="the practice id (default: the file's name without .md)")
    q.add_argument("--author", required=True, help="who saves it")
    q.add_argument("--reason", required=True, help="why the record changes")
    q.add_argument("--base", type=int, help="the revision the edit started from (see history); omit for a new record")
    q = actions.add_parser("import", help="records from a CSV or XLSX table (one row each); nothing is written unless every row is valid")
    q.add_argument("file")
    q.add_argument("--author", required=True)
    q.add_argument("--reason", required=True)
    q = actions.add_parser("history", help="every revision of a record: number, time, author, reason")
    q.add_argument("id")
    q = actions.add_parser("diff", help="the difference between two revisions")
    q.add_argument("id")
    q.add_argument("older", type=int)
    q.add_argument("newer", type=int)
    q = actions.add_parser("restore", help="make an earlier revision the latest again")
    q.add_argument("id")
    q.add_argument("number", type=int)
    q.add_argument("--author", required=True)
    q.add_argument("--reason")
    p.set_defaults(run=cmd_practice)

    p = sub.add_parser("documents", help="documents attached to practices (PDF, DOCX, Markdown, text): add, list, remove")
    actions = p.add_subparsers(dest="action", required=True)
    q = actions.add_parser("add", help="check FILE and attach it to a practice; prints the document's id")
    q.add_argument("practice_id")
    q.add_argument("file")
    q.add_argument("--title", required=True, help="the document's title as published")
    q.add_argument("--source-url", help="where the document was published, if anywhere")
    q.add_argument("--licence", help="a note on the licence or permission to share it")
    q.add_argument("--by", help="who adds it (default: this user, command line)")
    q = actions.add_parser("list", help="every document: id, practice, type, pages, title")
    q.add_argument("--json", action="store_true")
    q = actions.add_parser("remove", help="delete a document and its metadata")
    q.add_argument("id")
    p.set_defaults(run=cmd_documents)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "top", 1) < 1:
        parser.error("--top must be at least 1")
    try:
        return args.run(Settings.from_env(), args)
    except RujukanError as exc:
        _err(f"error: {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
