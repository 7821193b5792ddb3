"""Per-text results kept between runs: computed once, bad entries recomputed, --force honoured."""

from __future__ import annotations

from pathlib import Path

from pipeline.core import io
from pipeline.core.textcache import PerText


def _upper(texts: list[str], calls: list[list[str]]):  # type: ignore[no-untyped-def]
    def compute(positions: list[int]) -> list[str]:
        calls.append([texts[i] for i in positions])
        return [texts[i].upper() for i in positions]

    return compute


def _as_text(entry: object) -> str | None:
    return entry if isinstance(entry, str) else None


def test_only_texts_not_seen_before_are_computed_each_once(tmp_path: Path) -> None:
    cache = io.Cache(tmp_path)
    calls: list[list[str]] = []
    first = ["a", "b", "a"]
    assert PerText(cache, "t", "v1").map(first, _upper(first, calls), load=_as_text, dump=str) == [
        "A",
        "B",
        "A",
    ]
    second = ["b", "c", "a", "c"]
    assert PerText(cache, "t", "v1").map(
        second, _upper(second, calls), load=_as_text, dump=str
    ) == ["B", "C", "A", "C"]
    assert calls == [["a", "b"], ["c"]]


def test_another_version_a_bad_entry_and_force_all_compute_again(tmp_path: Path) -> None:
    cache = io.Cache(tmp_path)
    texts = ["a"]
    calls: list[list[str]] = []
    PerText(cache, "t", "v1").map(texts, _upper(texts, calls), load=_as_text, dump=str)
    # A changed lexicon or model is another version: nothing stored under the old one is used.
    PerText(cache, "t", "v2").map(texts, _upper(texts, calls), load=_as_text, dump=str)
    assert len(calls) == 2
    for entry in (tmp_path / "t").rglob("*.json"):
        entry.write_text("[1, 2]", encoding="utf-8")  # valid JSON of the wrong shape
    assert PerText(cache, "t", "v1").map(texts, _upper(texts, calls), load=_as_text, dump=str) == [
        "A"
    ]
    assert len(calls) == 3
    forced = io.Cache(tmp_path, write_only=True)
    PerText(forced, "t", "v1").map(texts, _upper(texts, calls), load=_as_text, dump=str)
    assert len(calls) == 4, "--force computes again"


def test_without_a_cache_every_text_is_computed_as_given(tmp_path: Path) -> None:
    texts = ["a", "a"]
    calls: list[list[str]] = []
    assert PerText(None, "t", "v1").map(texts, _upper(texts, calls), load=_as_text, dump=str) == [
        "A",
        "A",
    ]
    assert calls == [["a", "a"]]
