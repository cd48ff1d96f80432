"""Scorers and the scoring table.

A scorer turns a learner's answers (DECISIONS: a mapping of question id to
answer) into a result. It is a pure function of (course, answers, options):
no I/O, no clock, no randomness, so Python and a browser twin can agree.

The *scoring table* is the data a scorer (or its JavaScript twin) needs,
derived from the course and shipped with exports, so a third-party exporter
can score without reading the model's classes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from pmkit.model import course as m

SCORER_KINDS = ("recommendation", "grade")

#: Grades are counted in integer units of a question: lcm(1..26). Every fraction
#: pmkit grades has a denominator of at most 26 (options, pairs, items), so
#: every question's score is exact in these units and sums never drift (three
#: thirds make exactly one). Being a multiple of 100, it also lets percent and
#: pass/fail be computed without multiplying the total by 100, which keeps a
#: JavaScript twin (whose integers are exact below 2**53) exact up to about
#: 336,000 questions.
SCORE_UNITS = 26_771_144_400
PERCENT_UNITS = SCORE_UNITS // 100


class ScorerCannotExpress(Exception):
    """Raised by a scorer asked for something it cannot express (e.g. Moodle fractions).

    ``reason`` says why, in words an exporter can show the user.
    """

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def percent_of(total_units: int, questions: int) -> int:
    """``total_units`` of ``questions`` whole questions as a percent, rounded half up.

    Divides by ``questions * PERCENT_UNITS`` instead of multiplying the total
    by 100, so the JavaScript twin stays within exact integers.
    """
    if questions <= 0:
        return 0
    per_percent = questions * PERCENT_UNITS
    quotient, remainder = divmod(total_units, per_percent)
    return quotient + (1 if 2 * remainder >= per_percent else 0)


def reaches(percent: int, mastery: int) -> bool:
    """Pass/fail, decided on the same whole percent that is shown and reported.

    An LMS that recomputes pass/fail from ``score.raw`` and the mastery score
    then agrees with the package, and a learner never reads "80% — not passed"
    against a pass mark of 80%.
    """
    return percent >= mastery


def share_percent(points: int, total: int) -> int:
    """``points`` of ``total`` as a whole percent, rounded half up, in integer arithmetic."""
    if total <= 0:
        return 0
    return (200 * points + total) // (2 * total)


def units(numerator: int, denominator: int) -> int:
    """A fraction of a question in :data:`SCORE_UNITS`, clamped to [0, 1].

    Exact for every denominator up to 26; other fractions are rounded half up.
    """
    numerator = max(0, min(numerator, denominator))
    return (2 * numerator * SCORE_UNITS + denominator) // (2 * denominator)


@dataclass(frozen=True)
class TrackScore:
    """A track's points in a recommendation and its share of all points (percent)."""

    track: str
    points: int
    share: int


@dataclass(frozen=True)
class Contribution:
    """An answer that added points: the question, the answer given, what it added."""

    question: str
    answer: Any
    points: Mapping[str, int]


@dataclass(frozen=True)
class PathStep:
    """One step of the decision tree: the node and the option chosen there."""

    node: str
    option: str


@dataclass(frozen=True)
class Recommendation:
    """A recommendation scorer's result.

    ``track`` is the recommended track. ``tie`` lists every track that shares
    the top score when more than one does (then ``track`` is the first of them
    in the course's track order); it is empty when there is no tie.
    ``tracks`` holds every track in course order; ``contributions`` the answers
    that added points, in question order; ``path`` the decision-tree steps.
    """

    scorer: str
    track: str
    tie: tuple[str, ...]
    total: int
    tracks: tuple[TrackScore, ...]
    contributions: tuple[Contribution, ...]
    path: tuple[PathStep, ...]
    kind: str = "recommendation"

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data (the shape a browser twin returns too)."""
        return {
            "kind": self.kind, "scorer": self.scorer, "track": self.track,
            "tie": list(self.tie), "total": self.total,
            "tracks": [{"track": t.track, "points": t.points, "share": t.share}
                       for t in self.tracks],
            "contributions": [{"question": c.question, "answer": c.answer,
                               "points": dict(c.points)} for c in self.contributions],
            "path": [{"node": p.node, "option": p.option} for p in self.path],
        }


@dataclass(frozen=True)
class QuestionOutcome:
    """How one knowledge-check question was answered and what it scored (0 to 1)."""

    question: str
    type: str
    status: str  # correct | partial | incorrect | unanswered
    score: float


@dataclass(frozen=True)
class Grade:
    """A grade scorer's result: ``points`` of ``max`` (one per question), ``scaled``
    in [0, 1], ``percent`` rounded half up, ``passed`` against ``mastery``."""

    scorer: str
    points: float
    max: int
    scaled: float
    percent: int
    mastery: int
    passed: bool
    questions: tuple[QuestionOutcome, ...]
    kind: str = "grade"

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data (the shape a browser twin returns too)."""
        return {
            "kind": self.kind, "scorer": self.scorer, "points": self.points, "max": self.max,
            "scaled": self.scaled, "percent": self.percent, "mastery": self.mastery,
            "passed": self.passed,
            "questions": [{"question": q.question, "type": q.type, "status": q.status,
                           "score": q.score} for q in self.questions],
        }




class Scorer:
    """Base class of every scorer (built-in or third-party).

    Class attributes: ``name`` (an id, unique per installation), ``kind``
    (``"recommendation"`` or ``"grade"``), ``title`` (one line), ``options``
    (a cerberus schema like an exporter's: every option has a ``default`` and
    ``meta: {help: ...}``).

    A scorer is pure: the same course, answers and options always give the
    same result, with no I/O, clock or randomness. ``answers`` have been
    checked with :func:`check_answers` before :meth:`score` is called.

    A scorer that packages can run in the learner's browser also has a
    *browser twin*: :meth:`browser_twin_source` returns a classic script (no
    module syntax) that calls ``pmkitScorers.register(name, fn)`` where
    ``fn(table, answers, options)`` returns exactly ``score(...).to_dict()``
    given the :func:`scoring_table`. Without a twin (the default) the scorer
    works everywhere except in browser-run packages.
    """

    name: ClassVar[str]
    kind: ClassVar[str]
    title: ClassVar[str] = ""
    options: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    #: Grade scorers: whether a partly right answer earns part of the grade
    #: (decides, e.g., Moodle's ordering grading type); None when not a grade scorer.
    partial_credit: ClassVar[bool | None] = None

    def score(self, course: m.Course, answers: Mapping[str, Any],
              options: Mapping[str, Any]) -> Recommendation | Grade:
        """Return the result for ``answers``: a :class:`Recommendation` or a :class:`Grade`."""
        raise NotImplementedError(f"scorer {self.name!r} does not implement score()")

    @classmethod
    def browser_twin_source(cls) -> str | None:
        """The JavaScript twin's source, or None when the scorer has none."""
        return None

    def answer_fractions(self, question: m.KnowledgeQuestion) -> Mapping[str, Fraction]:
        """Per-answer fractions (-1 to 1) for LMS formats that grade by fractions.

        Grade scorers that can express their rule this way return a mapping of
        option id (``"true"``/``"false"`` for true/false questions, pair or
        item id for matching and ordering) to fraction; others raise
        :class:`ScorerCannotExpress` with the reason.
        """
        raise ScorerCannotExpress(f"scorer {self.name!r} does not define answer fractions")


def _points(points: m.Points) -> dict[str, int]:
    return dict(points)


def scoring_table(course: m.Course) -> dict[str, Any]:
    """Everything needed to score a course, as plain JSON-ready data.

    ``tracks`` is the tie-break order; ``self_discovery`` the points of a
    "yes"; ``decision_tree`` the routing and points of every option;
    ``knowledge_check`` each question's answer key; ``mastery`` the pass mark
    in percent.
    """
    tree = course.decision_tree
    return {
        "tracks": list(course.track_ids),
        "mastery": course.mastery,
        "scorers": {"recommendation": course.scorers.recommendation,
                    "grade": course.scorers.grade},
        "self_discovery": [
            {"id": q.id, "points": _points(q.points)} for q in course.self_discovery.questions
        ],
        "decision_tree": {
            "start": tree.start,
            "nodes": [
                {"id": n.id, "options": [
                    {"id": o.id, "points": _points(o.points), "next": o.next, "track": o.track}
                    for o in n.options
                ]}
                for n in tree.nodes
            ],
        },
        "knowledge_check": [_answer_key(q) for q in course.knowledge_check.questions],
    }


def _answer_key(q: m.KnowledgeQuestion) -> dict[str, Any]:
    key: dict[str, Any] = {"id": q.id, "type": q.type}
    if isinstance(q, m.ChoiceQuestion):
        key["options"] = [o.id for o in q.options]
        key["correct"] = [o.id for o in q.options if o.correct]
    elif isinstance(q, m.TrueFalseQuestion):
        key["correct"] = q.answer
    elif isinstance(q, m.MatchingQuestion):
        key["answers"] = [p.id for p in q.pairs] + [d.id for d in q.distractors]
        key["correct"] = {p.id: p.id for p in q.pairs}
    elif isinstance(q, m.OrderingQuestion):
        key["correct"] = [i.id for i in q.items]
    return key
