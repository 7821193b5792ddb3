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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from pipeline import config, io
from pipeline.board import Board, parse_board
from pipeline.errors import BoardFileError

CACHE_NAME: Final = "focus-lobo-dataset.pkl"
OWN_CORPORA: Final = ("demo", "calderbrook")


@dataclass
class Dataset:
    """Every unit read, its features, and the gold labels matched to units."""

    units: pd.DataFrame  # body, text, is_action, rule_focus, rule_score (the rules as shipped)
    features: np.ndarray  # pipeline.classify.features.NAMES per unit
    embeddings: np.ndarray | None  # sentence embedding per unit
    pairs: pd.DataFrame  # body, unit (row of ``units``), gold (focus), gold_scope

    def bodies_with_gold(self) -> list[str]:
        return sorted(set(self.pairs["body"]))


def _board(path: Path | None) -> Board | None:
    if path is None or not path.exists():
        return None
    return parse_board(io.read_yaml(path, BoardFileError), str(path))


def _read(corpus: Path, board: Board | None) -> pd.DataFrame:
    from pipeline.realworld import read_body

    return read_body(corpus, board).units


def build_dataset(
    root: Path,
    corpora: Sequence[Path] = (),
    progress: Callable[[str], None] | None = None,
) -> Dataset:
    """Read every body and corpus, compute features and embeddings, and match the gold."""
    from pipeline.classify.cues import load_cues
    from pipeline.classify.features import embed_texts, rule_pass, unit_texts
    from pipeline.realworld import load_gold, match_units

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
        frame["rule_focus"] = units["focus"].astype(str)
        frame["rule_score"] = units["focus_score"].astype(float)
        frames.append(frame)
        offset += len(units)
    all_units = pd.concat(frames, ignore_index=True)
    features = rule_pass(all_units, load_cues()).features
    embeddings = embed_texts(unit_texts(all_units))
    return Dataset(all_units, features, embeddings, pd.DataFrame(pairs))


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
        with path.open("rb") as fh:
            data = pickle.load(fh)  # noqa: S301 - our own cache file
        if isinstance(data, Dataset):
            return data
    data = build_dataset(root, corpora, progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump(data, fh)
    return data


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
    from pipeline.realworld import kappa

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
