"""Per-text work in one call here, or in chunks on a distributor, with the same results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pipeline.core import distribute, embed


class Recording:
    """A distributor that runs each chunk here, in reverse order, and keeps their sizes."""

    def __init__(self, drop_one: bool = False, slots: int = 1) -> None:
        self.sizes: list[int] = []
        self.drop_one = drop_one
        self.workers = slots

    def slots(self) -> int:
        return self.workers

    def map(self, fn: Callable[[Any], list[Any]], chunks: list[Any]) -> list[list[Any]]:
        self.sizes = [len(c) for c in chunks]
        done = {i: fn(c) for i, c in reversed(list(enumerate(chunks)))}
        if self.drop_one:
            done[0] = done[0][1:]
        return [done[i] for i in range(len(chunks))]


def shout(texts: list[str]) -> list[str]:
    return [t.upper() for t in texts]


def test_without_a_distributor_the_function_gets_every_item_in_one_call() -> None:
    calls: list[int] = []

    def counted(texts: list[str]) -> list[str]:
        calls.append(len(texts))
        return shout(texts)

    assert not distribute.active()
    assert distribute.map_chunks(counted, ["a", "b", "c"], size=2) == ["A", "B", "C"]
    assert calls == [3]


@pytest.mark.parametrize(
    ("n", "size", "slots", "sizes"),
    [
        (7, 3, 1, [3, 3, 1]),
        (6, 3, 1, [3, 3]),
        (2, 5, 1, [2]),
        # every worker gets the same number of chunks, none of them over the size
        (556, 256, 2, [139, 139, 139, 139]),
        (10, 256, 2, [5, 5]),
        (9, 256, 4, [3, 3, 3]),
    ],
)
def test_on_a_distributor_items_go_in_even_chunks_and_come_back_in_their_order(
    n: int, size: int, slots: int, sizes: list[int]
) -> None:
    items = [f"t{i}" for i in range(n)]
    where = Recording(slots=slots)
    with distribute.using(where):
        assert distribute.active()
        assert distribute.map_chunks(shout, items, size=size) == shout(items)
    assert where.sizes == sizes
    assert not distribute.active()


def test_table_rows_go_in_slices_and_come_back_in_their_order() -> None:
    frame = pd.DataFrame({"text": list("abcde")}, index=[10, 3, 7, 1, 0])
    where = Recording()
    with distribute.using(where):
        got = distribute.map_frame(lambda f: list(f["text"].str.upper()), frame, size=2)
    assert got == list("ABCDE")
    assert where.sizes == [2, 2, 1]


def test_a_chunk_that_comes_back_short_is_an_error_not_a_shifted_result() -> None:
    with distribute.using(Recording(drop_one=True)), pytest.raises(RuntimeError, match="gave 1"):
        distribute.map_chunks(shout, ["a", "b", "c"], size=2)


def test_chunks_can_be_whole_multiples_of_a_batch() -> None:
    where = Recording(slots=2)
    with distribute.using(where):
        distribute.map_chunks(shout, ["t"] * 556, size=256, multiple=64)
    assert where.sizes == [192, 192, 172]


@pytest.mark.slow  # loads the sentence model
def test_vectors_made_in_chunks_elsewhere_are_a_local_runs_to_the_last_bit() -> None:
    """A text's vector depends on the batch it is padded in: chunks cut on batch boundaries,
    in the local order, give every text the batch, and so the vector, a local run gives it."""
    model = embed.load("torch")
    if model is None:
        pytest.skip(embed.HINT)
    # Longest first by characters: 64 long texts, then 16 of 60 characters in few tokens, 48
    # of 59 characters in many (letters apart), 32 short. Cut at 80 on two workers, the 16
    # would be padded alone; cut at whole batches, with the 48, as here.
    long = [f"the board agreed item {i} " * 5 for i in range(64)]
    few = [f"{'carers ' * 8}{i:03d} ".ljust(60, "x") for i in range(16)]
    many = [" ".join(f"{i:02d}" + "abcdefghijklmnopqrstuvwxyz")[:59] for i in range(48)]
    short = [f"noted {i}" for i in range(32)]
    texts = long + few + many + short
    here = model.encode(texts)
    with distribute.using(Recording(slots=2)):
        there = embed.Distributed("torch").encode(texts)
    assert np.array_equal(here, there)
