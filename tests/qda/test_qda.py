"""`involve export qdpx`: a REFI-QDA project and codebook that other tools open, and that the
project's own importer reads back to the same codings at the same offsets."""

from __future__ import annotations

import re
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from lxml import etree
from qda_fixtures import UNITS, write_analysis, write_codebook
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.core import config, io
from pipeline.evaluate.gold import GOLD_COLUMNS, qdpx_codings
from pipeline.qda import source_path

XSD_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "qda"
NS = {"q": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}
PROJECT_ORDER = [
    "Users",
    "CodeBook",
    "Variables",
    "Cases",
    "Sources",
    "Notes",
    "Links",
    "Sets",
    "Graphs",
    "Description",
    "NoteRef",
]
UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
MACHINE = "involve classifier 9.8.7"


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    """An analysis of five units in two documents, exported with the CLI; the .qdpx path."""
    out = tmp_path / "out"
    write_analysis(out, UNITS, write_codebook(tmp_path))
    result = CliRunner().invoke(app, ["export", "qdpx", str(out)])
    assert result.exit_code == 0, result.output
    return out / "export" / "mini.qdpx"


def _project(qdpx: Path) -> ET.Element:
    return ET.fromstring(zipfile.ZipFile(qdpx).read("project.qde"))


def _local(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


def test_export_writes_a_project_and_a_codebook_named_for_the_corpus(exported: Path) -> None:
    assert exported.exists() and exported.with_suffix(".qdc").exists()
    names = zipfile.ZipFile(exported).namelist()
    assert "project.qde" in names
    assert sum(n.startswith("sources/") and n.endswith(".txt") for n in names) == 2


def test_project_and_codebook_are_valid_against_the_standards_schemas(exported: Path) -> None:
    project_xsd = etree.XMLSchema(etree.parse(str(XSD_DIR / "Project-subset.xsd")))
    codebook_xsd = etree.XMLSchema(etree.parse(str(XSD_DIR / "Codebook.xsd")))
    project = etree.fromstring(zipfile.ZipFile(exported).read("project.qde"))
    assert project_xsd.validate(project), project_xsd.error_log
    codebook = etree.parse(str(exported.with_suffix(".qdc")))
    assert codebook_xsd.validate(codebook), codebook_xsd.error_log


def test_element_order_required_attributes_and_references(exported: Path) -> None:
    root = _project(exported)
    assert root.tag == "{urn:QDA-XML:project:1.0}Project" and root.get("name")
    order = [PROJECT_ORDER.index(_local(c)) for c in root]
    assert order == sorted(order), [_local(c) for c in root]
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    assert list(users.values()) == [MACHINE]
    codes = {c.get("guid"): c for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    for code in codes.values():
        assert code.get("name") and code.get("isCodable") in {"true", "false"}
        # Description comes before nested codes.
        kinds = [_local(c) for c in code]
        assert kinds == sorted(kinds, key=["Description", "NoteRef", "Code"].index)
    guids = [el.get("guid") for el in root.iter() if el.get("guid") is not None]
    assert guids and all(UUID_RE.match(g or "") for g in guids)
    assert len(guids) == len(set(guids))
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert len(sources) == 2
    for src in sources:
        has_inline = src.find("q:PlainTextContent", NS) is not None
        assert has_inline != bool(src.get("plainTextPath"))  # exactly one of the two
        for sel in src.iterfind("q:PlainTextSelection", NS):
            assert int(sel.get("startPosition", "")) < int(sel.get("endPosition", ""))
            for coding in sel.iterfind("q:Coding", NS):
                refs = coding.findall("q:CodeRef", NS)
                assert len(refs) == 1
                target = codes[refs[0].get("targetGUID")]
                assert target.get("isCodable") == "true"
                assert users[coding.get("creatingUser")] == MACHINE


def test_codebook_groups_cannot_be_coded_and_themes_carry_their_definitions(
    exported: Path,
) -> None:
    root = ET.parse(exported.with_suffix(".qdc")).getroot()
    groups = root.findall("c:Codes/c:Code", NS)
    assert [g.get("name") for g in groups] == ["Themes", "Focus", "Outcome scope", "Speaker role"]
    assert all(g.get("isCodable") == "false" for g in groups)
    children = {g.get("name"): [c.get("name") for c in g.findall("c:Code", NS)] for g in groups}
    assert children["Themes"] == ["Housing", "Café drop-in — naïve “peer” support", "Other"]
    assert children["Focus"] == ["Process", "Action", "Outcome"]
    assert children["Outcome scope"] == ["Individual", "Collective"]
    # Every role a unit can have is a code, in the order of the one roles vocabulary, so a
    # reviewer can recode any unit and the import reads the role back.
    assert children["Speaker role"] == [
        r.replace("_", " ").capitalize() for r in config.SPEAKER_ROLES
    ]
    cafe = groups[0].findall("c:Code", NS)[1]
    assert cafe.findtext("c:Description", namespaces=NS, default="").startswith(
        "Peer support at the café; people said “ça va” and 😀."
    )


def test_sources_carry_meeting_date_year_and_document_type(exported: Path) -> None:
    root = _project(exported)
    variables = {
        v.get("guid"): (v.get("name"), v.get("typeOfVariable"))
        for v in root.iterfind("q:Variables/q:Variable", NS)
    }
    for src in root.iterfind("q:Sources/q:TextSource", NS):
        values = {}
        for vv in src.iterfind("q:VariableValue", NS):
            ref = vv.find("q:VariableRef", NS)
            name, kind = variables[ref.get("targetGUID") if ref is not None else None]
            values[name] = vv.findtext(f"q:{kind}Value", namespaces=NS)
        assert values == {"Meeting date": "2024-01-25", "Year": "2024", "Document type": "minutes"}


def test_offsets_are_code_points_from_zero_with_exclusive_end(exported: Path) -> None:
    """Read the stored text straight from the zip: text[start:end] is each unit, in order."""
    zf = zipfile.ZipFile(exported)
    root = _project(exported)
    expected: dict[str, list[str]] = {u["source"]: [] for u in UNITS}
    for unit in UNITS:
        expected[unit["source"]].append(unit["text"].replace("\r\n", "\n"))
    for src in root.iterfind("q:Sources/q:TextSource", NS):
        path = src.get("plainTextPath", "")
        assert path.startswith("internal://")
        text = zf.read("sources/" + path.removeprefix("internal://")).decode("utf-8")
        assert not text.startswith("\ufeff")
        got = [
            text[int(s.get("startPosition", "")) : int(s.get("endPosition", ""))]
            for s in src.iterfind("q:PlainTextSelection", NS)
        ]
        assert got == expected[source_path(src.get("name", ""))]


def test_round_trip_recovers_every_coding_at_the_same_offsets(exported: Path) -> None:
    codebook = io.load_codebook(exported.parent.parent.parent / "mini-survey.yaml")
    back = qdpx_codings(exported, user=MACHINE, codebook=codebook)
    assert list(back.columns[: len(GOLD_COLUMNS)]) == list(GOLD_COLUMNS)
    assert len(back) == len(UNITS)
    for row, unit in zip(back.to_dict("records"), UNITS, strict=True):
        for column in GOLD_COLUMNS:
            want = unit[column].replace("\r\n", "\n") if column == "text" else unit[column]
            assert row[column] == want, column
    # The offsets the importer reports are the ones in the file.
    sels = {
        (s.get("startPosition"), s.get("endPosition"))
        for s in _project(exported).iter("{urn:QDA-XML:project:1.0}PlainTextSelection")
    }
    assert {(str(s), str(e)) for s, e in zip(back["start"], back["end"], strict=True)} == sels


def test_export_again_keeps_code_and_source_guids_but_not_coding_guids(
    exported: Path, tmp_path: Path
) -> None:
    first = _project(exported)
    CliRunner().invoke(app, ["export", "qdpx", str(tmp_path / "out")])
    second = _project(exported)

    def guids(root: ET.Element, tag: str) -> list[str | None]:
        return [el.get("guid") for el in root.iter(f"{{urn:QDA-XML:project:1.0}}{tag}")]

    for tag in ("Code", "User", "TextSource"):
        assert guids(first, tag) == guids(second, tag)
    assert set(guids(first, "Coding")).isdisjoint(guids(second, "Coding"))
    assert all(uuid.UUID(g or "").version == 4 for g in guids(second, "Coding"))


def test_export_of_a_folder_without_an_analysis_says_what_to_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "qdpx", str(tmp_path)])
    assert result.exit_code == 2
    assert "involve analyse" in result.output and "Traceback" not in result.output
