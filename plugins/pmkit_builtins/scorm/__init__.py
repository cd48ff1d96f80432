"""The SCORM exporter: one zip an LMS admin uploads (SCORM 1.2 by default, or 2004 4th Ed.).

The package is a self-contained web app (``app/``: HTML, CSS, vanilla JS, no
build step) plus the course data, the scorers' browser twins and a manifest.
``check()`` refuses, before anything is written, a course whose values the
chosen SCORM version cannot hold — above all a worst-case learner state longer
than ``cmi.suspend_data`` allows. See docs/scorm-package.md for the contract
between this module and the app.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, ClassVar

import pmkit
from pmkit_builtins.scorm.interactions import (
    LIMITS,
    check_values,
    compact_question_data,
    question_data,
    state_budget,
)
from pmkit_builtins.scorm.manifest import build_manifest

RUNTIMES = {"1.2": "runtime-12.js", "2004": "runtime-2004.js", "cmi5": "runtime-cmi5.js"}
PACKAGE_FORMAT = "pmkit-scorm/2"
# The pieces of app.js, in the order they run: each one's single top-level `var`
# uses only the pieces before it when it loads (docs/scorm-package.md, "How app.js
# is built").
APP_SCRIPTS = (
    "app-course.js",  # PMKIT_PACKAGE indexed, the screens list
    "app-codec.js",  # the state and its suspend_data text
    "app-tree.js",  # decision-tree paths and the walk
    "app-dom.js",  # elements, controls, notices, announcer
    "app-session.js",  # the session's mutable state; saving it
    "app-report.js",  # interactions, objectives, status, score, progress
    "screen-intro.js",  # welcome, self-discovery, starting point
    "screen-recommendation.js",
    "screen-explore.js",  # tracks, decision-tree walk, your future
    "screen-knowledge.js",
    "screen-finish.js",  # next steps, finish, results, retake, attempt complete
    "app-nav.js",  # render, Back/Next, leaving a screen
    "app-main.js",  # start-up, pagehide, window.pmkitApp
)
# One function around the pieces: their top-level names stay private to app.js
# (only window.pmkitApp is published), and each piece is still a classic script
# that eslint, tsc and the Node tests read on its own.
APP_HEAD = (
    b"/* app.js - the course logic and UI, built by pmkit from the pieces named below "
    b"(docs/scorm-package.md). */\n(function () {\n"
)
APP_TAIL = b"}());\n"


#: App screens titled by a page of the course (pmkit.course_sections ids) when it has one.
SCREEN_SECTIONS = {
    "self-discovery": "self-discovery",
    "starting-point": "decision-tree",
    "tracks": "tracks",
    "future": "future",
    "knowledge-check": "knowledge-check",
    "next-steps": "next-steps",
}
SCREEN_IDS = (
    "welcome",
    "self-discovery",
    "starting-point",
    "recommendation",
    "tracks",
    "decision-tree",
    "future",
    "knowledge-check",
    "next-steps",
    "finish",
)


def screen_labels(course: pmkit.Course) -> dict[str, str]:
    """Each screen's label: the heading of the course's own page, else the catalogue's."""
    titles = {s.id: s.title for s in pmkit.course_sections(course)}
    texts = pmkit.ui_strings(course)
    labels = {}
    for screen in SCREEN_IDS:
        title = titles.get(SCREEN_SECTIONS.get(screen, ""))
        labels[screen] = title or texts[f"app.screen.{screen}"]
    return labels


def _app_file(name: str) -> bytes:
    return resources.files(__package__).joinpath("app", name).read_bytes()


def app_script() -> bytes:
    """``app.js``: the pieces of ``APP_SCRIPTS`` in order, inside one function."""
    parts = [APP_HEAD]
    for name in APP_SCRIPTS:
        parts += [b"\n/* ---- " + name.encode("ascii") + b" ---- */\n", _app_file(name)]
    parts.append(APP_TAIL)
    return b"".join(parts)


class ScormExporter(pmkit.Exporter):
    """``pmkit export --format scorm`` → ``exports/<course-id>-scorm12.zip`` (or ``-scorm2004``)."""

    name = "scorm"
    title = "SCORM package for Moodle, Canvas, Blackboard, SCORM Cloud (1.2 or 2004)"
    kind = "zip"
    suffix = ".zip"
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option(
            "version",
            "string",
            "1.2",
            "SCORM version: 1.2 (the safest everywhere) or 2004 (4th Edition)",
            allowed=("1.2", "2004"),
        ),
        pmkit.Option(
            "mastery",
            "integer",
            None,
            "pass mark in percent (default: the grade scorer's `mastery` under "
            "`scorers: options:`, else the course's `mastery`)",
            minimum=0,
            maximum=100,
        ),
        pmkit.Option(
            "scorer", "string", None, "grade scorer (default: the course's, partial-credit)"
        ),
        pmkit.Option(
            "recommender", "string", None, "recommendation scorer (default: the course's, weighted)"
        ),
    )

    def filename(self, ctx: pmkit.ExportContext) -> str:
        """``<course-id>-scorm12.zip`` or ``<course-id>-scorm2004.zip``."""
        variant = "scorm12" if ctx.options["version"] == "1.2" else "scorm2004"
        return f"{ctx.course.id}-{variant}.zip"

    def _version(self, ctx: pmkit.ExportContext) -> str:
        """The SCORM version whose interaction table and limits the package uses."""
        return str(ctx.options["version"])

    def _runtime(self, ctx: pmkit.ExportContext) -> str:
        """The runtime module written after runtime-common.js into scorm-runtime.js."""
        return RUNTIMES[self._version(ctx)]

    def _mastery(self, ctx: pmkit.ExportContext) -> int:
        """The pass mark: ``-o mastery``, else the course's value for the grade
        scorer's own ``mastery`` option, else the course's ``mastery``."""
        given = ctx.options["mastery"]
        if given is None:
            grade = self._scorers(ctx)["grade"]
            given = ctx.scorer_options(grade.name).get("mastery")
        return ctx.course.mastery if given is None else given

    def _scorers(self, ctx: pmkit.ExportContext) -> dict[str, Any]:
        return {
            "recommendation": ctx.scorer("recommendation", ctx.options["recommender"]),
            "grade": ctx.scorer("grade", ctx.options["scorer"]),
        }

    def check(self, ctx: pmkit.ExportContext) -> Iterator[pmkit.Issue]:
        """Scorers that can run in a browser, valid CMI values, a state that fits."""
        course, version = ctx.course, self._version(ctx)
        src = course.source
        for kind, scorer in self._scorers(ctx).items():
            if scorer.browser_twin_source() is None:
                yield pmkit.Issue(
                    src.file,
                    src.line,
                    src.column,
                    f"the {kind} scorer {scorer.name!r} has no browser twin, so a "
                    "SCORM package cannot run it; choose another with -o "
                    f"{'recommender' if kind == 'recommendation' else 'scorer'}",
                    code="scorm",
                )
        yield from check_values(course, version, question_data(course, version))
        budget, limit = state_budget(course), LIMITS[version]["suspendData"]
        if budget > limit:
            hint = (
                "use SCORM 2004 (-o version 2004), which allows 64,000, or "
                if version == "1.2"
                else ""
            )
            yield pmkit.Issue(
                src.file,
                src.line,
                src.column,
                f"SCORM {version}: a learner's saved state could reach {budget:,} characters, "
                f"over the {limit:,} that cmi.suspend_data holds, so resuming could fail; "
                f"{hint}make the knowledge check smaller (fewer or shorter questions)",
                code="scorm",
            )

    def package_data(self, ctx: pmkit.ExportContext) -> dict[str, Any]:
        """``PMKIT_PACKAGE``: everything the web app reads (docs/scorm-package.md)."""
        course, version = ctx.course, self._version(ctx)
        scorers = self._scorers(ctx)
        return {
            "format": PACKAGE_FORMAT,
            "course": pmkit.to_data(course),
            "scoring": pmkit.scoring_table(course),
            # What every export shows: the learner sees one option order everywhere.
            "order": {
                q.id: [o.id for o in pmkit.option_order(course, q)]
                for q in course.knowledge_check.questions
                if isinstance(q, pmkit.ChoiceQuestion | pmkit.MatchingQuestion)
            },
            "scorers": {kind: scorer.name for kind, scorer in scorers.items()},
            # The values each twin runs with, as `pmkit score` gives them to the scorer.
            "scorerOptions": {
                kind: ctx.scorer_options(scorer.name) for kind, scorer in scorers.items()
            },
            "mastery": self._mastery(ctx),
            "scorm": {
                "version": version,
                "storageKey": f"pmkit:{course.id}:{course.version}",
                "stateVersion": course.version,
                "limits": LIMITS[version],
                **compact_question_data(course, version, question_data(course, version)),
                "objectives": [{"id": t.id} for t in course.tracks],
            },
            "strings": pmkit.ui_strings(course).under("app."),
            "screens": screen_labels(course),
        }

    def files(self, ctx: pmkit.ExportContext) -> dict[str, bytes]:
        """Every file of the package but the manifest."""
        course = ctx.course
        # ensure_ascii: the data file is pure ASCII, immune to a server's wrong charset.
        # No indentation: at 10,000 questions it was a fifth of the file.
        data = json.dumps(self.package_data(ctx), ensure_ascii=True, separators=(",", ":"))
        twins: list[str] = []
        for scorer in self._scorers(ctx).values():
            source = scorer.browser_twin_source()
            if source not in twins:
                twins.append(source)
        texts = pmkit.ui_strings(course)
        page = Template(_app_file("index.html").decode("utf-8")).substitute(
            lang=html.escape(course.language),
            title=html.escape(course.title),
            **{
                name: html.escape(texts[f"app.{name}"])
                for name in ("skip_link", "noscript", "course_navigation", "back", "next")
            },
        )
        files = {
            "app.css": _app_file("app.css"),
            "app.js": app_script(),
            "index.html": page.encode("utf-8"),
            "course-data.js": f"var PMKIT_PACKAGE = {data};\n".encode("ascii"),
            "pmkit-scoring.js": "\n".join(twins).encode("utf-8"),
            # One file in the zip: the shared LMS plumbing, then this version's module.
            "scorm-runtime.js": _app_file("runtime-common.js")
            + b"\n"
            + _app_file(self._runtime(ctx)),
        }
        return files

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write the deterministic zip: sorted entries, fixed timestamps."""
        files = self.files(ctx)
        files["imsmanifest.xml"] = build_manifest(
            ctx.course, ctx.options["version"], files, self._mastery(ctx)
        )
        pmkit.write_zip(target, files, ctx.source_date_epoch)


@pmkit.hookimpl
def register_exporters(register: Any) -> None:
    """Register the SCORM exporter and the cmi5 one (the same app, a third runtime)."""
    from pmkit_builtins.scorm.cmi5 import Cmi5Exporter

    register(ScormExporter)
    register(Cmi5Exporter)
