"""Outcome scope: does the benefit stay with particular individuals or reach people generally?

The coding manual's individual outcomes are the ones Horrocks and colleagues found: a named person
rehoused, a representative's own case resolved, the involved members' training, confidence or
payment. Collective outcomes reach a group, a ward, all service users or carers, or the public.
"""

from __future__ import annotations

import re

_INDIVIDUAL = [
    (re.compile(r"\b(?:Service user|Carer|Lay member|Person) \d+\b"), 1.0),
    (
        re.compile(
            r"\b(?:training|course|qualification|accredit\w*|expenses|payment|paid|"
            r"confidence|mentor\w*|induction)\b",
            re.I,
        ),
        1.0,
    ),
    (re.compile(r"\b(?:his|her|their)\s+own\b|\bpersonal(?:ly)?\b|\bindividual\b", re.I), 1.0),
    (
        re.compile(
            r"\b(?:a|one)\s+(?:service user|carer|patient|resident|tenant|young person|man|"
            r"woman|person|gentleman|lady|mother|father)\b",
            re.I,
        ),
        0.8,
    ),
    (re.compile(r"\b(?:representatives?|reps?)\b", re.I), 0.6),
    (re.compile(r"\b(?:he|she)\s+(?:has|had|was|is)\b", re.I), 0.5),
]
_COLLECTIVE = [
    (
        re.compile(
            r"\b\d[\d,]*\s+(?:people|service users|patients|carers|families|visits|"
            r"referrals|residents|tenants|adults|young people|men|women|calls|users|beds|"
            r"posts|staff)\b",
            re.I,
        ),
        1.0,
    ),
    (
        re.compile(
            r"\ball\s+(?:service users|carers|patients|residents|tenants|families|people|"
            r"wards?|teams?)\b",
            re.I,
        ),
        1.0,
    ),
    (
        re.compile(
            r"\b(?:ward|wards|estate|county|district|population|public|community|across)\b", re.I
        ),
        0.6,
    ),
    (
        re.compile(r"\b(?:wait(?:ing)?(?:\s+times?|\s+list)?|average|per cent|percent|%)\b", re.I),
        0.8,
    ),
    (
        re.compile(
            r"\b(?:café|cafe|service|clinic|hub|team|line|college|scheme|group)\s+(?:has|had)"
            r"\s+(?:now\s+)?(?:opened|launched)|\bopened\b",
            re.I,
        ),
        0.8,
    ),
    (
        re.compile(
            r"\b(?:service users|carers|patients|families|people|residents|tenants)\b", re.I
        ),
        0.5,
    ),
]


def scope_of(text: str) -> tuple[str, float]:
    """individual or collective, and how clearly the cues point that way (0.5-1)."""
    ind = sum(w for p, w in _INDIVIDUAL if p.search(text))
    col = sum(w for p, w in _COLLECTIVE if p.search(text))
    if ind > col:
        return "individual", round(min(1.0, 0.5 + (ind - col) / 4), 3)
    return "collective", round(min(1.0, 0.5 + (col - ind) / 4), 3)
