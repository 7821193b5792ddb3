"""What ingestion produces: a document's text, page by page, with where it came from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Line:
    """A line of text on a page, positions in points from the page's top-left corner.

    Treated as immutable (`dataclasses.replace` makes changed copies) but not frozen: a page
    makes about a hundred of these, and a frozen dataclass takes seven times as long to build.
    """

    text: str
    x0: float
    top: float
    bottom: float
    bold: bool = False
    size: float = 0.0
    x1: float = 0.0  # right edge; 0 when the source gives no width
    # Which text column of a two-column page the line sits in: 0 full width, 1 left, 2 right.
    column: int = 0
    # Lines sharing a non-zero block id form one block of their own (a table, or one table row).
    block: int = 0
    # The run follows the one before it on its line of the PDF's own text with no space between.
    # PDF readers space words by the glyphs' advance widths and the font's space, which the runs'
    # ink boxes cannot show: a kerned pair set as two runs is one word whatever its ink gap.
    glued: bool = False
    # OCR's layout analysis starts a paragraph here: scans set paragraphs without a wider gap,
    # and tesseract tells them apart by indents and short last lines, which the text cannot show.
    par: bool = False
    # OCR read a table's ruled border just before this run: it opens a cell, however close the
    # words before it (a narrow cell's padding is less than a wide word space).
    cell: bool = False


@dataclass
class Page:
    """One page of body text.

    ``text`` holds blocks (paragraphs, headings, list runs) separated by a blank line, and the lines
    of a block separated by single newlines; list items start with "• ". Running headers and footers
    are removed from ``text`` and kept in ``header`` and ``footer``.
    """

    number: int
    text: str
    header: str = ""
    footer: str = ""
    ocr: bool = False
    ocr_confidence: float | None = None


@dataclass
class Extracted:
    """The result of reading one file: pages, or the reason there are none."""

    extractor: str
    pages: list[Page] = field(default_factory=list)
    status: str = "ok"
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extracted:
        pages = [Page(**p) for p in data.get("pages", [])]
        return cls(data["extractor"], pages, data.get("status", "ok"), data.get("message", ""))

    @classmethod
    def from_cache(cls, data: Any) -> Extracted | None:
        """A cached result, or None when the entry is not the shape `to_json` writes (a cache
        edited, or written by other code): a bad entry is a miss, never a crash."""
        if not isinstance(data, dict) or not isinstance(data.get("pages"), list):
            return None
        if not all(isinstance(data.get(k), str) for k in ("extractor", "status", "message")):
            return None
        for page in data["pages"]:
            if not (
                isinstance(page, dict)
                and set(page) <= _PAGE_TYPES.keys()
                and {"number", "text"} <= set(page)
                and all(isinstance(v, _PAGE_TYPES[k]) for k, v in page.items())
                and not isinstance(page["number"], bool)
            ):
                return None
        return cls.from_json(data)


# The JSON types of each Page field, for checking a cache entry.
_PAGE_TYPES: dict[str, type | tuple[type, ...]] = {
    "number": int,
    "text": str,
    "header": str,
    "footer": str,
    "ocr": bool,
    "ocr_confidence": (int, float, type(None)),
}
