"""The schema fast path (pmkit.content.schema.fast_check) never accepts what cerberus refuses.

Every message comes from cerberus; the fast path only spares it the valid
documents. So the one property that matters: whenever the fast path says
"valid", cerberus agrees -- checked on the bundled course and on thousands of
mutations of it. And it must actually be taken for valid content, or it is
no faster.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmkit.content import schema as s

CONTENT = Path(__file__).resolve().parent.parent / "content"

#: Replacement values: every type, nulls, empties, bounds, patterns, long text.
VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    1,
    -1,
    5,
    6,
    100,
    101,
    1.5,
    "",
    " ",
    "x",
    "x-y",
    "X Y",
    "1.0.0",
    "en",
    "https://example.org/a",
    "x" * 201,
    "x" * 20_001,
    "single",
    "track",
    [],
    ["x"],
    [1],
    [{}],
    {},
    {"x": 1},
    {"technical-pm": 3},
    {"technical-pm": 9},
    {"Bad Id": 1},
    {"technical-pm": True},
)


def documents() -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(schema name, schema, document) for every file and question of the bundled course."""
    course = yaml.safe_load((CONTENT / "course.yaml").read_text(encoding="utf-8"))
    yield "course", s.COURSE_SCHEMA, course
    for rel in course["include"]:
        doc = yaml.safe_load((CONTENT / rel).read_text(encoding="utf-8"))
        yield doc["kind"], s.SCHEMAS_BY_KIND[doc["kind"]], doc
        if doc["kind"] == "guidance":  # with sections of its own and optional parts left out
            own = {k: v for k, v in doc.items() if k not in ("tracks_intro", "closing")}
            own["sections"] = [
                {"id": "own", "heading": "Our own", "text": "Text.", "place": "tracks"},
                {"id": "own-2", "heading": "More", "text": "More text."},
            ]
            yield "guidance-own", s.GUIDANCE_SCHEMA, own
        if doc["kind"] == "knowledge-check":
            for q in doc["questions"]:
                yield f"question:{q['type']}", s.QUESTION_SCHEMAS[q["type"]], q


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):  # a few items are enough
            yield from paths(v, (*prefix, i))


def mutations(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every path set to every value in VALUES, deleted, or given an unknown sibling."""
    for path in list(paths(doc))[1:]:
        *parent_path, last = path
        for new in (*VALUES, "<delete>", "<unknown>"):
            mutated = copy.deepcopy(doc)
            parent = mutated
            for step in parent_path:
                parent = parent[step]
            if new == "<delete>":
                del parent[last]
            elif new == "<unknown>":
                if not isinstance(parent, dict):
                    continue
                parent["unknown-field"] = "x"
            else:
                parent[last] = copy.deepcopy(new)
            yield mutated


def cerberus_accepts(schema: dict[str, Any], document: Any) -> bool:
    return bool(s.ContentValidator(schema, allow_unknown=False).validate(document, normalize=False))


def test_every_content_schema_has_a_fast_path() -> None:
    for schema in (s.COURSE_SCHEMA, *s.SCHEMAS_BY_KIND.values(), *s.QUESTION_SCHEMAS.values()):
        assert s.fast_check(schema) is not None


def test_valid_content_takes_the_fast_path() -> None:
    for name, schema, doc in documents():
        check = s.fast_check(schema)
        assert check is not None and check(doc), name


@pytest.mark.parametrize(
    "name",
    [
        "course",
        "track",
        "self-discovery",
        "decision-tree",
        "guidance",
        "guidance-own",
        "question:single",
        "question:multiple",
        "question:true-false",
        "question:matching",
        "question:ordering",
    ],
)
def test_fast_path_never_accepts_what_cerberus_refuses(name: str) -> None:
    found = [(schema, doc) for n, schema, doc in documents() if n == name]
    assert found, f"the bundled course has no {name}"
    schema, doc = found[0]
    check = s.fast_check(schema)
    assert check is not None
    accepted = refused = 0
    for mutated in mutations(doc):
        if check(mutated):
            accepted += 1
            assert cerberus_accepts(schema, mutated), mutated
        else:
            refused += 1
            # The slow path is cerberus itself, so a refusal costs time, never a message.
    assert accepted and refused


def test_an_unknown_rule_leaves_every_document_to_cerberus() -> None:
    assert s.fast_check({"x": {"type": "string", "nullable": True}}) is None
    assert s.fast_check({"x": {"type": "float"}}) is None
    assert s.fast_check({"x": {"required": True}}) is None
