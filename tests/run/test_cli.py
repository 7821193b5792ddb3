"""The `involve` command as a user types it: messages, exit codes, files written."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.core.io import load_codebook

runner = CliRunner()
CALDERBROOK_CODEBOOK = (
    Path(__file__).resolve().parents[2] / "themes" / "calderbrook-survey-2023.yaml"
)


def test_missing_corpus_is_one_clear_line_without_traceback(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["analyse", str(tmp_path / "no-such-board"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "no such folder" in result.output
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["--debug", "analyse", str(tmp_path / "missing"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "Traceback" in result.output


def test_themes_from_survey_writes_a_codebook_that_loads(tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    rows = [["priority_1", "priority_2", "comment"]]
    rows += [["Housing", "Crisis support", "my landlord wants me out of the flat"]] * 5
    rows += [["Crisis support", "", "nobody answered the crisis line at night"]] * 3
    with survey.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / "themes" / "mine.yaml"
    result = runner.invoke(app, ["themes", "from-survey", str(survey), "--out", str(out)])
    assert result.exit_code == 0, result.output
    codebook = load_codebook(out)
    assert codebook.name == "mine"
    assert [(t.id, t.priority_rank, t.survey_share) for t in codebook.themes] == [
        ("crisis_support", 1, 1.0),
        ("housing", 2, 0.625),
    ]


def test_survey_without_priority_columns_is_refused_clearly(tmp_path: Path) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("age,comment\n30,fine\n")
    result = runner.invoke(
        app, ["themes", "from-survey", str(survey), "--out", str(tmp_path / "x.yaml")]
    )
    assert result.exit_code == 2
    assert "survey.csv" in result.output and "priority" in result.output.lower()
    assert not (tmp_path / "x.yaml").exists()


def test_themes_check_says_a_codebook_is_valid_and_what_it_holds(tmp_path: Path) -> None:
    result = runner.invoke(app, ["themes", "check", str(CALDERBROOK_CODEBOOK)])
    assert result.exit_code == 0, result.output
    assert "version 1, 9 themes, involvement theme: Having a say. It is valid." in result.output
    assert "having_a_say (Having a say): 7 seeds" in result.output


def test_themes_check_names_the_file_field_and_fix_of_a_mistake(tmp_path: Path) -> None:
    data = yaml.safe_load(CALDERBROOK_CODEBOOK.read_text())
    data["involvement_theme"] = "having_a_voice"
    broken = tmp_path / "mine.yaml"
    broken.write_text(yaml.safe_dump(data))
    result = runner.invoke(app, ["themes", "check", str(broken)])
    assert result.exit_code == 2
    assert str(broken) in result.output
    assert "'involvement_theme'" in result.output and "did you mean 'having_a_say'" in result.output


def test_help_shows_the_defaults_written_in_brackets() -> None:
    # Rich reads "[default: ...]" as markup and drops it; the help must still say it.
    result = runner.invoke(app, ["analyse", "--help"], env={"COLUMNS": "200"})
    assert "Output folder (default: outputs/<corpus>)." in result.output


@pytest.mark.slow
def test_analyse_then_validate_against_hand_coding(tmp_path: Path, fixtures_dir: Path) -> None:
    corpus = tmp_path / "forum"
    corpus.mkdir()
    shutil.copy(fixtures_dir / "mini-minutes.pdf", corpus)
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyse", str(corpus), "--out", str(out), "--no-embeddings"])
    assert result.exit_code == 0, result.output
    assert (out / "report" / "index.html").exists()
    gold = tmp_path / "gold.csv"
    with gold.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["source", "text", "focus", "speaker_role"])
        writer.writerow(
            [
                "mini-minutes.pdf",
                "Tomasz Nowicki said that carers in the rural "
                "villages could not use the scheme because the approved providers would "
                "not travel beyond Eastbrook town. He asked whether a mileage allowance "
                "could be offered to providers serving outlying areas.",
                "process",
                "carer",
            ]
        )
        writer.writerow(
            [
                "mini-minutes.pdf",
                "Brenda Okafor agreed and added that several carers "
                "she supports had given up applying because the form was six pages long "
                "and asked for the same information twice. She offered to help redesign "
                "it.",
                "action",
                "carer",
            ]
        )
    result = runner.invoke(app, ["validate", str(out), "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    assert "kappa" in result.output and "Matched 2 of 2" in result.output
    assert (out / "validation" / "summary.json").exists()
    assert yaml.safe_load((out / "validation" / "summary.json").read_text())["n_units"] == 2
