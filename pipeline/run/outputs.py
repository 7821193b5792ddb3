"""The output folder of an analysis: where every output goes, and the manifest that records them.

Every command that writes into or reads from an output folder (`involve analyse`, `report`,
`validate`, `export qdpx`, `ingest`) names its files through this module, so the layout is
written down once::

    OUT/manifest.json          what the run read, with what options, every output's hash, and
                               what each stage cost (wall, CPU, peak RSS)
    OUT/tables/NAME.parquet    each table (and NAME.csv beside it)
    OUT/involvement.duckdb     every table in one file
    OUT/charts/NAME.png        the report's charts (and .svg); charts/annual-YEAR/ for a year's
    OUT/report/index.html      the report (and annual-YEAR.html, .pdf)
    OUT/validation/            `involve validate`'s agreement figures
    OUT/export/                `involve export qdpx`'s REFI-QDA project

A study (`involve study`) writes one such folder per board under OUT/boards/NAME/, and beside them
its comparison: tables/study_*.parquet (and .csv), charts/study_boards.png, study.duckdb (every
board's tables, with a board column) and report/index.html.

The manifest has one reader, :func:`read_manifest`, which gives a :class:`Manifest`: a manifest
written by an older version lacks keys and reads with those left empty; one that is not a manifest
at all (edited by hand, truncated) is an error naming the file and the fix, never a KeyError deep
in a command. :func:`report_settings` builds the dictionary the report templates are given, from
the manifest, for the report written by `analyse` and every report rebuilt later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from pipeline import __version__
from pipeline.core import config
from pipeline.core.errors import InputError
from pipeline.run.stagetimes import StageTiming

if TYPE_CHECKING:
    from pipeline.inputs.codebook import Codebook

# ---------------------------------------------------------------------------- the layout
MANIFEST: Final = "manifest.json"
TABLES: Final = "tables"
CHARTS: Final = "charts"
REPORT: Final = "report"
VALIDATION: Final = "validation"
EXPORT: Final = "export"
DUCKDB: Final = "involvement.duckdb"
REPORT_INDEX: Final = f"{REPORT}/index.html"
VALIDATION_SUMMARY: Final = f"{VALIDATION}/summary.json"
# Cross-validated agreement of the coder trained on --examples, written by the run that had them.
EXAMPLES_CV: Final = f"{VALIDATION}/examples_cv.json"

# A run writes everything into STAGING inside the output folder, then renames it to COMMIT (one
# atomic rename: the moment the new run exists), then moves its files into place and deletes it
# (pipeline.core.io.commit_staging). LOCK holds the folder for one command; REMOVALS, inside a
# staged run, lists the previous run's files that this one replaces with nothing.
STAGING: Final = ".involve-staging"
COMMIT: Final = ".involve-commit"
LOCK: Final = ".involve-lock"
REMOVALS: Final = ".involve-removals.json"


# A study's own files, beside the board folders (`involve study`).
STUDY_BOARDS: Final = "boards"
STUDY_DUCKDB: Final = "study.duckdb"
STUDY_TABLES: Final = ("study_board_year", "study_boards")
STUDY_CHART: Final = "study_boards"


def study_board_dir(folder: str) -> str:
    """A board's analysis inside a study's output folder."""
    return f"{STUDY_BOARDS}/{folder}"


def table_file(name: str, suffix: str = "parquet") -> str:
    """A table's file, relative to the output folder."""
    return f"{TABLES}/{name}.{suffix}"


def chart_file(name: str, folder: str = "", suffix: str = "png") -> str:
    """A chart's file, relative to the output folder (``folder``: an annual report's own)."""
    return f"{CHARTS}/{folder + '/' if folder else ''}{name}.{suffix}"


def annual_charts(year: int) -> str:
    """A year's charts' folder in charts/, apart from the whole-period ones they would replace."""
    return f"annual-{year}"


def annual_report_file(year: int) -> str:
    """A year's annual report (HTML; the PDF has the same name with .pdf)."""
    return f"{REPORT}/annual-{year}.html"


def export_files(corpus: str) -> tuple[str, str]:
    """The REFI-QDA project and its codebook alone, relative to the output folder."""
    return f"{EXPORT}/{corpus}.qdpx", f"{EXPORT}/{corpus}.qdc"


def analysis_files(tables: tuple[str, ...]) -> list[str]:
    """What a complete analysis holds, relative to the output folder: without any of them in
    the manifest a run is not up to date."""
    return [*(table_file(t) for t in tables), DUCKDB, REPORT_INDEX]


# ---------------------------------------------------------------------------- the manifest
class ManifestError(InputError):
    """A manifest.json that is not one involve wrote (or was damaged since)."""


@dataclass(frozen=True)
class CodebookRecord:
    """The codebook a run used, as the manifest recorded it (the file may have changed since)."""

    path: str
    name: str | None = None
    version: str | int | None = None
    fingerprint: str | None = None


@dataclass(frozen=True)
class Manifest:
    """What `involve analyse` recorded about a run; ``data`` is the whole file as written.

    Keys a version wrote before they existed are empty here (None, or an empty mapping), so a
    caller says what an older analysis lacks rather than failing on it.
    """

    path: Path
    data: dict[str, Any]
    involve_version: str | None = None
    fingerprint: str | None = None
    corpus_name: str | None = None
    board_name: str | None = None
    codebook: CodebookRecord | None = None
    topics_note: str = ""
    # What the report's adequacy box says about the inputs (runner.run_facts), inferred for
    # an analysis made before they were recorded: see recorded_facts.
    facts: dict[str, Any] = field(default_factory=dict)
    # Every output's sha256, by path relative to the folder; None when none are listed.
    outputs: dict[str, str] | None = None
    # What each stage of the run cost; empty for a run made before they were recorded.
    stages: tuple[StageTiming, ...] = ()

    @classmethod
    def absent(cls, out: Path) -> Manifest:
        """What a folder without a manifest is taken to have recorded: nothing."""
        return cls(path=out / MANIFEST, data={})

    def codebook_path(self) -> Path | None:
        """The recorded codebook's file as it can be opened now (pipeline.core.io.recorded_path)."""
        from pipeline.core import io

        return io.recorded_path(self.codebook.path) if self.codebook else None


def read_manifest(out: Path, *, strict: bool = True) -> Manifest | None:
    """The manifest of the output folder ``out``; None when it has none.

    A manifest that cannot be read as one raises :class:`ManifestError` naming the file and the
    fix, or with ``strict=False`` is taken for no manifest (where a missing one and a damaged
    one mean the same: the folder is not up to date, or holds no earlier run to replace).
    """
    from pipeline.core import io

    path = out / MANIFEST
    try:
        data = io.read_json(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        if not strict:
            return None
        problem = "not UTF-8 JSON" if isinstance(exc, ValueError) else exc.strerror or str(exc)
        raise _damaged(path, problem) from None
    try:
        return parse_manifest(data, path)
    except ManifestError:
        if not strict:
            return None
        raise


def parse_manifest(data: Any, path: Path) -> Manifest:
    """A manifest from its JSON (``path`` names the file in errors)."""
    if not isinstance(data, dict):
        raise _damaged(path, f"it holds a JSON {type(data).__name__}, not an object")
    codebook = data.get("codebook")
    if codebook is not None:
        if not isinstance(codebook, dict) or not isinstance(codebook.get("path", ""), str):
            raise _damaged(path, "its 'codebook' is not an object with a 'path'")
        codebook = CodebookRecord(
            path=codebook.get("path", ""),
            name=_text(codebook.get("name")),
            version=codebook.get("version"),
            fingerprint=_text(codebook.get("fingerprint")),
        )
    outputs = data.get("outputs")
    if outputs is not None and not (
        isinstance(outputs, dict) and all(isinstance(v, str) for v in outputs.values())
    ):
        raise _damaged(path, "its 'outputs' is not an object of file hashes")
    topics = data.get("topics")
    if topics is not None and not isinstance(topics, dict):
        raise _damaged(path, "its 'topics' is not an object")
    if data.get("facts") is not None and not isinstance(data["facts"], dict):
        raise _damaged(path, "its 'facts' is not an object")
    return Manifest(
        path=path,
        data=data,
        involve_version=_text(data.get("involve_version")),
        fingerprint=_text(data.get("fingerprint")),
        corpus_name=_text(data.get("corpus_name")),
        board_name=_text(data.get("board_name")),
        codebook=codebook,
        topics_note=str((topics or {}).get("note") or ""),
        facts=recorded_facts(data),
        outputs={str(k): v for k, v in outputs.items()} if outputs is not None else None,
        stages=_stages(data.get("stages")),
    )


def _stages(recorded: Any) -> tuple[StageTiming, ...]:
    """The recorded stage timings. Nothing reads them but people, so a damaged entry is left
    out rather than making the whole analysis unreadable."""
    if not isinstance(recorded, list):
        return ()
    timings = (StageTiming.from_json(entry) for entry in recorded)
    return tuple(t for t in timings if t is not None)


def _damaged(path: Path, problem: str) -> ManifestError:
    return ManifestError(
        f"{path}: not a manifest involve can read ({problem}). It records an analysis and is "
        f"rewritten by one: run `involve analyse CORPUS --out {path.parent}` again (or, if the "
        "folder is not an analysis, choose another)."
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def recorded_facts(data: dict[str, Any]) -> dict[str, Any]:
    """runner.run_facts as the analysis recorded them; for an analysis made before they were
    recorded, the demo's codebook on another corpus is taken for what it was, a stand-in."""
    facts = data.get("facts")
    if isinstance(facts, dict):
        return dict(facts)
    codebook = data.get("codebook")
    path = codebook.get("path") if isinstance(codebook, dict) else None
    stand_in = bool(path) and Path(str(path)).resolve() == config.DEFAULT_CODEBOOK.resolve()
    corpus = data.get("corpus")  # older versions recorded the corpus's path
    demo = bool(corpus) and Path(str(corpus)).resolve() == config.DEMO_CORPUS.resolve()
    return {"own_codebook": not stand_in or demo} if data else {}


# ---------------------------------------------------------------------------- report settings
def report_settings(
    manifest: Manifest,
    codebook: Codebook | None,
    out: Path,
    *,
    examples_from: Path | None = None,
) -> dict[str, Any]:
    """What the reports (index.html and each annual report) say about the run.

    The one place this dictionary is built: from the manifest (board, corpus, codebook as
    recorded, topics note, run facts), the codebook file when it can still be read (its source,
    involvement theme and themes), and the agreement figures in ``out/validation``. The
    examples' cross-validation is read from ``examples_from`` (the staging folder during a run,
    which has not been moved into ``out`` yet), else from ``out``.
    """
    recorded = manifest.codebook
    return {
        "board_name": manifest.board_name,
        "corpus": manifest.corpus_name or out.name,
        "codebook_name": recorded.name if recorded else (codebook.name if codebook else None),
        "codebook_version": (
            recorded.version if recorded else (codebook.version if codebook else None)
        ),
        "codebook_source": codebook.source if codebook else None,
        "codebook_involvement": involvement_label(codebook) if codebook else None,
        "generated": dt.datetime.now().isoformat(timespec="seconds"),
        "version": __version__,
        "codebook_themes": [
            {
                "id": t.id,
                "label": t.label,
                "priority_rank": t.priority_rank,
                "survey_share": t.survey_share,
                "definition": t.definition,
            }
            for t in (codebook.themes if codebook else [])
        ],
        "validation": _json_if_present(out / VALIDATION_SUMMARY),
        "examples_cv": _json_if_present((examples_from or out) / EXAMPLES_CV),
        "topics_note": manifest.topics_note,
        **manifest.facts,
    }


def involvement_label(codebook: Codebook) -> str | None:
    """The label of the theme the board's own involvement arrangements are coded to, if any."""
    theme = codebook.by_id.get(codebook.involvement_theme or "")
    return theme.label if theme else None


def _json_if_present(path: Path) -> Any:
    from pipeline.core import io

    return io.read_json(path) if path.exists() else None
