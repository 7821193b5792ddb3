"""PDFs set glyph by glyph, as Word exports them: words come out whole, running headers set aside.

Word's PDF export places text in runs, many of them one glyph long, each at a position of its
own: a kerned pair or a change of letter spacing starts a new run inside a word, and the space
between words is often no character at all, only a longer step to the next run. The ink of two
letters of one word can then stand as far apart as that of two words ("w hite", "1 8 October").
These fixtures draw every glyph as a text object of its own with reportlab: a small step, kerned
one way or the other, between the letters of a word, a space's width between words, and a
heading that Word repeats on every page, set below the top margin.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from pipeline.core import io
from pipeline.ingest import RawFile, extract, ingest
from pipeline.ingest.pdf import extract_pdf

# Kerning steps (points at 11 pt) between the letters of a word, taken in turn: as Word's export
# tightens or loosens pairs, up to about a twentieth of the type size either way.
KERNS = (0.0, 0.45, -0.3, 0.55, 0.2, -0.15)
HEIGHT = A4[1]


def draw_glyphs(
    canvas: Canvas,
    text: str,
    x: float,
    top: float,
    *,
    font: str = "Helvetica",
    size: float = 11.0,
    scaled: bool = False,
    space: float = 1.0,
    kerns: Sequence[float] = KERNS,
) -> None:
    """``text`` on the line whose baseline is ``top`` points below the page's top, one text
    object per glyph.

    Letters of a word step by their advance plus the next of ``kerns``; words by a space's width
    times ``space``, with no space character. ``scaled`` sets the type at size 1 and scales it
    with the text matrix, as Word and LibreOffice do.
    """
    y = HEIGHT - top
    kern = itertools.cycle(kerns)
    for word in text.split(" "):
        for i, glyph in enumerate(word):
            if scaled:
                text_object = canvas.beginText()
                text_object.setTextTransform(size, 0, 0, size, x, y)
                text_object.setFont(font, 1)
                text_object.textOut(glyph)
                canvas.drawText(text_object)
            else:
                canvas.setFont(font, size)
                canvas.drawString(x, y, glyph)
            x += stringWidth(glyph, font, size) + (next(kern) if i < len(word) - 1 else 0.0)
        x += stringWidth(" ", font, size) * space


SENTENCES = [
    "Minutes of the forum held on Wednesday 18 October 2023 at 6.15pm",
    "Carers asked for the yellow lines to be repainted outside the clinic",
    "The new transport scheme will start again on Monday 20 November.",
    "GH asked about the waiting list; FC noted the change of provider.",
]


@pytest.mark.parametrize("scaled", [False, True], ids=["sized", "scaled"])
@pytest.mark.parametrize("sentence", SENTENCES)
def test_words_set_glyph_by_glyph_come_out_whole(
    tmp_path: Path, sentence: str, scaled: bool
) -> None:
    """Kerned letters join into their word; words stay apart, even a narrow space apart.

    The second line's words are set half a space apart, which pdfium's own text runs together;
    the advance boxes still show a space.
    """
    path = tmp_path / "glyphs.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    draw_glyphs(canvas, sentence, 72, 200, scaled=scaled)
    draw_glyphs(canvas, sentence, 72, 230, scaled=scaled, space=0.5)
    canvas.save()
    lines = extract_pdf(path.read_bytes()).pages[0].text.split("\n")
    assert [ln for ln in lines if ln.strip()] == [sentence, sentence]


@pytest.mark.parametrize("label", ["11.", "(m)", "b)"])
def test_a_list_number_set_close_against_its_text_stays_apart(tmp_path: Path, label: str) -> None:
    """Word exports some lists with no space or tab after the number: the text starts where the
    number's last glyph ends. A capital after closing punctuation starts a word all the same."""
    path = tmp_path / "list.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    draw_glyphs(canvas, label, 72, 200, kerns=(0.0,))
    draw_glyphs(
        canvas,
        "The forum agreed its terms of reference",
        72 + stringWidth(label, "Helvetica", 11) + 0.1,
        200,
    )
    canvas.save()
    assert (
        extract_pdf(path.read_bytes()).pages[0].text
        == f"{label} The forum agreed its terms of reference"
    )


def word_export(path: Path, heading: Sequence[str], pages: Sequence[Sequence[str]]) -> None:
    """A Word-made PDF: ``heading`` at the head of every page, its first line 100 points below the
    page's top (deeper than the margin band), then each page's paragraphs, glyph by glyph."""
    canvas = Canvas(str(path), pagesize=A4)
    for paragraphs in pages:
        for i, line in enumerate(heading):
            draw_glyphs(canvas, line, 150, 100 + 15 * i)
        top = 100 + 15 * len(heading) + 30
        for paragraph in paragraphs:
            draw_glyphs(canvas, paragraph, 72, top)
            top += 24
        canvas.showPage()
    canvas.save()


HEADING = [
    "Westmoor Carers Forum and Health Centre meeting",
    "Minutes of the forum held on Wednesday 18 October 2023 at 6.15pm",
]
PAGES = [
    ["Those present", "Carers asked for the yellow lines to be repainted."],
    ["The health centre noted the change of transport provider.", "Actions were agreed."],
    ["Any other business: none.", "The next meeting will be in the spring."],
]


def test_a_heading_repeated_on_every_page_below_the_margin_is_a_running_header(
    tmp_path: Path,
) -> None:
    """The first page keeps it as its title; later pages set it aside as their header."""
    path = tmp_path / "2023-10-18.pdf"
    word_export(path, HEADING, PAGES)
    result = extract_pdf(path.read_bytes())
    first, *later = result.pages
    assert first.text.split("\n\n")[0].split("\n") == HEADING
    assert first.header == ""
    for page, paragraphs in zip(later, PAGES[1:], strict=True):
        assert page.header == "\n".join(HEADING)
        assert page.text.split("\n\n") == paragraphs


def test_the_meeting_date_of_a_word_export_is_the_headings(tmp_path: Path) -> None:
    path = tmp_path / "2023-10-18.pdf"
    word_export(path, HEADING, PAGES)
    data = path.read_bytes()
    documents, _ = ingest(
        [(RawFile(path.name, io.sha256_bytes(data), len(data)), extract(path.name, data))]
    )
    row = documents.iloc[0]
    assert (row["status"], row["doc_type"]) == ("ok", "minutes")
    assert row["meeting_date"].date() == dt.date(2023, 10, 18)


def draw_row(canvas: Canvas, cells: Sequence[str], y: float, tab: float = 90.0) -> None:
    """One line as one text run, as Word exports a row set with tab stops: each cell's text,
    then a jump of ``tab`` points (a TJ adjustment, no character) to the next cell."""
    text = canvas.beginText()
    text.setFont("Helvetica", 10)
    text.setTextOrigin(56, y)
    parts = []
    for i, cell in enumerate(cells):
        last = i == len(cells) - 1
        parts.append(f"({cell}{'' if last else ' '})")
        if not last:
            parts.append(str(-tab * 100))  # thousandths of the type size: 10 pt type
    text._code.append(f"[{' '.join(parts)}] TJ")
    canvas.drawText(text)


def test_an_attendance_list_set_with_tab_stops_reads_as_cells_and_its_headings_stay_apart(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tabbed.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    y = HEIGHT - 60
    rows = [
        ("PRESENT:",),
        ("Name", "Organisation", "Affiliation"),
        ("Anna Verity", "Lloyds", "CCA"),
        ("Bram Holt", "Tarn Pharmacy", "Independent"),
        ("Cora Lind", "The Committee", "Treasurer"),
        ("IN ATTENDANCE:",),
        ("Name", "Organisation", "Affiliation"),
        ("Dev Okafor", "Area Team", "Area Rep"),
    ]
    for cells in rows:
        y -= 30 if len(cells) == 1 else 16
        draw_row(canvas, cells, y)
    # A justified line stretches its word spaces, to a type size at most: still one line.
    draw_row(canvas, ["The committee agreed the minutes as a true record."], y - 30)
    stretched = canvas.beginText()
    stretched.setFont("Helvetica", 10)
    stretched.setTextOrigin(56, y - 46)
    stretched.setWordSpace(8)
    stretched.textOut("It was agreed to write to the area team about it.")
    canvas.drawText(stretched)
    canvas.save()
    lines = extract_pdf(path.read_bytes()).pages[0].text.split("\n")
    assert "Bram Holt | Tarn Pharmacy | Independent" in lines
    assert "Cora Lind | The Committee | Treasurer" in lines
    assert "IN ATTENDANCE:" in lines
    assert "Dev Okafor | Area Team | Area Rep" in lines
    assert "The committee agreed the minutes as a true record." in lines
    assert "It was agreed to write to the area team about it." in lines


def test_an_action_table_with_slight_padding_starts_a_row_at_each_new_owner(
    tmp_path: Path,
) -> None:
    """Rows a wrapped line's height apart and a point or two more: each owner starts a row,
    an action with no owner of its own is a row under the one before, a wrapped line joins."""
    path = tmp_path / "actions.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica", 9)
    lines = [
        (0.0, ("Who", "What", "Status")),
        (19.0, ("Hana", "Ask the council about grass cutting on the green", "On Agenda")),
        (23.0, ("", "Pelican crossing: ask if the signals can be retimed near", "On Agenda")),
        (11.5, ("", "the school", "")),
        (14.2, ("Mair", "Tell the estate about the pothole on the shore walk", "Complete")),
        (14.6, ("Lowri", "Arrange a meeting about the website handover", "Follow Up")),
    ]
    y = HEIGHT - 100
    for step, cells in lines:
        y -= step
        for x, cell in zip((60, 130, 420), cells, strict=True):
            if cell:
                canvas.drawString(x, y, cell)
    canvas.save()
    rows = extract_pdf(path.read_bytes()).pages[0].text.split("\n")
    assert (
        "| Pelican crossing: ask if the signals can be retimed near the school | On Agenda" in rows
    )
    assert "Mair | Tell the estate about the pothole on the shore walk | Complete" in rows
    assert "Lowri | Arrange a meeting about the website handover | Follow Up" in rows
