"""What the figures rest on: the data adequacy box that opens both reports and ends the console.

A figure read from minutes is only as good as the reading: how many documents were read, how
much of their text reached the units that are coded, at how many meetings the attendance list was
read, whether any lay member was found at all, and whether the board's own roster and survey were
used or stand-ins. Each of these is a :class:`Check` with a plain value and whether it passes; a
failing check is a warning beside every figure, not a footnote. The counts come from the measure
stage (table adequacy, ``pipeline/measure/adequacy.py``); this module only words them. The
minimum numbers are named constants in :mod:`pipeline.core.config` and explained in the README
("What the figures rest on").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.core import config
from pipeline.report import fmt


@dataclass(frozen=True)
class Check:
    name: str
    value: str
    ok: bool
    note: str = ""


def checks(
    tables: Mapping[str, pd.DataFrame],
    meta: Mapping[str, object],
    year: int | None = None,
) -> list[Check]:
    """The adequacy checks of a run, or of one year's meetings when ``year`` is given, worded
    from the counts the measure stage wrote (table adequacy) and the run's recorded facts."""
    coverage = tables["text_coverage"]
    docs: set[str] | None = None
    if year is not None:
        meetings = tables["meetings"]
        of_year = pd.to_numeric(meetings["year"], errors="coerce") == year
        docs = set(meetings.loc[of_year, "doc_id"].astype(str))
    counts = tables["adequacy"]
    row = counts[counts["year"] == (year or 0)]
    counted = row.iloc[0] if len(row) else None
    return [
        _documents(counted),
        _words(coverage, year or 0, docs, measured=not tables["text_accounting"].empty),
        _attendance(counted),
        _lay(counted, meta),
        _roster(meta),
        _codebook(meta),
    ]


def failed(found: list[Check]) -> list[Check]:
    return [c for c in found if not c.ok]


def unit_word_share(coverage: pd.DataFrame, year: int = 0) -> float:
    """Of the words of the minutes, the share that reached units, as the measure stage wrote it
    (table text_coverage) for the run (year 0) or one year; NaN when no minutes were read."""
    rows = _totals(coverage, year)
    return fmt.to_float(rows["unit_word_share"].iloc[0]) if len(rows) else float("nan")


def _totals(coverage: pd.DataFrame, year: int) -> pd.DataFrame:
    """The text_coverage row of the whole run (year 0) or of one year."""
    return coverage[(coverage["year"] == year) & (coverage["doc_id"].astype(str) == "")]


def _not_counted(name: str) -> Check:
    # An analysis made before table adequacy: its counts were never written.
    return Check(name, fmt.UNMEASURED, False, "run involve analyse again to count it")


def _documents(counted: pd.Series | None) -> Check:
    name = "Documents read"
    if counted is None:
        return _not_counted(name)
    read, total = int(counted["documents_read"]), int(counted["documents"])
    ok = total > 0 and read == total
    note = "" if ok else "see the files with problems below"
    if total == 0:
        note = "no document was read"
    return Check(name, f"{read} of {total}", ok, note)


def _words(coverage: pd.DataFrame, year: int, docs: set[str] | None, *, measured: bool) -> Check:
    name = "Words of the minutes placed in units"
    if coverage.empty and measured:
        # Words were accounted for, by an analysis made before table text_coverage.
        return Check(name, fmt.UNMEASURED, False, "run involve analyse again to measure it")
    share = unit_word_share(coverage, year)
    if not fmt.finite(share):
        return Check(name, "none read", False, "no minutes")
    ok = share >= config.MIN_UNIT_WORD_SHARE
    low = _lowest_documents(coverage, docs)
    note = (
        ""
        if ok
        else f"below {fmt.pct(config.MIN_UNIT_WORD_SHARE)}: figures describe only the parts "
        "of the meetings that were read" + (f" (least read: {low})" if low else "")
    )
    return Check(name, fmt.pct(share), ok, note)


def _lowest_documents(coverage: pd.DataFrame, docs: set[str] | None) -> str:
    """The three least read documents below the minimum (of ``docs`` when given)."""
    rows = coverage[coverage["doc_id"].astype(str) != ""]
    if docs is not None:
        rows = rows[rows["doc_id"].astype(str).isin(docs)]
    low = [
        (fmt.to_float(share), str(source))
        for share, source in zip(rows["unit_word_share"], rows["source"], strict=True)
        if fmt.finite(share) and fmt.to_float(share) < config.MIN_UNIT_WORD_SHARE
    ]
    return ", ".join(f"{s} {fmt.pct(v)}" for v, s in sorted(low)[:3])


def _attendance(counted: pd.Series | None) -> Check:
    name = "Meetings with an attendance list read"
    if counted is None:
        return _not_counted(name)
    listed, total = int(counted["meetings_with_attendance"]), int(counted["meetings"])
    ok = total > 0 and listed == total
    note = ""
    if total and listed == 0:
        note = "lay presence is not measurable"
    elif listed < total:
        note = f"presence rests on {fmt.plural(listed, 'meeting')} only"
    return Check(name, f"{listed} of {total}", ok, note)


def _lay(counted: pd.Series | None, meta: Mapping[str, object]) -> Check:
    name = "Lay members found"
    if counted is None:
        return _not_counted(name)
    people = int(counted["lay_people_present"])
    if meta.get("lay_seats") == 0:
        return Check(name, str(people), True, "not applicable: no lay seats")
    ok = people > 0
    note = "" if ok else "no service user, carer or lay member was found in the lists"
    return Check(name, str(people), ok, note)


def _roster(meta: Mapping[str, object]) -> Check:
    used = bool(meta.get("roster_used"))
    return Check(
        "The board's own roster (board.yaml)",
        "used" if used else "not given",
        used,
        "" if used else "roles are read from the lists' own words, which misses some",
    )


def _codebook(meta: Mapping[str, object]) -> Check:
    own = bool(meta.get("own_codebook", True))
    return Check(
        "The board's own survey codebook",
        "used" if own else "not given (demo codebook)",
        own,
        "" if own else "no priority findings: the demo board's survey is not this board's",
    )


def console_lines(found: list[Check]) -> list[str]:
    """The checks as lines for the console summary, failing ones marked."""
    width = max((len(c.name) for c in found), default=0)
    return [
        f"  {'ok  ' if c.ok else 'WARN'}  {c.name.ljust(width)}  {c.value}"
        + (f"  ({c.note})" if c.note else "")
        for c in found
    ]
