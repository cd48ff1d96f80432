"""``imsmanifest.xml`` for SCORM 1.2 and SCORM 2004 4th Edition, built with lxml.

Identifiers derive from the course id only (never the version, never random),
so an updated package replaces the old one in an LMS. The pass mark travels
as 1.2 ``adlcp:masteryscore`` and as the 2004 primary objective's
``minNormalizedMeasure`` with ``satisfiedByMeasure`` — the same value the
package itself uses to set pass/fail (docs/decisions.md §30). Every file of the
package but the manifest is listed (§29).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pmkit

CP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD_12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
CP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ_2004 = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV_2004 = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS_2004 = "http://www.imsglobal.org/xsd/imsss"
LOM_2004 = "http://ltsc.ieee.org/xsd/LOM"
XML_NS = "http://www.w3.org/XML/1998/namespace"

LAUNCH = "index.html"
PRIMARY_OBJECTIVE = "pmkit-knowledge-check"


def identifiers(course: pmkit.Course) -> dict[str, str]:
    """Manifest identifiers (xs:ID: an NCName, so a prefix keeps digit-first ids valid)."""
    base = f"pmkit-{course.id}"
    return {
        "manifest": base,
        "organization": f"{base}-org",
        "item": f"{base}-item",
        "resource": f"{base}-sco",
    }


def build_manifest(course: pmkit.Course, version: str, files: Iterable[str], mastery: int) -> bytes:
    """The manifest as UTF-8 bytes with an XML declaration."""
    from lxml import etree

    ids = identifiers(course)
    if version == "1.2":
        root = _manifest_12(course, ids, mastery)
    else:
        root = _manifest_2004(course, ids, mastery)
    cp = CP_12 if version == "1.2" else CP_2004
    resources = etree.SubElement(root, f"{{{cp}}}resources")
    resource = etree.SubElement(
        resources, f"{{{cp}}}resource", identifier=ids["resource"], type="webcontent", href=LAUNCH
    )
    if version == "1.2":
        resource.set(f"{{{ADLCP_12}}}scormtype", "sco")
    else:
        resource.set(f"{{{ADLCP_2004}}}scormType", "sco")
    for name in sorted(files):
        if name != "imsmanifest.xml":
            etree.SubElement(resource, f"{{{cp}}}file", href=name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _manifest_12(course: pmkit.Course, ids: dict[str, str], mastery: int) -> Any:
    from lxml import etree as E

    # nsmap's None key is lxml's way to name the default namespace (its stubs say str).
    root = E.Element(
        f"{{{CP_12}}}manifest",
        nsmap={
            None: CP_12,  # type: ignore[dict-item]
            "adlcp": ADLCP_12,
            "imsmd": IMSMD_12,
        },
        identifier=ids["manifest"],
        version=course.version,
    )
    meta = E.SubElement(root, f"{{{CP_12}}}metadata")
    E.SubElement(meta, f"{{{CP_12}}}schema").text = "ADL SCORM"
    E.SubElement(meta, f"{{{CP_12}}}schemaversion").text = "1.2"
    lom = E.SubElement(meta, f"{{{IMSMD_12}}}lom")
    general = E.SubElement(lom, f"{{{IMSMD_12}}}general")
    _langstring_12(E.SubElement(general, f"{{{IMSMD_12}}}title"), course.title, course.language)
    E.SubElement(general, f"{{{IMSMD_12}}}language").text = course.language
    _langstring_12(
        E.SubElement(general, f"{{{IMSMD_12}}}description"), course.description, course.language
    )
    lifecycle = E.SubElement(lom, f"{{{IMSMD_12}}}lifecycle")
    _langstring_12(
        E.SubElement(lifecycle, f"{{{IMSMD_12}}}version"), course.version, course.language
    )
    orgs = E.SubElement(root, f"{{{CP_12}}}organizations", default=ids["organization"])
    org = E.SubElement(orgs, f"{{{CP_12}}}organization", identifier=ids["organization"])
    E.SubElement(org, f"{{{CP_12}}}title").text = course.title
    item = E.SubElement(
        org, f"{{{CP_12}}}item", identifier=ids["item"], identifierref=ids["resource"]
    )
    E.SubElement(item, f"{{{CP_12}}}title").text = course.title
    E.SubElement(item, f"{{{ADLCP_12}}}masteryscore").text = str(mastery)
    return root


def _langstring_12(parent: Any, text: str, language: str) -> None:
    from lxml import etree

    node = etree.SubElement(parent, f"{{{IMSMD_12}}}langstring")
    node.set(f"{{{XML_NS}}}lang", language)
    node.text = text


def _manifest_2004(course: pmkit.Course, ids: dict[str, str], mastery: int) -> Any:
    from lxml import etree as E

    root = E.Element(
        f"{{{CP_2004}}}manifest",
        nsmap={
            None: CP_2004,  # type: ignore[dict-item]
            "adlcp": ADLCP_2004,
            "adlseq": ADLSEQ_2004,
            "adlnav": ADLNAV_2004,
            "imsss": IMSSS_2004,
        },
        identifier=ids["manifest"],
        version=course.version,
    )
    meta = E.SubElement(root, f"{{{CP_2004}}}metadata")
    E.SubElement(meta, f"{{{CP_2004}}}schema").text = "ADL SCORM"
    E.SubElement(meta, f"{{{CP_2004}}}schemaversion").text = "2004 4th Edition"
    lom = E.SubElement(meta, f"{{{LOM_2004}}}lom", nsmap={None: LOM_2004})  # type: ignore[dict-item]
    general = E.SubElement(lom, f"{{{LOM_2004}}}general")
    _lom_string(E.SubElement(general, f"{{{LOM_2004}}}title"), course.title, course.language)
    E.SubElement(general, f"{{{LOM_2004}}}language").text = course.language
    _lom_string(
        E.SubElement(general, f"{{{LOM_2004}}}description"), course.description, course.language
    )
    lifecycle = E.SubElement(lom, f"{{{LOM_2004}}}lifeCycle")
    _lom_string(E.SubElement(lifecycle, f"{{{LOM_2004}}}version"), course.version, course.language)
    orgs = E.SubElement(root, f"{{{CP_2004}}}organizations", default=ids["organization"])
    org = E.SubElement(orgs, f"{{{CP_2004}}}organization", identifier=ids["organization"])
    E.SubElement(org, f"{{{CP_2004}}}title").text = course.title
    item = E.SubElement(
        org, f"{{{CP_2004}}}item", identifier=ids["item"], identifierref=ids["resource"]
    )
    E.SubElement(item, f"{{{CP_2004}}}title").text = course.title
    sequencing = E.SubElement(item, f"{{{IMSSS_2004}}}sequencing")
    objectives = E.SubElement(sequencing, f"{{{IMSSS_2004}}}objectives")
    primary = E.SubElement(
        objectives,
        f"{{{IMSSS_2004}}}primaryObjective",
        objectiveID=PRIMARY_OBJECTIVE,
        satisfiedByMeasure="true",
    )
    E.SubElement(primary, f"{{{IMSSS_2004}}}minNormalizedMeasure").text = _decimal(mastery)
    return root


def _lom_string(parent: Any, text: str, language: str) -> None:
    from lxml import etree

    node = etree.SubElement(parent, f"{{{LOM_2004}}}string")
    node.set("language", language)
    node.text = text


def _decimal(percent: int) -> str:
    """``80`` -> ``0.8``; ``100`` -> ``1``: an xs:decimal in [0, 1]."""
    whole, rest = divmod(percent, 100)
    return str(whole) if rest == 0 else f"{whole}.{rest:02d}".rstrip("0")
