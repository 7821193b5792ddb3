"""Focus per the coding manual: process, action or outcome, decided sentence by sentence.

The manual's tests, in order: does the unit commit someone to do something after the meeting
(action)? Has a concrete result for people or the service already happened (outcome)? Otherwise
it is process. Each sentence is scored for commitment and for realised result from two kinds of
evidence: the cue lexicon (``themes/focus-cues.yaml``: "Action:", "agreed to", deadlines, result
verbs with quantities, "reduced from 40 to 12") and the sentence's tense and modality
(:mod:`pipeline.classify.tense`: a person or body + will/would + a verb of doing is a commitment
even when the verb is not in the lexicon; a result cue in a sentence about the future, a plan or
work still under way is weakened). The unit takes its strongest commitment and strongest result,
and the manual's order decides between them. The agenda item is context: in an action log or
matters arising, earlier actions come back as results, so a weaker result cue is enough there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pipeline.classify.cues import Cue, Cues
from pipeline.classify.tense import Form

# The manual's first test: a commitment this sure makes the unit an action, results or not.
SURE_COMMITMENT: Final = 0.7
SURE_RESULT: Final = 0.6
# Tense and modality alone: a person or body + will/would + a verb of doing, or a passive future
# ("would be brought to the December meeting"), commits as surely as a lexicon cue.
FUTURE_ACTOR: Final = 0.0
FUTURE_PASSIVE: Final = 0.0
# In an action log or matters arising a result cue counts for this much more.
CONTEXT_BOOST: Final = 0.15


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


def score_sentence(sentence: str, form: Form | None, cues: Cues) -> SentenceScore:
    """A sentence's commitment and result strengths from the lexicon and its tense."""
    if any(p.search(sentence) for p in cues.question):
        return SentenceScore(0.0, 0.0, True)
    commitment = _strength(sentence, cues.commitment)
    if cues.resolution.search(sentence) and not cues.notes_only.search(sentence):
        commitment = max(commitment, cues.resolution_weight)
    if form is not None:
        if form.future_actor:
            commitment = max(commitment, FUTURE_ACTOR)
        elif form.future_passive:
            commitment = max(commitment, FUTURE_PASSIVE)
    opened = any(p.search(sentence) for p in cues.process_opened)
    result = 0.0 if opened else _strength(sentence, cues.realised)
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
    not_yet = any(p.search(sentence) for p in cues.not_yet) or (
        form is not None and (form.ongoing or form.hedged) and not form.realised
    )
    if result and not_yet:
        result = result * 0.4 if result < 1.0 else result * 0.8
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
