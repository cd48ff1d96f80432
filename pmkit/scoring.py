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
from typing import Any, ClassVar

from pmkit.model import course as m

SCORER_KINDS = ("recommendation", "grade")


class Scorer:
    """Base class of every scorer (built-in or third-party).

    Class attributes: ``name`` (an id, unique per installation), ``kind``
    (``"recommendation"`` or ``"grade"``), ``title`` (one line), ``options``
    (a cerberus schema like an exporter's) and ``browser_twin`` (the file name
    of a classic-script JavaScript twin shipped as package data, or None: a
    scorer without one cannot be used by packages that score in the browser).
    """

    name: ClassVar[str]
    kind: ClassVar[str]
    title: ClassVar[str] = ""
    options: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    browser_twin: ClassVar[str | None] = None

    def score(self, course: m.Course, answers: Mapping[str, Any],
              options: Mapping[str, Any]) -> Mapping[str, Any]:
        """Return the result for ``answers``; must be deterministic and bounded."""
        raise NotImplementedError(f"scorer {self.name!r} does not implement score()")


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
