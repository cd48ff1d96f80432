"""The example third-party plugin (examples/pmkit-aiken) works installed, as a user's would.

The README's test command installs it with pip before running the suite; its
own tests run in their own pytest invocation (pytest accepts `pytest_plugins`
only in a root conftest).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import pmkit_command

REPO = Path(__file__).resolve().parent.parent


def _pmkit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [pmkit_command(), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def _plugins(env: dict[str, str] | None = None) -> list[dict[str, object]]:
    result = _pmkit("plugins", "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_example_plugin_is_installed_and_listed() -> None:
    listed = {p["name"]: p for p in _plugins()}
    if "aiken" not in listed:
        pytest.fail(
            "examples/pmkit-aiken is not installed: the README's test command installs "
            "it (`python -m pip install -e '.[test]' -e examples/pmkit-aiken`)"
        )
    aiken = listed["aiken"]
    assert aiken["distribution"] == "pmkit-aiken" and aiken["builtin"] is False
    assert aiken["exporters"] == ["aiken"] and aiken["failed"] is False


def test_an_empty_plugin_list_hides_it_and_keeps_the_builtins() -> None:
    names = {p["name"] for p in _plugins({"PMKIT_LOAD_PLUGINS": ""})}
    assert "aiken" not in names
    assert {"json_export", "scorm", "moodle", "scoring"} <= names


def test_it_exports_the_bundled_course(tmp_path: Path) -> None:
    result = _pmkit(
        "export",
        "--format",
        "aiken",
        "--content",
        str(REPO / "content"),
        "--output",
        str(tmp_path),
        env={"PMKIT_NO_CACHE": "1"},
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "pm-career-paths-aiken.txt").read_text(encoding="utf-8")
    assert "ANSWER:" in text


def test_the_example_plugins_own_suite_passes() -> None:
    """examples/pmkit-aiken's tests run in their own pytest (its conftest is a root
    conftest); running them from here means one test command covers both."""
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=REPO / "examples" / "pmkit-aiken",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
