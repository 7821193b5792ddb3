"""One meeting per body and date, unless the minutes say otherwise.

Boards publish one meeting's minutes more than once: as a PDF and as the Word file it was made
from, a draft and then the approved version. Read as they come, each copy is a meeting, and a
year's counts, shares and presence double them. Two meetings read from different files are one
when they have the same date, the same body (where the files name one) and the same kind; the
more complete reading is kept and the other file is recorded as a copy (documents status
``same_meeting``). Their headings tell genuinely different meetings on one day apart: an
extraordinary, special or annual general meeting beside an ordinary one, or meetings whose
headings give different start times. Files whose names give different dates are kept apart
too: the text's date wins over a file name's ("Group 4 - Minutes 12-3-19" whose heading repeats the
last meeting's date), but two files named for two days are two publications of two meetings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.segment import attendance as att
from pipeline.segment.blocks import Block, is_item

# Kinds of meeting a heading names; one body may hold several kinds on one day.
_KINDS = (
    ("extraordinary", re.compile(r"\b(?:extra-?ordinary|special|emergency|urgent)\b", re.I)),
    ("annual", re.compile(r"\b(?:annual\s+general|AGM|annual\s+meeting)\b", re.I)),
    ("inaugural", re.compile(r"\binaugural\b", re.I)),
)
_DRAFT = re.compile(r"\b(?:draft|unconfirmed|unapproved|not\s+yet\s+approved)\b", re.I)
# "7.30 pm", "10am", "19:00", "at 10.00": a start time in a heading (not "5.5.2024", a date).
_TIME = re.compile(
    r"(?<![\d./])(\d{1,2})(?:[.:](\d{2}))?\s*([ap])\.?\s?m\b\.?|(?<![\d./])(\d{1,2})[:.](\d{2})"
    r"(?![\d./])",
    re.I,
)
_HEADING_BLOCKS = 5


@dataclass
class Reading:
    """One meeting as read from one file, with what is needed to tell it from another."""

    doc: tuple[str, str]  # (doc_id, source)
    body: str
    date: dt.date | None
    heading: str
    n_unit_words: int
    listed: bool
    n_units: int
    name_dates: tuple[dt.date, ...] = ()  # the dates the file's name gives (facts.file_dates)


def heading(part: Sequence[Block]) -> str:
    """The meeting's heading: its opening blocks before the attendance list or first item."""
    lines = []
    for b in part[:_HEADING_BLOCKS]:
        if att.is_list_start(b.lines[0]) or is_item(b):
            break
        lines.append(b.text)
    return " ".join(lines)


def kind(text: str) -> str:
    for name, pattern in _KINDS:
        if pattern.search(text):
            return name
    return "ordinary"


def start_time(text: str) -> int | None:
    """Minutes after midnight of the first time the heading gives, if it gives one."""
    m = _TIME.search(text)
    if m is None:
        return None
    if m.group(1) is not None:
        hour, minute = int(m.group(1)) % 12, int(m.group(2) or 0)
        hour += 12 if m.group(3).lower() == "p" else 0
    else:
        hour, minute = int(m.group(4)), int(m.group(5))
    return hour * 60 + minute if hour < 24 and minute < 60 else None


def _body(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


def same(a: Reading, b: Reading) -> bool:
    """Whether two readings from different files are the one meeting."""
    if a.doc[0] == b.doc[0] or a.date is None or a.date != b.date:
        return False
    # One file's title may carry a motto after the body's name that the other's lacks.
    bodies = sorted((_body(a.body), _body(b.body)), key=len)
    if bodies[0] and not bodies[1].startswith(bodies[0]):
        return False
    if a.name_dates and b.name_dates and not set(a.name_dates) & set(b.name_dates):
        return False
    if kind(a.heading) != kind(b.heading):
        return False
    times = (start_time(a.heading), start_time(b.heading))
    return None in times or times[0] == times[1]


def completeness(r: Reading) -> tuple[bool, int, int, bool]:
    """Better first: the attendance list read, more words in units, more units, approved."""
    return (r.listed, r.n_unit_words, r.n_units, not _DRAFT.search(r.heading))


def copies(readings: Sequence[Reading]) -> dict[int, int]:
    """For each reading that is a copy of another's meeting, the index of the reading kept;
    a meeting read once is not in it. Readings are compared in order, and the kept one of a
    group is its most complete (ties: the first)."""
    groups: list[list[int]] = []
    # Only readings of one date can be one meeting: compared within a date, a board of
    # thousands of meetings costs a pass, not a comparison of every pair.
    by_date: dict[dt.date, list[list[int]]] = {}
    for i, r in enumerate(readings):
        if r.date is None:
            groups.append([i])
            continue
        same_day = by_date.setdefault(r.date, [])
        for group in same_day:
            if all(same(readings[j], r) for j in group):
                group.append(i)
                break
        else:
            same_day.append([i])
            groups.append(same_day[-1])
    out: dict[int, int] = {}
    for group in groups:
        if len(group) < 2:
            continue
        best = max(group, key=lambda i: (completeness(readings[i]), -i))
        out.update({i: best for i in group if i != best})
    return out


def message(kept: Reading) -> str:
    """The documents table's word on a file whose meeting is read from ``kept``."""
    day = f"{kept.date.day} {kept.date:%B %Y}" if kept.date else "the same date"
    what = "attendance list read, " if kept.listed else ""
    return (
        f"the same meeting ({day}) as {kept.doc[1]}, whose reading is more complete "
        f"({what}{kept.n_units} units); counted once, from there"
    )
