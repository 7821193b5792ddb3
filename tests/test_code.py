"""Theme coding: one theme per unit from the codebook's seeds, the agenda item as context."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.code import code
from pipeline.codebook import Codebook, parse_codebook
from pipeline.preprocess import lemmatise

CODEBOOK: Codebook = parse_codebook(
    {
        "name": "eastvale-survey-2006",
        "version": 1,
        "source": "Postal survey of service users, 2006 (n=412)",
        "themes": [
            {
                "id": "crisis_support",
                "label": "Help in a crisis, day and night",
                "priority_rank": 1,
                "survey_share": 0.46,
                "definition": "Urgent help out of hours.",
                "seeds": ["crisis line", "out of hours", "home treatment"],
            },
            {
                "id": "housing",
                "label": "A decent place to live",
                "priority_rank": 2,
                "survey_share": 0.31,
                "definition": "Housing and tenancies.",
                "seeds": ["housing", "tenancy", "homeless"],
            },
            {
                "id": "carers",
                "label": "Support for carers",
                "priority_rank": 3,
                "definition": "Carers' breaks and assessments.",
                "seeds": ["respite", "carer's assessment"],
            },
        ],
    },
    "themes/eastvale-survey-2006.yaml",
)


def units(*rows: tuple[str, str]) -> pd.DataFrame:
    """Units as preprocessing leaves them: text, item title, words and lemmas of both."""
    texts = [t for t, _ in rows]
    titles = [i for _, i in rows]
    return pd.DataFrame(
        {
            "segment_id": [f"M2024-03-14-{i:03d}" for i in range(1, len(rows) + 1)],
            "text": texts,
            "item_title": titles,
            "n_words": [len(t.split()) for t in texts],
            "lemmas": lemmatise(texts),
            "item_lemmas": lemmatise(titles),
        }
    )


def themes(*rows: tuple[str, str]) -> list[str]:
    return code(units(*rows), CODEBOOK)["theme"].tolist()


LONG_TAIL = " The meeting heard from several members about this in some detail before moving on."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Calls to the crisis line rose by a fifth." + LONG_TAIL, "crisis_support"),
        ("Out of hours cover was thin at weekends." + LONG_TAIL, "crisis_support"),
        ("Two people had lost their tenancy in March." + LONG_TAIL, "housing"),
        ("Respite breaks were booked at short notice." + LONG_TAIL, "carers"),
        ("The minutes of the last meeting were agreed." + LONG_TAIL, "other"),
    ],
)
def test_seed_words_give_the_theme(text: str, expected: str) -> None:
    assert themes((text, "Matters arising")) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The crisis lines were busy all winter.", "crisis_support"),
        ("Crisis Lines were busy all winter.", "crisis_support"),  # capitals at a sentence start
        ("Tenancies were lost over the winter.", "housing"),
        ("The Home Treatment teams were stretched.", "crisis_support"),
    ],
)
def test_inflected_forms_meet_their_seed(text: str, expected: str) -> None:
    assert themes((text + LONG_TAIL, "Any other business")) == [expected]


def test_item_title_gives_context_to_a_short_unit() -> None:
    short = "Action: Officer 2 to circulate the figures."
    assert themes((short, "Crisis line performance")) == ["crisis_support"]
    assert themes((short, "Any other business")) == ["other"]


def test_item_title_alone_does_not_theme_a_long_unit() -> None:
    long_text = (
        "Officer 2 presented the figures for the quarter and members asked several "
        "questions about how they had been collected and checked."
    )
    assert len(long_text.split()) >= 15
    assert themes((long_text, "Crisis line performance")) == ["other"]


def test_unit_without_seeds_is_other_with_score_zero() -> None:
    out = code(units(("The Chair welcomed everyone to the meeting.", "Welcome")), CODEBOOK)
    assert out[["theme", "theme_score"]].values.tolist() == [["other", 0.0]]


def test_scores_are_between_zero_and_one_and_grow_with_evidence() -> None:
    out = code(
        units(
            ("The crisis line was busy." + LONG_TAIL, "Reports"),
            (
                "The crisis line, home treatment and out of hours teams were all busy." + LONG_TAIL,
                "Reports",
            ),
        ),
        CODEBOOK,
    )
    one, three = out["theme_score"].tolist()
    assert 0 < one < three <= 1


def test_mixed_evidence_scores_lower_than_clear_evidence() -> None:
    out = code(
        units(
            ("The crisis line and home treatment teams were busy." + LONG_TAIL, "Reports"),
            ("The crisis line and housing teams were busy." + LONG_TAIL, "Reports"),
        ),
        CODEBOOK,
    )
    clear, mixed = out["theme_score"].tolist()
    assert mixed < clear


def test_a_tie_goes_to_the_theme_service_users_ranked_higher() -> None:
    text = "Respite and housing were both discussed." + LONG_TAIL
    assert themes((text, "Reports")) == ["housing"]  # rank 2 beats rank 3


def test_every_unit_gets_exactly_one_theme_from_the_codebook_or_other() -> None:
    rows = [("Crisis line.", ""), ("Housing.", ""), ("Nothing.", ""), ("", "")]
    out = code(units(*rows), CODEBOOK)
    assert len(out) == len(rows)
    assert set(out["theme"]) <= {*CODEBOOK.ids, "other"}


def test_coding_is_deterministic_and_independent_of_order() -> None:
    rows = [
        ("Calls to the crisis line rose." + LONG_TAIL, "Crisis"),
        ("Two tenancies were lost." + LONG_TAIL, "Housing"),
        ("Respite breaks were booked." + LONG_TAIL, "Carers"),
        ("Nothing to report.", "Any other business"),
    ]
    first = code(units(*rows), CODEBOOK)
    again = code(units(*rows), CODEBOOK)
    pd.testing.assert_frame_equal(first, again)
    backwards = code(units(*reversed(rows)), CODEBOOK)
    assert backwards["theme"].tolist() == list(reversed(first["theme"].tolist()))
    assert backwards["theme_score"].tolist() == list(reversed(first["theme_score"].tolist()))


def test_coding_adds_columns_and_keeps_the_units() -> None:
    before = units(("Calls to the crisis line rose.", "Crisis"))
    after = code(before, CODEBOOK)
    assert list(after.columns[: len(before.columns)]) == list(before.columns)
    assert {"theme", "theme_score"} <= set(after.columns)
    pd.testing.assert_frame_equal(after[before.columns], before)
