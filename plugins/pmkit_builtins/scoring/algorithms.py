"""The built-in scoring rules, computed from the scoring table alone.

``js/pmkit-scoring.js`` is a line-by-line twin of this module; a parity test
runs both over every self-discovery and starting-point answer set of the
bundled course and a large sample of knowledge-check responses. Keep the two
in step: same order of operations, integers only until the final division.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pmkit import SCORE_UNITS, percent_of, reaches, share_percent, units

Path = list[dict[str, Any]]


def walk_tree(table: Mapping[str, Any], answers: Mapping[str, Any]) -> tuple[Path, str | None]:
    """The decision-tree path the answers take, and the track it ends in."""
    nodes = {n["id"]: n for n in table["decision_tree"]["nodes"]}
    node = nodes.get(table["decision_tree"]["start"])
    path: Path = []
    while node is not None:
        chosen = answers.get(node["id"])
        option = next((o for o in node["options"] if o["id"] == chosen), None)
        if option is None:
            return path, None
        path.append(
            {
                "node": node["id"],
                "option": option["id"],
                "points": option["points"],
                "track": option["track"],
            }
        )
        if option["track"] is not None:
            return path, option["track"]
        node = nodes.get(option["next"])
    return path, None


def _positive(points: Mapping[str, int]) -> dict[str, int]:
    return {track: p for track, p in points.items() if p > 0}


def recommend(table: Mapping[str, Any], answers: Mapping[str, Any], scorer: str) -> dict[str, Any]:
    """``weighted`` (self-discovery + decision-tree points) or ``decision-tree`` (the path)."""
    tracks = table["tracks"]
    points = {t: 0 for t in tracks}
    contributions = []
    if scorer == "weighted":
        for q in table["self_discovery"]:
            added = _positive(q["points"])
            if answers.get(q["id"]) is True and added:
                for track, p in added.items():
                    points[track] += p
                contributions.append({"question": q["id"], "answer": True, "points": added})
    path, outcome = walk_tree(table, answers)
    for step in path:
        added = _positive(step["points"])
        if added:
            for track, p in added.items():
                points[track] += p
            contributions.append(
                {"question": step["node"], "answer": step["option"], "points": added}
            )
    total = sum(points.values())
    if scorer == "decision-tree" and outcome is not None:
        track, tie = outcome, []
    else:
        top = max(points.values())
        tied = [t for t in tracks if points[t] == top]
        track, tie = tied[0], (tied if len(tied) > 1 else [])
    return {
        "kind": "recommendation",
        "scorer": scorer,
        "track": track,
        "tie": tie,
        "total": total,
        "tracks": [
            {"track": t, "points": points[t], "share": share_percent(points[t], total)}
            for t in tracks
        ],
        "contributions": contributions,
        "path": [{"node": s["node"], "option": s["option"]} for s in path],
    }


def question_fraction(key: Mapping[str, Any], answer: Any, mode: str) -> tuple[int, int]:
    """The score of one answer as numerator/denominator (before clamping to [0, 1])."""
    kind = key["type"]
    if kind in ("single", "true-false"):
        right = answer in key["correct"] if kind == "single" else answer == key["correct"]
        return (1, 1) if right else (0, 1)
    if kind == "multiple":
        correct, chosen = key["correct"], answer
        right = sum(1 for o in chosen if o in correct)
        wrong = len(chosen) - right
        if mode == "all-or-nothing":
            return (1, 1) if right == len(correct) and wrong == 0 else (0, 1)
        k, n = len(correct), len(key["options"])
        return right * (n - k) - wrong * k, k * (n - k)
    if kind == "matching":
        pairs = key["correct"]
        right = sum(1 for left, want in pairs.items() if answer.get(left) == want)
        if mode == "all-or-nothing":
            return (1, 1) if right == len(pairs) else (0, 1)
        return right, len(pairs)
    order = key["correct"]
    right = sum(1 for i, item in enumerate(order) if i < len(answer) and answer[i] == item)
    if mode == "all-or-nothing":
        return (1, 1) if right == len(order) else (0, 1)
    return right, len(order)


def grade(
    table: Mapping[str, Any], answers: Mapping[str, Any], scorer: str, mastery: int
) -> dict[str, Any]:
    """``partial-credit`` (Moodle's rules) or ``all-or-nothing`` over the knowledge check."""
    total_units = 0
    questions = []
    for key in table["knowledge_check"]:
        answer = answers.get(key["id"])
        if answer is None:
            status, got = "unanswered", 0
        else:
            num, den = question_fraction(key, answer, scorer)
            got = units(num, den)
            status = "correct" if num >= den else ("incorrect" if num <= 0 else "partial")
        total_units += got
        questions.append(
            {
                "question": key["id"],
                "type": key["type"],
                "status": status,
                "score": got / SCORE_UNITS,
            }
        )
    count = len(table["knowledge_check"])
    whole = count * SCORE_UNITS
    percent = percent_of(total_units, count)
    return {
        "kind": "grade",
        "scorer": scorer,
        "points": total_units / SCORE_UNITS,
        "max": count,
        "scaled": total_units / whole if whole else 0.0,
        "percent": percent,
        "mastery": mastery,
        "passed": reaches(percent, mastery),
        "questions": questions,
    }
