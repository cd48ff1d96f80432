"""``pmkit new``: start a course, from the teaching scaffold or from a JSON export."""

from __future__ import annotations

import click


@click.command("new")
@click.argument("course_dir", metavar="COURSE-DIR")
@click.option(
    "--from-json",
    "from_json",
    metavar="FILE",
    help="Recreate the YAML of an existing course from its JSON export (`pmkit export -f json`).",
)
def command(course_dir: str, from_json: str | None) -> None:
    """Create a course folder: a small valid course that teaches the format.

    The course has two tracks, self-discovery questions, a decision tree,
    guidance and a knowledge check with one question of each type; its
    comments explain each field. Every file names the content JSON Schema
    written beside it, so editors with YAML support check as you type.
    COURSE-DIR must not exist or be empty.
    """
    from pathlib import Path

    from pmkit.authoring import scaffold
    from pmkit.cli.app import new_or_empty_folder
    from pmkit.cli.new_plugin import write_tree
    from pmkit.errors import PmkitError

    target = new_or_empty_folder(
        course_dir, "pmkit new writes only into a new or empty folder: choose another COURSE-DIR"
    )
    if from_json is not None:
        from pmkit.authoring.from_json import read_export

        files = read_export(Path(from_json))
        what = f"the course from {from_json}"
    else:
        name = target.resolve().name
        files = scaffold.render(scaffold.course_id_for(name))
        what = "a new course"
    try:
        write_tree(target, files)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        raise PmkitError(f"could not create {course_dir}: {exc.strerror or exc}{where}") from exc
    click.echo(f"Created {what} in {course_dir}:")
    for relative in files:
        click.echo(f"  {relative}")
    click.echo("")
    click.echo("Next:")
    for line in scaffold.next_steps(course_dir):
        click.echo(line)
