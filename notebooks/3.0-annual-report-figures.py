# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 3.0 Figures for the annual report: presence, voice, uptake and the index
#
# Reads only `involvement.duckdb` (`INVOLVE_DB` to choose another analysis). Lay members are
# service user, carer and lay representatives; the 4Pi standard asks for at least two at every
# meeting.

# %%
import os
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt
import pandas as pd

DB = Path(os.environ.get("INVOLVE_DB", "../outputs/demo/involvement.duckdb"))
con = duckdb.connect(str(DB), read_only=True)

# %% [markdown]
# ## Lay members present at each meeting, against the standard

# %%
presence = con.sql(
    "SELECT meeting_date, lay_present, lay_standard_met FROM meeting_measures ORDER BY meeting_date"
).df()
# A meeting whose attendance list was not read has no figure (unknown, not zero): grey, at 0.
colours = [
    "#9aa0a6" if pd.isna(met) else "#2f7d5b" if met else "#c0392b"
    for met in presence["lay_standard_met"].astype(object)
]
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.bar(
    presence["meeting_date"].astype(str),
    presence["lay_present"].astype(float).fillna(0),
    color=colours,
)
ax.axhline(2, linestyle="--", color="grey", label="standard: at least two")
ax.set_ylabel("Lay members present")
ax.tick_params(axis="x", rotation=60)
ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## The year in figures, each with its interval over meetings

# %%
con.sql(
    """
    SELECT y.year, y.n_meetings, round(y.mean_lay_present, 2) AS mean_lay_present,
           y.meetings_standard_met, y.meetings_single_lay,
           round(y.lay_voice_share, 3) AS lay_voice_share,
           round(i.low, 3) AS voice_low, round(i.high, 3) AS voice_high
    FROM board_year y
    LEFT JOIN year_intervals i ON i.year = y.year AND i.measure = 'lay_voice_share'
    ORDER BY y.year
    """
).df()

# %% [markdown]
# ## Who speaks: attributed units by speaker role and year

# %%
roles = con.sql(
    """
    SELECT year(meeting_date) AS year, speaker_role, count(*) AS units
    FROM segments WHERE speaker_role <> 'none' GROUP BY ALL
    """
).df()
roles.pivot(index="speaker_role", columns="year", values="units").fillna(0).astype(int)

# %% [markdown]
# ## Symbolic or instrumental: the index with its components
#
# The label is never shown alone: presence and influence axes, and the figures behind them
# (formulas and thresholds in `docs/measures.md`).

# %%
con.sql(
    """
    SELECT year, index_label, round(presence_axis, 2) AS presence, round(influence_axis, 2)
           AS influence, round(mean_lay_present, 2) AS mean_lay_present,
           round(lay_voice_share, 3) AS voice, round(uptake_rate, 3) AS uptake,
           level_1, level_2, level_3, level_4, level_5, lay_linked_outcomes
    FROM board_year ORDER BY year
    """
).df()

# %% [markdown]
# How the label moves as each threshold moves (one at a time, the others at their defaults):

# %%
sens = con.sql(
    "SELECT year, parameter, value, is_default, index_label FROM index_sensitivity ORDER BY ALL"
).df()
sens.groupby(["year", "index_label"]).size().unstack(fill_value=0)

# %% [markdown]
# ## Uptake: what later acted on lay contributions
#
# Each link keeps its evidence, so a reader can check it against the minutes.

# %%
con.sql(
    """
    SELECT link, target_focus, count(*) AS links, round(avg(similarity), 2) AS mean_similarity
    FROM uptake GROUP BY ALL ORDER BY links DESC
    """
).df()

# %% [markdown]
# ## Involvement levels of the items lay members took part in

# %%
levels = con.sql(
    "SELECT year, level, level_name, count(*) AS items FROM item_levels GROUP BY ALL ORDER BY ALL"
).df()
if levels.empty:
    print("No agenda item with lay participation was given a level in this analysis.")
else:
    ax = levels.pivot(index="level_name", columns="year", values="items").fillna(0).plot.barh()
    ax.set_xlabel("Agenda items")
    plt.tight_layout()
    plt.show()
