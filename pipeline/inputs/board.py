"""The optional ``board.yaml``: who sits on the board and in what role.

Roles given here override anything inferred from attendance lists. The file is optional: without
it, roles are inferred from the minutes themselves.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from pipeline.core import config
from pipeline.core.errors import BoardFileError

_MEMBER_FIELDS = ("name", "aliases", "initials", "role", "from", "to")
_TOP_FIELDS = ("name", "organisation", "members", "lay_seats")


@dataclass(frozen=True)
class Member:
    name: str
    role: str
    aliases: tuple[str, ...] = ()
    initials: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def serves_on(self, day: dt.date | None) -> bool:
        """Whether the member was on the board on ``day`` (always, when the date is unknown)."""
        if day is None:
            return True
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Board:
    name: str | None
    organisation: str | None
    members: tuple[Member, ...]
    origin: str
    # Seats the body keeps for service users, carers or lay members; 0 says it has none by design
    # (a council's cabinet), so lay presence is "not applicable" rather than "absent".
    lay_seats: int | None = None


def parse_board(data: object, origin: str) -> Board:
    """Validate a YAML-loaded ``board.yaml``, reporting every mistake with where and the fix."""
    errors: list[str] = []
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BoardFileError(
            f"{origin}: expected a mapping with 'name', 'organisation' and 'members', "
            f"found {type(data).__name__}. See corpora/README.md for an example board.yaml."
        )
    for key in data:
        if key not in _TOP_FIELDS:
            errors.append(f"unknown field '{key}'{_suggest(str(key), _TOP_FIELDS)}")
    raw_members = data.get("members", []) or []
    if not isinstance(raw_members, list):
        errors.append("'members' must be a list of people, each with at least 'name' and 'role'")
        raw_members = []
    members: list[Member] = []
    for i, raw in enumerate(raw_members):
        where = f"members[{i}]"
        if not isinstance(raw, dict):
            errors.append(f"{where}: expected a mapping like {{name: Jo Bloggs, role: carer}}")
            continue
        if isinstance(raw.get("name"), str):
            where = f"member '{raw['name']}' ({where})"
        member, problems = _parse_member(raw)
        errors.extend(f"{where}: {p}" for p in problems)
        if member is not None:
            members.append(member)
    lay_seats = data.get("lay_seats")
    if lay_seats is not None and (
        isinstance(lay_seats, bool) or not isinstance(lay_seats, int) or lay_seats < 0
    ):
        errors.append(
            f"field 'lay_seats' is {lay_seats!r}; give the number of seats for service users, "
            "carers or lay members as a whole number (0 for a body that has none)"
        )
        lay_seats = None
    if errors:
        raise BoardFileError(f"{origin}: " + "\n  ".join(["board file has problems:", *errors]))
    return Board(
        name=_opt_str(data.get("name")),
        organisation=_opt_str(data.get("organisation")),
        members=tuple(members),
        origin=origin,
        lay_seats=lay_seats if isinstance(lay_seats, int) else None,
    )


def _parse_member(raw: dict[str, object]) -> tuple[Member | None, list[str]]:
    problems: list[str] = []
    for key in raw:
        if key not in _MEMBER_FIELDS:
            problems.append(f"unknown field '{key}'{_suggest(str(key), _MEMBER_FIELDS)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("field 'name' is missing or empty")
    role = raw.get("role")
    if role is None:
        problems.append(f"field 'role' is missing; use one of {', '.join(config.PERSON_ROLES)}")
    elif role not in config.PERSON_ROLES:
        close = difflib.get_close_matches(str(role).lower(), config.PERSON_ROLES, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        problems.append(
            f"field 'role' is {role!r}; {hint}use one of {', '.join(config.PERSON_ROLES)}"
        )
    aliases = raw.get("aliases", []) or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        problems.append("field 'aliases' must be a list of names")
        aliases = []
    initials = raw.get("initials")
    if isinstance(initials, bool):
        # YAML 1.1 reads bare NO, YES, ON, OFF as true or false.
        problems.append(
            f"field 'initials' was read as {initials} because YAML takes bare NO, YES, ON and "
            'OFF for true or false; put the initials in quotes, like initials: "NO"'
        )
        initials = None
    elif initials is not None and not (isinstance(initials, str) and initials.strip().isalpha()):
        problems.append(f"field 'initials' is {initials!r}; use letters only, like 'JS'")
        initials = None
    start = _date(raw.get("from"), "from", problems)
    end = _date(raw.get("to"), "to", problems)
    if problems:
        return None, problems
    assert isinstance(name, str) and isinstance(role, str)
    return (
        Member(
            name=" ".join(name.split()),
            role=role,
            aliases=tuple(" ".join(a.split()) for a in aliases),
            initials=initials.strip().upper() if isinstance(initials, str) else None,
            start=start,
            end=end,
        ),
        [],
    )


def _date(value: object, field: str, problems: list[str]) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(f"field '{field}' is {value!r}; write a date as YYYY-MM-DD")
    return None


def _opt_str(value: object) -> str | None:
    return str(value).strip() if value is not None else None


def _suggest(word: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, known, n=1)
    return f"; did you mean '{close[0]}'?" if close else f"; known fields: {', '.join(known)}"
