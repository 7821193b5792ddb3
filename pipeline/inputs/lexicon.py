"""What every cue lexicon under themes/ shares: its error type, a weighted cue, and the reader
that compiles entries and names the file, the entry and the fix when one is wrong.

The focus lexicon (``themes/focus-cues.yaml``, :mod:`pipeline.classify.focus.cues`) and the
involvement lexicon (``themes/involvement-cues.yaml``, :mod:`pipeline.inputs.involvement_cues`)
are both read with it, so a mistake reads the same in either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from pipeline.core import config, items, vocab
from pipeline.core.errors import InputError

_FRAGMENT = re.compile(r"<<(\w+)>>")
# Vocabularies defined once elsewhere that any lexicon may name as <<fragments>>: the agenda item
# kinds (pipeline/core/items.py), the months (pipeline/core/vocab.py) and the lay pseudonyms.
SHARED_FRAGMENTS: Final = {
    **items.FRAGMENTS,
    "month": vocab.MONTH_PATTERN,
    "lay_member": config.LAY_PSEUDONYM,
}


class CuesError(InputError):
    """A malformed cue lexicon."""


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    weight: float
    note: str = ""


class LexiconReader:
    """Compiles a lexicon's entries, expanding ``<<fragment>>`` names, and names the file, the
    entry and the fix in every error it raises."""

    def __init__(self, origin: str, fragments: Mapping[str, str]) -> None:
        self.origin = origin
        # The vocabularies other stages share are fragments of every lexicon; a lexicon's own
        # fragments come after, so a user's file may redefine one.
        own = {str(k): " ".join(v.split()) for k, v in fragments.items()}
        self.fragments = {**SHARED_FRAGMENTS, **own}

    def fail(self, where: str, problem: str) -> CuesError:
        return CuesError(f"{self.origin}: {where}: {problem}")

    def compile(self, text: Any, where: str, case_sensitive: bool) -> re.Pattern[str]:
        if not isinstance(text, str) or not text.strip():
            raise self.fail(where, "the pattern must be non-empty text in single quotes.")

        def expand(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.fragments:
                known = ", ".join(sorted(self.fragments)) or "none defined"
                raise self.fail(
                    where, f"unknown fragment <<{name}>>; define it under 'fragments' ({known})."
                )
            return self.fragments[name]

        expanded = _FRAGMENT.sub(expand, text)
        try:
            return re.compile(expanded, 0 if case_sensitive else re.IGNORECASE)
        except re.error as exc:
            raise self.fail(
                where,
                f"not a valid regular expression ({exc.msg} at position {exc.pos}); check "
                "brackets and escape special characters with a backslash.",
            ) from None

    def weight(self, value: Any, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self.fail(where, f"weight must be a number from 0 to 1, not {value!r}.")
        return float(value)

    def weighted(self, entries: Any, section: str) -> tuple[Cue, ...]:
        if not isinstance(entries, list) or not entries:
            raise self.fail(section, "must be a non-empty list of {pattern: ..., weight: ...}.")
        out = []
        for i, entry in enumerate(entries, 1):
            where = f"{section} entry {i}"
            if not isinstance(entry, dict) or "pattern" not in entry or "weight" not in entry:
                raise self.fail(where, "each entry needs 'pattern' and 'weight'.")
            out.append(
                Cue(
                    self.compile(entry["pattern"], where, bool(entry.get("case_sensitive"))),
                    self.weight(entry["weight"], where),
                    str(entry.get("note", "")),
                )
            )
        return tuple(out)

    def words(self, section: dict[str, Any], key: str) -> frozenset[str]:
        value = section.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"modality.{key}", "must be a list of words, e.g. [he, she, board].")
        return frozenset(v.strip().lower() for v in value)

    def plain(self, entries: Any, section: str) -> tuple[re.Pattern[str], ...]:
        if isinstance(entries, str):
            entries = [entries]
        if not isinstance(entries, list) or not entries:
            raise self.fail(section, "must be a pattern or a non-empty list of patterns.")
        return tuple(
            self.compile(e, f"{section} entry {i}", False) for i, e in enumerate(entries, 1)
        )
