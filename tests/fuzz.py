"""A fuzz harness over every reader (issue 17): mutated real files, counted.

Each reader gets inputs made from the project's real fixtures by seeded mutations (bytes flipped,
cut, repeated, hostile tokens put in; for zip packages the same done to a member's XML inside a
valid zip, so the XML readers are reached rather than stopped by a bad checksum). An input fails
when the reader raises anything but its documented error (`extract` raises nothing: it returns
an error row), returns a status outside the documented ones, or runs past the per-input limit.

    python tests/fuzz.py --per-reader 10000 --ocr-inputs 300   # `make fuzz`: the long run
    python tests/fuzz.py --per-reader 12 --ocr-inputs 2        # tests/test_fuzz.py in `make test`

The readers that run another program are fuzzed through it: `.doc` through antiword, and scanned
PDFs through pdfium's rendering and tesseract (the "ocr" reader). OCR costs seconds a page, so it
gets its own, smaller count and a longer per-input limit; every other reader reads with OCR off.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FILES = TESTS / "fixtures" / "files"
for where in (str(ROOT), str(TESTS)):
    if where not in sys.path:
        sys.path.insert(0, where)

from pipeline.core import config  # noqa: E402
from pipeline.core.errors import InputError  # noqa: E402

TOKENS = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"]]>",
    b"<!--",
    b'<!DOCTYPE x [<!ENTITY a "aaaa">]>',
    b"%%EOF",
    b" obj ",
    b"endobj",
    b"stream",
    b"/Length 999999999",
    b"/Count 99999999",
    b"<w:p/>",
    b"<w:tbl>",
    b"<text:p>",
    b"{{",
    b"- [",
    b": &x",
    b"*x",
    b"!!python/object:os.system",
    b"\n---\n",
    b"\t",
    b"\r",
    b"\x0c",
    "\u202e".encode(),
    "é".encode(),
    b"=HYPERLINK(",
    b"[/]",
    b"9" * 40,
    b"-1",
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four seeded edits of ``data``."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(6)
        pos = rng.randrange(len(out) + 1)
        if kind == 0 and out:  # flip bytes
            for _ in range(rng.randint(1, 16)):
                i = rng.randrange(len(out))
                out[i] = rng.randrange(256)
        elif kind == 1:  # cut
            out = out[:pos] if rng.random() < 0.5 else out[pos:]
        elif kind == 2:  # a hostile token
            out[pos:pos] = rng.choice(TOKENS)
        elif kind == 3 and out:  # repeat a slice
            start = rng.randrange(len(out))
            chunk = out[start : start + rng.randint(1, 64)]
            out[pos:pos] = chunk * rng.randint(2, 2000)
        elif kind == 4 and out:  # delete a slice
            del out[pos : pos + rng.randint(1, 256)]
        else:  # swap two slices
            if len(out) > 8:
                a, b = sorted(rng.sample(range(len(out)), 2))
                out[a:b] = out[a:b][::-1]
    return bytes(out)


def mutate_in_place(data: bytes, rng: random.Random) -> bytes:
    """Bytes overwritten without moving any: an OLE .doc keeps its sector map, so most inputs
    reach antiword's reading of the text, tables and lists rather than its first check."""
    if rng.random() < 0.3:
        return mutate(data, rng)
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        token = rng.choice(TOKENS) if rng.random() < 0.3 else bytes([rng.randrange(256)])
        pos = rng.randrange(512, max(len(out) - len(token), 513))  # past the OLE header
        out[pos : pos + len(token)] = token
    return bytes(out[: len(data)])


def mutate_zip(data: bytes, rng: random.Random) -> bytes:
    """Mostly a valid zip with one member's bytes mutated; sometimes the zip's own bytes."""
    if rng.random() < 0.2:
        return mutate(data, rng)
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = src.namelist()
        xml = [n for n in names if n.endswith((".xml", ".qde", ".txt"))] or names
        target = rng.choice(xml)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in names:
                member = src.read(name)
                dst.writestr(name, mutate(member, rng) if name == target else member)
    return buf.getvalue()


@dataclass
class Reader:
    name: str
    seeds: list[bytes]
    read: Callable[[bytes], object]
    zipped: bool = False
    ocr: bool = False  # reads scans with tesseract: seconds an input, so counted apart
    in_place: bool = False  # mutated without moving bytes (an OLE file's sectors stay put)


@dataclass
class Tally:
    inputs: int = 0
    unhandled: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    slowest: float = 0.0
    seconds: float = 0.0
    limit: float = 0.0


def _extract_reader(
    name: str, suffix: str, seeds: list[str], zipped: bool = False, ocr: bool = False
) -> Reader:
    from pipeline.ingest import extract

    def read(data: bytes) -> object:
        result = extract(f"fuzz{suffix}", data, use_ocr=ocr)
        if result.status not in config.DOC_STATUSES:
            raise AssertionError(f"status {result.status!r}")
        for page in result.pages:
            if not isinstance(page.text, str):
                raise AssertionError("page text is not text")
            page.text.encode("utf-8")  # no lone surrogates: every table must be able to hold it
        return result

    return Reader(name, [(FILES / s).read_bytes() for s in seeds], read, zipped, ocr)


def _file_reader(
    name: str, suffix: str, seeds: list[bytes], load: Callable[[Path], object], zipped: bool = False
) -> Reader:
    folder = Path(tempfile.mkdtemp(prefix=f"fuzz-{name}-"))
    path = folder / f"input{suffix}"

    def read(data: bytes) -> object:
        path.write_bytes(data)
        try:
            return load(path)
        except InputError:  # the documented error: a message naming the file and the fix
            return None

    return Reader(name, seeds, read, zipped)


def readers() -> list[Reader]:
    from pipeline.core import io as pio

    found = [
        _extract_reader(
            "pdf",
            ".pdf",
            ["mini-minutes.pdf", "minutes-page.pdf", "header-table.pdf", "two-column.pdf"],
        ),
        _extract_reader("docx", ".docx", ["mini-minutes.docx", "mojibake.docx"], zipped=True),
        _extract_reader("odt", ".odt", ["mini-minutes.odt"], zipped=True),
        _extract_reader("html", ".html", ["mini-minutes.html", "broken.html", "mojibake.html"]),
        _extract_reader("markdown", ".md", ["mini-minutes.md", "pdf-converted.md"]),
        _extract_reader("text", ".txt", ["mini-minutes.txt", "mini-minutes-cp1252.txt"]),
        # A sound .doc, and the two broken ones whose messages the reader explains.
        _doc_reader(),
        # Image-only pages (JPEG in the PDF), and a text page with a scanned one.
        _extract_reader("ocr", ".pdf", ["mixed-scan.pdf", "mini-minutes-scan.pdf"], ocr=True),
    ]
    board = (ROOT / "corpora" / "demo" / "board.yaml").read_bytes()
    found.append(
        _file_reader("board.yaml", ".yaml", [board], lambda p: pio.load_board(p.parent, p))
    )
    codebook = (ROOT / "themes" / "demo-survey-2022.yaml").read_bytes()
    found.append(_file_reader("codebook", ".yaml", [codebook], pio.load_codebook))
    found.append(_qdpx_reader())
    return found


def _doc_reader() -> Reader:
    reader = _extract_reader("doc", ".doc", ["mini-minutes.doc", "encrypted.doc", "truncated.doc"])
    reader.in_place = True
    return reader


def _qdpx_reader() -> Reader:
    from qda_fixtures import UNITS, write_analysis, write_codebook

    from pipeline.qda.export import export_qdpx
    from pipeline.qda.read import read_qdpx

    folder = Path(tempfile.mkdtemp(prefix="fuzz-qdpx-seed-"))
    write_analysis(folder / "out", UNITS, write_codebook(folder))
    qdpx, _, _ = export_qdpx(folder / "out")
    return _file_reader("qdpx", ".qdpx", [qdpx.read_bytes()], read_qdpx, zipped=True)


def _mutated(reader: Reader, base: bytes, rng: random.Random) -> bytes:
    if reader.zipped:
        return mutate_zip(base, rng)
    return mutate_in_place(base, rng) if reader.in_place else mutate(base, rng)


class _Hang(BaseException):
    pass


def _expired(signum: int, frame: object) -> None:
    raise _Hang


# tesseract on a damaged page image can take far longer than the other readers, but its own
# limit is 300 s and a file's is --file-timeout (600 s): a minute is still a hang to report.
OCR_LIMIT_S = 60.0


def run(
    per_reader: int,
    seed: int = 17,
    limit: float = 10.0,
    only: str | None = None,
    ocr_inputs: int | None = None,
    ocr_limit: float = OCR_LIMIT_S,
    keep: Path | None = None,
) -> dict:
    """Fuzz every reader ``per_reader`` times (the OCR reader ``ocr_inputs`` times, by default
    as many); the tally per reader and the peak memory of this process and of its children."""
    signal.signal(signal.SIGALRM, _expired)
    tallies: dict[str, Tally] = {}
    for reader in readers():
        if only and reader.name != only:
            continue
        count = per_reader if ocr_inputs is None or not reader.ocr else ocr_inputs
        reader_limit = ocr_limit if reader.ocr else limit
        tally = tallies[reader.name] = _fuzz(reader, count, seed, reader_limit, keep)
        # A long run takes most of an hour: say where it is.
        print(
            f"{reader.name}: {tally.inputs} inputs, {len(tally.unhandled)} unhandled, "
            f"{len(tally.hangs)} past {reader_limit:g} s, {tally.seconds:.0f} s",
            file=sys.stderr,
            flush=True,
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The largest single child (antiword, tesseract): they run outside this process.
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "per_reader": {
            name: {
                "inputs": t.inputs,
                "unhandled": len(t.unhandled),
                "hangs": len(t.hangs),
                "limit_s": t.limit,
                "slowest_s": round(t.slowest, 2),
                "seconds": round(t.seconds, 1),
                "examples": (t.unhandled + t.hangs)[:5],
            }
            for name, t in tallies.items()
        },
        "peak_rss_mb": round(peak),
        "peak_child_rss_mb": round(child),
    }


def _fuzz(reader: Reader, count: int, seed: int, limit: float, keep: Path | None) -> Tally:
    """``count`` seeded mutations of the reader's seeds, each read under ``limit`` seconds;
    an input that fails is written to ``keep``, if given, to become a test's fixture."""
    rng = random.Random(f"{seed}:{reader.name}")
    tally = Tally(limit=limit)
    started = time.perf_counter()
    for i in range(count):
        base = reader.seeds[i % len(reader.seeds)]
        data = _mutated(reader, base, rng)
        before = len(tally.unhandled) + len(tally.hangs)
        t0 = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            reader.read(data)
        except _Hang:
            tally.hangs.append(f"input {i}: past {limit:g} s")
        except Exception as exc:
            where = traceback.extract_tb(exc.__traceback__)[-1]
            tally.unhandled.append(
                f"input {i}: {type(exc).__name__}: {str(exc)[:120]} "
                f"({Path(where.filename).name}:{where.lineno})"
            )
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        failed = len(tally.unhandled) + len(tally.hangs)
        if keep and failed > before:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"{reader.name}-{i}.bin").write_bytes(data)
        tally.slowest = max(tally.slowest, time.perf_counter() - t0)
        tally.inputs += 1
    tally.seconds = time.perf_counter() - started
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-reader", type=int, default=10_000)
    parser.add_argument(
        "--ocr-inputs", type=int, help="inputs for the OCR reader (default: --per-reader)"
    )
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--limit", type=float, default=10.0, help="seconds one input may take")
    parser.add_argument("--only", help="one reader (pdf, docx, odt, html, markdown, ...)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", type=Path, help="write each failing input to this folder")
    args = parser.parse_args(argv)
    config.set_offline_environment()
    figures = run(
        args.per_reader, args.seed, args.limit, args.only, args.ocr_inputs, keep=args.keep
    )
    print("| reader | inputs | unhandled | past limit | limit (s) | slowest (s) | seconds |")
    print("|---|---|---|---|---|---|---|")
    for name, t in figures["per_reader"].items():
        print(
            f"| {name} | {t['inputs']} | {t['unhandled']} | {t['hangs']} | {t['limit_s']:g} | "
            f"{t['slowest_s']} | {t['seconds']} |"
        )
        for example in t["examples"]:
            print(f"    {name}: {example}")
    print(
        f"peak RSS: {figures['peak_rss_mb']} MB; largest child: {figures['peak_child_rss_mb']} MB"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    bad = sum(t["unhandled"] + t["hangs"] for t in figures["per_reader"].values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
