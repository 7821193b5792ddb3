"""Emergent topics: found, compared with the codebook, labelled without people, reported.

The units are a tiny board of four subjects: two the survey named (crisis line, housing), the
board's procedure, and one no survey priority covers (the hospital car park). A bag-of-words
embedder stands in for the sentence model so the tests stay fast; BERTopic itself is real.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline import topics
from pipeline.core import schemas
from pipeline.inputs.codebook import Codebook, Theme
from pipeline.report import build_report, sections
from tests.stand_ins import BagOfWords

needs_bertopic = pytest.mark.skipif(not topics.available(), reason="BERTopic not installed")

SUBJECTS = {
    "crisis_support": [
        "Service user 1 said nobody answered the crisis line at night and callers waited.",
        "Officer 2 reported the crisis line answered more calls at night after new staff.",
        "The crisis team answered night calls to the crisis line within the hour.",
        "Carer 1 asked why the crisis line was not answered at night in March.",
        "Crisis line calls at night rose, and the crisis team answered most of them.",
        "Members heard the crisis line night service answered calls faster this quarter.",
    ],
    "housing": [
        "Officer 3 said tenants moved into supported housing flats this spring.",
        "Supported housing flats for tenants leaving hospital opened in the town.",
        "Service user 2 asked how many tenants waited for supported housing flats.",
        "The housing protocol helped tenants find supported housing flats quickly.",
        "Tenants in supported housing flats said the housing support was good.",
        "Officer 4 reported more supported housing flats and tenants housed.",
    ],
    "other_parking": [
        "Carer 2 said the hospital car park charges stopped visitors parking near the ward.",
        "Visitors complained that car park charges at the hospital rose for parking again.",
        "Officer 5 said parking permits for the hospital car park would cut charges.",
        "The hospital car park was full, so visitors parked far from the ward entrance.",
        "Parking charges at the hospital car park fell for visitors of inpatients.",
        "Service user 3 asked that the car park parking charges be waived for visitors.",
    ],
    "other_procedure": [
        "The Chair welcomed members and apologies for absence were received and noted.",
        "The minutes of the previous meeting were agreed as a correct record of the meeting.",
        "Declarations of interest: none were declared at the meeting by members.",
        "The date of the next meeting was agreed and apologies for absence were noted.",
        "The Chair welcomed members; apologies were received from Officer 6.",
        "The minutes of the last meeting were agreed and signed by the Chair.",
    ],
}


def _codebook() -> Codebook:
    return Codebook(
        name="tiny",
        version=1,
        source="test",
        themes=(
            Theme(
                "crisis_support", "Crisis support", 1, 0.6, "Help in a crisis.", ("crisis line",)
            ),
            Theme("housing", "Housing", 2, 0.4, "Somewhere to live.", ("supported housing",)),
            Theme("information", "Information", 3, 0.2, "Leaflets and websites.", ("leaflet",)),
        ),
        origin="test",
    )


def _segments() -> pd.DataFrame:
    rows = []
    for subject, texts in SUBJECTS.items():
        theme = subject if not subject.startswith("other") else "other"
        for i, text in enumerate(texts):
            n = len(rows)
            rows.append(
                {
                    "segment_id": f"m{i % 3}-{n:03d}",
                    "meeting_id": f"m{i % 3}",
                    "meeting_date": pd.Timestamp(2024, 1 + i % 3, 10),
                    "doc_id": "d1",
                    "source": f"minutes-{i % 3}.pdf",
                    "page": 1 + i % 2,
                    "item_no": "1",
                    "item_title": "",
                    "text": text,
                    "n_words": len(text.split()),
                    "theme": theme,
                    "theme_score": 0.9,
                }
            )
    return pd.DataFrame(rows)


def _find(segments: pd.DataFrame | None = None) -> topics.TopicResult:
    return topics.emergent_topics(
        _segments() if segments is None else segments,
        _codebook(),
        BagOfWords(dims=4096, content_words=True),
        settings=topics.TopicSettings(units_per_topic=6),
    )


def _topic_of(result: topics.TopicResult, text_fragment: str) -> pd.Series:
    """The table row of the topic holding the unit that contains ``text_fragment``."""
    seg = _segments()
    unit = seg.loc[seg["text"].str.contains(text_fragment), "segment_id"].iloc[0]
    rows = result.table[result.table["segment_ids"].str.split(";").map(lambda ids: unit in ids)]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.mark.slow
@needs_bertopic
def test_a_subject_no_priority_names_is_emergent_and_named_ones_are_covered() -> None:
    result = _find()
    table = result.table
    assert list(table.columns) == schemas.columns("emergent_topics")
    assert table["n_units"].sum() == len(_segments())
    parking = _topic_of(result, "car park charges stopped")
    assert parking["kind"] == "emergent"
    assert parking["covered_by_theme"] == ""
    assert "park" in parking["keywords"]
    assert "car park" in parking["example_text"] or "parking" in parking["example_text"]
    crisis = _topic_of(result, "nobody answered the crisis line")
    assert (crisis["kind"], crisis["covered_by_theme"]) == ("covered", "crisis_support")
    housing = _topic_of(result, "tenants moved into supported housing")
    assert (housing["kind"], housing["covered_by_theme"]) == ("covered", "housing")
    assert table["share_of_words"].sum() == pytest.approx(1.0)


@pytest.mark.slow
@needs_bertopic
def test_labels_name_subjects_not_speakers_or_the_boards_formulae() -> None:
    table = _find().table
    words = " ; ".join([*table["label"], *table["keywords"]]).lower()
    for banned in ("officer", "service user", "carer 1", "minutes", "agreed", "chair", "noted"):
        assert banned not in words
    assert not re.search(r"\d", words)


@pytest.mark.slow
@needs_bertopic
def test_same_units_give_the_same_topics() -> None:
    first, second = _find(), _find()
    pd.testing.assert_frame_equal(first.table, second.table)
    assert first.unit_topics.tolist() == second.unit_topics.tolist()


_FIND_IN_A_FRESH_PROCESS = """
import sys
from tests.topics.test_topics import _find
table = _find().table
print(table.to_json(orient="split"))
kept_out = ("umap", "numba", "pynndescent", "plotly")
kept_out += ("torch", "transformers", "sentence_transformers")
print(sorted(m for m in kept_out if m in sys.modules))
import bertopic.backend, umap, sentence_transformers  # still importable afterwards
"""


@pytest.mark.slow
@needs_bertopic
def test_ward_topics_neither_load_umap_nor_change_for_keeping_it_out() -> None:
    """A fresh process (as a run is) finds the same topics without ever importing UMAP,
    numba, plotly or (given vectors, as a run on a cluster is) torch, transformers and
    sentence-transformers, which BERTopic would load only to offer them."""
    done = subprocess.run(
        [sys.executable, "-c", _FIND_IN_A_FRESH_PROCESS],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    table_json, loaded = done.stdout.splitlines()[-2:]
    assert loaded == "[]"
    here = _find().table
    assert table_json == here.to_json(orient="split")


def _blobs(n: int, k: int = 4, seed: int = 3) -> np.ndarray:
    """``n`` points in ten dimensions around ``k`` well-separated centres."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=10.0, size=(k, 10))
    return centres[np.arange(n) % k] + rng.normal(size=(n, 10))


def test_ward_clusters_every_unit_whole_up_to_the_sample_size() -> None:
    from sklearn.cluster import AgglomerativeClustering

    points = _blobs(120)
    whole = AgglomerativeClustering(n_clusters=6, linkage="ward").fit(points).labels_
    settings = topics.TopicSettings(ward_sample=120)
    _, clusterer = topics._models(settings, 6, len(points))
    assert clusterer.fit(points).labels_.tolist() == whole.tolist()
    sampled = topics.SampledWard(6, sample=120, seed=settings.seed).fit(points)
    assert sampled.labels_.tolist() == whole.tolist()


def test_above_the_sample_size_a_sample_is_clustered_and_every_unit_assigned() -> None:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import adjusted_rand_score

    points = _blobs(400)
    settings = topics.TopicSettings(ward_sample=100)
    _, clusterer = topics._models(settings, 4, len(points))
    labels = clusterer.fit(points).labels_
    assert isinstance(clusterer, topics.SampledWard)
    assert len(labels) == len(points) and set(labels.tolist()) == {0, 1, 2, 3}
    # Well-separated subjects come out as Ward over every unit finds them, whatever the sample.
    whole = AgglomerativeClustering(n_clusters=4, linkage="ward").fit(points).labels_
    assert adjusted_rand_score(whole, labels) == 1.0
    # A fixed seed: the same units give the same topics.
    again = topics._models(settings, 4, len(points))[1].fit(points).labels_
    assert again.tolist() == labels.tolist()


@pytest.mark.slow
@needs_bertopic
def test_topics_from_a_sample_still_give_every_unit_a_topic() -> None:
    segments = _segments()
    sampled = topics.emergent_topics(
        segments,
        _codebook(),
        BagOfWords(dims=4096, content_words=True),
        settings=topics.TopicSettings(units_per_topic=6, ward_sample=len(segments) // 2),
    )
    assert (sampled.unit_topics >= 0).all()
    assert sampled.table["n_units"].sum() == len(segments)
    whole = topics.emergent_topics(
        segments,
        _codebook(),
        BagOfWords(dims=4096, content_words=True),
        settings=topics.TopicSettings(units_per_topic=6, ward_sample=len(segments)),
    )
    pd.testing.assert_frame_equal(whole.table, _find().table)


def test_without_bertopic_or_embeddings_the_table_is_empty_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    no_model = topics.emergent_topics(_segments(), _codebook(), None)
    assert no_model.table.empty and no_model.note == topics.NO_EMBEDDINGS
    monkeypatch.setattr(topics, "available", lambda: False)
    result = topics.emergent_topics(
        _segments(), _codebook(), BagOfWords(dims=4096, content_words=True)
    )
    assert result.table.empty
    assert list(result.table.columns) == schemas.columns("emergent_topics")
    assert "pip install" in result.note and "topics" in result.note


def test_coverage_rule_units_first_then_meaning_then_procedure() -> None:
    ids = ["a", "b"]
    words = np.array([10.0, 10.0, 10.0])
    sims = np.array([[0.2, 0.1], [0.2, 0.1], [0.2, 0.1]])
    reference = np.array([0.5, 0.5])
    by_units = topics.coverage(
        np.array(["b", "b", "other"]), words, sims, np.zeros(3), ids, reference
    )
    assert (by_units.kind, by_units.theme) == ("covered", "b")
    close = np.array([[0.6, 0.1]] * 3)
    by_meaning = topics.coverage(np.array(["other"] * 3), words, close, np.zeros(3), ids, reference)
    assert (by_meaning.kind, by_meaning.theme) == ("covered", "a")
    others = np.array(["other"] * 3)
    # Two of three units (most words) read as procedure rather than as any theme.
    procedure = topics.coverage(others, words, sims, np.array([0.6, 0.6, 0.1]), ids, reference)
    assert (procedure.kind, procedure.theme) == ("procedure", "")
    emergent = topics.coverage(others, words, sims, np.array([0.6, 0.1, 0.1]), ids, reference)
    assert (emergent.kind, emergent.theme) == ("emergent", "")


def test_labels_prefer_a_phrase_to_its_words_and_phrases_never_span_a_stop_word() -> None:
    assert topics.topic_label(["crisis", "crisis line", "line", "housing", "flats"]) == (
        "crisis line, housing, flats"
    )
    analyse = topics._Analyzer(frozenset(topics.label_stop_words()))
    terms = analyse("Subject to the spelling of Kelsby, the crisis line opened.")
    assert "crisis line" in terms and "kelsby" in terms
    assert not any(t.startswith("spelling ") for t in terms)
    assert "harrowmere" not in topics.label_stop_words() and "harrowmere" in (
        topics.label_stop_words(["Harrowmere Partnership Board"])
    )


@pytest.mark.slow
@needs_bertopic
def test_report_lists_emergent_topics_with_evidence_and_neglected_priorities() -> None:
    segments = _segments()
    table = _find(segments).table
    attention = pd.DataFrame(
        {
            "year": [0, 0, 0],
            "theme": ["crisis_support", "housing", "information"],
            "label": ["Crisis support", "Housing", "Information"],
            "priority_rank": [1, 2, 3],
            "survey_share": [0.6, 0.4, 0.2],
            "n_units": [6, 6, 0],
            "n_words": [80, 70, 0],
            "word_share": [0.27, 0.23, 0.0],
            "attention_rank": [1.0, 2.0, 3.0],
            # As the measure stage marks them: "Information" got none of the 150 words.
            "little_attention": [False, False, True],
        }
    )
    report = build_report(
        {
            "segments": schemas.conform(segments.assign(**_segment_defaults(segments)), "segments"),
            "theme_attention": schemas.conform(attention, "theme_attention"),
            "emergent_topics": table,
        },
        {"corpus": "tiny"},
    )
    html = report.html
    parking = table[table["kind"] == "emergent"].iloc[0]
    assert parking["label"] in html
    assert "Information" in html and "No unit of the minutes was coded" in html
    assert "minutes-" in html and "p. " in html  # the example is cited with file and page
    assert len(report.figures["priorities_vs_attention"].axes) == 2
    neglected = sections.neglected_priorities(
        schemas.conform(attention, "theme_attention"), segments
    )
    assert [q.label.split(": ")[1].split(",")[0] for q in neglected] == ["Information"]


def test_report_without_topics_says_why() -> None:
    report = build_report({}, {"corpus": "tiny", "topics_note": topics.HINT})
    assert "No emergent topics were computed" in report.html
    assert "pip install -e &#39;.[topics]&#39;" in report.html or "[topics]" in report.html


def _segment_defaults(segments: pd.DataFrame) -> dict[str, object]:
    """Values for the segments columns these tests do not care about (first allowed value)."""
    defaults: dict[str, object] = {"str": "", "int": 0, "float": 0.0, "bool": False}
    return {
        c.name: (c.allowed[0] if c.allowed else defaults.get(c.dtype))
        for c in schemas.TABLES["segments"]
        if c.name not in segments.columns
    }
