"""One year's figures as the annual report states them: headline, findings, comparison.

Every sentence carries its own denominators and its 95% interval from ``year_intervals`` (or
says there is none), and every finding brings the units of the minutes it rests on, quoted with
file and page, so a reader can check a claim without opening the tables.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pipeline.core import config
from pipeline.report import charts, data, fmt, sections
from pipeline.report.sections import Quote, Table

UNMEASURED = fmt.UNMEASURED
QUOTES_PER_FINDING = 3

# What each index label means, in the words an evaluation team would use.
LABEL_MEANINGS: dict[str, str] = {
    "absent": "service users and carers were not there, or not there in the numbers the "
    "standard asks for, so involvement could not happen",
    "symbolic": "service users and carers were present, but the minutes show little sign that "
    "what they said was heard or changed anything",
    "instrumental": "service users and carers were present and heard, and what they said was "
    "taken up into the board's actions, decisions or outcomes",
    "leading": "service users and carers led items and shaped the board's decisions themselves",
    # The reason (board_year.index_reason) follows these two.
    "not measurable": "the minutes do not hold what the index needs to place the year",
    "not applicable": "the body has no seats for service users or carers, so the index does not "
    "apply",
}


@dataclass
class YearData:
    """Everything about one year, selected once so every part of the report agrees."""

    year: int
    last: int | None
    board_year: pd.DataFrame
    row: dict[str, Any]
    last_row: dict[str, Any] | None
    view: pd.DataFrame
    segments: pd.DataFrame
    all_segments: pd.DataFrame
    attendance: pd.DataFrame
    attention: pd.DataFrame
    alignment: data.Alignment
    four_pi: pd.DataFrame  # the year's rows of table four_pi
    intervals: pd.DataFrame
    uptake: pd.DataFrame | None
    levels: pd.DataFrame | None
    sensitivity: pd.DataFrame | None


@dataclass(frozen=True)
class Finding:
    heading: str
    text: str
    figure: str
    interval: str
    charts: tuple[str, ...]
    quotes: Sequence[Quote] = field(default_factory=tuple)
    quote_note: str = ""


def year_data(tables: Mapping[str, pd.DataFrame | None], year: int) -> YearData:
    present = {k: v for k, v in tables.items() if v is not None}
    complete = data.complete(present)
    view = data.meeting_view(complete["meetings"], complete["meeting_measures"])
    view = view[view["year"] == year].reset_index(drop=True)
    ids = set(view["meeting_id"].astype(str))
    board_year = complete["board_year"].sort_values("year").reset_index(drop=True)
    earlier = [int(y) for y in board_year["year"] if int(y) < year]
    last = max(earlier) if earlier else None
    segments = complete["segments"]
    segments = segments[segments["meeting_id"].astype(str).isin(ids)]
    attention = complete["theme_attention"]
    attention = attention[attention["year"] == year]
    row = _row(board_year, year)
    intervals = complete["year_intervals"]
    uptake = _optional(tables, "uptake")
    if uptake is not None and "contribution_meeting_id" in uptake:
        uptake = uptake[uptake["contribution_meeting_id"].astype(str).isin(ids)]
    levels = _optional(tables, "item_levels")
    if levels is not None and "meeting_id" in levels:
        levels = levels[levels["meeting_id"].astype(str).isin(ids)]
    sensitivity = _optional(tables, "index_sensitivity")
    if sensitivity is not None and "year" in sensitivity:
        sensitivity = sensitivity[sensitivity["year"] == year]
    return YearData(
        year=year,
        last=last,
        board_year=board_year,
        row=row,
        last_row=_row(board_year, last) if last is not None else None,
        view=view,
        segments=segments,
        all_segments=complete["segments"],
        attendance=complete["attendance"],
        attention=attention,
        alignment=data.alignment(complete["alignment"], year),
        four_pi=complete["four_pi"][complete["four_pi"]["year"] == year],
        intervals=intervals[intervals["year"].isin([year, last])],
        uptake=uptake,
        levels=levels,
        sensitivity=sensitivity,
    )


def _optional(tables: Mapping[str, pd.DataFrame | None], name: str) -> pd.DataFrame | None:
    return tables.get(name)


def _row(board_year: pd.DataFrame, year: int) -> dict[str, Any]:
    rows = board_year[board_year["year"] == year]
    return {str(k): v for k, v in rows.iloc[0].to_dict().items()} if len(rows) else {"year": year}


# The count each share rests on and its minimum (config): for a year compared as for the year
# reported.
RESTS_ON: dict[str, tuple[str, int]] = dict(config.FIGURE_RESTS_ON)


def enough(row: Mapping[str, Any], column: str) -> bool:
    """Whether ``row`` (a board_year row) has enough under ``column`` to show it as a figure; a
    row from before the count's column is taken as it was shown then."""
    count, minimum = RESTS_ON.get(column, ("", 0))
    return not count or count not in row or fmt.to_int(row.get(count)) >= minimum


# --------------------------------------------------------------------------- small helpers
def value(d: YearData, column: str, row: Mapping[str, Any] | None = None) -> float:
    """A board_year figure, NaN when the column is absent (an older analysis) or empty."""
    source = d.row if row is None else row
    return fmt.to_float(source.get(column)) if column in source else float("nan")


def has(d: YearData, column: str) -> bool:
    return column in d.row and not fmt.is_missing(d.row.get(column))


def interval(d: YearData, measure: str, year: int | None = None) -> tuple[float, float]:
    rows = d.intervals[
        (d.intervals["year"] == (year or d.year)) & (d.intervals["measure"] == measure)
    ]
    if rows.empty:
        return float("nan"), float("nan")
    return fmt.to_float(rows.iloc[0]["low"]), fmt.to_float(rows.iloc[0]["high"])


def interval_text(d: YearData, measure: str, as_pct: bool = True, places: int = 1) -> str:
    low, high = interval(d, measure)
    show = fmt.pct if as_pct else (lambda v: fmt.decimal(v, places))
    return fmt.interval_words(low, high, show)


def listed(d: YearData, row: Mapping[str, Any] | None = None) -> int:
    """Meetings with an attendance list read; a row from before the column counts them all."""
    source = d.row if row is None else row
    if "meetings_with_attendance" not in source:
        return fmt.to_int(source.get("n_meetings"))
    return fmt.to_int(source.get("meetings_with_attendance"))


def label_of(d: YearData) -> str:
    return str(d.row.get("index_label") or "").strip() if has(d, "index_label") else ""


UNPLACED = ("not measurable", "not applicable")


def _cite(row: Mapping[Hashable, Any]) -> str:
    return sections._cite(row)


def _quote(row: Mapping[Hashable, Any], label: str) -> Quote:
    return Quote(str(row["text"]), label, _cite(row))


def _in_order(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.sort_values(["meeting_date", "segment_id"], na_position="last")


def _role(role: object) -> str:
    return sections.ROLE_NAMES.get(str(role), str(role))


def speaker(row: Mapping[Hashable, Any]) -> str:
    """The pseudonym already says the role ("Carer 1"); the role alone when nobody is named."""
    name = str(row.get("speaker_id") or "").strip()
    return name or _role(row.get("speaker_role")).capitalize()


# --------------------------------------------------------------------------- headline
def headline(d: YearData) -> dict[str, Any]:
    """The index label for the year with its components and how firm the label is."""
    label = label_of(d)
    presence_note = (
        f"{fmt.decimal(value(d, 'mean_lay_present'), 1)} lay members a meeting on average "
        f"({interval_text(d, 'mean_lay_present', as_pct=False)}); the standard was met at "
        f"{fmt.count(value(d, 'meetings_standard_met'))} of {listed(d)} meetings with an "
        "attendance list"
        + (
            f" ({fmt.to_int(value(d, 'n_meetings')) - listed(d)} without one)"
            if listed(d) < fmt.to_int(value(d, "n_meetings"))
            else ""
        )
    )
    if label == "not applicable":
        presence_note = "not applicable: the body has no lay seats"
    elif listed(d) == 0:
        presence_note = "not measurable: no attendance list was read at any meeting"
    voice_note = _voice_words(d)
    if has(d, "items_with_lay_voice"):
        voice_note += (
            f"; lay members spoke on {fmt.count(value(d, 'items_with_lay_voice'))} agenda items"
        )
    components = [
        ("Presence", _axis(d, "presence_axis"), presence_note),
        ("Voice", "", voice_note),
        ("Uptake", "", _uptake_note(d)),
        ("Involvement levels", "", _levels_note(d)),
        ("Lay-linked outcomes", _axis(d, "influence_axis"), _linked_note(d)),
    ]
    reason = str(d.row.get("index_reason") or "") if label in UNPLACED else ""
    return {
        "label": label,
        "measured": bool(label),
        "meaning": LABEL_MEANINGS.get(label.lower(), "") + (f" ({reason})" if reason else ""),
        "presence_axis": _axis(d, "presence_axis"),
        "influence_axis": _axis(d, "influence_axis"),
        "components": components,
        "sensitivity": sensitivity_sentence(d, label),
    }


def _voice_words(d: YearData) -> str:
    attributed = fmt.to_int(value(d, "attributed_units"))
    lay = fmt.to_int(value(d, "lay_units"))
    if attributed < config.MIN_ATTRIBUTED_UNITS:
        return (
            f"{fmt.TOO_FEW}: {lay} of only {attributed} contributions the minutes attribute to "
            f"a named person were by lay members (at least {config.MIN_ATTRIBUTED_UNITS} needed)"
        )
    return (
        f"{fmt.pct(value(d, 'lay_voice_share'))} of attributed contributions were by lay members "
        f"({interval_text(d, 'lay_voice_share')})"
    )


def _axis(d: YearData, column: str) -> str:
    if not has(d, column):
        return ""
    raw = d.row.get(column)
    return fmt.decimal(raw) if fmt.finite(raw) else str(raw)


def _uptake_note(d: YearData) -> str:
    if not has(d, "uptake_rate") and not has(d, "lay_contributions"):
        return f"share of lay contributions taken up: {UNMEASURED}"
    contributions = fmt.to_int(value(d, "lay_contributions"))
    if contributions == 0:
        return "no contribution was attributed to a lay member, so there was nothing to take up"
    if contributions < config.MIN_LAY_CONTRIBUTIONS:
        return (
            f"{fmt.TOO_FEW}: {fmt.to_int(value(d, 'lay_taken_up'))} of only {contributions} lay "
            f"contributions were taken up (at least {config.MIN_LAY_CONTRIBUTIONS} needed)"
        )
    return (
        f"{fmt.count(value(d, 'lay_taken_up'))} of {fmt.count(value(d, 'lay_contributions'))} "
        f"lay contributions ({fmt.pct(value(d, 'uptake_rate'))}) were taken up by the board"
        + _maybe_interval(d, "uptake_rate")
    )


def _maybe_interval(d: YearData, measure: str) -> str:
    low, high = interval(d, measure)
    return f" ({fmt.interval_words(low, high, fmt.pct)})" if fmt.finite(low) else ""


def _levels_note(d: YearData) -> str:
    columns = [f"level_{i}" for i in range(1, 6)]
    if not all(c in d.row for c in columns):
        return f"level of involvement per agenda item: {UNMEASURED}"
    counts = [fmt.to_int(d.row.get(c)) for c in columns]
    total = sum(counts)
    if total == 0:
        return "no agenda item with lay participation was given a level"
    names = ("consultation", "working together", "doing together", "deciding together", "leading")
    parts = [
        f"{n} {name} (level {i})"
        for i, (n, name) in enumerate(zip(counts, names, strict=True), 1)
        if n
    ]
    return f"Of {fmt.plural(total, 'agenda item')} with lay participation: " + fmt.and_list(parts)


def _linked_note(d: YearData) -> str:
    if not has(d, "lay_linked_outcomes"):
        return f"outcomes traced to lay contributions: {UNMEASURED}"
    linked = fmt.to_int(value(d, "lay_linked_outcomes"))
    collective = fmt.to_int(value(d, "lay_linked_outcomes_collective"))
    share = (
        fmt.pct(value(d, "lay_linked_collective_share"))
        if enough(d.row, "lay_linked_collective_share")
        else f"a share is {fmt.TOO_FEW}: at least {config.MIN_OUTCOME_UNITS} needed"
    )
    if linked == 0:
        return "no outcome traced to lay contributions"
    return (
        f"{fmt.plural(linked, 'outcome')} traced to lay contributions, {collective} of them "
        f"collective ({share})"
    )


def sensitivity_sentence(d: YearData, label: str) -> str:
    rows = d.sensitivity
    if not label:
        return ""
    if label in UNPLACED:
        return (
            f"The thresholds cannot move this label: the year is '{label}' whatever they are, "
            "because the index has nothing to place."
        )
    if rows is None or rows.empty or "index_label" not in rows or not has(d, "label_settings_same"):
        return f"How the label moves as the index's thresholds change: {UNMEASURED}."
    same = fmt.to_int(value(d, "label_settings_same"))
    tried = fmt.to_int(value(d, "label_settings_tried"))
    text = (
        f"The label stays '{label}' in {same} of {tried} threshold settings tried "
        "(see the sensitivity table)."
    )
    moved = rows[rows["index_label"].astype(str) != label]
    if len(moved):
        examples = [
            f"{_threshold(r['parameter'])} is {_plain(r['value'])} ('{r['index_label']}')"
            for r in moved.head(3).to_dict("records")
        ]
        text += " It moves when " + fmt.and_list(examples) + "."
    else:
        text += " No setting tried changes it."
    return text


# The index's thresholds in the words of docs/measures.md (config.INDEX_THRESHOLDS), for readers
# who will never open the config.
_THRESHOLD_WORDS = {t.name: t.words for t in config.INDEX_THRESHOLDS}


def _threshold(name: object) -> str:
    return _THRESHOLD_WORDS.get(str(name), str(name))


def _plain(raw: object) -> str:
    return fmt.rank(raw) if fmt.finite(raw) else str(raw)


def sensitivity_table(d: YearData) -> Table | None:
    rows = d.sensitivity
    needed = {"parameter", "value", "index_label"}
    if rows is None or rows.empty or not needed <= set(rows.columns):
        return None
    body = [
        [
            _threshold(r["parameter"]),
            _plain(r["value"]) + (" (default)" if bool(r.get("is_default")) else ""),
            _plain(r.get("presence_axis")),
            _plain(r.get("influence_axis")),
            str(r["index_label"]),
        ]
        for r in rows.to_dict("records")
    ]
    return Table(
        ["Threshold", "Value", "Presence axis", "Influence axis", "Label"],
        body,
        [False, True, True, True, False],
    )


# --------------------------------------------------------------------------- findings
def findings(d: YearData, own_codebook: bool = True) -> list[Finding]:
    """Five findings in the order of Horrocks' questions; each with figure, interval, quotes.
    No priorities finding without the board's own codebook: the demo's survey is not theirs."""
    return [time_finding(d), presence_finding(d), voice_finding(d), outcome_finding(d)] + (
        [priorities_finding(d)] if own_codebook and not d.attention.empty else []
    )


def time_finding(d: YearData) -> Finding:
    outcome = value(d, "outcome_share")
    text = (
        f"In {d.year}, {fmt.pct(outcome)} of the words in the minutes were about outcomes, "
        f"{fmt.pct(value(d, 'process_share'))} about process and "
        f"{fmt.pct(value(d, 'action_share'))} about actions, over "
        f"{fmt.plural(fmt.to_int(value(d, 'n_meetings')), 'meeting')} and "
        f"{fmt.count(value(d, 'n_words'))} words."
    )
    text += _change(d, "outcome_share", "the outcome share")
    text += _timed_sentence(d)
    segs = d.segments
    quotes: list[Quote] = []
    process = segs[segs["focus"] == "process"].sort_values("n_words", ascending=False)
    outcomes = segs[segs["focus"] == "outcome"].sort_values("n_words", ascending=False)
    if len(process):
        quotes.append(_quote(process.iloc[0].to_dict(), "Process: the year's longest process unit"))
    if len(outcomes):
        quotes.append(
            _quote(outcomes.iloc[0].to_dict(), "Outcome: the year's longest outcome unit")
        )
    return Finding(
        "Time",
        text,
        fmt.pct(outcome) + " of words on outcomes",
        interval_text(d, "outcome_share"),
        ("focus_by_meeting",),
        quotes,
    )


def _timed_sentence(d: YearData) -> str:
    """Where minutes or agendas give item times, the same split by minutes, said beside words:
    words are the record's emphasis, minutes the meeting's."""
    minutes = value(d, "timed_minutes")
    if not has(d, "timed_minutes") or not minutes > 0:
        return ""
    n_timed = fmt.to_int(value(d, "timed_meetings")) if has(d, "timed_meetings") else 0
    where = f" at {fmt.plural(n_timed, 'meeting')} whose items were timed" if n_timed else ""
    return (
        f" Of the {fmt.count(minutes)} minutes of agenda time given for items{where}, "
        f"{fmt.pct(value(d, 'outcome_time_share'))} went to outcomes, "
        f"{fmt.pct(value(d, 'process_time_share'))} to process and "
        f"{fmt.pct(value(d, 'action_time_share'))} to actions."
    )


def presence_finding(d: YearData) -> Finding:
    words = charts.NUMBER_WORDS.get(config.PRESENCE_STANDARD, str(config.PRESENCE_STANDARD))
    met = fmt.to_int(value(d, "meetings_standard_met"))
    held = fmt.to_int(value(d, "n_meetings"))
    with_list = listed(d)
    share = value(d, "share_meetings_standard_met")
    if label_of(d) == "not applicable":
        return Finding(
            "Presence",
            f"Not applicable: the body has no lay seats (board.yaml: lay_seats: 0), so the "
            f"'at least {words}' standard does not apply to its {fmt.plural(held, 'meeting')}.",
            "not applicable",
            "",
            (),
        )
    if with_list == 0:
        return Finding(
            "Presence",
            f"Not measurable: no attendance list was read in the minutes of any of the "
            f"{fmt.plural(held, 'meeting')} of {d.year}, so who was present is unknown (which "
            "is not the same as nobody).",
            "not measurable",
            "",
            (),
        )
    text = (
        f"Lay members met the 'at least {words}' standard at {met} of "
        f"{fmt.plural(with_list, 'meeting')} with an attendance list ({fmt.pct(share)}), with "
        f"{fmt.decimal(value(d, 'mean_lay_present'), 1)} present on average "
        f"({interval_text(d, 'mean_lay_present', as_pct=False)})."
    )
    if with_list < held:
        text += (
            f" {fmt.plural(held - with_list, 'meeting')} had no attendance list read and "
            "could not be checked."
        )
    alone = fmt.to_int(value(d, "meetings_single_lay"))
    if alone:
        text += f" At {fmt.plural(alone, 'meeting')} a single lay member sat alone."
    text += _change(d, "share_meetings_standard_met", "the share of meetings meeting it")
    with_lists = d.view[d.view["has_attendance"].astype(bool)]
    below = with_lists[with_lists["lay_present"].astype(float) < config.PRESENCE_STANDARD]
    rows = below if len(below) else with_lists
    quotes = [_attendance_quote(d, r) for r in rows.head(QUOTES_PER_FINDING).to_dict("records")]
    note = (
        "The attendance lists of meetings below the standard:"
        if len(below)
        else "Every listed meeting met the standard; the first attendance lists:"
    )
    return Finding(
        "Presence",
        text,
        f"{met} of {with_list} meetings with a list met the standard",
        interval_text(d, "share_meetings_standard_met"),
        ("lay_presence",),
        quotes,
        note,
    )


def _attendance_quote(d: YearData, meeting: Mapping[Hashable, Any]) -> Quote:
    """The lay part of the attendance list, cited to the first page of the meeting's minutes."""
    mid = str(meeting["meeting_id"])
    att = d.attendance[
        (d.attendance["meeting_id"].astype(str) == mid) & (d.attendance["status"] == "present")
    ]
    lay = att[att["role"].isin(config.LAY_ROLES)]
    names = [f"{r['person_id']} ({_role(r['role'])})" for r in lay.to_dict("records")]
    # A lay body's chair is counted among its lay members (pipeline.segment): name the chair too,
    # so the quote adds up to the count beside it.
    counted = meeting.get("lay_present")
    chairs = att[att["role"] == "chair"]
    if fmt.finite(counted) and fmt.to_int(counted) == len(names) + 1 and len(chairs) == 1:
        names.append(f"{chairs.iloc[0]['person_id']} (chair, a lay member of this body)")
    text = (
        "Lay members listed as present: " + fmt.and_list(names)
        if names
        else "No lay member listed as present."
    )
    pages = d.segments.loc[d.segments["meeting_id"].astype(str) == mid, "page"]
    page = int(pages.min()) if len(pages) else 1
    where: dict[Hashable, Any] = {
        "meeting_date": meeting.get("meeting_date"),
        "source": meeting.get("source"),
        "page": page,
        "item_title": "attendance list",
    }
    return Quote(text, f"{len(names)} lay present", sections._cite(where))


def voice_finding(d: YearData) -> Finding:
    lay = fmt.to_int(value(d, "lay_units"))
    attributed = fmt.to_int(value(d, "attributed_units"))
    share = value(d, "lay_voice_share")
    few = attributed < config.MIN_ATTRIBUTED_UNITS
    if few:
        text = (
            f"Lay members' share of contributions: {fmt.TOO_FEW}. The minutes attribute only "
            f"{attributed} units to a named person, {lay} of them to lay members; at least "
            f"{config.MIN_ATTRIBUTED_UNITS} are needed for a share."
        )
    else:
        text = (
            f"Lay members made {fmt.pct(share)} of the contributions the minutes attribute to a "
            f"named person ({lay} of {attributed} units)."
        )
    if has(d, "uptake_rate") and fmt.to_int(value(d, "lay_contributions")) < (
        config.MIN_LAY_CONTRIBUTIONS
    ):
        text += f" Whether the board took up what they said: {_uptake_note(d)}."
    elif has(d, "uptake_rate"):
        low, high = interval(d, "uptake_rate")
        span = f", 95% interval {fmt.pct(low)} to {fmt.pct(high)}" if fmt.finite(low) else ""
        text += (
            f" The board took up {fmt.count(value(d, 'lay_taken_up'))} of "
            f"{fmt.count(value(d, 'lay_contributions'))} lay contributions "
            f"({fmt.pct(value(d, 'uptake_rate'))}{span})."
        )
    else:
        text += f" Whether the board took up what they said was {UNMEASURED}."
    if not few:
        text += _change(d, "lay_voice_share", "the lay share")
    quotes, note = _uptake_quotes(d)
    return Finding(
        "Voice and uptake",
        text,
        fmt.TOO_FEW if few else f"{fmt.pct(share)} of attributed contributions by lay members",
        "" if few else interval_text(d, "lay_voice_share"),
        ("involvement_funnel",),
        quotes,
        note,
    )


def _uptake_quotes(d: YearData) -> tuple[list[Quote], str]:
    """Taken-up contributions beside what took them up; a spread of lay units otherwise."""
    by_id = d.segments.set_index(d.segments["segment_id"].astype(str), drop=False)
    quotes: list[Quote] = []
    if d.uptake is not None and len(d.uptake) and "contribution_id" in d.uptake:
        links = d.uptake.drop_duplicates("contribution_id")
        for link in links.head(QUOTES_PER_FINDING).to_dict("records"):
            cid = str(link["contribution_id"])
            if cid not in by_id.index:
                continue
            unit = by_id.loc[cid]
            how = str(link.get("link") or "taken up").replace("_", " ")
            evidence = str(link.get("evidence") or "").strip()
            later = _target_cite(d, str(link.get("target_id") or ""))
            label = speaker(unit.to_dict())
            quotes.append(
                Quote(
                    str(unit["text"]),
                    label,
                    _cite(unit.to_dict())
                    + f". Taken up ({how}){later}"
                    + (f": “{evidence}”" if evidence else ""),
                )
            )
        if quotes:
            return quotes, "Lay contributions the board took up, with what took them up:"
    lay = _in_order(d.segments[d.segments["speaker_role"].isin(config.LAY_ROLES)])
    if lay.empty:
        return [], ""
    picks = np.unique(np.linspace(0, len(lay) - 1, QUOTES_PER_FINDING).round().astype(int))
    quotes = [_quote(r, speaker(r)) for r in lay.iloc[picks].to_dict("records")]
    return quotes, "Lay members' contributions, spread over the year:"


def _target_cite(d: YearData, target_id: str) -> str:
    """Where the act that took a contribution up is found, so the link can be checked too."""
    rows = d.all_segments[d.all_segments["segment_id"].astype(str) == target_id]
    if rows.empty:
        return f" in unit {target_id}" if target_id else ""
    where = _cite(rows.iloc[0].to_dict())
    return " in the " + where[:1].lower() + where[1:]


def outcome_finding(d: YearData) -> Finding:
    total = fmt.to_int(value(d, "outcome_units"))
    individual = fmt.to_int(value(d, "outcomes_individual"))
    collective = fmt.to_int(value(d, "outcomes_collective"))
    share = value(d, "collective_outcome_share")
    few = 0 < total < config.MIN_OUTCOME_UNITS
    if total == 0:
        text = f"The minutes of {d.year} record no outcome: no concrete result was reported."
    elif few:
        text = (
            f"Whether outcomes reached service users collectively: {fmt.TOO_FEW}. The minutes "
            f"of {d.year} record only {fmt.plural(total, 'outcome unit')} ({collective} "
            f"collective, {individual} individual); at least {config.MIN_OUTCOME_UNITS} are "
            "needed for a share."
        )
    else:
        text = (
            f"Of {fmt.plural(total, 'outcome unit')} in {d.year}, {collective} "
            f"({fmt.pct(share)}) reached service users collectively and {individual} benefited "
            "only the individuals involved."
        )
    if has(d, "lay_linked_outcomes"):
        text += (
            f" {fmt.plural(fmt.to_int(value(d, 'lay_linked_outcomes')), 'outcome')} trace to "
            f"lay contributions, {fmt.to_int(value(d, 'lay_linked_outcomes_collective'))} of "
            "them collective."
        )
    else:
        text += f" Which outcomes trace to lay contributions was {UNMEASURED}."
    if not few:
        text += _change(d, "collective_outcome_share", "the collective share")
    segs = _in_order(d.segments[d.segments["focus"] == "outcome"])
    quotes = [
        _quote(r, f"Outcome, {scope}")
        for scope in config.SCOPE_LABELS[::-1]
        for r in segs[segs["outcome_scope"] == scope]
        .head(1 if scope == "individual" else 2)
        .to_dict("records")
    ]
    enough = total >= config.MIN_OUTCOME_UNITS
    return Finding(
        "Outcomes",
        text,
        f"{fmt.pct(share)} of outcomes collective" if enough else fmt.TOO_FEW,
        interval_text(d, "collective_outcome_share") if enough else "",
        ("outcome_scope",) if enough else (),
        quotes,
    )


def priorities_finding(d: YearData) -> Finding:
    align = d.alignment
    points = data.order_themes(d.attention)
    points = points[points["theme"] != config.OTHER_THEME]
    if fmt.finite(align.rho):
        text = (
            f"In {d.year} the board's attention followed service users' survey priorities "
            f"with Spearman's rho = {align.rho:.2f} across {align.n_themes} themes (1 would "
            "mean most words on what service users ranked highest, 0 no relation)."
        )
    else:
        text = f"Survey priorities and attention could not be compared for {d.year}."
    quotes: list[Quote] = []
    if len(points):
        top = points.iloc[0]
        text += (
            f" The survey's first priority, {top['label']}, received "
            f"{fmt.pct(top['word_share'])} of the words, ranking "
            f"{fmt.rank(top['attention_rank'])} of {len(points)}."
        )
        units = _in_order(d.segments[d.segments["theme"] == top["theme"]])
        quotes = [_quote(r, f"Theme: {top['label']}") for r in units.head(2).to_dict("records")]
    low, high = interval(d, "alignment_rho")
    span = (
        f"95% interval {fmt.decimal(low)} to {fmt.decimal(high)}"
        if fmt.finite(low)
        else "no interval: rho is computed over themes, not resampled over meetings"
    )
    return Finding(
        "Priorities",
        text,
        f"rho = {fmt.decimal(align.rho)}",
        span,
        ("priorities_vs_attention",),
        quotes,
        "Units on the survey's first priority:" if quotes else "",
    )


def _change(d: YearData, column: str, what: str) -> str:
    """A clause on the change from last year, saying when intervals overlap (maybe chance)."""
    if d.last_row is None or column not in d.last_row:
        return ""
    if not (enough(d.row, column) and enough(d.last_row, column)):
        return ""  # no change from or to a figure the data cannot carry
    now, before = value(d, column), value(d, column, d.last_row)
    if not (fmt.finite(now) and fmt.finite(before)):
        return ""
    a_low, a_high = interval(d, column)
    b_low, b_high = interval(d, column, d.last)
    direction = "rose" if now > before else "fell" if now < before else "was unchanged"
    text = f" Against {d.last}, {what} {direction}"
    text += f" from {fmt.pct(before)}" if direction != "was unchanged" else f" at {fmt.pct(now)}"
    if all(fmt.finite(v) for v in (a_low, a_high, b_low, b_high)) and direction != "was unchanged":
        overlap = a_low <= b_high and b_low <= a_high
        text += (
            "; the two years' intervals overlap, so the change may be chance"
            if overlap
            else "; the two years' intervals do not overlap"
        )
    return text + "."


# --------------------------------------------------------------------------- funnel, comparison
def funnel(d: YearData) -> list[tuple[str, float | None]]:
    def get(column: str) -> float | None:
        return value(d, column) if has(d, column) else None

    lay = get("lay_contributions")
    return [
        ("Contributions attributed to someone", get("attributed_units")),
        ("...by lay members", lay if lay is not None else get("lay_units")),
        ("...taken up by the board", get("lay_taken_up")),
        ("Outcomes traced to lay contributions", get("lay_linked_outcomes")),
        ("...reaching service users collectively", get("lay_linked_outcomes_collective")),
    ]


COMPARED: tuple[tuple[str, str], ...] = (
    ("Words about outcomes", "outcome_share"),
    ("Words about process", "process_share"),
    ("Meetings meeting the presence standard", "share_meetings_standard_met"),
    ("Lay share of attributed contributions", "lay_voice_share"),
    ("Lay contributions taken up", "uptake_rate"),
    ("Outcomes reaching service users collectively", "collective_outcome_share"),
    ("Lay-linked outcomes that are collective", "lay_linked_collective_share"),
)


def comparison_rows(d: YearData) -> list[tuple[str, float, float, float, float, float, float]]:
    """The chart's pairs of bars: a measure either year has too few under is not drawn."""
    out = []
    for label, column in COMPARED:
        if column not in d.row:
            continue
        before = d.last_row or {}
        if not (enough(d.row, column) and enough(before, column)):
            continue
        out.append(
            (
                label,
                value(d, column),
                *interval(d, column),
                value(d, column, before) if column in before else float("nan"),
                *(interval(d, column, d.last) if d.last else (float("nan"), float("nan"))),
            )
        )
    return out


def comparison_table(d: YearData) -> Table:
    header = ["Measure", *([str(d.last)] if d.last else []), str(d.year)]
    body = []
    rows = [*COMPARED[:3], ("Mean lay members present", "mean_lay_present"), *COMPARED[3:]]
    for label, column in rows:
        cells = []
        for year, row in ((d.last, d.last_row), (d.year, d.row)):
            if year is None or row is None:
                continue
            if column not in row:
                cells.append(UNMEASURED)
                continue
            if not enough(row, column):
                # No attendance list read is not measurable; a list or two is too few.
                presence = RESTS_ON[column][0] == "meetings_with_attendance"
                cells.append("not measurable" if presence else fmt.TOO_FEW)
                continue
            v = value(d, column, row)
            low, high = interval(d, column, year)
            show = fmt.pct if column != "mean_lay_present" else (lambda x: fmt.decimal(x, 1))
            cell = show(v)
            if fmt.finite(low) and show(low) != show(high):
                cell += f" ({show(low)} to {show(high)})"
            cells.append(cell)
        body.append([label, *cells])
    return Table(header, body, [False] + [True] * (len(header) - 1))


def unmeasured(d: YearData) -> list[str]:
    """What this run did not measure, listed once at the top instead of silently left out."""
    notes = []
    if not has(d, "index_label"):
        notes.append("the symbolic-instrumental index (board_year.index_label)")
    # Measured with nothing to measure (no lay contribution) is not "not measured".
    if d.uptake is None or not (has(d, "uptake_rate") or has(d, "lay_contributions")):
        notes.append("uptake of lay contributions (table uptake)")
    if not has(d, "lay_linked_outcomes"):
        notes.append("outcomes traced to lay contributions")
    if not has(d, "level_1") and d.levels is None:
        notes.append("involvement levels per agenda item (table item_levels)")
    if d.sensitivity is None and has(d, "index_label"):
        notes.append("the index's sensitivity to its thresholds (table index_sensitivity)")
    return notes
