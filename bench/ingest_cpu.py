"""CPU cost of ingestion, which a loaded machine cannot blur as it blurs wall time.

Usage: python bench/ingest_cpu.py [--corpus DIR] [--files N] [--passes N] [--main]

1. Per page, in this process: ``extract`` on the first ``--files`` benchmark PDFs (read into
   memory first), the best of ``--passes`` passes of ``time.process_time()``; and the same pages
   split into pdfium's own page and text-page loading, the reading of runs, and the Python
   layout (`merge_runs`, `split_margins`, `blocks_from_lines`).
2. With ``--main``: the CPU of the main process of `involve ingest` (user + system, its workers
   excluded) on the whole corpus with an empty cache, the best of ``--passes`` runs.

The benchmark corpus is the one `make bench` generates (``build/bench-corpus/``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO / "build" / "bench-corpus"

# Run as the main process of `involve ingest`: its own CPU only (workers are other processes).
_MAIN = """
import atexit, json, resource, sys
def _report():
    r = resource.getrusage(resource.RUSAGE_SELF)
    sys.__stderr__.write("CPU " + json.dumps({"user": r.ru_utime, "sys": r.ru_stime}) + "\\n")
atexit.register(_report)
sys.argv = ["involve", *sys.argv[1:]]
from pipeline.cli import main
main()
"""


def best_of(passes: int, run: Callable[[], object]) -> float:
    """The least CPU time of ``passes`` runs: interruptions only ever add."""
    best = float("inf")
    for _ in range(passes):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def per_page(paths: list[Path], passes: int) -> dict[str, float]:
    """Milliseconds of CPU per page: the whole `extract`, and its parts."""
    import pypdfium2 as pdfium

    from pipeline.ingest import extract, layout
    from pipeline.ingest import pdf as pdf_mod

    datas = [(p.name, p.read_bytes()) for p in paths]
    pages = 0
    for _, data in datas:
        with pdfium.PdfDocument(data) as doc:
            pages += len(doc)

    def whole() -> None:
        for name, data in datas:
            extract(name, data)

    def load_only() -> None:
        for _, data in datas:
            doc = pdfium.PdfDocument(data)
            for i in range(len(doc)):
                page = doc[i]
                page.get_height()
                page.get_textpage().close()
                page.close()
            doc.close()

    raw_runs: list[tuple[list[list[object]], list[float]]] = []

    def runs_only() -> None:
        raw_runs.clear()
        for _, data in datas:
            doc = pdfium.PdfDocument(data)
            pages_runs, heights = [], []
            for i in range(len(doc)):
                page = doc[i]
                height = page.get_height()
                textpage = page.get_textpage()
                pages_runs.append(pdf_mod._fast_runs(textpage.raw, height) or [])
                heights.append(height)
                textpage.close()
                page.close()
            doc.close()
            raw_runs.append((pages_runs, heights))  # type: ignore[arg-type]

    def layout_only() -> None:
        for pages_runs, heights in raw_runs:
            merged = [layout.merge_runs(r) for r in pages_runs]  # type: ignore[arg-type]
            bodies, _, _ = layout.split_margins(merged, heights)
            for body in bodies:
                layout.blocks_from_lines(body)

    whole()  # warm: imports, regexes, pdfium's own caches
    out = {"pages": float(pages)}
    for name, run in [
        ("extract", whole),
        ("pdfium load+textpage", load_only),
        ("load+runs", runs_only),
        ("layout", layout_only),
    ]:
        out[name] = 1000 * best_of(passes, run) / pages
    return out


def main_process(corpus: Path, passes: int, workers: int | None) -> dict[str, float]:
    """User and system CPU seconds of `involve ingest`'s main process, best of ``passes``."""
    best: dict[str, float] = {}
    for _ in range(passes):
        with tempfile.TemporaryDirectory(prefix="involve-cpu-") as tmp:
            env = {
                **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
                "INVOLVE_CACHE_DIR": f"{tmp}/cache",
                "HF_HUB_OFFLINE": "1",
                # Bytecode cached, as a user's runs have it (and as `make bench` sets it up).
                "PYTHONPYCACHEPREFIX": str(REPO / "build" / "bench" / "pycache"),
            }
            args = ["ingest", str(corpus), "--out", f"{tmp}/out"]
            if workers:
                args += ["--workers", str(workers)]
            started = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-c", _MAIN, *args],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
            )
            wall = time.perf_counter() - started
        line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("CPU "))
        cpu = json.loads(line[4:])
        total = cpu["user"] + cpu["sys"]
        if not best or total < best["cpu"]:
            best = {"cpu": total, "user": cpu["user"], "sys": cpu["sys"], "wall": wall}
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--main", action="store_true", help="also time `involve ingest`")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    paths = sorted(args.corpus.glob("*.pdf"))[: args.files]
    if not paths:
        parser.error(f"no PDFs in {args.corpus}; run `make bench` once to generate them")
    result = per_page(paths, args.passes)
    print(f"{int(result.pop('pages'))} pages in {len(paths)} files; ms of CPU per page:")
    for name, ms in result.items():
        print(f"  {name:22s} {ms:6.3f}")
    if args.main:
        cpu = main_process(args.corpus, args.passes, args.workers)
        print(
            f"involve ingest main process: {cpu['cpu']:.3f} s CPU "
            f"(user {cpu['user']:.3f}, sys {cpu['sys']:.3f}; wall {cpu['wall']:.2f} s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
