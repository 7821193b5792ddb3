"""Focus per the coding manual: process, action or outcome, decided sentence by sentence.

The manual's tests, in order: does the unit commit someone to do something after the meeting
(action)? Has a concrete result for people or the service already happened (outcome)? Otherwise
it is process. Each sentence is scored for commitment and for realised result from two kinds of
evidence: the cue lexicon (``themes/focus-cues.yaml``: "Action:", "agreed to", deadlines, result
verbs with quantities, "reduced from 40 to 12") and the sentence's tense and modality
(:mod:`pipeline.classify.focus.tense`: a person or body + will/would + a verb of doing is a
commitment
even when the verb is not in the lexicon; a result cue in a sentence about the future, a plan or
work still under way is weakened). The unit takes its strongest commitment and strongest result,
and the manual's order decides between them. The agenda item is context: in an action log or
matters arising, earlier actions come back as results, so a weaker result cue is enough there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from pipeline.classify.focus.cues import Cue, Cues
from pipeline.classify.focus.tense import Form

# The manual's first test: a commitment this sure makes the unit an action, results or not.
SURE_COMMITMENT: Final = 0.7
SURE_RESULT: Final = 0.6
# Tense and modality alone: a person or body as the subject of will/would + a verb of doing
# ("Member 6 would ascertain the current position"), not in reported speech, commits as surely
# as a lexicon cue, whatever the verb (tense.py). A passive future ("would be brought to the
# December meeting") is left to the lexicon: on its own it lowered agreement on real minutes.
FUTURE_ACTOR: Final = 0.7
# An action line whose status column says it is finished ("Circulate the plans  Done") reports
# progress on an earlier action, which the manual codes as process; "In progress" stays action.
# The status is written capitalised, as a column entry, at the end or before the next sentence.
DONE: Final = re.compile(
    r"\b(?:Done|DONE|Complete[d]?|COMPLETED?|Closed|CLOSED)\b\.?(?:\s*$|\s+[A-Z])"
)
# An action column entry that only says there is nothing to report sets nobody a task.
NOTHING: Final = re.compile(
    r"^\W*(?:nothing\s+(?:further\s+|new\s+)?to\s+report|no\s+(?:further\s+)?updates?)\W*$",
    re.IGNORECASE,
)
# An action column entry that records the board's own procedure sets nobody a task: the minutes
# approved, or an item deferred to a later meeting ("Discussion to be carried over to the next
# meeting"). A deferral in prose is procedure too, so it commits nobody wherever it is written.
MINUTES_APPROVED: Final = re.compile(
    r"^\W*(?:the\s+)?minutes(?:\s+of\s+[^.]{0,60})?\s+(?:were\s+|was\s+)?"
    r"(?:approved|agreed|accepted|signed|adopted)"
    r"(?:\s+as\s+an?\s+(?:true|correct|accurate)\s+record)?\W*$",
    re.IGNORECASE,
)
DEFERRED: Final = re.compile(
    r"\b(?:to\s+be\s+|was\s+|were\s+|be\s+)?(?:forwarded|carried\s+(?:forward|over)|deferred"
    r"|held\s+over|postponed|rolled\s+(?:forward|over))\s+(?:to|until)\s+(?:the\s+)?"
    r"(?:next|following|a\s+(?:later|future)|\w+)\s+meeting\b",
    re.IGNORECASE,
)
# In an action log or matters arising a result cue counts for this much more.
CONTEXT_BOOST: Final = 0.15
# Where coordinated clauses with their own subjects meet: "; ", ", and the remaining 36 ...",
# "and that" (reported speech lists). "but" and a verb straight after "and" ("had been recruited,
# and would meet in January") go on about the same thing, so they do not start a clause.
_CLAUSE_BREAK: Final = re.compile(
    r"\s*;\s*|(?:,\s+|\s+)and\s+(?:that\s+)?"
    r"(?!(?:would|will|could|should|might|may|had|has|have|was|were|is|are|then|not|also)\b)"
    r"(?=(?:the|a|an|its|their|his|her|this|these|those|it|they|he|she)\b|\d|(?-i:[A-Z]))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SentenceScore:
    """How strongly one sentence commits someone, and reports a realised result (0-1 each)."""

    commitment: float
    result: float
    question: bool


@dataclass(frozen=True)
class Decision:
    label: str
    score: float  # the rules' confidence, 0-1
    commitment: float
    result: float
    process_cue: bool


def _strength(sentence: str, cues: tuple[Cue, ...]) -> float:
    return max((c.weight for c in cues if c.pattern.search(sentence)), default=0.0)


def clauses(sentence: str) -> list[str]:
    """A sentence's coordinated clauses ("X had opened, and Y would follow in May")."""
    return [c for c in _CLAUSE_BREAK.split(sentence) if c and c.strip()]


def _result(sentence: str, cues: Cues) -> tuple[float, bool]:
    """The strongest result cue, and whether a plan or hedge qualifies that same result.

    A plan in one coordinated clause ("and the remaining 36 would be done by November") does
    not make a result reported in another clause ("work had been finished on twelve flats")
    any less done, so the hedge is looked for in the clause that holds the result; a cue that
    only matches across clauses ("from 40, and then to 12") is judged on the whole sentence.
    """
    whole = _strength(sentence, cues.realised)
    if not whole:
        return 0.0, False
    found = [(whole, any(p.search(sentence) for p in cues.not_yet))]
    for clause in clauses(sentence):
        r = _strength(clause, cues.realised)
        if r:
            found.append((r, any(p.search(clause) for p in cues.not_yet)))
    return max(found, key=lambda rh: _weakened(*rh))


def _weakened(result: float, not_yet: bool) -> float:
    """A result cue qualified by a plan or hedge: x0.4, or x0.8 for a change between figures."""
    if not (result and not_yet):
        return result
    return result * 0.4 if result < 1.0 else result * 0.8


def score_sentence(sentence: str, form: Form | None, cues: Cues) -> SentenceScore:
    """A sentence's commitment and result strengths from the lexicon and its tense."""
    if any(p.search(sentence) for p in cues.question):
        # A question commits nobody, but a task taken on beside it still does ("asked whether
        # the club needed helpers and offered to lend a hand"): a reporting word such as
        # "asked" or "whether" already keeps a will/would out of the tense reading, so what
        # is left of it there is the undertaking.
        undertaken = form is not None and form.future_actor
        return SentenceScore(FUTURE_ACTOR if undertaken else 0.0, 0.0, not undertaken)
    commitment = _strength(sentence, cues.commitment)
    if commitment < SURE_COMMITMENT and form is not None and form.hedged:
        # A deadline or a weak cue qualified by should, could, expected or plans ("should be
        # finished by the end of the month", "a decision could be made by May") is a hope or
        # a forecast, not a task set.
        commitment = 0.0
    if cues.resolution.search(sentence) and not cues.notes_only.search(sentence):
        commitment = max(commitment, cues.resolution_weight)
    if form is not None and form.future_actor:
        commitment = max(commitment, FUTURE_ACTOR)
    if DEFERRED.search(sentence):  # an item put off to a later meeting: procedure
        commitment = 0.0
    opened = any(p.search(sentence) for p in cues.process_opened)
    result, result_not_yet = (0.0, False) if opened else _result(sentence, cues)
    rt = cues.realised_tense
    if (
        rt is not None
        and not opened
        and form is not None
        and (form.perfect or form.past_passive)
        and rt.pattern.search(sentence)
        and not (cues.realised_tense_except and cues.realised_tense_except.search(sentence))
    ):
        result = max(result, rt.weight)
    not_yet = result_not_yet or (
        form is not None and (form.ongoing or form.hedged) and not form.realised
    )
    result = _weakened(result, not_yet)
    return SentenceScore(commitment, result, False)


def decide(
    sentences: list[str],
    forms: list[Form] | None,
    cues: Cues,
    *,
    is_action: bool = False,
    context: frozenset[str] = frozenset(),
) -> Decision:
    """The unit's focus from its sentences, in the coding manual's order of tests."""
    text = " ".join(sentences)
    process_cue = any(p.search(text) for p in cues.process)
    if is_action:
        if (
            DONE.search(text)  # done
            or NOTHING.match(text)  # nothing to report
            or MINUTES_APPROVED.match(text)
            or DEFERRED.search(text)
        ):
            return Decision("process", 0.7, 0.0, 0.0, process_cue)
        return Decision("action", 0.95, 1.0, 0.0, process_cue)
    commitment = result = 0.0
    for i, sentence in enumerate(sentences):
        s = score_sentence(sentence, forms[i] if forms else None, cues)
        commitment = max(commitment, s.commitment)
        result = max(result, s.result)
    if result and context & {"action_log", "matters_arising"}:
        result = min(1.0, result + CONTEXT_BOOST)
    if commitment >= SURE_COMMITMENT:
        return Decision(
            "action", round(0.55 + 0.4 * commitment, 3), commitment, result, process_cue
        )
    if result >= SURE_RESULT:
        return Decision("outcome", round(0.5 + 0.4 * result, 3), commitment, result, process_cue)
    if commitment >= 0.5:
        return Decision(
            "action", round(0.45 + 0.3 * commitment, 3), commitment, result, process_cue
        )
    confidence = 0.8 if process_cue else 0.6
    return Decision(
        "process", round(confidence - 0.3 * max(commitment, result), 3), commitment, result,
        process_cue,
    )  # fmt: skip


def item_context(title: str, cues: Cues) -> frozenset[str]:
    """Which kinds of agenda item (action log, matters arising, decisions) a title names."""
    return frozenset(k for k, p in cues.context.items() if title and p.search(title))
