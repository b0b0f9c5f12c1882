"""The Chroma store of embedded chunks and sentences: embedded PersistentClient, or HttpClient to a server.

The index is derived from the knowledge files and can always be rebuilt: it records the model
that built it (a different model means a rebuild), and each practice's content hash (an edited
practice is re-embedded alone). Beside the chunks that search ranks, it keeps every citable
sentence of the records with its vector, so answers and result cards need no embedding of their
own when the app starts.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .chunks import Chunk, document_chunks, practice_chunks
from .config import Settings
from .documents import Document
from .errors import ChromaUnreachable, SearchIndexError
from .practices import KnowledgeBase
from .sentences import Sentence, document_sentences, embedding_text, practice_sentences

COLLECTION = "rujukan-practices"
SENTENCES = "rujukan-sentences"
#: Bump when chunking, sentence splitting or stored metadata change: an index of another layout is rebuilt.
LAYOUT_VERSION = 3
#: Cosine space; ef values chosen so HNSW finds ~all true neighbours at 10k+ chunks
#: (Chroma's defaults found about half of them at 10k vectors when this was measured; README, "How search works").
HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 400, "max_neighbors": 32}
CONNECT_TIMEOUT_S = 3.0
#: A request to a Chroma server that takes longer than this is given up (Chroma's own client waits
#: without limit, so a server that accepts and never answers would hang every page).
REQUEST_TIMEOUT_S = 10.0
ADD_BATCH = 1000
#: In an embedded folder: every process that opens it holds a shared lock on this file, and a write
#: (a sync, a rebuild) takes it exclusively. Embedded Chroma is safe across threads, not across
#: processes, so a second process cannot write while another has the folder open (see README).
LOCK_FILE = ".rujukan-open.lock"
LOCK_WAIT_S = 30.0
_LOCKS: dict[str, tuple[int, int]] = {}  # folder -> (file descriptor, inode): one per folder per process


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    practice_id: str
    section: str
    text: str
    similarity: float
    document_id: str = ""
    page: int = 0


@dataclass(frozen=True)
class SyncReport:
    embedded_practices: tuple[str, ...]
    removed_practices: tuple[str, ...]
    unchanged: int
    chunks_embedded: int
    sentences_embedded: int
    rebuilt: str  # why the whole index was rebuilt, or ""
    seconds: float
    embedded_documents: tuple[str, ...] = ()
    removed_documents: tuple[str, ...] = ()


Progress = Callable[[int, int, str], None]


def open_client(settings: Settings, log: Callable[[str], None] = print):
    """A Chroma client: a server when a host is configured, otherwise the embedded folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if settings.chroma_host:
        host, port = settings.chroma_host, settings.chroma_port
        _check_reachable(host, port)
        _check_answers(host, port)  # before chromadb's client, whose first requests would wait without limit
        try:
            client = chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
            _bound_requests(client, host, port)
            client.heartbeat()
        except ChromaUnreachable:
            raise
        except Exception as exc:
            raise ChromaUnreachable(f"Chroma server at {host}:{port} does not answer: {exc}") from exc
        return client
    path = settings.index_dir
    if not (path / "chroma.sqlite3").exists():
        forget_folder(path)  # the folder was deleted under a client of this process
    _refuse_read_only(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        client.list_collections()
        return client
    except Exception as exc:  # a damaged folder: the index is derived, so rebuild it
        if _says_read_only(exc):
            raise read_only(path) from exc  # read-only is not damaged: never delete it
        log(f"The index in {path} is damaged ({type(exc).__name__}); rebuilding it.")
        _discard_folder(path)
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def read_only(path: Path) -> SearchIndexError:
    return SearchIndexError(
        f"The index folder {path} is read-only, and Chroma writes beside its database even to search. Point RUJUKAN_INDEX_DIR at a "
        "writable folder (a copy of this one will do) or make this one writable; nothing in it was changed."
    )


def _says_read_only(exc: Exception) -> bool:
    """Chroma's (or SQLite's) "attempt to write a readonly database", however it is spelt."""
    return "readonly" in str(exc).replace("-", "").replace(" ", "").lower()


def _refuse_read_only(path: Path) -> None:
    """A folder (or its database) that cannot be written is said to be read-only, never treated as damaged."""
    existing = next((p for p in (path / "chroma.sqlite3", path, *path.parents) if p.exists()), None)
    if existing is not None and not os.access(existing, os.W_OK):
        raise read_only(path)


def folder_lock(path: Path) -> int:
    """This process's shared lock on an embedded index folder (waits up to LOCK_WAIT_S for another
    process's write to end); the same descriptor for every store of the folder in this process."""
    lock = path / LOCK_FILE
    held = _LOCKS.get(str(path))
    if held is not None:
        try:
            if os.stat(lock).st_ino == held[1]:
                return held[0]
        except OSError:
            pass
        os.close(held[0])  # the folder was deleted and made anew: lock the new file
        _LOCKS.pop(str(path), None)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                raise SearchIndexError(f"The index folder {path} is being written by another process for more than {LOCK_WAIT_S:g} s.") from None
            time.sleep(0.1)
    _LOCKS[str(path)] = (fd, os.fstat(fd).st_ino)
    return fd


@contextmanager
def writing(fd: int | None, path: Path) -> Iterator[None]:
    """Hold the folder's lock exclusively while writing; refused at once when another process has it open."""
    if fd is None:  # a Chroma server: it serialises writes itself
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise SearchIndexError(
            f"Another process has the index folder {path} open, so this one may not write to it: embedded Chroma is safe across "
            "threads, not across processes. Run one app (or `rujukan index`) per embedded folder at a time, or use a Chroma server "
            "(RUJUKAN_CHROMA_HOST) for several app processes."
        ) from None
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_SH)


def open_store(settings: Settings, model_identity: str, dimension: int, log: Callable[[str], None] = print) -> ChunkStore:
    """The chunk store for this model; an embedded index that cannot be read is rebuilt."""
    client = open_client(settings, log)
    server = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else ""
    lock = None if server else folder_lock(settings.index_dir)
    try:
        store = ChunkStore(client, model_identity, dimension, server, lock, settings.index_dir)
        store.count()
        return store
    except ChromaUnreachable:
        raise
    except Exception as exc:
        if settings.chroma_host:
            raise SearchIndexError(f"The index on the Chroma server {settings.chroma_host}:{settings.chroma_port} cannot be read: {exc}") from exc
        if _says_read_only(exc):
            raise read_only(settings.index_dir) from exc
        log(f"The index in {settings.index_dir} cannot be read ({type(exc).__name__}); rebuilding it.")
        with writing(lock, settings.index_dir):  # another process's open folder is not deleted under it
            _discard_folder(settings.index_dir)
        client = open_client(settings, log)
        return ChunkStore(client, model_identity, dimension, "", folder_lock(settings.index_dir), settings.index_dir)


def check_server(settings: Settings) -> None:
    """Before the model loads: fail within seconds if the configured Chroma server cannot be reached,
    or if the embedded index folder is read-only."""
    if settings.chroma_host:
        _check_reachable(settings.chroma_host, settings.chroma_port)
    else:
        _refuse_read_only(settings.index_dir)


def _check_reachable(host: str, port: int) -> None:
    """Fail within seconds, naming host and port (Chroma's own client waits without limit)."""
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        raise ChromaUnreachable(
            f"Chroma server at {host}:{port} cannot be reached ({exc.strerror or exc}). "
            "Start it (`chroma run --host HOST --port PORT`) or unset RUJUKAN_CHROMA_HOST to use the embedded index."
        ) from exc


def _check_answers(host: str, port: int) -> None:
    """Fail within REQUEST_TIMEOUT_S when the server accepts connections but does not answer."""
    import httpx

    try:
        httpx.get(f"http://{host}:{port}/api/v2/heartbeat", timeout=httpx.Timeout(REQUEST_TIMEOUT_S, connect=CONNECT_TIMEOUT_S))
    except httpx.HTTPError as exc:
        raise ChromaUnreachable(f"Chroma server at {host}:{port} does not answer within {REQUEST_TIMEOUT_S:g} s ({type(exc).__name__}).") from exc


def _bound_requests(client, host: str, port: int) -> None:
    """Give every later request of chromadb's HTTP client a time limit (it sets none)."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if not isinstance(session, httpx.Client):
        raise ChromaUnreachable(f"Chroma server at {host}:{port}: this chromadb client keeps no HTTP session to bound; requests could hang")
    session.timeout = httpx.Timeout(REQUEST_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)


def forget_folder(path: Path) -> None:
    """Drop this process's Chroma system for one folder, so the folder is opened anew.

    Chroma keeps one system per folder per process; a folder deleted or damaged under it must
    not be served from that stale system. Other folders' clients are left alone.
    """
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(path), None)


def _discard_folder(path: Path) -> None:
    forget_folder(path)
    shutil.rmtree(path, ignore_errors=True)


class ChunkStore:
    """The Chroma collections of one knowledge base: practice chunks (searched by vector) and the
    records' citable sentences (read whole by the answers and the result cards), both with their
    vectors, metadata and the content hash of the practice they came from."""

    def __init__(self, client, model_identity: str, dimension: int, server: str = "", lock: int | None = None, folder: Path | None = None) -> None:
        self._client = client
        self.model_identity = model_identity
        self.dimension = dimension
        self.server = server  # "host:port" of a Chroma server, "" for the embedded folder
        self._lock, self._folder = lock, folder or Path(".")  # the embedded folder's shared lock (folder_lock), None for a server
        self.rebuilt = ""
        self._collection = self._open_collection(COLLECTION)
        self._sentences = self._open_collection(SENTENCES)

    @contextmanager
    def _served(self) -> Iterator[None]:
        """Name the server when a request to it fails in transport (refused, reset, timed out)."""
        import httpx

        try:
            yield
        except (httpx.TransportError, ConnectionError) as exc:
            if not self.server:
                raise
            raise ChromaUnreachable(
                f"Chroma server at {self.server} stopped answering ({type(exc).__name__}). Start it again (`chroma run`); "
                "Rujukan reconnects by itself once it answers."
            ) from exc

    def _open_collection(self, name: str):
        wanted = {"model": self.model_identity, "dimension": self.dimension, "layout": LAYOUT_VERSION}
        try:
            with self._served():
                collection = self._client.get_collection(name, embedding_function=None)
        except ChromaUnreachable:
            raise
        except Exception:  # not there yet (the exception type differs between client kinds)
            collection = None
        if collection is not None:
            found = {key: (collection.metadata or {}).get(key) for key in wanted}
            if found == wanted:
                return collection
            self.rebuilt = f"the index was built with {found}, now {wanted}"
            with writing(self._lock, self._folder):
                self._client.delete_collection(name)
        try:
            with writing(self._lock, self._folder):
                return self._client.create_collection(name, configuration={"hnsw": HNSW}, metadata=wanted, embedding_function=None)
        except SearchIndexError:
            raise
        except Exception as exc:
            try:  # another replica on the same server created it a moment ago: use that one when it is the same kind
                with self._served():
                    made = self._client.get_collection(name, embedding_function=None)
            except Exception:
                made = None
            if made is not None and {key: (made.metadata or {}).get(key) for key in wanted} == wanted:
                return made
            raise SearchIndexError(f"Cannot create the search index collection {name}: {exc}") from exc

    def count(self) -> int:
        """How many chunks are searchable."""
        with self._served():
            return self._collection.count()

    def practice_hashes(self) -> dict[str, str]:
        """practice id -> content hash of the chunks stored now."""
        with self._served():
            return _hashes(self._collection)

    def sentence_hashes(self) -> dict[str, str]:
        """practice id -> content hash of the sentences stored now."""
        with self._served():
            return _hashes(self._sentences)

    def document_hashes(self) -> tuple[dict[str, str], dict[str, str]]:
        """document id -> sha256 of the documents' stored chunks, and of their stored sentences."""
        with self._served():
            return _hashes(self._collection, "document_id"), _hashes(self._sentences, "document_id")

    def add(self, chunks: list[Chunk], vectors: np.ndarray, hashes: dict[str, str]) -> None:
        with self._served(), writing(self._lock, self._folder):
            self._add(chunks, vectors, hashes)

    def _add(self, chunks: list[Chunk], vectors: np.ndarray, hashes: dict[str, str]) -> None:
        for start in range(0, len(chunks), ADD_BATCH):
            batch = chunks[start : start + ADD_BATCH]
            self._collection.add(
                ids=[c.id for c in batch],
                embeddings=vectors[start : start + ADD_BATCH],
                documents=[c.text for c in batch],
                metadatas=[
                    {"practice_id": c.practice_id, "section": c.section, "document_id": c.document_id, "page": c.page,
                     "practice_hash": hashes[c.document_id or c.practice_id]}
                    for c in batch
                ],
            )

    def add_sentences(self, sentences: list[Sentence], vectors: np.ndarray, hashes: dict[str, str]) -> None:
        with self._served(), writing(self._lock, self._folder):
            self._add_sentences(sentences, vectors, hashes)

    def _add_sentences(self, sentences: list[Sentence], vectors: np.ndarray, hashes: dict[str, str]) -> None:
        for start in range(0, len(sentences), ADD_BATCH):
            batch = sentences[start : start + ADD_BATCH]
            self._sentences.add(
                ids=[f"doc::{s.document_id}::sentence::{s.position}" if s.document_id else f"{s.practice_id}::sentence::{s.position}"
                     for s in batch],
                embeddings=vectors[start : start + ADD_BATCH],
                documents=[s.text for s in batch],
                metadatas=[
                    {"practice_id": s.practice_id, "section": s.section, "source": -1 if s.source_number is None else s.source_number,
                     "editorial": s.editorial, "position": s.position, "document_id": s.document_id, "page": s.page,
                     "practice_hash": hashes[s.document_id or s.practice_id]}
                    for s in batch
                ],
            )

    def sentences(self, documents: bool = False) -> dict[str, tuple[list[Sentence], np.ndarray]]:
        """Every stored sentence of the records with its vector, by practice, in record order; with
        documents=True, those of the attached documents instead, by document id."""
        where = {"document_id": {"$ne": ""}} if documents else {"document_id": ""}
        with self._served():
            stored = self._sentences.get(where=where, include=["documents", "metadatas", "embeddings"])
        rows: dict[str, list[tuple[Sentence, np.ndarray]]] = {}
        for doc, meta, vector in zip(stored["documents"] or [], stored["metadatas"] or [], _vectors(stored), strict=True):
            source = int(meta["source"])
            sentence = Sentence(str(meta["practice_id"]), str(meta["section"]), doc, None if source < 0 else source,
                                bool(meta["editorial"]), int(meta["position"]), str(meta["document_id"]), int(meta["page"]))
            rows.setdefault(sentence.document_id or sentence.practice_id, []).append((sentence, vector))
        out = {}
        for practice_id, pairs in rows.items():
            pairs.sort(key=lambda pair: pair[0].position)
            out[practice_id] = ([s for s, _ in pairs], np.vstack([v for _, v in pairs]).astype(np.float32))
        return out

    def delete_practices(self, practice_ids: Iterable[str]) -> None:
        """The records' chunks and sentences of these practices (their documents' stay)."""
        ids = list(practice_ids)
        if ids:
            where = {"$and": [{"practice_id": {"$in": ids}}, {"document_id": ""}]}
            with self._served(), writing(self._lock, self._folder):
                self._collection.delete(where=where)
                self._sentences.delete(where=where)

    def delete_documents(self, document_ids: Iterable[str]) -> None:
        ids = list(document_ids)
        if ids:
            with self._served(), writing(self._lock, self._folder):
                self._collection.delete(where={"document_id": {"$in": ids}})
                self._sentences.delete(where={"document_id": {"$in": ids}})

    def query(self, vector: np.ndarray, n: int, practice_ids: list[str] | None = None) -> list[Hit]:
        """Nearest chunks by cosine similarity, optionally only of the given practices."""
        total = self.count()
        if total == 0 or n <= 0 or practice_ids == []:
            return []
        where = {"practice_id": {"$in": practice_ids}} if practice_ids is not None else None
        with self._served():
            found = self._collection.query(
                query_embeddings=vector.reshape(1, -1),
                n_results=min(n, total),
                where=where,
                include=["documents", "metadatas", "distances"],
            )
        return [
            Hit(chunk_id, meta["practice_id"], meta["section"], doc, 1.0 - float(dist), str(meta.get("document_id") or ""), int(meta.get("page") or 0))
            for chunk_id, doc, meta, dist in zip(
                found["ids"][0], found["documents"][0], found["metadatas"][0], found["distances"][0]
            )
        ]


def _hashes(collection, key: str = "practice_id") -> dict[str, str]:
    """practice id -> hash of the records' items, or (key="document_id") document id -> sha256 of the documents'."""
    stored = collection.get(where={"document_id": {"$ne": ""}} if key == "document_id" else {"document_id": ""}, include=["metadatas"])
    return {m[key]: m["practice_hash"] for m in stored["metadatas"] or []}


def _vectors(stored) -> list[np.ndarray]:
    embeddings = stored.get("embeddings")
    return [] if embeddings is None else [np.asarray(v, dtype=np.float32) for v in embeddings]


def _embed(embedder, texts: list[str], progress: Progress | None, done: int, total: int) -> np.ndarray:
    """Passages in batches of similar length (they pad least), in the order given."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    step = 64
    for start in range(0, len(order), step):
        batch = order[start : start + step]
        vectors[batch] = embedder.embed_passages([texts[i] for i in batch])
        if progress:
            progress(done + min(start + step, len(order)), total, "embedding")
    return vectors


def sync(store: ChunkStore, kb: KnowledgeBase, embedder, progress: Progress | None = None, documents: Iterable[Document] = ()) -> SyncReport:
    """Bring the store in line with the knowledge base and its documents, re-embedding only changed
    practices and new documents (their chunks and their sentences). A document attached to no
    loaded practice is not searchable."""
    started = time.perf_counter()
    stored, stored_sentences = store.practice_hashes(), store.sentence_hashes()
    current = {p.id: p for p in kb.practices}
    changed = [p for p in kb.practices if stored.get(p.id) != p.content_hash or stored_sentences.get(p.id) != p.content_hash]
    removed = sorted((set(stored) | set(stored_sentences)) - set(current))
    doc_chunks, doc_sentences = store.document_hashes()
    attached = {d.id: d for d in documents if d.practice_id in current}
    # only a document whose stored items differ is cut up: one without text has none to store, so it is not new
    unsynced = [d for d in attached.values() if doc_chunks.get(d.id) != d.sha256 or doc_sentences.get(d.id) != d.sha256]
    pending = {d.id: (document_chunks(d), document_sentences(d)) for d in unsynced}
    new_docs = [d for d in unsynced if (pending[d.id][0] and doc_chunks.get(d.id) != d.sha256) or (pending[d.id][1] and doc_sentences.get(d.id) != d.sha256)]
    gone_docs = sorted((set(doc_chunks) | set(doc_sentences)) - set(attached))
    chunks = [c for p in changed for c in practice_chunks(p)] + [c for d in new_docs for c in pending[d.id][0]]
    sentences = [s for p in changed for s in practice_sentences(p)] + [s for d in new_docs for s in pending[d.id][1]]
    total = len(chunks) + len(sentences)
    chunk_vectors = _embed(embedder, [c.embedding_text(attached[c.document_id].title if c.document_id else current[c.practice_id].title)
                                      for c in chunks], progress, 0, total)
    sentence_vectors = _embed(embedder, [f"{attached[s.document_id].title}. {s.text}" if s.document_id else embedding_text(current[s.practice_id], s)
                                         for s in sentences], progress, len(chunks), total)
    # Embed first, then swap: a failed embedding leaves the old chunks searchable.
    store.delete_practices([p.id for p in changed if p.id in stored or p.id in stored_sentences] + removed)
    store.delete_documents([d.id for d in new_docs if d.id in doc_chunks or d.id in doc_sentences] + gone_docs)
    hashes = {p.id: p.content_hash for p in changed} | {d.id: d.sha256 for d in new_docs}
    if chunks:
        store.add(chunks, chunk_vectors, hashes)
    if sentences:
        store.add_sentences(sentences, sentence_vectors, hashes)
    return SyncReport(
        embedded_practices=tuple(p.id for p in changed),
        removed_practices=tuple(removed),
        unchanged=len(current) - len(changed),
        chunks_embedded=len(chunks),
        sentences_embedded=len(sentences),
        rebuilt=store.rebuilt,
        seconds=time.perf_counter() - started,
        embedded_documents=tuple(d.id for d in new_docs),
        removed_documents=tuple(gone_docs),
    )
