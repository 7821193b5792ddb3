"""Item times: the minutes each agenda item took, where the minutes say, and time shares from them.

An item's time is its stated duration ("5. Finance report (20 mins)", "10:15-10:35"), or else the
gap from its start time to the next item's ("10:15 5. Finance", "10:35 6. Crisis care"); the last
timed item runs to the close ("The meeting closed at 12.30pm") when the minutes give one. Times
are read from the minutes' own page text (:mod:`pipeline.segment.times`), titles from the
pseudonymised units, so no name reaches the table. Formulas: docs/measures.md, "Timed shares".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline import config, schemas
from pipeline.segment.blocks import blocks, is_item
from pipeline.segment.times import HeadingTime, closed_at, heading_time, row_time, span

TIME_COLUMNS = ("timed_minutes", "process_time_share", "action_time_share", "outcome_time_share")


def item_times(
    pages: pd.DataFrame,
    meetings: pd.DataFrame,
    units: pd.DataFrame,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Table item_times: one row per agenda item heading of each meeting's minutes.

    Where the minutes give no time at all, the times of an agenda of the same date (in
    ``documents``) fill the items it shares with the minutes: the time allotted, not taken.
    """
    titles = (
        units[units["item_no"] != ""]
        .drop_duplicates(["meeting_id", "item_no"])
        .set_index(["meeting_id", "item_no"])["item_title"]
        .to_dict()
    )
    agendas = _agendas(documents)
    rows: list[dict[str, object]] = []
    for m in meetings.itertuples(index=False):
        found = meeting_times(_pages(pages, m.doc_id))
        document = "minutes"
        if not any(minutes is not None for _, minutes, _ in found):
            for doc_id in agendas.get(_day(m.meeting_date), []):
                allotted = {no: t for no, *t in meeting_times(_pages(pages, doc_id))}
                if any(allotted.get(no, (None,))[0] is not None for no, _, _ in found):
                    found = [(no, *allotted.get(no, (None, "none"))) for no, _, _ in found]
                    document = "agenda"
                    break
        for item_no, minutes, source in found:
            rows.append(
                {
                    "meeting_id": m.meeting_id,
                    "item_no": item_no,
                    "item_title": titles.get((m.meeting_id, item_no), ""),
                    "minutes": minutes,
                    "source_of_time": source,
                    "time_document": document if minutes is not None else "",
                }
            )
    if not rows:
        return schemas.empty("item_times")
    return schemas.conform(pd.DataFrame(rows), "item_times")


def _pages(pages: pd.DataFrame, doc_id: object) -> pd.DataFrame:
    return pages[pages["doc_id"] == doc_id].sort_values("page")


def _day(value: object) -> str:
    text = "" if value is None else str(value)
    return "" if text in ("", "NaT", "nan", "None", "<NA>") else str(pd.Timestamp(text).date())


def _agendas(documents: pd.DataFrame | None) -> dict[str, list[str]]:
    """Usable agenda documents by meeting day."""
    out: dict[str, list[str]] = {}
    if documents is None or documents.empty:
        return out
    usable = documents[
        (documents["doc_type"] == "agenda") & documents["status"].isin(["ok", "warning"])
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


def time_shares(units: pd.DataFrame, times: pd.DataFrame) -> dict[str, float]:
    """Timed minutes and the process, action and outcome shares of them, for a meeting or a year.

    Each timed item's minutes are split among its units' focus by words; an item with a time but
    no units has nothing to split and is left out. All NaN when no item is timed.
    """
    timed = times[times["minutes"].notna()]
    total = 0.0
    by_focus = dict.fromkeys(config.FOCUS_LABELS, 0.0)
    words: dict[tuple[str, str], dict[str, float]] = {}
    for u in units[units["item_no"] != ""].itertuples(index=False):
        split = words.setdefault((str(u.meeting_id), str(u.item_no)), {})
        split[str(u.focus)] = split.get(str(u.focus), 0.0) + float(u.n_words)  # type: ignore[arg-type]
    for t in timed.itertuples(index=False):
        split = words.get((str(t.meeting_id), str(t.item_no)), {})
        item_words = sum(split.values())
        if item_words <= 0:
            continue
        minutes = float(t.minutes)  # type: ignore[arg-type]
        total += minutes
        for f in by_focus:
            by_focus[f] += minutes * split.get(f, 0.0) / item_words
    return {
        "timed_minutes": total if total else np.nan,
        **{f"{f}_time_share": by_focus[f] / total if total else np.nan for f in by_focus},
    }
