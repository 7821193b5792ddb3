"""Preprocessing: every person pseudonymised everywhere, then lemmas for coding."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from pipeline.core import config
from pipeline.core.textkey import unit_key
from pipeline.inputs.board import Board, Member
from pipeline.pseudonymise.people import initials_of, strip_title
from pipeline.pseudonymise.preprocess import Preprocessed, lemmatise, preprocess
from pipeline.segment import segment
from tests.minutes_frames import minutes_frames

MEMBERS = (
    Member("Cllr Margaret Ashdown", "chair", initials="MA"),
    Member("Daniel Kerrigan", "service_user", aliases=("Danny Kerrigan",), initials="DK"),
    Member("Amira Hassan", "service_user", initials="AH"),
    Member("Ruth Ellison", "carer", initials="RE"),
    Member("Dr Rajiv Menon", "member", initials="RM"),
    Member("Mark Tennant", "officer", initials="MT"),
)
BOARD = Board("Harrowmere", None, MEMBERS, "board.yaml")

MEETING_1 = """\
Present:
• Cllr Margaret Ashdown (Chair)
• Daniel Kerrigan (Service User Representative)
• Amira Hassan (Service User Representative)
• Ruth Ellison (Carer Representative)
• Dr Rajiv Menon

In attendance:
• Mark Tennant, Partnership Manager
• Lisa Okonjo (Commissioning Officer)

1. Welcome

The Chair welcomed everyone and thanked Ruth Ellison for hosting.

2. Presentation by Mr Kerrigan on the crisis line

Danny Kerrigan said that callers at night were often told to ring back. Mr Kerrigan's survey
of 40 callers was circulated.

Dr Menon thanked DK and Ms Hassan for the work. Mrs Patel from the Samaritans had helped.

In reply, Ms Okonjo explained that Mrs Patel would join the next meeting. Lisa Okonjo's team
had two new posts.

Action: MT and RE to meet Mrs Patel before the next meeting.
"""

MEETING_2 = """\
Present:
• Margaret Ashdown (Chair)
• Amira Hassan
• Rajiv Menon

1. Matters arising

Ms Hassan reported that the crisis lines had been busier. Dr Menon agreed.
"""

NAMES = [
    "Margaret Ashdown",
    "Daniel Kerrigan",
    "Danny Kerrigan",
    "Amira Hassan",
    "Ruth Ellison",
    "Rajiv Menon",
    "Mark Tennant",
    "Lisa Okonjo",
    "Patel",
]


def segmented(board: Board | None = BOARD):  # type: ignore[no-untyped-def]
    pages = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "source": ["a.pdf", "b.pdf"],
            "page": [1, 1],
            "text": [MEETING_1, MEETING_2],
            "ocr": False,
        }
    )
    documents = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "source": ["a.pdf", "b.pdf"],
            "doc_type": "minutes",
            "status": "ok",
            "meeting_date": [pd.Timestamp(2024, 3, 14), pd.Timestamp(2024, 5, 16)],
        }
    )
    return segment(pages, documents, board)


@pytest.fixture(scope="module")
def seg():  # type: ignore[no-untyped-def]
    return segmented()


@pytest.fixture(scope="module")
def pre(seg) -> Preprocessed:  # type: ignore[no-untyped-def]
    return preprocess(seg)


def real_name_patterns() -> list[re.Pattern[str]]:
    """Full names, surnames (with a capital) and initials (standalone capitals) of everyone."""
    patterns = []
    for name in NAMES:
        bare, _ = strip_title(name)
        patterns.append(re.compile(rf"\b{re.escape(bare.split()[-1])}\b"))
        if len(bare.split()) > 1:
            patterns.append(re.compile(rf"\b{re.escape(bare.split()[0])}\b"))
            patterns.append(re.compile(rf"\b{initials_of(bare)}\b"))
    return patterns


@pytest.mark.parametrize("column", ["text", "item_title"])
def test_no_real_name_survives_in_units(pre: Preprocessed, column: str) -> None:
    for text in pre.units[column]:
        for pattern in real_name_patterns():
            assert not pattern.search(text), (pattern.pattern, text)


def test_no_real_name_or_key_in_attendance(pre: Preprocessed) -> None:
    flat = " ".join(pre.attendance.astype(str).to_numpy().ravel())
    for pattern in real_name_patterns():
        assert not pattern.search(flat), pattern.pattern
    assert "person_key" not in pre.attendance.columns


def test_person_columns_of_units_are_pseudonyms(pre: Preprocessed) -> None:
    assert "speaker_key" not in pre.units.columns and "action_owner_key" not in pre.units.columns
    pseudonym = re.compile(r"^(?:Service user|Carer|Lay member|Member|Officer|Chair) \d+$")
    for value in [*pre.units["speaker_id"], *pre.units["action_owner"]]:
        assert value == "" or pseudonym.match(value), value


ROLE_WORDS = {
    "service_user": "Service user",
    "carer": "Carer",
    "lay": "Lay member",
    "member": "Member",
    "officer": "Officer",
    "chair": "Chair",
}


def test_pseudonyms_are_role_and_number(pre: Preprocessed) -> None:
    for row in pre.attendance.itertuples():
        label, _, number = row.person_id.rpartition(" ")
        assert label == ROLE_WORDS[row.role]
        assert number.isdigit()
    per_role = pre.attendance.drop_duplicates("person_id").groupby("role")["person_id"]
    for role, ids in per_role:
        numbers = sorted(int(i.rsplit(" ", 1)[1]) for i in ids)
        assert numbers == list(range(1, len(numbers) + 1)), role


def test_the_same_person_has_the_same_pseudonym_everywhere(pre: Preprocessed) -> None:
    kerrigan = pre.pseudonyms["daniel kerrigan"]
    hassan = pre.pseudonyms["amira hassan"]
    att = pre.attendance
    assert set(att.loc[att["person_id"] == hassan, "meeting_id"]) == set(pre.meetings["meeting_id"])
    said = pre.units[pre.units["text"].str.contains("callers at night")].iloc[0]
    assert said["speaker_id"] == kerrigan
    assert said["text"].startswith(f"{kerrigan} said")
    assert f"{kerrigan}'s survey" in said["text"]  # "Mr Kerrigan's survey"
    assert pre.units["item_title"].str.contains(kerrigan).any()
    later = pre.units[pre.units["text"].str.contains("busier")].iloc[0]
    assert later["speaker_id"] == hassan and later["text"].startswith(hassan)


def test_action_owner_is_the_pseudonym_of_the_named_person(pre: Preprocessed) -> None:
    action = pre.units[pre.units["is_action"]].iloc[0]
    assert action["action_owner"] == pre.pseudonyms["mark tennant"]
    assert action["text"].startswith(
        f"Action: {pre.pseudonyms['mark tennant']} and {pre.pseudonyms['ruth ellison']} to meet"
    )


def test_titled_people_off_the_roster_become_person_n(pre: Preprocessed) -> None:
    texts = " ".join(pre.units["text"])
    found = set(re.findall(r"Person \d+", texts))
    assert len(found) == 1  # Mrs Patel, three times, is one person
    [patel] = found
    assert texts.count(patel) == 3
    assert pre.names[patel].endswith("Patel")


def test_names_key_maps_pseudonyms_back_to_real_names(pre: Preprocessed) -> None:
    assert pre.names[pre.pseudonyms["daniel kerrigan"]] == "Daniel Kerrigan"
    assert pre.names[pre.pseudonyms["lisa okonjo"]] == "Lisa Okonjo"


def test_unit_key_is_taken_from_the_original_text(seg, pre: Preprocessed) -> None:  # type: ignore[no-untyped-def]
    assert pre.units["unit_key"].tolist() == [unit_key(t) for t in seg.units["text"]]


def test_word_counts_are_of_the_pseudonymised_text(pre: Preprocessed) -> None:
    assert pre.units["n_words"].tolist() == [len(t.split()) for t in pre.units["text"]]


def test_lemmas_are_lower_case_base_forms_without_punctuation(pre: Preprocessed) -> None:
    assert (pre.units["lemmas"].str.len() > 0).all()
    busier = pre.units[pre.units["text"].str.contains("crisis lines")].iloc[0]
    assert "crisis line" in busier["lemmas"]
    assert busier["lemmas"] == busier["lemmas"].lower()
    assert "." not in busier["lemmas"].split()


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        ("The crisis lines were busy.", "crisis line be busy"),
        ("Carers attended meetings.", "carer attend meeting"),  # capitals at a sentence start
        ("Crisis Lines", "crisis line"),
        ("Waiting times fell.", "time fall"),
    ],
)
def test_lemmatise(text: str, lemma: str) -> None:
    assert f" {lemma} " in f" {lemmatise([text])[0]} "


@pytest.mark.slow
def test_pseudonyms_are_stable_between_runs() -> None:
    one, two = preprocess(segmented()), preprocess(segmented())
    assert one.pseudonyms == two.pseudonyms
    pd.testing.assert_frame_equal(one.units, two.units)


def test_without_a_board_everyone_listed_is_still_hidden() -> None:
    pre = preprocess(segmented(board=None))
    for column in ("text", "item_title"):
        for text in pre.units[column]:
            for pattern in real_name_patterns():
                assert not pattern.search(text), (pattern.pattern, text)


def test_meetings_are_passed_on(seg, pre: Preprocessed) -> None:  # type: ignore[no-untyped-def]
    pd.testing.assert_frame_equal(pre.meetings, seg.meetings)
    assert pre.attendance["meeting_date"].min().date() == dt.date(2024, 3, 14)


def test_attendance_names_is_a_spacy_component_registered_by_name() -> None:
    import spacy

    from pipeline.pseudonymise import names
    from pipeline.pseudonymise.people import Person, Roster

    roster = Roster(
        [
            Person("teresa oconnell", "Teresa O'Connell", "service_user", initials={"TOC"}),
            Person("gareth pryce-jones", "Gareth Pryce-Jones", "member", initials={"GPJ"}),
        ]
    )
    nlp = spacy.blank("en")
    nlp.add_pipe(names.COMPONENT, config={"patterns": names.patterns(roster, spacy.blank("en"))})
    doc = nlp("Teresa O’Connell thanked Gareth Pryce-Jones. ACTION: GPJ")
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [
        ("Teresa O’Connell", "PERSON", "teresa oconnell"),
        ("Gareth Pryce-Jones", "PERSON", "gareth pryce-jones"),
        ("GPJ", "PERSON", "gareth pryce-jones"),
    ]


def test_names_are_found_without_a_trained_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.pseudonymise import names
    from pipeline.pseudonymise.people import Person, Roster

    names._trained.cache_clear()
    monkeypatch.setattr(names, "TRAINED_PIPELINES", ("no_such_pipeline_installed",))
    try:
        roster = Roster([Person("ann price", "Ann Price", "carer")])
        assert names.name_pipeline(roster).pipe_names == [names.COMPONENT]
        assert names.person_spans(["Ann Price spoke."], roster) == [[(0, 9, "ann price")]]
    finally:
        names._trained.cache_clear()


@pytest.mark.slow
def test_a_trained_pipeline_when_installed_finds_names_no_list_gives() -> None:
    """The `ner` extra (make install does not add it): its NER adds people for pseudonyms."""
    from pipeline.pseudonymise import names
    from pipeline.pseudonymise.people import Person, Roster

    names._trained.cache_clear()
    if names._trained() is None:
        pytest.skip("no trained English pipeline installed (pip install -e '.[ner]')")
    if not config.trained_ner():
        pytest.skip("INVOLVE_NER turns the trained pipeline off")
    roster = Roster([Person("ann price", "Ann Price", "carer")])
    assert "ner" in names.name_pipeline(roster).pipe_names
    spans = names.person_spans(["Ann Price spoke to Aoife Brennan about the crisis line."], roster)
    found = {(a, b, key) for a, b, key in spans[0]}
    assert (0, 9, "ann price") in found
    assert (19, 32, "") in found  # "Aoife Brennan": in no attendance list, found by NER


@pytest.mark.slow
def test_involve_ner_0_turns_the_trained_pipeline_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """To compare runs with and without NER where the `ner` extra is installed."""
    from pipeline.pseudonymise import names
    from pipeline.pseudonymise.people import Person, Roster

    roster = Roster([Person("ann price", "Ann Price", "carer")])
    monkeypatch.setenv("INVOLVE_NER", "0")
    assert names.name_pipeline(roster).pipe_names == [names.COMPONENT]
    monkeypatch.setenv("INVOLVE_NER", "1")
    names._trained.cache_clear()
    expected = [names.COMPONENT] if names._trained() is None else ["ner", names.COMPONENT]
    assert names.name_pipeline(roster).pipe_names == expected


@pytest.mark.parametrize(
    "text",
    [
        "Teresa O’Connell thanked Gareth Pryce-Jones. ACTION: GPJ",
        "teresa o'connell and TOC; Guest Number3 with Guest Number3 again.",
        "No one is named here.",
    ],
)
def test_attendance_names_matches_with_only_the_patterns_a_doc_can_hold(text: str) -> None:
    import spacy

    from pipeline.pseudonymise import names
    from pipeline.pseudonymise.people import Person, Roster

    roster = Roster(
        [
            Person("teresa oconnell", "Teresa O'Connell", "service_user", initials={"TOC"}),
            Person("gareth pryce-jones", "Gareth Pryce-Jones", "member", initials={"GPJ"}),
            # A second person written the same way: which of equal spans wins is order's.
            Person("teresa o connell", "Teresa O Connell", "carer", aliases={"Teresa O'Connell"}),
            *(Person(f"guest {i}", f"Guest Number{i}", "member") for i in range(30)),
        ]
    )
    nlp = spacy.blank("en")
    component = names.AttendanceNames(nlp, "t", names.patterns(roster, spacy.blank("en")))
    doc = nlp(text)
    chosen = component._matcher_for(doc)
    assert chosen is not component.matcher
    found = [(e.start, e.end, e.ent_id_) for e in component(nlp(text)).ents]
    component._matcher_for = lambda doc: component.matcher  # type: ignore[method-assign]
    assert [(e.start, e.end, e.ent_id_) for e in component(nlp(text)).ents] == found


# --------------------------------------------------------------------------- numbering
EARLIER = """\
Present:
• Cllr Margaret Ashdown (Chair)
• Amira Hassan (Service User Representative)

In attendance:
• Mark Tennant, Partnership Manager

1. Crisis line

Ms Hassan said that callers waited too long at night. Tom Reyes, Head of Crisis Services,
explained that two posts had been filled. Mrs Patel from the Samaritans had offered help.

2. Letter from Mrs Lindqvist

The Chair read the letter and thanked Ms Hassan.
"""

LATER = """\
Present:
• Cllr Margaret Ashdown (Chair)
• Amira Hassan

In attendance:
• Mark Tennant
• Gail Mercer (Commissioning Officer)

1. Matters arising

Gail Mercer reported that Mr Okafor from the housing trust had written about the crisis line.
"""


def _numbered(texts: list[str]) -> Preprocessed:
    dates = [pd.Timestamp(2024, 3, 14), pd.Timestamp(2024, 5, 16)][: len(texts)]
    return preprocess(segment(*minutes_frames(texts, dates), BOARD))


def test_a_meeting_added_after_the_others_renumbers_no_one() -> None:
    """The next minutes bring a newly listed officer and new people named in the text: the
    meetings before keep every pseudonym, in their text, titles, speakers and attendance, so
    that a board's outputs do not change under its readers and its cached results stay hits."""
    before, after = _numbered([EARLIER]), _numbered([EARLIER, LATER])
    first = after.units["meeting_id"] == before.units["meeting_id"].iloc[0]
    columns = ["text", "item_title", "speaker_id", "action_owner"]
    assert after.units[first][columns].reset_index(drop=True).equals(before.units[columns])
    listed = after.attendance["meeting_id"] == before.attendance["meeting_id"].iloc[0]
    pair = ["person_id", "role", "status"]
    assert after.attendance[listed][pair].reset_index(drop=True).equals(before.attendance[pair])
    # The later meeting's newcomers were numbered after everyone the earlier one named.
    assert len(set(after.names)) > len(set(before.names))
