"""The single place pmkit's version lives (read by pyproject.toml too)."""

VERSION = "0.1.0"
