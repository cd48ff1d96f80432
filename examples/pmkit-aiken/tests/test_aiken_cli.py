"""`pmkit export --format aiken` through pmkit's command line, with the plugin injected.

The ``pmkit_cli`` fixture (from ``pmkit.testing``) runs pmkit in a temporary
folder holding the sample course at ``./content``, with only the built-in
plugins and the plugins a test passes: the installed copy of this plugin is
not what is tested here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pmkit_aiken
from pmkit.testing import PmkitCli

EXPORT = Path("exports") / "sample-course-aiken.txt"


def test_export_writes_the_file_and_reports_what_it_left_out(pmkit_cli: PmkitCli) -> None:
    result = pmkit_cli("export", "--format", "aiken", plugins=[pmkit_aiken])
    assert result.exit_code == 0, result.stderr
    text = EXPORT.read_text(encoding="utf-8")
    assert text.startswith("Who is the Alpha track for?\nA. People who like")
    assert text.endswith("The Beta PM runs beta programmes.\nA. True\nB. False\nANSWER: A\n")
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 3
    assert all(line.startswith("content/knowledge-check.yaml:") for line in warnings), warnings
    assert "kc-multiple" in warnings[0] and "kc-ordering" in warnings[2]


def test_options_from_the_command_line(pmkit_cli: PmkitCli) -> None:
    result = pmkit_cli(
        "export",
        "--format",
        "aiken",
        "-o",
        "letters",
        "paren",
        "-o",
        "aiken.true_false",
        "skip",
        plugins=[pmkit_aiken],
    )
    assert result.exit_code == 0, result.stderr
    assert EXPORT.read_text(encoding="utf-8") == (
        "Who is the Alpha track for?\n"
        "A) People who like the first letter of the alphabet\n"
        "B) People who like to test things twice\n"
        "ANSWER: A\n"
    )


def test_bad_option_values_are_usage_errors(pmkit_cli: PmkitCli) -> None:
    bad = pmkit_cli(
        "export", "--format", "aiken", "-o", "letters", "bracket", plugins=[pmkit_aiken]
    )
    assert bad.exit_code == 2 and "dot, paren" in bad.stderr
    empty = pmkit_cli("export", "--format", "aiken", "-o", "true_label", "", plugins=[pmkit_aiken])
    assert empty.exit_code == 2 and "true_label" in empty.stderr
    assert not EXPORT.exists()


def test_formats_lists_it_with_its_options(pmkit_cli: PmkitCli) -> None:
    result = pmkit_cli("formats", "aiken", "--json", plugins=[pmkit_aiken])
    assert result.exit_code == 0, result.stderr
    shown = json.dumps(json.loads(result.stdout))
    for option in ("letters", "true_false", "true_label", "false_label"):
        assert option in shown


def test_check_only_writes_nothing(pmkit_cli: PmkitCli) -> None:
    result = pmkit_cli("export", "--format", "aiken", "--check", plugins=[pmkit_aiken])
    assert result.exit_code == 0, result.stderr
    assert not EXPORT.exists()


def test_an_error_stops_the_export_before_anything_is_written(pmkit_cli: PmkitCli) -> None:
    kc = pmkit_cli.content / "knowledge-check.yaml"
    head, _, _ = kc.read_text(encoding="utf-8").partition("  - id: kc-single")
    _, _, ordering = kc.read_text(encoding="utf-8").partition("  - id: kc-ordering")
    kc.write_text(head + "  - id: kc-ordering" + ordering, encoding="utf-8")
    result = pmkit_cli("export", "--format", "aiken", "--format", "json", plugins=[pmkit_aiken])
    assert result.exit_code == 1
    assert "nothing to export" in result.stderr
    assert "knowledge-check.yaml:" in result.stderr
    assert not Path("exports").exists() or list(Path("exports").iterdir()) == []


def test_without_the_plugin_there_is_no_aiken_format(pmkit_cli: PmkitCli) -> None:
    result = pmkit_cli("export", "--format", "aiken")
    assert result.exit_code == 2
    assert "aiken" in result.stderr
