"""Write the fictional Harrowmere service user survey, 2022 (themes/demo-survey-2022.csv).

The demo codebook (themes/demo-survey-2022.yaml) is derived from this survey by
``involve themes from-survey``, so the survey has to look like a real postal return: ranked
tick-box priorities whose popularity is clearly ordered but noisy, and free-text comments written
in respondents' own voices (varied wording, some blank, some misspelt or in lower case) that mostly
talk about what they ticked. Everything here is invented; no real person or service is described.

The script is deterministic (fixed seed): re-running it rewrites an identical file.

    python themes/build/make_survey.py
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import numpy as np

SEED = 20220523
N_RESPONDENTS = 412
OUT = Path(__file__).resolve().parents[1] / "demo-survey-2022.csv"

# The fixed option labels, in the intended order of popularity. The weights are relative chances of
# being ticked; sampling three without replacement compresses the differences, so the gaps are wide.
OPTIONS: list[tuple[str, float]] = [
    ("Crisis support", 0.225),
    ("Waiting times", 0.170),
    ("Housing", 0.140),
    ("Being listened to", 0.112),
    ("Information", 0.085),
    ("Work and money", 0.070),
    ("Physical health", 0.060),
    ("Carers", 0.053),
    ("Peer support", 0.042),
    ("Stigma", 0.032),
]

# Which service respondents use nudges what they tick (multipliers on the weights above).
SERVICES: list[tuple[str, float, dict[str, float]]] = [
    ("Community mental health team", 0.27, {"Being listened to": 1.3, "Information": 1.1}),
    ("Inpatient (Dunstan Park Hospital)", 0.08, {"Crisis support": 1.4, "Housing": 1.4}),
    ("Crisis or home treatment team", 0.07, {"Crisis support": 1.8}),
    ("Talking therapies", 0.16, {"Waiting times": 1.6}),
    ("Early intervention in psychosis", 0.04, {"Work and money": 1.5, "Stigma": 1.3}),
    ("GP only", 0.24, {"Waiting times": 1.4, "Physical health": 1.3}),
    ("None now", 0.10, {"Peer support": 1.5, "Stigma": 1.3, "Work and money": 1.2}),
]
SERVICE_BLANK = 0.04

AGE_BANDS = [
    ("18-24", 0.11),
    ("25-34", 0.17),
    ("35-44", 0.19),
    ("45-54", 0.21),
    ("55-64", 0.17),
    ("65+", 0.10),
    ("Prefer not to say", 0.03),
]
AGE_BLANK = 0.02
GENDERS = [("Woman", 0.55), ("Man", 0.39), ("Non-binary", 0.02), ("Prefer not to say", 0.04)]
GENDER_BLANK = 0.02

TOWNS = ["Harrowmere", "Dunstan", "Kelsby", "Marlow Cross"]

# Shared slot fillers (used by every theme, so none of them becomes distinctive of one).
COMMON: dict[str, list[str]] = {
    "town": TOWNS,
    "small_town": TOWNS[1:],
    "period": [
        "six weeks",
        "three months",
        "most of last year",
        "nearly a year",
        "18 months",
        "two years",
        "four months",
    ],
    "when": [
        "last spring",
        "before christmas",
        "the summer",
        "January",
        "2020",
        "last October",
        "the first lockdown",
    ],
    "months": ["5", "7", "8", "nine", "11", "14", "18", "six", "ten"],
    "rel": ["mum", "husband", "wife", "partner", "dad", "daughter", "sister", "son"],
}

# Per theme: sentence templates in respondents' voices ("t"), and theme-specific slot fillers.
# Key words come back in several different sentences, and the words around them vary, because
# real respondents describe the same problem in many ways.
THEMES: dict[str, dict[str, list[str]]] = {
    "Crisis support": {
        "t": [
            "When I was in crisis I rang the {crisis_service} and {crisis_bad}.",
            "The only place open out of hours is A&E and I sat there for {hours} hours.",
            "Nobody answered the crisis line at night.",
            "I rang the crisis line {count} times one night and nobody answered.",
            "The home treatment team were {good} but they only came for {short}.",
            "There needs to be somewhere to go at night that isn't A&E.",
            "I was told to ring 111 and they just sent me to A&E.",
            "The crisis team said I wasn't unwell enough and {dismissed}.",
            "A crisis cafe or safe haven in {town} would make {big} difference.",
            "My last crisis was at {small_hours} on a Sunday and there was no one to talk to.",
            "In the end it was the police who got me help in a crisis, that shouldn't happen.",
            "Out-of-hours support is {nonexistent}, especially at weekends.",
            "We need a crisis line that is answered 24 hours a day by someone who knows "
            "mental health.",
            "Home treatment kept me out of hospital and I wish it had been offered sooner.",
            "If you ring the crisis team out of hours you get an answerphone.",
            "I was left on a trolley in A&E all night waiting for the crisis team.",
            "Getting help in a crisis shouldn't depend on which town you live in.",
            "I went to A&E {count} times last year in crisis and was {dismissed} each time.",
            "The crisis line staff were kind but all they can do is talk.",
            "Crisis support has to be there at 3am, not nine to five.",
            "Home treatment should be available in {small_town} and not just in Harrowmere.",
            "My {rel} had to take me to A&E because the crisis team {crisis_bad2}.",
            "Out of hours there is {nonexistent} apart from A&E.",
            "The crisis team should see people at home instead of sending them to A&E.",
            "A safe haven open in the evenings would keep people out of A&E.",
            "Please put more money into the crisis team so someone answers at night.",
        ],
        "crisis_service": [
            "crisis line",
            "crisis team",
            "out of hours number",
            "home treatment team",
            "crisis number",
        ],
        "crisis_bad": [
            "it rang and rang",
            "nobody answered",
            "I was on hold for an hour",
            "they told me to have a bath and a cup of tea",
            "they said someone would ring back and nobody did",
        ],
        "crisis_bad2": [
            "never rang back",
            "weren't answering",
            "said they were full",
            "told us to wait until Monday",
        ],
        "dismissed": ["sent me home", "sent home", "told to see my GP", "given a leaflet"],
        "nonexistent": ["non existent", "nothing", "a joke", "impossible to get"],
        "hours": ["9", "eleven", "14", "six", "16"],
        "good": ["brilliant", "kind", "really good", "lovely"],
        "short": ["a week", "ten days", "a fortnight", "two visits"],
        "small_hours": ["2am", "3 in the morning", "midnight", "4am"],
        "count": ["three", "4", "five", "several"],
        "big": ["a massive", "a huge", "all the"],
    },
    "Waiting times": {
        "t": [
            "I waited {months} months for an assessment and then {after}.",
            "I have been on the waiting list for talking therapies since {when}.",
            "The wait to see a psychiatrist is far too long.",
            "By the time my appointment came through I had {outcome}.",
            "{months} months on a waiting list is not acceptable when you are struggling.",
            "Appointments get cancelled at short notice and you go back to the bottom of the list.",
            "My GP referred me in {when} and I still haven't had an assessment.",
            "Nobody tells you where you are on the waiting list.",
            "I only got six sessions of counselling after waiting {period}.",
            "People fall through the gap between referral and the first appointment.",
            "The waiting times for talking therapies in {town} are a disgrace.",
            "I was discharged while I was still waiting for therapy.",
            "Waiting {period} for an assessment made everything worse.",
            "Even a phone call while you are on the waiting list would help.",
            "It took {period} to get a first appointment with the community team.",
            "The wait for talking therapies pushed me into crisis.",
            "I'm still on a waiting list for psychology after {period}.",
            "Being told the wait is {months} months when you're desperate is hard to hear.",
            "My {rel} has been waiting {period} for an autism assessment.",
            "I've had three different appointments cancelled and each time the wait starts again.",
            "Talking therapies told me the waiting list was closed.",
            "The assessment was quick but the wait for therapy afterwards was {months} months.",
            "There should be support for people while they are on a waiting list.",
            "Shorter waits for a first appointment would stop people getting so ill.",
        ],
        "after": [
            "was put on another waiting list",
            "was told there was a further wait for therapy",
            "was discharged back to my GP",
            "heard nothing",
        ],
        "outcome": [
            "moved house",
            "already been in hospital",
            "given up",
            "lost my job",
            "got a bit better on my own",
        ],
    },
    "Housing": {
        "t": [
            "My flat is damp and the landlord won't do anything about it.",
            "I was homeless for {period} and ended up in a hostel in {town}.",
            "I nearly lost my tenancy when I was in hospital because {tenancy_reason}.",
            "There is not enough supported accommodation for people coming out of hospital.",
            "Living in a hostel made my mental health worse.",
            "The council housing list is {list_problem}.",
            "I was discharged from the ward with no home to go to and ended up homeless.",
            "Private landlords don't want tenants on benefits.",
            "A safe, secure home is the base for everything else.",
            "I've been in temporary accommodation for {period} with my kids.",
            "Black mould in my damp flat is making my chest and my nerves worse.",
            "I got an eviction notice and nobody helped me keep my tenancy.",
            "Supported accommodation with staff on site would let me live independently.",
            "The housing officer and the mental health team never talk to each other.",
            "The housing association moved me to a flat miles from my friends.",
            "My landlord is selling up and I've got nowhere to go.",
            "Being homeless and sleeping in my car wrecked my mental health.",
            "The hostel in {town} is full of drugs and I don't feel safe there.",
            "My {rel} and I are in a damp flat and the council say we're not a priority.",
            "I'd like a tenancy of my own instead of moving from hostel to hostel.",
            "Rent arrears built up while I was unwell and now the landlord wants me out.",
            "Nobody told me there was supported accommodation in {town} until I was homeless.",
            "My tenancy support worker stopped coming and the rent fell behind.",
            "Losing my tenancy and being homeless is my biggest fear.",
        ],
        "tenancy_reason": [
            "the rent wasn't paid",
            "nobody told the housing association",
            "my post piled up",
            "the landlord thought I'd abandoned the flat",
        ],
        "list_problem": ["years long", "impossible to get on", "a joke", "closed to single people"],
    },
    "Being listened to": {
        "t": [
            "I don't feel listened to by {professional}.",
            "Nobody asks me what I want, decisions about my care are made without me.",
            "I have never seen a copy of my care plan.",
            "I want to be involved in decisions about my care and my medication.",
            "On ward rounds staff talk over you as if you aren't there.",
            "My care coordinator changes so often I have to tell my story again every time.",
            "When I raise a concern nobody listens and nothing happens.",
            "They should treat me as the expert on my own life and involve me in decisions.",
            "Nobody ever asks for my views on whether the treatment is working.",
            "Being properly listened to makes all the difference.",
            "My views were ignored at my review.",
            "I felt listened to for the first time when {good_listener}.",
            "Service users should have a say in how services are run and be involved from the "
            "start.",
            "My care plan was written without me and it isn't what I need.",
            "Ask us what we need instead of making decisions for us.",
            "At my CPA review the professionals did all the talking and nobody listened to me.",
            "I'm never involved in decisions, I just get a letter afterwards.",
            "The psychiatrist changed my medication without asking my views.",
            "I'd like a say in my care plan and for people to actually listen.",
            "When you complain you are not listened to, you just get fobbed off.",
            "My {rel} and I were not listened to when we said I was getting worse.",
            "Decisions about my care are made in ward rounds I'm not invited to.",
            "My care coordinator has never involved me in writing my care plan.",
            "I want my views heard and written into my care plan.",
        ],
        "professional": [
            "my psychiatrist",
            "the doctors",
            "my care coordinator",
            "staff on the ward",
            "the people in charge",
        ],
        "good_listener": [
            "a new nurse sat down with me",
            "I saw the student nurse",
            "my support worker came to my review",
        ],
    },
    "Information": {
        "t": [
            "Nobody explained my medication or what the side effects would be.",
            "The leaflets are full of jargon.",
            "The website is out of date and half the phone numbers don't work.",
            "I didn't know what services there were until {found_out}.",
            "I'd like information in plain English about my diagnosis.",
            "A list of who to contact and when would really help.",
            "I only found out about {resource} from another patient, there was no information.",
            "Can we have information and leaflets in other languages.",
            "Letters from the trust are full of jargon I don't understand.",
            "A directory of local groups and services on the website would be useful.",
            "I had bad side effects from my medication and nobody had warned me.",
            "Please explain things properly instead of handing out a leaflet.",
            "The information on the website doesn't match what the staff tell you.",
            "I had to look up my medication online because nobody would explain it.",
            "I was given a leaflet about my diagnosis and that was it.",
            "Doctors should explain the side effects before you start a new medication.",
            "Staff use jargon and don't explain what it means.",
            "There is no information about what happens after you are discharged.",
            "I still don't understand my diagnosis because nobody explained it.",
            "Clear information on the website about how to get help would save a lot of worry.",
        ],
        "found_out": [
            "a friend told me",
            "I looked on facebook",
            "I saw a poster in the chemist",
            "a nurse mentioned it by chance",
        ],
        "resource": [
            "the recovery college",
            "the crisis line",
            "direct payments",
            "the advocacy service",
        ],
    },
    "Work and money": {
        "t": [
            "My PIP was stopped and I had to go to a tribunal to get it back.",
            "I want to get back to work but I'm scared of losing my benefits.",
            "I am in debt and worrying about money makes me worse.",
            "{benefit_help} with benefit forms would {help_verb}.",
            "The Universal Credit work capability assessment was humiliating.",
            "I lost my job when I became ill.",
            "I'd like to go to college but I can't afford the bus fare.",
            "We need employment support that understands mental health.",
            "The cost of living is hitting us hard and I can't afford the bills.",
            "Volunteering helped me get back to work.",
            "My benefits were sanctioned for missing an appointment when I was unwell.",
            "Debt advice at the surgery would help a lot of people.",
            "I want a job but they won't make adjustments.",
            "My PIP assessment was done by someone who knew nothing about mental health.",
            "Going back to work part time would be good if my benefits weren't cut.",
            "I'm {debt_amount} in debt and the letters frighten me.",
            "College gave me a reason to get up and now the course has finished.",
            "Money worries are the main thing that makes me ill.",
            "The job centre keeps pushing me into jobs I'm not well enough for.",
            "I can't afford to heat my home on benefits.",
            "Filling in the PIP form made me ill for weeks.",
            "The debt collectors ring every day and it sets me back.",
            "Help to get into college or training would give me a future.",
            "Support to get back to work at my own pace, without losing benefits straight away.",
        ],
        "benefit_help": ["Help", "Someone to help", "Support"],
        "help_verb": [
            "make a big difference",
            "take so much stress away",
            "really help",
            "stop me panicking",
        ],
        "debt_amount": ["thousands", "2000 pounds", "a lot of money"],
    },
    "Physical health": {
        "t": [
            "My medication has made me put on {stone} stone and nobody monitors my weight.",
            "I have never been offered an annual health check.",
            "My GP only looks at my mental health and ignores my {condition}.",
            "I need help to stop smoking that fits around my mental health.",
            "I was diagnosed with diabetes and I think it was the tablets.",
            "Cheap gym passes or exercise groups would help my mood and my weight.",
            "Nobody checks my blood pressure or does my bloods.",
            "It's hard to get a dentist, my teeth are awful.",
            "Physical health and mental health are treated as if they're separate.",
            "My weight went up on clozapine and it's affected my confidence.",
            "The health check was just a tick box, nobody followed it up.",
            "Smoking is the one thing that calms me down so it's hard to give up.",
            "My GP said my diabetes is down to my weight but never offered any help.",
            "I've put on weight since starting olanzapine and now I've got diabetes too.",
            "People with mental illness die younger and nobody seems bothered about our "
            "physical health.",
            "A stop smoking group for people like me would help.",
            "The annual health check should include blood pressure and weight.",
            "I'd like my GP and my psychiatrist to talk to each other about my physical health.",
            "My GP does my health check in five minutes.",
            "Everyone on the ward was smoking and I started again.",
            "Nobody has done a proper health check since I started clozapine.",
        ],
        "stone": ["three", "4", "five", "2"],
        "condition": ["back pain", "asthma", "heart", "diabetes", "breathing"],
    },
    "Carers": {
        "t": [
            "My {rel} cares for me and gets no help at all.",
            "My {rel} has never been offered a carer's assessment.",
            "Families are kept in the dark because of confidentiality.",
            "My {rel} needs a break but there is no respite.",
            "I care for my son as well as having my own problems.",
            "My {rel} is exhausted from caring for me.",
            "Carers should be included in care planning and meetings.",
            "My family are the only reason I'm still here and they need support too.",
            "Young carers get forgotten, my daughter does so much.",
            "The carers group in {town} closed and my {rel} has no one now.",
            "Please listen to families, we know the person best.",
            "My {rel} had to give up work to care for me.",
            "A carer's assessment was promised to my {rel} but it never happened.",
            "Respite for my family would mean they could keep going.",
            "My {rel} is my carer and nobody asks how they are coping.",
            "Carers need proper support and a break now and then.",
            "Staff won't talk to my family because of confidentiality, even though I want them to.",
            "My {rel} is getting older and worries who will care for me.",
            "My family do everything for me and get nothing back.",
            "Respite care used to exist in {town} but it was cut.",
            "My {rel} waited a year for a carer's assessment.",
        ],
    },
    "Peer support": {
        "t": [
            "The peer support group at {venue} closed and I'm very lonely now.",
            "Talking to people who understand because they've been through it.",
            "I feel isolated living on my own.",
            "The recovery college courses were the best thing that happened to me.",
            "A drop-in in {town} where you can just turn up would help.",
            "Peer workers with lived experience on the wards would help people feel less alone.",
            "Since lockdown I hardly see anyone and I'm lonely.",
            "I'd like groups run by people with lived experience.",
            "There's nothing to do at weekends and I get isolated.",
            "Meeting others at the peer support group gave me hope.",
            "A befriending service would stop people like me being so lonely.",
            "The recovery college should run courses in {town} as well.",
            "Being with people who understand helps more than any tablet.",
            "The drop-in at {venue} is the only place I feel I belong.",
            "Living alone with no family nearby I get very isolated.",
            "A peer support worker helped me more than any professional.",
            "I'd go to a peer support group if there was one near me.",
            "The recovery college helped me make friends with people who understand.",
            "I'm lonely most days and a drop-in would give me somewhere to go.",
            "Staff with lived experience understand in a way others don't.",
        ],
        "venue": ["the library", "the community centre", "the church hall", "Harrowmere Mind"],
    },
    "Stigma": {
        "t": [
            "I feel ashamed to tell people about my diagnosis.",
            "My neighbours call me names since the police came round.",
            "Employers don't want to know once you mention mental health.",
            "Attitudes towards people who self harm are awful.",
            "There is still discrimination everywhere, even from some staff.",
            "There should be campaigns in schools to change attitudes.",
            "People think we're dangerous because of what they see in the papers.",
            "I hide my illness from friends and people at work because of the stigma.",
            "The stigma stops people asking for help.",
            "I've been treated differently by my neighbours since I was sectioned.",
            "Being labelled as a mental health patient follows you everywhere.",
            "I was made to feel ashamed at the job centre.",
            "Stigma is still there, people look at you differently once they know.",
            "I faced discrimination from employers when they found out about my diagnosis.",
            "Attitudes have got better but there's still a lot of stigma in {town}.",
            "I stopped going out because I felt judged by the neighbours.",
            "I was too ashamed to ask for help for years.",
            "Discrimination at work is why I'm scared to apply for jobs.",
            "I'm judged as soon as people hear I have a diagnosis.",
        ],
    },
}

GENERAL = [
    "Thank you for asking.",
    "Thanks for doing this survey.",
    "My {rel} helped me fill this in.",
    "I've been using services for {period} and it's up and down.",
    "The staff at Dunstan Park were kind to me.",
    "Overall I am fairly happy with my care.",
    "I don't really know what else to say.",
    "Things have got worse since covid.",
    "Keep up the good work.",
    "Some of the nurses are brilliant.",
    "I hope someone actually reads this.",
    "The survey was too long.",
    "Services in {town} seem better than elsewhere.",
]

OPENERS = [
    "",
    "",
    "",
    "",
    "",
    "Honestly, ",
    "For me ",
    "The main thing is that ",
    "Basically ",
    "Speaking for myself, ",
    "As a service user, ",
    "Where do I start. ",
]

# Endings that some people add to a sentence before the full stop.
TAILS = [
    ", it's not good enough",
    ", which is ridiculous",
    " and I know I'm not the only one",
    ", it really affected me",
    " to be honest",
    ", simple as that",
    " if I'm honest",
]
TAIL_RATE = 0.12

# First words that keep their capital when an opener goes in front of them.
KEEP_CAPITAL = {
    "I",
    "A&E",
    "PIP",
    "GP",
    "CPA",
    "Universal",
    "Harrowmere",
    "Dunstan",
    "Kelsby",
    "Marlow",
}

TYPO_RATE = 0.16
LOWER_RATE = 0.10
BLANK_COMMENT_RATE = 0.20
OFF_TOPIC_RATE = 0.08


def pick(rng: np.random.Generator, items: list[str]) -> str:
    return items[int(rng.integers(len(items)))]


def weighted(rng: np.random.Generator, items: list[tuple[str, float]]) -> str:
    labels = [label for label, _ in items]
    p = np.array([w for _, w in items], dtype=float)
    return labels[int(rng.choice(len(labels), p=p / p.sum()))]


def fill(
    rng: np.random.Generator,
    template: str,
    pools: dict[str, list[str]],
    common: dict[str, list[str]] | None = None,
) -> str:
    """Fill {slots} from the theme's pools, falling back on the shared ones (``common``)."""
    shared = COMMON if common is None else common
    out = template
    while "{" in out:
        start = out.index("{")
        end = out.index("}", start)
        slot = out[start + 1 : end]
        out = out[:start] + pick(rng, pools.get(slot) or shared[slot]) + out[end + 1 :]
    return out


def sentence(rng: np.random.Generator, theme: str, used: set[str]) -> str:
    spec = THEMES[theme]
    templates = [t for t in spec["t"] if t not in used] or spec["t"]
    template = pick(rng, templates)
    used.add(template)
    text = fill(rng, template, spec)
    if rng.random() < TAIL_RATE and text.endswith("."):
        text = text[:-1] + pick(rng, TAILS) + "."
    return text


def typo(rng: np.random.Generator, text: str) -> str:
    """One slip of the pen: a swapped, dropped or doubled letter in a longer word."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long:
        return text
    i = long[int(rng.integers(len(long)))]
    w = words[i]
    j = int(rng.integers(1, len(w) - 2))
    kind = int(rng.integers(3))
    if kind == 0:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind == 1:
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def comment(rng: np.random.Generator, priorities: list[str]) -> str:
    if rng.random() < BLANK_COMMENT_RATE:
        return ""
    n = int(rng.choice([1, 2, 3], p=[0.25, 0.40, 0.35]))
    used: set[str] = set()
    parts: list[str] = []
    general_first = False
    for k in range(n):
        r = rng.random()
        if priorities and r >= OFF_TOPIC_RATE:
            # The k-th sentence is mostly about the k-th choice, sometimes back to the first.
            on_kth = k < len(priorities) and rng.random() < 0.85
            parts.append(sentence(rng, priorities[k] if on_kth else priorities[0], used))
        elif r < OFF_TOPIC_RATE / 2 or not priorities:
            parts.append(fill(rng, pick(rng, GENERAL), {}))
            general_first = general_first or k == 0
        else:
            parts.append(sentence(rng, weighted(rng, OPTIONS), used))
    return finish(rng, parts, general_first, OPENERS, KEEP_CAPITAL)


def finish(
    rng: np.random.Generator,
    parts: list[str],
    general_first: bool,
    openers: list[str],
    keep_capital: set[str],
    *,
    contraction_rate: float = 0.25,
    unstopped_rate: float = 0.2,
    typo_rate: float = TYPO_RATE,
    lower_rate: float = LOWER_RATE,
) -> str:
    """A comment's sentences joined as people type them: an opener, dropped apostrophes, '&',
    no final stop, a typo, all lower case, each at its own rate."""
    opener = "" if general_first else pick(rng, openers)
    first = parts[0]
    first_word = first.split(" ")[0]
    keep = first_word in keep_capital or first_word.startswith("I'") or first_word[0].isdigit()
    if opener and not opener.endswith(". ") and not keep:
        first = first[0].lower() + first[1:]
    parts[0] = opener + first
    text = " ".join(parts)
    if rng.random() < contraction_rate:
        text = text.replace("n't", "nt").replace("'ve", "ve").replace("I'm", "Im")
    if rng.random() < 0.15:
        text = text.replace(" and ", " & ")
    if rng.random() < unstopped_rate:
        text = text.rstrip(".")
    if rng.random() < typo_rate:
        text = typo(rng, text)
    if rng.random() < lower_rate:
        text = text.lower()
    return text


def ranked_choices(rng: np.random.Generator, service: str) -> list[str]:
    boost = next((b for s, _, b in SERVICES if s == service), {})
    labels = [label for label, _ in OPTIONS]
    w = np.array([weight * boost.get(label, 1.0) for label, weight in OPTIONS])
    k = int(rng.choice([3, 2, 1, 0], p=[0.89, 0.05, 0.03, 0.03]))
    idx = rng.choice(len(labels), size=k, replace=False, p=w / w.sum())
    return [labels[int(i)] for i in idx]


def build_rows(seed: int = SEED) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    sent_out = dt.date(2022, 3, 14)
    rows: list[dict[str, str]] = []
    for _ in range(N_RESPONDENTS):
        delay = min(int(rng.exponential(16.0)) + int(rng.integers(2, 6)), 135)
        service = (
            "" if rng.random() < SERVICE_BLANK else weighted(rng, [(s, w) for s, w, _ in SERVICES])
        )
        prios = ranked_choices(rng, service)
        rows.append(
            {
                "returned": (sent_out + dt.timedelta(days=delay)).isoformat(),
                "age_band": "" if rng.random() < AGE_BLANK else weighted(rng, AGE_BANDS),
                "gender": "" if rng.random() < GENDER_BLANK else weighted(rng, GENDERS),
                "service": service,
                "priority_1": prios[0] if len(prios) > 0 else "",
                "priority_2": prios[1] if len(prios) > 1 else "",
                "priority_3": prios[2] if len(prios) > 2 else "",
                "comment": comment(rng, prios),
            }
        )
    # Respondent numbers were given as the envelopes were opened, in order of return.
    rows.sort(key=lambda r: r["returned"])
    for i, row in enumerate(rows, start=1):
        row["respondent_id"] = f"HMS22-{i:04d}"
    return rows


def named_counts(rows: list[dict[str, str]], options: list[tuple[str, float]]) -> list[int]:
    """Respondents naming each option at any rank, in the intended order of popularity."""
    named = Counter(
        row[c] for row in rows for c in ("priority_1", "priority_2", "priority_3") if row[c]
    )
    return [named[label] for label, _ in options]


COLUMNS = [
    "respondent_id",
    "returned",
    "age_band",
    "gender",
    "service",
    "priority_1",
    "priority_2",
    "priority_3",
    "comment",
]


def write_survey(rows: list[dict[str, str]], options: list[tuple[str, float]], out: Path) -> None:
    """Write the survey CSV, refusing if the options are not named in their intended order."""
    counts = named_counts(rows, options)
    # Guard the property the boards rely on, so that editing the weights cannot silently break it.
    if counts != sorted(counts, reverse=True) or len(set(counts)) != len(counts):
        raise SystemExit(
            f"priority counts are not strictly ranked as intended: {counts}; "
            "change SEED or the weights"
        )
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(
        f"wrote {out} ({len(rows)} respondents); named at any rank: "
        + ", ".join(f"{label} {n}" for (label, _), n in zip(options, counts, strict=True))
    )


def main() -> None:
    write_survey(build_rows(), OPTIONS, OUT)


if __name__ == "__main__":
    main()
