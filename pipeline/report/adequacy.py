"""What the figures rest on: the data adequacy box that opens both reports and ends the console.

A figure read from minutes is only as good as the reading: how many documents were read, how
much of their text reached the units that are coded, at how many meetings the attendance list was
read, whether any lay member was found at all, and whether the board's own roster and survey were
used or stand-ins. Each of these is a :class:`Check` with a plain value and whether it passes; a
failing check is a warning beside every figure, not a footnote. The minimum numbers are named
constants in :mod:`pipeline.config` and explained in the README ("What the figures rest on").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline import config
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
    accounting = tables["text_accounting"]
    if year is not None:
        meetings = meetings[pd.to_numeric(meetings["year"], errors="coerce") == year]
        docs = set(meetings["doc_id"].astype(str))
        documents = documents[documents["doc_id"].astype(str).isin(docs)]
        accounting = accounting[accounting["doc_id"].astype(str).isin(docs)]
    return [
        _documents(documents),
        _words(accounting),
        _attendance(meetings),
        _lay(tables, meetings, meta),
        _roster(meta),
        _codebook(meta),
    ]


def failed(found: list[Check]) -> list[Check]:
    return [c for c in found if not c.ok]


def unit_word_share(accounting: pd.DataFrame) -> float:
    """Of the words of the minutes (page furniture and documents that are not minutes aside), the
    share that reached units; NaN when no minutes were read."""
    if accounting.empty:
        return float("nan")
    by_place = accounting.groupby("place")["n_words"].sum()
    body = float(by_place.sum()) - sum(float(by_place.get(p, 0)) for p in _ASIDE)
    return float(by_place.get("unit", 0)) / body if body > 0 else float("nan")


# Words that are not the minutes' own account: running headers and footers, other documents.
_ASIDE: Collection[str] = ("furniture", "not_minutes")


def _documents(documents: pd.DataFrame) -> Check:
    read = int(documents["status"].isin(READ_STATUSES).sum()) if len(documents) else 0
    total = len(documents)
    ok = total > 0 and read == total
    note = "" if ok else "see the files with problems below"
    if total == 0:
        note = "no document was read"
    return Check("Documents read", f"{read} of {total}", ok, note)


def _words(accounting: pd.DataFrame) -> Check:
    share = unit_word_share(accounting)
    if not fmt.finite(share):
        return Check("Words of the minutes placed in units", "none read", False, "no minutes")
    ok = share >= config.MIN_UNIT_WORD_SHARE
    low = _lowest_documents(accounting)
    note = (
        ""
        if ok
        else f"below {fmt.pct(config.MIN_UNIT_WORD_SHARE)}: figures describe only the parts "
        "of the meetings that were read" + (f" (least read: {low})" if low else "")
    )
    return Check("Words of the minutes placed in units", fmt.pct(share), ok, note)


def _lowest_documents(accounting: pd.DataFrame) -> str:
    rows = []
    for source, group in accounting.groupby("source"):
        share = unit_word_share(group)
        if fmt.finite(share) and share < config.MIN_UNIT_WORD_SHARE:
            rows.append((share, str(source)))
    return ", ".join(f"{s} {fmt.pct(v)}" for v, s in sorted(rows)[:3])


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
