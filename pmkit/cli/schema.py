"""``pmkit schema``: the JSON Schema of the JSON export, or (``--content``) of the content files."""

from __future__ import annotations

import json

import click


@click.command("schema")
@click.option(
    "--content",
    "content",
    is_flag=True,
    help="The schema of the content YAML files (for editors) instead of the JSON export's.",
)
@click.option(
    "--output",
    "-o",
    "output",
    metavar="FILE",
    help="Write the schema to FILE instead of printing it.",
)
def command(content: bool, output: str | None) -> None:
    """Print the JSON Schema that `pmkit export --format json` output conforms to.

    With --content: the schema every content file (course.yaml and the files
    it includes) meets, generated from the rules `pmkit validate` applies.
    Point your editor at it, e.g. with a first line
    `# yaml-language-server: $schema=pmkit-content.schema.json`
    (`pmkit new` writes both).
    """
    if content:
        from pmkit.authoring.content_schema import schema_text

        text = schema_text()
    else:
        from pmkit.content.json_schema import export_schema

        text = json.dumps(export_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    from pathlib import Path

    from pmkit.errors import PmkitError

    try:
        Path(output).write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise PmkitError(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"{output} ({len(text.encode('utf-8')):,} bytes)")
