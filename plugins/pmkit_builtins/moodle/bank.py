"""The question bank both Moodle formats render: Moodle XML and GIFT.

Built once from the course and the chosen grade scorer, it holds every
decision the two renderers share — categories, names, answer fractions
(snapped to Moodle's list), feedback, grading modes — and the problems found
on the way, in the content's terms (file:line of the question). The renderers
only escape and lay out.

Checks here are the rules Moodle's question editor applies but its importer
does not (docs/moodle-import.md): an export that
passes them imports cleanly and every question can be opened and saved in the
editor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import pmkit
from pmkit_builtins.moodle.fractions import ALLOWED, nearest, percent, split_whole

NAME_LENGTH = 80  # readable in the bank's list; Moodle's limit is 255
IDNUMBER_LENGTH = 100


@dataclass(frozen=True)
class Answer:
    """A choice (multichoice) or a truth value (truefalse: text ``true``/``false``)."""

    id: str
    text: str
    fraction: Fraction
    feedback: str | None


@dataclass(frozen=True)
class Question:
    """One bank question, in Moodle's terms.

    ``qtype`` is ``multichoice``, ``truefalse``, ``matching`` or ``ordering``.
    Texts are plain content text: each renderer escapes them for its format.
    ``pairs`` (matching) lists (prompt, answer), distractors with an empty
    prompt; ``items`` (ordering) is the correct order; ``grading`` is
    ``ABSOLUTE_POSITION`` or ``ALL_OR_NOTHING`` (ordering).
    """

    id: str
    qtype: str
    name: str
    text: str
    general_feedback: str | None
    default_grade: int
    source: pmkit.Source
    single: bool = True
    answers: tuple[Answer, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    items: tuple[str, ...] = ()
    combined: pmkit.CombinedFeedback | None = None
    grading: str | None = None
    tags: tuple[str, ...] = ()


@dataclass
class Category:
    """A category path (``$course$/top/...``, ``/`` inside names doubled) and its questions."""

    path: str
    info: str
    questions: list[Question] = field(default_factory=list)


@dataclass
class Bank:
    """Categories with their questions, and the issues found while building them."""

    categories: list[Category]
    issues: list[pmkit.Issue]

    @property
    def questions(self) -> list[Question]:
        """Every question, category by category."""
        return [q for c in self.categories for q in c.questions]


def category_name(name: str) -> str:
    """A category name inside a path: Moodle reads ``//`` as a literal ``/``."""
    return " ".join(name.split()).replace("/", "//")


def question_name(text: str) -> str:
    """A short, plain-text name: the text's first line, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= NAME_LENGTH:
        return flat
    cut = flat[: NAME_LENGTH - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _issue(src: pmkit.Source, message: str, severity: str = "error") -> pmkit.Issue:
    return pmkit.Issue(src.file, src.line, src.column, message, severity, "moodle")  # type: ignore[arg-type]


def _points_text(course: pmkit.Course, points: pmkit.Points) -> str:
    names = {t.id: t.short_title for t in course.tracks}
    given = [f"{names.get(t, t)} (+{p})" for t, p in points.items() if p > 0]
    return (
        "This answer points to: " + ", ".join(given) + "."
        if given
        else ("This answer adds no points to any track.")
    )


def _quoted(text: str) -> str:
    return f"\u201c{' '.join(text.split())}\u201d"


def _leads_here(course: pmkit.Course, node: pmkit.TreeNode) -> str | None:
    """Which earlier answers lead to ``node``, said in its question text (None: the start).

    A bank has no branching, so every learner meets every follow-up question;
    this line tells them which answer it follows. A node several answers lead to
    (a join) names all of them, grouped by question in the tree's order.
    """
    parts = []
    for parent in course.decision_tree.nodes:
        labels = [_quoted(o.label) for o in parent.options if o.next == node.id]
        if labels:
            parts.append(f"{' or '.join(labels)} to {_quoted(parent.prompt)}")
    if not parts:
        return None
    return f"(If you answered {', or '.join(parts)})"


def _reflection(course: pmkit.Course) -> list[Question]:
    """Self-discovery and starting-point questions: ungraded, every answer accepted."""
    out = []
    tf = ("Yes", "No")
    for q in course.self_discovery.questions:
        answers: tuple[Answer, ...] = (
            Answer("yes", tf[0], Fraction(1), _points_text(course, q.points)),
            Answer("no", tf[1], Fraction(1), "This answer adds no points to any track."),
        )
        out.append(
            Question(
                id=q.id,
                qtype="multichoice",
                name=question_name(q.text),
                text=q.text,
                general_feedback=None,
                default_grade=0,
                source=q.source,
                answers=answers,
                tags=tuple(t for t, p in q.points.items() if p > 0),
            )
        )
    for node in course.decision_tree.nodes:
        choices: list[Answer] = []
        for option in node.options:
            track = course.track(option.track) if option.track else None
            feedback: str | None
            if track is not None:
                feedback = f"This answer leads to the {track.short_title} track."
            else:
                following = course.decision_tree.node(option.next or "")
                feedback = f"Next question: {following.prompt}" if following else None
            if option.text:
                feedback = f"{option.text}\n\n{feedback}" if feedback else option.text
            choices.append(Answer(option.id, option.label, Fraction(1), feedback))
        paragraphs = [node.prompt, _leads_here(course, node), node.text]
        out.append(
            Question(
                id=node.id,
                qtype="multichoice",
                name=question_name(node.prompt),
                text="\n\n".join(p for p in paragraphs if p),
                general_feedback=None,
                default_grade=0,
                source=node.source,
                answers=tuple(choices),
            )
        )
    return out


def _snap_multiple(
    q: pmkit.ChoiceQuestion, exact: dict[str, Fraction], issues: list[pmkit.Issue]
) -> dict[str, Fraction] | None:
    right = [o.id for o in q.options if o.correct]
    split = split_whole(len(right))
    if split is None:
        issues.append(
            _issue(
                q.source,
                f"question `{q.id}`: {len(right)} right options cannot "
                "share 100 % in Moodle's fractions (at most 20 can); mark fewer "
                "options right",
            )
        )
        return None
    snapped = dict(zip(right, split, strict=True))
    for o in q.options:
        if not o.correct:
            snapped[o.id] = nearest(exact[o.id])
    rounded = [
        f"{oid} {percent(exact[oid])} % → {percent(snapped[oid])} %"
        for oid in exact
        if exact[oid] != snapped[oid]
    ]
    if rounded:
        issues.append(
            _issue(
                q.source,
                f"question `{q.id}`: fractions rounded to Moodle's list: {'; '.join(rounded)}",
                "warning",
            )
        )
    return snapped


def _graded(
    course: pmkit.Course,
    q: pmkit.KnowledgeQuestion,
    scorer: Any,
    scorer_options: Mapping[str, Any],
    issues: list[pmkit.Issue],
) -> Question | None:
    common: dict[str, Any] = {
        "id": q.id,
        "name": question_name(q.prompt),
        "text": q.prompt,
        "general_feedback": q.explanation,
        "default_grade": 1,
        "source": q.source,
        "tags": q.tracks,
    }
    if isinstance(q, pmkit.OrderingQuestion):
        if scorer.partial_credit is False:
            grading = "ALL_OR_NOTHING"
        else:
            try:
                exact = scorer.answer_fractions(q, scorer_options)
            except pmkit.ScorerCannotExpress as exc:
                issues.append(_issue(q.source, f"question `{q.id}`: {exc.reason}"))
                return None
            if set(exact.values()) != {Fraction(1, len(q.items))}:
                issues.append(
                    _issue(
                        q.source,
                        f"question `{q.id}`: scorer {scorer.name!r} does "
                        "not grade by absolute position, which is how Moodle grades"
                        " ordering questions",
                    )
                )
                return None
            grading = "ABSOLUTE_POSITION"
        return Question(
            qtype="ordering",
            items=tuple(i.text for i in q.items),
            combined=q.feedback,
            grading=grading,
            **common,
        )
    try:
        exact = dict(scorer.answer_fractions(q, scorer_options))
    except pmkit.ScorerCannotExpress as exc:
        issues.append(_issue(q.source, f"question `{q.id}`: {exc.reason}"))
        return None
    if isinstance(q, pmkit.MatchingQuestion):
        if set(exact.values()) != {Fraction(1, len(q.pairs))}:
            issues.append(
                _issue(
                    q.source,
                    f"question `{q.id}`: Moodle grades matching pairs "
                    f"equally; scorer {scorer.name!r} does not",
                )
            )
            return None
        pairs = tuple((p.prompt, p.match) for p in q.pairs) + tuple(
            ("", d.text) for d in q.distractors
        )
        return Question(qtype="matching", pairs=pairs, combined=q.feedback, **common)
    if isinstance(q, pmkit.TrueFalseQuestion):
        answers: tuple[Answer, ...] = (
            Answer("true", "true", Fraction(1) if q.answer else Fraction(0), q.true_feedback),
            Answer("false", "false", Fraction(0) if q.answer else Fraction(1), q.false_feedback),
        )
        return Question(qtype="truefalse", answers=answers, **common)
    assert isinstance(q, pmkit.ChoiceQuestion)
    if q.type == "multiple":
        snapped = _snap_multiple(q, exact, issues)
        if snapped is None:
            return None
    else:
        snapped = {oid: nearest(v) for oid, v in exact.items()}
    # The shared option order (Moodle may shuffle again on top, with -o shuffle).
    answers = tuple(
        Answer(o.id, o.text, snapped[o.id], o.feedback)
        for o in pmkit.option_order(course, q)
        if isinstance(o, pmkit.ChoiceOption)
    )
    return Question(
        qtype="multichoice",
        single=q.type == "single",
        answers=answers,
        combined=_choice_feedback(q),
        **common,
    )


def _choice_feedback(q: pmkit.ChoiceQuestion) -> pmkit.CombinedFeedback | None:
    if q.type != "multiple":
        return None
    return pmkit.CombinedFeedback(
        correct="Your answer is correct.",
        partial="Your answer is partially correct.",
        incorrect="Your answer is incorrect.",
        source=q.source,
    )


def check_editor_rules(bank: Bank) -> list[pmkit.Issue]:
    """Rules Moodle's editor enforces but its importer does not (RULES §5)."""
    issues = []
    for q in bank.questions:
        where = f"question `{q.id}`"
        if len(q.id) > IDNUMBER_LENGTH:
            issues.append(_issue(q.source, f"{where}: idnumber longer than 100 characters"))
        if q.qtype == "multichoice" and len(q.answers) < 2:
            issues.append(_issue(q.source, f"{where}: a choice question needs 2 answers"))
        if (
            q.qtype == "multichoice"
            and q.default_grade
            and q.single
            and (max(a.fraction for a in q.answers) != 1)
        ):
            issues.append(
                _issue(q.source, f"{where}: a single-answer question needs a 100 % answer")
            )
        if (
            q.qtype == "multichoice"
            and q.default_grade
            and not q.single
            and (sum(a.fraction for a in q.answers if a.fraction > 0) != 1)
        ):
            issues.append(_issue(q.source, f"{where}: the right answers must add up to 100 %"))
        if any(a.fraction not in ALLOWED for a in q.answers):
            issues.append(_issue(q.source, f"{where}: a fraction is not in Moodle's list"))
        if any(not a.text.strip() for a in q.answers):
            issues.append(_issue(q.source, f"{where}: an answer is empty"))
        if not q.name.strip() or not q.text.strip():
            issues.append(_issue(q.source, f"{where}: the question text is blank"))
        if q.qtype == "matching":
            if any(not a.strip() for _, a in q.pairs):
                # Moodle saves the broken pair, then silently skips every later question.
                issues.append(_issue(q.source, f"{where}: a matching answer is blank"))
            prompts = [p for p, _ in q.pairs if p]
            answers = {a for _, a in q.pairs}
            if len(prompts) < 2 or len(answers) < 3:
                issues.append(
                    _issue(
                        q.source,
                        f"{where}: matching needs at least 2 prompts and 3 different answers",
                    )
                )
        if q.qtype == "ordering" and len([i for i in q.items if i.strip()]) < 2:
            issues.append(_issue(q.source, f"{where}: ordering needs at least 2 items"))
    return issues


def build_bank(
    course: pmkit.Course,
    scorer: Any,
    *,
    scorer_options: Mapping[str, Any] | None = None,
    root: str | None = None,
    ordering: str = "native",
    skip_reason: str = "-o ordering skip (Moodle before 4.4 has no ordering type)",
) -> Bank:
    """The bank: a knowledge-check category and a self-discovery category under ``root``.

    ``scorer_options`` are the grade scorer's option values (its defaults when
    None). ``root`` defaults to ``$course$/top/<course title>``; ``ordering="skip"``
    leaves ordering questions out, with a warning naming each and saying
    ``skip_reason``.
    """
    base = root if root is not None else f"$course$/top/{category_name(course.title)}"
    if scorer_options is None:
        scorer_options = {o.name: o.default for o in scorer.options}
    issues: list[pmkit.Issue] = []
    graded = Category(
        f"{base}/{category_name(course.knowledge_check.title)}",
        course.knowledge_check.intro or course.knowledge_check.title,
    )
    for q in course.knowledge_check.questions:
        if isinstance(q, pmkit.OrderingQuestion) and ordering == "skip":
            issues.append(
                _issue(q.source, f"ordering question `{q.id}` left out: {skip_reason}", "warning")
            )
            continue
        built = _graded(course, q, scorer, scorer_options, issues)
        if built is not None:
            graded.questions.append(built)
    reflection = Category(
        f"{base}/{category_name(course.self_discovery.title)}",
        course.self_discovery.intro,
        _reflection(course),
    )
    bank = Bank([graded, reflection], issues)
    bank.issues.extend(check_editor_rules(bank))
    return bank
