"""Pages and documents tables for minutes given as text, as ingestion would write them."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def minutes_frames(
    texts: Sequence[str], dates: Sequence[pd.Timestamp], sources: Sequence[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One single-page minutes document per text, dated ``dates``."""
    ids = [f"d{i}" for i in range(len(texts))]
    names = list(sources) if sources is not None else [f"{i}.md" for i in range(len(texts))]
    pages = pd.DataFrame(
        {"doc_id": ids, "source": names, "page": 1, "text": list(texts), "ocr": False}
    )
    documents = pd.DataFrame(
        {
            "doc_id": ids,
            "source": names,
            "doc_type": "minutes",
            "status": "ok",
            "meeting_date": list(dates),
        }
    )
    return pages, documents
