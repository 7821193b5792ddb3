"""Seed evidence: where a theme's seed terms occur in a unit, matched on lemmas.

Seeds and units go through the same spaCy pipeline (blank English, lookup lemmatizer, from
``pipeline.pseudonymise.preprocess.nlp``) and are matched with a ``PhraseMatcher`` on ``LEMMA``, so
the seed
"crisis line" meets "Crisis Lines" and "carer's assessment" meets "carers' assessments".

Choices, and why:
- Text is lower-cased before lemmatising: the lookup table's keys are lower case, so "Crisis
  Lines" at a sentence start would otherwise keep its plural.
- Possessive markers are removed before tokenising. spaCy splits "carer's" into "carer" + "'s",
  and the lookup lemma of "'s" is "have"; "carers'" leaves a bare "'" token. Either would stop a
  phrase from matching, and neither carries meaning for a theme.
- A theme's label is its most direct description, so the content words of the label are seeds
  too, unless another theme's label shares them ("support" in "Crisis support" and "Peer
  support" says nothing about which of the two a unit is about).
- A seed word also finds its abstract-noun derivations ("involve" finds "involvement", "aware"
  finds "awareness"): suffixes -ment, -ness and -ity keep the sense of the word they derive from
  (unlike -er, which turns "work" into "worker"). Such a match counts half, being one step away.
- A phrase of n words counts 1 + 0.5 (n - 1): it is more specific than a single word. Where
  matches overlap the longest wins, so "crisis line" is not also counted as "crisis".
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

import numpy as np

from pipeline.core import distribute, textcache
from pipeline.core.textcache import Store
from pipeline.inputs.codebook import Codebook, Theme

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

DERIVATION_SUFFIXES = ("ment", "ness", "ity")
DERIVED_WEIGHT = 0.5
_MIN_STEM = 4  # letters a word needs before a derivational suffix is added to it
# Function words dropped from labels before they become seeds.
_LABEL_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "be",
        "for",
        "from",
        "have",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "about",
        "being",
    ]
)
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b|(?<=s)['’](?=\W|$)")


def normalise(text: str) -> str:
    """Lower-cased text without possessive markers: the form both seeds and units are read in."""
    return _POSSESSIVE.sub("", (text or "").lower())


def docs(texts: Sequence[str]) -> list[Doc]:
    """spaCy Docs with lookup lemmas for the normalised texts."""
    from pipeline.pseudonymise.preprocess import nlp

    return list(nlp().pipe([normalise(t) for t in texts], batch_size=256))


@dataclass(frozen=True)
class Seed:
    theme: str
    text: str  # lemmatised, space-separated
    weight: float


def label_words(codebook: Codebook) -> dict[str, list[str]]:
    """Content words of each theme's label that no other theme's label shares, lemmatised."""
    lemmas = {
        t.id: [tok.lemma_ for tok in d]
        for t, d in zip(codebook.themes, docs([t.label for t in codebook.themes]), strict=True)
    }
    words = {
        tid: [w for w in dict.fromkeys(ws) if w.isalpha() and w not in _LABEL_STOPWORDS]
        for tid, ws in lemmas.items()
    }
    shared = Counter(w for ws in words.values() for w in ws)
    return {tid: [w for w in ws if shared[w] == 1] for tid, ws in words.items()}


def seeds(codebook: Codebook, derived: bool = True) -> list[Seed]:
    """Every seed pattern of every theme, lemmatised, with its weight; in a fixed order."""
    extra = label_words(codebook)
    out: list[Seed] = []
    for theme in codebook.themes:
        out += _theme_seeds(theme, extra[theme.id], derived)
    return out


def _theme_seeds(theme: Theme, label_extra: Sequence[str], derived: bool) -> list[Seed]:
    raw = sorted({s for s in theme.seeds if s.strip()})
    lemmatised = [" ".join(t.lemma_ for t in d if not t.is_space) for d in docs(raw)]
    terms = list(dict.fromkeys([*(x for x in lemmatised if x), *label_extra]))
    out = [Seed(theme.id, t, 1.0 + 0.5 * (len(t.split()) - 1)) for t in terms]
    if derived:
        known = set(terms)
        for t in terms:
            head, _, last = t.rpartition(" ")
            if len(last) < _MIN_STEM or not last.isalpha():
                continue
            for suffix in DERIVATION_SUFFIXES:
                form = f"{head} {last}{suffix}".strip()
                if form not in known:
                    known.add(form)
                    out.append(Seed(theme.id, form, DERIVED_WEIGHT * (1 + 0.5 * t.count(" "))))
    return out


class SeedMatcher:
    """Counts weighted seed matches per text and theme with a spaCy PhraseMatcher on LEMMA."""

    def __init__(self, codebook: Codebook, derived: bool = True) -> None:
        self.theme_ids = list(codebook.ids)
        self.seeds = seeds(codebook, derived)

    def counts(self, texts: Sequence[str], cache: Store | None = None) -> np.ndarray:
        """Matches per text (rows) and seed pattern (columns), unweighted; with a ``cache``,
        each text's matches are kept between runs (by the seeds' texts, spaCy's version and
        this code), and only texts not seen before are parsed."""
        n = len(self.seeds)
        find = partial(seed_matches, seed_texts=tuple(s.text for s in self.seeds))
        rows = textcache.PerText(cache, "seed-counts", self._version()).map(
            [str(t) for t in texts],
            lambda positions: distribute.map_chunks(find, [texts[i] for i in positions]),
            load=lambda v: _matches_entry(v, n),
            dump=lambda found: {str(k): c for k, c in found.items()},
        )
        out = np.zeros((len(texts), n), dtype=float)
        for row, found in enumerate(rows):
            for column, count in found.items():
                out[row, column] = count
        return out

    def _version(self) -> str:
        import spacy

        from pipeline.pseudonymise import preprocess

        return textcache.fingerprint(
            "seed-counts",
            [s.text for s in self.seeds],
            spacy.__version__,
            textcache.package_version("spacy-lookups-data"),
            textcache.source_hash(sys.modules[__name__], preprocess),
        )

    def evidence(self, counts: np.ndarray, seed_weights: np.ndarray | None = None) -> np.ndarray:
        """Weighted matches summed per theme: rows are texts, columns the codebook's themes."""
        weights = np.array([s.weight for s in self.seeds])
        if seed_weights is not None:
            weights = weights * seed_weights
        theme_of = np.zeros((len(self.seeds), len(self.theme_ids)))
        index = {t: j for j, t in enumerate(self.theme_ids)}
        for i, seed in enumerate(self.seeds):
            theme_of[i, index[seed.theme]] = 1.0
        return (counts * weights) @ theme_of


def seed_matches(texts: Sequence[str], seed_texts: tuple[str, ...]) -> list[dict[int, int]]:
    """Per text, matches by seed pattern (its position in ``seed_texts``), here or on a
    cluster's worker."""
    from spacy.util import filter_spans

    matcher = _matcher(seed_texts)
    out: list[dict[int, int]] = []
    for doc in docs(texts):
        found: dict[int, int] = {}
        # Longest match wins where matches overlap: "crisis line" is one phrase match, not
        # also a match of "crisis".
        for span in filter_spans(matcher(doc, as_spans=True)):
            found[int(span.label_)] = found.get(int(span.label_), 0) + 1
        out.append(found)
    return out


@lru_cache(maxsize=4)
def _matcher(seed_texts: tuple[str, ...]) -> PhraseMatcher:
    from spacy.matcher import PhraseMatcher

    from pipeline.pseudonymise.preprocess import nlp

    matcher = PhraseMatcher(nlp().vocab, attr="LEMMA")
    # Patterns are built from lemma strings; a lemma's own lemma is itself in the lookup
    # table for the forms seeds take, and where not, the pattern doc carries it explicitly.
    for i, text in enumerate(seed_texts):
        matcher.add(str(i), [_lemma_doc(text)])
    return matcher


def _matches_entry(entry: Any, n: int) -> dict[int, int] | None:
    """A cache entry as matches by column, or None (a miss) for anything else."""
    if not isinstance(entry, dict):
        return None
    out: dict[int, int] = {}
    for key, count in entry.items():
        if not (isinstance(key, str) and key.isdigit() and int(key) < n and type(count) is int):
            return None
        out[int(key)] = count
    return out


def idf(counts: np.ndarray) -> np.ndarray:
    """How specific each seed is in this corpus: 1 in one unit, falling to 0 in every unit.

    log(N / df) / log(N), the inverse document frequency scaled to 0-1. A seed found in a fifth
    of all units ("carer" on a board with carer members, "young" on a children's board) tells
    little about which theme one of them is about; one found in three units tells a lot. It uses
    only the corpus being coded, no labels.
    """
    n = counts.shape[0]
    if n < 2:
        return np.ones(counts.shape[1])
    df = np.maximum((counts > 0).sum(axis=0), 1)
    return np.clip(np.log(n / df) / np.log(n), 0.0, 1.0)


def _lemma_doc(lemmas: str) -> Doc:
    """A pattern Doc whose tokens' LEMMA attributes are exactly the given lemmas."""
    from spacy.tokens import Doc

    from pipeline.pseudonymise.preprocess import nlp

    words = lemmas.split()
    doc = Doc(nlp().vocab, words=words)
    for token, lemma in zip(doc, words, strict=True):
        token.lemma_ = lemma
    return doc
