"""The printable handout: Markdown (``--format markdown``), print-ready HTML
(``--format html``) and PDF rendered from that HTML (``--format pdf``), all
written to ``exports/<course-id>-handout.<ext>``.

A participant can work through it with a pen: tick the self-discovery
worksheet, add up the scoring key (the same weights as the ``weighted``
scorer, so the tally equals ``pmkit score``), follow the decision tree, and
check the knowledge-check answers against the key at the end.
"""

from __future__ import annotations

from typing import Any

import pmkit

from .html import HtmlHandoutExporter
from .markdown import MarkdownHandoutExporter
from .pdf import PdfHandoutExporter

__all__ = ["HtmlHandoutExporter", "MarkdownHandoutExporter", "PdfHandoutExporter"]


@pmkit.hookimpl
def register_exporters(register: Any) -> None:
    """Register the Markdown, HTML and PDF handout exporters."""
    register(MarkdownHandoutExporter)
    register(HtmlHandoutExporter)
    register(PdfHandoutExporter)
