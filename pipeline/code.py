"""Code: one theme per unit from the codebook's definitions and seed terms.

Two kinds of evidence, combined per theme:
- meaning: cosine similarity between the unit (with its agenda item title as context) and the
  theme's label, definition, seeds and examples, from a packaged sentence-embedding model;
- seed matches: seeds are lemmatised the same way as the units, so "crisis lines" in the minutes
  meets the seed "crisis line". A unit's own words count fully; its item title counts for less,
  and for more when the unit is too short to say much by itself.
Without the embedding model (the `embed` extra), seed matches alone decide.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipeline.codebook import Codebook, Theme
from pipeline.embed import Embedder
from pipeline.preprocess import lemmatise

# A unit needs evidence worth one seed match in its own words (or two in its item title) before it
# gets a theme: the weakest evidence a human coder would accept. Below that it is `other`.
MIN_EVIDENCE = 1.0
TITLE_WEIGHT = 0.5
SHORT_UNIT_WORDS = 15
SHORT_TITLE_WEIGHT = 1.0
# With embeddings: a unit is `other` unless its closest theme is at least this similar in meaning
# (cosine 0.25: sentences about the same topic in different words; unrelated ones score near 0.1)
# or it has seed evidence as above. One seed match adds about 0.07 to the similarity.
MIN_SIMILARITY = 0.25
SEED_WEIGHT = 0.1


def code(units: pd.DataFrame, codebook: Codebook, embedder: Embedder | None = None) -> pd.DataFrame:
    """Add ``theme`` and ``theme_score`` to the units (which carry ``lemmas``, ``item_lemmas``)."""
    if embedder is not None and len(units):
        return _code_with_embeddings(units, codebook, embedder)
    patterns = _patterns(codebook)
    themes, scores = [], []
    for lemmas, item_lemmas, n_words in zip(
        units["lemmas"], units["item_lemmas"], units["n_words"], strict=True
    ):
        title_weight = SHORT_TITLE_WEIGHT if n_words < SHORT_UNIT_WORDS else TITLE_WEIGHT
        evidence = {
            tid: _hits(lemmas, pats) + title_weight * _hits(item_lemmas, pats)
            for tid, pats in patterns.items()
        }
        best = max(
            evidence, key=lambda t: (evidence[t], -codebook.by_id[t].priority_rank), default=None
        )
        if best is None or evidence[best] < MIN_EVIDENCE:
            themes.append("other")
            scores.append(0.0)
            continue
        total = sum(evidence.values())
        # Strength of evidence times how clearly it points to one theme.
        scores.append(round(evidence[best] / (evidence[best] + 2) * evidence[best] / total, 3))
        themes.append(best)
    out = units.copy()
    out["theme"] = themes
    out["theme_score"] = scores
    return out


def _evidence(units: pd.DataFrame, codebook: Codebook) -> np.ndarray:
    """Seed evidence per unit (rows) and theme (columns)."""
    patterns = _patterns(codebook)
    rows = []
    for lemmas, item_lemmas, n_words in zip(
        units["lemmas"], units["item_lemmas"], units["n_words"], strict=True
    ):
        title_weight = SHORT_TITLE_WEIGHT if n_words < SHORT_UNIT_WORDS else TITLE_WEIGHT
        rows.append(
            [
                _hits(lemmas, patterns[t.id]) + title_weight * _hits(item_lemmas, patterns[t.id])
                for t in codebook.themes
            ]
        )
    return np.asarray(rows, dtype=float).reshape(len(units), len(codebook.themes))


def theme_text(theme: Theme) -> str:
    """What a theme means, as one text for the embedding model."""
    parts = [theme.label + ".", theme.definition, ", ".join(theme.seeds) + "."]
    parts += list(theme.examples_include[:3])
    return " ".join(p for p in parts if p)


def _code_with_embeddings(
    units: pd.DataFrame, codebook: Codebook, embedder: Embedder
) -> pd.DataFrame:
    texts = [
        f"{title}. {text}" if title else text
        for title, text in zip(units["item_title"], units["text"], strict=True)
    ]
    unit_vectors = embedder.encode(texts)
    theme_vectors = embedder.encode([theme_text(t) for t in codebook.themes])
    similarity = unit_vectors @ theme_vectors.T
    evidence = _evidence(units, codebook)
    combined = similarity + SEED_WEIGHT * np.log1p(evidence)
    ids = list(codebook.ids)
    themes, scores = [], []
    for row in range(len(units)):
        best = int(np.argmax(combined[row]))
        if similarity[row, best] < MIN_SIMILARITY and evidence[row, best] < MIN_EVIDENCE:
            themes.append("other")
            scores.append(0.0)
            continue
        themes.append(ids[best])
        scores.append(round(float(min(1.0, max(0.0, combined[row, best]))), 3))
    out = units.copy()
    out["theme"] = themes
    out["theme_score"] = scores
    return out


def _patterns(codebook: Codebook) -> dict[str, list[tuple[re.Pattern[str], float]]]:
    out: dict[str, list[tuple[re.Pattern[str], float]]] = {}
    for theme in codebook.themes:
        seeds = sorted({s for s in theme.seeds if s.strip()})
        lemmas = lemmatise(seeds)
        pats = []
        for lem in dict.fromkeys(lemmas):
            if not lem:
                continue
            weight = 1.0 + 0.5 * (len(lem.split()) - 1)
            pats.append((re.compile(rf"(?<!\S){re.escape(lem)}(?!\S)"), weight))
        out[theme.id] = pats
    return out


def _hits(lemmas: str, patterns: list[tuple[re.Pattern[str], float]]) -> float:
    return sum(weight * len(p.findall(lemmas)) for p, weight in patterns)
