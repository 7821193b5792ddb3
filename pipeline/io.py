"""The only module that reads or writes files.

Stages are pure functions of tables; everything that touches the disk goes through here, so that
writes are atomic (a crashed run never leaves half a table) and errors name the file and the fix.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from pipeline import config
from pipeline.board import Board, parse_board
from pipeline.errors import BoardFileError, CodebookError, GoldFileError, InputError

# pandas (and the codebook module, which uses it) take a third of a second to import: they are
# imported where used, so that `involve ingest` starts reading files without waiting for them.
if TYPE_CHECKING:
    import pandas as pd

    from pipeline.codebook import Codebook


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

    Hidden files and ``board.yaml`` are left out: they are not documents. Symbolic links that lead
    outside the corpus are listed but not followed, so a corpus can never pull in other files.
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
        for name in sorted(filenames):
            if name.startswith(".") or name == config.BOARD_FILE:
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(corpus).as_posix()
            found.append(_describe(path, rel, root, max_mb))
    return sorted(found, key=lambda f: f.rel)


def _describe(path: Path, rel: str, root: Path, max_mb: float) -> CorpusFile:
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
    size = path.stat().st_size if path.exists() else 0
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
def read_yaml(path: Path, error: type[InputError] = InputError) -> Any:
    """Load YAML, turning syntax errors into a message with the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: file not found.") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8.") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(
            f"{path}: YAML syntax error{where}: {problem}. Check indentation and "
            "that lists use '- ' or [a, b]."
        ) from None


def load_board(corpus: Path) -> Board | None:
    """The corpus's ``board.yaml``, or None when there is none (roles are then inferred)."""
    path = corpus / config.BOARD_FILE
    if not path.exists():
        return None
    return parse_board(read_yaml(path, BoardFileError), str(path))


def load_codebook(path: Path) -> Codebook:
    if not path.exists():
        raise CodebookError(
            f"{path}: codebook not found. Make one with `involve themes "
            "from-survey SURVEY.csv --out themes/NAME.yaml`, or pass --codebook."
        )
    from pipeline.codebook import parse_codebook

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


def write_json(obj: Any, path: Path) -> None:
    write_text(json.dumps(obj, indent=2, sort_keys=False, default=str) + "\n", path)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def write_table(df: pd.DataFrame, name: str, tables_dir: Path) -> None:
    """One table as Parquet (typed, for code) and CSV (for spreadsheets)."""
    with _atomic(tables_dir / f"{name}.parquet", ".parquet") as tmp:
        df.to_parquet(tmp, index=False)
    with _atomic(tables_dir / f"{name}.csv", ".csv") as tmp:
        df.to_csv(tmp, index=False)


def read_table(out_dir: Path, name: str) -> pd.DataFrame:
    import pandas as pd

    path = out_dir / "tables" / f"{name}.parquet"
    if not path.exists():
        raise InputError(f"{path}: not found. Run `involve analyse CORPUS --out {out_dir}` first.")
    return pd.read_parquet(path)


def write_duckdb(tables: Mapping[str, pd.DataFrame], path: Path) -> None:
    """Every table in one DuckDB file, for notebooks and SQL users."""
    import duckdb

    with _atomic(path, ".duckdb") as tmp:
        tmp.unlink()  # DuckDB refuses to open an empty non-database file
        con = duckdb.connect(str(tmp))
        try:
            for name, df in tables.items():
                con.register("_frame", df)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
                con.unregister("_frame")
        finally:
            con.close()


def save_figure(fig: Any, path: Path, dpi: int = 150) -> None:
    """Save a matplotlib figure as PNG (and SVG beside it) atomically."""
    with _atomic(path, path.suffix) as tmp:
        fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format=path.suffix.lstrip("."))
    svg = path.with_suffix(".svg")
    with _atomic(svg, ".svg") as tmp:
        fig.savefig(tmp, bbox_inches="tight", format="svg")


# --------------------------------------------------------------------------- cache
class Cache:
    """A content-addressed JSON cache: a key is a hash of everything that determines the value."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, namespace: str, key: str) -> Path:
        return self.root / namespace / key[:2] / f"{key}.json"

    def get(self, namespace: str, key: str) -> Any | None:
        path = self._path(namespace, key)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # missing, unreadable or corrupt: a miss, never a crash
            return None

    def put(self, namespace: str, key: str, value: Any) -> None:
        # A read-only or full cache only costs speed, never a run.
        with contextlib.suppress(OSError):
            # Compact: json's C encoder only runs without indent, and nobody reads these by eye.
            write_text(json.dumps(value, separators=(",", ":")), self._path(namespace, key))
