"""The browser test kit proves itself with tiny hand-written SCOs (written to tmp_path)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browserkit import (
    LmsSession,
    OpenCourse,
    PageRecord,
    axe_check,
    format_violations,
    require_node_file,
    serve,
    unzip,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

# A SCO that finds the API the usual way (window.parent, bounded; then the opener),
# runs a scripted list of calls and keeps the results in window.__scoResults.
SCO_JS = r"""(function () {
  "use strict";
  var cfg = window.SCO_CONFIG;
  var name = cfg.version === "1.2" ? "API" : "API_1484_11";
  function scan(win) {
    for (var hops = 0; win && hops <= 10; hops++) {
      if (win[name]) { return win[name]; }
      if (!win.parent || win.parent === win) { return null; }
      win = win.parent;
    }
    return null;
  }
  var api = scan(window) || (window.opener ? scan(window.opener) : null)
    || (window.top.opener ? scan(window.top.opener) : null);
  window.__scoFoundVia = !api ? "none" : (scan(window) ? "parent" : "opener");
  window.__scoResults = [];
  if (!api) { return; }
  cfg.calls.forEach(function (call) {
    window.__scoResults.push(api[call[0]].apply(api, call.slice(1)));
  });
  if (cfg.onPagehide) {
    window.addEventListener("pagehide", function () {
      cfg.onPagehide.forEach(function (call) { api[call[0]].apply(api, call.slice(1)); });
    });
  }
})();
"""

SCO_HTML = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Test SCO</title></head>
<body><main><h1>Test SCO</h1><p>Scripted calls.</p></main>
<script src="config.js"></script>
<script src="sco.js"></script>
</body>
</html>
"""


def write_sco(
    folder: Path,
    version: str,
    calls: list[list[str]],
    *,
    on_pagehide: list[list[str]] | None = None,
) -> Path:
    """Write a scripted SCO (index.html, config.js, sco.js) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    config = {"version": version, "calls": calls, "onPagehide": on_pagehide}
    (folder / "config.js").write_text(f"window.SCO_CONFIG = {json.dumps(config)};\n")
    (folder / "sco.js").write_text(SCO_JS)
    (folder / "index.html").write_text(SCO_HTML)
    return folder


CALLS_12 = [
    ["LMSInitialize", ""],
    ["LMSGetValue", "cmi.core.entry"],
    ["LMSSetValue", "cmi.core.lesson_status", "passed"],
    ["LMSSetValue", "cmi.core.score.raw", "90"],
    ["LMSSetValue", "cmi.core.score.min", "0"],
    ["LMSSetValue", "cmi.core.score.max", "100"],
    ["LMSSetValue", "cmi.interactions.0.id", "q1"],
    ["LMSSetValue", "cmi.interactions.0.type", "choice"],
    ["LMSSetValue", "cmi.interactions.0.student_response", "a"],
    ["LMSSetValue", "cmi.interactions.0.correct_responses.0.pattern", "a"],
    ["LMSSetValue", "cmi.interactions.0.result", "correct"],
    ["LMSSetValue", "cmi.objectives.0.id", "track-a"],
    ["LMSSetValue", "cmi.objectives.0.score.raw", "60"],
    ["LMSCommit", ""],
    ["LMSFinish", ""],
]

CALLS_2004 = [
    ["Initialize", ""],
    ["GetValue", "cmi.entry"],
    ["SetValue", "cmi.completion_status", "completed"],
    ["SetValue", "cmi.success_status", "passed"],
    ["SetValue", "cmi.score.scaled", "0.9"],
    ["SetValue", "cmi.score.raw", "90"],
    ["SetValue", "cmi.interactions.0.id", "q1"],
    ["SetValue", "cmi.interactions.0.type", "choice"],
    ["SetValue", "cmi.interactions.0.learner_response", "opt_a"],
    ["SetValue", "cmi.interactions.0.correct_responses.0.pattern", "opt_a"],
    ["SetValue", "cmi.interactions.0.result", "correct"],
    ["SetValue", "cmi.objectives.0.id", "track-a"],
    ["SetValue", "cmi.objectives.0.score.scaled", "0.6"],
    ["Commit", ""],
    ["Terminate", ""],
]


def methods(session: LmsSession) -> list[str]:
    return [entry["method"] for entry in session.log()]


# --------------------------------------------------------------------------- server, zip


def test_serve_gives_loopback_urls_and_mime_types(tmp_path: Path) -> None:
    files = {
        "a.html": "text/html",
        "a.js": "text/javascript",
        "a.css": "text/css",
        "a.xml": "application/xml",
        "a.json": "application/json",
        "a.svg": "image/svg+xml",
        "a.png": "image/png",
    }
    for name in files:
        (tmp_path / name).write_text("x")
    with serve(tmp_path) as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        for name, mime in files.items():
            with urllib.request.urlopen(server.url(name)) as response:
                assert response.headers["Content-Type"].split(";")[0] == mime, name
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(server.url("nope.js"))
        assert missing.value.code == 404
    base_url, stop = serve(tmp_path)
    stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base_url + "a.html", timeout=2)


def test_unzip_extracts_and_refuses_escaping_names(tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("index.html", "<p>hi</p>")
        archive.writestr("js/app.js", "1;")
    out = unzip(good, tmp_path / "out")
    assert (out / "index.html").read_text() == "<p>hi</p>"
    assert (out / "js" / "app.js").is_file()

    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("../evil.txt", "x")
    with pytest.raises(ValueError, match="unsafe"):
        unzip(bad, tmp_path / "bad-out")
    assert not (tmp_path / "evil.txt").exists()


def test_a_missing_node_package_fails_with_the_install_line() -> None:
    with pytest.raises(pytest.fail.Exception, match=r"npm ci"):
        require_node_file("no-such-package/dist/x.js")


# --------------------------------------------------------------------------- SCORM 1.2


@pytest.mark.parametrize(
    ("depth", "via_opener", "found_via"),
    [(1, False, "parent"), (2, False, "parent"), (1, True, "opener")],
    ids=["iframe", "two-frames-deep", "window-opener"],
)
def test_scorm12_sco_reports_to_the_lms(
    lms: OpenCourse, tmp_path: Path, depth: int, via_opener: bool, found_via: str
) -> None:
    sco = write_sco(tmp_path / "sco", "1.2", CALLS_12)
    session: LmsSession = lms(sco, "1.2", depth=depth, via_opener=via_opener)

    assert session.course.evaluate("window.__scoFoundVia") == found_via
    assert methods(session) == [call[0] for call in CALLS_12]
    assert session.errors() == []
    log = session.log()
    assert all(entry["result"] == "true" for entry in log if entry["method"] != "LMSGetValue")
    assert log[1]["result"] == "ab-initio"  # the LMS's first-launch entry
    assert log[2] == {
        "seq": 2,
        "method": "LMSSetValue",
        "args": ["cmi.core.lesson_status", "passed"],
        "result": "true",
        "error": "0",
    }

    cmi = session.cmi()
    assert cmi["core"]["lesson_status"] == "passed"
    assert cmi["core"]["score"] == {"raw": "90", "min": "0", "max": "100"}
    interaction = cmi["interactions"]["0"]
    assert interaction["id"] == "q1"
    assert interaction["type"] == "choice"
    assert interaction["student_response"] == "a"
    assert interaction["result"] == "correct"
    assert interaction["correct_responses"] == {"0": {"pattern": "a"}}
    assert cmi["objectives"]["0"]["id"] == "track-a"
    assert cmi["objectives"]["0"]["score"]["raw"] == "60"

    assert session.get("cmi.core.score.raw") == "90"
    assert session.get("cmi.interactions._count") == "1"
    assert session.get("cmi.interactions.0.student_response") == "a"  # write-only for SCOs
    assert session.get("cmi.nothing.here") is None
    assert session.set_values()["cmi.core.lesson_status"] == "passed"


def test_scorm12_invalid_value_is_reported_with_the_runtime_code(
    lms: OpenCourse, tmp_path: Path
) -> None:
    calls = [
        ["LMSInitialize", ""],
        ["LMSSetValue", "cmi.core.lesson_status", "bogus"],
        ["LMSGetLastError"],
        ["LMSGetErrorString", "405"],
        ["LMSGetValue", "cmi.interactions.0.id"],  # write-only element
        ["LMSFinish", ""],
        ["LMSSetValue", "cmi.core.lesson_status", "passed"],  # too late
    ]
    session = lms(write_sco(tmp_path / "sco", "1.2", calls), "1.2")

    errors = session.errors()
    assert [(e["method"], e["args"][0], e["error"]) for e in errors] == [
        ("LMSSetValue", "cmi.core.lesson_status", "405"),
        ("LMSGetValue", "cmi.interactions.0.id", "404"),
        ("LMSSetValue", "cmi.core.lesson_status", "0"),  # scorm-again 1.2 accepts it
    ]
    assert errors[-1]["after_finish"] is True
    assert errors[0]["result"] == "false"
    assert session.log()[2]["result"] == "405"  # the SCO's own GetLastError
    assert session.log()[3]["result"] == "Incorrect Data Type"
    assert len(session.errors(ignore=["404", "405"])) == 1  # the late call stays
    assert session.get("cmi.core.lesson_status") == "passed"  # and its value landed


def test_scorm12_resume_data_reaches_the_sco(lms: OpenCourse, tmp_path: Path) -> None:
    calls = [
        ["LMSInitialize", ""],
        ["LMSGetValue", "cmi.core.entry"],
        ["LMSGetValue", "cmi.suspend_data"],
        ["LMSGetValue", "cmi.core.lesson_location"],
        ["LMSGetValue", "cmi.core.lesson_status"],
        ["LMSGetValue", "cmi.core.student_id"],
    ]
    initial = {
        "core": {"entry": "resume", "lesson_location": "screen-4", "lesson_status": "incomplete"},
        "suspend_data": "abc",
    }
    session = lms(write_sco(tmp_path / "sco", "1.2", calls), "1.2", initial=initial)

    assert [entry["result"] for entry in session.log()] == [
        "true",
        "resume",
        "abc",
        "screen-4",
        "incomplete",
        "pmkit-learner",
    ]
    assert session.errors() == []
    assert session.get_value("cmi.core.entry") == ("resume", "0")
    assert session.get_value("cmi.core.exit") == ("", "404")  # write-only, as the SCO sees it
    assert session.course.evaluate("window.__scoResults") == [
        "true", "resume", "abc", "screen-4", "incomplete", "pmkit-learner",
    ]  # fmt: skip


def test_scorm12_relaunch_carries_the_attempt(lms: OpenCourse, tmp_path: Path) -> None:
    first_calls = [
        ["LMSInitialize", ""],
        ["LMSSetValue", "cmi.core.lesson_location", "s2"],
        ["LMSSetValue", "cmi.suspend_data", "p1|1.0|2"],
        ["LMSSetValue", "cmi.core.lesson_status", "incomplete"],
        ["LMSSetValue", "cmi.interactions.0.id", "q1"],
        ["LMSSetValue", "cmi.interactions.0.type", "true-false"],
        ["LMSSetValue", "cmi.interactions.0.student_response", "t"],
        ["LMSSetValue", "cmi.core.exit", "suspend"],
        ["LMSCommit", ""],
    ]
    sco = write_sco(tmp_path / "sco", "1.2", first_calls, on_pagehide=[["LMSFinish", ""]])
    first = lms(sco, "1.2")
    assert first.errors() == []

    second_calls = [
        ["LMSInitialize", ""],
        ["LMSGetValue", "cmi.core.entry"],
        ["LMSGetValue", "cmi.core.lesson_location"],
        ["LMSGetValue", "cmi.suspend_data"],
        ["LMSGetValue", "cmi.interactions._count"],
        ["LMSSetValue", "cmi.interactions.1.id", "q2"],
    ]
    write_sco(sco, "1.2", second_calls)
    second = first.relaunch()
    assert [e["result"] for e in second.log()] == ["true", "resume", "s2", "p1|1.0|2", "1", "true"]
    assert second.errors() == []
    assert second.get("cmi.interactions.0.student_response") == "t"


def test_a_zipped_package_launches_directly(lms: OpenCourse, tmp_path: Path) -> None:
    sco = write_sco(tmp_path / "sco", "2004", CALLS_2004)
    package = tmp_path / "course-scorm2004.zip"
    with zipfile.ZipFile(package, "w") as archive:
        for path in sorted(sco.iterdir()):
            archive.write(path, path.name)
    session = lms(package, "2004")
    assert session.errors() == []
    assert session.get("cmi.completion_status") == "completed"
    again = session.relaunch()
    assert again.log()[1]["args"] == ["cmi.entry"]
    assert again.log()[1]["result"] == ""  # exit was not "suspend": no resume
    assert again.get_value("cmi.entry") == ("", "123")  # the SCO has terminated


def test_unload_fires_the_courses_pagehide(lms: OpenCourse, tmp_path: Path) -> None:
    calls = [["LMSInitialize", ""], ["LMSSetValue", "cmi.core.exit", "suspend"]]
    sco = write_sco(tmp_path / "sco", "1.2", calls, on_pagehide=[["LMSFinish", ""]])
    session = lms(sco, "1.2")
    assert "LMSFinish" not in methods(session)
    session.unload()
    assert session.wait_for_call("LMSFinish")["result"] == "true"
    assert session.errors() == []


def test_unload_closes_a_popup_course(lms: OpenCourse, tmp_path: Path) -> None:
    sco = write_sco(
        tmp_path / "sco", "1.2", [["LMSInitialize", ""]], on_pagehide=[["LMSFinish", ""]]
    )
    session = lms(sco, "1.2", via_opener=True)
    session.unload()
    assert session.wait_for_call("LMSFinish")["error"] == "0"
    assert session.course.is_closed()


# --------------------------------------------------------------------------- SCORM 2004


@pytest.mark.parametrize("depth", [1, 2])
def test_scorm2004_sco_reports_to_the_lms(lms: OpenCourse, tmp_path: Path, depth: int) -> None:
    sco = write_sco(tmp_path / "sco", "2004", CALLS_2004)
    session: LmsSession = lms(sco, "2004", depth=depth)

    assert session.api_name == "API_1484_11"
    assert session.course.evaluate("window.__scoFoundVia") == "parent"
    assert methods(session) == [call[0] for call in CALLS_2004]
    assert session.errors() == []

    cmi = session.cmi()
    assert cmi["completion_status"] == "completed"
    assert cmi["success_status"] == "passed"
    assert cmi["score"]["scaled"] == "0.9"
    assert cmi["score"]["raw"] == "90"
    interaction = cmi["interactions"]["0"]
    assert interaction["id"] == "q1"
    assert interaction["learner_response"] == "opt_a"
    assert interaction["correct_responses"] == {"0": {"pattern": "opt_a"}}
    assert cmi["objectives"]["0"]["score"]["scaled"] == "0.6"
    assert session.get("cmi.interactions.0.result") == "correct"


def test_scorm2004_sco_via_opener(lms: OpenCourse, tmp_path: Path) -> None:
    sco = write_sco(tmp_path / "sco", "2004", CALLS_2004)
    session = lms(sco, "2004", via_opener=True)
    assert session.course.evaluate("window.__scoFoundVia") == "opener"
    assert session.errors() == []
    assert session.get("cmi.success_status") == "passed"


def test_scorm2004_invalid_value_and_uninitialized_reads(lms: OpenCourse, tmp_path: Path) -> None:
    calls = [
        ["GetValue", "cmi.location"],  # before Initialize
        ["Initialize", ""],
        ["GetValue", "cmi.location"],  # never set: 403 in 2004
        ["GetValue", "cmi.suspend_data"],
        ["SetValue", "cmi.completion_status", "bogus"],
        ["GetLastError"],
        ["Terminate", ""],
        ["GetValue", "cmi.completion_status"],  # after Terminate
    ]
    session = lms(write_sco(tmp_path / "sco", "2004", calls), "2004")
    assert [(e["method"], e["args"][:1], e["error"]) for e in session.errors()] == [
        ("GetValue", ["cmi.location"], "122"),
        ("GetValue", ["cmi.location"], "403"),
        ("GetValue", ["cmi.suspend_data"], "403"),
        ("SetValue", ["cmi.completion_status"], "406"),
        ("GetValue", ["cmi.completion_status"], "123"),
    ]


def test_scorm2004_resume_data_reaches_the_sco(lms: OpenCourse, tmp_path: Path) -> None:
    calls = [
        ["Initialize", ""],
        ["GetValue", "cmi.entry"],
        ["GetValue", "cmi.suspend_data"],
        ["GetValue", "cmi.location"],
        ["GetValue", "cmi.completion_status"],
    ]
    initial = {
        "entry": "resume",
        "suspend_data": "abc",
        "location": "screen-4",
        "completion_status": "incomplete",
    }
    session = lms(write_sco(tmp_path / "sco", "2004", calls), "2004", initial=initial)
    assert [e["result"] for e in session.log()] == [
        "true", "resume", "abc", "screen-4", "incomplete",
    ]  # fmt: skip
    assert session.errors() == []


def test_scorm2004_relaunch_keeps_interactions_readable(lms: OpenCourse, tmp_path: Path) -> None:
    sco = write_sco(
        tmp_path / "sco", "2004", [*CALLS_2004[:-2], ["SetValue", "cmi.exit", "suspend"]]
    )
    first = lms(sco, "2004")
    write_sco(
        sco,
        "2004",
        [
            ["Initialize", ""],
            ["GetValue", "cmi.entry"],
            ["GetValue", "cmi.interactions._count"],
            ["GetValue", "cmi.interactions.0.learner_response"],
            ["GetValue", "cmi.success_status"],
        ],
    )
    second = first.relaunch()
    assert [e["result"] for e in second.log()] == ["true", "resume", "1", "opt_a", "passed"]
    assert second.errors() == []


# --------------------------------------------------------------------------- axe, network


def test_axe_reports_serious_violations(page_record: PageRecord, tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="en"><head><title>Bad</title></head><body><main>'
        '<img src="pic.png"><button></button></main></body></html>'
    )
    (tmp_path / "good.html").write_text(
        '<!doctype html><html lang="en"><head><title>Good</title></head><body><main>'
        '<h1>Fine</h1><img src="pic.png" alt="A chart"><button>Next</button>'
        "</main></body></html>"
    )
    (tmp_path / "pic.png").write_bytes(b"")
    tab = page_record.page
    with serve(tmp_path) as server:
        tab.goto(server.url("bad.html"))
        ids = {v["id"] for v in axe_check(tab)}
        assert {"image-alt", "button-name"} <= ids, format_violations(axe_check(tab))
        assert all(v["impact"] in ("serious", "critical") for v in axe_check(tab))

        tab.goto(server.url("good.html"))
        violations = axe_check(tab)
        assert violations == [], format_violations(violations)


def test_axe_checks_the_course_frame(lms: OpenCourse, tmp_path: Path) -> None:
    sco = write_sco(tmp_path / "sco", "1.2", [["LMSInitialize", ""]])
    (sco / "index.html").write_text(
        SCO_HTML.replace("<p>Scripted calls.</p>", '<p>Scripted calls.</p><img src="x.png">')
    )
    session = lms(sco, "1.2", depth=2)
    assert [v["id"] for v in axe_check(session.course)] == ["image-alt"]
    assert axe_check(session.page) == []  # the LMS page itself (frames not entered)


def test_external_requests_are_blocked_and_recorded(
    page: Page, page_record: PageRecord, tmp_path: Path
) -> None:
    assert page is page_record.page
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>Leaky</title>'
        '<link rel="stylesheet" href="https://cdn.example.org/x.css"></head>'
        "<body><main><p>hi</p></main></body></html>"
    )
    tab = page
    with serve(tmp_path) as server:
        tab.goto(server.url("index.html"))
        outcome = tab.evaluate(
            """() => fetch("http://example.com/track?x=1").then(
                () => "fetched", (error) => "failed: " + error.name)"""
        )
        local = tab.evaluate("() => fetch('/index.html').then((r) => r.status)")
        socket = tab.evaluate(
            """() => new Promise((resolve) => {
                const ws = new WebSocket("wss://socket.example.net/live");
                ws.onclose = (event) => resolve(event.code);
            })"""
        )
    assert outcome == "failed: TypeError"
    assert local == 200
    assert socket != 1000  # never opened
    assert page_record.take_blocked() == [
        "https://cdn.example.org/x.css",
        "http://example.com/track?x=1",
        "wss://socket.example.net/live",
    ]
    assert page_record.blocked == []
