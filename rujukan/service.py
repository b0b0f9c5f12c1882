"""Wire the parts together: knowledge base + model + store -> a ready SearchEngine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .config import Settings
from .embeddings import Embedder, load_embedder
from .index import Progress, SyncReport, check_server, open_store, sync
from .practices import KnowledgeBase, load_knowledge
from .search import SearchEngine

Log = Callable[[str], None]


@dataclass
class Ready:
    engine: SearchEngine
    report: SyncReport


def prepare(
    settings: Settings,
    log: Log = print,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
    kb: KnowledgeBase | None = None,
) -> Ready:
    """Load what is needed, bring the index up to date (only changed practices), and return the engine."""
    check_server(settings)  # before the model loads: an unreachable server fails within seconds
    kb = kb or load_knowledge(settings.practices_dir)
    embedder = embedder or load_embedder(settings, log)
    store = open_store(settings, embedder.identity, embedder.dimension, log)
    documents = settings.document_library().documents()
    report = sync(store, kb, embedder, progress, documents)
    return Ready(SearchEngine(kb, store, embedder, documents=documents), report)
