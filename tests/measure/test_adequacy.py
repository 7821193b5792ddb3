"""Table adequacy: what the figures rest on, counted once in the measure stage for the run and
each year, so the report and the console only word it."""

from __future__ import annotations

import pandas as pd

from pipeline.core import schemas
from pipeline.measure.adequacy import adequacy
from pipeline.report import adequacy as box
from tests.measure.test_measure import MEETINGS, meetings_frame


def _documents(statuses: dict[str, str]) -> pd.DataFrame:
    rows = [
        {
            "doc_id": doc,
            "source": f"{doc}.pdf",
            "sha256": doc,
            "doc_type": "minutes",
            "body": "",
            "meeting_date": None,
            "pages": 1,
            "n_words": 100,
            "ocr_pages": 0,
            "ocr_confidence": None,
            "extractor": "pdf",
            "status": status,
            "message": "",
        }
        for doc, status in statuses.items()
    ]
    return schemas.conform(pd.DataFrame(rows), "documents")


def _attendance(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                "meeting_id": meeting,
                "meeting_date": None,
                "person_id": person,
                "role": role,
                "status": status,
                "role_source": "board.yaml",
                "doc_id": meeting,
                "source": f"{meeting}.pdf",
            }
            for meeting, person, role, status in rows
        ],
        columns=schemas.columns("attendance"),
    )
    return schemas.conform(frame, "attendance")


def test_counts_for_the_run_and_each_year() -> None:
    first, second, third, fourth = (m for m, _, _ in MEETINGS)  # two in 2023, two in 2024
    meetings = meetings_frame()
    meetings.loc[meetings["meeting_id"] == fourth, "has_attendance"] = False
    documents = _documents(
        {first: "ok", second: "same_meeting", third: "error", fourth: "warning", "loose": "error"}
    )
    attendance = _attendance(
        [
            (first, "Service User 1", "service_user", "present"),
            (second, "Service User 1", "service_user", "present"),  # the same person again
            (second, "Carer 1", "carer", "apologies"),  # sent apologies: not present
            (third, "Carer 1", "carer", "present"),
            (third, "Officer 1", "officer", "present"),  # present, but not lay
        ]
    )
    table = adequacy(documents, meetings, attendance).set_index("year")
    assert list(table.index) == [0, 2023, 2024]
    assert table.loc[0, ["documents", "documents_read"]].tolist() == [5, 3]
    assert table.loc[2023, ["documents", "documents_read"]].tolist() == [2, 2]
    assert table.loc[2024, ["documents", "documents_read"]].tolist() == [2, 1]
    assert table.loc[0, ["meetings", "meetings_with_attendance"]].tolist() == [4, 3]
    assert table.loc[2024, ["meetings", "meetings_with_attendance"]].tolist() == [2, 1]
    assert table["lay_people_present"].to_dict() == {0: 2, 2023: 1, 2024: 1}


def test_the_report_words_the_counts_and_says_when_an_older_analysis_never_made_them() -> None:
    meetings = meetings_frame()
    documents = _documents({m: "ok" for m, _, _ in MEETINGS})
    tables = {
        "meetings": meetings,
        "text_coverage": schemas.empty("text_coverage"),
        "text_accounting": schemas.empty("text_accounting"),
        "adequacy": adequacy(documents, meetings, _attendance([])),
    }
    found = {c.name: c for c in box.checks(tables, {"lay_seats": 2}, year=2024)}
    assert found["Documents read"].value == "2 of 2" and found["Documents read"].ok
    assert not found["Lay members found"].ok

    older = {**tables, "adequacy": schemas.empty("adequacy")}
    found = {c.name: c for c in box.checks(older, {})}
    assert not found["Documents read"].ok
    assert "analyse again" in found["Documents read"].note
