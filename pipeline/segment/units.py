"""Units of the minutes body, as the coding manual defines them, with items and speakers.

A unit is one speaker turn or block of related sentences under an agenda item: wrapped lines
joined, a list kept with its lead-in, "Proposed: ... Seconded: ..." one unit of its own. A row of
an ``Item | Discussion | Action`` table is a unit too: its Item cell starts a new item, its Action
cell names whom the action is for.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from pipeline.core import items as agenda_items
from pipeline.core import vocab
from pipeline.segment import speakers, tables
from pipeline.segment.blocks import (
    ATT_HEAD,
    BULLET,
    ITEM,
    SUB_ITEM,
    Block,
    is_heading,
    is_item,
    is_reference,
    is_section,
)
from pipeline.segment.times import strip_time

_SIGNATURE = re.compile(
    r"^\s*(?:signed|signature|chair(?:person)?\s*:|date\s*:|\.{5,}|_{5,})", re.IGNORECASE
)
# A page number left in the text: "7", "- 7 -", "Page 3 of 7", "3/7".
_PAGE_NUMBER = re.compile(
    r"[\W\d_]*|\s*(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?\s*", re.IGNORECASE
)
_ACTION_TAIL = re.compile(r"\bACTIONS?\s*[:\-–]\s*(?P<who>.{1,60})$")
# A presentation whose points follow as a list: "Clara Arnott presented to the group on ...".
_PRESENTS = re.compile(
    r"\b(?:presented|introduced|outlined|discussed|described|took\s+the\s+\w+\s+through|gave\s+(?:a|an)\s+"
    r"(?:\w+\s+)?(?:presentation|overview|update))\b",
    re.IGNORECASE,
)
# A lead-in announcing its list as things to do: "the following actions were agreed:", "a check
# list of actions for the switch-on:", "Next steps:". Not a review of earlier actions ("Status
# on actions agreed at the last meeting:"), whose points say what became of each.
_TASKS_LEAD_IN = re.compile(
    r"^(?!.*\b(?:status|progress|review\w*|update\w*|last\s+meeting|previous|completed)\b)"
    r".*\b(?:actions?(?!\s+plan)(?:\s+points?)?|next\s+steps|tasks|to-?do\s+list)\b[^.:]*:\s*$",
    re.IGNORECASE,
)
# A heading that is a list of things to do and nothing else: "Actions", "Next steps", "Actions
# for follow-up at next meeting"; not "Actions and minutes" (the last meeting's, approved).
_TASKS_HEADING = re.compile(
    r"^(?:agreed\s+|new\s+)?(?:actions?|next\s+steps|tasks|to-?do(?:\s+list)?)"
    r"(?:\s+(?:agreed|for\s+[\w\s-]+))?\s*$",
    re.IGNORECASE,
)
_ACTION_LOG = agenda_items.pattern(agenda_items.ACTION_LOG)


def _tasks_lead_in(text: str) -> bool:
    """Whether a unit's last line announces the list after it as things to do."""
    return bool(_TASKS_LEAD_IN.search(text.rstrip().rsplit("\n", 1)[-1]))


def _tasks_heading(title: str) -> bool:
    """A heading of things to do ("Next steps", "Actions for follow-up at next meeting"), not
    a log or a review of earlier ones ("Action log", "Actions from the last meeting")."""
    last = title.rsplit(" / ", 1)[-1].strip(" :")
    return bool(
        _TASKS_HEADING.match(last) and not _ACTION_LOG.search(last) and _tasks_lead_in(last + ":")
    )


_TABLE_HEAD = re.compile(r"^\|?\s*item\s*\|\s*discussion", re.IGNORECASE)
_EXISTENTIAL = re.compile(
    r"^\s*(?:[a-z][.)]|\([a-z]{1,3}\)|\d{1,2}(?:\.\d{1,2})*[.)]?|•)?\s*there\s+(?:was|were|is|are|"
    r"had\s+been|have\s+been|has\s+been)\b",
    re.IGNORECASE,
)
_DECISION = re.compile(
    # "RESOLVED", "Resolved: to approve ...", "resolved that": a decision; "the issues were
    # resolved in April" is not (hence the capitals kept case-sensitive).
    r"(?-i:\bRESOLVED\b)|^\s*(?:\d+(?:\.\d+)*\s+)?resolved\b|\bresolved\s+(?:that|to)\b|"
    r"\bDECISION\s*:|^\s*(?:\d+(?:\.\d+)*\s+)?"
    r"(?:it\s+was\s+)?agreed\b|\b(?:the\s+)?(?:board|committee|group|forum|trustees|members|"
    r"partnership)\s+(?:agreed|approved|endorsed|adopted|ratified|resolved|appointed)\b|"
    r"\bproposed\b.*\bseconded\b",
    re.IGNORECASE | re.DOTALL,
)


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
    action_cell: str = ""  # the Action or Who column of a table row: whom it is for
    in_action_column: bool = False  # an entry of a table's action column: an action itself
    owner_column: bool = False  # a row of a Who/What table: its owner is its source


def units(blocks: list[Block], ctx: speakers.Context) -> list[Unit]:
    """The units of the body ``blocks``, attributed to speakers (``ctx``: the meeting's roster).

    Each block is placed as it is read (``Block.place``): a unit, a heading, or furniture.
    """
    out: list[Unit] = []
    item_no, item_title = "", ""
    numbered = ""  # the title of the numbered item we are in
    roles: list[str] | None = None  # the current table's columns, from its header row
    todo = [b for b in blocks if not b.place]
    for k, b in enumerate(todo):
        turned = k > 0 and todo[k - 1].page != b.page  # b opens its page
        if any(tables.is_row(ln) for ln in b.lines) or _TABLE_HEAD.match(b.text):
            before = len(out)
            item_no, item_title, roles = _table(b, item_no, item_title, roles, out)
            numbered = item_title if item_no else numbered
            b.place = "unit" if len(out) > before else "heading"
            continue
        m = is_item(b)
        if m:
            # The time on a heading is the item's time (pipeline/measure/timings.py), not its title.
            item_no, item_title = m.group("no"), strip_time(" ".join(m.group("title").split()))
            numbered = item_title
            b.place = "heading"
            continue
        if is_section(b):
            item_no, item_title = "", b.text.rstrip(": ")
            numbered = ""
            b.place = "heading"
            continue
        if ATT_HEAD.match(b.lines[0]) and len(b.lines) == 1 and not b.text.endswith("."):
            b.place = "heading"
            continue
        after = todo[k + 1] if k + 1 < len(todo) else None
        if _sub_heading(b, after):
            item_title = SUB_ITEM.sub("", b.text, count=1).strip().rstrip(":")
            b.place = "heading"
            continue
        if _list_heading(b, after):
            # "Correspondence:" under "8c. Secretary's report": a part of the item, not a new one.
            item_title = f"{item_title} / {b.text.strip().rstrip(':')}".lstrip(" /")
            b.place = "heading"
            continue
        if is_heading(b) and is_reference(b):
            b.place = "heading"  # "(Item 4)" under the item's title
            continue
        if is_heading(b):
            # An unnumbered heading names what follows: the item itself where the minutes
            # number nothing, a part of the numbered item otherwise ("Chair's Report" under
            # "04 Officers' Reports").
            heading = " ".join(b.text.split()).rstrip(":")
            item_title = f"{numbered} / {heading}" if item_no and numbered else heading
            b.place = "heading"
            continue
        if _SIGNATURE.match(b.lines[0]) or _PAGE_NUMBER.fullmatch(b.text):
            b.place = "furniture"
            continue
        b.place = "unit"
        text = _join(b.lines)
        broken = _broken_at_page_end(out, b, item_no, item_title) if turned else None
        if broken is not None:
            broken.text += " " + text  # "... the stall at the fair at" / "Marsh Lane Hall."
            continue
        if out and out[-1].item_no == item_no and _carries_on(out[-1].text, b):
            out[-1].text += " " + text  # "... provided this update:" and the update itself
            continue
        bullet = b.lines[0].startswith(BULLET)
        if bullet and out and out[-1].item_no == item_no and _completes(out[-1].text, text):
            out[-1].text += "\n" + text  # a list that completes its lead-in sentence
            continue
        out.append(Unit(b.page, item_no, item_title, text))
    out = [replace(u, text=part) for u in out for part in entries(u.text)]
    attribute(out, ctx)
    return out


# An action log's reference: "09-06", "1-15", "11.3", "1,09" (a scan's comma for the point).
_REF = re.compile(r"(?<!\S)\d{1,2}([-–.,])\d{1,2}(?=\s)")
_NEXT_ACTION = re.compile(r"(?<=[.!?)])\s+(?=actions?\s*[:\-–]\s*\S)", re.IGNORECASE)
_CITES = re.compile(
    r"\b(?:items?|minutes?|para(?:graph)?s?|pages?|sections?|see|at|to|from|by|on|and)\s*$", re.I
)


def entries(text: str) -> list[str]:
    """The entries of a text that an action log's references open: "09-06 Rota to be
    circulated 09-07 Training day to be arranged" is two. A scan read across the columns gives
    a row's discussion and its action with one reference ("5.11 - returns missing 5.11 SC to
    chase"): two as well. Text that does not open with a reference is one entry."""
    if speakers.ACTION_PREFIX.match(text):
        # "Action: Report back (Panel Chair). Action: Proposal for ... (Tom Alden)."
        cuts = [0, *(m.start() for m in _NEXT_ACTION.finditer(text)), len(text)]
        return [text[a:b].strip() for a, b in itertools.pairwise(cuts) if text[a:b].strip()]
    first = _REF.match(text)
    if first is None:
        # "The log was gone through. 3-04 The hedge ...": a log's entries after a lead-in.
        later = next(
            (
                m
                for m in _REF.finditer(text)
                if re.search(r"[.!?]\s+$", text[: m.start()])
                and not _CITES.search(text[: m.start()])
                and re.match(r"\s+(?:[-–—]\s+\S|[A-Z])", text[m.end() :])
            ),
            None,
        )
        if later is None:
            return [text]
        return [text[: later.start()].strip(), *entries(text[later.start() :])]
    dash = first.group(1) in "-–"
    cuts = [0]
    for m in _REF.finditer(text, first.end()):
        if (m.group(1) in "-–") != dash or _CITES.search(text[: m.start()]):
            continue
        if re.match(r"\s+(?:[-–—]\s+\S|[A-Z])", text[m.end() :]):
            cuts.append(m.start())
    cuts.append(len(text))
    return [text[a:b].strip() for a, b in itertools.pairwise(cuts) if text[a:b].strip()]


def _broken_at_page_end(out: list[Unit], b: Block, item_no: str, title: str) -> Unit | None:
    """The unit a page's first paragraph finishes: the last of the page before, under the same
    item, that stops mid-sentence ("... offered to run the stall at"). A table's
    action entries stand beside its discussion, so the discussion may be a few units back."""
    if b.lines[0].startswith(BULLET) or SUB_ITEM.match(b.lines[0]):
        return None
    for u in reversed(out):
        if u.page >= b.page or (u.item_no, u.item_title) != (item_no, title):
            return None
        if u.in_action_column or _REF.match(u.text):
            continue
        # A sentence never ends on a comma or a word in lower case ("in", "the", "management,");
        # initials or a figure at the end may be a margin's owner or a total.
        last = u.text.rstrip().rsplit(None, 1)[-1]
        midway = last.endswith(",") or (last.isalpha() and last.islower())
        return u if midway and "\n" not in u.text else None
    return None


def _carries_on(lead: str, b: Block) -> bool:
    """A paragraph that completes a unit ending in a colon: not a list item, not numbered."""
    return (
        lead.rstrip().endswith(":")
        and "\n" not in lead
        and not b.lines[0].startswith(BULLET)
        and not SUB_ITEM.match(b.lines[0])
        and b.lines[0][:1].isalpha()
    )


def _list_heading(b: Block, after: Block | None) -> bool:
    """ "ERA:" or "Portal:" above a list: a short heading naming whose the list is."""
    text = b.text.strip()
    return (
        len(b.lines) == 1
        and text.endswith(":")
        and len(text.split()) <= 3
        and after is not None
        and speakers.starts_list_item(after.lines[0])
    )


def _sub_heading(b: Block, after: Block | None) -> bool:
    """ "a. Review of actions from last minutes" above its text: a heading. Alone, with another
    sub-item or item next, it is a one-line record ("b. Apologies for absence"): a unit."""
    if len(b.lines) != 1 or not SUB_ITEM.match(b.lines[0]):
        return False
    text = SUB_ITEM.sub("", b.lines[0], count=1).strip()
    if len(text.split()) > 12 or text.endswith((".", ";", ",")) or not text[:1].isupper():
        return False
    if text.endswith(":") and len(text.split()) > 6:
        return False  # "2. Further to questions from Members it was noted:": a lead-in
    # "b. Apologies (as listed)", "c. Declarations of Interest – none recorded": a
    # record in heading form, not a heading.
    return not re.search(r"(?:\s[–—-]\s*|:\s*|\()(?:[a-z]|none|nil|n/a|no\b)", text)


# A list item that completes its lead-in is a fragment: no full stop of its own, not long.
_FRAGMENT_WORDS = 25


def _completes(lead: str, item: str) -> bool:
    """Whether a bullet belongs with the unit before it: the lead-in sentence ends with a colon
    and the items are fragments of it, not statements of their own ("concerns: • night cover
    at weekends", not "• all smoke alarms should be tested before winter.")."""
    lines = lead.split("\n")
    body = item.removeprefix(BULLET).strip()
    fragment = (
        len(body.split()) <= _FRAGMENT_WORDS
        and not body.endswith((".", "!", "?"))
        and not re.search(r"[.!?]\s", body)
    ) or (
        # "the ambition was:" / "• To release all datasets.": an infinitive completes it.
        bool(re.match(r"To [a-z]+\b", body)) and not re.search(r"[.!?]\s", body)
    )
    if len(lines) > 1 and lines[-1].startswith(BULLET):
        # The list was joined at its first item: the rest of it follows, up to a bullet that
        # is a statement of its own ("• The lunch club has been running for 3 years."); the
        # last item of a list punctuated as one sentence ("...;" / "- an annual report.")
        # still belongs.
        run_on = lines[-1].rstrip().endswith((";", ",", " and", " or"))
        return fragment or (run_on and len(body.split()) <= _FRAGMENT_WORDS)
    return fragment and lines[-1].rstrip().endswith(":")


def _table(
    b: Block, item_no: str, item_title: str, roles: list[str] | None, out: list[Unit]
) -> tuple[str, str, list[str] | None]:
    """The rows of a table block as units; returns the item and columns the table leaves."""
    rows: list[list[str]] = []
    for line in b.lines:
        if not tables.is_row(line) and not _TABLE_HEAD.match(line):
            if rows:
                rows[-1][-1] += " " + line  # a cell's wrapped line outside the bars
            else:
                rows.append(["", line])
            continue
        row = tables.cells(line)
        found = tables.header(row)
        if found is not None:
            roles = found
            continue
        row = tables.fill_left(row, roles)
        if rows and (tables.continues(row, rows[-1]) or _unowned(row, roles)):
            rows[-1] = tables.merge(rows[-1], row)
        else:
            rows.append(row)
    if tables.is_agenda([tables.read(row, roles) for row in rows]):
        return item_no, item_title, roles  # the agenda set out as a table: headings, no units
    last_owner = ""
    for row in rows:
        r = tables.read(row, roles)
        if roles is not None and "owner" in roles:
            # The Who cell spans the rows below it until the next name.
            r.owner = r.owner or last_owner
            last_owner = r.owner
        if r.item:
            m = ITEM.match(r.item)
            if m:
                item_no, item_title = m.group("no"), strip_time(" ".join(m.group("title").split()))
            elif re.fullmatch(r"\d{1,3}[.)]?", r.item):
                item_no = r.item.rstrip(".)")
                if _titles_item(r):
                    # "05 | Finance": the item's title beside its number, not a record of it.
                    item_title, r.text = strip_time(r.text[0]), []
            else:
                item_title = r.item
        action, owner = r.action, r.owner
        if action and tables.owner_only(action):
            owner, action = owner or action, ""
        text = " ".join(r.text)
        lead, text = tables.split_lead(text) if text else ("", "")
        if lead and (not r.item or re.fullmatch(r"\d{1,3}[.)]?", r.item)):
            item_title = lead  # "04 | Finance; The accounts ...": a number's title leads its text
        if text and r.status:
            text = f"{text} {r.status}"
        for part in _paragraphs(text):
            out.append(
                Unit(
                    b.page,
                    item_no,
                    item_title,
                    part,
                    action_cell=owner,
                    owner_column=bool(r.owner) and not r.action,
                )
            )
        for one in [a.strip() for a in action.split("; ") if a.strip()]:
            out.append(
                Unit(b.page, item_no, item_title, one, action_cell=owner, in_action_column=True)
            )
    return item_no, item_title, roles


def _paragraphs(text: str) -> list[str]:
    """A table cell's paragraphs: its deliberate line breaks ("; ") after a full sentence,
    before another. Breaks inside a sentence (a list of names, "three aims: ; Bins ...") stay."""
    if not text:
        return []
    parts = re.split(r"(?<=[.!?]);\s+(?=[A-Z0-9£])", text)
    return [p.strip() for p in parts if p.strip()]


def _titles_item(r: tables.Row) -> bool:
    """A numbered row whose only words are a few, with no sentence: the item's title."""
    if len(r.text) != 1 or r.action or r.owner or r.status:
        return False
    text = r.text[0]
    return len(text.split()) <= 8 and text[:1].isupper() and not re.search(r"[.!?;]", text)


def _unowned(row: list[str], roles: list[str] | None) -> bool:
    """A row of a Who / What table with neither an item nor a name: the lines of the entry
    above it, as a PDF breaks a tall cell into rows ("| | required (subject to | of local")."""
    if roles is None or "owner" not in roles:
        return False
    r = tables.read(row, roles)
    return not r.item and not r.owner


def _join(lines: list[str]) -> str:
    """Lines of a block as one paragraph; list items keep their own lines."""
    out: list[str] = []
    for ln in lines:
        if ln.startswith(BULLET) or not out:
            out.append(ln)
        elif out[-1].endswith("-") and out[-1][-2:-1].isalpha() and ln[:1].islower():
            out[-1] = out[-1][:-1] + ln  # a word hyphenated at the line end
        else:
            out[-1] += " " + ln
    return "\n".join(out)


def attribute(us: list[Unit], ctx: speakers.Context) -> None:
    """Speakers, actions and decisions of a meeting's units, in order (:mod:`.speakers`)."""
    item: tuple[str, str] | None = None
    titled: speakers.Said | None = None  # whose report the item is, by its title
    open_list: speakers.Said | None = None  # "She set out the main points:" and its list
    opener = items = ""  # the kinds of number the list's opener and its points bear
    previous: Unit | None = None
    tasks = False  # inside a list its lead-in announces as things to do
    for u in us:
        if (u.item_no, u.item_title) != item:
            item = (u.item_no, u.item_title)
            titled = speakers.title_speaker(u.item_title, ctx)
            open_list = None
            previous = None
            tasks = _tasks_heading(u.item_title)
        tasks = tasks and speakers.starts_list_item(u.text)
        marker = _marker(u.text)
        if open_list is not None and opener and marker == opener and items not in ("", opener):
            open_list = None  # "2." after "1. ... highlighted:" and its "a.", "b.": a new point
        elif open_list is not None and not items:
            items = marker  # how the list's points are numbered ("5.3" after "5.2" runs on)
        introduces = speakers.presented_by(u.text, ctx)
        if introduces is not None:
            titled = introduces
        said = _attribute(u, previous, titled, open_list, ctx)
        if tasks and not u.is_action:
            # "a check list of actions ...:" then its points: each point is a task to do, as a
            # row of an action table is, whoever the minutes name in it.
            u.is_action = True
        if u.text.rstrip().endswith(":"):
            tasks = _tasks_lead_in(u.text)
        if said is not None and said.role == "chair" and _own_interest(u, said, ctx):
            # "KK declared that his new post may create a conflict of interest": the chair
            # declaring an interest of their own is not acting as chair.
            said = speakers.Said(said.key, "lay" if ctx.lay_body else "member")
        if said is not None:
            u.speaker, u.speaker_role = said.key, said.role
        if said is not None and (
            u.text.rstrip().endswith(":") or _PRESENTS.search(u.text.split("\n")[0])
        ):
            # "She set out the main points:", "Clara Arnott presented ...": the points
            # listed after it are the presenter's, until the list ends; "A briefing from the
            # Neighbourhood Inspector covered:" gives them to whoever the update is from.
            open_list = speakers.update_from(u.text, ctx) or said
            opener, items = _marker(u.text), ""
        elif u.text.rstrip().endswith(":") or not speakers.starts_list_item(u.text):
            # A lead-in by nobody ("2. Further to questions it was noted:") opens a list of
            # nobody's; anything but a list item closes one.
            open_list = None
        elif u.is_decision:
            open_list = None
        previous = u


_SENTENCE_START = vocab.SENTENCE_BREAK


def _opening_speaker(
    sentence: str, ctx: speakers.Context, *, groups: bool = False
) -> speakers.Said | None:
    """The speaker a sentence opens with ("MV confirmed ..."; with ``groups``, also "Portal was
    positive ..."), or None, as for a sentence the body opens ("It was agreed ...")."""
    if speakers.OTHER_SUBJECT.match(sentence):
        return None
    found = [x for x in speakers.mentions(sentence, ctx) if x.start == 0]
    if found:
        return speakers.subject(sentence, ctx, found)
    if not groups:
        return None
    return speakers.group_subject(sentence, ctx) or speakers.body_view(sentence, ctx)


def _closing_commitment(text: str, ctx: speakers.Context) -> speakers.Said | None:
    """The person a paragraph's last sentence commits ("... OB and TR to reply."),
    when the paragraph has more than that sentence; None otherwise."""
    sentences = [p for p in _SENTENCE_START.split(text.strip()) if p.strip()]
    m = speakers.OWNER_TO.match(sentences[-1]) if len(sentences) > 1 else None
    if m is None or not sentences[-1][len(m.group("owner")) :].lstrip().startswith("to "):
        return None  # "JD will then pass them on" tells what will happen, not who is charged
    owner = speakers.owner(sentences[-1], "", ctx)
    return owner if owner is not None and owner.key else None


def _later_subject(text: str, ctx: speakers.Context) -> speakers.Said | None:
    """The speaker of the first later sentence or clause that opens with one, or None ("The
    group asked about the website's future, OB said that ..." is OB's answer)."""
    for m in _CLAUSE_START.finditer(text):
        rest = text[m.end() :]
        said = _opening_speaker(rest, ctx, groups=True)
        named = [x for x in speakers.mentions(rest, ctx) if x.start == 0]
        if said is not None and named and _DOING.match(rest[named[0].end :]):
            continue  # "No risks were found. SC is reviewing ...": what SC is doing, not said
        if said is not None:
            return said
    return None


# A person's activity reported by the minutes: "SC is currently reviewing the register".
_DOING = re.compile(r"\s+(?:is|are)\s+(?:\w+ly\s+)?\w+ing\b")


_CLAUSE_START = re.compile(vocab.SENTENCE_BREAK.pattern + r"|(?<=,)\s+(?=[A-Z][\w’'-]*\s+[a-z])")


_ASKS = re.compile(r"\b(?:asked|queried|enquired|inquired|questioned|wondered)\b", re.I)
_ASKED = re.compile(r"\b(?:asked|invited|requested)\b", re.IGNORECASE)


def _answer(
    text: str, ctx: speakers.Context, chair: speakers.Said, share: float = 1.0
) -> speakers.Said | None:
    """Who the unit mainly reports when the chair (or whoever opens it) speaks first and others
    answer: each later sentence goes to the speaker it names (a pronoun to the one the chair
    asked, or to the one before), the rest run on; the speaker with the most words other than
    the chair, if they have more than ``share`` times the chair's, else None."""
    words: dict[str, int] = {}
    who: dict[str, speakers.Said] = {}
    current, asked_of = chair, None
    starts = [0, *(m.end() for m in _SENTENCE_START.finditer(text)), len(text)]
    for a, b in itertools.pairwise(starts):
        sentence = text[a:b]
        if a > 0:
            if speakers.PRONOUN_START.match(sentence):
                current = asked_of or current
            else:
                current = _opening_speaker(sentence, ctx) or current
        asked = _ASKED.search(sentence)
        named = speakers.mentions(sentence[asked.end() :], ctx) if asked else []
        named = [x for x in named if x.key != chair.key and x.form != "chair"]
        asked_of = speakers.said_by(named[0], ctx) if named else None
        key = current.key or current.role
        who[key] = current
        words[key] = words.get(key, 0) + len(sentence.split())
    mine = words.pop(chair.key or chair.role, 0)
    if not words:
        return None
    best = max(words, key=lambda k: words[k])
    return who[best] if words[best] > share * mine else None


_DECLARING = re.compile(r"\bdeclar\w*\b[^.]{0,120}?\binterests?\b", re.IGNORECASE)
_DECLARATIONS = re.compile(r"\bdeclarations?\s+of\s+(?:conflicts?\s+of\s+)?interests?\b", re.I)
_ASKS_OTHERS = re.compile(
    r"\b(?:asked|invited|reminded|requested)\b[^.]{0,40}?\b(?:members|all|everyone|those|anyone)\b",
    re.IGNORECASE,
)


def _own_interest(unit: Unit, said: speakers.Said, ctx: speakers.Context) -> bool:
    """Whether the chair, named as a person, declares an interest of their own: under an item
    of declarations, or in words that declare one, and not asking others for theirs."""
    text = unit.text
    if not re.search(r"\binterests?\b", text, re.IGNORECASE) or _ASKS_OTHERS.search(text):
        return False
    if not (_DECLARING.search(text) or _DECLARATIONS.search(unit.item_title)):
        return False
    return any(m.key == said.key and m.form != "chair" for m in speakers.mentions(text, ctx))


def _later_comment(
    text: str, said: speakers.Said, titled: speakers.Said, ctx: speakers.Context
) -> bool:
    """Whether the one a unit names as speaking comes in only after its first sentence, which
    names no speaker, under an item that is someone else's report."""
    if (said.key, said.role) == (titled.key, titled.role):
        return False
    first = _SENTENCE_START.split(text.strip(), maxsplit=1)
    if len(first) < 2:
        return False
    return (
        not any(m.key == said.key for m in speakers.mentions(first[0], ctx))
        and _opening_speaker(first[0], ctx, groups=True) is None
    )


def _marker(text: str) -> str:
    """The kind of number a paragraph opens with: "digit" ("2.", "3.1"), "letter" ("b.", "(c)",
    "iv)"), "bullet", or ""."""
    if text.startswith(BULLET):
        return "bullet"
    m = SUB_ITEM.match(text)
    if m is None:
        return ""
    return "digit" if m.group(0).lstrip()[:1].isdigit() else "letter"


def _attribute(
    unit: Unit,
    previous: Unit | None,
    titled: speakers.Said | None,
    open_list: speakers.Said | None,
    ctx: speakers.Context,
) -> speakers.Said | None:
    """The unit's speaker: its own words first, then who is presenting (module docstring of
    :mod:`.speakers`)."""
    text = unit.text
    found = speakers.mentions(text, ctx)
    action_line = speakers.is_action_line(text) or unit.in_action_column
    unit.is_action = bool(
        action_line or _ACTION_TAIL.search(text) or unit.action_cell or unit.in_action_column
    )
    unit.is_decision = bool(_DECISION.search(text) or speakers.body_record(text, ctx))
    if unit.is_action:
        owner = speakers.owner(text, unit.action_cell, ctx)
        tail = _ACTION_TAIL.search(text)
        if owner is None and tail is not None:
            owner = speakers.owner(tail.group("who"), "", ctx) or next(
                (speakers.said_by(m, ctx) for m in found if m.start >= tail.start()), None
            )
        unit.action_owner = owner.key if owner else ""
        if action_line or unit.owner_column:
            # "Action: JS to ...", a row of a Who/What table: the owner's commitment.
            return owner
    body_speaks = (
        speakers.OTHER_SUBJECT.match(text) or speakers.body_record(text, ctx)
    ) and not speakers.PROPOSED.match(text)
    view = speakers.body_view(text, ctx)  # "The Panel was positive ...": the members' voice
    in_open_list = open_list is not None and speakers.starts_list_item(text)
    if body_speaks and in_open_list and _EXISTENTIAL.match(text):
        # "b. There were significant pressures ...", a point under "Julian Short ... highlighted
        # the report:": still the presenter's point, not the body's record.
        return open_list
    if body_speaks:
        if re.search(r"\bproposed\s+by\b", text, re.IGNORECASE):
            # "The Minutes ... were approved. Proposed by PP and seconded by RW.": the proposer's.
            proposer = speakers.subject(text, ctx, found)
            if proposer is not None:
                return proposer
        if unit.is_decision:
            return None
        # "There was discussion on inviting ... . Portal was positive and would ...": the body's
        # opening, then someone's answer, which is what the unit reports.
        return _later_subject(text, ctx) or view
    if view is not None and not unit.is_decision:
        return _later_subject(text, ctx) or view
    same_speaker = previous is not None and previous.speaker_role != "none"
    if same_speaker and previous is not None and speakers.PRONOUN_START.match(text):
        # "She explained ...": the pronoun is the speaker before, whoever the text names later.
        return speakers.Said(previous.speaker, previous.speaker_role)
    if speakers.opens_with_apologies(text, found):
        # "MB had sent apologies. The report was considered. Members commented ...": the one
        # named is absent; the unit is whoever speaks after.
        return _later_subject(text, ctx)
    said = speakers.subject(text, ctx, found)
    if said is not None and titled is not None and _later_comment(text, said, titled, ctx):
        # Under "Chair's Report": "The CCG is keen to expand the scheme. There is a new
        # director. AG commented that she is supportive.": the report's points, with a comment
        # after them; the unit is the report's unless the comment is the larger part.
        return _answer(text, ctx, titled) or titled
    if said is not None and said.role == "chair" and not unit.is_decision:
        # "The Chair asked the Treasurer for an update. She confirmed ...", "PD stated ... . MV
        # confirmed ...": the chair raises it, the unit reports the answer.
        return _answer(text, ctx, said) or said
    if (
        said is not None
        and said.role != "officer"
        and not unit.is_decision
        and not _ASKS.search(_SENTENCE_START.split(text, maxsplit=1)[0])
    ):
        # "BQ pointed out the trolleys left in the car park. DA suggested ... He noted ...": a
        # member raises it and an officer answers at twice its length or more: the unit reports
        # the answer. A question ("asked whether"), or a point between members, stays with the
        # one who raised it (as coders of real and of the project's own minutes did).
        answer = _answer(text, ctx, said, share=2.0)
        return answer if answer is not None and answer.role == "officer" else said
    if said is not None:
        return said
    if unit.is_decision:
        return None  # a resolution is the body's
    if open_list is not None and speakers.starts_list_item(text):
        return open_list
    if found:
        closing = _closing_commitment(text, ctx)
        if closing is not None:
            # "The figures have not come. XY to chase.": the record ends in someone's commitment,
            # which is what it reports.
            return closing
        # Someone named, but not as the one speaking: nobody's, unless the item is someone's
        # report, which runs on whoever it mentions.
        return titled if titled is not None and titled.key not in {m.key for m in found} else None
    siblings = (
        previous is not None
        and speakers.starts_list_item(text)
        and speakers.starts_list_item(previous.text)
    )
    if (
        same_speaker
        and previous is not None
        and not siblings
        and speakers.PRESENTING.search(previous.text)
    ):
        # A presentation runs on into the next paragraph when that names no one (not from one
        # point of a list to the next: each is its own matter, unless a lead-in opened them).
        return speakers.Said(previous.speaker, previous.speaker_role)
    return titled
