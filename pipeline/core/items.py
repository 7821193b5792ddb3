"""Kinds of agenda item that several stages recognise by their titles, defined once.

Ingestion tells an action log from minutes by its title, levels finds the procedural items where
lay members speak within a set role, uptake looks for follow-ups in the next meeting's matters
arising and action log, and focus coding leans towards results in those items (the cue lexicon
names these patterns as the fragments ``<<action_log_item>>`` and ``<<matters_arising_item>>``).
All match case-insensitively.
"""

from __future__ import annotations

import re
from typing import Final

# An action log or tracker, as an item or a document: "Action log", "Actions tracker", "Schedule
# of actions", "Outstanding actions", "Progress on actions", "Action points", "Actions from the
# last meeting", "Points log".
ACTION_LOG: Final = (
    r"\bactions?\s+(?:log|tracker|list|points?|schedule|register|arising|from|update)\b|"
    r"\b(?:schedule|log)\s+of\s+actions\b|\b(?:outstanding|progress\s+on)\s+actions\b|"
    r"\bpoints\s+log\b"
)
# The same in a file name, where words are joined by hyphens or underscores: "action-log.pdf",
# "Actions_Tracker.docx".
ACTION_LOG_FILE: Final = r"actions?[-_ ]?(?:log|tracker|list|register)"
MATTERS_ARISING: Final = r"\bmatters\s+arising\b"
# The previous meeting's minutes, as an item: "Minutes of the previous meeting".
PREVIOUS_MINUTES: Final = r"\bminutes\s+of\s+(?:the\s+)?(?:previous|last)\s+meeting\b"
# The board's own procedure: welcome and apologies, declarations, the minutes and matters
# arising, any other business, the date of the next meeting.
PROCEDURE: Final = (
    r"\b(?:welcome|apologies|introductions|declarations?|interests?|minutes\s+of|"
    r"any\s+other\s+business|date\s+of\s+(?:the\s+)?next)\b|" + MATTERS_ARISING
)
# Items that follow up an earlier meeting: its minutes, matters arising, the action log.
FOLLOW_UP: Final = f"{ACTION_LOG}|{MATTERS_ARISING}|{PREVIOUS_MINUTES}"

# Names the cue lexicon may use as <<fragments>> (pipeline/classify/focus/cues.py).
FRAGMENTS: Final = {"action_log_item": ACTION_LOG, "matters_arising_item": MATTERS_ARISING}


def pattern(kind: str) -> re.Pattern[str]:
    """One of the patterns above, compiled case-insensitively."""
    return re.compile(kind, re.IGNORECASE)
