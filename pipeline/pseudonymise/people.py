"""People in minutes: normalising names, a roster per board, and finding mentions in text.

Minutes name people in many ways ("Dr Olufemi Adeyemi", "Dr Adeyemi", "OA", "the Chair",
"Mr Kerrigan's point"). Segmentation uses the roster to attribute units to speakers; preprocessing
uses the same mentions to replace every name with a pseudonym.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

TITLES = (
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "cllr",
    "councillor",
    "sir",
    "dame",
    "rev",
    "revd",
    "reverend",
    "inspector",
    "insp",
    "superintendent",
    "supt",
    "sergeant",
    "sgt",
    "chief inspector",
    "lord",
    "lady",
    "judge",
    "nurse",
    "sister",
    "father",
    "baroness",
    "baron",
    "canon",
    "constable",
    "con",
    "pc",
    "pcso",
    "commander",
    "captain",
    "capt",
)
_TITLE_RE = re.compile(
    r"^(?:(?:"
    + "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))
    + r")\.?\s+)+",
    re.IGNORECASE,
)
_TITLE_ALT = "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
# A capitalised name word: O'Brien, McDonald, Smith-Jones, Ní Bhriain.
NAME_WORD = r"[A-Z][a-zA-Z'’\-]+"
# "the Chair", "Chairperson", "An Cathaoirleach"; not "Vice Chair", not the verb "to chair".
CHAIR_WORDS = re.compile(
    r"(?<![Vv]ice )(?<![Vv]ice-)\b(?:[Tt]he\s+)?(?:Chair(?:man|woman|person)?|CHAIR"
    r"|(?:An\s+)?Cathaoirleach|Convenor)\b"
)


def clean(text: str) -> str:
    """Unicode-normalised, straight apostrophes, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    return " ".join(text.split())


# Names are few and asked about again and again (every roster person against every name the
# minutes write): pure functions of the string, remembered.
@lru_cache(maxsize=1 << 16)
def strip_title(name: str) -> tuple[str, str]:
    """("Cllr Margaret Ashdown") -> ("Margaret Ashdown", "Cllr")."""
    name = clean(name)
    m = _TITLE_RE.match(name)
    if not m:
        return name, ""
    return name[m.end() :].strip(), m.group(0).strip()


def fold(text: str) -> str:
    """Accents off ("Seán Ó Briain" -> "Sean O Briain"): minutes and board files differ."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """A person's identity for matching: no title, no accents, no punctuation, lower case."""
    bare, _ = strip_title(name)
    bare = re.sub(r"\([^)]*\)", " ", fold(bare))
    return " ".join(re.sub(r"[^a-z' \-]", " ", bare.lower()).replace("'", "").split())


def initials_of(name: str) -> str:
    bare, _ = strip_title(name)
    parts = [p for p in re.split(r"[\s\-]+", bare) if p and p[0].isalpha()]
    return "".join(p[0].upper() for p in parts)


@dataclass
class Person:
    """One person on the roster, with every form in which minutes may name them."""

    key: str
    name: str
    role: str
    role_source: str = "inferred"
    title: str = ""
    aliases: set[str] = field(default_factory=set)
    initials: set[str] = field(default_factory=set)
    # Job titles from attendance lists ("Director of Operations"), for "The Director ... said".
    offices: set[str] = field(default_factory=set)
    # Named by forename alone ("Des said"): people known only from the text of informal notes.
    by_forename: bool = False
    # Described by a staff job title in the minutes ("Terry Bush, Headteacher of ..."): an
    # officer at later meetings too, though a bare list of those present names them again.
    staff_by_post: bool = False

    @property
    def surname(self) -> str:
        bare, _ = strip_title(self.name)
        return bare.split()[-1] if bare.split() else bare

    @property
    def forenames(self) -> list[str]:
        bare, _ = strip_title(self.name)
        return bare.split()[:-1]


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    key: str
    form: str  # "full", "surname", "initials", "forename", "office", "chair"


class Roster:
    """The people known for a meeting (or a whole corpus), and a matcher for their mentions."""

    def __init__(self, people: Iterable[Person] = ()) -> None:
        self.people: dict[str, Person] = {}
        self._version = 0  # raised by every add(): what was indexed before is stale
        self._by_surname: tuple[tuple[int, int], dict[str, list[Person]]] | None = None
        self._by_alias: tuple[tuple[int, int, int], dict[str, Person]] | None = None
        for p in people:
            self.add(p)
        self._pattern: re.Pattern[str] | None = None
        # The person chairing this meeting when that is not the board's chair (an acting chair).
        self.chair_key: str | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (a board's reading is kept between runs, pipeline.segment.reuse) without its
        regexes: loading would compile them all again, and they are built when first needed."""
        state = {k: v for k, v in self.__dict__.items() if k not in _DERIVED}
        state["_pattern"] = state["_by_surname"] = state["_by_alias"] = None
        return state

    def add(self, person: Person) -> Person:
        existing = self.people.get(person.key)
        self._version += 1
        if existing is None:
            self.people[person.key] = person
            self._pattern = None
            return person
        existing.aliases |= person.aliases
        existing.initials |= person.initials
        existing.offices |= person.offices
        existing.by_forename |= person.by_forename
        existing.staff_by_post |= person.staff_by_post
        if existing.role_source != "board.yaml" and person.role_source == "board.yaml":
            existing.role, existing.role_source = person.role, person.role_source
        self._pattern = None
        return existing

    def resolve(self, name: str, threshold: float = 88.0) -> Person | None:
        """The roster person a written name refers to: exact key, alias, surname or fuzzy match."""
        key = name_key(name)
        if not key:
            return None
        if key in self.people:
            return self.people[key]
        written = clean(name)
        if re.fullmatch(r"[A-Z]{2,4}", written):
            # Initials: the one person with them, given or implied by their name.
            hits = [
                p
                for p in self.people.values()
                if written in p.initials or written == initials_of(p.name)
            ]
            return hits[0] if len(hits) == 1 else None
        aliased = self._alias_owner(key)
        if aliased is not None:
            return aliased
        words = key.split()
        if len(words) == 1:
            hits = self._surnamed(key)
            return hits[0] if len(hits) == 1 else None
        choices = {k: k for k in self.people}
        match = process.extractOne(
            key, choices, scorer=fuzz.token_sort_ratio, score_cutoff=threshold
        )
        if match:
            return self.people[match[2]]
        # Same surname and a forename that is a short form or initial of the roster's forename.
        for p in self._surnamed(words[-1]):
            if p.forenames and (
                p.forenames[0].lower().startswith(words[0][:3])
                or words[0] == p.forenames[0][0].lower()
            ):
                return p
        return None

    def _alias_owner(self, key: str) -> Person | None:
        """The first person (in the roster's order) one of whose aliases has name key ``key``:
        an index built once per state of the roster (aliases grow only by :meth:`add`, though a
        person's are counted too, in case one roster's add merged into a shared person)."""
        state = (self._version, len(self.people), sum(len(p.aliases) for p in self.people.values()))
        built = self._by_alias
        if built is None or built[0] != state:
            index: dict[str, Person] = {}
            for p in self.people.values():
                for alias in p.aliases:
                    index.setdefault(name_key(alias), p)
            built = self._by_alias = (state, index)
        return built[1].get(key)

    def _surnamed(self, key: str) -> list[Person]:
        """The people whose surname has name key ``key``, in the roster's order: an index built
        once per state of the roster, not a pass over everyone for every name resolved."""
        state = (self._version, len(self.people))
        if self._by_surname is None or self._by_surname[0] != state:
            index: dict[str, list[Person]] = {}
            for p in self.people.values():
                index.setdefault(name_key(p.surname), []).append(p)
            self._by_surname = (state, index)
        return self._by_surname[1].get(key, [])

    def chair(self) -> Person | None:
        if self.chair_key in self.people:
            return self.people[self.chair_key]
        chairs = [p for p in self.people.values() if p.role == "chair"]
        return chairs[0] if len(chairs) == 1 else None

    # ------------------------------------------------------------------ mentions
    def _forms(self) -> list[tuple[str, str, str, str | None]]:
        """(regex, key, form, anchor) for every way of naming every person, longest first.

        The anchor is a word every match of the regex has as a word of its own (see
        :func:`_anchor`), None where there is none."""
        forms: list[tuple[str, str, str, str | None]] = []
        surnames = _surname_owners(self.people.values())
        initials: dict[str, list[str]] = {}
        for p in self.people.values():
            for ini in p.initials:
                if len(ini) >= 2:
                    initials.setdefault(ini, []).append(p.key)
        # Initials a name implies count only where nobody was given them: "TO" is Tobias Okeke
        # (initials: TO), not Teresa O'Connell, whose given initials are TOC.
        given = set(initials)
        for p in self.people.values():
            implied = initials_of(p.name)
            if len(implied) >= 2 and implied not in given and implied not in p.initials:
                initials.setdefault(implied, []).append(p.key)
        offices: dict[str, list[str]] = {}
        seats: dict[str, list[str]] = {}
        for p in self.people.values():
            names = {strip_title(p.name)[0]}
            for alias in (strip_title(a)[0] for a in p.aliases):
                if OFFICE_ALIAS.search(alias):
                    # "Chief Officer", "The Convenor": a board file's alias naming a seat.
                    seats.setdefault(re.sub(r"(?i)^the\s+", "", alias).lower(), []).append(p.key)
                else:
                    names.add(alias)
            for alias in p.aliases:
                bare, title = strip_title(alias)
                if title and len(bare.split()) == 1 and not OFFICE_ALIAS.search(bare):
                    # "Sgt Murray" beside a Derek Murray: the title makes the surname one person's.
                    forms.append(
                        (
                            rf"{re.escape(title.rstrip('.'))}\.?\s+{_flex(bare)}",
                            p.key,
                            "full",
                            _anchor(bare),
                        )
                    )
            for full in names:
                if len(full.split()) >= 2:
                    forms.append((_flex(full), p.key, "full", _anchor(full)))
            surname_ok = len(p.surname) > 2 and not p.surname.isupper()
            if surnames.get(name_key(p.surname)) == p.key and surname_ok:
                forms.append((_flex(p.surname), p.key, "surname", _anchor(p.surname)))
                if p.forenames:
                    # "Danny Kerrigan", "D. Kerrigan" for Daniel Kerrigan, as resolve() allows:
                    # a forename written differently must not survive beside a hidden surname.
                    first = p.forenames[0]
                    forms.append(
                        (
                            rf"(?:{re.escape(first[:3])}[a-z'’]*|{re.escape(first[0])}\.?)"
                            rf"\s+{_flex(p.surname)}",
                            p.key,
                            "full",
                            _anchor(p.surname),
                        )
                    )
        for ini, keys in initials.items():
            if len(keys) == 1:
                forms.append((re.escape(ini), keys[0], "initials", _anchor(ini)))
        forenames: dict[str, list[str]] = {}
        for p in self.people.values():
            for office in p.offices:
                offices.setdefault(office.lower(), []).append(p.key)
            if p.by_forename and p.forenames:
                forenames.setdefault(p.forenames[0], []).append(p.key)
            for alias in p.aliases:
                # A one-word alias the board file gives ("Mary", "Wylie"): the name the minutes
                # use for that person, unless it is initials or a seat.
                if (
                    len(alias.split()) == 1
                    and not alias.isupper()
                    and not OFFICE_ALIAS.search(alias)
                ):
                    forenames.setdefault(alias, []).append(p.key)
        for office, keys in offices.items():
            if len(set(keys)) == 1 and len(office) > 3 and office not in seats:
                forms.append((rf"the\s+{_flex(office)}", keys[0], "office", _anchor(office)))
        for seat, keys in seats.items():
            # A seat the board file names is that person's with or without "the" ("Secretary
            # to write", "(Sec)"), but "Secretary of State" is someone else's.
            if len(set(keys)) == 1 and len(seat) >= 3:
                forms.append(
                    (rf"(?:the\s+)?{_flex(seat)}(?!\s+of\b)", keys[0], "office", _anchor(seat))
                )
        for first, keys in forenames.items():
            if len(set(keys)) == 1 and len(first) > 2:
                forms.append((_flex(first), keys[0], "forename", _anchor(first)))
        forms.sort(key=lambda f: -len(f[0]))
        return forms

    def _compile(self, chosen: Iterable[int]) -> re.Pattern[str]:
        """One regex of the forms ``chosen`` (indices into ``_forms_list``, in its order).

        Each form's group is named by a hash of the form, not by its index: the same forms then
        make the same regex whatever else the roster holds, and a meeting's matcher finds the
        regexes of the meetings before it compiled (:func:`_compiled`)."""
        parts = []
        for i in chosen:
            group = self._group_names[i]
            if self._index_of.setdefault(group, i) == i:  # a repeated form never matches
                parts.append(f"(?P<{group}>{self._forms_list[i][0]})")
        title_prefix = rf"(?:(?:{_TITLE_ALT})\.?\s+)?"
        body = "|".join(parts) if parts else r"(?!x)x"
        return _compiled(rf"(?<![\w'’]){title_prefix}(?:{body})(?:['’]s\b)?(?![\w])")

    def _pattern_for(self, text: str) -> re.Pattern[str]:
        """The regex of every form, or of only the forms whose anchor ``text`` holds.

        A regex tries each of its alternatives at every position of the text, so one regex of
        every form costs the text's length times the number of forms, and the forms grow with
        the people in the attendance lists: across a corpus, with the number of meetings. A
        form whose anchor word is not in the text cannot match there, and leaving it out
        changes nothing else: the forms left keep their order, so each position's match is the
        one the whole regex would give. Texts whose letters fold in ways ``str.lower`` does not
        show (see :func:`_folds_oddly`) get the whole regex.
        """
        if self._pattern is None:
            self._forms_list = self._forms()
            self._group_names = [_group_name(form) for form in self._forms_list]
            self._index_of: dict[str, int] = {}
            self._pattern = self._compile(range(len(self._forms_list)))
            self._by_anchor: dict[str, list[int]] = {}
            self._unanchored: list[int] = []
            for i, (_, _, _, anchor) in enumerate(self._forms_list):
                if anchor is None:
                    self._unanchored.append(i)
                else:
                    self._by_anchor.setdefault(anchor, []).append(i)
            self._subsets: dict[tuple[int, ...], re.Pattern[str]] = {}
        if _folds_oddly(text):
            return self._pattern
        chosen = set(self._unanchored)
        for word in _words_of(text):
            chosen.update(self._by_anchor.get(word, ()))
        if len(chosen) == len(self._forms_list):
            return self._pattern
        key = tuple(sorted(chosen))
        pattern = self._subsets.get(key)
        if pattern is None:
            if len(self._subsets) >= 4096:
                self._subsets.clear()
            pattern = self._subsets[key] = self._compile(key)
        return pattern

    def mentions(self, text: str) -> list[Mention]:
        """Non-overlapping mentions of roster people (and of the chair by office) in ``text``."""
        found: list[Mention] = []
        for m in self._pattern_for(text).finditer(text):
            group = m.lastgroup
            if group is None:
                continue
            _, key, form, _ = self._forms_list[self._index_of[group]]
            matched = m.group(group)
            if form == "initials" and not matched.isupper():
                continue  # "am", "to" and the like are words, not initials
            if form in ("surname", "forename") and not matched[:1].isupper():
                continue
            if form == "office" and not matched.split()[-1][:1].isupper():
                continue  # "the director of ..." in lower case names no one
            end = m.end()
            if text[m.start() : end].endswith(("'s", "’s")):
                end -= 2
            found.append(Mention(m.start(), end, key, form))
        # Who chairs is a pass over everyone: asked only of a text that names the office.
        offices = list(CHAIR_WORDS.finditer(text))
        chair = self.chair() if offices else None
        if chair is not None:
            for m in offices:
                if not any(x.start <= m.start() < x.end for x in found):
                    found.append(Mention(m.start(), m.end(), chair.key, "chair"))
        return sorted(found, key=lambda x: x.start)


# A board file's alias that names a seat, not a person: "The Chair", "Chief Officer". (Only
# aliases: "Head" and "Lead" are surnames too.)
OFFICE_ALIAS = re.compile(
    r"^the\s|\b(?:chair\w*|convenor|convener|secretary|sec|treasurer|officer|director|"
    r"manager|minister|rep|representative|lead|head|clerk|president|leader)\b",
    re.IGNORECASE,
)


def _surname_owners(people: Iterable[Person]) -> dict[str, str]:
    """Surname (as a key) -> the one person it names.

    Lists write one person several ways ("Ian Drysdale", "I Drysdale", "Constable Ian
    Drysdale") and run two people together ("Rose Geddes Carla Mowbray"): a surname still
    names one person when everyone with it is that person written another way (a forename, its
    initial or its short form) or a run-together entry ending with their name.
    """
    groups: dict[str, list[Person]] = {}
    for p in people:
        groups.setdefault(name_key(p.surname), []).append(p)
    out: dict[str, str] = {}
    for surname, group in groups.items():
        names = {p.key: " ".join(strip_title(p.name)[0].split()) for p in group}
        runs = {
            p.key
            for p in group
            for q in group
            if p is not q
            and len(names[q.key].split()) >= 2
            and names[p.key].endswith(" " + names[q.key])
        }
        rest = [p for p in group if p.key not in runs]
        if len(rest) > 1 and any(not p.forenames for p in rest):
            continue  # "Sgt Murray" beside Derek Murray: two people, the surname names neither
        firsts = [p.forenames[0].rstrip(".").lower() for p in rest if p.forenames]
        if rest and all(_same_forename(a, b) for a in firsts for b in firsts):
            out[surname] = max(rest, key=lambda p: (len(names[p.key]), p.key)).key
    return out


def _same_forename(a: str, b: str) -> bool:
    """ "Ian" and "I", "Jo" and "Joanne": one forename written two ways; "John" and "Jane" not."""
    return a.startswith(b) or b.startswith(a)


_RUN = re.compile(r"[\w'’]+")
_APOSTROPHE = re.compile(r"['’]")


def _anchor(name: str) -> str | None:
    """The word of ``name`` that every match of its regex (:func:`_flex`) holds as a word of
    :func:`_words_of`: its last run of letters and digits, lower case, apostrophes dropped
    ("O'Connell" -> "oconnell", "Smith-Jones" -> "jones"); None when it has none."""
    words = clean(name).split()
    if not words:
        return None
    runs = re.findall(r"\w+", words[-1].replace("'", "").lower())
    return runs[-1] if runs and not _folds_oddly(runs[-1]) else None


def _words_of(text: str) -> set[str]:
    """Every word a name's anchor could be in ``text``: each run of letters, digits and
    apostrophes in lower case, with its apostrophes dropped and split at them ("O’Connell’s"
    gives "oconnells", "o", "connell" and "s")."""
    out: set[str] = set()
    for run in _RUN.findall(text.lower()):
        if "'" in run or "’" in run:
            out.add(_APOSTROPHE.sub("", run))
            out.update(_APOSTROPHE.split(run))
        else:
            out.add(run)
    return out


@lru_cache(maxsize=1)
def _odd_folds() -> frozenset[str]:
    """Letters a case-blind regex matches to others that ``str.lower`` does not make equal, or
    that lower-case to more than one letter: the long s, the dotless i, the Kelvin sign, sigma
    and the like."""
    odd = set()
    for code in range(0x80, 0x10000):
        c = chr(code)
        lower, upper = c.lower(), c.upper()
        if len(lower) != 1 or len(upper) != 1 or upper.lower() != lower or lower.upper() != upper:
            odd.add(c)
    return frozenset(odd)


# What a Roster builds from its people when first asked, and so leaves out of a pickle.
_DERIVED = frozenset(
    {"_forms_list", "_group_names", "_index_of", "_by_anchor", "_unanchored", "_subsets"}
)


# Segmentation makes a roster, and so a matcher, for every meeting; the meetings of a period
# share their people, so their matchers compile the same regexes again and again (at 300
# meetings, some 6,700 compiles and 17 s of CPU). Kept here by source text across matchers; re's
# own cache holds 512 and was thrashed.
@lru_cache(maxsize=8192)
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


def _group_name(form: tuple[str, str, str, str | None]) -> str:
    """A regex group name for a form (its regex, person and kind): the same in every roster."""
    regex, key, kind, _ = form
    return "g" + hashlib.blake2b(f"{regex}\0{key}\0{kind}".encode(), digest_size=8).hexdigest()


def _folds_oddly(text: str) -> bool:
    if text.isascii():
        return False
    odd = _odd_folds()
    return any(c in odd or ord(c) > 0xFFFF for c in text)


def _flex(name: str) -> str:
    """A name as a regex tolerant of spacing and apostrophe variants."""
    words = [re.escape(w).replace("'", "['’]?") for w in clean(name).split()]
    return r"\s+".join(words)
