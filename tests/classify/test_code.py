"""Theme coding: one theme per unit from the codebook's seeds, the agenda item as context."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.classify.themes import code
from pipeline.core.embed import Embedder
from pipeline.inputs.codebook import Codebook, codebook_to_data, parse_codebook
from pipeline.pseudonymise.preprocess import lemmatise
from tests.stand_ins import BagOfWords

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


# --------------------------------------------------------------------------- seeds on lemmas
from pipeline.classify.themes import code as code_units  # noqa: E402
from pipeline.classify.themes import (  # noqa: E402
    other_floor,
    procedural_titles,
    pseudo_labels,
    seed_evidence,
    seeds,
)
from pipeline.classify.themes.selftrain import UNLABELLED, SelfTrainingThemes  # noqa: E402


def seed_hits(text: str) -> dict[str, float]:
    matcher = seeds.SeedMatcher(CODEBOOK)
    evidence = matcher.evidence(matcher.counts([text]))[0]
    return {t: float(e) for t, e in zip(CODEBOOK.ids, evidence, strict=True) if e}


@pytest.mark.parametrize(
    "text",
    [
        "She asked for a carer's assessment.",
        "Carers' assessments were late.",
        "Carers’ Assessments were late.",  # curly apostrophe, capitals
        "Two carer assessments were done.",
    ],
)
def test_phrase_matcher_meets_plural_and_possessive_forms(text: str) -> None:
    assert seed_hits(text) == {"carers": 1.5}  # one two-word phrase: 1 + 0.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The crisis lines were busy.", {"crisis_support": 1.5}),  # not also "crisis" (label)
        ("Out of hours cover.", {"crisis_support": 2.0}),
        # Neither "carer's assessment" nor "home treatment"; "carer" is a word of a label.
        ("The carer was assessed at home.", {"carers": 1.0}),
        ("Housing and tenancies.", {"housing": 2.0}),
    ],
)
def test_seed_matches_are_counted_once_per_longest_phrase(
    text: str, expected: dict[str, float]
) -> None:
    assert seed_hits(text) == expected


def test_label_words_are_seeds_unless_another_label_shares_them() -> None:
    words = seeds.label_words(CODEBOOK)
    assert "crisis" in words["crisis_support"]
    assert "carer" in words["carers"]
    assert "support" in words["carers"]  # the only label with "support" in this codebook
    assert not {"a", "in", "and", "for"} & {w for ws in words.values() for w in ws}


def test_a_seed_word_finds_its_abstract_noun_at_half_weight() -> None:
    book = parse_codebook(
        {
            "name": "x",
            "version": 1,
            "source": "x",
            "themes": [
                {
                    "id": "voice",
                    "label": "Voice",
                    "priority_rank": 1,
                    "definition": "d",
                    "seeds": ["involve"],
                },
                {
                    "id": "money",
                    "label": "Money",
                    "priority_rank": 2,
                    "definition": "d",
                    "seeds": ["debt"],
                },
            ],
        },
        "x.yaml",
    )
    matcher = seeds.SeedMatcher(book)
    evidence = matcher.evidence(matcher.counts(["They were involved.", "The involvement plan."]))
    assert evidence[:, 0].tolist() == [1.0, 0.5]


def test_idf_gives_common_seeds_less_weight() -> None:
    counts = np.array([[1, 1], [0, 1], [0, 1], [0, 1]], dtype=float)
    rare, common = seeds.idf(counts)
    assert rare == pytest.approx(1.0)
    assert common == pytest.approx(0.0)


# --------------------------------------------------------------------------- the estimator
def blobs(n: int = 30, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.eye(3, 8) * 3
    X = np.concatenate([c + rng.normal(size=(n, 8)) for c in centres])
    y = np.repeat([0, 1, 2], n)
    return X, y


def test_estimator_follows_the_scikit_learn_contract() -> None:
    from sklearn.base import clone

    est = SelfTrainingThemes(C=0.5, threshold=0.6, max_rounds=1, random_state=3)
    assert est.get_params() == {
        "C": 0.5,
        "threshold": 0.6,
        "max_rounds": 1,
        "class_weight": "balanced",
        "random_state": 3,
    }
    assert not [a for a in vars(est) if a.endswith("_")]  # nothing learned before fit
    copy = clone(est)
    assert copy.get_params() == est.get_params()
    X, y = blobs()
    partial = y.copy()
    partial[::3] = UNLABELLED
    assert est.fit(X, partial) is est
    assert est.classes_.tolist() == [0, 1, 2]
    assert est.n_features_in_ == 8
    assert est.n_pseudo_ > 0
    proba = est.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (est.predict(X) == y).mean() > 0.9


def test_estimator_is_deterministic() -> None:
    X, y = blobs()
    y[1::2] = UNLABELLED
    first = SelfTrainingThemes().fit(X, y).predict_proba(X)
    again = SelfTrainingThemes().fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, again)


def test_a_theme_with_few_pseudo_labels_keeps_its_own_ground() -> None:
    # Sixty pseudo-labels for one theme, three for another: the rare theme's own centre must
    # still be read as the rare theme, not as the common one by force of numbers.
    rng = np.random.default_rng(0)
    common, rare = np.eye(2, 8) * 2
    X = np.concatenate(
        [common + rng.normal(scale=0.7, size=(60, 8)), rare + rng.normal(scale=0.7, size=(3, 8))]
    )
    y = np.array([0] * 60 + [1] * 3)
    balanced = SelfTrainingThemes().fit(X, y)
    assert balanced.predict([rare]).tolist() == [1]
    assert balanced.predict([common]).tolist() == [0]
    # Unweighted, the proportions of the pseudo-labels decide instead.
    assert SelfTrainingThemes(class_weight=None).fit(X, y).predict([rare]).tolist() == [0]


def test_estimator_needs_two_labelled_classes() -> None:
    X, y = blobs()
    y[y != 0] = UNLABELLED
    with pytest.raises(ValueError, match="two classes"):
        SelfTrainingThemes().fit(X, y)


def test_pseudo_labels_are_the_surest_third_of_each_label() -> None:
    proba = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.2, 0.8], [0.4, 0.6], [0.45, 0.55]])
    assert pseudo_labels(proba).tolist() == [0, UNLABELLED, UNLABELLED, 1, UNLABELLED, UNLABELLED]


# --------------------------------------------------------------------------- with embeddings
def code_embedded(*rows: tuple[str, str]) -> pd.DataFrame:
    return code_units(units(*rows), CODEBOOK, BagOfWords())


ROWS = [
    ("Calls to the crisis line rose out of hours and the crisis team was busy.", "Crisis line"),
    ("Two tenancies were lost and homeless people need housing.", "Housing"),
    ("Respite breaks were booked for carers.", "Support for carers"),
    ("The minutes of the previous meeting were agreed as a correct record.", "Minutes"),
    ("Apologies for absence were received.", "Welcome, introductions and apologies"),
]


def test_embedded_coding_is_deterministic_and_independent_of_order() -> None:
    first = code_embedded(*ROWS)
    again = code_embedded(*ROWS)
    pd.testing.assert_frame_equal(first, again)
    backwards = code_embedded(*reversed(ROWS))
    assert backwards["theme"].tolist() == list(reversed(first["theme"].tolist()))
    assert first["theme"].tolist() == ["crisis_support", "housing", "carers", "other", "other"]
    assert all(0 <= s <= 1 for s in first["theme_score"])


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Crisis line and crisis team out of hours", "crisis_support"),
        ("Housing: tenancy and homeless", "housing"),
        ("Any other business", "other"),
    ],
)
def test_a_short_unit_inherits_its_item_title(title: str, expected: str) -> None:
    short = "Action: Officer 2 to circulate the figures."
    assert code_embedded((short, title))["theme"].tolist() == [expected]


class Indifferent:
    """A model to which every text means the same: no theme is closer than any other."""

    name = "indifferent"

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32) / 2


def test_a_unit_that_singles_out_no_theme_is_other() -> None:
    out = code_units(units(("Zebras quietly juggle marmalade.", "")), CODEBOOK, Indifferent())
    # Every label is equally likely (1/4), below the floor of twice that: other, though the
    # first theme is "most probable" by a tie.
    assert out["theme"].tolist() == ["other"]
    assert out["theme_score"].tolist() == [0.25]


def test_seed_evidence_lifts_a_theme_above_the_floor() -> None:
    text = "Calls to the crisis line rose out of hours."
    out = code_units(units((text, "")), CODEBOOK, Indifferent())
    assert out["theme"].tolist() == ["crisis_support"]
    assert out["theme_score"].iloc[0] > other_floor(len(CODEBOOK.ids) + 1)


def test_the_other_floor_is_twice_a_uniform_share() -> None:
    assert other_floor(3) == 0.5  # capped at an even chance
    assert other_floor(4) == 0.5
    assert other_floor(11) == pytest.approx(2 / 11)


@pytest.fixture(scope="module")
def packaged_model() -> Embedder:
    from pipeline.core import embed

    model = embed.load()
    if model is None:
        pytest.skip(embed.HINT)
    return model


@pytest.mark.slow
def test_same_inputs_give_the_same_codes_with_the_packaged_model(packaged_model: Embedder) -> None:
    first = code_units(units(*ROWS), CODEBOOK, packaged_model)
    again = code_units(units(*ROWS), CODEBOOK, packaged_model)
    pd.testing.assert_frame_equal(first, again)
    assert first["theme"].iloc[0] == "crisis_support"


BOARD_WIDE = [
    (
        "Member 1 presented the quarter 2 performance dashboard. Of the 20 indicators, 9 were "
        "green, 7 amber and 4 red; the red ones were out-of-area placements, crisis response "
        "times and housing referrals.",
        "Performance dashboard",
    ),
    (
        "Member 3 presented the draft budget for next year. The Council expected to save "
        "£1.1 million across adult social care, and mental health investment would grow by 5%.",
        "Budget and commissioning intentions",
    ),
]


@pytest.mark.slow
def test_reports_on_all_services_at_once_are_other_with_the_packaged_model(
    packaged_model: Embedder,
) -> None:
    # A dashboard or a budget names several themes in passing and is about none of them.
    coded = code_units(units(*BOARD_WIDE, *ROWS), CODEBOOK, packaged_model)
    board_wide, rows = coded["theme"].tolist()[:2], coded["theme"].tolist()[2:]
    assert board_wide == ["other", "other"]
    assert rows == ["crisis_support", "housing", "carers", "other", "other"]


# --------------------------------------------------------------------------- context
def test_a_speakers_role_is_not_the_subject_of_the_unit() -> None:
    # "Carer 2" names who spoke; the seed "carer" (from the label) must not count for it.
    text = "Carer 2 said two people had lost their tenancy in March." + LONG_TAIL
    assert themes((text, "")) == ["housing"]
    evidence = seed_evidence(units((text, "")), CODEBOOK, weighted=False)
    assert evidence[0, CODEBOOK.ids.index("carers")] == 0.0


def in_items(*items: tuple[str, list[str]]) -> pd.DataFrame:
    """Units of one meeting, grouped under agenda items (title, unit texts)."""
    rows = [(text, title) for title, texts in items for text in texts]
    out = units(*rows)
    out["meeting_id"] = "M2024-03-14"
    out["item_no"] = [str(i) for i, (_, texts) in enumerate(items, start=1) for _ in texts]
    return out


def test_a_procedural_item_does_not_pull_its_units_towards_other() -> None:
    aob = (
        "Any other business",
        [
            "The minutes of the previous meeting were agreed as a correct record.",
            "Apologies for absence were received.",
            "The Chair noted the report and thanked the presenter.",
            "Date, time and venue of the next meeting.",
            "A member asked about housing for people leaving hospital.",
        ],
    )
    out = code_units(in_items(aob), CODEBOOK, BagOfWords())
    assert out["theme"].tolist() == ["other"] * 4 + ["housing"]
    assert procedural_titles(["Any other business", "Housing: tenancy"], CODEBOOK, BagOfWords())[0]


def test_a_subject_item_still_gives_its_units_context() -> None:
    item = (
        "Crisis line and crisis team out of hours",
        [
            "Calls to the crisis line rose out of hours and the crisis team was busy.",
            "Members discussed the figures at some length and asked questions.",
        ],
    )
    out = code_units(in_items(item), CODEBOOK, BagOfWords())
    assert out["theme"].tolist() == ["crisis_support", "crisis_support"]
    assert set(out["theme_source"]) == {"zero-shot"}


# --------------------------------------------------------------------------- the board's own
@pytest.mark.parametrize(
    "text",
    [
        "The carer representative post was advertised again through the forum.",
        "Two carer reps attended, and the third sent apologies.",
        "The Board thanked the carers' representatives for their work.",
    ],
)
def test_a_role_title_is_not_the_subject_of_the_unit(text: str) -> None:
    # "carer representative" names a seat on the board, as "Carer 2" names a speaker.
    evidence = seed_evidence(units((text + LONG_TAIL, "")), CODEBOOK, weighted=False)
    assert evidence[0, CODEBOOK.ids.index("carers")] == 0.0


def test_carers_as_a_subject_still_count_beside_a_role_title() -> None:
    text = "The carer representative said carers needed respite at weekends." + LONG_TAIL
    evidence = seed_evidence(units((text, "")), CODEBOOK, weighted=False)
    assert evidence[0, CODEBOOK.ids.index("carers")] >= 2.0  # "carers" and "respite"


def with_voice_theme(involvement: str | None) -> Codebook:
    data = codebook_to_data(CODEBOOK)
    data["themes"].append(
        {
            "id": "having_a_say",
            "label": "Having a say",
            "priority_rank": 4,
            "definition": "Young people's views asked for and acted on.",
            "seeds": ["youth voice", "listen"],
        }
    )
    if involvement:
        data["involvement_theme"] = involvement
    return parse_codebook(data, "themes/eastvale-survey-2006.yaml")


ARRANGEMENTS = (
    "Officer 1 reported that representatives' travel expenses had been paid and that training "
    "had been arranged so that representatives could take part in meetings."
)


def test_the_involvement_theme_takes_the_boards_involvement_arrangements() -> None:
    rows = units((ARRANGEMENTS, "Involvement update"))
    named = code_units(rows, with_voice_theme("having_a_say"), BagOfWords())
    unnamed = code_units(rows, with_voice_theme(None), BagOfWords())
    assert named["theme"].tolist() == ["having_a_say"]
    assert unnamed["theme"].tolist() != ["having_a_say"]


def test_involvement_prototypes_go_to_the_named_theme_only() -> None:
    from pipeline.classify.themes.semantic import INVOLVEMENT, prototypes

    cb = with_voice_theme("having_a_say")
    for theme in cb.themes:
        got = prototypes(theme, theme.id == cb.involvement_theme)
        assert (set(INVOLVEMENT) <= set(got)) == (theme.id == "having_a_say")


def test_a_procedural_title_is_not_read_with_a_paragraph_of_its_own() -> None:
    title = "Minutes of the previous meeting, apologies and any other business"
    text = "A member said that two people had lost their tenancy in March." + LONG_TAIL
    assert code_embedded((text, title))["theme"].tolist() == ["housing"]
