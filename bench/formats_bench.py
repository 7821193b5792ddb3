"""Readers for legacy Word (.doc) and OpenDocument (.odt) files compared, on a folder of them.

Usage: python bench/formats_bench.py FOLDER [FOLDER ...] [--repeats N] [--json PATH]

The reference reading of each file is LibreOffice's: `soffice --headless --convert-to docx`, then
the project's own .docx reader, so every candidate is judged against the blocks a .docx of the
same document would give. For each candidate and file it measures

- words: the share of the reference's words (counted with repeats) the candidate has;
- table rows: the share of the reference's table rows (as `format_table` writes them, cells in
  order) that the candidate has as a line of its own;
- list items: the share of the reference's "• " lines the candidate has as such;
- blocks: the share of the reference's blocks (paragraphs, headings, a list with its lead-in)
  the candidate has as a block;
- ms per file: wall time, the best of ``--repeats`` runs, a fresh process per file where the
  candidate is a program.

Candidates: for .doc, antiword's DocBook (the project's reader), antiword's plain text and
catdoc's; for .odt, content.xml through lxml (the project's reader) and odfpy's paragraphs (if
odfpy is importable); for both, LibreOffice itself. A candidate whose program is missing is left
out. It is a benchmark, not a test: the numbers are in docs/formats.md.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.ingest.layout import format_table  # noqa: E402
from pipeline.ingest.legacy import extract_doc  # noqa: E402
from pipeline.ingest.odf import extract_odt  # noqa: E402
from pipeline.ingest.office import extract_docx  # noqa: E402

Reader = Callable[[Path], str]
SUFFIXES = (".doc", ".odt")


def _blocks(text: str) -> list[str]:
    return [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]


def _lines(text: str) -> list[str]:
    return [" ".join(ln.split()) for ln in text.split("\n") if ln.strip()]


def _words(text: str) -> collections.Counter[str]:
    return collections.Counter(re.findall(r"\w+", text.lower()))


def _run(args: list[str]) -> bytes:
    return subprocess.run(args, capture_output=True, check=True, timeout=120).stdout


# ----------------------------------------------------------------------------- readers
def libreoffice_docx(path: Path) -> str:
    """The reference: LibreOffice converts to .docx, the project's .docx reader reads that."""
    with tempfile.TemporaryDirectory() as tmp:
        _run(["soffice", "--headless", "--convert-to", "docx", "--outdir", tmp, str(path)])
        converted = next(Path(tmp).glob("*.docx"))
        return extract_docx(converted.read_bytes()).pages[0].text


def antiword_docbook(path: Path) -> str:
    return extract_doc(path.read_bytes()).pages[0].text


def antiword_text(path: Path) -> str:
    """antiword's default text: paragraphs between blank lines, tables drawn with "|"."""
    text = _run(["antiword", "-w", "0", str(path)]).decode("utf-8", "replace")
    return "\n\n".join(re.split(r"\n\s*\n", text))


def catdoc_text(path: Path) -> str:
    """catdoc: a line per paragraph, a table row's cells separated by tabs."""
    text = _run(["catdoc", "-w", "-d", "utf-8", str(path)]).decode("utf-8", "replace")
    out: list[str] = []
    for line in text.split("\n"):
        if "\t" in line:  # read tab-separated lines as table rows, as a reader would have to
            out.extend(format_table([line.split("\t")])[0] if line.strip() else [])
        elif line.strip():
            out.append(line)
    return "\n\n".join(out)


def lxml_odt(path: Path) -> str:
    return extract_odt(path.read_bytes()).pages[0].text


def odfpy_paragraphs(path: Path) -> str:
    """odfpy's own text extraction: every paragraph and heading, tables cell by cell."""
    from odf import teletype, text  # type: ignore[import-not-found]
    from odf.opendocument import load  # type: ignore[import-not-found]

    document = load(str(path))
    parts = [
        teletype.extractText(p)
        for p in document.getElementsByType(text.P) + document.getElementsByType(text.H)
    ]
    return "\n\n".join(p for p in parts if p.strip())


def _have(program: str) -> bool:
    return shutil.which(program) is not None


def _odfpy() -> bool:
    try:
        import odf  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True


def candidates(suffix: str) -> dict[str, Reader]:
    found: dict[str, Reader] = {}
    if suffix == ".doc":
        if _have("antiword"):
            found["antiword DocBook (chosen)"] = antiword_docbook
            found["antiword text"] = antiword_text
        if _have("catdoc"):
            found["catdoc"] = catdoc_text
    else:
        found["lxml content.xml (chosen)"] = lxml_odt
        if _odfpy():
            found["odfpy paragraphs"] = odfpy_paragraphs
    if _have("soffice"):
        found["LibreOffice to .docx"] = libreoffice_docx
    return found


# ----------------------------------------------------------------------------- scores
def reference(path: Path) -> tuple[str, list[str], list[str]]:
    """The reference text, and its table rows and list items as lines."""
    import docx

    from pipeline.ingest.office import _table_rows

    with tempfile.TemporaryDirectory() as tmp:
        _run(["soffice", "--headless", "--convert-to", "docx", "--outdir", tmp, str(path)])
        data = next(Path(tmp).glob("*.docx")).read_bytes()
    text = extract_docx(data).pages[0].text
    document = docx.Document(io.BytesIO(data))
    rows = [
        " ".join(line.split())
        for table in document.tables
        for block in format_table(_table_rows(table))
        for line in block
    ]
    items = [ln for ln in _lines(text) if ln.startswith("• ")]
    return text, rows, items


Counts = dict[str, float]


def score(reference: str, rows: list[str], items: list[str], text: str) -> Counts:
    """Matched and wanted counts of words, table rows, list items and blocks."""
    ref_words, words = _words(reference), _words(text)
    lines, blocks = set(_lines(text)), set(_blocks(text))
    ref_blocks = _blocks(reference)
    return {
        "words": sum((ref_words & words).values()),
        "words_of": sum(ref_words.values()),
        "table_rows": sum(r in lines for r in rows),
        "table_rows_of": len(rows),
        "list_items": sum(i in lines for i in items),
        "list_items_of": len(items),
        "blocks": sum(b in blocks for b in ref_blocks),
        "blocks_of": len(ref_blocks),
    }


def timed(reader: Reader, path: Path, repeats: int) -> tuple[str, float]:
    best, text = float("inf"), ""
    for _ in range(repeats):
        start = time.perf_counter()
        text = reader(path)
        best = min(best, time.perf_counter() - start)
    return text, best * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not _have("soffice"):
        raise SystemExit("the reference reading needs LibreOffice (soffice) installed")
    files = sorted(
        p for folder in args.folders for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES
    )
    results: dict[str, dict[str, list[Counts]]] = {}
    for path in files:
        suffix = path.suffix.lower()
        text_, rows, items = reference(path)
        for label, reader in candidates(suffix).items():
            try:
                text, ms = timed(reader, path, 1 if "LibreOffice" in label else args.repeats)
            except Exception as exc:
                print(f"{path.name}: {label} failed: {exc}", file=sys.stderr)
                text, ms = "", float("nan")
            measured = {**score(text_, rows, items, text), "ms": ms}
            results.setdefault(suffix, {}).setdefault(label, []).append(measured)
    print("| format | reader | words | table rows | list items | blocks | ms per file |")
    print("|---|---|---|---|---|---|---|")
    for suffix, by_reader in results.items():
        for label, measures in by_reader.items():
            print(
                f"| {suffix} ({len(measures)} files) | {label} | "
                + " | ".join(_summary(measures))
                + " |"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


def _summary(measures: list[Counts]) -> list[str]:
    """Each share pooled over the files, with its counts; the median time."""
    out = []
    for key in ("words", "table_rows", "list_items", "blocks"):
        got, of = sum(m[key] for m in measures), sum(m[key + "_of"] for m in measures)
        out.append(f"{got / of:.2f} ({got:.0f}/{of:.0f})" if of else "–")
    out.append(f"{statistics.median(m['ms'] for m in measures):.0f}")
    return out


if __name__ == "__main__":
    main()
