"""Hostile and unlucky input: every content problem is a positioned error, never a
traceback, an "internal error" or a silently different reading (issue 12, §2 and §5)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import REPO, pmkit_command

from pmkit.content import yaml_positions
from pmkit.content.load import load_course
from pmkit.errors import ContentError

RunCli = Callable[..., Result]
POSITION = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<column>\d+): error: (?P<msg>.*)$", re.M
)
#: What a terminal could obey: C0 controls but newline, DEL and C1 controls.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> tuple[int, int]:
    """1-based line and column of ``needle`` in ``path``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


def errors(result: Result) -> list[re.Match[str]]:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not CONTROL.search(result.stderr + result.stdout), "a control character was echoed"
    found = list(POSITION.finditer(result.stderr))
    assert found, result.stderr
    return found


# --------------------------------------------------------------------------- §2 control characters

ESCAPES = {
    "nul": ("\\0", "U+0000"),
    "soh": ("\\x01", "U+0001"),
    "esc-sequence": ("\\e[31m", "U+001B"),
    "carriage-return": ("\\r", "U+000D"),
    "del": ("\\x7f", "U+007F"),
    "c1-csi": ("\\x9b", "U+009B"),
    "fffe": ("\\uFFFE", "U+FFFE"),
    "ffff": ("\\uffff", "U+FFFF"),
}


@pytest.mark.parametrize(("escape", "code_point"), ESCAPES.values(), ids=list(ESCAPES))
def test_control_characters_are_refused_at_their_escape(
    run_cli: RunCli, bundled_content: Path, escape: str, code_point: str
) -> None:
    """Before: validation passed; SCORM failed as a "plugin failure" without a position,
    HTML, Markdown and GIFT were written with the raw character."""
    course = bundled_content / "course.yaml"
    edit(course, "title: Product Management Career Paths", f'title: "Product {escape}Management"')
    line, column = line_of(course, escape)
    for command in (("validate",), ("export", "-f", "gift", "-f", "scorm12", "-f", "html")):
        result = run_cli(*command, "--content", str(bundled_content))
        [error] = errors(result)
        assert (int(error["line"]), int(error["column"])) == (line, column)
        assert code_point in error["msg"]
    assert not Path("exports").exists()


def test_control_characters_in_a_question_and_a_key(run_cli: RunCli, bundled_content: Path) -> None:
    kc = bundled_content / "knowledge-check.yaml"
    edit(
        kc,
        "prompt: Who is The Technical Product Manager track perfect for?",
        'prompt: "\\e]0;pwned\\aWho is The Technical Product Manager track perfect for?"',
    )
    edit(kc, "correct: true", '"corr\\x1bect": true')
    result = run_cli("validate", "--content", str(bundled_content))
    [error] = errors(result)  # the first refusal stops that file
    assert error["file"].endswith("knowledge-check.yaml") and "U+001B" in error["msg"]
    assert (int(error["line"]), int(error["column"])) == line_of(kc, "\\e]0")


def test_lone_surrogates_are_refused_with_a_hint(
    run_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = bundled_content / "course.yaml"
    edit(course, "title: Product Management Career Paths", 'title: "Paths \\ud83d\\ude80"')
    line, _ = line_of(course, "\\ud83d")
    # libyaml refuses the escape itself; say what to write instead.
    [error] = errors(run_cli("validate", "--content", str(bundled_content)))
    assert int(error["line"]) == line and "\\U0001F600" in error["msg"]
    # The pure-Python loader (used for deeply nested files) accepts it: refused after.
    monkeypatch.setattr(yaml_positions, "_Loader", yaml_positions.yaml.SafeLoader)
    [error] = errors(run_cli("validate", "--content", str(bundled_content)))
    assert int(error["line"]) == line and "U+D83D (a lone surrogate)" in error["msg"]


def test_a_title_never_reaches_the_terminal_raw(run_cli: RunCli, bundled_content: Path) -> None:
    edit(
        bundled_content / "course.yaml",
        "title: Product Management Career Paths",
        'title: "\\e[2J\\e[31mowned"',
    )
    for json_flag in ((), ("--json",)):
        result = run_cli("validate", "--content", str(bundled_content), *json_flag)
        assert "\x1b" not in result.stdout + result.stderr
        assert result.exit_code == 1


def test_a_control_character_in_a_file_name_is_escaped(
    run_cli: RunCli, tmp_path: Path, bundled_content: Path
) -> None:
    odd = tmp_path / "co\x1b[31mntent"
    bundled_content.rename(odd)
    edit(odd / "course.yaml", "mastery: 80", "mastery: 800")
    result = run_cli("validate", "--content", str(odd))
    errors(result)
    assert "co\\x1b[31mntent" in result.stderr


# --------------------------------------------------------------------------- §5 include entries


def test_a_nul_in_an_include_is_reported_at_the_entry(
    run_cli: RunCli, bundled_content: Path
) -> None:
    """Before: "internal error (ValueError: embedded null byte)"."""
    course = bundled_content / "course.yaml"
    edit(course, "  - guidance.yaml\n", '  - "guidance.yaml\\0.txt"\n')
    line, column = line_of(course, '"guidance.yaml')
    for flags in ((), ("--json",)):
        result = run_cli("validate", "--content", str(bundled_content), *flags)
        if flags:
            assert result.exit_code == 1
            [issue] = json.loads(result.stdout)["issues"]
            assert issue["line"] == line and "U+0000" in issue["message"]
        else:
            [error] = errors(result)
            assert int(error["line"]) == line and int(error["column"]) > column


def test_a_symlink_loop_is_reported_at_the_include_entry(
    run_cli: RunCli, bundled_content: Path
) -> None:
    """Before: "internal error (RuntimeError: Symlink loop from ...)"."""
    (bundled_content / "guidance.yaml").unlink()
    (bundled_content / "loop-a.yaml").symlink_to("loop-b.yaml")
    (bundled_content / "loop-b.yaml").symlink_to("loop-a.yaml")
    course = bundled_content / "course.yaml"
    edit(course, "  - guidance.yaml\n", "  - loop-a.yaml\n")
    [error] = errors(run_cli("validate", "--content", str(bundled_content)))
    assert (int(error["line"]), int(error["column"])) == line_of(course, "loop-a.yaml")
    assert "loop" in error["msg"]
    result = run_cli("validate", "--content", str(bundled_content), "--json")
    assert result.exit_code == 1 and not json.loads(result.stdout)["valid"]


def test_validate_json_prints_json_for_every_failure(
    run_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmkit.content import load

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(load, "load_course", crash)
    result = run_cli("validate", "--content", str(bundled_content), "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and data["valid"] is False
    assert "internal error (RuntimeError: a bug)" in data["issues"][0]["message"]


def test_content_naming_a_file_says_it_is_a_file(run_cli: RunCli, bundled_content: Path) -> None:
    """Before: "the content folder does not exist"."""
    result = run_cli("validate", "--content", str(bundled_content / "course.yaml"))
    assert result.exit_code == 1
    assert "is a file, not a folder" in result.stderr
    assert "does not exist" not in result.stderr
    assert "point --content at the folder holding it (content)" in result.stderr
    data = json.loads(
        run_cli("validate", "--content", str(bundled_content / "course.yaml"), "--json").stdout
    )
    assert "is a file" in data["issues"][0]["message"]


# --------------------------------------------------------------------------- §5 YAML 1.1 leftovers

LEFTOVERS = {
    # field, written value, words the message must hold
    "sexagesimal": ("mastery: 80", "mastery: 1:20", ["base-60", "80", '"1:20"']),
    "octal": ("mastery: 80", "mastery: 010", ["octal", "8", "10"]),
    "yes-as-text": ("language: en", "language: yes", ["true", '"yes"', "YAML 1.2"]),
    "off-as-text": ("language: en", "language: Off", ["false", '"Off"']),
    "underscore": ("mastery: 80", "mastery: 1_0", ["YAML 1.2", "`_`"]),
    "binary": ("mastery: 80", "mastery: 0b1010", ["binary", "10"]),
    "exponent": ("language: en", "language: 1e3", ["YAML 1.2", "quote"]),
}


@pytest.mark.parametrize(("old", "new", "words"), LEFTOVERS.values(), ids=list(LEFTOVERS))
def test_values_yaml_1_1_and_1_2_read_differently_are_refused(
    run_cli: RunCli, bundled_content: Path, old: str, new: str, words: list[str]
) -> None:
    """Before: `mastery: 1:20` was read as 80 and `010` as 8, silently."""
    course = bundled_content / "course.yaml"
    edit(course, old, new)
    [error] = errors(run_cli("validate", "--content", str(bundled_content)))
    assert (int(error["line"]), int(error["column"])) == line_of(course, new.split(": ")[1])
    for word in words:
        assert word in error["msg"]


def test_a_boolean_written_yes_is_refused_too(bundled_content: Path) -> None:
    edit(bundled_content / "knowledge-check.yaml", "correct: true", "correct: yes")
    with pytest.raises(ContentError) as exc:
        load_course(bundled_content)
    assert "write `true`" in exc.value.issues[0].message


@pytest.mark.parametrize("same", ["mastery: 0", "mastery: 07", "mastery: 0x50", "mastery: 8.0e+1"])
def test_values_both_versions_agree_on_still_load(bundled_content: Path, same: str) -> None:
    edit(bundled_content / "course.yaml", "mastery: 80", same)
    try:
        load_course(bundled_content)
    except ContentError as exc:  # a schema error is fine; a YAML 1.1/1.2 refusal is not
        assert all("YAML 1." not in i.message for i in exc.issues), exc.issues


# --------------------------------------------------------------------------- §5 long values


def test_a_huge_number_gives_a_short_message(run_cli: RunCli, bundled_content: Path) -> None:
    """Before: a 50,100-character message about a tag."""
    edit(bundled_content / "course.yaml", "mastery: 80", "mastery: " + "9" * 50_000)
    [error] = errors(run_cli("validate", "--content", str(bundled_content)))
    assert len(error[0]) < 300
    assert "tag" not in error["msg"] and "50,000" in error["msg"]


def test_a_huge_text_value_is_shortened_in_messages(run_cli: RunCli, bundled_content: Path) -> None:
    edit(bundled_content / "course.yaml", "language: en", "language: " + "x" * 50_000)
    edit(bundled_content / "knowledge-check.yaml", "type: single", "type: " + "s" * 50_000)
    found = errors(run_cli("validate", "--content", str(bundled_content)))
    assert len(found) == 2
    assert all(len(e[0]) < 400 for e in found)
    assert all("50,000 characters" in e["msg"] for e in found)


# --------------------------------------------------------------------------- §3 interrupted exports

BENCHMARK_QUESTIONS = 4000
WRITING = ("-f", "json", "-f", "markdown", "-f", "html")


@pytest.fixture(scope="module")
def big_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course large enough that its export takes a while (benchmarks/make_content.py)."""
    target = tmp_path_factory.mktemp("big") / "content"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "make_content.py"),
            str(BENCHMARK_QUESTIONS),
            str(target),
        ],
        check=True,
        capture_output=True,
    )
    return target


def start_export(content: Path, output: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PMKIT_NO_CACHE": "1"}
    return subprocess.Popen(
        [pmkit_command(), "export", "--content", str(content), "--output", str(output), *WRITING],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def stop_while_writing(proc: subprocess.Popen[bytes], output: Path, sig: int) -> Path:
    """Send ``sig`` as soon as a staging file exists; return that file."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        staged = [p for p in output.iterdir() if p.name.endswith(".tmp")]
        if staged:
            proc.send_signal(sig)
            proc.wait(60)
            return staged[0]
        assert proc.poll() is None, "the export finished before a staging file was seen"
        time.sleep(0.002)
    raise AssertionError("no staging file appeared")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_sigterm_while_writing_leaves_no_temp_file_and_the_old_output(
    big_course: Path, tmp_path: Path, bundled_content: Path
) -> None:
    """Before: SIGTERM killed pmkit mid-write and left multi-megabyte .tmp files."""
    output = tmp_path / "exports"
    first = subprocess.run(
        [
            pmkit_command(),
            "export",
            "--content",
            str(bundled_content),
            "--output",
            str(output),
            *WRITING,
        ],
        capture_output=True,
    )
    assert first.returncode == 0, first.stderr
    before = snapshot(output)
    proc = start_export(big_course, output)
    stop_while_writing(proc, output, signal.SIGTERM)
    assert proc.returncode == 143, proc.stderr.read() if proc.stderr else ""
    assert b"Traceback" not in (proc.stderr.read() if proc.stderr else b"")
    assert snapshot(output) == before  # no .tmp left, and the previous files untouched


def test_the_next_export_removes_what_kill_9_left_and_nothing_else(
    big_course: Path, tmp_path: Path, bundled_content: Path
) -> None:
    output = tmp_path / "exports"
    output.mkdir()
    proc = start_export(big_course, output)
    left = stop_while_writing(proc, output, signal.SIGKILL)
    assert left.exists(), "kill -9 cannot be caught: the staging file stays"
    live = output / f".x.json.pmkit-{os.getpid()}-abcdefgh.tmp"  # a running export's
    others = [
        output / name
        for name in (
            ".notes.tmp",
            "draft.tmp",
            ".x.json.12345678.tmp",
            ".x.json.pmkit-1-ABCDEFGH.tmp",
            "keep.json",
        )
    ]
    for path in [live, *others]:
        path.write_text("not pmkit's to remove", encoding="utf-8")
    dead_dir = output / f".d.pmkit-{proc.pid}-abcdefgh.tmp"
    dead_dir.mkdir()
    result = subprocess.run(
        [
            pmkit_command(),
            "export",
            "--content",
            str(bundled_content),
            "--output",
            str(output),
            "-f",
            "json",
        ],
        capture_output=True,
    )
    assert result.returncode == 0, result.stderr
    assert not left.exists()
    assert all(p.exists() for p in [live, *others, dead_dir])


def test_the_cli_gives_sigterm_back_when_it_returns(run_cli: RunCli, bundled_content: Path) -> None:
    """An in-process caller (this test runner) must still stop on SIGTERM afterwards."""
    before = signal.getsignal(signal.SIGTERM)
    assert run_cli("validate", "--content", str(bundled_content)).exit_code == 0
    assert signal.getsignal(signal.SIGTERM) is before
