"""The whole job on the demo board, as `make analyse` runs it, checked against the demo's facts.

The expected attendance figures are read from the demo's source text (the lists the minutes were
generated from), not from the pipeline, so a reading error in any stage shows up here.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from PIL import Image

from pipeline.core import config, schemas
from pipeline.run.runner import TABLE_ORDER, RunOptions, analyse

DEMO = config.CORPORA_DIR / "demo"
SOURCES = config.CORPORA_DIR / "build" / "demo" / "docs"
LAY_PHRASES = (
    "Service User Representative",
    "Carer Representative",
    "Voluntary Sector Representative",
)

pytestmark = pytest.mark.slow


def _source_attendance() -> dict[str, dict[str, int]]:
    """Per meeting date: lay members and all people listed under "Present:" in the source."""
    facts = {}
    for path in sorted(SOURCES.glob("*-minutes.txt")):
        text = path.read_text(encoding="utf-8")
        present = re.search(r"#### Present:\n((?:- .*\n)+)", text)
        assert present, f"{path.name} has no Present list"
        lines = present.group(1).splitlines()
        facts[path.name[:10]] = {
            "members_present": len(lines),
            "lay_present": sum(any(p in ln for p in LAY_PHRASES) for ln in lines),
        }
    return facts


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    out = tmp_path_factory.mktemp("demo-out")
    with pytest.MonkeyPatch.context() as mp:  # a cold run: nothing cached from earlier runs
        mp.setenv("INVOLVE_CACHE_DIR", str(tmp_path_factory.mktemp("e2e-cache")))
        started = time.perf_counter()
        result = analyse(RunOptions(corpus=DEMO, out=out, workers=2))
        seconds = time.perf_counter() - started
    assert not result.up_to_date
    return out, seconds


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / "tables" / f"{name}.parquet")


def test_every_table_is_written_in_both_formats_and_matches_its_schema(run):
    out, _ = run
    for name in TABLE_ORDER:
        df = _table(out, name)
        assert list(df.columns) == schemas.columns(name)
        schemas.conform(df, name)  # raises on wrong types or values outside the vocabulary
        csv = pd.read_csv(out / "tables" / f"{name}.csv")
        assert len(csv) == len(df)


def test_every_demo_document_is_read_with_its_type(run):
    out, _ = run
    docs = _table(out, "documents").set_index("source")
    files = sorted(
        p.relative_to(DEMO).as_posix()
        for p in DEMO.rglob("*")
        if p.is_file() and p.name != "board.yaml"
    )
    assert sorted(docs.index) == files
    assert (docs["status"] == "ok").all(), docs[docs["status"] != "ok"]["message"].to_dict()
    assert set(docs.loc[docs.index.str.startswith("minutes/"), "doc_type"]) == {"minutes"}
    assert set(docs.loc[docs.index.str.startswith("agendas/"), "doc_type"]) == {"agenda"}
    assert set(docs.loc[docs.index.str.startswith("papers/"), "doc_type"]) == {"papers"}
    scan = docs.loc["minutes/2023-03-30-minutes.pdf"]
    assert scan["ocr_pages"] == scan["pages"] >= 2
    assert scan["ocr_confidence"] > 80


def test_meetings_and_attendance_match_the_minutes(run):
    out, _ = run
    meetings = _table(out, "meetings")
    facts = _source_attendance()
    assert len(meetings) == len(facts) == 16
    assert meetings.groupby("year").size().to_dict() == {2023: 8, 2024: 8}
    by_date = meetings.set_index(meetings["meeting_date"].dt.strftime("%Y-%m-%d"))
    for date, expected in facts.items():
        row = by_date.loc[date]
        assert row["lay_present"] == expected["lay_present"], date
        assert row["members_present"] == expected["members_present"], date
        assert row["lay_standard_met"] == (expected["lay_present"] >= 2), date
    attendance = _table(out, "attendance")
    assert not attendance.duplicated(["meeting_id", "person_id"]).any()


def test_segments_carry_provenance_and_labels(run):
    out, _ = run
    seg = _table(out, "segments")
    assert len(seg) > 400
    assert seg["source"].str.match(r"^minutes/\d{4}-\d{2}-\d{2}-minutes\.(pdf|docx)$").all()
    assert (seg["page"] >= 1).all()
    assert (seg["item_no"] != "").mean() > 0.95
    assert set(seg["focus"]) == set(config.FOCUS_LABELS)
    assert set(seg["speaker_role"]) == set(config.SPEAKER_ROLES)
    outcomes = seg[seg["focus"] == "outcome"]
    assert set(outcomes["outcome_scope"]) <= {"individual", "collective"}
    assert (seg.loc[seg["focus"] != "outcome", "outcome_scope"] == "").all()


def test_no_real_name_reaches_any_output_file(run):
    out, _ = run
    members = yaml.safe_load((DEMO / "board.yaml").read_text())["members"]
    names = set()
    for m in members:
        words = [w for w in m["name"].split() if w not in {"Cllr", "Dr", "Inspector"}]
        names.update({" ".join(words), words[-1]})
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            leaked = sorted(n for n in names if n.encode() in data)
            assert not leaked, f"{path.relative_to(out)} contains {leaked}"


def test_duckdb_file_holds_the_same_tables(run):
    out, _ = run
    con = duckdb.connect(str(out / "involvement.duckdb"), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
        assert tables == set(TABLE_ORDER)
        for name in TABLE_ORDER:
            (n,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            assert n == len(_table(out, name))
    finally:
        con.close()


def test_charts_and_report_are_written(run):
    out, _ = run
    pngs = sorted((out / "charts").glob("*.png"))
    assert len(pngs) >= 4
    for png in pngs:
        with Image.open(png) as im:
            assert im.format == "PNG" and im.width > 400 and im.height > 250
        assert png.with_suffix(".svg").exists()
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "Harrowmere Mental Health and Wellbeing Partnership Board" in html
    for png in pngs:
        assert f"../charts/{png.name}" in html


def test_second_run_on_unchanged_inputs_does_no_work(run):
    out, first_seconds = run
    started = time.perf_counter()
    again = analyse(RunOptions(corpus=DEMO, out=out, workers=2))
    seconds = time.perf_counter() - started
    assert again.up_to_date
    assert seconds < first_seconds / 3


def test_folder_without_board_file_and_an_unseen_codebook(tmp_path: Path) -> None:
    """Roles come from the attendance lists alone, and any valid codebook can be used."""
    corpus = tmp_path / "minutes-only"
    corpus.mkdir()
    chosen = ["2023-01-19-minutes.pdf", "2023-05-25-minutes.docx", "2024-06-20-minutes.pdf"]
    for name in chosen:
        (corpus / name).write_bytes((DEMO / "minutes" / name).read_bytes())
    codebook = tmp_path / "other-board.yaml"
    codebook.write_text(
        yaml.safe_dump(
            {
                "name": "unseen",
                "version": 3,
                "source": "hand-written for a test",
                "themes": [
                    {
                        "id": "money",
                        "label": "Money",
                        "priority_rank": 1,
                        "definition": "Budgets, funding and costs.",
                        "seeds": ["budget", "funding", "cost"],
                    },
                    {
                        "id": "safety",
                        "label": "Safety",
                        "priority_rank": 2,
                        "definition": "Police, risk and safety.",
                        "seeds": ["police", "risk", "safe"],
                    },
                ],
            }
        )
    )
    out = tmp_path / "out"
    analyse(RunOptions(corpus=corpus, out=out, codebook=codebook, workers=1))
    meetings = _table(out, "meetings").set_index(
        _table(out, "meetings")["meeting_date"].dt.strftime("%Y-%m-%d")
    )
    facts = _source_attendance()
    for name in chosen:
        date = name[:10]
        assert meetings.loc[date, "lay_present"] == facts[date]["lay_present"], date
    attendance = _table(out, "attendance")
    assert set(attendance["role_source"]) == {"inferred"}
    themes = set(_table(out, "segments")["theme"])
    assert themes <= {"money", "safety", "other"} and {"money", "safety"} <= themes
    attention = _table(out, "theme_attention")
    assert set(attention["theme"]) == {"money", "safety"}


# --------------------------------------------------------------------------- notebooks
NOTEBOOKS = sorted((config.PROJECT_ROOT / "notebooks").glob("*.ipynb"))


def test_the_three_notebooks_are_there_named_by_the_convention() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert names == [
        "1.0-explore-themes.ipynb",
        "2.0-process-vs-outcome.ipynb",
        "3.0-annual-report-figures.ipynb",
    ]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_and_its_script_hold_the_same_cells(notebook: Path) -> None:
    """Each notebook is paired with a jupytext script (reviewable in a diff); they must agree."""
    import jupytext

    script = notebook.with_suffix(".py")
    cells = [c.source for c in jupytext.read(notebook).cells]
    assert cells == [c.source for c in jupytext.read(script).cells], (
        f"{notebook.name} and {script.name} differ: run `make notebooks`"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_demo_outputs_reading_only_the_duckdb_file(
    run: tuple[Path, float], notebook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat
    from nbclient import NotebookClient

    out, _ = run
    text = notebook.read_text(encoding="utf-8")
    assert "corpora" not in text and "read_parquet" not in text  # outputs only, through DuckDB
    monkeypatch.setenv("INVOLVE_DB", str(out / "involvement.duckdb"))
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any("text/html" in o.get("data", {}) for o in outputs)  # tables shown
    assert any("image/png" in o.get("data", {}) for o in outputs)  # and a chart
    assert not any(o.get("output_type") == "error" for o in outputs)
