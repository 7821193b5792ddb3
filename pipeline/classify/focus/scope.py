"""Outcome scope: does the benefit stay with particular individuals or reach people generally?

The coding manual's individual outcomes are the ones Horrocks and colleagues found: a named person
rehoused, a representative's own case resolved, the involved members' training, confidence or
payment. Collective outcomes reach a group, a ward, all service users or carers, or the public.
The cues for each side are in the lexicon's ``scope`` section (``themes/focus-cues.yaml``); the
side whose cues weigh more wins, and a tie goes to collective, the commoner reading of a result
reported to a board.

The cues are read in the sentences that report the result, where the unit has any: who benefits
is said there, and the unit's other sentences name the people who reported, asked or thanked
("Officer 2 has sent the form on. The leaflet is now in every surgery" benefits patients, not
Officer 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from pipeline.classify.focus.cues import Cues
from pipeline.core import distribute, textcache
from pipeline.core.textcache import Store


def scope_of(text: str, cues: Cues) -> tuple[str, float]:
    """individual or collective, and how clearly the cues point that way (0.5-1)."""
    return scopes([text], cues)[0]


def scopes(texts: Sequence[str], cues: Cues, cache: Store | None = None) -> list[tuple[str, float]]:
    """:func:`scope_of` for many texts, parsed together; with a ``cache``, each text's result
    sentences are kept between runs, as the focus rules' features are."""
    if cache is None or not cues.fingerprint:
        parts = result_parts(texts, cues)
    else:
        from pipeline.classify.focus.features import rules_version

        keys = [str(t) for t in texts]
        parts = textcache.PerText(cache, "scope-parts", rules_version(cues, "scope")).map(
            keys,
            lambda positions: distribute.map_chunks(
                partial(result_parts, cues=cues), [texts[i] for i in positions]
            ),
            load=lambda v: v if isinstance(v, str) else None,
            dump=str,
        )
    return [_weigh(part, cues) for part in parts]


def result_parts(texts: Sequence[str], cues: Cues) -> list[str]:
    """Each text's sentences that report its strongest result, or the whole text if none does."""
    from pipeline.classify.focus.focus import score_sentence
    from pipeline.classify.focus.tense import docs, form

    out: list[str] = []
    for text, doc in zip(texts, docs([str(t).replace("\n", " ") for t in texts]), strict=True):
        scored = [(score_sentence(s.text, form(s, cues), cues), s) for s in doc.sents]
        best = max((sc.result for sc, _ in scored), default=0.0)
        part = " ".join(s.text for sc, s in scored if best > 0 and sc.result == best)
        out.append(part or str(text))
    return out


def _weigh(text: str, cues: Cues) -> tuple[str, float]:
    ind = sum(c.weight for c in cues.individual if c.pattern.search(text))
    col = sum(c.weight for c in cues.collective if c.pattern.search(text))
    if ind > col:
        return "individual", round(min(1.0, 0.5 + (ind - col) / 4), 3)
    return "collective", round(min(1.0, 0.5 + (col - ind) / 4), 3)
