"""Facts about a document read from its text and name: meeting date and document type."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
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
        ]
    )
    for m in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# "Thursday 19 January 2023", "19th January, 2023", "held on the 11th April 2024in the ..."
_DMY_WORDS = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
# "January 19, 2023"
_MDY_WORDS = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
_NUMERIC = re.compile(r"(?<![\d/])(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?![\d/])")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _make(year: int, month: int, day: int) -> dt.date | None:
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_date(text: str) -> dt.date | None:
    """The earliest-written full date in ``text`` (UK day-first for numeric dates)."""
    candidates: list[tuple[int, dt.date]] = []
    for m in _DMY_WORDS.finditer(text):
        d = _make(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        if d:
            candidates.append((m.start(), d))
    for m in _MDY_WORDS.finditer(text):
        d = _make(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
        if d:
            candidates.append((m.start(), d))
    for m in _ISO.finditer(text):
        d = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            candidates.append((m.start(), d))
    for m in _NUMERIC.finditer(text):
        d = _make(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d:
            candidates.append((m.start(), d))
    return min(candidates)[1] if candidates else None


def meeting_date(first_page: str, filename: str) -> dt.date | None:
    """Trust the opening of the document first, then the file name."""
    opening = first_page[:1500]
    # A date on the same line as "meeting held on" beats an earlier unrelated date.
    held = re.search(r"(?:held|meeting)\s+on\b[^\n]{0,80}", opening, re.IGNORECASE)
    if held:
        found = find_date(held.group(0))
        if found:
            return found
    return find_date(opening) or find_date(filename.replace("_", "-"))


def doc_type(first_page: str, rel_path: str) -> str:
    """minutes, agenda, papers, action_log or other, from the name and the first page's opening."""
    name = rel_path.lower()
    opening = first_page[:600].lower()
    if "action log" in opening or re.search(r"action[-_ ]?log", name):
        return "action_log"
    if "minutes" in name or re.search(r"\bminutes\b", opening):
        return "minutes"
    if "agenda" in name or re.search(r"^\W*agenda\b|\bagenda\s*(?:for|$)", opening, re.M):
        return "agenda"
    if re.search(r"paper|report|strategy|plan|briefing|update", name + " " + opening[:200]):
        return "papers"
    return "other"
