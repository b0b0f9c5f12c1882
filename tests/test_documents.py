"""Documents attached to practices (issue 13 §3): type by content, per-page text, hostile files
refused with a message naming the problem and nothing left behind, the folder's metadata, the
command line, and (with the real model and a real Chroma folder) search and answers citing
"document title, page N", the viewer page."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from sample_files import hidden_javascript_pdf, make_docx, make_pdf, zip_bomb

from rujukan import documents as documents_module
from rujukan.config import Settings
from rujukan.documents import DocumentLibrary, DocumentRefused, read_document, render_page

LIMIT = 25_000_000
PRACTICES = {"prodamas-plus", "bank-sampah"}
BRIDGE = ("Jembatan gantung Brantas dirawat setiap enam bulan oleh tim pemeliharaan khusus. "
          "Perawatan jembatan gantung memakai cat antikarat dan diperiksa oleh petugas kelurahan.")


def library(tmp_path: Path, max_bytes: int = LIMIT) -> DocumentLibrary:
    return DocumentLibrary(tmp_path / "documents", max_bytes)


def add(lib: DocumentLibrary, data: bytes, name: str = "perwali.pdf", **values):
    values = {"practice_id": "prodamas-plus", "known_practices": PRACTICES, "title": "Perwali uji", "uploaded_by": "ani@kedirikota.test"} | values
    return lib.add(data, name, **values)


def leftovers(lib: DocumentLibrary) -> list[str]:
    return sorted(p.name for p in lib.folder.iterdir()) if lib.folder.exists() else []


# -- reading, by content ----------------------------------------------------------------------


def test_a_pdf_is_read_page_by_page_and_pages_without_text_are_named():
    read = read_document(make_pdf(["Halaman satu tentang Prodamas.", "", BRIDGE]), "perwali.pdf", LIMIT)
    assert read.kind == "pdf"
    assert read.pages[0] == "Halaman satu tentang Prodamas."
    assert read.pages[1] == ""
    assert "Jembatan gantung Brantas dirawat setiap enam bulan" in read.pages[2]
    assert read.notes == ("pages without a text layer: 2",)


def test_the_type_is_decided_by_content_not_by_name():
    assert read_document(make_pdf(["Isi PDF."]), "catatan.txt", LIMIT).kind == "pdf"
    assert read_document(b"Teks biasa saja.", "perwali.pdf", LIMIT).kind == "txt"
    assert read_document(b"# Judul\n\nIsi.", "catatan.md", LIMIT).kind == "md"
    assert read_document(make_docx(["Isi DOCX."]), "x.pdf", LIMIT).kind == "docx"


def test_docx_pages_follow_the_page_breaks_word_saved():
    read = read_document(make_docx(["Bab satu.\nParagraf kedua.", "Bab dua."]), "masterplan.docx", LIMIT)
    assert read.pages == ("Bab satu.\n\nParagraf kedua.", "Bab dua.")


def test_text_pages_are_split_at_form_feeds():
    assert read_document(b"Satu.\fDua.", "a.txt", LIMIT).pages == ("Satu.", "Dua.")


HOSTILE = [
        (b"", "kosong.pdf", "is empty"),
        (make_pdf(["Rahasia."], password="pw"), "terkunci.pdf", "encrypted PDF"),
        (make_pdf(["Halaman."], javascript=True), "skrip.pdf", "carries JavaScript"),
        (hidden_javascript_pdf(), "tersembunyi.pdf", "carries JavaScript"),
        (make_pdf(["Halaman satu."])[:300], "terpotong.pdf", "cannot be read as a PDF"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, "rusak.pdf", "cannot be read as a PDF"),
        (zip_bomb(20), "bom.pdf", "ZIP archive, not a DOCX"),
        (zip_bomb(250, as_docx=True), "bom.docx", "like a zip bomb"),
        (gzip.compress(b"x" * 1000), "arsip.pdf", "gzip archive"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "program.pdf", "executable (ELF)"),
        (b"MZ\x90\x00" + b"\x00" * 100, "setup.docx", "Windows executable"),
        (b"#!/bin/sh\nrm -rf /\n", "catatan.txt", "a script"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "lama.doc", "old binary Office file"),
        (b"<!DOCTYPE html><script>alert(1)</script>", "halaman.md", "web page (HTML)"),
        ("Teks Latin-1: caf\xe9".encode("latin-1"), "latin.txt", "not UTF-8 text"),
]


@pytest.mark.parametrize(("data", "name", "says"), HOSTILE, ids=[name for _, name, _ in HOSTILE])
def test_hostile_and_unreadable_files_are_refused_saying_why(tmp_path, data, name, says):
    lib = library(tmp_path)
    with pytest.raises(DocumentRefused, match=re.escape(says)):
        add(lib, data, name)
    assert lib.documents() == []
    assert leftovers(lib) == []


def test_an_oversized_file_is_refused_naming_the_limit(tmp_path):
    lib = library(tmp_path, max_bytes=1_000_000)
    with pytest.raises(DocumentRefused, match=r"is 1\.5 MB; the limit is 1 MB \(RUJUKAN_DOCUMENT_MAX_MB\)"):
        add(lib, b"a" * 1_500_000, "besar.txt")
    assert leftovers(lib) == []


def test_a_pdf_without_a_text_layer_is_kept_and_labelled(tmp_path):
    doc = add(library(tmp_path), make_pdf(["", ""]), "pindaian.pdf")
    assert not doc.text_layer
    assert len(doc.pages) == 2
    assert render_page(library(tmp_path).read_bytes(doc), 1).startswith(b"\x89PNG")


# -- the folder ---------------------------------------------------------------------------------


def test_a_document_is_stored_under_its_content_hash_with_its_metadata(tmp_path):
    lib = library(tmp_path)
    data = make_pdf(["Satu.", BRIDGE])
    doc = add(lib, data, "../../etc/<b>Perwali<i>\x00.pdf", source_url="https://kedirikota.go.id/p/perwali", licence="publik")
    assert leftovers(lib) == sorted([f"{doc.sha256}.pdf", f"{doc.sha256}.json"])
    assert (lib.folder / f"{doc.sha256}.pdf").read_bytes() == data
    assert doc.filename == "<b>Perwali<i>.pdf"  # data, never a path: the folder holds only hash names
    meta = json.loads((lib.folder / f"{doc.sha256}.json").read_text(encoding="utf-8"))
    assert meta["uploaded_by"] == "ani@kedirikota.test" and meta["source_url"] == "https://kedirikota.go.id/p/perwali"
    assert meta["licence"] == "publik" and meta["practice_id"] == "prodamas-plus" and meta["uploaded_at"].endswith("Z")
    assert lib.documents() == [doc]
    assert lib.get(doc.id) == doc and doc.page_text(2).startswith("Jembatan gantung")


def test_a_duplicate_is_refused_naming_the_stored_copy(tmp_path):
    lib = library(tmp_path)
    data = make_pdf(["Satu."])
    first = add(lib, data)
    with pytest.raises(DocumentRefused, match=f"already stored as 'Perwali uji' \\({first.id}\\), attached to prodamas-plus"):
        add(lib, data, "salinan.pdf", title="Salinan")
    assert len(lib.documents()) == 1


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"title": "  \n"}, "needs a title"),
        ({"practice_id": "tidak-ada"}, "no practice with the id 'tidak-ada'"),
        ({"source_url": "javascript:alert(1)"}, r"is not an http\(s\) address"),
    ],
)
def test_what_a_document_is_attached_with_is_checked(tmp_path, values, says):
    lib = library(tmp_path)
    with pytest.raises(DocumentRefused, match=says):
        add(lib, make_pdf(["Satu."]), **values)
    assert leftovers(lib) == []


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    lib = library(tmp_path)
    real = documents_module.write_atomically

    def fail_on_metadata(path, data):
        if path.suffix == ".json":
            raise OSError(28, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(documents_module, "write_atomically", fail_on_metadata)
    with pytest.raises(DocumentRefused, match=r"could not be written .*\(No space left on device\); nothing was kept"):
        add(lib, make_pdf(["Satu."]))
    assert leftovers(lib) == []


def test_remove_forgets_the_document_and_its_file(tmp_path):
    lib = library(tmp_path)
    doc = add(lib, make_pdf(["Satu."]))
    assert lib.remove(doc.id) == doc
    assert leftovers(lib) == [] and lib.documents() == []
    with pytest.raises(DocumentRefused, match="no document with the id"):
        lib.remove(doc.id)


def test_a_damaged_metadata_file_is_skipped(tmp_path):
    lib = library(tmp_path)
    doc = add(lib, make_pdf(["Satu."]))
    (lib.folder / f"{'0' * 64}.json").write_text("{not json", encoding="utf-8")
    assert lib.documents() == [doc]


def test_settings_name_the_folder_and_the_size_cap(tmp_path):
    s = Settings.from_env({"RUJUKAN_KNOWLEDGE_DIR": str(tmp_path), "RUJUKAN_DOCUMENT_MAX_MB": "3"})
    assert s.documents_folder == tmp_path / "documents" and s.document_library().max_bytes == 3_000_000
    assert Settings.from_env({"RUJUKAN_DOCUMENTS_DIR": str(tmp_path / "d")}).documents_folder == tmp_path / "d"
    from rujukan.errors import ConfigError

    with pytest.raises(ConfigError, match="RUJUKAN_DOCUMENT_MAX_MB must be a whole number"):
        Settings.from_env({"RUJUKAN_DOCUMENT_MAX_MB": "lots"})


# -- command line -------------------------------------------------------------------------------


def test_the_command_line_adds_lists_and_removes(tmp_path, monkeypatch, capsys):
    from rujukan.__main__ import main
    from rujukan.config import REPO_ROOT

    monkeypatch.setenv("RUJUKAN_KNOWLEDGE_DIR", str(REPO_ROOT / "knowledge"))
    monkeypatch.setenv("RUJUKAN_DOCUMENTS_DIR", str(tmp_path / "docs"))
    pdf = tmp_path / "perwali.pdf"
    pdf.write_bytes(make_pdf(["Satu.", "Dua."]))
    assert main(["documents", "add", "prodamas-plus", str(pdf), "--title", "Perwali uji", "--source-url", "https://kedirikota.go.id/x"]) == 0
    out = capsys.readouterr()
    doc_id = out.out.strip()
    assert f"stored {doc_id} (pdf, 2 page(s)) for prodamas-plus" in out.err
    assert main(["documents", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(d["id"], d["title"], d["pages"], d["text_layer"], d["source_url"]) for d in listed] == [(doc_id, "Perwali uji", 2, True, "https://kedirikota.go.id/x")]
    assert main(["documents", "add", "prodamas-plus", str(pdf), "--title", "Lagi"]) == 1
    assert "refused: This file is already stored" in capsys.readouterr().err
    bomb = tmp_path / "bom.pdf"
    bomb.write_bytes(zip_bomb(20))
    assert main(["documents", "add", "bank-sampah", str(bomb), "--title", "Bom"]) == 1
    assert "ZIP archive, not a DOCX" in capsys.readouterr().err
    assert main(["documents", "remove", doc_id]) == 0
    assert main(["documents", "list"]) == 0
    assert capsys.readouterr().out == ""


# -- search, answers, the viewer (real model, real Chroma folder) -------------------------------


@pytest.fixture
def with_document(app_env, ready, monkeypatch, tmp_path):
    """A copy of the built index, and a two-page PDF attached to prodamas-plus."""
    shutil.copytree(app_env["RUJUKAN_INDEX_DIR"], tmp_path / "index")
    monkeypatch.setenv("RUJUKAN_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("RUJUKAN_DOCUMENTS_DIR", str(tmp_path / "docs"))
    settings = Settings.from_env()
    doc = add(settings.document_library(), make_pdf(["Pengantar dokumen uji tentang kota.", BRIDGE]), title="Pedoman Pemeliharaan Jembatan (uji)")
    return settings, doc


@pytest.mark.model
def test_search_and_answers_cite_the_document_and_its_page(with_document, embedder, capsys):
    from rujukan.__main__ import main
    from rujukan.answer import answer_question
    from rujukan.service import prepare

    settings, doc = with_document
    add(settings.document_library(), make_pdf(["", ""]), "pindaian.pdf", title="Pindaian tanpa teks")  # nothing to embed: never "new"
    first = prepare(settings, log=lambda m: None, embedder=embedder)
    assert first.report.embedded_documents == (doc.id,) and first.report.embedded_practices == ()  # only the new document is embedded
    assert prepare(settings, log=lambda m: None, embedder=embedder).report.embedded_documents == ()  # in step: nothing again
    match = first.engine.search("perawatan jembatan gantung", 3).matches[0]
    assert (match.practice.id, match.document, match.page, match.weak) == ("prodamas-plus", doc, 2, False)
    answer = answer_question(first.engine, "berapa kali jembatan gantung dirawat?")
    assert not answer.declined
    cited = answer.citations[0]
    assert (cited.document_id, cited.document_title, cited.page, cited.source_number) == (doc.id, doc.title, 2, None)
    assert answer.answer.startswith("Menurut dokumen «Pedoman Pemeliharaan Jembatan (uji)» yang dilampirkan pada praktik")
    assert "Jembatan gantung Brantas dirawat setiap enam bulan" in answer.answer

    assert main(["search", "perawatan jembatan gantung", "--json", "--top", "2"]) == 0
    item = json.loads(capsys.readouterr().out)[0]
    assert (item["id"], item["document"], item["document_id"], item["page"]) == ("prodamas-plus", doc.title, doc.id, 2)
    assert main(["ask", "berapa kali jembatan gantung dirawat?", "--json"]) == 0
    citation = json.loads(capsys.readouterr().out)["citations"][0]
    assert (citation["document"], citation["page"]) == (doc.title, 2)

    settings.document_library().remove(doc.id)
    after = prepare(settings, log=lambda m: None, embedder=embedder)
    assert after.report.removed_documents == (doc.id,) and after.report.embedded_documents == ()
    assert all(m.document is None for m in after.engine.search("perawatan jembatan gantung", 5).matches)


@pytest.mark.model
def test_the_viewer_opens_a_document_at_its_page(with_document):
    from streamlit.testing.v1 import AppTest

    from rujukan.config import REPO_ROOT

    _settings, doc = with_document
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=300)
    at.query_params["doc"] = doc.id
    at.query_params["page"] = "2"
    at.run()
    at.switch_page("views/dokumen.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Pedoman Pemeliharaan Jembatan \\(uji\\)"
    assert at.number_input[0].value == 2
    assert "Halaman 2 dari 2" in [c.value for c in at.caption]
    assert any("Jembatan gantung Brantas" in t.value for t in at.text)
    assert len(at.get("image")) == 1  # the page itself, drawn by pdfium

    at.query_params["doc"] = "<script>alert(1)</script>"
    at.run()
    assert "Dokumen <script>alert(1)</script> tidak ada" in at.error[0].value.replace("\\", "")


def test_the_doctor_reports_documents_without_text_or_without_their_practice(tmp_path):
    from rujukan.config import REPO_ROOT
    from rujukan.health import NOTE, OK, PROBLEM, check_all

    s = Settings.from_env({"RUJUKAN_KNOWLEDGE_DIR": str(REPO_ROOT / "knowledge"), "RUJUKAN_DOCUMENTS_DIR": str(tmp_path / "docs")})

    def documents_check():
        return next(c for c in check_all(s) if c.part == "documents")

    assert documents_check().status == OK
    scanned = add(s.document_library(), make_pdf(["", ""]), "pindaian.pdf")
    assert (documents_check().status, documents_check().detail) == (NOTE, f"no text layer, so not searchable (no OCR here): {scanned.id}")
    orphan = add(s.document_library(), make_pdf(["Teks."]), known_practices={"praktik-lama"}, practice_id="praktik-lama")
    check = documents_check()
    assert check.status == PROBLEM and f"attached to no loaded practice, so not searched: {orphan.id} (praktik-lama)" in check.detail
    assert check.summary.startswith("2 document(s), 3 page(s) in ")
