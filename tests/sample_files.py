"""Real files for the document tests: text PDFs written with pypdf (a Helvetica text layer), DOCX
written with python-docx, and hostile ones (scripted, encrypted, scanned-like, zip bombs)."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[str], *, javascript: bool = False, password: str = "", width_chars: int = 90) -> bytes:
    """A PDF with one page per text (lines wrapped at width_chars); "" gives a page without a text layer."""
    writer = PdfWriter()
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    font_ref = writer._add_object(font)
    for text in pages:
        page = writer.add_blank_page(612, 792)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            words, line = paragraph.split(), ""
            for word in words:
                if len(line) + len(word) + 1 > width_chars:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}".strip()
            lines.append(line)
        ops = ["BT /F1 10 Tf 12 TL 40 750 Td"] + [f"({_escape(line)}) Tj T*" for line in lines[:60]] + ["ET"] if text else ["0 0 1 rg 50 50 200 200 re f"]
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1", "replace"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})})
    if javascript:
        action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('hello');")})
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def hidden_javascript_pdf() -> bytes:
    """A PDF whose script is named with #-escaped names (/Java#53cript, /J#53): its raw bytes never
    spell /JavaScript or /JS, yet every PDF reader decodes them to those names."""
    data = make_pdf(["Halaman dengan tautan."], javascript=True)
    return data.replace(b"/JavaScript", b"/Java#53cript").replace(b"/JS ", b"/J#53 ")


def make_docx(pages: list[str]) -> bytes:
    """A DOCX with a page break between the texts (each text's lines are paragraphs)."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for n, text in enumerate(pages):
        for line in text.split("\n"):
            document.add_paragraph(line)
        if n + 1 < len(pages):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb(unpacked_mb: int = 300, *, as_docx: bool = False) -> bytes:
    """A small ZIP that unpacks to unpacked_mb of zeros (shaped as a DOCX when as_docx)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        if as_docx:
            archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml" if as_docx else "data.bin", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(unpacked_mb):
                member.write(block)
    return out.getvalue()
