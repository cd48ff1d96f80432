"""The single place pmkit's version lives (read by pyproject.toml too)."""

VERSION = "0.1.0"

#: The name pmkit is published under. ``pmkit`` on PyPI is an unrelated project
#: (its own `pmkit` command and module would replace these); the import package
#: and the command stay ``pmkit``.
DISTRIBUTION = "pmkit-courseware"
