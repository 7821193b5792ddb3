"""The real-world evaluation (`make realworld`): how it matches, judges and reports.

The measures must be right before any figure they give is believed: a hand-coded unit merged
into a longer machine unit is found, one split across two is not; a replaced span is located in
the original text; a malformed gold line names its file and line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core.errors import GoldFileError, InputError
from pipeline.evaluate import realworld as rw
from pipeline.evaluate.matching import match_units


def _units(*texts: str, source: str = "m.txt") -> pd.DataFrame:
    return pd.DataFrame({"original": list(texts), "source": [source] * len(texts)})


def _gold(*texts: str, source: str = "body/m.txt") -> pd.DataFrame:
    return pd.DataFrame({"text": list(texts), "source": [source] * len(texts)})


def test_a_gold_unit_merged_into_a_longer_unit_is_found() -> None:
    units = _units(
        "Apologies were received. The minutes of the last meeting were agreed.",
        "The Treasurer reported a balance of £1,200.",
    )
    found = match_units(
        _gold(
            "The minutes of the last meeting were agreed", "Treasurer reported a balance of 1,200"
        ),
        units,
    )
    assert found == [0, 1]


def test_a_gold_unit_split_across_two_units_is_not_found() -> None:
    units = _units("The group discussed the bins at length and", "agreed to write to the council.")
    gold = _gold("The group discussed the bins at length and agreed to write to the council.")
    assert match_units(gold, units) == [None]


def test_a_unit_a_space_shorter_than_the_gold_unit_is_found_and_half_of_it_is_not() -> None:
    gold = _gold("AG will find out when the old booking system shuts for the repairs service.")
    shorter = "AG will find out whenthe old booking system shuts for the repairs service."
    assert match_units(gold, _units(shorter)) == [0]
    assert match_units(gold, _units("AG will find out when the old booking system")) == [None]


def test_a_stock_phrase_held_by_several_units_goes_to_the_one_on_its_page_then_the_next() -> None:
    """ "See the report." under three items: each hand-coded copy is paired with its own unit,
    by page first and then in order, never all three with the first."""
    units = _units("See the report.", "See the report.", "Rents rose.", "See the report.")
    units["page"] = [1, 1, 2, 2]
    gold = _gold("See the report.", "See the report.", "See the report.")
    gold["page"] = [1, 1, 2]
    assert match_units(gold, units) == [0, 1, 3]


def test_units_of_another_file_never_match() -> None:
    units = _units("The minutes were agreed.", source="other.txt")
    assert match_units(_gold("The minutes were agreed."), units) == [None]


@pytest.mark.parametrize(
    ("original", "pseudonymised", "spans"),
    [
        (
            "The Meeting was Chaired by Kevin Corrance. Proposed by RW and seconded by PP .",
            "The Meeting was Chaired by Chair 1. Proposed by Lay member 6 and seconded by "
            "Lay member 7 .",
            ["Kevin Corrance", "RW", "PP"],
        ),
        ("Police Scotland reported.", "Member 39 Scotland reported.", ["Police"]),
        ("Nothing to hide here.", "Nothing to hide here.", []),
    ],
)
def test_replaced_spans_are_found_word_by_word(
    original: str, pseudonymised: str, spans: list[str]
) -> None:
    got = [original[a:b] for a, b in rw.replaced_spans(original, pseudonymised)]
    assert got == spans


def test_the_judge_takes_titles_initials_and_given_names_but_not_places() -> None:
    known = rw.Known(
        roster=["Dot Noble"], people=["Dot Noble"], initials={"DN"}, given=frozenset({"CAROL"})
    )
    assert known.person("Cllr Pettigrew")
    assert known.person("DN")
    assert known.person("Carol Kershaw")
    assert not known.person("Police")
    assert not known.person("Eddington Avenue")


@pytest.mark.parametrize("given", ["Ailsa", "Kieron", "Philippa", "Oonagh", "Roddy"])
def test_the_judges_given_names_hold_british_and_irish_names(given: str) -> None:
    # Minutes of bodies in Britain and Ireland name people the US census lists do not know;
    # without these names the judge counts a real person's pseudonym against precision.
    known = rw.Known([], [], set(), rw.given_names())
    assert known.person(f"{given} Quarrendon")
    assert not known.person("Quarrendon Hall")


def test_the_judge_reads_titles_in_their_case_and_before_the_span() -> None:
    known = rw.Known([], [], set(), frozenset())
    assert not known.person("MS Teams")  # software, where "Ms Teams" would be a person
    assert known.person("Hill", before="The Council has given Mr J ")


# Minutes of a body nobody here wrote the roster of: the documents say who is a person.
DOCUMENTS = [
    "Chair: Dr Tiernan O'Farrell\n\nAttendees:\n\nPaul Cadwallader (PC) | Northwind Systems\n"
    "Anoush Mirzakhani (AM) | Vantage\nJohn Selwood | JS\nAlex Treharne, Communications Lead\n\n"
    "1. Welcome\n\nTiernan O'Farrell (TO) welcomed attendees. Lysander Quarrie presented plans.\n"
    "The Kilbrannan Community Council (CC) agreed to write. The CC will pay. The CC agreed.\n"
    "Callum Cowie (CC) reported on the fair. The meeting was held in Kilbrannan village hall.\n"
    "Morwenna Tregothnan gave a presentation on the lunch club.",
]


@pytest.fixture()
def judge() -> rw.Known:
    return rw.known_people(None, pd.DataFrame(), rw.given_names(), DOCUMENTS, ["m.txt"])


@pytest.mark.parametrize(
    ("span", "after"),
    [
        ("Tiernan O'Farrell", " welcomed"),  # a title before the name in the documents
        ("Lysander Quarrie", " presented"),  # "X presented" in the documents
        ("PC", " expressed concerns"),  # "Paul Cadwallader (PC)" in the list
        ("AM", " proposed that"),  # "Anoush Mirzakhani (AM)": initials beside a listed name
        ("JS", " to circulate"),  # "John Selwood | JS"
        ("TO", " to write"),
        ("AT", " to follow up"),  # initials of a listed person the minutes go on to use
        ("CC", " advised that the paint"),  # the CC that is a person, where the verb says so
        ("Morwenna Tregothnan", " will send"),  # "X gave a presentation" in the documents
        ("Morwenna", " - Website"),  # the forename of a person the documents name
        ("J Lawson", " regarding"),  # an initial and a census surname: a name's shape
    ],
)
def test_the_documents_say_who_is_a_person(judge: rw.Known, span: str, after: str) -> None:
    assert judge.person(span, "", after, "m.txt")


@pytest.mark.parametrize(
    ("span", "before", "after"),
    [
        ("CC", "The ", " agreed to pay"),  # the Community Council
        ("Kilbrannan", "held in ", " village hall"),
        ("Police Scotland", "", " reported"),
        ("Cabinet Office", "", " presented"),
        ("B Road", "the ", " was closed for repairs"),  # an initial, then a place's word
    ],
)
def test_what_the_documents_do_not_make_a_person(
    judge: rw.Known, span: str, before: str, after: str
) -> None:
    assert not judge.person(span, before, after, "m.txt")


def test_seats_are_no_names_and_places_inside_names_are_no_occurrences() -> None:
    assert rw.name_forms(["The Chair", "Chief Officer", "LPF Area Rep", "Ruth Hall"]) == [
        "Ruth Hall",
        "Hall",
    ]
    assert rw.name_forms(["Baroness Ashcombe of Lyndhurst MBE", "David Penrose/ICO"]) == [
        "David Penrose",
        "Ashcombe",
        "Penrose",
    ]
    text = "Ruth Hall booked the Village Hall. Hall Hire is up. Ms Hall agreed."
    found = [text[a:b] for a, b in rw._occurrences(text, ["Ruth Hall", "Hall"])]
    assert found == ["Ruth Hall", "Hall"]  # not "Village Hall" nor "Hall Hire"


def test_recall_counts_roster_names_left_in_the_output() -> None:
    units = pd.DataFrame(
        {
            "original": ["Dot Noble asked about the bins. Noble agreed.", "Dot Noble left."],
            "text": ["Lay member 1 asked about the bins. Noble agreed.", "Lay member 1 left."],
            "original_title": ["", ""],
            "item_title": ["", ""],
            "source": ["m.txt", "m.txt"],
        }
    )
    known = rw.Known(["Dot Noble"], ["Dot Noble"], set(), frozenset())
    assert rw.name_recall(units, known) == pytest.approx(2 / 3)


def test_a_gold_line_without_a_needed_field_names_the_file_and_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    good = {"source": "b/m.txt", "page": 1, "text": "x", "focus": "process", "speaker_role": "none"}
    bad = {k: v for k, v in good.items() if k != "focus"}
    (gold / "units-A.jsonl").write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(GoldFileError, match=r"units-A\.jsonl, line 2: missing field\(s\) focus"):
        rw.load_gold(gold)


def test_a_missing_folder_says_how_to_point_at_one(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="REALWORLD=path"):
        rw.evaluate(tmp_path)


@pytest.mark.slow
def test_a_small_body_is_read_and_scored_end_to_end(tmp_path: Path) -> None:
    """A body written here, in the plain style of a community council's minutes."""
    body = tmp_path / "bodies" / "village-council"
    body.mkdir(parents=True)
    (body / "2024-03-05.txt").write_text(
        "Village Council\n\nMinutes of the meeting held on 5 March 2024\n\n"
        "Present: Cllr Ann Price (Chair), Tom Reilly, Mary Shaw\n\n"
        "Apologies: Joe Bloggs\n\n"
        "1. Minutes\n\nThe minutes of the last meeting were agreed.\n\n"
        "2. Roads\n\nTom Reilly said the potholes on Main Street were worse.\n\n"
        "Mary Shaw will write to the roads department.\n",
        encoding="utf-8",
    )
    gold = tmp_path / "gold"
    (gold / "boards").mkdir(parents=True)
    rows = [
        ("The minutes of the last meeting were agreed.", "process", "none"),
        ("Tom Reilly said the potholes on Main Street were worse.", "process", "lay"),
        ("Mary Shaw will write to the roads department.", "action", "lay"),
    ]
    (gold / "units-A.jsonl").write_text(
        "".join(
            json.dumps(
                {
                    "source": "village-council/2024-03-05.txt",
                    "page": 1,
                    "text": t,
                    "focus": f,
                    "speaker_role": r,
                }
            )
            + "\n"
            for t, f, r in rows
        )
    )
    (gold / "attendance-A.jsonl").write_text(
        json.dumps(
            {
                "source": "village-council/2024-03-05.txt",
                "meeting_date": "2024-03-05",
                "members_present": 3,
                "lay_present": 2,
                "apologies": 1,
            }
        )
        + "\n"
    )
    (gold / "boards" / "village-council.yaml").write_text(
        "name: Village Council\nmembers:\n"
        "  - {name: Ann Price, role: chair}\n"
        "  - {name: Tom Reilly, role: lay}\n"
        "  - {name: Mary Shaw, role: lay}\n"
        "  - {name: Joe Bloggs, role: lay}\n"
    )
    evaluation = rw.evaluate(tmp_path, workers=1)
    table = evaluation.table.set_index("roster")
    assert list(table.index) == ["no roster", "roster"]
    with_roster = table.loc["roster"]
    assert with_roster["coverage"] == 1.0
    assert with_roster["date_exact"] == 1
    assert with_roster["members_exact"] == 1 and with_roster["lay_exact"] == 1
    assert with_roster["role_kappa"] == 1.0
    assert with_roster["recall"] == 1.0
    summary = rw.markdown(evaluation.table)
    assert "| village-council | with |" in summary
    rw.write(evaluation, tmp_path / "out")
    assert (tmp_path / "out" / "summary.md").read_text().count("village-council") == 2
