"""Focus per the coding manual: process, action or outcome, decided sentence by sentence.

The manual's tests, in order: does the unit commit someone to do something after the meeting
(action)? Has a concrete result for people or the service already happened (outcome)? Otherwise
it is process. Cues are what distinguish these in minutes' language: a person or body plus
"will", "agreed to", deadlines and "Action:" lines for commitments; past or perfect tense of
result verbs, with quantities or beneficiaries, for outcomes; progress on work still under way
("has started", "is being") stays process.
"""

from __future__ import annotations

import re

_ACTOR = (
    r"(?:(?:Service user|Carer|Lay member|Member|Officer|Chair|Person) \d+|officers?|the board|"
    r"the partnership|the team|the trust|the council|the icb|the group|the chair|he|she|they|we|"
    r"i|members|the service|commissioners|the working group|all partners|partners|"
    r"the (?:icb|college|police|café|cafe|provider|hub|forum|centre|network)|"
    r"[A-Z][a-z]+ (?:Police|Mind|Council|Trust|College|Centre|Forum))"
)
# Verbs of doing something after the meeting; "would want", "would be met" are not commitments.
_COMMIT_VERBS = (
    r"(?:circulate|write|report|bring|provide|arrange|contact|liaise|investigate|review|update|"
    r"share|send|organise|organize|meet|present|look|ensure|set|draft|prepare|follow|consider|"
    r"explore|confirm|check|feed|produce|develop|work|discuss|raise|ask|invite|include|add|"
    r"chase|pursue|speak|seek|find|agree|convene|hold|lead|commission|complete|publish|respond|"
    r"return|come|put|map|identify|establish|visit|attend|give|make|amend|revise|incorporate|"
    r"reflect|build|recruit|monitor|track|circulated|email|collate|analyse|analyze|run|"
    r"co-ordinate|coordinate|approach|request|submit|escalate|nominate|fund|pilot|test|scope|"
    r"audit|train|support|help|compile|refresh|redesign|rewrite|forward|obtain|clarify|"
    r"establish|schedule|repeat|strengthen|use|change|start|sit|publish|draw|hold)\b"
)
_ACTION_CUES = [
    (re.compile(r"^\s*(?:\d+(?:\.\d+)*\s+)?actions?\s*[:\-–]", re.I), 1.0),
    (re.compile(r"\bACTIONS?\s*:"), 1.0),
    (
        re.compile(
            rf"\b{_ACTOR}\s+(?:\w+\s+){{0,3}}?(?:will|would|shall|is to|are to)\s+(?:now\s+|"
            rf"also\s+|then\s+|personally\s+|jointly\s+)?{_COMMIT_VERBS}",
            re.I,
        ),
        0.8,
    ),
    (
        re.compile(
            rf"(?<!had )(?<!has )\b(?:agreed|undertook|offered|volunteered|were asked|"
            rf"was asked)\s+to\s+(?:\w+\s+)?{_COMMIT_VERBS}",
            re.I,
        ),
        0.8,
    ),
    (
        re.compile(
            rf"\basked\s+(?:{_ACTOR}|[A-Z]\w+(?:\s+\d+)?)(?:\s+and\s+\S+(?:\s+\d+)?)?\s+to\s+"
            rf"(?:\w+\s+)?{_COMMIT_VERBS}",
            re.I,
        ),
        0.8,
    ),
    (
        re.compile(
            r"\breports?\s+(?:back\s+)?(?:on\s+[^.]{0,80}?)?to\s+the\s+\w+\s+meeting\b", re.I
        ),
        0.8,
    ),
    (re.compile(r"\bagreed\s+that\b[^.]*\b(?:would|will|should)\b", re.I), 0.8),
    (re.compile(r"\b(?:come|report|feed)\s+back\b", re.I), 0.7),
    (
        re.compile(
            r"\bto\s+(?:the\s+)?next\s+meeting\b|\bby\s+(?:the\s+)?(?:next|end\s+of)\b", re.I
        ),
        0.5,
    ),
    (
        re.compile(
            r"\bRESOLVED\b[^.]*\b(?:approve|adopt|agree|endorse|ask|request|instruct|delegate|"
            r"commission|establish|set up|write)\w*",
            re.I,
        ),
        0.9,
    ),
    # A date alone is weak: "bids were due by 1 December" commits nobody at this board.
    (
        re.compile(
            r"\bby\s+\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
            r"nov|dec)",
            re.I,
        ),
        0.45,
    ),
]
# Results for people or the service. Activity counts ("received 1,482 referrals", "attended by
# 14 people") are performance reporting, which the manual codes as process, so those verbs are out.
_RESULT_VERBS = (
    r"opened|launched|reduced|fallen|fell|dropped|housed|rehoused|recruited|"
    r"changed\s+(?:its|their|the|how)|"
    r"appointed|delivered|trained|paid|(?-i:resolved)|achieved|improved|decreased|risen|"
    r"filled|secured|helped|enrolled|gained|obtained|returned|halved|doubled|shortened|"
    r"printed|distributed|installed|extended|expanded|awarded|been\s+in\s+use|"
    r"moved\s+(?:from\s+\w+(?:\s+\w+)?\s+)?(?:in)?to\s+(?:supported|settled|permanent|new|their|a)|"
    r"started\s+(?:paid\s+)?(?:work|a\s+job|employment)|found\s+work|completed\s+\d|"
    r"offered\s+(?:paid\s+)?(?:work|a\s+job|a\s+place|a\s+tenancy)|"
    r"given\s+(?:him|her|them)\s+(?:the\s+|more\s+)?confidence|"
    r"completed\s+(?:the|a|an|her|his|their)\s+(?:[\w'’-]+\s+){0,6}?(?:training|course|programme|"
    r"qualification|certificate)|"
    r"received\s+(?:a|an|her|his|their|the)\s+(?:[\w'’-]+\s+){0,3}?(?:assessment|certificate|award|"
    r"payment|place|tenancy|offer|package|grant|job)"
)
_OUTCOME_CUES = [
    (
        re.compile(
            rf"\b(?:has|have|had)\s+(?:now\s+|since\s+|already\s+|successfully\s+|been\s+)*"
            rf"(?:{_RESULT_VERBS})\b",
            re.I,
        ),
        0.8,
    ),
    (
        re.compile(
            rf"\b(?:was|were)\s+(?:now\s+|successfully\s+|all\s+)?(?:{_RESULT_VERBS})\b", re.I
        ),
        0.7,
    ),
    (
        re.compile(
            rf"\b\d[\d,]*\s+(?:of\s+(?:them|those|whom)\s+)?(?:had\s+|have\s+)?"
            rf"(?:{_RESULT_VERBS})\b",
            re.I,
        ),
        0.8,
    ),
    (
        re.compile(
            r"\b(?:reduced|fell|fallen|dropped|down|up|rose|risen|increased|cut|improved|"
            r"moved|gone)\b[^.]{0,60}?\bfrom\s+[\w.,%]+[^.]{0,30}?\bto\s+[\w.,%]+",
            re.I,
        ),
        1.0,
    ),
    (
        re.compile(
            r"\b\d+%\s+(?:more|fewer|higher|lower)\s+than\b|\bcompared\s+with\s+\d+\s+in\s+"
            r"the\s+same\b",
            re.I,
        ),
        0.9,
    ),
    (
        re.compile(
            r"\b(?:is|are|were|was)\s+now\s+(?:being\s+)?(?:paid|available|open|offered|used|"
            r"in\s+use)\b|\bnow\s+available\b|\bvisited\s+\d+\s+times\b",
            re.I,
        ),
        0.8,
    ),
    (
        re.compile(
            rf"\b\d[\d,]*\s+(?:people|service users|patients|carers|families|"
            rf"residents|tenants|young people|adults|men|women)\s+(?:have\s+|had\s+|were\s+|"
            rf"been\s+)*(?:{_RESULT_VERBS})\b",
            re.I,
        ),
        0.9,
    ),
    (
        re.compile(
            r"\bnow\s+(?:has|have|receives?|gets?|is\s+paid|are\s+paid|open|offers?)\b", re.I
        ),
        0.6,
    ),
    # Simple past of a result verb: "the café opened in May", "saw 212 visits".
    (
        re.compile(
            r"\b(?:opened|launched|rehoused|housed|recruited|appointed|employed|halved|"
            r"doubled)\b(?!\s+(?:the|a)\s+(?:meeting|discussion|item|debate))",
            re.I,
        ),
        0.6,
    ),
    (
        re.compile(
            r"\b(?:saw|seen|supported|helped|reached|housed)\s+(?:over\s+|more than\s+|some\s+)?"
            r"\d[\d,]*\s+\w+",
            re.I,
        ),
        0.8,
    ),
    # Results since a start ("since 1 April, nine care leavers have chosen"; referrals and
    # assessments since then are activity, which the manual codes as process) or as a share
    # ("71% showed a reliable improvement").
    (
        re.compile(
            r"\bsince\s+(?:\d{1,2}\s+\w+|the\s+[\w\s]{1,40}?\s+(?:came|started|began|was|took)"
            r"\b[^,]*?|\w+)\s*,?[^.]*?\b(?:has|have|had)\s+(?:been\s+|had\s+)?"
            r"(?!(?:referred|received|assessed|reported|discussed|met|been)\b)\w+(?:ed|en|ne)\b",
            re.I,
        ),
        0.7,
    ),
    (re.compile(r"\b\d+%\s+(?:of\s+\w+\s+)?(?:showed|achieved|reported)\b", re.I), 0.8),
    (re.compile(r"\bnow\s+attending\b", re.I), 0.7),
]
_NOT_YET = re.compile(
    r"\b(?:will|would(?!\s+(?:previously|otherwise|normally|have))|plans?|planning|target|aim|"
    r"expected|intend|propos\w+|hope[sd]?|should|could|not|neither|never|"
    r"(?-i:may)|might|if|has\s+(?:started|begun)|is\s+being|are\s+being|under\s+way|underway)\b",
    re.I,
)
_PROCESS_CUES = re.compile(
    r"\b(?:noted|received|presented|introduced|discussed|asked|queried|consult\w*|update\w*|"
    r"report\w*|minutes|agreed as a (?:correct|true) record|declarations?|apologies|welcomed)\b",
    re.I,
)
# A question about the future ("asked how the Board would report back") commits nobody.
# Opening a consultation or a funding round is the machinery of the board, not a result.
_PROCESS_OPENED = re.compile(
    r"\b(?:consultation|survey|review|bidding|applications?|round|procurement|tender|process|"
    r"meeting|discussion|debate|engagement)\s+(?:\w+\s+){0,3}?(?:had\s+|has\s+|have\s+|was\s+|"
    r"were\s+)?(?:been\s+)?(?:opened|launched|started)\b",
    re.I,
)
_QUESTION = re.compile(
    r"\b(?:asked|queried|wondered|enquired|questioned)\s+(?:how|whether|what|"
    r"why|when|if|who|where|which)\b",
    re.I,
)
# A resolution commits the board to something unless all it does is note or receive a paper.
_RESOLVED = re.compile(r"\bRESOLVED\b")
_NOTES_ONLY = re.compile(
    r"\bRESOLVED\W+that\s+[^.]*?\b(?:notes|be\s+noted|receives|be\s+received)\b[^.,;]*\.?\s*$",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text.replace("\n", " ")) if s.strip()]


def _strength(sentence: str, cues: list[tuple[re.Pattern[str], float]]) -> float:
    return max((w for p, w in cues if p.search(sentence)), default=0.0)


def focus_of(text: str, is_action: bool) -> tuple[str, float]:
    """The unit's focus and a confidence in it, from its sentences' cues."""
    if is_action:
        return "action", 0.95
    action = outcome = 0.0
    for s in sentences(text):
        if _QUESTION.search(s):
            continue
        action = max(action, _strength(s, _ACTION_CUES))
        if _RESOLVED.search(s) and not _NOTES_ONLY.search(s):
            action = max(action, 0.9)
        o = 0.0 if _PROCESS_OPENED.search(s) else _strength(s, _OUTCOME_CUES)
        if o and _NOT_YET.search(s):
            o = o * 0.4 if o < 1.0 else o * 0.8
        outcome = max(outcome, o)
    if action >= 0.7:  # the manual's first test: a commitment makes it an action, results or not
        return "action", round(0.55 + 0.4 * action, 3)
    if outcome >= 0.6:
        return "outcome", round(0.5 + 0.4 * outcome, 3)
    if action >= 0.5:
        return "action", round(0.45 + 0.3 * action, 3)
    confidence = 0.8 if _PROCESS_CUES.search(text) else 0.6
    return "process", round(confidence - 0.3 * max(action, outcome), 3)
