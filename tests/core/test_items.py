"""Item kinds: every stage that reads an agenda item's title agrees on what the item is."""

from __future__ import annotations

import pytest

from pipeline.classify.focus.cues import load_cues
from pipeline.classify.focus.focus import item_context
from pipeline.ingest.facts import doc_type
from pipeline.involvement.levels import _PROCEDURAL
from pipeline.involvement.uptake import _FOLLOW_UP_ITEM

ACTION_LOGS = ("Action log", "Actions tracker", "Action points", "Schedule of actions")


@pytest.mark.parametrize("title", ACTION_LOGS)
def test_an_action_log_is_one_to_ingestion_uptake_and_focus_coding(title: str) -> None:
    assert doc_type(f"{title}\n\nNo. | Action | Owner", "papers/2024-03-14.pdf") == "action_log"
    assert _FOLLOW_UP_ITEM.search(title)
    assert "action_log" in item_context(title, load_cues())


def test_matters_arising_is_procedure_a_follow_up_and_a_focus_context() -> None:
    title = "Matters arising"
    assert _PROCEDURAL.search(title) and _FOLLOW_UP_ITEM.search(title)
    assert "matters_arising" in item_context(title, load_cues())


@pytest.mark.parametrize("title", ["Crisis care waiting times", "Carers' breaks"])
def test_business_items_are_none_of_them(title: str) -> None:
    assert not _PROCEDURAL.search(title) and not _FOLLOW_UP_ITEM.search(title)
    assert not item_context(title, load_cues()) & {"action_log", "matters_arising"}
