"""`involve export qdpx`: the machine coding as a REFI-QDA project and codebook.

Researchers review the coding in NVivo, ATLAS.ti, MAXQDA or QualCoder: each coded document becomes
one text source, and each unit one coded selection in it.

- **Sources.** One ``TextSource`` per document that has units, named by its path in the corpus
  (the ``source`` column, so an import of the reviewed project joins back to the units), with
  each "/" written as "\u2215" (:func:`pipeline.qda.source_name`: tools that copy a source to a
  file of its name fail on "/"). Its text
  is the document's units, pseudonymised as in ``tables/segments``, in order, separated by a blank
  line (``\\n\\n``); line endings inside a unit become ``\\n``. The text is stored as
  ``sources/<guid>.txt`` (UTF-8, no byte-order mark) and named by ``plainTextPath`` as
  ``internal://<guid>.txt``, the form all four tools write and read.
- **Offsets.** Each unit's ``PlainTextSelection`` has ``startPosition`` and ``endPosition`` in
  Unicode code points from 0, end exclusive (``text[start:end]`` is the unit), as
  :mod:`pipeline.qda` states. Its ``name`` is the unit's ``segment_id``.
- **Codebook.** Four groups that cannot be coded (``isCodable="false"``), so no tool mistakes a
  dimension for a code: Themes (one code per codebook theme, described by its definition, and
  Other), Focus (Process, Action, Outcome), Outcome scope (Individual, Collective) and Speaker role.
  The same tree is written alone as a ``.qdc`` codebook.
- **Variables.** Each source carries its meeting date, year and document type, so a tool's
  matrix or crosstab queries can split the coding by meeting or year.
- **Coder.** Every coding is made by the user "involve classifier <version>", so reviewers can tell
  machine codings from their own, and :func:`pipeline.evaluate.gold.load_gold`
  leaves them out by default.
- **Identifiers.** Codes, the user and sources get name-based UUIDs (version 5) derived from what
  they stand for (a theme's id, a label, the involve version, a source's path and text), so a
  project exported again after a re-run keeps the same code and user GUIDs and tools merge the
  two instead of doubling every code; a source keeps its GUID only while its text is unchanged.
  Selections and codings are one run's results and nothing refers to them from outside: they get
  random UUIDs (version 4).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from xml.etree import ElementTree as ET

from pipeline import __version__
from pipeline.core import config, io
from pipeline.qda import (
    CODEBOOK_NS,
    INTERNAL_PREFIX,
    MACHINE_USER_PREFIX,
    PROJECT_FILE,
    PROJECT_NS,
    SOURCES_DIR,
    source_name,
)
from pipeline.run import outputs

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.inputs.codebook import Codebook

# Fixed namespace for the name-based UUIDs (see the module docstring); never change it, or every
# re-export stops merging with earlier ones.
GUID_NAMESPACE: Final = uuid.UUID("5d0c8a3e-7f52-4c1e-9a57-3b8f1c2e6d40")
UNIT_SEPARATOR: Final = "\n\n"
OTHER_THEME: Final = config.OTHER_THEME

FOCUS_CODES: Final = {
    "process": (
        "The workings of the board and the machinery of services: procedure, governance, plans "
        "and reports presented or noted, questions, progress on work still under way.",
        "#9E9E9E",
    ),
    "action": (
        "A commitment or instruction for someone to do something after the meeting.",
        "#1F77B4",
    ),
    "outcome": (
        "A concrete change or result that has happened for the people who use services or in "
        "the service itself.",
        "#2CA02C",
    ),
}
SCOPE_CODES: Final = {
    "individual": (
        "The outcome's benefit is limited to particular individuals, especially the people "
        "involved.",
        "#FF7F0E",
    ),
    "collective": (
        "The outcome's benefit reaches service users or the population generally.",
        "#9467BD",
    ),
}
# Colours in the order of config.SPEAKER_ROLES; the roles and their meanings are config's.
_ROLE_COLOURS: Final = ("#D62728", "#E377C2", "#BCBD22", "#17BECF", "#8C564B", "#7F7F7F", "#C7C7C7")
ROLE_CODES: Final = {
    role: (config.ROLE_MEANINGS[role], colour)
    for role, colour in zip(config.SPEAKER_ROLES, _ROLE_COLOURS, strict=True)
}
THEME_COLOURS: Final = (
    "#4E79A7",
    "#F28E2B",
    "#E15759",
    "#76B7B2",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
)
OTHER_COLOUR: Final = "#D3D3D3"
# Variables on every source, for matrix queries by meeting and year: name -> (type, description).
VARIABLES: Final = {
    "Meeting date": ("Date", "Date of the meeting the document belongs to."),
    "Year": ("Integer", "Calendar year of that meeting."),
    "Document type": ("Text", "minutes, agenda, papers, action_log or other."),
}
# Characters XML 1.0 cannot hold at all, removed from names and descriptions.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class CodeNode:
    """A code of the exported codebook; ``key`` makes its stable GUID."""

    key: str
    name: str
    description: str
    codable: bool
    color: str | None = None
    children: list[CodeNode] = field(default_factory=list)

    @property
    def guid(self) -> str:
        return stable_guid("code", self.key)

    def walk(self) -> Iterator[CodeNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Export:
    """What an export writes: the project's XML, its source texts by archive name, the codebook."""

    project_xml: bytes
    sources: dict[str, bytes]
    codebook_xml: bytes
    n_sources: int
    n_selections: int
    n_codings: int

    def qdpx_members(self) -> dict[str, bytes]:
        return {PROJECT_FILE: self.project_xml, **self.sources}


def stable_guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}/{key}"))


def _title(label: str) -> str:
    words = label.replace("_", " ")
    return words[:1].upper() + words[1:]


def code_tree(codebook: Codebook | None, theme_ids: Sequence[str] = ()) -> list[CodeNode]:
    """The four groups of codes; themes from the codebook, then any id it lacks, then Other."""
    themes: list[CodeNode] = []
    known: set[str] = set()
    if codebook is not None:
        for theme in codebook.themes:
            known.add(theme.id)
            rank = f" Survey priority {theme.priority_rank}." if theme.priority_rank else ""
            themes.append(
                CodeNode(f"theme/{theme.id}", theme.label, f"{theme.definition}{rank}", True)
            )
    for theme_id in theme_ids:
        if theme_id not in known and theme_id != OTHER_THEME:
            known.add(theme_id)
            themes.append(CodeNode(f"theme/{theme_id}", _title(theme_id), "", True))
    themes.append(
        CodeNode(
            f"theme/{OTHER_THEME}",
            "Other",
            "No survey theme: the board's own procedure, or no theme is clearly indicated.",
            True,
        )
    )
    for i, node in enumerate(themes[:-1]):
        node.color = THEME_COLOURS[i % len(THEME_COLOURS)]
    themes[-1].color = OTHER_COLOUR
    source = f" from codebook {codebook.name} version {codebook.version}" if codebook else ""

    def group(key: str, name: str, description: str, codes: dict[str, tuple[str, str]]) -> CodeNode:
        children = [
            CodeNode(f"{key}/{label}", _title(label), desc, True, colour)
            for label, (desc, colour) in codes.items()
        ]
        return CodeNode(key, name, description, False, None, children)

    return [
        CodeNode(
            "theme",
            "Themes",
            f"Survey themes{source}; one per unit, or Other.",
            False,
            None,
            themes,
        ),
        group("focus", "Focus", "Process, action or outcome: one per unit.", FOCUS_CODES),
        group(
            "outcome_scope",
            "Outcome scope",
            "Who benefits from an outcome: only for units whose focus is Outcome.",
            SCOPE_CODES,
        ),
        group(
            "speaker_role",
            "Speaker role",
            "Role of the person whose contribution the unit mainly reports.",
            ROLE_CODES,
        ),
    ]


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _code_element(parent: ET.Element, node: CodeNode, ns: str) -> None:
    attrs = {"guid": node.guid, "name": _clean(node.name), "isCodable": str(node.codable).lower()}
    if node.color:
        attrs["color"] = node.color
    el = ET.SubElement(parent, f"{{{ns}}}Code", attrs)
    if node.description:
        ET.SubElement(el, f"{{{ns}}}Description").text = _clean(node.description)
    for child in node.children:
        _code_element(el, child, ns)


def _serialise(root: ET.Element, ns: str) -> bytes:
    ET.register_namespace("", ns)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def codebook_xml(tree: Sequence[CodeNode], origin: str) -> bytes:
    """The ``.qdc`` codebook: ``CodeBook`` > ``Codes`` > the code tree."""
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": origin})
    codes = ET.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    for node in tree:
        _code_element(codes, node, CODEBOOK_NS)
    return _serialise(root, CODEBOOK_NS)


def _unit_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def build_export(
    segments: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    codebook: Codebook | None,
    project_name: str,
    version: str = __version__,
    created: datetime | None = None,
) -> Export:
    """The project and codebook for ``segments`` (pure: no files)."""
    stamp = (created or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    origin = f"involve {version}"
    tree = code_tree(codebook, sorted(set(segments["theme"].astype(str))))
    guid_of = {node.key: node.guid for group in tree for node in group.walk()}
    user_guid = stable_guid("user", f"{MACHINE_USER_PREFIX} {version}")
    ns = PROJECT_NS

    root = ET.Element(
        f"{{{ns}}}Project",
        {
            "name": _clean(project_name),
            "origin": origin,
            "creatingUserGUID": user_guid,
            "creationDateTime": stamp,
        },
    )
    # The standard fixes the order of the project's children: Users, CodeBook, ..., Sources.
    users = ET.SubElement(root, f"{{{ns}}}Users")
    ET.SubElement(
        users, f"{{{ns}}}User", {"guid": user_guid, "name": f"{MACHINE_USER_PREFIX} {version}"}
    )
    codes = ET.SubElement(ET.SubElement(root, f"{{{ns}}}CodeBook"), f"{{{ns}}}Codes")
    for node in tree:
        _code_element(codes, node, ns)
    variables = ET.SubElement(root, f"{{{ns}}}Variables")
    for var_name, (kind, description) in VARIABLES.items():
        var = ET.SubElement(
            variables,
            f"{{{ns}}}Variable",
            {"guid": stable_guid("variable", var_name), "name": var_name, "typeOfVariable": kind},
        )
        ET.SubElement(var, f"{{{ns}}}Description").text = description
    sources_el = ET.SubElement(root, f"{{{ns}}}Sources")

    doc_info = documents.set_index("doc_id") if len(documents) else None
    files: dict[str, bytes] = {}
    n_codings = 0
    for doc_id, units in segments.groupby("doc_id", sort=False):
        units = units.reset_index(drop=True)
        texts = [_unit_text(str(t)) for t in units["text"]]
        full = UNIT_SEPARATOR.join(texts)
        name = str(units["source"].iloc[0])
        digest = hashlib.sha256(full.encode("utf-8")).hexdigest()
        source_guid = stable_guid("source", f"{name}/{digest}")
        files[f"{SOURCES_DIR}/{source_guid}.txt"] = full.encode("utf-8")
        src = ET.SubElement(
            sources_el,
            f"{{{ns}}}TextSource",
            {
                "guid": source_guid,
                "name": _clean(source_name(name)),
                "plainTextPath": f"{INTERNAL_PREFIX}{source_guid}.txt",
                "creatingUser": user_guid,
                "creationDateTime": stamp,
            },
        )
        ET.SubElement(src, f"{{{ns}}}Description").text = _source_description(
            doc_info, str(doc_id), len(units)
        )
        start = 0
        for unit, text in zip(_records(units), texts, strict=True):
            end = start + len(text)
            sel = ET.SubElement(
                src,
                f"{{{ns}}}PlainTextSelection",
                {
                    "guid": str(uuid.uuid4()),
                    "name": str(unit["segment_id"]),
                    "startPosition": str(start),
                    "endPosition": str(end),
                    "creatingUser": user_guid,
                    "creationDateTime": stamp,
                },
            )
            ET.SubElement(sel, f"{{{ns}}}Description").text = _clean(_unit_description(unit))
            for key in _unit_codes(unit):
                coding = ET.SubElement(
                    sel,
                    f"{{{ns}}}Coding",
                    {
                        "guid": str(uuid.uuid4()),
                        "creatingUser": user_guid,
                        "creationDateTime": stamp,
                    },
                )
                ET.SubElement(coding, f"{{{ns}}}CodeRef", {"targetGUID": guid_of[key]})
                n_codings += 1
            start = end + len(UNIT_SEPARATOR)
        # Values follow the selections: the standard's order within a TextSource.
        for var_name, value in _source_values(units, doc_info, str(doc_id)).items():
            kind = VARIABLES[var_name][0]
            vv = ET.SubElement(src, f"{{{ns}}}VariableValue")
            ET.SubElement(
                vv, f"{{{ns}}}VariableRef", {"targetGUID": stable_guid("variable", var_name)}
            )
            ET.SubElement(vv, f"{{{ns}}}{kind}Value").text = _clean(value)
    return Export(
        project_xml=_serialise(root, ns),
        sources=files,
        codebook_xml=codebook_xml(tree, origin),
        n_sources=len(files),
        n_selections=len(segments),
        n_codings=n_codings,
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _unit_codes(unit: Mapping[str, Any]) -> list[str]:
    keys = [f"theme/{unit['theme']}", f"focus/{unit['focus']}"]
    scope = str(unit["outcome_scope"] or "")
    if scope:
        keys.append(f"outcome_scope/{scope}")
    keys.append(f"speaker_role/{unit['speaker_role']}")
    return keys


def _unit_description(unit: Mapping[str, Any]) -> str:
    item = " ".join(part for part in (str(unit["item_no"]), str(unit["item_title"])) if part)
    speaker = str(unit["speaker_id"] or "")
    parts = [
        f"Unit {unit['segment_id']}, page {unit['page']}",
        f"item {item}" if item else "",
        f"speaker {speaker}" if speaker else "",
        f"theme score {float(unit['theme_score']):.2f}",
        f"focus score {float(unit['focus_score']):.2f}",
    ]
    return "; ".join(p for p in parts if p) + "."


def _source_values(units: pd.DataFrame, info: pd.DataFrame | None, doc_id: str) -> dict[str, str]:
    """The document's meeting date, year and type, where known, as variable values."""
    import pandas as pd

    out: dict[str, str] = {}
    dates = pd.to_datetime(units["meeting_date"], errors="coerce").dropna()
    if len(dates):
        out["Meeting date"] = dates.iloc[0].strftime("%Y-%m-%d")
        out["Year"] = str(dates.iloc[0].year)
    if info is not None and doc_id in info.index:
        out["Document type"] = str(info.loc[doc_id].get("doc_type") or "")
    return {k: v for k, v in out.items() if v}


def _source_description(info: pd.DataFrame | None, doc_id: str, n_units: int) -> str:
    what = f"{n_units} units coded by {MACHINE_USER_PREFIX}, pseudonymised, one per paragraph"
    if info is None or doc_id not in info.index:
        return f"{what}."
    row = info.loc[doc_id]
    date = row.get("meeting_date")
    when = (
        f", meeting of {str(date)[:10]}"
        if date is not None and str(date) not in {"", "NaT"}
        else ""
    )
    return f"{str(row.get('doc_type', '')).capitalize()}{when}: {what}."


def export_qdpx(out_dir: Path) -> tuple[Path, Path, Export]:
    """Write ``OUT_DIR/export/<corpus>.qdpx`` and ``.qdc`` from an analysis's tables."""
    from pipeline.core.errors import InputError

    segments = io.read_table(out_dir, "segments")
    documents = io.read_table(out_dir, "documents")
    manifest = outputs.read_manifest(out_dir)
    if manifest is None:
        raise InputError(
            f"{out_dir / outputs.MANIFEST}: not found. Run `involve analyse CORPUS --out "
            f"{out_dir}` first."
        )
    cb_path = manifest.codebook_path()
    codebook = io.load_codebook(cb_path) if cb_path is not None and cb_path.is_file() else None
    corpus = manifest.corpus_name or out_dir.resolve().name
    if not len(segments):
        raise InputError(
            f"{out_dir}: the analysis found no units to export. Check tables/documents for "
            "files that could not be read."
        )
    export = build_export(
        segments,
        documents,
        codebook=codebook,
        project_name=manifest.board_name or corpus,
        version=manifest.involve_version or __version__,
    )
    qdpx, qdc = (out_dir / rel for rel in outputs.export_files(corpus))
    io.write_zip(export.qdpx_members(), qdpx)
    io.write_bytes(export.codebook_xml, qdc)
    return qdpx, qdc, export
