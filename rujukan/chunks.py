"""Cut practice records into the passages that are embedded, searched and shown."""

from __future__ import annotations

from dataclasses import dataclass

from .documents import Document
from .practices import Practice, strip_citations

#: Sections longer than this (in words) are split at paragraph breaks.
MAX_WORDS = 220
#: A paragraph beyond these is cut into MAX_WORDS-word pieces of at most MAX_CHARS characters, so a
#: pasted document never becomes one huge chunk. Measured on the 15 records: the longest chunk is
#: 223 words, 1,601 characters and 398 of the model's 512 tokens (1.64 tokens a word on average).
PARAGRAPH_WORDS, MAX_CHARS = 250, 1_800


@dataclass(frozen=True)
class Chunk:
    id: str
    practice_id: str
    section: str  # a section key, or "summary"
    text: str  # as shown to a person, with its [n] citations
    document_id: str = ""  # a passage of an attached document (rujukan.documents), else ""
    page: int = 0  # that document's page (1-based)

    def embedding_text(self, title: str) -> str:
        """What the model reads: the practice title gives every passage its context."""
        return f"{title}. {strip_citations(self.text)}"


def practice_chunks(practice: Practice) -> list[Chunk]:
    """One summary chunk (titles, summary, names people type), then each section in pieces."""
    names = ", ".join(practice.keywords + practice.legal_basis)
    summary = f"{practice.summary}\n{practice.title_en}. {practice.summary_en}"
    if names:
        summary += f"\n{names}"
    chunks = [Chunk(f"{practice.id}::summary::0", practice.id, "summary", summary)]
    for section in practice.sections:
        for n, piece in enumerate(_split(section.text)):
            chunks.append(Chunk(f"{practice.id}::{section.key}::{n}", practice.id, section.key, piece))
    return chunks


def document_chunks(document: Document) -> list[Chunk]:
    """A document's pages in pieces (a passage never spans two pages, so it cites one page)."""
    return [
        Chunk(f"doc::{document.id}::{page}::{n}", document.practice_id, "document", piece, document.id, page)
        for page, text in enumerate(document.pages, start=1)
        for n, piece in enumerate(_split(text))
    ]


def _split(text: str) -> list[str]:
    """Group paragraphs into pieces of at most MAX_WORDS words and MAX_CHARS characters."""
    pieces: list[str] = []
    current: list[str] = []
    words = chars = 0
    for paragraph in (piece for p in text.split("\n\n") for piece in _cut(p.strip())):
        if not paragraph:
            continue
        n = len(paragraph.split())
        if current and (words + n > MAX_WORDS or chars + len(paragraph) > MAX_CHARS):
            pieces.append("\n\n".join(current))
            current, words, chars = [], 0, 0
        current.append(paragraph)
        words += n
        chars += len(paragraph) + 2
    if current:
        pieces.append("\n\n".join(current))
    return pieces


def _cut(paragraph: str) -> list[str]:
    """A paragraph as it is when short enough, else in pieces of MAX_WORDS words and MAX_CHARS characters."""
    words = paragraph.split()
    if len(words) <= PARAGRAPH_WORDS and len(paragraph) <= MAX_CHARS:
        return [paragraph]
    pieces = [" ".join(words[i : i + MAX_WORDS]) for i in range(0, len(words), MAX_WORDS)]
    return [piece[i : i + MAX_CHARS] for piece in pieces for i in range(0, len(piece), MAX_CHARS)]
