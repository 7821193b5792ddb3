"""Every real body analysed as a new user would, reports and all: what the figures rest on, and
whether any finding contradicts its own tables (issue 15).

`involve realworld --reports` runs `involve analyse` on each body of a real-world folder, without
and with its roster, with no codebook of its own (so no priority finding may appear), then writes
every year's annual report. A report whose findings contradict its tables is refused by the
consistency check (:mod:`pipeline.report.consistency`); here the refusal is caught and counted,
so one body's contradiction never hides another's. Per body and reading it records the adequacy
checks the reports open with, each year's index label, and how many findings a report would
have shown as a figure on fewer units than the documented minimum (:mod:`pipeline.report.minimums`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.core import config, io
from pipeline.core.errors import InputError
from pipeline.report import adequacy, consistency, data
from pipeline.run import outputs

if TYPE_CHECKING:
    from pipeline.run.runner import RunOptions

COLUMNS = (
    "body",
    "roster",
    "meetings",
    "with_list",
    "unit_words",
    "labels",
    "reports",
    "contradictions",
    "below_minimum",
    "short",
    "message",
)


def check_bodies(
    root: Path,
    out: Path,
    bodies: Sequence[str] = (),
    *,
    workers: int = 2,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """One row per body and reading (without, then with its roster where there is one)."""
    from pipeline.run.runner import RunOptions

    bodies_dir, boards = root / "bodies", root / "gold" / "boards"
    if not bodies_dir.is_dir():
        raise InputError(f"{bodies_dir}: no folder of real minutes here (REALWORLD=path).")
    names = sorted(p.name for p in bodies_dir.iterdir() if p.is_dir())
    rows = []
    for body in bodies or names:
        roster = boards / f"{body}.yaml"
        for mode in ("none", "roster"):
            if mode == "roster" and not roster.exists():
                continue
            if progress is not None:
                progress(f"{body} ({'with' if mode == 'roster' else 'without'} roster)")
            opts = RunOptions(
                corpus=bodies_dir / body,
                out=out / "reports" / f"{body}-{mode}",
                workers=workers,
                board=roster if mode == "roster" else None,
                own_codebook=False,
            )
            rows.append(_check(body, mode, opts))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _check(body: str, mode: str, opts: RunOptions) -> dict[str, object]:
    from pipeline.run.runner import analyse, rebuild_annual_report, report_years

    row: dict[str, object] = {
        "body": body,
        "roster": mode,
        "contradictions": 0,
        "below_minimum": 0,
        "message": "",
    }
    try:
        analyse(opts)
    except consistency.ContradictionError as exc:
        return {
            **row,
            "contradictions": len(exc.contradictions),
            "below_minimum": len(exc.below_minimum),
            "message": str(exc),
        }
    tables = {
        name: table
        for name in config.ANALYSIS_TABLES
        if (table := io.read_table_if_present(opts.out, name)) is not None
    }
    manifest = outputs.read_manifest(opts.out)
    complete = data.complete(tables)
    checks = adequacy.checks(complete, manifest.facts if manifest else {})
    written, found, thin, messages = 0, 0, 0, []
    for year in report_years(opts.out):
        try:
            rebuild_annual_report(opts.out, year)
            written += 1
        except consistency.ContradictionError as exc:
            found += len(exc.contradictions)
            thin += len(exc.below_minimum)
            messages.append(str(exc))
    meetings = complete["meetings"]
    by_year = complete["board_year"]
    return {
        **row,
        "meetings": len(meetings),
        "with_list": int(meetings["has_attendance"].astype(bool).sum()),
        "unit_words": adequacy.unit_word_share(complete["text_coverage"]),
        "labels": "; ".join(
            f"{int(r['year'])} {r['index_label']}" for r in by_year.to_dict("records")
        ),
        "reports": written,
        "contradictions": found,
        "below_minimum": thin,
        "short": ", ".join(c.name for c in adequacy.failed(checks)),
        "message": "\n".join(messages),
    }


def markdown(table: pd.DataFrame) -> str:
    head = [
        "body",
        "roster",
        "meetings (list read)",
        "words in units",
        "index label by year",
        "annual reports",
        "contradictions",
        "figures below their minimum",
        "adequacy checks short",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in table.to_dict("records"):
        share = r["unit_words"]
        cells = [
            r["body"],
            "with" if r["roster"] == "roster" else "without",
            f"{r['meetings']} ({r['with_list']})",
            f"{share:.0%}" if isinstance(share, float) and share == share else "–",
            r["labels"] or "–",
            r["reports"],
            r["contradictions"],
            r["below_minimum"],
            r["short"] or "none",
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    total = int(pd.to_numeric(table["contradictions"]).sum()) if len(table) else 0
    thin = int(pd.to_numeric(table["below_minimum"]).sum()) if len(table) else 0
    lines += [
        "",
        f"Contradictions found by the consistency check, all bodies: {total}.",
        f"Findings shown as figures below their minimum numbers, all bodies: {thin}.",
    ]
    return "\n".join(lines)
