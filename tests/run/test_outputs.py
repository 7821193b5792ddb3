"""The output folder as an adversary meets it (issue 17, item 1): runs killed at every stage,
two runs at once, a full disk, a read-only folder, a table replaced by hand. The folder always
holds one run's outputs, or the previous run's untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.core import io
from pipeline.core.errors import OutputError
from pipeline.run import outputs
from pipeline.run.runner import RunOptions, analyse

ROOT = Path(__file__).resolve().parents[2]
# Nearly every test analyses a corpus, some several times over (kills, full disks): 60 s.
pytestmark = pytest.mark.slow


@pytest.fixture
def corpus(tmp_path: Path, fixtures_dir: Path) -> Path:
    """Two meetings' minutes, as a PDF and a Word file."""
    folder = tmp_path / "forum"
    folder.mkdir()
    for name in ["mini-minutes.pdf", "mini-minutes.docx"]:
        shutil.copy(fixtures_dir / name, folder / name)
    (folder / "later-minutes.md").write_text(
        (fixtures_dir / "mini-minutes.md").read_text(encoding="utf-8").replace("2024", "2025"),
        encoding="utf-8",
    )
    return folder


def _opts(corpus: Path, out: Path, **kw: object) -> RunOptions:
    return RunOptions(corpus=corpus, out=out, workers=1, use_embeddings=False, **kw)  # type: ignore[arg-type]


def _snapshot(out: Path) -> dict[str, str]:
    """Every file in the folder by its hash (the lock file, which only says who holds it, apart)."""
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != outputs.LOCK
    }


def _tables(out: Path) -> dict[str, str]:
    return {k: v for k, v in _snapshot(out).items() if k.startswith("tables/")}


def _one_run(out: Path) -> None:
    """The tables, the DuckDB file and the manifest all describe the same meetings."""
    meetings = pd.read_parquet(out / "tables" / "meetings.parquet")
    measures = pd.read_parquet(out / "tables" / "meeting_measures.parquet")
    assert set(meetings["meeting_id"]) == set(measures["meeting_id"])
    with duckdb.connect(str(out / "involvement.duckdb"), read_only=True) as con:
        found = con.execute("SELECT count(*) FROM meetings").fetchone()
    assert found is not None and found[0] == len(meetings)
    assert io.outputs_intact(out)


def test_every_output_is_hashed_in_the_manifest_and_a_table_replaced_by_hand_is_rebuilt(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    analyse(_opts(corpus, out))
    outputs = io.read_json(out / "manifest.json")["outputs"]
    assert "tables/meetings.parquet" in outputs and "involvement.duckdb" in outputs
    assert "report/index.html" in outputs
    assert analyse(_opts(corpus, out)).up_to_date
    # Another run's table put in by hand: the folder is no longer one run's outputs.
    meetings = pd.read_parquet(out / "tables" / "meetings.parquet")
    meetings.iloc[:1].to_parquet(out / "tables" / "meetings.parquet", index=False)
    again = analyse(_opts(corpus, out))
    assert not again.up_to_date
    _one_run(out)
    assert not list(out.glob(".involve-*/")), "no staging folder is left behind"


def test_outputs_are_owner_only_and_name_no_local_folder(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    analyse(_opts(corpus, out))
    duck = out / "involvement.duckdb"
    assert duck.stat().st_mode & 0o077 == 0, oct(duck.stat().st_mode)
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert str(tmp_path) not in manifest
    assert str(Path.home()) not in manifest or str(Path.home()) == "/"


def test_a_second_run_into_the_same_folder_refuses_and_names_the_first(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from pathlib import Path
                from pipeline.core import io
                with io.output_folder(Path({str(out)!r}), "analyse"):
                    print("locked", flush=True)
                    time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        named = rf"in use by `involve analyse` \(process {holder.pid}"
        with pytest.raises(OutputError, match=named):
            analyse(_opts(corpus, out))
    finally:
        holder.kill()
        holder.wait()
    # The kernel drops the lock of a killed holder: the next run goes ahead.
    assert not analyse(_opts(corpus, out)).up_to_date
    _one_run(out)


def test_a_read_only_folder_fails_before_the_analysis_with_the_fix(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    analyse(_opts(corpus, out))
    before = _snapshot(out)
    (corpus / "mini-minutes.docx").unlink()
    called = []
    import pipeline.segment

    monkeypatch.setattr(pipeline.segment, "segment", lambda *a: called.append(a))
    os.chmod(out, 0o500)
    try:
        if os.access(out, os.W_OK) and os.geteuid() == 0:
            # root writes anywhere; make the folder fail the way a read-only mount does.
            monkeypatch.setattr(io, "begin_staging", _read_only_staging)
        with pytest.raises(OutputError, match=r"cannot be written.*untouched"):
            analyse(_opts(corpus, out))
    finally:
        os.chmod(out, 0o700)
    assert not called, "the analysis did not start"
    assert _snapshot(out) == before


def _read_only_staging(out: Path) -> Path:
    import errno

    raise io.output_error(out, OSError(errno.EROFS, os.strerror(errno.EROFS)))


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB filesystem: a real full disk, where the machine lets the tests mount one."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small filesystem needs root")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode(errors='replace')}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    filler = disk / "filler"
    filler.write_bytes(b"\0" * max(0, shutil.disk_usage(disk).free - leave))
    return filler


def test_a_disk_that_fills_at_the_duckdb_file_is_an_error_not_an_empty_database(
    corpus: Path, small_disk: Path
) -> None:
    """The finding: DuckDB's close() returned normally with its data stranded in a .wal, an empty
    database replaced the good one, the run said Done (exit 0), and the next said Up to date."""
    out = small_disk / "out"
    _fill(small_disk, 1_500_000)  # room for the tables, not for the DuckDB file
    result = CliRunner().invoke(
        app, ["analyse", str(corpus), "--out", str(out), "--workers", "1", "--no-embeddings"]
    )
    assert result.exit_code == 2, result.output
    assert "disk is full" in result.output and "Traceback" not in result.output
    assert _snapshot(out) == {}, "nothing half-written: no tables, no database, no .wal"


def test_a_nearly_full_disk_is_refused_before_the_analysis_and_the_outputs_stay(
    corpus: Path, small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = small_disk / "out"
    analyse(_opts(corpus, out))
    before = _snapshot(out)
    filler = _fill(small_disk, 1_500_000)
    (corpus / "mini-minutes.docx").unlink()
    import pipeline.segment

    called = []
    monkeypatch.setattr(pipeline.segment, "segment", lambda *a: called.append(a))
    with pytest.raises(OutputError, match=r"disk is full.*untouched"):
        analyse(_opts(corpus, out))
    assert not called and _snapshot(out) == before
    filler.unlink()
    monkeypatch.undo()
    assert not analyse(_opts(corpus, out)).up_to_date
    _one_run(out)


def test_a_write_that_fails_keeps_the_previous_outputs(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same as a full disk where no small filesystem can be mounted: DuckDB's file fails."""
    out = tmp_path / "out"
    analyse(_opts(corpus, out))
    before = _snapshot(out)
    (corpus / "mini-minutes.docx").unlink()

    def lost(self: object, *args: object) -> None:  # the data never reaches the file
        raise duckdb.IOException('Could not write file "x": No space left on device')

    monkeypatch.setattr(duckdb.DuckDBPyConnection, "execute", lost)
    with pytest.raises(OutputError, match="disk is full"):
        analyse(_opts(corpus, out))
    assert _snapshot(out) == before


def test_a_duckdb_file_short_of_rows_is_refused(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1, 2, 3]})
    path = tmp_path / "x.duckdb"
    io.write_duckdb({"t": frame}, path)
    with pytest.raises(OSError, match="has 3 rows, not 4"):
        io._verify_duckdb(path, {"t": 4})


KILLER = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from pipeline.core import io
from pipeline.run import outputs
from pipeline.run.runner import RunOptions, analyse

# SIGKILL this process right after the {n}th {func} whose source matches {where!r}.
real = getattr(os, {func!r})
count = [0]
def fatal(src, dst, *a, **kw):
    real(src, dst, *a, **kw)
    if {where!r} in str(src):
        count[0] += 1
        if count[0] == {n}:
            os.kill(os.getpid(), signal.SIGKILL)
setattr(os, {func!r}, fatal)
analyse(RunOptions(corpus=Path({corpus!r}), out=Path({out!r}), workers=1, use_embeddings=False))
"""

KILL_POINTS = {
    "while the tables are staged": ("replace", outputs.STAGING, 3),
    "just after the commit": ("rename", outputs.STAGING, 1),
    "halfway through moving in": ("replace", outputs.COMMIT, 10),
}


@pytest.mark.slow
@pytest.mark.parametrize("stage", list(KILL_POINTS))
def test_kill_9_at_any_stage_leaves_one_runs_outputs_and_a_rerun_gives_identical_tables(
    stage: str, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    analyse(_opts(corpus, out))
    first = _tables(out)
    # Changed inputs, then a run killed with SIGKILL.
    moved = tmp_path / "mini-minutes.docx"
    shutil.move(corpus / "mini-minutes.docx", moved)
    func, where, n = KILL_POINTS[stage]
    script = KILLER.format(
        root=str(ROOT), func=func, where=where, n=n, corpus=str(corpus), out=str(out)
    )
    killed = subprocess.run([sys.executable, "-c", script], env=os.environ, capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode(errors="replace")[-2000:]
    # The inputs put back: never "Up to date" over two runs' tables.
    shutil.move(moved, corpus / "mini-minutes.docx")
    result = analyse(_opts(corpus, out))
    committed = stage != "while the tables are staged"
    assert result.up_to_date is not committed
    _one_run(out)
    assert _tables(out) == first
    assert not list(out.glob(".involve-*/"))


def test_rebuilding_the_report_keeps_the_analysis_up_to_date(corpus: Path, tmp_path: Path) -> None:
    from pipeline.run.runner import rebuild_report

    out = tmp_path / "out"
    analyse(_opts(corpus, out))
    rebuild_report(out)
    assert io.outputs_intact(out)
    assert analyse(_opts(corpus, out)).up_to_date
