"""The runner: reads inputs, calls the stages in flow order, validates and writes every table.

Stages are pure; this module owns the order, the caching, the progress display and the manifest.
A re-run whose inputs, options and code are unchanged does no work at all; one with a changed
document re-extracts only that document. `analyse` and `ingest_corpus` (`involve ingest`) read the
corpus through the same functions: hashing, the extraction cache, and parallel extraction.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import importlib.util
import json
import os
import re
import signal
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib.metadata import version as pkg_version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.core import config, distribute, io, textcache
from pipeline.core.errors import InputError
from pipeline.ingest import (
    EXTRACTOR_VERSION,
    UNEXPECTED,
    Description,
    Extracted,
    RawFile,
    describe,
    extract,
    ingest,
    ingest_rows,
    legacy,
)
from pipeline.ingest import ocr as ocr_tool
from pipeline.run import outputs
from pipeline.run.stagetimes import StageClock, StageTiming

# pandas, the table schemas (which use it) and the stages are imported where they are used:
# `involve ingest` starts its worker processes before any of them is loaded (see _run_extract).
if TYPE_CHECKING:
    import pandas as pd

    from pipeline.core import embed
    from pipeline.inputs.board import Board
    from pipeline.inputs.codebook import Codebook
    from pipeline.segment import SetAside

TABLE_ORDER = config.ANALYSIS_TABLES


class Progress:
    """What the runner tells the user; the CLI supplies a rich progress bar, tests stay quiet."""

    def stage(self, name: str, total: int | None = None) -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def note(self, message: str) -> None: ...


class _TimedProgress(StageClock, Progress):
    """The caller's progress display, each stage timed on the way (pipeline.run.stagetimes)."""


@dataclass
class IngestOptions:
    """What reading a corpus needs; `involve ingest` takes exactly these."""

    corpus: Path
    out: Path
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    use_ocr: bool = True
    max_file_mb: float = config.MAX_FILE_MB
    force: bool = False
    limits: config.Limits = config.DEFAULT_LIMITS  # what one file may cost (--max-zip-ratio ...)
    # Where files are read: "local" (a process pool of `workers`) or "dask" (pipeline.run.cluster),
    # on the Dask scheduler at `scheduler`, or a LocalCluster of `workers` processes without one.
    executor: str = "local"
    scheduler: str | None = None


@dataclass
class RunOptions(IngestOptions):
    """A whole analysis: reading the corpus, then coding it against a codebook."""

    codebook: Path = config.DEFAULT_CODEBOOK
    cues: Path = config.DEFAULT_CUES
    involvement_cues: Path = config.DEFAULT_INVOLVEMENT_CUES
    names_key: Path | None = None
    use_embeddings: bool = True
    examples: Path | None = None  # hand-coded units to learn themes from (--examples)
    board: Path | None = None  # the roster, when it is not CORPUS/board.yaml (--board)
    # False when the codebook is a stand-in (the demo's, because none was given): no priority
    # findings, rank correlation or theme quotes are drawn from another board's survey.
    own_codebook: bool = True


@dataclass
class RunResult:
    out: Path
    up_to_date: bool
    seconds: float
    documents: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    extracted: int = 0
    cached: int = 0
    meta: dict[str, Any] = field(default_factory=dict)  # what the report was told (report_settings)
    stages: list[StageTiming] = field(default_factory=list)  # as the manifest records them


@dataclass
class Corpus:
    """A corpus read: every file with its hash, the documents table and the page texts."""

    hashed: list[tuple[io.CorpusFile, str]]
    documents: pd.DataFrame
    pages: pd.DataFrame
    extracted: int
    cached: int


@dataclass
class IngestResult:
    """What `involve ingest` wrote: the documents table as rows, and how many pages."""

    out: Path
    seconds: float
    documents: list[dict[str, object]]
    pages: int
    extracted: int = 0
    cached: int = 0


def ingest_corpus(opts: IngestOptions, progress: Progress | None = None) -> IngestResult:
    """Read a corpus into ``opts.out/tables``: ``documents`` and ``pages`` (the page texts).

    Page texts keep real names, which is why `analyse` never writes them: only this does, to a
    folder the user names. ``opts.force`` re-reads every file instead of taking cached text.
    The tables go from rows to files without pandas, whose import alone costs as much CPU as
    reading two hundred pages (`io.write_rows` writes the same files).
    """
    started = time.perf_counter()
    progress = progress or Progress()
    config.set_offline_environment()
    io.check_out_folder(opts.corpus, opts.out)
    described: dict[str, Description] = {}
    with io.output_folder(opts.out, "ingest"):
        results, extracted, cached = _extract_all(
            hash_corpus(opts, progress), opts, progress, refresh=opts.force, described=described
        )
        documents, pages = ingest_rows(results, described)
        progress.stage("Writing tables")
        try:
            io.write_rows(documents, "documents", opts.out / outputs.TABLES)
            io.write_rows(pages, "pages", opts.out / outputs.TABLES)
        except OSError as exc:
            raise io.output_error(opts.out, exc) from None
    return IngestResult(
        opts.out, time.perf_counter() - started, documents, len(pages), extracted, cached
    )


def hash_corpus(opts: IngestOptions, progress: Progress) -> list[tuple[io.CorpusFile, str]]:
    """Every file of the corpus with its content hash ('' for a file that will not be read)."""
    files = io.list_corpus(opts.corpus, opts.max_file_mb)
    if not files:
        raise InputError(
            f"{opts.corpus}: no documents found. Put the board's minutes and papers "
            "(PDF, DOCX, HTML, Markdown or text) in this folder."
        )
    progress.stage("Hashing documents", len(files))
    hashed = []
    for f in files:
        hashed.append((f, "" if f.problem else io.sha256_file(f.path)))
        progress.advance()
    return hashed


def read_corpus(
    hashed: list[tuple[io.CorpusFile, str]],
    opts: IngestOptions,
    progress: Progress,
    *,
    refresh: bool = False,
) -> Corpus:
    """Text of every file (from the cache where it has it) as the documents and pages tables."""
    described: dict[str, Description] = {}
    results, extracted, cached = _extract_all(
        hashed, opts, progress, refresh=refresh, described=described
    )
    documents, pages = ingest(results, described)
    return Corpus(hashed, documents, pages, extracted, cached)


def analyse(opts: RunOptions, progress: Progress | None = None) -> RunResult:
    """Analyse a corpus into ``opts.out``; see the README for what is written there.

    Everything is written into a staging folder and committed whole (`io.commit_staging`): a run
    that fails or is killed leaves the previous outputs as they were. The folder is locked for
    the run, and proved writable before the analysis starts rather than after it.
    """
    started = time.perf_counter()
    progress = _TimedProgress(progress or Progress())
    config.set_offline_environment()
    _check_names_key(opts)
    io.check_out_folder(opts.corpus, opts.out)
    board = io.load_board(opts.corpus, opts.board)
    codebook = io.load_codebook(opts.codebook)
    with io.output_folder(opts.out, "analyse"):
        hashed = hash_corpus(opts, progress)
        fingerprint = _fingerprint(opts, hashed, codebook)
        if not opts.force and _up_to_date(fingerprint, opts):
            tables = {"documents": io.read_table(opts.out, "documents")}
            return RunResult(
                opts.out,
                True,
                time.perf_counter() - started,
                tables["documents"],
                tables,
                stages=progress.finish(),
            )
        staging = io.begin_staging(opts.out)
        try:
            with _executor(opts, progress):
                result = _analyse(opts, progress, board, codebook, hashed, fingerprint, staging)
        except BaseException:
            io.abandon_staging(opts.out)
            raise
    result.seconds = time.perf_counter() - started
    return result


@contextlib.contextmanager
def _executor(opts: RunOptions, progress: Progress) -> Iterator[None]:
    """With --executor dask, the cluster the whole analysis uses: files are read there, and the
    stages' per-text work is sent there (pipeline.core.distribute)."""
    if opts.executor != "dask":
        yield
        return
    from pipeline.run import cluster

    progress.stage("Starting the Dask cluster" if not opts.scheduler else "Connecting to Dask")
    with cluster.session(opts.scheduler, opts.workers) as where:
        # The workers outlive every stage: their CPU is asked for at each stage's ends.
        if isinstance(progress, StageClock):
            progress.count_elsewhere(lambda: cluster.usage(where.client))
        try:
            yield
        finally:
            if isinstance(progress, StageClock):
                progress.count_elsewhere(None)


def _analyse(
    opts: RunOptions,
    progress: _TimedProgress,
    board: Board | None,
    codebook: Codebook,
    hashed: list[tuple[io.CorpusFile, str]],
    fingerprint: str,
    staging: Path,
) -> RunResult:
    """The analysis proper, its outputs written into ``staging`` and then committed."""
    # A stage of its own, or a second of imports would be charged to hashing.
    progress.stage("Loading the analysis code")
    # The stages load spaCy, scikit-learn and more (seconds): imported only now, so that an
    # up-to-date run, and `involve ingest`, which needs none of them, finish in a fraction of that.
    from pipeline.classify.focus import classify
    from pipeline.classify.themes import code
    from pipeline.core import embed, schemas
    from pipeline.involvement.levels import item_levels, segment_levels
    from pipeline.involvement.uptake import uptake
    from pipeline.measure import measure
    from pipeline.measure.adequacy import adequacy
    from pipeline.measure.coverage import text_coverage
    from pipeline.measure.timings import item_times
    from pipeline.pseudonymise.preprocess import preprocess
    from pipeline.segment import segment
    from pipeline.topics import emergent_topics

    corpus = read_corpus(hashed, opts, progress, refresh=opts.force)
    documents, pages = corpus.documents, corpus.pages
    # What is read from one text alone (NER, lemmas, the focus rules' parse) is kept between
    # runs (pipeline.core.textcache), and so are the readings of the minutes a run before read
    # (pipeline.segment.reuse): adding a meeting reads and parses only it. --force: everything.
    texts = io.Cache(config.cache_dir(), write_only=opts.force, packs=True)
    progress.stage("Reading minutes")
    seg = segment(pages, documents, board, texts)
    documents = same_meeting_copies(documents, seg.copies)
    progress.stage("Pseudonymising and preprocessing")
    pre = preprocess(seg, texts)
    # Loading the model is a fixed cost, apart from coding, whose cost grows with the corpus.
    progress.stage("Loading the sentence model")
    embedder = _embedder(opts.use_embeddings, refresh=opts.force)
    progress.stage("Coding themes and focus")
    if opts.use_embeddings and embedder is None:
        progress.note(f"Note: {embed.HINT}")
    from pipeline.classify.focus.cues import load_cues
    from pipeline.inputs.involvement_cues import load_involvement_cues

    if opts.examples is None:
        # A previous run's examples no longer describe this coding: the commit drops the file,
        # which the previous manifest lists and this run does not write.
        coded = code(pre.units, codebook, embedder, texts)
    else:
        coded = _code_with_examples(pre.units, codebook, embedder, opts, progress, staging)
    units = classify(coded, load_cues(opts.cues), cache=texts)
    involvement_cues = load_involvement_cues(opts.involvement_cues)
    levels = item_levels(units, involvement_cues)
    units["level"] = segment_levels(units, levels)
    segments = schemas.conform(units, "segments") if len(units) else schemas.empty("segments")
    meetings = (
        schemas.conform(pre.meetings, "meetings")
        if len(pre.meetings)
        else schemas.empty("meetings")
    )
    # Apart from measuring: uptake compares each lay contribution with the units of its own
    # meeting and of the next config.UPTAKE_WINDOW_MEETINGS meetings.
    progress.stage("Linking uptake")
    taken_up = uptake(segments, embedder, involvement_cues)
    progress.stage("Measuring")
    times = item_times(seg.item_times, segments)
    measures = measure(
        segments,
        meetings,
        codebook,
        levels,
        taken_up.links,
        times,
        lay_seats=board.lay_seats if board else None,
        own_codebook=opts.own_codebook,
        cues=involvement_cues,
    )
    progress.stage("Finding emergent topics")
    found = emergent_topics(
        segments, codebook, embedder, stop_words=[board.name] if board and board.name else []
    )
    if found.note:
        progress.note(f"Note: {found.note}")
    accounting = text_accounting(seg.accounting)
    tables = {
        "documents": documents,
        "meetings": meetings,
        "attendance": pre.attendance,
        "segments": segments,
        "meeting_measures": measures.meeting_measures,
        "theme_attention": measures.theme_attention,
        "board_year": measures.board_year,
        "year_intervals": measures.year_intervals,
        "emergent_topics": found.table,
        "item_levels": levels,
        "item_times": times,
        "uptake": taken_up.links,
        "index_sensitivity": measures.index_sensitivity,
        "text_accounting": accounting,
        "text_coverage": text_coverage(accounting, meetings),
        "alignment": measures.alignment,
        "four_pi": measures.four_pi,
        "period": measures.period,
    }
    tables["adequacy"] = adequacy(documents, meetings, pre.attendance)
    paths = _private_paths(documents, pre.names)
    tables = {name: _renamed(df, paths) for name, df in tables.items()}
    documents = tables["documents"]
    pre.names.update({v: k for k, v in paths.items() if v != k})
    corpus_name = _private_corpus_name(opts.corpus, pre.names)
    progress.stage("Writing tables, charts and report")
    if embedder is not None:
        embedder.keep()  # topics were the last to embed: the next run reads these at once
    texts.keep_packs()
    try:
        for name in TABLE_ORDER:
            io.write_table(tables[name], name, staging / outputs.TABLES)
        io.write_duckdb(tables, staging / outputs.DUCKDB)
        manifest = _manifest(
            opts, hashed, codebook, fingerprint, tables, board.name if board else None
        )
        manifest["corpus_name"] = corpus_name
        for entry in manifest["inputs"]:
            entry["source"] = paths.get(entry["source"], entry["source"])
        manifest["topics"] = {"method": found.method, "note": found.note}
        manifest["facts"] = run_facts(board, opts.own_codebook)
        manifest["uptake"] = {"method": taken_up.method, "threshold": taken_up.threshold}
        # The report is told what the manifest records, as a report rebuilt later is; the
        # agreement figures are the output folder's (`involve validate` wrote them there).
        meta = outputs.report_settings(
            outputs.parse_manifest(manifest, opts.out / outputs.MANIFEST),
            codebook,
            opts.out,
            examples_from=staging,
        )
        write_report(tables, meta, staging)
        manifest["outputs"] = io.output_hashes(staging, io.staged_files(staging))
        # The last stage ends here, so that the manifest can hold it; committing is renames.
        stages = progress.finish()
        manifest["stages"] = [t.to_json() for t in stages]
        io.commit_staging(opts.out, manifest)
        if opts.names_key is not None:
            io.write_json(pre.names, opts.names_key)
    except OSError as exc:
        raise io.output_error(opts.out, exc) from None
    return RunResult(
        opts.out,
        False,
        0.0,
        documents,
        tables,
        corpus.extracted,
        corpus.cached,
        meta,
        stages,
    )


def same_meeting_copies(documents: pd.DataFrame, copies: Mapping[str, SetAside]) -> pd.DataFrame:
    """The documents table with each minutes file whose meeting was read from another file
    marked so: status ``same_meeting`` when all its meetings were, a note when one was."""
    if not copies:
        return documents
    out = documents.copy()
    for i, doc_id in zip(out.index, out["doc_id"].astype(str), strict=True):
        found = copies.get(doc_id)
        if found is None:
            continue
        before = str(out.at[i, "message"] or "")
        out.at[i, "message"] = "; ".join(m for m in (found.message, before) if m)
        if found.whole:
            out.at[i, "status"] = "same_meeting"
    return out


def _private_paths(documents: pd.DataFrame, names: dict[str, str]) -> dict[str, str]:
    """``{real path: output path}``: file and folder names that name someone, made neutral
    (:mod:`pipeline.core.sourcenames`); the names the run hid say which words are names."""
    from pipeline.core import sourcenames
    from pipeline.pseudonymise.names import ner_people

    sources = {
        str(s): str(d) for s, d in zip(documents["source"], documents["doc_id"], strict=True)
    }
    parts = sourcenames.path_parts(sources)
    found = dict(zip(parts, ner_people([sourcenames.readable(p) for p in parts]), strict=True))
    known = sourcenames.name_words(names.values())
    return sourcenames.neutral_paths(sources, known, found)


def _renamed(table: pd.DataFrame, paths: dict[str, str]) -> pd.DataFrame:
    """``table`` with every real path (a ``source`` cell, or inside any other text, such as an
    error message naming the file) written as its output path."""
    import pandas as pd

    changed = {k: v for k, v in paths.items() if k != v}
    if not changed or not len(table):
        return table
    table = table.copy()
    # Longest first, so that a path is never replaced by a shorter one inside it.
    pattern = re.compile("|".join(re.escape(k) for k in sorted(changed, key=len, reverse=True)))
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = table[column].map(
                lambda v: pattern.sub(lambda m: changed[m.group(0)], v) if isinstance(v, str) else v
            )
    return table


def _private_corpus_name(corpus: Path, names: dict[str, str]) -> str:
    """The corpus folder's name as outputs give it: "corpus" if it names someone."""
    from pipeline.core import sourcenames

    name = corpus.resolve().name
    known = sourcenames.name_words(names.values())
    return "corpus" if sourcenames.holds_name(name, known) else name


def text_accounting(accounting: pd.DataFrame) -> pd.DataFrame:
    """Where every word of every document ended, without the unplaced text's own words (which
    name people) so that the table can be shared like the others."""
    from pipeline.core import schemas

    if accounting.empty:
        return schemas.empty("text_accounting")
    return schemas.conform(accounting.drop(columns=["sample"], errors="ignore"), "text_accounting")


def rebuild_report(out: Path) -> Path:
    """Charts and HTML again from the tables already in ``out`` (after `involve validate`).

    The manifest's hashes of the rewritten files are updated, so the analysis stays up to date.
    """
    with io.output_folder(out, "report", create=False):
        written = _rebuild_report(out)
        io.record_outputs(out, written)
    return out / outputs.REPORT_INDEX


def _rebuild_report(out: Path) -> list[str]:
    manifest = outputs.read_manifest(out) or outputs.Manifest.absent(out)
    later = config.LATER_TABLES
    tables = {name: io.read_table(out, name) for name in TABLE_ORDER if name not in later}
    for name in later:
        table = io.read_table_if_present(out, name)
        if table is not None:
            tables[name] = table
    codebook = io.load_codebook(manifest.codebook_path() or config.DEFAULT_CODEBOOK)
    return write_report(tables, outputs.report_settings(manifest, codebook, out), out)


@dataclass
class ValidationRun:
    """What `involve validate` wrote: the agreement as text, and the folder it went to."""

    text: str
    folder: Path


def validate_analysis(
    out: Path, gold: Path, *, gold_user: str | None = None, levels_gold: Path | None = None
) -> ValidationRun:
    """Agreement of the analysis in ``out`` with the human coding in ``gold``, written to
    ``out/validation`` (tables, confusion matrices, summary.json, report.txt).

    The codebook the analysis recorded maps a .qdpx's theme codes, named by label, to theme
    ids; an analysis that recorded none (or whose codebook file is gone) is validated without.
    Level agreement is added when ``levels_gold`` is given or found (:func:`_levels_gold`).
    """
    with io.output_folder(out, "validate", create=False):
        return _validate_analysis(out, gold, gold_user, levels_gold)


def _validate_analysis(
    out: Path, gold: Path, gold_user: str | None, levels_gold: Path | None
) -> ValidationRun:
    from pipeline.evaluate.gold import load_gold
    from pipeline.evaluate.validate import validate

    segments = io.read_table(out, "segments")
    manifest = outputs.read_manifest(out)
    cb_path = manifest.codebook_path() if manifest else None
    codebook = io.load_codebook(cb_path) if cb_path is not None and cb_path.exists() else None
    gold_df = load_gold(gold, user=gold_user, codebook=codebook)
    result = validate(segments, gold_df, str(gold), codebook=codebook)
    vdir = out / outputs.VALIDATION
    io.write_table(result.summary, "summary", vdir)
    io.write_table(result.per_class, "per_class", vdir)
    io.write_table(result.disagreements, "disagreements", vdir)
    io.write_table(result.unmatched, "unmatched", vdir)
    for name, matrix in result.confusion.items():
        io.write_text(matrix.to_csv(), vdir / f"confusion_{name}.csv")
    summary: dict[str, Any] = {
        "gold": str(gold),
        "n_units": int(result.matched),
        "rows": result.summary.to_dict("records"),
    }
    text = result.to_text()
    levels_path = _levels_gold(gold, levels_gold)
    if levels_path is not None:
        text += "\n" + _validate_levels(out, segments, levels_path, summary)
    io.write_json(summary, out / outputs.VALIDATION_SUMMARY)
    io.write_text(text, vdir / "report.txt")
    return ValidationRun(text, vdir)


def _levels_gold(gold: Path, given: Path | None) -> Path | None:
    """The hand-coded levels: ``given``, else GOLD-levels.csv beside the gold file, else the
    gold file itself when it has level and item_no columns; None when there are none."""
    if given is not None:
        return given
    sibling = gold.with_name(f"{gold.stem}-levels{gold.suffix}")
    if sibling.exists():
        return sibling
    if gold.suffix.lower() in {".csv", ".tsv"}:
        head = {c.strip().lower() for c in io.read_gold(gold).columns}
        return gold if {"level", "item_no"} <= head else None
    return None


def _validate_levels(out: Path, segments: pd.DataFrame, path: Path, summary: dict[str, Any]) -> str:
    """Level agreement written beside the rest (its figures into ``summary``); its text."""
    from pipeline.evaluate.validate import validate_levels

    levels = io.read_table_if_present(out, "item_levels")
    if levels is None:
        return f"No item_levels table in {out}: analyse again to compare levels.\n"
    result = validate_levels(levels, segments, io.read_gold(path), str(path))
    vdir = out / outputs.VALIDATION
    io.write_table(result.disagreements, "level_disagreements", vdir)
    io.write_text(result.confusion.to_csv(), vdir / "confusion_level.csv")
    summary["levels"] = {"gold": str(path), **result.summary}
    return result.to_text()


def report_years(out: Path) -> list[int]:
    """The years with meetings in an analysis, each of which can have an annual report."""
    from pipeline.report import annual

    names = ("meetings", "meeting_measures")
    return annual.meeting_years({name: io.read_table_if_present(out, name) for name in names})


def rebuild_annual_report(out: Path, year: int) -> tuple[Path, Path]:
    """``report/annual-YEAR.html`` and ``.pdf`` from the tables already in ``out``.

    Tables a later version added may be missing from an older analysis: the report says what was
    not measured rather than refusing. The codebook is named as the manifest recorded it, since
    the file may have been edited since the analysis ran.
    """
    with io.output_folder(out, "report", create=False):
        return _rebuild_annual_report(out, year)


def _rebuild_annual_report(out: Path, year: int) -> tuple[Path, Path]:
    import matplotlib

    matplotlib.use("Agg")
    from pipeline.report import annual, pdf

    manifest = outputs.read_manifest(out) or outputs.Manifest.absent(out)
    tables = {name: io.read_table_if_present(out, name) for name in TABLE_ORDER}
    if tables["meetings"] is None:
        io.read_table(out, "meetings")  # raises the usual "run involve analyse first" message
    # The codebook as recorded names it; its file, if still there, gives its source.
    codebook_path = manifest.codebook_path() or config.DEFAULT_CODEBOOK
    codebook = io.load_codebook(codebook_path) if codebook_path.exists() else None
    report = annual.build_annual_report(
        tables, outputs.report_settings(manifest, codebook, out), year
    )
    for name, fig in report.figures.items():
        io.save_figure(fig, out / outputs.chart_file(name, outputs.annual_charts(year)))
    html_path = out / outputs.annual_report_file(year)
    pdf_path = html_path.with_suffix(".pdf")
    io.write_text(report.html, html_path)
    io.write_bytes(pdf.render_pdf(report.html, html_path.parent.resolve().as_uri() + "/"), pdf_path)
    return html_path, pdf_path


def run_facts(board: Board | None, own_codebook: bool) -> dict[str, Any]:
    """What the reports' adequacy box says about the inputs (recorded in the manifest, so a
    rebuilt report says the same): the board's own roster and codebook, and its lay seats."""
    return {
        "roster_used": board is not None and bool(board.members),
        "own_codebook": own_codebook,
        "lay_seats": board.lay_seats if board else None,
    }


def write_report(tables: dict[str, pd.DataFrame], meta: dict[str, Any], out: Path) -> list[str]:
    """The charts and the HTML report in ``out``; the files written, relative to it."""
    import matplotlib

    matplotlib.use("Agg")
    from pipeline.report import build_report

    report = build_report(tables, meta)
    written = []
    for name, fig in report.figures.items():
        io.save_figure(fig, out / outputs.chart_file(name))
        written += [outputs.chart_file(name), outputs.chart_file(name, suffix="svg")]
    io.write_text(report.html, out / outputs.REPORT_INDEX)
    return [*written, outputs.REPORT_INDEX]


def _code_with_examples(
    units: pd.DataFrame,
    codebook: Codebook,
    embedder: embed.Embedder | None,
    opts: RunOptions,
    progress: Progress,
    staging: Path | None = None,
) -> pd.DataFrame:
    """Themes learned from ``--examples``; cross-validated agreement noted and written (into
    ``staging``, the run's staging folder, or else the output folder)."""
    from pipeline.classify.themes.examples import code_with_examples
    from pipeline.core import embed
    from pipeline.core.errors import GoldFileError
    from pipeline.evaluate.gold import load_gold

    assert opts.examples is not None
    if embedder is None:
        raise GoldFileError(
            f"{opts.examples}: learning from examples needs the sentence model; {embed.HINT}"
        )
    examples = load_gold(opts.examples, codebook=codebook)
    result = code_with_examples(units, codebook, embedder, examples, str(opts.examples))
    progress.note(result.to_text())
    io.write_json(result.cv, (staging or opts.out) / outputs.EXAMPLES_CV)
    return result.units


def _embedder(wanted: bool, *, refresh: bool = False) -> embed.CachedEmbedder | None:
    """The sentence model, its vectors cached; ``refresh`` (--force) recomputes every one."""
    from pipeline.core import embed

    if wanted and distribute.active():
        # On a cluster the workers embed; this process never loads the model.
        model: embed.Embedder | None = embed.Distributed() if embed.available() else None
    else:
        model = embed.load() if wanted else None
    cache = io.Cache(config.cache_dir(), write_only=refresh)
    return embed.CachedEmbedder(model, cache) if model else None


# ---------------------------------------------------------------------------- extraction
def _extract_all(
    hashed: Sequence[tuple[io.CorpusFile, str]],
    opts: IngestOptions,
    progress: Progress,
    *,
    refresh: bool = False,
    described: dict[str, Description] | None = None,
) -> tuple[list[tuple[RawFile, Extracted | None]], int, int]:
    """Extracted text of every readable file: from the cache, else read (in parallel) and cached.

    ``refresh`` reads every file again and replaces what the cache holds. ``described``
    receives the `describe` of every file read here (the workers make it: see _extract_one).
    """
    cache = io.Cache(config.cache_dir())
    ocr_on = opts.use_ocr and ocr_tool.available()
    results: dict[str, Extracted | None] = {}
    todo: list[tuple[io.CorpusFile, str, str]] = []
    for f, sha in hashed:
        if f.problem:
            results[f.rel] = None
            continue
        suffix = f.path.suffix.lower()
        # A tool installed since the last run (tesseract, antiword) must get its files read again.
        tool = f":{legacy.available()}" if config.DOCUMENT_SUFFIXES.get(suffix) == "doc" else ""
        key = hashlib.sha256(
            f"{sha}:{EXTRACTOR_VERSION}:{ocr_on}:{suffix}{tool}:{_limits_key(opts.limits)}".encode()
        ).hexdigest()
        hit = None if refresh else Extracted.from_cache(cache.get("extract", key))
        if hit is not None:
            results[f.rel] = hit
        else:
            todo.append((f, sha, key))
    progress.stage(
        f"Extracting text ({len(todo)} to read, {len(results)} cached or skipped)", len(todo)
    )
    if opts.executor == "dask" and todo:
        reading = _run_extract_dask(todo, ocr_on, opts, cache)
    else:
        reading = _run_extract(todo, ocr_on, opts.workers, cache.root, opts.limits)
    for rel, result, description in reading:
        results[rel] = result
        if described is not None:
            described[rel] = description
        progress.advance()
    raw = [(RawFile(f.rel, sha, f.size, f.problem), results[f.rel]) for f, sha in hashed]
    return raw, len(todo), len(hashed) - len(todo)


def _limits_key(limits: config.Limits) -> str:
    """The limits in a cache key: a file refused under one limit is read again under another.
    The default limits add nothing, so raising none keeps the text cached before them."""
    return "" if limits == config.DEFAULT_LIMITS else json.dumps(dataclasses.asdict(limits))


class _FileTimeout(BaseException):
    """Reading one file took longer than --file-timeout. A BaseException, so that the readers'
    own `except Exception` (a bad file becomes a message) does not swallow it."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _FileTimeout in this (main) thread after ``seconds`` of wall time.

    A signal is only handled between Python steps, so a reader stuck inside one C call (pdfium,
    lxml) is not stopped by it: pool workers also get a CPU-time limit (_limit_cpu), past which
    the kernel ends the worker and the file is marked as the one that killed it.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise _FileTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _read_limited(
    rel: str, data: bytes, use_ocr: bool, limits: config.Limits
) -> tuple[Extracted, Description]:
    """One file's text and description, a file past --file-timeout an error row."""
    try:
        with _time_limit(limits.file_seconds):
            result = extract(rel, data, use_ocr, limits)
    except _FileTimeout:
        result = Extracted(
            "none",
            [],
            "error",
            f"{TIMED_OUT}{limits.file_seconds:g} s, the limit for one file; check the file, or "
            "raise --file-timeout if it is genuine (a long scan, say)",
        )
    return result, describe(rel, result)


def _cacheable(result: Extracted) -> bool:
    """A corrupt or protected file stays so for the same bytes; only crashes are retried."""
    return not result.message.startswith((UNEXPECTED, TIMED_OUT))


def _extract_one(
    path: Path,
    rel: str,
    key: str,
    use_ocr: bool,
    cache_root: Path,
    limits: config.Limits = config.DEFAULT_LIMITS,
    in_worker: bool = False,
) -> tuple[str, Extracted, Description]:
    """Read one file, cache its text and describe it (its row of the documents table: type,
    date, words); run in a worker, so that caching and describing are parallel too, and the
    main process, which waits for the last file, has less to do after it."""
    if in_worker:
        _limit_cpu(limits.file_seconds)
    result, description = _read_limited(rel, io.read_bytes(path), use_ocr, limits)
    if _cacheable(result):
        io.Cache(cache_root).put("extract", key, result.to_json())
    return rel, result, description


def _extract_on_worker(
    rel: str, data: bytes, use_ocr: bool, limits: config.Limits, own_worker: bool
) -> tuple[str, Extracted, Description]:
    """`_extract_one` as a Dask task: the bytes travel with it, so a worker on another machine
    needs no view of the corpus, and the text comes back to be cached by the caller, whose
    cache it is. Dask runs tasks in a thread, where no alarm reaches (`_time_limit`): the
    CPU-time backstop is what limits a file, and only on a worker this run started (one thread,
    so the process's CPU is the file's); a shared cluster's workers are left as they are."""
    config.set_offline_environment()
    if own_worker:
        _limit_cpu(limits.file_seconds)
    result, description = _read_limited(rel, data, use_ocr, limits)
    return rel, result, description


# Files sent to the cluster ahead of those finished: enough to keep every worker busy, few enough
# that a large corpus is never held in memory at once.
_IN_FLIGHT_PER_WORKER = 3


def _run_extract_dask(
    todo: list[tuple[io.CorpusFile, str, str]],
    use_ocr: bool,
    opts: IngestOptions,
    cache: io.Cache,
) -> Iterator[tuple[str, Extracted, Description]]:
    """`_run_extract` on Dask (--executor dask): each file one task, results as they finish.

    A file whose worker dies (Dask retries it on others first) gets the same error row as one
    that kills a pool worker, and the run goes on.
    """
    from pipeline.run import cluster

    ordered = sorted(todo, key=lambda t: -t[0].size)
    keys = {f.rel: key for f, _, key in ordered}
    with cluster.session(opts.scheduler, opts.workers) as where:
        from distributed import as_completed as dask_completed

        threads = where.client.scheduler_info().get("workers", {}).values()
        workers = max(1, sum(int(w.get("nthreads", 1)) for w in threads))
        waiting = iter(ordered)
        running = dask_completed()
        names: dict[object, str] = {}

        def send(n: int) -> None:
            # range first: zip would otherwise take one file too many and drop it.
            for _, (f, _, _) in zip(range(n), waiting, strict=False):
                fut = where.client.submit(
                    _extract_on_worker,
                    f.rel,
                    io.read_bytes(f.path),
                    use_ocr,
                    opts.limits,
                    where.own,
                    pure=False,
                )
                names[fut.key] = f.rel
                running.add(fut)

        send(workers * _IN_FLIGHT_PER_WORKER)
        _load_table_modules()
        for fut in running:
            rel = names.pop(fut.key)
            try:
                done = fut.result()
            except Exception as exc:
                if not cluster.killed(exc):
                    raise
                died = Extracted("none", [], "error", DIED)
                done = (rel, died, describe(rel, died))
            if _cacheable(done[1]):
                cache.put("extract", keys[rel], done[1].to_json())
            yield done
            send(1)


TIMED_OUT = "reading it took longer than "
DIED = (
    "the process reading it died (out of memory, or killed) and it was not read; the run went "
    "on without it. Check the file, or split or re-export it"
)


def _limit_cpu(seconds: float) -> None:
    """A backstop for a reader stuck in C code, which no signal handler reaches: past this
    much more CPU time the kernel sends SIGXCPU, whose default action ends the worker."""
    if seconds <= 0:
        return
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(spent + 2 * seconds) + 1
    if hard == resource.RLIM_INFINITY or soft < hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _worker_init() -> None:
    """A worker ends when the process that started it does (Linux: even after a kill -9), rather
    than read on for nobody; and Ctrl-C is for the main process to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _run_extract(
    todo: list[tuple[io.CorpusFile, str, str]],
    use_ocr: bool,
    workers: int,
    cache_root: Path,
    limits: config.Limits = config.DEFAULT_LIMITS,
) -> Iterator[tuple[str, Extracted, Description]]:
    """Results in completion order, so the progress bar moves as each file finishes.

    Where processes start by forking (Linux), a worker starts with this process's modules already
    imported and costs milliseconds; one file, or one worker, is read here without a pool.
    A worker that dies (the out-of-memory killer, a crash in C) breaks the whole pool: the files
    it left unread are then read each in a fresh pool of its own, so that the one that kills its
    worker is named in the documents table and the run goes on.
    """
    if workers <= 1 or len(todo) <= 1:
        for f, _, key in todo:
            yield _extract_one(f.path, f.rel, key, use_ocr, cache_root, limits)
        return
    from concurrent.futures.process import BrokenProcessPool

    # Largest first, so a long scanned file does not start last and hold up the run.
    ordered = sorted(todo, key=lambda t: -t[0].size)
    unread = {f.rel: (f, key) for f, _, key in ordered}
    try:
        with ProcessPoolExecutor(
            max_workers=min(workers, len(todo)), initializer=_worker_init
        ) as pool:
            futures = [
                pool.submit(_extract_one, f.path, f.rel, key, use_ocr, cache_root, limits, True)
                for f, _, key in ordered
            ]
            _load_table_modules()
            for fut in as_completed(futures):
                done = fut.result()
                unread.pop(done[0], None)
                yield done
    except BrokenProcessPool:
        pass
    for f, key in list(unread.values()):
        try:
            with ProcessPoolExecutor(max_workers=1, initializer=_worker_init) as alone:
                args = (f.path, f.rel, key, use_ocr, cache_root, limits, True)
                done = alone.submit(_extract_one, *args).result()
        except BrokenProcessPool:
            died = Extracted("none", [], "error", DIED)
            done = (f.rel, died, describe(f.rel, died))
        yield done


def _load_table_modules() -> None:
    """Import what writing the tables needs, while the workers read the files.

    The workers never need it, so they are started before it is loaded; importing it here
    overlaps the tenth of a second it takes with their reading instead of delaying it. (pandas
    is not needed: `analyse` has it already, `involve ingest` writes without it.)
    """
    import pyarrow.json
    import pyarrow.parquet  # noqa: F401


# ---------------------------------------------------------------------------- manifest
def _fingerprint(
    opts: RunOptions, hashed: Sequence[tuple[io.CorpusFile, str]], codebook: Codebook
) -> str:
    from pipeline.core import embed

    board = opts.board or opts.corpus / config.BOARD_FILE
    parts = {
        "files": [(f.rel, sha, f.problem) for f, sha in hashed],
        "board": io.sha256_file(board) if board.exists() else None,
        "codebook": codebook.fingerprint,
        "cues": _cues_hash(opts.cues),
        "involvement_cues": _involvement_cues_hash(opts.involvement_cues),
        "code": textcache.package_hash(),
        "ocr": opts.use_ocr and ocr_tool.available(),
        "embeddings": embed.model_name() if opts.use_embeddings and embed.available() else None,
        # Installing BERTopic later must bring the emergent topics in on the next run.
        "topics": importlib.util.find_spec("bertopic") is not None,
        "max_file_mb": opts.max_file_mb,
        "limits": _limits_key(opts.limits),
        "examples": io.sha256_file(opts.examples) if opts.examples else None,
        "own_codebook": opts.own_codebook,
        # NER finds names no list gives: turning it on or off changes what is hidden.
        "ner": config.ner_in_use(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _cues_hash(path: Path) -> str:
    """The cue lexicon's hash, so that editing it re-runs the analysis."""
    if not path.exists():
        raise InputError(
            f"{path}: cue lexicon not found. Copy {config.DEFAULT_CUES} and edit it, or leave "
            "out --cues to use the bundled one."
        )
    return io.sha256_file(path)


def _involvement_cues_hash(path: Path) -> str:
    """The involvement cue lexicon's hash, so that editing it re-runs the analysis."""
    if not path.exists():
        raise InputError(
            f"{path}: involvement cue lexicon not found. Copy {config.DEFAULT_INVOLVEMENT_CUES} "
            "and edit it, or leave out --involvement-cues to use the bundled one."
        )
    return io.sha256_file(path)


def _up_to_date(fingerprint: str, opts: RunOptions) -> bool:
    """Same inputs and options, and every output the manifest lists there with its hash: a
    table replaced by hand or by another run makes the folder out of date."""
    if opts.names_key is not None:
        return False
    # A damaged manifest is no record of a run: the analysis runs again and rewrites it.
    manifest = outputs.read_manifest(opts.out, strict=False)
    if manifest is None or manifest.outputs is None:
        return False
    return (
        manifest.fingerprint == fingerprint
        and all(rel in manifest.outputs for rel in outputs.analysis_files(TABLE_ORDER))
        and io.outputs_intact(opts.out)
    )


def _manifest(
    opts: RunOptions,
    hashed: Sequence[tuple[io.CorpusFile, str]],
    codebook: Codebook,
    fingerprint: str,
    tables: dict[str, pd.DataFrame],
    board_name: str | None,
) -> dict[str, Any]:
    from pipeline.core import embed

    packages = [
        "pandas",
        "pyarrow",
        "duckdb",
        "spacy",
        "pypdfium2",
        "python-docx",
        "scikit-learn",
        "matplotlib",
        "sentence-transformers",
        "torch",
    ]
    return {
        "involve_version": __version__,
        "created": dt.datetime.now().isoformat(timespec="seconds"),
        "fingerprint": fingerprint,
        "corpus_name": opts.corpus.resolve().name,
        "board_name": board_name,
        "board_file": io.portable_path(opts.board) if opts.board else None,
        "inputs": [{"source": f.rel, "sha256": sha, "bytes": f.size} for f, sha in hashed],
        "cues": {"path": io.portable_path(opts.cues), "sha256": _cues_hash(opts.cues)},
        "involvement_cues": {
            "path": io.portable_path(opts.involvement_cues),
            "sha256": _involvement_cues_hash(opts.involvement_cues),
        },
        "codebook": {
            "path": io.portable_path(opts.codebook),
            "name": codebook.name,
            "version": codebook.version,
            "fingerprint": codebook.fingerprint,
        },
        "config": {
            "use_ocr": opts.use_ocr,
            "max_file_mb": opts.max_file_mb,
            "limits": dataclasses.asdict(opts.limits),
            "examples": io.portable_path(opts.examples) if opts.examples else None,
            "workers": opts.workers,
            "seed": config.SEED,
            "extractor_version": EXTRACTOR_VERSION,
            "tesseract": ocr_tool.version(),
            "embeddings": (
                embed.model_name() if opts.use_embeddings and embed.available() else None
            ),
        },
        "packages": {p: _safe_version(p) for p in packages},
        "rows": {name: len(df) for name, df in tables.items()},
    }


def _safe_version(package: str) -> str:
    try:
        return pkg_version(package)
    except Exception:
        return "not installed"


def _check_names_key(opts: RunOptions) -> None:
    """The key linking pseudonyms to names must never land among shareable outputs."""
    if opts.names_key is None:
        return
    key = opts.names_key.resolve()
    for forbidden in (opts.out.resolve(), (Path.cwd() / "outputs").resolve()):
        if key.is_relative_to(forbidden):
            raise InputError(
                f"{opts.names_key}: the names key links pseudonyms to real names, so "
                f"it may not be written under {forbidden}; choose a private folder."
            )
