"""Word (.docx) documents: paragraphs, lists and tables in body order.

Running headers and footers live in their own parts of a .docx and are never read. Tables give
the same rows as a PDF or HTML table would (see :func:`pipeline.ingest.layout.format_table`).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from importlib.metadata import version
from typing import Any

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline.core import ziplimits
from pipeline.core.config import DEFAULT_LIMITS, Limits
from pipeline.core.errors import ExtractionError
from pipeline.ingest import sniff
from pipeline.ingest.layout import format_table
from pipeline.ingest.model import Extracted, Page

NAME = f"python-docx-{version('python-docx')}"


def extract_docx(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ExtractionError(
            "not a Word .docx file (it is not a zip package); if it is an old .doc or another "
            "format, open it in Word or LibreOffice and save as .docx"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            ziplimits.check(package, len(data), limits)
    except ValueError as exc:  # checked before python-docx inflates anything
        raise ExtractionError(f"the .docx is not read: {exc}") from None
    except (zipfile.BadZipFile, OSError, EOFError):
        pass  # python-docx says it is damaged, below
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for broken packages
        raise ExtractionError(
            sniff.entity_trouble(str(exc), ".docx")
            or f"the .docx package is damaged ({type(exc).__name__}); open and re-save it in Word "
            "or LibreOffice"
        ) from None
    blocks: list[str] = []
    items = _body_items(document.element.body, document)
    _read(items, blocks, blank_separated=_blank_separated(items))
    return Extracted(NAME, [Page(1, "\n\n".join(blocks))])


def _blank_separated(items: list[Paragraph | Table]) -> bool:
    """Whether the author separates paragraphs with empty ones and breaks lines with Enter: then
    sentences in consecutive paragraphs belong to one paragraph."""
    texts = [" ".join(i.text.split()) for i in items if isinstance(i, Paragraph)]
    blank = sum(1 for t in texts if not t)
    runs = sum(1 for a, b in itertools.pairwise(texts) if a and b and a.endswith((".", "?", "!")))
    return blank >= 3 and blank >= 0.15 * len(texts) and runs >= 2


def _read(
    items: list[Paragraph | Table], blocks: list[str], *, blank_separated: bool = False
) -> None:
    """Blocks of a body or a table cell, in order."""
    follows = False  # the paragraph before this one was text, with no empty one between
    for item in items:
        if isinstance(item, Table):
            follows = False
            if _is_box(item):
                # A one-column table drawn round the minutes (a box per item): its cells hold
                # headings, paragraphs and lists, read as running text.
                for row in item.rows:
                    for cell in _distinct_cells(row):
                        _read(_body_items(cell._tc, cell), blocks)
                continue
            blocks.extend("\n".join(b) for b in format_table(_table_rows(item)))
            continue
        text = " ".join(item.text.split())
        if not text:
            follows = False
            continue
        style = (item.style.name if item.style is not None else "") or ""
        numbered = item._p.pPr is not None and item._p.pPr.numPr is not None
        if "List" in style or numbered:
            # A list stays with its lead-in, as the coding manual's units require.
            text = "• " + text
            if blocks:
                blocks[-1] += "\n" + text
                continue
        elif (
            blank_separated
            and follows
            and blocks
            and blocks[-1].endswith((".", "?", "!"))
            and text[:1].isupper()
            and not re.match(r"\d+[.)]?\s|[A-Z][\w ]{0,30}:\s", text)  # "Present: ..."
        ):
            # "Our committee is now larger." / "However, ...": one paragraph, one line a sentence.
            blocks[-1] += "\n" + text
            continue
        blocks.append(text)
        follows = True


def _is_box(table: Table) -> bool:
    """A table of one column whose cells hold several paragraphs: a frame, not a grid."""
    rows = [_distinct_cells(row) for row in table.rows]
    if not rows or any(len(cells) != 1 for cells in rows):
        return False
    return any(sum(1 for p in cells[0].paragraphs if p.text.strip()) > 1 for cells in rows)


def _distinct_cells(row: Any) -> list[Any]:
    out: list[Any] = []
    for cell in row.cells:
        if not out or cell._tc is not out[-1]._tc:
            out.append(cell)
    return out


def _body_items(element: Any, parent: Any) -> list[Paragraph | Table]:
    items: list[Paragraph | Table] = []
    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            items.append(Paragraph(child, parent))
        elif tag == "tbl":
            items.append(Table(child, parent))
    return items


def _table_rows(table: Table) -> list[list[str]]:
    """Cell texts row by row; a cell merged across columns counts once, not once per column."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        rows.append(cells)
    return rows
