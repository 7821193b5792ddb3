"""The `involve` command as a user types it: messages, exit codes, files written."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.io import load_codebook

runner = CliRunner()


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
