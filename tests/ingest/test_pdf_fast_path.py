"""The fast way of reading a PDF page's text runs agrees with reading them by bounds, and is
right where bounded reads are not.

`pipeline.ingest.pdf` slices runs from the page text read once (`_fast_runs`) instead of asking
pdfium for each run's text by its rectangle (`_exact_runs`), which scans the whole page per run.
Where rectangles do not overlap the two must agree on every run (text, position, weight, size),
except that the fast way knows the size of a run that opens with a narrow glyph, where the
bounded read's hit test finds no character (size 0). Where rectangles overlap (italic beside
roman, a superscript) a bounded read doubles letters; the fast way must give the words as set.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from pipeline.ingest import pdf as pdf_module
from pipeline.ingest.model import Line
from pipeline.ingest.pdf import _exact_runs, _fast_runs, extract_pdf

DEMO = Path(__file__).resolve().parents[2] / "corpora" / "demo"


def _runs(path: Path) -> Iterator[tuple[int, list[Line] | None, list[Line]]]:
    """(page number, fast runs, exact runs) for every page of a PDF."""
    with pdfium.PdfDocument(path) as pdf:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            height = page.get_height()
            yield index + 1, _fast_runs(textpage.raw, height), _exact_runs(textpage, height)
            textpage.close()
            page.close()


def _rects(textpage: pdfium.PdfTextPage) -> list[tuple[float, float, float, float]]:
    return [textpage.get_rect(i) for i in range(textpage.count_rects())]


def _overlapping(rects: list[tuple[float, float, float, float]]) -> set[int]:
    """Indices of rectangles that share an area with another (pdfium's test for intersection)."""
    found: set[int] = set()
    for i, (left, bottom, right, top) in enumerate(rects):
        for j, (o_left, o_bottom, o_right, o_top) in enumerate(rects[:i]):
            if max(left, o_left) < min(right, o_right) and max(bottom, o_bottom) < min(top, o_top):
                found.update((i, j))
    return found


def _agree(fast: list[Line], exact: list[Line], overlapping: set[int]) -> None:
    """Same runs, positions, weights and sizes, where the bounded read can be trusted."""
    assert len(fast) == len(exact)
    for i, (f, e) in enumerate(zip(fast, exact, strict=True)):
        if i in overlapping:
            continue
        assert f.text.strip() == e.text.strip()
        assert (f.x0, f.top, f.bottom, f.x1) == pytest.approx((e.x0, e.top, e.bottom, e.x1))
        if e.size:  # 0: the bounded read's hit test found no character to ask
            assert (f.bold, f.size) == (e.bold, e.size)


def _readable_pdfs(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*.pdf")):
        try:
            pdfium.PdfDocument(path).close()
        except pdfium.PdfiumError:
            continue  # the corrupt, empty and protected fixtures
        found.append(path)
    return found


@pytest.mark.parametrize(
    "path",
    _readable_pdfs(Path(__file__).resolve().parents[1] / "fixtures" / "files")
    + _readable_pdfs(DEMO),
    ids=lambda p: p.name,
)
def test_fast_runs_equal_exact_runs_on_every_fixture_and_demo_page(path: Path) -> None:
    for number, fast, exact in _runs(path):
        assert fast is not None, f"page {number} left the fast path"
        with pdfium.PdfDocument(path) as doc:
            textpage = doc[number - 1].get_textpage()
            overlapping = _overlapping(_rects(textpage))
            textpage.close()
        _agree(fast, exact, overlapping)


def test_overlapping_runs_and_mixed_fonts_read_as_set(tmp_path: Path) -> None:
    """Inline bold and italic words, a superscript, tight leading and overprinted words.

    Runs in different fonts touch or overlap, where a bounded read takes in its neighbour's
    characters: the words must come out as they were set, each once.
    """
    path = tmp_path / "mixed.pdf"
    words = "the <b>board</b> agreed that <i>carers</i> should be heard x<super>2</super> before"
    text = " ".join([words] * 12)
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Paragraph(text, getSampleStyleSheet()["BodyText"]) for _ in range(6)]
    )
    canvas_path = tmp_path / "tight.pdf"
    canvas = Canvas(str(canvas_path), pagesize=A4)
    lines = canvas.beginText(50, 800)
    lines.setFont("Helvetica", 11)
    lines.setLeading(9)  # lines closer than the type is high: their rectangles overlap
    for i in range(20):
        lines.textLine(f"Item {i}: carers' respite and crisis support")
    canvas.drawText(lines)
    canvas.save()
    for pdf in (path, canvas_path):
        with pdfium.PdfDocument(pdf) as doc:
            textpage = doc[0].get_textpage()
            assert _overlapping(_rects(textpage)), "the case meant to be tested is not there"
            textpage.close()
    mixed = " ".join(extract_pdf(path.read_bytes()).pages[0].text.split())
    plain = "the board agreed that carers should be heard x2 before"
    assert mixed == " ".join([" ".join([plain] * 12)] * 6)
    tight = extract_pdf(canvas_path.read_bytes()).pages[0].text.split("\n")
    assert [ln for ln in tight if ln.strip()] == [
        f"Item {i}: carers' respite and crisis support" for i in range(20)
    ]


def test_a_page_the_fast_way_declines_is_read_the_exact_way(
    fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (fixtures_dir / "mini-minutes.pdf").read_bytes()
    expected = extract_pdf(data, use_ocr=False)
    monkeypatch.setattr(pdf_module, "_fast_runs", lambda raw, height: None)
    assert extract_pdf(data, use_ocr=False) == expected
