"""Involvement levels per agenda item, from the cues the coding manual's five levels leave in
minutes, and their agreement with a hand-coded levels file."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.core import config, schemas
from pipeline.core.errors import GoldFileError
from pipeline.evaluate.validate import validate_levels
from pipeline.involvement.levels import item_levels, segment_levels

ROLES = {"Service user": "service_user", "Carer": "carer", "Lay member": "lay"}


def _role(text: str) -> tuple[str, str]:
    """Speaker from the start of a unit ("Carer 1 said ..."), as segmentation attributes it."""
    head = text.lstrip("0123456789. ")
    for prefix, role in [*ROLES.items(), ("Officer", "officer"), ("Member", "member")]:
        if head.startswith(prefix + " "):
            return " ".join(head.split()[: len(prefix.split()) + 1]).rstrip(",."), role
    if head.startswith("The Chair"):
        return "Chair 1", "chair"
    return "", "none"


def segment_row(
    meeting: str, index: int, item_no: str, title: str, text: str, **fields: object
) -> dict[str, object]:
    """One row of ``segments`` as segmentation leaves it: the speaker read from the text, an
    action or decision from its opening word; ``fields`` overrides any column."""
    speaker, role = _role(text)
    row: dict[str, object] = {
        "segment_id": f"{meeting}-{index + 1:03d}",
        "meeting_id": meeting,
        "meeting_date": pd.Timestamp(meeting[1:]),
        "doc_id": "d1",
        "source": f"minutes/{meeting[1:]}-minutes.pdf",
        "page": 1,
        "item_no": item_no,
        "item_title": title,
        "speaker_id": speaker,
        "speaker_role": role,
        "text": text,
        "n_words": len(text.split()),
        "is_action": text.startswith("Action:"),
        "is_decision": text.startswith("RESOLVED"),
        "action_owner": "",
        "theme": "other",
        "theme_score": 0.5,
        "focus": "process",
        "focus_score": 0.5,
        "outcome_scope": "",
        "level": pd.NA,
        "unit_key": f"k{index}",
    }
    return {**row, **fields}


def units(*items: tuple[str, str, list[str]], meeting: str = "M2024-03-14") -> pd.DataFrame:
    """Segments for (item_no, title, [unit texts]) items of one meeting."""
    flat = [(item_no, title, text) for item_no, title, texts in items for text in texts]
    rows = [segment_row(meeting, i, *unit) for i, unit in enumerate(flat)]
    return schemas.conform(with_defaults(pd.DataFrame(rows), "segments"), "segments")


def with_defaults(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Fill columns a test does not care about, so the fixture keeps up with the schema."""
    empty = {"str": "", "int": 0, "float": 0.0, "bool": False, "date": pd.NaT}
    for col in schemas.TABLES[table]:
        if col.name not in frame.columns:
            default = col.allowed[0] if col.allowed else empty[col.dtype]
            frame[col.name] = pd.NA if col.nullable else default
    return frame


def level(title: str, *texts: str) -> tuple[int, str]:
    table = item_levels(units(("4", title, list(texts))))
    assert len(table) == 1
    return int(table["level"].iloc[0]), str(table["cue"].iloc[0])


@pytest.mark.parametrize(
    ("title", "texts", "expected"),
    [
        # 5 leading: a lay member presents or leads the item.
        (
            "Crisis Care Working Group report",
            [
                "Service user 1 presented the first report of the working group.",
                "Member 2 asked about the café.",
            ],
            (5, "lead"),
        ),
        (
            "Recovery College",
            ["Lay member 1 gave an update on the college.", "Carer 1 asked about evenings."],
            (5, "lead"),
        ),
        # 4 deciding together: a lay proposal someone agrees to, or a resolution shaped by it.
        (
            "Crisis line follow-up",
            [
                "Officer 4 presented the review.",
                "He proposed that callers get a follow-up call.",
                "Service user 1 proposed that everyone get a follow-up call within a day.",
                "Officer 4 said the Trust supported the proposal in principle.",
                "RESOLVED: That the Board supports a pilot of follow-up calls.",
            ],
            (4, "propose"),
        ),
        (
            "Involvement standards",
            [
                "Officer 3 presented the draft standards.",
                "Carer 1 suggested that some meetings be held in Kelsby.",
                "The Chair said that rotating the venue was a sensible suggestion and asked "
                "Officer 1 to build it into the schedule.",
            ],
            (4, "adopted"),
        ),
        (
            "Suicide prevention plan",
            [
                "Officer 9 presented the draft plan.",
                "Service user 2 asked that the plan mention the peer-led bereavement group.",
                "RESOLVED: That the Board endorses the plan, subject to the changes agreed above.",
            ],
            (4, "adopted"),
        ),
        # 3 doing together: a shared task.
        (
            "Strategy consultation findings",
            [
                "Officer 3 presented the findings.",
                "Lay member 1 said small groups needed funding for staff time.",
                "Action: Officer 3 and Lay member 1 to meet to discuss support.",
            ],
            (3, "shared_task"),
        ),
        # 2 working together: a set role, or a matter of their own in a procedural item.
        (
            "Welcome and apologies",
            ["The Chair welcomed Service user 3, attending his first meeting."],
            (2, "procedural"),
        ),
        (
            "Peer support workers",
            [
                "Member 5 presented the paper.",
                "Officer 3 added that Service user 3 had been one of the interview panel members.",
            ],
            (2, "set_role"),
        ),
        # 1 consultation: views on what others brought.
        (
            "Talking therapies waiting times",
            [
                "Officer 7 presented a report on waiting times.",
                "Service user 1 said that people were given no idea how long they would wait.",
                "The Chair thanked Service user 1 for his comments, which had been noted.",
            ],
            (1, "views"),
        ),
    ],
)
def test_level_follows_the_observed_cue(
    title: str, texts: list[str], expected: tuple[int, str]
) -> None:
    assert level(title, *texts) == expected


@pytest.mark.parametrize(
    "texts",
    [
        # A proposal nobody takes up is a view, not a decision shared.
        [
            "Member 1 presented the pathway paper.",
            "Carer 1 proposed that the forum write an information pack.",
            "Member 1 said this was a good idea but there was no capacity.",
            "The Chair noted the comments and moved to the next item.",
        ],
        # "A helpful suggestion" the chair only promises to bear in mind is not adopted.
        [
            "Officer 2 reported on recruitment.",
            "Service user 1 suggested that the group see the agenda a month ahead.",
            "The Chair said that this was a helpful suggestion and that officers would bear it "
            "in mind.",
        ],
    ],
)
def test_a_point_thanked_or_noted_stays_consultation(texts: list[str]) -> None:
    assert level("Report", *texts)[0] == 1


def test_only_items_where_a_lay_member_speaks_or_is_named_get_a_level() -> None:
    frame = units(
        ("1", "Welcome", ["The Chair welcomed everyone."]),
        ("2", "Budget", ["Officer 1 presented the budget.", "Member 2 asked about savings."]),
        ("3", "Housing", ["Officer 6 presented the protocol.", "Carer 1 asked about families."]),
        ("4", "Matters arising", ["Officer 1 reported that Service user 2's expenses were paid."]),
    )
    table = item_levels(frame)
    assert list(table["item_no"]) == ["3", "4"]
    assert list(table.columns) == schemas.columns("item_levels")
    assert list(table["lay_units"]) == [1, 0]
    levels = segment_levels(frame, table)
    assert [None if pd.isna(v) else int(v) for v in levels] == [None, None, None, 1, 1, 2]


@pytest.mark.parametrize("role", config.LAY_ROLES)
def test_every_lay_role_takes_part(role: str) -> None:
    name = {"service_user": "Service user 1", "carer": "Carer 1", "lay": "Lay member 1"}[role]
    table = item_levels(units(("5", "Report", [f"{name} said the leaflet was hard to read."])))
    assert len(table) == 1


def test_evidence_names_the_unit_behind_the_level() -> None:
    frame = units(
        ("5", "Annual review", ["Service user 1 and Service user 3 presented the review."])
    )
    row = item_levels(frame).iloc[0]
    assert row["evidence_segment_id"] == frame["segment_id"].iloc[0]
    assert "presented the review" in row["evidence_text"]
    assert row["level_name"] == "leading"


# --------------------------------------------------------------------------- validation
def _gold(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["source", "item_no", "level"])


def test_level_validation_reports_ordinal_agreement() -> None:
    frame = units(
        ("4", "Report", ["Officer 1 presented the report.", "Carer 1 asked a question."]),
        ("5", "Working group", ["Service user 1 presented the working group report."]),
        ("6", "Plan", ["Member 2 presented the plan.", "Service user 2 said it was unclear."]),
        ("7", "Any other business", ["Service user 2 raised the email accounts."]),
    )
    table = item_levels(frame)
    source = "2024-03-14-minutes.pdf"  # a tail of the path is enough
    gold = _gold([(source, "4", "1"), (source, "5.", "4"), (source, "6", "1"), (source, "8", "2")])
    result = validate_levels(table, frame, gold, "gold.csv")
    s = result.summary
    assert s["n"] == 3 and s["gold_only"] == 1 and s["predicted_only"] == 1
    assert s["accuracy"] == pytest.approx(2 / 3)
    assert s["within_one"] == 1.0  # the one miss is a 4 coded as 5
    # One item off by one level costs less with weights than without.
    assert s["weighted_kappa"] > s["kappa"] or math.isnan(s["kappa"])
    assert int(result.confusion.loc[4, 5]) == 1
    assert list(result.disagreements["item_no"]) == ["5"]
    assert "weighted" in result.to_text()


def test_level_validation_rejects_a_level_outside_the_scale() -> None:
    frame = units(("4", "Report", ["Carer 1 asked a question."]))
    with pytest.raises(GoldFileError, match="row 2"):
        validate_levels(item_levels(frame), frame, _gold([("x.pdf", "4", "6")]), "gold.csv")
