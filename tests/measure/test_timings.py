"""Item times from the minutes' headings, and process/action/outcome shares of timed minutes."""

from __future__ import annotations

import importlib
import math
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core import schemas
from pipeline.involvement.levels import item_levels
from pipeline.measure import measure
from pipeline.measure.timings import item_times
from pipeline.segment import Segmented, segment
from pipeline.segment.times import heading_time
from tests.measure.test_measure import CODEBOOK, meetings_frame, units_frame
from tests.segment.test_segment import DATE, documents_frame, pages_frame, run

BRACKETED = """\
Minutes of the Partnership Board, 14 March 2024

1. Welcome and apologies (10 mins)

The Chair welcomed everyone to the meeting.

2. Crisis services (20 minutes)

The board heard that calls to the crisis line had risen by a fifth since the autumn.

Item 3 – Carers' breaks – 1 hr 15 mins

The carers' breaks scheme had supported forty families this year.

4. Any other business

There was none.
"""

START_TIMES = """\
Minutes of the Partnership Board, 14 March 2024

10:00 1. Welcome and apologies

The Chair welcomed everyone to the meeting.

10:10 2. Crisis services

The board heard that calls to the crisis line had risen by a fifth since the autumn.

10.40am 3. Carers' breaks

The carers' breaks scheme had supported forty families this year.

The meeting closed at 11.05am.
"""


def times_of(seg: Segmented) -> pd.DataFrame:
    """The item_times table as the measure step makes it: segmentation's times, titled."""
    return item_times(seg.item_times, seg.units)


def by_item(times: pd.DataFrame) -> dict[str, tuple[float | None, str]]:
    return {
        r.item_no: (None if pd.isna(r.minutes) else float(r.minutes), r.source_of_time)
        for r in times.itertuples()
    }


def test_bracketed_durations_are_read_and_left_out_of_the_titles() -> None:
    seg = run(BRACKETED)
    titles = dict(zip(seg.units["item_no"], seg.units["item_title"], strict=True))
    assert titles["2"] == "Crisis services"
    assert "hr" not in titles["3"] and "Carers' breaks" in titles["3"]
    assert by_item(times_of(seg)) == {
        "1": (10.0, "stated_duration"),
        "2": (20.0, "stated_duration"),
        "3": (75.0, "stated_duration"),
        "4": (None, "none"),
    }


def test_start_times_give_durations_up_to_the_close() -> None:
    seg = run(START_TIMES)
    # The time before the number is not the item number ("10.40am 3." is item 3).
    assert sorted(set(seg.units["item_no"])) == ["1", "2", "3"]
    times = times_of(seg)
    assert by_item(times) == {
        "1": (10.0, "start_times"),
        "2": (30.0, "start_times"),
        "3": (25.0, "start_times"),
    }
    assert list(times["item_title"]) == [
        "Welcome and apologies",
        "Crisis services",
        "Carers' breaks",
    ]


def test_the_last_item_has_no_time_without_a_close() -> None:
    text = START_TIMES.replace("The meeting closed at 11.05am.\n", "")
    assert by_item(times_of(run(text)))["3"] == (None, "none")


def test_minutes_without_timings_give_no_times() -> None:
    text = START_TIMES.replace("10:00 ", "").replace("10:10 ", "").replace("10.40am ", "")
    times = times_of(run(text))
    assert set(times["source_of_time"]) == {"none"} and times["minutes"].isna().all()


@pytest.mark.parametrize(
    ("title", "minutes"),
    [
        ("Budget 2024/25 (1 hour)", 60.0),
        ("Crisis care 2.20pm - 2.50pm", 30.0),
        ("Budget of £5m", None),
        ("Matters arising from 14.03.24", None),
        ("Review of 12 months of data", None),
    ],
)
def test_heading_durations(title: str, minutes: float | None) -> None:
    assert heading_time(title).minutes == minutes


AGENDA = """\
Partnership Board: agenda for 14 March 2024

Item | Time | Business | Lead
1 | 10.00am | Welcome and apologies | Chair
2 | 10.05am | Crisis services | Mark Tennant
3 | 10.45am | Carers' breaks | Ruth Ellison

The meeting is expected to close by 11.15am.
"""


def test_an_agenda_of_the_same_day_gives_allotted_times_when_the_minutes_give_none() -> None:
    text = START_TIMES.replace("10:00 ", "").replace("10:10 ", "").replace("10.40am ", "")
    pages = pd.concat([pages_frame(text), pages_frame(AGENDA, doc_id="a1")])
    docs = pd.concat(
        [
            documents_frame(("d1", "minutes/2024-03-14.pdf", DATE)),
            documents_frame(("a1", "agendas/2024-03-14.pdf", DATE)).assign(doc_type="agenda"),
        ]
    )
    times = times_of(segment(pages, docs, None))
    assert by_item(times) == {
        "1": (5.0, "start_times"),
        "2": (40.0, "start_times"),
        "3": (30.0, "start_times"),
    }
    assert set(times["time_document"]) == {"agenda"}
    # Without the agenda among the documents, nothing is timed.
    assert times_of(run(text))["minutes"].isna().all()


def test_item_times_come_from_segmentation_and_need_no_page_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seg = run(START_TIMES)
    # Segmentation's table holds numbers and minutes, no text: titles are empty until the
    # measure step takes them from the pseudonymised units.
    assert set(seg.item_times["item_title"]) == {""}
    assert list(seg.item_times.columns) == schemas.columns("item_times")

    # The measure step reads no page text: were anything to read blocks again, it would fail.
    def no_pages(*_: object) -> None:
        raise AssertionError("page text read after segmentation")

    for module in ("pipeline.segment.blocks", "pipeline.segment.itemtimes"):
        monkeypatch.setattr(importlib.import_module(module), "blocks", no_pages)
    times = times_of(seg)
    assert by_item(times)["2"] == (30.0, "start_times")
    assert list(times["item_title"]) == [
        "Welcome and apologies",
        "Crisis services",
        "Carers' breaks",
    ]


# --------------------------------------------------------------------------- measures
def timed_units() -> pd.DataFrame:
    """The test_measure units, the first meeting's split over three items."""
    units = units_frame()
    first = units["meeting_id"] == "M2023-01-19"
    units.loc[first, "item_no"] = ["1", "1", "2", "3"][: int(first.sum())]
    return units


def test_timed_minutes_are_split_among_focus_by_words() -> None:
    units = timed_units()
    first = units[units["meeting_id"] == "M2023-01-19"]
    times = schemas.conform(
        pd.DataFrame(
            {
                "meeting_id": "M2023-01-19",
                "item_no": ["1", "2", "3"],
                "item_title": "",
                "minutes": [20.0, 10.0, None],
                "source_of_time": ["stated_duration", "start_times", "none"],
                "time_document": ["minutes", "minutes", ""],
            }
        ),
        "item_times",
    )
    result = measure(units, meetings_frame(), CODEBOOK, item_levels(units), times=times)
    # Expected by hand from the units: each timed item's minutes in proportion to its words.
    expected = {f: 0.0 for f in ("process", "action", "outcome")}
    for item, minutes in (("1", 20.0), ("2", 10.0)):
        rows = first[first["item_no"] == item]
        for f in expected:
            expected[f] += (
                minutes * rows.loc[rows["focus"] == f, "n_words"].sum() / rows["n_words"].sum()
            )
    row = result.meeting_measures.set_index("meeting_id").loc["M2023-01-19"]
    assert row["timed_minutes"] == 30.0
    for f, share in expected.items():
        assert row[f"{f}_time_share"] == pytest.approx(share / 30.0)
    year = result.board_year.set_index("year").loc[2023]
    assert year["timed_minutes"] == 30.0
    assert year["timed_meetings"] == 1  # the other 2023 meeting gave no times
    assert result.board_year.set_index("year").loc[2024, "timed_meetings"] == 0
    assert year["process_time_share"] == pytest.approx(row["process_time_share"])
    untimed = result.meeting_measures.set_index("meeting_id").loc["M2024-02-01"]
    assert math.isnan(untimed["timed_minutes"]) and math.isnan(untimed["outcome_time_share"])


def test_measures_without_times_leave_the_time_columns_empty() -> None:
    result = measure(units_frame(), meetings_frame(), CODEBOOK, item_levels(units_frame()))
    assert result.meeting_measures["timed_minutes"].isna().all()
    assert result.board_year["outcome_time_share"].isna().all()


def test_each_documents_times_are_read_once_and_kept_by_its_page_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run with the cache reads the times of only the documents it has not seen; what it
    keeps gives the table a fresh reading gives."""
    from pipeline.core import io
    from pipeline.segment import itemtimes

    pages = pd.concat([pages_frame(START_TIMES, doc_id="d1"), pages_frame(BRACKETED, doc_id="d2")])
    documents = documents_frame(
        ("d1", "minutes/2024-03-14.pdf", DATE), ("d2", "minutes/2024-04-11.pdf", DATE)
    )
    meetings = pd.DataFrame(
        {"meeting_id": ["M1", "M2"], "doc_id": ["d1", "d2"], "meeting_date": [DATE, DATE]}
    )
    fresh = itemtimes.item_times(pages, documents, meetings)
    read: list[int] = []
    real = itemtimes.meeting_times

    def counted(doc_pages: pd.DataFrame) -> list[tuple[str, float | None, str]]:
        read.append(len(doc_pages))
        return real(doc_pages)

    monkeypatch.setattr(itemtimes, "meeting_times", counted)
    cache = io.Cache(tmp_path)
    first = itemtimes.item_times(pages, documents, meetings, cache)
    assert len(read) == 2
    pd.testing.assert_frame_equal(first, fresh)
    # The same documents again: nothing is read, and the table is the same.
    again = itemtimes.item_times(pages, documents, meetings, io.Cache(tmp_path))
    assert len(read) == 2
    pd.testing.assert_frame_equal(again, fresh)
    # A document whose text changed is read again; the other is not.
    changed = pages.assign(text=[START_TIMES.replace("10:10", "10:20"), BRACKETED])
    later = itemtimes.item_times(changed, documents, meetings, io.Cache(tmp_path))
    assert len(read) == 3
    assert later.loc[later["item_no"] == "1", "minutes"].iloc[0] == 20.0


@pytest.mark.parametrize(
    "entry",
    [
        {"1": 10},
        [["1", 10.0]],
        [[1, 10.0, "stated_duration"]],
        [["1", "10", "none"]],
        [["1", True, "none"]],
        "times",
    ],
)
def test_a_kept_entry_of_another_shape_is_read_again(entry: object) -> None:
    from pipeline.segment import itemtimes

    assert itemtimes._load_times(entry) is None
    assert itemtimes._load_times([["1", 10, "stated_duration"], ["2", None, "none"]]) == [
        ("1", 10.0, "stated_duration"),
        ("2", None, "none"),
    ]
