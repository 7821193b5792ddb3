"""Every word accounted for: each word of a document ends in a unit, a list, a heading or the
page furniture, and nothing is read into nowhere or swallowed by a list.

The fixtures are the project's own documents in every format; the real published minutes under
``../shared/realworld/bodies`` (or ``$REALWORLD/bodies``) are read too when they are there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from pipeline.evaluate.realworld import default_root
from pipeline.run import runner
from pipeline.segment import segment
from pipeline.segment.blocks import count_words


def _placed(pages: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    return segment(pages, documents, None).accounting


def _words_on_pages(pages: pd.DataFrame) -> int:
    return sum(
        count_words(str(t))
        for col in ("text", "header", "footer")
        if col in pages
        for t in pages[col]
    )


def _read(folder: Path) -> runner.Corpus:
    opts = runner.IngestOptions(corpus=folder, out=folder / "unused", workers=2)
    progress = runner.Progress()
    return runner.read_corpus(runner.hash_corpus(opts, progress), opts, progress)


PROSE = (
    "The group discussed the new crisis line at length. Calls had risen by a fifth since the "
    "autumn and most were made at night. The service manager said that a second worker had "
    "been funded from April and that waiting times would be reported to the next meeting."
)


@pytest.mark.parametrize(
    "opening",
    [
        "Apologies:\n• Joe Bloggs\n• Mary Shaw",  # a bulleted list
        "Apologies\nJoe Bloggs\nMary Shaw",  # a heading without a colon, one name a line
        "PRESENT: Ann Price (Chair), Tom Reilly and Mary Shaw",  # run in
    ],
)
def test_a_list_never_swallows_the_discussion_after_it(opening: str) -> None:
    """The discussion set right under a list, with no heading between, stays minutes."""
    pages = pd.DataFrame(
        {
            "doc_id": "d",
            "source": "m.txt",
            "page": [1],
            "text": [f"{opening}\n{PROSE}"],
            "ocr": False,
        }
    )
    docs = pd.DataFrame(
        [
            {
                "doc_id": "d",
                "source": "m.txt",
                "doc_type": "minutes",
                "status": "ok",
                "meeting_date": pd.NaT,
            }
        ]
    )
    seg = segment(pages, docs, None)
    assert any(PROSE[:40] in t for t in seg.units["text"]), seg.units["text"].tolist()
    acc = seg.accounting.groupby("place")["n_words"].sum()
    assert acc.get("unit", 0) >= count_words(PROSE)
    assert acc.get("unplaced", 0) == 0
    assert acc.sum() == count_words(opening) + count_words(PROSE)


@pytest.mark.slow
def test_every_word_of_every_fixture_is_accounted_for(fixtures_dir: Path, tmp_path: Path) -> None:
    corpus = _read(fixtures_dir)
    readable = corpus.documents[corpus.documents["status"].isin(["ok", "warning"])]
    assert len(readable) >= 10
    acc = _placed(corpus.pages, corpus.documents)
    for doc in readable.itertuples():
        pages = corpus.pages[corpus.pages["doc_id"] == doc.doc_id]
        mine = acc[acc["doc_id"] == doc.doc_id]
        assert int(mine["n_words"].sum()) == _words_on_pages(pages), doc.source
        assert int(mine.loc[mine["place"] == "unplaced", "n_words"].sum()) == 0, (
            doc.source,
            mine.to_dict("records"),
        )


REALWORLD = Path(os.environ.get("REALWORLD", default_root())) / "bodies"


@pytest.mark.slow
@pytest.mark.skipif(
    not REALWORLD.is_dir(),
    reason=f"no real published minutes at {REALWORLD} (set REALWORLD to a folder with bodies/)",
)
@pytest.mark.parametrize(
    "body", sorted(p.name for p in REALWORLD.iterdir() if p.is_dir()) if REALWORLD.is_dir() else []
)
def test_every_word_of_real_minutes_is_accounted_for(body: str) -> None:
    """Each real body's files are all read, and each word ends in exactly one place."""
    corpus = _read(REALWORLD / body)
    docs = corpus.documents
    assert set(docs["status"]) <= {"ok", "warning", "duplicate"}, docs[["source", "message"]]
    acc = _placed(corpus.pages, docs)
    assert int(acc["n_words"].sum()) == _words_on_pages(corpus.pages)
    unplaced = acc[acc["place"] == "unplaced"]
    assert unplaced.empty or int(unplaced["n_words"].sum()) == 0, unplaced.to_dict("records")
