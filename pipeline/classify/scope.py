"""Outcome scope: does the benefit stay with particular individuals or reach people generally?

The coding manual's individual outcomes are the ones Horrocks and colleagues found: a named person
rehoused, a representative's own case resolved, the involved members' training, confidence or
payment. Collective outcomes reach a group, a ward, all service users or carers, or the public.
The cues for each side are in the lexicon's ``scope`` section (``themes/focus-cues.yaml``); the
side whose cues weigh more wins, and a tie goes to collective, the commoner reading of a result
reported to a board.
"""

from __future__ import annotations

from pipeline.classify.cues import Cues


def scope_of(text: str, cues: Cues) -> tuple[str, float]:
    """individual or collective, and how clearly the cues point that way (0.5-1)."""
    ind = sum(c.weight for c in cues.individual if c.pattern.search(text))
    col = sum(c.weight for c in cues.collective if c.pattern.search(text))
    if ind > col:
        return "individual", round(min(1.0, 0.5 + (ind - col) / 4), 3)
    return "collective", round(min(1.0, 0.5 + (col - ind) / 4), 3)
