"""The annual report's PDF: the same HTML page laid out on A4 by WeasyPrint.

The page carries its own print stylesheet (``@page`` size, margins, page numbers and page breaks),
so the PDF and the browser view come from one template. Images are resolved against
``base_url``, the folder the HTML is written to, which is why the charts must be on disk first.
"""

from __future__ import annotations

import logging


def render_pdf(page: str, base_url: str) -> bytes:
    """PDF bytes for an HTML page whose relative links resolve against ``base_url``."""
    from weasyprint import HTML

    # WeasyPrint logs every CSS property it does not support (screen-only rules here) as a
    # warning; they are expected and would bury the messages a user needs.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    result = HTML(string=page, base_url=base_url).write_pdf()
    assert result is not None  # write_pdf returns bytes when no target is given
    return bytes(result)
