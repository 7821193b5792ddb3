"""REFI-QDA exchange: the coding as a project NVivo, ATLAS.ti, MAXQDA and QualCoder open, and back.

A ``.qdpx`` file is a zip holding ``project.qde`` (XML in the namespace ``urn:QDA-XML:project:1.0``)
and the sources' texts under ``sources/``; a ``.qdc`` file is a codebook alone (XML in
``urn:QDA-XML:codebook:1.0``). :mod:`pipeline.qda.export` writes both from an analysis's tables;
:mod:`pipeline.qda.read` reads any tool's project, and :mod:`pipeline.evaluate.gold` turns its human
coding into a gold table.

**Offsets.** ``startPosition`` and ``endPosition`` count Unicode code points (Python ``str``
indices, not UTF-8 bytes or UTF-16 units) from 0 at the first character of the source's plain text,
after any byte-order mark; the end is exclusive, so a selection's text is ``text[start:end]``. Line
endings count as the characters they are: our sources use ``\\n`` alone, one character.
"""

from __future__ import annotations

from typing import Final

PROJECT_NS: Final = "urn:QDA-XML:project:1.0"
CODEBOOK_NS: Final = "urn:QDA-XML:codebook:1.0"
PROJECT_FILE: Final = "project.qde"
SOURCES_DIR: Final = "sources"
INTERNAL_PREFIX: Final = "internal://"
# The export's user for machine codings is "involve classifier <version>"; importers treat every
# other user as a human coder.
MACHINE_USER_PREFIX: Final = "involve classifier"
# A source is named by its path in the corpus, but tools that copy each source to a file of that
# name (QualCoder) fail on "/": the export writes folder separators as this look-alike, and the
# import turns them back, so that a reviewed project still joins to the units.
FOLDER_SEPARATOR: Final = "\u2215"  # DIVISION SLASH


def source_name(path: str) -> str:
    """The REFI-QDA name of the source for a corpus path."""
    return path.replace("/", FOLDER_SEPARATOR)


def source_path(name: str) -> str:
    """The corpus path of a REFI-QDA source's name (`source_name` undone)."""
    return name.replace(FOLDER_SEPARATOR, "/")
