"""A keyword ranking (BM25) over chunks, which finds exact names, acronyms and regulation numbers,
and the words that tell a question's language."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np

WORD = re.compile(r"[0-9a-z]+(?:[/.\-][0-9a-z]+)*")
#: Frequent Indonesian and English words that carry no meaning for ranking.
STOPWORDS = frozenset(
    """yang dan di ke dari untuk dengan pada dalam ini itu atau juga oleh sebagai adalah agar
    akan bisa dapat ada tidak apa bagaimana gimana caranya cara kami kita saya anda mereka tersebut
    para per serta setiap karena sudah telah hal lebih secara antara masih harus the a an of to in
    for and or on by with is are was were be how what which who where when do does can our we i
    it its this that from at as about""".split()
)


def tokens(text: str) -> list[str]:
    """Lower-case words; a compound like '32/2021' or 'e-sptpd' also yields its parts."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    out: list[str] = []
    for word in WORD.findall(folded):
        parts = re.split(r"[/.\-]", word)
        if len(parts) > 1:
            out.append(word)
        out.extend(p for p in parts if p and p not in STOPWORDS)
    return out


class KeywordIndex:
    """BM25 over documents held in memory; postings are numpy arrays so a query costs
    a few vector additions, not a Python loop over every matching document."""

    def __init__(self, documents: dict[str, str], k1: float = 1.2, b: float = 0.75) -> None:
        self._ids = list(documents)
        counts = [Counter(tokens(text)) for text in documents.values()]
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        norm = k1 * (1 - b + b * lengths / (lengths.mean() if len(lengths) else 1.0))
        postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for doc, doc_counts in enumerate(counts):
            for term, tf in doc_counts.items():
                docs, weights = postings[term]
                docs.append(doc)
                weights.append(tf * (k1 + 1) / (tf + norm[doc]))
        self._postings = {t: (np.array(d, dtype=np.int64), np.array(w, dtype=np.float32)) for t, (d, w) in postings.items()}

    def idf(self, term: str) -> float:
        df = len(self._postings[term][0]) if term in self._postings else 0
        return math.log(1 + (len(self._ids) - df + 0.5) / (df + 0.5))

    def top(self, query: str, n: int) -> list[tuple[str, float]]:
        """The n best (doc id, BM25 score) pairs among documents sharing a query term, best first."""
        acc = np.zeros(len(self._ids), dtype=np.float32)
        for term in set(tokens(query)):
            if term in self._postings:
                docs, weights = self._postings[term]
                acc[docs] += self.idf(term) * weights  # a term occurs once per posting list
        hits = np.flatnonzero(acc)
        if len(hits) > n:
            hits = hits[np.argpartition(-acc[hits], n - 1)[:n]]
        hits = hits[np.argsort(-acc[hits], kind="stable")]
        return [(self._ids[i], float(acc[i])) for i in hits]

    def matched_terms(self, query_terms: Iterable[str], present: set[str]) -> list[str]:
        """The query's terms (tokens()) that are among a text's `present` terms, rarest first: the
        'why' of a keyword match."""
        return sorted(set(query_terms) & present, key=lambda t: (-self.idf(t), t))


def highlight(text: str, terms: Iterable[str]) -> list[tuple[str, bool]]:
    """The text cut into (piece, is a matched word) pieces, in order: the words whose tokens are
    among `terms` (as tokens() makes them) are the matched pieces. Joined, the pieces are the text."""
    wanted = set(terms)
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in re.finditer(r"[^\W_]+(?:[/.\-][^\W_]+)*", text):
        word = match.group(0)
        if wanted & set(tokens(word)) or "".join(tokens(word)) in wanted:
            if match.start() > at:
                pieces.append((text[at : match.start()], False))
            pieces.append((word, True))
            at = match.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


#: Words that tell an English question from an Indonesian one (detect_lang).
_ENGLISH = frozenset(
    """the what which who whom whose when where why how is are was were does did do has have
    had much many of for to in on and with cost costs budget legal basis start started run runs
    agency results result lessons replicate study studied who's what's how's city practice
    programme program fund funds by from about long it its there their they can could""".split()
)
_INDONESIAN = frozenset(
    """apa apakah siapa kapan dimana mana berapa bagaimana gimana mengapa kenapa yang dan di ke
    dari untuk dengan pada dalam ini itu atau juga oleh sebagai adalah dana biaya dasar hukum
    mulai dimulai hasil pelajaran cara mereplikasi mempelajari menjalankan warga kota kabupaten
    program tahun sudah telah berapa per""".split()
)


def detect_lang(question: str) -> str:
    """'en' when the question has more English than Indonesian marker words, else 'id'."""
    words = re.findall(r"[a-z']+", question.lower())
    en = sum(w in _ENGLISH for w in words)
    idn = sum(w in _INDONESIAN for w in words)
    return "en" if en > idn else "id"
