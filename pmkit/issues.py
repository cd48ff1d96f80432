"""Problems found in content, reported in the author's terms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Issue:
    """One problem at one place in the content.

    ``file`` is the path as the user should see it (relative to the working
    directory when possible); ``line`` and ``column`` are 1-based. ``code`` is
    a short stable name of the rule that found it, for machines.
    """

    file: str
    line: int
    column: int
    message: str
    severity: Severity = "error"
    code: str = "content"

    def format(self) -> str:
        """Render as ``file:line:column: severity: message``, the way compilers do."""
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
