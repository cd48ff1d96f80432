"""The JSON export: schema-valid (checked by jsonschema), complete, stable, faithful."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import Result

from pmkit.content import model as m
from pmkit.content.json_schema import export_schema
from pmkit.content.load import load_course
from pmkit.content.serialize import from_data, to_data

SEED_FACTS = Path(__file__).parent / "data" / "seed_facts.txt"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _export(run_cli: Callable[..., Result], content: Path, *options: str) -> dict[str, Any]:
    result = run_cli("export", "--format", "json", "--content", str(content), *options)
    assert result.exit_code == 0, result.stderr
    return json.loads(Path("exports/pm-career-paths.json").read_text(encoding="utf-8"))


def test_schema_is_a_valid_draft_2020_12_schema(run_cli: Callable[..., Result]) -> None:
    result = run_cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema == export_schema()
    # No invented URL for $id (docs/decisions.md §19); $schema names the public meta-schema.
    assert "$id" not in schema


@pytest.mark.parametrize("sources", ["false", "true"])
def test_export_validates_against_the_published_schema(
    run_cli: Callable[..., Result], bundled_content: Path, sources: str
) -> None:
    doc = _export(run_cli, bundled_content, "-o", "sources", sources)
    jsonschema.Draft202012Validator(export_schema()).validate(doc)
    assert doc["format"] == "pmkit-course/1"
    assert ("source" in doc["course"]) is (sources == "true")


def test_schema_rejects_what_the_model_forbids(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    doc = _export(run_cli, bundled_content)
    validator = jsonschema.Draft202012Validator(export_schema())
    broken = json.loads(json.dumps(doc))
    broken["course"]["tracks"][0]["colour"] = "red"
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(doc))
    broken["course"]["self_discovery"]["groups"][0]["questions"][0]["points"] = {"x": 9}
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(doc))
    broken["course"]["knowledge_check"]["questions"][0]["type"] = "essay"
    assert not validator.is_valid(broken)


def test_every_seed_fact_reaches_the_json_export(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    doc = _export(run_cli, bundled_content)
    texts = "\n".join(_strings(doc["course"]))
    facts = [
        line.strip()
        for line in SEED_FACTS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(facts) > 100
    missing = [fact for fact in facts if fact not in texts]
    assert missing == []


def test_export_carries_scoring_data_and_answer_keys(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    doc = _export(run_cli, bundled_content)
    scoring = doc["scoring"]
    assert scoring["tracks"] == ["technical-pm", "ux-pm", "strategic-pm"]
    assert scoring["mastery"] == 80
    assert len(scoring["self_discovery"]) == 8
    assert all(q["points"] for q in scoring["self_discovery"])
    keys = {k["id"]: k for k in scoring["knowledge_check"]}
    questions = doc["course"]["knowledge_check"]["questions"]
    assert set(keys) == {q["id"] for q in questions}
    for q in questions:
        if q["type"] in ("single", "multiple"):
            assert keys[q["id"]]["correct"] == [o["id"] for o in q["options"] if o["correct"]]
        elif q["type"] == "ordering":
            assert keys[q["id"]]["correct"] == [i["id"] for i in q["items"]]


def test_export_round_trips_to_an_equal_model(bundled_content: Path) -> None:
    course = load_course(bundled_content).course
    data = json.loads(json.dumps(to_data(course, sources=True)))
    assert from_data(m.Course, data) == course


def test_key_order_is_the_model_order(
    run_cli: Callable[..., Result], bundled_content: Path
) -> None:
    doc = _export(run_cli, bundled_content)
    assert list(doc) == ["format", "generator", "course", "scoring"]
    assert list(doc["course"])[:4] == ["format_version", "id", "title", "version"]


def test_hostile_text_survives_json(run_cli: Callable[..., Result], bundled_content: Path) -> None:
    hostile = '<script>alert(1)</script> ]]> "quotes" {}~=#: 🚀 مرحبا'
    path = bundled_content / "tracks" / "ux-pm.yaml"
    text = path.read_text(encoding="utf-8")
    quoted = json.dumps(hostile, ensure_ascii=False)
    path.write_text(text.replace("Drive UX improvements", quoted), encoding="utf-8")
    doc = _export(run_cli, bundled_content)
    assert hostile in doc["course"]["tracks"][1]["duties"]
