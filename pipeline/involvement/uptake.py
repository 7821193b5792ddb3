"""Uptake: what later acts on each lay contribution.

A lay contribution is a unit whose speaker is a service user, carer or lay member. It is taken up
when something later in the minutes acts on it, found in two ways:

- ``reference``: a later unit names the contributor (their pseudonym) with a phrase that points
  back to what they said: "following Service user 2's point", "as Carer 1 had suggested", "as
  requested by ...", "the question raised by ...". These are looked for in the rest of the same
  item and in the later meetings of the window (``config.UPTAKE_WINDOW_MEETINGS``, 24), because
  minutes that trace a change to a person usually say so wherever the change is reported. A
  reference that only thanks the person, notes or discusses the point is not uptake: "the Chair
  thanked Service user 1 and noted the comments" is the symbolic response the measure exists to
  tell apart. A representative reporting that their own point was acted on ("my housing, which
  I described in February, has been resolved") counts when the unit reports an action or
  outcome. The contribution a reference means is the
  contributor's, in the meeting the reference names ("at the April meeting", "minute 5.6 of 20
  June", "at the last meeting"), closest in meaning to the referring unit.
- ``action``, ``decision`` or ``outcome``: a unit that acts (an action, a decision or a realised
  outcome) later in the same item, or in the next meeting's matters arising or action log (which
  follow up the previous meeting), whose meaning is close to the contribution's: cosine
  similarity of sentence embeddings (:mod:`pipeline.core.embed`), or of TF-IDF vectors when
  embeddings are not installed. The contributor's own units and actions they own do not count
  (being given the action one offered to do is not the board acting on a point), and a next
  meeting's unit links only to the earlier lay point most like it.

The similarity threshold is not a fixed number, because cosine values depend on the model and on
how alike a board's minutes are overall. It is set from the corpus itself: the similarities of
every lay contribution to the acting units of other meetings' substantive items (pairs that, by
construction, are not uptake: another meeting within the window, not its matters arising) form
a null distribution, and a link must be closer than ``config.UPTAKE_NULL_QUANTILE`` (99%) of
those pairs, and never below ``config.UPTAKE_MIN_SIMILARITY``. A board that discusses the crisis
line at every meeting thus needs more than shared topic words to link a point to an action.
Similarity links are candidates with their evidence beside them: a comment on a proposal the
board then adopts anyway is close in meaning to the resolution without having shaped it.
Formulas: docs/measures.md. The referring phrases, and the words that make a reference mere
thanks, are in the editable lexicon ``themes/involvement-cues.yaml``, section ``uptake``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Protocol

import numpy as np
import pandas as pd

from pipeline.core import config, items, schemas, vocab
from pipeline.inputs.involvement_cues import InvolvementCues, UptakeCues, load_involvement_cues

EVIDENCE_CHARS: Final = 200
_FOLLOW_UP_ITEM = items.pattern(items.FOLLOW_UP)
_MONTH = re.compile(r"\b(" + "|".join(m.capitalize() for m in vocab.MONTHS) + r")\b")


class Embedder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass
class Uptake:
    links: pd.DataFrame
    threshold: float
    method: str


def uptake(
    units: pd.DataFrame,
    embedder: Embedder | None = None,
    cues: InvolvementCues | None = None,
    window: int = config.UPTAKE_WINDOW_MEETINGS,
) -> Uptake:
    """Links from lay contributions to what later acts on them (see the module docstring).

    ``cues`` is the involvement lexicon (the bundled ``themes/involvement-cues.yaml`` when None).
    ``window``: a contribution is compared only with units of its own meeting and of the
    ``window`` meetings after it (at least 1: the next meeting's follow-up is always in reach).
    """
    if window < 1:
        raise ValueError(f"the uptake window is at least 1 meeting, not {window}")
    words = (cues or load_involvement_cues()).uptake
    if units.empty:
        return Uptake(schemas.empty("uptake"), float("nan"), "none")
    u = _Units.of(units)
    vectors, method = _vectors(u.text, embedder)
    lay = [i for i, r in enumerate(u.role) if r in config.LAY_ROLES]
    threshold = _threshold(u, vectors, lay, window)
    near = _Near(u, lay, window)

    links: dict[tuple[int, int], dict[str, object]] = {}
    for t in range(len(u.text)):
        for c, sim in _references(u, t, near, vectors, words):
            links[(c, t)] = _row(u, c, t, "reference", sim)
    for c in lay:
        for t in _candidates(u, c):
            sim = float(vectors[c] @ vectors[t])
            if (c, t) in links or sim < threshold:
                continue
            # A later meeting's action acts on one earlier point: the one most like it.
            if u.meeting[t] != u.meeting[c] and _best_earlier(u, t, near, vectors) != c:
                continue
            links[(c, t)] = _row(u, c, t, _kind(u, t), sim)
    rows = [links[k] for k in sorted(links)]
    table = schemas.conform(pd.DataFrame(rows), "uptake") if rows else schemas.empty("uptake")
    return Uptake(table, threshold, method)


# --------------------------------------------------------------------------- candidates
@dataclass
class _Units:
    """The segments columns uptake needs, as plain lists in meeting order, then document order."""

    segment_id: list[str]
    meeting: list[str]
    rank: list[int]  # the meeting's position in time
    month: list[int]  # the meeting's month, 0 when undated
    item: list[str]
    title: list[str]
    speaker: list[str]
    role: list[str]
    owner: list[str]
    text: list[str]
    focus: list[str]
    scope: list[str]
    decision: list[bool]
    acting: list[bool]  # an action, a decision or a realised outcome
    follow_up: list[bool]  # in a matters arising or action log item

    @classmethod
    def of(cls, units: pd.DataFrame) -> _Units:
        seg = units.reset_index(drop=True).copy()
        seg["_date"] = pd.to_datetime(seg["meeting_date"])
        seg["_pos"] = np.arange(len(seg))
        seg = seg.sort_values(["_date", "meeting_id", "_pos"], kind="stable")
        ranks = seg.groupby("meeting_id", sort=False).ngroup()

        def strings(column: str) -> list[str]:
            return ["" if pd.isna(v) else str(v) for v in seg[column]]

        focus = strings("focus")
        action = [bool(v) for v in seg["is_action"].fillna(False)]
        decision = [bool(v) for v in seg["is_decision"].fillna(False)]
        title = strings("item_title")
        return cls(
            segment_id=strings("segment_id"),
            meeting=strings("meeting_id"),
            rank=[int(r) for r in ranks],
            month=[0 if pd.isna(d) else int(d.month) for d in seg["_date"]],
            item=strings("item_no"),
            title=title,
            speaker=strings("speaker_id"),
            role=strings("speaker_role"),
            owner=strings("action_owner"),
            text=strings("text"),
            focus=focus,
            scope=strings("outcome_scope"),
            decision=decision,
            acting=[
                a or d or f in ("action", "outcome")
                for a, d, f in zip(action, decision, focus, strict=True)
            ],
            follow_up=[bool(_FOLLOW_UP_ITEM.search(t)) for t in title],
        )

    def same_item(self, a: int, b: int) -> bool:
        return self.meeting[a] == self.meeting[b] and self.item[a] == self.item[b]

    def meeting_end(self, rank: int) -> int:
        """One past the last unit of the meeting at ``rank`` (units are in meeting order)."""
        return bisect.bisect_right(self.rank, rank)


class _Near:
    """The lay contributions within the window before a unit, by speaker and in all."""

    def __init__(self, u: _Units, lay: list[int], window: int) -> None:
        self.u = u
        self.window = window
        self.lay = lay  # ascending, so their meeting ranks ascend too
        self.lay_rank = [u.rank[c] for c in lay]
        self.speakers = sorted({u.speaker[c] for c in lay} - {""})
        self.by_speaker: dict[str, list[int]] = {}
        for c in lay:
            self.by_speaker.setdefault(u.speaker[c], []).append(c)
        self.speaker_rank = {s: [u.rank[c] for c in cs] for s, cs in self.by_speaker.items()}

    def before(self, t: int, speaker: str | None = None) -> list[int]:
        """Lay contributions before unit ``t`` (of ``speaker``, if given), at most ``window``
        meetings earlier, in document order."""
        lowest = self.u.rank[t] - self.window
        pool = self.lay if speaker is None else self.by_speaker.get(speaker, [])
        ranks = self.lay_rank if speaker is None else self.speaker_rank.get(speaker, [])
        start = bisect.bisect_left(ranks, lowest)
        end = bisect.bisect_left(pool, t)
        return pool[start:end]


def _candidates(u: _Units, c: int) -> list[int]:
    """Acting units later in the same item, or in the next meeting's matters arising or action log.

    Not the contributor's own units, nor actions they own: a representative offering to do
    something and being given the action is their own doing, not the board acting on their point.
    """
    out = []
    # Nothing after the next meeting can be a candidate: stop there, not at the corpus's end.
    for t in range(c + 1, u.meeting_end(u.rank[c] + 1)):
        if not u.acting[t]:
            continue
        # Matters arising and action logs follow up the previous meeting; later follow-ups name
        # the person or the point, and are found as references.
        later = u.rank[t] == u.rank[c] + 1 and u.follow_up[t]
        if not (u.same_item(c, t) or later):
            continue
        if u.speaker[c] and u.speaker[c] in (u.speaker[t], u.owner[t]):
            continue
        out.append(t)
    return out


def _best_earlier(u: _Units, t: int, near: _Near, vectors: np.ndarray) -> int | None:
    """The earlier lay contribution most like unit ``t`` (in earlier meetings of the window)."""
    earlier = [c for c in near.before(t) if u.rank[c] < u.rank[t]]
    if not earlier:
        return None
    return max(earlier, key=lambda c: float(vectors[c] @ vectors[t]))


def _references(
    u: _Units, t: int, near: _Near, vectors: np.ndarray, cues: UptakeCues
) -> list[tuple[int, float]]:
    """Lay contributions that unit ``t`` explicitly refers back to, with their similarity."""
    text, own = u.text[t], u.speaker[t]
    found = []
    for speaker in near.speakers:
        if speaker not in text and speaker != own:
            continue
        sentence = _referring_sentence(text, speaker, cues)
        if sentence is None and speaker == own and u.acting[t] and u.role[t] in config.LAY_ROLES:
            # "... his own housing situation, which he had described at the February meeting,
            # had been resolved"; raising one's own point again (not acting) is not uptake.
            sentence = next(
                (x for x in vocab.sentences(text) if cues.self_reference.search(x)), None
            )
        if sentence is None or (cues.not_uptake.search(sentence) and not u.acting[t]):
            continue
        earlier = near.before(t, speaker)
        if speaker == own:
            earlier = [c for c in earlier if u.meeting[c] != u.meeting[t]]
        for group in _by_meeting_named(u, t, earlier, sentence, cues):
            best = max(group, key=lambda c: float(vectors[c] @ vectors[t]))
            found.append((best, float(vectors[best] @ vectors[t])))
    return found


def _referring_sentence(text: str, speaker: str, cues: UptakeCues) -> str | None:
    for sentence in vocab.sentences(text):
        if cues.refers_to(sentence, speaker):
            return sentence
    return None


def _by_meeting_named(
    u: _Units, t: int, earlier: list[int], sentence: str, cues: UptakeCues
) -> list[list[int]]:
    """The contributions a reference can mean, grouped by the meeting it names.

    "at the April meeting", "in January and September", "minute 5.6 of 20 June" name months
    (the latest meeting in that month before the reference); "at the last meeting" names the
    previous meeting; without either, the same item's earlier contributions, else any earlier one.
    """
    if not earlier:
        return []
    months = [
        vocab.MONTH_NUMBERS[m.group(1).lower()]
        for m in _MONTH.finditer(sentence)
        if not re.search(r"(?<!of )\b\d{1,2}\s*$", sentence[: m.start()])
    ]
    groups = []
    for month in dict.fromkeys(months):
        in_month = [c for c in earlier if u.month[c] == month]
        if in_month:
            latest = max(u.rank[c] for c in in_month)
            groups.append([c for c in in_month if u.rank[c] == latest])
    if not groups and cues.last_meeting.search(sentence):
        groups = [[c for c in earlier if u.rank[c] == u.rank[t] - 1]]
    if not groups and not months:
        groups = [[c for c in earlier if u.same_item(c, t)] or earlier]
    return [g for g in groups if g]


def _kind(u: _Units, t: int) -> str:
    if u.focus[t] == "outcome":
        return "outcome"
    if u.decision[t]:
        return "decision"
    return "action"


def _row(u: _Units, c: int, t: int, link: str, sim: float) -> dict[str, object]:
    return {
        "contribution_id": u.segment_id[c],
        "contribution_meeting_id": u.meeting[c],
        "item_no": u.item[c],
        "speaker_id": u.speaker[c],
        "speaker_role": u.role[c],
        "target_id": u.segment_id[t],
        "target_meeting_id": u.meeting[t],
        "target_item_no": u.item[t],
        "target_focus": u.focus[t],
        "target_scope": u.scope[t],
        "link": link,
        "evidence": _clip(u.text[t]),
        "similarity": round(sim, 4),
    }


# --------------------------------------------------------------------------- similarity
def _vectors(texts: list[str], embedder: Embedder | None) -> tuple[np.ndarray, str]:
    """Unit vectors (rows of norm 1), so a dot product is the cosine."""
    if embedder is not None:
        matrix = np.asarray(embedder.encode(texts), dtype=np.float64)
        method = "embeddings"
    else:
        from sklearn.feature_extraction.text import TfidfVectorizer

        matrix = (
            TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1)
            .fit_transform(texts)
            .toarray()
        )
        method = "tfidf"
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0), method


def _threshold(u: _Units, vectors: np.ndarray, lay: list[int], window: int) -> float:
    """The corpus's own bar: a high quantile of similarities between pairs that are not uptake.

    The pairs are those within ``window`` meetings of each other, taken a block of meetings at
    a time, so memory and time grow with the meetings rather than with their square. A window
    that spans the corpus gives one block: every pair, as one product.
    """
    floor = config.UPTAKE_MIN_SIMILARITY
    pool = [t for t in range(len(u.text)) if u.acting[t] and not u.follow_up[t]]
    if not lay or not pool:
        return floor
    meetings = np.array(u.meeting)
    rank = np.array(u.rank)
    lay_at, pool_at = np.array(lay), np.array(pool)
    lay_rank, pool_rank = rank[lay_at], rank[pool_at]  # ascending, as the units are
    last = int(rank.max())
    step = last + 1 if window >= last else window
    nulls = []
    for low in range(0, last + 1, step):
        high = low + step - 1
        mine = lay_at[np.searchsorted(lay_rank, low) : np.searchsorted(lay_rank, high, "right")]
        near = pool_at[
            np.searchsorted(pool_rank, low - window) : np.searchsorted(
                pool_rank, high + window, "right"
            )
        ]
        if not len(mine) or not len(near):
            continue
        sims = vectors[mine] @ vectors[near].T
        other = meetings[mine][:, None] != meetings[near][None, :]
        if step <= last:
            other &= np.abs(rank[mine][:, None] - rank[near][None, :]) <= window
        nulls.append(sims[other])
    null = np.concatenate(nulls) if nulls else np.empty(0)
    if null.size < 20:
        return floor
    return max(floor, float(np.quantile(null, config.UPTAKE_NULL_QUANTILE)))


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 3] + "..."
