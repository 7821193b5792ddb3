"""Tiny analysis outputs and hand-built REFI-QDA projects for the export, import and gold tests.

The projects are written here as plain XML text, in the shapes QualCoder and NVivo write
(``plainTextPath`` into ``sources/``, or inline ``PlainTextContent``; a human user), without the
project's own exporter, so that the importer is tested against files it did not make.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pandas as pd

from pipeline.core import io, schemas
from pipeline.core.textkey import unit_key

CODEBOOK_YAML = """\
name: mini-survey
version: 2
source: Invented survey for tests
themes:
- id: housing
  label: Housing
  priority_rank: 1
  survey_share: 0.5
  definition: Homes, tenancies and supported accommodation.
  seeds: [housing, tenancy]
- id: cafe_drop_in
  label: Café drop-in — naïve “peer” support
  priority_rank: 2
  survey_share: 0.25
  definition: Peer support at the café; people said “ça va” and 😀.
  seeds: [café, drop-in]
"""

# Three units in one document, two in another: non-ASCII and an astral character (one code point,
# two UTF-16 units, four UTF-8 bytes) before later units, so any other way of counting offsets
# lands elsewhere.
UNITS: list[dict[str, Any]] = [
    {
        "source": "minutes/2024-01-25-minutes.pdf",
        "text": "Service user 1 asked about the café drop-in 😀 and its naïve “peer” rota.",
        "focus": "process",
        "outcome_scope": "",
        "speaker_role": "service_user",
        "theme": "cafe_drop_in",
    },
    {
        "source": "minutes/2024-01-25-minutes.pdf",
        "text": "Officer 2 will write to the housing association by March.",
        "focus": "action",
        "outcome_scope": "",
        "speaker_role": "officer",
        "theme": "housing",
    },
    {
        "source": "minutes/2024-01-25-minutes.pdf",
        "text": "Twelve tenants were rehoused\r\nfrom the Eastfield estate.",
        "focus": "outcome",
        "outcome_scope": "collective",
        "speaker_role": "none",
        "theme": "housing",
    },
    {
        "source": "minutes/2024-03-14-minutes.docx",
        "text": "The minutes were agreed as a correct record.",
        "focus": "process",
        "outcome_scope": "",
        "speaker_role": "chair",
        "theme": "other",
    },
    {
        "source": "minutes/2024-03-14-minutes.docx",
        "text": "Carer 1 received her training certificate.",
        "focus": "outcome",
        "outcome_scope": "individual",
        "speaker_role": "carer",
        "theme": "other",
    },
]


def write_codebook(folder: Path) -> Path:
    path = folder / "mini-survey.yaml"
    path.write_text(CODEBOOK_YAML, encoding="utf-8")
    return path


def write_analysis(
    out_dir: Path, units: list[dict[str, Any]], codebook: Path, corpus: str = "mini"
) -> None:
    """An analysis output folder (tables/segments, tables/documents, manifest.json) for ``units``.

    Each unit dict needs source, text and the four labels; the rest takes plain defaults.
    """
    rows = []
    doc_ids: dict[str, str] = {}
    for i, unit in enumerate(units, 1):
        doc_id = doc_ids.setdefault(unit["source"], f"{len(doc_ids) + 1:012x}")
        rows.append(
            {
                "segment_id": f"M{doc_id[-3:]}-{i:03d}",
                "meeting_id": f"M{doc_id[-3:]}",
                "meeting_date": pd.Timestamp("2024-01-25"),
                "doc_id": doc_id,
                "page": 1,
                "item_no": "3",
                "item_title": "Housing update",
                "speaker_id": "",
                "n_words": len(unit["text"].split()),
                "is_action": unit["focus"] == "action",
                "is_decision": False,
                "action_owner": "",
                "theme_score": 0.5,
                "theme_source": "zero-shot",
                "focus_score": 0.75,
                "level": None,
                "unit_key": unit_key(unit["text"]),
                **unit,
            }
        )
    segments = schemas.conform(_complete(pd.DataFrame(rows), "segments"), "segments")
    documents = pd.DataFrame(
        [
            {
                "doc_id": doc_id,
                "source": source,
                "sha256": None,
                "doc_type": "minutes",
                "body": None,
                "meeting_date": pd.Timestamp("2024-01-25"),
                "pages": 1,
                "n_words": 100,
                "ocr_pages": 0,
                "ocr_confidence": None,
                "extractor": "test",
                "status": "ok",
                "message": "",
            }
            for source, doc_id in doc_ids.items()
        ]
    )
    documents = schemas.conform(_complete(documents, "documents"), "documents")
    io.write_table(segments, "segments", out_dir / "tables")
    io.write_table(documents, "documents", out_dir / "tables")
    manifest = {
        "involve_version": "9.8.7",
        "corpus_name": corpus,
        "board_name": "Mini Partnership Board",
        "codebook": {"path": str(codebook), "name": "mini-survey", "version": 2},
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


_DEFAULTS: dict[str, Any] = {"str": "", "int": 0, "float": 0.0, "bool": False, "date": None}


def _complete(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Columns the table's schema has and these fixtures do not set get a plain default, so the
    fixtures keep working when a column is added."""
    for col in schemas.TABLES[table]:
        if col.name not in df.columns:
            value = None if col.nullable else _DEFAULTS[col.dtype]
            if col.allowed is not None and value not in col.allowed:
                value = col.allowed[0]
            df[col.name] = value
    return df


# --------------------------------------------------------------------------- hand-built projects
@dataclass
class Sel:
    start: int
    end: int
    codes: list[str]  # code names
    user: str  # user name


@dataclass
class Src:
    name: str
    text: str
    selections: list[Sel] = field(default_factory=list)
    inline: bool = False  # PlainTextContent (NVivo style) instead of a file in sources/


def build_qdpx(
    path: Path,
    sources: list[Src],
    codes: dict[str, list[str]] | list[str],
    users: list[str],
) -> Path:
    """A .qdpx as another tool writes it. ``codes``: {group: [code, ...]} or a flat list."""
    guid = {name: str(uuid.uuid4()).upper() for name in users}  # NVivo writes upper case
    code_guid: dict[str, str] = {}

    def code(name: str, codable: bool, inner: str = "") -> str:
        code_guid.setdefault(name, str(uuid.uuid4()))
        return (
            f"<Code guid={quoteattr(code_guid[name])} name={quoteattr(name)} "
            f'isCodable="{str(codable).lower()}">{inner}</Code>'
        )

    if isinstance(codes, dict):
        tree = "".join(
            code(group, False, "".join(code(c, True) for c in children))
            for group, children in codes.items()
        )
    else:
        tree = "".join(code(c, True) for c in codes)
    files: dict[str, bytes] = {}
    parts = []
    for src in sources:
        sguid = str(uuid.uuid4())
        sels = "".join(
            f'<PlainTextSelection guid="{uuid.uuid4()}" startPosition="{s.start}" '
            f'endPosition="{s.end}" creatingUser="{guid[s.user]}">'
            + "".join(
                f'<Coding guid="{uuid.uuid4()}" creatingUser="{guid[s.user]}">'
                f'<CodeRef targetGUID="{code_guid[c]}"/></Coding>'
                for c in s.codes
            )
            + "</PlainTextSelection>"
            for s in src.selections
        )
        if src.inline:
            body = f"<PlainTextContent>{_escape(src.text)}</PlainTextContent>"
            parts.append(
                f'<TextSource guid="{sguid}" name={quoteattr(src.name)}>{body}{sels}</TextSource>'
            )
        else:
            files[f"sources/{sguid}.txt"] = src.text.encode("utf-8")
            parts.append(
                f'<TextSource guid="{sguid}" name={quoteattr(src.name)} '
                f'plainTextPath="internal://{sguid}.txt">{sels}</TextSource>'
            )
    users_xml = "".join(f"<User guid={quoteattr(g)} name={quoteattr(n)}/>" for n, g in guid.items())
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Hand coded" origin="QualCoder 3.5">'
        f"<Users>{users_xml}</Users><CodeBook><Codes>{tree}</Codes></CodeBook>"
        f"<Sources>{''.join(parts)}</Sources></Project>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde.encode("utf-8"))
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
