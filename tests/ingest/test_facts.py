"""Facts read from a document's opening and name: meeting date, document type and board."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.ingest import facts
from pipeline.ingest.facts import body, doc_type, find_date, meeting_date

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
        # File names as boards save them: day first, any separator, a revision number after.
        (
            "Minutes of the Committee",
            "Minutes-of-Committee-06-03-2019-Rev-1904A.pdf",
            D(2019, 3, 6),
        ),
        ("Minutes of the Committee", "Committee minutes 15-4-16- final.pdf", D(2016, 4, 15)),
        ("Minutes of the Board", "Board minutes (FINAL) 02 03 2011.pdf", D(2011, 3, 2)),
        ("Minutes of the Board", "20150415 Board minutes.odt", D(2015, 4, 15)),
        ("Minutes of the Board", "board-minutes-held-10102014.md", D(2014, 10, 10)),
        ("Agenda", "Board agenda 09th-Jan-2025 14.00.pdf", D(2025, 1, 9)),
        # A suffix typed, then set again as a superscript.
        (
            "Carers Forum: minutes of the email meeting\nWednesday 10thth March 2021",
            "m.docx",
            D(2021, 3, 10),
        ),
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
        (
            "Brackenhurst Residents' Forum\nNotes of the meeting held on 9 April",
            "f.docx",
            "minutes",
        ),
        ("Record of the steering group meeting, 4 June 2024", "june.pdf", "minutes"),
        ("Briefing paper\nThis paper notes of course the meeting dates", "p.pdf", "papers"),
        # Notes that say so inside a line are minutes too: ingestion decides it, once.
        ("Brackenhurst carers: notes of the April meeting\n\nWe met.", "0409.txt", "minutes"),
    ],
)
def test_doc_type(first_page: str, rel_path: str, expected: str) -> None:
    assert doc_type(first_page, rel_path) == expected


def test_an_agenda_listing_last_meetings_minutes_is_an_agenda() -> None:
    # Kent Cabinet's agenda front sheets (issue 15): "Minutes of the Meeting held on ..." is an
    # item of the agenda, not its title, so the document is no meeting.
    text = (
        "AGENDA\n\nCABINET\nThursday, 27th February, 2025, at 10.00 am\n\n1.\n\nApologies\n\n"
        "2.\n\nMinutes of the Meeting held on 30th January 2025 (Pages 1 - 12)"
    )
    assert doc_type(text, "Agenda frontsheet 27th-Feb-2025 10.00 Cabinet.pdf") == "agenda"
    assert doc_type(text, "2025-02-27.pdf") == "agenda"
    assert doc_type(text, "Printed minutes 27th-Feb-2025.pdf") == "minutes"


def test_minutes_that_mention_the_agenda_are_still_minutes() -> None:
    text = "Minutes of the meeting\nThe agenda for the next meeting was agreed."
    assert doc_type(text, "2024-03-14.pdf") == "minutes"


# --------------------------------------------------------------------------- order of trust
HEADER_TABLE = """Minutes

Title of Meeting: Eastbrook Carers Support Group

Date: 9 May 2024

Attendees: Gillian Harcourt (Chair), Tomasz Nowicki

1. Minutes of the last meeting

The minutes of the meeting held on 11 April 2024 were agreed."""


@pytest.mark.parametrize(
    ("text", "filename", "running", "expected"),
    [
        # The header table's "Date:" beats the previous meeting's "held on" further down.
        (HEADER_TABLE, "2024-01-01-minutes.pdf", "", D(2024, 5, 9)),
        # "Date | 9 May 2024", as a table row can read.
        ("Minutes\nDate | 9 May 2024\nVenue | Town Hall", "m.pdf", "", D(2024, 5, 9)),
        # The title line's date beats the header block and the running header.
        ("Carers Forum, Thursday 28 March 2019\nDate: 1 April 2019", "m.pdf", "", D(2019, 3, 28)),
        # An issue date in the title lines is not the meeting's.
        (
            "Agenda\nDate of issue: 11 January 2023\nMeeting: 19 January 2023",
            "a.pdf",
            "",
            D(2023, 1, 19),
        ),
        ("Agenda\nPublished 11/01/2023\nDate of meeting: 19/01/2023", "a.pdf", "", D(2023, 1, 19)),
        # "held on" of the previous or next meeting does not count, even in the title lines.
        (
            "Notes\nFollowing the last meeting held on 2 May 2024, members met on 9 May 2024",
            "n.pdf",
            "",
            D(2024, 5, 9),
        ),
        # Another meeting's date in the heading is not this meeting's.
        (
            "Progress on the forum's actions since the last meeting 19.11.10\nAction | Owner",
            "Forum actions - 11.01.11.pdf",
            "",
            D(2011, 1, 11),
        ),
        # The meeting that approved these minutes, or whose minutes these approved, is another.
        (
            "Approved at the meeting on 21 May 2024\nCarers Forum minutes, 19 March 2024",
            "m.pdf",
            "",
            D(2024, 3, 19),
        ),
        (
            "Carers Forum\nThe minutes of the meeting held on 14 February 2024 were agreed.\n"
            "Wednesday 13 March 2024",
            "m.pdf",
            "",
            D(2024, 3, 13),
        ),
        # A date broken over two title lines.
        (
            "Notice of a\nmeeting of the Board on\nWednesday, 12th February,\n2025\nat 2.00 pm",
            "agenda.pdf",
            "",
            D(2025, 2, 12),
        ),
        # Nothing in the text: the running header or footer, then the file name.
        ("Minutes of the forum", "2023-01-19.pdf", "Carers Forum – 14 March 2024", D(2024, 3, 14)),
        ("Minutes of the forum", "2023-01-19.pdf", "Printed 20/03/2024\nPage 1", D(2023, 1, 19)),
    ],
)
def test_meeting_date_order_of_trust(
    text: str, filename: str, running: str, expected: dt.date
) -> None:
    assert meeting_date(text, filename, running) == expected


@pytest.mark.parametrize(
    ("first_page", "rel_path"),
    [
        ("Eastbrook Carers Forum\nAction Log: actions from 14 March 2024", "tracker.docx"),
        ("ACTIONS LOG\nCarers Forum", "2024-03-14.pdf"),
        ("Carers Forum\nAction tracker, updated 2 April 2024", "forum.pdf"),
        ("Schedule of actions arising", "forum.pdf"),
        ("Carers Forum", "forum/actions-tracker.xlsx.pdf"),
        ("Carers Forum", "forum/2024_action_log.docx"),
    ],
)
def test_action_logs_are_recognised(first_page: str, rel_path: str) -> None:
    assert doc_type(first_page, rel_path) == "action_log"


def test_minutes_that_review_the_action_log_are_minutes() -> None:
    text = "Minutes of the Carers Forum\nPresent: A, B\n1. Action log\nThe action log was reviewed."
    assert doc_type(text, "2024-03-14.pdf") == "minutes"


# --------------------------------------------------------------------------- board or committee
@pytest.mark.parametrize(
    ("first_page", "expected"),
    [
        (
            "Eastbrook Carers Forum\n\nMinutes of the meeting held on 14 March 2024",
            "Eastbrook Carers Forum",
        ),
        (
            "Minutes of the Eastbrook Carers Forum held on 14 March 2024",
            "Eastbrook Carers Forum",
        ),
        (
            "HARROWMERE MENTAL HEALTH AND WELLBEING\n\nPARTNERSHIP BOARD\n\nMinutes of the meeting",
            "Harrowmere Mental Health and Wellbeing Partnership Board",
        ),
        (
            "Report to the Harrowmere Mental Health and Wellbeing Partnership\n"
            "Board, 19 January 2023",
            "Harrowmere Mental Health and Wellbeing Partnership Board",
        ),
        (
            "Minutes\n\nTitle of Meeting: Carers Steering Group\n\nDate: 9 May 2024",
            "Carers Steering Group",
        ),
        ("NHS DUNSTAN TRUST BOARD – MINUTES", "NHS Dunstan Trust Board"),
        ("Adult Social Care Scrutiny Committee\nAgenda", "Adult Social Care Scrutiny Committee"),
        # "OF THE BOARD" in a title set in capitals names no board; the next line does.
        (
            "MINUTES OF THE BOARD MEETING\nHARROWMERE CARERS PARTNERSHIP BOARD",
            "Harrowmere Carers Partnership Board",
        ),
        # A generic word alone names no body; lists and items are not title lines.
        ("Minutes of the Board meeting held on 1 May 2024", None),
        ("Minutes\nPresent:\n• Cllr Fairbairn, Harrowmere County Council", None),
        ("Notes of a meeting", None),
    ],
)
def test_body(first_page: str, expected: str | None) -> None:
    assert body(first_page) == expected


def test_a_heading_without_a_year_picks_the_file_names_date_with_its_day_and_month() -> None:
    """Archive pages named "<published>-minutes-<meeting>": the heading's "22 June" decides."""
    found = facts.find_meeting_date(
        "TRANSPARENCY BOARD\n\nMinutes of the meeting held on 22 June at the Cabinet Office:",
        "2017-01-01-transparency-board-minutes-22nd-june-2011.md",
    )
    assert found.date == dt.date(2011, 6, 22)
