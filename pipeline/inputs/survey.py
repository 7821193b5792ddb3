"""Drafting a codebook from a survey of service users (``involve themes from-survey``).

Tick-box priority columns give each theme's rank and ``survey_share`` directly; free-text answers
become candidate themes (noun chunks and keyphrases, grouped by meaning) with counts and example
answers, which the researcher then edits. The result is plain data for
``pipeline.inputs.codebook``'s
parser, so a drafted codebook passes the same checks as a hand-written one.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from pipeline.core.errors import CodebookError
from pipeline.inputs.codebook import RESERVED_IDS, _slug

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

__all__ = ["from_survey"]


_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_RANK_WORD = r"(?:priority|priorities|rank|ranked|choice|preference|pref)"
_RANK_PATTERNS = (
    re.compile(rf"^{_RANK_WORD} ?(?:no )?(\d{{1,2}})$"),  # priority_1, rank 1, choice1
    re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)? {_RANK_WORD}$"),  # 1st priority
    re.compile(rf"^({'|'.join(_ORDINALS)}) {_RANK_WORD}$"),  # first priority
    re.compile(rf"^{_RANK_WORD} ({'|'.join(_ORDINALS)})$"),  # priority first
)
_TEXT_NAMES = frozenset(
    {
        "comment",
        "comments",
        "free text",
        "freetext",
        "other comments",
        "any other comments",
        "any comments",
        "further comments",
        "additional comments",
    }
)
_MIN_FREE_TEXT_CHARS = 25

#: spaCy stop words that carry meaning in this field ("out of hours", "back to work",
#: "side effects", "living alone"); they may start or end a phrase.
_KEEP = frozenset({"out", "back", "side", "alone"})
#: Of those, the ones that only make sense at the start of a phrase ("team out" is noise).
_NOT_LAST = frozenset({"out", "back", "side"})
#: Tokens left by apostrophe-less contractions ("dont", "Ive") that are not words.
_EXTRA_STOP = frozenset(
    {
        "nt",
        "im",
        "ive",
        "id",
        "ill",
        "dont",
        "cant",
        "wont",
        "didnt",
        "doesnt",
        "isnt",
        "wasnt",
        "arent",
        "shouldnt",
        "couldnt",
        "wouldnt",
        "havent",
        "hasnt",
        "ve",
        "ll",
        "m",
        "s",
        "t",
        "d",
        "ok",
        "etc",
        "eg",
        "ie",
    }
)
#: Words of the survey voice (verbs of saying and feeling, hedges) that never make a seed, not even
#: inside a phrase: "hard to hear", "actually listen", "felt listened" say nothing a seed can use.
_WEAK = frozenset(
    {
        "actually",
        "nearly",
        "hear",
        "use",
        "finish",
        "send",
        "sit",
        "feel",
        "think",
        "want",
        "know",
        "like",
        "tell",
        "hope",
        "clear",
        "hard",
        "lot",
        "thing",
        "bit",
        "really",
        "try",
        "happen",
        "seem",
        "mention",
        "guess",
        "maybe",
        "probably",
        "definitely",
        "totally",
        "absolutely",
        "pretty",
        "quite",
        "stuff",
        "okay",
        "ridiculous",
        "joke",
        "disgrace",
        "good",
        "bad",
        "great",
        "lovely",
        "brilliant",
        "awful",
        "terrible",
        "proper",
        "fine",
        "nice",
        "away",
    }
)
#: Function words that may sit inside a two-word phrase: out *of* hours, back *to* work,
#: carer*'s* assessment.
_BRIDGES = frozenset({"of", "to", "'s", "’s"})
#: Words that are too general to signal a theme on their own in a board's minutes (every paper
#: mentions health, services, support, teams, months and people) or are the filler of survey
#: comments. They still count inside phrases (crisis team, care plan, health check).
_GENERIC = frozenset(
    {
        "health",
        "mental",
        "service",
        "support",
        "care",
        "team",
        "staff",
        "people",
        "person",
        "patient",
        "user",
        "professional",
        "hospital",
        "ward",
        "meeting",
        "report",
        "plan",
        "group",
        "letter",
        "time",
        "hour",
        "minute",
        "day",
        "week",
        "weekend",
        "month",
        "year",
        "work",
        "help",
        "need",
        "issue",
        "problem",
        "way",
        "kind",
        "big",
        "new",
        "old",
        "long",
        "short",
        "little",
        "main",
        "real",
        "right",
        "wrong",
        "sure",
        "able",
        "difference",
        "massive",
        "honest",
        "honestly",
        "list",
        "talk",
        "place",
        "fall",
        "cut",
        "round",
        "treat",
        "affect",
        "community",
        "phone",
        "priority",
        "form",
        "basically",
        "simple",
        "especially",
        "properly",
        "instead",
        "available",
        "ask",
        "come",
        "look",
        "find",
        "let",
        "start",
        "stop",
        "leave",
        "live",
        "mean",
        "end",
        "out",
        "back",
        "side",
        "till",
        "yes",
        "no",
        "unwell",
        "ill",
        "worse",
        "better",
        "offer",
        "open",
        "close",
        "include",
        "run",
        "write",
        "lose",
        "push",
        "worry",
        "reason",
        "ring",
        "change",
    }
)
#: Phrases just as general in a mental health board's papers.
_GENERIC_PHRASES = frozenset(
    {
        "mental health",
        "service user",
        "mental illness",
        "health problem",
        "main thing",
        "lot of people",
        "health service",
    }
)
_SENTENCE_ENDS = frozenset({".", "!", "?", "…"})
_PROPER_SHARE = 0.6
_WORD_RE = re.compile(r"[a-z][a-z&'’]*[a-z]\Z")
_MIN_COUNT = 3
_MIN_CONTEXTS = 2
_PRIOR_SCALE = 0.1
_MAX_SEEDS = 12
_MIN_Z = 1.645  # one-sided 5%: only words over-represented in the group matter
_MAX_EXAMPLE_WORDS = 30
_NEAR_REPEAT = 0.6


def _norm_name(name: object) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(name).lower()).split())


def _clean(value: object) -> str:
    """Blank cells arrive as NaN, None, pd.NA or whitespace depending on how the CSV was read."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return " ".join(str(value).split())


def _priority_columns(df: pd.DataFrame, origin: str) -> list[str]:
    """Find the ranked tick-box columns, in rank order, whatever the survey tool called them."""
    found: dict[int, list[str]] = {}
    for col in df.columns:
        norm = _norm_name(col)
        for pattern in _RANK_PATTERNS:
            m = pattern.match(norm)
            if m:
                token = m.group(1)
                rank = int(token) if token.isdigit() else _ORDINALS[token]
                found.setdefault(rank, []).append(str(col))
                break
    if not found:
        cols = ", ".join(repr(str(c)) for c in df.columns) or "(none)"
        raise CodebookError(
            f"{origin}: found no ranked priority columns; the columns are {cols}. "
            "Name the ranked tick-box columns priority_1, priority_2, ... (or 'rank 1', "
            "'first priority', ...), one column per rank, holding the option ticked at that rank."
        )
    clashes = {r: cols for r, cols in found.items() if len(cols) > 1}
    if clashes:
        detail = "; ".join(
            f"rank {r}: {', '.join(map(repr, cols))}" for r, cols in sorted(clashes.items())
        )
        raise CodebookError(
            f"{origin}: more than one column claims the same priority rank ({detail}). "
            "Rename or drop the extra columns so each rank has one column."
        )
    return [found[r][0] for r in sorted(found)]


def _free_text_column(df: pd.DataFrame, exclude: Iterable[str]) -> str | None:
    """Prefer a column named like a comment box; otherwise the column with the longest text."""
    skip = set(exclude)
    candidates = [str(c) for c in df.columns if str(c) not in skip]
    for col in candidates:
        if _norm_name(col) in _TEXT_NAMES:
            return col
    best: tuple[float, str] | None = None
    for col in candidates:
        values = [_clean(v) for v in df[col].tolist()]
        texts = [v for v in values if v and not _looks_numeric(v)]
        # Free text is long and mostly unique; a tick-box column repeats a few labels.
        if not texts or not any(" " in v for v in texts) or len(set(texts)) < 0.5 * len(texts):
            continue
        mean_len = sum(len(v) for v in texts) / len(texts)
        if mean_len >= _MIN_FREE_TEXT_CHARS and (best is None or mean_len > best[0]):
            best = (mean_len, col)
    return best[1] if best else None


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1)
def _nlp() -> Language:
    """A blank English pipeline with lookup lemmas: no model download, same result everywhere."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    try:
        nlp.initialize()
    except ValueError as exc:  # raised when the lookup tables are not installed
        raise RuntimeError(
            "spaCy's lemma lookup tables are missing; install them with "
            "`pip install spacy-lookups-data` (part of `make install`)."
        ) from exc
    return nlp


@lru_cache(maxsize=1)
def _lemma_table() -> Mapping[str, str]:
    """The lookup table itself, so lemmas can be looked up in lower case.

    The lookup is case-sensitive: "Carers" at the start of a sentence would otherwise stay
    "carers" while "carers" mid-sentence becomes "carer".
    """
    from spacy.pipeline import Lemmatizer

    lemmatizer = _nlp().get_pipe("lemmatizer")
    assert isinstance(lemmatizer, Lemmatizer)
    table: Mapping[str, str] = lemmatizer.lookups.get_table("lemma_lookup")
    return table


@dataclass(frozen=True)
class _Word:
    lemma: str  # lowercase lemma; hyphenated compounds are split into lemmas joined by spaces
    text: str  # surface form as written, trailing full stop removed
    stop: bool
    word: bool  # False for punctuation, numbers and fragments: they break phrases
    space: str  # whitespace after the word, to rebuild phrases as written


def _words(doc: Doc | Span) -> list[_Word]:
    """Turn spaCy tokens into words, joining hyphenated compounds (drop-in, out-of-hours)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    stop_words = (set(STOP_WORDS) - _KEEP) | _EXTRA_STOP | _WEAK
    table = _lemma_table()
    tokens = list(doc)
    out: list[_Word] = []
    i = 0
    while i < len(tokens):
        j = i
        while (
            j + 2 < len(tokens)
            and tokens[j + 1].text == "-"
            and not tokens[j].whitespace_
            and not tokens[j + 1].whitespace_
            and tokens[j + 2].is_alpha
        ):
            j += 2
        parts = tokens[i : j + 1 : 2]
        text = "".join(t.text + ("-" if k < len(parts) - 1 else "") for k, t in enumerate(parts))
        lemma = " ".join(table.get(t.lower_.rstrip("."), t.lower_) for t in parts)
        space = tokens[j].whitespace_
        i = j + 1
        text = text.rstrip(".")  # spaCy keeps the stop in "A&E." at the end of a sentence
        lemma = lemma.rstrip(".")
        low = text.lower()
        is_word = all(_WORD_RE.match(p) for p in low.split("-")) if low else False
        if len(parts) == 1 and low in {"'s", "’s"}:
            out.append(_Word(lemma="'s", text=text, stop=True, word=True, space=space))
            continue
        stop = len(parts) == 1 and (low in stop_words or lemma in stop_words)
        out.append(_Word(lemma=lemma, text=text, stop=stop, word=is_word, space=space))
        if tokens[j].text.endswith(".") and len(tokens[j].text) > 1:
            out.append(_Word(lemma=".", text=".", stop=False, word=False, space=""))
    return out


@dataclass
class _Terms:
    """Terms in one comment, keyed by lemma, with the surface forms they were written in."""

    keys: set[str] = field(default_factory=set)
    forms: dict[str, Counter[str]] = field(default_factory=dict)
    #: per term: the nearest content words before and after each use ("" at a sentence edge)
    contexts: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: per term: [occurrences not at the start of a sentence, how many of them Capitalised]
    capitals: dict[str, list[int]] = field(default_factory=dict)
    n_words: int = 0


def _phrase(words: Sequence[_Word], use_lemma: bool) -> str:
    parts = [
        (w.lemma if use_lemma else w.text) + (w.space if k < len(words) - 1 else "")
        for k, w in enumerate(words)
    ]
    return " ".join("".join(parts).split())


def _neighbour(words: Sequence[_Word], content: Sequence[bool], i: int, step: int) -> str:
    """The nearest content word in one direction, stopping at the end of the sentence."""
    while 0 <= i < len(words):
        if words[i].text in _SENTENCE_ENDS:
            return ""
        if content[i]:
            return words[i].lemma
        i += step
    return ""


def _terms(doc: Doc | Span) -> _Terms:
    """Unigrams and two-word phrases (optionally bridged by of/to/'s) of content words."""
    words = _words(doc)
    found = _Terms(n_words=sum(1 for w in words if w.word))

    content = [w.word and not w.stop for w in words]

    def add(start: int, end: int) -> None:
        span = words[start:end]
        key = _phrase(span, use_lemma=True)
        if key in _GENERIC_PHRASES:
            return
        found.keys.add(key)
        found.forms.setdefault(key, Counter())[_phrase(span, use_lemma=False)] += 1
        found.contexts.setdefault(key, set()).add(
            (_neighbour(words, content, start - 1, -1), _neighbour(words, content, end, 1))
        )
        if start > 0 and words[start - 1].text not in _SENTENCE_ENDS:
            caps = found.capitals.setdefault(key, [0, 0])
            caps[0] += 1
            caps[1] += all(
                w.text[:1].isupper() and not w.text.isupper() for w in span if not w.stop
            )

    for i, w in enumerate(words):
        if not content[i]:
            continue
        if w.lemma not in _GENERIC:
            add(i, i + 1)
        if i + 1 < len(words) and content[i + 1]:
            if words[i + 1].lemma not in _NOT_LAST:
                add(i, i + 2)
        elif (
            i + 2 < len(words)
            and words[i + 1].lemma in _BRIDGES
            and words[i + 1].word
            and content[i + 2]
            and words[i + 2].lemma not in _NOT_LAST
        ):
            add(i, i + 3)
    return found


def _display(key: str, forms: Counter[str]) -> str:
    """Show a term as people write it: the lemma if anyone wrote it so, else the commonest form.

    "waiting list" reads better than the lemma "wait list"; acronyms keep their capitals (PIP).
    """
    lower: Counter[str] = Counter()
    for form, n in forms.items():
        lower[form.lower()] += n
    chosen = key if key in lower else sorted(lower.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    variants = sorted(((n, f) for f, n in forms.items() if f.lower() == chosen), reverse=True)
    if variants and variants[0][1].isupper():
        return variants[0][1]
    return chosen


def _log_odds(
    group: Mapping[str, float], rest: Mapping[str, float], prior: Mapping[str, float]
) -> dict[str, float]:
    """z-scores of the log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008).

    The prior (counts over all comments) keeps rare words from topping the list by chance, which a
    raw frequency ratio would let them do in a survey of a few hundred short comments.
    """
    a0 = float(sum(prior.values()))
    n_g = float(sum(group.get(term, 0.0) for term in prior))
    n_r = float(sum(rest.get(term, 0.0) for term in prior))
    tiny = 1e-9  # a one-word vocabulary leaves nothing to compare with
    out: dict[str, float] = {}
    for term, a in prior.items():
        y_g = group.get(term, 0.0)
        y_r = rest.get(term, 0.0)
        delta = math.log((y_g + a) / max(n_g + a0 - y_g - a, tiny)) - math.log(
            (y_r + a) / max(n_r + a0 - y_r - a, tiny)
        )
        out[term] = delta / math.sqrt(1.0 / (y_g + a) + 1.0 / (y_r + a))
    return out


def _label_seeds(labels: Sequence[str], nlp: Language) -> list[list[tuple[str, str]]]:
    """Each label as a phrase, plus its content words unless another label shares them.

    "Crisis support" gives "crisis support" and "crisis", but not "support", which "Peer support"
    also has and which every board paper uses.
    """
    docs = [_words(d) for d in nlp.pipe(labels)]
    content: list[list[_Word]] = [
        [w for w in words if w.word and not w.stop and w.lemma not in _GENERIC] for words in docs
    ]
    shared = Counter(w.lemma for ws in content for w in {x.lemma: x for x in ws}.values())
    out: list[list[tuple[str, str]]] = []
    for label, words, content_words in zip(labels, docs, content, strict=True):
        seeds: list[tuple[str, str]] = []
        phrase_key = _phrase(words, use_lemma=True)
        seeds.append((phrase_key, " ".join(label.lower().split())))
        if len(words) > 1:
            for w in content_words:
                if shared[w.lemma] == 1 and all(w.lemma != k for k, _ in seeds):
                    seeds.append((w.lemma, w.text.lower()))
        out.append(seeds)
    return out


def _describe(terms: Sequence[str], n: int = 4) -> list[str]:
    """Terms for the draft definition: phrases first, as they say more than single words."""
    phrases = [t for t in terms if " " in t][:n]
    inside = {w for p in phrases for w in p.split(" ")}
    words = [t for t in terms if " " not in t and t not in inside]
    chosen = set(phrases + words[: n - len(phrases)])
    return [t for t in terms if t in chosen]


def _definition(label: str, terms: Sequence[str], has_text: bool) -> str:
    if not has_text:
        return (
            f"Survey respondents named {label} as a priority; the survey had no free-text "
            "comments to describe it, so write what belongs in this theme here."
        )
    if not terms:
        return (
            f"Survey respondents named {label} as a priority; their comments had too few "
            "distinctive words to describe it, so write what belongs in this theme here."
        )
    listed = terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " and " + terms[-1]
    return f"Survey respondents who named {label} most often wrote about {listed}."


def from_survey(
    df: pd.DataFrame, *, name: str, source: str, origin: str = "survey"
) -> dict[str, Any]:
    """Draft a codebook from a survey of ranked priorities and free-text comments.

    The ranks and shares come straight from the tick boxes, so the board's attention can be set
    against what respondents actually chose. The seeds come from the words respondents used when
    they wrote about a priority, because those are the words minutes will use when the board talks
    about it. The result is a draft for the researcher to read and edit, then version.
    """
    df = df.rename(columns=str)  # a spreadsheet export may have numbers as column names
    prio_cols = _priority_columns(df, origin)
    answers: list[list[str]] = []
    for row in df[prio_cols].itertuples(index=False, name=None):
        chosen: list[str] = []
        for value in row:
            label = _clean(value)
            if label and label not in chosen:
                chosen.append(label)
        answers.append(chosen)
    answered = sum(1 for a in answers if a)
    if answered == 0:
        raise CodebookError(
            f"{origin}: no respondent ticked any priority in the columns "
            f"{', '.join(map(repr, prio_cols))}. Check that these columns hold the option labels "
            "(e.g. 'Housing'), not blanks."
        )

    named = Counter(label for a in answers for label in a)
    first = Counter(a[0] for a in answers if a)
    notes: list[str] = [
        f"Drafted by `involve themes from-survey` from {origin}: {len(df)} respondents, "
        f"{answered} of whom ranked at least one priority (columns "
        f"{', '.join(prio_cols)}). priority_rank orders options by how many respondents named "
        "them at any rank (ties: more first choices, then label); survey_share is that number "
        f"divided by {answered}.",
    ]
    options = sorted(named, key=lambda lab: (-named[lab], -first[lab], lab))
    reserved = [lab for lab in options if _slug(lab) in RESERVED_IDS]
    if reserved:
        notes.append(
            f"Left out {', '.join(map(repr, reserved))}: 'other' is the code for units that fit "
            "no theme, not a theme of its own."
        )
        options = [lab for lab in options if lab not in reserved]

    ids: list[str] = []
    for lab in options:
        base = _slug(lab) or "priority"
        if base[0].isdigit():
            base = f"p_{base}"
        theme_id, n = base, 2
        while theme_id in ids or theme_id in RESERVED_IDS:
            theme_id, n = f"{base}_{n}", n + 1
        ids.append(theme_id)

    text_col = _free_text_column(df, prio_cols)
    nlp = _nlp()
    label_seeds = _label_seeds(options, nlp)
    comments = [_clean(v) for v in df[text_col].tolist()] if text_col else [""] * len(df)
    has_text = any(comments)

    # Terms per comment, and which themes each commenting respondent named.
    rows = [(i, c) for i, c in enumerate(comments) if c]
    docs = list(nlp.pipe([c for _, c in rows]))
    parsed = [_terms(doc) for doc in docs]
    forms: dict[str, Counter[str]] = {}
    capitals: dict[str, list[int]] = {}
    for terms in parsed:
        for key, counter in terms.forms.items():
            forms.setdefault(key, Counter()).update(counter)
        for key, (n, caps) in terms.capitals.items():
            seen = capitals.setdefault(key, [0, 0])
            seen[0] += n
            seen[1] += caps
    # Names of places, services and people (capitalised mid-sentence) are left out: they are
    # local rather than thematic, and a person's name must never become a seed.
    proper = {k for k, (n, caps) in capitals.items() if n >= 2 and caps >= _PROPER_SHARE * n}
    total = Counter(key for terms in parsed for key in terms.keys if key not in proper)

    prior = {k: _PRIOR_SCALE * n for k, n in total.items()}

    # term -> (coverage, z, theme index) of the theme it goes to; see below
    owner: dict[str, tuple[float, float, int]] = {}
    group_df: list[Counter[str]] = []
    for t, lab in enumerate(options):
        members = [
            (terms, 1.0 / (answers[i].index(lab) + 1))
            for (i, _), terms in zip(rows, parsed, strict=True)
            if lab in answers[i]
        ]
        group = Counter(k for terms, _ in members for k in terms.keys)
        group_df.append(group)
        # People write most about their first choice, so a comment counts towards a theme by the
        # rank they gave it (1, 1/2, 1/3 ...). It is set against the comments of respondents who
        # did not name the theme at all.
        weighted: dict[str, float] = {}
        for terms, weight in members:
            for k in terms.keys:
                weighted[k] = weighted.get(k, 0.0) + weight
        against = {k: float(n - group[k]) for k, n in total.items()}
        contexts: dict[str, set[tuple[str, str]]] = {}
        for terms, _ in members:
            for key, ctx in terms.contexts.items():
                contexts.setdefault(key, set()).update(ctx)
        z = _log_odds(weighted, against, prior)
        for term, score in z.items():
            # A term always preceded (or always followed) by the same word is part of one stock
            # sentence or a longer phrase ("home treatment team" gives "treatment team"), not a
            # way people talk about the theme.
            ctx = contexts.get(term, set())
            if (
                group[term] >= _MIN_COUNT
                and score >= _MIN_Z
                and len({b for b, _ in ctx}) >= _MIN_CONTEXTS
                and len({a for _, a in ctx}) >= _MIN_CONTEXTS
            ):
                # Of the themes a term is distinctive of, it goes to the one whose respondents
                # account for most of its uses. Comparing z across themes would favour small
                # themes, because a theme most people ticked has little "rest" to stand out from.
                claim = (group[term] / total[term], score, t)
                if term not in owner or claim[:2] > owner[term][:2]:
                    owner[term] = claim

    taken = {key for seeds in label_seeds for key, _ in seeds}
    shown_seeds = {shown for seeds in label_seeds for _, shown in seeds}
    themes: list[dict[str, Any]] = []
    seed_keys: list[list[str]] = []
    for t, lab in enumerate(options):
        ranked = sorted(
            (term for term, (_, _, o) in owner.items() if o == t and term not in taken),
            key=lambda term: (-owner[term][1], term),
        )
        group = group_df[t]
        # A word that nearly always comes inside one of the phrases adds nothing but noise, and
        # neither does a phrase that only extends a better one ("out of hours support").
        phrases = [p for p in ranked if " " in p]
        ranked = [
            term
            for term in ranked
            if not any(p != term and f" {p} " in f" {term} " for p in phrases)
        ]
        ranked = [
            term
            for term in ranked
            if " " in term
            or not any(term in p.split(" ") and group[p] >= 0.8 * group[term] for p in phrases)
        ]
        room = max(_MAX_SEEDS - len(label_seeds[t]), 0)
        picked: list[str] = []
        for term in ranked:
            shown = _display(term, forms[term]).lower()
            if len(picked) < room and shown not in shown_seeds:
                picked.append(term)
                shown_seeds.add(shown)
        keys = [k for k, _ in label_seeds[t]] + picked
        seeds = [shown for _, shown in label_seeds[t]] + [_display(k, forms[k]) for k in picked]
        seed_keys.append(keys)
        share = round(named[lab] / answered, 3)
        themes.append(
            {
                "id": ids[t],
                "label": lab,
                "priority_rank": t + 1,
                "survey_share": share,
                "definition": _definition(
                    lab, [_display(k, forms[k]) for k in _describe(picked)], has_text
                ),
                "seeds": seeds,
            }
        )

    if text_col is None or not has_text:
        notes.append(
            "The survey has no free-text comments"
            + (f" (column {text_col!r} is empty)" if text_col else "")
            + ", so each theme's seeds are the words of its label only: add the words people use "
            "for it before coding."
        )
    else:
        notes.append(
            f"Seeds: the label's own words, then the most distinctive words and two-word phrases "
            f"(lemmatised, in at least {_MIN_COUNT} comments) in column {text_col!r} of "
            "respondents who named the priority (weighted by the rank they gave it), against the "
            "comments of those who did not (log-odds ratio with an informative Dirichlet prior); "
            "each term goes to one theme only. Examples are sentences from those comments. Edit "
            "the definitions, seeds and examples, then raise the version."
        )
        sentences = [
            (i, sent.text.strip(), _terms(sent))
            for (i, _), doc in zip(rows, docs, strict=True)
            for sent in doc.sents
        ]
        _add_examples(themes, sentences, answers, options, seed_keys)

    draft: dict[str, Any] = {"name": name, "version": 1, "source": source}
    involvement = _involvement_theme(themes, nlp)
    if involvement:
        theme_id, word = involvement
        notes.append(
            f"involvement_theme is {theme_id!r}, whose label speaks of {word!r}: the board's own "
            "arrangements for involving service users and carers (representatives' presence, "
            "recruitment, training and expenses, and what came of their points) are coded "
            "there. Change it, or remove it to let them fall where they may."
        )
    draft["notes"] = " ".join(notes)
    if involvement:
        draft["involvement_theme"] = involvement[0]
    draft["themes"] = themes
    return draft


# Words of a priority's label that make it the voice theme: being heard, having a say, taking part.
VOICE_WORDS = frozenset(
    [
        "say",
        "listen",
        "hear",
        "heard",
        "voice",
        "involve",
        "involvement",
        "involved",
        "view",
        "participation",
        "participate",
        "influence",
        "co-production",
        "coproduction",
        "consult",
        "consultation",
        "engagement",
        "engage",
    ]
)


def _involvement_theme(
    themes: Sequence[Mapping[str, Any]], nlp: Language
) -> tuple[str, str] | None:
    """The one theme whose label is about service users' voice, and the word that says so.

    None when no label, or more than one, speaks of it: the researcher then decides.
    """
    found: list[tuple[str, str]] = []
    for theme, doc in zip(themes, nlp.pipe([str(t["label"]) for t in themes]), strict=True):
        words = [w for tok in doc for w in (tok.lower_, tok.lemma_.lower()) if w in VOICE_WORDS]
        if words:
            found.append((str(theme["id"]), words[0]))
    return found[0] if len(found) == 1 else None


def _add_examples(
    themes: list[dict[str, Any]],
    sentences: Sequence[tuple[int, str, _Terms]],
    answers: Sequence[Sequence[str]],
    options: Sequence[str],
    seed_keys: Sequence[Sequence[str]],
) -> None:
    """Pick short sentences that show coders what is in a theme and what only looks like it.

    Sentences rather than whole comments, because a comment often covers two or three priorities.
    include: from respondents who named the theme, the sentences densest in its seeds and free of
    other themes' seeds. exclude: sentences from respondents who did not name the theme that use
    one of its seeds but are more about another theme (a "crisis" in a sentence about waiting).
    """
    hits = [
        [sum(1 for k in keys if k in terms.keys) for keys in seed_keys] for _, _, terms in sentences
    ]
    # Sentences whose every word recurs elsewhere read as typical, and are less likely to carry a
    # slip of the pen; they go first. Sentences with a capitalised word mid-sentence are never
    # quoted: comments name staff, other patients and places.
    word_count = Counter(k for _, _, terms in sentences for k in terms.keys if " " not in k)
    odd = [any(word_count[k] < 2 for k in terms.keys if " " not in k) for _, _, terms in sentences]
    named = [any(caps for _, caps in terms.capitals.values()) for _, _, terms in sentences]
    for t, lab in enumerate(options):
        include: list[tuple[bool, float, int, int, int]] = []
        exclude: list[tuple[bool, int, int, int]] = []
        for k, (i, text, terms) in enumerate(sentences):
            if not 0 < terms.n_words <= _MAX_EXAMPLE_WORDS or hits[k][t] == 0 or named[k]:
                continue
            others = max((h for u, h in enumerate(hits[k]) if u != t), default=0)
            if lab in answers[i] and others == 0:
                include.append((odd[k], -hits[k][t] / terms.n_words, -hits[k][t], len(text), k))
            elif lab not in answers[i] and others > hits[k][t]:
                exclude.append((odd[k], -others, len(text), k))
        themes[t]["examples"] = {
            "include": _varied((k for *_, k in sorted(include)), sentences, 3),
            "exclude": _varied((k for *_, k in sorted(exclude)), sentences, 2),
        }


def _varied(
    order: Iterable[int], sentences: Sequence[tuple[int, str, _Terms]], n: int
) -> list[str]:
    """The first n sentences in order, skipping near-repeats, so examples show different cases."""
    out: list[str] = []
    for k in order:
        text = sentences[k][1]
        if any(
            difflib.SequenceMatcher(None, text.lower(), o.lower()).ratio() >= _NEAR_REPEAT
            for o in out
        ):
            continue
        out.append(text)
        if len(out) == n:
            break
    return out
