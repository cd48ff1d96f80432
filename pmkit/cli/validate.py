"""``pmkit validate``: check a course and report every problem at once."""

from __future__ import annotations

import json

import click

from pmkit.cli.app import content_option, no_cache_option


def _summary(course: object) -> dict[str, object]:
    c = course
    return {
        "id": c.id, "title": c.title, "version": c.version,  # type: ignore[attr-defined]
        "tracks": len(c.tracks),  # type: ignore[attr-defined]
        "self_discovery_questions": len(c.self_discovery.questions),  # type: ignore[attr-defined]
        "decision_tree_nodes": len(c.decision_tree.nodes),  # type: ignore[attr-defined]
        "knowledge_check_questions": len(c.knowledge_check.questions),  # type: ignore[attr-defined]
    }


@click.command("validate")
@content_option
@no_cache_option
@click.option("--json", "as_json", is_flag=True,
              help="Print the result as JSON on stdout (issues with file, line, column).")
def command(content: str, no_cache: bool, as_json: bool) -> None:
    """Check the course: YAML, schemas, references, the decision tree, the answer keys.

    Prints every problem as FILE:LINE:COLUMN: error: MESSAGE and exits 1 if
    there is any error; on valid content prints a one-line summary.
    """
    from pmkit.cli.app import load
    from pmkit.errors import ContentError

    if not as_json:
        _, loaded = load(content, no_cache)
        s = _summary(loaded.course)
        click.echo(f"{content}: valid — {s['title']!s} {s['version']!s}: {s['tracks']} tracks, "
                   f"{s['self_discovery_questions']} self-discovery questions, "
                   f"{s['decision_tree_nodes']} decision-tree nodes, "
                   f"{s['knowledge_check_questions']} knowledge-check questions")
        return
    try:
        _, loaded = load(content, no_cache)
    except ContentError as exc:
        click.echo(json.dumps({"valid": False, "issues": [i.to_dict() for i in exc.issues]},
                              indent=2, ensure_ascii=False))
        raise click.exceptions.Exit(1) from None
    click.echo(json.dumps({"valid": True, "summary": _summary(loaded.course),
                           "issues": [i.to_dict() for i in loaded.warnings]},
                          indent=2, ensure_ascii=False))
