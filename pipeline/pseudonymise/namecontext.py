"""Does a name written in the minutes name a person here? The sentence and the corpus say.

The roster's matcher (:meth:`pipeline.pseudonymise.people.Roster.mentions`) finds every place where
a
person's surname, forename or initials are written; but the same letters also name places,
organisations and other people:

- an attendance list gives "Mrs Duncan Kilbrannan Primary Head Teacher", and "Kilbrannan"
  is then a surname and the village; "Isla Brodie Dunmore & Glen CPG" makes a surname of a
  town;
- "CC" is Callum Cowie in one sentence ("CC advised that ...") and the Community Council
  in the next ("The CC agreed ..."); "LPF" and "CCA" are organisations that lists put on lines
  of their own;
- "Hall" is a surname and a word of "Village Hall" and "Hall Hire"; "MBE" follows a name and
  is none; "Elspeth" is Elspeth Tait where the minutes call members by forename.

A careful reader tells them apart by the sentence and by what the rest of the minutes say of
the word. So does this module: :func:`gather` reads the whole corpus once for the words it uses
in names of places and organisations and the acronyms it uses for organisations, and
:func:`keep` says of each mention whether it names the person where it stands. An ambiguous
word (an ordinary English word, a place's word, an organisation's acronym) is replaced only
where the sentence names a person with it: after a title or initials ("Mr K Hall"), before a
verb of speaking or an action ("CC advised", "Hall to write"), in a list of initials
("AB/CC/DE") or alone in an action column. Everything else keeps its mention.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from pipeline.core import textcache, vocab
from pipeline.core.textcache import Store
from pipeline.pseudonymise.people import TITLES, Person, Roster, initials_of, strip_title
from pipeline.segment.namewords import (
    PLACE_NOUNS,
    ROLE_NOUNS,
    is_given_name,
    is_initial,
    is_ordinary,
    is_plainly_ordinary,
    name_length,
    ordinariness,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Honours and post-nominals written after a name: never a name, never initials.
HONOURS = _words("OBE MBE CBE KBE DBE GBE BEM QPM KPM FRS MSP MLA QC")
# Nouns that end the name of an organisation, never a surname: "Cabinet Office", "Pharmaceutical
# Committee", "Wessex Constabulary". (Place nouns like "Hall" or "Green" are surnames
# too; they are in PLACE_NOUNS and make a word ambiguous, not a non-name.)
ORGANISATION_NOUNS = _words(
    """council committee office association group trust board forum team services service
    society foundation network partnership police constabulary ministry department agency
    authority institute commission directorate panel unit cabinet school college
    university academy library surgery hospital pharmacy chemists centre center station
    estate road street avenue lane drive terrace crescent gardens square company ltd
    limited plc people children families"""
)
# Words that start a sentence, not a name ("Robert Ainslie It was ...").
FUNCTION_WORDS = _words(
    """the a an in on at of to for by and or with from as this that these those it its he she
    they we there all any each no not our their his her"""
)
# Titles as minutes write them before a name, case included: "Ms Teams" is a person and
# "MS Teams" software; "PC Bennett" a constable. "Nurse", "Sister",
# "Father" and "Judge" are left out: before a capitalised word they are more often a job or a
# name ("Nurse Practitioner", "Judge Business School") than a title.
_WEAK_TITLES = frozenset({"nurse", "sister", "father", "judge"})
_TITLE_WORDS = sorted(
    {t.title() for t in TITLES if " " not in t and t not in _WEAK_TITLES} | {"PC", "PCSO"},
    key=len,
    reverse=True,
)
TITLE = r"(?:" + "|".join(re.escape(t) for t in _TITLE_WORDS) + r")\.?"
# A word of a name: "O’Farrell", "McAlister", "Lowther-Brown".
NAME = r"(?:[A-Z]['’])?(?:Ma?c)?[A-Z][a-z]+(?:-[A-Z][a-z]+)*"
# A word written straight after a title (and initials): a surname ("Mrs Rook", "Dr J Rook").
_TITLE_THEN = re.compile(rf"(?<![\w’']){TITLE}\s+(?:[A-Z]\.?\s+){{0,3}}({NAME})")
_NAME_RE = re.compile(rf"^{NAME}$")
_WORD_BEFORE = re.compile(r"([A-Za-z][\w'’.&-]*)[ \t]+$")
_WORD_AFTER = re.compile(r"^(?:['’]s)?[ \t]+([A-Za-z][\w'’-]*)")
# Before a name: a title and maybe initials ("Mr K Hall", "Cllr R W Pellow"), or initials alone.
# "A" and "I" alone are a word, not an initial.
_TITLE_AND_INITIALS_BEFORE = re.compile(
    rf"(?<![\w’']){TITLE}\s+(?:[A-Z]\.?\s+){{0,3}}$"
    r"|(?<![\w’'.])(?:[A-Z]\.\s*|(?![AI]\s)[A-Z]\s+){1,3}$"
)
# Verbs of a person speaking or acting, after a name: "CC advised", "Hill to write to".
_SPEECH = (
    r"(?:said|says|asked|reported|explained|noted|confirmed|advised|agreed|stated|commented|"
    r"suggested|added|replied|responded|raised|welcomed|thanked|presented|introduced|"
    r"highlighted|outlined|updated|informed|queried|questioned|proposed|seconded|requested|"
    r"undertook|offered|briefed|expressed|emphasi[sz]ed|pointed|recommended|wondered|felt|"
    r"spoke|chaired|declared|circulated|attended|volunteered|reminded|mentioned|indicated|"
    r"wished|hoped|believed|contacted|spoken|discussed|enquired|gave|met|sent|"
    r"was\s+(?:thanked|asked|elected|appointed)|"
    r"to\s+(?!(?:the|and|all|any|our|their|his|her|its|this|that|these|those|date|follow|"
    r"be|have)\b)[a-z]{3,})\b"
)
_PERSON_AFTER = re.compile(
    rf"^(?:['’]s)?(?:\s*\(\s*[A-Z][A-Za-z]{{1,3}}\s*\))?,?\s+(?:also\s+|then\s+|kindly\s+)?"
    rf"{_SPEECH}"
)
# Before a name, words that take a person: "thanked Elspeth", "proposed by Hill", "Action: CC".
_PERSON_BEFORE = re.compile(
    r"(?:\b(?:thanked|welcomed|congratulated|invited|asked|(?:proposed|seconded|chaired)\s+by)"
    r"|\bACTIONS?\s*[:\-–]?|\bActions?\s*[:\-–])\s*$"
)
_ARTICLE_BEFORE = re.compile(r"\b(?:[Tt]he|[Aa]n?|[Oo]ur|[Tt]heir|[Ii]ts|[Ee]ach|[Ee]very)\s+$")
# Initials in a list of initials: "AB/CC/DE", "AM,PC,DS", "KC and GD".
_LIST_BEFORE = re.compile(r"\b([A-Z][A-Za-z]?[A-Z][A-Za-z]?)\s*(?:/|,|&|\band\b)\s*$")
_LIST_AFTER = re.compile(r"^\s*(?:/|,|&|\band\b)\s*([A-Z][A-Za-z]?[A-Z][A-Za-z]?)\b")
# A reference, not initials: "paper TB(2)1.ii", "TB/24/033".
_REFERENCE_AFTER = re.compile(r"^(?:\(\d|/\d|\d)")
_LOCATIVE = re.compile(
    rf"\b(?:in|at|near|around|within|across|throughout|outside)\s+({NAME})(?![\w’'])"
)
_PROPER_RUN = re.compile(rf"((?:{NAME}\s+){{1,3}})({NAME})\b")
_ACRONYM_USE = re.compile(
    r"\b(?:[Tt]he|Member|Secretary|Treasurer|Convenor|Convener|Chair|Councillor|Clerk)\s+"
    r"([A-Z]{2,6})\b(?!\s*\))"
)
_ACRONYM_DEFINED = re.compile(
    rf"((?:{NAME}\s+(?:(?:of|and|&|for|the)\s+)?){{1,6}})\(\s*([A-Z]{{2,6}})\s*\)"
)
_INITIALS = re.compile(r"^(?:[A-Z][A-Za-z]?[A-Z][A-Za-z]?|[A-Z]{2,4})$")
# An acronym that describes a person named in full beside it, so an office or an organisation:
# "CPO Bethan Young", "Owen Hartley, CEO, LPF".
_DESCRIPTOR = re.compile(
    rf"\b([A-Z]{{2,6}})[ \t]+{NAME}[ \t]+{NAME}\b|\b{NAME}[ \t]+{NAME},[ \t]+([A-Z]{{2,6}})\b"
)
# Particles inside a surname: "Anna von Richter", "Lise de Vries".
_PARTICLES = _words("von van der den de du da di le la")


@dataclass(frozen=True)
class Evidence:
    """What the whole corpus says of name-shaped words (:func:`gather`).

    ``places``: capitalised words it writes as places ("in Kilbrannan") or inside names of
    places and organisations ("Kilbrannan Primary School", "Ardmore Community Hall");
    ``organisations``: acronyms it uses for organisations or offices ("the CC", "Member CC",
    "Community Council (CC)"); ``titled``: words it writes straight after a title, so
    surnames ("Mrs Rook"); ``descriptors``: acronyms it writes beside a person's full name
    ("CPO Bethan Young", "Owen Hartley, CEO, LPF"), offices or organisations unless they are
    someone's initials; ``initials``: the initials of the people named in full, for telling a
    list of them ("AB/CC/DE") from a list of acronyms (set by :func:`with_people`).
    """

    places: frozenset[str] = frozenset()
    organisations: frozenset[str] = frozenset()
    titled: frozenset[str] = frozenset()
    descriptors: frozenset[str] = frozenset()
    initials: frozenset[str] = frozenset()


def gather(texts: Sequence[str], cache: Store | None = None) -> Evidence:
    """Read the corpus for places, organisations' acronyms and titled surnames.

    What each text says is its own (:func:`_text_evidence`): with a ``cache``
    (:mod:`pipeline.core.textcache`) it is kept between runs, and only the union is made anew."""
    found = textcache.PerText(cache, "name-evidence", _evidence_version()).map(
        list(texts),
        lambda positions: [_text_evidence(texts[i]) for i in positions],
        load=_load_evidence,
        dump=lambda e: [sorted(e[0]), dict(e[1]), sorted(e[2]), sorted(e[3]), sorted(e[4])],
    )
    places: set[str] = set()
    used: Counter[str] = Counter()
    organisations: set[str] = set()
    titled: set[str] = set()
    descriptors: set[str] = set()
    for p, u, o, t, d in found:
        places |= p
        used.update(u)
        organisations |= o
        titled |= t
        descriptors |= d
    # Twice at least: "the RB" once is a table's columns run together, not an organisation.
    organisations |= {a for a, n in used.items() if n >= 2}
    return Evidence(
        frozenset(places), frozenset(organisations), frozenset(titled), frozenset(descriptors)
    )


# One text's evidence: places, acronyms used (with counts), acronyms defined as organisations,
# titled words, descriptors.
TextEvidence = tuple[set[str], dict[str, int], set[str], set[str], set[str]]


def _text_evidence(text: str) -> TextEvidence:
    places: set[str] = {m.group(1) for m in _LOCATIVE.finditer(text)}
    for m in _PROPER_RUN.finditer(text):
        words = m.group(1).split()
        if m.group(2).lower() not in PLACE_NOUNS | ORGANISATION_NOUNS:
            continue
        # "Mark Tennant Partnership Manager" is a person before their job, not a place.
        if is_given_name(words[0]) or words[0].lower() in FUNCTION_WORDS:
            continue
        places |= {w for w in words if not _is_title(w)}
    used = dict(Counter(m.group(1) for m in _ACRONYM_USE.finditer(text)))
    organisations: set[str] = set()
    for m in _ACRONYM_DEFINED.finditer(text):
        words = [w for w in m.group(1).split() if w[:1].isupper()]
        acronym = m.group(2)
        for n in range(len(acronym), 1, -1):
            tail = words[-n:]
            if len(tail) == n and "".join(w[0] for w in tail) == acronym:
                if not is_given_name(tail[0]):
                    organisations.add(acronym)
                break
    titled = {m.group(1) for m in _TITLE_THEN.finditer(text)}
    descriptors = {m.group(1) or m.group(2) for m in _DESCRIPTOR.finditer(text)}
    return places, used, organisations, titled, descriptors


def _load_evidence(entry: object) -> TextEvidence | None:
    """A kept entry as a text's evidence; anything of another shape is a miss."""
    if not isinstance(entry, list) or len(entry) != 5:
        return None
    places, used, organisations, titled, descriptors = entry
    lists = (places, organisations, titled, descriptors)
    if not all(isinstance(x, list) and all(isinstance(w, str) for w in x) for x in lists):
        return None
    if not isinstance(used, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
        for k, v in used.items()
    ):
        return None
    return set(places), dict(used), set(organisations), set(titled), set(descriptors)


@lru_cache(maxsize=1)
def _evidence_version() -> str:
    """The code and word lists that decide a text's evidence: editing any is a miss."""
    from importlib import resources

    from pipeline.segment import namewords

    names = resources.files("pipeline").joinpath("data/given-names.txt").read_bytes()
    return textcache.fingerprint(
        textcache.source_hash(sys.modules[__name__], namewords, vocab),
        hashlib.sha256(names).hexdigest(),
    )


def with_people(evidence: Evidence, people: Iterable[Person]) -> Evidence:
    """``evidence`` knowing the initials of the people named in full."""
    initials: set[str] = set()
    for p in people:
        if len(strip_title(p.name)[0].split()) >= 2:
            initials |= {*p.initials, initials_of(p.name)}
    return replace(evidence, initials=frozenset(initials))


def _is_title(word: str) -> bool:
    return word.rstrip(".").lower() in TITLES


def is_name(person: Person) -> bool:
    """Whether a roster entry read from a list is a person's name at all.

    Lists give entries that are not: a page footer ("Page"), an honour ("MBE"), an office
    ("Chief Officer"), an organisation ("Cabinet Office", "Pharmaceutical Committee"), a
    sentence's start ("An update"). A board file's names are names. Initials alone ("DP") are
    a person known by initials.
    """
    if person.role_source == "board.yaml":
        return True
    bare, title = strip_title(person.name)
    words = bare.split()
    if not words:
        return False
    if len(words) == 1 and re.fullmatch(r"[A-Z]{2,4}", words[0]):
        return words[0] not in HONOURS
    if not all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
        return False  # "An update"
    if any(w.lower() in FUNCTION_WORDS for w in words):
        return False  # "In Attendance"
    first, last = words[0].strip(",.;:"), words[-1].strip(",.;:")
    if first.lower() in ROLE_NOUNS:
        return False  # "Vice Chair", "Deputy Manager"
    if last.lower() in ROLE_NOUNS and not (is_given_name(first) or is_initial(first)):
        return False  # "Chief Officer"; but "Cora Head" and "C Head" are names
    if words[-1].lower() in ORGANISATION_NOUNS:
        return False
    if len(words) == 1:
        # "Tom" is a name; "Page" (of "Page 1 of 9") is a given name but first a word.
        return bool(title) or (is_given_name(words[0]) and not is_ordinary(words[0]))
    # Initials the list gave with it ("Dev Chaudhry (DC)") say the words are a name.
    return bool(person.initials) or name_length([*title.split(), *words]) > 0


def person_after(after: str) -> bool:
    """A verb of speaking or an action follows: "advised that", "to check", "'s report"."""
    return bool(_PERSON_AFTER.match(after))


def _person_context(before: str, after: str) -> bool:
    return bool(
        _TITLE_AND_INITIALS_BEFORE.search(before)
        or _PERSON_BEFORE.search(before)
        or _PERSON_AFTER.match(after)
    )


def described(before: str, after: str) -> bool:
    """Whether the words around a capitalised pair describe a person ("heard from ...",
    "..., a peer support worker", "... (A&B Council Roads)")."""
    return bool(_DESCRIBED_BEFORE.search(before) or _DESCRIBED_AFTER.match(after))


def person_context(before: str, after: str) -> bool:
    """Whether the words around a capitalised word mark it a person's name: a title or
    initials before it, a verb of speaking or an action after it."""
    return _person_context(before, after)


def in_longer_name(before: str, after: str) -> bool:
    """Whether a one-word name stands inside a longer proper noun: "Ardmore Community Hall",
    "Hall Hire", "Kilbrannan Primary School", "Tait Rowe Architects".

    A title, an initial or a given name before it belongs to the person's name ("Cllr Hall",
    "J Hill", "Jo Mercer"); an office after it describes the person ("Tait Convenor");
    a function word after it starts the next sentence ("Ainslie It was ...").
    """
    prev = _WORD_BEFORE.search(before)
    if prev:
        word = prev.group(1)
        if _proper(word) and not (
            _is_title(word) or is_given_name(word) or word.lower() in ROLE_NOUNS
        ):
            return True
    nxt = _WORD_AFTER.match(after)
    if nxt:
        word = nxt.group(1)
        if _proper(word) and word.lower() not in FUNCTION_WORDS | ROLE_NOUNS:
            return True
    return False


def _proper(word: str) -> bool:
    """A capitalised word with small letters after its capital ("Hall"; not "CC", "hall")."""
    return word[:1].isupper() and len(word) > 1 and any(c.islower() for c in word[1:])


def ambiguous(word: str, evidence: Evidence) -> bool:
    """A one-word name that is also something else: an ordinary English word ("Hall",
    "Rook"), or a word the corpus uses for a place or an organisation ("Kilbrannan")."""
    return is_ordinary(word) or word in evidence.places


def keep(
    text: str, start: int, end: int, form: str, person: Person | None, evidence: Evidence
) -> bool:
    """Whether the mention ``text[start:end]`` of ``person`` (``form`` as
    :class:`pipeline.pseudonymise.people.Mention` gives it) names the person where it stands."""
    written = text[start:end]
    before, after = text[:start], text[end:]
    if form == "full":
        # A name is written with capitals: "in attendance" is no "In Attendance".
        return all(w[:1].isupper() or w.lower() in _PARTICLES for w in written.split())
    if form in ("office", "chair"):
        return True
    if form == "initials":
        return keep_initials(written, before, after, person, evidence)
    # The matcher takes a title in any case before a capitalised name ("councillor Fleming").
    if re.match(rf"(?i:{TITLE})\s", written):
        return True
    word = re.sub(r"['’]s$", "", written)
    if word.isupper() or word in HONOURS:
        return False
    if form == "surname" and person and given_before(text, start, person) < start:
        return True  # "Jo Mercer", "Robert (Bob) Ainslie": the person's forename, another way
    if in_longer_name(before, after):
        return False
    if ambiguous(word, evidence) or (form == "forename" and word.lower() in ROLE_NOUNS):
        if _LOCATIVE_BEFORE.search(before):
            return False  # "those in Kilbrannan to apply"
        # An ordinary word written with a capital in mid-sentence is a name ("his tribute to
        # Bob"); a place's word is not made a person so ("the road to Kilbrannan").
        capital = word not in evidence.places and bool(_MID_SENTENCE.search(before))
        return capital or _person_context(before, after) or _among_names(before, after)
    return True


_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|around|within|across|throughout|outside)\s+$")
# A word in lower case just before, that no article is: the next word is in mid-sentence.
_MID_SENTENCE = re.compile(
    r"(?<![\w’'-])(?!(?:the|a|an|this|that|these|those|our|their|its|his|her|each|every|any|"
    r"no|some|of|via|on|into|onto|per)\b)[a-z]+[ \t]+$"
)


def _among_names(before: str, after: str) -> bool:
    """A word in a list of people ("Shona, Jos, Rory and Cal") or before an initial
    ("Jos V, Chris T"): a name among names."""
    prev = re.search(rf"({NAME})\s*(?:,|;|&|\band)\s*$", before)
    nxt = re.match(rf"\s*(?:,|;|&|and\b)\s*({NAME})", after)
    if (prev and is_given_name(prev.group(1))) or (nxt and is_given_name(nxt.group(1))):
        return True
    return bool(re.match(r"[ \t]+(?:[A-Z]\.|(?![AI]\b)[A-Z]\b)(?![\w’'])", after))


def keep_initials(
    written: str, before: str, after: str, person: Person | None, evidence: Evidence
) -> bool:
    """Initials name the person unless they are an honour or a reference ("TB(2)"); initials
    that are also an organisation's acronym, or all that is known of someone, name the person
    only where the sentence says so ("CC advised", "Action: CC", "AB/CC/DE")."""
    if written in HONOURS or _REFERENCE_AFTER.match(after):
        return False
    known_by_initials = person is not None and bool(
        re.fullmatch(r"[A-Z]{2,4}", strip_title(person.name)[0])
    )
    nxt = _WORD_AFTER.match(after)
    if nxt and _proper(nxt.group(1)) and nxt.group(1).lower() not in ROLE_NOUNS | FUNCTION_WORDS:
        return False  # "HM Treasury", "VE Day Event": letters opening a longer name
    if re.search(r"(?<![\w&])[A-Z]+&[A-Z]+[ \t]+$", before):
        return False  # "R&C CC", "A&B DC": letters closing an organisation's name
    if written in evidence.descriptors and written not in evidence.initials:
        return False  # "Bethan Young, CPO, presented": the office, not another person
    if written not in evidence.organisations and not known_by_initials:
        return True
    if _ARTICLE_BEFORE.search(before):
        return False
    prev = _LIST_BEFORE.search(before)
    follow = _LIST_AFTER.match(after)
    listed = bool(
        (prev and prev.group(1) in evidence.initials)
        or (follow and follow.group(1) in evidence.initials)
    )
    cell = bool(re.search(r"(?:^|\|)\s*$", before) and re.match(r"\s*(?:\||$)", after))
    return listed or cell or _person_context(before, after)


def widen(text: str, start: int) -> int:
    """The start of a mention taken back over the title and initials before it: "Mr R W
    Pellow" is one name where the roster wrote "Roger Pellow"."""
    m = _TITLE_AND_INITIALS_BEFORE.search(text[:start])
    return m.start() if m else start


def given_before(text: str, start: int, person: Person) -> int:
    """The start of a surname's mention taken back over a forename written another way
    ("Jo Mercer" for Joanne Mercer: a given name with the same first letter), and over
    a name by which the person is known, in brackets ("Robert (Bob) Ainslie")."""
    if not person.forenames:
        return start
    initial = person.forenames[0][:1]
    m = re.search(
        rf"(?<![\w’'])(?:({NAME})[ \t]+)?\(\s*({NAME})\s*\)[ \t]*$|(?<![\w’'])({NAME})[ \t]+$",
        text[:start],
    )
    if not m:
        return start
    words = [w for w in m.groups() if w]
    if words[-1] in person.forenames or (is_given_name(words[-1]) and words[-1][0] == initial):
        return m.start()
    return start


def nickname_after(text: str, end: int) -> int:
    """The end of a full name's mention taken over a name in brackets after it, by which the
    person is known ("Farid Rahman (Freddie)")."""
    m = re.match(rf"\s*\(\s*({NAME})\s*\)", text[end:])
    return end + m.end() if m and is_given_name(m.group(1)) else end


# --------------------------------------------------------------------------- forenames
# The key of a forename that several people of the lists have: hidden, as nobody in particular.
AMBIGUOUS = "?"


@dataclass
class Forenames:
    """People named by forename alone ("Elspeth confirmed", "Morag and Elspeth will attend"),
    where the minutes call members so.

    A forename names the one person of the meeting with it (the attendance list of that
    meeting); else the one person of the whole corpus with it. A forename two people of the
    meeting share names nobody. A board file's one-word aliases ("Elspeth", "Freddie") are
    forenames of their person wherever they are written.
    """

    people: Mapping[str, Person]
    meetings: Mapping[str, set[str]] = field(default_factory=dict)  # meeting id -> person keys

    def __post_init__(self) -> None:
        self._corpus = self._unique(self.people)
        firsts = Counter(p.forenames[0] for p in self.people.values() if p.forenames)
        self._shared = {f for f, n in firsts.items() if n > 1}
        self._aliases: dict[str, set[str]] = {}
        for p in self.people.values():
            for alias in p.aliases:
                if _NAME_RE.match(alias) and alias.lower() not in ROLE_NOUNS:
                    self._aliases.setdefault(alias, set()).add(p.key)
        self._by_meeting = {
            m: self._unique({k: self.people[k] for k in keys if k in self.people})
            for m, keys in self.meetings.items()
        }
        surnames = {p.surname for p in self.people.values()}
        # A forename that is someone's surname ("Duncan" of Morag Duncan) stays theirs.
        self._surnames = surnames

    @staticmethod
    def _unique(people: Mapping[str, Person]) -> dict[str, str]:
        """Forename -> key of the one person with it; entries that extend another's name
        ("Isla Brodie Dunmore" beside "Isla Brodie") are that person."""
        by_name: dict[str, set[str]] = {}
        names = {k: strip_title(p.name)[0] for k, p in people.items()}
        for key, p in people.items():
            if not p.forenames or len(p.forenames[0]) < 3 or not _NAME_RE.match(p.forenames[0]):
                continue
            base = min(
                (k for k, n in names.items() if names[key].startswith(n + " ") or k == key),
                key=lambda k: len(names[k]),
            )
            by_name.setdefault(p.forenames[0], set()).add(base)
        return {f: next(iter(keys)) for f, keys in by_name.items() if len(keys) == 1}

    def spans(self, text: str, meeting: str = "") -> list[tuple[int, int, str]]:
        """``(start, end, key)`` of forenames written alone in ``text``."""
        here = self._by_meeting.get(meeting, {})
        out = []
        for m in re.finditer(rf"(?<![\w’'-])({NAME})(?:['’]s)?(?![\w’'-])", text):
            word = m.group(1)
            aliases = self._aliases.get(word, set())
            if len(aliases) == 1:
                key = next(iter(aliases))
            elif word in self._surnames or word in HONOURS:
                continue
            else:
                found = here.get(word) or self._corpus.get(word)
                if found is None and word in self._shared and is_given_name(word):
                    found = AMBIGUOUS  # "Ian", and three Ians on the lists
                if found is None:
                    continue
                key = found
            out.append((m.start(1), m.end(1), key))
        return out


# --------------------------------------------------------------------------- other people
def titled_surnames(text: str, evidence: Evidence) -> list[tuple[int, int, str]]:
    """``(start, end, surname)`` of people named with a title ("Mrs Patel", "Mr Joe Haldane").

    The surname is the last word of the name: honours and acronyms end it ("Mr Pellow
    MBE"), and so does an ordinary word after a surname, unless the corpus writes it straight
    after a title ("Ms Tully Motion carried" is Ms Tully; "Ms Lesley Rook" is Ms Rook).
    """
    out = []
    pattern = re.compile(
        rf"(?<![\w’']){TITLE}\s+(?:[A-Z]\.?\s+){{0,3}}({NAME})(?:[ \t]+({NAME}))?"
        rf"(?:[ \t]+({NAME}))?(?:['’]s)?(?![\w’'-])"
    )
    for m in pattern.finditer(text):
        n = 1
        while n < 3 and m.group(n + 1):
            prev, word = m.group(n), m.group(n + 1)
            if word.lower() in PLACE_NOUNS | ORGANISATION_NOUNS | ROLE_NOUNS:
                break
            # "Ms Lesley Rook": after a given name, a surname may be a word too.
            after_given = is_given_name(prev) and not is_plainly_ordinary(word)
            if is_ordinary(word) and word not in evidence.titled and not after_given:
                break
            n += 1
        surname = m.group(n)
        if surname.lower() in ROLE_NOUNS | _HEADING_NOUNS or _is_title(surname):
            continue  # "Councillor Update", "Chair's Report": a heading, not a surname
        out.append((m.start(), m.end(n), surname))
    return out


# Nouns of an agenda's headings, never a surname after a title: "Councillor Update".
_HEADING_NOUNS = _words(
    """update updates report reports item items agenda matters business notes apologies
    minutes actions"""
)


def full_names(text: str, evidence: Evidence) -> list[tuple[int, int, str, bool]]:
    """``(start, end, surname, sure)`` of a given name and a capitalised word after it, outside
    a longer proper noun: a person the roster may know written another way ("Jackie Lenny"
    for Jackie Lennie). ``sure``: the shape alone makes it a person on no list ("Duncan Ferrier
    from Police Scotland confirmed ..."): a given name that is no ordinary word, then a word
    that is neither an ordinary word, a given name, nor a place's or an organisation's word.
    """
    out = []
    nouns = PLACE_NOUNS | ORGANISATION_NOUNS | ROLE_NOUNS | CALENDAR
    for m in re.finditer(rf"(?<![\w’'-])({NAME})\s+({NAME})(?:['’]s)?(?![\w’'-])", text):
        first, last = m.group(1), m.group(2)
        if first.lower() in FUNCTION_WORDS | nouns:
            continue
        # "Jos Verhoef said": a name the census lists miss, made a person by the verb.
        spoke = bool(_PERSON_AFTER.match(text[m.end() :])) and not is_plainly_ordinary(first)
        if not (is_given_name(first) or spoke):
            continue
        if last.lower() in nouns or last in evidence.places or first in evidence.places:
            continue
        if in_longer_name(text[: m.start()], text[m.end() :]):
            continue
        sure = not ((is_ordinary(first) and not spoke) or is_ordinary(last) or is_given_name(last))
        out.append((m.start(), m.end(2), last, sure))
    return out


# Months, days and the words that open names of places and institutions: "In February",
# "Royal Western" are no one.
CALENDAR = _words(
    " ".join([*vocab.MONTHS, *vocab.WEEKDAYS])
    + """ christmas easter spring summer autumn winter royal national central northern
    southern eastern western north south east west new old great upper lower saint st"""
)


def titled_at(text: str, start: int) -> bool:
    """Whether the name at ``start`` opens with a title ("Mrs Patel")."""
    return bool(re.match(rf"{TITLE}\s", text[start:]))


def ner_name(words: Sequence[str], evidence: Evidence) -> bool:
    """Whether a name only NER found is worth hiding as a person: NER takes places and bodies
    for people too ("Kirkton Burn", "Ellisland Lodge", "Corner Supermarket"). Two name words at
    least, none of them a place's or an organisation's word; the first a given name ("Bethan
    Young"), or else every word one the lexicon does not know ("Talib Anwari")."""
    if len(words) < 2 or not all(_NAME_RE.match(w) for w in words):
        return False
    nouns = PLACE_NOUNS | ORGANISATION_NOUNS | ROLE_NOUNS | CALENDAR
    if any(w in evidence.places or w.lower() in nouns for w in words):
        return False
    if is_given_name(words[0]) or mislabelled_name(words, evidence):
        return True  # "Callum Luttton": a given name the census lists miss, a rare word
    return all(ordinariness(w) == float("-inf") for w in words)


# Words around a name that say the name is a person's, whatever its words: "heard from
# Clemency Ulmbury, a peer support worker", "Roddy McCuish (Roads)", "X from the housing team".
_DESCRIBED_BEFORE = re.compile(
    r"\b(?:heard\s+from|thanked|welcomed|introduced|joined\s+by|presented\s+by|"
    r"(?:update|presentation|report|apologies)\s+from|spoke\s+to|met\s+with|contact(?:ed|ing)?)"
    r"\s+$"
)
_DESCRIBED_AFTER = re.compile(
    r"^(?:['’]s)?(?:,\s+(?:a|an|the|who|whose|our)\s|\s+from\s+(?:the\s+)?\w|\s*\((?!\d))"
)


def described_names(text: str, evidence: Evidence) -> list[tuple[int, int, str]]:
    """``(start, end, surname)`` of two capitalised words the sentence marks as a person's
    name (:data:`_DESCRIBED_BEFORE`, :data:`_DESCRIBED_AFTER`, a verb of speaking): found
    without NER or the census lists, which miss "Clemency Ulmbury" (an ordinary word, then a
    rare one). The second word must be no ordinary word, no place's and no body's."""
    out = []
    nouns = PLACE_NOUNS | ORGANISATION_NOUNS | ROLE_NOUNS | CALENDAR | FUNCTION_WORDS
    # A lookahead, so that "Request Roddy McCuish" yields "Roddy McCuish" too.
    for m in re.finditer(rf"(?<![\w’'-])(?=({NAME})\s+({NAME})(?:['’]s)?(?![\w’'-]))", text):
        first, last = m.group(1), m.group(2)
        if any(
            w.lower() in nouns | _STREET_ABBREVIATIONS | OFFICES_OF_STATE or w in evidence.places
            for w in (first, last)
        ):
            continue
        # Both words a name's: "Update Mary confirmed" is Mary, "Direction Agreed to" no one;
        # after "heard from" or "thanked" any capitalised word may open one ("Clemency").
        if _is_title(first) or ordinariness(last) >= 0:
            continue
        before, after = text[: m.start(1)], text[m.end(2) :]
        strong = bool(_DESCRIBED_BEFORE.search(before))
        named = is_given_name(first) or ordinariness(first) < 0
        weak = bool(_DESCRIBED_AFTER.match(after) or _PERSON_AFTER.match(after))
        if strong or (named and weak):
            out.append((m.start(1), m.end(2), last))
    return out


_STREET_ABBREVIATIONS = frozenset({"rd", "st", "ave", "ln", "dr", "cres", "pl", "sq", "ct"})
# Offices of state written capitalised, two words like a name ("Prime Minister").
OFFICES_OF_STATE = frozenset({"prime", "minister", "ministers", "mp", "mps", "msp", "mep"})


# "the MP for Liverpool Riverside", "Member for Ardmore North": a constituency or a ward.
_SEAT_BEFORE = re.compile(
    r"\b(?:MPs?|MSPs?|MEPs?|MLAs?|[Mm]embers?|[Cc]ouncillors?|[Cc]llrs?\.?)\s+for\s+(?:the\s+)?$"
)


# "in partnership with Northline Abellio", "funded by Kestrel Vantis": words before a name that
# take an organisation, whatever NER labels it.
_ORGANISATION_BEFORE = re.compile(
    r"\b(?:(?:in\s+)?partnership\s+with|partnering\s+with|partners?\s+(?:with|of)|"
    r"funded\s+by|contract(?:ed)?\s+(?:with|to))\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def organisation_context(text: str, start: int) -> bool:
    """Whether the words before ``start`` take an organisation ("in partnership with")."""
    return _ORGANISATION_BEFORE.search(text[max(0, start - 40) : start]) is not None


def seat_of(text: str, start: int) -> bool:
    """Whether the name at ``start`` is the seat someone holds ("the MP for Liverpool
    Riverside"), a place rather than a person."""
    return _SEAT_BEFORE.search(text[max(0, start - 40) : start]) is not None


def mislabelled_name(words: Sequence[str], evidence: Evidence) -> bool:
    """Whether an entity NER labelled an organisation or a place is a person's name after all
    ("Callum Cranwell" ORG): exactly two name words, neither an ordinary word nor a place's or
    an organisation's word; the first a given name or a word rarely written in lower case, the
    second no given name."""
    if len(words) != 2 or not all(_NAME_RE.match(w) for w in words):
        return False
    nouns = PLACE_NOUNS | ORGANISATION_NOUNS | ROLE_NOUNS | CALENDAR | FUNCTION_WORDS
    unlike = nouns | _STREET_ABBREVIATIONS | OFFICES_OF_STATE
    if any(w in evidence.places or w.lower() in unlike for w in words):
        return False
    first, last = words
    # A surname NER mislabelled is rarely written in lower case ("Cranwell"); "Marines" is.
    if is_given_name(last) or ordinariness(last) >= -1:
        return False
    return is_given_name(first) or ordinariness(first) < -1


def surname_spans(
    text: str,
    others: Mapping[str, str],
    evidence: Evidence,
    loose: Iterable[str] = (),
    firsts: Mapping[str, set[str]] | None = None,
) -> list[tuple[int, int, str]]:
    """``(start, end, surname)`` of every mention of the other people in ``others`` (keyed by
    surname): with a title, initials or forename before it, or alone where :func:`keep` would
    take a surname. The surnames in ``loose`` were never written with a title (NER or a given
    name found them): alone, they name the person only where the sentence says so. ``firsts``:
    the forenames each surname was seen with ("Jos" of "Jos Verhoef")."""
    loose = set(loose)
    firsts = firsts or {}
    if not others:
        return []
    out = []
    for m in _surnames_pattern(frozenset(others)).finditer(text):
        a, b = m.start(1), m.end(1)
        before, after = text[:a], text[b:]
        start = widen(text, a)
        given = re.search(rf"(?<![\w’'])({NAME})[ \t]+$", before)
        seen = given is not None and given.group(1) in firsts.get(m.group(1), set())
        if start == a and given and (is_given_name(given.group(1)) or seen):
            start = given.start(1)  # "Jason Whitfield" where "Mr Whitfield" was titled
        elif start == a:
            if in_longer_name(before, after):
                continue
            vague = ambiguous(m.group(1), evidence) or m.group(1) in loose
            if vague and not _person_context(before, after):
                continue
        out.append((start, b, m.group(1)))
    return out


@lru_cache(maxsize=8)
def _surnames_pattern(surnames: frozenset[str]) -> re.Pattern[str]:
    """One regex of every surname, longest first: asked with the same surnames for every text of
    a corpus, so built once, not once a text."""
    alternation = "|".join(re.escape(s) for s in sorted(surnames, key=lambda s: (-len(s), s)))
    return re.compile(rf"(?<![\w’'-])({alternation})(?:['’]s)?(?![\w’'-])")


def choose(spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans, earlier first and longer first where they start together."""
    out: list[tuple[int, int, str]] = []
    end = -1
    for a, b, label in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if a >= end:
            out.append((a, b, label))
            end = b
    return out


def roster_people(people: Iterable[Person], evidence: Evidence | None = None) -> Roster:
    """The roster whose names are hidden: every entry that is a person's name (:func:`is_name`).

    An entry that ran a person's name into a place, an organisation or an honour ("Isla Brodie
    Dunmore", "Hendrik Vos Norwich", "Tessa Ashworth MBE") also names the person without them.
    """
    evidence = evidence or Evidence()
    nouns = PLACE_NOUNS | ORGANISATION_NOUNS
    out = []
    for p in people:
        if not is_name(p):
            continue
        words = strip_title(p.name)[0].split()
        cut = len(words)
        while cut > 2 and (
            words[cut - 1] in evidence.places
            or words[cut - 1].lower() in nouns
            or words[cut - 1].strip(",.") in HONOURS
        ):
            cut -= 1
        if p.role_source != "board.yaml" and cut < len(words):
            p = replace(p, aliases=p.aliases | {" ".join(words[:cut])})
        out.append(p)
    return Roster(out)
