"""The SCORM package in the LMS's review and browse modes, and relaunched after Finish.

Found in a real Moodle (4.5.6): after Finish the SCORM 2004 package set
``cmi.exit = normal``; Moodle then opened the finished attempt in review mode with
no data (``cmi.mode = review``, ``cmi.entry = ab-initio``, completion unknown, no
``suspend_data``), the course restarted as new and Moodle stored its writes into the
finished attempt: completion back to incomplete, the total time reset, the saved
state wiped. docs/scorm-package.md ("Review and browse modes", "Leaving and coming
back") is the contract these tests check.

scorm-again does not model launch modes or what an LMS hands back after each exit
value, so the LMS side is written here from what Moodle sends: the test LMS is
pre-seeded with the mode, entry and data of each launch, and every API call is
logged by the browser kit. "The record" is what Moodle keeps for the attempt: the
CMI after the first session with every value a later session set written over it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from browserkit import LmsSession, OpenCourse, PageRecord, axe_check, format_violations
from playwright.sync_api import expect
from test_scorm_browser import (
    NAMES,
    TECHNICAL,
    VERSIONS,
    Learner,
    assert_finished_once,
    assert_no_runtime_errors,
    assert_status,
    export,
    knowledge_plan,
    run_to_knowledge_check,
    self_discovery_answers,
)

from pmkit.content import model as m
from pmkit.content.load import load_course

REPO = Path(__file__).resolve().parent.parent

#: The launch mode element per version.
MODE = {"1.2": "cmi.core.lesson_mode", "2004": "cmi.mode"}
COMMIT = {"1.2": "LMSCommit", "2004": "Commit"}


@pytest.fixture(scope="module")
def course() -> m.Course:
    """The bundled course model (the right answers)."""
    return load_course(REPO / "content").course


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled course exported once per version."""
    out = tmp_path_factory.mktemp("exports")
    return {version: export(REPO / "content", version, out) for version in VERSIONS}


# --------------------------------------------------------------------------- the LMS side


def launch_state(
    version: str, *, mode: str, entry: str = "ab-initio", **cmi: Any
) -> dict[str, Any]:
    """What the test LMS loads for one launch: the mode, the entry and ``cmi`` (2004
    names at the top level; 1.2 ``core`` elements under ``core``)."""
    if version == "1.2":
        core = {"lesson_mode": mode, "entry": entry, **cmi.pop("core", {})}
        return {**cmi, "core": core}
    return {**cmi, "mode": mode, "entry": entry}


def with_mode(version: str, state: dict[str, Any], mode: str) -> dict[str, Any]:
    """``state`` (as :meth:`LmsSession.carried` returns it) launched in ``mode``."""
    if version == "1.2":
        state.setdefault("core", {})["lesson_mode"] = mode
    else:
        state["mode"] = mode
    return state


def flat(node: Mapping[str, Any], prefix: str = "cmi") -> dict[str, Any]:
    """The CMI as ``{"cmi.core.lesson_status": "passed", ...}`` (the names SetValue uses)."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        path = f"{prefix}.{key}"
        if isinstance(value, Mapping):
            out.update(flat(value, path))
        else:
            out[path] = value
    return out


def set_calls(session: LmsSession) -> list[list[Any]]:
    """The arguments of every SetValue / LMSSetValue the course made, in order."""
    return [entry["args"] for entry in session.calls(NAMES[session.version]["set"])]


def changes_to_record(record: Mapping[str, Any], session: LmsSession) -> dict[str, Any]:
    """What Moodle would store over ``record`` from ``session``: every element the
    course set to a value other than the record's, as ``{element: (before, after)}``."""
    return {
        element: (record.get(element), value)
        for element, value in session.set_values().items()
        if record.get(element) != value
    }


def assert_wrote_nothing(
    session: LmsSession,
    *,
    by_the_lms: Mapping[str, Any] | None = None,
    read_errors: tuple[str, ...] = (),
) -> None:
    """A read-only session: Initialize, reads, Terminate; no write and no commit; the
    runtime holds what it was launched with, apart from ``by_the_lms`` (changes the LMS
    makes itself, ``{element: (before, after)}``). ``read_errors``: error codes a read
    may get (a 2004 element never set answers 403)."""
    assert set_calls(session) == []
    assert session.calls(COMMIT[session.version]) == []
    assert len(session.calls(NAMES[session.version]["initialize"])) == 1
    assert_finished_once(session)
    errors = session.errors(ignore=read_errors)
    assert all(e["method"] in ("GetValue", "LMSGetValue") for e in session.errors())
    assert errors == [], json.dumps(errors, indent=1)
    before, after = flat(session.cmi_at_launch()), flat(session.cmi())
    changed = {
        k: (before.get(k), after.get(k))
        for k in before.keys() | after.keys()
        if before.get(k) != after.get(k)
    }
    assert changed == dict(by_the_lms or {}), changed


def assert_axe_clean(learner: Learner, where: str) -> None:
    violations = axe_check(learner.c)
    assert violations == [], f"{where}:\n{format_violations(violations)}"


def expect_banner(learner: Learner, mode: str) -> None:
    banner = learner.at("#mode-banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("data-mode", mode)
    expect(banner).to_contain_text(f"{mode.capitalize()} mode.")
    expect(banner).to_contain_text("nothing you do here is recorded")
    # inside the header landmark, so it is read before the screen
    assert learner.c.evaluate(
        "() => document.getElementById('mode-banner').closest('header') !== null"
    )


def finish_a_passing_attempt(
    lms: OpenCourse, package: Path, version: str, course: m.Course
) -> LmsSession:
    """A first session in normal mode: the whole course, all right, Finish, leave."""
    session = lms(package, version)
    learner = Learner(session.course)
    run_to_knowledge_check(learner, course, {}, TECHNICAL)
    learner.answer_knowledge(course, knowledge_plan(course, "right"))
    learner.submit_knowledge()
    learner.walk_to("finish")
    learner.finish()
    session.unload()
    assert_no_runtime_errors(session)
    assert_finished_once(session)
    assert_status(session, True, 100)
    # suspend after Finish as well: only then does the LMS hand the results back
    assert session.get(NAMES[version]["exit"]) == "suspend"
    return session


# --------------------------------------------------------------------------- browse mode


@pytest.mark.parametrize("version", VERSIONS)
def test_browse_mode_records_nothing_and_says_so(
    lms: OpenCourse,
    page_record: PageRecord,
    packages: dict[str, Path],
    course: m.Course,
    version: str,
) -> None:
    session = lms(packages[version], version, initial=launch_state(version, mode="browse"))
    learner = Learner(session.course)
    expect_banner(learner, "browse")
    expect(learner.at("#screen-welcome")).to_contain_text("nothing you do is saved")
    assert_axe_clean(learner, "browse mode, welcome")
    # the whole course, as in normal mode: every place that would report
    run_to_knowledge_check(learner, course, self_discovery_answers(course), TECHNICAL)
    learner.answer_knowledge(course, knowledge_plan(course, "right"))
    learner.submit_knowledge()
    learner.walk_to("finish")
    expect(learner.at("#screen-finish")).to_contain_text("nothing is recorded")
    learner.finish()
    expect(learner.at("#btn-retake")).to_have_count(0)
    expect(learner.at("#screen-finish")).to_contain_text("Nothing you do here is recorded")
    expect_banner(learner, "browse")
    session.unload()
    # SCORM 1.2 lets an LMS that launched a lesson in browse mode mark it "browsed"
    # itself; scorm-again does so on LMSFinish. Not a write of the course.
    by_the_lms = {"cmi.core.lesson_status": ("not attempted", "browsed")}
    assert_wrote_nothing(session, by_the_lms=by_the_lms if version == "1.2" else {})
    page_record.assert_clean()


# --------------------------------------------------------------------------- review mode


@pytest.mark.parametrize("version", VERSIONS)
def test_review_mode_of_an_unfinished_attempt_records_nothing(
    lms: OpenCourse,
    page_record: PageRecord,
    packages: dict[str, Path],
    course: m.Course,
    version: str,
) -> None:
    first = lms(packages[version], version)
    learner = Learner(first.course)
    questions = course.self_discovery.questions
    learner.start()
    learner.answer_self_discovery({q.id: True for q in questions[:3]})
    learner.next()
    first.unload()
    record = flat(first.cmi())

    again = first.relaunch(with_mode(version, first.carried(), "review"))
    review = Learner(again.course)
    review.expect_screen("starting-point")
    expect_banner(review, "review")
    # looking around and answering on: nothing of it may reach the attempt
    review.back()
    review.answer_self_discovery({q.id: False for q in questions})
    review.next()
    review.choose_start(TECHNICAL)
    review.next()
    again.unload()
    assert_wrote_nothing(again)
    assert changes_to_record(record, again) == {}
    page_record.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_the_complete_screen_says_what_the_lms_holds(
    lms: OpenCourse,
    page_record: PageRecord,
    packages: dict[str, Path],
    version: str,
) -> None:
    # An LMS that opens a finished attempt for review with its status and score but
    # without the saved state.
    if version == "1.2":
        held = {
            "core": {"lesson_status": "passed", "score": {"raw": "100", "min": "0", "max": "100"}}
        }
    else:
        held = {
            "completion_status": "completed",
            "success_status": "passed",
            "score": {"scaled": "1", "raw": "100", "min": "0", "max": "100"},
        }
    session = lms(packages[version], version, initial=launch_state(version, mode="review", **held))
    learner = Learner(session.course)
    learner.expect_screen("attempt-complete")
    expect(learner.at("#complete-recorded")).to_have_text(
        "Your learning system has this attempt recorded as passed, with a score of 100%."
    )
    session.unload()
    # A 2004 status without a state: the package looks for its state (it wrote one
    # with its first status) and the never-set suspend_data answers 403. A read only.
    assert_wrote_nothing(session, read_errors=("403",) if version == "2004" else ())
    page_record.assert_clean()


# --------------------------------------------------------------------------- after Finish

#: How an LMS can open a finished attempt again (docs/scorm-package.md):
#: resume  - normal mode, entry resume, the data (any LMS after exit = suspend)
#: review  - review mode, entry resume, the data (Moodle: a complete attempt after suspend)
#: review-without-data - review mode, entry ab-initio, nothing (Moodle 2004 after normal)
RELAUNCHES = ("resume", "review", "review-without-data")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("relaunch", RELAUNCHES)
def test_a_relaunch_after_finish_changes_nothing(
    lms: OpenCourse,
    page_record: PageRecord,
    packages: dict[str, Path],
    course: m.Course,
    version: str,
    relaunch: str,
) -> None:
    first = finish_a_passing_attempt(lms, packages[version], version, course)
    record = flat(first.cmi())

    if relaunch == "resume":
        initial = first.carried()
        assert (initial["core"]["entry"] if version == "1.2" else initial["entry"]) == "resume"
    elif relaunch == "review":
        initial = with_mode(version, first.carried(), "review")
    else:
        initial = launch_state(version, mode="review")
    again = first.relaunch(initial)
    assert again.get_value(MODE[version])[0] == ("normal" if relaunch == "resume" else "review")
    learner = Learner(again.course)

    if relaunch == "review-without-data":
        learner.expect_screen("attempt-complete")
        expect(learner.at("h1#screen-heading")).to_have_text("This attempt is complete")
        expect(learner.at("#progress-text")).to_have_text("Attempt complete")
        expect(learner.at("#course-nav")).to_be_hidden()
        expect(learner.at("#complete-recorded")).to_have_count(0)  # the LMS said nothing
    else:
        learner.expect_screen("finish")
        expect(learner.at("#finish-status")).to_contain_text("read only")
        expect(learner.at("#kc-score")).to_have_attribute("data-percent", "100")
        expect(learner.at("input, select")).to_have_count(0)
    expect(learner.at("#screen-welcome")).to_have_count(0)  # never a fresh course
    if relaunch == "resume":
        expect(learner.at("#btn-retake")).to_be_visible()
        expect(learner.at("#mode-banner")).to_have_count(0)
    else:
        expect(learner.at("#btn-retake")).to_have_count(0)
        expect_banner(learner, "review")
        assert_axe_clean(learner, f"{relaunch} after Finish")
    again.unload()

    # The attempt as Moodle keeps it is the one the first session left.
    assert changes_to_record(record, again) == {}
    assert_no_runtime_errors(again)
    assert_finished_once(again)
    if relaunch == "resume":
        # Looking at the results writes only the exit that keeps them coming back.
        assert set_calls(again) == [[NAMES[version]["exit"], "suspend"]]
        assert again.calls(COMMIT[version]) == []
    else:
        assert_wrote_nothing(again)
    page_record.assert_clean()


def test_a_retake_after_a_relaunch_never_lowers_the_progress(
    lms: OpenCourse,
    page_record: PageRecord,
    packages: dict[str, Path],
    course: m.Course,
) -> None:
    first = finish_a_passing_attempt(lms, packages["2004"], "2004", course)
    assert first.get("cmi.progress_measure") == "1"
    again = first.relaunch()
    learner = Learner(again.course)
    learner.at("#btn-retake").click()
    learner.expect_screen("self-discovery")
    learner.next()
    again.unload()
    progress = [args for args in set_calls(again) if args[0] == "cmi.progress_measure"]
    assert progress == [], json.dumps(progress)
    assert again.get("cmi.progress_measure") == "1"
    assert_status(again, True, 100)
    assert_no_runtime_errors(again)
    page_record.assert_clean()
