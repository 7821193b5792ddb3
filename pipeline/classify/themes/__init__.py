"""Code: one theme per unit from the codebook, with no hand-coded examples.

With the packaged sentence model (``pipeline.core.embed``), three kinds of evidence are combined:

1. Seed matches on lemmas (``pipeline.classify.themes.seeds``): a spaCy PhraseMatcher on LEMMA,
each seed
   weighted by how specific it is in this corpus (inverse document frequency, 0-1), in the unit's
   own words and, at half weight (full weight for a unit under SHORT_UNIT_WORDS words), in its
   agenda item title.
2. Meaning (``pipeline.classify.themes.semantic``): the unit, with its item title in front, against
several
   prototype texts per theme (mean of the closest TOP_K), and against the board's procedure,
   which stands for ``other``.
3. Self-training (``pipeline.classify.themes.selftrain``): the most confident third of the units
for each
   label become pseudo-labels for a logistic regression over the unit embeddings (each theme
   weighted equally, however few its pseudo-labels), which then reads every unit in the board's
   own wording.

How they are combined, and why:
- zero-example score per theme = similarity + SEED_WEIGHT * log(1 + seed evidence): one seed
  match adds about as much as a clearly related sentence does over an unrelated one (~0.07), and
  more matches add less and less. ``other`` scores its similarity to procedure.
- probabilities = softmax(score / TEMPERATURE). Similarities between a unit and texts on its
  topic exceed those for other topics by about 0.1 with this model, so TEMPERATURE = 0.05 turns
  a 0.1 lead into odds of about e^2 = 7 to 1.
- agenda item context: a unit's probabilities are averaged half and half with the mean over its
  agenda item (ITEM_WEIGHT). A coder reads a paragraph in the light of the item it sits under.
  Not under a procedural item ("Matters arising", "Any other business", "Welcome and
  apologies": a title that, read alone, is most probably procedure): such an item gathers
  unrelated subjects, and its mean, weighted by its procedural paragraphs, would pull a
  paragraph about housing towards ``other``.
  Nor is the procedural title read with a paragraph of its own (neither in front of its text
  for the sentence model nor for seed words): "Minutes of the previous meeting" would make every
  paragraph under it read as procedure. A unit too short to say much for itself
  ("Apologies were received.") still inherits it.
- speakers: pseudonyms ("Carer 2", "Service user 1") are not read as seed words. They say who
  spoke, not what about; read as words, every carer's question would count for a carers theme.
  Role titles ("carer representative", "youth representatives") are read as "representative"
  by both the seeds and the sentence model, for the same reason: recruiting a carer
  representative is about the board's involvement arrangements, not about support for carers.
  (The sentence model still reads the pseudonyms as written: replacing them in its input lowered
  agreement on both the demo and Calderbrook gold.)
- self-training: the classifier's calibrated probabilities and the zero-example ones count
  equally (SELF_TRAINING_WEIGHT): the classifier learned only from the zero-example coder, so it
  is not given the last word over it.
- ``other``: a unit is ``other`` when procedure is its most probable label, or when no theme
  reaches the floor of 2 / (number of labels), twice what a uniform guess gives each label (at
  most 1/2): below that the evidence does not single out any theme. Both rules are fixed in
  advance, not fitted to any gold file.
- ``theme_score`` is the final probability of the label given (0-1).

Everything is deterministic: embeddings are cached by text, the matcher and the logistic
regression (lbfgs, ``random_state`` fixed) have no randomness, and no step depends on unit order
except through sorted groupings.

Without the embedding model (the ``embed`` extra), seed matches alone decide: a unit needs
evidence worth one seed match in its own words (or two in its item title) for a theme.

With hand-coded examples, ``pipeline.classify.themes.examples`` builds on ``zero_shot`` and learns
from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.classify.themes import semantic
from pipeline.classify.themes.seeds import SeedMatcher, idf
from pipeline.classify.themes.selftrain import UNLABELLED, SelfTrainingThemes
from pipeline.core import config
from pipeline.core.embed import Embedder
from pipeline.core.textcache import Store
from pipeline.inputs.codebook import Codebook

__all__ = ["code"]

# Seed-only coding: a unit needs evidence worth one seed match in its own words (or two in its
# item title) before it gets a theme: the weakest evidence a human coder would accept.
MIN_EVIDENCE = 1.0
TITLE_WEIGHT = 0.5
SHORT_UNIT_WORDS = 15
SHORT_TITLE_WEIGHT = 1.0
# With embeddings (see the module docstring for the reasons).
SEED_WEIGHT = 0.1
TEMPERATURE = 0.05
ITEM_WEIGHT = 0.5
SELF_TRAINING_WEIGHT = 0.5
CONFIDENT_SHARE = 1 / 3  # of each label's units, the surest, become pseudo-labels
MIN_PSEUDO_LABELS = 20  # fewer than this and self-training is skipped (too little to learn from)
RANDOM_STATE = 0


def code(
    units: pd.DataFrame,
    codebook: Codebook,
    embedder: Embedder | None = None,
    cache: Store | None = None,
) -> pd.DataFrame:
    """Add ``theme``, ``theme_score`` and ``theme_source`` (``zero-shot``) to the units (which
    carry ``text`` and ``item_title``); ``pipeline.classify.themes.examples``
    codes with human examples. With a ``cache``, each text's seed matches are kept between runs
    (:meth:`pipeline.classify.themes.seeds.SeedMatcher.counts`); their weights, the similarities
    and self-training are worked out on the whole corpus every run."""
    out = units.copy()
    out["theme_source"] = ["zero-shot"] * len(units)
    if not len(units) or not codebook.themes:
        out["theme"] = [config.OTHER_THEME] * len(units)
        out["theme_score"] = [0.0] * len(units)
        return out
    if embedder is None:
        themes, scores = _code_with_seeds(units, codebook, cache)
    else:
        themes, scores = _code_with_embeddings(units, codebook, embedder, cache)
    out["theme"] = themes
    out["theme_score"] = scores
    return out


# Pseudonyms name a speaker's role ("Carer 2 asked ..."), not the subject of the unit: read as
# words they would make every carer's question about carers. They are read as "a member" instead.
_PSEUDONYM = re.compile(rf"\b{config.PSEUDONYM}\b")
NEUTRAL_SPEAKER = "a member"


# A seat on the board named by whom it represents: "carer representative", "youth reps".
_ROLE_TITLE = re.compile(
    r"\b(?:service users?|carers?|parent carers?|young carers?|youth|young people'?s?|patients?"
    r"|lay|public|community)['’]?\s+(representatives?|reps?)\b",
    re.IGNORECASE,
)


def neutral_roles(text: str) -> str:
    """The text with role titles ("carer representative") read as "representative"."""
    return _ROLE_TITLE.sub(r"\1", text)


def neutral_speakers(text: str) -> str:
    """The text with each pseudonym replaced by NEUTRAL_SPEAKER (possessives kept) and role
    titles read as "representative" (``neutral_roles``)."""
    return neutral_roles(_PSEUDONYM.sub(NEUTRAL_SPEAKER, text))


def _texts(units: pd.DataFrame) -> tuple[list[str], list[str]]:
    texts = ["" if pd.isna(t) else str(t) for t in units["text"]]
    titles = ["" if pd.isna(t) else str(t) for t in units["item_title"]]
    return texts, titles


def _title_weights(units: pd.DataFrame) -> np.ndarray:
    n_words = np.asarray(units["n_words"], dtype=float)
    return np.where(n_words < SHORT_UNIT_WORDS, SHORT_TITLE_WEIGHT, TITLE_WEIGHT)[:, None]


def seed_evidence(
    units: pd.DataFrame, codebook: Codebook, weighted: bool, cache: Store | None = None
) -> np.ndarray:
    """Seed evidence per unit (rows) and theme (columns), the item title counted as context.

    ``weighted`` scales each seed by its specificity in these units (``seeds.idf``); the
    seed-only coder counts plain matches, so its threshold keeps its meaning of "one match".
    """
    texts, titles = _texts(units)
    texts = [neutral_speakers(t) for t in texts]
    matcher = SeedMatcher(codebook)
    in_text, in_title = matcher.counts(texts, cache), matcher.counts(titles, cache)
    weights = idf(in_text + in_title) if weighted else None
    return matcher.evidence(in_text, weights) + _title_weights(units) * matcher.evidence(
        in_title, weights
    )


def _code_with_seeds(
    units: pd.DataFrame, codebook: Codebook, cache: Store | None = None
) -> tuple[list[str], list[float]]:
    evidence = seed_evidence(units, codebook, weighted=False, cache=cache)
    # Ties go to the theme service users ranked higher.
    order = np.argsort([t.priority_rank for t in codebook.themes], kind="stable")
    ids = list(codebook.ids)
    themes, scores = [], []
    for row in evidence:
        ranked = row[order]
        best = int(order[int(np.argmax(ranked))])
        if row[best] < MIN_EVIDENCE:
            themes.append(config.OTHER_THEME)
            scores.append(0.0)
            continue
        total = row.sum()
        # Strength of evidence times how clearly it points to one theme.
        scores.append(round(float(row[best] / (row[best] + 2) * row[best] / total), 3))
        themes.append(ids[best])
    return themes, scores


def zero_example_proba(
    theme_sim: np.ndarray, procedure_sim: np.ndarray, evidence: np.ndarray
) -> np.ndarray:
    """Probabilities over the themes and ``other`` (last column) from meaning and seeds."""
    scores = np.concatenate(
        [theme_sim + SEED_WEIGHT * np.log1p(evidence), procedure_sim[:, None]], axis=1
    )
    return _softmax(scores / TEMPERATURE)


def item_context(
    proba: np.ndarray, units: pd.DataFrame, procedural: np.ndarray | None = None
) -> np.ndarray:
    """Each unit's probabilities averaged with its agenda item's mean (ITEM_WEIGHT).

    Units under a procedural item (``procedural``: "Matters arising", "Any other business")
    keep their own: such an item gathers unrelated subjects, and its mean would only pull each
    of them towards ``other``.
    """
    if not {"meeting_id", "item_no"} <= set(units.columns):
        return proba
    keys = (units["meeting_id"].astype(str) + "\0" + units["item_no"].astype(str)).to_numpy()
    item_mean = pd.DataFrame(proba).groupby(keys, sort=True).transform("mean").to_numpy()
    weight = np.full((len(proba), 1), ITEM_WEIGHT)
    if procedural is not None:
        weight[np.asarray(procedural, dtype=bool)] = 0.0
    return (1 - weight) * proba + weight * item_mean


def procedural_titles(
    titles: list[str], codebook: Codebook, embedder: Embedder, cache: Store | None = None
) -> np.ndarray:
    """True where an item title reads as the board's procedure rather than as any theme.

    "Minutes of the previous meeting and matters arising" tells a coder nothing about what a
    paragraph under it is about, so it must not colour the paragraph as a subject title does.
    A title is procedural when, read on its own, procedure is its most probable label.
    """
    distinct = sorted({t for t in titles if t})
    if not distinct:
        return np.zeros(len(titles), dtype=bool)
    vectors = embedder.encode(distinct)
    theme_sim, procedure_sim = semantic.similarities(vectors, codebook, embedder)
    frame = pd.DataFrame({"text": distinct, "item_title": [""] * len(distinct)})
    frame["n_words"] = [len(t.split()) for t in distinct]
    evidence = seed_evidence(frame, codebook, weighted=False, cache=cache)
    proba = zero_example_proba(theme_sim, procedure_sim, evidence)
    is_procedure = dict(zip(distinct, proba.argmax(axis=1) == proba.shape[1] - 1, strict=True))
    return np.array([bool(t) and bool(is_procedure[t]) for t in titles], dtype=bool)


def pseudo_labels(proba: np.ndarray) -> np.ndarray:
    """The surest CONFIDENT_SHARE of each label's units keep that label; the rest are -1."""
    best = proba.argmax(axis=1)
    sure = proba.max(axis=1)
    y = np.full(len(proba), UNLABELLED)
    for label in np.unique(best):
        rows = np.flatnonzero(best == label)
        n_keep = max(1, int(np.ceil(len(rows) * CONFIDENT_SHARE)))
        # Stable sort on (-confidence, row) so ties never depend on anything but position.
        keep = rows[np.lexsort((rows, -sure[rows]))[:n_keep]]
        y[keep] = label
    return y


def other_floor(n_labels: int) -> float:
    """Twice a uniform share, at most an even chance: below it no theme is singled out.

    The cap matters only for codebooks of one to three themes, where twice a uniform share would
    ask for more than half the probability.
    """
    return min(2.0 / n_labels, 0.5)


@dataclass
class ZeroShot:
    """The zero-example coder's reading of the units, kept for a trained coder to build on."""

    vectors: np.ndarray  # unit embeddings, item title in front
    evidence: np.ndarray  # idf-weighted seed evidence per theme
    proba: np.ndarray  # final probabilities over the themes and ``other`` (last column)
    context: pd.DataFrame  # the units, for ``item_context``
    procedural: np.ndarray  # True for units under a procedural item title


def zero_shot(
    units: pd.DataFrame, codebook: Codebook, embedder: Embedder, cache: Store | None = None
) -> ZeroShot:
    """Probabilities from seeds, meaning, item context and self-training, with no examples."""
    texts, titles = _texts(units)
    procedural = procedural_titles(titles, codebook, embedder, cache)
    # A procedural title is not read with a paragraph under it, though a short unit still
    # inherits it (see the module docstring).
    own_words = np.asarray(units["n_words"], dtype=float) >= SHORT_UNIT_WORDS
    context_titles = [
        "" if p and long else t for t, p, long in zip(titles, procedural, own_words, strict=True)
    ]
    read = units.assign(item_title=context_titles)
    vectors = embedder.encode(
        semantic.unit_texts([neutral_roles(t) for t in texts], context_titles)
    )
    theme_sim, procedure_sim = semantic.similarities(vectors, codebook, embedder)
    evidence = seed_evidence(read, codebook, weighted=True, cache=cache)
    prior = zero_example_proba(theme_sim, procedure_sim, evidence)
    proba = item_context(prior, units, procedural)

    y = pseudo_labels(proba)
    labelled = y != UNLABELLED
    if labelled.sum() >= MIN_PSEUDO_LABELS and len(np.unique(y[labelled])) >= 2:
        model = SelfTrainingThemes(random_state=RANDOM_STATE).fit(vectors, y)
        learned = np.zeros_like(prior)
        learned[:, model.classes_] = model.predict_proba(vectors)
        proba = item_context(
            SELF_TRAINING_WEIGHT * learned + (1 - SELF_TRAINING_WEIGHT) * prior, units, procedural
        )
    return ZeroShot(vectors, evidence, proba, units, procedural)


def decide(proba: np.ndarray, codebook: Codebook) -> tuple[list[str], list[float]]:
    """The most probable label per unit, ``other`` below the floor (see ``other_floor``)."""
    labels = [*codebook.ids, config.OTHER_THEME]
    floor = other_floor(len(labels))
    themes, scores = [], []
    for row in proba:
        best = int(np.argmax(row))
        if labels[best] != config.OTHER_THEME and row[best] < floor:
            themes.append(config.OTHER_THEME)
            scores.append(round(float(row[-1]), 3))
            continue
        themes.append(labels[best])
        scores.append(round(float(row[best]), 3))
    return themes, scores


def _code_with_embeddings(
    units: pd.DataFrame, codebook: Codebook, embedder: Embedder, cache: Store | None = None
) -> tuple[list[str], list[float]]:
    return decide(zero_shot(units, codebook, embedder, cache).proba, codebook)


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=1, keepdims=True))
    return np.asarray(z / z.sum(axis=1, keepdims=True))
