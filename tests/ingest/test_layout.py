"""Layout analysis: positioned lines to paragraphs, running headers and footers set aside."""

from __future__ import annotations

import pytest

from pipeline.ingest.layout import (
    blocks_from_lines,
    format_table,
    merge_runs,
    signature,
    split_margins,
)
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


Run = tuple[str, float, float, bool]


def glyphs(*runs: Run, size: float = 11.0) -> list[Line]:
    """Runs of one line as (text, left, right, glued), set in ``size`` points."""
    return [
        Line(t, x0, 100.0, 110.0, False, size, x1, **({"glued": True} if g else {}))
        for t, x0, x1, g in runs
    ]


@pytest.mark.parametrize(
    ("runs", "expected"),
    [
        # The PDF's text runs "1" and "8" together: one word, however far apart their ink.
        ((("on ", 60, 70, False), ("1", 73.6, 77.6, False), ("8 ", 78.7, 84, True)), "on 18"),
        ((("w", 72, 80, False), ("hite", 81.5, 98, True)), "white"),
    ],
)
def test_runs_the_pdf_sets_as_one_word_join_without_a_space(
    runs: tuple[Run, ...], expected: str
) -> None:
    assert merge_runs(glyphs(*runs))[0].text == expected


def test_without_the_pdfs_word_the_ink_gap_is_read_against_the_type_size() -> None:
    """Ink 1.1 pt apart is one word at 11 pt, and two at 6 pt, where a space is about 1.5 pt."""
    runs = (("Ave", 72, 90, False), ("nue", 91.1, 110, False))
    assert merge_runs(glyphs(*runs))[0].text == "Avenue"
    assert merge_runs(glyphs(*runs, size=6.0))[0].text == "Ave nue"


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


HEADING = ["Westmoor Residents Association meeting", "Minutes of the meeting held on 18 October"]


def headed_pages(heading_at: list[float], n: int = 3) -> list[list[Line]]:
    """``n`` pages with the two heading lines at each page's ``heading_at`` top, below the margin
    band, and a footer line set just above it."""
    return [
        [
            *(line(t, top + 15 * i) for i, t in enumerate(HEADING)),
            line(f"Body text of page {k}.", 300),
            line("OFFICIAL", 768),
        ]
        for k, top in zip(range(1, n + 1), heading_at * n, strict=False)
    ]


def test_a_heading_repeated_at_one_height_below_the_margin_is_running() -> None:
    """Word sets its header well below the page's edge; the first page keeps it as its title."""
    bodies, headers, footers = split_margins(headed_pages([100.0]), [PAGE_HEIGHT] * 3)
    assert [ln.text for ln in bodies[0]] == [*HEADING, "Body text of page 1."]
    for n, (body, header) in enumerate(zip(bodies[1:], headers[1:], strict=True), 2):
        assert [ln.text for ln in body] == [f"Body text of page {n}."]
        assert header == "\n".join(HEADING)
    assert footers == ["OFFICIAL"] * 3


@pytest.mark.parametrize(
    "pages",
    [
        # The same words at another height on every page: an item heading, not a header.
        headed_pages([100.0, 130.0, 160.0]),
        # Below a line of body text: a repeated table row or heading, not a header.
        [
            [line(first, 90), *page]
            for first, page in zip(
                ["Apologies were received.", "The minutes were agreed.", "Actions were reviewed."],
                headed_pages([110.0]),
                strict=True,
            )
        ],
    ],
    ids=["moving", "below-body-text"],
)
def test_a_repeated_heading_that_is_not_at_the_pages_edge_is_body_text(
    pages: list[list[Line]],
) -> None:
    bodies, headers, footers = split_margins(pages, [PAGE_HEIGHT] * 3)
    assert all(set(HEADING) <= {ln.text for ln in body} for body in bodies)
    assert headers == ["", "", ""]
    assert footers == ["OFFICIAL"] * 3


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


def test_a_line_of_unknown_size_stays_in_its_paragraph() -> None:
    """pdfium gives no size for a line that opens with a narrow quote: not a change of type."""
    lines = [
        line("Ms Priestley presented the plan for a campaign,", 100, size=10.5),
        line('"Harrowmere Talks", funded from the public health', 114, size=0),
        line("grant and led by people with lived experience.", 128, size=10.5),
    ]
    assert len(blocks(lines)) == 1


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


# --------------------------------------------------------------------------- columns and tables
CHAR = 5.0  # points per character of the synthetic runs below


def run(text: str, x0: float, top: float, *, bold: bool = False) -> Line:
    """A run of text as pypdfium2 gives it: left and right edges, top and bottom."""
    return Line(text, x0, top, top + 10.0, bold, 10.0, x0 + CHAR * len(text))


def prose(label: str, n: int) -> list[str]:
    """``n`` wrapped lines of a paragraph, about 40 characters each, the last ending it."""
    out = [f"{label} line {i} of the paragraph goes on and" for i in range(n - 1)]
    return [*out, f"{label} ends here at last."]


def column(texts: list[str], x0: float, top: float, gap_after: dict[int, float]) -> list[Line]:
    runs, y = [], top
    for i, text in enumerate(texts):
        runs.append(run(text, x0, y))
        y += 14.0 + gap_after.get(i, 0.0)
    return runs


def two_column_page() -> list[Line]:
    """A full-width title over two columns; paragraph B runs from the left column to the right."""
    left = [*prose("Alpha", 5), *prose("Bravo", 6)[:-1]]
    right = [
        "bravo carries on in the right column and",
        "bravo ends here at last.",
        *prose("Charlie", 6),
    ]
    return [
        run("Carers Voice: news from the Eastbrook Carers Forum for the Board", 72, 60, bold=True),
        *column(left, 72, 100, {4: 9.0}),
        *column(right, 310, 100, {1: 9.0}),
    ]


def test_a_two_column_page_reads_the_left_column_then_the_right() -> None:
    lines = merge_runs(two_column_page())
    assert {ln.column for ln in lines} == {0, 1, 2}
    assert all(ln.text.count(" line ") <= 1 for ln in lines), "runs of two columns were joined"
    text = blocks_from_lines(lines)
    heads = [b.split(" ", 1)[0] for b in text.split("\n\n")]
    assert heads == ["Carers", "Alpha", "Bravo", "Charlie"]
    assert "Bravo ends" not in text and "bravo ends here at last." in text.split("\n\n")[2]


def test_column_order_survives_margins_being_split_off() -> None:
    lines = merge_runs(two_column_page())
    bodies, _, _ = split_margins([lines], [PAGE_HEIGHT])
    assert blocks_from_lines(bodies[0]) == blocks_from_lines(lines)


def test_single_column_page_with_indents_and_a_right_aligned_line_is_not_split() -> None:
    runs = [
        run("Minutes of the meeting held on 12 March 2024", 72, 60),
        run("Ref: EB/24/03", 420, 74),
        *column(prose("Alpha", 6), 72, 100, {}),
        *[run(f"• Item {i} of a list set in from the margin", 90, 200 + 14 * i) for i in range(6)],
        *column(prose("Bravo", 6), 72, 300, {}),
    ]
    lines = merge_runs(runs)
    assert {ln.column for ln in lines} == {0}
    assert {ln.block for ln in lines} == {0}
    assert [ln.text for ln in lines] == [r.text for r in sorted(runs, key=lambda r: r.top)]


def label_rows() -> list[Line]:
    """A header table: bold labels in a narrow column, values wrapping in a wide one."""
    return [
        run("Title of Meeting", 72, 100, bold=True),
        run("Eastbrook Carers Support Group", 190, 100),
        run("Date", 72, 119, bold=True),
        run("9 May 2024", 190, 119),
        run("Attendees", 72, 138, bold=True),
        run("Gillian Harcourt (Chair), Tomasz Nowicki (Carer", 190, 138),
        run("Representative), Brenda Okafor", 190, 150),
        run("1. Welcome and apologies", 72, 180, bold=True),
    ]


def test_header_table_rows_read_label_colon_value_each_a_block() -> None:
    assert blocks(merge_runs(label_rows())) == [
        ["Title of Meeting: Eastbrook Carers Support Group"],
        ["Date: 9 May 2024"],
        [
            "Attendees: Gillian Harcourt (Chair), Tomasz Nowicki (Carer Representative), "
            "Brenda Okafor"
        ],
        ["1. Welcome and apologies"],
    ]


def test_a_list_of_names_one_a_line_in_a_cell_keeps_its_breaks() -> None:
    runs = [
        run("Present", 72, 100),
        run("Gillian Harcourt (Chair)", 190, 100),
        run("Tomasz Nowicki", 190, 112),
        run("Date", 72, 131),
        run("9 May 2024", 190, 131),
        run("The Chair welcomed everyone and noted the apologies given.", 72, 160),
    ]
    found = [ln.text for ln in merge_runs(runs)]
    assert found[0] == "Present: Gillian Harcourt (Chair); Tomasz Nowicki"


def action_table() -> list[Line]:
    return [
        run("Item", 72, 100, bold=True),
        run("Discussion", 110, 100, bold=True),
        run("Action", 460, 100, bold=True),
        run("1", 72, 119),
        run("Dr Menon presented the report on crisis", 110, 119),
        run("JS", 460, 119),
        run("services and the board noted it.", 110, 131),
        run("2", 72, 150),
        run("Any other business: none.", 110, 150),
        run("The meeting closed at 4pm and everyone went home early.", 72, 180),
    ]


def test_action_initials_stay_on_their_rows_line() -> None:
    assert [ln.text for ln in merge_runs(action_table())] == [
        "Item | Discussion | Action",
        "1 | Dr Menon presented the report on crisis services and the board noted it. | JS",
        "2 | Any other business: none.",
        "The meeting closed at 4pm and everyone went home early.",
    ]


def test_a_table_is_one_block_and_the_paragraph_after_it_another() -> None:
    assert len(blocks(merge_runs(action_table()))) == 2


def test_numbers_set_apart_by_a_tab_are_a_numbered_list_not_a_table() -> None:
    runs = [
        run("4.1", 72, 100),
        run("Dr Menon said that the crisis line had answered", 110, 100),
        run("more calls than ever before this winter.", 110, 112),
        run("4.2", 72, 124),
        run("The board noted the report and thanked him.", 110, 124),
    ]
    assert [ln.text for ln in merge_runs(runs)] == [
        "4.1 Dr Menon said that the crisis line had answered",
        "more calls than ever before this winter.",
        "4.2 The board noted the report and thanked him.",
    ]


def test_two_prose_columns_whose_rows_start_level_are_a_table_not_columns() -> None:
    """Question and answer side by side: paragraphs start together, so read row by row."""
    runs: list[Line] = []
    for r, top in enumerate((100.0, 160.0, 220.0)):
        runs += column(prose(f"Question{r}", 3), 72, top, {})
        runs += column(prose(f"Answer{r}", 3), 310, top, {})
    lines = merge_runs(runs)
    assert {ln.column for ln in lines} == {0}
    rows = [ln.text for ln in lines]
    assert len(rows) == 3
    for r, row in enumerate(rows):
        question, answer = row.split(" | ")
        assert question.startswith(f"Question{r} line 0") and question.endswith("at last.")
        assert answer.startswith(f"Answer{r} line 0") and answer.endswith("at last.")


# --------------------------------------------------------------------------- format_table
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Labels beside values: "Label: value", a block each.
        (
            [["Date:", "12 March 2024"], ["Venue", "Town Hall"], ["Attendees", "A, B"]],
            [["Date: 12 March 2024"], ["Venue: Town Hall"], ["Attendees: A, B"]],
        ),
        # Figures: one block of rows; an empty trailing cell and an empty row dropped.
        (
            [
                ["Quarter", "Spend", "Note"],
                ["Q1", "£5,100", ""],
                ["", "", ""],
                ["Q2", "£6,050", "x"],
            ],
            [["Quarter | Spend | Note", "Q1 | £5,100", "Q2 | £6,050 | x"]],
        ),
        # Minutes set out as a table: rows of prose are paragraphs, a block each.
        (
            [["Item", "Discussion", "Action"], ["1", " ".join(["word"] * 25), "FC"]],
            [["Item | Discussion | Action"], ["1 | " + " ".join(["word"] * 25) + " | FC"]],
        ),
        ([], []),
    ],
)
def test_format_table(rows: list[list[str]], expected: list[list[str]]) -> None:
    assert format_table(rows) == expected


def test_right_aligned_figures_are_cells_of_their_column() -> None:
    """Figures set flush right start at different x; the white space between columns decides."""

    def right(text: str, x1: float, top: float) -> Line:
        return run(text, x1 - CHAR * len(text), top)

    runs = [run("Quarter", 72, 100), right("Carers", 300, 100), right("Spend", 420, 100)]
    for i, (quarter, carers, spend) in enumerate(
        [("Q1 2023/24", "38", "£5,100"), ("Q2 2023/24", "145", "£16,050"), ("Q3", "7", "£420")]
    ):
        top = 114.0 + 14 * i
        runs += [run(quarter, 72, top), right(carers, 300, top), right(spend, 420, top)]
    assert [ln.text for ln in merge_runs(runs)] == [
        "Quarter | Carers | Spend",
        "Q1 2023/24 | 38 | £5,100",
        "Q2 2023/24 | 145 | £16,050",
        "Q3 | 7 | £420",
    ]


def test_bullets_set_apart_by_a_tab_with_owners_in_the_margin_are_a_list_not_a_table() -> None:
    """Word sets a symbol-font bullet a tab away from its text; the owner's initials sit at the
    right margin of some lines. Read as a table, each wrapped line became a row of its own."""

    def run(text: str, x0: float, x1: float, top: float) -> Line:
        return Line(text, x0, top, top + 10, size=10.5, x1=x1)

    rows = [
        ("\uf0b7", "Shore path - nothing seemed to have been done since March to settle", ""),
        ("", "this long-running question. HL would ask for a written update.", "HL"),
        ("\uf0b7", "Rail group - JF thought the spring open day had gone well, even in the", ""),
        ("", "face of the engineering works due on the branch line.", ""),
        ("\uf0b7", "Old Phone Box - residents still hoped to take over the kiosk.", "HL"),
    ]
    runs: list[Line] = []
    for k, (mark, text, owner) in enumerate(rows):
        top = 100 + 14 * k
        if mark:
            runs.append(run(mark, 72, 77, top))
        runs.append(run(text, 90, 90 + 4.6 * len(text), top))
        if owner:
            runs.append(run(owner, 520, 533, top))
    merged = [m.text for m in merge_runs(runs)]
    assert not any(" | " in t or t.startswith("| ") for t in merged), merged
    assert merged[0].startswith("\uf0b7") and "Shore path" in merged[0]
    assert merged[1].startswith("this long-running question")


def test_a_table_run_on_from_the_page_before_keeps_a_rows_wrapped_lines_together() -> None:
    """Where a table goes on over a page, the page may hold one tall row: its lines are evenly
    spaced, with no row padding to tell rows apart, and each wrapped line once became a row."""

    def cell(text: str, x0: float, x1: float, top: float) -> Line:
        return Line(text, x0, top, top + 10, size=10.0, x1=x1)

    runs = [
        cell("Members felt that a mobile library van could reach", 104, 372, 100),
        cell("04-05 TR to price a second", 384, 538, 100),
        cell("the outlying villages on a weekly round. TR had", 104, 372, 112),
        cell("hand van", 384, 426, 112),
        cell("seen one for sale at an auction in the north of the", 104, 372, 124),
        cell("county last spring.", 104, 200, 136),
    ]
    assert [ln.text for ln in merge_runs(runs)] == [
        "Members felt that a mobile library van could reach the outlying villages on a weekly "
        "round. TR had seen one for sale at an auction in the north of the county last spring. "
        "| 04-05 TR to price a second hand van"
    ]


def test_evenly_spaced_rows_of_short_cells_stay_rows_whatever_their_case() -> None:
    """A row of figures whose label is in lower case follows a line that stopped short: a row
    of its own, not the wrapped words of the one above."""
    runs = [run("Referrals", 72, 100), run("12", 300, 100)]
    runs += [run("waiting list", 72, 112), run("7", 300, 112)]
    runs += [run("new cases", 72, 124), run("3", 300, 124)]
    assert [ln.text for ln in merge_runs(runs)] == [
        "Referrals | 12",
        "waiting list | 7",
        "new cases | 3",
    ]


def test_a_paragraph_ocr_found_inside_a_table_cell_is_kept_apart() -> None:
    """A scan's cell holding two paragraphs: tesseract says where the second starts, which the
    line spacing alone does not show (the first paragraph's last line fills the cell)."""

    def scanned(text: str, x0: float, top: float, par: bool = False) -> Line:
        return Line(text, x0, top, top + 10.0, False, 0.0, x0 + CHAR * len(text), par=par)

    noted = "The report on winter pressures at both hospitals was noted in full."
    runs = [
        scanned("Item", 72, 100),
        scanned("Discussion", 110, 100),
        scanned("Action", 460, 100),
        scanned("3", 72, 119),
        scanned(noted, 110, 119, par=True),
        scanned("JS", 460, 119),
        scanned("Members asked for the figures by ward.", 110, 131, par=True),
        scanned("4", 72, 150),
        scanned("Nothing else was raised.", 110, 150, par=True),
    ]
    assert [ln.text for ln in merge_runs(runs)][1] == (
        f"3 | {noted}; Members asked for the figures by ward. | JS"
    )
    unmarked = [Line(r.text, r.x0, r.top, r.bottom, x1=r.x1) for r in runs]
    assert [ln.text for ln in merge_runs(unmarked)][1] == (
        f"3 | {noted} Members asked for the figures by ward. | JS"
    )


def test_a_sentence_that_ends_a_cells_line_short_ends_its_paragraph() -> None:
    """A cell of several paragraphs in a word-processed PDF, with no space between them: a
    line that ends a sentence with room to spare for the next line's first word was ended on
    purpose, so the next sentence (or a numbered record) opens a paragraph of its own. A
    sentence that ends where the line is full runs on."""
    runs = [
        run("Item", 72, 100),
        run("Discussion", 110, 100),
        run("Action", 460, 100),
        run("3", 72, 119),
        run("Dr Okafor declared an interest as a governor.", 110, 119),
        run("JS to update", 460, 119),
        run("No other declarations were made by members.", 110, 131),
        run("the register", 460, 131),
        run("02-04 It was agreed that the leaflet would be printed in", 110, 143),
        run("time for the summer fair and sent on to all the village libraries.", 110, 155),
        run("Members asked for the figures by ward.", 110, 167),
    ]
    assert [ln.text for ln in merge_runs(runs)][1] == (
        "3 | Dr Okafor declared an interest as a governor.; No other declarations were made by "
        "members.; 02-04 It was agreed that the leaflet would be printed in time for the summer "
        "fair and sent on to all the village libraries. Members asked for the figures by ward. "
        "| JS to update the register"
    )
