"""pmkit-aiken: a pmkit export format for Moodle's Aiken question format.

Aiken is the simplest format Moodle imports into a question bank: plain
UTF-8 text, one single-answer multiple-choice question per block::

    Who is the Alpha track for?
    A. People who like the first letter of the alphabet
    B. People who like to test things twice
    ANSWER: A

The question is one line, each option one line (``A.`` or ``A)``, a space,
the text), then ``ANSWER:`` and the right letter; a blank line separates
questions. There is nothing else: no feedback, no names, no categories, no
markup, no escaping.

This module is the whole plugin: :class:`AikenExporter` and the
``register_exporters`` hook that pmkit finds through the ``pmkit`` entry
point declared in ``pyproject.toml``. It uses only pmkit's public API.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pmkit

__all__ = ["AikenExporter", "AikenQuestion", "flatten", "plan", "register_exporters", "render"]

#: Option letters: Moodle's importer accepts exactly one capital letter A-Z.
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_OPTIONS = len(LETTERS)

#: What follows an option letter, per value of the ``letters`` option.
SEPARATORS = {"dot": ". ", "paren": ") "}

# Control characters (C0, DEL, C1: line feed, carriage return, tab, vertical
# tab, form feed, NEL ...) and the Unicode line and paragraph separators.
# Moodle splits lines on LF and CR; editors split on the others too.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SPACES = re.compile(r" {2,}")
# Unpaired UTF-16 surrogates cannot be written as UTF-8.
_SURROGATES = re.compile(r"[\ud800-\udfff]")
# A line Moodle's importer reads as an option or as the answer line, not as a
# question: its test is `^[A-Z][).]` (a space after it is optional), then `^ANSWER:`.
_NOT_A_QUESTION = re.compile(r"[A-Z][.)]|ANSWER:")


def flatten(text: str) -> str:
    """``text`` as one Aiken line.

    Line breaks (paragraphs included), tabs and other control characters
    become spaces, runs of spaces become one, and the ends are trimmed.
    Moodle shows the text as HTML, which collapses spaces anyway, so nothing
    visible is lost but the paragraph breaks. Everything else is kept as
    written: Aiken has no escaping, and Moodle escapes ``<``, ``>`` and ``&``
    itself when it imports the file.
    """
    text = _SURROGATES.sub("\N{REPLACEMENT CHARACTER}", _BREAKS.sub(" ", text))
    return _SPACES.sub(" ", text).strip(" ")


@dataclass(frozen=True)
class AikenQuestion:
    """One question as it will be written: flattened texts and the right option's index."""

    id: str
    prompt: str
    options: tuple[str, ...]
    answer: int


def _issue(source: pmkit.Source, message: str, severity: str, code: str) -> pmkit.Issue:
    return pmkit.Issue(source.file, source.line, source.column, message, severity, code)


def _misread(prompt: str) -> str | None:
    """Why Moodle would not read ``prompt`` as the start of a question, or None."""
    # Moodle strips a byte-order mark from the file's first line: look past one.
    prompt = prompt.lstrip("\ufeff")
    if len(prompt.encode("utf-8")) < 2:
        return (
            "Moodle's Aiken importer ignores lines shorter than 2 characters, "
            "so the question would have no text"
        )
    start = _NOT_A_QUESTION.match(prompt)
    if start:
        what = "the answer line" if start.group() == "ANSWER:" else "an option"
        return (
            f"the prompt starts with {start.group()!r}, which Moodle's Aiken importer "
            f"reads as {what}; reword its beginning"
        )
    return None


def _choices(
    q: pmkit.KnowledgeQuestion, opts: Mapping[str, Any]
) -> tuple[list[tuple[str, pmkit.Source]], int] | str | None:
    """The options (text and where it was written) and the right option's index.

    A string instead says why the question cannot be written; None means it
    is left out on request (true/false questions with ``true_false: skip``).
    """
    if isinstance(q, pmkit.ChoiceQuestion):
        if q.type != "single":
            return (
                "multiple-answer questions cannot be written in Aiken (single answer "
                "only); export them with --format moodle or --format gift"
            )
        right = [i for i, o in enumerate(q.options) if o.correct]
        # pmkit's validation guarantees exactly one; a course built in code may not.
        return [(o.text, o.source) for o in q.options], right[0] if len(right) == 1 else -1
    if isinstance(q, pmkit.TrueFalseQuestion):
        if opts["true_false"] == "skip":
            return None
        labels = [(opts["true_label"], q.source), (opts["false_label"], q.source)]
        return labels, 0 if q.answer else 1
    return (
        f"{q.type} questions cannot be written in Aiken (single-answer multiple choice "
        "only); export them with --format moodle"
    )


def plan(
    course: pmkit.Course, options: Mapping[str, Any]
) -> tuple[list[AikenQuestion], list[pmkit.Issue]]:
    """What the export will write, and every problem on the way (in course order).

    Warnings name questions left out; errors make the export impossible.
    ``options`` are the exporter's options (missing ones take their defaults).
    """
    opts = AikenExporter.resolve(options)
    written: list[AikenQuestion] = []
    issues: list[pmkit.Issue] = []
    questions = course.knowledge_check.questions
    for q in questions:
        where = f"question {q.id}"
        found = _choices(q, opts)
        if found is None:
            continue
        if isinstance(found, str):
            issues.append(
                _issue(q.source, f"{where} is left out: {found}", "warning", "aiken-unsupported")
            )
            continue
        choices, right = found
        if len(choices) > MAX_OPTIONS:
            issues.append(
                _issue(
                    q.source,
                    f"{where} has {len(choices)} options; Aiken letters "
                    f"them A-Z, so at most {MAX_OPTIONS}",
                    "error",
                    "aiken-too-many-options",
                )
            )
            continue
        if len(choices) < 2 or right < 0:
            issues.append(
                _issue(
                    q.source,
                    f"{where} needs at least 2 options and exactly one "
                    "right one (Moodle refuses it otherwise)",
                    "error",
                    "aiken-not-single-answer",
                )
            )
            continue
        prompt = flatten(q.prompt)
        reason = _misread(prompt)
        if reason:
            issues.append(
                _issue(q.source, f"{where} is left out: {reason}", "warning", "aiken-misread")
            )
            continue
        texts = [flatten(text) for text, _ in choices]
        empty = next((src for (_, src), text in zip(choices, texts, strict=True) if not text), None)
        if empty is not None:
            issues.append(
                _issue(
                    empty,
                    f"{where} is left out: an option has no visible text, "
                    "and Moodle drops empty options (which would move the right "
                    "answer)",
                    "warning",
                    "aiken-empty-option",
                )
            )
            continue
        written.append(AikenQuestion(q.id, prompt, tuple(texts), right))
    if not written and not any(i.severity == "error" for i in issues):
        issues.append(
            _issue(
                course.knowledge_check.source,
                f"none of the {len(questions)} knowledge-check question(s) can be "
                "written in Aiken, so there is nothing to export",
                "error",
                "aiken-nothing",
            )
        )
    return written, issues


def render(questions: Iterable[AikenQuestion], letters: str = "dot") -> str:
    """The Aiken text: blocks separated by one blank line, ending in a newline."""
    sep = SEPARATORS[letters]
    blocks = []
    for q in questions:
        lines = [q.prompt]
        lines += [f"{LETTERS[i]}{sep}{text}" for i, text in enumerate(q.options)]
        lines.append(f"ANSWER: {LETTERS[q.answer]}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


class AikenExporter(pmkit.Exporter):
    """The knowledge check as a Moodle Aiken file (single-answer multiple choice).

    Written: single-answer questions, and true/false questions as two options
    (``true_label``, ``false_label``) unless ``true_false`` is ``skip``. Left
    out, each with a warning at the question: multiple-answer, matching and
    ordering questions (Aiken cannot express them), and questions Moodle would
    misread (a prompt starting like an option, ``U.S. ...``, or like the
    answer line, or shorter than 2 characters). Explanations and feedback are
    dropped: Aiken has no place for them. Texts are flattened to one line.
    """

    name = "aiken"
    title = "Moodle Aiken question file (single-answer multiple choice only)"
    kind = "text"
    suffix = ".txt"  # the file is <course-id>-aiken.txt
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option(
            "letters",
            "string",
            "dot",
            "option letters: dot writes 'A. text', paren writes 'A) text' (Moodle reads both)",
            allowed=("dot", "paren"),
        ),
        pmkit.Option(
            "true_false",
            "string",
            "choice",
            "true/false questions: choice writes them as two options (true_label, "
            "false_label), skip leaves them out",
            allowed=("choice", "skip"),
        ),
        pmkit.Option(
            "true_label",
            "string",
            "True",
            "option text for 'true' (e.g. 'Wahr' for a German course)",
            pattern="[^\\r\\n]*\\S[^\\r\\n]*",
        ),
        pmkit.Option(
            "false_label",
            "string",
            "False",
            "option text for 'false' (e.g. 'Falsch' for a German course)",
            pattern="[^\\r\\n]*\\S[^\\r\\n]*",
        ),
    )

    @classmethod
    def resolve(cls, given: Mapping[str, Any]) -> dict[str, Any]:
        """The options with defaults filled in for any not given."""
        return {o.name: given.get(o.name, o.default) for o in cls.options}

    def check(self, ctx: pmkit.ExportContext) -> Iterator[pmkit.Issue]:
        """Every question left out (warning) and anything that stops the export (error)."""
        _, issues = plan(ctx.course, ctx.options)
        yield from issues

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write the Aiken file: UTF-8 without a byte-order mark, LF line ends."""
        questions, issues = plan(ctx.course, ctx.options)
        errors = [i for i in issues if i.severity == "error"]
        if errors:
            raise pmkit.ExportError("; ".join(i.format() for i in errors))
        letters = self.resolve(ctx.options)["letters"]
        target.write_bytes(render(questions, letters).encode("utf-8"))


@pmkit.hookimpl
def register_exporters(register: Any) -> None:
    """Register the Aiken exporter (``pmkit export --format aiken``)."""
    register(AikenExporter)
