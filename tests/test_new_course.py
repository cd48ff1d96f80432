"""`pmkit new`: the teaching scaffold and the round trip through a JSON export."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import pmkit
from pmkit.authoring import scaffold
from pmkit.authoring.content_schema import SCHEMA_FILE

REPO = Path(__file__).resolve().parent.parent
RunCli = Callable[..., Result]


def test_new_course_is_valid_and_complete(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("new", "my-course")
    assert result.exit_code == 0, result.output
    course = pmkit.load_course(tmp_path / "my-course").course
    assert course.id == "my-course"
    assert len(course.tracks) == 2
    assert len(course.self_discovery.questions) >= 3
    assert len(course.decision_tree.nodes) >= 2
    types = {q.type for q in course.knowledge_check.questions}
    assert types == {"single", "multiple", "true-false", "matching", "ordering"}
    lines = result.stdout.splitlines()
    steps = lines[lines.index("Next:") + 1 :]
    assert [line.split()[1] for line in steps] == ["preview", "validate", "export"]
    assert "pmkit export --format scorm --content my-course" in steps[2]


def test_every_file_names_the_schema_beside_it(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("new", "c").exit_code == 0
    root = tmp_path / "c"
    assert (root / SCHEMA_FILE).is_file()
    for path in root.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target == (root / SCHEMA_FILE).resolve(), path


def test_every_scaffold_file_teaches_with_comments() -> None:
    for name in scaffold.COURSE_FILES:
        text = (REPO / "pmkit" / "data" / "new-course" / name).read_text(encoding="utf-8")
        comments = [line for line in text.splitlines() if "#" in line]
        assert len(comments) >= 2, name


def test_output_is_deterministic(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("new", "a/Intro to Data!").exit_code == 0
    assert run_cli("new", "b/Intro to Data!").exit_code == 0
    first, second = tmp_path / "a" / "Intro to Data!", tmp_path / "b" / "Intro to Data!"
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names == sorted(
        p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()
    )
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert pmkit.load_course(first).course.id == "intro-to-data"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("my-course", "my-course"),
        ("My Course 2", "my-course-2"),
        ("___", "my-course"),
        ("é", "my-course"),
        ("x" * 80, "x" * 64),
    ],
)
def test_course_id_from_folder_name(name: str, expected: str) -> None:
    assert scaffold.course_id_for(name) == expected
    assert pmkit.is_id(scaffold.course_id_for(name))


def test_a_non_empty_folder_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("new", "busy")
    assert result.exit_code == 2
    assert "not empty" in result.stderr
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert run_cli("new", "file").exit_code == 2


def test_an_empty_folder_is_filled(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run_cli("new", "empty").exit_code == 0
    assert (tmp_path / "empty" / "course.yaml").is_file()


@pytest.mark.parametrize("source", ["content", "sample", "scorer-options"])
def test_round_trip_through_json(run_cli: RunCli, tmp_path: Path, source: str) -> None:
    """course → JSON → `new --from-json` → validate → JSON again is equal."""
    root = REPO / "pmkit" / "data" / "sample-course" if source == "sample" else REPO / "content"
    shutil.copytree(root, tmp_path / "original")
    if source == "scorer-options":
        course_yaml = tmp_path / "original" / "course.yaml"
        text = course_yaml.read_text(encoding="utf-8").replace(
            "  grade: partial-credit\n",
            "  grade: partial-credit\n  options:\n    partial-credit:\n      mastery: 70\n"
            "    all-or-nothing:\n      mastery: 90\n",
        )
        assert "mastery: 90" in text
        course_yaml.write_text(text, encoding="utf-8")
    assert run_cli("export", "-f", "json", "--content", "original", "-d", "one").exit_code == 0
    exported = next((tmp_path / "one").glob("*.json"))
    result = run_cli("new", "again", "--from-json", str(exported))
    assert result.exit_code == 0, result.output
    assert run_cli("validate", "--content", "again").exit_code == 0
    assert run_cli("export", "-f", "json", "--content", "again", "-d", "two").exit_code == 0
    assert json.loads((tmp_path / "two" / exported.name).read_text(encoding="utf-8")) == json.loads(
        exported.read_text(encoding="utf-8")
    )
    # Positions aside, the recreated course is the same model.
    first = pmkit.to_data(pmkit.load_course(tmp_path / "original").course)
    second = pmkit.to_data(pmkit.load_course(tmp_path / "again").course)
    assert first == second


def test_from_json_refuses_what_is_not_an_export(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"format": "pmkit-course/1",\n  oops}', encoding="utf-8")
    result = run_cli("new", "x", "--from-json", "broken.json")
    assert result.exit_code == 1
    assert result.stderr.startswith("broken.json:2:3: error: not valid JSON")
    assert not (tmp_path / "x").exists()
    (tmp_path / "other.json").write_text('{"format": "something/1"}', encoding="utf-8")
    result = run_cli("new", "x", "--from-json", "other.json")
    assert result.exit_code == 1
    assert "not a pmkit JSON export" in result.stderr
    (tmp_path / "partial.json").write_text(
        '{"format": "pmkit-course/1", "course": {}}', encoding="utf-8"
    )
    result = run_cli("new", "x", "--from-json", "partial.json")
    assert result.exit_code == 1
    assert "incomplete or damaged" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()


def test_from_json_never_writes_outside_the_folder(run_cli: RunCli, tmp_path: Path) -> None:
    assert (
        run_cli("export", "-f", "json", "--content", str(REPO / "content"), "-d", "one").exit_code
        == 0
    )
    exported = next((tmp_path / "one").glob("*.json"))
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["course"]["tracks"][0]["id"] = "../../escape"
    exported.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("new", "x", "--from-json", str(exported))
    assert result.exit_code == 1
    assert not (tmp_path / "x").exists()
    assert not list(tmp_path.rglob("escape*"))
