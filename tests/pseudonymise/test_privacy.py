"""Names never escape (issue 17, item 3): contacts, spelling variants, relatives, paths, and a
small run of the adversarial names corpus (tests/adversarial_names.py) end to end.

Every name here is invented.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.core import config, sourcenames
from pipeline.pseudonymise import contacts
from pipeline.pseudonymise.people import Person
from pipeline.pseudonymise.variants import Variants, fold

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import adversarial_names

# The kinds the README says are caught with NER off; with NER on, every kind.
CAUGHT_WITHOUT_NER = ("first_name", "variant", "email", "phone", "relative", "path")


@pytest.mark.parametrize(
    "text",
    [
        "Write to ruth.ellison@vantagevale.gov.uk today.",
        "Call 07700 900123.",
        "Call 0161 496 0001 or (01632) 960 123.",
        "Call +44 (0)20 7946 0123 or +353 1 555 0199.",
        "Mobile: 07700-900-123.",
    ],
)
def test_addresses_and_numbers_are_hidden(text: str) -> None:
    hidden = contacts.hide(text)
    assert not any(c.isdigit() for c in hidden), hidden
    assert "@" not in hidden


@pytest.mark.parametrize(
    "text",
    [
        "Agreed on 01/02/2024; budget 12,000,000; ref 0123; item 10.2.",
        "The 2014-2015 figures for 2001 2002 2003.",
        "Minutes 20140513, paragraph 4.1.2, 0.5 FTE.",
    ],
)
def test_dates_sums_and_references_stay(text: str) -> None:
    assert contacts.hide(text) == text


def test_a_surname_without_its_accent_or_apostrophe_or_with_a_letter_more_is_the_member() -> None:
    people = [
        Person("zoe", "Zoë Benoît", "member"),
        Person("siobhan", "Siobhán O'Donnell", "carer"),
        Person("karen", "Karen Whitlow", "member"),
        Person("ann", "Ann Lee", "member"),
    ]
    v = Variants(people)
    assert fold("O’Dónnell") == "odonnell"
    assert v.person("Benoit") == "zoe"
    assert v.person("ODonnell") == v.person("O Donnell") == "siobhan"
    assert v.person("Whitlowe") == v.person("Whitlw") == v.person("Whittlow") == "karen"
    assert v.person("Whitlow") is None  # the roster's own form: the matcher's
    assert v.person("Lea") is None  # too short to take a letter's difference as the same name
    assert v.person("Winslow") is None  # two letters away


def test_a_path_part_that_names_someone_becomes_neutral() -> None:
    known = sourcenames.name_words(["Ruth Ellison"])
    sources = {
        "minutes/2023-01-19-minutes.pdf": "aaa",
        "casework Ruth Ellison/letter.docx": "bbb",
        "casework Ruth Ellison/notes.txt": "ccc",
        "notes/2023-02 notes desmond-cranby.txt": "ddd",
        "Agenda 17 August 2021.pdf": "eee",
    }
    paths = sourcenames.neutral_paths(sources, known)
    assert paths["minutes/2023-01-19-minutes.pdf"] == "minutes/2023-01-19-minutes.pdf"
    assert paths["casework Ruth Ellison/letter.docx"] == "folder-1/letter.docx"
    assert paths["casework Ruth Ellison/notes.txt"] == "folder-1/notes.txt"
    # A given name then a word no dictionary holds: a name even when the run never met it.
    assert paths["notes/2023-02 notes desmond-cranby.txt"] == "notes/document-ddd.txt"
    assert paths["Agenda 17 August 2021.pdf"] == "Agenda 17 August 2021.pdf"


@pytest.mark.parametrize(
    ("part", "names"),
    [
        ("casework Una Kelwell", True),  # a three-letter given name, then a rare word
        ("ian-trelawny notes", True),
        ("agendas", False),  # a word the trained NER now and then calls a PERSON
        ("board papers", False),
        ("broken", False),
    ],
)
def test_a_path_part_names_someone_only_with_a_names_shape(part: str, names: bool) -> None:
    # What the trained NER says of each part, as the run asks it: a common word it calls a
    # person does not make a name.
    ner = [sourcenames.readable(part)] if part in ("agendas", "broken") else []
    assert sourcenames.holds_name(part, frozenset(), ner) is names


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> adversarial_names.Corpus:
    folder = tmp_path_factory.mktemp("adversarial") / "corpus"
    return adversarial_names.build(folder, per_kind=4)


def test_the_small_corpus_plants_every_kind(small_corpus: adversarial_names.Corpus) -> None:
    kinds = {p.kind for p in small_corpus.planted}
    assert kinds == set(adversarial_names.KINDS)
    assert {f.suffix for f in small_corpus.folder.rglob("*.*") if f.name != "board.yaml"} == {
        ".pdf",
        ".docx",
    }


@pytest.mark.slow  # analyses a corpus twice
@pytest.mark.parametrize("ner", [True, False], ids=["ner-on", "ner-off"])
def test_no_planted_name_escapes_into_any_output(
    small_corpus: adversarial_names.Corpus, tmp_path: Path, ner: bool
) -> None:
    if ner and not config.ner_in_use():
        pytest.skip("the trained pipeline (the `ner` extra, part of `make install`) is absent")
    figures = adversarial_names.measure(
        small_corpus, tmp_path / "out", ner=ner, cache=tmp_path / "cache"
    )
    kinds = figures["kinds"]
    assert isinstance(kinds, dict)
    claimed = adversarial_names.KINDS if ner else CAUGHT_WITHOUT_NER
    escaped = {k: kinds[k]["examples"] for k in claimed if kinds[k]["escaped"]}
    assert not escaped, figures["where"]
    assert figures["not_people_replaced"] == 0, figures["not_people_lost"]
