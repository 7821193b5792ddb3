"""From positioned lines to paragraphs: reading order, running headers and footers, blocks.

PDF and OCR give lines with positions but no paragraphs. A paragraph break shows as a vertical
gap clearly larger than the usual distance between lines; headers and footers show as lines in the
page margins that repeat from page to page (page numbers aside).
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence

from pipeline.ingest.model import Line

_MARGIN = 0.085  # share of the page height at the top and bottom where headers and footers live
_PAGE_NO = re.compile(
    r"^\s*(?:page\s*)?[-–(]?\s*\d{1,4}\s*(?:of\s*\d{1,4})?\s*[-–)]?\s*$", re.IGNORECASE
)
# Bullets as typeset, and as tesseract misreads "•" on scans ("¢", "«", "©", "°").
_BULLET = re.compile(r"^\s*[•●▪◦■·\-–*¢«©°]\s+")


def signature(text: str) -> str:
    """A line's identity for spotting repeats: case, digits, page numbers and spacing ignored."""
    text = re.sub(r"\bpage\s*\d+(?:\s*of\s*\d+)?", "", text.lower())
    return re.sub(r"[\W\d_]+", "", text)


def merge_runs(lines: Sequence[Line]) -> list[Line]:
    """Join text runs that share a line (their vertical middles overlap) into one, left to right.

    A bullet glyph or a bold word sits a little higher or lower than the text beside it, so runs
    are grouped by overlap, not by equal tops.
    """
    ordered = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    merged: list[list[Line]] = []
    for ln in ordered:
        middle = (ln.top + ln.bottom) / 2
        if merged:
            top = min(g.top for g in merged[-1])
            bottom = max(g.bottom for g in merged[-1])
            if top <= middle <= bottom:
                merged[-1].append(ln)
                continue
        merged.append([ln])
    out = []
    for group in merged:
        group.sort(key=lambda g: g.x0)
        text = " ".join(g.text.strip() for g in group if g.text.strip())
        if text:
            main = max(group, key=lambda g: len(g.text))
            out.append(
                Line(
                    text,
                    group[0].x0,
                    min(g.top for g in group),
                    max(g.bottom for g in group),
                    main.bold,
                    main.size,
                    max(g.x1 for g in group),
                )
            )
    return out


def split_margins(
    pages: Sequence[Sequence[Line]], heights: Sequence[float]
) -> tuple[list[list[Line]], list[str], list[str]]:
    """Remove running headers and footers; return body lines and the removed text per page.

    A margin line counts as running when its signature recurs on at least half the pages (so a
    two-page document needs it on both), or when it is only a page number.
    """
    n = len(pages)
    counts: Counter[str] = Counter()
    for lines, h in zip(pages, heights, strict=True):
        seen = {signature(ln.text) for ln in lines if _in_margin(ln, h)}
        counts.update(s for s in seen if s)
    threshold = max(2, (n + 1) // 2)
    bodies, headers, footers = [], [], []
    for lines, h in zip(pages, heights, strict=True):
        body, head, foot = [], [], []
        for ln in lines:
            running = _in_margin(ln, h) and (
                _PAGE_NO.match(ln.text) is not None
                or (n > 1 and counts[signature(ln.text)] >= threshold)
            )
            if not running:
                body.append(ln)
            elif ln.top < h / 2:
                head.append(ln.text)
            else:
                foot.append(ln.text)
        bodies.append(body)
        headers.append("\n".join(head))
        footers.append("\n".join(foot))
    return bodies, headers, footers


def _in_margin(line: Line, height: float) -> bool:
    return line.bottom <= height * _MARGIN or line.top >= height * (1 - _MARGIN)


def blocks_from_lines(lines: Sequence[Line]) -> str:
    """Group lines into blocks at vertical gaps and changes of type; blocks joined by a blank line.

    The usual line pitch is the lower quartile of the distances between consecutive line middles:
    most lines sit inside paragraphs, whose pitch is the smallest on the page, and middles move
    less than tops when OCR boxes grow with ascenders. A pitch 35% larger marks a new block, and
    so does a change between bold and regular or of font size (a heading set close above its
    paragraph). Bullets are normalised to "• ".
    """
    if not lines:
        return ""
    ordered = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    mids = [(ln.top + ln.bottom) / 2 for ln in ordered]
    pitches = sorted(b - a for a, b in itertools.pairwise(mids) if b > a)
    usual = pitches[len(pitches) // 4] if pitches else 0.0
    heights = [ln.bottom - ln.top for ln in ordered]
    usual = min(usual, 1.6 * statistics.median(heights)) if usual else statistics.median(heights)
    blocks: list[list[str]] = [[]]
    prev: Line | None = None
    for ln in ordered:
        if prev is not None and (
            (ln.top + ln.bottom - prev.top - prev.bottom) / 2 > usual * 1.35 + 0.5
            or ln.bold != prev.bold
            or abs(ln.size - prev.size) > 0.6
        ):
            blocks.append([])
        blocks[-1].append(_BULLET.sub("• ", ln.text.strip()))
        prev = ln
    return "\n\n".join("\n".join(b) for b in blocks if b)
