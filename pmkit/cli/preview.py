"""``pmkit preview``: the course in a page that plays the LMS, rebuilt on every save."""

from __future__ import annotations

import click

from pmkit.cli.app import content_option


@click.command("preview")
@content_option
@click.option(
    "--port",
    "-p",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="The port on 127.0.0.1 (0: a free one).",
)
@click.option("--no-open", is_flag=True, help="Do not open the page in the browser.")
def command(content: str, port: int, no_open: bool) -> None:
    """Preview the course as an LMS runs it, rebuilt whenever a file changes.

    Serves, on 127.0.0.1 only, the SCORM package's web app inside a page that
    plays the LMS: a strict SCORM 1.2 / 2004 API and a live panel of every
    call and value, so you see what the LMS will record. When the content has
    errors the page lists them (file:line:column) instead of the course until
    you fix them. The page also shows the HTML handout and every format's
    check() warnings. Stop with Ctrl-C.
    """
    import threading
    import webbrowser
    from pathlib import Path

    from pmkit.errors import PmkitError
    from pmkit.issues import count_summary
    from pmkit.preview.build import BuildResult
    from pmkit.preview.server import PreviewServer

    folder = Path(content)
    if not (folder / "course.yaml").is_file():
        what = "does not exist" if not folder.is_dir() else "has no course.yaml"
        raise PmkitError(
            f"{content} {what}; point --content at a course folder (start one with `pmkit new DIR`)"
        )

    def report(result: BuildResult) -> None:
        if result.ok:
            click.echo(
                f"Built {result.title} (build {result.generation}, {result.seconds:.1f} s)",
                err=True,
            )
        else:
            for issue in result.errors:
                click.echo(issue.format(), err=True)
            click.echo(
                f"Build {result.generation}: {count_summary(result.errors)}; "
                "the page shows them until they are fixed",
                err=True,
            )

    try:
        server = PreviewServer(folder, port=port, on_build=report)
    except OSError as exc:
        raise PmkitError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from exc
    try:
        server.start()
        click.echo(f"Preview at {server.url} (watching {content}; Ctrl-C to stop)")
        if not no_open:
            webbrowser.open(server.url)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    click.echo("Stopped.", err=True)
