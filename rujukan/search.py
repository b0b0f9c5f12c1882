"""Query -> ranked practices, each with the passage that matched and why.

Dense retrieval (E5, cosine in Chroma) finds paraphrases; a BM25 keyword ranking finds exact
names, acronyms and regulation numbers. The shipped method adds the keyword score with the
weight that bench/search_quality.py measured best on the evaluation set.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field

from .chunks import practice_chunks
from .index import ChunkStore
from .keyword import KeywordIndex
from .practices import KnowledgeBase, Practice

MAX_QUERY_CHARS = 1000
DENSE_CANDIDATES = 100
KEYWORD_CANDIDATES = 500
METHODS = ("hybrid", "dense", "keyword")
#: What a SearchResult's notices can say (worded in rujukan.i18n, "notice.<code>").
NOTICES = ("query_truncated", "query_empty", "query_no_words", "no_results")
#: Weight of the normalised keyword score added to the cosine similarity (see bench/README.md).
KEYWORD_WEIGHT = 0.1


@dataclass(frozen=True)
class Filters:
    dimensions: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.dimensions or self.agencies or self.statuses or self.year_from or self.year_to)

    def allows(self, p: Practice) -> bool:
        if self.dimensions and not set(self.dimensions) & set(p.dimensions):
            return False
        if self.agencies and p.agency not in self.agencies:
            return False
        if self.statuses and p.status not in self.statuses:
            return False
        if self.year_from or self.year_to:
            year = p.start_year
            if year is None:
                return False
            if (self.year_from and year < self.year_from) or (self.year_to and year > self.year_to):
                return False
        return True


@dataclass(frozen=True)
class Match:
    practice: Practice
    score: float
    similarity: float  # cosine similarity of the best passage
    keyword: float  # keyword score, normalised to the best of this query (0..1)
    section: str
    passage: str
    matched_terms: tuple[str, ...]


@dataclass
class SearchResult:
    query: str
    matches: list[Match]
    notices: list[str] = field(default_factory=list)  # NOTICES codes
    elapsed_ms: float = 0.0


def clean_query(raw: str) -> tuple[str, list[str]]:
    """Whitespace collapsed, control characters dropped, length capped; with notices."""
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    text = re.sub(r"\s+", " ", text).strip()
    notices: list[str] = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUERY_CHARS]
        notices.append("query_truncated")
    if not text:
        notices.append("query_empty")
    elif not any(ch.isalnum() for ch in text):
        notices.append("query_no_words")
    return text, notices


class SearchEngine:
    """Search over one knowledge base, its chunk store and the model that built it."""

    def __init__(self, kb: KnowledgeBase, store: ChunkStore, embedder, extra_keyword_docs: dict[str, str] | None = None):
        self.kb = kb
        self.store = store
        self.embedder = embedder
        self._practices = kb.by_id()
        self._chunks = {c.id: c for p in kb.practices for c in practice_chunks(p)}
        docs = {cid: c.embedding_text(self._practices[c.practice_id].title) for cid, c in self._chunks.items()}
        docs.update(extra_keyword_docs or {})
        self.keywords = KeywordIndex(docs)

    def search(self, raw_query: str, top_k: int = 5, filters: Filters | None = None, method: str = "hybrid") -> SearchResult:
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        started = time.perf_counter()
        query, notices = clean_query(raw_query)
        if "query_empty" in notices or "query_no_words" in notices:
            return SearchResult(query, [], notices)
        filters = filters or Filters()
        allowed = [p.id for p in self.kb.practices if filters.allows(p)] if filters.active else None

        dense: dict[str, tuple[float, str, str]] = {}  # practice -> (similarity, section, passage)
        if method != "keyword":
            vector = self.embedder.embed_queries([query])[0]
            for hit in self.store.query(vector, DENSE_CANDIDATES, allowed):
                if hit.practice_id in self._practices and hit.practice_id not in dense:
                    dense[hit.practice_id] = (hit.similarity, hit.section, hit.text)

        keyword: dict[str, tuple[float, str]] = {}  # practice -> (bm25, chunk id)
        if method != "dense":
            allowed_set = set(allowed) if allowed is not None else None
            for chunk_id, score in self.keywords.top(query, KEYWORD_CANDIDATES):
                chunk = self._chunks.get(chunk_id)
                if chunk is None or (allowed_set is not None and chunk.practice_id not in allowed_set):
                    continue
                if score > keyword.get(chunk.practice_id, (0.0, ""))[0]:
                    keyword[chunk.practice_id] = (score, chunk_id)
        best_keyword = max((s for s, _ in keyword.values()), default=0.0)

        floor = min((s for s, _, _ in dense.values()), default=0.0)
        matches: list[Match] = []
        for pid in dense.keys() | keyword.keys():
            practice = self._practices[pid]
            kw = keyword[pid][0] / best_keyword if pid in keyword else 0.0
            if pid in dense:
                similarity, section, passage = dense[pid]
            else:
                chunk = self._chunks[keyword[pid][1]]
                similarity, section, passage = floor, chunk.section, chunk.text
            score = {"dense": similarity, "keyword": kw}.get(method, similarity + KEYWORD_WEIGHT * kw)
            terms = self.keywords.matched_terms(query, " ".join((practice.title, *practice.keywords, passage)))
            matches.append(Match(practice, score, similarity, kw, section, passage, tuple(terms)))
        matches.sort(key=lambda m: (-m.score, m.practice.id))
        if not matches:
            notices.append("no_results")
        return SearchResult(query, matches[:top_k], notices, (time.perf_counter() - started) * 1000)
