"""Read a REFI-QDA project (``.qdpx``) as NVivo, ATLAS.ti, MAXQDA, QualCoder or our export write it.

Only what coding review needs is read: users, the code tree, text sources (and the text
representations of PDF sources) and the coded plain-text selections in them. A source's text is
either inline (``PlainTextContent``) or a file in the zip named by ``plainTextPath``
(``internal://<guid>.txt`` for ``sources/<guid>.txt``). Element names are matched without their
namespace, because tools differ in how they declare it. Offsets follow the convention in
:mod:`pipeline.qda`: code points, 0-based, end exclusive.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import defusedxml
from defusedxml import ElementTree as SafeET

from pipeline.core import io
from pipeline.core.errors import GoldFileError
from pipeline.qda import INTERNAL_PREFIX, PROJECT_FILE, SOURCES_DIR


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    codable: bool
    parent: str | None  # guid of the enclosing code, None at the top
    description: str = ""


@dataclass(frozen=True)
class Coding:
    code: str  # guid of the code applied
    user: str | None  # guid of the user who applied it, None when the file does not say


@dataclass(frozen=True)
class Selection:
    guid: str
    source: str  # guid of the source
    start: int
    end: int
    codings: tuple[Coding, ...]


@dataclass(frozen=True)
class Source:
    guid: str
    name: str
    text: str


@dataclass
class Project:
    """A project's users, codes, sources and coded selections, keyed by guid."""

    name: str
    origin: str  # the file it came from, for messages
    users: dict[str, str] = field(default_factory=dict)  # guid -> name
    codes: dict[str, Code] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    selections: list[Selection] = field(default_factory=list)

    def ancestors(self, guid: str) -> list[Code]:
        """The code and the codes enclosing it, innermost first."""
        chain: list[Code] = []
        seen: set[str] = set()
        current: str | None = guid
        while current is not None and current in self.codes and current not in seen:
            seen.add(current)
            chain.append(self.codes[current])
            current = self.codes[current].parent
        return chain

    def text_of(self, selection: Selection) -> str:
        return self.sources[selection.source].text[selection.start : selection.end]


def read_qdpx(path: Path) -> Project:
    """Parse a ``.qdpx`` file; errors name the file and say how to get a readable one."""
    if not path.exists():
        raise GoldFileError(f"{path}: file not found.")
    try:
        files = io.read_zip(path, lambda name: name.endswith(".qde") or _is_text(name))
    except ValueError as exc:  # unpacks past the limits: a zip bomb
        raise GoldFileError(f"{path}: not read: {exc}.") from None
    except (OSError, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:
        # A zip whose directory or data is damaged (zipfile raises all of these for one).
        raise GoldFileError(
            f"{path}: the archive is damaged ({type(exc).__name__}: {exc}). Export the project "
            "from your QDA software again."
        ) from None
    except zipfile.BadZipFile:
        raise GoldFileError(
            f"{path}: not a zip archive, so not a REFI-QDA project. Export the project from "
            "your QDA software as a REFI-QDA project (.qdpx), or give a CSV, TSV or JSONL file."
        ) from None
    qde = [name for name in files if name.endswith(".qde")]
    main = PROJECT_FILE if PROJECT_FILE in files else (qde[0] if len(qde) == 1 else None)
    if main is None:
        raise GoldFileError(
            f"{path}: the archive holds no {PROJECT_FILE}, so it is not a REFI-QDA project. "
            "Export it again with your QDA software's REFI-QDA project export (.qdpx)."
        )
    return parse_project(files[main], files, str(path))


def _is_text(name: str) -> bool:
    return name.lower().endswith(".txt")


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> Iterator[ET.Element]:
    return (c for c in el if _local(c.tag) == name)


def _child(el: ET.Element, name: str) -> ET.Element | None:
    return next(_children(el, name), None)


def parse_project(xml: bytes, files: Mapping[str, bytes], origin: str) -> Project:
    """A project from ``project.qde``'s bytes and the archive's text files (by member name)."""
    try:
        # Hardened: entities and external references are refused, whatever the expat version.
        root = SafeET.fromstring(xml)
    except ET.ParseError as exc:
        raise GoldFileError(
            f"{origin}: {PROJECT_FILE} is not well-formed XML ({exc}). Export the project again."
        ) from None
    except defusedxml.DefusedXmlException as exc:
        raise GoldFileError(
            f"{origin}: {PROJECT_FILE} declares XML entities or external references "
            f"({type(exc).__name__}), which no REFI-QDA export needs and which are refused as "
            "unsafe. Export the project again."
        ) from None
    if _local(root.tag) != "Project":
        raise GoldFileError(
            f"{origin}: {PROJECT_FILE} has root <{_local(root.tag)}>, not <Project>; "
            "it is not a REFI-QDA project. Export the project again as .qdpx."
        )
    project = Project(name=root.get("name", ""), origin=origin)
    for users in _children(root, "Users"):
        for user in _children(users, "User"):
            guid = user.get("guid", "")
            project.users[guid] = user.get("name") or user.get("id") or guid
    codebook = _child(root, "CodeBook")
    codes = _child(codebook, "Codes") if codebook is not None else None
    if codes is not None:
        for code in _children(codes, "Code"):
            _read_code(code, None, project.codes)
    for sources in _children(root, "Sources"):
        for el in sources:
            kind = _local(el.tag)
            if kind == "TextSource":
                _read_text_source(el, el.get("name", ""), files, project)
            else:
                # PDF and picture sources carry coded text in a text representation.
                for rep in (*_children(el, "Representation"), *_children(el, "TextDescription")):
                    _read_text_source(rep, el.get("name") or rep.get("name") or "", files, project)
    return project


def _read_code(top: ET.Element, parent: str | None, out: dict[str, Code]) -> None:
    """A code and every code nested in it, however deep: a loop, not recursion, so that
    thousands of nested codes cannot exhaust Python's stack."""
    stack: list[tuple[ET.Element, str | None]] = [(top, parent)]
    while stack:
        el, above = stack.pop()
        guid = el.get("guid", "")
        desc = _child(el, "Description")
        out[guid] = Code(
            guid=guid,
            name=el.get("name", ""),
            codable=el.get("isCodable", "true").strip().lower() in {"true", "1"},
            parent=above,
            description=(desc.text or "") if desc is not None else "",
        )
        stack.extend((child, guid) for child in reversed(list(_children(el, "Code"))))


def _read_text_source(
    el: ET.Element, name: str, files: Mapping[str, bytes], project: Project
) -> None:
    guid = el.get("guid", "")
    selections = list(_children(el, "PlainTextSelection"))
    content = _child(el, "PlainTextContent")
    if content is not None:
        text = content.text or ""
    elif el.get("plainTextPath"):
        text = _source_file(el.get("plainTextPath", ""), name, files, project.origin)
    elif not selections:
        return  # nothing coded in it: its text is not needed
    else:
        raise GoldFileError(
            f"{project.origin}: source {name!r} has coded selections but neither "
            "PlainTextContent nor plainTextPath. Export the project again with its sources."
        )
    project.sources[guid] = Source(guid, name or guid, text)
    for sel in selections:
        codings = tuple(
            Coding(ref.get("targetGUID", ""), coding.get("creatingUser") or sel.get("creatingUser"))
            for coding in _children(sel, "Coding")
            for ref in _children(coding, "CodeRef")
        )
        try:
            start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
        except ValueError:
            raise GoldFileError(
                f"{project.origin}: a selection in source {name!r} has no whole-number "
                "startPosition/endPosition. Export the project again."
            ) from None
        if not 0 <= start <= end <= len(text):
            raise GoldFileError(
                f"{project.origin}: a selection in source {name!r} runs from {start} to {end}, "
                f"outside its {len(text)} characters. The file's offsets do not count Unicode "
                "characters from 0 with an exclusive end; export it again from the tool."
            )
        project.selections.append(Selection(sel.get("guid", ""), guid, start, end, codings))


def _source_file(path: str, name: str, files: Mapping[str, bytes], origin: str) -> str:
    if not path.startswith(INTERNAL_PREFIX):
        raise GoldFileError(
            f"{origin}: source {name!r} is a file outside the project ({path}). Export the "
            "project again with its sources included (internal://)."
        )
    member = f"{SOURCES_DIR}/{path[len(INTERNAL_PREFIX) :]}"
    # Some tools write the member name with a different case or from the archive's root.
    found = next(
        (
            n
            for n in files
            if n == member or n.lower() == member.lower() or n.endswith("/" + member)
        ),
        None,
    )
    if found is None:
        raise GoldFileError(
            f"{origin}: source {name!r} names {path}, but the archive has no {member}. "
            "Export the project again with its sources included."
        )
    try:
        return files[found].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GoldFileError(
            f"{origin}: {member} (source {name!r}) is not UTF-8 text, as REFI-QDA requires. "
            "Export the project again."
        ) from None
