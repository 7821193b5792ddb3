"""The one module that touches files: corpus listing, YAML inputs, tables, cache."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core import config, io, schemas
from pipeline.core.errors import BoardFileError, CodebookError, GoldFileError, InputError


def touch(path: Path, data: bytes = b"Minutes of the meeting.") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "board"
    for rel in (
        "minutes/2024-03-14-minutes.pdf",
        "minutes/2023-01-19-minutes.docx",
        "agendas/2024-03-14-agenda.html",
        "README.md",
        "board.yaml",
        ".DS_Store",
        "minutes/.~lock.2024-03-14-minutes.docx#",
        ".git/config",
        "_build/out.txt",
    ):
        touch(root / rel)
    return root


# --------------------------------------------------------------------------- list_corpus
def test_documents_are_listed_without_board_file_or_hidden_files(corpus: Path) -> None:
    rels = [f.rel for f in io.list_corpus(corpus)]
    assert rels == [
        "README.md",
        "agendas/2024-03-14-agenda.html",
        "minutes/2023-01-19-minutes.docx",
        "minutes/2024-03-14-minutes.pdf",
    ]


def test_listing_order_is_stable_whatever_order_files_were_made(tmp_path: Path) -> None:
    names = ["b/2.txt", "a.txt", "c/1.md", "b/10.txt", "B.txt", "a/z.pdf"]
    one, two = tmp_path / "one", tmp_path / "two"
    for name in names:
        touch(one / name)
    for name in reversed(names):
        touch(two / name)
    listed = [f.rel for f in io.list_corpus(one)]
    assert listed == sorted(names)
    assert [f.rel for f in io.list_corpus(two)] == listed
    assert [f.rel for f in io.list_corpus(one)] == listed


def test_readable_files_have_no_problem_and_their_size(corpus: Path) -> None:
    for f in io.list_corpus(corpus):
        assert f.problem is None, f
        assert f.size == f.path.stat().st_size
        assert f.path == corpus / f.rel


@pytest.mark.parametrize(
    ("name", "shown"),
    [("budget.xlsx", "'.xlsx'"), ("scan.TIFF", "'.tiff'"), ("NOTES", "no extension")],
)
def test_unsupported_files_are_listed_with_a_problem(tmp_path: Path, name: str, shown: str) -> None:
    touch(tmp_path / name)
    [found] = io.list_corpus(tmp_path)
    assert found.problem is not None
    assert shown in found.problem
    assert ".pdf" in found.problem and ".docx" in found.problem  # says what is supported


def test_supported_suffixes_are_case_insensitive(tmp_path: Path) -> None:
    touch(tmp_path / "MINUTES.PDF")
    assert io.list_corpus(tmp_path)[0].problem is None


def test_over_size_file_gets_a_problem_naming_the_limit_and_the_option(tmp_path: Path) -> None:
    touch(tmp_path / "big.pdf", b"x" * 3 * 1024 * 1024)
    touch(tmp_path / "small.pdf", b"x" * 1024)
    big, small = io.list_corpus(tmp_path, max_mb=2)
    assert big.problem is not None
    assert "2 MB" in big.problem and "--max-file-mb" in big.problem
    assert small.problem is None


def test_symlink_out_of_the_corpus_is_not_followed(tmp_path: Path) -> None:
    secret = touch(tmp_path / "elsewhere" / "private.txt", b"not for the corpus")
    corpus = tmp_path / "board"
    touch(corpus / "minutes.txt")
    (corpus / "linked.txt").symlink_to(secret)
    (corpus / "inside.txt").symlink_to(corpus / "minutes.txt")
    files = {f.rel: f for f in io.list_corpus(corpus)}
    assert files["linked.txt"].problem is not None
    assert "outside the corpus" in files["linked.txt"].problem
    assert files["linked.txt"].size == 0
    assert files["inside.txt"].problem is None


def test_missing_corpus_or_a_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such folder"):
        io.list_corpus(tmp_path / "nowhere")
    with pytest.raises(InputError, match="not a folder"):
        io.list_corpus(touch(tmp_path / "minutes.pdf"))


# --------------------------------------------------------------------------- tables
def meetings_table() -> pd.DataFrame:
    return schemas.conform(
        pd.DataFrame(
            {
                "meeting_id": ["M2024-03-14", "M-abc123"],
                "meeting_date": [dt.date(2024, 3, 14), None],
                "year": [2024, None],
                "doc_id": ["3a95506a268f", "abc123"],
                "source": ["minutes/2024-03-14 minutes.pdf", "minutes/undated, “draft”.docx"],
                "members_present": [4, 0],
                "lay_present": [2, 0],
                "apologies": [2, 0],
                "in_attendance": [2, 0],
                "lay_standard_met": [True, False],
                "has_attendance": [True, False],
                "n_items": [4, 0],
                "n_units": [14, 3],
            }
        ),
        "meetings",
    )


def test_table_written_as_parquet_reads_back_equal(tmp_path: Path) -> None:
    df = meetings_table()
    io.write_table(df, "meetings", tmp_path)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "meetings.parquet"), df)


def test_table_written_as_csv_reads_back_equal(tmp_path: Path) -> None:
    df = meetings_table()
    io.write_table(df, "meetings", tmp_path)
    back = pd.read_csv(tmp_path / "meetings.csv", keep_default_na=False, na_values=[""])
    assert list(back.columns) == list(df.columns)
    assert back["source"].tolist() == df["source"].tolist()
    assert back["members_present"].tolist() == df["members_present"].tolist()
    assert back["lay_standard_met"].tolist() == df["lay_standard_met"].tolist()
    assert pd.to_datetime(back["meeting_date"]).tolist()[0] == pd.Timestamp(2024, 3, 14)
    assert pd.isna(back["meeting_date"].iloc[1]) and pd.isna(back["year"].iloc[1])


def test_read_table_finds_what_write_table_wrote(tmp_path: Path) -> None:
    df = meetings_table()
    io.write_table(df, "meetings", tmp_path / "tables")
    pd.testing.assert_frame_equal(io.read_table(tmp_path, "meetings"), df)


def test_writing_leaves_no_temporary_files_and_replaces_old_tables(tmp_path: Path) -> None:
    io.write_table(meetings_table(), "meetings", tmp_path)
    io.write_table(meetings_table().head(1), "meetings", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meetings.csv", "meetings.parquet"]
    assert len(pd.read_parquet(tmp_path / "meetings.parquet")) == 1


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    io.write_text("old", target)
    with pytest.raises(ZeroDivisionError), io._atomic(target) as tmp:
        tmp.write_text("half written")
        raise ZeroDivisionError
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_figure_is_saved_as_png_and_svg_and_keeps_its_layout(tmp_path: Path) -> None:
    import re

    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.bar(["a long category name", "b"], [3, 1])
    ax.set_title("A title that the layout must make room for")
    engine = fig.get_layout_engine()
    io.save_figure(fig, tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")
    svg = (tmp_path / "chart.svg").read_text()
    # Cropped to what is drawn, as the PNG is: about the figure's 6 x 3 inches (432 x 216 pt).
    width, height = (
        float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
    )
    assert 400 < width < 460 and 200 < height < 240
    assert "A title that the layout must make room for" in svg
    assert fig.get_layout_engine() is engine
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png", "chart.svg"]


def test_missing_table_says_to_run_analyse(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="involve analyse"):
        io.read_table(tmp_path, "segments")


# --------------------------------------------------------------------------- YAML inputs
def test_broken_yaml_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = touch(tmp_path / "board.yaml", b"name: Eastvale\n\tmembers: []\n")
    with pytest.raises(BoardFileError) as caught:
        io.read_yaml(path, BoardFileError)
    assert str(path) in str(caught.value)
    assert "line 2" in str(caught.value)


def test_unclosed_list_in_yaml_names_the_file_and_a_line(tmp_path: Path) -> None:
    path = touch(tmp_path / "themes.yaml", b"name: x\nseeds: [crisis, out of hours\nversion: 1\n")
    with pytest.raises(InputError) as caught:
        io.read_yaml(path)
    assert str(path) in str(caught.value)
    assert "line " in str(caught.value)


def test_yaml_that_is_not_utf8_says_so(tmp_path: Path) -> None:
    path = touch(tmp_path / "board.yaml", "name: Café Board\n".encode("cp1252"))
    with pytest.raises(InputError, match="UTF-8"):
        io.read_yaml(path)


def test_missing_yaml_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        io.read_yaml(tmp_path / "absent.yaml")


def test_missing_codebook_suggests_making_one_from_the_survey(tmp_path: Path) -> None:
    path = tmp_path / "themes" / "eastvale.yaml"
    with pytest.raises(CodebookError) as caught:
        io.load_codebook(path)
    assert str(path) in str(caught.value)
    assert "involve themes from-survey" in str(caught.value)


def test_board_file_is_optional(tmp_path: Path) -> None:
    assert io.load_board(tmp_path) is None


def test_board_file_is_read_from_the_corpus(tmp_path: Path) -> None:
    touch(
        tmp_path / config.BOARD_FILE,
        b"name: Eastvale\nmembers:\n  - {name: Ann Price, role: carer}\n",
    )
    board = io.load_board(tmp_path)
    assert board is not None
    assert [(m.name, m.role) for m in board.members] == [("Ann Price", "carer")]
    assert board.origin == str(tmp_path / config.BOARD_FILE)


def test_broken_board_file_is_a_board_file_error(tmp_path: Path) -> None:
    touch(tmp_path / config.BOARD_FILE, b"members:\n  - {name: Ann Price, role: carer\n")
    with pytest.raises(BoardFileError, match=r"board\.yaml"):
        io.load_board(tmp_path)


def test_yaml_round_trips(tmp_path: Path) -> None:
    data = {"name": "Eastvale", "members": [{"name": "Siân O’Neill", "role": "carer"}]}
    io.write_yaml(data, tmp_path / "out.yaml")
    assert io.read_yaml(tmp_path / "out.yaml") == data


# --------------------------------------------------------------------------- other inputs
def test_csv_in_a_legacy_encoding_is_read(tmp_path: Path) -> None:
    text = "priority,comment\nHousing,“More help with rent and the café’s prices”\n" * 20
    path = touch(tmp_path / "survey.csv", text.encode("cp1252"))
    df = io.read_csv_any(path)
    assert list(df.columns) == ["priority", "comment"]
    assert df["priority"].iloc[0] == "Housing"


@pytest.mark.parametrize(
    ("name", "match"), [("gold.xlsx", "unsupported gold format"), ("absent.csv", "not found")]
)
def test_unusable_gold_file_is_a_gold_file_error(tmp_path: Path, name: str, match: str) -> None:
    if name != "absent.csv":
        touch(tmp_path / name)
    with pytest.raises(GoldFileError, match=match):
        io.read_gold(tmp_path / name)


def test_gold_csv_cells_are_text(tmp_path: Path) -> None:
    path = touch(
        tmp_path / "gold.csv", b"text,focus,level\nThe Chair welcomed everyone.,process,\n"
    )
    df = io.read_gold(path)
    assert df.to_dict("records") == [
        {"text": "The Chair welcomed everyone.", "focus": "process", "level": ""}
    ]


# --------------------------------------------------------------------------- cache
def test_cache_returns_what_was_put(tmp_path: Path) -> None:
    cache = io.Cache(tmp_path)
    cache.put("extract", "ab12cd", {"pages": [1, 2]})
    assert cache.get("extract", "ab12cd") == {"pages": [1, 2]}
    assert cache.get("extract", "ffff") is None


@pytest.mark.parametrize("garbage", [b"{not json", b"\xff\xfe\x00 half-written bytes"])
def test_corrupt_cache_entry_is_a_miss(tmp_path: Path, garbage: bytes) -> None:
    cache = io.Cache(tmp_path)
    cache.put("extract", "ab12cd", {"x": 1})
    next((tmp_path / "extract").rglob("*.json")).write_bytes(garbage)
    assert cache.get("extract", "ab12cd") is None


def test_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    blocker = touch(tmp_path / "cache")  # a file where the cache folder should be
    io.Cache(blocker).put("extract", "ab12cd", {"x": 1})
    assert io.Cache(blocker).get("extract", "ab12cd") is None


def _entry_files(root: Path, namespace: str) -> list[Path]:
    return sorted((root / namespace).rglob("*.json"))


def test_a_run_reads_the_entries_the_run_before_kept_from_one_pack(tmp_path: Path) -> None:
    before = io.Cache(tmp_path, packs=True)
    before.put("lemmas", "aa11", ["minute", "agree"])
    before.put("lemmas", "bb22", ["carer", "ask"])
    before.put("lemmas", "cc33", ["left", "out"])
    before.keep_packs()
    after = io.Cache(tmp_path, packs=True)
    assert after.get("lemmas", "aa11") == ["minute", "agree"]
    # Read from the pack: every entry's own file can go and the answer is the same.
    for path in _entry_files(tmp_path, "lemmas"):
        path.unlink()
    assert after.get("lemmas", "bb22") == ["carer", "ask"]
    after.put("lemmas", "dd44", ["new"])
    after.keep_packs()
    # The next pack holds what this run asked for or made; "cc33" was not asked for.
    again = io.Cache(tmp_path, packs=True)
    assert [again.get("lemmas", k) for k in ("aa11", "bb22", "dd44", "cc33")] == [
        ["minute", "agree"],
        ["carer", "ask"],
        ["new"],
        None,
    ]


def test_a_cache_without_packs_neither_reads_nor_keeps_them(tmp_path: Path) -> None:
    packed = io.Cache(tmp_path, packs=True)
    packed.put("lemmas", "aa11", ["minute"])
    packed.keep_packs()
    for path in _entry_files(tmp_path, "lemmas"):
        path.unlink()
    assert io.Cache(tmp_path).get("lemmas", "aa11") is None
    # --force: a write-only cache reads no pack either.
    assert io.Cache(tmp_path, packs=True, write_only=True).get("lemmas", "aa11") is None


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle", b"\x80\x05\x95 truncated", "pickled list"],
    ids=["empty", "garbage", "truncated", "wrong shape"],
)
def test_a_damaged_pack_falls_back_to_the_entries_own_files(
    tmp_path: Path, damage: bytes | str
) -> None:
    import pickle

    packed = io.Cache(tmp_path, packs=True)
    packed.put("lemmas", "aa11", ["minute"])
    packed.keep_packs()
    data = pickle.dumps([("aa11", "[]")]) if isinstance(damage, str) else damage
    packed.put_blob(io.Cache._PACKS, io._pack_key("lemmas"), data)
    assert io.Cache(tmp_path, packs=True).get("lemmas", "aa11") == ["minute"]


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INVOLVE_CACHE_DIR", str(tmp_path / "c"))
    assert config.cache_dir() == tmp_path / "c"
    assert os.environ["HF_HUB_OFFLINE"] == "1"  # conftest keeps every test offline


def test_a_run_leaves_openmp_free_to_use_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sentence model's torch reads OpenMP's limit when it loads: set for OCR's sake in the
    run's own process, it held embedding to one core. Tesseract gets its limit in its own
    subprocess (pipeline.ingest.ocr)."""
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    config.set_offline_environment()
    assert "OMP_THREAD_LIMIT" not in os.environ
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_the_documented_tables_are_the_schemas() -> None:
    # docs/tables.md is generated (make docs); a column added to a schema without it drifts.
    from pipeline.core import config, schemas

    documented = (config.PROJECT_ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    assert documented == schemas.markdown(), "docs/tables.md is stale: run make docs"
