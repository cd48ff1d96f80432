"""``pmkit new-plugin``: scaffold a third-party plugin package that passes its own tests.

The files come from ``string.Template`` files (``*.tmpl``) in
``pmkit/data/plugin-template/``: the shared ones at the top, the kind's own
(``exporter/``, ``scorer/``) below. :data:`FILES` maps each generated file to
its template.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

KINDS = ("exporter", "scorer")

#: Generated file -> its template (``{package}`` and ``{kind}`` are replaced in both).
FILES: dict[str, str] = {
    "pyproject.toml": "pyproject.toml.tmpl",
    "README.md": "README.md.tmpl",
    "CHANGELOG.md": "CHANGELOG.md.tmpl",
    ".gitignore": "gitignore.tmpl",
    "src/{package}/__init__.py": "{kind}/__init__.py.tmpl",
    "tests/conftest.py": "conftest.py.tmpl",
    "tests/test_contract.py": "{kind}/test_contract.py.tmpl",
    "tests/test_{kind}.py": "{kind}/test_plugin.py.tmpl",
}

#: Per kind: the package description, its CHANGELOG line, the contract suite it runs.
KIND_TEXT: dict[str, dict[str, str]] = {
    "exporter": {
        "description": "A pmkit export format: the knowledge-check questions as a plain-text list.",
        "changelog_entry": "The `{name}` export format: the knowledge-check questions as a "
        "numbered plain-text list, with the right answers on request "
        "(`-o answers true`).",
        "contract": "ExporterContract",
        "suffix": "Exporter",
    },
    "scorer": {
        "description": "A pmkit grade scorer: one point per completely right answer.",
        "changelog_entry": "The `{name}` grade scorer: one point per knowledge-check question "
        "answered completely right.",
        "contract": "ScorerContract",
        "suffix": "Scorer",
    },
}

MAX_NAME = 64


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a plugin, or None when it can."""
    import re

    if not re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", name):
        return (
            f"{name!r} is not a plugin name: use lowercase letters, digits and single "
            "hyphens, starting with a letter and not ending with a hyphen (e.g. csv-bank)"
        )
    if len(name) > MAX_NAME:
        return f"{name!r} is longer than {MAX_NAME} characters"
    if name == "pmkit" or name.startswith("pmkit-"):
        short = name.removeprefix("pmkit").removeprefix("-") or "my-format"
        return (
            f"leave out the `pmkit-` prefix: `pmkit new-plugin {short}` makes the "
            f"distribution pmkit-{short}"
        )
    return None


def template_values(name: str, kind: str) -> dict[str, str]:
    """Everything the templates fill in for plugin ``name`` of ``kind``."""
    import datetime

    from pmkit.__version__ import VERSION

    text = KIND_TEXT[kind]
    package = "pmkit_" + name.replace("-", "_")
    return {
        "name": name,
        "kind": kind,
        "dist": f"pmkit-{name}",
        "package": package,
        "class_name": "".join(part.capitalize() for part in name.split("-")) + text["suffix"],
        "pmkit_version": VERSION,
        "description": text["description"],
        "changelog_entry": text["changelog_entry"].format(name=name),
        "contract": text["contract"],
        "date": datetime.date.today().isoformat(),
    }


def render(name: str, kind: str) -> dict[str, str]:
    """The generated files: relative POSIX path -> text."""
    from importlib import resources
    from string import Template

    root = resources.files("pmkit").joinpath("data", "plugin-template")

    def fill(template: str, values: dict[str, str]) -> str:
        source = root.joinpath(*template.split("/")).read_text(encoding="utf-8")
        return Template(source).substitute(values)

    values = template_values(name, kind)
    values["usage"] = fill(f"{kind}/usage.md.tmpl", values).rstrip("\n")
    names = {"package": values["package"], "kind": kind}
    return {
        path.format(**names): fill(template.format(**names), values)
        for path, template in FILES.items()
    }


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write ``files`` (relative POSIX path -> text) under ``root``, UTF-8 with LF endings."""
    for relative, text in files.items():
        path = root.joinpath(*relative.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)


def write_tree(target: Path, files: dict[str, str]) -> None:
    """Write ``files`` into ``target`` (absent or empty) so that a failure leaves nothing.

    A new folder is written as a temporary folder next to it and renamed into
    place; an existing empty folder (perhaps the current one) is filled and,
    on failure, emptied again.
    """
    import os
    import shutil
    import tempfile
    from pathlib import Path

    if target.is_dir():
        try:
            write_files(target, files)
        except BaseException:
            for child in target.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
            raise
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; a project folder is not
        write_files(staging, files)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def taken_by(name: str, kind: str) -> str | None:
    """The installed plugin that already provides an exporter/scorer ``name``, if any."""
    from pmkit.errors import PmkitError
    from pmkit.pluginhost.host import load_plugins

    try:
        host = load_plugins(warn=lambda text: None)
    except PmkitError:  # PMKIT_STRICT_PLUGINS and a broken plugin: not this command's business
        return None
    provided = (host.exporters if kind == "exporter" else host.scorers).get(name)
    return provided.plugin.label if provided is not None else None


def next_steps(name: str, kind: str, folder: str) -> list[str]:
    """The commands to run after generating, as lines for the user."""
    import shlex

    steps = [
        (f"cd {shlex.quote(folder)}", ""),
        ("python -m pip install -e '.[test]'", "install it (editable) with pytest"),
        ("python -m pytest", "its tests pass as generated"),
        ("pmkit plugins", f"lists {name} from pmkit-{name} 0.1.0"),
    ]
    if kind == "exporter":
        steps.append((f"pmkit export --format {name}", f"writes exports/<course-id>-{name}.txt"))
    else:
        steps.append((f"pmkit score --answers FILE --scorer {name}", "grades an answer set"))
    width = max(len(command) for command, _ in steps)
    return [f"  {command:<{width}}  {note}".rstrip() for command, note in steps]


@click.command("new-plugin")
@click.argument("name")
@click.option(
    "--kind",
    "-k",
    type=click.Choice(KINDS),
    default="exporter",
    show_default=True,
    help="What the plugin provides: an export format or a grade scorer.",
)
@click.option(
    "--output",
    "-d",
    metavar="DIR",
    help="The folder to create (default: ./pmkit-NAME); it must not exist or be empty.",
)
def command(name: str, kind: str, output: str | None) -> None:
    """Create a plugin package: an exporter or a scorer.

    The package, pmkit-NAME, passes its own tests as generated.

    \b
    NAME is an id such as csv-bank (lowercase letters, digits, hyphens). It is
      the distribution      pmkit-NAME
      the Python package    pmkit_NAME (hyphens become underscores)
      the entry point       NAME = "pmkit_NAME" in the `pmkit` group
      the format or scorer  NAME

    An exporter writes the course's knowledge-check questions as a plain-text
    list; a scorer grades one point per completely right answer. Either comes
    with a pyproject.toml, contract tests from pmkit.testing (run them with
    `python -m pytest` in the new folder), a README and a CHANGELOG: change
    them into your own.
    """

    from pmkit.cli.app import new_or_empty_folder
    from pmkit.errors import PmkitError, UsageError

    problem = name_problem(name)
    if problem:
        raise click.BadParameter(problem, param_hint="NAME")
    folder = output if output is not None else f"pmkit-{name}"
    target = new_or_empty_folder(folder, "remove it or choose another folder with --output DIR")

    owner = taken_by(name, kind)
    if owner is not None and owner.startswith("built-in"):
        # A plugin reusing a built-in name is refused at load time unless it says
        # override=True: a scaffold that never loads helps nobody.
        what = "format" if kind == "exporter" else "scorer"
        raise UsageError(
            f"{name!r} is the name of pmkit's {owner} {what}; choose another "
            f"NAME (e.g. {name}-plus), or register your class with "
            "override=True on purpose"
        )
    if owner is not None:
        what = "format" if kind == "exporter" else "scorer"
        click.echo(
            f"Warning: the {what} name {name!r} is taken by {owner}; pmkit will refuse "
            f"this plugin's {name!r} unless it is registered with override=True, so "
            "consider another NAME",
            err=True,
        )

    files = render(name, kind)
    try:
        write_tree(target, files)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        raise PmkitError(f"could not create {folder}: {exc.strerror or exc}{where}") from exc
    click.echo(f"Created the {kind} plugin pmkit-{name} in {folder}:")
    for relative in sorted(files):
        click.echo(f"  {relative}")
    click.echo("")
    click.echo("Next steps:")
    for line in next_steps(name, kind, folder):
        click.echo(line)
