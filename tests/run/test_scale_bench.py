"""The scale benchmark (`make bench-scale`) on a tiny corpus, so that it cannot rot unnoticed.

The benchmark itself is not a test and stays out of `make test`: this runs its corpus generator
and the arithmetic of its table, not `involve analyse` at any size.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

from pipeline.core import config, io

BENCH = Path(__file__).resolve().parents[2] / "bench" / "scale_bench.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scale_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".json")


@pytest.mark.slow  # generates PDFs, Word files and a scan twice
def test_the_corpus_is_reproducible_mixed_and_not_generated_twice(
    bench: ModuleType, tmp_path: Path
) -> None:
    made = bench.generate_corpus(tmp_path / "a", 6, seed=7)
    files = [p for p in _documents(tmp_path / "a") if p.name != config.BOARD_FILE]
    assert len(files) == 6 and made["formats"]["scan"] == 1
    assert {p.suffix for p in files} >= {".pdf", ".docx"}
    stamp = files[0].stat().st_mtime_ns
    bench.generate_corpus(tmp_path / "a", 6, seed=7)
    assert files[0].stat().st_mtime_ns == stamp  # already there: not generated again
    bench.generate_corpus(tmp_path / "b", 6, seed=7)
    again = _documents(tmp_path / "b")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in _documents(tmp_path / "a")]


def test_the_roster_is_a_board_file_with_every_kind_of_member(
    bench: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / config.BOARD_FILE
    path.write_text(bench.board_yaml(bench.make_roster(random.Random(3))), encoding="utf-8")
    board = io.load_board(tmp_path, None)
    assert board is not None
    roles = {m.role for m in board.members}
    assert roles >= {"chair", "member", "officer", "service_user", "carer", "lay"}


def test_minutes_have_attendance_lay_voices_actions_and_decisions(bench: ModuleType) -> None:
    rng = random.Random(11)
    roster = bench.make_roster(rng)
    threads: list[object] = []
    days = bench.meeting_dates(40, rng)
    texts = [
        bench.minutes_source(i, day, roster, rng, threads, "pdf") for i, day in enumerate(days)
    ]
    assert all("Apologies" in t and "present" in t.lower() for t in texts)
    joined = "\n".join(texts)
    for form in ("Action: ", "ACTION: ", "RESOLVED: ", "Agreed: ", "at the last meeting"):
        assert form in joined, form
    # Some meeting hears a service user or carer who serves on its day, by name or initials.
    lay = [p for p in roster if p.role in ("service_user", "carer")]
    heard = [
        t
        for t, day in zip(texts, days, strict=True)
        if any(
            p.serves(day) and (f"{p.formal} said" in t or f"{p.initials} said" in t) for p in lay
        )
    ]
    assert heard
    assert days == sorted(set(days)) and all(d.weekday() < 5 for d in days)
    assert days[0] >= dt.date(2000, 1, 1) and days[-1] <= dt.date(2025, 12, 31)


def test_the_table_says_which_stages_cost_more_per_meeting_as_n_grows(
    bench: ModuleType,
) -> None:
    def run(n: int, flat: float, grows: float) -> object:
        stages = [
            {"stage": "Reading minutes", "wall_s": flat * n, "cpu_s": flat * n, "peak_rss_mb": 500},
            {"stage": "Linking uptake", "wall_s": grows, "cpu_s": grows, "peak_rss_mb": 600},
        ]
        return bench.Run(
            n, flat * n + grows, flat * n + grows, 600, (1, 1, 1), (1, 1, 1), stages, 0, n
        )

    fig = bench.figures([run(300, 0.1, 90.0), run(100, 0.1, 10.0)])
    assert fig["sizes"] == [100, 300]
    assert fig["stages"]["Reading minutes"]["cpu_per_meeting_ratio"] == 1.0
    assert fig["stages"]["Linking uptake"]["cpu_per_meeting_ratio"] == 3.0
    assert bench.growing(fig) == ["Linking uptake"]
    table = bench.markdown(fig)
    assert "| Linking uptake |" in table and "3.00" in table and "**Total**" in table


def test_one_meeting_added_is_reported_by_stage_beside_the_cold_runs(bench: ModuleType) -> None:
    def run(n: int, reading: float, writing: float) -> object:
        stages = [
            {"stage": "Reading minutes", "wall_s": reading, "cpu_s": reading, "peak_rss_mb": 5},
            {"stage": "Writing", "wall_s": writing, "cpu_s": writing, "peak_rss_mb": 5},
        ]
        total = reading + writing
        return bench.Run(n, total, total, 9, (1, 1, 1), (1, 1, 1), stages, 0, n)

    fig = bench.figures([run(100, 30, 10), run(300, 90, 30)], [run(300, 3, 12), run(100, 1, 8)])
    assert [r["n"] for r in fig["added"]] == [100, 300]
    table = bench.markdown(fig)
    assert "| one meeting added | to N=100: wall s | CPU s | to N=300: wall s | CPU s |" in table
    assert "| Reading minutes | 1.0 | 1.0 | 3.0 | 3.0 |" in table
    assert "| **Total** | 9.0 | 9.0 | 15.0 | 15.0 |" in table


@pytest.mark.slow  # generates PDFs, Word files and a scan
def test_the_meeting_added_comes_after_the_others_and_leaves_the_corpus_alone(
    bench: ModuleType, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    bench.generate_corpus(corpus, 4, seed=7)
    before = {p.relative_to(corpus): p.read_bytes() for p in _documents(corpus)}
    new = bench.add_meeting(corpus, tmp_path / "plus", seed=7)
    assert {p.relative_to(corpus): p.read_bytes() for p in _documents(corpus)} == before
    after = {p.relative_to(tmp_path / "plus") for p in _documents(tmp_path / "plus")}
    assert after - set(before) == {new.relative_to(tmp_path / "plus")}
    last = max(p.name[:10] for p in before if p.name != config.BOARD_FILE)
    assert new.suffix == ".pdf" and new.name[:10] > last
