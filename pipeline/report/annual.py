"""The annual report: one year's answer to whether lay involvement is symbolic or instrumental.

It reads the same tables as the whole-period report, narrowed to one calendar year, and puts the
evaluation team's question first: the involvement index's label for the year with its components
beside it, then three to five plain findings, each with its figure, 95% interval, chart and quoted
evidence, then the year against the last, the NIP 4Pi checklist and a methods appendix.

Like the rest of the stage it does no file I/O. Tables added by later stages (uptake, involvement
levels, the index and its sensitivity) may be missing from an older analysis; every part that
needs one says "not measured in this run" instead of failing or printing a zero. The index itself
is read from ``board_year`` as the measure stage computed it, never recomputed here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from pipeline.core import config
from pipeline.core.errors import InputError
from pipeline.report import (
    adequacy,
    annual_findings,
    charts,
    checklist,
    consistency,
    data,
    fmt,
    html,
    sections,
)
from pipeline.report.annual_findings import YearData
from pipeline.run import outputs

__all__ = [
    "AnnualReport",
    "YearNotFoundError",
    "build_annual_report",
    "meeting_years",
]

TEMPLATE = "annual.html.j2"


class YearNotFoundError(InputError):
    """The year asked for has no meetings in the analysis."""


@dataclass
class AnnualReport:
    year: int
    figures: dict[str, Figure]
    html: str
    findings: list[dict[str, Any]] = field(default_factory=list)


def meeting_years(tables: Mapping[str, pd.DataFrame | None]) -> list[int]:
    """The calendar years in which the analysis found meetings."""
    complete = data.complete({k: v for k, v in tables.items() if v is not None})
    view = data.meeting_view(complete["meetings"], complete["meeting_measures"])
    return sorted({int(y) for y in view["year"].dropna()})


def build_annual_report(
    tables: Mapping[str, pd.DataFrame | None], meta: Mapping[str, object], year: int
) -> AnnualReport:
    """Charts and page for one year; raises YearNotFoundError naming the years there are."""
    years = meeting_years(tables)
    if year not in years:
        have = fmt.and_list([str(y) for y in years]) if years else "no year at all"
        raise YearNotFoundError(
            f"No meetings in {year}: this analysis has meetings in {have}. "
            + (f"Try --year {years[-1]}." if years else "Run `involve analyse` first.")
        )
    year_data = annual_findings.year_data(tables, year)
    figures = _figures(year_data)
    own = bool(meta.get("own_codebook", True))
    found = annual_findings.findings(year_data, own_codebook=own)
    if not own:
        figures.pop("priorities_vs_attention", None)
    context = _context(year_data, meta, figures, found)
    context["adequacy"] = adequacy.checks(data.complete(_present(tables)), meta, year)
    context["adequacy_failed"] = adequacy.failed(context["adequacy"])
    headline = context["headline"]
    # Everything the page states in words, each checked against the tables.
    texts = [t for f in found for t in (f.text, f.figure, f.interval, f.quote_note)]
    texts += [str(headline["meaning"]), *(note for _, _, note in headline["components"])]
    texts += _table_lines(context["comparison_table"])
    consistency.ensure_consistent(
        data.complete(_present(tables)), texts, outputs.annual_report_file(year), year
    )
    page = html.render(context, template=TEMPLATE)
    return AnnualReport(year, figures, page, context["findings"])


def _table_lines(table: sections.Table) -> list[str]:
    """A table whose columns are years, as "Row label in YEAR: cell" lines: what the check of
    figures against their minimums reads."""
    return [
        f"{row[0]} in {year}: {cell}"
        for row in table.rows
        for year, cell in zip(table.header[1:], row[1:], strict=True)
    ]


def _present(tables: Mapping[str, pd.DataFrame | None]) -> dict[str, pd.DataFrame]:
    return {k: v for k, v in tables.items() if v is not None}


# --------------------------------------------------------------------------- charts
def _figures(d: YearData) -> dict[str, Figure]:
    shown_years = [y for y in (d.last, d.year) if y is not None]
    return {
        "focus_by_meeting": charts.focus_by_meeting(d.view),
        "lay_presence": charts.lay_presence(d.view),
        "priorities_vs_attention": charts.priorities_vs_attention(
            data.order_themes(d.attention), d.alignment, period=str(d.year)
        ),
        "involvement_funnel": charts.involvement_funnel(annual_findings.funnel(d), d.year),
        "outcome_scope": charts.outcome_scope(d.board_year[d.board_year["year"].isin(shown_years)]),
    } | (
        # Against the year before only when there is one: no chart of bars for one year and a
        # legend for the year that is not there.
        {
            "year_comparison": charts.year_comparison(
                annual_findings.comparison_rows(d), d.year, d.last
            )
        }
        if d.last is not None
        else {}
    )


CAPTIONS: dict[str, str] = {
    **charts.CAPTIONS,
    "involvement_funnel": (
        "Each bar is a subset of the one above: units the minutes attribute to someone, those by "
        "lay members, those the board took up (referred to, acted on or decided on), the "
        "outcomes that trace back to them, and those outcomes that reached service users "
        f"collectively. A dashed outline is a stage {fmt.UNMEASURED}."
    ),
    "year_comparison": (
        "Each pair of bars is one share for this year (dark) and the year before (light); the "
        "lines are 95% intervals from resampling meetings. Where the lines of a pair overlap, "
        "the change between the years may be chance."
    ),
    "outcome_scope": (
        "The outcome units of this year and the year before: pink bars benefited only the "
        "individuals involved, green bars reached service users generally."
    ),
}


def _chart(name: str, figure: Figure, year: int) -> dict[str, str]:
    title = next((ax.get_title(loc="left") for ax in figure.axes if ax.get_title(loc="left")), "")
    return {
        "name": name,
        "src": f"../{outputs.chart_file(name, outputs.annual_charts(year))}",
        "alt": title.replace("\n", " ") or name.replace("_", " "),
        "caption": CAPTIONS.get(name, ""),
    }


# --------------------------------------------------------------------------- page context
def _context(
    d: YearData,
    meta: Mapping[str, object],
    figures: Mapping[str, Figure],
    found: Sequence[annual_findings.Finding],
) -> dict[str, Any]:
    board_name = fmt.text(meta.get("board_name"))
    validation = meta.get("validation")
    validation_table, validation_n = sections.validation_table(validation)
    return {
        "year": d.year,
        "last": d.last,
        **sections.page_meta(meta),
        # The page footer is CSS, where HTML escaping does not apply: keep only safe characters.
        "css_title": re.sub(r"[^\w ,.'()&-]", "", board_name or "Annual report")[:80],
        "period": sections.period(d.view),
        "n_meetings": len(d.view),
        "headline": annual_findings.headline(d),
        "sensitivity_table": annual_findings.sensitivity_table(d),
        "findings": [
            {
                "heading": f.heading,
                "text": f.text,
                "figure": f.figure,
                "interval": f.interval,
                "quotes": f.quotes,
                "quote_note": f.quote_note,
                "charts": [_chart(n, figures[n], d.year) for n in f.charts if n in figures],
            }
            for f in found
        ],
        "comparison_chart": (
            _chart("year_comparison", figures["year_comparison"], d.year)
            if "year_comparison" in figures
            else None
        ),
        "comparison_table": annual_findings.comparison_table(d),
        "checklist": checklist.check(d.four_pi, d.row, d.segments, sections._cite),
        "ratings": (checklist.MET, checklist.PARTIAL, checklist.NOT_EVIDENCED),
        "validation_table": validation_table,
        "validation_n": validation_n,
        "examples_note": sections.examples_note(meta.get("examples_cv")),
        "gold": fmt.text(validation.get("gold")) if isinstance(validation, Mapping) else "",
        "unmeasured": annual_findings.unmeasured(d),
        "standard": config.PRESENCE_STANDARD,
        "standard_words": charts.NUMBER_WORDS.get(
            config.PRESENCE_STANDARD, str(config.PRESENCE_STANDARD)
        ),
        "meeting_table": sections.meeting_table(d.view),
    }
