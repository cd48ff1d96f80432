"""The bundled course holds the seed article's facts in the right places.

These tests restate the seed independently of tests/data/seed_facts.txt, so a
fact moved to the wrong field (or lost) fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pmkit.content import model as m
from pmkit.content.load import load_course

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def course() -> m.Course:
    return load_course(ROOT / "content").course


def test_metadata(course: m.Course) -> None:
    assert course.format_version == 1
    assert course.id == "pm-career-paths"
    assert course.language == "en"
    assert course.mastery == 80
    assert course.attribution.publisher == "Coursera"
    assert "informational purposes only" in course.attribution.disclaimer
    assert (course.scorers.recommendation, course.scorers.grade) == ("weighted", "partial-credit")


def test_self_discovery_questions_are_the_seeds(course: m.Course) -> None:
    groups = {g.title: [q.text for q in g.questions] for g in course.self_discovery.groups}
    assert groups == {
        "Your Strategic Mind": [
            "Do you enjoy solving complex problems?",
            "Can you balance different stakeholder needs?",
            "Are you good at seeing the big picture?",
            "Do you like making data-driven decisions?",
        ],
        "Your Leadership Style": [
            "Can you influence without authority?",
            "Are you comfortable with ambiguity?",
            "Do you enjoy coordinating cross-functional teams?",
            "Are you passionate about user needs?",
        ],
    }
    for q in course.self_discovery.questions:
        assert all(0 <= v <= 5 for v in q.points.values()) and any(q.points.values())


TRACKS = {
    "technical-pm": (
        "Tech-savvy individuals who love working with engineering teams",
        [
            "Guide technical product development",
            "Work closely with engineers",
            "Manage technical requirements",
            "Plan feature roadmaps",
        ],
        [
            "Associate Technical Product Manager",
            "Technical PM",
            "Senior Technical Product Manager",
            "Director of Technical Products",
        ],
        ["Tech companies", "B2B products"],
    ),
    "ux-pm": (
        "Customer-focused individuals who love design thinking",
        [
            "Conduct user research",
            "Define user journeys",
            "Create product specs",
            "Drive UX improvements",
        ],
        [
            "Associate Product Manager",
            "Product Manager",
            "Senior PM, UX Focus",
            "Head of Product Experience",
        ],
        ["Consumer products", "digital services"],
    ),
    "strategic-pm": (
        "Business-minded individuals who love strategy and market analysis",
        [
            "Develop product strategy",
            "Analyze market opportunities",
            "Define business models",
            "Drive growth initiatives",
        ],
        [
            "Product Analyst",
            "Product Manager",
            "Senior PM, Strategy",
            "Director of Product Strategy",
        ],
        ["Enterprise products", "startups"],
    ),
}


@pytest.mark.parametrize("track_id", list(TRACKS))
def test_tracks_are_the_seeds(course: m.Course, track_id: str) -> None:
    track = course.track(track_id)
    assert track is not None
    perfect_for, duties, progression, industries = TRACKS[track_id]
    assert track.perfect_for == perfect_for
    assert list(track.duties) == duties
    assert list(track.progression) == progression
    assert [i.lower() for i in track.industries] == [i.lower() for i in industries]
    assert 4 <= len(track.key_skills) <= 6
    assert [(c.title, c.provider, c.url) for c in track.courses] == [
        ("IBM Product Manager Professional Certificate", "Coursera", None)
    ]


def test_track_order(course: m.Course) -> None:
    assert course.track_ids == ("technical-pm", "ux-pm", "strategic-pm")


def test_starting_points_and_decision_tree(course: m.Course) -> None:
    start = course.decision_tree.start_node
    assert [(o.label, o.text, o.track) for o in start.options[:3]] == [
        (
            "Technical Background",
            "Technical PM path leverages your engineering knowledge",
            "technical-pm",
        ),
        ("Design Background", "UX PM path builds on your user-centered skills", "ux-pm"),
        ("Business Background", "Strategic PM path applies your business acumen", "strategic-pm"),
    ]
    new = start.options[3]
    assert (new.label, new.text) == (
        "New to Product",
        "Start with fundamentals and choose based on interests",
    )
    interest = course.decision_tree.node(new.next or "")
    assert interest is not None
    assert {o.track: o.label for o in interest.options} == {
        t.id: t.perfect_for for t in course.tracks
    }


def test_guidance_is_the_seeds(course: m.Course) -> None:
    g = course.guidance
    assert [(w.label, w.text) for w in g.future.work_environments] == [
        ("Startups", "Wear multiple hats"),
        ("Tech companies", "Specialized focus"),
        ("Enterprise", "Complex stakeholders"),
        ("Agencies", "Various products"),
    ]
    assert list(g.first_steps.steps) == [
        "Choose your path based on your background and interests.",
        "Learn product management fundamentals.",
        "Build a portfolio of product cases.",
        "Network with product managers.",
    ]
    assert list(g.continuous_growth.habits) == [
        "Stay current with market trends.",
        "Learn from user feedback.",
        "Build cross-functional skills.",
        "Develop leadership abilities.",
    ]
    assert "balance user needs, business goals, and technical feasibility" in g.closing


def test_knowledge_check_covers_every_type_and_topic(course: m.Course) -> None:
    questions = course.knowledge_check.questions
    assert len(questions) >= 12
    types = {q.type for q in questions}
    assert types == {"single", "multiple", "true-false", "matching", "ordering"}
    for q in questions:
        assert q.explanation
        if isinstance(q, m.ChoiceQuestion):
            assert all(o.feedback for o in q.options)
        elif isinstance(q, m.TrueFalseQuestion):
            assert q.true_feedback and q.false_feedback
        elif isinstance(q, m.MatchingQuestion | m.OrderingQuestion):
            assert q.feedback.correct and q.feedback.partial and q.feedback.incorrect


def test_no_url_is_invented() -> None:
    for path in (ROOT / "content").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "www." not in text, path


@pytest.mark.parametrize("enabled", [True, False])
def test_load_course_leaves_the_callers_garbage_collector_as_it_found_it(
    bundled_content: Path, enabled: bool
) -> None:
    """pmkit switches the collector off while it builds the model; a library
    caller's setting (on or off) is restored, on success and on failure."""
    import gc

    from pmkit.errors import ContentError

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        load_course(bundled_content)
        assert gc.isenabled() is enabled
        (bundled_content / "course.yaml").write_text("pmkit: 1\nid: [broken\n", encoding="utf-8")
        with pytest.raises(ContentError):
            load_course(bundled_content)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_course_without_a_source_validates_and_exports(
    run_cli: Any, bundled_content: Path
) -> None:
    """`source` is optional: a course written from scratch has no publication to credit."""
    import json
    import re

    course_file = bundled_content / "course.yaml"
    text = course_file.read_text(encoding="utf-8")
    without = re.sub(r"^source:\n(?:  .*\n|\n)+", "", text, flags=re.M)
    assert "source:" not in without and without != text
    course_file.write_text(without, encoding="utf-8")
    assert load_course(bundled_content).course.attribution is None
    result = run_cli(
        "export",
        "-q",
        "--content",
        str(bundled_content),
        "-f",
        "json",
        "-f",
        "markdown",
        "-f",
        "html",
        "-f",
        "scorm",
        "-f",
        "moodle",
        "-f",
        "gift",
    )
    assert result.exit_code == 0, result.stderr
    import jsonschema

    exports = Path("exports")
    document = json.loads((exports / "pm-career-paths.json").read_text())
    assert document["course"]["attribution"] is None
    jsonschema.validate(document, json.loads(run_cli("schema").stdout))
    again = run_cli("new", "again", "--from-json", str(exports / "pm-career-paths.json"))
    assert again.exit_code == 0, again.stderr
    assert "source:" not in Path("again/course.yaml").read_text(encoding="utf-8")
    assert load_course(Path("again")).course.attribution is None
    handout = (exports / "pm-career-paths-handout.md").read_text(encoding="utf-8")
    assert "Source and disclaimer" not in handout
