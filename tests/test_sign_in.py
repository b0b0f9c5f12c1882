"""Sign-in for curators (issue 13 §1) with Streamlit's own st.login against a real OpenID Connect
provider on 127.0.0.1 (oidc-provider-mock), in a real browser: a visitor is asked to sign in, a
curator signs in, edits a record, saves it as a revision and signs out; a signed-in person who is
not a curator is refused. Without sign-in configured the page says how to turn it on."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from test_bulk import as_csv, row

from conftest import free_port, idle, open_page, stop, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.model]

CURATOR = {"sub": "ani", "email": "ani@kedirikota.test", "groups": ["diskominfo"]}
VISITOR = {"sub": "budi", "email": "budi@contoh.test"}


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    port = free_port()
    exe = Path(sys.executable).with_name("oidc-provider-mock")
    log = open(tmp_path_factory.mktemp("oidc") / "provider.log", "wb")
    proc = subprocess.Popen([str(exe if exe.exists() else "oidc-provider-mock"), "--host", "127.0.0.1", "--port", str(port),
                             "--user-claims", json.dumps(CURATOR), "--user-claims", json.dumps(VISITOR)], stdout=log, stderr=subprocess.STDOUT)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 30
    while True:
        try:
            with opener.open(f"http://127.0.0.1:{port}/.well-known/openid-configuration", timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("oidc-provider-mock did not start") from None
            time.sleep(0.3)
    yield port
    stop(proc)


@pytest.fixture(scope="module")
def signed_app(ready, session_env, provider, tmp_path_factory):
    """The app with sign-in configured (secrets in a file of the test's own), curators named, and its own copy of the records and index."""
    folder = tmp_path_factory.mktemp("signed")
    shutil.copytree(Path(session_env["RUJUKAN_KNOWLEDGE_DIR"]) / "practices", folder / "knowledge" / "practices")
    shutil.copytree(session_env["RUJUKAN_INDEX_DIR"], folder / "index")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-of-enough-length"\n'
        'client_id = "rujukan"\nclient_secret = "rujukan-secret"\n'
        f'server_metadata_url = "http://127.0.0.1:{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    env = {**session_env, "RUJUKAN_KNOWLEDGE_DIR": str(folder / "knowledge"), "RUJUKAN_INDEX_DIR": str(folder / "index"),
           "RUJUKAN_STATE_DIR": str(folder / "state"), "RUJUKAN_CURATORS": "group:diskominfo",
           "RUJUKAN_DOCUMENTS_DIR": str(folder / "knowledge" / "documents")}
    with streamlit_server(env, folder, args=("--secrets.files", str(secrets)), port=port) as address:
        yield address, folder


def sign_in(page, address: str, who: dict) -> None:
    page.goto(f"{address}/sunting")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/authorize**", timeout=60_000)
    page.locator("input[name=sub]").fill(who["sub"])
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{address}/**", timeout=60_000)  # Streamlit returns to the app's first page
    idle(page, 120_000)
    page.goto(f"{address}/sunting")
    idle(page, 120_000)


def sign_out(page) -> None:
    page.get_by_role("button", name="Keluar").click()
    end = page.get_by_role("button", name="End session")
    end.wait_for(timeout=60_000)
    end.click()
    page.wait_for_timeout(1000)


def edit_cell(page, table, row: int, text: str) -> None:
    """Type into the last column (the date) of a row of a table editor, as a person does: select the cell, double-click it,
    replace its text, Enter. (The grid's editor drops keys typed at full speed right after it opens: a person is slower.)"""
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = table.bounding_box()
    x, y = box["x"] + box["width"] - 40, box["y"] + 35 * row + 17  # rows are 35 px, under a 35 px header
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.dblclick(x, y)
    page.wait_for_timeout(500)
    page.keyboard.press("Control+A")
    page.keyboard.type(text, delay=50)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    idle(page)


def test_a_curator_signs_in_edits_saves_and_signs_out(browser, signed_app):
    address, folder = signed_app
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(f"{address}/sunting")
    idle(page, 300_000)
    assert "Masuk dulu untuk menyunting" in page.locator("[data-testid=stMain]").inner_text()  # a visitor only reads
    sign_in(page, address, CURATOR)
    page.get_by_text("Masuk sebagai ani@kedirikota.test (kurator)").wait_for(timeout=60_000)
    page.get_by_role("combobox").first.click()
    page.get_by_role("option", name="Bank Sampah").first.click()
    idle(page)
    results = page.get_by_label("Hasil (wajib)", exact=True)  # the form: one text area per section
    results.fill(results.input_value() + "\n\nCatatan Rujukan: disunting lewat peramban [1].")
    results.press("Tab")
    idle(page)
    record = folder / "knowledge" / "practices" / "bank-sampah.md"
    before = record.read_bytes()
    sources = page.locator("[data-testid=stDataFrame]").first  # the sources table: a date that is no date …
    edit_cell(page, sources, 1, "kemarin")
    page.get_by_label("Alasan perubahan (disimpan bersama revisi)").first.fill("uji sunting")  # the edit's (the import has its own)
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Baris 1, Tanggal: 'kemarin' is not YYYY").wait_for(timeout=120_000)  # … is named right under the table
    assert record.read_bytes() == before  # and nothing was saved
    idle(page)
    edit_cell(page, sources, 1, "~2023-11")
    page.get_by_role("button", name="Simpan").click()
    try:
        page.get_by_text("Tersimpan sebagai revisi 2").wait_for(timeout=240_000)
    except Exception:
        page.screenshot(path=str(folder / "save.png"), full_page=True)
        raise AssertionError(page.locator("[data-testid=stMain]").inner_text()[:3000]) from None
    idle(page, 240_000)
    assert "Catatan Rujukan: disunting lewat peramban [1]." in record.read_text(encoding="utf-8")
    assert "ani@kedirikota.test" in page.locator("[data-testid=stMain]").inner_text()  # the revision's author, in the history
    table = folder / "praktik-baru.csv"
    table.write_bytes(as_csv([row("bank-sampah-peramban")]))
    page.locator('[class*="st-key-import_file"] input[type=file]').set_input_files(str(table))
    page.get_by_text("praktik-baru.csv").first.wait_for(timeout=60_000)  # uploaded
    page.get_by_label("Alasan perubahan (disimpan bersama revisi)").nth(1).fill("impor uji")
    page.get_by_role("button", name="Periksa dan impor").click()
    try:
        page.get_by_text("1 catatan diimpor: bank-sampah-peramban").wait_for(timeout=240_000)
    except Exception:
        page.screenshot(path=str(folder / "import.png"), full_page=True)
        raise AssertionError(page.locator("[data-testid=stMain]").inner_text()[-3000:]) from None
    assert (folder / "knowledge" / "practices" / "bank-sampah-peramban.md").exists()
    idle(page, 240_000)
    sign_out(page)
    page.goto(f"{address}/sunting")
    idle(page)
    assert "Masuk dulu untuk menyunting" in page.locator("[data-testid=stMain]").inner_text()
    page.close()


def test_a_signed_in_person_who_is_not_a_curator_is_refused(browser, signed_app):
    address, _folder = signed_app
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    sign_in(page, address, VISITOR)
    page.get_by_text("budi@contoh.test tidak termasuk kurator").wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Simpan").count() == 0
    sign_out(page)
    page.close()


def test_without_sign_in_configured_the_page_says_how_to_turn_it_on(app_env):
    at = open_page("views/sunting.py", 300)
    assert not at.exception
    said = " ".join(i.value for i in at.info)
    assert "secrets.toml" in said and "RUJUKAN_CURATORS" in said and "rujukan practice" in said
    assert not at.text_area  # nothing to edit
