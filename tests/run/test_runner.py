"""The runner as a user meets it: bad files next to good minutes, caching, the names key."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core import config
from pipeline.core.errors import BoardFileError, InputError
from pipeline.run.runner import RunOptions, analyse

BAD = {
    "empty.pdf": ("error", "empty"),
    "truncated.pdf": ("error", "corrupt"),
    "encrypted.pdf": ("error", "password"),
    "not-a-word-file.docx": ("error", "not a Word"),
    "random-bytes.txt": ("error", "text"),
}


@pytest.fixture
def mixed_corpus(tmp_path: Path, fixtures_dir: Path) -> Path:
    """Good minutes beside every kind of bad file the README promises to cope with."""
    corpus = tmp_path / "forum"
    corpus.mkdir()
    for name in ["mini-minutes.pdf", "mini-minutes.docx", *BAD]:
        shutil.copy(fixtures_dir / name, corpus / name)
    shutil.copy(fixtures_dir / "mini-minutes.pdf", corpus / "copy-of-minutes.pdf")
    for name in ["broken.html", "zero-pages.pdf", "mini-minutes-scan.pdf"]:
        shutil.copy(fixtures_dir / name, corpus / name)
    (corpus / "budget.xlsx").write_bytes(b"PK\x03\x04 not really a spreadsheet")
    # Over the size limit the test sets (1 MB), so skipped unread.
    (corpus / "huge-papers.txt").write_text("Board papers. " * 80_000, encoding="utf-8")
    outside = tmp_path / "private.txt"
    outside.write_text("Minutes of a private meeting held on 1 May 2024.")
    (corpus / "link.txt").symlink_to(outside)
    return corpus


def _documents(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "tables" / "documents.parquet").set_index("source")


@pytest.mark.slow
def test_bad_files_get_a_row_and_a_message_and_the_run_finishes(
    mixed_corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    analyse(
        RunOptions(corpus=mixed_corpus, out=out, workers=1, use_embeddings=False, max_file_mb=1.0)
    )
    docs = _documents(out)
    expected_files = sorted(p.name for p in mixed_corpus.iterdir())
    assert sorted(docs.index) == expected_files
    for name, (status, phrase) in BAD.items():
        assert docs.loc[name, "status"] == status, name
        assert phrase.lower() in docs.loc[name, "message"].lower(), (
            name,
            docs.loc[name, "message"],
        )
    # Files are read in path order, so the copy is seen first and the original is the duplicate.
    assert docs.loc["copy-of-minutes.pdf", "status"] == "ok"
    assert docs.loc["mini-minutes.pdf", "status"] == "duplicate"
    assert "copy-of-minutes.pdf" in docs.loc["mini-minutes.pdf", "message"]
    assert docs.loc["budget.xlsx", "status"] == "skipped"
    assert docs.loc["link.txt", "status"] == "skipped"
    assert "outside the corpus" in docs.loc["link.txt", "message"]
    # The Word file, the scan and the web page are of the PDF's meeting: read, counted once.
    for copy in ("mini-minutes.docx", "mini-minutes-scan.pdf", "broken.html"):
        assert docs.loc[copy, "status"] == "same_meeting", copy
        assert "copy-of-minutes.pdf" in docs.loc[copy, "message"], copy
    assert docs.loc["huge-papers.txt", "status"] == "skipped"
    assert "limit" in docs.loc["huge-papers.txt", "message"]
    assert docs.loc["zero-pages.pdf", "status"] == "error"
    assert "no pages" in docs.loc["zero-pages.pdf", "message"]
    assert docs.loc["broken.html", "n_words"] > 0  # read despite its broken markup
    assert docs.loc["mini-minutes-scan.pdf", "ocr_pages"] == 2
    # Every file that is not plainly fine says why.
    assert ((docs["message"].str.len() > 0) | docs["status"].eq("ok")).all()
    # The PDF's content is analysed once, under the first path it was found at; its meeting
    # once, from the most complete of its four readings.
    meetings = pd.read_parquet(out / "tables" / "meetings.parquet")
    assert sorted(meetings["source"]) == ["copy-of-minutes.pdf"]
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    for name in BAD:
        assert name in html
    # Page texts keep real names: `involve ingest` writes them when asked, analyse never does.
    assert not list((out / "tables").glob("pages.*"))


@pytest.mark.slow
def test_unchanged_inputs_are_not_reanalysed_and_a_changed_file_is_reextracted(
    mixed_corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    opts = RunOptions(corpus=mixed_corpus, out=out, workers=1, use_embeddings=False)
    first = analyse(opts)
    assert not first.up_to_date and first.extracted > 0
    assert analyse(opts).up_to_date
    (mixed_corpus / "mini-minutes.docx").unlink()
    (mixed_corpus / "notes.md").write_text("# Note\n\nMinutes of the meeting held on 2 May 2024.\n")
    third = analyse(opts)
    assert not third.up_to_date
    assert third.extracted == 1  # only the new file; every other text comes from the cache


@pytest.mark.slow
def test_an_up_to_date_run_loads_none_of_the_stages(mixed_corpus: Path, tmp_path: Path) -> None:
    """Re-running on unchanged inputs is cheap: spaCy, scikit-learn and torch take seconds to
    import, and an up-to-date run needs none of them."""
    out = tmp_path / "out"
    analyse(RunOptions(corpus=mixed_corpus, out=out, workers=1, use_embeddings=False))
    code = (
        "import sys; from pathlib import Path; "
        "from pipeline.run.runner import RunOptions, analyse; "
        f"r = analyse(RunOptions(corpus=Path({str(mixed_corpus)!r}), out=Path({str(out)!r}), "
        "workers=1, use_embeddings=False)); "
        "heavy = ('spacy', 'sklearn', 'torch', 'matplotlib'); "
        "print(r.up_to_date, sorted(m for m in heavy if m in sys.modules))"
    )
    printed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert printed == "True []"


@pytest.mark.slow
def test_names_key_is_written_only_when_asked_and_never_under_outputs(
    mixed_corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with pytest.raises(InputError, match="names key"):
        analyse(
            RunOptions(
                corpus=mixed_corpus, out=out, names_key=out / "key.json", use_embeddings=False
            )
        )
    key = tmp_path / "private" / "key.json"
    analyse(
        RunOptions(corpus=mixed_corpus, out=out, names_key=key, workers=1, use_embeddings=False)
    )
    mapping = json.loads(key.read_text())
    assert "Tomasz Nowicki" in mapping.values()
    assert all(not p.name.endswith("key.json") for p in out.rglob("*"))


def test_malformed_board_file_names_the_file_member_and_field(
    tmp_path: Path, fixtures_dir: Path
) -> None:
    corpus = tmp_path / "board"
    corpus.mkdir()
    shutil.copy(fixtures_dir / "mini-minutes.pdf", corpus)
    (corpus / config.BOARD_FILE).write_text(
        "members:\n  - {name: Gillian Harcourt, role: chairperson}\n"
    )
    with pytest.raises(BoardFileError) as err:
        analyse(RunOptions(corpus=corpus, out=tmp_path / "out", use_embeddings=False))
    message = str(err.value)
    assert "board.yaml" in message and "Gillian Harcourt" in message and "'role'" in message
    assert "service_user" in message  # says which roles are allowed


def test_empty_or_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such folder"):
        analyse(RunOptions(corpus=tmp_path / "nope", out=tmp_path / "out"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no documents"):
        analyse(RunOptions(corpus=tmp_path / "empty", out=tmp_path / "out"))
