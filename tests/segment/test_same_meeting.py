"""One meeting per body and date unless the minutes say otherwise (issue 15).

A board publishes one meeting's minutes as a PDF and as the Word file it was made from, or as a
draft and then approved: read as they come, each copy was a meeting, and the year's counts
doubled. The files here are real: reportlab PDFs and a python-docx DOCX rendered by
corpora/build/render.py from one invented meeting, analysed by the runner.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.core import config
from pipeline.core.io import read_table
from pipeline.segment import same_meeting
from pipeline.segment.same_meeting import Reading

sys.path.insert(0, str(config.PROJECT_ROOT / "corpora" / "build"))  # render.py: a script folder

from render import parse_source, render_docx, render_pdf

DAY = "14 May 2024"


def _minutes(title: str, *, extra_item: bool = True) -> str:
    """An invented meeting of an invented board, in render.py's source format."""
    text = f"""# WILLOWMERE CARERS' PARTNERSHIP BOARD

## {title}

#### Present:
- Orla Pennick (Chair)
- Tobias Wrenfield, Carer Representative
- Marisol Keddle, Service User Representative
- Ewan Strathdee, Member
- Priya Halloran, Officer

### 1. Welcome and apologies

The Chair welcomed members. Apologies were received from Bram Castellow.

### 2. Respite for carers

Tobias Wrenfield said that carers had waited nine weeks for a respite assessment and asked
the Board to raise the delay with the commissioners. Priya Halloran explained that two new
assessors would start in June and the wait should halve by the summer.

Marisol Keddle asked whether the advocacy service could attend the next meeting to explain
its new referral route. The Board agreed to invite them.
"""
    if extra_item:
        text += """
### 3. Peer support

Ewan Strathdee reported that the peer support pilot had reached thirty families and that
the evaluation would be shared with members in the autumn.

Action: Priya Halloran to circulate the evaluation to members.
"""
    return text


def _write(folder: Path, name: str, body: str) -> None:
    fmt = name.rsplit(".", 1)[1]
    doc = parse_source(f"---\nfile: {name}\nformat: {fmt}\n---\n\n{body}", name)
    (render_pdf if fmt == "pdf" else render_docx)(doc, folder / name)


@dataclass
class Run:
    tables: dict[str, pd.DataFrame]
    console: str  # what `involve analyse` printed


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    corpus = tmp_path_factory.mktemp("willowmere")
    ordinary = f"Minutes of the meeting held on {DAY} at 2.00pm"
    # The same meeting as the Board's PDF and as its Word file; the Word file is the draft,
    # circulated before its last item was written up.
    _write(corpus, "2024-05-14 minutes.pdf", _minutes(ordinary))
    _write(
        corpus,
        "2024-05-14 draft minutes.docx",
        _minutes(f"Draft minutes of the meeting held on {DAY} at 2.00pm", extra_item=False),
    )
    # A second meeting that evening, which its heading says is another meeting.
    _write(
        corpus,
        "2024-05-14 extraordinary minutes.pdf",
        _minutes(f"Minutes of the Extraordinary meeting held on {DAY} at 6.30pm"),
    )
    out = tmp_path_factory.mktemp("willowmere-out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INVOLVE_CACHE_DIR", str(tmp_path_factory.mktemp("same-meeting-cache")))
        result = CliRunner().invoke(
            app,
            ["analyse", str(corpus), "--out", str(out), "--no-embeddings", "--workers", "1"],
            env={"COLUMNS": "200"},
        )
    assert result.exit_code == 0, result.output
    tables = {name: read_table(out, name) for name in config.ANALYSIS_TABLES}
    return Run(tables, " ".join(result.output.split()))


@pytest.mark.slow
def test_a_meeting_published_as_pdf_and_docx_is_one_meeting(run: Run) -> None:
    meetings = run.tables["meetings"]
    assert len(meetings) == 2  # the ordinary meeting once, and the extraordinary one
    assert set(meetings["source"]) == {
        "2024-05-14 minutes.pdf",
        "2024-05-14 extraordinary minutes.pdf",
    }
    assert (pd.to_datetime(meetings["meeting_date"]).dt.date == dt.date(2024, 5, 14)).all()
    board_year = run.tables["board_year"].set_index("year")
    assert int(board_year.loc[2024, "n_meetings"]) == 2
    # No unit is counted twice: each meeting's units come from one file.
    units = run.tables["segments"]
    assert set(units["source"]) == set(meetings["source"])


@pytest.mark.slow
def test_the_copy_is_recorded_in_the_documents_table_and_said_in_the_run_summary(
    run: Run,
) -> None:
    docs = run.tables["documents"].set_index("source")
    copy = docs.loc["2024-05-14 draft minutes.docx"]
    assert copy["status"] == "same_meeting"
    assert "2024-05-14 minutes.pdf" in copy["message"]  # where the meeting was read from
    assert docs.loc["2024-05-14 minutes.pdf", "status"] == "ok"
    assert docs.loc["2024-05-14 extraordinary minutes.pdf", "status"] == "ok"
    accounting = run.tables["text_accounting"]
    aside = accounting[accounting["source"] == "2024-05-14 draft minutes.docx"]
    assert set(aside["place"]) - {"furniture"} == {"not_minutes"}
    assert aside.loc[aside["place"] == "not_minutes", "reason"].str.contains("same meeting").all()
    assert not (accounting["place"] == "unplaced").any()
    assert "Same meeting in two files: 1 file (2024-05-14 draft minutes.docx)" in run.console


def _reading(doc: str, heading: str, **kw: object) -> Reading:
    values: dict[str, object] = {
        "doc": (doc, f"{doc}.pdf"),
        "body": "Willowmere Carers' Partnership Board",
        "date": dt.date(2024, 5, 14),
        "heading": heading,
        "n_unit_words": 300,
        "listed": True,
        "n_units": 6,
    }
    values.update(kw)
    return Reading(**values)  # type: ignore[arg-type]


def test_headings_keep_different_meetings_on_one_day_apart() -> None:
    plain = _reading(
        "a", f"Minutes of the meeting held on {DAY}", name_dates=(dt.date(2024, 5, 14),)
    )
    assert same_meeting.same(plain, _reading("b", f"Draft minutes of the meeting held on {DAY}"))
    # A motto after the body's name in one file's title is still the body.
    motto = _reading("b", "Minutes", body="Willowmere Carers' Partnership Board Caring Together")
    assert same_meeting.same(plain, motto)
    for other in (
        _reading("b", f"Minutes of the Special meeting held on {DAY}"),
        _reading("b", f"Minutes of the Annual General Meeting held on {DAY}"),
        _reading("b", f"Minutes of the meeting held on {DAY}", date=dt.date(2024, 5, 15)),
        _reading("b", f"Minutes of the meeting held on {DAY}", body="Willowmere Health Forum"),
        # Files named for two days: a heading repeating the last meeting's date is not the
        # same meeting.
        _reading("b", f"Minutes of the meeting held on {DAY}", name_dates=(dt.date(2024, 6, 25),)),
    ):
        assert not same_meeting.same(plain, other), other.heading
    # Start times tell a morning meeting from an evening one; one side without a time is the
    # same meeting, written up with less.
    morning = _reading("m", f"Minutes of the meeting held on {DAY} at 10.00 am")
    assert not same_meeting.same(morning, _reading("b", f"Meeting held {DAY}, 19:00"))
    assert same_meeting.same(morning, _reading("b", f"Meeting held {DAY} at 10am"))
    assert same_meeting.same(morning, plain)
    # Two meetings read from one file are never merged here (the file's headings split them).
    assert not same_meeting.same(plain, _reading("a", f"Minutes of the meeting held on {DAY}"))


def test_the_more_complete_reading_is_kept() -> None:
    unlisted = _reading("a", "Minutes", listed=False, n_unit_words=900)
    listed = _reading("b", "Minutes", n_unit_words=400)
    assert same_meeting.copies([unlisted, listed]) == {0: 1}  # the attendance list counts first
    draft = _reading("c", "Draft minutes")
    approved = _reading("d", "Minutes")
    assert same_meeting.copies([draft, approved]) == {0: 1}  # alike but for approval
    longer = _reading("e", "Minutes", n_unit_words=500)
    assert same_meeting.copies([approved, longer]) == {0: 1}
    assert same_meeting.copies([approved, _reading("f", "Extraordinary meeting")]) == {}
