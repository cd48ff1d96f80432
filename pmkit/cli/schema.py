"""``pmkit schema``: the JSON Schema of the JSON export."""

from __future__ import annotations

import json

import click


@click.command("schema")
def command() -> None:
    """Print the JSON Schema that `pmkit export --format json` output conforms to."""
    from pmkit.content.json_schema import export_schema

    click.echo(json.dumps(export_schema(), indent=2, ensure_ascii=False))
