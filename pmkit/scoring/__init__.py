"""Scoring: the scorer API, exact arithmetic, the scoring table, answer files and runs."""
