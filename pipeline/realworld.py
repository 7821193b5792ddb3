"""How the project reads real published minutes: agreement with hand coding, body by body.

`make realworld` (``involve realworld``) reads every body of a folder of real minutes laid out as
``REALWORLD/bodies/<body>/`` with hand coding in ``REALWORLD/gold/`` (``units-*.jsonl``,
``attendance-*.jsonl`` and rosters ``boards/<body>.yaml``), and reports per body, read without
and with the roster as ``board.yaml``:

- ``coverage``: the share of hand-coded units whose words are found (90% or more, in order) in
  one unit the code made;
- ``unplaced``: words of the minutes that ended in no unit, list, heading or furniture
  (``text_accounting``);
- attendance exact: meetings whose members present, lay members present and apologies equal the
  hand count;
- ``role_kappa`` and ``focus_kappa``: Cohen's kappa of speaker role (service users, carers and
  lay members as one ``lay``) and of focus, over the units found;
- pseudonym ``precision`` (replaced spans that are people) and ``recall`` (occurrences of the
  roster's names that no output shows).

Only the analysis stages that these figures rest on are run (no themes, topics or report), so a
body takes seconds once its text is cached. Nothing here is fitted to the hand coding: it only
measures.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from rapidfuzz import fuzz

from pipeline import config, io
from pipeline.board import Board, parse_board
from pipeline.errors import BoardFileError, GoldFileError, InputError
from pipeline.people import TITLES, strip_title
from pipeline.textkey import normalise

UNIT_FIELDS = ("source", "page", "text", "focus", "speaker_role")
ATTENDANCE_FIELDS = ("source", "meeting_date", "members_present", "lay_present", "apologies")
# A hand-coded unit is found when this share of its words lies, in order, in one machine unit.
FOUND_AT = 90.0
MODES = ("no roster", "roster")
COLUMNS = (
    "body",
    "roster",
    "files",
    "read",
    "meetings",
    "units",
    "gold_units",
    "coverage",
    "words",
    "unplaced",
    "gold_meetings",
    "date_exact",
    "members_exact",
    "lay_exact",
    "apologies_exact",
    "role_kappa",
    "focus_kappa",
    "pseudonyms",
    "precision",
    "recall",
)


def default_root() -> Path:
    """``REALWORLD`` from the environment, else ``../shared/realworld`` beside the project."""
    import os

    env = os.environ.get("REALWORLD")
    return Path(env) if env else config.PROJECT_ROOT.parent / "shared" / "realworld"


# --------------------------------------------------------------------------- the gold
@dataclass
class Gold:
    units: pd.DataFrame
    attendance: pd.DataFrame
    boards: dict[str, Path] = field(default_factory=dict)

    def for_body(self, body: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        def mine(df: pd.DataFrame) -> pd.DataFrame:
            return df[df["source"].str.split("/").str[0] == body].reset_index(drop=True)

        return mine(self.units), mine(self.attendance)


def load_gold(gold_dir: Path) -> Gold:
    """Every ``units-*.jsonl`` and ``attendance-*.jsonl`` in ``gold_dir``, and its rosters."""
    units = _read_jsonl(sorted(gold_dir.glob("units-*.jsonl")), UNIT_FIELDS)
    attendance = _read_jsonl(sorted(gold_dir.glob("attendance-*.jsonl")), ATTENDANCE_FIELDS)
    boards = {p.stem: p for p in sorted((gold_dir / "boards").glob("*.yaml"))}
    return Gold(units, attendance, boards)


def _read_jsonl(paths: Sequence[Path], needed: Sequence[str]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for path in paths:
        for n, line in enumerate(io.read_bytes(path).decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldFileError(f"{path}, line {n}: not valid JSON ({exc.msg}).") from exc
            missing = [f for f in needed if f not in row]
            if missing:
                raise GoldFileError(
                    f"{path}, line {n}: missing field(s) {', '.join(missing)}. Each line needs "
                    f"{', '.join(needed)}; see the gold folder's README."
                )
            rows.append({**row, "gold_file": path.name})
    return pd.DataFrame(rows) if rows else _empty([*needed, "gold_file"])


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


# --------------------------------------------------------------------------- reading a body
@dataclass
class Reading:
    """What the stages made of one body, before and after pseudonymisation."""

    documents: pd.DataFrame
    meetings: pd.DataFrame
    units: pd.DataFrame  # segments with focus; `original` holds the text before pseudonyms
    accounting: pd.DataFrame | None


def read_body(body_dir: Path, board: Board | None, workers: int = 2) -> Reading:
    """The documents, meetings and focus-classified units of one body's folder."""
    from pipeline import runner
    from pipeline.classify import classify
    from pipeline.classify.cues import load_cues
    from pipeline.preprocess import preprocess
    from pipeline.segment import segment

    opts = runner.IngestOptions(corpus=body_dir, out=Path("unused"), workers=workers)
    progress = runner.Progress()
    corpus = runner.read_corpus(runner.hash_corpus(opts, progress), opts, progress)
    seg = segment(corpus.pages, corpus.documents, board)
    pre = preprocess(seg)
    units = classify(pre.units, load_cues())
    units["original"] = seg.units["text"].to_numpy()
    units["original_title"] = seg.units["item_title"].to_numpy()
    accounting = getattr(seg, "accounting", None)
    return Reading(corpus.documents, pre.meetings, units, accounting)


# --------------------------------------------------------------------------- scoring
def match_units(gold: pd.DataFrame, units: pd.DataFrame) -> list[int | None]:
    """For each gold unit, the position of the machine unit holding its words, or None."""
    texts = [normalise(str(t)) for t in units["original"]]
    sources = [str(s).lower() for s in units["source"]]
    out: list[int | None] = []
    for g in gold.itertuples(index=False):
        want = normalise(str(g.text))
        source = _doc_part(str(g.source)).lower()
        best, best_score = None, 0.0
        for pos, (text, src) in enumerate(zip(texts, sources, strict=True)):
            if src != source or not text:
                continue
            score = _held(want, text)
            if score > best_score:
                best, best_score = pos, score
        out.append(best if best_score >= FOUND_AT else None)
    return out


def _doc_part(source: str) -> str:
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
    al = fuzz.partial_ratio_alignment(want, text)
    if al is None:
        return 0.0
    covered = (al.src_end - al.src_start) / len(want) if len(want) <= len(text) else 0.0
    return al.score * min(1.0, covered)


def lay_role(role: object) -> str:
    """Service users, carers and lay members are one group, as the gold codes them."""
    text = str(role or "none")
    return "lay" if text in config.LAY_ROLES else text


def kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    if not a:
        return None
    from sklearn.metrics import cohen_kappa_score

    if len(set(a) | set(b)) < 2:
        return 1.0 if list(a) == list(b) else 0.0
    return float(cohen_kappa_score(list(a), list(b)))


@dataclass
class Score:
    row: dict[str, Any]
    pairs: pd.DataFrame  # gold and machine labels of every unit found, for pooled kappas
    misses: pd.DataFrame  # one row per disagreement, for reading the errors
    spans: pd.DataFrame  # replaced spans and whether they are people


# Attendance fields compared: (name in the table, gold field, meetings column).
ATTENDANCE_CHECKS = (
    ("date", "meeting_date", "meeting_date"),
    ("members", "members_present", "members_present"),
    ("lay", "lay_present", "lay_present"),
    ("apologies", "apologies", "apologies"),
)


def score_body(
    body: str,
    mode: str,
    reading: Reading,
    gold_units: pd.DataFrame,
    gold_att: pd.DataFrame,
    known: Known,
) -> Score:
    """One row of the table for one body read one way, with what lies behind it."""
    units, meetings, docs = reading.units, reading.meetings, reading.documents
    row: dict[str, Any] = {c: None for c in COLUMNS}
    row.update(
        body=body,
        roster=mode,
        files=len(docs),
        read=int(docs["status"].isin(["ok", "warning"]).sum()),
        meetings=len(meetings),
        units=len(units),
        gold_units=len(gold_units),
    )
    misses: list[dict[str, Any]] = []
    if reading.accounting is not None and len(reading.accounting):
        acc = reading.accounting
        row["words"] = int(acc["n_words"].sum())
        row["unplaced"] = int(acc.loc[acc["place"] == "unplaced", "n_words"].sum())
        for a in acc[(acc["place"] == "unplaced") & (acc["n_words"] > 0)].itertuples():
            misses.append(_miss(body, mode, "unplaced", a.source, None, a.reason, "", a.sample))
    pairs = []
    if len(gold_units):
        found = match_units(gold_units, units)
        row["coverage"] = sum(f is not None for f in found) / len(found)
        for g, pos in zip(gold_units.itertuples(index=False), found, strict=True):
            if pos is None:
                misses.append(_miss(body, mode, "coverage", g.source, g.page, g.text, "", ""))
                continue
            u = units.iloc[pos]
            pair = {
                "role_gold": lay_role(g.speaker_role),
                "role": lay_role(u["speaker_role"]),
                "focus_gold": str(g.focus),
                "focus": str(u["focus"]),
            }
            pairs.append(pair)
            for k in ("role", "focus"):
                if pair[k] != pair[f"{k}_gold"]:
                    gold = f"{pair[k + '_gold']} | {g.text}"
                    misses.append(_miss(body, mode, k, g.source, g.page, gold, pair[k], u.original))
    paired = pd.DataFrame(pairs, columns=["role_gold", "role", "focus_gold", "focus"])
    row["role_kappa"] = kappa(list(paired["role_gold"]), list(paired["role"]))
    row["focus_kappa"] = kappa(list(paired["focus_gold"]), list(paired["focus"]))
    if len(gold_att):
        row["gold_meetings"] = len(gold_att)
        for name, _, _ in ATTENDANCE_CHECKS:
            row[f"{name}_exact"] = 0
        for g in gold_att.itertuples(index=False):
            m = _meeting_for(meetings, _doc_part(str(g.source)), str(g.meeting_date)) or {}
            for name, gold_field, column in ATTENDANCE_CHECKS:
                want, have = getattr(g, gold_field), m.get(column)
                ok = str(have or "")[:10] == str(want) if name == "date" else _same(have, want)
                row[f"{name}_exact"] += ok
                if not ok:
                    note = "" if m else "no meeting read from this file"
                    misses.append(
                        _miss(body, mode, f"attendance:{name}", g.source, None, want, have, note)
                    )
    spans = pseudonym_spans(units, known)
    row["pseudonyms"] = len(spans)
    if len(spans):
        row["precision"] = float(spans["person"].mean())
    row["recall"] = name_recall(units, known)
    paired = paired.assign(body=body, roster=mode)
    return Score(row, paired, pd.DataFrame(misses, columns=MISS_COLUMNS), spans)


MISS_COLUMNS = ["body", "roster", "kind", "source", "page", "gold", "machine", "text"]


def _same(have: object, want: object) -> bool:
    if want is None or (isinstance(want, float) and want != want):
        return have is None or (isinstance(have, float) and have != have)
    try:
        return int(have) == int(want)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _meeting_for(meetings: pd.DataFrame, source: str, date: str) -> dict[str, Any] | None:
    rows = meetings[meetings["source"].astype(str).str.lower() == source.lower()]
    if not len(rows):
        return None
    dated = rows[rows["meeting_date"].astype(str).str[:10] == date]
    return dict((dated if len(dated) else rows).iloc[0])


def _miss(
    body: str, mode: str, kind: str, source: Any, page: Any, gold: Any, machine: Any, text: Any
) -> dict[str, Any]:
    values = [body, mode, kind, source, page, str(gold), str(machine), str(text)]
    return dict(zip(MISS_COLUMNS, values, strict=True))


# --------------------------------------------------------------------------- pseudonyms
_PSEUDONYM = re.compile(config.PSEUDONYM)
_TITLED = re.compile(
    r"^(?:" + "|".join(re.escape(t) for t in TITLES) + r")\.?\s+[A-Z]", re.IGNORECASE
)


def replaced_spans(original: str, pseudonymised: str) -> list[tuple[int, int]]:
    """Character spans of ``original`` that a pseudonym replaced in ``pseudonymised``.

    Compared word by word: a run of words that became a run holding a pseudonym ("Kenny Combe"
    -> "Chair 1", "CC" -> "Lay member 4") is one replaced span.
    """
    if original == pseudonymised:
        return []
    a = [(m.start(), m.end()) for m in _TOKEN.finditer(original)]
    b_tokens = _TOKEN.findall(pseudonymised)
    a_tokens = [original[x:y] for x, y in a]
    out = []
    sm = difflib.SequenceMatcher(None, a_tokens, b_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "replace" and _PSEUDONYM.search(" ".join(b_tokens[j1:j2])):
            out.append((a[i1][0], a[i2 - 1][1]))
    return _merge(out)


_TOKEN = re.compile(r"\w+|[^\w\s]")


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def name_forms(names: Iterable[str]) -> list[str]:
    """Full names and surnames (three letters or more) of the people ``names`` lists."""
    forms: set[str] = set()
    for name in names:
        bare = re.sub(r"\([^)]*\)", " ", strip_title(name)[0]).strip()
        words = [w for w in bare.split() if w[:1].isupper()]
        if not words or re.fullmatch(r"[A-Z]{2,4}", bare):
            continue
        if len(words) >= 2:
            forms.add(" ".join(words))
        if len(words[-1]) > 2:
            forms.add(words[-1])
    return sorted(forms, key=len, reverse=True)


def _occurrences(text: str, forms: Sequence[str]) -> list[tuple[int, int]]:
    if not forms or not text:
        return []
    pattern = re.compile(r"(?<![\w’'])(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def pseudonym_spans(units: pd.DataFrame, known: Known) -> pd.DataFrame:
    """Every span a pseudonym replaced, and whether it is a person's name (:meth:`Known.person`).

    What the judge cannot confirm counts as a word that is not a person: the precision is a
    lower bound, and the spans are listed for reading.
    """
    forms = known.forms()
    rows = []
    pairs = [("original", "text"), ("original_title", "item_title")]
    for _, u in units.iterrows():
        for orig_col, pseudo_col in pairs:
            original, pseudo = str(u[orig_col] or ""), str(u[pseudo_col] or "")
            found = _occurrences(original, forms)
            for a, b in replaced_spans(original, pseudo):
                span = original[a:b].strip()
                if not span:
                    continue
                person = any(x < b and a < y for x, y in found) or known.person(span)
                rows.append(
                    {
                        "source": u["source"],
                        "span": span,
                        "context": original[max(0, a - 30) : b + 30].replace("\n", " "),
                        "person": person,
                    }
                )
    return pd.DataFrame(rows, columns=["source", "span", "context", "person"])


def name_recall(units: pd.DataFrame, known: Known) -> float | None:
    """Of the roster's names written in the units, the share no output shows."""
    forms = name_forms(known.roster)
    if not forms:
        return None
    total = hidden = 0
    for _, u in units.iterrows():
        for orig_col, pseudo_col in (("original", "text"), ("original_title", "item_title")):
            original, pseudo = str(u[orig_col] or ""), str(u[pseudo_col] or "")
            spans = replaced_spans(original, pseudo)
            for a, b in _occurrences(original, forms):
                total += 1
                hidden += any(x <= a and b <= y for x, y in spans)
    return hidden / total if total else None


# --------------------------------------------------------------------------- the whole run
_ROLE_ONLY = re.compile(
    r"^(?:the\s+|a\s+)?(?:chair|convenor|secretary|treasurer|clerk|cathaoirleach|officer|members?|"
    r"director|head|leader|cabinet|council|committee|panel|group|board|police|representative|"
    r"sec|area|portal|community|task)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names (upper case) from the census lists the ``names`` package carries."""
    try:
        import names as census
    except ImportError:  # pragma: no cover - a dev dependency
        return frozenset()
    folder = Path(census.__file__).parent
    out = set()
    for f in ("dist.female.first", "dist.male.first"):
        out |= {ln.split()[0] for ln in (folder / f).read_text().splitlines() if ln.strip()}
    return frozenset(out)


@dataclass
class Known:
    """The people the evaluation knows of in one body, to judge replaced spans by.

    ``roster``: the names the roster lists (recall is measured on these); ``people``: those and
    the speakers the hand coders named; ``initials``: the roster's; ``given``: given names from
    the census lists and every roster's forenames.
    """

    roster: list[str]
    people: list[str]
    initials: set[str]
    given: frozenset[str]

    def forms(self) -> list[str]:
        return name_forms(self.people)

    def person(self, span: str) -> bool:
        """A span that is a person's name by its own shape: title, initials or given name."""
        if _TITLED.match(span):
            return True
        if span in self.initials:
            return True
        words = re.sub(r"['’]s$", "", span).split()
        return (
            bool(words) and words[0].upper() in self.given and all(w[:1].isupper() for w in words)
        )


def known_people(board: Board | None, gold_units: pd.DataFrame, given: Iterable[str]) -> Known:
    roster: list[str] = []
    initials: set[str] = set()
    if board is not None:
        for m in board.members:
            roster.append(m.name)
            roster += [a for a in m.aliases if not re.fullmatch(r"[A-Z]{2,4}", a)]
            initials |= {a for a in m.aliases if re.fullmatch(r"[A-Z]{2,4}", a)}
            if m.initials:
                initials.add(m.initials)
    given_set = frozenset(given)
    judge = Known(roster, list(roster), initials, given_set)
    speakers: list[Any] = (
        list(gold_units["speaker"].dropna()) if "speaker" in gold_units.columns else []
    )
    for s in speakers:
        for part in re.split(r"\s*(?:,|;|/|\band\b|&)\s*", str(s)):
            bare = strip_title(part)[0]
            if not bare or _ROLE_ONLY.match(bare) or re.fullmatch(r"[A-Z]{2,6}", bare):
                continue
            if judge.person(part) or (len(bare.split()) == 1 and bare[:1].isupper()):
                judge.people.append(part)
    return judge


def all_given_names(gold: Gold) -> frozenset[str]:
    """Census given names and the forenames of every roster in the gold folder."""
    out = set(given_names())
    for path in gold.boards.values():
        board = parse_board(io.read_yaml(path), str(path))
        for m in board.members:
            words = strip_title(m.name)[0].split()
            if len(words) >= 2:
                out.add(words[0].upper())
    return frozenset(out)


@dataclass
class Evaluation:
    table: pd.DataFrame  # one row per body and reading (COLUMNS)
    pairs: pd.DataFrame  # gold and machine labels of every unit found
    misses: pd.DataFrame  # every disagreement, unplaced passage and unfound unit
    spans: pd.DataFrame  # every replaced span, judged

    def totals(self) -> dict[str, dict[str, Any]]:
        """Pooled figures per reading over the bodies with gold: what the targets are set on."""
        out: dict[str, dict[str, Any]] = {}
        for mode in MODES:
            t = self.table[self.table["roster"] == mode]
            if not len(t):
                continue
            g = t[t["gold_units"] > 0]
            p = _rows(self.pairs, mode)
            s = _rows(self.spans, mode)
            n = float(g["gold_meetings"].fillna(0).sum())
            out[mode] = {
                "bodies": len(g),
                "coverage": _weighted(g, "coverage", "gold_units"),
                "unplaced": int(t["unplaced"].fillna(0).sum()),
                "words": int(t["words"].fillna(0).sum()),
                "gold_meetings": int(n),
                **{
                    f"{k}_exact": (float(g[f"{k}_exact"].fillna(0).sum() / n) if n else None)
                    for k, _, _ in ATTENDANCE_CHECKS
                },
                "role_kappa": kappa(list(p["role_gold"]), list(p["role"])) if len(p) else None,
                "focus_kappa": kappa(list(p["focus_gold"]), list(p["focus"])) if len(p) else None,
                "precision": float(s["person"].mean()) if len(s) else None,
                "recall": _weighted(g, "recall", "gold_units"),
            }
        return out


def _rows(frame: pd.DataFrame, mode: str) -> pd.DataFrame:
    return frame[frame["roster"] == mode] if len(frame) else frame


def evaluate(
    root: Path,
    bodies: Sequence[str] = (),
    *,
    workers: int = 2,
    progress: Callable[[str], None] | None = None,
) -> Evaluation:
    """Score every body under ``root/bodies`` (or those named), without and with its roster."""
    bodies_dir, gold_dir = root / "bodies", root / "gold"
    if not bodies_dir.is_dir():
        raise InputError(
            f"{bodies_dir}: no folder of real minutes here. Set REALWORLD=path to a folder "
            "holding bodies/ (one folder per body) and gold/ (hand coding)."
        )
    gold = (
        load_gold(gold_dir)
        if gold_dir.is_dir()
        else Gold(_empty(UNIT_FIELDS), _empty(ATTENDANCE_FIELDS))
    )
    names = sorted(p.name for p in bodies_dir.iterdir() if p.is_dir())
    unknown = [b for b in bodies if b not in names]
    if unknown:
        raise InputError(
            f"no body folder named {', '.join(unknown)} in {bodies_dir}; there are: "
            + ", ".join(names)
        )
    given = all_given_names(gold)
    rows, pairs, misses, spans = [], [], [], []
    for body in bodies or names:
        g_units, g_att = gold.for_body(body)
        roster_path = gold.boards.get(body)
        board = (
            parse_board(io.read_yaml(roster_path, BoardFileError), str(roster_path))
            if roster_path
            else None
        )
        known = known_people(board, g_units, given)
        for mode in MODES:
            if mode == "roster" and board is None:
                continue
            if progress is not None:
                progress(f"{body} ({'with' if mode == 'roster' else 'without'} roster)")
            reading = read_body(bodies_dir / body, board if mode == "roster" else None, workers)
            score = score_body(body, mode, reading, g_units, g_att, known)
            rows.append(score.row)
            pairs.append(score.pairs)
            misses.append(score.misses)
            spans.append(score.spans.assign(body=body, roster=mode))
    return Evaluation(
        pd.DataFrame(rows, columns=list(COLUMNS)), _concat(pairs), _concat(misses), _concat(spans)
    )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _weighted(t: pd.DataFrame, col: str, weight: str) -> float | None:
    ok = t[t[col].notna()]
    w = ok[weight].astype(float)
    return float((ok[col].astype(float) * w).sum() / w.sum()) if w.sum() else None


def write(evaluation: Evaluation, out: Path) -> None:
    """The table (Markdown and CSV) and the lists behind it, for reading the errors."""
    summary = markdown(evaluation.table) + "\n\n" + totals_markdown(evaluation) + "\n"
    io.write_text(summary, out / "summary.md")
    for name in ("table", "misses", "spans"):
        frame: pd.DataFrame = getattr(evaluation, name)
        io.write_text(frame.to_csv(index=False), out / f"{name}.csv")
    io.write_json(evaluation.totals(), out / "totals.json")


def totals_markdown(evaluation: Evaluation) -> str:
    """The pooled figures, one line per reading: what the targets are checked against."""
    head = [
        "all bodies with gold",
        "coverage",
        "unplaced words",
        "date",
        "members",
        "lay",
        "apologies",
        "role κ",
        "focus κ",
        "pseudonym precision",
        "recall",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for mode, t in evaluation.totals().items():
        cells = [
            "with roster" if mode == "roster" else "without roster",
            _fmt(t["coverage"]),
            f"{t['unplaced']} of {t['words']}" if t["words"] else "–",
            *(_fmt(t[f"{k}_exact"]) for k, _, _ in ATTENDANCE_CHECKS),
            _fmt(t["role_kappa"]),
            _fmt(t["focus_kappa"]),
            _fmt(t["precision"]),
            _fmt(t["recall"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown(table: pd.DataFrame) -> str:
    """The table as Markdown, for the README and the terminal."""
    head = [
        "body",
        "roster",
        "files read",
        "units",
        "coverage",
        "unplaced words",
        "date",
        "members",
        "lay",
        "apologies",
        "role κ",
        "focus κ",
        "pseudonym precision",
        "recall",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in table.to_dict("records"):
        n = r["gold_meetings"]
        att = [
            f"{int(r[k])}/{int(n)}" if n and r[k] is not None and r[k] == r[k] else "–"
            for k in ("date_exact", "members_exact", "lay_exact", "apologies_exact")
        ]
        cells = [
            r["body"],
            "with" if r["roster"] == "roster" else "without",
            f"{r['read']}/{r['files']}",
            f"{r['units']}" + (f" ({r['gold_units']} gold)" if r["gold_units"] else ""),
            _fmt(r["coverage"]),
            _unplaced(r),
            *att,
            _fmt(r["role_kappa"]),
            _fmt(r["focus_kappa"]),
            _fmt(r["precision"], f" of {r['pseudonyms']}" if r["pseudonyms"] else ""),
            _fmt(r["recall"]),
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def _fmt(v: object, suffix: str = "") -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "–"
    return f"{float(v):.2f}{suffix}"  # type: ignore[arg-type]


def _unplaced(r: dict[Any, Any]) -> str:
    if r["words"] is None or r["words"] != r["words"]:
        return "–"
    return f"{int(r['unplaced'])} of {int(r['words'])}"
