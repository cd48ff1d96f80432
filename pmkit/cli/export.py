"""``pmkit export``: write one file per selected format, atomically."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from pmkit.cli.app import content_option, key_value_option, no_cache_option

if TYPE_CHECKING:
    from pmkit.issues import Issue

#: Warnings shown per format unless ``-v`` asks for all of them.
SHOWN_WARNINGS = 3


@click.command("export")
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    required=True,
    metavar="NAME",
    help="A format to export (repeatable, any case), or `all` for every installed "
    "format that can run here (see `pmkit formats`).",
)
@content_option
@click.option(
    "--output",
    "-d",
    default="exports",
    show_default=True,
    metavar="DIR",
    help="The folder the files are written to (created if missing).",
)
@key_value_option(
    "[FORMAT.]KEY VALUE",
    "An exporter option, e.g. `-o indent 4` or `-o json.sources true` (see `pmkit formats NAME`).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Validate and run every exporter's pre-flight check; write nothing.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print errors only (and the files written).")
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help=f"Print every warning (by default at most {SHOWN_WARNINGS} per format).",
)
@no_cache_option
def command(
    formats: tuple[str, ...],
    content: str,
    output: str,
    options: tuple[tuple[str, str], ...],
    check: bool,
    quiet: bool,
    verbose: bool,
    no_cache: bool,
) -> None:
    """Export the course to one or more formats.

    Each format writes one file into the output folder: JSON as
    <course-id>.json, the others as <course-id>-<format>.<ext> (SCORM adds its
    version: -scorm12.zip, -scorm2004.zip; the handouts are -handout.md,
    -handout.html and -handout.pdf). Every format's pre-flight check runs
    before anything is written; each file is written to a temporary name and
    renamed into place, so a failed format leaves its previous file untouched.
    """
    from pathlib import Path

    from pmkit.cli.app import load, report_error, stderr_warning
    from pmkit.errors import PmkitError
    from pmkit.export.run import (
        check_output_folder,
        plan_exports,
        preflight_by_format,
        runnable_formats,
        write_export,
    )
    from pmkit.issues import count_summary

    host, loaded = load(content, no_cache, quiet=quiet)
    names, skipped = runnable_formats(host, formats)
    for name, reason in skipped.items():
        click.echo(f"Skipped {name}: {reason}", err=True)
    plans = plan_exports(
        host, loaded.course, Path(content), names, options, Path(output), stderr_warning
    )
    by_format = preflight_by_format(plans)
    issues = [issue for found in by_format.values() for issue in found]
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        from pmkit.errors import ExportError

        raise ExportError("the export was stopped before writing anything", sorted(errors))
    if not quiet:
        _print_warnings(by_format, verbose)
    if check:
        note = f" ({count_summary(issues)})" if issues else ""
        click.echo(
            f"ok: {', '.join(p.name for p in plans)} would export cleanly{note}; nothing written"
        )
        return
    check_output_folder(Path(output))
    written: list[str] = []
    for index, plan in enumerate(plans):
        try:
            path = write_export(plan)
        except PmkitError as exc:
            if len(plans) == 1 or click.get_current_context().find_root().obj.get("traceback"):
                raise
            # The error first, then the summary as the run's last line.
            report_error(exc)
            _print_summary(written, plan.name, [p.name for p in plans[index + 1 :]], skipped)
            raise click.exceptions.Exit(exc.exit_code) from exc
        written.append(plan.name)
        click.echo(f"{path} ({path.stat().st_size:,} bytes)")
    if len(plans) > 1 or skipped:
        _print_summary(written, None, [], skipped)


def _print_warnings(by_format: dict[str, list[Issue]], verbose: bool) -> None:
    """Warnings grouped under their format, at most SHOWN_WARNINGS each unless verbose."""
    for name, found in by_format.items():
        if not found:
            continue
        click.echo(f"Warnings from {name} ({len(found)}):", err=True)
        shown = found if verbose else found[:SHOWN_WARNINGS]
        for issue in shown:
            click.echo(issue.format(), err=True)
        if len(found) > len(shown):
            click.echo(
                f"… and {len(found) - len(shown)} more {name} warnings (-v shows all)", err=True
            )


def _print_summary(
    written: Sequence[str],
    failed: str | None,
    not_attempted: Sequence[str],
    skipped: dict[str, str],
) -> None:
    """The last line of a multi-format run: what was written, failed, skipped, left out."""
    parts = [
        f"wrote {len(written)} file{'s' if len(written) != 1 else ''}"
        + (f" ({', '.join(written)})" if written else "")
    ]
    if failed:
        parts.append(f"failed: {failed} (its previous file is untouched)")
    if not_attempted:
        parts.append(f"not attempted: {', '.join(not_attempted)}")
    if skipped:
        parts.append(f"skipped: {', '.join(skipped)}")
    click.echo("; ".join(parts), err=True)
