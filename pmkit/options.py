"""Options of exporters and scorers: the :class:`Option` declaration and the one
place where ``-o KEY VALUE`` text becomes checked, typed values.

A plugin declares ``options = (Option(...), ...)``; pmkit checks the
declaration when the plugin loads (:func:`declaration_problem`), routes
``-o KEY VALUE`` and ``-o FORMAT.KEY VALUE`` pairs to the selected formats
(:func:`split_options`), and converts, checks and defaults each value
(:func:`resolve_options`). Plugins never see a value that breaks their
declaration.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from pmkit.errors import UsageError
from pmkit.suggest import did_you_mean

#: The types an option can declare.
OPTION_TYPES = ("string", "integer", "number", "boolean")

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}\Z")


@dataclass(frozen=True)
class Option:
    """One option of an exporter or scorer: its declaration, and what ``pmkit formats`` shows.

    ``type`` is one of :data:`OPTION_TYPES`. ``default`` is used when the
    user gives no value; ``None`` means "not set" (the plugin decides, e.g.
    "the course's pass mark"). ``allowed`` lists the only values accepted;
    ``minimum``/``maximum`` bound numbers; ``pattern`` is a regular
    expression a string must match as a whole.
    """

    name: str
    type: str
    default: Any
    help: str
    allowed: tuple[Any, ...] | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    pattern: str | None = None

    def __post_init__(self) -> None:
        # Accept any sequence for `allowed` (a list reads naturally) but keep the
        # dataclass hashable and immutable.
        if self.allowed is not None and not isinstance(self.allowed, tuple):
            object.__setattr__(self, "allowed", tuple(self.allowed))

    def problems(self) -> list[str]:
        """What is wrong with this declaration (empty when it is sound)."""
        found: list[str] = []
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            found.append(
                f"option name {self.name!r} must be lower-case letters, digits and "
                "underscores, starting with a letter"
            )
        if self.type not in OPTION_TYPES:
            found.append(
                f"option {self.name!r}: type {self.type!r} is not one of {', '.join(OPTION_TYPES)}"
            )
            return found
        if not isinstance(self.help, str) or not self.help.strip():
            found.append(f"option {self.name!r} needs a help text")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except (re.error, TypeError) as exc:
                found.append(
                    f"option {self.name!r}: pattern {self.pattern!r} does not compile ({exc})"
                )
                return found
        for value in self.allowed or ():
            reason = self._value_problem(value)
            if reason:
                found.append(f"option {self.name!r}: allowed value {value!r} {reason}")
        if self.default is not None:
            reason = self.value_problem(self.default)
            if reason:
                found.append(f"option {self.name!r}: default {self.default!r} {reason}")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            found.append(
                f"option {self.name!r}: minimum {self.minimum} is above maximum {self.maximum}"
            )
        return found

    def convert(self, text: str, label: str) -> Any:
        """The value ``-o`` text stands for, by the declared type (UsageError if it cannot)."""
        if self.type == "boolean":
            low = text.strip().lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise UsageError(f"option {label} takes true/false (or yes/no, 1/0), not {text!r}")
        if self.type == "integer":
            try:
                return int(text.strip())
            except ValueError:
                raise UsageError(f"option {label} takes a whole number, not {text!r}") from None
        if self.type == "number":
            try:
                number = float(text.strip())
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                raise UsageError(f"option {label} takes a number, not {text!r}")
            return number
        return text

    def value_problem(self, value: Any) -> str | None:
        """Why ``value`` is not acceptable for this option, or None when it is."""
        reason = self._value_problem(value)
        if reason:
            return reason
        if self.allowed is not None and value not in self.allowed:
            choices = ", ".join(str(a) for a in self.allowed)
            return (
                f"is not allowed (allowed: {choices})"
                f"{did_you_mean(str(value), [str(a) for a in self.allowed])}"
            )
        return None

    def _value_problem(self, value: Any) -> str | None:
        expected = {
            "string": (str,),
            "integer": (int,),
            "number": (int, float),
            "boolean": (bool,),
        }[self.type]
        if not isinstance(value, expected) or (self.type != "boolean" and isinstance(value, bool)):
            return f"is not a {self.type}"
        if self.type in ("integer", "number"):
            number = float(cast(float, value))
            if self.minimum is not None and number < self.minimum:
                return f"is below the minimum, {self.minimum}"
            if self.maximum is not None and number > self.maximum:
                return f"is above the maximum, {self.maximum}"
        if self.pattern is not None and not re.fullmatch(self.pattern, str(value)):
            return f"does not match the pattern {self.pattern}"
        return None


def declaration_problem(options: object, owner: str) -> str | None:
    """Why ``options`` (a plugin class's declaration) is unusable, or None.

    Reported once, when the plugin loads, naming the plugin's class.
    """
    if not isinstance(options, tuple | list) or not all(isinstance(o, Option) for o in options):
        return (
            f"{owner}.options must be a tuple of pmkit.Option values, not {type(options).__name__}"
        )
    names = [o.name for o in options]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        return f"{owner}.options declares {', '.join(map(repr, repeated))} more than once"
    problems = [p for o in options for p in o.problems()]
    return f"{owner}: {'; '.join(problems)}" if problems else None


def defaults(options: Sequence[Option]) -> dict[str, Any]:
    """Every option's default value, by name."""
    return {o.name: o.default for o in options}


def split_options(
    pairs: Sequence[tuple[str, str]], declared: Mapping[str, Sequence[Option]]
) -> dict[str, dict[str, str]]:
    """Route ``(key, value)`` pairs to the selected formats that declare them.

    ``declared`` maps each selected format to its options. A plain key goes
    to every format that declares it (an error if none does); a
    ``format.key`` goes to that format only.
    """
    names = {fmt: [o.name for o in opts] for fmt, opts in declared.items()}
    routed: dict[str, dict[str, str]] = {fmt: {} for fmt in declared}
    for key, value in pairs:
        fmt, dot, plain = key.partition(".")
        if dot:
            if fmt not in names:
                raise UsageError(
                    f"option {key!r} names format {fmt!r}, which is not selected"
                    f"{did_you_mean(fmt, names)}"
                )
            if plain not in names[fmt]:
                known = ", ".join(names[fmt]) or "none"
                raise UsageError(
                    f"format {fmt!r} has no option {plain!r}"
                    f"{did_you_mean(plain, names[fmt])} (its options: {known})"
                )
            routed[fmt][plain] = value
            continue
        targets = [fmt for fmt, keys in names.items() if key in keys]
        if not targets:
            every = sorted({k for keys in names.values() for k in keys})
            raise UsageError(
                f"no selected format has an option {key!r}"
                f"{did_you_mean(key, every)} (see `pmkit formats NAME`)"
            )
        for fmt in targets:
            routed[fmt][key] = value
    return routed


def resolve_options(
    owner: str,
    options: Sequence[Option],
    given: Mapping[str, str],
    base: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Convert and check ``given`` text values for ``owner``; fill in the rest from
    ``base`` (checked values, e.g. the course's) or else the defaults.

    Every problem is reported at once in one :class:`UsageError`.
    """
    by_name = {o.name: o for o in options}
    values = dict(base) if base is not None else defaults(options)
    problems: list[str] = []
    for key, text in given.items():
        option = by_name.get(key)
        if option is None:
            known = ", ".join(by_name) or "none"
            problems.append(
                f"{owner} has no option {key!r}{did_you_mean(key, by_name)} (its options: {known})"
            )
            continue
        label = f"{owner}.{key}"
        try:
            value = option.convert(text, label)
        except UsageError as exc:
            problems.append(str(exc))
            continue
        reason = option.value_problem(value)
        if reason:
            problems.append(f"option {label}: {text!r} {reason}")
            continue
        values[key] = value
    if problems:
        raise UsageError("; ".join(problems))
    return values
