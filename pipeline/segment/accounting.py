"""Where every word of a document ended: the ``text_accounting`` table.

Each block of the minutes is placed by the step that reads it (attendance lists by
:mod:`.attendance`, units, headings and signature lines by :mod:`.units`, title lines by
:func:`pipeline.segment.mark_titles`); running headers and footers were taken out of the page by
ingestion and count as furniture. What no step placed is ``unplaced``, with the reason, and the
words of the pages are counted again independently, so that text lost between the page and the
blocks shows up as unplaced too rather than vanishing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from pipeline.segment.blocks import Block, count_words

COLUMNS = ["doc_id", "source", "place", "n_words", "reason", "sample"]
_SAMPLE_WORDS = 12


def rows(
    doc: tuple[str, str], placed: Iterable[Block], pages: pd.DataFrame, aside: str = ""
) -> list[dict[str, Any]]:
    """Rows for one minutes document: words per place, and each unplaced passage. ``aside``
    says why blocks placed ``not_minutes`` were set aside (a meeting read from another file)."""
    doc_id, source = doc
    counts: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    seen = 0
    for b in placed:
        seen += b.n_words
        if b.place:
            counts[b.place] = counts.get(b.place, 0) + b.n_words
        elif b.n_words:
            out.append(_row(doc, "unplaced", b.n_words, "text no step read", b.text))
    furniture = sum(
        count_words(str(t)) for col in ("header", "footer") if col in pages for t in pages[col]
    )
    if furniture:
        counts["furniture"] = counts.get("furniture", 0) + furniture
    on_pages = sum(count_words(str(t)) for t in pages["text"]) if "text" in pages else seen
    if on_pages != seen:
        # Words the blocks do not hold (or hold twice): reading pages into blocks went wrong.
        out.append(
            _row(doc, "unplaced", on_pages - seen, "words of the page missing from its blocks", "")
        )
    out = [
        _row(doc, place, n, aside if place == "not_minutes" else "", "")
        for place, n in counts.items()
    ] + out
    for r in out:
        r["doc_id"], r["source"] = doc_id, source
    return out


def not_minutes(doc: Any, pages: pd.DataFrame) -> list[dict[str, Any]]:
    """A document read but not analysed as minutes (an agenda, papers): its words, counted."""
    words = sum(count_words(str(t)) for t in pages["text"])
    furniture = sum(
        count_words(str(t)) for col in ("header", "footer") if col in pages for t in pages[col]
    )
    where = (str(doc.doc_id), str(doc.source))
    out = [_row(where, "not_minutes", words, f"read as {doc.doc_type}, not as minutes", "")]
    if furniture:
        out.append(_row(where, "furniture", furniture, "", ""))
    return out


def _row(doc: tuple[str, str], place: str, n: int, reason: str, text: str) -> dict[str, Any]:
    return {
        "doc_id": doc[0],
        "source": doc[1],
        "place": place,
        "n_words": n,
        "reason": reason,
        "sample": " ".join(text.split()[:_SAMPLE_WORDS]),
    }
