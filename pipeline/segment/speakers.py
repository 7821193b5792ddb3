"""Speakers: whose contribution each unit reports, read as the coding manual and real minutes do.

In order, for each unit of a meeting:

1. An action names its owner, and the owner is its source: "Action: JS to circulate ...", "HP to
   draft ...", "[Landlord to find out ...]", "04-02 RB to update ...", a row of a Who/What/Status
   table, an entry of a table's action column.
2. The subject of a reporting verb: "Mr Kerrigan said", "Cllr. Pettigrew will chase", "Wylie
   asked" (a forename the attendance list makes unique), "PD asked" (initials the list gives or
   a name implies), "The Chair welcomed", "the Director of Housing explained", "The ERA
   reported" (a group of the attendance list, with its people's role), "A Member questioned",
   "Panel Members discussed" (members as a group: member, or lay on a lay body).
3. Where no one is named, a presenter goes on: "He added ..." and "She highlighted:" with its
   list; a presenter's report runs on under the item; an item titled for its presenter
   ("Police Scotland: Presented by Constable Grant Dawson", "Treasurer's Report", "c.
   Secretary", "Police Report") is that person's, or that role's.
4. The body itself, a resolution, "There was a discussion": nobody (``none``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.pseudonymise.people import Mention, Roster, name_key
from pipeline.segment.blocks import BULLET, SUB_ITEM
from pipeline.segment.namewords import is_ordinary

REPORTING = (
    r"(?:said|asked|reported|explained|noted|replied|responded|added|commented|stated|confirmed|"
    r"welcomed|thanked|presented|introduced|highlighted|raised|suggested|proposed|seconded|"
    r"advised|informed|updated|outlined|queried|expressed|emphasi[sz]ed|acknowledged|felt|"
    r"stressed|gave|described|clarified|summari[sz]ed|requested|pointed|spoke|told|urged|"
    r"questioned|challenged|praised|shared|agreed|undertook|offered|reminded|observed|indicated|"
    r"recommended|wished|drew|made|led|tabled|moved|assured|accepted|hoped|believed|considered|"
    r"warned|sought|invited|concluded|set|took|asks|says|reports|notes|explains|was\s+concerned|"
    r"would|will|had|has|was|is|wanted|wants|referred|recalled|argued|proposes|enquired|"
    r"supported|went\s+on|declared|brought|closed|opened|could\s+not|sent|read|discussed|"
    r"mentioned|contacted|circulated|chased|attended|met|spoken|emailed|cautioned|insisted|"
    r"admitted|conceded|maintained|announced|celebrated|queried|enquired|answered|provided|"
    r"reiterated|summarised|detailed|set\s+out|spoke|commended|congratulated|recognised|"
    r"['’]s\s+(?:concern|view|point|question|suggestion|report|proposal))"
)
_AFTER_NAME = re.compile(
    rf"(?:['’]s)?\s*(?:,[^,]{{1,80}},\s*|,\s*(?:[A-Z][\w&’'-]*\s+(?:(?:of|and|for|in|the|&)\s+)?)"
    rf"{{1,10}})?(?:\([^)]*\)\s*)?"
    # "Stuart Salter and Mark Lamb from Clyde Shellfish Company joined the meeting and
    # presented": guests who join for an item and present it.
    rf"(?:and\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?\s+)?"
    rf"(?:from\s+(?:the\s+)?(?:[A-Z][\w&’'-]*\s+(?:(?:of|and|for|&)\s+)?){{1,8}})?"
    rf"(?:joined\s+the\s+meeting\s+and\s+)?"
    rf"(?:also\s+|then\s+|further\s+|"
    rf"briefly\s+|again\s+|both\s+|kindly\s+)?{REPORTING}\b",
    re.IGNORECASE,
)
PRESENTING = re.compile(
    r"\b(?:presented|introduced|reported|gave|outlined|updated|took\s+the\s+\w+\s+through|"
    r"talked|explained|brought|highlighted|summari[sz]ed|provided)\b"
    # "MB had provided apologies": absent, presenting nothing.
    r"(?!\s+(?:(?:his|her|their)\s+)?apologies\b)",
    re.IGNORECASE,
)
PRONOUN_START = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*[.)]?\s+|[a-z][.)]\s+|\([a-z]{1,3}\)\s+)?(?:he|she|they)\b", re.IGNORECASE
)
OTHER_SUBJECT = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*[.)]?\s+|[a-z][.)]\s+|\([a-z]{1,3}\)\s+)?(?:the\s+(?:board|committee|group|"
    r"forum|minutes|meeting|partnership|panel|council|next\s+meeting|date)|(?:board|committee|"
    r"group|panel|forum|partnership)\s+(?!members?\b)(?=[a-z]+ed\b)|trustees|it\s+was|resolved|"
    r"agreed|there\s+(?:was|were)|a\s+discussion|discussion|(?-i:[Nn]o\s+|[Nn]one\b)|"
    # "Further to questions raised by Members, it was noted:": the body notes it.
    r"(?:further\s+to|following|in\s+response\s+to|after)\b[^.:]{0,100}?,?\s+it\s+was\s+"
    r"(?:noted|agreed|resolved|confirmed|said|explained|reported|stated)\b|"
    r"refer\s+to\b|see\s+(?:item|minute|attached)\b|not\s+present\b|"
    # "The following points were made in discussion:", "In discussion, the following points
    # were made:": the discussion's points, whoever presented before them, are nobody's.
    r"(?:in\s+(?:the\s+)?discussion,?\s+)?the\s+following\s+(?:\w+\s+)?(?:points|comments|"
    r"issues|questions|observations)\s+were\s+(?:made|raised|noted|discussed)\b|"
    r"in\s+(?:the\s+)?discussion,?\s+it\s+was\b|"
    r"declarations?\s+of\s+interests?\b|correspondence\b|"
    r"this\s+concluded|(?-i:[A-Z][a-z]+day\s+\d))",
    re.IGNORECASE,
)
# Members as a group: "A Member questioned", "Members raised", "Panel Members discussed".
_MEMBERS = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*[.)]?\s+|[a-z][.)]\s+|\([a-z]{1,3}\)\s+)?(?:[•\-]\s*)?"
    r"(?:a|the|some|several|all|other|many)?\s*"
    r"(?:(?:panel|committee|board|council|group|cabinet|forum|[A-Z]{2,5})\s+)?members?\b"
    r"(?!\s+of\s+the\s+public)",
    re.IGNORECASE,
)
PROPOSED = re.compile(r"\s*(?:proposed|moved)(?:\s+by)?\s*[:\-–]?\s*", re.IGNORECASE)
# Actions: a prefix, a reference number, then the owner and "to <verb>".
ACTION_PREFIX = re.compile(r"^\s*(?:\d+(?:\.\d+)*\s+)?\[?\s*actions?\s*[:\-–]\s*", re.IGNORECASE)
_REFERENCE = re.compile(r"^\s*\[?\s*(?:\d{1,2}[-–.,]\d{1,2}\s*[-–]?\s*|\d{1,2}\.\d{1,2}\s+)")
OWNER_TO = re.compile(
    r"^(?P<owner>(?:[A-Z][\w’'.\-/]*,?|&|/|,|and|the)(?:\s+(?:[A-Z][\w’'.\-/]*,?|&|/|,|and|the))*?)"
    r"\s+(?:to|will)\s+(?=[a-z])"
)
# Item titles that say whose report the item is.
_REPORT_OF = re.compile(
    r"(?:presented|introduced|given|reported)\s+by\s+(?P<by>.+)$|"
    r"^(?:(?:an?\s+)?update|(?:a\s+)?report)\s+from\s+(?:the\s+)?(?P<from>.+)$|"
    r"^(?:(?:area|ward|local|elected|the)\s+)?(?P<office>chair(?:man|person)?|convenor|"
    r"secretary|treasurer|clerk|vice[\s-]chair|chief\s+officer|councillors?|cllrs?)['’]?s?\s*"
    r"(?:['’]s?\s*)?(?:(?:welcome|introduction)\s+(?:and|&)\s+)?(?:report|update|updates)?\s*$|"
    r"^(?P<police>police\b.*|.*\(police\).*|.*\bpolice\s+report)$",
    re.IGNORECASE,
)


@dataclass
class Context:
    """What a meeting's attendance tells the speaker finder."""

    roster: Roster
    lay_body: bool = False
    # Organisations whose people attend, by name and acronym ("Portal", "ERA"), with the role
    # their people have: "The ERA reported" is the residents' association speaking (lay).
    groups: dict[str, str] = field(default_factory=dict)
    # The board's own short names from its title ("ODUG" for an Open Data User Group).
    acronyms: frozenset[str] = frozenset()
    # Offices held at the meeting ("secretary" -> the person key of the Secretary).
    offices: dict[str, str] = field(default_factory=dict)


@dataclass
class Said:
    """Who a unit's words are attributed to: a person (key) or only a role."""

    key: str = ""
    role: str = "none"


def forename_mentions(text: str, roster: Roster) -> list[Mention]:
    """Forenames that name one person of the roster: "Wylie asked", "Carol reported".

    A forename counts when no one else on the roster has it as a forename or surname, and it is
    not an ordinary word ("Will", "May" are not read as names here).
    """
    names: dict[str, list[str]] = {}
    surnames = {p.surname for p in roster.people.values()}
    for p in roster.people.values():
        if len(p.forenames) >= 1 and len(p.forenames[0]) > 2:
            names.setdefault(p.forenames[0], []).append(p.key)
    out = []
    for first, keys in names.items():
        if len(set(keys)) != 1 or first in surnames or is_ordinary(first):
            continue
        # Not part of another person's full name: "Melissa Stuart", "Stuart Salter".
        pattern = (
            rf"(?<![\w’'])(?<![A-Z][a-z]\s)(?<![A-Z][a-z]{{2}}\s)({re.escape(first)})"
            rf"(?![\w’'])(?!\s+[A-Z][a-z])"
        )
        for m in re.finditer(pattern, text):
            before = text[: m.start()].split()
            if (
                before
                and before[-1][:1].isupper()
                and before[-1].isalpha()
                and not before[-1].isupper()
            ):
                continue
            out.append(Mention(m.start(), m.end(), keys[0], "forename"))
    # "Carol reported" for Carole: a shortened forename that only one person's begins with.
    taken = {(m.start, m.end) for m in out}
    for m in re.finditer(
        r"(?<![\w’'])([A-Z][a-z]{3,})(?=\s+(?:reported|said|asked|confirmed|"
        r"advised|stated|agreed|noted|explained|suggested|raised|offered))",
        text,
    ):
        word = m.group(1)
        hits = {
            k
            for first, keys in names.items()
            if first != word and first.startswith(word)
            for k in keys
        }
        if len(hits) == 1 and (m.start(), m.end()) not in taken and word not in names:
            out.append(Mention(m.start(), m.end(), hits.pop(), "forename"))
    return out


def mentions(text: str, ctx: Context) -> list[Mention]:
    """Roster mentions and unique forenames, in order, without overlaps."""
    found = ctx.roster.mentions(text)
    for m in forename_mentions(text, ctx.roster):
        if not any(x.start < m.end and m.start < x.end for x in found):
            found.append(m)
    return sorted(found, key=lambda m: m.start)


# Who came, went or sent apologies: the minutes record attendance, nobody contributes.
_ATTENDING = re.compile(
    r"^\W*(?:\d+(?:\.\d+)*[.)]?\s+)?apologies\b|"
    r"^[^.]{0,160}?\b(?:was|were)\s+(?:in\s+attendance|present|absent)|^[^.]{0,120}?\b(?:joined|"
    r"left|arrived|attended)\s+(?:the\s+meeting|virtually|remotely|online|at)\b"
    r"(?![^.]*\band\s+(?:presented|gave|outlined|introduced|explained|spoke|talked|updated))|"
    r"^[^.]{0,60}?\b(?:had\s+)?(?:provided|sent|given|tendered|offered)\s+(?:his\s+|her\s+|"
    r"their\s+)?apologies\b",
    re.IGNORECASE,
)


_WEAK_VERB = re.compile(r"\s*(?:is|was|has|had|would|will|could\s+not)\b", re.IGNORECASE)
# "The PSNC meeting report was considered": an organisation's acronym before a noun is not its
# representative speaking ("The Chair recently met ..." is the chair).
_ACRONYM_BEFORE_NOUN = re.compile(r"(?i:the)\s+[A-Z]{2,}\s+[a-z]")
APOLOGISED = re.compile(
    r"\s*(?:had\s+|has\s+)?(?:sent|given|provided|offered|tendered|submitted)\s+"
    r"(?:(?:his|her|their)\s+)?apologies\b",
    re.IGNORECASE,
)
_UNIT_START = re.compile(
    r"\W*(?:\d+(?:\.\d+)*[.)]?\s+|[a-z][.)]\s+|\([a-z]{1,3}\)\s+)?(?:[•\-]\s*)?"
    r"(?:the\s+|action\s*:\s*|[A-Z][\w ’'&/()]{0,40}(?:\s[-–]\s|:\s*))?",
    re.IGNORECASE,
)


_POSSESSIVE_OBJECT = re.compile(
    r"(?:referring(?:\s+back)?\s+to|following(?:\s+up)?|further\s+to|in\s+response\s+to|"
    r"at|on|to|for|about|with|of|by)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def subject(text: str, ctx: Context, found: list[Mention]) -> Said | None:
    """The person or group a reporting verb is said of."""
    if _ATTENDING.match(text) and len(text.split()) <= 25:
        return None
    if PROPOSED.match(text) and found:
        return said_by(found[0], ctx)  # "Proposed: Cllr. X  Seconded: Cllr. Y" is the proposer's
    by = re.search(r"\bproposed\s+by\s+", text, re.IGNORECASE)
    if by is not None:
        # "The minutes were approved. Proposed by PP and seconded by RW.": the proposer moves it.
        later = [m for m in found if m.start >= by.end()]
        if later and later[0].start - by.end() < 3:
            return said_by(later[0], ctx)
    for m in found:
        after = text[m.end : m.end + 100]
        if not _AFTER_NAME.match(after):
            continue
        if _WEAK_VERB.match(after) and not _UNIT_START.fullmatch(text[: m.start]):
            # "nearly everyone but JD is new", "... by email. JD will then pass them to the
            # manager": a state or a plan, said of someone inside a unit about something else.
            continue
        if APOLOGISED.match(after):
            continue  # "MB had sent apologies. ... Members commented": absent, not speaking
        if re.match(r"['’]s\s", after) and _POSSESSIVE_OBJECT.search(text[: m.start][-40:]):
            continue  # "Referring to X's point, Y reported": X's point is not X speaking
        return said_by(m, ctx)
    if found and not _ACRONYM_BEFORE_NOUN.match(text[found[0].start :]):
        lead = text[: found[0].start]
        if re.fullmatch(
            r"\s*(?:\d+(?:\.\d+)*[.)]?\s+|[a-z][.)]\s+|\([a-z]{1,3}\)\s+)?(?:[•\-]\s*)?"
            r"(?:in\s+(?:reply|response)[^,]*,\s*|following[^,]*,\s*|however,\s*|"
            r"furthermore,\s*|additionally,\s*|also,\s*)?",
            lead,
            re.IGNORECASE,
        ):
            return said_by(found[0], ctx)
    group = group_subject(text, ctx)
    if group is not None:
        return group
    if _MEMBERS.match(text) and re.search(rf"\bmembers?\b\s+(?:\w+\s+)?{REPORTING}\b", text, re.I):
        if re.search(
            r"\bmembers?\s+(?:\w+\s+)?(?:agreed|approved|resolved|decided|endorsed)\b", text, re.I
        ):
            return None  # "Group members agreed to ...": a decision of the body, nobody's
        return Said("", "lay" if ctx.lay_body else "member")
    return None


def opens_with_apologies(text: str, found: list[Mention]) -> bool:
    """ "MB had sent apologies. ...": the unit opens with someone named sending apologies (not
    "Carer 1 said that both representatives had sent apologies", which is Carer 1 speaking)."""
    if not found or not _UNIT_START.fullmatch(text[: found[0].start]):
        return False
    return APOLOGISED.match(text[found[0].end :]) is not None


def group_subject(text: str, ctx: Context) -> Said | None:
    """ "The ERA reported", "Portal confirmed": an organisation of the attendance list speaks."""
    for name, role in ctx.groups.items():
        m = re.match(
            rf"\s*(?:\d+(?:\.\d+)*[.)]?\s+|[a-z][.)]\s+|\([a-z]{{1,3}}\)\s+)?(?:[•\-]\s*)?"
            rf"(?:the\s+)?{re.escape(name)}\b",
            text,
            re.IGNORECASE,
        )
        if m and _AFTER_NAME.match(text[m.end() : m.end() + 100]):
            return Said("", role)
    return None


_BODY_VIEW = (
    r"\s+(?:members\s+)?(?:asked|suggested|requested|queried|questioned|commented|"
    r"(?:was|were)\s+(?:positive|supportive|keen|concerned))\b"
)


def body_view(text: str, ctx: Context) -> Said | None:
    """ "The Panel was positive about ...", "ODUG asked for ...": the board's members as one
    voice, asking or giving a view (not deciding, noting or welcoming: that is the body's
    record, nobody's)."""
    names = [
        r"the\s+(?:panel|board|group|committee|forum|partnership)",
        r"(?:(?:the\s+)?(?:panel|board|group|committee|forum)\s+)?members",
    ]
    names += [rf"(?-i:{re.escape(a)})" for a in ctx.acronyms]
    lead = SUB_ITEM.match(text)
    text = text[lead.end() :] if lead else text.removeprefix(BULLET)
    m = re.match(rf"\s*(?:{'|'.join(names)}){_BODY_VIEW}", text, re.IGNORECASE)
    if m is None:
        return None
    return Said("", "lay" if ctx.lay_body else "member")


def acronyms(title: str) -> frozenset[str]:
    """Short names a board's title gives it: the initials of each run of capitalised words
    ("Open Data User Group" -> "ODUG"), and acronyms it writes out ("(ODUG)")."""
    out = set(re.findall(r"\(([A-Z]{2,6})\)", title))
    # "EASTVALE PPG COMMITTEE", "Brookfield PPG Meeting": the short name before the noun.
    out |= {
        m.group(1)
        for m in re.finditer(
            r"\b([A-Z]{2,5})\s+(?i:committee|board|group|panel|forum|meeting)\b", title
        )
        if m.group(1) not in _NOT_SHORT_NAMES
    }
    title = _NOT_THE_NAME.sub("|", title)
    for run in re.findall(r"(?:[A-Z][a-z]+\s+){2,6}[A-Z][a-z]+", title):
        out.add("".join(w[0] for w in run.split()))
    return frozenset(out)


_NOT_SHORT_NAMES = frozenset(
    {"THE", "OF", "AND", "FOR", "OUR", "NEW", "FULL", "JOINT", "MAIN", "AGM", "ZOOM", "TEAMS"}
)
_BODY_RECORD = r"\s+(?:agreed|approved|resolved|decided|noted|concluded|endorsed|accepted)\b"


def body_record(text: str, ctx: Context) -> bool:
    """ "PPG agreed that ...", "ODUG noted ...": the board, by its short name, deciding or
    noting: its record, nobody's, as "The Committee agreed" is."""
    if not ctx.acronyms:
        return False
    names = "|".join(re.escape(a) for a in ctx.acronyms)
    return re.match(rf"\s*(?:the\s+)?(?:{names}){_BODY_RECORD}", text) is not None


_NOT_THE_NAME = re.compile(
    r"\b(?:Minutes|Meeting|Notes|Agenda|Draft|Record|Held|Annual|General|Extraordinary)\b"
)


def said_by(m: Mention, ctx: Context) -> Said:
    person = ctx.roster.people[m.key]
    chair = ctx.roster.chair()
    acting = chair is not None and chair.key == person.key
    return Said(person.key, "chair" if m.form == "chair" or acting else person.role)


def owner(text: str, cell: str, ctx: Context) -> Said | None:
    """The owner of an action: in its Who or Action cell, after "Action:", or before "to"."""
    if cell:
        found = mentions(cell, ctx)
        if found:
            return said_by(found[0], ctx)
        group = group_subject(cell + " said", ctx)
        if group is not None:
            return group
        if re.fullmatch(r"\s*(?:all|members|everyone|all\s+members)\s*", cell, re.I):
            return Said("", "lay" if ctx.lay_body else "member")
    body = ACTION_PREFIX.sub("", text, count=1)
    body = _REFERENCE.sub("", body.lstrip("[ "), count=1)
    if _ALL_TO.match(body):
        return Said("", "lay" if ctx.lay_body else "member")  # "all members to send comments"
    m = OWNER_TO.match(body)
    if m and _RECEIVES.match(body[m.end() :]):
        return None  # "KT to be sent the minutes": the one named receives, nobody commits
    head = m.group("owner") if m else body[:60]
    found = mentions(head, ctx)
    if found and (m or ACTION_PREFIX.match(text)):
        return said_by(found[0], ctx)
    if m:
        group = group_subject(m.group("owner") + " said", ctx)
        if group is not None:
            return group
        if re.fullmatch(
            r"(?:all|members|all\s+members|the\s+committee|committee)", m.group("owner"), re.I
        ):
            return Said("", "lay" if ctx.lay_body else "member")
    tail = re.search(r"\(([^()]{3,80})\)\.?\s*$", text)
    if tail is not None:
        # "Action: Confirm whether the plan is public (Olga Bramwell).": the owner closes it.
        found = mentions(tail.group(1), ctx)
        if found:
            return said_by(found[0], ctx)
    return None


_RECEIVES = re.compile(
    r"be\s+(?:given|sent|invited|copied|added|included|offered|informed|told|reimbursed|paid)\b"
)
_ALL_TO = re.compile(
    r"^(?:(?:all\s+)?(?:(?:the\s+)?(?:board|panel|committee|group)\s+)?members|all|everyone|"
    # Members acting together: "Working groups to meet", "the finance sub-committee to".
    r"(?:the\s+)?(?:\w+\s+)?(?:working\s+|task\s+|steering\s+)?(?:groups|sub-?committees?))"
    r"\s+(?:to|will|wishing\s+to\s+\w+\s+should)\s+[a-z]",
    re.IGNORECASE,
)


def is_action_line(text: str) -> bool:
    """An action line: "Action: X to ...", "[Landlord to find out ...]", "04-02 RB to ..."."""
    if ACTION_PREFIX.match(text):
        return True
    body = _REFERENCE.sub("", text.lstrip("[ "), count=1)
    m = OWNER_TO.match(body)
    return (m is not None and len(m.group("owner").split()) <= 6) or bool(_ALL_TO.match(body))


_PRESENTED_BY = re.compile(
    r"\b(?:presented|introduced|given)\s+by\s+(?P<by>[^.;]+)$", re.IGNORECASE
)


def presented_by(text: str, ctx: Context) -> Said | None:
    """A line that only says who presents ("Dee Kinross Report: Presented by Constable Ivor
    Mundell (MDP)"): the presenter of what follows."""
    m = _PRESENTED_BY.search(text)
    if m is None or len(text.split()) > 16:
        return None
    found = mentions(m.group("by"), ctx)
    return said_by(found[0], ctx) if found else None


def title_speaker(title: str, ctx: Context) -> Said | None:
    """Whose report an item is, from its title: "Presented by X", "Treasurer's Report", a
    group of the attendance list ("4. Report of activities / ERA"). A title built of parts
    ("Secretary's report / Correspondence") is read from its last part back."""
    t = SUB_ITEM.sub("", title, count=1).strip()
    for part in reversed([p.strip() for p in re.split(r"\s+/\s+", t) if p.strip()]):
        said = _part_speaker(part, ctx)
        if said is not None:
            return said
        if re.search(r"\b(?:report|update)s?$", part, re.IGNORECASE):
            # "Chief Officer's Report / Regional Representatives' Report": a report of its own,
            # by someone not named, is not the report before it.
            return None
    return None


def _part_speaker(part: str, ctx: Context) -> Said | None:
    for name, role in ctx.groups.items():
        if re.fullmatch(
            rf"(?:the\s+)?{re.escape(name)}(?:['’]s)?(?:\s+(?:report|update))?", part, re.I
        ):
            return Said("", role)
    short = _ACRONYM_UPDATE.fullmatch(part)
    if short is not None and short.group(1) not in ctx.acronyms:
        # "COTT Update", "CCG report": an organisation's own report to the board, given by its
        # official, unless the letters are someone's initials.
        found = mentions(short.group(1), ctx)
        return said_by(found[0], ctx) if found else Said("", "officer")
    m = _REPORT_OF.search(part)
    if m is None:
        return None
    if m.group("by") or m.group("from"):
        found = mentions(m.group("by") or m.group("from"), ctx)
        if found:
            return said_by(found[0], ctx)
        if re.search(r"\bpolice\b", part, re.I) or (
            m.group("from") and _OFFICIAL.search(m.group("from"))
        ):
            # "Update from Cabinet Office Relationship Manager": an official nobody lists.
            return Said("", "officer")
        return None
    if m.group("police"):
        return Said("", "officer")  # the police's report, whoever reads it out
    office = m.group("office").lower()
    if office.startswith(("councillor", "cllr", "ward")):
        return Said("", "member")
    if office.startswith(("chair", "convenor")):
        chair = ctx.roster.chair()
        return Said(chair.key, "chair") if chair is not None else Said("", "chair")
    key = ctx.offices.get(office.replace("-", " "))
    if key and key in ctx.roster.people:
        person = ctx.roster.people[key]
        return Said(key, person.role)
    seat = [x for x in ctx.roster.mentions(m.group("office")) if x.form == "office"]
    return said_by(seat[0], ctx) if seat else None


# "CCG Update", "HR&F Report" (an office's initials, "&" kept).
_ACRONYM_UPDATE = re.compile(
    r"(?i:the\s+)?([A-Z]{2,6}|[A-Z]{1,3}&[A-Z]{1,3})(?:['’]s)?\s+(?i:update|report)"
)
_OFFICIAL = re.compile(
    r"^(?!.*\b(?:members?|chair\w*|residents?|users?|carers?|patients?|forum|group|panel)\b).*"
    r"\b(?:manager|officer|director|lead|team|secretariat|department|office|ministry|agency|"
    r"council|service|trust|commissioners?)\b",
    re.IGNORECASE,
)
_UPDATE_FROM = re.compile(
    r"(?:^|[.!?]\s+)(?:an?\s+|the\s+)?(?:\w+\s+)?(?:update|report|briefing|presentation)\s+from\s+"
    r"(?:the\s+)?(?P<who>[^.:;]{2,60}?)\s+(?:highlighted|included|covered|noted|set\s+out|"
    r"outlined|said|stated)\b[^.!?]*:?\s*$",
    re.IGNORECASE,
)
_POLICE = re.compile(r"\b(?:police|sergeant|sgt|constable|inspector|pcso|officers?)\b", re.I)


def update_from(text: str, ctx: Context) -> Said | None:
    """Whose points a list's lead-in gives: "A briefing from the Neighbourhood
    Inspector covered:" (the inspector's, though someone else read it out), or None."""
    m = _UPDATE_FROM.search(text)
    if m is None:
        return None
    found = mentions(m.group("who"), ctx)
    if found:
        return said_by(found[0], ctx)
    return Said("", "officer") if _POLICE.search(m.group("who")) else None


def offices(held: list[tuple[str, str]]) -> dict[str, str]:
    """ "secretary" -> the person this meeting's lists give as Secretary, from (person key,
    description) pairs, for the offices held by one person there."""
    out: dict[str, list[str]] = {}
    for key, office in held:
        if re.search(r"\b(?:former|ex|past|previous|outgoing)\b", office, re.IGNORECASE):
            continue
        for word in ("secretary", "treasurer", "clerk", "vice chair", "chief officer"):
            if re.search(rf"\b{word}\b", office.replace("-", " "), re.IGNORECASE):
                out.setdefault(word, []).append(key)
    return {k: v[0] for k, v in out.items() if len(set(v)) == 1}


def group_roles(groups: dict[str, str]) -> dict[str, str]:
    """Each group by its name and its acronym in brackets ("Eddington Residents' Association
    (ERA)" -> "ERA"), and by its first part ("Portal / University of Cambridge" -> "Portal")."""
    out: dict[str, str] = {}
    for label, role in groups.items():
        for acronym in re.findall(r"\(([A-Z]{2,6})\)", label):
            out[acronym] = role
        name = re.sub(r"\([^)]*\)", "", label).strip()
        first = re.split(r"\s*[/,–-]\s*", name)[0].strip()
        for form in {name, first}:
            if form and len(form) > 2 and name_key(form):
                out[form] = role
    return out


def starts_list_item(text: str) -> bool:
    return text.startswith(BULLET) or SUB_ITEM.match(text) is not None
