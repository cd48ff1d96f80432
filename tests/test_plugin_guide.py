"""The plugin guide's examples run as written (docs/plugins.md).

The Python blocks of the guide are put together the way a plugin author would
paste them: the hooks, the exporter, the scorer, the validation rule and the
asset snippet into one plugin module; the conftest and the contract-suite
classes into its tests. pmkit loads the plugin, and the contract suites run on
it in their own pytest process.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pmkit
from pmkit.testing import plugin_host

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"


def python_blocks() -> list[str]:
    """Every ```python block of the guide, in order."""
    return re.findall(r"^```python\n(.*?)^```$", GUIDE.read_text(encoding="utf-8"), re.M | re.S)


def is_test_code(block: str) -> bool:
    return "pytest_plugins" in block or "from pmkit.testing import" in block


@pytest.fixture
def guide_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The guide's plugin as a package `pmkit_guide_example` in ``tmp_path``; its tests beside."""
    blocks = python_blocks()
    package = tmp_path / "pmkit_guide_example"
    (package / "assets").mkdir(parents=True)
    (package / "assets" / "style.css").write_text("body { margin: 0 }\n", encoding="utf-8")
    source = "\n\n".join(b for b in blocks if not is_test_code(b))
    (package / "__init__.py").write_text(source, encoding="utf-8")
    tests = tmp_path / "tests"
    tests.mkdir()
    conftest, suites = [b for b in blocks if is_test_code(b)]
    (tests / "conftest.py").write_text(conftest, encoding="utf-8")
    (tests / "test_contracts.py").write_text(
        "from pmkit_guide_example import CountCorrect, CsvBankExporter\n\n" + suites,
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_the_guide_has_the_examples_this_test_assembles() -> None:
    blocks = python_blocks()
    assert len(blocks) == 8
    assert sum(map(is_test_code, blocks)) == 2


def test_pmkit_loads_the_guides_plugin_without_a_problem(guide_plugin: Path) -> None:
    import importlib

    module = importlib.import_module("pmkit_guide_example")
    problems: list[str] = []
    host = plugin_host(module, warn=problems.append)
    assert problems == []
    assert set(host.exporters) == {"csv-bank"} and set(host.scorers) == {"count-correct"}
    assert [rule.name for rule in host.rules] == ["enough-skills"]
    assert module.css == "body { margin: 0 }\n"


def test_the_guides_rule_reports_a_warning_at_the_track(guide_plugin: Path) -> None:
    import importlib

    from pmkit.testing import sample_course_path

    module = importlib.import_module("pmkit_guide_example")
    host = plugin_host(module, warn=pytest.fail)
    loaded = pmkit.load_course(sample_course_path(), rules=host.rules)
    warned = [i for i in loaded.warnings if "fewer than 5 key skills" in i.message]
    short = [t for t in loaded.course.tracks if len(t.key_skills) < 5]
    assert short, "the sample course should have a track the rule flags"
    assert [(i.file, i.line) for i in warned] == [(t.source.file, t.source.line) for t in short]
    assert all(i.severity == "warning" for i in warned)


def test_the_guides_own_texts_follow_the_course_language(guide_plugin: Path) -> None:
    import dataclasses
    import importlib

    from pmkit.testing import sample_course_path

    module = importlib.import_module("pmkit_guide_example")
    course = pmkit.load_course(sample_course_path()).course
    assert module.header_line(course) == f"Question bank of {course.title}"
    spanish = dataclasses.replace(course, language="es-AR")
    assert module.header_line(spanish) == f"Banco de preguntas de {course.title}"


def test_the_guides_contract_suites_pass(guide_plugin: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=guide_plugin,
        capture_output=True,
        text=True,
        timeout=300,
        env=_env(guide_plugin),
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert re.search(r"\b1[0-9] passed\b", result.stdout), result.stdout[-500:]


def _env(root: Path) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    return env


def test_blocks_are_python_that_compiles() -> None:
    for block in python_blocks():
        compile(textwrap.dedent(block), str(GUIDE), "exec")
