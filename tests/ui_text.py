"""The text a person reads in an export, for checks of its language.

Markup, attribute names, spec keywords (QTI's ``continue="Yes"``) and code are
not read by anyone; text nodes, the attributes browsers show or speak, JSON
strings, the app's string literals and the PDF's text are.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

#: Attributes a browser shows or reads aloud.
SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "label")
_JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\\\"'])//[^\n]*", re.S)
_JS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def _html_text(markup: str) -> Iterator[str]:
    if not markup.strip():
        return
    root = lxml_html.fromstring(markup)
    yield root.text_content()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in SHOWN_ATTRIBUTES:
            value = element.get(name)
            if value:
                yield value


def _xml_text(data: bytes) -> Iterator[str]:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for text in (element.text, element.tail):
            if text and text.strip():
                # Moodle and QTI keep HTML inside text nodes.
                yield from _html_text(text) if "<" in text else [text]
        for name in SHOWN_ATTRIBUTES:
            value = element.get(name)
            if value:
                yield value


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v)


def _script_strings(source: str) -> Iterator[str]:
    if source.startswith("var PMKIT_PACKAGE = "):
        yield from _json_strings(json.loads(source.removeprefix("var PMKIT_PACKAGE = ")[:-2]))
        return
    for match in _JS_STRING.finditer(_JS_COMMENT.sub("", source)):
        yield json.loads(f'"{match.group(1)}"')


def shown_texts(name: str, data: bytes) -> Iterator[str]:
    """Every piece of text a learner or teacher can read in one file."""
    suffix = Path(name).suffix.lower()
    if suffix in (".zip", ".imscc"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in sorted(archive.namelist()):
                yield from shown_texts(entry, archive.read(entry))
    elif suffix == ".html":
        yield from _html_text(data.decode("utf-8"))
    elif suffix == ".xml":
        yield from _xml_text(data)
    elif suffix == ".json":
        yield from _json_strings(json.loads(data))
    elif suffix == ".js":
        yield from _script_strings(data.decode("utf-8"))
    elif suffix in (".md", ".txt"):
        yield data.decode("utf-8")
    elif suffix == ".pdf":
        from pypdf import PdfReader

        for page in PdfReader(io.BytesIO(data)).pages:
            yield page.extract_text()
    # .css and .xsd: styles and schemas, nothing anyone reads
