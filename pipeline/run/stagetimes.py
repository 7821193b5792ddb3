"""Wall time, CPU time and peak memory of each stage of a run, as the runner's progress marks them.

The runner already tells the user when each stage starts (``Progress.stage``); :class:`StageClock`
sits between the runner and the display and turns those marks into one :class:`StageTiming` per
stage, which the manifest records and the run summary prints. A stage ends where the next begins.

- CPU is this process's user and system time plus that of the child processes that ended during
  the stage: the extraction workers (and the OCR they start) are gone by the end of their stage,
  so reading files is charged where it happened rather than nowhere.
- Peak RSS is this process's largest resident size within the stage. A stage that raises the
  process's high-water mark (``ru_maxrss``) gets that mark, exactly; any other stage gets the
  largest RSS a sampling thread saw during it (every SAMPLE_SECONDS, and at both ends), so it is
  not charged with an earlier stage's peak. The mark itself is never reset (Linux could, through
  /proc/self/clear_refs, but that also lowers what `/usr/bin/time` and a parent's ``wait4``
  report as the run's peak). Where /proc cannot be read the figure is the peak so far and
  ``rss_since_start`` says so.
- ``workers_peak_rss_mb`` is the largest child process that ended during the stage, when one
  ended that was larger than any before (the kernel keeps only the largest child's figure). It
  is an upper bound: a forked child counts the pages it still shares with this process, so a
  short-lived helper started late in a run shows nearly this process's size. The summary
  leaves it out for that reason; the manifest keeps it for whoever reads it knowing that.
- Work done elsewhere (a Dask cluster's workers, which outlive every stage) is counted through
  :meth:`StageClock.count_elsewhere`: their CPU is added to the stage's, and their largest
  worker's high-water mark is ``workers_peak_rss_mb`` when it rose during the stage.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import sys
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

_STATM = Path("/proc/self/statm")
_PAGE_KB = (os.sysconf("SC_PAGE_SIZE") // 1024) if hasattr(os, "sysconf") else 4
SAMPLE_SECONDS = 0.1
# ru_maxrss is in kilobytes on Linux and in bytes on macOS.
_MAXRSS_UNIT = 1 if sys.platform == "darwin" else 1024
# "Extracting text (12 to read, 4 cached)": the counts change from run to run, the stage does not.
_DETAIL = re.compile(r"\s*\(.*\)\s*$")


# Cumulative CPU seconds and largest peak RSS (MB) of processes elsewhere, or None.
Elsewhere = Callable[[], "tuple[float, float] | None"]


class _Progress(Protocol):
    def stage(self, name: str, total: int | None = None) -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def note(self, message: str) -> None: ...


@dataclass(frozen=True)
class StageTiming:
    """What one stage of a run cost."""

    stage: str
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    workers_peak_rss_mb: float | None = None
    rss_since_start: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> StageTiming | None:
        """A recorded timing, or None for anything that is not one (a hand-edited manifest)."""
        if not isinstance(data, dict) or not isinstance(data.get("stage"), str):
            return None
        numbers = [_number(data.get(key)) for key in ("wall_s", "cpu_s", "peak_rss_mb")]
        if None in numbers:
            return None
        wall, cpu, peak = (float(n or 0) for n in numbers)
        return cls(
            stage=data["stage"],
            wall_s=wall,
            cpu_s=cpu,
            peak_rss_mb=peak,
            workers_peak_rss_mb=_number(data.get("workers_peak_rss_mb")),
            rss_since_start=bool(data.get("rss_since_start", False)),
        )


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def stage_name(label: str) -> str:
    """The stage a progress label names, without the counts in brackets."""
    return _DETAIL.sub("", label).strip() or label


class StageClock:
    """A progress display that also times each stage it is told of (see the module docstring)."""

    def __init__(self, inner: _Progress) -> None:
        self.inner = inner
        self._timings: list[StageTiming] = []
        self._current: _Mark | None = None
        self._sampler: _Sampler | None = None
        self._elsewhere: Elsewhere | None = None

    def count_elsewhere(self, usage: Elsewhere | None) -> None:
        """From the next stage on, add what ``usage`` reports (the CPU seconds and the largest
        peak RSS in MB so far of processes that are not this one's children, or None when it
        cannot say); None stops counting."""
        self._elsewhere = usage

    def stage(self, name: str, total: int | None = None) -> None:
        self._close()
        self.inner.stage(name, total)
        if self._sampler is None:
            self._sampler = _Sampler.start(self)
        self._current = _Mark.now(stage_name(name), self._sampler, self._elsewhere)

    def advance(self, n: int = 1) -> None:
        self.inner.advance(n)

    def note(self, message: str) -> None:
        self.inner.note(message)

    def finish(self) -> list[StageTiming]:
        """Every stage's timing so far, the current stage ended here."""
        self._close()
        if self._sampler is not None:
            self._sampler.stop.set()
            self._sampler = None
        return list(self._timings)

    def _close(self) -> None:
        if self._current is not None:
            self._timings.append(self._current.timing())
            self._current = None


class _Sampler:
    """The largest RSS seen since the last ``take``, sampled by a daemon thread that ends with
    the clock (a run that fails before ``finish`` leaves no thread behind for long)."""

    def __init__(self) -> None:
        self.peak_kb = _rss_kb() or 0
        self.stop = threading.Event()
        # A sample read before a stage ends must not land in the next one: reading and
        # recording a sample, and taking the peak, each happen whole.
        self.lock = threading.Lock()

    @classmethod
    def start(cls, owner: StageClock) -> _Sampler:
        sampler = cls()
        alive = weakref.ref(owner)

        def sample() -> None:
            while not sampler.stop.wait(SAMPLE_SECONDS) and alive() is not None:
                with sampler.lock:
                    sampler.peak_kb = max(sampler.peak_kb, _rss_kb() or 0)

        threading.Thread(target=sample, name="involve-stage-rss", daemon=True).start()
        return sampler

    def take(self) -> int:
        """The peak since the last take, in kB; the next period starts from the RSS now."""
        with self.lock:
            now = _rss_kb() or 0
            peak, self.peak_kb = max(self.peak_kb, now), now
        return peak


@dataclass
class _Mark:
    stage: str
    wall: float
    cpu: float
    maxrss: int
    children_maxrss: int
    sampler: _Sampler
    elsewhere: Elsewhere | None = None
    elsewhere_at: tuple[float, float] | None = None

    @classmethod
    def now(cls, stage: str, sampler: _Sampler, elsewhere: Elsewhere | None = None) -> _Mark:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        sampler.take()
        return cls(
            stage,
            time.perf_counter(),
            own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
            own.ru_maxrss,
            children.ru_maxrss,
            sampler,
            elsewhere,
            elsewhere() if elsewhere else None,
        )

    def timing(self) -> StageTiming:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
        sampled = self.sampler.take() if _rss_kb() is not None else None
        since_start = False
        if own.ru_maxrss > self.maxrss:
            peak_kb = own.ru_maxrss * _MAXRSS_UNIT // 1024  # this stage set the record
        elif sampled is not None:
            peak_kb = sampled
        else:
            peak_kb, since_start = own.ru_maxrss * _MAXRSS_UNIT // 1024, True
        workers = children.ru_maxrss if children.ru_maxrss > self.children_maxrss else None
        workers_mb = round(workers * _MAXRSS_UNIT / 2**20, 1) if workers is not None else None
        spent = max(0.0, cpu - self.cpu)
        after = self.elsewhere() if self.elsewhere else None
        if after is not None and self.elsewhere_at is not None:
            # A worker that left the cluster takes its CPU with it: never a negative share.
            spent += max(0.0, after[0] - self.elsewhere_at[0])
            if after[1] > self.elsewhere_at[1]:
                workers_mb = max(workers_mb or 0.0, round(after[1], 1))
        return StageTiming(
            stage=self.stage,
            wall_s=round(max(0.0, time.perf_counter() - self.wall), 3),
            cpu_s=round(spent, 3),
            peak_rss_mb=round(peak_kb / 1024, 1),
            workers_peak_rss_mb=workers_mb,
            rss_since_start=since_start,
        )


def _rss_kb() -> int | None:
    """This process's resident size now, in kB; None where /proc does not say."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(_STATM.read_text().split()[1]) * _PAGE_KB
    return None


def summary_lines(timings: list[StageTiming]) -> list[str]:
    """The run summary's table of stages, one line each."""
    if not timings:
        return []
    width = max(len(t.stage) for t in timings)
    lines = [f"{'Stage':<{width}}  {'wall s':>7}  {'CPU s':>7}  {'peak RSS MB':>11}"]
    for t in timings:
        figures = f"{t.wall_s:>7.1f}  {t.cpu_s:>7.1f}  {t.peak_rss_mb:>11.0f}"
        lines.append(f"{t.stage:<{width}}  {figures}")
    return lines
