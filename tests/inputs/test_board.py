"""board.yaml: who sits on the board in which role, and clear errors when the file is wrong."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from pipeline.core import config
from pipeline.core.errors import BoardFileError, InputError
from pipeline.inputs.board import Member, parse_board

ORIGIN = "corpora/eastvale/board.yaml"

VALID = """
name: Eastvale Mental Health Partnership Board
organisation: Eastvale County Council and Eastvale NHS Trust
members:
  - {name: Dr Priya Okafor, role: chair}
  - {name: Tom  Reilly, aliases: [Thomas Reilly, Tommy Reilly], initials: tr, role: service_user}
  - {name: Ann Price, role: carer, from: 2007-04-01}
  - {name: Jo Bloggs, aliases: Joanne Bloggs, role: lay, from: 2006-01-01, to: "2008-12-31"}
"""


def board_data(**member_overrides: Any) -> dict[str, Any]:
    """A valid board with one extra member built from ``member_overrides``."""
    data = yaml.safe_load(VALID)
    data["members"].append({"name": "Sam Carter", "role": "officer", **member_overrides})
    return data


def test_valid_board_parses() -> None:
    board = parse_board(yaml.safe_load(VALID), ORIGIN)
    assert board.name == "Eastvale Mental Health Partnership Board"
    assert board.organisation == "Eastvale County Council and Eastvale NHS Trust"
    assert board.origin == ORIGIN
    assert [m.name for m in board.members] == [
        "Dr Priya Okafor",
        "Tom Reilly",
        "Ann Price",
        "Jo Bloggs",
    ]
    assert [m.role for m in board.members] == ["chair", "service_user", "carer", "lay"]
    tom, ann, jo = board.members[1:]
    assert tom.aliases == ("Thomas Reilly", "Tommy Reilly")
    assert tom.initials == "TR"
    assert jo.aliases == ("Joanne Bloggs",)  # a single alias may be written without a list
    assert (ann.start, ann.end) == (dt.date(2007, 4, 1), None)
    assert (jo.start, jo.end) == (dt.date(2006, 1, 1), dt.date(2008, 12, 31))


@pytest.mark.parametrize(
    ("day", "serves"),
    [
        (dt.date(2005, 12, 31), False),
        (dt.date(2006, 1, 1), True),  # from is inclusive
        (dt.date(2008, 12, 31), True),  # to is inclusive
        (dt.date(2009, 1, 1), False),
        (None, True),  # an undated meeting counts everyone
    ],
)
def test_serves_on_respects_from_and_to(day: dt.date | None, serves: bool) -> None:
    jo = Member("Jo Bloggs", "lay", start=dt.date(2006, 1, 1), end=dt.date(2008, 12, 31))
    assert jo.serves_on(day) is serves


def test_member_without_dates_always_serves() -> None:
    assert Member("Ann Price", "carer").serves_on(dt.date(1990, 1, 1))


@pytest.mark.parametrize("data", [None, {}, {"name": "Board"}, {"members": None}])
def test_board_without_members_is_allowed(data: object) -> None:
    assert parse_board(data, ORIGIN).members == ()


@pytest.mark.parametrize(
    ("overrides", "field", "hint"),
    [
        ({"role": "service user"}, "role", ", ".join(config.PERSON_ROLES)),
        ({"role": None}, "role", ", ".join(config.PERSON_ROLES)),
        ({"intials": "SC"}, "intials", "did you mean 'initials'"),
        ({"alias": ["Samuel Carter"]}, "alias", "did you mean 'aliases'"),
        ({"from": "1 March 2024"}, "from", "YYYY-MM-DD"),
        ({"to": "2024-13-01"}, "to", "YYYY-MM-DD"),
        ({"initials": "S.C."}, "initials", "letters only"),
        ({"initials": False}, "initials", 'quotes, like initials: "NO"'),  # YAML's bare NO
        ({"aliases": [{"name": "Sam"}]}, "aliases", "list of names"),
    ],
)
def test_malformed_member_names_the_file_the_member_and_the_field(
    overrides: dict[str, Any], field: str, hint: str
) -> None:
    with pytest.raises(BoardFileError) as caught:
        parse_board(board_data(**overrides), ORIGIN)
    message = str(caught.value)
    assert ORIGIN in message
    assert "Sam Carter" in message
    assert f"'{field}'" in message
    assert hint in message


def test_member_without_a_name_is_named_by_position() -> None:
    data = yaml.safe_load(VALID)
    data["members"].append({"role": "carer"})
    with pytest.raises(BoardFileError, match=r"members\[4\].*'name'"):
        parse_board(data, ORIGIN)


def test_member_that_is_not_a_mapping_is_reported() -> None:
    data = yaml.safe_load(VALID)
    data["members"].append("Sam Carter, officer")
    with pytest.raises(BoardFileError, match=r"members\[4\]: expected a mapping"):
        parse_board(data, ORIGIN)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"name": "B", "memebers": []}, "did you mean 'members'"),
        ({"name": "B", "members": {"name": "Ann Price"}}, "'members' must be a list"),
        (["Ann Price", "Tom Reilly"], "expected a mapping"),
    ],
)
def test_malformed_top_level_is_reported_with_the_file(data: object, expected: str) -> None:
    with pytest.raises(BoardFileError) as caught:
        parse_board(data, ORIGIN)
    assert ORIGIN in str(caught.value)
    assert expected in str(caught.value)


def test_every_problem_is_reported_at_once() -> None:
    data = yaml.safe_load(VALID)
    data["members"][1]["role"] = "user"
    data["members"][2]["from"] = "April 2007"
    with pytest.raises(BoardFileError) as caught:
        parse_board(data, ORIGIN)
    message = str(caught.value)
    assert "Reilly" in message and "'role'" in message
    assert "Ann Price" in message and "'from'" in message


def test_board_file_error_is_an_input_error() -> None:
    """The CLI shows input errors as a message, without a traceback."""
    assert issubclass(BoardFileError, InputError)


def test_quoted_initials_that_yaml_would_read_as_a_word_are_kept() -> None:
    data = yaml.safe_load(
        'members:\n  - {name: Nkechi Obi, initials: "NO", role: carer}\n'
        "  - {name: Nick Oakes, initials: NO, role: member}\n"
    )
    assert data["members"][1]["initials"] is False  # what YAML does with a bare NO
    with pytest.raises(BoardFileError, match=r"Nick Oakes.*quotes"):
        parse_board(data, ORIGIN)
    del data["members"][1]
    assert parse_board(data, ORIGIN).members[0].initials == "NO"
