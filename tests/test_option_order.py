"""The deterministic option order (pmkit.option_order): stable, not authoring order, opt-out."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import pmkit
from pmkit.content.order import order_key


@pytest.fixture(scope="module")
def course() -> pmkit.Course:
    return pmkit.load_course(Path(__file__).resolve().parent.parent / "content").course


def test_the_key_is_sha256_of_the_three_ids() -> None:
    assert order_key("c", "q", "o") == hashlib.sha256(b"c\0q\0o").hexdigest()


def test_choice_options_are_sorted_by_the_key(course: pmkit.Course) -> None:
    for q in course.knowledge_check.questions:
        if isinstance(q, pmkit.ChoiceQuestion):
            shown = pmkit.option_order(course, q)
            assert sorted(shown, key=lambda o: order_key(course.id, q.id, o.id)) == list(shown)
            assert {o.id for o in shown} == {o.id for o in q.options}
            assert pmkit.option_order(course, q.id) == shown


def test_the_right_answer_is_no_longer_always_first(course: pmkit.Course) -> None:
    singles = [
        q
        for q in course.knowledge_check.questions
        if isinstance(q, pmkit.ChoiceQuestion) and q.type == "single"
    ]
    assert all(q.options[0].correct for q in singles), "the bundled course writes it first"
    first_right = [q.id for q in singles if next(iter(pmkit.option_order(course, q))).correct]  # type: ignore[union-attr]
    assert len(first_right) < len(singles)


def test_the_order_depends_on_the_course_id(course: pmkit.Course) -> None:
    import dataclasses

    other = dataclasses.replace(course, id="another-course")
    orders = [
        (
            tuple(o.id for o in pmkit.option_order(course, q)),
            tuple(o.id for o in pmkit.option_order(other, q)),
        )
        for q in course.knowledge_check.questions
        if isinstance(q, pmkit.ChoiceQuestion)
    ]
    assert any(a != b for a, b in orders)


def test_shuffle_false_keeps_the_authoring_order(bundled_content: Path) -> None:
    path = bundled_content / "knowledge-check.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "  - id: kc-technical-perfect-for\n    type: single\n",
            "  - id: kc-technical-perfect-for\n    type: single\n    shuffle: false\n",
            1,
        ),
        encoding="utf-8",
    )
    course = pmkit.load_course(bundled_content).course
    q = course.knowledge_check.question("kc-technical-perfect-for")
    assert isinstance(q, pmkit.ChoiceQuestion) and q.shuffle is False
    assert pmkit.option_order(course, q) == q.options
    others = [
        x
        for x in course.knowledge_check.questions
        if isinstance(x, pmkit.ChoiceQuestion) and x.id != q.id
    ]
    assert all(x.shuffle for x in others)
    assert pmkit.to_data(q)["shuffle"] is False


def test_shuffle_must_be_a_boolean_and_only_on_choice_questions(bundled_content: Path) -> None:
    path = bundled_content / "knowledge-check.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    type: single\n", "    type: single\n    shuffle: maybe\n", 1).replace(
            "    type: true-false\n", "    type: true-false\n    shuffle: false\n", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(pmkit.ContentError) as caught:
        pmkit.load_course(bundled_content)
    text = str(caught.value) + "".join(str(i) for i in getattr(caught.value, "issues", ()))
    assert "shuffle" in text


def test_matching_orders_the_answers_and_keeps_the_prompts(course: pmkit.Course) -> None:
    for q in course.knowledge_check.questions:
        if isinstance(q, pmkit.MatchingQuestion):
            shown = pmkit.option_order(course, q)
            assert {o.id for o in shown} == {o.id for o in (*q.pairs, *q.distractors)}
            assert list(shown) == sorted(shown, key=lambda o: order_key(course.id, q.id, o.id))


def test_ordering_is_never_shown_in_the_right_order(course: pmkit.Course) -> None:
    for q in course.knowledge_check.questions:
        if isinstance(q, pmkit.OrderingQuestion):
            shown = pmkit.option_order(course, q)
            assert sorted(i.id for i in shown) == sorted(i.id for i in q.items)
            assert shown != q.items


def test_two_items_in_the_right_order_are_swapped() -> None:
    from pmkit.content import model as m

    src = m.Source("x.yaml", 1, 1)
    for n in range(40):  # some of these ids sort into the right order: they must be swapped
        items = (m.OrderItem(f"a{n}", "A", src), m.OrderItem(f"b{n}", "B", src))
        fb = m.CombinedFeedback("c", "p", "i", src)
        q = m.OrderingQuestion(
            id="q",
            type="ordering",
            prompt="p",
            explanation="e",
            tracks=(),
            source=src,
            items=items,
            feedback=fb,
        )
        course = type("C", (), {"id": "c"})()
        assert pmkit.option_order(course, q) == (items[1], items[0])  # type: ignore[arg-type]


def test_true_false_has_nothing_to_order(course: pmkit.Course) -> None:
    q = next(q for q in course.knowledge_check.questions if q.type == "true-false")
    assert pmkit.option_order(course, q) == ()


def test_an_unknown_question_id_is_a_key_error(course: pmkit.Course) -> None:
    with pytest.raises(KeyError):
        pmkit.option_order(course, "no-such-question")
