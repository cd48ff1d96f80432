"""Content text (plain, docs/decisions.md §4) as paragraphs and as HTML.

Every exporter reads content text the same way: a blank line (possibly holding
spaces) separates paragraphs, a single line break stays a line break in HTML
and is a space elsewhere. One place, so the handouts, the section model, Moodle,
Common Cartridge and Canvas cannot drift apart.
"""

from __future__ import annotations

import html
import re

_PARAGRAPH_BREAK = re.compile(r"\n(?:[^\S\n]*\n)+")


def text_paragraphs(text: str | None) -> list[str]:
    """``text`` split at blank lines, each paragraph's whitespace collapsed to single spaces."""
    result: list[str] = []
    current: list[str] = []
    for line in (text or "").splitlines():
        if line.strip():
            current.append(line)
        elif current:
            result.append(" ".join(" ".join(current).split()))
            current = []
    if current:
        result.append(" ".join(" ".join(current).split()))
    return result


def text_html(text: str) -> str:
    """``text`` as HTML: escaped, ``<p>`` paragraphs, ``<br>`` for the line breaks within one.

    Surrounding whitespace is dropped (LMS importers trim every text). The
    result holds no ``<`` or ``&`` but the markup added here and the escapes of
    :func:`html.escape`.
    """
    if "\n" not in text and "\r" not in text:
        # One line (most texts): no paragraphs or line breaks to find.
        text = text.strip()
        return "<p>" + html.escape(text, quote=True) + "</p>" if text else ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    return "".join(
        "<p>" + "<br>".join(html.escape(line, quote=True) for line in p.split("\n")) + "</p>"
        for p in _PARAGRAPH_BREAK.split(text)
    )
