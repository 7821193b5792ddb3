"""Times written on agenda item headings, and the time a meeting closed.

Minutes give item times in a few ways: a start time before or after the heading ("10:15 5. Finance
report", "5. Finance report 10.15am"), a range ("5. Finance 10:15-10:35"), or an allotted duration
("5. Finance report (20 mins)", "Item 5 – Finance – 15 minutes"). This module reads them as minutes
past midnight and minutes of duration; :mod:`pipeline.measure.timings` turns them into item times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A clock time: "10:15", "10.15", "2.20pm", "2pm", "14:05". The bare "2" is never a time.
CLOCK = r"(?<![\d.:/£$])\d{1,2}(?:[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)(?![\w:.]\d)"
_CLOCK = re.compile(r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>[ap])?", re.IGNORECASE)
# A clock time, or a range of two, in front of an item heading: ITEM in blocks.py takes it.
LEADING = rf"(?:(?P<start>{CLOCK})(?:\s*[-–—]\s*(?P<end>{CLOCK}))?\s*[-–—]?\s+)?"
_DURATION = re.compile(
    r"\s*[-–—,]?\s*\(?\s*(?:(?P<h>\d{1,2}(?:\.\d+)?)\s*(?:hours?|hrs?)\b\s*(?:and\s+)?)?"
    r"(?:(?P<m>\d{1,3})\s*(?:minutes?|mins?)\b)?\s*\.?\)?\s*$",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    rf"\s*[-–—,]?\s*\(?\s*(?P<start>{CLOCK})(?:\s*[-–—]|\s+to\s+)?\s*(?P<end>{CLOCK})?\s*\)?\s*$",
    re.IGNORECASE,
)
_TITLE_START = re.compile(rf"^\s*(?P<start>{CLOCK})\s*[-–—]?\s+(?=\S)", re.IGNORECASE)
_CLOSED = re.compile(
    rf"\b(?:meeting|business)\s+(?:was\s+)?(?:closed|ended|finished|concluded|terminated)"
    rf"(?:\s+at)?\s*:?\s*(?P<t>{CLOCK})|\bclose\s+(?:of\s+(?:the\s+)?meeting\s*)?:?\s*(?:at\s+|by\s+)?"
    rf"(?P<t2>{CLOCK})|\bexpected\s+to\s+(?:close|end|finish)\s+(?:at|by)\s+(?P<t3>{CLOCK})",
    re.IGNORECASE,
)
# An item longer than this, or a start time that runs backwards by more, is a misreading.
MAX_ITEM_MINUTES = 300


@dataclass(frozen=True)
class HeadingTime:
    """What an item heading says about its time; ``title`` is the heading's title without it."""

    title: str
    start: int | None = None  # minutes past midnight
    minutes: float | None = None  # allotted or actual duration


def clock(text: str) -> int | None:
    """Minutes past midnight of a clock time ("2.20pm" is 860); None when it is no time."""
    m = _CLOCK.fullmatch(text.strip().rstrip(".").replace(".m", "m").replace(" ", ""))
    if m is None:
        m = _CLOCK.match(text.strip())
    if m is None:
        return None
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    if hour > 23 or minute > 59:
        return None
    ap = (m.group("ap") or "").lower()
    if ap == "p" and hour < 12:
        hour += 12
    elif ap == "a" and hour == 12:
        hour = 0
    return hour * 60 + minute


def heading_time(
    title: str, leading_start: str | None = None, leading_end: str | None = None
) -> HeadingTime:
    """The times of an item heading: ``title`` is the heading's title as ITEM matched it, the
    leading arguments the clock times ITEM found before the item number."""
    start = clock(leading_start) if leading_start else None
    end = clock(leading_end) if leading_end else None
    text = title
    m = _TITLE_START.match(text)
    if m and start is None:
        start, text = clock(m.group("start")), text[m.end() :]
    minutes: float | None = None
    d = _DURATION.search(text)
    if d and (d.group("h") or d.group("m")) and d.start() > 0:
        minutes = _minutes(d)
        text = text[: d.start()]
    else:
        t = _TRAILING.search(text)
        if t and t.start() > 0 and start is None:
            start = clock(t.group("start"))
            end = clock(t.group("end")) if t.group("end") else None
            text = text[: t.start()]
    if minutes is None and start is not None and end is not None:
        length = span(start, end)
        minutes = float(length) if length is not None else None
    if minutes is not None and not 0 < minutes <= MAX_ITEM_MINUTES:
        minutes = None
    return HeadingTime(text.rstrip(" -–—,(") or title, start, minutes)


def strip_time(title: str) -> str:
    """An item title without the time or duration written on it."""
    return heading_time(title).title


def closed_at(text: str) -> int | None:
    """The time a paragraph says the meeting closed ("The meeting closed at 12.30pm")."""
    m = _CLOSED.search(text)
    return clock(m.group("t") or m.group("t2") or m.group("t3")) if m else None


def span(start: int, end: int) -> int | None:
    """Minutes from ``start`` to ``end``; a 12-hour clock may roll over ("12:45" to "1:10")."""
    for later in (end, end + 12 * 60):
        if 0 < later - start <= MAX_ITEM_MINUTES:
            return later - start
    return None


# An item cell: "1", "Item 5", "5. Finance report"; never "20 mins" (a title starts uppercase).
_ROW_NO = re.compile(
    r"^(?:item\s+)?(?P<no>[A-Z]{1,5}/\d{1,4}/\d{1,4}|\d{1,3}(?:\.\d{1,3})?)"
    r"(?:[.:)]?\s+(?-i:[A-Z]).*|\.)?$",
    re.IGNORECASE,
)
_CELL_CLOCK = re.compile(rf"^(?P<start>{CLOCK})(?:\s*[-–—]\s*(?P<end>{CLOCK}))?$", re.IGNORECASE)


def row_time(line: str) -> tuple[str, HeadingTime] | None:
    """The item number and time of an agenda table row ("1 | 2.00pm | Welcome | Chair"), or
    None when the row has no item number or no time."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    no = next((m.group("no") for c in cells if (m := _ROW_NO.match(c))), None)
    if no is None:
        return None
    for c in cells:
        t = _CELL_CLOCK.match(c)
        if t:
            return no, heading_time("", t.group("start"), t.group("end"))
        d = _DURATION.fullmatch(c)
        if d and (d.group("h") or d.group("m")):
            minutes = _minutes(d)
            return no, HeadingTime("", None, minutes if 0 < minutes <= MAX_ITEM_MINUTES else None)
    return None


def _minutes(d: re.Match[str]) -> float:
    return float(d.group("h") or 0) * 60 + int(d.group("m") or 0)
