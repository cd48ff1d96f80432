"""The four built-in scorers, driven through their classes, and the answers checker.

Every rule is checked table-first on the bundled course and on small synthetic
courses built by copying the sample course and editing its YAML (points, track
order, a third track, a knowledge check of true/false questions) to get ties,
zero totals and exact rounding cases.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit.errors import ContentError
from pmkit.pluginhost.host import PluginHost, load_plugins
from pmkit.scoring.answers import check_answers
from pmkit.scoring.scorer import Grade, Recommendation, Scorer, ScorerCannotExpress
from pmkit.testing import canonical_answers

REPO = Path(__file__).resolve().parent.parent

T, U, S = "technical-pm", "ux-pm", "strategic-pm"
A, B, G = "alpha-pm", "beta-pm", "gamma-pm"

#: The bundled course's self-discovery ids, in question order.
BUNDLED_YES_NO = (
    "complex-problems",
    "stakeholder-needs",
    "big-picture",
    "data-driven",
    "influence-without-authority",
    "ambiguity",
    "cross-functional-teams",
    "user-needs",
)


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def host() -> PluginHost:
    """The installed plugins (the built-in scorers among them)."""
    return load_plugins(warn=lambda message: None)


@pytest.fixture(scope="module")
def bundled() -> m.Course:
    """The bundled course (loading only reads it, so the repository copy is used)."""
    return load_course(REPO / "content").course


@pytest.fixture
def sample(sample_course: Path) -> m.Course:
    """The sample course, unchanged."""
    return load_course(sample_course).course


def scorer(host: PluginHost, name: str) -> Scorer:
    """A fresh instance of the scorer registered as ``name``."""
    return host.scorers[name].obj()


def rec(
    host: PluginHost, name: str, course: m.Course, answers: Mapping[str, Any]
) -> Recommendation:
    """Score ``answers`` with the recommendation scorer ``name`` (default options)."""
    assert check_answers(course, answers) == [], "the test's answers must be valid"
    result = scorer(host, name).score(course, answers, {})
    assert isinstance(result, Recommendation)
    return result


def grade(
    host: PluginHost,
    name: str,
    course: m.Course,
    answers: Mapping[str, Any],
    options: Mapping[str, Any] | None = None,
) -> Grade:
    """Score ``answers`` with the grade scorer ``name`` (the starting point may be left out)."""
    start = course.decision_tree.start_node
    checked = {start.id: start.options[0].id, **answers}
    assert check_answers(course, checked) == [], "the test's answers must be valid"
    result = scorer(host, name).score(course, answers, options or {})
    assert isinstance(result, Grade)
    return result


def _edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    """Load a YAML file, let ``change`` edit the data in place, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def synthetic(
    folder: Path,
    *,
    sd_points: Mapping[str, Mapping[str, int]] | None = None,
    tree_points: bool = True,
    track_files: Sequence[str] | None = None,
    gamma: bool = False,
    true_false_questions: int | None = None,
    mastery: int | None = None,
) -> m.Course:
    """Edit the sample course copy in ``folder`` and load it.

    ``sd_points`` replaces the points of the named self-discovery questions;
    ``tree_points=False`` removes the points of every decision-tree option;
    ``gamma`` adds a third track (``gamma-pm``, reached through the interest
    option ``third``); ``track_files`` sets the track order by file stem (e.g.
    ``("beta", "alpha")``); ``true_false_questions`` replaces the knowledge
    check with that many true/false questions (all true); ``mastery`` sets the
    course's pass mark.
    """
    if sd_points:

        def change_sd(data: Any) -> None:
            for group in data["groups"]:
                for q in group["questions"]:
                    if q["id"] in sd_points:
                        q["points"] = dict(sd_points[q["id"]])

        _edit_yaml(folder / "self-discovery.yaml", change_sd)

    def change_tree(data: Any) -> None:
        for node in data["nodes"]:
            if gamma and node["id"] == "interest":
                node["options"].append({"id": "third", "track": G, "points": {G: 2}})
            if not tree_points:
                for option in node["options"]:
                    option.pop("points", None)

    _edit_yaml(folder / "decision-tree.yaml", change_tree)

    if gamma:

        def change_track(data: Any) -> None:
            data.update(
                id=G,
                title="The Gamma Product Manager",
                short_title="Gamma PM",
                perfect_for="People who like the third letter of the alphabet",
            )

        (folder / "tracks" / "gamma.yaml").write_text(
            (folder / "tracks" / "beta.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
        _edit_yaml(folder / "tracks" / "gamma.yaml", change_track)

    def change_course(data: Any) -> None:
        include = data["include"]
        order = (
            list(track_files)
            if track_files
            else [f[len("tracks/") : -len(".yaml")] for f in include if f.startswith("tracks/")]
        )
        if gamma and "gamma" not in order:
            order.append("gamma")
        first = next(i for i, f in enumerate(include) if f.startswith("tracks/"))
        rest = [f for f in include if not f.startswith("tracks/")]
        data["include"] = rest[:first] + [f"tracks/{t}.yaml" for t in order] + rest[first:]
        if mastery is not None:
            data["mastery"] = mastery

    _edit_yaml(folder / "course.yaml", change_course)

    if true_false_questions is not None:

        def change_kc(data: Any) -> None:
            data["questions"] = [
                {
                    "id": f"kc-statement-{i}",
                    "type": "true-false",
                    "prompt": f"Statement number {i} is true.",
                    "explanation": "It is.",
                    "answer": True,
                    "true_feedback": "Right.",
                    "false_feedback": "No, it is.",
                }
                for i in range(1, true_false_questions + 1)
            ]

        _edit_yaml(folder / "knowledge-check.yaml", change_kc)
    try:
        return load_course(folder).course
    except ContentError as exc:  # show why the synthetic course is invalid
        raise AssertionError("\n".join(i.format() for i in exc.issues)) from None


def right_answers(course: m.Course) -> dict[str, Any]:
    """The canonical right answer to every knowledge-check question (no tree answers)."""
    nodes = {n.id for n in course.decision_tree.nodes}
    return {k: v for k, v in canonical_answers(course).items() if k not in nodes}


def question(course: m.Course, qid: str) -> m.KnowledgeQuestion:
    """The knowledge-check question ``qid``."""
    return next(q for q in course.knowledge_check.questions if q.id == qid)


def yes(*ids: str) -> dict[str, bool]:
    """Self-discovery answers: ``True`` for each id."""
    return dict.fromkeys(ids, True)


def points_of(result: Recommendation) -> tuple[int, ...]:
    """Each track's points, in course order."""
    return tuple(t.points for t in result.tracks)


def shares_of(result: Recommendation) -> tuple[int, ...]:
    """Each track's share, in course order."""
    return tuple(t.share for t in result.tracks)


# ------------------------------------------------------------- weighted (bundled)

NEW = {"background": "new-to-product"}

BUNDLED_WEIGHTED = [
    pytest.param(
        {**yes(*BUNDLED_YES_NO), "background": "technical-background"},
        T,
        (),
        (12, 9, 9),
        (40, 30, 30),
        id="all-yes+technical-background",
    ),
    pytest.param(
        {**NEW, "interest": "customer-focused"},
        U,
        (),
        (0, 2, 0),
        (0, 100, 0),
        id="all-no+new+customer-focused",
    ),
    pytest.param(
        {**yes("big-picture"), **NEW, "interest": "customer-focused"},
        S,
        (),
        (0, 2, 3),
        (0, 40, 60),
        id="big-picture+new+customer-focused",
    ),
    pytest.param(
        {**yes("big-picture", "user-needs"), "background": "technical-background"},
        T,
        (T, U, S),
        (3, 3, 3),
        (33, 33, 33),
        id="three-way-tie",
    ),
    pytest.param(
        {**yes("user-needs"), "background": "business-background"},
        U,
        (U, S),
        (0, 3, 3),
        (0, 50, 50),
        id="two-way-tie-ux-strategic",
    ),
    pytest.param(
        {**yes("complex-problems"), **NEW, "interest": "business-minded"},
        T,
        (T, S),
        (3, 0, 3),
        (50, 0, 50),
        id="two-way-tie-via-interest",
    ),
    pytest.param(
        {**yes("complex-problems", "data-driven"), "background": "design-background"},
        T,
        (),
        (5, 4, 3),
        (42, 33, 25),
        id="no-tie-5-4-3",
    ),
]


@pytest.mark.parametrize(("answers", "track", "tie", "points", "shares"), BUNDLED_WEIGHTED)
def test_weighted_on_the_bundled_course(
    host: PluginHost,
    bundled: m.Course,
    answers: dict[str, Any],
    track: str,
    tie: tuple[str, ...],
    points: tuple[int, ...],
    shares: tuple[int, ...],
) -> None:
    result = rec(host, "weighted", bundled, answers)
    assert result.scorer == "weighted" and result.kind == "recommendation"
    assert [t.track for t in result.tracks] == [T, U, S]
    assert points_of(result) == points
    assert result.total == sum(points)
    assert shares_of(result) == shares
    assert result.track == track
    assert result.tie == tie


@pytest.mark.parametrize(("answers", "track", "tie", "points", "shares"), BUNDLED_WEIGHTED)
def test_unanswered_counts_as_no(
    host: PluginHost,
    bundled: m.Course,
    answers: dict[str, Any],
    track: str,
    tie: tuple[str, ...],
    points: tuple[int, ...],
    shares: tuple[int, ...],
) -> None:
    explicit = {**{q: False for q in BUNDLED_YES_NO if q not in answers}, **answers}
    assert rec(host, "weighted", bundled, explicit) == rec(host, "weighted", bundled, answers)


@pytest.mark.parametrize(
    ("answers", "path"),
    [
        pytest.param(
            {"background": "technical-background"},
            [("background", "technical-background")],
            id="background-with-track",
        ),
        pytest.param(
            {**NEW, "interest": "tech-savvy"},
            [("background", "new-to-product"), ("interest", "tech-savvy")],
            id="new-to-product-then-interest",
        ),
        pytest.param(
            {"background": "design-background", "interest": "tech-savvy"},
            [("background", "design-background")],
            id="stray-interest-ignored",
        ),
    ],
)
@pytest.mark.parametrize("name", ["weighted", "decision-tree"])
def test_path_is_the_decision_tree_path(
    host: PluginHost,
    bundled: m.Course,
    name: str,
    answers: dict[str, Any],
    path: list[tuple[str, str]],
) -> None:
    result = rec(host, name, bundled, answers)
    assert [(p.node, p.option) for p in result.path] == path


def test_weighted_ignores_an_interest_answer_off_the_path(
    host: PluginHost, bundled: m.Course
) -> None:
    result = rec(
        host, "weighted", bundled, {"background": "design-background", "interest": "tech-savvy"}
    )
    assert points_of(result) == (0, 3, 0)
    assert [c.question for c in result.contributions] == ["background"]


def test_weighted_contributions_follow_question_order(host: PluginHost, bundled: m.Course) -> None:
    answers = {
        "interest": "business-minded",
        "background": "new-to-product",
        "user-needs": True,
        "ambiguity": False,
        "complex-problems": True,
    }
    result = rec(host, "weighted", bundled, answers)
    assert [(c.question, c.answer, dict(c.points)) for c in result.contributions] == [
        ("complex-problems", True, {T: 3, S: 1}),
        ("user-needs", True, {U: 3}),
        ("interest", "business-minded", {S: 2}),
    ]


# ----------------------------------------------------------- weighted (synthetic)

SYNTHETIC_WEIGHTED = [
    pytest.param(
        {"likes-users": {A: 1, B: 2}},
        {"likes-users": True},
        B,
        (),
        (1, 2),
        (33, 67),
        id="one-third-two-thirds",
    ),
    pytest.param(
        {"likes-experiments": {B: 5}, "likes-users": {A: 1, B: 2}},
        {"likes-experiments": True, "likes-users": True},
        B,
        (),
        (1, 7),
        (13, 88),
        id="one-eighth-rounds-half-up",
    ),
    pytest.param(
        {"likes-prototypes": {A: 3}, "likes-experiments": {B: 5}},
        {"likes-prototypes": True, "likes-experiments": True},
        B,
        (),
        (3, 5),
        (38, 63),
        id="three-eighths-five-eighths",
    ),
    pytest.param({}, {}, A, (A, B), (0, 0), (0, 0), id="total-zero"),
    pytest.param(
        {"likes-prototypes": {A: 2}, "likes-experiments": {B: 2}},
        {"likes-prototypes": True, "likes-experiments": True},
        A,
        (A, B),
        (2, 2),
        (50, 50),
        id="two-way-tie",
    ),
    pytest.param(
        {"likes-users": {A: 5, B: 0}},
        {"likes-users": True},
        A,
        (),
        (5, 0),
        (100, 0),
        id="zero-weight-track",
    ),
]


@pytest.mark.parametrize(
    ("sd_points", "answers", "track", "tie", "points", "shares"), SYNTHETIC_WEIGHTED
)
def test_weighted_on_synthetic_courses(
    host: PluginHost,
    sample_course: Path,
    sd_points: dict[str, dict[str, int]],
    answers: dict[str, Any],
    track: str,
    tie: tuple[str, ...],
    points: tuple[int, ...],
    shares: tuple[int, ...],
) -> None:
    course = synthetic(sample_course, sd_points=sd_points, tree_points=False)
    result = rec(host, "weighted", course, {**answers, "background": "builder"})
    assert points_of(result) == points
    assert result.total == sum(points)
    assert shares_of(result) == shares
    assert result.track == track
    assert result.tie == tie


def test_tie_follows_the_course_track_order_not_the_alphabet(
    host: PluginHost, sample_course: Path
) -> None:
    course = synthetic(
        sample_course,
        sd_points={"likes-prototypes": {A: 2}, "likes-experiments": {B: 2}},
        tree_points=False,
        track_files=("beta", "alpha"),
    )
    result = rec(
        host,
        "weighted",
        course,
        {"likes-prototypes": True, "likes-experiments": True, "background": "builder"},
    )
    assert [t.track for t in result.tracks] == [B, A]
    assert result.tie == (B, A)
    assert result.track == B


@pytest.mark.parametrize(
    ("track_files", "expected"),
    [
        pytest.param(("alpha", "beta", "gamma"), (A, B, G), id="alpha-beta-gamma"),
        pytest.param(("gamma", "alpha", "beta"), (G, A, B), id="gamma-alpha-beta"),
    ],
)
def test_three_way_tie(
    host: PluginHost, sample_course: Path, track_files: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    course = synthetic(
        sample_course,
        sd_points={"likes-users": {A: 1, B: 1, G: 1}},
        tree_points=False,
        gamma=True,
        track_files=track_files,
    )
    result = rec(host, "weighted", course, {"likes-users": True, "background": "tester"})
    assert result.tie == expected
    assert result.track == expected[0]
    assert points_of(result) == (1, 1, 1)
    assert shares_of(result) == (33, 33, 33)


def test_three_tracks_two_tied_at_the_top(host: PluginHost, sample_course: Path) -> None:
    course = synthetic(
        sample_course, sd_points={"likes-users": {A: 1, B: 3, G: 3}}, tree_points=False, gamma=True
    )
    result = rec(host, "weighted", course, {"likes-users": True, "background": "builder"})
    assert result.tie == (B, G)
    assert result.track == B


def test_contributions_hold_only_positive_points(host: PluginHost, sample_course: Path) -> None:
    course = synthetic(sample_course, sd_points={"likes-prototypes": {A: 0, B: 2}})
    result = rec(
        host,
        "weighted",
        course,
        {
            "likes-prototypes": True,
            "likes-experiments": True,
            "likes-users": False,
            "background": "new",
            "interest": "first-letter",
        },
    )
    assert [(c.question, c.answer, dict(c.points)) for c in result.contributions] == [
        ("likes-prototypes", True, {B: 2}),
        ("likes-experiments", True, {B: 2}),
        ("interest", "first-letter", {A: 2}),
    ]
    assert points_of(result) == (2, 4)


def test_an_option_without_points_adds_no_contribution(host: PluginHost, sample: m.Course) -> None:
    result = rec(host, "weighted", sample, {"background": "new", "interest": "twice"})
    assert [c.question for c in result.contributions] == ["interest"]
    assert [(p.node, p.option) for p in result.path] == [
        ("background", "new"),
        ("interest", "twice"),
    ]


# ------------------------------------------------------------------ decision tree

DECISION_TREE = [
    pytest.param(
        {"background": "technical-background", "interest": "customer-focused"},
        T,
        (3, 0, 0),
        id="background-ends-interest-ignored",
    ),
    pytest.param(
        {**NEW, "interest": "customer-focused"}, U, (0, 2, 0), id="new-to-product-customer-focused"
    ),
    pytest.param(
        {**NEW, "interest": "business-minded"}, S, (0, 0, 2), id="new-to-product-business-minded"
    ),
    pytest.param(
        {
            **yes("big-picture", "stakeholder-needs", "data-driven", "ambiguity"),
            "background": "design-background",
        },
        U,
        (0, 3, 0),
        id="leaf-beats-self-discovery",
    ),
    pytest.param(
        {**yes(*BUNDLED_YES_NO), **NEW, "interest": "tech-savvy"},
        T,
        (2, 0, 0),
        id="all-yes-new-tech-savvy",
    ),
    pytest.param(
        {**yes("user-needs"), "background": "business-background"},
        S,
        (0, 0, 3),
        id="weighted-tie-is-no-tie-here",
    ),
]


@pytest.mark.parametrize(("answers", "track", "points"), DECISION_TREE)
def test_decision_tree_on_the_bundled_course(
    host: PluginHost,
    bundled: m.Course,
    answers: dict[str, Any],
    track: str,
    points: tuple[int, ...],
) -> None:
    result = rec(host, "decision-tree", bundled, answers)
    assert result.scorer == "decision-tree"
    assert result.track == track
    assert result.tie == ()
    assert points_of(result) == points
    assert result.total == sum(points)
    assert all(c.question in ("background", "interest") for c in result.contributions)


def test_decision_tree_and_weighted_disagree_when_self_discovery_leans_elsewhere(
    host: PluginHost, bundled: m.Course
) -> None:
    answers = {
        **yes("big-picture", "stakeholder-needs", "data-driven", "ambiguity"),
        "background": "design-background",
    }
    assert rec(host, "weighted", bundled, answers).track == S
    assert rec(host, "decision-tree", bundled, answers).track == U


@pytest.mark.parametrize(
    ("background", "track"),
    [
        pytest.param("builder", A, id="builder"),
        pytest.param("tester", B, id="tester"),
    ],
)
def test_decision_tree_never_ties_even_with_no_points(
    host: PluginHost, sample_course: Path, background: str, track: str
) -> None:
    course = synthetic(sample_course, tree_points=False)
    result = rec(host, "decision-tree", course, {"background": background, "likes-users": True})
    assert result.track == track
    assert result.tie == ()
    assert result.total == 0
    assert shares_of(result) == (0, 0)
    weighted = rec(host, "weighted", course, {"background": background})
    assert weighted.tie == (A, B)


# ------------------------------------------------------------------ grade scorers

# (course, question, answer, partial-credit score, status, all-or-nothing score, status)
PER_TYPE = [
    pytest.param(
        "sample", "kc-single", "first-letter", 1, "correct", 1, "correct", id="single-right"
    ),
    pytest.param("sample", "kc-single", "twice", 0, "incorrect", 0, "incorrect", id="single-wrong"),
    pytest.param(
        "sample", "kc-true-false", True, 1, "correct", 1, "correct", id="true-false-right"
    ),
    pytest.param(
        "sample", "kc-true-false", False, 0, "incorrect", 0, "incorrect", id="true-false-wrong"
    ),
    pytest.param(
        "bundled",
        "kc-field-rewards-specialists-only",
        False,
        1,
        "correct",
        1,
        "correct",
        id="true-false-false-is-right",
    ),
    pytest.param(
        "bundled",
        "kc-field-rewards-specialists-only",
        True,
        0,
        "incorrect",
        0,
        "incorrect",
        id="true-false-true-is-wrong",
    ),
    pytest.param(
        "sample",
        "kc-multiple",
        ["alpha", "beta"],
        1,
        "correct",
        1,
        "correct",
        id="multiple-all-right",
    ),
    pytest.param(
        "sample",
        "kc-multiple",
        ["beta", "alpha"],
        1,
        "correct",
        1,
        "correct",
        id="multiple-all-right-any-order",
    ),
    pytest.param(
        "sample",
        "kc-multiple",
        ["alpha"],
        Fraction(1, 2),
        "partial",
        0,
        "incorrect",
        id="multiple-half-right",
    ),
    pytest.param(
        "sample",
        "kc-multiple",
        ["alpha", "gamma"],
        0,
        "incorrect",
        0,
        "incorrect",
        id="multiple-wrong-clamps-at-zero",
    ),
    pytest.param(
        "sample",
        "kc-multiple",
        ["alpha", "beta", "gamma"],
        0,
        "incorrect",
        0,
        "incorrect",
        id="multiple-everything-chosen",
    ),
    pytest.param(
        "sample", "kc-multiple", ["gamma"], 0, "incorrect", 0, "incorrect", id="multiple-only-wrong"
    ),
    pytest.param(
        "sample", "kc-multiple", [], 0, "incorrect", 0, "incorrect", id="multiple-empty-list"
    ),
    pytest.param(
        "bundled",
        "kc-technical-duties",
        ["guide-development", "work-with-engineers"],
        Fraction(2, 3),
        "partial",
        0,
        "incorrect",
        id="multiple-two-of-three",
    ),
    pytest.param(
        "bundled",
        "kc-technical-duties",
        ["guide-development", "work-with-engineers", "plan-roadmaps", "user-research"],
        Fraction(1, 2),
        "partial",
        0,
        "incorrect",
        id="multiple-all-right-one-wrong",
    ),
    pytest.param(
        "bundled",
        "kc-technical-duties",
        ["guide-development", "work-with-engineers", "user-research"],
        Fraction(1, 6),
        "partial",
        0,
        "incorrect",
        id="multiple-two-right-one-wrong",
    ),
    pytest.param(
        "bundled",
        "kc-technical-duties",
        ["guide-development", "user-research"],
        0,
        "incorrect",
        0,
        "incorrect",
        id="multiple-one-right-one-wrong-clamps",
    ),
    pytest.param(
        "bundled",
        "kc-technical-duties",
        [
            "guide-development",
            "work-with-engineers",
            "plan-roadmaps",
            "user-research",
            "business-models",
        ],
        0,
        "incorrect",
        0,
        "incorrect",
        id="multiple-all-options",
    ),
    pytest.param(
        "bundled",
        "kc-continuous-growth",
        ["market-trends", "user-feedback", "cross-functional", "feasibility-only"],
        Fraction(1, 4),
        "partial",
        0,
        "incorrect",
        id="multiple-three-of-four-one-wrong",
    ),
    pytest.param(
        "sample",
        "kc-matching",
        {"alpha": "alpha", "beta": "beta"},
        1,
        "correct",
        1,
        "correct",
        id="matching-all-right",
    ),
    pytest.param(
        "sample",
        "kc-matching",
        {"alpha": "beta", "beta": "alpha"},
        0,
        "incorrect",
        0,
        "incorrect",
        id="matching-swapped",
    ),
    pytest.param(
        "sample",
        "kc-matching",
        {"alpha": "alpha"},
        Fraction(1, 2),
        "partial",
        0,
        "incorrect",
        id="matching-partial-mapping",
    ),
    pytest.param(
        "sample",
        "kc-matching",
        {"alpha": "alpha", "beta": "juggling"},
        Fraction(1, 2),
        "partial",
        0,
        "incorrect",
        id="matching-distractor",
    ),
    pytest.param(
        "sample", "kc-matching", {}, 0, "incorrect", 0, "incorrect", id="matching-empty-mapping"
    ),
    pytest.param(
        "bundled",
        "kc-match-work-environments",
        {
            "pair-startups": "pair-startups",
            "pair-tech-companies": "pair-tech-companies",
            "pair-enterprise": "pair-enterprise",
        },
        Fraction(3, 4),
        "partial",
        0,
        "incorrect",
        id="matching-three-of-four",
    ),
    pytest.param(
        "sample",
        "kc-ordering",
        ["associate", "beta", "senior"],
        1,
        "correct",
        1,
        "correct",
        id="ordering-right",
    ),
    pytest.param(
        "sample",
        "kc-ordering",
        ["beta", "associate", "senior"],
        Fraction(1, 3),
        "partial",
        0,
        "incorrect",
        id="ordering-first-two-swapped",
    ),
    pytest.param(
        "sample",
        "kc-ordering",
        ["senior", "beta", "associate"],
        Fraction(1, 3),
        "partial",
        0,
        "incorrect",
        id="ordering-reversed-middle-stays",
    ),
    pytest.param(
        "sample",
        "kc-ordering",
        ["senior", "associate", "beta"],
        0,
        "incorrect",
        0,
        "incorrect",
        id="ordering-rotated",
    ),
    pytest.param(
        "bundled",
        "kc-order-first-steps",
        ["choose-path", "learn-fundamentals", "network", "build-portfolio"],
        Fraction(1, 2),
        "partial",
        0,
        "incorrect",
        id="ordering-last-two-swapped",
    ),
]


@pytest.mark.parametrize(
    ("which", "qid", "answer", "pc_score", "pc_status", "aon_score", "aon_status"), PER_TYPE
)
def test_grade_per_question_type(
    host: PluginHost,
    bundled: m.Course,
    sample: m.Course,
    which: str,
    qid: str,
    answer: Any,
    pc_score: Fraction,
    pc_status: str,
    aon_score: int,
    aon_status: str,
) -> None:
    course = bundled if which == "bundled" else sample
    count = len(course.knowledge_check.questions)
    for name, score, status in (
        ("partial-credit", pc_score, pc_status),
        ("all-or-nothing", aon_score, aon_status),
    ):
        result = grade(host, name, course, {qid: answer})
        outcomes = {q.question: q for q in result.questions}
        assert list(outcomes) == [q.id for q in course.knowledge_check.questions]
        outcome = outcomes[qid]
        assert outcome.type == question(course, qid).type
        assert (outcome.status, outcome.score) == (status, pytest.approx(float(score), abs=1e-6)), (
            name
        )
        assert all(
            o.status == "unanswered" and o.score == 0 for o in result.questions if o.question != qid
        )
        assert result.max == count
        assert result.points == pytest.approx(float(score), abs=1e-6)
        assert result.scaled == pytest.approx(float(score) / count, abs=1e-6)


@pytest.mark.parametrize("name", ["partial-credit", "all-or-nothing"])
@pytest.mark.parametrize("which", ["bundled", "sample"])
def test_right_answers_score_full_marks(
    host: PluginHost, bundled: m.Course, sample: m.Course, which: str, name: str
) -> None:
    course = bundled if which == "bundled" else sample
    result = grade(host, name, course, right_answers(course))
    count = len(course.knowledge_check.questions)
    assert (result.points, result.max, result.scaled, result.percent) == (count, count, 1.0, 100)
    assert result.passed is True
    assert result.mastery == course.mastery == 80
    assert {q.status for q in result.questions} == {"correct"}
    assert result.scorer == name and result.kind == "grade"


@pytest.mark.parametrize("name", ["partial-credit", "all-or-nothing"])
@pytest.mark.parametrize("which", ["bundled", "sample"])
def test_no_answers_score_zero(
    host: PluginHost, bundled: m.Course, sample: m.Course, which: str, name: str
) -> None:
    course = bundled if which == "bundled" else sample
    start = course.decision_tree.start_node
    result = grade(host, name, course, {start.id: start.options[0].id})
    assert (result.points, result.scaled, result.percent, result.passed) == (0, 0.0, 0, False)
    assert {q.status for q in result.questions} == {"unanswered"}


# A sample-course answer set: everything right except half of the multiple-answer question.
ALMOST = {
    "kc-single": "first-letter",
    "kc-multiple": ["alpha"],
    "kc-true-false": True,
    "kc-matching": {"alpha": "alpha", "beta": "beta"},
    "kc-ordering": ["associate", "beta", "senior"],
}


@pytest.mark.parametrize(
    ("name", "options", "points", "percent", "mastery", "passed"),
    [
        pytest.param("partial-credit", {}, 4.5, 90, 80, True, id="partial-credit-course-mastery"),
        pytest.param("all-or-nothing", {}, 4.0, 80, 80, True, id="all-or-nothing-exactly-mastery"),
        pytest.param(
            "partial-credit", {"mastery": None}, 4.5, 90, 80, True, id="mastery-none-means-course"
        ),
        pytest.param("partial-credit", {"mastery": 90}, 4.5, 90, 90, True, id="override-90-met"),
        pytest.param(
            "partial-credit", {"mastery": 91}, 4.5, 90, 91, False, id="override-91-missed"
        ),
        pytest.param(
            "all-or-nothing", {"mastery": 81}, 4.0, 80, 81, False, id="all-or-nothing-override-81"
        ),
        pytest.param("all-or-nothing", {"mastery": 0}, 4.0, 80, 0, True, id="override-0"),
    ],
)
def test_totals_and_mastery(
    host: PluginHost,
    sample: m.Course,
    name: str,
    options: dict[str, Any],
    points: float,
    percent: int,
    mastery: int,
    passed: bool,
) -> None:
    result = grade(host, name, sample, ALMOST, options)
    assert result.points == pytest.approx(points)
    assert result.max == 5
    assert result.scaled == pytest.approx(points / 5)
    assert result.percent == percent
    assert result.mastery == mastery
    assert result.passed is passed


def test_all_or_nothing_gives_zero_where_partial_credit_gives_a_fraction(
    host: PluginHost, sample: m.Course
) -> None:
    partial = grade(host, "partial-credit", sample, ALMOST)
    whole = grade(host, "all-or-nothing", sample, ALMOST)
    p = next(q for q in partial.questions if q.question == "kc-multiple")
    w = next(q for q in whole.questions if q.question == "kc-multiple")
    assert (p.status, p.score) == ("partial", 0.5)
    assert (w.status, w.score) == ("incorrect", 0.0)


def test_mastery_zero_passes_even_with_no_answers(host: PluginHost, sample: m.Course) -> None:
    assert grade(host, "partial-credit", sample, {}, {"mastery": 0}).passed is True


def test_the_course_mastery_is_the_default(host: PluginHost, sample_course: Path) -> None:
    course = synthetic(sample_course, mastery=40)
    result = grade(
        host, "partial-credit", course, {"kc-single": "first-letter", "kc-true-false": True}
    )
    assert (result.percent, result.mastery, result.passed) == (40, 40, True)
    assert grade(host, "partial-credit", course, {"kc-single": "first-letter"}).passed is False


@pytest.mark.parametrize(
    ("questions", "right", "percent"),
    [
        pytest.param(8, 1, 13, id="1/8-12.5-rounds-up"),
        pytest.param(8, 3, 38, id="3/8-37.5-rounds-up"),
        pytest.param(8, 5, 63, id="5/8-62.5-rounds-up"),
        pytest.param(8, 7, 88, id="7/8-87.5-rounds-up"),
        pytest.param(3, 1, 33, id="1/3-33"),
        pytest.param(3, 2, 67, id="2/3-67"),
        pytest.param(3, 0, 0, id="0/3-0"),
    ],
)
def test_grade_percent_rounds_half_up(
    host: PluginHost, sample_course: Path, questions: int, right: int, percent: int
) -> None:
    course = synthetic(sample_course, true_false_questions=questions)
    answers = {f"kc-statement-{i}": i <= right for i in range(1, questions + 1)}
    result = grade(host, "partial-credit", course, answers)
    assert result.percent == percent
    assert result.points == right and result.max == questions
    assert result.scaled == pytest.approx(right / questions)


@pytest.mark.parametrize(
    ("right", "mastery", "passed"),
    [
        pytest.param(6, 75, True, id="6/8-meets-75"),
        pytest.param(6, 76, False, id="6/8-misses-76"),
        pytest.param(7, 80, True, id="7/8-meets-80"),
        pytest.param(6, 80, False, id="6/8-misses-80"),
    ],
)
def test_passed_compares_the_exact_score(
    host: PluginHost, sample_course: Path, right: int, mastery: int, passed: bool
) -> None:
    course = synthetic(sample_course, true_false_questions=8)
    answers = {f"kc-statement-{i}": i <= right for i in range(1, 9)}
    assert grade(host, "all-or-nothing", course, answers, {"mastery": mastery}).passed is passed


def test_an_exact_score_meets_an_equal_mastery(host: PluginHost, bundled: m.Course) -> None:
    """Three questions worth 1/3 each, seven right and one half-right question: exactly
    8.5 of 17 points = 50 %, which meets a pass mark of 50 %."""
    answers = {
        **{
            qid: right_answers(bundled)[qid]
            for qid in (
                "kc-technical-perfect-for",
                "kc-design-background",
                "kc-new-to-product",
                "kc-strategic-first-role",
                "kc-ux-industries",
                "kc-field-rewards-specialists-only",
                "kc-strategic-business-models",
            )
        },
        "kc-technical-duties": ["guide-development"],  # 1/3
        "kc-ux-duties": ["user-journeys"],  # 1/3
        "kc-match-perfect-for": {"technical": "technical"},  # 1/3
        "kc-order-first-steps": ["choose-path", "learn-fundamentals", "network", "build-portfolio"],
    }  # 1/2
    result = grade(host, "partial-credit", bundled, answers, {"mastery": 50})
    assert (result.passed, result.percent, result.points, result.scaled) == (True, 50, 8.5, 0.5)


# ------------------------------------------------------------------ answer fractions


@pytest.mark.parametrize(
    "qid",
    ["kc-technical-duties", "kc-ux-duties", "kc-strategic-industries", "kc-continuous-growth"],
)
def test_partial_credit_fractions_of_multiple_answer(
    host: PluginHost, bundled: m.Course, qid: str
) -> None:
    q = question(bundled, qid)
    assert isinstance(q, m.ChoiceQuestion)
    fractions = scorer(host, "partial-credit").answer_fractions(q, {})
    assert list(fractions) == [o.id for o in q.options]
    right = [fractions[o.id] for o in q.options if o.correct]
    wrong = [fractions[o.id] for o in q.options if not o.correct]
    assert sum(right) == 1 and all(f > 0 for f in right)
    assert sum(wrong) == -1 and all(f < 0 for f in wrong)
    assert len(set(right)) == 1 and len(set(wrong)) == 1
    assert all(isinstance(f, Fraction) for f in fractions.values())


@pytest.mark.parametrize("name", ["partial-credit", "all-or-nothing"])
@pytest.mark.parametrize(
    ("qid", "expected"),
    [
        pytest.param(
            "kc-technical-perfect-for",
            {"tech-savvy": 1, "customer-focused": 0, "business-minded": 0},
            id="single",
        ),
        pytest.param(
            "kc-strategic-first-role",
            {"product-analyst": 1, "associate-pm": 0, "associate-tpm": 0, "senior-pm-strategy": 0},
            id="single-four-options",
        ),
        pytest.param("kc-strategic-business-models", {"true": 1, "false": 0}, id="true-false-true"),
        pytest.param(
            "kc-field-rewards-specialists-only", {"true": 0, "false": 1}, id="true-false-false"
        ),
    ],
)
def test_fractions_of_single_and_true_false(
    host: PluginHost, bundled: m.Course, name: str, qid: str, expected: dict[str, int]
) -> None:
    fractions = scorer(host, name).answer_fractions(question(bundled, qid), {})
    assert dict(fractions) == {k: Fraction(v) for k, v in expected.items()}


@pytest.mark.parametrize(
    ("qid", "each"),
    [
        pytest.param("kc-match-starting-points", Fraction(1, 4), id="matching-4-pairs"),
        pytest.param("kc-match-perfect-for", Fraction(1, 3), id="matching-3-pairs"),
        pytest.param("kc-order-first-steps", Fraction(1, 4), id="ordering-4-items"),
    ],
)
def test_partial_credit_fractions_of_matching_and_ordering(
    host: PluginHost, bundled: m.Course, qid: str, each: Fraction
) -> None:
    fractions = scorer(host, "partial-credit").answer_fractions(question(bundled, qid), {})
    assert set(fractions.values()) == {each}
    assert sum(fractions.values()) == 1


@pytest.mark.parametrize(
    "qid",
    [
        pytest.param("kc-technical-duties", id="multiple"),
        pytest.param("kc-match-work-environments", id="matching"),
        pytest.param("kc-order-technical-progression", id="ordering"),
    ],
)
def test_all_or_nothing_cannot_express_partial_types(
    host: PluginHost, bundled: m.Course, qid: str
) -> None:
    with pytest.raises(ScorerCannotExpress) as caught:
        scorer(host, "all-or-nothing").answer_fractions(question(bundled, qid), {})
    assert "partial-credit" in caught.value.reason
    assert question(bundled, qid).type in caught.value.reason


# ---------------------------------------------------------- determinism, JSON


DETERMINISM = [
    pytest.param(
        "weighted",
        {**yes("big-picture", "user-needs"), "background": "technical-background"},
        id="weighted-tie",
    ),
    pytest.param("decision-tree", {**NEW, "interest": "tech-savvy"}, id="decision-tree"),
    pytest.param(
        "partial-credit",
        {
            "kc-technical-duties": ["guide-development"],
            "kc-order-first-steps": [
                "network",
                "learn-fundamentals",
                "build-portfolio",
                "choose-path",
            ],
        },
        id="partial-credit",
    ),
    pytest.param(
        "all-or-nothing", {"kc-match-perfect-for": {"technical": "technical"}}, id="all-or-nothing"
    ),
]


@pytest.mark.parametrize(("name", "answers"), DETERMINISM)
def test_scoring_is_deterministic_and_json_ready(
    host: PluginHost, bundled: m.Course, name: str, answers: dict[str, Any]
) -> None:
    full = {"background": "technical-background", **answers}
    first = scorer(host, name).score(bundled, full, {})
    second = scorer(host, name).score(bundled, dict(reversed(list(full.items()))), {})
    assert first == second
    assert first.to_dict() == second.to_dict()
    text = json.dumps(first.to_dict(), sort_keys=True)
    assert json.loads(text) == first.to_dict()
    assert first.to_dict()["kind"] == scorer(host, name).kind


def test_scorer_classes_describe_themselves(host: PluginHost) -> None:
    kinds = {name: host.scorers[name].obj.kind for name in host.scorers}
    assert {
        k: v
        for k, v in kinds.items()
        if k in ("weighted", "decision-tree", "partial-credit", "all-or-nothing")
    } == {
        "weighted": "recommendation",
        "decision-tree": "recommendation",
        "partial-credit": "grade",
        "all-or-nothing": "grade",
    }


# ------------------------------------------------------------------ check_answers

SB = {"background": "builder"}

CHECK_ANSWERS = [
    pytest.param(
        {**SB, "likes-prototype": True},
        "likes-prototype",
        ["unknown question id 'likes-prototype'", "did you mean 'likes-prototypes'?"],
        id="unknown-id",
    ),
    pytest.param(
        {**SB, "likes-users": "yes"},
        "likes-users",
        ["true or false", "'yes'"],
        id="self-discovery-not-bool",
    ),
    pytest.param(
        {**SB, "likes-users": 1}, "likes-users", ["true or false"], id="self-discovery-number"
    ),
    pytest.param(
        {"background": "buildr"},
        "background",
        [
            "'buildr' is not an option of 'background'",
            "did you mean 'builder'?",
            "options: builder, tester, new",
        ],
        id="unknown-tree-option",
    ),
    pytest.param(
        {"background": "new", "interest": "nope"},
        "interest",
        ["'nope' is not an option of 'interest'"],
        id="unknown-interest-option",
    ),
    pytest.param(
        {"likes-users": True},
        "background",
        ["missing required answer 'background'"],
        id="missing-background",
    ),
    pytest.param(
        {"background": "new"},
        "interest",
        ["missing required answer 'interest'"],
        id="new-without-interest",
    ),
    pytest.param(
        {**SB, "kc-single": ["first-letter"]},
        "kc-single",
        ["one option id"],
        id="single-not-a-string",
    ),
    pytest.param(
        {**SB, "kc-single": "first-leter"},
        "kc-single",
        ["'first-leter' is not an option of 'kc-single'", "did you mean"],
        id="single-unknown-option",
    ),
    pytest.param(
        {**SB, "kc-multiple": "alpha"},
        "kc-multiple",
        ["a list of option ids"],
        id="multiple-not-a-list",
    ),
    pytest.param(
        {**SB, "kc-multiple": ["alpha", "alpha"]}, "kc-multiple", ["twice"], id="multiple-duplicate"
    ),
    pytest.param(
        {**SB, "kc-multiple": ["alpha", "delta"]},
        "kc-multiple",
        ["'delta' is not an option of 'kc-multiple'"],
        id="multiple-unknown-option",
    ),
    pytest.param(
        {**SB, "kc-true-false": "true"},
        "kc-true-false",
        ["true or false"],
        id="true-false-not-bool",
    ),
    pytest.param(
        {**SB, "kc-matching": ["alpha"]},
        "kc-matching",
        ["mapping of prompt id to answer id"],
        id="matching-not-a-mapping",
    ),
    pytest.param(
        {**SB, "kc-matching": {"gamma": "alpha"}},
        "kc-matching",
        ["'gamma' is not a prompt of 'kc-matching'"],
        id="matching-unknown-prompt",
    ),
    pytest.param(
        {**SB, "kc-matching": {"alpha": "juggle"}},
        "kc-matching",
        ["'juggle' is not an answer of 'kc-matching'", "did you mean 'juggling'?"],
        id="matching-unknown-answer",
    ),
    pytest.param(
        {**SB, "kc-ordering": ["associate", "beta"]},
        "kc-ordering",
        ["every item id once"],
        id="ordering-missing-item",
    ),
    pytest.param(
        {**SB, "kc-ordering": ["associate", "beta", "senior", "junior"]},
        "kc-ordering",
        ["every item id once"],
        id="ordering-extra-item",
    ),
    pytest.param(
        {**SB, "kc-ordering": ["associate", "beta", "beta"]},
        "kc-ordering",
        ["every item id once"],
        id="ordering-duplicate-item",
    ),
    pytest.param(
        {**SB, "kc-ordering": "associate"},
        "kc-ordering",
        ["every item id once"],
        id="ordering-not-a-list",
    ),
    pytest.param(["background"], None, ["answers must be a mapping"], id="answers-a-list"),
    pytest.param(None, None, ["answers must be a mapping"], id="answers-none"),
    pytest.param("background: builder", None, ["answers must be a mapping"], id="answers-a-string"),
]


@pytest.mark.parametrize(("answers", "qid", "fragments"), CHECK_ANSWERS)
def test_check_answers_reports(
    sample: m.Course, answers: Any, qid: str | None, fragments: list[str]
) -> None:
    problems = check_answers(sample, answers)
    assert len(problems) == 1, problems
    assert problems[0].question == qid
    for fragment in fragments:
        assert fragment in problems[0].message


def test_check_answers_reports_every_problem(sample: m.Course) -> None:
    problems = check_answers(
        sample, {"likes-prototype": True, "kc-single": 3, "kc-true-false": "yes"}
    )
    assert [p.question for p in problems] == [
        "likes-prototype",
        "kc-single",
        "kc-true-false",
        "background",
    ]


VALID = [
    pytest.param("sample", {"background": "builder"}, id="sample-minimal"),
    pytest.param(
        "sample", {"background": "new", "interest": "twice", "likes-users": False}, id="sample-new"
    ),
    pytest.param(
        "sample", {"background": "tester", "interest": "twice"}, id="sample-stray-interest"
    ),
    pytest.param(
        "sample",
        {"kc-multiple": [], "kc-matching": {}, "background": "builder"},
        id="sample-empty-multiple-and-matching",
    ),
    pytest.param(
        "bundled", {**yes(*BUNDLED_YES_NO), **NEW, "interest": "tech-savvy"}, id="bundled-all-yes"
    ),
]


@pytest.mark.parametrize(("which", "answers"), VALID)
def test_valid_answers_have_no_problems(
    bundled: m.Course, sample: m.Course, which: str, answers: dict[str, Any]
) -> None:
    course = bundled if which == "bundled" else sample
    assert check_answers(course, answers) == []


@pytest.mark.parametrize("which", ["bundled", "sample"])
def test_a_full_answer_set_has_no_problems(bundled: m.Course, sample: m.Course, which: str) -> None:
    course = bundled if which == "bundled" else sample
    answers = {
        **{q.id: True for q in course.self_discovery.questions},
        course.decision_tree.start: course.decision_tree.start_node.options[0].id,
        **right_answers(course),
    }
    assert check_answers(course, answers) == []
