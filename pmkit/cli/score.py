"""``pmkit score``: score a saved answer set."""

from __future__ import annotations

import json

import click

from pmkit.cli.app import content_option, key_value_option, no_cache_option


@click.command("score")
@click.option(
    "--answers",
    "-a",
    "answers_file",
    required=True,
    metavar="FILE",
    help="The answers, YAML or JSON (`-` reads standard input).",
)
@click.option(
    "--scorer",
    "-s",
    "scorers",
    multiple=True,
    metavar="NAME",
    help="Use this scorer instead of the course's default of its kind (repeatable).",
)
@key_value_option(
    "[SCORER.]KEY VALUE",
    "A scorer option, e.g. `-o mastery 70` (see `pmkit scorers`); wins over the "
    "course's `scorers: options:`.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@content_option
@no_cache_option
def command(
    answers_file: str,
    scorers: tuple[str, ...],
    options: tuple[tuple[str, str], ...],
    as_json: bool,
    content: str,
    no_cache: bool,
) -> None:
    """Score an answer set: the recommended track with its reasons, and the
    knowledge-check grade when the file holds knowledge-check answers.

    \b
    The file maps question ids to answers, e.g.:
      complex-problems: true        # self-discovery: true/false
      background: new-to-product    # decision tree: an option id
      interest: tech-savvy
      kc-technical-duties: [guide-development, work-with-engineers]
    """
    import sys
    from pathlib import Path

    from pmkit.cli.app import load
    from pmkit.cli.render import render_grade, render_recommendation
    from pmkit.errors import AnswersError
    from pmkit.scoring.answers import answer_issues, check_answers, load_answers
    from pmkit.scoring.run import choose_scorers, score_answers, scorer_options

    host, loaded = load(content, no_cache)
    course = loaded.course
    # A misspelt --scorer or -o is reported before the answers are read.
    scorer_options(choose_scorers(host, course, scorers), options, course)
    if answers_file == "-":
        raw, file = sys.stdin.buffer.read(), "<stdin>"
    else:
        try:
            raw, file = Path(answers_file).read_bytes(), answers_file
        except OSError as exc:
            raise click.FileError(answers_file, exc.strerror) from None
    answers, doc = load_answers(raw, file)
    problems = check_answers(course, answers)
    if problems:
        raise AnswersError(answer_issues(problems, file, doc))
    report = score_answers(host, course, answers, scorers, options)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(render_recommendation(course, report.recommendation))
    if report.grade is not None:
        click.echo("")
        click.echo(render_grade(course, report.grade))
