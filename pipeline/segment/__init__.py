"""Segment: minutes text into meetings, attendance, agenda items and units with speakers.

Reads page texts (blocks separated by blank lines, as ingestion writes them) and returns tables
that still hold real names as person keys; :mod:`pipeline.pseudonymise.preprocess` pseudonymises
them before
anything is written. The parts: :mod:`.blocks` (reading order, headings), :mod:`.attendance`
(lists and roles), :mod:`.units` (units, items, speakers, actions, decisions) and
:mod:`.text_people` (people of notes that have no attendance list).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

import pandas as pd

from pipeline.core import config
from pipeline.inputs.board import Board
from pipeline.pseudonymise.people import Person, Roster
from pipeline.segment import accounting, reuse, same_meeting, speakers
from pipeline.segment import attendance as att
from pipeline.segment.blocks import Block, blocks, is_item, is_section
from pipeline.segment.itemtimes import item_times
from pipeline.segment.namewords import is_given_name
from pipeline.segment.text_people import (
    elected_in_text,
    people_in_text,
    police_rank,
    posts_in_text,
    staff_in_text,
)
from pipeline.segment.units import Unit, units

__all__ = ["Segmented", "SetAside", "segment"]

MEETING_COLUMNS = [
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
]
ATTENDANCE_COLUMNS = ["meeting_id", "meeting_date", "person_key", "role", "status", "role_source"]
UNIT_COLUMNS = [
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
]


@dataclass
class Segmented:
    """Segmentation output. Person columns hold roster keys (real names) until preprocessing."""

    meetings: pd.DataFrame
    attendance: pd.DataFrame
    units: pd.DataFrame
    people: dict[str, Person] = field(default_factory=dict)
    # Words of every document by where they ended (segment.accounting.COLUMNS); "sample" holds
    # the first words of unplaced text, real names included, so it is never written out.
    accounting: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Table item_times with empty titles: read here from the page text, so that no later stage
    # needs the pages; the measure step adds the pseudonymised titles (pipeline.measure.timings).
    item_times: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Minutes files whose meeting (or one of whose meetings) was read from another file, by
    # doc_id: the runner records them in the documents table (pipeline.segment.same_meeting).
    copies: dict[str, SetAside] = field(default_factory=dict)
    # People the reading of a meeting added (named in its text, not on the board's roster), by
    # meeting_id in reading order: pseudonyms are numbered meeting by meeting, so that a meeting
    # added after the others renumbers no one (pipeline.pseudonymise.preprocess).
    introduced: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class SetAside:
    """A minutes file with a meeting that another file holds more completely."""

    whole: bool  # every meeting of the file is read from elsewhere: the file is a copy
    message: str


def segment(
    pages: pd.DataFrame,
    documents: pd.DataFrame,
    board: Board | None,
    cache: reuse.BlobStore | None = None,
) -> Segmented:
    """Read every usable minutes document into a meeting with attendance and units.

    With a ``cache``, the readings of the documents a run before read are taken from it
    (:mod:`pipeline.segment.reuse`): adding the next minutes reads only them."""
    usable = documents[documents["status"].isin(config.USABLE_STATUSES)]
    # Ingestion decided which documents are minutes (notes of a meeting included).
    is_minutes = usable["doc_type"] == "minutes"
    minutes = usable[is_minutes].sort_values(["meeting_date", "source"], na_position="last")
    corpus = att.board_roster(board, None)
    meeting_rows: list[dict[str, object]] = []
    attendance_rows: list[dict[str, object]] = []
    unit_rows: list[dict[str, object]] = []
    accounting_rows: list[dict[str, object]] = []
    used_ids: set[str] = set()
    by_doc = {str(k): g.sort_values("page") for k, g in pages.groupby("doc_id")}
    for doc in usable[~is_minutes].itertuples(index=False):
        doc_pages = by_doc.get(str(doc.doc_id))
        if doc_pages is not None:
            accounting_rows += accounting.not_minutes(doc, doc_pages)
    # Every meeting of every file is read first, so that a meeting published twice (a PDF and
    # its Word file, a draft and the approved minutes) is counted once, from its better copy.
    read_parts: list[tuple[int, dt.date | None, _Meeting, dict[str, str]]] = []
    added: list[list[str]] = []  # people each reading added to the corpus's roster
    readings: list[same_meeting.Reading] = []
    docs: list[tuple[tuple[str, str], pd.DataFrame]] = []
    keys = reuse.chain(minutes, by_doc, board) if cache is not None else []
    restored = reuse.restore(keys, cache) if cache is not None else None
    if restored is not None:
        corpus = restored.corpus
        for d, part_date, read, sources, reading, new in restored.parts:
            read_parts.append((d, part_date, read, sources))
            readings.append(reading)
            added.append(new)
    for d, doc in enumerate(minutes.itertuples(index=False)):
        doc_pages = by_doc.get(str(doc.doc_id), pages.iloc[0:0])
        where = (str(doc.doc_id), str(doc.source))
        if restored is not None and d < restored.n_docs:
            docs.append((where, doc_pages))
            continue
        doc_blocks = blocks(doc_pages)
        cell = getattr(doc, "body", None)
        body_name = "" if cell is None or pd.isna(cell) else str(cell)
        for part, part_date in meetings_in(doc_blocks, _as_date(doc.meeting_date)):
            before = len(corpus.people)
            read = _read_meeting(part, body_name, part_date, board, corpus)
            # Role sources as this meeting's reading left them: a later meeting may change them.
            sources = {e.name: corpus.people[e.name].role_source for e in read.entries}
            read_parts.append((len(docs), part_date, read, sources))
            # The roster only grows, so what this reading added is its last entries.
            added.append(list(itertools.islice(corpus.people, before, None)))
            readings.append(_reading(where, body_name, part_date, part, read))
        docs.append((where, doc_pages))
    if cache is not None:
        # Kept before the placing below marks the blocks of copies.
        parts = [
            (*part, reading, new)
            for part, reading, new in zip(read_parts, readings, added, strict=True)
        ]
        reuse.keep(keys, reuse.Kept(len(docs), parts, corpus), cache, restored)
    kept_from = same_meeting.copies(readings)
    placed: dict[int, list[Block]] = {}
    aside: dict[int, str] = {}
    introduced: dict[str, list[str]] = {}
    pending: list[str] = []  # added by a copy's reading: numbered with the next meeting kept
    staff = {k for k, p in corpus.people.items() if p.staff_by_post and p.role == "officer"}
    for i, (d, part_date, read, sources) in enumerate(read_parts):
        where = docs[d][0]
        placed.setdefault(d, [])
        pending += added[i]
        if i in kept_from:
            # The copy's words are counted, as read but not analysed, with why.
            note = same_meeting.message(readings[kept_from[i]])
            for b in read.blocks:
                b.place = "not_minutes"
            placed[d] += read.blocks
            aside[d] = f"{aside[d]}; {note}" if d in aside else note
            continue
        meeting_id = _meeting_id(part_date, where[0], used_ids)
        introduced[meeting_id], pending = pending, []
        _staff_posted_later(read, staff, sources)
        for e in read.entries:
            attendance_rows.append(
                {
                    "meeting_id": meeting_id,
                    "meeting_date": part_date,
                    "person_key": e.name,
                    "role": e.role,
                    "status": e.status,
                    "role_source": sources[e.name],
                }
            )
        meeting_rows.append(
            _meeting_row(meeting_id, part_date, where, read.entries, read.units, corpus)
        )
        unit_rows.extend(_unit_rows(meeting_id, part_date, where, read.units))
        placed[d] += read.blocks
    copies: dict[str, SetAside] = {}
    for d, (where, doc_pages) in enumerate(docs):
        accounting_rows += accounting.rows(where, placed.get(d, []), doc_pages, aside.get(d, ""))
        if d in aside:
            whole = all(i in kept_from for i, part in enumerate(read_parts) if part[0] == d)
            copies[where[0]] = SetAside(whole, aside[d])
    meetings = pd.DataFrame(meeting_rows, columns=MEETING_COLUMNS)
    return Segmented(
        meetings=meetings,
        attendance=pd.DataFrame(attendance_rows, columns=ATTENDANCE_COLUMNS),
        units=pd.DataFrame(unit_rows, columns=UNIT_COLUMNS),
        people=corpus.people,
        accounting=pd.DataFrame(accounting_rows, columns=accounting.COLUMNS),
        item_times=item_times(pages, documents, meetings, cache),
        copies=copies,
        introduced=introduced,
    )


def _reading(
    where: tuple[str, str],
    body_name: str,
    date: dt.date | None,
    part: list[Block],
    read: _Meeting,
) -> same_meeting.Reading:
    from pipeline.ingest.facts import file_dates  # as in meetings_in: ingest loads its readers

    return same_meeting.Reading(
        doc=where,
        body=body_name,
        date=date,
        heading=same_meeting.heading(part),
        n_unit_words=sum(len(u.text.split()) for u in read.units),
        listed=bool(read.entries),
        n_units=len(read.units),
        name_dates=tuple(file_dates(where[1])),
    )


def _elected_by_the_text(texts: list[str], entries: list[att.Entry], roster: Roster) -> None:
    """A listed lay member whom the minutes call a councillor ("our three SB Councillors (...,
    Hilda Lennox)") is an elected member, though the list gave no title."""
    for name in elected_in_text(texts):
        person = roster.resolve(name)
        if person is None or person.role not in config.LAY_ROLES:
            continue
        if person.role_source != "inferred":
            continue
        person.role = "member"
        for e in entries:
            if e.name == person.key and e.role in config.LAY_ROLES:
                e.role = "member"


def _staff_by_the_text(texts: list[str], entries: list[att.Entry], roster: Roster) -> None:
    """Someone a bare list of those present names, whom the minutes describe by a staff job
    title ("Terry Bush, Headteacher of the Harrowdale Virtual School, presented ..."), attends as an
    officer: council committees list their officers beside their members."""
    for name in staff_in_text(texts):
        person = roster.resolve(name)
        if person is None or person.role != "member" or person.role_source != "inferred":
            continue
        listed = [e for e in entries if e.name == person.key]
        if not listed or any(e.office or e.status != "present" for e in listed):
            continue
        person.role, person.staff_by_post = "officer", True
        for e in listed:
            e.role, e.status = "officer", "in_attendance"


def _staff_posted_later(read: _Meeting, staff: set[str], sources: dict[str, str]) -> None:
    """Someone a bare list of those present names at a meeting, whom the minutes of another
    meeting of the board describe by a staff job title, attends it as an officer too: their
    post is the board's fact, whichever meeting's minutes happened to state it. Done once every
    meeting is read, so that adding a meeting gives what reading them all afresh would."""
    moved: set[str] = set()
    for e in read.entries:
        if (
            e.name in staff
            and e.role == "member"
            and e.status == "present"
            and not e.office
            and sources.get(e.name) == "inferred"
        ):
            e.role, e.status = "officer", "in_attendance"
            moved.add(e.name)
    for u in read.units:
        if u.speaker in moved and u.speaker_role == "member":
            u.speaker_role = "officer"


def _posts_by_the_text(texts: list[str], roster: Roster) -> None:
    """A post the minutes introduce someone by ("welcomed ..., newly appointed Minister at
    ...") names them later ("The Minister said"); their role stays what it was."""
    for name, post in posts_in_text(texts):
        person = roster.resolve(name)
        if person is not None and person.key in roster.people:
            roster.add(Person(person.key, person.name, person.role, offices={post}))


@dataclass
class _Meeting:
    """One meeting read: its attendance, its units, and its blocks with where each went."""

    entries: list[att.Entry]
    units: list[Unit]
    blocks: list[Block]


def _read_meeting(
    doc_blocks: list[Block],
    body_name: str,
    date: dt.date | None,
    board: Board | None,
    corpus: Roster,
) -> _Meeting:
    """Attendance, speakers and units of one meeting's blocks."""
    lay = lay_body(body_name, doc_blocks)
    carved = att.carve(
        doc_blocks,
        lay_body=lay,
        body_words=_body_words(body_name, doc_blocks),
        title=f"{body_name} {_title(doc_blocks)}",
    )
    roster = att.board_roster(board, date)
    entries = att.register(carved.entries, corpus, roster, with_board=board is not None)
    _chair_of_meeting(carved.blocks, entries, roster)
    mark_titles(carved.blocks)
    body_blocks = [b for b in carved.blocks if b.place != "attendance"]
    texts = [b.text for b in body_blocks if not b.place]
    if entries and board is None:
        _elected_by_the_text(texts, entries, roster)
        _staff_by_the_text(texts, entries, roster)
    _posts_by_the_text(texts, roster)
    if not entries and board is None:
        for person in people_in_text(texts, corpus):
            roster.add(corpus.add(person))
    elif entries:
        # Listed people speak for the members; anyone else who presents or answers is an
        # officer or a guest (an officer unless the minutes describe them otherwise).
        for person in people_in_text(texts, Roster(), default_role="officer"):
            known = roster.resolve(person.name) or corpus.resolve(person.name)
            if known is None or (person.aliases and not police_rank(known.title)):
                # "Sgt Murray" is not the Derek Murray of the members' list (but "Inspector
                # Lloyd" is the Inspector Gareth Lloyd of it).
                roster.add(corpus.add(person))
    ctx = speakers.Context(
        roster,
        lay_body=lay,
        groups=speakers.group_roles(carved.groups),
        acronyms=speakers.acronyms(_title(doc_blocks)),
        offices=speakers.offices([(e.name, e.office) for e in entries]),
    )
    found = units([b for b in body_blocks if b.place != "heading"], ctx)
    return _Meeting(entries, found, carved.blocks)


# A title that opens another meeting's minutes: "Minutes of the Annual General Meeting held on
# 15 June 2021". A file may hold two meetings (an AGM and the ordinary meeting after it).
_OPENS_MEETING = re.compile(
    r"^\s*(?:(?:draft|approved|unconfirmed)\s+)?(?:minutes|notes)\s+(?:of|for)\b.{0,80}?"
    r"\b(?:meeting|agm)\b",
    re.IGNORECASE,
)


def meetings_in(
    doc_blocks: list[Block], date: dt.date | None
) -> list[tuple[list[Block], dt.date | None]]:
    """The meetings a document holds, each with its date: a new one starts where a block after
    the first opens minutes of a meeting on another date and an attendance list follows it."""
    from pipeline.ingest.facts import find_date

    cuts = [0]
    dates = [date]
    for i, b in enumerate(doc_blocks):
        if i < 3 or not _OPENS_MEETING.match(b.lines[0]):
            continue
        found = find_date(b.text)
        listed = any(att.is_list_start(x.lines[0]) for x in doc_blocks[i + 1 : i + 5])
        if found is not None and found != dates[-1] and listed:
            cuts.append(i)
            dates.append(found)
    parts = [doc_blocks[a:b] for a, b in zip(cuts, [*cuts[1:], len(doc_blocks)], strict=True)]
    return list(zip(parts, dates, strict=True))


# Bodies whose ordinary members are lay people by what the body is: residents, tenants,
# patients, a community council's elected residents. Members listed without a role phrase are
# then lay, as a careful coder would take them; on other boards they are members.
_LAY_BODY = re.compile(
    r"\bcommunity\s+council\b|\bresidents['’]?\s+(?:association|forum|group|committee)|"
    r"\btenants['’]?\s+(?:and\s+residents['’]?\s+)?(?:association|forum|group)|"
    r"\bpatient(?:s['’]?)?\s+(?:participation\s+)?(?:group|forum|panel|committee)|\bPPG\b",
    re.IGNORECASE,
)


def lay_body(name: str, doc_blocks: list[Block]) -> bool:
    """Whether the minutes are of a body whose members are lay (its name, or its title lines)."""
    title = " ".join(b.text for b in doc_blocks[:4])
    return bool(_LAY_BODY.search(name) or _LAY_BODY.search(title))


def _body_words(name: str, doc_blocks: list[Block]) -> frozenset[str]:
    """The proper nouns of the board's name and title lines: "Garelochhead", "Ayton"."""
    words = re.findall(r"[A-Z][a-z]{3,}", f"{name} {_title(doc_blocks)}")
    return frozenset(w for w in words if not is_given_name(w))


def _title(doc_blocks: list[Block]) -> str:
    """The minutes' title lines: the blocks before the first list or agenda item, of three."""
    lines = []
    for b in doc_blocks[:3]:
        if att.is_list_start(b.lines[0]) or is_item(b):
            break  # a list or the business begins: its words are people's, not the title's
        lines.append(b.text)
    return " ".join(lines)


def mark_titles(doc_blocks: list[Block]) -> None:
    """Place as headings the title lines that open the minutes (body, meeting, date, place):
    the blocks before the first agenda item or list that are not sentences."""
    for b in doc_blocks:
        if b.place == "attendance" or is_item(b) or is_section(b):
            return
        if b.place:
            continue
        sentence = b.text.rstrip().endswith((".", "?", "!")) and not _MEETING_LINE.search(b.text)
        if sentence or len(b.lines) > 4:
            return
        b.place = "heading"


_MEETING_LINE = re.compile(
    r"^\s*(?:minutes|notes|record)\s+of\b|\bmeeting\s+held\b|^\s*(?:date|time|venue|"
    r"location|place|held\s+(?:at|in|on|via))\b",
    re.IGNORECASE,
)


def _chair_of_meeting(body: list[Block], entries: list[att.Entry], roster: Roster) -> None:
    """ "The Meeting was Chaired by Kevin Corrance.": that person chairs this meeting."""
    for b in body[:40]:
        if b.place == "attendance":
            continue
        who = att.chaired_by(b.text)
        if who is None:
            continue
        person = roster.resolve(who)
        if person is None:
            continue
        roster.chair_key = person.key
        for e in entries:
            if e.name == person.key and e.status == "present":
                e.role = "chair"
        return
    acting = [e for e in entries if e.status == "present" and e.acting_chair]
    if acting:
        roster.chair_key = acting[0].name
        return
    # The one person listed present as chair chairs, whoever else the roster calls a chair;
    # of two ("Harriet Salt (Chair)", "Simon Wyndham, Acting ODUG Chair"), the one listed as
    # plain Chair, else the first listed.
    chairs = list(
        dict.fromkeys(e.name for e in entries if e.status == "present" and e.role == "chair")
    )
    plain = {
        e.name
        for e in entries
        if e.name in chairs and re.fullmatch(r"\W*chair(?:man|woman|person)?\W*", e.office, re.I)
    }
    if len(chairs) == 1 or (chairs and len(plain) != 1):
        roster.chair_key = chairs[0]
    elif chairs:
        roster.chair_key = plain.pop()


def _is_title(b: Block) -> bool:
    """A title line: the first lines of minutes, naming the body, the meeting and its date."""
    return len(b.lines) <= 2 and not b.text.rstrip().endswith((".", "?", "!"))


def _meeting_row(
    meeting_id: str,
    date: dt.date | None,
    doc: tuple[str, str],
    entries: list[att.Entry],
    us: list[Unit],
    corpus: Roster,
) -> dict[str, object]:
    """One meetings row; ``doc`` is the minutes' (doc_id, source)."""
    present = [e for e in entries if e.status == "present" and e.role != "officer"]
    # A lay body's chair is one of its lay members, whatever the roster calls the seat.
    lay = sum(
        1 for e in present if e.role in config.LAY_ROLES or (e.role == "chair" and e.lay_body)
    )
    # Without a list presence is unknown, not nobody: missing, so no mean or share counts it.
    listed = bool(entries)
    return {
        "meeting_id": meeting_id,
        "meeting_date": date,
        "year": date.year if date else None,
        "doc_id": doc[0],
        "source": doc[1],
        "members_present": len(present) if listed else None,
        "lay_present": lay if listed else None,
        "apologies": sum(1 for e in entries if e.status == "apologies"),
        "in_attendance": sum(
            1
            for e in entries
            if e.status == "in_attendance" or (e.status == "present" and e.role == "officer")
        ),
        "lay_standard_met": lay >= config.PRESENCE_STANDARD if listed else None,
        "has_attendance": listed,
        "n_items": len({u.item_no for u in us if u.item_no}),
        "n_units": len(us),
    }


def _unit_rows(
    meeting_id: str, date: dt.date | None, doc: tuple[str, str], us: list[Unit]
) -> list[dict[str, object]]:
    return [
        {
            "segment_id": f"{meeting_id}-{i:03d}",
            "meeting_id": meeting_id,
            "meeting_date": date,
            "doc_id": doc[0],
            "source": doc[1],
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
        for i, u in enumerate(us, start=1)
    ]


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
