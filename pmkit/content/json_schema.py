"""The JSON Schema of the JSON export (``"format": "pmkit-course/1"``).

Derived from the model's dataclasses and type hints, so a field added to the
model appears in the schema with no second edit; the constraints a type hint
cannot say (id patterns, point and percent bounds) are added by field name.
``pmkit schema`` prints it; tests validate every JSON export against it.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, cast

from pmkit.content import model as m
from pmkit.content.schema import MAX_POINTS, SEMVER_PATTERN
from pmkit.content.serialize import added_fields
from pmkit.ids import ID_PATTERN

JSON_FORMAT = FORMAT = "pmkit-course/1"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

_ID = {"type": "string", "pattern": f"^{ID_PATTERN}$"}
_ID_FIELDS = {"id", "start", "next", "track"}
_POINTS = {
    "type": "object",
    "propertyNames": _ID,
    "additionalProperties": {"type": "integer", "minimum": 0, "maximum": MAX_POINTS},
}
_FIELD_OVERRIDES: dict[tuple[str, str], dict[str, Any]] = {
    ("Course", "format_version"): {"const": 1},
    ("Course", "mastery"): {"type": "integer", "minimum": 0, "maximum": 100},
    ("Course", "version"): {"type": "string", "pattern": f"^{SEMVER_PATTERN}$"},
    ("KnowledgeQuestion", "tracks"): {"type": "array", "items": _ID},
}


def _field_schema(owner: str, name: str, tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    question_classes = {c.__name__ for c in m.QUESTION_CLASSES.values()}
    family = "KnowledgeQuestion" if owner in question_classes else owner
    if (family, name) in _FIELD_OVERRIDES:
        return _FIELD_OVERRIDES[(family, name)]
    if name in _ID_FIELDS and tp in (str, str | None):
        return _ID if tp is str else {"anyOf": [_ID, {"type": "null"}]}
    return _type_schema(tp, defs)


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp == m.Points:
        return _POINTS
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(tp))}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(typing.get_args(tp)[0], defs)}
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_type_schema(a, defs) for a in typing.get_args(tp)]}
    if tp is type(None):
        return {"type": "null"}
    if tp is m.KnowledgeQuestion:
        classes = sorted(set(m.QUESTION_CLASSES.values()), key=lambda c: c.__name__)
        return {"oneOf": [_ref(c, defs) for c in classes]}
    if dataclasses.is_dataclass(tp):
        return _ref(cast(type, tp), defs)
    raise TypeError(f"no JSON Schema mapping for {tp!r}")  # pragma: no cover


def _ref(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    name = cls.__name__
    if name not in defs:
        defs[name] = {}  # placeholder: breaks recursion
        hints = typing.get_type_hints(cls, vars(m))
        props: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            props[f.name] = _field_schema(name, f.name, hints[f.name], defs)
        types_of = [k for k, v in m.QUESTION_CLASSES.items() if v is cls]
        if types_of:
            props["type"] = {"enum": types_of}
        schema: dict[str, Any] = {
            "type": "object",
            "properties": props,
            # `source` is present only when exported with positions, an added field
            # only when it is not at its default (model.ADDED_FIELD).
            "required": [
                f.name
                for f in dataclasses.fields(cls)
                if f.name != "source" and f.name not in added_fields(cls)
            ],
            "additionalProperties": False,
        }
        if cls.__doc__:
            schema["description"] = " ".join(cls.__doc__.split())
        defs[name] = schema
    return {"$ref": f"#/$defs/{name}"}


def _scoring_schema() -> dict[str, Any]:
    ids = {"type": "array", "items": _ID}
    answer_key = {
        "type": "object",
        "required": ["id", "type", "correct"],
        "properties": {
            "id": _ID,
            "type": {"enum": list(dict.fromkeys(m.QUESTION_CLASSES))},
            "options": ids,
            "answers": ids,
            "correct": {
                "anyOf": [{"type": "boolean"}, ids, {"type": "object", "additionalProperties": _ID}]
            },
        },
        "additionalProperties": False,
    }
    option = {
        "type": "object",
        "required": ["id", "points", "next", "track"],
        "properties": {
            "id": _ID,
            "points": _POINTS,
            "next": {"anyOf": [_ID, {"type": "null"}]},
            "track": {"anyOf": [_ID, {"type": "null"}]},
        },
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "description": "What a scorer or its browser twin needs, derived from the course.",
        "required": [
            "tracks",
            "mastery",
            "scorers",
            "self_discovery",
            "decision_tree",
            "knowledge_check",
        ],
        "properties": {
            "tracks": ids,
            "mastery": {"type": "integer", "minimum": 0, "maximum": 100},
            "scorers": {
                "type": "object",
                "required": ["recommendation", "grade"],
                "properties": {"recommendation": _ID, "grade": _ID},
                "additionalProperties": False,
            },
            "self_discovery": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "points"],
                    "properties": {"id": _ID, "points": _POINTS},
                    "additionalProperties": False,
                },
            },
            "decision_tree": {
                "type": "object",
                "required": ["start", "nodes"],
                "properties": {
                    "start": _ID,
                    "nodes": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "options"],
                            "properties": {
                                "id": _ID,
                                "options": {"type": "array", "items": option},
                            },
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
            "knowledge_check": {"type": "array", "items": answer_key},
        },
        "additionalProperties": False,
    }


def export_schema() -> dict[str, Any]:
    """The JSON Schema every ``pmkit export --format json`` file conforms to."""
    defs: dict[str, Any] = {}
    course_ref = _ref(m.Course, defs)
    defs["ScoringTable"] = _scoring_schema()
    return {
        "$schema": DRAFT,
        "title": "pmkit course export (pmkit-course/1)",
        "description": "A whole validated pmkit course with its scoring table, as written by "
        "`pmkit export --format json`.",
        "type": "object",
        "required": ["format", "generator", "course", "scoring"],
        "properties": {
            "format": {"const": FORMAT},
            "generator": {
                "type": "object",
                "required": ["name", "version"],
                "properties": {"name": {"const": "pmkit"}, "version": {"type": "string"}},
                "additionalProperties": False,
            },
            "course": course_ref,
            "scoring": {"$ref": "#/$defs/ScoringTable"},
        },
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }
