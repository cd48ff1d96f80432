"""The cmi5 package against real parts: a real LRS (Ralph), a small cmi5 LMS
(tests/lms_cmi5.py) and headless Chromium.

The LMS launches the unzipped package as a cmi5 LMS does (launch URL, fetch URL,
``LMS.LaunchData``); a learner is walked through it with the SCORM browser
tests' persona; then the statements are read back from Ralph and checked
against the cmi5 rules: order, the context template (registration, session id,
category activities), verbs, durations, at most one ``passed`` per registration,
nothing that lowers a result after it, the scaled score against the mastery
score, Browse launches sending no graded statement, resume through the State
API, and ``terminated`` arriving after the page has gone (a keep-alive request
carrying the Authorization header).

Ralph runs from its own virtualenv (``.venv-ralph``, see tests/ralph_lrs.py):
skipped with a reason when it is missing, a failure in CI.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from browserkit import PageRecord, unzip
from lms_cmi5 import ACTOR, Cmi5Lms, Launch
from lxml import etree
from playwright.sync_api import Page, expect
from ralph_lrs import Ralph, require_ralph, start_ralph
from test_scorm_browser import (
    TECHNICAL,
    Learner,
    grade,
    knowledge_plan,
    run_to_knowledge_check,
    self_discovery_answers,
)
from xapi_validation import statement_problems

from pmkit.content import model as m
from pmkit.content.load import load_course

REPO = Path(__file__).resolve().parent.parent
ADL = "http://adlnet.gov/expapi/verbs/"
CMI5 = "https://w3id.org/xapi/cmi5/context/"
CATEGORY_CMI5 = CMI5 + "categories/cmi5"
CATEGORY_MOVEON = CMI5 + "categories/moveon"
SESSION_ID = CMI5 + "extensions/sessionid"
MASTERY_SCORE = CMI5 + "extensions/masteryscore"
DEFINED = {"initialized", "completed", "passed", "failed", "terminated"}
GRADED = {"completed", "passed", "failed"}
DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d+)?S)?$")
ACTIVITY_ID = "http://127.0.0.1/lms/activities/pmkit-career-paths"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    require_ralph()
    with start_ralph(tmp_path_factory.mktemp("ralph")) as lrs:
        yield lrs


@pytest.fixture(scope="module")
def course() -> m.Course:
    return load_course(REPO / "content").course


@pytest.fixture(scope="module")
def cmi5_lms(ralph: Ralph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cmi5Lms]:
    from click.testing import CliRunner

    from pmkit.cli import cli

    out = tmp_path_factory.mktemp("cmi5-export")
    result = CliRunner().invoke(
        cli, ["export", "-f", "cmi5", "-c", str(REPO / "content"), "-d", str(out)]
    )
    assert result.exit_code == 0, result.output
    root = unzip(out / "pm-career-paths-cmi5.zip", tmp_path_factory.mktemp("cmi5-au"))
    structure = etree.parse(str(root / "cmi5.xml")).getroot()
    au = structure.find("{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}au")
    assert au is not None
    lms = Cmi5Lms(root=root, lrs=ralph, activity_id=ACTIVITY_ID, au_id=au.get("id") or "").start()
    yield lms
    lms.stop()


# --------------------------------------------------------------------------- helpers


def verb(statement: dict[str, Any]) -> str:
    iri = statement["verb"]["id"]
    assert iri.startswith(ADL), iri  # every verb is an ADL IRI, as cmi5 names them
    return iri[len(ADL) :]


def session_of(statement: dict[str, Any]) -> str:
    return statement["context"]["extensions"][SESSION_ID]


def wait_for_terminated(lrs: Ralph, launch: Launch, timeout: float = 30) -> list[dict[str, Any]]:
    """The registration's statements once this session's ``terminated`` is in Ralph."""
    deadline = time.monotonic() + timeout
    while True:
        found = lrs.statements(registration=launch.registration)
        if any(verb(s) == "terminated" and session_of(s) == launch.session_id for s in found):
            return found
        assert time.monotonic() < deadline, [verb(s) for s in found]
        time.sleep(0.3)


def leave(page: Page, lms: Cmi5Lms) -> None:
    """Leave the course as a learner closing it would: the LMS page replaces it
    (``pagehide`` fires; only a keep-alive request outlives the page)."""
    page.goto(lms.base + "/lms/return")
    expect(page.locator("p")).to_have_text("Back in the LMS.")


def by_session(statements: list[dict[str, Any]], session: str) -> list[dict[str, Any]]:
    return [s for s in statements if session_of(s) == session]


def sent_by_the_au(lms: Cmi5Lms, launch: Launch) -> list[dict[str, Any]]:
    """The statements the AU POSTed for ``launch``'s registration, as it sent them."""
    out: list[dict[str, Any]] = []
    for r in lms.requests:
        if r["path"] == "/xapi/statements" and r["method"] == "POST" and r["body"]:
            body = json.loads(r["body"])
            for s in body if isinstance(body, list) else [body]:
                if s["context"]["registration"] == launch.registration:
                    out.append(s)
    return out


def assert_cmi5_rules(
    statements: list[dict[str, Any]], launch: Launch, mastery: float | None
) -> None:
    """The cmi5 rules every session of a registration must keep (section 9 of the spec),
    and valid xAPI for an independent validator."""
    assert statement_problems(statements) == []
    au_statements = [s for s in statements if verb(s) != "launched"]
    sessions: dict[str, list[dict[str, Any]]] = {}
    for s in au_statements:
        sessions.setdefault(session_of(s), []).append(s)
    for s in au_statements:
        ctx = s["context"]
        assert ctx["registration"] == launch.registration
        assert s["actor"] == ACTOR
        assert re.fullmatch(
            r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", s["id"]
        )
        categories = [a["id"] for a in ctx.get("contextActivities", {}).get("category", [])]
        # the LMS's context template travels with every statement
        assert ctx["contextActivities"]["grouping"][0]["id"].startswith("urn:pmkit:")
        name = verb(s)
        if name in DEFINED:
            assert s["object"]["id"] == ACTIVITY_ID
            assert CATEGORY_CMI5 in categories, s
            result = s.get("result", {})
            assert (CATEGORY_MOVEON in categories) == (
                "success" in result or "completion" in result
            ), s
            if name in {"completed", "passed", "failed", "terminated"}:
                assert DURATION.match(result["duration"]), s
            if name == "completed":
                assert result["completion"] is True and "score" not in result
            if name in {"passed", "failed"}:
                assert result["success"] is (name == "passed")
                scaled = result["score"]["scaled"]
                assert 0 <= scaled <= 1
                if mastery is not None:
                    assert ctx["extensions"][MASTERY_SCORE] == mastery
                    assert (scaled >= mastery) == (name == "passed"), s
        else:
            # cmi5 allowed statements: no cmi5 category, the session id all the same
            assert CATEGORY_CMI5 not in categories and CATEGORY_MOVEON not in categories
            assert name in {"answered", "scored"}, name
    for session, items in sessions.items():
        names = [verb(s) for s in items]
        assert names[0] == "initialized", (session, names)
        assert names[-1] == "terminated", (session, names)
        defined = [n for n in names if n in DEFINED]
        assert len(defined) == len(set(defined)), names  # no defined verb twice in a session
        assert sum(n in {"passed", "failed"} for n in names) <= 1, names
    names = [verb(s) for s in au_statements]
    assert names.count("completed") <= 1 and names.count("passed") <= 1, names
    if "passed" in names:
        assert "failed" not in names[names.index("passed") :], names


def assert_clean(record: PageRecord) -> None:
    """No page error, blocked request or console error but the one a first launch
    must show: the app's state document does not exist yet (the State API's 404)."""
    problems = [p for p in record.problems() if not ("404" in p and "/xapi/activities/state" in p)]
    assert not problems, "\n".join(problems)


def answered(statements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The last "answered" statement per question id (the activity's last segment)."""
    out: dict[str, dict[str, Any]] = {}
    for s in statements:
        if verb(s) == "answered":
            out[s["object"]["id"].rsplit("/", 1)[1]] = s
    return out


# --------------------------------------------------------------------------- tests


def test_a_passing_learner_reaches_the_lrs_in_cmi5_order(
    cmi5_lms: Cmi5Lms, ralph: Ralph, page: Page, page_record: PageRecord, course: m.Course
) -> None:
    launch = cmi5_lms.launch()
    page.goto(launch.url)
    learner = Learner(page)
    sd = self_discovery_answers(course)
    answers = run_to_knowledge_check(learner, course, sd, TECHNICAL)
    answers |= learner.answer_knowledge(course, knowledge_plan(course, "right"))
    learner.submit_knowledge()
    expect(learner.at("#kc-score")).to_have_attribute("data-passed", "true")
    learner.walk_to("finish")
    learner.finish()
    statements = wait_for_terminated(ralph, launch)
    leave(page, cmi5_lms)

    assert_cmi5_rules(statements, launch, 0.8)
    sent = sent_by_the_au(cmi5_lms, launch)
    assert {s["id"] for s in sent} == {s["id"] for s in statements if verb(s) != "launched"}
    assert statement_problems(sent) == []
    broken = json.loads(json.dumps(sent[-1]))
    broken["result"]["duration"] = "five minutes"
    assert statement_problems([broken]) == ["[0] statement.result.duration: ISO Duration"]
    names = [verb(s) for s in statements]
    assert names[0] == "launched"  # the LMS's, before the AU's first
    graded = [n for n in names if n in DEFINED]
    assert graded == ["initialized", "completed", "passed", "terminated"], names
    passed = next(s for s in statements if verb(s) == "passed")
    assert passed["result"]["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
    assert grade(course, answers).percent == 100

    # every answer, as the SCORM 2004 interaction table says it
    got = answered(statements)
    kc = {q.id for q in course.knowledge_check.questions}
    assert kc <= set(got)
    assert set(sd) <= set(got)
    for qid in kc:
        s = got[qid]
        definition = s["object"]["definition"]
        assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
        assert s["result"]["success"] is True
        assert s["result"]["response"] == definition["correctResponsesPattern"][0], qid
        assert s["context"]["contextActivities"]["parent"] == [
            {"id": ACTIVITY_ID, "objectType": "Activity"}
        ]
    for qid in sd:
        assert got[qid]["result"]["response"] == ("true" if sd[qid] else "false")
        assert "success" not in got[qid]["result"]
    # the recommendation: one "scored" statement per track, shares summing to 100
    scored = [s for s in statements if verb(s) == "scored"]
    tracks = {s["object"]["id"].rsplit("/", 1)[1]: s["result"]["score"]["raw"] for s in scored}
    assert set(tracks) == {t.id for t in course.tracks}
    # the AU held the LMS's token, never Ralph's credentials, for every xAPI call
    xapi = [r for r in cmi5_lms.requests if r["path"].startswith("/xapi/")]
    assert xapi and all(r["authorized"] for r in xapi)
    fetches = [
        r for r in cmi5_lms.requests if r["path"] == f"/fetch/{quote(launch.token, safe='')}"
    ]
    assert len(fetches) == 1  # the token is fetched once per session
    assert_clean(page_record)


def test_fail_then_retry_passes_once_and_a_later_session_lowers_nothing(
    cmi5_lms: Cmi5Lms, ralph: Ralph, page: Page, course: m.Course
) -> None:
    registration = str(uuid.uuid4())
    # session 1: a failing attempt; the learner closes the page
    first = cmi5_lms.launch(registration)
    page.goto(first.url)
    learner = Learner(page)
    sd = self_discovery_answers(course)
    answers = run_to_knowledge_check(learner, course, sd, TECHNICAL)
    answers |= learner.answer_knowledge(course, knowledge_plan(course, "mixed"))
    learner.submit_knowledge()
    expect(learner.at("#kc-score")).to_have_attribute("data-passed", "false")
    state_before = learner.state()
    back = learner.at("#cmi5-return")  # the LMS's returnURL, as a link in the header
    expect(back).to_have_attribute("href", cmi5_lms.base + "/lms/return")
    back.click()
    expect(page.locator("p")).to_have_text("Back in the LMS.")
    statements = wait_for_terminated(ralph, first)
    names = [verb(s) for s in by_session(statements, first.session_id)]
    assert [n for n in names if n in DEFINED] == [
        "initialized",
        "completed",
        "failed",
        "terminated",
    ]
    failed = next(s for s in statements if verb(s) == "failed")
    assert failed["result"]["score"]["scaled"] == grade(course, answers).percent / 100 < 0.8
    # the terminated statement left with the page: one keep-alive POST with the token
    last_post = [
        r for r in cmi5_lms.requests if r["path"] == "/xapi/statements" and r["method"] == "POST"
    ][-1]
    assert last_post["authorized"] and b"/terminated" in last_post["body"]

    # session 2: resume restores the answers from the State API; Try again and pass
    second = cmi5_lms.launch(registration)
    page.goto(second.url)
    learner = Learner(page)
    learner.expect_screen("knowledge-check")
    assert learner.state()["answers"] == state_before["answers"]
    learner.at("#kc-retry").click()
    learner.answer_knowledge(course, knowledge_plan(course, "right"))
    learner.submit_knowledge()
    expect(learner.at("#kc-score")).to_have_attribute("data-passed", "true")
    learner.walk_to("finish")
    learner.finish()
    statements = wait_for_terminated(ralph, second)
    names = [verb(s) for s in by_session(statements, second.session_id)]
    assert [n for n in names if n in DEFINED] == ["initialized", "passed", "terminated"]

    # session 3: the results, then Retake and a failing attempt: nothing lowers the result
    third = cmi5_lms.launch(registration)
    page.goto(third.url)
    learner = Learner(page)
    learner.expect_screen("finish")
    learner.at("#btn-retake").click()
    learner.walk_to("self-discovery")
    learner.answer_self_discovery(sd)
    learner.next()
    learner.choose_start(TECHNICAL)
    learner.walk_to("knowledge-check")
    learner.answer_knowledge(course, knowledge_plan(course, "wrong"))
    learner.submit_knowledge()
    leave(page, cmi5_lms)
    statements = wait_for_terminated(ralph, third)
    names = [verb(s) for s in by_session(statements, third.session_id)]
    assert [n for n in names if n in DEFINED] == ["initialized", "terminated"], names
    assert_cmi5_rules(statements, first, 0.8)
    all_names = [verb(s) for s in statements]
    assert all_names.count("passed") == 1 and all_names.count("failed") == 1
    assert all_names.index("failed") < all_names.index("passed")
    saved = cmi5_lms.saved_state(registration)
    assert saved is not None and saved["passed"] is True and saved["score"] == 1


def test_a_browse_launch_sends_no_graded_statement_and_writes_no_state(
    cmi5_lms: Cmi5Lms, ralph: Ralph, page: Page, course: m.Course
) -> None:
    launch = cmi5_lms.launch(mode="Browse")
    page.goto(launch.url)
    learner = Learner(page)
    expect(learner.at("#mode-banner")).to_have_attribute("data-mode", "browse")
    run_to_knowledge_check(learner, course, self_discovery_answers(course), TECHNICAL)
    learner.answer_knowledge(course, knowledge_plan(course, "right"))
    learner.submit_knowledge()
    leave(page, cmi5_lms)
    statements = wait_for_terminated(ralph, launch)
    names = [verb(s) for s in statements]
    assert names == ["launched", "initialized", "terminated"], names
    assert_cmi5_rules(statements, launch, None)
    assert cmi5_lms.saved_state(launch.registration) is None
    writes = [
        r
        for r in cmi5_lms.requests
        if r["method"] == "PUT" and r["query"].get("registration") == [launch.registration]
    ]
    assert writes == []


def test_a_failing_lrs_shows_a_notice_retries_and_the_course_goes_on(
    cmi5_lms: Cmi5Lms, ralph: Ralph, page: Page, course: m.Course
) -> None:
    launch = cmi5_lms.launch()
    cmi5_lms.fail_statements = 2  # the next two POSTs of statements get HTTP 503
    page.goto(launch.url)
    learner = Learner(page)
    expect(learner.at("#notices")).to_contain_text(
        "The learning record store did not answer (HTTP 503). The course goes on"
    )
    sd = self_discovery_answers(course)
    run_to_knowledge_check(learner, course, sd, TECHNICAL)  # the course goes on meanwhile
    learner.answer_knowledge(course, knowledge_plan(course, "right"))
    learner.submit_knowledge()
    learner.walk_to("finish")
    learner.finish()
    statements = wait_for_terminated(ralph, launch, timeout=60)
    assert cmi5_lms.fail_statements == 0
    failed = [r for r in cmi5_lms.requests if r.get("refused")]
    assert len(failed) == 2
    assert_cmi5_rules(statements, launch, 0.8)
    names = [verb(s) for s in statements]
    assert [n for n in names if n in DEFINED] == [
        "initialized",
        "completed",
        "passed",
        "terminated",
    ]
    assert set(sd) <= set(answered(statements))  # nothing was lost on the way


def test_a_retry_in_the_same_session_sends_passed_and_no_failed(
    cmi5_lms: Cmi5Lms, ralph: Ralph, page: Page, course: m.Course
) -> None:
    """cmi5 allows one of passed/failed per session: a failing attempt's verdict waits
    for the session's end, and a pass in the same session replaces it."""
    launch = cmi5_lms.launch()
    page.goto(launch.url)
    learner = Learner(page)
    run_to_knowledge_check(learner, course, self_discovery_answers(course), TECHNICAL)
    learner.answer_knowledge(course, knowledge_plan(course, "wrong"))
    learner.submit_knowledge()
    expect(learner.at("#kc-score")).to_have_attribute("data-passed", "false")
    learner.at("#kc-retry").click()
    learner.answer_knowledge(course, knowledge_plan(course, "right"))
    learner.submit_knowledge()
    expect(learner.at("#kc-score")).to_have_attribute("data-passed", "true")
    leave(page, cmi5_lms)  # without Finish: the page simply goes
    statements = wait_for_terminated(ralph, launch)
    assert_cmi5_rules(statements, launch, 0.8)
    names = [verb(s) for s in statements]
    assert [n for n in names if n in DEFINED] == [
        "initialized",
        "completed",
        "passed",
        "terminated",
    ]
    kc = [s for s in statements if verb(s) == "answered" and "success" in s["result"]]
    # both attempts' answers are there, the first all wrong, the second all right
    assert len(kc) == 2 * len(course.knowledge_check.questions)
    assert [s["result"]["success"] for s in kc] == [False] * (len(kc) // 2) + [True] * (
        len(kc) // 2
    )


def test_a_review_launch_shows_the_attempt_and_changes_nothing(
    cmi5_lms: Cmi5Lms, ralph: Ralph, page: Page, course: m.Course
) -> None:
    registration = str(uuid.uuid4())
    first = cmi5_lms.launch(registration)
    page.goto(first.url)
    learner = Learner(page)
    run_to_knowledge_check(learner, course, self_discovery_answers(course), TECHNICAL)
    learner.answer_knowledge(course, knowledge_plan(course, "right"))
    learner.submit_knowledge()
    learner.walk_to("finish")
    learner.finish()
    wait_for_terminated(ralph, first)
    leave(page, cmi5_lms)
    saved = cmi5_lms.saved_state(registration)
    assert saved is not None and saved["passed"] is True

    review = cmi5_lms.launch(registration, mode="Review")
    page.goto(review.url)
    learner = Learner(page)
    expect(learner.at("#mode-banner")).to_have_attribute("data-mode", "review")
    learner.expect_screen("finish")  # the finished attempt's results, read only
    expect(learner.at("#btn-retake")).to_have_count(0)
    leave(page, cmi5_lms)
    statements = wait_for_terminated(ralph, review)
    names = [verb(s) for s in by_session(statements, review.session_id)]
    assert names == ["launched", "initialized", "terminated"], names  # the LMS's, then the AU's
    assert_cmi5_rules(statements, first, 0.8)
    assert cmi5_lms.saved_state(registration) == saved
