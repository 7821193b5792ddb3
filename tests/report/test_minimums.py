"""No figure on too little (issue 15): the check that reads what a report states and refuses a
figure resting on fewer units, contributions or meetings than README's minimum numbers.

The tables are a real measure run on a small board (two meetings a year, 5 and 2 contributions
attributed to a named person, 2 and 1 outcome units): below every minimum.
"""

from __future__ import annotations

import re
import types

import pandas as pd
import pytest

from pipeline.core import config, schemas
from pipeline.involvement.levels import item_levels
from pipeline.measure import measure
from pipeline.report import annual, annual_findings, build_report, consistency, findings, fmt
from pipeline.report.minimums import below_minimum
from tests.measure.test_measure import CODEBOOK, meetings_frame, units_frame


@pytest.fixture(scope="module")
def thin() -> dict[str, pd.DataFrame]:
    meetings = meetings_frame()
    result = measure(units_frame(), meetings, CODEBOOK, item_levels(units_frame()))
    tables = {name: schemas.empty(name) for name in config.ANALYSIS_TABLES}
    return {
        **tables,
        "meetings": meetings,
        "segments": units_frame(),
        "meeting_measures": result.meeting_measures,
        "theme_attention": result.theme_attention,
        "board_year": result.board_year,
        "year_intervals": result.year_intervals,
        "index_sensitivity": result.index_sensitivity,
        "alignment": result.alignment,
        "four_pi": result.four_pi,
        "period": result.period,
    }


def _counts(tables: dict[str, pd.DataFrame], year: int) -> dict[str, int]:
    row = tables["board_year"].set_index("year").loc[year]
    return {k: int(row[k]) for k in ("attributed_units", "outcome_units", "lay_units")}


def test_the_fixture_is_below_every_minimum(thin: dict[str, pd.DataFrame]) -> None:
    for year in (2023, 2024):
        counts = _counts(thin, year)
        assert 0 < counts["attributed_units"] < config.MIN_ATTRIBUTED_UNITS
        assert 0 < counts["outcome_units"] < config.MIN_OUTCOME_UNITS


# --------------------------------------------------------------------------- the words read
def test_a_share_stated_on_too_few_units_is_caught_in_each_wording(
    thin: dict[str, pd.DataFrame],
) -> None:
    stated = [
        "Lay members made 60% of the contributions the minutes attribute to a named person.",
        "60% of attributed contributions were by lay members (no 95% interval).",
        "Of 2 outcome units in 2023, 1 (50%) reached service users collectively.",
        "50% of outcomes collective",
        "The board took up 1 of 3 lay contributions (33%).",
        "Against 2023, the lay share rose from 60%.",
        "Lay share of attributed contributions in 2023: 60%",
    ]
    for text in stated:
        assert below_minimum(thin, [text], 2024), text
    # The whole period's per-year list: each year is looked up on its own.
    whole = "Lay members accounted for 43% of attributed contributions; by year, 2023: 60%."
    found = below_minimum(thin, [whole])
    assert any("for 2023" in f for f in found) and any("whole period" in f for f in found)


def test_the_same_findings_said_as_too_few_pass(thin: dict[str, pd.DataFrame]) -> None:
    said = [
        f"Lay members' share of contributions: {fmt.TOO_FEW}. The minutes attribute only 2 "
        "units to a named person, 1 of them to lay members; at least 10 are needed.",
        f"Whether outcomes reached service users collectively: {fmt.TOO_FEW}. The minutes of "
        "2024 record only 1 outcome unit (1 collective, 0 individual).",
        f"{fmt.TOO_FEW}: 1 of only 2 lay contributions were taken up (at least 5 needed)",
        "Lay share of attributed contributions in 2023: too few to conclude",
        # Figures with no minimum, and counts that are not shares, are not held back.
        "In 2024, 40% of the words in the minutes were about outcomes.",
    ]
    assert below_minimum(thin, said, 2024) == []


def test_enough_units_under_a_share_let_it_through(thin: dict[str, pd.DataFrame]) -> None:
    plenty = dict(thin)
    plenty["board_year"] = thin["board_year"].assign(attributed_units=config.MIN_ATTRIBUTED_UNITS)
    text = "Lay members made 60% of the contributions the minutes attribute to a named person."
    assert below_minimum(plenty, [text], 2024) == []
    assert below_minimum(thin, [text], 2024) != []


def test_an_interval_whose_ends_print_the_same_is_caught(thin: dict[str, pd.DataFrame]) -> None:
    many = dict(thin)
    many["board_year"] = thin["board_year"].assign(n_meetings=12)
    assert below_minimum(many, ["3.0 present on average (95% interval 1.5 to 2.5)."], 2024) == []
    assert below_minimum(many, ["lay share 0% (95% interval 0% to 0%)"], 2024)
    # Two meetings a year are too few to resample at all.
    assert below_minimum(thin, ["(95% interval 1.5 to 2.5)"], 2024)


# --------------------------------------------------------------------------- reports as written
@pytest.mark.slow
def test_reports_on_thin_data_say_too_few_and_pass_the_check(
    thin: dict[str, pd.DataFrame],
) -> None:
    page = annual.build_annual_report(thin, {}, 2024).html
    assert fmt.TOO_FEW in page
    # The year against the last: the earlier year's share on 5 units is not a figure either.
    assert "Against 2023, the lay share" not in page
    assert re.search(r"Lay share of attributed contributions</th>\s*<td[^>]*>" + fmt.TOO_FEW, page)
    whole = build_report(thin, {}).html
    assert fmt.TOO_FEW in whole


def _careless(module: types.ModuleType) -> types.SimpleNamespace:
    """``module.config`` with every minimum at 0: a finding that forgot its minimum."""
    values = {k: getattr(config, k) for k in dir(config) if k.isupper()}
    zeros = {k: 0 for k in values if k.startswith("MIN_") and k != "MIN_UNIT_WORD_SHARE"}
    return types.SimpleNamespace(**{**values, **zeros})


@pytest.mark.slow
def test_an_annual_report_showing_a_figure_below_its_minimum_is_not_written(
    thin: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(annual_findings, "config", _careless(annual_findings))
    monkeypatch.setattr(annual_findings, "RESTS_ON", {})
    with pytest.raises(consistency.ContradictionError, match=r"annual-2024\.html not written") as e:
        annual.build_annual_report(thin, {}, 2024)
    assert e.value.contradictions == []
    what = " ".join(e.value.below_minimum)
    for measure_words in ("lay share of attributed contributions", "collective share"):
        assert f"{measure_words}" in what
    assert "for 2023" in what  # last year's share in the table of the year against the last


@pytest.mark.slow
def test_a_whole_period_report_showing_a_figure_below_its_minimum_is_not_written(
    thin: dict[str, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(findings, "config", _careless(findings))
    with pytest.raises(consistency.ContradictionError, match=r"index\.html not written") as e:
        build_report(thin, {})
    assert any("over the whole period" in f for f in e.value.below_minimum)
    assert any("for 2023" in f for f in e.value.below_minimum)  # the "by year" list
