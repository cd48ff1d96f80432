"""Text rendering of scoring results for the terminal (`pmkit score`, `pmkit quiz`)."""

from __future__ import annotations

import sys

from pmkit.content import model as m
from pmkit.scoring.scorer import Grade, Recommendation

BAR_WIDTH = 20


def _blocks() -> tuple[str, str]:
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "█░".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "#", "."
    return "█", "░"


def _answer_text(course: m.Course, question: str, answer: object) -> str:
    node = course.decision_tree.node(question)
    if node is not None:
        option = node.option(str(answer))
        return f"{node.prompt} — {option.label if option else answer}"
    text = next((q.text for q in course.self_discovery.questions if q.id == question), question)
    return f"{text} — {'yes' if answer is True else 'no'}"


def render_recommendation(course: m.Course, rec: Recommendation) -> str:
    """The recommendation with its reasons, a bar chart, the progression and first steps."""
    full, empty = _blocks()
    names = {t.id: t.short_title for t in course.tracks}
    track = course.track(rec.track)
    assert track is not None
    lines = [f"Recommended track: {track.title} ({track.short_title})"]
    if rec.tie:
        tied = ", ".join(names[t] for t in rec.tie[:-1]) + f" and {names[rec.tie[-1]]}"
        lines.append(
            f"  Tie between {tied}: {track.short_title} is named because the course "
            "lists it first. Read about each of them."
        )
    lines += ["", f"Points per track ({rec.scorer} scorer):"]
    width = max(len(n) for n in names.values())
    for score in rec.tracks:
        filled = (score.share * BAR_WIDTH + 50) // 100
        mark = "  <- recommended" if score.track == rec.track else ""
        bar = full * filled + empty * (BAR_WIDTH - filled)
        lines.append(
            f"  {names[score.track]:<{width}}  {bar}  {score.points:>3} pts {score.share:>3}%{mark}"
        )
    total = sum(score.share for score in rec.tracks)
    if total not in (0, 100):
        # Each share is rounded on its own (as the package and the LMS show it).
        lines.append(f"  (shares are rounded to whole percents, so they add up to {total}%)")
    lines += ["", "What drove it:"]
    if not rec.contributions:
        lines.append("  (no answer added points)")
    for c in rec.contributions:
        added = ", ".join(f"{names.get(t, t)} +{p}" for t, p in c.points.items())
        lines.append(f"  {_answer_text(course, c.question, c.answer)}: {added}")
    lines += ["", f"Career progression ({track.short_title}):"]
    lines += [f"  {i}. {step}" for i, step in enumerate(track.progression, 1)]
    steps = course.guidance.first_steps
    if steps is not None:  # a course may leave its first steps out
        lines += ["", f"{steps.heading}:"]
        lines += [f"  {i}. {step}" for i, step in enumerate(steps.steps, 1)]
    return "\n".join(lines)


_STATUS = {
    "correct": "right",
    "partial": "partly right",
    "incorrect": "wrong",
    "unanswered": "not answered",
}


def render_grade(course: m.Course, grade: Grade) -> str:
    """The knowledge-check grade and the outcome of every question."""
    verdict = "passed" if grade.passed else "not passed"
    # Two decimals, as Moodle and most gradebooks show points (not 0.666667).
    points = f"{round(grade.points, 2):g}"
    lines = [
        f"Knowledge check ({grade.scorer}): {points} of {grade.max} points, "
        f"{grade.percent}% — {verdict} (pass mark {grade.mastery}%)"
    ]
    prompts = {q.id: q.prompt for q in course.knowledge_check.questions}
    for q in grade.questions:
        prompt = prompts.get(q.question, q.question)
        short = prompt if len(prompt) <= 70 else prompt[:67] + "..."
        lines.append(f"  {_STATUS[q.status]:<12} {q.score:4.2f}  {short}")
    return "\n".join(lines)
