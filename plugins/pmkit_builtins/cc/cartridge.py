"""IMS Common Cartridge (``pmkit export --format cc``) → ``exports/<course-id>-cc.imscc``.

The cartridge holds the course's pages (:func:`pmkit.course_sections`) as
web content and the knowledge check as a cartridge assessment. Its
organisation is the course structure: one top-level item per page (Moodle
turns each into a course section named after it), holding the page, and for
the knowledge check the assessment too.

Version 1.1 by default, because Moodle imports only 1.0 and 1.1 cartridges
and checks them against the 1.1 schema (docs/decisions.md §40); ``-o cc_version
1.3`` writes the newest version for LMSs that prefer it. Course metadata —
title, description, language, and the course id and version as LOM
identifiers (the cartridge profile of LOM has no version field) — goes in the
manifest. Identifiers derive from content ids only, so a re-export replaces
the same items; the zip is deterministic (:func:`pmkit.write_zip`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from lxml import etree

import pmkit
from pmkit_builtins.cc.assessment import assessment_xml, left_out
from pmkit_builtins.cc.pages import page_html

XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: Characters XML 1.0 cannot carry at all (not even as character references).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Version:
    """What differs between the cartridge versions pmkit writes."""

    schemaversion: str
    cp: str
    lom: str
    cp_xsd: str
    lom_xsd: str
    assessment_type: str
    qti_xsd: str


VERSIONS = {
    "1.1": Version(
        "1.1.0",
        "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1",
        "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest",
        "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd",
        "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd",
        "imsqti_xmlv1p2/imscc_xmlv1p1/assessment",
        "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd",
    ),
    "1.3": Version(
        "1.3.0",
        "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1",
        "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest",
        "http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd",
        "http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd",
        "imsqti_xmlv1p2/imscc_xmlv1p3/assessment",
        "http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_qtiasiv1p2p1_v1p0.xsd",
    ),
}

ASSESSMENT = "knowledge-check-assessment"


def page_path(section: pmkit.CourseSection) -> str:
    """Where a page lives in the cartridge."""
    return f"pages/{section.id}.html"


def assessment_path() -> str:
    """Where the assessment lives in the cartridge."""
    return f"{ASSESSMENT}/assessment.xml"


def manifest_xml(
    course: pmkit.Course,
    sections: tuple[pmkit.CourseSection, ...],
    version: Version,
    *,
    with_assessment: bool,
) -> bytes:
    """``imsmanifest.xml``: metadata, the organisation (one item per page), the resources."""
    cp, lom = f"{{{version.cp}}}", f"{{{version.lom}}}"
    # nsmap's None key is lxml's way to name the default namespace (its stubs say str).
    root = etree.Element(
        cp + "manifest",
        nsmap={
            None: version.cp,  # type: ignore[dict-item]
            "lomimscc": version.lom,
            "xsi": XSI,
        },
        identifier=f"pmkit-{course.id}-cc",
    )
    root.set(
        f"{{{XSI}}}schemaLocation", f"{version.cp} {version.cp_xsd} {version.lom} {version.lom_xsd}"
    )
    metadata = etree.SubElement(root, cp + "metadata")
    etree.SubElement(metadata, cp + "schema").text = "IMS Common Cartridge"
    etree.SubElement(metadata, cp + "schemaversion").text = version.schemaversion
    general = etree.SubElement(etree.SubElement(metadata, lom + "lom"), lom + "general")

    def lang_string(parent: etree._Element, tag: str, text: str) -> None:
        element = etree.SubElement(parent, lom + tag)
        etree.SubElement(element, lom + "string", language=course.language).text = text

    for catalog, entry in (("pmkit-course", course.id), ("pmkit-course-version", course.version)):
        identifier = etree.SubElement(general, lom + "identifier")
        etree.SubElement(identifier, lom + "catalog").text = catalog
        etree.SubElement(identifier, lom + "entry").text = entry
    lang_string(general, "title", " ".join(course.title.split()))
    etree.SubElement(general, lom + "language").text = course.language
    lang_string(general, "description", " ".join(course.description.split()))

    organizations = etree.SubElement(root, cp + "organizations")
    organization = etree.SubElement(
        organizations, cp + "organization", identifier="organization", structure="rooted-hierarchy"
    )
    top = etree.SubElement(organization, cp + "item", identifier="root")
    resources = etree.SubElement(root, cp + "resources")
    for section in sections:
        # A top-level item per page: Moodle makes each a course section with this title.
        folder = etree.SubElement(top, cp + "item", identifier=f"section-{section.id}")
        etree.SubElement(folder, cp + "title").text = section.title
        leaf = etree.SubElement(
            folder, cp + "item", identifier=f"item-{section.id}", identifierref=f"page-{section.id}"
        )
        etree.SubElement(leaf, cp + "title").text = section.title
        resource = etree.SubElement(
            resources,
            cp + "resource",
            identifier=f"page-{section.id}",
            type="webcontent",
            href=page_path(section),
        )
        etree.SubElement(resource, cp + "file", href=page_path(section))
        if section.id == "knowledge-check" and with_assessment:
            quiz = etree.SubElement(
                folder, cp + "item", identifier=f"item-{ASSESSMENT}", identifierref=ASSESSMENT
            )
            etree.SubElement(quiz, cp + "title").text = section.title
            resource = etree.SubElement(
                resources, cp + "resource", identifier=ASSESSMENT, type=version.assessment_type
            )
            etree.SubElement(resource, cp + "file", href=assessment_path())
    etree.indent(root, space="  ")
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + etree.tostring(root, encoding="UTF-8", xml_declaration=False)
        + b"\n"
    )


def cartridge_files(
    course: pmkit.Course, cc_version: str, *, answer_key: bool = False
) -> dict[str, bytes]:
    """Every file of the cartridge, by name."""
    version = VERSIONS[cc_version]
    sections = pmkit.course_sections(course)
    skipped = {x.question.id for x in left_out(course)}
    with_assessment = any(q.id not in skipped for q in course.knowledge_check.questions)
    files = {
        "imsmanifest.xml": manifest_xml(course, sections, version, with_assessment=with_assessment)
    }
    for section in sections:
        files[page_path(section)] = page_html(course, section, answer_key=answer_key)
    if with_assessment:
        files[assessment_path()] = assessment_xml(
            course, ident=f"{course.id}-{ASSESSMENT}", schema_location=version.qti_xsd
        )
    return files


class CommonCartridgeExporter(pmkit.Exporter):
    """``pmkit export --format cc`` → ``exports/<course-id>-cc.imscc``.

    An IMS Common Cartridge (1.1, or 1.3 with ``-o cc_version 1.3``): every
    page of the course as web content and the knowledge check as an
    assessment. ``check()`` warns, once, naming each question the cartridge's
    QTI profile cannot carry (the pages still show them).
    """

    name = "cc"
    title = "IMS Common Cartridge (Canvas, Blackboard, Brightspace; Moodle: Restore)"
    kind = "zip"
    suffix = ".imscc"
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option(
            "cc_version",
            "string",
            "1.1",
            "cartridge version: 1.1 (Moodle imports only 1.0 and 1.1) or 1.3",
            allowed=("1.1", "1.3"),
        ),
        pmkit.Option(
            "answer_key",
            "boolean",
            False,
            "end the knowledge-check page with the right answers and explanations",
        ),
    )

    def check(self, ctx: pmkit.ExportContext) -> Iterator[pmkit.Issue]:
        """One warning naming each question left out; an error for text XML cannot carry."""
        course = ctx.course
        left = left_out(course)
        if left:
            named = ", ".join(
                f"`{x.question.id}` ({x.question.type}, line {x.question.source.line})"
                for x in left
            )
            reasons = "; ".join(sorted({x.reason for x in left}))
            src = course.knowledge_check.source
            yield pmkit.Issue(
                src.file,
                src.line,
                src.column,
                f"questions left out of the cartridge's assessment ({reasons}); "
                f"the knowledge-check page still shows them: {named}",
                "warning",
                "cc",
            )
        for node in course.walk():
            for value in vars_of(node):
                bad = _NOT_XML.search(value)
                if bad:
                    src = getattr(node, "source", course.source)
                    yield pmkit.Issue(
                        src.file,
                        src.line,
                        src.column,
                        f"the character U+{ord(bad.group()):04X} cannot be "
                        "written in XML or HTML; remove it",
                        "error",
                        "cc",
                    )
                    break

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write the cartridge."""
        errors = [i for i in self.check(ctx) if i.severity == "error"]
        if errors:
            raise pmkit.ExportError("the Common Cartridge export was stopped", sorted(errors))
        files = cartridge_files(
            ctx.course, ctx.options["cc_version"], answer_key=ctx.options["answer_key"]
        )
        pmkit.write_zip(target, files, ctx.source_date_epoch)


def vars_of(node: object) -> Iterator[str]:
    """The text fields of one model node (strings directly on it, and in tuples of strings)."""
    if not dataclasses.is_dataclass(node):
        return
    for field in dataclasses.fields(node):
        value = getattr(node, field.name)
        if isinstance(value, str):
            yield value
        elif isinstance(value, tuple):
            yield from (v for v in value if isinstance(v, str))
