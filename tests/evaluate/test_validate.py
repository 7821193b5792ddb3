"""Validation against human coding: the join, the figures, the errors a coder can make."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pipeline.core.errors import GoldFileError
from pipeline.core.textkey import unit_key
from pipeline.evaluate.validate import Validation, validate
from pipeline.inputs.codebook import Codebook, Theme

ORIGIN = "gold/coder-a.csv"
FIELDS = ("focus", "outcome_scope", "speaker_role", "theme")


def _theme(theme_id: str, rank: int, seeds: tuple[str, ...]) -> Theme:
    return Theme(
        id=theme_id,
        label=theme_id,
        priority_rank=rank,
        survey_share=None,
        definition="",
        seeds=seeds,
    )


CODEBOOK = Codebook(
    name="test",
    version=1,
    source="test",
    origin="<test>",
    themes=(
        _theme("housing", 1, ("housing", "housed")),
        _theme("crisis_support", 2, ("crisis", "out of hours")),
    ),
)


def unit(
    text: str,
    focus: str = "process",
    scope: str = "",
    role: str = "none",
    theme: str = "other",
    *,
    source: str = "minutes/2023-01-19-minutes.pdf",
    original: str | None = None,
    page: int = 1,
) -> dict[str, Any]:
    """One row of the segments table; ``original`` is the pre-pseudonymisation text keyed on."""
    return {
        "source": source,
        "page": page,
        "text": text,
        "focus": focus,
        "focus_score": 0.7,
        "outcome_scope": scope,
        "speaker_role": role,
        "theme": theme,
        "theme_score": 0.4,
        "unit_key": unit_key(original if original is not None else text),
    }


def segments(*units: dict[str, Any]) -> pd.DataFrame:
    df = pd.DataFrame(list(units))
    df.insert(0, "segment_id", [f"M2023-01-19-{i:03d}" for i in range(1, len(df) + 1)])
    return df


def gold(rows: list[dict[str, str]]) -> pd.DataFrame:
    """A gold file as ``io.read_gold`` returns it: every cell text, empty cells ''."""
    return pd.DataFrame(rows).fillna("").astype(str)


def summary_row(result: Validation, field: str) -> dict[str, Any]:
    rows = {
        str(r["field"]): {str(k): v for k, v in r.items()}
        for r in result.summary.to_dict("records")
    }
    return rows[field]


# --------------------------------------------------------------------------- perfect agreement
PERFECT = [
    unit("Chair 1 welcomed everyone to the meeting.", "process", "", "chair", "other"),
    unit(
        "Officer 5 will circulate the crisis protocol.", "action", "", "officer", "crisis_support"
    ),
    unit(
        "Service user 2 asked about housing for people leaving hospital.",
        "process",
        "",
        "service_user",
        "housing",
    ),
    unit(
        "Twelve families were housed on the Kelsby estate.",
        "outcome",
        "collective",
        "none",
        "housing",
    ),
    unit(
        "Carer 1 received training and her own expenses were paid.",
        "outcome",
        "individual",
        "carer",
        "other",
    ),
    unit(
        "Lay member 1 said the out of hours crisis line was hard to reach.",
        "process",
        "",
        "lay",
        "crisis_support",
    ),
]


def _perfect_gold() -> pd.DataFrame:
    return gold(
        [
            {
                "source": u["source"],
                "text": u["text"],
                "focus": u["focus"],
                "outcome_scope": u["outcome_scope"],
                "speaker_role": u["speaker_role"],
                "theme": u["theme"],
            }
            for u in PERFECT
        ]
    )


@pytest.mark.parametrize("field", FIELDS)
def test_perfect_match_gives_kappa_and_alpha_one(field: str) -> None:
    result = validate(segments(*PERFECT), _perfect_gold(), ORIGIN, codebook=CODEBOOK)
    row = summary_row(result, field)
    assert row["kappa"] == pytest.approx(1.0)
    assert row["alpha"] == pytest.approx(1.0)
    assert row["accuracy"] == 1.0
    assert row["macro_f1"] == pytest.approx(1.0)
    for col in ("baseline_kappa", "baseline_alpha", "baseline_macro_f1"):
        assert not math.isnan(row[col]), col
    assert result.matched == len(PERFECT)
    assert result.unmatched.empty
    assert result.disagreements.empty
    assert row["n"] == (2 if field == "outcome_scope" else len(PERFECT))


def test_summary_has_one_row_per_field_and_the_documented_columns() -> None:
    result = validate(segments(*PERFECT), _perfect_gold(), ORIGIN, codebook=CODEBOOK)
    assert list(result.summary["field"]) == list(FIELDS)
    assert list(result.summary.columns) == [
        "field",
        "n",
        "kappa",
        "alpha",
        "accuracy",
        "macro_f1",
        "baseline_kappa",
        "baseline_alpha",
        "baseline_macro_f1",
    ]
    assert list(result.per_class.columns) == [
        "field",
        "label",
        "precision",
        "recall",
        "f1",
        "support",
    ]
    assert set(result.confusion) == set(FIELDS)


# --------------------------------------------------------------------------- figures by hand
# (gold, predicted) focus for ten units, three of them disagreements.
PAIRS = (
    [("process", "process")] * 4
    + [("process", "action")]
    + [("action", "action")] * 2
    + [("action", "process")]
    + [("outcome", "outcome")]
    + [("outcome", "process")]
)
LABELS = ["process", "action", "outcome"]
# The same pairs counted by hand: gold down the side, predicted across.
HAND_CONFUSION = np.array(
    [
        [4, 1, 0],  # gold process
        [1, 2, 0],  # gold action
        [1, 0, 1],  # gold outcome
    ]
)


def _hand_case() -> Validation:
    segs = segments(
        *[unit(f"Paragraph {i} of the minutes.", pred) for i, (_, pred) in enumerate(PAIRS)]
    )
    gold_df = gold(
        [{"text": f"Paragraph {i} of the minutes.", "focus": g} for i, (g, _) in enumerate(PAIRS)]
    )
    return validate(segs, gold_df, ORIGIN)


def test_kappa_matches_the_formula_by_hand() -> None:
    c = HAND_CONFUSION
    n = c.sum()
    p_observed = np.trace(c) / n  # 7/10
    p_expected = (c.sum(axis=1) * c.sum(axis=0)).sum() / n**2  # (5*6 + 3*3 + 2*1) / 100
    expected = (p_observed - p_expected) / (1 - p_expected)  # 0.29 / 0.59
    result = _hand_case()
    assert summary_row(result, "focus")["kappa"] == pytest.approx(expected, abs=1e-9)
    assert expected == pytest.approx(0.29 / 0.59, abs=1e-12)


def test_alpha_matches_the_formula_by_hand() -> None:
    # Nominal alpha, two coders, no missing values: coincidences o = C + C^T over 2N values.
    o = HAND_CONFUSION + HAND_CONFUSION.T
    n_c = o.sum(axis=1)
    n = o.sum()
    disagree_observed = (o.sum() - np.trace(o)) / n
    disagree_expected = (n_c.sum() ** 2 - (n_c**2).sum()) / (n * (n - 1))
    expected = 1 - disagree_observed / disagree_expected
    assert summary_row(_hand_case(), "focus")["alpha"] == pytest.approx(expected, abs=1e-9)


def test_confusion_per_class_and_disagreements_by_hand() -> None:
    result = _hand_case()
    expected = pd.DataFrame(
        HAND_CONFUSION,
        index=pd.Index(LABELS, name="gold"),
        columns=pd.Index(LABELS, name="predicted"),
    )
    pd.testing.assert_frame_equal(result.confusion["focus"], expected, check_dtype=False)
    per = result.per_class.set_index("label")
    assert per.loc["process", "precision"] == pytest.approx(4 / 6)
    assert per.loc["process", "recall"] == pytest.approx(4 / 5)
    assert per.loc["outcome", "precision"] == pytest.approx(1.0)
    assert per.loc["outcome", "recall"] == pytest.approx(1 / 2)
    assert list(per["support"]) == [5, 3, 2]
    assert summary_row(result, "focus")["accuracy"] == pytest.approx(7 / 10)
    dis = result.disagreements
    assert len(dis) == 3
    assert sorted(zip(dis["gold"], dis["predicted"], strict=True)) == [
        ("action", "process"),
        ("outcome", "process"),
        ("process", "action"),
    ]
    assert set(dis["field"]) == {"focus"}
    assert (dis["score"] == 0.7).all()
    assert not dis["low_confidence"].any()
    assert {"segment_id", "source", "page", "text"} <= set(dis.columns)


def test_disagreements_come_most_confident_first_and_doubtful_ones_are_flagged() -> None:
    scores = [0.3, 0.9, 0.55, 0.8]
    segs = segments(
        *[unit(f"Paragraph {i} of the minutes.", "action") for i in range(len(scores))]
    ).assign(focus_score=scores)
    gold_df = gold(
        [{"text": f"Paragraph {i} of the minutes.", "focus": "process"} for i in range(4)]
    )
    dis = validate(segs, gold_df, ORIGIN).disagreements
    assert dis["score"].tolist() == [0.9, 0.8, 0.55, 0.3]
    assert dis["low_confidence"].tolist() == [False, False, False, True]


def test_single_category_gives_nan_not_a_crash() -> None:
    segs = segments(unit("The minutes were agreed."), unit("Apologies were noted."))
    gold_df = gold(
        [
            {"text": "The minutes were agreed.", "focus": "process"},
            {"text": "Apologies were noted.", "focus": "process"},
        ]
    )
    row = summary_row(validate(segs, gold_df, ORIGIN), "focus")
    assert math.isnan(row["kappa"])
    assert math.isnan(row["alpha"])
    assert row["accuracy"] == 1.0


# --------------------------------------------------------------------------- the join
@pytest.mark.parametrize(
    ("original", "gold_text"),
    [
        (
            "The minutes of the last meeting were agreed as a correct record.",
            "• the minutes of the last meeting were AGREED as a correct record",
        ),
        (
            "Members discussed the well\u2010being strategy.",
            "Members discussed the well-being strategy",
        ),
        (
            "Members discussed the co-production charter.",
            "Members discussed the co \u2013 production charter.",
        ),
        ("Officers would report back in March.", "  Officers would report back\nin   March  "),
        ("The Chair\u2019s report was noted.", "The Chair's report was noted"),
        ("Action: JS to circulate the paper.", "- ACTION - JS to circulate the paper"),
    ],
)
def test_join_tolerates_copy_paste_differences(original: str, gold_text: str) -> None:
    # The unit's own text is pseudonymised beyond recognition, so only the key can match.
    segs = segments(unit("Zzz qqq.", original=original))
    result = validate(segs, gold([{"text": gold_text, "focus": "process"}]), ORIGIN)
    assert result.matched == 1
    assert result.unmatched.empty
    assert "1 by unit_key, 0 by the fuzzy fallback" in result.notes[0]


def test_repeated_text_goes_to_the_unit_from_the_same_source() -> None:
    segs = segments(
        unit("Apologies were received.", "process", source="minutes/a.pdf"),
        unit("Apologies were received.", "action", source="minutes/b.pdf"),
    )
    gold_df = gold([{"source": "b.pdf", "text": "Apologies were received.", "focus": "outcome"}])
    result = validate(segs, gold_df, ORIGIN)
    assert result.disagreements["segment_id"].tolist() == ["M2023-01-19-002"]
    assert result.disagreements["predicted"].tolist() == ["action"]


def test_fuzzy_fallback_matches_pseudonymised_text_in_the_same_source_only() -> None:
    gold_text = (
        "Mr Kerrigan asked whether the crisis line would be staffed overnight from "
        "April and whether carers could call it too."
    )
    pseudonymised = gold_text.replace("Mr Kerrigan", "Service user 2")
    ocr_original = gold_text.replace("overnight", "ovemight")  # the key differs
    segs = segments(unit(pseudonymised, original=ocr_original, source="minutes/a.pdf"))
    rows = [
        {"source": "minutes/a.pdf", "text": gold_text, "focus": "process"},
        {"source": "minutes/b.pdf", "text": gold_text, "focus": "process"},
    ]
    result = validate(segs, gold(rows), ORIGIN)
    assert result.matched == 1
    assert "0 by unit_key, 1 by the fuzzy fallback" in result.notes[0]
    assert result.unmatched["row"].tolist() == [3]
    assert "source" in result.unmatched["reason"].iloc[0]


def test_unmatched_gold_rows_are_counted_and_listed() -> None:
    segs = segments(
        unit("The minutes were agreed.", "process"),
        unit("Officer 5 will write to the Minister.", "action"),
    )
    gold_df = gold(
        [
            {"text": "The minutes were agreed.", "focus": "process"},
            {"text": "A paragraph the pipeline never produced at all.", "focus": "outcome"},
            {"text": "  ", "focus": "action"},
            {"text": "The minutes were agreed.", "focus": "process"},  # a second copy of row 2
        ]
    )
    result = validate(segs, gold_df, ORIGIN)
    assert result.matched == 1
    assert result.matched + len(result.unmatched) == len(gold_df)
    assert result.unmatched["row"].tolist() == [3, 4, 5]
    assert result.unmatched["text"].iloc[0] == "A paragraph the pipeline never produced at all."
    assert "duplicate" in result.unmatched["reason"].iloc[2]
    assert summary_row(result, "focus")["n"] == 1
    text = result.to_text()
    assert "Matched 1 of 4 gold rows; 3 unmatched." in text
    assert "row 3" in text and "row 5" in text


# --------------------------------------------------------------------------- what is compared
def test_outcome_scope_compared_only_where_both_code_outcome() -> None:
    both_a = "Service user 2 was rehoused after the review."
    both_b = "A new crisis house opened for the county."
    gold_only = "Sixty people were housed on the estate."
    pred_only = "The strategy was noted by members."
    segs = segments(
        unit(both_a, "outcome", "individual"),
        unit(both_b, "outcome", "individual"),
        unit(gold_only, "action"),
        unit(pred_only, "outcome", "collective"),
    )
    gold_df = gold(
        [
            {"text": both_a, "focus": "outcome", "outcome_scope": "individual"},
            {"text": both_b, "focus": "outcome", "outcome_scope": "collective"},
            {"text": gold_only, "focus": "outcome", "outcome_scope": "collective"},
            {"text": pred_only, "focus": "process", "outcome_scope": "individual"},
        ]
    )
    result = validate(segs, gold_df, ORIGIN)
    assert summary_row(result, "outcome_scope")["n"] == 2
    assert int(result.confusion["outcome_scope"].to_numpy().sum()) == 2
    scope_dis = result.disagreements[result.disagreements["field"] == "outcome_scope"]
    assert scope_dis["text"].tolist() == [both_b]
    assert any("outcome_scope is compared only" in note for note in result.notes)


def test_empty_label_cells_are_skipped_for_that_field_only() -> None:
    segs = segments(
        unit("Chair 1 opened the meeting.", "process", role="chair"),
        unit("Officer 5 will write.", "action", role="officer"),
    )
    gold_df = gold(
        [
            {"text": "Chair 1 opened the meeting.", "focus": "", "speaker_role": "chair"},
            {"text": "Officer 5 will write.", "focus": "action", "speaker_role": "officer"},
        ]
    )
    result = validate(segs, gold_df, ORIGIN)
    assert summary_row(result, "focus")["n"] == 1
    assert summary_row(result, "speaker_role")["n"] == 2
    assert list(result.summary["field"]) == ["focus", "speaker_role"]


def test_theme_without_codebook_has_no_baseline_but_still_compares() -> None:
    result = validate(segments(*PERFECT), _perfect_gold(), ORIGIN)
    row = summary_row(result, "theme")
    assert row["kappa"] == pytest.approx(1.0)
    assert math.isnan(row["baseline_kappa"])
    assert any("No codebook" in note for note in result.notes)


def test_to_text_shows_baseline_beside_figures_and_per_class_tables() -> None:
    text = validate(segments(*PERFECT), _perfect_gold(), ORIGIN, codebook=CODEBOOK).to_text()
    assert ORIGIN in text
    assert "keyword baseline" in text
    assert "1.000 (" in text
    for field in FIELDS:
        assert f"\n{field}:" in text
    assert "Matched 6 of 6 gold rows" in text


# --------------------------------------------------------------------------- bad gold files
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [{"txt": "The minutes were agreed.", "focus": "process"}],
            ["no 'text' column", "txt, focus", "focus, outcome_scope, speaker_role, theme"],
        ),
        (
            [{"text": "The minutes were agreed.", "comment": "easy one"}],
            ["no label column", "text, comment", "focus, outcome_scope, speaker_role, theme"],
        ),
    ],
)
def test_gold_without_needed_columns_is_refused(
    rows: list[dict[str, str]], expected: list[str]
) -> None:
    with pytest.raises(GoldFileError) as info:
        validate(segments(*PERFECT), gold(rows), ORIGIN)
    message = str(info.value)
    assert ORIGIN in message
    for part in expected:
        assert part in message


@pytest.mark.parametrize(
    ("field", "bad", "row"),
    [
        ("focus", "outcomes", 3),
        ("outcome_scope", "both", 2),
        ("speaker_role", "service user", 3),
    ],
)
def test_unknown_label_is_refused_with_file_row_column_and_value(
    field: str, bad: str, row: int
) -> None:
    good = {"focus": "process", "outcome_scope": "", "speaker_role": "chair"}[field]
    values = [good, good]
    values[row - 2] = bad
    gold_df = gold(
        [
            {"text": "Chair 1 opened the meeting.", field: values[0]},
            {"text": "The minutes were agreed.", field: values[1]},
        ]
    )
    with pytest.raises(GoldFileError) as info:
        validate(segments(*PERFECT), gold_df, ORIGIN)
    message = str(info.value)
    for part in (ORIGIN, f"row {row}", f"'{field}'", f"'{bad}'"):
        assert part in message
    assert "Allowed:" in message


def test_label_case_and_spaces_are_forgiven() -> None:
    segs = segments(
        unit("The minutes were agreed.", "process"), unit("Officer 5 will write.", "action")
    )
    gold_df = pd.DataFrame(
        {
            " Text": ["The minutes were agreed.", "Officer 5 will write."],
            "Focus": ["Process ", "ACTION"],
        }
    )
    row = summary_row(validate(segs, gold_df, ORIGIN), "focus")
    assert row["accuracy"] == 1.0


def test_units_given_as_examples_are_left_out_of_theme_agreement() -> None:
    # Units coded from --examples keep the human label: counting them would report kappa 1.
    seg = segments(*PERFECT)
    seg["theme_source"] = ["human", "human", "human", "trained", "trained", "trained"]
    seg.loc[5, "theme"] = "housing"  # the trained coder gets one of the held-back units wrong
    result = validate(seg, _perfect_gold(), ORIGIN, CODEBOOK)
    row = summary_row(result, "theme")
    assert row["n"] == 3
    assert row["accuracy"] == pytest.approx(2 / 3)
    assert summary_row(result, "focus")["n"] == 6  # other fields still use every unit
    assert any("3 matched units were given as examples" in note for note in result.notes)


def test_a_run_whose_every_gold_unit_was_an_example_reports_no_theme_agreement() -> None:
    seg = segments(*PERFECT)
    seg["theme_source"] = "human"
    result = validate(seg, _perfect_gold(), ORIGIN, CODEBOOK)
    row = summary_row(result, "theme")
    assert row["n"] == 0 and math.isnan(row["kappa"])
    assert "examples_cv.json" in result.to_text()
