"""The only module that reads or writes files.

Stages are pure functions of tables; everything that touches the disk goes through here, so that
writes are atomic (a crashed run never leaves half a table) and errors name the file and the fix.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import hashlib
import importlib.util
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from pipeline.core import config
from pipeline.core.errors import (
    BoardFileError,
    CodebookError,
    GoldFileError,
    InputError,
    OutputError,
)
from pipeline.inputs.board import Board, parse_board
from pipeline.run import outputs

# pandas (and the codebook module, which uses it) take a third of a second to import: they are
# imported where used, so that `involve ingest` starts reading files without waiting for them.
if TYPE_CHECKING:
    import pandas as pd

    from pipeline.inputs.codebook import Codebook


# --------------------------------------------------------------------------- corpus files
@dataclass(frozen=True)
class CorpusFile:
    """A file found in a corpus; ``problem`` says why it will not be read, if it won't."""

    rel: str
    path: Path
    size: int
    problem: str | None = None


def list_corpus(corpus: Path, max_mb: float = config.MAX_FILE_MB) -> list[CorpusFile]:
    """Every file under ``corpus`` in a stable order, with the reason it will be skipped, if any.

    Hidden files, ``board.yaml`` and ``codebook.yaml`` are left out: they are not documents.
    Symbolic links that lead outside the corpus are listed but not followed, so a corpus can
    never pull in other files.
    """
    if not corpus.exists():
        raise InputError(
            f"{corpus}: no such folder. Give the folder that holds the board's documents."
        )
    if not corpus.is_dir():
        raise InputError(f"{corpus}: is a file, not a folder. Give the folder that holds it.")
    root = corpus.resolve()
    found: list[CorpusFile] = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        if outputs.MANIFEST in filenames and is_analysis(Path(dirpath)):
            # An analysis's own outputs (its report is HTML, its tables CSV) are never documents.
            dirnames[:] = []
            rel = (Path(dirpath) / outputs.MANIFEST).relative_to(corpus).as_posix()
            found.append(
                CorpusFile(
                    rel,
                    Path(dirpath) / outputs.MANIFEST,
                    0,
                    f"the folder '{Path(rel).parent.as_posix()}' holds an involve analysis "
                    "(its manifest.json), so nothing in it is read as a document; keep outputs "
                    "outside the corpus folder.",
                )
            )
            continue
        for name in sorted(filenames):
            if name.startswith(".") or name in (config.BOARD_FILE, config.CODEBOOK_FILE):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(corpus).as_posix()
            found.append(_describe(path, rel, root, max_mb))
    return sorted(found, key=lambda f: f.rel)


def is_analysis(folder: Path) -> bool:
    """Whether ``folder`` holds the output of `involve analyse` or `involve ingest`: a
    manifest.json written by involve (it names the version that wrote it)."""
    manifest = outputs.read_manifest(folder, strict=False)
    return manifest is not None and "involve_version" in manifest.data


def check_out_folder(corpus: Path, out: Path) -> None:
    """Refuse an output folder inside the corpus: the next run would read its report as a
    meeting and its tables as papers."""
    if out.resolve().is_relative_to(corpus.resolve()):
        raise InputError(
            f"{out}: the output folder is inside the corpus folder {corpus}, so the next run "
            "would read its own report as minutes. Choose a folder outside it, for example "
            f"--out outputs/{corpus.resolve().name}."
        )


def _shown(rel: str) -> str:
    """A path as outputs show it: a name that is not UTF-8 (os.walk gives its bytes as lone
    surrogates, which no table, JSON or terminal can hold) with those bytes as \\xNN escapes."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(rel).decode("utf-8", "backslashreplace")
    return rel


_NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def _describe(path: Path, rel: str, root: Path, max_mb: float) -> CorpusFile:
    rel = _shown(rel)
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root):
            return CorpusFile(
                rel,
                path,
                0,
                "symbolic link to a file outside the corpus; not "
                "followed. Copy the file into the corpus if it belongs there.",
            )
    try:
        st = path.stat()  # stat, never open: opening a FIFO waits for a writer forever
    except OSError:
        return CorpusFile(rel, path, 0, "the file vanished or cannot be read; check it")
    kind = _NOT_REGULAR.get(stat.S_IFMT(st.st_mode))
    if kind or not stat.S_ISREG(st.st_mode):
        return CorpusFile(
            rel,
            path,
            0,
            f"not a regular file but {kind or 'a special file'}; not read. Copy the document "
            "itself into the corpus.",
        )
    size = st.st_size
    suffix = path.suffix.lower()
    if suffix not in config.DOCUMENT_SUFFIXES:
        known = ", ".join(sorted(config.DOCUMENT_SUFFIXES))
        return CorpusFile(
            rel,
            path,
            size,
            f"'{suffix or 'no extension'}' files are not read; "
            f"supported: {known}. Convert the file or move it out of the corpus.",
        )
    if size > max_mb * 1024 * 1024:
        return CorpusFile(
            rel,
            path,
            size,
            f"file is {size / 1048576:.0f} MB, over the "
            f"{max_mb:g} MB limit; raise it with --max-file-mb if it is genuine.",
        )
    return CorpusFile(rel, path, size)


def read_bytes(path: Path) -> bytes:
    return path.read_bytes()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- YAML inputs
# A board file is a few KB and the largest codebook tens of KB; PyYAML reads about 1 MB a second.
MAX_YAML_MB = 10


def _check_yaml_file(path: Path, error: type[InputError]) -> None:
    """Refuse what is not a regular file of a sane size before reading it: a board.yaml in a
    corpus may be a link to /dev/zero (read until memory ran out: 5 GB in 14 s) or a named pipe
    (the run waited for ever)."""
    info = path.stat()  # follows a link: what counts is what would be read
    if not stat.S_ISREG(info.st_mode):
        raise error(
            f"{path}: not a regular file (a device, named pipe or socket, or a link to one), "
            "so not read; replace it with the YAML file itself."
        )
    if info.st_size > MAX_YAML_MB * 1e6:
        raise error(
            f"{path}: {info.st_size / 1e6:.0f} MB, far larger than any board or codebook file "
            f"(the limit is {MAX_YAML_MB} MB); check it is the right file."
        )


def read_yaml(path: Path, error: type[InputError] = InputError) -> Any:
    """Load YAML, turning syntax errors into a message with the file, line and column."""
    try:
        _check_yaml_file(path, error)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: file not found.") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8.") from None
    try:
        return yaml.safe_load(text)
    except RecursionError:
        raise error(
            f"{path}: nested thousands of levels deep, which no board or codebook file is; check "
            "the file (a stray run of '[' or '- ')."
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(
            f"{path}: YAML syntax error{where}: {problem}. Check indentation and "
            "that lists use '- ' or [a, b]."
        ) from None


def load_board(corpus: Path, path: Path | None = None) -> Board | None:
    """The roster at ``path`` or the corpus's ``board.yaml``; None when there is none (roles
    are then inferred). A ``path`` given but missing is an error, not a silent fallback."""
    if path is not None and not path.is_file():
        raise BoardFileError(f"{path}: roster not found. Give the path of a board.yaml file.")
    path = path or corpus / config.BOARD_FILE
    if not path.exists():
        return None
    return parse_board(read_yaml(path, BoardFileError), str(path))


def portable_path(path: Path) -> str:
    """How outputs record a file: relative to the project or the working folder, else by name
    alone, so that a manifest never carries a local folder's absolute path (a user's name)."""
    resolved = path.resolve()
    for base in (config.PROJECT_ROOT, Path.cwd()):
        if resolved.is_relative_to(base.resolve()):
            return resolved.relative_to(base.resolve()).as_posix()
    return path.name


def recorded_path(recorded: str) -> Path:
    """A file a manifest recorded (`portable_path`, or an absolute path from older versions)."""
    path = Path(recorded)
    if path.is_absolute() or path.exists():
        return path
    in_project = config.PROJECT_ROOT / path
    return in_project if in_project.exists() else path


def load_codebook(path: Path) -> Codebook:
    if not path.exists():
        raise CodebookError(
            f"{path}: codebook not found. Make one with `involve themes "
            "from-survey SURVEY.csv --out themes/NAME.yaml`, or pass --codebook."
        )
    from pipeline.inputs.codebook import parse_codebook

    return parse_codebook(read_yaml(path, CodebookError), str(path))


def write_yaml(data: Mapping[str, Any], path: Path) -> None:
    text = yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=100)
    write_text(text, path)


def read_csv_any(path: Path) -> pd.DataFrame:
    """A CSV in UTF-8 (with or without BOM), falling back to the encoding detected from bytes."""
    import pandas as pd

    try:
        return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    except UnicodeDecodeError:
        from charset_normalizer import from_path

        best = from_path(path).best()
        if best is None:
            raise InputError(f"{path}: cannot tell the text encoding; save it as UTF-8.") from None
        return pd.read_csv(path, encoding=best.encoding, keep_default_na=False, dtype=str)


# --------------------------------------------------------------------------- gold files
def read_gold(path: Path) -> pd.DataFrame:
    """Human coding from CSV or JSONL (one unit per row/line), every cell as text."""
    import pandas as pd

    if not path.exists():
        raise GoldFileError(f"{path}: gold file not found.")
    suffix = path.suffix.lower()
    try:
        if suffix in {".csv", ".tsv"}:
            return pd.read_csv(
                path,
                sep="\t" if suffix == ".tsv" else ",",
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
            )
        if suffix in {".jsonl", ".ndjson"}:
            return pd.read_json(path, lines=True, dtype=False).fillna("").astype(str)
    except (ValueError, pd.errors.ParserError) as exc:
        raise GoldFileError(f"{path}: cannot be read as {suffix[1:].upper()}: {exc}") from None
    raise GoldFileError(f"{path}: unsupported gold format '{suffix}'; use .csv, .tsv or .jsonl.")


# --------------------------------------------------------------------------- outputs
@contextlib.contextmanager
def _atomic(path: Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path next to ``path`` and move it into place only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(text: str, path: Path) -> None:
    with _atomic(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(data: bytes, path: Path) -> None:
    with _atomic(path) as tmp:
        tmp.write_bytes(data)


def write_zip(members: Mapping[str, bytes], path: Path) -> None:
    """A deflated zip archive (e.g. a REFI-QDA .qdpx) holding ``members`` in the given order."""
    import zipfile

    with _atomic(path, path.suffix) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def read_zip(
    path: Path, wanted: Callable[[str], bool], limits: config.Limits = config.DEFAULT_LIMITS
) -> dict[str, bytes]:
    """The members of a zip archive whose names ``wanted`` accepts, by name.

    Raises ``zipfile.BadZipFile`` for a file that is not a zip, and ``ValueError`` for one whose
    wanted members unpack past ``limits`` (checked before any is read): callers know what it
    should have been and say so.
    """
    import zipfile

    from pipeline.core import ziplimits

    with zipfile.ZipFile(path) as zf:
        ziplimits.check(zf, path.stat().st_size, limits, wanted)
        return {name: zf.read(name) for name in zf.namelist() if wanted(name)}


def write_json(obj: Any, path: Path) -> None:
    write_text(json.dumps(obj, indent=2, sort_keys=False, default=str) + "\n", path)


def remove(path: Path) -> None:
    """Delete a file this project wrote, if it is there."""
    path.unlink(missing_ok=True)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)" from
# a document's text would be a live link); tab and carriage return can start one too.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """A text cell as the CSV outputs write it: with a leading apostrophe when a spreadsheet
    would run it as a formula (the usual rule). Parquet and DuckDB keep the exact text."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its text columns made spreadsheet-safe (numbers stay numbers)."""
    import pandas as pd

    texts = [
        c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype)
    ]
    if not texts:
        return df
    safe = df.copy()
    for col in texts:
        safe[col] = df[col].map(lambda v: csv_safe(v) if isinstance(v, str) else v)
    return safe


def write_table(df: pd.DataFrame, name: str, tables_dir: Path) -> None:
    """One table as Parquet (typed, for code) and CSV (for spreadsheets, formula-safe)."""
    with _atomic(tables_dir / f"{name}.parquet", ".parquet") as tmp:
        df.to_parquet(tmp, index=False)
    with _atomic(tables_dir / f"{name}.csv", ".csv") as tmp:
        _csv_frame(df).to_csv(tmp, index=False)


# How pandas types and describes each schema type in a Parquet file it writes (see write_rows).
_ARROW_TYPES = {"str": "large_string", "int": "int64", "float": "float64", "bool": "bool_"}
_PANDAS_TYPES = {
    "str": ("object", "string"),
    "int": ("int64", "int64"),
    "float": ("float64", "float64"),
    "bool": ("bool", "bool"),
    "date": ("datetime", "datetime64[ms]"),
}


def write_rows(rows: Sequence[Mapping[str, Any]], name: str, tables_dir: Path) -> None:
    """A table given as rows, written as `write_table` writes the conformed frame of them.

    `involve ingest` writes its tables this way: importing pandas costs more than reading a
    hundred pages. The files are the same as pandas writes: Parquet with the schema's types and
    pandas's description of them (so pandas reads back the same frame), CSV with the same text.
    Tables with what this does not cover (nullable integers or booleans, times of day,
    infinities) go the pandas way.
    """
    from pipeline.core import schemas

    schemas.check_rows(rows, name)
    spec = schemas.TABLES[name]
    columns = {c.name: [row[c.name] for row in rows] for c in spec}
    for col in spec:
        if col.dtype == "date":
            columns[col.name] = [_midnight(v) for v in columns[col.name]]
    if (
        any(c.nullable and c.dtype in ("int", "bool") for c in spec)
        or any(v is _NOT_A_DATE for c in spec if c.dtype == "date" for v in columns[c.name])
        # JSON, which the Parquet is built through, has no infinity.
        or any(v in _INFINITIES for c in spec if c.dtype == "float" for v in columns[c.name])
    ):
        import pandas as pd

        frame = pd.DataFrame(list(rows), columns=schemas.columns(name))
        write_table(schemas.conform(frame, name), name, tables_dir)
        return
    with _atomic(tables_dir / f"{name}.parquet", ".parquet") as tmp:
        _write_parquet(columns, spec, tmp)
    with _atomic(tables_dir / f"{name}.csv", ".csv") as tmp:
        _write_csv(columns, spec, tmp)


_NOT_A_DATE = object()
_INFINITIES = (float("inf"), float("-inf"))


def _midnight(value: Any) -> Any:
    """A date as the midnight pandas makes of it; _NOT_A_DATE for a time of day or other value."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.time() == dt.time() and value.tzinfo is None else _NOT_A_DATE
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return _NOT_A_DATE


def _typed(value: Any, dtype: str) -> Any:
    if value is None:
        return None
    if dtype == "str":
        return value if isinstance(value, str) else str(value)
    if dtype == "int":
        return int(value)
    if dtype == "float":
        return float(value)
    if dtype == "bool":
        return bool(value)
    return value


def _write_parquet(columns: dict[str, list[Any]], spec: Sequence[Any], path: Path) -> None:
    """Parquet as pandas writes it, built through pyarrow's JSON reader: `pyarrow.array` and
    every other way of making arrays from Python values import pandas, which is the cost saved.
    """
    import pyarrow as pa
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    fields = [
        pa.field(
            c.name,
            pa.timestamp("ms") if c.dtype == "date" else getattr(pa, _ARROW_TYPES[c.dtype])(),
        )
        for c in spec
    ]
    described = {
        "index_columns": [],
        "column_indexes": [],
        "columns": [
            {
                "name": c.name,
                "field_name": c.name,
                "pandas_type": _PANDAS_TYPES[c.dtype][0],
                "numpy_type": _PANDAS_TYPES[c.dtype][1],
                "metadata": None,
            }
            for c in spec
        ],
        "attributes": {},
        "creator": {"library": "pyarrow", "version": pa.__version__},
        "pandas_version": _pandas_version(),
    }
    schema = pa.schema(fields, metadata={"pandas": json.dumps(described)})
    typed = [[_json_value(v, c.dtype) for v in columns[c.name]] for c in spec]
    names = [c.name for c in spec]
    lines = (json.dumps(dict(zip(names, row, strict=True))) for row in zip(*typed, strict=True))
    data = "\n".join(lines).encode()
    if data:
        table = pj.read_json(
            pa.BufferReader(data),
            # One block for the whole table: a row may not straddle two.
            read_options=pj.ReadOptions(use_threads=False, block_size=len(data) + 1),
            parse_options=pj.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="error"
            ),
        ).replace_schema_metadata(schema.metadata)
    else:
        table = schema.empty_table()
    pq.write_table(table, path)


@functools.cache
def _pandas_version() -> str:
    """pandas's version from its install's folder name: importlib.metadata reads every
    installed package's metadata to find it (40 ms), and importing pandas is what is avoided."""
    spec = importlib.util.find_spec("pandas")
    if spec is not None and spec.origin is not None:
        for info in Path(spec.origin).parent.parent.glob("pandas-*.dist-info"):
            return info.name.removeprefix("pandas-").removesuffix(".dist-info")
    from importlib.metadata import version

    return version("pandas")


def _json_value(value: Any, dtype: str) -> Any:
    if dtype == "date":
        return None if value is None else value.date().isoformat()
    typed = _typed(value, dtype)
    return None if typed != typed else typed  # NaN: a missing value, as pandas writes it


def _write_csv(columns: dict[str, list[Any]], spec: Sequence[Any], path: Path) -> None:
    """CSV as pandas's `to_csv` writes it: its dialect, its spelling of each type, '' for none."""
    import csv

    texts = []
    for c in spec:
        values = columns[c.name]
        if c.dtype == "date":
            texts.append(["" if v is None else v.date().isoformat() for v in values])
        elif c.dtype == "float":
            texts.append(["" if v is None or v != v else repr(float(v)) for v in values])
        elif c.dtype == "str":
            texts.append(["" if v is None else csv_safe(str(v)) for v in values])
        else:
            texts.append(["" if v is None else str(_typed(v, c.dtype)) for v in values])
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator=os.linesep, quoting=csv.QUOTE_MINIMAL)
        writer.writerow([c.name for c in spec])
        writer.writerows(zip(*texts, strict=True))


def read_table(out_dir: Path, name: str) -> pd.DataFrame:
    import pandas as pd

    path = out_dir / outputs.table_file(name)
    if not path.exists():
        raise InputError(f"{path}: not found. Run `involve analyse CORPUS --out {out_dir}` first.")
    return pd.read_parquet(path)


def read_table_if_present(out_dir: Path, name: str) -> pd.DataFrame | None:
    """A table an older analysis may lack (added by a later version): None when absent."""
    path = out_dir / outputs.table_file(name)
    return read_table(out_dir, name) if path.exists() else None


def write_duckdb(tables: Mapping[str, pd.DataFrame], path: Path) -> None:
    """Every table in one DuckDB file, for notebooks and SQL users; checked before it is kept.

    DuckDB can return from ``close()`` with its data still in a write-ahead log it failed to
    fold in (a full disk), leaving an empty database: so the file is checkpointed, reopened,
    and every table's rows counted against the frame before it replaces anything.
    """
    import duckdb

    with _atomic(path, ".duckdb") as tmp:
        tmp.unlink()  # DuckDB refuses to open an empty non-database file
        wal = tmp.with_name(tmp.name + ".wal")
        try:
            con = duckdb.connect(str(tmp))
            try:
                for name, df in tables.items():
                    con.register("_frame", df)
                    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
                    con.unregister("_frame")
                con.execute("CHECKPOINT")
            finally:
                with contextlib.suppress(duckdb.Error):
                    con.close()
            _verify_duckdb(tmp, {name: len(df) for name, df in tables.items()})
        except duckdb.Error as exc:
            full = "No space left" in str(exc)
            raise OSError(
                errno.ENOSPC if full else errno.EIO,
                os.strerror(errno.ENOSPC) if full else f"DuckDB could not write: {exc}",
            ) from None
        finally:
            wal.unlink(missing_ok=True)
        os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)  # private, as the other outputs are


def _verify_duckdb(path: Path, rows: Mapping[str, int]) -> None:
    import duckdb

    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        wal.unlink()
        raise OSError(errno.EIO, "DuckDB left its data in a write-ahead log (is the disk full?)")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise OSError(errno.EIO, f"the DuckDB file does not open again: {exc}") from None
    try:
        for name, expected in rows.items():
            try:
                found = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            except duckdb.Error:
                found = None
            if found is None or found[0] != expected:
                raise OSError(
                    errno.EIO,
                    f"the DuckDB file's table {name} has {found[0] if found else 'no'} rows, "
                    f"not {expected}",
                )
    finally:
        con.close()


def save_figure(fig: Any, path: Path, dpi: int = 150) -> None:
    """Save a matplotlib figure as PNG (and SVG beside it) atomically.

    The SVG keeps the layout the PNG's save settled (its layout engine, constrained layout in
    the report's charts, runs once, not once per file): a fifth of the CPU of saving both. The
    SVG then places things by the PNG's text measures, within a point of laying it out again.
    """
    with _atomic(path, path.suffix) as tmp:
        fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format=path.suffix.lstrip("."))
    svg = path.with_suffix(".svg")
    engine = fig.get_layout_engine()
    if engine is not None:
        fig.set_layout_engine("none")
    try:
        with _atomic(svg, ".svg") as tmp:
            fig.savefig(tmp, bbox_inches="tight", format="svg")
    finally:
        if engine is not None:
            fig.set_layout_engine(engine)


# --------------------------------------------------------------------------- the output folder
# A run writes everything into STAGING inside the output folder, then renames it to COMMIT (one
# atomic rename: the moment the new run exists), then moves its files into place and deletes it.
# Whoever next takes the folder's lock finishes a move that a kill cut short, and throws away a
# staging folder a killed run left, so the folder holds one run's outputs or the one before's.
# The names are the layout's (pipeline.run.outputs); what happens to them is this module's.


def _write_fix(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "the disk is full: free some space or choose another folder with --out"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the folder cannot be written: choose one you can write to with --out"
    return "check the folder and the disk, or choose another folder with --out"


def output_error(out: Path, exc: OSError) -> OutputError:
    """A failed write as a message naming the folder, the cause and the fix."""
    reason = exc.strerror or type(exc).__name__
    return OutputError(
        f"{out}: could not write the outputs ({reason}); {_write_fix(exc)}. "
        "The previous outputs, if any, are untouched."
    )


@contextlib.contextmanager
def output_folder(out: Path, command: str, *, create: bool = True) -> Iterator[Path]:
    """Hold ``out`` for one command: create it, lock it, settle what a killed run left.

    The lock is an flock, so the kernel releases it when the holder dies, even by kill -9; a
    second command refuses at once, naming the first, rather than interleave its files.
    Without ``create``, a missing folder is left missing (the command says to analyse first).
    """
    import fcntl

    if not create and not out.is_dir():
        yield out
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / outputs.LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise output_error(out, exc) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "another run"
            raise OutputError(
                f"{out}: in use by {holder}; wait for it to finish, or give another --out."
            ) from None
        with contextlib.suppress(OSError):  # who holds it, for the message above
            os.ftruncate(fd, 0)
            started = dt.datetime.now().isoformat(timespec="seconds")
            holder = f"`involve {command}` (process {os.getpid()}, since {started})"
            os.pwrite(fd, holder.encode(), 0)
        try:
            settle(out)
        except OSError as exc:
            raise output_error(out, exc) from None
        yield out
    finally:
        os.close(fd)  # releases the lock


def settle(out: Path) -> None:
    """Finish a commit a kill interrupted; discard a staging folder a killed run left."""
    if (out / outputs.COMMIT).is_dir():
        _move_in(out)
    if (out / outputs.STAGING).exists():
        shutil.rmtree(out / outputs.STAGING, ignore_errors=True)


def begin_staging(out: Path) -> Path:
    """An empty staging folder inside ``out``, proved writable before any work is done."""
    staging = out / outputs.STAGING
    try:
        if staging.exists():
            shutil.rmtree(staging)
        _check_space(out)
        staging.mkdir(mode=0o700)
        probe = staging / ".probe"
        with probe.open("wb") as fh:
            fh.write(b"\0" * 65536)
            fh.flush()
            os.fsync(fh.fileno())
        probe.unlink()
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise output_error(out, exc) from None
    return staging


def _check_space(out: Path) -> None:
    """Refuse before the analysis when the disk cannot hold another run the size of the last
    (the staging copy and the outputs it replaces are both on disk until the commit)."""
    manifest = outputs.read_manifest(out, strict=False)
    listed = (manifest.outputs if manifest else None) or {}
    previous = sum(
        (out / rel).stat().st_size for rel in listed if _safe_rel(rel) and (out / rel).is_file()
    )
    free = shutil.disk_usage(out).free
    if previous and free < previous:
        need = f"{free / 1e6:.1f} MB free, about {previous / 1e6:.1f} MB needed"
        raise OSError(errno.ENOSPC, need)


def abandon_staging(out: Path) -> None:
    shutil.rmtree(out / outputs.STAGING, ignore_errors=True)


def staged_files(staging: Path) -> list[str]:
    """Every file in a staging folder, as paths relative to it, in a stable order."""
    return sorted(
        p.relative_to(staging).as_posix()
        for p in staging.rglob("*")
        if p.is_file() and p.name != outputs.REMOVALS
    )


def output_hashes(root: Path, rels: Sequence[str]) -> dict[str, str]:
    return {rel: sha256_file(root / rel) for rel in rels}


def commit_staging(out: Path, manifest: Mapping[str, Any], removed: Sequence[str] = ()) -> None:
    """Make the staged run the folder's outputs: everything or, if killed first, nothing.

    ``manifest`` is written last, with a hash of every staged file; files the previous
    manifest listed that this run did not write (and ``removed``) are deleted in the move.
    """
    staging = out / outputs.STAGING
    try:
        written = dict(manifest.get("outputs", {}))
        stale = set(removed)
        previous = outputs.read_manifest(out, strict=False)
        if previous is not None and previous.outputs is not None:
            stale |= set(previous.outputs) - set(written) - {outputs.MANIFEST}
        write_json(sorted(r for r in stale if _safe_rel(r)), staging / outputs.REMOVALS)
        write_json(dict(manifest), staging / outputs.MANIFEST)
        _fsync_tree(staging)
        os.rename(staging, out / outputs.COMMIT)  # the commit point
        _fsync_dir(out)
    except OSError as exc:
        abandon_staging(out)
        raise output_error(out, exc) from None
    _move_in(out)


def _move_in(out: Path) -> None:
    """Move a committed run's files into place; safe to repeat after a kill at any point."""
    commit = out / outputs.COMMIT
    # The old manifest goes first: until the new one lands the folder is never "up to date".
    (out / outputs.MANIFEST).unlink(missing_ok=True)
    removals = commit / outputs.REMOVALS
    if removals.exists():
        for rel in json.loads(removals.read_text(encoding="utf-8")):
            if _safe_rel(rel):
                (out / rel).unlink(missing_ok=True)
        removals.unlink()
    folders = {out}
    for rel in staged_files(commit):
        if rel == outputs.MANIFEST:
            continue
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(commit / rel, target)
        folders.add(target.parent)
    if (commit / outputs.MANIFEST).exists():
        for folder in folders:  # the moves on the disk before the manifest says they are done
            _fsync_dir(folder)
        os.replace(commit / outputs.MANIFEST, out / outputs.MANIFEST)
        _fsync_dir(out)
    shutil.rmtree(commit, ignore_errors=True)


def _safe_rel(rel: str) -> bool:
    """A path inside the output folder (a manifest could have been edited)."""
    parts = Path(rel).parts
    return bool(parts) and not Path(rel).is_absolute() and ".." not in parts


def outputs_intact(out: Path) -> bool:
    """Whether every output the manifest lists is there with the hash it recorded."""
    manifest = outputs.read_manifest(out, strict=False)
    listed = manifest.outputs if manifest else None
    if not listed:
        return False
    for rel, digest in listed.items():
        path = out / rel
        if not _safe_rel(rel) or not path.is_file() or sha256_file(path) != digest:
            return False
    return True


def record_outputs(out: Path, rels: Sequence[str]) -> None:
    """After a command rewrote some outputs (the report), the manifest's hashes of them."""
    manifest = outputs.read_manifest(out, strict=False)
    if manifest is None or manifest.outputs is None:
        return
    hashes = dict(manifest.outputs)
    for rel in rels:
        if (out / rel).is_file():
            hashes[rel] = sha256_file(out / rel)
    write_json({**manifest.data, "outputs": hashes}, out / outputs.MANIFEST)


def _fsync_tree(root: Path) -> None:
    """Every file and folder under ``root`` on the disk, so a power cut cannot commit holes."""
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # some filesystems cannot fsync a folder
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --------------------------------------------------------------------------- cache
class Cache:
    """A content-addressed JSON cache: a key is a hash of everything that determines the value.

    Each entry is a file of its own. A run reads tens of thousands of them (a thousand meetings:
    some thirty thousand units, each with its lemmas, names, focus features and seed counts), so
    :meth:`keep_packs`, at a run's end, writes what each namespace gave or took in that run as
    one pack, which the next run reads first: one file a namespace instead of one an entry."""

    def __init__(self, root: Path, *, write_only: bool = False, packs: bool = False) -> None:
        self.root = root
        # Only a Cache made with ``packs`` reads and keeps them: what it gives is held in memory
        # until the run's end (the sentence vectors, for one, keep a pack of their own).
        self.packs = packs
        # --force: every lookup misses, and what is computed again replaces what was there.
        self.write_only = write_only
        # Folders already made and checked private by this Cache: a run puts a vector per
        # distinct text, and checking the same three folders for each was most of a put's cost.
        self._ready: set[tuple[str, str]] = set()
        self._packs: dict[str, dict[str, str]] = {}  # namespace -> key -> entry's JSON text
        self._used: dict[str, dict[str, str]] = {}  # what this Cache gave or took, as text

    def _path(self, namespace: str, key: str) -> Path:
        return self.root / namespace / key[:2] / f"{key}.json"

    def get(self, namespace: str, key: str) -> Any | None:
        if self.write_only:
            return None
        text = self._pack(namespace).get(key) if self.packs else None
        if text is None:
            try:
                text = self._path(namespace, key).read_text(encoding="utf-8")
            except (OSError, ValueError):  # missing, unreadable, not UTF-8: a miss, not a crash
                return None
        try:
            value = json.loads(text)
        except ValueError:  # corrupt: a miss
            return None
        if self.packs:
            self._used.setdefault(namespace, {})[key] = text
        return value

    def put(self, namespace: str, key: str, value: Any) -> None:
        # Compact: json's C encoder only runs without indent, and nobody reads these by eye.
        text = json.dumps(value, separators=(",", ":"))
        if self.packs:
            self._used.setdefault(namespace, {})[key] = text
        # A read-only or full cache only costs speed, never a run.
        with contextlib.suppress(OSError):
            path = self._path(namespace, key)
            self._make_folders(namespace, key, path)
            write_text(text, path)

    # One pack per namespace: a pickled ``{key: JSON text}``, kept as a blob (below).
    _PACKS = "packs"

    def _pack(self, namespace: str) -> dict[str, str]:
        pack = self._packs.get(namespace)
        if pack is None:
            pack = _read_pack(self.get_blob(self._PACKS, _pack_key(namespace)))
            self._packs[namespace] = pack
        return pack

    def keep_packs(self) -> None:
        """Write, for each namespace this Cache was asked of, the entries it gave or took as the
        pack the next run reads; a namespace that gave exactly its pack is left as it is. An
        entry the run did not ask for leaves the pack, not the cache: its file stays."""
        import pickle

        for namespace, used in self._used.items():
            if used.keys() == self._packs.get(namespace, {}).keys():
                continue
            data = pickle.dumps(used, protocol=pickle.HIGHEST_PROTOCOL)
            self.put_blob(self._PACKS, _pack_key(namespace), data)
            self._packs[namespace] = dict(used)

    def _make_folders(self, namespace: str, key: str, path: Path) -> None:
        # Extracted text names people: the cache is the owner's alone (folders 0700, files 0600
        # as _atomic makes them), whatever the umask.
        if (namespace, key[:2]) not in self._ready:
            for folder in (self.root, path.parent.parent, path.parent):
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                if stat.S_IMODE(folder.stat().st_mode) & 0o077:
                    folder.chmod(0o700)
            self._ready.add((namespace, key[:2]))

    # Bytes under a key, for what JSON cannot hold (a board's reading, with its objects).
    def _blob_path(self, namespace: str, key: str) -> Path:
        return self.root / namespace / key[:2] / f"{key}.bin"

    def has_blob(self, namespace: str, key: str) -> bool:
        return not self.write_only and self._blob_path(namespace, key).is_file()

    def get_blob(self, namespace: str, key: str) -> bytes | None:
        if self.write_only:
            return None
        try:
            return self._blob_path(namespace, key).read_bytes()
        except OSError:
            return None

    def put_blob(self, namespace: str, key: str, data: bytes) -> None:
        with contextlib.suppress(OSError):
            path = self._blob_path(namespace, key)
            self._make_folders(namespace, key, path)
            write_bytes(data, path)

    def drop_blob(self, namespace: str, key: str) -> None:
        with contextlib.suppress(OSError):
            self._blob_path(namespace, key).unlink(missing_ok=True)


def _pack_key(namespace: str) -> str:
    return hashlib.sha1(f"pack\0{namespace}".encode()).hexdigest()


def _read_pack(data: bytes | None) -> dict[str, str]:
    """A pack's ``{key: JSON text}``; a missing or damaged pack is empty (every entry is then
    read from its own file). Only this user's cache folder (0700) holds packs."""
    import pickle

    if not data:
        return {}
    try:
        pack = pickle.loads(data)
    except Exception:  # anything a damaged pickle raises is a miss
        return {}
    if not isinstance(pack, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in pack.items()
    ):
        return {}
    return pack
