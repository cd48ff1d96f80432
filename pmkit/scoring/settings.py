"""The option values a course sets for scorers (``scorers: options:`` in course.yaml).

A course may tune any scorer's options by scorer name; the values apply
whenever that scorer runs (``pmkit score``/``quiz``, and every export that
grades), the command line's ``-o`` wins over them, and the scorer's declared
defaults fill in the rest. The content schema only knows that a value is a
scalar: what a scorer accepts is checked against its declaration here, once
the installed scorers are known, with the value's position in course.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pmkit.content.model import Course, ScorerSetting
from pmkit.errors import PmkitError
from pmkit.issues import Issue, Severity
from pmkit.options import Option, defaults
from pmkit.suggest import did_you_mean


def setting_issues(scorers: Mapping[str, Any], course: Course) -> list[Issue]:
    """Problems with the course's scorer option values, positioned at each value.

    ``scorers`` maps installed scorer names to their classes. Values for a
    scorer that is not installed are a warning (another installation may have
    it, and they apply only when it runs); an unknown option or a value the
    declaration refuses is an error.
    """
    issues = []
    for setting in course.scorers.options:
        cls = scorers.get(setting.scorer)
        if cls is None:
            issues.append(
                _at(
                    setting,
                    f"options are set for scorer {setting.scorer!r}, which is not installed"
                    f"{did_you_mean(setting.scorer, sorted(scorers))}; they apply only where "
                    f"it is (installed: {', '.join(sorted(scorers)) or 'none'})",
                    "warning",
                )
            )
            continue
        declared = {o.name: o for o in cls.options}
        option = declared.get(setting.option)
        if option is None:
            issues.append(
                _at(
                    setting,
                    f"scorer {setting.scorer!r} has no option {setting.option!r}"
                    f"{did_you_mean(setting.option, list(declared))} (its options: "
                    f"{', '.join(declared) or 'none'}; see `pmkit scorers`)",
                )
            )
            continue
        reason = option.value_problem(setting.value)
        if reason:
            issues.append(
                _at(
                    setting,
                    f"scorer {setting.scorer!r} option {setting.option!r}: "
                    f"{setting.value!r} {reason}",
                )
            )
    return issues


def _at(setting: ScorerSetting, message: str, severity: Severity = "error") -> Issue:
    """An issue at the position of ``setting``'s value in course.yaml."""
    src = setting.source
    return Issue(src.file, src.line, src.column, message, severity, code="scorer")


def course_values(course: Course, scorer: str, declared: Sequence[Option]) -> dict[str, Any]:
    """The scorer's declared defaults with the course's values for it applied.

    A value the declaration refuses raises :class:`PmkitError` (the commands
    report those earlier, with positions, through :func:`setting_issues`).
    """
    values = defaults(declared)
    by_name = {o.name: o for o in declared}
    for name, value in course.scorers.options_for(scorer).items():
        option = by_name.get(name)
        if option is None:
            raise PmkitError(
                f"the course sets option {name!r} of scorer {scorer!r}, which has none"
            )
        reason = option.value_problem(value)
        if reason:
            raise PmkitError(f"the course's scorer {scorer!r} option {name!r}: {value!r} {reason}")
        values[name] = value
    return values
