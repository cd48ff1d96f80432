"""The knowledge check as a Common Cartridge assessment (the cartridge's QTI 1.2 profile).

The profile knows multiple choice, multiple response, true/false,
fill-in-the-blank, pattern match and essay questions. pmkit's single,
multiple and true/false questions map onto the first three; matching and
ordering have no counterpart and are left out (the pages still show them).
The profile also wants at least three choices for a multiple-choice
question, so a single-choice question with two options is left out too.

What Moodle's Common Cartridge import keeps decides the layout
(docs/decisions.md §40): a true/false item's two choice identifiers are
literally ``true`` and ``false`` (anything else aborts the whole import);
per-choice feedback, in a condition that does not stop processing, is kept;
the explanation is the general feedback of an ``<other/>`` condition.
Choice idents are the content's option ids, in :func:`pmkit.option_order`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

import pmkit

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROFILES = {
    "single": "cc.multiple_choice.v0p1",
    "multiple": "cc.multiple_response.v0p1",
    "true-false": "cc.true_false.v0p1",
}
TITLE_LENGTH = 80  # Moodle names the question after it; its limit is 255


@dataclass(frozen=True)
class Left:
    """A knowledge-check question the cartridge cannot carry, and why."""

    question: pmkit.KnowledgeQuestion
    reason: str


def left_out(course: pmkit.Course) -> list[Left]:
    """The questions the profile cannot express (shown on the pages only)."""
    out = []
    for q in course.knowledge_check.questions:
        if q.type in ("matching", "ordering"):
            out.append(Left(q, f"the cartridge's QTI profile has no {q.type} questions"))
        elif isinstance(q, pmkit.ChoiceQuestion) and q.type == "single" and len(q.options) < 3:
            out.append(Left(q, "the profile's multiple-choice questions need three choices"))
    return out


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, **attrib: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{QTI_NS}}}{tag}", attrib)
    if text is not None:
        element.text = text
    return element


def _metadata(parent: etree._Element, fields: list[tuple[str, str]]) -> None:
    meta = _sub(parent, "qtimetadata")
    for label, entry in fields:
        field = _sub(meta, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _material(parent: etree._Element, text: str) -> None:
    _sub(_sub(parent, "material"), "mattext", pmkit.text_html(text), texttype="text/html")


def _feedback(item: etree._Element, ident: str, text: str) -> None:
    _material(_sub(_sub(item, "itemfeedback", ident=ident), "flow_mat"), text)


def _condition(processing: etree._Element, *, go_on: bool) -> tuple[etree._Element, etree._Element]:
    condition = _sub(processing, "respcondition", **{"continue": "Yes" if go_on else "No"})
    return condition, _sub(condition, "conditionvar")


def item_element(course: pmkit.Course, q: pmkit.KnowledgeQuestion, number: int) -> etree._Element:
    """One profile item: metadata, the choices, scoring, feedback."""
    flat = " ".join(q.prompt.split())
    if len(flat) > TITLE_LENGTH:
        flat = flat[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    title = f"{number}. {flat}"  # plain text: an attribute, escaped by lxml
    item = etree.Element(f"{{{QTI_NS}}}item", ident=f"{course.id}-{q.id}", title=title)
    _metadata(_sub(item, "itemmetadata"), [("cc_profile", PROFILES[q.type]), ("cc_weighting", "1")])
    feedback: list[tuple[str, str]] = []
    if isinstance(q, pmkit.TrueFalseQuestion):
        # Moodle aborts the whole import unless these two idents are exactly true and false.
        texts = pmkit.ui_strings(course)
        choices = [
            ("true", texts["cc.true"], q.true_feedback),
            ("false", texts["cc.false"], q.false_feedback),
        ]
        right = {"true" if q.answer else "false"}
    else:
        assert isinstance(q, pmkit.ChoiceQuestion)
        shown = [o for o in pmkit.option_order(course, q) if isinstance(o, pmkit.ChoiceOption)]
        choices = [(o.id, o.text, o.feedback) for o in shown]
        right = {o.id for o in q.options if o.correct}
    presentation = _sub(item, "presentation")
    _material(presentation, q.prompt)
    lid = _sub(
        presentation,
        "response_lid",
        ident="response1",
        rcardinality="Multiple" if q.type == "multiple" else "Single",
    )
    render = _sub(lid, "render_choice")
    for ident, text, _ in choices:
        _material(_sub(render, "response_label", ident=ident), text)
    processing = _sub(item, "resprocessing")
    _sub(
        _sub(processing, "outcomes"),
        "decvar",
        varname="SCORE",
        vartype="Decimal",
        minvalue="0",
        maxvalue="100",
    )
    condition, var = _condition(processing, go_on=True)
    _sub(var, "other")
    _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    feedback.append(("general_fb", q.explanation))
    for ident, _, said in choices:
        if said:
            # continue="Yes": Moodle keeps feedback of conditions that do not stop processing.
            condition, var = _condition(processing, go_on=True)
            _sub(var, "varequal", ident, respident="response1")
            _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=f"{ident}_fb")
            feedback.append((f"{ident}_fb", said))
    condition, var = _condition(processing, go_on=False)
    if q.type == "multiple":
        every = _sub(var, "and")
        for ident, _, _ in choices:
            _sub(
                every if ident in right else _sub(every, "not"),
                "varequal",
                ident,
                respident="response1",
            )
    else:
        (answer,) = right
        _sub(var, "varequal", answer, respident="response1")
    _sub(condition, "setvar", "100", varname="SCORE", action="Set")
    for ident, text in feedback:
        _feedback(item, ident, text)
    return item


def assessment_xml(course: pmkit.Course, *, ident: str, schema_location: str) -> bytes:
    """The assessment file: every question the profile can carry, in course order."""
    # nsmap's None key is lxml's way to name the default namespace (its stubs say str).
    root = etree.Element(f"{{{QTI_NS}}}questestinterop", nsmap={None: QTI_NS, "xsi": XSI})  # type: ignore[dict-item]
    root.set(f"{{{XSI}}}schemaLocation", f"{QTI_NS} {schema_location}")
    kc = course.knowledge_check
    assessment = _sub(root, "assessment", ident=ident, title=" ".join(kc.title.split()))
    _metadata(
        assessment,
        [
            ("cc_profile", "cc.exam.v0p1"),
            ("qmd_assessmenttype", "Examination"),
            ("cc_maxattempts", "1"),
        ],
    )
    section = _sub(assessment, "section", ident=f"{ident}-section")
    skipped = {x.question.id for x in left_out(course)}
    for number, q in enumerate(kc.questions, start=1):
        if q.id not in skipped:
            section.append(item_element(course, q, number))
    etree.indent(root, space="  ")
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + etree.tostring(root, encoding="UTF-8", xml_declaration=False)
        + b"\n"
    )
