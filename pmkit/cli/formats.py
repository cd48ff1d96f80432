"""``pmkit formats``: the installed export formats and their options."""

from __future__ import annotations

import json

import click


@click.command("formats")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def command(name: str | None, as_json: bool) -> None:
    """List the export formats, or show one format's options."""
    from pmkit.cli.app import load_host
    from pmkit.export.run import select_formats

    host = load_host()
    if name is None:
        rows = [{"name": n, "title": p.obj.title, "kind": p.obj.kind, "suffix": p.obj.suffix,
                 "plugin": p.plugin.name, "builtin": p.plugin.builtin}
                for n, p in sorted(host.exporters.items())]
        if as_json:
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        width = max((len(r["name"]) for r in rows), default=4)
        for r in rows:
            origin = "" if r["builtin"] else f"  [{r['plugin']}]"
            click.echo(f"{r['name']:<{width}}  {r['title']}{origin}")
        return
    select_formats(host, [name])
    provided = host.exporters[name]
    cls = provided.obj
    opts = cls.options
    if as_json:
        click.echo(json.dumps({
            "name": name, "title": cls.title, "kind": cls.kind, "suffix": cls.suffix,
            "plugin": provided.plugin.name,
            "options": [{"name": o.name, "type": o.type, "default": o.default, "help": o.help,
                         "allowed": list(o.allowed) if o.allowed else None} for o in opts],
        }, indent=2, ensure_ascii=False))
        return
    click.echo(f"{name}: {cls.title}")
    click.echo(f"  output: {cls.kind} ({cls.suffix}), from {provided.plugin.label}")
    if not opts:
        click.echo("  no options")
        return
    click.echo("  options (-o KEY VALUE):")
    for o in opts:
        allowed = f"; one of: {', '.join(map(str, o.allowed))}" if o.allowed else ""
        default = str(o.default).lower() if isinstance(o.default, bool) else o.default
        click.echo(f"    {o.name} ({o.type}, default {default}{allowed})")
        click.echo(f"        {o.help}")
