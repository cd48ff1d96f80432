"""Test helpers for plugin authors (opt-in; pmkit registers no pytest plugin by itself).

Use the contract suites by subclassing them in your own tests::

    from pmkit.testing import ScorerContract
    from pmkit_myscorer import MyScorer

    class TestMyScorer(ScorerContract):
        scorer_class = MyScorer

Every check then runs against pmkit's small, stable sample course (override
the ``course`` fixture to use your own). The helpers below build answer sets
in the answers format (DECISIONS 10) for any course.

Optionally, ``pytest_plugins = ["pmkit.testing"]`` in your root conftest makes
the ``pmkit_sample_course`` fixture available everywhere.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import pytest

from pmkit.answers import check_answers
from pmkit.model import course as m
from pmkit.model.load import load_course
from pmkit.scoring import SCORER_KINDS, Grade, Recommendation, Scorer

__all__ = [
    "ScorerContract",
    "canonical_answers",
    "sample_answer_sets",
    "sample_course_path",
    "tree_paths",
]


def sample_course_path() -> Path:
    """The folder of pmkit's sample course (small, stable, every question type)."""
    return Path(str(resources.files("pmkit").joinpath("data", "sample-course")))


def tree_paths(course: m.Course) -> list[dict[str, str]]:
    """Every way through the decision tree, as answers (node id -> option id)."""
    tree = course.decision_tree
    paths: list[dict[str, str]] = []

    def walk(node: m.TreeNode, so_far: dict[str, str]) -> None:
        for option in node.options:
            here = {**so_far, node.id: option.id}
            following = tree.node(option.next) if option.next else None
            if following is None:
                paths.append(here)
            else:
                walk(following, here)

    walk(tree.start_node, {})
    return paths


def canonical_answers(course: m.Course) -> dict[str, Any]:
    """Every knowledge-check question answered right, plus the first tree path."""
    answers: dict[str, Any] = dict(tree_paths(course)[0])
    for q in course.knowledge_check.questions:
        if isinstance(q, m.ChoiceQuestion):
            right = [o.id for o in q.options if o.correct]
            answers[q.id] = right[0] if q.type == "single" else right
        elif isinstance(q, m.TrueFalseQuestion):
            answers[q.id] = q.answer
        elif isinstance(q, m.MatchingQuestion):
            answers[q.id] = {p.id: p.id for p in q.pairs}
        elif isinstance(q, m.OrderingQuestion):
            answers[q.id] = [i.id for i in q.items]
    return answers


def _random_graded(q: m.KnowledgeQuestion, rng: random.Random) -> Any:
    if isinstance(q, m.ChoiceQuestion):
        ids = [o.id for o in q.options]
        return rng.choice(ids) if q.type == "single" else rng.sample(ids, rng.randint(0, len(ids)))
    if isinstance(q, m.TrueFalseQuestion):
        return rng.random() < 0.5
    if isinstance(q, m.MatchingQuestion):
        rights = [p.id for p in q.pairs] + [d.id for d in q.distractors]
        return {p.id: rng.choice(rights) for p in q.pairs if rng.random() < 0.8}
    assert isinstance(q, m.OrderingQuestion)
    return rng.sample([i.id for i in q.items], len(q.items))


def sample_answer_sets(course: m.Course, count: int = 40, seed: int = 0) -> list[dict[str, Any]]:
    """Varied, valid answer sets (seeded, so the same every run).

    Includes the canonical right answers and, for every tree path, an answer
    set with nothing else; the rest mix yes/no answers, paths and graded
    answers (some questions left unanswered).
    """
    rng = random.Random(seed)
    paths = tree_paths(course)
    sets: list[dict[str, Any]] = [canonical_answers(course), *[dict(p) for p in paths]]
    while len(sets) < count:
        answers: dict[str, Any] = dict(rng.choice(paths))
        for q in course.self_discovery.questions:
            if rng.random() < 0.8:
                answers[q.id] = rng.random() < 0.5
        for kq in course.knowledge_check.questions:
            if rng.random() < 0.8:
                answers[kq.id] = _random_graded(kq, rng)
        sets.append(answers)
    for answers in sets:
        assert check_answers(course, answers) == [], "sample answers must be valid"
    return sets


@pytest.fixture
def pmkit_sample_course() -> m.Course:
    """pmkit's sample course, loaded (a pytest fixture of the opt-in plugin)."""
    return load_course(sample_course_path()).course



class ScorerContract:
    """What every scorer must do; subclass it and set ``scorer_class``.

    Checks, for every kind: identity (name, kind, title), a valid options
    schema whose options all have a default and help, purity (the same
    answers give equal results, and the answers are not modified), bounded
    results over many answer sets. For ``grade`` scorers: full credit for the
    canonical right answers, zero for an empty response. For
    ``recommendation`` scorers: every track reported once in course order and a
    consistent, tie-aware choice.
    """

    scorer_class: ClassVar[type[Scorer]]
    #: Options passed to ``score`` (defaults from the schema are applied first).
    scorer_options: ClassVar[dict[str, Any]] = {}

    @pytest.fixture
    def course(self) -> m.Course:
        """The course the checks run on (override to use your own)."""
        return load_course(sample_course_path()).course

    @pytest.fixture
    def answer_sets(self, course: m.Course) -> list[dict[str, Any]]:
        """The answer sets the bounds and determinism checks use."""
        return sample_answer_sets(course)

    def _score(self, course: m.Course, answers: dict[str, Any]) -> Recommendation | Grade:
        options = {k: rule.get("default") for k, rule in self.scorer_class.options.items()}
        options.update(self.scorer_options)
        return self.scorer_class().score(course, answers, options)

    def _results(self, course: m.Course,
                 answer_sets: list[dict[str, Any]]) -> Iterator[Recommendation | Grade]:
        for answers in answer_sets:
            yield self._score(course, answers)

    def test_identity(self) -> None:
        import re

        cls = self.scorer_class
        assert isinstance(cls.name, str) and re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", cls.name)
        assert cls.kind in SCORER_KINDS
        assert isinstance(cls.title, str) and cls.title.strip(), "give the scorer a title"
        assert (cls.__doc__ or "").strip(), "document the scoring rule in the class docstring"

    def test_options_schema(self) -> None:
        import cerberus

        schema = dict(self.scorer_class.options)
        cerberus.Validator(schema)  # raises SchemaError when invalid
        for key, rule in schema.items():
            assert "default" in rule, f"option {key!r} needs a default"
            assert (rule.get("meta") or {}).get("help"), f"option {key!r} needs meta.help"

    def test_pure_and_deterministic(self, course: m.Course,
                                    answer_sets: list[dict[str, Any]]) -> None:
        import copy
        import json

        for answers in answer_sets:
            before = copy.deepcopy(answers)
            first, second = self._score(course, answers), self._score(course, answers)
            assert first == second
            assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())
            assert answers == before, "a scorer must not modify the answers"

    def test_results_are_bounded(self, course: m.Course,
                                 answer_sets: list[dict[str, Any]]) -> None:
        for result in self._results(course, answer_sets):
            if self.scorer_class.kind == "grade":
                assert isinstance(result, Grade)
                assert result.max == len(course.knowledge_check.questions)
                assert 0 <= result.points <= result.max
                assert 0.0 <= result.scaled <= 1.0
                assert 0 <= result.percent <= 100
                assert all(0.0 <= q.score <= 1.0 for q in result.questions)
                assert result.passed == (result.percent >= result.mastery)
            else:
                assert isinstance(result, Recommendation)
                assert all(t.points >= 0 and 0 <= t.share <= 100 for t in result.tracks)

    def test_grade_extremes(self, course: m.Course) -> None:
        if self.scorer_class.kind != "grade":
            return
        best = self._score(course, canonical_answers(course))
        assert isinstance(best, Grade)
        assert best.scaled == 1.0 and best.points == best.max
        assert all(q.status == "correct" for q in best.questions)
        empty = self._score(course, dict(tree_paths(course)[0]))
        assert isinstance(empty, Grade)
        assert empty.scaled == 0.0 and empty.points == 0
        assert all(q.status == "unanswered" for q in empty.questions)

    def test_recommendation_is_complete_and_tie_aware(
        self, course: m.Course, answer_sets: list[dict[str, Any]]
    ) -> None:
        if self.scorer_class.kind != "recommendation":
            return
        for result in self._results(course, answer_sets):
            assert isinstance(result, Recommendation)
            assert [t.track for t in result.tracks] == list(course.track_ids)
            assert result.track in course.track_ids
            assert result.total == sum(t.points for t in result.tracks)
            if result.tie:
                assert len(result.tie) >= 2 and result.track in result.tie
                assert len(set(result.tie)) == len(result.tie)
                assert set(result.tie) <= set(course.track_ids)
                top = {t.track: t.points for t in result.tracks}
                assert len({top[t] for t in result.tie}) == 1, "tied tracks share one score"
