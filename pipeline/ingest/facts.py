"""Facts about a document read from its text and name: meeting date, document type, board name.

Everything here reads the first page's opening, which ingestion gives as blocks separated by blank
lines; its first few lines (the title lines) are where minutes, agendas and papers say what they
are, which body they belong to and when it met.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.core import items, vocab

_MONTHS = vocab.MONTH_NUMBERS
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# An ordinal suffix, typed twice where Word set the typed one as a superscript too ("10thth").
_ORDINAL = r"(?:st|nd|rd|th){0,2}"
# "Thursday 19 January 2023", "19th January, 2023", "held on the 11th April 2024in the ..."
_DMY_WORDS = re.compile(
    rf"\b(\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?({_MONTH})\.?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
)
# "January 19, 2023"
_MDY_WORDS = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})(?!\d)", re.IGNORECASE
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
# Before "held on" or "meeting on": a meeting other than this one ("the last meeting held on",
# "approved at the meeting on").
_EARLIER_MEETING = re.compile(
    r"\b(?:last|previous|prior|next|following|approved|ratified|agreed|confirmed|signed)\b",
    re.IGNORECASE,
)
# After it: the minutes of that meeting, approved at this one ("... were agreed as a true record").
_APPROVED = re.compile(
    r"\b(?:(?:were|was)\s+(?:approved|agreed|accepted|signed|confirmed)|(?:correct|true)\s+record)\b",
    re.IGNORECASE,
)
# Another meeting named with its date: "actions from last meeting 19.11.10", "next meeting:
# 5 May 2024", "the previous Board meeting of 2 May".
_OTHER_MEETING = re.compile(
    r"\b(?:last|previous|prior|next|following|future)\s+(?:\w+\s+){0,2}?(?:meeting|minutes)\b"
    r"[^\n]{0,60}",
    re.IGNORECASE,
)
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
    """A line with another meeting's date cut out, up to that date: "the last meeting held on
    2 May 2024", "actions from last meeting 19.11.10", "approved at the meeting on 4 June 2024",
    "the minutes of the meeting held on 2 May 2024 were agreed"."""
    cuts: list[tuple[int, int]] = []
    for held in _HELD_ON.finditer(line):
        dates = _dates(held.group(0))
        if _EARLIER_MEETING.search(line[max(0, held.start() - 60) : held.start()]) or (
            dates and _APPROVED.search(held.group(0)[dates[0][1] :])
        ):
            cuts.append((held.start(), held.start() + dates[0][1] if dates else held.end()))
    for other in _OTHER_MEETING.finditer(line):
        dates = _dates(other.group(0))
        if dates:
            cuts.append((other.start(), other.start() + dates[0][1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(cuts):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in reversed(merged):
        line = line[:start] + line[end:]
    return line


@dataclass(frozen=True)
class MeetingDate:
    """A document's meeting date, where it was read (``HEADING``, ``OPENING`` or ``FILE_NAME``),
    and the dates its file name gives."""

    date: dt.date | None
    source: str
    file_dates: tuple[dt.date, ...] = ()


HEADING, OPENING, FILE_NAME = "heading", "opening", "file name"


def meeting_date(first_page: str, filename: str, running: str = "") -> dt.date | None:
    """The meeting's date, from the most trusted place that has one (see `find_meeting_date`)."""
    return find_meeting_date(first_page, filename, running).date


def find_meeting_date(first_page: str, filename: str, running: str = "") -> MeetingDate:
    """The meeting's date and where it was read, from the most trusted place that has one.

    The minutes' own heading first: a "held on" phrase in the title lines (not the previous
    meeting's); another date in the title lines, or in them read as one line (a date broken over
    two); the header block ("Date: 12 March 2024" beside its label in a header table); the
    running header or footer (``running``). Then the rest of the opening, skipping issue dates,
    deadlines and other meetings' dates. The file name only when the text gives no date: a file
    is named when it is saved or published, and a wrong name is easier to make than a wrong
    heading.
    """
    from_name = tuple(file_dates(filename))
    opening = first_page[:1500]
    title = [_without_other_meetings(line) for line in title_lines(opening)]
    for line in title:
        for held in _HELD_ON.finditer(line):
            found = find_date(held.group(0))
            if found:
                return MeetingDate(found, HEADING, from_name)
    usable = [line for line in title if not _NOT_MEETING.search(line)]
    for found in (*map(find_date, usable), find_date(" ".join(usable))):
        if found:
            return MeetingDate(found, HEADING, from_name)
    for label in _DATE_LABEL.finditer(opening):
        found = find_date(_without_other_meetings(label.group("v")))
        if found:
            return MeetingDate(found, HEADING, from_name)
    for line in running.split("\n"):
        if not _NOT_MEETING.search(line):
            found = find_date(_without_other_meetings(line))
            if found:
                return MeetingDate(found, HEADING, from_name)
    for line in opening.split("\n"):
        if not _NOT_MEETING.search(line):
            found = find_date(_without_other_meetings(line))
            if found:
                return MeetingDate(found, OPENING, from_name)
    if from_name:
        # "held on 19 May" with no year, in "2017-01-01-minutes-19th-may-2011": the file name's
        # date with the heading's day and month is the meeting's.
        day_month = _day_month(" ".join(title))
        same = [d for d in from_name if day_month and (d.day, d.month) == day_month]
        return MeetingDate(same[0] if same else from_name[0], FILE_NAME, from_name)
    return MeetingDate(None, "", from_name)


_DAY_MONTH = re.compile(
    r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<m>[A-Za-z]{3,9})\b(?!\s+\d{4})", re.IGNORECASE
)


def _day_month(text: str) -> tuple[int, int] | None:
    """The first "19 May" of a heading that gives no year, as (day, month)."""
    for m in _DAY_MONTH.finditer(text):
        month = _MONTHS.get(m.group("m").lower())
        if month and 1 <= int(m.group("d")) <= 31:
            return int(m.group("d")), month
    return None


def date_disagreement(found: MeetingDate, doc_type: str) -> str:
    """The documents table's message when the text's date and the file name's differ, else ""."""
    if found.date is None or not found.file_dates or found.date in found.file_dates:
        return ""
    whose = "the minutes'" if doc_type == "minutes" else "the document's"
    where = f"{whose} heading" if found.source == HEADING else f"{whose} opening lines"
    return (
        f"meeting date {found.date.day} {found.date:%B %Y} from {where}; the file name says "
        f"{found.file_dates[0]:%Y-%m-%d}: correct the file name, or the heading if it is wrong"
    )


# Dates in file names: "2024-03-14", "20140513", "10102014", "05-09-2018-Rev-1809A", "15-4-16",
# "10.12.24", "02 03 2011", "09th-Jan-2025". Separators within one date match; six bare digits
# ("190711") could be read either way round and are not taken.
_FILE_DATES = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d\d)(\d\d)((?:19|20)\d\d)(?!\d)"), (3, 2, 1)),
    (re.compile(r"(?<![\d.])(\d{1,2})([-. ])(\d{1,2})\2(\d{4}|\d{2})(?!\d)"), (4, 3, 1)),
)


def file_dates(rel_path: str) -> list[dt.date]:
    """Every date a file's name gives (UK day-first), in order; its folders' if the name has none.

    A name can hold two: "2017-01-01-minutes-19th-may-2011" was published on one day about a
    meeting on another.
    """
    parts = rel_path.replace("\\", "/").split("/")
    name = parts[-1].rsplit(".", 1)[0] if "." in parts[-1] else parts[-1]
    for part in (name, *parts[-2::-1]):
        dashed = part.replace("_", "-")
        found: list[tuple[int, dt.date]] = []
        for pattern, (y, m, d) in _FILE_DATES:
            for match in pattern.finditer(dashed):
                made = _make(int(match.group(y)), int(match.group(m)), int(match.group(d)))
                if made:
                    found.append((match.start(), made))
        found += [(start, made) for start, _, made in _dates(re.sub(r"[-_]", " ", part))]
        if found:
            return list(dict.fromkeys(made for _, made in sorted(found, key=lambda f: f[0])))
    return []


_ACTION_LOG_TITLE = items.pattern(items.ACTION_LOG)
_ACTION_LOG_NAME = items.pattern(items.ACTION_LOG_FILE)


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
    # An agenda lists "Minutes of the meeting held on ..." as an item: its own title or name
    # says what it is, and only a title or name saying minutes makes it minutes.
    titled_agenda = "agenda" in name or re.search(r"^\W*agenda\b", title, re.I | re.M)
    titled_minutes = "minutes" in name or re.search(r"\bminutes\b", title, re.I)
    if titled_agenda and not titled_minutes and not _NOTES_TITLE.search(title):
        return "agenda"
    if "minutes" in name or re.search(r"\bminutes\b", opening) or _NOTES_TITLE.search(title):
        return "minutes"
    if "agenda" in name or re.search(r"^\W*agenda\b|\bagenda\s*(?:for|$)", opening, re.M):
        return "agenda"
    if re.search(r"paper|report|strategy|plan|briefing|update", name + " " + opening[:200]):
        return "papers"
    # Informal notes that open by saying so further down than the title ("... Notes of the
    # carers' meeting") are minutes by another name; segmentation reads what this decides.
    if _NOTES_OPENING.search(first_page[:400]):
        return "minutes"
    return "other"


_NOTES_OPENING = re.compile(r"\b(?:notes|record)\s+of\s+(?:the\s+)?(?:\w+\s+)?meeting\b", re.I)


# ----------------------------------------------------------------------------- body
_BODY_WORD = re.compile(r"^(?:board|committee|forum|group|partnership|council|trust)$", re.I)
_CONNECTORS = frozenset({"and", "of", "for", "&", "in", "on"})
_ARTICLES = _CONNECTORS | {"the", "a", "an"}
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
        # In capitals every word looks like part of a name: "MINUTES OF THE COMMITTEE" names none.
        while start < k and bare[start].lower() in _ARTICLES:
            start += 1
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
