"""What the figures rest on: the data adequacy box that opens both reports and ends the console.

A figure read from minutes is only as good as the reading: how many documents were read, how
much of their text reached the units that are coded, at how many meetings the attendance list was
read, whether any lay member was found at all, and whether the board's own roster and survey were
used or stand-ins. Each of these is a :class:`Check` with a plain value and whether it passes; a
failing check is a warning beside every figure, not a footnote. The minimum numbers are named
constants in :mod:`pipeline.core.config` and explained in the README ("What the figures rest on").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.core import config
from pipeline.report import fmt

# A copy of a meeting read from another file was read too: it is not a file the reading missed.
READ_STATUSES = (*config.USABLE_STATUSES, *config.COPY_STATUSES)


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
    """The adequacy checks of a run, or of one year's meetings when ``year`` is given."""
    meetings = tables["meetings"]
    documents = tables["documents"]
    coverage = tables["text_coverage"]
    docs: set[str] | None = None
    if year is not None:
        meetings = meetings[pd.to_numeric(meetings["year"], errors="coerce") == year]
        docs = set(meetings["doc_id"].astype(str))
        documents = documents[documents["doc_id"].astype(str).isin(docs)]
    return [
        _documents(documents),
        _words(coverage, year or 0, docs, measured=not tables["text_accounting"].empty),
        _attendance(meetings),
        _lay(tables, meetings, meta),
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


def _documents(documents: pd.DataFrame) -> Check:
    read = int(documents["status"].isin(READ_STATUSES).sum()) if len(documents) else 0
    total = len(documents)
    ok = total > 0 and read == total
    note = "" if ok else "see the files with problems below"
    if total == 0:
        note = "no document was read"
    return Check("Documents read", f"{read} of {total}", ok, note)


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


def _attendance(meetings: pd.DataFrame) -> Check:
    total = len(meetings)
    listed = int(meetings["has_attendance"].astype(bool).sum()) if total else 0
    ok = total > 0 and listed == total
    note = ""
    if total and listed == 0:
        note = "lay presence is not measurable"
    elif listed < total:
        note = f"presence rests on {fmt.plural(listed, 'meeting')} only"
    return Check("Meetings with an attendance list read", f"{listed} of {total}", ok, note)


def _lay(
    tables: Mapping[str, pd.DataFrame], meetings: pd.DataFrame, meta: Mapping[str, object]
) -> Check:
    attendance = tables["attendance"]
    ids = set(meetings["meeting_id"].astype(str))
    present = attendance[
        attendance["meeting_id"].astype(str).isin(ids)
        & (attendance["status"] == "present")
        & attendance["role"].isin(config.LAY_ROLES)
    ]
    people = present["person_id"].nunique()
    if meta.get("lay_seats") == 0:
        return Check("Lay members found", str(people), True, "not applicable: no lay seats")
    ok = people > 0
    note = "" if ok else "no service user, carer or lay member was found in the lists"
    return Check("Lay members found", str(people), ok, note)


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
