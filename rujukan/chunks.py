"""Cut practice records into the passages that are embedded, searched and shown."""

from __future__ import annotations

from dataclasses import dataclass

from .practices import Practice, strip_citations

#: Sections longer than this (in words) are split at paragraph breaks.
MAX_WORDS = 220


@dataclass(frozen=True)
class Chunk:
    id: str
    practice_id: str
    section: str  # a section key, or "summary"
    text: str  # as shown to a person, with its [n] citations

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


def _split(text: str) -> list[str]:
    """Group paragraphs into pieces of at most MAX_WORDS words (a longer paragraph stays whole)."""
    pieces: list[str] = []
    current: list[str] = []
    words = 0
    for paragraph in (p.strip() for p in text.split("\n\n")):
        if not paragraph:
            continue
        n = len(paragraph.split())
        if current and words + n > MAX_WORDS:
            pieces.append("\n\n".join(current))
            current, words = [], 0
        current.append(paragraph)
        words += n
    if current:
        pieces.append("\n\n".join(current))
    return pieces
