"""Text coverage: the share of the minutes' words that reached units is measured once, for the
run, each year and each document, and the report's warnings and notes say what it measured."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.core import schemas
from pipeline.measure.coverage import text_coverage
from pipeline.report import adequacy, charts, data, sections

# Two documents: 2023's minutes read well; 2024's lost most of their words.
ACCOUNTING = [
    ("d23", "2023-03-minutes.pdf", "unit", 800),
    ("d23", "2023-03-minutes.pdf", "heading", 100),
    ("d23", "2023-03-minutes.pdf", "furniture", 300),
    ("d24", "2024-03-minutes.pdf", "unit", 200),
    ("d24", "2024-03-minutes.pdf", "unplaced", 600),
    ("d24", "2024-03-minutes.pdf", "attendance", 300),
    ("dx", "papers/budget.pdf", "not_minutes", 5000),
]


def accounting() -> pd.DataFrame:
    rows = [
        {"doc_id": d, "source": s, "place": p, "n_words": n, "reason": ""}
        for d, s, p, n in ACCOUNTING
    ]
    return schemas.conform(pd.DataFrame(rows), "text_accounting")


def meetings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "meeting_id": ["M2023-03-01", "M2024-03-01"],
            "doc_id": ["d23", "d24"],
            "year": [2023, 2024],
            "has_attendance": [True, True],
        }
    )


@pytest.fixture
def coverage() -> pd.DataFrame:
    return text_coverage(accounting(), meetings())


def test_the_share_leaves_out_furniture_and_documents_that_are_not_minutes(
    coverage: pd.DataFrame,
) -> None:
    # Minutes' words: 800 + 100 (2023) and 200 + 600 + 300 (2024); 1,000 of 2,000 in units.
    assert adequacy.unit_word_share(coverage) == pytest.approx(1000 / 2000)
    assert adequacy.unit_word_share(coverage, 2023) == pytest.approx(800 / 900)
    assert adequacy.unit_word_share(coverage, 2024) == pytest.approx(200 / 1100)
    docs = coverage[coverage["doc_id"] != ""].set_index("doc_id")
    assert math.isnan(docs.loc["dx", "unit_word_share"])
    assert list(coverage.columns) == schemas.columns("text_coverage")


def test_a_thin_year_is_warned_of_with_its_least_read_document(coverage: pd.DataFrame) -> None:
    tables = data.complete(
        {"meetings": meetings(), "text_accounting": accounting(), "text_coverage": coverage}
    )
    words = {c.name: c for c in adequacy.checks(tables, {})}["Words of the minutes placed in units"]
    assert (words.value, words.ok) == ("50%", False)
    assert "least read: 2024-03-minutes.pdf 18%" in words.note
    good = {c.name: c for c in adequacy.checks(tables, {}, 2023)}
    assert good["Words of the minutes placed in units"].ok


def test_an_analysis_made_before_the_table_is_not_called_empty() -> None:
    tables = data.complete({"meetings": meetings(), "text_accounting": accounting()})
    words = {c.name: c for c in adequacy.checks(tables, {})}["Words of the minutes placed in units"]
    assert words.value == "not measured in this run" and "analyse again" in words.note


def test_the_report_note_counts_every_place_and_the_unread_documents(
    coverage: pd.DataFrame,
) -> None:
    note = sections.text_accounting_note(coverage)
    assert note.startswith("Of the documents' 7,300 words, 1,000 in the units analysed")
    assert "5,000 in documents not analysed as minutes" in note
    assert "600 words in 1 document were read into no unit" in note


def test_the_voice_chart_draws_the_period_share_the_findings_state() -> None:
    listed = pd.DataFrame(
        {
            "meeting_id": ["M1", "M2"],
            "meeting_date": pd.to_datetime(["2024-01-10", "2024-03-10"]),
            "year": [2024, 2024],
            "lay_present": [2, 2],
            "has_attendance": [True, True],
        }
    )
    measures = pd.DataFrame({"meeting_id": ["M1", "M2"], "lay_voice_share": [0.1, 0.5]})
    view = data.meeting_view(listed, measures)
    figure = charts.lay_voice(view, 0.25)
    labels = figure.axes[0].get_legend_handles_labels()[1]
    assert "All meetings: 25%" in labels
    unmeasured = charts.lay_voice(view)
    assert not any(
        label.startswith("All meetings")
        for label in unmeasured.axes[0].get_legend_handles_labels()[1]
    )
