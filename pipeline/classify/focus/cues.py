"""The focus and scope cue lexicon: a YAML file under themes/ that users can adapt.

Kept out of the code because a board's wording is its own: a lexicon tuned to one board's
"Action:" lines or "RESOLVED" paragraphs should be editable without touching Python. The file is
checked as a whole when it is read, and every mistake is reported with the file, the section,
the entry and the fix, as codebooks are (``pipeline/inputs/codebook.py``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pipeline.core import config
from pipeline.inputs.lexicon import Cue, CuesError, LexiconReader

__all__ = ["CONTEXTS", "DEFAULT_CUES", "Cue", "Cues", "CuesError", "load_cues", "parse_cues"]

DEFAULT_CUES: Final = config.DEFAULT_CUES
# Sections holding weighted cues, and those holding plain patterns.
WEIGHTED: Final = ("commitment", "realised")
PLAIN: Final = ("not_yet", "process", "process_opened", "question")
CONTEXTS: Final = ("action_log", "matters_arising", "decisions")


@dataclass(frozen=True)
class Cues:
    """The compiled lexicon; ``fingerprint`` is the file's hash, recorded in the manifest."""

    name: str
    version: str
    commitment: tuple[Cue, ...]
    realised: tuple[Cue, ...]
    resolution: re.Pattern[str]
    resolution_weight: float
    notes_only: re.Pattern[str]
    not_yet: tuple[re.Pattern[str], ...]
    process: tuple[re.Pattern[str], ...]
    process_opened: tuple[re.Pattern[str], ...]
    question: tuple[re.Pattern[str], ...]
    context: dict[str, re.Pattern[str]]
    individual: tuple[Cue, ...]
    collective: tuple[Cue, ...]
    realised_tense: Cue | None = None
    realised_tense_except: re.Pattern[str] | None = None
    actor_words: frozenset[str] = frozenset()
    not_commitment_verbs: frozenset[str] = frozenset()
    undertake_verbs: frozenset[str] = frozenset()
    asking_verbs: frozenset[str] = frozenset()
    not_task_verbs: frozenset[str] = frozenset()
    fingerprint: str = ""
    path: str = ""


def load_cues(path: Path | None = None) -> Cues:
    """Read and check a cue lexicon (the bundled one when ``path`` is None)."""
    from pipeline.core import io

    path = path or DEFAULT_CUES
    if not path.exists():
        raise CuesError(
            f"{path}: cue lexicon not found. Copy {DEFAULT_CUES} and edit it, or leave out --cues "
            "to use the bundled one."
        )
    data = io.read_yaml(path, CuesError)
    cues = parse_cues(data, str(path))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Cues(**{**cues.__dict__, "fingerprint": digest, "path": str(path)})


def parse_cues(data: Any, origin: str) -> Cues:
    """Compile a lexicon read from YAML; raise :class:`CuesError` naming ``origin`` and the fix."""
    if not isinstance(data, dict):
        raise CuesError(f"{origin}: expected a mapping with sections such as 'commitment:'.")
    missing = [s for s in (*WEIGHTED, "resolution", *PLAIN, "context", "scope") if s not in data]
    if missing:
        raise CuesError(
            f"{origin}: missing section(s) {', '.join(missing)}; copy them from {DEFAULT_CUES}."
        )
    fragments = data.get("fragments") or {}
    if not isinstance(fragments, dict) or not all(isinstance(v, str) for v in fragments.values()):
        raise CuesError(f"{origin}: 'fragments' must map names to pattern text.")
    reader = LexiconReader(origin, fragments)

    res = data["resolution"]
    if not isinstance(res, dict) or "pattern" not in res or "notes_only" not in res:
        raise CuesError(f"{origin}: 'resolution' needs 'pattern', 'weight' and 'notes_only'.")
    scope = data["scope"]
    if not isinstance(scope, dict) or not {"individual", "collective"} <= set(scope):
        raise CuesError(f"{origin}: 'scope' needs the lists 'individual' and 'collective'.")
    context = data["context"]
    if not isinstance(context, dict):
        raise CuesError(f"{origin}: 'context' must map {', '.join(CONTEXTS)} to patterns.")
    unknown = sorted(set(context) - set(CONTEXTS))
    if unknown:
        raise CuesError(
            f"{origin}: context: unknown key(s) {', '.join(map(str, unknown))}; "
            f"use {', '.join(CONTEXTS)}."
        )
    modality = data.get("modality") or {}
    if not isinstance(modality, dict):
        raise CuesError(
            f"{origin}: 'modality' must map actor_words, not_commitment_verbs, undertake_verbs, "
            "asking_verbs and not_task_verbs to word lists."
        )
    tense = data.get("realised_tense") or {}
    if not isinstance(tense, dict) or (tense and "with" not in tense):
        raise CuesError(f"{origin}: 'realised_tense' needs 'with' (and optionally 'except').")
    return Cues(
        name=str(data.get("name", Path(origin).stem)),
        version=str(data.get("version", "")),
        commitment=reader.weighted(data["commitment"], "commitment"),
        realised=reader.weighted(data["realised"], "realised"),
        resolution=reader.compile(res["pattern"], "resolution", bool(res.get("case_sensitive"))),
        resolution_weight=reader.weight(res.get("weight", 0.9), "resolution"),
        notes_only=reader.compile(res["notes_only"], "resolution.notes_only", False),
        not_yet=reader.plain(data["not_yet"], "not_yet"),
        process=reader.plain(data["process"], "process"),
        process_opened=reader.plain(data["process_opened"], "process_opened"),
        question=reader.plain(data["question"], "question"),
        context={str(k): reader.compile(v, f"context.{k}", False) for k, v in context.items() if v},
        individual=reader.weighted(scope["individual"], "scope.individual"),
        collective=reader.weighted(scope["collective"], "scope.collective"),
        realised_tense=(
            Cue(
                reader.compile(tense["with"], "realised_tense.with", False),
                reader.weight(tense.get("weight", 0.6), "realised_tense"),
            )
            if tense
            else None
        ),
        realised_tense_except=(
            reader.compile(tense["except"], "realised_tense.except", False)
            if tense.get("except")
            else None
        ),
        actor_words=reader.words(modality, "actor_words"),
        not_commitment_verbs=reader.words(modality, "not_commitment_verbs"),
        undertake_verbs=reader.words(modality, "undertake_verbs"),
        asking_verbs=reader.words(modality, "asking_verbs"),
        not_task_verbs=reader.words(modality, "not_task_verbs"),
    )
