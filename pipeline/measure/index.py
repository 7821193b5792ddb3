"""The symbolic-instrumental index: each board-year on a presence axis and an influence axis.

Horrocks, Lyons and Hopley (2010) found service users and carers on a board present but not
shaping what it did: "largely symbolic" rather than instrumental. The index asks that question of
each board-year with two axes, each the mean of components scaled to 0-1, so that a reader can
see which component moved a label:

- presence (NIP 4Pi "Presence": at least two, ideally three, never one alone): mean lay members
  present against the ideal of three; the share of meetings meeting the "at least two" standard;
  of the meetings lay members attended, the share where they were not alone.
- influence: lay voice against parity (the lay share of attributed contributions divided by the
  lay share of the members present, so a board whose lay members speak as often as their seats
  would lead one to expect scores 1); the uptake rate against a reference (half of lay points
  acted on); the share of lay items at level 3 (doing together) or above against a reference
  (half); and collective outcomes traced to lay points per meeting against a reference (one per
  two meetings). Collective, because outcomes limited to the individuals involved were exactly
  Horrocks' finding of a symbolic board.

Years the index cannot place get ``not measurable`` (no attendance list read, or lists that show
no lay member while lay members are recorded speaking) or ``not applicable`` (a body without lay
seats, ``lay_seats: 0`` in board.yaml), with the reason in ``index_reason`` (:func:`unplaceable`);
a year whose lay members were present but whose minutes attribute fewer than
``MIN_ATTRIBUTED_UNITS`` contributions to anyone is not measurable either, since its influence
axis would rest on a unit or two.
Otherwise, labels: ``absent`` when the presence axis is below ``INDEX_ABSENT_BELOW`` (whatever
is said, lay members are not there to say it); otherwise ``leading`` when influence reaches
``INDEX_LEADING_FROM`` and lay members led at least one item (level 5); ``instrumental`` when it
reaches ``INDEX_INSTRUMENTAL_FROM``; else ``symbolic``. The thresholds and references are
named constants in :mod:`pipeline.core.config`, argued for in docs/measures.md, and
:func:`sensitivity` shows how each year's label moves as each one moves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Final

import pandas as pd

from pipeline.core import config, schemas

LABELS: Final = config.INDEX_LABELS


@dataclass(frozen=True)
class Params:
    PRESENCE_IDEAL: float = config.PRESENCE_IDEAL
    INDEX_UPTAKE_FULL: float = config.INDEX_UPTAKE_FULL
    INDEX_LEVEL_FULL: float = config.INDEX_LEVEL_FULL
    INDEX_OUTCOMES_FULL: float = config.INDEX_OUTCOMES_FULL
    INDEX_ABSENT_BELOW: float = config.INDEX_ABSENT_BELOW
    INDEX_INSTRUMENTAL_FROM: float = config.INDEX_INSTRUMENTAL_FROM
    INDEX_LEADING_FROM: float = config.INDEX_LEADING_FROM


# A sensible range for each parameter, the default among them (declared in config).
SENSITIVITY_RANGES: Final[dict[str, tuple[float, ...]]] = {
    t.name: t.tried for t in config.INDEX_THRESHOLDS
}


@dataclass(frozen=True)
class Placement:
    presence_score_mean: float
    presence_score_standard: float
    presence_score_not_alone: float
    influence_score_voice: float
    influence_score_uptake: float
    influence_score_level: float
    influence_score_outcomes: float
    presence_axis: float
    influence_axis: float
    index_label: str
    index_reason: str = ""  # why a year is not measurable or not applicable

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def unplaceable(year: Mapping[str, object]) -> tuple[str, str] | None:
    """("not applicable" or "not measurable", why) for a year the index cannot place, else None.

    Unknown is not zero: a year whose presence could not be read, or whose lists contradict its
    contributions, is not measurable; a body without lay seats is not applicable. Either label
    would otherwise come out "absent", a finding its own minutes may contradict.
    """
    seats = year.get("lay_seats")
    if seats is not None and _num(seats) == 0 and not _missing(seats):
        return (
            "not applicable",
            "the body has no lay seats (board.yaml: lay_seats: 0), so lay involvement is not "
            "part of its design",
        )
    meetings = int(_num(year.get("n_meetings")))
    # A row from before the column existed counted every meeting as listed.
    listed = int(_num(year.get("meetings_with_attendance", meetings)))
    if listed < config.MIN_MEETINGS_WITH_ATTENDANCE:
        return (
            "not measurable",
            f"no attendance list was read at any of the {meetings} meeting"
            f"{'' if meetings == 1 else 's'}, so who was present is unknown",
        )
    lay_units = int(_num(year.get("lay_units")))
    if _num(year.get("mean_lay_present")) == 0 and lay_units > 0:
        return (
            "not measurable",
            f"the attendance lists read show no lay member present, yet {lay_units} "
            f"contribution{'' if lay_units == 1 else 's'} are attributed to lay members: the "
            "lists or the roles are incomplete (a board.yaml naming the lay members settles it)",
        )
    return None


def place(year: Mapping[str, object], params: Params | None = None) -> Placement:
    """Where one board-year (a board_year row) sits on the two axes, and its label."""
    p = params or Params()
    meetings = _num(year.get("n_meetings"))
    nan = float("nan")
    unplaced = unplaceable(year)
    p_mean = _capped(_num(year.get("mean_lay_present")), p.PRESENCE_IDEAL)
    p_standard = _clip01(_num(year.get("share_meetings_standard_met")))
    # Of the meetings lay members attended, the share where they were not alone; none attended
    # counts as 0, not as "never alone".
    at_standard = _num(year.get("meetings_standard_met"))
    attended = at_standard + _num(year.get("meetings_single_lay"))
    p_alone = at_standard / attended if attended else 0.0
    i_voice = _capped(_num(year.get("lay_voice_share")), _num(year.get("lay_seat_share")))
    i_uptake = _capped(_num(year.get("uptake_rate")), p.INDEX_UPTAKE_FULL)
    i_level = _capped(_num(year.get("level_3plus_share")), p.INDEX_LEVEL_FULL)
    per_meeting = _num(year.get("lay_linked_outcomes_collective")) / meetings if meetings else 0.0
    i_outcomes = _capped(per_meeting, p.INDEX_OUTCOMES_FULL)
    presence = (p_mean + p_standard + _clip01(p_alone)) / 3
    influence = (i_voice + i_uptake + i_level + i_outcomes) / 4
    if unplaced is not None:
        # Presence and the voice it is weighed against are unknown: no axis, no label on them.
        return Placement(nan, nan, nan, nan, i_uptake, i_level, i_outcomes, nan, nan, *unplaced)
    attributed = int(_num(year.get("attributed_units", config.MIN_ATTRIBUTED_UNITS)))
    verdict, reason = label(presence, influence, int(_num(year.get("level_5"))), p), ""
    if presence >= p.INDEX_ABSENT_BELOW and attributed < config.MIN_ATTRIBUTED_UNITS:
        # Present, but too few contributions are attributed to anyone to weigh what lay members
        # said: a label on the influence axis would rest on one or two units.
        verdict = "not measurable"
        reason = (
            f"lay members were present, but the minutes attribute only {attributed} "
            f"contribution{'' if attributed == 1 else 's'} to a named person (at least "
            f"{config.MIN_ATTRIBUTED_UNITS} are needed to weigh their influence)"
        )
    return Placement(
        p_mean,
        p_standard,
        _clip01(p_alone),
        i_voice,
        i_uptake,
        i_level,
        i_outcomes,
        presence,
        influence,
        verdict,
        reason,
    )


def label(presence: float, influence: float, lay_led_items: int, params: Params) -> str:
    if presence < params.INDEX_ABSENT_BELOW:
        return "absent"
    if influence >= params.INDEX_LEADING_FROM and lay_led_items > 0:
        return "leading"
    if influence >= params.INDEX_INSTRUMENTAL_FROM:
        return "instrumental"
    return "symbolic"


def sensitivity(board_year: pd.DataFrame) -> pd.DataFrame:
    """Each year's axes and label as each parameter moves over its range, the others fixed."""
    rows: list[dict[str, object]] = []
    default = Params()
    for record in board_year.to_dict("records"):
        year = {str(k): v for k, v in record.items()}
        for name, values in SENSITIVITY_RANGES.items():
            base = float(getattr(default, name))
            for value in sorted({*values, base}):
                placed = place(year, replace(default, **{name: value}))
                rows.append(
                    {
                        "year": year["year"],
                        "parameter": name,
                        "value": value,
                        "is_default": math.isclose(value, base),
                        "presence_axis": placed.presence_axis,
                        "influence_axis": placed.influence_axis,
                        "index_label": placed.index_label,
                    }
                )
    if not rows:
        return schemas.empty("index_sensitivity")
    return schemas.conform(pd.DataFrame(rows), "index_sensitivity")


def with_stability(board_year: pd.DataFrame, sensitivity: pd.DataFrame) -> pd.DataFrame:
    """``board_year`` with, for each year, how many threshold settings tried (``sensitivity``)
    give it the label it has: the figure the annual report states beside the label."""
    out = board_year.copy()
    tried = sensitivity.groupby("year").size()
    same = (
        sensitivity.merge(out[["year", "index_label"]], on="year", suffixes=("", "_year"))
        .assign(same=lambda d: d["index_label"] == d["index_label_year"])
        .groupby("year")["same"]
        .sum()
    )
    out["label_settings_tried"] = out["year"].map(tried).fillna(0).astype(int)
    out["label_settings_same"] = out["year"].map(same).fillna(0).astype(int)
    return schemas.conform(out, "board_year")


def _missing(value: object) -> bool:
    try:
        return value is None or math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _num(value: object) -> float:
    """A figure as a float; missing (no meetings, nobody attributed) counts as 0: no evidence."""
    if value is None:
        return 0.0
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(number) else number


def _capped(value: float, full: float) -> float:
    return _clip01(value / full) if full > 0 else 0.0


def _clip01(value: float) -> float:
    return min(max(value, 0.0), 1.0)
