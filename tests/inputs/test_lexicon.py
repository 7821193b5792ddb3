"""The reader every cue lexicon shares: vocabularies defined once elsewhere are fragments of any
lexicon, a lexicon's own fragment may redefine one, and a wrong entry names the file and entry."""

from __future__ import annotations

import pytest

from pipeline.inputs.lexicon import CuesError, LexiconReader


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"\bby\s+\d{1,2}\s+<<month>>", "Report back by 14 Sept 2024.", True),
        (r"\bby\s+\d{1,2}\s+<<month>>", "Report back by 14 people.", False),
        ("<<action_log_item>>", "Item 3: Actions tracker", True),
        ("<<matters_arising_item>>", "Matters arising from the minutes", True),
        ("<<lay_member>> asked", "Service User 2 asked about transport.", True),
    ],
)
def test_shared_vocabularies_are_fragments_of_every_lexicon(
    pattern: str, text: str, matches: bool
) -> None:
    compiled = LexiconReader("mine.yaml", {}).compile(pattern, "commitment entry 1", False)
    assert bool(compiled.search(text)) is matches


def test_a_lexicons_own_fragment_redefines_a_shared_one() -> None:
    reader = LexiconReader("mine.yaml", {"month": "(?:spring|autumn)"})
    assert reader.compile(r"by\s+<<month>>", "x", False).search("by autumn")
    assert not reader.compile(r"by\s+<<month>>", "x", False).search("by march")


def test_an_unknown_fragment_names_the_file_the_entry_and_the_known_fragments() -> None:
    with pytest.raises(CuesError) as err:
        LexiconReader("mine.yaml", {}).compile("<<monthz>>", "realised entry 4", False)
    message = str(err.value)
    assert message.startswith("mine.yaml: realised entry 4: unknown fragment <<monthz>>")
    assert "month" in message and "action_log_item" in message
