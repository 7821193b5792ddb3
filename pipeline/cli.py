"""The `involve` command line."""

from __future__ import annotations

import dataclasses
import os
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from pipeline import __version__
from pipeline.core import config
from pipeline.core.errors import InputError
from pipeline.run import outputs, runner
from pipeline.run import study as studies
from pipeline.run.stagetimes import StageTiming, summary_lines

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer(
    help="Evidence about service user and carer involvement from a board's minutes and papers.",
    no_args_is_help=True,
    add_completion=False,
)
themes_app = typer.Typer(help="Codebooks of themes from survey priorities.", no_args_is_help=True)
app.add_typer(themes_app, name="themes")
export_app = typer.Typer(help="Export an analysis for other tools.", no_args_is_help=True)
app.add_typer(export_app, name="export")
console = Console(stderr=True, soft_wrap=True)
_DEBUG = {"on": False}


def _fail(exc: BaseException) -> NoReturn:
    if _DEBUG["on"]:
        traceback.print_exception(exc)
    # Messages quote file names and contents: "[/]" in a name must print, not raise MarkupError.
    # Some errors carry no message (MemoryError): "error: " alone would say nothing.
    message = str(exc) or f"{type(exc).__name__} (no message)"
    console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    if not _DEBUG["on"] and not isinstance(exc, InputError):
        console.print("Run again with --debug for the full traceback.")
    raise typer.Exit(2)


def _show_version(wanted: bool) -> None:
    if wanted:
        print(f"involve {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks on errors (also after a command).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_show_version, is_eager=True
        ),
    ] = False,
) -> None:
    _DEBUG["on"] = debug
    config.set_offline_environment()


class _RichProgress(runner.Progress):
    """Shows the runner's stages as rich progress bars, each completed when the next starts."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def stage(self, name: str, total: int | None = None) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[-1].total or 1)
        self.task = self.progress.add_task(name, total=total if total is not None else 1)

    def advance(self, n: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, n)

    def note(self, message: str) -> None:
        self.progress.console.print(escape(message), highlight=False)


ALL_CORES = os.cpu_count() or 1
Workers = Annotated[
    int,
    typer.Option(
        help="Processes for text extraction, or a local Dask cluster's workers; all cores by "
        "default."
    ),
]
Ocr = Annotated[bool, typer.Option(help="OCR pages that have no text layer.")]
MaxFileMb = Annotated[float, typer.Option(help="Skip files larger than this.")]
_LIMITS = config.DEFAULT_LIMITS
MaxUnzippedMb = Annotated[
    float,
    typer.Option(help="Refuse a .docx or .odt that unpacks to more than this (a zip bomb)."),
]
MaxZipRatio = Annotated[
    float,
    typer.Option(help="Refuse a .docx or .odt part that unpacks to more than this times its size."),
]
MaxOcrPages = Annotated[int, typer.Option(help="OCR at most this many scanned pages a file.")]
MaxOcrMegapixels = Annotated[
    float,
    typer.Option(help="Render a page for OCR at most this large (larger pages at lower dpi)."),
]
MaxHtmlElements = Annotated[
    int, typer.Option(help="Refuse a web page with more elements and attributes than this.")
]
FileTimeout = Annotated[
    float, typer.Option(help="Seconds one file may take to read, OCR included (0: no limit).")
]
Executor = Annotated[
    str,
    typer.Option(
        help="Where the work runs: local (files read by a pool of --workers processes) or dask "
        "(files read, and texts parsed and embedded, on a Dask cluster: --scheduler's, else a "
        "local one of --workers processes; the `dask` extra)."
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        help="Address of a running Dask scheduler (tcp://HOST:8786) for --executor dask "
        "(default: start a local cluster for the run).",
        show_default=False,
    ),
]


def _limits(
    max_unzipped_mb: float,
    max_zip_ratio: float,
    max_ocr_pages: int,
    max_ocr_megapixels: float,
    file_timeout: float,
    max_html_elements: int,
) -> config.Limits:
    return config.Limits(
        max_unzipped_mb=max_unzipped_mb,
        max_zip_ratio=max_zip_ratio,
        max_ocr_pages=max_ocr_pages,
        max_ocr_megapixels=max_ocr_megapixels,
        file_seconds=file_timeout,
        max_html_elements=max_html_elements,
    )


def _progress_bar() -> Progress:
    """The rich progress bar every long command shows (plain lines when not on a terminal)."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=not console.is_terminal,
    )


@app.command()
def analyse(
    corpus: Annotated[Path, typer.Argument(help="Folder of the board's documents.")],
    codebook: Annotated[
        Path | None,
        typer.Option(
            help="Codebook YAML drafted from the board's own survey. Default: CORPUS/"
            f"{config.CODEBOOK_FILE} if there is one, else the demo board's codebook "
            f"({config.DEFAULT_CODEBOOK.name}), from which no priority findings are drawn.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default: outputs/<corpus>).")
    ] = None,
    cues: Annotated[
        Path,
        typer.Option(
            help="Cue lexicon YAML for focus and outcome scope (docs/focus.md).",
            # The installed path is long and machine-specific; the project-relative one reads.
            show_default=f"themes/{config.DEFAULT_CUES.name}",
        ),
    ] = config.DEFAULT_CUES,
    involvement_cues: Annotated[
        Path,
        typer.Option(
            help="Cue lexicon YAML for involvement levels, uptake and the 4Pi ratings "
            "(docs/measures.md).",
            show_default=f"themes/{config.DEFAULT_INVOLVEMENT_CUES.name}",
        ),
    ] = config.DEFAULT_INVOLVEMENT_CUES,
    workers: Workers = ALL_CORES,
    ocr: Ocr = True,
    max_file_mb: MaxFileMb = config.MAX_FILE_MB,
    max_unzipped_mb: MaxUnzippedMb = _LIMITS.max_unzipped_mb,
    max_zip_ratio: MaxZipRatio = _LIMITS.max_zip_ratio,
    max_ocr_pages: MaxOcrPages = _LIMITS.max_ocr_pages,
    max_ocr_megapixels: MaxOcrMegapixels = _LIMITS.max_ocr_megapixels,
    file_timeout: FileTimeout = _LIMITS.file_seconds,
    max_html_elements: MaxHtmlElements = _LIMITS.max_html_elements,
    names_key: Annotated[
        Path | None,
        typer.Option(
            help="Also write a JSON file linking pseudonyms to real names (keep it private; "
            "refused under outputs/)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Rebuild even if nothing has changed.")] = False,
    embeddings: Annotated[
        bool,
        typer.Option(
            help="Use the packaged sentence model for theme coding (seed terms only without)."
        ),
    ] = True,
    examples: Annotated[
        Path | None,
        typer.Option(
            help="Hand-coded units to learn themes from (CSV, TSV or JSONL like a gold file, or "
            "a REFI-QDA .qdpx): reports cross-validated agreement, then codes the rest."
        ),
    ] = None,
    board: Annotated[
        Path | None,
        typer.Option(
            help="The board's roster (board.yaml format) kept outside the corpus folder "
            "(default: CORPUS/board.yaml if there is one)."
        ),
    ] = None,
    ner: Annotated[
        bool,
        typer.Option(
            help="Find names no list gives with the trained pipeline's NER (the `ner` extra; "
            "README, Privacy). --no-ner does as INVOLVE_NER=0."
        ),
    ] = True,
    executor: Executor = "local",
    scheduler: Scheduler = None,
) -> None:
    """Analyse a board's minutes and papers: tables, charts, report and DuckDB file."""
    if not ner:
        # The environment, not an option passed down: the extraction workers and every stage
        # that asks config.trained_ner() see the same answer.
        os.environ["INVOLVE_NER"] = "0"
    from pipeline.run import cluster
    from pipeline.run.runner import RunOptions
    from pipeline.run.runner import analyse as run_analysis

    try:
        cluster.check_executor(executor, scheduler)
    except Exception as exc:
        _fail(exc)
    out_dir = out or config.default_out_dir(corpus)
    if codebook is None and (corpus / config.CODEBOOK_FILE).is_file():
        codebook = corpus / config.CODEBOOK_FILE
    # The demo's codebook is the demo board's own; for any other board it is a stand-in.
    own_codebook = codebook is not None or corpus.resolve() == config.DEMO_CORPUS.resolve()
    if not own_codebook:
        console.print(
            f"Note: no --codebook given, so themes are coded with the demo board's codebook "
            f"({config.DEFAULT_CODEBOOK.name}) and the report draws no priority findings from "
            "it. For your own board, draft one from your survey (involve themes from-survey) "
            "and pass --codebook.",
            highlight=False,
            markup=False,
        )
    opts = RunOptions(
        corpus=corpus,
        out=out_dir,
        codebook=codebook or config.DEFAULT_CODEBOOK,
        own_codebook=own_codebook,
        cues=cues,
        involvement_cues=involvement_cues,
        workers=workers,
        use_ocr=ocr,
        max_file_mb=max_file_mb,
        names_key=names_key,
        force=force,
        use_embeddings=embeddings,
        examples=examples,
        board=board,
        executor=executor,
        scheduler=scheduler,
        limits=_limits(
            max_unzipped_mb,
            max_zip_ratio,
            max_ocr_pages,
            max_ocr_megapixels,
            file_timeout,
            max_html_elements,
        ),
    )
    try:
        with _progress_bar() as bar:
            result = run_analysis(opts, _RichProgress(bar))
    except Exception as exc:
        _fail(exc)
    if result.up_to_date:
        console.print(
            f"Up to date: nothing changed since the last run ({result.seconds:.1f} s). "
            f"Outputs in {out_dir}/ (use --force to rebuild)."
        )
        _stages(result.stages)
        return
    tables = result.tables
    console.print(
        f"[bold green]Done[/] in {result.seconds:.1f} s: {_files_line(result)}, "
        f"{len(tables['meetings'])} meetings, {len(tables['segments'])} units."
    )
    console.print(_words_line(tables.get("text_accounting")), highlight=False)
    copies = _same_meeting_line(result.documents)
    if copies:
        console.print(copies, markup=False, highlight=False)
    _stages(result.stages)
    _problems(result.documents)
    console.print(f"Report: {out_dir / outputs.REPORT_INDEX}", markup=False, highlight=False)
    console.print(
        f"Tables: {out_dir / outputs.TABLES}/  DuckDB: {out_dir / outputs.DUCKDB}",
        markup=False,
        highlight=False,
    )
    _adequacy(tables, result.meta)


@app.command(
    "study",
    help="Analyse many boards alike and compare them.\n\n"
    "STUDY is a folder of board folders (each laid out as `involve analyse` takes it: the "
    f"documents, an optional board.yaml and an optional {config.CODEBOOK_FILE}) or a "
    f"{config.STUDY_FILE} listing the boards (name, path, codebook, roster; paths relative to "
    "the file). Each board is analysed into OUT/boards/NAME/ (a board whose inputs have not "
    "changed is not analysed again); then OUT gets tables/study_board_year and study_boards "
    "(Parquet, CSV), charts/study_boards.png, study.duckdb (every board's tables with a board "
    "column) and report/index.html. A board that fails is reported and the others go on; the "
    "command then exits with status 1.",
)
def study_command(
    study: Annotated[
        Path, typer.Argument(help=f"Folder of board folders, or a {config.STUDY_FILE}.")
    ],
    out: Annotated[
        Path | None,
        typer.Option(help="Output folder (default: outputs/<study folder or file name>)."),
    ] = None,
    executor: Executor = "local",
    scheduler: Scheduler = None,
    workers: Annotated[
        int,
        typer.Option(
            help="Processes: for reading files (local), or Dask workers of a local cluster, "
            "each analysing one board at a time (dask); all cores by default."
        ),
    ] = ALL_CORES,
    ocr: Ocr = True,
    max_file_mb: MaxFileMb = config.MAX_FILE_MB,
    file_timeout: FileTimeout = _LIMITS.file_seconds,
    force: Annotated[bool, typer.Option(help="Analyse every board again.")] = False,
    embeddings: Annotated[
        bool, typer.Option(help="Use the packaged sentence model for theme coding.")
    ] = True,
    ner: Annotated[
        bool, typer.Option(help="Find names no list gives with NER (as for analyse).")
    ] = True,
) -> None:
    """`involve study`: see the help above."""
    if not ner:
        os.environ["INVOLVE_NER"] = "0"
    limits = dataclasses.replace(_LIMITS, file_seconds=file_timeout)
    opts = studies.StudyOptions(
        study=study,
        out=out or studies.default_out(study),
        executor=executor,
        scheduler=scheduler,
        workers=workers,
        use_ocr=ocr,
        use_embeddings=embeddings,
        force=force,
        max_file_mb=max_file_mb,
        limits=limits,
    )
    shown = _StudyProgress()
    try:
        result = studies.run_study(opts, shown)
    except Exception as exc:
        _fail(exc)
    finally:
        shown.stop()  # an interrupted board leaves no live bar over the terminal
    failed = studies.failures(result.boards)
    console.print(
        f"[bold green]Done[/] in {result.seconds:.1f} s: {len(result.boards) - len(failed)} of "
        f"{len(result.boards)} boards analysed, {len(result.board_years)} board-years compared."
    )
    for outcome in failed:
        console.print(
            f"[bold red]failed:[/] {escape(outcome.board)}: {escape(outcome.message)}",
            highlight=False,
        )
    console.print(f"Report: {opts.out / outputs.REPORT_INDEX}", markup=False, highlight=False)
    console.print(
        f"Tables: {opts.out / outputs.TABLES}/  DuckDB: {opts.out / outputs.STUDY_DUCKDB}  "
        f"Boards: {opts.out / outputs.STUDY_BOARDS}/",
        markup=False,
        highlight=False,
    )
    if failed:
        raise typer.Exit(1)


class _StudyProgress(studies.StudyProgress):
    """A line as each board starts and ends; a board analysed here shows its stages too."""

    def __init__(self) -> None:
        self.bar: Progress | None = None

    def board(self, spec: studies.BoardSpec, number: int, total: int) -> runner.Progress:
        console.print(f"[bold]Board {number} of {total}: {escape(spec.name)}[/]", highlight=False)
        self.bar = _progress_bar()
        self.bar.start()
        return _RichProgress(self.bar)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def finished(self, outcome: studies.BoardOutcome, number: int, total: int) -> None:
        self.stop()
        where = f"  [{number}/{total}] {escape(outcome.board)}:"
        if not outcome.ok:
            message = escape(outcome.message)
            console.print(f"{where} [bold red]failed[/]: {message}", highlight=False)
            return
        state = "up to date" if outcome.status == "up_to_date" else "analysed"
        console.print(f"{where} {state} in {outcome.seconds:.1f} s", highlight=False)

    def note(self, message: str) -> None:
        console.print(escape(message), highlight=False)


def _stages(timings: list[StageTiming]) -> None:
    """What each stage cost, as manifest.json records it: where a slow run spent its time."""
    for line in summary_lines(timings):
        console.print(line, markup=False, highlight=False)


def _adequacy(tables: dict[str, pd.DataFrame], meta: dict[str, object]) -> None:
    """The report's "what the figures rest on" box, last, so a short check is the last word."""
    from pipeline.report import adequacy, data

    found = adequacy.checks(data.complete(tables), meta)
    short = adequacy.failed(found)
    console.print("What the figures rest on (as the report opens):", highlight=False)
    for line in adequacy.console_lines(found):
        console.print(line, markup=False, highlight=False)
    if short:
        console.print(
            f"[yellow]Warning:[/] {len(short)} of {len(found)} checks fall short; read the "
            "figures with them in mind.",
            highlight=False,
        )


@app.command(
    help="Read the documents only: one row per file, and the text of every page.\n\n"
    "Writes tables/documents and tables/pages (Parquet and CSV) under --out. The page texts are "
    "the documents' own words, real names included, unlike anything `involve analyse` writes: "
    "treat them like the corpus itself."
)
def ingest(
    corpus: Annotated[Path, typer.Argument(help="Folder of the board's documents.")],
    out: Annotated[
        Path,
        typer.Option(
            help="Folder for tables/documents and tables/pages. The page texts hold the "
            "documents' words as they are, real names included: keep it as private as the "
            "corpus."
        ),
    ],
    workers: Workers = ALL_CORES,
    ocr: Ocr = True,
    max_file_mb: MaxFileMb = config.MAX_FILE_MB,
    max_unzipped_mb: MaxUnzippedMb = _LIMITS.max_unzipped_mb,
    max_zip_ratio: MaxZipRatio = _LIMITS.max_zip_ratio,
    max_ocr_pages: MaxOcrPages = _LIMITS.max_ocr_pages,
    max_ocr_megapixels: MaxOcrMegapixels = _LIMITS.max_ocr_megapixels,
    file_timeout: FileTimeout = _LIMITS.file_seconds,
    max_html_elements: MaxHtmlElements = _LIMITS.max_html_elements,
    force: Annotated[
        bool, typer.Option(help="Read every file again instead of using cached text.")
    ] = False,
) -> None:
    """`involve ingest`: the runner's reading of the corpus, without the analysis."""
    from pipeline.run.runner import IngestOptions, ingest_corpus

    opts = IngestOptions(
        corpus=corpus,
        out=out,
        workers=workers,
        use_ocr=ocr,
        max_file_mb=max_file_mb,
        force=force,
        limits=_limits(
            max_unzipped_mb,
            max_zip_ratio,
            max_ocr_pages,
            max_ocr_megapixels,
            file_timeout,
            max_html_elements,
        ),
    )
    try:
        with _progress_bar() as bar:
            result = ingest_corpus(opts, _RichProgress(bar))
    except Exception as exc:
        _fail(exc)
    console.print(
        f"[bold green]Done[/] in {result.seconds:.1f} s: {_files_line(result)}, "
        f"{result.pages} pages."
    )
    _problems(result.documents)
    console.print(f"Tables: {out / outputs.TABLES}/ (documents, pages; page texts hold real names)")
    if out.resolve().is_relative_to((Path.cwd() / "outputs").resolve()):
        console.print(
            "[yellow]Note:[/] outputs/ is for pseudonymised results that can be shared; these "
            "page texts name people. Move them somewhere as private as the corpus."
        )


def _files_line(result: runner.RunResult | runner.IngestResult) -> str:
    """'12 files (10 ok, 2 error; 3 read, 9 from cache)': what happened to the corpus's files."""
    if isinstance(result.documents, list):  # `involve ingest` keeps its table as rows
        counted = Counter(str(row["status"]) for row in result.documents).most_common()
    else:
        counts = result.documents["status"].value_counts()
        counted = [(str(s), int(n)) for s, n in counts.items()]
    statuses = ", ".join(f"{n} {s}" for s, n in counted)
    return (
        f"{len(result.documents)} files ({statuses}; {result.extracted} read, "
        f"{result.cached} from cache)"
    )


def _same_meeting_line(documents: pd.DataFrame) -> str:
    """Files whose meeting another file holds: said, since the meeting count is one less each."""
    from pipeline.report.fmt import plural

    copies = documents[documents["status"] == "same_meeting"]
    if copies.empty:
        return ""
    return (
        f"Same meeting in two files: {plural(len(copies), 'file')} ("
        + ", ".join(sorted(copies["source"].astype(str))[:5])
        + (" and more" if len(copies) > 5 else "")
        + ") held a meeting another file holds more completely; each meeting is counted once "
        "(documents table, status same_meeting, says from which file)."
    )


def _words_line(accounting: pd.DataFrame | None) -> str:
    """Where every word of the corpus ended, and any that ended nowhere, by file."""
    from pipeline.report import fmt

    if accounting is None or accounting.empty:
        return "Words: none read."
    by_place = accounting.groupby("place")["n_words"].sum()
    total = int(by_place.sum())
    names = {
        "unit": "in units",
        "attendance": "in attendance lists",
        "heading": "in headings",
        "furniture": "page furniture",
        "not_minutes": "in documents not analysed as minutes",
    }
    parts = [f"{fmt.count(by_place.get(p, 0))} {label}" for p, label in names.items()]
    line = f"Words: {fmt.count(total)}, every one accounted for: " + ", ".join(parts)
    unplaced = accounting[accounting["place"] == "unplaced"]
    if unplaced["n_words"].sum() == 0:
        return line + "."
    files = sorted(set(unplaced["source"]))
    return (
        f"[yellow]{line}; {fmt.count(int(unplaced['n_words'].sum()))} words placed nowhere[/], "
        f"in {escape(', '.join(files[:5]))}{' and more' if len(files) > 5 else ''} "
        "(tables/text_accounting says why)."
    )


def _problems(documents: pd.DataFrame | list[dict[str, object]]) -> None:
    """Every file that was skipped or went wrong, with the message saying what to do."""
    columns = ("source", "status", "message")
    if isinstance(documents, list):  # `involve ingest` keeps its table as rows
        problems = [[row[c] for c in columns] for row in documents if row["status"] != "ok"]
    else:
        problems = documents.loc[documents["status"] != "ok", list(columns)].values.tolist()
    if not problems:
        return
    table = Table(title="Files with problems", show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for source, status, message in problems:
        table.add_row(escape(str(source)), escape(str(status)), escape(str(message)))
    console.print(table)


@app.command()
def report(
    out_dir: Annotated[Path, typer.Argument(help="Output folder of an analysis.")],
    year: Annotated[
        int | None,
        typer.Option(
            help="Write the annual report for this calendar year instead "
            "(report/annual-YEAR.html and .pdf)."
        ),
    ] = None,
    all_years: Annotated[
        bool,
        typer.Option(
            "--all-years", help="Also write the annual report for every year that has meetings."
        ),
    ] = False,
) -> None:
    """Rebuild the charts and HTML report from an analysis's tables, or write a year's report."""
    from pipeline.run.runner import rebuild_annual_report, rebuild_report, report_years

    try:
        if year is None:
            console.print(f"Report: {rebuild_report(out_dir)}")
        years = report_years(out_dir) if all_years else []
        for wanted in sorted({*years, *([year] if year is not None else [])}):
            html_path, pdf_path = rebuild_annual_report(out_dir, wanted)
            console.print(f"Annual report {wanted}: {html_path} and {pdf_path.name}")
    except Exception as exc:
        _fail(exc)


@app.command()
def validate(
    out_dir: Annotated[Path, typer.Argument(help="Output folder of an analysis.")],
    gold: Annotated[
        Path,
        typer.Option(
            help="Human coding: CSV, TSV or JSONL with a text column and "
            "focus/outcome_scope/speaker_role/theme, or a REFI-QDA project (.qdpx) coded in "
            "NVivo, ATLAS.ti, MAXQDA or QualCoder."
        ),
    ],
    gold_user: Annotated[
        str | None,
        typer.Option(
            help="In a .qdpx, take this coder's codings only (default: every human coder)."
        ),
    ] = None,
    levels_gold: Annotated[
        Path | None,
        typer.Option(
            help="Hand-coded involvement levels per agenda item (CSV: source, item_no, level) "
            "(default: GOLD-levels.csv beside --gold, or --gold itself if it has level and "
            "item_no columns)."
        ),
    ] = None,
) -> None:
    """Agreement of the machine coding with human coding, beside a keyword baseline."""
    from pipeline.run.runner import validate_analysis

    try:
        result = validate_analysis(out_dir, gold, gold_user=gold_user, levels_gold=levels_gold)
    except Exception as exc:
        _fail(exc)
    print(result.text)
    console.print(
        f"Written to {result.folder}/ (run `involve report {out_dir}` to add it to the report)"
    )


@themes_app.command("from-survey")
def from_survey(
    survey: Annotated[Path, typer.Argument(help="Survey CSV with ranked priority columns.")],
    out: Annotated[Path, typer.Option(help="Codebook YAML to write, e.g. themes/NAME.yaml.")],
    name: Annotated[
        str | None, typer.Option(help="Codebook name (default: the file stem).")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Where the survey came from.")] = None,
) -> None:
    """Draft a codebook from a survey: priorities ranked by how many respondents named them."""
    from pipeline.core import io
    from pipeline.inputs.codebook import parse_codebook
    from pipeline.inputs.survey import from_survey as draft

    try:
        df = io.read_csv_any(survey)
        data = draft(
            df,
            name=name or out.stem,
            source=source or f"Survey {survey.name} (n={len(df)})",
            origin=str(survey),
        )
        parse_codebook(data, str(out))  # never write a codebook that would not load
        io.write_yaml(data, out)
    except Exception as exc:
        _fail(exc)
    console.print(
        f"Wrote {out}: {len(data['themes'])} themes from {len(df)} responses. "
        "Read it, edit the definitions and seeds, and bump 'version' when you change it."
    )


@themes_app.command("check")
def check_codebook(
    codebook: Annotated[Path, typer.Argument(help="Codebook YAML to check.")],
) -> None:
    """Check a codebook after editing it, without running an analysis."""
    from pipeline.core import io

    try:
        cb = io.load_codebook(codebook)
    except Exception as exc:
        _fail(exc)
    involvement = cb.by_id[cb.involvement_theme].label if cb.involvement_theme else "none named"
    console.print(
        escape(
            f"{codebook}: codebook {cb.name!r}, version {cb.version}, {len(cb.themes)} themes, "
            f"involvement theme: {involvement}. It is valid."
        ),
        highlight=False,
    )
    for t in cb.themes:
        n_examples = len(t.examples_include)
        console.print(
            escape(
                f"  {t.priority_rank:>2}. {t.id} ({t.label}): {len(t.seeds)} seeds, "
                f"{n_examples} example{'s' if n_examples != 1 else ''}"
            ),
            highlight=False,
        )
    console.print(
        f"Use it with: involve analyse BOARD_FOLDER --codebook {codebook}", highlight=False
    )


@export_app.command(
    "qdpx",
    help="The coding as a REFI-QDA project and codebook, for NVivo, ATLAS.ti, MAXQDA or "
    "QualCoder.\n\nWrites OUT_DIR/export/<corpus>.qdpx (each document's units as one text "
    "source, each unit a selection coded by the user 'involve classifier <version>') and "
    "<corpus>.qdc (the codebook alone).",
)
def export_qdpx(
    out_dir: Annotated[Path, typer.Argument(help="Output folder of an analysis.")],
) -> None:
    """`involve export qdpx`: see the help above."""
    from pipeline.core import io
    from pipeline.qda.export import export_qdpx as run_export

    try:
        with io.output_folder(out_dir, "export qdpx", create=False):
            qdpx, qdc, result = run_export(out_dir)
    except Exception as exc:
        _fail(exc)
    console.print(
        f"Wrote {qdpx}: {result.n_sources} sources, {result.n_selections} coded units, "
        f"{result.n_codings} codings by the user 'involve classifier'; codebook {qdc}."
    )


@app.command(
    help="How the project reads real published minutes: per body, without and with its "
    "roster, agreement with hand coding.\n\n"
    "Reads ROOT/bodies/<body>/ (the documents) and ROOT/gold/ (units-*.jsonl, "
    "attendance-*.jsonl, boards/<body>.yaml) and prints per body: coverage of the hand-coded "
    "units, words placed nowhere, attendance exact, speaker role and focus kappa, pseudonym "
    "precision and recall. Writes the table and every disagreement to --out."
)
def realworld(
    root: Annotated[
        Path | None,
        typer.Argument(
            help="Folder with bodies/ and gold/ (default: $REALWORLD or ../shared/realworld)."
        ),
    ] = None,
    body: Annotated[
        list[str] | None, typer.Option(help="Only this body (folder name); repeat for more.")
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Folder for summary.md, table.csv, misses.csv, spans.csv.")
    ] = Path("build/realworld"),
    workers: Workers = ALL_CORES,
    focus: Annotated[
        bool,
        typer.Option(
            "--focus",
            help="Instead: focus leave-one-body-out for the rules, the keyword and majority "
            "baselines and the focus model (docs/focus.md); --out gets summary.md, table.csv.",
        ),
    ] = False,
    reports: Annotated[
        bool,
        typer.Option(
            "--reports",
            help="Instead: analyse each body as a new user would (no codebook of its own), "
            "without and with its roster, write every annual report, and print per body what "
            "the figures rest on and the contradictions the consistency check found; "
            "--out gets reports.md and reports/<body>-<roster>/.",
        ),
    ] = False,
) -> None:
    """`involve realworld`: see the help above."""
    from pipeline.evaluate import realworld as rw

    where = root or rw.default_root()
    if focus:
        _focus_lobo(where, out)
        return
    if reports:
        _realworld_reports(where, body or (), out, workers)
        return
    try:
        with _progress_bar() as bar:
            task = bar.add_task("Reading bodies", total=None)

            def step(name: str) -> None:
                bar.update(task, description=f"Reading {name}")

            evaluation = rw.evaluate(where, body or (), workers=workers, progress=step)
        rw.write(evaluation, out)
    except Exception as exc:
        _fail(exc)
    print(rw.markdown(evaluation.table))
    print()
    print(rw.totals_markdown(evaluation))
    console.print(
        f"Every disagreement, unplaced passage and replaced span: {out}/ "
        "(it quotes real names: keep it private)"
    )


def _realworld_reports(root: Path, bodies: Sequence[str], out: Path, workers: int) -> None:
    from pipeline.core.io import write_text
    from pipeline.evaluate import honesty

    try:
        with _progress_bar() as bar:
            task = bar.add_task("Analysing bodies", total=None)

            def step(name: str) -> None:
                bar.update(task, description=f"Analysing {name}")

            table = honesty.check_bodies(root, out, bodies, workers=workers, progress=step)
    except Exception as exc:
        _fail(exc)
    text = honesty.markdown(table)
    write_text(text + "\n", out / "reports.md")
    print(text)
    if int(table["contradictions"].sum()) or int(table["below_minimum"].sum()):
        for message in table["message"]:
            if message:
                console.print(message, markup=False, highlight=False)
        raise typer.Exit(1)


def _focus_lobo(root: Path, out: Path) -> None:
    from pipeline.classify.focus import lobo

    try:
        code = lobo.main([str(root), "--out", str(out)])
    except Exception as exc:
        _fail(exc)
    if code:
        raise typer.Exit(code)


@app.command()
def version() -> None:
    """Print the version."""
    print(__version__)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    # --debug is a global option, but users put it anywhere: after the command, at the end.
    if "--debug" in args[1:]:
        args = ["--debug", *(a for a in args if a != "--debug")]
    try:
        app(args, prog_name="involve")
    except KeyboardInterrupt:
        console.print("Interrupted.")
        sys.exit(130)
