"""One build of the preview: the exports the page shows, or the problems that stop them.

The SCORM packages and the HTML handout are written by the export run
(:mod:`pmkit.export.run`), exactly as ``pmkit export`` writes them, and the
packages are unzipped: the preview runs the very files an LMS would.
"""

from __future__ import annotations

import shutil
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pmkit.errors import ContentError, ExportError, PmkitError
from pmkit.issues import Issue

VERSIONS = ("1.2", "2004")
"""The SCORM versions the preview builds (its version switch)."""


@dataclass
class BuildResult:
    """What one build produced: the folder it wrote, or the problems that stopped it."""

    generation: int
    root: Path | None
    title: str = ""
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    checks: dict[str, list[Issue]] = field(default_factory=dict)
    failed_checks: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the course built and the page can show it."""
        return self.root is not None and not self.errors

    def to_json(self) -> dict[str, Any]:
        """The state the page reads (``/_preview/state``)."""
        return {
            "generation": self.generation,
            "ok": self.ok,
            "title": self.title,
            "errors": [issue.to_dict() for issue in self.errors],
            "warnings": [issue.to_dict() for issue in self.warnings],
            "checks": {
                name: [issue.to_dict() for issue in issues]
                for name, issues in sorted(self.checks.items())
            },
            "failedChecks": dict(sorted(self.failed_checks.items())),
            "versions": list(VERSIONS),
            "seconds": round(self.seconds, 3),
        }


def _unzip(archive: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist():
            parts = PurePosixPath(name).parts
            if name.startswith("/") or "\\" in name or ".." in parts:
                raise ExportError(f"{archive.name}: unsafe member name {name!r}")
        z.extractall(dest)


class Builder:
    """Builds a content folder into numbered folders under ``out_root``."""

    def __init__(self, content_dir: Path, out_root: Path) -> None:
        from pmkit.pluginhost.host import load_plugins

        self.content_dir = content_dir
        self.out_root = out_root
        self.plugin_warnings: list[str] = []
        self.host = load_plugins(warn=self.plugin_warnings.append)
        self.generation = 0

    def build(self) -> BuildResult:
        """Validate, export and check; never raises for a problem of the content."""
        self.generation += 1
        started = time.monotonic()
        result = BuildResult(self.generation, None)
        target = self.out_root / f"build-{self.generation}"
        try:
            self._build(target, result)
        except ContentError as exc:
            result.errors = sorted(exc.issues)
        except PmkitError as exc:
            issues = list(getattr(exc, "issues", None) or [])
            result.errors = sorted(issues) or [Issue.general(str(exc), code="export")]
            if issues:
                result.errors.append(Issue.general(str(exc), code="export"))
        except Exception as exc:  # a plugin's bug: shown in the page, the server goes on
            result.errors = [
                Issue.general(
                    f"internal error ({type(exc).__name__}: {exc}); run "
                    "`pmkit export --traceback` to see where",
                    code="internal",
                )
            ]
        if not result.ok:
            result.root = None
            shutil.rmtree(target, ignore_errors=True)
        result.seconds = time.monotonic() - started
        return result

    def _build(self, target: Path, result: BuildResult) -> None:
        from pmkit.content.load import load_course
        from pmkit.export.run import plan_exports, preflight, write_export

        loaded = load_course(self.content_dir, rules=self.host.rules)
        course = loaded.course
        result.title = course.title
        result.warnings = list(loaded.warnings)
        notes: list[str] = []
        self._check_all(course, result)
        staging = target / "zips"
        for version in VERSIONS:
            plans = plan_exports(
                self.host,
                course,
                self.content_dir,
                ["scorm"],
                [("version", version)],
                staging,
                notes.append,
            )
            preflight(plans)
            _unzip(write_export(plans[0]), target / ("scorm-" + version))
        plans = plan_exports(
            self.host, course, self.content_dir, ["html"], [], staging, notes.append
        )
        preflight(plans)
        handout = write_export(plans[0])
        (target / "handout").mkdir()
        handout.replace(target / "handout" / "index.html")
        shutil.rmtree(staging)
        result.root = target

    def _check_all(self, course: Any, result: BuildResult) -> None:
        """Every installed format's ``check()`` with its default options."""
        from pmkit.export.run import plan_exports

        for name in sorted(self.host.exporters):
            try:
                plan = plan_exports(
                    self.host,
                    course,
                    self.content_dir,
                    [name],
                    [],
                    self.out_root,
                    lambda message: None,
                )[0]
                result.checks[name] = sorted(plan.exporter.check(plan.ctx))
            except PmkitError as exc:
                result.failed_checks[name] = str(exc)
            except Exception as exc:
                result.failed_checks[name] = f"check() crashed ({type(exc).__name__}: {exc})"
