"""Index mechanics on a real Chroma folder with a small deterministic embedder."""

import shutil
from pathlib import Path

import pytest

from rujukan.config import Settings
from rujukan.errors import ChromaUnreachable
from rujukan.index import forget_folder, open_store, sync
from rujukan.practices import load_knowledge
from rujukan.search import SearchEngine
from rujukan.sentences import embedding_text

from fakes import HashingEmbedder

REPO_PRACTICES = Path(__file__).parents[1] / "knowledge" / "practices"
FIXTURE = Path(__file__).parent / "fixtures" / "contoh-praktik.md"


@pytest.fixture
def knowledge_copy(tmp_path):
    folder = tmp_path / "knowledge" / "practices"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURE, folder / FIXTURE.name)
    second = FIXTURE.read_text(encoding="utf-8").replace("id: contoh-praktik", "id: praktik-kedua")
    second = second.replace("Sebuah masalah yang dijawab [1].", "Warga melapor kerusakan jalan lewat aplikasi [1].")
    (folder / "praktik-kedua.md").write_text(second, encoding="utf-8")
    return folder


@pytest.fixture
def settings(tmp_path, knowledge_copy):
    return Settings.from_env(
        {"RUJUKAN_KNOWLEDGE_DIR": str(knowledge_copy.parent), "RUJUKAN_DATA_DIR": str(tmp_path / "data")}
    )


def open_and_sync(settings, embedder):
    store = open_store(settings, embedder.identity, embedder.dimension, log=lambda m: None)
    return store, sync(store, load_knowledge(settings.practices_dir), embedder)


def test_first_sync_embeds_all_then_nothing(settings):
    embedder = HashingEmbedder()
    store, report = open_and_sync(settings, embedder)
    assert set(report.embedded_practices) == {"contoh-praktik", "praktik-kedua"}
    assert store.count() == report.chunks_embedded > 0 and report.sentences_embedded > 0
    assert report.chunks_embedded + report.sentences_embedded == embedder.passages_embedded
    stored = store.sentences()
    assert set(stored) == {"contoh-praktik", "praktik-kedua"}
    assert sum(len(sentences) for sentences, _ in stored.values()) == report.sentences_embedded
    assert all(vectors.shape == (len(sentences), embedder.dimension) for sentences, vectors in stored.values())
    store, again = open_and_sync(settings, embedder)
    assert again.embedded_practices == () and again.unchanged == 2 and again.chunks_embedded == again.sentences_embedded == 0


def test_answers_read_sentence_vectors_from_the_index_without_embedding(settings):
    embedder = HashingEmbedder()
    store, _ = open_and_sync(settings, embedder)
    kb = load_knowledge(settings.practices_dir)
    engine = SearchEngine(kb, store, embedder)
    before = embedder.passages_embedded
    sentences, vectors = engine.sentences(kb.get("contoh-praktik"))
    assert sentences and len(vectors) == len(sentences) and embedder.passages_embedded == before
    expected = embedder.embed_passages([embedding_text(kb.get("contoh-praktik"), s) for s in sentences])
    assert abs(vectors - expected).max() < 1e-6


def test_editing_one_practice_reembeds_only_it(settings):
    embedder = HashingEmbedder()
    store, first = open_and_sync(settings, embedder)
    path = settings.practices_dir / "praktik-kedua.md"
    path.write_text(path.read_text(encoding="utf-8").replace("kerusakan jalan", "lampu jalan mati"), encoding="utf-8")
    before = embedder.passages_embedded
    store, report = open_and_sync(settings, embedder)
    assert report.embedded_practices == ("praktik-kedua",) and report.unchanged == 1
    assert embedder.passages_embedded - before == report.chunks_embedded + report.sentences_embedded
    assert report.chunks_embedded < first.chunks_embedded and report.sentences_embedded < first.sentences_embedded
    assert store.count() == first.chunks_embedded
    hits = store.query(embedder.embed_queries(["lampu jalan mati"])[0], 3)
    assert "lampu jalan mati" in " ".join(h.text for h in hits)
    assert "kerusakan jalan" not in " ".join(h.text for h in store.query(embedder.embed_queries(["x"])[0], 50))


def test_deleted_practice_leaves_the_index(settings):
    embedder = HashingEmbedder()
    open_and_sync(settings, embedder)
    (settings.practices_dir / "praktik-kedua.md").unlink()
    store, report = open_and_sync(settings, embedder)
    assert report.removed_practices == ("praktik-kedua",)
    assert {h.practice_id for h in store.query(embedder.embed_queries(["warga"])[0], 50)} == {"contoh-praktik"}


def test_model_change_rebuilds(settings):
    open_and_sync(settings, HashingEmbedder(identity="test:a"))
    store, report = open_and_sync(settings, HashingEmbedder(identity="test:b"))
    assert "test:a" in report.rebuilt and len(report.embedded_practices) == 2


def test_deleted_index_folder_is_rebuilt(settings):
    embedder = HashingEmbedder()
    open_and_sync(settings, embedder)
    shutil.rmtree(settings.index_dir)
    store, report = open_and_sync(settings, embedder)
    assert len(report.embedded_practices) == 2 and store.count() > 0


def test_corrupted_index_folder_is_rebuilt(settings):
    embedder = HashingEmbedder()
    open_and_sync(settings, embedder)
    forget_folder(settings.index_dir)  # as a new process would start
    for f in settings.index_dir.rglob("*"):
        if f.is_file():
            f.write_bytes(b"this is not a database" * 10)
    messages = []
    store = open_store(settings, embedder.identity, embedder.dimension, log=messages.append)
    report = sync(store, load_knowledge(settings.practices_dir), embedder)
    assert messages and str(settings.index_dir) in messages[0]
    assert len(report.embedded_practices) == 2 and store.count() > 0


def test_filters_reach_the_store(settings):
    from rujukan.search import Filters

    embedder = HashingEmbedder()
    store, _ = open_and_sync(settings, embedder)
    engine = SearchEngine(load_knowledge(settings.practices_dir), store, embedder)
    assert {m.practice.id for m in engine.search("warga jalan", top_k=5).matches} == {"contoh-praktik", "praktik-kedua"}
    assert engine.search("warga", filters=Filters(dimensions=("economy",))).matches == []
    assert engine.search("warga", filters=Filters(dimensions=("economy",))).notices == ["no_results"]


def test_unreachable_server_is_named_quickly(tmp_path):
    import socket
    import time

    with socket.socket() as s:  # a free port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings.from_env({"RUJUKAN_CHROMA_HOST": "127.0.0.1", "RUJUKAN_CHROMA_PORT": str(port), "RUJUKAN_DATA_DIR": str(tmp_path)})
    started = time.monotonic()
    with pytest.raises(ChromaUnreachable, match=f"127.0.0.1:{port}"):
        open_store(settings, "x", 8)
    assert time.monotonic() - started < 10


@pytest.mark.server
def test_two_replicas_creating_the_collection_at_once_both_open_it(chroma_server, tmp_path, monkeypatch):
    """The race of two replicas on one empty Chroma server: each found no collection, both create it;
    the second create fails, and that replica uses the one just made (CI once saw it fail)."""
    import chromadb

    from rujukan.index import COLLECTION

    host, port = chroma_server
    settings = Settings.from_env({"RUJUKAN_CHROMA_HOST": host, "RUJUKAN_CHROMA_PORT": str(port), "RUJUKAN_KNOWLEDGE_DIR": str(tmp_path)})
    embedder = HashingEmbedder()
    client = chromadb.HttpClient(host=host, port=port)
    for name in client.list_collections():
        client.delete_collection(getattr(name, "name", name))
    first = open_store(settings, embedder.identity, embedder.dimension, log=lambda m: None)  # the other replica, a moment earlier
    real_get = chromadb.api.client.Client.get_collection
    looked: list[str] = []

    def not_yet(self, name, *args, **kwargs):  # this replica's first look came before the other had made it
        looked.append(name)
        if looked.count(name) == 1:
            raise chromadb.errors.NotFoundError(f"Collection [{name}] does not exist")
        return real_get(self, name, *args, **kwargs)

    monkeypatch.setattr(chromadb.api.client.Client, "get_collection", not_yet)
    second = open_store(settings, embedder.identity, embedder.dimension, log=lambda m: None)
    assert looked.count(COLLECTION) == 2 and second.count() == first.count() == 0  # looked, failed to create, took the other's
    assert COLLECTION in [getattr(c, "name", c) for c in client.list_collections()]
