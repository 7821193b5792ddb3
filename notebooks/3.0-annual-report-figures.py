# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 3.0 Figures for the annual report: presence and voice
#
# Reads only `involvement.duckdb` (`INVOLVE_DB` to choose another analysis). Lay members are
# service user, carer and lay representatives; the 4Pi standard asks for at least two at every
# meeting.

# %%
import os
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt

DB = Path(os.environ.get("INVOLVE_DB", "../outputs/demo/involvement.duckdb"))
con = duckdb.connect(str(DB), read_only=True)

# %% [markdown]
# ## Lay members present at each meeting, against the standard

# %%
presence = con.sql(
    "SELECT meeting_date, lay_present, lay_standard_met FROM meeting_measures ORDER BY meeting_date"
).df()
colours = ["#2f7d5b" if met else "#c0392b" for met in presence["lay_standard_met"]]
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.bar(presence["meeting_date"].astype(str), presence["lay_present"], color=colours)
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
