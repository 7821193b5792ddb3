"""PDF text with pypdfium2 (fast, with line positions); OCR for pages without a text layer."""

from __future__ import annotations

import ctypes
import io
import re
from dataclasses import replace
from importlib.metadata import version
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.core import config
from pipeline.core.errors import ExtractionError
from pipeline.ingest import layout, ocr
from pipeline.ingest.model import Extracted, Line, Page

NAME = f"pypdfium2-{version('pypdfium2')}"


def extract_pdf(
    data: bytes, *, use_ocr: bool = True, limits: config.Limits = config.DEFAULT_LIMITS
) -> Extracted:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ExtractionError(_explain(str(exc))) from None
    try:
        raw_pages: list[list[Line]] = []
        heights: list[float] = []
        ocr_conf: dict[int, float | None] = {}
        missing_ocr: list[int] = []
        over_cap: list[int] = []  # scanned pages past --max-ocr-pages
        lowered: list[int] = []  # pages OCR'd below 300 dpi for --max-ocr-megapixels
        unloadable: list[int] = []  # pages pdfium cannot load (a damaged or cyclic page tree)
        for index in range(len(pdf)):
            # pdfium's own page, without pypdfium2's wrapper (a tenth of the Python work of a
            # page): only OCR and the rare exact reading of runs load that.
            page = pdfium_c.FPDF_LoadPage(pdf.raw, index)
            if not page:
                # Kept as an empty page, so that the pages after it keep their numbers.
                unloadable.append(index + 1)
                raw_pages.append([])
                heights.append(_LETTER_HEIGHT)
                continue
            try:
                height = pdfium_c.FPDF_GetPageHeightF(page)
                lines = _text_lines(pdf, index, page, height)
            finally:
                pdfium_c.FPDF_ClosePage(page)
            if sum(len(ln.text) for ln in lines) < config.MIN_TEXT_CHARS_PER_PAGE:
                if use_ocr and ocr.available() and len(ocr_conf) >= limits.max_ocr_pages:
                    over_cap.append(index + 1)
                elif use_ocr and ocr.available():
                    lines, conf, full = _ocr_page(pdf, index, limits.max_ocr_megapixels)
                    ocr_conf[index] = conf
                    if not full:
                        lowered.append(index + 1)
                else:
                    missing_ocr.append(index + 1)
            raw_pages.append(lines)
            heights.append(height)
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
    if unloadable and len(unloadable) == len(pages):
        raise ExtractionError(
            f"none of its {len(pages)} pages can be loaded (its page tree is damaged or loops "
            "back on itself); re-export it from the original document"
        )
    if unloadable:
        result.status = "warning"
        result.message = (
            f"pages {_ranges(unloadable)} cannot be loaded (the PDF's page tree is damaged or "
            "loops back on itself) and were left out; re-export it from the original document"
        )
    elif missing_ocr:
        result.status = "warning"
        fix = ocr.TESSERACT_HINT if not ocr.available() else "run again without --no-ocr"
        pages_no = _ranges(missing_ocr)
        result.message = f"pages {pages_no} have no text layer and were not read: {fix}"
    elif over_cap:
        result.status = "warning"
        result.message = (
            f"pages {_ranges(over_cap)} have no text layer and were not OCR'd: past the limit of "
            f"{limits.max_ocr_pages} OCR'd pages a file (raise it with --max-ocr-pages)"
        )
    elif lowered:
        result.status = "warning"
        result.message = (
            f"pages {_ranges(lowered)} are too large to OCR at {config.OCR_DPI} dpi and were "
            f"read at a lower resolution (--max-ocr-megapixels {limits.max_ocr_megapixels:g}); "
            "check their text"
        )
    elif not any(p.text.strip() for p in pages):
        result.status = "warning"
        result.message = "no text found on any page; if it is a scan, check the image quality"
    return result


# The height given a page that cannot be loaded (it has no text, so only the margins see it).
_LETTER_HEIGHT = 792.0


def _text_lines(pdf: pdfium.PdfDocument, index: int, page: Any, height: float) -> list[Line]:
    """The lines of page ``index`` (``page``, pdfium's own handle to it)."""
    raw = pdfium_c.FPDFText_LoadPage(page)
    try:
        runs = _fast_runs(raw, height)
    finally:
        pdfium_c.FPDFText_ClosePage(raw)
    if runs is None:
        wrapped = pdf[index]
        textpage = wrapped.get_textpage()
        try:
            runs = _exact_runs(textpage, height)
        finally:
            textpage.close()
            wrapped.close()
    return layout.merge_runs(runs)


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


def _fast_runs(raw: Any, height: float) -> list[Line] | None:
    """The page's text runs from its text read once, line by line; None if unsure.

    pdfium's page text breaks lines where the baseline moves, and for any range of characters
    it gives the rectangles of the text-object runs in it. So each line of the page text asks
    for its rectangles once: most lines are one run, taken whole; a line of several runs (table
    cells, a word in italics) is cut where each run starts (a binary search on the count). A
    run's weight and size are its own first character's. This is also more exact than reading
    each rectangle by its bounds (`_exact_runs`), which doubles letters where rectangles overlap
    and whose hit test for the font can land on a neighbour or, before an opening quote, on
    nothing. None when character indices and the text do not line up (a character outside the
    Basic Multilingual Plane takes two UTF-16 units), and the exact way is taken.

    Where the page text runs one run into the next with no space, `_word_break` says whether
    they are one word (the run is ``glued``) or a word space pdfium missed (the run gets one).
    """
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return [] if count == 0 else None
    text = _utf16(raw, pdfium_c.FPDFText_GetText, (0, count), count + 2)
    if text is None or len(text) != count:
        return None
    if "\ufffe" in text:  # a hyphen pdfium took out of a word broken across lines
        text = text.replace("\ufffe", "-")
    runs: list[Line] = []
    # The hot loop of PDF reading (about fifty lines a page): names bound locally on purpose.
    count_rects, get_rect = pdfium_c.FPDFText_CountRects, pdfium_c.FPDFText_GetRect
    weight, size_of, make, extend = pdfium_c.FPDFText_GetFontWeight, _size, Line, runs.extend
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    start = 0
    for line in text.split("\r\n"):
        end = start + len(line)
        n = count_rects(raw, start, end - start) if line else 0
        if n == 1:  # most lines: one run, the whole line
            stripped = line.lstrip()
            if stripped:
                get_rect(raw, 0, left, top, right, bottom)
                first = end - len(stripped)
                one = make(
                    line,
                    left.value,
                    height - top.value,
                    height - bottom.value,
                    weight(raw, first) >= 600,
                    size_of(raw, first),
                    right.value,
                )
                extend(_cells(raw, one, start))
        elif n:
            cuts = [start]
            for k in range(2, n + 1):
                cuts.append(_rect_start(raw, start, end, cuts[-1], k))
            cuts.append(end)
            count_rects(raw, start, end - start)  # the searches replaced the line's rects
            for k in range(n):
                run = text[cuts[k] : cuts[k + 1]]
                stripped = run.lstrip()
                if not stripped:
                    continue
                get_rect(raw, k, left, top, right, bottom)
                first = cuts[k] + len(run) - len(stripped)
                glued, base = False, cuts[k]
                if k and first == cuts[k] and not text[first - 1].isspace():
                    space, glued = _word_break(raw, first, text[first - 1 : first + 1])
                    run, base = (" " + run, base - 1) if space else (run, base)
                piece = make(
                    run,
                    left.value,
                    height - top.value,
                    height - bottom.value,
                    weight(raw, first) >= 600,
                    size_of(raw, first),
                    right.value,
                    glued=glued,
                )
                extend(_cells(raw, piece, base))
        start = end + 2
    return runs


# Between two words of one text run, white space this many times the type size is a tab to the
# next cell, not a word space: Word sets an untabled attendance list ("Name  Organisation
# Affiliation") as one run a row, its cells a tab stop apart. Justified lines stretch word spaces
# to about a type size at most; tab stops stand several apart.
_TAB_GAP = 2.5
_SPACES = re.compile(" +")


def _cells(raw: Any, run: Line, first: int) -> list[Line]:
    """``run`` (its text's first character is the page's character ``first``) cut where a space
    is wider than a tab's (`_TAB_GAP`), so that table cells set with tabs become runs of their
    own."""
    text, size = run.text, run.size or 10.0
    words = text.strip()
    if " " not in words:
        return [run]
    cuts: list[tuple[int, float, float]] = []  # (offset of the next cell, its left, right before)
    for space in _SPACES.finditer(text.rstrip()):
        if space.start() == 0:
            continue
        pdfium_c.FPDFText_GetLooseCharBox(raw, first + space.start() - 1, _LEFT)
        pdfium_c.FPDFText_GetLooseCharBox(raw, first + space.end(), _RIGHT)
        if _RIGHT.left - _LEFT.right >= _TAB_GAP * size:
            cuts.append((space.end(), _RIGHT.left, _LEFT.right))
    if not cuts:
        return [run]
    out, start, x0 = [], 0, run.x0
    for after, next_left, right_before in cuts:
        out.append(replace(run, text=text[start:after], x0=x0, x1=right_before))
        start, x0 = after, next_left
    out.append(replace(run, text=text[start:], x0=x0, glued=False))
    return out


# Between the advance boxes of two characters, a share of the type size at and above which they
# are two words. In the real minutes checked, 99.9% of the letters of a word stand within 0.06 of
# the size of each other and 99.9% of word spaces are 0.115 of it or more (a space is 0.22 to 0.28
# in common fonts): about half a narrow space divides them.
_WORD_SPACE = 0.11
_LEFT, _RIGHT = pdfium_c.FS_RECTF(), pdfium_c.FS_RECTF()
_CLOSING = frozenset(".,;:!?)]")


def _word_break(raw: Any, index: int, pair: str) -> tuple[bool, bool]:
    """(a word space, one word) between character ``index`` and the one before (``pair`` holds
    both), in one line of pdfium's text with nothing between them, where a new run starts.

    Word's PDFs set a kerned pair or a change of letter spacing inside a word as runs of their
    own ("1" "8", "w" "hite"), whose ink boxes stand apart as far as words' can; and pdfium, which
    spaces its text by advance widths, now and then runs two words together. The advance boxes
    tell both apart: letters' touch, words' stand a space apart. A new run that opens on a
    capital after closing punctuation starts a word however close it is set: a list's number
    ("11." "The", "(m)" "In") exported with no space or tab after it. Neither when the run starts
    left of the one before (a line set out of order), where the boxes compare nothing.
    """
    if pair[:1] in _CLOSING and pair[1:].isupper():
        return True, False
    pdfium_c.FPDFText_GetLooseCharBox(raw, index - 1, _LEFT)
    pdfium_c.FPDFText_GetLooseCharBox(raw, index, _RIGHT)
    gap = _RIGHT.left - _LEFT.right
    size = _size(raw, index) or 1.0
    if gap >= _WORD_SPACE * size:
        return True, False
    return False, gap > -size


def _size(raw: Any, index: int) -> float:
    """The size of one character as it is seen on the page, in points.

    pdfium's font size is the one the text was set in, before the text and page matrices scale
    it: Word and LibreOffice often set a size of 1 and scale it up to 11.
    """
    scale = 1.0
    if pdfium_c.FPDFText_GetMatrix(raw, index, _MATRIX):
        scale = abs(_MATRIX.a * _MATRIX.d - _MATRIX.b * _MATRIX.c) ** 0.5
    return round(pdfium_c.FPDFText_GetFontSize(raw, index) * scale, 1)


_MATRIX = pdfium_c.FS_MATRIX()


def _clean(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("\ufffe", "").replace("\x02", "-")


def _font(raw: Any, index: int | None) -> tuple[bool, float]:
    """Weight and size of one character: they tell headings from body text."""
    if index is None or index < 0:
        return False, 0.0
    bold = pdfium_c.FPDFText_GetFontWeight(raw, index) >= 600
    return bold, _size(raw, index)


def _utf16(raw: Any, read: Any, args: tuple[float, ...], size: int) -> str | None:
    """Text from a pdfium call that fills a UTF-16 buffer and counts what it wrote, NUL included.

    None when the buffer was filled to the end (the text may be cut short): give it room to spare.
    """
    buffer = (ctypes.c_ushort * size)()
    written = read(raw, *args, buffer, size)
    if written <= 0 or written >= size:
        return "" if written == 0 else None
    return bytes(buffer)[: 2 * (written - 1)].decode("utf-16-le", errors="ignore")


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


def _ocr_page(
    pdf: pdfium.PdfDocument, index: int, max_megapixels: float
) -> tuple[list[Line], float | None, bool]:
    """A scanned page's lines and confidence, and whether it was rendered at the full
    resolution: a page larger than ``max_megapixels`` at 300 dpi is rendered smaller, so that
    its bitmap never takes more memory than the cap (a 5 m page would take 3.6 GB)."""
    scale = config.OCR_DPI / 72
    buf = io.BytesIO()
    page = pdf[index]
    try:
        width, height = page.get_size()
        pixels = max(width * scale, 1) * max(height * scale, 1)
        full = pixels <= max_megapixels * 1e6
        if not full:
            scale *= (max_megapixels * 1e6 / pixels) ** 0.5
        page.render(scale=scale, grayscale=True).to_pil().save(buf, format="PNG")
    finally:
        page.close()
    lines, conf = ocr.ocr_png(buf.getvalue(), scale)
    return lines, conf, full


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
