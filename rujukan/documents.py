"""Documents attached to practices (a Perwali, a masterplan, a presentation): checked, stored, read page by page.

A document is stored in the documents folder under its content hash (`<sha256>.<ext>`), beside a
metadata file (`<sha256>.json`: title, practice, who uploaded it and when, source URL, licence, and
the text of each page). The metadata file is written last and atomically, so a failed upload
leaves nothing a listing would see, and the blob it left is removed.

What is accepted is decided by content, never by the file's name: PDF (text per page with pypdf),
DOCX (python-docx; pages where Word saved page breaks), Markdown and plain text (UTF-8; pages at
form feeds). Refused: encrypted PDFs and PDFs that carry JavaScript, archives (a ZIP that is not a
DOCX, gzip, 7z, RAR, tar), executables and scripts, old binary Word files, HTML, anything over the
size cap, and a DOCX whose parts unpack to more than MAX_UNPACKED (a renamed zip bomb). A PDF
without a text layer is kept, labelled as not searchable: there is no OCR here.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import RujukanError
from .formats import clean_text, url_problem, utc_stamp, write_atomically

KINDS = ("pdf", "docx", "md", "txt")
DEFAULT_MAX_MB = 25
MAX_PAGES = 2_000
#: The most a DOCX's parts may unpack to, and the most they may grow on unpacking (a zip bomb's mark).
MAX_UNPACKED, MAX_RATIO = 200 * 1024 * 1024, 200
MAX_TITLE, MAX_NOTE = 200, 500
#: A PDF object walk stops after this many objects (a malformed file must not loop).
MAX_OBJECTS = 200_000
ID_LENGTH = 12

_SIGNATURES = (  # (leading bytes, what the file is): refused before anything parses it
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "a Windows executable"),
    (b"\xcf\xfa\xed\xfe", "an executable (Mach-O)"),
    (b"\xfe\xed\xfa\xce", "an executable (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "an executable (Mach-O) or Java class"),
    (b"#!", "a script"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old binary Office file (.doc, .xls, .ppt): save it as DOCX or PDF"),
)


class DocumentRefused(RujukanError):
    """An upload that is not stored; the message names what is wrong with it."""


@dataclass(frozen=True)
class Document:
    id: str  # the first ID_LENGTH hex digits of sha256
    sha256: str
    practice_id: str
    title: str
    kind: str  # one of KINDS
    filename: str  # the name it was uploaded under (data, never a path)
    size: int
    uploaded_by: str
    uploaded_at: str  # ISO 8601, UTC
    source_url: str = ""
    licence: str = ""
    pages: tuple[str, ...] = ()  # the text of each page ("" for a page without text)
    notes: tuple[str, ...] = field(default_factory=tuple)  # what the reader noticed (pages without text…)

    @property
    def text_layer(self) -> bool:
        """Has any searchable text (a scanned PDF has none)."""
        return any(page.strip() for page in self.pages)

    @property
    def stored_name(self) -> str:
        return f"{self.sha256}.{self.kind}"

    def page_text(self, page: int) -> str:
        """The text of page `page` (1-based)."""
        return self.pages[page - 1] if 1 <= page <= len(self.pages) else ""


@dataclass(frozen=True)
class Extracted:
    kind: str
    pages: tuple[str, ...]
    notes: tuple[str, ...]


# -- reading -----------------------------------------------------------------------------------


def read_document(data: bytes, filename: str, max_bytes: int) -> Extracted:
    """What kind of document `data` is (by content) and its text per page; DocumentRefused otherwise."""
    if not data:
        raise DocumentRefused(f"{_shown(filename)} is empty.")
    if len(data) > max_bytes:
        raise DocumentRefused(f"{_shown(filename)} is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB (RUJUKAN_DOCUMENT_MAX_MB).")
    if data.startswith(b"%PDF-"):
        return _read_pdf(data, filename)
    if data.startswith(b"PK\x03\x04"):
        return _read_docx(data, filename)
    if len(data) > 262 and data[257:262] == b"ustar":
        raise DocumentRefused(f"{_shown(filename)} is a tar archive, not a document. Upload a PDF, DOCX, Markdown or text file.")
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise DocumentRefused(f"{_shown(filename)} is {what}, not a document. Upload a PDF, DOCX, Markdown or text file.")
    return _read_text(data, filename)


def _read_pdf(data: bytes, filename: str) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    name = _shown(filename)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file's repairs are not the user's business
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DocumentRefused(f"{name} is an encrypted PDF; it cannot be read here. Upload a copy without a password.")
        if _has_javascript(data, reader):
            raise DocumentRefused(f"{name} is a PDF that carries JavaScript; such files are refused. Save a copy without scripts (print to PDF).")
        count = len(reader.pages)
    except DocumentRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError, AssertionError) as exc:
        raise DocumentRefused(f"{name} cannot be read as a PDF ({type(exc).__name__}: {str(exc)[:120]}).") from exc
    if count == 0:
        raise DocumentRefused(f"{name} is a PDF without pages.")
    if count > MAX_PAGES:
        raise DocumentRefused(f"{name} has {count} pages; the limit is {MAX_PAGES}.")
    pages, unreadable = [], []
    for number, page in enumerate(reader.pages, start=1):
        try:
            pages.append(_clean(page.extract_text() or ""))
        except Exception:  # one damaged page: the others are still read (pypdf raises many kinds here)
            pages.append("")
            unreadable.append(number)
    notes = []
    if unreadable:
        notes.append(f"pages whose text could not be read: {_ranges(unreadable)}")
    empty = [n for n, text in enumerate(pages, start=1) if not text.strip() and n not in unreadable]
    if empty and len(empty) < len(pages):
        notes.append(f"pages without a text layer: {_ranges(empty)}")
    return Extracted("pdf", tuple(pages), tuple(notes))


def _has_javascript(data: bytes, reader) -> bool:
    """JavaScript named anywhere in the file: in its raw bytes, or in any object reached from the
    trailer (which also covers objects packed in compressed object streams)."""
    if re.search(rb"/(?:JavaScript|JS)\b", data):
        return True
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    todo = [reader.trailer]
    visited = 0
    while todo and visited < MAX_OBJECTS:
        item = todo.pop()
        visited += 1
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if "/JS" in item or item.get("/S") == "/JavaScript" or "/JavaScript" in item:
                return True
            todo.extend(item.values())
        elif isinstance(item, ArrayObject):
            todo.extend(item)
    return False


def _read_docx(data: bytes, filename: str) -> Extracted:
    name = _shown(filename)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentRefused(f"{name} looks like a ZIP file but cannot be opened ({exc}).") from exc
    names = {m.filename for m in members}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise DocumentRefused(f"{name} is a ZIP archive, not a DOCX document; archives are refused. Upload the documents inside it one by one.")
    unpacked = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
        raise DocumentRefused(f"{name} unpacks to {unpacked / 1e6:.0f} MB from {packed / 1e6:.1f} MB, like a zip bomb; it is refused.")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds (KeyError, lxml errors, its own) for a damaged file
        raise DocumentRefused(f"{name} cannot be read as a DOCX document ({type(exc).__name__}).") from exc
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    pages: list[list[str]] = [[]]
    body = document.element.body
    for block in body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            breaks = _page_breaks(block)
            text = Paragraph(block, document).text.strip()
            if breaks == "before" and any(pages[-1]):
                pages.append([])
            if text:
                pages[-1].append(text)
            if breaks == "after":
                pages.append([])
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = [cell.text.strip() for cell in row.cells]
                if any(cells):
                    pages[-1].append(" | ".join(dict.fromkeys(cells)))  # a merged cell repeats across its columns
    texts = [_clean("\n\n".join(lines)) for lines in pages]
    while len(texts) > 1 and not texts[-1].strip():
        texts.pop()
    return Extracted("docx", tuple(texts), ("pages as last saved by Word (a DOCX has no fixed pages)",) if len(texts) > 1 else ())


def _page_breaks(paragraph) -> str:
    """Where a paragraph breaks the page: "before" (Word rendered a page break before its text, or
    the break is its first content), "after", or ""."""
    seen_text = False
    for element in paragraph.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "t" and (element.text or "").strip():
            seen_text = True
        elif tag == "lastRenderedPageBreak" or (tag == "br" and any(k.endswith("}type") and v == "page" for k, v in element.attrib.items())):
            return "after" if seen_text else "before"
    return ""


def _read_text(data: bytes, filename: str) -> Extracted:
    name = _shown(filename)
    if b"\x00" in data:
        raise DocumentRefused(f"{name} is not a PDF, DOCX, Markdown or text file (it holds binary data).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentRefused(f"{name} is not UTF-8 text (byte {exc.start}); save it as UTF-8, or as PDF or DOCX.") from exc
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html")):
        raise DocumentRefused(f"{name} is a web page (HTML); save it as PDF and upload that.")
    control = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if control > len(text) / 100:
        raise DocumentRefused(f"{name} is not a PDF, DOCX, Markdown or text file (it holds control characters).")
    kind = "md" if filename.lower().endswith((".md", ".markdown")) else "txt"
    pages = tuple(_clean(page) for page in text.replace("\r\n", "\n").split("\f"))
    return Extracted(kind, pages, ())


def _clean(text: str) -> str:
    """Text as read: control characters dropped, spaces within lines collapsed, at most one blank line."""
    text = "".join(ch if unicodedata.category(ch) != "Cc" or ch in "\n\t" else " " for ch in text)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _ranges(numbers: list[int]) -> str:
    """1, 2, 3, 7 -> "1–3, 7"."""
    out, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(f"{start}" if start == n else f"{start}–{n}")
            start = None
    return ", ".join(out)


def _shown(filename: str) -> str:
    """A file name as a message shows it: its last part, no control characters, quoted, at most 80 characters."""
    return repr(clean_filename(filename)[:80] or "the file")


def clean_filename(filename: str) -> str:
    """The last part of a name as uploaded, without control characters (kept as data, never used as a path)."""
    base = re.split(r"[\\/]", filename or "")[-1]
    return "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()[:MAX_TITLE]


def clean_line(text: str, limit: int) -> str:
    """One line of metadata: control characters dropped, whitespace collapsed, length capped."""
    return re.sub(r"\s+", " ", clean_text(text or "", 10 * limit)).strip()[:limit]


# -- the folder --------------------------------------------------------------------------------


class DocumentLibrary:
    """The documents folder: add, list, get, remove. Reading needs no write access."""

    def __init__(self, folder: Path, max_bytes: int = DEFAULT_MAX_MB * 1_000_000) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def documents(self) -> list[Document]:
        """Every stored document, oldest first; a metadata file that cannot be read is skipped."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                found.append(_from_json(json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return sorted(found, key=lambda d: (d.uploaded_at, d.id))

    def get(self, document_id: str) -> Document | None:
        return next((d for d in self.documents() if d.id == document_id or d.sha256 == document_id), None)

    def path(self, document: Document) -> Path:
        return self.folder / document.stored_name

    def read_bytes(self, document: Document) -> bytes:
        return self.path(document).read_bytes()

    def add(self, data: bytes, filename: str, *, practice_id: str, known_practices: set[str], title: str, uploaded_by: str,
            source_url: str = "", licence: str = "") -> Document:
        """Check and store a document; DocumentRefused names what is wrong, and nothing is left behind."""
        title = clean_line(title, MAX_TITLE)
        if not title:
            raise DocumentRefused("A document needs a title (as it is published, e.g. the regulation's name).")
        if practice_id not in known_practices:
            raise DocumentRefused(f"There is no practice with the id {practice_id!r} to attach the document to.")
        source_url = clean_line(source_url, 2_000)
        if source_url and url_problem(source_url):
            raise DocumentRefused(f"The source URL: {url_problem(source_url[:200])}.")
        extracted = read_document(data, filename, self.max_bytes)
        sha = hashlib.sha256(data).hexdigest()
        stored = self.documents()
        same = next((d for d in stored if d.sha256 == sha), None)
        if same is not None:
            raise DocumentRefused(f"This file is already stored as {same.title!r} ({same.id}), attached to {same.practice_id}.")
        if any(d.id == sha[:ID_LENGTH] for d in stored):
            raise DocumentRefused(f"Another document's id begins {sha[:ID_LENGTH]}; this one cannot be stored under it.")
        document = Document(sha[:ID_LENGTH], sha, practice_id, title, extracted.kind, clean_filename(filename), len(data),
                            clean_line(uploaded_by, MAX_TITLE) or "?", utc_stamp(),
                            source_url, clean_line(licence, MAX_NOTE), extracted.pages, extracted.notes)
        self.folder.mkdir(parents=True, exist_ok=True)
        blob = self.path(document)
        try:
            write_atomically(blob, data)
            write_atomically(self.folder / f"{sha}.json", json.dumps(asdict(document), ensure_ascii=False, indent=1).encode("utf-8"))
        except OSError as exc:
            blob.unlink(missing_ok=True)
            raise DocumentRefused(f"The document could not be written to {self.folder} ({exc.strerror or exc}); nothing was kept.") from exc
        return document

    def remove(self, document_id: str) -> Document:
        document = self.get(document_id)
        if document is None:
            raise DocumentRefused(f"There is no document with the id {document_id!r} (see `rujukan documents list`).")
        (self.folder / f"{document.sha256}.json").unlink()  # the listing forgets it first; the blob goes next
        self.path(document).unlink(missing_ok=True)
        return document


def _from_json(data: dict) -> Document:
    values = {key: data[key] for key in Document.__dataclass_fields__ if key in data}
    values["pages"], values["notes"] = tuple(values.get("pages", ())), tuple(values.get("notes", ()))
    document = Document(**values)
    if document.kind not in KINDS or not re.fullmatch(r"[0-9a-f]{64}", document.sha256):
        raise ValueError("not a document's metadata")
    return document


def render_page(data: bytes, page: int, width: int = 1100) -> bytes:
    """Page `page` (1-based) of a PDF as a PNG image `width` pixels wide (pdfium; no script runs)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        if not 1 <= page <= len(pdf):
            raise DocumentRefused(f"The document has {len(pdf)} pages; there is no page {page}.")
        sheet = pdf[page - 1]
        image = sheet.render(scale=width / max(1.0, sheet.get_width())).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        pdf.close()
