"""The scoring table: the data a scorer (or its JavaScript twin) needs.

Derived from the course and shipped with exports, so a third-party exporter
can score without reading the model's classes.
"""

from __future__ import annotations

from typing import Any

from pmkit.content import model as m


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
        "scorers": {"recommendation": course.scorers.recommendation, "grade": course.scorers.grade},
        "self_discovery": [
            {"id": q.id, "points": _points(q.points)} for q in course.self_discovery.questions
        ],
        "decision_tree": {
            "start": tree.start,
            "nodes": [
                {
                    "id": n.id,
                    "options": [
                        {"id": o.id, "points": _points(o.points), "next": o.next, "track": o.track}
                        for o in n.options
                    ],
                }
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
