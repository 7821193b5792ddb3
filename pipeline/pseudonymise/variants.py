"""A listed person's surname as minutes misspell it, and relatives who share it.

Minutes are typed in a hurry: "Benoit" for Benoît, "ODonnell" or "O Donnell" for O'Donnell,
"Whitlowe" for Whitlow. The roster's matcher takes only the forms the lists give, so a variant
would pass through untouched and name the member. :func:`variant_spans` finds a capitalised
word that is a listed surname with the accents, apostrophes and spaces folded away, or one
letter added, dropped, doubled or changed in a surname of five letters or more; the sentence
still decides (:func:`pipeline.pseudonymise.namecontext.keep`) where the word is also a place or an
ordinary
word.

:func:`relative_before` is the other side: "Graham Ellison" beside member Ruth Ellison is a
different person sharing her surname (a different first name, a different person), hidden as
someone on no list; replacing only "Ellison" by Ruth's pseudonym would leave "Graham Carer 1",
which re-identifies her.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz.distance import DamerauLevenshtein

from pipeline.pseudonymise import namecontext
from pipeline.pseudonymise.people import Person
from pipeline.segment.namewords import is_given_name, is_title, ordinariness

# A surname as written: an optional O', Mc or Mac prefix (with or without its apostrophe or a
# space), then a capitalised word, perhaps double-barrelled.
_WORD = re.compile(
    r"(?<![\w'’-])((?:(?:O|Mc|Mac|D)['’ ]?)?[A-Z][^\W\d_]+(?:['’-][A-Z][^\W\d_]+)?)(?![\w-])"
)
# A word written capitalised this much more often than not may open a name ("Perpetua",
# 0.4); "Highways" (2.8), "Operation" (1.4) may not.
_GIVEN_MAX = 1.0
MIN_FUZZY = 5  # shorter surnames ("Hall", "Lee") have too many neighbours one letter away


def fold(word: str) -> str:
    """Lower case, accents, apostrophes, hyphens and spaces dropped: "O’Dónnell" -> "odonnell"."""
    bare = unicodedata.normalize("NFKD", word)
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return re.sub(r"[\s'’-]", "", bare).lower()


class Variants:
    """The roster's surnames, folded, for finding their variants in text."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.exact: set[str] = set()
        self.by_fold: dict[str, set[str]] = {}
        for p in people:
            surname = p.surname
            if len(surname) < 3 or not surname[:1].isupper():
                continue
            self.exact.add(surname)
            self.by_fold.setdefault(fold(surname), set()).add(p.key)

    def person(self, word: str) -> str | None:
        """The key of the one listed person ``word`` is a variant of, or None."""
        if word in self.exact:
            return None  # the matcher's; or a word that is some other listed surname exactly
        folded = fold(word)
        keys = self.by_fold.get(folded)
        if keys is None and len(folded) >= MIN_FUZZY:
            near = [
                k
                for f, k in self.by_fold.items()
                if len(f) >= MIN_FUZZY
                and DamerauLevenshtein.distance(f, folded, score_cutoff=1) <= 1
            ]
            keys = set().union(*near) if len(near) == 1 else None
        return next(iter(keys)) if keys and len(keys) == 1 else None


def variant_spans(
    text: str, variants: Variants, people: dict[str, Person], evidence: namecontext.Evidence
) -> list[tuple[int, int, str]]:
    """``(start, end, key)`` of every spelling variant of a listed surname that names the
    person where it stands (the forename before it taken in)."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group(1)
        if word in evidence.places or is_title(word) or ordinariness(word) > 0:
            continue
        key = variants.person(word)
        if key is None:
            continue
        a, b = m.start(1), m.end(1)
        person = people[key]
        given = re.search(r"([^\W\d_]+)[ \t]+$", text[:a])
        if given and fold(given.group(1)) in {fold(f) for f in person.forenames}:
            out.append((given.start(1), b, key))  # "Zoe Benoit": forename and surname both
            continue
        if relative_before(text, a, person, evidence, b) is not None:
            continue  # "Adam Thompson" beside member Thomson: someone else, found elsewhere
        start = namecontext.widen(text, namecontext.given_before(text, a, person))
        # A letter's difference ("Alexandr ia" split by a line, a near-homonym) is taken for
        # the member only where the sentence marks a person: a title, initials, a verb of
        # speaking or action. A spelling with accents or apostrophes folded needs no more.
        exact = fold(word) in variants.by_fold
        marked = start < a or namecontext.person_context(text[:a], text[b:])
        if (exact or marked) and namecontext.keep(text, a, b, "surname", person, evidence):
            out.append((start, b, key))
    return out


_NOT_GIVEN = (
    namecontext.FUNCTION_WORDS
    | namecontext.ROLE_NOUNS
    | namecontext.PLACE_NOUNS
    | namecontext.ORGANISATION_NOUNS
    | namecontext.CALENDAR
    | namecontext.OFFICES_OF_STATE
    | frozenset({"thanks", "dear", "welcome", "action", "actions", "apologies", "present"})
)


def relative_before(
    text: str, start: int, person: Person, evidence: namecontext.Evidence, end: int | None = None
) -> int | None:
    """Where "Graham " starts before a surname at ``start`` (ending at ``end``) that is
    ``person``'s, when that given name is not the person's own (nor an alias's): a relative.

    The word before must look like a given name: on the census lists, or rarely written in
    lower case, or any capitalised word the sentence marks as a person's name ("heard from
    Clemency Thorndale, whose sister ..."). "Highways England" beside a member called England,
    or "Operation Brock", are no relatives: neither is a title, an office, a place, a body, a
    month or a word that opens a sentence."""
    m = re.search(rf"(?<![\w’'])({namecontext.NAME})[ \t]+$", text[:start])
    if m is None:
        return None
    given = m.group(1)
    if is_title(given) or given in evidence.places or given.lower() in _NOT_GIVEN:
        return None
    after = text[end:] if end is not None else ""
    looks = is_given_name(given) or ordinariness(given) < _GIVEN_MAX
    marked = end is not None and namecontext.person_context(text[: m.start(1)], after)
    if not (looks or marked or namecontext.described(text[: m.start(1)], after)):
        return None
    # "Jo Mercer" for Joanne Mercer never gets here: given_before took it as the person.
    own = {*person.forenames, *(a.split()[0] for a in person.aliases if a.split())}
    return None if given in own else m.start(1)
