"""Ingestion of the layouts and formats boards really publish, each from a real fixture file.

Two-column papers, header tables of labels and values, minutes set out as an Item / Discussion /
Action table, action logs, Markdown converted from a PDF, reStructuredText, legacy encodings,
mojibake and broken HTML. Expectations come from the source text each fixture was generated from
(tests/fixtures/src/, read by conftest.read_source), never from a previous run of the extractor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Source, read_source

from pipeline.core import io
from pipeline.core.textkey import normalise
from pipeline.ingest import Extracted, RawFile, extract, ingest
from pipeline.ingest.mojibake import repair

Extract = Callable[[str], Extracted]
SRC = Path(__file__).resolve().parents[1] / "fixtures" / "src"


def blocks(result: Extracted) -> list[str]:
    return [b for p in result.pages for b in p.text.split("\n\n") if b.strip()]


def lines(result: Extracted) -> list[str]:
    return [ln for p in result.pages for ln in p.text.split("\n") if ln.strip()]


def row_of(fixtures_dir: Path, name: str) -> dict[str, object]:
    data = (fixtures_dir / name).read_bytes()
    documents, _ = ingest([(RawFile(name, io.sha256_bytes(data), len(data)), extract(name, data))])
    return dict(documents.iloc[0])


@pytest.fixture(scope="module")
def two_column() -> Source:
    return read_source(SRC / "two-column.txt")


@pytest.fixture(scope="module")
def header_table() -> Source:
    return read_source(SRC / "header-table.txt")


@pytest.fixture(scope="module")
def word_minutes() -> Source:
    return read_source(SRC / "word-minutes.txt")


# --------------------------------------------------------------------------- two columns
def test_two_column_page_reads_down_the_left_column_then_the_right(
    extracted: Extract, two_column: Source
) -> None:
    """The whole text, in order: title, then each column top to bottom, nothing interleaved."""
    result = extracted("two-column.pdf")
    assert result.status == "ok", result.message
    expected = [*two_column.headings[:2]]
    source_text = (SRC / "two-column.txt").read_text(encoding="utf-8").split("---", 2)[2]
    for chunk in source_text.split("\n\n"):
        text = " ".join(ln.strip() for ln in chunk.strip().splitlines())
        if text and not text.startswith(("# ", "## ")):
            expected.append(text.lstrip("# "))
    got = normalise(" ".join(p.text for p in result.pages))
    assert got == normalise(" ".join(expected))


def test_two_column_paragraphs_stay_whole_even_across_the_column_break(
    extracted: Extract, two_column: Source
) -> None:
    found = {normalise(b) for b in blocks(extracted("two-column.pdf"))}
    for para in two_column.paragraphs:
        assert normalise(para) in found, para


def test_two_column_running_header_with_page_number_and_footer_are_set_aside(
    extracted: Extract, two_column: Source
) -> None:
    result = extracted("two-column.pdf")
    assert len(result.pages) == 2
    for page in result.pages:
        assert page.header == f"{two_column.header} – page {page.number}"
        assert page.footer == two_column.footer
        assert normalise(two_column.footer) not in normalise(page.text)


# --------------------------------------------------------------------------- header table
def test_header_table_labels_stay_with_their_values(
    extracted: Extract, header_table: Source
) -> None:
    """Each "Label | value" row reads "Label: value", a block of its own, wrapped value joined."""
    found = blocks(extracted("header-table.pdf"))
    for label, value in header_table.table:
        assert f"{label}: {value}" in found


def test_header_table_gives_date_and_body_over_the_previous_meetings_date(
    fixtures_dir: Path,
) -> None:
    """The body mentions the last meeting "held on 11 April 2024"; the header table's date wins."""
    row = row_of(fixtures_dir, "header-table.pdf")
    assert row["doc_type"] == "minutes"
    assert row["meeting_date"].date() == dt.date(2024, 5, 9)  # type: ignore[attr-defined]
    assert row["body"] == "Eastbrook Carers Support Group"


# --------------------------------------------------------------------------- Word-style minutes
def test_word_minutes_running_header_and_page_footer_removed_on_every_page(
    extracted: Extract, word_minutes: Source
) -> None:
    result = extracted("word-minutes.pdf")
    assert len(result.pages) >= 2
    for page in result.pages:
        assert page.header == word_minutes.header
        assert page.footer == f"{word_minutes.footer} Page {page.number}"
        assert word_minutes.header not in page.text
        assert normalise(word_minutes.footer) not in normalise(page.text)


def test_action_column_initials_stay_on_their_rows_line(
    extracted: Extract, word_minutes: Source
) -> None:
    """Every row is one line, cells in order, so "FC / BO" ends the row it belongs to."""
    found = lines(extracted("word-minutes.pdf"))
    header, *rows = word_minutes.table
    assert " | ".join(header) in found
    for row in rows:
        expected = " | ".join(row) if row[-1] else " | ".join(row[:-1])
        assert expected in found, row


def test_minutes_set_out_as_a_table_give_a_block_per_row(
    extracted: Extract, word_minutes: Source
) -> None:
    found = blocks(extracted("word-minutes.pdf"))
    for row in word_minutes.table[1:]:
        assert any(b.startswith(f"{row[0]} | {row[1]}") for b in found), row


def test_word_minutes_facts(fixtures_dir: Path) -> None:
    row = row_of(fixtures_dir, "word-minutes.pdf")
    assert (row["doc_type"], row["body"]) == ("minutes", "Eastbrook Carers Forum")
    assert row["meeting_date"].date() == dt.date(2024, 6, 13)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- action log
def test_action_log_is_typed_dated_and_keeps_owners_on_their_rows(
    fixtures_dir: Path, extracted: Extract
) -> None:
    source = read_source(SRC / "action-log.txt")
    row = row_of(fixtures_dir, "carers-forum-tracker.docx")
    assert row["doc_type"] == "action_log"
    assert row["meeting_date"].date() == dt.date(2024, 3, 14)  # type: ignore[attr-defined]
    assert row["body"] == "Eastbrook Carers Forum"
    found = lines(extracted("carers-forum-tracker.docx"))
    for table_row in source.table:
        assert " | ".join(table_row) in found


# --------------------------------------------------------------------------- Markdown from a PDF
def test_markdown_from_pdf_has_the_pages_it_marks(extracted: Extract, source: Source) -> None:
    result = extracted("pdf-converted.md")
    assert result.status == "ok", result.message
    assert [p.number for p in result.pages] == [1, 2]
    assert normalise(" ".join(source.table[0])) in normalise(result.pages[1].text)


def test_markdown_from_pdf_sets_running_header_and_footer_aside(
    extracted: Extract, source: Source
) -> None:
    for page in extracted("pdf-converted.md").pages:
        assert page.header == source.header
        assert page.footer == f"{source.footer} Page {page.number} of 2"
        assert source.header not in page.text
        assert source.footer not in page.text


def test_markdown_from_pdf_joins_wrapped_lines_into_paragraphs(
    extracted: Extract, source: Source
) -> None:
    """A converter made every wrapped line a paragraph; they are joined back, hyphens too.

    Where the converter lost a paragraph break the text can only be split between sentences, so
    each paragraph must be whole in one block, or a run of blocks split only after a full stop.
    """
    found = blocks(extracted("pdf-converted.md"))
    leads = {lead for lead, _ in source.lists}  # checked with their lists below
    for para in (p for p in source.paragraphs if p not in leads):
        runs = [
            found[i:j]
            for i in range(len(found))
            for j in range(i + 1, min(i + 4, len(found)) + 1)
            if " ".join(found[i:j]) == para
        ]
        assert runs, para
        assert all(b.endswith(".") for b in runs[0][:-1]), runs[0]
    assert not any(ln.endswith("-") for ln in lines(extracted("pdf-converted.md")))


def test_markdown_from_pdf_keeps_lists_with_their_lead_in(
    extracted: Extract, source: Source
) -> None:
    found = blocks(extracted("pdf-converted.md"))
    for lead, items in source.lists:
        assert "\n".join([lead, *(f"• {item}" for item in items)]) in found


@pytest.mark.parametrize(
    ("text", "pages"),
    [
        # The number after the rule is the page that starts there.
        ("One.\n\n---\n2\n\nTwo.\n\n---\n3\n\nThree.\n", [(1, "One."), (2, "Two."), (3, "Three.")]),
        # A converter that numbers the page just ended: "1" after page one's text.
        ("One.\n\n---\n1\n\nTwo.\n\n---\n2\n\nThree.\n", [(1, "One."), (2, "Two."), (3, "Three.")]),
        # "Page 2" is a page number too; a marker at the very top starts that page.
        ("---\nPage 5\n\nFive.\n\n---\nPage 6\n\nSix.\n", [(5, "Five."), (6, "Six.")]),
        # A rule with no number is a rule; a setext underline is a heading.
        ("Title\n---\n\nText.\n\n---\n\nMore.\n", [(1, "Title\n\nText.\n\nMore.")]),
        # A page that breaks in the middle of a paragraph: the rule follows the text directly.
        (
            "One.\n\nTenants were still in their homes after twelve\n---\n2\nmonths.\n",
            [(1, "One.\n\nTenants were still in their homes after twelve"), (2, "months.")],
        ),
    ],
)
def test_page_marks_in_text(text: str, pages: list[tuple[int, str]]) -> None:
    result = extract("minutes.md", text.encode())
    assert [(p.number, p.text) for p in result.pages] == pages


# --------------------------------------------------------------------------- joining lines
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Wrapped lines of a paragraph become one line; a word hyphenated at a line end is whole.
        (
            "The Chair welcomed the carers' repre-\nsentatives and thanked them for\ntheir work.\n",
            "The Chair welcomed the carers' representatives and thanked them for their work.",
        ),
        # One paragraph per wrapped line: a line that stops mid-sentence runs on into the next.
        (
            "The forum asked the board to publish the\n\nwaiting time every quarter.\n",
            "The forum asked the board to publish the waiting time every quarter.",
        ),
        # A list written one name a line is not run together.
        (
            "Present:\nGillian Harcourt\nTomasz Nowicki\nBrenda Okafor\n",
            "Present:\nGillian Harcourt\nTomasz Nowicki\nBrenda Okafor",
        ),
        # Long entries of a list one a line are not run together either.
        (
            "Present:\nCllr Margaret Ashdown (Chair), Cabinet Member for Adult Social Care\n"
            "Dr Rajiv Menon (Vice Chair), Clinical Director, Harrowmere Integrated Care Board\n",
            "Present:\nCllr Margaret Ashdown (Chair), Cabinet Member for Adult Social Care\n"
            "Dr Rajiv Menon (Vice Chair), Clinical Director, Harrowmere Integrated Care Board",
        ),
        # A line ending on "of" or "the" runs on, whatever case the next line starts in.
        (
            "The forum thanked the members of\n\nEastbrook Carers Forum for their work.\n",
            "The forum thanked the members of Eastbrook Carers Forum for their work.",
        ),
        # Paragraphs separated by a blank line stay apart; headings and lists stay separate.
        (
            "## 3. Respite\nThe report was noted.\n\nThe form will be\nredesigned:\n- by FC\n",
            "3. Respite\n\nThe report was noted.\n\nThe form will be redesigned:\n• by FC",
        ),
    ],
)
def test_text_lines_are_joined_into_paragraphs(text: str, expected: str) -> None:
    assert extract("minutes.md", text.encode()).pages[0].text == expected


def test_running_lines_of_text_pages_are_set_aside() -> None:
    pages = [f"Carers Forum minutes\n\nText of page {n}.\n\nPage {n} of 3" for n in (1, 2, 3)]
    result = extract("minutes.txt", "\f".join(pages).encode())
    assert [p.text for p in result.pages] == [f"Text of page {n}." for n in (1, 2, 3)]
    assert {p.header for p in result.pages} == {"Carers Forum minutes"}
    assert [p.footer for p in result.pages] == ["Page 1 of 3", "Page 2 of 3", "Page 3 of 3"]


# --------------------------------------------------------------------------- reStructuredText
def test_rst_underlines_are_dropped_and_headings_are_blocks(
    extracted: Extract, source: Source
) -> None:
    result = extracted("mini-minutes.rst")
    assert result.status == "ok", result.message
    for line in lines(result):
        assert not re.fullmatch(r"([=\-~^*])\1+", line), line
        assert "**" not in line and not line.startswith("* "), line
    found = set(blocks(result))
    for heading in source.headings:
        assert heading in found or any(b.startswith(heading + "\n• ") for b in found), heading


# --------------------------------------------------------------------------- encodings
@pytest.mark.parametrize(
    ("name", "straight"),
    [("mini-minutes-cp1252.txt", False), ("mini-minutes-latin1.txt", True)],
)
def test_legacy_encodings_read_like_utf8_with_a_warning(
    name: str, straight: bool, extracted: Extract
) -> None:
    """Windows-1252 and Latin-1 files read as the UTF-8 original; Latin-1 has no curly quotes."""
    result = extracted(name)
    assert result.status == "warning"
    assert "save it as UTF-8" in result.message
    expected = extracted("mini-minutes.txt").pages[0].text
    if straight:
        expected = expected.translate(str.maketrans({"’": "'", "–": "-"}))
    assert result.pages[0].text == expected
    assert "£24,000" in result.pages[0].text


MOJIBAKE_SOURCE = (
    "Suffolk’s Carers’ Partnership Board – minutes of 5 February 2024",
    "The board noted Suffolk’s new carers’ strategy – its budget is £24,000 a year.",
    "Ann Price said carers’ breaks must come first – ‘no more waiting lists’.",
)


@pytest.mark.parametrize("name", ["mojibake.txt", "mojibake.html", "mojibake.docx", "mojibake.pdf"])
def test_mojibake_is_repaired_and_curly_quotes_and_dashes_are_kept(
    name: str, extracted: Extract
) -> None:
    result = extracted(name)
    assert result.status == "ok", result.message
    text = " ".join(" ".join(p.text.split()) for p in result.pages)
    assert "â€" not in text and "Â" not in text
    for line in MOJIBAKE_SOURCE:
        assert line in text, line


# --------------------------------------------------------------------------- broken HTML
def test_broken_html_still_gives_its_content_without_the_furniture(extracted: Extract) -> None:
    """Unclosed <title>, <h1>, <p>, <li> and <td>, no </body>: the minutes still come through."""
    result = extracted("broken.html")
    assert result.status in ("ok", "warning"), result.message
    found = blocks(result)
    for block in (
        "Eastbrook Carers Forum",
        "Minutes of the meeting held on Thursday 14 March 2024",
        "The Chair welcomed everyone to the meeting and noted the apologies.",
        "The forum noted the following dates:\n"
        "• Thursday 13 June 2024\n• Thursday 12 September 2024",
        "Quarter | Spend\nQ1 2023/24 | £5,100\nQ2 2023/24 | £6,050",
        "The meeting closed at 3.40 pm.",
    ):
        assert block in found, block
    text = "\n".join(found)
    for furniture in (
        "cookies",
        "Home",
        "Meetings calendar",
        "You are here",
        "Privacy",
        "content<",
    ):
        assert furniture not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Suffolkâ€™s carersâ€™ budget â€“ Â£24,000", "Suffolk’s carers’ budget – £24,000"),
        ("“Quotes” and ‘quotes’ – dashes — kept", "“Quotes” and ‘quotes’ – dashes — kept"),
        ("ﬁnance and ﬂexible", "finance and flexible"),
        ("Café in Hôtel de Ville, naïve", "Café in Hôtel de Ville, naïve"),
    ],
)
def test_repair_fixes_mojibake_and_ligatures_and_leaves_good_text_alone(
    text: str, expected: str
) -> None:
    assert repair(text) == expected


@pytest.mark.parametrize(
    "html",
    [
        # An ASP.NET site wraps the whole page in a <form>.
        '<html><body><form id="aspnetForm"><div class="nav"><a>Home</a></div>'
        "<h1>Carers Forum</h1><p>The Chair welcomed everyone to the meeting.</p></form>",
        # An unclosed <header> runs on over the content.
        "<html><body><header><p>Eastbrook Council</p><h1>Carers Forum</h1>"
        "<p>The Chair welcomed everyone to the meeting.</p>",
    ],
)
def test_furniture_that_swallows_the_page_does_not_take_the_content_with_it(html: str) -> None:
    found = blocks(extract("minutes.html", html.encode()))
    assert "Carers Forum" in found
    assert "The Chair welcomed everyone to the meeting." in found
    assert "Home" not in "\n".join(found)


def test_demo_paragraph_with_a_line_opening_on_a_quote_is_one_block() -> None:
    """The same case in a real PDF of the demo corpus, read end to end."""
    path = SRC.parents[2] / "corpora" / "demo" / "minutes" / "2024-09-19-minutes.pdf"
    result = extract(path.name, path.read_bytes())
    text = "\n".join(p.text for p in result.pages)
    paragraph = next(b for b in text.split("\n\n") if b.startswith("Janet Priestley presented"))
    assert paragraph.replace("\n", " ").endswith("lived experience of mental health problems.")
