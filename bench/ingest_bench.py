"""Ingestion benchmark: `involve ingest` against pdfplumber, pdftotext and pypdfium2.

Usage: python bench/ingest_bench.py [--corpus DIR] [--out DIR] [--docs N] [--repeats N]
(`make bench` runs it with the defaults)

Issue 3 asks that `involve ingest`, as a user runs it, reads text PDFs at least as fast as running
poppler's `pdftotext` over the same files, while keeping page provenance and header and footer
removal. This script makes that claim checkable in one run:

1. it generates, reproducibly and only when not already there, a corpus of minutes-like PDFs with
   running headers, footers and "Page N of M" (about 1,700 pages; reportlab through the demo
   corpus's own renderer, fixed seed) in ``build/bench-corpus/``;
2. it times, on exactly those files, the real `involve ingest` command (a subprocess, a cold cache,
   default workers: wall time as a user sees it), plain pdfplumber ``extract_text``, `pdftotext`
   once per file in a sequential loop, and plain pypdfium2 ``get_text_range``;
3. it prints the table and writes it to ``build/bench/ingest.md`` and ``ingest.json``.

Wall time on a shared machine moves by a fifth from run to run; bench/ingest_cpu.py measures
the CPU of the same work instead. It is a benchmark, not a test, so `make test` does not run it;
tests/run/test_bench.py runs its generator and measuring function on a tiny corpus so that it
cannot rot.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RENDER_PY = REPO / "corpora" / "build" / "render.py"
DEFAULT_CORPUS = REPO / "build" / "bench-corpus"
DEFAULT_OUT = REPO / "build" / "bench"
SEED = 2010
N_DOCS = 100
PAGES = (15, 20)
# Written last, so an interrupted generation is redone rather than benchmarked half-made.
MARKER = ".complete.json"
# reportlab sets A4 minutes at roughly this many words a page; the first guess for a document.
WORDS_PER_PAGE = 430


# --------------------------------------------------------------------------- corpus
def load_renderer() -> ModuleType:
    """corpora/build/render.py by path: corpora/ is not a package, and its renderer is the one
    that made the demo corpus, so the benchmark PDFs are typeset like the demo minutes."""
    spec = importlib.util.spec_from_file_location("involve_corpus_render", RENDER_PY)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {RENDER_PY}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


_PEOPLE = [
    ("Dr Helen Marsh", "Chair"),
    ("Tomasz Nowicki", "Carer Representative"),
    ("Brenda Okafor", "Carer Representative"),
    ("Sam Whitlock", "Service User Representative"),
    ("Priya Raman", "Service User Representative"),
    ("Gareth Lloyd", "Head of Commissioning"),
    ("Aisha Begum", "Community Mental Health Team Manager"),
    ("Martin Cole", "Finance Lead"),
    ("Julia Fenwick", "Voluntary Sector Forum"),
    ("Owen Price", "Housing Services"),
]
_ITEMS = [
    "Minutes of the previous meeting",
    "Matters arising",
    "Crisis support out of hours",
    "Carers' breaks and respite",
    "Housing and tenancy support",
    "Community mental health transformation",
    "Performance report",
    "Service user survey results",
    "Involvement strategy refresh",
    "Budget monitoring",
    "Employment and day opportunities",
    "Any other business",
]
_OPENINGS = [
    "{name} said that",
    "{name} reported that",
    "{name} asked whether",
    "{name} noted that",
    "The Chair explained that",
    "Members agreed that",
    "It was reported that",
]
_CLAUSES = [
    "the waiting list for the community team had fallen for the third month running",
    "carers in the outlying villages still could not reach the respite service",
    "the crisis line had answered most calls within ten minutes since October",
    "the tenancy support pilot would be extended to a further forty households",
    "people leaving hospital were not always told who their care coordinator was",
    "the survey had been returned by over four hundred service users",
    "the budget was on track but the staffing gap in the evening team remained",
    "the peer support workers had helped twelve people back into employment",
    "the new assessment form was shorter and had been tested with carers",
    "the board should hear directly from people using the day services",
    "a report on out-of-hours access would come to the next meeting",
    "the involvement payments policy had been agreed by the finance panel",
]
_ENDINGS = [
    "and asked for the figures to be broken down by locality.",
    "and the board noted the update.",
    "which members welcomed.",
    "and offered to take the point back to the carers' forum.",
    "although the position was still not good enough.",
    "and this would be reviewed in six months.",
]


def minutes_doc(render: ModuleType, index: int, words: int, rng: random.Random) -> Any:
    """One invented board meeting's minutes, about ``words`` long, as a render.SourceDoc."""
    block = render.Block
    day = 1 + index % 27
    month = ["January", "March", "May", "July", "September", "November"][index % 6]
    year = 2015 + index % 10
    date = f"{day} {month} {year}"
    present = rng.sample(_PEOPLE, 7)
    absent = [person[0] for person in _PEOPLE if person not in present]
    blocks = [
        block("title", 0, text="Eastvale Mental Health Partnership Board"),
        block("subtitle", 0, text=f"Minutes of the meeting held on {date}, Council Chamber"),
        block("list_heading", 0, text="Present:", items=[f"{n} ({r})" for n, r in present]),
        block("list_heading", 0, text="Apologies:", items=[rng.choice(absent)]),
    ]
    written, item = 0, 0
    while written < words:
        item += 1
        blocks.append(block("heading", 0, text=f"{item}. {_ITEMS[(item - 1) % len(_ITEMS)]}"))
        for _ in range(rng.randint(2, 5)):
            text = _paragraph(rng, present)
            written += len(text.split())
            items = [rng.choice(_CLAUSES).capitalize() + "." for _ in range(3)]
            listed = items if rng.random() < 0.1 else []
            blocks.append(block("paragraph", 0, text=text, items=listed))
    rows = [["Action", "Owner", "Due"]]
    rows += [[rng.choice(_CLAUSES).capitalize(), n, date] for n, _ in present[:4]]
    blocks.append(block("table", 0, rows=rows))
    front = {
        "file": f"minutes-{index:03d}.pdf",
        "format": "pdf",
        "header": f"Eastvale MHPB – Minutes – {date}",
        "footer": "Unconfirmed until approved at the next meeting",
    }
    return render.SourceDoc(front, blocks, origin=f"bench document {index}")


def _paragraph(rng: random.Random, present: Sequence[tuple[str, str]]) -> str:
    sentences = []
    for _ in range(rng.randint(2, 4)):
        opening = rng.choice(_OPENINGS).format(name=rng.choice(present)[0])
        sentences.append(f"{opening} {rng.choice(_CLAUSES)}, {rng.choice(_ENDINGS)}")
    return " ".join(sentences)


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    with pdfium.PdfDocument(path) as pdf:
        return len(pdf)


def render_document(
    render: ModuleType, index: int, path: Path, pages: tuple[int, int], rng: random.Random
) -> int:
    """Render document ``index`` with a page count in ``pages`` (a few tries: text reflows)."""
    target = rng.randint(*pages)
    words = target * WORDS_PER_PAGE
    state = rng.getstate()
    for _ in range(5):
        rng.setstate(state)  # the same text, only longer or shorter, so each try converges
        render.render_pdf(minutes_doc(render, index, words, rng), path)
        got = pdf_pages(path)
        if pages[0] <= got <= pages[1]:
            break
        words = max(40, round(words * target / got))
    return got


def generate_corpus(
    dest: Path, n_docs: int = N_DOCS, pages: tuple[int, int] = PAGES, seed: int = SEED
) -> list[Path]:
    """The benchmark PDFs in ``dest``, generated only if the same ones are not already there."""
    wanted = {"docs": n_docs, "pages": list(pages), "seed": seed}
    marker = dest / MARKER
    paths = [dest / f"minutes-{i:03d}.pdf" for i in range(n_docs)]
    if marker.exists() and json.loads(marker.read_text()).get("params") == wanted:
        return paths
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    render = load_renderer()
    rng = random.Random(seed)
    total = 0
    for i, path in enumerate(paths):
        total += render_document(render, i, path, pages, rng)
    marker.write_text(json.dumps({"params": wanted, "pages": total}) + "\n")
    return paths


# --------------------------------------------------------------------------- measuring
@dataclass
class Row:
    """One way of reading the corpus: how long it took, and how that compares to pdftotext."""

    method: str
    pages: int
    seconds: float
    runs: int = 1
    pages_per_second: float = 0.0
    ratio_to_pdftotext: float | None = None
    note: str = ""


def involve_command() -> list[str]:
    """The `involve` console script beside this Python, as a user runs it."""
    script = Path(sys.executable).with_name("involve")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from pipeline.cli import main; main()"]


def user_environment(pycache: Path) -> dict[str, str]:
    """The environment a user's `involve` runs in: Python caching bytecode, as it does by default.

    Sandboxes and CI often set PYTHONDONTWRITEBYTECODE, which makes every run compile the package
    again; the cache goes to ``pycache`` rather than into the source tree.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def warm_bytecode(env: dict[str, str]) -> None:
    """Compile the package once, untimed, as a user's first run would."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "pipeline")], env=env, check=True
    )


def time_involve_ingest(corpus: Path, out: Path, env: dict[str, str]) -> float:
    """Wall time of `involve ingest CORPUS --out OUT` with an empty cache and default workers."""
    with tempfile.TemporaryDirectory(prefix="involve-bench-cache-") as cache:
        started = time.perf_counter()
        proc = subprocess.run(
            [*involve_command(), "ingest", str(corpus), "--out", str(out)],
            env={**env, "INVOLVE_CACHE_DIR": cache},
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"involve ingest failed:\n{proc.stdout}\n{proc.stderr}")
    return seconds


def time_pdfplumber(paths: Sequence[Path]) -> float:
    import pdfplumber

    started = time.perf_counter()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
    return time.perf_counter() - started


def time_pdftotext(paths: Sequence[Path]) -> float:
    """One `pdftotext FILE -` per file, one after another, as a user's shell loop runs it."""
    started = time.perf_counter()
    for path in paths:
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return time.perf_counter() - started


def time_pypdfium2(paths: Sequence[Path]) -> float:
    import pypdfium2 as pdfium

    started = time.perf_counter()
    for path in paths:
        pdf = pdfium.PdfDocument(path)
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        pdf.close()
    return time.perf_counter() - started


def check_ingest_tables(out: Path, pages: int) -> str:
    """What `involve ingest` kept: a row per page, numbered, with the running footer taken out.

    The speed only counts if the work was done, so the table the timed run wrote is checked.
    """
    import pandas as pd

    table = pd.read_parquet(out / "tables" / "pages.parquet")
    numbered = bool((table.groupby("doc_id")["page"].min() == 1).all())
    footers = int(table["footer"].str.contains(r"Page \d+ of \d+").sum())
    in_body = int(table["text"].str.contains(r"Page \d+ of \d+").sum())
    if len(table) != pages or not numbered or footers != pages or in_body:
        raise RuntimeError(
            f"involve ingest wrote {len(table)} of {pages} pages, {footers} footers removed, "
            f"{in_body} left in the text"
        )
    return f"{len(table)} pages numbered from 1; running header and footer removed from each"


def measure(corpus: Path, work: Path, repeats: int = 3) -> list[Row]:
    """Time every method on the PDFs in ``corpus``; ``work`` receives `involve ingest`'s tables.

    The fast methods run ``repeats`` rounds, one after another within a round, and each keeps
    its fastest: timing noise only ever adds, and on a small shared machine a background job
    would otherwise decide the result. pdfplumber, forty times slower, runs once.
    """
    paths = sorted(corpus.glob("*.pdf"))
    pages = sum(pdf_pages(p) for p in paths)
    env = user_environment(work / "pycache")
    warm_bytecode(env)
    methods: list[tuple[str, Callable[[], float], bool, str | None]] = [
        ("involve ingest", lambda: time_involve_ingest(corpus, work, env), True, None),
        ("pdftotext (one process per file)", lambda: time_pdftotext(paths), True, "pdftotext"),
        ("pypdfium2 get_text_range", lambda: time_pypdfium2(paths), True, None),
        ("pdfplumber extract_text", lambda: time_pdfplumber(paths), False, None),
    ]
    available = [m for m in methods if m[3] is None or shutil.which(m[3]) is not None]
    times: dict[str, list[float]] = {name: [] for name, *_ in available}
    for round_ in range(repeats):
        for name, run, repeat, _ in available:
            if repeat or round_ == 0:
                times[name].append(run())
    rows = []
    for name, *_, needs in methods:
        if name not in times:
            rows.append(Row(name, pages, 0.0, 0, note=f"{needs} not installed"))
            continue
        seconds = min(times[name])
        rows.append(Row(name, pages, seconds, len(times[name]), pages / seconds))
    rows[0].note = check_ingest_tables(work, pages)
    reference = next((r for r in rows if r.method.startswith("pdftotext") and r.runs), None)
    for row in rows:
        if reference is not None and row.runs:
            row.ratio_to_pdftotext = row.pages_per_second / reference.pages_per_second
    return rows


# --------------------------------------------------------------------------- reporting
def machine() -> str:
    return f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"


def markdown(rows: Sequence[Row]) -> str:
    lines = [
        "| method | pages | seconds | pages/s | ratio to pdftotext |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        if not r.runs:
            lines.append(f"| {r.method} | {r.pages} | – | – | {r.note} |")
            continue
        ratio = f"{r.ratio_to_pdftotext:.2f}" if r.ratio_to_pdftotext is not None else "–"
        lines.append(
            f"| {r.method} | {r.pages} | {r.seconds:.2f} | {r.pages_per_second:.0f} | {ratio} |"
        )
    return "\n".join(lines) + "\n"


def report_text(rows: Sequence[Row], corpus: Path) -> str:
    """The table with what it was measured on and how, as written to ingest.md."""
    runs = max((r.runs for r in rows), default=1)
    notes = [f"- {r.method}: {r.note}" for r in rows if r.note]
    return "\n".join(
        [
            "# Ingestion benchmark",
            "",
            f"{corpus} ({machine()}); seconds are the fastest of {runs} runs (pdfplumber: one).",
            "`involve ingest` runs as a user runs it: the installed command, an empty extraction "
            "cache, default workers, wall time.",
            "",
            markdown(rows),
            *notes,
            "",
            "Reproduce with `make bench`.",
            "",
        ]
    )


def write_report(rows: Sequence[Row], corpus: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "ingest.md").write_text(report_text(rows, corpus), encoding="utf-8")
    data = {"corpus": str(corpus), "machine": machine(), "rows": [asdict(r) for r in rows]}
    (out / "ingest.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--docs", type=int, default=N_DOCS)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = generate_corpus(args.corpus, args.docs)
    print(f"Corpus: {len(paths)} PDFs in {args.corpus} ({time.perf_counter() - started:.1f} s)")
    rows = measure(args.corpus, args.out / "ingest-tables", args.repeats)
    write_report(rows, args.corpus, args.out)
    print(report_text(rows, args.corpus))
    print(f"Written to {args.out / 'ingest.md'} and {args.out / 'ingest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
