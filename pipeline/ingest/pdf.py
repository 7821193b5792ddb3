"""PDF text with pypdfium2 (fast, with line positions); OCR for pages without a text layer."""

from __future__ import annotations

import io
from importlib.metadata import version

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline import config
from pipeline.errors import ExtractionError
from pipeline.ingest import layout, ocr
from pipeline.ingest.model import Extracted, Line, Page

NAME = f"pypdfium2-{version('pypdfium2')}"


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
        runs = []
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            text = textpage.get_text_bounded(left, bottom, right, top)
            text = text.replace("\r", " ").replace("\n", " ").replace("\ufffe", "")
            if not text.strip():
                continue
            # Font weight and size of the run's first character tell headings from body text.
            index = textpage.get_index(left + 1, (top + bottom) / 2, 3, 3)
            bold, size = False, 0.0
            if index is not None and index >= 0:
                bold = pdfium_c.FPDFText_GetFontWeight(textpage.raw, index) >= 600
                size = round(pdfium_c.FPDFText_GetFontSize(textpage.raw, index), 1)
            runs.append(Line(text, left, height - top, height - bottom, bold, size, right))
        return layout.merge_runs(runs)
    finally:
        textpage.close()


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
