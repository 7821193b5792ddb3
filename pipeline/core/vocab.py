"""Board English that several stages share: month and day names, and where sentences break.

One definition each, so that a stage reading dates, one telling names from calendar words and one
splitting a unit into sentences agree. Item kinds (procedure, action logs) are in
:mod:`pipeline.core.items`; roles, statuses and the ``other`` theme in :mod:`pipeline.core.config`.
"""

from __future__ import annotations

import re
from typing import Final

# Month names with the abbreviations minutes use ("19 Jan 2023", "Sept"), in calendar order.
MONTH_NAMES: Final = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
# The full names alone, lower case: "january" ... "december".
MONTHS: Final = tuple(names[0] for names in MONTH_NAMES)
# Every way of writing a month, to its number: {"january": 1, "jan": 1, ..., "sept": 9, ...}.
MONTH_NUMBERS: Final = {m: i for i, names in enumerate(MONTH_NAMES, start=1) for m in names}
# Any month as minutes write it, by its first three letters ("Jan", "January", "Sept"), as a
# pattern to build others from: "by 3 March", "19 Jan 2023".
MONTH_PATTERN: Final = "(?:" + "|".join(names[0][:3] for names in MONTH_NAMES) + ")"
WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# A sentence ends at a full stop, question or exclamation mark followed by space and a capital:
# "agreed. The board" breaks; "p. 5", "e.g. the" and "5.2 Finance" do not.
SENTENCE_BREAK: Final = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def sentences(text: str) -> list[str]:
    """``text`` split at sentence breaks (:data:`SENTENCE_BREAK`)."""
    return SENTENCE_BREAK.split(text)


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, stripped."""
    return SENTENCE_BREAK.split(text.strip(), maxsplit=1)[0]
