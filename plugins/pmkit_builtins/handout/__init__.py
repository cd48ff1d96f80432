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


@pmkit.hookimpl
def register_exporters(register: Any) -> None:
    """Register the Markdown, HTML and PDF handout exporters (by path: imported when used)."""
    register("pmkit_builtins.handout.markdown:MarkdownHandoutExporter", name="markdown")
    register("pmkit_builtins.handout.html:HtmlHandoutExporter", name="html")
    register("pmkit_builtins.handout.pdf:PdfHandoutExporter", name="pdf")
