"""Documents' paths in the outputs, with no one's name in them.

A file or folder name can name a person ("casework/Ruth Ellison/letter.docx", "notes from
paul-rigby.txt"), and the path is copied into every table, the DuckDB file, the reports'
citations and the REFI-QDA export. A path part (a folder, or a file's name) that holds a name
is replaced whole by a neutral id: ``folder-N`` for a folder, ``document-<doc_id>`` for a file,
its extension kept. Parts with no name stay as they are ("minutes/2023-01-19-minutes.pdf"),
so citations still read and gold files still match. The real path goes to the names key only.

A part holds a name when one of its words is a word of a name the run hid (the roster's
people, people on no list), or a given name (or a word rarely written in lower case)
followed by a word that is no ordinary word ("Desmond Cranby", "seraphina-pimley"), or, with
NER on, the trained pipeline's PERSON. The second errs towards privacy: a folder named after
a place and a river ("Eddington Tyne") becomes neutral too, a loss of readability only.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath

from pipeline.core import vocab
from pipeline.segment.namewords import is_given_name, ordinariness

_COMMON = 1.5  # ordinariness above which a word is too common to open a name ("casework")
_LETTERS = re.compile(r"[^\W\d_]+")
# Words a file name is made of that the census lists also give as names ("August", "Mark").
_DOCUMENT_WORDS = frozenset(
    [
        "minutes",
        "agenda",
        "papers",
        "paper",
        "notes",
        "meeting",
        "board",
        "draft",
        "final",
        "approved",
        "action",
        "log",
        "report",
        "item",
        "appendix",
        "annex",
        "public",
        "private",
        "part",
        "version",
        "signed",
        "unsigned",
        "agm",
        *vocab.MONTHS,
    ]
)


def name_words(names: Iterable[str]) -> frozenset[str]:
    """Lower-cased words of the names the run hid, two letters or more."""
    return frozenset(
        w.lower() for n in names for w in _LETTERS.findall(n) if len(w) >= 2 and w[:1].isupper()
    )


def holds_name(part: str, known: frozenset[str], ner_people: Sequence[str] = ()) -> bool:
    """Whether a path part names a person (see the module's docstring)."""
    words = [w for w in _LETTERS.findall(part) if len(w) >= 2]
    lower = [w.lower() for w in words]
    if any(w in known and w not in _DOCUMENT_WORDS for w in lower):
        return True
    for here, after in itertools.pairwise(lower):
        if here in _DOCUMENT_WORDS or after in _DOCUMENT_WORDS or len(after) < 4:
            continue
        first, last = here.capitalize(), after.capitalize()
        # A given name ("Una", three letters will do), or a word rarely written in lower case,
        # then another such word.
        given = is_given_name(first) if len(here) >= 3 else False
        if len(here) < 4 and not given:
            continue
        if (given or ordinariness(first) < -1) and ordinariness(last) < 0:
            return True
        if ordinariness(first) < _COMMON and ordinariness(last) == float("-inf"):
            return True  # "femi-tarrmore": a name that is also a word, then an unknown word
    # NER alone takes a common word for a name now and then ("Agendas" as a PERSON): only its
    # uncommon words count.
    return any(
        w.lower() in lower and ordinariness(w.capitalize()) < _COMMON
        for p in ner_people
        for w in _LETTERS.findall(p)
    )


def readable(part: str) -> str:
    """A path part as words, for NER: separators to spaces, each word capitalised."""
    return " ".join(w.capitalize() for w in re.split(r"[\s_.\-]+", part) if w)


def neutral_paths(
    sources: Mapping[str, str],
    known: frozenset[str],
    ner_people: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, str]:
    """``{real path: output path}`` for ``sources`` (path -> doc_id). A folder holding a name
    becomes ``folder-N`` (numbered in path order, the same folder the same N), a file's name
    ``document-<doc_id>`` with its extension."""
    ner_people = ner_people or {}
    folders: dict[str, str] = {}
    out: dict[str, str] = {}
    for source in sorted(sources):
        path = PurePosixPath(source)
        parts = list(path.parts)
        for i, part in enumerate(parts[:-1]):
            prefix = "/".join(parts[: i + 1])
            if prefix not in folders:
                named = holds_name(part, known, ner_people.get(part, ()))
                folders[prefix] = f"folder-{len(folders) + 1}" if named else part
            parts[i] = folders[prefix]
        stem = path.stem
        if holds_name(stem, known, ner_people.get(stem, ())):
            parts[-1] = f"document-{sources[source]}{path.suffix}"
        out[source] = "/".join(parts)
    # Numbers only for the folders renamed: an untouched folder keeps its name.
    renamed = sorted(k for k, v in folders.items() if v.startswith("folder-") and v != k)
    number = {k: f"folder-{i + 1}" for i, k in enumerate(renamed)}
    return {s: _renumber(s, p, number) for s, p in out.items()}


def _renumber(source: str, path: str, number: Mapping[str, str]) -> str:
    real, done = source.split("/"), path.split("/")
    for i in range(len(real) - 1):
        prefix = "/".join(real[: i + 1])
        if prefix in number:
            done[i] = number[prefix]
    return "/".join(done)


def path_parts(sources: Iterable[str]) -> list[str]:
    """Every folder and file stem in ``sources``, once each: what NER is asked about."""
    parts: dict[str, None] = {}
    for source in sources:
        path = PurePosixPath(source)
        parts.update(dict.fromkeys([*path.parts[:-1], path.stem]))
    return list(parts)
