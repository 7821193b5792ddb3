"""Item times: the minutes each agenda item took, read while the page text is at hand.

An item's time is its stated duration ("5. Finance report (20 mins)", "10:15-10:35"), or else the
gap from its start time to the next item's ("10:15 5. Finance", "10:35 6. Crisis care"); the last
timed item runs to the close ("The meeting closed at 12.30pm") when the minutes give one. Where
the minutes give no time at all, the times of an agenda of the same date fill the items it shares
with the minutes: the time allotted, not taken.

Segmentation reads them, so that no later stage needs the page text (which holds real names):
the table holds item numbers and minutes only, and :func:`pipeline.measure.timings.item_times` adds
the
pseudonymised titles. Formulas: docs/measures.md, "Timed shares".
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from typing import Any

import pandas as pd

from pipeline.core import config, schemas, textcache
from pipeline.core.textcache import Store
from pipeline.segment.blocks import blocks, is_item
from pipeline.segment.times import HeadingTime, closed_at, heading_time, row_time, span

__all__ = ["item_times", "meeting_times"]


def item_times(
    pages: pd.DataFrame,
    documents: pd.DataFrame,
    meetings: pd.DataFrame,
    cache: Store | None = None,
) -> pd.DataFrame:
    """Table item_times with empty titles: one row per agenda item heading of each meeting's
    minutes (``meetings`` as segmentation builds it, one row per meeting with its doc_id).

    With a ``cache`` (:mod:`pipeline.core.textcache`) each document's times are kept by its page
    text: adding a meeting reads only its own."""
    texts: dict[str, list[tuple[object, str]]] = {}
    for doc, page, text in zip(
        pages["doc_id"].astype(str), pages["page"], pages["text"].astype(str), strict=True
    ):
        texts.setdefault(doc, []).append((page, text))
    agendas = _agendas(documents)
    wanted = list(dict.fromkeys(str(d) for d in meetings["doc_id"]))
    found_by_doc = dict(zip(wanted, _times(wanted, texts, cache), strict=True))
    rows: list[dict[str, object]] = []
    for m in meetings.itertuples(index=False):
        found = found_by_doc[str(m.doc_id)]
        document = "minutes"
        if not any(minutes is not None for _, minutes, _ in found):
            for doc_id in agendas.get(_day(m.meeting_date), []):
                agenda = _times([doc_id], texts, None)[0]
                allotted = {no: t for no, *t in agenda}
                if any(allotted.get(no, (None,))[0] is not None for no, _, _ in found):
                    found = [(no, *allotted.get(no, (None, "none"))) for no, _, _ in found]
                    document = "agenda"
                    break
        rows += [
            {
                "meeting_id": m.meeting_id,
                "item_no": item_no,
                "item_title": "",  # titles name people until pseudonymised; added after
                "minutes": minutes,
                "source_of_time": source,
                "time_document": document if minutes is not None else "",
            }
            for item_no, minutes, source in found
        ]
    if not rows:
        return schemas.empty("item_times")
    return schemas.conform(pd.DataFrame(rows), "item_times")


Times = list[tuple[str, float | None, str]]
# The modules whose code decides a document's times: their source is the cached times' version.
_READERS = (
    __name__,
    "pipeline.segment.blocks",
    "pipeline.segment.times",
    "pipeline.pseudonymise.people",
)


def _times(
    doc_ids: list[str], texts: dict[str, list[tuple[object, str]]], cache: Store | None
) -> list[Times]:
    """:func:`meeting_times` of each document, from its pages in page order."""
    ordered = [sorted(texts.get(d, []), key=lambda r: int(str(r[0]))) for d in doc_ids]

    def compute(positions: list[int]) -> list[Times]:
        return [
            meeting_times(pd.DataFrame(ordered[i], columns=["page", "text"])) for i in positions
        ]

    if cache is None:  # nothing kept: no key, no version to work out
        return compute(list(range(len(doc_ids))))
    keys = [json.dumps(pages, default=str) for pages in ordered]
    return textcache.PerText(cache, "item-times", _version()).map(
        keys, compute, load=_load_times, dump=lambda found: [list(t) for t in found]
    )


@lru_cache(maxsize=1)
def _version() -> str:
    return textcache.source_hash(*(sys.modules[m] for m in _READERS))


def _load_times(entry: Any) -> Times | None:
    """A cache entry as times; anything of another shape is a miss."""
    if not isinstance(entry, list):
        return None
    out: Times = []
    for row in entry:
        if not (
            isinstance(row, list)
            and len(row) == 3
            and isinstance(row[0], str)
            and (row[1] is None or _number(row[1]))
            and isinstance(row[2], str)
        ):
            return None
        out.append((row[0], None if row[1] is None else float(row[1]), row[2]))
    return out


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _day(value: object) -> str:
    text = "" if value is None else str(value)
    return "" if text in ("", "NaT", "nan", "None", "<NA>") else str(pd.Timestamp(text).date())


def _agendas(documents: pd.DataFrame) -> dict[str, list[str]]:
    """Usable agenda documents by meeting day."""
    out: dict[str, list[str]] = {}
    if documents.empty:
        return out
    usable = documents[
        (documents["doc_type"] == "agenda") & documents["status"].isin(config.USABLE_STATUSES)
    ]
    for d in usable.itertuples(index=False):
        day = _day(d.meeting_date)
        if day:
            out.setdefault(day, []).append(str(d.doc_id))
    return out


def meeting_times(doc_pages: pd.DataFrame) -> list[tuple[str, float | None, str]]:
    """(item number, minutes, source of the time) for each item heading of one document.

    Headings are item headings or rows of an agenda table with a time column. A start time gives
    a duration only with the very next heading's start time (or, for the last heading, the
    close): a gap over an untimed heading would belong to two items.
    """
    headings: list[tuple[str, HeadingTime]] = []
    close: int | None = None
    for b in blocks(doc_pages):
        found: list[tuple[str, HeadingTime]] = []
        if " | " in b.text:
            found = [r for r in map(row_time, b.lines) if r is not None]
        m = is_item(b) if not found else None
        if m is not None:
            found = [(m.group("no"), heading_time(m.group("title"), m["start"], m["end"]))]
        if not found:
            close = closed_at(b.text) or close
        for no, h in found:
            if all(no != seen for seen, _ in headings):  # a repeat (action list) adds nothing
                headings.append((no, h))
    out: list[tuple[str, float | None, str]] = []
    for i, (no, h) in enumerate(headings):
        if h.minutes is not None:
            out.append((no, h.minutes, "stated_duration"))
            continue
        following = headings[i + 1][1].start if i + 1 < len(headings) else close
        length = span(h.start, following) if h.start is not None and following else None
        out.append((no, float(length), "start_times") if length else (no, None, "none"))
    return out
