"""The focus model shipped with the package, and how it is refitted (``make focus-fit``).

``pipeline/data/focus-model.pkl`` holds a :class:`~pipeline.classify.focus.model.FocusModel` fitted
on
every body's hand coding in the real-world folder plus the weak labels of all the text read
(:mod:`pipeline.classify.focus.lobo`); ``focus-model.json`` records what it was fitted on. Users
without
that folder get the fitted model. When the file is missing, or was written by a scikit-learn
this one cannot read, :func:`load` returns None and ``classify`` falls back to the cue rules.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import platform
import sys
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np

from pipeline.classify.focus.features import NAMES
from pipeline.classify.focus.model import WEAK_WEIGHT, C, FocusModel, fit_focus
from pipeline.core import config, io

MODEL_PATH: Final = config.PROJECT_ROOT / "pipeline" / "data" / "focus-model.pkl"
RECORD_PATH: Final = MODEL_PATH.with_suffix(".json")


@lru_cache(maxsize=1)
def load(path: Path = MODEL_PATH) -> FocusModel | None:
    """The shipped model, or None when there is none this installation can use."""
    if not path.exists():
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with path.open("rb") as fh:
                fitted = pickle.load(fh)  # the package's own file
    except (pickle.UnpicklingError, AttributeError, EOFError, ImportError, ValueError):
        return None
    if not isinstance(fitted, FocusModel) or getattr(fitted, "n_features_in_", 0) != len(NAMES):
        return None
    return fitted


def refit(root: Path, corpora: Sequence[Path], out: Path = MODEL_PATH) -> dict[str, Any]:
    """Fit on all the gold and weak labels there are, write the model and its record."""
    import sklearn

    from pipeline.classify.focus.lobo import cached_dataset
    from pipeline.classify.focus.weak import weak_labels

    data = cached_dataset(root, corpora)
    gold = data.pairs.drop_duplicates("unit")
    fitted = fit_focus(data.features, gold["unit"].to_numpy(), gold["gold"].to_numpy())
    weak_index, weak = weak_labels(data.features)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        pickle.dump(fitted, fh, protocol=pickle.HIGHEST_PROTOCOL)
    record = {
        "fitted": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "estimator": "FocusModel (standardised logistic regression, sigmoid-calibrated, 3-fold)",
        "params": {"c": C, "weak_weight": WEAK_WEIGHT, "seed": config.SEED},
        "features": list(NAMES),
        "gold_bodies": {
            str(b): {str(k): int(v) for k, v in g["gold"].value_counts().items()}
            for b, g in gold.groupby("body")
        },
        "gold_units": len(gold),
        "weak_units": len(weak_index),
        "weak_labels": {str(k): int((weak == k).sum()) for k in np.unique(weak)},
        "unlabelled_bodies": sorted(set(data.units["body"]) - set(gold["body"])),
        "all_units": len(data.units),
        "versions": {
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
        },
    }
    io.write_text(json.dumps(record, indent=2) + "\n", out.with_suffix(".json"))
    load.cache_clear()
    return record


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from pipeline.classify.focus.lobo import OWN_CORPORA
    from pipeline.evaluate.realworld import default_root

    parser = argparse.ArgumentParser(description="Refit the shipped focus model.")
    parser.add_argument("root", nargs="?", type=Path, default=None, help="REALWORLD folder")
    args = parser.parse_args(argv)
    root = args.root or default_root()
    if not (root / "bodies").is_dir() or not (root / "gold").is_dir():
        print(
            f"{root}: no real minutes with hand coding here (bodies/ and gold/). Set "
            "REALWORLD=path to such a folder to refit; the shipped model stays as it is.",
            file=sys.stderr,
        )
        return 2
    corpora = [config.PROJECT_ROOT / "corpora" / c for c in OWN_CORPORA]
    record = refit(root, corpora)
    print(json.dumps(record, indent=2))
    return 0


if __name__ == "__main__":
    from pipeline.classify.focus import shipped as _module

    raise SystemExit(_module.main())
