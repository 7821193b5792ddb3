"""Facts read from a document's opening and name: the meeting date and the document type."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.ingest.facts import doc_type, find_date, meeting_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        # Text run together by a PDF extractor ("2024in") must still give the date.
        (
            "Minutes of the meeting held on the 11th April 2024in the Council Chamber",
            "m.pdf",
            D(2024, 4, 11),
        ),
        ("MINUTES\nThursday 28 March 2019, 2pm, Town Hall", "m.pdf", D(2019, 3, 28)),
        ("Minutes of the Partnership Board, 26/02/2018", "m.pdf", D(2018, 2, 26)),
        ("Minutes of the Partnership Board, 26.02.18", "m.pdf", D(2018, 2, 26)),
        ("Meeting date: 2023-05-25", "m.pdf", D(2023, 5, 25)),
        ("Minutes of the meeting of 19th of January, 2023", "m.pdf", D(2023, 1, 19)),
        ("Minutes of the meeting of January 19, 2023", "m.pdf", D(2023, 1, 19)),
        ("Minutes of the meeting of 5 Sept 2022", "m.pdf", D(2022, 9, 5)),
        # Nothing in the text: the file name decides, with dashes or underscores.
        ("Minutes of the Partnership Board", "minutes/2023-01-19-minutes.pdf", D(2023, 1, 19)),
        ("Minutes of the Partnership Board", "2023_01_19_minutes.docx", D(2023, 1, 19)),
        ("Minutes of the Partnership Board", "Minutes 19 January 2023.pdf", D(2023, 1, 19)),
    ],
)
def test_meeting_date(text: str, filename: str, expected: dt.date) -> None:
    assert meeting_date(text, filename) == expected


def test_date_on_the_held_on_line_beats_an_earlier_date() -> None:
    text = "Published 01/06/2024\nMinutes of the meeting held on Thursday 14 March 2024 at 2pm"
    assert meeting_date(text, "m.pdf") == D(2024, 3, 14)


def test_text_date_beats_the_file_name() -> None:
    assert meeting_date("Minutes, 14 March 2024", "2023-01-19-minutes.pdf") == D(2024, 3, 14)


def test_a_date_deep_in_the_document_is_not_the_meeting_date() -> None:
    text = "Minutes of the Partnership Board\n" + "Discussion. " * 200 + "Next meeting 5 May 2024"
    assert meeting_date(text, "minutes.pdf") is None


@pytest.mark.parametrize("text", ["31/02/2020", "30 February 2020", "2020-13-01", "no date here"])
def test_impossible_or_missing_dates_give_none(text: str) -> None:
    assert meeting_date(text, "minutes.pdf") is None


def test_earliest_written_date_wins() -> None:
    assert find_date("Agenda 3 March 2024; papers dated 1 February 2024") == D(2024, 3, 3)


@pytest.mark.parametrize(
    ("first_page", "rel_path", "expected"),
    [
        ("Minutes of the meeting held on 14 March 2024", "2024-03-14.pdf", "minutes"),
        ("Eastbrook Carers Forum", "minutes/2024-03-14-minutes.pdf", "minutes"),
        ("MINUTES OF THE PARTNERSHIP BOARD", "board.docx", "minutes"),
        ("AGENDA\n1. Welcome and apologies", "2024-03-14.pdf", "agenda"),
        ("Partnership Board", "agendas/2024-03-14-agenda.pdf", "agenda"),
        ("Agenda for the meeting on 14 March", "doc.pdf", "agenda"),
        ("Action log", "board.xlsx.pdf", "action_log"),
        ("Partnership Board", "2024-03-action-log.pdf", "action_log"),
        ("Involvement strategy 2023-2026", "papers/involvement.pdf", "papers"),
        ("Partnership Board", "papers/2024-06-20-performance-report.pdf", "papers"),
        ("Hello", "notes.txt", "other"),
    ],
)
def test_doc_type(first_page: str, rel_path: str, expected: str) -> None:
    assert doc_type(first_page, rel_path) == expected


def test_minutes_that_mention_the_agenda_are_still_minutes() -> None:
    text = "Minutes of the meeting\nThe agenda for the next meeting was agreed."
    assert doc_type(text, "2024-03-14.pdf") == "minutes"
