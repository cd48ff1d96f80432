"""The scorer API: the :class:`Scorer` base class and the results it returns.

A scorer turns a learner's answers (docs/decisions.md §10: a mapping of question id to
answer) into a result. It is a pure function of (course, answers, options):
no I/O, no clock, no randomness, so Python and a browser twin can agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from pmkit.content import model as m
from pmkit.options import Option

SCORER_KINDS = ("recommendation", "grade")


class ScorerCannotExpress(Exception):
    """Raised by a scorer asked for something it cannot express (e.g. Moodle fractions).

    ``reason`` says why, in words an exporter can show the user.
    """

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


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
            "kind": self.kind,
            "scorer": self.scorer,
            "track": self.track,
            "tie": list(self.tie),
            "total": self.total,
            "tracks": [
                {"track": t.track, "points": t.points, "share": t.share} for t in self.tracks
            ],
            "contributions": [
                {"question": c.question, "answer": c.answer, "points": dict(c.points)}
                for c in self.contributions
            ],
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
            "kind": self.kind,
            "scorer": self.scorer,
            "points": self.points,
            "max": self.max,
            "scaled": self.scaled,
            "percent": self.percent,
            "mastery": self.mastery,
            "passed": self.passed,
            "questions": [
                {"question": q.question, "type": q.type, "status": q.status, "score": q.score}
                for q in self.questions
            ],
        }


class Scorer:
    """Base class of every scorer (built-in or third-party).

    Class attributes: ``name`` (an id, unique per installation), ``kind``
    (``"recommendation"`` or ``"grade"``), ``title`` (one line), ``options``
    (a tuple of :class:`pmkit.Option` declarations, like an exporter's).

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
    options: ClassVar[tuple[Option, ...]] = ()
    #: Grade scorers: whether a partly right answer earns part of the grade
    #: (decides, e.g., Moodle's ordering grading type); None when not a grade scorer.
    partial_credit: ClassVar[bool | None] = None

    def score(
        self, course: m.Course, answers: Mapping[str, Any], options: Mapping[str, Any]
    ) -> Recommendation | Grade:
        """Return the result for ``answers``: a :class:`Recommendation` or a :class:`Grade`."""
        raise NotImplementedError(f"scorer {self.name!r} does not implement score()")

    @classmethod
    def browser_twin_source(cls) -> str | None:
        """The JavaScript twin's source, or None when the scorer has none."""
        return None

    def answer_fractions(
        self, question: m.KnowledgeQuestion, options: Mapping[str, Any]
    ) -> Mapping[str, Fraction]:
        """Per-answer fractions (-1 to 1) for LMS formats that grade by fractions.

        ``options`` are the scorer's option values, as :meth:`score` gets them
        (an exporter asks :meth:`pmkit.ExportContext.scorer_options` for them).
        Grade scorers that can express their rule this way return a mapping of
        option id (``"true"``/``"false"`` for true/false questions, pair or
        item id for matching and ordering) to fraction; others raise
        :class:`ScorerCannotExpress` with the reason.
        """
        raise ScorerCannotExpress(f"scorer {self.name!r} does not define answer fractions")
