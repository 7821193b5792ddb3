"""Write the fictional Calderbrook young people and parent carers survey, 2023.

Output: themes/calderbrook-survey-2023.csv, from which ``involve themes from-survey`` drafts the
codebook of the second invented board (themes/calderbrook-survey-2023.yaml; see `make
second-corpus`). It has the demo survey's columns and shape (see make_survey.py, whose helpers it
reuses): ranked tick-box priorities whose popularity is clearly ordered but noisy, and free-text
comments in respondents' own voices. Here the respondents are young people aged 11 to 24 and parent
carers, who write about CAMHS, school and family life in their own words, not the Partnership's.
Everything is invented; no real person or service is described.

The script is deterministic (fixed seed): re-running it rewrites an identical file.

    python themes/build/make_survey_calderbrook.py
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # themes/build is not a package
from make_survey import fill as fill_slots
from make_survey import finish, pick, weighted, write_survey

SEED = 20230307
N_RESPONDENTS = 342
OUT = Path(__file__).resolve().parents[1] / "calderbrook-survey-2023.csv"

# Option labels in the intended order of popularity, with relative chances of being ticked.
OPTIONS: list[tuple[str, float]] = [
    ("Waiting for CAMHS", 0.215),
    ("Support at school", 0.170),
    ("Crisis and self-harm", 0.150),
    ("Autism and ADHD assessment", 0.100),
    ("Support for parents", 0.072),
    ("Having a say", 0.078),
    ("Moving to adult services", 0.065),
    ("Young carers", 0.050),
    ("Children in care", 0.038),
]

# Who answered: young people by age band, or a parent carer. Multipliers nudge what they tick.
AGE_BANDS: list[tuple[str, float, dict[str, float]]] = [
    ("11-13", 0.12, {"Support at school": 1.3, "Young carers": 1.2}),
    ("14-15", 0.17, {"Support at school": 1.3, "Crisis and self-harm": 1.2}),
    ("16-17", 0.16, {"Crisis and self-harm": 1.2, "Moving to adult services": 1.3}),
    ("18-24", 0.13, {"Moving to adult services": 1.8, "Having a say": 1.2}),
    ("Parent carer", 0.40, {"Autism and ADHD assessment": 1.5, "Support for parents": 1.8}),
]
AGE_BLANK = 0.02
PARENT = "Parent carer"
GENDERS = [
    ("Girl or woman", 0.58),
    ("Boy or man", 0.34),
    ("Non-binary", 0.04),
    ("Prefer not to say", 0.04),
]
GENDER_BLANK = 0.03

SERVICES: list[tuple[str, float]] = [
    ("CAMHS", 0.22),
    ("On the CAMHS waiting list", 0.17),
    ("Mental health support team at school", 0.14),
    ("School counsellor", 0.12),
    ("Autism or ADHD assessment", 0.11),
    ("Online counselling", 0.06),
    ("Young carers service", 0.04),
    ("Leaving care service", 0.03),
    ("None", 0.11),
]
SERVICE_BLANK = 0.04

TOWNS = ["Calderbrook", "Ashby Moor", "Wyke Bridge", "Holmfold"]

COMMON: dict[str, list[str]] = {
    "town": TOWNS,
    "period": ["six months", "nearly a year", "over a year", "18 months", "two years", "ages"],
    "months": ["6", "8", "nine", "11", "14", "18", "20"],
    "child": ["my son", "my daughter", "my child", "my 14 year old", "my youngest", "our son"],
    "parent": ["my mum", "my dad", "my mum and dad", "my nan", "my foster carer"],
    "year": ["year 9", "year 10", "year 7", "year 11", "sixth form"],
}

# Per theme: templates in young people's voices ("y") and in parent carers' voices ("p"), plus
# theme-specific slot fillers. Key words recur across sentences; the words around them vary.
THEMES: dict[str, dict[str, list[str]]] = {
    "Waiting for CAMHS": {
        "y": [
            "I was on the CAMHS waiting list for {period} and nobody checked on me.",
            "I got referred to CAMHS in {year} and I'm still waiting.",
            "Waiting {months} months for CAMHS made everything so much worse.",
            "By the time CAMHS saw me I had {waited_outcome}.",
            "CAMHS kept cancelling and every time I went back to the bottom of the list.",
            "Nobody tells you how long the wait is or where you are on the list.",
            "The waiting list is way too long, people my age can't wait that long.",
            "I'd just like someone to text me while I'm waiting so I know I'm not forgotten.",
            "My GP referred me to CAMHS but they said I wasn't bad enough yet.",
            "Waiting for CAMHS is the worst part, you just feel stuck.",
            "Even a phone call while I was on the waiting list would of helped.",
        ],
        "p": [
            "{child} has been on the CAMHS waiting list for {period}.",
            "We waited {months} months for a first appointment with CAMHS.",
            "CAMHS rejected the referral twice before they finally accepted {child}.",
            "The wait for CAMHS is ridiculous and {child} is getting worse.",
            "Nobody from CAMHS has been in touch since the referral.",
            "We ended up paying for private counselling because the CAMHS wait was so long.",
            "The CAMHS waiting list letter just said to go to A&E if things got worse.",
            "Waiting times for CAMHS in {town} are a disgrace.",
        ],
        "waited_outcome": [
            "left school",
            "already been in hospital",
            "given up on getting help",
            "got a bit better on my own",
            "turned 18",
        ],
    },
    "Support at school": {
        "y": [
            "Teachers don't understand anxiety, they just say try harder.",
            "I couldn't go into school for months and all I got was letters about attendance.",
            "There should be someone at school you can actually talk to.",
            "The school counsellor is only in one day a week and you wait weeks to see her.",
            "I had panic attacks in lessons and got detentions for walking out.",
            "The wellbeing team at school really helped me with exam stress.",
            "School made me feel like a problem because I wasn't in.",
            "A quiet room at school where you can go when it gets too much.",
            "At college there's nobody to talk to about mental health.",
            "My head of year was the only person who noticed I wasn't okay.",
            "School refusal isn't being lazy, I physically couldn't go in.",
        ],
        "p": [
            "{child} hasn't been able to go to school for {period} and we've been threatened "
            "with a fine.",
            "The school say it's a health problem and CAMHS say it's a school problem.",
            "{child} is on a part time timetable and nobody is helping get them back in.",
            "School refusal is breaking our family and the school just records it as absence.",
            "The SENCO is lovely but has no time.",
            "Schools need proper training on anxiety and autism.",
            "We're still waiting for an EHCP and {child} is out of school.",
            "The mental health team at {child}'s school has been brilliant.",
        ],
    },
    "Crisis and self-harm": {
        "y": [
            "When I was self-harming the only option was A&E and I felt judged there.",
            "I went to A&E after I hurt myself and waited {hours} hours.",
            "There's nowhere to go at night if you're in crisis apart from A&E.",
            "The crisis line didn't understand young people.",
            "I'd rather text than ring someone when I'm in crisis.",
            "Staff in A&E treated me like I was wasting their time because I'd self-harmed.",
            "I ended up on a children's ward for a week waiting for a bed.",
            "Nobody followed me up after I went to A&E.",
            "In a crisis you need someone there and then, not an appointment in weeks.",
            "Some of my friends self-harm and they don't know where to go.",
        ],
        "p": [
            "When {child} was in crisis we sat in A&E all night.",
            "We found {child} self-harming and didn't know who to call at 2am.",
            "The crisis team said to ring back in the morning.",
            "After {child} took an overdose we were sent home with a leaflet.",
            "There needs to be crisis support for under 18s at night and weekends.",
            "{child} was admitted to the children's ward because there was no bed anywhere.",
        ],
        "hours": ["five", "7", "eight", "11"],
    },
    "Autism and ADHD assessment": {
        "y": [
            "I've been waiting for an autism assessment since {year}.",
            "I think I have ADHD but the wait for an assessment is years.",
            "Getting my autism diagnosis finally made sense of everything.",
            "Nobody would help until I had a diagnosis.",
            "I ran out of my ADHD medication because the pharmacy didn't have it.",
        ],
        "p": [
            "{child} has been waiting {period} for an autism assessment.",
            "We were told the wait for an ADHD assessment is over two years.",
            "Without a diagnosis the school won't put any support in place.",
            "We paid for a private ADHD assessment and then the GP wouldn't prescribe.",
            "The autism assessment waiting list is the biggest problem for families like ours.",
            "I drive round five pharmacies every month to find {child}'s ADHD medication.",
            "Nobody tells you anything while you wait for the assessment.",
            "Support should be based on need, not on whether you've got a diagnosis.",
            "{child} was finally diagnosed with autism after {months} months and it changed "
            "everything.",
        ],
    },
    "Support for parents": {
        "y": [
            "My mum needs support too, she doesn't know how to help me.",
            "My parents should be told what's going on so they can help.",
            "{parent} had to give up work because of me.",
        ],
        "p": [
            "As a parent I feel completely on my own.",
            "Parents need someone to ring when things get bad.",
            "I've had to give up work to look after {child}.",
            "Nobody asks how the parents are coping.",
            "A parent support group in {town} would be a lifeline.",
            "We need advice on how to help {child} at home while we wait.",
            "The parenting course was useless, {child}'s problems aren't about parenting.",
            "I'd like a named person I can contact instead of chasing everyone.",
            "Our whole family is exhausted and there's no support for us.",
            "Parents are treated as the problem instead of part of the answer.",
            "Information for parents about what support is out there would help so much.",
        ],
    },
    "Having a say": {
        "y": [
            "Nobody ever asks young people what we think.",
            "We get asked our views and then never hear what happened.",
            "Young people should be on the panels that choose staff.",
            "I want a say in my own care, not just my parents.",
            "Decisions about services are made by adults who have never used them.",
            "It would be nice to know what changed because of what we said.",
            "Meetings are always in school time so young people can't go.",
            "Listen to young people, we know what helps.",
            "I felt listened to for the first time when my worker asked me what I wanted.",
            "Youth voice shouldn't be a tick box.",
        ],
        "p": [
            "Parents and young people should be involved in designing services.",
            "We fill in surveys and never hear back.",
            "{child} wants a say in their own care but staff only talk to me.",
        ],
    },
    "Moving to adult services": {
        "y": [
            "When I turned 18 CAMHS just discharged me.",
            "Moving to adult services was a cliff edge.",
            "Adult mental health said I wasn't ill enough so I got nothing at 18.",
            "I had to tell my whole story again to a new team at 18.",
            "There should be a service for 18 to 25 year olds.",
            "Transition to adult services started way too late for me.",
            "At 18 everything stops, CAMHS, my social worker, everything.",
            "The adult team feels really different, it's all clinical and scary.",
        ],
        "p": [
            "The day {child} turned 18 we were shut out of everything.",
            "Transition to adult services was a disaster for {child}.",
            "Nobody planned what would happen when {child} turned 18.",
        ],
    },
    "Young carers": {
        "y": [
            "I look after {parent} and nobody at school knows.",
            "Being a young carer means I miss appointments and school.",
            "Young carers need a break sometimes.",
            "I care for my brother and I don't get time for my own mental health.",
            "Teachers should know who the young carers are.",
            "The young carers group is the only time I get to be a kid.",
            "I couldn't go to my CAMHS appointments because I had to look after {parent}.",
        ],
        "p": [
            "My daughter is a young carer for her brother and gets no support.",
            "Young carers like my son need help too.",
        ],
    },
    "Children in care": {
        "y": [
            "Every time I moved foster placement I had to start again with a new CAMHS worker.",
            "Children in care get passed around and nobody sees the whole picture.",
            "When I left care at 18 I lost everyone at once.",
            "Care leavers need mental health support that doesn't stop at 18.",
            "My social worker changed so many times I stopped telling them things.",
            "Kids in care have been through so much and still wait like everyone else.",
        ],
        "p": [
            "As a foster carer I can't get CAMHS to see the children I look after.",
            "Children in care placed out of area lose their CAMHS support.",
        ],
    },
}

GENERAL = [
    "Thanks for asking.",
    "This survey is a good idea.",
    "{parent} helped me fill this in.",
    "Some of the staff are really nice.",
    "Things got worse after covid.",
    "I don't know what else to say.",
    "Keep doing surveys like this.",
    "The survey was too long.",
    "Services in {town} are better than they used to be.",
]
OPENERS = ["", "", "", "", "", "Honestly ", "Tbh ", "The main thing is ", "For us ", "Basically "]
TAILS = [
    ", it's not fair",
    " and it's not ok",
    " and I'm not the only one",
    ", it really affected me",
    " to be honest",
    " which is ridiculous",
]
TAIL_RATE = 0.12
KEEP_CAPITAL = {"I", "CAMHS", "A&E", "ADHD", "SENCO", "EHCP", "GP", "Calderbrook", "Ashby", "Wyke"}
TYPO_RATE = 0.18
LOWER_RATE = 0.16
BLANK_COMMENT_RATE = 0.18
OFF_TOPIC_RATE = 0.08


def fill(rng: np.random.Generator, template: str, pools: dict[str, list[str]]) -> str:
    """Fill {slots} from the theme's pools or this survey's shared ones, capitalised."""
    out = fill_slots(rng, template, pools, COMMON)
    return out[0].upper() + out[1:]


def sentence(rng: np.random.Generator, theme: str, parent: bool, used: set[str]) -> str:
    """One sentence about a theme, in a parent's voice or a young person's where one exists."""
    spec = THEMES[theme]
    voice = spec["p"] if parent else spec["y"]
    if rng.random() < 0.12:  # people sometimes write in the other voice (about a sibling, a child)
        voice = spec["y"] if parent else spec["p"]
    templates = [t for t in voice if t not in used] or voice
    template = pick(rng, templates)
    used.add(template)
    text = fill(rng, template, spec)
    if rng.random() < TAIL_RATE and text.endswith("."):
        text = text[:-1] + pick(rng, TAILS) + "."
    return text


def comment(rng: np.random.Generator, priorities: list[str], parent: bool) -> str:
    if rng.random() < BLANK_COMMENT_RATE:
        return ""
    n = int(rng.choice([1, 2, 3], p=[0.30, 0.40, 0.30]))
    used: set[str] = set()
    parts: list[str] = []
    general_first = False
    for k in range(n):
        r = rng.random()
        if priorities and r >= OFF_TOPIC_RATE:
            on_kth = k < len(priorities) and rng.random() < 0.85
            parts.append(sentence(rng, priorities[k] if on_kth else priorities[0], parent, used))
        elif r < OFF_TOPIC_RATE / 2 or not priorities:
            parts.append(fill(rng, pick(rng, GENERAL), {}))
            general_first = general_first or k == 0
        else:
            parts.append(sentence(rng, weighted(rng, OPTIONS), parent, used))
    return finish(
        rng,
        parts,
        general_first,
        OPENERS,
        KEEP_CAPITAL,
        contraction_rate=0.30,
        unstopped_rate=0.25,
        typo_rate=TYPO_RATE,
        lower_rate=LOWER_RATE,
    )


def ranked_choices(rng: np.random.Generator, age_band: str) -> list[str]:
    boost = next((b for a, _, b in AGE_BANDS if a == age_band), {})
    labels = [label for label, _ in OPTIONS]
    w = np.array([weight * boost.get(label, 1.0) for label, weight in OPTIONS])
    k = int(rng.choice([3, 2, 1, 0], p=[0.86, 0.07, 0.04, 0.03]))
    idx = rng.choice(len(labels), size=k, replace=False, p=w / w.sum())
    return [labels[int(i)] for i in idx]


def build_rows(seed: int = SEED) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    opened = dt.date(2023, 3, 6)  # online survey, open for eight weeks
    rows: list[dict[str, str]] = []
    for _ in range(N_RESPONDENTS):
        day = min(int(rng.exponential(12.0)), 55)
        age_band = (
            "" if rng.random() < AGE_BLANK else weighted(rng, [(a, w) for a, w, _ in AGE_BANDS])
        )
        parent = age_band == PARENT
        prios = ranked_choices(rng, age_band)
        rows.append(
            {
                "returned": (opened + dt.timedelta(days=day)).isoformat(),
                "age_band": age_band,
                "gender": "" if rng.random() < GENDER_BLANK else weighted(rng, GENDERS),
                "service": "" if rng.random() < SERVICE_BLANK else weighted(rng, SERVICES),
                "priority_1": prios[0] if len(prios) > 0 else "",
                "priority_2": prios[1] if len(prios) > 1 else "",
                "priority_3": prios[2] if len(prios) > 2 else "",
                "comment": comment(rng, prios, parent),
            }
        )
    rows.sort(key=lambda r: r["returned"])
    for i, row in enumerate(rows, start=1):
        row["respondent_id"] = f"CYP23-{i:04d}"
    return rows


def main() -> None:
    write_survey(build_rows(), OPTIONS, OUT)


if __name__ == "__main__":
    main()
