"""What a person sees, in a real browser (Debian's chromium through Playwright, against
`streamlit run` on 127.0.0.1 with the real model and index): every page on a 390×844 phone without
sideways scrolling and without leftover markup or "None"; the delegation's journey from a search
to the briefing pack downloaded as DOCX and PDF; hostile records shown as text, never as markup."""

from __future__ import annotations

import csv
import io
import re
import shutil
import urllib.parse
import zipfile

import pytest
from playwright.sync_api import expect

from rujukan.brief import pdf_available
from rujukan.config import REPO_ROOT

from conftest import downloaded, idle, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.model]

PHONE = {"width": 390, "height": 844}
PAGES = [
    "",
    "cari?q=bagaimana+warga+RT+mengusulkan+penggunaan+dana",
    "praktik?practice=prodamas-plus",
    "tanya?tanya=Berapa+dana+Prodamas+Plus+per+RT%3F",
    "perjalanan?focus=3328",
    "penilaian?region=3328",
    "bandingkan?focus=3328&ref=3571&ind=ipm,poverty",
    "kunjungan?region=3328&practices=prodamas-plus",
    "sumber",
    "kurasi",
]
#: Text that only shows when something was left unformatted: Markdown marks, Python's None,
#: pandas' missing values, escaping backslashes.
LEFTOVERS = re.compile(r"\*\*|\bNone\b|\bnan\b|\bNaN\b|<NA>|\\")


@pytest.fixture(scope="module")
def server(ready, session_env, tmp_path_factory):
    with streamlit_server(session_env, tmp_path_factory.mktemp("streamlit-surface")) as address:
        yield address


def sideways(page) -> dict[str, int]:
    """How far the page and its main column reach beyond the screen's width (0 when they fit)."""
    return page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid=stMain]');
            return {page: document.documentElement.scrollWidth - window.innerWidth,
                    main: main ? main.scrollWidth - main.clientWidth : 0};
        }"""
    )


def main_text(page) -> str:
    return page.locator("[data-testid=stMain]").inner_text()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_fits_a_phone_and_shows_no_leftover_markup(browser, server, path):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{server}/{path}")
    idle(page, 180_000)
    page.wait_for_timeout(500)  # charts lay themselves out after the script ends
    assert page.locator("[data-testid=stException]").count() == 0
    tabs = page.locator("[data-testid=stMain] [role=tab]")
    for number in range(max(1, tabs.count())):  # the compare page: every tab
        if tabs.count():
            tabs.nth(number).click()
            page.wait_for_timeout(700)
        overflow = sideways(page)
        assert overflow["page"] <= 1 and overflow["main"] <= 1, (path, number, overflow)
        shown = main_text(page)
        assert not LEFTOVERS.findall(shown), (path, number, LEFTOVERS.findall(shown)[:5])
    page.close()


def test_delegation_goes_from_a_search_to_the_briefing_pack_in_docx_and_pdf(browser, server):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/cari?q=bagaimana+warga+RT+mengusulkan+penggunaan+dana")
    page.get_by_text("Cocok di bagian").first.wait_for(timeout=120_000)
    idle(page)
    first_title = page.locator("[data-testid=stMain] h4").first.inner_text()
    assert "Prodamas" in first_title  # the search's top result for this question
    # the first card's own button (its actions row has the key card-actions-prodamas-plus, Streamlit's class st-key-…),
    # not whichever such button renders first
    page.locator(".st-key-card-actions-prodamas-plus").get_by_role("button", name="Tambahkan ke bahan kunjungan").click()
    idle(page)
    page.get_by_role("link", name=re.compile(r"Di bahan kunjungan \(1 praktik\)")).first.click()
    page.wait_for_url("**/kunjungan**")
    idle(page)
    assert "Prodamas" in page.locator("[data-testid=stMultiSelect]").inner_text()
    page.get_by_label("Tujuan kunjungan").fill("Belajar cara warga mengusulkan dana kelurahan")
    page.get_by_role("button", name="Buat bahan kunjungan").click()
    page.get_by_text("Dokumen siap").wait_for(timeout=120_000)
    idle(page)
    with page.expect_download() as got:
        page.get_by_role("button", name="Unduh bahan kunjungan (DOCX)").click()
    docx = got.value
    assert docx.suggested_filename.startswith("bahan-kunjungan-3328-") and docx.suggested_filename.endswith(".docx")
    document = zipfile.ZipFile(io.BytesIO(open(docx.path(), "rb").read())).read("word/document.xml").decode("utf-8")
    assert "Belajar cara warga mengusulkan dana kelurahan" in document
    assert re.sub(r"^\d+\.\s*", "", first_title).split(" (")[0][:12] in document
    page.wait_for_timeout(500)
    idle(page)  # the download reruns the page: until it ends, the old and the new buttons are both on it
    if not pdf_available():
        assert "LibreOffice belum terpasang" in main_text(page)
        return
    expect(page.get_by_role("button", name="Buat PDF")).to_have_count(1, timeout=30_000)
    page.get_by_role("button", name="Buat PDF").click()
    page.get_by_role("button", name="Unduh bahan kunjungan (PDF)").wait_for(timeout=300_000)
    with page.expect_download() as got:
        page.get_by_role("button", name="Unduh bahan kunjungan (PDF)").click()
    pdf = got.value
    assert pdf.suggested_filename.endswith(".pdf") and open(pdf.path(), "rb").read(5) == b"%PDF-"
    page.close()


def test_mentor_reads_gaps_and_recommendations_and_opens_one(browser, server):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/penilaian?region=3328")
    idle(page, 180_000)
    page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=60_000)  # the gap tables (drawn by a component loaded on demand)
    shown = main_text(page)
    assert "Praktik yang disarankan" in shown and "Mengapa" in shown, shown[:2000]
    page.get_by_role("link", name="Buka praktik").first.click()
    page.wait_for_url("**/praktik?practice=*")
    idle(page)
    cited = page.locator('[data-testid=stMain] a[href^="https://"]')
    assert cited.count() >= 1  # the record's [n] are links to its sources
    page.close()


# ------------------------------------------------------------------ hostile records


def test_typing_a_name_and_enter_in_the_briefing_picker_adds_that_one_practice(browser, server):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server}/kunjungan?region=3328")
    idle(page, 180_000)
    picker = page.locator("[data-testid=stMultiSelect]").first
    picker.locator("input").click()
    page.keyboard.type("Kediri")  # three titles hold the word
    options = page.locator("[role=option]").all_inner_texts()
    assert len(options) >= 2 and all("Kediri" in o for o in options), options  # no "select all matches" entry
    page.keyboard.press("Enter")
    idle(page, 60_000)
    assert picker.locator("[data-tag]").count() == 1
    assert picker.locator("[data-tag]").first.get_attribute("aria-label") == options[0]
    page.close()


def watched_page(browser):
    """A page, and the messages of every dialog (alert, confirm) that opened on it: none should."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return page, dialogs


@pytest.fixture(scope="module")
def hostile_server(model_cache, tmp_path_factory):
    """The app over the real records plus tests/fixtures/hostile, with an index of its own."""
    knowledge = tmp_path_factory.mktemp("hostile-knowledge")
    shutil.copytree(REPO_ROOT / "knowledge" / "practices", knowledge / "practices")
    for record in (REPO_ROOT / "tests" / "fixtures" / "hostile").glob("*.md"):
        shutil.copy(record, knowledge / "practices" / record.name)
    env = {
        "RUJUKAN_KNOWLEDGE_DIR": str(knowledge),
        "RUJUKAN_INDEX_DIR": str(tmp_path_factory.mktemp("hostile-index")),
        "RUJUKAN_STATE_DIR": str(tmp_path_factory.mktemp("hostile-state")),
        "RUJUKAN_MODEL_CACHE": str(model_cache),
    }
    with streamlit_server(env, tmp_path_factory.mktemp("streamlit-hostile")) as address:
        yield address


@pytest.mark.parametrize(
    ("path", "literal"),
    [
        ("praktik?practice=hostile-html", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!-- komentar tersembunyi -->"]),
        ("praktik?practice=hostile-links", ["[click](javascript:alert(1))"]),
        ("praktik?practice=hostile-blocks", ["# Judul palsu", "| kolom a | kolom b |"]),
        ("cari?q=uji+keamanan+HTML", ["<"]),
    ],
)
def test_hostile_records_show_as_text(browser, hostile_server, path, literal):
    page, dialogs = watched_page(browser)
    page.goto(f"{hostile_server}/{path}")
    idle(page, 300_000)
    page.wait_for_timeout(500)
    assert dialogs == []  # no alert() ran
    main = page.locator("[data-testid=stMain]")
    assert main.locator("script, iframe, img, style, svg[onload], [onerror], [onmouseover]").count() == 0
    hrefs = main.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    safe = re.compile(r"^(https?://|#|/|[a-z]+(\?|$))")  # http(s) sources, heading anchors, the app's own pages
    assert hrefs and all(safe.match(h) for h in hrefs), [h for h in hrefs if not safe.match(h)]
    # the page's own title and facts table only (the context-of-transfer grid is a data frame, drawn on a canvas)
    tables = main.locator("table").evaluate_all("ts => ts.filter(t => !t.closest('[data-testid=stDataFrame]')).length")
    assert main.locator("h1").count() <= 1 and tables <= 1
    shown = main.inner_text()
    for text in literal:
        assert text in shown, text
    page.close()


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("bandingkan?focus=99999", "focus=99999"),
        ("bandingkan?ind=garbage", "ind=garbage"),
        ("bandingkan?peers=%3Cscript%3Ealert(1)%3C/script%3E", "peers=<script>alert(1)</script>"),
        ("beranda?lang=XX", "lang=XX"),
        ("perjalanan?focus=javascript:alert(1)", "focus=javascript:alert(1)"),
        ("cari?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E&dim=%3Cb%3Ex%3C/b%3E", "dim=<b>x</b>"),
        ("praktik?practice=..%2F..%2Fetc%2Fpasswd", "../../etc/passwd"),
        ("praktik?practice=tidak-ada-praktik-ini", "tidak-ada-praktik-ini"),
        ("kunjungan?region=3328&practices=%3Csvg+onload%3Dalert(1)%3E", "<svg onload=alert(1)>"),
    ],
)
def test_hostile_link_parameters_give_a_visible_notice_and_run_nothing(browser, hostile_server, path, named):
    """Issue 12 §4: a link a person could be sent, with markup, script or a path in its parameters."""
    page, dialogs = watched_page(browser)
    page.goto(f"{hostile_server}/{path}")
    idle(page, 300_000)
    page.wait_for_timeout(500)
    assert dialogs == []
    main = page.locator("[data-testid=stMain]")
    assert page.locator("[data-testid=stException]").count() == 0 and "Traceback" not in main.inner_text()
    assert main.locator("script, iframe, img, [onerror], [onload]").count() == 0
    hrefs = main.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
    notices = " ".join(page.locator("[data-testid=stAlert]").all_inner_texts())
    assert named in notices, notices  # said where a person sees it, as text
    page.close()


HOSTILE_CSV = (
    'region_code,indicator,year,value,"<img src=x onerror=alert(1)>"\r\n'
    '3328,<script>alert(1)</script>,2024,=1+1,"=HYPERLINK(""javascript:alert(1)"",""klik"")"\r\n'
    "3328,ipm,2024,@SUM(A1),x\r\n"
)


def test_a_hostile_csv_upload_is_named_as_text_and_runs_nothing(browser, hostile_server, tmp_path):
    """Issue 12 §4: markup and formulas in an uploaded CSV's headers, cells and file name."""
    upload = tmp_path / '<svg onload=alert(1)>.csv'
    upload.write_text(HOSTILE_CSV, encoding="utf-8")
    page, dialogs = watched_page(browser)
    page.goto(f"{hostile_server}/bandingkan?tab=Data+Anda")
    idle(page, 300_000)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(upload))
    page.locator("[data-testid=stAlert]").first.wait_for(timeout=60_000)
    idle(page, 120_000)
    name = page.locator("[data-testid=stFileChipName]").first
    assert name.inner_text().startswith("<svg on") and name.inner_text().endswith(".csv")  # the name as text (cut in the middle)
    page.wait_for_timeout(500)
    main = page.locator("[data-testid=stMain]")
    assert dialogs == [] and page.locator("[data-testid=stException]").count() == 0
    assert main.locator("script, iframe, img, [onerror], [onload]").count() == 0
    problems = main.locator("[data-testid=stAlert]").inner_text()
    assert "<img src=x onerror=alert(1)>" in problems or "<script>alert(1)</script>" in problems, problems  # named as typed
    page.close()


def test_curator_exports_hold_no_live_formula_after_hostile_questions(browser, hostile_server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    for question in ('=HYPERLINK("http://contoh.test","klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)"):
        page.goto(f"{hostile_server}/cari?q={urllib.parse.quote(question)}")
        idle(page, 300_000)
    page.goto(f"{hostile_server}/kurasi")
    rows = list(csv.reader(io.StringIO(downloaded(page, '[class*="top_questions"] button'))))
    cells = [cell for row in rows for cell in row]
    assert any("hyperlink" in c for c in cells), cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells  # each is quoted as text
    page.close()
