"""Formatting numbers and dates for people, in one place.

The key findings, tables and charts must print the same number the same way, or a reader checking
one against another will find "14%" in one place and "13.6%" in another.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Final

import pandas as pd

DASH = "–"


# What the report says of a figure whose stage did not run (or an older analysis lacks): not a
# zero, which would claim the board did nothing.
UNMEASURED: Final = "not measured in this run"


def to_float(value: object) -> float:
    """Any cell as a float, NaN for a gap (None, NaN, NaT, pd.NA) or anything not a number."""
    if value is None or value is pd.NA or value is pd.NaT:
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def to_int(value: object, default: int = 0) -> int:
    """Counts from sums and nullable columns; a gap counts as ``default``."""
    number = to_float(value)
    return int(number) if math.isfinite(number) else default


def is_missing(value: object) -> bool:
    """pandas hands back NaN, NaT, pd.NA or None for a gap; all mean 'not known' to a reader."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def finite(value: object) -> bool:
    """A number that can be printed and plotted (not a gap, not infinite)."""
    return math.isfinite(to_float(value))


def pct(share: object) -> str:
    """Whole percentages: the minutes are too coarse a record for decimals to mean anything."""
    number = to_float(share)
    return f"{number:.0%}" if math.isfinite(number) else DASH


def count(value: object) -> str:
    """Counts without a trailing '.0' from nullable integer columns."""
    number = to_float(value)
    return f"{int(number):,}" if math.isfinite(number) else DASH


def decimal(value: object, places: int = 2) -> str:
    number = to_float(value)
    return f"{number:.{places}f}" if math.isfinite(number) else DASH


def rank(value: object) -> str:
    """Ranks are averaged over ties, so '2.5' must stay but '3.0' should read '3'."""
    number = to_float(value)
    if not math.isfinite(number):
        return DASH
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
        stamp = pd.Timestamp(str(value))
    except (TypeError, ValueError):
        return None
    return None if stamp is pd.NaT else stamp.date()


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


def text(value: object) -> str:
    """A table or manifest value as display text; '' for missing."""
    return "" if is_missing(value) else str(value).strip()


TOO_FEW = "too few to conclude"


def interval_words(low: object, high: object, show: Callable[[object], str]) -> str:
    """'95% interval a to b', or why there is none. A zero-width interval is every resample
    giving the same figure: few meetings alike, not certainty, so it is never shown as bounds."""
    if not (finite(low) and finite(high)):
        return "no 95% interval (too few meetings to resample)"
    if show(low) == show(high):
        return (
            "no 95% interval: every resample of the meetings gives the same figure, which "
            "says the meetings are few and alike, not that the figure is certain"
        )
    return f"95% interval {show(low)} to {show(high)}"
