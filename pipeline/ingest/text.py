"""Plain text, Markdown and reStructuredText, in whatever encoding they came in."""

from __future__ import annotations

import re
from importlib.metadata import version

import ftfy
from charset_normalizer import from_bytes

from pipeline.errors import ExtractionError
from pipeline.ingest.model import Extracted, Page

NAME = f"text-ftfy-{version('ftfy')}"
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_BULLET = re.compile(r"^\s*[-*+•]\s+(?=\S)")
_RST_UNDERLINE = re.compile(r"^\s*([=\-~^\"'`#*+])\1{2,}\s*$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def decode(data: bytes) -> tuple[str, str]:
    """Text from bytes: UTF-8 if it is, else the detected encoding; mojibake repaired.

    Returns the text and a note when the encoding had to be guessed.
    """
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError(
            "binary data, not text (it has NUL bytes); check the file is what its name says"
        )
    try:
        return ftfy.fix_text(data.decode("utf-8-sig")), ""
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
    # Minutes in a legacy encoding are nearly always Windows-1252 (Word on Windows), but detection
    # on English text can prefer a code page that turns "’" and "£" into other letters: take
    # Windows-1252 whenever it reads the bytes as cleanly as the best guess.
    if any("cp1252" in m.could_be_from_charset and m.chaos <= best.chaos for m in matches):
        encoding, text = "cp1252", data.decode("cp1252")
    if _looks_binary(text):
        raise ExtractionError(
            "does not look like text (too many control characters); check the file is what its "
            "name says"
        )
    return ftfy.fix_text(text), f"not UTF-8: read as {encoding}; save it as UTF-8 to be sure"


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    printable = sum(1 for ch in sample if ch.isalpha())
    return bad > len(sample) * 0.02 or printable < len(sample) * 0.3


def extract_text(data: bytes) -> Extracted:
    text, note = decode(data)
    pages = [_page(i + 1, chunk) for i, chunk in enumerate(text.split("\f"))]
    pages = [p for p in pages if p.text or len(pages) == 1]
    result = Extracted(NAME, pages or [Page(1, "")])
    if note:
        result.status, result.message = "warning", note
    return result


def _page(number: int, chunk: str) -> Page:
    blocks: list[list[str]] = [[]]
    for raw in chunk.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            if blocks[-1]:
                blocks.append([])
            continue
        if _RST_UNDERLINE.match(line):
            continue
        line = _MD_HEADING.sub("", line)
        line = _EMPHASIS.sub(r"\2", line)
        if _MD_BULLET.match(line):
            line = _MD_BULLET.sub("• ", line)
        blocks[-1].append(line)
    return Page(number, "\n\n".join("\n".join(b) for b in blocks if b))
