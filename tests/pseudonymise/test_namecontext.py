"""Name context: what the whole corpus says of name-shaped words, kept text by text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.pseudonymise import namecontext


def test_each_texts_evidence_is_kept_and_the_union_made_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.core import io

    texts = [
        "Mrs Rook reported from Kilbrannan Primary School.",
        "The Community Council (CC) met in Ardmore.",
        "The CC agreed; the CC will write.",
        "CPO Bethan Young joined.",
    ]
    fresh = namecontext.gather(texts)
    assert namecontext.gather(texts, io.Cache(tmp_path)) == fresh
    # Warm: no text is read again, and the evidence is the same.
    monkeypatch.setattr(namecontext, "_text_evidence", lambda _: pytest.fail("read again"))
    assert namecontext.gather(texts, io.Cache(tmp_path)) == fresh
    # Acronyms used twice across texts still count, though each text is kept apart.
    assert "CC" in fresh.organisations and "Kilbrannan" in fresh.places


@pytest.mark.parametrize(
    "entry",
    [[], [[], {}, [], []], [["x"], {"CC": "2"}, [], [], []], [["x"], {"CC": True}, [], [], []],
     [[1], {}, [], [], []], {"places": []}],
)  # fmt: skip
def test_a_kept_evidence_entry_of_another_shape_is_read_again(entry: object) -> None:
    assert namecontext._load_evidence(entry) is None
