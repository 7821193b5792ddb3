"""The adversarial names corpus and the escape check (issue 17, item 3).

Writes a board's minutes (PDF via reportlab, DOCX via python-docx, plain text) in which people
are named every way pseudonymisation can miss: members by first name alone, spelling variants
of listed names (a letter more or less, a missing accent or apostrophe), e-mail addresses and
phone numbers, people on no list named without a title, relatives sharing a member's surname,
and names in file and folder names. Then analyses it with ``involve analyse`` (NER on, then
off), exports REFI-QDA, and scans every output file (Parquet and CSV tables, the DuckDB file,
the reports, the manifest, the export) for each planted name. Places and organisations planted
beside them must survive: that is the precision side.

    python tests/adversarial_names.py --per-kind 100 --json build/privacy/figures.json

Every name here is invented by combining syllables and common forenames.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "corpora" / "build"))  # render.py: a script folder

PSEUDONYM = r"(?:Service user|Carer|Lay member|Member|Officer|Chair|Person) \d+"
KINDS = ("first_name", "variant", "email", "phone", "untitled", "relative", "path")

# Forenames: none an ordinary English word, so a whole-word search finds only the person.
FORENAMES = [
    "Abigail",
    "Adrian",
    "Agnes",
    "Alasdair",
    "Alistair",
    "Amelia",
    "Anika",
    "Annabel",
    "Anton",
    "Arthur",
    "Beatrix",
    "Benedict",
    "Bernadette",
    "Bethany",
    "Bronwen",
    "Callum",
    "Camilla",
    "Cecily",
    "Cedric",
    "Charlotte",
    "Cormac",
    "Cressida",
    "Damian",
    "Declan",
    "Deirdre",
    "Desmond",
    "Dominic",
    "Dorothy",
    "Duncan",
    "Eamon",
    "Edmund",
    "Eilidh",
    "Eleanor",
    "Elspeth",
    "Emeka",
    "Eustace",
    "Evangeline",
    "Fenella",
    "Ferdinand",
    "Fergus",
    "Fiona",
    "Florian",
    "Gareth",
    "Genevieve",
    "Gideon",
    "Gillian",
    "Godfrey",
    "Gregor",
    "Gwendolen",
    "Hamish",
    "Harriet",
    "Hector",
    "Henrietta",
    "Horatio",
    "Imogen",
    "Isadora",
    "Isobel",
    "Jasper",
    "Jemima",
    "Joaquin",
    "Jocelyn",
    "Julian",
    "Kasimir",
    "Katarina",
    "Kenneth",
    "Lachlan",
    "Leopold",
    "Lorcan",
    "Lucinda",
    "Magnus",
    "Malcolm",
    "Marguerite",
    "Marisol",
    "Matthias",
    "Maximilian",
    "Meredith",
    "Mirabel",
    "Montague",
    "Morag",
    "Niamh",
    "Nigel",
    "Oenone",
    "Orlando",
    "Ottilie",
    "Padraig",
    "Perpetua",
    "Philippa",
    "Piran",
    "Quentin",
    "Rosalind",
    "Rowena",
    "Rupert",
    "Saoirse",
    "Seamus",
    "Sebastian",
    "Seraphina",
    "Sigrid",
    "Sinead",
    "Tamsin",
    "Tarquin",
    "Thaddeus",
    "Theodora",
    "Tobias",
    "Ulrika",
    "Valentina",
    "Wilfred",
    "Xanthe",
    "Yolanda",
    "Zachariah",
    "Zinnia",
    "Barnaby",
    "Cosima",
    "Ignatius",
    "Leofric",
    "Ottoline",
]

# Given names for everyone else (members not called by forename, relatives, people on no
# list, people in file names): a pool of their own, so that a first name's search finds only
# the member it was planted for. Rare in the census lists on purpose: the lists are from the US.
OTHER_FORENAMES = [
    "Aled",
    "Bryn",
    "Carys",
    "Dafydd",
    "Eira",
    "Ffion",
    "Gethin",
    "Huw",
    "Iestyn",
    "Lowri",
    "Mabli",
    "Nia",
    "Osian",
    "Rhodri",
    "Sian",
    "Tegwen",
    "Aoife",
    "Ciaran",
    "Eoin",
    "Fionnuala",
    "Grainne",
    "Orla",
    "Ruairi",
    "Sorcha",
    "Tadhg",
    "Una",
    "Ailsa",
    "Catriona",
    "Euan",
    "Iona",
    "Kirsty",
    "Mhairi",
    "Shona",
    "Struan",
    "Aurelia",
    "Benedikt",
    "Clemency",
    "Dorcas",
    "Ephraim",
    "Felicity",
    "Hermione",
    "Isolde",
    "Lavinia",
    "Noor",
    "Priya",
    "Rohan",
    "Sanjay",
    "Tariq",
    "Yusuf",
    "Zainab",
    "Amara",
    "Chidi",
    "Femi",
    "Kwame",
    "Nkechi",
    "Tunde",
    "Wenna",
    "Jago",
    "Demelza",
    "Kerensa",
    "Morwenna",
    "Tristan",
    "Elowen",
]

_HEADS = [
    "Ash",
    "Brack",
    "Carn",
    "Dal",
    "Elm",
    "Fen",
    "Gar",
    "Hol",
    "Kel",
    "Lind",
    "Mor",
    "Nor",
    "Pen",
    "Rad",
    "Sel",
    "Thorn",
    "Wex",
    "Yar",
    "Quill",
    "Bram",
    "Cran",
    "Drey",
    "Ebb",
    "Fitch",
    "Grint",
    "Hask",
    "Jol",
    "Lutt",
    "Marr",
    "Nesh",
    "Orr",
    "Pim",
    "Rudd",
    "Skel",
    "Tarr",
    "Ulm",
    "Vosp",
    "Wrenn",
]
_TAILS = [
    "by",
    "ford",
    "wick",
    "ley",
    "ton",
    "more",
    "ridge",
    "well",
    "stone",
    "hurst",
    "bury",
    "dale",
    "cott",
    "worth",
]

# Not people: these must survive pseudonymisation (precision).
NOT_PEOPLE = (
    "Police Scotland",
    "Harrowfield Road",
    "Oakfield Ward",
    "Kilbrannan Street",
    "Dunmore Community Centre",
    "Citizens Advice",
    "Age Concern",
    "Braemoor Hospital",
)


def _other(i: int) -> str:
    return OTHER_FORENAMES[i % len(OTHER_FORENAMES)]


def _surnames() -> list[str]:
    import random

    names = sorted({h + t for t in _TAILS for h in _HEADS if not (h + t).lower().endswith("bby")})
    random.Random(17).shuffle(names)  # fixed: the same corpus every time
    return names


@dataclass
class Planted:
    """One planted name: its kind and the strings that must appear in no output."""

    kind: str
    name: str
    needles: list[str]


@dataclass
class Member:
    forename: str
    surname: str
    role: str

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"


@dataclass
class Corpus:
    folder: Path
    planted: list[Planted] = field(default_factory=list)
    places: dict[str, int] = field(default_factory=dict)  # not people: times written


def _variants(surname: str, i: int) -> str:
    """A spelling variant of ``surname``: a letter more, a letter less or a letter doubled."""
    if i % 3 == 0:
        return surname + "e"
    if i % 3 == 1:
        return surname[:-2] + surname[-1]  # a letter less: "Ashford" -> "Ashfod"
    return surname[:2] + surname[1] + surname[2:]  # a letter doubled: "Ashford" -> "Asshford"


def build(folder: Path, per_kind: int = 100) -> Corpus:
    """Write the corpus into ``folder`` (board.yaml and the minutes); return what was planted.

    Each meeting plants two of every kind: 2 meetings per 4 planted names would do, but two
    per meeting keeps every document realistic in size.
    """
    from render import parse_source, render_docx, render_pdf

    meetings = max(1, (per_kind + 1) // 2)
    surnames = _surnames()
    if meetings * 2 * 4 > len(surnames) or meetings * 2 > len(FORENAMES):
        raise ValueError(f"at most {len(FORENAMES)} planted names per kind")
    pool = iter(surnames)
    # Members: 4 per meeting. The first two are called by forename (distinct forenames); the
    # other two are written with a spelling variant of their surname.
    members: list[Member] = []
    for k in range(meetings):
        for j in range(4):
            fore = FORENAMES[2 * k + j] if j < 2 else _other(7 * k + 3 * j)
            role = ("service_user", "carer", "member", "officer")[j]
            members.append(Member(fore, next(pool), role))
    # Special variants: a missing accent and a missing apostrophe, on members of their own.
    accented = [Member("Zoë", "Benoît", "member"), Member("Siobhán", "O'Donnell", "carer")]
    chair = Member("Cordelia", "Vantongeren", "chair")
    outsiders = [next(pool) for _ in range(meetings * 2)]  # untitled people on no list
    path_people = [next(pool) for _ in range(meetings * 2)]
    corpus = Corpus(folder)
    folder.mkdir(parents=True, exist_ok=True)
    roster = [chair, *members, *accented]
    lines = ["name: Vantage Vale Partnership Board (fictional)", "members:"]
    lines += [f'  - {{name: "{m.name}", role: {m.role}}}' for m in roster]
    (folder / "board.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    for k in range(meetings):
        m = members[4 * k : 4 * k + 4]
        day = 1 + k % 27
        month = 1 + (k // 27) % 12
        year = 2020 + k // (27 * 12)
        date = f"{year}-{month:02d}-{day:02d}"
        words = _long_date(year, month, day)
        rel = [_other(2 * k + j) for j in range(2)]
        out = [(_other(3 * k + 11 + j), outsiders[2 * k + j]) for j in (0, 1)]
        var = [_variants(m[2].surname, 2 * k), _variants(m[3].surname, 2 * k + 1)]
        if k == 0:
            var = ["Benoit", "ODonnell"]  # a missing accent, a missing apostrophe
            m = [m[0], m[1], accented[0], accented[1]]
        emails = [
            f"{_ascii(m[2].forename)}.{_ascii(m[2].surname)}@vantagevale.gov.uk",
            f"{out[1][0][0].lower()}{out[1][1].lower()}@mailbox.example.org",
        ]
        phones = [f"07700 {900000 + k:06d}", f"0161 496 {k:04d}"]
        relatives = [f"{rel[0]} {m[0].surname}", f"{rel[1]} {m[1].surname}"]
        path_names = [
            (_other(5 * k + 20), path_people[2 * k]),
            (_other(5 * k + 40), path_people[2 * k + 1]),
        ]
        body = _minutes(words, chair, m, var, relatives, emails, phones, out, k)
        for place in NOT_PEOPLE:
            corpus.places[place] = corpus.places.get(place, 0) + body.count(place)
        fmt = ("pdf", "docx", "txt")[k % 3]
        folder_name = f"casework {path_names[0][0]} {path_names[0][1]}"
        file_stem = f"{date} minutes {path_names[1][0].lower()}-{path_names[1][1].lower()}"
        target = folder / folder_name / f"{file_stem}.{fmt}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "txt":
            target.write_text(_plain(body), encoding="utf-8")
        else:
            front = f"---\nfile: {target.name}\nformat: {fmt}\n---\n\n"
            doc = parse_source(front + body, str(target))
            (render_pdf if fmt == "pdf" else render_docx)(doc, target)
        for f in m[:2]:
            corpus.planted.append(Planted("first_name", f.forename, [f.forename]))
        corpus.planted += [Planted("variant", v, [v]) for v in var]
        corpus.planted += [Planted("email", e, [e, e.split("@")[0]]) for e in emails]
        corpus.planted += [Planted("phone", p, [p, p.replace(" ", "")]) for p in phones]
        corpus.planted += [Planted("untitled", f"{f} {s}", [f"{f} {s}", s]) for f, s in out]
        # A relative's given name left beside the member's pseudonym ("Graham Carer 1")
        # re-identifies the member as surely as the surname.
        corpus.planted += [
            Planted("relative", r, [r, f"re:{re.escape(r.split()[0])}\\s+{PSEUDONYM}"])
            for r in relatives
        ]
        corpus.planted += [Planted("path", f"{f} {s}", [s]) for f, s in path_names]
    return corpus


def _ascii(name: str) -> str:
    """A name as an e-mail address spells it: lower case, no accents or apostrophes."""
    import unicodedata

    bare = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return bare.lower().replace("'", "")


def _long_date(year: int, month: int, day: int) -> str:
    import datetime as dt

    return dt.date(year, month, day).strftime("%A %-d %B %Y")


def _minutes(
    when: str,
    chair: Member,
    m: list[Member],
    var: list[str],
    relatives: list[str],
    emails: list[str],
    phones: list[str],
    out: list[tuple[str, str]],
    k: int,
) -> str:
    """The source text of one meeting's minutes (render.py's format)."""
    places = NOT_PEOPLE[k % len(NOT_PEOPLE)], NOT_PEOPLE[(k + 3) % len(NOT_PEOPLE)]
    return f"""# VANTAGE VALE PARTNERSHIP BOARD

## Minutes of the meeting held on {when} at 2.00pm in the Council Chamber

#### Present:
- {chair.name} (Chair)
- {m[0].name}, Service User Representative
- {m[1].name}, Carer Representative
- {m[2].name}, Member
- {m[3].name}, Officer

### 1. Welcome and apologies

The Chair welcomed everyone to the meeting and thanked {places[0]} for the use of the room.

### 2. Experience of services

{m[0].forename} said that the crisis line had been hard to reach in the evenings and asked that
the Board raise it with the provider. {m[1].forename} added that the wait at {places[1]} had been
over four hours on two occasions last month.

{m[2].forename} {var[0]} reported that the peer support pilot had reached forty people. {var[1]}
said the carers' group would write to the Board about respite.

{relatives[0]}, the husband of {m[0].name}, described the family's experience of discharge.
The Board also heard from {relatives[1]}, whose sister is {m[1].name}, about transport.

### 3. Information

Members could send comments to {emails[0]} or to {emails[1]} before the next meeting. The
advice line is on {phones[0]}, and the carers' centre on {phones[1]}.

{out[0][0]} {out[0][1]} from the housing association explained the new allocations policy. The
group then heard from {out[1][0]} {out[1][1]}, a peer support worker at {places[0]}.

### 4. Actions

Action: {m[3].forename} {m[3].surname} to circulate the survey results to members.
"""


def _plain(source: str) -> str:
    """The source text as a plain text file: markdown marks dropped."""
    return "\n".join(re.sub(r"^#+ |^- ", "", line) for line in source.splitlines()) + "\n"


# ------------------------------------------------------------------------------ the scan
def output_texts(out: Path) -> Iterator[tuple[str, str]]:
    """``(file, text)`` for every file under ``out``: tables read as values, the DuckDB file
    table by table, zip archives member by member, everything else as decoded bytes."""
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = str(path.relative_to(out))
        yield name, name  # the file's own name is output too
        if path.suffix == ".parquet":
            import pandas as pd

            yield name, pd.read_parquet(path).to_csv(index=False)
        elif path.suffix == ".duckdb":
            yield name, _duckdb_text(path)
        elif path.suffix in (".qdpx", ".zip"):
            with zipfile.ZipFile(path) as z:
                for item in z.infolist():
                    yield f"{name}:{item.filename}", item.filename
                    yield f"{name}:{item.filename}", z.read(item).decode("utf-8", "replace")
        elif path.suffix == ".pdf":
            yield name, _pdf_text(path)
        else:
            yield name, path.read_bytes().decode("utf-8", "replace")


def _duckdb_text(path: Path) -> str:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        parts = []
        for (table,) in con.execute("select table_name from information_schema.tables").fetchall():
            parts.append(con.execute(f'select * from "{table}"').df().to_csv(index=False))
        return "\n".join(parts)
    finally:
        con.close()


def _pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def escapes(planted: Iterable[Planted], texts: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Planted name -> the output files it appears in (any of its needles, whole word, any
    case, with spaces, hyphens or underscores between words)."""
    corpus = list(texts)
    found: dict[str, list[str]] = {}
    for p in planted:
        for needle in p.needles:
            if needle.startswith("re:"):
                pattern = re.compile(needle[3:])
            else:
                words = [re.escape(w) for w in needle.split()]
                pattern = re.compile(r"(?<![\w@.])" + r"[\s_\-]+".join(words) + r"(?![\w@])", re.I)
            for where in sorted({f for f, t in corpus if pattern.search(t)}):
                if where not in found.setdefault(p.name, []):
                    found[p.name].append(where)
    return found


def survivors(corpus: Corpus, out: Path) -> dict[str, int]:
    """How many of the places and organisations planted beside the names were replaced in the
    segments table (precision: these are not people and must stay)."""
    import pandas as pd

    text = "\n".join(pd.read_parquet(out / "tables" / "segments.parquet")["text"].astype(str))
    return {n: max(0, k - text.count(n)) for n, k in corpus.places.items() if k}


# ------------------------------------------------------------------------------ the run
def analyse(corpus: Path, out: Path, *, ner: bool, cache: Path) -> None:
    """``involve analyse`` (no embeddings: they change no name) then ``involve export qdpx``."""
    env = {**os.environ, "INVOLVE_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    involve = [sys.executable, "-c", "from pipeline.cli import main; main()"]
    flags = ["--no-embeddings", "--workers", "1", "--force"] + ([] if ner else ["--no-ner"])
    subprocess.run(
        [*involve, "analyse", str(corpus), "--out", str(out), *flags],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [*involve, "export", "qdpx", str(out)], check=True, env=env, stdout=subprocess.DEVNULL
    )


def measure(corpus: Corpus, out: Path, *, ner: bool, cache: Path) -> dict[str, object]:
    """Analyse ``corpus`` into ``out`` and count escapes per kind."""
    analyse(corpus.folder, out, ner=ner, cache=cache)
    found = escapes(corpus.planted, output_texts(out))
    per_kind: dict[str, dict[str, object]] = {}
    for kind in KINDS:
        mine = [p for p in corpus.planted if p.kind == kind]
        leaked = [p.name for p in mine if p.name in found]
        per_kind[kind] = {"planted": len(mine), "escaped": len(leaked), "examples": leaked[:5]}
    lost = survivors(corpus, out)
    return {
        "ner": ner,
        "kinds": per_kind,
        "where": {k: v[:3] for k, v in list(found.items())[:10]},
        "not_people_planted": sum(corpus.places.values()),
        "not_people_replaced": sum(lost.values()),
        "not_people_lost": {k: v for k, v in lost.items() if v},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-kind", type=int, default=100)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="Work in this folder, kept.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        corpus = build(work / "corpus", args.per_kind)
        results = [
            measure(
                corpus, work / f"out-ner-{'on' if ner else 'off'}", ner=ner, cache=work / "cache"
            )
            for ner in (True, False)
        ]
    for r in results:
        print(f"NER {'on' if r['ner'] else 'off'}:")
        for kind, f in r["kinds"].items():  # type: ignore[union-attr]
            print(f"  {kind:<11} {f['escaped']:>4} of {f['planted']} escaped  {f['examples']}")
        print(
            f"  places and organisations replaced: {r['not_people_replaced']} of "
            f"{r['not_people_planted']} {r['not_people_lost']}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
