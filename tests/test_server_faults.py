"""A Chroma server that dies or stops answering in the middle of a session (issue 14 §1–2): every
search names the server (host and port) within seconds instead of a traceback or a hang, and the
same engine recovers by itself once the server answers again. Real `chroma run` processes."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time

import pytest

from rujukan.config import REPO_ROOT, Settings
from rujukan.errors import ChromaUnreachable
from rujukan.index import REQUEST_TIMEOUT_S, open_client
from rujukan.service import prepare

from conftest import free_port, start_chroma, stop

pytestmark = [pytest.mark.model, pytest.mark.server]
QUERY = "layanan kesehatan gratis ke rumah warga miskin"


def served_settings(tmp_path, port: int) -> Settings:
    return Settings.from_env({
        "RUJUKAN_KNOWLEDGE_DIR": str(REPO_ROOT / "knowledge"), "RUJUKAN_INDEX_DIR": str(tmp_path / "index"),
        "RUJUKAN_CHROMA_HOST": "127.0.0.1", "RUJUKAN_CHROMA_PORT": str(port),
    })


def refused_within(seconds: float, search) -> str:
    started = time.monotonic()
    with pytest.raises(ChromaUnreachable) as caught:
        search()
    assert time.monotonic() - started < seconds
    return str(caught.value)


def test_a_killed_server_is_named_within_3_s_and_the_engine_recovers_when_it_is_back(embedder, tmp_path):
    port = free_port()
    proc = start_chroma(tmp_path, port)
    try:
        engine = prepare(served_settings(tmp_path, port), log=lambda m: None, embedder=embedder).engine
        before = [m.practice.id for m in engine.search(QUERY).matches]
        proc.kill()
        proc.wait()
        for _ in range(3):  # every search while it is down, not only the first
            assert f"127.0.0.1:{port}" in refused_within(3.0, lambda: engine.search(QUERY))
        proc = start_chroma(tmp_path, port)  # the same folder, the same port
        assert [m.practice.id for m in engine.search(QUERY).matches] == before  # no restart of the app
    finally:
        stop(proc)


def test_a_stopped_server_is_given_up_in_bounded_time_and_recovered_from(embedder, tmp_path):
    port = free_port()
    proc = start_chroma(tmp_path, port)
    try:
        engine = prepare(served_settings(tmp_path, port), log=lambda m: None, embedder=embedder).engine
        os.kill(proc.pid, signal.SIGSTOP)  # accepts connections (the kernel does), answers nothing
        try:
            said = refused_within(REQUEST_TIMEOUT_S + 5, lambda: engine.search(QUERY))
            assert f"127.0.0.1:{port}" in said and "stopped answering" in said
        finally:
            os.kill(proc.pid, signal.SIGCONT)
        assert engine.search(QUERY).matches
    finally:
        stop(proc)


def test_a_listener_that_never_answers_is_named_when_connecting(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    held: list[socket.socket] = []
    threading.Thread(target=lambda: [held.append(listener.accept()[0]) for _ in range(8)], daemon=True).start()
    try:
        said = refused_within(REQUEST_TIMEOUT_S + 5, lambda: open_client(served_settings(tmp_path, port)))
        assert f"127.0.0.1:{port}" in said and "does not answer" in said
    finally:
        for conn in held:
            conn.close()
        listener.close()


def test_the_search_page_names_a_dead_server_and_keeps_working(app_env, monkeypatch, tmp_path):
    from conftest import open_page, plain

    port = free_port()
    proc = start_chroma(tmp_path, port)
    monkeypatch.setenv("RUJUKAN_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("RUJUKAN_CHROMA_PORT", str(port))
    try:
        at = open_page("views/cari.py", 300, q=QUERY)
        assert not at.error and "Home Care" in "\n".join(m.value for m in at.markdown)
        proc.kill()
        proc.wait()
        started = time.monotonic()
        at.run()
        assert time.monotonic() - started < 3.0 + 2.0  # the page's own run adds its rendering
        assert not at.exception and at.error and f"127.0.0.1:{port}" in plain(at.error[0].value)
        assert at.text_input(key="q").value == QUERY  # the query and the rest of the page stay
        for page in ("views/tanya.py", None):  # a new session on another page says the same, no traceback
            fresh = open_page(page, 300, q=QUERY, tanya=QUERY)
            said = [plain(e.value) for e in [*fresh.error, *fresh.warning]]
            assert any(f"127.0.0.1:{port}" in e for e in said), (page, said, [m.value for m in fresh.markdown][:5])
    finally:
        stop(proc)


def test_a_model_folder_deleted_while_running_is_said_truly(app_env, monkeypatch, tmp_path, embedder):
    import shutil

    from conftest import open_page

    cache = tmp_path / "models"
    shutil.copytree(app_env["RUJUKAN_MODEL_CACHE"], cache)
    monkeypatch.setenv("RUJUKAN_MODEL_CACHE", str(cache))
    at = open_page("views/cari.py", 300, q=QUERY)
    assert not at.warning and "Home Care" in "\n".join(m.value for m in at.markdown)
    shutil.rmtree(cache)
    at.run()
    said = "\n".join(w.value for w in at.warning).replace("\\", "")
    assert "sudah tidak ada" in said and not any("sedang dibangun" in i.value for i in at.info)
    assert "Home Care" in "\n".join(m.value for m in at.markdown)  # search still works from the loaded model
