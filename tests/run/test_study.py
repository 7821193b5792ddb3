"""`involve study` as an evaluation team meets it: boards found, analysed, compared, failures
named."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import cli
from pipeline.core import config, io, schemas
from pipeline.core.errors import InputError
from pipeline.measure import intervals
from pipeline.report import charts
from pipeline.run.cluster import check_executor
from pipeline.run.study import StudyFileError, StudyOptions, default_out, find_study, run_study

BROKEN_ROSTER = "members:\n  - {name: Gillian Harcourt, role: chairperson}\n"


BOARDS = {
    "riverside": ["mini-minutes.pdf"],
    "hillcrest": ["word-minutes.pdf", "mini-minutes.docx"],
    "broken": ["mini-minutes.md"],
}


def make_study(root: Path, fixtures: Path, boards: Sequence[str] = tuple(BOARDS)) -> Path:
    """Two small boards made of the test fixtures, and one whose board.yaml is malformed."""
    study = root / "study"
    for board in boards:
        files = BOARDS[board]
        (study / board).mkdir(parents=True)
        for name in files:
            shutil.copy(fixtures / name, study / board / name)
    if "broken" in boards:
        (study / "broken" / config.BOARD_FILE).write_text(BROKEN_ROSTER)
    return study


# ---------------------------------------------------------------------------- finding the boards
def test_a_folder_of_board_folders_is_a_study_with_each_folders_own_codebook(
    tmp_path: Path,
) -> None:
    for name in ["north", "south", ".hidden", "_drafts"]:
        (tmp_path / name).mkdir()
    (tmp_path / "south" / config.CODEBOOK_FILE).write_text("name: south\n")
    (tmp_path / "notes.txt").write_text("not a board")
    study = find_study(tmp_path)
    assert [b.name for b in study.boards] == ["north", "south"]
    assert study.boards[0].codebook is None
    assert study.boards[1].codebook == tmp_path / "south" / config.CODEBOOK_FILE


def test_a_study_file_lists_boards_with_paths_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "studies").mkdir()
    path = tmp_path / "studies" / "national.yaml"
    path.write_text(
        "name: National sample\nboards:\n"
        "  - {name: Harrowmere board, path: ../demo, codebook: ../themes/demo.yaml}\n"
        "  - {path: ../calderbrook, roster: rosters/calderbrook.yaml}\n"
    )
    study = find_study(path)
    assert study.name == "National sample"
    first, second = study.boards
    assert first.corpus.resolve() == (tmp_path / "demo").resolve()
    assert first.codebook is not None
    assert first.codebook.resolve() == (tmp_path / "themes" / "demo.yaml").resolve()
    assert first.folder == "Harrowmere-board"  # no space in the output folder's name
    assert second.name == "calderbrook" and second.codebook is None
    assert second.roster == tmp_path / "studies" / "rosters" / "calderbrook.yaml"


def test_a_study_is_written_to_outputs_under_its_folders_or_files_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "national").mkdir()
    (tmp_path / "national" / config.STUDY_FILE).write_text("boards: []\n")
    assert default_out(Path("national")) == tmp_path / "outputs" / "national"
    monkeypatch.chdir(tmp_path / "national")
    assert default_out(Path(config.STUDY_FILE)) == tmp_path / "national" / "outputs" / "national"
    assert default_out(Path("../north-east.yaml")).name == "north-east"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("boards: []\n", "no boards listed"),
        ("boards:\n  - {name: a}\n", "board 1 has no 'path'"),
        ("boards:\n  - {path: a, codebok: x.yaml}\n", "'codebok'"),
        ("boards:\n  - {name: a b, path: x}\n  - {name: a/b, path: y}\n", "share the output"),
    ],
)
def test_a_study_file_that_lists_no_usable_boards_says_what_is_wrong(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / config.STUDY_FILE
    path.write_text(text)
    with pytest.raises(StudyFileError, match=expected):
        find_study(tmp_path)  # a folder holding study.yaml reads the file


def test_an_empty_study_folder_and_an_output_folder_inside_it_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no board folders"):
        find_study(tmp_path)
    (tmp_path / "north").mkdir()
    with pytest.raises(InputError, match="inside the study folder"):
        run_study(StudyOptions(study=tmp_path, out=tmp_path / "out"))


def test_a_codebook_in_a_board_folder_is_not_read_as_a_document(tmp_path: Path) -> None:
    (tmp_path / config.CODEBOOK_FILE).write_text("name: x\n")
    (tmp_path / "minutes.txt").write_text("Minutes")
    assert [f.rel for f in io.list_corpus(tmp_path)] == ["minutes.txt"]


def test_analyse_codes_with_the_board_folders_own_codebook_when_none_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.run import runner

    seen = {}

    def capture(opts: runner.RunOptions, progress: object = None) -> None:
        seen["opts"] = opts
        raise InputError("stopped after reading the options")

    monkeypatch.setattr(runner, "analyse", capture)
    (tmp_path / config.CODEBOOK_FILE).write_text("name: x\n")
    result = CliRunner().invoke(cli.app, ["analyse", str(tmp_path), "--out", str(tmp_path.parent)])
    assert result.exit_code == 2
    assert seen["opts"].codebook == tmp_path / config.CODEBOOK_FILE
    assert seen["opts"].own_codebook  # its priorities are the board's own


def test_an_unknown_executor_or_a_scheduler_without_dask_is_refused() -> None:
    with pytest.raises(InputError, match="local, dask"):
        check_executor("spark", None)
    with pytest.raises(InputError, match="--executor dask"):
        check_executor("local", "tcp://10.0.0.5:8786")
    result = CliRunner().invoke(cli.app, ["analyse", "corpora/demo", "--executor", "spark"])
    assert result.exit_code == 2 and "choose one of local, dask" in result.output


def test_a_study_whose_boards_all_fail_names_each_writes_its_page_and_exits_1(
    tmp_path: Path, fixtures_dir: Path
) -> None:
    study = make_study(tmp_path, fixtures_dir, ["broken"])
    (study / "empty").mkdir()
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.app, ["study", str(study), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "Board 1 of 2: broken" in result.output
    assert "broken/board.yaml" in result.output and "chairperson" in result.output
    assert "empty" in result.output and "no documents found" in result.output
    assert "empty: empty" not in result.output  # each failed board named once on its line
    assert "0 of 2 boards analysed" in result.output
    boards = pd.read_csv(out / "tables" / "study_boards.csv")
    assert list(boards["status"]) == ["failed", "failed"]
    page = (out / "report" / "index.html").read_text()
    assert "2 of 2 boards could not be analysed" in page and "no documents found" in page


def test_the_study_measures_are_every_figure_with_an_interval() -> None:
    assert list(schemas.STUDY_MEASURES) == list(intervals.STATISTICS)


def test_the_chart_with_no_board_says_so_and_with_boards_draws_each() -> None:
    empty = charts.study_boards(schemas.empty("study_board_year"))
    assert "nothing to compare" in " ".join(t.get_text() for t in empty.axes[0].texts)
    row = {c: None for c in schemas.columns("study_board_year")}
    rows = [
        {**row, "board": b, "year": y, "n_meetings": 4, "meetings_with_attendance": 4,
         "index_label": label, "index_reason": "", "too_few": "", "lay_voice_share": 0.2,
         "lay_voice_share_low": 0.1, "lay_voice_share_high": 0.3}
        for b, y, label in [("north", 2023, "symbolic"), ("south", 2024, "not applicable")]
    ]  # fmt: skip
    fig = charts.study_boards(schemas.conform(pd.DataFrame(rows), "study_board_year"))
    labels = fig.legends[0].get_texts()
    assert [t.get_text() for t in labels] == ["north", "south"]


@pytest.mark.parametrize(
    ("counts", "withheld"),
    [
        # One collective outcome is not "100% of outcomes reached service users generally".
        ({"outcome_units": 1, "attributed_units": 40, "lay_contributions": 12},
         ["collective_outcome_share"]),
        ({"outcome_units": 5, "attributed_units": 9, "lay_contributions": 4},
         ["lay_voice_share", "uptake_rate"]),
        ({"outcome_units": 8, "attributed_units": 10, "lay_contributions": 5}, []),
    ],
)  # fmt: skip
def test_a_board_year_below_a_minimum_number_is_compared_as_too_few(
    counts: dict[str, int], withheld: list[str]
) -> None:
    from pipeline.report import study_page
    from pipeline.run.study import too_few

    year = {**counts, "lay_linked_outcomes": 6, "meetings_with_attendance": 3}
    assert too_few(year) == withheld
    row = {c: None for c in schemas.columns("study_board_year")}
    row.update(board="north", year=2024, n_meetings=3, meetings_with_attendance=3,
               index_label="symbolic", index_reason="",
               too_few=";".join(withheld), collective_outcome_share=1.0, lay_voice_share=0.4,
               uptake_rate=0.5, share_meetings_standard_met=1.0, outcome_share=0.1)  # fmt: skip
    table = study_page._years(schemas.conform(pd.DataFrame([row]), "study_board_year"))
    cells = dict(zip(table["header"], table["rows"][0], strict=True))
    assert cells["Collective outcomes"] == (
        "too few to conclude" if "collective_outcome_share" in withheld else "100%"
    )
    assert (cells["Lay voice"] == "too few to conclude") == ("lay_voice_share" in withheld)


# ---------------------------------------------------------------------------- a study end to end
@pytest.mark.slow
def test_a_study_compares_two_boards_and_names_the_one_that_failed(
    tmp_path: Path, fixtures_dir: Path
) -> None:
    study = make_study(tmp_path, fixtures_dir)
    out = tmp_path / "out"
    opts = StudyOptions(study=study, out=out, workers=1, use_embeddings=False)
    result = run_study(opts)

    boards = pd.read_csv(out / "tables" / "study_boards.csv").set_index("board")
    assert boards["status"].to_dict() == {
        "broken": "failed",
        "hillcrest": "analysed",
        "riverside": "analysed",
    }
    message = boards.loc["broken", "message"]
    assert "board.yaml" in message and "chairperson" in message
    assert str(tmp_path) not in message  # no local path (a user's name) in a shareable table

    # Every board-year, with its figures and intervals exactly as the board's own tables give.
    compared = pd.read_parquet(out / "tables" / "study_board_year.parquet")
    assert sorted(compared["board"].unique()) == ["hillcrest", "riverside"]
    for board in ["hillcrest", "riverside"]:
        own = out / "boards" / board
        by_year = io.read_table(own, "board_year").set_index("year")
        ci = io.read_table(own, "year_intervals").set_index(["year", "measure"])
        mine = compared[compared["board"] == board].set_index("year")
        assert list(mine.index) == list(by_year.index)
        for year, row in mine.iterrows():
            assert row["index_label"] == by_year.loc[year, "index_label"]
            thin = set(str(row["too_few"] or "").split(";"))
            for measure in schemas.STUDY_MEASURES:
                if measure in thin:  # too few to conclude: left out, as the board's reports do
                    assert pd.isna(row[measure]) and pd.isna(row[f"{measure}_low"])
                    continue
                assert row[measure] == pytest.approx(by_year.loc[year, measure], nan_ok=True)
                low = ci.loc[(year, measure), "low"]
                assert row[f"{measure}_low"] == pytest.approx(low, nan_ok=True)
    assert len(result.board_years) == len(compared)

    # One DuckDB file, every board's rows with their board.
    with duckdb.connect(str(out / "study.duckdb"), read_only=True) as con:
        counts = dict(con.execute("SELECT board, count(*) FROM segments GROUP BY 1").fetchall())
        failed = con.execute("SELECT board FROM study_boards WHERE status = 'failed'").fetchall()
    for board in ["hillcrest", "riverside"]:
        assert counts[board] == len(io.read_table(out / "boards" / board, "segments"))
    assert failed == [("broken",)]

    page = (out / "report" / "index.html").read_text()
    assert "chairperson" in page and "hillcrest" in page and "riverside" in page
    assert (out / "charts" / "study_boards.png").stat().st_size > 10_000
    for link in ["../boards/hillcrest/report/index.html", "../charts/study_boards.png"]:
        assert f'"{link}"' in page
        assert (out / "report" / link).resolve().is_file()

    # Unchanged inputs: no board is analysed again, and the failure is still named.
    again = run_study(opts)
    assert [o.status for o in again.boards] == ["failed", "up_to_date", "up_to_date"]
    pd.testing.assert_frame_equal(again.board_years, result.board_years)
