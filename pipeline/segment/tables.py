"""Tables in the minutes body: which column says what, read from the table's header row.

Minutes put business in tables of many shapes: "Item | Discussion | Action" (initials of whom
each action is for), "Item | Discussion | Decisions and Action Points" (each decision or action
its own line), "Who | What | Status" (a log of actions carried over), "Agenda item | Who | What |
Status". Ingestion writes a row as "cell | cell | cell" (a cell's own line breaks as "; "), a
row with an empty first cell as "| cell | cell". The header row names the columns; rows below
it are read by those names until the next header, so a table that runs over a page keeps its
columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# What a header cell's words say the column holds.
_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "item",
        re.compile(
            r"(?:agenda\s+)?items?|no\.?|number|#|ref(?:erence)?|minute(?:\s+no\.?)?|topic|"
            r"subject|agenda|section",
            re.I,
        ),
    ),
    (
        "owner",
        re.compile(
            r"who|owners?|lead|by\s+whom|action\s+by|actioned\s+by|responsible|person|"
            r"initials|by|action\s+owner",
            re.I,
        ),
    ),
    (
        "status",
        re.compile(
            r"status|progress|date|due(?:\s+date)?|deadline|by\s+when|when|target(?:\s+date)?|"
            r"completed?|rag|timescale|update",
            re.I,
        ),
    ),
    (
        "action",
        re.compile(
            r"actions?(?:\s+points?)?|decisions?(?:\s+(?:and|&)\s+action\s+points?)?|"
            r"agreed\s+actions?|outcomes?|next\s+steps|actions?\s+agreed",
            re.I,
        ),
    ),
    (
        "text",
        re.compile(
            r"discussions?|what|description|details?|notes?|minutes?|issues?|summary|"
            r"comments?|matters?|points?\s+raised|key\s+points|discussion\s+points?|report",
            re.I,
        ),
    ),
)


def cells(line: str) -> list[str]:
    """A row's cells; a leading bar is an empty first cell ("| cell | cell")."""
    text = line.strip()
    if text.startswith("|") and text.endswith("|") and len(text) > 1:
        text = text[1:-1]  # a Markdown row's outer borders
    return [c.strip() for c in text.split("|")]


def is_row(line: str) -> bool:
    return " | " in line or line.startswith("| ") or line.rstrip().endswith(" |")


def header(row: list[str]) -> list[str] | None:
    """The columns' roles if ``row`` is a header row, else None."""
    filled = [c for c in row if c]
    if len(filled) < 2 or any(len(c.split()) > 5 for c in filled):
        return None
    roles = []
    for c in row:
        label = c.lower().strip(" :*")
        role = next((r for r, rx in _ROLES if rx.fullmatch(label)), None)
        if c and role is None:
            return None
        roles.append(role or "")
    if not ({"text", "action"} & set(roles)):
        return None
    return roles


@dataclass
class Row:
    """One row of a table read by its header: what each part of it is."""

    item: str = ""
    text: list[str] = field(default_factory=list)
    owner: str = ""
    status: str = ""
    action: str = ""


def read(row: list[str], roles: list[str] | None) -> Row:
    """A row by its columns' roles; without a header, "item | discussion | action"."""
    if roles is None:
        roles = ["item", "text", "action"] + ["text"] * max(0, len(row) - 3)
    out = Row()
    for k, cell in enumerate(row):
        role = roles[k] if k < len(roles) else "text"
        if not cell:
            continue
        if role == "item":
            out.item = cell
        elif role == "owner":
            out.owner = cell
        elif role == "status":
            out.status = (out.status + " " + cell).strip()
        elif role == "action":
            out.action = (out.action + "; " + cell).strip("; ")
        else:
            out.text.append(cell)
    if not out.text and out.action and "text" not in roles:
        # "Action | Who | When": the action column is the row's text.
        out.text, out.action = [out.action], ""
    return out


def fill_left(row: list[str], roles: list[str] | None) -> list[str]:
    """A row short of the header's columns whose first cell is prose, not an item's number or
    title: a table run on over a page, where the item column is empty and so left out. Its
    cells are the header's last columns ("discussion | action" under "Item | Discussion |
    Decisions")."""
    if roles is None or len(row) >= len(roles) or roles[0] != "item":
        return row
    first = row[0]
    if len(first.split()) <= 8 and not re.search(r"[.!?]$", first):
        return row
    return [""] * (len(roles) - len(row)) + row


def continues(row: list[str], previous: list[str] | None) -> bool:
    """A row that carries on the row above: its filled cells start in lower case ("land
    disposal | | website"), as a cell's wrapped lines do when a PDF breaks them into rows."""
    if previous is None:
        return False
    filled = [c for c in row if c]
    return bool(filled) and all(c[:1].islower() for c in filled)


def merge(previous: list[str], row: list[str]) -> list[str]:
    width = max(len(previous), len(row))
    a = previous + [""] * (width - len(previous))
    b = row + [""] * (width - len(row))
    return [" ".join(x for x in (p, r) if x) for p, r in zip(a, b, strict=True)]


_OWNER_ONLY = re.compile(
    r"^(?:[A-Z][A-Za-z]?[A-Z][A-Za-z]?|[A-Z]{2,4})(?:\s*(?:[,/&]|and)\s*(?:[A-Z][A-Za-z]?[A-Z][A-Za-z]?|[A-Z]{2,4}))*$"
)


def owner_only(text: str) -> bool:
    """An action cell that only says whom ("DM", "RB/KC", "HS and JT"), not what."""
    return bool(_OWNER_ONLY.match(text.strip()))


def split_lead(text: str) -> tuple[str, str]:
    """ "Minutes from Previous Meeting; Previous minutes were approved": a cell's own title line
    before its text, or ("", text) when it has none."""
    parts = text.split("; ", 1)
    if len(parts) == 2:
        head = parts[0]
        if (
            len(head.split()) <= 8
            and (not head.rstrip().endswith((".", ",", ":")) or _titled(head))
            and head[:1].isupper()
        ):
            return head.rstrip(". "), parts[1]
    return "", text


def _titled(head: str) -> bool:
    """ "Open Action Points.": a heading of a few words in title case, a full stop after it."""
    words = head.rstrip(". ").split()
    return (
        head.rstrip().endswith(".")
        and 2 <= len(words) <= 5
        and all(w[:1].isupper() for w in words if len(w) > 3)
    )


def is_agenda(rows: list[Row]) -> bool:
    """An agenda set out as a table ("1 | Chair's welcome and update | HS"): every row a numbered
    title of a few words with at most whose it is, and no sentence anywhere."""
    if len(rows) < 3:
        return False
    for r in rows:
        text = " ".join(r.text)
        if not re.fullmatch(r"\d{1,3}(?:\.\d{1,2})?[.)]?", r.item.strip()):
            return False
        if len(text.split()) > 10 or re.search(r"[.!?](?:\s|$)", text):
            return False
        if r.status or (r.action and not owner_only(r.action)):
            return False
    return True
