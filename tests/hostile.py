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
