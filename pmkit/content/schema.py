"""Cerberus schemas, one per kind of content file, and readable error messages.

Normalisation is off everywhere (defaults are applied when the model is
built): it is the costliest part of cerberus and content needs none of it.
Knowledge-check questions are validated one by one with a schema chosen by
their ``type``, so a question of one type gets messages about that type only.

cerberus is the validator: every message comes from its errors. But a valid
document -- nearly every document, nearly every time -- needs no message, and
cerberus takes about 0.13 ms per question to say so (1.35 s for 10,000, and
it leaves cyclic garbage behind). :func:`fast_check` compiles a schema into
plain Python predicates that answer "valid" only where cerberus certainly
would; anything else (an error, or a value the predicates are unsure of) goes
to cerberus, so every message and position is cerberus's, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

import cerberus
from cerberus.errors import ValidationError

from pmkit.content.text import shown
from pmkit.ids import ID_PATTERN
from pmkit.suggest import closest

SEMVER_PATTERN = r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?"
LANGUAGE_PATTERN = r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*"
HTTPS_PATTERN = r"https://[^\s<>\"]+"

KINDS = ("track", "self-discovery", "decision-tree", "guidance", "knowledge-check")
QUESTION_TYPES = ("single", "multiple", "true-false", "matching", "ordering")
MAX_POINTS = 5
MAX_OPTIONS = 26


def _req(rule: dict[str, Any]) -> dict[str, Any]:
    return {**rule, "required": True}


def _whole(pattern: str) -> str:
    # cerberus appends `$`, which also matches before a final newline; `\Z` does not.
    return pattern + r"\Z"


ID = {"type": "string", "regex": _whole(ID_PATTERN)}
SHORT = {"type": "string", "empty": False, "maxlength": 200}
#: An option name, as pmkit.Option declares them.
OPTION_NAME = {"type": "string", "regex": r"[a-z][a-z0-9_]{0,63}\Z"}
TEXT = {"type": "string", "empty": False, "maxlength": 20_000}
BOOL = {"type": "boolean"}
POINTS = {
    "type": "dict",
    "keysrules": ID,
    "valuesrules": {"type": "integer", "min": 0, "max": MAX_POINTS},
}
SECTION = {"type": "dict", "schema": {"heading": _req(SHORT), "text": _req(TEXT)}}


def _list(item: dict[str, Any], lo: int = 1, hi: int = 1000) -> dict[str, Any]:
    return {"type": "list", "minlength": lo, "maxlength": hi, "schema": item}


def _record(**fields: dict[str, Any]) -> dict[str, Any]:
    return {"type": "dict", "schema": fields}


COURSE_SCHEMA: dict[str, Any] = {
    "pmkit": _req({"type": "integer", "allowed": [1]}),
    "id": _req(ID),
    "title": _req(SHORT),
    "version": _req({"type": "string", "regex": _whole(SEMVER_PATTERN)}),
    "language": _req({"type": "string", "regex": _whole(LANGUAGE_PATTERN)}),
    "description": _req(TEXT),
    "introduction": _req(SECTION),
    # Optional: a course written from scratch has no published source; one that is
    # derived from a publication keeps its attribution and disclaimer.
    "source": _record(
        publisher=_req(SHORT),
        title=_req(SHORT),
        author=SHORT,
        disclaimer=_req(TEXT),
        note=TEXT,
    ),
    "mastery": {"type": "integer", "min": 0, "max": 100},
    "scorers": _record(
        recommendation=ID,
        grade=ID,
        # Option values by scorer name, then option name; what each scorer accepts is
        # checked against its declaration once the scorers are known (validate, export).
        options={
            "type": "dict",
            "keysrules": ID,
            "valuesrules": {
                "type": "dict",
                "keysrules": OPTION_NAME,
                "valuesrules": {"type": ["string", "integer", "float", "boolean"]},
            },
        },
    ),
    "include": _req(_list({"type": "string", "empty": False, "maxlength": 255})),
}

_KIND = {"type": "string", "allowed": list(KINDS)}

TRACK_SCHEMA: dict[str, Any] = {
    "kind": _req(_KIND),
    "id": _req(ID),
    "title": _req(SHORT),
    "short_title": _req(SHORT),
    "perfect_for": _req(TEXT),
    "duties": _req(_list(TEXT, 1, 10)),
    "key_skills": _req(_list(TEXT, 1, 10)),
    "progression": _req(_list(SHORT, 2, 8)),
    "industries": _req(_list(SHORT, 1, 10)),
    "courses": _list(
        _record(
            title=_req(SHORT),
            provider=_req(SHORT),
            url={"type": "string", "regex": _whole(HTTPS_PATTERN), "maxlength": 2000},
            description=TEXT,
        ),
        0,
        20,
    ),
}

SELF_DISCOVERY_SCHEMA: dict[str, Any] = {
    "kind": _req(_KIND),
    "title": _req(SHORT),
    "intro": _req(TEXT),
    "groups": _req(
        _list(
            _record(
                id=_req(ID),
                title=_req(SHORT),
                questions=_req(
                    _list(_record(id=_req(ID), text=_req(TEXT), points=_req(POINTS)), 1, 50)
                ),
            ),
            1,
            20,
        )
    ),
}

DECISION_TREE_SCHEMA: dict[str, Any] = {
    "kind": _req(_KIND),
    "title": _req(SHORT),
    "intro": _req(TEXT),
    "start": _req(ID),
    "nodes": _req(
        _list(
            _record(
                id=_req(ID),
                prompt=_req(TEXT),
                text=TEXT,
                options=_req(
                    _list(
                        _record(
                            id=_req(ID),
                            label=SHORT,
                            text=TEXT,
                            points=POINTS,
                            next=ID,
                            track=ID,
                        ),
                        2,
                        MAX_OPTIONS,
                    )
                ),
            ),
            1,
            200,
        )
    ),
}

#: Where a course's own section may be placed (model.SectionPlace).
SECTION_PLACES = ("introduction", "tracks", "decision-tree", "future", "next-steps")

# Every part is optional: a course leaves out what it has nothing to say in, and
# adds sections of its own (docs/content-format.md, "guidance.yaml").
GUIDANCE_SCHEMA: dict[str, Any] = {
    "kind": _req(_KIND),
    "tracks_intro": SECTION,
    "making_your_choice": SECTION,
    "future": _record(
        heading=_req(SHORT),
        text=_req(TEXT),
        industries_heading=_req(SHORT),
        industries_text=_req(TEXT),
        work_environments_heading=_req(SHORT),
        work_environments=_req(_list(_record(id=_req(ID), label=_req(SHORT), text=_req(TEXT)))),
    ),
    "first_steps": _record(heading=_req(SHORT), intro=_req(TEXT), steps=_req(_list(TEXT))),
    "continuous_growth": _record(
        heading=_req(SHORT),
        intro=_req(TEXT),
        habits=_req(_list(TEXT)),
    ),
    "closing": TEXT,
    "sections": _list(
        _record(
            id=_req(ID),
            heading=_req(SHORT),
            text=_req(TEXT),
            place={"type": "string", "allowed": list(SECTION_PLACES)},
        ),
        0,
        50,
    ),
}

KNOWLEDGE_CHECK_SCHEMA: dict[str, Any] = {
    "kind": _req(_KIND),
    "title": SHORT,
    "intro": TEXT,
    # How the learner takes the check (optional; the defaults are one screen, no
    # per-question Check, unlimited attempts).
    "attempts": {"type": "integer", "min": 1, "max": 99},
    "questions_per_screen": {"type": "integer", "min": 1, "max": 100},
    "check_each_question": BOOL,
    # Items are checked one by one against QUESTION_SCHEMAS (see module docstring).
    "questions": _req({"type": "list", "minlength": 1}),
}

_FEEDBACK = _record(correct=_req(TEXT), partial=_req(TEXT), incorrect=_req(TEXT))
_QUESTION_BASE: dict[str, Any] = {
    "id": _req(ID),
    "type": _req({"type": "string", "allowed": list(QUESTION_TYPES)}),
    "prompt": _req(TEXT),
    "explanation": _req(TEXT),
    "tracks": _list(ID, 0, 20),
}
_CHOICE = {
    **_QUESTION_BASE,
    "options": _req(
        _list(
            _record(
                id=_req(ID),
                text=_req(TEXT),
                correct=_req(BOOL),
                feedback=TEXT,
            ),
            2,
            MAX_OPTIONS,
        )
    ),
    "shuffle": BOOL,  # false keeps the authoring order (docs/content-format.md)
}
QUESTION_SCHEMAS: dict[str, dict[str, Any]] = {
    "single": _CHOICE,
    "multiple": _CHOICE,
    "true-false": {
        **_QUESTION_BASE,
        "answer": _req(BOOL),
        "true_feedback": TEXT,
        "false_feedback": TEXT,
    },
    "matching": {
        **_QUESTION_BASE,
        "pairs": _req(
            _list(_record(id=_req(ID), prompt=_req(TEXT), match=_req(TEXT)), 2, MAX_OPTIONS)
        ),
        "distractors": _list(_record(id=_req(ID), text=_req(TEXT)), 0, MAX_OPTIONS),
        "feedback": _req(_FEEDBACK),
    },
    "ordering": {
        **_QUESTION_BASE,
        "items": _req(_list(_record(id=_req(ID), text=_req(TEXT)), 2, MAX_OPTIONS)),
        "feedback": _req(_FEEDBACK),
    },
}
QUESTION_BASE_SCHEMA = {**_QUESTION_BASE, "type": _req({"type": "string"})}

SCHEMAS_BY_KIND: dict[str, dict[str, Any]] = {
    "track": TRACK_SCHEMA,
    "self-discovery": SELF_DISCOVERY_SCHEMA,
    "decision-tree": DECISION_TREE_SCHEMA,
    "guidance": GUIDANCE_SCHEMA,
    "knowledge-check": KNOWLEDGE_CHECK_SCHEMA,
}


class ContentValidator(cerberus.Validator):
    """Cerberus with ``integer`` meaning a whole number and not a boolean."""

    types_mapping: ClassVar[dict[str, Any]] = {
        **cerberus.Validator.types_mapping,
        "integer": cerberus.TypeDefinition("integer", (int,), (bool,)),
    }


class SchemaChecker:
    """Validates mappings against one schema, reusing one cerberus validator.

    A document :func:`fast_check` accepts is valid without asking cerberus;
    cerberus decides (and explains) everything else.
    """

    def __init__(self, schema: Mapping[str, Any]):
        self.schema = schema
        self._validator = ContentValidator(schema, allow_unknown=False)
        self._surely_valid = fast_check(schema)

    def errors(self, document: Any) -> list[tuple[tuple[Any, ...], str, bool]]:
        """``(path, message, at_key)`` for every problem; path is relative to ``document``."""
        if not isinstance(document, dict):
            return [((), f"expected a mapping of fields, found {_describe(document)}", False)]
        if self._surely_valid is not None and self._surely_valid(document):
            return []
        if self._validator.validate(document, normalize=False):
            return []
        return [_explain(e, self.schema) for e in _leaves(self._validator._errors)]


Predicate = Callable[[Any], bool]
#: The rules fast_check understands; a schema using any other is left to cerberus.
_FAST_RULES = frozenset(
    {
        "type",
        "required",
        "regex",
        "allowed",
        "empty",
        "minlength",
        "maxlength",
        "min",
        "max",
        "schema",
        "keysrules",
        "valuesrules",
    }
)
_NO_LIMIT = float("inf")
#: cerberus scalar type names -> the exact Python types a fast check accepts.
_SCALAR_TYPES: dict[str, type] = {"string": str, "integer": int, "float": float, "boolean": bool}


def fast_check(schema: Mapping[str, Any]) -> Predicate | None:
    """A predicate that is True only for mappings cerberus accepts under ``schema``.

    It may be False for a valid mapping (then cerberus is asked), never True
    for an invalid one: each rule is checked at least as strictly as cerberus
    checks it -- exact built-in types (``bool`` is no ``int``), no null, no
    unknown field, every required field, and each rule on its own, without
    the exemptions cerberus grants empty values. None if the schema uses a
    rule it does not know (then cerberus checks every document).
    """
    return _fast_mapping(schema)


def _fast_mapping(fields: Mapping[str, Any]) -> Predicate | None:
    checks: dict[str, Predicate] = {}
    for name, rules in fields.items():
        check = _fast_value(rules)
        if check is None:
            return None
        checks[name] = check
    required = frozenset(name for name, rules in fields.items() if rules.get("required"))

    def mapping(document: Any) -> bool:
        if type(document) is not dict or not required <= document.keys():
            return False
        for key, value in document.items():
            check = checks.get(key)  # an unknown (or non-text) key finds none
            if check is None or not check(value):
                return False
        return True

    return mapping


def _fast_value(rules: Any) -> Predicate | None:
    """The predicate for one field's rules (the field is present; None is never valid)."""
    if not isinstance(rules, Mapping) or not rules.keys() <= _FAST_RULES:
        return None
    kind = rules.get("type")
    least = rules.get("minlength", 0)
    if rules.get("empty", True) is False:
        least = max(least, 1)
    most = rules.get("maxlength", _NO_LIMIT)
    allowed = rules.get("allowed")
    if isinstance(kind, list):  # a scalar of any of these types, nothing else checked
        exact_types = {_SCALAR_TYPES.get(k) for k in kind}
        if None in exact_types or rules.keys() != {"type"}:
            return None
        return lambda value: type(value) in exact_types
    if kind == "string":
        if "regex" in rules:
            # Exactly what cerberus matches: the pattern with `$` appended, from the start.
            pattern = rules["regex"]
            match: Any = re.compile(pattern if pattern.endswith("$") else pattern + "$").match
        else:
            match = None
        if rules.keys() & {"min", "max", "schema", "keysrules", "valuesrules"}:
            return None

        def text(value: Any) -> bool:
            return (
                type(value) is str
                and least <= len(value) <= most
                and (match is None or match(value) is not None)
                and (allowed is None or value in allowed)
            )

        return text
    if kind in ("integer", "boolean"):
        if rules.keys() & {
            "regex",
            "schema",
            "keysrules",
            "valuesrules",
            "minlength",
            "maxlength",
            "empty",
        }:
            return None
        exact = int if kind == "integer" else bool  # `type is int` refuses True and False
        low = rules.get("min", -_NO_LIMIT)
        high = rules.get("max", _NO_LIMIT)

        def number(value: Any) -> bool:
            return (
                type(value) is exact
                and low <= value <= high
                and (allowed is None or value in allowed)
            )

        return number
    if kind == "list":
        if rules.keys() & {"regex", "allowed", "min", "max", "keysrules", "valuesrules"}:
            return None
        item = _fast_value(rules["schema"]) if "schema" in rules else None
        if "schema" in rules and item is None:
            return None

        def sequence(value: Any) -> bool:
            if type(value) is not list or not least <= len(value) <= most:
                return False
            return item is None or all(item(x) for x in value)

        return sequence
    if kind == "dict":
        if rules.keys() & {"regex", "allowed", "min", "max"}:
            return None
        inner = _fast_mapping(rules["schema"]) if "schema" in rules else None
        keys = _fast_value(rules["keysrules"]) if "keysrules" in rules else None
        values = _fast_value(rules["valuesrules"]) if "valuesrules" in rules else None
        if (
            ("schema" in rules and inner is None)
            or ("keysrules" in rules and keys is None)
            or ("valuesrules" in rules and values is None)
        ):
            return None

        def mapping(value: Any) -> bool:
            if type(value) is not dict or not least <= len(value) <= most:
                return False
            return (
                (inner is None or inner(value))
                and (keys is None or all(keys(k) for k in value))
                and (values is None or all(values(v) for v in value.values()))
            )

        return mapping
    return None  # no type, or one these predicates do not model


def _leaves(errors: list[ValidationError]) -> Iterator[ValidationError]:
    for error in errors:
        if error.is_group_error:
            yield from _leaves(error.child_errors or [])
        else:
            yield error


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return f"the number {shown(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "boolean": "true or false",
    "list": "a list",
    "dict": "a mapping",
}


def _rule_for(schema: Mapping[str, Any], path: tuple[Any, ...]) -> Mapping[str, Any] | None:
    """The rule set that applies at ``path`` (used to suggest field names)."""
    rules: Any = {"type": "dict", "schema": schema}
    for step in path:
        inner = rules.get("schema") if isinstance(rules, Mapping) else None
        if inner is None:
            return None
        rules = inner if isinstance(step, int) else inner.get(step)
        if rules is None:
            return None
    return rules


Explained = tuple[tuple[Any, ...], str, bool]


def _explain(error: ValidationError, schema: Mapping[str, Any]) -> Explained:
    path = tuple(error.document_path)
    field = path[-1] if path else "document"
    rule, constraint, value = error.rule, error.constraint, error.value
    # Values and keys are quoted shortened and escaped: a message is read on a
    # terminal, and a 50,000-character value must not become the message.
    name = f"`{shown(field)[1:-1]}`" if isinstance(field, str) else f"item {field + 1}"
    if error.code == 0x03:  # unknown field
        parent = _rule_for(schema, path[:-1]) or {}
        known = sorted((parent.get("schema") or {}).keys())
        match = closest(str(field), known)
        hint = f"; did you mean `{match}`?" if match else f"; known fields: {', '.join(known)}"
        return path, f"unknown field {name}{hint}", True
    if rule == "required":
        return path[:-1], f"missing required field `{field}`; add it", False
    if rule == "type":
        want = (
            "a single value (text, a number, or true/false)"
            if isinstance(constraint, list)  # only scalar unions are declared
            else _TYPE_WORDS.get(str(constraint), str(constraint))
        )
        hint = ""
        if constraint == "string" and value is not None:
            hint = " (quote it)"
        return path, f"{name} must be {want}, not {_describe(value)}{hint}", False
    if rule == "nullable":
        return path, f"{name} is empty (null); give it a value or remove it", False
    if rule == "empty":
        return path, f"{name} must not be empty", False
    if rule == "allowed":
        options = ", ".join(str(c) for c in constraint)
        match = closest(str(value), [str(c) for c in constraint])
        hint = f"; did you mean `{match}`?" if match else ""
        return path, f"{name} is {shown(value)}; allowed: {options}{hint}", False
    if rule == "regex":
        return path, f"{name} {shown(value)} is not {_pattern_words(str(constraint))}", False
    if rule in ("min", "max"):
        bound = "at least" if rule == "min" else "at most"
        return path, f"{name} is {shown(value)}; it must be {bound} {constraint}", False
    if rule in ("minlength", "maxlength"):
        bound = "at least" if rule == "minlength" else "at most"
        unit = "characters" if isinstance(value, str) else "items"
        if len(value) == 1:
            unit = unit[:-1]
        return path, f"{name} has {len(value)} {unit}; it needs {bound} {constraint}", False
    return path, f"{name}: {rule} rule failed ({constraint!r})", False


def _pattern_words(pattern: str) -> str:
    pattern = pattern.removesuffix(r"\Z")
    if pattern == ID_PATTERN:
        return "a valid id (lowercase letters, digits and `-`, at most 64 characters)"
    if pattern == SEMVER_PATTERN:
        return 'a semantic version such as "1.0.0" (quote it)'
    if pattern == LANGUAGE_PATTERN:
        return "a BCP 47 language tag such as `en` or `en-GB`"
    if pattern == HTTPS_PATTERN:
        return "an https:// URL"
    return f"in the expected form ({pattern})"
