"""Shared test set-up: an isolated cache, no network, one OCR thread, and the fixture folder."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.ingest import Extracted, extract

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures" / "files"


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the user's cache, reaches a model hub, or oversubscribes cores."""
    monkeypatch.setenv("INVOLVE_CACHE_DIR", str(tmp_path_factory.mktemp("involve-cache")))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """tests/fixtures/files: small real documents made by tests/fixtures/make_fixtures.py."""
    return FIXTURES_DIR


# --------------------------------------------------------------------------- the fixture source
SOURCE_FILE = Path(__file__).resolve().parent / "fixtures" / "src" / "mini-minutes.txt"


@dataclass(frozen=True)
class Source:
    """What tests/fixtures/src/mini-minutes.txt says, read independently of the pipeline."""

    front: dict[str, str]
    headings: list[str]  # headings in order, without the '#' marks
    paragraphs: list[str]  # running text, each paragraph's wrapped lines joined
    lists: list[tuple[str, list[str]]]  # (lead-in, items); the lead-in is a heading or a sentence
    table: list[list[str]]  # rows of cells, header row first

    @property
    def header(self) -> str:
        return self.front["header"]

    @property
    def footer(self) -> str:
        return self.front["footer"]


def read_source(path: Path = SOURCE_FILE) -> Source:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "---", "the fixture source starts with front matter"
    end = lines.index("---", 1)
    front = dict(line.split(": ", 1) for line in lines[1:end])
    headings: list[str] = []
    paragraphs: list[str] = []
    lists: list[tuple[str, list[str]]] = []
    table: list[list[str]] = []
    chunks: list[list[str]] = [[]]
    for line in lines[end + 1 :]:
        if line.strip():
            chunks[-1].append(line.strip())
        elif chunks[-1]:
            chunks.append([])
    for chunk in (c for c in chunks if c):
        if chunk[0].startswith("|"):
            table = [
                [c.strip() for c in row.strip("|").split("|")]
                for row in chunk
                if not set(row) <= set("|-: ")
            ]
            continue
        lead = [ln for ln in chunk if not ln.startswith("- ")]
        items = [ln[2:] for ln in chunk if ln.startswith("- ")]
        text = " ".join(lead)
        if text.startswith("#"):
            text = text.lstrip("#").strip()
            headings.append(text)
        else:
            paragraphs.append(text)
        if items:
            lists.append((text, items))
    return Source(front, headings, paragraphs, lists, table)


@pytest.fixture(scope="session")
def source() -> Source:
    return read_source()


# --------------------------------------------------------------------------- extraction, once
@pytest.fixture(scope="session")
def extracted(fixtures_dir: Path) -> Callable[[str], Extracted]:
    """``extracted(name)``: the fixture file read by ``ingest.extract``, once per session.

    OCR costs seconds a page, so every test that needs a scanned fixture shares one reading.
    """
    # (pipeline.ingest.ocr runs tesseract with OMP_THREAD_LIMIT=1 whatever the environment.)

    @functools.cache
    def read(name: str) -> Extracted:
        return extract(name, (fixtures_dir / name).read_bytes())

    return read
