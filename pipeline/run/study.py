"""`involve study`: many boards analysed alike, then compared (issue 18).

A study is a folder of board folders (each laid out as `involve analyse` takes it: the documents,
an optional ``board.yaml``, an optional ``codebook.yaml``) or a ``study.yaml`` listing the boards.
Each board is analysed by :func:`pipeline.run.runner.analyse` into ``OUT/boards/NAME/``, so a board
whose inputs have not changed costs only its hashing; a board that fails is recorded with its
error and the others go on. The comparison is then read back from the boards' own tables: one
row per board-year with its measures, their intervals and the index label; a chart; one DuckDB
file of every board's tables with a board column; and a report page.
"""

from __future__ import annotations

import os
import re
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from pipeline.core import config, io, schemas
from pipeline.core.errors import InputError
from pipeline.run import cluster, outputs

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.run.runner import Progress, RunOptions


class StudyFileError(InputError):
    """A study.yaml that does not list boards as `involve study` reads them."""


@dataclass(frozen=True)
class BoardSpec:
    """One board of a study: its name, its documents, and its codebook and roster if given."""

    name: str
    corpus: Path
    codebook: Path | None = None
    roster: Path | None = None

    @property
    def folder(self) -> str:
        """Its folder under OUT/boards/: the name with anything a path would misread replaced."""
        return _folder_name(self.name)


@dataclass(frozen=True)
class Study:
    name: str
    boards: tuple[BoardSpec, ...]
    # The folder of board folders, or None for a study.yaml (whose boards may lie anywhere).
    folder: Path | None


@dataclass
class BoardOutcome:
    """What analysing one board came to: a row of the study_boards table."""

    board: str
    folder: str
    status: str  # analysed, up_to_date or failed
    message: str = ""
    seconds: float = 0.0
    board_name: str | None = None
    codebook: str | None = None
    own_codebook: bool | None = None
    meetings: int | None = None
    units: int | None = None
    years: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass
class StudyOptions:
    """What every board is analysed with (the `involve analyse` options a study passes on)."""

    study: Path
    out: Path
    executor: str = cluster.LOCAL
    scheduler: str | None = None
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    use_ocr: bool = True
    use_embeddings: bool = True
    force: bool = False
    max_file_mb: float = config.MAX_FILE_MB
    limits: config.Limits = config.DEFAULT_LIMITS


@dataclass
class StudyResult:
    out: Path
    name: str
    boards: list[BoardOutcome]
    board_years: pd.DataFrame
    seconds: float


class StudyProgress:
    """What a study tells the user as it goes; the CLI prints, tests stay quiet."""

    def board(self, spec: BoardSpec, number: int, total: int) -> Progress:
        """A board's analysis begins here (local executor): the progress its stages report to."""
        from pipeline.run.runner import Progress

        return Progress()

    def finished(self, outcome: BoardOutcome, number: int, total: int) -> None: ...
    def note(self, message: str) -> None: ...


# ---------------------------------------------------------------------------- finding the boards
_ENTRY_KEYS: Final = ("name", "path", "codebook", "roster")


def find_study(path: Path) -> Study:
    """The study at ``path``: a study.yaml, a folder holding one, or a folder of board folders."""
    if path.is_file():
        return _study_file(path)
    if not path.is_dir():
        raise InputError(
            f"{path}: no such folder or file. Give a folder of board folders, or a "
            f"{config.STUDY_FILE} listing the boards."
        )
    if (path / config.STUDY_FILE).is_file():
        return _study_file(path / config.STUDY_FILE)
    folders = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if not folders:
        raise InputError(
            f"{path}: no board folders in it. Put each board's documents in a folder of its own "
            f"inside it (with its board.yaml and {config.CODEBOOK_FILE}, if it has them), or "
            f"list the boards in a {config.STUDY_FILE}."
        )
    boards = tuple(
        BoardSpec(
            name=p.name,
            corpus=p,
            codebook=p / config.CODEBOOK_FILE if (p / config.CODEBOOK_FILE).is_file() else None,
        )
        for p in folders
    )
    _check_names(boards, path)
    return Study(path.resolve().name, boards, path)


def _study_file(path: Path) -> Study:
    data = io.read_yaml(path, StudyFileError)
    entries = data.get("boards") if isinstance(data, dict) else data
    how = (
        "List the boards under 'boards:', one '- {name: NAME, path: FOLDER, codebook: FILE}' "
        "each (paths relative to this file; codebook and roster optional)."
    )
    if not isinstance(entries, list) or not entries:
        raise StudyFileError(f"{path}: no boards listed. {how}")
    base = path.parent
    boards = []
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not entry.get("path"):
            raise StudyFileError(f"{path}: board {n} has no 'path'. {how}")
        unknown = sorted(str(k) for k in entry if k not in _ENTRY_KEYS)
        if unknown:
            raise StudyFileError(
                f"{path}: board {n} has {', '.join(map(repr, unknown))}; a board takes "
                f"{', '.join(_ENTRY_KEYS)}."
            )
        corpus = base / str(entry["path"])
        boards.append(
            BoardSpec(
                name=str(entry.get("name") or corpus.resolve().name),
                corpus=corpus,
                codebook=base / str(entry["codebook"]) if entry.get("codebook") else None,
                roster=base / str(entry["roster"]) if entry.get("roster") else None,
            )
        )
    _check_names(tuple(boards), path)
    name = data.get("name") if isinstance(data, dict) else None
    default = path.parent.resolve().name if path.name == config.STUDY_FILE else path.stem
    return Study(str(name or default), tuple(boards), None)


def _folder_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name).strip(".-") or "board"


def _check_names(boards: Sequence[BoardSpec], where: Path) -> None:
    """Two boards may not share a name, nor the folder their outputs go to."""
    seen: dict[str, str] = {}
    for spec in boards:
        if spec.folder in seen:
            raise StudyFileError(
                f"{where}: boards '{seen[spec.folder]}' and '{spec.name}' would share the output "
                f"folder boards/{spec.folder}; give them different names."
            )
        seen[spec.folder] = spec.name


def default_out(path: Path) -> Path:
    """``outputs/<study folder or file name>/``, as `involve analyse` names its folder."""
    if path.is_dir():
        name = path.resolve().name
    else:
        name = path.resolve().parent.name if path.name == config.STUDY_FILE else path.stem
    return Path.cwd() / "outputs" / name


# ---------------------------------------------------------------------------- running the boards
def run_study(opts: StudyOptions, progress: StudyProgress | None = None) -> StudyResult:
    """Analyse every board of the study, then write the comparison into ``opts.out``."""
    started = time.perf_counter()
    progress = progress or StudyProgress()
    config.set_offline_environment()
    cluster.check_executor(opts.executor, opts.scheduler)
    study = find_study(opts.study)
    if study.folder is not None and opts.out.resolve().is_relative_to(study.folder.resolve()):
        raise InputError(
            f"{opts.out}: the output folder is inside the study folder {study.folder}, so the "
            "next run would take it for a board. Choose a folder outside it, for example "
            f"--out outputs/{study.name}."
        )
    with io.output_folder(opts.out, "study"):
        if opts.executor == cluster.DASK:
            outcomes = _boards_on_dask(study, opts, progress)
        else:
            outcomes = _boards_here(study, opts, progress)
        outcomes = [_described(o, opts.out) for o in outcomes]
        progress.note("Comparing the boards")
        board_years = write_comparison(study.name, outcomes, opts.out)
    return StudyResult(opts.out, study.name, outcomes, board_years, time.perf_counter() - started)


def _run_options(spec: BoardSpec, opts: StudyOptions, *, workers: int) -> RunOptions:
    from pipeline.run.runner import RunOptions

    own = spec.codebook is not None or spec.corpus.resolve() == config.DEMO_CORPUS.resolve()
    return RunOptions(
        corpus=spec.corpus,
        out=opts.out / outputs.study_board_dir(spec.folder),
        codebook=spec.codebook or config.DEFAULT_CODEBOOK,
        own_codebook=own,
        board=spec.roster,
        workers=workers,
        use_ocr=opts.use_ocr,
        use_embeddings=opts.use_embeddings,
        force=opts.force,
        max_file_mb=opts.max_file_mb,
        limits=opts.limits,
    )


def analyse_board(
    spec: BoardSpec,
    run: RunOptions,
    progress: Progress | None = None,
    environment: Mapping[str, str] | None = None,
) -> BoardOutcome:
    """One board analysed; its failure becomes its outcome, so the study goes on without it."""
    from pipeline.run.runner import analyse

    # A worker of a shared cluster has its own environment: the run's NER choice travels along.
    os.environ.update(environment or {})
    started = time.perf_counter()
    try:
        result = analyse(run, progress)
    except Exception as exc:
        return BoardOutcome(
            spec.name,
            spec.folder,
            "failed",
            _portable_message(str(exc) or type(exc).__name__, spec),
            time.perf_counter() - started,
        )
    status = "up_to_date" if result.up_to_date else "analysed"
    return BoardOutcome(spec.name, spec.folder, status, "", time.perf_counter() - started)


def _portable_message(message: str, spec: BoardSpec) -> str:
    """An error as the study's tables keep it: the board's folder by its study name rather than
    a local path (which may name the user)."""
    for path in sorted({str(spec.corpus), str(spec.corpus.resolve())}, key=len, reverse=True):
        message = message.replace(path, spec.name)
    # The outcome names its board already: "broken: no such folder", not "broken: broken: ...".
    return message.removeprefix(f"{spec.name}: ")


def _boards_here(study: Study, opts: StudyOptions, progress: StudyProgress) -> list[BoardOutcome]:
    """Board after board in this process, each reading its files with the process pool."""
    outcomes = []
    total = len(study.boards)
    for number, spec in enumerate(study.boards, 1):
        shown = progress.board(spec, number, total)
        outcome = analyse_board(spec, _run_options(spec, opts, workers=opts.workers), shown)
        progress.finished(outcome, number, total)
        outcomes.append(outcome)
    return outcomes


def _boards_on_dask(
    study: Study, opts: StudyOptions, progress: StudyProgress
) -> list[BoardOutcome]:
    """Each board one task on the cluster, reading its files in the worker's own process (a
    worker may not start a pool of its own). The board folders and OUT must be at the same paths
    on every worker: a shared file system, or a LocalCluster on this machine."""
    from distributed import as_completed as dask_completed

    # Always sent, so that a worker a previous --no-ner study left with NER off turns it on again.
    environment = {"INVOLVE_NER": "1" if config.trained_ner() else "0"}
    total = len(study.boards)
    by_key: dict[object, BoardSpec] = {}
    outcomes: dict[str, BoardOutcome] = {}
    with cluster.connect(opts.scheduler, opts.workers) as where:
        progress.note(
            f"Analysing {total} boards on Dask ("
            + ("a local cluster" if where.own else f"the scheduler at {opts.scheduler}")
            + "), each as one task"
        )
        futures = []
        for spec in study.boards:
            run = _run_options(spec, opts, workers=1)
            fut = where.client.submit(
                analyse_board, spec, run, None, environment, pure=False, key=f"board-{spec.folder}"
            )
            by_key[fut.key] = spec
            futures.append(fut)
        for number, fut in enumerate(dask_completed(futures), 1):
            spec = by_key[fut.key]
            try:
                outcome = fut.result()
            except Exception as exc:  # the worker died, or the task could not run there
                outcome = BoardOutcome(
                    spec.name, spec.folder, "failed", _portable_message(str(exc), spec)
                )
            progress.finished(outcome, number, total)
            outcomes[spec.name] = outcome
    return [outcomes[spec.name] for spec in study.boards]


def _described(outcome: BoardOutcome, out: Path) -> BoardOutcome:
    """The board's outcome with what its analysis recorded: its name, codebook, counts, years."""
    if not outcome.ok:
        return outcome
    folder = out / outputs.study_board_dir(outcome.folder)
    manifest = outputs.read_manifest(folder, strict=False)
    meetings = io.read_table_if_present(folder, "meetings")
    segments = io.read_table_if_present(folder, "segments")
    years = io.read_table_if_present(folder, "board_year")
    span = sorted(int(y) for y in years["year"]) if years is not None and len(years) else []
    facts = manifest.facts if manifest else {}
    return replace(
        outcome,
        board_name=manifest.board_name if manifest else None,
        codebook=manifest.codebook.name if manifest and manifest.codebook else None,
        own_codebook=facts.get("own_codebook"),
        meetings=len(meetings) if meetings is not None else None,
        units=len(segments) if segments is not None else None,
        years=f"{span[0]}-{span[-1]}" if len(span) > 1 else (str(span[0]) if span else ""),
    )


# ---------------------------------------------------------------------------- the comparison
def write_comparison(name: str, outcomes: Sequence[BoardOutcome], out: Path) -> pd.DataFrame:
    """The study's tables, chart, DuckDB file and report in ``out``; the board-year table."""
    import pandas as pd

    boards = schemas.conform(
        pd.DataFrame([_board_row(o) for o in outcomes], columns=schemas.columns("study_boards")),
        "study_boards",
    )
    analysed = [o for o in outcomes if o.ok]
    board_years = _board_years(analysed, out)
    study_tables = {"study_board_year": board_years, "study_boards": boards}
    try:
        for table, frame in study_tables.items():
            io.write_table(frame, table, out / outputs.TABLES)
        io.write_duckdb({**study_tables, **_every_board(analysed, out)}, out / outputs.STUDY_DUCKDB)
        _write_report(name, outcomes, board_years, out)
    except OSError as exc:
        raise io.output_error(out, exc) from None
    return board_years


def _board_row(o: BoardOutcome) -> dict[str, Any]:
    return {
        "board": o.board,
        "status": o.status,
        "message": o.message,
        "board_name": o.board_name,
        "codebook": o.codebook,
        "own_codebook": o.own_codebook,
        "meetings": o.meetings,
        "units": o.units,
        "years": o.years,
        "seconds": round(o.seconds, 1),
        "folder": outputs.study_board_dir(o.folder) if o.ok else "",
    }


def _board_years(analysed: Sequence[BoardOutcome], out: Path) -> pd.DataFrame:
    """One row per board-year: board_year's figures with year_intervals' bounds beside them."""
    import pandas as pd

    rows = []
    for o in analysed:
        folder = out / outputs.study_board_dir(o.folder)
        by_year = io.read_table(folder, "board_year")
        intervals = io.read_table_if_present(folder, "year_intervals")
        bounds: dict[tuple[int, str], tuple[float, float]] = {}
        if intervals is not None:
            for r in intervals.to_dict("records"):
                bounds[(int(r["year"]), str(r["measure"]))] = (r["low"], r["high"])
        for r in by_year.to_dict("records"):
            year = int(r["year"])
            row: dict[str, Any] = {
                "board": o.board,
                "board_name": o.board_name,
                **{c: r.get(c) for c in _FROM_BOARD_YEAR},
            }
            thin = too_few(r)
            for measure in schemas.STUDY_MEASURES:
                low, high = bounds.get((year, measure), (None, None))
                row[measure] = None if measure in thin else r.get(measure)
                row[f"{measure}_low"], row[f"{measure}_high"] = (
                    (None, None) if measure in thin else (low, high)
                )
            row["too_few"] = ";".join(thin)
            rows.append(row)
    if not rows:
        return schemas.empty("study_board_year")
    frame = pd.DataFrame(rows).replace({pd.NA: None})
    return schemas.conform(frame, "study_board_year")


def too_few(board_year_row: Mapping[Any, Any]) -> list[str]:
    """The study measures of one board-year whose counts are below their minimum numbers: the
    comparison leaves them out (with their intervals), as the board's own reports say "too few
    to conclude" rather than show them, so one outcome never stands as "100% collective"."""
    thin = []
    for measure in schemas.STUDY_MEASURES:
        count, minimum = config.FIGURE_RESTS_ON.get(measure, ("", 0))
        value = board_year_row.get(count) if count else None
        if count and value is not None and value == value and int(value) < minimum:
            thin.append(measure)
    return thin


_FROM_BOARD_YEAR: Final = (
    "year",
    "n_meetings",
    "meetings_with_attendance",
    "index_label",
    "index_reason",
    "presence_axis",
    "influence_axis",
)


def _every_board(analysed: Sequence[BoardOutcome], out: Path) -> dict[str, pd.DataFrame]:
    """Each analysis table of every analysed board, stacked, with the board's name first."""
    import pandas as pd

    stacked: dict[str, pd.DataFrame] = {}
    for table in config.ANALYSIS_TABLES:
        frames = []
        for o in analysed:
            frame = io.read_table_if_present(out / outputs.study_board_dir(o.folder), table)
            if frame is not None:
                frames.append(frame.assign(board=o.board)[["board", *frame.columns]])
        filled = [f for f in frames if len(f)] or frames[:1]
        if filled:
            # Columns all empty in one board and typed in another: pandas warns that it will
            # one day stop ignoring them when choosing the type; the schema's type is the same.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                stacked[table] = pd.concat(filled, ignore_index=True)
    return stacked


def _write_report(
    name: str, outcomes: Sequence[BoardOutcome], board_years: pd.DataFrame, out: Path
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from pipeline.report import study_page

    figure = study_page.chart(board_years)
    io.save_figure(figure, out / outputs.chart_file(outputs.STUDY_CHART))
    io.write_text(study_page.render(name, outcomes, board_years), out / outputs.REPORT_INDEX)


def failures(outcomes: Sequence[BoardOutcome]) -> list[BoardOutcome]:
    return [o for o in outcomes if not o.ok]
