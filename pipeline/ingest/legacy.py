"""Legacy Word (.doc, Word 97-2003) documents: paragraphs, lists and tables, read with antiword.

antiword (a small Debian package, installed by `make install`) writes a .doc as DocBook XML,
which keeps what a .docx reader sees: paragraphs, bulleted and numbered lists, and tables as rows
of cells. The blocks are the .docx reader's: a paragraph is a block, list items are "• " lines
kept with their lead-in, and tables give the rows of
:func:`pipeline.ingest.layout.format_table`. antiword leaves out running headers and footers, as
the .docx reader does, and a .doc has no fixed pages, so its text is page 1.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from pipeline.core.errors import ExtractionError
from pipeline.ingest.layout import format_table
from pipeline.ingest.model import Extracted, Page

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A long set of minutes takes antiword a few milliseconds; a minute means it is stuck.
TIMEOUT_S = 60
_INSTALL = (
    "reading .doc files needs antiword, which is not installed; run `make install` (as root), "
    "or `apt-get install antiword` (Debian, Ubuntu) or `brew install antiword` (macOS); or open "
    "the file in Word or LibreOffice and save as .docx"
)
_RESAVE = "open it in Word or LibreOffice and save as .docx"
# What antiword says on stderr, and what it means for the user.
_MESSAGES = (
    (
        re.compile(r"Encrypted", re.I),
        "the .doc is password-protected; open it in Word or LibreOffice with the password and "
        "save an unprotected copy as .docx",
    ),
    (
        re.compile(r"before Word 6|version of Word is not supported|fast ?saved|autosave", re.I),
        "the .doc was saved by a Word older than Word 6, or 'fast saved', which antiword cannot "
        f"read; {_RESAVE}",
    ),
    (
        re.compile(
            r"damaged|corrupt|too small|can't find the (?:text|data)|not a Word|not possible", re.I
        ),
        f"the .doc is damaged or truncated; {_RESAVE}",
    ),
)


@functools.cache
def _antiword() -> str | None:
    return shutil.which("antiword")


def available() -> bool:
    """Whether antiword is installed, so that .doc files can be read."""
    return _antiword() is not None


@functools.cache
def name() -> str:
    """The extractor's name with antiword's version, as the documents table records it."""
    path = _antiword()
    if path is None:
        return "antiword"
    shown = subprocess.run(
        [path, "-h"],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=TIMEOUT_S,
        env=_environment(),
    )
    found = re.search(r"Version:\s*(\S+)", shown.stdout + shown.stderr)
    return f"antiword-{found.group(1)}" if found else "antiword"


def _environment() -> dict[str, str]:
    # antiword refuses to start without HOME (it looks there for its own settings), which a
    # service or a CI job may not set; the character mapping is its own, not the locale's.
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tempfile.gettempdir()}


def extract_doc(data: bytes) -> Extracted:
    if not data.startswith(OLE_MAGIC):
        raise ExtractionError(
            "not a Word 97-2003 .doc file (it does not start as one); if it is another format, "
            f"{_RESAVE}"
        )
    path = _antiword()
    if path is None:
        raise ExtractionError(_INSTALL)
    with tempfile.TemporaryDirectory(prefix="involve-doc-") as tmp:
        source = Path(tmp) / "document.doc"
        source.write_bytes(data)
        try:
            done = subprocess.run(
                [path, "-x", "db", str(source)],
                capture_output=True,
                timeout=TIMEOUT_S,
                env=_environment(),
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ExtractionError(
                f"antiword did not finish reading the .doc in {TIMEOUT_S} s; {_RESAVE}"
            ) from None
    problem = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0 or not done.stdout.strip():
        raise ExtractionError(_ole_contents(data) or _explain(problem))
    return Extracted(name(), [Page(1, "\n\n".join(docbook_blocks(done.stdout)))])


def _ole_contents(data: bytes) -> str | None:
    """What an Office file that antiword could not read holds instead of a Word document.

    An old Office file is a little file system; its directory names its streams in UTF-16, so
    a spreadsheet, a presentation or a password-protected .docx can be told by name.
    """
    if _stream("WordDocument") in data:
        return None
    if _stream("EncryptedPackage") in data:
        return (
            "a password-protected Word file; open it in Word or LibreOffice with the password "
            "and save an unprotected copy as .docx"
        )
    for stream, what in (
        ("Workbook", "an Excel spreadsheet"),
        ("Book", "an Excel spreadsheet"),
        ("PowerPoint Document", "a PowerPoint presentation"),
    ):
        if _stream(stream) in data:
            return (
                f"not a Word document but {what} with a .doc name; open it in the program that "
                "made it and export it as PDF"
            )
    return None


def _stream(name: str) -> bytes:
    return (name + "\0").encode("utf-16-le")


def _explain(problem: str) -> str:
    for pattern, message in _MESSAGES:
        if pattern.search(problem):
            return message
    detail = f" (antiword: {problem.splitlines()[0][:120]})" if problem else ""
    return f"the .doc could not be read{detail}; {_RESAVE}"


# ----------------------------------------------------------------------------- DocBook
_LISTS = {"itemizedlist", "orderedlist"}
_CONTAINERS = {"book", "chapter", "sect1", "sect2", "sect3", "sect4", "sect5", "section"}
# The book's title is the file's Title property, not a line of the document.
_SKIPPED = {"bookinfo", "footnote", "remark"}


def docbook_blocks(xml: bytes) -> list[str]:
    """antiword's DocBook as blocks: paragraphs and titles, lists with their lead-in, tables."""
    # recover: a damaged .doc can leave stray control characters in otherwise sound output.
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    root = etree.fromstring(xml, parser)
    blocks: list[str] = []
    if root is not None:
        _read(root, blocks)
    return blocks


def _read(parent: etree._Element, blocks: list[str]) -> None:
    for child in parent:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED or (tag == "title" and parent.tag == "book"):
            continue
        if tag in ("para", "title"):
            # antiword puts a table inside the paragraph that holds it.
            text = _text(child)
            if "[pic]" in text:  # where antiword found a picture: a logo, not words
                text = " ".join(text.replace("[pic]", " ").split())
            if "|" in text:
                text = _without_cell_marks(text)
            if text:
                blocks.append(text)
            _read(child, blocks)
        elif tag in _LISTS:
            for item in _items(child):
                # A list stays with its lead-in, as the coding manual's units require.
                if blocks:
                    blocks[-1] += "\n" + item
                else:
                    blocks.append(item)
        elif tag in ("informaltable", "table"):
            blocks.extend("\n".join(b) for b in format_table(_rows(child)))
        elif tag in _CONTAINERS:
            _read(child, blocks)


def _without_cell_marks(text: str) -> str:
    """A paragraph of a table antiword could not lay out, its cell marks ("|") tidied.

    antiword writes such a table as paragraphs, ending each cell with "|" and starting an empty
    one with "|": the rows cannot be told apart any more, but runs of marks and marks at the ends
    of a paragraph are noise, and the rest separate cells as a table row's " | " would.
    """
    return " | ".join(part.strip() for part in text.split("|") if part.strip())


def _items(element: etree._Element) -> Iterator[str]:
    """A list's items as "• " lines, nested lists flattened in order."""
    for item in element.iterchildren("listitem"):
        parts: list[str] = []
        for child in item:
            if child.tag in _LISTS:
                if parts:
                    yield "• " + " ".join(parts)
                    parts = []
                yield from _items(child)
            elif isinstance(child.tag, str) and (text := _text(child)):
                parts.append(text)
        if parts:
            yield "• " + " ".join(parts)


def _rows(table: etree._Element) -> list[list[str]]:
    return [
        [" ".join(_all_text(entry).split()) for entry in row.iterchildren("entry")]
        for row in table.iter("row")
    ]


def _text(element: etree._Element) -> str:
    """An element's own words, without the tables and lists it holds (read as blocks)."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in (
            _LISTS | {"informaltable", "table", "footnote"}
        ):
            parts.append(_all_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _all_text(element: etree._Element) -> str:
    return "".join(_texts_without_notes(element))


def _texts_without_notes(element: etree._Element) -> Iterator[str]:
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str) and child.tag != "footnote":
            yield from _texts_without_notes(child)
        if child.tail:
            yield child.tail
