"""Segmentation: minutes text into meetings, attendance, agenda items and units with speakers.

Pages are built by hand as ingestion writes them: blocks separated by a blank line, the lines of a
block by single newlines, list items starting with "• ".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import Source

from pipeline.ingest import Extracted, RawFile, ingest
from pipeline.inputs.board import Board, Member
from pipeline.segment import Segmented, segment

DATE = dt.date(2024, 3, 14)

PAGE_1 = """\
Harrowmere Mental Health Partnership Board

Minutes of the meeting held on Thursday 14 March 2024

Present:

• Cllr Margaret Ashdown (Chair)
• Daniel Kerrigan (Service User Representative)
• Amira Hassan (Service User Representative)
• Ruth Ellison (Carer Representative)
• Dr Rajiv Menon, Clinical Director
• Daniel Kerrigan (Service User Representative)

In attendance:

• Mark Tennant, Partnership Manager
• Lisa Okonjo (Commissioning Officer)

Apologies:

• Colin Maddox

1. Welcome and apologies

The Chair welcomed everyone to the meeting. Apologies were noted as listed above.

2. Crisis services

Mark Tennant presented the quarterly report on crisis services. Calls to the crisis line
had risen by a fifth since the autumn.

He added that a review of out-of-hours cover had started in February.

Mr Kerrigan said that people who rang at night were often told to call back in the
morning.

In reply, Ms Okonjo explained that a second night worker had been funded from April and that
the service had seen"""

PAGE_2 = """\
fewer missed calls since January.

AH asked whether service users had been asked about the new telephone menu.

The Chair thanked members for their comments.

Members raised the following concerns:
• night cover at weekends
• waiting times for a call back

RESOLVED: that the report be noted.

Action: MT to circulate the crisis line figures by time of day.

3. Any other business

There was no other business.

Signed: ........................ (Chair)

Date: ..........................
"""


def pages_frame(
    *texts: str, doc_id: str = "d1", source: str = "minutes/2024-03-14.pdf"
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": doc_id,
            "source": source,
            "page": range(1, len(texts) + 1),
            "text": list(texts),
            "ocr": False,
        }
    )


def documents_frame(*rows: tuple[str, str, dt.date | None]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "doc_id": doc_id,
                "source": source,
                "doc_type": "minutes",
                "status": "ok",
                "meeting_date": pd.Timestamp(date) if date else pd.NaT,
            }
            for doc_id, source, date in rows
        ]
    )


def run(*texts: str, board: Board | None = None, date: dt.date | None = DATE) -> Segmented:
    return segment(
        pages_frame(*texts), documents_frame(("d1", "minutes/2024-03-14.pdf", date)), board
    )


def attendance(seg: Segmented) -> dict[str, tuple[str, str]]:
    return {r.person_key: (r.role, r.status) for r in seg.attendance.itertuples()}


def unit(seg: Segmented, starts: str) -> pd.Series:
    hits = seg.units[seg.units["text"].str.startswith(starts)]
    assert len(hits) == 1, (starts, seg.units["text"].tolist())
    return hits.iloc[0]


@pytest.fixture(scope="module")
def meeting() -> Segmented:
    return run(PAGE_1, PAGE_2)


# --------------------------------------------------------------------------- attendance
def test_attendance_lists_with_roles_inferred_without_a_board(meeting: Segmented) -> None:
    assert attendance(meeting) == {
        "margaret ashdown": ("chair", "present"),
        "daniel kerrigan": ("service_user", "present"),
        "amira hassan": ("service_user", "present"),
        "ruth ellison": ("carer", "present"),
        "rajiv menon": ("member", "present"),
        "mark tennant": ("officer", "in_attendance"),
        "lisa okonjo": ("officer", "in_attendance"),
        "colin maddox": ("member", "apologies"),
    }
    assert set(meeting.attendance["role_source"]) == {"inferred"}


def test_meeting_counts_follow_the_attendance(meeting: Segmented) -> None:
    [m] = meeting.meetings.to_dict("records")
    assert m["meeting_id"] == "M2024-03-14"
    assert m["meeting_date"] == DATE and m["year"] == 2024
    assert m["members_present"] == 5  # the chair included, Mr Kerrigan once
    assert m["lay_present"] == 3  # two service users and a carer
    assert m["apologies"] == 1
    assert m["in_attendance"] == 2
    assert bool(m["lay_standard_met"])
    assert m["has_attendance"]
    assert m["n_items"] == 3
    assert m["n_units"] == len(meeting.units)


def board(*members: Member) -> Board:
    return Board("Harrowmere", None, members, "corpora/demo/board.yaml")


def test_board_role_wins_over_the_list() -> None:
    seg = run(
        PAGE_1,
        PAGE_2,
        board=board(
            Member("Ruth Ellison", "lay"),  # listed as a carer representative
            Member("Dr Rajiv Menon", "service_user", initials="RM"),  # listed with no cue
            Member("Lisa Okonjo", "officer"),
        ),
    )
    got = attendance(seg)
    assert got["ruth ellison"] == ("lay", "present")
    assert got["rajiv menon"] == ("service_user", "present")
    sources = dict(zip(seg.attendance["person_key"], seg.attendance["role_source"], strict=True))
    assert sources["ruth ellison"] == "board.yaml"
    assert sources["amira hassan"] == "inferred"
    assert seg.meetings.iloc[0]["lay_present"] == 4


def test_board_aliases_join_a_differently_written_name() -> None:
    page = PAGE_1.replace("Daniel Kerrigan (Service", "Danny Kerrigan (Service")
    seg = run(
        page,
        PAGE_2,
        board=board(Member("Daniel Kerrigan", "service_user", aliases=("Danny Kerrigan",))),
    )
    assert attendance(seg)["daniel kerrigan"] == ("service_user", "present")
    assert "danny kerrigan" not in attendance(seg)


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        (
            "Present: Gillian Harcourt (Chair), Tomasz Nowicki, Brenda Okafor",
            {"gillian harcourt": "chair", "tomasz nowicki": "member", "brenda okafor": "member"},
        ),
        (
            "Present: Jo Bloggs (Service User Representative), Ann Price (Carer Representative), "
            "Cllr Howard Penrose",
            {"jo bloggs": "service_user", "ann price": "carer", "howard penrose": "member"},
        ),
    ],
)
def test_one_line_present_list(present: str, expected: dict[str, str]) -> None:
    seg = run(f"Minutes of the meeting\n\n{present}\n\n1. Welcome\n\nThe Chair opened the meeting.")
    assert {k: v[0] for k, v in attendance(seg).items()} == expected
    assert seg.meetings.iloc[0]["members_present"] == len(expected)


def test_one_present_lay_member_does_not_meet_the_standard() -> None:
    seg = run(
        "Present:\n• Ann Price (Carer Representative)\n• Cllr Howard Penrose\n\n"
        "1. Welcome\n\nThe meeting opened."
    )
    m = seg.meetings.iloc[0]
    assert (m["lay_present"], bool(m["lay_standard_met"])) == (1, False)


def test_minutes_without_attendance_still_give_units() -> None:
    seg = run(
        "Minutes of the meeting held on 14 March 2024\n\n1. Housing\n\nThe board received "
        "the housing report.\n\n2. Any other business\n\nThere was none."
    )
    m = seg.meetings.iloc[0]
    assert not m["has_attendance"]
    # Without a list, presence is unknown (missing), not nobody (issue 15).
    assert m["members_present"] is None and m["lay_present"] is None
    assert m["lay_standard_met"] is None
    assert seg.units["text"].tolist() == [
        "The board received the housing report.",
        "There was none.",
    ]
    assert seg.units["item_no"].tolist() == ["1", "2"]


def test_minutes_without_items_or_attendance_still_give_units() -> None:
    seg = run(
        "Notes of the carers' meeting\n\nThe group discussed respite.\n\nJo Bloggs thanked "
        "everyone."
    )
    assert seg.units["text"].tolist() == [
        "The group discussed respite.",
        "Jo Bloggs thanked everyone.",
    ]


# --------------------------------------------------------------------------- units
def test_headings_attendance_and_signatures_are_not_units(meeting: Segmented) -> None:
    texts = meeting.units["text"].tolist()
    for not_a_unit in (
        "2. Crisis services",
        "Crisis services",
        "Present:",
        "Apologies:",
        "• Colin Maddox",
        "Signed",
        "Date:",
        "Harrowmere Mental Health",
    ):
        assert not any(t.startswith(not_a_unit) for t in texts), not_a_unit
    assert not any("Colin Maddox" in t for t in texts)


def test_units_keep_their_item_number_and_title(meeting: Segmented) -> None:
    items = meeting.units[["item_no", "item_title"]].drop_duplicates().values.tolist()
    assert items == [
        ["1", "Welcome and apologies"],
        ["2", "Crisis services"],
        ["3", "Any other business"],
    ]
    assert unit(meeting, "Mr Kerrigan said")["item_no"] == "2"


def test_units_keep_the_page_they_start_on(meeting: Segmented) -> None:
    assert unit(meeting, "The Chair welcomed")["page"] == 1
    assert unit(meeting, "AH asked")["page"] == 2


def test_wrapped_lines_are_joined_into_one_paragraph(meeting: Segmented) -> None:
    assert unit(meeting, "Mr Kerrigan said")["text"] == (
        "Mr Kerrigan said that people who rang at night were often told to call back in the "
        "morning."
    )


def test_a_paragraph_broken_by_a_page_break_is_joined(meeting: Segmented) -> None:
    reply = unit(meeting, "In reply, Ms Okonjo")
    assert reply["text"].endswith("the service had seen fewer missed calls since January.")
    assert reply["page"] == 1
    assert not meeting.units["text"].str.startswith("fewer missed calls").any()


def test_a_finished_paragraph_at_a_page_end_is_not_joined_to_the_next_page() -> None:
    seg = run("1. Housing\n\nThe report was noted.", "Mr Kerrigan said that rents had risen.")
    assert seg.units["text"].tolist() == [
        "The report was noted.",
        "Mr Kerrigan said that rents had risen.",
    ]
    assert seg.units["page"].tolist() == [1, 2]


def test_a_list_stays_with_its_lead_in(meeting: Segmented) -> None:
    assert unit(meeting, "Members raised")["text"] == (
        "Members raised the following concerns:\n• night cover at weekends\n"
        "• waiting times for a call back"
    )


def test_a_list_in_its_own_block_joins_the_paragraph_before_it() -> None:
    seg = run("1. Housing\n\nThe board noted the priorities:\n\n• rents\n• repairs")
    assert seg.units["text"].tolist() == ["The board noted the priorities:\n• rents\n• repairs"]


def test_a_heading_set_close_above_a_one_line_paragraph_is_split_off() -> None:
    """OCR'd pages have no bold to set a heading apart; a short paragraph must not hide it."""
    seg = run(
        "1. Welcome and apologies\nThe Chair welcomed everyone to the meeting and noted "
        "the apologies.\n\n2. Declarations of interest\nNo interests were declared.\n\n"
        "3. Minutes of the last meeting\nThe minutes were agreed as a correct record."
    )
    assert seg.units[["item_no", "item_title", "text"]].values.tolist() == [
        [
            "1",
            "Welcome and apologies",
            "The Chair welcomed everyone to the meeting and noted the apologies.",
        ],
        ["2", "Declarations of interest", "No interests were declared."],
        ["3", "Minutes of the last meeting", "The minutes were agreed as a correct record."],
    ]


def test_a_numbered_paragraph_is_a_unit_not_a_heading() -> None:
    seg = run(
        "4. Declarations of interest\n\n4.1 None were declared.\n\n4.2 Dr Menon said that "
        "the board should keep a register of interests and publish it\non the website."
    )
    assert seg.units["item_no"].tolist() == ["4", "4"]
    assert seg.units["text"].str.startswith(("4.1", "4.2")).all()


# --------------------------------------------------------------------------- actions, decisions
def test_action_line_is_its_owners_commitment(meeting: Segmented) -> None:
    """The coding manual: an action's owner is its source, as real minutes' coders code it."""
    action = unit(meeting, "Action: MT")
    assert bool(action["is_action"])
    assert action["action_owner_key"] == "mark tennant"
    assert (action["speaker_key"], action["speaker_role"]) == ("mark tennant", "officer")


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("Action: all members to send comments by Friday.", "lay"),
        ("[Keystone to find out who owns the garages.]", "officer"),
        ("09-02 RB to add the marketing materials to the website", "service_user"),
        ("Action: put on the next agenda", "none"),
        # Several owners listed with commas: the first the list knows owns it.
        ("3-02 RB, MK and JP to order the new benches", "service_user"),
    ],
)
def test_action_owners_in_the_forms_real_minutes_use(line: str, role: str) -> None:
    """A residents' liaison meeting: its members are lay, the landlord's staff attend."""
    seg = run(
        "Those present\nHarrowmere Residents' Association (HRA)\n"
        "• Rhys Bannerman (RB), service user rep\n"
        "\nKeystone\n• Alex Wynne, Operations Manager\n\n1. Garages\n\n" + line
    )
    found = unit(seg, line[:12])
    assert bool(found["is_action"]) and found["speaker_role"] == role


def test_resolution_is_a_decision(meeting: Segmented) -> None:
    resolved = unit(meeting, "RESOLVED")
    assert bool(resolved["is_decision"]) and not bool(resolved["is_action"])
    assert resolved["speaker_role"] == "none"


@pytest.mark.parametrize(
    "text",
    [
        "It was agreed that the protocol be adopted.",
        "The Board agreed the terms of reference.",
        "Resolved that the report be noted.",
        "The strategy was proposed by AH and seconded by DK.",
    ],
)
def test_decisions_in_other_words(text: str) -> None:
    seg = run(f"Present:\n• Amira Hassan\n• Daniel Kerrigan\n\n1. Strategy\n\n{text}")
    assert seg.units["is_decision"].tolist() == [True]


def test_ordinary_paragraphs_are_neither_actions_nor_decisions(meeting: Segmented) -> None:
    said = unit(meeting, "Mr Kerrigan said")
    assert not bool(said["is_action"]) and not bool(said["is_decision"])
    assert said["action_owner_key"] == ""


# --------------------------------------------------------------------------- speakers
@pytest.mark.parametrize(
    ("starts", "key", "role"),
    [
        ("Mr Kerrigan said", "daniel kerrigan", "service_user"),
        ("In reply, Ms Okonjo explained", "lisa okonjo", "officer"),
        ("AH asked", "amira hassan", "service_user"),
        ("The Chair thanked", "margaret ashdown", "chair"),
        ("The Chair welcomed", "margaret ashdown", "chair"),
        ("Mark Tennant presented", "mark tennant", "officer"),
        ("He added", "mark tennant", "officer"),  # the presenter goes on
    ],
)
def test_speakers_are_attributed(meeting: Segmented, starts: str, key: str, role: str) -> None:
    found = unit(meeting, starts)
    assert (found["speaker_key"], found["speaker_role"]) == (key, role)


def test_members_as_a_group_speak_as_members(meeting: Segmented) -> None:
    found = unit(meeting, "Members raised")
    assert (found["speaker_key"], found["speaker_role"]) == ("", "member")


@pytest.mark.parametrize("starts", ["RESOLVED", "There was no other business"])
def test_units_naming_nobody_have_no_speaker(meeting: Segmented, starts: str) -> None:
    found = unit(meeting, starts)
    assert (found["speaker_key"], found["speaker_role"]) == ("", "none")


@pytest.mark.parametrize("body", ["board", "committee", "group", "forum", "partnership"])
def test_the_body_as_subject_after_a_presentation_is_nobody(body: str) -> None:
    seg = run(
        f"Present:\n• Mark Tennant\n\n1. Report\n\nMark Tennant presented the annual "
        f"report.\n\nThe {body} noted the dates of the next meetings."
    )
    assert unit(seg, f"The {body} noted")["speaker_role"] == "none"


def test_a_board_member_initials_name_the_speaker() -> None:
    seg = run(
        PAGE_1,
        PAGE_2.replace("AH asked", "RM asked"),
        board=board(Member("Dr Rajiv Menon", "member", initials="RM")),
    )
    assert unit(seg, "RM asked")["speaker_key"] == "rajiv menon"


# --------------------------------------------------------------------------- documents
def test_only_usable_minutes_are_segmented() -> None:
    pages = pd.concat(
        [
            pages_frame("1. Item\n\nThe minutes text.", doc_id="m"),
            pages_frame("1. Item\n\nThe agenda text.", doc_id="a"),
            pages_frame("1. Item\n\nA broken file.", doc_id="e"),
        ]
    )
    documents = documents_frame(("m", "m.pdf", DATE), ("a", "a.pdf", DATE), ("e", "e.pdf", DATE))
    documents.loc[1, "doc_type"] = "agenda"
    documents.loc[2, "status"] = "error"
    seg = segment(pages, documents, None)
    assert seg.meetings["doc_id"].tolist() == ["m"]
    assert seg.units["text"].tolist() == ["The minutes text."]


def test_meetings_on_the_same_day_get_distinct_ids_and_undated_ones_use_the_document() -> None:
    # Two meetings on one day are two only where the minutes say so
    # (tests/segment/test_same_meeting.py).
    pages = pd.concat(
        [
            pages_frame("1. A\n\nFirst.", doc_id="x1"),
            pages_frame("Minutes of the Extraordinary Meeting\n\n1. A\n\nSecond.", doc_id="x2"),
            pages_frame("1. A\n\nUndated.", doc_id="x3"),
        ]
    )
    documents = documents_frame(("x1", "a.pdf", DATE), ("x2", "b.pdf", DATE), ("x3", "c.pdf", None))
    seg = segment(pages, documents, None)
    ids = seg.meetings["meeting_id"].tolist()
    assert ids[:2] == ["M2024-03-14", "M2024-03-14-2"]
    assert ids[2] == "M-x3"
    assert seg.units.groupby("meeting_id")["segment_id"].first().tolist() == [
        "M-x3-001",
        "M2024-03-14-001",
        "M2024-03-14-2-001",
    ]


def test_the_same_person_has_one_key_across_meetings() -> None:
    pages = pd.concat(
        [
            pages_frame(
                "Present:\n• Mr Daniel Kerrigan (Service User Representative)\n\n1. A\n\n"
                "Mr Kerrigan said hello.",
                doc_id="x1",
            ),
            pages_frame("Present:\n• Daniel Kerrigan\n\n1. A\n\nDK said goodbye.", doc_id="x2"),
        ]
    )
    documents = documents_frame(("x1", "a.pdf", DATE), ("x2", "b.pdf", dt.date(2024, 5, 1)))
    seg = segment(pages, documents, None)
    assert set(seg.attendance["person_key"]) == {"daniel kerrigan"}
    assert seg.units["speaker_key"].tolist() == ["daniel kerrigan", "daniel kerrigan"]


# --------------------------------------------------------------------------- real fixtures
FIXTURE_FORMATS = [
    "mini-minutes.pdf",
    "mini-minutes.docx",
    "mini-minutes.html",
    "mini-minutes.md",
    "mini-minutes.txt",
    "mini-minutes-scan.pdf",
    "mixed-scan.pdf",
]


@pytest.mark.parametrize("name", FIXTURE_FORMATS)
def test_fixture_minutes_give_the_attendance_in_the_source(
    name: str, extracted: Callable[[str], Extracted], source: Source, fixtures_dir: Path
) -> None:
    """Every format of the same minutes, scans included, gives the attendance they list."""
    result = extracted(name)
    documents, pages = ingest([(RawFile(name, "f" * 64, 1), result)])
    seg = segment(pages, documents, None)
    lists = {lead: items for lead, items in source.lists}
    assert attendance(seg) == {
        # (Chair) and (Carer Representative) are the roles the source gives.
        "gillian harcourt": ("chair", "present"),
        "tomasz nowicki": ("carer", "present"),
        "brenda okafor": ("carer", "present"),
        "howard penrose": ("member", "present"),
        "fiona castellan": ("officer", "in_attendance"),
        "raymond joliffe": ("officer", "in_attendance"),
        "priya ramesh": ("member", "apologies"),
        "stuart wellbeloved": ("member", "apologies"),
    }
    m = seg.meetings.iloc[0]
    assert m["members_present"] == len(lists["Present:"])
    assert m["apologies"] == len(lists["Apologies:"])
    assert m["n_items"] == sum(h[:1].isdigit() for h in source.headings)
    said = unit(seg, "Tomasz Nowicki said")
    assert (said["item_no"], said["speaker_role"]) == ("3", "carer")
    assert unit(seg, "The forum noted")["speaker_role"] == "none"


# --------------------------------------------------------------------------- issue 4 styles
def test_a_one_line_list_wrapped_over_lines_with_initials_and_commas_in_brackets() -> None:
    seg = run(
        "Minutes of the meeting\n\n"
        "Attendees: AR (chair), RB (service user rep), Dr Gideon\n"
        "Fairweather, SM, Paul Kettering (Team Manager, Fellside EIP), Rhys Bannerman\n\n"
        "In attendance: Hollie Prentice (network manager), Dr Marcus Feld (Northfell\n"
        "University, item 3)\n\n"
        "Apologies: Nkechi Obi\n\n"
        "1. Welcome\n\nAR welcomed members."
    )
    got = attendance(seg)
    assert got == {
        "ar": ("chair", "present"),
        "rhys bannerman": ("service_user", "present"),  # "RB" and "Rhys Bannerman": once
        "gideon fairweather": ("member", "present"),
        "sm": ("member", "present"),
        "paul kettering": ("member", "present"),
        "hollie prentice": ("officer", "in_attendance"),
        "marcus feld": ("officer", "in_attendance"),
        "nkechi obi": ("member", "apologies"),
    }
    m = seg.meetings.iloc[0]
    assert (m["members_present"], m["lay_present"], m["in_attendance"]) == (5, 1, 2)
    assert unit(seg, "AR welcomed")["speaker_role"] == "chair"


def test_a_header_table_of_attendees_and_invited() -> None:
    seg = run(
        "Minutes of the Board of Trustees\n\n"
        "Attendees: Rosalind Achebe (RA), Chair; Marta Kowalczyk (MK), Service User Trustee; "
        "Dev Chaudhry (DC), Carer Trustee; Ian McCreadie (IM), Trustee\n\n"
        "Invited: Delphine Marsh (DM), Chief Executive; Tamsin Kerr, Observer, Fenwick Fund\n\n"
        "1. Welcome\n\nRA welcomed trustees."
    )
    assert attendance(seg) == {
        "rosalind achebe": ("chair", "present"),
        "marta kowalczyk": ("service_user", "present"),
        "dev chaudhry": ("carer", "present"),
        "ian mccreadie": ("member", "present"),
        "delphine marsh": ("officer", "in_attendance"),
        "tamsin kerr": ("officer", "in_attendance"),
    }


def test_an_acting_chair_chairs_the_meeting_and_is_the_chairperson() -> None:
    seg = run(
        "Members Present:\n"
        "• Cllr. Mairéad Kinsella (Leas-Chathaoirleach, in the Chair)\n"
        "• Cllr. Tom Gilligan\n"
        "• Ms Aoife Carberry, Sectoral Representative (Disability)\n\n"
        "Apologies:\n• Cllr. Seán Ó Briain (Cathaoirleach)\n\n"
        "Item 1: Matters Arising\n\n"
        "The Chairperson asked Mr Gilligan to report back.\n\n"
        "Proposed: Ms Aoife Carberry  Seconded: Cllr. Tom Gilligan",
        board=board(
            Member("Cllr. Seán Ó Briain", "chair"),
            Member("Cllr. Mairéad Kinsella", "member"),
            Member("Cllr. Tom Gilligan", "member"),
            Member("Ms Aoife Carberry", "lay"),
        ),
    )
    got = attendance(seg)
    assert got["mairead kinsella"] == ("chair", "present")
    assert got["sean o briain"] == ("chair", "apologies")
    m = seg.meetings.iloc[0]
    assert (m["members_present"], m["lay_present"], m["apologies"]) == (3, 1, 1)
    chairperson = unit(seg, "The Chairperson asked")
    assert (chairperson["speaker_key"], chairperson["speaker_role"]) == (
        "mairead kinsella",
        "chair",
    )
    proposed = unit(seg, "Proposed:")
    assert (proposed["speaker_role"], bool(proposed["is_decision"])) == ("lay", True)
    assert proposed["item_no"] == "1"


def test_an_item_discussion_action_table_gives_units_items_and_owners() -> None:
    seg = run(
        "Attendees: Delphine Marsh (DM), Chief Executive; Hugh Penhaligon (HP), Treasurer\n\n"
        "Item | Discussion | Action\n\n"
        "3. Chief Executive's report | DM presented her report. | \n\n"
        " | DM said that volunteers would phone everyone. | DM\n\n"
        "4. Finance | HP presented the accounts. | \n\n"
        " | Trustees approved the revised budget. | HP"
    )
    said = unit(seg, "DM said")
    assert (said["item_no"], said["item_title"]) == ("3", "Chief Executive's report")
    assert bool(said["is_action"]) and said["action_owner_key"] == "delphine marsh"
    approved = unit(seg, "Trustees approved")
    assert (approved["item_no"], approved["speaker_role"]) == ("4", "none")
    assert bool(approved["is_decision"]) and approved["action_owner_key"] == "hugh penhaligon"


def test_an_actions_section_belongs_to_no_item_and_its_lines_are_their_owners() -> None:
    seg = run(
        "Attendees: Hollie Prentice (HP), Becca Lund (BL)\n\n"
        "Key discussion points\n1. Welcome\n\nHP welcomed members.\n\n"
        "Actions\n\nHP to draft the letter by 20 June.\n\nNO and BL to write a guide."
    )
    welcome = unit(seg, "HP welcomed")
    assert welcome["item_no"] == "1"
    draft = unit(seg, "HP to draft")
    assert (draft["item_no"], draft["speaker_role"], bool(draft["is_action"])) == (
        "",
        "member",
        True,
    )
    assert draft["action_owner_key"] == "hollie prentice"
    # NO is on no list; BL, the other owner, is.
    assert unit(seg, "NO and BL")["speaker_key"] == "becca lund"


def test_notes_without_a_list_find_people_and_roles_in_the_text() -> None:
    seg = run(
        "Residents' Forum\n\nNotes of the meeting on 9 April 2024\n\n"
        "Pauline Marr, the forum's chair, welcomed everyone.\n\n"
        "Des Kilbride, who uses the community mental health team, asked about letters.\n\n"
        "Sandra Pike from Brackenhurst Homes said that work would start in May.\n\n"
        "Des said that his bathroom had been fixed.\n\n"
        "Sandra agreed to knock on doors."
    )
    assert not seg.meetings.iloc[0]["has_attendance"]
    roles = [(u.text.split()[0], u.speaker_role) for u in seg.units.itertuples()]
    assert roles == [
        ("Pauline", "chair"),
        ("Des", "service_user"),
        ("Sandra", "officer"),
        ("Des", "service_user"),
        ("Sandra", "officer"),
    ]


def test_two_meetings_in_one_file_are_two_meetings() -> None:
    """An AGM and the ordinary meeting after it, minuted in one document."""
    seg = run(
        "Minutes of the Annual General Meeting held on 15 June 2021\n\n"
        "Present: Ann Price (Chair), Tom Reilly, Mary Shaw\n\n"
        "1. Election of office bearers\n\nAnn Price was elected Chair for a further year.\n\n"
        "2. Minutes of the meeting held on 18 May 2021\n\nThe minutes were approved.\n\n"
        "Minutes of the Ordinary Meeting held on 20 July 2021\n\n"
        "Present: Ann Price (Chair), Tom Reilly\n\nApologies: Mary Shaw\n\n"
        "1. Roads\n\nTom Reilly said the potholes were worse.",
        date=dt.date(2021, 6, 15),
    )
    meetings = seg.meetings.sort_values("meeting_date")
    assert [str(d)[:10] for d in meetings["meeting_date"]] == ["2021-06-15", "2021-07-20"]
    assert list(meetings["members_present"]) == [3, 2]
    assert list(meetings["apologies"]) == [0, 1]
    said = unit(seg, "Tom Reilly said")
    assert str(said["meeting_date"])[:10] == "2021-07-20"
    assert seg.accounting.groupby("place")["n_words"].sum().get("unplaced", 0) == 0


def test_an_action_log_splits_at_its_references_and_groups_of_members_own_theirs() -> None:
    """A table's action column holds several entries, each opened by its reference; a scan
    read across the columns gives a row's discussion and action with the same reference."""
    seg = run(
        "Present: Farah Quinn (FQ), Sean Carter (SC), Ann Gale (AG), Head of Services\n\n"
        "Item | Discussion | Decisions and Action Points\n\n"
        "05 | Finance; The spending policy was agreed in principle. | 09-06 Policy to be "
        "circulated 09-07 FQ to contact the bank 09-08 Working groups to meet in May\n\n"
        "06 | Matters arising\n\n"
        "5.11 - some returns still missing 5.11 SC to chase the missing returns"
    )
    texts = seg.units["text"].tolist()
    for entry in ("09-06 Policy to be circulated", "09-07 FQ to contact the bank"):
        assert entry in texts
    assert unit(seg, "09-07 FQ")["speaker_key"] == "farah quinn"
    assert unit(seg, "09-08 Working groups")["speaker_role"] == "member"
    assert unit(seg, "5.11 - some returns")["text"] == "5.11 - some returns still missing"
    assert unit(seg, "5.11 SC")["speaker_key"] == "sean carter"


@pytest.mark.parametrize(
    "text",
    [
        "1.2 The board noted that item 3.4 Finance was deferred.",
        "12.30 Lunch was served and 2.5 Members left.",
    ],
)
def test_numbers_inside_a_paragraph_do_not_split_it(text: str) -> None:
    seg = run("Present: Ann Price (Chair), Tom Reilly\n\n1. Welcome\n\n" + text)
    assert text in seg.units["text"].tolist()


def test_initials_two_board_members_share_name_nobody_unless_the_board_gives_them() -> None:
    seg = run(
        "Present: Malcolm Corbett, Moira Cresswick, Clare Sherman, Craig Shaw\n\n"
        "1. Actions\n\nMC to write to the council.\n\nCS to chase the quotation.",
        board=board(
            Member("Malcolm Corbett", "lay", initials="MC"),
            Member("Moira Cresswick", "lay"),
            Member("Clare Sherman", "lay", aliases=("CS",)),
            Member("Craig Shaw", "member"),
        ),
    )
    assert unit(seg, "MC to write")["speaker_key"] == "malcolm corbett"
    assert unit(seg, "CS to chase")["speaker_key"] == "clare sherman"


def test_a_seat_the_board_names_is_that_member_with_or_without_the() -> None:
    seg = run(
        "Present: Helena Wardrop, Colin Rennie\n\n"
        "5. Salmon farm\n\nACTION: Secretary to contact the neighbouring councils.\n\n"
        "6. Planning\n\nThe Secretary of State had called in the application.\n\n"
        "8. Secretary's report\n\nCorrespondence:\n\n"
        "• We have received notice of a consultation on food risk.",
        board=board(
            Member("Helena Wardrop", "lay", aliases=("Secretary", "Sec")),
            Member("Colin Rennie", "lay"),
        ),
    )
    assert unit(seg, "ACTION: Secretary")["speaker_key"] == "helena wardrop"
    assert unit(seg, "The Secretary of State")["speaker_role"] == "none"
    listed = unit(seg, "• We have received")
    assert listed["item_title"] == "Secretary's report / Correspondence"
    assert listed["speaker_key"] == "helena wardrop"


def test_a_report_of_its_own_by_someone_unnamed_is_not_the_report_before_it() -> None:
    """ "Treasurer's report / Area Representatives' Report": the second is a report of its own,
    whose author the minutes do not name; it is not the treasurer's."""
    seg = run(
        "Present: Helena Wardrop, Colin Rennie\n\n"
        "8. Treasurer's report\n\nThe accounts are in order.\n\n"
        "Area Representatives' Report\n\nTo be covered later in the meeting.",
        board=board(
            Member("Helena Wardrop", "lay", aliases=("Treasurer",)),
            Member("Colin Rennie", "lay"),
        ),
    )
    assert unit(seg, "The accounts")["speaker_key"] == "helena wardrop"
    later = unit(seg, "To be covered")
    assert later["item_title"] == "Treasurer's report / Area Representatives' Report"
    assert later["speaker_role"] == "none"


def test_a_comment_after_a_reports_points_leaves_the_unit_the_reports() -> None:
    """Under the Chair's report, points nobody is named for, then someone's short comment: the
    unit reports the chair's points; a comment longer than the points is the commenter's."""
    seg = run(
        "Present: Tara Reid (Chair), Owen Bell (OB)\n\n"
        "3. Chair's Report\n\n"
        "The county is keen to expand the scheme quickly. There is a new director in post. "
        "OB commented that she supports it.\n\n"
        "The depot is closing. OB said that the drivers had not been told, that the union had "
        "asked for a meeting with the county and that three routes would be cut in the spring.",
        board=board(Member("Tara Reid", "chair"), Member("Owen Bell", "member", initials="OB")),
    )
    assert unit(seg, "The county is keen")["speaker_role"] == "chair"
    assert unit(seg, "The depot is closing")["speaker_role"] == "member"


def test_what_someone_is_doing_after_the_bodys_record_is_not_their_contribution() -> None:
    seg = run(
        "Present: Tara Reid (Chair), Owen Bell (OB)\n\n"
        "6. Governance\n\n"
        "No new risks were identified this quarter. OB is currently reviewing the register.\n\n"
        "No one objected to the plan. OB said the register would be ready in May.",
        board=board(Member("Tara Reid", "chair"), Member("Owen Bell", "member", initials="OB")),
    )
    assert unit(seg, "No new risks")["speaker_role"] == "none"
    assert unit(seg, "No one objected")["speaker_role"] == "member"


def test_the_chair_declaring_an_interest_of_their_own_is_not_acting_as_chair() -> None:
    seg = run(
        "Present: Tara Reid (Chair) (TR), Owen Bell (OB)\n\n"
        "1. Declarations of interest\n\n"
        "TR said that her new post with the county may create a conflict of interest.\n\n"
        "The Chair asked members to declare any other interests. None were declared.\n\n"
        "2. Budget\n\nTR presented the budget.",
        board=board(Member("Tara Reid", "chair", initials="TR"), Member("Owen Bell", "member")),
    )
    assert unit(seg, "TR said that her new post")["speaker_role"] == "member"
    assert unit(seg, "The Chair asked")["speaker_role"] == "chair"
    assert unit(seg, "TR presented")["speaker_role"] == "chair"


def test_an_agenda_set_out_as_a_table_gives_no_units() -> None:
    seg = run(
        "Attendees: Harriet Salt (Chair) (HS), Josie Turner (JT)\n\n"
        "Item | Subject | Lead\n1 | Chair's opening remarks | HS\n"
        "2 | Request log | JT\n3 | Any other business | HS\n\n"
        "Chair's opening remarks\n\nThe Chair had met the economy team."
    )
    assert seg.units["text"].tolist() == ["The Chair had met the economy team."]
    said = unit(seg, "The Chair had")
    assert (said["item_title"], said["speaker_role"]) == ("Chair's opening remarks", "chair")
    assert seg.accounting.groupby("place")["n_words"].sum().get("unplaced", 0) == 0


def test_a_date_line_is_not_an_item_and_a_plain_chair_chairs_beside_an_acting_one() -> None:
    seg = run(
        "41st meeting\n\n9 March 2016, 10:00 - 12:30\n\n"
        "Attendees: Harriet Salt (Chair), Simon Wyndham, Acting Forum Chair, Ben Baird\n\n"
        "Welcome\n\nThe Chair welcomed the group."
    )
    welcome = unit(seg, "The Chair welcomed")
    assert (welcome["item_no"], welcome["item_title"]) == ("", "Welcome")
    assert (welcome["speaker_key"], welcome["speaker_role"]) == ("harriet salt", "chair")


def test_points_listed_after_an_update_from_someone_are_theirs() -> None:
    seg = run(
        "Present: Kevin Corrance (Chair), Irene Kelly\n\n1. Police report\n\n"
        "KC outlined the report for May. A briefing from the Neighbourhood Inspector covered\n\n"
        "• the opening of a drop-in at the library\n\n"
        "• the expected rise in speeding on the coast road."
    )
    assert unit(seg, "KC outlined")["speaker_role"] == "chair"
    assert unit(seg, "• the opening")["speaker_role"] == "officer"
    assert unit(seg, "• the expected")["speaker_role"] == "officer"


def test_a_run_in_list_of_names_and_organisations_keeps_names_broken_over_lines() -> None:
    """ "Panel:" wrapped mid-name ("Vicky" / "Slater"), and a forename the census lacks."""
    seg = run(
        "Panel: Professor Sir Neil Shadwell (Chairman), Chris Rankin (Openlylocal.com), Vicky\n"
        "Slater (Boilerhouse), Dennis Rowe (Information Commissioner's Office), Jos Kerrane "
        "(Hampshire County\nCouncil), Sean O'Dowd (ELGIN), Olga Bramwell (Cabinet Office).\n"
        "Apologies: Police Scotland (Community Sergeant), Neil Wood (Podnosh)\n\n"
        "Welcome\n\nThe Chairman welcomed the panel."
    )
    got = attendance(seg)
    for key in ("vicky slater", "dennis rowe", "jos kerrane", "sean odowd", "olga bramwell"):
        assert got[key][1] == "present", sorted(got)
    assert "vicky" not in got and not any("police" in k for k in got)


def test_an_acronym_after_a_name_in_a_run_in_list_is_the_persons_organisation() -> None:
    """ "Apologies: ..., Grant Fenwick, DCLG.": the department Grant Fenwick is from, not a
    person called DCLG; a list of initials alone stays a list of people."""
    seg = run(
        "Panel: Professor Ann Price (Chair), Tom Reilly (Openlylocal.com). Apologies from: "
        "Jos Kerrane (Hampshire County Council), Grant Fenwick, DCLG.\n\n"
        "Welcome\n\nThe Chair welcomed the panel.\n\nAction: DCLG to provide the dates."
    )
    got = attendance(seg)
    assert "grant fenwick" in got and "dclg" not in got, sorted(got)
    assert unit(seg, "Action: DCLG")["speaker_role"] != "member"
    initials = run("Present: ABC, DEF, GHK\n\nWelcome\n\nABC welcomed everyone.")
    assert sorted(attendance(initials)) == ["abc", "def", "ghk"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Panel attendees: Professor Ann Price (Chair), Tom Reilly (Harbour Assembly) – Ex "
            "Officio: Andrew Stamp (Cabinet Office). Apologies from: Jos Kerrane (Hampshire "
            "County\nCouncil), Nick Alder (Fish Trust).",
            {
                "ann price": "present",
                "tom reilly": "present",
                "andrew stamp": "present",
                "jos kerrane": "apologies",
                "nick alder": "apologies",
            },
        ),
        (
            "Present: Ann Price (Chair), Tom Reilly; In attendance: Mary Shaw (Clerk). "
            "Apologies: Bob Lane.",
            {
                "ann price": "present",
                "tom reilly": "present",
                "mary shaw": "in_attendance",
                "bob lane": "apologies",
            },
        ),
    ],
)
def test_a_run_in_list_takes_each_of_its_own_labels(text: str, expected: dict[str, str]) -> None:
    """Labels inside one run-in paragraph ("... (Cabinet Office). Apologies from: ...") give
    the people after them their status; a label that is no list heading ("Ex Officio:") still
    starts a new person rather than joining the entry before it."""
    got = attendance(run(text + "\n\nWelcome\n\nThe Chair welcomed the panel."))
    assert {k: v[1] for k, v in got.items()} == expected


def test_a_who_what_status_row_broken_over_lines_is_one_action() -> None:
    seg = run(
        "Present: Wylie Robertson (Convenor), Colin Rennie, Malcolm Corbett\n\n"
        "3. Actions from last meeting\n\n"
        "Agenda item | Who | What | Status\n"
        "Plot sale | WR/CR | Contact the estate about a reply if | Done. Note the plot is now\n"
        "| | needed (subject to advice from | owned by a local family.\n"
        "| | CR)\n"
        "Village history | MC | Arrange for copies to be bound. | Carry forward.\n"
        "| | Add the editor's name | NB. The shop will stock it."
    )
    liaise = unit(seg, "Contact the estate")
    assert "CR)" in liaise["text"] and "by a local family" in liaise["text"]
    assert liaise["speaker_key"] == "wylie robertson"
    novel = unit(seg, "Arrange for copies")
    assert "Add the editor's name" in novel["text"] and novel["speaker_key"] == "malcolm corbett"


def test_one_point_of_a_list_does_not_carry_its_speaker_to_the_next() -> None:
    seg = run(
        "Present: Hilda Lennox, Irene Kelly, Kevin Corrance (Chair)\n\n5. Matters arising\n\n"
        "• Resilient Communities - HL had brought supplies of the updated leaflet.\n\n"
        "• 50 Houses Development - no further proposals had been received."
    )
    assert unit(seg, "• Resilient")["speaker_key"] == "hilda lennox"
    assert unit(seg, "• 50 Houses")["speaker_role"] == "none"


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Our group has grown. However, nearly everyone but JD is new to it.", "none"),
        (
            "Other plans: ideas will be gathered by email. JD will then pass them to the "
            "practice manager.",
            "none",
        ),
        ("JD will write to the practice manager.", "service_user"),
        ("Composting bin: JD said that the council had restarted collections.", "service_user"),
    ],
)
def test_a_state_or_plan_said_of_someone_inside_a_unit_does_not_make_them_its_speaker(
    text: str, role: str
) -> None:
    seg = run(
        "Participants: Janette Dunmore (JD), patient representative\n\n1. Meetings\n\n" + text
    )
    assert unit(seg, text[:20])["speaker_role"] == role


def test_a_one_word_alias_in_the_board_file_names_that_member() -> None:
    seg = run(
        "Present: Maureen Stone, Marion Sawyer, Wylie Robertson (Convenor)\n\n"
        "5. Shore Walk\n\nMaureen confirmed she had spoken to the estate.\n\n"
        "6. Medical centre\n\nMarion confirmed that the scheme is a pilot.",
        board=board(
            Member("Maureen Stone", "lay", aliases=("Maureen",)),
            Member("Marion Sawyer", "lay", aliases=("Marion",)),
            Member("Wylie Robertson", "chair", aliases=("Wylie", "WR")),
        ),
    )
    assert unit(seg, "Maureen confirmed")["speaker_key"] == "maureen stone"
    assert unit(seg, "Marion confirmed")["speaker_key"] == "marion sawyer"


def test_reports_not_given_and_sub_items_after_an_unfinished_line_are_units_of_their_own() -> None:
    seg = run(
        "Present: Wylie Robertson (Convenor), Helena Wardrop\n\n"
        "1. Introductions\n\nc. Declarations of interest – none\n\n"
        "d. The Convenor opened the meeting and welcomed members.\n\n"
        "8. Reports\n\n8b Vice Convenor's report\n\nNot present\n\n8c. Planning\n\nNot present"
    )
    texts = seg.units["text"].tolist()
    assert "c. Declarations of interest – none" in texts
    assert "d. The Convenor opened the meeting and welcomed members." in texts
    assert texts.count("Not present") == 2
    assert set(seg.units.loc[seg.units["text"] == "Not present", "speaker_role"]) == {"none"}
    assert "helena wardrop" in attendance(seg)


def test_points_after_a_guest_discussed_a_subject_and_under_the_chairs_update_are_theirs() -> None:
    seg = run(
        "Attendees: Harriet Salt (Chair), Ben Baird\n\nObservers: Jonah Gorvin\n\n"
        "Chair's welcome and update\n\n"
        "• The Chair had met the economy team.\n\n• The data fund is progressing well.\n\n"
        "Open data in the USA\n\n"
        "Jonah Gorvin is a senior adviser at GovLab. Jonah discussed the open data landscape.\n\n"
        "• A disclosure initiative is under way.\n\n• There is strong interest in the mapping."
    )
    assert unit(seg, "• The data fund")["speaker_role"] == "chair"
    assert unit(seg, "• A disclosure")["speaker_key"] == "jonah gorvin"
    assert unit(seg, "• There is strong")["speaker_key"] == "jonah gorvin"


def test_guests_named_in_the_text_who_present_are_officers_and_a_report_item_is_its_officers() -> (
    None
):
    seg = run(
        "Present: Kenneth Kelsey (Chair), Angela Lavorini, Hamish Marshall\n\n"
        "04 Officers' reports\n\nChair's Report\n\nSee report for the figures.\n\n"
        "07 Visitors\n\nStephen Swift, CEO, PSNC outlined the talks on the national contract.\n\n"
        "Ruth Carmichael and Susan Kinnaird from NTW attended to discuss the peer support offer."
    )
    assert unit(seg, "See report")["speaker_role"] == "chair"
    assert unit(seg, "Stephen Swift")["speaker_role"] == "officer"
    assert unit(seg, "Ruth Carmichael")["speaker_role"] == "officer"


def test_action_lines_in_one_paragraph_are_each_their_owners() -> None:
    seg = run(
        "Panel: Neil Shadwell (Chairman), Tom Alden (Birkbeck), Chris Rankin (OpenlyLocal)\n\n"
        "Item 6: Any other business\n\n"
        "Action: Report back on the Transparency Board's views at the next meeting\n"
        "(Panel Chair).\n"
        "Action: Proposal for a later agenda item on the research councils' open data\n"
        "plans (Tom Alden - brief note to Panel before the next meeting)."
    )
    assert unit(seg, "Action: Report back")["speaker_role"] == "chair"
    assert unit(seg, "Action: Proposal")["speaker_key"] == "tom alden"


def test_a_lead_in_by_nobody_opens_a_list_of_nobodys_and_members_in_a_list_speak() -> None:
    seg = run(
        "Present: Rupert Gosden (Leader), Philip Oakhurst\n\n"
        "In attendance: Doug Shapley (Head of Finance)\n\n"
        "5. Finance settlement (Item 5)\n\n(Item 5)\n\n"
        "1. Doug Shapley introduced the report on the settlement.\n\n"
        "2. Further to questions raised by Members, it was noted:\n\n"
        "• That the grant seemed to favour urban areas.\n\n"
        "• Members commented on the lower share for rural districts."
    )
    lead = unit(seg, "2. Further to")
    assert (lead["item_title"], lead["speaker_role"]) == ("Finance settlement (Item 5)", "none")
    assert unit(seg, "• That the grant")["speaker_role"] == "none"
    assert unit(seg, "• Members commented")["speaker_role"] == "member"


def test_in_response_it_was_said_is_the_bodys_lead_in_and_its_points_are_their_speakers() -> None:
    seg = run(
        "Present: Morven Pendlebury (Chair), Philip Brantley\n\n"
        "In attendance: Anna Cobbold (Head of Adoption)\n\n6. Adoption report\n\n"
        "1. Anna Cobbold introduced the annual report.\n\n"
        "3. In response to questions from the Panel it was said:\n\n"
        "a. Ms Cobbold accepted that some placements had ended early.\n\n"
        "c. Elected Members could observe a panel on request."
    )
    assert unit(seg, "3. In response")["speaker_role"] == "none"
    assert unit(seg, "a. Ms Cobbold")["speaker_key"] == "anna cobbold"
    assert unit(seg, "c. Elected Members")["speaker_role"] == "none"


def test_a_titled_report_runs_on_through_paragraphs_that_mention_other_people() -> None:
    seg = run(
        "Present: Kevin Corrance (Chair), Irene Kelly (Treasurer), Gordon Dunn\n\n"
        "10. Treasurer's Report\n\n"
        "The account stood at £694, after the payment to Gordon Dunn for the lights.\n\n"
        "11. Any other business\n\nThe path had been cleared by Gordon Dunn."
    )
    assert unit(seg, "The account stood")["speaker_key"] == "irene kelly"
    assert unit(seg, "The path had")["speaker_role"] == "none"


def test_a_list_of_aims_in_words_letter_o_bullets_completes_its_lead_in() -> None:
    seg = run(
        "Present: Neil Shadwell (Chairman), Tom Alden\n\nIn attendance: Scott Skinner (DCLG)\n\n"
        "4. Update from the Department\n\n"
        "Scott Skinner added that the longer-term aim was:\n"
        "o To publish every department's spending data in time.\n"
        "o To widen joint work with councils and community groups.\n\n"
        "5. Forward look\n\nThe Panel noted the plan."
    )
    added = unit(seg, "Scott Skinner added")
    assert added["text"].count("• To ") == 2 and added["speaker_key"] == "scott skinner"
    assert seg.accounting.groupby("place")["n_words"].sum().get("unplaced", 0) == 0


def test_there_were_in_a_presenters_list_is_the_presenters_point_but_not_outside_one() -> None:
    seg = run(
        "Present: Morven Pendlebury (Chair), Philip Brantley\n\n"
        "In attendance: Julian Short (Youth Justice Manager)\n\n7. Youth justice report\n\n"
        "1. Julian Short introduced the work of the service and highlighted the report:\n\n"
        "a. The secure unit was closed in April.\n\n"
        "b. There were heavy demands on secure places.\n\n"
        "2. There was a discussion of the transport costs."
    )
    assert unit(seg, "b. There were")["speaker_key"] == "julian short"
    assert unit(seg, "2. There was")["speaker_role"] == "none"


@pytest.mark.parametrize("with_board", [False, True])
def test_guests_who_join_for_an_item_and_police_named_by_rank_are_officers(
    with_board: bool,
) -> None:
    roster = board(
        Member("Wylie Robertson", "chair"),
        Member("Derek Murray", "lay"),
        Member("Natalie Murray", "officer", aliases=("Sgt Murray",)),
    )
    seg = run(
        "Present: Wylie Robertson (Convenor), Derek Murray\n\n4. Roads\n\n"
        "Road Traffic Officer Sgt Murray joined the meeting for this item. She had been "
        "told of the complaints. Sgt Murray explained that drivers over 40 mph are ticketed.\n\n"
        "5. Fish farm\n\n"
        "Stuart Salter and Mark Lamb from Clyde Shellfish Company joined the meeting "
        "and presented a new mooring.",
        board=roster if with_board else None,
    )
    sgt = unit(seg, "Road Traffic")
    assert sgt["speaker_role"] == "officer"
    assert sgt["speaker_key"] != "derek murray"
    assert unit(seg, "Stuart Salter")["speaker_role"] == "officer"


def test_a_discussion_opened_by_the_body_is_the_speaker_who_answers_in_it() -> None:
    seg = run(
        "Present: Pepijn Dorrestijn (Chair), Marijke Veldkamp\n\n"
        "In attendance: Derek Applegarth (Operations Manager)\n\n4. Matters arising\n\n"
        "There was discussion on inviting a resident to the estate board. Derek Applegarth was "
        "positive and would raise it with the board.\n\n"
        "There was a discussion of the bin store. It was agreed to review it in May."
    )
    assert unit(seg, "There was discussion on")["speaker_key"] == "derek applegarth"
    assert unit(seg, "There was a discussion of")["speaker_role"] == "none"


def test_a_sentence_broken_over_lines_under_a_visitors_heading_is_a_unit_not_a_list() -> None:
    seg = run(
        "Present: Kenneth Kelsey (Chair), Angela Lavorini\n\n05 Visitors\n\n"
        "Ruth Carmichael and Susan Kinnaird from NTW attended to\n"
        "discuss the peer support offer in North Tyneside."
    )
    assert "ruth carmichael" not in attendance(seg)
    assert unit(seg, "Ruth Carmichael and")["speaker_role"] == "officer"


@pytest.mark.parametrize(
    "mention",
    ["our three SB Councillors (Jack Fairbairn, Clare Sinclair and Hilda Lennox)", "Cllr Lennox"],
)
def test_a_listed_member_the_minutes_call_a_councillor_is_elected_not_lay(mention: str) -> None:
    seg = run(
        "Ayton Community Council\n\nPresent: Kevin Corrance, Hilda Lennox, Peter Pennock, "
        "Ray Wedderburn\n\n12. Any other business\n\n"
        f"Kevin thanked all members together with {mention} for their support.\n\n"
        "13. Community Councillors (Peter Pennock) reported on the litter pick."
    )
    roles = attendance(seg)
    assert roles["hilda lennox"][0] == "member"
    assert roles["peter pennock"][0] == "lay"
    assert int(seg.meetings["lay_present"].iloc[0]) == 3


def test_someone_a_bare_list_names_whom_the_minutes_give_a_staff_title_attends_as_an_officer() -> (
    None
):
    seg = run(
        "PRESENT: Morven Pendlebury (Chair), Philip Brantley, Glen Coulter, Terry Bush, "
        "Rachel Moss\n\n5. Virtual School report\n\n"
        "1. Terry Bush, Headteacher of the Harrowdale Virtual School, presented the report.\n\n"
        "2. Rachel Moss, Director of Nursing, asked about exclusions.\n\n"
        "3. Glen Coulter, Cabinet Member for Education, welcomed the report."
    )
    roles = attendance(seg)
    assert roles["terry bush"] == ("officer", "in_attendance")
    assert roles["rachel moss"] == ("member", "present")  # an executive director sits as one
    assert roles["glen coulter"] == ("member", "present")
    assert unit(seg, "1. Terry Bush")["speaker_role"] == "officer"
    assert int(seg.meetings["members_present"].iloc[0]) == 4


@pytest.mark.parametrize("posted", ["first", "second"])
def test_a_staff_post_the_minutes_give_holds_at_the_boards_other_meetings(posted: str) -> None:
    # Council panels list officers among those present; the minutes give their post at one
    # meeting only, and a bare list names them at the others.
    listed = "PRESENT: Morven Pendlebury (Chair), Philip Brantley, Terry Bush, Rachel Moss\n\n"
    given = "1. Terry Bush, Headteacher of the Harrowdale Virtual School, presented the report."
    bare = "1. Terry Bush said that exclusions had fallen."
    first, second = (given, bare) if posted == "first" else (bare, given)
    pages = pd.concat(
        [
            pages_frame(f"{listed}5. Virtual School report\n\n{first}", doc_id="x1"),
            pages_frame(
                f"{listed}3. Exclusions\n\n{second}\n\n2. Rachel Moss asked about managed moves.",
                doc_id="x2",
            ),
        ]
    )
    documents = documents_frame(("x1", "a.pdf", DATE), ("x2", "b.pdf", dt.date(2024, 5, 1)))
    seg = segment(pages, documents, None)
    for meeting, rows in seg.attendance.groupby("meeting_id"):
        roles = {r.person_key: (r.role, r.status) for r in rows.itertuples()}
        assert roles["terry bush"] == ("officer", "in_attendance"), meeting
        assert roles["rachel moss"] == ("member", "present"), meeting
    assert unit(seg, bare)["speaker_role"] == "officer"
    assert seg.meetings["members_present"].tolist() == [3, 3]


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Update from Cabinet Office Relationship Manager", "officer"),
        ("Update from the residents' group", "none"),
    ],
)
def test_an_update_from_an_official_nobody_lists_is_an_officers(title: str, role: str) -> None:
    seg = run(
        "Attendees: Harriet Salt (Chair), Ben Baird\n\n"
        f"4. {title}\n\n• A refresh of the deprivation dataset is due to begin."
    )
    assert unit(seg, "• A refresh")["speaker_role"] == role


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        # The answer is most of the unit: the unit reports it.
        (
            "MV confirmed that the page is published and that residents can now report an "
            "incident online at any hour, with a reply promised within two working days.",
            "marijke veldkamp",
        ),
        # A short reply to a long point: still the chair's.
        ("MV agreed.", "pepijn dorrestijn"),
    ],
)
def test_when_the_chair_raises_a_point_the_unit_is_whoever_says_most(
    answer: str, expected: str
) -> None:
    seg = run(
        "Present: Pepijn Dorrestijn (Chair), Marijke Veldkamp\n\n3. Actions\n\n"
        f"Incident page: PD stated that the form had been forwarded to the estate. {answer}"
    )
    assert unit(seg, "Incident page")["speaker_key"] == expected


def test_points_numbered_like_their_lead_in_run_on_as_the_presenters() -> None:
    seg = run(
        "Present: Margaret Ashdown (Chair), Rajiv Menon\n\n5. Performance\n\n"
        "5.2 Rajiv Menon presented the dashboard, on which three indicators were red:\n\n"
        "5.3 She explained that placements out of area remained red.\n\n"
        "5.4 The third red indicator was physical health checks."
    )
    assert unit(seg, "5.4 The third")["speaker_key"] == "rajiv menon"


def test_a_police_member_named_by_rank_stays_the_listed_member() -> None:
    seg = run(
        "Present: Margaret Ashdown (Chair), Inspector Gareth Lloyd, Harrowmere Police\n\n"
        "4. Crisis care\n\nInspector Lloyd reported that officers had referred 11 people.",
        board=board(
            Member("Margaret Ashdown", "chair"), Member("Inspector Gareth Lloyd", "member")
        ),
    )
    said = unit(seg, "Inspector Lloyd")
    assert (said["speaker_key"], said["speaker_role"]) == ("gareth lloyd", "member")


def test_a_list_set_out_in_columns_without_bars_keeps_the_names_apart_from_the_pharmacies() -> None:
    seg = run(
        "PRESENT:\n\nName Organisation Affiliation\n\nAngela Lavorini Lloyds CCA\n"
        "Holly Lindqvist-Brown Well CCA\nKenneth Kelsey NoT LPC Chair\n"
        "Lucy Jane Arnold Boots CCA\n\n01 Introduction\n\n"
        "AL asked that every member send in contact details."
    )
    assert set(attendance(seg)) == {
        "angela lavorini",
        "holly lindqvist-brown",
        "kenneth kelsey",
        "lucy jane arnold",
    }
    assert unit(seg, "AL asked")["speaker_key"] == "angela lavorini"


def test_minutes_approved_on_a_proposal_are_the_proposers() -> None:
    seg = run(
        "Present: Kevin Corrance (KC), Ray Wedderburn (RW), Peter Pennock (PP)\n\n"
        "4. Approval of previous minutes\n\n"
        "The Minutes of 5 November 2019 were approved. Proposed by PP and "
        "seconded by RW.\n\nThe minutes of the AGM were approved."
    )
    assert unit(seg, "The Minutes of")["speaker_key"] == "peter pennock"
    assert unit(seg, "The minutes of the AGM")["speaker_role"] == "none"


def test_a_table_read_column_by_column_pairs_each_person_with_their_own_post() -> None:
    # OCR of a scanned table gives it column by column; it ran a note on part attendance into
    # the next name and two posts into one cell, which pairing by position would shift.
    seg = run(
        "PRESENT:\n\n"
        "Name; Priya Okafor; Dermot Vance; Lena Hartwell — afternoon only Tomasz Reid; "
        "Oona Birchall; IN ATTENDANCE: | Organisation; Boots; Harbour LPC; Well; Lloyds; "
        "Harbour LPC | Affiliation; Independent; Head of Services & Support Independent; CCA; "
        "Chair\n"
        "Name; Marcus Penrose | Organisation; Boots | Affiliation; Pre-reg student\n\n"
        "01 Introduction\n\nDV asked that all members send their contact details."
    )
    assert attendance(seg) == {
        "priya okafor": ("member", "present"),
        "dermot vance": ("officer", "present"),
        "lena hartwell": ("member", "present"),
        "tomasz reid": ("member", "present"),
        "oona birchall": ("chair", "present"),
        "marcus penrose": ("officer", "in_attendance"),
    }
    assert unit(seg, "DV asked")["speaker_role"] == "officer"


def test_a_post_the_minutes_introduce_someone_by_names_them_later() -> None:
    seg = run(
        "Present: Marian Fenwick (Chair), Lady Ashgrove (DHCLG), Tobias Renner\n\n"
        "1. Welcome\n\nMarian Fenwick welcomed Lady Ashgrove of Thornby MBE, newly appointed "
        "Minister at the Department with responsibility for open data.\n\n"
        "The Minister said that open data was a means to an end."
    )
    said = unit(seg, "The Minister said")
    assert (said["speaker_key"], said["speaker_role"]) == ("ashgrove", "member")


@pytest.mark.parametrize(
    "lead_in",
    [
        "The following points were made in discussion:",
        "In discussion, the following points were made:",
    ],
)
def test_points_made_in_discussion_after_a_presentation_are_nobodys(lead_in: str) -> None:
    seg = run(
        "Present: Marian Fenwick (Chair), Tobias Renner\n"
        "In attendance: Petra Lindqvist (Secretariat)\n\n"
        "2. Revised Code\n\nPetra Lindqvist provided a summary of the draft Code and told the "
        "Panel that it would be published in the spring.\n\n"
        f"{lead_in}\n\n"
        "• It was important to publish the data at a fixed point in time.\n\n"
        "• Small bodies also needed to be transparent."
    )
    assert unit(seg, "Petra Lindqvist provided")["speaker_role"] == "officer"
    for starts in (lead_in, "• It was important", "• Small bodies"):
        assert unit(seg, starts)["speaker_role"] == "none"


@pytest.mark.parametrize(
    ("opening", "role"),
    [
        ("BQ pointed out the shopping trolleys left in the car park.", "officer"),
        ("BQ asked whether the shopping trolleys left in the car park could go.", "lay"),
    ],
)
def test_an_officers_long_answer_is_what_the_unit_reports_unless_a_member_asked(
    opening: str, role: str
) -> None:
    seg = run(
        "Present: Bryony Quayle (BQ), Hollis Marr (HM), Estate Residents' Forum\n"
        "In attendance: Dawit Asante (DA), Operations Manager\n\n"
        "6. Any other business\n\n"
        f"{opening} DA suggested a weekly collection of trolleys to meet fire regulations. "
        "DA noted that collecting and returning the trolleys would add to the service charge. "
        "He suggested that the housing team approach the residents concerned about the cost."
    )
    assert unit(seg, "BQ")["speaker_role"] == role


def test_an_answer_in_a_clause_after_the_bodys_opening_is_the_answerers() -> None:
    seg = run(
        "Present: Marian Fenwick (Chair), Tobias Renner\n"
        "In attendance: Osric Bellamy (OB), Transparency Team\n\n"
        "3. Team update\n\n"
        "The group were keen to hear what would happen to the website after the vote, OB "
        "said that Ministers would decide once the vote was over and report back in June."
    )
    assert unit(seg, "The group were keen")["speaker_role"] == "officer"


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("The Panel was positive about publishing the spending data monthly.", "member"),
        ("QDUF asked for the spending data to be published monthly.", "member"),
        ("• QDUF asked for the spending data to be published monthly.", "member"),
        ("The Panel agreed to publish the spending data monthly.", "none"),
        ("The Panel noted the spending data.", "none"),
    ],
)
def test_the_board_giving_a_view_is_its_members_but_its_decisions_are_nobodys(
    sentence: str, role: str
) -> None:
    seg = run(
        "Quarry Data Users Forum\nMinutes of the meeting\n\n"
        "Present: Marian Fenwick (Chair), Tobias Renner\n"
        "In attendance: Petra Lindqvist (Secretariat)\n\n"
        f"4. Spending data\n\n{sentence}"
    )
    assert unit(seg, sentence[:12])["speaker_role"] == role


def test_a_table_headed_name_organisation_role_gives_one_person_a_row() -> None:
    seg = run(
        "PRESENT:\n\n"
        "Name | Organisation | Affiliation\n"
        "Anna Verity | Lloyds | CCA\n"
        "Bram Holt | TV LPC | Chair\n"
        "Cora Lind | TV LPC | Head of Services & Support\n"
        "Dara Okafor | TV LPC | Chief Officer\n\n"
        "IN ATTENDANCE:\n\n"
        "Name | Organisation | Affiliation\n"
        "Esme Quill | Regional Network | Area Rep\n\n"
        "1. Welcome\n\nBram Holt welcomed everyone."
    )
    assert attendance(seg) == {
        "anna verity": ("member", "present"),
        "bram holt": ("chair", "present"),
        "cora lind": ("officer", "present"),
        "dara okafor": ("officer", "present"),
        "esme quill": ("officer", "in_attendance"),
    }


@pytest.mark.parametrize(
    ("title", "post", "role"),
    [
        # The board's own short name beside a post that is no seat: the board's office-holder.
        ("MINUTES OF THE COMMITTEE MEETING\nTHAMES VALLEY LPC COMMITTEE", "Treasurer", "officer"),
        ("Thames Valley Local Pharmaceutical Committee (TVLPC)", "Secretary", "officer"),
        # A seat on the board, or a title that does not name it: a member as before.
        ("MINUTES OF THE COMMITTEE MEETING\nTHAMES VALLEY LPC COMMITTEE", "Vice-Chair", "member"),
        ("MINUTES OF THE COMMITTEE MEETING", "Treasurer", "member"),
    ],
)
def test_a_post_held_for_the_board_itself_is_an_officers_not_a_members_seat(
    title: str, post: str, role: str
) -> None:
    organisation = "TVLPC" if "(TVLPC)" in title else "TV LPC"
    seg = run(
        f"{title}\n\nPRESENT:\n\n"
        "Name | Organisation | Affiliation\n"
        "Anna Verity | Lloyds | CCA\n"
        f"Bram Holt | {organisation} | Chair\n"
        f"Fenella Drury | {organisation} | {post}\n"
        "Gus Tremayne | Boots | CCA\n\n"
        "1. Welcome\n\nBram Holt welcomed everyone."
    )
    people = attendance(seg)
    assert people["fenella drury"][0] == role
    assert people["bram holt"][0] == "chair"
    assert people["anna verity"][0] == people["gus tremayne"][0] == "member"


@pytest.mark.parametrize(
    ("lead_in", "tasks"),
    [
        ("Tobias Renner had drawn up a check list of actions for the switch-on:", True),
        ("The following actions were agreed:", True),
        ("Next steps:", True),
        # A review of earlier actions: its points say what became of each.
        ("Status on actions agreed at the last meeting as follows:", False),
        ("Tobias Renner set out the main points of the plan:", False),
    ],
)
def test_the_points_of_a_list_announced_as_actions_are_actions(lead_in: str, tasks: bool) -> None:
    seg = run(
        "Present: Marian Fenwick (Chair), Tobias Renner\n\n"
        f"7. Christmas lights\n\n{lead_in}\n"
        "• every string of bulbs tested by the end of October.\n"
        "• new brackets were needed for the hall.\n\n"
        "The school choir hoped to sing at the switch-on."
    )
    assert bool(unit(seg, "• every string")["is_action"]) is tasks
    assert bool(unit(seg, "• new brackets")["is_action"]) is tasks
    # The list ends where a paragraph that is no point of it begins.
    assert not unit(seg, "The school choir")["is_action"]


@pytest.mark.parametrize(
    ("heading", "tasks"),
    [
        ("Actions", True),
        ("Actions for follow-up at next meeting", True),
        ("Actions and minutes", False),  # the last meeting's, approved
        ("Action log", False),
    ],
)
def test_the_points_under_a_heading_of_actions_are_actions(heading: str, tasks: bool) -> None:
    seg = run(
        "Present: Marian Fenwick (Chair), Tobias Renner\n\n"
        f"4. Spending data\n\nThe panel discussed the release.\n\n{heading}\n\n"
        "• The department to clarify its plans for the data.\n"
        "• The minutes of the last meeting were approved.\n\n"
    )
    assert bool(unit(seg, "• The minutes")["is_action"]) is tasks


def test_an_action_plan_named_in_a_list_before_a_lead_in_announces_no_actions() -> None:
    seg = run(
        "Present: Marian Fenwick (Chair), Tobias Renner\n\n"
        "4. Forward look\n\nTobias Renner set out the team's work:\n"
        "• the National Action Plan\n"
        "• The team's objectives are divided into the following three areas:\n"
        "• Bring open data to a wider audience.\n\n"
    )
    assert not unit(seg, "• Bring open data")["is_action"]


def test_a_unit_opening_with_someones_apologies_is_whoever_speaks_after() -> None:
    seg = run(
        "Present: Marian Fenwick (Chair), Tobias Renner, Hollis Marr\n"
        "In attendance: Osric Bellamy (OB), PCNA Area Representative\n\n"
        "2. National update\n\n"
        "OB had provided apologies. The PCNA meeting report circulated to committees was "
        "considered. Members commented that the report was too long.\n\n"
        "Funding for the new service is expected to be confirmed in the autumn."
    )
    assert unit(seg, "OB had provided")["speaker_role"] == "member"
    # Apologies provided are no presentation that runs on into the next paragraph.
    assert unit(seg, "Funding for")["speaker_role"] == "none"


def test_someone_reporting_others_apologies_is_still_speaking() -> None:
    seg = run(
        "Present: Marian Fenwick (Chair), Tobias Renner\n\n"
        "2. Representation\n\n"
        "Tobias Renner said that he was again the only representative present, and that both "
        "youth representatives had sent apologies. The Chair noted the point."
    )
    assert unit(seg, "Tobias Renner said")["speaker_role"] == "member"


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        # A problem resolved is not a resolution: the officer's report goes on.
        ("The software faults are being resolved and should be resolved in April.", "officer"),
        ("RESOLVED that the parking review be noted.", "none"),
    ],
)
def test_resolved_in_capitals_is_a_decision_but_a_problem_resolved_is_not(
    sentence: str, role: str
) -> None:
    seg = run(
        "Present: Marian Fenwick (Chair), Tobias Renner\n"
        "In attendance: Osric Bellamy, Estates Manager\n\n"
        "4. Estates report presented by Osric Bellamy\n\n"
        f"{sentence}"
    )
    assert unit(seg, sentence[:12])["speaker_role"] == role


def test_an_item_titled_for_an_organisations_update_is_its_officials_report() -> None:
    seg = run(
        "Present: Marian Fenwick (Chair), Tobias Renner\n"
        "In attendance: Petra Lindqvist (PL), Transparency Team\n\n"
        "2. QRST Update\n\n"
        "Following the group's interest at a previous meeting, QRST provided details of the "
        "agreement on the survey's transition."
    )
    assert unit(seg, "Following the group")["speaker_role"] == "officer"


def test_a_civil_servant_listed_among_a_panels_members_is_an_officer_but_a_minister_is_not() -> (
    None
):
    seg = run(
        "Panel: Marian Fenwick (Chair), Baroness Quarrie (Department for Transport), "
        "Tobias Renner (Regional Data Network), Petra Lindqvist (Cabinet Office), "
        "Hollis Marr (Head of Assets, Commonfield Trust).\n"
        "Other Attendees: Osric Bellamy (Department for Transport)\n\n"
        "1. Welcome\n\nMarian Fenwick welcomed everyone."
    )
    assert attendance(seg) == {
        "marian fenwick": ("chair", "present"),
        "quarrie": ("member", "present"),
        "tobias renner": ("member", "present"),
        "petra lindqvist": ("officer", "present"),
        "hollis marr": ("member", "present"),  # a post at the organisation they come from
        "osric bellamy": ("officer", "in_attendance"),
    }


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("Action: TR to be given access to the bank account.", "none"),
        ("Action: TR to give the treasurer access to the bank account.", "member"),
    ],
)
def test_an_action_whose_owner_only_receives_commits_nobody(line: str, role: str) -> None:
    seg = run(
        "Present: Marian Fenwick (Chair), Tobias Renner (TR)\n\n"
        f"5. Finance\n\nThe accounts were reviewed.\n\n{line}"
    )
    assert unit(seg, "Action: TR")["speaker_role"] == role


def test_a_sentence_a_page_break_cuts_finishes_on_the_next_page_even_beside_actions() -> None:
    """The page ends mid-sentence ("... the tenants' open day at") and the next opens with a
    capital ("Marsh Lane Hall ..."); the table's action entry stands between them in reading
    order."""
    seg = run(
        "Present: Tara Reid (TR), Owen Bell (OB)\n\n"
        "Item | Discussion | Decisions and Action Points\n\n"
        "04 | Officers' Reports; OB offered to run the stall at the tenants' open day at | "
        "04-01 Book the venue",
        "Marsh Lane Hall in June, with TR as his back-up.\n\n05. Finance\n\nThe accounts "
        "were noted.",
    )
    offered = unit(seg, "OB offered")
    assert offered["text"].endswith("open day at Marsh Lane Hall in June, with TR as his back-up.")
    assert offered["page"] == 1
    assert not seg.units["text"].str.startswith("Marsh Lane").any()


def test_a_table_run_on_over_a_page_without_its_item_column_keeps_its_columns() -> None:
    """Over the page the item column is empty and left out: "discussion | action" is read as
    the header's last two columns, not as an item and its discussion."""
    seg = run(
        "Present: Tara Reid (TR), Owen Bell (OB)\n\n"
        "Item | Discussion | Decisions and Action Points\n\n"
        "04 | Officers' Reports; The reports were received.",
        "Members felt that a mobile library van would reach the outlying villages. | "
        "04-05 TR to price a van",
    )
    agreed = unit(seg, "Members felt")
    assert agreed["item_title"] == "Officers' Reports"
    assert unit(seg, "04-05 TR")["speaker_key"] == "tara reid"


def test_a_numbered_rows_short_title_is_the_items_title_not_a_unit() -> None:
    seg = run(
        "Present: Tara Reid (TR), Owen Bell (OB)\n\n"
        "Item | Discussion | Decisions and Action Points\n\n"
        "05 | Finance\n\n"
        "| The spending policy was agreed in principle. | 05-01 Policy to be circulated\n\n"
        "06 | Governance\n\n"
        "| The self-assessment is to be reviewed in May."
    )
    assert "Finance" not in seg.units["text"].tolist()
    assert unit(seg, "The spending policy")["item_title"] == "Finance"
    assert unit(seg, "The self-assessment")[["item_no", "item_title"]].tolist() == [
        "06",
        "Governance",
    ]


def test_a_table_cells_paragraphs_are_units_of_their_own() -> None:
    """A scan's cell keeps its paragraphs apart ("; " after a full sentence): each is a unit;
    a break inside a sentence (a list after a colon) is not a paragraph."""
    seg = run(
        "Present: Tara Reid (TR), Owen Bell (OB)\n\n"
        "Item | Discussion | Action\n\n"
        "03 | Chair's Report; The written report was circulated.; The bus timetable changes "
        "in May.; TR said the new depot opens in the spring.\n\n"
        "04 | Priorities; Members chose three aims: ; Bins - weekly collections ; Parking"
    )
    texts = seg.units["text"].tolist()
    for part in (
        "The written report was circulated.",
        "The bus timetable changes in May.",
        "TR said the new depot opens in the spring.",
    ):
        assert part in texts
    assert unit(seg, "Members chose")["text"].endswith("Parking")


def test_a_cells_title_case_sub_heading_with_a_full_stop_heads_its_paragraphs() -> None:
    """ "Open Action Points." on a line of its own in a cell is the sub-item's title, not a
    unit; "Nothing noted." and "See report for full details." are records."""
    seg = run(
        "Present: Tara Reid (TR), Owen Bell (OB)\n\n"
        "Item | Discussion | Action\n\n"
        "03 | Open Action Points.; All the open actions were reviewed.\n\n"
        "04 | Finance; See report for full details.; Nothing noted."
    )
    texts = seg.units["text"].tolist()
    assert "Open Action Points." not in texts
    assert unit(seg, "All the open actions")["item_title"] == "Open Action Points"
    assert {"See report for full details.", "Nothing noted."} <= set(texts)


def test_an_action_log_after_a_lead_in_splits_at_its_references() -> None:
    seg = run(
        "Present: Tara Reid (TR), Owen Bell (OB)\n\n1. Matters arising\n\n"
        "The action log was gone through. 3.4 - hedge still uncut 6.2 - TR to ring the "
        "parish clerk about it. 9.1 - Grit bin now filled."
    )
    assert seg.units["text"].tolist() == [
        "The action log was gone through.",
        "3.4 - hedge still uncut",
        "6.2 - TR to ring the parish clerk about it.",
        "9.1 - Grit bin now filled.",
    ]


def test_a_list_of_those_present_ends_at_the_header_of_the_minutes_table() -> None:
    """ "Item | Discussion | Action" under the list heads the business, not another grid of
    names: its words are no one's attendance, and its columns read the rows below it."""
    seg = run(
        "Present: Tara Reid (TR), Owen Bell (OB)\n\n"
        "Item | Discussion | Decisions and Action Points\n\n"
        "04 | Finance; The accounts were received. | 04-01 OB to bank the cheques"
    )
    assert sorted(attendance(seg)) == ["owen bell", "tara reid"]
    assert seg.accounting.groupby("place")["n_words"].sum()["attendance"] == 7
    banked = unit(seg, "04-01 OB")
    assert (banked["speaker_key"], banked["item_title"]) == ("owen bell", "Finance")


def test_the_board_by_its_short_name_deciding_is_its_record_not_a_speakers() -> None:
    """ "PPG agreed ..." is the body's decision, as "The Committee agreed" is, though a member
    is named later in the paragraph; "PPG asked" stays the members' voice."""
    seg = run(
        "WESTFIELD SURGERY PPG MEETING\n\nPresent: Tara Reid (TR), Owen Bell (OB)\n\n"
        "1. Phones\n\nPPG agreed to trial a call-back queue from April. TR had seen one "
        "work well at another surgery.\n\n"
        "PPG asked for the waiting figures by month."
    )
    agreed = unit(seg, "PPG agreed")
    assert (agreed["speaker_role"], bool(agreed["is_decision"])) == ("none", True)
    assert unit(seg, "PPG asked")["speaker_role"] == "lay"


def test_a_report_titled_by_an_offices_initials_is_its_officials() -> None:
    """ "HR&F Report" (an office's initials with its ampersand): a staff report, as "CCG
    Update" is, though nobody is named."""
    seg = run(
        "Present: Tara Reid (Chair), Owen Bell\n\n1. Officers' reports\n\n"
        "HR&F Report\n\nSee the report for the details."
    )
    assert unit(seg, "See the report")["speaker_role"] == "officer"


def test_a_record_that_ends_in_someones_commitment_reports_that_person() -> None:
    """ "A request to hire the hall came in. OB and TR to reply.": the paragraph reports the
    commitment; naming someone in passing does not make it theirs."""
    seg = run(
        "Present: Tara Reid (Chair), Owen Bell (Treasurer)\n\n1. Licensing\n\n"
        "A request to hire the hall for a wedding came in. OB and TR to reply.\n\n"
        "The hall's heating was discussed with OB at length."
    )
    assert unit(seg, "A request to hire")["speaker_key"] == "owen bell"
    assert unit(seg, "The hall's heating")["speaker_role"] == "none"
