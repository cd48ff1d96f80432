"""The deterministic option order every exporter shows (docs/decisions.md §39).

Authors write the right answer first more often than not; shown in authoring
order, "A" would nearly always be right. So options are shown in an order
derived from the course id, the question id and each option's id: stable
across exports, runs and machines (no randomness, no clock), different from
question to question, and independent of where an option was written.

A choice question that says ``shuffle: false`` (e.g. one ending in "All of the
above") keeps its authoring order. Option ids never change, so an answer an
LMS recorded means the same thing whatever the order shown.
"""

from __future__ import annotations

import hashlib

from pmkit.content import model as m

#: What :func:`option_order` returns, by question class.
Orderable = m.ChoiceOption | m.MatchPair | m.Distractor | m.OrderItem


def order_key(course_id: str, question_id: str, option_id: str) -> str:
    """The sort key of one option: sha256 of the three ids joined by NUL, in hex."""
    data = f"{course_id}\0{question_id}\0{option_id}".encode()
    return hashlib.sha256(data).hexdigest()


def _ordered(
    course_id: str, question_id: str, options: tuple[Orderable, ...]
) -> tuple[Orderable, ...]:
    # The position breaks a tie between two equal ids (a pair and a distractor may share one).
    keyed = sorted(
        enumerate(options),
        key=lambda pair: (order_key(course_id, question_id, pair[1].id), pair[0]),
    )
    return tuple(option for _, option in keyed)


def option_order(
    course: m.Course,
    question: m.KnowledgeQuestion | str,
) -> tuple[Orderable, ...]:
    """The options of a knowledge-check question in the order to show them.

    ``question`` is the question or its id. By question class:

    * choice (``single``/``multiple``): its options, sorted by
      :func:`order_key` — or in authoring order when the question says
      ``shuffle: false``;
    * matching: the right-hand column — every pair (standing for its
      ``match``) and every distractor — sorted by :func:`order_key`; the
      prompts stay in authoring order;
    * ordering: the items sorted by :func:`order_key`, but never in the
      correct order (that would give the answer away): when the sort gives
      the correct order, the first item moves to the end;
    * true/false: nothing to order, an empty tuple (true comes before false).
    """
    if isinstance(question, str):
        found = course.knowledge_check.question(question)
        if found is None:
            raise KeyError(f"no knowledge-check question {question!r} in course {course.id!r}")
        question = found
    if isinstance(question, m.ChoiceQuestion):
        if not question.shuffle:
            return question.options
        return _ordered(course.id, question.id, question.options)
    if isinstance(question, m.MatchingQuestion):
        return _ordered(course.id, question.id, (*question.pairs, *question.distractors))
    if isinstance(question, m.OrderingQuestion):
        items = _ordered(course.id, question.id, question.items)
        if len(items) > 1 and items == question.items:
            items = (*items[1:], items[0])
        return items
    return ()
