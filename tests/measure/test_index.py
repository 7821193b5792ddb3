"""The symbolic-instrumental index: a board-year's figures in, axes, label and sensitivity out."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.core import config, schemas
from pipeline.measure.index import SENSITIVITY_RANGES, Params, place, sensitivity


def year(**figures: float) -> dict[str, object]:
    """A board_year row: eight meetings, lay members present but unheard, unless overridden."""
    row: dict[str, object] = {
        "year": 2023,
        "n_meetings": 8,
        "mean_lay_present": 2.0,
        "meetings_standard_met": 6,
        "share_meetings_standard_met": 0.75,
        "meetings_single_lay": 2,
        "lay_voice_share": 0.10,
        "lay_seat_share": 0.25,
        "uptake_rate": 0.05,
        "level_3plus_share": 0.0,
        "lay_linked_outcomes_collective": 0,
        "level_5": 0,
    }
    row.update(figures)
    return row


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        # Horrocks' board: present, speaking a little, points rarely acted on.
        ({}, "symbolic"),
        # Nobody there: whatever the other figures say, the label is absent.
        (
            {
                "mean_lay_present": 0.25,
                "meetings_standard_met": 0,
                "share_meetings_standard_met": 0.0,
                "meetings_single_lay": 2,
                "lay_voice_share": 0.3,
            },
            "absent",
        ),
        # Heard at parity, half their points acted on, sharing the work.
        (
            {"lay_voice_share": 0.25, "uptake_rate": 0.3, "level_3plus_share": 0.2},
            "instrumental",
        ),
        # All of that, collective outcomes traced to them, and items they led.
        (
            {
                "lay_voice_share": 0.3,
                "uptake_rate": 0.5,
                "level_3plus_share": 0.5,
                "lay_linked_outcomes_collective": 4,
                "level_5": 3,
            },
            "leading",
        ),
        # The same influence without a single lay-led item is instrumental, not leading.
        (
            {
                "lay_voice_share": 0.3,
                "uptake_rate": 0.5,
                "level_3plus_share": 0.5,
                "lay_linked_outcomes_collective": 4,
                "level_5": 0,
            },
            "instrumental",
        ),
    ],
)
def test_label(figures: dict[str, float], expected: str) -> None:
    assert place(year(**figures)).index_label == expected


def test_axes_are_the_means_of_their_components() -> None:
    placed = place(year())
    assert placed.presence_score_mean == pytest.approx(2.0 / config.PRESENCE_IDEAL)
    assert placed.presence_score_standard == pytest.approx(0.75)
    assert placed.presence_score_not_alone == pytest.approx(6 / (6 + 2))
    assert placed.presence_axis == pytest.approx((2 / 3 + 0.75 + 0.75) / 3)
    assert placed.influence_score_voice == pytest.approx(0.10 / 0.25)
    assert placed.influence_score_uptake == pytest.approx(0.05 / config.INDEX_UPTAKE_FULL)
    assert placed.influence_axis == pytest.approx((0.4 + 0.1 + 0 + 0) / 4)


def test_components_are_capped_at_full() -> None:
    placed = place(year(lay_voice_share=0.9, uptake_rate=1.0, mean_lay_present=6))
    assert placed.influence_score_voice == 1.0
    assert placed.influence_score_uptake == 1.0
    assert placed.presence_score_mean == 1.0


def test_missing_figures_count_as_no_evidence() -> None:
    placed = place(year(uptake_rate=float("nan"), lay_voice_share=float("nan")))
    assert placed.influence_score_uptake == 0.0 and placed.influence_score_voice == 0.0


def test_a_lower_bar_can_turn_symbolic_into_instrumental() -> None:
    row = year()
    assert place(row).index_label == "symbolic"
    assert place(row, Params(INDEX_INSTRUMENTAL_FROM=0.1)).index_label == "instrumental"


def test_sensitivity_varies_one_parameter_at_a_time() -> None:
    board_year = pd.DataFrame([year(), year(year=2024, uptake_rate=0.4, level_3plus_share=0.4)])
    table = sensitivity(board_year)
    assert list(table.columns) == schemas.columns("index_sensitivity")
    for (y, name), part in table.groupby(["year", "parameter"]):
        assert part["is_default"].sum() == 1, (y, name)
        default = part[part["is_default"]].iloc[0]
        row = board_year[board_year["year"] == y].iloc[0]
        assert default["index_label"] == place(row).index_label
    assert set(table["parameter"]) == set(SENSITIVITY_RANGES)
    bar = table[(table["year"] == 2024) & (table["parameter"] == "INDEX_INSTRUMENTAL_FROM")]
    # A bar below the year's influence gives instrumental, one above it symbolic.
    assert {"symbolic", "instrumental"} <= set(bar["index_label"])


def test_every_declared_threshold_is_a_setting_of_the_index_with_its_default_tried() -> None:
    from dataclasses import fields

    from pipeline.core import config

    declared = [t.name for t in config.INDEX_THRESHOLDS]
    assert declared == [f.name for f in fields(Params)]
    for t in config.INDEX_THRESHOLDS:
        assert getattr(Params(), t.name) == t.default
        assert min(t.tried) <= t.default <= max(t.tried)
        assert t.words


def test_each_year_records_how_many_settings_tried_keep_its_label() -> None:
    from pipeline.involvement.levels import item_levels
    from pipeline.measure import measure
    from tests.measure.test_measure import CODEBOOK, meetings_frame, units_frame

    result = measure(units_frame(), meetings_frame(), CODEBOOK, item_levels(units_frame()))
    table = result.index_sensitivity
    for row in result.board_year.to_dict("records"):
        settings = table[table["year"] == row["year"]]
        assert row["label_settings_tried"] == len(settings) > 0
        kept = int((settings["index_label"] == row["index_label"]).sum())
        assert row["label_settings_same"] == kept
        # Every parameter at its default gives the year its own label.
        assert kept >= len(SENSITIVITY_RANGES)
