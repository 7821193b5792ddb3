"""Agreement of the pipeline's coding with human (gold) coding, beside a plain keyword baseline.

The coding manual is the contract; a human coder applying it is the reference. This module joins a
gold file (one coded unit per row, as read by ``pipeline.core.io.read_gold``) to the ``segments``
table
and reports, per field, Cohen's kappa, Krippendorff's alpha, accuracy and macro-F1, per-class
precision and recall, the confusion matrix, and the units the two disagree on for adjudication.
The same kappa, alpha and macro-F1 for :mod:`pipeline.evaluate.baseline` on the same units say how
much of
the agreement keyword counting alone would give.

The join is by :func:`pipeline.core.textkey.unit_key` of the gold text against
``segments.unit_key``,
which hashes the unit's original (not pseudonymised) words, so copy-paste differences of case,
punctuation, bullets and spacing do not matter. A gold row whose key is not found gets a fuzzy
second chance against the pseudonymised unit text of the same document; names differ there, so the
fallback can miss, and every gold row that stays unmatched is counted and listed, never dropped.

Pure: no file I/O. ``origin`` (the gold file's path) is used only to name the file in errors.
"""

from __future__ import annotations

import contextlib
import math
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from pipeline.core import config
from pipeline.core.errors import GoldFileError
from pipeline.core.schemas import SchemaError
from pipeline.evaluate import baseline
from pipeline.evaluate.matching import (
    FUZZY_MIN_RATIO,
    cell,
    match_gold,
    norm_source,
    same_source,
    tidy_headers,
)

# Label fields a gold file may carry, in report order, with their allowed labels (None: any
# non-empty string, compared as given; theme ids depend on the codebook).
FIELDS: Final = ("focus", "outcome_scope", "speaker_role", "theme")
ALLOWED: Final[dict[str, tuple[str, ...] | None]] = {
    "focus": config.FOCUS_LABELS,
    "outcome_scope": config.SCOPE_LABELS,
    "speaker_role": config.SPEAKER_ROLES,
    "theme": None,
}
# The pipeline's confidence for a field, shown beside disagreements so low-confidence ones sort out.
SCORE_COLUMNS: Final = {"focus": "focus_score", "theme": "theme_score"}
SEGMENT_COLUMNS: Final = ("segment_id", "source", "page", "text", "unit_key")

SUMMARY_COLUMNS: Final = (
    "field",
    "n",
    "kappa",
    "alpha",
    "accuracy",
    "macro_f1",
    "baseline_kappa",
    "baseline_alpha",
    "baseline_macro_f1",
)
PER_CLASS_COLUMNS: Final = ("field", "label", "precision", "recall", "f1", "support")
DISAGREEMENT_COLUMNS: Final = (
    "field",
    "segment_id",
    "source",
    "page",
    "gold",
    "predicted",
    "score",
    "low_confidence",
    "text",
)
# A calibrated score below this says the pipeline itself thinks its label more likely wrong
# than right: such units are flagged for review.
LOW_CONFIDENCE: Final = 0.5


@dataclass
class Validation:
    """Everything ``involve validate`` reports; tables for files, :meth:`to_text` for the terminal.

    ``unmatched`` shows the gold file's own text, which may carry real names: it is for the person
    who owns the gold file, not for publication. ``disagreements`` shows the pseudonymised unit
    text.
    """

    summary: pd.DataFrame
    per_class: pd.DataFrame
    confusion: dict[str, pd.DataFrame]
    disagreements: pd.DataFrame
    matched: int
    unmatched: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    origin: str = ""

    def to_text(self, max_unmatched: int = 20) -> str:
        """A compact plain-text report: summary with the baseline beside each figure, per-class
        tables, match counts and notes."""
        lines = [f"Agreement with human coding{f' ({self.origin})' if self.origin else ''}", ""]
        lines.append("In brackets: the keyword baseline on the same units.")
        rows = [
            {
                "field": r["field"],
                "n": str(int(r["n"])),
                "kappa": _pair(r["kappa"], r["baseline_kappa"]),
                "alpha": _pair(r["alpha"], r["baseline_alpha"]),
                "accuracy": _num(r["accuracy"]),
                "macro-F1": _pair(r["macro_f1"], r["baseline_macro_f1"]),
            }
            for r in self.summary.to_dict("records")
        ]
        if rows:
            lines.append(_table(pd.DataFrame(rows)))
        else:
            lines.append("(no field to compare)")
        for name, part in self.per_class.groupby("field", sort=False):
            lines += ["", f"{name}:"]
            shown = part.drop(columns="field").assign(
                precision=part["precision"].map(_num),
                recall=part["recall"].map(_num),
                f1=part["f1"].map(_num),
                support=part["support"].astype(int).astype(str),
            )
            lines.append(_table(shown, indent="  "))
        total = self.matched + len(self.unmatched)
        lines += [
            "",
            f"Matched {self.matched} of {total} gold rows; {len(self.unmatched)} unmatched.",
        ]
        for u in self.unmatched.head(max_unmatched).to_dict("records"):
            where = f" ({u['source']})" if u["source"] else ""
            lines.append(f"  row {u['row']}{where}: {_clip(str(u['text']), 60)!r} - {u['reason']}")
        if len(self.unmatched) > max_unmatched:
            lines.append(
                f"  ... and {len(self.unmatched) - max_unmatched} more (see the unmatched table)"
            )
        if len(self.disagreements):
            counts = self.disagreements["field"].value_counts(sort=False)
            low = int(self.disagreements["low_confidence"].sum())
            lines.append(
                "Disagreements for adjudication: "
                + ", ".join(f"{k} {v}" for k, v in counts.items())
                + f" (most confident first; {low} with a score below {LOW_CONFIDENCE:g}, "
                "flagged low_confidence)."
            )
        if self.notes:
            lines += ["", "Notes:"]
            for note in self.notes:
                lines += textwrap.wrap(
                    note, width=100, initial_indent="  - ", subsequent_indent="    "
                )
        return "\n".join(lines) + "\n"


def validate(
    segments: pd.DataFrame,
    gold: pd.DataFrame,
    origin: str,
    codebook: baseline.CodebookLike | None = None,
) -> Validation:
    """Compare the pipeline's labels in ``segments`` with the human labels in ``gold``.

    ``gold`` needs a ``text`` column and at least one of focus, outcome_scope, speaker_role, theme
    (header case and spaces are forgiven; other columns are ignored; ``source`` disambiguates
    repeated texts). Empty label cells are skipped for that field only. ``codebook`` is needed for
    the theme baseline alone. Raises :class:`GoldFileError` naming ``origin`` for a gold file that
    cannot be used, rather than reporting figures over a misread file.
    """
    gold = tidy_headers(gold)
    fields = _check_columns(gold, origin)
    labels = _clean_labels(gold, fields, origin)
    _check_segments(segments, fields)
    seg = segments.reset_index(drop=True)
    pairs, unmatched, n_fuzzy = match_gold(seg, gold)
    notes = [
        f"{len(pairs)} of {len(gold)} gold rows matched to units: {len(pairs) - n_fuzzy} by "
        f"unit_key, {n_fuzzy} by the fuzzy fallback (ratio >= {FUZZY_MIN_RATIO:g} against the "
        "pseudonymised text of the same source)."
    ]
    missing = [f for f in FIELDS if f not in fields]
    if missing:
        notes.append(f"Not in the gold file, so not compared: {', '.join(missing)}.")

    pred = {f: [cell(v) for v in seg[f]] for f in (*fields, "focus") if f in seg.columns}
    texts = [cell(v) for v in seg["text"]]
    summary, per_class, disagreements = [], [], []
    confusion: dict[str, pd.DataFrame] = {}
    for name in fields:
        units = [(g, s) for g, s in pairs if labels[name][g]]
        if name == "outcome_scope":
            n_labelled = len(units)
            if "focus" in fields:
                units = [(g, s) for g, s in units if labels["focus"][g] == "outcome"]
            units = [(g, s) for g, s in units if pred["focus"][s] == "outcome"]
            notes.append(
                "outcome_scope is compared only on units that both the gold file and the pipeline "
                f"code as outcome: {len(units)} of {n_labelled} matched rows with a gold scope."
            )
        if name == "theme" and "theme_source" in seg.columns:
            # Units given as examples (``--examples``) keep their human label: comparing them
            # with the same labels would report perfect agreement and measure nothing.
            given = [(g, s) for g, s in units if seg.at[s, "theme_source"] == "human"]
            if given:
                units = [(g, s) for g, s in units if seg.at[s, "theme_source"] != "human"]
                notes.append(
                    f"theme: {len(given)} matched units were given as examples (--examples) and "
                    "keep their human label, so they are left out of theme agreement; "
                    f"{len(units)} remain. The examples' own cross-validated agreement is in "
                    "validation/examples_cv.json. To test the trained coder, validate against "
                    "units that were not among the examples."
                )
        y_gold = [labels[name][g] for g, _ in units]
        y_pred = [pred[name][s] for _, s in units]
        unit_texts = [texts[s] for _, s in units]
        y_base = _baseline(name, unit_texts, codebook)
        if name == "theme" and y_base is None:
            notes.append("No codebook given, so the theme baseline is not computed.")
        order = _label_order(name, y_gold + y_pred)
        scores = _agreement(y_gold, y_pred, order)
        base = (
            _agreement(y_gold, y_base, _label_order(name, y_gold + y_base))
            if y_base is not None
            else dict.fromkeys(("kappa", "alpha", "macro_f1"), math.nan)
        )
        summary.append(
            {
                "field": name,
                "n": len(units),
                **scores,
                "baseline_kappa": base["kappa"],
                "baseline_alpha": base["alpha"],
                "baseline_macro_f1": base["macro_f1"],
            }
        )
        if not units:
            notes.append(f"{name}: no matched unit has a gold label to compare.")
        elif math.isnan(scores["kappa"]):
            notes.append(f"{name}: only one label occurs, so kappa and alpha are undefined (nan).")
        per_class += _per_class(name, y_gold, y_pred, order)
        confusion[name] = _confusion(y_gold, y_pred, order)
        score_col = SCORE_COLUMNS.get(name)
        for (_, s), gl, pl in zip(units, y_gold, y_pred, strict=True):
            if gl == pl:
                continue
            disagreements.append(
                {
                    "field": name,
                    "segment_id": seg.at[s, "segment_id"],
                    "source": seg.at[s, "source"],
                    "page": seg.at[s, "page"],
                    "gold": gl,
                    "predicted": pl,
                    "score": _score(seg, s, score_col),
                    "low_confidence": _score(seg, s, score_col) < LOW_CONFIDENCE,
                    "text": texts[s],
                }
            )
    return Validation(
        summary=_frame(summary, SUMMARY_COLUMNS).astype({"n": "int64"}),
        per_class=_frame(per_class, PER_CLASS_COLUMNS).astype({"support": "int64"}),
        confusion=confusion,
        disagreements=_by_confidence(_frame(disagreements, DISAGREEMENT_COLUMNS)),
        matched=len(pairs),
        unmatched=unmatched,
        notes=notes,
        origin=origin,
    )


# --------------------------------------------------------------------------- the gold file
def _check_columns(gold: pd.DataFrame, origin: str) -> list[str]:
    fields = [f for f in FIELDS if f in gold.columns]
    problem = (
        "has no 'text' column"
        if "text" not in gold.columns
        else "has no label column"
        if not fields
        else ""
    )
    if problem:
        found = ", ".join(map(str, gold.columns)) or "none"
        raise GoldFileError(
            f"{origin}: the gold file {problem}. Columns found: {found}. Expected: 'text' and at "
            f"least one of {', '.join(FIELDS)} (optionally 'source')."
        )
    return fields


def _clean_labels(gold: pd.DataFrame, fields: Sequence[str], origin: str) -> dict[str, list[str]]:
    """Labels per field, stripped ('' for an empty cell); fixed vocabularies also lower-cased.

    Any other value is an error rather than a silent mismatch: "outcomes" for "outcome" would
    otherwise count as a disagreement and quietly lower every figure.
    """
    out: dict[str, list[str]] = {}
    for name in fields:
        allowed = ALLOWED[name]
        values = []
        for i, raw in enumerate(gold[name]):
            value = cell(raw).strip()
            if allowed is not None:
                value = value.lower()
                if value and value not in allowed:
                    raise GoldFileError(
                        f"{origin}: row {i + 2}, column '{name}': '{cell(raw)}' is not a {name} "
                        f"label. Allowed: {', '.join(allowed)} (or leave the cell empty)."
                    )
            values.append(value)
        out[name] = values
    return out


def _check_segments(segments: pd.DataFrame, fields: Sequence[str]) -> None:
    needed = [*SEGMENT_COLUMNS, *fields, *(["focus"] if "outcome_scope" in fields else [])]
    missing = [c for c in dict.fromkeys(needed) if c not in segments.columns]
    if missing:
        raise SchemaError(f"table 'segments' is missing columns {missing}")


# --------------------------------------------------------------------------- the figures
def _baseline(
    name: str, texts: list[str], codebook: baseline.CodebookLike | None
) -> list[str] | None:
    if name == "focus":
        return baseline.focus_baseline(texts)
    if name == "outcome_scope":
        return baseline.scope_baseline(texts)
    if name == "speaker_role":
        return baseline.speaker_role_baseline(texts)
    return baseline.theme_baseline(texts, codebook) if codebook is not None else None


def _label_order(name: str, values: Sequence[str]) -> list[str]:
    """Labels that occur, in the schema's order for fixed vocabularies, else sorted."""
    seen = set(values)
    allowed = ALLOWED[name] or ()
    return [x for x in allowed if x in seen] + sorted(seen - set(allowed))


def _agreement(y_gold: list[str], y_pred: list[str], order: list[str]) -> dict[str, float]:
    if not y_gold:
        return dict.fromkeys(("kappa", "alpha", "accuracy", "macro_f1"), math.nan)
    with _quiet():
        kappa = (
            float(cohen_kappa_score(y_gold, y_pred, labels=order)) if len(order) > 1 else math.nan
        )
        return {
            "kappa": kappa,
            "alpha": _alpha(y_gold, y_pred, order),
            "accuracy": float(accuracy_score(y_gold, y_pred)),
            "macro_f1": float(
                f1_score(y_gold, y_pred, labels=order, average="macro", zero_division=0)
            ),
        }


def _alpha(y_gold: list[str], y_pred: list[str], order: list[str]) -> float:
    """Krippendorff's nominal alpha for the two coders; nan when only one label occurs (there is
    no disagreement to expect, so alpha is 0/0)."""
    if len(order) < 2:
        return math.nan
    code = {label: i for i, label in enumerate(order)}
    data = np.array([[code[x] for x in y_gold], [code[x] for x in y_pred]], dtype=float)
    try:
        with _quiet():
            value = float(
                krippendorff.alpha(
                    reliability_data=data,
                    level_of_measurement="nominal",
                    value_domain=list(range(len(order))),
                )
            )
    except (ValueError, ZeroDivisionError):
        return math.nan
    return value


def _per_class(
    name: str, y_gold: list[str], y_pred: list[str], order: list[str]
) -> list[dict[str, Any]]:
    if not y_gold:
        return []
    with _quiet():
        p, r, f, n = precision_recall_fscore_support(y_gold, y_pred, labels=order, zero_division=0)
    return [
        {
            "field": name,
            "label": label,
            "precision": float(p[i]),
            "recall": float(r[i]),
            "f1": float(f[i]),
            "support": int(n[i]),
        }
        for i, label in enumerate(order)
    ]


def _confusion(y_gold: list[str], y_pred: list[str], order: list[str]) -> pd.DataFrame:
    """Gold labels down the side, predicted across the top."""
    with _quiet():
        matrix = (
            confusion_matrix(y_gold, y_pred, labels=order)
            if y_gold
            else np.zeros((0, 0), dtype=int)
        )
    return pd.DataFrame(
        matrix, index=pd.Index(order, name="gold"), columns=pd.Index(order, name="predicted")
    )


# --------------------------------------------------------------------------- helpers
@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """sklearn warns about a single label and 0/0; both are reported as nan and in the notes."""
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        yield


def _score(seg: pd.DataFrame, pos: int, column: str | None) -> float:
    """The pipeline's confidence for the field, nan where it keeps none (speaker role, scope)."""
    if column is None or column not in seg.columns:
        return math.nan
    value: Any = seg[column].iloc[pos]
    return math.nan if pd.isna(value) else float(value)


def _by_confidence(dis: pd.DataFrame) -> pd.DataFrame:
    """Disagreements per field, the most confident first (a calibrated score that is sure and
    still disagrees points at a rule's systematic error or at the gold), those without a score
    last; ``low_confidence`` marks the ones the pipeline itself doubts."""
    dis = dis.astype({"page": "Int64", "score": "float64", "low_confidence": "bool"})
    order = {f: i for i, f in enumerate(FIELDS)}
    rank = dis["field"].map(order).fillna(len(order))
    return (
        dis.assign(_rank=rank, _score=dis["score"].fillna(-1.0))
        .sort_values(["_rank", "_score"], ascending=[True, False], kind="stable")
        .drop(columns=["_rank", "_score"])
        .reset_index(drop=True)
    )


def _frame(rows: list[dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def _num(value: float) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.3f}"


def _pair(value: float, base: float) -> str:
    return f"{_num(value)} ({_num(base)})"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _table(df: pd.DataFrame, indent: str = "") -> str:
    """Left-aligned plain columns; DataFrame.to_string right-aligns text, which reads badly."""
    cols = [str(c) for c in df.columns]
    cells = [[str(v) for v in row] for row in df.itertuples(index=False)]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(indent + line.rstrip() for line in lines)


# --------------------------------------------------------------------------- involvement levels
LEVEL_GOLD_COLUMNS: Final = ("source", "item_no", "level")
LEVEL_DISAGREEMENT_COLUMNS: Final = (
    "source",
    "meeting_id",
    "item_no",
    "item_title",
    "gold",
    "predicted",
    "cue",
    "evidence_text",
    "note",
)
# Item levels are ordinal: a 4 coded as 5 is a smaller disagreement than a 1 coded as 5.
LEVEL_LABELS: Final = (1, 2, 3, 4, 5)


@dataclass
class LevelValidation:
    """Agreement on involvement levels per agenda item (table item_levels against a gold file).

    Gold rows name an item by ``source`` (the minutes file) and ``item_no``; only the items a lay
    member takes part in are coded. Agreement is on items both sides level; items only one side
    levels (the code sees lay participation the coder did not, or the other way round) are
    counted and listed apart, since they are a disagreement about participation, not level.
    """

    summary: dict[str, float | int]
    confusion: pd.DataFrame
    disagreements: pd.DataFrame
    origin: str = ""

    def to_text(self) -> str:
        s = self.summary
        lines = [
            f"Involvement level per agenda item{f' ({self.origin})' if self.origin else ''}",
            "",
            f"  items levelled by both: {s['n']}; kappa {_num(float(s['kappa']))}, weighted "
            f"kappa (linear) {_num(float(s['weighted_kappa']))}, (quadratic) "
            f"{_num(float(s['quadratic_kappa']))}, Krippendorff's ordinal alpha "
            f"{_num(float(s['alpha_ordinal']))}",
            f"  exact agreement {_num(float(s['accuracy']))}, within one level "
            f"{_num(float(s['within_one']))}",
            f"  gold items the code did not level: {s['gold_only']}; items the code levelled "
            f"that the gold file does not: {s['predicted_only']} (sources in the gold file only)",
            "",
            "  gold down, predicted across:",
            _table(self.confusion.reset_index().astype(str), indent="  "),
        ]
        return "\n".join(lines) + "\n"


def validate_levels(
    item_levels: pd.DataFrame, segments: pd.DataFrame, gold: pd.DataFrame, origin: str
) -> LevelValidation:
    """Compare the pipeline's item levels with a hand-coded levels file (see LevelValidation)."""
    gold = tidy_headers(gold)
    missing = [c for c in LEVEL_GOLD_COLUMNS if c not in gold.columns]
    if missing:
        raise GoldFileError(
            f"{origin}: the levels gold file has no {', '.join(repr(m) for m in missing)} "
            f"column. Expected: {', '.join(LEVEL_GOLD_COLUMNS)} (and optionally note)."
        )
    sources = (
        segments.drop_duplicates("meeting_id").set_index("meeting_id")["source"].astype(str)
        if len(segments)
        else pd.Series(dtype=str)
    )
    predicted: dict[tuple[str, str], dict[str, Any]] = {}
    for row in item_levels.to_dict("records"):
        source = norm_source(str(sources.get(row["meeting_id"], "")))
        predicted[(source, _item_key(row["item_no"]))] = {str(k): v for k, v in row.items()}
    gold_items: dict[tuple[str, str], tuple[int, str]] = {}
    for i, row in enumerate(gold.to_dict("records")):
        raw = cell(row["level"]).strip()
        if not raw:
            continue
        try:
            level = int(float(raw))
        except ValueError:
            level = 0
        if level not in LEVEL_LABELS:
            raise GoldFileError(
                f"{origin}: row {i + 2}, column 'level': '{raw}' is not a level. Allowed: 1-5."
            )
        key = (norm_source(cell(row["source"])), _item_key(row["item_no"]))
        gold_items[key] = (level, cell(row.get("note", "")))

    def find(key: tuple[str, str]) -> tuple[str, str] | None:
        for pkey in predicted:
            if pkey[1] == key[1] and same_source(key[0], pkey[0]):
                return pkey
        return None

    pairs, gold_only, used = [], 0, set()
    for key, (level, note) in gold_items.items():
        pkey = find(key)
        if pkey is None:
            gold_only += 1
            continue
        used.add(pkey)
        pairs.append((level, int(predicted[pkey]["level"]), predicted[pkey], key[0], note))
    gold_sources = {k[0] for k in gold_items}
    predicted_only = sum(
        1
        for pkey in predicted
        if pkey not in used and any(same_source(g, pkey[0]) for g in gold_sources)
    )
    y_gold = [p[0] for p in pairs]
    y_pred = [p[1] for p in pairs]
    summary: dict[str, float | int] = {
        "n": len(pairs),
        **_level_agreement(y_gold, y_pred),
        "gold_only": gold_only,
        "predicted_only": predicted_only,
    }
    with _quiet():
        matrix = (
            confusion_matrix(y_gold, y_pred, labels=list(LEVEL_LABELS))
            if pairs
            else np.zeros((5, 5), dtype=int)
        )
    confusion = pd.DataFrame(
        matrix,
        index=pd.Index(LEVEL_LABELS, name="gold"),
        columns=pd.Index(LEVEL_LABELS, name="predicted"),
    )
    disagreements = _frame(
        [
            {
                "source": source,
                "meeting_id": row["meeting_id"],
                "item_no": row["item_no"],
                "item_title": row["item_title"],
                "gold": g,
                "predicted": p,
                "cue": row["cue"],
                "evidence_text": row["evidence_text"],
                "note": note,
            }
            for g, p, row, source, note in pairs
            if g != p
        ],
        LEVEL_DISAGREEMENT_COLUMNS,
    )
    return LevelValidation(summary, confusion, disagreements, origin)


def _item_key(value: Any) -> str:
    return cell(value).strip().rstrip(".").lstrip("0") or "0"


def _level_agreement(y_gold: list[int], y_pred: list[int]) -> dict[str, float]:
    nan = math.nan
    if not y_gold:
        names = ("kappa", "weighted_kappa", "quadratic_kappa", "alpha_ordinal", "accuracy")
        return dict.fromkeys((*names, "within_one"), nan)
    labels = list(LEVEL_LABELS)
    several = len(set(y_gold) | set(y_pred)) > 1
    with _quiet():
        kappa = float(cohen_kappa_score(y_gold, y_pred, labels=labels)) if several else nan
        linear = (
            float(cohen_kappa_score(y_gold, y_pred, labels=labels, weights="linear"))
            if several
            else nan
        )
        quadratic = (
            float(cohen_kappa_score(y_gold, y_pred, labels=labels, weights="quadratic"))
            if several
            else nan
        )
        try:
            alpha = (
                float(
                    krippendorff.alpha(
                        reliability_data=np.array([y_gold, y_pred], dtype=float),
                        level_of_measurement="ordinal",
                        value_domain=labels,
                    )
                )
                if several
                else nan
            )
        except (ValueError, ZeroDivisionError):
            alpha = nan
    diffs = np.abs(np.array(y_gold) - np.array(y_pred))
    return {
        "kappa": kappa,
        "weighted_kappa": linear,
        "quadratic_kappa": quadratic,
        "alpha_ordinal": alpha,
        "accuracy": float((diffs == 0).mean()),
        "within_one": float((diffs <= 1).mean()),
    }
