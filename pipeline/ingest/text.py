"""Plain text, Markdown and reStructuredText, in whatever encoding they came in.

Text files carry their layout in characters: blank lines between paragraphs (or, in Markdown
converted from a PDF, between every wrapped line), underlines beneath headings, pipes or aligned
spaces between table cells, and sometimes a page break as a "---" line followed by the page number.
Everything here turns those marks into the page text segmentation reads: blocks separated by a
blank line, a paragraph's wrapped lines joined, list items starting with "• ", table rows with
cells separated by " | ".
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import version

from charset_normalizer import from_bytes

from pipeline.core.errors import ExtractionError
from pipeline.ingest.layout import format_table, signature
from pipeline.ingest.model import Extracted, Page
from pipeline.ingest.mojibake import fix

NAME = f"text-ftfy-{version('ftfy')}"
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BULLET = re.compile(r"^\s*[-*+•]\s+(?=\S)")
_UNDERLINE = re.compile(r"^\s*([=\-~^\"'`#*+_.:])\1{2,}\s*$")
_PAGE_RULE = re.compile(r"^\s*-{3,}\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?(\d{1,4})(?:\s+of\s+\d{1,4})?\s*$", re.IGNORECASE)
_BARE_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s*)?[-–(]?\s*\d{1,4}\s*(?:of\s*\d{1,4})?\s*[-–)]?\s*$", re.IGNORECASE
)
_PIPE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")
_RST_TABLE_RULE = re.compile(r"^\s*=+(?:\s+=+)+\s*$")
_GRID_RULE = re.compile(r"^\s*\+[-=+]+\+\s*$")
_RST_DIRECTIVE = re.compile(r"^\s*\.\.\s")
_RST_FIELD = re.compile(r"^:([^:]{1,40}):\s+(?=\S)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # Markdown image
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # Markdown link
    (re.compile(r"`([^`<]+?)\s*<[^>]+>`_{1,2}"), r"\1"),  # reStructuredText link
    (re.compile(r"``(.+?)``"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"\1"),
]
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_FULL_STOP = re.compile(r"[.!?][\"'”’)\]]*$")
_ALIGNED_GAP = re.compile(r"[^\s.!?:;] {2,}(?=\S)")
_CELL_SPLIT = re.compile(r"(?<=\S) {2,}(?=\S)")
# Words no sentence ends with: a line ending on one runs on into the next.
_MID_PHRASE = re.compile(
    r"(?:^|\s)(?:a|an|the|of|to|in|on|at|by|for|with|from|into|onto|about|and|or|but|nor|that|"
    r"which|who|whose|whom|as|than|is|was|were|be|been|being|are|has|have|had|not|their|its|his|"
    r"her|our|your|this|these|those|would|will|could|should|may|might|can|must|shall)$",
    re.IGNORECASE,
)


def decode(data: bytes) -> tuple[str, str]:
    """Text from bytes: UTF-8 if it is, else the detected encoding; mojibake repaired.

    Returns the text and a note when the encoding had to be guessed.
    """
    wide = _utf16_without_bom(data[:4096])
    if wide:
        text = data[: len(data) // 2 * 2].decode(wide, "replace")
        if not _looks_binary(text):
            return fix(text), f"UTF-16 without a byte-order mark: read as {wide}; save it as UTF-8"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError(
            "binary data, not text (it has NUL bytes); check the file is what its name says"
        )
    try:
        return fix(data.decode("utf-8-sig")), ""
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.encoding is None:
        raise ExtractionError(
            "not readable as text in any common encoding; check the file is really text, "
            "and save it as UTF-8"
        )
    encoding, text = best.encoding, str(best)
    # Minutes in a legacy encoding are nearly always Windows-1252 (Word on Windows) or Latin-1,
    # but detection on English text can prefer a code page that turns "’" and "£" into other
    # letters (a Latin-1 file whose only accent is "£" reads as Japanese): take Windows-1252
    # whenever it reads the bytes as cleanly as the best guess, or the text is nearly all ASCII.
    if any("cp1252" in m.could_be_from_charset and m.chaos <= best.chaos for m in matches) or (
        _mostly_ascii(data) and _decodes(data, "cp1252")
    ):
        encoding, text = "cp1252", data.decode("cp1252")
    if _looks_binary(text):
        raise ExtractionError(
            "does not look like text (too many control characters); check the file is what its "
            "name says"
        )
    return (
        fix(text),
        f"not UTF-8: read as {encoding}; save it as UTF-8 to be sure",
    )


def _utf16_without_bom(head: bytes) -> str | None:
    """The codec ("utf-16-le" or "utf-16-be") when ``head`` is English text in UTF-16 with no
    byte-order mark (some Windows tools save it so): every other byte NUL, those between not."""
    if len(head) < 16 or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, letters, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and letters.count(0) <= 0.1 * len(letters):
            return encoding
    return None


def _mostly_ascii(data: bytes) -> bool:
    return sum(1 for b in data if b < 0x80) >= 0.95 * len(data)


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    printable = sum(1 for ch in sample if ch.isalpha())
    return bad > len(sample) * 0.02 or printable < len(sample) * 0.3


# Front matter of a static site's page ("---", "title: ...", "layout: post", "---"): the page's
# metadata, which a reader of the minutes never sees.
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?P<meta>.*?\n)---[ \t]*\n", re.DOTALL)
# A Markdown page whose body is HTML ("<p><strong>Present:</strong></p>"), as archives hold them.
_HTML_BODY = re.compile(r"<(?:p|div|table|tr|li|h[1-6]|br)\b[^>]*>", re.IGNORECASE)


def _yaml_like(meta: str) -> bool:
    """Front matter is "key: value" lines (and their indented values), not a page mark."""
    lines = [ln for ln in meta.splitlines() if ln.strip()]
    top = [ln for ln in lines if not ln[:1].isspace() and not ln.startswith("- ")]
    return bool(top) and all(re.match(r"[\w-]+:(?:\s|$)", ln) for ln in top)


def extract_markdown(data: bytes) -> Extracted:
    """Text or Markdown; front matter goes to the page header, an HTML body to the HTML reader."""
    text, note = decode(data)
    m = _FRONT_MATTER.match(text)
    meta = ""
    if m and _yaml_like(m.group("meta")):
        meta = " ".join(m.group("meta").split())
        text = text[m.end() :]
    if len(_HTML_BODY.findall(text)) >= 3:
        from pipeline.ingest.web import extract_html

        result = extract_html(text.encode("utf-8"))
    else:
        result = extract_text(text.encode("utf-8"))
    if meta and result.pages:
        # Counted as the page's furniture (text_accounting), never read as minutes.
        first = result.pages[0]
        first.header = f"{meta} {first.header}".strip()
    if note and result.status == "ok":
        result.status, result.message = "warning", note
    return result


def extract_text(data: bytes) -> Extracted:
    text, note = decode(data)
    chunks = _split_pages(text.replace("\r\n", "\n").replace("\r", "\n"))
    page_lines = [chunk.split("\n") for _, chunk in chunks]
    heads, feet = _running_lines(page_lines)
    width = _wrap_width(ln for lines in page_lines for ln in lines)
    pages = []
    for (number, _), lines, head, foot in zip(chunks, page_lines, heads, feet, strict=True):
        body, header, footer = _strip_running(lines, head, foot)
        pages.append(Page(number, "\n\n".join(_blocks(body, width)), header, footer))
    pages = [p for p in pages if p.text or len(pages) == 1]
    result = Extracted(NAME, pages or [Page(1, "")])
    if note:
        result.status, result.message = "warning", note
    return result


# ----------------------------------------------------------------------------- pages
def _split_pages(text: str) -> list[tuple[int, str]]:
    """Pages as (number, text): at form feeds, or at "---" lines followed by a page number.

    The number after the rule is the page that starts there; a converter that numbers the page
    just ended instead shows itself by marking "1" after text, and is read that way. A page can
    break in the middle of a paragraph, so the rule may follow text directly; in Markdown that
    would make the text a heading, which is never followed by a bare page number.
    """
    if "\f" in text:
        return [(i + 1, chunk) for i, chunk in enumerate(text.split("\f"))]
    lines = text.split("\n")
    cuts: list[tuple[int, int]] = []  # (index of the rule line, page number)
    for i in range(len(lines) - 1):
        if _PAGE_RULE.match(lines[i]) and (m := _PAGE_NUMBER.match(lines[i + 1])):
            cuts.append((i, int(m.group(1))))
    if not cuts:
        return [(1, text)]
    chunks = ["\n".join(lines[: cuts[0][0]])]
    for (start, _), (end, _) in zip(cuts, [*cuts[1:], (len(lines), 0)], strict=True):
        chunks.append("\n".join(lines[start + 2 : end]))
    numbers = [n for _, n in cuts]
    leading = bool(chunks[0].strip())
    offset = 1 if leading and numbers[0] == 1 else 0
    numbered = [(numbers[0] - 1 + offset, chunks[0])] if leading else []
    numbered += [(n + offset, c) for n, c in zip(numbers, chunks[1:], strict=True)]
    found = [n for n, _ in numbered]
    if found[0] < 1 or any(b <= a for a, b in itertools.pairwise(found)):
        numbered = [(i + 1, c) for i, (_, c) in enumerate(numbered)]  # the numbers make no sense
    return [(n, c) for n, c in numbered if c.strip()] or [(1, "")]


def _running_lines(pages: list[list[str]]) -> tuple[list[int], list[int]]:
    """How many lines at the head and the foot of each page are running headers or footers.

    As in PDFs: a line counts when it recurs at the edge of at least half the pages (page numbers
    aside), or when it is only a page number.
    """
    if len(pages) < 2:
        return [0] * len(pages), [0] * len(pages)
    edges = [_edge_lines(p) for p in pages]
    counts: Counter[str] = Counter()
    for head, foot in edges:
        counts.update({signature(ln) for ln in head + foot} - {""})
    threshold = max(2, (len(pages) + 1) // 2)

    def running(line: str) -> bool:
        return bool(_BARE_PAGE_NUMBER.match(line)) or counts[signature(line)] >= threshold

    heads = [len(list(itertools.takewhile(running, head))) for head, _ in edges]
    feet = [len(list(itertools.takewhile(running, reversed(foot)))) for _, foot in edges]
    return heads, feet


def _edge_lines(page: list[str]) -> tuple[list[str], list[str]]:
    """The first and last non-blank lines of a page (two of each when the page has text between)."""
    filled = [ln.strip() for ln in page if ln.strip()]
    k = 2 if len(filled) >= 6 else 1
    return filled[:k], filled[k:][-k:]


def _strip_running(page: list[str], head: int, foot: int) -> tuple[list[str], str, str]:
    filled = [i for i, ln in enumerate(page) if ln.strip()]
    head_idx = filled[:head]
    foot_idx = filled[len(filled) - foot :] if foot else []
    drop = set(head_idx) | set(foot_idx)
    body = [ln for i, ln in enumerate(page) if i not in drop]
    header = "\n".join(page[i].strip() for i in head_idx)
    footer = "\n".join(page[i].strip() for i in foot_idx)
    return body, header, footer


# ----------------------------------------------------------------------------- blocks
@dataclass
class _Item:
    """One logical line of a page: a heading, a list item, table rows, or a line of a paragraph."""

    kind: str  # "heading", "bullet", "table", "text"
    text: str
    rows: list[list[str]] | None = None


def _wrap_width(lines: Iterable[str]) -> int:
    """The length of a full line of running text: nearly the longest line (outliers aside)."""
    lengths = sorted(
        len(ln.strip())
        for ln in lines
        if len(ln.split()) >= 4 and not ln.lstrip().startswith(("|", "#"))
    )
    return lengths[int(len(lengths) * 0.98)] if len(lengths) >= 3 else 80


def _blocks(lines: list[str], width: int) -> list[str]:
    """A page's lines as text blocks: markup read, wrapped lines joined, paragraphs found."""
    groups = _parse(lines)
    merged = _join_groups(groups, width)
    out: list[str] = []
    for group in merged:
        out.extend(_render(group, width))
    return [b for b in out if b]


def _parse(lines: list[str]) -> list[list[_Item]]:
    """Lines to items, in groups separated by blank lines; headings and tables are groups alone."""
    groups: list[list[_Item]] = [[]]
    i = 0
    while i < len(lines):
        raw = lines[i]
        line = raw.strip()
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not line or _RST_DIRECTIVE.match(raw) or _GRID_RULE.match(raw):
            _close(groups)
            i += 1
            continue
        if _RST_TABLE_RULE.match(raw):
            end, rows = _rst_table(lines, i)
            _alone(groups, _Item("table", "", rows))
            i = end
            continue
        if line.startswith("|"):
            end = i
            while end < len(lines) and lines[end].strip().startswith("|"):
                end += 1
            rows = [
                [c.strip() for c in ln.strip().strip("|").split("|")]
                for ln in lines[i:end]
                if not _PIPE_RULE.match(ln)
            ]
            _alone(groups, _Item("table", "", rows))
            i = end
            continue
        if _UNDERLINE.match(line):
            i += 1  # a rule, or a title's overline: the heading is marked by its underline
            continue
        if nxt and _UNDERLINE.match(nxt) and len(nxt) >= min(len(line), 3) and nxt[0] != "*":
            _alone(groups, _Item("heading", _inline(line)))
            i += 2
            continue
        if _MD_HEADING.match(line):
            _alone(groups, _Item("heading", _inline(_MD_HEADING.sub("", line).rstrip("# "))))
            i += 1
            continue
        if _BULLET.match(line):
            groups[-1].append(_Item("bullet", "• " + _inline(_BULLET.sub("", line))))
        elif groups[-1] and groups[-1][-1].kind == "bullet" and raw[:1].isspace():
            groups[-1][-1].text += " " + _inline(line)  # a list item's wrapped line
        else:
            groups[-1].append(_Item("text", _inline(_RST_FIELD.sub(r"\1: ", line))))
        i += 1
    return [g for g in groups if g]


def _close(groups: list[list[_Item]]) -> None:
    if groups[-1]:
        groups.append([])


def _alone(groups: list[list[_Item]], item: _Item) -> None:
    _close(groups)
    groups[-1].append(item)
    groups.append([])


def _rst_table(lines: list[str], start: int) -> tuple[int, list[list[str]]]:
    """A reStructuredText simple table from its first "=== ===" rule: (next line, rows)."""
    rule = lines[start]
    spans = [(m.start(), m.end()) for m in re.finditer(r"=+", rule)]
    rows: list[list[str]] = []
    i = start + 1
    rules_seen = 1
    while i < len(lines) and lines[i].strip():
        if _RST_TABLE_RULE.match(lines[i]):
            rules_seen += 1
            i += 1
            if rules_seen >= 3:
                break
            continue
        line = lines[i]
        cells = [
            line[a : (spans[k + 1][0] if k + 1 < len(spans) else None)].strip()
            for k, (a, _) in enumerate(spans)
        ]
        rows.append(cells)
        i += 1
    return i, rows


def _inline(text: str) -> str:
    """Inline markup dropped: emphasis, code, links and images."""
    text = _EMPHASIS.sub(r"\2", text)
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    return text.strip()


def _ends_sentence(text: str) -> bool:
    return _SENTENCE_END.search(text.rstrip()) is not None


def _join_groups(groups: list[list[_Item]], width: int) -> list[list[_Item]]:
    """Groups that a converter split mid-paragraph joined back, and lists kept with their lead-in.

    A group runs on into the next when its last line does not end a sentence and the next starts
    in lower case, or the line ends on a word no sentence ends with ("of", "the", "and"). A PDF
    converted to Markdown often makes every wrapped line a paragraph of its own; in such a file a
    group that stops mid-sentence on a full line also runs on. A line that ends a sentence ends
    the paragraph: where a converter has lost the paragraph breaks, splitting a paragraph between
    sentences does less harm than running two speakers' turns together. A
    list set off by a blank line belongs to a lead-in ending with ":".
    """
    per_line = _one_paragraph_per_line(groups, width)
    out: list[list[_Item]] = []
    for group in groups:
        if out and out[-1][-1].kind == "text":
            last, first = out[-1][-1].text, group[0]
            runs_on = (
                first.kind == "text"
                and not _ends_sentence(last)
                and (
                    first.text[:1].islower()
                    or _ends_mid_phrase(last)
                    or (per_line and not _fits(last, first.text, width))
                )
            )
            lead_in = first.kind == "bullet" and last.endswith(":")
            if runs_on or lead_in:
                out[-1].extend(group)
                continue
        out.append(list(group))
    return out


def _one_paragraph_per_line(groups: list[list[_Item]], width: int) -> bool:
    """Whether the text looks converted from a PDF a line at a time: many one-line paragraphs
    that are full width and stop mid-sentence."""
    single = [g[0].text for g in groups if len(g) == 1 and g[0].kind == "text"]
    broken = sum(1 for t in single if len(t) >= 0.8 * width and not _ends_sentence(t))
    return broken >= 3 and broken >= 0.3 * len(single)


def _ends_mid_phrase(line: str) -> bool:
    """Whether a line ends on a word that cannot end a sentence: an article, a preposition..."""
    return _MID_PHRASE.search(line) is not None and " " in line.strip()


def _fits(line: str, following: str, width: int) -> bool:
    """Whether the first word of ``following`` would have fitted at the end of ``line``.

    Characters only approximate the width of type, so a line counts as full only when it is
    also within a few characters of the longest lines.
    """
    word = following.split(" ", 1)[0]
    return len(line) + 1 + len(word) <= width or len(line) < 0.95 * width


def _render(group: list[_Item], width: int) -> list[str]:
    """One group's items as blocks of text (a group may hold several paragraphs)."""
    if group[0].kind == "table":
        return ["\n".join(b) for b in format_table(group[0].rows or [])]
    if group[0].kind == "heading":
        return [group[0].text]
    if _aligned_table(group):
        rows = [_CELL_SPLIT.split(item.text) for item in group]
        return ["\n".join(b) for b in format_table(rows)]
    hard_wrapped = sum(1 for it in group if it.kind == "text" and len(it.text) >= 0.8 * width) >= 2
    blocks: list[list[str]] = [[]]
    prev: _Item | None = None
    for item in group:
        if prev is not None and item.kind == "text" and prev.kind == "text":
            if _wrapped(prev.text, item.text, width):
                blocks[-1][-1] = _join_wrapped(blocks[-1][-1], item.text)
                prev = item
                continue
            if (
                hard_wrapped
                and _FULL_STOP.search(prev.text) is not None
                and _fits(prev.text, item.text, width)
                and item.text[:1].isupper()
            ):
                blocks.append([])  # a paragraph's short last line: the next paragraph starts
        blocks[-1].append(item.text)
        prev = item
    return ["\n".join(b) for b in blocks if b]


def _wrapped(line: str, following: str, width: int) -> bool:
    """Whether ``following`` continues ``line`` as the same paragraph wrapped.

    A line the next word would not have fitted on was wrapped; so was a line that stops
    mid-sentence before a line in lower case, or on a word no sentence ends with ("of", "the").
    Other lines stand, so a list written one entry a line ("Dr Rajiv Menon (Vice Chair),
    Clinical Director") is not run together.
    """
    if not _fits(line, following, width):
        return True
    return not _ends_sentence(line) and (following[:1].islower() or _ends_mid_phrase(line))


def _join_wrapped(line: str, following: str) -> str:
    if line.endswith("-") and line[-2:-1].isalpha() and following[:1].islower():
        return line[:-1] + following  # a word hyphenated at the line end
    return f"{line} {following}"


def _aligned_table(group: list[_Item]) -> bool:
    """Whether a group is rows of cells aligned with runs of spaces (a table in plain text)."""
    if len(group) < 2 or any(it.kind != "text" for it in group):
        return False
    if not all(_ALIGNED_GAP.search(it.text) for it in group):
        return False
    sizes = {len(_CELL_SPLIT.split(it.text)) for it in group}
    return len(sizes) == 1 and sizes.pop() >= 2
