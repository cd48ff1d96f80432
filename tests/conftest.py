"""Fixtures shared by the whole suite."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

# The browser test kit (Chromium through Playwright, a loopback server, an LMS
# harness with scorm-again, axe-core), shared by every browser-facing test.
pytest_plugins = ["browserkit"]

REPO = Path(__file__).resolve().parent.parent
BUNDLED_CONTENT = REPO / "content"
SAMPLE_COURSE = REPO / "pmkit" / "data" / "sample-course"


@pytest.fixture
def bundled_content(tmp_path: Path) -> Path:
    """A private copy of the bundled course (tests may edit it)."""
    target = tmp_path / "content"
    shutil.copytree(BUNDLED_CONTENT, target)
    return target


@pytest.fixture
def sample_course(tmp_path: Path) -> Path:
    """A private copy of the sample course in pmkit/data (the one pmkit.testing offers)."""
    target = tmp_path / "sample-course"
    shutil.copytree(SAMPLE_COURSE, target)
    return target


@pytest.fixture
def run_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run ``pmkit ARGS`` in-process with ``tmp_path`` as the working directory.

    stdout and stderr are kept apart (``result.stdout`` / ``result.stderr``).
    The validation cache is off unless a test turns it on.
    """
    from pmkit.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PMKIT_NO_CACHE", "1")

    def run(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return run
