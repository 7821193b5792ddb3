"""OCR of image-only pages with the tesseract command-line program.

Tesseract runs as a subprocess, one thread each (``OMP_THREAD_LIMIT=1``): with threads it is
several times slower on a small machine. Words come back with positions and confidences, so OCR'd
pages go through the same layout analysis as text PDFs.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import shutil
import subprocess

from pipeline.core.errors import ExtractionError
from pipeline.ingest.layout import CELL_GAP, merge_runs
from pipeline.ingest.model import Line

TESSERACT_HINT = (
    "install tesseract (Debian: apt-get install tesseract-ocr tesseract-ocr-eng, "
    "or `make install` as root) to read scanned pages"
)


def available() -> bool:
    return shutil.which("tesseract") is not None


def version() -> str:
    if not available():
        return "none"
    out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False)
    first = (out.stdout or out.stderr).splitlines()
    return first[0].replace("tesseract ", "") if first else "unknown"


def ocr_png(png: bytes, scale: float) -> tuple[list[Line], float | None]:
    """Lines of an image (positions divided by ``scale`` to give points) and mean confidence."""
    if not available():
        raise ExtractionError(TESSERACT_HINT)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    proc = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "eng", "--psm", "3", "tsv"],
        input=png,
        capture_output=True,
        env=env,
        check=False,
        timeout=300,
    )
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise ExtractionError(f"tesseract failed: {detail[0]}")
    rows = csv.DictReader(
        io.StringIO(proc.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    words: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    confidences: list[float] = []
    for row in rows:
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        words.setdefault(key, []).append(row)
        conf = float(row.get("conf") or -1)
        if conf >= 0:
            confidences.append(conf)
    spaces = sorted(
        int(b["left"]) - int(a["left"]) - int(a["width"])
        for group in words.values()
        for a, b in itertools.pairwise(group)
    )
    # Tesseract's lines run across a table's cells: only a gap several times wider than the
    # page's word spaces, and than the line's own (a justified line spaces its words widely),
    # parts two cells.
    page_gap = max(CELL_GAP * scale, 3 * spaces[len(spaces) // 2]) if spaces else 0.0
    lines = []
    for group in words.values():
        starts = group[0]["line_num"] == "1"
        own = sorted(int(b["left"]) - _right(a) for a, b in itertools.pairwise(group))[:-1]
        cell_gap = max(page_gap, 2.5 * own[len(own) // 2]) if own else page_gap
        for run, ruled in _runs(group, cell_gap):
            top = min(int(w["top"]) for w in run) / scale
            bottom = max(int(w["top"]) + int(w["height"]) for w in run) / scale
            x0 = min(int(w["left"]) for w in run) / scale
            x1 = max(int(w["left"]) + int(w["width"]) for w in run) / scale
            text = " ".join(w["text"] for w in run)
            lines.append(Line(text, x0, top, bottom, x1=x1, par=starts, cell=ruled))
            starts = False
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return merge_runs(lines), mean


def _runs(group: list[dict[str, str]], cell_gap: float) -> list[tuple[list[dict[str, str]], bool]]:
    """A tesseract line's words as runs, cut where a table's cell ends: at a gap of ``cell_gap``
    pixels or more, or at a ruled border read as a lone "|" (dropped). Each run comes with
    whether a border stood before it."""
    runs: list[tuple[list[dict[str, str]], bool]] = [([], False)]
    ruled = False
    for w in group:
        if w["text"].strip() == "|":
            ruled = True
            continue
        words = runs[-1][0]
        if words and (ruled or int(w["left"]) - _right(words[-1]) >= cell_gap):
            runs.append(([w], ruled))
        elif words:
            words.append(w)
        else:
            runs[-1] = ([w], runs[-1][1] or ruled)
        ruled = False
    return [r for r in runs if r[0]]


def _right(word: dict[str, str]) -> int:
    return int(word["left"]) + int(word["width"])
