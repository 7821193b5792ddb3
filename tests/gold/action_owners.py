"""Recode the speaker role of action lines in the project's own gold files: the owner is the source.

The coding manual (docs/coding-manual.md, "speaker_role") now says that an action line's source
is its owner, the person or group who is to act ("Action: HB to circulate ..." is Hannah
Boyce's commitment), because that is how the independent coders of real published minutes
code them (../shared/realworld/gold: "standalone action line; speaker = owner"). The project's
own gold files were written before, coding such lines ``none``. This script applies the rule to
them, and only to them, from each line's own text and the corpus's board.yaml (never from the
analyser's output): the first owner named before "to" after an "Action:" prefix, or a line that
opens "<owner> to <verb>", takes that person's role in board.yaml (``chair`` for the chair), or,
for someone listed "In attendance" in the minutes' own source text, ``officer`` (the coding
manual's role for staff in attendance). Lines whose owner neither names keep their coding.

    .venv/bin/python tests/gold/action_owners.py tests/gold/demo.csv corpora/demo/board.yaml \
        corpora/build/demo/docs

prints each change and rewrites the file in place.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import yaml

from pipeline.pseudonymise.people import initials_of, name_key, strip_title

_PREFIX = re.compile(r"^\s*(?:\d+(?:\.\d+)*\s+)?\[?\s*actions?\s*[:\-–]\s*", re.IGNORECASE)
_OWNER = re.compile(
    r"^(?P<owner>(?:[A-Z][\w’'.\-]*|and|&|/|,)(?:\s+(?:[A-Z][\w’'.\-]*|and|&|/|,))*?)\s+to\s+[a-z]"
)


def roles(board: Path) -> dict[str, str]:
    """Every way board.yaml names a member (name, surname-free key, aliases, initials) -> role."""
    data = yaml.safe_load(board.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for m in data["members"]:
        role = str(m["role"])
        forms = [m["name"], *(m.get("aliases") or [])]
        for form in forms:
            out[name_key(form)] = role
        out[str(m.get("initials") or initials_of(m["name"]))] = role
        out[name_key(strip_title(m["name"])[0].split()[-1])] = role
    return out


def in_attendance(sources: Path) -> dict[str, str]:
    """People listed under "In attendance:" in the corpus's source texts -> officer."""
    out: dict[str, str] = {}
    for path in sorted(sources.glob("*.txt")):
        listing = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                listing = "in attendance" in line.lower()
                continue
            if listing and line.startswith("- "):
                name = re.split(r"\s*[,(]", line[2:], maxsplit=1)[0].strip()
                out.setdefault(name_key(name), "officer")
                out.setdefault(initials_of(name), "officer")
    return out


def owner_role(text: str, known: dict[str, str]) -> str | None:
    """The role of an action line's first owner, or None if the line is no action or the owner
    is not on the board."""
    prefixed = _PREFIX.match(text)
    body = text[prefixed.end() :] if prefixed else text.lstrip()
    m = _OWNER.match(body)
    if m is None:
        return None
    first = re.split(r"\s*(?:,|/|&|\band\b)\s*", m.group("owner"))[0].strip()
    for key in (first, name_key(first), name_key(first.split()[-1]) if first.split() else ""):
        if key and key in known:
            return known[key]
    return None


def recode(gold: Path, board: Path, sources: Path | None = None) -> int:
    known = {**(in_attendance(sources) if sources else {}), **roles(board)}
    raw = gold.read_bytes()
    ending = "\r\n" if b"\r\n" in raw[:4096] else "\n"  # keep the file's own line endings
    with gold.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys()) if rows else []
    changed = 0
    for row in rows:
        role = owner_role(row["text"], known)
        if role is None or row.get("speaker_role") == role:
            continue
        print(f"{row['speaker_role']} -> {role}: {row['text'][:90]}")
        row["speaker_role"] = role
        changed += 1
    if not changed:
        return 0
    with gold.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator=ending)
        writer.writeheader()
        writer.writerows(rows)
    return changed


if __name__ == "__main__":
    n = recode(
        Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else None
    )
    print(f"{n} action lines recoded in {sys.argv[1]}")
