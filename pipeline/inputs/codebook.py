"""Codebooks: the themes a board's minutes are coded into (drafting one from a survey:
``pipeline.inputs.survey``).

Horrocks, Lyons & Hopley (2010) asked whether a partnership board attends to what service users
said matters to them. The codebook is that bridge: each theme is a priority from a survey of
service users, with the words (seeds) that let the coder recognise it in minutes.

This module holds pure functions only. ``pipeline.core.io`` reads the YAML or CSV and passes the
loaded
object here together with ``origin`` (the path, as the user typed it), so every error message can
name the file the user has to fix.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pipeline.core import config
from pipeline.core.errors import CodebookError

if TYPE_CHECKING:
    pass

__all__ = [
    "RESERVED_IDS",
    "Codebook",
    "Theme",
    "codebook_to_data",
    "parse_codebook",
]

#: Ids the pipeline itself uses; ``other`` is the code for units that fit no theme.
RESERVED_IDS: frozenset[str] = frozenset({config.OTHER_THEME})

_ID_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
_TOP_FIELDS = ("name", "version", "source", "notes", "involvement_theme", "themes")
_THEME_FIELDS = ("id", "label", "priority_rank", "survey_share", "definition", "seeds", "examples")
_EXAMPLE_FIELDS = ("include", "exclude")


def _slug(label: str) -> str:
    """A theme id from a label: lower case, runs of other characters as one underscore."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


# ---------------------------------------------------------------------------------------------
# The codebook itself


@dataclass(frozen=True)
class Theme:
    """One survey priority, as the coder will look for it in the minutes."""

    id: str
    label: str
    priority_rank: int
    survey_share: float | None
    definition: str
    seeds: tuple[str, ...]
    examples_include: tuple[str, ...] = ()
    examples_exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """A validated codebook; ``origin`` says where it came from so later errors can name it."""

    name: str
    version: int
    source: str
    themes: tuple[Theme, ...]
    origin: str
    notes: str | None = field(default=None)
    # The theme under which the board's own arrangements for involving service users and carers
    # are coded (their presence, recruitment, support, expenses, and what came of their points):
    # a decision the researcher makes once, in the codebook, rather than one the coder guesses.
    involvement_theme: str | None = field(default=None)

    @property
    def fingerprint(self) -> str:
        """Identify the content, not the file, so a manifest can tell when a re-run is needed.

        The origin is left out on purpose: the same codebook copied elsewhere codes identically.
        """
        canonical = json.dumps(
            codebook_to_data(self), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def ids(self) -> tuple[str, ...]:
        """Theme ids in file order (the order the researcher chose to present them)."""
        return tuple(t.id for t in self.themes)

    @property
    def by_id(self) -> Mapping[str, Theme]:
        """Read-only lookup, so stages can go from a coded unit's theme id back to the theme."""
        return MappingProxyType({t.id: t for t in self.themes})


# ---------------------------------------------------------------------------------------------
# Validation


def _kind(value: object) -> str:
    """Describe a YAML value in the words a researcher would use, not Python type names."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int):
        return f"a whole number ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value!r})" if len(value) <= 40 else "text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _suggest(key: object, known: Sequence[str], otherwise: str = "allowed fields are {}") -> str:
    """The closest known name, or ``otherwise`` with the known names listed."""
    close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return otherwise.format(", ".join(known))


class _Problems:
    """Collects every mistake so the researcher can fix the file in one go, not one per run."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.lines: list[str] = []

    def add(self, where: str, fieldname: str | None, problem: str, fix: str) -> None:
        place = f"{where}, field {fieldname!r}" if fieldname else where
        self.lines.append(f"{self.origin}: {place}: {problem}; {fix}")

    def raise_if_any(self) -> None:
        if not self.lines:
            return
        n = len(self.lines)
        head = f"{self.origin}: {n} problem{'s' if n > 1 else ''} in the codebook:"
        raise CodebookError("\n".join([head, *self.lines]))


def _where(theme_id: object, index: int) -> str:
    if isinstance(theme_id, str) and theme_id.strip():
        return f"theme {theme_id!r} (themes[{index}])"
    return f"themes[{index}]"


def _text(
    value: object, problems: _Problems, where: str, name: str, fix: str, *, required: bool = True
) -> str | None:
    if value is None:
        if required:
            problems.add(where, name, "is missing or empty", fix)
        return None
    if not isinstance(value, str) or not value.strip():
        what = "is empty" if isinstance(value, str) else f"must be text, not {_kind(value)}"
        problems.add(where, name, what, fix)
        return None
    return value.strip()


def _text_list(
    value: object, problems: _Problems, where: str, name: str, fix: str, *, allow_empty: bool
) -> tuple[str, ...] | None:
    if isinstance(value, str) and value.strip():
        problems.add(where, name, f"must be a list, not {_kind(value)}", f"write {name}: [{value}]")
        return None
    if not isinstance(value, list):
        problems.add(where, name, f"must be a list of text, not {_kind(value)}", fix)
        return None
    if not value and not allow_empty:
        problems.add(where, name, "is an empty list", fix)
        return None
    out: list[str] = []
    ok = True
    for i, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            problems.add(
                where,
                f"{name}[{i}]",
                f"must be text, not {_kind(item)}",
                "write each entry as a word or phrase",
            )
            ok = False
        elif not str(item).strip():
            problems.add(
                where,
                f"{name}[{i}]",
                "is empty",
                "remove the empty entry or write a word or phrase",
            )
            ok = False
        else:
            # YAML reads a bare 111 or 24 as a number; a seed of digits is still a seed.
            out.append(" ".join(str(item).split()))
    return tuple(out) if ok else None


def _parse_theme(raw: object, index: int, problems: _Problems) -> Theme | None:
    if not isinstance(raw, Mapping):
        problems.add(
            f"themes[{index}]",
            None,
            f"is {_kind(raw)}, not a mapping",
            "write each theme as a mapping with id, label, priority_rank, definition and seeds",
        )
        return None
    where = _where(raw.get("id"), index)
    before = len(problems.lines)
    for key in raw:
        if key not in _THEME_FIELDS:
            problems.add(
                where, str(key), "is not a known theme field", _suggest(key, _THEME_FIELDS)
            )

    theme_id = raw.get("id")
    if theme_id is None:
        problems.add(
            where, "id", "is missing", "add a short lowercase identifier such as id: crisis_support"
        )
    elif not isinstance(theme_id, str):
        problems.add(
            where,
            "id",
            f"must be text, not {_kind(theme_id)}",
            "write a lowercase identifier such as crisis_support (quote it if needed)",
        )
    elif not _ID_RE.match(theme_id):
        slug = _slug(theme_id)
        problems.add(
            where,
            "id",
            f"{theme_id!r} is not a lowercase identifier",
            "use lowercase letters, digits and underscores, starting with a letter"
            + (f", e.g. {slug!r}" if slug else ""),
        )
    elif theme_id in RESERVED_IDS:
        problems.add(
            where,
            "id",
            f"{theme_id!r} is reserved for units that fit no theme",
            "choose another id, e.g. other_concerns",
        )

    label = _text(
        raw.get("label"),
        problems,
        where,
        "label",
        "add the priority as respondents saw it, e.g. label: Help in a crisis",
    )

    rank = raw.get("priority_rank")
    if rank is None:
        problems.add(
            where,
            "priority_rank",
            "is missing",
            "add the theme's rank in the survey, 1 = named by most respondents",
        )
    elif isinstance(rank, bool) or not isinstance(rank, int):
        problems.add(
            where,
            "priority_rank",
            f"must be a whole number, not {_kind(rank)}",
            "write a whole number of 1 or more, e.g. priority_rank: 2",
        )
        rank = None
    elif rank < 1:
        problems.add(
            where,
            "priority_rank",
            f"must be 1 or more, not {rank}",
            "number the themes 1, 2, 3 ... in order of survey popularity",
        )
        rank = None

    share_raw = raw.get("survey_share")
    share: float | None = None
    if share_raw is not None:
        if isinstance(share_raw, bool) or not isinstance(share_raw, int | float):
            problems.add(
                where,
                "survey_share",
                f"must be a number, not {_kind(share_raw)}",
                "write a proportion between 0 and 1, e.g. 0.46 (not 46%), or leave it out",
            )
        elif not (0.0 <= float(share_raw) <= 1.0) or math.isnan(float(share_raw)):
            problems.add(
                where,
                "survey_share",
                f"{share_raw} is outside 0 to 1",
                "write the share of respondents as a proportion, e.g. 0.46 for 46%",
            )
        else:
            share = float(share_raw)

    definition = _text(
        raw.get("definition"),
        problems,
        where,
        "definition",
        "add a sentence saying what belongs in this theme",
    )

    seeds: tuple[str, ...] | None = None
    if "seeds" not in raw or raw.get("seeds") is None:
        problems.add(
            where,
            "seeds",
            "is missing",
            "add a list of words or phrases that signal the theme, e.g. "
            "seeds: [crisis, out of hours]",
        )
    else:
        seeds = _text_list(
            raw["seeds"],
            problems,
            where,
            "seeds",
            "write a list of words or phrases, e.g. seeds: [crisis, out of hours]",
            allow_empty=False,
        )
        if seeds is not None:
            seen: set[str] = set()
            for seed in seeds:
                if seed.lower() in seen:
                    problems.add(where, "seeds", f"{seed!r} is listed twice", "remove the repeat")
                seen.add(seed.lower())

    include: tuple[str, ...] | None = ()
    exclude: tuple[str, ...] | None = ()
    examples = raw.get("examples")
    if examples is not None:
        if not isinstance(examples, Mapping):
            problems.add(
                where,
                "examples",
                f"must be a mapping, not {_kind(examples)}",
                "write examples: {include: [...], exclude: [...]}",
            )
        else:
            for key in examples:
                if key not in _EXAMPLE_FIELDS:
                    problems.add(
                        where,
                        f"examples.{key}",
                        "is not a known field",
                        _suggest(key, _EXAMPLE_FIELDS),
                    )
            fix = "write a list of short quoted passages"
            if examples.get("include") is not None:
                include = _text_list(
                    examples["include"], problems, where, "examples.include", fix, allow_empty=True
                )
            if examples.get("exclude") is not None:
                exclude = _text_list(
                    examples["exclude"], problems, where, "examples.exclude", fix, allow_empty=True
                )

    if len(problems.lines) > before:
        return None
    assert isinstance(theme_id, str) and label and definition and seeds and isinstance(rank, int)
    return Theme(
        id=theme_id,
        label=label,
        priority_rank=rank,
        survey_share=share,
        definition=definition,
        seeds=seeds,
        examples_include=include or (),
        examples_exclude=exclude or (),
    )


def parse_codebook(data: object, origin: str) -> Codebook:
    """Validate a YAML-loaded codebook, reporting every mistake at once.

    Researchers write codebooks by hand; one message listing each problem (file, theme, field,
    what is wrong, how to fix it) saves them a run per typo.
    """
    problems = _Problems(origin)
    if data is None:
        problems.add(
            "the file", None, "is empty", "write a mapping with name, version, source and themes"
        )
        problems.raise_if_any()
    if not isinstance(data, Mapping):
        problems.add(
            "the file",
            None,
            f"holds {_kind(data)}, not a mapping",
            "the codebook must be a YAML mapping with keys name, version, source and "
            "themes (see themes/demo-survey-2022.yaml)",
        )
        problems.raise_if_any()
    assert isinstance(data, Mapping)
    top = "top level"
    for key in data:
        if key not in _TOP_FIELDS:
            problems.add(top, str(key), "is not a known codebook field", _suggest(key, _TOP_FIELDS))

    name = _text(
        data.get("name"),
        problems,
        top,
        "name",
        "add a short name for the codebook, e.g. name: harrowmere-survey-2022",
    )
    source = _text(
        data.get("source"),
        problems,
        top,
        "source",
        "say where the themes come from, e.g. source: Postal survey of service users, 2022 (n=412)",
    )
    notes = _text(
        data.get("notes"),
        problems,
        top,
        "notes",
        "write notes as text or leave out",
        required=False,
    )

    version = data.get("version")
    if version is None:
        problems.add(
            top,
            "version",
            "is missing",
            "add version: 1 and increase it whenever the themes change",
        )
    elif isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.add(
            top,
            "version",
            f"must be a whole number of 1 or more, not {_kind(version)}",
            "write e.g. version: 2 and increase it whenever the themes change",
        )

    themes: list[Theme] = []
    raw_themes = data.get("themes")
    if raw_themes is None:
        problems.add(top, "themes", "is missing", "add a list of themes (see DESIGN.md)")
    elif not isinstance(raw_themes, list) or not raw_themes:
        what = (
            "is an empty list"
            if isinstance(raw_themes, list)
            else f"must be a list, not {_kind(raw_themes)}"
        )
        problems.add(
            top,
            "themes",
            what,
            "list the themes, each with id, label, priority_rank, definition and seeds",
        )
    else:
        ids: dict[str, int] = {}
        ranks: dict[int, str] = {}
        seed_owner: dict[str, str] = {}
        for index, raw in enumerate(raw_themes):
            theme_id = raw.get("id") if isinstance(raw, Mapping) else None
            rank = raw.get("priority_rank") if isinstance(raw, Mapping) else None
            where = _where(theme_id, index)
            if isinstance(theme_id, str):
                if theme_id in ids:
                    problems.add(
                        where,
                        "id",
                        f"{theme_id!r} is already used by themes[{ids[theme_id]}]",
                        "give each theme its own id, or merge the two themes",
                    )
                else:
                    ids[theme_id] = index
            if isinstance(rank, int) and not isinstance(rank, bool):
                if rank in ranks:
                    problems.add(
                        where,
                        "priority_rank",
                        f"{rank} is already the rank of {ranks[rank]}",
                        "give each theme its own rank (1, 2, 3 ...)",
                    )
                else:
                    ranks[rank] = where
            theme = _parse_theme(raw, index, problems)
            if theme is None:
                continue
            for seed in theme.seeds:
                key = seed.lower()
                if key in seed_owner and seed_owner[key] != where:
                    problems.add(
                        where,
                        "seeds",
                        f"{seed!r} is also a seed of {seed_owner[key]}",
                        "a seed must point to one theme, so remove it from one of them",
                    )
                seed_owner.setdefault(key, where)
            themes.append(theme)

    involvement = _text(
        data.get("involvement_theme"),
        problems,
        top,
        "involvement_theme",
        "write the id of one theme, or leave it out",
        required=False,
    )
    known = [t.id for t in themes]
    if involvement is not None and themes and involvement not in known:
        problems.add(
            top,
            "involvement_theme",
            f"{involvement!r} is not the id of any theme",
            _suggest(involvement, known, "use the id of one theme ({}), or leave it out"),
        )

    problems.raise_if_any()
    assert name is not None and source is not None and isinstance(version, int)
    return Codebook(
        name=name,
        version=version,
        source=source,
        themes=tuple(themes),
        origin=origin,
        notes=notes,
        involvement_theme=involvement,
    )


def codebook_to_data(cb: Codebook) -> dict[str, Any]:
    """The inverse of :func:`parse_codebook`: plain data, in the field order people read."""
    data: dict[str, Any] = {"name": cb.name, "version": cb.version, "source": cb.source}
    if cb.notes:
        data["notes"] = cb.notes
    if cb.involvement_theme:
        data["involvement_theme"] = cb.involvement_theme
    themes: list[dict[str, Any]] = []
    for t in cb.themes:
        item: dict[str, Any] = {"id": t.id, "label": t.label, "priority_rank": t.priority_rank}
        if t.survey_share is not None:
            item["survey_share"] = t.survey_share
        item["definition"] = t.definition
        item["seeds"] = list(t.seeds)
        if t.examples_include or t.examples_exclude:
            item["examples"] = {
                "include": list(t.examples_include),
                "exclude": list(t.examples_exclude),
            }
        themes.append(item)
    data["themes"] = themes
    return data
