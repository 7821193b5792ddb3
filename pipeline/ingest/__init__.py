"""Ingest: documents in, text with page provenance out, one row per file whatever happens.

``extract`` reads one file's bytes (pure, picklable, so the runner can cache it by content hash
and run it in worker processes); ``ingest`` turns the results into the ``documents`` table and the
page texts that segmentation reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from pipeline.core import config
from pipeline.core.errors import InputError
from pipeline.ingest import facts, sniff
from pipeline.ingest.model import Extracted, Page
from pipeline.ingest.mojibake import repair

# Worker processes only extract: pandas (a third of a second to import) is for `ingest` alone.
if TYPE_CHECKING:
    import pandas as pd

# Bump when extraction changes, so cached text from older code is not reused.
# 3: tables read row by row, two-column pages, text joins and page marks, mojibake everywhere.
# 4: PDF runs from their own characters (no doubled letters, superscripts on their line, the
#    size of a line that opens with a quote).
# 5: PDF lines read from the page text line by line; a hyphen pdfium took out is kept.
# 6: a Markdown page mark may follow text directly (a page that breaks mid-paragraph).
# 7: legacy Word .doc (antiword) and OpenDocument .odt are read, no longer skipped.
# 8: PDF runs joined as words by their advance widths (no "w hite", "1 8"); sizes as seen on the
#    page; running headers set below the margin band.
# 9-15: layout fixes (recorded in the history); 16 to 22 were never released.
# 23: PDF cells set with tabs inside one text run read as cells; a table ends at a list heading;
#     a line with a first-column cell starts a row however slight the padding. UTF-16 text
#     without a byte-order mark read; a PDF page that cannot be loaded left out, not the whole
#     file; web pages past --max-html-elements refused.
# 25: a table cell's line that ends a sentence short of the cell's edge ends its paragraph.
EXTRACTOR_VERSION = "25"
# How a crash (rather than a bad file) is reported; such results are not cached.
UNEXPECTED = "could not be read ("

__all__ = [
    "EXTRACTOR_VERSION",
    "UNEXPECTED",
    "Description",
    "Extracted",
    "Page",
    "RawFile",
    "describe",
    "extract",
    "ingest",
    "ingest_rows",
]


@dataclass(frozen=True)
class RawFile:
    """A corpus file as the runner found it: where, its hash, and why it can't be read, if so."""

    rel: str
    sha256: str
    size: int
    problem: str | None = None


def extract(
    rel: str, data: bytes, use_ocr: bool = True, limits: config.Limits = config.DEFAULT_LIMITS
) -> Extracted:
    """Text of one file by its type; problems become a status and message, never an exception.

    When the reader for the file's suffix fails, the first bytes say what the file really is (a
    web page saved as ".pdf", say), so the message can name the fix. Mojibake is repaired on
    every page whatever the format.
    """
    kind = config.DOCUMENT_SUFFIXES.get("." + rel.rsplit(".", 1)[-1].lower(), "")
    if not data:
        return Extracted(
            "none",
            [],
            "error",
            "file is empty (0 bytes); replace it with a complete copy or remove it from the corpus",
        )
    result = _read(kind, data, use_ocr, limits)
    if result.status == "error":
        mismatch = sniff.explain_mismatch(kind, data)
        if mismatch:
            result.message = mismatch
        elif kind == "pdf" and sniff.zero_pages(data):
            result.message = _NO_PAGES
    elif kind == "pdf" and not result.pages:
        result.status, result.message = "error", _NO_PAGES
    for page in result.pages:
        page.text = cap_blocks(repair(page.text))
        page.header = repair(page.header)
        page.footer = repair(page.footer)
    return result


# The longest paragraph real minutes hold is a few thousand characters. A block is cut below this
# so that no unit reaches spaCy's limit of a million characters a text (one paragraph of 1.05
# million stopped the whole run with spaCy's E088), nor costs NER its gigabyte per 100,000.
MAX_BLOCK_CHARS = 20_000
# Where to cut, best first: after a sentence, after a clause, at any space.
_CUTS = (re.compile(r"[.!?][\"')\]]*\s"), re.compile(r"[;:,]\s"), re.compile(r"\s"))


def cap_blocks(text: str) -> str:
    """``text`` with every block (paragraphs are separated by a blank line) longer than
    :data:`MAX_BLOCK_CHARS` cut into blocks below it; no character but the cut's space is lost."""
    if len(text) <= MAX_BLOCK_CHARS:
        return text
    return "\n\n".join(piece for block in text.split("\n\n") for piece in _cut(block))


def _cut(block: str) -> Iterator[str]:
    while len(block) > MAX_BLOCK_CHARS:
        window = block[:MAX_BLOCK_CHARS]
        end = MAX_BLOCK_CHARS  # no space at all: cut mid-word
        for cut in _CUTS:
            found = [m.end() for m in cut.finditer(window, MAX_BLOCK_CHARS // 2)]
            if found:
                end = found[-1]
                break
        yield block[:end].rstrip()
        block = block[end:].lstrip()
    yield block


_NO_PAGES = (
    "the PDF has no pages (a failed export or save); re-export it from the original document"
)


def _pdf(data: bytes, use_ocr: bool, limits: config.Limits) -> Extracted:
    from pipeline.ingest.pdf import extract_pdf

    return extract_pdf(data, use_ocr=use_ocr, limits=limits)


def _docx(data: bytes, use_ocr: bool, limits: config.Limits) -> Extracted:
    from pipeline.ingest.office import extract_docx

    return extract_docx(data, limits)


def _doc(data: bytes, use_ocr: bool, limits: config.Limits) -> Extracted:
    from pipeline.ingest.legacy import extract_doc

    return extract_doc(data)


def _odt(data: bytes, use_ocr: bool, limits: config.Limits) -> Extracted:
    from pipeline.ingest.odf import extract_odt

    return extract_odt(data, limits)


def _html(data: bytes, use_ocr: bool, limits: config.Limits) -> Extracted:
    from pipeline.ingest.web import extract_html

    return extract_html(data, limits.max_html_elements)


def _text(data: bytes, use_ocr: bool, limits: config.Limits) -> Extracted:
    from pipeline.ingest.text import extract_markdown

    return extract_markdown(data)


# The reader of each kind of file (config.DOCUMENT_SUFFIXES maps suffixes to kinds). A new input
# format is a reader module here, its suffixes there and its entry in this table; each reader is
# imported only when a file of its kind is read.
READERS: Final[dict[str, Callable[[bytes, bool, config.Limits], Extracted]]] = {
    "pdf": _pdf,
    "docx": _docx,
    "doc": _doc,
    "odt": _odt,
    "html": _html,
    "text": _text,
}


def _read(kind: str, data: bytes, use_ocr: bool, limits: config.Limits) -> Extracted:
    reader = READERS.get(kind)
    if reader is None:
        known = ", ".join(sorted(config.DOCUMENT_SUFFIXES))
        return Extracted(
            kind or "none", [], "error", f"no reader for this kind of file; involve reads {known}"
        )
    try:
        return reader(data, use_ocr, limits)
    except InputError as exc:
        return Extracted(kind or "none", [], "error", str(exc))
    except RecursionError:
        return Extracted(
            kind or "none",
            [],
            "error",
            "nested too deeply to read (thousands of levels: a damaged or hostile file); "
            "re-save or re-export it",
        )
    except MemoryError:
        return Extracted(
            kind or "none", [], "error", "too large to read in memory; split or re-export it"
        )
    except Exception as exc:  # one bad document must never stop a run
        return Extracted(
            kind or "none",
            [],
            "error",
            f"{UNEXPECTED}{type(exc).__name__}: {exc}); re-save or re-export "
            "the file; run with --debug for details",
        )


def ingest(
    files: Sequence[tuple[RawFile, Extracted | None]],
    described: Mapping[str, Description] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``documents`` table and the page texts of every readable, non-duplicate document.

    ``described`` holds `describe` of some of the files by path, made already (in a worker).
    """
    import pandas as pd

    from pipeline.core import schemas

    rows, page_rows = ingest_rows(files, described)
    documents = (
        schemas.conform(pd.DataFrame(rows, columns=schemas.columns("documents")), "documents")
        if rows
        else schemas.empty("documents")
    )
    pages = pd.DataFrame(page_rows, columns=schemas.columns("pages"))
    return documents, pages


Row = dict[str, object]
Description = dict[str, object]


def ingest_rows(
    files: Sequence[tuple[RawFile, Extracted | None]],
    described: Mapping[str, Description] | None = None,
) -> tuple[list[Row], list[Row]]:
    """`ingest`'s two tables as rows (dicts by column), for writing without building frames."""
    described = described or {}
    rows: list[Row] = []
    page_rows: list[Row] = []
    first_seen: dict[str, str] = {}
    for raw, result in files:
        doc_id = raw.sha256[:12] if raw.sha256 else "skipped-" + str(len(rows))
        row: Row = {
            "doc_id": doc_id,
            "source": raw.rel,
            "sha256": raw.sha256 or None,
            "doc_type": "other",
            "body": None,
            "meeting_date": None,
            "pages": 0,
            "n_words": 0,
            "ocr_pages": 0,
            "ocr_confidence": None,
            "extractor": "none",
            "status": "skipped",
            "message": raw.problem or "",
        }
        if raw.problem is None and result is not None:
            made = described.get(raw.rel)
            row.update(made if made is not None else describe(raw.rel, result))
            if raw.sha256 in first_seen:
                row["status"] = "duplicate"
                row["message"] = (
                    f"same content as {first_seen[raw.sha256]}; analysed once. "
                    "Remove one copy to silence this."
                )
                row["doc_id"] = f"{doc_id}-dup{len(rows)}"
            elif row["status"] in config.USABLE_STATUSES:
                first_seen[raw.sha256] = raw.rel
                page_rows.extend(
                    {
                        "doc_id": doc_id,
                        "source": raw.rel,
                        "page": p.number,
                        "text": p.text,
                        "header": p.header,
                        "footer": p.footer,
                        "ocr": p.ocr,
                        "ocr_confidence": p.ocr_confidence,
                    }
                    for p in result.pages
                )
        rows.append(row)
    return rows, page_rows


def describe(rel: str, result: Extracted) -> Description:
    """A readable file's own columns of the documents table: type, body, date, pages, words.

    Where the text dates the meeting and the file name says another day, the text's date is
    taken and the row is a warning that says so.
    """
    first = result.pages[0].text if result.pages else ""
    running = f"{result.pages[0].header}\n{result.pages[0].footer}" if result.pages else ""
    ocr_pages = [p for p in result.pages if p.ocr]
    confs = [p.ocr_confidence for p in ocr_pages if p.ocr_confidence is not None]
    n_words = sum(len(p.text.split()) for p in result.pages)
    status, message = result.status, result.message
    if status == "ok" and result.pages and n_words == 0:
        status, message = "warning", "no text found; check the file is not blank or a picture"
    doc_type = facts.doc_type(first, rel)
    dated = facts.find_meeting_date(first, rel, running)
    disagreement = facts.date_disagreement(dated, doc_type)
    if disagreement and status in config.USABLE_STATUSES:
        status, message = "warning", "; ".join(m for m in (message, disagreement) if m)
    return {
        "doc_type": doc_type,
        "body": facts.body(first),
        "meeting_date": dated.date,
        "pages": len(result.pages),
        "n_words": n_words,
        "ocr_pages": len(ocr_pages),
        "ocr_confidence": round(sum(confs) / len(confs), 1) if confs else None,
        "extractor": result.extractor,
        "status": status,
        "message": message,
    }
