"""The plain keyword baseline reported beside the pipeline's agreement with human coding.

An agreement figure means little on its own: a kappa of 0.6 is good news if counting a few
keywords gets 0.2, and bad news if it gets 0.6 too. These functions are what "counting keywords"
gives, so the validation report can show the pipeline's gain over it. They are deliberately plain
(no lemmas, no sentence structure, no agenda-item context, no tuning on the gold file): making them
cleverer would hide the very gap they exist to show. Do not improve them.

They read the pipeline's unit text (``segments.text``), in which people are pseudonymised as
"Service user 2", "Carer 1", "Lay member 1", "Member 3", "Officer 5", "Chair 1" or "Person 4".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Protocol

from pipeline.core import config

ACTION_WORDS: Final = ("action", " will ")
OUTCOME_WORDS: Final = (
    "outcome",
    "result",
    "improved",
    "reduced",
    "opened",
    "housed",
    "achieved",
    "delivered",
)
INDIVIDUAL_WORDS: Final = ("individual", "training", "expenses", "his own", "her own", "personal")

# Role words as they appear in pseudonyms, case-sensitive so "Member 3" counts and "members" does
# not. Alternation order only matters at the same position; the leftmost match in the text wins.
_ROLE_WORDS: Final = tuple((label, role) for role, label in config.PSEUDONYM_LABELS.items())
_ROLE_RE: Final = re.compile("|".join(re.escape(word) for word, _ in _ROLE_WORDS))
_ROLE_OF: Final = dict(_ROLE_WORDS)


class ThemeLike(Protocol):
    """What the theme baseline needs from a codebook theme (``pipeline.inputs.codebook.Theme``)."""

    @property
    def id(self) -> str: ...

    @property
    def seeds(self) -> Sequence[str]: ...

    @property
    def priority_rank(self) -> int: ...


class CodebookLike(Protocol):
    """What the theme baseline needs from a codebook (``pipeline.inputs.codebook.Codebook``)."""

    @property
    def themes(self) -> Sequence[ThemeLike]: ...


def focus_baseline(texts: Sequence[str]) -> list[str]:
    """``action`` if the unit says "action" or " will ", else ``outcome`` on a result word.

    Anything else is ``process``, the commonest label, so the baseline is never worse than the
    majority guess by much and never better than keyword spotting allows.
    """
    out = []
    for text in texts:
        low = text.lower()
        if any(word in low for word in ACTION_WORDS):
            out.append("action")
        elif any(word in low for word in OUTCOME_WORDS):
            out.append("outcome")
        else:
            out.append("process")
    return out


def scope_baseline(texts: Sequence[str]) -> list[str]:
    """``individual`` if the unit mentions individuals, training, expenses or own/personal gain.

    Otherwise ``collective``. It is applied to every text given; the caller restricts it to
    outcome units, as the coding manual only defines scope there.
    """
    return [
        "individual" if any(word in text.lower() for word in INDIVIDUAL_WORDS) else "collective"
        for text in texts
    ]


def speaker_role_baseline(texts: Sequence[str]) -> list[str]:
    """The role of the first role word in the unit ("Service user", "Carer", ..., "Officer").

    It only looks for role words: it cannot tell the person a unit reports from a person it merely
    mentions ("Officer 5 replied to Service user 2" is ``officer`` only because the officer comes
    first), it takes "The Chair" and "Members noted" as speakers, and it says ``none`` only when
    no role word occurs at all.
    """
    out = []
    for text in texts:
        match = _ROLE_RE.search(text)
        out.append(_ROLE_OF[match.group(0)] if match else "none")
    return out


def theme_baseline(texts: Sequence[str], codebook: CodebookLike) -> list[str]:
    """The theme whose seed terms occur most often as plain lower-case substrings of the unit.

    Ties go to the theme with the better (lower) survey priority rank, as in the pipeline; a unit
    in which no seed occurs is ``other``. No lemmas and no word boundaries: "rehoused" does not
    meet the seed "housing", and "care" is found inside "career", which is the point of a baseline.
    """
    themes = [
        (theme.id, theme.priority_rank, [s.lower() for s in theme.seeds if s.strip()])
        for theme in codebook.themes
    ]
    out = []
    for text in texts:
        low = text.lower()
        best, best_key = config.OTHER_THEME, (0, 0)
        for theme_id, rank, seeds in themes:
            count = sum(low.count(seed) for seed in seeds)
            key = (count, -rank)
            if count > 0 and (best == config.OTHER_THEME or key > best_key):
                best, best_key = theme_id, key
        out.append(best)
    return out
