"""``pmkit formats``: the installed export formats and their options."""

from __future__ import annotations

import json

import click

from pmkit.options import Option


@click.command("formats")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def command(name: str | None, as_json: bool) -> None:
    """List the export formats, or show one format's options."""
    from pmkit.cli.app import load_host
    from pmkit.export.run import select_formats, unavailable_reason

    host = load_host()
    if name is None:
        rows = [
            {
                "name": n,
                "title": p.obj.title,
                "kind": p.obj.kind,
                "suffix": p.obj.suffix,
                "plugin": p.plugin.name,
                "builtin": p.plugin.builtin,
                "unavailable": unavailable_reason(host, n),
            }
            for n, p in sorted(host.exporters.items())
        ]
        if as_json:
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        width = max((len(r["name"]) for r in rows), default=4)
        for r in rows:
            origin = "" if r["builtin"] else f"  [{r['plugin']}]"
            click.echo(f"{r['name']:<{width}}  {r['title']}{origin}")
            if r["unavailable"]:
                click.echo(f"{'':<{width}}  unavailable here: {r['unavailable']}")
        return
    [name] = select_formats(host, [name])
    provided = host.exporters[name]
    cls = provided.obj
    opts = cls.options
    if as_json:
        click.echo(
            json.dumps(
                {
                    "name": name,
                    "title": cls.title,
                    "kind": cls.kind,
                    "suffix": cls.suffix,
                    "plugin": provided.plugin.name,
                    "unavailable": unavailable_reason(host, name),
                    "options": [
                        {
                            "name": o.name,
                            "type": o.type,
                            "default": o.default,
                            "help": o.help,
                            "allowed": list(o.allowed) if o.allowed else None,
                            "minimum": o.minimum,
                            "maximum": o.maximum,
                        }
                        for o in opts
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    click.echo(f"{name}: {cls.title}")
    click.echo(f"  output: {cls.kind} ({cls.suffix}), from {provided.plugin.label}")
    reason = unavailable_reason(host, name)
    if reason:
        click.echo(f"  unavailable here: {reason}")
    if not opts:
        click.echo("  no options")
        return
    click.echo("  options (-o KEY VALUE):")
    for o in opts:
        click.echo(f"    {o.name} ({describe_option(o)})")
        click.echo(f"        {o.help}")


def describe_option(option: Option) -> str:
    """``integer, 0 to 100, default 80`` — an option's type and limits in a few words.

    A default of None means "not set": the help text says what the plugin does
    then (e.g. "the course's pass mark"), so no default is printed.
    """
    parts = [option.type]
    if option.allowed:
        parts.append("one of: " + ", ".join(map(str, option.allowed)))
    if option.minimum is not None and option.maximum is not None:
        parts.append(f"{option.minimum} to {option.maximum}")
    elif option.minimum is not None:
        parts.append(f"at least {option.minimum}")
    elif option.maximum is not None:
        parts.append(f"at most {option.maximum}")
    if option.default is not None:
        shown = str(option.default).lower() if isinstance(option.default, bool) else option.default
        parts.append(f"default {shown}")
    return ", ".join(parts)
