"""Hostile files for the fault suite and the fuzz harness, made on the fly (issue 17).

Each is small on disk and costly to read the naive way: what a careless or malicious corpus
could hold. Built from real documents (python-docx, reportlab), so each is a valid file of its
type, not noise.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def docx_bomb(path: Path, paragraphs: int = 10_000_000) -> Path:
    """A valid .docx of ~80 KB whose body is millions of empty paragraphs (~70 MB of XML)."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with (
        zipfile.ZipFile(buf) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                head, _, tail = data.partition(b"<w:body>")
                data = head + b"<w:body>" + b"<w:p/>" * paragraphs + tail
            dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return path


def giant_page_pdf(path: Path, points: float = 14_400) -> Path:
    """A PDF of one blank page 14,400 pt (5 m) square: image-only, so it is OCR'd."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(points, points))
    c.rect(10, 10, 20, 20, fill=1)  # something drawn, but no text layer
    c.showPage()
    c.save()
    return path


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF written by hand from its objects (1 is the catalogue), with a correct xref, so
    that what is hostile is the structure the objects describe, not a broken file."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


_TEXT = b"BT /F1 12 Tf 72 720 Td (Minutes of the meeting of the board) Tj ET"
_PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >>"
)
_PAGE_OBJECTS = [
    _PAGE,
    b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_TEXT), _TEXT),
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
]


def cyclic_page_tree_pdf(every_page: bool = False) -> bytes:
    """A PDF whose page tree lists itself among its kids: page 2 loops back to the root. With
    ``every_page``, the tree's only kid is itself, so no page can be loaded."""
    kids = b"[2 0 R]" if every_page else b"[3 0 R 2 0 R]"
    tree = b"<< /Type /Pages /Kids %s /Count %d >>" % (kids, 1 if every_page else 2)
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>", tree, *_PAGE_OBJECTS])


def html_attribute_bomb(attributes: int = 1_000_000) -> bytes:
    """A web page of one paragraph with ``attributes`` attributes (10 MB for a million): 13 s and
    430 MB to build in BeautifulSoup, 4 GB at the 100 MB file limit."""
    names = b"".join(b'a%d="x" ' % i for i in range(attributes))
    return b"<html><body><p " + names + b">Minutes of the board</p></body></html>"


def with_entities(package: bytes, member: str, doctype: bytes, reference: bytes) -> bytes:
    """A .docx or .odt whose ``member`` declares ``doctype`` and uses ``reference`` in a new
    paragraph at the end of the body: an XML attack inside a sound package."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == member:
                head, mark, body = data.partition(b"?>")
                body = body.replace(
                    b"</w:body>", b"<w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body>" % reference, 1
                ).replace(b"</office:text>", b"<text:p>%s</text:p></office:text>" % reference, 1)
                data = head + mark + doctype + body
            dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def laughs_doctype(levels: int = 10) -> bytes:
    """Entities each ten of the one before ("billion laughs"): &a9; is a billion characters."""
    entities = b"".join(
        b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, levels)
    )
    return b'<!DOCTYPE r [<!ENTITY a0 "lol">' + entities + b"]>"
