"""Formatting numbers and dates for people, in one place.

The key findings, tables and charts must print the same number the same way, or a reader checking
one against another will find "14%" in one place and "13.6%" in another.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import pandas as pd

DASH = "–"


def is_missing(value: object) -> bool:
    """pandas hands back NaN, NaT, pd.NA or None for a gap; all mean 'not known' to a reader."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def pct(share: object) -> str:
    """Whole percentages: the minutes are too coarse a record for decimals to mean anything."""
    if is_missing(share):
        return DASH
    return f"{float(share):.0%}"  # type: ignore[arg-type]


def count(value: object) -> str:
    """Counts without a trailing '.0' from nullable integer columns."""
    if is_missing(value):
        return DASH
    return f"{int(float(value)):,}"  # type: ignore[arg-type]


def decimal(value: object, places: int = 2) -> str:
    if is_missing(value):
        return DASH
    return f"{float(value):.{places}f}"  # type: ignore[arg-type]


def rank(value: object) -> str:
    """Ranks are averaged over ties, so '2.5' must stay but '3.0' should read '3'."""
    if is_missing(value):
        return DASH
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() else f"{number:g}"


def long_date(value: object) -> str:
    """'9 March 2023': unambiguous to readers on both sides of the Atlantic."""
    day = as_date(value)
    return f"{day.day} {day:%B %Y}" if day else "date unknown"


def short_date(value: object) -> str:
    """'Mar 23', the chart axis style, short enough for dozens of meetings side by side."""
    day = as_date(value)
    return f"{day:%b %y}" if day else "?"


def as_date(value: object) -> dt.date | None:
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return pd.Timestamp(value).date()  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def generated(value: object) -> str:
    """The run's ISO timestamp, shown to the minute; anything unparseable is shown as given."""
    text = "" if is_missing(value) else str(value)
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        return text or "unknown"
    return f"{stamp.day} {stamp:%B %Y}, {stamp:%H:%M}"


def and_list(items: Sequence[str]) -> str:
    """'a, b and c', so generated sentences read as English."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural_form or singular + 's')}"


def finite(value: object) -> bool:
    """A number that can be printed and plotted (not a gap, not infinite)."""
    if is_missing(value):
        return False
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
