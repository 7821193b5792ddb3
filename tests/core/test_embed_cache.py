"""Each distinct text is embedded once per run, shared by every stage that asks for it.

The sentence model is most of an analysis's CPU: theme coding, item titles, uptake and topics
all ask for vectors, often of the same texts. A fake model that counts what it is given stands in
for the real one, so these tests say how often a text would be embedded, not how fast.
"""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from pipeline.core import embed, io
from pipeline.run import runner


class CountingModel:
    """Deterministic vectors from a text's hash; remembers every text it was asked to encode."""

    name = "counting-model"

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.update(texts)
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
            v = np.random.default_rng(seed).normal(size=32)
            rows.append(v / np.linalg.norm(v))
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), 32)


def test_a_forced_run_embeds_each_text_once_and_gives_the_same_vector_each_time(
    tmp_path: Path,
) -> None:
    model = CountingModel()
    # --force: the disk cache takes writes only, so it cannot be what prevents a second encoding.
    embedder = embed.CachedEmbedder(model, io.Cache(tmp_path, write_only=True))
    first = embedder.encode(["carers asked", "crisis line", "carers asked"])
    second = embedder.encode(["crisis line", "housing"])
    assert model.seen == Counter({"carers asked": 1, "crisis line": 1, "housing": 1})
    assert np.array_equal(first[0], first[2])
    assert np.array_equal(first[1], second[0])
    assert first.dtype == np.float32 and first.shape == (3, 32)


def test_the_next_run_embeds_only_the_new_texts_with_vectors_as_before(tmp_path: Path) -> None:
    before = embed.CachedEmbedder(CountingModel(), io.Cache(tmp_path))
    old = before.encode(["minutes agreed", "carers asked"])
    model = CountingModel()
    after = embed.CachedEmbedder(model, io.Cache(tmp_path))
    again = after.encode(["carers asked", "minutes agreed", "a new meeting's paragraph"])
    assert model.seen == Counter({"a new meeting's paragraph": 1})
    # Read from disk or freshly encoded, a text's vector is the same to the last digit.
    assert np.array_equal(again[0], old[1]) and np.array_equal(again[1], old[0])


@pytest.mark.slow  # analyses a corpus with the sentence model
def test_every_stage_of_a_forced_analysis_shares_one_embedding_per_text(
    tmp_path: Path, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = CountingModel()
    monkeypatch.setattr(embed, "load", lambda: model)
    corpus = tmp_path / "forum"
    corpus.mkdir()
    for name in ("mini-minutes.pdf", "mini-minutes.docx"):
        shutil.copy(fixtures_dir / name, corpus)
    opts = runner.RunOptions(corpus=corpus, out=tmp_path / "out", force=True, workers=1)
    runner.analyse(opts)
    assert model.seen, "the analysis asked for no vectors at all"
    repeated = {text: n for text, n in model.seen.items() if n > 1}
    assert repeated == {}


@pytest.mark.parametrize(
    "entry",
    [
        "not a list",
        [],
        ["0.1", "0.2"],
        [True, False],
        [[0.1, 0.2], [0.3, 0.4]],
        [[0.1], [0.2, 0.3]],
        [None, 0.5],
        {"vector": [0.1]},
    ],
    ids=["string", "empty", "strings", "booleans", "nested", "ragged", "null", "object"],
)
def test_a_damaged_cache_entry_is_embedded_again_not_trusted(tmp_path: Path, entry: object) -> None:
    cache = io.Cache(tmp_path)
    model = CountingModel()
    key = hashlib.sha1(f"{model.name}\0the crisis line".encode()).hexdigest()
    cache.put("embed", key, entry)
    vectors = embed.CachedEmbedder(model, cache).encode(["the crisis line"])
    assert model.seen["the crisis line"] == 1
    assert vectors.shape == (1, 32)
    # The entry is replaced by the good vector: the next run reads it.
    again = CountingModel()
    assert np.allclose(embed.CachedEmbedder(again, cache).encode(["the crisis line"]), vectors)
    assert not again.seen


def test_the_next_run_reads_the_vectors_a_run_kept_from_one_pack(tmp_path: Path) -> None:
    cache = io.Cache(tmp_path)
    before = embed.CachedEmbedder(CountingModel(), cache)
    old = before.encode(["minutes agreed", "carers asked"])
    before.keep()
    # With every per-text file gone, the pack alone gives the vectors, to the last digit.
    shutil.rmtree(tmp_path / "embed")
    model = CountingModel()
    after = embed.CachedEmbedder(model, cache)
    again = after.encode(["carers asked", "minutes agreed", "a new meeting's paragraph"])
    assert model.seen == Counter({"a new meeting's paragraph": 1})
    assert np.array_equal(again[0], old[1]) and np.array_equal(again[1], old[0])
    after.keep()
    assert set(embed.read_pack(cache, model.name)) == set(after._memo)
    assert len(embed.read_pack(cache, model.name)) == 3


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a zip", b"PK\x03\x04 truncated"],
    ids=["empty", "garbage", "truncated zip"],
)
def test_a_damaged_pack_is_a_miss_not_a_crash(tmp_path: Path, damage: bytes) -> None:
    cache = io.Cache(tmp_path)
    first = embed.CachedEmbedder(CountingModel(), cache)
    vectors = first.encode(["the crisis line"])
    first.keep()
    cache.put_blob(embed.PACK_NAMESPACE, embed._pack_key(CountingModel.name), damage)
    assert embed.read_pack(cache, CountingModel.name) == {}
    model = CountingModel()
    # The per-text file still answers.
    assert np.array_equal(embed.CachedEmbedder(model, cache).encode(["the crisis line"]), vectors)
    assert not model.seen


def test_a_pack_of_the_wrong_shape_is_not_trusted(tmp_path: Path) -> None:
    cache = io.Cache(tmp_path)
    good = {"a" * 40: np.ones(4, dtype=np.float32)}
    embed.write_pack(cache, "m", good)
    assert set(embed.read_pack(cache, "m")) == {"a" * 40}
    import io as bytes_io

    for keys, rows in (
        (np.asarray([b"a" * 40, b"b" * 40], dtype="S40"), np.ones((1, 4), np.float32)),
        (np.asarray([b"a" * 40], dtype="S40"), np.ones((1, 4), np.float64)),
        (np.asarray([b"a" * 40], dtype="S40"), np.full((1, 4), np.nan, np.float32)),
        (np.asarray([1.0]), np.ones((1, 4), np.float32)),
    ):
        buffer = bytes_io.BytesIO()
        np.savez(buffer, keys=keys, vectors=rows)
        cache.put_blob(embed.PACK_NAMESPACE, embed._pack_key("m"), buffer.getvalue())
        assert embed.read_pack(cache, "m") == {}
