"""The quiz the Canvas QTI file describes, in Canvas' terms, built once per export.

Every decision the writer relies on is made here — Canvas question types,
the options in :func:`pmkit.option_order`, which answers are right, points
from the grade scorer, feedback — together with the problems found on the
way, at the question's position. The writer (``canvas.py``) only lays out.

Canvas grades by its own rules, whatever the file says (docs/decisions.md
§41): one right answer for multiple choice and true/false; for multiple
answers 1/R of the points per right answer chosen and minus 1/R per wrong one
(R = right answers, never below 0); for matching an equal share per pair. A
grade scorer whose fractions say otherwise cannot be expressed: the export
refuses it, naming each question, as the Moodle exporters do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pmkit

NAME_LENGTH = 80  # Canvas shows question titles to teachers in the quiz editor

#: Canvas' question types (its ``question_type`` metadata field).
TYPES = {
    "single": "multiple_choice_question",
    "multiple": "multiple_answers_question",
    "true-false": "true_false_question",
    "matching": "matching_question",
    "ordering": "matching_question",
}


@dataclass(frozen=True)
class Choice:
    """A choice: ``id`` (the content's option id, never changed), text and feedback."""

    id: str
    text: str
    feedback: str | None = None


@dataclass(frozen=True)
class Item:
    """One Canvas question.

    ``qtype`` is Canvas' type; ``choices`` are in display order; ``right`` the
    ids of the right choices (choice questions). Matching (and ordering shown
    as matching): ``prompts`` are the left-hand (id, text) rows, ``choices``
    the right-hand answers, ``pairs`` maps a prompt id to its right choice id.
    Texts are plain content text; the writer escapes them.
    """

    id: str
    qtype: str
    title: str
    prompt: str
    points: int
    general_feedback: str | None
    source: pmkit.Source
    choices: tuple[Choice, ...] = ()
    right: frozenset[str] = frozenset()
    prompts: tuple[tuple[str, str], ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    correct_feedback: str | None = None
    incorrect_feedback: str | None = None


@dataclass(frozen=True)
class Quiz:
    """A Canvas quiz: ``kind`` is ``assignment`` (graded) or ``survey``."""

    id: str
    title: str
    description: str
    kind: str
    items: tuple[Item, ...]

    @property
    def points(self) -> int:
        """The quiz's points: the sum of its questions'."""
        return sum(i.points for i in self.items)


def question_title(number: int, text: str) -> str:
    """A short plain-text title: the number and the text's start, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) > NAME_LENGTH:
        flat = flat[: NAME_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return f"{number}. {flat}"


def _issue(src: pmkit.Source, message: str, severity: str = "error") -> pmkit.Issue:
    return pmkit.Issue(src.file, src.line, src.column, message, severity, "qti")  # type: ignore[arg-type]


def _fits(
    course: pmkit.Course,
    q: pmkit.KnowledgeQuestion,
    scorer: Any,
    scorer_options: Mapping[str, Any],
    issues: list[pmkit.Issue],
) -> bool:
    """Whether Canvas grades ``q`` as the scorer does (else an issue is added)."""
    try:
        exact = dict(scorer.answer_fractions(q, scorer_options))
    except pmkit.ScorerCannotExpress as exc:
        issues.append(_issue(q.source, f"question `{q.id}`: {exc.reason}"))
        return False
    where = f"question `{q.id}`: scorer {scorer.name!r}"
    if isinstance(q, pmkit.ChoiceQuestion) and q.type == "multiple":
        right = [o for o in q.options if o.correct]
        share = Fraction(1, len(right))
        if any(exact.get(o.id) != share for o in right) or any(
            exact.get(o.id, Fraction(0)) > 0 for o in q.options if not o.correct
        ):
            issues.append(
                _issue(
                    q.source,
                    f"{where} does not give each right answer an equal "
                    "share, which is how Canvas grades multiple answers",
                )
            )
            return False
        penalties = sorted({-exact.get(o.id, Fraction(0)) for o in q.options if not o.correct})
        if penalties != [share]:
            taken = ", ".join(str(p) for p in penalties)
            issues.append(
                _issue(
                    q.source,
                    f"{where} takes {taken} off per wrong answer chosen; "
                    f"Canvas takes {share} (one right answer's share) — the grades "
                    "differ when a learner ticks a wrong answer",
                    "warning",
                )
            )
        return True
    if isinstance(q, pmkit.ChoiceQuestion):
        expected = {o.id: Fraction(int(o.correct)) for o in q.options}
        rule = "one right answer earns everything"
    elif isinstance(q, pmkit.TrueFalseQuestion):
        expected = {"true": Fraction(int(q.answer)), "false": Fraction(int(not q.answer))}
        rule = "the right answer earns everything"
    elif isinstance(q, pmkit.MatchingQuestion):
        expected = {p.id: Fraction(1, len(q.pairs)) for p in q.pairs}
        rule = "each pair earns an equal share"
    else:
        assert isinstance(q, pmkit.OrderingQuestion)
        expected = {i.id: Fraction(1, len(q.items)) for i in q.items}
        rule = "each item in its right position earns an equal share (shown as matching)"
    if {k: v for k, v in exact.items() if v} != {k: v for k, v in expected.items() if v}:
        issues.append(_issue(q.source, f"{where} does not grade as Canvas does: {rule}"))
        return False
    return True


def _choice_item(course: pmkit.Course, q: pmkit.ChoiceQuestion, common: dict[str, Any]) -> Item:
    options = [o for o in pmkit.option_order(course, q) if isinstance(o, pmkit.ChoiceOption)]
    return Item(
        qtype=TYPES[q.type],
        choices=tuple(Choice(o.id, o.text, o.feedback) for o in options),
        right=frozenset(o.id for o in q.options if o.correct),
        **common,
    )


def _true_false_item(q: pmkit.TrueFalseQuestion, common: dict[str, Any]) -> Item:
    # Canvas shows the two choices' texts; the ids are the answers pmkit records.
    choices = (Choice("true", "True", q.true_feedback), Choice("false", "False", q.false_feedback))
    return Item(
        qtype=TYPES["true-false"],
        choices=choices,
        right=frozenset({"true" if q.answer else "false"}),
        **common,
    )


def _matching_item(course: pmkit.Course, q: pmkit.MatchingQuestion, common: dict[str, Any]) -> Item:
    choices: list[Choice] = []
    by_text: dict[str, str] = {}
    for o in pmkit.option_order(course, q):
        text = o.match if isinstance(o, pmkit.MatchPair) else getattr(o, "text", "")
        if text not in by_text:  # two pairs may share an answer: Canvas lists it once
            by_text[text] = o.id
            choices.append(Choice(o.id, text))
    return Item(
        qtype=TYPES["matching"],
        choices=tuple(choices),
        prompts=tuple((p.id, p.prompt) for p in q.pairs),
        pairs=tuple((p.id, by_text[p.match]) for p in q.pairs),
        correct_feedback=q.feedback.correct,
        incorrect_feedback=q.feedback.incorrect,
        **common,
    )


def _ordering_item(course: pmkit.Course, q: pmkit.OrderingQuestion, common: dict[str, Any]) -> Item:
    """Ordering as matching: each item (shown in option order) matched with its position."""
    shown = [i for i in pmkit.option_order(course, q) if isinstance(i, pmkit.OrderItem)]
    positions = tuple(Choice(f"position-{n}", str(n)) for n in range(1, len(q.items) + 1))
    where = {item.id: f"position-{n}" for n, item in enumerate(q.items, start=1)}
    prompt = (
        f"{common.pop('prompt')}\n\nMatch each item with its position in the order "
        f"(1 = first, {len(q.items)} = last)."
    )
    return Item(
        qtype=TYPES["ordering"],
        prompt=prompt,
        choices=positions,
        prompts=tuple((i.id, i.text) for i in shown),
        pairs=tuple((i.id, where[i.id]) for i in shown),
        correct_feedback=q.feedback.correct,
        incorrect_feedback=q.feedback.incorrect,
        **common,
    )


def build_quiz(
    course: pmkit.Course,
    scorer: Any,
    *,
    scorer_options: Mapping[str, Any] | None = None,
    points: int = 1,
    ordering: str = "matching",
) -> tuple[Quiz, list[pmkit.Issue]]:
    """The graded quiz and every problem found (errors stop the export).

    ``scorer_options`` are the grade scorer's option values (its defaults when None).
    ``ordering="skip"`` leaves ordering questions out with a warning naming each.
    Canvas' partial-credit feedback has no place in its classic quizzes: a
    warning says so once per question that has one.
    """
    if scorer_options is None:
        scorer_options = {o.name: o.default for o in scorer.options}
    issues: list[pmkit.Issue] = []
    items: list[Item] = []
    for number, q in enumerate(course.knowledge_check.questions, start=1):
        if isinstance(q, pmkit.OrderingQuestion) and ordering == "skip":
            issues.append(
                _issue(
                    q.source,
                    f"ordering question `{q.id}` left out (-o ordering "
                    "skip); Canvas classic quizzes have no ordering type",
                    "warning",
                )
            )
            continue
        if not _fits(course, q, scorer, scorer_options, issues):
            continue
        common: dict[str, Any] = {
            "id": q.id,
            "title": question_title(number, q.prompt),
            "prompt": q.prompt,
            "points": points,
            "general_feedback": q.explanation,
            "source": q.source,
        }
        if isinstance(q, pmkit.ChoiceQuestion):
            items.append(_choice_item(course, q, common))
        elif isinstance(q, pmkit.TrueFalseQuestion):
            items.append(_true_false_item(q, common))
        elif isinstance(q, pmkit.MatchingQuestion):
            items.append(_matching_item(course, q, common))
        else:
            assert isinstance(q, pmkit.OrderingQuestion)
            items.append(_ordering_item(course, q, common))
    kc = course.knowledge_check
    quiz = Quiz(
        id=f"pmkit-{course.id}-knowledge-check",
        title=kc.title,
        description=kc.intro or "",
        kind="assignment",
        items=tuple(items),
    )
    return quiz, issues


def build_survey(course: pmkit.Course) -> Quiz:
    """The self-discovery questions as an ungraded Canvas survey (yes/no, no right answer)."""
    sd = course.self_discovery
    items = tuple(
        Item(
            id=q.id,
            qtype="multiple_choice_question",
            title=question_title(n, q.text),
            prompt=q.text,
            points=0,
            general_feedback=None,
            source=q.source,
            choices=(Choice("yes", "Yes"), Choice("no", "No")),
        )
        for n, q in enumerate(sd.questions, start=1)
    )
    return Quiz(
        id=f"pmkit-{course.id}-self-discovery",
        title=sd.title,
        description=sd.intro,
        kind="survey",
        items=items,
    )
