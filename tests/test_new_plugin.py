"""``pmkit new-plugin``: the scaffolded package works as generated.

Each kind is generated into a temporary folder through the CLI; its own test
suite then runs in a separate pytest process (with ``src/`` on the path, no
install needed), ruff checks it with pmkit's settings, and it is loaded
through a *real* entry point: a ``*.dist-info`` written from the generated
``pyproject.toml``, found by ``importlib.metadata`` as after ``pip install``.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

import pmkit
from pmkit.pluginhost.host import load_plugins

RunCli = Callable[..., Result]

REPO = Path(__file__).resolve().parent.parent
#: The name of each kind's plugin in these tests (unlike any real plugin's).
NAMES = {"exporter": "np-quiz-list", "scorer": "np-count-right"}
#: Modules of pmkit's documented plugin API besides the ``pmkit`` package itself.
PUBLIC_MODULES = {"pmkit.content", "pmkit.content.model", "pmkit.scoring.scorer", "pmkit.testing"}


def expected_tree(name: str, kind: str) -> list[str]:
    """Every file ``pmkit new-plugin NAME --kind KIND`` writes, sorted."""
    package = "pmkit_" + name.replace("-", "_")
    return sorted(
        [
            ".gitignore",
            "CHANGELOG.md",
            "README.md",
            "pyproject.toml",
            f"src/{package}/__init__.py",
            "tests/conftest.py",
            "tests/test_contract.py",
            f"tests/test_{kind}.py",
        ]
    )


def tree(folder: Path) -> list[str]:
    """The files under ``folder`` as sorted POSIX paths."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def clean_env() -> dict[str, str]:
    """The environment without settings that would change how pmkit or pytest behave."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PMKIT_", "PYTEST_")) and key != "PYTHONPATH"
    }


def generate(run_cli: RunCli, tmp_path: Path, kind: str) -> Path:
    """Generate the test plugin of ``kind`` with the CLI; its folder."""
    name = NAMES[kind]
    result = run_cli("new-plugin", name, "--kind", kind)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return tmp_path / f"pmkit-{name}"


@pytest.fixture(params=sorted(NAMES))
def generated(request: pytest.FixtureRequest, run_cli: RunCli, tmp_path: Path) -> Path:
    """A plugin package of each kind, generated with the CLI into ``tmp_path``."""
    return generate(run_cli, tmp_path, request.param)


def kind_of(folder: Path) -> str:
    """The kind a generated folder was made for (from its test file)."""
    return "exporter" if (folder / "tests" / "test_exporter.py").exists() else "scorer"


def pyproject(folder: Path) -> dict[str, object]:
    """The generated ``pyproject.toml``, parsed."""
    return tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))


def ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ruff in ``cwd``."""
    # The ruff installed with this Python (the test extra pins it); PATH may not have it.
    cmd = [sys.executable, "-m", "ruff"]
    return subprocess.run(
        [*cmd, "check", "--no-cache", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


# --------------------------------------------------------------------------- the package


def test_the_generated_tree(generated: Path) -> None:
    kind = kind_of(generated)
    assert tree(generated) == expected_tree(NAMES[kind], kind)
    for relative in tree(generated):
        text = (generated / relative).read_text(encoding="utf-8")
        assert not re.search(r"\$\{?\w", text), f"{relative} has an unfilled placeholder"
        assert text.endswith("\n") and not text.endswith("\n\n"), relative
        assert not re.search(r"[ \t]$", text, re.M), f"{relative} has trailing whitespace"


def test_the_generated_pyproject(generated: Path) -> None:
    name = NAMES[kind_of(generated)]
    package = "pmkit_" + name.replace("-", "_")
    data = pyproject(generated)
    project = data["project"]
    assert isinstance(project, dict)
    assert project["name"] == f"pmkit-{name}"
    assert project["version"] == "0.1.0"
    assert project["requires-python"] == ">=3.11"
    assert project["dependencies"] == [f"pmkit-courseware>={pmkit.__version__}"]
    assert project["optional-dependencies"] == {"test": ["pytest>=8"]}
    assert project["entry-points"] == {"pmkit": {name: package}}
    tool = data["tool"]
    assert isinstance(tool, dict)
    assert tool["pytest"]["ini_options"]["testpaths"] == ["tests"]


def test_the_generated_ruff_settings_are_pmkits(generated: Path) -> None:
    ours = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]
    theirs = pyproject(generated)["tool"]["ruff"]  # type: ignore[index]
    for key in ("line-length", "target-version"):
        assert theirs[key] == ours[key], key
    assert theirs["lint"]["select"] == ours["lint"]["select"]
    assert theirs["lint"]["ignore"] == ours["lint"]["ignore"]


def test_the_generated_tests_pass_as_generated(generated: Path) -> None:
    env = {**clean_env(), "PYTHONPATH": str(generated / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider"],
        cwd=generated,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no tests ran" not in output
    passed = re.findall(r"^tests/(test_\w+)\.py::\S+ PASSED", result.stdout, re.M)
    contract = "ExporterContract" if kind_of(generated) == "exporter" else "ScorerContract"
    suite = [
        n
        for n in dir(getattr(importlib.import_module("pmkit.testing"), contract))
        if n.startswith("test_")
    ]
    assert passed.count("test_contract") == len(suite), output
    assert passed.count(f"test_{kind_of(generated)}") >= 2, output
    assert not re.search(r"\b(SKIPPED|XFAIL|FAILED|ERROR)\b", result.stdout), output


def test_the_generated_code_is_ruff_clean(generated: Path) -> None:
    with_pmkits = ruff("--config", str(REPO / "pyproject.toml"), ".", cwd=generated)
    assert with_pmkits.returncode == 0, with_pmkits.stdout + with_pmkits.stderr
    with_its_own = ruff(".", cwd=generated)
    assert with_its_own.returncode == 0, with_its_own.stdout + with_its_own.stderr


def test_the_generated_code_uses_only_the_public_api(generated: Path) -> None:
    for path in generated.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        modules = re.findall(r"^\s*(?:from|import)\s+(pmkit\.[\w.]+)", text, re.M)
        assert set(modules) <= PUBLIC_MODULES, f"{path} imports pmkit internals {modules}"
        for names in re.findall(r"^from pmkit import ([\w, ]+)$", text, re.M):
            for name in (n.strip() for n in names.split(",")):
                assert name in pmkit.__all__ or f"pmkit.{name}" in PUBLIC_MODULES, (path, name)


def test_the_readme_and_changelog(generated: Path) -> None:
    name = NAMES[kind_of(generated)]
    readme = (generated / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# pmkit-{name}\n")
    for text in ("pip install -e .", "python -m pytest", f"pmkit-{name}", "pmkit plugins"):
        assert text in readme, text
    changelog = (generated / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Keep a Changelog" in changelog
    assert re.search(r"^## \[0\.1\.0\] - \d{4}-\d\d-\d\d$", changelog, re.M)
    conftest = (generated / "tests" / "conftest.py").read_text(encoding="utf-8")
    assert 'pytest_plugins = ["pmkit.testing"]' in conftest


# --------------------------------------------------------------------------- a real entry point


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], str]]:
    """ "Install" a generated package: its ``src/`` and a ``*.dist-info`` on ``sys.path``.

    The dist-info's METADATA and ``entry_points.txt`` come from the generated
    ``pyproject.toml``, so ``importlib.metadata`` finds the plugin exactly as it
    would after ``pip install``. The returned function gives the plugin's name;
    its modules are forgotten afterwards.
    """
    packages: list[str] = []

    def run(folder: Path) -> str:
        project = pyproject(folder)["project"]
        assert isinstance(project, dict)
        [(name, package)] = project["entry-points"]["pmkit"].items()
        dist, version = project["name"], project["version"]
        info = tmp_path / "site" / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(f"[pmkit]\n{name} = {package}\n", encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path / "site"))
        monkeypatch.syspath_prepend(str(folder / "src"))
        importlib.invalidate_caches()
        packages.append(package)
        return name

    yield run
    for module in [m for m in sys.modules if m.split(".")[0] in packages]:
        del sys.modules[module]
    importlib.invalidate_caches()


def test_the_plugin_loads_through_its_entry_point(
    generated: Path, install: Callable[[Path], str]
) -> None:
    name = install(generated)
    problems: list[str] = []
    host = load_plugins(warn=problems.append)
    assert problems == []
    [info] = [p for p in host.plugins if p.name == name]
    assert (info.distribution, info.version, info.builtin) == (f"pmkit-{name}", "0.1.0", False)
    if kind_of(generated) == "exporter":
        assert (info.exporters, info.scorers) == ([name], [])
        assert host.exporters[name].obj.kind == "text"
    else:
        assert (info.exporters, info.scorers) == ([], [name])
        assert host.scorers[name].obj.kind == "grade"


def test_the_installed_exporter_exports_with_the_cli(
    install: Callable[[Path], str], run_cli: RunCli, sample_course: Path, tmp_path: Path
) -> None:
    name = install(generate(run_cli, tmp_path, "exporter"))
    formats = run_cli("formats", name)
    assert formats.exit_code == 0, formats.output
    assert "answers (boolean, default false)" in formats.stdout
    result = run_cli(
        "export",
        "--format",
        name,
        "--content",
        str(sample_course),
        "--output",
        "out",
        "-o",
        "answers",
        "true",
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / f"sample-course-{name}.txt").read_text(encoding="utf-8")
    assert text.startswith("Knowledge Check\n\n1. Who is the Alpha track for?\n")
    assert text.count("   Answer: ") == 5


def test_the_installed_scorer_scores_with_the_cli(
    install: Callable[[Path], str], run_cli: RunCli, sample_course: Path, tmp_path: Path
) -> None:
    name = install(generate(run_cli, tmp_path, "scorer"))
    listing = run_cli("scorers")
    assert listing.exit_code == 0, listing.output
    assert name in listing.stdout
    answers = {
        "background": "builder",
        "kc-single": "first-letter",
        "kc-multiple": ["alpha"],
        "kc-true-false": True,
    }
    (tmp_path / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
    result = run_cli(
        "score",
        "--answers",
        "answers.json",
        "--scorer",
        name,
        "--json",
        "--content",
        str(sample_course),
    )
    assert result.exit_code == 0, result.output
    grade = json.loads(result.stdout)["grade"]
    assert (grade["scorer"], grade["points"], grade["max"], grade["percent"]) == (name, 2, 5, 40)
    statuses = [q["status"] for q in grade["questions"]]
    assert statuses == ["correct", "incorrect", "correct", "unanswered", "unanswered"]


# --------------------------------------------------------------------------- the command


def test_help(run_cli: RunCli) -> None:
    result = run_cli("new-plugin", "--help")
    assert result.exit_code == 0
    words = " ".join(result.stdout.split())  # the help is wrapped to the terminal's width
    for text in (
        "Usage: pmkit new-plugin [OPTIONS] NAME",
        "pmkit-NAME",
        "pmkit_NAME",
        "[exporter|scorer]",
        "--output DIR",
        "python -m pytest",
    ):
        assert text in words, text
    assert "new-plugin" in run_cli("--help").stdout


def test_default_folder_listing_and_next_steps(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("new-plugin", "csv-bank")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert tree(tmp_path / "pmkit-csv-bank") == expected_tree("csv-bank", "exporter")
    out = result.stdout
    assert out.startswith("Created the exporter plugin pmkit-csv-bank in pmkit-csv-bank:\n")
    for relative in expected_tree("csv-bank", "exporter"):
        assert f"\n  {relative}\n" in out, relative
    for step in (
        "cd pmkit-csv-bank",
        "python -m pip install -e '.[test]'",
        "python -m pytest",
        "pmkit plugins",
        "pmkit export --format csv-bank",
    ):
        assert step in out.split("Next steps:", 1)[1], step
    source = tmp_path / "pmkit-csv-bank" / "src" / "pmkit_csv_bank" / "__init__.py"
    assert "class CsvBankExporter(pmkit.Exporter):" in source.read_text(encoding="utf-8")


def test_scorer_next_steps_and_class_name(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("new-plugin", "count-correct", "-k", "scorer")
    assert result.exit_code == 0, result.output
    assert "pmkit score --answers FILE --scorer count-correct" in result.stdout
    source = tmp_path / "pmkit-count-correct" / "src" / "pmkit_count_correct" / "__init__.py"
    assert "class CountCorrectScorer(pmkit.Scorer):" in source.read_text(encoding="utf-8")


def test_output_folder_may_be_nested_or_empty(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("new-plugin", "x1", "--output", "a/b/plugin")
    assert result.exit_code == 0, result.output
    assert tree(tmp_path / "a" / "b" / "plugin") == expected_tree("x1", "exporter")
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["plugin"]
    (tmp_path / "empty").mkdir()
    result = run_cli("new-plugin", "x2", "-d", "empty")
    assert result.exit_code == 0, result.output
    assert tree(tmp_path / "empty") == expected_tree("x2", "exporter")


@pytest.mark.parametrize(
    "name",
    [
        "CSV",
        "csv_bank",
        "1csv",
        "-csv",
        "csv-",
        "csv--bank",
        "csv bank",
        "über",
        "",
        "a" * 65,
        "pmkit",
        "pmkit-csv",
    ],
)
def test_bad_names_are_refused(run_cli: RunCli, tmp_path: Path, name: str) -> None:
    result = run_cli("new-plugin", "--", name)  # `--`: "-csv" is a name here, not an option
    assert result.exit_code == 2
    assert "Error: Invalid value for NAME" in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_the_pmkit_prefix_hint(run_cli: RunCli) -> None:
    result = run_cli("new-plugin", "pmkit-csv")
    assert "`pmkit new-plugin csv` makes the distribution pmkit-csv" in result.stderr


def test_an_existing_folder_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "pmkit-csv-bank"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me\n", encoding="utf-8")
    result = run_cli("new-plugin", "csv-bank")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: pmkit-csv-bank already exists and is not empty; remove it "
        "or choose another folder with --output DIR\n"
    )
    assert tree(folder) == ["mine.txt"]
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = run_cli("new-plugin", "csv-bank", "--output", "file")
    assert result.exit_code == 2
    assert "file exists and is not a folder" in result.stderr


def test_a_failed_write_leaves_nothing(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    result = run_cli("new-plugin", "csv-bank")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: could not create pmkit-csv-bank: Permission denied")
    assert list(tmp_path.iterdir()) == []


def test_a_builtin_name_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("new-plugin", "json")
    assert result.exit_code == 2, result.output
    assert (
        "'json' is the name of pmkit's built-in plugin 'json_export' format; choose "
        "another NAME (e.g. json-plus)"
    ) in result.stderr
    assert not (tmp_path / "pmkit-json").exists()
    scorer = run_cli("new-plugin", "partial-credit", "--kind", "scorer")
    assert scorer.exit_code == 2
    assert (
        "'partial-credit' is the name of pmkit's built-in plugin 'scoring' scorer" in scorer.stderr
    )
    assert run_cli("new-plugin", "weighted").stderr == "", "exporters and scorers differ"
