"""PDF text with pypdfium2 (fast, with line positions); OCR for pages without a text layer."""

from __future__ import annotations

import ctypes
import io
import itertools
from importlib.metadata import version
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline import config
from pipeline.errors import ExtractionError
from pipeline.ingest import layout, ocr
from pipeline.ingest.model import Extracted, Line, Page

NAME = f"pypdfium2-{version('pypdfium2')}"
# pdfium leaves characters narrower or lower than this out of text rectangles.
_SIZE_EPSILON = ctypes.c_float(0.01).value
# A rectangle that holds every character of any page.
_EVERYWHERE = 1e6


def extract_pdf(data: bytes, *, use_ocr: bool = True) -> Extracted:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ExtractionError(_explain(str(exc))) from None
    try:
        raw_pages: list[list[Line]] = []
        heights: list[float] = []
        ocr_conf: dict[int, float | None] = {}
        missing_ocr = []
        for index in range(len(pdf)):
            page = pdf[index]
            height = page.get_height()
            lines = _text_lines(page, height)
            if sum(len(ln.text) for ln in lines) < config.MIN_TEXT_CHARS_PER_PAGE:
                if use_ocr and ocr.available():
                    lines, conf = _ocr_page(page)
                    ocr_conf[index] = conf
                else:
                    missing_ocr.append(index + 1)
            raw_pages.append(lines)
            heights.append(height)
            page.close()
    finally:
        pdf.close()
    bodies, headers, footers = layout.split_margins(raw_pages, heights)
    pages = [
        Page(
            number=i + 1,
            text=layout.blocks_from_lines(body),
            header=headers[i],
            footer=footers[i],
            ocr=i in ocr_conf,
            ocr_confidence=ocr_conf.get(i),
        )
        for i, body in enumerate(bodies)
    ]
    extractor = NAME + (f"+tesseract-{ocr.version()}" if ocr_conf else "")
    result = Extracted(extractor, pages)
    if missing_ocr:
        result.status = "warning"
        result.message = (
            f"pages {_ranges(missing_ocr)} have no text layer and were not read: "
            f"{ocr.TESSERACT_HINT}"
        )
    elif not any(p.text.strip() for p in pages):
        result.status = "warning"
        result.message = "no text found on any page; if it is a scan, check the image quality"
    return result


def _text_lines(page: pdfium.PdfPage, height: float) -> list[Line]:
    textpage = page.get_textpage()
    try:
        runs = _fast_runs(textpage, height)
        return layout.merge_runs(_exact_runs(textpage, height) if runs is None else runs)
    finally:
        textpage.close()


def _exact_runs(textpage: pdfium.PdfTextPage, height: float) -> list[Line]:
    """One Line per pdfium text rectangle (a run of one text object), read by its bounds.

    The fallback for a page `_fast_runs` declines. Each ``get_text_bounded`` call scans every
    character on the page, so this costs rectangles x characters, and overlapping rectangles
    share characters (see `_fast_runs`).
    """
    runs = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = _clean(textpage.get_text_bounded(left, bottom, right, top))
        if not text.strip():
            continue
        bold, size = _font(textpage.raw, textpage.get_index(left + 1, (top + bottom) / 2, 3, 3))
        runs.append(Line(text, left, height - top, height - bottom, bold, size, right))
    return runs


def _fast_runs(textpage: pdfium.PdfTextPage, height: float) -> list[Line] | None:
    """The page's text runs, sliced from the page text read once; None if unsure.

    A pdfium rectangle is a run of consecutive characters of one text object, so its text is
    its characters' slice of the page text plus the space that follows, provided that page
    text and character indices line up and hold what bounded reads keep (`_page_text`) and that
    every rectangle lies on one line of it (`_spans`). This is also more exact than a bounded
    read where rectangles overlap (an italic word beside a roman one, a superscript): a bounded
    read takes in any character whose box reaches into the rectangle, doubling letters, and
    its hit test for the font can land on a neighbour or, before a narrow opening quote, on
    nothing. Here each run's weight and size are its own first character's.
    """
    raw = textpage.raw
    text = _page_text(raw)
    if text is None:
        return None
    rects = _rects(raw)
    chars = _Chars(raw, text)
    spans = _spans(chars, len(rects))
    if spans is None:
        return None
    runs = []
    # The hot loop of PDF reading (about fifty runs a page): names bound locally on purpose.
    box_of, weight, size_of, make = chars.box, pdfium_c.FPDFText_GetFontWeight, _SIZE, Line
    for (left, bottom, right, top), (first, last) in zip(rects, spans, strict=True):
        box = box_of(first)
        if not (left <= box[0] and bottom <= box[1] and box[2] <= right and box[3] <= top):
            return None  # the span is not this rectangle's: never seen, but never guessed
        run = text[first : last + 1]
        if text[last + 1 : last + 2] == " ":
            run += " "
        if "\r" in run or "\n" in run or "\ufffe" in run:
            run = _clean(run)
        if run.strip():
            bold, size = weight(raw, first) >= 600, round(size_of(raw, first), 1)
            runs.append(make(run, left, height - top, height - bottom, bold, size, right))
    return runs


_SIZE = pdfium_c.FPDFText_GetFontSize


def _clean(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("\ufffe", "")


def _font(raw: Any, index: int | None) -> tuple[bool, float]:
    """Weight and size of one character: they tell headings from body text."""
    if index is None or index < 0:
        return False, 0.0
    bold = pdfium_c.FPDFText_GetFontWeight(raw, index) >= 600
    return bold, round(pdfium_c.FPDFText_GetFontSize(raw, index), 1)


def _page_text(raw: Any) -> str | None:
    """All the page's characters in one call, one per character index; None if unsuitable.

    Control characters have no place in this text and a character outside the BMP takes two
    UTF-16 units: either breaks the index alignment. A bounded read keeps a character only if its
    box has an area, and of several spaces in a row that it does not keep, only the first; so the
    page's bounded text must equal this text, line breaks aside (a bounded read adds one only
    where the baseline moves), for slices of it to equal bounded reads. pdfium writes a hyphen it
    took out of a word as U+FFFE here and as U+0002 in bounded text: that one difference is
    translated.
    """
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return "" if count == 0 else None
    text = _utf16(raw, pdfium_c.FPDFText_GetText, (0, count), count + 2)
    bounded = _utf16(
        raw,
        pdfium_c.FPDFText_GetBoundedText,
        (-_EVERYWHERE, _EVERYWHERE, _EVERYWHERE, -_EVERYWHERE),
        3 * count + 2,  # every character once and a line break after each, at the very most
    )
    if text is None or bounded is None or len(text) != count:
        return None
    if "\ufffe" in text:
        text = text.replace("\ufffe", "\x02")
    return text if text.replace("\r\n", "") == bounded.replace("\r\n", "") else None


def _utf16(raw: Any, read: Any, args: tuple[float, ...], size: int) -> str | None:
    """Text from a pdfium call that fills a UTF-16 buffer and counts what it wrote, NUL included.

    None when the buffer was filled to the end (the text may be cut short): give it room to spare.
    """
    buffer = (ctypes.c_ushort * size)()
    written = read(raw, *args, buffer, size)
    if written <= 0 or written >= size:
        return "" if written == 0 else None
    return bytes(buffer)[: 2 * (written - 1)].decode("utf-16-le", errors="ignore")


def _rects(raw: Any) -> list[tuple[float, float, float, float]]:
    """Every text rectangle of the page as (left, bottom, right, top)."""
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    rects = []
    for i in range(pdfium_c.FPDFText_CountRects(raw, 0, -1)):
        pdfium_c.FPDFText_GetRect(raw, i, left, top, right, bottom)
        rects.append((left.value, bottom.value, right.value, top.value))
    return rects


def _spans(chars: _Chars, n_rects: int) -> list[tuple[int, int]] | None:
    """First and last character index of every rectangle, in pdfium's rectangle order.

    Lines of the page text end at a generated CR LF. pdfium counts the rectangles of any range
    of characters, so a line's count says how many rectangles it holds, and a binary search on
    the count finds where each starts. A rectangle spanning two lines is counted in both: if the
    counts do not add up to the page's, the page goes the exact way.
    """
    text, raw = chars.text, chars.raw
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = text.find("\r\n", start)
        end = len(text) if end < 0 else end
        count = pdfium_c.FPDFText_CountRects(raw, start, end - start) if end > start else 0
        if count:
            first = chars.first_counted(start, end)
            if first == end:
                return None  # a run pdfium counts and this cannot find: not guessed at
            starts = [first]
            for n in range(2, count + 1):  # most lines hold one run, and skip this
                starts.append(_rect_start(raw, start, end, starts[-1], n))
            starts.append(end)
            spans += ((a, chars.last_counted(a, b)) for a, b in itertools.pairwise(starts))
        start = end + 2
    return spans if len(spans) == n_rects else None


def _rect_start(raw: Any, start: int, end: int, previous: int, n: int) -> int:
    """The first character from ``start`` whose range holds ``n`` rectangles (binary search)."""
    lo, hi = previous + 1, end - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if pdfium_c.FPDFText_CountRects(raw, start, mid - start + 1) >= n:
            hi = mid
        else:
            lo = mid + 1
    return lo


class _Chars:
    """Which characters pdfium puts in rectangles, and where they are, for one text page.

    pdfium leaves out generated characters (only ever spaces and line breaks) and those whose
    box is narrower or lower than 0.01 pt. Any other character has a box with an area, or
    `_page_text` would have refused the page, and is taken to be counted without asking: a box
    with an area but under 0.01 pt is the one case that would need the question. Box lookups
    reuse one set of ctypes doubles: allocating four per lookup cost more than the lookup.
    """

    def __init__(self, raw: Any, text: str) -> None:
        self.raw = raw
        self.text = text
        self.doubles = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top

    def counted(self, index: int) -> bool:
        """Whether the character is one of a rectangle's (asking pdfium only about whitespace)."""
        if self.text[index] not in " \r\n":
            return True
        if pdfium_c.FPDFText_IsGenerated(self.raw, index) == 1:
            return False
        left, right, bottom, top = self.doubles
        pdfium_c.FPDFText_GetCharBox(self.raw, index, left, right, bottom, top)
        return (
            ctypes.c_float(right.value - left.value).value >= _SIZE_EPSILON
            and ctypes.c_float(top.value - bottom.value).value >= _SIZE_EPSILON
        )

    def first_counted(self, index: int, stop: int) -> int:
        """The first counted character from ``index`` on, or ``stop`` if none comes before it."""
        while index < stop and not self.counted(index):
            index += 1
        return index

    def last_counted(self, first: int, stop: int) -> int:
        """The last counted character before ``stop``, and not before ``first``."""
        last = stop - 1
        while last > first and not self.counted(last):
            last -= 1
        return last

    def box(self, index: int) -> tuple[float, float, float, float]:
        """The character's box as (left, bottom, right, top), normalised as pdfium compares it."""
        left, right, bottom, top = self.doubles
        pdfium_c.FPDFText_GetCharBox(self.raw, index, left, right, bottom, top)
        x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _ocr_page(page: pdfium.PdfPage) -> tuple[list[Line], float | None]:
    scale = config.OCR_DPI / 72
    image = page.render(scale=scale, grayscale=True).to_pil()
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return ocr.ocr_png(buf.getvalue(), scale)


def _explain(error: str) -> str:
    lowered = error.lower()
    if "password" in lowered:
        return (
            "the PDF is password-protected; save an unprotected copy (or ask its owner "
            "for one) and put that in the corpus"
        )
    if "format" in lowered or "file" in lowered:
        return (
            "not a readable PDF (truncated or corrupt); re-download or re-export it from the "
            "original document"
        )
    return f"the PDF could not be opened ({error}); re-export it from the original document"


def _ranges(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:10]) + (" ..." if len(numbers) > 10 else "")
