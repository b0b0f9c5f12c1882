"""The main journeys in a real browser: Debian's chromium, driven by Playwright, against
`streamlit run` on 127.0.0.1 with the real model and index."""

from __future__ import annotations

import pytest

from conftest import idle, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.model]


@pytest.fixture(scope="module")
def server(ready, session_env, tmp_path_factory):
    """The app as a user starts it, on the session's model and already-built index."""
    with streamlit_server(session_env, tmp_path_factory.mktemp("streamlit")) as address:
        yield address


def test_delegation_searches_opens_a_practice_and_its_source(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/cari?q=bagaimana+warga+RT+mengusulkan+penggunaan+dana")  # the server's first request
    page.get_by_text("Cocok di bagian").first.wait_for(timeout=120_000)
    idle(page)
    sidebar = page.locator("[data-testid=stSidebar]").inner_text()
    assert "Bahasa / Language" in sidebar and "Cari praktik" in sidebar  # the app's own navigation, even on a deep link
    cards = page.locator("h4")
    assert cards.count() >= 3
    page.get_by_role("link", name="Buka praktik").first.click()
    page.wait_for_url("**/praktik?practice=*")
    idle(page)
    heading = page.locator("h1").first.inner_text()
    assert heading.strip()
    assert page.locator('a[href^="https://"]').count() >= 1
    page.close()


def test_typing_a_question_and_pressing_enter(browser, server):
    page = browser.new_page()
    page.goto(f"{server}/cari")
    idle(page)
    box = page.get_by_label("Masalah atau pertanyaan Anda")
    box.fill("dashboard for the mayor")
    box.press("Enter")
    page.get_by_text("Cocok di bagian").first.wait_for(timeout=120_000)
    idle(page)
    assert "q=dashboard" in page.url  # the search is a shareable URL
    assert "Sistem Informasi Eksekutif" in page.content()
    page.close()


def test_starter_question_from_home_and_english_switch(browser, server):
    page = browser.new_page()
    page.goto(server)
    idle(page)
    page.get_by_role("link", name="layanan kesehatan gratis ke rumah warga miskin").click()
    page.get_by_text("Cocok di bagian").first.wait_for(timeout=120_000)
    idle(page)
    assert "Home Care" in page.content()
    page.locator("[data-testid=stSidebar]").get_by_role("radio", name="EN", exact=True).click()
    page.get_by_text("Matched in section").first.wait_for(timeout=60_000)
    assert "lang=EN" in page.url
    page.close()


def test_mentor_opens_a_shared_comparison_and_its_map(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    page.goto(f"{server}/bandingkan?focus=3328&ref=3571&ind=ipm,poverty")
    idle(page)
    assert page.locator("h1").first.inner_text().strip() == "Bandingkan wilayah"
    page.locator("[data-testid=stPlotlyChart]").first.wait_for(timeout=60_000)
    assert "Kabupaten Tegal" in page.content()
    page.get_by_role("tab", name="Peta").click()
    page.wait_for_timeout(1500)
    page.get_by_text("Tanpa garis batas di sumber peta").first.wait_for(timeout=60_000)  # the regions it cannot draw, named
    fills = page.locator("[data-testid=stPlotlyChart] path.js-fill")
    colours = {fills.nth(i).evaluate("p => getComputedStyle(p).fill") for i in range(fills.count())}
    assert len(colours) >= 5  # the five classes of all Indonesia drawn, with no map server
    assert page.get_by_text("Seluruh Indonesia").first.is_visible()
    assert "focus=3328" in page.url and "ref=3571" in page.url
    page.close()
