"""Leave-one-body-out evaluation of focus on real minutes (issue 14), and the data behind it.

Every body under ``REALWORLD/bodies`` is read as ``involve realworld`` reads it (with the gold
roster where there is one), each unit gets the rules' features and a sentence embedding, and
the hand-coded units of ``REALWORLD/gold`` are matched to the machine units. The project's own
corpora (demo, Calderbrook) are read too, as unlabelled text. The result is cached (it takes a
few minutes to make), outside the repository: it holds real minutes' words.

For each body with gold, anything fitted to gold labels is fitted without that body's labels
and scored on that body; its unlabelled text may be used, as a user's own board would be.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from pipeline.core import config, io
from pipeline.core.errors import BoardFileError
from pipeline.inputs.board import Board, parse_board

CACHE_NAME: Final = "focus-lobo-dataset.pkl"
OWN_CORPORA: Final = ("demo", "calderbrook")


@dataclass
class Dataset:
    """Every unit read, its features, and the gold labels matched to units."""

    units: pd.DataFrame  # body, text, is_action, rule_focus, rule_score (the rules as shipped)
    features: np.ndarray  # pipeline.classify.focus.features.NAMES per unit
    embeddings: np.ndarray | None  # sentence embedding per unit
    pairs: pd.DataFrame  # body, unit (row of ``units``), gold (focus), gold_scope
    rules_key: str = ""  # :func:`rules_key` of the rules the labels and features came from

    def bodies_with_gold(self) -> list[str]:
        return sorted(set(self.pairs["body"]))


def _board(path: Path | None) -> Board | None:
    if path is None or not path.exists():
        return None
    return parse_board(io.read_yaml(path, BoardFileError), str(path))


def _read(corpus: Path, board: Board | None) -> pd.DataFrame:
    from pipeline.evaluate.realworld import read_body

    return read_body(corpus, board).units


def build_dataset(
    root: Path,
    corpora: Sequence[Path] = (),
    progress: Callable[[str], None] | None = None,
) -> Dataset:
    """Read every body and corpus, compute features and embeddings, and match the gold."""
    from pipeline.classify.focus import focus_decisions
    from pipeline.classify.focus.cues import load_cues
    from pipeline.classify.focus.features import embed_texts, rule_pass, unit_texts
    from pipeline.evaluate.matching import match_units
    from pipeline.evaluate.realworld import load_gold

    cues = load_cues()
    gold = load_gold(root / "gold")
    frames: list[pd.DataFrame] = []
    pairs: list[dict[str, Any]] = []
    offset = 0
    readings: list[tuple[str, Path, Path | None]] = [
        (p.name, p, gold.boards.get(p.name))
        for p in sorted((root / "bodies").iterdir())
        if p.is_dir()
    ]
    readings += [(c.name, c, c / "board.yaml") for c in corpora]
    for body, folder, roster in readings:
        if progress is not None:
            progress(body)
        units = _read(folder, _board(roster)).reset_index(drop=True)
        g_units, _ = gold.for_body(body)
        if len(g_units) and body not in {c.name for c in corpora}:
            found = match_units(g_units, units)
            for g, pos in zip(g_units.itertuples(index=False), found, strict=True):
                if pos is not None:
                    scope = getattr(g, "outcome_scope", "") or ""
                    pairs.append(
                        {"body": body, "unit": offset + pos, "gold": str(g.focus),
                         "gold_scope": str(scope)}
                    )  # fmt: skip
        keep = ["text", "is_action", "is_decision", "item_title", "action_owner", "source"]
        frame = units[[c for c in keep if c in units.columns]].copy()
        frame["body"] = body
        # The rules as they were before the model: ``read_body`` classifies with the model.
        rule_focus, rule_score = focus_decisions(units, cues)
        frame["rule_focus"] = rule_focus
        frame["rule_score"] = rule_score
        frames.append(frame)
        offset += len(units)
    all_units = pd.concat(frames, ignore_index=True)
    features = rule_pass(all_units, cues).features
    embeddings = embed_texts(unit_texts(all_units))
    return Dataset(all_units, features, embeddings, pd.DataFrame(pairs), rules_key())


# The modules whose code decides the rules' labels and the features; with the cue lexicon they
# make the key that tells a cached dataset's rule readings from the current ones.
RULE_MODULES: Final = ("cues", "focus", "tense", "features", "selftrain", "__init__")


def rules_key() -> str:
    """A hash of the cue lexicon and the rules' code: a cached dataset read with other rules
    has its rule labels and features recomputed, so a changed rule is never scored stale."""
    import hashlib

    from pipeline.classify.focus.cues import DEFAULT_CUES

    digest = hashlib.sha256(DEFAULT_CUES.read_bytes())
    here = Path(__file__).parent
    for name in RULE_MODULES:
        digest.update((here / f"{name}.py").read_bytes())
    return digest.hexdigest()


def cached_dataset(
    root: Path,
    corpora: Sequence[Path] = (),
    *,
    rebuild: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Dataset:
    """:func:`build_dataset`, kept in the cache folder (not the repository) between runs."""
    path = config.cache_dir() / CACHE_NAME
    if path.exists() and not rebuild:
        try:
            with path.open("rb") as fh:
                data = pickle.load(fh)
        except (pickle.UnpicklingError, AttributeError, EOFError, ImportError):
            data = None
        if isinstance(data, Dataset):
            return _current(data, path)
    data = build_dataset(root, corpora, progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump(data, fh)
    return data


def _current(data: Dataset, path: Path) -> Dataset:
    """The cached dataset, its rule labels and features recomputed (from the units' words, not
    re-read) if the rules or the feature list have changed since it was made."""
    key = rules_key()
    if getattr(data, "rules_key", "") != key:
        refresh_rules(data)
        data.rules_key = key
        with path.open("wb") as fh:
            pickle.dump(data, fh)
    return data


def refresh_rules(data: Dataset) -> None:
    """The rules' label and score per unit (body by body, as when read) and the feature rows,
    from the current cue lexicon and code."""
    from pipeline.classify.focus import focus_decisions
    from pipeline.classify.focus.cues import load_cues
    from pipeline.classify.focus.features import rule_pass

    cues = load_cues()
    units = data.units.copy()
    for _, part in units.groupby("body", sort=False):
        focus, score = focus_decisions(part, cues)
        units.loc[part.index, "rule_focus"] = focus
        units.loc[part.index, "rule_score"] = score
    data.units = units
    data.features = rule_pass(units, cues).features


# --------------------------------------------------------------------------- measures
def ece(correct: Sequence[bool], confidence: Sequence[float], bins: int = 10) -> float:
    """Expected calibration error: |accuracy - mean confidence| per bin, weighted by its size."""
    c = np.asarray(confidence, dtype=float)
    ok = np.asarray(correct, dtype=float)
    if not len(c):
        return float("nan")
    index = np.minimum((c * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            total += mask.sum() / len(c) * abs(ok[mask].mean() - c[mask].mean())
    return float(total)


def measures(gold: Sequence[str], pred: Sequence[str], score: Sequence[float]) -> dict[str, Any]:
    """Focus kappa, action and outcome recall, and the ECE of the score of the chosen label."""
    from pipeline.evaluate.realworld import kappa

    g, p = list(gold), list(pred)

    def recall(label: str) -> float | None:
        hits = [b == label for a, b in zip(g, p, strict=True) if a == label]
        return float(np.mean(hits)) if hits else None

    return {
        "n": len(g),
        "kappa": kappa(g, p),
        "action_recall": recall("action"),
        "outcome_recall": recall("outcome"),
        "ece": ece([a == b for a, b in zip(g, p, strict=True)], score),
    }


# --------------------------------------------------------------------------- the systems
SYSTEMS: Final = ("rules", "keywords", "majority", "model", "shipped")
# A system: (dataset, held-out body, positions of its gold units) -> labels and scores.
System = Callable[[Dataset, str, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _others(data: Dataset, body: str) -> pd.DataFrame:
    """The gold of every body but ``body``, one row per machine unit."""
    return data.pairs[data.pairs["body"] != body].drop_duplicates("unit")


def rules(data: Dataset, body: str, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cue rules as shipped (with their self-trained score); nothing fitted to gold."""
    units = data.units
    return units["rule_focus"].to_numpy()[index], units["rule_score"].to_numpy()[index]


def keywords(data: Dataset, body: str, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The plain keyword baseline; its score is the share of each label it gets right on the
    other bodies' gold (the only thing fitted, without the held-out body)."""
    from pipeline.evaluate.baseline import focus_baseline

    texts = [str(t) for t in data.units["text"]]
    others = _others(data, body)
    said = np.asarray(focus_baseline([texts[i] for i in others["unit"]]))
    gold = others["gold"].to_numpy()
    right = {lab: float(np.mean(gold[said == lab] == lab)) for lab in set(said)}
    labels = np.asarray(focus_baseline([texts[i] for i in index]))
    return labels, np.asarray([right.get(lab, 0.5) for lab in labels])


def majority(data: Dataset, body: str, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The other bodies' commonest label, with its share as the score."""
    counts = _others(data, body)["gold"].value_counts(normalize=True)
    return np.full(len(index), str(counts.index[0])), np.full(len(index), float(counts.iloc[0]))


def model(data: Dataset, body: str, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The focus model fitted on the other bodies' gold and every unit's weak labels."""
    from pipeline.classify.focus.model import fit_focus

    others = _others(data, body)
    fitted = fit_focus(data.features, others["unit"].to_numpy(), others["gold"].to_numpy())
    proba = fitted.predict_proba(data.features[index])
    return fitted.classes_[np.argmax(proba, axis=1)], proba.max(axis=1)


def shipped(data: Dataset, body: str, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """As ``classify`` decides with the shipped model: the labelling functions' label (rules,
    action-table layout) with the probability the model (fitted without this body) gives it."""
    from pipeline.classify.focus.model import fit_focus, labelled_scores

    others = _others(data, body)
    fitted = fit_focus(data.features, others["unit"].to_numpy(), others["gold"].to_numpy())
    return labelled_scores(fitted, data.features[index])


def lobo(data: Dataset, systems: dict[str, System] | None = None) -> pd.DataFrame:
    """Per body (held out in turn) and pooled measures of each system: one row per pair."""
    systems = systems or {"rules": rules, "keywords": keywords, "majority": majority,
                          "model": model, "shipped": shipped}  # fmt: skip
    rows: list[dict[str, Any]] = []
    for name, system in systems.items():
        gold_all: list[str] = []
        pred_all: list[str] = []
        score_all: list[float] = []
        for body in data.bodies_with_gold():
            pairs = data.pairs[data.pairs["body"] == body]
            labels, scores = system(data, body, pairs["unit"].to_numpy())
            rows.append({"system": name, "body": body,
                         **measures(list(pairs["gold"]), list(labels), list(scores))})  # fmt: skip
            gold_all += list(pairs["gold"])
            pred_all += [str(x) for x in labels]
            score_all += [float(s) for s in scores]
        rows.append({"system": name, "body": "POOLED", **measures(gold_all, pred_all, score_all)})
    return pd.DataFrame(rows)


def scope_agreement(data: Dataset) -> tuple[int, int]:
    """Outcome scope (individual, collective) from the scope cues on every hand-coded outcome,
    whatever focus the system gave it: units the cues scope as the coders did, and all of them.
    Nothing in the scope cues is fitted to gold, so there is nothing to hold out."""
    from pipeline.classify.focus.cues import load_cues
    from pipeline.classify.focus.scope import scope_of

    cues = load_cues()
    coded = data.pairs[(data.pairs["gold"] == "outcome") & (data.pairs["gold_scope"] != "")]
    texts = data.units["text"].to_numpy()
    right = sum(
        scope_of(str(texts[u]), cues)[0] == g
        for u, g in zip(coded["unit"], coded["gold_scope"], strict=True)
    )
    return int(right), len(coded)


def markdown(table: pd.DataFrame) -> str:
    """One Markdown table per measure: bodies down, systems across."""
    out: list[str] = []
    for measure in ("kappa", "action_recall", "outcome_recall", "ece"):
        wide = table.pivot(index="body", columns="system", values=measure)
        order = [s for s in SYSTEMS if s in wide.columns]
        n = table.drop_duplicates("body").set_index("body")["n"]
        wide = wide[order].assign(n=n)
        lines = [f"### {measure}", "", "| body | n | " + " | ".join(order) + " |",
                 "|---|---:|" + "---:|" * len(order)]  # fmt: skip
        wide = pd.concat([wide.drop(index="POOLED"), wide.loc[["POOLED"]]])
        for body, row in wide.iterrows():
            cells = ["" if pd.isna(row[s]) else f"{row[s]:.3f}" for s in order]
            lines.append(f"| {body} | {int(row['n'])} | " + " | ".join(cells) + " |")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from pipeline.evaluate.realworld import default_root

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=None, help="REALWORLD folder")
    parser.add_argument("--rebuild", action="store_true", help="re-read every body")
    parser.add_argument("--out", type=Path, default=Path("build/focus-lobo"))
    args = parser.parse_args(argv)
    root = args.root or default_root()
    if not (root / "bodies").is_dir() or not (root / "gold").is_dir():
        print(
            f"{root}: no real minutes with hand coding here (bodies/ and gold/). Set "
            "REALWORLD=path to such a folder; the shipped model needs no refitting without it.",
            file=sys.stderr,
        )
        return 2
    corpora = [config.PROJECT_ROOT / "corpora" / c for c in OWN_CORPORA]
    data = cached_dataset(
        root, corpora, rebuild=args.rebuild, progress=lambda b: print("reading", b)
    )
    table = lobo(data)
    right, total = scope_agreement(data)
    text = markdown(table) + (
        f"\nOutcome scope on the hand-coded outcomes: {right} of {total} as coded"
        + (f" ({right / total:.3f}).\n" if total else ".\n")
    )
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    io.write_text(text, args.out / "summary.md")
    io.write_text(table.to_csv(index=False), args.out / "table.csv")
    return 0


if __name__ == "__main__":  # the package's module, so the cache unpickles under its own name
    from pipeline.classify.focus import lobo as _module

    raise SystemExit(_module.main())
