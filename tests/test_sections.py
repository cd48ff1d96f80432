"""The section model (pmkit.course_sections): every page, in order, with all the course says."""

from __future__ import annotations

from pathlib import Path

import pytest

import pmkit

PAGES = (
    "introduction",
    "self-discovery",
    "tracks",
    "decision-tree",
    "future",
    "next-steps",
    "knowledge-check",
)


@pytest.fixture(scope="module")
def course() -> pmkit.Course:
    return pmkit.load_course(Path(__file__).resolve().parent.parent / "content").course


@pytest.fixture(scope="module")
def sections(course: pmkit.Course) -> tuple[pmkit.CourseSection, ...]:
    return pmkit.course_sections(course)


def _texts(section: pmkit.CourseSection) -> str:
    out: list[str] = [section.title]
    for b in section.blocks:
        if isinstance(b, pmkit.HeadingBlock | pmkit.ParagraphBlock):
            out.append(b.text)
        elif isinstance(b, pmkit.ListBlock):
            out += b.items
        elif isinstance(b, pmkit.TermsBlock):
            out += [t for pair in b.terms for t in pair]
        elif isinstance(b, pmkit.TableBlock):
            out += [b.caption, *b.header, *(c for row in b.rows for c in row)]
        else:
            assert isinstance(b, pmkit.QuestionBlock)
            out += [b.prompt, b.text or "", *(c.text for c in (*b.choices, *b.prompts))]
    return "\n".join(out)


def test_pages_in_reading_order_with_stable_ids(sections: tuple[pmkit.CourseSection, ...]) -> None:
    assert tuple(s.id for s in sections) == PAGES
    assert all(s.title and s.blocks for s in sections)
    assert all(pmkit.is_id(s.id) for s in sections)


def test_every_text_is_flat(sections: tuple[pmkit.CourseSection, ...]) -> None:
    for s in sections:
        for line in _texts(s).split("\n"):
            assert line == " ".join(line.split())


def test_every_question_is_on_its_page(
    course: pmkit.Course, sections: tuple[pmkit.CourseSection, ...]
) -> None:
    by_id = {s.id: s for s in sections}
    assert [q.id for q in by_id["self-discovery"].questions] == [
        q.id for q in course.self_discovery.questions
    ]
    assert [q.id for q in by_id["decision-tree"].questions] == [
        n.id for n in course.decision_tree.nodes
    ]
    shown = by_id["knowledge-check"].questions
    assert [q.id for q in shown] == [q.id for q in course.knowledge_check.questions]
    assert [q.number for q in shown] == list(range(1, len(shown) + 1))


def test_choices_follow_the_option_order(
    course: pmkit.Course, sections: tuple[pmkit.CourseSection, ...]
) -> None:
    for block in sections[-1].questions:
        q = course.knowledge_check.question(block.id)
        assert q is not None
        if isinstance(q, pmkit.ChoiceQuestion | pmkit.OrderingQuestion):
            assert [c.id for c in block.choices] == [o.id for o in pmkit.option_order(course, q)]
        if isinstance(q, pmkit.MatchingQuestion):
            assert [p.id for p in block.prompts] == [p.id for p in q.pairs]
            texts = [c.text for c in block.choices]
            assert len(texts) == len(set(texts))
            assert set(texts) == {p.match for p in q.pairs} | {d.text for d in q.distractors}
        if isinstance(q, pmkit.TrueFalseQuestion):
            assert [c.id for c in block.choices] == ["true", "false"]
        assert block.answer and block.explanation == q.explanation


def test_nothing_the_course_says_is_lost(
    course: pmkit.Course, sections: tuple[pmkit.CourseSection, ...]
) -> None:
    everything = "\n".join(_texts(s) for s in sections)
    flat = " ".join(everything.split())
    g = course.guidance
    expected = [
        course.introduction.heading,
        course.attribution.disclaimer,
        g.tracks_intro.text,
        g.making_your_choice.heading,
        g.closing,
        *g.first_steps.steps,
        *g.continuous_growth.habits,
        *(w.text for w in g.future.work_environments),
    ]
    for track in course.tracks:
        expected += [
            track.title,
            track.perfect_for,
            *track.duties,
            *track.key_skills,
            *track.progression,
            *track.industries,
        ]
    for text in expected:
        for para in text.split("\n\n"):
            assert " ".join(para.split()) in flat, para[:60]


def test_the_scoring_key_holds_the_weights(
    course: pmkit.Course, sections: tuple[pmkit.CourseSection, ...]
) -> None:
    table = next(b for b in sections[1].blocks if isinstance(b, pmkit.TableBlock))
    assert len(table.header) == 1 + len(course.tracks)
    assert all(len(row) == len(table.header) for row in table.rows)
    first = course.self_discovery.questions[0]
    row = next(r for r in table.rows if first.text.split()[0] in r[0])
    for i, track in enumerate(course.track_ids, start=1):
        assert row[i] == (str(first.points[track]) if first.points.get(track, 0) > 0 else "")


def test_the_model_is_frozen(sections: tuple[pmkit.CourseSection, ...]) -> None:
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        sections[0].title = "x"  # type: ignore[misc]
