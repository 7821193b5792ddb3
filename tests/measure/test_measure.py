"""Measures: word shares, presence, voice, outcomes and alignment, each checked by hand."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from scipy.stats import spearmanr

from pipeline.core import config, schemas
from pipeline.inputs.codebook import parse_codebook
from pipeline.involvement.levels import item_levels
from pipeline.measure import Measures, measure

CODEBOOK = parse_codebook(
    {
        "name": "test",
        "version": 1,
        "source": "survey",
        "themes": [
            {
                "id": "housing",
                "label": "Housing",
                "priority_rank": 1,
                "survey_share": 0.5,
                "definition": "d",
                "seeds": ["housing"],
            },
            {
                "id": "crisis",
                "label": "Crisis",
                "priority_rank": 2,
                "definition": "d",
                "seeds": ["crisis"],
            },
            {
                "id": "stigma",
                "label": "Stigma",
                "priority_rank": 3,
                "definition": "d",
                "seeds": ["stigma"],
            },
            {
                "id": "carers",
                "label": "Carers",
                "priority_rank": 4,
                "definition": "d",
                "seeds": ["carer"],
            },
        ],
    },
    "<test>",
)

MEETINGS = [
    # meeting_id, date, lay_present
    ("M2023-01-19", dt.date(2023, 1, 19), 3),
    ("M2023-06-01", dt.date(2023, 6, 1), 1),
    ("M2024-02-01", dt.date(2024, 2, 1), 2),
    ("M2024-05-02", dt.date(2024, 5, 2), 0),
]
UNITS = [
    # meeting, words, focus, speaker role, scope, theme
    ("M2023-01-19", 10, "process", "chair", "", "housing"),
    ("M2023-01-19", 20, "action", "officer", "", "crisis"),
    ("M2023-01-19", 30, "outcome", "service_user", "collective", "crisis"),
    ("M2023-01-19", 40, "process", "none", "", "other"),
    ("M2023-06-01", 50, "outcome", "carer", "individual", "housing"),
    ("M2023-06-01", 25, "process", "member", "", "carers"),
    ("M2024-02-01", 60, "process", "lay", "", "crisis"),
    ("M2024-02-01", 40, "outcome", "officer", "collective", "housing"),
    ("M2024-05-02", 10, "process", "none", "", "other"),
]


def meetings_frame() -> pd.DataFrame:
    return schemas.conform(
        pd.DataFrame(
            [
                {
                    "meeting_id": mid,
                    "meeting_date": date,
                    "year": date.year,
                    "doc_id": mid,
                    "source": f"{mid}.pdf",
                    "members_present": 8,
                    "lay_present": lay,
                    "apologies": 1,
                    "in_attendance": 2,
                    "lay_standard_met": lay >= 2,
                    "has_attendance": True,
                    "n_items": 3,
                    "n_units": sum(u[0] == mid for u in UNITS),
                }
                for mid, date, lay in MEETINGS
            ]
        ),
        "meetings",
    )


def units_frame() -> pd.DataFrame:
    dates = {mid: date for mid, date, _ in MEETINGS}
    rows = []
    counter: dict[str, int] = {}
    for mid, words, focus, role, scope, theme in UNITS:
        counter[mid] = counter.get(mid, 0) + 1
        rows.append(
            {
                "segment_id": f"{mid}-{counter[mid]:03d}",
                "meeting_id": mid,
                "meeting_date": dates[mid],
                "doc_id": mid,
                "source": f"{mid}.pdf",
                "page": 1,
                "item_no": "1",
                "item_title": "Item",
                "speaker_id": "" if role == "none" else "X 1",
                "speaker_role": role,
                "text": "word " * words,
                "n_words": words,
                "is_action": False,
                "is_decision": False,
                "action_owner": "",
                "theme": theme,
                "theme_score": 0.5,
                "theme_source": "zero-shot",
                "focus": focus,
                "focus_score": 0.8,
                "outcome_scope": scope,
                "level": pd.NA,
                "unit_key": f"k{len(rows)}",
            }
        )
    return schemas.conform(pd.DataFrame(rows), "segments")


@pytest.fixture(scope="module")
def result() -> Measures:
    return measure(units_frame(), meetings_frame(), CODEBOOK, item_levels(units_frame()))


def by_meeting(result: Measures) -> dict[str, dict[str, object]]:
    return {r["meeting_id"]: r for r in result.meeting_measures.to_dict("records")}


def by_year(result: Measures) -> dict[int, dict[str, object]]:
    return {int(r["year"]): r for r in result.board_year.to_dict("records")}


# --------------------------------------------------------------------------- per meeting
@pytest.mark.parametrize(
    ("meeting", "shares"),
    [
        ("M2023-01-19", (50 / 100, 20 / 100, 30 / 100)),
        ("M2023-06-01", (25 / 75, 0.0, 50 / 75)),
        ("M2024-02-01", (60 / 100, 0.0, 40 / 100)),
        ("M2024-05-02", (1.0, 0.0, 0.0)),
    ],
)
def test_meeting_word_shares(
    result: Measures, meeting: str, shares: tuple[float, float, float]
) -> None:
    row = by_meeting(result)[meeting]
    got = (row["process_share"], row["action_share"], row["outcome_share"])
    assert got == pytest.approx(shares)
    assert sum(got) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("meeting", "attributed", "lay", "share"),
    [
        ("M2023-01-19", 3, 1, 1 / 3),  # chair, officer, service user; "none" is not attributed
        ("M2023-06-01", 2, 1, 1 / 2),
        ("M2024-02-01", 2, 1, 1 / 2),
    ],
)
def test_lay_voice_share(
    result: Measures, meeting: str, attributed: int, lay: int, share: float
) -> None:
    row = by_meeting(result)[meeting]
    assert (row["attributed_units"], row["lay_units"]) == (attributed, lay)
    assert row["lay_voice_share"] == pytest.approx(share)


def test_voice_share_is_missing_when_nobody_is_attributed(result: Measures) -> None:
    row = by_meeting(result)["M2024-05-02"]
    assert row["attributed_units"] == 0
    assert math.isnan(row["lay_voice_share"])


def test_meeting_counts_and_presence(result: Measures) -> None:
    rows = by_meeting(result)
    assert [rows[m]["n_units"] for m, _, _ in MEETINGS] == [4, 2, 2, 1]
    assert [rows[m]["n_words"] for m, _, _ in MEETINGS] == [100, 75, 100, 10]
    assert [rows[m]["lay_present"] for m, _, _ in MEETINGS] == [3, 1, 2, 0]
    assert [bool(rows[m]["lay_standard_met"]) for m, _, _ in MEETINGS] == [True, False, True, False]
    assert [
        (rows[m]["outcomes_individual"], rows[m]["outcomes_collective"]) for m, _, _ in MEETINGS
    ] == [(0, 1), (1, 0), (0, 1), (0, 0)]


# --------------------------------------------------------------------------- per year
def test_year_word_shares(result: Measures) -> None:
    years = by_year(result)
    assert sorted(years) == [2023, 2024]
    y23, y24 = years[2023], years[2024]
    assert (y23["n_units"], y23["n_words"]) == (6, 175)
    assert (y23["process_share"], y23["action_share"], y23["outcome_share"]) == pytest.approx(
        (75 / 175, 20 / 175, 80 / 175)
    )
    assert (y24["process_share"], y24["action_share"], y24["outcome_share"]) == pytest.approx(
        (70 / 110, 0.0, 40 / 110)
    )


def test_year_presence_against_the_standard(result: Measures) -> None:
    y23, y24 = by_year(result)[2023], by_year(result)[2024]
    assert y23["n_meetings"] == 2 and y24["n_meetings"] == 2
    assert y23["mean_lay_present"] == pytest.approx((3 + 1) / 2)
    assert y24["mean_lay_present"] == pytest.approx((2 + 0) / 2)
    assert (y23["meetings_standard_met"], y23["share_meetings_standard_met"]) == (1, 0.5)
    assert (y24["meetings_standard_met"], y24["share_meetings_standard_met"]) == (1, 0.5)
    assert (y23["meetings_single_lay"], y24["meetings_single_lay"]) == (1, 0)


def test_year_voice_and_outcomes_name_their_units(result: Measures) -> None:
    y23, y24 = by_year(result)[2023], by_year(result)[2024]
    assert (y23["attributed_units"], y23["lay_units"]) == (5, 2)
    assert y23["lay_voice_share"] == pytest.approx(2 / 5)
    assert y23["lay_segment_ids"].split(";") == ["M2023-01-19-003", "M2023-06-01-001"]
    assert (y23["outcome_units"], y23["outcomes_individual"], y23["outcomes_collective"]) == (
        2,
        1,
        1,
    )
    assert y23["collective_outcome_share"] == pytest.approx(0.5)
    assert y23["outcome_segment_ids"].split(";") == ["M2023-01-19-003", "M2023-06-01-001"]
    assert y24["outcome_segment_ids"].split(";") == ["M2024-02-01-002"]
    assert y24["lay_segment_ids"].split(";") == ["M2024-02-01-001"]
    assert y24["collective_outcome_share"] == pytest.approx(1.0)


def test_ids_behind_a_figure_count_the_figure(result: Measures) -> None:
    for row in by_year(result).values():
        assert (
            len([i for i in str(row["outcome_segment_ids"]).split(";") if i])
            == row["outcome_units"]
        )
        assert len([i for i in str(row["lay_segment_ids"]).split(";") if i]) == row["lay_units"]


# --------------------------------------------------------------------------- themes
WORDS = {  # theme -> words, by hand from UNITS
    0: {"housing": 10 + 50 + 40, "crisis": 20 + 30 + 60, "stigma": 0, "carers": 25},
    2023: {"housing": 10 + 50, "crisis": 20 + 30, "stigma": 0, "carers": 25},
    2024: {"housing": 40, "crisis": 60, "stigma": 0, "carers": 0},
}
TOTAL = {0: 285, 2023: 175, 2024: 110}  # all coded words, "other" included
ATTENTION_RANK = {  # 1 = most words among the survey themes; ties share the mean rank
    0: {"crisis": 1, "housing": 2, "carers": 3, "stigma": 4},
    2023: {"housing": 1, "crisis": 2, "carers": 3, "stigma": 4},
    2024: {"crisis": 1, "housing": 2, "stigma": 3.5, "carers": 3.5},
}


@pytest.mark.parametrize("year", [0, 2023, 2024])
def test_theme_attention(result: Measures, year: int) -> None:
    rows = result.theme_attention[result.theme_attention["year"] == year].set_index("theme")
    assert sorted(rows.index) == sorted(CODEBOOK.ids)
    for theme, words in WORDS[year].items():
        assert rows.loc[theme, "n_words"] == words
        assert rows.loc[theme, "word_share"] == pytest.approx(words / TOTAL[year])
        assert rows.loc[theme, "attention_rank"] == ATTENTION_RANK[year][theme]
        assert rows.loc[theme, "priority_rank"] == CODEBOOK.by_id[theme].priority_rank
    assert rows.loc["housing", "n_units"] == {0: 3, 2023: 2, 2024: 1}[year]


# Under half an even share of the survey themes' words (WORDS): 0 and 25 of 235 for the whole
# period (half an even share: 29.4), 0 of 135 in 2023 (16.9), 0 and 0 of 100 in 2024 (12.5).
LITTLE = {0: {"stigma", "carers"}, 2023: {"stigma"}, 2024: {"stigma", "carers"}}


@pytest.mark.parametrize("year", [0, 2023, 2024])
def test_priorities_given_under_half_an_even_share_get_little_attention(
    result: Measures, year: int
) -> None:
    rows = result.theme_attention[result.theme_attention["year"] == year]
    little = set(rows.loc[rows["little_attention"], "theme"])
    assert little == LITTLE[year]
    assert config.OTHER_THEME not in little


def test_with_no_words_on_any_priority_every_priority_gets_little_attention() -> None:
    units = units_frame().assign(theme="other")
    attention = measure(units, meetings_frame(), CODEBOOK, item_levels(units)).theme_attention
    survey = attention[attention["theme"] != config.OTHER_THEME]
    assert survey["little_attention"].all()


@pytest.mark.parametrize("year", [2023, 2024])
def test_alignment_is_spearman_of_survey_rank_against_attention_rank(
    result: Measures, year: int
) -> None:
    themes = list(CODEBOOK.ids)
    expected = spearmanr(
        [CODEBOOK.by_id[t].priority_rank for t in themes], [ATTENTION_RANK[year][t] for t in themes]
    )
    row = by_year(result)[year]
    assert row["alignment_rho"] == pytest.approx(expected.statistic)
    assert row["alignment_p"] == pytest.approx(expected.pvalue)


def test_the_alignment_table_holds_each_years_rho_and_the_whole_periods(
    result: Measures,
) -> None:
    table = result.alignment.set_index("year")
    assert list(table.index) == [0, 2023, 2024]
    for year, row in by_year(result).items():
        assert table.loc[year, "alignment_rho"] == pytest.approx(row["alignment_rho"])
        assert table.loc[year, "n_themes"] == len(CODEBOOK.ids)
    # The whole period's rho is over all years' words, not an average of the years'.
    whole = result.theme_attention.query("year == 0 and theme != 'other'")
    expected = spearmanr(whole["priority_rank"], whole["attention_rank"])
    assert table.loc[0, "alignment_rho"] == pytest.approx(expected.statistic)
    assert table.loc[0, "alignment_p"] == pytest.approx(expected.pvalue)


def test_alignment_is_missing_when_no_theme_was_discussed() -> None:
    units = units_frame().assign(theme="other")
    row = measure(units, meetings_frame(), CODEBOOK, item_levels(units)).board_year.iloc[0]
    assert math.isnan(row["alignment_rho"]) and math.isnan(row["alignment_p"])


# --------------------------------------------------------------------------- tables
def test_tables_conform_to_their_schemas(result: Measures) -> None:
    for name in ("meeting_measures", "theme_attention", "board_year", "alignment"):
        table = getattr(result, name)
        assert list(table.columns) == schemas.columns(name)
        pd.testing.assert_frame_equal(schemas.conform(table, name), table)


def test_no_meetings_give_empty_tables() -> None:
    empty = measure(
        schemas.empty("segments"),
        schemas.empty("meetings"),
        CODEBOOK,
        item_levels(schemas.empty("segments")),
    )
    assert empty.meeting_measures.empty and empty.board_year.empty
    assert list(empty.board_year.columns) == schemas.columns("board_year")


# --------------------------------------------------------------------------- involvement
def uptake_links() -> pd.DataFrame:
    rows = [
        # contribution, its meeting, target, its meeting, target scope
        ("M2023-01-19-003", "M2023-01-19", "M2023-06-01-001", "M2023-06-01", "individual"),
        ("M2023-01-19-003", "M2023-01-19", "M2024-02-01-002", "M2024-02-01", "collective"),
        ("M2024-02-01-001", "M2024-02-01", "M2024-02-01-002", "M2024-02-01", "collective"),
    ]
    return schemas.conform(
        pd.DataFrame(
            [
                {
                    "contribution_id": c,
                    "contribution_meeting_id": cm,
                    "item_no": "1",
                    "speaker_id": "X 1",
                    "speaker_role": "service_user",
                    "target_id": t,
                    "target_meeting_id": tm,
                    "target_item_no": "1",
                    "target_focus": "outcome",
                    "target_scope": scope,
                    "link": "outcome",
                    "evidence": "e",
                    "similarity": 0.7,
                }
                for c, cm, t, tm, scope in rows
            ]
        ),
        "uptake",
    )


@pytest.fixture(scope="module")
def involved() -> Measures:
    return measure(
        units_frame(), meetings_frame(), CODEBOOK, item_levels(units_frame()), links=uptake_links()
    )


@pytest.mark.parametrize(
    ("meeting", "contributions", "taken", "rate", "linked", "collective"),
    [
        ("M2023-01-19", 1, 1, 1.0, 0, 0),
        ("M2023-06-01", 1, 0, 0.0, 1, 0),  # the outcome counts where it was reported
        ("M2024-02-01", 1, 1, 1.0, 1, 1),  # one outcome linked twice is one outcome
    ],
)
def test_meeting_uptake(
    involved: Measures,
    meeting: str,
    contributions: int,
    taken: int,
    rate: float,
    linked: int,
    collective: int,
) -> None:
    row = by_meeting(involved)[meeting]
    assert (row["lay_contributions"], row["lay_taken_up"]) == (contributions, taken)
    assert row["uptake_rate"] == pytest.approx(rate)
    assert (row["lay_linked_outcomes"], row["lay_linked_outcomes_collective"]) == (
        linked,
        collective,
    )


def test_year_uptake_and_linked_outcomes(involved: Measures) -> None:
    y23, y24 = by_year(involved)[2023], by_year(involved)[2024]
    assert (y23["lay_contributions"], y23["lay_taken_up"]) == (2, 1)
    assert y23["uptake_rate"] == pytest.approx(0.5)
    assert y23["lay_taken_up_ids"] == "M2023-01-19-003"
    assert (y23["lay_linked_outcomes"], y23["lay_linked_outcomes_collective"]) == (1, 0)
    assert y23["lay_linked_collective_share"] == pytest.approx(0.0)
    assert (y24["lay_linked_outcomes"], y24["lay_linked_collective_share"]) == (1, 1.0)
    assert y24["lay_linked_outcome_ids"] == "M2024-02-01-002"


def test_no_uptake_table_means_nothing_taken_up(result: Measures) -> None:
    y23 = by_year(result)[2023]
    assert (y23["lay_contributions"], y23["lay_taken_up"], y23["uptake_rate"]) == (2, 0, 0.0)


def test_items_with_lay_voice_and_levels(involved: Measures) -> None:
    y23, y24 = by_year(involved)[2023], by_year(involved)[2024]
    assert (y23["n_items"], y23["items_with_lay_voice"], y23["lay_items"]) == (2, 2, 2)
    assert (y24["n_items"], y24["items_with_lay_voice"], y24["lay_items"]) == (2, 1, 1)
    for row in (y23, y24):
        levels = [row[f"level_{n}"] for n in range(1, 6)]
        assert sum(levels) == row["lay_items"]


def test_every_year_is_placed_on_the_index_with_its_components(involved: Measures) -> None:
    for row in by_year(involved).values():
        # The fixture's years have lists but attribute few units: placed on both axes, and
        # labelled only where there is enough to weigh (config.MIN_ATTRIBUTED_UNITS).
        few = row["attributed_units"] < config.MIN_ATTRIBUTED_UNITS
        assert row["index_label"] in (
            ("absent", "not measurable")
            if few
            else ("absent", "symbolic", "instrumental", "leading")
        )
        assert few or row["index_reason"] == ""
        assert 0.0 <= row["presence_axis"] <= 1.0 and 0.0 <= row["influence_axis"] <= 1.0
        assert row["presence_axis"] == pytest.approx(
            (
                row["presence_score_mean"]
                + row["presence_score_standard"]
                + row["presence_score_not_alone"]
            )
            / 3
        )
    # 2023: 2 lay of 8 members present on average; parity is a quarter of contributions.
    assert by_year(involved)[2023]["lay_seat_share"] == pytest.approx(2 / 8)
    assert not involved.index_sensitivity.empty


def test_the_period_table_totals_the_years_for_the_reports_findings(result: Measures) -> None:
    period = result.period.iloc[0]
    years = result.board_year
    for column in ("n_units", "attributed_units", "lay_units", "outcome_units"):
        assert period[column] == years[column].sum()
    assert period["lay_voice_share"] == pytest.approx(
        years["lay_units"].sum() / years["attributed_units"].sum()
    )
    assert period["n_meetings"] == len(meetings_frame())


def test_a_meetings_row_is_its_years_row_when_the_year_holds_only_it() -> None:
    """A meeting's figures are counted row by row and a year's from frames: with one meeting a
    year, the two ways must agree on every figure both tables hold."""
    units, meetings = units_frame(), meetings_frame()
    year_of = {mid: 2020 + i for i, (mid, _, _) in enumerate(MEETINGS)}
    dated = {mid: dt.date(y, 3, 1) for mid, y in year_of.items()}
    units["meeting_date"] = units["meeting_id"].map(dated)
    units.loc[units["meeting_id"] == "M2023-01-19", "item_no"] = ["1", "1", "2", ""]
    meetings["meeting_date"] = meetings["meeting_id"].map(dated)
    meetings["year"] = meetings["meeting_id"].map(year_of)
    times = schemas.conform(
        pd.DataFrame(
            {
                "meeting_id": ["M2023-01-19", "M2023-01-19", "M2024-02-01", "M2023-06-01"],
                "item_no": ["1", "2", "1", "9"],  # item 9 has no units: nothing to split
                "item_title": "",
                "minutes": [20.0, 10.0, 15.0, 5.0],
                "source_of_time": "stated_duration",
                "time_document": "minutes",
            }
        ),
        "item_times",
    )
    result = measure(
        units, meetings, CODEBOOK, item_levels(units), links=uptake_links(), times=times
    )
    years = result.board_year.set_index("year")
    shared = [
        c
        for c in schemas.columns("meeting_measures")
        if c in schemas.columns("board_year") and c not in ("meeting_date", "year", "meeting_id")
    ]
    assert {"lay_taken_up", "lay_linked_outcomes", "timed_minutes", "level_3"} <= set(shared)
    for row in result.meeting_measures.to_dict("records"):
        year = years.loc[year_of[str(row["meeting_id"])]]
        for column in shared:
            mine, theirs = row[column], year[column]
            if pd.isna(theirs):
                assert pd.isna(mine), (row["meeting_id"], column)
            else:
                assert mine == pytest.approx(theirs), (row["meeting_id"], column)
    timed = result.meeting_measures.set_index("meeting_id")["timed_minutes"]
    assert timed["M2023-01-19"] == 30.0 and pd.isna(timed["M2023-06-01"])
