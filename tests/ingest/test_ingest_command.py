"""`involve ingest` as a user runs it: tables of documents and page texts, cached, in parallel."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pypdfium2 as pdfium
import pytest
from conftest import Source
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.core import io, schemas
from pipeline.ingest import ingest_rows
from pipeline.run import runner
from pipeline.run.runner import IngestOptions, ingest_corpus

cli = CliRunner()
GOOD = ["mini-minutes.pdf", "mini-minutes.docx", "mini-minutes.md"]
BAD = ["empty.pdf", "encrypted.pdf", "random-bytes.txt"]


@pytest.fixture
def corpus(tmp_path: Path, fixtures_dir: Path) -> Path:
    """Minutes in three formats beside three files that cannot be read."""
    folder = tmp_path / "forum"
    folder.mkdir()
    for name in GOOD + BAD:
        shutil.copy(fixtures_dir / name, folder / name)
    return folder


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / "tables" / f"{name}.parquet")


def test_ingest_writes_a_row_per_file_and_per_page(
    corpus: Path, tmp_path: Path, fixtures_dir: Path, source: Source
) -> None:
    out = tmp_path / "ingested"
    result = cli.invoke(app, ["ingest", str(corpus), "--out", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    for name in ("documents", "pages"):
        assert (out / "tables" / f"{name}.parquet").exists()
        assert (out / "tables" / f"{name}.csv").exists()
    documents = _table(out, "documents").set_index("source")
    assert sorted(documents.index) == sorted(GOOD + BAD)
    assert (documents.loc[GOOD, "status"] == "ok").all()
    assert (documents.loc[BAD, "status"] == "error").all()
    pages = _table(out, "pages")
    assert list(pages.columns) == schemas.columns("pages")
    assert set(pages["source"]) == set(GOOD)  # nothing for files that could not be read
    with pdfium.PdfDocument(fixtures_dir / "mini-minutes.pdf") as pdf:
        n_pages = len(pdf)
    pdf_pages = pages[pages["source"] == "mini-minutes.pdf"]
    assert list(pdf_pages["page"]) == list(range(1, n_pages + 1))
    for page in pdf_pages.itertuples():
        assert source.header in page.header and source.header not in page.text
        assert f"Page {page.page} of {n_pages}" in page.footer
        assert f"Page {page.page} of" not in page.text
        assert not page.ocr
    assert list(pages.loc[pages["source"] == "mini-minutes.docx", "page"]) == [1]
    # Page texts are the documents' own words, names and all (unlike analyse's outputs).
    assert pages["text"].str.contains("Tomasz Nowicki").any()


def test_ingest_ends_with_the_files_that_had_problems(corpus: Path, tmp_path: Path) -> None:
    result = cli.invoke(app, ["ingest", str(corpus), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Files with problems" in result.output
    for name in BAD:
        assert name in result.output
    assert "password" in result.output and "empty" in result.output
    assert "6 files (" in result.output and "3 ok" in result.output and "3 error" in result.output
    assert "6 read, 0 from cache" in result.output
    assert "Traceback" not in result.output


def test_rerun_on_an_unchanged_corpus_extracts_nothing(corpus: Path, tmp_path: Path) -> None:
    opts = IngestOptions(corpus=corpus, out=tmp_path / "out", workers=1)
    first = ingest_corpus(opts)
    assert (first.extracted, first.cached) == (len(GOOD + BAD), 0)
    pages = _table(opts.out, "pages")
    again = ingest_corpus(opts)
    assert (again.extracted, again.cached) == (0, len(GOOD + BAD))
    pd.testing.assert_frame_equal(_table(opts.out, "pages"), pages)
    (corpus / "mini-minutes.md").write_text("# Note\n\nMinutes of the meeting of 2 May 2024.\n")
    assert ingest_corpus(opts).extracted == 1  # only the changed file
    forced = ingest_corpus(IngestOptions(corpus=corpus, out=opts.out, workers=1, force=True))
    assert forced.extracted == len(GOOD + BAD)


def test_worker_processes_give_the_same_tables_as_one_process(corpus: Path, tmp_path: Path) -> None:
    serial = IngestOptions(corpus=corpus, out=tmp_path / "serial", workers=1, force=True)
    parallel = IngestOptions(corpus=corpus, out=tmp_path / "parallel", workers=2, force=True)
    ingest_corpus(serial)
    ingest_corpus(parallel)
    for name in ("documents", "pages"):
        pd.testing.assert_frame_equal(_table(parallel.out, name), _table(serial.out, name))


def test_out_is_required_and_a_missing_corpus_is_one_clear_line(tmp_path: Path) -> None:
    result = cli.invoke(app, ["ingest", str(tmp_path)])
    assert result.exit_code == 2 and "--out" in result.output
    result = cli.invoke(app, ["ingest", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "no such folder" in result.output and "Traceback" not in result.output


def test_page_texts_written_under_outputs_get_a_warning(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli.invoke(app, ["ingest", str(corpus), "--out", "outputs/forum-text"])
    assert result.exit_code == 0, result.output
    assert "outputs/ is for pseudonymised results" in result.output
    elsewhere = cli.invoke(app, ["ingest", str(corpus), "--out", "private/forum-text"])
    assert "pseudonymised" not in elsewhere.output


def test_help_says_page_texts_hold_real_names() -> None:
    result = cli.invoke(app, ["ingest", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "real names" in result.output and "--workers" in result.output


def test_the_command_line_starts_without_heavy_imports() -> None:
    """`involve ingest` starts its workers without pandas, and never loads the stages.

    Worker processes fork from the command's process, so whatever it has imported by then is
    time they all wait for: pandas (a third of a second) is not needed to read or to write the
    tables, and spaCy, scikit-learn and matplotlib, which only `analyse` uses, not at all.
    """
    code = (
        "import sys, pipeline.cli, pipeline.run.runner, pipeline.ingest; "
        "heavy = ('pandas', 'spacy', 'sklearn', 'matplotlib'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


@pytest.mark.slow
def test_ingest_writes_its_tables_without_loading_pandas(corpus: Path, tmp_path: Path) -> None:
    """The whole of `involve ingest` in one process: importing pandas would cost more than it
    takes to read a hundred pages, so the tables are written from rows (see the next test)."""
    code = (
        "import sys; from pathlib import Path; "
        "from pipeline.run.runner import IngestOptions, ingest_corpus; "
        f"r = ingest_corpus(IngestOptions(corpus=Path({str(corpus)!r}), "
        f"out=Path({str(tmp_path / 'out')!r}), workers=1)); "
        "print(r.pages, 'pandas' in sys.modules)"
    )
    env = {**os.environ, "INVOLVE_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    pages, pandas_loaded = done.stdout.split()
    assert int(pages) == len(_table(tmp_path / "out", "pages")) > 0
    assert pandas_loaded == "False"


def test_tables_written_from_rows_are_the_files_pandas_writes(corpus: Path, tmp_path: Path) -> None:
    """`io.write_rows` against `io.write_table` of the conformed frame: same CSV bytes, same
    Parquet schema and metadata, the same frame read back; for tables with and without rows."""
    opts = IngestOptions(corpus=corpus, out=tmp_path / "unused", workers=1)
    quiet = runner.Progress()
    results, _, _ = runner._extract_all(runner.hash_corpus(opts, quiet), opts, quiet)
    documents, pages = ingest_rows(results)
    assert {d["status"] for d in documents} == {"ok", "error"}
    dated = dict(documents[0], meeting_date=dt.date(2024, 3, 12), ocr_confidence=87.5)
    infinite = dict(documents[0], ocr_confidence=float("inf"))  # no JSON for it: pandas's way
    cases = [
        ("documents", [*documents, dated]),
        ("pages", pages),
        ("meetings", []),
        ("documents", [infinite]),
    ]
    for case, (name, rows) in enumerate(cases):
        frame = pd.DataFrame(rows, columns=schemas.columns(name))
        conformed = schemas.conform(frame, name) if rows else schemas.empty(name)
        io.write_table(conformed, name, tmp_path / f"pandas{case}")
        io.write_rows(rows, name, tmp_path / f"rows{case}")
        by_pandas, by_rows = (tmp_path / f"pandas{case}" / name, tmp_path / f"rows{case}" / name)
        csv_pandas = by_pandas.with_suffix(".csv").read_bytes()
        assert by_rows.with_suffix(".csv").read_bytes() == csv_pandas
        schema_rows = pq.read_schema(by_rows.with_suffix(".parquet"))
        assert schema_rows.equals(pq.read_schema(by_pandas.with_suffix(".parquet")), True)
        pd.testing.assert_frame_equal(
            pd.read_parquet(by_rows.with_suffix(".parquet")),
            pd.read_parquet(by_pandas.with_suffix(".parquet")),
        )


def test_rows_off_the_schema_are_refused(tmp_path: Path) -> None:
    row = {c: "x" for c in schemas.columns("pages")} | {"page": 1, "ocr": False}
    row["ocr_confidence"] = None
    io.write_rows([row], "pages", tmp_path)  # nullable: fine
    with pytest.raises(schemas.SchemaError, match="missing values"):
        io.write_rows([{**row, "text": None}], "pages", tmp_path)
    with pytest.raises(schemas.SchemaError, match="missing columns"):
        io.write_rows([{k: v for k, v in row.items() if k != "footer"}], "pages", tmp_path)
