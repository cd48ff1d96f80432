"""The SCORM package when things go wrong: the LMS refuses a call, or the saved
state is from another course version or unreadable. The course must say so
and go on (docs/scorm-package.md; docs/decisions.md §27)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browserkit import LmsSession, OpenCourse, PageRecord
from click.testing import Result

VERSIONS = {"1.2": "scorm12", "2004": "scorm2004"}
COMMIT = {"1.2": "LMSCommit", "2004": "Commit"}


@pytest.fixture
def packages(run_cli: Callable[..., Result], bundled_content: Path) -> dict[str, Path]:
    """Both packages of the bundled course."""
    out = {}
    for version, variant in VERSIONS.items():
        result = run_cli(
            "export", "-f", "scorm", "-c", str(bundled_content), "-o", "version", version
        )
        assert result.exit_code == 0, result.stderr
        out[version] = Path("exports") / f"pm-career-paths-{variant}.zip"
    return out


def _screen(session: LmsSession) -> str:
    return session.course.evaluate("() => document.querySelector('#main section').dataset.screen")


def _resume(version: str, suspend_data: str) -> dict[str, Any]:
    if version == "1.2":
        return {"suspend_data": suspend_data, "core": {"entry": "resume"}}
    return {"suspend_data": suspend_data, "entry": "resume", "completion_status": "incomplete"}


@pytest.mark.parametrize("version", VERSIONS)
def test_state_from_another_course_version_is_discarded_with_a_notice(
    lms: OpenCourse, page_record: PageRecord, packages: dict[str, Path], version: str
) -> None:
    # A state that would be valid for this course, but saved by version 0.9.0.
    session = lms(
        packages[version], version, initial=_resume(version, "p1|0.9.0|3|0|5|1111----|0-|")
    )
    course = session.course
    assert "updated" in course.inner_text("#notices")
    assert _screen(session) == "welcome"
    assert course.evaluate("() => pmkitApp.state().answers") == {}
    assert session.errors() == []
    page_record.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_an_unreadable_state_is_discarded_with_a_notice(
    lms: OpenCourse, page_record: PageRecord, packages: dict[str, Path], version: str
) -> None:
    session = lms(
        packages[version], version, initial=_resume(version, "p1|1.0.0|3|0|5|11x1----|0-|")
    )
    assert "could not be read" in session.course.inner_text("#notices")
    assert _screen(session) == "welcome"
    assert session.errors() == []
    page_record.assert_clean()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_failing_commit_shows_a_notice_is_retried_and_the_course_goes_on(
    lms: OpenCourse, page_record: PageRecord, packages: dict[str, Path], version: str
) -> None:
    session = lms(packages[version], version)
    course = session.course
    # From now on the LMS refuses every commit with a general error.
    session.page.evaluate(
        """(name) => {
        const api = window.__lmsApi, originals = window.__lmsOriginals;
        window.__failedCommits = 0;
        originals[name] = function () {
            window.__failedCommits++; api.lastErrorCode = "101"; return "false";
        };
    }""",
        COMMIT[version],
    )
    course.click("#btn-next")
    course.check("#sd_complex-problems_yes")
    notice = course.inner_text("#notices")
    assert "error 101" in notice  # the LMS's own error text is shown
    failed = session.page.evaluate("() => window.__failedCommits")
    assert failed >= 2  # the commit was retried
    assert _screen(session) == "self-discovery"
    course.click("#btn-next")
    assert _screen(session) == "starting-point"  # the course goes on
    assert page_record.page_errors == []
