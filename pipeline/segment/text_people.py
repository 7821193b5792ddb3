"""People of informal notes with no attendance list, found in the text itself.

Notes of a residents' forum name people in full once ("Des Kilbride, who uses the community
mental health team, asked ...") and then by forename ("Des said"). A full name counts as a person
when it is the subject of a reporting verb or is described in passing; the description gives the
role, as a careful human coder would take it.
"""

from __future__ import annotations

import re

from pipeline.core import vocab
from pipeline.pseudonymise.people import Person, Roster, name_key
from pipeline.segment.namewords import (
    PLACE_NOUNS,
    ROLE_NOUNS,
    TITLE_WORDS,
    is_given_name,
    is_ordinary,
    is_plainly_ordinary,
    ordinariness,
)

_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_FULL = re.compile(rf"(?<![\w’'])({_NAME})\s+({_NAME}(?:['’][A-Z][a-z]+)?)\b(?!['’]s\b)")
_VERB = re.compile(
    r"^\s*(?:\s+and\s+[A-Z][a-z]+\s+[A-Z][\w'’-]+)?"  # "Ruth Carmichael and Susan Kinnaird"
    r"(?:,[^.]{1,90}?,\s*(?:[A-Z][\w&]*\s+){0,3}|\s+from\s+[^.,]{1,60}?\s+)?"  # ", CEO, PSNC"
    r"(?:also\s+|then\s+)?(?:said|asked|reported|"
    r"explained|noted|replied|added|thanked|agreed|welcomed|presented|brought|introduced|"
    r"offered|could\s+not|sent|told|suggested|proposed|raised|confirmed|would|will|outlined|"
    r"highlighted|gave|updated|provided|informed|advised|attended\s+to|discussed|described|"
    r"answered|responded|commented|stated|clarified|summari[sz]ed|led|talked|spoke|"
    r"joined\s+the\s+meeting)\b"
)


def police_rank(title: str) -> bool:
    """Whether a title is a police rank ("Sgt", "Inspector")."""
    return bool(title) and _POLICE_RANK.match(f"{title} Name") is not None


# A police officer named by rank ("Road Traffic Officer Sgt Murray joined the meeting",
# "PC Bennett reported"): an officer wherever the lists leave them out.
_POLICE_RANK = re.compile(
    rf"(?<![\w’'])(?P<rank>Sgt\.?|Sergeant|PC|PCSO|Constable|Insp\.?|Inspector|Supt\.?|"
    rf"Superintendent|Chief\s+Inspector)\s+(?P<name>(?:{_NAME}\s+)?{_NAME})\b(?!['’]s\b)"
)
# Words that make two capitalised words a place or an organisation, not a person.
_NOT_PERSON = frozenset(
    [
        "homes",
        "home",
        "court",
        "road",
        "street",
        "lane",
        "room",
        "centre",
        "center",
        "house",
        "hall",
        "surgery",
        "library",
        "council",
        "trust",
        "team",
        "service",
        "services",
        "association",
        "advice",
        "church",
        "college",
        "school",
        "university",
        "fund",
        "forum",
        "board",
        "group",
        "community",
        "mental",
        "health",
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "of",
        *vocab.WEEKDAYS,
        *vocab.MONTHS,
        "notes",
        "minutes",
    ]
)
_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chair", re.compile(r"\bchair(?:man|woman|person)?\b|\bconvenor\b", re.I)),
    ("carer", re.compile(r"\bcares?\s+for\b|\bcarer\b|\bcaring\s+for\b", re.I)),
    (
        "service_user",
        re.compile(r"\bwho\s+uses\b|\bservice\s+user\b|\buses\s+the\b|\bpatient\s+of\b", re.I),
    ),
    (
        "lay",
        re.compile(r"tenants['’]?\s+association|residents['’]?\s+association|\bvolunteer\b", re.I),
    ),
    (
        "officer",
        re.compile(
            r"\bnurse\b|\bworker\b|\bofficer\b|\bmanager\b|\bdoctor\b|\bGP\b|\bfrom\s+[A-Z]|"
            r"\bwith\s+the\s+[a-z ]*team\b|\bcouncil\b|\bsocial\s+worker\b",
            re.I,
        ),
    ),
)


def people_in_text(texts: list[str], corpus: Roster, default_role: str = "member") -> list[Person]:
    """People named in full as speakers or described in passing, with the role the text gives.

    People already on ``corpus`` (from an earlier meeting) keep their role unless this text
    describes them and they had none. ``default_role`` is the role of someone the text does not
    describe: a member in notes that list nobody; an officer or guest where the minutes list
    the members and this person is not among them ("Stephen Swift, CEO, PSNC outlined ...").
    """
    found: dict[str, Person] = {}
    for text in texts:
        for m in _FULL.finditer(text):
            first, last = m.group(1), m.group(2)
            if first.lower() in _NOT_PERSON or last.lower() in _NOT_PERSON:
                continue
            if first.lower().rstrip(".") in TITLE_WORDS:
                continue  # "Mrs Patel": a titled name off the lists stays a Person N
            if not _could_be_named(first, last):
                continue  # "Pharmaceutical Committee", "Police Scotland": not a person's name
            before = text[max(0, m.start() - 6) : m.start()]
            if re.search(r"\bfrom\s+$|\bat\s+$|\bof\s+$|\bSt\s+$", before):
                continue
            after = text[m.end() :]
            key = name_key(f"{first} {last}")
            described = re.match(r"\s*,\s*(?:the|a|an|who)\b", after) is not None
            if not (_VERB.match(after) or described or key in found):
                continue
            person = found.get(key) or corpus.people.get(key)
            role = _role(text, m.end())
            if person is None:
                person = Person(key, f"{first} {last}", role or default_role, "inferred")
                person.by_forename = True
            elif role and person.role == "member":
                person.role = role
            found[key] = person
        for m in _POLICE_RANK.finditer(text):
            if not _VERB.match(text[m.end() :]):
                continue
            name = f"{m.group('rank').rstrip('.')} {m.group('name')}"
            key = name_key(name)
            if key and key not in found and key not in corpus.people:
                found[key] = Person(key, name, "officer", "inferred", aliases={name})
    # A person introduced as an object ("introduced Imran Qureshi, the new peer support
    # worker") is found above by the appositive; everyone else named in full stays unknown.
    return list(found.values())


def _could_be_named(first: str, last: str) -> bool:
    """Two capitalised words that can be a person's name: the second no ordinary word or a
    place's, the first no plainly ordinary word unless a rare surname follows ("Des Kilbride")."""
    if is_ordinary(last) or last.lower() in PLACE_NOUNS or last.lower() in ROLE_NOUNS:
        return False
    if is_plainly_ordinary(first) and not is_given_name(first):
        return ordinariness(last) == float("-inf")
    return True


def _role(text: str, end: int) -> str:
    """The role the words right after a name give ("Des Kilbride, who uses the ...")."""
    after = text[end : end + 90]
    m = re.match(r"\s*(?:,\s*(?P<app>[^,.]{1,80})[,.]|\s+(?P<frm>from\s+[^.,]{1,60}))", after)
    if not m:
        return ""
    phrase = m.group("app") or m.group("frm") or ""
    # "from Brackenhurst Homes said that ...": only the words before the verb describe them.
    phrase = re.split(r"\s+(?:said|asked|brought|explained|reported|thanked|agreed)\b", phrase)[0]
    for role, pattern in _ROLES:
        if pattern.search(phrase):
            return role
    return ""


# "Cllr Lennox", "Councillor Hilda Lennox", "our three SB Councillors (Jack Fairbairn, Clare
# Sinclair and Hilda Lennox)": elected members, whatever the list beside the minutes says. A
# community councillor is a lay seat, not an elected member's.
_ELECTED = re.compile(
    r"(?<!Community )(?<!community )\b(?:Cllrs?\.?|Councillors?)\s+"
    r"(?:\((?P<list>[^()]{3,200})\)|(?P<one>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?))"
)


def elected_in_text(texts: list[str]) -> list[str]:
    """Names the text gives a councillor's title, in order."""
    out: list[str] = []
    for text in texts:
        for m in _ELECTED.finditer(text):
            if m.group("one"):
                out.append(m.group("one"))
            else:
                out += [n.strip() for n in re.split(r",|\band\b|&", m.group("list")) if n.strip()]
    return out


# A job title that makes someone staff wherever a list put them: "Terry Bush, Headteacher of
# the Harrowdale Virtual School, presented", "Carolyn Smart, Assistant Director for Corporate
# Parenting".
# Not "Director of ..." or a chief officer alone: an NHS board's executive directors are members.
_STAFF_TITLE = re.compile(
    r"^(?:the\s+|an?\s+)?(?:(?:interim|acting|senior|principal|lead)\s+)?(?:[\w&’'-]+\s+){0,4}?"
    r"(?:officer|manager|head\s*teacher|head\s+of|assistant\s+director|corporate\s+director|"
    r"deputy\s+director|commissioner|clerk|co-?ordinator|administrator|assistant|adviser|"
    r"advisor|social\s+worker|practitioner)\b",
    re.IGNORECASE,
)
_CHIEF = re.compile(r"\bchief\b", re.IGNORECASE)


def staff_in_text(texts: list[str]) -> list[str]:
    """Names the text describes by a staff job title, in order ("Terry Bush, Headteacher of
    the Harrowdale Virtual School, presented ...")."""
    out: list[str] = []
    for text in texts:
        for m in _FULL.finditer(text):
            after = re.match(r",\s+(?P<desc>[^,.;()]{3,80})[,.;]", text[m.end() :])
            if after is None:
                continue
            desc = after.group("desc")
            if _STAFF_TITLE.match(desc) and not _CHIEF.search(desc):
                out.append(f"{m.group(1)} {m.group(2)}")
    return out


# A post the minutes give someone as they introduce them, and then call them by: "welcomed
# Lady Ashgrove of Thornby MBE, the Minister newly in post for the Department ...", then "The
# Minister said"; "Ruth Okoye, the new Director of Adult Services, presented", then "the Director
# of Adult Services explained".
_POST_AFTER_NAME = re.compile(
    r"^(?:\s+of\s+[A-Z][a-z]+)?(?:\s+(?:MBE|OBE|CBE|DBE|KBE|MP|JP|QC|KC))*,\s+(?:the\s+)?"
    r"(?:(?:newly|recently)\s+appointed\s+|new\s+|interim\s+|acting\s+)?"
    r"(?P<post>(?:[A-Z][\w&’'-]*\s+){0,3}?(?:Minister|Director|Manager|Officer|Head|Lead|"
    r"Commissioner|Executive|Clerk|Secretary|President|Leader|Superintendent|Inspector)"
    r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w&’'-]*(?:\s+(?:and\s+)?[A-Z][\w&’'-]*){0,4})?)"
    r"(?=[\s,.;:)]|$)"
)


def posts_in_text(texts: list[str]) -> list[tuple[str, str]]:
    """(name, post) for each person the text introduces with a post after their name."""
    out: list[tuple[str, str]] = []
    for text in texts:
        for m in _FULL.finditer(text):
            after = _POST_AFTER_NAME.match(text[m.end() :])
            if after is not None:
                out.append((f"{m.group(1)} {m.group(2)}", after.group("post")))
    return out
