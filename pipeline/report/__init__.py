"""The report stage: charts and a self-contained HTML page from the measure tables.

Like every stage it does no file I/O: it hands the runner figures and a string, and the runner
decides where they go (pipeline.run.outputs: ``charts/<name>.png|svg`` and ``report/index.html``,
which
is why images are referenced as ``../charts/<name>.png``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from pipeline.core import config
from pipeline.report import adequacy, charts, consistency, data, findings, fmt, html, sections
from pipeline.run import outputs

__all__ = ["Report", "build_report"]


@dataclass
class Report:
    figures: dict[str, Figure]
    html: str


def build_report(tables: Mapping[str, pd.DataFrame], meta: Mapping[str, object]) -> Report:
    """Charts and page for one run; missing or empty tables give a report that says so."""
    complete = data.complete(tables)
    figures = charts.make_all(complete)
    if not meta.get("own_codebook", True):
        # The demo board's priorities say nothing of this board's service users.
        figures.pop("priorities_vs_attention", None)
        figures.pop("theme_attention", None)
    context = _context(complete, meta, figures)
    texts = [f["text"] for f in context["findings"]] + [context["documents_note"]]
    consistency.ensure_consistent(complete, texts, outputs.REPORT_INDEX)
    page = html.render(context)
    return Report(figures=figures, html=page)


def _context(
    tables: Mapping[str, pd.DataFrame], meta: Mapping[str, object], figures: Mapping[str, Figure]
) -> dict[str, Any]:
    view = data.meeting_view(tables["meetings"], tables["meeting_measures"])
    outcome_quotes, outcome_total = sections.outcome_quotes(tables["segments"])
    lay_quotes, lay_total = sections.lay_quotes(tables["segments"])
    documents_table, documents_note = sections.document_problems(
        tables["documents"], adequacy.unit_word_share(tables["text_coverage"])
    )
    validation_table, validation_n = sections.validation_table(meta.get("validation"))
    themes = meta.get("codebook_themes") or []
    own = bool(meta.get("own_codebook", True))
    checks = adequacy.checks(tables, meta)
    return {
        **sections.page_meta(meta),
        "adequacy": checks,
        "adequacy_failed": adequacy.failed(checks),
        "own_codebook": own,
        "period": sections.period(view),
        "missing": sections.missing_notes(tables),
        "findings": [_finding(f, figures) for f in findings.key_findings(tables, meta)],
        "year_table": sections.year_table(tables["board_year"]),
        "meeting_table": sections.meeting_table(view),
        "theme_table": sections.theme_table(
            themes if isinstance(themes, list) else [], tables["theme_attention"]
        ),
        "outcome_quotes": outcome_quotes,
        "outcome_total": outcome_total,
        "lay_quotes": lay_quotes,
        "lay_total": lay_total,
        "topics": sections.topics_view(
            tables["emergent_topics"],
            tables["segments"],
            tables["theme_attention"],
            fmt.text(meta.get("topics_note")),
        ),
        "documents_table": documents_table,
        "documents_note": documents_note,
        "words_note": sections.text_accounting_note(tables["text_coverage"]),
        "validation_table": validation_table,
        "validation_n": validation_n,
        "examples_note": sections.examples_note(meta.get("examples_cv")),
        "standard": config.PRESENCE_STANDARD,
        "standard_words": charts.NUMBER_WORDS.get(
            config.PRESENCE_STANDARD, str(config.PRESENCE_STANDARD)
        ),
    }


def _finding(finding: findings.Finding, figures: Mapping[str, Figure]) -> dict[str, Any]:
    return {
        "heading": finding.heading,
        "text": finding.text,
        "charts": [_chart(name, figures[name]) for name in finding.charts if name in figures],
    }


def _chart(name: str, figure: Figure) -> dict[str, str]:
    """The chart's own title doubles as alt text, so a screen reader hears what it shows."""
    title = next((ax.get_title(loc="left") for ax in figure.axes if ax.get_title(loc="left")), "")
    return {
        "name": name,
        "src": f"../{outputs.chart_file(name)}",
        "alt": title.replace("\n", " ") or name.replace("_", " "),
        "caption": charts.CAPTIONS[name],
    }
