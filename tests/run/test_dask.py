"""--executor dask: the same analysis as a local run, its files read (OCR included), its units
parsed and embedded on a cluster."""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.classify.focus import features, tense
from pipeline.classify.themes import seeds
from pipeline.core import config, embed
from pipeline.pseudonymise import preprocess
from pipeline.run import runner
from pipeline.run.runner import RunOptions, analyse
from pipeline.run.study import StudyOptions, run_study

try:
    import distributed
except ImportError:
    # CI installs the extra (make install): there a missing one must fail, not skip unseen.
    if os.environ.get("CI"):
        raise
    pytest.skip(
        "the dask extra is not installed (pip install -e '.[dask]')", allow_module_level=True
    )

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _no_ner(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names are found alike either way; loading the NER pipeline in every worker is only time."""
    monkeypatch.setenv("INVOLVE_NER", "0")


@pytest.fixture
def corpus(tmp_path: Path, fixtures_dir: Path) -> Path:
    """Two text PDFs and one whose second page is a scan only OCR can read."""
    folder = tmp_path / "forum"
    folder.mkdir()
    for name in ["mini-minutes.pdf", "word-minutes.pdf"]:
        shutil.copy(fixtures_dir / name, folder / name)
    shutil.copy(fixtures_dir / "mixed-scan.pdf", folder / "scanned-minutes.pdf")
    return folder


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_parquet(p) for p in sorted((out / "tables").glob("*.parquet"))}


def test_dask_reads_files_and_embeds_and_parses_on_the_cluster_and_every_table_is_identical(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = analyse(RunOptions(corpus=corpus, out=tmp_path / "local", workers=2))
    assert embed.available(), "the embed extra is part of make install"

    def not_here(what: str) -> Callable[..., Any]:
        def refuse(*args: object, **kwargs: object) -> Any:
            raise AssertionError(f"--executor dask {what} in the local process")

        return refuse

    # Workers import their own copies of these modules: only this process is refused.
    monkeypatch.setattr(runner, "_run_extract", not_here("read files"))
    monkeypatch.setattr(embed, "load", not_here("loaded the sentence model"))
    monkeypatch.setattr(features, "docs", not_here("parsed units for the focus rules"))
    monkeypatch.setattr(tense, "docs", not_here("parsed outcomes for their scope"))
    monkeypatch.setattr(preprocess, "_lemmas", not_here("lemmatised units"))
    monkeypatch.setattr(seeds, "_matcher", not_here("matched theme seeds in units"))
    on_dask = analyse(
        RunOptions(
            corpus=corpus,
            out=tmp_path / "dask",
            workers=2,  # a LocalCluster of two workers
            executor="dask",
            force=True,  # read, parse and embed everything again, not from the local run's cache
        )
    )
    assert on_dask.extracted == 3 and on_dask.cached == 0
    # The workers' CPU is in the stage timings: OCR of the scanned page, the model's vectors.
    stages = {t.stage: t for t in on_dask.stages}
    assert stages["Extracting text"].cpu_s > 0.5
    assert stages["Coding themes and focus"].cpu_s > 1.0
    # ... and the largest worker's memory, which loading the sentence model raises.
    assert (stages["Coding themes and focus"].workers_peak_rss_mb or 0) > 200
    docs = on_dask.documents.set_index("source")
    assert docs.loc["scanned-minutes.pdf", "ocr_pages"] > 0  # OCR ran on the workers
    # Every file read; one may be a second copy of a meeting another file gives.
    assert docs["status"].isin(["ok", *config.COPY_STATUSES]).all()
    mine, theirs = _tables(tmp_path / "local"), _tables(tmp_path / "dask")
    assert sorted(mine) == sorted(config.ANALYSIS_TABLES)
    assert sorted(theirs) == sorted(mine)
    for name, table in mine.items():
        pd.testing.assert_frame_equal(theirs[name], table, obj=name)
    assert len(local.tables["segments"]) > 20


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A running cluster, as `--scheduler ADDRESS` finds one."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_a_study_on_an_existing_scheduler_runs_each_board_as_a_task(
    tmp_path: Path, fixtures_dir: Path, scheduler: str
) -> None:
    from tests.run.test_study import make_study

    study = make_study(tmp_path, fixtures_dir, ["riverside", "broken"])
    out = tmp_path / "out"
    result = run_study(
        StudyOptions(
            study=study, out=out, use_embeddings=False, executor="dask", scheduler=scheduler
        )
    )
    statuses = {o.board: o.status for o in result.boards}
    assert statuses == {"broken": "failed", "riverside": "analysed"}
    assert "chairperson" in result.boards[0].message
    assert list(result.board_years["board"].unique()) == ["riverside"]
    assert (out / "boards" / "riverside" / "report" / "index.html").is_file()


def test_a_large_batch_of_texts_goes_to_the_cluster_without_dask_warning_the_user(
    scheduler: str,
) -> None:
    """Thirty thousand units are some 12 MB of text: Dask's advice about large graphs is not
    for the user of `involve analyse`, whose texts are the work."""
    from pipeline.run import cluster

    # 12.8 MB of distinct texts (pickle would send one copy of a repeated one)
    chunks = [[f"{c:03d}{i:03d}".ljust(1000, "x") for i in range(256)] for c in range(50)]
    with (
        distributed.Client(scheduler) as client,
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        got = cluster.Tasks(client).map(len_each, chunks)
    assert got == [[1000] * 256] * 50
    assert not [w for w in caught if "large graph" in str(w.message)]


def len_each(texts: list[str]) -> list[int]:
    return [len(t) for t in texts]
