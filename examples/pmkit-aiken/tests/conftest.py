"""Test set-up: pmkit's opt-in test helpers, and fixtures shared by the Aiken tests.

pytest accepts ``pytest_plugins`` only in the root conftest, so keep this file
directly in ``tests/`` and run the tests from the project folder.

The fixtures work on copies of pmkit's sample course in a temporary folder,
so the tests depend on nothing but an installed pmkit and this plugin.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import pmkit
from pmkit_aiken import AikenExporter

pytest_plugins = ["pmkit.testing"]

#: Any fixed time: the Aiken format has no timestamps.
EPOCH = 315532800


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    """A private copy of pmkit's sample course (edit it freely)."""
    # Imported here: pytest must import pmkit.testing itself (as a plugin) first.
    from pmkit.testing import sample_course_path

    target = tmp_path / "course"
    shutil.copytree(sample_course_path(), target)
    return target


def _write_questions(folder: Path, questions: Sequence[Mapping[str, Any]]) -> pmkit.Course:
    # JSON is YAML. json.dumps escapes control characters (\n, \t ...); escape the
    # characters YAML would read as line breaks or refuse raw the same way, and keep
    # the rest (emoji included: YAML has no surrogate-pair escapes) as UTF-8.
    body = {"kind": "knowledge-check", "title": "Knowledge Check", "questions": list(questions)}
    text = re.sub(
        r"[\x7f-\x9f\u2028\u2029\ufeff]",
        lambda c: f"\\u{ord(c.group()):04x}",
        json.dumps(body, indent=2, ensure_ascii=False),
    )
    (folder / "knowledge-check.yaml").write_text(text, encoding="utf-8")
    return pmkit.load_course(folder).course


@pytest.fixture
def course_with(course_dir: Path) -> Callable[..., pmkit.Course]:
    """``course_with(*questions)``: the sample course with only these knowledge-check questions."""
    return lambda *questions: _write_questions(course_dir, questions)


def single(qid: str, prompt: str, *texts: str, right: int = 0) -> dict[str, Any]:
    """A single-answer question as the content format writes it."""
    return {
        "id": qid,
        "type": "single",
        "prompt": prompt,
        "explanation": "Because.",
        "options": [{"id": f"o{i}", "text": t, "correct": i == right} for i, t in enumerate(texts)],
    }


@pytest.fixture
def make_single() -> Callable[..., dict[str, Any]]:
    """The :func:`single` question builder, as a fixture."""
    return single


@dataclass
class Exported:
    """One export run: the bytes written, the text, and what ``check`` reported."""

    data: bytes
    issues: list[pmkit.Issue] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")

    def codes(self, severity: str | None = None) -> list[str]:
        return [i.code for i in self.issues if severity in (None, i.severity)]


def run_export(course: pmkit.Course, tmp: Path, **options: Any) -> Exported:
    """Check, then export, as pmkit does (an error in ``check`` stops before writing)."""
    ctx = pmkit.ExportContext(
        course=course,
        options=AikenExporter.resolve(options),
        source_date_epoch=EPOCH,
        content_dir=tmp,
    )
    exporter = AikenExporter()
    issues = list(exporter.check(ctx))
    if any(i.severity == "error" for i in issues):
        return Exported(b"", issues)
    target = tmp / exporter.filename(ctx)
    exporter.export(ctx, target)
    return Exported(target.read_bytes(), issues)


@pytest.fixture
def export(tmp_path: Path) -> Callable[..., Exported]:
    """``export(course, **options)`` -> :class:`Exported`."""
    out = tmp_path / "out"
    out.mkdir()
    return lambda course, **options: run_export(course, out, **options)


# --- A reader that follows Moodle's Aiken importer (qformat_aiken::readquestions) ---------


@dataclass
class MoodleQuestion:
    """A question as Moodle would store it: HTML text, escaped by Moodle itself."""

    questiontext: str
    answers: list[str]
    right: int | None = None

    @property
    def shown(self) -> tuple[str, list[str], int | None]:
        """What a learner sees: the HTML decoded back to text."""
        return (
            html.unescape(self.questiontext),
            [html.unescape(a) for a in self.answers],
            self.right,
        )


def _htmlspecialchars(text: str) -> str:
    # PHP htmlspecialchars(..., ENT_NOQUOTES): &, < and > only.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def read_aiken(data: bytes) -> tuple[list[MoodleQuestion], list[str]]:
    """Parse an Aiken file the way Moodle does; return the questions and every import error.

    Moodle's rules: the file must be UTF-8 (a leading byte-order mark is
    dropped); lines end at LF and also at CR; each line is trimmed of
    `` \\t\\n\\r\\0\\x0B`` and skipped when shorter than 2 bytes; a line matching
    ``^[A-Z][).][ \\t]?`` is an option (its text: everything after the first
    2 characters, trimmed); a line starting ``ANSWER:`` ends the question
    (the first letter after the colon is the right option; fewer than 2
    options is an error); any other line starts a question (discarding an
    unfinished one, an error). A question still open at the end is lost.
    Texts are escaped with ``htmlspecialchars`` and stored as HTML.
    """
    text = data.decode("utf-8")  # Moodle refuses a file that is not UTF-8
    text = text.removeprefix("\ufeff")
    lines = [part for line in text.split("\n") for part in line.split("\r")]
    questions: list[MoodleQuestion] = []
    errors: list[str] = []
    current: MoodleQuestion | None = None
    for number, raw in enumerate(lines, 1):
        line = raw.strip(" \t\n\r\0\x0b")
        if len(line.encode("utf-8")) < 2:
            continue
        if re.match(r"[A-Z][).][ \t]?", line):
            if current is None:
                errors.append(f"line {number}: question not started")
                continue
            current.answers.append(_htmlspecialchars(line[2:].strip(" \t\n\r\0\x0b")))
        elif line.startswith("ANSWER:"):
            if current is None:
                errors.append(f"line {number}: question not started")
                continue
            letter = line.partition(":")[2].strip(" \t\n\r\0\x0b")[:1]
            if len(current.answers) < 2:
                errors.append(f"line {number}: question must have at least 2 answers")
            elif not letter or not 0 <= ord(letter) - ord("A") < len(current.answers):
                errors.append(f"line {number}: ANSWER {letter!r} names no option")
            else:
                current.right = ord(letter) - ord("A")
                questions.append(current)
            current = None
        else:
            if current is not None:
                errors.append(f"line {number}: question not completed before the next one")
            current = MoodleQuestion(_htmlspecialchars(line), [])
    if current is not None:
        errors.append("end of file: the last question has no ANSWER line and is lost")
    return questions, errors


@pytest.fixture
def moodle_reader() -> Callable[[bytes], tuple[list[MoodleQuestion], list[str]]]:
    """:func:`read_aiken`, as a fixture."""
    return read_aiken


def expected_questions(
    course: pmkit.Course, true_label: str = "True", false_label: str = "False"
) -> list[tuple[str, list[str], int]]:
    """What the file must hold, from the model: (prompt, options, right index) per question
    Aiken can express, for a course whose texts are already one line each."""
    out = []
    for q in course.knowledge_check.questions:
        if isinstance(q, pmkit.ChoiceQuestion) and q.type == "single":
            right = next(i for i, o in enumerate(q.options) if o.correct)
            out.append((q.prompt, [o.text for o in q.options], right))
        elif isinstance(q, pmkit.TrueFalseQuestion):
            out.append((q.prompt, [true_label, false_label], 0 if q.answer else 1))
    return out


@pytest.fixture
def expected() -> Callable[..., list[tuple[str, list[str], int]]]:
    """:func:`expected_questions`, as a fixture."""
    return expected_questions
