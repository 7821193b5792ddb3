"""Per-text work handed to whoever runs the analysis: this process, or a Dask cluster.

The stages that read one text at a time (names found by NER, lemmas, the focus rules' parse,
sentence vectors) call :func:`map_chunks` with a module-level function of a list of texts. In a
local run it is called here, on all of them at once, exactly as before. Under
``--executor dask`` (:func:`using` a distributor from :mod:`pipeline.run.cluster`) the texts are
cut into chunks that go to the cluster as tasks, one each, and the results come back in order.
Each function is the same either way and depends only on its chunk, so the results are too.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")
R = TypeVar("R")

# Large enough that a task's overhead (a few milliseconds on Dask) is small beside its work,
# small enough that a thousand-meeting board (30,000 units) keeps every worker busy.
CHUNK: int = 256


class Distributor(Protocol):
    """Something that runs ``fn`` on each chunk, wherever it likes, results in chunk order, on
    ``slots()`` workers at once."""

    def map(self, fn: Callable[[Any], list[Any]], chunks: list[Any]) -> list[list[Any]]: ...

    def slots(self) -> int: ...


_current: contextvars.ContextVar[Distributor | None] = contextvars.ContextVar(
    "distributor", default=None
)


@contextlib.contextmanager
def using(distributor: Distributor) -> Iterator[None]:
    """Per-text work inside the block goes to ``distributor``."""
    token = _current.set(distributor)
    try:
        yield
    finally:
        _current.reset(token)


def active() -> bool:
    """Whether per-text work is being sent elsewhere (so that this process need not load the
    models it would need to do the work itself)."""
    return _current.get() is not None


def map_chunks(
    fn: Callable[[list[T]], list[R]],
    items: Sequence[T],
    size: int = CHUNK,
    *,
    multiple: int = 1,
) -> list[R]:
    """``fn`` over ``items``, one result per item in their order: in one call here, or in chunks
    of about ``size`` (each but the last a ``multiple`` of this many) on the active
    distributor. ``fn`` must be picklable (defined at module level, or a ``functools.partial``
    of one) and return one result per item it is given."""
    items = list(items)
    distributor = _current.get()
    if distributor is None or not items:
        return list(fn(items))
    size = _even(len(items), size, distributor.slots())
    size = -(-size // multiple) * multiple
    return _gathered(distributor, fn, [items[i : i + size] for i in range(0, len(items), size)])


def map_frame(
    fn: Callable[[pd.DataFrame], list[R]], frame: pd.DataFrame, size: int = CHUNK
) -> list[R]:
    """:func:`map_chunks` for a table's rows: ``fn`` gets slices of ``frame`` (all of it here)."""
    distributor = _current.get()
    if distributor is None or frame.empty:
        return list(fn(frame))
    size = _even(len(frame), size, distributor.slots())
    chunks = [frame.iloc[i : i + size] for i in range(0, len(frame), size)]
    return _gathered(distributor, fn, chunks)


def _even(n: int, size: int, slots: int) -> int:
    """A chunk size of at most ``size`` that gives every one of ``slots`` workers as many chunks
    as the others: 556 texts on two workers go as four chunks of 139, not 256, 256 and 44, whose
    last would leave one worker idle while the other worked."""
    slots = max(1, slots)
    rounds = -(-n // (slots * size))
    return max(1, -(-n // (slots * rounds)))


def _gathered(distributor: Distributor, fn: Callable[[Any], list[R]], chunks: list[Any]) -> list[R]:
    out: list[R] = []
    for chunk, result in zip(chunks, distributor.map(fn, chunks), strict=True):
        if len(result) != len(chunk):
            # A worker running another version of this project would say so here, not later.
            raise RuntimeError(
                f"{getattr(fn, '__name__', fn)!r} gave {len(result)} results for "
                f"{len(chunk)} items on the cluster"
            )
        out.extend(result)
    return out
