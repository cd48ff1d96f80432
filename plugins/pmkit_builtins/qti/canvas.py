"""Canvas QTI (``pmkit export --format qti``): the knowledge check as a Canvas quiz.

The zip is the package Canvas' "QTI .zip file" import reads (Settings →
Import Course Content): ``imsmanifest.xml``; per quiz a folder with the QTI
1.2 assessment (``<quiz id>.xml``) and Canvas' ``assessment_meta.xml`` (the
quiz settings: title, description, points, attempts, shuffling). The layout
follows what Canvas itself exports, which is also what text2qti writes:

* one ``<item>`` per question with Canvas' metadata fields
  (``question_type``, ``points_possible``, ``original_answer_ids``);
* the question text and choices as HTML in ``<mattext texttype="text/html">``:
  the content text HTML-escaped (paragraphs in ``<p>``) and then escaped
  again as XML text by lxml, so ``<script>`` reaches the learner as written;
* choice idents are the content's option ids (true/false: ``true`` and
  ``false``), so an answer Canvas records keeps its meaning;
* feedback: ``general_fb`` (the explanation), ``<option id>_fb`` per choice,
  ``correct_fb``/``general_incorrect_fb`` for matching.

Built with lxml only; deterministic (no dates, no random identifiers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from lxml import etree

import pmkit
from pmkit_builtins.qti.quiz import Item, Quiz, build_quiz, build_survey

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: Canvas' own resource types in its QTI packages.
QTI_RESOURCE = "imsqti_xmlv1p2"
META_RESOURCE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"

#: Characters XML 1.0 cannot carry at all (not even as character references).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, **attrib: str
) -> etree._Element:
    element = etree.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _mattext(parent: etree._Element, text: str, *, html_body: bool = True) -> etree._Element:
    material = _sub(parent, "material")
    if html_body:
        return _sub(material, "mattext", pmkit.text_html(text), texttype="text/html")
    return _sub(material, "mattext", " ".join(text.split()), texttype="text/plain")


def _metadata(parent: etree._Element, fields: list[tuple[str, str]]) -> None:
    meta = _sub(parent, "qtimetadata")
    for label, entry in fields:
        field = _sub(meta, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _feedback(item: etree._Element, ident: str, text: str) -> None:
    feedback = _sub(item, "itemfeedback", ident=ident)
    _mattext(_sub(feedback, "flow_mat"), text)


def _condition(
    resprocessing: etree._Element, *, go_on: bool
) -> tuple[etree._Element, etree._Element]:
    condition = _sub(resprocessing, "respcondition", **{"continue": "Yes" if go_on else "No"})
    return condition, _sub(condition, "conditionvar")


def _display(condition: etree._Element, ident: str) -> None:
    _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=ident)


def item_element(item: Item, *, graded: bool = True) -> etree._Element:
    """One Canvas ``<item>``: metadata, presentation, response processing, feedback."""
    element = etree.Element("item", ident=item.id, title=item.title)
    answer_ids = ",".join(c.id for c in item.choices)
    _metadata(
        _sub(element, "itemmetadata"),
        [
            ("question_type", item.qtype),
            ("points_possible", str(item.points)),
            ("original_answer_ids", answer_ids),
            ("assessment_question_identifierref", f"{item.id}-bank"),
        ],
    )
    presentation = _sub(element, "presentation")
    _mattext(presentation, item.prompt)
    matching = item.qtype == "matching_question"
    if matching:
        for prompt_id, prompt in item.prompts:
            lid = _sub(presentation, "response_lid", ident=f"response_{prompt_id}")
            _mattext(lid, prompt, html_body=False)  # Canvas keeps the left side as plain text
            render = _sub(lid, "render_choice")
            for choice in item.choices:
                label = _sub(render, "response_label", ident=choice.id)
                _mattext(label, choice.text, html_body=False)
    else:
        many = item.qtype == "multiple_answers_question"
        lid = _sub(
            presentation,
            "response_lid",
            ident="response1",
            rcardinality="Multiple" if many else "Single",
        )
        render = _sub(lid, "render_choice")
        for choice in item.choices:
            _mattext(_sub(render, "response_label", ident=choice.id), choice.text)
    processing = _sub(element, "resprocessing")
    _sub(
        _sub(processing, "outcomes"),
        "decvar",
        maxvalue="100",
        minvalue="0",
        varname="SCORE",
        vartype="Decimal",
    )
    if item.general_feedback:
        condition, var = _condition(processing, go_on=True)
        _sub(var, "other")
        _display(condition, "general_fb")
    for choice in item.choices:
        if choice.feedback:
            condition, var = _condition(processing, go_on=True)
            _sub(var, "varequal", choice.id, respident="response1")
            _display(condition, f"{choice.id}_fb")
    if matching:
        share = f"{100 / len(item.pairs):.2f}"
        if item.correct_feedback:
            condition, var = _condition(processing, go_on=True)
            every = _sub(var, "and")
            for prompt_id, choice_id in item.pairs:
                _sub(every, "varequal", choice_id, respident=f"response_{prompt_id}")
            _display(condition, "correct_fb")
        for prompt_id, choice_id in item.pairs:
            condition, var = _condition(processing, go_on=True)
            _sub(var, "varequal", choice_id, respident=f"response_{prompt_id}")
            _sub(condition, "setvar", share, varname="SCORE", action="Add")
    elif graded and item.right:
        condition, var = _condition(processing, go_on=False)
        if item.qtype == "multiple_answers_question":
            every = _sub(var, "and")
            for choice in item.choices:
                parent = every if choice.id in item.right else _sub(every, "not")
                _sub(parent, "varequal", choice.id, respident="response1")
        else:
            (right,) = item.right
            _sub(var, "varequal", right, respident="response1")
        _sub(condition, "setvar", "100", varname="SCORE", action="Set")
    if item.incorrect_feedback:
        condition, var = _condition(processing, go_on=True)
        _sub(var, "other")
        _display(condition, "general_incorrect_fb")
    if len(processing) == 1:  # only <outcomes>: a survey question, nothing to process
        element.remove(processing)
    if item.general_feedback:
        _feedback(element, "general_fb", item.general_feedback)
    if item.correct_feedback:
        _feedback(element, "correct_fb", item.correct_feedback)
    if item.incorrect_feedback:
        _feedback(element, "general_incorrect_fb", item.incorrect_feedback)
    for choice in item.choices:
        if choice.feedback:
            _feedback(element, f"{choice.id}_fb", choice.feedback)
    return element


def _tostring(root: etree._Element) -> bytes:
    etree.indent(root, space="  ")
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + etree.tostring(root, encoding="UTF-8", xml_declaration=False)
        + b"\n"
    )


def assessment_xml(quiz: Quiz) -> bytes:
    """The QTI 1.2 assessment file: ``<questestinterop>`` with one section of items."""
    # nsmap's None key is lxml's way to name the default namespace (its stubs say str).
    root = etree.Element(f"{{{QTI_NS}}}questestinterop", nsmap={None: QTI_NS, "xsi": XSI})  # type: ignore[dict-item]
    root.set(
        f"{{{XSI}}}schemaLocation", f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
    )
    assessment = _sub(root, "assessment", ident=quiz.id, title=quiz.title)
    _metadata(assessment, [("cc_maxattempts", "1")])
    section = _sub(assessment, "section", ident="root_section")
    for item in quiz.items:
        section.append(item_element(item, graded=quiz.kind != "survey"))
    for element in root.iter():
        if isinstance(element.tag, str) and not element.tag.startswith("{"):
            element.tag = f"{{{QTI_NS}}}{element.tag}"
    return _tostring(root)


def assessment_meta_xml(quiz: Quiz, *, attempts: int) -> bytes:
    """Canvas' quiz settings file (``assessment_meta.xml``, Canvas' own namespace)."""
    # nsmap's None key is lxml's way to name the default namespace (its stubs say str).
    root = etree.Element(f"{{{CANVAS_NS}}}quiz", nsmap={None: CANVAS_NS}, identifier=quiz.id)  # type: ignore[dict-item]
    q = f"{{{CANVAS_NS}}}"
    etree.SubElement(root, q + "title").text = quiz.title
    etree.SubElement(root, q + "description").text = pmkit.text_html(quiz.description)
    settings = [
        # pmkit already shows options in its deterministic order; Canvas' shuffle is quiz-wide
        # and would also shuffle questions whose content says `shuffle: false`.
        ("shuffle_answers", "false"),
        ("scoring_policy", "keep_highest"),
        ("hide_results", ""),
        ("quiz_type", quiz.kind),
        ("points_possible", f"{quiz.points:.1f}"),
        ("show_correct_answers", "true"),
        ("anonymous_submissions", "false"),
        ("could_be_locked", "false"),
        ("allowed_attempts", str(attempts)),
        ("one_question_at_a_time", "false"),
        ("cant_go_back", "false"),
        ("available", "false"),
    ]
    for tag, value in settings:
        etree.SubElement(root, q + tag).text = value
    if quiz.kind == "assignment":
        assignment = etree.SubElement(root, q + "assignment", identifier=f"{quiz.id}-assignment")
        for tag, value in (
            ("title", quiz.title),
            ("workflow_state", "unpublished"),
            ("quiz_identifierref", quiz.id),
            ("points_possible", f"{quiz.points:.1f}"),
            ("grading_type", "points"),
            ("submission_types", "online_quiz"),
        ):
            etree.SubElement(assignment, q + tag).text = value
    return _tostring(root)


def manifest_xml(course: pmkit.Course, quizzes: list[Quiz]) -> bytes:
    """``imsmanifest.xml``: one QTI resource per quiz, depending on its settings file."""
    # nsmap's None key is lxml's way to name the default namespace (its stubs say str).
    root = etree.Element(
        f"{{{CP_NS}}}manifest",
        nsmap={None: CP_NS},  # type: ignore[dict-item]
        identifier=f"pmkit-{course.id}-qti",
    )
    c = f"{{{CP_NS}}}"
    metadata = etree.SubElement(root, c + "metadata")
    etree.SubElement(metadata, c + "schema").text = "IMS Content"
    etree.SubElement(metadata, c + "schemaversion").text = "1.1.3"
    etree.SubElement(root, c + "organizations")
    resources = etree.SubElement(root, c + "resources")
    for quiz in quizzes:
        resource = etree.SubElement(
            resources, c + "resource", identifier=quiz.id, type=QTI_RESOURCE
        )
        etree.SubElement(resource, c + "file", href=f"{quiz.id}/{quiz.id}.xml")
        etree.SubElement(resource, c + "dependency", identifierref=f"{quiz.id}-meta")
        meta_href = f"{quiz.id}/assessment_meta.xml"
        meta = etree.SubElement(
            resources,
            c + "resource",
            identifier=f"{quiz.id}-meta",
            type=META_RESOURCE,
            href=meta_href,
        )
        etree.SubElement(meta, c + "file", href=meta_href)
    return _tostring(root)


def package_files(
    course: pmkit.Course,
    quizzes: list[Quiz],
    *,
    attempts: int,
) -> dict[str, bytes]:
    """Every file of the zip, by name."""
    files = {"imsmanifest.xml": manifest_xml(course, quizzes)}
    for quiz in quizzes:
        files[f"{quiz.id}/{quiz.id}.xml"] = assessment_xml(quiz)
        files[f"{quiz.id}/assessment_meta.xml"] = assessment_meta_xml(quiz, attempts=attempts)
    return files


def _texts(quiz: Quiz) -> Iterator[tuple[pmkit.Source | None, str]]:
    yield None, quiz.title + quiz.description
    for item in quiz.items:
        yield (
            item.source,
            "".join(
                [
                    item.title,
                    item.prompt,
                    item.general_feedback or "",
                    item.correct_feedback or "",
                    item.incorrect_feedback or "",
                    *(c.text + (c.feedback or "") for c in item.choices),
                    *(text for _, text in item.prompts),
                ]
            ),
        )


class CanvasQtiExporter(pmkit.Exporter):
    """``pmkit export --format qti`` → ``exports/<course-id>-qti.zip``.

    The knowledge check as one Canvas quiz (QTI 1.2 with Canvas' metadata),
    and with ``-o survey true`` the self-discovery questions as an ungraded
    Canvas survey. ``check()`` builds the quiz and reports what Canvas cannot
    express; ``export()`` writes the same quiz.
    """

    name = "qti"
    title = "Canvas quiz as a QTI 1.2 zip (Settings → Import Course Content → QTI .zip file)"
    kind = "zip"
    suffix = ".zip"
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option(
            "scorer",
            "string",
            None,
            "grade scorer the questions are graded by (default: the course's); one Canvas "
            "cannot grade the same way (all-or-nothing: multiple answers, matching) is refused",
        ),
        pmkit.Option(
            "points", "integer", 1, "points per knowledge-check question", minimum=1, maximum=1000
        ),
        pmkit.Option(
            "ordering",
            "string",
            "matching",
            "ordering questions (Canvas classic quizzes have none): matching (each "
            "item matched with its position) or skip (left out, with a warning)",
            allowed=("matching", "skip"),
        ),
        pmkit.Option(
            "survey",
            "boolean",
            False,
            "also include the self-discovery questions as an ungraded Canvas survey",
        ),
        pmkit.Option(
            "attempts",
            "integer",
            1,
            "attempts allowed in Canvas (-1: unlimited)",
            minimum=-1,
            maximum=100,
        ),
    )

    def __init__(self) -> None:
        self._built: tuple[list[Quiz], list[pmkit.Issue]] | None = None

    def quizzes(self, ctx: pmkit.ExportContext) -> tuple[list[Quiz], list[pmkit.Issue]]:
        """The quizzes to write and every problem found (built once per export run)."""
        if self._built is None:
            opts = ctx.options
            scorer = ctx.scorer("grade", opts["scorer"])
            quiz, issues = build_quiz(
                ctx.course,
                scorer,
                scorer_options=ctx.scorer_options(scorer.name),
                points=opts["points"],
                ordering=opts["ordering"],
            )
            quizzes = [quiz, *([build_survey(ctx.course)] if opts["survey"] else [])]
            for q in quizzes:
                for source, text in _texts(q):
                    bad = _NOT_XML.search(text)
                    if bad:
                        src = source or ctx.course.source
                        issues.append(
                            pmkit.Issue(
                                src.file,
                                src.line,
                                src.column,
                                f"the character U+{ord(bad.group()):04X} cannot be written in XML; "
                                "remove it",
                                "error",
                                "qti",
                            )
                        )
            if opts["attempts"] == 0:
                issues.append(
                    pmkit.Issue.general(
                        "-o attempts 0 would make a quiz nobody can take; give a number of "
                        "attempts, or -1 for unlimited",
                        "error",
                        "qti",
                    )
                )
            self._built = quizzes, issues
        return self._built

    def check(self, ctx: pmkit.ExportContext) -> Iterator[pmkit.Issue]:
        """What Canvas cannot express (errors stop the export; warnings are printed)."""
        _, issues = self.quizzes(ctx)
        yield from issues

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write the zip (refusing, like ``check()``, a quiz with errors)."""
        quizzes, issues = self.quizzes(ctx)
        errors = [i for i in issues if i.severity == "error"]
        if errors:
            raise pmkit.ExportError("the Canvas QTI export was stopped", sorted(errors))
        pmkit.write_zip(
            target,
            package_files(ctx.course, quizzes, attempts=ctx.options["attempts"]),
            ctx.source_date_epoch,
        )
