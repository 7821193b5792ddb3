"""Code: one theme per unit from the codebook's seed terms, with the agenda item as context.

Seeds are lemmatised the same way as the units, so "crisis lines" in the minutes meets the seed
"crisis line". A unit's own words count fully; its agenda item title counts for less, and for more
when the unit is too short to say much by itself ("Action: Officer 2 to circulate the protocol").
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline.codebook import Codebook
from pipeline.preprocess import lemmatise

# A unit needs evidence worth one seed match in its own words (or two in its item title) before it
# gets a theme: the weakest evidence a human coder would accept. Below that it is `other`.
MIN_EVIDENCE = 1.0
TITLE_WEIGHT = 0.5
SHORT_UNIT_WORDS = 15
SHORT_TITLE_WEIGHT = 1.0


def code(units: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Add ``theme`` and ``theme_score`` to the units (which carry ``lemmas``, ``item_lemmas``)."""
    patterns = _patterns(codebook)
    themes, scores = [], []
    for lemmas, item_lemmas, n_words in zip(units["lemmas"], units["item_lemmas"],
                                            units["n_words"], strict=True):
        title_weight = SHORT_TITLE_WEIGHT if n_words < SHORT_UNIT_WORDS else TITLE_WEIGHT
        evidence = {
            tid: _hits(lemmas, pats) + title_weight * _hits(item_lemmas, pats)
            for tid, pats in patterns.items()
        }
        best = max(evidence, key=lambda t: (evidence[t], -codebook.by_id[t].priority_rank),
                   default=None)
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
