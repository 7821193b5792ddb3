"""What the focus model sees of a unit: the rules' evidence, its grammar and its place.

One numeric row per unit: the cue rules' commitment and result strengths and their label (as
one-hot weak evidence, not as the answer), the sentences' tense and modality
(:mod:`pipeline.classify.focus.tense`), the agenda item's kind, and the structure the segmenter read
from the layout (an action line or column, a decision, an owner). Sentence embeddings
(:mod:`pipeline.core.embed`) are added beside these by :func:`unit_matrix` when they are installed.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from pipeline.classify.focus.cues import CONTEXTS, Cues
from pipeline.classify.focus.focus import Decision, decide, item_context
from pipeline.classify.focus.tense import FEATURES, docs, form
from pipeline.core import config, distribute, textcache
from pipeline.core.textcache import Store

if TYPE_CHECKING:
    from spacy.tokens import Span

STRUCTURE: Final = (
    "is_action",
    "is_decision",
    "has_owner",
    "log_words",
    "n_sentences",
    "owner_first",
    "owner_to_verb",
    "to_be_done",
    "imperative",
    "title_owner",
)
# Minute-writers' conventions for a task, whatever its verb: an owner (a pseudonym or initials)
# then a dash or colon ("Member 5 - Toilet block"), "<owner> to <verb>", "<thing> to be <done>",
# a sentence opening on a bare verb ("Contact the officer"), a column headed by a person or "Who".
_OWNER: Final = rf"(?:{config.PSEUDONYM}|(?-i:[A-Z]{{2,3}}))"
OWNER_FIRST: Final = re.compile(
    rf"^\W*{_OWNER}(?:\s*(?:,|/|&|and)\s*{_OWNER})*\s*[-–—:]\s*\w", re.IGNORECASE
)
OWNER_TO_VERB: Final = re.compile(rf"{_OWNER}(?:\s*(?:,|/|&|and)\s*{_OWNER})*\s+to\s+[a-z]{{3,}}")
TO_BE_DONE: Final = re.compile(
    r"\bto be (?:[a-z]+ed|made|sent|done|taken|given|held|set|put|sought|written|brought"
    r"|met|paid|drawn)\b",
    re.IGNORECASE,
)
TITLE_OWNER: Final = re.compile(
    rf"^\W*(?:{_OWNER}\W*$|who\b|by whom|owner|responsib|actions?\W*$)", re.IGNORECASE
)
RULE_NUMERIC: Final = ("commitment", "result", "process_cue", "rule_score")
NAMES: Final = (
    *RULE_NUMERIC,
    *(f"rule_{label}" for label in config.FOCUS_LABELS),
    *(f"item_{k}" for k in CONTEXTS),
    *(f"tense_{f}" for f in FEATURES),
    *STRUCTURE,
)


@dataclass(frozen=True)
class RulePass:
    """The rules' decision per unit and the numeric features behind it (columns: NAMES)."""

    decisions: list[Decision]
    features: np.ndarray


def _column(units: pd.DataFrame, name: str, default: object) -> list[object]:
    return list(units[name]) if name in units.columns else [default] * len(units)


def unit_texts(units: pd.DataFrame) -> list[str]:
    return [str(t).replace("\n", " ") for t in units["text"]]


def read_unit(
    sents: Sequence[Span], title: str, is_action: bool, cues: Cues
) -> tuple[Decision, frozenset[str], list[float]]:
    """The cue rules' reading of one unit: their decision, the kinds of its agenda item, and
    each tense and modality feature at its strongest over the unit's sentences."""
    forms = [form(s, cues) for s in sents]
    context = item_context(title, cues)
    d = decide([s.text for s in sents], forms, cues, is_action=is_action, context=context)
    tense = [max((f.vector()[k] for f in forms), default=0.0) for k in range(len(FEATURES))]
    return d, context, tense


def rule_pass(units: pd.DataFrame, cues: Cues) -> RulePass:
    """The cue rules per sentence, combined to the unit, and each unit's feature row."""
    texts = unit_texts(units)
    titles = _column(units, "item_title", "")
    actions = _column(units, "is_action", False)
    decisions_flag = _column(units, "is_decision", False)
    owners = _column(units, "action_owner", "")
    decisions: list[Decision] = []
    rows: list[list[float]] = []
    parsed = docs(texts)
    for doc, is_action, is_decision, owner, title, text in zip(
        parsed, actions, decisions_flag, owners, titles, texts, strict=True
    ):
        sents = list(doc.sents)
        d, context, tense = read_unit(sents, str(title or ""), bool(is_action), cues)
        decisions.append(d)
        rows.append(
            [
                d.commitment,
                d.result,
                float(d.process_cue),
                d.score,
                *(float(d.label == label) for label in config.FOCUS_LABELS),
                *(float(k in context) for k in CONTEXTS),
                *tense,
                float(bool(is_action)),
                float(bool(is_decision)),
                float(bool(str(owner or "").strip())),
                math.log1p(len(text.split())),
                float(len(sents)),
                float(bool(OWNER_FIRST.search(text))),
                float(bool(OWNER_TO_VERB.search(text))),
                float(bool(TO_BE_DONE.search(text))),
                float(any(_imperative(s) for s in sents)),
                float(bool(TITLE_OWNER.search(str(title or "")))),
            ]
        )
    matrix = np.asarray(rows, dtype=float).reshape(len(rows), len(NAMES))
    return RulePass(decisions, matrix)


def feature_rows(units: pd.DataFrame, cues: Cues) -> list[list[float]]:
    """:func:`rule_pass`'s feature rows as lists (here, or on a cluster's worker)."""
    return rule_pass(units, cues).features.tolist()


def rule_features(units: pd.DataFrame, cues: Cues, cache: Store | None = None) -> np.ndarray:
    """:func:`rule_pass`'s feature rows, each kept in ``cache`` between runs: a row depends on
    its unit's text, item title, flags and owner, the lexicon and the parser alone, and parsing
    is what costs. Without a cache, or for a lexicon with no fingerprint, all are computed."""
    if cache is None or not cues.fingerprint:
        return rule_pass(units, cues).features
    texts = unit_texts(units)
    inputs = [
        json.dumps([t, str(title or ""), bool(a), bool(d), bool(str(owner or "").strip())])
        for t, title, a, d, owner in zip(
            texts,
            _column(units, "item_title", ""),
            _column(units, "is_action", False),
            _column(units, "is_decision", False),
            _column(units, "action_owner", ""),
            strict=True,
        )
    ]

    def compute(positions: list[int]) -> list[list[float]]:
        rows = units.iloc[positions]
        return distribute.map_frame(partial(feature_rows, cues=cues), rows)

    def load(entry: object) -> list[float] | None:
        if not isinstance(entry, list) or len(entry) != len(NAMES):
            return None
        if not all(isinstance(x, float | int) and not isinstance(x, bool) for x in entry):
            return None
        return [float(x) for x in entry]

    rows = textcache.PerText(cache, "focus-features", rules_version(cues, "features")).map(
        inputs, compute, load=load, dump=list
    )
    return np.asarray(rows, dtype=float).reshape(len(rows), len(NAMES))


def rules_version(cues: Cues, what: str) -> str:
    """Everything besides a unit that decides what the focus rules read in it (``what``: its
    feature row, its outcome's scope): the lexicon, spaCy and the parser that reads sentences,
    and the code of the rules."""
    import spacy

    from pipeline.classify.focus import cues as cues_module
    from pipeline.classify.focus import focus, scope, tense
    from pipeline.inputs import lexicon

    parser = textcache.model_identity(tense.TRAINED_PIPELINE)
    modules = [sys.modules[__name__], focus, scope, tense, cues_module, lexicon, config]
    if not parser:  # the blank pipeline preprocessing defines reads the sentences instead
        from pipeline.pseudonymise import preprocess

        modules.append(preprocess)
    return textcache.fingerprint(
        what, cues.fingerprint, spacy.__version__, parser, textcache.source_hash(*modules)
    )


def _imperative(sent: Span) -> bool:
    """A sentence that opens on a bare verb ("Contact the officer"), by the tagger's tag."""
    words = [t for t in sent if t.is_alpha]
    return bool(words) and words[0].tag_ == "VB" and words[0].i - sent.start <= 2


def unit_matrix(features: np.ndarray, embeddings: np.ndarray | None) -> np.ndarray:
    """The rule and structure features, with the sentence embeddings beside them if given."""
    if embeddings is None:
        return features
    return np.hstack([features, np.asarray(embeddings, dtype=float)])


def embed_texts(texts: Sequence[str]) -> np.ndarray | None:
    """The packaged sentence model's vectors for ``texts``, or None when it is not installed."""
    from pipeline.core import embed

    model = embed.load()
    if model is None:
        return None
    return model.encode(list(texts)).astype(float)
