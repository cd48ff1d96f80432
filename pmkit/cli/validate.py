"""``pmkit validate``: check a course and report every problem at once."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, NoReturn

import click

from pmkit.cli.app import content_option, no_cache_option

if TYPE_CHECKING:
    from pmkit.content.model import Course


def _summary(course: Course) -> dict[str, object]:
    return {
        "id": course.id,
        "title": course.title,
        "version": course.version,
        "tracks": len(course.tracks),
        "self_discovery_questions": len(course.self_discovery.questions),
        "decision_tree_nodes": len(course.decision_tree.nodes),
        "knowledge_check_questions": len(course.knowledge_check.questions),
    }


def _fail(issues: list[dict[str, object]], exit_code: int, error: str | None = None) -> NoReturn:
    result: dict[str, object] = {"valid": False, "issues": issues}
    if error is not None:
        result["error"] = error
    click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    raise click.exceptions.Exit(exit_code)


@click.command("validate")
@content_option
@no_cache_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the result as JSON on stdout (issues with file, line, column).",
)
def command(content: str, no_cache: bool, as_json: bool) -> None:
    """Check the course: YAML, schemas, references, the decision tree, the answer keys.

    Prints every problem as FILE:LINE:COLUMN: error: MESSAGE and exits 1 if
    there is any error; on valid content prints a one-line summary.
    """
    from pmkit.cli.app import load, missing_scorers
    from pmkit.content.text import printable
    from pmkit.errors import ContentError, PmkitError
    from pmkit.issues import Issue

    if not as_json:
        _, loaded = load(content, no_cache)
        s = _summary(loaded.course)
        click.echo(
            f"{printable(content)}: valid — {s['title']!s} {s['version']!s}: "
            f"{s['tracks']} tracks, "
            f"{s['self_discovery_questions']} self-discovery questions, "
            f"{s['decision_tree_nodes']} decision-tree nodes, "
            f"{s['knowledge_check_questions']} knowledge-check questions"
        )
        return
    # Whatever goes wrong, a machine reading --json gets JSON (and the exit code
    # it would get without --json), never a bare message on stderr.
    try:
        host, loaded = load(content, no_cache)
    except ContentError as exc:
        _fail([i.to_dict() for i in exc.issues], exc.exit_code)
    except PmkitError as exc:
        found = getattr(exc, "issues", None) or [Issue.general(str(exc), code="error")]
        _fail([i.to_dict() for i in found], exc.exit_code, str(exc))
    except Exception as exc:
        if (click.get_current_context().obj or {}).get("traceback"):
            raise
        message = (
            f"internal error ({type(exc).__name__}: {exc}); run again with --traceback "
            "and report it"
        )
        _fail([Issue.general(message, code="internal").to_dict()], 1, message)
    click.echo(
        json.dumps(
            {
                "valid": True,
                "summary": _summary(loaded.course),
                "issues": [
                    i.to_dict()
                    for i in sorted([*loaded.warnings, *missing_scorers(host, loaded.course)])
                ],
            },
            indent=2,
            ensure_ascii=False,
        )
    )
