"""The content JSON Schema (`pmkit schema --content`): generated from the cerberus schemas,
valid for the bundled course, the sample course and the scaffold, invalid for broken files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import Result

from pmkit.authoring.content_schema import SCHEMA_FILE, content_schema, schema_text
from pmkit.content import schema as cerberus_schemas

REPO = Path(__file__).resolve().parent.parent
RunCli = Callable[..., Result]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = content_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def _errors(validator: jsonschema.Draft7Validator, data: Any) -> list[str]:
    return [error.message for error in validator.iter_errors(data)]


def _course_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.yaml"))


@pytest.mark.parametrize(
    "root", [REPO / "content", REPO / "pmkit" / "data" / "sample-course"], ids=["bundled", "sample"]
)
def test_real_courses_are_valid(validator: jsonschema.Draft7Validator, root: Path) -> None:
    files = _course_files(root)
    assert len(files) >= 7
    for path in files:
        assert _errors(validator, yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path


def test_the_scaffold_is_valid(
    validator: jsonschema.Draft7Validator, run_cli: RunCli, tmp_path: Path
) -> None:
    assert run_cli("new", "course").exit_code == 0
    files = _course_files(tmp_path / "course")
    assert len(files) == 7
    for path in files:
        assert _errors(validator, yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path
    written = json.loads((tmp_path / "course" / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert written == content_schema()


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((REPO / "content" / name).read_text(encoding="utf-8"))


BROKEN: dict[str, tuple[str, Callable[[dict[str, Any]], None]]] = {
    "unknown course field": ("course.yaml", lambda d: d.update(titel="x")),
    "missing course field": ("course.yaml", lambda d: d.pop("language")),
    "version not semver": ("course.yaml", lambda d: d.update(version="1.0")),
    "version as a number": ("course.yaml", lambda d: d.update(version=1.0)),
    "mastery above 100": ("course.yaml", lambda d: d.update(mastery=101)),
    "format version 2": ("course.yaml", lambda d: d.update(pmkit=2)),
    "bad id": ("tracks/ux-pm.yaml", lambda d: d.update(id="UX PM")),
    "unknown kind": ("tracks/ux-pm.yaml", lambda d: d.update(kind="trak")),
    "too few progression steps": (
        "tracks/ux-pm.yaml",
        lambda d: d.update(progression=["only one"]),
    ),
    "http course url": (
        "tracks/ux-pm.yaml",
        lambda d: d["courses"][0].update(url="http://example.org"),
    ),
    "points above 5": (
        "self-discovery.yaml",
        lambda d: d["groups"][0]["questions"][0]["points"].update({"ux-pm": 6}),
    ),
    "points as text": (
        "self-discovery.yaml",
        lambda d: d["groups"][0]["questions"][0].update(points="two"),
    ),
    "empty text": ("guidance.yaml", lambda d: d.update(closing="")),
    "unknown question type": (
        "knowledge-check.yaml",
        lambda d: d["questions"][0].update(type="essay"),
    ),
    "true-false without answer": (
        "knowledge-check.yaml",
        lambda d: next(q for q in d["questions"] if q["type"] == "true-false").pop("answer"),
    ),
    "choice field on a true-false question": (
        "knowledge-check.yaml",
        lambda d: next(q for q in d["questions"] if q["type"] == "true-false").update(options=[]),
    ),
    "one option": (
        "knowledge-check.yaml",
        lambda d: d["questions"][0].update(options=d["questions"][0]["options"][:1]),
    ),
    "boolean as points": (
        "decision-tree.yaml",
        lambda d: d["nodes"][0]["options"][0]["points"].update({"technical-pm": True}),
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_are_invalid(validator: jsonschema.Draft7Validator, case: str) -> None:
    name, breaking = BROKEN[case]
    data = _load(name)
    assert _errors(validator, data) == []
    breaking(data)
    assert _errors(validator, data), case


def test_every_cerberus_field_is_in_the_schema() -> None:
    """The translation covers every kind and every question type (no drift)."""
    definitions = content_schema()["definitions"]
    assert set(definitions["course"]["properties"]) == set(cerberus_schemas.COURSE_SCHEMA)
    for kind, fields in cerberus_schemas.SCHEMAS_BY_KIND.items():
        assert set(definitions[kind]["properties"]) == set(fields), kind
        required = {k for k, rule in fields.items() if rule.get("required")}
        assert set(definitions[kind]["required"]) == required, kind
    for kind, fields in cerberus_schemas.QUESTION_SCHEMAS.items():
        assert set(definitions[f"question-{kind}"]["properties"]) == set(fields), kind


def test_cli_prints_and_writes(run_cli: RunCli, tmp_path: Path) -> None:
    printed = run_cli("schema", "--content")
    assert printed.exit_code == 0
    assert printed.stdout == schema_text()
    written = run_cli("schema", "--content", "--output", "content.schema.json")
    assert written.exit_code == 0, written.output
    assert (tmp_path / "content.schema.json").read_text(encoding="utf-8") == schema_text()
    export = run_cli("schema")
    assert json.loads(export.stdout)["title"] != content_schema()["title"]
