"""The citable sentences of a record: what answers quote and what result cards centre on.

A record's summary and body sections are cut into paragraphs, and every item of a bulleted
("- ") or numbered ("1. ") list is a paragraph of its own, without its marker, so a list never
runs into one sentence ("… tim lapangan. 3 [2]."). Paragraphs are cut into sentences at ". "
before a capital (not after the abbreviations of Indonesian names and titles). A sentence keeps
the source of its own [n] mark; one without a mark takes the next mark in its paragraph (the mark
that covers it), else the paragraph's last one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .documents import Document
from .practices import CITATION_PATTERN, Practice, strip_citations
from .vocabulary import UNKNOWN_TEXT

#: "Catatan Rujukan:" sentences are the editors' reading of cited facts, not a source's claim.
EDITOR_LABEL = "Catatan Rujukan:"
MIN_CHARS = 12

_LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d{1,2}[.)])\s+")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")
_ABBREVIATIONS = ("No.", "Dr.", "dr.", "H.", "Hj.", "St.", "Jl.", "Kec.", "Kab.", "Prof.", "Ir.", "dkk.", "dll.", "a.n.", "S.")
_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")


@dataclass(frozen=True)
class Sentence:
    practice_id: str
    section: str  # a section key, or "summary"
    text: str  # as written, without its [n] marks and without list markers or emphasis marks
    source_number: int | None  # the [n] of the record that the sentence rests on
    editorial: bool  # starts with "Catatan Rujukan:"
    position: int  # order within the practice (0, 1, …), or within the document
    document_id: str = ""  # a sentence of an attached document (rujukan.documents), else ""
    page: int = 0  # that document's page (1-based)


def paragraphs(text: str) -> list[str]:
    """Blank-line paragraphs; each list item (bulleted or numbered) is a paragraph of its own."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.strip().splitlines() if ln.strip()]
        current: list[str] = []
        for line in lines:
            if _LIST_ITEM.match(line):
                if current:
                    out.append(" ".join(current))
                current = [_LIST_ITEM.sub("", line).strip()]
            else:
                current.append(line.strip())
        if current:
            out.append(" ".join(current))
    return out


def split_sentences(paragraph: str) -> list[str]:
    pieces: list[str] = []
    for piece in _SPLIT.split(paragraph):
        if pieces and pieces[-1].endswith(_ABBREVIATIONS):
            pieces[-1] += " " + piece
        else:
            pieces.append(piece)
    return [p.strip() for p in pieces if p.strip()]


def cited_in_order(sentence: str) -> list[int]:
    """The [n] numbers of a sentence in the order they appear."""
    return [int(n) for group in CITATION_PATTERN.findall(sentence) for n in group.split(",")]


def without_emphasis(text: str) -> str:
    """Text without Markdown's **bold** and __bold__ marks (a record's own emphasis)."""
    return _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)


def sentence_text(sentence: str) -> str:
    """A sentence as quoted: without its [n] marks and emphasis marks."""
    clean = without_emphasis(strip_citations(sentence)).strip()
    return re.sub(r"\s+([.,;:!?])", r"\1", clean)


def practice_sentences(practice: Practice) -> list[Sentence]:
    """Every citable sentence of the summary and the body sections, with its source number."""
    parts = [("summary", practice.summary)] + [(s.key, s.text) for s in practice.sections]
    sentences: list[Sentence] = []
    for section, text in parts:
        if not text or text.strip() == UNKNOWN_TEXT:
            continue
        for paragraph in paragraphs(text):
            raw = split_sentences(paragraph)
            own = [cited_in_order(s) for s in raw]
            for i, sentence in enumerate(raw):
                number = own[i][0] if own[i] else next((o[0] for o in own[i + 1 :] if o), None)
                if number is None:
                    number = next((o[-1] for o in reversed(own[:i]) if o), None)
                clean = sentence_text(sentence)
                if len(clean) < MIN_CHARS or not any(ch.isalpha() for ch in clean):
                    continue
                sentences.append(Sentence(practice.id, section, clean, number, clean.startswith(EDITOR_LABEL), len(sentences)))
    return sentences


def document_sentences(document: Document) -> list[Sentence]:
    """Every sentence of a document's pages, each with its page (no [n] marks: the document is its own source)."""
    sentences: list[Sentence] = []
    for page, text in enumerate(document.pages, start=1):
        for paragraph in paragraphs(text):
            for sentence in split_sentences(paragraph):
                clean = re.sub(r"\s+", " ", without_emphasis(sentence)).strip()
                if len(clean) >= MIN_CHARS and any(ch.isalpha() for ch in clean):
                    sentences.append(Sentence(document.practice_id, "document", clean, None, False, len(sentences), document.id, page))
    return sentences


def short_title(practice: Practice) -> str:
    """'KURNIA (Kredit Usaha Melayani Warga)' -> 'KURNIA'; a title without a gloss stays whole."""
    title = re.split(r"\s+[—–-]\s+|\s+\(", practice.title, maxsplit=1)[0].strip()
    return title or practice.title


def embedding_text(practice: Practice, sentence: Sentence) -> str:
    """What the model reads for a sentence: the practice's short name gives it its context."""
    return f"{short_title(practice)}. {sentence.text}"
