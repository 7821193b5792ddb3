"""Blocks of page text, agenda item headings and section headings.

Ingestion writes a page as blocks separated by blank lines, the lines of a block by single
newlines and list items starting with "• ". This module puts blocks back in reading order
(joining a paragraph broken by a page break), splits headings set without a gap, and says which
block is an item heading ("TB/24/033 Waiting times", "Item 3: ...", "4. Finance") or an unnumbered
section heading ("Actions", "Date of next meeting").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from pipeline.core import vocab
from pipeline.pseudonymise.people import clean
from pipeline.segment.times import LEADING

BULLET = "• "
# A heading may open with the time the item started ("10:15 5. Finance report": times.py).
ITEM = re.compile(
    rf"^\s*{LEADING}"
    r"(?:item\s+|minute\s+)?(?P<no>[A-Z]{1,5}/\d{1,4}/\d{1,4}|\d{1,3}(?:\.\d{1,3})?)"
    r"(?:[.:)]|\s+[-–—])?\s+(?P<title>\S.{0,140})$",
    re.IGNORECASE,
)
# Unnumbered sections that end the numbered items: what follows belongs to no item.
SECTION = re.compile(
    r"^(?:actions?(?:\s+(?:agreed|arising|summary|log))?|summary\s+of\s+actions|"
    r"(?:date\s+(?:and\s+\w+\s+)?of\s+(?:the\s+)?)?next\s+meeting|"
    r"key\s+discussion\s+points|any\s+other\s+business|aob|decisions?)\s*:?$",
    re.IGNORECASE,
)
ATT_HEAD = re.compile(
    r"^\s*(?P<head>members\s+present|present|also\s+present|in\s+attendance|"
    r"officers\s+(?:present|in\s+attendance)|attendees|attendance|invited|observers?|absent|"
    r"apologies(?:\s+for\s+absence)?(?:\s+received)?)\s*(?::\s*(?P<rest>.*)|$)",
    re.IGNORECASE,
)


@dataclass
class Block:
    page: int
    lines: list[str]
    # Where the block's words end (config.TEXT_PLACES): set by the step that reads it, so that
    # every word of the minutes is accounted for; "" until then.
    place: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def n_words(self) -> int:
        return sum(count_words(ln) for ln in self.lines)


_WORD = re.compile(r"\S*[^\W_]\S*")


def count_words(text: str) -> int:
    """Words as the text accounting counts them: runs with a letter or digit (bullets are not,
    Word's letter-o bullet included)."""
    return len(_WORD.findall(_O_BULLETS.sub("", text)))


_O_BULLETS = re.compile(r"(?m)^o\s+(?=[A-Z])")


def blocks(doc_pages: pd.DataFrame) -> list[Block]:
    """Blocks in reading order; a paragraph broken by a page break is joined back together."""
    out: list[Block] = []
    for page in doc_pages.itertuples(index=False):
        # The page's full line length: a heading is clearly shorter, a wrapped first line is not.
        full = max((len(clean(ln)) for ln in str(page.text).split("\n")), default=0)
        for _i, raw in enumerate(str(page.text).split("\n\n")):
            lines = [_bullet(clean(ln)) for ln in raw.split("\n") if ln.strip()]
            if not lines:
                continue
            # A paragraph broken by a page break, or by a gap inside a page (converted files).
            if out and _continues(out[-1], lines):
                out[-1].lines.extend(lines)
                continue
            number = int(str(page.page))
            for part in split_headings(lines, full):
                out.extend(Block(number, piece) for piece in split_items(part, full))
    return out


# A line that opens a sub-item or a numbered paragraph of its own: "a. Review of actions",
# "b) ...", "(c) ...", "ii. ...", "5.6 Portincaple Bins", "8e. Planning", "2. Delays on ...".
SUB_ITEM = re.compile(
    r"^\s*(?:[a-z][.)]|\([a-z]{1,3}\)|(?:i{1,3}|iv|vi{0,3}|ix|x)[.)]|\d{1,2}\.\d{1,2}\.?|"
    r"\d{1,2}[a-z][.)]?|\d{1,2}[.)])\s+(?=\S)"
)


def split_items(lines: list[str], page_width: int = 0) -> list[list[str]]:
    """A block cut where a line opens a sub-item, a numbered paragraph or a bullet.

    Minutes run "a. Welcome ..." / "GCC welcomed ..." / "b. Apologies (as above)" / "c. Declarations
    of interest - none" together without gaps; a person reads each as its own paragraph. A
    sub-item's title with text under it in the same block is cut from that text, so that it
    reads as a heading. Rows of a table are never cut.
    """
    if len(lines) < 2:
        return [lines]
    if any(_row(ln) for ln in lines):
        return _table_runs(lines, page_width)
    # A title is clearly shorter than the page's full lines; in a short block measure it against
    # the page, since its own lines may all be short.
    width = max(max(len(ln) for ln in lines), page_width)
    parts: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        opens = i > 0 and (
            line.startswith(BULLET)
            or (SUB_ITEM.match(line) is not None and _ends_thought(lines[i - 1]))
        )
        if opens and parts[-1]:
            parts.append([])
        parts[-1].append(line)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if (
            SUB_ITEM.match(line)
            and _title_line(line)
            and following
            and not following[:1].islower()
            and len(line) <= 0.8 * width
        ):
            parts.append([])  # "a. Review of actions from last minutes" heads what follows
    return [p for p in parts if p]


def _row(line: str) -> bool:
    return " | " in line or line.startswith("| ") or line.rstrip().endswith(" |")


def _table_runs(lines: list[str], page_width: int) -> list[list[str]]:
    """A table's rows kept together, and the text after its last row its own block ("b.
    Approval of previous minutes" / "Proposed by ..."). A line between rows is a row whose
    other cells are empty ("Alex Kovalenko (AK)" in a two-column list) unless it opens an item."""
    last = max(i for i, ln in enumerate(lines) if _row(ln))
    cuts = [
        i
        for i, ln in enumerate(lines)
        if i > 0
        and not _row(ln)
        and (
            SUB_ITEM.match(ln)
            or ITEM.match(ln)
            or (i > last and _row(lines[i - 1]) and not ln[:1].islower())
        )
    ]
    parts, start = [], 0
    for c in cuts:
        parts.append(lines[start:c])
        start = c
    parts.append(lines[start:])
    out: list[list[str]] = []
    for p in parts:
        if p and not any(_row(ln) for ln in p):
            out += split_items(p, page_width)
        elif p:
            out.append(p)
    return out


def _ends_thought(line: str) -> bool:
    """A line after which a numbered line starts afresh: a sentence's end or a title."""
    return line.rstrip().endswith((".", ":", "?", "!", ")")) or _title_line(line)


def _title_line(line: str) -> bool:
    text = SUB_ITEM.sub("", line, count=1).strip() if SUB_ITEM.match(line) else line
    return (
        len(text.split()) <= 12
        and not text.rstrip().endswith((".", ",", ";", ":"))
        and not re.search(r"\s[–—-]\s", text)
    )


# Bullets that a PDF's symbol font gives as private-use characters, or as a dash or small "o".
_GLYPH_BULLET = re.compile(
    r"^[\uf0a7\uf0b7\uf076\uf0d8\uf0fc\u25aa\u25cf\u2022\u2023\u2043\u2219]\s*"
)


def _bullet(line: str) -> str:
    """A list item as ingestion marks bullets ("• "), whatever glyph the document used."""
    m = _GLYPH_BULLET.match(line) or _LETTER_O.match(line)
    return BULLET + line[m.end() :] if m and line[m.end() :] else line


# Word's "o" bullet (Courier New) comes through as a letter: "o To progressively release ...".
_LETTER_O = re.compile(r"^o\s+(?=[A-Z])")


def _heading_like(line: str) -> bool:
    """A short line with no closing punctuation: a title or section heading, not prose."""
    return (
        len(line) <= 60
        and len(line.split()) <= 8
        and line[:1].isupper()
        and not line.rstrip().endswith((".", ",", ";", ":"))
        and not line.startswith(BULLET)
    )


def split_headings(lines: list[str], page_width: int = 0) -> list[list[str]]:
    """Split out item headings set without a gap (OCR'd pages, tight layouts).

    A heading line is numbered like an item, clearly shorter than the block's full lines, has no
    closing full stop, and follows a finished sentence or another heading ("Key discussion
    points" above "1. Welcome"); wrapped first lines of numbered paragraphs ("4.1 Dr Menon said
    that ...") run the full width and so stay put.
    """
    if len(lines) < 2:
        return [lines]
    width = max(len(ln) for ln in lines)
    if len(lines) == 2 and lines[1][:1].isupper():
        # A heading above a one-line paragraph ("No interests were declared.") is no shorter
        # than that paragraph: measure it against the page's full lines instead.
        width = max(width, page_width)
    parts: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        m = ITEM.match(line)
        under_section = i == 1 and SECTION.match(lines[0]) is not None
        # "Item 4: ..." says it is a heading, even set right under the line before it.
        explicit = m is not None and re.match(r"\s*(?:item|minute)\s", line, re.I) is not None
        heading = (
            m is not None
            and (len(line) <= 0.8 * width or under_section or explicit)
            and not line.rstrip().endswith((".", ",", ";"))
            and m.group("title")[:1].isupper()
            and (
                i == 0
                or lines[i - 1].rstrip().endswith((".", ":", "?", "!", ")"))
                or under_section
                or explicit
            )
        )
        if heading:
            if parts[-1]:
                parts.append([])
            parts[-1].append(line)
            parts.append([])
        else:
            parts[-1].append(line)
    return [p for p in parts if p]


def _continues(prev: Block, lines: list[str]) -> bool:
    last = prev.lines[-1]
    if SUB_ITEM.match(lines[0]) or lines[0].startswith(BULLET) or not last:
        return False  # "d. The Convenor opened ...": the next sub-item, not the words run on
    if last[-1] in ".:;?!)":
        return False
    return lines[0][:1].islower()


_DATE_TITLE = re.compile(vocab.MONTH_PATTERN + r"[a-z]*\.?,?\s+\d{4}\b", re.IGNORECASE)
# An action log's entry, not a heading: owners' initials before "to", or "to be" done.
_COMMITMENT = re.compile(
    r"^(?:[A-Z]{2,4}(?:\s*(?:,|and|&|/)\s*[A-Z]{2,4})*\s+to\s+[a-z]|.{0,60}?\bto\s+be\s+[a-z]+ed\b)"
)


def is_item(block: Block) -> re.Match[str] | None:
    """The item heading a block is, with its number and title, or None."""
    text = block.text.split(" | ")[0] if " | " in block.text else block.text
    if len(block.lines) > 2 or len(text) > 150:
        return None
    m = ITEM.match(text)
    if not m:
        return None
    title = m.group("title").strip()
    # A numbered paragraph ("4.1 None were declared.", "1. Ms X introduced the report. She
    # highlighted:") is a unit, not a heading.
    if title.endswith((".", ";", ",")) or re.search(r"[.!?]\s+[A-Z\d]", title):
        return None
    if _DATE_TITLE.match(title) and int(m.group("no").split(".")[0]) <= 31:
        return None  # "9 March 2016, 10:00 - 12:30": the meeting's date, not item 9
    if _COMMITMENT.match(title):
        return None  # "7.7 - AL to send the audit to KT", "2.04 - Leaflet to be printed"
    # "1. Sue Hartley ... gave a verbal update on the following:" leads into a list.
    if title.endswith(":") and len(title.split()) > 6:
        return None
    if not title[:1].isupper() and not title[:1].isdigit():
        return None
    return m


def is_section(block: Block) -> bool:
    """An unnumbered section heading that closes the numbered items ("Actions")."""
    return len(block.lines) == 1 and SECTION.match(block.lines[0]) is not None


def is_heading(block: Block) -> bool:
    """Any other unnumbered heading on its own line: not a unit, and no item of its own."""
    line = block.lines[0]
    if len(block.lines) == 1 and _ITEM_REFERENCE.fullmatch(line):
        return True  # "(Item 4)" under a heading
    return (
        len(block.lines) == 1
        and _heading_like(line)
        and " | " not in line
        and not re.search(r"\d|:\s", line)
        and not ATT_HEAD.match(line)
        and not _RECORD.search(line)
    )


def is_reference(block: Block) -> bool:
    """ "(Item 4)", "(Minute 12)": a pointer to the agenda under a heading, no title of its own."""
    return len(block.lines) == 1 and _ITEM_REFERENCE.fullmatch(block.lines[0]) is not None


_ITEM_REFERENCE = re.compile(r"\s*\(\s*(?:item|minute|agenda\s+item)\s+[\w./]+\s*\)\s*", re.I)
# A short line that records something rather than heading it: "No questions were raised",
# "None", "Nothing to report", "Minutes approved".
_RECORD = re.compile(
    r"^(?:no|not|none|nil|nothing|n/a)\b|\b(?:was|were|is|are|has|have|had|will|would|noted|agreed|"
    r"approved|raised|received|declared|confirmed|reported|accepted|circulated|discussed)\b",
    re.IGNORECASE,
)


def has_items(blocks: Sequence[Block]) -> bool:
    return any(is_item(b) for b in blocks)


def is_list_like(block: Block) -> bool:
    return all(
        ln.startswith(BULLET) or (len(ln) < 90 and not ln.endswith(".")) for ln in block.lines
    )


def split_preamble(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """Everything before the first agenda item (title, attendance) and the body from it on."""
    for i, b in enumerate(blocks):
        if is_item(b) or is_section(b):
            return blocks[:i], blocks[i:]
    last_att = max((i for i, b in enumerate(blocks) if ATT_HEAD.match(b.lines[0])), default=-1)
    if last_att < 0:
        return [], blocks
    end = last_att + 1
    while end < len(blocks) and is_list_like(blocks[end]):
        end += 1
    return blocks[:end], blocks[end:]
