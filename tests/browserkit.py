"""Reusable browser test kit: a loopback server, Chromium, a SCORM test LMS and axe.

Everything runs offline against real consumers installed on this machine:
Debian's Chromium driven by Playwright (never ``playwright install``), the
scorm-again runtime and axe-core from ``node_modules`` (``npm ci``).

What it offers::

    serve(root)                       # loopback static server: `with serve(d) as s: s.url("x")`
    browser                           # fixture (session): Chromium via Playwright
    page / page_record                # fixture: fresh context+page; non-loopback requests are
                                      #   aborted and recorded (teardown fails on any left)
    lms                               # fixture (OpenCourse): lms(dir_or_zip, "1.2"|"2004",
                                      #   initial=..., depth=1, via_opener=False) -> LmsSession
    LmsSession.log() / errors() / cmi() / cmi_at_launch() / get() / get_value() / carried()
               / wait_for_call() / unload() / relaunch()
    axe_check(frame_or_page)          # serious + critical axe violations ([] when clean)
    unzip(zip_path, dest)             # safe extraction (no absolute paths, no "..")

The fixtures are plain pytest fixtures: the root ``conftest.py`` loads them
with ``pytest_plugins = ["browserkit"]``.
"""

from __future__ import annotations

import copy
import functools
import http.server
import json
import os
import re
import shutil
import socketserver
import threading
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Frame,
        Page,
        Playwright,
        Route,
        WebError,
        WebSocketRoute,
    )

__all__ = [
    "AXE_JS",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "NODE_MODULES",
    "REPO_ROOT",
    "SCORM_AGAIN_DIST",
    "LmsSession",
    "OpenCourse",
    "PageRecord",
    "StaticServer",
    "axe_check",
    "browser",
    "format_violations",
    "lms",
    "page",
    "page_record",
    "require_chromium",
    "require_node_file",
    "scorm_again_js",
    "serve",
    "unzip",
]

ScormVersion = Literal["1.2", "2004"]

# --------------------------------------------------------------------------- locations

REPO_ROOT = Path(__file__).resolve().parent.parent
"""The repository root (the parent of ``tests/``)."""

NODE_MODULES = REPO_ROOT / "node_modules"
"""Where ``npm ci`` (run in the repository root) installs the test consumers."""

SCORM_AGAIN_DIST = NODE_MODULES / "scorm-again" / "dist"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"

CHROMIUM = Path(os.environ.get("PMKIT_CHROMIUM", "/usr/bin/chromium"))
"""The Chromium binary (Debian's package; override with ``PMKIT_CHROMIUM``)."""

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
)

LOOPBACK = "127.0.0.1"
DEFAULT_TIMEOUT_MS = 10_000


def require_chromium() -> Path:
    """Return the Chromium binary, or fail the test saying how to install it."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
            "(or point PMKIT_CHROMIUM at a Chromium binary). Do not run `playwright install`.",
            pytrace=False,
        )
    return CHROMIUM


def require_node_file(relative: str) -> Path:
    """Return ``node_modules/<relative>``, or fail the test saying to run ``npm ci``."""
    path = NODE_MODULES / relative
    if not path.is_file():
        package = relative.split("/", 1)[0]
        pytest.fail(
            f"{path} is missing (npm package {package!r}): run `npm ci` in {REPO_ROOT} "
            "to install the test consumers listed in package.json.",
            pytrace=False,
        )
    return path


def scorm_again_js(version: ScormVersion) -> Path:
    """The scorm-again browser bundle for one SCORM version (defines ``Scorm12API`` or
    ``Scorm2004API`` on ``window``)."""
    name = {"1.2": "scorm12.js", "2004": "scorm2004.js"}[version]
    return require_node_file(f"scorm-again/dist/{name}")


def _import_playwright() -> Any:
    try:
        from playwright import sync_api
    except ImportError:
        pytest.fail(
            "The Python package `playwright` is missing: `pip install playwright` "
            "(the kit uses the system Chromium; do not run `playwright install`).",
            pytrace=False,
        )
    return sync_api


# --------------------------------------------------------------------------- server

MIME_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".map": "application/json",
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with fixed MIME types, no caching and no request log."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **MIME_TYPES,
    }

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closes a connection early is not an error worth printing.
        pass


class StaticServer:
    """A threaded static HTTP server for one folder, on ``127.0.0.1`` and a free port.

    Use it as a context manager (``with serve(root) as server: server.url("index.html")``)
    or unpack it (``base_url, stop = serve(root)``). ``base_url`` ends with ``/``.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise NotADirectoryError(self.root)
        handler = functools.partial(_QuietHandler, directory=str(self.root))
        self._httpd = _Server((LOOPBACK, 0), handler)
        self.port: int = self._httpd.server_address[1]
        self.base_url = f"http://{LOOPBACK}:{self.port}/"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name=f"static-{self.port}", daemon=True
        )
        self._thread.start()
        self._stopped = False

    def url(self, path: str = "") -> str:
        """The absolute URL of ``path`` (relative to the served folder)."""
        return self.base_url + path.lstrip("/")

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> StaticServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __iter__(self) -> Iterator[Any]:
        return iter((self.base_url, self.stop))


def serve(root: Path) -> StaticServer:
    """Serve ``root`` on ``http://127.0.0.1:<free port>/`` until ``stop()``."""
    return StaticServer(root)


# --------------------------------------------------------------------------- zip


def unzip(zip_path: Path, dest: Path) -> Path:
    """Extract ``zip_path`` into ``dest`` (created) and return ``dest``.

    Refuses members with absolute paths, drive letters, backslashes or ``..``
    (a zip that tries to escape ``dest`` is a bug in the exporter).
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as archive:
        for name in archive.namelist():
            parts = PurePosixPath(name).parts
            if name.startswith("/") or "\\" in name or ".." in parts or ":" in name:
                raise ValueError(f"{zip_path}: unsafe member name {name!r}")
        archive.extractall(dest)
    return dest


# --------------------------------------------------------------------------- browser


def _is_loopback_url(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname == LOOPBACK


@dataclass
class ConsoleEntry:
    """One console message: ``type`` is ``log``, ``warning``, ``error``..."""

    type: str
    text: str
    url: str


@dataclass
class PageRecord:
    """A test's browser context, its page, and what happened in it.

    ``blocked`` lists every request that was not to 127.0.0.1 (they are aborted).
    A test that provokes such requests on purpose takes them with
    :meth:`take_blocked`; any left at teardown fail the test.
    """

    context: BrowserContext
    page: Page
    blocked: list[str] = field(default_factory=list)
    console: list[ConsoleEntry] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def take_blocked(self) -> list[str]:
        """Return the blocked URLs so far and forget them (they are then expected)."""
        taken = list(self.blocked)
        self.blocked.clear()
        return taken

    def console_errors(self) -> list[ConsoleEntry]:
        """Console messages of type ``error``."""
        return [entry for entry in self.console if entry.type == "error"]

    def problems(self) -> list[str]:
        """Blocked requests, uncaught page errors and console errors, as text."""
        return (
            [f"blocked request: {url}" for url in self.blocked]
            + [f"page error: {error}" for error in self.page_errors]
            + [f"console error: {entry.text} ({entry.url})" for entry in self.console_errors()]
        )

    def assert_clean(self) -> None:
        """Fail when anything in :meth:`problems` happened."""
        problems = self.problems()
        assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium (system binary, headless, fresh profile) for the whole session."""
    chromium = require_chromium()
    sync_api = _import_playwright()
    playwright: Playwright = sync_api.sync_playwright().start()
    try:
        instance = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=list(CHROMIUM_ARGS), timeout=60_000
        )
    except Exception as error:
        playwright.stop()
        pytest.fail(f"Chromium at {chromium} did not start: {error}", pytrace=False)
    try:
        yield instance
    finally:
        instance.close()
        playwright.stop()


@pytest.fixture
def page_record(browser: Browser) -> Iterator[PageRecord]:
    """A fresh context and page; records blocked requests, console messages, page errors.

    Requests to anything but 127.0.0.1 are aborted and recorded; teardown fails the
    test when some were not taken with :meth:`PageRecord.take_blocked`.
    """
    context = browser.new_context()
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    blocked: list[str] = []
    console: list[ConsoleEntry] = []
    page_errors: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if _is_loopback_url(url):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("blockedbyclient")

    def guard_websocket(websocket: WebSocketRoute) -> None:
        if _is_loopback_url(websocket.url):
            websocket.connect_to_server()
        else:
            blocked.append(websocket.url)
            websocket.close(code=1008, reason="blocked by the pmkit test kit")

    def on_console(message: ConsoleMessage) -> None:
        location = message.location or {}
        console.append(ConsoleEntry(message.type, message.text, location.get("url", "")))

    def on_weberror(error: WebError) -> None:
        page_errors.append(f"{error.error.name}: {error.error.message}")

    context.route("**/*", guard)
    context.route_web_socket(re.compile(".*"), guard_websocket)
    context.on("console", on_console)
    context.on("weberror", on_weberror)
    record = PageRecord(context, context.new_page(), blocked, console, page_errors)
    try:
        yield record
    finally:
        leftover = list(record.blocked)
        context.close()
        if leftover:
            pytest.fail(
                "requests outside 127.0.0.1 were blocked (the package must not use the "
                "network):\n  " + "\n  ".join(leftover),
                pytrace=False,
            )


@pytest.fixture
def page(page_record: PageRecord) -> Page:
    """The page of :func:`page_record` (a fresh context per test)."""
    return page_record.page


# --------------------------------------------------------------------------- axe


def axe_check(
    target: Page | Frame,
    *,
    impacts: Iterable[str] = ("serious", "critical"),
    options: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Run axe-core on the document of ``target`` and return the violations of ``impacts``.

    Each violation is ``{"id", "impact", "help", "nodes": [{"target", "html"}]}``.
    Child frames are not entered (``iframes: false``): check each frame on its own.
    ``options`` are merged into the ``axe.run`` options (e.g. ``{"runOnly": [...]}``).
    """
    axe_path = require_node_file("axe-core/axe.min.js")
    if not target.evaluate("() => typeof window.axe === 'object'"):
        try:
            target.add_script_tag(path=str(axe_path))
        except Exception:
            # e.g. a Content-Security-Policy that forbids injected scripts
            target.evaluate(axe_path.read_text(encoding="utf-8"))
    run_options = {"iframes": False, "resultTypes": ["violations"], **(options or {})}
    violations: list[dict[str, Any]] = target.evaluate(
        """async (options) => {
            const result = await window.axe.run(document, options);
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target, html: n.html})),
            }));
        }""",
        run_options,
    )
    wanted = set(impacts)
    return [v for v in violations if v["impact"] in wanted]


def format_violations(violations: Iterable[Mapping[str, Any]]) -> str:
    """Violations as readable lines (for assertion messages)."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        lines.extend(f"    {node['target']}  {node['html'][:120]}" for node in v["nodes"])
    return "\n".join(lines)


# --------------------------------------------------------------------------- LMS

API_METHODS: dict[str, tuple[str, ...]] = {
    "1.2": (
        "LMSInitialize",
        "LMSFinish",
        "LMSGetValue",
        "LMSSetValue",
        "LMSCommit",
        "LMSGetLastError",
        "LMSGetErrorString",
        "LMSGetDiagnostic",
    ),
    "2004": (
        "Initialize",
        "Terminate",
        "GetValue",
        "SetValue",
        "Commit",
        "GetLastError",
        "GetErrorString",
        "GetDiagnostic",
    ),
}
"""The wrapped (and logged) API methods per version."""

INSPECTION_METHODS = frozenset(
    {"LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"}
    | {"GetLastError", "GetErrorString", "GetDiagnostic"}
)
"""Methods that do not change the error state: ``errors()`` ignores their entries."""

LEARNER_DEFAULTS: dict[str, dict[str, Any]] = {
    "1.2": {
        "core": {
            "student_id": "pmkit-learner",
            "student_name": "Learner, Test",
            "credit": "credit",
            "entry": "ab-initio",
        }
    },
    "2004": {
        "learner_id": "pmkit-learner",
        "learner_name": "Test Learner",
        "credit": "credit",
        "entry": "ab-initio",
    },
}
"""What the test LMS loads before every launch (``initial`` is merged over it)."""

# Elements an LMS does not carry from one session to the next (relaunch()).
_NOT_CARRIED: dict[str, frozenset[str]] = {
    "1.2": frozenset(
        {
            "core.session_time",
            "core.exit",
            "core.entry",
            "core.lesson_mode",
            "core.total_time",
            "launch_data",
            "comments_from_lms",
            "student_data",
            "student_preference",
        }
    ),
    "2004": frozenset(
        {
            "session_time",
            "exit",
            "entry",
            "total_time",
            "mode",
            "launch_data",
            "comments_from_lms",
            "completion_threshold",
            "scaled_passing_score",
            "max_time_allowed",
            "time_limit_action",
            "learner_preference",
        }
    ),
}

_LMS_HTML = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>pmkit test LMS</title></head>
<body>
<main>
<h1>pmkit test LMS</h1>
<div id="pmkit-lms-host"></div>
</main>
<script src="scorm-again.js"></script>
<script src="config.js"></script>
<script src="lms.js"></script>
</body>
</html>
"""

_FRAME_HTML = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>pmkit test LMS wrapper frame</title></head>
<body>
<script src="frame.js"></script>
</body>
</html>
"""

_FRAME_JS = r"""(function () {
  "use strict";
  var cfg = window.top.__lmsConfig;
  var rest = Number(new URLSearchParams(window.location.search).get("depth") || "1");
  window.top.__lmsEmbed(document.body, rest, cfg);
})();
"""

_LMS_JS = r"""(function () {
  "use strict";
  var cfg = window.__lmsConfig;
  var is12 = cfg.version === "1.2";
  var settings = {autocommit: false, logLevel: 5, lmsCommitUrl: false};
  var api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  if (cfg.initial) { api.loadFromJSON(cfg.initial); }

  var lastErrorName = is12 ? "LMSGetLastError" : "GetLastError";
  var finishName = is12 ? "LMSFinish" : "Terminate";
  var finished = false;
  var originals = {};
  cfg.methods.forEach(function (name) { originals[name] = api[name].bind(api); });
  var log = [];

  function plain(value) {
    if (value === null || value === undefined) { return value === undefined ? null : value; }
    var kind = typeof value;
    return (kind === "string" || kind === "number" || kind === "boolean") ? value : String(value);
  }

  cfg.methods.forEach(function (name) {
    api[name] = function () {
      var args = Array.prototype.slice.call(arguments).map(plain);
      var entry = {seq: log.length, method: name, args: args, result: null, error: null};
      if (finished) { entry.after_finish = true; }
      log.push(entry);
      try {
        entry.result = plain(originals[name].apply(null, arguments));
      } catch (e) {
        entry.exception = String((e && e.stack) || e);
        throw e;
      } finally {
        entry.error = String(originals[lastErrorName]());
      }
      if (name === finishName && entry.result === "true") { finished = true; }
      return entry.result;
    };
  });

  window.__lmsApi = api;
  window.__lmsOriginals = originals;
  window.__lmsLog = log;
  window.__lmsCourseLoaded = false;
  window[is12 ? "API" : "API_1484_11"] = api;

  window.__lmsGetValue = function (element) {
    var saved = api.lastErrorCode;
    var value = originals[is12 ? "LMSGetValue" : "GetValue"](element);
    var code = String(originals[lastErrorName]());
    api.lastErrorCode = saved;
    return [plain(value), code];
  };

  window.__lmsCmi = function () {
    if (typeof api.renderCMIToJSONObject === "function") {
      var rendered = api.renderCMIToJSONObject();
      return rendered && rendered.cmi ? rendered.cmi : rendered;
    }
    return JSON.parse(JSON.stringify(api.cmi));
  };

  // Embed the course (rest == 1) or one more wrapper frame into `host`.
  window.__lmsEmbed = function (host, rest, config) {
    var frame = host.ownerDocument.createElement("iframe");
    var last = rest <= 1;
    frame.name = last ? "pmkit-course" : "pmkit-wrapper-" + (rest - 1);
    frame.id = last ? "pmkit-course" : "pmkit-wrapper";
    frame.title = last ? "Course" : "Course wrapper";
    frame.style.width = "100%";
    frame.style.height = last ? "900px" : "1000px";
    frame.style.border = "0";
    if (last) {
      frame.addEventListener("load", function () { window.__lmsCourseLoaded = true; });
    }
    frame.src = last ? config.courseUrl : config.frameUrl + "?depth=" + (rest - 1);
    host.appendChild(frame);
  };

  // The CMI as loaded, before the course runs: what a session that writes nothing
  // leaves behind (LmsSession.cmi_at_launch()).
  window.__lmsCmiAtLaunch = window.__lmsCmi();

  if (cfg.viaOpener) {
    window.__lmsCourseWindow = window.open(cfg.courseUrl, "pmkit-course");
  } else {
    window.__lmsEmbed(document.getElementById("pmkit-lms-host"), cfg.depth, cfg);
  }
})();
"""


def _deep_merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = copy.deepcopy(dict(base))
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _script_json(value: Any) -> str:
    """JSON that is safe inside a script file or ``<script>``."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _carried_state(version: ScormVersion, cmi: Mapping[str, Any]) -> dict[str, Any]:
    """What an LMS that keeps the attempt (as Moodle does) loads into the next session."""
    skip = _NOT_CARRIED[version]

    def prune(node: Mapping[str, Any], prefix: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in node.items():
            path = f"{prefix}{key}"
            if path in skip or key.startswith("_"):
                continue
            if isinstance(value, Mapping):
                out[key] = prune(value, path + ".")
            elif value not in ("", None):
                out[key] = value
        return out

    state = prune(cmi, "")
    core_exit = cmi.get("core", {}).get("exit") if version == "1.2" else cmi.get("exit")
    entry = "resume" if core_exit == "suspend" else ""
    if version == "1.2":
        state.setdefault("core", {})["entry"] = entry
    else:
        state["entry"] = entry
    return state


class OpenCourse(Protocol):
    """The ``lms`` fixture: launch a course in the test LMS (see :func:`lms`)."""

    def __call__(
        self,
        package: Path,
        version: ScormVersion,
        *,
        initial: Mapping[str, Any] | None = None,
        depth: int = 1,
        via_opener: bool = False,
        launch: str = "index.html",
    ) -> LmsSession: ...


@dataclass
class LmsSession:
    """One launch of a course in the test LMS.

    ``page`` is the LMS page; ``course`` is the frame (``depth`` >= 1) or popup page
    (``via_opener``) the course runs in, already loaded.
    """

    page: Page
    course: Page | Frame
    version: ScormVersion
    server: StaticServer
    root: Path
    package: Path
    depth: int
    via_opener: bool
    launch: str
    _launch: OpenCourse = field(repr=False)

    @property
    def api_name(self) -> str:
        """``API`` (1.2) or ``API_1484_11`` (2004)."""
        return "API" if self.version == "1.2" else "API_1484_11"

    def log(self) -> list[dict[str, Any]]:
        """Every API call so far: ``{seq, method, args, result, error}``.

        ``error`` is the runtime's ``GetLastError`` right after the call, as a string.
        A call that threw also has ``exception``; a call made after a successful
        ``LMSFinish``/``Terminate`` also has ``after_finish: True``.
        """
        return self.page.evaluate("() => window.__lmsLog")

    def calls(self, method: str) -> list[dict[str, Any]]:
        """The log entries of one method (e.g. ``"LMSSetValue"``)."""
        return [entry for entry in self.log() if entry["method"] == method]

    def set_values(self) -> dict[str, Any]:
        """The last value the course set per element, for successful SetValue calls."""
        method = "LMSSetValue" if self.version == "1.2" else "SetValue"
        return {
            entry["args"][0]: entry["args"][1]
            for entry in self.calls(method)
            if entry["error"] == "0" and len(entry["args"]) >= 2
        }

    def errors(self, *, ignore: Iterable[str] = ()) -> list[dict[str, Any]]:
        """Failed calls: a non-zero error code (not in ``ignore``), a thrown exception, or
        any call after a successful ``LMSFinish``/``Terminate`` (scorm-again's 1.2 runtime
        still answers ``LMSGetValue``/``LMSSetValue``/``LMSCommit`` with ``"0"`` then).

        ``GetLastError``/``GetErrorString``/``GetDiagnostic`` entries are left out (they
        only repeat the previous call's code) unless they come after the finish.
        """
        ignored = {"0", "", *map(str, ignore)}
        return [
            entry
            for entry in self.log()
            if "exception" in entry
            or entry.get("after_finish", False)
            or (entry["method"] not in INSPECTION_METHODS and str(entry["error"]) not in ignored)
        ]

    def cmi(self) -> dict[str, Any]:
        """The runtime's whole CMI as JSON (interactions/objectives keyed ``"0"``, ``"1"``..).

        Includes write-only elements (1.2 interactions, session_time): it is the LMS's view.
        """
        return self.page.evaluate("() => window.__lmsCmi()")

    def cmi_at_launch(self) -> dict[str, Any]:
        """The runtime's whole CMI (as :meth:`cmi`) right after the test LMS loaded it,
        before the course started: compare with :meth:`cmi` to see what a session changed."""
        return self.page.evaluate("() => window.__lmsCmiAtLaunch")

    def get(self, element: str) -> Any:
        """The stored value of ``element`` (e.g. ``"cmi.core.lesson_status"``), or ``None``.

        Read from :meth:`cmi`: not logged, no effect on the error state, works before
        Initialize, after Finish and for write-only elements. ``..._count`` is supported.
        """
        node: Any = self.cmi()
        parts = element.split(".")
        if parts and parts[0] == "cmi":
            parts = parts[1:]
        for part in parts:
            if part == "_count" and isinstance(node, Mapping):
                return str(len(node))
            if not isinstance(node, Mapping) or part not in node:
                return None
            node = node[part]
        return node

    def get_value(self, element: str) -> tuple[Any, str]:
        """What the course would see now: the original ``GetValue`` and its error code.

        Not logged; the runtime's last-error state is restored afterwards.
        """
        value, code = self.page.evaluate("(e) => window.__lmsGetValue(e)", element)
        return value, code

    def wait_for_call(
        self, method: str, element: str | None = None, *, timeout: float | None = None
    ) -> dict[str, Any]:
        """Wait until the course called ``method`` (with ``element`` as first argument)
        and return the first such log entry."""
        self.page.wait_for_function(
            """([m, el]) => window.__lmsLog.some(
                (e) => e.method === m && (el === null || e.args[0] === el))""",
            arg=[method, element],
            timeout=timeout,
        )
        return next(
            entry
            for entry in self.log()
            if entry["method"] == method and (element is None or entry["args"][:1] == [element])
        )

    def unload(self) -> None:
        """Unload the course as a learner leaving would (fires its ``pagehide``)."""
        if self.via_opener:
            popup: Page = self.course  # type: ignore[assignment]
            if not popup.is_closed():
                with popup.expect_event("close"):
                    popup.close(run_before_unload=True)
        else:
            self.page.evaluate(
                """() => {
                    const host = document.getElementById("pmkit-lms-host");
                    while (host.firstChild) { host.removeChild(host.firstChild); }
                }"""
            )

    def carried(self) -> dict[str, Any]:
        """What :meth:`relaunch` loads by default: the CMI an LMS that keeps the attempt
        hands to the next session (a copy: edit it, e.g. to set a launch mode, and pass
        it to ``relaunch(initial=...)``)."""
        return _carried_state(self.version, self.cmi())

    def relaunch(self, initial: Mapping[str, Any] | None = None) -> LmsSession:
        """Unload the course and launch it again in a new LMS page (same page object).

        Without ``initial`` the LMS carries the attempt over as Moodle does: the CMI
        minus session-only elements, with ``entry`` = ``resume`` when the course exited
        with ``suspend`` (else ``""``).
        """
        state = _carried_state(self.version, self.cmi()) if initial is None else initial
        self.unload()
        return self._launch(
            self.package,
            self.version,
            initial=state,
            depth=self.depth,
            via_opener=self.via_opener,
            launch=self.launch,
        )


@pytest.fixture
def lms(page_record: PageRecord, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenCourse]:
    """A factory that launches a course (a folder or a ``.zip``) in a scorm-again test LMS.

    ``open_course(package, "1.2" | "2004", *, initial=None, depth=1,
    via_opener=False, launch="index.html") -> LmsSession``

    The LMS page (``/lms/index.html``) creates ``window.API`` (1.2) or
    ``window.API_1484_11`` (2004) with ``{autocommit: false, logLevel: 5}`` and no
    commit URL, loads :data:`LEARNER_DEFAULTS` merged with ``initial`` via
    ``loadFromJSON`` (shape relative to ``cmi``: 1.2 ``{"core": {"entry": "resume"},
    "suspend_data": "..."}``, 2004 ``{"entry": "resume", "suspend_data": "..."}``),
    logs every API call, then embeds ``/course/<launch>`` in an iframe (``depth`` > 1:
    inside ``depth - 1`` wrapper frames) or opens it with ``window.open``.
    """
    servers: list[StaticServer] = []
    page = page_record.page

    def open_course(
        package: Path,
        version: ScormVersion,
        *,
        initial: Mapping[str, Any] | None = None,
        depth: int = 1,
        via_opener: bool = False,
        launch: str = "index.html",
    ) -> LmsSession:
        if version not in API_METHODS:
            raise ValueError(f"version must be '1.2' or '2004', not {version!r}")
        if not 1 <= depth <= 6:
            raise ValueError(f"depth must be 1..6, not {depth}")
        if via_opener and depth != 1:
            raise ValueError("via_opener launches the course in a popup: depth must be 1")
        package = Path(package)
        runtime = scorm_again_js(version)
        root = tmp_path_factory.mktemp("lms")
        if package.is_file() and package.suffix == ".zip":
            unzip(package, root / "course")
        else:
            shutil.copytree(package, root / "course")
        if not (root / "course" / launch).is_file():
            raise FileNotFoundError(f"{package}: no launch page {launch!r}")
        lms_dir = root / "lms"
        lms_dir.mkdir()
        shutil.copyfile(runtime, lms_dir / "scorm-again.js")
        config = {
            "version": version,
            "methods": list(API_METHODS[version]),
            "initial": _deep_merge(LEARNER_DEFAULTS[version], initial or {}),
            "depth": depth,
            "viaOpener": via_opener,
            "courseUrl": "/course/" + launch.lstrip("/"),
            "frameUrl": "/lms/frame.html",
        }
        (lms_dir / "config.js").write_text(
            f"window.__lmsConfig = {_script_json(config)};\n", encoding="utf-8"
        )
        (lms_dir / "lms.js").write_text(_LMS_JS, encoding="utf-8")
        (lms_dir / "index.html").write_text(_LMS_HTML, encoding="utf-8")
        (lms_dir / "frame.html").write_text(_FRAME_HTML, encoding="utf-8")
        (lms_dir / "frame.js").write_text(_FRAME_JS, encoding="utf-8")

        server = serve(root)
        servers.append(server)
        course: Page | Frame
        if via_opener:
            with page.expect_popup() as popup_info:
                page.goto(server.url("lms/index.html"))
            popup = popup_info.value
            popup.wait_for_load_state("load")
            course = popup
        else:
            page.goto(server.url("lms/index.html"))
            page.wait_for_function("() => window.__lmsCourseLoaded === true")
            course = next(frame for frame in page.frames if frame.name == "pmkit-course")
        return LmsSession(
            page=page,
            course=course,
            version=version,
            server=server,
            root=root,
            package=package,
            depth=depth,
            via_opener=via_opener,
            launch=launch,
            _launch=open_course,
        )

    try:
        yield open_course
    finally:
        for server in servers:
            server.stop()
