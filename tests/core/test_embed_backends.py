"""The sentence model's backends: the int8 one reads texts as the float32 reference does, and
neither ever reads the other's cached vectors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from pipeline.core import embed, io
from pipeline.core.errors import InputError

SENTENCES = [
    "The crisis line will be staffed overnight from April.",
    "Out of hours telephone support for people in a mental health crisis.",
    "The minutes of the previous meeting were agreed as a correct record.",
    "Carers asked for respite breaks to be easier to book.",
    "Short breaks for family carers looking after a relative.",
    "The Board noted the budget for next year.",
]


class NamedModel:
    """A fake model under a backend's name that remembers what it was asked to encode."""

    def __init__(self, name: str, value: float) -> None:
        self.name = name
        self.value = value
        self.seen: Counter[str] = Counter()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.update(texts)
        return np.full((len(texts), 4), self.value, dtype=np.float32)


def test_vectors_cached_by_one_backend_are_never_read_by_the_other(tmp_path: Path) -> None:
    cache = io.Cache(tmp_path)
    reference = NamedModel(embed.model_name("torch"), 0.5)
    embed.CachedEmbedder(reference, cache).encode(["carers asked"])
    quantised = NamedModel(embed.model_name("int8"), 0.25)
    vectors = embed.CachedEmbedder(quantised, cache).encode(["carers asked"])
    assert quantised.seen == Counter({"carers asked": 1})
    assert np.allclose(vectors, 0.25)


def test_the_reference_keeps_the_name_its_vectors_were_cached_under() -> None:
    # Vectors cached before there were backends were the float32 model's: still valid for it.
    assert embed.model_name("torch") == embed.MODEL_NAME
    assert embed.model_name("int8") != embed.MODEL_NAME


def test_the_backend_is_the_reference_unless_the_environment_asks_for_another(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("INVOLVE_EMBED_BACKEND", raising=False)
    assert embed.backend() == "torch"
    monkeypatch.setenv("INVOLVE_EMBED_BACKEND", "Int8")
    assert embed.backend() == "int8"
    monkeypatch.setenv("INVOLVE_EMBED_BACKEND", "onnx")
    with pytest.raises(InputError, match="int8, torch"):
        embed.backend()


@pytest.mark.slow  # loads the sentence model twice
def test_the_int8_backend_reads_sentences_as_the_reference_does() -> None:
    reference, quantised = embed.load("torch"), embed.load("int8")
    if reference is None or quantised is None:
        pytest.skip(embed.HINT)
    assert quantised.name != reference.name
    ref, q = reference.encode(SENTENCES), quantised.encode(SENTENCES)
    cosine = (ref * q).sum(axis=1) / np.linalg.norm(ref, axis=1) / np.linalg.norm(q, axis=1)
    # Measured on about 1,700 real unit texts: mean 0.973, least 0.92 (README, "Speed").
    assert cosine.min() > 0.9 and cosine.mean() > 0.95
    # What matters downstream: a sentence's clearly nearest other sentence stays its nearest.
    # (Not the second's: the reference puts the first sentence only 0.02 closer to it than the
    # fifth, less than the backends differ by, and int8 swaps them.)
    for vectors in (ref, q):
        np.fill_diagonal(sims := vectors @ vectors.T, -1.0)
        assert list(sims.argmax(axis=1)[[0, 3, 4]]) == [1, 4, 3]
