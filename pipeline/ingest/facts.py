"""Facts about a document read from its text and name: meeting date, document type, board name.

Everything here reads the first page's opening, which ingestion gives as blocks separated by blank
lines; its first few lines (the title lines) are where minutes, agendas and papers say what they
are, which body they belong to and when it met.
"""

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
    dates = _dates(text)
    return dates[0][2] if dates else None


def _dates(text: str) -> list[tuple[int, int, dt.date]]:
    """Every full date in ``text`` as (start, end, date), in the order written."""
    found: list[tuple[int, int, dt.date]] = []
    for pattern, year, month, day in (
        (_DMY_WORDS, 3, 2, 1),
        (_MDY_WORDS, 3, 1, 2),
        (_ISO, 1, 2, 3),
        (_NUMERIC, 3, 2, 1),
    ):
        for m in pattern.finditer(text):
            month_text = m.group(month)
            d = _make(
                int(m.group(year)),
                int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()],
                int(m.group(day)),
            )
            if d:
                found.append((m.start(), m.end(), d))
    return sorted(found, key=lambda f: (f[0], f[1]))


# Lines whose date is not the meeting's: when the paper was issued or printed, deadlines.
_NOT_MEETING = re.compile(
    r"\b(?:issued?|date\s+of\s+issue|publi(?:shed|cation)|printed|circulated|despatched|"
    r"dispatched|deadline|updated|revised|version|next\s+meeting|future\s+meeting|by\s+\d)",
    re.IGNORECASE,
)
_HELD_ON = re.compile(r"(?:held|meeting)\s+on\b[^\n]{0,80}", re.IGNORECASE)
_EARLIER_MEETING = re.compile(r"\b(?:last|previous|prior|next|following)\b", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"^\s*(?:date(?:\s+of\s+(?:the\s+)?meeting)?|meeting\s+date)\s*(?:[:|]|\s{2,})\s*(?P<v>.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_TITLE_LINES = 8
# Where the title lines end: the attendance list or the first agenda item.
_TITLE_END = re.compile(
    r"^\s*(?:present|members\s+present|attendees|attendance|in\s+attendance|apologies|"
    r"\d{1,2}\.?\s+[A-Z])",
    re.IGNORECASE,
)


def title_lines(first_page: str, limit: int = _TITLE_LINES) -> list[str]:
    """The first non-empty lines of the first page, up to the attendance list or first item."""
    lines: list[str] = []
    for line in first_page.split("\n"):
        if not line.strip():
            continue
        if lines and _TITLE_END.match(line) and not _DATE_LABEL.match(line):
            break
        lines.append(line.strip())
        if len(lines) >= limit:
            break
    return lines


def _without_other_meetings(line: str) -> str:
    """A line with "the last meeting held on 2 May 2024" and the like cut out, up to the date."""
    for held in reversed(list(_HELD_ON.finditer(line))):
        if _EARLIER_MEETING.search(line[max(0, held.start() - 60) : held.start()]):
            dates = _dates(held.group(0))
            end = held.start() + dates[0][1] if dates else held.end()
            line = line[: held.start()] + line[end:]
    return line


def meeting_date(first_page: str, filename: str, running: str = "") -> dt.date | None:
    """The meeting's date, from the most trusted place that has one.

    In order: a "held on" phrase in the title lines (not the previous meeting's); another date
    in the title lines; the header block ("Date: 12 March 2024" beside its label in a header
    table); the running header or footer (``running``), then the rest of the opening, skipping
    issue dates and deadlines; the file name.
    """
    opening = first_page[:1500]
    title = [_without_other_meetings(line) for line in title_lines(opening)]
    for line in title:
        for held in _HELD_ON.finditer(line):
            found = find_date(held.group(0))
            if found:
                return found
    for line in title:
        if not _NOT_MEETING.search(line):
            found = find_date(line)
            if found:
                return found
    for label in _DATE_LABEL.finditer(opening):
        found = find_date(label.group("v"))
        if found:
            return found
    rest = [_without_other_meetings(line) for line in opening.split("\n")]
    for line in [*running.split("\n"), *rest]:
        if not _NOT_MEETING.search(line):
            found = find_date(line)
            if found:
                return found
    return find_date(filename.replace("_", "-"))


_ACTION_LOG_TITLE = re.compile(
    r"\bactions?\s+(?:log|tracker|list|schedule|register)\b|\bschedule\s+of\s+actions\b|"
    r"\blog\s+of\s+actions\b|\bactions?\s+arising\b",
    re.IGNORECASE,
)
_ACTION_LOG_NAME = re.compile(r"actions?[-_ ]?(?:log|tracker|list|register)", re.IGNORECASE)


# Informal groups keep notes, not minutes: "Notes of the meeting", "Record of the meeting",
# "Meeting notes". Only in the title, so a paper that mentions notes is not taken for minutes.
_NOTES_TITLE = re.compile(
    r"^\W*(?:notes|record)\s+of\s+(?:the\s+)?(?:\w+\s+){0,4}?meeting\b|\bmeeting\s+notes\s*$",
    re.I | re.M,
)


def doc_type(first_page: str, rel_path: str) -> str:
    """minutes, agenda, papers, action_log or other, from the name and the first page's opening.

    An action log says so in its title ("Action Log", "Actions tracker", "Schedule of actions")
    or its file name; minutes that mention the action log further down are still minutes; notes
    of a meeting are its minutes.
    """
    name = rel_path.lower()
    opening = first_page[:600].lower()
    title = "\n".join(title_lines(first_page, 4))
    if _ACTION_LOG_NAME.search(name) or _ACTION_LOG_TITLE.search(title):
        return "action_log"
    if "minutes" in name or re.search(r"\bminutes\b", opening) or _NOTES_TITLE.search(title):
        return "minutes"
    if "agenda" in name or re.search(r"^\W*agenda\b|\bagenda\s*(?:for|$)", opening, re.M):
        return "agenda"
    if re.search(r"paper|report|strategy|plan|briefing|update", name + " " + opening[:200]):
        return "papers"
    return "other"


# ----------------------------------------------------------------------------- body
_BODY_WORD = re.compile(r"^(?:board|committee|forum|group|partnership|council|trust)$", re.I)
_CONNECTORS = frozenset({"and", "of", "for", "&", "in", "on"})
# Words that name the document, not the body ("Carers Forum Minutes", "Board Agenda").
_DOCUMENT_WORDS = frozenset(
    {
        "minutes",
        "agenda",
        "meeting",
        "action",
        "actions",
        "log",
        "report",
        "paper",
        "papers",
        "notes",
        "item",
        "briefing",
        "update",
        "draft",
        "title",
    }
)
_BODY_LABEL = re.compile(
    r"^\s*(?:title\s+of\s+meeting|meeting(?:\s+title|\s+name)?|name\s+of\s+meeting|board|"
    r"committee|group|forum)\s*:\s*(?P<v>.+)$",
    re.IGNORECASE,
)


def body(first_page: str) -> str | None:
    """The board or committee a document belongs to, where its title lines name one.

    A "Title of Meeting:" label in a header table names it outright; otherwise the first title
    line holding Board, Committee, Forum, Group, Partnership, Council or Trust gives the run of
    capitalised words around that word ("Minutes of the Eastbrook Carers Forum held on ..." gives
    "Eastbrook Carers Forum"). A title set in capitals over two lines is read as one.
    """
    lines = _joined_title(title_lines(first_page))
    for line in lines:
        label = _BODY_LABEL.match(line)
        if label:
            name = _name_in(label.group("v")) or label.group("v").strip()
            return _tidy(name)
    for line in lines:
        name = _name_in(line)
        if name:
            return _tidy(name)
    return None


def _joined_title(lines: list[str]) -> list[str]:
    """Title lines with a title broken over lines joined back ("HARROWMERE ... WELLBEING" +
    "PARTNERSHIP BOARD"): a line runs on when it and the next are both capitals, or when it
    stops without punctuation and the next starts with a capitalised body word."""
    out: list[str] = []
    for line in lines:
        if out:
            prev = out[-1]
            both_caps = prev.isupper() and line.isupper() and len(prev) + len(line) < 120
            runs_on = (
                prev[-1:].isalnum()
                and bool(line.split())
                and _BODY_WORD.match(line.split()[0].strip(",.:;"))
                and line[:1].isupper()
            )
            if both_caps or runs_on:
                out[-1] = f"{prev} {line}"
                continue
        out.append(line)
    return out


def _name_in(line: str) -> str | None:
    """The run of capitalised words around the first capitalised body word in ``line``."""
    words = line.split()
    bare = [w.strip(",.;:()–-—") for w in words]
    for k, word in enumerate(bare):
        if not (_BODY_WORD.match(word) and word[:1].isupper()):
            continue
        start = k
        while (
            start > 0
            and _part_of_name(bare, start - 1)
            and not words[start - 1].endswith((",", ":", ";"))
        ):
            start -= 1
        end = k + 1
        while (
            end < len(bare)
            and not words[end - 1].endswith((",", ":", ";"))
            and _part_of_name(bare, end)
        ):
            end += 1
        while end > k + 1 and bare[end - 1].lower() in _CONNECTORS:
            end -= 1
        name = [w for w in bare[start:end] if w]
        if len(name) >= 2:
            return " ".join(name)
    return None


def _part_of_name(words: list[str], i: int) -> bool:
    word = words[i]
    if not word or word.lower() in _DOCUMENT_WORDS:
        return False
    if word.lower() in _CONNECTORS:
        return 0 < i < len(words) - 1 and words[i + 1][:1].isupper() and words[i - 1][:1].isupper()
    return word[:1].isupper() and not any(ch.isdigit() for ch in word)


def _tidy(name: str) -> str:
    """A name set in capitals in title case, short words and acronyms aside."""
    name = " ".join(name.split()).strip(" ,.;:–-")
    if not name.isupper():
        return name
    words = []
    for i, word in enumerate(name.split()):
        if word.lower() in _CONNECTORS and i > 0:
            words.append(word.lower())
        elif len(word) <= 3:
            words.append(word)  # NHS, ICB
        else:
            words.append(word.capitalize())
    return " ".join(words)
