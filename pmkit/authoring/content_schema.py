"""JSON Schemas of the content files, generated from the cerberus schemas that validate them.

One schema document covers every file of a course: a file with a ``kind`` is
checked against that kind's definition, a file without one against
``course.yaml``'s; a knowledge-check question against its ``type``'s. Because
the definitions are translated from :mod:`pmkit.content.schema` (the rules
``pmkit validate`` applies), an editor and pmkit cannot disagree about a
field's name, type or bounds. Cross-file rules (ids that must exist, the tree
being reachable) are pmkit's alone: ``pmkit validate`` or ``pmkit preview``
report them.

The dialect is JSON Schema draft-07, the one YAML editors (the YAML language
server of VS Code and others) support best.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pmkit.content import schema as s

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_FILE = "pmkit-content.schema.json"
"""The file name ``pmkit new`` writes the schema to, beside the course's files."""

#: What a hover in an editor says about a top-level field (the rest is in docs/).
_DESCRIPTIONS: dict[str, str] = {
    "pmkit": "Content format version; always 1.",
    "id": "Lowercase letters, digits and hyphens; unique in the course.",
    "kind": "What this file holds: " + ", ".join(s.KINDS) + ".",
    "include": "The other files, relative to this folder; track files' order is the "
    "course's track order.",
    "mastery": "Knowledge-check pass mark in percent (default 80).",
    "points": "Track id -> whole number 0-5.",
    "type": "Question type: " + ", ".join(s.QUESTION_TYPES) + ".",
}


#: cerberus scalar type names -> JSON Schema's.
_JSON_TYPES = {"string": "string", "integer": "integer", "float": "number", "boolean": "boolean"}


def _pattern(regex: str) -> str:
    """A cerberus regex (matched whole, ending in ``\\Z``) as an anchored JSON Schema pattern."""
    body = regex.removesuffix(r"\Z")
    body = re.sub(r"\\d", "[0-9]", body)  # ECMA-262 \d is ASCII; Python's str \d is not
    return f"^(?:{body})$"


def translate(rules: Mapping[str, Any], name: str | None = None) -> dict[str, Any]:
    """One cerberus rule set as a JSON Schema."""
    out: dict[str, Any] = {}
    if name in _DESCRIPTIONS:
        out["description"] = _DESCRIPTIONS[name]
    kind = rules.get("type")
    if isinstance(kind, list):  # a scalar of any of these types
        out["type"] = [_JSON_TYPES[k] for k in kind]
    elif kind == "string":
        out["type"] = "string"
        if rules.get("empty") is False:
            out["minLength"] = 1
        if "maxlength" in rules:
            out["maxLength"] = rules["maxlength"]
        if "regex" in rules:
            out["pattern"] = _pattern(rules["regex"])
    elif kind == "integer":
        out["type"] = "integer"
    elif kind == "boolean":
        out["type"] = "boolean"
    elif kind == "list":
        out["type"] = "array"
        if "minlength" in rules:
            out["minItems"] = rules["minlength"]
        if "maxlength" in rules:
            out["maxItems"] = rules["maxlength"]
        if "schema" in rules:
            out["items"] = translate(rules["schema"])
    elif kind == "dict":
        out["type"] = "object"
        if "schema" in rules:
            out.update(record(rules["schema"]))
        if "keysrules" in rules:
            out["propertyNames"] = translate(rules["keysrules"])
        if "valuesrules" in rules:
            out["additionalProperties"] = translate(rules["valuesrules"])
    elif kind is not None:
        raise ValueError(f"no JSON Schema translation for cerberus type {kind!r}")
    if "min" in rules:
        out["minimum"] = rules["min"]
    if "max" in rules:
        out["maximum"] = rules["max"]
    if "allowed" in rules:
        allowed = list(rules["allowed"])
        out["enum"] = allowed
    known = {
        "type",
        "empty",
        "maxlength",
        "minlength",
        "regex",
        "schema",
        "keysrules",
        "valuesrules",
        "min",
        "max",
        "allowed",
        "required",
    }
    unknown = set(rules) - known
    if unknown:
        raise ValueError(f"no JSON Schema translation for cerberus rules {sorted(unknown)}")
    return out


def record(fields: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """A cerberus mapping schema as ``properties``/``required``, unknown fields refused."""
    out: dict[str, Any] = {
        "properties": {key: translate(rules, key) for key, rules in fields.items()},
        "additionalProperties": False,
    }
    required = [key for key, rules in fields.items() if rules.get("required")]
    if required:
        out["required"] = required
    return out


def _file(fields: Mapping[str, Mapping[str, Any]], title: str) -> dict[str, Any]:
    return {"title": title, "type": "object", **record(fields)}


def _question_schema(kind: str) -> dict[str, Any]:
    fields = dict(s.QUESTION_SCHEMAS[kind])
    fields["type"] = {**fields["type"], "allowed": [kind]}
    return _file(fields, f"A `{kind}` knowledge-check question")


def _dispatch(
    field: str, choices: Mapping[str, str], otherwise: str | None = None
) -> list[dict[str, Any]]:
    """``if field == value then $ref`` for each choice (editors report the chosen branch)."""
    branches: list[dict[str, Any]] = [
        {
            "if": {"properties": {field: {"const": value}}, "required": [field]},
            "then": {"$ref": ref},
        }
        for value, ref in choices.items()
    ]
    if otherwise is not None:
        branches.append({"if": {"not": {"required": [field]}}, "then": {"$ref": otherwise}})
    return branches


def content_schema() -> dict[str, Any]:
    """The JSON Schema every content file (``course.yaml`` and each included file) meets."""
    definitions: dict[str, Any] = {"course": _file(s.COURSE_SCHEMA, "course.yaml")}
    for kind, fields in s.SCHEMAS_BY_KIND.items():
        schema = _file(fields, f"A `kind: {kind}` file")
        schema["properties"]["kind"] = {**schema["properties"]["kind"], "enum": [kind]}
        definitions[kind] = schema
    for kind in s.QUESTION_SCHEMAS:
        definitions[f"question-{kind}"] = _question_schema(kind)
    questions = definitions["knowledge-check"]["properties"]["questions"]
    questions["items"] = {
        "type": "object",
        "required": ["type"],
        "properties": {"type": translate(s.QUESTION_SCHEMAS["single"]["type"], "type")},
        "allOf": _dispatch("type", {k: f"#/definitions/question-{k}" for k in s.QUESTION_SCHEMAS}),
    }
    return {
        "$schema": DRAFT,
        "title": "pmkit course content (pmkit: 1)",
        "description": "A course.yaml or a file it includes (see docs/content-format.md). "
        "Generated from pmkit's validation schemas; cross-file rules are "
        "checked by `pmkit validate`.",
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": list(s.KINDS), "description": _DESCRIPTIONS["kind"]}
        },
        "allOf": _dispatch(
            "kind",
            {k: f"#/definitions/{k}" for k in s.SCHEMAS_BY_KIND},
            otherwise="#/definitions/course",
        ),
        "definitions": definitions,
    }


def schema_text() -> str:
    """:func:`content_schema` as the JSON text written to files (stable, LF, final newline)."""
    import json

    return json.dumps(content_schema(), indent=2, ensure_ascii=False) + "\n"
