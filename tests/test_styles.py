"""The five minute styles of issue 4, analysed end to end, against their hand-made files.

Each style's ``files/`` is analysed once per module (``involve analyse`` without embeddings), with
its board.yaml and without it, and compared with ``attendance.csv``, ``attendance_people.csv``,
``gold.csv`` and ``people.csv`` under tests/fixtures/styles/ (see its README). Every expected
value is read from those files; none comes from an earlier run. Quality figures (kappa, F1) are
for ``make styles-eval``; these tests hold the structural facts exactly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from styles_eval import VARIANTS, Run, Variant, analyse, expected_flags, match_gold, person_key

from pipeline.core import config
from pipeline.pseudonymise.people import initials_of

# Every test reads the module's analyses of ten style corpora (40 s): the full suite only.
pytestmark = pytest.mark.slow

BOARD_VARIANTS = [v for v in VARIANTS if v.has_board]
PSEUDONYM = re.compile(r"^(?:Service user|Carer|Lay member|Member|Officer|Chair) \d+$")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Run]:
    """Every variant analysed with its board file (where it has one) and without."""
    out: dict[tuple[str, bool], Run] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INVOLVE_CACHE_DIR", str(tmp_path_factory.mktemp("styles-cache")))
        for v in VARIANTS:
            for with_board in (True, False) if v.has_board else (False,):
                where = tmp_path_factory.mktemp(f"{v.name}-{'board' if with_board else 'bare'}")
                out[(v.name, with_board)] = analyse(v, where, with_board=with_board)
    return out


def _cases(*, board_only: bool = False) -> list[object]:
    cases = []
    for v in VARIANTS:
        for with_board in (True, False) if v.has_board else (False,):
            if board_only and not with_board:
                continue
            label = f"{v.name}-{'board' if with_board else 'no-board'}"
            cases.append(pytest.param(v, with_board, id=label))
    return cases


def _base(source: str) -> str:
    return Path(source).name


def _expected_counts(v: Variant) -> pd.DataFrame:
    path = v.root / "attendance.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df[df["source"].map(v.in_variant)]


def _expected_people(v: Variant) -> pd.DataFrame:
    path = v.root / "attendance_people.csv"
    if not path.exists():
        return pd.DataFrame(columns=["source", "meeting_date", "person", "status", "role"])
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return df[df["source"].map(v.in_variant)]


def _meeting(run: Run, source: str) -> pd.Series:
    rows = run.meetings[run.meetings["source"].map(_base) == _base(source)]
    assert len(rows) == 1, f"{source}: expected one meeting, found {len(rows)}"
    return rows.iloc[0]


# --------------------------------------------------------------------------- attendance
@pytest.mark.parametrize(("variant", "with_board"), _cases())
def test_meeting_counts_equal_the_hand_counts(runs, variant: Variant, with_board: bool) -> None:
    run = runs[(variant.name, with_board)]
    expected = _expected_counts(variant)
    assert len(run.meetings) == len(expected)
    for row in expected.to_dict("records"):
        got = _meeting(run, row["source"])
        assert str(got["meeting_date"])[:10] == row["meeting_date"]
        if row["members_present"] == "":  # no list to count
            assert not got["has_attendance"]
            continue
        assert got["has_attendance"]
        counts = {c: int(got[c]) for c in ("members_present", "lay_present")}
        counts |= {c: int(got[c]) for c in ("apologies", "in_attendance")}
        want = {c: int(row[c]) for c in counts}
        assert counts == want, row["source"]
        assert bool(got["lay_standard_met"]) == (want["lay_present"] >= config.PRESENCE_STANDARD)


@pytest.mark.parametrize(("variant", "with_board"), _cases())
def test_one_attendance_row_per_person_with_their_status(
    runs, variant: Variant, with_board: bool
) -> None:
    run = runs[(variant.name, with_board)]
    for date, want in _expected_people(variant).groupby("meeting_date"):
        got = run.attendance[run.attendance["meeting_date"].astype(str).str[:10] == date]
        names = [person_key(n) for n in got["person"]]
        assert len(names) == len(set(names)), f"{date}: someone listed twice was kept twice"
        if not with_board:
            # Without a board file, someone listed only by initials ("SM") is known only so.
            full = {initials_of(p).lower(): person_key(p) for p in want["person"]}
            names = [full.get(n, n) if len(n) <= 4 else n for n in names]
        assert dict(zip(names, got["status"], strict=True)) == {
            person_key(p): s for p, s in zip(want["person"], want["status"], strict=True)
        }


@pytest.mark.parametrize(("variant", "with_board"), _cases(board_only=True))
def test_roles_at_each_meeting_follow_the_board_file(
    runs, variant: Variant, with_board: bool
) -> None:
    run = runs[(variant.name, with_board)]
    for date, want in _expected_people(variant).groupby("meeting_date"):
        got = run.attendance[run.attendance["meeting_date"].astype(str).str[:10] == date]
        assert dict(zip(got["person"].map(person_key), got["role"], strict=True)) == {
            person_key(p): r for p, r in zip(want["person"], want["role"], strict=True)
        }


@pytest.mark.parametrize(("variant", "with_board"), _cases())
def test_the_chair_is_identified(runs, variant: Variant, with_board: bool) -> None:
    """The person chairing each meeting, an acting chair "in the Chair" included."""
    run = runs[(variant.name, with_board)]
    for date, want in _expected_people(variant).groupby("meeting_date"):
        chair = want[(want["role"] == "chair") & (want["status"] == "present")]["person"]
        got = run.attendance[
            (run.attendance["meeting_date"].astype(str).str[:10] == date)
            & (run.attendance["status"] == "present")
            & (run.attendance["role"] == "chair")
        ]["person"]
        assert sorted(map(person_key, got)) == sorted(map(person_key, chair))


# --------------------------------------------------------------------------- units
def _joined(run: Run) -> pd.DataFrame:
    return match_gold(run)


@pytest.mark.parametrize(("variant", "with_board"), _cases())
def test_every_gold_unit_is_a_unit(runs, variant: Variant, with_board: bool) -> None:
    joined = _joined(runs[(variant.name, with_board)])
    missing = joined.loc[~joined["matched"], "text"].tolist()
    assert not missing


@pytest.mark.parametrize(("variant", "with_board"), _cases())
def test_speaker_roles_agree_with_the_gold(runs, variant: Variant, with_board: bool) -> None:
    joined = _joined(runs[(variant.name, with_board)])
    ok = joined[joined["matched"]]
    wrong = ok[ok["speaker_role"] != ok["pred_speaker_role"]]
    assert wrong[["speaker_role", "pred_speaker_role", "text"]].to_dict("records") == []


@pytest.mark.parametrize(("variant", "with_board"), _cases())
def test_item_numbers_agree_with_the_gold(runs, variant: Variant, with_board: bool) -> None:
    joined = _joined(runs[(variant.name, with_board)])
    ok = joined[joined["matched"]]
    wrong = ok[ok["item_no"] != ok["pred_item_no"]]
    assert wrong[["item_no", "pred_item_no", "text"]].to_dict("records") == []


@pytest.mark.parametrize(("variant", "with_board"), _cases())
def test_every_unit_has_an_item_title_when_it_has_an_item(
    runs, variant: Variant, with_board: bool
) -> None:
    seg = runs[(variant.name, with_board)].segments
    numbered = seg[seg["item_no"] != ""]
    assert (numbered["item_title"].str.len() > 0).all()


@pytest.mark.parametrize(("variant", "with_board"), _cases())
def test_marked_actions_and_decisions_are_flagged(runs, variant: Variant, with_board: bool) -> None:
    """ "ACTION: JS", "XX to ...", "RESOLVED", "X agreed", "Proposed: ... Seconded: ..."."""
    joined = _joined(runs[(variant.name, with_board)])
    ok = joined[joined["matched"]]
    for row in ok.to_dict("records"):
        action, decision = expected_flags(row["text"])
        if action:
            assert row["is_action"], row["text"]
        if decision:
            assert row["is_decision"], row["text"]
        if row["is_action"]:  # an action flag only where the coder saw an action
            assert row["focus"] == "action", row["text"]


@pytest.mark.parametrize(("variant", "with_board"), _cases(board_only=True))
def test_actions_go_to_the_person_with_those_initials(
    runs, variant: Variant, with_board: bool
) -> None:
    run = runs[(variant.name, with_board)]
    board = yaml.safe_load(variant.board_file.read_text(encoding="utf-8"))
    by_initials = {
        str(m.get("initials") or initials_of(m["name"])): person_key(m["name"])
        for m in board["members"]
    }
    checked = 0
    joined = _joined(run)
    for row in joined[joined["matched"]].to_dict("records"):
        text = row["text"]
        m = re.search(r"ACTION:\s*([A-Z]{2,4})\s*$", text) or re.match(r"([A-Z]{2,4}) to ", text)
        if m is None or m.group(1) not in by_initials:
            continue
        assert row["is_action"], text
        assert person_key(run.names[row["owner_id"]]) == by_initials[m.group(1)], text
        checked += 1
    if variant.style in ("nhs-trust", "clinical-network"):
        assert checked >= 5


# --------------------------------------------------------------------------- privacy
def _listed_forms(variant: Variant) -> set[str]:
    """Every listed name as written with and without title, with either apostrophe."""
    people = pd.read_csv(variant.root / "people.csv", dtype=str, keep_default_na=False)
    names = set(people.loc[people["listed"] == "yes", "name"])
    if variant.has_board:
        board = yaml.safe_load(variant.board_file.read_text(encoding="utf-8"))
        for m in board["members"]:
            names |= {str(m["name"]), *(str(a) for a in m.get("aliases", []) or [])}
    forms = set()
    for name in names:
        bare = re.sub(r"^(?:(?:Mr|Mrs|Ms|Dr|Prof|Cllr)\.?\s+)+", "", name)
        for n in (name, bare):
            forms |= {n, n.replace("'", "’"), n.replace("’", "'")}
    return forms


def _output_texts(out: Path) -> dict[str, str]:
    """The text of every file under ``out``: tables decoded, the DuckDB file queried."""
    texts: dict[str, str] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        if path.suffix == ".parquet":
            texts[rel] = pd.read_parquet(path).to_csv(index=False)
        elif path.suffix == ".duckdb":
            con = duckdb.connect(str(path), read_only=True)
            try:
                tables = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
                texts[rel] = "\n".join(
                    con.execute(f'SELECT * FROM "{t}"').df().to_csv(index=False) for t in tables
                )
            finally:
                con.close()
        else:
            texts[rel] = path.read_bytes().decode("utf-8", errors="replace")
    return texts


@pytest.mark.parametrize(("variant", "with_board"), _cases())
def test_no_listed_name_appears_in_any_output(runs, variant: Variant, with_board: bool) -> None:
    run = runs[(variant.name, with_board)]
    texts = _output_texts(run.out)
    assert {"manifest.json", "involvement.duckdb", "report/index.html"} <= set(texts)
    found = [
        (rel, form)
        for form in _listed_forms(variant)
        for rel, text in texts.items()
        if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text)
    ]
    assert found == []


@pytest.mark.parametrize(("variant", "with_board"), _cases())
def test_pseudonyms_are_role_and_number_and_one_per_person(
    runs, variant: Variant, with_board: bool
) -> None:
    run = runs[(variant.name, with_board)]
    ids = set(run.attendance["person_id"]) | set(run.segments["speaker_id"]) - {""}
    assert all(PSEUDONYM.match(p) for p in ids), ids
    real = [person_key(run.names[p]) for p in run.names if PSEUDONYM.match(p)]
    assert len(real) == len(set(real)), "one person has two pseudonyms"
    key = json.loads((run.out.parent / "names-key.json").read_text(encoding="utf-8"))
    assert not any(run.out in p.parents for p in [run.out.parent / "names-key.json"])
    assert key == run.names
