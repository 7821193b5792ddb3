"""Work spread over a Dask cluster (``--executor dask``), for `involve analyse` and `involve study`.

`analyse` sends each file to be read (OCR included) as one task, then the per-text work of the
stages after it (names found by NER, lemmas, the focus rules' parse, sentence vectors) in
chunks of texts (:mod:`pipeline.core.distribute`); `study` sends each board. With
no ``--scheduler`` a ``distributed.LocalCluster`` is started for the run, one process per
``--workers`` with one thread each, and closed after it; with one, the run connects to that
cluster and leaves it running. dask and distributed are an optional extra (`dask`), imported only
here and only when asked for, so a local run never pays for them.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from pipeline.core import distribute
from pipeline.core.errors import InputError

if TYPE_CHECKING:
    from distributed import Client

LOCAL: Final = "local"
DASK: Final = "dask"
EXECUTORS: Final = (LOCAL, DASK)
HINT: Final = (
    "--executor dask needs dask and distributed, the project's optional 'dask' extra: "
    "`.venv/bin/pip install -e '.[dask]'` (make install includes it)"
)


@dataclass(frozen=True)
class Cluster:
    """A connected client, and whether this run started the cluster (and so owns its workers)."""

    client: Client
    own: bool


def check_executor(executor: str, scheduler: str | None) -> None:
    """Refuse an executor we do not have, or a scheduler address that nothing would use."""
    if executor not in EXECUTORS:
        raise InputError(f"--executor {executor}: choose one of {', '.join(EXECUTORS)}.")
    if scheduler and executor != DASK:
        raise InputError(
            f"--scheduler {scheduler} is for Dask: add --executor dask, or leave out --scheduler."
        )


@contextlib.contextmanager
def connect(scheduler: str | None, workers: int) -> Iterator[Cluster]:
    """A client of the scheduler at ``scheduler``, or of a LocalCluster of ``workers`` processes
    started for the run and closed when the block ends."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError(HINT) from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise InputError(
                f"--scheduler {scheduler}: no Dask scheduler answered ({exc}). Check the address "
                "(tcp://HOST:8786) and that `dask scheduler` is running there."
            ) from None
        with client:
            yield Cluster(client, own=False)
        return
    # One thread per worker: reading files and analysing boards are CPU-bound Python and
    # tesseract, and the CPU-time backstop for a stuck reader is per process (runner._limit_cpu).
    # No dashboard: it would open a web port nobody asked for.
    with (
        LocalCluster(
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # A worker still sending its heartbeat as the cluster closes logs an error that is
            # no one's: what goes wrong in a task reaches the caller as its exception.
            silence_logs=logging.CRITICAL,
        ) as local,
        Client(local) as client,
    ):
        yield Cluster(client, own=True)


_open: contextvars.ContextVar[Cluster | None] = contextvars.ContextVar("cluster", default=None)


@contextlib.contextmanager
def session(scheduler: str | None, workers: int) -> Iterator[Cluster]:
    """The run's cluster: the one already open for it, else one connected for the block. While
    it is open, per-text work (:func:`pipeline.core.distribute.map_chunks`) goes to it too."""
    here = _open.get()
    if here is not None:
        yield here
        return
    with connect(scheduler, workers) as where:
        token = _open.set(where)
        try:
            with distribute.using(Tasks(where.client)):
                yield where
        finally:
            _open.reset(token)


class Tasks:
    """A :class:`pipeline.core.distribute.Distributor`: each chunk one task on the cluster."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def map(self, fn: Callable[[Any], list[Any]], chunks: list[Any]) -> list[list[Any]]:
        with warnings.catch_warnings():
            # The texts are the work: Dask's advice to load a large graph's data on the workers
            # instead ("Sending large graph of size 12.37 MiB", 30,000 units) does not apply.
            warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
            # pure=False: a chunk is cheap to send and its result wanted now, not deduplicated.
            futures = self.client.map(fn, chunks, pure=False)
        return list(self.client.gather(futures))

    def slots(self) -> int:
        return max(1, sum(self.client.nthreads().values()))


def usage(client: Client) -> tuple[float, float] | None:
    """The cluster's workers' CPU seconds so far (their own and their children's, OCR
    included), and the largest worker's peak RSS in MB; None when a worker does not answer."""
    try:
        found = client.run(_own_usage)
    except Exception:  # a worker gone or slow: the stage timings go without it, not the run
        return None
    if not found:
        return None
    return sum(cpu for cpu, _ in found.values()), max(mb for _, mb in found.values())


def _own_usage() -> tuple[float, float]:
    import re
    import resource
    import sys
    from pathlib import Path

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    # The process's own high-water mark: Linux carries ru_maxrss across exec, so a worker
    # started from a large process would report that process's size; VmHWM starts afresh.
    try:
        found = re.search(r"^VmHWM:\s+(\d+)\s+kB", Path("/proc/self/status").read_text(), re.M)
    except OSError:
        found = None
    if found:
        return cpu, int(found.group(1)) / 1024
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, kB on Linux
    return cpu, own.ru_maxrss * unit / 2**20


def killed(exc: BaseException) -> bool:
    """Whether a task failed because its worker died (out of memory, a crash in C), rather than
    because of the task's own error."""
    return type(exc).__name__ == "KilledWorker"
