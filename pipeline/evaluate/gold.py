"""Human coding in any format a coder may hand over: CSV, TSV, JSONL, or a REFI-QDA project.

:func:`load_gold` gives one table with the gold columns (``source``, ``text``, ``focus``,
``outcome_scope``, ``speaker_role``, ``theme``; every cell text, '' where not coded), whatever the
file. CSV, TSV and JSONL go to :func:`pipeline.core.io.read_gold`. A ``.qdpx`` project exported from
NVivo, ATLAS.ti, MAXQDA or QualCoder gives one row per coded plain-text selection: the selected
text, the source's name, and the codes applied to it.

A code's column comes from the group it sits under ("Focus", "Outcome scope", "Speaker role",
"Themes", singular or plural, any case), as `involve export qdpx` lays them out; a code outside such
a group is placed by its own name when that is a label of exactly one column ("Outcome" is focus,
"Collective" is outcome scope, "Carer" is speaker role, a codebook theme's label or id is theme).
Names are compared as lowercase words joined by '_', so "Service user" is ``service_user``.

Coders: by default every human user's codings are read, i.e. every user but the export's own
"involve classifier ..." user. When several coders coded the same text differently, the import
stops and names the text and the coders: pass ``user`` to take one coder's codings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from pipeline.core import config, io
from pipeline.core.errors import GoldFileError
from pipeline.qda import MACHINE_USER_PREFIX, source_path
from pipeline.qda.read import Coding, Project, read_qdpx

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.inputs.codebook import Codebook

GOLD_COLUMNS: Final = ("source", "text", "focus", "outcome_scope", "speaker_role", "theme")
LABEL_COLUMNS: Final = GOLD_COLUMNS[2:]
TABLE_SUFFIXES: Final = (".csv", ".tsv", ".jsonl", ".ndjson")
QDA_SUFFIXES: Final = (".qdpx",)
# Group names (as slugs) that say which column the codes under them fill.
GROUPS: Final[dict[str, str]] = {
    "focus": "focus",
    "foci": "focus",
    "outcome_scope": "outcome_scope",
    "outcome_scopes": "outcome_scope",
    "scope": "outcome_scope",
    "speaker_role": "speaker_role",
    "speaker_roles": "speaker_role",
    "role": "speaker_role",
    "roles": "speaker_role",
    "speaker": "speaker_role",
    "theme": "theme",
    "themes": "theme",
}
FIXED_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "focus": config.FOCUS_LABELS,
    "outcome_scope": config.SCOPE_LABELS,
    "speaker_role": config.SPEAKER_ROLES,
}
OTHER_THEME: Final = config.OTHER_THEME


def load_gold(
    path: Path, *, user: str | None = None, codebook: Codebook | None = None
) -> pd.DataFrame:
    """Human coding from ``path`` (.csv, .tsv, .jsonl or .qdpx) with the gold columns.

    ``user`` (a .qdpx user's name or guid) takes that coder's codings alone, the export's machine
    user included; by default all human coders'. ``codebook`` maps theme codes named by their
    label to the codebook's theme ids; without it a theme code's id is its name as a slug.
    """
    suffix = path.suffix.lower()
    if suffix in QDA_SUFFIXES or (suffix not in TABLE_SUFFIXES and _is_zip(path)):
        return qdpx_codings(path, user=user, codebook=codebook).loc[:, list(GOLD_COLUMNS)]
    if suffix not in TABLE_SUFFIXES:
        if not path.exists():
            raise GoldFileError(f"{path}: gold file not found.")
        raise GoldFileError(
            f"{path}: unsupported gold format '{suffix or 'no extension'}'; use .csv, .tsv, "
            ".jsonl, or a REFI-QDA project (.qdpx) exported from NVivo, ATLAS.ti, MAXQDA or "
            "QualCoder."
        )
    if user is not None:
        raise GoldFileError(
            f"{path}: a coder (user) can only be chosen in a .qdpx project; a "
            f"{suffix[1:].upper()} file has one coding per row. Leave the coder option out."
        )
    return io.read_gold(path)


def _is_zip(path: Path) -> bool:
    return path.is_file() and io.read_bytes(path)[:4] == b"PK\x03\x04"


def slug(name: str) -> str:
    """Lowercase words joined by '_': how code names are compared with labels."""
    text = unicodedata.normalize("NFKC", name).lower()
    return re.sub(r"[^\w]+", "_", text).strip("_")


@dataclass(frozen=True)
class _Placement:
    column: str
    value: str


def qdpx_codings(
    path: Path, *, user: str | None = None, codebook: Codebook | None = None
) -> pd.DataFrame:
    """One row per coded selection of a .qdpx: the gold columns plus ``start`` and ``end``.

    Offsets are the file's own (code points, 0-based, end exclusive, as :mod:`pipeline.qda`
    documents); rows come in source order, then by position.
    """
    import pandas as pd

    project = read_qdpx(path)
    users = _chosen_users(project, user)
    themes = _theme_lookup(codebook)
    placements: dict[str, _Placement | None] = {}
    unmapped: dict[str, int] = {}
    # (source guid, start, end) -> column -> {value: coder names}
    spans: dict[tuple[str, int, int], dict[str, dict[str, set[str]]]] = {}
    for sel in project.selections:
        for coding in sel.codings:
            if not _wanted(project, coding, users):
                continue
            if coding.code not in placements:
                placements[coding.code] = _place(project, coding.code, themes)
            placed = placements[coding.code]
            if placed is None:
                unmapped[coding.code] = unmapped.get(coding.code, 0) + 1
                continue
            cells = spans.setdefault((sel.source, sel.start, sel.end), {})
            coder = project.users.get(coding.user or "", coding.user or "an unnamed user")
            cells.setdefault(placed.column, {}).setdefault(placed.value, set()).add(coder)
    if unmapped:
        raise GoldFileError(_unmapped_message(project, unmapped, codebook))
    if not spans:
        raise GoldFileError(_no_codings_message(project, user))
    order = {guid: i for i, guid in enumerate(project.sources)}
    rows: list[dict[str, object]] = []
    conflicts: list[str] = []
    for (source, start, end), cells in sorted(
        spans.items(), key=lambda kv: (order[kv[0][0]], kv[0][1], kv[0][2])
    ):
        src = project.sources[source]
        row: dict[str, object] = {
            "source": _source_name(src.name),
            "text": src.text[start:end],
            "start": start,
            "end": end,
        }
        for column in LABEL_COLUMNS:
            values = cells.get(column, {})
            if len(values) > 1:
                by = "; ".join(f"{v} by {', '.join(sorted(c))}" for v, c in sorted(values.items()))
                conflicts.append(f"{src.name} [{start}:{end}] {column}: {by}")
            row[column] = next(iter(values), "")
        rows.append(row)
    if conflicts:
        shown = "\n  ".join(conflicts[:5])
        more = f"\n  ... and {len(conflicts) - 5} more" if len(conflicts) > 5 else ""
        raise GoldFileError(
            f"{path}: {len(conflicts)} selection(s) carry two different codes for one column:\n"
            f"  {shown}{more}\nChoose one coder's codings (--gold-user NAME; users: "
            f"{_user_list(project)}), or code each selection once per column."
        )
    return pd.DataFrame(rows, columns=[*GOLD_COLUMNS, "start", "end"])


def _source_name(name: str) -> str:
    """A source's name as the corpus path it came from: tools that store each source as a text
    file may add '.txt' to a name that had its own extension ("minutes/x.pdf.txt")."""
    name = source_path(name)
    stem, dot, ext = name.rpartition(".")
    if dot and ext.lower() == "txt" and "." in stem.rsplit("/", 1)[-1]:
        return stem
    return name


def _chosen_users(project: Project, user: str | None) -> set[str | None] | None:
    """Guids whose codings to read; None means every human coder (and codings with no user)."""
    if user is None:
        return None
    wanted = user.strip().casefold()
    found: set[str | None] = {
        guid
        for guid, name in project.users.items()
        if name.strip().casefold() == wanted or guid.casefold() == wanted
    }
    if not found:
        raise GoldFileError(
            f"{project.origin}: no user named {user!r}; the project's users are "
            f"{_user_list(project)}. Give one of these names."
        )
    return found


def _is_machine(project: Project, guid: str | None) -> bool:
    name = project.users.get(guid or "", "")
    return name.strip().casefold().startswith(MACHINE_USER_PREFIX)


def _wanted(project: Project, coding: Coding, users: set[str | None] | None) -> bool:
    if users is None:
        return not _is_machine(project, coding.user)
    return coding.user in users


def _theme_lookup(codebook: Codebook | None) -> dict[str, str] | None:
    if codebook is None:
        return None
    lookup = {OTHER_THEME: OTHER_THEME}
    for theme in codebook.themes:
        lookup[slug(theme.label)] = theme.id
        lookup[slug(theme.id)] = theme.id
    return lookup


def _value(column: str, name: str, themes: dict[str, str] | None) -> str | None:
    key = slug(name)
    if column == "theme":
        return key if themes is None else themes.get(key)
    return key if key in FIXED_LABELS[column] else None


def _place(project: Project, code: str, themes: dict[str, str] | None) -> _Placement | None:
    """The column and label a code stands for, from its group or its own name; None if neither."""
    chain = project.ancestors(code)
    if not chain:
        return None
    name = chain[0].name
    for group in chain[1:]:
        column = GROUPS.get(slug(group.name))
        if column is not None:
            value = _value(column, name, themes)
            return _Placement(column, value) if value is not None else None
    # No recognised group: the name must be a label of exactly one column.
    matches = [
        _Placement(column, value)
        for column in LABEL_COLUMNS
        if (value := _value(column, name, themes if column == "theme" else None)) is not None
        and (column != "theme" or themes is not None)
    ]
    return matches[0] if len(matches) == 1 else None


def _code_path(project: Project, guid: str) -> str:
    chain = project.ancestors(guid)
    if not chain:
        return f"(a code not in the codebook, guid {guid})"
    return " > ".join(c.name for c in reversed(chain))


def _unmapped_message(project: Project, unmapped: dict[str, int], codebook: Codebook | None) -> str:
    listed = "\n  ".join(
        f"{_code_path(project, guid)} ({n} codings)" for guid, n in sorted(unmapped.items())
    )
    themes = (
        f" Theme codes must be named by a theme label or id of codebook {codebook.name!r}, or "
        "'Other'."
        if codebook is not None
        else ""
    )
    return (
        f"{project.origin}: these codes map to no gold column:\n  {listed}\n"
        "Put each under a group named Focus, Outcome scope, Speaker role or Themes, and name "
        "it by its label (focus: process, action, outcome; outcome scope: individual, collective; "
        f"speaker role: {', '.join(config.SPEAKER_ROLES)}; themes: the codebook's labels)."
        f"{themes} Codes outside these four columns do not belong in a gold project: remove "
        "their codings or export a copy without them."
    )


def _no_codings_message(project: Project, user: str | None) -> str:
    if not project.selections or not any(s.codings for s in project.selections):
        return (
            f"{project.origin}: the project has no coded text selections. Code the units in "
            "your QDA software before exporting, or check that you exported the coded project."
        )
    if user is not None:
        return (
            f"{project.origin}: user {user!r} coded no text selections. Users: "
            f"{_user_list(project)}."
        )
    return (
        f"{project.origin}: only the machine user ({_user_list(project, machine=True)}) coded "
        "text here, no human coder. Code the selections under your own user, or pass "
        "--gold-user with the machine user's name to compare against its codings."
    )


def _user_list(project: Project, *, machine: bool | None = None) -> str:
    names: Iterable[str] = (
        name
        for guid, name in project.users.items()
        if machine is None or _is_machine(project, guid) == machine
    )
    listed = ", ".join(repr(n) for n in sorted(names))
    return listed or "(none)"
