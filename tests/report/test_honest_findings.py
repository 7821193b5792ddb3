"""Honest findings (issue 15): unknown is not zero, thin data is called thin, priorities only from
the board's own survey, outputs are never input, and findings never contradict their tables."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core import config, io, schemas
from pipeline.core.errors import BoardFileError, InputError
from pipeline.inputs.board import parse_board
from pipeline.involvement.levels import item_levels
from pipeline.measure import measure
from pipeline.measure.adequacy import adequacy as counted
from pipeline.measure.coverage import text_coverage
from pipeline.measure.index import place
from pipeline.report import adequacy, consistency, findings, fmt
from tests.measure.test_measure import CODEBOOK, meetings_frame, units_frame


def _unlisted(meetings: pd.DataFrame, ids: list[str] | None = None) -> pd.DataFrame:
    """The meetings as segmentation writes them when no attendance list was read."""
    out = meetings.copy()
    at = out["meeting_id"].isin(ids) if ids else slice(None)
    out.loc[at, "has_attendance"] = False
    for column in ("lay_present", "members_present", "lay_standard_met"):
        out.loc[at, column] = pd.NA
    return schemas.conform(out, "meetings")


# --------------------------------------------------------------------------- unknown is not zero
def test_a_year_without_any_attendance_list_is_not_measurable_never_absent() -> None:
    result = measure(
        units_frame(), _unlisted(meetings_frame()), CODEBOOK, item_levels(units_frame())
    )
    for row in result.board_year.to_dict("records"):
        assert row["index_label"] == "not measurable"
        assert "no attendance list" in row["index_reason"]
        assert row["meetings_with_attendance"] == 0
        assert math.isnan(row["mean_lay_present"])  # unknown, not 0 lay members
        assert math.isnan(row["share_meetings_standard_met"])
        assert math.isnan(row["presence_axis"])
    assert result.meeting_measures["lay_present"].isna().all()
    # No interval pretends to know the presence of meetings nobody listed.
    presence = result.year_intervals[result.year_intervals["measure"] == "mean_lay_present"]
    assert presence["estimate"].isna().all()


def test_presence_rests_on_the_meetings_with_a_list_only() -> None:
    # 2023: a meeting with 3 lay members listed, and one whose list was not read.
    result = measure(
        units_frame(),
        _unlisted(meetings_frame(), ["M2023-06-01"]),
        CODEBOOK,
        item_levels(units_frame()),
    )
    y23 = result.board_year.set_index("year").loc[2023]
    assert y23["meetings_with_attendance"] == 1
    assert y23["mean_lay_present"] == 3  # not (3 + 0) / 2
    assert y23["share_meetings_standard_met"] == 1.0
    # Placed on presence; the fixture's few attributed units leave influence unweighed.
    assert y23["presence_axis"] > 0
    assert "attendance" not in y23["index_reason"]


def test_a_body_without_lay_seats_is_not_applicable() -> None:
    result = measure(
        units_frame(), meetings_frame(), CODEBOOK, item_levels(units_frame()), lay_seats=0
    )
    assert set(result.board_year["index_label"]) == {"not applicable"}
    assert result.board_year["index_reason"].str.contains("lay_seats: 0").all()


def test_a_label_on_one_or_two_attributed_units_is_not_given() -> None:
    present = {
        "n_meetings": 1,
        "meetings_with_attendance": 1,
        "mean_lay_present": 5.0,
        "meetings_standard_met": 1,
        "share_meetings_standard_met": 1.0,
        "lay_units": 1,
        "lay_voice_share": 1.0,
        "lay_seat_share": 0.5,
    }
    thin = place({**present, "attributed_units": 1})
    assert thin.index_label == "not measurable" and "only 1 contribution" in thin.index_reason
    assert place({**present, "attributed_units": config.MIN_ATTRIBUTED_UNITS}).index_label in (
        "symbolic",
        "instrumental",
        "leading",
    )


def test_lists_with_no_lay_member_but_lay_speakers_are_not_measurable() -> None:
    placed = place(
        {"n_meetings": 3, "meetings_with_attendance": 3, "mean_lay_present": 0.0, "lay_units": 4}
    )
    assert placed.index_label == "not measurable"


def test_board_yaml_lay_seats_and_role_suggestions() -> None:
    assert parse_board({"name": "Cabinet", "lay_seats": 0}, "b.yaml").lay_seats == 0
    assert parse_board({"name": "Board"}, "b.yaml").lay_seats is None
    with pytest.raises(BoardFileError, match="lay_seats"):
        parse_board({"lay_seats": "none"}, "b.yaml")
    with pytest.raises(BoardFileError, match="did you mean 'carer'"):
        parse_board({"members": [{"name": "Ann Price", "role": "carrer"}]}, "b.yaml")
    with pytest.raises(BoardFileError, match="field 'role' is missing"):
        parse_board({"members": [{"name": "Ann Price"}]}, "b.yaml")


# --------------------------------------------------------------------------- consistency check
def _tables(meetings: pd.DataFrame, **kw: object) -> dict[str, pd.DataFrame]:
    result = measure(units_frame(), meetings, CODEBOOK, item_levels(units_frame()), **kw)  # type: ignore[arg-type]
    return {
        "meetings": meetings,
        "board_year": result.board_year,
        "documents": schemas.empty("documents"),
    }


@pytest.mark.slow
def test_consistent_tables_pass_the_check() -> None:
    for meetings in (meetings_frame(), _unlisted(meetings_frame())):
        assert consistency.contradictions(_tables(meetings)) == []
    assert consistency.contradictions(_tables(meetings_frame(), lay_seats=0)) == []


@pytest.mark.slow
def test_the_check_finds_each_contradiction_the_issue_saw() -> None:
    unlisted = _unlisted(meetings_frame())
    tables = _tables(unlisted)
    # A label placed on presence nobody read, as before this work.
    tables["board_year"] = tables["board_year"].assign(index_label="absent", index_reason="")
    found = consistency.contradictions(tables)
    assert any("labelled 'absent' though no attendance list was read" in f for f in found)
    # "Every listed meeting met the standard" where no meeting had a list.
    text_found = consistency.contradictions(_tables(unlisted), [consistency.EVERY_MET + "."])
    assert any("Every listed meeting met the standard" in f for f in text_found)
    # A zero where presence was not read.
    zeroed = unlisted.assign(lay_present=0)
    assert any("should be missing" in f for f in consistency.contradictions(_tables(zeroed)))
    # A body without lay seats labelled as if it had them.
    seatless = _tables(meetings_frame(), lay_seats=0)
    seatless["board_year"] = seatless["board_year"].assign(index_label="absent")
    assert any("no lay seats" in f for f in consistency.contradictions(seatless))
    with pytest.raises(consistency.ContradictionError, match="not written"):
        consistency.ensure_consistent(tables, [], "report/index.html")


# --------------------------------------------------------------------------- thin data
def test_zero_width_interval_is_never_shown_as_certainty() -> None:
    assert "95% interval" not in fmt.interval_words(0.0, 0.0, fmt.pct).replace("no 95%", "")
    assert "not that the figure is certain" in fmt.interval_words(0.0, 0.0, fmt.pct)
    assert fmt.interval_words(0.1, 0.3, fmt.pct) == "95% interval 10% to 30%"


def test_too_few_units_say_so_instead_of_a_share() -> None:
    result = measure(units_frame(), meetings_frame(), CODEBOOK, item_levels(units_frame()))
    board_year, period = result.board_year, findings.totals(result.period)
    # The fixture attributes 7 units to named people and has 4 outcome units: below the minimums.
    assert board_year["attributed_units"].sum() < config.MIN_ATTRIBUTED_UNITS
    voice = findings.voice_sentence(board_year, period)
    assert fmt.TOO_FEW in voice and "%" not in voice
    outcomes = findings.outcome_sentence(board_year, period)
    assert fmt.TOO_FEW in outcomes
    assert findings._outcome_charts(period) == ()  # no chart of one or two units


def test_presence_sentence_says_not_measurable_not_a_count() -> None:
    unlisted = _unlisted(meetings_frame())
    result = measure(units_frame(), unlisted, CODEBOOK, item_levels(units_frame()))
    text = findings.presence_sentence(result.board_year, findings.totals(result.period))
    assert "not measurable" in text
    assert "met the 'at least two' standard at" not in text


# --------------------------------------------------------------------------- own codebook only
def test_without_the_boards_own_codebook_no_priority_finding_or_rho() -> None:
    result = measure(
        units_frame(), meetings_frame(), CODEBOOK, item_levels(units_frame()), own_codebook=False
    )
    assert result.board_year["alignment_rho"].isna().all()
    tables = {
        "board_year": result.board_year,
        "meetings": meetings_frame(),
        "theme_attention": result.theme_attention,
        "year_intervals": result.year_intervals,
        "alignment": result.alignment,
    }
    found = {f.heading: f for f in findings.key_findings(tables, {"own_codebook": False})}
    assert "rho" not in found["Priorities"].text
    assert "demo board's survey" in found["Priorities"].text
    assert found["Priorities"].charts == ()
    own = {f.heading: f for f in findings.key_findings(tables, {"own_codebook": True})}
    assert "not measured" not in own["Priorities"].text


def test_help_names_the_default_codebook_plainly() -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, ["analyse", "--help"], env={"COLUMNS": "200"})
    flat = " ".join(result.output.replace("│", " ").split())
    assert f"demo board's codebook ({config.DEFAULT_CODEBOOK.name})" in flat
    assert "no priority findings" in flat


# --------------------------------------------------------------------------- adequacy
def test_adequacy_names_thin_text_and_stand_ins() -> None:
    accounting = pd.DataFrame(
        [
            {"doc_id": "a", "source": "a.pdf", "place": "unit", "n_words": 470, "reason": ""},
            {"doc_id": "a", "source": "a.pdf", "place": "unplaced", "n_words": 530, "reason": "x"},
            {"doc_id": "a", "source": "a.pdf", "place": "furniture", "n_words": 99, "reason": ""},
        ]
    )
    meetings = _unlisted(meetings_frame())
    accounted = schemas.conform(accounting, "text_accounting")
    tables = {
        "meetings": meetings,
        "documents": schemas.empty("documents"),
        "text_accounting": accounted,
        "text_coverage": text_coverage(accounted, meetings),
        "attendance": schemas.empty("attendance"),
        "adequacy": counted(schemas.empty("documents"), meetings, schemas.empty("attendance")),
    }
    found = {c.name: c for c in adequacy.checks(tables, {"own_codebook": False})}
    words = found["Words of the minutes placed in units"]
    assert words.value == "47%" and not words.ok and "a.pdf" in words.note
    assert found["Meetings with an attendance list read"].value == "0 of 4"
    assert "not measurable" in found["Meetings with an attendance list read"].note
    assert not found["The board's own survey codebook"].ok
    assert not found["The board's own roster (board.yaml)"].ok
    lines = adequacy.console_lines(list(found.values()))
    assert any(line.lstrip().startswith("WARN") for line in lines)


# --------------------------------------------------------------------------- outputs never input
def test_an_output_folder_inside_the_corpus_is_refused(tmp_path: Path) -> None:
    corpus = tmp_path / "board"
    corpus.mkdir()
    with pytest.raises(InputError, match="inside the corpus folder"):
        io.check_out_folder(corpus, corpus / "out")
    io.check_out_folder(corpus, tmp_path / "out")  # beside it is fine


def test_a_folder_holding_an_analysis_is_never_read(tmp_path: Path) -> None:
    corpus = tmp_path / "board"
    (corpus / "old-run" / "report").mkdir(parents=True)
    (corpus / "2024-01-01 minutes.txt").write_text("Minutes of the meeting", encoding="utf-8")
    (corpus / "old-run" / "report" / "index.html").write_text("<p>report</p>", encoding="utf-8")
    (corpus / "old-run" / "manifest.json").write_text(
        json.dumps({"involve_version": "0.1.0"}), encoding="utf-8"
    )
    files = io.list_corpus(corpus)
    assert [f.rel for f in files if f.problem is None] == ["2024-01-01 minutes.txt"]
    skipped = [f for f in files if f.problem]
    assert len(skipped) == 1 and "holds an involve analysis" in str(skipped[0].problem)
    # A manifest.json of someone else's is just a file.
    (corpus / "old-run" / "manifest.json").write_text("{}", encoding="utf-8")
    assert "old-run/report/index.html" in [f.rel for f in io.list_corpus(corpus)]


# --------------------------------------------------------------------------- notebooks
NOTEBOOKS = sorted((config.PROJECT_ROOT / "notebooks").glob("*.ipynb"))


def _unread_presence_tables() -> dict[str, pd.DataFrame]:
    """Tables of a board none of whose attendance lists was read: presence missing throughout."""
    meetings = _unlisted(meetings_frame())
    result = measure(units_frame(), meetings, CODEBOOK, item_levels(units_frame()))
    tables = {name: schemas.empty(name) for name in config.ANALYSIS_TABLES}
    return {
        **tables,
        "meetings": meetings,
        "segments": units_frame(),
        "meeting_measures": result.meeting_measures,
        "theme_attention": result.theme_attention,
        "board_year": result.board_year,
        "year_intervals": result.year_intervals,
        "index_sensitivity": result.index_sensitivity,
    }


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
@pytest.mark.parametrize("case", ["empty", "presence unread"])
def test_notebook_runs_on_empty_tables_and_unread_presence(
    notebook: Path, case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A board with no lay items, no uptake and no outcomes, or whose attendance lists were not
    read, must not crash the notebooks (notebook 3.0 stopped at "no numeric data to plot" on two
    real boards, and at a missing presence on a third)."""
    import nbformat
    from nbclient import NotebookClient

    db = tmp_path / "involvement.duckdb"
    tables = (
        {name: schemas.empty(name) for name in config.ANALYSIS_TABLES}
        if case == "empty"
        else _unread_presence_tables()
    )
    io.write_duckdb(tables, db)
    monkeypatch.setenv("INVOLVE_DB", str(db))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails


# --------------------------------------------------------------------------- real boards
def _realworld() -> Path:
    from pipeline.evaluate.realworld import default_root

    return default_root()


REALWORLD = _realworld()  # $REALWORLD, else ../shared/realworld beside the project


@pytest.mark.slow
@pytest.mark.skipif(
    not (REALWORLD / "bodies" / "kent-cabinet").is_dir(),
    reason="needs ../shared/realworld (real published minutes, not part of the project)",
)
def test_real_cabinet_with_no_lay_seats_is_not_applicable_and_consistent(tmp_path: Path) -> None:
    """Kent Cabinet as a new user runs it, with a roster saying it has no lay seats: two
    meetings in 2025 (the agenda front sheets are no meetings), presence not applicable, every
    report written without a contradiction."""
    from pipeline.evaluate import honesty

    root = tmp_path / "realworld"
    (root / "gold" / "boards").mkdir(parents=True)
    (root / "bodies").mkdir()
    (root / "bodies" / "kent-cabinet").symlink_to(REALWORLD / "bodies" / "kent-cabinet")
    (root / "gold" / "boards" / "kent-cabinet.yaml").write_text(
        "name: Cabinet\nlay_seats: 0\n", encoding="utf-8"
    )
    table = honesty.check_bodies(root, tmp_path / "out", workers=1).set_index("roster")
    assert table["contradictions"].sum() == 0
    assert table.loc["roster", "meetings"] == 2
    assert table.loc["roster", "labels"] == "2025 not applicable"
    assert table.loc["none", "labels"] != "2025 absent" or table.loc["none", "with_list"] > 0
    assert (table["reports"] == 1).all()


# --------------------------------------------------------------------------- command line
def test_version_and_debug_anywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline import __version__
    from pipeline.cli import main

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"involve {__version__}"
    with pytest.raises(SystemExit) as done:
        main(["report", str(tmp_path / "missing"), "--debug"])
    assert done.value.code == 2
    assert "Traceback" in capsys.readouterr().err  # --debug after the command still counts


def test_user_text_in_an_error_is_never_console_markup(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    corpus = tmp_path / "board"
    corpus.mkdir()
    (corpus / "board.yaml").write_text("name: Board\nmembers: [a, b]]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyse", str(corpus), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    # The fix names YAML's own list syntax, which Rich would read as a markup tag and drop.
    assert "lists use '- ' or [a, b]" in result.output


def test_the_presence_legend_names_only_the_marks_drawn() -> None:
    from pipeline.report import charts, data

    every_meeting_met = meetings_frame().assign(lay_present=3, lay_standard_met=True)
    measures = measure(
        units_frame(), every_meeting_met, CODEBOOK, item_levels(units_frame())
    ).meeting_measures
    fig = charts.lay_presence(data.meeting_view(every_meeting_met, measures))
    labels = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    labels += [
        t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()
    ]
    assert any("Standard met" in label for label in labels)
    assert not any("Below the standard" in label for label in labels)


def test_documents_read_cleanly_but_half_unread_are_not_called_without_problems() -> None:
    from pipeline.report import sections

    documents = pd.DataFrame({"status": ["ok", "ok"], "source": ["a.pdf", "b.pdf"]})
    _, note = sections.document_problems(documents, 0.47)
    assert "without problems" not in note and "only 47%" in note
    _, note = sections.document_problems(documents, 0.9)
    assert note == "All 2 documents were read without problems."


def test_an_older_analysis_with_the_demo_codebook_elsewhere_counts_it_as_a_stand_in() -> None:
    from pipeline.run.outputs import recorded_facts

    demo_codebook = {"path": str(config.DEFAULT_CODEBOOK)}
    elsewhere = {"corpus": "/data/eddington", "codebook": demo_codebook}
    assert recorded_facts(elsewhere) == {"own_codebook": False}
    demo = {"corpus": str(config.DEMO_CORPUS), "codebook": demo_codebook}
    assert recorded_facts(demo) == {"own_codebook": True}
    own = {"corpus": "/data/eddington", "codebook": {"path": "/data/eddington-survey.yaml"}}
    assert recorded_facts(own) == {"own_codebook": True}
    facts = {"own_codebook": False, "roster_used": True, "lay_seats": 0}
    assert recorded_facts({**own, "facts": facts}) == facts


@pytest.mark.slow
def test_no_lay_contribution_is_nothing_to_take_up_not_an_unmeasured_uptake() -> None:
    from pipeline.report import annual_findings

    d = annual_findings.year_data(_unread_presence_tables(), 2024)
    d.row.update(lay_contributions=0, lay_taken_up=0, uptake_rate=float("nan"))
    assert "nothing to take up" in annual_findings._uptake_note(d)
    assert not any("uptake" in note for note in annual_findings.unmeasured(d))


@pytest.mark.slow
def test_the_attendance_quote_adds_up_to_the_lay_count_beside_it() -> None:
    from pipeline.report import annual_findings

    tables = _unread_presence_tables()
    rows = [
        ("Lay member 1", "lay"),
        ("Lay member 2", "lay"),
        ("Chair 1", "chair"),
        ("Officer 1", "officer"),
    ]
    tables["attendance"] = schemas.conform(
        pd.DataFrame(
            [
                {
                    "meeting_id": "M2023-01-19",
                    "meeting_date": pd.Timestamp("2023-01-19"),
                    "person_id": person,
                    "role": role,
                    "status": "present",
                    "role_source": "board.yaml",
                }
                for person, role in rows
            ]
        ),
        "attendance",
    )
    d = annual_findings.year_data(tables, 2023)
    # The chair of a lay body (a residents' group) counts among its lay members: 3, not 2.
    quote = annual_findings._attendance_quote(
        d, {"meeting_id": "M2023-01-19", "lay_present": 3, "source": "a.pdf"}
    )
    assert quote.label == "3 lay present"
    assert "Chair 1 (chair, a lay member of this body)" in quote.text
    plain = annual_findings._attendance_quote(
        d, {"meeting_id": "M2023-01-19", "lay_present": 2, "source": "a.pdf"}
    )
    assert plain.label == "2 lay present" and "Chair 1" not in plain.text


def test_a_table_computed_with_no_rows_is_not_called_not_produced() -> None:
    from pipeline.report import data, sections

    tables = data.complete({})
    notes = " ".join(sections.missing_notes(tables))
    assert "not produced in this run" not in notes
    assert "item_levels: computed, with no rows: no agenda item with lay participation" in notes


def test_the_year_table_says_what_presence_rests_on_and_the_label() -> None:
    from pipeline.report import sections

    board_year = measure(
        units_frame(), _unlisted(meetings_frame()), CODEBOOK, item_levels(units_frame())
    ).board_year
    table = sections.year_table(board_year)
    assert table is not None
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["…with an attendance list read"] == ["0", "0"]
    assert rows["Symbolic-instrumental index"] == ["not measurable", "not measurable"]
    assert rows["Mean lay members present"] != ["0.0", "0.0"]  # unknown, not zero
