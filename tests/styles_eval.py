"""Run the pipeline on the minute-style fixtures (issue 4); compare it with their hand-made files.

Shared by ``tests/test_styles.py`` (exact structural facts) and ``make styles-eval`` (the quality
figures of the issue, printed as a table):

    .venv/bin/python tests/styles_eval.py [--no-board]

Every expectation is read from the fixture files under ``tests/fixtures/styles/<style>/``
(``attendance.csv``, ``attendance_people.csv``, ``gold.csv``, ``people.csv``, ``files/board.yaml``),
never from an earlier run. Pseudonyms are turned back into names through the ``--names-key`` file
the run writes outside its output folder, as a user checking a run would.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

STYLES_DIR = Path(__file__).resolve().parent / "fixtures" / "styles"
LAY = ("service_user", "carer", "lay")
COUNTS = ("members_present", "lay_present", "apologies", "in_attendance")


@dataclass(frozen=True)
class Variant:
    """One corpus to analyse: a style's files/ (or one sub-folder of it)."""

    style: str
    sub: str = ""  # local-authority: "pdf" or "markdown"

    @property
    def name(self) -> str:
        return f"{self.style}-{self.sub}" if self.sub else self.style

    @property
    def root(self) -> Path:
        return STYLES_DIR / self.style

    @property
    def files(self) -> Path:
        return self.root / "files" / self.sub if self.sub else self.root / "files"

    @property
    def board_file(self) -> Path:
        return self.root / "files" / "board.yaml"

    @property
    def has_board(self) -> bool:
        return self.board_file.exists()

    def in_variant(self, source: str) -> bool:
        """Whether a fixture row's source (relative to files/) belongs to this corpus."""
        return not self.sub or source.startswith(self.sub + "/")


VARIANTS = (
    Variant("nhs-trust"),
    Variant("local-authority", "pdf"),
    Variant("local-authority", "markdown"),
    Variant("charity-trustees"),
    Variant("clinical-network"),
    Variant("no-attendance"),
)


@dataclass
class Run:
    """A finished analysis of one variant, its tables with names put back."""

    variant: Variant
    with_board: bool
    out: Path
    meetings: pd.DataFrame
    attendance: pd.DataFrame  # plus `person`: the real name behind person_id
    segments: pd.DataFrame
    names: dict[str, str]  # pseudonym -> name


def prepare(variant: Variant, where: Path, *, with_board: bool) -> Path:
    """A corpus folder under ``where`` holding the variant's documents (and board.yaml if asked)."""
    corpus = where / variant.name
    corpus.mkdir(parents=True)
    for path in sorted(variant.files.iterdir()):
        if path.is_file() and path.name != "board.yaml":
            shutil.copy(path, corpus / path.name)
    if with_board and variant.has_board:
        shutil.copy(variant.board_file, corpus / "board.yaml")
    return corpus


def analyse(variant: Variant, where: Path, *, with_board: bool = True) -> Run:
    from pipeline.run.runner import RunOptions
    from pipeline.run.runner import analyse as run_analysis

    corpus = prepare(variant, where / "corpus", with_board=with_board)
    out = where / "out"
    key = where / "names-key.json"
    run_analysis(RunOptions(corpus=corpus, out=out, workers=1, use_embeddings=False, names_key=key))
    names = json.loads(key.read_text(encoding="utf-8"))
    tables = out / "tables"
    attendance = pd.read_parquet(tables / "attendance.parquet")
    attendance["person"] = attendance["person_id"].map(lambda p: names.get(p, ""))
    return Run(
        variant,
        with_board,
        out,
        pd.read_parquet(tables / "meetings.parquet"),
        attendance,
        pd.read_parquet(tables / "segments.parquet"),
        names,
    )


# --------------------------------------------------------------------------- expectations
def person_key(name: str) -> str:
    """A name compared modulo case, accents, apostrophes, titles and spacing."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’'`]", "", text)
    text = re.sub(r"^(?:(?:mr|mrs|ms|dr|prof|cllr)\.?\s+)+", "", text.strip())
    return " ".join(text.split())


def _read(variant: Variant, name: str) -> pd.DataFrame:
    path = variant.root / name
    if not path.exists():
        return pd.DataFrame()
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df[df["source"].map(variant.in_variant)].reset_index(drop=True)


def expected_counts(variant: Variant) -> pd.DataFrame:
    """attendance.csv rows of the variant: meeting_date plus the four counts (None if blank)."""
    return _read(variant, "attendance.csv")


def expected_people(variant: Variant) -> pd.DataFrame:
    return _read(variant, "attendance_people.csv")


def gold(variant: Variant) -> pd.DataFrame:
    return _read(variant, "gold.csv")


def listed_names(variant: Variant) -> list[str]:
    """Every name a privacy check must not find: listed people, and board.yaml's members."""
    import yaml

    people = pd.read_csv(variant.root / "people.csv", dtype=str, keep_default_na=False)
    names = list(people.loc[people["listed"] == "yes", "name"])
    if variant.has_board:
        board = yaml.safe_load(variant.board_file.read_text(encoding="utf-8"))
        for m in board.get("members", []):
            names.append(str(m["name"]))
            names.extend(str(a) for a in m.get("aliases", []) or [])
    return names


def match_gold(run: Run) -> pd.DataFrame:
    """Gold rows joined to the run's units by unit_key (as `involve validate` joins them).

    Columns: the gold's, plus ``pred_speaker_role``, ``pred_item_no``, ``is_action``,
    ``is_decision``, ``owner_id`` (the action owner's pseudonym) and ``matched``.
    """
    from pipeline.core.textkey import unit_key

    g = gold(run.variant).copy()
    seg = run.segments.assign(base=run.segments["source"].map(lambda s: Path(s).name))
    free = {i: True for i in seg.index}
    cols: dict[str, list[object]] = {
        k: [] for k in ("pred_speaker_role", "pred_item_no", "is_action", "is_decision", "owner_id")
    }
    matched = []
    for row in g.itertuples(index=False):
        key = unit_key(row.text)
        mask = (seg["unit_key"] == key) & (seg["base"] == Path(row.source).name)
        hits = seg[[bool(m) and free[i] for i, m in zip(seg.index, mask, strict=True)]]
        if len(hits):
            s = hits.iloc[0]
            free[hits.index[0]] = False
            cols["pred_speaker_role"].append(s["speaker_role"])
            cols["pred_item_no"].append(s["item_no"])
            cols["is_action"].append(bool(s["is_action"]))
            cols["is_decision"].append(bool(s["is_decision"]))
            cols["owner_id"].append(s["action_owner"])
            matched.append(True)
        else:
            for v in cols.values():
                v.append(None)
            matched.append(False)
    return g.assign(**cols, matched=matched)


_ACTION_MARK = re.compile(r"\bACTION:|^[A-Z]{2,3}(?: and [A-Z]{2,3})? to\b")
_DECISION_MARK = re.compile(
    r"\bRESOLVED\b|^(?:Trustees|The Committee|The Board|The group|The forum|It was) "
    r"(?:agreed|approved)\b|\bProposed:.*Seconded:",
)


def expected_flags(text: str) -> tuple[bool, bool]:
    """is_action, is_decision as the gold text's own markers say ("ACTION: JS", "RESOLVED")."""
    return bool(_ACTION_MARK.search(text)), bool(_DECISION_MARK.search(text))


# --------------------------------------------------------------------------- figures
def figures(run: Run) -> dict[str, object]:
    """The issue's quality figures for one run."""
    from sklearn.metrics import cohen_kappa_score, f1_score

    exp = expected_counts(run.variant)
    with_counts = exp[exp["members_present"] != ""]
    got = run.meetings.assign(base=run.meetings["source"].map(lambda s: Path(s).name))
    exact = {"members_present": 0, "lay_present": 0}
    for row in with_counts.itertuples(index=False):
        m = got[got["base"] == Path(row.source).name]
        for c in exact:
            exact[c] += int(len(m) == 1 and int(m.iloc[0][c]) == int(getattr(row, c)))
    joined = match_gold(run)
    ok = joined[joined["matched"]]
    y, p = list(ok["speaker_role"]), list(ok["pred_speaker_role"])
    lay_y = [r in LAY for r in y]
    lay_p = [r in LAY for r in p]
    n = len(with_counts)
    return {
        "corpus": run.variant.name + ("" if run.with_board else " (no board)"),
        "meetings": n,
        "members exact": f"{exact['members_present']}/{n}" if n else "-",
        "lay exact": f"{exact['lay_present']}/{n}" if n else "-",
        "units": f"{len(ok)}/{len(joined)}",
        "speaker kappa": round(float(cohen_kappa_score(y, p)), 3) if ok.size else float("nan"),
        "lay F1": round(float(f1_score(lay_y, lay_p)), 3) if any(lay_y) else float("nan"),
        "item_no": round(float((ok["item_no"] == ok["pred_item_no"]).mean()), 3),
        **focus_figures(run.segments, gold(run.variant), run.variant.name),
    }


def focus_figures(segments: pd.DataFrame, coded: pd.DataFrame, name: str) -> dict[str, object]:
    """Focus kappa with the keyword baseline's beside it, and outcome scope accuracy, as
    `involve validate` computes them (scope over units both the gold and the run call outcome)."""
    from pipeline.evaluate.validate import validate

    summary = validate(segments, coded, name).summary.set_index("field")

    def get(field: str, column: str) -> object:
        if field not in summary.index or not summary.loc[field, "n"]:
            return "-"
        return round(float(summary.loc[field, column]), 3)

    return {
        "focus kappa": get("focus", "kappa"),
        "(baseline)": get("focus", "baseline_kappa"),
        "scope acc": get("outcome_scope", "accuracy"),
        "scope n": int(summary.loc["outcome_scope", "n"])
        if "outcome_scope" in summary.index
        else 0,
    }


def _pooled(runs: list[Run]) -> dict[str, object]:
    from sklearn.metrics import cohen_kappa_score, f1_score

    frames = [match_gold(r) for r in runs]
    ok = pd.concat(frames)
    ok = ok[ok["matched"]]
    y, p = list(ok["speaker_role"]), list(ok["pred_speaker_role"])
    rows = [figures(r) for r in runs]
    meetings = sum(int(r["meetings"]) for r in rows)  # type: ignore[call-overload]

    def exact(col: str) -> str:
        return f"{sum(int(str(r[col]).split('/')[0]) for r in rows if r[col] != '-')}/{meetings}"

    return {
        "corpus": "ALL",
        "meetings": meetings,
        "members exact": exact("members exact"),
        "lay exact": exact("lay exact"),
        "units": f"{len(ok)}/{sum(len(f) for f in frames)}",
        "speaker kappa": round(float(cohen_kappa_score(y, p)), 3),
        "lay F1": round(float(f1_score([r in LAY for r in y], [r in LAY for r in p])), 3),
        "item_no": round(float((ok["item_no"] == ok["pred_item_no"]).mean()), 3),
        **focus_figures(
            pd.concat([r.segments for r in runs], ignore_index=True),
            pd.concat([gold(r.variant) for r in runs], ignore_index=True),
            "ALL",
        ),
    }


def main(argv: list[str]) -> int:
    import tempfile

    with_board = "--no-board" not in argv
    verbose = "-v" in argv
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for v in VARIANTS:
            run = analyse(v, Path(tmp) / v.name, with_board=with_board)
            runs.append(run)
            if verbose:
                j = match_gold(run)
                bad = j[~j["matched"] | (j["speaker_role"] != j["pred_speaker_role"])]
                for r in bad.itertuples(index=False):
                    print(
                        f"  [{v.name}] gold={r.speaker_role} got={r.pred_speaker_role} "
                        f"matched={r.matched}: {r.text[:90]}"
                    )
                bad = j[j["matched"] & (j["item_no"] != j["pred_item_no"])]
                for r in bad.itertuples(index=False):
                    print(
                        f"  [{v.name}] item gold={r.item_no!r} got={r.pred_item_no!r}: "
                        f"{r.text[:70]}"
                    )
        table = pd.DataFrame([*(figures(r) for r in runs), _pooled(runs)])
    print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
