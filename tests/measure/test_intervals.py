"""Bootstrap intervals over meetings: they hold the estimate, follow the data, and repeat."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.core import schemas
from pipeline.measure.intervals import MIN_MEETINGS, STATISTICS, year_intervals


def meetings(lay_present: list[int], lay_units: list[int], year: int = 2024) -> pd.DataFrame:
    n = len(lay_present)
    return pd.DataFrame(
        {
            "meeting_id": [f"M{year}-{i}" for i in range(n)],
            "year": [year] * n,
            "n_words": [1000] * n,
            "process_share": [0.6] * n,
            "action_share": [0.3] * n,
            "outcome_share": [0.1] * n,
            "lay_present": lay_present,
            "lay_standard_met": [p >= 2 for p in lay_present],
            "attributed_units": [20] * n,
            "lay_units": lay_units,
            "outcomes_individual": [1] * n,
            "outcomes_collective": [3] * n,
            "lay_contributions": lay_units,
            "lay_taken_up": [u // 2 for u in lay_units],
            "lay_linked_outcomes": [2] * n,
            "lay_linked_outcomes_collective": [1] * n,
            "level_3plus": [1] * n,
            "lay_items": [3] * n,
            "items_with_lay_voice": [2] * n,
            "n_items": [8] * n,
        }
    )


def row(table: pd.DataFrame, measure: str, year: int = 2024) -> dict[str, object]:
    found = table[(table["measure"] == measure) & (table["year"] == year)]
    assert len(found) == 1
    return dict(found.iloc[0])


def test_every_figure_gets_a_row_per_year_in_the_schema() -> None:
    table = year_intervals(
        pd.concat([meetings([2, 3, 1], [2, 4, 0]), meetings([2] * 4, [3] * 4, 2023)])
    )
    assert list(table.columns) == schemas.columns("year_intervals")
    assert len(table) == 2 * len(STATISTICS)


def test_estimates_are_the_years_figures_and_lie_inside_their_interval() -> None:
    table = year_intervals(meetings([2, 3, 1, 0, 2, 4], [2, 4, 1, 0, 3, 6]))
    voice = row(table, "lay_voice_share")
    assert voice["estimate"] == pytest.approx(16 / 120)
    presence = row(table, "mean_lay_present")
    assert presence["estimate"] == pytest.approx(2.0)
    for measure in STATISTICS:
        r = row(table, measure)
        assert r["low"] <= r["estimate"] + 1e-9 <= r["high"] + 2e-9, measure


def test_figures_that_do_not_vary_between_meetings_have_no_width() -> None:
    r = row(year_intervals(meetings([2, 2, 2, 2], [5, 5, 5, 5])), "outcome_share")
    assert r["low"] == pytest.approx(0.1) and r["high"] == pytest.approx(0.1)


def test_more_varied_meetings_give_a_wider_interval() -> None:
    steady = row(year_intervals(meetings([2, 2, 3, 2, 2, 3, 2, 2], [3] * 8)), "mean_lay_present")
    varied = row(year_intervals(meetings([0, 4, 0, 4, 1, 5, 0, 4], [3] * 8)), "mean_lay_present")
    assert varied["high"] - varied["low"] > 2 * (steady["high"] - steady["low"])


def test_too_few_meetings_give_an_estimate_without_an_interval() -> None:
    r = row(
        year_intervals(meetings([2] * (MIN_MEETINGS - 1), [1] * (MIN_MEETINGS - 1))),
        "mean_lay_present",
    )
    assert r["estimate"] == pytest.approx(2.0)
    assert np.isnan(r["low"]) and np.isnan(r["high"]) and r["resamples"] == 0


def test_same_inputs_same_bounds() -> None:
    frame = meetings([1, 3, 0, 2, 5], [1, 6, 0, 2, 9])
    pd.testing.assert_frame_equal(year_intervals(frame), year_intervals(frame))


def test_uptake_rate_is_a_ratio_of_sums_over_meetings() -> None:
    # Points taken up 1, 2, 0, 0, 1, 3 of 2, 4, 1, 0, 3, 6: a meeting with more points weighs more.
    table = year_intervals(meetings([2, 3, 1, 0, 2, 4], [2, 4, 1, 0, 3, 6]))
    assert row(table, "uptake_rate")["estimate"] == pytest.approx(7 / 16)
    assert row(table, "lay_linked_collective_share")["estimate"] == pytest.approx(0.5)
    assert row(table, "level_3plus_share")["estimate"] == pytest.approx(1 / 3)


def test_a_table_without_involvement_counts_gets_empty_involvement_intervals() -> None:
    old = meetings([2, 3, 1, 2], [1, 2, 0, 1]).drop(columns=["lay_taken_up", "lay_contributions"])
    r = row(year_intervals(old), "uptake_rate")
    assert np.isnan(r["estimate"]) and np.isnan(r["low"])
