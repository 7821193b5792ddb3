"""Render the demo corpus's source text (see README.md) into PDF, DOCX and scanned-PDF documents.

The ingestion pipeline has to cope with what boards really publish, so each format imitates a real
one: typeset minutes with running headers and page numbers, Word files with proper styles, and
image-only scans that need OCR. Output is deterministic (fixed dates, fixed random seeds, stable zip
timestamps) so that rebuilding the committed corpus leaves unchanged documents byte-identical.

Import this module for `parse_source`, `render_pdf`, `render_docx`, `render_scan` and `build`;
importing it has no side effects.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal, cast
from xml.sax.saxutils import escape

import docx
import numpy as np
import pypdfium2 as pdfium
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from PIL import Image, ImageFilter
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

Format = Literal["pdf", "docx", "scan"]
BlockKind = Literal["title", "subtitle", "heading", "list_heading", "paragraph", "table"]

DEFAULT_AUTHOR = "Harrowmere Democratic Services"
# Fixed timestamps: a rebuild must not change documents whose source text did not change.
FIXED_DATETIME = dt.datetime(2025, 1, 1, 9, 0, 0)
_ZIP_DATE_TIME = (2025, 1, 1, 9, 0, 0)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
BODY_FONT = "DejaVuSans"
BOLD_FONT = "DejaVuSans-Bold"

_FRONT_MATTER_KEYS = ("file", "format", "header", "footer", "author")
_REQUIRED_KEYS = ("file", "format")
_SUFFIX_FOR_FORMAT: dict[str, str] = {"pdf": ".pdf", "scan": ".pdf", "docx": ".docx"}
_HEADING_KINDS: dict[int, BlockKind] = {
    1: "title",
    2: "subtitle",
    3: "heading",
    4: "list_heading",
}
# Blocks that a following "- item" line may attach to.
_ITEM_OWNERS: tuple[BlockKind, ...] = ("paragraph", "heading", "list_heading")
_TABLE_RULE = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+$")
_COMMENT = re.compile(r"\s+#.*$")

# Scan imitation: paper is not white, toner is not black, the sheet sits slightly askew.
SCAN_DPI = 300
SCAN_PAPER = 236
SCAN_INK = 28
SCAN_ROTATION_DEGREES = 0.3
SCAN_SPECKLE_DENSITY = 0.00015
SCAN_BLUR_RADIUS = 0.7
SCAN_JPEG_QUALITY = 60
SCAN_PAGE_BUDGET = 560 * 1024  # bytes per scanned page, safely under the corpus's ~600 KB limit


class SourceError(ValueError):
    """A source file does not follow the format in README.md; the message says where and why."""


@dataclass
class Block:
    """One unit of the document body, with the source line it starts on for error messages."""

    kind: BlockKind
    line: int
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class SourceDoc:
    """A parsed source file: its front matter and its body blocks in order."""

    front: dict[str, str]
    blocks: list[Block]
    origin: str = "<source>"  # where the text came from, for error messages

    @property
    def file(self) -> str:
        """Path of the generated document, relative to the corpus folder."""
        return self.front["file"]

    @property
    def format(self) -> Format:
        """Output format, validated by `parse_source`."""
        return cast(Format, self.front["format"])

    @property
    def header(self) -> str:
        return self.front.get("header", "")

    @property
    def footer(self) -> str:
        return self.front.get("footer", "")

    @property
    def author(self) -> str:
        return self.front.get("author", DEFAULT_AUTHOR)

    @property
    def title(self) -> str:
        """Document metadata title: the `# Title` line, else the file name."""
        for block in self.blocks:
            if block.kind == "title":
                return block.text
        return Path(self.file).stem

    def text_chars(self) -> set[str]:
        """Every character that will be printed, so fonts can be checked before rendering."""
        parts = [self.header, self.footer, "Page 0123456789 of"]  # footer's page label too
        for block in self.blocks:
            parts.append(block.text)
            parts.extend(block.items)
            parts.extend(cell for row in block.rows for cell in row)
        return set("".join(parts))


# --------------------------------------------------------------------------------------------
# Parsing


def parse_source(text: str, origin: str = "<source>") -> SourceDoc:
    """Parse a source file's text; `origin` (usually its path) prefixes every error message."""
    lines = text.removeprefix("\ufeff").splitlines()
    front, body_start = _parse_front_matter(lines, origin)
    blocks = _parse_body(lines, body_start, origin)
    if not blocks:
        raise SourceError(f"{origin}: the body after the front matter is empty")
    return SourceDoc(front=front, blocks=blocks, origin=origin)


def _parse_front_matter(lines: list[str], origin: str) -> tuple[dict[str, str], int]:
    """Return the front-matter keys and the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        raise SourceError(f"{origin}:1: the file must start with a '---' front-matter line")
    front: dict[str, str] = {}
    for index in range(1, len(lines)):
        lineno = index + 1
        raw = lines[index]
        if raw.strip() == "---":
            _check_front_matter(front, origin)
            return front, index + 1
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        key, sep, value = raw.partition(":")
        key = key.strip()
        if not sep or not key:
            raise SourceError(f"{origin}:{lineno}: front-matter line is not 'key: value': {raw!r}")
        if key not in _FRONT_MATTER_KEYS:
            raise SourceError(
                f"{origin}:{lineno}: unknown front-matter key {key!r}; "
                f"allowed: {', '.join(_FRONT_MATTER_KEYS)}"
            )
        if key in front:
            raise SourceError(f"{origin}:{lineno}: front-matter key {key!r} given twice")
        front[key] = _unquote(_COMMENT.sub("", value).strip())
    raise SourceError(f"{origin}: the front matter has no closing '---' line")


def _unquote(value: str) -> str:
    """Drop one pair of matching surrounding quotes, as YAML-minded authors may write them."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _check_front_matter(front: dict[str, str], origin: str) -> None:
    """Catch mistakes that would otherwise write a document to the wrong place or format."""
    missing = [key for key in _REQUIRED_KEYS if not front.get(key)]
    if missing:
        raise SourceError(f"{origin}: front matter lacks {', '.join(missing)}")
    fmt = front["format"]
    if fmt not in _SUFFIX_FOR_FORMAT:
        raise SourceError(f"{origin}: format {fmt!r} is not one of pdf, docx, scan")
    target = Path(front["file"])
    if target.is_absolute() or ".." in target.parts:
        raise SourceError(
            f"{origin}: file {front['file']!r} must be a relative path inside the corpus"
        )
    if target.suffix.lower() != _SUFFIX_FOR_FORMAT[fmt]:
        raise SourceError(
            f"{origin}: file {front['file']!r} should end in {_SUFFIX_FOR_FORMAT[fmt]} "
            f"for format {fmt}"
        )


def _parse_body(lines: list[str], start: int, origin: str) -> list[Block]:
    """Turn body lines into blocks: one pass, tracking the open paragraph, list and table."""
    blocks: list[Block] = []
    para: list[str] = []
    para_line = 0
    table: Block | None = None
    in_list = False  # the previous non-blank line was a list item (or its continuation)

    def flush_paragraph() -> None:
        nonlocal para
        if para:
            blocks.append(Block("paragraph", para_line, text=" ".join(para)))
            para = []

    for index in range(start, len(lines)):
        lineno = index + 1
        raw = lines[index]
        stripped = raw.strip()
        where = f"{origin}:{lineno}"

        if not stripped:
            flush_paragraph()
            table = None
            in_list = False
            continue

        if in_list and raw[:1].isspace() and not stripped.startswith("- "):
            blocks[-1].items[-1] += " " + stripped
            continue

        if stripped.startswith("#"):
            flush_paragraph()
            table = None
            in_list = False
            blocks.append(_heading(stripped, lineno, where))
            continue

        if stripped == "-" or stripped.startswith("- "):
            flush_paragraph()
            item = stripped[2:].strip()
            if not item:
                raise SourceError(f"{where}: empty list item")
            if table is not None:
                raise SourceError(f"{where}: list item directly after a table; add a paragraph")
            if not blocks or blocks[-1].kind not in _ITEM_OWNERS:
                raise SourceError(
                    f"{where}: list item has no paragraph or heading above it to belong to"
                )
            blocks[-1].items.append(item)
            in_list = True
            continue

        if stripped.startswith("|"):
            flush_paragraph()
            in_list = False
            if _TABLE_RULE.match(stripped):
                if table is None:
                    raise SourceError(f"{where}: table rule line without a header row above it")
                continue
            if not stripped.endswith("|") or len(stripped) < 2:
                raise SourceError(f"{where}: table row must start and end with '|'")
            cells = [cell.strip() for cell in stripped[1:-1].split("|")]
            if table is None:
                table = Block("table", lineno)
                blocks.append(table)
            elif len(cells) != len(table.rows[0]):
                raise SourceError(
                    f"{where}: table row has {len(cells)} cells but the header row "
                    f"(line {table.line}) has {len(table.rows[0])}"
                )
            table.rows.append(cells)
            continue

        # Plain text: continues the open paragraph, or starts one after a heading, list or table.
        table = None
        in_list = False
        if not para:
            para_line = lineno
        para.append(stripped)

    flush_paragraph()
    return blocks


def _heading(stripped: str, lineno: int, where: str) -> Block:
    """`#` to `####` map to title, subtitle, item heading and list heading; others are mistakes."""
    marks = len(stripped) - len(stripped.lstrip("#"))
    text = stripped[marks:]
    if marks not in _HEADING_KINDS:
        raise SourceError(f"{where}: {'#' * marks} is not a heading level; use # to ####")
    if not text.startswith(" ") or not text.strip():
        raise SourceError(f"{where}: a heading needs a space and text after {'#' * marks}")
    return Block(_HEADING_KINDS[marks], lineno, text=text.strip())


# --------------------------------------------------------------------------------------------
# PDF

_PAGE_WIDTH, _PAGE_HEIGHT = A4
_MARGIN_X = 2.2 * cm
_MARGIN_TOP = 2.6 * cm
_MARGIN_BOTTOM = 2.4 * cm
_RUNNING_SIZE = 8.5
_CELL_SIZE = 9.5


def _configure_reportlab() -> None:
    """Set reportlab's process-wide options; every renderer calls this first, so order is moot.

    Invariant mode fixes the creation date and document ID (and the encryption salt, which
    reportlab reads when it first imports pdfencrypt), so rebuilds are byte-identical. Without
    ASCII85 the streams stay binary, which keeps scanned pages a fifth smaller.
    """
    rl_config.invariant = 1
    rl_config.useA85 = 0
    _register_fonts()


def _register_fonts() -> None:
    """Register DejaVu once per process: it covers the en dashes, curly quotes and £ in minutes."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name in (BODY_FONT, BOLD_FONT):
        if name not in registered:
            font_path = FONT_DIR / f"{name}.ttf"
            if not font_path.exists():
                raise FileNotFoundError(f"font {font_path} is missing (install fonts-dejavu-core)")
            pdfmetrics.registerFont(TTFont(name, str(font_path)))
    pdfmetrics.registerFontFamily(BODY_FONT, normal=BODY_FONT, bold=BOLD_FONT)


def _styles() -> dict[str, ParagraphStyle]:
    """Paragraph gaps (spaceAfter) are well above the line gap so paragraph breaks stay visible."""
    body = ParagraphStyle(
        "body", fontName=BODY_FONT, fontSize=10.5, leading=14, spaceAfter=9, alignment=TA_LEFT
    )
    return {
        "body": body,
        "lead_in": ParagraphStyle("lead_in", parent=body, spaceAfter=3, keepWithNext=1),
        "item": ParagraphStyle(
            "item",
            parent=body,
            leftIndent=22,
            bulletIndent=9,
            spaceAfter=2,
            bulletFontName=BODY_FONT,
        ),
        "last_item": ParagraphStyle(
            "last_item", parent=body, leftIndent=22, bulletIndent=9, bulletFontName=BODY_FONT
        ),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=BOLD_FONT,
            fontSize=15,
            leading=20,
            alignment=TA_CENTER,
            spaceAfter=4,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=body,
            fontName=BOLD_FONT,
            fontSize=11,
            alignment=TA_CENTER,
            spaceAfter=16,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD_FONT,
            fontSize=11,
            spaceBefore=8,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "list_heading": ParagraphStyle(
            "list_heading", parent=body, fontName=BOLD_FONT, spaceAfter=3, keepWithNext=1
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=_CELL_SIZE, leading=12, spaceAfter=0),
        "header_cell": ParagraphStyle(
            "header_cell",
            parent=body,
            fontName=BOLD_FONT,
            fontSize=_CELL_SIZE,
            leading=12,
            spaceAfter=0,
        ),
    }


class _NumberedCanvas(Canvas):
    """Defers each page until the end so the footer can say "Page N of M" (the two-pass trick)."""

    def __init__(self, *args: Any, header: str, footer: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header = header
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_running_text(number, total)
            super().showPage()
        super().save()

    def _draw_running_text(self, number: int, total: int) -> None:
        left, right = _MARGIN_X, _PAGE_WIDTH - _MARGIN_X
        top_y = _PAGE_HEIGHT - 1.5 * cm
        bottom_y = 1.35 * cm
        self.saveState()
        self.setFillColor(colors.HexColor("#333333"))
        self.setStrokeColor(colors.HexColor("#777777"))
        self.setLineWidth(0.5)
        self.setFont(BODY_FONT, _RUNNING_SIZE)
        if self._header:
            self.drawString(left, top_y, self._header)
            self.line(left, top_y - 5, right, top_y - 5)
        self.line(left, bottom_y + 11, right, bottom_y + 11)
        if self._footer:
            self.drawString(left, bottom_y, self._footer)
        self.drawRightString(right, bottom_y, f"Page {number} of {total}")
        self.restoreState()


def _check_printable(doc: SourceDoc) -> None:
    """Fail early on text DejaVu cannot draw or a running line cannot hold, not with a bad page."""
    _configure_reportlab()
    face = pdfmetrics.getFont(BODY_FONT).face
    missing = sorted(c for c in doc.text_chars() if ord(c) not in face.charToGlyph)
    if missing:
        raise SourceError(f"{doc.origin}: characters the font cannot print: {missing!r}")
    width = _PAGE_WIDTH - 2 * _MARGIN_X
    for key, reserve in (("header", 0.0), ("footer", 70.0)):
        text = doc.front.get(key, "")
        if pdfmetrics.stringWidth(text, BODY_FONT, _RUNNING_SIZE) > width - reserve:
            raise SourceError(f"{doc.origin}: the {key} is too long for one line: {text!r}")


def _markup(text: str) -> str:
    """Escape source text for reportlab's mini-HTML: there is no inline markup in the source."""
    return escape(text)


def _story(doc: SourceDoc, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """One flowable per block and list item; a paragraph leading into a list keeps with it."""
    story: list[Flowable] = []
    frame_width = _PAGE_WIDTH - 2 * _MARGIN_X
    for block in doc.blocks:
        if block.kind == "table":
            # A short table moves whole to the next page rather than leaving one row behind.
            story.append(KeepTogether([_pdf_table(block.rows, frame_width, styles)]))
            continue
        if block.kind == "paragraph":
            style = styles["lead_in" if block.items else "body"]
        else:
            style = styles[block.kind]
        story.append(Paragraph(_markup(block.text), style))
        for index, item in enumerate(block.items):
            last = index == len(block.items) - 1
            item_style = styles["last_item" if last else "item"]
            story.append(Paragraph(_markup(item), item_style, bulletText="•"))
    return story


def _pdf_table(rows: list[list[str]], width: float, styles: dict[str, ParagraphStyle]) -> Table:
    """A ruled, full-width table with the header row repeated on each page it spans."""
    col_widths = _column_widths(rows, width)
    data = [
        [Paragraph(_markup(cell), styles["header_cell" if r == 0 else "cell"]) for cell in row]
        for r, row in enumerate(rows)
    ]
    table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT", spaceAfter=10)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), BODY_FONT),  # cells are Paragraphs; avoids Helvetica
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e4e4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _column_widths(rows: list[list[str]], width: float) -> list[float]:
    """Share the width so no word is broken (while possible); long cells get the spare room."""
    padding = 12.5  # reportlab's default 6 pt left and right cell padding, plus rounding slack

    def text_width(text: str, header: bool) -> float:
        return pdfmetrics.stringWidth(text, BOLD_FONT if header else BODY_FONT, _CELL_SIZE)

    columns = list(zip(*rows, strict=True))
    natural = [max(text_width(c, r == 0) for r, c in enumerate(col)) + padding for col in columns]
    minimum = [
        max(text_width(word, r == 0) for r, c in enumerate(col) for word in c.split() or [""])
        + padding
        for col in columns
    ]
    if sum(natural) <= width:
        return [n * width / sum(natural) for n in natural]
    spare = width - sum(minimum)
    if spare <= 0:
        return [m * width / sum(minimum) for m in minimum]
    wants = [n - m for n, m in zip(natural, minimum, strict=True)]
    return [m + spare * want / sum(wants) for m, want in zip(minimum, wants, strict=True)]


def render_pdf(doc: SourceDoc, path: Path | io.BytesIO, *, password: str | None = None) -> None:
    """Typeset `doc` as A4 minutes; `password` encrypts it (only the test fixtures need that)."""
    _configure_reportlab()
    _check_printable(doc)
    template = SimpleDocTemplate(
        path if isinstance(path, io.BytesIO) else str(path),
        pagesize=A4,
        leftMargin=_MARGIN_X,
        rightMargin=_MARGIN_X,
        topMargin=_MARGIN_TOP,
        bottomMargin=_MARGIN_BOTTOM,
        title=doc.title,
        author=doc.author,
        subject=doc.header,
        creator="involve corpora/build/render.py",
        invariant=1,
        encrypt=password,
        initialFontName=BODY_FONT,  # otherwise reportlab declares an unused, unembedded Helvetica
    )
    canvasmaker: Callable[..., Canvas] = partial(
        _NumberedCanvas, header=doc.header, footer=doc.footer
    )
    template.build(_story(doc, _styles()), canvasmaker=canvasmaker)


# --------------------------------------------------------------------------------------------
# DOCX


def _add_field(paragraph: DocxParagraph, instruction: str) -> None:
    """Insert a Word field (PAGE, NUMPAGES) that Word computes when it lays the document out."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def render_docx(doc: SourceDoc, path: Path) -> None:
    """Write `doc` as a Word file using Word's own styles, as a clerk's template would."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)

    section = document.sections[0]
    if doc.header:
        section.header.paragraphs[0].text = doc.header
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(
        section.page_width - section.left_margin - section.right_margin,  # type: ignore[operator]
        WD_TAB_ALIGNMENT.RIGHT,
    )
    footer.add_run(f"{doc.footer}\tPage ")
    _add_field(footer, "PAGE")
    footer.add_run(" of ")
    _add_field(footer, "NUMPAGES")

    for block in doc.blocks:
        if block.kind in ("title", "subtitle"):
            para = document.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = para.add_run(block.text)
            run.bold = True
            run.font.size = Pt(16 if block.kind == "title" else 12)
        elif block.kind == "heading":
            document.add_heading(block.text, level=2)
        elif block.kind == "list_heading":
            document.add_paragraph().add_run(block.text).bold = True
        elif block.kind == "paragraph":
            document.add_paragraph(block.text)
        else:
            _docx_table(document, block.rows)
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")

    props = document.core_properties
    props.author = doc.author
    props.last_modified_by = doc.author
    props.title = doc.title
    props.comments = ""  # the template says "generated by python-docx"; real minutes would not
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.revision = 1
    _write_stable_zip(document, path)


def _docx_table(document: DocxDocument, rows: list[list[str]]) -> None:
    """A gridded Word table with a bold header row, then an empty paragraph as Word users add."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell_para = table.cell(r, c).paragraphs[0]
            cell_para.add_run(text).bold = r == 0
    document.add_paragraph()


def _write_stable_zip(document: DocxDocument, path: Path) -> None:
    """python-docx stamps zip entries with the current time; rewrite them with a fixed one."""
    buffer = io.BytesIO()
    document.save(buffer)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))


# --------------------------------------------------------------------------------------------
# Scans


def _scanned_look(page: Image.Image, seed: int) -> Image.Image:
    """Greyscale page -> a plausible scan: soft edges, off-white paper, grey toner, skew, speckles.

    The blur imitates scanner optics and also keeps the JPEG pages a third smaller.
    """
    lut = [round(SCAN_INK + value * (SCAN_PAPER - SCAN_INK) / 255) for value in range(256)]
    toned = page.filter(ImageFilter.GaussianBlur(SCAN_BLUR_RADIUS)).point(lut)
    skewed = toned.rotate(
        SCAN_ROTATION_DEGREES, resample=Image.Resampling.BICUBIC, fillcolor=SCAN_PAPER
    )
    pixels = np.array(skewed)
    rng = np.random.default_rng(seed)
    speckles = rng.random(pixels.shape) < SCAN_SPECKLE_DENSITY
    pixels[speckles] = rng.integers(70, 170, int(speckles.sum()), dtype=np.uint8)
    return Image.fromarray(pixels)


def _jpeg_within_budget(image: Image.Image, quality: int) -> bytes:
    """JPEG-encode a page, lowering the quality only if a dense page would exceed the budget."""
    while True:
        encoded = io.BytesIO()
        image.save(encoded, "JPEG", quality=quality, optimize=True)
        if encoded.tell() <= SCAN_PAGE_BUDGET or quality <= 20:
            return encoded.getvalue()
        quality -= 10


def render_scan(
    doc: SourceDoc, path: Path, *, dpi: int = SCAN_DPI, quality: int = SCAN_JPEG_QUALITY
) -> None:
    """Write an image-only PDF of `doc` (no text layer at all), as if its printout was scanned.

    Each page is typeset by `render_pdf`, rasterised by PDFium and roughened by `_scanned_look`;
    reportlab then embeds the JPEG bytes unchanged, one full-page image per page.
    """
    typeset = io.BytesIO()
    render_pdf(doc, typeset)
    # A TrueType initial font keeps reportlab from declaring Helvetica: a scan has no fonts.
    scan = Canvas(str(path), invariant=1, initialFontName=BODY_FONT)
    scan.setTitle(doc.title)
    scan.setAuthor(doc.author)
    scan.setCreator("involve corpora/build/render.py (scan)")
    with pdfium.PdfDocument(typeset.getvalue()) as pdf:
        for index, page in enumerate(pdf):
            width, height = page.get_size()
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            seed = zlib.crc32(f"{doc.file}#{index}".encode())
            image = _scanned_look(bitmap.to_pil().convert("L"), seed)
            jpeg = _jpeg_within_budget(image, quality)
            scan.setPageSize((width, height))
            scan.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, width=width, height=height)
            scan.showPage()
    scan.save()


# --------------------------------------------------------------------------------------------
# Build

_RENDERERS: dict[str, Callable[[SourceDoc, Path], None]] = {
    "pdf": render_pdf,
    "docx": render_docx,
    "scan": render_scan,
}


def build(src_dir: Path, out_dir: Path) -> list[Path]:
    """Render every `*.txt` source in `src_dir` into `out_dir`; only writes, never deletes.

    All sources are parsed before anything is written, so one bad file leaves the corpus as it was.
    """
    sources = sorted(Path(src_dir).glob("*.txt"))
    docs: list[SourceDoc] = []
    origin_of: dict[str, Path] = {}
    for source in sources:
        doc = parse_source(source.read_text(encoding="utf-8"), origin=str(source))
        if doc.file in origin_of:
            raise SourceError(
                f"{source}: file {doc.file!r} is also produced by {origin_of[doc.file]}"
            )
        if doc.format != "docx":
            _check_printable(doc)
        origin_of[doc.file] = source
        docs.append(doc)
    written: list[Path] = []
    for doc in docs:
        target = Path(out_dir) / doc.file
        target.parent.mkdir(parents=True, exist_ok=True)
        _RENDERERS[doc.format](doc, target)
        written.append(target)
    return written
