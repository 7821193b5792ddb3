"""Attendance lists: who was present, in attendance, in the public or sent apologies, and as what.

Public bodies write attendance many ways, and this module reads them all into entries:

- a heading and one entry a line ("Members Present:" then "Wylie Robertson Convenor CC"), with
  or without bullets, with or without the colon, in capitals ("PRESENT:");
- a heading and the list run in and wrapped ("PRESENT: Mr R W Gosden (Chairman), Mr N Baxter,
  ... and Mr R J Thomas");
- grids: names and their initials in columns of their own ("Present: | Kevin Corrance | KC |
  Gordon Dunn | GD"), several lists side by side ("Attendees | Officials"), a list written
  column by column ("Name; A; B | Organisation; X; Y");
- lists under the name of the organisation each group comes from ("Those present" /
  "Eddington Residents' Association (ERA)" / ... / "Portal" / ...);
- a list under an agenda item of its own ("3. Apologies for Absence" / "Ian Lockhart (IL)"), and
  apologies given as a sentence in the body ("Apologies were received from A, B and C.").

A list ends where its lines stop being entries: at a sentence ("The Meeting was Chaired by ...",
"4 members of the public attended."), an agenda item, or a line too long for an entry. Lines
of a list are taken out of the body (``carve``) and counted as attendance, so that whatever
follows a list is read as minutes, never swallowed by it.

Each entry gives a name (titles, initials and surnames as written: :mod:`.namewords` tells the
name from the description that follows it), maybe initials, and a description whose phrases
give the role when no board.yaml does: "Carer Rep", "Sectoral Representative", "(Chair)",
"Convenor", job titles for officers, "Cllr" for elected members.
"""

from __future__ import annotations

import datetime as dt
import re
from contextvars import ContextVar
from dataclasses import dataclass, field

from pipeline.core import items
from pipeline.inputs.board import Board
from pipeline.pseudonymise.people import Person, Roster, clean, initials_of, name_key, strip_title
from pipeline.segment import tables
from pipeline.segment.blocks import BULLET, Block, is_item, is_section
from pipeline.segment.namewords import (
    ORGANISATION_NOUNS,
    PLACE_NOUNS,
    is_given_name,
    is_plainly_ordinary,
    is_title,
    name_length,
)

# Headings of lists, longest first within a status, each with the status its people have.
# "attending" is decided per entry: an elected member attending is a member, anyone else is in
# attendance.
_HEADS: tuple[tuple[str, str], ...] = (
    (
        r"other\s+attendees|also\s+(?:present|in\s+attendance|attending)|in\s+attendance"
        r"(?:\s+virtually)?|officers?\s+(?:present|in\s+attendance)|"
        r"(?:[A-Z][\w'’]*\s+(?:and\s+)?){0,2}(?:officers|officials)|"
        r"observers?(?:\s*/\s*presenters?)?|guests?|secretariat|invited|visitors|presenters?|"
        r"advisers|advisors|staff\s+present|minute\s+taker|note\s+taker",
        "in_attendance",
    ),
    (r"members\s+of\s+the\s+public|public\s+present|public", "public"),
    (
        r"apologies(?:\s+for\s+absence)?(?:\s+(?:were\s+)?received)?(?:\s+from)?|"
        r"apologies\s+and\s+absences|absent\s+with\s+apologies",
        "apologies",
    ),
    (r"absent|absentees|not\s+present", "absent"),
    (r"attending", "attending"),
    (
        r"(?:(?:board|panel|committee|group|forum|council|[A-Z]{2,6})\s+)?(?:members\s+)?present|"
        r"(?:[A-Z]{2,6}\s+)?attendees|attendance|attended|those\s+present|present\s+at\s+the\s+"
        r"meeting|participants|(?:[A-Z][\w'’]*\s+){0,3}members|panel|trustees\s+present",
        "present",
    ),
    (r"chair(?:man|woman|person)?|convenor|in\s+the\s+chair", "chair"),
)
_HEAD = re.compile(
    r"^\s*(?:•\s*)?(?:(?:\d{1,2}[.)]?|[a-h][.)]|\([a-h]\))\s*)?(?P<head>"
    + "|".join(f"(?P<s{i}>{rx})" for i, (rx, _) in enumerate(_HEADS))
    + r")\s*(?:\([^)]{1,30}\)\s*)?(?:(?P<sep>[:|\-–—])\s*(?P<rest>.*)|$)",
    re.IGNORECASE,
)
# Column labels of an attendance table: "Name Organisation Affiliation".
_COLUMN_LABELS = re.compile(
    r"^(?:name|names|organi[sz]ation|affil+iation|role|position|title|representing|"
    r"initials|company|employer|job\s+title)$",
    re.IGNORECASE,
)
# Two to four capitals, maybe with a small letter ("GSc", "MCa", "PWh", "JTe").
_INITIALS = re.compile(r"^[A-Z][A-Za-z]?[A-Z][A-Za-z]?$|^[A-Z]{2,4}$")
_HONOURS = re.compile(r"^(?:OBE|MBE|CBE|KBE|DBE|MP|MSP|MS|AM|MLA|QC|KC|JP|DL|FRS|PhD)$")
# A list entry is short; a longer line is prose, and ends the list.
_MAX_ENTRY_WORDS = 16
_SENTENCE_WORDS = re.compile(
    r"\b(?:was|were|is|are|had|has|have|would|will|did|been|being|the\s+meeting|who|which|"
    r"that|attended|chaired|welcomed|noted|agreed|reported)\b",
    re.IGNORECASE,
)
# Words no list entry holds however many names it has: someone speaking, or their own things.
_SPEECH_WORDS = re.compile(
    r"\b(?:said|outlined|presented|explained|discussed|described|highlighted|introduced|"
    r"informed|advised|his|her|their|attended\s+to)\b",
    re.IGNORECASE,
)
# Words of the board's own name and title lines, which are no one's surname while its lists are
# read ("Garelochhead" at Garelochhead Community Council); set by ``carve``.
_avoid: ContextVar[frozenset[str]] = ContextVar("avoid", default=frozenset())
# The words of the board's name and title lines in order ("north", "of", "tyne", "lpc"), to
# know its own short name in a list ("NoT LPC"); set by ``carve``.
_title_words: ContextVar[tuple[str, ...]] = ContextVar("title_words", default=())
_APOLOGIES_ITEM = re.compile(r"\bapologies\b", re.IGNORECASE)
_STATUS_OF_SENTENCE = re.compile(
    r"\bapologies(?:\s+for\s+absence)?\s+(?:were\s+|had\s+been\s+)?(?:received|given|"
    r"tendered|noted|sent)\s+(?:from|by|on\s+behalf\s+of)\s+(?P<names>[^.]+)",
    re.IGNORECASE,
)
_CHAIRED = re.compile(
    r"\b(?:meeting\s+was\s+chaired\s+by|chaired\s+by)\s+(?P<name>[^.,;]+)|"
    r"^(?P<who>[^.,;]{2,40}?)\s+(?:chaired|took\s+the\s+chair|was\s+in\s+the\s+chair)\b",
    re.IGNORECASE,
)


@dataclass
class Entry:
    """One person in an attendance list."""

    name: str
    status: str
    role: str
    role_source: str
    initials: str = ""
    office: str = ""  # the job title as written ("Director of Operations"), for "The X said"
    acting_chair: bool = False  # "(Leas-Chathaoirleach, in the Chair)": chair at this meeting
    lay_body: bool = False  # listed as a member of a body whose members are lay (a chair too)


@dataclass
class Carved:
    """A document's attendance entries and its blocks with the lists taken out of them."""

    entries: list[Entry] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)  # lists as blocks placed "attendance"
    # The organisations lists group people under, with their people's role ("Portal" ->
    # officer at a residents' liaison meeting): they speak in the minutes too.
    groups: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading lists
def carve(
    blocks: list[Block],
    *,
    lay_body: bool = False,
    body_words: frozenset[str] = frozenset(),
    title: str = "",
) -> Carved:
    """Take every attendance list out of ``blocks``; everything else is left as it was.

    ``lay_body``: the board is one whose ordinary members are lay (a community council, a
    residents' association, a patient group), so members listed without a role phrase are lay.
    ``title``: the board's name and the minutes' title lines, whose words name the board.
    """
    token = _avoid.set(frozenset(w.lower() for w in body_words))
    words = _title_words.set(tuple(w.lower() for w in re.findall(r"[A-Za-z]+", title)))
    try:
        return _carve(blocks, lay_body)
    finally:
        _avoid.reset(token)
        _title_words.reset(words)


def _carve(blocks: list[Block], lay_body: bool) -> Carved:
    out = Carved()
    reader = _Reader(lay_body)
    for k, b in enumerate(blocks):
        reader.next_line = blocks[k + 1].lines[0] if k + 1 < len(blocks) else ""
        item = is_item(b)
        if item or is_section(b):
            title = item.group("title") if item else b.lines[0]
            head = _HEAD.match(title)
            # "3. Apologies for Absence", "1. Apologies & Introductions": the names under it
            # are a list, its text is not.
            if head and not (head.group("rest") or ""):
                reader.status = _status(head)
            else:
                reader.status = "apologies" if _APOLOGIES_ITEM.search(title) else None
            reader.group = ""
            if (
                len(b.lines) > 1
                and (sub := _HEAD.match(b.lines[-1]))
                and _is_head(sub, b.lines[-1])
            ):
                # "1. Introductions and welcome" / "a. Present": the list starts below.
                out.blocks.append(Block(b.page, b.lines[:-1]))
                reader.status = _status(sub)
                out.blocks.append(Block(b.page, b.lines[-1:], place="attendance"))
                continue
            out.blocks.append(b)
            continue
        taken = reader.read(b)
        out.entries += reader.entries
        reader.entries = []
        out.groups.update(reader.groups)
        out.blocks += _split(b, taken)
    for b in out.blocks:
        if b.place == "unit" or not b.place:
            out.entries += sentence_entries(b.text, lay_body=lay_body)
    return out


def _split(b: Block, taken: list[bool]) -> list[Block]:
    """``b`` cut into runs of lines, the runs that are lists placed as attendance."""
    if not any(taken):
        return [b]
    if all(taken):
        b.place = "attendance"
        return [b]
    runs: list[Block] = []
    for flag, line in zip(taken, b.lines, strict=True):
        place = "attendance" if flag else ""
        if runs and runs[-1].place == place:
            runs[-1].lines.append(line)
        else:
            runs.append(Block(b.page, [line], place=place))
    return runs


class _Reader:
    """Reads lists line by line; its state (the list's status and group) runs across blocks."""

    def __init__(self, lay_body: bool) -> None:
        self.lay_body = lay_body
        self.next_line = ""  # the first line of the block after the one being read
        self.groups: dict[str, str] = {}
        self.status: str | None = None
        self.group = ""
        self.entries: list[Entry] = []

    def read(self, b: Block) -> list[bool]:
        lines, taken = b.lines, [False] * len(b.lines)
        i = 0
        if self.status is not None and not _continues_list(lines[0]):
            # A group's name on its own ("Portal / University of Cambridge") carries the list
            # on only when entries follow it.
            group_then_entries = (
                len(lines) == 1
                and _line_kind(lines[0]) == "group"
                and _line_kind(self.next_line.removeprefix(BULLET).strip()) == "entry"
            )
            if not group_then_entries:
                self.status = None
        while i < len(lines):
            line = lines[i].removeprefix(BULLET).strip()
            head = _HEAD.match(line)
            if (
                head
                and _cells(line)
                and _is_head(_HEAD.match(_row_cells(line)[0]) or head, _row_cells(line)[0])
            ):
                # "Attendees | Officials", "Present: | Kevin Corrance | KC": a grid from here.
                i = self._grid(lines, i, None, taken)
                continue
            if head and _is_head(head, line):
                self.status, self.group = _status(head), ""
                rest = (head.group("rest") or "").strip()
                chair_line = self.status == "chair"
                if chair_line:
                    self.status = "present"
                taken[i] = True
                j = i + 1
                if rest and not _cells(rest):
                    # "PRESENT: A (Chair), B, C" maybe wrapped over the block's next lines.
                    parts = [rest]
                    while j < len(lines) and self._continues(parts[-1], lines[j]):
                        parts.append(lines[j])
                        taken[j] = True
                        j += 1
                    for k, (status, text) in enumerate(_run_in_sections(" ".join(parts))):
                        if status is not None:
                            self.status = status
                        for piece in _split_run_in(text):
                            for one in _pairs(piece):
                                self._add(one, chair=chair_line and k == 0)
                    if chair_line:
                        self.status = None
                elif rest:
                    j = self._grid(lines, i, rest, taken)
                i = j
                continue
            if self.status is None:
                i += 1
                continue
            if _cells(line) and tables.header(tables.cells(line)) is not None:
                # "Item | Discussion | Action" heads the minutes themselves: the list is over.
                self.status = None
                i += 1
                continue
            if _cells(line):
                i = self._grid(lines, i, None, taken)
                continue
            kind = _line_kind(line)
            if kind == "head":
                taken[i] = True  # a heading _is_head did not take above: cannot happen
                i += 1
                continue
            if kind in ("prose", "stop"):
                self.status = None
                i += 1
                continue
            taken[i] = True
            if kind == "labels":
                pass
            elif kind == "group":
                self.group = line
            else:
                self._entries_of_line(line)
            i += 1
        return taken

    def _continues(self, previous: str, line: str) -> bool:
        """A line that carries on a run-in list: not a heading, not a sentence."""
        if _HEAD.match(line) and _is_head(_HEAD.match(line), line):  # type: ignore[arg-type]
            return False
        if previous.rstrip().endswith((",", "(", "and")) or line[:1] in "(,":
            return True
        if previous.count("(") > previous.count(")"):
            return True
        tail = previous.rsplit(",", 1)[-1].strip()
        if (
            "," in previous
            and re.fullmatch(r"(?:[A-Z][\w'’.-]*\s+){0,2}[A-Z][\w'’-]*", tail)
            and re.match(r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s*[(,]", line)
        ):
            return True  # "..., Vicky" / "Slater (Boilerhouse), ...": a name broken over lines
        if len(line.split()) <= 3 and not previous.rstrip().endswith((".", ";")):
            return True  # the last words of an entry ("... Integrated Children's / Services.")
        return _line_kind(line) != "prose" and ("," in line or previous.count(",") >= 2)

    def _grid(self, lines: list[str], i: int, rest: str | None, taken: list[bool]) -> int:
        """Rows of cells from line ``i`` on (``rest``: the heading's line after the heading)."""
        rows: list[list[str]] = []
        j = i
        first = True
        while j < len(lines):
            text = rest if (first and rest is not None) else lines[j]
            first = False
            if not _cells(text) and _line_kind(text) in ("prose", "stop"):
                break
            cells = _row_cells(text)
            if _NUMBERED.match(cells[0]):
                break  # "1 | Chair's welcome | HS": an agenda, not a list of people
            rows.append(cells)
            taken[j] = True
            j += 1
        if not rows:
            return max(j, i + 1)
        if len(rows) > 1 and _NAME_HEADER.fullmatch(rows[0][0]) and self.status is not None:
            # "Name | Organisation | Affiliation" over its rows: each row is one person, its
            # other cells their description, whatever shape they have ("NoT LPC", "Chief
            # Officer").
            for row in rows[1:]:
                cells = [c.strip() for c in row if c.strip()]
                head = _HEAD.match(cells[0]) if cells else None
                if cells and not (head and _is_head(head, cells[0])):
                    self._add(", ".join(cells))
                else:
                    self._row(row)  # a heading inside the table ("Apologies | ...")
            return j
        transposed = _transposed(rows)
        if transposed is not None:
            for piece, whole in transposed:
                if whole and self.status is not None and not _HEAD.match(piece):
                    self._add(piece)  # one person's row: its commas join cells, not people
                else:
                    self._cell(piece)
        elif _side_by_side(rows):
            # "Attendees | Officials": each column is a list of its own, read top to bottom.
            width = max(len(r) for r in rows)
            for k in range(width):
                for row in rows:
                    if k < len(row):
                        self._cell(row[k])
        else:
            for row in rows:
                self._row(row)
        return j

    def _row(self, cells: list[str]) -> None:
        """A row read left to right: a name starts an entry, initials and descriptions join it
        ("Kevin Corrance | KC | Gordon Dunn | GD", "Wylie Robertson | Chair CC")."""
        piece = ""
        after_initials = True  # a name starts an entry at the row's start or after initials
        for cell in cells:
            cell = cell.strip().removeprefix(BULLET).strip()
            if not cell:
                continue
            starts = after_initials
            after_initials = all(_INITIALS.match(w.strip(",;")) for w in cell.split())
            head = _HEAD.match(cell)
            if (head and _is_head(head, cell)) or self.status is None:
                if piece:
                    self._add(piece)
                    piece = ""
                self._cell(cell)
            elif _INITIALS.match(cell) and piece:
                piece += f" ({cell})"
            elif starts and (_starts_name(cell) or _INITIALS.match(cell)):
                if piece:
                    self._add(piece)
                piece = cell
            elif piece:
                piece += ", " + cell
            else:
                self._cell(cell)
        if piece:
            self._add(piece)

    def _cell(self, cell: str) -> None:
        cell = cell.strip().removeprefix(BULLET).strip()
        if not cell:
            return
        head = _HEAD.match(cell)
        if head and _is_head(head, cell):
            self.status, self.group = _status(head), ""
            rest = (head.group("rest") or "").strip()
            if self.status == "chair":
                self.status = "present"
                if rest:
                    self._add(rest, chair=True)
                return
            for piece in _split_run_in(rest) if rest else []:
                self._add(piece)
            return
        if self.status is None:
            return
        if _INITIALS.match(cell) and self.entries and not self.entries[-1].initials:
            self.entries[-1].initials = cell  # initials in a cell of their own
            return
        kind = _line_kind(cell)
        if kind == "group":
            self.group = cell
        elif kind in ("stop", "prose"):
            self.status = None
        elif kind != "labels":
            for piece in _split_run_in(cell) if ";" in cell or "," in cell else [cell]:
                self._add(piece)

    def _entries_of_line(self, line: str) -> None:
        """One line of a list: one entry, several run in, or name-initials pairs."""
        if ";" in line or (line.count(",") >= 2 and _all_names(line)):
            for piece in _split_run_in(line):
                self._add(piece)
            return
        for piece in _pairs(line):
            self._add(piece)

    def _add(self, piece: str, *, chair: bool = False) -> None:
        entry = parse_entry(piece, self.status or "present", self.group, lay_body=self.lay_body)
        if entry is None:
            return
        if chair:
            entry.role = "chair"
        if self.group and entry.role != "chair":
            self.groups.setdefault(self.group, entry.role)
        self.entries.append(entry)


def is_list_start(line: str) -> bool:
    """Whether ``line`` opens an attendance list ("Present:", "Attendees | Officials")."""
    text = line.removeprefix(BULLET).strip()
    head = _HEAD.match(text)
    return head is not None and _is_head(head, text.split(" | ")[0] if " | " in text else text)


def _status(head: re.Match[str]) -> str:
    for i, (_, status) in enumerate(_HEADS):
        if head.group(f"s{i}"):
            return status
    return "present"


def _is_head(head: re.Match[str], line: str) -> bool:
    """A heading line, not a sentence that starts with the word ("Members agreed ...")."""
    if head.group("sep") or (head.group("rest") is None and head.end() >= len(line.rstrip())):
        word = head.group("head").lower()
        # "Panel:" or "Members:" are headings only with a colon; "Chair: X" likewise.
        if re.fullmatch(
            r"panel|(?:[\w'’]+\s+){0,3}members|(?:[\w'’]+\s+(?:and\s+)?){1,2}(?:officers|"
            r"officials)|chair\w*|convenor|public|staff\s+present|in\s+the\s+chair|"
            r"not\s+present",  # "Not present" alone under a report's heading: nobody gave it
            word,
        ):
            return bool(head.group("sep")) or (word in ("public",) and line.strip().lower() == word)
        return True
    return False


def _continues_list(line: str) -> bool:
    """A block can carry on the list of the block before if it opens with an entry."""
    line = line.removeprefix(BULLET).strip()
    return _cells(line) or _line_kind(line) in ("entry", "head", "labels")


# The first cell of a table's header row over people ("Name | Organisation | Role").
_NAME_HEADER = re.compile(r"(?:full\s+)?names?|members?|attendees?|person", re.IGNORECASE)


def _cells(text: str) -> bool:
    return " | " in text or text.startswith("| ") or text.endswith(" |")


def _row_cells(text: str) -> list[str]:
    """A table row's cells; a leading bar is an empty first cell ("| Howard Lyle (HL)")."""
    text = text.strip()
    if text.startswith("|") and text.endswith("|"):
        text = text[1:-1]  # a Markdown row's outer borders
    return [c.strip() for c in text.split("|")]


_NUMBERED = re.compile(r"^\d{1,3}[.)]?$")
_PAGE = re.compile(r"(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?", re.IGNORECASE)
# Headings that end any list above them: the minutes proper begin.
_STOP = re.compile(
    r"^(?:agenda|minutes|items?|actions?|discussion|business|notes|summary|welcome|"
    r"introductions?|meeting|items\s+action|discussion\s+action)\b|^" + items.MATTERS_ARISING,
    re.IGNORECASE,
)


def _side_by_side(rows: list[list[str]]) -> bool:
    """Lists in columns next to each other: the first row heads two lists or more."""
    if len(rows) < 2:
        return False
    heads = [c for c in rows[0] if (m := _HEAD.match(c.strip())) and _is_head(m, c.strip())]
    return len(heads) >= 2


def _transposed(rows: list[list[str]]) -> list[tuple[str, bool]] | None:
    """A table read column by column ("Name; A; B | Organisation; X; Y") as rows again: each
    piece with whether it is one person's whole row. A column that is not as long as the names
    (OCR ran two cells together) is paired only once mended, else left out, since pairing it
    by position would give people each other's posts."""
    columns = [c.split("; ") for row in rows for c in row if "; " in c]
    if not columns or not any(_COLUMN_LABELS.match(col[0].strip()) for col in columns):
        return None
    out: list[tuple[str, bool]] = []
    for row in rows:
        cols = [c.split("; ") for c in row if c]
        if not cols or not _COLUMN_LABELS.match(cols[0][0].strip()):
            out += [(c, False) for c in row]
            continue
        body = [col[1:] if _COLUMN_LABELS.match(col[0].strip()) else col for col in cols]
        names = [p for cell in body[0] for p in _people_in(cell)]
        people = [n for n in names if not _HEAD.match(n.strip())]
        others = [_mended(col, len(people)) for col in body[1:]]
        k = 0
        for name in names:
            if _HEAD.match(name.strip()):
                out.append((name, False))
                continue
            rest = [col[k] for col in others if col is not None and col[k]]
            out.append((", ".join([name, *rest]), True))
            k += 1
    return out


# OCR runs a note on part attendance into the next name: "Hamish Marshall — afternoon only
# Holly Lindqvist-Brown" is two people.
_PARTLY_THERE = re.compile(
    r"(\b(?:morning|afternoon|evening|am|pm)\s+only)\s+(?=[A-Z][a-z])", re.IGNORECASE
)


def _people_in(cell: str) -> list[str]:
    return [p for p in _PARTLY_THERE.sub("\\1\n", cell).split("\n") if p.strip()]


def _mended(column: list[str], n: int) -> list[str] | None:
    """``column`` with ``n`` cells: as it is, or with a cell that ends in another cell's value
    split in two ("Head of Services & Support Independent" beside "Independent")."""
    column = [c.strip() for c in column]
    if len(column) == n:
        return column
    if len(column) != n - 1:
        return None
    values = {c for c in column if c}
    for k, cell in enumerate(column):
        for value in values:
            if cell != value and cell.endswith(" " + value):
                return [*column[:k], cell[: -len(value)].strip(), value, *column[k + 1 :]]
    return None


def _line_kind(line: str) -> str:
    """What a line under a list heading is: an entry, a group's name, column labels or prose."""
    text = line.strip()
    words = text.split()
    if not words:
        return "labels"
    head = _HEAD.match(text)
    if head and _is_head(head, text):
        return "head"
    if _STOP.match(text):
        return "stop"
    if all(_COLUMN_LABELS.match(w) for w in words) or _PAGE.fullmatch(text):
        return "labels"
    bare = re.sub(r"\([^)]*\)", " ", text).split()
    if _INITIALS.match(text):
        return "entry"
    long = len(bare) > _MAX_ENTRY_WORDS and text.count(",") < len(bare) / 6
    sentence = text.endswith((".", "!", "?")) and _SENTENCE_WORDS.search(text) is not None
    if (
        long
        or (sentence and not _many_names(text))
        or (text.endswith(".") and _SPEECH_WORDS.search(text) is not None)
        # "Ruth Carmichael and Susan Kinnaird from the trust came to" / "talk about the ...": a
        # sentence broken over lines under a "Visitors" heading, not an entry.
        or (len(bare) >= 6 and _SPEECH_WORDS.search(" ".join(bare)) is not None)
        or not (words[0][:1].isupper() or words[0][:1] in "(•")
    ):
        return "prose"
    if not bare:
        return "labels"  # only a bracket: "(Item 1)", "(virtually)"
    if _organisation(text):
        return "group"
    if name_length(bare) or _INITIALS.match(bare[0].strip(",;")):
        return "entry"
    if len(bare) <= 8 and not text.endswith("."):
        return "group"  # "Portal / University of Cambridge", "Eddington Residents' Association"
    return "prose"


def _organisation(text: str) -> bool:
    """ "Eddington Residents' Association (ERA)": a name with its acronym, and an organisation's
    word in it, heads a group of a list rather than naming a person."""
    m = re.fullmatch(r"(?P<name>[^()]+?)\s*\((?P<acronym>[A-Z]{2,6})\)\s*", text)
    if m is None:
        return False
    words = m.group("name").split()
    return len(words) >= 2 and any(w.lower().strip("'’") in PLACE_NOUNS for w in words)


def _all_names(text: str) -> bool:
    """Every comma-separated piece starts a name: "A, B, C" and not "A, Lay Member, Org"."""
    pieces = [p for p in _split_top(text, ",") if p]
    return len(pieces) >= 2 and all(_starts_name(p) for p in pieces)


def _many_names(text: str) -> bool:
    pieces = [p.strip() for p in re.split(r",|;|\band\b", re.sub(r"\([^)]*\)", "", text))]
    named = sum(1 for p in pieces if p and (name_length(p.split()) or _INITIALS.match(p)))
    return named >= 2


def _split_top(text: str, seps: str) -> list[str]:
    """``text`` split on any of ``seps`` outside brackets: "A (x, y), B" -> ["A (x, y)", "B"]."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch in seps and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


# A label inside a run-in list, after a sentence's end or a dash: "... (Cabinet Office).
# Apologies from: ...", "... Tom Baker – Ex Officio: ...", "...; In attendance: ...".
_RUN_IN_LABEL = re.compile(
    r"(?:(?<=[.;])|(?<=\s[–—-]))\s+(?P<label>[A-Z][\w'’]*(?:\s+[\w'’]+){0,3})\s*:\s+"
)


def _run_in_sections(text: str) -> list[tuple[str | None, str]]:
    """A run-in list cut where a label of its own starts, each part with its label's status
    (None: the status it had). A list heading ("Apologies from:") changes the status; another
    label ("Ex Officio:") only ends the entry before it, which would otherwise swallow the
    next person."""
    out: list[tuple[str | None, str]] = []
    start, status = 0, None
    for m in _RUN_IN_LABEL.finditer(text):
        label = m.group("label") + ":"
        head = _HEAD.match(label)
        out.append((status, text[start : m.start()].rstrip(" –—-;")))
        status = _status(head) if head and _is_head(head, label) else None
        start = m.end()
    out.append((status, text[start:]))
    return [(st, t.strip()) for st, t in out if t.strip()]


def _split_run_in(text: str) -> list[str]:
    """A run-in list split into entries: on semicolons, else on commas that start a new name
    (a job title or an honour after a comma joins the entry before it), and "A and B"."""
    if ";" in text:
        pieces = _split_top(text, ";")
    else:
        pieces = []
        tops = _split_top(text, ",")
        # In a list of "Name (Organisation)" entries, two or three capitalised words before a
        # bracket start an entry even when the census does not know the forename ("Jos Kerrane").
        bracketed = sum(1 for p in tops if _BRACKETED.match(p)) >= max(3, len(tops) // 2)
        # "Grant Fitzner, DCLG": an acronym after a full name is that person's organisation,
        # in a list of names (not one of initials: "AB, CD, EF").
        initials_list = any(
            _ACRONYM_ENTRY.fullmatch(p) and (i == 0 or _ACRONYM_ENTRY.fullmatch(tops[i - 1]))
            for i, p in enumerate(tops)
        )
        for p in tops:
            organisation = (
                pieces
                and not initials_list
                and _ACRONYM_ENTRY.fullmatch(p)
                and len(pieces[-1].split()) >= 2
                and "(" not in pieces[-1]
                and not _abbreviates(p.strip(" ."), pieces[-1])
            )
            if pieces and (
                organisation or (not _starts_name(p) and not (bracketed and _bracketed_name(p)))
            ):
                pieces[-1] += ", " + p
            else:
                pieces.append(p)
    out: list[str] = []
    for p in pieces:
        halves = re.split(r"\s+(?:and|&)\s+", p)
        if len(halves) == 2 and all(_starts_name(h) for h in halves):
            out += halves
        else:
            out.append(p)
    return out


_ACRONYM_ENTRY = re.compile(r"\s*[A-Z]{3,6}\s*\.?\s*")
_BRACKETED = re.compile(r"^\s*(?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’-]*\s*\(")
_NOT_A_FORENAME = re.compile(
    r"^(?:chief|head|director|deputy|assistant|senior|manager|officer|executive|secretary|"
    r"treasurer|lead|chair\w*|vice|interim|acting|council|county|borough|city|district|"
    r"department|ministry|office|the)\b",
    re.IGNORECASE,
)


def _bracketed_name(text: str) -> bool:
    return bool(_BRACKETED.match(text)) and not _NOT_A_FORENAME.match(text.strip())


def _starts_name(text: str) -> bool:
    words = re.sub(r"\([^)]*\)", " ", text).split()
    if not words or _HONOURS.match(words[0].strip(".,;")):
        return False  # ", MBE," after a name is an honour, not the next person
    return bool(name_length(words)) or bool(_INITIALS.match(words[0].strip(".,;")))


def _pairs(line: str) -> list[str]:
    """ "Christine Chalmers CC Kevin Corrance KC": names each followed by their own initials."""
    words = line.split()
    cuts = [
        k + 1
        for k, w in enumerate(words)
        if k > 0 and _INITIALS.match(w) and _name_before(words[:k], w)
    ]
    if len(cuts) < 2:
        return [line]
    pieces, start = [], 0
    for c in cuts:
        pieces.append(" ".join(words[start : c - 1]) + f" ({words[c - 1]})")
        start = c
    if start < len(words):
        pieces[-1] += " " + " ".join(words[start:])
    return pieces


def _name_before(words: list[str], initials: str) -> bool:
    """Whether the words before ``initials`` end with a name those initials abbreviate."""
    for n in (2, 3):
        name = [w for w in words[-n:] if not _INITIALS.match(w)]
        if len(name) == n and initials_of(" ".join(name)) == initials.upper():
            return True
    return False


# --------------------------------------------------------------------------- one entry
def parse_entry(
    piece: str, status: str, group: str = "", *, lay_body: bool = False
) -> Entry | None:
    """One list entry: name, initials, office and role from what the list says of the person."""
    text = clean(piece).removeprefix(BULLET.strip()).strip(" .,;:-–")
    if not text or text.lower() in {"none", "nil", "n/a", "none received", "no apologies"}:
        return None
    # "Berners - Lee", "O'Brien - Barden": a double-barrelled name a PDF spaced out.
    text = re.sub(r"(?<=[a-z])\s+-\s+(?=[A-Z][a-z]+(?:\s*[,(|]|\s*$))", "-", text)
    cut = re.match(
        r"(?P<name>[^()]+?)\s*\((?P<ini>[A-Z][A-Za-z]{1,3})\)\s+(?P<rest>[^,;].*)$", text
    )
    if cut and _abbreviates(cut.group("ini"), cut.group("name")):
        # "Henrik Gravendeel (HG) Cambridge County Council": the initials close the name.
        text = f"{cut.group('name')} ({cut.group('ini')}), {cut.group('rest')}"
    brackets = [b.strip() for b in re.findall(r"\(([^)]*)\)", text)]
    main_words = re.sub(r"\([^)]*\)", " ", text)
    # "(HS)" abbreviates the person; "(SBC)", "(DCLG)" name an organisation: a description.
    notes = " ".join(b for b in brackets if not _abbreviates(b, main_words))
    main = re.sub(r"\([^)]*\)", " ", text)
    before = re.match(r"^((?:[A-Z][\w'’.-]*\s+){1,2}[A-Z][\w'’-]*)\s*\(", text)
    if (
        before
        and not _NOT_A_FORENAME.match(text)
        and not any(
            is_plainly_ordinary(w) or w.lower() in ORGANISATION_NOUNS or w.lower() in PLACE_NOUNS
            for w in before.group(1).split()
        )
    ):
        # "Jos Kerrane (Hampshire County Council)": uncommon words before an organisation in
        # brackets are a name the census does not know.
        brackets = [*brackets, initials_of(before.group(1))]
    name, description = _name_and_description(main, confirmed=brackets)
    if not name:
        return None
    initials = name if _INITIALS.match(name) else ""
    initials = initials or next((b for b in brackets if _abbreviates(b, name)), "")
    cues = " ".join([notes, description]).strip()
    role, member_status = _role(status, name, cues, group, lay_body)
    # "Irene Kelly, Treasurer" or "Irene Kelly (Treasurer)": the office either way.
    office = re.sub(r"\s+", " ", (description or notes).split(",")[0]).strip()
    acting = bool(_ACTING.search(cues)) and member_status == "present"
    return Entry(
        name,
        member_status,
        role,
        "inferred",
        initials,
        office,
        acting,
        lay_body=lay_body and role in ("lay", "chair") and (not group or _lay_group(group)),
    )


def _without_organisation_words(words: list[str], n: int) -> int:
    """The name's length once words of the board's own name ("Garelochhead" in a Garelochhead
    list) and organisations' words are taken off its end: "Mrs Douglas Garelochhead Primary"."""
    while n > 1 and (
        words[n - 1].lower().strip(",.") in _avoid.get()
        or words[n - 1].lower().strip(",.") in ORGANISATION_NOUNS
    ):
        n -= 1
    if n == 1 and not (is_title(words[0]) or is_given_name(words[0])):
        return 0
    return n


def _abbreviates(initials: str, name: str) -> bool:
    """Whether ``initials`` abbreviate the person ``name`` ("HS" or "HSa" for Harriet Salt)."""
    if not _INITIALS.match(initials):
        return False
    bare = [w for w in strip_title(name)[0].split() if w[:1].isupper()]
    if not bare:
        return False
    capitals = "".join(c for c in initials if c.isupper())
    first, last = bare[0][0], bare[-1][0] if len(bare) > 1 else ""
    full = initials_of(" ".join(bare))
    return capitals == full or (capitals[:1] == first and last in capitals[1:])


def _name_and_description(main: str, confirmed: list[str] = ()) -> tuple[str, str]:  # type: ignore[assignment]
    """Split "Cllr Gordon Fleming A&B Councillor" into the name and what follows it.

    ``confirmed``: texts in brackets; initials among them that abbreviate the words before the
    first separator say those words are the name ("Dev Chaudhry (DC), Carer Trustee").
    """
    parts = re.split(r"\s*,\s*|\s+[–—-]\s+|\s*:\s*|\t", main.strip(), maxsplit=1)
    head = parts[0].strip()
    rest = parts[1].strip() if len(parts) > 1 else ""
    words = head.split()
    while words and _HONOURS.match(words[-1].strip(".,")) and len(words) > 1:
        rest = (words.pop() + " " + rest).strip()
    if not words:
        return "", rest
    if len(words) == 1 and _INITIALS.match(words[0]):
        return words[0], rest
    bare = [w for w in words if not is_title(w)]
    delimited = any(
        c.upper() == initials_of(" ".join(bare)) for c in confirmed if _INITIALS.match(c)
    )
    n = name_length(words, delimited=delimited)
    # "Cllr Iain Pettigrew Argyll & Bute Councillor", "Lorna Buchanan Helensburgh & Lomond CPG":
    # a word joined to the next by "&" belongs to an organisation's name, not the person's.
    while n > 1 and n < len(words) and words[n] in ("&", "and") and not is_title(words[n - 1]):
        n -= 1
    n = _without_organisation_words(words, n)
    if n == 0 or all(is_title(w) for w in words[:n]):
        return "", rest
    name = " ".join(words[:n])
    tail = " ".join(words[n:])
    return name, ", ".join(p for p in (tail, rest) if p)


ROLE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "service_user",
        re.compile(
            r"service\s+user|expert\s+by\s+experience|lived\s+experience|"
            r"user\s+rep|peer\s+rep|patient\s+rep",
            re.I,
        ),
    ),
    (
        "carer",
        re.compile(
            r"\bcarers?'?\b(?!\s+(?:lead|support|services?|officer|worker|manager|liaison|"
            r"strategy|champion|centre|development))",
            re.I,
        ),
    ),
    (
        "lay",
        re.compile(
            r"lay\s+member|sectoral|community\s+rep|voluntary\s+(?:and\s+community\s+)?"
            r"sector|public\s+member|healthwatch|lay\s+rep|community\s+(?:&|and)\s+voluntary|"
            r"residents['’]?\s+(?:association|rep|group)|tenants['’]?\s+(?:association|rep)|"
            r"\bRA\b|patient\s+(?:group|member|participation)|community\s+council(?:lor)?",
            re.I,
        ),
    ),
)
_CHAIR_NOTE = re.compile(
    r"(?<!vice )(?<!vice-)(?<!deputy )(?<!co-)\bchair(?:man|woman|person)?\b|"
    r"(?<![\w-])cathaoirleach|\bin\s+the\s+chair\b|(?<!vice )(?<!vice-)(?<!deputy )\bconvenor\b",
    re.I,
)
_ACTING = re.compile(r"\bin\s+the\s+chair\b|\bacting\s+chair|\bchairing\b", re.I)
# Elected members: "Cllr", "Councillor", "MSP", "(SBC)", "Cabinet Member".
_ELECTED = re.compile(
    r"(?i:\b(?:cllr|councillor|alderman|mayor)\b|\bcabinet\s+member\b)|\b(?:MSP|MP|MLA)\b|"
    r"^\s*\(?[A-Z&]{1,5}C\)?\s*$",
)
# Staff, not members, even when a list of those present names them: the body's officers,
# clerks and minute-takers, the police. Directors, managers and clinicians listed as present sit
# as members (the coding manual's "member"), so their job titles do not count here.
_STAFF = re.compile(
    r"\b(?:officer|head\s+of|clerk|secretariat|co-?ordinator|administrator|assistant|"
    r"democratic\s+services|police|constable|sergeant|inspector|PC|PCSO|minutes?|"
    r"minute\s+(?:taker|secretary)|note\s*taker)\b",
    re.I,
)
_POST_ELSEWHERE = re.compile(r"^\W*head\s+of\s+[\w &]+,\s*[A-Z]", re.I)
# A central government department named alone as a person's organisation.
_DEPARTMENT = re.compile(
    r"cabinet\s+office|department\s+(?:for|of)\s+[\w ,&]+|home\s+office|foreign\s+office|"
    r"hm\s+treasury|ministry\s+of\s+[\w ,&]+|"
    r"(?-i:DCLG|MHCLG|DLUHC|DHSC|DfE|DWP|DCMS|BEIS|DEFRA|DfT)",
    re.I,
)
_POLITICIAN = re.compile(
    r"(?:baroness|lord|minister|rt\.?\s*hon|mp|secretary\s+of\s+state)\b", re.I
)
_OFFICER_TITLES = re.compile(r"^(?:constable|con|pc|sgt|sergeant|insp|inspector|ds|di|dc)\b", re.I)


def _role(status: str, name: str, cues: str, group: str, lay_body: bool) -> tuple[str, str]:
    """The role a list gives a person, and their status (``attending`` decided here)."""
    title = strip_title(name)[1]
    cues = re.sub(r"\s*-\s*", "-", cues)  # "Vice - Chair" as a PDF may space it
    elected = bool(_ELECTED.search(title) or _ELECTED.search(cues))
    staff = _STAFF.search(cues)
    if staff and _POST_ELSEWHERE.search(cues) and len(_STAFF.findall(cues)) == 1:
        staff = None  # "Head of Assets, Locality": a post at the organisation they come from
    job = bool(staff or _OFFICER_TITLES.match(title))
    # "Petra Lindqvist (Cabinet Office)" on an advisory panel: a civil servant, who advises it and
    # reports to it, not a member; a minister or a peer from the department sits as one.
    job = job or bool(_DEPARTMENT.fullmatch(cues.strip(" ()")) and not _POLITICIAN.match(title))
    if status == "attending":
        status = "present" if elected else "in_attendance"
    if status == "public":
        return "lay", status  # residents who speak from the floor are lay voices
    lay_group = bool(group and _lay_group(group))
    role = ""
    for candidate, pattern in ROLE_CUES:
        if pattern.search(cues) or (group and pattern.search(group)):
            role = candidate
            break
    if _CHAIR_NOTE.search(cues) and status != "in_attendance":
        return "chair", status
    if role:
        return role, status
    if elected:
        return "member", status
    if not lay_body and _office_of_the_board(cues):
        # "Christine Ward | NoT LPC | Treasurer" where the others sit for Boots or Lloyds: a post
        # the board itself holds (its treasurer, its chief officer), not a seat for anyone.
        return "officer", status
    if group and not lay_group and lay_body:
        # Another organisation's people at a lay body's meeting ("Portal" at a residents'
        # liaison meeting) attend it; they are not its members.
        return "officer", "in_attendance" if status == "present" else status
    if lay_group:
        return "lay", status
    if job or status == "in_attendance":
        return "officer", status
    if lay_body and not _other_body(cues):
        return "lay", status
    return "member", status


_SEAT = re.compile(r"\b(?:chair\w*|vice|deputy|members?|councillors?|convenor|convener)\b", re.I)


def _office_of_the_board(cues: str) -> bool:
    """Whether a description names the board itself by its short name and a post on it other
    than a seat: "NoT LPC, Treasurer" in the North of Tyne LPC's minutes."""
    title = _title_words.get()
    if not title or _SEAT.search(cues):
        return False
    words = re.findall(r"[A-Za-z]+", cues)
    short = [w for w in words if _names_the_board(w, title)]
    # An acronym among them ("LPC", "NoT"), so that a title's ordinary words ("Committee")
    # alone are never taken for the board's name; and a post besides.
    return any(re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]", w) for w in short) and len(short) < len(words)


def _names_the_board(word: str, title: tuple[str, ...]) -> bool:
    """A word of the board's name or the initials of consecutive words of it ("NoT")."""
    low = word.lower()
    if low in title:
        return True
    n = len(low)
    return n >= 3 and any(
        "".join(t[0] for t in title[i : i + n]) == low for i in range(len(title) - n + 1)
    )


def _lay_group(group: str) -> bool:
    return any(p.search(group) for _, p in ROLE_CUES)


_OFFICE_BEARER = frozenset(
    [
        "chair",
        "vice",
        "secretary",
        "treasurer",
        "member",
        "members",
        "cc",
        "convenor",
        "minute",
        "co",
        "opted",
        "ordinary",
        "office",
        "bearer",
        "community",
        "councillor",
    ]
)


def _other_body(cues: str) -> bool:
    """A description naming only an organisation other than the board ("(SBC)", "Boots CCA"),
    not the person's seat on it ("Member CC & MOD" is a member who also works elsewhere)."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", cues)]
    return bool(words) and not any(w in _OFFICE_BEARER for w in words)


# --------------------------------------------------------------------------- sentences
def sentence_entries(text: str, *, lay_body: bool = False) -> list[Entry]:
    """Apologies given in a sentence of the minutes: "Apologies were received from A, B and C."""
    out: list[Entry] = []
    for m in _STATUS_OF_SENTENCE.finditer(text):
        names = re.split(r"\s*(?:;|\.\s)", m.group("names"))[0]
        for piece in _split_run_in(re.sub(r",?\s+and\s+", ", ", names)):
            entry = parse_entry(piece, "apologies", lay_body=lay_body)
            if entry is not None:
                out.append(entry)
    return out


def chaired_by(text: str) -> str | None:
    """Who chaired, from "The Meeting was Chaired by Ken Corrance." or "RW chaired the meeting."."""
    m = _CHAIRED.search(text)
    if not m:
        return None
    who = (m.group("name") or m.group("who") or "").strip()
    words = who.split()
    if _INITIALS.match(who):
        return who
    n = name_length(words)
    return " ".join(words[:n]) if n else None


# ---------------------------------------------------------------------------- people
def register(
    entries: list[Entry], corpus: Roster, roster: Roster, *, with_board: bool
) -> list[Entry]:
    """Find (or create) the person each entry names; entries then hold person keys, once each.

    Full names are registered before initials, so that "RB" in a list that also says "Rhys
    Bannerman" is the same person. With a board file, members serving at the meeting's date are
    matched first; everyone else against the people seen so far in the corpus, so one person
    keeps one key.
    """
    order = sorted(range(len(entries)), key=lambda i: bool(_INITIALS.match(entries[i].name)))
    for i in order:
        _register(entries[i], corpus, roster, with_board=with_board)
    return _dedupe(entries)


def _register(entry: Entry, corpus: Roster, roster: Roster, *, with_board: bool) -> None:
    person = roster.resolve(entry.name) if with_board else None
    person = person or roster.resolve(entry.name) or corpus.resolve(entry.name)
    bare, title = strip_title(entry.name)
    if person is None and len(bare.split()) >= 2:
        # Known so far only by initials ("RB" in March), now named in full ("Rhys Bannerman").
        short = initials_of(bare)
        person = next(
            (p for p in corpus.people.values() if p.name == short and p.key == short.lower()),
            None,
        )
        if person is not None:
            person.name, person.title = bare, title
    if person is None:
        person = Person(name_key(entry.name), bare, entry.role, entry.role_source, title=title)
    if entry.initials:
        person.initials.add(entry.initials)
    if entry.office and not ROLE_WORDS.search(entry.office):
        person.offices.add(entry.office)
    # Without a board file the latest list wins, except that a chair stays chair, a role
    # phrase beats a bare default, and a staff post the minutes gave someone earlier beats a
    # bare list of those present naming them again (council panels list their officers there).
    keeps_post = person.staff_by_post and entry.role == "member" and not entry.office
    if (
        person.role_source != "board.yaml"
        and person.role not in (entry.role, "chair")
        and (entry.role != "member" or person.role == "officer")
        and not keeps_post
    ):
        person.role = entry.role
    person = corpus.add(person)
    roster.add(person)
    entry.name = person.key
    entry.role = "chair" if entry.acting_chair else person.role
    if keeps_post and person.role == "officer" and entry.status == "present":
        entry.status = "in_attendance"


ROLE_WORDS = re.compile(
    r"representative|\brep\b|trustee|member|observer|chair|cathaoirleach|service user|carer",
    re.I,
)


def _dedupe(entries: list[Entry]) -> list[Entry]:
    """Each person once; being present beats being in attendance beats the public beats
    apologies."""
    rank = {"present": 0, "in_attendance": 1, "public": 2, "apologies": 3, "absent": 4}
    best: dict[str, Entry] = {}
    for e in entries:
        if e.name not in best or rank[e.status] < rank[best[e.name].status]:
            best[e.name] = e
    return list(best.values())


_GIVEN = re.compile(r"[A-Z]{2,4}")


def board_roster(board: Board | None, date: dt.date | None) -> Roster:
    """The board's members serving on ``date`` (all of them when the date is unknown)."""
    roster = Roster()
    if board is None:
        return roster
    for m in board.members:
        if date is not None and not m.serves_on(date):
            continue
        bare, title = strip_title(m.name)
        roster.add(
            Person(
                key=name_key(m.name),
                name=bare,
                role=m.role,
                role_source="board.yaml",
                title=title,
                aliases=set(m.aliases),
                # Only the initials the board gives (or an alias in capitals, "MC") are given:
                # two members whose names imply the same letters share them, and neither owns them.
                initials={m.initials}
                if m.initials
                else {a for a in m.aliases if _GIVEN.fullmatch(a)},
            )
        )
    return roster
