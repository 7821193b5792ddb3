"""What the figures rest on, counted: table ``adequacy``, one row for the run and one per year.

How many documents were read, at how many meetings the attendance list was read, and how many
lay people were found present. The report's adequacy box (``pipeline/report/adequacy.py``) words
these counts with the share of words that reached units (table text_coverage) and the run's
inputs (the manifest's facts: roster, codebook, lay seats); it counts nothing itself.
"""

from __future__ import annotations

import pandas as pd

from pipeline.core import config, schemas

# A copy of a meeting read from another file was read too: it is not a file the reading missed.
READ_STATUSES = (*config.USABLE_STATUSES, *config.COPY_STATUSES)


def adequacy(
    documents: pd.DataFrame, meetings: pd.DataFrame, attendance: pd.DataFrame
) -> pd.DataFrame:
    """Table adequacy: the run (year 0), then each year of the meetings, in order."""
    rows = [_row(0, documents, meetings, attendance)]
    years = pd.to_numeric(meetings["year"], errors="coerce") if len(meetings) else pd.Series()
    for year in sorted(int(y) for y in years.dropna().unique()):
        of_year = meetings[years == year]
        docs = set(of_year["doc_id"].astype(str))
        in_year = documents[documents["doc_id"].astype(str).isin(docs)]
        rows.append(_row(year, in_year, of_year, attendance))
    return schemas.conform(pd.DataFrame(rows, columns=schemas.columns("adequacy")), "adequacy")


def _row(
    year: int, documents: pd.DataFrame, meetings: pd.DataFrame, attendance: pd.DataFrame
) -> dict[str, int]:
    ids = set(meetings["meeting_id"].astype(str))
    present = attendance[
        attendance["meeting_id"].astype(str).isin(ids)
        & (attendance["status"] == "present")
        & attendance["role"].isin(config.LAY_ROLES)
    ]
    return {
        "year": year,
        "documents": len(documents),
        "documents_read": int(documents["status"].isin(READ_STATUSES).sum()),
        "meetings": len(meetings),
        "meetings_with_attendance": int(meetings["has_attendance"].astype(bool).sum()),
        "lay_people_present": int(present["person_id"].nunique()),
    }
