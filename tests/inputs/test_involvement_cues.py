"""The involvement cue lexicon (themes/involvement-cues.yaml): a user can fix it from its error
messages, and a cue they add to their copy is what levels, uptake and the 4Pi ratings then read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.classify.focus.cues import CuesError
from pipeline.core import config
from pipeline.core.errors import InputError
from pipeline.inputs.involvement_cues import load_involvement_cues
from pipeline.involvement.levels import item_levels
from pipeline.involvement.uptake import uptake
from pipeline.measure.fourpi import NOT_EVIDENCED, PARTIAL, rate_year
from pipeline.run.runner import _involvement_cues_hash
from tests.involvement.test_levels import units
from tests.involvement.test_uptake import APR, JAN, MAR, Row, frame


def bundled() -> dict[str, Any]:
    data = yaml.safe_load(config.DEFAULT_INVOLVEMENT_CUES.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "my-involvement-cues.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_bundled_lexicon_loads_every_section() -> None:
    cues = load_involvement_cues(config.DEFAULT_INVOLVEMENT_CUES)
    assert cues.levels.lead_anywhere.search("Service user 2 presented the survey results.")
    assert cues.uptake.refers_to("As Carer 1 had suggested, letters now give the wait.", "Carer 1")
    assert not cues.uptake.refers_to("As Carer 12 had suggested, ...", "Carer 1")
    assert set(cues.four_pi.process) == {
        "communication",
        "support and training",
        "payment and practical support",
    }
    assert len(cues.fingerprint) == 64


Change = Callable[[dict[str, Any]], object]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["levels"].update(request="(?:asked for"),
            "levels.request: not a valid regular expression",
        ),
        (
            lambda d: d["levels"].update(propose={"pattern": "[proposed", "case_sensitive": True}),
            "levels.propose: not a valid regular expression",
        ),
        (lambda d: d["levels"].pop("set_role"), "levels: missing set_role; copy them from"),
        (
            lambda d: d["levels"].update(lead_anywere="x"),
            "unknown key(s) lead_anywere (did you mean lead_anywhere?)",
        ),
        (lambda d: d.pop("uptake"), "missing section(s) uptake"),
        (
            lambda d: d["uptake"]["reference"].append("as the member had suggested"),
            "uptake.reference entry 5: each pattern must name the person referred to with "
            "<<contributor>>",
        ),
        (
            lambda d: d["levels"].update(reports="<<lay_members>> reported"),
            "levels.reports: unknown fragment <<lay_members>>",
        ),
        (
            lambda d: d["four_pi"]["process"].update(training=[["nested"]]),
            "four_pi.process.training entry 1: a phrase must be plain words",
        ),
        (lambda d: d["four_pi"].update(purpose=[]), "four_pi: missing purpose"),
    ],
)
def test_a_broken_lexicon_names_the_file_the_entry_and_the_fix(
    tmp_path: Path, change: Change, expected: str
) -> None:
    data = bundled()
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(CuesError) as err:
        load_involvement_cues(path)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_a_missing_lexicon_is_a_clear_error_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="involvement cue lexicon not found"):
        _involvement_cues_hash(tmp_path / "missing.yaml")
    with pytest.raises(CuesError, match="involvement cue lexicon not found"):
        load_involvement_cues(tmp_path / "missing.yaml")


def test_a_lead_verb_added_to_the_users_copy_makes_the_item_leading(tmp_path: Path) -> None:
    segments = units(
        (
            "4",
            "Peer support review",
            [
                "Officer 3 introduced the review.",
                "Service user 1 walked the Board through the findings of the peer review.",
            ],
        )
    )
    assert item_levels(segments)["level"].tolist() == [1]
    data = bundled()
    data["levels"]["lead_anywhere"] = data["levels"]["lead_anywhere"].replace(
        "gave a presentation", "gave a presentation|walked the Board through"
    )
    mine = load_involvement_cues(write(tmp_path, data))
    found = item_levels(segments, mine)
    assert (found["level"].tolist(), found["cue"].tolist()) == ([5], ["lead"])


def test_a_reference_phrase_added_to_the_users_copy_is_uptake(tmp_path: Path) -> None:
    # Two meetings on, in an item of its own: only a reference can link it to the point.
    rows: list[Row] = [
        (JAN, "6", "Crisis line", "Service user 2 said the line was never answered.", "process",
         False, ""),
        (MAR, "2", "Budget", "Officer 1 presented the budget.", "process", False, ""),
        (APR, "4", "Crisis line", "Thanks to the prompting of Service user 2 the line now rings "
         "through to the duty team.", "outcome", False, ""),
    ]  # fmt: skip
    assert uptake(frame(rows)).links.empty
    data = bundled()
    data["uptake"]["reference"].append("thanks to the prompting of <<contributor>>")
    mine = load_involvement_cues(write(tmp_path, data))
    table = uptake(frame(rows), cues=mine).links
    assert table["link"].tolist() == ["reference"]


def test_a_purpose_phrase_added_to_the_users_copy_is_evidence(tmp_path: Path) -> None:
    segments = units(("5", "Membership", ["The board agreed its lay partnership compact."]))
    year: dict[str, object] = {}
    default = {r["standard"]: r["rating"] for r in rate_year(year, segments, None)}
    assert default["Purpose"] == NOT_EVIDENCED
    data = bundled()
    data["four_pi"]["purpose"].append("Lay Partnership  Compact")
    mine = load_involvement_cues(write(tmp_path, data)).four_pi
    rated = {r["standard"]: r for r in rate_year(year, segments, None, mine)}
    assert rated["Purpose"]["rating"] == PARTIAL
    assert rated["Purpose"]["evidence_segment_ids"] == segments["segment_id"].iloc[0]


def test_process_names_the_aspects_the_users_lexicon_looks_for(tmp_path: Path) -> None:
    segments = units(("5", "Support", ["Travel expenses are paid on the day."]))
    data = bundled()
    data["four_pi"]["process"] = {"payment": ["expenses"], "accessible venues": ["step-free"]}
    mine = load_involvement_cues(write(tmp_path, data)).four_pi
    rated = {r["standard"]: r for r in rate_year({}, segments, None, mine)}
    assert rated["Process"]["rating"] == PARTIAL
    assert (rated["Process"]["aspects_found"], rated["Process"]["aspects_missing"]) == (
        "payment",
        "accessible venues",
    )


def test_an_edited_lexicon_changes_the_run_fingerprint(tmp_path: Path) -> None:
    data = bundled()
    first = _involvement_cues_hash(write(tmp_path, data))
    data["four_pi"]["purpose"].append("lay partnership compact")
    assert _involvement_cues_hash(write(tmp_path, data)) != first
