"""The output folder's layout and its manifest: one reader, clear about old and damaged files.

Every command that reads a manifest goes through `outputs.read_manifest`; these tests give it
the manifests an older version wrote (keys missing) and files that are not manifests at all, and
check that each command either carries on or says which file is wrong and what to run, never a
KeyError. The last test reads the package's source for output paths written out by hand.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from qda_fixtures import UNITS, write_analysis, write_codebook
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.core import config, io
from pipeline.run import outputs
from pipeline.run.outputs import ManifestError, read_manifest

PIPELINE = Path(__file__).resolve().parents[2] / "pipeline"


def _write(out: Path, text: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / outputs.MANIFEST
    path.write_text(text, encoding="utf-8")
    return path


def test_a_folder_without_a_manifest_has_none(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"involve_version": "0.1.0", "codebook": ', "not UTF-8 JSON"),
        ("[1, 2, 3]", "a JSON list, not an object"),
        ('{"codebook": "themes/demo.yaml"}', "'codebook' is not an object"),
        ('{"outputs": ["tables/meetings.parquet"]}', "'outputs' is not an object"),
        ('{"topics": "none"}', "'topics' is not an object"),
        ('{"facts": [true]}', "'facts' is not an object"),
    ],
)
def test_a_damaged_manifest_names_the_file_the_problem_and_the_fix(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = _write(tmp_path / "out", text)
    with pytest.raises(ManifestError) as caught:
        read_manifest(tmp_path / "out")
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert f"involve analyse CORPUS --out {tmp_path / 'out'}" in message
    # Where a damaged manifest only means "no earlier run", it is taken for none.
    assert read_manifest(tmp_path / "out", strict=False) is None


def test_an_older_manifest_reads_with_what_it_lacks_left_empty(tmp_path: Path) -> None:
    # What an early version wrote: the corpus's path, the codebook's, no facts, no outputs.
    _write(
        tmp_path,
        json.dumps(
            {
                "involve_version": "0.0.3",
                "corpus": "/data/eddington",
                "codebook": {"path": str(config.DEFAULT_CODEBOOK)},
            }
        ),
    )
    manifest = read_manifest(tmp_path)
    assert manifest is not None
    assert manifest.involve_version == "0.0.3"
    assert manifest.corpus_name is None and manifest.board_name is None
    assert manifest.outputs is None and manifest.topics_note == ""
    assert manifest.codebook is not None and manifest.codebook.name is None
    assert manifest.codebook_path() == config.DEFAULT_CODEBOOK
    # The demo's codebook on another corpus was a stand-in, whatever that version said.
    assert manifest.facts == {"own_codebook": False}


def test_report_settings_come_from_the_manifest_with_the_codebook_as_recorded(
    tmp_path: Path,
) -> None:
    codebook = io.load_codebook(write_codebook(tmp_path))
    data = {
        "corpus_name": "mini",
        "board_name": "Mini Partnership Board",
        # The file has been edited to version 2 since this run recorded version 1.
        "codebook": {"path": "elsewhere.yaml", "name": "mini-survey", "version": 1},
        "topics": {"method": "bertopic", "note": "Too few units for topics."},
        "facts": {"own_codebook": True, "roster_used": False, "lay_seats": 2},
    }
    manifest = outputs.parse_manifest(data, tmp_path / outputs.MANIFEST)
    settings = outputs.report_settings(manifest, codebook, tmp_path)
    assert settings["board_name"] == "Mini Partnership Board"
    assert settings["corpus"] == "mini"
    assert (settings["codebook_name"], settings["codebook_version"]) == ("mini-survey", 1)
    assert settings["codebook_source"] == "Invented survey for tests"
    assert [t["id"] for t in settings["codebook_themes"]] == ["housing", "cafe_drop_in"]
    assert settings["topics_note"] == "Too few units for topics."
    assert (settings["roster_used"], settings["lay_seats"]) == (False, 2)
    assert settings["validation"] is None and settings["examples_cv"] is None
    # Without a manifest or a codebook file, the folder's name and nothing invented.
    bare = outputs.report_settings(outputs.Manifest.absent(tmp_path), None, tmp_path)
    assert bare["corpus"] == tmp_path.name and bare["codebook_name"] is None
    assert bare["codebook_themes"] == []
    assert bare.keys() == settings.keys() - {"own_codebook", "roster_used", "lay_seats"}


def _gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.csv"
    rows = ["source,text,focus,speaker_role"]
    rows += [f'{u["source"]},"{u["text"]}",{u["focus"]},{u["speaker_role"]}' for u in UNITS]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_validate_reads_an_older_manifest_without_a_codebook(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_analysis(out, UNITS, write_codebook(tmp_path))
    _write(out, json.dumps({"involve_version": "0.0.3"}))  # before codebooks were recorded
    result = CliRunner().invoke(app, ["validate", str(out), "--gold", str(_gold(tmp_path))])
    assert result.exit_code == 0, result.output
    summary = io.read_json(out / outputs.VALIDATION_SUMMARY)
    assert summary["n_units"] == len(UNITS)


@pytest.mark.parametrize(
    "command",
    [["validate", "OUT", "--gold", "GOLD"], ["export", "qdpx", "OUT"], ["report", "OUT"]],
)
def test_every_command_names_a_damaged_manifest_and_the_fix(
    tmp_path: Path, command: list[str]
) -> None:
    out = tmp_path / "out"
    write_analysis(out, UNITS, write_codebook(tmp_path))
    path = _write(out, '{"codebook": 3}')
    args = [{"OUT": str(out), "GOLD": str(_gold(tmp_path))}.get(a, a) for a in command]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())  # rich wraps long lines
    assert str(path) in text and "involve analyse" in text, text
    assert "KeyError" not in text and "Traceback" not in text


# ------------------------------------------------------------------------------ the layout
_LAYOUT = {
    outputs.TABLES,
    outputs.CHARTS,
    outputs.REPORT,
    outputs.VALIDATION,
    outputs.EXPORT,
    outputs.MANIFEST,
    outputs.DUCKDB,
}


def _hand_made_paths(tree: ast.AST) -> list[int]:
    """Lines where a layout name is joined onto a path (``out / "tables"``) or starts an
    f-string path (``f"charts/{name}.png"``) instead of being taken from pipeline.run.outputs."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            for side in (node.left, node.right):
                if isinstance(side, ast.Constant) and side.value in _LAYOUT:
                    lines.append(node.lineno)
        if isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                head = first.value.removeprefix("../").split("/")[0]
                if "/" in first.value and head in _LAYOUT:
                    lines.append(node.lineno)
    return sorted(lines)


def test_the_output_layout_is_written_down_in_one_module_only() -> None:
    found = {}
    for path in sorted(PIPELINE.rglob("*.py")):
        if path.name == "outputs.py":
            continue
        lines = _hand_made_paths(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[path.relative_to(PIPELINE).as_posix()] = lines
    assert not found, f"output paths made by hand (use pipeline.run.outputs): {found}"


def test_the_layout_check_finds_a_path_made_by_hand() -> None:
    made = 'out / "tables" / "x.parquet"\nsrc = f"../charts/{name}.png"\nok = f"{a}/{b}"\n'
    assert _hand_made_paths(ast.parse(made)) == [1, 2]
