"""Stage timings: every run records what each stage cost in manifest.json and prints it.

A user whose run is slow needs to see where the time went, and a benchmark over many runs needs
the same figures in a file; no figure here is compared with a speed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.run import outputs
from pipeline.run.stagetimes import StageClock, StageTiming, stage_name

runner = CliRunner()

STAGES = [
    "Hashing documents",
    "Loading the analysis code",
    "Extracting text",
    "Reading minutes",
    "Pseudonymising and preprocessing",
    "Loading the sentence model",
    "Coding themes and focus",
    "Linking uptake",
    "Measuring",
    "Finding emergent topics",
    "Writing tables, charts and report",
]


class _Quiet:
    def stage(self, name: str, total: int | None = None) -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def note(self, message: str) -> None: ...


@pytest.mark.slow  # analyses a corpus twice
def test_a_run_records_one_timing_per_stage_and_prints_them(
    tmp_path: Path, fixtures_dir: Path
) -> None:
    corpus = tmp_path / "forum"
    corpus.mkdir()
    for name in ("mini-minutes.pdf", "mini-minutes.docx"):
        shutil.copy(fixtures_dir / name, corpus)
    out = tmp_path / "out"
    args = ["analyse", str(corpus), "--out", str(out), "--no-embeddings", "--workers", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output

    recorded = json.loads((out / outputs.MANIFEST).read_text())["stages"]
    assert [s["stage"] for s in recorded] == STAGES
    for s in recorded:
        assert s["wall_s"] >= 0 and s["cpu_s"] >= 0 and s["peak_rss_mb"] > 0, s
    manifest = outputs.read_manifest(out)
    assert manifest is not None and [t.stage for t in manifest.stages] == STAGES

    printed = result.output.splitlines()
    header = next(i for i, line in enumerate(printed) if line.startswith("Stage "))
    assert "wall s" in printed[header] and "CPU s" in printed[header]
    assert "peak RSS MB" in printed[header]
    for line, stage in zip(printed[header + 1 :], recorded, strict=False):
        assert line.startswith(stage["stage"])
        assert f"{stage['wall_s']:.1f}" in line and f"{stage['cpu_s']:.1f}" in line

    # Nothing to do is a run too: its summary says what checking that cost.
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "Up to date" in again.output
    assert any(line.startswith("Hashing documents") for line in again.output.splitlines())


def test_cpu_of_child_processes_is_charged_to_the_stage_they_ran_in() -> None:
    clock = StageClock(_Quiet())
    clock.stage("Idle")
    clock.stage("Reading in a worker (3 to read)")
    # The parent only waits; the child's CPU is what the stage cost.
    subprocess.run([sys.executable, "-c", "sum(i * i for i in range(3_000_000))"], check=True)
    idle, worker = clock.finish()
    assert worker.stage == "Reading in a worker"
    assert worker.cpu_s >= 0.05
    assert idle.cpu_s < worker.cpu_s


def test_work_done_elsewhere_is_charged_to_the_stage_it_was_done_in() -> None:
    """A Dask cluster's workers outlive the stages: what they report is added stage by stage."""
    reported: list[tuple[float, float] | None] = [(10.0, 500.0)]
    clock = StageClock(_Quiet())
    clock.stage("Before the cluster")
    clock.count_elsewhere(lambda: reported[0])
    clock.stage("Embedding on the cluster")
    reported[0] = (25.5, 800.0)  # 15.5 s of the workers' CPU, and a new high-water mark
    clock.stage("A worker left")
    reported[0] = (20.0, 800.0)
    clock.stage("No answer")
    reported[0] = None
    clock.count_elsewhere(None)
    clock.stage("After the cluster")
    before, embedding, left, silent, after = clock.finish()
    assert embedding.cpu_s >= 15.5 and embedding.workers_peak_rss_mb == 800.0
    assert 0 <= left.cpu_s < 1 and left.workers_peak_rss_mb is None
    assert 0 <= silent.cpu_s < 1
    assert before.cpu_s < 1 and after.cpu_s < 1


@pytest.mark.skipif(
    not Path("/proc/self/statm").exists(), reason="per-stage peaks need /proc/self/statm"
)
def test_a_stage_is_not_charged_with_an_earlier_stages_peak_memory() -> None:
    # In a fresh process: after a long test session the allocator may keep a freed block,
    # and the test would measure the session, not the clock.
    script = """
import json, resource, time
from pipeline.run.stagetimes import SAMPLE_SECONDS, StageClock

class Quiet:
    def stage(self, name, total=None): pass
    def advance(self, n=1): pass
    def note(self, message): pass

clock = StageClock(Quiet())
clock.stage("Large")
block = bytearray(200 * 2**20)
block[::4096] = b"x" * len(block[::4096])  # touch every page, so that it is resident
# Held long enough for the sampler: a child inherits its parent's high-water mark across
# fork and exec, so under a large parent (pytest, a study) no stage sets a record.
time.sleep(4 * SAMPLE_SECONDS)
del block  # a large block is returned to the system at once
clock.stage("Small")
large, small = clock.finish()
print(json.dumps([large.peak_rss_mb, small.peak_rss_mb, small.rss_since_start,
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    large, small, small_since_start, run_peak = json.loads(done.stdout)
    assert large - small > 150
    assert not small_since_start
    # Timing stages must not hide the run's own peak from `/usr/bin/time` or a parent's wait4.
    assert run_peak >= large - 1


def test_manifests_without_or_with_damaged_timings_still_read(tmp_path: Path) -> None:
    (tmp_path / outputs.MANIFEST).write_text(json.dumps({"involve_version": "0.9"}))
    manifest = outputs.read_manifest(tmp_path)
    assert manifest is not None and manifest.stages == ()

    good = StageTiming("Measuring", 1.5, 1.2, 640.0).to_json()
    damaged = [good, {"stage": "Coding", "wall_s": "slow"}, "Topics", None]
    (tmp_path / outputs.MANIFEST).write_text(json.dumps({"stages": damaged}))
    manifest = outputs.read_manifest(tmp_path)
    assert manifest is not None
    assert manifest.stages == (StageTiming("Measuring", 1.5, 1.2, 640.0),)


def test_a_stage_is_named_without_the_counts_that_change_between_runs() -> None:
    assert stage_name("Extracting text (12 to read, 4 cached or skipped)") == "Extracting text"
    assert stage_name("Writing tables, charts and report") == "Writing tables, charts and report"
