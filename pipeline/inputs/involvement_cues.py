"""The involvement cue lexicon: the board English that levels, uptake and the 4Pi ratings read.

Kept in ``themes/involvement-cues.yaml`` beside the focus cues (``themes/focus-cues.yaml``), and
for the same reason: a board's wording is its own, and a lexicon tuned to one board's "took the
Board through" or "as Carer 1 had suggested" should be editable without touching Python. The file
is read and checked the way the focus cues are (:mod:`pipeline.classify.focus.cues`, whose pattern
reader it shares): every mistake names the file, the section, the entry and the fix.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from pipeline.core import config
from pipeline.inputs.lexicon import CuesError, LexiconReader

DEFAULT_INVOLVEMENT_CUES: Final = config.DEFAULT_INVOLVEMENT_CUES
SECTIONS: Final = ("levels", "uptake", "four_pi")
# Where a reference cue names the contributor: a regular-expression comment, so the stored
# pattern still compiles, and a marker no pattern text would hold by chance.
_CONTRIBUTOR: Final = "(?#contributor)"


@dataclass(frozen=True)
class LevelCues:
    """Cues of the involvement level per item; pipeline/involvement/levels.py says how each is
    used."""

    lead_opening: re.Pattern[str]
    lead_anywhere: re.Pattern[str]
    propose: re.Pattern[str]
    agrees: re.Pattern[str]
    request: re.Pattern[str]
    chair_adopts: re.Pattern[str]
    agreed_changes: re.Pattern[str]
    resolved: re.Pattern[str]
    working_group: re.Pattern[str]
    with_group: re.Pattern[str]
    action_owners_end: re.Pattern[str]
    joint_owners: re.Pattern[str]
    set_role: re.Pattern[str]
    role_holders: re.Pattern[str]
    reports: re.Pattern[str]


@dataclass(frozen=True)
class UptakeCues:
    """Cues of uptake; ``reference`` holds patterns with the contributor left open."""

    reference: tuple[str, ...]
    not_uptake: re.Pattern[str]
    self_reference: re.Pattern[str]
    last_meeting: re.Pattern[str]

    def refers_to(self, sentence: str, name: str) -> bool:
        """Whether ``sentence`` refers back to what the person called ``name`` said."""
        who = re.escape(name) + r"(?!\d)"
        return any(
            re.search(cue.replace(_CONTRIBUTOR, who), sentence, re.IGNORECASE)
            for cue in self.reference
        )


@dataclass(frozen=True)
class FourPiCues:
    """Phrases that evidence the 4Pi standards Purpose and Process (lower case, whole words)."""

    purpose: tuple[str, ...]
    process: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class InvolvementCues:
    """The compiled lexicon; ``fingerprint`` is the file's hash, recorded in the manifest."""

    name: str
    version: str
    levels: LevelCues
    uptake: UptakeCues
    four_pi: FourPiCues
    fingerprint: str = ""
    path: str = ""


def load_involvement_cues(path: Path | None = None) -> InvolvementCues:
    """Read and check an involvement cue lexicon (the bundled one when ``path`` is None)."""
    if path is None:
        return _bundled()
    return _load(path)


@lru_cache(maxsize=1)
def _bundled() -> InvolvementCues:
    # Every stage called without a lexicon reads the bundled one; once per process is enough.
    return _load(DEFAULT_INVOLVEMENT_CUES)


def _load(path: Path) -> InvolvementCues:
    from pipeline.core import io

    if not path.exists():
        raise CuesError(
            f"{path}: involvement cue lexicon not found. Copy {DEFAULT_INVOLVEMENT_CUES} and "
            "edit it, or leave out --involvement-cues to use the bundled one."
        )
    data = io.read_yaml(path, CuesError)
    cues = parse_involvement_cues(data, str(path))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return InvolvementCues(
        cues.name, cues.version, cues.levels, cues.uptake, cues.four_pi, digest, str(path)
    )


def parse_involvement_cues(data: Any, origin: str) -> InvolvementCues:
    """Compile a lexicon read from YAML; raise :class:`CuesError` naming ``origin`` and the fix."""
    if not isinstance(data, dict):
        raise CuesError(f"{origin}: expected a mapping with the sections {', '.join(SECTIONS)}.")
    missing = [s for s in SECTIONS if not isinstance(data.get(s), dict)]
    if missing:
        raise CuesError(
            f"{origin}: missing section(s) {', '.join(missing)} (each a mapping); copy them from "
            f"{DEFAULT_INVOLVEMENT_CUES}."
        )
    fragments = data.get("fragments") or {}
    if not isinstance(fragments, dict) or not all(isinstance(v, str) for v in fragments.values()):
        raise CuesError(f"{origin}: 'fragments' must map names to pattern text.")
    shared = {str(k): v for k, v in fragments.items()}
    reader = LexiconReader(origin, shared)
    return InvolvementCues(
        name=str(data.get("name", Path(origin).stem)),
        version=str(data.get("version", "")),
        levels=_levels(data["levels"], reader),
        uptake=_uptake(data["uptake"], origin, shared),
        four_pi=_four_pi(data["four_pi"], origin),
    )


def _levels(section: dict[str, Any], reader: LexiconReader) -> LevelCues:
    names = [f.name for f in fields(LevelCues)]
    _check_keys(section, names, "levels", reader.origin)
    return LevelCues(**{n: _pattern(section[n], f"levels.{n}", reader) for n in names})


def _uptake(section: dict[str, Any], origin: str, fragments: dict[str, str]) -> UptakeCues:
    names = [f.name for f in fields(UptakeCues)]
    _check_keys(section, names, "uptake", origin)
    reader = LexiconReader(origin, fragments)
    with_contributor = LexiconReader(origin, {**fragments, "contributor": _CONTRIBUTOR})
    entries = section["reference"]
    if not isinstance(entries, list) or not entries:
        raise reader.fail("uptake.reference", "must be a non-empty list of patterns.")
    reference = []
    for i, entry in enumerate(entries, 1):
        where = f"uptake.reference entry {i}"
        if not isinstance(entry, str) or "<<contributor>>" not in entry:
            raise reader.fail(
                where,
                "each pattern must name the person referred to with <<contributor>>, as in "
                "'as <<contributor>> had suggested'.",
            )
        reference.append(with_contributor.compile(entry, where, False).pattern)
    return UptakeCues(
        reference=tuple(reference),
        not_uptake=_pattern(section["not_uptake"], "uptake.not_uptake", reader),
        self_reference=_pattern(section["self_reference"], "uptake.self_reference", reader),
        last_meeting=_pattern(section["last_meeting"], "uptake.last_meeting", reader),
    )


def _four_pi(section: dict[str, Any], origin: str) -> FourPiCues:
    _check_keys(section, ["purpose", "process"], "four_pi", origin)
    process = section["process"]
    if not isinstance(process, dict) or not process:
        raise CuesError(
            f"{origin}: four_pi.process: must map each aspect's name to a list of phrases, "
            "e.g. 'communication: [papers, plain english]'."
        )
    return FourPiCues(
        purpose=_phrases(section["purpose"], "four_pi.purpose", origin),
        process={
            str(aspect): _phrases(phrases, f"four_pi.process.{aspect}", origin)
            for aspect, phrases in process.items()
        },
    )


def _check_keys(section: dict[str, Any], names: list[str], where: str, origin: str) -> None:
    unknown = sorted(str(k) for k in set(section) - set(names))
    if unknown:
        hints = [
            f"{k} (did you mean {close[0]}?)"
            if (close := difflib.get_close_matches(k, names, 1))
            else k
            for k in unknown
        ]
        raise CuesError(
            f"{origin}: {where}: unknown key(s) {', '.join(hints)}; the keys are "
            f"{', '.join(names)}."
        )
    missing = [n for n in names if section.get(n) in (None, "", [], {})]
    if missing:
        raise CuesError(
            f"{origin}: {where}: missing {', '.join(missing)}; copy them from "
            f"{DEFAULT_INVOLVEMENT_CUES}."
        )


def _pattern(entry: Any, where: str, reader: LexiconReader) -> re.Pattern[str]:
    """A pattern written as text, or as ``{pattern: ..., case_sensitive: true}``."""
    if isinstance(entry, dict):
        if "pattern" not in entry or set(entry) - {"pattern", "case_sensitive", "note"}:
            raise reader.fail(
                where, "write a pattern as text, or as {pattern: '...', case_sensitive: true}."
            )
        return reader.compile(entry["pattern"], where, bool(entry.get("case_sensitive")))
    return reader.compile(entry, where, False)


def _phrases(entries: Any, where: str, origin: str) -> tuple[str, ...]:
    if not isinstance(entries, list) or not entries:
        raise CuesError(f"{origin}: {where}: must be a non-empty list of phrases.")
    out = []
    for i, entry in enumerate(entries, 1):
        # YAML reads "4pi" as text but 1984 as a number: both are words here; true is not.
        plain = isinstance(entry, str | int | float) and not isinstance(entry, bool)
        if not plain or not str(entry).strip():
            raise CuesError(
                f"{origin}: {where} entry {i}: a phrase must be plain words, e.g. 'plain english'."
            )
        out.append(" ".join(str(entry).split()).lower())
    return tuple(out)
