"""A board's reading kept between runs (pipeline.segment.reuse): the next minutes added at the
end are the only ones read, and the tables are those of reading everything afresh."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from pipeline import segment as seg_module
from pipeline.core import io
from pipeline.inputs.board import Board, Member
from pipeline.segment import Segmented, reuse, segment
from tests.minutes_frames import minutes_frames

BOARD = Board(
    "Harrowmere",
    None,
    (
        Member("Cllr Margaret Ashdown", "chair", initials="MA"),
        Member("Amira Hassan", "service_user", initials="AH"),
        Member("Ruth Ellison", "carer", initials="RE"),
    ),
    "board.yaml",
)


def minutes(n: int) -> str:
    """Meeting ``n``: the chair, two lay members, an officer new to each meeting who presents,
    and someone named in the text only."""
    return f"""\
Present:
• Cllr Margaret Ashdown (Chair)
• Amira Hassan (Service User Representative)
• Ruth Ellison (Carer Representative)

In attendance:
• Officer Number{n} Smith{n}, Commissioning Manager

1. Crisis line, part {n}

Smith{n} presented the crisis line figures for quarter {n}. Ms Hassan said that callers waited
too long. Mrs Patel{n} from the Samaritans had offered help.

Action: RE to write to the provider about quarter {n}.
"""


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The first line of the body of every meeting read."""
    read: list[str] = []
    real = seg_module._read_meeting

    def counting(doc_blocks, *args, **kwargs):  # type: ignore[no-untyped-def]
        read.append(next(b.text for b in doc_blocks if "Crisis line" in b.text))
        return real(doc_blocks, *args, **kwargs)

    monkeypatch.setattr(seg_module, "_read_meeting", counting)
    return read


def run(texts: list[str], cache: io.Cache | None, board: Board | None = BOARD) -> Segmented:
    dates = [pd.Timestamp(2024, i + 1, 10) for i in range(len(texts))]
    sources = [f"2024-0{i + 1}-10.md" for i in range(len(texts))]
    return segment(*minutes_frames(texts, dates, sources), board, cache)


def same(a: Segmented, b: Segmented) -> None:
    for name in ("meetings", "attendance", "units", "accounting"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_dtype=False)
    assert a.introduced == b.introduced
    assert {k: vars(p) for k, p in a.people.items()} == {k: vars(p) for k, p in b.people.items()}


def test_the_next_minutes_are_the_only_ones_read(tmp_path: Path, counted: list[str]) -> None:
    cache = io.Cache(tmp_path)
    run([minutes(1), minutes(2), minutes(3)], cache)
    assert len(counted) == 3
    counted.clear()
    warm = run([minutes(1), minutes(2), minutes(3), minutes(4)], cache)
    assert counted == ["1. Crisis line, part 4"]
    same(warm, run([minutes(1), minutes(2), minutes(3), minutes(4)], None))
    # The entry the second run grew from is replaced by its own, not kept beside it.
    assert len(list((tmp_path / reuse.NAMESPACE).rglob("*.bin"))) == 1


def test_a_document_changed_before_the_end_is_read_again_with_all_after_it(
    tmp_path: Path, counted: list[str]
) -> None:
    """Only where a run ended is kept: after a run of the first document alone and one of all
    three, a change in the second reads the second and the third again, and one in the first
    reads all three."""
    cache = io.Cache(tmp_path)
    run([minutes(1), minutes(2), minutes(3)], cache)
    run([minutes(1)], cache)
    counted.clear()
    changed = minutes(2).replace("waited", "had waited")
    warm = run([minutes(1), changed, minutes(3)], cache)
    assert counted == ["1. Crisis line, part 2", "1. Crisis line, part 3"]
    same(warm, run([minutes(1), changed, minutes(3)], None))
    counted.clear()
    run([minutes(1).replace("waited", "had waited"), changed, minutes(3)], cache)
    assert len(counted) == 3


def test_unchanged_minutes_are_not_read_and_forced_runs_read_everything(
    tmp_path: Path, counted: list[str]
) -> None:
    run([minutes(1), minutes(2)], io.Cache(tmp_path))
    counted.clear()
    run([minutes(1), minutes(2)], io.Cache(tmp_path))
    assert counted == []
    run([minutes(1), minutes(2)], io.Cache(tmp_path, write_only=True))  # --force
    assert len(counted) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05K\x03."])
def test_a_damaged_entry_is_read_again_not_trusted(
    tmp_path: Path, counted: list[str], damage: bytes
) -> None:
    cache = io.Cache(tmp_path)
    cold = run([minutes(1), minutes(2)], cache)
    (entry,) = (tmp_path / reuse.NAMESPACE).rglob("*.bin")
    entry.write_bytes(damage)
    counted.clear()
    again = run([minutes(1), minutes(2)], cache)
    assert len(counted) == 2
    same(again, cold)


def test_a_corpus_moved_with_its_board_file_is_not_read_again(
    tmp_path: Path, counted: list[str]
) -> None:
    """The board file counts by what it says, not by where it is (a corpus copied elsewhere);
    a board file that says something else is another reading."""
    cache = io.Cache(tmp_path)
    run([minutes(1), minutes(2)], cache)
    counted.clear()
    moved = dataclasses.replace(BOARD, origin="elsewhere/board.yaml")
    run([minutes(1), minutes(2), minutes(3)], cache, moved)
    assert counted == ["1. Crisis line, part 3"]
    counted.clear()
    other = dataclasses.replace(BOARD, members=BOARD.members[:2])
    run([minutes(1), minutes(2), minutes(3)], cache, other)
    assert len(counted) == 3


def test_a_post_a_later_meeting_gives_moves_an_earlier_one_as_reading_both_afresh_would(
    tmp_path: Path,
) -> None:
    """Without a board file, the minutes of the meeting added last may give a staff post to
    someone an earlier meeting's bare list named: the earlier meeting changes, kept or not."""
    listed = "Present:\n• Helen Marsh (Chair)\n• Owen Gilder\n• Terry Bush\n\n1. Crisis line\n\n"
    first = f"{listed}Terry Bush said that callers waited too long.\n"
    second = (
        f"{listed}Terry Bush, Headteacher of the Harrowdale Virtual School, presented the report.\n"
    )
    cache = io.Cache(tmp_path)
    alone = run([first], cache, board=None)
    assert set(alone.attendance["role"]) == {"chair", "member"}
    warm = run([first, second], cache, board=None)
    same(warm, run([first, second], None, board=None))
    assert (warm.attendance["person_key"] == "terry bush").sum() == 2
    bush = warm.attendance[warm.attendance["person_key"] == "terry bush"]
    assert set(zip(bush["role"], bush["status"], strict=True)) == {("officer", "in_attendance")}
    assert warm.meetings["members_present"].tolist() == [2, 2]
