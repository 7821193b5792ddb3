"""The report stage, tested as a researcher would read its output.

The fixture is a small board: four meetings over two years, with units of every focus and both
outcome scopes, an attendance list per meeting, and a five-theme codebook. The measure tables are
derived from the units here, independently of the pipeline, so the numbers the report prints can
be checked against numbers computed from the same inputs.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable
from pathlib import Path

import markupsafe
import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from pipeline.core import config, schemas
from pipeline.measure import alignment_table, period_table
from pipeline.measure.adequacy import adequacy
from pipeline.measure.intervals import year_intervals
from pipeline.report import Report, build_report, charts, findings

CHARTS_REQUIRED = (
    "focus_by_meeting",
    "lay_presence",
    "priorities_vs_attention",
    "outcome_scope",
    "lay_voice",
    "theme_attention",
)

BOARD = "Harrowmere Mental Health & Wellbeing Partnership Board"
SCRIPT_TEXT = (
    "Carer 1 asked that carers be sent the papers a week before meetings "
    "<script>alert('x')</script> and copied to the carers' forum."
)

THEMES = [
    {
        "id": "housing",
        "label": "Housing",
        "priority_rank": 1,
        "survey_share": 0.41,
        "definition": "Somewhere safe and settled to live.",
    },
    {
        "id": "waiting_times",
        "label": "Waiting times",
        "priority_rank": 2,
        "survey_share": 0.38,
        "definition": "How long people wait for assessment and therapy.",
    },
    {
        "id": "crisis_support",
        "label": "Crisis support",
        "priority_rank": 3,
        "survey_share": 0.35,
        "definition": "Help in a crisis, day and night.",
    },
    {
        "id": "carers",
        "label": "Support for carers",
        "priority_rank": 4,
        "survey_share": 0.22,
        "definition": "Information, respite and assessments for carers.",
    },
    {
        "id": "being_listened",
        "label": "Being listened to",
        "priority_rank": 5,
        "survey_share": 0.20,
        "definition": "Being heard in one's own care.",
    },
]

# meeting date -> people present (person id, role)
PRESENT: dict[str, list[tuple[str, str]]] = {
    "2023-03-09": [
        ("Chair 1", "chair"),
        ("Member 1", "member"),
        ("Member 2", "member"),
        ("Service user 1", "service_user"),
        ("Carer 1", "carer"),
        ("Lay 1", "lay"),
    ],
    "2023-09-14": [
        ("Chair 1", "chair"),
        ("Member 1", "member"),
        ("Service user 1", "service_user"),
    ],
    "2024-02-08": [
        ("Chair 1", "chair"),
        ("Member 1", "member"),
        ("Member 2", "member"),
        ("Service user 1", "service_user"),
        ("Carer 1", "carer"),
    ],
    "2024-10-10": [("Chair 1", "chair"), ("Member 1", "member"), ("Member 2", "member")],
}

# meeting date -> units: (page, item no, item title, speaker, role, focus, scope, theme, text)
UNITS: dict[str, list[tuple[int, str, str, str, str, str, str, str, str]]] = {
    "2023-03-09": [
        (
            1,
            "1",
            "Welcome and apologies",
            "Chair 1",
            "chair",
            "process",
            "",
            "other",
            "The Chair welcomed members and apologies were noted as listed above.",
        ),
        (
            1,
            "3",
            "Housing strategy",
            "Officer 1",
            "officer",
            "process",
            "",
            "housing",
            "Officer 1 presented the draft housing strategy and the Board noted the report and "
            "the timetable for consultation with tenants and partners over the summer.",
        ),
        (
            2,
            "3",
            "Housing strategy",
            "Service user 1",
            "service_user",
            "process",
            "",
            "housing",
            "Service user 1 asked how many people are discharged from the ward with no home to "
            "go to.",
        ),
        (
            2,
            "3",
            "Housing strategy",
            "Member 1",
            "member",
            "action",
            "",
            "housing",
            "Member 1 will bring figures on delayed discharges to the next meeting.",
        ),
        (
            3,
            "4",
            "Carers update",
            "Carer 1",
            "carer",
            "outcome",
            "individual",
            "carers",
            "Carer 1 reported that her own carer's assessment had been completed and respite was "
            "now in place.",
        ),
    ],
    "2023-09-14": [
        (
            1,
            "2",
            "Minutes of the last meeting",
            "",
            "none",
            "process",
            "",
            "other",
            "The minutes of the previous meeting were agreed as a correct record.",
        ),
        (
            1,
            "4",
            "Talking therapies",
            "Officer 1",
            "officer",
            "process",
            "",
            "waiting_times",
            "Officer 1 gave an update on the talking therapies review, which has started and will "
            "report in the spring with options for the Board to consider.",
        ),
        (
            2,
            "4",
            "Talking therapies",
            "Service user 1",
            "service_user",
            "process",
            "",
            "waiting_times",
            "Service user 1 said that people on the waiting list are not told where they are.",
        ),
        (
            2,
            "4",
            "Talking therapies",
            "Chair 1",
            "chair",
            "action",
            "",
            "waiting_times",
            "Action: Officer 1 to write to everyone on the waiting list with an expected date.",
        ),
        (
            2,
            "5",
            "Crisis line",
            "Member 1",
            "member",
            "outcome",
            "collective",
            "crisis_support",
            "The crisis line is now answered 24 hours a day; calls answered within a minute rose "
            "from 60% to 92%.",
        ),
    ],
    "2024-02-08": [
        (
            1,
            "1",
            "Welcome",
            "Chair 1",
            "chair",
            "process",
            "",
            "other",
            "The Chair welcomed members to the first meeting of 2024.",
        ),
        (1, "3", "Carers", "Carer 1", "carer", "process", "", "carers", SCRIPT_TEXT),
        (
            2,
            "4",
            "Crisis support",
            "Member 2",
            "member",
            "action",
            "",
            "crisis_support",
            "Member 2 will report back on the crisis house pilot in October.",
        ),
        (
            2,
            "5",
            "Housing",
            "Officer 2",
            "officer",
            "outcome",
            "collective",
            "housing",
            "Forty-two people have been rehoused from temporary accommodation on the Northgate "
            "estate since April.",
        ),
        (
            3,
            "6",
            "Any other business",
            "Service user 1",
            "service_user",
            "outcome",
            "individual",
            "being_listened",
            "Service user 1 said that after raising her case at the last meeting she now has a "
            "named care coordinator.",
        ),
    ],
    "2024-10-10": [
        (
            1,
            "1",
            "Welcome",
            "",
            "none",
            "process",
            "",
            "other",
            "Apologies were received and the meeting was quorate.",
        ),
        (
            1,
            "3",
            "Crisis support",
            "Officer 2",
            "officer",
            "process",
            "",
            "crisis_support",
            "Officer 2 presented the crisis house pilot evaluation, which is still being "
            "analysed, and the Board discussed the draft findings at length.",
        ),
        (
            2,
            "4",
            "Waiting times",
            "Member 1",
            "member",
            "action",
            "",
            "waiting_times",
            "Member 1 will ask the Trust for monthly waiting list figures.",
        ),
        (
            2,
            "4",
            "Waiting times",
            "Officer 1",
            "officer",
            "outcome",
            "collective",
            "waiting_times",
            "Average waits for talking therapies fell from 18 weeks to 11 weeks across the county.",
        ),
        (
            3,
            "5",
            "Housing",
            "Member 2",
            "member",
            "process",
            "",
            "housing",
            "Member 2 noted the housing report.",
        ),
    ],
}


# --------------------------------------------------------------------------- fixture builders
_NEUTRAL = {"int": 0, "float": 0.0, "str": "", "bool": False}


def _conform_filled(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """The fixture computes the figures this report test is about; columns it does not compute
    (uptake, levels, the index) get neutral values, as a small board with no lay links would."""
    for col in schemas.TABLES[table]:
        if col.name not in df.columns:
            if col.nullable:
                df[col.name] = None
            elif col.allowed:
                df[col.name] = col.allowed[0]
            else:
                df[col.name] = _NEUTRAL.get(col.dtype, "")
    return schemas.conform(df, table)


def _mid(day: str) -> str:
    return "M" + day


def _source(day: str) -> str:
    return f"minutes/{day}-minutes.pdf"


def make_segments() -> pd.DataFrame:
    rows = []
    for day, units in UNITS.items():
        for k, (page, no, title, who, role, focus, scope, theme, text) in enumerate(units, 1):
            rows.append(
                {
                    "segment_id": f"{_mid(day)}-{k:03d}",
                    "meeting_id": _mid(day),
                    "meeting_date": day,
                    "doc_id": hashlib.sha256(day.encode()).hexdigest()[:12],
                    "source": _source(day),
                    "page": page,
                    "item_no": no,
                    "item_title": title,
                    "speaker_id": who,
                    "speaker_role": role,
                    "text": text,
                    "n_words": len(text.split()),
                    "is_action": focus == "action",
                    "is_decision": False,
                    "action_owner": "",
                    "theme": theme,
                    "theme_score": 0.8,
                    "theme_source": "zero-shot",
                    "focus": focus,
                    "focus_score": 0.9,
                    "outcome_scope": scope,
                    "level": 2 if role in config.LAY_ROLES else None,
                    "unit_key": hashlib.sha256(text.encode()).hexdigest()[:16],
                }
            )
    df = pd.DataFrame(rows)
    df["level"] = df["level"].astype("Int64")
    return _conform_filled(df, "segments")


def make_attendance() -> pd.DataFrame:
    rows = [
        {
            "meeting_id": _mid(day),
            "meeting_date": day,
            "person_id": who,
            "role": role,
            "status": "present",
            "role_source": "board.yaml",
        }
        for day, people in PRESENT.items()
        for who, role in people
    ]
    rows += [
        {
            "meeting_id": _mid(day),
            "meeting_date": day,
            "person_id": "Officer 1",
            "role": "officer",
            "status": "in_attendance",
            "role_source": "board.yaml",
        }
        for day in PRESENT
    ]
    return schemas.conform(pd.DataFrame(rows), "attendance")


def make_meetings(segments: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for day, people in PRESENT.items():
        lay = sum(role in config.LAY_ROLES for _, role in people)
        units = segments[segments["meeting_id"] == _mid(day)]
        rows.append(
            {
                "meeting_id": _mid(day),
                "meeting_date": day,
                "year": int(day[:4]),
                "doc_id": units["doc_id"].iloc[0],
                "source": _source(day),
                "members_present": len(people),
                "lay_present": lay,
                "apologies": 1,
                "in_attendance": 1,
                "lay_standard_met": lay >= config.PRESENCE_STANDARD,
                "has_attendance": True,
                "n_items": units["item_no"].nunique(),
                "n_units": len(units),
            }
        )
    return schemas.conform(pd.DataFrame(rows), "meetings")


def _shares(units: pd.DataFrame) -> dict[str, float]:
    total = units["n_words"].sum()
    return {
        f"{f}_share": units.loc[units["focus"] == f, "n_words"].sum() / total
        for f in config.FOCUS_LABELS
    }


def _voice(units: pd.DataFrame) -> dict[str, object]:
    attributed = units[units["speaker_role"] != "none"]
    lay = attributed[attributed["speaker_role"].isin(config.LAY_ROLES)]
    share = len(lay) / len(attributed) if len(attributed) else np.nan
    return {
        "attributed_units": len(attributed),
        "lay_units": len(lay),
        "lay_voice_share": share,
        "lay_segment_ids": ";".join(lay["segment_id"]),
    }


def _outcomes(units: pd.DataFrame) -> dict[str, object]:
    out = units[units["focus"] == "outcome"]
    return {
        "outcomes_individual": int((out["outcome_scope"] == "individual").sum()),
        "outcomes_collective": int((out["outcome_scope"] == "collective").sum()),
        "outcome_units": len(out),
        "outcome_segment_ids": ";".join(out["segment_id"]),
    }


def make_meeting_measures(segments: pd.DataFrame, meetings: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for m in meetings.to_dict("records"):
        units = segments[segments["meeting_id"] == m["meeting_id"]]
        rows.append(
            {
                "meeting_id": m["meeting_id"],
                "meeting_date": m["meeting_date"],
                "year": m["year"],
                "n_units": len(units),
                "n_words": units["n_words"].sum(),
                **_shares(units),
                "lay_present": m["lay_present"],
                "lay_standard_met": m["lay_standard_met"],
                **_voice(units),
                **_outcomes(units),
            }
        )
    return _conform_filled(pd.DataFrame(rows), "meeting_measures")


def _attention(units: pd.DataFrame, year: int) -> pd.DataFrame:
    total = units["n_words"].sum()
    rows = []
    for theme in [
        *THEMES,
        {"id": "other", "label": "Other", "priority_rank": len(THEMES) + 1, "survey_share": np.nan},
    ]:
        mine = units[units["theme"] == theme["id"]]
        rows.append(
            {
                "year": year,
                "theme": theme["id"],
                "label": theme["label"],
                "priority_rank": theme["priority_rank"],
                "survey_share": theme["survey_share"],
                "n_units": len(mine),
                "n_words": mine["n_words"].sum(),
                "word_share": mine["n_words"].sum() / total,
            }
        )
    df = pd.DataFrame(rows)
    survey = df["theme"] != "other"
    df["attention_rank"] = np.nan
    df.loc[survey, "attention_rank"] = df.loc[survey, "n_words"].rank(ascending=False)
    df.loc[~survey, "attention_rank"] = float(survey.sum() + 1)
    # As the measure stage marks them (docs/measures.md): under half an even share of the
    # survey themes' words.
    even = df.loc[survey, "n_words"].sum() / survey.sum()
    df["little_attention"] = survey & (df["n_words"] < config.LITTLE_ATTENTION_FRACTION * even)
    return df


def make_theme_attention(segments: pd.DataFrame) -> pd.DataFrame:
    years = segments["meeting_date"].dt.year
    parts = [_attention(segments[years == y], int(y)) for y in sorted(years.unique())]
    parts.append(_attention(segments, 0))
    return schemas.conform(pd.concat(parts, ignore_index=True), "theme_attention")


def make_board_year(
    segments: pd.DataFrame, meetings: pd.DataFrame, attention: pd.DataFrame
) -> pd.DataFrame:
    rows = []
    for year, mine in meetings.groupby("year"):
        units = segments[segments["meeting_date"].dt.year == year]
        points = attention[(attention["year"] == year) & (attention["theme"] != "other")]
        rho = spearmanr(points["priority_rank"], points["attention_rank"])
        outcomes = _outcomes(units)
        rows.append(
            {
                "year": year,
                "n_meetings": len(mine),
                "meetings_with_attendance": int(mine["has_attendance"].astype(bool).sum()),
                "n_units": len(units),
                "n_words": units["n_words"].sum(),
                **_shares(units),
                "mean_lay_present": mine["lay_present"].mean(),
                "meetings_standard_met": int(mine["lay_standard_met"].sum()),
                "share_meetings_standard_met": mine["lay_standard_met"].mean(),
                "meetings_single_lay": int((mine["lay_present"] == 1).sum()),
                **_voice(units),
                **outcomes,
                "collective_outcome_share": (
                    outcomes["outcomes_collective"] / outcomes["outcome_units"]
                ),
                "alignment_rho": rho.statistic,
                "alignment_p": rho.pvalue,
            }
        )
    return _conform_filled(pd.DataFrame(rows), "board_year")


def make_documents() -> pd.DataFrame:
    rows = [
        {
            "doc_id": hashlib.sha256(day.encode()).hexdigest()[:12],
            "source": _source(day),
            "sha256": "0" * 64,
            "doc_type": "minutes",
            "body": "Harrowmere Mental Health and Wellbeing Partnership Board",
            "meeting_date": day,
            "pages": 3,
            "n_words": 900,
            "ocr_pages": 0,
            "ocr_confidence": None,
            "extractor": "pdfplumber",
            "status": "ok",
            "message": "",
        }
        for day in PRESENT
    ]
    rows.append(
        {
            "doc_id": "abcdef123456",
            "source": "papers/2024-10-10-scan.pdf",
            "sha256": "1" * 64,
            "doc_type": "papers",
            "body": None,
            "meeting_date": None,
            "pages": 0,
            "n_words": 0,
            "ocr_pages": 0,
            "ocr_confidence": None,
            "extractor": "none",
            "status": "error",
            "message": "The PDF is encrypted; ask for an open copy.",
        }
    )
    return schemas.conform(pd.DataFrame(rows), "documents")


def make_tables() -> dict[str, pd.DataFrame]:
    segments = make_segments()
    meetings = make_meetings(segments)
    attention = make_theme_attention(segments)
    board_year = make_board_year(segments, meetings, attention)
    return {
        "documents": make_documents(),
        "meetings": meetings,
        "attendance": make_attendance(),
        "segments": segments,
        "meeting_measures": make_meeting_measures(segments, meetings),
        "theme_attention": attention,
        "board_year": board_year,
        "year_intervals": year_intervals(make_meeting_measures(segments, meetings)),
        "alignment": alignment_table(attention, board_year),
        "period": period_table(board_year, meetings),
        "adequacy": adequacy(make_documents(), meetings, make_attendance()),
    }


def make_meta(**overrides: object) -> dict[str, object]:
    meta: dict[str, object] = {
        "board_name": BOARD,
        "corpus": "demo",
        "codebook_name": "demo-survey-2022",
        "codebook_version": "3",
        "codebook_source": "Postal survey of service users, 2022",
        "generated": "2025-01-15T10:30:00",
        "version": "0.1.0",
        "codebook_themes": THEMES,
        "validation": {
            "n_units": 120,
            "rows": [
                {"field": "focus", "kappa": 0.71, "alpha": 0.70, "baseline_kappa": 0.42},
                {"field": "outcome_scope", "kappa": 0.64, "alpha": 0.63, "baseline_kappa": 0.30},
            ],
        },
    }
    meta.update(overrides)
    return meta


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return make_tables()


@pytest.fixture(scope="module")
def report(tables: dict[str, pd.DataFrame]) -> Report:
    return build_report(tables, make_meta())


def _pct(x: float) -> str:
    return f"{x:.0%}"


# --------------------------------------------------------------------------- figures
def test_every_chart_is_built_with_data(report: Report) -> None:
    assert set(report.figures) >= set(CHARTS_REQUIRED)
    for name in CHARTS_REQUIRED:
        fig = report.figures[name]
        assert any(ax.has_data() for ax in fig.axes), f"{name} has no plotted data"
        titles = [ax.get_title(loc="left") for ax in fig.axes]
        assert any(titles), f"{name} has no title"


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.slow
def test_charts_save_as_readable_pngs(report: Report, tmp_path: Path) -> None:
    for name, fig in report.figures.items():
        path = tmp_path / f"{name}.png"
        fig.savefig(path, dpi=100, bbox_inches="tight")
        width, height = _png_size(path)
        assert 500 <= width <= 2500 and 250 <= height <= 2000, (name, width, height)
        assert path.stat().st_size > 10_000, f"{name} is suspiciously small"


def test_lay_presence_marks_meetings_below_the_standard(
    report: Report, tables: dict[str, pd.DataFrame]
) -> None:
    fig = report.figures["lay_presence"]
    ax = fig.axes[0]
    lines = [line for line in ax.get_lines() if line.get_ydata()[0] == config.PRESENCE_STANDARD]
    assert lines, "the presence standard line is missing"
    legends = [*fig.legends, *([ax.get_legend()] if ax.get_legend() else [])]
    labels = [t.get_text() for legend in legends for t in legend.get_texts()]
    assert any("Below" in label for label in labels)
    below = int((tables["meetings"]["lay_present"] < config.PRESENCE_STANDARD).sum())
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == below


def test_meeting_axes_show_dates_like_jan_23(report: Report) -> None:
    ax = report.figures["focus_by_meeting"].axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["Mar 23", "Sep 23", "Feb 24", "Oct 24"]


def _many_meetings(n: int) -> pd.DataFrame:
    """A meeting view (report.data.meeting_view's columns) of ``n`` meetings a month apart."""
    days = pd.date_range("2001-01-01", periods=n, freq="MS") + pd.Timedelta(days=14)
    view = pd.DataFrame(
        {
            "meeting_id": [f"M{d:%Y-%m-%d}" for d in days],
            "meeting_date": days,
            "year": pd.array([d.year for d in days], dtype="Int64"),
            "label": [f"{d:%b %y}" for d in days],
            "has_attendance": True,
            "lay_present": [i % 4 for i in range(n)],
            "lay_voice_share": 0.2,
        }
    )
    for focus, share in zip(config.FOCUS_LABELS, (0.5, 0.3, 0.2), strict=True):
        view[f"{focus}_share"] = share
    return view


@pytest.mark.parametrize("chart", ["focus_by_meeting", "lay_presence", "lay_voice"])
def test_a_long_board_has_its_years_written_not_a_smear_of_dates(chart: str) -> None:
    """Ten years of monthly meetings: a date and a number for every meeting would overlap into
    an unreadable band (and cost seconds to lay out); the years are written instead."""
    draw = getattr(charts, chart)
    long_axis = draw(_many_meetings(120)).axes[0]
    assert not [t.get_text() for t in long_axis.get_xticklabels() if t.get_text()]
    written = {t.get_text() for t in long_axis.texts}
    assert {str(y) for y in range(2001, 2011)} <= written
    assert not [t for t in written if t.isdigit() and len(t) < 4]  # no count over each bar
    short_axis = draw(_many_meetings(12)).axes[0]
    assert [t.get_text() for t in short_axis.get_xticklabels()][:2] == ["Jan 01", "Feb 01"]


def test_a_long_board_draws_one_area_per_series_at_each_meetings_height() -> None:
    """Past the dated limit each series is one stepped area over the meetings' slots, not a
    bar per meeting (a thousand of them took seconds to draw); its steps are the figures."""
    from matplotlib.patches import StepPatch

    view = _many_meetings(120)
    view["process_share"] = np.linspace(0.2, 0.6, 120)
    view["action_share"] = 0.3
    view["outcome_share"] = 1 - view["process_share"] - 0.3
    ax = charts.focus_by_meeting(view).axes[0]
    areas = [p for p in ax.patches if isinstance(p, StepPatch)]
    assert len(areas) == 3 and len(ax.patches) == 3
    by_label = {a.get_label(): a.get_data() for a in areas}
    process, actions = by_label["Process"], by_label["Actions"]
    assert np.allclose(process.values, view["process_share"])
    assert np.allclose(actions.baseline, view["process_share"])
    assert np.allclose(actions.values, view["process_share"] + 0.3)
    assert len(process.edges) == 121
    short = charts.focus_by_meeting(_many_meetings(12)).axes[0]
    assert len(short.patches) == 3 * 12 and not any(isinstance(p, StepPatch) for p in short.patches)


@pytest.mark.parametrize(("n_years", "grid"), [(2, False), (5, False), (6, True), (26, True)])
def test_theme_attention_is_a_grid_of_years_once_bars_would_not_fit(
    n_years: int, grid: bool
) -> None:
    """Grouped bars for a few years; past five a grid, themes down and years across, with each
    cell's share written in it (26 years of bars made a chart 56 inches tall)."""
    themes = [("crisis", "Crisis support", 1), ("housing", "Housing", 2), ("other", "Other", 99)]
    rows = pd.DataFrame(
        [
            {
                "year": 2000 + y,
                "theme": t,
                "label": label,
                "priority_rank": rank,
                "word_share": (y + i + 1) / 40,
            }
            for y in range(n_years)
            for i, (t, label, rank) in enumerate(themes)
        ]
    )
    ax = charts.theme_attention(rows).axes[0]
    assert bool(ax.images) is grid
    if grid:
        cells = [t.get_text() for t in ax.texts if t.get_text().isdigit()]
        assert len(cells) == len(themes) * n_years
        assert [t.get_text() for t in ax.get_xticklabels()][-1] == str(2000 + n_years - 1)
        assert ax.figure.get_size_inches()[1] < 8
    else:
        assert len(ax.patches) == len(themes) * n_years


# --------------------------------------------------------------------------- the page
def test_page_names_board_period_codebook_and_version(report: Report) -> None:
    page = report.html
    assert str(markupsafe.escape(BOARD)) in page
    assert "9 March 2023 to 10 October 2024" in page
    assert "demo-survey-2022" in page and "version 3" in page
    assert "Generated by involve 0.1.0" in page
    assert "15 January 2025" in page


@pytest.mark.slow
@pytest.mark.parametrize("involvement", ["Being listened to", None])
def test_page_says_where_the_boards_involvement_arrangements_are_coded(
    tables: dict[str, pd.DataFrame], involvement: str | None
) -> None:
    # Attention to the voice theme includes the board's own arrangements: a reader must be told.
    page = build_report(tables, make_meta(codebook_involvement=involvement)).html
    said = "the board's own arrangements for involving service users and carers"
    assert (said in page) == (involvement is not None)
    if involvement:
        assert f"are coded to {involvement}, so its attention includes them" in page


@pytest.mark.slow
def test_page_gives_the_examples_cross_validated_agreement(
    tables: dict[str, pd.DataFrame],
) -> None:
    cv = {
        "origin": "my-coding.csv",
        "n_examples": 120,
        "folds": 5,
        "kappa": 0.8828,
        "macro_f1": 0.8903,
    }
    page = build_report(tables, make_meta(examples_cv=cv)).html
    assert "Themes were learned from 120 hand-coded units (my-coding.csv)" in page
    assert "5-fold cross-validation" in page and "kappa 0.88, macro-F1 0.89" in page
    assert "learned from" not in build_report(tables, make_meta()).html


def test_focus_finding_matches_the_units(report: Report, tables: dict[str, pd.DataFrame]) -> None:
    segments = tables["segments"]
    for year in (2023, 2024):
        units = segments[segments["meeting_date"].dt.year == year]
        words = units.groupby("focus")["n_words"].sum() / units["n_words"].sum()
        assert f"{year}, {_pct(words['process'])} " in report.html
        assert (
            f"were about process, {_pct(words['action'])} about actions and "
            f"{_pct(words['outcome'])} about outcomes"
        ) in report.html
    assert "In 2023, " in report.html and "of the words in the minutes were about" in report.html


def test_presence_finding_counts_meetings_from_the_attendance_list(
    report: Report, tables: dict[str, pd.DataFrame]
) -> None:
    present = tables["attendance"].query("status == 'present'")
    lay = (
        present[present["role"].isin(config.LAY_ROLES)]
        .groupby("meeting_id")
        .size()
        .reindex(tables["meetings"]["meeting_id"], fill_value=0)
    )
    years = tables["meetings"].set_index("meeting_id")["year"]
    parts = []
    for year in sorted(years.unique()):
        counts = lay[years[years == year].index]
        parts.append((int((counts >= config.PRESENCE_STANDARD).sum()), len(counts), int(year)))
    (met1, n1, y1), (met2, n2, y2) = parts
    # Counted over the meetings whose list was read (every meeting of the fixture has one).
    assert tables["meetings"]["has_attendance"].all()
    assert (
        f"standard at {met1} of {n1} meetings with an attendance list in {y1} and "
        f"{met2} of {n2} in {y2}"
    ) in report.html
    alone = int((lay == 1).sum())
    assert f"At {alone} meeting a single lay member sat alone" in report.html


@pytest.mark.slow
def test_meeting_without_attendance_list_is_not_shown_as_zero(
    tables: dict[str, pd.DataFrame],
) -> None:
    meetings = tables["meetings"].copy()
    # Without a list, presence is missing (unknown), never 0.
    meetings.loc[1, ["has_attendance", "lay_present", "members_present", "lay_standard_met"]] = [
        False,
        pd.NA,
        pd.NA,
        pd.NA,
    ]
    meetings.loc[3, ["meeting_date", "year"]] = [pd.NaT, pd.NA]
    measures = tables["meeting_measures"].copy()
    measures.loc[1, ["lay_present", "lay_standard_met"]] = [pd.NA, pd.NA]
    measures.loc[3, ["meeting_date", "year"]] = [pd.NaT, pd.NA]
    # The year table as the measure stage would count it: the undated meeting in no year.
    board_year = tables["board_year"].copy()
    for year, mine in meetings.groupby("year"):
        at = board_year["year"] == year
        board_year.loc[at, "n_meetings"] = len(mine)
        board_year.loc[at, "meetings_with_attendance"] = int(mine["has_attendance"].sum())
        listed = mine[mine["has_attendance"].astype(bool)]
        board_year.loc[at, "meetings_standard_met"] = int(listed["lay_standard_met"].sum())
    report = build_report(
        {
            **tables,
            "meetings": schemas.conform(meetings, "meetings"),
            "meeting_measures": schemas.conform(measures, "meeting_measures"),
            "board_year": board_year,
            "period": period_table(board_year, meetings),
        },
        make_meta(),
    )
    assert "no list" in report.html
    assert "1 meeting had no attendance list" in report.html
    ax = report.figures["lay_presence"].axes[0]
    assert "no attendance list" in [t.get_text() for t in ax.texts]
    assert ax.get_xticklabels()[3].get_text() == "M2024-10-10"  # undated: named by its id


def test_voice_finding_matches_the_units(report: Report, tables: dict[str, pd.DataFrame]) -> None:
    segments = tables["segments"]
    attributed = segments[segments["speaker_role"] != "none"]
    lay = attributed["speaker_role"].isin(config.LAY_ROLES).sum()
    assert (
        f"Lay members accounted for {_pct(lay / len(attributed))} of attributed "
        f"contributions ({lay} of {len(attributed)} units"
    ) in report.html


def test_voice_finding_gives_each_years_interval_when_there_is_one(
    report: Report, tables: dict[str, pd.DataFrame]
) -> None:
    # Two meetings a year in the fixture: too few for an interval, so none is claimed.
    assert "95% interval" not in report.html
    intervals = tables["year_intervals"].copy()
    voice = intervals["measure"] == "lay_voice_share"
    intervals.loc[voice, ["low", "high", "resamples"]] = [0.05, 0.4, 2000]
    # Each year with enough attributed units for a share (config.MIN_ATTRIBUTED_UNITS).
    enough = tables["board_year"].assign(attributed_units=config.MIN_ATTRIBUTED_UNITS)
    period = findings.totals(period_table(enough, tables["meetings"]))
    text = findings.voice_sentence(enough, period, intervals)
    for r in tables["board_year"].itertuples():
        assert f"{r.year}: {_pct(r.lay_voice_share)} (95% interval 5% to 40%)" in text


def test_outcome_finding_matches_the_units(report: Report, tables: dict[str, pd.DataFrame]) -> None:
    outcomes = tables["segments"].query("focus == 'outcome'")
    individual = int((outcomes["outcome_scope"] == "individual").sum())
    collective = int((outcomes["outcome_scope"] == "collective").sum())
    assert (
        f"Of {len(outcomes)} outcome units, {individual} benefited only the individuals "
        f"involved and {collective} reached service users collectively"
    ) in report.html


def test_alignment_finding_and_chart_use_the_all_years_rho(
    report: Report, tables: dict[str, pd.DataFrame]
) -> None:
    points = tables["theme_attention"].query("year == 0 and theme != 'other'")
    rho = spearmanr(points["priority_rank"], points["attention_rank"]).statistic
    assert str(markupsafe.escape(f"Spearman's rho = {rho:.2f}")) in report.html
    title = report.figures["priorities_vs_attention"].axes[0].get_title(loc="left")
    assert f"rho = {rho:.2f}" in title


def test_the_report_shows_the_rho_the_measure_stage_wrote(tables: dict[str, pd.DataFrame]) -> None:
    # The report formats the alignment table; it computes no rho of its own.
    written = tables["alignment"].assign(alignment_rho=0.123, alignment_p=0.456)
    report = build_report({**tables, "alignment": written}, make_meta())
    assert "Spearman&#39;s rho = 0.12" in report.html and "p = 0.46" in report.html
    title = report.figures["priorities_vs_attention"].axes[0].get_title(loc="left")
    assert "rho = 0.12" in title


def test_an_analysis_older_than_the_measure_tables_says_not_measured_not_zero(
    tables: dict[str, pd.DataFrame],
) -> None:
    older = {k: v for k, v in tables.items() if k not in ("alignment", "period")}
    report = build_report(older, make_meta())
    assert "predates table period" in report.html and "predates table alignment" in report.html
    assert "No unit of the minutes was attributed" not in report.html


def test_topic_bars_name_the_covering_theme_or_an_emergent_topics_nearest() -> None:
    from matplotlib.figure import Figure

    from pipeline.report.charts import topic_bars

    topics = pd.DataFrame(
        {
            "label": ["crisis line, waits", "employment, college, benefits"],
            "share_of_words": [0.14, 0.07],
            "kind": ["covered", "emergent"],
            "covered_by_theme": ["crisis_support", ""],
            "nearest_theme": ["crisis_support", "work_and_money"],
            "theme_share": [0.94, 0.48],
            "n_units": [67, 40],
            "meetings": [15, 8],
        }
    )
    ax = Figure().add_subplot()
    topic_bars(ax, topics, {"crisis_support": "Crisis support", "work_and_money": "Work and money"})
    notes = [t.get_text() for t in ax.texts]
    assert notes == ["14%  (Crisis support)", "7%  (nearest: Work and money, 48% of its words)"]


def test_every_chart_is_linked_with_a_caption(report: Report) -> None:
    for name in CHARTS_REQUIRED:
        tag = f'<img src="../charts/{name}.png"'
        assert report.html.count(tag) == 1, name
        after = report.html.split(tag, 1)[1]
        assert "<figcaption>" in after.split("</figure>", 1)[0], f"{name} has no caption"


def test_outcome_units_are_quoted_with_file_and_page(
    report: Report, tables: dict[str, pd.DataFrame]
) -> None:
    outcomes = tables["segments"].query("focus == 'outcome'")
    for unit in outcomes.to_dict("records"):
        quote = str(markupsafe.escape(unit["text"]))
        assert quote in report.html
        after = report.html.split(quote, 1)[1].split("</figure>", 1)[0]
        assert f"{unit['source']}, p. {unit['page']}" in after
        assert unit["outcome_scope"] in after


def test_unit_text_is_escaped(report: Report) -> None:
    assert "<script>" not in report.html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in report.html


def test_tables_for_years_meetings_themes_documents_and_validation(report: Report) -> None:
    page = report.html
    assert "Process share of words" in page and ">2023</th>" in page
    assert page.count("✓") >= 2 and page.count("✗") >= 2
    assert "Support for carers" in page and "Information, respite and assessments" in page
    assert "papers/2024-10-10-scan.pdf" in page and "The PDF is encrypted" in page
    assert "Cohen&#39;s kappa" in page and "0.71" in page and "120 units" in page


# --------------------------------------------------------------------------- missing data
@pytest.mark.slow
@pytest.mark.parametrize(
    "make_inputs",
    [
        lambda: {name: schemas.empty(name) for name in schemas.TABLES},
        lambda: {},
    ],
    ids=["all-empty", "no-tables"],
)
def test_empty_inputs_render_and_say_so(
    make_inputs: Callable[[], dict[str, pd.DataFrame]], tmp_path: Path
) -> None:
    report = build_report(
        make_inputs(), make_meta(board_name=None, validation=None, codebook_themes=[])
    )
    assert set(report.figures) >= set(CHARTS_REQUIRED)
    for name, fig in report.figures.items():
        fig.savefig(tmp_path / f"{name}.png")
        _png_size(tmp_path / f"{name}.png")
    page = report.html
    assert "nothing to show" in page
    assert "Some inputs were empty" in page
    assert "demo" in page  # the corpus name stands in for the missing board name
    assert "No comparison with human coding" in page
    assert "Generated by involve 0.1.0" in page


@pytest.mark.slow
def test_no_outcomes_is_said_plainly(tables: dict[str, pd.DataFrame]) -> None:
    board_year = tables["board_year"].assign(
        outcome_units=0,
        outcomes_individual=0,
        outcomes_collective=0,
        collective_outcome_share=np.nan,
    )
    segments = tables["segments"].query("focus != 'outcome'")
    period = period_table(board_year, tables["meetings"])
    report = build_report(
        {**tables, "board_year": board_year, "segments": segments, "period": period}, make_meta()
    )
    n_units = int(board_year["n_units"].sum())
    assert f"None of the {n_units} units recorded an outcome" in report.html
    assert "No unit was coded as an outcome" in report.html
