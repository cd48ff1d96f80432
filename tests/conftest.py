"""Fixtures shared by the whole suite."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

# The browser test kit (Chromium through Playwright, a loopback server, an LMS
# harness with scorm-again, axe-core), shared by every browser-facing test.
pytest_plugins = ["browserkit", "fakesite"]

REPO = Path(__file__).resolve().parent.parent


def pmkit_command() -> str:
    """The installed `pmkit` console script of the Python running the tests.

    Found next to ``sys.executable``, not on PATH: the README's test command
    works without an activated virtual environment.
    """
    script = Path(sys.executable).with_name("pmkit")
    assert script.is_file(), f"{script} is missing: run the README's test command"
    return str(script)


BUNDLED_CONTENT = REPO / "content"
SAMPLE_COURSE = REPO / "pmkit" / "data" / "sample-course"


#: Settings of the developer's shell that would change what pmkit does.
PMKIT_ENVIRONMENT = (
    "PMKIT_LOAD_PLUGINS",
    "PMKIT_STRICT_PLUGINS",
    "PMKIT_TRACE_PLUGINS",
    "PMKIT_TRACEBACK",
    "SOURCE_DATE_EPOCH",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No plugin or reproducibility setting of the developer's shell leaks into a test."""
    for var in PMKIT_ENVIRONMENT:
        monkeypatch.delenv(var, raising=False)


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
