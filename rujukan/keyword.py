"""A keyword ranking (BM25) over chunks: finds exact names, acronyms and regulation numbers."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict

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
    """BM25 over documents held in memory, scored through an inverted index."""

    def __init__(self, documents: dict[str, str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._postings: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self._length: dict[str, int] = {}
        for doc_id, text in documents.items():
            counts = Counter(tokens(text))
            self._length[doc_id] = sum(counts.values())
            for term, n in counts.items():
                self._postings[term].append((doc_id, n))
        self._n = len(documents)
        self._avg = (sum(self._length.values()) / self._n) if self._n else 0.0

    def idf(self, term: str) -> float:
        df = len(self._postings.get(term, ()))
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> dict[str, float]:
        """doc id -> BM25 score, for documents sharing at least one query term."""
        result: dict[str, float] = defaultdict(float)
        for term in set(tokens(query)):
            postings = self._postings.get(term)
            if not postings:
                continue
            idf = self.idf(term)
            for doc_id, tf in postings:
                norm = self.k1 * (1 - self.b + self.b * self._length[doc_id] / self._avg)
                result[doc_id] += idf * tf * (self.k1 + 1) / (tf + norm)
        return dict(result)

    def matched_terms(self, query: str, text: str) -> list[str]:
        """The query's terms that occur in text, rarest first: the 'why' of a keyword match."""
        present = set(tokens(text))
        terms = {t for t in tokens(query) if t in present}
        return sorted(terms, key=lambda t: (-self.idf(t), t))
