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
# # 2.0 Process, action or outcome: where the board's time goes
#
# Reads only `involvement.duckdb` (`INVOLVE_DB` to choose another analysis). Shares are shares
# of words, as defined in `docs/measures.md`; intervals are bootstrap 95% intervals over meetings.

# %%
import os
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt

DB = Path(os.environ.get("INVOLVE_DB", "../outputs/demo/involvement.duckdb"))
con = duckdb.connect(str(DB), read_only=True)

# %% [markdown]
# ## Shares per meeting

# %%
meetings = con.sql(
    """
    SELECT meeting_date, process_share, action_share, outcome_share, n_words
    FROM meeting_measures ORDER BY meeting_date
    """
).df()
if meetings.empty:
    print("No meeting was measured in this analysis, so nothing to plot.")
else:
    shares = meetings.set_index("meeting_date")[["process_share", "action_share", "outcome_share"]]
    ax = shares.plot(
        kind="bar", stacked=True, figsize=(9, 4), color=["#9aa5b1", "#e3a33b", "#2f7d5b"]
    )
    ax.set_ylabel("Share of words")
    ax.set_xlabel("")
    ax.legend(["process", "action", "outcome"], loc="upper left", bbox_to_anchor=(1, 1))
    plt.tight_layout()
    plt.show()

# %% [markdown]
# ## Per year, with intervals

# %%
con.sql(
    """
    SELECT year, measure, round(estimate, 3) AS estimate, round(low, 3) AS low,
           round(high, 3) AS high, n_meetings
    FROM year_intervals
    WHERE measure IN ('process_share', 'action_share', 'outcome_share')
    ORDER BY measure, year
    """
).df()

# %% [markdown]
# ## Outcomes: who benefits
# Individual outcomes reach the people involved; collective ones reach service users as a group.

# %%
con.sql(
    """
    SELECT year, outcome_units, outcomes_individual, outcomes_collective,
           round(collective_outcome_share, 2) AS collective_share
    FROM board_year ORDER BY year
    """
).df()

# %%
con.sql(
    """
    SELECT meeting_date, outcome_scope, source, page, left(text, 180) AS text
    FROM segments WHERE focus = 'outcome' ORDER BY meeting_date
    """
).df()
