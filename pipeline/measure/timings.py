"""Item times: the minutes each agenda item took, where the minutes say, and time shares from them.

An item's time is its stated duration ("5. Finance report (20 mins)", "10:15-10:35"), or else the
gap from its start time to the next item's ("10:15 5. Finance", "10:35 6. Crisis care"); the last
timed item runs to the close ("The meeting closed at 12.30pm") when the minutes give one. Times
are read by segmentation from the minutes' own page text (:mod:`pipeline.segment.itemtimes`),
titles here from the pseudonymised units: the measure step never sees page text, so no name
reaches the table. Formulas: docs/measures.md, "Timed shares".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core import config, schemas

TIME_COLUMNS = ("timed_minutes", "process_time_share", "action_time_share", "outcome_time_share")


def item_times(times: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Table item_times: segmentation's item times (:mod:`pipeline.segment.itemtimes`) with
    each item's title from the pseudonymised ``units`` (empty for an item with no units)."""
    if times.empty:
        return schemas.empty("item_times")
    titles = (
        units[units["item_no"] != ""]
        .drop_duplicates(["meeting_id", "item_no"])
        .set_index(["meeting_id", "item_no"])["item_title"]
        .to_dict()
    )
    keys = zip(times["meeting_id"], times["item_no"], strict=True)
    titled = times.assign(item_title=[titles.get(k, "") for k in keys])
    return schemas.conform(titled, "item_times")


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
