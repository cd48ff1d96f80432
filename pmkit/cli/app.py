"""The root command group, lazy command loading, and the one place errors
become exit codes: 0 ok; 1 content, export or plugin error; 2 usage error."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from pmkit.__version__ import VERSION

COMMANDS: dict[str, str] = {
    "validate": "pmkit.cli.validate",
    "export": "pmkit.cli.export",
    "formats": "pmkit.cli.formats",
    "plugins": "pmkit.cli.plugins",
    "schema": "pmkit.cli.schema",
    "score": "pmkit.cli.score",
    "scorers": "pmkit.cli.scorers",
    "quiz": "pmkit.cli.quiz",
    "new-plugin": "pmkit.cli.new_plugin",
    "new": "pmkit.cli.new",
    "preview": "pmkit.cli.preview",
}

#: Each command's help summary (the first paragraph of its docstring), so that
#: ``pmkit --help`` lists the commands without importing them.
#: tests/test_startup.py checks it against the commands themselves.
SUMMARIES: dict[str, str] = {
    "validate": "Check the course: YAML, schemas, references, the decision tree, the answer keys.",
    "export": "Export the course to one or more formats.",
    "formats": "List the export formats, or show one format's options.",
    "plugins": "List the plugins: built-in ones first, then third-party ones.",
    "schema": "Print the JSON Schema that `pmkit export --format json` output conforms to.",
    "score": "Score an answer set: the recommended track with its reasons, and the "
    "knowledge-check grade when the file holds knowledge-check answers.",
    "scorers": "List the scorers: recommendation scorers pick a track, grade scorers "
    "grade the knowledge check.",
    "quiz": "Answer the self-discovery questions and your starting point, and get a "
    "recommended track with the reasons behind it.",
    "new-plugin": "Create a plugin package: an exporter or a scorer.",
    "new": "Create a course folder: a small valid course that teaches the format.",
    "preview": "Preview the course as an LMS runs it, rebuilt whenever a file changes.",
}


def report_error(exc: BaseException) -> None:
    """Print a pmkit error the way a compiler would: issues, then a count."""
    from pmkit.errors import ContentError, ExportError
    from pmkit.issues import count_summary

    issues = getattr(exc, "issues", None) or []
    for issue in issues:
        click.echo(issue.format(), err=True)
    if isinstance(exc, ContentError):
        click.echo(f"Error: the content has {count_summary(issues)}", err=True)
        return
    if isinstance(exc, ExportError) and issues:
        click.echo(f"{count_summary(issues)}", err=True)
    click.echo(f"Error: {exc}", err=True)


class PmkitGroup(click.Group):
    """Imports each command's module on first use and maps pmkit errors to exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``pmkit --help``, from :data:`SUMMARIES` (importing
        every command module for its help line would cost a fifth of start-up)."""
        stand_ins = click.Group(
            self.name,
            commands=[click.Command(name, help=SUMMARIES[name]) for name in COMMANDS],
        )
        click.Group.format_commands(stand_ins, ctx, formatter)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        return importlib.import_module(module).command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and name not in COMMANDS and not name.startswith("-"):
            from pmkit.suggest import closest

            match = closest(name, COMMANDS)
            hint = f" Did you mean {match!r}?" if match else ""
            ctx.fail(f"No such command {name!r}.{hint}")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        from pmkit.errors import PmkitError, Terminated

        try:
            return super().invoke(ctx)
        except PmkitError as exc:
            if (ctx.obj or {}).get("traceback"):
                raise
            report_error(exc)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except Terminated:
            ctx.exit(Terminated.exit_code)
        except Exception as exc:
            if (ctx.obj or {}).get("traceback"):
                raise
            click.echo(
                f"Error: internal error ({type(exc).__name__}: {exc}); run again with "
                "--traceback and report it",
                err=True,
            )
            ctx.exit(1)


@click.group("pmkit", cls=PmkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, "--version", "-V", prog_name="pmkit", message="%(prog)s %(version)s")
@click.option(
    "--traceback",
    is_flag=True,
    envvar="PMKIT_TRACEBACK",
    help="Show the Python traceback of an error (for debugging pmkit or a plugin).",
)
@click.pass_context
def cli(ctx: click.Context, traceback: bool) -> None:
    """pmkit compiles a structured career course into SCORM packages, Moodle
    question banks, handouts and JSON.

    \b
    Start with:
      pmkit validate                     check the course in ./content
      pmkit export --format json         write exports/<course-id>.json
      pmkit formats                      list the export formats
    """
    ctx.ensure_object(dict)
    ctx.obj["traceback"] = traceback
    exit_cleanly_on_sigterm(ctx)
    freeze_loaded_courses(ctx)


def freeze_loaded_courses(ctx: click.Context) -> None:
    """Let loading a course ``gc.freeze()`` what it loaded (0.84x the wall time at 10k questions).

    Without it, the first collection after loading scans every object of the
    course once more (see ``pmkit.content.collector``). Freezing changes the
    whole process's collector, so only the command line, which owns the
    process, asks for it; like the SIGTERM handler it is undone when the
    command ends, for a program that runs the command line in-process.
    """
    from pmkit.content import collector

    collector.freeze_after_loading(True)
    ctx.call_on_close(lambda: collector.freeze_after_loading(False))


def exit_cleanly_on_sigterm(ctx: click.Context) -> None:
    """Make SIGTERM unwind like Ctrl-C, so every ``finally`` removes its temporary file.

    Python's default for SIGTERM is to die on the spot, leaving staged exports
    and cache entries behind. The handler raises :class:`pmkit.errors.Terminated`
    instead (exit status 143, 128 + 15, as a shell reports SIGTERM); further SIGTERMs are ignored
    while the cleanup runs. Only the command line does this: a program using
    the Python API keeps its own signal handling, and the previous handler is
    back when the command ends (a test runner calling the CLI in-process must
    still stop on SIGTERM).
    """
    import contextlib
    import signal

    def terminated(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        click.echo("Terminated.", err=True)
        from pmkit.errors import Terminated

        raise Terminated

    # Outside the main thread (an embedding program) signals are not ours to set.
    with contextlib.suppress(ValueError):
        previous = signal.signal(signal.SIGTERM, terminated)
        ctx.call_on_close(lambda: signal.signal(signal.SIGTERM, previous))


def new_or_empty_folder(folder: str, how_to_choose: str) -> Any:
    """``folder`` as a Path when it does not exist or is an empty folder; else a usage
    error saying what is in the way and ``how_to_choose`` another one (pmkit never
    writes a scaffold over someone's files)."""
    from pathlib import Path

    from pmkit.errors import UsageError

    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{folder} exists and is not a folder; {how_to_choose}")
    if target.is_dir() and any(target.iterdir()):
        raise UsageError(f"{folder} already exists and is not empty; {how_to_choose}")
    return target


def stderr_warning(message: str) -> None:
    """Print a warning line for the user (stderr, never stdout)."""
    click.echo(f"Warning: {message}", err=True)


def cache_enabled(no_cache: bool) -> bool:
    """The validation cache is on unless ``--no-cache`` or ``PMKIT_NO_CACHE`` says otherwise."""
    return not no_cache and os.environ.get("PMKIT_NO_CACHE", "").strip() in ("", "0")


def load_host() -> Any:
    """Load the plugins, printing plugin problems as warnings."""
    from pmkit.pluginhost.host import load_plugins

    return load_plugins(warn=stderr_warning, tracebacks=traceback_requested())


def traceback_requested() -> bool:
    """Whether ``pmkit --traceback`` (or ``PMKIT_TRACEBACK``) asked for tracebacks."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and (ctx.find_root().obj or {}).get("traceback"))


def load(content: str, no_cache: bool, *, quiet: bool = False) -> tuple[Any, Any]:
    """Plugins and the validated course (through the cache when enabled); content
    warnings are printed unless ``quiet``."""
    from pathlib import Path

    from pmkit.content.cache import ValidationCache
    from pmkit.content.load import load_course

    host = load_host()
    cache = ValidationCache(plugins=host.fingerprint()) if cache_enabled(no_cache) else None
    loaded = load_course(Path(content), rules=host.rules, cache=cache)
    found = missing_scorers(host, loaded.course)
    if any(issue.severity == "error" for issue in found):
        from pmkit.errors import ContentError

        raise ContentError(found)
    if not quiet:
        for issue in sorted([*loaded.warnings, *found]):
            click.echo(issue.format(), err=True)
    return host, loaded


def missing_scorers(host: Any, course: Any) -> list[Any]:
    """The course's scorers this installation lacks, as errors at the course's `scorers`,
    and problems with the option values the course sets for scorers."""
    from pmkit.issues import Issue
    from pmkit.scoring.settings import setting_issues
    from pmkit.suggest import did_you_mean

    issues = []
    src = course.scorers.source
    installed = sorted(host.scorers)
    for kind in ("recommendation", "grade"):
        name = getattr(course.scorers, kind)
        provided = host.scorers.get(name)
        if provided is None:
            issues.append(
                Issue(
                    src.file,
                    src.line,
                    src.column,
                    f"the {kind} scorer {name!r} is not installed"
                    f"{did_you_mean(name, installed)}; install the plugin that "
                    f"provides it or name one of: {', '.join(installed)}",
                    code="scorer",
                )
            )
        elif provided.obj.kind != kind:
            issues.append(
                Issue(
                    src.file,
                    src.line,
                    src.column,
                    f"{name!r} is a {provided.obj.kind} scorer, not a {kind} scorer",
                    code="scorer",
                )
            )
    issues += setting_issues({name: p.obj for name, p in host.scorers.items()}, course)
    return issues


content_option = click.option(
    "--content",
    "-c",
    default="content",
    show_default=True,
    metavar="DIR",
    help="The course folder (holding course.yaml).",
)


def key_value_option(metavar: str, help: str) -> Any:
    """``-o KEY VALUE`` (repeatable), collected as ``options`` pairs: exporter or scorer options."""
    return click.option(
        "--option", "-o", "options", nargs=2, multiple=True, metavar=metavar, help=help
    )


no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Validate from scratch, ignoring the .pmkit-cache/ folder (also: PMKIT_NO_CACHE=1).",
)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(cli())
