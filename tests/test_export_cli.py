"""`pmkit export` as a new user meets it: `--format all` on a basic install, the
output folder, warnings that do not bury the result, a run that fails part-way."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

RunCli = Callable[..., Result]


def without_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `import weasyprint` fail, as on an install without the pdf extra."""
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_format_all_skips_what_cannot_run_here(
    run_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_weasyprint(monkeypatch)
    monkeypatch.setenv("PMKIT_LOAD_PLUGINS", "")
    result = run_cli("export", "--format", "all")
    assert result.exit_code == 0, result.stderr
    import pmkit

    assert (
        f"Skipped pdf: the PDF handout needs WeasyPrint (No module named 'weasyprint'); "
        f"install the PDF extra: {pmkit.install_command('pdf')}" in result.stderr
    )
    written = sorted(p.name for p in Path("exports").iterdir())
    assert "pm-career-paths-handout.pdf" not in written and len(written) == 9
    assert result.stderr.rstrip().splitlines()[-1].startswith("wrote 9 files (")
    assert result.stderr.rstrip().endswith("skipped: pdf")


def test_a_format_named_explicitly_that_cannot_run_is_an_error(
    run_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_weasyprint(monkeypatch)
    result = run_cli("export", "--format", "json", "--format", "pdf")
    assert result.exit_code == 1
    assert "format 'pdf' cannot run here: the PDF handout needs WeasyPrint" in result.stderr
    assert not Path("exports").exists()


def test_formats_marks_what_cannot_run_here(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_weasyprint(monkeypatch)
    result = run_cli("formats")
    assert result.exit_code == 0
    assert "unavailable here: the PDF handout needs WeasyPrint" in result.stdout
    assert run_cli("formats", "--json").stdout.count('"unavailable": null') >= 6


def test_an_output_path_that_is_a_file_is_said_so(run_cli: RunCli, bundled_content: Path) -> None:
    Path("taken").write_text("a file\n")
    result = run_cli("export", "--format", "json", "--output", "taken")
    assert result.exit_code == 1
    assert "cannot write to taken: the output folder is a file, not a folder" in result.stderr
    deeper = run_cli("export", "--format", "json", "--output", "taken/sub")
    assert "taken, a parent of it, is a file" in deeper.stderr
    assert Path("taken").read_text() == "a file\n"


def test_an_output_folder_that_cannot_be_created_is_said_so(
    run_cli: RunCli, bundled_content: Path
) -> None:
    # /proc refuses new folders even to root (the tests may run as root, so a
    # read-only folder of our own would not do).
    result = run_cli("export", "--format", "json", "--output", "/proc/pmkit-test/out")
    assert result.exit_code == 1
    assert "cannot create the output folder /proc/pmkit-test/out" in result.stderr
    assert "Traceback" not in result.stderr


def test_warnings_are_grouped_per_format_and_capped(run_cli: RunCli, bundled_content: Path) -> None:
    result = run_cli("export", "--format", "gift", "--format", "json")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Warnings from gift ("))
    assert all(": warning: " in line for line in lines[header + 1 : header + 4])
    assert lines[header + 4].startswith("… and ") and "(-v shows all)" in lines[header + 4]
    every = run_cli("export", "-v", "--format", "gift", "--format", "json")
    assert every.stderr.count(": warning: ") > result.stderr.count(": warning: ")
    quiet = run_cli("export", "--quiet", "--format", "gift", "--format", "json")
    assert quiet.exit_code == 0 and ": warning: " not in quiet.stderr
    assert "pm-career-paths-gift.txt" in quiet.stdout


def test_a_run_that_fails_part_way_ends_with_what_happened(
    run_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmkit_builtins.handout.markdown import MarkdownHandoutExporter

    def broken(self: Any, ctx: Any, target: Path) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(MarkdownHandoutExporter, "export", broken)
    result = run_cli("export", "-q", "-f", "json", "-f", "markdown", "-f", "moodle")
    assert result.exit_code == 1
    last = result.stderr.rstrip().splitlines()[-1]
    assert last == (
        "wrote 1 file (json); failed: markdown (its previous file is untouched); "
        "not attempted: moodle"
    )
    assert "disk on fire" in result.stderr
    assert sorted(p.name for p in Path("exports").iterdir()) == ["pm-career-paths.json"]
