"""Scale benchmark (issue 18): what `involve analyse` costs per meeting as a board's corpus grows.

Usage: python bench/scale_bench.py [--sizes 100 300 1000] [--seed N] [--workers N] [--build DIR]
       [--executor local|dask] [--no-add-one]
(`make bench-scale` runs it; `make bench-scale BENCH_N="100 300 1000 3000"` adds 3,000)

For each size N it

1. generates, with a fixed seed and only when not already there, one invented board's minutes of
   N meetings in ``build/bench-scale/corpus-N/``: text PDFs, Word files and Markdown, and about
   one meeting in fifty as a scanned, image-only PDF (OCR costs some 4 s a page), with a
   ``board.yaml`` roster whose lay members, councillors and officers come and go over the years.
   The minutes are written the ways real bodies write them: attendance as lists or as one line,
   with roles in brackets or after a comma, apologies mixing members and officers, speakers by
   full name, surname, initials, job title or "the Chair", actions as "Action: XX to ..." or
   "ACTION: XX", decisions as "RESOLVED" or "Agreed", and lay points followed up, or not, at the
   next meeting. Most paragraphs are distinct (names, places, figures and dates vary), as in
   real minutes, so that caching what was embedded once cannot make a large corpus look cheap;
2. runs `involve analyse` on it cold: a fresh output folder and a fresh, empty cache, in a
   process of its own (the code of this checkout);
3. reads the stage timings the run recorded in its manifest.json, and prints and writes
   (``build/bench-scale/figures.json`` and ``figures.md``) wall time, CPU and peak RSS per stage,
   the cost per meeting at each N, and the ratio of the cost per meeting at the largest N to
   that at the smallest: a ratio above 1 is a stage that costs more per meeting as the board grows;
4. unless ``--no-add-one``, adds the next minutes (a meeting a month after the last, in a copy
   of the corpus whose files are hard links) and analyses again with the output folder and the
   cache the cold run left, and reports that run's stages: what adding a meeting to a board of
   N costs.

The meetings of every size are spread over the same 26 years (2000 to 2025), so a larger N is a
board that met more often, not one that met for longer: the per-year figures stay at 26 years
and what grows is the number of meetings and units. The machine is shared: the load average is
recorded beside every run, and CPU time, which a loaded machine blurs less than wall time, is the
figure to compare. It is a benchmark, not a test; tests/run/test_scale_bench.py runs its generator
and its arithmetic on a tiny corpus so that it cannot rot.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RENDER_PY = REPO / "corpora" / "build" / "render.py"
FIXTURES_PY = REPO / "tests" / "fixtures" / "make_fixtures.py"
DEFAULT_BUILD = REPO / "build" / "bench-scale"
CODEBOOK = REPO / "themes" / "demo-survey-2022.yaml"
SEED = 1018
DEFAULT_SIZES = (100, 300, 1000)
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
# Shares of meetings by format; scans are few because OCR costs seconds a page.
FORMATS = (("pdf", 0.55), ("docx", 0.28), ("md", 0.15), ("scan", 0.02))
# Written last, so an interrupted generation is redone rather than benchmarked half-made.
MARKER = ".complete.json"
# Bump when the generator changes what it writes, so that an old corpus is generated again.
GENERATOR_VERSION = 2
BOARD = "Wrenfield Mental Health Partnership Board"
SHORT = "Wrenfield MHPB"


# --------------------------------------------------------------------------- the roster
def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True)
class Person:
    """A member or officer of the invented board, as board.yaml and the minutes name them."""

    first: str
    last: str
    role: str  # board.yaml role
    label: str  # what the attendance list says of them
    honorific: str = ""  # Cllr, Dr, or "" (then Mr or Ms in running text)
    female: bool = True
    start: dt.date = FIRST_DAY
    end: dt.date = LAST_DAY

    @property
    def name(self) -> str:
        return f"{self.honorific} {self.first} {self.last}".strip()

    @property
    def initials(self) -> str:
        return f"{self.first[0]}{self.last[0]}"

    @property
    def formal(self) -> str:
        """How running text names them a second time: "Cllr Amos", "Ms Pryce"."""
        title = self.honorific or ("Ms" if self.female else "Mr")
        return f"{title} {self.last}"

    def serves(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


_FIRST_F = _words(
    "Alys Bethan Carys Delyth Eira Ffion Gwen Hafwen Ione Jocasta Kerensa Lowri Morwen Nerys "
    "Orla Petra Rhosyn Seren Tegan Una Verity Wenna Yselda Zelah Briony Celandine Dervla "
    "Elspeth"
)
_FIRST_M = _words(
    "Aled Bryn Cadoc Dafydd Emrys Fenton Gethin Huw Idris Jory Kester Lorcan Madoc Nye Osian "
    "Peredur Rhodri Silvan Tomos Ulric Vaughan Wystan Yestin Zeb Anselm Barnaby Corwin Dunstan"
)
_LAST = _words(
    "Abernethy Blakeway Corrie Dunmore Eskdale Fairley Garside Halloran Ingleby Jessop "
    "Kitteridge Lathbury Mossop Nettleship Ormerod Pendlebury Quarmby Rushworth Satterthwaite "
    "Tunnicliffe Uttley Varley Wainwright Yeadon Ackroyd Brearley Cawthorne Duckworth Entwistle "
    "Fothergill Greenhalgh Hebblethwaite Illingworth Jowett Kershaw Lumb Midgley Naylor Oldroyd "
    "Pickles Rishworth Sugden Thackray Whiteley Bairstow Crabtree Dewhirst Haigh Holroyd "
    "Mitchinson"
)

# (role, label, honorific, seats at a time, years a term lasts)
_SEATS = (
    ("chair", "Chair, Cabinet Member for Adult Social Care", "Cllr", 1, 6),
    ("member", "Vice Chair, Clinical Director, Wrenfield Integrated Care Board", "Dr", 1, 8),
    ("member", "Wrenfield County Council", "Cllr", 3, 5),
    ("member", "Director of Adult Social Services", "", 1, 7),
    ("member", "Head of Mental Health Commissioning", "", 1, 5),
    ("member", "Medical Director, Wrenfield and Calder NHS Foundation Trust", "Dr", 1, 8),
    ("service_user", "Service User Representative", "", 3, 4),
    ("carer", "Carer Representative", "", 2, 5),
    ("lay", "Voluntary Sector Representative", "", 1, 6),
    ("lay", "Healthwatch Wrenfield", "", 1, 6),
    ("officer", "Partnership Manager", "", 1, 8),
    ("officer", "Democratic Services Officer", "", 1, 6),
    ("officer", "Commissioning Officer", "", 1, 5),
)


def make_roster(rng: random.Random) -> list[Person]:
    """Every seat filled from 2000 to 2025, each holder serving a term, then the next."""
    people: list[Person] = []
    taken: set[str] = set()
    for role, label, honorific, seats, term in _SEATS:
        for _ in range(seats):
            start = FIRST_DAY
            while start <= LAST_DAY:
                end = min(LAST_DAY, start + dt.timedelta(days=365 * term - rng.randint(0, 300)))
                female = rng.random() < 0.55
                while True:
                    first = rng.choice(_FIRST_F if female else _FIRST_M)
                    last = rng.choice(_LAST)
                    # Initials name people in the minutes: one holder of each pair, ever; and
                    # "Ms Varley" one person at a time.
                    overlapping = {p.last for p in people if p.start <= end and start <= p.end}
                    if f"{first[0]}{last[0]}" not in taken and last not in overlapping:
                        break
                taken.add(f"{first[0]}{last[0]}")
                people.append(Person(first, last, role, label, honorific, female, start, end))
                start = end + dt.timedelta(days=1)
    return people


def board_yaml(roster: Sequence[Person]) -> str:
    lines = [
        f"# {BOARD} (invented for the scale benchmark: every person in it is fictional).",
        f"name: {BOARD}",
        "organisation: Wrenfield County Council and Wrenfield and Calder NHS Foundation Trust",
        "members:",
    ]
    for p in roster:
        dates = ""
        if p.start > FIRST_DAY:
            dates += f", from: {p.start.isoformat()}"
        if p.end < LAST_DAY:
            dates += f", to: {p.end.isoformat()}"
        lines.append(f"  - {{name: {p.name}, initials: {p.initials}, role: {p.role}{dates}}}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the minutes
_VENUES = (
    "the Council Chamber, Wrenfield Town Hall",
    "Committee Room 2, County Hall, Wrenfield",
    "the Lantern Room, Calder Bridge Community Centre",
    "the Boardroom, Moorside House",
    "Holmfirth Road Library, meeting room 1",
    "online (Microsoft Teams)",
)
_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Crisis care and the out-of-hours line", ("crisis line", "home treatment team", "A&E")),
    ("Carers' breaks and respite", ("respite", "carers' break grants", "sitting service")),
    ("Housing and mental health", ("supported housing", "tenancy support", "housing link")),
    ("Community mental health transformation", ("community team", "waiting list", "triage")),
    ("Employment and day opportunities", ("employment support", "day centre", "volunteering")),
    ("Discharge from hospital", ("discharge planning", "ward", "care coordinator")),
    ("Peer support and recovery college", ("peer support", "recovery college", "courses")),
    ("Involvement payments and expenses", ("involvement payments", "expenses", "claim form")),
    ("Service user survey results", ("survey", "respondents", "questionnaire")),
    ("Performance dashboard", ("indicators", "targets", "dashboard")),
    ("Budget and investment plan", ("budget", "savings", "investment")),
    ("Children and young people's transition", ("transition", "CAMHS", "eighteenth birthday")),
    ("Dementia and older people's services", ("memory clinic", "dementia", "day care")),
    ("Suicide prevention plan", ("suicide prevention", "training", "bereavement support")),
    ("Talking therapies access", ("talking therapies", "self-referral", "waiting times")),
    ("Physical health of people with mental illness", ("health checks", "GP", "smoking")),
)
_PLACES = (
    "Calder Bridge",
    "Moorside",
    "Holme Vale",
    "Wrenfield town",
    "Ashby Scar",
    "Netherton",
    "the eastern villages",
    "Lowfold",
)
_MONTHS = _words(
    "January February March April May June July August September October November December"
)


def _when(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _speaker(p: Person, rng: random.Random, first_time: bool) -> str:
    """A person as minutes name a speaker: many ways, as real clerks do."""
    if p.role == "chair" and rng.random() < 0.7:
        return "The Chair"
    forms = [p.formal, p.initials, p.formal]
    if first_time:
        forms += [p.name, p.name]
    if p.role in ("officer", "member") and p.honorific == "" and rng.random() < 0.2:
        return f"The {p.label.split(',')[0]}"
    return rng.choice(forms)


@dataclass
class _Thread:
    """A lay member's point carried to the next meeting's matters arising."""

    raiser: Person
    topic: str
    asked: str
    owner: Person


def _figure(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{rng.randint(3, 97)} per cent",
            f"{rng.randint(12, 480)} people",
            f"£{rng.randint(5, 900) * 1000:,}",
            f"{rng.randint(2, 26)} weeks",
            f"{rng.randint(4, 60)} referrals a month",
        ]
    )


def _lay_point(p: Person, words: tuple[str, ...], rng: random.Random, day: dt.date) -> str:
    place = rng.choice(_PLACES)
    her, she = ("her", "She") if p.female else ("him", "He")
    who = f"the people {she.lower()} supports"
    if p.role == "service_user":
        who = rng.choice(["service users", "members of the user forum", "people using services"])
    if p.role == "carer":
        who = rng.choice(["carers", "families", "parents caring for adult children"])
    opener = rng.choice(
        [
            f"said that {who} in {place} had told {her} that",
            f"reported that {who} in {place} had found",
            f"asked whether the {words[0]} could be offered in {place}, as {who} had said",
            f"explained that, in {'her' if p.female else 'his'} own experience, {who} had found",
            f"raised concerns from {who} that",
        ]
    )
    problem = rng.choice(
        [
            f"the {words[0]} was hard to reach after 5pm and calls went unanswered",
            f"nobody had explained how the {words[1]} worked or who to ask about it",
            f"the {words[1]} had a waiting time of {_figure(rng)} and letters were confusing",
            f"the {words[2]} did not take account of people who work or care full time",
            "staff changes meant they had to tell their story again each time",
            f"the {words[0]} leaflet was out of date and the telephone number was wrong",
        ]
    )
    ask = rng.choice(
        [
            f"{she} asked that the {words[0]} be reviewed with people who use it.",
            f"{she} asked for figures for {place} at the next meeting.",
            f"{she} offered to bring members of the forum to help redesign it.",
            "",
        ]
    )
    stamp = f" ({_when(day - dt.timedelta(days=rng.randint(3, 40)))})" if rng.random() < 0.2 else ""
    return f"{opener} {problem}{stamp}. {ask}".strip()


def _officer_update(p: Person, title: str, words: tuple[str, ...], rng: random.Random) -> str:
    verb = rng.choice(["presented the report on", "gave an update on", "introduced the paper on"])
    detail = rng.choice(
        [
            f"Activity in the {words[0]} had risen by {_figure(rng)} since the last report",
            f"the {words[1]} had been reorganised into {rng.randint(2, 6)} locality teams",
            f"a new provider had run the {words[2]} since {_MONTHS[rng.randrange(12)]}",
            f"the service had met its target for {rng.randint(3, 11)} of the last 12 months",
            f"funding of £{rng.randint(5, 900) * 1000:,} had been agreed for the {words[1]}",
        ]
    )
    more = rng.choice(
        [
            f" Recruitment to {rng.randint(2, 14)} vacant posts was continuing.",
            f" Feedback from {rng.randint(20, 300)} people had been gathered by the service.",
            f" An audit of {words[0]} records would report in {_MONTHS[rng.randrange(12)]}.",
            "",
        ]
    )
    return f"{verb} {title.lower()}. {detail[0].upper()}{detail[1:]}.{more}"


def _reply(p: Person, words: tuple[str, ...], rng: random.Random) -> str:
    return rng.choice(
        [
            f"said that the point was well made and that the {words[0]} team in "
            f"{rng.choice(_PLACES)} would look at it.",
            f"replied that the figures for {rng.choice(_PLACES)} were not yet available.",
            f"agreed and said the {words[1]} would be discussed with the provider in "
            f"{_MONTHS[rng.randrange(12)]}.",
            f"thanked the representative for raising it and said that {_figure(rng)} were "
            "affected.",
            f"explained that the {words[2]} was being reviewed and the points would feed into it.",
        ]
    )


def _decision(title: str, words: tuple[str, ...], rng: random.Random, day: dt.date) -> str:
    due = _when(day + dt.timedelta(days=rng.randint(30, 120)))
    return rng.choice(
        [
            f"RESOLVED: That the Board notes the report on {title.lower()}.",
            f"RESOLVED: That the Board approves the {words[0]} plan and asks for an update by "
            f"{due}.",
            f"Agreed: the {words[1]} proposals to go forward to the Health and Wellbeing Board.",
            "The Board endorsed the recommendations, subject to the points raised by members.",
            f"RESOLVED: That the {words[2]} be reviewed with service users and carers by {due}.",
        ]
    )


def _action(owner: Person, words: tuple[str, ...], rng: random.Random, day: dt.date) -> str:
    due = _when(day + dt.timedelta(days=rng.randint(20, 90)))
    task = rng.choice(
        [
            f"circulate the {words[0]} figures by locality",
            f"meet the carers' forum about the {words[1]}",
            f"correct the {words[0]} leaflet and send it to GP practices",
            f"report back on the {words[2]} at the next meeting",
            f"write to the provider about the {words[1]} waiting times",
        ]
    )
    style = rng.random()
    if style < 0.5:
        return f"Action: {owner.initials} to {task} by {due}."
    if style < 0.8:
        return f"ACTION: {owner.initials}"
    return f"{owner.formal} agreed to {task}."


def _outcome(thread: _Thread, rng: random.Random) -> str:
    done = rng.random()
    if done < 0.45:
        return (
            f"{thread.owner.initials} reported that, following the point raised by "
            f"{thread.raiser.formal} at the last meeting, the {thread.asked} had been changed "
            f"and {rng.randint(20, 400)} people had been told."
        )
    if done < 0.75:
        return (
            f"The action on the {thread.asked} was ongoing; {thread.owner.formal} would report "
            "at the next meeting."
        )
    return f"The action on the {thread.asked} was complete."


def _attendance(
    present: list[Person], guests: list[str], apologies: list[Person], style: int
) -> list[str]:
    """The attendance in one of the styles real minutes use."""

    def entry(p: Person) -> str:
        if style == 0:
            if p.role == "chair":
                return f"{p.name} (Chair), {p.label.split(', ', 1)[1]}"
            return f"{p.name}, {p.label}"
        if style == 1:
            return f"{p.name} ({p.initials}) {p.label}"
        return f"{p.name} - {p.label}"

    if style == 3:
        return [
            "Present: " + ", ".join(f"{p.name} ({p.initials})" for p in present) + ".",
            "",
            "In attendance: " + ", ".join(guests) + ".",
            "",
            "Apologies: " + (", ".join(p.name for p in apologies) or "none") + ".",
        ]
    heading = "#### Members present:" if style == 2 else "#### Present:"
    lines = [heading, *(f"- {entry(p)}" for p in present), "", "#### In attendance:"]
    lines += [f"- {g}" for g in guests]
    lines += ["", "#### Apologies:"]
    lines += [f"- {entry(p)}" for p in apologies] or ["- None"]
    return lines


def minutes_source(
    index: int,
    day: dt.date,
    roster: Sequence[Person],
    rng: random.Random,
    threads: list[_Thread],
    fmt: str,
) -> str:
    """One meeting's minutes in corpora/build/README.md's markup, front matter first.

    ``threads`` are the lay points the last meeting left open: they come up under matters
    arising; this meeting's are put in their place.
    """
    serving = [p for p in roster if p.serves(day)]
    apologies = [p for p in serving if p.role != "chair" and rng.random() < 0.18]
    present = [p for p in serving if p not in apologies]
    officers = [p for p in present if p.role in ("officer", "member")]
    lay = [p for p in present if p.role in ("service_user", "carer", "lay")]
    guest_names = [
        f"{rng.choice(_FIRST_F + _FIRST_M)} {rng.choice(_LAST)}, "
        + rng.choice(
            [
                "Service Manager, Wrenfield and Calder NHS Foundation Trust",
                "Housing Options Manager, Calder District Council",
                "Public Health Consultant",
                "Chief Officer, Wrenfield Mind",
            ]
        )
        for _ in range(rng.randint(1, 3))
    ]
    style = (index // 37 + rng.randint(0, 1)) % 4  # clerks change; each writes their own way
    # The renderer knows PDF and Word; Markdown is written from the parsed PDF source.
    suffix = ".docx" if fmt == "docx" else ".pdf"
    lines = [
        "---",
        f"file: {day.year}/{day.isoformat()}-minutes{suffix}",
        f"format: {'pdf' if fmt == 'md' else fmt}",
        f"header: {SHORT} – Minutes – {_when(day)}",
        f"footer: {rng.choice(['Unconfirmed until approved at the next meeting', 'Approved'])}",
        "---",
        "",
        f"# {BOARD.upper() if rng.random() < 0.5 else BOARD}",
        "",
        f"## Minutes of the meeting held on {day.strftime('%A')} {_when(day)} at "
        f"{rng.choice(['10.00am', '2.00pm', '1.30pm', '6.00pm'])} at {rng.choice(_VENUES)}",
        "",
        *_attendance(present, guest_names, apologies, style),
        "",
    ]
    item = 0

    def heading(title: str) -> None:
        nonlocal item
        item += 1
        ref = f"{SHORT.split()[0][:2].upper()}/{day.year % 100:02d}/{item:02d}"
        lines.extend([f"### {ref if style == 1 else f'{item}.'} {title}", ""])

    def para(text: str) -> None:
        lines.extend([text, ""])

    heading("Welcome and apologies")
    para(
        "The Chair welcomed members to the meeting. Apologies were noted"
        + (" as listed above." if apologies else ": none.")
    )
    heading("Declarations of interest")
    para(rng.choice(["No interests were declared.", "There were no declarations of interest."]))
    heading("Minutes of the previous meeting and matters arising")
    para("The minutes of the previous meeting were agreed as a correct record.")
    # An action log names a handful of last time's points, each once, by whoever still serves.
    followed = {t.asked: t for t in threads if t.owner.serves(day)}
    for thread in list(followed.values())[:3]:
        para(_outcome(thread, rng))
    threads.clear()
    for title, words in rng.sample(_TOPICS, rng.randint(3, 6)):
        heading(title)
        lead = rng.choice(officers) if officers else None
        if lead is not None:
            para(f"{_speaker(lead, rng, True)} {_officer_update(lead, title, words, rng)}")
        spoken: set[str] = set()
        for _ in range(rng.randint(1, 4)):
            who = rng.choice(lay + officers) if lay and rng.random() < 0.6 else None
            if who is None and officers:
                who = rng.choice(officers)
            if who is None:
                continue
            name = _speaker(who, rng, who.last not in spoken)
            spoken.add(who.last)
            if who.role in ("service_user", "carer", "lay"):
                para(f"{name} {_lay_point(who, words, rng, day)}")
                if lead is not None:
                    para(f"{_speaker(lead, rng, False)} {_reply(lead, words, rng)}")
                if lead is not None and rng.random() < 0.5:
                    threads.append(_Thread(who, title, f"{words[0]} {words[1]}", lead))
            else:
                para(f"{name} {_reply(who, words, rng)}")
        if rng.random() < 0.6:
            para(_decision(title, words, rng, day))
        if officers and rng.random() < 0.7:
            para(_action(rng.choice(officers), words, rng, day))
    heading("Any other business")
    para(rng.choice(["There was no other business.", "None."]))
    heading("Date of next meeting")
    nxt = day + dt.timedelta(days=rng.randint(21, 70))
    while nxt.weekday() >= 5:
        nxt += dt.timedelta(days=1)
    para(f"{nxt.strftime('%A')} {_when(nxt)} at {rng.choice(_VENUES)}.")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the corpus
def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


def meeting_dates(n: int, rng: random.Random) -> list[dt.date]:
    """``n`` distinct meeting days spread over FIRST_DAY to LAST_DAY, on weekdays."""
    span = (LAST_DAY - FIRST_DAY).days
    days: list[dt.date] = []
    for i in range(n):
        day = FIRST_DAY + dt.timedelta(days=int(span * (i + rng.random() * 0.5) / n))
        while day.weekday() >= 5 or (days and day <= days[-1]):
            day += dt.timedelta(days=1)
        days.append(day)
    return days


def formats(n: int, rng: random.Random) -> list[str]:
    """Each meeting's format: scans exactly their share (at least one), the rest drawn at the
    other formats' shares, so that OCR costs the same share of every N."""
    scans = max(1, round(n * dict(FORMATS)["scan"])) if n else 0
    others = [(k, w) for k, w in FORMATS if k != "scan"]
    chosen = rng.choices([k for k, _ in others], weights=[w for _, w in others], k=n)
    for i in rng.sample(range(n), scans):
        chosen[i] = "scan"
    return chosen


def generate_corpus(dest: Path, n: int, seed: int = SEED) -> dict[str, Any]:
    """N meetings' minutes and board.yaml in ``dest``, unless the same ones are already there."""
    marker = dest / MARKER
    wanted = {"n": n, "seed": seed, "generator": GENERATOR_VERSION}
    if marker.exists():
        done = json.loads(marker.read_text())
        if {k: done.get(k) for k in wanted} == wanted:
            return dict(done)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    render = _load(RENDER_PY, "involve_corpus_render")
    fixtures = _load(FIXTURES_PY, "involve_make_fixtures")
    rng = random.Random(seed)
    roster = make_roster(rng)
    (dest / "board.yaml").write_text(board_yaml(roster), encoding="utf-8")
    threads: list[_Thread] = []
    counts: dict[str, int] = {}
    for index, (day, fmt) in enumerate(zip(meeting_dates(n, rng), formats(n, rng), strict=True)):
        text = minutes_source(index, day, roster, rng, threads, fmt)
        doc = render.parse_source(text, origin=f"bench-scale meeting {index}")
        target = dest / doc.file
        target.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "md":
            target = target.with_suffix(".md")
            target.write_text(fixtures.to_markdown(doc), encoding="utf-8")
        elif fmt == "docx":
            render.render_docx(doc, target)
        elif fmt == "scan":
            render.render_scan(doc, target)
        else:
            render.render_pdf(doc, target)
        counts[fmt] = counts.get(fmt, 0) + 1
    done = {**wanted, "formats": counts, "people": len(roster)}
    marker.write_text(json.dumps(done, indent=2))
    return done


def add_meeting(corpus: Path, dest: Path, seed: int = SEED) -> Path:
    """A copy of ``corpus`` in ``dest`` (its files hard-linked where the file system allows)
    with one more meeting, a month after its last, as text PDF: the next minutes a board adds.
    The generated corpus itself is never touched. Returns the new meeting's file."""
    if dest.exists():
        shutil.rmtree(dest)
    try:
        shutil.copytree(corpus, dest, copy_function=os.link)
    except OSError:  # another file system: copied
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(corpus, dest)
    (dest / MARKER).unlink(missing_ok=True)
    rng = random.Random(seed)
    roster = make_roster(rng)  # the generator's roster: the same seed draws it first
    n = json.loads((corpus / MARKER).read_text())["n"]
    day = meeting_dates(n, random.Random(seed + 1))[-1] + dt.timedelta(days=31)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    render = _load(RENDER_PY, "involve_corpus_render")
    text = minutes_source(n, day, roster, random.Random(seed + n), [], "pdf")
    doc = render.parse_source(text, origin=f"bench-scale meeting {n} (added)")
    target = dest / doc.file
    target.parent.mkdir(parents=True, exist_ok=True)
    render.render_pdf(doc, target)
    return target


# --------------------------------------------------------------------------- measuring
@dataclass
class Run:
    """One cold `involve analyse` of one corpus."""

    n: int
    wall_s: float
    cpu_s: float  # the whole process tree: the run and its workers
    peak_rss_mb: float  # the largest process of the tree
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    stages: list[dict[str, Any]]
    units: int
    meetings: int


def analyse(
    corpus: Path,
    out: Path,
    workers: int,
    log: Path,
    executor: str = "local",
    cache: Path | None = None,
    fresh: bool = True,
) -> Run:
    """`involve analyse` in a process of its own; with ``executor`` "dask", on a local Dask
    cluster of ``workers`` processes (its usage counted, as the pool's is). ``fresh`` (cold):
    a fresh output folder and an empty ``cache`` (by default one beside ``out``, removed after
    the run; one given is kept, for a warm run after it). Not ``fresh``: the run finds the
    output folder and the cache as the run before left them."""
    own = cache is None
    if cache is None:
        cache = out.parent / f"{out.name}-cache"
    if fresh:
        for folder in (out, cache):
            if folder.exists():
                shutil.rmtree(folder)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "INVOLVE_CACHE_DIR": str(cache),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    args = [
        sys.executable,
        "-c",
        "from pipeline.cli import main; main()",
        "analyse",
        str(corpus),
        "--out",
        str(out),
        "--codebook",
        str(CODEBOOK),
        "--workers",
        str(workers),
        "--executor",
        executor,
    ]
    load_before = os.getloadavg()
    started = time.perf_counter()
    with log.open("w") as sink:
        proc = subprocess.Popen(args, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        # wait4 gives this run's own usage (its workers included), not every child's so far.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(
            f"involve analyse failed on {corpus} (exit {proc.returncode}); see {log}"
        )
    manifest = json.loads((out / "manifest.json").read_text())
    if own:
        shutil.rmtree(cache, ignore_errors=True)
    return Run(
        n=0,
        wall_s=round(wall, 2),
        cpu_s=round(usage.ru_utime + usage.ru_stime, 2),
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1),
        load_before=tuple(round(x, 2) for x in load_before),  # type: ignore[arg-type]
        load_after=tuple(round(x, 2) for x in os.getloadavg()),  # type: ignore[arg-type]
        stages=list(manifest.get("stages", [])),
        units=int(manifest.get("rows", {}).get("segments", 0)),
        meetings=int(manifest.get("rows", {}).get("meetings", 0)),
    )


def figures(runs: Sequence[Run], added: Sequence[Run] = ()) -> dict[str, Any]:
    """Per stage and in total: cost at each N, cost per meeting, and how that grows with N; and
    what one meeting added to each N analysed cost (``added``, whose ``n`` is the N it joined)."""
    runs = sorted(runs, key=lambda r: r.n)
    stages: list[str] = []
    for run in runs:
        stages += [s["stage"] for s in run.stages if s["stage"] not in stages]
    table: dict[str, dict[str, Any]] = {}
    for stage in [*stages, "Total"]:
        row: dict[str, Any] = {}
        for run in runs:
            if stage == "Total":
                # The largest process of the run, or its largest stage: the same figure where
                # wait4 sees the whole run's peak.
                peak = max([run.peak_rss_mb, *(st["peak_rss_mb"] for st in run.stages)])
                cost = {"wall_s": run.wall_s, "cpu_s": run.cpu_s, "peak_rss_mb": peak}
            else:
                found = [s for s in run.stages if s["stage"] == stage]
                if not found:
                    continue
                cost = {k: found[0][k] for k in ("wall_s", "cpu_s", "peak_rss_mb")}
            cost["cpu_ms_per_meeting"] = round(1000 * cost["cpu_s"] / run.n, 2)
            cost["wall_ms_per_meeting"] = round(1000 * cost["wall_s"] / run.n, 2)
            row[str(run.n)] = cost
        first, last = str(runs[0].n), str(runs[-1].n)
        ratio = None
        if first in row and last in row and row[first]["cpu_ms_per_meeting"] > 0:
            ratio = round(row[last]["cpu_ms_per_meeting"] / row[first]["cpu_ms_per_meeting"], 2)
        table[stage] = {"by_n": row, "cpu_per_meeting_ratio": ratio}
    return {
        "sizes": [r.n for r in runs],
        "runs": [
            {k: v for k, v in vars(r).items() if k != "stages"} | {"stages": r.stages} for r in runs
        ],
        "added": [
            {k: v for k, v in vars(r).items() if k != "stages"} | {"stages": r.stages}
            for r in sorted(added, key=lambda r: r.n)
        ],
        "stages": table,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }


def markdown(fig: dict[str, Any]) -> str:
    """The table as the README shows it: one row per stage, per N wall / CPU / peak RSS."""
    sizes = [str(n) for n in fig["sizes"]]
    ratio_head = f"CPU/meeting {sizes[-1]} ÷ {sizes[0]}" if len(sizes) > 1 else "ratio"
    head = ["stage"]
    for n in sizes:
        head += [f"N={n} wall s", "CPU s", "peak MB", "CPU ms/meeting"]
    head.append(ratio_head)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for stage, entry in fig["stages"].items():
        cells = [f"**{stage}**" if stage == "Total" else stage]
        for n in sizes:
            cost = entry["by_n"].get(n)
            if cost is None:
                cells += ["", "", "", ""]
                continue
            cells += [
                f"{cost['wall_s']:.1f}",
                f"{cost['cpu_s']:.1f}",
                f"{cost['peak_rss_mb']:.0f}",
                f"{cost['cpu_ms_per_meeting']:.0f}",
            ]
        ratio = entry["cpu_per_meeting_ratio"]
        cells.append("" if ratio is None else f"{ratio:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    notes = [
        f"N={r['n']}: {r['meetings']} meetings, {r['units']} units; load average "
        f"{r['load_before'][0]:.1f} before, {r['load_after'][0]:.1f} after "
        f"(1-minute), on {fig['machine']['cpus']} cores"
        for r in fig["runs"]
    ]
    text = "\n".join(lines) + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    if fig.get("added"):
        text += "\n" + added_markdown(fig["added"])
    return text


def added_markdown(added: Sequence[dict[str, Any]]) -> str:
    """One meeting added to each N analysed, warm: wall and CPU seconds by stage."""
    stages: list[str] = []
    for run in added:
        stages += [s["stage"] for s in run["stages"] if s["stage"] not in stages]
    head = ["one meeting added"]
    for run in added:
        head += [f"to N={run['n']}: wall s", "CPU s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for stage in stages:
        cells = [stage]
        for run in added:
            found = [s for s in run["stages"] if s["stage"] == stage]
            cells += (
                [f"{found[0]['wall_s']:.1f}", f"{found[0]['cpu_s']:.1f}"] if found else ["", ""]
            )
        lines.append("| " + " | ".join(cells) + " |")
    total = ["**Total**"]
    for run in added:
        total += [f"{run['wall_s']:.1f}", f"{run['cpu_s']:.1f}"]
    lines.append("| " + " | ".join(total) + " |")
    return "\n".join(lines) + "\n"


def growing(fig: dict[str, Any], above: float = 1.2) -> list[str]:
    """Stages whose CPU per meeting at the largest N is more than ``above`` times the smallest's."""
    return [
        stage
        for stage, entry in fig["stages"].items()
        if stage != "Total" and (entry["cpu_per_meeting_ratio"] or 0) > above
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--build", type=Path, default=DEFAULT_BUILD)
    parser.add_argument(
        "--executor",
        choices=["local", "dask"],
        default="local",
        help="run each analysis on the process pool (local) or a local Dask cluster",
    )
    parser.add_argument(
        "--no-add-one",
        action="store_true",
        help="skip the warm run that adds one meeting to each N analysed",
    )
    parser.add_argument(
        "--table-only",
        action="store_true",
        help="rewrite figures.md and the stages of figures.json from the runs it holds",
    )
    args = parser.parse_args(argv)
    if args.table_only:
        held = json.loads((args.build / "figures.json").read_text())
        fig = figures([_held(r) for r in held["runs"]], [_held(r) for r in held.get("added", [])])
        (args.build / "figures.json").write_text(json.dumps(fig, indent=2))
        (args.build / "figures.md").write_text(markdown(fig))
        print(markdown(fig))
        return 0
    args.build.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    added: list[Run] = []
    for n in sorted(set(args.sizes)):
        corpus = args.build / f"corpus-{n}"
        started = time.perf_counter()
        made = generate_corpus(corpus, n, args.seed)
        print(f"N={n}: corpus {made['formats']} ready in {time.perf_counter() - started:.0f} s")
        out, cache = args.build / f"out-{n}", args.build / f"out-{n}-cache"
        run = analyse(
            corpus, out, args.workers, args.build / f"run-{n}.log", args.executor, cache=cache
        )
        run.n = n
        runs.append(run)
        print(f"N={n}: {run.wall_s:.0f} s wall, {run.cpu_s:.0f} s CPU, {run.peak_rss_mb:.0f} MB")
        if not args.no_add_one:
            # The next minutes, analysed with the output folder and cache the cold run left.
            plus = args.build / f"corpus-{n}-plus-one"
            add_meeting(corpus, plus, args.seed)
            one = analyse(
                plus,
                out,
                args.workers,
                args.build / f"run-{n}-plus-one.log",
                args.executor,
                cache=cache,
                fresh=False,
            )
            one.n = n
            added.append(one)
            shutil.rmtree(plus, ignore_errors=True)
            print(f"N={n}: one meeting added, {one.wall_s:.0f} s wall, {one.cpu_s:.0f} s CPU")
        shutil.rmtree(cache, ignore_errors=True)
        # Written after every size, so that a long run interrupted keeps what it measured.
        fig = figures(runs, added)
        (args.build / "figures.json").write_text(json.dumps(fig, indent=2))
        (args.build / "figures.md").write_text(markdown(fig))
    print()
    print(markdown(fig))
    if len(runs) > 1:
        grew = growing(fig)
        print("Stages whose CPU per meeting grows with N:", ", ".join(grew) or "none")
    print(f"Written: {args.build / 'figures.json'}, {args.build / 'figures.md'}")
    return 0


def _held(r: dict[str, Any]) -> Run:
    """A run as figures.json holds it."""
    return Run(
        **{**r, "load_before": tuple(r["load_before"]), "load_after": tuple(r["load_after"])}
    )


if __name__ == "__main__":
    sys.exit(main())
