"""Query -> ranked practices, each with the passage that matched and why.

Dense retrieval (E5, cosine in Chroma) finds paraphrases; a BM25 keyword ranking finds exact
names, acronyms and regulation numbers. The shipped method adds the keyword score with the
weight that bench/search_quality.py measured best on the evaluation set.
"""

from __future__ import annotations

import math
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from .chunks import document_chunks, practice_chunks
from .documents import Document
from .index import ChunkStore
from .keyword import KeywordIndex, detect_lang, tokens
from .practices import KnowledgeBase, Practice
from .sentences import Sentence, embedding_text, paragraphs, practice_sentences, sentence_text, split_sentences, without_emphasis
from .vocabulary import UNKNOWN_TEXT

MAX_QUERY_CHARS = 1000
DENSE_CANDIDATES = 100
KEYWORD_CANDIDATES = 500
METHODS = ("hybrid", "dense", "keyword")
#: What a SearchResult's notices can say (worded in rujukan.i18n, "notice.<code>").
NOTICES = ("query_truncated", "query_empty", "query_no_words", "no_results")
#: Weight of the normalised keyword score added to the cosine similarity (see bench/README.md).
KEYWORD_WEIGHT = 0.1
#: Cosine similarities run higher between Indonesian texts than across languages: where a weak
#: match typically lies, per query language (the earlier answer thresholds, bench/answer_quality.py).
COSINE_BASELINE = {"id": 0.84, "en": 0.81}
#: A match's relevance: logistic(intercept + cosine × (similarity − COSINE_BASELINE[lang]) +
#: support × the IDF-weighted share of the query's words in the practice's text). Below
#: RELEVANCE_FLOOR a match is weak: shown as one of the closest, not as a match. Both were chosen
#: by bench/search_quality.py on the evaluation queries: the floor is the highest that marks no
#: relevant practice in a query's top 3 weak (so recall@3 and MRR cannot fall), with the support
#: weight that then marks the most off-topic and nonsense queries weak.
RELEVANCE = {"intercept": -3.5703, "cosine": 16.4861, "support": 4.781}
RELEVANCE_FLOOR = 0.0222
#: The records are Indonesian, so an English query meets them across languages, where cosines run
#: lower (COSINE_BASELINE). An attached document may be in the query's own language: an English
#: passage answering an English query has its cosine lowered by DOCUMENT_PENALTY (the baselines'
#: difference), so it competes with the records on their footing. A document passage's keyword
#: score counts DOCUMENT_KEYWORD of a record's. Both chosen by bench/documents.py (its README).
DOCUMENT_PENALTY, DOCUMENT_KEYWORD = 0.05, 0.5


@dataclass(frozen=True)
class Filters:
    dimensions: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    regions: tuple[str, ...] = ()  # reference regions (BPS codes): only practices documented for one of them

    @property
    def active(self) -> bool:
        return bool(self.dimensions or self.agencies or self.statuses or self.year_from or self.year_to or self.regions)

    def allows(self, p: Practice) -> bool:
        if self.regions and p.region_code not in self.regions:
            return False
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
    relevance: float = 1.0  # 0..1, see RELEVANCE (1.0 when no vector search ran)
    weak: bool = False  # relevance below RELEVANCE_FLOOR: the closest the knowledge base has, not a match
    document: Document | None = None  # the passage comes from this attached document…
    page: int = 0  # …, page (1-based)


@dataclass
class SearchResult:
    query: str
    matches: list[Match]
    notices: list[str] = field(default_factory=list)  # NOTICES codes
    elapsed_ms: float = 0.0
    vector: np.ndarray | None = field(default=None, repr=False)  # the query's embedding (None for keyword-only)

    @property
    def weak(self) -> bool:
        """Nothing matches well: every match (if any) is below the relevance floor."""
        return all(m.weak for m in self.matches)


def cut_query(text: str) -> str:
    """A text cut to MAX_QUERY_CHARS, at the last space before the limit where there is one."""
    if len(text) <= MAX_QUERY_CHARS:
        return text
    return text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUERY_CHARS]


def clean_query(raw: str) -> tuple[str, list[str]]:
    """Whitespace collapsed, control characters dropped, length capped; with notices."""
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    text = re.sub(r"\s+", " ", text).strip()
    notices: list[str] = []
    if len(text) > MAX_QUERY_CHARS:
        text = cut_query(text)
        notices.append("query_truncated")
    if not text:
        notices.append("query_empty")
    elif not any(ch.isalnum() for ch in text):
        notices.append("query_no_words")
    return text, notices


def relevance_of(cosine: float, support: float) -> float:
    """The RELEVANCE model: the chance that a match is relevant, from its two features."""
    z = RELEVANCE["intercept"] + RELEVANCE["cosine"] * cosine + RELEVANCE["support"] * support
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


class SearchEngine:
    """Search over one knowledge base, its chunk store and the model that built it."""

    def __init__(self, kb: KnowledgeBase, store: ChunkStore, embedder, extra_keyword_docs: dict[str, str] | None = None,
                 documents: list[Document] | tuple[Document, ...] = ()):
        self.kb = kb
        self.store = store
        self.embedder = embedder
        self._practices = kb.by_id()
        #: the attached documents that are searched: those of a loaded practice
        self.documents = {d.id: d for d in documents if d.practice_id in self._practices}
        self._chunks = {c.id: c for p in kb.practices for c in practice_chunks(p)}
        self._chunks.update({c.id: c for d in self.documents.values() for c in document_chunks(d)})
        self._english = {cid for cid, c in self._chunks.items() if c.document_id and detect_lang(c.text) == "en"}  # document passages in English
        docs = {cid: c.embedding_text(self.documents[c.document_id].title if c.document_id else self._practices[c.practice_id].title)
                for cid, c in self._chunks.items()}
        docs.update(extra_keyword_docs or {})
        self.keywords = KeywordIndex(docs)
        # the words of each practice's names: what a card's "shared words" and a match's support count besides its passage
        self._name_terms = {p.id: set(tokens(" ".join((p.title, *p.keywords)))) for p in kb.practices}
        self._name_terms_en = {p.id: self._name_terms[p.id] | set(tokens(p.title_en)) for p in kb.practices}
        self._sentences: dict[str, tuple[str, list[Sentence], np.ndarray]] | None = None
        self._sentences_lock = threading.Lock()
        self._all_sentences: np.ndarray | None = None
        self._document_sentences: dict[str, tuple[list[Sentence], np.ndarray]] | None = None

    def document_sentences(self, document_id: str) -> tuple[list[Sentence], np.ndarray]:
        """An attached document's sentences and their vectors, as stored when it was indexed."""
        with self._sentences_lock:
            if self._document_sentences is None:
                self._document_sentences = {i: pair for i, pair in self.store.sentences(documents=True).items() if i in self.documents}
            return self._document_sentences.get(document_id, ([], np.zeros((0, 1), dtype=np.float32)))

    def practice_documents(self, practice_id: str) -> list[Document]:
        """The documents attached to a practice, oldest first."""
        return [d for d in self.documents.values() if d.practice_id == practice_id]

    def sentences(self, practice: Practice) -> tuple[list[Sentence], np.ndarray]:
        """A practice's citable sentences and their vectors: read from the index (stored when it was
        built), or embedded now, once, for a practice the index does not hold in this version."""
        with self._sentences_lock:
            if self._sentences is None:
                self._sentences = {pid: (self._practices[pid].content_hash, *pair) for pid, pair in self.store.sentences().items()
                                   if pid in self._practices}
            held = self._sentences.get(practice.id)
        if held is not None and held[0] == practice.content_hash:
            return held[1], held[2]
        sentences = practice_sentences(practice)
        texts = [embedding_text(practice, s) for s in sentences]
        vectors = np.asarray(self.embedder.embed_passages(texts), dtype=np.float32) if texts else np.zeros((0, 1), dtype=np.float32)
        with self._sentences_lock:
            self._sentences[practice.id] = (practice.content_hash, sentences, vectors)
        return sentences, vectors

    def sentence_matrix(self) -> np.ndarray:
        """Every practice's sentence vectors in one matrix (a question's closeness to the whole knowledge base)."""
        if self._all_sentences is None:
            parts = [v for v in (self.sentences(p)[1] for p in self.kb.practices) if len(v)]
            self._all_sentences = np.vstack(parts) if parts else np.zeros((0, 1), dtype=np.float32)
        return self._all_sentences

    def relevance_features(self, query: str, practice: Practice, passage: str, similarity: float,
                           passage_terms: set[str] | None = None, weights: dict[str, float] | None = None) -> dict[str, float]:
        """What a match's relevance rests on (see RELEVANCE): its cosine similarity above the query
        language's baseline, and the IDF-weighted share of the query's words in the practice's text
        (its passage, titles and keywords). The passage's and the query's words may be given."""
        weights = weights if weights is not None else {term: self.keywords.idf(term) for term in set(tokens(query))}
        present = (passage_terms if passage_terms is not None else set(tokens(passage))) | self._name_terms_en.get(
            practice.id, set(tokens(" ".join((practice.title, practice.title_en, *practice.keywords)))))
        total = sum(weights.values())
        support = sum(w for term, w in weights.items() if term in present) / total if total else 0.0
        return {"cosine": similarity - COSINE_BASELINE[detect_lang(query)], "support": support}

    def search(self, raw_query: str, top_k: int = 5, filters: Filters | None = None, method: str = "hybrid") -> SearchResult:
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        started = time.perf_counter()
        query, notices = clean_query(raw_query)
        if "query_empty" in notices or "query_no_words" in notices:
            return SearchResult(query, [], notices)
        filters = filters or Filters()
        allowed = [p.id for p in self.kb.practices if filters.allows(p)] if filters.active else None

        # practice -> (ranking similarity, cosine, section, passage, document id, page) of its best passage
        dense: dict[str, tuple[float, float, str, str, str, int]] = {}
        vector = None
        english = detect_lang(query) == "en"
        if method != "keyword":
            vector = self.embedder.embed_queries([query])[0]
            for hit in self.store.query(vector, DENSE_CANDIDATES, allowed):
                if hit.document_id and hit.document_id not in self.documents:
                    continue  # a document removed since the index was synced
                ranked = hit.similarity - (DOCUMENT_PENALTY if english and hit.chunk_id in self._english else 0.0)
                if hit.practice_id in self._practices and ranked > dense.get(hit.practice_id, (-2.0,))[0]:
                    dense[hit.practice_id] = (ranked, hit.similarity, hit.section, hit.text, hit.document_id, hit.page)

        keyword: dict[str, tuple[float, str]] = {}  # practice -> (bm25, chunk id)
        if method != "dense":
            allowed_set = set(allowed) if allowed is not None else None
            for chunk_id, score in self.keywords.top(query, KEYWORD_CANDIDATES):
                chunk = self._chunks.get(chunk_id)
                if chunk is None or (allowed_set is not None and chunk.practice_id not in allowed_set):
                    continue
                if chunk.document_id:
                    score *= DOCUMENT_KEYWORD
                if score > keyword.get(chunk.practice_id, (0.0, ""))[0]:
                    keyword[chunk.practice_id] = (score, chunk_id)
        best_keyword = max((s for s, _ in keyword.values()), default=0.0)

        floor = min((d[0] for d in dense.values()), default=0.0)
        weights = {term: self.keywords.idf(term) for term in set(tokens(query))}
        matches: list[Match] = []
        for pid in dense.keys() | keyword.keys():
            practice = self._practices[pid]
            kw = keyword[pid][0] / best_keyword if pid in keyword else 0.0
            if pid in dense:
                similarity, cosine, section, passage, document_id, page = dense[pid]
            else:
                chunk = self._chunks[keyword[pid][1]]
                similarity, section, passage, document_id, page = floor, chunk.section, chunk.text, chunk.document_id, chunk.page
                cosine = similarity
            if passage.strip() == UNKNOWN_TEXT:  # a section that only says it is unknown matched by the title its chunk carries:
                section, passage = "summary", self._chunks[f"{pid}::summary::0"].text  # show what the record does say
            score = {"dense": similarity, "keyword": kw}.get(method, similarity + KEYWORD_WEIGHT * kw)
            passage_terms = set(tokens(passage))
            terms = self.keywords.matched_terms(weights, passage_terms | self._name_terms[pid])
            relevance = 1.0
            if vector is not None:
                relevance = relevance_of(**self.relevance_features(query, practice, passage, similarity, passage_terms, weights))
            matches.append(Match(practice, score, cosine, kw, section, passage, tuple(terms), relevance, relevance < RELEVANCE_FLOOR,
                                 self.documents.get(document_id), page))
        matches.sort(key=lambda m: (-m.score, m.practice.id))
        if not matches:
            notices.append("no_results")
        return SearchResult(query, matches[:top_k], notices, (time.perf_counter() - started) * 1000, vector)


@dataclass(frozen=True)
class Excerpt:
    """What a result card shows of a match: record text with its [n] marks, in `lang`."""

    text: str
    lang: str  # "id" for record sections (written in Bahasa Indonesia); the summary comes in both
    cut_before: bool = False  # sentences of the passage were left out before / after the text
    cut_after: bool = False


def excerpt(engine: SearchEngine, match: Match, lang: str, vector: np.ndarray | None, around: int = 1) -> Excerpt:
    """The part of a match to show: the summary in the interface language, or the passage's
    sentence closest to the query with `around` sentences on each side."""
    practice = match.practice
    if match.section == "summary":
        return Excerpt(practice.summary_en, "en") if lang == "en" else Excerpt(practice.summary, "id")
    pieces = [without_emphasis(sentence) for paragraph in paragraphs(match.passage) for sentence in split_sentences(paragraph)]
    lang_of = "und" if match.document else "id"  # a document's language is not known
    if len(pieces) <= 2 * around + 1 or vector is None:
        return Excerpt(" ".join(pieces), lang_of)
    sentences, vectors = engine.document_sentences(match.document.id) if match.document else engine.sentences(practice)
    similarity = {s.text: float(v @ vector) for s, v in zip(sentences, vectors)}
    scores = [similarity.get(sentence_text(piece), -1.0) for piece in pieces]
    best = int(np.argmax(scores))
    low, high = max(0, best - around), min(len(pieces), best + around + 1)
    if high - low < 2 * around + 1:  # at an end: take the window's full width from the other side
        low, high = (0, 2 * around + 1) if low == 0 else (len(pieces) - 2 * around - 1, len(pieces))
    return Excerpt(" ".join(pieces[low:high]), lang_of, low > 0, high < len(pieces))
