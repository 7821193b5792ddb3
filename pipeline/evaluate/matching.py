"""Matching hand-coded rows to the pipeline's units: the one place every evaluation joins them.

Two kinds of hand coding meet the units. A gold or examples file (`involve validate`, theme
coding with examples) names a unit's text, perhaps its source: :func:`match_gold` pairs each row
with one unit by the unit key, then by a close text. A real-world gold body
(pipeline.evaluate.realworld,
leave-one-body-out focus fitting) codes its own units from the original text, which the
machine may split or join differently: :func:`match_units` finds the machine unit holding most
of each gold unit's words.
"""

from __future__ import annotations

from typing import Any, Final

import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.core.textkey import normalise, unit_key

__all__ = [
    "FOUND_AT",
    "FUZZY_MIN_RATIO",
    "UNMATCHED_COLUMNS",
    "cell",
    "doc_part",
    "match_gold",
    "match_units",
    "norm_source",
    "same_source",
    "tidy_headers",
]

# rapidfuzz ratio (0-100) a gold text must reach against a unit's text for the fuzzy fallback.
FUZZY_MIN_RATIO: Final = 90.0
# A hand-coded unit is found when this share of its words lies, in order, in one machine unit.
FOUND_AT: Final = 90.0
# Gold rows that found no unit, with why (validation/unmatched.csv).
UNMATCHED_COLUMNS: Final = ("row", "source", "text", "reason")


def cell(value: Any) -> str:
    """A table cell as text, '' for a missing one (NaN, None, pd.NA)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def tidy_headers(gold: pd.DataFrame) -> pd.DataFrame:
    """Forgive header case and stray spaces ("Focus ", "Text"): coders edit files by hand."""
    renamed: dict[Any, str] = {}
    for col in gold.columns:
        key = str(col).strip().lower()
        if key not in renamed.values():
            renamed[col] = key
    return gold[list(renamed)].rename(columns=renamed).reset_index(drop=True)


def match_gold(
    seg: pd.DataFrame, gold: pd.DataFrame
) -> tuple[list[tuple[int, int]], pd.DataFrame, int]:
    """Pair gold rows with segment positions: by unit_key first, then the fuzzy fallback.

    Each unit is used once. A key found in several units goes to one from the gold row's source,
    in document order, so repeated stock phrases ("Apologies were received") in different
    meetings land on the right meeting and two coded copies of one phrase on two units. Exact
    matches are all made before any fuzzy one, so a fuzzy match never takes a unit a later row
    names exactly.
    """
    seg_sources = [norm_source(cell(v)) for v in seg["source"]]
    by_key: dict[str, list[int]] = {}
    for pos, key in enumerate(seg["unit_key"]):
        by_key.setdefault(cell(key), []).append(pos)
    gold_text = [cell(v) for v in gold["text"]]
    gold_source = (
        [norm_source(cell(v)) for v in gold["source"]]
        if "source" in gold.columns
        else [""] * len(gold)
    )

    used: dict[int, int] = {}  # segment position -> gold row number that took it
    pairs: dict[int, int] = {}
    reasons: dict[int, str] = {}
    pending = []
    for g, text in enumerate(gold_text):
        if not normalise(text):
            reasons[g] = "empty text"
            continue
        candidates = by_key.get(unit_key(text), [])
        same = [s for s in candidates if same_source(gold_source[g], seg_sources[s])]
        candidates = same or candidates
        free = [s for s in candidates if s not in used]
        if free:
            pairs[g] = free[0]
            used[free[0]] = g + 2
        elif candidates:
            reasons[g] = f"duplicate: row {used[candidates[0]]} already matched this unit"
        else:
            pending.append(g)

    seg_norm = [normalise(cell(v)) for v in seg["text"]]
    n_fuzzy = 0
    for g in pending:
        pool = {
            s: seg_norm[s]
            for s in range(len(seg))
            if s not in used and same_source(gold_source[g], seg_sources[s])
        }
        best = process.extractOne(
            normalise(gold_text[g]), pool, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_RATIO
        )
        if best is not None:
            s = int(best[2])
            pairs[g] = s
            used[s] = g + 2
            n_fuzzy += 1
        elif gold_source[g] and not any(same_source(gold_source[g], x) for x in seg_sources):
            reasons[g] = "source not found among the coded documents"
        else:
            reasons[g] = "no unit with the same words or a close text"

    unmatched = pd.DataFrame(
        [
            {
                "row": g + 2,
                "source": cell(gold["source"][g]) if "source" in gold.columns else "",
                "text": gold_text[g],
                "reason": reason,
            }
            for g, reason in sorted(reasons.items())
        ],
        columns=list(UNMATCHED_COLUMNS),
    ).astype({"row": "int64"})
    return sorted(pairs.items()), unmatched, n_fuzzy


def norm_source(source: str) -> str:
    return source.strip().replace("\\", "/").removeprefix("./").lower()


def same_source(gold: str, seg: str) -> bool:
    """Equal paths, or one a tail of the other ("2023-01-minutes.pdf" vs "minutes/2023-...");
    a gold row without a source matches any."""
    return not gold or gold == seg or seg.endswith("/" + gold) or gold.endswith("/" + seg)


# --------------------------------------------------------------------------- real-world gold
def match_units(gold: pd.DataFrame, units: pd.DataFrame) -> list[int | None]:
    """For each gold unit, the position of the machine unit holding its words, or None."""
    texts = [normalise(str(t)) for t in units["original"]]
    sources = [str(s).lower() for s in units["source"]]
    pages = [cell(p) for p in units["page"]] if "page" in units.columns else [""] * len(texts)
    out: list[int | None] = []
    taken: set[int] = set()
    for g in gold.itertuples(index=False):
        want = normalise(str(g.text))
        source = doc_part(str(g.source)).lower()
        page = _page(getattr(g, "page", None))
        # A stock phrase ("See the report.") that several units hold whole goes
        # to the one on the gold unit's page that no earlier gold unit took, not to the first.
        best, best_key = None, (0.0, False, False)
        for pos, (text, src) in enumerate(zip(texts, sources, strict=True)):
            if src != source or not text:
                continue
            key = (_held(want, text), _page(pages[pos]) == page, pos not in taken)
            if key > best_key:
                best, best_key = pos, key
        found = best if best_key[0] >= FOUND_AT else None
        if found is not None:
            taken.add(found)
        out.append(found)
    return out


def _page(value: object) -> str:
    """A page number as text ("2" for 2, 2.0 or "2"), "" when missing."""
    text = cell(value)
    return text[:-2] if text.endswith(".0") else text


def doc_part(source: str) -> str:
    """A gold source ``body/file`` as the corpus names it (the path inside the body folder)."""
    return source.split("/", 1)[1] if "/" in source else source


def _held(want: str, text: str) -> float:
    """How much of ``want`` lies, in order, in ``text`` (0-100)."""
    if not want:
        return 0.0
    if want in text:
        return 100.0
    if len(text) < 0.9 * len(want):
        return 0.0
    if len(text) < len(want):
        # A unit a little shorter than the hand-coded one (OCR lost a space): the whole of each
        # compared, which the length difference already counts against.
        return float(fuzz.ratio(want, text))
    al = fuzz.partial_ratio_alignment(want, text)
    if al is None:
        return 0.0
    covered = (al.src_end - al.src_start) / len(want) if len(want) <= len(text) else 0.0
    return al.score * min(1.0, covered)
