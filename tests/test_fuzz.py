"""The fuzz harness's short run (`make fuzz` is the long one): every reader, mutated real files,
no unhandled exception and no input past the per-input limit."""

from __future__ import annotations

import fuzz
import pytest


@pytest.mark.slow
def test_every_reader_survives_a_short_fuzz_run() -> None:
    # OCR costs seconds an input: two scans are enough to prove the path in the suite.
    figures = fuzz.run(per_reader=12, seed=2010, limit=10.0, ocr_inputs=2)
    readers = figures["per_reader"]
    assert set(readers) == {
        "pdf",
        "docx",
        "odt",
        "html",
        "markdown",
        "text",
        "doc",
        "ocr",
        "board.yaml",
        "codebook",
        "qdpx",
    }
    for name, tally in readers.items():
        assert tally["inputs"] == (2 if name == "ocr" else 12), name
        assert tally["unhandled"] == 0 and tally["hangs"] == 0, (name, tally["examples"])
