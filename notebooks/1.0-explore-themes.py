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
# # 1.0 Explore themes: what the board discussed against what service users asked for
#
# Reads only `involvement.duckdb` from an analysis (`make analyse` writes
# `outputs/demo/involvement.duckdb`). Set `INVOLVE_DB` to read another analysis.
# Theme codes are the machine's; `involve validate` reports how far they agree with human coding.

# %%
import os
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt

DB = Path(os.environ.get("INVOLVE_DB", "../outputs/demo/involvement.duckdb"))
con = duckdb.connect(str(DB), read_only=True)

# %% [markdown]
# ## Attention per survey priority, all years together
# `priority_rank` is the survey's order (1 = named by most respondents); `attention_rank` is the
# order by words in the minutes.

# %%
attention = con.sql(
    """
    SELECT theme, label, priority_rank, survey_share, n_units, n_words,
           round(word_share, 3) AS word_share, attention_rank
    FROM theme_attention WHERE year = 0 ORDER BY priority_rank
    """
).df()
attention

# %%
if attention.empty:
    print("No theme attention in this analysis (no units were coded), so nothing to plot.")
else:
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.scatter(attention["priority_rank"], attention["attention_rank"])
    for row in attention.itertuples():
        ax.annotate(row.label, (row.priority_rank, row.attention_rank), fontsize=8,
                    xytext=(4, 2), textcoords="offset points")
    top = max(attention["priority_rank"].max(), attention["attention_rank"].max()) + 1
    ax.plot([0.5, top], [0.5, top], linestyle=":", color="grey")
    ax.set_xlabel("Survey rank (1 = most named)")
    ax.set_ylabel("Attention rank in the minutes (1 = most words)")
    ax.invert_xaxis()
    ax.invert_yaxis()
    ax.set_title("Priorities against attention")
    plt.show()

# %% [markdown]
# ## Alignment by year (Spearman's rho of survey rank against attention rank)

# %%
con.sql("SELECT year, round(alignment_rho, 2) AS rho, round(alignment_p, 3) AS p "
        "FROM board_year ORDER BY year").df()

# %% [markdown]
# ## Units per theme and year, and what was left as `other`

# %%
by_year = con.sql(
    """
    SELECT year(meeting_date) AS year, theme, count(*) AS units, sum(n_words) AS words
    FROM segments GROUP BY ALL ORDER BY year, words DESC
    """
).df()
by_year.pivot(index="theme", columns="year", values="units").fillna(0).astype(int)

# %% [markdown]
# ## Read the units behind a theme
# Change `THEME` to read the units coded to another theme, with their source and page.

# %%
THEME = str(attention.iloc[0]["theme"]) if len(attention) else "other"
con.sql(
    f"""
    SELECT meeting_date, source, page, speaker_role, left(text, 160) AS text
    FROM segments WHERE theme = '{THEME}' ORDER BY meeting_date LIMIT 10
    """
).df()
