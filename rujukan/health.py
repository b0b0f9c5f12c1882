"""What `rujukan doctor` and the home page's health panel report: the model, the knowledge base,
the region data, the search index (embedded folder or Chroma server) and the state databases,
each with what is wrong with it. Only reads: nothing is built, created or changed."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings
from .errors import RujukanError

if TYPE_CHECKING:
    from .practices import KnowledgeBase

#: A check's status: all is well, something a person should know (e.g. not built yet), or a problem.
OK, NOTE, PROBLEM = "ok", "note", "problem"


@dataclass(frozen=True)
class Check:
    part: str  # model | knowledge | documents | data | index | state
    status: str  # OK | NOTE | PROBLEM
    summary: str  # what it is and where
    detail: str = ""  # what is wrong, or what to do

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def _read_one(path: Path, sql: str, params: tuple = ()):
    """The one value a query gives on an SQLite file opened read-only (nothing created or changed)."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchone()[0]
    finally:
        con.close()


def check_all(settings: Settings) -> list[Check]:
    """Every part, in the order a person fixes them."""
    from .practices import load_knowledge

    kb = load_knowledge(settings.practices_dir)  # once, for the knowledge and the documents checks
    return [_model(settings), _knowledge(settings, kb), _documents(settings, kb), _data(settings), _index(settings), *_state(settings)]


def _model(settings: Settings) -> Check:
    from .embeddings import model_spec, needs_build

    try:
        spec = model_spec(settings)
        if needs_build(settings):
            return Check("model", NOTE, f"{settings.model}: not built yet in {spec.load_from}",
                         "The first start (or `rujukan index`) builds it once, offline, in about a minute.")
    except RujukanError as exc:
        return Check("model", PROBLEM, settings.model, str(exc))
    where = spec.load_from if spec.build_default or Path(spec.load_from).exists() else f"{spec.load_from} (a sentence-transformers name)"
    return Check("model", OK, f"{spec.identity}: {where}")


def _knowledge(settings: Settings, kb: KnowledgeBase) -> Check:
    summary = f"{len(kb.practices)} practice record(s) in {settings.practices_dir}"
    if kb.problems:
        first = kb.problems[0]
        return Check("knowledge", PROBLEM, summary, f"{len(kb.problems)} problem(s), e.g. {Path(first.file).name}: {first.field}: {first.message} "
                                                      "(`rujukan validate` lists them all)")
    return Check("knowledge", OK, summary)


def _documents(settings: Settings, kb: KnowledgeBase) -> Check:
    """The attached documents: how many, which have no text layer, which name a practice that is not loaded, a missing file."""
    folder = settings.documents_folder
    docs = settings.document_library().documents()
    if not docs:
        return Check("documents", OK, f"no documents attached in {folder}")
    summary = f"{len(docs)} document(s), {sum(len(d.pages) for d in docs)} page(s) in {folder}"
    known = {p.id for p in kb.practices}
    missing = [d.id for d in docs if not (folder / d.stored_name).exists()]
    orphans = [f"{d.id} ({d.practice_id})" for d in docs if d.practice_id not in known]
    if missing or orphans:
        detail = "; ".join(filter(None, [f"file missing for {', '.join(missing)}" if missing else "",
                                         f"attached to no loaded practice, so not searched: {', '.join(orphans)}" if orphans else ""]))
        return Check("documents", PROBLEM, summary, detail)
    unsearchable = [d.id for d in docs if not d.text_layer]
    if unsearchable:
        return Check("documents", NOTE, summary, f"no text layer, so not searchable (no OCR here): {', '.join(unsearchable)}")
    return Check("documents", OK, summary)


def _data(settings: Settings) -> Check:
    from .outlines import load_national, no_outline
    from .regions import load_dataset

    try:
        ds = load_dataset(settings.data_dir)
        geo = load_national(settings.data_dir)
    except RujukanError as exc:
        return Check("data", PROBLEM, f"region tables in {settings.data_dir}", str(exc))
    drawn = len(geo["features"]) - len(no_outline(geo))
    return Check("data", OK, f"{len(ds.regions)} regions, {len(ds.values):,} values, {len(ds.indicators)} indicators, {drawn} outlines in {settings.data_dir}")


def _index(settings: Settings) -> Check:
    from .index import COLLECTION, open_client

    if settings.chroma_host:
        where = f"Chroma server {settings.chroma_host}:{settings.chroma_port}"
        try:
            client = open_client(settings, log=lambda _m: None)  # bounded: names the server within seconds
            count = client.get_collection(COLLECTION, embedding_function=None).count()
        except RujukanError as exc:
            return Check("index", PROBLEM, where, str(exc))
        except Exception as exc:  # reachable, but no collection yet
            return Check("index", NOTE, where, f"no search index on it yet ({type(exc).__name__}); the first start builds it")
        return Check("index", OK, f"{where}: {count} chunks")
    folder = settings.index_dir
    where = f"embedded Chroma in {folder}"
    if not (folder / "chroma.sqlite3").exists():
        return Check("index", NOTE, where, "not built yet: the first start (or `rujukan index`) builds it")
    if not os.access(folder, os.W_OK):
        return Check("index", PROBLEM, where, "the folder is read-only; Chroma writes beside its database even to search")
    try:
        found = _read_one(folder / "chroma.sqlite3", "SELECT count(*) FROM embeddings e JOIN segments s ON e.segment_id = s.id "
                          "JOIN collections c ON s.collection = c.id WHERE c.name = ?", (COLLECTION,))
    except sqlite3.Error as exc:  # Chroma's own layout changed, or the file is damaged: the app rebuilds the index
        return Check("index", NOTE, where, f"its database could not be read directly ({exc}); the app rebuilds a damaged index by itself")
    return Check("index", OK, f"{where}: {found} chunks")


_STORES = (("questions and feedback", "feedback"), ("self-assessments", "assessment"), ("visits", "visits"), ("revisions", "revisions"))


def _state(settings: Settings) -> list[Check]:
    from . import assessment, feedback, visits
    from .database import Database, head, revisions

    legacy = {"feedback": feedback.LEGACY, "assessment": assessment.LEGACY, "visits": visits.LEGACY, "revisions": {}}
    targets = {"feedback": settings.feedback_db, "assessment": settings.assessments_db, "visits": settings.visits_db,
               "revisions": settings.revisions_db}
    if settings.database_url:
        return [_postgresql(settings.database_url, legacy)]
    checks = []
    for label, branch in _STORES:
        path = Path(targets[branch])
        where = f"{label}: SQLite {path}"
        if not path.exists():
            status, detail = (NOTE, "not created yet (the first save creates it)")
            if path.parent.exists() and not os.access(path.parent, os.W_OK):
                status, detail = PROBLEM, "not created, and its folder is read-only: nothing can be saved"
            checks.append(Check("state", status, where, detail))
            continue
        database = Database(path, label, inspect_only=True)
        try:
            found = database.revision(branch, legacy[branch])
        except RujukanError as exc:
            checks.append(Check("state", PROBLEM, where, f"cannot be read ({exc})"))
            continue
        finally:
            database.dispose()  # the panel checks every 30 s: no connection is left open
        newest = head(branch)
        if found != newest:
            known = found in revisions(branch)
            checks.append(Check("state", NOTE if known else PROBLEM, f"{where}, schema {found}",
                                f"this Rujukan uses schema {newest}" + ("; it is carried forward on first use" if known else "; update the app")))
        elif not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            checks.append(Check("state", PROBLEM, f"{where}, schema {found}", "read-only: what it holds is shown, but saving is off"))
        else:
            checks.append(Check("state", OK, f"{where}, schema {found}"))
    return checks


def _postgresql(url: str, legacy: dict[str, dict[int, str]]) -> Check:
    """One check for the shared PostgreSQL: reachable, and each store's schema revision."""
    from .database import Database, head, revisions

    try:
        database = Database(url, "the state database")
    except RujukanError as exc:
        return Check("state", PROBLEM, "RUJUKAN_DATABASE_URL", str(exc))
    try:
        with database.read() as con:
            server = con.exec_driver_sql("SHOW server_version").scalar()
        found = {branch: database.revision(branch, legacy[branch]) for _label, branch in _STORES}
    except RujukanError as exc:
        return Check("state", PROBLEM, database.where, str(exc))
    finally:
        database.dispose()
    summary = f"{database.where}, server {str(server).split()[0]}"
    stores = ", ".join(f"{label}: {found[b] or 'no tables yet'}" for label, b in _STORES)
    behind = [label for label, b in _STORES if found[b] != head(b)]
    if any(found[b] is not None and found[b] not in revisions(b) for _l, b in _STORES):
        return Check("state", PROBLEM, summary, f"{stores}; made by a newer Rujukan: update the app")
    if behind:
        return Check("state", NOTE, summary, f"{stores}; {', '.join(behind)} created or carried forward on first use")
    return Check("state", OK, summary, stores)
