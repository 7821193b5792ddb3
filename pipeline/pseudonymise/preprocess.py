"""Preprocess: pseudonymise people everywhere, then sentences and lemmas with spaCy.

Every person on the roster becomes a stable pseudonym of role and number ("Service user 2",
"Officer 5"), numbered in order of first appearance across the corpus, so the same person has
the same pseudonym in every table, chart and quote. Other people (titled, "Mrs Patel"; named in
full on no list; found by NER) become "Person N". Whether a name-shaped word names a person
where it stands is :mod:`pipeline.pseudonymise.namecontext`'s to say. Nothing after this stage sees
a real
name.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.core import config, distribute, schemas, textcache
from pipeline.core.textcache import Store
from pipeline.pseudonymise import contacts, namecontext

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
from pipeline.core.textkey import unit_key
from pipeline.pseudonymise.names import OTHER_LABEL, person_spans
from pipeline.pseudonymise.people import Person, Roster
from pipeline.pseudonymise.variants import Variants, relative_before, variant_spans
from pipeline.segment import Segmented

ROLE_LABELS = config.PSEUDONYM_LABELS
# (start, end, what): a roster key, a surname or a pseudonym, by where it is used.
Span = tuple[int, int, str]


@dataclass
class Preprocessed:
    meetings: pd.DataFrame
    attendance: pd.DataFrame
    units: pd.DataFrame  # segments columns so far, plus `lemmas` and `item_lemmas` for coding
    pseudonyms: dict[str, str]  # roster key -> pseudonym; never written under outputs/
    names: dict[str, str]  # pseudonym -> real name, for the optional --names-key file


def preprocess(seg: Segmented, cache: Store | None = None) -> Preprocessed:
    """Pseudonymise attendance and unit text, then add lemmas for theme and focus coding.

    With a ``cache`` (:mod:`pipeline.core.textcache`), NER's findings and the lemmas of each
    text are kept between runs: a text read before is not parsed again. Everything that
    depends on the corpus as a whole (the roster, who attended, names found elsewhere) is
    worked out afresh on every run."""
    pseudonyms = _assign(appearance_order(seg), seg.people)
    units = seg.units.copy()
    units["unit_key"] = units["text"].map(unit_key)
    originals = [str(t) for t in [*units["text"], *units["item_title"]]]
    meetings = [str(m) for m in units["meeting_id"]] * 2
    # Meeting by meeting (its texts, then its titles), as people are numbered: "Person N" goes
    # by first mention, and a meeting added last then numbers only its own newcomers.
    rank = {m: i for i, m in enumerate(dict.fromkeys(meetings))}
    n = len(units)
    order = sorted(range(2 * n), key=lambda j: (rank[meetings[j]], j >= n))
    hidden = pseudonymise_all(
        [originals[j] for j in order], [meetings[j] for j in order], seg, pseudonyms, cache
    )
    replaced = [""] * (2 * n)
    for j, text in zip(order, hidden.texts, strict=True):
        replaced[j] = text
    texts, titles = replaced[:n], replaced[n:]
    units["text"] = texts
    units["item_title"] = titles
    units["speaker_id"] = units["speaker_key"].map(lambda k: pseudonyms.get(k, ""))
    units["action_owner"] = units["action_owner_key"].map(lambda k: pseudonyms.get(k, ""))
    units["n_words"] = [len(str(t).split()) for t in units["text"]]
    units = units.drop(columns=["speaker_key", "action_owner_key"])
    units["lemmas"] = lemmatise(units["text"].tolist(), cache)
    units["item_lemmas"] = lemmatise(units["item_title"].tolist(), cache)

    attendance = seg.attendance.copy()
    attendance["person_id"] = attendance["person_key"].map(pseudonyms)
    attendance = (
        schemas.conform(attendance.drop(columns=["person_key"]), "attendance")
        if len(attendance)
        else schemas.empty("attendance")
    )
    names = {pseudonyms[k]: p.name for k, p in seg.people.items() if k in pseudonyms}
    names.update({v: k for k, v in hidden.others.items()})
    return Preprocessed(seg.meetings.copy(), attendance, units, pseudonyms, names)


def appearance_order(seg: Segmented) -> list[str]:
    """People in the order pseudonyms number them: meeting by meeting, in reading order, those
    listed, then the speakers, the actions' owners and the others its reading met; the board's
    people who appear nowhere last. A meeting read after the others (the next minutes) then
    numbers only its newcomers, and every text of the meetings before keeps its pseudonyms, so
    its cached NER, lemmas, vectors and coding stay hits."""
    of_meeting: dict[str, list[str]] = {str(m): [] for m in seg.meetings["meeting_id"]}
    columns = [
        (seg.attendance, "person_key"),
        (seg.units, "speaker_key"),
        (seg.units, "action_owner_key"),
    ]
    for table, column in columns:
        for meeting, key in zip(table["meeting_id"], table[column], strict=True):
            of_meeting.setdefault(str(meeting), []).append(key)
    for meeting, keys in seg.introduced.items():
        of_meeting.setdefault(meeting, []).extend(keys)
    return list(dict.fromkeys([*itertools.chain.from_iterable(of_meeting.values()), *seg.people]))


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


@dataclass
class Hidden:
    """Texts with every person replaced, and the pseudonyms of people on no list."""

    texts: list[str]  # the texts, every person replaced
    others: dict[str, str]  # surname -> "Person N" of people on no list


def pseudonymise_all(
    texts: Sequence[str],
    meetings: Sequence[str],
    seg: Segmented,
    pseudonyms: dict[str, str],
    cache: Store | None = None,
) -> Hidden:
    """Every person in ``texts`` (one meeting id each) replaced by their pseudonym.

    The roster's people are found by its matcher, by spaCy (:mod:`pipeline.pseudonymise.names`) and
    by forename where the minutes call members so; each mention is kept only where it names the
    person there (:mod:`pipeline.pseudonymise.namecontext`). People on no list (named with a title,
    by a given name and a surname, or by NER) become "Person N", by surname across the corpus.
    """
    # Addresses and numbers first: an address spells its owner's name, which NER and the
    # roster's matcher would otherwise half-replace ("[Carer 1].smith@...").
    texts = [contacts.hide(t) for t in texts]
    evidence = namecontext.gather(texts, cache)
    roster = namecontext.roster_people(seg.people.values(), evidence)
    evidence = namecontext.with_people(evidence, roster.people.values())
    # spaCy's attendance_names component (and NER, when a trained pipeline is installed) finds
    # names beside the roster's own matcher; what only NER finds becomes "Person N" below.
    spans = person_spans(list(texts), roster, cache) if texts else []
    attendees: dict[str, set[str]] = {}
    for row in seg.attendance.itertuples(index=False):
        attendees.setdefault(str(row.meeting_id), set()).add(str(row.person_key))
    forenames = namecontext.Forenames(roster.people, attendees)
    by_forename = [forenames.spans(t, m) for t, m in zip(texts, meetings, strict=True)]
    variants = Variants(roster.people.values())
    relatives: list[list[Span]] = [[] for _ in texts]
    found = [
        roster_spans(
            t, roster, evidence, [*s, *f, *variant_spans(t, variants, roster.people, evidence)], r
        )
        for t, s, f, r in zip(texts, spans, by_forename, relatives, strict=True)
    ]
    others: dict[str, str] = {}
    titled: set[str] = set()
    firsts: dict[str, set[str]] = {}  # surname -> forenames written with it
    named: list[list[tuple[int, int, str]]] = []
    for text, mine, ner, first, kin in zip(
        texts, found, spans, by_forename, relatives, strict=True
    ):
        # A relative sharing a member's surname is someone on no list, by their full name.
        hits = [*kin, *_other_names(text, roster, evidence, ner, mine)]
        # A forename several listed people share: hidden as nobody in particular.
        hits += [
            (a, b, text[a:b])
            for a, b, k in first
            if k == namecontext.AMBIGUOUS
            and not _overlaps(a, b, mine)
            and namecontext.keep(text, a, b, "forename", None, evidence)
        ]
        for a, b, surname in hits:
            others.setdefault(surname, f"Person {len(others) + 1}")
            if namecontext.titled_at(text, a):
                titled.add(surname)
            words = text[a:b].split()
            if len(words) == 2 and words[-1] == surname:
                firsts.setdefault(surname, set()).add(words[0])
        named.append(hits)
    loose = set(others) - titled
    out = []
    for text, mine, hits in zip(texts, found, named, strict=True):
        labelled = [(a, b, pseudonyms.get(k, "Person ?")) for a, b, k in mine]
        rest = [*hits, *namecontext.surname_spans(text, others, evidence, loose, firsts)]
        labelled += [(a, b, others[s]) for a, b, s in rest if not _overlaps(a, b, mine)]
        out.append(_replace(text, namecontext.choose(labelled)))
    return Hidden(out, others)


def roster_spans(
    text: str,
    roster: Roster,
    evidence: namecontext.Evidence,
    extra: Sequence[Span] = (),
    relatives: list[Span] | None = None,
) -> list[Span]:
    """``(start, end, key)`` of every mention of a roster person in ``text`` that names them
    there: the roster's matcher first, then ``extra`` spans (spaCy's, forenames, spelling
    variants) where it found nothing. A surname's mention takes in the title, initials or
    forename before it; after another given name it is a relative, added to ``relatives`` as
    ``(start, end, full name)`` and not to the person's mentions."""
    found: list[Span] = []
    for m in roster.mentions(text):
        if m.form in ("chair", "office"):
            continue  # "the Chair" names an office, not a person
        person = roster.people[m.key]
        kin = _relative(text, m.start, m.end, person, evidence) if m.form == "surname" else None
        if kin is not None:
            # Before keep(), which leaves a surname inside a longer name ("Graham Ellison").
            if relatives is not None:
                relatives.append((kin, m.end, re.sub(r"['’]s$", "", text[kin : m.end])))
            continue
        if not namecontext.keep(text, m.start, m.end, m.form, person, evidence):
            continue
        start, end = m.start, m.end
        if m.form in ("surname", "full"):
            start = namecontext.widen(text, start)
            end = namecontext.nickname_after(text, end)
        if m.form == "surname" and start == m.start:
            start = namecontext.given_before(text, start, person)
        found.append((start, end, m.key))
    for a, b, key in extra:
        if not key or key not in roster.people or _overlaps(a, b, found):
            continue
        written = text[a:b]
        form = "initials" if written.isupper() else "full" if " " in written else "forename"
        if namecontext.keep(text, a, b, form, roster.people[key], evidence):
            found.append((a, b, key))
    return sorted(namecontext.choose(found))


def _relative(
    text: str, start: int, end: int, person: Person, evidence: namecontext.Evidence
) -> int | None:
    """Where a relative's given name starts before ``person``'s surname at ``start``: none
    after a title or initials, or a forename the person goes by (:func:`relative_before`)."""
    if namecontext.widen(text, start) != start:
        return None
    if namecontext.given_before(text, start, person) != start:
        return None
    return relative_before(text, start, person, evidence, end)


def _other_names(
    text: str,
    roster: Roster,
    evidence: namecontext.Evidence,
    ner: Sequence[Span],
    mine: list[Span],
) -> list[Span]:
    """``(start, end, surname)`` of people on no list: found by NER, named with a title, or by
    a given name and a surname. A name the roster knows written another way ("Jackie Lenny"
    for Jackie Lennie) is added to ``mine`` as its person instead."""
    hits: list[Span] = []
    for a, b, key in ner:
        words = re.sub(r"['’]s$", "", text[a:b]).split()
        if namecontext.organisation_context(text, a):
            continue  # "in partnership with Northline Abellio": a partner, whatever NER says
        if (not key and namecontext.ner_name(words, evidence)) or (
            key == OTHER_LABEL and namecontext.mislabelled_name(words, evidence)
        ):
            hits.append((a, b, words[-1]))
    hits += namecontext.titled_surnames(text, evidence)
    hits += namecontext.described_names(text, evidence)
    for a, b, surname, sure in namecontext.full_names(text, evidence):
        if _overlaps(a, b, mine):
            continue
        person = roster.resolve(text[a:b])
        if person is not None:
            mine.append((a, b, person.key))
            mine.sort()
        elif sure:
            hits.append((a, b, surname))
    return [
        (a, b, s)
        for a, b, s in hits
        if not _overlaps(a, b, mine) and not namecontext.seat_of(text, a)
    ]


def _overlaps(a: int, b: int, spans: Iterable[Span]) -> bool:
    return any(x < b and a < y for x, y, _ in spans)


def _replace(text: str, spans: Sequence[Span]) -> str:
    """``text`` with each ``(start, end, label)`` span replaced by its label."""
    pieces: list[str] = []
    pos = 0
    for start, end, label in spans:
        pieces.append(text[pos:start])
        pieces.append(label)
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


@lru_cache(maxsize=1)
def nlp() -> Language:
    """A blank English pipeline with sentence boundaries and lookup lemmas (no model needed)."""
    import spacy

    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("lemmatizer", config={"mode": "lookup"})
    pipeline.initialize()
    return pipeline


def _lemmas(doc: Doc) -> list[str]:
    return [t.lemma_.lower() for t in doc if not (t.is_punct or t.is_space)]


def lemmas_of(texts: list[str]) -> list[str]:
    """Each lower-cased text's lemmas, space-separated (here, or on a cluster's worker)."""
    return [" ".join(_lemmas(doc)) for doc in nlp().pipe(texts, batch_size=256)]


def lemmatise(texts: list[str], cache: Store | None = None) -> list[str]:
    """Lower-cased lemmas, space-separated, punctuation dropped: the form seeds are matched in.

    Text is lower-cased first: the lookup table has lower-case keys, so "Crisis Lines" at the
    start of a sentence or in a title would otherwise keep its plural. With a ``cache``, each
    text's lemmas are kept between runs (spaCy's and its lookup tables' versions in the key).
    """
    import spacy

    lowered = [t.lower() for t in texts]

    def compute(positions: list[int]) -> list[str]:
        return distribute.map_chunks(lemmas_of, [lowered[i] for i in positions])

    version = textcache.fingerprint(
        "lemmas",
        spacy.__version__,
        textcache.package_version("spacy-lookups-data"),
        textcache.source_hash(sys.modules[__name__]),
    )
    return textcache.PerText(cache, "lemmas", version).map(
        lowered, compute, load=lambda v: v if isinstance(v, str) else None, dump=str
    )
