"""OpenDocument text (.odt): paragraphs, lists and tables in body order, from its content.xml.

An .odt is a zip package whose content.xml holds the body as plain XML, so lxml reads it
directly, and the result has the same blocks as a .docx: a paragraph or heading is a block, list
items are "• " lines kept with their lead-in, and tables give the rows of
:func:`pipeline.ingest.layout.format_table`. Running headers and footers live in styles.xml and
are never read, as in a .docx. An .odt has no fixed pages, so its text is page 1.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from importlib.metadata import version

from lxml import etree

from pipeline.core import ziplimits
from pipeline.core.config import DEFAULT_LIMITS, Limits
from pipeline.core.errors import ExtractionError
from pipeline.ingest import sniff
from pipeline.ingest.layout import format_table
from pipeline.ingest.model import Extracted, Page

NAME = f"lxml-{version('lxml')}-odf"

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "",
    "application/vnd.oasis.opendocument.text-template": "",
    "application/vnd.oasis.opendocument.spreadsheet": "a spreadsheet (.ods)",
    "application/vnd.oasis.opendocument.presentation": "a presentation (.odp)",
    "application/vnd.oasis.opendocument.graphics": "a drawing (.odg)",
}
# A cell repeated across many columns is an empty filler; its copies add nothing past a few.
_MAX_REPEAT = 20
_RESAVE = "open it in LibreOffice or Word and save it again as .odt or .docx"


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


_P, _H = _q(_TEXT, "p"), _q(_TEXT, "h")
_LIST, _LIST_ITEM, _LIST_HEADER = (
    _q(_TEXT, "list"),
    _q(_TEXT, "list-item"),
    _q(_TEXT, "list-header"),
)
_SECTION = _q(_TEXT, "section")
_S, _TAB, _BREAK = _q(_TEXT, "s"), _q(_TEXT, "tab"), _q(_TEXT, "line-break")
_TABLE_EL, _ROW, _CELL = _q(_TABLE, "table"), _q(_TABLE, "table-row"), _q(_TABLE, "table-cell")
_ROW_GROUPS = {_q(_TABLE, n) for n in ("table-header-rows", "table-rows", "table-row-group")}
_SKIPPED_IN_TEXT = {
    _q(_TEXT, "note"),  # footnotes and endnotes: a .docx keeps them apart from the body too
    _q(_OFFICE, "annotation"),  # reviewers' comments
    _q(_TEXT, "tracked-changes"),  # deleted text kept for change tracking
    "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame",  # logos and their alt text
}


def extract_odt(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    content = _content_xml(data, limits)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise ExtractionError(
            sniff.entity_trouble(exc.msg, ".odt")
            or f"the .odt's text (content.xml) is damaged ({exc.msg}); {_RESAVE}"
        ) from None
    body = root.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    if body is None:
        raise ExtractionError(f"the .odt holds no text body (content.xml); {_RESAVE}")
    blocks: list[str] = []
    _read_children(body, blocks)
    return Extracted(NAME, [Page(1, "\n\n".join(blocks))])


def _content_xml(data: bytes, limits: Limits) -> bytes:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(b"PK\x03\x04"):
            # Starts as a zip but its directory, written last, is missing: a cut-off copy.
            raise ExtractionError(
                "the .odt package is truncated (an incomplete download or copy); download or "
                "copy it again, or open and re-save the original in LibreOffice"
            )
        raise ExtractionError(
            "not an OpenDocument .odt file (it is not a zip package); if it is another format, "
            "open it in LibreOffice or Word and save as .odt or .docx"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            mimetype = (
                package.read("mimetype").decode("ascii", "replace").strip()
                if "mimetype" in names
                else ""
            )
            other = _MIMETYPES.get(mimetype)
            if other:
                raise ExtractionError(
                    f"not a text document but an OpenDocument {other} with an .odt name; "
                    "export it as PDF, or copy its text into a document"
                )
            if "word/document.xml" in names:
                raise ExtractionError(
                    "not an OpenDocument file but a Word .docx with an .odt name; rename it to "
                    ".docx so it is read as a Word document"
                )
            if "META-INF/manifest.xml" in names and b"encryption-data" in package.read(
                "META-INF/manifest.xml"
            ):
                raise ExtractionError(
                    "the .odt is password-protected; open it in LibreOffice with the password "
                    "and save an unprotected copy (File > Save As, untick 'Save with password')"
                )
            if "content.xml" not in names:
                raise ExtractionError(f"the .odt package has no content.xml (damaged); {_RESAVE}")
            try:
                ziplimits.check(package, len(data), limits)
            except ValueError as exc:
                raise ExtractionError(f"the .odt is not read: {exc}") from None
            return package.read("content.xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise ExtractionError(
            f"the .odt package is damaged ({type(exc).__name__}); {_RESAVE}"
        ) from None


def _read_children(parent: etree._Element, blocks: list[str]) -> None:
    """Blocks of a body, section or other container, in document order."""
    for child in parent:
        tag = child.tag
        if tag in (_P, _H):
            text = _paragraph_text(child)
            if text:
                blocks.append(text)
        elif tag == _LIST:
            for is_item, text in _list_lines(child):
                # A list stays with its lead-in, as the coding manual's units require.
                if is_item and blocks:
                    blocks[-1] += "\n" + text
                else:
                    blocks.append(text)
        elif tag == _TABLE_EL and _is_box(child):
            # A one-column table drawn round the minutes: its cells read as running text.
            for row in _rows(child):
                for cell in row:
                    if cell.tag == _CELL:
                        _read_children(cell, blocks)
        elif tag == _TABLE_EL:
            blocks.extend("\n".join(b) for b in format_table(_table_rows(child)))
        elif tag == _SECTION:
            _read_children(child, blocks)
        # Anything else (tables of contents that repeat the headings, tracked deletions,
        # form and sequence declarations) is not body text.


def _is_box(table: etree._Element) -> bool:
    """A table of one column whose cells hold several paragraphs: a frame, not a grid."""
    rows = [[c for c in row if c.tag == _CELL] for row in _rows(table)]
    if not rows or any(len(cells) != 1 for cells in rows):
        return False
    return any(sum(1 for p in _paragraphs(cells[0]) if _paragraph_text(p)) > 1 for cells in rows)


def _list_lines(element: etree._Element) -> Iterator[tuple[bool, str]]:
    """A list's lines in order, nested lists flattened: (whether it is an item, its text).

    An item is a "• " line, its further paragraphs joined to it. A heading inside a list is
    outline numbering, not a list item: it stays a heading. A list header is an unnumbered line
    that belongs to the list.
    """
    for item in element:
        if item.tag not in (_LIST_ITEM, _LIST_HEADER):
            continue
        bullet = "• " if item.tag == _LIST_ITEM else ""
        parts: list[str] = []
        for child in item:
            if child.tag == _H or child.tag == _LIST:
                if parts:
                    yield True, bullet + " ".join(parts)
                    parts = []
                if child.tag == _LIST:
                    yield from _list_lines(child)
                elif text := _paragraph_text(child):
                    yield False, text
            elif child.tag == _P:
                if text := _paragraph_text(child):
                    parts.append(text)
            elif child.tag == _TABLE_EL:
                parts.extend(" ".join(cells) for cells in _table_rows(child) if any(cells))
        if parts:
            yield True, bullet + " ".join(parts)


def _table_rows(table: etree._Element) -> list[list[str]]:
    """Cell texts row by row; a cell merged across columns counts once, as in a .docx."""
    rows: list[list[str]] = []
    for row in _rows(table):
        cells: list[str] = []
        for cell in row:
            if cell.tag != _CELL:
                continue  # covered cells (the rest of a merged cell) hold nothing of their own
            text = _cell_text(cell)
            cells.extend([text] * _count(cell, "number-columns-repeated"))
        rows.extend([cells] * (_count(row, "number-rows-repeated") if any(cells) else 1))
    return rows


def _count(element: etree._Element, attribute: str) -> int:
    """How many times a row or cell repeats, within reason (a broken value counts once)."""
    value = element.get(_q(_TABLE, attribute), "1")
    return max(1, min(int(value), _MAX_REPEAT)) if value.isdigit() else 1


def _rows(parent: etree._Element) -> Iterator[etree._Element]:
    for child in parent:
        if child.tag == _ROW:
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from _rows(child)


def _cell_text(cell: etree._Element) -> str:
    """All the text of a cell on one line: its paragraphs, list items and any nested table."""
    return " ".join(t for t in map(_paragraph_text, _paragraphs(cell)) if t)


def _paragraphs(element: etree._Element) -> Iterator[etree._Element]:
    for child in element:
        if child.tag in (_P, _H):
            yield child
        elif child.tag not in _SKIPPED_IN_TEXT and isinstance(child.tag, str):
            yield from _paragraphs(child)


def _paragraph_text(element: etree._Element) -> str:
    """A paragraph's words, spaces and tabs as spaces, whitespace runs collapsed."""
    parts: list[str] = []
    _collect(element, parts)
    return " ".join("".join(parts).split())


def _collect(element: etree._Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if tag in (_S, _TAB, _BREAK):
            parts.append(" ")  # however many spaces <text:s> stands for: runs are collapsed
        elif tag in _SKIPPED_IN_TEXT or tag in (_P, _H):
            pass  # a paragraph inside a paragraph is a text box's or a note's, not body text
        elif isinstance(tag, str):
            _collect(child, parts)
        if child.tail:
            parts.append(child.tail)
