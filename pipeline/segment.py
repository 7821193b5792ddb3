"""Segment: minutes text into meetings, attendance, agenda items and units with speakers.

Reads page texts (blocks separated by blank lines, as ingestion writes them) and returns tables
that still hold real names as person keys; :mod:`pipeline.preprocess` pseudonymises them before
anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from pipeline import config
from pipeline.board import Board
from pipeline.people import (
    CHAIR_WORDS,
    Mention,
    Person,
    Roster,
    clean,
    initials_of,
    name_key,
    strip_title,
)

_ATT_HEAD = re.compile(
    r"^\s*(?P<head>members\s+present|present|also\s+present|in\s+attendance|"
    r"officers\s+(?:present|in\s+attendance)|attendees|invited|observers?|absent|"
    r"apologies(?:\s+for\s+absence)?(?:\s+received)?)\s*(?::\s*(?P<rest>.*)|$)",
    re.IGNORECASE,
)
_ATT_STATUS = {
    "present": "present",
    "members present": "present",
    "attendees": "present",
    "also present": "in_attendance",
    "in attendance": "in_attendance",
    "officers present": "in_attendance",
    "officers in attendance": "in_attendance",
    "invited": "in_attendance",
    "observer": "in_attendance",
    "observers": "in_attendance",
    "absent": "absent",
}
_ITEM = re.compile(
    r"^\s*(?:item\s+|minute\s+)?(?P<no>[A-Z]{1,5}/\d{1,4}/\d{1,4}|\d{1,3}(?:\.\d{1,3})?)"
    r"[.:)]?\s+(?P<title>\S.{1,140})$",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^\s*(?:signed|signature|chair(?:person)?\s*:|date\s*:|\.{5,}|_{5,})", re.IGNORECASE
)
_BULLET = "• "
_ACTION = re.compile(r"^\s*(?:\d+(?:\.\d+)*\s+)?actions?\s*[:\-–]\s*", re.IGNORECASE)
_ACTION_TAIL = re.compile(r"\bACTIONS?\s*[:\-–]\s*(?P<who>.{1,60})$")
_DECISION = re.compile(
    r"\bRESOLVED\b|\bresolved\s+(?:that|to)\b|\bDECISION\s*:|^\s*(?:\d+(?:\.\d+)*\s+)?"
    r"(?:it\s+was\s+)?agreed\b|\bthe\s+(?:board|committee|group|forum)\s+"
    r"(?:agreed|approved|endorsed|adopted|ratified|resolved)\b|\bproposed\b.*\bseconded\b",
    re.IGNORECASE | re.DOTALL,
)
_REPORTING = (
    r"(?:said|asked|reported|explained|noted|replied|responded|added|commented|stated|confirmed|"
    r"welcomed|thanked|presented|introduced|highlighted|raised|suggested|proposed|seconded|"
    r"advised|informed|updated|outlined|queried|expressed|emphasi[sz]ed|acknowledged|felt|"
    r"stressed|gave|described|clarified|summari[sz]ed|requested|pointed|spoke|told|urged|"
    r"questioned|challenged|praised|shared|agreed|undertook|offered|reminded|observed|indicated|"
    r"recommended|wished|drew|made|led|tabled|moved|assured|accepted|hoped|believed|considered|"
    r"warned|sought|invited|concluded|set|took|asks|says|reports|notes|explains|was\s+concerned|"
    r"would|will|had|has|was|is|wanted|wants|referred|recalled|observed|argued|proposes)"
)
_PRESENTING = re.compile(
    r"\b(?:presented|introduced|reported|gave|outlined|updated|took\s+the\s+board|talked)\b",
    re.IGNORECASE,
)
_PRONOUN_START = re.compile(r"^\s*(?:\d+(?:\.\d+)*\s+)?(?:he|she|they)\b", re.IGNORECASE)
_OTHER_SUBJECT = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\s+)?(?:the\s+(?:board|committee|group|forum|minutes|meeting|partnership)|"
    r"members|board\s+members|it\s+was|resolved|action|agreed|there\s+(?:was|were)|a\s+"
    r"discussion|discussion|no\s+|none\b)",
    re.IGNORECASE,
)


@dataclass
class Block:
    page: int
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass
class Entry:
    """One line of an attendance list."""

    name: str
    status: str
    role: str
    role_source: str
    initials: str = ""


@dataclass
class Unit:
    page: int
    item_no: str
    item_title: str
    text: str
    speaker: str = ""
    speaker_role: str = "none"
    is_action: bool = False
    is_decision: bool = False
    action_owner: str = ""


@dataclass
class Segmented:
    """Segmentation output. Person columns hold roster keys (real names) until preprocessing."""

    meetings: pd.DataFrame
    attendance: pd.DataFrame
    units: pd.DataFrame
    people: dict[str, Person] = field(default_factory=dict)


def segment(pages: pd.DataFrame, documents: pd.DataFrame, board: Board | None) -> Segmented:
    """Read every usable minutes document into a meeting with attendance and units."""
    minutes = documents[
        (documents["doc_type"] == "minutes") & documents["status"].isin(["ok", "warning"])
    ].sort_values(["meeting_date", "source"], na_position="last")
    corpus = _board_roster(board, None)
    meeting_rows, attendance_rows, unit_rows = [], [], []
    used_ids: set[str] = set()
    for doc in minutes.itertuples(index=False):
        doc_pages = pages[pages["doc_id"] == doc.doc_id].sort_values("page")
        blocks = _blocks(doc_pages)
        date = _as_date(doc.meeting_date)
        meeting_id = _meeting_id(date, str(doc.doc_id), used_ids)
        preamble, body = _split_preamble(blocks)
        entries = _attendance(preamble + body)
        roster = _board_roster(board, date)
        for e in entries:
            _register(e, corpus, roster, with_board=board is not None)
        entries = _dedupe(entries)
        units = _units(body if entries or _has_items(body) else blocks[1:], roster)
        for e in entries:
            attendance_rows.append(
                {
                    "meeting_id": meeting_id,
                    "meeting_date": date,
                    "person_key": e.name,
                    "role": corpus.people[e.name].role,
                    "status": e.status,
                    "role_source": corpus.people[e.name].role_source,
                }
            )
        present = [e for e in entries if e.status == "present" and e.role != "officer"]
        lay = sum(1 for e in present if e.role in config.LAY_ROLES)
        meeting_rows.append(
            {
                "meeting_id": meeting_id,
                "meeting_date": date,
                "year": date.year if date else None,
                "doc_id": doc.doc_id,
                "source": doc.source,
                "members_present": len(present),
                "lay_present": lay,
                "apologies": sum(1 for e in entries if e.status == "apologies"),
                "in_attendance": sum(
                    1
                    for e in entries
                    if e.status == "in_attendance"
                    or (e.status == "present" and e.role == "officer")
                ),
                "lay_standard_met": lay >= config.PRESENCE_STANDARD,
                "has_attendance": bool(entries),
                "n_items": len({u.item_no for u in units if u.item_no}),
                "n_units": len(units),
            }
        )
        for i, u in enumerate(units, start=1):
            unit_rows.append(
                {
                    "segment_id": f"{meeting_id}-{i:03d}",
                    "meeting_id": meeting_id,
                    "meeting_date": date,
                    "doc_id": doc.doc_id,
                    "source": doc.source,
                    "page": u.page,
                    "item_no": u.item_no,
                    "item_title": u.item_title,
                    "speaker_key": u.speaker,
                    "speaker_role": u.speaker_role,
                    "text": u.text,
                    "is_action": u.is_action,
                    "is_decision": u.is_decision,
                    "action_owner_key": u.action_owner,
                }
            )
    return Segmented(
        meetings=pd.DataFrame(
            meeting_rows,
            columns=[
                "meeting_id",
                "meeting_date",
                "year",
                "doc_id",
                "source",
                "members_present",
                "lay_present",
                "apologies",
                "in_attendance",
                "lay_standard_met",
                "has_attendance",
                "n_items",
                "n_units",
            ],
        ),
        attendance=pd.DataFrame(
            attendance_rows,
            columns=["meeting_id", "meeting_date", "person_key", "role", "status", "role_source"],
        ),
        units=pd.DataFrame(
            unit_rows,
            columns=[
                "segment_id",
                "meeting_id",
                "meeting_date",
                "doc_id",
                "source",
                "page",
                "item_no",
                "item_title",
                "speaker_key",
                "speaker_role",
                "text",
                "is_action",
                "is_decision",
                "action_owner_key",
            ],
        ),
        people=corpus.people,
    )


# ---------------------------------------------------------------------------- blocks
def _blocks(doc_pages: pd.DataFrame) -> list[Block]:
    """Blocks in reading order; a paragraph broken by a page break is joined back together."""
    blocks: list[Block] = []
    for page in doc_pages.itertuples(index=False):
        # The page's full line length: a heading is clearly shorter, a wrapped first line is not.
        full = max((len(clean(ln)) for ln in str(page.text).split("\n")), default=0)
        for i, raw in enumerate(str(page.text).split("\n\n")):
            lines = [clean(ln) for ln in raw.split("\n") if ln.strip()]
            if not lines:
                continue
            if i == 0 and blocks and _continues(blocks[-1], lines):
                blocks[-1].lines.extend(lines)
                continue
            number = int(str(page.page))
            blocks.extend(Block(number, part) for part in _split_headings(lines, full))
    return blocks


def _split_headings(lines: list[str], page_width: int = 0) -> list[list[str]]:
    """Split out item headings set without a gap (OCR'd pages, tight layouts).

    A heading line is numbered like an item, clearly shorter than the block's full lines, has no
    closing full stop, and follows a finished sentence; wrapped first lines of numbered
    paragraphs ("4.1 Dr Menon said that ...") run the full width and so stay put.
    """
    if len(lines) < 2:
        return [lines]
    width = max(len(ln) for ln in lines)
    if len(lines) == 2 and lines[1][:1].isupper():
        # A heading above a one-line paragraph ("No interests were declared.") is no shorter
        # than that paragraph: measure it against the page's full lines instead.
        width = max(width, page_width)
    parts: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        m = _ITEM.match(line)
        heading = (
            m is not None
            and len(line) <= 0.8 * width
            and not line.rstrip().endswith((".", ",", ";"))
            and m.group("title")[:1].isupper()
            and (i == 0 or lines[i - 1].rstrip().endswith((".", ":", "?", "!", ")")))
        )
        if heading:
            if parts[-1]:
                parts.append([])
            parts[-1].append(line)
            parts.append([])
        else:
            parts[-1].append(line)
    return [p for p in parts if p]


def _continues(prev: Block, lines: list[str]) -> bool:
    last = prev.lines[-1]
    return bool(last) and last[-1] not in ".:;?!)" and lines[0][:1].islower()


def _is_item(block: Block) -> re.Match[str] | None:
    if len(block.lines) > 2 or len(block.text) > 150:
        return None
    m = _ITEM.match(block.text)
    if not m:
        return None
    title = m.group("title").strip()
    # A numbered paragraph ("4.1 None were declared.") is a unit, not a heading.
    if title.endswith((".", ";", ",")):
        return None
    if not title[:1].isupper() and not title[:1].isdigit():
        return None
    return m


def _has_items(blocks: Sequence[Block]) -> bool:
    return any(_is_item(b) for b in blocks)


def _split_preamble(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """Everything before the first agenda item (title, attendance) and the body from it on."""
    for i, b in enumerate(blocks):
        if _is_item(b):
            return blocks[:i], blocks[i:]
    last_att = max((i for i, b in enumerate(blocks) if _ATT_HEAD.match(b.lines[0])), default=-1)
    if last_att < 0:
        return [], blocks
    end = last_att + 1
    while end < len(blocks) and _is_list_like(blocks[end]):
        end += 1
    return blocks[:end], blocks[end:]


def _is_list_like(block: Block) -> bool:
    return all(
        ln.startswith(_BULLET) or (len(ln) < 90 and not ln.endswith(".")) for ln in block.lines
    )


# ---------------------------------------------------------------------------- attendance
def _register(entry: Entry, corpus: Roster, roster: Roster, *, with_board: bool) -> None:
    """Find (or create) the person an attendance entry names; the entry then holds their key.

    With a board file, members serving at the meeting's date are matched first; everyone else
    is matched against the people seen so far in the corpus, so one person keeps one key.
    """
    person = roster.resolve(entry.name) if with_board else None
    person = person or corpus.resolve(entry.name)
    if person is None:
        bare, title = strip_title(entry.name)
        person = Person(name_key(entry.name), bare, entry.role, entry.role_source, title=title)
    if entry.initials:
        person.initials.add(entry.initials)
    # Without a board file the latest list wins, except that a chair stays chair.
    if not with_board and person.role not in (entry.role, "chair"):
        person.role = entry.role
    person = corpus.add(person)
    roster.add(person)
    entry.name = person.key
    entry.role = person.role


def _attendance(blocks: list[Block]) -> list[Entry]:
    entries: list[Entry] = []
    status: str | None = None
    for b in blocks:
        if _is_item(b) and entries:
            break
        head = _ATT_HEAD.match(b.lines[0])
        if head:
            word = " ".join(head.group("head").lower().split())
            status = "apologies" if word.startswith("apolog") else _ATT_STATUS.get(word, "present")
            lines = ([head.group("rest")] if head.group("rest") else []) + b.lines[1:]
        elif status is not None and _is_list_like(b):
            lines = b.lines
        else:
            status = None
            continue
        one_line = len(lines) == 1 and head is not None and bool(head.group("rest"))
        for line in _unwrap_entries(lines):
            for piece in _split_entries(line, one_line):
                entry = _entry(piece, status)
                if entry is not None:
                    entries.append(entry)
    return entries


def _unwrap_entries(lines: list[str]) -> list[str]:
    """In a bulleted list, a line without a bullet continues the entry above it."""
    if not any(ln.startswith(_BULLET) for ln in lines):
        return lines
    out: list[str] = []
    for ln in lines:
        if out and not ln.startswith(_BULLET):
            out[-1] += " " + ln
        else:
            out.append(ln)
    return out


def _split_entries(line: str, one_line: bool) -> list[str]:
    """One entry per line in a list; "A (Chair), B, C" splits only when the list is one line."""
    line = line.removeprefix(_BULLET).strip()
    if ";" in line:
        return [p for p in line.split(";") if p.strip()]
    if not one_line:
        return [line]
    # "Present: A (Chair), B, C" on one line: split on commas that start a new name.
    parts = [p.strip() for p in line.split(",")]
    if len(parts) > 2 and sum(_looks_like_name(p) for p in parts) >= len(parts) - 1:
        merged: list[str] = []
        for p in parts:
            if merged and not _looks_like_name(p):
                merged[-1] += ", " + p
            else:
                merged.append(p)
        return merged
    return [line]


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
        "health",
        "directorate",
        "unit",
    ]
)


def _looks_like_name(text: str) -> bool:
    bare, _ = strip_title(re.sub(r"\([^)]*\)", "", text))
    words = bare.replace(" and ", " ").split()
    return (
        1 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and not any(w.lower().strip(".,'") in _ORG_WORDS for w in words)
    )


_ROLE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "service_user",
        re.compile(
            r"service\s+user|expert\s+by\s+experience|lived\s+experience|"
            r"user\s+rep|peer\s+rep",
            re.I,
        ),
    ),
    ("carer", re.compile(r"\bcarers?'?\s+(?:rep|representative|member)|^carer\b|\bcarer\b$", re.I)),
    (
        "lay",
        re.compile(
            r"lay\s+member|sectoral|community\s+rep|voluntary\s+(?:and\s+community\s+)?"
            r"sector|patient\s+rep|public\s+member|healthwatch|lay\s+rep",
            re.I,
        ),
    ),
)


def _entry(piece: str, status: str) -> Entry | None:
    text = clean(piece).strip(" .")
    if not text or text.lower() in {"none", "nil", "n/a", "none received"}:
        return None
    notes = " ".join(re.findall(r"\(([^)]*)\)", text))
    main = re.sub(r"\([^)]*\)", " ", text)
    name, description = _name_and_description(main)
    if not _looks_like_name(name):
        return None
    initials = next((n for n in re.findall(r"\b([A-Z]{2,4})\b", notes)), "")
    cues = f"{notes} {description}"
    role = "officer" if status == "in_attendance" else "member"
    for candidate, pattern in _ROLE_CUES:
        if pattern.search(cues):
            role = candidate
            break
    if (
        re.search(r"(?<!vice )(?<!vice-)\bchair(?:man|woman|person)?\b|cathaoirleach", notes, re.I)
        and status == "present"
    ) or re.search(r"^\s*(?:the\s+)?chair(?:person)?\b", description, re.I):
        role = "chair"
    return Entry(" ".join(name.split()), status, role, "inferred", initials)


def _name_and_description(main: str) -> tuple[str, str]:
    parts = re.split(r"\s*,\s*|\s+[–—-]\s+|\s*:\s*", main.strip(), maxsplit=1)
    name = parts[0].strip()
    return name, (parts[1].strip() if len(parts) > 1 else "")


def _dedupe(entries: list[Entry]) -> list[Entry]:
    """Each person once; being present beats being in attendance beats apologies."""
    rank = {"present": 0, "in_attendance": 1, "apologies": 2, "absent": 3}
    best: dict[str, Entry] = {}
    for e in entries:
        if e.name not in best or rank[e.status] < rank[best[e.name].status]:
            best[e.name] = e
    return list(best.values())


def _board_roster(board: Board | None, date: dt.date | None) -> Roster:
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


def _as_date(value: object) -> dt.date | None:
    """A table cell holding a date, a timestamp or nothing, as a date or None."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(str(value)).date()


def _meeting_id(date: dt.date | None, doc_id: str, used: set[str]) -> str:
    base = f"M{date.isoformat()}" if date else f"M-{doc_id}"
    mid, n = base, 2
    while mid in used:
        mid, n = f"{base}-{n}", n + 1
    used.add(mid)
    return mid


# ---------------------------------------------------------------------------- units
def _units(blocks: list[Block], roster: Roster) -> list[Unit]:
    units: list[Unit] = []
    item_no, item_title = "", ""
    for b in blocks:
        m = _is_item(b)
        if m:
            item_no, item_title = m.group("no"), " ".join(m.group("title").split())
            continue
        if _ATT_HEAD.match(b.lines[0]) and not item_no:
            continue
        if _SIGNATURE.match(b.lines[0]) or re.fullmatch(r"[\W\d_]*", b.text):
            continue
        text = _join(b.lines)
        if b.lines[0].startswith(_BULLET) and units and units[-1].item_no == item_no:
            units[-1].text += "\n" + text  # a list stays with its lead-in
            continue
        units.append(Unit(b.page, item_no, item_title, text))
    previous: Unit | None = None
    for u in units:
        _attribute(u, previous, roster)
        previous = u
    return units


def _join(lines: list[str]) -> str:
    """Lines of a block as one paragraph; list items keep their own lines."""
    out: list[str] = []
    for ln in lines:
        if ln.startswith(_BULLET) or not out:
            out.append(ln)
        elif out[-1].endswith("-") and out[-1][-2:-1].isalpha() and ln[:1].islower():
            out[-1] = out[-1][:-1] + ln  # a word hyphenated at the line end
        else:
            out[-1] += " " + ln
    return "\n".join(out)


def _attribute(unit: Unit, previous: Unit | None, roster: Roster) -> None:
    text = unit.text
    mentions = roster.mentions(text)
    unit.is_action = bool(_ACTION.match(text) or _ACTION_TAIL.search(text))
    unit.is_decision = bool(_DECISION.search(text))
    if unit.is_action:
        tail = _ACTION.match(text) or _ACTION_TAIL.search(text)
        assert tail is not None
        owner = next((m for m in mentions if m.start >= tail.start()), None)
        unit.action_owner = owner.key if owner else ""
        if _ACTION.match(text):
            return  # "Action: JS to ..." reports nobody's contribution
    speaker = _speaker(text, mentions)
    # A presenter's report runs on ("He added ...", or no new subject at all).
    continues = (
        speaker is None
        and previous is not None
        and previous.item_no == unit.item_no
        and bool(previous.speaker)
        and not unit.is_decision
        and (
            _PRONOUN_START.match(text) is not None
            or (
                _PRESENTING.search(previous.text) is not None
                and not _OTHER_SUBJECT.match(text)
                and not mentions
            )
        )
    )
    if continues and previous is not None:
        unit.speaker, unit.speaker_role = previous.speaker, previous.speaker_role
        return
    if speaker is not None:
        person = roster.people[speaker.key]
        unit.speaker = person.key
        unit.speaker_role = (
            "chair" if speaker.form == "chair" or person.role == "chair" else person.role
        )


def _speaker(text: str, mentions: list[Mention]) -> Mention | None:
    """The person whose contribution the unit reports: the subject of a reporting verb."""
    for m in mentions:
        after = text[m.end : m.end + 60]
        if re.match(
            rf"(?:['’]s)?\s*(?:,[^,]{{1,50}},\s*)?(?:\([^)]*\)\s*)?(?:also\s+|then\s+|"
            rf"further\s+|briefly\s+|again\s+)?{_REPORTING}\b",
            after,
            re.IGNORECASE,
        ):
            return m
    if mentions:
        first = mentions[0]
        lead = text[: first.start]
        if re.fullmatch(
            r"\s*(?:\d+(?:\.\d+)*\s+)?(?:in\s+(?:reply|response)[^,]*,\s*)?", lead, re.IGNORECASE
        ):
            return first
    if CHAIR_WORDS.match(text.lstrip()) and mentions and mentions[0].form == "chair":
        return mentions[0]
    return None
