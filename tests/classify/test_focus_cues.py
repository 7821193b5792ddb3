"""The focus cue lexicon, tense and modality, and self-training (docs/focus.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from pipeline.classify.focus import classify
from pipeline.classify.focus.cues import CuesError, load_cues
from pipeline.classify.focus.selftrain import SelfTrainedFocus, refine
from pipeline.classify.focus.tense import docs, form
from pipeline.core import config
from pipeline.core.errors import InputError
from pipeline.run.runner import _cues_hash


def bundled() -> dict[str, object]:
    data = yaml.safe_load(config.DEFAULT_CUES.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "cues.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_bundled_lexicon_loads_with_every_section() -> None:
    cues = load_cues()
    assert cues.commitment and cues.realised and cues.individual and cues.collective
    assert set(cues.context) == {"action_log", "matters_arising", "decisions"}
    assert len(cues.fingerprint) == 64


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["commitment"].append({"pattern": "(unclosed", "weight": 0.5}), "commitment"),
        (lambda d: d["realised"][0].update(weight=3), "weight must be a number from 0 to 1"),
        (lambda d: d.pop("question"), "missing section(s) question"),
        (
            lambda d: d["commitment"].append({"pattern": "<<nobody>> will", "weight": 0.5}),
            "unknown fragment <<nobody>>",
        ),
    ],
)
def test_a_broken_lexicon_names_the_file_the_entry_and_the_fix(
    tmp_path: Path, change: object, expected: str
) -> None:
    data = bundled()
    change(data)  # type: ignore[operator]
    path = write(tmp_path, data)
    with pytest.raises(CuesError) as err:
        load_cues(path)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_users_can_teach_the_lexicon_their_boards_wording(tmp_path: Path) -> None:
    # A wording the bundled lexicon does not know ("pledged to" now commits by its grammar).
    text = "Member 2 is taking it up with the housing association."
    unit = pd.DataFrame([{"text": text, "is_action": False, "item_title": ""}])
    assert classify(unit)["focus"].iloc[0] == "process"
    data = bundled()
    data["commitment"].append({"pattern": r"\btaking\s+it\s+up\b", "weight": 0.8})  # type: ignore[attr-defined]
    assert classify(unit, load_cues(write(tmp_path, data)))["focus"].iloc[0] == "action"


def test_a_changed_lexicon_changes_the_run_fingerprint(tmp_path: Path) -> None:
    data = bundled()
    first = _cues_hash(write(tmp_path, data))
    data["version"] = f"{data['version']}.1"
    assert _cues_hash(write(tmp_path, data)) != first
    with pytest.raises(InputError, match="cue lexicon not found"):
        _cues_hash(tmp_path / "missing.yaml")


@pytest.mark.parametrize(
    ("sentence", "attribute"),
    [
        ("Officer 2 will write to the housing team.", "future_actor"),
        ("The review would be brought to the December meeting.", "future_passive"),
        ("Thirty-one people had been housed through the scheme.", "perfect"),
        ("Four posts were filled in May.", "past_passive"),
        ("The café opened in May.", "simple_past"),
        ("The survey is being carried out this month.", "ongoing"),
        ("Two posts were being recruited to.", "ongoing"),
        ("The team has started phoning carers.", "ongoing"),
        ("The evening group had started on 3 March.", "perfect"),
    ],
)
def test_tense_and_modality_per_sentence(sentence: str, attribute: str) -> None:
    cues = load_cues()
    sent = next(iter(docs([sentence])[0].sents))
    got = form(sent, cues)
    assert getattr(got, attribute), got


def test_the_month_may_is_no_hedge() -> None:
    cues = load_cues()
    month, hedge = (
        next(iter(d.sents))
        for d in docs(["The group opened in May.", "The group may open in the spring."])
    )
    assert not form(month, cues).hedged
    assert form(hedge, cues).hedged


@pytest.mark.parametrize(
    ("sentence", "commits"),
    [
        # Any verb of doing after a person or a body, initials and acronyms included.
        ("Officer 4 would ascertain the position.", True),
        ("TW would expedite the repair.", True),
        ("The group will also canvass the tenants.", True),
        # Verbs that describe rather than commit, whichever pipeline tagged the sentence (the
        # trained one gives no lemmas, so the word itself is looked up).
        ("Member 3 would welcome comments on the draft.", False),
        ("She would take part in the discussion but not in any decision.", False),
        # The subject is not a person or a body, or the person is in a prepositional phrase.
        ("I do not think it will end there.", False),
        ("The merger under the leadership of Person 4 would start in May.", False),
        # Reported speech, and how a scheme works.
        ("Officer 2 confirmed she would circulate the note.", False),
        ("Under the rota, officers would attend each clinic.", False),
    ],
)
def test_a_commitment_by_tense_needs_a_person_or_body_as_subject(
    sentence: str, commits: bool
) -> None:
    cues = load_cues()
    sent = next(iter(docs([sentence])[0].sents))
    assert form(sent, cues).future_actor is commits


def test_a_description_with_would_commits_nobody() -> None:
    cues = load_cues()
    sent = next(iter(docs(["She said the engagement would run from May to July."])[0].sents))
    got = form(sent, cues)
    assert not got.future_actor and got.future_other


# --------------------------------------------------------------------------- self-training
def corpus() -> tuple[list[str], list[list[float]], list[str]]:
    rows = [
        *(f"Officer {i} will write to the team by June." for i in range(10)),
        *(f"{i + 10} people were housed through the scheme." for i in range(10)),
        *(f"The board noted report {i} on the budget." for i in range(10)),
    ]
    labels = ["action"] * 10 + ["outcome"] * 10 + ["process"] * 10
    features = [[1.0, 0.0] if lab == "action" else [0.0, 1.0] for lab in labels]
    return rows, features, labels


def test_the_estimator_keeps_the_scikit_learn_contract() -> None:
    texts, features, labels = corpus()
    X = list(zip(texts, features, strict=True))
    model = SelfTrainedFocus()
    assert model.fit(X, labels) is model
    proba = model.predict_proba(X)
    assert proba.shape == (30, 3) and np.allclose(proba.sum(axis=1), 1)
    assert (model.predict(X) == np.asarray(labels)).mean() > 0.9
    again = SelfTrainedFocus().fit(X, labels).predict_proba(X)
    assert np.allclose(proba, again)  # fixed seed


def test_refine_keeps_the_rules_labels_and_gives_probabilities() -> None:
    texts, features, labels = corpus()
    scores = [0.5 if i % 10 == 0 else 0.9 for i in range(30)]  # one unsure unit per label
    got_labels, got_scores = refine(texts, features, labels, scores)
    assert got_labels == labels
    assert all(0 <= s <= 1 for s in got_scores) and got_scores != scores


def test_refine_leaves_a_corpus_too_small_to_learn_from() -> None:
    texts, features, labels = corpus()
    got = refine(texts[:5], features[:5], labels[:5], [0.9] * 5)
    assert got == (labels[:5], [0.9] * 5)


def test_the_verbs_that_take_on_or_set_a_task_are_the_lexicons() -> None:
    # A board writing "vowed to" or "tasked X to" is read once the user's lexicon lists them.
    import dataclasses

    bundled = load_cues()
    took, set_ = (
        next(iter(d.sents))
        for d in docs(
            ["Member 2 vowed to chase the contractor.", "The Chair tasked Officer 1 to draft it."]
        )
    )
    assert not form(took, bundled).future_actor and not form(set_, bundled).future_actor
    mine = dataclasses.replace(
        bundled,
        undertake_verbs=bundled.undertake_verbs | {"vowed"},
        asking_verbs=bundled.asking_verbs | {"tasked"},
    )
    assert form(took, mine).future_actor and form(set_, mine).future_actor
    # And a verb the lexicon says is procedure is no task: "agreed to note".
    noted = next(iter(docs(["The board agreed to note the report."])[0].sents))
    assert not form(noted, bundled).future_actor
    assert form(noted, dataclasses.replace(bundled, not_task_verbs=frozenset())).future_actor
