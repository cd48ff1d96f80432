"""``pmkit plugins``: what is installed, who provides what, and what failed."""

from __future__ import annotations

import json

import click


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--check", is_flag=True, help="Exit 1 if any plugin failed (for CI).")
def command(as_json: bool, check: bool) -> None:
    """List the plugins: built-in ones first, then third-party ones."""
    from pmkit.cli.app import traceback_requested
    from pmkit.pluginhost.host import load_plugins

    problems: list[str] = []
    host = load_plugins(warn=problems.append, tracebacks=traceback_requested())
    # Exporters registered by import path are imported here, so what fails shows.
    host.import_registered(problems.append)
    if as_json:
        click.echo(json.dumps([p.to_dict() for p in host.plugins], indent=2, ensure_ascii=False))
    else:
        for p in host.plugins:
            dist = f"{p.distribution or 'no distribution'} {p.version or ''}".strip()
            origin = f"built-in, {dist}" if p.builtin else dist
            provides = [
                f"exporters: {', '.join(p.exporters)}" if p.exporters else "",
                f"scorers: {', '.join(p.scorers)}" if p.scorers else "",
                f"rules: {', '.join(p.rules)}" if p.rules else "",
            ]
            state = "FAILED" if p.errors else "ok"
            click.echo(
                f"{p.name}  ({origin.strip()})  {state}  "
                + ("; ".join(x for x in provides if x) or "provides nothing")
            )
        for text in problems:
            click.echo(f"Warning: {text}", err=True)
    if check and host.failed:
        raise click.exceptions.Exit(1)
