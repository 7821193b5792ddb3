"""Involvement level per agenda item in which a lay member takes part (coding manual, five levels).

The five levels are those of the National Involvement Partnership standards: 1 consultation
(feedback within fixed boundaries), 2 working together (contributing within fixed roles), 3 doing
together (working towards common objectives), 4 deciding together (partners in the decision),
5 leading. Minutes never say which level an item reached; they record what people did, so each
level is decided from what the minutes show a lay member doing in the item. The highest level
whose cue is seen is the item's level, because an item in which a lay member presents the work
is a leading item even if others only comment on it. The cues, strongest first:

5 ``lead``: a lay member presents, introduces or leads the item: the item's opening paragraph
  begins with a lay member presenting, introducing, reporting or giving an update, or any
  paragraph says a lay member presented, introduced, led or chaired.
4 ``propose``: a lay member proposes, seconds or moves (a motion or an amendment), and someone
  else agrees to it or a resolution follows later in the item; a proposal nobody takes up is a
  view (level 1).
4 ``adopted``: the decision is shaped by a lay member's proposal: after a lay request, a
  resolution names a lay member or is made "subject to the changes agreed", or the chair agrees
  to or rules on a lay request in the paragraph that follows it ("The Chair agreed and asked
  ...", "a sensible suggestion and asked ..."). A request the chair only thanks them for or
  notes is a view (level 1): that difference is what separates deciding together from being
  consulted.
3 ``shared_task``: a lay member works on a shared task with others: an action line names a lay
  member with someone else, a lay member speaks as a co-lead or member of a working group, a
  resolution puts lay members in a working group, or the item reports work carried out, designed
  or written with the board's working group.
2 ``set_role``: a lay member contributes within a fixed role: the item is procedural (welcome and
  apologies, declarations, minutes and matters arising, any other business), where lay members
  report or raise matters of their own; a lay member reports, declares or tells the board
  something; or a lay member (or the representatives) is named in a set role (an interview or
  evaluation panel, a steering group, a campaign champion, standing down as a representative).
1 ``views``: otherwise: lay members give views, comment or ask questions on a report, plan or
  proposal others brought.

The cues' wording (which verbs mean presenting, what a working group is called) is in the editable
lexicon ``themes/involvement-cues.yaml``, section ``levels``
(:mod:`pipeline.inputs.involvement_cues`);
the order of the levels and how the cues combine are here.

"Takes part" means a lay member speaks in the item (a unit attributed to a service user, carer or
lay member) or is named in it (their pseudonym appears in its text). Items where lay members take
no part get no level. Hand-coded checks: ``tests/gold/demo-levels.csv`` (the board these cues were
written from, so agreement there is not an independent test) and
``tests/gold/calderbrook-levels.csv`` (coded before the code was run on that board); see
``involve validate --levels-gold`` and docs/measures.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import pandas as pd

from pipeline.core import config, items, schemas, vocab
from pipeline.inputs.involvement_cues import InvolvementCues, LevelCues, load_involvement_cues

LEVEL_NAMES: Final = {
    1: "consultation",
    2: "working together",
    3: "doing together",
    4: "deciding together",
    5: "leading",
}
EVIDENCE_CHARS: Final = 300

# Lay pseudonyms as preprocessing writes them ("Service user 2", "Carer 1", "Lay member 1"): the
# pipeline's own format, not board English, so it stays here; the cues are the lexicon's.
_LAY_MENTION = re.compile(rf"\b{config.LAY_PSEUDONYM}\b")
_PROCEDURAL = items.pattern(items.PROCEDURE)


@dataclass(frozen=True)
class Level:
    level: int
    cue: str
    segment_id: str
    text: str


@dataclass(frozen=True)
class Item:
    """One agenda item's units, in order, as the level rules read them."""

    texts: list[str]
    ids: list[str]
    lay: list[bool]  # spoken by a lay member
    title: str
    decisions: list[bool]
    actions: list[bool]


def item_levels(units: pd.DataFrame, cues: InvolvementCues | None = None) -> pd.DataFrame:
    """One row per agenda item in which a lay member takes part: its level, cue and evidence.

    ``cues`` is the involvement lexicon (the bundled ``themes/involvement-cues.yaml`` when None).
    """
    cues = cues or load_involvement_cues()
    rows: list[dict[str, object]] = []
    if units.empty:
        return schemas.empty("item_levels")
    # Columns as lists, items as lists of rows: a frame per item (ten thousand items at a
    # thousand meetings) cost seconds of pandas overhead for a few regexes each.
    texts = [str(t) for t in units["text"].tolist()]
    ids = [str(s) for s in units["segment_id"].tolist()]
    lay = units["speaker_role"].isin(config.LAY_ROLES).tolist()
    titles = [str(t) for t in units["item_title"].tolist()]
    decisions, actions = _flags(units, "is_decision"), _flags(units, "is_action")
    dates = pd.to_datetime(units["meeting_date"]).tolist()
    groups: dict[tuple[object, object], list[int]] = {}
    keys = zip(units["meeting_id"].tolist(), units["item_no"].tolist(), strict=True)
    for r, key in enumerate(keys):
        if not (pd.isna(key[0]) or pd.isna(key[1])):  # as groupby leaves missing keys out
            groups.setdefault(key, []).append(r)
    for (meeting_id, item_no), at in groups.items():
        item = Item(
            [texts[r] for r in at],
            [ids[r] for r in at],
            [lay[r] for r in at],
            titles[at[0]],
            [decisions[r] for r in at],
            [actions[r] for r in at],
        )
        if not takes_part(item):
            continue
        found = level_of(item, cues.levels)
        date = dates[at[0]]
        rows.append(
            {
                "meeting_id": meeting_id,
                "meeting_date": date,
                "year": pd.NA if pd.isna(date) else int(date.year),
                "item_no": item_no,
                "item_title": item.title,
                "level": found.level,
                "level_name": LEVEL_NAMES[found.level],
                "cue": found.cue,
                "evidence_segment_id": found.segment_id,
                "evidence_text": _clip(found.text),
                "lay_units": sum(item.lay),
            }
        )
    if not rows:
        return schemas.empty("item_levels")
    return schemas.conform(pd.DataFrame(rows), "item_levels")


def segment_levels(units: pd.DataFrame, levels: pd.DataFrame) -> pd.Series:
    """Each unit's item level (missing where lay members took no part), for segments.level."""
    lookup = {
        (str(m), str(i)): int(v)
        for m, i, v in zip(levels["meeting_id"], levels["item_no"], levels["level"], strict=True)
    }
    values = [
        lookup.get((str(m), str(i)), pd.NA)
        for m, i in zip(units["meeting_id"], units["item_no"], strict=True)
    ]
    return pd.Series(values, index=units.index, dtype="Int64")


def takes_part(item: Item) -> bool:
    """A lay member speaks in the item or is named in it."""
    return any(item.lay) or any(_LAY_MENTION.search(t) for t in item.texts)


def level_of(item: Item, cues: LevelCues | None = None) -> Level:
    """The item's level: the strongest cue seen among its units (see the module docstring)."""
    cues = cues or load_involvement_cues().levels
    texts, ids, lay = item.texts, item.ids, item.lay
    procedural = bool(_PROCEDURAL.search(item.title))
    decisions, actions = item.decisions, item.actions

    def first(cue: str, level: int, hits: list[int]) -> Level | None:
        return Level(level, cue, ids[hits[0]], texts[hits[0]]) if hits else None

    opening = next((i for i, t in enumerate(texts) if t.strip()), None)
    lead = [
        i
        for i, t in enumerate(texts)
        if cues.lead_anywhere.search(t)
        or (i == opening and not procedural and cues.lead_opening.search(_first_sentence(t)))
    ]
    propose = [
        i
        for i, t in enumerate(texts)
        if lay[i]
        and cues.propose.search(t)
        and any(not lay[j] and cues.agrees.search(texts[j]) for j in range(i + 1, len(texts)))
    ]
    adopted = [
        i
        for i, t in enumerate(texts)
        if ((decisions[i] and not lay[i]) or cues.resolved.match(t))
        and (_LAY_MENTION.search(t) or cues.agreed_changes.search(t))
        and _lay_request_before(i, lay, texts, cues)
    ] + [
        i
        for i, t in enumerate(texts)
        if cues.chair_adopts.search(t)
        and i > 0
        and lay[i - 1]
        and cues.request.search(texts[i - 1])
    ]
    shared = [
        i
        for i, t in enumerate(texts)
        if (actions[i] and _joint_lay_action(t, cues))
        or (lay[i] and cues.working_group.search(t) and not cues.request.search(_first_sentence(t)))
        or cues.with_group.search(t)
        # A resolution naming lay members in a group nobody among them asked for: shared work.
        or (cues.resolved.match(t) and _LAY_MENTION.search(t) and cues.working_group.search(t))
    ]
    role = [
        i
        for i, t in enumerate(texts)
        if any(cues.set_role.search(s) and cues.role_holders.search(s) for s in vocab.sentences(t))
        or (lay[i] and cues.reports.search(t))
    ]
    lay_or_named = [i for i, t in enumerate(texts) if lay[i] or _LAY_MENTION.search(t)]
    for found in (
        first("lead", 5, lead),
        first("propose", 4, propose),
        first("adopted", 4, sorted(adopted)),
        first("shared_task", 3, shared),
        first("set_role", 2, role),
        first("procedural", 2, lay_or_named if procedural else []),
    ):
        if found is not None:
            return found
    evidence = [i for i in lay_or_named if lay[i]] or lay_or_named or [0]
    return Level(1, "views", ids[evidence[0]], texts[evidence[0]])


def _flags(units: pd.DataFrame, column: str) -> list[bool]:
    if column not in units.columns:
        return [False] * len(units)
    return [bool(v) for v in units[column].fillna(False)]


def _first_sentence(text: str) -> str:
    return vocab.first_sentence(text)


def _lay_request_before(pos: int, lay: list[bool], texts: list[str], cues: LevelCues) -> bool:
    return any(lay[i] and cues.request.search(texts[i]) for i in range(pos))


def _joint_lay_action(text: str, cues: LevelCues) -> bool:
    """An action for a lay member together with someone else ("X and Y to ...", "X, with Y,")."""
    head = cues.action_owners_end.split(text, maxsplit=1)[0]
    return bool(_LAY_MENTION.search(head)) and bool(cues.joint_owners.search(head))


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 3] + "..."
