"""People in minutes: names normalised, a roster resolved, and every mention found in text."""

from __future__ import annotations

import itertools

import pytest

from pipeline.pseudonymise.people import Person, Roster, initials_of, name_key, strip_title


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Cllr Margaret Ashdown", ("Margaret Ashdown", "Cllr")),
        ("Dr. Priya Ramesh", ("Priya Ramesh", "Dr.")),
        ("Chief Inspector Gareth Lloyd", ("Gareth Lloyd", "Chief Inspector")),
        ("Professor Sir John Ward", ("John Ward", "Professor Sir")),
        ("mrs  Brenda   Okafor", ("Brenda Okafor", "mrs")),
        ("Drew Barrow", ("Drew Barrow", "")),  # "Dr" only as a word of its own
        ("Missy Evans", ("Missy Evans", "")),
        ("Tomasz Nowicki", ("Tomasz Nowicki", "")),
    ],
)
def test_strip_title(name: str, expected: tuple[str, str]) -> None:
    assert strip_title(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dr Olufemi Adeyemi", "olufemi adeyemi"),
        ("Tomasz Nowicki (Carer Representative)", "tomasz nowicki"),
        ("Siobhan O'Brien", "siobhan obrien"),
        ("Siobhan O’Brien", "siobhan obrien"),
        ("Mary Smith-Jones,", "mary smith-jones"),
        ("  CLLR  Howard   PENROSE ", "howard penrose"),
    ],
)
def test_name_key(name: str, expected: str) -> None:
    assert name_key(name) == expected


def test_the_same_person_written_differently_has_one_key() -> None:
    assert (
        len(
            {
                name_key(n)
                for n in (
                    "Mrs Brenda Okafor",
                    "Brenda Okafor",
                    "brenda okafor.",
                    "Brenda Okafor (Carer Representative)",
                )
            }
        )
        == 1
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Daniel Kerrigan", "DK"),
        ("Cllr Margaret Ashdown", "MA"),
        ("Mary Smith-Jones", "MSJ"),
        ("Jean-Paul Martin", "JPM"),
        ("Fiona Castellan", "FC"),
    ],
)
def test_initials_of(name: str, expected: str) -> None:
    assert initials_of(name) == expected


# --------------------------------------------------------------------------- the roster
def person(name: str, role: str, *, aliases: tuple[str, ...] = (), initials: str = "") -> Person:
    bare, title = strip_title(name)
    return Person(
        name_key(name),
        bare,
        role,
        "board.yaml",
        title=title,
        aliases=set(aliases),
        initials={initials} if initials else set(),
    )


@pytest.fixture()
def roster() -> Roster:
    return Roster(
        [
            person("Cllr Margaret Ashdown", "chair", initials="MA"),
            person("Daniel Kerrigan", "service_user", aliases=("Danny Kerrigan",), initials="DK"),
            person("Amira Hassan", "service_user"),
            person("Ruth Ellison", "carer"),
            person("Dr Rajiv Menon", "member"),
            person("Alan Moore", "officer"),  # initials AM, a word in lower case
            person("Siobhan O'Brien", "lay"),
            person("John Smith", "officer"),
            person("Jane Smith", "member"),
            person("Li Wu", "member"),
        ]
    )


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Daniel Kerrigan", "daniel kerrigan"),
        ("Mr Daniel Kerrigan", "daniel kerrigan"),
        ("Danny Kerrigan", "daniel kerrigan"),  # an alias
        ("Mr Kerrigan", "daniel kerrigan"),  # surname alone, unique on the roster
        ("Kerrigan", "daniel kerrigan"),
        ("Daniel Kerigan", "daniel kerrigan"),  # a typo in the minutes
        ("D Kerrigan", "daniel kerrigan"),  # an initial for the forename
        ("Dr Menon", "rajiv menon"),
        ("Councillor Margaret Ashdown", "margaret ashdown"),
        ("Ms O’Brien", "siobhan obrien"),
    ],
)
def test_resolve_finds_the_person(roster: Roster, written: str, key: str) -> None:
    found = roster.resolve(written)
    assert found is not None
    assert found.key == key


def test_daniel_resolves_to_danny_when_only_the_short_form_is_on_the_roster() -> None:
    roster = Roster([person("Danny Kerrigan", "service_user")])
    found = roster.resolve("Daniel Kerrigan")
    assert found is not None and found.key == "danny kerrigan"


@pytest.mark.parametrize("written", ["Smith", "Mr Smith", "Peter Jones", "", "Dr"])
def test_resolve_refuses_ambiguous_or_unknown_names(roster: Roster, written: str) -> None:
    assert roster.resolve(written) is None


def test_adding_a_board_person_overrides_an_inferred_role() -> None:
    roster = Roster([Person("ruth ellison", "Ruth Ellison", "member", "inferred")])
    roster.add(Person("ruth ellison", "Ruth Ellison", "carer", "board.yaml", initials={"RE"}))
    ruth = roster.people["ruth ellison"]
    assert (ruth.role, ruth.role_source, ruth.initials) == ("carer", "board.yaml", {"RE"})


def test_an_inferred_role_does_not_override_the_board() -> None:
    roster = Roster([Person("ruth ellison", "Ruth Ellison", "carer", "board.yaml")])
    roster.add(Person("ruth ellison", "Ruth Ellison", "member", "inferred"))
    assert roster.people["ruth ellison"].role == "carer"


def test_chair_is_the_one_person_with_the_chair_role(roster: Roster) -> None:
    chair = roster.chair()
    assert chair is not None and chair.key == "margaret ashdown"
    assert Roster([person("Ann Price", "carer")]).chair() is None


# --------------------------------------------------------------------------- mentions
def spans(roster: Roster, text: str) -> list[tuple[str, str, str]]:
    return [(text[m.start : m.end], m.key, m.form) for m in roster.mentions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Daniel Kerrigan said that the ward was full.",
            [("Daniel Kerrigan", "daniel kerrigan", "full")],
        ),
        ("Mr Daniel Kerrigan said so.", [("Mr Daniel Kerrigan", "daniel kerrigan", "full")]),
        ("Danny Kerrigan said so.", [("Danny Kerrigan", "daniel kerrigan", "full")]),
        ("Mr Kerrigan said so.", [("Mr Kerrigan", "daniel kerrigan", "surname")]),
        ("Dr. Menon agreed.", [("Dr. Menon", "rajiv menon", "surname")]),
        ("Ms O’Brien agreed.", [("Ms O’Brien", "siobhan obrien", "surname")]),
        ("DK asked whether it was funded.", [("DK", "daniel kerrigan", "initials")]),
        ("Action: AH to circulate.", [("AH", "amira hassan", "initials")]),
        ("Daniel\nKerrigan said so.", [("Daniel\nKerrigan", "daniel kerrigan", "full")]),
    ],
)
def test_mentions_of_roster_people(
    roster: Roster, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert spans(roster, text) == expected


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_possessive_is_left_out_of_the_span(roster: Roster, apostrophe: str) -> None:
    text = f"The Board noted Mr Kerrigan{apostrophe}s point."
    assert spans(roster, text) == [("Mr Kerrigan", "daniel kerrigan", "surname")]


@pytest.mark.parametrize(
    "text",
    [
        "I am grateful to the team.",  # "am" is a word, not Alan Moore's initials
        "Am I right that it was funded?",
        "The ADKX code was noted.",  # initials inside a longer capital word
        "The kerrigan report.",  # a surname only counts with its capital
        "Mr Smith said so.",  # two Smiths: the surname alone names nobody
        "Li said so.",  # surnames of two letters are too common to match alone
        "The Hassanein report was noted.",  # a surname inside a longer word
    ],
)
def test_things_that_are_not_mentions(roster: Roster, text: str) -> None:
    assert [m for m in roster.mentions(text) if m.form != "chair"] == []


def test_initials_in_capitals_are_a_mention(roster: Roster) -> None:
    assert spans(roster, "AM reported on the budget.") == [("AM", "alan moore", "initials")]


def test_full_names_are_found_even_when_surnames_are_shared(roster: Roster) -> None:
    assert [s[1] for s in spans(roster, "John Smith and Jane Smith agreed.")] == [
        "john smith",
        "jane smith",
    ]


@pytest.mark.parametrize(
    ("text", "chair_spans"),
    [
        ("The Chair thanked members.", ["The Chair"]),
        ("Members thanked the Chair for her work.", ["the Chair"]),
        ("The Chairperson closed the meeting.", ["The Chairperson"]),
        ("The Vice Chair spoke.", []),
        ("The Vice-Chair spoke.", []),
        ("Ms Hassan agreed to chair the group.", []),
    ],
)
def test_the_chair_is_a_mention_of_the_chair_by_office(
    roster: Roster, text: str, chair_spans: list[str]
) -> None:
    found = [(t, k) for t, k, f in spans(roster, text) if f == "chair"]
    assert found == [(s, "margaret ashdown") for s in chair_spans]


def test_the_chair_is_nobody_when_the_roster_has_no_chair() -> None:
    roster = Roster([person("Ann Price", "carer")])
    assert roster.mentions("The Chair thanked Ann Price.")[0].form == "full"
    assert len(roster.mentions("The Chair thanked Ann Price.")) == 1


def test_mentions_are_in_order_and_do_not_overlap(roster: Roster) -> None:
    text = (
        "The Chair thanked Mr Daniel Kerrigan, Dr Menon and RE; Ms Hassan's and Mr Kerrigan's "
        "points were noted."
    )
    found = roster.mentions(text)
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert [m.key for m in found] == [
        "margaret ashdown",
        "daniel kerrigan",
        "rajiv menon",
        "ruth ellison",
        "amira hassan",
        "daniel kerrigan",
    ]


def test_roster_learns_new_people(roster: Roster) -> None:
    assert roster.mentions("Priya Ramesh said so.") == []
    roster.add(person("Dr Priya Ramesh", "member"))
    assert [m.key for m in roster.mentions("Priya Ramesh said so.")] == ["priya ramesh"]


@pytest.mark.parametrize(
    "written", ["Danny Kerrigan", "Dan Kerrigan", "D. Kerrigan", "D Kerrigan", "Mr Danny Kerrigan"]
)
def test_a_forename_written_differently_is_part_of_the_mention(written: str) -> None:
    """Resolve() accepts "Danny" for Daniel; mentions must too, or the forename is left showing."""
    roster = Roster([person("Daniel Kerrigan", "service_user")])
    text = f"{written} said that the ward was full."
    assert spans(roster, text) == [(written, "daniel kerrigan", "full")]


def test_an_unrelated_capitalised_word_before_a_surname_is_not_taken(roster: Roster) -> None:
    assert spans(roster, "Then Kerrigan said so.") == [("Kerrigan", "daniel kerrigan", "surname")]


# --------------------------------------------------------------------------- issue 4 forms
def test_accents_do_not_change_a_name_key() -> None:
    assert name_key("Cllr. Seán Ó Briain") == name_key("Sean O Briain") == "sean o briain"
    assert name_key("Mairéad Kinsella") == "mairead kinsella"


def test_initials_resolve_to_the_one_person_with_them() -> None:
    roster = Roster(
        [
            Person("rhys bannerman", "Rhys Bannerman", "service_user"),
            Person("nkechi obi", "Nkechi Obi", "carer", initials={"NO"}),
        ]
    )
    assert roster.resolve("RB") is roster.people["rhys bannerman"]
    assert roster.resolve("NO") is roster.people["nkechi obi"]
    assert roster.resolve("ZZ") is None


def test_given_initials_beat_initials_a_name_implies() -> None:
    roster = Roster(
        [
            Person("tobias okeke", "Tobias Okeke", "member", initials={"TO"}),
            Person("teresa oconnell", "Teresa O'Connell", "service_user", initials={"TOC"}),
        ]
    )
    [m] = roster.mentions("ACTION: TO")
    assert m.key == "tobias okeke"


def test_a_job_title_from_the_list_names_its_holder() -> None:
    person = Person("gareth pryce-jones", "Gareth Pryce-Jones", "member")
    person.offices.add("Director of Operations")
    roster = Roster([person, Person("kwame asante", "Kwame Asante", "officer")])
    [m] = roster.mentions("The Director of Operations said that he would report.")
    assert (m.key, m.form) == ("gareth pryce-jones", "office")
    assert roster.mentions("the director of operations in another trust") == []


def test_people_known_from_informal_notes_are_named_by_forename() -> None:
    des = Person("des kilbride", "Des Kilbride", "service_user", by_forename=True)
    roster = Roster([des, Person("frank ilori", "Frank Ilori", "lay")])
    assert [(m.key, m.form) for m in roster.mentions("Des asked Frank.")] == [
        ("des kilbride", "forename")
    ]


def test_an_acting_chair_is_the_chair_of_the_meeting() -> None:
    roster = Roster(
        [
            Person("sean o briain", "Seán Ó Briain", "chair"),
            Person("mairead kinsella", "Mairéad Kinsella", "member"),
        ]
    )
    roster.chair_key = "mairead kinsella"
    [m] = roster.mentions("The Chairperson asked Mr Fahy to arrange it.")
    assert (m.key, m.form) == ("mairead kinsella", "chair")


# ------------------------------------------------------------- only the forms a text can hold
CROWD = [
    Person("teresa oconnell", "Teresa O'Connell", "service_user", initials={"TOC"}),
    Person("gareth pryce-jones", "Gareth Pryce-Jones", "member", initials={"GPJ"}),
    Person("daniel kerrigan", "Daniel Kerrigan", "service_user"),
    Person("ann price", "Ann Price", "carer", aliases={"Annie"}),
    Person("derek murray", "Derek Murray", "officer", aliases={"Sgt Murray"}),
    Person("sian ellis", "Siân Ellis", "member", offices={"Director of Finance"}),
    Person("tobias okeke", "Tobias Okeke", "member", initials={"TO"}),
    Person("amy moss", "Amy Moss", "member"),
    *(Person(f"guest {i}", f"Guest Number{i}", "member") for i in range(40)),
]


@pytest.mark.parametrize(
    "text",
    [
        "Teresa O’Connell’s point: O'Connell and OConnell agreed; TOC to write.",
        "Mr Pryce-Jones and Gareth Pryce-Jones’ report; GPJ to circulate.",
        "Dan Kerrigan, D. Kerrigan and Kerrigan's view; Annie said Ms Price agreed.",
        "Sgt Murray and the Director of Finance spoke; SIÂN ELLIS and Siân Ellis too.",
        "TO to report to the board; it is up to Amy Moss. AM asked.",
        "The Chair thanked Guest Number7, Number12 and Guest Number33's team.",
        "Nothing here names anyone at all.",
        "ſmall print: KERRIGAN and the Kelvin K sign, with Ann Price.",
    ],
)
def test_matching_only_the_forms_a_text_holds_finds_what_every_form_finds(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    from pipeline.pseudonymise import people

    roster = Roster(CROWD)
    chosen = roster.mentions(text)
    assert roster._pattern_for(text) is not roster._pattern or people._folds_oddly(text)
    monkeypatch.setattr(people, "_folds_oddly", lambda text: True)  # every form, always
    assert roster.mentions(text) == chosen


def test_a_surname_resolves_against_the_roster_as_it_is_now() -> None:
    roster = Roster([person("Ann Price", "carer")])
    found = roster.resolve("Price")
    assert found is not None and found.key == "ann price"
    roster.add(person("Tom Price", "member"))
    assert roster.resolve("Price") is None  # two people of that name now: neither
    assert roster.resolve("T Price") is roster.people["tom price"]
