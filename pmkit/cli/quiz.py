"""``pmkit quiz``: answer the self-discovery questions and the starting point at a
terminal, and get a recommended track with its reasons.

Interactive at a terminal (invalid input asks again; ``b`` goes back); from a
pipe it reads one answer per line (``y``/``n`` or a choice number; ``b`` still
goes back) and stops with an error at the first line that is not an answer,
so a script never answers the wrong question.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from pmkit.cli.app import content_option, key_value_option, no_cache_option
from pmkit.errors import PmkitError

if TYPE_CHECKING:  # the model is imported when the quiz runs, not for `pmkit --help`
    from pmkit.content import model as m

YES = {"y", "yes", "1", "true"}
NO = {"n", "no", "0", "false"}
BACK = {"b", "back"}


class QuizInputError(PmkitError):
    """Scripted input ended early or held something that is not an answer."""


def next_question(course: m.Course, answers: dict[str, Any]) -> object | None:
    """The first self-discovery question not yet answered, then the decision-tree
    node the chosen options lead to; None when the quiz is complete."""
    for q in course.self_discovery.questions:
        if q.id not in answers:
            return q
    tree = course.decision_tree
    node: m.TreeNode | None = tree.start_node
    while node is not None:
        chosen = node.option(answers.get(node.id, ""))
        if chosen is None:
            return node
        node = tree.node(chosen.next) if chosen.next else None
    return None


def run_quiz(
    course: m.Course,
    read: Callable[[str], str | None],
    say: Callable[[str], None],
    interactive: bool,
) -> dict[str, Any]:
    """Ask until complete; returns the answers (the answers format, docs/decisions.md §10).

    ``read(prompt)`` returns a line or None at end of input; ``say`` prints.
    """
    from pmkit.content import model as m

    answers: dict[str, Any] = {}
    asked: list[str] = []
    groups = {q.id: g for g in course.self_discovery.groups for q in g.questions}
    total = len(course.self_discovery.questions)
    shown_group = None
    line_no = 0
    while (question := next_question(course, answers)) is not None:
        if isinstance(question, m.YesNoQuestion):
            group = groups[question.id]
            if group is not shown_group:
                say(f"\n{group.title}")
                shown_group = group
            number = list(groups).index(question.id) + 1
            prompt = f"[{number}/{total}] {question.text} [y/n{', b=back' if asked else ''}] "
        else:
            assert isinstance(question, m.TreeNode)
            say(f"\n{question.prompt}")
            if question.text:
                say(question.text)
            for i, option in enumerate(question.options, 1):
                extra = f" — {option.text}" if option.text else ""
                say(f"  {i}) {option.label}{extra}")
            prompt = f"Choose 1-{len(question.options)}{', b=back' if asked else ''}: "
            shown_group = None
        line = read(prompt)
        line_no += 1
        if line is None:
            asked_text = question.text if isinstance(question, m.YesNoQuestion) else question.prompt
            raise QuizInputError(f"the input ended before this question was answered: {asked_text}")
        reply = line.strip().lower()
        if reply in BACK:
            if asked:
                del answers[asked.pop()]
                shown_group = None
            continue
        value = _parse(question, reply)
        if value is None:
            problem = f"{line.strip()!r} is not an answer here"
            if not interactive:
                wanted = (
                    "y or n"
                    if isinstance(question, m.YesNoQuestion)
                    else f"a number from 1 to {len(question.options)}"
                )
                raise QuizInputError(f"line {line_no}: {problem} ({wanted} expected)")
            say(f"  {problem}; try again.")
            continue
        answers[question.id] = value
        asked.append(question.id)
    return answers


def _parse(question: object, reply: str) -> Any:
    from pmkit.content import model as m

    if isinstance(question, m.YesNoQuestion):
        return True if reply in YES else (False if reply in NO else None)
    assert isinstance(question, m.TreeNode)
    if reply.isdigit() and 1 <= int(reply) <= len(question.options):
        return question.options[int(reply) - 1].id
    return None


@click.command("quiz")
@content_option
@no_cache_option
@click.option(
    "--scorer",
    "-s",
    "scorers",
    multiple=True,
    metavar="NAME",
    help="Use this recommendation scorer instead of the course's default.",
)
@key_value_option(
    "[SCORER.]KEY VALUE",
    "A scorer option (see `pmkit scorers`); wins over the course's `scorers: options:`.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--save", metavar="FILE", help="Also save the answers (YAML) for `pmkit score`.")
def command(
    content: str,
    no_cache: bool,
    scorers: tuple[str, ...],
    options: tuple[tuple[str, str], ...],
    as_json: bool,
    save: str | None,
) -> None:
    """Answer the self-discovery questions and your starting point, and get a
    recommended track with the reasons behind it.

    At a terminal, choose by number (or y/n) and type b to go back. Without a
    terminal it reads one answer per line from standard input, e.g.
    `printf 'y\\nn\\ny\\ny\\nn\\nn\\ny\\nn\\n4\\n1\\n' | pmkit quiz`.
    """
    import sys
    from pathlib import Path

    from pmkit.cli.app import load
    from pmkit.cli.render import render_recommendation
    from pmkit.scoring.run import choose_scorers, score_answers, scorer_options

    host, loaded = load(content, no_cache)
    course = loaded.course
    # A wrong --scorer or -o is reported before the first question.
    scorer_options(
        choose_scorers(host, course, scorers, kinds=("recommendation",)), options, course
    )
    if save and not Path(save).resolve().parent.is_dir():
        # Checked before the first question, so no answer is lost at the end.
        raise click.BadParameter(f"the folder of {save!r} does not exist", param_hint="--save")
    interactive = sys.stdin.isatty()

    def read(prompt: str) -> str | None:
        click.echo(prompt, nl=False, err=True)
        line = sys.stdin.readline()
        if not interactive:
            click.echo(line.rstrip("\n"), err=True)
        return line if line else None

    click.echo(f"{course.self_discovery.title}\n{course.self_discovery.intro}", err=True)
    answers = run_quiz(course, read, lambda text: click.echo(text, err=True), interactive)
    if save:
        import yaml

        try:
            with open(save, "w", encoding="utf-8") as fh:
                yaml.safe_dump(answers, fh, sort_keys=False, allow_unicode=True)
        except OSError as exc:
            click.echo(yaml.safe_dump(answers, sort_keys=False), err=True)
            raise QuizInputError(
                f"cannot save the answers to {save}: {exc.strerror} (they are printed above)"
            ) from exc
    report = score_answers(host, course, answers, scorers, options)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo("")
    click.echo(render_recommendation(course, report.recommendation))
