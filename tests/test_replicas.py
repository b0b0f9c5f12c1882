"""Two app replicas behind one PostgreSQL and one `chroma run` (issue 12 §1), in a real browser:
both start at once on an empty Chroma server (two index syncs side by side), feedback given on
one is counted on the other's curator page, and PostgreSQL stopped mid-session is named on the
page by host and port, with the mark given during the outage saved once when it is back."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from conftest import downloaded, free_port, idle, start_chroma, stop, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.model]

QUERY = "bagaimana warga RT mengusulkan penggunaan dana"


@pytest.fixture(scope="module")
def replicas(ready, session_env, postgres, tmp_path_factory):
    """Two `streamlit run` on their own ports and state folders, one database, one fresh Chroma server."""
    folder = tmp_path_factory.mktemp("replica-chroma")
    port = free_port()
    chroma = start_chroma(folder, port)
    url = postgres.new_database()
    shared = {**session_env, "RUJUKAN_DATABASE_URL": url, "RUJUKAN_CHROMA_HOST": "127.0.0.1", "RUJUKAN_CHROMA_PORT": str(port)}
    env_a = {**shared, "RUJUKAN_STATE_DIR": str(tmp_path_factory.mktemp("state-a"))}
    env_b = {**shared, "RUJUKAN_STATE_DIR": str(tmp_path_factory.mktemp("state-b"))}
    try:
        with streamlit_server(env_a, tmp_path_factory.mktemp("a")) as a, streamlit_server(env_b, tmp_path_factory.mktemp("b")) as b:
            yield a, b, url, port
    finally:
        stop(chroma)


def search(page, address: str) -> None:
    page.goto(f"{address}/cari?q={QUERY.replace(' ', '+')}", wait_until="commit")


def first_thumb_up(page) -> None:
    page.get_by_role("radio", name="Thumbs up").first.click()  # the first card's


def feedback_by_practice_export(page, address: str) -> str:
    """The curator page's table of marks per practice, as its CSV download gives it."""
    page.goto(f"{address}/kurasi")
    return downloaded(page, '[class*="feedback_by_practice"] button')


def test_two_replicas_share_the_index_and_the_state(browser, replicas, ready):
    a, b, url, chroma_port = replicas
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page_a, page_b = context.new_page(), context.new_page()
    search(page_a, a)  # both replicas sync the empty server's index at the same moment
    search(page_b, b)
    for page in (page_a, page_b):
        page.get_by_text("Cocok di bagian").first.wait_for(timeout=240_000)
        idle(page)
    titles_a = page_a.locator("h4").all_inner_texts()
    assert titles_a and titles_a == page_b.locator("h4").all_inner_texts()  # the same view on both
    import chromadb

    from rujukan.index import COLLECTION

    served = chromadb.HttpClient(host="127.0.0.1", port=chroma_port).get_collection(COLLECTION, embedding_function=None)
    assert served.count() == ready.engine.store.count()  # exactly a clean build's chunks, none doubled

    first_thumb_up(page_a)
    page_a.wait_for_timeout(1500)
    idle(page_a)
    engine = sa.create_engine(url)
    with engine.connect() as con:
        assert con.execute(sa.text("SELECT count(*) FROM feedback WHERE helpful = 1")).scalar() == 1
    first = page_a.locator('[class*="st-key-card-actions-"]').first.get_attribute("class")
    practice = next(c for c in first.split() if c.startswith("st-key-card-actions-")).removeprefix("st-key-card-actions-")
    exported = feedback_by_practice_export(page_b, b)  # the other replica's curator page counts it
    header, *rows = [line.split(",") for line in exported.strip().splitlines()]
    row = dict(zip(header, next(r for r in rows if r[0] == practice)))
    assert (row["helpful"], row["not_helpful"]) == ("1", "0"), exported
    engine.dispose()
    context.close()


def feedback_rows(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as con:
            return int(con.execute(sa.text("SELECT count(*) FROM feedback")).scalar())
    finally:
        engine.dispose()


def test_postgresql_stopped_mid_session_is_named_and_nothing_is_lost_or_doubled(browser, replicas, postgres):
    a, _b, url, _port = replicas
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    search(page, a)  # the search is logged while the database is up
    page.get_by_text("Cocok di bagian").first.wait_for(timeout=120_000)
    idle(page)
    before = feedback_rows(url)
    postgres.stop("immediate")
    try:
        started = time.monotonic()
        first_thumb_up(page)  # given during the outage
        warning = page.get_by_text(f"127.0.0.1:{postgres.port}").first
        warning.wait_for(timeout=10_000)
        named_after = time.monotonic() - started
        assert "cannot be reached" in warning.inner_text()
    finally:
        postgres.start()
    assert named_after < 3 + 1.5, named_after  # the connect timeout, plus the page's own round trip
    # back: the next rerun of the same session saves the mark given during the outage, once
    for _ in range(2):
        page.mouse.click(1390, 500)  # the main area's blank right margin: focus off any box, so "r" reruns
        page.keyboard.press("r")
        page.wait_for_timeout(1000)
        idle(page)
    deadline = time.monotonic() + 20
    while feedback_rows(url) == before and time.monotonic() < deadline:
        threading.Event().wait(0.5)
    assert feedback_rows(url) == before + 1
    context.close()
