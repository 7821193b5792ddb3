"""Adding a meeting to an analysed board: what a run takes from the per-text caches
(pipeline.core.textcache) must leave every table byte for byte as a cold run writes it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from pipeline.core import config
from pipeline.run.runner import RunOptions, analyse

pytestmark = pytest.mark.slow


def _tables(out: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((out / "tables").iterdir())
    }


def _second_meeting(first: Path, to: Path) -> None:
    """Another meeting of the same forum: a later date and words in every paragraph changed,
    so that none of its units is a text the cache has seen."""
    text = first.read_text(encoding="utf-8")
    assert "14 March 2024" in text
    to.write_text(
        text.replace("14 March 2024", "9 May 2024").replace(" the ", " this "), encoding="utf-8"
    )


def _run(corpus: Path, out: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVOLVE_CACHE_DIR", str(cache))
    result = analyse(RunOptions(corpus=corpus, out=out, workers=1, use_embeddings=False))
    assert not result.up_to_date


def test_a_meeting_added_with_the_caches_warm_gives_the_tables_of_a_cold_run(
    tmp_path: Path, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "forum"
    corpus.mkdir()
    shutil.copy(fixtures_dir / "mini-minutes.md", corpus / "2024-03-14-minutes.md")
    warm = tmp_path / "cache"
    out = tmp_path / "out"
    _run(corpus, out, warm, monkeypatch)
    # The per-text results of the first meeting are in the cache for the next run.
    for namespace in ("lemmas", "focus-features", "seed-counts", "scope-parts"):
        assert list((warm / namespace).rglob("*.json")), namespace
    if config.ner_in_use():
        assert list((warm / "ner").rglob("*.json"))
    _second_meeting(corpus / "2024-03-14-minutes.md", corpus / "2024-05-09-minutes.md")
    _run(corpus, out, warm, monkeypatch)  # the first meeting's texts from the cache

    cold = tmp_path / "cold"
    _run(corpus, cold, tmp_path / "empty-cache", monkeypatch)
    assert len(_tables(cold)) >= 2 * len(config.ANALYSIS_TABLES)
    assert _tables(out) == _tables(cold)
    # Every text is cached now: a run that computes none of them writes the same again.
    again = tmp_path / "again"
    _run(corpus, again, warm, monkeypatch)
    assert _tables(again) == _tables(cold)
