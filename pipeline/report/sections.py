"""The report's tables and evidence as plain rows of display strings.

Everything is formatted here so the template only lays text out; that keeps the number formats in
Python (and tested) and lets Jinja's autoescaping deal with every string from the minutes.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pipeline.core import config
from pipeline.report import data, fmt

Record = Mapping[Hashable, Any]

MAX_OUTCOME_QUOTES = 40
LAY_SAMPLE = 12
# The roles in words, as the pseudonyms name them ("service user", "lay member").
ROLE_NAMES = {
    **{role: label.lower() for role, label in config.PSEUDONYM_LABELS.items()},
    "none": "nobody named",
}

_MISSING_MEANS = {
    "documents": "no document list, so the report cannot say which files were read",
    "meetings": "no meetings, so presence and the per-meeting table are empty",
    "attendance": "no attendance records",
    "segments": "no coded units, so there is no evidence to quote",
    "meeting_measures": "no per-meeting measures",
    "theme_attention": "no theme attention, so priorities cannot be compared",
    "board_year": "no year-by-year measures, so the key findings cannot be computed",
    "year_intervals": "no intervals, so figures are given without them",
    "emergent_topics": "no emergent topics, so what the survey did not name cannot be shown",
    # Computed in every run; empty means there was nothing of the kind, not that it was skipped.
    "item_levels": "computed, with no rows: no agenda item with lay participation to give a level",
    "item_times": "computed, with no rows: neither minutes nor agendas give item times, so "
    "time is measured in words only",
    "uptake": "computed, with no rows: no lay contribution was found to be taken up",
    "index_sensitivity": "computed, with no rows: no year to place on the index",
    "text_accounting": "computed, with no rows: no words were read",
}


@dataclass(frozen=True)
class Table:
    """A table for the template: header cells, body rows, optional column classes."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: Sequence[bool]


@dataclass(frozen=True)
class Quote:
    text: str
    label: str
    cite: str


def missing_notes(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """One line per empty table, so an empty chart is never mistaken for a finding."""
    return [
        f"{name}: {_MISSING_MEANS.get(name, 'computed, with no rows')}"
        for name in data.TABLE_NAMES
        if tables[name].empty
    ]


def period(view: pd.DataFrame) -> str:
    """First to last meeting date, the span every number in the report covers."""
    days = [d for d in (fmt.as_date(v) for v in view["meeting_date"]) if d]
    if not days:
        return "no dated meetings"
    first, last = min(days), max(days)
    if first == last:
        return fmt.long_date(first)
    return f"{fmt.long_date(first)} to {fmt.long_date(last)}"


def year_table(board_year: pd.DataFrame) -> Table | None:
    """Measures as rows and years as columns: years are few, measures many, and the eye reads
    a trend along a row."""
    if board_year.empty:
        return None
    rows = board_year.sort_values("year")
    specs: list[tuple[str, list[str]]] = [
        ("Meetings with minutes", [fmt.count(v) for v in rows["n_meetings"]]),
        ("Units coded", [fmt.count(v) for v in rows["n_units"]]),
        ("Words in those units", [fmt.count(v) for v in rows["n_words"]]),
        ("Process share of words", [fmt.pct(v) for v in rows["process_share"]]),
        ("Action share of words", [fmt.pct(v) for v in rows["action_share"]]),
        ("Outcome share of words", [fmt.pct(v) for v in rows["outcome_share"]]),
        ("Mean lay members present", [fmt.decimal(v, 1) for v in rows["mean_lay_present"]]),
        (
            "Meetings meeting the presence standard",
            [
                f"{fmt.count(m)} ({fmt.pct(s)})"
                for m, s in zip(
                    rows["meetings_standard_met"], rows["share_meetings_standard_met"], strict=True
                )
            ],
        ),
        ("Meetings with a single lay member", [fmt.count(v) for v in rows["meetings_single_lay"]]),
        ("Units attributed to a named person", [fmt.count(v) for v in rows["attributed_units"]]),
        ("…of which by lay members", [fmt.count(v) for v in rows["lay_units"]]),
        ("Lay share of attributed units", [fmt.pct(v) for v in rows["lay_voice_share"]]),
        ("Outcome units", [fmt.count(v) for v in rows["outcome_units"]]),
        ("…individual benefit", [fmt.count(v) for v in rows["outcomes_individual"]]),
        ("…collective benefit", [fmt.count(v) for v in rows["outcomes_collective"]]),
        ("Collective share of outcomes", [fmt.pct(v) for v in rows["collective_outcome_share"]]),
        (
            "Spearman's rho, survey vs attention",
            [
                fmt.decimal(r) + (f" (p = {fmt.decimal(p)})" if fmt.finite(p) else "")
                for r, p in zip(rows["alignment_rho"], rows["alignment_p"], strict=True)
            ],
        ),
    ]
    # Columns a later version added: what presence rests on, and the index's label.
    if "meetings_with_attendance" in rows:
        specs.insert(
            1,
            (
                "…with an attendance list read",
                [fmt.count(v) for v in rows["meetings_with_attendance"]],
            ),
        )
    if "index_label" in rows:
        specs.append(("Symbolic-instrumental index", [str(v) for v in rows["index_label"]]))
    header = ["Measure", *[str(int(y)) for y in rows["year"]]]
    return Table(header, [[name, *values] for name, values in specs], [False] + [True] * len(rows))


def meeting_table(view: pd.DataFrame) -> Table | None:
    """The per-meeting facts behind the charts, for readers who want the numbers."""
    if view.empty:
        return None
    body = [_meeting_row(row) for row in view.to_dict("records")]
    header = [
        "Meeting date",
        "Members present",
        "Lay present",
        "Standard met",
        "Units",
        "Process",
        "Actions",
        "Outcomes",
        "Lay share of attributed",
        "Minutes file",
    ]
    return Table(header, body, [False, True, True, False, True, True, True, True, True, False])


def _meeting_row(row: Record) -> list[str]:
    listed = bool(row.get("has_attendance", True))
    lay = row.get("lay_present")
    met = fmt.to_float(lay) >= config.PRESENCE_STANDARD
    return [
        fmt.long_date(row.get("meeting_date"))
        if fmt.as_date(row.get("meeting_date"))
        else str(row.get("meeting_id")),
        fmt.count(row.get("members_present")) if listed else "no list",
        fmt.count(lay) if listed else "no list",
        ("✓" if met else "✗") if listed else "?",
        fmt.count(row.get("n_units")),
        fmt.pct(row.get("process_share")),
        fmt.pct(row.get("action_share")),
        fmt.pct(row.get("outcome_share")),
        fmt.pct(row.get("lay_voice_share")),
        "" if fmt.is_missing(row.get("source")) else str(row.get("source")),
    ]


def outcome_quotes(segments: pd.DataFrame) -> tuple[list[Quote], int]:
    """Every outcome unit, quoted with where to find it, so each count can be checked."""
    rows = _in_order(segments[segments["focus"] == "outcome"])
    quotes = [
        Quote(str(r["text"]), f"Outcome, {r['outcome_scope'] or 'scope not coded'}", _cite(r))
        for r in rows.head(MAX_OUTCOME_QUOTES).to_dict("records")
    ]
    return quotes, len(rows)


def lay_quotes(segments: pd.DataFrame) -> tuple[list[Quote], int]:
    """A sample spread evenly over the period, so one talkative meeting does not fill it."""
    rows = _in_order(segments[segments["speaker_role"].isin(config.LAY_ROLES)])
    if len(rows) > LAY_SAMPLE:
        picks = np.unique(np.linspace(0, len(rows) - 1, LAY_SAMPLE).round().astype(int))
        rows_sample = rows.iloc[picks]
    else:
        rows_sample = rows
    quotes = [
        Quote(
            str(r["text"]),
            f"{ROLE_NAMES.get(str(r['speaker_role']), str(r['speaker_role'])).capitalize()}"
            + (f" {r['speaker_id']}" if str(r["speaker_id"]) else ""),
            _cite(r),
        )
        for r in rows_sample.to_dict("records")
    ]
    return quotes, len(rows)


def _in_order(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.sort_values(["meeting_date", "segment_id"], na_position="last")


def _cite(row: Record) -> str:
    item = str(row.get("item_title") or "")
    number = str(row.get("item_no") or "")
    where = f"item {number} " if number else ""
    item_part = f", {where}'{item}'" if item else (f", {where.strip()}" if where else "")
    return (
        f"Meeting of {fmt.long_date(row.get('meeting_date'))}{item_part}; "
        f"{row.get('source')}, p. {fmt.count(row.get('page'))}"
    )


def theme_table(themes: Sequence[Mapping[str, object]], attention: pd.DataFrame) -> Table | None:
    """The codebook beside what the minutes did with it; codebook order wins when given."""
    rows = data.theme_rows(attention)
    by_id = {str(r["theme"]): r for r in rows.to_dict("records")}
    listed = [dict(t) for t in themes] or [
        {
            "id": r["theme"],
            "label": r["label"],
            "priority_rank": r["priority_rank"],
            "survey_share": r["survey_share"],
            "definition": "",
        }
        for r in rows.to_dict("records")
        if r["theme"] != config.OTHER_THEME
    ]
    if not listed and not by_id:
        return None
    listed.sort(key=lambda t: (_sort_rank(t.get("priority_rank")), str(t.get("id"))))
    body = [_theme_row(t, by_id.get(str(t.get("id")), {})) for t in listed]
    other = by_id.get(config.OTHER_THEME)
    if other is not None:
        body.append(
            [
                "–",
                "Other (no survey priority)",
                "–",
                fmt.count(other["n_units"]),
                fmt.pct(other["word_share"]),
                "–",
                "",
            ]
        )
    header = [
        "Survey rank",
        "Theme",
        "Survey share",
        "Units",
        "Word share",
        "Attention rank",
        "Definition",
    ]
    return Table(header, body, [True, False, True, True, True, True, False])


def _sort_rank(value: object) -> float:
    """Themes without a rank go last rather than breaking the sort."""
    number = fmt.to_float(value)
    return number if fmt.finite(number) else float("inf")


def _theme_row(theme: Mapping[str, object], seen: Record) -> list[str]:
    return [
        fmt.rank(theme.get("priority_rank")),
        str(theme.get("label") or theme.get("id")),
        fmt.pct(theme.get("survey_share")),
        fmt.count(seen.get("n_units", 0)),
        fmt.pct(seen.get("word_share", 0.0)),
        fmt.rank(seen.get("attention_rank")),
        str(theme.get("definition") or ""),
    ]


def document_problems(
    documents: pd.DataFrame, unit_share: float = float("nan")
) -> tuple[Table | None, str]:
    """The files that were not read cleanly, because one bad file must never pass unnoticed;
    ``unit_share`` (of the minutes' words, the share in units) says whether reading them
    cleanly also means their text was analysed."""
    if documents.empty:
        return None, "No document list was given, so it is not known which files were read."
    bad = documents[documents["status"] != "ok"].sort_values(["status", "source"])
    if bad.empty and fmt.finite(unit_share) and unit_share < config.MIN_UNIT_WORD_SHARE:
        return None, (
            f"All {fmt.plural(len(documents), 'document')} were read without errors, but only "
            f"{fmt.pct(unit_share)} of the minutes' words reached the units analysed (below "
            f"the {fmt.pct(config.MIN_UNIT_WORD_SHARE)} minimum; see What the figures rest on)."
        )
    if bad.empty:
        return None, f"All {fmt.plural(len(documents), 'document')} were read without problems."
    table = Table(
        ["Source", "Status", "Message"],
        [[str(r["source"]), str(r["status"]), str(r["message"])] for r in bad.to_dict("records")],
        [False, False, False],
    )
    return table, (
        f"{len(bad)} of {fmt.plural(len(documents), 'document')} were not read "
        "cleanly; what went wrong and how to fix it:"
    )


def text_accounting_note(coverage: pd.DataFrame) -> str:
    """Where the documents' words ended: a reader can see that nothing was silently dropped."""
    rows = coverage[(coverage["year"] == 0) & (coverage["doc_id"].astype(str) == "")]
    if rows.empty:
        return ""
    run = rows.iloc[0]
    total = fmt.to_int(run["n_words"])
    unplaced = fmt.to_int(run["unplaced_words"])
    parts = [
        f"{fmt.count(run['unit_words'])} in the units analysed",
        f"{fmt.count(run['attendance_words'])} in attendance lists",
        f"{fmt.count(run['heading_words'])} in titles and headings",
        f"{fmt.count(run['furniture_words'])} in running headers, footers and page numbers",
        f"{fmt.count(run['not_minutes_words'])} in documents not analysed as minutes "
        "(agendas, papers, second copies of a meeting)",
    ]
    head = f"Of the documents' {fmt.count(total)} words, " + ", ".join(parts)
    if not unplaced:
        return head + "; no word was left unread (table text_accounting)."
    files = fmt.to_int(run["unplaced_documents"])
    return (
        f"{head}; {fmt.count(unplaced)} words in {fmt.plural(files, 'document')} were read "
        "into no unit, list or heading (table text_accounting gives each passage's reason)."
    )


def validation_table(validation: object) -> tuple[Table | None, int]:
    """Agreement with human coding, beside a baseline so the machine's figure has a yardstick."""
    if not isinstance(validation, Mapping):
        return None, 0
    rows = validation.get("rows") or []
    body = [
        [
            str(r.get("field", "")),
            fmt.decimal(r.get("kappa")),
            fmt.decimal(r.get("alpha")),
            fmt.decimal(r.get("baseline_kappa")),
        ]
        for r in rows
        if isinstance(r, Mapping)
    ]
    if not body:
        return None, 0
    n_units = validation.get("n_units")
    table = Table(
        ["Field", "Cohen's kappa", "Krippendorff's alpha", "Baseline kappa"],
        body,
        [False, True, True, True],
    )
    return table, fmt.to_int(n_units)


def examples_note(cv: object) -> str:
    """What a coder trained on hand-coded examples achieved, said where agreement is reported.

    Those units keep their human label, so agreement measured on them would be perfect by
    construction; their cross-validated figure is the honest one.
    """
    if not isinstance(cv, Mapping) or cv.get("kappa") is None:
        return ""
    n = fmt.to_int(cv.get("n_examples"))
    folds = fmt.to_int(cv.get("folds"))
    origin = fmt.text(cv.get("origin"))
    return (
        f"Themes were learned from {fmt.plural(n, 'hand-coded unit')}"
        f"{f' ({origin})' if origin else ''}, which keep their human label. Trained and tested "
        f"in {folds}-fold cross-validation on those units, the coder agreed with them at kappa "
        f"{fmt.decimal(cv.get('kappa'))}, macro-F1 {fmt.decimal(cv.get('macro_f1'))}. The units "
        "given as examples are left out of any theme agreement reported here."
    )


# --------------------------------------------------------------------------- emergent topics
@dataclass(frozen=True)
class TopicsView:
    """The emergent-topics section: the topics, their evidence, and the neglected priorities."""

    table: Table | None
    quotes: list[Quote]
    neglected: list[Quote]
    procedure_topics: int
    procedure_share: float
    note: str


def topics_view(
    topics: pd.DataFrame,
    segments: pd.DataFrame,
    attention: pd.DataFrame,
    note: str = "",
) -> TopicsView:
    """What the board discussed that no survey priority covers, and what it left aside."""
    labels = _theme_labels(attention)
    procedure = topics[topics["kind"] == "procedure"] if not topics.empty else topics
    rows = data.largest_topics(topics, n=len(topics))
    table = None
    if not rows.empty:
        body = [
            [
                str(r["label"]),
                _coverage_text(r, labels),
                fmt.count(r["n_units"]),
                fmt.count(r["meetings"]),
                fmt.pct(r["share_of_words"]),
                str(r["keywords"]).replace(";", ","),
            ]
            for r in rows.to_dict("records")
        ]
        table = Table(
            ["Topic", "Survey priority", "Units", "Meetings", "Word share", "Keywords"],
            body,
            [False, False, True, True, True, False],
        )
    by_id = segments.set_index("segment_id") if not segments.empty else segments
    quotes = []
    for r in rows[rows["kind"] == "emergent"].to_dict("records") if not rows.empty else []:
        unit_id = str(r["example_unit_id"])
        unit: Record = by_id.loc[unit_id].to_dict() if unit_id in by_id.index else {}
        quotes.append(
            Quote(
                str(r["example_text"]),
                f"Emergent topic: {r['label']} ({fmt.plural(int(r['n_units']), 'unit')})",
                _cite(unit) if unit else f"unit {unit_id}",
            )
        )
    return TopicsView(
        table=table,
        quotes=quotes,
        neglected=neglected_priorities(attention, segments),
        procedure_topics=len(procedure),
        procedure_share=float(procedure["share_of_words"].sum()) if len(procedure) else 0.0,
        note=note,
    )


def _coverage_text(topic: Record, labels: Mapping[str, str]) -> str:
    """'Covered: X', or 'Emergent' with the nearest theme, so a split topic is seen as one."""
    theme = str(topic.get("nearest_theme") or "")
    name = labels.get(theme, theme)
    if topic["kind"] == "covered":
        return f"Covered: {name}"
    share = fmt.to_float(topic.get("theme_share"))
    if not theme or not share > 0:
        return "Emergent"
    return f"Emergent (most words in {name}: {fmt.pct(share)})"


def neglected_priorities(attention: pd.DataFrame, segments: pd.DataFrame) -> list[Quote]:
    """Survey priorities the minutes gave little or no attention, each with its best evidence.

    Little attention is the measure stage's (theme_attention.little_attention: less than
    config.LITTLE_ATTENTION_FRACTION of an even share of the words the minutes gave to survey
    priorities); an analysis made before that column lists none. The evidence is the unit coded
    to the priority with most confidence, so a reader can judge whether the board touched on it
    at all.
    """
    rows = data.theme_rows(attention)
    if "little_attention" not in rows.columns:
        return []
    rows = rows[(rows["theme"] != config.OTHER_THEME) & rows["little_attention"].astype(bool)]
    out = []
    for r in rows.to_dict("records"):
        label = (
            f"Survey rank {fmt.rank(r['priority_rank'])}: {r['label']}, "
            f"{fmt.plural(fmt.to_int(r['n_units']), 'unit')}, {fmt.pct(r['word_share'])} of words"
        )
        mine = segments[segments["theme"] == r["theme"]] if not segments.empty else segments
        if mine.empty:
            out.append(Quote("No unit of the minutes was coded to this priority.", label, ""))
            continue
        best = mine.sort_values(["theme_score", "segment_id"], ascending=[False, True]).iloc[0]
        out.append(Quote(str(best["text"]), label, _cite(best.to_dict())))
    return out


def _theme_labels(attention: pd.DataFrame) -> dict[str, str]:
    if attention.empty:
        return {}
    return {
        str(t): str(label) for t, label in zip(attention["theme"], attention["label"], strict=True)
    }


def page_meta(meta: Mapping[str, object]) -> dict[str, Any]:
    """What heads every report page: board, corpus, when and by which version, which codebook."""
    board_name = fmt.text(meta.get("board_name"))
    return {
        "title": board_name or fmt.text(meta.get("corpus")) or "Unnamed board",
        "board_named": bool(board_name),
        "corpus": fmt.text(meta.get("corpus")),
        "generated": fmt.generated(meta.get("generated")),
        "version": fmt.text(meta.get("version")) or "unknown",
        "codebook": {
            "name": fmt.text(meta.get("codebook_name")) or "unnamed codebook",
            "version": fmt.text(meta.get("codebook_version")) or "unversioned",
            "source": fmt.text(meta.get("codebook_source")),
            "involvement": fmt.text(meta.get("codebook_involvement")),
        },
    }
