"""The ingestion benchmark (`make bench`) on a tiny corpus, so that it cannot rot unnoticed.

The benchmark itself is not a test and stays out of `make test`; this runs its corpus generator
and its measuring function end to end on two short documents.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "ingest_bench.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ingest_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generator_is_reproducible_and_not_rerun(bench: ModuleType, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    paths = bench.generate_corpus(corpus, n_docs=2, pages=(2, 3), seed=7)
    assert [p.name for p in paths] == ["minutes-000.pdf", "minutes-001.pdf"]
    assert all(2 <= bench.pdf_pages(p) <= 3 for p in paths)
    first = [p.read_bytes() for p in paths]
    stamp = paths[0].stat().st_mtime_ns
    bench.generate_corpus(corpus, n_docs=2, pages=(2, 3), seed=7)
    assert paths[0].stat().st_mtime_ns == stamp  # already there: not generated again
    again = bench.generate_corpus(tmp_path / "again", n_docs=2, pages=(2, 3), seed=7)
    assert [p.read_bytes() for p in again] == first


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_measure_times_every_method_on_the_same_pages(bench: ModuleType, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    bench.generate_corpus(corpus, n_docs=2, pages=(2, 3), seed=7)
    pages = sum(bench.pdf_pages(p) for p in corpus.glob("*.pdf"))
    rows = bench.measure(corpus, tmp_path / "work", repeats=1)
    methods = [r.method.split()[0] for r in rows]
    assert methods == ["involve", "pdftotext", "pypdfium2", "pdfplumber"]
    for row in rows:
        assert row.pages == pages and row.seconds > 0 and row.pages_per_second > 0
        assert row.ratio_to_pdftotext is not None
    assert "header and footer removed" in rows[0].note
    bench.write_report(rows, corpus, tmp_path / "report")
    table = (tmp_path / "report" / "ingest.md").read_text(encoding="utf-8")
    assert "| involve ingest |" in table and "ratio to pdftotext" in table
    assert (tmp_path / "report" / "ingest.json").exists()


def test_cpu_measure_splits_a_page_into_its_parts(bench: ModuleType, tmp_path: Path) -> None:
    """bench/ingest_cpu.py, which times ingestion in CPU (a loaded machine blurs wall time)."""
    spec = importlib.util.spec_from_file_location("ingest_cpu", BENCH.with_name("ingest_cpu.py"))
    assert spec is not None and spec.loader is not None
    cpu = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cpu)
    paths = bench.generate_corpus(tmp_path / "corpus", n_docs=1, pages=(2, 3), seed=7)
    result = cpu.per_page(paths, passes=3)
    assert result["pages"] == bench.pdf_pages(paths[0])
    parts = ["extract", "pdfium load+textpage", "load+runs", "layout"]
    assert all(result[name] > 0 for name in parts)
    # Loading a page is part of reading its runs, which is part of extracting it.
    assert result["pdfium load+textpage"] < result["extract"]
