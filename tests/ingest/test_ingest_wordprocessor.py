"""Legacy Word (.doc) and OpenDocument (.odt) minutes read as a .docx is read.

mini-minutes.doc is the fixture .docx saved by LibreOffice as Word 97-2003; mini-minutes.odt is
written as OpenDocument XML by tests/fixtures/make_fixtures.py from the same source, so both must
give the blocks the .docx gives. (The general paragraph, heading, list and table checks run on
them in test_ingest.py; these are what is particular to the two formats.) antiword must be
installed, as `make install` does, as tesseract must be for the OCR tests.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import Source

from pipeline.core.textkey import normalise
from pipeline.ingest import Extracted, extract, legacy
from pipeline.ingest.legacy import docbook_blocks
from pipeline.run.runner import IngestOptions, ingest_corpus

Extract = Callable[[str], Extracted]

ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
)


def odt(body: str, *, manifest_extra: str = "", mimetype: str = "text") -> bytes:
    """An .odt package holding ``body`` (the XML inside <office:text>)."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF}>'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", f"application/vnd.oasis.opendocument.{mimetype}")
        package.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            f'manifest:1.0">{manifest_extra}</manifest:manifest>',
        )
        package.writestr("content.xml", content)
    return buffer.getvalue()


def text_of(result: Extracted) -> str:
    assert result.status == "ok", result.message
    assert [p.number for p in result.pages] == [1]
    return result.pages[0].text


# --------------------------------------------------------------------------- good files
@pytest.mark.parametrize("name", ["mini-minutes.doc", "mini-minutes.odt"])
def test_doc_and_odt_give_the_blocks_the_docx_of_the_same_minutes_gives(
    name: str, extracted: Extract
) -> None:
    assert text_of(extracted(name)) == text_of(extracted("mini-minutes.docx"))


@pytest.mark.parametrize("name", ["mini-minutes.doc", "mini-minutes.odt"])
def test_table_is_one_block_of_rows_with_cells_in_order(
    name: str, extracted: Extract, source: Source
) -> None:
    first_cell = normalise(source.table[0][0])
    table = [
        b for b in text_of(extracted(name)).split("\n\n") if normalise(b).startswith(first_cell)
    ]
    assert len(table) == 1
    assert table[0].split("\n") == [" | ".join(row) for row in source.table]


@pytest.mark.parametrize("name", ["mini-minutes.doc", "mini-minutes.odt"])
def test_running_header_and_footer_are_not_read(
    name: str, extracted: Extract, source: Source
) -> None:
    body = normalise(text_of(extracted(name)))
    assert normalise(source.header) not in body
    assert normalise(source.footer) not in body


def test_doc_records_antiword_and_its_version(extracted: Extract) -> None:
    assert re.fullmatch(r"antiword-\d+\.\d+", extracted("mini-minutes.doc").extractor)


def test_odt_records_its_reader_and_version(extracted: Extract) -> None:
    assert re.fullmatch(r"lxml-\d+(\.\d+)+-odf", extracted("mini-minutes.odt").extractor)


def test_upper_case_suffix_is_read_as_doc(fixtures_dir: Path, extracted: Extract) -> None:
    data = (fixtures_dir / "mini-minutes.doc").read_bytes()
    assert text_of(extract("MINUTES.DOC", data)) == text_of(extracted("mini-minutes.doc"))


def test_odt_merged_cell_is_read_once_and_rows_keep_their_cells() -> None:
    """A cell spanning columns is followed by covered cells, which hold nothing of their own."""
    cell = "<table:table-cell><text:p>{}</text:p></table:table-cell>"
    rows = [
        ["No.", "Action", "Owner"],
        ["1", "Redesign the form", "FC"],
        ["2", "Ask about mileage", "GH"],
    ]
    body = (
        '<table:table><table:table-column table:number-columns-repeated="3"/>'
        '<table:table-row><table:table-cell table:number-columns-spanned="3"><text:p>'
        "Eastbrook Carers Forum actions</text:p></table:table-cell><table:covered-table-cell/>"
        "<table:covered-table-cell/></table:table-row>"
        + "".join(
            "<table:table-row>" + "".join(cell.format(c) for c in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
    )
    assert text_of(extract("actions.odt", odt(body))).split("\n") == [
        "Eastbrook Carers Forum actions",
        "No. | Action | Owner",
        "1 | Redesign the form | FC",
        "2 | Ask about mileage | GH",
    ]


def test_odt_leaves_out_footnotes_comments_and_pictures_and_keeps_spacing() -> None:
    body = (
        "<text:p>The forum<text:s/>noted<text:tab/>the report.<text:note><text:note-citation>1"
        "</text:note-citation><text:note-body><text:p>Footnote text.</text:p></text:note-body>"
        "</text:note><office:annotation><text:p>Reviewer comment</text:p></office:annotation>"
        '<draw:frame draw:name="Logo"><draw:image/></draw:frame></text:p>'
        "<text:soft-page-break/><text:p>Next<text:line-break/>paragraph.</text:p>"
    )
    assert text_of(extract("minutes.odt", odt(body))) == (
        "The forum noted the report.\n\nNext paragraph."
    )


def test_odt_nested_lists_are_flattened_in_order_and_stay_with_their_lead_in() -> None:
    body = (
        "<text:p>The forum agreed:</text:p><text:list>"
        "<text:list-item><text:p>to write to the council</text:p>"
        "<text:list><text:list-item><text:p>about mileage</text:p></text:list-item>"
        "<text:list-item><text:p>about the form</text:p></text:list-item></text:list>"
        "</text:list-item><text:list-item><text:p>to meet again</text:p></text:list-item>"
        '</text:list><text:list><text:list-item><text:h text:outline-level="2">2. Any other '
        "business</text:h></text:list-item></text:list><text:p>None.</text:p>"
    )
    assert text_of(extract("minutes.odt", odt(body))).split("\n\n") == [
        "The forum agreed:\n• to write to the council\n• about mileage\n• about the form"
        "\n• to meet again",
        "2. Any other business",  # outline numbering, not a list item
        "None.",
    ]


def test_docbook_table_antiword_could_not_lay_out_keeps_its_cells_without_stray_marks() -> None:
    """antiword writes such a table as paragraphs whose cells end in "|"; the marks are noise."""
    xml = (
        b"<book><title>File title</title><chapter><title/><para># |ISSUE |OWNER</para>"
        b"<para> | | |Outputs | |</para><para>(A) |</para><para>Benefits paper | |</para>"
        b"</chapter></book>"
    )
    assert docbook_blocks(xml) == ["# | ISSUE | OWNER", "Outputs", "(A)", "Benefits paper"]


def test_docbook_picture_marks_and_the_file_title_property_are_not_text() -> None:
    xml = (
        b"<book><title>Minutes template</title><bookinfo><title>Minutes template</title>"
        b"</bookinfo><chapter><title/><para>[pic] [pic]</para><para>[pic]Carers Forum</para>"
        b"</chapter></book>"
    )
    assert docbook_blocks(xml) == ["Carers Forum"]


# --------------------------------------------------------------------------- bad files
@pytest.mark.parametrize(
    ("name", "problem", "fix"),
    [
        ("truncated.doc", "damaged or truncated", "save as .docx"),
        ("encrypted.doc", "password-protected", "unprotected copy"),
        ("empty.doc", "empty", "replace it"),
        ("truncated.odt", "truncated", "download or copy it again"),
    ],
)
def test_bad_doc_or_odt_gives_an_error_naming_the_problem_and_the_fix(
    name: str, problem: str, fix: str, fixtures_dir: Path
) -> None:
    result = extract(name, (fixtures_dir / name).read_bytes())
    assert (result.status, result.pages) == ("error", [])
    assert problem in result.message and fix in result.message


@pytest.mark.parametrize(
    ("data", "problem", "fix"),
    [
        (b"", "empty", "replace it"),
        (odt("<text:p>Minutes"), "damaged", "save it again"),
        (
            odt("<text:p>x</text:p>", manifest_extra="<manifest:encryption-data/>"),
            "password-protected",
            "unprotected copy",
        ),
        (
            odt("<text:p>x</text:p>", mimetype="spreadsheet"),
            "spreadsheet (.ods)",
            "export it as PDF",
        ),
    ],
)
def test_damaged_protected_or_wrong_odt_gives_an_error_naming_the_fix(
    data: bytes, problem: str, fix: str
) -> None:
    result = extract("minutes.odt", data)
    assert (result.status, result.pages) == ("error", [])
    assert problem in result.message and fix in result.message


@pytest.mark.parametrize(
    ("name", "source", "problem", "fix"),
    [
        (
            "minutes.doc",
            "mini-minutes.docx",
            "Word .docx file with a .doc name",
            "rename it to .docx",
        ),
        ("minutes.doc", "mini-minutes.odt", ".odt file with a .doc name", "rename it to .odt"),
        ("minutes.doc", "mini-minutes.pdf", "a PDF with a .doc name", "rename it to .pdf"),
        ("minutes.doc", "mini-minutes.html", "web page (HTML)", "rename it to .html"),
        ("minutes.odt", "mini-minutes.doc", "old-style Office file", "rename it to .doc"),
        ("minutes.odt", "mini-minutes.docx", "Word .docx", "rename it to .docx"),
        ("minutes.docx", "mini-minutes.doc", "old-style Office file", "rename it to .doc"),
        ("minutes.docx", "mini-minutes.odt", ".odt file with a .docx name", "rename it to .odt"),
        ("minutes.pdf", "mini-minutes.odt", ".odt file with a .pdf name", "rename it to .odt"),
    ],
)
def test_a_word_processor_file_under_another_suffix_says_what_it_is(
    name: str, source: str, problem: str, fix: str, fixtures_dir: Path
) -> None:
    result = extract(name, (fixtures_dir / source).read_bytes())
    assert result.status == "error"
    assert problem in result.message and fix in result.message


def test_rich_text_saved_as_doc_is_named_for_what_it_is() -> None:
    result = extract("minutes.doc", rb"{\rtf1\ansi The forum met on 14 March 2024.\par}")
    assert result.status == "error"
    assert "Rich Text (.rtf)" in result.message and "save as .docx" in result.message


def test_without_antiword_a_doc_is_an_error_naming_the_package_to_install(
    fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(legacy, "_antiword", lambda: None)
    result = extract("minutes.doc", (fixtures_dir / "mini-minutes.doc").read_bytes())
    assert (result.status, result.pages) == ("error", [])
    assert "antiword" in result.message and "make install" in result.message


# --------------------------------------------------------------------------- a corpus
@pytest.fixture
def word_corpus(tmp_path: Path, fixtures_dir: Path) -> Path:
    """Minutes as .doc (upper-case suffix, as some bodies publish), .odt and .docx, one broken."""
    folder = tmp_path / "forum"
    folder.mkdir()
    for name, target in [
        ("mini-minutes.doc", "2024-03-14 Minutes.DOC"),
        ("mini-minutes.odt", "2024-03-14 minutes.odt"),
        ("mini-minutes.docx", "2024-03-14 minutes.docx"),
        ("truncated.odt", "2024-01-11 minutes.odt"),
    ]:
        shutil.copy(fixtures_dir / name, folder / target)
    return folder


def test_a_corpus_mixing_doc_odt_and_docx_is_read_and_one_broken_file_does_not_stop_it(
    word_corpus: Path, tmp_path: Path
) -> None:
    ingest_corpus(IngestOptions(corpus=word_corpus, out=tmp_path / "out", workers=2))
    documents = pd.read_parquet(tmp_path / "out" / "tables" / "documents.parquet")
    documents = documents.set_index("source")
    good = ["2024-03-14 Minutes.DOC", "2024-03-14 minutes.odt", "2024-03-14 minutes.docx"]
    assert (documents.loc[good, "status"] == "ok").all()
    assert (documents.loc[good, "doc_type"] == "minutes").all()
    assert documents.loc[good, "n_words"].nunique() == 1  # the same minutes, word for word
    assert documents.loc["2024-01-11 minutes.odt", "status"] == "error"
    pages = pd.read_parquet(tmp_path / "out" / "tables" / "pages.parquet")
    assert set(pages["source"]) == set(good)
    assert pages.groupby("source")["text"].first().nunique() == 1


def test_doc_read_without_antiword_is_read_again_once_it_is_installed(
    word_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The missing tool's error must not be cached as if the file itself were bad."""
    doc = "2024-03-14 Minutes.DOC"
    with monkeypatch.context() as patch:
        patch.setattr(legacy, "_antiword", lambda: None)
        ingest_corpus(IngestOptions(corpus=word_corpus, out=tmp_path / "before", workers=1))
    before = pd.read_parquet(tmp_path / "before" / "tables" / "documents.parquet")
    assert before.set_index("source").loc[doc, "status"] == "error"
    ingest_corpus(IngestOptions(corpus=word_corpus, out=tmp_path / "after", workers=1))
    after = pd.read_parquet(tmp_path / "after" / "tables" / "documents.parquet")
    assert after.set_index("source").loc[doc, "status"] == "ok"


def test_odt_minutes_framed_in_a_one_column_table_read_as_running_text() -> None:
    cell = (
        "<table:table-cell><text:p>Update from the Relationship Manager</text:p><text:list>"
        "<text:list-item><text:p>A response is being drafted.</text:p></text:list-item>"
        "<text:list-item><text:p>Flood data will be released.</text:p></text:list-item>"
        "</text:list></table:table-cell>"
    )
    body = (
        f"<table:table><table:table-row>{cell}</table:table-row></table:table>"
        "<table:table><table:table-row><table:table-cell><text:p>Item</text:p></table:table-cell>"
        "<table:table-cell><text:p>Lead</text:p></table:table-cell></table:table-row>"
        "</table:table>"
    )
    assert text_of(extract("minutes.odt", odt(body))).split("\n\n") == [
        "Update from the Relationship Manager\n• A response is being drafted.\n"
        "• Flood data will be released.",
        "Item | Lead",
    ]
