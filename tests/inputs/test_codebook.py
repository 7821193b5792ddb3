"""Tests for pipeline.inputs.codebook: validating codebooks and drafting them from a survey."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from pipeline.core.errors import CodebookError, InputError
from pipeline.inputs.codebook import Codebook, codebook_to_data, parse_codebook
from pipeline.inputs.survey import from_survey

ROOT = Path(__file__).resolve().parents[2]
DEMO_YAML = ROOT / "themes" / "demo-survey-2022.yaml"
DEMO_CSV = ROOT / "themes" / "demo-survey-2022.csv"
DEMO_IDS = [
    "crisis_support",
    "waiting_times",
    "housing",
    "being_listened_to",
    "information",
    "work_and_money",
    "physical_health",
    "carers",
    "peer_support",
    "stigma",
]
ORIGIN = "themes/broken.yaml"


def valid_data() -> dict[str, Any]:
    return {
        "name": "test-survey",
        "version": 1,
        "source": "Invented survey (n=10)",
        "themes": [
            {
                "id": "crisis_support",
                "label": "Crisis support",
                "priority_rank": 1,
                "survey_share": 0.5,
                "definition": "Urgent help, day and night.",
                "seeds": ["crisis", "out of hours", "home treatment"],
                "examples": {"include": ["Nobody answered at night."], "exclude": []},
            },
            {
                "id": "waiting_times",
                "label": "Waiting times",
                "priority_rank": 2,
                "survey_share": 0.4,
                "definition": "Waits for assessment and therapy.",
                "seeds": ["waiting list", "assessment"],
            },
            {
                "id": "housing",
                "label": "Housing",
                "priority_rank": 3,
                "definition": "Somewhere safe to live.",
                "seeds": ["tenancy", "homeless"],
            },
        ],
    }


# --- parse_codebook ------------------------------------------------------------------------


def test_parse_accepts_the_demo_codebook() -> None:
    data = yaml.safe_load(DEMO_YAML.read_text(encoding="utf-8"))
    cb = parse_codebook(data, str(DEMO_YAML))
    assert list(cb.ids) == DEMO_IDS  # the ids STORY.md promises the demo corpus
    assert [t.priority_rank for t in cb.themes] == list(range(1, 11))
    shares = [t.survey_share or 0.0 for t in cb.themes]
    assert all(t.survey_share is not None for t in cb.themes)
    assert shares == sorted(shares, reverse=True)
    assert all(len(t.seeds) >= 5 for t in cb.themes)
    all_seeds = [s.lower() for t in cb.themes for s in t.seeds]
    assert len(all_seeds) == len(set(all_seeds))


def test_parse_valid_minimal() -> None:
    cb = parse_codebook(valid_data(), "ok.yaml")
    assert cb.name == "test-survey"
    assert cb.version == 1
    assert cb.origin == "ok.yaml"
    assert cb.ids == ("crisis_support", "waiting_times", "housing")
    housing = cb.by_id["housing"]
    assert housing.survey_share is None
    assert housing.seeds == ("tenancy", "homeless")
    assert housing.examples_include == ()
    assert cb.by_id["crisis_support"].examples_include == ("Nobody answered at night.",)


def _drop_seeds(d: dict[str, Any]) -> None:
    del d["themes"][2]["seeds"]


def _duplicate_id(d: dict[str, Any]) -> None:
    d["themes"][2]["id"] = "crisis_support"


def _rank_as_text(d: dict[str, Any]) -> None:
    d["themes"][2]["priority_rank"] = "third"


def _share_too_big(d: dict[str, Any]) -> None:
    d["themes"][2]["survey_share"] = 1.5


def _seed_not_seeds(d: dict[str, Any]) -> None:
    d["themes"][2]["seed"] = d["themes"][2].pop("seeds")


def _reserved_id(d: dict[str, Any]) -> None:
    d["themes"][2]["id"] = "other"


def _uppercase_id(d: dict[str, Any]) -> None:
    d["themes"][2]["id"] = "Housing Need"


def _duplicate_rank(d: dict[str, Any]) -> None:
    d["themes"][2]["priority_rank"] = 1


def _seeds_as_text(d: dict[str, Any]) -> None:
    d["themes"][2]["seeds"] = "tenancy"


def _empty_seeds(d: dict[str, Any]) -> None:
    d["themes"][2]["seeds"] = []


def _blank_seed(d: dict[str, Any]) -> None:
    d["themes"][2]["seeds"] = ["tenancy", "  "]


def _seed_in_two_themes(d: dict[str, Any]) -> None:
    d["themes"][2]["seeds"] = ["tenancy", "Crisis"]


def _theme_not_mapping(d: dict[str, Any]) -> None:
    d["themes"][2] = "housing"


def _unknown_example_key(d: dict[str, Any]) -> None:
    d["themes"][2]["examples"] = {"includes": ["x"]}


def _involvement_typo(d: dict[str, Any]) -> None:
    d["involvement_theme"] = "housng"


def _involvement_unknown(d: dict[str, Any]) -> None:
    d["involvement_theme"] = "having_a_say"


MALFORMED: list[tuple[str, Callable[[dict[str, Any]], None], list[str]]] = [
    (
        "involvement theme misspelt",
        _involvement_typo,
        [
            "top level, field 'involvement_theme'",
            "'housng' is not the id",
            "did you mean 'housing'",
        ],
    ),
    (
        "involvement theme not in the codebook",
        _involvement_unknown,
        ["'having_a_say' is not the id of any theme", "crisis_support, waiting_times, housing"],
    ),
    ("missing seeds", _drop_seeds, ["theme 'housing' (themes[2])", "'seeds'", "missing"]),
    (
        "duplicate id",
        _duplicate_id,
        ["theme 'crisis_support' (themes[2])", "'id'", "already used by themes[0]"],
    ),
    (
        "bad rank type",
        _rank_as_text,
        ["theme 'housing' (themes[2])", "'priority_rank'", "whole number", "'third'"],
    ),
    (
        "survey_share 1.5",
        _share_too_big,
        ["theme 'housing' (themes[2])", "'survey_share'", "1.5 is outside 0 to 1"],
    ),
    (
        "unknown field seed",
        _seed_not_seeds,
        ["theme 'housing' (themes[2])", "'seed'", "did you mean 'seeds'?"],
    ),
    ("reserved id other", _reserved_id, ["theme 'other' (themes[2])", "'id'", "reserved"]),
    (
        "id not an identifier",
        _uppercase_id,
        ["theme 'Housing Need' (themes[2])", "'id'", "'housing_need'"],
    ),
    (
        "duplicate rank",
        _duplicate_rank,
        ["theme 'housing' (themes[2])", "'priority_rank'", "already the rank of"],
    ),
    (
        "seeds as text",
        _seeds_as_text,
        ["theme 'housing' (themes[2])", "'seeds'", "seeds: [tenancy]"],
    ),
    ("empty seeds", _empty_seeds, ["theme 'housing' (themes[2])", "'seeds'", "empty list"]),
    ("blank seed", _blank_seed, ["theme 'housing' (themes[2])", "'seeds[1]'", "empty"]),
    (
        "seed in two themes",
        _seed_in_two_themes,
        ["theme 'housing' (themes[2])", "'seeds'", "also a seed of theme 'crisis_support'"],
    ),
    ("theme not a mapping", _theme_not_mapping, ["themes[2]", "not a mapping"]),
    (
        "unknown examples key",
        _unknown_example_key,
        ["theme 'housing' (themes[2])", "'examples.includes'", "did you mean 'include'?"],
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"), [(m, e) for _, m, e in MALFORMED], ids=[n for n, _, _ in MALFORMED]
)
def test_parse_rejects_malformed(
    mutate: Callable[[dict[str, Any]], None], expected: list[str]
) -> None:
    data = copy.deepcopy(valid_data())
    mutate(data)
    with pytest.raises(CodebookError) as info:
        parse_codebook(data, ORIGIN)
    message = str(info.value)
    assert ORIGIN in message
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in:\n{message}"


@pytest.mark.parametrize("data", [["crisis", "housing"], "just text", 42, None])
def test_parse_rejects_non_mapping(data: object) -> None:
    with pytest.raises(CodebookError) as info:
        parse_codebook(data, ORIGIN)
    message = str(info.value)
    assert message.startswith(ORIGIN)
    assert "mapping" in message


def test_parse_reports_all_problems_together() -> None:
    data = valid_data()
    del data["version"]
    data["themes"][0]["survey_share"] = "46%"
    data["themes"][1]["seeds"] = None
    data["themes"][2]["seed"] = data["themes"][2].pop("seeds")
    with pytest.raises(CodebookError) as info:
        parse_codebook(data, ORIGIN)
    lines = str(info.value).splitlines()
    assert lines[0] == f"{ORIGIN}: 5 problems in the codebook:"
    assert all(line.startswith(f"{ORIGIN}: ") for line in lines)
    body = "\n".join(lines[1:])
    assert "top level, field 'version'" in body
    assert "theme 'crisis_support' (themes[0]), field 'survey_share'" in body
    assert "theme 'waiting_times' (themes[1]), field 'seeds'" in body
    assert "theme 'housing' (themes[2]), field 'seed'" in body
    assert "theme 'housing' (themes[2]), field 'seeds': is missing" in body


def test_codebook_error_is_an_input_error() -> None:
    """The CLI prints InputError messages without a traceback."""
    with pytest.raises(InputError):
        parse_codebook({}, ORIGIN)


def test_codebook_to_data_round_trips() -> None:
    cb = parse_codebook(valid_data(), "a.yaml")
    data = codebook_to_data(cb)
    assert parse_codebook(data, "a.yaml") == cb
    assert codebook_to_data(parse_codebook(data, "a.yaml")) == data
    # Optional fields stay optional: no survey_share or empty examples invented for housing.
    assert "survey_share" not in data["themes"][2]
    assert "examples" not in data["themes"][2]
    # And the YAML the CLI writes reads back to the same codebook.
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    assert parse_codebook(yaml.safe_load(text), "a.yaml") == cb


def test_demo_codebook_round_trips() -> None:
    data = yaml.safe_load(DEMO_YAML.read_text(encoding="utf-8"))
    cb = parse_codebook(data, "demo.yaml")
    assert codebook_to_data(cb) == data


def test_fingerprint_follows_content_not_origin() -> None:
    cb = parse_codebook(valid_data(), "a.yaml")
    assert len(cb.fingerprint) == 64
    assert parse_codebook(valid_data(), "elsewhere/b.yaml").fingerprint == cb.fingerprint

    changed = valid_data()
    changed["themes"][2]["seeds"] = ["tenancy", "hostel"]
    assert parse_codebook(changed, "a.yaml").fingerprint != cb.fingerprint

    housing = cb.by_id["housing"]
    edited = dataclasses.replace(
        cb, themes=(*cb.themes[:2], dataclasses.replace(housing, seeds=("tenancy",)))
    )
    assert isinstance(edited, Codebook)
    assert edited.fingerprint != cb.fingerprint


def test_involvement_theme_is_read_written_and_fingerprinted() -> None:
    plain = parse_codebook(valid_data(), "a.yaml")
    assert plain.involvement_theme is None
    assert "involvement_theme" not in codebook_to_data(plain)
    data = valid_data()
    data["involvement_theme"] = "housing"
    cb = parse_codebook(data, "a.yaml")
    assert cb.involvement_theme == "housing"
    assert codebook_to_data(cb)["involvement_theme"] == "housing"
    # Naming a different theme changes what is coded, so it must change the run's fingerprint.
    assert cb.fingerprint != plain.fingerprint


def test_codebook_is_immutable() -> None:
    cb = parse_codebook(valid_data(), "a.yaml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cb.version = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        cb.by_id["new"] = cb.themes[0]  # type: ignore[index]


# --- from_survey ---------------------------------------------------------------------------

# Hand count: Crisis support is named by respondents 1, 2, 3 and 5 (4); Carers by 1, 4 and 7 (3);
# Housing by 1 and 2 (2); Information, Waiting times and Peer support once each. Information and
# Waiting times were each someone's first choice, Peer support only a second, so Peer support
# comes last; Information before Waiting times by label. Respondent 6 ticked nothing, so shares
# are out of 6 respondents, not 7.
TICKS = [
    ("Housing", "Crisis support", "Carers"),
    ("Crisis support", "Housing", ""),
    ("Crisis support", "Peer support", None),
    ("Waiting times", "Carers", ""),
    ("Information", "Crisis support", ""),
    ("", None, "  "),
    ("Carers", "", ""),
]
EXPECTED = [
    ("crisis_support", "Crisis support", 1, 0.667),
    ("carers", "Carers", 2, 0.5),
    ("housing", "Housing", 3, 0.333),
    ("information", "Information", 4, 0.167),
    ("waiting_times", "Waiting times", 5, 0.167),
    ("peer_support", "Peer support", 6, 0.167),
]


@pytest.mark.parametrize(
    "columns",
    [
        ["priority_1", "priority_2", "priority_3"],
        ["Rank 1", "Rank 2", "Rank 3"],
        ["First priority", "Second priority", "Third priority"],
        ["Priority 1", "Priority 2", "Priority 3"],
    ],
)
def test_from_survey_ranks_by_count_and_computes_shares(columns: list[str]) -> None:
    df = pd.DataFrame(TICKS, columns=columns)
    df.insert(0, "respondent_id", [f"R{i}" for i in range(1, len(TICKS) + 1)])
    data = from_survey(df, name="tiny", source="Invented (n=7)", origin="tiny.csv")
    got = [(t["id"], t["label"], t["priority_rank"], t["survey_share"]) for t in data["themes"]]
    assert got == EXPECTED
    assert data["version"] == 1
    assert data["name"] == "tiny"
    assert data["source"] == "Invented (n=7)"
    parse_codebook(data, "tiny.csv")


def test_from_survey_columns_in_rank_order_not_file_order() -> None:
    df = pd.DataFrame(
        {"priority_2": ["Housing", "Housing"], "priority_1": ["Carers", "Crisis support"]}
    )
    data = from_survey(df, name="t", source="s")
    # Housing is named twice; Carers and Crisis support once, both as first choices.
    assert [t["id"] for t in data["themes"]] == ["housing", "carers", "crisis_support"]


def test_from_survey_counts_a_respondent_once_per_option() -> None:
    df = pd.DataFrame({"priority_1": ["Housing", "Carers"], "priority_2": ["Housing", ""]})
    data = from_survey(df, name="t", source="s")
    shares = {t["id"]: t["survey_share"] for t in data["themes"]}
    assert shares == {"housing": 0.5, "carers": 0.5}
    # Tied on count and on first choices: by label.
    assert [t["id"] for t in data["themes"]] == ["carers", "housing"]


def test_from_survey_builds_ids_from_labels() -> None:
    labels = ["Work and money", "Being listened to", "A&E / crisis care", "24-hour help", "Other"]
    df = pd.DataFrame({"priority_1": labels})
    data = from_survey(df, name="t", source="s")
    by_label = {t["label"]: t["id"] for t in data["themes"]}
    assert by_label == {
        "Work and money": "work_and_money",
        "Being listened to": "being_listened_to",
        "A&E / crisis care": "a_e_crisis_care",
        "24-hour help": "p_24_hour_help",
    }
    assert "'Other'" in data["notes"]  # left out, and the notes say why
    parse_codebook(data, "t")


def test_from_survey_without_free_text_uses_label_words() -> None:
    df = pd.DataFrame(TICKS, columns=["priority_1", "priority_2", "priority_3"])
    df["service"] = ["GP only"] * len(TICKS)  # short repeated labels are not free text
    data = from_survey(df, name="t", source="s")
    seeds = {t["id"]: t["seeds"] for t in data["themes"]}
    assert seeds["crisis_support"] == ["crisis support", "crisis"]
    assert seeds["peer_support"] == ["peer support", "peer"]  # "support" is in both labels
    assert seeds["carers"] == ["carers"]
    assert "no free-text" in data["notes"]
    assert all("examples" not in t for t in data["themes"])
    parse_codebook(data, "t")


SURVEY_WITH_COMMENTS = [
    ("Housing", "Crisis support", "", "My landlord ignored the damp and I lost my tenancy."),
    ("Housing", "", "", "The tenancy ended and the landlord kept my deposit."),
    (
        "Housing",
        "Peer support",
        "",
        "Without a tenancy you are homeless, and no landlord will take you.",
    ),
    ("Housing", "Information", "", "I want a tenancy of my own but the landlord said no."),
    ("Crisis support", "", "", "Nobody answered the crisis line at night."),
    ("Crisis support", "Information", "Carers", "At night the crisis line rang out."),
    ("Crisis support", "", "Carers", "I rang the crisis line twice at night and got no answer."),
    ("Crisis support", "", "", "Night after night I waited for the crisis line."),
    ("Crisis support", "", "", ""),
    ("", "", "", "I did not tick anything."),
    ("Peer support", "", "", "The staff were kind and the group was friendly."),
    ("Information", "", "", "A leaflet about medication would be welcome."),
]


def test_from_survey_draws_seeds_from_comments() -> None:
    df = pd.DataFrame(
        SURVEY_WITH_COMMENTS,
        columns=["priority_1", "priority_2", "priority_3", "Anything else you want to tell us?"],
    )
    df["service"] = ["GP only", "None now"] * 6
    data = from_survey(df, name="t", source="s", origin="tiny.csv")
    themes = {t["id"]: t for t in data["themes"]}
    housing = themes["housing"]
    # Found by being the longest text column, not by its name.
    assert "'Anything else you want to tell us?'" in data["notes"]
    assert housing["seeds"][0] == "housing"
    assert {"tenancy", "landlord"} <= set(housing["seeds"])
    assert "tenancy" in housing["definition"]
    include = housing["examples"]["include"]
    assert 1 <= len(include) <= 3
    assert all("tenancy" in text for text in include)
    all_seeds = [s for t in data["themes"] for s in t["seeds"]]
    assert len(all_seeds) == len(set(all_seeds))
    parse_codebook(data, "tiny.csv")


def test_from_survey_errors_without_priority_columns() -> None:
    df = pd.DataFrame({"respondent_id": ["R1"], "comment": ["Help at night"]})
    with pytest.raises(CodebookError) as info:
        from_survey(df, name="t", source="s", origin="survey.csv")
    message = str(info.value)
    assert message.startswith("survey.csv:")
    assert "'respondent_id'" in message
    assert "'comment'" in message
    assert "priority_1" in message


def test_from_survey_errors_when_nobody_ticked_anything() -> None:
    df = pd.DataFrame({"priority_1": ["", None], "priority_2": [None, " "]})
    with pytest.raises(CodebookError, match=r"^survey\.csv: no respondent ticked"):
        from_survey(df, name="t", source="s", origin="survey.csv")


def test_from_survey_on_the_demo_survey() -> None:
    df = pd.read_csv(DEMO_CSV, dtype=str, keep_default_na=False)
    data = from_survey(df, name="demo-survey-2022", source="demo", origin=str(DEMO_CSV))
    cb = parse_codebook(data, str(DEMO_CSV))
    assert list(cb.ids) == DEMO_IDS
    seeds = {t.id: set(t.seeds) for t in cb.themes}
    assert {"crisis line", "out of hours", "home treatment"} <= seeds["crisis_support"]
    assert {"waiting list", "talking therapies"} <= seeds["waiting_times"]
    assert {"tenancy", "homeless", "supported accommodation"} <= seeds["housing"]
    assert all(8 <= len(s) <= 12 for s in seeds.values())


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["Housing", "Having a say", "Crisis support"], "having_a_say"),
        (["Being listened to", "Housing"], "being_listened_to"),
        (["Youth voice", "Housing"], "youth_voice"),
        # Two labels about voice: the researcher decides, the draft does not guess.
        (["Having a say", "Being listened to", "Housing"], None),
        (["Housing", "Crisis support"], None),
    ],
)
def test_from_survey_proposes_the_involvement_theme(
    labels: list[str], expected: str | None
) -> None:
    df = pd.DataFrame({"priority_1": labels * 3})
    data = from_survey(df, name="t", source="s")
    assert data.get("involvement_theme") == expected
    cb = parse_codebook(data, "draft.yaml")
    assert cb.involvement_theme == expected
    if expected:
        assert f"involvement_theme is {expected!r}" in data["notes"]
