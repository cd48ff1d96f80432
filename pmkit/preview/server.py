"""The preview server: 127.0.0.1 only, the built files only, rebuilt when the content changes.

Built on the standard library (``http.server`` and a polling watcher): a
preview serves one author on one machine, so a threaded stdlib server is
enough, and polling file times needs no native file-watching library and
behaves the same on every system and on network or container mounts.

Routes (GET and HEAD only):

- ``/`` and ``/_preview/<asset>``: the page that plays the LMS (``static/``);
- ``/_preview/state``: the latest build as JSON; ``/_preview/wait?since=N``
  answers when a build newer than N exists (or after a while, unchanged);
- ``/course/1.2/…``, ``/course/2004/…``: the unzipped SCORM packages;
  ``/handout/``: the HTML handout.

Nothing outside the latest build folder is ever served: the request path is
decoded once, and ``..``, ``.``, backslashes, NUL, symbolic links and
anything resolving outside the folder are refused (404).
"""

from __future__ import annotations

import http.server
import json
import shutil
import socketserver
import tempfile
import threading
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from pmkit.preview.build import VERSIONS, Builder, BuildResult

LOOPBACK = "127.0.0.1"
POLL_SECONDS = 0.25
DEBOUNCE_SECONDS = 0.3
WAIT_SECONDS = 20.0

#: The page's own files: URL name -> (file in static/, content type).
ASSETS: dict[str, tuple[str, str]] = {
    "preview.js": ("preview.js", "text/javascript; charset=utf-8"),
    "preview.css": ("preview.css", "text/css; charset=utf-8"),
    "lms-api.js": ("lms-api.js", "text/javascript; charset=utf-8"),
}
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".txt": "text/plain",
}
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
IGNORED_NAMES = (".", "~", "#")


def static_bytes(name: str) -> bytes:
    """A file of the page (``pmkit/preview/static/``)."""
    return resources.files("pmkit.preview").joinpath("static", name).read_bytes()


def safe_file(root: Path, relative: str) -> Path | None:
    """The file ``relative`` (an already decoded URL path) names inside ``root``, or None.

    None for ``..``/``.`` segments, backslashes, NUL, drive letters, any
    symbolic link on the way, or a target outside ``root``. A folder means
    its ``index.html``.
    """
    if "\x00" in relative or "\\" in relative or ":" in relative:
        return None
    parts = [part for part in relative.split("/") if part]
    if any(part in ("..", ".") for part in parts):
        return None
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            return None
    try:
        target = current.resolve(strict=True)
    except OSError:
        return None
    if not target.is_relative_to(root.resolve()):
        return None
    if target.is_dir():
        target = target / "index.html"
        if target.is_symlink():
            return None
    return target if target.is_file() else None


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every content file's modification time and size (editor backups and hidden files
    left out)."""
    found: dict[str, tuple[int, int]] = {}
    if not folder.is_dir():
        return found
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith(IGNORED_NAMES) or part.endswith("~") for part in relative.parts):
            continue
        try:
            if path.is_file():
                stat = path.stat()
                found[relative.as_posix()] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            continue
    return found


class PreviewState:
    """The latest build, shared by the watcher thread and the request threads."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.result: BuildResult | None = None

    def publish(self, result: BuildResult) -> BuildResult | None:
        """Make ``result`` the current build; return the one it replaces."""
        with self._changed:
            old, self.result = self.result, result
            self._changed.notify_all()
        return old

    def wait_newer(self, generation: int, timeout: float) -> BuildResult | None:
        """The current build once its generation is above ``generation`` (or at timeout)."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.result is not None and self.result.generation > generation,
                timeout=timeout,
            )
            return self.result


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _HttpServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows what the author needs, not every request

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _refuse(self) -> None:
        self._send(
            405,
            b"Only GET and HEAD.\n",
            "text/plain; charset=utf-8",
            head=False,
            extra={"Allow": "GET, HEAD"},
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        *,
        head: bool,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _not_found(self, head: bool) -> None:
        self._send(404, b"Not found.\n", "text/plain; charset=utf-8", head=head)

    def _host_ok(self) -> bool:
        # Another site's page could resolve its own name to 127.0.0.1 (DNS rebinding):
        # only requests addressed to this server by its loopback name are answered.
        host = self.headers.get("Host", "")
        port = self.server.server_address[1]
        return host in (f"{LOOPBACK}:{port}", f"localhost:{port}")

    def _respond(self, head: bool) -> None:
        if not self._host_ok():
            self._send(421, b"Misdirected request.\n", "text/plain; charset=utf-8", head=head)
            return
        parts = urlsplit(self.path)
        try:
            path = unquote(parts.path, errors="strict")
        except UnicodeDecodeError:
            self._not_found(head)
            return
        state = self.server.state
        if path in ("/", "/index.html"):
            self._send(
                200,
                static_bytes("index.html"),
                TYPES[".html"],
                head=head,
                extra={"Content-Security-Policy": PAGE_POLICY},
            )
            return
        if path.startswith("/_preview/"):
            name = path.removeprefix("/_preview/")
            if name == "state":
                self._json(state.result, head)
            elif name == "wait":
                since = parse_qs(parts.query).get("since", ["0"])[0]
                generation = int(since) if since.isdigit() else 0
                self._json(state.wait_newer(generation, self.server.wait_seconds), head)
            elif name in ASSETS:
                file, content_type = ASSETS[name]
                self._send(200, static_bytes(file), content_type, head=head)
            else:
                self._not_found(head)
            return
        result = state.result
        if result is None or result.root is None:
            self._not_found(head)
            return
        root: Path | None = None
        rest = ""
        for version in VERSIONS:
            prefix = f"/course/{version}/"
            if path.startswith(prefix):
                root, rest = result.root / f"scorm-{version}", path.removeprefix(prefix)
        if path.startswith("/handout/"):
            root, rest = result.root / "handout", path.removeprefix("/handout/")
        target = safe_file(root, rest) if root is not None else None
        if target is None:
            self._not_found(head)
            return
        content_type = TYPES.get(target.suffix, "application/octet-stream")
        self._send(200, target.read_bytes(), content_type, head=head)

    def _json(self, result: BuildResult | None, head: bool) -> None:
        data = (
            result.to_json()
            if result is not None
            else {"generation": 0, "ok": False, "building": True}
        )
        body = json.dumps(data, ensure_ascii=True).encode("ascii")
        self._send(200, body, "application/json", head=head)


class _HttpServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = False
    state: PreviewState
    wait_seconds: float

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a browser closing a connection early is not worth a traceback


class PreviewServer:
    """Serves a course folder's preview on ``http://127.0.0.1:<port>/`` and rebuilds it
    when a file changes.

    ``start()`` builds once and starts serving and watching; ``stop()`` ends both
    and removes the build folders. ``on_build`` is called after every build.
    """

    def __init__(
        self,
        content_dir: Path,
        *,
        port: int = 0,
        on_build: Callable[[BuildResult], None] | None = None,
        poll: float = POLL_SECONDS,
        debounce: float = DEBOUNCE_SECONDS,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        self.content_dir = Path(content_dir)
        self.state = PreviewState()
        self.on_build = on_build
        self.poll, self.debounce = poll, debounce
        self._out = Path(tempfile.mkdtemp(prefix="pmkit-preview-"))
        self.builder = Builder(self.content_dir, self._out)
        self._httpd = _HttpServer((LOOPBACK, port), _Handler)
        self._httpd.state = self.state
        self._httpd.wait_seconds = wait_seconds
        self.port: int = self._httpd.server_address[1]
        self.url = f"http://{LOOPBACK}:{self.port}/"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def rebuild(self) -> BuildResult:
        """Build now and publish the result (the previous build folder is removed)."""
        result = self.builder.build()
        old = self.state.publish(result)
        if old is not None and old.root is not None and old.root != result.root:
            shutil.rmtree(old.root, ignore_errors=True)
        if self.on_build is not None:
            self.on_build(result)
        return result

    def start(self) -> BuildResult:
        """Build once, then serve and watch in background threads."""
        self._seen = snapshot(self.content_dir)
        first = self.rebuild()
        serve = threading.Thread(
            target=self._httpd.serve_forever, args=(0.1,), name="pmkit-preview-http", daemon=True
        )
        watch = threading.Thread(target=self._watch, name="pmkit-preview-watch", daemon=True)
        self._threads = [serve, watch]
        for thread in self._threads:
            thread.start()
        return first

    def _watch(self) -> None:
        while not self._stop.wait(self.poll):
            current = snapshot(self.content_dir)
            if current == self._seen:
                continue
            # Debounce: an editor may write several files (or one file twice) per save.
            while not self._stop.wait(self.debounce):
                later = snapshot(self.content_dir)
                if later == current:
                    break
                current = later
            if self._stop.is_set():
                return
            self._seen = current
            try:
                self.rebuild()
            except Exception:  # never let the watcher die; the next change retries
                time.sleep(self.poll)

    def stop(self) -> None:
        """Stop serving and watching; remove the build folders (idempotent)."""
        if self._stop.is_set():
            return
        self._stop.set()
        if self._threads:
            self._httpd.shutdown()
        self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        shutil.rmtree(self._out, ignore_errors=True)

    def __enter__(self) -> PreviewServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
