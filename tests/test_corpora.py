"""The committed corpora, their codebooks and their hand-coded gold files agree with each other.

The second board (corpora/calderbrook) exists to show that the classifiers are not tuned to the
demo's vocabulary, so its gold must cover every meeting, use only labels the coding manual and its
codebook allow, quote its units exactly as the source text writes them, and its documents must be
exactly what its source text builds.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from pipeline.core import config
from pipeline.core.io import load_board, load_codebook
from pipeline.core.textkey import normalise

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "corpora" / "build"
sys.path.insert(0, str(BUILD))  # render.py is a script folder, not a package

from render import build, parse_source  # noqa: E402

# corpus name -> (codebook, gold file)
CORPORA = {
    "demo": (REPO / "themes" / "demo-survey-2022.yaml", REPO / "tests" / "gold" / "demo.csv"),
    "calderbrook": (
        REPO / "themes" / "calderbrook-survey-2023.yaml",
        REPO / "tests" / "gold" / "calderbrook.csv",
    ),
}
GOLD_COLUMNS = ["source", "text", "focus", "outcome_scope", "speaker_role", "theme"]


def _gold(name: str) -> list[dict[str, str]]:
    with CORPORA[name][1].open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == GOLD_COLUMNS
        return list(reader)


def _sources(name: str) -> list[tuple[Path, str]]:
    """(source file, its text) for every source document of a corpus."""
    return [
        (p, p.read_text(encoding="utf-8")) for p in sorted((BUILD / name / "docs").glob("*.txt"))
    ]


@pytest.mark.parametrize("name", ["calderbrook"])
def test_gold_covers_every_meeting_and_only_the_corpus_minutes(name: str) -> None:
    minutes = {
        p.relative_to(REPO / "corpora" / name).as_posix()
        for p in (REPO / "corpora" / name / "minutes").iterdir()
    }
    sources = {row["source"] for row in _gold(name)}
    assert sources == minutes
    assert len(minutes) == 10


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_gold_labels_are_the_coding_manuals_and_the_codebooks(name: str) -> None:
    themes = set(load_codebook(CORPORA[name][0]).ids) | {"other"}
    for i, row in enumerate(_gold(name), start=2):
        assert row["focus"] in config.FOCUS_LABELS, i
        assert row["speaker_role"] in config.SPEAKER_ROLES, i
        assert row["theme"] in themes, (i, row["theme"])
        if row["focus"] == "outcome":
            assert row["outcome_scope"] in config.SCOPE_LABELS, i
        else:
            assert row["outcome_scope"] == "", i


@pytest.mark.parametrize("name", ["calderbrook"])
def test_gold_units_are_the_source_paragraphs_word_for_word(name: str) -> None:
    """Every paragraph of the minutes is coded once, in order, with the source's own words."""
    expected: list[tuple[str, str]] = []
    for path, text in _sources(name):
        doc = parse_source(text, str(path))
        if doc.file.startswith("minutes/"):
            expected += [
                (doc.file, b.text + "".join("\n- " + item for item in b.items))
                for b in doc.blocks
                if b.kind == "paragraph"
            ]
    got = [(row["source"], row["text"]) for row in _gold(name)]
    assert sorted(got) == sorted(expected)
    # validate joins gold to units by their words within a source, so no two may share them
    assert len({(source, normalise(text)) for source, text in got}) == len(got)


@pytest.mark.parametrize("name", ["calderbrook"])
def test_board_file_names_every_representative(name: str) -> None:
    board = load_board(REPO / "corpora" / name)
    assert board is not None
    roles = [m.role for m in board.members]
    assert roles.count("chair") == 1
    assert {"service_user", "carer", "lay", "member", "officer"} <= set(roles)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CORPORA))
def test_rebuilding_the_corpus_gives_identical_documents(name: str, tmp_path: Path) -> None:
    written = build(BUILD / name / "docs", tmp_path)
    assert written
    for path in written:
        rel = path.relative_to(tmp_path)
        committed = REPO / "corpora" / name / rel
        assert committed.exists(), f"{rel} is not committed; run make demo-corpus / second-corpus"
        assert path.read_bytes() == committed.read_bytes(), f"{name}/{rel} differs from its source"
