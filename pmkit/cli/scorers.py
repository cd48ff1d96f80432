"""``pmkit scorers``: the installed scorers, what each scores, their options."""

from __future__ import annotations

import json

import click

from pmkit.options import Option


@click.command("scorers")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def command(as_json: bool) -> None:
    """List the scorers: recommendation scorers pick a track, grade scorers
    grade the knowledge check."""
    from pmkit.cli.app import load_host

    host = load_host()
    from pmkit.cli.formats import describe_option

    rows = []
    for name, provided in sorted(host.scorers.items(), key=lambda i: (i[1].obj.kind, i[0])):
        cls = provided.obj
        rows.append(
            {
                "name": name,
                "kind": cls.kind,
                "title": cls.title,
                "browser_twin": cls.browser_twin_source() is not None,
                "plugin": provided.plugin.name,
                "builtin": provided.plugin.builtin,
                "options": [
                    {
                        "name": o.name,
                        "type": o.type,
                        "default": o.default,
                        "help": o.help,
                        "shown": describe_option(o),
                    }
                    for o in _options(cls)
                ],
            }
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for r in rows:
        twin = "browser twin" if r["browser_twin"] else "no browser twin"
        origin = "built-in" if r["builtin"] else r["plugin"]
        click.echo(f"{r['name']}  ({r['kind']}; {twin}; {origin})")
        click.echo(f"    {r['title']}")
        for o in r["options"]:
            click.echo(f"    -o {o['name']} ({o['shown']}): {o['help']}")


def _options(cls: type) -> list[Option]:
    return list(getattr(cls, "options", ()))
