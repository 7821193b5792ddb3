"""Rebuild the demo corpus (`corpora/demo/`) from its source text (`corpora/build/demo/docs/`).

Usage: python corpora/build/build_demo.py [--corpus NAME] [--src DIR] [--out DIR]

`--corpus NAME` builds another invented board the same way, from `corpora/build/NAME/docs/` into
`corpora/NAME/` (e.g. `--corpus calderbrook`); the default is `demo`.

Only writes documents named by the sources' front matter; it never deletes anything, so the
hand-written `board.yaml` in the corpus folder is safe.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))  # corpora/ is not a package; render.py sits next to this script

from render import SourceError, build  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Build, print one line per written file, and exit non-zero on a bad source file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="demo", help="corpus name (default: demo)")
    parser.add_argument("--src", type=Path, help="source folder (default: corpora/build/NAME/docs)")
    parser.add_argument("--out", type=Path, help="corpus folder (default: corpora/NAME)")
    args = parser.parse_args(argv)
    args.src = args.src or HERE / args.corpus / "docs"
    args.out = args.out or REPO / "corpora" / args.corpus
    if not args.src.is_dir():
        parser.error(f"source folder {args.src} does not exist")
    started = time.perf_counter()
    try:
        written = build(args.src, args.out)
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")
    print(f"{len(written)} documents in {time.perf_counter() - started:.1f} s")
    for path in stale_files(args.out, written):
        print(f"note: {path} comes from no source file; delete it by hand if it is stale")
    return 0


def stale_files(out_dir: Path, written: list[Path]) -> list[Path]:
    """Corpus files no source produced (e.g. after a rename); listed, never deleted."""
    keep = {path.resolve() for path in written} | {(out_dir / "board.yaml").resolve()}
    return sorted(p for p in out_dir.rglob("*") if p.is_file() and p.resolve() not in keep)


if __name__ == "__main__":
    sys.exit(main())
