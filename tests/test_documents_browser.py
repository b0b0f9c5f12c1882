"""Documents in a real browser (issue 13 §3): a curator signed in through a real OpenID Connect
provider attaches a PDF on the Dokumen page; a renamed zip bomb and a file with markup in its
name are refused saying why and leave nothing behind; the new text is found by search, whose
card opens the viewer at the page that matched, with the page drawn."""

from __future__ import annotations

import re

import pytest
from sample_files import make_pdf, zip_bomb
from test_sign_in import CURATOR, provider, sign_in, signed_app  # noqa: F401  (fixtures used by name)

from conftest import idle

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.model]

BRIDGE = ("Jembatan gantung Brantas dirawat setiap enam bulan oleh tim pemeliharaan khusus. "
          "Perawatan jembatan gantung memakai cat antikarat dan diperiksa oleh petugas kelurahan.")


def upload(page, path, title: str) -> None:
    form = page.locator('[data-testid="stForm"]')
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_text(re.compile(r"^\d+(\.\d+)?\s?[KM]B$")).first.wait_for(timeout=60_000)  # the file's chip (its long name is cut)
    form.get_by_label("Judul dokumen sebagaimana terbit").fill(title)
    form.get_by_role("button", name="Unggah dan jadikan dapat dicari").click()


def test_a_curator_attaches_a_document_that_search_then_cites_by_page(browser, signed_app):  # noqa: F811  (the fixture)
    address, folder = signed_app
    documents = folder / "knowledge" / "documents"
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    sign_in(page, address, CURATOR)
    page.goto(f"{address}/dokumen?practice=prodamas-plus")
    idle(page, 120_000)
    page.get_by_text("Lampirkan dokumen").click()

    bomb = folder / "<img src=x onerror=alert(1)>.pdf"
    bomb.write_bytes(zip_bomb(20))
    upload(page, bomb, "Bom")
    page.get_by_text("Dokumen tidak disimpan").wait_for(timeout=60_000)
    main = page.locator("[data-testid=stMain]")
    assert "is a ZIP archive, not a DOCX document" in main.inner_text()
    assert "<img src=x onerror=alert(1)>.pdf" in main.inner_text()  # the name shown as text
    assert page.locator("[data-testid=stMain] img[src=x]").count() == 0
    assert not documents.exists() or list(documents.iterdir()) == []

    pdf = folder / "pedoman.pdf"
    pdf.write_bytes(make_pdf(["Pengantar pedoman uji.", BRIDGE]))
    upload(page, pdf, "Pedoman Pemeliharaan Jembatan (uji)")
    page.get_by_text("kini dapat dicari").wait_for(timeout=240_000)
    assert len(list(documents.glob("*.pdf"))) == 1 and len(list(documents.glob("*.json"))) == 1

    page.goto(f"{address}/cari?q=perawatan+jembatan+gantung")
    idle(page, 240_000)
    actions = page.locator(".st-key-card-actions-prodamas-plus")  # the card's actions row (its key is its CSS class)
    actions.wait_for(timeout=60_000)
    assert "dokumen «Pedoman Pemeliharaan Jembatan (uji)», halaman 2" in main.inner_text()
    actions.get_by_role("link", name="Buka dokumen di halaman 2").click()
    page.wait_for_url("**/dokumen?**", timeout=60_000)
    idle(page, 120_000)
    assert "page=2" in page.url
    page.get_by_text("Halaman 2 dari 2").wait_for(timeout=60_000)
    assert page.locator('[data-testid="stImage"] img').count() == 1  # the page, drawn
    page.close()
