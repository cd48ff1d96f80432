"""A small cmi5 LMS for the tests: the LMS side of a cmi5 launch, on 127.0.0.1.

It serves the unzipped package, builds the launch URL (``endpoint``, ``fetch``,
``actor``, ``registration``, ``activityId``), answers the fetch URL with an auth
token (once per session, as the spec requires: a second call gets an error),
writes ``LMS.LaunchData`` before each launch and records a ``launched``
statement, and stands between the AU and the LRS:

- ``/xapi/statements`` is passed to Ralph with **Ralph's** credentials, after
  checking that the request carries the token this LMS handed out. So the AU
  never holds the LRS's credentials, as with a real cmi5 LMS.
- ``/xapi/activities/state`` is served here, from memory: Ralph has no State API
  (its xAPI router implements statements only), so the documents an AU reads and
  writes (``LMS.LaunchData``, the app's own state) live in this LMS.

Every request the AU makes is kept in ``requests`` (method, path, whether it
carried the right token), so a test can see what reached the LMS and how.
"""

from __future__ import annotations

import base64
import http.server
import json
import secrets
import socketserver
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from ralph_lrs import Ralph

CMI5 = "https://w3id.org/xapi/cmi5/context/"
SESSION_ID = CMI5 + "extensions/sessionid"
ACTOR = {"objectType": "Agent", "name": "Pat Learner",
         "account": {"homePage": "http://127.0.0.1/", "name": "pat"}}  # fmt: skip


@dataclass
class Launch:
    """One AU launch: its URL and the ids the LMS made for it."""

    url: str
    registration: str
    session_id: str
    token: str


@dataclass
class Cmi5Lms:
    """The LMS's memory; the HTTP server is started by ``start()``."""

    root: Path  # the unzipped package
    lrs: Ralph
    activity_id: str
    au_id: str  # the publisher's AU id from cmi5.xml (the grouping activity)
    state: dict[tuple[str, str, str, str], bytes] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # token -> session id
    fetched: set[str] = field(default_factory=set)
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""
    fail_statements: int = 0  # refuse the next N POSTs of statements with HTTP 503
    _server: Any = None

    # ------------------------------------------------------------- launching

    def launch(
        self,
        registration: str | None = None,
        *,
        mode: str = "Normal",
        mastery: float | None = 0.8,
        move_on: str = "CompletedAndPassed",
    ) -> Launch:
        """Prepare a session as an LMS does before it opens the AU; its launch URL."""
        registration = registration or str(uuid.uuid4())
        session = str(uuid.uuid4())
        token = base64.b64encode(f"au:{secrets.token_hex(16)}".encode()).decode("ascii")
        launch_data: dict[str, Any] = {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"id": self.au_id}]},
                "extensions": {SESSION_ID: session},
            },
            "launchMode": mode,
            "launchMethod": "AnyWindow",
            "moveOn": move_on,
            "returnURL": self.base + "/lms/return",
        }
        if mastery is not None:
            launch_data["masteryScore"] = mastery
        agent = json.dumps(ACTOR, separators=(",", ":"))
        with self.lock:
            self.tokens[token] = session
            self.state[(self.activity_id, agent, registration, "LMS.LaunchData")] = json.dumps(
                launch_data
            ).encode()
        launched = {
            "id": str(uuid.uuid4()),
            "actor": ACTOR,
            "verb": {
                "id": "http://adlnet.gov/expapi/verbs/launched",
                "display": {"en-US": "launched"},
            },
            "object": {"id": self.activity_id, "objectType": "Activity"},
            "context": {
                "registration": registration,
                "contextActivities": {
                    "category": [{"id": CMI5 + "categories/cmi5"}],
                    "grouping": [{"id": self.au_id}],
                },
                "extensions": {SESSION_ID: session, CMI5 + "extensions/launchmode": mode},
            },
        }
        status, body, _ = self.lrs.request(
            "POST",
            "statements",
            json.dumps(launched).encode(),
            {"Content-Type": "application/json"},
        )
        assert status == 200, body
        query = urlencode(
            {
                "endpoint": self.base + "/xapi/",
                "fetch": f"{self.base}/fetch/{quote(token, safe='')}",
                "actor": agent,
                "registration": registration,
                "activityId": self.activity_id,
            }
        )
        return Launch(f"{self.base}/course/index.html?{query}", registration, session, token)

    def saved_state(self, registration: str) -> dict[str, Any] | None:
        """The app's state document for ``registration`` (None before one was written)."""
        agent = json.dumps(ACTOR, separators=(",", ":"))
        raw = self.state.get((self.activity_id, agent, registration, "pmkit-state"))
        return None if raw is None else json.loads(raw)

    # ------------------------------------------------------------- serving

    def start(self) -> Cmi5Lms:
        """Listen on 127.0.0.1 (a free port) in a thread."""
        lms = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                lms.handle(self, "GET")

            def do_POST(self) -> None:
                lms.handle(self, "POST")

            def do_PUT(self) -> None:
                lms.handle(self, "PUT")

            def do_DELETE(self) -> None:
                lms.handle(self, "DELETE")

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a browser closing a connection early is no test failure

        self._server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def reply(self, h: Any, status: int, body: bytes, kind: str = "application/json") -> None:
        h.send_response(status)
        h.send_header("Content-Type", kind)
        h.send_header("Content-Length", str(len(body)))
        h.send_header("X-Experience-API-Version", "1.0.3")
        h.end_headers()
        h.wfile.write(body)

    def handle(self, h: Any, method: str) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        auth = h.headers.get("Authorization") or ""
        token = auth[len("Basic ") :] if auth.startswith("Basic ") else ""
        entry = {
            "method": method,
            "path": parts.path,
            "query": parse_qs(parts.query),
            "authorized": token in self.tokens,
            "body": body,
        }
        with self.lock:
            self.requests.append(entry)
        if parts.path.startswith("/course/"):
            self.serve_file(h, parts.path[len("/course/") :])
        elif parts.path == "/favicon.ico":
            self.reply(h, 204, b"", "image/x-icon")
        elif parts.path == "/lms/return":
            self.reply(h, 200, b"<!doctype html><title>LMS</title><p>Back in the LMS.", "text/html")
        elif parts.path.startswith("/fetch/") and method == "POST":
            self.fetch(h, parts.path[len("/fetch/") :])
        elif parts.path.startswith("/xapi/"):
            if not entry["authorized"]:
                self.reply(h, 401, b'{"error": "not this LMS\'s token"}')
            elif parts.path == "/xapi/statements" and method == "POST" and self._refuse(entry):
                self.reply(h, 503, b'{"error": "the LRS is down (a test says so)"}')
            elif parts.path == "/xapi/statements":
                status, answer, _ = self.lrs.request(
                    method,
                    "statements" + (f"?{parts.query}" if parts.query else ""),
                    body or None,
                    {"Content-Type": "application/json"} if body else {},
                )
                self.reply(h, status, answer)
            elif parts.path == "/xapi/activities/state":
                self.state_api(h, method, parse_qs(parts.query), body)
            else:
                self.reply(h, 404, b"{}")
        else:
            self.reply(h, 404, b"not found", "text/plain")

    def _refuse(self, entry: dict[str, Any]) -> bool:
        with self.lock:
            if self.fail_statements <= 0:
                return False
            self.fail_statements -= 1
            entry["refused"] = True
            return True

    def serve_file(self, h: Any, relative: str) -> None:
        from urllib.parse import unquote

        target = (self.root / unquote(relative)).resolve()
        if not target.is_file() or self.root.resolve() not in target.parents:
            self.reply(h, 404, b"not found", "text/plain")
            return
        kinds = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
        self.reply(
            h, 200, target.read_bytes(), kinds.get(target.suffix, "application/octet-stream")
        )

    def fetch(self, h: Any, quoted: str) -> None:
        from urllib.parse import unquote

        token = unquote(quoted)
        with self.lock:
            known, used = token in self.tokens, token in self.fetched
            self.fetched.add(token)
        if not known:
            self.reply(h, 200, b'{"error-code": "3", "error-text": "General Application Error"}')
        elif used:
            # cmi5 8.2.3.1: the fetch URL answers once per session
            self.reply(h, 200, b'{"error-code": "1", "error-text": "Already in use"}')
        else:
            self.reply(h, 200, json.dumps({"auth-token": token}).encode())

    def state_api(self, h: Any, method: str, query: dict[str, list[str]], body: bytes) -> None:
        def one(name: str) -> str:
            return (query.get(name) or [""])[0]

        try:
            agent = json.dumps(json.loads(one("agent")), separators=(",", ":"))
        except ValueError:
            self.reply(h, 400, b'{"error": "agent"}')
            return
        key = (one("activityId"), agent, one("registration"), one("stateId"))
        with self.lock:
            if method == "GET":
                held = self.state.get(key)
                if held is None:
                    self.reply(h, 404, b"{}")
                else:
                    self.reply(h, 200, held)
                return
            if method == "DELETE":
                self.state.pop(key, None)
            else:
                self.state[key] = body
        h.send_response(204)
        h.send_header("Content-Length", "0")
        h.end_headers()
