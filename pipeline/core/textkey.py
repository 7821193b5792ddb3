"""A unit's identity for joining human coding to machine output.

Human coders copy a unit's text from the minutes; the pipeline extracts it from a PDF, a Word file
or an OCR'd scan. Case, punctuation, bullets, hyphenation and spacing differ between the two, the
words do not, so the key is a hash of the words alone.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[’'`´]", "", text)
    return " ".join(re.findall(r"[a-z0-9]+", text))


def unit_key(text: str) -> str:
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:16]
