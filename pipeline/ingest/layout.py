"""From positioned lines to paragraphs: reading order, columns, tables, running headers and footers.

PDF and OCR give runs of text with positions but no paragraphs. A paragraph break shows as a
vertical gap clearly larger than the usual distance between lines; headers and footers show as
lines in the page margins that repeat from page to page (page numbers aside). Two-column pages show
as a gutter that no line of the body crosses; tables show as runs on one line set apart by wide
gaps that line up from line to line. Both are found from positions alone, so one code path serves
typeset PDFs, Word exports and OCR'd scans.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from operator import attrgetter

from pipeline.ingest.model import Line

_MARGIN = 0.085  # share of the page height at the top and bottom where headers and footers live
# Share of the page height at the top and bottom where a heading or footing set lower than the
# margins (a Word header with space above it, a letterhead) can still be running text, when it
# repeats at one place on most pages.
_DEEP = 0.2
_EDGE_LINES = 8  # lines from each edge that may belong to such a heading or footing
_PAGE_NO = re.compile(
    r"^\s*(?:page\s*)?[-–(]?\s*\d{1,4}\s*(?:of\s*\d{1,4})?\s*[-–)]?\s*$", re.IGNORECASE
)
# Bullets as typeset, and as tesseract misreads "•" on scans ("¢", "«", "©", "°").
_BULLET_GLYPHS = "•●▪◦■·-–*¢«©°"
_BULLET = re.compile(rf"^\s*[{re.escape(_BULLET_GLYPHS)}]\s+")
# A bullet glyph set apart from its text: it belongs to the text, never a table cell of its own.
_MARKER = re.compile(r"^[•●▪◦■·\-–*]$")
# Item and paragraph numbers ("4", "4.1", "a)", "(iii)"): a first column of only these, with text
# beside it, is a hanging-indent list, not a table.
_NUMBERISH = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxlc]{1,5})[.):]?$", re.IGNORECASE)
# A bullet as Word's symbol fonts draw it, set apart from its text by a tab.
_BULLET_MARK = re.compile(r"^[•●▪■◦○►➢✓\-–*\uf0a7\uf0b7\uf076\uf0d8\uf0fc]$")
# Points of white space between two runs on one line that mark a cell or column boundary. Words
# of running text are a space apart (3 pt at 10.5 pt type); table cells are padded by 10 pt or more.
CELL_GAP = 9.0
_CELL_GAP = CELL_GAP
_ALIGN = 3.0  # points within which two left edges count as aligned
# Runs closer than this (points) are one word where the type size is unknown (OCR); a word space
# at 8 pt type is about 2 pt.
_TOUCH = 0.8
# Where the size is known, runs whose ink is closer than this share of it are one word. Between
# the ink of two words is a space's width and more, 0.15 of the size or more in 99.9% of the word
# spaces of the real minutes checked; PDFs say it better where they can (`Line.glued`).
_WORD_GAP = 0.12
_MIN_COLUMN_LINES = 5
# A line alone that names what follows ("Apologies:", "IN ATTENDANCE:"): not a table's row.
_LIST_HEADING = re.compile(r"[^:]{2,40}:")
# Labels of a header table ("Title of Meeting | Date | Attendees" beside their values).
_LABEL = re.compile(
    r"(?:title(?: of(?: the)? meeting)?|meeting(?: title| name| date)?|name of meeting|date|"
    r"date of(?: the)? (?:next )?meeting|(?:start |finish |end )?time|venue|location|place|where|"
    r"attendees|attendance|(?:members |also )?present|in attendance|apologies(?: received)?|"
    r"chair(?:ed by|person|man)?|minutes(?: taken by)?|minute taker|notes? tak(?:en by|er)|clerk|"
    r"secretary|organisation|board|committee|group|purpose|author|report(?: of| author)|lead|"
    r"contact|subject|paper|agenda item|status|version|next meeting)"
)
# Rows whose median length is at least this many words are prose (minutes set out as a table):
# each row becomes a paragraph of its own. Shorter rows (figures) stay together as one block.
_PROSE_ROW_WORDS = 20


def signature(text: str) -> str:
    """A line's identity for spotting repeats: case, digits, page numbers and spacing ignored."""
    text = re.sub(r"\bpage\s*\d+(?:\s*of\s*\d+)?", "", text.lower())
    return re.sub(r"[\W\d_]+", "", text)


# ----------------------------------------------------------------------------- runs to lines
class _Segment:
    """Runs of one visual line with no wide gap between them: a cell, or a column's line."""

    __slots__ = ("runs", "x0", "x1")

    def __init__(self, run: Line) -> None:
        self.runs = [run]
        self.x0 = run.x0
        self.x1 = run.x1

    def add(self, run: Line) -> None:
        self.runs.append(run)
        self.x1 = max(self.x1, run.x1)

    @property
    def top(self) -> float:
        return min(r.top for r in self.runs)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.runs)

    @property
    def text(self) -> str:
        return _concat(self.runs)


def merge_runs(lines: Sequence[Line]) -> list[Line]:
    """Join text runs that share a line (their vertical middles overlap) into one, left to right.

    A bullet glyph or a bold word sits a little higher or lower than the text beside it, so runs
    are grouped by overlap, not by equal tops. On a two-column page the runs of each column are
    joined separately (and the lines tagged with their column); a table's rows become one line
    each, cells in order, so a value stays beside its label and an action beside its row.
    """
    groups = _visual_lines([ln for ln in lines if ln.text.strip()])
    segmented = [_segments(g) for g in groups]
    gutter = _find_gutter(segmented)
    ids = itertools.count(1)
    if gutter is None:
        return _assemble(groups, segmented, 0, ids)
    parts: dict[int, tuple[list[list[Line]], list[list[_Segment]]]] = {
        c: ([], []) for c in (0, 1, 2)
    }
    for segs in segmented:
        by_column: dict[int, list[_Segment]] = {0: [], 1: [], 2: []}
        for s in segs:
            by_column[1 if s.x1 <= gutter else 2 if s.x0 >= gutter else 0].append(s)
        for column, chosen in by_column.items():
            if chosen:
                parts[column][0].append([r for s in chosen for r in s.runs])
                parts[column][1].append(chosen)
    out: list[Line] = []
    for column, (part_groups, part_segments) in parts.items():
        out.extend(_assemble(part_groups, part_segments, column, ids))
    return out


def _visual_lines(lines: Sequence[Line]) -> list[list[Line]]:
    """Runs grouped into visual lines, top to bottom, each group's runs left to right."""
    merged: list[list[Line]] = []
    group: list[Line] = []
    top = bottom = 0.0
    # Run for every line of every page: comparisons written out rather than min() and max().
    for ln in sorted(lines, key=_TOP_LEFT):
        ln_top, ln_bottom = ln.top, ln.bottom
        middle = (ln_top + ln_bottom) / 2
        overlap = (bottom if bottom < ln_bottom else ln_bottom) - (top if top > ln_top else ln_top)
        height = ln_bottom - ln_top
        # A superscript's middle is above the line's; it still shares most of its height.
        if group and (
            top <= middle <= bottom
            or overlap > 0.3 * (height if height < bottom - top else bottom - top)
        ):
            group.append(ln)
            top, bottom = min(top, ln_top), max(bottom, ln_bottom)
            continue
        group = [ln]
        merged.append(group)
        top, bottom = ln_top, ln_bottom
    for group in merged:
        if len(group) > 1:
            group.sort(key=_LEFT)
    return merged


_TOP_LEFT = attrgetter("top", "x0")
_LEFT = attrgetter("x0")


def _segments(group: list[Line]) -> list[_Segment]:
    """Split a visual line at wide gaps; a lone bullet glyph stays with the text after it."""
    segments = [_Segment(group[0])]
    if len(group) == 1:  # most lines
        return segments
    for run in group[1:]:
        last = segments[-1]
        wide = run.x0 - last.x1 >= _CELL_GAP or run.cell
        if last.x1 > 0 and wide and not _MARKER.match(last.text):
            segments.append(_Segment(run))
        else:
            last.add(run)
    return segments


def _concat(runs: Sequence[Line]) -> str:
    """Runs of one line as text: a space between them unless they are one word (a superscript, a
    word half in italics, a kerned pair); a run that starts or ends with a space brings its own."""
    out = runs[0].text.strip()
    for prev, run in itertools.pairwise(runs):
        out += run.text.strip() if _one_word(prev, run) else " " + run.text.strip()
    return out


def _one_word(prev: Line, run: Line) -> bool:
    """Whether ``run`` goes on the word ``prev`` ends, with no space between.

    A PDF's reader decides for runs it found side by side in its text (``glued``, or a space of
    their own), as it knows the glyphs' advance widths; otherwise the gap between their ink,
    against the size of the type.
    """
    if prev.x1 <= 0 or prev.text[-1:].isspace() or run.text[:1].isspace():
        return False
    gap = run.x0 - prev.x1
    if run.glued:
        return gap < _CELL_GAP
    size = max(prev.size, run.size)
    return gap < (_WORD_GAP * size if size else _TOUCH)


def _join(group: list[Line], column: int) -> Line:
    """One visual line's runs as a single line, the longest run giving its weight and size."""
    if len(group) == 1:  # most lines: no need to combine anything
        g = group[0]
        text = g.text.strip()
        if text == g.text and g.column == column and not g.block:
            return g  # already as it would be made: lines are never changed in place
        return Line(text, g.x0, g.top, g.bottom, g.bold, g.size, g.x1, column, par=g.par)
    text = _concat(group)
    main = max(group, key=lambda g: len(g.text))
    return Line(
        text,
        group[0].x0,
        min(g.top for g in group),
        max(g.bottom for g in group),
        main.bold,
        main.size,
        max(g.x1 for g in group),
        column,
        par=group[0].par,
    )


def _assemble(
    groups: list[list[Line]], segmented: list[list[_Segment]], column: int, ids: Iterator[int]
) -> list[Line]:
    """Lines of one column (or of the whole page): tables as rows, everything else as it reads."""
    out: list[Line] = []
    done = 0
    tables = _find_tables(groups, segmented)
    right = max((r.x1 for g in groups for r in g), default=0.0) if tables else 0.0
    for start, end, gaps in tables:
        out.extend(_join(g, column) for g in groups[done:start])
        table = _table_lines(groups[start:end], segmented[start:end], gaps, right)
        out.extend(_tagged(table, column, ids))
        done = end
    out.extend(_join(g, column) for g in groups[done:])
    return out


# ----------------------------------------------------------------------------- columns
def _find_gutter(segmented: list[list[_Segment]]) -> float | None:
    """The x position of a two-column page's gutter, or None for a single-column page.

    A column's lines start at one left edge, so the right column shows as many lines starting at
    the same x in the middle half of the page. Most pages have no such edge and stop there.
    """
    segments = [s for segs in segmented for s in segs]
    if len(segments) < 2 * _MIN_COLUMN_LINES or any(s.x1 <= 0 for s in segments):
        return None
    left_edge = min(s.x0 for s in segments)
    width = max(s.x1 for s in segments) - left_edge
    if width <= 0:
        return None
    starts = Counter(
        round(s.x0 / 2) for s in segments if 0.25 * width <= s.x0 - left_edge <= 0.75 * width
    )
    for key, count in starts.most_common(3):
        if count < _MIN_COLUMN_LINES:
            break
        start = min(s.x0 for s in segments if round(s.x0 / 2) == key)
        gutter = _columns_at(segments, start, width)
        if gutter is not None:
            return gutter
    return None


def _columns_at(segments: list[_Segment], start: float, width: float) -> float | None:
    """The gutter before ``start`` if the text either side reads as two columns of prose.

    Both sides must be left-aligned, wide, and hold running text, and their paragraphs must not
    start level with each other, which is what tells a table of two prose columns (rows start
    together) from two columns of text (paragraphs fall where they fall).
    """
    left = [s for s in segments if s.x1 <= start - _ALIGN]
    right = [s for s in segments if s.x0 >= start - _ALIGN]
    spanning = len(segments) - len(left) - len(right)
    if min(len(left), len(right)) < _MIN_COLUMN_LINES or spanning > (len(left) + len(right)) / 2:
        return None
    for side in (left, right):
        edge = Counter(round(s.x0 / 2) for s in side).most_common(1)[0][1]
        if edge < 0.6 * len(side):
            return None
        if statistics.median(len(s.text.split()) for s in side) < 4:
            return None
    widths = [max(s.x1 for s in side) - min(s.x0 for s in side) for side in (left, right)]
    if min(widths) < 0.3 * width or min(widths) < 0.5 * max(widths):
        return None
    if _rows_align(left, right):
        return None
    return (max(s.x1 for s in left) + start) / 2


def _paragraph_starts(side: list[_Segment]) -> list[float]:
    ordered = sorted(side, key=lambda s: s.top)
    height = statistics.median(s.bottom - s.top for s in ordered)
    starts = [ordered[0].top]
    starts += [b.top for a, b in itertools.pairwise(ordered) if b.top - a.bottom > 0.8 * height]
    return starts


def _rows_align(left: list[_Segment], right: list[_Segment]) -> bool:
    """Whether most paragraphs on the two sides start level: the rows of a table."""
    ls, rs = _paragraph_starts(left), _paragraph_starts(right)
    if min(len(ls), len(rs)) < 3:
        return False
    level = sum(1 for a in ls if any(abs(a - b) <= 2 for b in rs))
    return level >= 0.6 * min(len(ls), len(rs))


# ----------------------------------------------------------------------------- tables
Gap = tuple[float, float]  # white space between two columns of a table: (left, right)


def _find_tables(
    groups: list[list[Line]], segmented: list[list[_Segment]]
) -> list[tuple[int, int, list[Gap]]]:
    """Tables as (first line, end line, gaps between columns), top to bottom.

    A table starts at a line split into cells and runs on while lines stay close and none
    crosses the white space between two columns; it needs two lines with several cells. A first
    column of bare item numbers beside text is a numbered list set with tabs, not a table.
    """
    if sum(1 for segs in segmented if len(segs) >= 2) < 2:
        return []
    height = statistics.median(bottom - top for top, bottom in map(_extent, groups))
    tables: list[tuple[int, int, list[Gap]]] = []
    i = 0
    while i < len(groups):
        if len(segmented[i]) < 2:
            i += 1
            continue
        end, gaps, multi = _grow_table(groups, segmented, i, height)
        if multi >= 2 and gaps and not _numbered_list(segmented[i:end], gaps):
            tables.append((i, end, gaps))
            i = end
        else:
            i += 1
    return tables


def _extent(group: list[Line]) -> tuple[float, float]:
    return min(r.top for r in group), max(r.bottom for r in group)


def _gaps(spans: list[tuple[float, float]]) -> list[Gap]:
    """The white space, wide as a cell gap, between horizontal spans of text."""
    ordered = sorted(spans)
    gaps: list[Gap] = []
    reach = ordered[0][1]
    for x0, x1 in ordered[1:]:
        if x0 - reach >= _CELL_GAP:
            gaps.append((reach, x0))
        reach = max(reach, x1)
    return gaps


def _grow_table(
    groups: list[list[Line]], segmented: list[list[_Segment]], start: int, height: float
) -> tuple[int, list[Gap], int]:
    """How far a table starting at ``start`` runs: (end index, column gaps, lines with cells).

    Columns are told apart by the white space between them, not by left edges, so right-aligned
    figures are cells like any other. A line belongs to the table unless it is far below it,
    starts left of it, or fills a gap between columns. A line with text in the first column only
    could as well be the paragraph after the table: it belongs only when set as close as the
    wrapped lines of a cell.
    """
    spans = [(s.x0, s.x1) for s in segmented[start]]
    gaps = _gaps(spans)
    left = min(x0 for x0, _ in spans)
    multi, widest_gap = 1, 0.0
    end = start + 1
    while end < len(groups):
        gap = _extent(groups[end])[0] - _extent(groups[end - 1])[1]
        segs = segmented[end]
        if gap > max(3 * height, 1.5 * widest_gap) or segs[0].x0 < left - _ALIGN:
            break
        if len(segs) == 1 and gaps and segs[0].x1 <= gaps[0][0] + _ALIGN and gap > 0.75 * height:
            break
        heading = len(segs) == 1 and segs[0].x0 <= left + _ALIGN
        if heading and multi >= 2 and _LIST_HEADING.fullmatch(segs[0].text.strip()):
            break  # "IN ATTENDANCE:" after a table of those present heads a list of its own
        grown = _gaps([*spans, *((s.x0, s.x1) for s in segs)])
        if not all(any(g0 <= n0 and n1 <= g1 for n0, n1 in grown) for g0, g1 in gaps):
            break  # the line runs across the space between two columns
        spans.extend((s.x0, s.x1) for s in segs)
        gaps = grown
        multi += len(segs) >= 2
        widest_gap = max(widest_gap, gap)
        end += 1
    return end, gaps, multi


def _column(segment: _Segment, gaps: list[Gap]) -> int:
    middle = (segment.x0 + segment.x1) / 2
    return sum(1 for g0, g1 in gaps if middle > (g0 + g1) / 2)


def _numbered_list(segmented: list[list[_Segment]], gaps: list[Gap]) -> bool:
    firsts = [segs[0].text.strip() for segs in segmented if len(segs) >= 2]
    margin = [segs[0].text.strip() for segs in segmented if gaps and segs[0].x1 <= gaps[0][0] + 1]
    if margin and all(_BULLET_MARK.match(t) for t in margin):
        return True  # bulleted paragraphs, whatever sits in the margin beside them
    if len(gaps) != 1:
        return False
    return all(_NUMBERISH.match(t) for t in firsts)


def _table_lines(
    groups: list[list[Line]],
    segmented: list[list[_Segment]],
    gaps: list[Gap],
    page_right: float,
) -> list[tuple[Line, int]]:
    """A table's rows as lines, cells in order, each with the index of the block it belongs to.

    A cell's right edge is where the next column starts (less the padding), or for the last
    column the right edge of the text on the page: a line that stops well short of it, with room
    for the next line's first word, was broken on purpose.
    """
    opens = [len(segs) >= 2 and _column(segs[0], gaps) == 0 for segs in segmented[: len(groups)]]
    edges = [max(g0, g1 - 2 * _ALIGN - _CELL_GAP) for g0, g1 in gaps] + [page_right - 2 * _ALIGN]
    reach = [
        max([edges[k], *(s.x1 for segs in segmented for s in segs if _column(s, gaps) == k)])
        for k in range(len(edges))
    ]
    wraps = [False] + [
        _wrapped_on(segmented[i - 1], segmented[i], gaps, reach) for i in range(1, len(groups))
    ]
    rows = _rows(groups, opens, wraps)
    cells_of_rows: list[list[list[_Segment]]] = []
    for row in rows:
        cells: list[list[_Segment]] = [[] for _ in range(len(gaps) + 1)]
        for index in row:
            for s in segmented[index]:
                cells[_column(s, gaps)].append(s)
        cells_of_rows.append(cells)
    right = [
        max([edges[k], *(s.x1 for cells in cells_of_rows for s in cells[k])])
        for k in range(len(edges))
    ]
    texts = [[_cell_text(c, right[k]) for k, c in enumerate(cells)] for cells in cells_of_rows]
    filled = [i for i, t in enumerate(texts) if any(t)]  # format_table drops empty rows
    out: list[tuple[Line, int]] = []
    position = 0
    for block_index, block in enumerate(format_table(texts)):
        for text in block:
            runs = [r for i in rows[filled[position]] for r in groups[i]]
            main = max(runs, key=lambda r: len(r.text))
            line = Line(
                text,
                min(r.x0 for r in runs),
                min(r.top for r in runs),
                max(r.bottom for r in runs),
                main.bold,
                main.size,
                max(r.x1 for r in runs),
            )
            out.append((line, block_index))
            position += 1
    return out


def _tagged(rows: list[tuple[Line, int]], column: int, ids: Iterator[int]) -> list[Line]:
    """Table rows with their column and a page-wide block id per block of the table."""
    block_ids: dict[int, int] = {}
    out = []
    for line, index in rows:
        if index not in block_ids:
            block_ids[index] = next(ids)
        out.append(replace(line, column=column, block=block_ids[index]))
    return out


def _rows(
    groups: list[list[Line]], opens: Sequence[bool] = (), wraps: Sequence[bool] = ()
) -> list[list[int]]:
    """Visual lines grouped into table rows.

    Cell padding makes the step from one row to the next larger than the step between wrapped
    lines of a cell; when every step is the same, each line is a row of its own, unless it
    carries on the words of the line above (``wraps``): a table continued from the page before
    shows one tall row with no padding to measure. Where the padding is slight (a point or two),
    a line with text in the first column and another (``opens``) starts a row once its step is
    any wider than a wrapped line's: a new owner beside a new action.
    """
    tops = [_extent(g)[0] for g in groups]
    steps = [b - a for a, b in itertools.pairwise(tops)]
    rows: list[list[int]] = [[0]]
    uneven = bool(steps) and max(steps) - min(steps) > 3.0
    for i, step in enumerate(steps, start=1):
        opening = i < len(opens) and opens[i] and step > min(steps) + 1.5
        wrapped = i < len(wraps) and wraps[i] and step <= min(steps) + 3.0
        if wrapped or (uneven and step <= min(steps) + 3.0 and not opening):
            rows[-1].append(i)
        else:
            rows.append([i])
    return rows


def _wrapped_on(
    above: list[_Segment], line: list[_Segment], gaps: list[Gap], reach: list[float]
) -> bool:
    """Whether every cell of ``line`` goes on with the words of the line above in its column:
    it opens in lower case, and the line above ran to the column's edge (it was wrapped there,
    not broken on purpose). A row of its own opens with a capital, a number or a name."""
    columns = {_column(s, gaps): s for s in above}
    for s in line:
        k = _column(s, gaps)
        prev = columns.get(k)
        if prev is None or not s.text[:1].islower():
            return False
        char = (prev.x1 - prev.x0) / max(1, len(prev.text))
        if prev.x1 + char * (len(s.text.split()[0]) + 1) < reach[k] - 1:
            return False  # the word would have fitted above: the line was broken on purpose
    return True


def _cell_text(segments: list[_Segment], right_edge: float) -> str:
    """A cell's lines as one string: wrapped lines joined, deliberate line breaks kept as "; ".

    A line that stopped short of the cell's right edge with room for the next line's first word
    was broken on purpose (a list of names, one a line), and so was a sentence's end before a
    paragraph OCR found (a cell of several paragraphs); a word split by a hyphen is rejoined.
    """
    if not segments:
        return ""
    out = segments[0].text
    for prev, seg in itertools.pairwise(segments):
        text = seg.text
        paragraph = seg.runs[0].par and out.endswith((".", "!", "?"))
        if out.endswith("-") and out[-2:-1].isalpha() and text[:1].islower():
            out = out[:-1] + text
        elif paragraph or (
            _broken_on_purpose(prev, text, right_edge) and not out.endswith((",", ";", ":"))
        ):
            out += "; " + text
        else:
            out += " " + text
    return " ".join(out.split())


def _broken_on_purpose(prev: _Segment, text: str, right_edge: float) -> bool:
    ended = prev.text.rstrip().endswith((".", "!", "?"))
    if prev.text.rstrip().endswith("-") or not (
        text[:1].isupper() or (ended and text[:1].isdigit())
    ):
        return False
    char = (prev.x1 - prev.x0) / max(1, len(prev.text))
    word = len(text.split()[0]) + 1
    return prev.x1 + char * word < right_edge - 1


def format_table(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    """A table's rows as blocks of lines, one line per row, the same for every format.

    A header table of labels and values gives "Label: value" lines, one block each, so that
    "Date: 12 March 2024" and "Attendees: ..." read as they would in running text. Rows of prose
    (minutes set out as Item | Discussion | Action) are a block each; any other table, say of
    figures, is one block of "cell | cell" rows.
    """
    clean = [[" ".join(c.split()) for c in row] for row in rows]
    clean = [row for row in clean if any(row)]
    if not clean:
        return []
    if _label_table(clean):
        return [[f"{row[0].rstrip(':').strip()}: {row[1]}".rstrip()] for row in clean]
    lines = [" | ".join(row).rstrip(" |") if row[-1] == "" else " | ".join(row) for row in clean]
    words = [len(" ".join(row).split()) for row in clean[1:] or clean]
    if statistics.median(words) >= _PROSE_ROW_WORDS:
        return [[line] for line in lines]
    return [lines]


def _label_table(rows: list[list[str]]) -> bool:
    if len(rows) < 2 or any(len(row) != 2 for row in rows):
        return False
    labels = sum(1 for row in rows if is_label(row[0]))
    return labels >= 0.6 * len(rows)


def is_label(text: str) -> bool:
    """Whether a table cell is a header-table label such as "Date" or "Title of Meeting:"."""
    return _LABEL.fullmatch(" ".join(text.lower().rstrip(":").split())) is not None


# ----------------------------------------------------------------------------- margins
def split_margins(
    pages: Sequence[Sequence[Line]], heights: Sequence[float]
) -> tuple[list[list[Line]], list[str], list[str]]:
    """Remove running headers and footers; return body lines and the removed text per page.

    A margin line counts as running when its signature recurs on at least half the pages (so a
    two-page document needs it on both), or when it is only a page number. A line set lower, up
    to a fifth of the page from its edge, counts when it recurs at the same place on as many
    pages and only running lines stand between it and the edge (`_placed_repeats`). Such lines
    at the head of the first page are the document's own title, repeated on the pages after it:
    that page keeps them.
    """
    n = len(pages)
    counts: Counter[str] = Counter()
    margins = [
        {i for i, ln in enumerate(lines) if _in_margin(ln, h)}
        for lines, h in zip(pages, heights, strict=True)
    ]
    for lines, in_margin in zip(pages, margins, strict=True):
        seen = {signature(lines[i].text) for i in in_margin}
        counts.update(s for s in seen if s)
    threshold = max(2, (n + 1) // 2)
    placed = _placed_repeats(pages, heights, threshold) if n > 1 else [set() for _ in pages]
    bodies, headers, footers = [], [], []
    for number, (lines, h, in_margin) in enumerate(zip(pages, heights, margins, strict=True)):
        body, head, foot = [], [], []
        for i, ln in enumerate(lines):
            running = (
                i in in_margin
                and (
                    _PAGE_NO.match(ln.text) is not None
                    or (n > 1 and counts[signature(ln.text)] >= threshold)
                )
            ) or (i in placed[number] and (number > 0 or ln.top >= h / 2))
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


def _placed_repeats(
    pages: Sequence[Sequence[Line]], heights: Sequence[float], threshold: int
) -> list[set[int]]:
    """Per page, the lines below the margins that run from page to page like a header or footer.

    Word sets a header with space above it, and a letterhead runs to several lines: both fall
    outside the margins yet recur, word for word and at the same height (within `_ALIGN`), on
    ``threshold`` pages or more. Body text does not stand at one height on page after page, and
    a line only counts when nothing but such lines (margin lines aside) lies between it and the
    top or bottom edge, so a repeated table row or item heading further in stays body text.
    """
    found: dict[str, list[tuple[int, float]]] = {}
    edges: list[tuple[list[tuple[int, str]], ...]] = []
    for number, (lines, h) in enumerate(zip(pages, heights, strict=True)):
        inner = sorted(
            (i for i, ln in enumerate(lines) if not _in_margin(ln, h)), key=lambda i: lines[i].top
        )
        top = [i for i in inner[:_EDGE_LINES] if lines[i].bottom <= h * _DEEP]
        bottom = [i for i in inner[::-1][:_EDGE_LINES] if lines[i].top >= h * (1 - _DEEP)]
        sides = tuple([(i, signature(lines[i].text)) for i in side] for side in (top, bottom))
        for side in sides:
            for i, key in side:
                if key:
                    found.setdefault(key, []).append((number, lines[i].top))
        edges.append(sides)

    def recurs(key: str, top: float) -> bool:
        at = {number for number, t in found.get(key, ()) if abs(t - top) <= _ALIGN}
        return len(at) >= threshold

    out: list[set[int]] = []
    for lines, sides in zip(pages, edges, strict=True):
        chosen: set[int] = set()
        for side in sides:  # each from the page's edge inwards
            for i, key in side:
                if not recurs(key, lines[i].top):
                    break
                chosen.add(i)
        out.append(chosen)
    return out


# ----------------------------------------------------------------------------- blocks
def blocks_from_lines(lines: Sequence[Line]) -> str:
    """Group lines into blocks at vertical gaps and changes of type; blocks joined by a blank line.

    The usual line pitch is the lower quartile of the distances between consecutive line middles:
    most lines sit inside paragraphs, whose pitch is the smallest on the page, and middles move
    less than tops when OCR boxes grow with ascenders. A pitch 35% larger marks a new block, and
    so does a change between bold and regular or of font size (a heading set close above its
    paragraph). Bullets are normalised to "• ". A two-column page reads down the left column,
    then the right, band by band between full-width lines; table rows keep the blocks
    :func:`merge_runs` gave them.
    """
    if not lines:
        return ""
    streams = _reading_order(lines)
    text_lines = [[ln for ln in s if not ln.block] for s in streams]
    pitches = sorted(
        b - a
        for s in text_lines
        for a, b in itertools.pairwise([(ln.top + ln.bottom) / 2 for ln in s])
        if b > a
    )
    usual = pitches[len(pitches) // 4] if pitches else 0.0
    heights = [ln.bottom - ln.top for s in text_lines for ln in s]
    if heights:
        median = statistics.median(heights)
        usual = min(usual, 1.6 * median) if usual else median
    blocks: list[list[str]] = [[]]
    prev: Line | None = None
    gap = usual * 1.35 + 0.5  # _new_block's test, written out below for the usual case
    for stream in streams:
        for index, ln in enumerate(stream):
            if prev is None:
                pass
            elif index == 0 or prev.block or ln.block:
                if _new_block(prev, ln, usual, first_in_stream=index == 0):
                    blocks.append([])
            elif (
                (ln.top + ln.bottom - prev.top - prev.bottom) / 2 > gap
                or ln.par
                or ln.bold != prev.bold
                or _sizes_differ(prev, ln)
            ):
                blocks.append([])
            text = ln.text.strip()
            if not ln.block and text[:1] in _BULLET_GLYPHS:
                text = _BULLET.sub("• ", text)
            blocks[-1].append(text)
            prev = ln
    return "\n\n".join("\n".join(b) for b in blocks if b)


def _new_block(prev: Line, line: Line, usual: float, *, first_in_stream: bool) -> bool:
    if prev.block or line.block:
        return prev.block != line.block
    if first_in_stream:
        return not _flows_on(prev, line)
    return (  # as written out in blocks_from_lines, which calls this only for the rarer cases
        (line.top + line.bottom - prev.top - prev.bottom) / 2 > usual * 1.35 + 0.5
        or line.bold != prev.bold
        or _sizes_differ(prev, line)
    )


def _sizes_differ(a: Line, b: Line) -> bool:
    """Whether two lines are set in different sizes; 0 is an unknown size and differs from none.

    pdfium finds no character at the left edge of a line that starts with a narrow glyph (an
    opening quote), and OCR gives no sizes at all: neither is a change of type.
    """
    return a.size > 0 and b.size > 0 and abs(a.size - b.size) > 0.6


def _flows_on(prev: Line, line: Line) -> bool:
    """Whether a paragraph runs on from the foot of one column to the head of the next."""
    last = prev.text.rstrip()[-1:]
    return (
        bool(last)
        and last not in ".:;?!)"
        and line.text.lstrip()[:1].islower()
        and prev.bold == line.bold
        and not _sizes_differ(prev, line)
    )


def _reading_order(lines: Sequence[Line]) -> list[list[Line]]:
    """Lines in reading order as streams: runs of full-width lines, then each column in turn."""
    ordered = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    if not any(ln.column for ln in ordered):
        return [ordered]
    streams: list[list[Line]] = []
    full: list[Line] = []
    columns: dict[int, list[Line]] = {1: [], 2: []}
    for ln in ordered:
        if ln.column == 0:
            streams.extend(c for c in (columns[1], columns[2]) if c)
            columns = {1: [], 2: []}
            full.append(ln)
        else:
            if full:
                streams.append(full)
                full = []
            columns[ln.column].append(ln)
    streams.extend(c for c in (full, columns[1], columns[2]) if c)
    return streams
