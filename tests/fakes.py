"""A small deterministic embedder for unit tests of index mechanics (not of search quality)."""

import hashlib

import numpy as np

from rujukan.keyword import tokens


class HashingEmbedder:
    """Bag of hashed tokens -> unit vector. Counts every passage it embeds."""

    def __init__(self, dimension: int = 64, identity: str = "test:hashing") -> None:
        self.dimension = dimension
        self.identity = identity
        self.passages_embedded = 0

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dimension, dtype=np.float32)
        for tok in tokens(text) or ["empty"]:
            v[int(hashlib.md5(tok.encode()).hexdigest(), 16) % self.dimension] += 1.0
        return v / np.linalg.norm(v)

    def embed_queries(self, texts):
        return np.vstack([self._vector(t) for t in texts])

    def embed_passages(self, texts, batch_size: int = 32):
        self.passages_embedded += len(texts)
        return np.vstack([self._vector(t) for t in texts])
