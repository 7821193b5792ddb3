"""What a file really is, when it could not be read as what its name says.

A ".pdf" that is a saved web page (a download link that returned a sign-in page), an email pasted
into a file named ".pdf", a Word file renamed: the reader for the suffix can only say the file is
broken. Looking at the first bytes says what it is instead, and so what to do about it. Called
only after a reader has failed, so good files pay nothing for it.
"""

from __future__ import annotations

import re

_HTML = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html|<head|<body|<!--)", re.I)
_ZERO_PAGES = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b|/Count\s+0\b[^>]*?/Type\s*/Pages\b")
_COUNT = re.compile(rb"/Count\s+(\d+)")

# libxml2's words for entities that expand too far or refer to themselves.
_ENTITY_ATTACK = re.compile(r"amplification|entity reference loop", re.I)

_RENAME = "rename it to {suffix} so it is read as {what}"


def what_is_it(data: bytes) -> str | None:
    """A short description of the content from its first bytes, or None if it is not recognised."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "a PDF"
    if head.startswith(b"PK\x03\x04"):
        return _zip_package(data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old-style Office file (.doc or .xls)"
    if head.startswith(b"{\\rtf"):
        return "a Rich Text (.rtf) file"
    if head.startswith(b"\x89PNG"):
        return "a PNG image"
    if head.startswith(b"\xff\xd8\xff"):
        return "a JPEG image"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "a TIFF image"
    if _HTML.match(head):
        return "a web page (HTML)"
    if _is_text(head):
        return "plain text"
    return None


def _zip_package(data: bytes) -> str:
    # An OpenDocument file's first entry is its MIME type, stored uncompressed; a Word file's
    # parts are named word/... in the directory at the end of the zip.
    if b"mimetypeapplication/vnd.oasis.opendocument.text" in data[:128]:
        return ODT
    if b"word/document.xml" in data[-65536:] or b"word/document.xml" in data[:4096]:
        return DOCX
    return "a zip package (a Word .docx, or another Office file)"


ODT = "a zip package (an OpenDocument text .odt file)"
DOCX = "a zip package (a Word .docx file)"


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    return printable >= 0.97 * len(text) and sum(ch.isalpha() for ch in text) >= 0.5 * len(text)


def explain_mismatch(kind: str, data: bytes) -> str | None:
    """A message naming what the file really is and the fix, when it is not what its name says."""
    found = what_is_it(data)
    if found is None:
        return None
    if kind == "pdf" and found != "a PDF":
        return _not_pdf(found)
    if kind in ("doc", "odt", "docx"):
        return _not_word(kind, found)
    if kind in ("text", "html") and found == "a PDF":
        return "not text but a PDF with a text or web-page name; " + _RENAME.format(
            suffix=".pdf", what="a PDF"
        )
    if kind in ("text", "html") and found.startswith("a zip"):
        return f"not text but {found}; give it its proper suffix (.docx for a Word document)"
    return None


_WORD_NAMES = {"doc": "an old Word .doc", "odt": "an OpenDocument .odt", "docx": "a Word .docx"}


def _not_word(kind: str, found: str) -> str | None:
    """A word-processor file that is something else: say what, and the suffix that reads it."""
    suffix = "." + kind
    named = f"with {'an' if kind == 'odt' else 'a'} {suffix} name"
    expected = _WORD_NAMES[kind]
    renames = {
        "a PDF": (".pdf", "a PDF"),
        DOCX: (".docx", "a Word document"),
        ODT: (".odt", "an OpenDocument document"),
        "an old-style Office file (.doc or .xls)": (".doc", "an old Word document"),
        "plain text": (".txt", "text"),
        "a web page (HTML)": (".html", "a web page"),
    }
    if found in renames and renames[found][0] == suffix:
        return None  # it is what its name says: the reader's own message stands
    what = found[len("a zip package (") : -1] if found.startswith("a zip package (") else found
    if found in renames:
        new_suffix, read_as = renames[found]
        fix = f"rename it to {new_suffix} so it is read as {read_as}"
        if kind == "docx" and found in ("plain text", "a web page (HTML)"):
            fix += ", or open the original in Word and save as .docx"
        if kind == "doc" and found == "a web page (HTML)":
            named += " (as Word's 'Save as Web Page' can leave one)"
        return f"not {expected} file but {what} {named}; {fix}"
    if found == "a Rich Text (.rtf) file":
        return (
            f"not {expected} file but a Rich Text (.rtf) file {named}, which is not read; open "
            "it in Word or LibreOffice and save as .docx"
        )
    # A .docx or .odt reader looks inside a zip itself, and says more than "a zip" can.
    if found.startswith("a zip") and kind == "doc":
        return (
            f"not {expected} file but {found} {named}; give it its proper suffix, or open it in "
            "Word or LibreOffice and save as .docx"
        )
    return None


def _not_pdf(found: str) -> str:
    if found == "a web page (HTML)":
        return (
            "not a PDF but a web page (HTML) saved with a .pdf name, often a download link that "
            "returned a sign-in or error page; download the PDF again, or rename the file to "
            ".html if the page itself holds the minutes"
        )
    if found == "plain text":
        return "not a PDF but plain text with a .pdf name; " + _RENAME.format(
            suffix=".txt", what="text"
        )
    if found == ODT:
        return "not a PDF but an OpenDocument text .odt file with a .pdf name; rename it to .odt"
    if found.startswith("a zip"):
        return f"not a PDF but {found} with a .pdf name; rename it to .docx if it is a Word file"
    if found.startswith("an old-style Office"):
        return (
            f"not a PDF but {found}; rename it to .doc if it is a Word document, or save or "
            "export it as PDF"
        )
    if found.endswith("image"):
        return (
            f"not a PDF but {found} with a .pdf name; convert it to PDF (scanned pages are read "
            "with OCR)"
        )
    return f"not a PDF but {found}; save or export it as PDF or .docx"


def zero_pages(data: bytes) -> bool:
    """Whether a PDF's page tree says it has no pages (only visible when it is not compressed)."""
    counts = _COUNT.findall(data[:65536])
    return bool(counts) and all(c == b"0" for c in counts) and bool(_ZERO_PAGES.search(data))


def entity_trouble(parser_message: str, kind: str) -> str | None:
    """What to tell the user when a word processor's XML failed over entities it declares.

    Word and LibreOffice never write a <!DOCTYPE> with entities: one that expands a thousand-fold
    ("billion laughs") or names a file outside is hand-made to attack the reader. libxml2 refuses
    it with a message about amplification, which says nothing to a user.
    """
    # Not "Entity 'nbsp' not defined": that is a damaged file, told as one.
    if not _ENTITY_ATTACK.search(parser_message):
        return None
    return (
        f"the {kind} declares its own XML entities (a <!DOCTYPE> that Word and LibreOffice never "
        "write, here expanding past the parser's limit): a hand-made or hostile file, not read. "
        "If it is genuine, open it in Word or LibreOffice and save it again"
    )
