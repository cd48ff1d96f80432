"""Exporter options from the command line: ``-o KEY VALUE`` and ``-o FORMAT.KEY VALUE``.

Values arrive as text and are converted by the option's declared type, then
checked against the exporter's cerberus schema (which also fills defaults).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from pmkit.errors import UsageError

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def convert(value: str, rule: Mapping[str, Any], label: str) -> Any:
    """Convert one textual value by ``rule['type']``."""
    kind = rule.get("type", "string")
    if kind == "boolean":
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise UsageError(f"option {label} takes true/false (or yes/no, 1/0), not {value!r}")
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            raise UsageError(f"option {label} takes a whole number, not {value!r}") from None
    if kind in ("float", "number"):
        try:
            return float(value)
        except ValueError:
            raise UsageError(f"option {label} takes a number, not {value!r}") from None
    return value


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


OptionSchemas = Mapping[str, Mapping[str, Mapping[str, Any]]]


def split_options(pairs: Sequence[tuple[str, str]],
                  schemas: OptionSchemas) -> dict[str, dict[str, str]]:
    """Route ``(key, value)`` pairs to the selected formats that declare them.

    ``schemas`` maps each selected format to its options schema. A plain key
    goes to every format that declares it (an error if none does); a
    ``format.key`` goes to that format only.
    """
    routed: dict[str, dict[str, str]] = {name: {} for name in schemas}
    for key, value in pairs:
        fmt, dot, plain = key.partition(".")
        if dot:
            if fmt not in schemas:
                raise UsageError(f"option {key!r} names format {fmt!r}, which is not selected"
                                 f"{_suggest(fmt, list(schemas))}")
            if plain not in schemas[fmt]:
                known = ", ".join(schemas[fmt]) or "none"
                raise UsageError(f"format {fmt!r} has no option {plain!r}"
                                 f"{_suggest(plain, list(schemas[fmt]))} (its options: {known})")
            routed[fmt][plain] = value
            continue
        targets = [name for name, schema in schemas.items() if key in schema]
        if not targets:
            every = sorted({k for schema in schemas.values() for k in schema})
            raise UsageError(f"no selected format has an option {key!r}{_suggest(key, every)}"
                             " (see `pmkit formats NAME`)")
        for name in targets:
            routed[name][key] = value
    return routed


def resolve_options(fmt: str, schema: Mapping[str, Mapping[str, Any]],
                    given: Mapping[str, str]) -> dict[str, Any]:
    """Convert, default and validate one format's options."""
    from pmkit.model.schema import ContentValidator

    converted = {key: convert(value, schema[key], f"{fmt}.{key}") for key, value in given.items()}
    validator = ContentValidator(dict(schema), allow_unknown=False)
    if not validator.validate(converted):
        problems = []
        for key, messages in sorted(validator.errors.items()):
            rule = schema.get(key, {})
            allowed = rule.get("allowed")
            extra = f" (allowed: {', '.join(map(str, allowed))})" if allowed else ""
            problems.append(f"option {fmt}.{key}: {'; '.join(map(str, messages))}{extra}"
                            f"{_suggest(str(converted.get(key)), [str(a) for a in allowed or ()])}")
        raise UsageError("; ".join(problems))
    return dict(validator.document)
