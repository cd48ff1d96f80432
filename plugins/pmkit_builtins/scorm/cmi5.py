"""The cmi5 exporter: the SCORM package's learner app with a third runtime, for an
LMS or learning record store that speaks cmi5 (the xAPI profile that replaces SCORM).

``pmkit export --format cmi5`` writes ``exports/<course-id>-cmi5.zip``: the same
self-contained app as the SCORM package, ``runtime-cmi5.js`` as its runtime and
``cmi5.xml`` (the course structure) instead of ``imsmanifest.xml``. The answers
are reported from the same interaction table as SCORM 2004 (whose response
format is xAPI's), plus the xAPI interaction definitions built here from it.
See docs/cmi5-package.md for the decisions (one AU, AnyWindow, moveOn).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pmkit
from pmkit_builtins.scorm import RUNTIMES, ScormExporter
from pmkit_builtins.scorm.interactions import question_data

CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
MOVE_ON = ("CompletedAndPassed", "Passed", "Completed", "CompletedOrPassed", "NotApplicable")
LAUNCH = "index.html"


def course_iri(course: pmkit.Course) -> str:
    """The publisher's course id: a URN from the course id only, so an updated package
    replaces the old one in an LMS (never the version, never random)."""
    return f"urn:pmkit:{course.id}"


def au_iri(course: pmkit.Course) -> str:
    """The publisher's id of the one AU (the whole course)."""
    return f"urn:pmkit:{course.id}:au"


def _lang(course: pmkit.Course, text: str) -> dict[str, str]:
    return {course.language: text}


def interaction_definitions(course: pmkit.Course) -> dict[str, dict[str, Any]]:
    """xAPI ``cmi.interaction`` activity definitions, one per question the app reports.

    Built from the SCORM 2004 interaction table (``question_data``): its tokens and
    patterns (``a[,]b``, ``a[.]x``) are exactly xAPI's response format, so a cmi5
    statement and a 2004 interaction say the same thing about the same answer.
    """
    table = question_data(course, "2004")
    out: dict[str, dict[str, Any]] = {}

    def define(qid: str, prompt: str, **components: list[dict[str, Any]]) -> None:
        data = table[qid]
        entry: dict[str, Any] = {
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "name": _lang(course, " ".join(prompt.split())[:250]),
            "description": _lang(course, prompt),
            "interactionType": data["type"],
        }
        if data["correct"] is not None:
            entry["correctResponsesPattern"] = [data["correct"]]
        for key, items in components.items():
            entry[key] = items
        out[qid] = entry

    def component(token: str, text: str) -> dict[str, Any]:
        return {"id": token, "description": _lang(course, text)}

    for q in course.self_discovery.questions:
        define(q.id, q.text)
    for node in course.decision_tree.nodes:
        tokens = table[node.id]["tokens"]
        define(
            node.id, node.prompt, choices=[component(tokens[o.id], o.label) for o in node.options]
        )
    for kq in course.knowledge_check.questions:
        tokens = table[kq.id]["tokens"]
        if isinstance(kq, pmkit.ChoiceQuestion):
            define(kq.id, kq.prompt, choices=[component(tokens[o.id], o.text) for o in kq.options])
        elif isinstance(kq, pmkit.MatchingQuestion):
            targets = table[kq.id]["targets"]
            define(
                kq.id,
                kq.prompt,
                source=[component(tokens[p.id], p.prompt) for p in kq.pairs],
                target=[component(targets[p.id], p.match) for p in kq.pairs]
                + [component(targets[d.id], d.text) for d in kq.distractors],
            )
        elif isinstance(kq, pmkit.OrderingQuestion):
            define(kq.id, kq.prompt, choices=[component(tokens[i.id], i.text) for i in kq.items])
        else:
            define(kq.id, kq.prompt)
    return out


def build_course_structure(course: pmkit.Course, mastery: int, move_on: str) -> bytes:
    """``cmi5.xml``: one course, one AU launching the app (docs/cmi5-package.md)."""
    from lxml import etree

    def text(parent: Any, name: str, value: str) -> None:
        holder = etree.SubElement(parent, f"{{{CMI5_NS}}}{name}")
        lang = etree.SubElement(holder, f"{{{CMI5_NS}}}langstring", lang=course.language)
        lang.text = value

    # nsmap's None key is lxml's way to name the default namespace (its stubs say str).
    root = etree.Element(f"{{{CMI5_NS}}}courseStructure", nsmap={None: CMI5_NS})  # type: ignore[dict-item]
    node = etree.SubElement(root, f"{{{CMI5_NS}}}course", id=course_iri(course))
    text(node, "title", course.title)
    text(node, "description", course.description)
    au = etree.SubElement(
        root,
        f"{{{CMI5_NS}}}au",
        id=au_iri(course),
        moveOn=move_on,
        masteryScore=format(Decimal(mastery) / 100, "f"),  # 80 -> "0.8"
        launchMethod="AnyWindow",
    )
    text(au, "title", course.title)
    text(au, "description", course.description)
    url = etree.SubElement(au, f"{{{CMI5_NS}}}url")
    url.text = LAUNCH
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class Cmi5Exporter(ScormExporter):
    """``pmkit export --format cmi5`` → ``exports/<course-id>-cmi5.zip``."""

    name = "cmi5"
    title = "cmi5 package for LMSs and learning record stores that speak xAPI"
    kind = "zip"
    suffix = ".zip"
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option(
            "mastery",
            "integer",
            None,
            "pass mark in percent, cmi5.xml masteryScore (default: as for SCORM: the grade "
            "scorer's `mastery` under `scorers: options:`, else the course's `mastery`)",
            minimum=0,
            maximum=100,
        ),
        pmkit.Option(
            "move_on",
            "string",
            "CompletedAndPassed",
            "what the LMS needs before the learner moves on (cmi5 moveOn)",
            allowed=MOVE_ON,
        ),
        pmkit.Option(
            "scorer", "string", None, "grade scorer (default: the course's, partial-credit)"
        ),
        pmkit.Option(
            "recommender", "string", None, "recommendation scorer (default: the course's, weighted)"
        ),
    )

    def filename(self, ctx: pmkit.ExportContext) -> str:
        """``<course-id>-cmi5.zip``."""
        return f"{ctx.course.id}-cmi5.zip"

    def _version(self, ctx: pmkit.ExportContext) -> str:
        # The SCORM 2004 table: its response format is xAPI's, its limits are generous
        # (the state goes to the State API, which has no SCORM 1.2 4,096 cap).
        return "2004"

    def _runtime(self, ctx: pmkit.ExportContext) -> str:
        return RUNTIMES["cmi5"]

    def check(self, ctx: pmkit.ExportContext) -> Iterator[pmkit.Issue]:
        """The SCORM 2004 checks: browser twins, valid identifiers, a state that fits."""
        for issue in super().check(ctx):
            yield pmkit.Issue(
                issue.file,
                issue.line,
                issue.column,
                issue.message.replace("SCORM 2004: ", "cmi5: "),
                code="cmi5",
            )

    def package_data(self, ctx: pmkit.ExportContext) -> dict[str, Any]:
        """``PMKIT_PACKAGE`` with a ``cmi5`` block: interaction definitions and track names."""
        data = super().package_data(ctx)
        course = ctx.course
        data["scorm"]["version"] = "cmi5"
        data["cmi5"] = {
            "language": course.language,
            "courseTitle": course.title,
            "definitions": interaction_definitions(course),
            "tracks": {t.id: t.title for t in course.tracks},
        }
        return data

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write the deterministic zip: the app, its cmi5 runtime and ``cmi5.xml``."""
        files = self.files(ctx)
        files["cmi5.xml"] = build_course_structure(
            ctx.course, self._mastery(ctx), ctx.options["move_on"]
        )
        pmkit.write_zip(target, files, ctx.source_date_epoch)
