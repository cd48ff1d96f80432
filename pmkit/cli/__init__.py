"""The ``pmkit`` command line: a thin layer over the Python API.

Every command lives in its own module and is imported only when run (or
when ``--help`` lists it; those modules import nothing heavy at top level).
"""

from __future__ import annotations

from pmkit.cli.app import cli


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="pmkit")


__all__ = ["cli", "main"]
