"""The study's report page and chart (`involve study`): formatting only, from the study's tables.

The page reuses the board report's style sheet (templates/_style.html.j2) and links each board's
own report, so a reader goes from the comparison to the evidence behind any figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from pipeline import __version__
from pipeline.report import charts, fmt, html
from pipeline.run import outputs

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from pipeline.run.study import BoardOutcome

# The figures the page's table shows (the CSV has them all), with their column headings.
SHOWN: tuple[tuple[str, str], ...] = (
    ("share_meetings_standard_met", "Two or more lay present"),
    ("lay_voice_share", "Lay voice"),
    ("uptake_rate", "Uptake"),
    ("outcome_share", "Outcome words"),
    ("collective_outcome_share", "Collective outcomes"),
)


def chart(board_years: pd.DataFrame) -> Figure:
    return charts.study_boards(board_years)


def render(name: str, outcomes: Sequence[BoardOutcome], board_years: pd.DataFrame) -> str:
    """The page, written to OUT/report/index.html (so its links go up one folder)."""
    boards = [_board(o) for o in outcomes]
    return html.render(
        {
            "title": name,
            "version": __version__,
            "generated": fmt.generated(dt.datetime.now().isoformat(timespec="seconds")),
            "boards": boards,
            "analysed": sum(1 for b in boards if not b["failed"]),
            "failed": [b for b in boards if b["failed"]],
            "chart": f"../{outputs.chart_file(outputs.STUDY_CHART)}",
            "caption": charts.STUDY_CAPTION,
            "years": _years(board_years),
        },
        "study.html.j2",
    )


def _board(o: BoardOutcome) -> dict[str, Any]:
    folder = outputs.study_board_dir(o.folder)
    return {
        "name": o.board,
        "board_name": o.board_name or "",
        "status": o.status.replace("_", " "),
        "failed": not o.ok,
        "message": o.message,
        "meetings": fmt.count(o.meetings) if o.meetings is not None else "",
        "units": fmt.count(o.units) if o.units is not None else "",
        "years": o.years,
        "codebook": (o.codebook or "") + ("" if o.own_codebook in (True, None) else " (stand-in)"),
        "report": f"../{folder}/{outputs.REPORT_INDEX}" if o.ok else "",
    }


def _years(board_years: pd.DataFrame) -> dict[str, list[Any]]:
    header = ["Board", "Year", "Index", "Meetings", *(label for _, label in SHOWN)]
    rows = []
    for r in board_years.to_dict("records"):
        cells = [r["board"], str(r["year"]), str(r["index_label"]), fmt.count(r["n_meetings"])]
        thin = set(str(r.get("too_few") or "").split(";"))
        for measure, _ in SHOWN:
            if measure in thin:
                cells.append(fmt.TOO_FEW)
                continue
            value, low, high = r[measure], r[f"{measure}_low"], r[f"{measure}_high"]
            bounds = (
                f" ({fmt.pct(low)} to {fmt.pct(high)})"
                if fmt.finite(low) and fmt.finite(high) and fmt.pct(low) != fmt.pct(high)
                else ""
            )
            cells.append(fmt.pct(value) + bounds)
        rows.append(cells)
    return {"header": header, "rows": rows}
