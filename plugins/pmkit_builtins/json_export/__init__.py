"""The JSON exporter: the whole validated course and its scoring table.

Conforms to the schema ``pmkit schema`` prints (``"format": "pmkit-course/1"``).
Keys follow the model's field order, so the output is stable and diffable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pmkit


class JsonExporter(pmkit.Exporter):
    """``pmkit export --format json`` → ``exports/<course-id>.json``."""

    name = "json"
    title = "The whole course and its scoring table as JSON (schema: `pmkit schema`)"
    kind = "json"
    suffix = ".json"
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option(
            "indent",
            "integer",
            2,
            "spaces per indentation level; 0 writes one compact line",
            minimum=0,
            maximum=8,
        ),
        pmkit.Option(
            "sources", "boolean", False, "include each node's source file, line and column"
        ),
    )

    def filename(self, ctx: pmkit.ExportContext) -> str:
        """``<course-id>.json``: JSON is the course itself, not a rendering of it."""
        return f"{ctx.course.id}.json"

    def document(self, ctx: pmkit.ExportContext) -> dict[str, Any]:
        """The JSON document as Python data."""
        return {
            "format": pmkit.JSON_FORMAT,
            "generator": {"name": "pmkit", "version": pmkit.__version__},
            "course": pmkit.to_data(ctx.course, sources=ctx.options["sources"]),
            "scoring": pmkit.scoring_table(ctx.course),
        }

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write the document as UTF-8 JSON with a final newline."""
        indent = ctx.options["indent"] or None
        separators = (",", ": ") if indent else (",", ":")
        text = json.dumps(
            self.document(ctx), ensure_ascii=False, indent=indent, separators=separators
        )
        target.write_text(text + "\n", encoding="utf-8")


@pmkit.hookimpl
def register_exporters(register: Any) -> None:
    """Register the JSON exporter."""
    register(JsonExporter)
