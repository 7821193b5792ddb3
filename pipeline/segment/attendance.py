"""Attendance lists: who was present, in attendance or sent apologies, and in what role.

Lists come as bullets, one entry a line ("Prof. Helen Marchbank (HM), Non-Executive Director
(Chair)"), or on one line ("Attendees: AR (chair), RB, LT, CW"), or as a header-table cell
("Attendees: Rosalind Achebe (RA), Chair; Hugh Penhaligon (HP), Treasurer"). Each entry gives a
name, maybe initials in brackets, and a description whose role phrases ("Carer Rep", "Sectoral
Representative", "(Chair)", "in the Chair") give the role when no board.yaml does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.board import Board
from pipeline.people import Person, Roster, clean, initials_of, name_key, strip_title
from pipeline.segment.blocks import ATT_HEAD, BULLET, Block, is_item, is_list_like, is_section

_STATUS = {
    "present": "present",
    "members present": "present",
    "attendees": "present",
    "attendance": "present",
    "also present": "in_attendance",
    "in attendance": "in_attendance",
    "officers present": "in_attendance",
    "officers in attendance": "in_attendance",
    "invited": "in_attendance",
    "observer": "in_attendance",
    "observers": "in_attendance",
    "absent": "absent",
}
_INITIALS = re.compile(r"^[A-Z]{2,4}$")


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


def parse(blocks: list[Block]) -> list[Entry]:
    """Every entry of every attendance list among ``blocks``, in order, not yet deduplicated."""
    entries: list[Entry] = []
    status: str | None = None
    for b in blocks:
        if (is_item(b) or is_section(b)) and entries:
            break
        i = 0
        while i < len(b.lines):
            head = ATT_HEAD.match(b.lines[i])
            if head is None:
                if status is None or not is_list_like(Block(b.page, b.lines[i:])):
                    status = None
                    break
                # A list continuing in its own block after its heading.
                entries += _entries(_unwrap(b.lines[i:]), status, one_line=False)
                break
            word = " ".join(head.group("head").lower().split())
            status = "apologies" if word.startswith("apolog") else _STATUS.get(word, "present")
            rest = (head.group("rest") or "").strip()
            j = i + 1
            while j < len(b.lines) and not ATT_HEAD.match(b.lines[j]):
                j += 1
            if (rest and not b.lines[i + 1 : j]) or (rest and not _bulleted(b.lines[i + 1 : j])):
                # "Attendees: A, B, C" on one line, maybe wrapped over several.
                entries += _entries([" ".join([rest, *b.lines[i + 1 : j]])], status, one_line=True)
            else:
                lines = ([rest] if rest else []) + b.lines[i + 1 : j]
                entries += _entries(_unwrap(lines), status, one_line=False)
            i = j
    return entries


def _bulleted(lines: list[str]) -> bool:
    return any(ln.startswith(BULLET) for ln in lines)


def _unwrap(lines: list[str]) -> list[str]:
    """In a bulleted list, a line without a bullet continues the entry above it."""
    if not _bulleted(lines):
        return lines
    out: list[str] = []
    for ln in lines:
        if out and not ln.startswith(BULLET):
            out[-1] += " " + ln
        else:
            out.append(ln)
    return out


def _entries(lines: list[str], status: str, *, one_line: bool) -> list[Entry]:
    out = []
    for line in lines:
        for piece in _split(line, one_line):
            entry = _entry(piece, status)
            if entry is not None:
                out.append(entry)
    return out


def _split_top(text: str, sep: str) -> list[str]:
    """``text`` split on ``sep`` outside brackets: "A (x, y), B" -> ["A (x, y)", " B"]."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _split(line: str, one_line: bool) -> list[str]:
    """One entry per line in a list; "A (Chair), B, C" splits only when the list is one line."""
    line = line.removeprefix(_BULLET_STRIP).strip()
    if ";" in line:
        return [p for p in _split_top(line, ";") if p.strip()]
    if not one_line:
        return [line]
    # One line: split on commas that start a new name; a job title joins the entry before it.
    merged: list[str] = []
    for p in (p.strip() for p in _split_top(line, ",")):
        if not p:
            continue
        if merged and not _looks_like_name(p):
            merged[-1] += ", " + p
        else:
            merged.append(p)
    return merged


_BULLET_STRIP = BULLET
_ORG_WORDS = frozenset(
    [
        "board",
        "council",
        "trust",
        "services",
        "service",
        "team",
        "nhs",
        "care",
        "authority",
        "department",
        "police",
        "group",
        "partnership",
        "forum",
        "committee",
        "network",
        "centre",
        "hospital",
        "association",
        "society",
        "foundation",
        "director",
        "manager",
        "officer",
        "lead",
        "representative",
        "rep",
        "health",
        "directorate",
        "unit",
        "trustee",
        "treasurer",
        "secretary",
        "observer",
        "chair",
        "chairperson",
        "administrator",
        "coordinator",
        "analyst",
        "engineer",
        "worker",
        "executive",
        "member",
        "university",
        "fund",
    ]
)


def _looks_like_name(text: str) -> bool:
    bare, _ = strip_title(re.sub(r"\([^)]*\)", "", text))
    words = bare.replace(" and ", " ").split()
    if len(words) == 1 and _INITIALS.match(words[0]):
        return True  # "RB": initials standing for a person
    return (
        1 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and not any(w.lower().strip(".,'") in _ORG_WORDS for w in words)
    )


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
            r"sector|public\s+member|healthwatch|lay\s+rep|community\s+(?:&|and)\s+voluntary",
            re.I,
        ),
    ),
)
_CHAIR_NOTE = re.compile(
    r"(?<!vice )(?<!vice-)(?<!deputy )\bchair(?:man|woman|person)?\b|"
    r"(?<![\w-])cathaoirleach|\bin\s+the\s+chair\b",
    re.I,
)
_ACTING = re.compile(r"\bin\s+the\s+chair\b|\bacting\s+chair|\bchairing\b", re.I)


def _entry(piece: str, status: str) -> Entry | None:
    text = clean(piece).strip(" .,")
    if not text or text.lower() in {"none", "nil", "n/a", "none received", "no apologies"}:
        return None
    notes = " ".join(re.findall(r"\(([^)]*)\)", text))
    main = re.sub(r"\([^)]*\)", " ", text)
    name, description = _name_and_description(main)
    if not _looks_like_name(name):
        return None
    name = " ".join(name.split())
    initials = name if _INITIALS.match(name) else ""
    brackets = re.findall(r"\(\s*([A-Z]{2,4})\s*\)", text)
    initials = initials or (brackets[0] if brackets else "")
    cues = f"{notes} {description}"
    role = "officer" if status == "in_attendance" else "member"
    for candidate, pattern in ROLE_CUES:
        if pattern.search(cues):
            role = candidate
            break
    acting = bool(_ACTING.search(cues)) and status == "present"
    if _CHAIR_NOTE.search(notes) or re.match(r"(?:the\s+)?chair(?:person)?\b", description, re.I):
        role = "chair"
    office = re.sub(r"\s+", " ", description.split(",")[0]).strip()
    return Entry(name, status, role, "inferred", initials, office, acting)


def _name_and_description(main: str) -> tuple[str, str]:
    parts = re.split(r"\s*,\s*|\s+[–—-]\s+|\s*:\s*", main.strip(), maxsplit=1)
    name = parts[0].strip()
    return name, (parts[1].strip() if len(parts) > 1 else "")


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
    # Without a board file the latest list wins, except that a chair stays chair and a role
    # phrase beats a bare default.
    if (
        person.role_source != "board.yaml"
        and person.role not in (entry.role, "chair")
        and (entry.role != "member" or person.role == "officer")
    ):
        person.role = entry.role
    person = corpus.add(person)
    roster.add(person)
    entry.name = person.key
    entry.role = "chair" if entry.acting_chair else person.role


ROLE_WORDS = re.compile(
    r"representative|\brep\b|trustee|member|observer|chair|cathaoirleach|service user|carer",
    re.I,
)


def _dedupe(entries: list[Entry]) -> list[Entry]:
    """Each person once; being present beats being in attendance beats apologies."""
    rank = {"present": 0, "in_attendance": 1, "apologies": 2, "absent": 3}
    best: dict[str, Entry] = {}
    for e in entries:
        if e.name not in best or rank[e.status] < rank[best[e.name].status]:
            best[e.name] = e
    return list(best.values())


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
                initials={m.initials or initials_of(m.name)},
            )
        )
    return roster
