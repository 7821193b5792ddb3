"""No real minutes in the repository.

The real published minutes (``REALWORLD/bodies``) and their hand coding (``REALWORLD/gold``) are
development data that must never be copied into the project: no real sentence (a verbatim run of
its wording) and no real person's name in code, comments, tests, docs or lexicons. Examples must
use invented wording and invented names.

This test reads the words of the real minutes that are cheap to read — the ``text`` of every gold
unit (the coders' transcription of the minutes' paragraphs) and the Markdown/plain-text/HTML
documents among the bodies (PDFs and word-processor files are not opened: too slow for a test,
and the gold covers their coded paragraphs) — and fails on any run of ``SHINGLE`` words shared
with a tracked text file, reported as ``file:line`` with the shared words. It also fails on the
full name of any member in the gold rosters (``gold/boards/*.yaml``).

It skips when the real-world folder is absent (``REALWORLD`` from the environment, else
``../shared/realworld`` beside the project, as ``pipeline.evaluate.realworld.default_root``).
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml

from pipeline.evaluate.realworld import default_root

ROOT = Path(__file__).resolve().parents[1]
REALWORLD = default_root()

# Eight words: long enough that ordinary board English ("the minutes of the previous meeting were
# agreed") rarely spans it by chance, short enough that a copied clause is caught.
SHINGLE = 8

CHECKED_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".txt", ".csv", ".j2", ".ipynb"}

# Generic board formulae that every set of minutes uses, in real minutes as in invented ones.
# Only these are allowed; each entry is an 8-word run (normalised, see ``_words``). Never add
# anything that names a body, a person, a place or a particular decision.
ALLOWED: set[tuple[str, ...]] = set(
    tuple(s.split())
    for s in (
        # "The minutes of the previous meeting were agreed as a true record" and its variants.
        "the minutes of the previous meeting were agreed",
        "minutes of the previous meeting were agreed as",
        "of the previous meeting were agreed as a",
        "the previous meeting were agreed as a true",
        "previous meeting were agreed as a true record",
        "the minutes of the last meeting were agreed",
        "minutes of the last meeting were agreed as",
        "of the last meeting were agreed as a",
        "the last meeting were agreed as a true",
        "last meeting were agreed as a true record",
        "meeting were agreed as a true and accurate",
        "were agreed as a true and accurate record",
        "minutes of the previous meeting were approved as",
        "of the previous meeting were approved as a",
        "the previous meeting were approved as a true",
        "previous meeting were approved as a true record",
        "were approved as a true and accurate record",
        "approved as a true and accurate record of",
        "agreed as a true and accurate record of",
        "as a true and accurate record of the",
        "a true and accurate record of the meeting",
        "a true and accurate record of the previous",
        "true and accurate record of the previous meeting",
        "as a true record of the previous meeting",
        "were agreed as a true record of the",
        "agreed as a true record of the meeting",
        # "There being no other business the meeting closed at ..."
        "there being no other business the meeting closed",
        "being no other business the meeting closed at",
        "there being no further business the meeting closed",
        "being no further business the meeting closed at",
        # "... declared the meeting open and welcomed everyone"
        "the chair welcomed everyone to the meeting and",
    )
)
# "The minutes of the meeting held on 30 May were approved": the formula with any day and month.
_MONTHS = "january february march april may june july august september october november december"
ALLOWED |= {
    ("the", "minutes", "of", "the", "meeting", "held", "on", str(day)) for day in range(1, 32)
} | {
    ("minutes", "of", "the", "meeting", "held", "on", str(day), month)
    for day in range(1, 32)
    for month in _MONTHS.split()
}


def _words(text: str) -> list[str]:
    """Lower-cased word tokens, punctuation and accents dropped, curly quotes folded."""
    text = unicodedata.normalize("NFKD", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    text = re.sub(r"'s\b", "s", text).replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _real_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted((REALWORLD / "gold").glob("units-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line).get("text") or "")
    bodies = REALWORLD / "bodies"
    if bodies.is_dir():
        for path in sorted(bodies.rglob("*")):
            if path.suffix.lower() in {".md", ".txt", ".html", ".htm"} and path.is_file():
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def _real_names() -> set[str]:
    """Full names of real people: every roster member's, and every "Given Surname" pair in the
    gold's text, speakers and attendance notes whose first word is in the project's list of
    common given names (so "Police Report" or "East Berwickshire" are not taken for people)."""
    given = {
        line.strip()
        for line in (ROOT / "pipeline" / "data" / "given-names.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    names: set[str] = set()
    for path in sorted((REALWORLD / "gold" / "boards").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for member in doc.get("members") or []:
            words = str(member.get("name") or "").split()
            # A full name (given name and surname); a lone given name or initials are not.
            if len(words) >= 2 and len(words[0].strip(".")) > 1:
                names.add(" ".join(words))
    rows = [
        json.loads(line)
        for path in sorted((REALWORLD / "gold").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    # A second word that the minutes also write in lower case is a noun ("Young People"), not a
    # surname.
    lower = set(re.findall(r"\b[a-z]+\b", " ".join(str(r.get("text") or "") for r in rows)))
    pair = re.compile(r"\b([A-Z][a-z]+) ((?:Mc|Mac|O')?[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\b")
    for row in rows:
        text = " ".join(str(row.get(k) or "") for k in ("text", "speaker", "note"))
        for first, last in pair.findall(text):
            if first in given and last not in given and last.lower() not in lower:
                names.add(f"{first} {last}")
    return names


def _tracked_files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode("utf-8")
    files = []
    for rel in out.split("\0"):
        if rel == "tests/test_no_real_text.py":  # its allow-list is real wording by design
            continue
        if rel and Path(rel).suffix.lower() in CHECKED_SUFFIXES:
            path = ROOT / rel
            if path.is_file():
                files.append(path)
    return files


needs_realworld = pytest.mark.skipif(
    not (REALWORLD / "gold").is_dir(),
    reason=f"no real-world minutes at {REALWORLD} (set REALWORLD=path); nothing to compare against",
)


@needs_realworld
def test_no_real_sentence_in_repository():
    real: set[tuple[str, ...]] = set()
    for text in _real_texts():
        real |= _shingles(_words(text))
    real -= ALLOWED
    assert real, "read no text from the real-world gold"

    findings: list[str] = []
    for path in _tracked_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = text.splitlines()
        # Words with the line each came from, so a run across a line break is still found.
        words: list[str] = []
        where: list[int] = []
        for number, line in enumerate(lines, 1):
            ws = _words(line)
            words.extend(ws)
            where.extend([number] * len(ws))
        hit_until = -1
        for i in range(len(words) - SHINGLE + 1):
            if tuple(words[i : i + SHINGLE]) in real and i > hit_until:
                j = i + SHINGLE
                while j < len(words) and tuple(words[j - SHINGLE + 1 : j + 1]) in real:
                    j += 1
                findings.append(f"{path.relative_to(ROOT)}:{where[i]}: {' '.join(words[i:j])}")
                hit_until = j - 1
    assert not findings, (
        f"{len(findings)} run(s) of {SHINGLE}+ words copied from the real minutes; rewrite them "
        "with invented wording:\n" + "\n".join(findings)
    )


@needs_realworld
def test_no_real_name_in_repository():
    names = _real_names()
    assert names, "read no names from the real-world rosters"
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names)) + r")\b")
    findings: list[str] = []
    for path in _tracked_files():
        for number, line in enumerate(
            path.read_text(encoding="utf-8", errors="replace").splitlines(), 1
        ):
            # As written (case kept): "Young People" in a heading is a name only by accident,
            # but a real full name is always capitalised.
            for match in pattern.finditer(" ".join(line.split())):
                findings.append(f"{path.relative_to(ROOT)}:{number}: {match.group(1)}")
    assert not findings, (
        f"{len(findings)} real person's name(s) from the gold rosters; use invented names:\n"
        + "\n".join(findings)
    )
