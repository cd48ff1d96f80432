"""The GIFT exporter: the Moodle question bank as Moodle's GIFT text format.

``pmkit export --format gift`` → ``exports/<course-id>-gift.txt``. It renders
the same :class:`~pmkit_builtins.moodle.bank.Bank` as the Moodle XML exporter
(categories, names, snapped fractions, feedback), so the two formats agree.

How Moodle's GIFT importer reads what is written here (``question/format/
gift/format.php``, ``qformat_gift``), and why the output looks as it does:

* Texts are HTML (``[html]`` before the question text; answers and feedback
  default to the question text's format). Content is plain text, so it is
  HTML-escaped first (``<b>`` is shown, never interpreted), paragraphs become
  ``<p>`` and single newlines ``<br>``; then the GIFT special characters
  ``~ = # { } :`` and the backslash are escaped with a backslash, and any
  newline left is written ``\\n`` (docs/decisions.md §31), so every question keeps its
  own lines and a blank line only ever separates questions.
* An answer that would start with ``[`` (Moodle would read ``[plain]`` there
  as a format) or ``%`` (a weight) starts with a character reference instead.
* Multiple choice: Moodle makes a question single-answer exactly when an
  ``=`` answer is present, and multiple choice at all only when a ``~`` is
  present. Single answer: the first 100 % answer is ``=``, others ``~`` or
  ``~%n%``. Multiple answer: every answer ``~%n%``. The ungraded reflection
  questions accept every answer at 100 %, written ``=first ~%100%other…``: a
  single-answer question, which Moodle's editor can open and save (all ``~%100%``
  would make a multiple-answer question whose grades add up to more than 100 %).
* True/false: ``{TRUE#feedback if wrong#feedback if right}`` (``FALSE`` likewise):
  Moodle's ``split_truefalse_comment`` reads the first feedback as the one for a
  wrong answer and the second for a right one.
* Matching: ``=prompt -> answer``; a distractor (an answer that matches no
  prompt) is a pair with an empty prompt, ``= -> answer``, which Moodle's
  importer keeps as an extra wrong choice (its own GIFT exporter writes them so).
  Match answers are shown by Moodle through ``format_string`` as HTML, so they
  are HTML-escaped too.
* ``// [id:…] [tag:…]`` before a question sets its idnumber and tags.
* Category paths are written as they are (Moodle reads the rest of the
  ``$CATEGORY:`` line verbatim, with only ``\\\\`` unescaped).

GIFT cannot express ordering questions (left out, with a warning naming each),
combined feedback (Moodle imports it blank; a warning names each matching
question that loses some) or a default mark (the ungraded reflection questions
import with mark 1; one warning says so).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pmkit
from pmkit_builtins.moodle.bank import Answer, Bank, Question, build_bank
from pmkit_builtins.moodle.fractions import percent

#: The characters GIFT gives a meaning to; each is written with a backslash before it.
SPECIAL = frozenset("\\~=#{}:")
#: Characters an answer must not start with, as HTML character references.
GUARDED_START = {"[": "&#91;", "%": "&#37;"}
#: Why ordering questions are left out (the bank's warning names each one).
SKIP_REASON = "GIFT has no ordering questions (--format moodle exports them, for Moodle 4.4+)"


def gift_escape(text: str) -> str:
    """Escape ``~ = # { } :`` and ``\\`` with a backslash; newlines become ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    escaped = "".join("\\" + c if c in SPECIAL else c for c in text)
    return escaped.replace("\n", "\\n")


def _paragraphs(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n")


def _line(paragraph: str) -> str:
    return html.escape(paragraph, quote=False).replace("\n", "<br>")


def html_block(text: str) -> str:
    """Plain content text as HTML: each paragraph in ``<p>``, single newlines ``<br>``."""
    return "".join(f"<p>{_line(p)}</p>" for p in _paragraphs(text))


def html_inline(text: str) -> str:
    """A short text (an answer, a prompt) as HTML: no ``<p>`` unless it has paragraphs.

    A leading ``[`` or ``%`` is written as a character reference, so Moodle
    reads neither a format (``[plain]``) nor a weight (``%50%``) there.
    """
    paragraphs = _paragraphs(text)
    out = _line(paragraphs[0]) if len(paragraphs) == 1 else html_block(text)
    if out[:1] in GUARDED_START:
        out = GUARDED_START[out[0]] + out[1:]
    return out


def category_line(path: str) -> str:
    """``$CATEGORY: path``; Moodle reads the path verbatim except ``\\\\`` → ``\\``."""
    return "$CATEGORY: " + " ".join(path.split()).replace("\\", "\\\\")


def _feedback(text: str | None) -> str:
    return "#" + gift_escape(html_block(text)) if text else ""


def _token(kind: str, value: str) -> str:
    """``[id:…]`` or ``[tag:…]`` the way Moodle writes them (``]`` escaped)."""
    return "[" + kind + ":" + value.replace("]", "\\]") + "]"


def _comment(q: Question) -> str:
    return "// " + " ".join([_token("id", q.id), *(_token("tag", t) for t in q.tags)])


def _choice_lines(q: Question) -> list[str]:
    lines = []
    equals_used = False
    for a in q.answers:
        if q.single and a.fraction == 1 and not equals_used:
            mark, equals_used = "=", True
        elif q.single and a.fraction == 0:
            mark = "~"
        else:
            mark = f"~%{percent(a.fraction)}%"
        lines.append(f"\t{mark}{gift_escape(html_inline(a.text))}{_feedback(a.feedback)}")
    return lines


def _truefalse_lines(q: Question) -> list[str]:
    by_text: dict[str, Answer] = {a.text: a for a in q.answers}
    right_is_true = by_text["true"].fraction == 1
    right, wrong = (
        (by_text["true"], by_text["false"])
        if right_is_true
        else (by_text["false"], by_text["true"])
    )
    lines = ["\tTRUE" if right_is_true else "\tFALSE"]
    if wrong.feedback or right.feedback:
        lines.append("\t" + (_feedback(wrong.feedback) or "#"))
    if right.feedback:
        lines.append("\t" + _feedback(right.feedback))
    return lines


def _matching_lines(q: Question) -> list[str]:
    lines = []
    for prompt, answer in q.pairs:
        left = gift_escape(html_inline(prompt)) + " " if prompt else " "
        lines.append(f"\t={left}-> {gift_escape(html.escape(answer, quote=False))}")
    return lines


def render_question(q: Question) -> str:
    """One question: its id/tags comment, name, text and answer block."""
    if q.qtype == "multichoice":
        body = _choice_lines(q)
    elif q.qtype == "truefalse":
        body = _truefalse_lines(q)
    elif q.qtype == "matching":
        body = _matching_lines(q)
    else:  # the bank leaves ordering out when asked; anything else is a bug here
        raise ValueError(f"GIFT cannot write a {q.qtype} question ({q.id})")
    if q.general_feedback:
        body.append("\t####" + gift_escape(html_block(q.general_feedback)))
    head = f"::{gift_escape(q.name)}::[html]{gift_escape(html_block(q.text))}{{"
    return "\n".join([_comment(q), head, *body, "}"]) + "\n"


def render(course: pmkit.Course, bank: Bank) -> str:
    """The whole GIFT file: a header comment, then each category and its questions."""
    title = " ".join(course.title.split())
    parts = [
        f"// {title}, version {course.version}: question bank in Moodle's GIFT format\n"
        "// generated by pmkit; import it in Moodle: Question bank > Import > GIFT format\n"
    ]
    for category in bank.categories:
        parts.append(category_line(category.path) + "\n")
        parts.extend(render_question(q) for q in category.questions)
    return "\n".join(parts)


class GiftExporter(pmkit.Exporter):
    """``pmkit export --format gift`` → ``exports/<course-id>-gift.txt``."""

    name = "gift"
    title = "Moodle question bank in GIFT text format (no ordering questions)"
    kind = "text"
    suffix = ".txt"
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option(
            "scorer",
            "string",
            None,
            "grade scorer whose answer fractions the questions carry (default: the course's)",
            pattern=r"(?s).*\S.*",
        ),
        pmkit.Option(
            "category",
            "string",
            None,
            "root category path (default: $course$/top/<course title>); `/` "
            "separates levels, `//` is a literal `/`",
            pattern=r"(?s).*\S.*",
        ),
    )

    def __init__(self) -> None:
        self._bank: Bank | None = None

    def bank(self, ctx: pmkit.ExportContext) -> Bank:
        """The question bank for these options (built once per run)."""
        if self._bank is None:
            scorer = ctx.scorer("grade", ctx.options["scorer"])
            self._bank = build_bank(
                ctx.course,
                scorer,
                scorer_options=ctx.scorer_options(scorer.name),
                root=ctx.options["category"],
                ordering="skip",
                skip_reason=SKIP_REASON,
            )
        return self._bank

    def check(self, ctx: pmkit.ExportContext) -> Iterator[pmkit.Issue]:
        """The bank's problems (errors stop the export) and what GIFT cannot carry."""
        course, src = ctx.course, ctx.course.source
        root = ctx.options["category"]
        if root is not None and ("\n" in root or "\r" in root):
            yield pmkit.Issue(
                src.file,
                src.line,
                src.column,
                "option gift.category: a category path is one line",
                code="gift",
            )
            return
        bank = self.bank(ctx)
        yield from bank.issues
        for q in bank.questions:
            feedback = q.combined
            if (
                q.qtype == "matching"
                and feedback
                and any((feedback.correct, feedback.partial, feedback.incorrect))
            ):
                yield pmkit.Issue(
                    q.source.file,
                    q.source.line,
                    q.source.column,
                    f"question `{q.id}` (matching): GIFT has no combined feedback, "
                    "so its correct, partly correct and incorrect feedback is left "
                    "out (--format moodle keeps it)",
                    "warning",
                    "gift",
                )
        ungraded = [q for q in bank.questions if q.default_grade == 0]
        if ungraded:
            where = course.self_discovery.source
            yield pmkit.Issue(
                where.file,
                where.line,
                where.column,
                f"GIFT cannot set a default mark: the {len(ungraded)} ungraded "
                "self-discovery and starting-point questions import with mark 1 "
                "(every answer earns it); set their mark to 0 in Moodle, or use "
                "--format moodle",
                "warning",
                "gift",
            )

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write the GIFT file (UTF-8, ``\\n`` line ends)."""
        bank = self.bank(ctx)
        errors = [i for i in bank.issues if i.severity == "error"]
        if errors:
            raise pmkit.ExportError(
                "the GIFT export has errors; run `pmkit export --check --format gift`", errors
            )
        target.write_bytes(render(ctx.course, bank).encode("utf-8"))
