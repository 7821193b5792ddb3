"""Findings never contradict their own tables: a check run with every report.

Each rule pairs a claim the report can make with the table facts that would make it false: a
label of "absent" while lay members are recorded speaking, a label at all where no attendance
list was read, "every listed meeting met the standard" where no list was read, more meetings at
the standard than meetings with a list. The same run applies :mod:`pipeline.report.minimums`:
no figure stated on fewer units or meetings than the documented minimum. A report with either
is not written: the runner raises :class:`ContradictionError` naming every one, since a
published contradiction, or a figure on too little, would be read as a finding.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import pandas as pd

from pipeline.core import config, schemas
from pipeline.report import adequacy, fmt, minimums

# Claims in the reports' own words, and what must hold for each (see _text_rules).
EVERY_MET = "Every listed meeting met the standard"
READ_CLEANLY = "were read without problems"
NOT_THERE = "were not there"
PLACED = ("absent", "symbolic", "instrumental", "leading")


class ContradictionError(Exception):
    """The report's findings contradict its tables, or state a figure on fewer units than the
    documented minimum (a bug in the analysis, not in the input)."""

    def __init__(self, message: str, contradictions: list[str], below_minimum: list[str]):
        super().__init__(message)
        self.contradictions = contradictions
        self.below_minimum = below_minimum


def contradictions(
    tables: Mapping[str, pd.DataFrame], texts: Iterable[str] = (), year: int | None = None
) -> list[str]:
    """Every contradiction between the tables, and between ``texts`` (the report's findings,
    headline and notes) and the tables, for the whole period or one year."""
    meetings = tables["meetings"]
    board_year = tables["board_year"]
    if year is not None:
        meetings = meetings[pd.to_numeric(meetings["year"], errors="coerce") == year]
        board_year = board_year[board_year["year"] == year]
    found = [*_meeting_rules(meetings), *_year_rules(board_year, tables["meetings"])]
    coverage = tables.get("text_coverage")
    if coverage is None:
        coverage = schemas.empty("text_coverage")
    found += _text_rules(" ".join(texts), meetings, board_year, tables["documents"], coverage)
    return found


def ensure_consistent(
    tables: Mapping[str, pd.DataFrame], texts: Iterable[str], where: str, year: int | None = None
) -> None:
    """Raise :class:`ContradictionError` if ``texts`` (everything the report states) contradict
    the tables or state a figure below its minimum number."""
    texts = list(texts)
    found = contradictions(tables, texts, year)
    thin = minimums.below_minimum(tables, texts, year)
    if not (found or thin):
        return
    parts = []
    if found:
        parts.append("its findings would contradict its own tables:\n  - " + "\n  - ".join(found))
    if thin:
        parts.append(
            "it would state figures on fewer units or meetings than the documented minimum "
            "(README, What the figures rest on):\n  - " + "\n  - ".join(thin)
        )
    raise ContradictionError(
        f"{where} not written: "
        + "\nand ".join(parts)
        + "\nThis is a bug in involve; please report it with the tables folder.",
        found,
        thin,
    )


def _meeting_rules(meetings: pd.DataFrame) -> list[str]:
    out = []
    for m in meetings.to_dict("records"):
        listed = bool(m.get("has_attendance", True))
        lay, members = m.get("lay_present"), m.get("members_present")
        if not listed and not fmt.is_missing(lay):
            out.append(
                f"meeting {m['meeting_id']} has no attendance list read, yet lay_present is "
                f"{lay} (it should be missing)"
            )
        if listed and fmt.finite(lay) and fmt.to_float(lay) > fmt.to_float(members):
            out.append(f"meeting {m['meeting_id']}: {lay} lay members present of {members} members")
    return out


def _year_rules(board_year: pd.DataFrame, meetings: pd.DataFrame) -> list[str]:
    out = []
    years = pd.to_numeric(meetings["year"], errors="coerce")
    for r in board_year.to_dict("records"):
        y = fmt.to_int(r["year"])
        label = str(r.get("index_label") or "")
        held = int((years == y).sum())
        if fmt.to_int(r.get("n_meetings")) != held:
            out.append(
                f"{y}: board_year counts {fmt.to_int(r.get('n_meetings'))} meetings, the meetings "
                f"table {held}"
            )
        listed = r.get("meetings_with_attendance")
        if fmt.finite(listed):
            if label in PLACED and fmt.to_int(listed) == 0:
                out.append(f"{y}: labelled '{label}' though no attendance list was read")
            if fmt.to_int(r.get("meetings_standard_met")) > fmt.to_int(listed):
                out.append(
                    f"{y}: {fmt.to_int(r.get('meetings_standard_met'))} meetings met the "
                    f"standard but only {fmt.to_int(listed)} had an attendance list"
                )
        lay_units = fmt.to_int(r.get("lay_units"))
        if label == "absent" and lay_units > 0 and _nobody(r):
            out.append(
                f"{y}: labelled 'absent' with no lay member on any list read, while {lay_units} "
                "contributions are attributed to lay members"
            )
        if lay_units > fmt.to_int(r.get("attributed_units")):
            out.append(f"{y}: more lay units than attributed units")
        seats = r.get("lay_seats")
        if fmt.finite(seats) and fmt.to_int(seats) == 0 and label != "not applicable":
            out.append(f"{y}: the body has no lay seats (lay_seats: 0) but is labelled '{label}'")
        if label in ("not measurable", "not applicable") and not str(r.get("index_reason") or ""):
            out.append(f"{y}: labelled '{label}' without a reason")
    return out


def _text_rules(
    text: str,
    meetings: pd.DataFrame,
    board_year: pd.DataFrame,
    documents: pd.DataFrame,
    coverage: pd.DataFrame,
) -> list[str]:
    out = []
    listed = meetings[_column(meetings, "has_attendance", True).astype(bool).to_numpy()]
    if EVERY_MET in text:
        met = listed["lay_standard_met"].astype("boolean").fillna(False).astype(bool)
        if listed.empty or not met.all():
            out.append(
                f"the report says '{EVERY_MET}' but {len(listed)} of {len(meetings)} meetings "
                f"have a list and {int(met.sum())} met it"
            )
    if READ_CLEANLY in text and (documents["status"] != "ok").any():
        out.append(f"the report says documents '{READ_CLEANLY}' but some are not 'ok'")
    share = adequacy.unit_word_share(coverage)
    if READ_CLEANLY in text and fmt.finite(share) and share < config.MIN_UNIT_WORD_SHARE:
        out.append(
            f"the report says documents '{READ_CLEANLY}' but only {fmt.pct(share)} of their "
            "words reached units"
        )
    labels = _column(board_year, "index_label").astype(str)
    if NOT_THERE in text and not (labels == "absent").any():
        out.append(f"the report says lay members '{NOT_THERE}' but no year is labelled 'absent'")
    absent = board_year[(labels == "absent").to_numpy()]
    for r in absent.to_dict("records"):
        if NOT_THERE in text and _nobody(r) and fmt.to_int(r.get("lay_units")) > 0:
            out.append(f"the report says lay members '{NOT_THERE}' though they are heard")
    if config.PRESENCE_STANDARD and "meetings met the standard" in text and listed.empty:
        out.append("the report counts meetings at the standard where no list was read")
    return out


def _nobody(row: Mapping[Hashable, Any]) -> bool:
    """No lay member on any attendance list read that year."""
    return fmt.finite(row.get("mean_lay_present")) and fmt.to_float(row["mean_lay_present"]) == 0


def _column(df: pd.DataFrame, name: str, default: object = "") -> pd.Series:
    """A column, or ``default`` throughout for tables of an analysis made before it existed."""
    return df[name] if name in df.columns else pd.Series([default] * len(df), index=df.index)
