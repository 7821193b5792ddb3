"""E-mail addresses and telephone numbers, replaced before any name is looked for.

An address often spells its owner's name ("ruth.ellison@..."), and a mobile number identifies
a person as surely as a name; neither is needed to measure involvement. Both are replaced by a
marker everywhere the pseudonymiser runs, whatever the roster says and whether NER is on.
Numbers are taken only in the shapes UK (and international) telephone numbers are written,
so dates, years, sums and references stay.
"""

from __future__ import annotations

import re
from typing import Final

EMAIL_MARK: Final = "[e-mail]"
PHONE_MARK: Final = "[phone]"

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A UK number: 0 then 9-10 more digits in groups ("07700 900123", "0161 496 0001",
# "(01632) 960 123"), or +44 / 00 44 with an optional "(0)"; other countries' +NN numbers
# with 8 or more digits. Groups are split by single spaces, hyphens or dots only.
_PHONE = re.compile(
    r"(?<![\w/+.-])"
    r"(?:"
    r"(?:\+|00)44[ .-]?(?:\(0\)[ .-]?)?\d{2,5}(?:[ .-]?\d{2,4}){1,3}"
    r"|\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,5}(?:[ .-]?\d{2,4}){1,3}"
    r"|\(0\d{2,5}\)[ .-]?\d{3,4}[ .-]?\d{3,4}"
    r"|0\d{2,5}(?:[ .-]?\d{2,4}){1,3}"
    r")"
    r"(?![\w/-]|\.\d)"
)


def _digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


def _is_phone(s: str) -> bool:
    """A telephone number's digit count: 10 or 11 in the UK (0 then 9 or 10), 8 to 15 after
    a country code. "01/02/2024" and "0.5" never reach here (the pattern refuses them)."""
    n = _digits(s)
    if s.startswith(("+44", "0044")):
        return 11 <= n <= 13
    if s.startswith(("+", "00")):
        return 8 <= n <= 15
    return 10 <= n <= 11


def hide(text: str) -> str:
    """``text`` with every e-mail address and telephone number replaced by its marker."""
    text = _EMAIL.sub(EMAIL_MARK, text)
    return _PHONE.sub(lambda m: PHONE_MARK if _is_phone(m.group(0)) else m.group(0), text)


def is_contact(span: str) -> bool:
    """Whether ``span`` is, whole, an e-mail address or a telephone number."""
    span = span.strip()
    if _EMAIL.fullmatch(span):
        return True
    m = _PHONE.fullmatch(span)
    return m is not None and _is_phone(span)
