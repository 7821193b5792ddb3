"""Is this capitalised word part of a person's name? Evidence from two word lists.

Minutes name people without telling which words are the name: "Wylie Robertson Convenor CC",
"Angela Lavorini Lloyds CCA", "Police Scotland", "Hall Hire". Two lists, both installed with the
project, say which capitalised words are ordinary words and which are names:

- how often a word is written in lower case against capitalised, from spaCy's lexeme
  probabilities (``spacy-lookups-data``): "Action", "Police", "Portal" and "Member" are
  ordinary words that a heading or a sentence start capitalises; "Robinson" and "Scotland" are
  proper nouns; a word in neither ("Lavorini", "Garelochhead") is rare and counts as a name;
- given names (the census lists in ``pipeline/data/given-names.txt``), the strongest sign that
  a person's name starts here.

Neither list decides alone: "Game", "Love" and "Noble" are surnames and ordinary words, and only
a title, an initial or a given name before them says which ("Ms L Love", "Dot Noble").
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles that put a person's name after them, as minutes write them.
TITLE_WORDS = _words(
    """
    mr mrs ms miss mx dr prof professor cllr councillor sir dame lord lady baroness baron
    rev revd reverend canon father sister nurse judge inspector insp superintendent supt
    sergeant sgt constable con pc ds di dc chief
    """
)
# How much likelier (natural log) the lower-case form must be for a capitalised word to read as
# ordinary, and to read as plainly ordinary ("Police", "Items", "Members": never a name's start).
_ORDINARY_MARGIN = 0.0
_PLAIN_MARGIN = 1.5
_INITIAL = re.compile(r"^[A-Z]\.?$")
# Words that end an organisation's name ("Cambridgeshire Constabulary", "Lloyds Pharmacy").
ORGANISATION_NOUNS = _words(
    """
    constabulary police council authority agency department ministry office company co ltd
    limited plc inc llp partnership estates estate division unit service services network
    alliance society institute commission board panel executive trust association group
    forum committee university college school hospital pharmacy chemists surgery practice
    centre foundation fund charity project programme team cpg lpc icb ccg nhs
    """
)
# Words of a role or office, which end a name however rare the lexicon finds them ("Convenor").
ROLE_NOUNS = _words(
    """
    chair chairman chairwoman chairperson convenor vice deputy acting secretary treasurer
    member members councillor cllr officer officers director manager head clerk
    cathaoirleach representative rep reps trustee co-opted observer minutes independent
    president coordinator administrator assistant commissioner lead advisor adviser analyst
    """
)
# Below this log probability the lexicon has seen a word too rarely to say anything of it.
_RARE = -18.5
# Particles inside a surname: "Seán Ó Briain", "Els De Wilde", "Ludwig van Beethoven".
_PARTICLES = _words(
    """
    ó o' ní nic mac mc de da di du van von der den la le st st.
    """
)
_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’\-])+$")
# Words that end a place's or an organisation's name: after a proper noun that is not a given
# name they make a place ("Eddington Avenue", "Welltower Park"), not a person.
PLACE_NOUNS = _words(
    """
    avenue road street lane drive close way row park hall house centre center court square
    place gardens terrace crescent hill green field fields estate station church school
    college university council association group trust office library surgery hospital
    pharmacy chemists partnership committee board forum team services service society
    foundation network room building ward village town city county district borough walk
    meadows view bridge mill farm cottage cottages
    """
)


@lru_cache(maxsize=1)
def _probabilities() -> dict[str, float]:
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data: dict[str, float] = json.load(f)
    return data


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    text = resources.files("pipeline").joinpath("data/given-names.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def is_given_name(word: str) -> bool:
    """A given name as minutes write one: capitalised, on the census lists."""
    return word[:1].isupper() and word.capitalize() in given_names()


def is_title(word: str) -> bool:
    return word.lower().rstrip(".") in TITLE_WORDS


def is_initial(word: str) -> bool:
    """ "R", "R.", as in "Mr R W Gosden" or "C Rennie"."""
    return bool(_INITIAL.match(word))


@lru_cache(maxsize=65536)
def ordinariness(word: str) -> float:
    """How much likelier the word is in lower case than capitalised (log odds; >0: ordinary).

    Hyphenated words count by their first part ("Vice-Chair", "Co-Chair" are ordinary,
    "Strachan-Palmer" is not); a word the lists do not hold is rare, so a name (-inf).
    """
    if not word[:1].isupper():
        return float("inf")
    base = re.sub(r"['’]s$|['’]$", "", word).strip(".,;:()")
    if "-" in base:
        base = base.split("-")[0]
    if not base:
        return float("inf")
    if base.lower() in ROLE_NOUNS:
        return float("inf")
    probs = _probabilities()
    lower = probs.get(base.lower())
    capital = probs.get(base.capitalize(), probs.get(base))
    if lower is None or (lower < _RARE and (capital is None or capital < _RARE)):
        return float("-inf")
    return lower - (capital if capital is not None else _RARE)


def is_ordinary(word: str) -> bool:
    """A capitalised word more often written in lower case: a heading's or sentence's word."""
    return ordinariness(word) > _ORDINARY_MARGIN


def is_plainly_ordinary(word: str) -> bool:
    return ordinariness(word) > _PLAIN_MARGIN


def is_name_word(word: str) -> bool:
    """A word that can be part of a name: capitalised, not an acronym, not an ordinary word."""
    return bool(_WORD.match(word)) and not word.isupper() and not is_ordinary(word)


def name_length(words: list[str], *, delimited: bool = False) -> int:
    """How many of ``words`` (titles included) make a person's name at their start; 0 if none.

    "Wylie Robertson Convenor CC" -> 2, "Mr R W Gosden" -> 4, "Lucy Jane Arnold Member" -> 3,
    "Ms L Love" -> 3, "Lesley Love" -> 2, "Police Scotland", "Items Action" and "Eddington
    Avenue" -> 0. An ordinary word is a surname straight after a given name, an initial or a
    title, or after another name word if it is not plainly ordinary nor a place's word; one word
    alone is a name only if it is a given name or follows a title. ``delimited``: the words are
    known to be a name and nothing else (a list entry whose initials in brackets match them), so
    only their shape is checked.
    """
    i = 0
    while i < len(words) and is_title(words[i]):
        i += 1
    titled = i > 0
    start = i
    if delimited:
        n = 0
        while (
            start + n < len(words)
            and n < 4
            and (_WORD.match(words[start + n].rstrip(",;:")) or is_initial(words[start + n]))
        ):
            n += 1
        return start + n if n >= (1 if titled else 2) else 0
    evidence = titled  # a title, an initial or a given name: someone is named here
    while i < len(words) and i - start < 4:
        w = words[i].rstrip(",;:")
        if is_initial(w):
            evidence = True
        elif w.lower() in _PARTICLES and i > start and i + 1 < len(words):
            pass  # the surname follows
        elif not _WORD.match(w) or w.isupper():
            break
        elif i == start:
            if is_given_name(w):
                evidence = True
            elif is_plainly_ordinary(w) and not titled:
                break
        elif (
            i >= start + 2
            and not is_initial(words[i - 1].rstrip(",;:"))
            and not is_given_name(words[i - 1].rstrip(",;:"))
            and words[i - 1].lower() not in _PARTICLES
        ):
            # A third name word follows a middle name or an initial ("Lucy Jane Arnold",
            # "Mary E Smith"); after a surname it is the next column ("Angela Lavorini Lloyds
            # CCA": name, pharmacy, affiliation).
            break
        elif is_ordinary(w):
            before = words[i - 1].rstrip(",;:")
            lead = i == start + 1 and (evidence or is_given_name(before))
            after_initial = is_initial(before)
            # After a first name, a capitalised word that is not plainly an ordinary word nor
            # ends a place's name is a surname ("Rhys Bannerman", not "Eddington Avenue").
            surname_slot = (
                i == start + 1 and w.lower() not in PLACE_NOUNS and not is_plainly_ordinary(w)
            )
            if not (lead or after_initial or surname_slot):
                break
        i += 1
        if words[i - 1].endswith((",", ";", ":")):
            break
    n = i - start
    if n == 0 or (all(is_initial(w.rstrip(",;:")) for w in words[start:i]) and not titled):
        return 0
    single = words[start].rstrip(",;:")
    if n == 1 and not (titled or (is_given_name(single) and len(single) > 2)):
        return 0
    if not evidence and is_ordinary(words[start].rstrip(",;:")):
        return 0
    return i
