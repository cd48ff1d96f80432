"""The command line: help everywhere, exit codes, and stdout/stderr kept apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from pmkit.cli.app import COMMANDS


def test_version(run_cli: Callable[..., Result]) -> None:
    from pmkit import __version__

    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"pmkit {__version__}"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(run_cli: Callable[..., Result], command: str) -> None:
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: pmkit {command}")
    description = result.stdout.split("\n\n")[1].strip()
    assert len(description) > 20, f"`pmkit {command} --help` needs a description"


def test_root_help_lists_every_command(run_cli: Callable[..., Result]) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert f"  {command} " in result.stdout


def test_unknown_command_is_a_usage_error_with_a_suggestion(
    run_cli: Callable[..., Result],
) -> None:
    result = run_cli("valdate")
    assert result.exit_code == 2
    assert "Did you mean 'validate'?" in result.stderr
    assert result.stdout == ""


def test_validate_prints_a_summary_on_stdout(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    result = run_cli("validate", "--content", str(bundled_content))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "valid" in result.stdout and "3 tracks" in result.stdout
    assert "17 knowledge-check questions" in result.stdout
    assert len(result.stdout.strip().splitlines()) == 1


def test_validate_json_on_good_content(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    import json

    result = run_cli("validate", "--json", "--content", str(bundled_content))
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["valid"] is True and doc["issues"] == []
    assert doc["summary"]["id"] == "pm-career-paths"


def test_missing_content_folder(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    result = run_cli("validate", "--content", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert (
        f"nope: error: no course folder: nope was looked for in the current folder "
        f"({tmp_path}) and is not there"
    ) in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_traceback_flag_shows_the_traceback(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    from pmkit.errors import ContentError

    with pytest.raises(ContentError):
        run_cli("--traceback", "validate", "--content", str(tmp_path / "nope"))


def test_an_internal_error_is_reported_without_traceback(
    run_cli: Callable[..., Result], bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pmkit.content.load

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(pmkit.content.load, "load_course", boom)
    result = run_cli("validate", "--content", str(bundled_content))
    assert result.exit_code == 1
    assert "internal error (RuntimeError: kaput)" in result.stderr
    assert "--traceback" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_installed_console_script_runs(tmp_path: Path) -> None:
    import subprocess

    from conftest import pmkit_command

    exe = pmkit_command()
    result = subprocess.run(
        [exe, "validate", "--content", str(Path(__file__).parent.parent / "content")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
