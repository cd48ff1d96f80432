"""Read the output back the way Moodle's importer does and compare it with the model."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import pmkit
from pmkit.testing import sample_course_path


def _bundled_content() -> Path | None:
    """pmkit's bundled course, when these tests run inside pmkit's repository.

    ``PMKIT_BUNDLED_CONTENT`` names the folder elsewhere; without either the
    test is skipped (the plugin itself never depends on where pmkit lives).
    """
    named = os.environ.get("PMKIT_BUNDLED_CONTENT")
    folder = Path(named) if named else Path(__file__).resolve().parents[3] / "content"
    return folder if (folder / "course.yaml").is_file() else None


def _courses() -> list:
    bundled = _bundled_content()
    return [
        pytest.param(sample_course_path(), id="sample-course"),
        pytest.param(
            bundled,
            id="bundled-course",
            marks=pytest.mark.skipif(bundled is None, reason="pmkit's bundled course is not here"),
        ),
    ]


@pytest.mark.parametrize("folder", _courses())
@pytest.mark.parametrize("letters", ["dot", "paren"])
def test_moodle_reads_back_every_expressible_question(
    folder: Path, letters: str, export: Callable, moodle_reader: Callable, expected: Callable
) -> None:
    course = pmkit.load_course(folder).course
    result = export(course, letters=letters)
    questions, errors = moodle_reader(result.data)
    assert errors == []
    assert [q.shown for q in questions] == expected(course)
    # Every question the file leaves out has its warning, and only those.
    written = len(expected(course))
    assert len(course.knowledge_check.questions) - written == len(result.issues)


def test_the_bundled_course_keeps_its_single_and_true_false_questions(
    export: Callable, moodle_reader: Callable
) -> None:
    folder = _bundled_content()
    if folder is None:
        pytest.skip("pmkit's bundled course is not here")
    course = pmkit.load_course(folder).course
    kinds = [q.type for q in course.knowledge_check.questions]
    questions, _ = moodle_reader(export(course).data)
    assert len(questions) == kinds.count("single") + kinds.count("true-false") > 0
    assert all(len(q.answers) >= 2 and q.right is not None for q in questions)


def test_the_reader_catches_what_moodle_rejects(moodle_reader: Callable) -> None:
    # The reader is only worth trusting if it fails where Moodle fails.
    broken = (
        b"Only one answer\nA) yes\nANSWER: A\n\n"
        b"A) no question\n\n"
        b"Unfinished\nA) a\nB) b\n\n"
        b"Last without answer\nA) a\nB) b\n"
    )
    questions, errors = moodle_reader(broken)
    assert questions == []
    assert len(errors) == 4
    with pytest.raises(UnicodeDecodeError):
        moodle_reader("caf\u00e9?\nA) oui\nB) non\nANSWER: A\n".encode("latin-1"))


def test_warned_questions_are_really_absent(
    course_dir: Path, export: Callable, moodle_reader: Callable
) -> None:
    course = pmkit.load_course(course_dir).course
    result = export(course)
    left_out = {i.message.split()[1] for i in result.issues}
    prompts = {q.shown[0] for q in moodle_reader(result.data)[0]}
    for q in course.knowledge_check.questions:
        assert (q.id in left_out) == (q.prompt not in prompts)
        assert (q.id in left_out) == (
            not isinstance(q, pmkit.TrueFalseQuestion) and q.type != "single"
        )
