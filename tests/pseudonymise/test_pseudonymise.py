"""Pseudonymisation replaces people, and only people: names read in context.

Minutes written here in the styles public bodies use: a surname an attendance list gave that is
also the village's name, "Village Hall" beside a member called Hall, the community council's
acronym that is also a member's initials, honours after names, possessives, a councillor listed
by initials and named in full elsewhere, members called by forename. Every name below is
invented.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pipeline.inputs.board import Board, Member
from pipeline.pseudonymise import namecontext
from pipeline.pseudonymise.people import Person
from pipeline.pseudonymise.preprocess import Preprocessed, preprocess
from pipeline.segment import segment
from tests.minutes_frames import minutes_frames

PSEUDONYM = r"(?:Service user|Carer|Lay member|Member|Officer|Chair|Person) \d+"


def run(*minutes: str, board: Board | None = None) -> Preprocessed:
    """Preprocess minutes given as page texts, one meeting each."""
    dates = [pd.Timestamp(2024, 3, 5 + i) for i in range(len(minutes))]
    sources = [f"m{i}.txt" for i in range(len(minutes))]
    pages, documents = minutes_frames(minutes, dates, sources)
    return preprocess(segment(pages, documents, board))


def text_of(pre: Preprocessed) -> str:
    return "\n".join([*pre.units["text"], *pre.units["item_title"]])


# A community council named after its village, whose list gives a member the village's name
# as a surname (the list runs the name into the school's: "Mrs Duncan Ardmore Primary").
ARDMORE = """\
Ardmore Community Council

Minutes of the meeting held in the Village Hall, Ardmore

Present:
Fiona Lennox Convenor
Ruth Hall Secretary
Callum Cowie (CC) Member
Mrs Duncan Ardmore Primary Head Teacher

1. Minutes

The minutes of the last meeting were agreed.

2. Village Hall

Hall Hire charges will rise in April. The Village Hall roof has been repaired.
Ruth Hall said that the path in Ardmore was flooded again. Mrs Hall's report was noted.
The Ardmore Community Council (CC) will write to the roads department.
The CC agreed to pay for the new bench. CC advised that the paint had been ordered.

3. Police

Police Scotland reported two break-ins in Ardmore. Ardmore Primary School will host the fair.
Fiona confirmed that the Ardmore Primary School fair would be on 4 May.
"""


@pytest.fixture(scope="module")
def ardmore() -> str:
    return text_of(run(ARDMORE))


def test_a_surname_that_is_the_village_is_left_where_it_names_the_village(ardmore: str) -> None:
    assert "path in Ardmore was flooded" in ardmore
    assert "break-ins in Ardmore" in ardmore
    assert "Ardmore Primary School will host" in ardmore
    assert "The Ardmore Community Council" in ardmore
    assert "Police Scotland reported" in ardmore


def test_village_hall_and_hall_hire_are_not_a_member_called_hall(ardmore: str) -> None:
    assert "The Village Hall roof" in ardmore
    assert "Hall Hire charges" in ardmore
    # ... while the member is hidden, by full name and with a title, possessive included.
    assert "Ruth" not in ardmore and "Mrs Hall" not in ardmore
    assert re.search(rf"{PSEUDONYM} said that the path", ardmore)
    assert re.search(rf"{PSEUDONYM}'s report was noted", ardmore)


def test_an_organisations_acronym_that_is_a_members_initials(ardmore: str) -> None:
    assert "The CC agreed to pay" in ardmore
    assert "Community Council (CC) will write" in ardmore
    assert re.search(rf"{PSEUDONYM} advised that the paint", ardmore)


def test_initials_closing_an_organisations_name_and_a_heading_after_a_title_are_no_one() -> None:
    """ "the R&C CC" is a neighbouring community council, though a member's initials are CC;
    "Councillor Update" is an item's title, not a councillor called Update."""
    text = text_of(
        run(
            "Present:\nCallum Cowie (CC) Member\nFiona Lennox Convenor\n\n"
            "1. Roads\n\nThe potholes on the shore road are to be raised with the R&C CC, whose "
            "road it is. CC advised that the paint had been ordered.\n\n"
            "2. Councillor Update\n\nThe ward councillors sent a written update. The Update "
            "requested last month on the bus shelter had not come."
        )
    )
    assert "with the R&C CC, whose" in text
    assert re.search(rf"{PSEUDONYM} advised that the paint", text)
    assert "Councillor Update" in text and "The Update requested" in text


def test_the_seat_an_mp_or_a_councillor_holds_is_no_person() -> None:
    """NER may take "Liverpool Riverside" for a person: after "the MP for" it is a seat."""
    from pipeline.pseudonymise.people import Roster
    from pipeline.pseudonymise.preprocess import _other_names

    text = "The Labour MP for Kelsby Northgate and Imogen Rask asked for the figures."
    seat = (text.index("Kelsby"), text.index(" and"), "")
    person = (text.index("Imogen"), text.index(" asked"), "")
    evidence = namecontext.gather([text])
    found = _other_names(text, Roster(), evidence, [seat, person], [])
    assert {text[a:b] for a, b, _ in found} == {"Imogen Rask"}


def test_an_organisation_ner_labelled_so_stays_one_where_the_words_before_say_so() -> None:
    """NER labels "Northline Abellio" an organisation (or a person), and "Callum Cranwell" an
    organisation too; two rare words may be a mislabelled name, but not after "in partnership
    with"."""
    from pipeline.pseudonymise.names import OTHER_LABEL
    from pipeline.pseudonymise.people import Roster
    from pipeline.pseudonymise.preprocess import _other_names

    text = (
        "The trust works in partnership with Northline Abellio on the stations. "
        "Callum Cranwell reported on the depot."
    )
    company = (text.index("Northline"), text.index(" on the stations"), OTHER_LABEL)
    person = (text.index("Callum"), text.index(" reported"), OTHER_LABEL)
    evidence = namecontext.gather([text])
    found = _other_names(text, Roster(), evidence, [company, person], [])
    assert {text[a:b] for a, b, _ in found} == {"Callum Cranwell"}
    as_person = (company[0], company[1], "")
    found = _other_names(text, Roster(), evidence, [as_person, person], [])
    assert {text[a:b] for a, b, _ in found} == {"Callum Cranwell"}


def test_a_member_called_by_forename_is_hidden(ardmore: str) -> None:
    assert "Fiona" not in ardmore
    assert re.search(rf"{PSEUDONYM} confirmed that the Ardmore Primary School", ardmore)


# A county council's list: initials and surnames, honours after some of them.
COUNTY = """\
County Council

PRESENT: Mr R W Pellow (Chairman), Mrs T Ashworth, MBE, Mr J Venn, MBE, Ms L Rook and
Mr P Quenby.

1. Apologies

There were no apologies.

2. Budget

Mr R W Pellow introduced the budget. Mrs Ashworth, MBE, asked about the reserves. Mr Venn's
question on roads was answered by Mr Quenby. Ms Tully Motion carried.

3. Papers

The Cabinet discussed paper TB(2)1 on the budget, presented over MS Teams.
"""


@pytest.fixture(scope="module")
def county() -> Preprocessed:
    return run(COUNTY)


def test_honours_after_names_are_no_one(county: Preprocessed) -> None:
    text = text_of(county)
    assert "MBE, asked about the reserves" in text
    assert "Ashworth" not in text and "Venn" not in text and "Quenby" not in text


def test_a_title_then_a_surname_then_an_ordinary_word(county: Preprocessed) -> None:
    text = text_of(county)
    assert "Tully" not in text
    assert re.search(rf"{PSEUDONYM} Motion carried", text)


def test_references_and_software_are_not_people(county: Preprocessed) -> None:
    text = text_of(county)
    assert "paper TB(2)1" in text
    assert "over MS Teams" in text


def test_a_board_name_written_with_initials_is_hidden_whole() -> None:
    """board.yaml says "Roger Pellow"; the minutes write "Mr R W Pellow": no "Mr R W" is left."""
    board = Board(
        "County Council",
        None,
        (Member("Roger Pellow", "chair"), Member("Tessa Ashworth", "member")),
        "board.yaml",
    )
    text = text_of(run(COUNTY, board=board))
    assert "R W" not in text and "Pellow" not in text
    assert re.search(rf"(?:^|\. ){PSEUDONYM} introduced the budget", text, re.MULTILINE)


def test_possessives_with_either_apostrophe_are_hidden_with_the_name() -> None:
    minutes = """\
Present:
Ewan Tolmie (ET)
Elspeth Tait

1. Reports

Ewan Tolmie’s report was noted. Mr Tolmie's figures were agreed. Elspeth’s survey had 40
replies.
"""
    text = text_of(run(minutes))
    assert "Tolmie" not in text and "Elspeth" not in text
    assert re.search(rf"{PSEUDONYM}['’]s report was noted", text)
    assert re.search(rf"{PSEUDONYM}['’]s survey", text)


def test_a_person_on_no_list_named_in_full_is_hidden() -> None:
    minutes = """\
Present:
Fiona Lennox

1. Police

Duncan Ferrier from Police Scotland confirmed that patrols would continue. Fiona Lennox thanked
Duncan Ferrier.
"""
    text = text_of(run(minutes))
    assert "Ferrier" not in text
    assert "from Police Scotland confirmed" in text
    # Someone on no list who reports is an officer or guest (coding manual); one pseudonym.
    assert len(set(re.findall(r"(?:Person|Officer) \d+", text))) == 1


def test_a_seat_in_the_board_file_is_no_name() -> None:
    """An alias naming a seat ("The Convenor") is left as written, like "the Chair"."""
    board = Board(
        "Ardmore Community Council",
        None,
        (Member("Fiona Lennox", "chair", aliases=("The Convenor", "Fiona")),),
        "board.yaml",
    )
    minutes = """\
Present:
Fiona Lennox Convenor

1. Welcome

The Convenor welcomed everyone. Fiona asked for volunteers for the fair.
"""
    text = text_of(run(minutes, board=board))
    assert "The Convenor welcomed everyone" in text
    assert re.search(rf"{PSEUDONYM} asked for volunteers", text)


# --------------------------------------------------------------------------- the rules
def person(name: str, *, initials: str = "", source: str = "inferred") -> Person:
    from pipeline.pseudonymise.people import name_key

    return Person(name_key(name), name, "lay", source, initials={initials} if initials else set())


@pytest.mark.parametrize(
    ("name", "is_name"),
    [
        ("Page", False),  # "Page 1 of 9" read as an entry
        ("MBE", False),
        ("Chief Officer", False),
        ("Cora Head", True),  # an office's word may be a surname
        ("Cabinet Office", False),
        ("In Attendance", False),
        ("An update", False),
        ("DP", True),  # a person the list gives by initials only
        ("Dev Chaudhry", True),
        ("Duncan Ardmore", True),  # a name, whose surname context must judge
    ],
)
def test_what_a_list_entry_must_be_to_be_a_name(name: str, is_name: bool) -> None:
    initials = "DC" if name == "Dev Chaudhry" else ""
    assert namecontext.is_name(person(name, initials=initials)) is is_name


def test_the_corpus_says_which_words_are_places_and_which_acronyms_organisations() -> None:
    evidence = namecontext.gather(
        [
            "The path in Ardmore was flooded. Ardmore Primary School will host the fair.",
            "The CC agreed. The CC will write. Member CC. Owen Hartley, CEO, LPF.",
            "Local Pharmacy Forum (LPF) met. Mrs Rook asked.",
        ]
    )
    assert "Ardmore" in evidence.places
    assert {"CC", "LPF"} <= evidence.organisations
    assert "CEO" in evidence.descriptors
    assert "Rook" in evidence.titled
