"""Domain exceptions. The CLI maps them to exit codes in one place (pmkit.cli.app)."""

from __future__ import annotations

from collections.abc import Sequence

from pmkit.issues import Issue


class PmkitError(Exception):
    """Base of every error pmkit reports without a traceback (exit code 1)."""

    exit_code = 1


class ContentError(PmkitError):
    """The content has one or more errors; ``issues`` lists all of them."""

    def __init__(self, issues: Sequence[Issue]):
        self.issues = list(issues)
        super().__init__(f"{len(self.issues)} problem(s) in the content")


class AnswersError(PmkitError):
    """An answers file does not parse or does not fit the course; ``issues`` lists why."""

    def __init__(self, issues: Sequence[Issue]):
        self.issues = list(issues)
        super().__init__(
            f"the answers have {len(self.issues)} problem{'s' if len(self.issues) != 1 else ''}"
        )


class ExportError(PmkitError):
    """An export could not be completed; the previous output is untouched.

    ``issues`` holds problems an exporter's ``check`` found, in content terms.
    """

    def __init__(self, message: str, issues: Sequence[Issue] = ()):
        self.issues = list(issues)
        super().__init__(message)


class PluginError(PmkitError):
    """A plugin failed to load or misbehaved (always names the plugin)."""


class UsageError(PmkitError):
    """The command line asks for something that does not exist (exit code 2)."""

    exit_code = 2


class Terminated(BaseException):
    """SIGTERM arrived (raised by the command line's handler).

    Not an ``Exception`` and not a ``SystemExit``: no plugin isolation and no
    "internal error" handler may swallow it, while every ``finally`` on the way
    out still removes its temporary file. The CLI exits with status 143.
    """

    exit_code = 143
