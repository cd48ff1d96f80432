"""Problems found in content, reported in the author's terms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem, at one place in the content when it has one.

    ``file`` is the path as the user should see it (relative to the working
    directory when possible); ``line`` and ``column`` are 1-based. A problem
    of the environment (a missing library, an unwritable folder) has no place
    in the content: its ``file``, ``line`` and ``column`` are None (see
    :meth:`general`). ``code`` is a short stable name of the rule that found
    it, for machines.
    """

    file: str | None
    line: int | None
    column: int | None
    message: str
    severity: Severity = "error"
    code: str = "content"

    @classmethod
    def general(
        cls, message: str, severity: Severity = "error", code: str = "environment"
    ) -> Issue:
        """A problem with no place in the content (printed without a position)."""
        return cls(None, None, None, message, severity, code)

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        """Issues without a place first, then by file, line and column."""
        return (
            self.file or "",
            self.line or 0,
            self.column or 0,
            self.message,
            self.severity,
            self.code,
        )

    def __lt__(self, other: Issue) -> bool:
        return self.sort_key() < other.sort_key()

    def format(self) -> str:
        """Render as ``file:line:column: severity: message``, the way compilers do.

        Without a place: ``severity: message``; with a file but no line:
        ``file: severity: message``.
        """
        if self.file is None:
            return f"{self.severity}: {self.message}"
        if self.line is None:
            return f"{self.file}: {self.severity}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready mapping, used by ``pmkit validate --json``."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


def count_summary(issues: list[Issue]) -> str:
    """``2 errors, 1 warning`` — the closing line of a report."""
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = len(issues) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)
