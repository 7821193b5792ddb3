"""Meaning: how close each unit is to each theme, and to the board's own procedure.

A theme is represented by several prototype texts, each embedded on its own: its label, its
definition, each seed, and each included example. One centroid of all of them would blur a theme
whose seeds point several ways ("crisis line", "A&E", "home treatment"); the maximum over them
would let one stray seed decide. A unit's similarity to a theme is the mean of its TOP_K closest
prototypes: a unit has to resemble a few of the theme's descriptions, not just one.

The unit is embedded with its agenda item title in front ("Crisis care pathway review. Members
asked ..."): minutes are written under items, and a paragraph's subject is often only in its
item's title.

``other`` gets prototypes too. Most units that fit no survey theme are the board's own procedure:
welcome and apologies, minutes agreed, declarations of interest, dates, governance and papers
noted, as the coding manual lists under process; and the reports a board receives on all its
services at once, the performance dashboard and the year's budget and commissioning plans, which
touch every theme in passing and are about none of them. The budget prototype speaks of the
board's spending across its services, not of people's money: a codebook may well have a theme
about debt or benefits, and procedure must not compete with it. PROCEDURE describes that business
in general words, the same for any board; it is not drawn from any corpus or gold file.

A board also minutes its own involvement of service users and carers: who came, how
representatives are recruited, trained and paid, whether meetings suit them, and what came of the
points they raised. No survey respondent writes about the board's arrangements, so no seed or
definition describes them, yet they are what the National Involvement Partnership's 4Pi standards
(Presence, Process, Impact) ask a board to get right. The codebook's ``involvement_theme`` names the
theme these belong to ("Being listened to", "Having a say"); that theme gets INVOLVEMENT as
prototypes too, written from the standards in general words, the same for any board. Without an
``involvement_theme`` they are left to compete as any unit does.

Draft codebooks from ``involve themes from-survey`` word their definitions as "Survey respondents
who named X most often wrote about ..."; that template is the same for every theme and says
nothing about any, so it is cut before embedding (the label and the listed terms remain).
"""

from __future__ import annotations

import re

import numpy as np

from pipeline.core.embed import Embedder
from pipeline.inputs.codebook import Codebook, Theme

TOP_K = 3
PROCEDURE = (
    "Welcome, introductions and apologies for absence.",
    "The minutes of the previous meeting were agreed as a correct record.",
    "Declarations of interest: none were declared.",
    "Matters arising: all actions were complete or on the agenda.",
    "Date, time and venue of the next meeting.",
    "Any other business: there was none.",
    "The Board noted the report and thanked the presenter.",
    "Terms of reference, membership and governance of the Board.",
    "The meeting was quorate and the Chair opened the meeting.",
    "The quarterly performance report: indicators rated red, amber and green against targets.",
    "The budget, savings and commissioning plans for the year across all services.",
)
# From the 4Pi standards: Presence (enough representatives, never one alone, a diversity of
# voices), Process (recruitment, training, expenses, meetings and papers people can use) and
# Impact (a record of what their points changed).
INVOLVEMENT = (
    "Service user and carer representatives on the board: recruiting, inducting and training them.",
    "Paying representatives' fees and expenses and supporting them to take part in meetings.",
    "Meeting times, venues and papers in plain language arranged so that representatives can "
    "attend and contribute.",
    "At least two service user or carer representatives present at every meeting, never one "
    "person alone.",
    "A record of the points service users and carers raised and what difference they made to "
    "decisions.",
    "A service user participation group or carers' forum feeding its views into the board.",
    "Service users and carers co-producing work, sitting on panels and leading pieces of work.",
)
_TEMPLATE = re.compile(
    r"^Survey respondents (?:who )?named .+? (?:most often wrote about|as a priority)[;:,]?\s*",
    re.IGNORECASE,
)


def definition_text(theme: Theme) -> str:
    """The theme's definition without the drafting template: the label, then what it covers."""
    body = _TEMPLATE.sub("", theme.definition).strip()
    if body.lower().startswith(("their comments", "the survey had no")):
        body = ""  # the template's "no words to describe it" note
    return f"{theme.label}: {body}" if body else theme.label


def prototypes(theme: Theme, involvement: bool = False) -> list[str]:
    """The texts that stand for a theme: label, definition, each seed, each included example,
    and INVOLVEMENT when it is the codebook's ``involvement_theme``."""
    texts = [theme.label, definition_text(theme), *theme.seeds, *theme.examples_include]
    if involvement:
        texts += INVOLVEMENT
    return list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


def unit_texts(texts: list[str], titles: list[str]) -> list[str]:
    """Each unit's text with its agenda item title in front, as it is read in the minutes."""
    return [
        f"{title}. {text}" if title else text for text, title in zip(texts, titles, strict=True)
    ]


def similarities(
    vectors: np.ndarray, codebook: Codebook, embedder: Embedder
) -> tuple[np.ndarray, np.ndarray]:
    """(units x themes) similarity to each theme, and (units,) similarity to procedure."""
    per_theme = [
        _top_k_mean(vectors @ embedder.encode(prototypes(t, t.id == codebook.involvement_theme)).T)
        for t in codebook.themes
    ]
    theme_sim = np.stack(per_theme, axis=1) if per_theme else np.zeros((len(vectors), 0))
    procedure = _top_k_mean(vectors @ embedder.encode(list(PROCEDURE)).T)
    return theme_sim, procedure


def _top_k_mean(sim: np.ndarray) -> np.ndarray:
    k = min(TOP_K, sim.shape[1])
    return np.sort(sim, axis=1)[:, -k:].mean(axis=1)
