"""Involvement per agenda item: the level a lay member's part reaches (levels) and what later acts
on their contributions (uptake)."""
