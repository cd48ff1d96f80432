"""Choosing scorers and scoring one answer set (used by `pmkit score` and `pmkit quiz`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pmkit.content.model import Course
from pmkit.errors import PmkitError, UsageError
from pmkit.options import resolve_options, split_options
from pmkit.pluginhost.host import PluginHost, Provided
from pmkit.pluginhost.isolation import PLUGIN_FAILURES, describe, plugin_output
from pmkit.scoring.scorer import Grade, Recommendation
from pmkit.scoring.settings import course_values
from pmkit.suggest import did_you_mean


@dataclass(frozen=True)
class ScoreReport:
    """A recommendation and, when knowledge-check answers were given, a grade."""

    recommendation: Recommendation
    grade: Grade | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``--json``."""
        return {
            "recommendation": self.recommendation.to_dict(),
            "grade": self.grade.to_dict() if self.grade else None,
        }


def choose_scorers(
    host: PluginHost,
    course: Course,
    requested: Sequence[str] = (),
    kinds: Sequence[str] = ("recommendation", "grade"),
) -> dict[str, Provided]:
    """The scorer of each kind: the course's defaults, replaced by ``requested`` names.

    At most one scorer of each kind may be requested, and only of the ``kinds``
    the command uses (``pmkit quiz`` recommends, it does not grade): anything
    else is a usage error naming the scorers that fit.
    """
    chosen: dict[str, str] = {
        "recommendation": course.scorers.recommendation,
        "grade": course.scorers.grade,
    }
    named: dict[str, str] = {}
    for name in requested:
        if name not in host.scorers:
            hint = did_you_mean(name, sorted(host.scorers))
            raise UsageError(
                f"unknown scorer {name!r}{hint} (installed: "
                f"{', '.join(sorted(host.scorers))}; see `pmkit scorers`)"
            )
        kind = host.scorers[name].obj.kind
        if kind not in kinds:
            fitting = sorted(n for n, p in host.scorers.items() if p.obj.kind in kinds)
            raise UsageError(
                f"scorer {name!r} is a {kind} scorer; this command takes "
                f"{' or '.join(kinds)} scorers: {', '.join(fitting)}"
            )
        if kind in named and named[kind] != name:
            raise UsageError(
                f"--scorer {named[kind]!r} and --scorer {name!r} are both {kind} "
                f"scorers; give one scorer of each kind"
            )
        named[kind] = chosen[kind] = name
    result = {}
    for kind, name in chosen.items():
        if name not in host.scorers:
            raise PmkitError(
                f"the course asks for {kind} scorer {name!r}, which is not "
                f"installed (installed: {', '.join(sorted(host.scorers))})"
            )
        result[kind] = host.scorers[name]
    return result


def scorer_options(
    scorers: Mapping[str, Provided], pairs: Sequence[tuple[str, str]], course: Course
) -> dict[str, dict[str, Any]]:
    """The chosen scorers' option values, by scorer name: ``-o KEY VALUE`` /
    ``-o SCORER.KEY VALUE`` (converted and checked against their declarations, as
    exporter options are) over the course's values over the declared defaults."""
    declared = {p.name: p.obj.options for p in scorers.values()}
    routed = split_options(pairs, declared)
    return {
        name: resolve_options(
            name, declared[name], routed[name], course_values(course, name, declared[name])
        )
        for name in declared
    }


def _run(
    provided: Provided,
    course: Course,
    answers: Mapping[str, Any],
    options: Mapping[str, Any] | None = None,
) -> Any:
    scorer = provided.obj()
    values = (
        options
        if options is not None
        else course_values(course, provided.name, provided.obj.options)
    )
    try:
        with plugin_output():
            return scorer.score(course, answers, values)
    except PmkitError:
        raise
    except PLUGIN_FAILURES as exc:
        raise PmkitError(
            f"scorer {provided.name!r} from {provided.plugin.label} failed ({describe(exc)})"
        ) from exc


def score_answers(
    host: PluginHost,
    course: Course,
    answers: Mapping[str, Any],
    requested: Sequence[str] = (),
    option_pairs: Sequence[tuple[str, str]] = (),
) -> ScoreReport:
    """Score checked answers: always a recommendation; a grade if any graded answer is given."""
    scorers = choose_scorers(host, course, requested)
    options = scorer_options(scorers, option_pairs, course)
    graded = {q.id for q in course.knowledge_check.questions}
    grade_scorer = scorers["grade"]
    grade = (
        _run(grade_scorer, course, answers, options[grade_scorer.name])
        if graded & set(answers)
        else None
    )
    recommender = scorers["recommendation"]
    return ScoreReport(
        recommendation=_run(recommender, course, answers, options[recommender.name]), grade=grade
    )
