"""Mojibake repair for the text of every format, paying for ftfy only when text needs it.

UTF-8 read as Windows-1252 somewhere along the way ("Suffolkâ€™s" for "Suffolk’s") turns up in
PDFs, Word files and web pages as well as text files. ftfy puts it right; curly quotes, dashes and
HTML-like text are left as they are, for display (matching code normalises them itself: see
pipeline.core.textkey). ftfy takes a tenth of a second to import, so it is imported only when a
cheap
check finds something to repair.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# UTF-8 read as Windows-1252 or Latin-1 leaves a lead byte (Â to ô) before a continuation byte
# (U+0080 to U+00BF, or what Windows-1252 makes of 0x80 to 0x9F); PDFs add ligatures ("ﬁ").
_SUSPECT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
    "|[\ufb00-\ufb06]"
)
# The characters either kind of damage starts with: a page without one (most pages, even with
# curly quotes and dashes) is passed over six times faster than by searching for _SUSPECT itself.
_LEAD = re.compile("[\u00c2-\u00f4\ufb00-\ufb06]")


@cache
def ftfy_config() -> Any:
    """ftfy's settings: repair encodings, keep curly quotes, dashes and character widths."""
    import ftfy

    return ftfy.TextFixerConfig(uncurl_quotes=False, unescape_html=False, fix_character_width=False)


def fix(text: str) -> str:
    """ftfy over the whole text, with the settings above."""
    import ftfy

    return str(ftfy.fix_text(text, config=ftfy_config()))


def repair(text: str) -> str:
    """Mojibake ("Suffolkâ€™s") and PDF ligatures repaired; clean text returned untouched."""
    if text.isascii() or _LEAD.search(text) is None or _SUSPECT.search(text) is None:
        return text
    return fix(text)
