"""The learner's course, second edition (issue 15), in a real browser.

Knowledge-check attempts (the LMS keeps the best one, a limit refuses more),
the check a few questions per screen with "Check" and "Skip", keyboard only,
the decision tree as one journey from the learner's own answers, and axe on
every new screen state at desktop and phone width. The shared kit is
tests/browserkit.py; the persona learner and its helpers are
tests/test_scorm_browser.py's.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from browserkit import (
    LmsSession,
    OpenCourse,
    PageRecord,
    axe_check,
    format_violations,
    serve,
    unzip,
)
from playwright.sync_api import Page, expect
from test_scorm_browser import (
    NEW_TO_PRODUCT,
    TECHNICAL,
    VERSIONS,
    Learner,
    assert_no_runtime_errors,
    by_id,
    export,
    grade,
    knowledge_plan,
    rows,
    run_to_knowledge_check,
    self_discovery_answers,
)

import pmkit
from pmkit.content import model as m
from pmkit.content.load import load_course

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> tuple[m.Course, dict[str, Path]]:
    """The bundled course with an attempt limit of 2, exported in both versions."""
    content = tmp_path_factory.mktemp("limited") / "content"
    shutil.copytree(REPO / "content", content)
    kc = content / "knowledge-check.yaml"
    text = kc.read_text(encoding="utf-8")
    kc.write_text(
        text.replace("check_each_question: true\n", "check_each_question: true\nattempts: 2\n", 1),
        encoding="utf-8",
    )
    course = load_course(content).course
    assert course.knowledge_check.attempts == 2
    out = tmp_path_factory.mktemp("limited-exports")
    return course, {v: export(content, v, out) for v in VERSIONS}


def score_and_status(session: LmsSession) -> tuple[str, str]:
    """The raw score and the success status the LMS holds."""
    if session.version == "1.2":
        return session.get("cmi.core.score.raw"), session.get("cmi.core.lesson_status")
    return session.get("cmi.score.raw"), session.get("cmi.success_status")


def audit(learner: Learner, where: str, found: dict[str, str]) -> None:
    violations = axe_check(learner.c)
    if violations:
        found[where] = format_violations(violations)


# --------------------------------------------------------------------------- option order


def shown_option_ids(learner: Learner, course: m.Course) -> dict[str, list[str]]:
    """Option ids of the choice questions on the current knowledge-check screen, as shown."""
    shown = {}
    for q in course.knowledge_check.questions:
        if not isinstance(q, m.ChoiceQuestion):
            continue
        inputs = learner.at(f"input[name='kc_{q.id}']")
        if inputs.count():
            prefix = f"kc_{q.id}_"
            shown[q.id] = [
                i.removeprefix(prefix) for i in inputs.evaluate_all("els => els.map(e => e.id)")
            ]
    return shown


@pytest.mark.parametrize("version", VERSIONS)
def test_options_are_shown_in_the_shared_order_and_stay_so_on_resume(
    lms: OpenCourse,
    page_record: PageRecord,
    limited: tuple[m.Course, dict[str, Path]],
    version: str,
) -> None:
    """The app shows options as pmkit.option_order orders them (the right answer is not
    always first), and a relaunched session shows the same order."""
    course, packages = limited
    session = lms(packages[version], version)
    learner = Learner(session.course)
    run_to_knowledge_check(learner, course, self_discovery_answers(course), TECHNICAL)
    shown = shown_option_ids(learner, course)
    assert shown, "the first screen of the check has choice questions"
    expected = {qid: [o.id for o in pmkit.option_order(course, qid)] for qid in shown}
    assert shown == expected
    by_id_ = {q.id: q for q in course.knowledge_check.questions}
    assert any(
        not next(o for o in by_id_[qid].options if o.id == ids[0]).correct  # type: ignore[union-attr]
        for qid, ids in shown.items()
    ), "a right answer first everywhere would give the answers away"
    again = session.relaunch()
    resumed = Learner(again.course)
    resumed.expect_screen("knowledge-check")
    assert shown_option_ids(resumed, course) == shown
    assert_no_runtime_errors(again)


# --------------------------------------------------------------------------- attempts


@pytest.mark.parametrize("version", VERSIONS)
def test_a_retry_never_lowers_what_the_lms_holds_and_the_limit_holds(
    lms: OpenCourse,
    page_record: PageRecord,
    limited: tuple[m.Course, dict[str, Path]],
    version: str,
) -> None:
    course, packages = limited
    session = lms(packages[version], version)
    learner = Learner(session.course)
    answers = run_to_knowledge_check(learner, course, self_discovery_answers(course), TECHNICAL)
    sd_and_tree = dict(answers)
    # attempt 1: all right, passed, 100
    learner.answer_knowledge(course, knowledge_plan(course, "right"))
    learner.submit_knowledge()
    expect(learner.at("#kc-score")).to_have_attribute("data-percent", "100")
    expect(learner.at("#btn-next")).to_have_text("Next")
    assert score_and_status(session) == ("100", "passed")
    count_after_first = len(rows(session, "interactions"))
    expect(learner.at("#kc-attempts")).to_contain_text("Attempt 1 of 2")
    # Try again: only the check is cleared
    learner.at("#kc-retry").click()
    expect(learner.at("#kc-attempt")).to_contain_text("Attempt 2 of 2")
    expect(learner.at("#kc-attempt")).to_contain_text("best score so far: 100%")
    state = learner.state()
    assert state["answers"] == sd_and_tree
    assert state["attempts"] == 1 and state["best"] == 100
    # attempt 2: all wrong; the LMS keeps 100 and passed, the answers are appended
    given = learner.answer_knowledge(course, knowledge_plan(course, "wrong"))
    learner.submit_knowledge()
    expect(learner.at("#kc-score")).to_have_attribute(
        "data-percent", str(grade(course, {**sd_and_tree, **given}).percent)
    )
    assert score_and_status(session) == ("100", "passed")
    held = rows(session, "interactions")
    kc_ids = [q.id for q in course.knowledge_check.questions]
    assert len(held) == count_after_first + len(kc_ids)
    assert [row["id"] for row in held[count_after_first:]] == kc_ids
    assert all(row["result"] != "correct" for row in held[count_after_first:])
    # the limit: no third attempt
    expect(learner.at("#kc-retry")).to_have_count(0)
    expect(learner.at("#kc-no-retry")).to_contain_text("used all 2 attempts")
    assert learner.c.evaluate("() => pmkitApp.state().attempts") == 2
    learner.walk_to("finish")
    expect(learner.at("#kc-best")).to_contain_text("100%")
    learner.finish()
    decoded = learner.decode(session.get("cmi.suspend_data"))
    assert decoded is not None and decoded["attempts"] == 2 and decoded["best"] == 100
    session.unload()
    assert score_and_status(session) == ("100", "passed")
    assert_no_runtime_errors(session)
    page_record.assert_clean()


def test_a_failed_check_is_retried_to_a_pass_and_the_best_is_reported(
    lms: OpenCourse,
    page_record: PageRecord,
    limited: tuple[m.Course, dict[str, Path]],
) -> None:
    course, packages = limited
    session = lms(packages["2004"], "2004")
    learner = Learner(session.course)
    run_to_knowledge_check(learner, course, {}, NEW_TO_PRODUCT)
    learner.answer_knowledge(course, knowledge_plan(course, "mixed"))
    learner.submit_knowledge()
    expect(learner.at("#kc-score")).to_have_attribute("data-passed", "false")
    failed_score, status = score_and_status(session)
    assert status == "failed"
    learner.at("#kc-retry").click()
    learner.answer_knowledge(course, knowledge_plan(course, "right"))
    learner.submit_knowledge()
    assert score_and_status(session) == ("100", "passed")
    assert int(failed_score) < 100
    assert_no_runtime_errors(session)
    page_record.assert_clean()


# --------------------------------------------------------------------------- paged, keyboard


def test_the_paged_check_works_with_the_keyboard_only(
    page_record: PageRecord,
    tmp_path: Path,
) -> None:
    package = export(REPO / "content", "1.2", tmp_path / "out")
    course = load_course(REPO / "content").course
    per = course.knowledge_check.questions_per_screen
    assert per is not None and per < len(course.knowledge_check.questions)
    page = page_record.page
    with serve(unzip(package, tmp_path / "package")) as server:
        page.goto(server.url("index.html"))
        learner = Learner(page)
        page.evaluate("() => pmkitApp.go('knowledge-check')")
        learner.expect_screen("knowledge-check")
        first = course.knowledge_check.questions[0]
        assert isinstance(first, m.ChoiceQuestion)
        expect(page.locator("#kc-page-heading")).to_have_text(
            f"Questions 1\u2013{per} of {len(course.knowledge_check.questions)}"
        )
        expect(page.locator("#kc-next")).to_have_attribute("aria-disabled", "true")
        # One "Next" on screen: the bar's button says it leaves the open check, and
        # nothing counts as answered before the learner answers (ordering included).
        expect(page.locator("#btn-next")).to_have_text("Leave the check")
        expect(page.locator("#kc-answered")).to_contain_text("You have answered 0 of")
        # Tab to the first question's first option, arrows choose, Space checks
        page.locator("#screen-heading").focus()
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.name") == f"kc_{first.id}":
                break
        # The options as shown (pmkit.option_order): "the second" is the second shown.
        second = pmkit.option_order(course, first)[1]
        page.keyboard.press("ArrowDown")  # the second option
        page.keyboard.press("Tab")  # the question's Check button
        assert page.evaluate("() => document.activeElement.id") == f"kc_{first.id}_check"
        page.keyboard.press("Enter")
        feedback = page.locator(by_id(f"kc_{first.id}_feedback"))
        expect(feedback).to_be_focused()
        expect(page.locator(by_id(f"kc_{first.id}_{second.id}"))).to_be_disabled()
        # Next questions while the screen is unanswered: says why, stays
        page.locator("#kc-next").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#kc-page-error")).to_be_visible()
        # Skip, by keyboard: the next screen, its heading focused
        page.locator("#kc-skip").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#kc-page-heading")).to_be_focused()
        expect(page.locator("#kc-page-heading")).to_contain_text(f"Questions {per + 1}")
        marks = page.evaluate("() => pmkitApp.state().marks")
        assert marks[first.id] == "c"
        assert all(
            marks[q.id] == "s"
            for q in course.knowledge_check.questions[1:per]
            if not isinstance(q, m.OrderingQuestion)
        )
        # Previous questions goes back; the checked answer is still there, locked
        page.locator("#kc-prev").focus()
        page.keyboard.press("Enter")
        expect(page.locator(by_id(f"kc_{first.id}_{second.id}"))).to_be_checked()
    page_record.assert_clean()


# --------------------------------------------------------------------------- the journey


def test_the_tree_starts_from_the_learners_answer_and_explores_without_losing_it(
    lms: OpenCourse,
    page_record: PageRecord,
    tmp_path: Path,
) -> None:
    course = load_course(REPO / "content").course
    package = export(REPO / "content", "1.2", tmp_path / "out")
    session = lms(package, "1.2")
    learner = Learner(session.course)
    learner.start()
    learner.next()
    learner.choose_start(TECHNICAL)
    learner.walk_to("decision-tree")
    expect(learner.at("#screen-decision-tree")).not_to_contain_text("Back one step")
    expect(learner.at("#journey > li")).to_have_count(1)
    expect(learner.at("#journey-end")).to_have_attribute("data-track", "technical-pm")
    start = course.decision_tree.start_node
    leading = next(o for o in start.options if o.next)
    follow = course.decision_tree.node(leading.next or "")
    assert follow is not None
    learner.at(by_id(f"walk_{start.id}_{leading.id}")).click()
    expect(learner.at("#walk-node")).to_have_attribute("data-node", follow.id)
    target = follow.options[-1]
    learner.at(by_id(f"explore_{follow.id}_{target.id}")).click()
    expect(learner.at("#walk-outcome")).to_have_attribute("data-track", target.track or "")
    expect(learner.at("#walk-trail li")).to_have_count(1)
    found: dict[str, str] = {}
    audit(learner, "exploring a follow-up", found)
    assert learner.state()["answers"] == dict(TECHNICAL)
    # one clearly named way back, and only one
    backs = learner.c.locator("#screen-decision-tree button", has_text=re.compile(r"\bBack\b"))
    expect(backs).to_have_count(1)
    learner.at("#walk-return").click()
    expect(learner.at(by_id(f"walk_{start.id}_{leading.id}"))).to_be_focused()
    learner.next()
    session.unload()
    # nothing of the exploration was recorded: the path's one answer only
    assert [r["id"] for r in rows(session, "interactions")] == [start.id]
    assert not found, found
    page_record.assert_clean()


# --------------------------------------------------------------------------- axe


def _audit_new_states(page: Page, learner: Learner, course: m.Course) -> dict[str, str]:
    found: dict[str, str] = {}
    audit(learner, "welcome", found)
    learner.start()
    learner.next()
    learner.choose_start(NEW_TO_PRODUCT)
    learner.walk_to("tracks")
    audit(learner, "tracks, others collapsed", found)
    learner.at("#tracks-overview a").last.click()
    audit(learner, "tracks, another opened", found)
    learner.next()
    learner.at("#journey .walk-option").first.click()
    audit(learner, "decision tree exploring", found)
    learner.walk_to("knowledge-check")
    audit(learner, "check, first screen", found)
    learner.at("#kc-next").click(force=True)
    audit(learner, "check, Next refused", found)
    q = course.knowledge_check.questions[0]
    assert isinstance(q, m.ChoiceQuestion)
    learner.at(by_id(f"kc_{q.id}_{q.options[0].id}")).check()
    learner.at(by_id(f"kc_{q.id}_check")).click()
    audit(learner, "check, a question checked", found)
    learner.next_questions()
    audit(learner, "check, second screen", found)
    learner.submit_knowledge()
    audit(learner, "check, result with Try again", found)
    learner.at("#kc-retry").click()
    audit(learner, "check, second attempt", found)
    learner.walk_to("finish")
    audit(learner, "finish after a retry", found)
    if learner.at("#btn-reset").count():
        learner.at("#btn-reset").click()
        audit(learner, "reset, asking", found)
        learner.at("#btn-reset-no").click()
    return found


@pytest.mark.parametrize("width", [1280, 375])
def test_every_new_screen_state_passes_axe(
    page_record: PageRecord,
    tmp_path: Path,
    width: int,
) -> None:
    course = load_course(REPO / "content").course
    package = export(REPO / "content", "1.2", tmp_path / "out")
    page = page_record.page
    page.set_viewport_size({"width": width, "height": 800})
    with serve(unzip(package, tmp_path / "package")) as server:
        page.goto(server.url("index.html"))
        found = _audit_new_states(page, Learner(page), course)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    assert not found, "\n".join(f"--- {where}\n{text}" for where, text in found.items())
    assert overflow <= 0
    page_record.assert_clean()


def test_the_check_settings_are_optional_and_checked(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    kc = content / "knowledge-check.yaml"
    text = kc.read_text(encoding="utf-8")
    plain = text.replace("questions_per_screen: 3\n", "").replace("check_each_question: true\n", "")
    kc.write_text(plain, encoding="utf-8")
    settings = load_course(content).course.knowledge_check
    assert (settings.attempts, settings.questions_per_screen, settings.check_each_question) == (
        None,
        None,
        False,
    )
    kc.write_text(
        plain.replace("title: Knowledge Check\n", "title: Knowledge Check\nattempts: 0\n"),
        encoding="utf-8",
    )
    from pmkit.errors import PmkitError

    with pytest.raises(PmkitError):
        load_course(content)
