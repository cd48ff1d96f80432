"""A real learning record store for the cmi5 tests: Ralph (``ralph-malph``), run on
127.0.0.1 with its file-system backend and HTTP basic authentication.

Ralph pins ``click<8.2.1``, which pmkit's own install must not be held to, so it
lives in its own virtual environment, ``.venv-ralph/`` at the repository root,
made by the README's test command::

    python -m venv .venv-ralph && .venv-ralph/bin/pip install 'ralph-malph[cli,lrs]==5.1.0' requests

(``requests`` because Ralph's API imports it for OpenID Connect whether it is
used or not, and its ``lrs`` extra does not ask for it.) Without that folder a
test that needs Ralph is skipped with a reason; in CI (``CI`` set) it fails
instead, so it can never be skipped unnoticed.

``start_ralph(folder)`` writes Ralph's credentials file with its own ``ralph
auth`` command, starts Ralph's API with the file-system backend on a free port
(through ``tests/ralph_server.py``, which says why not ``ralph runserver``),
waits until it answers, and stops it on exit.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
RALPH_VENV = REPO / ".venv-ralph"
RALPH = RALPH_VENV / "bin" / "ralph"
RALPH_PYTHON = RALPH_VENV / "bin" / "python"
SERVER = Path(__file__).resolve().parent / "ralph_server.py"
XAPI_VERSION = "1.0.3"


def require_ralph() -> Path:
    """Ralph's command; skips the test (fails it in CI) when its virtualenv is missing."""
    if RALPH.is_file():
        return RALPH
    reason = (
        f"Ralph is not installed in {RALPH_VENV}: run the README's test command, which "
        "makes that virtualenv (python -m venv .venv-ralph && .venv-ralph/bin/pip install "
        "'ralph-malph[cli,lrs]==5.1.0' requests)"
    )
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run this test")
    pytest.skip(reason)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Ralph:
    """A running Ralph: its xAPI base URL and the credentials the LMS uses."""

    url: str  # ends with /xAPI/
    username: str
    password: str

    @property
    def authorization(self) -> str:
        """The ``Authorization`` header value of the LMS's account."""
        pair = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, dict[str, str]]:
        """One request to Ralph with the LMS's credentials: status, body, headers."""
        sent = {"Authorization": self.authorization, "X-Experience-API-Version": XAPI_VERSION}
        sent.update(headers or {})
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=sent)
        try:
            with urllib.request.urlopen(req, timeout=30) as answer:  # Ralph on 127.0.0.1
                return answer.status, answer.read(), dict(answer.headers)
        except urllib.error.HTTPError as err:
            return err.code, err.read(), dict(err.headers)

    def statements(self, **query: str) -> list[dict[str, Any]]:
        """Every statement Ralph holds (matching ``query``), oldest first, all pages."""
        from urllib.parse import urlencode

        path = "statements" + ("?" + urlencode(query) if query else "")
        found: list[dict[str, Any]] = []
        while path:
            status, body, _ = self.request("GET", path)
            assert status == 200, body
            page = json.loads(body)
            found += page["statements"]
            more = page.get("more") or ""
            # "more" is an absolute path (/xAPI/statements?...): relative to our base
            path = more.split("/xAPI/", 1)[1] if more else ""
        return sorted(found, key=lambda s: (s["timestamp"], s["stored"]))


@contextlib.contextmanager
def start_ralph(folder: Path) -> Iterator[Ralph]:
    """Ralph on 127.0.0.1 with a file-system backend in ``folder``; stopped on exit."""
    ralph = require_ralph()
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(folder),
        "RALPH_APP_DIR": str(folder),
        "RALPH_AUTH_FILE": str(folder / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data"),
    }
    username, password = "pmkit-lms", "pmkit-lms-secret"
    made = subprocess.run(
        [str(ralph), "auth", "-u", username, "-p", password, "-s", "all",
         "-M", "mailto:pmkit-lms@example.org", "-w"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    port = free_port()
    log = (folder / "ralph.log").open("w")
    server = subprocess.Popen(
        [str(RALPH_PYTHON), str(SERVER), "127.0.0.1", str(port)],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    lrs = Ralph(f"http://127.0.0.1:{port}/xAPI/", username, password)
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                raise AssertionError((folder / "ralph.log").read_text(encoding="utf-8"))
            try:
                status, _, _ = lrs.request("GET", "statements?limit=1")
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "Ralph did not answer within 90 s"
            time.sleep(0.3)
        yield lrs
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)
        log.close()
