"""Preprocess: pseudonymise people everywhere, then sentences and lemmas with spaCy.

Every person on the roster becomes a stable pseudonym of role and number ("Service user 2",
"Officer 5"), numbered in order of first appearance across the corpus, so the same person has
the same pseudonym in every table, chart and quote. Other titled names ("Mrs Patel") become
"Person N". Nothing after this stage sees a real name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from pipeline import config, schemas

if TYPE_CHECKING:
    from spacy.language import Language
from pipeline.names import person_spans
from pipeline.people import _TITLE_ALT, NAME_WORD, Person, Roster
from pipeline.segment import Segmented
from pipeline.textkey import unit_key

ROLE_LABELS = config.PSEUDONYM_LABELS
# "Mrs Patel", "Mr Daniel Okoro": a title then one to three capitalised words.
_TITLED_NAME = re.compile(rf"\b(?i:{_TITLE_ALT})\.?\s+(?:{NAME_WORD}\s+){{0,2}}{NAME_WORD}\b")
_PSEUDONYM = re.compile(rf"^{config.PSEUDONYM}$")


@dataclass
class Preprocessed:
    meetings: pd.DataFrame
    attendance: pd.DataFrame
    units: pd.DataFrame  # segments columns so far, plus `lemmas` and `item_lemmas` for coding
    pseudonyms: dict[str, str]  # roster key -> pseudonym; never written under outputs/
    names: dict[str, str]  # pseudonym -> real name, for the optional --names-key file


def preprocess(seg: Segmented) -> Preprocessed:
    """Pseudonymise attendance and unit text, then add lemmas for theme and focus coding."""
    order = list(
        dict.fromkeys(
            [
                *seg.attendance["person_key"],
                *seg.units["speaker_key"],
                *seg.units["action_owner_key"],
                *seg.people,
            ]
        )
    )
    pseudonyms = _assign(order, seg.people)
    roster = Roster(seg.people.values())
    units = seg.units.copy()
    units["unit_key"] = units["text"].map(unit_key)
    originals = [str(t) for t in [*units["text"], *units["item_title"]]]
    # spaCy's attendance_names component (and NER, when a trained pipeline is installed) finds
    # names beside the roster's own matcher; what only NER finds becomes "Person N" below.
    spans = person_spans(originals, roster) if originals else []
    done = [pseudonymise(t, roster, pseudonyms, s) for t, s in zip(originals, spans, strict=True)]
    texts, titles = done[: len(units)], done[len(units) :]
    ner_only = {t[a:b] for t, s in zip(originals, spans, strict=True) for a, b, k in s if not k}
    others = _other_people(texts + titles, ner_only)
    hide = _other_hider(others)
    units["text"] = [hide(t) for t in texts]
    units["item_title"] = [hide(t) for t in titles]
    units["speaker_id"] = units["speaker_key"].map(lambda k: pseudonyms.get(k, ""))
    units["action_owner"] = units["action_owner_key"].map(lambda k: pseudonyms.get(k, ""))
    units["n_words"] = [len(str(t).split()) for t in units["text"]]
    units = units.drop(columns=["speaker_key", "action_owner_key"])
    units["lemmas"] = lemmatise(units["text"].tolist())
    units["item_lemmas"] = lemmatise(units["item_title"].tolist())

    attendance = seg.attendance.copy()
    attendance["person_id"] = attendance["person_key"].map(pseudonyms)
    attendance = (
        schemas.conform(attendance.drop(columns=["person_key"]), "attendance")
        if len(attendance)
        else schemas.empty("attendance")
    )
    names = {pseudonyms[k]: p.name for k, p in seg.people.items() if k in pseudonyms}
    names.update({v: k for k, v in others.items()})
    return Preprocessed(seg.meetings.copy(), attendance, units, pseudonyms, names)


def _assign(order: Iterable[str], people: dict[str, Person]) -> dict[str, str]:
    counters: dict[str, int] = {}
    out: dict[str, str] = {}
    for key in order:
        if not key or key in out or key not in people:
            continue
        label = ROLE_LABELS[people[key].role]
        counters[label] = counters.get(label, 0) + 1
        out[key] = f"{label} {counters[label]}"
    return out


def pseudonymise(
    text: str,
    roster: Roster,
    pseudonyms: dict[str, str],
    spans: Sequence[tuple[int, int, str]] = (),
) -> str:
    """Replace every mention of a roster person by their pseudonym.

    ``spans`` are further ``(start, end, key)`` names found by spaCy (:mod:`pipeline.names`);
    those of roster people are replaced where the roster's own matcher missed them.
    """
    if not text:
        return text
    found = [
        (m.start, m.end, m.key)
        for m in roster.mentions(text)
        if m.form not in ("chair", "office")  # "the Chair" names an office, not a person
    ]
    found += [(a, b, k) for a, b, k in spans if k and not any(x < b and a < y for x, y, _ in found)]
    pieces: list[str] = []
    pos = 0
    for start, end, key in sorted(found):
        if start < pos:
            continue
        pieces.append(text[pos:start])
        pieces.append(pseudonyms.get(key, "Person ?"))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def _other_people(texts: list[str], names: Iterable[str] = ()) -> dict[str, str]:
    """People named with a title but not on the roster ("Mr Joe Haldane"), by surname.

    Keyed by surname so that "Jason Whitfield" and "Mr Whitfield" elsewhere in the corpus become
    the same "Person N".
    """
    others: dict[str, str] = {}
    for name in sorted(names):  # found by NER: hidden by surname like the titled ones
        surname = re.sub(r"['’]s$", "", name.split()[-1]) if name.split() else ""
        if len(surname) > 2 and surname[:1].isupper() and surname not in others:
            others[surname] = f"Person {len(others) + 1}"
    for text in texts:
        for match in _TITLED_NAME.finditer(text):
            if _PSEUDONYM.match(match.group(0)):
                continue
            surname = re.sub(r"['’]s$", "", match.group(0).split()[-1])
            if surname not in others:
                others[surname] = f"Person {len(others) + 1}"
    return others


def _other_hider(others: dict[str, str]) -> Callable[[str], str]:
    """A function replacing every form of the corpus's other people; the regex is built once."""
    if not others:
        return lambda text: text
    alternation = "|".join(re.escape(s) for s in sorted(others, key=len, reverse=True))
    pattern = re.compile(
        rf"\b(?:(?i:{_TITLE_ALT})\.?\s+)?(?:{NAME_WORD}\s+){{0,2}}?({alternation})\b(?!\s+\d)"
    )

    def replace(match: re.Match[str]) -> str:
        words = match.group(0).split()
        # Keep a capitalised word before the name that is not part of it ("Today Mr X").
        lead = [w for w in words[:-1] if w in _NOT_NAMES]
        return " ".join([*lead, others[match.group(1)]])

    return lambda text: pattern.sub(replace, text) if text else text


_NOT_NAMES = frozenset({"The", "A", "An", "In", "On", "At", "Following", "When", "After", "And"})


@lru_cache(maxsize=1)
def nlp() -> Language:
    """A blank English pipeline with sentence boundaries and lookup lemmas (no model needed)."""
    import spacy

    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("lemmatizer", config={"mode": "lookup"})
    pipeline.initialize()
    return pipeline


def lemmatise(texts: list[str]) -> list[str]:
    """Lower-cased lemmas, space-separated, punctuation dropped: the form seeds are matched in.

    Text is lower-cased first: the lookup table has lower-case keys, so "Crisis Lines" at the
    start of a sentence or in a title would otherwise keep its plural.
    """
    out = []
    for doc in nlp().pipe([t.lower() for t in texts], batch_size=256):
        out.append(" ".join(t.lemma_.lower() for t in doc if not (t.is_punct or t.is_space)))
    return out
