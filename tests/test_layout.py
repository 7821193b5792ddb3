"""Layout analysis: positioned lines to paragraphs, running headers and footers set aside."""

from __future__ import annotations

import pytest

from pipeline.ingest.layout import blocks_from_lines, merge_runs, signature, split_margins
from pipeline.ingest.model import Line

PAGE_HEIGHT = 842.0  # A4 in points


def line(
    text: str,
    top: float,
    height: float = 10.0,
    *,
    x0: float = 72.0,
    bold: bool = False,
    size: float = 10.5,
) -> Line:
    return Line(text, x0, top, top + height, bold, size)


def paragraph(texts: list[str], top: float, pitch: float = 14.0, **kw: object) -> list[Line]:
    return [line(t, top + i * pitch, **kw) for i, t in enumerate(texts)]  # type: ignore[arg-type]


def blocks(lines: list[Line]) -> list[list[str]]:
    return [b.split("\n") for b in blocks_from_lines(lines).split("\n\n")]


# --------------------------------------------------------------------------- signature
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Page 1 of 12", "Page 7 of 12"),
        (
            "Harrowmere Board – Minutes – 19 January 2023",
            "HARROWMERE BOARD - MINUTES - 19 JANUARY 2023",
        ),
        ("Draft minutes   Page 3", "Draft minutes Page 4"),
    ],
)
def test_signature_ignores_case_digits_page_numbers_and_spacing(a: str, b: str) -> None:
    assert signature(a) == signature(b)


def test_signature_tells_different_text_apart() -> None:
    assert signature("Draft minutes") != signature("Approved minutes")


# --------------------------------------------------------------------------- merge_runs
def test_runs_on_one_line_are_joined_left_to_right() -> None:
    runs = [line("Board.", 100, x0=300), line("The", 100, x0=72), line("met the", 100.5, x0=100)]
    merged = merge_runs(runs)
    assert [m.text for m in merged] == ["The met the Board."]
    assert merged[0].x0 == 72


def test_a_raised_bullet_joins_its_line_but_the_next_line_does_not() -> None:
    runs = [
        line("•", 98, height=8, x0=72),
        line("Carer representative", 99, x0=84),
        line("Next line", 113, x0=72),
    ]
    assert [m.text for m in merge_runs(runs)] == ["• Carer representative", "Next line"]


def test_blank_runs_are_dropped() -> None:
    assert merge_runs([line("   ", 100), line("Text", 120)])[0].text == "Text"


# --------------------------------------------------------------------------- split_margins
def three_pages(footer_on: tuple[bool, bool, bool] = (True, True, True)) -> list[list[Line]]:
    pages = []
    for n, with_footer in enumerate(footer_on, start=1):
        lines = [
            line("Eastbrook Carers Forum – Minutes – 14 March 2024", 36),
            line(f"Body text of page {n}.", 300),
        ]
        if with_footer:
            lines.append(line(f"Draft minutes Page {n} of 3", 800))
        pages.append(lines)
    return pages


def test_running_header_and_footer_are_removed_and_kept() -> None:
    bodies, headers, footers = split_margins(three_pages(), [PAGE_HEIGHT] * 3)
    for n, (body, header, footer) in enumerate(zip(bodies, headers, footers, strict=True), 1):
        assert [ln.text for ln in body] == [f"Body text of page {n}."]
        assert header == "Eastbrook Carers Forum – Minutes – 14 March 2024"
        assert footer == f"Draft minutes Page {n} of 3"


def test_a_bare_page_number_is_removed_even_from_a_single_page() -> None:
    page = [line("Only page of text.", 300), line("- 1 -", 805)]
    bodies, _, footers = split_margins([page], [PAGE_HEIGHT])
    assert [ln.text for ln in bodies[0]] == ["Only page of text."]
    assert footers == ["- 1 -"]


def test_a_margin_line_on_one_page_of_three_is_body_text() -> None:
    pages = three_pages()
    pages[1].append(line("Signed as a correct record", 780))
    bodies, _, _ = split_margins(pages, [PAGE_HEIGHT] * 3)
    assert "Signed as a correct record" in [ln.text for ln in bodies[1]]


def test_repeated_text_in_the_middle_of_pages_is_never_a_header() -> None:
    pages = [[line("The Chair thanked members.", 400)] for _ in range(3)]
    bodies, headers, footers = split_margins(pages, [PAGE_HEIGHT] * 3)
    assert all(len(b) == 1 for b in bodies)
    assert headers == footers == ["", "", ""]


def test_single_page_margin_text_is_kept_when_it_cannot_be_seen_to_repeat() -> None:
    page = [line("Harrowmere Board", 36), line("Body.", 300)]
    bodies, headers, _ = split_margins([page], [PAGE_HEIGHT])
    assert [ln.text for ln in bodies[0]] == ["Harrowmere Board", "Body."]
    assert headers == [""]


# --------------------------------------------------------------------------- blocks
def test_wrapped_lines_of_a_paragraph_form_one_block() -> None:
    lines = [
        *paragraph(["The Chair welcomed everyone to the", "meeting and noted apologies."], 100),
        *paragraph(["Dr Menon presented the report on", "crisis services."], 151),
    ]
    assert blocks(lines) == [
        ["The Chair welcomed everyone to the", "meeting and noted apologies."],
        ["Dr Menon presented the report on", "crisis services."],
    ]


def test_a_bold_heading_set_close_above_its_paragraph_is_its_own_block() -> None:
    lines = [
        line("3. Crisis services", 100, bold=True, size=11),
        *paragraph(["Dr Menon presented the report.", "It was noted."], 114),
    ]
    assert blocks(lines) == [
        ["3. Crisis services"],
        ["Dr Menon presented the report.", "It was noted."],
    ]


def test_a_change_of_font_size_starts_a_block() -> None:
    lines = [line("Eastbrook Carers Forum", 100, size=15), line("Minutes of the meeting", 114)]
    assert len(blocks(lines)) == 2


@pytest.mark.parametrize("glyph", ["•", "●", "▪", "-", "–", "*", "¢", "«"])
def test_bullets_are_normalised(glyph: str) -> None:
    """Typeset bullets and tesseract's usual misreadings of "•" all become "• "."""
    lines = paragraph(
        ["Present:", f"{glyph} Gillian Harcourt (Chair)", f"{glyph} Tomasz Nowicki"], 100
    )
    assert blocks(lines) == [["Present:", "• Gillian Harcourt (Chair)", "• Tomasz Nowicki"]]


def test_paragraphs_are_found_despite_ocr_jitter() -> None:
    """OCR line boxes wobble by a point or two; paragraph gaps (half a line more) still show.

    Three paragraphs of four lines at a nominal 14 pt pitch and a 22 pt gap, each line's top and
    bottom nudged as tesseract's boxes are, and a list with slightly looser spacing above them.
    """
    lines = [line(f"• item {i}", 60 + 16.3 * i, height=9.5) for i in range(5)]
    top = 160.0
    wobble = [(-1.2, 0.8), (0.9, -0.4), (-0.6, 1.3), (1.4, -1.0)]
    expected = []
    for p in range(3):
        texts = [f"paragraph {p} line {i}" for i in range(4)]
        for i, (dt, db) in enumerate(wobble):
            t = top + 14.0 * i
            lines.append(Line(texts[i], 72.0, t + dt, t + 10.5 + db))
        expected.append(texts)
        top += 14.0 * 3 + 21.5
    assert blocks(lines) == [[f"• item {i}" for i in range(5)], *expected]


def test_no_lines_give_no_text() -> None:
    assert blocks_from_lines([]) == ""


def test_lines_are_read_top_to_bottom_whatever_order_they_come_in() -> None:
    lines = paragraph(["first line", "second line", "third line"], 100)
    assert blocks(list(reversed(lines))) == [["first line", "second line", "third line"]]
