"""Shared test parts: a network guard, the real model (built once per session), a real Chroma
server, and a prepared search engine over the repository's knowledge base."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
sys.path.insert(0, str(Path(__file__).parent))  # tests/fakes.py

from rujukan.config import REPO_ROOT, Settings  # noqa: E402

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _loopback_only(sock: socket.socket, address) -> None:
    if sock.family == getattr(socket, "AF_UNIX", None):
        return
    host = str(address[0])
    if host in ("localhost", "::1") or host.startswith("127."):
        return
    raise RuntimeError(f"a test tried to reach the network: {address!r}")


def _guarded_connect(self, address):
    _loopback_only(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _loopback_only(self, address)
    return _real_connect_ex(self, address)


socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex


#: Fixtures that need a marker: a test requesting one must carry it (see pyproject.toml's markers).
MARKED_FIXTURES = {"embedder": "model", "ready": "model", "chroma_server": "server"}


def pytest_collection_modifyitems(config, items):
    unmarked = [
        f"{item.nodeid} uses {fixture} but is not marked @pytest.mark.{marker}"
        for item in items
        for fixture, marker in MARKED_FIXTURES.items()
        if fixture in getattr(item, "fixturenames", ()) and item.get_closest_marker(marker) is None
    ]
    if unmarked:
        raise pytest.UsageError("\n".join(unmarked))


@pytest.fixture(autouse=True)
def _model_only_when_marked(request, monkeypatch):
    """A test without the `model` marker must not load the embedding model (the fast loop skips
    those tests); loading it anyway fails the test, naming the marker to add."""
    if request.node.get_closest_marker("model") is None:
        import rujukan.embeddings

        def refuse(*_args, **_kwargs):
            raise RuntimeError(f"{request.node.nodeid} loads the embedding model: mark it @pytest.mark.model")

        monkeypatch.setattr(rujukan.embeddings, "_load_model", refuse)


def open_page(page: str | None = None, timeout: float = 180, **params: str):
    """The app as a user opens it: app.py with these query parameters, then the page; no exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(markdown: str) -> str:
    """Markdown as a reader sees it: the escaping backslashes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(env: dict[str, str], log_dir: Path, args: tuple[str, ...] = (), port: int | None = None) -> Iterator[str]:
    """`streamlit run app.py` as a user starts it, on 127.0.0.1 with these settings (and Streamlit options `args`); its address."""
    port = port or free_port()
    with open(log_dir / "server.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), *args],
            cwd=REPO_ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with _direct.open(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                        if r.read() == b"ok":
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {(log_dir / 'server.log').read_text(errors='replace')[-2000:]}")
                time.sleep(0.3)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    """The default model is built once per test session (RUJUKAN_TEST_MODEL_CACHE reuses one)."""
    reuse = os.environ.get("RUJUKAN_TEST_MODEL_CACHE")
    return Path(reuse) if reuse else tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def session_env(tmp_path_factory, model_cache) -> dict[str, str]:
    return {
        "RUJUKAN_KNOWLEDGE_DIR": str(REPO_ROOT / "knowledge"),
        "RUJUKAN_INDEX_DIR": str(tmp_path_factory.mktemp("index")),
        "RUJUKAN_STATE_DIR": str(tmp_path_factory.mktemp("state")),
        "RUJUKAN_MODEL_CACHE": str(model_cache),
        "RUJUKAN_DOCUMENTS_DIR": str(tmp_path_factory.mktemp("documents")),  # empty: a test attaches its own
    }


@pytest.fixture(scope="session")
def real_settings(session_env) -> Settings:
    return Settings.from_env(session_env)


@pytest.fixture(scope="session")
def embedder(real_settings):
    from rujukan.embeddings import load_embedder

    return load_embedder(real_settings, log=lambda m: None)


@pytest.fixture(scope="session")
def ready(real_settings, embedder):
    """The real model and a real Chroma folder, indexed from the repository's records."""
    from rujukan.service import prepare

    return prepare(real_settings, log=lambda m: None, embedder=embedder)


@pytest.fixture
def app_env(monkeypatch, session_env):
    """Point the app (run in-process by AppTest) at the session's model and index."""
    for name, value in session_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("RUJUKAN_CHROMA_HOST", raising=False)
    return session_env


#: The record copied into the two-region knowledge base, and the copy's id and region.
SECOND_REGION = {"copied": "home-care-peduli", "id": "home-care-tegal", "code": "3328", "name": "Kabupaten Tegal"}


@pytest.fixture(scope="session")
def two_regions_env(session_env, tmp_path_factory) -> dict[str, str]:
    """A knowledge base with a second reference region: the repository's records and a copy of one
    of them documented as a practice of Kabupaten Tegal (test data only), with its own index folder."""
    knowledge = tmp_path_factory.mktemp("two-regions") / "knowledge"
    shutil.copytree(REPO_ROOT / "knowledge" / "practices", knowledge / "practices")
    text = (knowledge / "practices" / f"{SECOND_REGION['copied']}.md").read_text(encoding="utf-8")
    copy = text.replace(f"id: {SECOND_REGION['copied']}", f"id: {SECOND_REGION['id']}", 1)
    copy = copy.replace('region: {code: "3571", name: Kota Kediri}', f'region: {{code: "{SECOND_REGION["code"]}", name: {SECOND_REGION["name"]}}}', 1)
    assert copy.count(SECOND_REGION["code"]) and f"id: {SECOND_REGION['id']}" in copy
    (knowledge / "practices" / f"{SECOND_REGION['id']}.md").write_text(copy, encoding="utf-8")
    return {**session_env, "RUJUKAN_KNOWLEDGE_DIR": str(knowledge), "RUJUKAN_INDEX_DIR": str(tmp_path_factory.mktemp("two-regions-index"))}


@pytest.fixture(scope="session")
def two_regions_ready(two_regions_env, embedder):
    """The real model and a real Chroma folder over the two-region knowledge base."""
    from rujukan.service import prepare

    return prepare(Settings.from_env(two_regions_env), log=lambda m: None, embedder=embedder)


@pytest.fixture
def two_regions_app(monkeypatch, two_regions_env, two_regions_ready):
    """Point the app (run in-process by AppTest) at the two-region knowledge base and its index."""
    for name, value in two_regions_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("RUJUKAN_CHROMA_HOST", raising=False)
    return two_regions_env


def start_chroma(folder: Path, port: int) -> subprocess.Popen:
    """A real `chroma run` on 127.0.0.1:port over folder/db, once it answers its heartbeat."""
    beside = Path(sys.executable).with_name("chroma")  # the chroma of this very environment
    exe = str(beside) if beside.exists() else shutil.which("chroma")
    log = open(folder / "server.log", "ab")
    proc = subprocess.Popen([exe, "run", "--path", str(folder / "db"), "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 30
    while True:
        try:
            with _direct.open(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"chroma run did not start: {(folder / 'server.log').read_text(errors='replace')}") from None
            time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` on 127.0.0.1, stopped at the end of the session."""
    port = free_port()
    proc = start_chroma(tmp_path_factory.mktemp("chroma-server"), port)
    yield "127.0.0.1", port
    stop(proc)


def legacy_sqlite_file(path: Path, schema: str, rows: list[tuple[str, tuple]]) -> None:
    """A state file as the code before Alembic left it: WAL, `schema` statement by statement and
    schema_version 1 in one BEGIN IMMEDIATE transaction, then `rows` (SQL, parameters) in another."""
    import sqlite3

    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), isolation_level=None)
    try:
        assert con.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
        con.execute("BEGIN IMMEDIATE")
        for statement in filter(None, (s.strip() for s in schema.split(";"))):
            con.execute(statement)
        con.execute("INSERT INTO schema_version (version) VALUES (?)", (1,))
        con.execute("COMMIT")
        con.execute("BEGIN IMMEDIATE")
        for sql, params in rows:
            con.execute(sql, params)
        con.execute("COMMIT")
    finally:
        con.close()


# ------------------------------------------------------------------ a real PostgreSQL


@pytest.fixture(scope="session")
def postgres():
    """A throw-away PostgreSQL cluster on 127.0.0.1 for the session (skipped where PostgreSQL is
    missing, unless RUJUKAN_REQUIRE_POSTGRES, which tests/run.sh sets)."""
    from postgres import Cluster, binaries

    if binaries() is None:
        if os.environ.get("RUJUKAN_REQUIRE_POSTGRES"):
            pytest.fail("Debian's postgresql is required for the database tests (apt-get install postgresql)")
        pytest.skip("PostgreSQL is not installed")
    cluster = Cluster(free_port())
    yield cluster
    cluster.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def state_target(request, tmp_path):
    """Where a store test keeps its state: an SQLite file, then a fresh database on the real
    PostgreSQL; the same test runs on both."""
    if request.param == "sqlite":
        return tmp_path / "state" / "store.sqlite3"
    return request.getfixturevalue("postgres").new_database()


# ------------------------------------------------------------------ a real browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium through Playwright (skipped where it is missing, unless RUJUKAN_REQUIRE_BROWSER)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("RUJUKAN_REQUIRE_BROWSER"):
            pytest.fail("Debian's chromium is required for the browser tests (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield launched
        launched.close()


def idle(page, timeout=120_000):
    """Wait until the page is connected and its script has finished running."""
    page.wait_for_selector('[data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]', timeout=timeout)


def downloaded(page, button: str) -> str:
    """The text of the file a download button (CSS selector) gives, once the page has settled."""
    found = page.locator(button).first
    found.wait_for(timeout=60_000)
    idle(page)
    with page.expect_download() as download:
        found.click()
    return download.value.path().read_text(encoding="utf-8-sig")
