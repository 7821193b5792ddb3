"""Ingestion of real documents: text with page provenance, and one row per file whatever happens.

Expectations come from tests/fixtures/src/mini-minutes.txt (read by conftest.read_source), the text
every fixture was generated from, never from a previous run of the extractor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
import pytest
from conftest import Source
from rapidfuzz import fuzz

from pipeline.core import io, schemas
from pipeline.core.textkey import normalise
from pipeline.ingest import Extracted, Page, RawFile, extract, ingest

Extract = Callable[[str], Extracted]

TEXT_FORMATS = [
    "mini-minutes.pdf",
    "mini-minutes.docx",
    "mini-minutes.doc",
    "mini-minutes.odt",
    "mini-minutes.html",
    "mini-minutes.md",
    "mini-minutes.txt",
    "mini-minutes.rst",
]
SCANNED = ["mini-minutes-scan.pdf", "mixed-scan.pdf"]
# The full-page scan is OCR-read in seconds: slow tier.
PDFS = ["mini-minutes.pdf", pytest.param(SCANNED[0], marks=pytest.mark.slow), SCANNED[1]]


def blocks(result: Extracted) -> list[str]:
    return [b for p in result.pages for b in p.text.split("\n\n") if b.strip()]


def lines(result: Extracted) -> list[str]:
    return [ln for p in result.pages for ln in p.text.split("\n") if ln.strip()]


def paragraphs(source: Source) -> list[str]:
    """The source's running paragraphs, each with the list it leads into, if any."""
    with_lists = {lead: items for lead, items in source.lists}
    return [" ".join([p, *with_lists.get(p, [])]) for p in source.paragraphs]


def pdf_page_count(path: Path) -> int:
    with pdfium.PdfDocument(path) as pdf:
        return len(pdf)


# --------------------------------------------------------------------------- pages
@pytest.mark.parametrize("name", PDFS)
def test_pdf_has_one_page_per_pdf_page_numbered_from_one(
    name: str, extracted: Extract, fixtures_dir: Path
) -> None:
    result = extracted(name)
    n = pdf_page_count(fixtures_dir / name)
    assert n >= 2, "the fixture is meant to span pages"
    assert [p.number for p in result.pages] == list(range(1, n + 1))


@pytest.mark.parametrize("name", TEXT_FORMATS[1:])
def test_formats_without_pages_give_a_single_page_one(name: str, extracted: Extract) -> None:
    result = extracted(name)
    assert result.status == "ok", result.message
    assert [p.number for p in result.pages] == [1]


@pytest.mark.parametrize("name", ["mini-minutes.pdf", "mini-minutes-scan.pdf"])
def test_running_header_and_page_footer_are_kept_out_of_the_body(
    name: str, extracted: Extract, source: Source
) -> None:
    result = extracted(name)
    total = len(result.pages)
    for page in result.pages:
        body = normalise(page.text)
        label = f"page {page.number} of {total}"
        assert normalise(source.header) in normalise(page.header)
        assert normalise(source.footer) in normalise(page.footer)
        assert label in normalise(page.footer)
        assert normalise(source.header) not in body
        assert normalise(source.footer) not in body
        assert label not in body


# --------------------------------------------------------------------------- body text
@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_every_paragraph_comes_through_whole_in_one_block(
    name: str, extracted: Extract, source: Source
) -> None:
    """Wrapped lines of a paragraph stay together; paragraphs are not run into each other."""
    found = {normalise(b) for b in blocks(extracted(name))}
    for para in paragraphs(source):
        assert normalise(para) in found, para


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_headings_are_blocks_of_their_own(name: str, extracted: Extract, source: Source) -> None:
    found = {normalise(b) for b in blocks(extracted(name))}
    for heading in source.headings:
        if heading.endswith(":"):
            continue  # a list heading may carry its list (checked below)
        assert normalise(heading) in found, heading


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_list_items_are_bulleted_lines_in_order_in_one_block(
    name: str, extracted: Extract, source: Source
) -> None:
    result = extracted(name)
    for lead, items in source.lists:
        bullets = "\n".join(f"• {item}" for item in items)
        holders = [b for b in blocks(result) if bullets in b]
        assert len(holders) == 1, (lead, items)
        if not lead.endswith(":") or name != "mini-minutes.pdf":
            # A list stays with its lead-in (a typeset PDF sets a bold list heading apart).
            assert normalise(holders[0]).startswith(normalise(lead)), lead


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_table_rows_keep_their_cells_in_order_on_one_line(
    name: str, extracted: Extract, source: Source
) -> None:
    found = {normalise(ln) for ln in lines(extracted(name))}
    for row in source.table:
        assert normalise(" ".join(row)) in found, row


def test_docx_table_is_one_block_of_rows(extracted: Extract, source: Source) -> None:
    table = [
        b
        for b in blocks(extracted("mini-minutes.docx"))
        if normalise(source.table[0][0]) in normalise(b.split("\n")[0])
    ]
    assert len(table) == 1
    rows = table[0].split("\n")
    assert [normalise(r) for r in rows] == [normalise(" ".join(r)) for r in source.table]


def test_html_keeps_the_minutes_and_drops_site_furniture(
    extracted: Extract, source: Source
) -> None:
    result = extracted("mini-minutes.html")
    text = "\n".join(p.text for p in result.pages)
    for furniture in (
        "dataLayer",
        "trackVisit",
        "Meetings calendar",
        "Contact democratic services",
        "Committees and meetings",
        "Cookie settings",
        "Home",
    ):
        assert furniture not in text
    assert normalise(source.paragraphs[0]) in normalise(text)


@pytest.mark.parametrize("name", ["mini-minutes.md", "mini-minutes.txt", "mini-minutes.rst"])
def test_markdown_and_text_markup_is_removed(name: str, extracted: Extract) -> None:
    for line in lines(extracted(name)):
        assert not line.startswith(("#", "- ", "* ")), line
        assert "**" not in line, line


def test_markdown_headings_lose_their_marks(extracted: Extract, source: Source) -> None:
    found = set(lines(extracted("mini-minutes.md")))
    for heading in source.headings:
        assert heading in found


# --------------------------------------------------------------------------- OCR
def test_scanned_pdf_is_read_by_ocr(extracted: Extract, source: Source) -> None:
    result = extracted("mini-minutes-scan.pdf")
    assert result.status == "ok", result.message
    assert all(p.ocr for p in result.pages)
    assert all(p.ocr_confidence is not None and p.ocr_confidence > 60 for p in result.pages)
    text = " ".join(p.text for p in result.pages)
    for word in ("Harcourt", "Nowicki", "mileage", "RESOLVED", "respite", "Wellbeloved"):
        assert word in text


def test_scanned_paragraphs_come_through_as_separate_blocks(
    extracted: Extract, source: Source
) -> None:
    """A scan has no paragraph marks: the gaps between lines must still separate paragraphs.

    OCR misreads a letter here and there, so each paragraph must match one block closely, not
    exactly. A scan has no bold either, so an item heading set close above its paragraph may
    share its block (segmentation splits it off).
    """
    found = []
    for b in blocks(extracted("mini-minutes-scan.pdf")):
        found += [normalise(b), normalise(b.split("\n", 1)[-1])]
    for para in paragraphs(source):
        best = max(fuzz.ratio(normalise(para), b) for b in found)
        assert best >= 90, para


def test_scanned_paragraphs_set_without_a_gap_are_told_apart_by_their_shape() -> None:
    """Tightly set minutes, scanned: no wider gap between paragraphs, only a short last line.

    Tesseract's own layout analysis sees where a paragraph ends; the text alone cannot.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from pipeline.ingest import ocr
    from pipeline.ingest.layout import blocks_from_lines

    paragraphs = [
        [
            "MB had sent apologies. The national report circulated to the committees",
            "was discussed. Members observed that the wording is less adversarial and",
            "describes joint work with the health service and partners.",
        ],
        [
            "Technology: the committee is not a customer of the system providers, so",
            "contractors should be urged to press their own supplier to link their",
            "systems directly to the care record.",
        ],
        ["See report for full details."],
        ["Minutes of the working group are available on request."],
    ]
    buf = BytesIO()
    canvas = Canvas(buf, pagesize=A4)
    canvas.setFont("Helvetica", 11)
    y = 780.0
    for para in paragraphs:
        for line in para:
            canvas.drawString(72, y, line)
            y -= 14  # one leading throughout: no gap marks a paragraph
    canvas.save()
    page = pdfium.PdfDocument(buf.getvalue())[0]
    png = BytesIO()
    page.render(scale=300 / 72, grayscale=True).to_pil().save(png, format="PNG")
    lines, _ = ocr.ocr_png(png.getvalue(), 300 / 72)
    found = [normalise(b) for b in blocks_from_lines(lines).split("\n\n")]
    assert found == [normalise(" ".join(p)) for p in paragraphs]


def test_scanned_bullets_are_normalised(extracted: Extract, source: Source) -> None:
    """Tesseract reads a bullet as '¢', '«' or '*'; the text must still mark list items '• '."""
    text_lines = lines(extracted("mini-minutes-scan.pdf"))
    for _, items in source.lists:
        for item in items:
            hits = [ln for ln in text_lines if fuzz.ratio(ln, f"• {item}") >= 90]
            assert hits and all(h.startswith("• ") for h in hits), item


def test_mixed_pdf_ocrs_only_the_page_without_text(extracted: Extract) -> None:
    result = extracted("mixed-scan.pdf")
    assert result.status == "ok", result.message
    assert [p.ocr for p in result.pages] == [False, True]
    assert result.pages[0].ocr_confidence is None
    assert result.pages[1].ocr_confidence is not None and result.pages[1].ocr_confidence > 60
    # Page 1 is the text PDF's page 1, read from its text layer.
    assert result.pages[0].text == extracted("mini-minutes.pdf").pages[0].text
    assert "RESOLVED" in result.pages[1].text


@pytest.mark.parametrize(
    ("installed", "fix"), [(False, "install tesseract"), (True, "without --no-ocr")]
)
def test_scan_without_ocr_is_a_warning_naming_the_pages_and_the_fix(
    fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch, installed: bool, fix: str
) -> None:
    """Without tesseract the fix is to install it; with it, OCR was turned off (--no-ocr)."""
    from pipeline.ingest import ocr

    monkeypatch.setattr(ocr, "available", lambda: installed)
    result = extract(
        "scan.pdf", (fixtures_dir / "mini-minutes-scan.pdf").read_bytes(), use_ocr=False
    )
    assert result.status == "warning"
    assert "pages 1, 2" in result.message
    assert fix in result.message
    assert not any(p.ocr for p in result.pages)


# --------------------------------------------------------------------------- bad files
@pytest.mark.parametrize(
    ("name", "problem", "fix"),
    [
        ("empty.pdf", "empty", "replace it"),
        ("truncated.pdf", "truncated", "re-download"),
        ("encrypted.pdf", "password", "unprotected copy"),
        ("not-a-word-file.docx", "not a Word", "save as .docx"),
        ("random-bytes.txt", "not text", "check the file"),
        ("minutes-page.pdf", "not a PDF but a web page", "download the PDF again"),
        ("notes.pdf", "not a PDF but plain text", "rename it to .txt"),
        ("zero-pages.pdf", "no pages", "re-export it"),
    ],
)
def test_bad_file_gives_an_error_row_naming_the_problem_and_the_fix(
    name: str, problem: str, fix: str, fixtures_dir: Path
) -> None:
    result = extract(name, (fixtures_dir / name).read_bytes())
    assert result.status == "error"
    assert result.pages == []
    assert problem in result.message
    assert fix in result.message


@pytest.mark.parametrize(
    ("name", "source", "problem", "fix"),
    [
        ("minutes.docx", "mini-minutes.pdf", "a PDF with a .docx name", "rename it to .pdf"),
        ("minutes.txt", "mini-minutes.pdf", "a PDF with a text", "rename it to .pdf"),
        ("minutes.pdf", "mini-minutes.docx", "zip package", "rename it to .docx"),
        ("minutes.pdf", "mini-minutes.html", "web page (HTML)", "download the PDF again"),
    ],
)
def test_a_file_that_is_another_format_says_what_it_is_and_how_to_fix_it(
    name: str, source: str, problem: str, fix: str, fixtures_dir: Path
) -> None:
    result = extract(name, (fixtures_dir / source).read_bytes())
    assert result.status == "error"
    assert problem in result.message
    assert fix in result.message


@pytest.mark.parametrize(
    ("data", "problem", "fix"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image", "convert it to PDF"),
        (b"\xff\xd8\xff\xe0" + bytes(200), "JPEG image", "convert it to PDF"),
        (b"\xd0\xcf\x11\xe0" + bytes(200), "old-style Office", "save or export it"),
    ],
)
def test_an_image_or_old_office_file_named_pdf_is_named_for_what_it_is(
    data: bytes, problem: str, fix: str
) -> None:
    result = extract("minutes.pdf", data)
    assert result.status == "error"
    assert problem in result.message and fix in result.message


def test_unexpected_extractor_failure_becomes_an_error_not_an_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(data: bytes, max_elements: int) -> Extracted:
        raise RuntimeError("lxml exploded")

    monkeypatch.setattr("pipeline.ingest.web.extract_html", boom)
    result = extract("page.html", b"<html><body><p>Minutes</p></body></html>")
    assert result.status == "error"
    assert "lxml exploded" in result.message
    assert "--debug" in result.message


def test_text_in_windows_1252_reads_like_utf8_with_a_warning(
    fixtures_dir: Path, extracted: Extract
) -> None:
    """The usual legacy encoding of UK minutes: "’" and "£" must not turn into other letters."""
    text = (fixtures_dir / "mini-minutes.txt").read_text(encoding="utf-8")
    result = extract("minutes.txt", text.encode("cp1252"))
    assert result.status == "warning"
    assert "UTF-8" in result.message
    assert result.pages[0].text == extracted("mini-minutes.txt").pages[0].text


def test_form_feeds_in_text_files_are_page_breaks() -> None:
    result = extract("minutes.txt", b"First page text.\fSecond page text.\n")
    assert [(p.number, p.text) for p in result.pages] == [
        (1, "First page text."),
        (2, "Second page text."),
    ]


def test_extracted_round_trips_through_json(extracted: Extract) -> None:
    result = extracted("mini-minutes.pdf")
    assert Extracted.from_json(result.to_json()) == result


# --------------------------------------------------------------------------- ingest()
def raw(rel: str, data: bytes, problem: str | None = None) -> RawFile:
    return RawFile(rel, "" if problem else io.sha256_bytes(data), len(data), problem)


def read(fixtures_dir: Path, name: str, rel: str | None = None) -> tuple[RawFile, Extracted]:
    data = (fixtures_dir / name).read_bytes()
    return raw(rel or name, data), extract(name, data)


def test_documents_table_conforms_to_its_schema(fixtures_dir: Path) -> None:
    files = [
        read(fixtures_dir, n)
        for n in ("mini-minutes.docx", "mini-minutes.md", "empty.pdf", "encrypted.pdf")
    ]
    documents, pages = ingest(files)
    assert list(documents.columns) == schemas.columns("documents")
    pd.testing.assert_frame_equal(schemas.conform(documents, "documents"), documents)
    assert list(pages.columns) == schemas.columns("pages")


def test_minutes_row_has_type_date_pages_and_words(fixtures_dir: Path, source: Source) -> None:
    rawfile, result = read(fixtures_dir, "mini-minutes.pdf", "minutes/mini-minutes.pdf")
    documents, pages = ingest([(rawfile, result)])
    row = documents.iloc[0]
    assert row["doc_id"] == rawfile.sha256[:12]
    assert row["source"] == "minutes/mini-minutes.pdf"
    assert row["doc_type"] == "minutes"
    assert row["meeting_date"].date() == dt.date(2024, 3, 14)  # "held on Thursday 14 March 2024"
    assert row["pages"] == len(result.pages)
    assert row["n_words"] == sum(len(p.text.split()) for p in result.pages)
    assert (row["status"], row["message"]) == ("ok", "")
    assert list(pages["page"]) == [p.number for p in result.pages]
    assert set(pages["doc_id"]) == {row["doc_id"]}


def test_ocr_pages_and_confidence_are_recorded(fixtures_dir: Path, extracted: Extract) -> None:
    data = (fixtures_dir / "mixed-scan.pdf").read_bytes()
    documents, pages = ingest([(raw("mixed-scan.pdf", data), extracted("mixed-scan.pdf"))])
    row = documents.iloc[0]
    assert row["ocr_pages"] == 1
    assert row["ocr_confidence"] > 60
    assert "tesseract" in row["extractor"]
    assert list(pages["ocr"]) == [False, True]


def test_duplicate_content_is_analysed_once(fixtures_dir: Path) -> None:
    first = read(fixtures_dir, "mini-minutes.md", "minutes/2024-03-14.md")
    second = read(fixtures_dir, "mini-minutes.md", "copies/2024-03-14 (1).md")
    documents, pages = ingest([first, second])
    assert list(documents["status"]) == ["ok", "duplicate"]
    assert "minutes/2024-03-14.md" in documents.iloc[1]["message"]
    assert documents["doc_id"].is_unique
    assert set(pages["source"]) == {"minutes/2024-03-14.md"}
    assert len(pages) == len(first[1].pages)


def test_file_with_a_problem_is_skipped_with_that_message() -> None:
    problem = "'.xlsx' files are not read; convert the file"
    documents, pages = ingest([(raw("budget.xlsx", b"PK...", problem), None)])
    row = documents.iloc[0]
    assert (row["status"], row["message"]) == ("skipped", problem)
    assert row["source"] == "budget.xlsx"
    assert pages.empty


def test_unreadable_file_is_an_error_row_and_passes_no_pages(fixtures_dir: Path) -> None:
    documents, pages = ingest(
        [read(fixtures_dir, "truncated.pdf"), read(fixtures_dir, "mini-minutes.txt")]
    )
    assert list(documents["status"]) == ["error", "ok"]
    assert "truncated" in documents.iloc[0]["message"]
    assert set(pages["source"]) == {"mini-minutes.txt"}


def test_readable_file_without_words_is_a_warning() -> None:
    data = b"   \n\n  \n"
    documents, _ = ingest([(raw("blank.txt", data), extract("blank.txt", data))])
    row = documents.iloc[0]
    assert row["status"] == "warning"
    assert "no text" in row["message"]
    assert row["n_words"] == 0


def test_a_heading_dated_otherwise_than_the_file_name_wins_and_the_row_says_so() -> None:
    """The file named for the day the notes went out, the heading for the day of the meeting."""
    files = {
        "2021-03-07.txt": "Carers Forum: minutes\n\nWednesday 10 March 2021\n\nThe forum met.",
        "2021-04-14.txt": "Carers Forum: minutes\n\nWednesday 14 April 2021\n\nIt met again.",
    }
    documents, _ = ingest(
        [(raw(name, text.encode()), extract(name, text.encode())) for name, text in files.items()]
    )
    moved, agreed = documents.iloc[0], documents.iloc[1]
    assert moved["meeting_date"].date() == dt.date(2021, 3, 10)
    assert moved["status"] == "warning"
    assert "10 March 2021" in moved["message"] and "2021-03-07" in moved["message"]
    assert (agreed["status"], agreed["message"]) == ("ok", "")
    assert agreed["meeting_date"].date() == dt.date(2021, 4, 14)


def test_no_files_gives_an_empty_documents_table() -> None:
    documents, pages = ingest([])
    assert documents.empty and pages.empty
    assert list(documents.columns) == schemas.columns("documents")


def test_page_dataclass_defaults_mark_text_pages() -> None:
    page = Page(3, "text")
    assert (page.header, page.footer, page.ocr, page.ocr_confidence) == ("", "", False, None)


def test_docx_cell_merged_across_columns_is_read_once() -> None:
    """Word repeats a merged cell once per column it spans; its text must come through once."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Eastbrook Carers Forum actions"
    for r, row in enumerate([["No.", "Action", "Owner"], ["1", "Redesign the form", "FC"]], 1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    buffer = BytesIO()
    document.save(buffer)
    result = extract("actions.docx", buffer.getvalue())
    assert result.pages[0].text.split("\n") == [
        "Eastbrook Carers Forum actions",
        "No. | Action | Owner",
        "1 | Redesign the form | FC",
    ]


def test_a_markdown_page_with_front_matter_and_an_html_body_reads_as_its_html() -> None:
    """Static-site archives keep minutes as Markdown files whose body is HTML."""
    page = (
        b"---\ntitle: Board minutes\nlayout: post\n---\n\n"
        b"<p><strong>Present:</strong></p>\n<p>Ann Price (Chair)</p>\n<p>Tom Reilly</p>\n"
        b"<p><strong>1. Welcome</strong></p>\n<p>The Chair welcomed members.</p>\n"
    )
    result = extract("minutes.md", page)
    text = result.pages[0].text
    assert "<p>" not in text and "layout" not in text
    assert "Ann Price (Chair)" in text.split("\n\n")
    assert "layout: post" in result.pages[0].header  # counted as page furniture


def test_docx_minutes_framed_in_a_one_column_table_read_as_running_text() -> None:
    """Some bodies draw a box round each item: a one-column table whose cell holds the item's
    heading, paragraphs and bullet list. Its paragraphs are blocks, its bullets stay bullets."""
    import docx

    document = docx.Document()
    document.add_paragraph("Open Data Forum, 24th meeting")
    box = document.add_table(rows=2, cols=1)
    first = box.cell(0, 0)
    first.paragraphs[0].text = "Update from the Relationship Manager"
    first.add_paragraph("A response to the select committee is being drafted.", "List Bullet")
    first.add_paragraph("The agency will release its flood data.", "List Bullet")
    second = box.cell(1, 0)
    second.paragraphs[0].text = "AOB"
    second.add_paragraph("None.")
    grid = document.add_table(rows=2, cols=2)  # a real grid stays a table
    for r, row in enumerate([["Item", "Lead"], ["Welcome", "HS"]]):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    buffer = BytesIO()
    document.save(buffer)
    blocks = extract("minutes.docx", buffer.getvalue()).pages[0].text.split("\n\n")
    assert blocks == [
        "Open Data Forum, 24th meeting",
        "Update from the Relationship Manager\n"
        "• A response to the select committee is being drafted.\n"
        "• The agency will release its flood data.",
        "AOB",
        "None.",
        "Item | Lead\nWelcome | HS",
    ]


def test_docx_whose_author_breaks_lines_with_enter_keeps_each_paragraph_whole() -> None:
    """Empty paragraphs separate the paragraphs; each sentence is a Word paragraph of its own."""
    import docx

    document = docx.Document()
    for text in [
        "Patient Group Committee - email meeting",
        "",
        "Participants: Janette Dunmore (JD), Iris Pryde",
        "",
        "Our committee is now larger.",
        "However, it is harder to find meeting times.",
        "",
        "ACTION: We agreed to suggest the points below.",
        "",
        "Regular meetings: the whole committee will meet every other month.",
        "Each meeting will open with a short Q&A.",
        "",
    ]:
        document.add_paragraph(text)
    buffer = BytesIO()
    document.save(buffer)
    blocks = extract("minutes.docx", buffer.getvalue()).pages[0].text.split("\n\n")
    assert blocks == [
        "Patient Group Committee - email meeting",
        "Participants: Janette Dunmore (JD), Iris Pryde",
        "Our committee is now larger.\nHowever, it is harder to find meeting times.",
        "ACTION: We agreed to suggest the points below.",
        "Regular meetings: the whole committee will meet every other month.\n"
        "Each meeting will open with a short Q&A.",
    ]


def _tsv(lines: list[list[tuple[str, int]]]) -> bytes:
    """Tesseract's TSV for lines of (word, left) at 300 dpi, each letter 20 pixels wide."""
    columns = "level page_num block_num par_num line_num word_num left top width height conf"
    head = "\t".join([*columns.split(" "), "text"])
    rows = [head]
    for n, words in enumerate(lines, start=1):
        for k, (word, left) in enumerate(words, start=1):
            width = 20 * len(word)
            rows.append(f"5\t1\t1\t1\t{n}\t{k}\t{left}\t{100 * n}\t{width}\t40\t95\t{word}")
    return ("\n".join(rows) + "\n").encode()


def test_a_scanned_line_across_a_tables_cells_is_read_as_its_cells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tesseract reads a table row as one line: a gap many word spaces wide, or the ruled border
    it reads as "|", parts the cells; a justified line's wide but even spaces do not."""
    import subprocess

    from pipeline.ingest import ocr

    def words(text: str, left: int, space: int = 16) -> list[tuple[str, int]]:
        out = []
        for w in text.split():
            out.append((w, left))
            left += 20 * len(w) + space
        return out

    # Line 2's border stands just after its left cell; its action starts 40 pixels after that
    # cell ends, nearer than a gap that parts cells on this page (three word spaces, 48).
    left = words("Members asked for the figures by ward", 400)
    end = left[-1][1] + 20 * len(left[-1][0])
    lines = [
        words("Budget agreed in principle.", 400) + words("04-06 Policy to go out", end + 40),
        [*left, ("|", end + 10), *words("04-07 TR to", end + 40)],
        words("Rents rose by a fifth", 400, space=45),
    ]
    tsv = _tsv(lines)

    def fake(*args: object, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        return subprocess.CompletedProcess(args, 0, tsv, b"")

    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr.subprocess, "run", fake)
    found, _ = ocr.ocr_png(b"", 300 / 72)
    assert [ln.text for ln in found] == [
        "Budget agreed in principle. | 04-06 Policy to go out",
        "Members asked for the figures by ward | 04-07 TR to",
        "Rents rose by a fifth",
    ]


def test_every_kind_of_document_has_a_reader_and_an_unknown_kind_is_an_error() -> None:
    from pipeline import ingest
    from pipeline.core import config

    assert set(config.DOCUMENT_SUFFIXES.values()) == set(ingest.READERS)
    # A file of no known kind is never read as if it were text (an .rtf would keep its codes).
    result = ingest.extract("minutes.rtf", rb"{\rtf1\ansi Minutes of the meeting}")
    assert result.status == "error" and result.pages == []
    assert ".docx" in result.message and "no reader" in result.message


def test_tesseract_runs_on_one_thread_whatever_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import subprocess

    from pipeline.ingest import ocr

    seen: dict[str, str] = {}

    def fake_run(*args: object, env: dict[str, str], **kwargs: object) -> object:
        seen.update(env)
        raise OSError("stop here")

    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(subprocess, "run", fake_run)
    with pytest.raises(OSError):
        ocr.ocr_png(b"", 1.0)
    assert seen["OMP_THREAD_LIMIT"] == "1"
