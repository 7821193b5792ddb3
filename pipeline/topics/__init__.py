"""Emergent topics: what the board talked about, found without the codebook's say-so.

The theme coder can only find what the survey named. To show what the board discussed that no
survey priority covers, the units are clustered into topics with BERTopic, guided by the
codebook's seeds (``seed_topic_list``), on the same sentence vectors the coder used (the unit with
its agenda item title in front, from the packaged all-MiniLM-L6-v2 model), so nothing is embedded
twice. Each topic is then compared with the codebook (see :func:`coverage` and docs/measures.md)
and called *covered* by a theme, the board's own *procedure*, or *emergent*.

Why PCA and Ward clustering rather than BERTopic's default UMAP and HDBSCAN: on the demo board
(556 units) UMAP costs 12 to 20 s of one-off numba compilation in every fresh process, more than
a third of a whole analysis, for topics no better on units this few; PCA and Ward's agglomerative
clustering take under a second, have no random start (the same units give the same topics on any
machine and any number of cores), and assign every unit, so every word of the minutes is counted
in some topic. ``method="umap"`` gives the default pair (fixed random state, one thread) for
those who prefer it. The number of topics follows the corpus size (UNITS_PER_TOPIC), because Ward
needs one and a topic should be a subject the board came back to, not a single paragraph. Ward
keeps a distance for every pair of units, so above WARD_SAMPLE units (5,000) it clusters a
fixed-seed sample of that many and every other unit joins the topic whose centre is nearest
(:class:`SampledWard`): memory stays bounded and time grows with the units, and a corpus of at
most 5,000 units is clustered whole, as before.

Labels are c-TF-IDF keywords (BERTopic's class-based TF-IDF with frequent words damped) over
the units' pseudonymised text with the pseudonyms themselves taken out, English stop words,
the board's name and its boilerplate ("minutes", "agreed", "noted") removed: a topic must be
named for what it is about, never for who spoke or for the board's formulae. Its example is the
unit nearest the topic's centre, preferring units long enough to read on their own.

BERTopic is optional (the ``topics`` extra) and imported only here, only when used: without it,
or without sentence embeddings, the stage returns an empty table and a note saying why.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from pipeline.classify.themes import semantic
from pipeline.core import config, vocab
from pipeline.core.embed import Embedder
from pipeline.inputs.codebook import Codebook

HINT = (
    "emergent topics need BERTopic, which is not installed; install it with "
    "`pip install -e '.[topics]'` (the embed extra too)"
)
NO_EMBEDDINGS = "emergent topics need sentence embeddings, which are not installed or turned off"

Method = Literal["ward", "umap"]
Kind = Literal["covered", "procedure", "emergent"]

UNITS_PER_TOPIC = 25  # about one topic per 25 units: a subject raised at several meetings
MIN_TOPICS = 4
MAX_TOPICS = 40
MIN_UNITS = 20  # fewer units than this and there is nothing to cluster
# Ward's clustering holds a distance for every pair of units (n² / 2 of them: 345 MB at 9,287
# units, 5 GB at 35,000). Above this many units it clusters a fixed-seed sample of this size
# and gives every other unit the topic whose centre is nearest: memory stays at the sample's
# and time grows with the units. At or below it, every unit is clustered as before.
WARD_SAMPLE = 5000
PCA_COMPONENTS = 10
N_KEYWORDS = 10
LABEL_WORDS = 3
EXAMPLE_MIN_WORDS = 12  # an example shorter than this rarely reads on its own
COVERED_SHARE = 0.5  # "most of its units": more than half of the topic's words carry the theme

# The board's formulae: words every set of minutes uses whatever it is about.
_BOILERPLATE_WORDS = """
    board meeting meetings minutes minute item items agenda agreed agree noted note notes report
    reports reported update updates updated paper papers action actions chair chaired chairman
    member members officer officers present apologies welcomed welcome thanked thanks asked ask
    said says confirmed confirm discussed discussion raised explained advised informed added
    outlined presented presentation circulated circulate previous matters arising date next
    held record correct following including partnership committee group today week month year
    representative representatives attending attended listed circulated received
    year's months weeks years
"""
BOILERPLATE = frozenset([*_BOILERPLATE_WORDS.split(), *vocab.MONTHS, *vocab.WEEKDAYS[:5]])
# Pseudonyms as preprocess writes them ("Service user 2", "Officer 5", "Person 3", "the Chair").
_PSEUDONYM = re.compile(
    r"\b(?:service user|carer|lay member|member|officer|chair|person|lay)s? \d+\b", re.IGNORECASE
)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*[^\W\d_]|[^\W\d_]")
# Punctuation that ends a phrase: no two-word phrase is taken across it.
_RUN_BREAK = re.compile(r"[.,;:!?()\[\]\"“”/•|]+|\s[-–—]\s|\d+")


@dataclass(frozen=True)
class TopicSettings:
    method: Method = "ward"
    units_per_topic: int = UNITS_PER_TOPIC
    seed: int = config.SEED
    ward_sample: int = WARD_SAMPLE


@dataclass(frozen=True)
class TopicResult:
    """The emergent_topics table, each unit's topic (-1: none), and why it is empty if it is."""

    table: pd.DataFrame
    unit_topics: pd.Series
    note: str = ""
    method: str = ""


def available() -> bool:
    """Whether BERTopic is installed, found without importing it (that alone takes ~6 s)."""
    try:
        return importlib.util.find_spec("bertopic") is not None
    except (ImportError, ValueError):
        return False


def emergent_topics(
    segments: pd.DataFrame,
    codebook: Codebook,
    embedder: Embedder | None,
    *,
    stop_words: Iterable[str] = (),
    settings: TopicSettings | None = None,
) -> TopicResult:
    """Topics of the coded units (``text``, ``item_title``, ``theme``, ``n_words`` ...).

    ``stop_words`` adds words that must not label a topic, such as the board's own name.
    """
    settings = settings or TopicSettings()
    empty = TopicResult(_empty_table(), pd.Series(-1, index=segments.index, dtype="int64"))
    if embedder is None:
        return _with_note(empty, NO_EMBEDDINGS)
    if not available():
        return _with_note(empty, HINT)
    if len(segments) < MIN_UNITS:
        return _with_note(
            empty, f"only {len(segments)} units, too few for topics (at least {MIN_UNITS})"
        )
    texts = [_text(t) for t in segments["text"]]
    titles = [_text(t) for t in segments["item_title"]]
    vectors = embedder.encode(semantic.unit_texts(texts, titles))
    labels, keywords = fit_topics(
        [strip_pseudonyms(t) for t in texts],
        vectors,
        seed_lists(codebook),
        embedder,
        stop_words=label_stop_words(stop_words),
        settings=settings,
    )
    theme_sim, procedure_sim = semantic.similarities(vectors, codebook, embedder)
    table = describe(segments, labels, keywords, vectors, codebook, theme_sim, procedure_sim)
    unit_topics = pd.Series(labels, index=segments.index, dtype="int64")
    return TopicResult(table, unit_topics, method=settings.method)


# --------------------------------------------------------------------------- the topic model
def fit_topics(
    docs: Sequence[str],
    vectors: np.ndarray,
    seeds: list[list[str]],
    embedder: Embedder,
    *,
    stop_words: Sequence[str],
    settings: TopicSettings,
) -> tuple[np.ndarray, dict[int, list[str]]]:
    """Each doc's topic (0 = largest) and each topic's c-TF-IDF keywords, best first."""
    try:
        unused = UNUSED_BY_WARD if settings.method == "ward" else ()
        with _unimportable((*unused, *NEVER_USED)):
            from bertopic import BERTopic
    except ImportError:
        # A BERTopic release that needs these to import at all: pay for them.
        from bertopic import BERTopic
    from bertopic.backend import BaseEmbedder
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    class _Backend(BaseEmbedder):
        """The run's own (cached) embedder, so seed topics are embedded like the units."""

        def embed(self, documents: Any, verbose: bool = False) -> np.ndarray:
            return embedder.encode([str(d) for d in documents])

    n_topics = topic_count(len(docs), settings.units_per_topic)
    reducer, clusterer = _models(settings, n_topics, len(docs))
    model = BERTopic(
        embedding_model=_Backend(),
        umap_model=reducer,
        hdbscan_model=clusterer,
        vectorizer_model=CountVectorizer(analyzer=_Analyzer(frozenset(stop_words))),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        seed_topic_list=seeds or None,
        top_n_words=N_KEYWORDS,
        calculate_probabilities=False,
    )
    # BERTopic nudges the seed-like vectors in place: give it a copy, the caller's stay as coded.
    topics, _ = model.fit_transform(list(docs), np.array(vectors, dtype=np.float32, copy=True))
    keywords = {
        int(t): [w for w, score in (model.get_topic(t) or []) if w and score > 0]
        for t in set(topics)
        if t != -1
    }
    return np.asarray(topics, dtype=np.int64), keywords


# What importing BERTopic loads only to offer it: UMAP (with numba and pynndescent, about 2 s of CPU
# in a fresh process, more than fitting the Ward topics) and plotly (its charts; without plotly
# BERTopic puts a stand-in there). The Ward pair never uses either, so they are kept out while
# BERTopic is imported; fitting is the same. Only in a process that has not imported BERTopic
# yet, and they stay importable afterwards (`method="umap"` imports UMAP itself).
UNUSED_BY_WARD = ("umap", "plotly")
# BERTopic also imports sentence-transformers, and transformers with torch, to offer its own
# embedding and text-generation models (about 3.5 s of CPU). It is given the run's own vectors
# and writes keywords by c-TF-IDF, so it never uses them: in a process that has not loaded the
# model (a run whose vectors are embedded on a Dask cluster, or a run without embeddings) they
# are kept out too.
NEVER_USED = ("sentence_transformers", "transformers", "torch")


@contextlib.contextmanager
def _unimportable(modules: Sequence[str]) -> Iterator[None]:
    """``import`` of ``modules`` fails (ImportError) within the block, unless already imported."""
    blocked = [] if "bertopic" in sys.modules else [m for m in modules if m not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


class _Analyzer:
    """Words and two-word phrases for c-TF-IDF, never across a stop word.

    A plain ``CountVectorizer(stop_words=..., ngram_range=(1, 2))`` removes stop words first and
    then pairs what is left, inventing phrases the minutes never contain ("spelling kelsby" from
    "the spelling of Kelsby"); here a phrase is two content words that stand side by side.
    """

    def __init__(self, stop_words: frozenset[str]) -> None:
        self.stop_words = stop_words

    def __call__(self, doc: str) -> list[str]:
        out: list[str] = []
        for run in _RUN_BREAK.split(doc.lower()):
            words = [w.removesuffix("'s").removesuffix("’s") for w in _WORD.findall(run)]
            kept = [w if w not in self.stop_words and len(w) > 2 else "" for w in words]
            out += [w for w in kept if w]
            out += [f"{a} {b}" for a, b in itertools.pairwise(kept) if a and b]
        return out


def _models(settings: TopicSettings, n_topics: int, n_docs: int) -> tuple[Any, Any]:
    if settings.method == "umap":
        from hdbscan import HDBSCAN
        from umap import UMAP

        reducer = UMAP(
            n_neighbors=15,
            n_components=5,
            min_dist=0.0,
            metric="cosine",
            random_state=settings.seed,
            n_jobs=1,
        )
        return reducer, HDBSCAN(
            min_cluster_size=max(5, n_docs // 60), metric="euclidean", prediction_data=True
        )
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.decomposition import PCA

    reducer = PCA(n_components=min(PCA_COMPONENTS, n_docs - 1), svd_solver="full")
    if n_docs <= settings.ward_sample:
        return reducer, AgglomerativeClustering(n_clusters=n_topics, linkage="ward")
    return reducer, SampledWard(n_topics, settings.ward_sample, settings.seed)


class SampledWard:
    """Ward's clustering of a fixed-seed sample of ``sample`` points; every other point joins
    the cluster whose centre (the mean of its sampled points) is nearest.

    What BERTopic needs of a clusterer: ``fit`` and ``labels_``. Memory is Ward's on the sample
    (about ``sample``² / 2 distances) and the rest costs one distance per point and cluster, so a
    corpus of any size clusters in bounded memory and in time linear in its units. A corpus no
    larger than the sample is clustered whole, as AgglomerativeClustering would.
    """

    def __init__(self, n_clusters: int, sample: int, seed: int) -> None:
        self.n_clusters = n_clusters
        self.sample = sample
        self.seed = seed
        self.labels_: np.ndarray = np.empty(0, dtype=np.int64)

    def fit(self, X: np.ndarray, y: object = None) -> SampledWard:
        from sklearn.cluster import AgglomerativeClustering

        points = np.asarray(X)
        ward = AgglomerativeClustering(n_clusters=self.n_clusters, linkage="ward")
        if len(points) <= self.sample:
            self.labels_ = np.asarray(ward.fit(points).labels_, dtype=np.int64)
            return self
        rng = np.random.default_rng(self.seed)
        chosen = np.sort(rng.choice(len(points), size=self.sample, replace=False))
        sampled = np.asarray(ward.fit(points[chosen]).labels_, dtype=np.int64)
        centres = np.stack(
            [points[chosen][sampled == k].mean(axis=0) for k in range(self.n_clusters)]
        )
        labels = np.empty(len(points), dtype=np.int64)
        for start in range(0, len(points), 4096):
            block = points[start : start + 4096]
            # Squared distances to each centre: |x|² - 2 x·c + |c|², without an n × k × d array.
            dist = (
                (block**2).sum(axis=1)[:, None]
                - 2 * block @ centres.T
                + (centres**2).sum(axis=1)[None, :]
            )
            labels[start : start + len(block)] = np.argmin(dist, axis=1)
        labels[chosen] = sampled  # a sampled point keeps the cluster Ward gave it
        self.labels_ = labels
        return self


def topic_count(n_units: int, units_per_topic: int = UNITS_PER_TOPIC) -> int:
    """About one topic per ``units_per_topic`` units, within MIN_TOPICS..MAX_TOPICS."""
    wanted = round(n_units / max(1, units_per_topic))
    return int(max(min(MIN_TOPICS, n_units - 1), min(MAX_TOPICS, wanted, n_units - 1)))


def seed_lists(codebook: Codebook) -> list[list[str]]:
    """One list per theme, its label's words and its seeds, lower-cased as the vectorizer sees."""
    out = []
    for theme in codebook.themes:
        words = [theme.label, *theme.seeds]
        out.append(list(dict.fromkeys(w.lower().strip() for w in words if w.strip())))
    return [s for s in out if s]


def label_stop_words(extra: Iterable[str] = ()) -> list[str]:
    """English stop words, the board's formulae and ``extra`` (split into lower-case words)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = set(ENGLISH_STOP_WORDS) | BOILERPLATE
    for phrase in extra:
        words |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'\-]*", phrase)}
    return sorted(words)


def strip_pseudonyms(text: str) -> str:
    """The unit without "Service user 2", "Officer 5": a topic is never labelled by a speaker."""
    return _PSEUDONYM.sub(" ", text)


# --------------------------------------------------------------------------- the table
def describe(
    segments: pd.DataFrame,
    labels: np.ndarray,
    keywords: dict[int, list[str]],
    vectors: np.ndarray,
    codebook: Codebook,
    theme_sim: np.ndarray,
    procedure_sim: np.ndarray,
) -> pd.DataFrame:
    """One row per topic, largest first: its words, size, coverage and example unit."""
    n_words = segments["n_words"].to_numpy(dtype=float)
    total = float(n_words.sum()) or 1.0
    themes = segments["theme"].astype(str).to_numpy()
    ids = list(codebook.ids)
    reference = theme_reference(theme_sim, themes, ids)
    rows = []
    for topic in sorted(keywords):
        rows_in = np.flatnonzero(labels == topic)
        if not len(rows_in):
            continue
        cover = coverage(
            themes[rows_in],
            n_words[rows_in],
            theme_sim[rows_in],
            procedure_sim[rows_in],
            ids,
            reference,
        )
        example = int(rows_in[_example(vectors[rows_in], n_words[rows_in])])
        unit = segments.iloc[example]
        words = keywords[topic]
        rows.append(
            {
                "topic_id": topic,
                "label": topic_label(words),
                "keywords": "; ".join(words),
                "n_units": len(rows_in),
                "n_words": int(n_words[rows_in].sum()),
                "share_of_words": float(n_words[rows_in].sum()) / total,
                "kind": cover.kind,
                "covered_by_theme": cover.theme,
                "nearest_theme": cover.nearest,
                "theme_share": cover.theme_share,
                "similarity": cover.similarity,
                "example_unit_id": str(unit["segment_id"]),
                "example_text": str(unit["text"]),
                "meetings": int(segments["meeting_id"].iloc[rows_in].nunique()),
                "segment_ids": ";".join(segments["segment_id"].iloc[rows_in].astype(str)),
            }
        )
    if not rows:
        return _empty_table()
    from pipeline.core import schemas

    table = pd.DataFrame(rows).sort_values(["n_words", "topic_id"], ascending=[False, True])
    return schemas.conform(table, "emergent_topics")


@dataclass(frozen=True)
class Coverage:
    kind: Kind
    theme: str  # the covering theme, '' when none
    nearest: str  # the covering theme, else the one with most words, else the closest in meaning
    theme_share: float  # share of the topic's words coded to ``nearest``
    similarity: float  # mean similarity of its units to ``nearest``


def theme_reference(theme_sim: np.ndarray, themes: np.ndarray, ids: Sequence[str]) -> np.ndarray:
    """Per theme, the median similarity to it of the units the coder gave it (NaN if none)."""
    out = np.full(len(ids), np.nan)
    for j, theme in enumerate(ids):
        mine = themes == theme
        if mine.any():
            out[j] = float(np.median(theme_sim[mine, j]))
    return out


def coverage(
    themes: np.ndarray,
    n_words: np.ndarray,
    theme_sim: np.ndarray,
    procedure_sim: np.ndarray,
    ids: Sequence[str],
    reference: np.ndarray,
) -> Coverage:
    """Whether a survey theme covers a topic (the rule is in docs/measures.md).

    Covered by units: more than half the topic's words are in units coded to one theme.
    Covered by meaning: otherwise, the topic's units are on average at least as close to a theme's
    prototypes as the median unit the coder gave that theme. An uncovered topic is procedure
    when most of its words are in units closer to the board's procedure (semantic.PROCEDURE)
    than to any theme; the rest are emergent.
    """
    if not len(ids):
        return Coverage("emergent", "", "", 0.0, float("nan"))
    words = max(float(n_words.sum()), 1.0)
    shares = np.array([n_words[themes == t].sum() / words for t in ids])
    mean_sim = theme_sim.mean(axis=0)
    top = int(np.argmax(shares))
    if shares[top] > COVERED_SHARE:
        return Coverage("covered", ids[top], ids[top], float(shares[top]), float(mean_sim[top]))
    reached = np.where(np.isnan(reference), np.inf, reference)
    margin = mean_sim - reached
    if (margin >= 0).any():
        best = int(np.argmax(np.where(margin >= 0, mean_sim, -np.inf)))
        return Coverage("covered", ids[best], ids[best], float(shares[best]), float(mean_sim[best]))
    procedural = procedure_sim > theme_sim.max(axis=1)
    kind: Kind = "procedure" if n_words[procedural].sum() / words > COVERED_SHARE else "emergent"
    # The nearest theme: the one with most of the topic's words, else the closest in meaning.
    near = top if shares[top] > 0 else int(np.argmax(mean_sim))
    return Coverage(kind, "", ids[near], float(shares[near]), float(mean_sim[near]))


def topic_label(keywords: Sequence[str], n: int = LABEL_WORDS) -> str:
    """The first ``n`` keywords, skipping a word a chosen phrase already holds ("crisis line")."""
    chosen: list[str] = []
    for word in keywords:
        parts = set(word.split())
        if any(parts <= set(c.split()) for c in chosen):
            continue  # already said by a phrase chosen before
        # A phrase replaces the single words it contains that were chosen before it.
        chosen = [c for c in chosen if not set(c.split()) < parts]
        chosen.append(word)
        if len(chosen) == n:
            break
    return ", ".join(chosen[:n]) or "(no distinctive words)"


def _example(vectors: np.ndarray, n_words: np.ndarray) -> int:
    """Index of the unit nearest the topic's centre, among the readable ones if there are any."""
    centre = vectors.mean(axis=0)
    sims = vectors @ centre
    readable = n_words >= EXAMPLE_MIN_WORDS
    if readable.any():
        sims = np.where(readable, sims, -np.inf)
    return int(np.argmax(sims))


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _empty_table() -> pd.DataFrame:
    from pipeline.core import schemas

    return schemas.empty("emergent_topics")


def _with_note(result: TopicResult, note: str) -> TopicResult:
    return TopicResult(result.table, result.unit_topics, note, result.method)
