"""Text coverage: how much of the minutes' words reached the units the figures rest on.

Table ``text_accounting`` says where every word of every document ended; this module sums it
into the figures the report and the console state (table ``text_coverage``): the words in each
place, and the share of the minutes' own words that reached units, for the whole run, for the
documents of each year's meetings, and for each document. Page furniture (running headers and
footers) and documents that are not minutes are left out of that share, because they are not the
minutes' account of a meeting. The report only words these rows (pipeline/report/adequacy.py and
sections.py); the minimum share is ``config.MIN_UNIT_WORD_SHARE``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

import numpy as np
import pandas as pd

from pipeline.core import config, schemas

# Words that are not the minutes' own account: running headers and footers, other documents.
ASIDE: Final[Collection[str]] = ("furniture", "not_minutes")


def text_coverage(accounting: pd.DataFrame, meetings: pd.DataFrame) -> pd.DataFrame:
    """Table text_coverage from tables text_accounting and meetings.

    Rows: the whole run (year 0, no document); each year of the meetings (the documents its
    meetings were read from, so a document holding two years' meetings counts in both); each
    document (year 0).
    """
    if accounting.empty:
        return schemas.empty("text_coverage")
    rows = [_row(accounting, 0, "", "")]
    years = pd.to_numeric(meetings["year"], errors="coerce")
    for year in sorted(int(y) for y in years.dropna().unique()):
        docs = set(meetings.loc[years == year, "doc_id"].astype(str))
        rows.append(_row(accounting[accounting["doc_id"].astype(str).isin(docs)], year, "", ""))
    for (doc_id, source), group in accounting.groupby(["doc_id", "source"], sort=True):
        rows.append(_row(group, 0, str(doc_id), str(source)))
    return schemas.conform(pd.DataFrame(rows), "text_coverage")


def _row(accounting: pd.DataFrame, year: int, doc_id: str, source: str) -> dict[str, object]:
    by_place = accounting.groupby("place")["n_words"].sum()
    words = {p: int(by_place.get(p, 0)) for p in config.TEXT_PLACES}
    body = float(by_place.sum()) - sum(float(by_place.get(p, 0)) for p in ASIDE)
    unplaced = accounting.loc[accounting["place"] == "unplaced", "source"]
    return {
        "year": year,
        "doc_id": doc_id,
        "source": source,
        "n_words": int(by_place.sum()),
        **{f"{p}_words": n for p, n in words.items()},
        "unplaced_documents": int(unplaced.nunique()),
        "unit_word_share": float(by_place.get("unit", 0)) / body if body > 0 else np.nan,
    }
