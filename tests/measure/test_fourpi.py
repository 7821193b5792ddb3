"""The NIP 4Pi ratings: made in the measure stage from the tables, worded by the annual report."""

from __future__ import annotations

import pandas as pd

from pipeline.core import schemas
from pipeline.involvement.levels import item_levels
from pipeline.measure import measure
from pipeline.measure.fourpi import MET, NOT_EVIDENCED, PARTIAL, rate_year
from pipeline.report import checklist
from tests.measure.test_measure import CODEBOOK, meetings_frame, units_frame


def _units(*texts: str) -> pd.DataFrame:
    """The test_measure units with the first ones' text replaced."""
    units = units_frame()
    units.loc[: len(texts) - 1, "text"] = list(texts)
    return units


def _ratings(units: pd.DataFrame, year_row: dict[str, object]) -> dict[str, str]:
    return {str(r["standard"]): str(r["rating"]) for r in rate_year(year_row, units, None)}


def test_purpose_is_met_when_discussed_at_two_meetings_and_partial_at_one() -> None:
    units = units_frame()
    first, other = units.index[0], units.index[units["meeting_id"] != units["meeting_id"][0]][0]
    units.loc[first, "text"] = "The board agreed its terms of reference."
    assert _ratings(units, {})["Purpose"] == PARTIAL
    units.loc[other, "text"] = "The involvement strategy was refreshed."
    assert _ratings(units, {})["Purpose"] == MET


def test_purpose_names_the_lexicon_phrases_the_board_used_in_the_lexicons_order() -> None:
    units = _units("The involvement strategy and the terms of reference were agreed.")
    (purpose,) = [r for r in rate_year({}, units, None) if r["standard"] == "Purpose"]
    assert purpose["aspects_found"] == "involvement strategy;terms of reference"
    said = checklist.purpose(purpose, {})
    assert "in the words: involvement strategy, terms of reference" in said
    assert "co-production" not in said  # a phrase the board did not use is not claimed


def test_process_needs_all_three_aspects() -> None:
    two = _units("Papers will be sent a week in advance.", "Induction training was offered.")
    assert _ratings(two, {})["Process"] == PARTIAL
    three = _units(
        "Papers will be sent a week in advance.",
        "Induction training was offered.",
        "Travel expenses are paid on the day.",
    )
    assert _ratings(three, {})["Process"] == MET


def test_presence_is_met_only_when_every_meeting_reaches_the_standard() -> None:
    units = units_frame()
    assert _ratings(units, {"n_meetings": 3, "meetings_standard_met": 3})["Presence"] == MET
    assert _ratings(units, {"n_meetings": 3, "meetings_standard_met": 1})["Presence"] == PARTIAL
    assert _ratings(units, {"n_meetings": 0})["Presence"] == NOT_EVIDENCED


def test_the_measure_stage_writes_five_ratings_a_year() -> None:
    units = units_frame()
    result = measure(units, meetings_frame(), CODEBOOK, item_levels(units))
    table = result.four_pi
    pd.testing.assert_frame_equal(schemas.conform(table, "four_pi"), table)
    assert sorted(table.groupby("year").size().to_dict().items()) == [(2023, 5), (2024, 5)]


def test_the_report_words_the_rating_the_table_holds() -> None:
    units = units_frame()
    table = measure(units, meetings_frame(), CODEBOOK, item_levels(units)).four_pi
    year = table[table["year"] == 2024].assign(rating=MET)
    standards = checklist.check(year, {"n_meetings": 2}, units, lambda _: "")
    assert [s.rating for s in standards] == [MET] * 5
    # An analysis made before the table existed says so rather than rating anything.
    unrated = checklist.check(schemas.empty("four_pi"), {}, units, lambda _: "")
    assert {s.evidence for s in unrated} == {checklist.NOT_RATED}
