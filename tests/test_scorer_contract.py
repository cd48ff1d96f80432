"""pmkit's own scorers pass the contract suite plugin authors use (pmkit.testing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit.pluginhost.host import load_plugins
from pmkit.testing import ScorerContract, sample_answer_sets, sample_course_path

BUNDLED_CONTENT = Path(__file__).resolve().parent.parent / "content"

_SCORERS = load_plugins(entry_points=False).scorers


class TestWeighted(ScorerContract):
    scorer_class = _SCORERS["weighted"].obj


class TestDecisionTree(ScorerContract):
    scorer_class = _SCORERS["decision-tree"].obj


class TestPartialCredit(ScorerContract):
    scorer_class = _SCORERS["partial-credit"].obj


class TestAllOrNothing(ScorerContract):
    scorer_class = _SCORERS["all-or-nothing"].obj


class TestPartialCreditOnTheBundledCourse(ScorerContract):
    """The suite also runs on any course a plugin author chooses."""

    scorer_class = _SCORERS["partial-credit"].obj
    scorer_options: ClassVar[dict[str, Any]] = {"mastery": 50}

    @pytest.fixture
    def course(self) -> m.Course:
        return load_course(BUNDLED_CONTENT).course


def test_sample_course_ships_with_pmkit() -> None:
    course = load_course(sample_course_path()).course
    assert {q.type for q in course.knowledge_check.questions} == {
        "single",
        "multiple",
        "true-false",
        "matching",
        "ordering",
    }


def test_sample_answer_sets_are_varied_and_stable() -> None:
    course = load_course(sample_course_path()).course
    first: list[dict[str, Any]] = sample_answer_sets(course)
    assert first == sample_answer_sets(course)
    assert len({repr(sorted(a.items())) for a in first}) == len(first)
