"""Gold (human) coding in every format: CSV, TSV, JSONL and REFI-QDA projects from other tools,
and `involve validate` with each."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from uuid import uuid4

import pandas as pd
import pytest
from qda_fixtures import Sel, Src, build_qdpx, write_analysis, write_codebook
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.core import io
from pipeline.core.errors import GoldFileError
from pipeline.evaluate.gold import GOLD_COLUMNS, load_gold

DEMO_GOLD = Path(__file__).resolve().parents[1] / "gold" / "demo.csv"
GROUPED = {
    "Focus": ["Process", "Action", "Outcome"],
    "Outcome scope": ["Individual", "Collective"],
    "Speaker role": ["Service user", "Carer", "Officer", "Chair", "None"],
    "Themes": ["Housing", "Café drop-in — naïve “peer” support", "Other"],
}
TEXT = "Officer 2 will write to the housing association.\nTwelve tenants were rehoused. Café 😀 ok."


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_qualcoder_style_project_gives_one_gold_row_per_selection(tmp_path: Path) -> None:
    """plainTextPath into sources/, codes under groups, one human coder."""
    a, b = _span(TEXT, "Officer 2 will write to the housing association.")
    c, d = _span(TEXT, "Café 😀 ok.")
    path = build_qdpx(
        tmp_path / "coded.qdpx",
        [
            Src(
                "2024-01-25 minutes",
                TEXT,
                [
                    Sel(
                        c,
                        d,
                        ["Process", "Service user", "Café drop-in — naïve “peer” support"],
                        "Ann",
                    ),
                    Sel(a, b, ["Action", "Officer", "Housing"], "Ann"),
                ],
            )
        ],
        GROUPED,
        ["Ann"],
    )
    codebook = io.load_codebook(write_codebook(tmp_path))
    gold = load_gold(path, codebook=codebook)
    assert list(gold.columns) == list(GOLD_COLUMNS)
    assert gold.to_dict("records") == [
        {
            "source": "2024-01-25 minutes",
            "text": "Officer 2 will write to the housing association.",
            "focus": "action",
            "outcome_scope": "",
            "speaker_role": "officer",
            "theme": "housing",
        },
        {
            "source": "2024-01-25 minutes",
            "text": "Café 😀 ok.",
            "focus": "process",
            "outcome_scope": "",
            "speaker_role": "service_user",
            "theme": "cafe_drop_in",
        },
    ]


def test_nvivo_style_inline_text_and_flat_codes_are_placed_by_their_names(tmp_path: Path) -> None:
    """Inline PlainTextContent; codes with no group, placed because each is one column's label."""
    a, b = _span(TEXT, "Twelve tenants were rehoused.")
    path = build_qdpx(
        tmp_path / "nvivo.qdpx",
        [
            Src(
                "Minutes Jan",
                TEXT,
                [Sel(a, b, ["Outcome", "Collective", "None"], "Bo")],
                inline=True,
            )
        ],
        ["Outcome", "Collective", "None", "Process"],
        ["Bo"],
    )
    gold = load_gold(path)
    assert gold.to_dict("records") == [
        {
            "source": "Minutes Jan",
            "text": "Twelve tenants were rehoused.",
            "focus": "outcome",
            "outcome_scope": "collective",
            "speaker_role": "none",
            "theme": "",
        }
    ]


def _two_coders(tmp_path: Path) -> Path:
    a, b = _span(TEXT, "Twelve tenants were rehoused.")
    return build_qdpx(
        tmp_path / "two.qdpx",
        [
            Src(
                "m",
                TEXT,
                [Sel(a, b, ["Outcome"], "Ann"), Sel(a, b, ["Process"], "Bo")],
            )
        ],
        GROUPED,
        ["Ann", "Bo", "involve classifier 0.1.0"],
    )


def test_disagreeing_coders_are_named_and_one_can_be_chosen(tmp_path: Path) -> None:
    path = _two_coders(tmp_path)
    with pytest.raises(GoldFileError) as err:
        load_gold(path)
    message = str(err.value)
    assert "outcome by Ann" in message and "process by Bo" in message
    assert "--gold-user" in message
    assert load_gold(path, user="bo")["focus"].tolist() == ["process"]
    with pytest.raises(GoldFileError, match=r"no user named 'Cy'.*'Ann', 'Bo'"):
        load_gold(path, user="Cy")


def test_machine_codings_are_left_out_unless_asked_for(tmp_path: Path) -> None:
    a, b = _span(TEXT, "Twelve tenants were rehoused.")
    c, d = _span(TEXT, "Café 😀 ok.")
    machine = "involve classifier 0.1.0"
    path = build_qdpx(
        tmp_path / "mixed.qdpx",
        [Src("m", TEXT, [Sel(a, b, ["Process"], machine), Sel(c, d, ["Outcome"], "Ann")])],
        GROUPED,
        ["Ann", machine],
    )
    assert load_gold(path)["text"].tolist() == ["Café 😀 ok."]
    assert load_gold(path, user=machine)["text"].tolist() == ["Twelve tenants were rehoused."]


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_text("source,text\n", encoding="utf-8"), "not a zip archive"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("readme.txt", "hi"), "no project.qde"),
    ],
)
def test_files_that_are_not_projects_are_refused_with_the_fix(
    tmp_path: Path, make: object, expected: str
) -> None:
    path = tmp_path / "broken.qdpx"
    make(path)  # type: ignore[operator]
    with pytest.raises(GoldFileError, match=expected) as err:
        load_gold(path)
    assert str(path) in str(err.value) and "REFI-QDA" in str(err.value)


def test_a_project_without_codings_is_refused(tmp_path: Path) -> None:
    path = build_qdpx(tmp_path / "empty.qdpx", [Src("m", TEXT)], GROUPED, ["Ann"])
    with pytest.raises(GoldFileError, match="no coded text selections"):
        load_gold(path)


def test_codes_that_map_to_no_column_are_listed_with_the_fix(tmp_path: Path) -> None:
    a, b = _span(TEXT, "Twelve tenants were rehoused.")
    path = build_qdpx(
        tmp_path / "odd.qdpx",
        [Src("m", TEXT, [Sel(a, b, ["Outcome", "Interesting quote"], "Ann")])],
        {"Focus": ["Outcome"], "Memos": ["Interesting quote"]},
        ["Ann"],
    )
    with pytest.raises(GoldFileError) as err:
        load_gold(path)
    message = str(err.value)
    assert "Memos > Interesting quote (1 codings)" in message
    assert "Focus, Outcome scope, Speaker role or Themes" in message


def test_tables_go_to_the_table_reader_and_unknown_formats_are_refused(tmp_path: Path) -> None:
    csv = tmp_path / "g.csv"
    csv.write_text("source,text,focus\na.pdf,Some words here.,process\n", encoding="utf-8")
    pd.testing.assert_frame_equal(load_gold(csv), io.read_gold(csv))
    odd = tmp_path / "g.xlsx"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(GoldFileError, match=r"\.qdpx"):
        load_gold(odd)


# --------------------------------------------------------------------------- validate, end to end
def _demo_sample(n: int = 40) -> pd.DataFrame:
    return io.read_gold(DEMO_GOLD).head(n)


@pytest.fixture
def analysis(tmp_path: Path) -> Path:
    """An analysis output whose units are the first 40 demo gold units; every fourth unit's focus
    and theme are changed, so agreement is real but not perfect."""
    gold = _demo_sample()
    units = []
    for i, row in enumerate(gold.to_dict("records")):
        unit = {c: row[c] for c in GOLD_COLUMNS}
        if i % 4 == 0:
            unit["focus"] = "action" if unit["focus"] != "action" else "process"
            unit["outcome_scope"] = ""
            unit["theme"] = "housing" if unit["theme"] != "housing" else "other"
        units.append(unit)
    out = tmp_path / "out"
    write_analysis(out, units, Path("themes/demo-survey-2022.yaml").resolve())
    return out


def _validate(out: Path, gold: Path, *extra: str) -> dict[str, object]:
    result = CliRunner().invoke(app, ["validate", str(out), "--gold", str(gold), *extra])
    assert result.exit_code == 0, result.output
    return dict(io.read_json(out / "validation" / "summary.json"))


def test_validate_reads_jsonl_like_the_csv_it_came_from(analysis: Path, tmp_path: Path) -> None:
    sample = _demo_sample()
    csv, jsonl = tmp_path / "gold.csv", tmp_path / "gold.jsonl"
    sample.to_csv(csv, index=False)
    jsonl.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample.to_dict("records")),
        encoding="utf-8",
    )
    from_csv, from_jsonl = _validate(analysis, csv), _validate(analysis, jsonl)
    assert from_jsonl["n_units"] == from_csv["n_units"] == len(sample)
    assert from_jsonl["rows"] == from_csv["rows"]
    focus = next(r for r in from_jsonl["rows"] if r["field"] == "focus")  # type: ignore[attr-defined]
    assert 0 < focus["kappa"] < 1


def test_validate_reads_a_coded_qdpx_like_the_csv(analysis: Path, tmp_path: Path) -> None:
    """The same human coding as a QualCoder project: theme codes named by codebook label."""
    sample = _demo_sample()
    codebook = io.load_codebook(Path("themes/demo-survey-2022.yaml"))
    label = {t.id: t.label for t in codebook.themes} | {"other": "Other"}
    sources: dict[str, Src] = {}
    for row in sample.to_dict("records"):
        src = sources.setdefault(row["source"], Src(row["source"], ""))
        start = len(src.text)
        src.text += row["text"] + "\n\n"
        codes = [
            row["focus"].capitalize(),
            row["speaker_role"].replace("_", " ").capitalize(),
            label[row["theme"]],
        ]
        if row["outcome_scope"]:
            codes.append(row["outcome_scope"].capitalize())
        src.selections.append(Sel(start, start + len(row["text"]), codes, "Ann"))
    groups = {
        "Focus": ["Process", "Action", "Outcome"],
        "Outcome scope": ["Individual", "Collective"],
        "Speaker role": ["Service user", "Carer", "Lay", "Member", "Officer", "Chair", "None"],
        "Themes": [*label.values()],
    }
    qdpx = build_qdpx(tmp_path / "gold.qdpx", list(sources.values()), groups, ["Ann"])
    csv = tmp_path / "gold.csv"
    sample.to_csv(csv, index=False)
    assert _validate(analysis, qdpx)["rows"] == _validate(analysis, csv)["rows"]
    assert _validate(analysis, qdpx, "--gold-user", "Ann")["n_units"] == len(sample)


def test_coded_text_of_a_pdf_source_is_read_from_its_text_representation(tmp_path: Path) -> None:
    """NVivo and MAXQDA keep a PDF's text in a Representation; the PDF's name names the row."""
    text = "Intro.\nThe crisis café opened in May."
    a, b = _span(text, "The crisis café opened in May.")
    ids = [str(uuid4()) for _ in range(6)]
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <Users><User guid="{ids[0]}" name="Ann"/></Users>
  <CodeBook><Codes>
    <Code guid="{ids[1]}" name="Focus" isCodable="false">
      <Code guid="{ids[2]}" name="Outcome" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <PDFSource guid="{ids[3]}" name="papers/report.pdf" path="internal://{ids[3]}.pdf">
      <Representation guid="{ids[4]}" plainTextPath="internal://{ids[4]}.txt">
        <PlainTextSelection guid="{ids[5]}" startPosition="{a}" endPosition="{b}">
          <Coding guid="{uuid4()}" creatingUser="{ids[0]}"><CodeRef targetGUID="{ids[2]}"/></Coding>
        </PlainTextSelection>
      </Representation>
    </PDFSource>
  </Sources>
</Project>"""
    path = tmp_path / "pdf.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr(f"sources/{ids[4]}.txt", "\ufeff" + text)  # a BOM is not a character
    gold = load_gold(path)
    assert gold[["source", "text", "focus"]].values.tolist() == [
        ["papers/report.pdf", "The crisis café opened in May.", "outcome"]
    ]
