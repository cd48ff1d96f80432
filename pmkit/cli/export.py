"""``pmkit export``: write one file per selected format, atomically."""

from __future__ import annotations

import click

from pmkit.cli.app import content_option, no_cache_option


@click.command("export")
@click.option("--format", "-f", "formats", multiple=True, required=True, metavar="NAME",
              help="A format to export (repeatable), or `all` for every installed one.")
@content_option
@click.option("--output", "-d", default="exports", show_default=True, metavar="DIR",
              help="The folder the files are written to.")
@click.option("--option", "-o", "options", nargs=2, multiple=True, metavar="[FORMAT.]KEY VALUE",
              help="An exporter option, e.g. `-o indent 4` or `-o json.sources true` "
                   "(see `pmkit formats NAME`).")
@click.option("--check", is_flag=True,
              help="Validate and run every exporter's pre-flight check; write nothing.")
@no_cache_option
def command(formats: tuple[str, ...], content: str, output: str,
            options: tuple[tuple[str, str], ...], check: bool, no_cache: bool) -> None:
    """Export the course to one or more formats.

    Files are named <course-id>-<format>.<ext> in the output folder. Every
    format's pre-flight check runs before anything is written; each file is
    written to a temporary name and renamed into place, so a failed export
    leaves the previous file untouched.
    """
    from pathlib import Path

    from pmkit.cli.app import load, stderr_warning
    from pmkit.export.run import plan_exports, preflight, write_export
    from pmkit.issues import count_summary

    host, loaded = load(content, no_cache)
    plans = plan_exports(host, loaded.course, Path(content), formats, options, Path(output),
                         stderr_warning)
    warnings = preflight(plans)
    for issue in warnings:
        click.echo(issue.format(), err=True)
    if check:
        names = ", ".join(p.name for p in plans)
        note = f" ({count_summary(warnings)})" if warnings else ""
        click.echo(f"ok: {names} would export cleanly{note}; nothing written")
        return
    for plan in plans:
        path = write_export(plan)
        click.echo(f"{path} ({path.stat().st_size:,} bytes)")
