"""Unit tests of the SCORM app's logic under Node, without a browser.

The state codec (``app-codec.js``) and the decision-tree logic (``app-tree.js``)
are pure functions of the package data, so ``tests/js/*.test.js`` load them
into a Node vm the way ``app.js`` runs them (docs/scorm-package.md, "How
app.js is built") and check them with ``node --test``. Here pytest exports the
bundled course, hands its ``course-data.js`` to those tests, and checks that
they ran, passed, and fail when the code they test is broken.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from browserkit import REPO_ROOT
from click.testing import Result

APP_DIR = REPO_ROOT / "plugins" / "pmkit_builtins" / "scorm" / "app"
JS_TESTS = sorted((REPO_ROOT / "tests" / "js").glob("*.test.js"))
NODE_TIMEOUT = 60  # seconds; the tests take well under one
MIN_TESTS = 20  # the count in tests/js/ when this was written: a lost file shows here


def node_binary() -> str:
    """The ``node`` executable, or a test failure saying how to get one."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "`node` (Node.js 20+) is not on PATH: the app's unit tests run under Node",
            pytrace=False,
        )
    return node


@pytest.fixture
def course_data(run_cli: Callable[..., Result], bundled_content: Path, tmp_path: Path) -> Path:
    """``course-data.js`` of the bundled course's SCORM package, unpacked."""
    result = run_cli(
        "export", "--format", "scorm", "--content", str(bundled_content), "--output", "exports"
    )
    assert result.exit_code == 0, result.output
    (package,) = (tmp_path / "exports").glob("*-scorm12.zip")
    target = tmp_path / "course-data.js"
    with zipfile.ZipFile(package) as zf:
        target.write_bytes(zf.read("course-data.js"))
    return target


def run_node_tests(course_data: Path, app_dir: Path = APP_DIR) -> tuple[int, dict[str, int], str]:
    """Run tests/js/*.test.js; return the exit code, the summary counts and the output."""
    assert JS_TESTS, "tests/js/*.test.js are missing"
    env = {**os.environ, "PMKIT_COURSE_DATA": str(course_data), "PMKIT_APP_DIR": str(app_dir)}
    result = subprocess.run(
        [node_binary(), "--test", *map(str, JS_TESTS)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=REPO_ROOT,
        timeout=NODE_TIMEOUT,
        check=False,
    )
    output = result.stdout + result.stderr
    counts = {
        key: int(value)
        for key, value in re.findall(
            r"^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$", output, re.M
        )
    }
    return result.returncode, counts, output


def test_the_codec_and_tree_tests_pass(course_data: Path) -> None:
    code, counts, output = run_node_tests(course_data)
    assert code == 0, output
    assert counts.get("tests", 0) >= MIN_TESTS, output
    assert counts["pass"] == counts["tests"], output
    assert counts["fail"] == counts["cancelled"] == counts["skipped"] == counts["todo"] == 0


@pytest.mark.parametrize(
    ("piece", "correct", "broken"),
    [
        # self-discovery "yes" written as "no"
        ("app-codec.js", 'sd += a === true ? "1"', 'sd += a === true ? "0"'),
        # a path is complete as soon as it has a step, even one that leads on
        (
            "app-tree.js",
            "return steps.length > 0 && !!steps[steps.length - 1].optionObj.track;",
            "return steps.length > 0;",
        ),
    ],
)
def test_the_node_tests_fail_on_broken_code(
    course_data: Path, tmp_path: Path, piece: str, correct: str, broken: str
) -> None:
    """The Node tests see a bug: run them on a copy of the app with one put in."""
    app = tmp_path / "app"
    shutil.copytree(APP_DIR, app)
    source = (app / piece).read_text(encoding="utf-8")
    assert source.count(correct) == 1, f"{piece} changed: update this test's mutation"
    (app / piece).write_text(source.replace(correct, broken), encoding="utf-8")
    code, counts, output = run_node_tests(course_data, app)
    assert code != 0, output
    assert counts.get("fail", 0) >= 1, output
