"""A learner's answers: reading them from a file and checking them against a course.

The answers format (docs/decisions.md §10) is a mapping of question id to answer:
``true``/``false`` for self-discovery and true/false questions; an option id
for single choice and for each decision-tree node; a list of option ids for
multiple answer; a mapping of pair id -> pair or distractor id for matching;
a list of item ids for ordering. Unanswered = absent. The starting point (the
decision tree's first node) is required, and so is every node the chosen
options lead to.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pmkit.content import model as m
from pmkit.errors import AnswersError
from pmkit.issues import Issue
from pmkit.suggest import did_you_mean


@dataclass(frozen=True)
class AnswerProblem:
    """Something wrong with one answer (``question`` is None for the whole file)."""

    question: str | None
    message: str


def _options(ids: list[str]) -> str:
    return ", ".join(ids)


def _is_id(value: Any) -> bool:
    return isinstance(value, str)


def check_answers(course: m.Course, answers: Any) -> list[AnswerProblem]:
    """Every problem with ``answers`` for ``course`` (an empty list when they are fine)."""
    if not isinstance(answers, Mapping):
        return [AnswerProblem(None, "answers must be a mapping of question id to answer")]
    problems: list[AnswerProblem] = []
    yes_no = {q.id for q in course.self_discovery.questions}
    nodes = {n.id: n for n in course.decision_tree.nodes}
    graded = {q.id: q for q in course.knowledge_check.questions}
    known = sorted(yes_no | set(nodes) | set(graded))
    for qid, answer in answers.items():
        if answer is None and isinstance(qid, str) and qid in known:
            continue  # `key:` left empty means unanswered, like a missing key
        if not isinstance(qid, str) or qid not in known:
            problems.append(
                AnswerProblem(
                    str(qid), f"unknown question id {qid!r}{did_you_mean(str(qid), known)}"
                )
            )
        elif qid in yes_no:
            if not isinstance(answer, bool):
                problems.append(
                    AnswerProblem(qid, f"answer {qid!r} with true or false, not {answer!r}")
                )
        elif qid in nodes:
            problems.extend(_check_node(nodes[qid], answer))
        else:
            problems.extend(_check_graded(graded[qid], answer))
    problems.extend(_check_path(course, answers))
    return problems


def _check_node(node: m.TreeNode, answer: Any) -> list[AnswerProblem]:
    ids = [o.id for o in node.options]
    if not _is_id(answer) or answer not in ids:
        return [
            AnswerProblem(
                node.id,
                f"{answer!r} is not an option of {node.id!r}"
                f"{did_you_mean(str(answer), ids)} (options: {_options(ids)})",
            )
        ]
    return []


def _check_path(course: m.Course, answers: Mapping[str, Any]) -> list[AnswerProblem]:
    tree = course.decision_tree
    node: m.TreeNode | None = tree.start_node
    while node is not None:
        chosen = answers.get(node.id)
        if chosen is None:
            ids = _options([o.id for o in node.options])
            what = "the starting point" if node.id == tree.start else "this follow-up question"
            return [
                AnswerProblem(
                    node.id,
                    f"missing required answer {node.id!r} ({what}); answer with one of: {ids}",
                )
            ]
        option = node.option(chosen) if isinstance(chosen, str) else None
        if option is None:
            return []  # already reported as a bad option
        node = tree.node(option.next) if option.next else None
    return []


def _check_graded(q: m.KnowledgeQuestion, answer: Any) -> list[AnswerProblem]:
    def bad(message: str) -> list[AnswerProblem]:
        return [AnswerProblem(q.id, message)]

    if isinstance(q, m.TrueFalseQuestion):
        return (
            []
            if isinstance(answer, bool)
            else bad(f"answer {q.id!r} with true or false, not {answer!r}")
        )
    if isinstance(q, m.ChoiceQuestion):
        ids = [o.id for o in q.options]
        chosen = [answer] if q.type == "single" else answer
        if q.type == "single" and not _is_id(answer):
            return bad(f"answer {q.id!r} with one option id (options: {_options(ids)})")
        if q.type == "multiple" and not isinstance(answer, list):
            return bad(f"answer {q.id!r} with a list of option ids (options: {_options(ids)})")
        for option in chosen:
            if not _is_id(option) or option not in ids:
                return bad(
                    f"{option!r} is not an option of {q.id!r}"
                    f"{did_you_mean(str(option), ids)} (options: {_options(ids)})"
                )
        if len(set(chosen)) != len(chosen):
            return bad(f"an option is chosen twice in {q.id!r}")
        return []
    if isinstance(q, m.MatchingQuestion):
        lefts = [p.id for p in q.pairs]
        rights = lefts + [d.id for d in q.distractors]
        if not isinstance(answer, Mapping):
            return bad(
                f"answer {q.id!r} with a mapping of prompt id to answer id "
                f"(prompts: {_options(lefts)})"
            )
        for left, right in answer.items():
            if left not in lefts:
                return bad(
                    f"{left!r} is not a prompt of {q.id!r}{did_you_mean(str(left), lefts)} "
                    f"(prompts: {_options(lefts)})"
                )
            if not _is_id(right) or right not in rights:
                return bad(
                    f"{right!r} is not an answer of {q.id!r}"
                    f"{did_you_mean(str(right), rights)} (answers: {_options(rights)})"
                )
        return []
    if isinstance(q, m.OrderingQuestion):
        ids = [i.id for i in q.items]
        if (
            not isinstance(answer, list)
            or sorted(map(str, answer)) != sorted(ids)
            or not all(_is_id(a) for a in answer)
        ):
            return bad(
                f"answer {q.id!r} with every item id once, in your order (items: {_options(ids)})"
            )
        return []
    return []  # pragma: no cover - every question type is handled above


def load_answers(raw: bytes, file: str) -> tuple[Any, Any]:
    """Parse an answers file (YAML or JSON) safely; returns (answers, document).

    Raises :class:`AnswersError` with positioned issues when it does not parse.
    """
    from pmkit.content.yaml_positions import load_yaml

    # JSON is read as YAML too, so problems in it get line and column.
    doc, issues = load_yaml(raw, file)
    if doc is not None:
        return doc.data, doc
    if raw.lstrip().startswith((b"{", b"[")):
        try:  # JSON that YAML 1.1 reads differently (e.g. tabs between tokens)
            return json.loads(raw.decode("utf-8-sig")), None
        except (ValueError, UnicodeDecodeError):
            pass
    raise AnswersError(
        [
            Issue(
                i.file,
                i.line,
                i.column,
                "the answers file is empty; write one `question-id: answer` per line"
                if "the file is empty" in i.message
                else i.message,
                code="answers",
            )
            for i in issues
        ]
    )


def answer_issues(problems: list[AnswerProblem], file: str, doc: Any) -> list[Issue]:
    """Problems as positioned issues (at the answer's key when the file was YAML)."""
    issues = []
    for p in problems:
        line, column = (1, 1)
        if doc is not None and p.question is not None:
            line, column = doc.position((p.question,), key=True)
        issues.append(Issue(file, line, column, p.message, code="answers"))
    return sorted(issues)
