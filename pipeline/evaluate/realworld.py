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
  roster's names, its seats excepted, that no output shows). A replaced span is judged a person
  by what the body's own documents say (a title, an attendance list, "X said", initials written
  beside the name they abbreviate, the initials of a person the document names) or by a name's
  shape (a given name and a surname); what the judge cannot confirm counts against precision.

Only the analysis stages that these figures rest on are run (no themes, topics or report), so a
body takes seconds once its text is cached. Nothing here is fitted to the hand coding: it only
measures.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.core import config, io, vocab
from pipeline.core.errors import BoardFileError, GoldFileError, InputError
from pipeline.evaluate.matching import doc_part, match_units
from pipeline.inputs.board import Board, parse_board
from pipeline.pseudonymise import contacts
from pipeline.pseudonymise.people import TITLES, strip_title

UNIT_FIELDS = ("source", "page", "text", "focus", "speaker_role")
ATTENDANCE_FIELDS = ("source", "meeting_date", "members_present", "lay_present", "apologies")
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
    texts: list[str] = field(default_factory=list)  # every page's text, for the judge's evidence
    sources: list[str] = field(default_factory=list)  # the document of each of ``texts``


def read_body(body_dir: Path, board: Board | None, workers: int = 2) -> Reading:
    """The documents, meetings and focus-classified units of one body's folder."""
    from pipeline.classify.focus import classify
    from pipeline.classify.focus.cues import load_cues
    from pipeline.pseudonymise.preprocess import preprocess
    from pipeline.run import runner
    from pipeline.segment import segment

    opts = runner.IngestOptions(corpus=body_dir, out=Path("unused"), workers=workers)
    progress = runner.Progress()
    corpus = runner.read_corpus(runner.hash_corpus(opts, progress), opts, progress)
    seg = segment(corpus.pages, corpus.documents, board)
    # The per-text caches `involve analyse` keeps (NER, the focus rules' parse): a second
    # reading of the same minutes parses nothing again, and gives the same figures.
    cache = io.Cache(config.cache_dir())
    pre = preprocess(seg, cache)
    units = classify(pre.units, load_cues(), cache=cache)
    units["original"] = seg.units["text"].to_numpy()
    units["original_title"] = seg.units["item_title"].to_numpy()
    accounting = getattr(seg, "accounting", None)
    pages = corpus.pages
    texts = [str(t) for t in pages["text"]] if len(pages) else []
    sources = [str(s) for s in pages["source"]] if len(pages) else []
    return Reading(corpus.documents, pre.meetings, units, accounting, texts, sources)


# --------------------------------------------------------------------------- scoring
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
        read=int(docs["status"].isin(config.USABLE_STATUSES).sum()),
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
            m = _meeting_for(meetings, doc_part(str(g.source)), str(g.meeting_date)) or {}
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
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# How a replaced span is judged. The judge reads as a careful coder would: a span is a person's
# name if the documents themselves say so (a title, an attendance list, "X said", initials
# written beside the name they abbreviate), or if it has a name's shape (a given name and a
# surname). Where it cannot tell, the span counts as a word that is not a person, so that
# precision is a lower bound.
_PSEUDONYM = re.compile(config.PSEUDONYM)
# Titles before a name, in the case minutes write them: "MS Teams" is software, "Ms Teams" a
# person; a police constable is "PC Bennett".
_TITLE_WORDS = _words(
    """Mr Mrs Ms Miss Mx Dr Prof Professor Cllr Councillor Sir Dame Lord Lady Baroness Baron Rev
    Revd Reverend Canon Inspector Insp Sergeant Sgt Constable Con PC PCSO Superintendent Supt
    Commander Captain Capt"""
)
_TITLE = "(?:" + "|".join(sorted(_TITLE_WORDS, key=len, reverse=True)) + r")\.?"
_TITLED = re.compile(rf"^{_TITLE}\s+[A-Z]")
# A title and maybe initials just before a span: "Mr K Hall", where only "Hill" was replaced.
_TITLE_BEFORE = re.compile(rf"(?<![\w.]){_TITLE}\s+(?:[A-Z]\.?\s+){{0,3}}$")
# A word of a person's name as documents write it: "O’Farrell", "McAlister", "Lowther-Brown".
_NAME = r"(?:[A-Z]['’])?(?:Ma?c)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_NAME_WORD = re.compile(_NAME)
_INITIALS = re.compile(r"[A-Z][A-Za-z]?[A-Z][A-Za-z]?|[A-Z]{2,4}")
_HONOURS = _words("OBE MBE CBE KBE DBE MP MSP MLA QC KC JP DL FRS")
# Name particles written in lower case inside a name: "Anna von Richter".
_PARTICLES = _words("von van der den de du da di le la")
# Words that are never a word of a person's name where minutes write them capitalised: function
# words, offices, organisations and the furniture of minutes. A name with one of them ("Police
# Scotland", "Cabinet Office", "The Chair") is not a person's name.
_NOT_NAME_WORDS = _words(
    """the a an in on at of to for by and or with from as this that these those it its all any
    each no not our their his her we they he she you
    chair chairman chairwoman chairperson convenor convener vice secretary sec treasurer clerk
    officer officers director head manager minister lead rep representative member members leader
    councillor cabinet executive deputy acting public lieutenant sergeant chief
    council committee office police team group board panel trust school primary academy college
    university association society service services department ministry agency authority
    partnership forum network institute company ltd limited plc bank fund foundation
    meeting minutes agenda item items action actions matters business report update notes
    apologies present attendance attendees welcome"""
)
# Words that end the name of a place ("Village Hall", "Church Street"), and are surnames too
# ("Ruth Hall"): a given name before one is not enough to make a person of it.
_PLACE_WORDS = _words(
    """street road avenue lane drive close park square place gardens terrace crescent way house
    court village town city county district borough ward estate station hall church centre
    center hospital surgery pharmacy green field fields hill wood bridge"""
)
# Verbs of a person speaking or acting, after a name: "Lysander Quarrie presented", "CC advised",
# "KO to write to the Minister".
_REPORTING = (
    r"(?:said|asked|reported|explained|noted|confirmed|advised|agreed|stated|commented|suggested|"
    r"added|replied|responded|raised|welcomed|thanked|presented|introduced|highlighted|outlined|"
    r"updated|informed|queried|questioned|proposed|seconded|requested|undertook|offered|chaired|"
    r"opened|closed|gave|provided|briefed|expressed|emphasi[sz]ed|pointed|recommended|wondered|"
    r"felt|spoke|led|attended|sent|circulated|to\s+[a-z]{3,})\b"
)
_PERSON_AFTER = re.compile(rf"^(?:\s*\(\s*[A-Z][A-Za-z]{{1,3}}\s*\))?,?\s+{_REPORTING}")
# Verbs that only a person does, for naming people from the text: "Lysander Quarrie presented".
_SAID = (
    r"(?:\([A-Z][A-Za-z]{1,3}\)\s+)?(?:said|asked|reported|explained|noted|confirmed|advised|"
    r"agreed|stated|commented|suggested|added|replied|responded|raised|welcomed|thanked|"
    r"presented|introduced|highlighted|outlined|updated|informed|queried|questioned|proposed|"
    r"seconded|requested|undertook|offered|briefed|expressed|emphasi[sz]ed|pointed|recommended|"
    r"wondered|felt|spoke|chaired|provided|gave)\b"
)
_ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an|our|their|its|each|every)\s+$", re.IGNORECASE)
# Words before a name that make a person of it: "seconded by CC", "Action: KO".
_PERSON_BEFORE = re.compile(
    r"(?:\b(?:proposed|seconded|chaired)\s+by|\bACTIONS?\s*[:\-–]?|\bActions?\s*[:\-–])\s*$"
)
# "in Kilbrannan", "at Dunmore": the capitalised word after these is a place.
_PLACE = re.compile(
    rf"\b(?:in|at|near|around|within|across|throughout|outside)\s+({_NAME})(?![\w’'])"
)
# Headings of attendance lists, as the documents write them.
_LIST_HEAD = re.compile(
    r"^\W*(?:(?:members|those|officers|also)\s+)?(?:present|attendees|attendance|in\s+attendance|"
    r"attending|apologies(?:\s+for\s+absence)?|apologies\s+received|absent)\b",
    re.IGNORECASE,
)
_LIST_ENDS = re.compile(r"^\s*(?:\d{1,2}(?:\.\d+)*[.)]?|[a-h][.)])\s+\S")


def replaced_spans(original: str, pseudonymised: str) -> list[tuple[int, int]]:
    """Character spans of ``original`` that a pseudonym replaced in ``pseudonymised``.

    Compared word by word: a run of words that became a run holding a pseudonym ("Kevin Corrance"
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


def _bare(name: str) -> list[str]:
    """A written name's words without brackets, titles, honours or a territorial "of X":
    "Baroness Ashcombe of Lyndhurst MBE" -> ["Ashcombe"], "David Penrose/ICO" -> ["David",
    "Penrose"]."""
    text = re.sub(r"\([^)]*\)", " ", name).split("/")[0]
    words = text.split()
    while words and words[0].rstrip(".").lower() in _TITLES_LOWER:
        words.pop(0)
    if "of" in words[1:]:
        words = words[: words.index("of", 1)]
    while words and words[-1].strip(".,") in _HONOURS:
        words.pop()
    return words


_TITLES_LOWER = frozenset(t.lower() for t in [*_TITLE_WORDS, *TITLES])


def name_forms(names: Iterable[str]) -> list[str]:
    """Full names and surnames (three letters or more) of the people ``names`` lists.

    An alias naming a seat ("The Chair", "Chief Officer", "LPF Area Rep") is no name: minutes
    may show it, and it is not counted.
    """
    forms: set[str] = set()
    for name in names:
        words = _bare(name)
        if not words or any(w.lower() in _NOT_NAME_WORDS for w in words):
            continue
        if any(not w[:1].isupper() and w not in _PARTICLES for w in words):
            continue
        if len(words) == 1 and _INITIALS.fullmatch(words[0]):
            continue
        if len(words) >= 2:
            forms.add(" ".join(words))
        if len(words[-1]) > 2 and not words[-1].isupper():
            forms.add(words[-1])
    return sorted(forms, key=len, reverse=True)


def _in_longer_name(before: str, after: str, given: frozenset[str] = frozenset()) -> bool:
    """Whether a one-word name stands inside a longer proper noun: "Ardmore Community Hall",
    "Hall Hire", "Kilbrannan Primary School". A title, an initial or a given name before it
    is part of the person's name ("Mr K Hall", "Jo Mercer"), not a longer noun."""
    prev = re.search(r"([A-Za-z][\w'’.-]*)[ \t]+$", before)
    if prev:
        word = prev.group(1)
        # A title or an office before a name is no part of a longer noun ("Treasurer Morag").
        titled = word.rstrip(".").lower() in _TITLES_LOWER | _OFFICE_WORDS
        if _proper(word) and not titled and word.upper() not in given:
            return True
    nxt = re.match(r"(?:['’]s)?[ \t]+([A-Za-z][\w'’-]*)", after)
    # A function word after it starts the next sentence ("Robert Ainslie It was with ...").
    return bool(nxt and _proper(nxt.group(1)) and nxt.group(1).lower() not in _FUNCTION_WORDS)


_CALENDAR = _words(
    " ".join([*vocab.MONTHS, *vocab.WEEKDAYS, "christmas easter spring summer autumn winter"])
)
_FUNCTION_WORDS = _words(
    "the a an in on at of to for by and or with from as this that it he she they we there"
)
_OFFICE_WORDS = _words(
    """chair chairman chairwoman chairperson convenor convener vice secretary sec treasurer clerk
    officer director manager minister rep representative member leader councillor"""
)


def _proper(word: str) -> bool:
    """A capitalised word in lower case after its capital ("Hall", not "CC" nor "hall")."""
    return word[:1].isupper() and len(word) > 1 and any(c.islower() for c in word[1:])


def _occurrences(
    text: str, forms: Sequence[str], given: frozenset[str] = frozenset()
) -> list[tuple[int, int]]:
    """Where ``forms`` are written in ``text`` as a person's name: a one-word form inside a
    longer proper noun ("Hall" in "Village Hall") is another thing's name."""
    if not forms or not text:
        return []
    pattern = re.compile(r"(?<![\w’'])(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")
    out = []
    for m in pattern.finditer(text):
        one_word = " " not in m.group(0)
        if one_word and _in_longer_name(text[: m.start()], text[m.end() :], given):
            continue
        out.append((m.start(), m.end()))
    return out


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
            found = _occurrences(original, forms, known.given)
            for a, b in replaced_spans(original, pseudo):
                # An address or a number hidden beside a name is no name: judged without it.
                span = _without_contacts(original[a:b])
                if not span:
                    continue
                before, after = original[max(0, a - 60) : a], original[b : b + 60]
                where = str(u["source"])
                person = any(x < b and a < y for x, y in found) or known.person(
                    span, before, after, where
                )
                rows.append(
                    {
                        "source": u["source"],
                        "span": span,
                        "context": original[max(0, a - 30) : b + 30].replace("\n", " "),
                        "person": person,
                    }
                )
    return pd.DataFrame(rows, columns=["source", "span", "context", "person"])


def _without_contacts(span: str) -> str:
    """``span`` without the e-mail addresses and telephone numbers in it
    (:mod:`pipeline.pseudonymise.contacts` hides those whoever they belong to; they are not name
    replacements)."""
    hidden = contacts.hide(span)
    return re.sub(
        r"\s+", " ", hidden.replace(contacts.EMAIL_MARK, "").replace(contacts.PHONE_MARK, "")
    ).strip(" ,;:")


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
            for a, b in _occurrences(original, forms, known.given):
                total += 1
                hidden += any(x <= a and b <= y for x, y in spans)
    return hidden / total if total else None


# --------------------------------------------------------------------------- the whole run
_ROLE_ONLY = re.compile(
    r"^(?:the\s+|a\s+)?(?:chair|convenor|secretary|treasurer|clerk|cathaoirleach|officer|members?|"
    r"director|head|leader|cabinet|council|committee|panel|group|board|police|representative|"
    r"sec|area|portal|community|task|secretariat|all)\b",
    re.IGNORECASE,
)


def _census(*files: str) -> frozenset[str]:
    """Upper-case names from the census lists the ``names`` package carries."""
    try:
        import names as census
    except ImportError:  # pragma: no cover - a dev dependency
        return frozenset()
    folder = Path(census.__file__).parent
    out = set()
    for f in files:
        out |= {ln.split()[0] for ln in (folder / f).read_text().splitlines() if ln.strip()}
    return frozenset(out)


# Columns of gender-guesser's name dictionary (Jörg Michael's ``nam_dict.txt``) that hold a
# name's frequency in Great Britain and in Ireland.
_BRITISH_IRISH_COLUMNS = slice(30, 32)


def _british_irish() -> frozenset[str]:
    """Upper-case given names that ``gender-guesser``'s dictionary records in Great Britain or
    Ireland ("Ailsa", "Kieron", "Philippa", "Oonagh"), which the US census lists miss. The file is
    read where the package installed it, never copied: its licence (GNU FDL) binds copies."""
    try:
        import gender_guesser
    except ImportError:  # pragma: no cover - a dev dependency
        return frozenset()
    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    out = set()
    for line in path.read_text(encoding="iso-8859-1").splitlines():
        if line.startswith("#") or len(line) < 32 or not line[_BRITISH_IRISH_COLUMNS].strip():
            continue
        name = line[3:29].strip()
        # "+" joins the parts of a compound name ("Mary+Ann"); such entries are not one word.
        if name and "+" not in name and " " not in name:
            out.add(name.upper())
    return frozenset(out)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names (upper case): the census lists the ``names`` package carries, and the names
    recorded in Great Britain or Ireland by ``gender-guesser``'s dictionary."""
    return _census("dist.female.first", "dist.male.first") | _british_irish()


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Surnames (upper case, no apostrophes: "OHARA") from the same census lists."""
    return _census("dist.all.last")


@dataclass
class Known:
    """The people the evaluation knows of in one body, to judge replaced spans by.

    ``roster``: the names the roster lists (recall is measured on these); ``people``: those, the
    speakers the hand coders named and the people the body's documents name (:func:`evidence`);
    ``initials``: the roster's and those the documents define for a person; ``given``: given
    names from the census lists and every roster's forenames; ``surnames``: the census surnames;
    ``organisations``: acronyms the documents also use for an organisation ("the CC"), which
    count as a person only where the sentence says so; ``lower``: words the documents write in
    lower case at least as often as capitalised, so ordinary words and not names; ``local``:
    per document, the initials of the people it names in full, each of one of them.
    """

    roster: list[str]
    people: list[str]
    initials: set[str]
    given: frozenset[str]
    surnames: frozenset[str] = frozenset()
    organisations: set[str] = field(default_factory=set)
    lower: frozenset[str] = frozenset()
    local: dict[str, set[str]] = field(default_factory=dict)
    _memo: dict[tuple[str, int], Any] = field(default_factory=dict, repr=False, compare=False)

    def _cached(self, what: str, make: Callable[[], Any]) -> Any:
        """``make()`` once per size of ``people`` (people are only ever added)."""
        key = (what, len(self.people))
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def forms(self) -> list[str]:
        forms: list[str] = self._cached("forms", lambda: name_forms(self.people))
        return forms

    def forenames(self) -> set[str]:
        """First words of the full names of the people known here ("Elspeth" of "Elspeth Tait")."""
        found: set[str] = self._cached("forenames", self._forenames)
        return found

    def _forenames(self) -> set[str]:
        out = set()
        for name in self.people:
            words = _bare(name)
            if len(words) >= 2 and _NAME_WORD.fullmatch(words[0]):
                out.add(words[0])
            elif len(words) == 1 and _NAME_WORD.fullmatch(words[0]) and name in self.roster:
                out.add(words[0])  # the roster's one-word alias: "Elspeth", "Freddie"
        return out

    def surname_like(self, word: str, *, place: bool = True) -> bool:
        """A word that can end a person's name: no title, no word of minutes' furniture, and
        not a word the documents mostly write in lower case ("People", but "Rook" is Mrs Rook's
        where the documents write it capitalised). ``place``: a word that also ends places'
        names ("Hall") may be one (then the documents must have said who)."""
        low = word.lower()
        if not _NAME_WORD.fullmatch(word) or low in _NOT_NAME_WORDS or low in _TITLES_LOWER:
            return False
        if not place and low in _PLACE_WORDS:
            return False
        return low not in self.lower

    def person(self, span: str, before: str = "", after: str = "", source: str = "") -> bool:
        """Whether a replaced ``span`` is a person's name, read with the text ``before`` and
        ``after`` it in the document ``source``: a title, initials of a person, or a given name
        and a surname."""
        span = re.sub(r"['’]s$", "", span.strip())
        if _TITLED.match(span) or _TITLE_BEFORE.search(before):
            return True
        parts = [p for p in re.split(r"\s*(?:/|,|&|\band\b|\s)\s*", span) if p]
        if parts and all(_INITIALS.fullmatch(p) for p in parts):
            listed = len(parts) > 1  # "AB/CC/DE": a list of people's initials
            return all(self._initials(p, before, after, listed, source) for p in parts)
        # "C Tully reported", "a letter to D Venn": initials and a surname.
        initialled = re.fullmatch(rf"((?:[A-Z]\.\s*|(?![AI]\s)[A-Z]\s+){{1,3}})({_NAME})", span)
        if initialled:
            surname = initialled.group(2)
            # A census surname after an initial has a name's shape ("J Urquhart", "D Venn").
            census = re.sub(r"['’\-]", "", surname).upper() in self.surnames
            known = surname in self.forms() or bool(_PERSON_AFTER.match(after))
            return (known and self.surname_like(surname)) or (
                census and self.surname_like(surname, place=False)
            )
        words = span.split()
        if not words or not all(_NAME_WORD.fullmatch(w) for w in words):
            return False
        if any(w.lower() in _NOT_NAME_WORDS for w in words):
            return False
        first = words[0]
        forename = first in self.forenames() or (
            first.upper() in self.given and first.lower() not in _CALENDAR
        )
        own = re.match(r"\s*\(\s*([A-Z][A-Za-z]{1,3})\s*\)", after)
        if len(words) >= 2 and own and _abbreviates(own.group(1), words):
            return True  # "Jo Mercer (JM)": a name with the initials the minutes give it
        surnames = {f for f in self.forms() if " " not in f}
        if len(words) == 2 and words[-1] in surnames and first.lower() not in self.lower:
            return True  # "Anand Rao" where the documents name Dr Rao
        if len(words) == 1:
            nxt = re.match(r"[ \t]+([A-Za-z][\w'’-]*)", after)
            if forename and nxt and self.surname_like(nxt.group(1), place=False):
                return True  # "Neil" of "Neil Ashby": a word of a person's name
            if _in_longer_name(before, after, self.given):
                return False
            return first in self.forenames() or (forename and bool(_PERSON_AFTER.match(after)))
        if forename and self.surname_like(words[-1], place=False):
            return True
        # "Bethan Young": a census given name and a census surname, though "young" is a word.
        last = words[-1]
        return (
            len(words) == 2
            and first.upper() in self.given
            and first.lower() not in _CALENDAR
            and re.sub(r"['’\-]", "", last).upper() in self.surnames
            and last.lower() not in _PLACE_WORDS
        )

    def _initials(
        self, initials: str, before: str, after: str, listed: bool, source: str = ""
    ) -> bool:
        said = bool(
            _PERSON_AFTER.match(after) or _PERSON_BEFORE.search(before)
        ) and not _ARTICLE_BEFORE.search(before)
        # "DS, MB, AL and SC": beside another person's initials.
        prev = re.search(r"\b([A-Z][A-Za-z]?[A-Z][A-Za-z]?)\s*(?:/|,|&|\band\b)\s*$", before)
        nxt = re.match(r"\s*(?:/|,|&|\band\b)\s*([A-Z][A-Za-z]?[A-Z][A-Za-z]?)\b", after)
        people = self.initials | self.implied()
        listed = listed or any(m is not None and m.group(1) in people for m in (prev, nxt))
        if initials in self.initials:
            # "CC advised" is Callum Cowie; "the CC agreed" is the Community Council.
            return initials not in self.organisations or listed or said
        if initials not in self.implied() and initials not in self.local.get(source, set()):
            return False
        # Initials of a person the documents name, which they then use without saying so
        # ("Alex Treharne" in the list, "AT to follow up" below): not where they start a longer
        # name ("VE Day Event", "HM Treasury").
        nxt = re.match(r"[ \t]+([A-Za-z][\w'’-]*)", after)
        inside = (
            nxt is not None
            and _proper(nxt.group(1))
            and nxt.group(1).lower() not in (_OFFICE_WORDS | _FUNCTION_WORDS)
        )
        if initials in self.organisations:
            return said or listed
        return listed or not inside

    def implied(self) -> set[str]:
        """Initials of the full names of the people known here, each of one person only."""
        found: set[str] = self._cached("implied", self._implied)
        return found

    def _implied(self) -> set[str]:
        owners: dict[str, set[str]] = {}
        for name in self.forms():
            words = re.split(r"[\s\-]+", name)  # "Anna Lowther-Brown": ALB
            if len(words) >= 2 and all(w[:1].isupper() for w in words):
                owners.setdefault("".join(w[0] for w in words), set()).add(words[-1])
        return {i for i, surnames in owners.items() if len(surnames) == 1}


@dataclass
class Evidence:
    """What a body's own documents say of who is a person (:func:`evidence`)."""

    people: set[str] = field(default_factory=set)
    initials: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)
    lower: frozenset[str] = frozenset()


def evidence(texts: Sequence[str], judge: Known) -> Evidence:
    """People, initials and organisations as the documents write them.

    A person: a name after a title ("Dr Tiernan O’Farrell"), the subject of "said", "presented" and
    the like ("Lysander Quarrie presented"), or an entry of an attendance list ("Present: | Kenny
    Tolmie | KT"). Initials: written beside the name of a person they abbreviate ("Paul Cadwallader
    (PC)", "John Selwood | JS"). An organisation's acronym: written beside the organisation's
    name ("Kilbrannan Community Council (GCC)"), after "the" or after an office ("Member CC").
    """
    out = Evidence()
    # Pages of HTML minutes keep their markup: a paragraph or a cell is a line.
    texts = [
        re.sub(r"<[^>]*>", " ", re.sub(r"</?(?:p|li|br|div|tr|td|h\d)\b[^>]*>", "\n", t))
        for t in texts
    ]
    words = Counter(w for t in texts for w in re.findall(r"(?<![\w’'])[A-Za-z][a-z’'\-]+", t))
    lower = {w for w, n in words.items() if w.islower() and n >= words[w.capitalize()]}
    out.lower = frozenset(lower)
    judge.lower = out.lower
    places = {m.group(1) for t in texts for m in _PLACE.finditer(t)}

    def first_like(word: str) -> bool:
        """A given name, or a proper noun: not a word the documents mostly write in lower case."""
        return (
            word.lower() not in _NOT_NAME_WORDS | _PLACE_WORDS | _TITLES_LOWER
            and word not in places
            and (word.upper() in judge.given or word.lower() not in lower)
        )

    def name_like(first: str, last: str) -> bool:
        return first_like(first) and last not in places and judge.surname_like(last)

    def given(word: str) -> bool:
        return word.upper() in judge.given or word in judge.forenames()

    for text in texts:
        for m in re.finditer(
            rf"(?<![\w.])(?:{_TITLE}\s+)+(?:[A-Z]\.?\s+){{0,3}}({_NAME})(?:\s+({_NAME}))?", text
        ):
            first, last = m.group(1), m.group(2)
            # "Mr Venn Abstain", "Ms Tully Motion": after a title and a surname, the next
            # capitalised word is the name's only if the first is a given name ("Mrs Trudy
            # Venn") or the next a census surname that is no ordinary word here ("O’Farrell").
            plain = re.sub(r"['’\-]", "", last or "").upper()
            full = last and (
                given(first) or (plain in judge.surnames and last.lower() not in lower)
            )
            if full and name_like(first, last):
                out.people.add(f"{first} {last}")
            elif first_like(first) and judge.surname_like(first, place=False):
                out.people.add(first)  # "Mrs Duncan": the surname alone
        for m in re.finditer(rf"(?<![\w’'])({_NAME})\s+({_NAME})(?=,?\s+{_SAID})", text):
            prev = re.search(r"([A-Za-z&][\w'’.-]*)[ \t]+$", text[: m.start()])
            # Not the end of a longer name ("Minister of State for Housing and Local Government").
            inside = prev is not None and (
                _proper(prev.group(1)) or prev.group(1) in ("of", "and", "&", "for")
            )
            if not inside and name_like(m.group(1), m.group(2)):
                out.people.add(f"{m.group(1)} {m.group(2)}")
        for entry in _list_entries(text):
            listed = re.match(rf"(?:{_TITLE}\s+)?({_NAME})\s+({_NAME})(?![\w’'])", entry)
            if listed is None:
                continue
            first, last = listed.group(1), listed.group(2)
            # Lists hold organisations too ("Will Gannet | Western News"): a given name first,
            # or what lists say of a person after the name: an office, their initials, their
            # organisation in brackets ("Kirsty Ferrier Member CC", "Anoush Mirzakhani (AM)",
            # "Rohit Sethi (No 10)").
            rest = entry[listed.end() :].split()
            described = bool(rest) and (
                rest[0].strip("(),").lower() in _OFFICE_WORDS or rest[0].startswith("(")
            )
            if (
                (given(first) or described)
                and name_like(first, last)
                and judge.surname_like(last, place=False)
            ):
                out.people.add(f"{first} {last}")
    known = set(judge.forms()) | {p for p in out.people if " " in p}
    offices = r"Member|Secretary|Treasurer|Convenor|Convener|Chair|Councillor|Clerk"
    used = Counter(
        m.group(1)
        for text in texts
        for m in re.finditer(rf"\b(?:[Tt]he|{offices})\s+([A-Z]{{2,6}})\b(?!\s*\))", text)
    )
    for text in texts:
        _defined_initials(text, known, judge, out)
    # Twice at least: "the RB" once is a table's columns run together, not the RB.
    out.organisations |= {a for a, n in used.items() if n >= 2}
    return out


def _list_entries(text: str) -> list[str]:
    """The entries of the attendance lists in a page: each cell or comma-separated piece of
    the lines from a heading ("Present:", "Apologies") to the next agenda item or sentence."""
    entries: list[str] = []
    inside = 0
    for line in text.splitlines():
        head = _LIST_HEAD.match(line)
        if head:
            inside = 40
            line = line[head.end() :]
        elif inside and (_LIST_ENDS.match(line) or line.rstrip().endswith(".")):
            inside = 0
        if not inside:
            continue
        inside -= 1
        for piece in re.split(r"\s*(?:\||;|,|\t|\s[–—-]\s|:)\s*", line):
            piece = piece.strip(" •*-–")
            if piece:
                entries.append(piece)
    return entries


def _defined_initials(text: str, known: set[str], judge: Known, out: Evidence) -> None:
    """Initials written beside the words they abbreviate: "Paul Cadwallader (PC)", "John Selwood |
    JS", "Kenny Tolmie KT", "Kilbrannan Community Council (KCC)"."""
    pattern = re.compile(
        rf"({_NAME}(?:\s+(?:of|and|&|for|the|{'|'.join(_PARTICLES)}))?"
        rf"(?:\s+{_NAME}(?:\s+(?:of|and|&|for|the))?){{1,6}})"
        # "Paul Cadwallader (PC)", "Joan Venn (SBC) | JV", "John Selwood | JS", "Kenny Tolmie KT"
        r"(?:\s*\(\s*([^()|]{1,40}?)\s*\))?(?:\s*\(\s*([^()|]{1,40}?)\s*\))?"
        r"(?:\s*\|\s*([A-Z][A-Za-z]{1,3})(?=\s*(?:\||$))"
        r"|[ \t]([A-Z]{2,4})(?=[ \t]*(?:$|\|)|[ \t]+[A-Z][a-z]))?",
        re.MULTILINE,
    )
    for m in pattern.finditer(text):
        candidates = [g for g in m.groups()[1:] if g and re.fullmatch(r"[A-Z][A-Za-z]{1,5}", g)]
        words = m.group(1).split()
        for n in range(min(len(words), 7), 1, -1):
            tail = words[-n:]
            initials = next((c for c in candidates if _abbreviates(c, tail)), None)
            if initials is None:
                continue
            phrase = " ".join(tail)
            names = [w for w in tail if w[:1].isupper()]
            person = phrase in known or (
                len(names) in (2, 3)
                and len(names) == len(tail) - sum(w in _PARTICLES for w in tail)
                and (names[0] in judge.forenames() or names[0].upper() in judge.given)
                and judge.surname_like(names[-1])
            )
            if person:
                out.initials.add(initials)
            elif any(w.lower() in _NOT_NAME_WORDS for w in tail) or len(names) > 3:
                out.organisations.add(initials)
            break


def _abbreviates(initials: str, words: list[str]) -> bool:
    """ "PC" of Paul Cadwallader, "GSc" of Greta Schenk, "AvR" of Anna von Richter, "KCC" of
    Kilbrannan Community Council (small words skipped)."""
    capitals = [w for w in words if w[:1].isupper()]
    if len(capitals) < 2 or not _INITIALS.fullmatch(initials):
        return False
    full = "".join(w[0] for w in words if w[:1].isupper() or w in _PARTICLES)
    if initials.upper() == full.upper() or initials == "".join(w[0] for w in capitals):
        return True
    # First initial, then the surname's first letters: "GSc", "MCa", "JTe".
    rest = initials[1:]
    return (
        initials[0] == capitals[0][0]
        and len(rest) >= 2
        and capitals[-1].lower().startswith(rest.lower())
    )


def known_people(
    board: Board | None,
    gold_units: pd.DataFrame,
    given: Iterable[str],
    texts: Sequence[str] = (),
    sources: Sequence[str] = (),
) -> Known:
    """Who the judge knows of in one body: its roster, the speakers its hand coders named, and
    what its documents ``texts`` (pages of the documents ``sources``) say of people and
    organisations (:func:`evidence`)."""
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
    judge = Known(roster, list(roster), initials, given_set, surnames())
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
    if texts:
        found = evidence(texts, judge)
        judge.people += sorted(found.people)
        judge.initials |= found.initials
        judge.organisations |= found.organisations
        judge.local = _local_initials(texts, sources, judge)
    return judge


def _local_initials(
    texts: Sequence[str], sources: Sequence[str], judge: Known
) -> dict[str, set[str]]:
    """Per document, the initials of the people it names in full, where one of them has
    them: minutes use the initials of their own attendance list ("Morag Tully" in the
    list, "MT reported" below), whoever else another meeting had."""
    pages: dict[str, list[str]] = {}
    for source, text in zip(sources, texts, strict=False):
        pages.setdefault(source, []).append(text)
    names = [f for f in judge.forms() if len(f.split()) >= 2]
    out: dict[str, set[str]] = {}
    for source, parts in pages.items():
        text = "\n".join(parts)
        owners: dict[str, set[str]] = {}
        for name in names:
            if re.search(rf"(?<![\w’']){re.escape(name)}(?![\w’'])", text):
                words = re.split(r"[\s\-]+", name)
                owners.setdefault("".join(w[0] for w in words), set()).add(words[-1])
        out[source] = {i for i, surnames in owners.items() if len(surnames) == 1}
    return out


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
        known: Known | None = None
        for mode in MODES:
            if mode == "roster" and board is None:
                continue
            if progress is not None:
                progress(f"{body} ({'with' if mode == 'roster' else 'without'} roster)")
            reading = read_body(bodies_dir / body, board if mode == "roster" else None, workers)
            if known is None:  # the same documents in both readings
                known = known_people(board, g_units, given, reading.texts, reading.sources)
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
