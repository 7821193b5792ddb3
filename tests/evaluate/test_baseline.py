"""The keyword baseline: each rule on small texts, so its plainness is pinned down on purpose.

The baseline must stay as plain as documented (it is the yardstick the pipeline is measured
against), so these tests also pin the mistakes it is expected to make.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from pipeline.evaluate.baseline import (
    focus_baseline,
    scope_baseline,
    speaker_role_baseline,
    theme_baseline,
)
from pipeline.inputs.codebook import Codebook, Theme


def _theme(theme_id: str, rank: int, seeds: tuple[str, ...]) -> Theme:
    return Theme(
        id=theme_id,
        label=theme_id.replace("_", " "),
        priority_rank=rank,
        survey_share=None,
        definition="",
        seeds=seeds,
    )


# Listed out of rank order on purpose: ties must go by priority rank, not by position.
CODEBOOK = Codebook(
    name="test",
    version=1,
    source="test",
    origin="<test>",
    themes=(
        _theme("crisis_support", 2, ("crisis", "out of hours")),
        _theme("housing", 1, ("housing", "tenancy", "homeless", "")),
    ),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Action: Officer 2 to circulate the protocol.", "action"),
        ("Officer 2 will write to the Minister.", "action"),
        ("The results will be reported in May.", "action"),  # action words win over outcome words
        ("Waiting times were reduced to six weeks.", "outcome"),
        ("Twelve people were HOUSED in the new scheme.", "outcome"),
        ("The minutes of the last meeting were agreed.", "process"),
        (
            "Satisfaction with the service was discussed.",
            "action",
        ),  # plain: 'action' in 'satisfaction'
        ("Willingly agreed", "process"),  # ' will ' needs spaces
    ],
)
def test_focus_baseline(text: str, expected: str) -> None:
    assert focus_baseline([text]) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Service user 2 received training as a peer mentor.", "individual"),
        ("Carer 1 had HER OWN assessment completed.", "individual"),
        ("Expenses were paid promptly.", "individual"),
        ("Fifty families were housed on the estate.", "collective"),
        ("", "collective"),
    ],
)
def test_scope_baseline(text: str, expected: str) -> None:
    assert scope_baseline([text]) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Service user 2 asked about the crisis line.", "service_user"),
        ("Carer 1 said that carers were not told.", "carer"),
        ("Lay member 1 welcomed the report.", "lay"),
        ("Chair 1 thanked everyone.", "chair"),
        ("Member 3 declared an interest.", "member"),
        ("Officer 5 presented the strategy.", "officer"),
        ("The minutes were agreed.", "none"),
        ("Officer 5 replied to Service user 2.", "officer"),  # the first role word wins
        ("In reply to Service user 2, Officer 5 said", "service_user"),  # even when it is wrong
        ("members agreed the terms of reference.", "none"),  # role words are case-sensitive
    ],
)
def test_speaker_role_baseline(text: str, expected: str) -> None:
    assert speaker_role_baseline([text]) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The crisis team now works out of hours.", "crisis_support"),
        ("A CRISIS line was discussed.", "crisis_support"),
        ("Housing for people in crisis.", "housing"),  # tie 1-1: better priority rank wins
        ("Crisis, crisis and housing.", "crisis_support"),  # more occurrences win
        ("Homeless people lost a tenancy.", "housing"),
        ("The minutes were agreed.", "other"),
    ],
)
def test_theme_baseline(text: str, expected: str) -> None:
    assert theme_baseline([text], CODEBOOK) == [expected]


@pytest.mark.parametrize("func", [focus_baseline, scope_baseline, speaker_role_baseline])
def test_one_label_per_text_in_order(func: Callable[[Sequence[str]], list[str]]) -> None:
    texts = ["Officer 2 will write.", "Service user 1 was housed.", "Nothing here."]
    assert len(func(texts)) == 3
    assert func([]) == []
    assert func(texts[1:]) == func(texts)[1:]


def test_theme_baseline_empty_codebook_gives_other() -> None:
    empty = Codebook(name="e", version=1, source="e", origin="<test>", themes=())
    assert theme_baseline(["crisis"], empty) == ["other"]
    assert theme_baseline([], CODEBOOK) == []
