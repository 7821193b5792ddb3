"""Word (.docx) documents: paragraphs, lists and tables in body order.

Running headers and footers live in their own parts of a .docx and are never read. Tables give
the same rows as a PDF or HTML table would (see :func:`pipeline.ingest.layout.format_table`).
"""

from __future__ import annotations

import io
import zipfile
from importlib.metadata import version

import docx
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline.errors import ExtractionError
from pipeline.ingest.layout import format_table
from pipeline.ingest.model import Extracted, Page

NAME = f"python-docx-{version('python-docx')}"


def extract_docx(data: bytes) -> Extracted:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ExtractionError(
            "not a Word .docx file (it is not a zip package); if it is an old .doc or another "
            "format, open it in Word or LibreOffice and save as .docx"
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for broken packages
        raise ExtractionError(
            f"the .docx package is damaged ({type(exc).__name__}); open and re-save it in Word "
            "or LibreOffice"
        ) from None
    blocks: list[str] = []
    for item in _body_items(document):
        if isinstance(item, Table):
            blocks.extend("\n".join(b) for b in format_table(_table_rows(item)))
            continue
        text = " ".join(item.text.split())
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        numbered = item._p.pPr is not None and item._p.pPr.numPr is not None
        if "List" in style or numbered:
            # A list stays with its lead-in, as the coding manual's units require.
            text = "• " + text
            if blocks:
                blocks[-1] += "\n" + text
                continue
        blocks.append(text)
    return Extracted(NAME, [Page(1, "\n\n".join(blocks))])


def _body_items(document: Document) -> list[Paragraph | Table]:
    items: list[Paragraph | Table] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            items.append(Paragraph(child, document))
        elif tag == "tbl":
            items.append(Table(child, document))
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
