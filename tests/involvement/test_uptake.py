"""Uptake: links from lay points to what later acts on them, and not to thanks or notes."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.core import schemas
from pipeline.involvement.uptake import uptake
from tests.involvement.test_levels import segment_row, with_defaults

# (meeting, item_no, item title, text, focus, is_action, action_owner)
Row = tuple[str, str, str, str, str, bool, str]


def frame(rows: list[Row]) -> pd.DataFrame:
    out = [
        segment_row(
            meeting,
            i,
            item_no,
            title,
            text,
            doc_id=meeting,
            source=f"{meeting}.pdf",
            is_action=is_action,
            action_owner=owner,
            focus=focus,
            outcome_scope="collective" if focus == "outcome" else "",
        )
        for i, (meeting, item_no, title, text, focus, is_action, owner) in enumerate(rows)
    ]
    return schemas.conform(with_defaults(pd.DataFrame(out), "segments"), "segments")


JAN, MAR, APR = "M2024-01-25", "M2024-03-14", "M2024-04-25"
MA = "Minutes of the previous meeting and matters arising"


def links(rows: list[Row]) -> pd.DataFrame:
    return uptake(frame(rows)).links


def pairs(table: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(zip(table["contribution_id"], table["target_id"], table["link"], strict=True))


def test_a_later_meeting_naming_the_point_is_a_reference() -> None:
    rows: list[Row] = [
        (JAN, "6", "Talking therapies", "Officer 7 presented the waits.", "process", False, ""),
        (
            JAN,
            "6",
            "Talking therapies",
            "Carer 1 said families had no idea how long the wait would be.",
            "process",
            False,
            "",
        ),
        (
            MAR,
            "3",
            MA,
            "Following Carer 1's comment at the last meeting, the provider had changed its "
            "waiting list letter to give an expected wait.",
            "outcome",
            False,
            "",
        ),
    ]
    table = links(rows)
    assert pairs(table) == {(f"{JAN}-002", f"{MAR}-003", "reference")}
    row = table.iloc[0]
    assert (row["speaker_role"], row["target_focus"], row["target_scope"]) == (
        "carer",
        "outcome",
        "collective",
    )
    assert list(table.columns) == schemas.columns("uptake")


def test_thanks_and_notes_are_not_uptake() -> None:
    rows: list[Row] = [
        (
            JAN,
            "4",
            "Crisis line",
            "Service user 1 said people waited forty minutes for the crisis line at night.",
            "process",
            False,
            "",
        ),
        (
            JAN,
            "4",
            "Crisis line",
            "The Chair thanked Service user 1 for raising this and said the point had been noted.",
            "process",
            False,
            "",
        ),
    ]
    assert links(rows).empty


def test_an_action_close_in_meaning_in_the_same_item_is_uptake() -> None:
    rows: list[Row] = [
        (
            MAR,
            "8",
            "Any other business",
            "Service user 3 asked whether representatives could be given a Board email address.",
            "process",
            False,
            "",
        ),
        (
            MAR,
            "8",
            "Any other business",
            "Action: Officer 5 to set up Board email accounts for the representatives.",
            "action",
            True,
            "Officer 5",
        ),
        (MAR, "9", "Date of next meeting", "The next meeting is in April.", "process", False, ""),
    ]
    assert pairs(links(rows)) == {(f"{MAR}-001", f"{MAR}-002", "action")}


def test_an_action_the_contributor_owns_is_not_the_board_acting_on_it() -> None:
    rows: list[Row] = [
        (
            MAR,
            "5",
            "Working group",
            "Service user 1 said the working group would produce a guide to the cafe for police.",
            "action",
            False,
            "",
        ),
        (
            MAR,
            "5",
            "Working group",
            "Action: Service user 1 to produce a guide to the cafe for police.",
            "action",
            True,
            "Service user 1",
        ),
    ]
    assert links(rows).empty


def test_a_reference_names_the_meeting_it_means() -> None:
    rows: list[Row] = [
        (
            JAN,
            "5",
            "Health checks",
            "Service user 1 asked whether health checks could be offered at the Hub.",
            "process",
            False,
            "",
        ),
        (
            MAR,
            "5",
            "Health checks",
            "Service user 1 asked whether health checks could be offered at the Hub again.",
            "process",
            False,
            "",
        ),
        (
            APR,
            "3",
            MA,
            "Following Service user 1's suggestion at the January meeting, two clinics had been "
            "held at the Hub on 19 March.",
            "outcome",
            False,
            "",
        ),
    ]
    assert pairs(links(rows)) == {(f"{JAN}-001", f"{APR}-003", "reference")}


def test_a_reference_is_looked_for_only_within_the_window_of_later_meetings() -> None:
    meetings = [f"M2020-{month:02d}-15" for month in range(1, 8)]
    point = "Carer 1 said families had no idea how long the wait for therapy would be."
    follow = "Following Carer 1's comment, the provider had changed its waiting list letter."
    rows: list[Row] = [(meetings[0], "4", "Therapies", point, "process", False, "")]
    for m in meetings[1:]:
        rows.append((m, "2", "Finance", "Officer 2 presented the budget.", "process", False, ""))
    rows.insert(4, (meetings[3], "4", "Therapies", follow, "outcome", False, ""))  # 3 later
    rows.append((meetings[6], "4", "Therapies", follow, "outcome", False, ""))  # 6 later
    seg = frame(rows)
    contribution = seg.loc[seg["text"] == point, "segment_id"].iloc[0]
    near, far = seg.loc[seg["text"] == follow, "segment_id"].tolist()

    def found(window: int) -> set[str]:
        table = uptake(seg, window=window).links
        assert set(table["contribution_id"]) <= {contribution}
        return set(table.loc[table["link"] == "reference", "target_id"])

    assert found(3) == {near}
    assert found(6) == {near, far}
    assert found(24) == {near, far}


def test_the_null_pairs_are_those_within_the_window_taken_a_block_at_a_time() -> None:
    import numpy as np

    from pipeline.core import config
    from pipeline.involvement.uptake import _threshold, _Units

    rows: list[Row] = []
    for month in range(1, 11):
        meeting = f"M2021-{month:02d}-10"
        rows.append(
            (meeting, "3", "Budget", "Service user 1 asked about it.", "process", False, "")
        )
        for _ in range(3):
            rows.append((meeting, "3", "Budget", "Officer 1 to act on it.", "action", True, "O1"))
    seg = frame(rows)
    seg.loc[seg["text"].str.startswith("Service user"), "speaker_role"] = "service_user"
    u = _Units.of(seg)
    vectors = np.random.default_rng(5).normal(size=(len(u.text), 3))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    lay = [i for i, r in enumerate(u.role) if r in config.LAY_ROLES]
    pool = [t for t in range(len(u.text)) if u.acting[t] and not u.follow_up[t]]
    assert len(lay) == 10 and len(pool) == 30
    for window in (1, 2, 3, 9, 24):
        null = [
            float(vectors[c] @ vectors[t])
            for c in lay
            for t in pool
            if u.meeting[c] != u.meeting[t] and abs(u.rank[c] - u.rank[t]) <= window
        ]
        expected = max(config.UPTAKE_MIN_SIMILARITY, float(np.quantile(null, 0.99)))
        assert _threshold(u, vectors, lay, window) == pytest.approx(expected, abs=1e-12)
