"""The report's charts, one function per chart, each returning a matplotlib Figure.

Figures are built as ``matplotlib.figure.Figure`` objects and never through pyplot: pyplot keeps
global state and wants a display, whereas a bare Figure renders through the Agg canvas on
``savefig``, is safe to build from several threads and leaks nothing between runs.

Colours come from the Okabe-Ito palette, which stays distinguishable under the common forms of
colour blindness; process, action and outcome keep the same colour in every chart, and where a
contrast matters (below the presence standard) a hatch repeats it for greyscale print.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.text import Annotation
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter
from matplotlib.transforms import Bbox, blended_transform_factory

from pipeline.core import config
from pipeline.report import data, fmt

FOCUS_COLOURS: dict[str, str] = {"process": "#56B4E9", "action": "#E69F00", "outcome": "#009E73"}
FOCUS_NAMES: dict[str, str] = {"process": "Process", "action": "Actions", "outcome": "Outcomes"}
SCOPE_COLOURS: dict[str, str] = {"individual": "#CC79A7", "collective": "#009E73"}
MET_COLOUR = "#0072B2"
BELOW_COLOUR = "#D55E00"
VOICE_COLOUR = "#0072B2"
POINT_COLOUR = "#0072B2"
INK = "#333333"
MUTED = "#777777"

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}

CHART_NAMES = (
    "focus_by_meeting",
    "lay_presence",
    "priorities_vs_attention",
    "outcome_scope",
    "lay_voice",
    "theme_attention",
)

CAPTIONS: dict[str, str] = {
    "focus_by_meeting": (
        "Each bar is one meeting; its coloured parts show what share of the words in the minutes "
        "was about process (light blue), actions (orange) and outcomes (green), and dotted lines "
        "mark where a new year begins."
    ),
    "lay_presence": (
        "Each bar counts the lay members (service users, carers and lay representatives) listed "
        "as present at a meeting; the dashed line is the NIP 4Pi standard, and hatched vermilion "
        "bars are meetings that fell short of it."
    ),
    "priorities_vs_attention": (
        "Each point is a priority from the service user survey: further right means service "
        "users ranked it lower, higher up means the minutes gave it fewer words, so points on the "
        "dashed diagonal got the attention their survey rank suggests and points above it got "
        "less. Where emergent topics were found, the panel beside it shows the largest topics "
        "the minutes discussed, by share of words: vermilion hatched bars are emergent topics that "
        "no survey priority covers, blue bars name the priority that covers the topic."
    ),
    "outcome_scope": (
        "For each year, the bars count the outcome units whose benefit stayed with the "
        "individuals involved (pink) and those whose benefit reached service users generally "
        "(green)."
    ),
    "lay_voice": (
        "Each bar is the share of a meeting's units attributed to a named person that were "
        "attributed to a lay member; the number above each bar (on boards of up to 48 meetings) "
        "is how many lay members were present, and the dashed line is the share over all "
        "meetings."
    ),
    "theme_attention": (
        "Each bar is the share of all coded words that went to a theme in one year (over more "
        "than five years, each cell of a grid, darker for more); themes are listed in the order "
        "service users ranked them in the survey, with 'other' (no survey priority) last."
    ),
}


def make_all(tables: Mapping[str, pd.DataFrame]) -> dict[str, Figure]:
    """Every chart of the report, from complete tables (see :func:`data.complete`)."""
    view = data.meeting_view(tables["meetings"], tables["meeting_measures"])
    attention = tables["theme_attention"]
    board_year = tables["board_year"]
    return {
        "focus_by_meeting": focus_by_meeting(view),
        "lay_presence": lay_presence(view),
        "priorities_vs_attention": priorities_vs_attention(
            data.theme_rows(attention),
            data.alignment(tables["alignment"]),
            topics=tables.get("emergent_topics"),
        ),
        "outcome_scope": outcome_scope(board_year),
        "lay_voice": lay_voice(view, _period_share(tables.get("period"), "lay_voice_share")),
        "theme_attention": theme_attention(attention),
    }


# --------------------------------------------------------------------------- the six charts
def focus_by_meeting(view: pd.DataFrame) -> Figure:
    """Horrocks' first question at a glance: how much of each meeting went on outcomes."""
    title = "What the minutes spent their words on, meeting by meeting"
    if view.empty:
        return _no_data(title, "No meetings were found, so there is nothing to show.")
    fig, ax = _meeting_figure(len(view))
    xs = np.arange(len(view))
    bottom = np.zeros(len(view))
    for focus in config.FOCUS_LABELS:
        shares = _floats(view.get(f"{focus}_share"), len(view))
        _slots(
            ax,
            xs,
            shares,
            bottom=bottom,
            width=0.75,
            color=FOCUS_COLOURS[focus],
            label=FOCUS_NAMES[focus],
            edgecolor="white",
            linewidth=0.6,
        )
        bottom += shares
    _mark_empty(ax, xs, bottom == 0, "no units")
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel("Share of words in the minutes")
    _meeting_axis(ax, view)
    _legend_below(fig, ax)
    _title(ax, title)
    return fig


def lay_presence(view: pd.DataFrame, standard: int = config.PRESENCE_STANDARD) -> Figure:
    """Presence is the precondition of voice: the standard line shows when it was not even met."""
    words = NUMBER_WORDS.get(standard, str(standard))
    title = f"Lay members present at each meeting, against the 'at least {words}' standard"
    if view.empty:
        return _no_data(title, "No meetings were found, so presence cannot be shown.")
    fig, ax = _meeting_figure(len(view))
    xs = np.arange(len(view))
    lay = _floats(view.get("lay_present"), len(view))
    listed = view["has_attendance"].to_numpy(dtype=bool)
    met = (lay >= standard) & listed
    below = ~met & listed
    # Only series with bars get a legend entry: an empty series is drawn in the default colour.
    if met.any():
        bars = _slots(
            ax,
            xs,
            np.where(met, lay, 0.0),
            shown=met,
            width=0.7,
            color=MET_COLOUR,
            label=f"Standard met ({standard} or more)",
        )
        if bars is not None:  # with many meetings the numbers would overlap: no bars, no labels
            ax.bar_label(bars, fmt="%d", padding=2, fontsize=8, color=INK)
    if below.any():
        bars = _slots(
            ax,
            xs,
            np.where(below, lay, 0.0),
            shown=below,
            width=0.7,
            color=BELOW_COLOUR,
            hatch="//",
            edgecolor="white",
            label=f"Below the standard (fewer than {standard})",
        )
        if bars is not None:
            ax.bar_label(bars, fmt="%d", padding=2, fontsize=8, color=INK)
    _mark_empty(ax, xs, ~listed, "no attendance list")
    ax.axhline(
        standard,
        color="black",
        linestyle="--",
        linewidth=1.2,
        label=f"NIP 4Pi Presence standard: at least {words}",
    )
    top = max(float(lay.max(initial=0)), standard) + 1.5
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("Lay members present")
    _meeting_axis(ax, view)
    _legend_below(fig, ax)
    _title(ax, title)
    return fig


def priorities_vs_attention(
    points: pd.DataFrame,
    alignment: data.Alignment,
    period: str = "all years",
    topics: pd.DataFrame | None = None,
) -> Figure:
    """Whether the board talks most about what service users said matters most to them.

    Given the ``emergent_topics`` table, a second panel beside the priorities shows the largest
    topics the minutes discussed and whether a survey priority covers each.
    """
    rho = (
        f"Spearman's rho = {alignment.rho:.2f}"
        if fmt.finite(alignment.rho)
        else "Spearman's rho not computable"
    )
    title = f"Survey priorities against the board's attention, {period} ({rho})"
    points = points[(points["theme"] != config.OTHER_THEME)]
    points = points[points["attention_rank"].notna() & points["priority_rank"].notna()]
    if points.empty:
        return _no_data(title, "No theme attention was measured, so alignment cannot be shown.")
    largest = data.largest_topics(topics) if topics is not None else pd.DataFrame()
    fig = Figure(figsize=(16, 7.5) if len(largest) else (8.5, 7), layout="constrained")
    if len(largest):
        ax, side = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.05, 1]})
        # Drawn first: the point labels below are placed once the layout is final.
        topic_bars(side, largest, dict(zip(points["theme"], points["label"], strict=True)))
    else:
        ax = fig.add_subplot()
    _style(ax, grid="both")
    xs = points["priority_rank"].astype(float).to_numpy()
    ys = points["attention_rank"].astype(float).to_numpy()
    lim = max(xs.max(), ys.max(), len(points)) + 0.7
    ax.plot(
        [0.3, lim],
        [0.3, lim],
        linestyle="--",
        color=MUTED,
        linewidth=1.2,
        label="Perfect alignment (attention rank = survey rank)",
    )
    ax.scatter(
        xs,
        ys,
        s=70,
        color=POINT_COLOUR,
        edgecolor="white",
        linewidth=0.8,
        zorder=3,
        label="Survey priority",
    )
    ax.set_xlim(0.3, lim)
    ax.set_ylim(0.3, lim)
    ax.set_aspect("equal")
    ticks = np.arange(1, int(lim) + 1)
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_xlabel("Survey priority rank (1 = named by most respondents)")
    ax.set_ylabel("Attention rank in the minutes (1 = most words)")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, ncol=2, fontsize=9)
    _title(
        ax,
        f"{title}\n{len(points)} survey themes; above the line, less attention than "
        "the survey rank; below it, more",
        pad=28,
    )
    _label_points(ax, xs, ys, list(points["label"].astype(str)))
    return fig


def topic_bars(ax: Axes, topics: pd.DataFrame, theme_labels: Mapping[str, str]) -> None:
    """The largest topics as bars of word share, emergent ones in vermilion, covered in blue.

    ``topics`` are rows of the emergent_topics table, largest first (:func:`data.largest_topics`);
    the share is of all coded words, the same scale as the survey themes' word share.
    """
    _style(ax, grid="x")
    ys = np.arange(len(topics))
    shares = topics["share_of_words"].astype(float).to_numpy()
    emergent = (topics["kind"] == "emergent").to_numpy()
    for mask, colour, hatch, name in (
        (emergent, BELOW_COLOUR, "//", "Emergent: no survey priority covers it (nearest named)"),
        (~emergent, POINT_COLOUR, None, "Covered by a survey priority (named beside the bar)"),
    ):
        if mask.any():
            ax.barh(
                ys[mask],
                shares[mask],
                height=0.7,
                color=colour,
                hatch=hatch,
                edgecolor="white",
                label=name,
            )
    for y, share, kind, theme, near, near_share in zip(
        ys,
        shares,
        topics["kind"],
        topics["covered_by_theme"].fillna(""),
        topics["nearest_theme"].fillna(""),
        topics["theme_share"],
        strict=True,
    ):
        note = fmt.pct(share)
        if kind == "covered" and theme:
            note += f"  ({theme_labels.get(str(theme), str(theme))})"
        elif kind == "emergent" and near:
            # Without it a reader sees "employment, college, benefits" called uncovered beside a
            # Work and money priority, and cannot tell that the coder split it between themes.
            name = theme_labels.get(str(near), str(near))
            if pd.notna(near_share):
                name += f", {fmt.pct(float(near_share))} of its words"
            note += f"  (nearest: {name})"
        ax.annotate(
            note,
            (share, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8.5,
            color=INK,
        )
    ticks = [
        f"{textwrap.fill(str(label), 34)}\n{fmt.count(n)} units, {fmt.plural(int(m), 'meeting')}"
        for label, n, m in zip(topics["label"], topics["n_units"], topics["meetings"], strict=True)
    ]
    ax.set_yticks(ys, ticks, fontsize=8.5)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v * 100:g}%"))
    ax.set_xlim(0, float(shares.max(initial=0.01)) * 1.5)
    ax.set_xlabel("Share of all coded words")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, ncol=1, fontsize=9)
    _title(
        ax,
        "Topics the minutes discussed, found without the survey (BERTopic)\n"
        f"the {len(topics)} largest, emergent ones always shown; the board's procedure left out",
        pad=40,
    )


def outcome_scope(board_year: pd.DataFrame) -> Figure:
    """Horrocks found outcomes limited to those involved; this shows whether that holds here."""
    title = "Who the recorded outcomes benefited, year by year"
    if board_year.empty:
        return _no_data(title, "No board-year measures were found, so outcomes cannot be shown.")
    rows = board_year.sort_values("year")
    fig = Figure(figsize=(max(7.0, 2.0 + 1.4 * len(rows)), 4.8), layout="constrained")
    ax = fig.add_subplot()
    _style(ax)
    xs = np.arange(len(rows))
    width = 0.38
    for offset, scope in ((-width / 2, "individual"), (width / 2, "collective")):
        counts = _floats(rows[f"outcomes_{scope}"], len(rows))
        label = (
            "Individual: only the people involved"
            if scope == "individual"
            else "Collective: service users generally"
        )
        bars = ax.bar(xs + offset, counts, width=width, color=SCOPE_COLOURS[scope], label=label)
        ax.bar_label(bars, fmt="%d", padding=2, fontsize=9, color=INK)
    total = float(_floats(rows["outcome_units"], len(rows)).sum())
    if total == 0:
        ax.text(
            0.5,
            0.5,
            "No outcome units were found in the minutes",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=MUTED,
        )
    ax.set_xticks(xs, [str(int(y)) for y in rows["year"]])
    ax.set_xlabel("Year")
    ax.set_ylabel("Outcome units")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(
        0,
        max(
            1.0,
            float(
                rows[["outcomes_individual", "outcomes_collective"]]
                .to_numpy(dtype=float)
                .max(initial=0)
            ),
        )
        * 1.2,
    )
    _legend_below(fig, ax, ncol=2)
    _title(ax, title)
    return fig


def lay_voice(view: pd.DataFrame, overall: float = float("nan")) -> Figure:
    """Presence without voice is symbolic: this shows whether lay members are heard when there.

    ``overall`` is the share over all meetings (table period), drawn as a line; none when NaN.
    """
    title = "Lay members' share of the contributions the minutes attribute to someone"
    if view.empty:
        return _no_data(title, "No meetings were found, so voice cannot be shown.")
    fig, ax = _meeting_figure(len(view))
    xs = np.arange(len(view))
    shares = _floats(view.get("lay_voice_share"), len(view))
    _slots(ax, xs, shares, width=0.7, color=VOICE_COLOUR, label="Lay share of attributed units")
    _mark_empty(
        ax, xs, np.isnan(_raw_floats(view.get("lay_voice_share"), len(view))), "no attributed units"
    )
    if fmt.finite(overall):
        ax.axhline(
            overall,
            color="black",
            linestyle="--",
            linewidth=1.1,
            label=f"All meetings: {fmt.pct(overall)}",
        )
    top = min(1.15, max(0.25, float(shares.max(initial=0))) * 1.3)
    ax.set_ylim(0, top)
    lay = _floats(view.get("lay_present"), len(view))
    listed = view["has_attendance"].to_numpy(dtype=bool)
    dated = len(view) <= MAX_DATED_MEETINGS  # past it the numbers would overlap
    for x, value, n, known in zip(xs, shares, lay, listed, strict=True) if dated else ():
        ax.annotate(
            f"{int(n)}" if known else "?",
            (x, value),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            color=INK,
        )
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel("Lay share of attributed units")
    _meeting_axis(ax, view)
    if dated:
        ax.set_xlabel("Meeting date (number above each bar: lay members present)")
    _legend_below(fig, ax)
    _title(ax, title)
    return fig


def theme_attention(attention: pd.DataFrame) -> Figure:
    """Word share per theme in survey order, so a reader sees at once what the board neglects."""
    title = "Share of the minutes' words given to each survey priority, by year"
    years = sorted(set(attention["year"].dropna().astype(int)) - {0}) or [0]
    rows = attention[attention["year"].isin(years)]
    if rows.empty:
        return _no_data(title, "No theme attention was measured, so there is nothing to show.")
    order = _theme_order(rows)
    if len(years) > MAX_BARRED_YEARS:
        return _theme_grid(rows, order, years, title)
    height = max(4.0, 1.4 + len(order) * (0.25 + 0.2 * len(years)))
    fig = Figure(figsize=(9.5, height), layout="constrained")
    ax = fig.add_subplot()
    _style(ax, grid="x")
    bar = 0.8 / len(years)
    colours = _year_colours(len(years))
    ys = np.arange(len(order))
    for j, year in enumerate(years):
        shares = (
            rows[rows["year"] == year]
            .set_index("theme")["word_share"]
            .reindex(order["theme"])
            .astype(float)
            .fillna(0)
            .to_numpy()
        )
        bars = ax.barh(
            ys - 0.4 + bar * (j + 0.5),
            shares,
            height=bar * 0.92,
            color=colours[j],
            label="All years" if year == 0 else str(year),
        )
        ax.bar_label(bars, labels=[fmt.pct(s) for s in shares], padding=2, fontsize=7, color=INK)
    ax.set_yticks(ys, list(order["tick"]))
    if (order["theme"] == config.OTHER_THEME).any() and len(order) > 1:
        ax.axhline(len(order) - 1.5, color=MUTED, linewidth=0.8, linestyle=":")
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(0, float(rows["word_share"].astype(float).max()) * 1.18 or 1)
    ax.set_xlabel("Share of all coded words")
    ax.set_ylabel("Survey priority, in survey rank order")
    ax.legend(title="Year", loc="lower right", frameon=True, framealpha=0.9)
    _title(ax, title)
    return fig


# Grouped bars stay readable for this many years; past it (a ten-year board drew a chart 56
# inches tall) the years are columns of a grid.
MAX_BARRED_YEARS = 5


def _theme_grid(rows: pd.DataFrame, order: pd.DataFrame, years: list[int], title: str) -> Figure:
    """Themes down, years across, each cell shaded and labelled by the theme's word share."""
    shares = (
        rows.pivot_table(index="theme", columns="year", values="word_share", aggfunc="sum")
        .reindex(index=order["theme"], columns=years)
        .astype(float)
        .fillna(0.0)
        .to_numpy()
    )
    fig = Figure(
        figsize=(max(9.5, 4.0 + 0.5 * len(years)), max(4.0, 1.8 + 0.42 * len(order))),
        layout="constrained",
    )
    ax = fig.add_subplot()
    top = float(shares.max(initial=0)) or 1.0
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=top, aspect="auto")
    for (i, j), value in np.ndenumerate(shares):
        ax.text(
            j,
            i,
            f"{value * 100:.0f}",
            ha="center",
            va="center",
            fontsize=7,
            color="white" if value > top * 0.6 else INK,
        )
    ax.set_yticks(np.arange(len(order)), list(order["tick"]))
    ax.set_xticks(np.arange(len(years)), [str(y) for y in years], rotation=90, fontsize=8)
    ax.tick_params(length=0)
    if (order["theme"] == config.OTHER_THEME).any() and len(order) > 1:
        ax.axhline(len(order) - 1.5, color="white", linewidth=3)
    for side in ax.spines.values():
        side.set_visible(False)
    bar = fig.colorbar(image, ax=ax, shrink=0.8, format=PercentFormatter(1.0, decimals=0))
    bar.set_label("Share of the year's coded words (the number in each cell, in %)")
    ax.set_xlabel("Year")
    ax.set_ylabel("Survey priority, in survey rank order")
    _title(ax, title)
    return fig


# --------------------------------------------------------------------------- shared pieces
def _meeting_figure(n: int) -> tuple[Figure, Axes]:
    """Width grows with the number of meetings so date labels never collide."""
    fig = Figure(figsize=(min(18.0, max(8.5, 4.5 + 0.38 * n)), 4.8), layout="constrained")
    ax = fig.add_subplot()
    _style(ax)
    return fig, ax


# The widest meeting chart (18 inches) holds about this many rotated date labels before they
# overlap; past it, each meeting keeps its slot and only the years are written.
MAX_DATED_MEETINGS = 48


def _slots(
    ax: Axes,
    xs: np.ndarray,
    heights: np.ndarray,
    *,
    bottom: np.ndarray | None = None,
    shown: np.ndarray | None = None,
    width: float,
    color: str,
    label: str,
    edgecolor: str | None = None,
    linewidth: float = 0.0,
    hatch: str | None = None,
) -> BarContainer | None:
    """A bar per meeting slot (only the ``shown`` ones, if given), or, past
    MAX_DATED_MEETINGS, one stepped area over every slot: the bars would be a pixel or two wide
    and touching anyway, and a thousand of them took seconds to draw. Returns the bars, or None
    for the area."""
    base = np.zeros(len(xs)) if bottom is None else bottom
    if len(xs) <= MAX_DATED_MEETINGS:
        keep = np.ones(len(xs), dtype=bool) if shown is None else shown
        return ax.bar(
            xs[keep],
            heights[keep],
            bottom=base[keep],
            width=width,
            color=color,
            label=label,
            edgecolor=edgecolor,
            linewidth=linewidth,
            hatch=hatch,
        )
    area = ax.stairs(
        base + heights,
        np.arange(len(xs) + 1) - 0.5,
        baseline=base.copy(),  # kept by reference: a caller stacking areas moves its own
        fill=True,
        color=color,
        label=label,
        hatch=hatch,
        linewidth=0,
    )
    if hatch and edgecolor:
        area.set_edgecolor(edgecolor)  # a hatch is drawn in the edge colour: white, as on bars
    return None


def _meeting_axis(ax: Axes, view: pd.DataFrame) -> None:
    """Meetings at even spacing (a slot each, as in the minutes), dated, with years marked."""
    n = len(view)
    if n > MAX_DATED_MEETINGS:
        # A label per meeting would be an unreadable smear (and thousands of texts to lay out);
        # the bars mark the meetings, the dotted lines and the years above mark the years.
        ax.set_xticks([])
        ax.set_xlabel("Meetings in date order (a slot each; the year above each run)")
    else:
        rotate = n > 10
        ax.set_xticks(
            np.arange(n),
            list(view["label"]),
            rotation=45 if rotate else 0,
            ha="right" if rotate else "center",
            fontsize=9,
        )
        ax.set_xlabel("Meeting date")
    ax.set_xlim(-0.6, n - 0.4)
    _mark_years(ax, [None if fmt.is_missing(y) else int(y) for y in view["year"]])


def _mark_years(ax: Axes, years: Sequence[int | None]) -> None:
    """A dotted line where the year changes and the year above each run of meetings."""
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    start = 0
    for i in range(1, len(years) + 1):
        if i < len(years) and years[i] == years[start]:
            continue
        if i < len(years):
            ax.axvline(i - 0.5, color=INK, linestyle=":", linewidth=1.2)
        if years[start] is not None:
            ax.text(
                (start + i - 1) / 2,
                1.01,
                str(years[start]),
                transform=trans,
                ha="center",
                va="bottom",
                fontsize=9,
                fontweight="bold",
                color=INK,
            )
        start = i


def _mark_empty(ax: Axes, xs: np.ndarray, mask: np.ndarray, text: str) -> None:
    """Say why a slot has no bar, so a gap is not mistaken for a zero."""
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    for x in xs[mask]:
        ax.text(
            x,
            0.02,
            text,
            transform=trans,
            rotation=90,
            ha="center",
            va="bottom",
            fontsize=8,
            color=MUTED,
            style="italic",
        )


def _annotate(
    ax: Axes, text: str, x: float, y: float, spot: tuple[float, float, str, str]
) -> Annotation:
    """A point's label at one of the candidate offsets, kept out of the layout engine."""
    dx, dy, ha, va = spot
    note = ax.annotate(
        text,
        (x, y),
        xytext=(dx, dy),
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=8.5,
        color=INK,
        annotation_clip=False,
    )
    note.set_in_layout(False)
    return note


def _label_points(ax: Axes, xs: np.ndarray, ys: np.ndarray, labels: list[str]) -> None:
    """Theme labels beside their points, moved around each point until they overlap nothing.

    Survey themes often tie on attention rank, so neighbouring points are common; a fixed offset
    would print labels over each other. The layout is settled first so positions are final.
    """
    fig = ax.get_figure()
    assert isinstance(fig, Figure)
    canvas = FigureCanvasAgg(fig) if not isinstance(fig.canvas, FigureCanvasAgg) else fig.canvas
    fig.draw_without_rendering()
    renderer = canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = [_point_box(ax, x, y) for x, y in zip(xs, ys, strict=True)]
    for x, y, label in sorted(zip(xs, ys, labels, strict=True), key=lambda p: (p[0], p[1])):
        text = textwrap.fill(label, 22)
        note = None
        for spot in _LABEL_SPOTS:
            if note is not None:
                note.remove()
            note = _annotate(ax, text, x, y, spot)
            box = note.get_window_extent(renderer)
            inside = (
                box.x0 >= frame.x0
                and box.x1 <= frame.x1
                and box.y0 >= frame.y0
                and box.y1 <= frame.y1
            )
            if inside and not any(box.overlaps(other) for other in taken):
                break
        else:
            # No free spot: fall back to the first, as a fixed offset would.
            if note is not None:
                note.remove()
            note = _annotate(ax, text, x, y, _LABEL_SPOTS[0])
        taken.append(note.get_window_extent(renderer))


# Where a label may go relative to its point, in order of preference (points, alignment).
_LABEL_SPOTS: tuple[tuple[float, float, str, str], ...] = (
    (7, 0, "left", "center"),
    (-7, 0, "right", "center"),
    (0, 7, "center", "bottom"),
    (0, -7, "center", "top"),
    (7, 7, "left", "bottom"),
    (-7, 7, "right", "bottom"),
    (7, -7, "left", "top"),
    (-7, -7, "right", "top"),
    (0, 20, "center", "bottom"),
    (0, -20, "center", "top"),
    (7, 20, "left", "bottom"),
    (7, -20, "left", "top"),
)


def _point_box(ax: Axes, x: float, y: float, half: float = 5.0) -> Bbox:
    """A marker's footprint in display units, so labels do not sit on other points."""
    px, py = ax.transData.transform((x, y))
    return Bbox.from_extents(px - half, py - half, px + half, py + half)


def _theme_order(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per theme in survey order, with the tick text a reader sees."""
    themes = rows.groupby("theme", as_index=False).agg(
        priority_rank=("priority_rank", "min"), label=("label", "first")
    )
    themes = data.order_themes(themes)
    themes["tick"] = [
        "Other (not a survey priority)"
        if theme == config.OTHER_THEME
        else textwrap.fill(f"{int(rank)}. {label}", 32)
        for theme, rank, label in zip(
            themes["theme"], themes["priority_rank"], themes["label"], strict=True
        )
    ]
    return themes


def _year_colours(n: int) -> list[str]:
    """Years in a different palette from focus, so a year is never read as 'process'."""
    palette = ["#1B4F72", "#7FA7C9", "#4D4D4D", "#B0B0B0", "#2E86AB", "#D0D0D0"]
    return [palette[i % len(palette)] for i in range(n)]


def _legend_below(fig: Figure, ax: Axes, ncol: int = 3) -> None:
    """Legends under the plot, so the plot keeps the figure's full width for the meetings."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncol=min(ncol, len(labels)),
        frameon=False,
        fontsize=9,
    )


def _style(ax: Axes, grid: str = "y") -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_axisbelow(True)
    if grid in ("y", "both"):
        ax.yaxis.grid(True, color="#E5E5E5", linewidth=0.8)
    if grid in ("x", "both"):
        ax.xaxis.grid(True, color="#E5E5E5", linewidth=0.8)


def _title(ax: Axes, text: str, pad: float = 18) -> None:
    """Left-aligned bold titles, with room above the plot for the year labels."""
    ax.set_title(text, loc="left", fontsize=12, fontweight="bold", pad=pad, color="black")


def _no_data(title: str, message: str) -> Figure:
    """An honest empty chart: the runner still writes a file and the report still links it."""
    fig = Figure(figsize=(8, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=11,
        color=MUTED,
        wrap=True,
    )
    return fig


def _raw_floats(column: pd.Series | None, n: int) -> np.ndarray:
    if column is None:
        return np.full(n, np.nan)
    return pd.to_numeric(column, errors="coerce").astype("float64").to_numpy()


def _floats(column: pd.Series | None, n: int) -> np.ndarray:
    """Gaps plot as zero height; :func:`_mark_empty` says why where it matters."""
    return np.nan_to_num(_raw_floats(column, n), nan=0.0)


def _period_share(period: pd.DataFrame | None, column: str) -> float:
    """A whole-period figure of table period; NaN for an analysis made before it existed."""
    if period is None or period.empty or column not in period.columns:
        return float("nan")
    return fmt.to_float(period[column].iloc[0])


# --------------------------------------------------------------------------- annual report charts
FUNNEL_COLOUR = "#0072B2"
UNMEASURED = fmt.UNMEASURED


def involvement_funnel(stages: Sequence[tuple[str, float | None]], year: int) -> Figure:
    """From what lay members said to what changed: each stage a subset of the one above.

    A stage given as None was not measured; it is drawn as an empty outline with a note, so a
    missing measure never reads as a zero.
    """
    title = f"From lay contributions to outcomes, {year}"
    if not stages or all(count is None for _, count in stages):
        return _no_data(title, "None of the stages was measured in this run.")
    counts = [np.nan if c is None or not fmt.finite(c) else float(c) for _, c in stages]
    widest = max([c for c in counts if np.isfinite(c)] + [1.0])
    fig = Figure(figsize=(8.5, 0.9 + 0.75 * len(stages)), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    above = np.nan
    for i, ((label, _), count) in enumerate(zip(stages, counts, strict=True)):
        y = float(i)
        ax.text(-0.02 * widest, y, textwrap.fill(label, 30), ha="right", va="center", fontsize=9)
        if not np.isfinite(count):
            ax.barh(
                y,
                widest,
                left=0,
                height=0.7,
                color="white",
                edgecolor=MUTED,
                linestyle="--",
            )
            ax.text(
                widest / 2, y, UNMEASURED, ha="center", va="center", color=MUTED, style="italic"
            )
            above = np.nan
            continue
        ax.barh(y, count, left=(widest - count) / 2, height=0.7, color=FUNNEL_COLOUR)
        # Only a stage named as a subset ("...by lay members") is a share of the one above;
        # outcomes are counted in other units than contributions, so no share is claimed there.
        subset = label.startswith("...") and above > 0
        text = f"{int(count):,}" + (
            f" ({fmt.pct(count / above)} of the stage above)" if subset else ""
        )
        inside = count > 0.45 * widest
        ax.text(
            widest / 2 if inside else (widest + count) / 2 + 0.02 * widest,
            y,
            text,
            ha="center" if inside else "left",
            va="center",
            fontsize=9.5,
            color="white" if inside else INK,
            fontweight="bold",
        )
        above = count
    ax.set_xlim(-0.75 * widest, 1.02 * widest)
    ax.set_ylim(len(stages) - 0.5, -0.6)
    _title(ax, title, pad=8)
    return fig


def year_comparison(
    rows: Sequence[tuple[str, float, float, float, float, float, float]],
    year: int,
    last: int | None,
) -> Figure:
    """Shares for this year beside the last, each with its 95% interval over meetings.

    Each row is (label, this, low, high, last, low, high); NaN where a figure or interval is
    missing. Where the two intervals overlap the change may be chance, which the bars make visible.
    """
    title = f"{year} against {last}" if last is not None else f"{year} (no earlier year to compare)"
    rows = [r for r in rows if fmt.finite(r[1]) or fmt.finite(r[4])]
    if not rows:
        return _no_data(title, "No shares were measured, so the years cannot be compared.")
    fig = Figure(figsize=(8.5, 1.4 + 0.62 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    _style(ax, grid="x")
    ys = np.arange(len(rows))
    height = 0.38
    colours = _year_colours(2)
    series = [(0, year, colours[0], -height / 2)]
    if last is not None:
        series.append((3, last, colours[1], height / 2))
    for start, label, colour, offset in series:
        values = np.array([fmt.to_float(r[start + 1]) for r in rows])
        lows = np.array([fmt.to_float(r[start + 2]) for r in rows])
        highs = np.array([fmt.to_float(r[start + 3]) for r in rows])
        shown = np.nan_to_num(values, nan=0.0)
        ax.barh(ys + offset, shown, height=height * 0.92, color=colour, label=str(label))
        has = np.isfinite(lows) & np.isfinite(highs) & np.isfinite(values)
        if has.any():
            ax.errorbar(
                values[has],
                (ys + offset)[has],
                xerr=[values[has] - lows[has], highs[has] - values[has]],
                fmt="none",
                ecolor=INK,
                elinewidth=1,
                capsize=3,
            )
        for y, v, hi in zip(ys + offset, values, highs, strict=True):
            x = max(v, hi) if np.isfinite(hi) else v
            text = fmt.pct(v) if np.isfinite(v) else UNMEASURED
            ax.text(
                (x if np.isfinite(x) else 0) + 0.012, y, text, va="center", fontsize=8, color=INK
            )
    ax.set_yticks(ys, [textwrap.fill(r[0], 34) for r in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.12)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("Share (lines: 95% interval over meetings)")
    _legend_below(fig, ax, ncol=2)
    _title(ax, title, pad=8)
    return fig


# --------------------------------------------------------------------------- the study's chart
# Okabe-Ito, in an order where neighbours differ in lightness too; a marker per board repeats the
# colour for greyscale print and for more boards than colours.
BOARD_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000")
BOARD_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
STUDY_PANELS: tuple[tuple[str, str], ...] = (
    ("share_meetings_standard_met", "Meetings with two or more lay members present"),
    ("lay_voice_share", "Lay share of attributed contributions"),
    ("uptake_rate", "Lay contributions taken up"),
    ("outcome_share", "Share of words on outcomes"),
    ("collective_outcome_share", "Outcomes reaching service users generally"),
)
STUDY_CAPTION = (
    "Each panel is one figure; each board has its own colour and marker, and each year its place "
    "on the axis, so boards stand side by side within a year. Lines are the 95% intervals over "
    "the year's meetings; a board-year without a point had nothing to measure. The first panel "
    "places each board-year's involvement index label."
)


def study_boards(board_years: pd.DataFrame) -> Figure:
    """Boards side by side, year by year: the index label and the main figures with intervals."""
    title = "Boards side by side, year by year"
    if board_years.empty:
        return _no_data(title, "No board was analysed, so there is nothing to compare.")
    boards = list(dict.fromkeys(board_years["board"]))
    years = sorted(int(y) for y in board_years["year"].unique())
    fig = Figure(figsize=(max(10.0, 3.0 + 1.2 * len(years) * max(1, len(boards)) / 2), 9.5))
    fig.set_layout_engine("constrained")
    axes = fig.subplots(3, 2).ravel()
    width = 0.8 / max(1, len(boards))

    def place(board: int, year: int) -> float:
        return years.index(year) - 0.4 + width * (board + 0.5)

    # The two labels that are not a degree of involvement sit below the ladder, not above it.
    rungs = [label for label in config.INDEX_LABELS if label.startswith("not ")]
    levels = [*reversed(rungs), *(label for label in config.INDEX_LABELS if label not in rungs)]
    _index_panel(axes[0], board_years, boards, years, levels, place)
    for ax, (measure, label) in zip(axes[1:], STUDY_PANELS, strict=True):
        _style(ax)
        for i, board in enumerate(boards):
            rows = board_years[board_years["board"] == board]
            xs = np.array([place(i, int(y)) for y in rows["year"]])
            values = _raw_floats(rows[measure], len(rows))
            lows = _raw_floats(rows[f"{measure}_low"], len(rows))
            highs = _raw_floats(rows[f"{measure}_high"], len(rows))
            known = np.isfinite(values)
            ax.plot(
                xs[known],
                values[known],
                linestyle="none",
                marker=BOARD_MARKERS[i % len(BOARD_MARKERS)],
                color=BOARD_COLOURS[i % len(BOARD_COLOURS)],
                markersize=6,
                label=board,
            )
            bounded = known & np.isfinite(lows) & np.isfinite(highs)
            if bounded.any():
                ax.errorbar(
                    xs[bounded],
                    values[bounded],
                    yerr=[values[bounded] - lows[bounded], highs[bounded] - values[bounded]],
                    fmt="none",
                    ecolor=BOARD_COLOURS[i % len(BOARD_COLOURS)],
                    elinewidth=1.2,
                    capsize=3,
                )
        ax.set_ylim(0, 1.05)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xticks(range(len(years)), [str(y) for y in years])
        ax.set_xlim(-0.6, len(years) - 0.4)
        _title(ax, textwrap.fill(label, 44), pad=6)
    handles, labels = axes[1].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncol=min(4, max(1, len(labels))),
        frameon=False,
        fontsize=9,
    )
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    return fig


def _index_panel(
    ax: Axes,
    board_years: pd.DataFrame,
    boards: Sequence[str],
    years: Sequence[int],
    levels: Sequence[str],
    place: Callable[[int, int], float],
) -> None:
    """Each board-year's index label as a point on the ladder from absent to leading; a year
    that could not be measured, or where the body has no lay seats, sits on its own rung."""
    _style(ax)
    for i, board in enumerate(boards):
        rows = board_years[board_years["board"] == board]
        xs = [place(i, int(y)) for y in rows["year"]]
        ys = [levels.index(str(label)) for label in rows["index_label"]]
        ax.plot(
            xs,
            ys,
            linestyle="none",
            marker=BOARD_MARKERS[i % len(BOARD_MARKERS)],
            color=BOARD_COLOURS[i % len(BOARD_COLOURS)],
            markersize=7,
        )
    ax.set_yticks(range(len(levels)), [label.capitalize() for label in levels])
    ax.set_ylim(-0.5, len(levels) - 0.5)
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_xlim(-0.6, len(years) - 0.4)
    _title(ax, "Involvement index", pad=6)
