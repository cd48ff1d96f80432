"""The code base stays ruff-clean (the same check the before-stop hook runs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The public API besides the `pmkit` package itself (what the compatibility promise covers).
PUBLIC_MODULES = {"pmkit.testing"}


def test_ruff_clean() -> None:
    # The ruff installed with this Python (the test extra pins it); PATH may not have it.
    cmd = [sys.executable, "-m", "ruff"]
    result = subprocess.run(
        [*cmd, "check", "--no-cache", str(ROOT)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_builtin_plugins_use_only_the_public_api() -> None:
    """A built-in plugin is written exactly as a third party would write one."""
    import re

    sources = [
        *(ROOT / "plugins").rglob("*.py"),
        *(ROOT / "examples").rglob("*.py"),
        *(ROOT / "pmkit" / "data" / "plugin-template").rglob("*.tmpl"),
    ]
    assert len(sources) > 20
    for path in sources:
        text = path.read_text(encoding="utf-8")
        imported = re.findall(r"^\s*(?:from|import)\s+(pmkit\.[\w.]+)", text, re.M)
        internal = [name for name in imported if name not in PUBLIC_MODULES]
        assert internal == [], f"{path} imports pmkit internals {internal}; use the public API"


def test_the_core_never_imports_a_builtin_plugin() -> None:
    import re

    for path in (ROOT / "pmkit").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(?:from|import)\s+pmkit_builtins", text, re.M), path


def test_design_notes_cited_are_the_projects_own() -> None:
    """Comments, docs and shipped files cite docs/ of this repository, never notes a
    user of the repository cannot read."""
    import re

    foreign = re.compile(
        r"DECISIONS \d|\bARCHITECTURE\b|shared/design|MOODLE-XML-RULES|"
        r"LMS-LESSONS"
    )
    tracked = subprocess.run(
        ["git", "ls-files"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()
    assert len(tracked) > 100
    offenders = []
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".png", ".pdf", ".zip"} or name.endswith("package-lock.json"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [
            f"{name}:{n}"
            for n, line in enumerate(text.splitlines(), 1)
            if foreign.search(line) and name != "tests/test_style.py"
        ]
    assert offenders == [], offenders


def test_mypy_clean() -> None:
    """The package ships py.typed: its type hints are a promise (configured in pyproject.toml)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_ruff_format_clean() -> None:
    """Formatting is ruff's (pinned in the test extra), so diffs show changes, not style."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
