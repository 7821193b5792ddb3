"""Coding with examples: learn from hand-coded units, report cross-validated agreement."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.classify.themes.examples import (
    ExampleThemes,
    code_with_examples,
    match_examples,
    n_folds,
)
from pipeline.core.errors import GoldFileError
from pipeline.core.textkey import unit_key
from pipeline.inputs.codebook import Codebook, parse_codebook
from tests.stand_ins import BagOfWords

CODEBOOK: Codebook = parse_codebook(
    {
        "name": "eastvale-survey-2006",
        "version": 1,
        "source": "Postal survey of service users, 2006 (n=412)",
        "themes": [
            {
                "id": "crisis_support",
                "label": "Help in a crisis",
                "priority_rank": 1,
                "definition": "Urgent help out of hours.",
                "seeds": ["crisis line", "out of hours"],
            },
            {
                "id": "housing",
                "label": "A decent place to live",
                "priority_rank": 2,
                "definition": "Housing and tenancies.",
                "seeds": ["housing", "tenancy"],
            },
        ],
    },
    "themes/eastvale-survey-2006.yaml",
)


# The board's own wording, which the codebook's seeds never use: only examples can teach it.
WORDING = {
    "crisis_support": "The night team took {n} urgent calls at the weekend and the place of safety",
    "housing": "The council found {n} flats for people leaving the ward with a landlord",
    "other": "The minutes were agreed and {n} apologies for absence were received",
}


def board_units(per_label: int = 6) -> pd.DataFrame:
    rows = [
        (label, f"{text.format(n=n + 2)} was noted by the members.")
        for n in range(per_label)
        for label, text in WORDING.items()
    ]
    texts = [t for _, t in rows]
    return pd.DataFrame(
        {
            "segment_id": [f"M1-{i:03d}" for i in range(len(rows))],
            "meeting_id": "M1",
            "item_no": [str(i) for i in range(len(rows))],
            "source": "minutes/2024-03-14.pdf",
            "text": texts,
            "item_title": "",
            "n_words": [len(t.split()) for t in texts],
            "unit_key": [unit_key(t) for t in texts],
            "label": [label for label, _ in rows],
        }
    )


def examples_of(units: pd.DataFrame, rows: list[int]) -> pd.DataFrame:
    # As a coder would paste them: other case and spacing, the file name without its folder.
    return pd.DataFrame(
        {
            "source": "2024-03-14.pdf",
            "text": [units["text"][r].upper().replace(" ", "  ") for r in rows],
            "theme": [units["label"][r] for r in rows],
        }
    )


def test_examples_keep_their_label_and_teach_the_rest() -> None:
    units = board_units()
    given = list(range(0, len(units), 2))  # every other unit, all three labels
    result = code_with_examples(
        units, CODEBOOK, BagOfWords(dims=128), examples_of(units, given), "ex"
    )
    out = result.units
    assert out["theme_source"][given].tolist() == ["human"] * len(given)
    assert out["theme"][given].tolist() == units["label"][given].tolist()
    rest = [i for i in range(len(units)) if i not in given]
    assert set(out["theme_source"][rest]) == {"trained"}
    assert out["theme"][rest].tolist() == units["label"][rest].tolist()
    assert all(0 <= s <= 1 for s in out["theme_score"])
    assert len(out) == len(units)


def test_cross_validated_agreement_is_reported() -> None:
    units = board_units()
    result = code_with_examples(
        units, CODEBOOK, BagOfWords(dims=128), examples_of(units, list(range(len(units)))), "ex.csv"
    )
    cv = result.cv
    assert cv["n_examples"] == len(units)
    assert cv["n_unmatched"] == 0
    assert cv["labels"] == {"crisis_support": 6, "housing": 6, "other": 6}
    assert cv["folds"] == 5
    assert 0.9 <= cv["kappa"] <= 1.0
    assert 0.9 <= cv["macro_f1"] <= 1.0
    json.dumps(cv)  # written as examples_cv.json
    assert "5-fold" in result.to_text()


def test_a_mislabelled_board_scores_low_under_cross_validation() -> None:
    units = board_units()
    examples = examples_of(units, list(range(len(units))))
    rng = np.random.default_rng(0)
    examples["theme"] = rng.permutation(examples["theme"].to_numpy())
    cv = code_with_examples(units, CODEBOOK, BagOfWords(dims=128), examples, "ex").cv
    assert cv["kappa"] < 0.5


def test_folds_follow_the_rarest_label() -> None:
    assert n_folds(np.array(["a"] * 9 + ["b"] * 9)) == 5
    assert n_folds(np.array(["a"] * 9 + ["b"] * 3)) == 3
    assert n_folds(np.array(["a"] * 9 + ["b"])) == 0


def test_unmatched_rows_are_counted_and_unknown_themes_refused() -> None:
    units = board_units()
    examples = examples_of(units, [0, 1])
    extra = pd.DataFrame(
        [{"source": "", "text": "Words found in no unit at all.", "theme": "other"}]
    )
    labels, n_unmatched = match_examples(units, pd.concat([examples, extra]), "ex.csv", CODEBOOK)
    assert labels == {0: units["label"][0], 1: units["label"][1]}
    assert n_unmatched == 1
    examples.loc[0, "theme"] = "transport"
    with pytest.raises(GoldFileError, match=r"transport.*not in the codebook"):
        match_examples(units, examples, "ex.csv", CODEBOOK)


def test_examples_of_one_theme_are_refused() -> None:
    units = board_units()
    one = examples_of(units, [0, 3, 6])  # all crisis_support
    with pytest.raises(GoldFileError, match="at least two themes"):
        code_with_examples(units, CODEBOOK, BagOfWords(dims=128), one, "ex.csv")


def test_estimator_follows_the_scikit_learn_contract() -> None:
    from sklearn.base import clone

    est = ExampleThemes(C=0.5, random_state=3)
    assert est.get_params() == {"C": 0.5, "random_state": 3}
    assert not [a for a in vars(est) if a.endswith("_")]
    assert clone(est).get_params() == est.get_params()
    rng = np.random.default_rng(1)
    X = np.concatenate([rng.normal(loc=c, size=(10, 4)) for c in (0, 3)])
    y = np.array(["a"] * 10 + ["b"] * 10)
    assert est.fit(X, y) is est
    assert est.classes_.tolist() == ["a", "b"]
    np.testing.assert_allclose(est.predict_proba(X).sum(axis=1), 1.0)
    np.testing.assert_array_equal(
        ExampleThemes().fit(X, y).predict_proba(X), ExampleThemes().fit(X, y).predict_proba(X)
    )


def test_the_runner_writes_the_cross_validation(tmp_path: Path) -> None:
    from pipeline.run.runner import Progress, RunOptions, _code_with_examples

    units = board_units()
    path = tmp_path / "examples.csv"
    examples_of(units, list(range(len(units)))).to_csv(path, index=False)
    notes: list[str] = []

    class Notes(Progress):
        def note(self, message: str) -> None:
            notes.append(message)

    opts = RunOptions(corpus=tmp_path, out=tmp_path / "out", examples=path)
    out = _code_with_examples(units, CODEBOOK, BagOfWords(dims=128), opts, Notes())
    assert set(out["theme_source"]) == {"human"}
    written = json.loads((tmp_path / "out" / "validation" / "examples_cv.json").read_text())
    assert written["folds"] == 5
    assert any("Cross-validated agreement" in n for n in notes)
