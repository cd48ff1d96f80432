"""Built-in scorers: ``weighted`` and ``decision-tree`` recommend a track;
``partial-credit`` and ``all-or-nothing`` grade the knowledge check.

Each has a browser twin in ``js/pmkit-scoring.js`` (one classic script for
all four) that returns exactly the same result from the scoring table.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from importlib import resources
from typing import Any, ClassVar

import pmkit
from pmkit import (
    Contribution,
    Grade,
    PathStep,
    QuestionOutcome,
    Recommendation,
    ScorerCannotExpress,
    TrackScore,
    scoring_table,
)
from pmkit_builtins.scoring import algorithms

TWIN = "pmkit-scoring.js"


class _BuiltinScorer(pmkit.Scorer):
    """Shared by the four built-ins: the twin file and table-based scoring."""

    @classmethod
    def browser_twin_source(cls) -> str:
        """The classic script that registers all four built-in scorers."""
        return resources.files(__package__).joinpath("js", TWIN).read_text(encoding="utf-8")


class _RecommendationScorer(_BuiltinScorer):
    kind = "recommendation"

    def score(
        self, course: pmkit.Course, answers: Mapping[str, Any], options: Mapping[str, Any]
    ) -> Recommendation:
        """Recommend a track (see the class docstring for the rule)."""
        r = algorithms.recommend(scoring_table(course), answers, self.name)
        return Recommendation(
            scorer=r["scorer"],
            track=r["track"],
            tie=tuple(r["tie"]),
            total=r["total"],
            tracks=tuple(TrackScore(**t) for t in r["tracks"]),
            contributions=tuple(Contribution(**c) for c in r["contributions"]),
            path=tuple(PathStep(**s) for s in r["path"]),
        )


class WeightedScorer(_RecommendationScorer):
    """Adds the points of every "yes" and of each decision-tree answer on the path.

    The track with the most points is recommended; tracks level at the top
    are reported as a tie and the first in the course's track order is named.
    """

    name = "weighted"
    title = "Sum of self-discovery and starting-point points; most points wins"


class DecisionTreeScorer(_RecommendationScorer):
    """Follows the decision tree (starting point, then the interest question for
    "New to Product") and recommends the track the path ends in.

    Points and shares show the points of the options on the path.
    """

    name = "decision-tree"
    title = "Follow the decision tree from the starting point to a track"


class _GradeScorer(_BuiltinScorer):
    kind = "grade"
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option(
            "mastery",
            "integer",
            None,
            "pass mark in percent (default: the course's `mastery`)",
            minimum=0,
            maximum=100,
        ),
    )

    def score(
        self, course: pmkit.Course, answers: Mapping[str, Any], options: Mapping[str, Any]
    ) -> Grade:
        """Grade the knowledge-check answers against the pass mark."""
        mastery = options.get("mastery")
        g = algorithms.grade(
            scoring_table(course),
            answers,
            self.name,
            course.mastery if mastery is None else mastery,
        )
        return Grade(
            scorer=g["scorer"],
            points=g["points"],
            max=g["max"],
            scaled=g["scaled"],
            percent=g["percent"],
            mastery=g["mastery"],
            passed=g["passed"],
            questions=tuple(QuestionOutcome(**q) for q in g["questions"]),
        )


class PartialCreditScorer(_GradeScorer):
    """Moodle's partial credit: a multiple-answer question scores the sum of the
    chosen options' fractions (right: 1/right options, wrong: -1/wrong options),
    clamped to [0, 1]; matching scores right pairs / pairs; ordering scores items
    in their correct absolute position / items."""

    name = "partial-credit"
    title = "Moodle-style partial credit for multiple answer, matching and ordering"
    partial_credit = True

    def answer_fractions(
        self, question: pmkit.KnowledgeQuestion, options: Mapping[str, Any]
    ) -> Mapping[str, Fraction]:
        """Fractions per option (choice, true/false), pair (matching) or item (ordering)."""
        if isinstance(question, pmkit.TrueFalseQuestion):
            return {
                "true": Fraction(int(question.answer)),
                "false": Fraction(int(not question.answer)),
            }
        if isinstance(question, pmkit.ChoiceQuestion):
            right = [o for o in question.options if o.correct]
            if question.type == "single":
                return {o.id: Fraction(int(o.correct)) for o in question.options}
            wrong = len(question.options) - len(right)
            return {
                o.id: Fraction(1, len(right)) if o.correct else Fraction(-1, wrong)
                for o in question.options
            }
        if isinstance(question, pmkit.MatchingQuestion):
            return {p.id: Fraction(1, len(question.pairs)) for p in question.pairs}
        if isinstance(question, pmkit.OrderingQuestion):
            return {i.id: Fraction(1, len(question.items)) for i in question.items}
        raise ScorerCannotExpress(f"unknown question type {question.type!r}")


class AllOrNothingScorer(_GradeScorer):
    """A question scores 1 only when the whole answer is right, else 0."""

    name = "all-or-nothing"
    title = "Full marks only for a completely right answer"
    partial_credit = False

    def answer_fractions(
        self, question: pmkit.KnowledgeQuestion, options: Mapping[str, Any]
    ) -> Mapping[str, Fraction]:
        """Choice and true/false questions only: the rest cannot be fractions."""
        if isinstance(question, pmkit.ChoiceQuestion | pmkit.TrueFalseQuestion) and (
            question.type != "multiple"
        ):
            return PartialCreditScorer().answer_fractions(question, options)
        raise ScorerCannotExpress(
            f"all-or-nothing grading of a {question.type} question cannot be written as "
            "per-answer fractions (fractions add up part by part, so part of the answer would "
            "earn part of the grade); use the partial-credit scorer"
        )


@pmkit.hookimpl
def register_scorers(register: Any) -> None:
    """Register the four built-in scorers."""
    for cls in (WeightedScorer, DecisionTreeScorer, PartialCreditScorer, AllOrNothingScorer):
        register(cls)
