"""The Aiken text itself: exact output, options, skipped questions, errors."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

import pmkit
from pmkit.testing import sample_course_path
from pmkit_aiken import AikenExporter, flatten

SAMPLE_AIKEN = """\
Who is the Alpha track for?
A. People who like the first letter of the alphabet
B. People who like to test things twice
ANSWER: A

The Beta PM runs beta programmes.
A. True
B. False
ANSWER: A
"""


@pytest.fixture
def sample() -> pmkit.Course:
    return pmkit.load_course(sample_course_path()).course


def test_sample_course_gives_exactly_this(sample: pmkit.Course, export: Callable) -> None:
    result = export(sample)
    assert result.text == SAMPLE_AIKEN
    assert result.data == SAMPLE_AIKEN.encode("utf-8")  # UTF-8, LF, no byte-order mark


def test_file_name_and_identity(sample: pmkit.Course, tmp_path: Path) -> None:
    ctx = pmkit.ExportContext(course=sample, options={}, source_date_epoch=0, content_dir=tmp_path)
    assert AikenExporter().filename(ctx) == "sample-course-aiken.txt"
    assert (AikenExporter.name, AikenExporter.kind, AikenExporter.suffix) == (
        "aiken",
        "text",
        ".txt",
    )


def test_questions_aiken_cannot_express_are_warnings_at_their_source(
    sample: pmkit.Course, export: Callable
) -> None:
    result = export(sample)
    by_id = {q.id: q for q in sample.knowledge_check.questions}
    left_out = {
        "kc-multiple": "multiple-answer",
        "kc-matching": "matching",
        "kc-ordering": "ordering",
    }
    assert [i.severity for i in result.issues] == ["warning"] * 3
    for issue, (qid, kind) in zip(result.issues, left_out.items(), strict=True):
        source = by_id[qid].source
        assert (issue.file, issue.line, issue.column) == (source.file, source.line, source.column)
        assert issue.code == "aiken-unsupported"
        assert qid in issue.message and kind in issue.message
        assert qid not in result.text


def test_paren_letters(sample: pmkit.Course, export: Callable) -> None:
    text = export(sample, letters="paren").text
    assert text == SAMPLE_AIKEN.replace("A. ", "A) ").replace("B. ", "B) ")


def test_true_false_can_be_skipped_without_a_warning(
    sample: pmkit.Course, export: Callable
) -> None:
    result = export(sample, true_false="skip")
    assert result.text == SAMPLE_AIKEN.split("\n\n")[0] + "\n"
    assert "kc-true-false" not in " ".join(i.message for i in result.issues)


def test_true_false_labels_and_a_false_answer(course_with: Callable, export: Callable) -> None:
    course = course_with(
        {
            "id": "tf",
            "type": "true-false",
            "prompt": "Die Erde ist flach.",
            "explanation": "Nein.",
            "answer": False,
        }
    )
    text = export(course, true_label="Wahr", false_label="Falsch").text
    assert text == "Die Erde ist flach.\nA. Wahr\nB. Falsch\nANSWER: B\n"


def test_labels_are_flattened_too(course_with: Callable, export: Callable) -> None:
    course = course_with(
        {"id": "tf", "type": "true-false", "prompt": "Sure?", "explanation": "Yes.", "answer": True}
    )
    text = export(course, true_label=" Yes,\nreally ", false_label="No\r\nway").text
    assert text == "Sure?\nA. Yes, really\nB. No way\nANSWER: A\n"


def test_the_right_answer_letter_follows_the_model(
    course_with: Callable, make_single: Callable, export: Callable
) -> None:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    texts = [f"Option {n}" for n in range(26)]
    course = course_with(
        *(make_single(f"q{r}", f"Which is number {r}?", *texts, right=r) for r in (0, 1, 12, 25))
    )
    blocks = export(course).text.split("\n\n")
    assert [b.splitlines()[-1] for b in blocks] == [f"ANSWER: {letters[r]}" for r in (0, 1, 12, 25)]
    assert blocks[-1].splitlines()[26] == "Z. Option 25"


def test_multiline_texts_become_one_line(
    course_with: Callable, make_single: Callable, export: Callable
) -> None:
    course = course_with(
        make_single(
            "q",
            "First paragraph\nstill first.\n\nSecond  paragraph.\n",
            "one\ntwo",
            "  padded\t\ttabs  ",
        )
    )
    assert export(course).text == (
        "First paragraph still first. Second paragraph.\nA. one two\nB. padded tabs\nANSWER: A\n"
    )


def test_more_than_26_options_is_an_error(
    sample: pmkit.Course, export: Callable, tmp_path: Path
) -> None:
    # The content format allows 2-26 options; a course built in code can have more.
    q = sample.knowledge_check.questions[0]
    assert isinstance(q, pmkit.ChoiceQuestion)
    extra = tuple(
        dataclasses.replace(q.options[1], id=f"x{i}", text=f"Extra {i}") for i in range(25)
    )
    big = dataclasses.replace(q, options=q.options + extra)
    questions = (big, *sample.knowledge_check.questions[1:])
    course = dataclasses.replace(
        sample, knowledge_check=dataclasses.replace(sample.knowledge_check, questions=questions)
    )
    result = export(course)
    errors = [i for i in result.issues if i.severity == "error"]
    assert [e.code for e in errors] == ["aiken-too-many-options"]
    assert (errors[0].file, errors[0].line) == (q.source.file, q.source.line)
    assert "27 options" in errors[0].message
    # export() refuses too, when called without check().
    ctx = pmkit.ExportContext(course=course, options={}, source_date_epoch=0, content_dir=tmp_path)
    with pytest.raises(pmkit.ExportError, match="27 options"):
        AikenExporter().export(ctx, tmp_path / "never.txt")
    assert not (tmp_path / "never.txt").exists()


def test_nothing_to_write_is_an_error(course_with: Callable, export: Callable) -> None:
    course = course_with(
        {
            "id": "order",
            "type": "ordering",
            "prompt": "Order them.",
            "explanation": "So.",
            "items": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
            "feedback": {"correct": "Yes", "partial": "Partly", "incorrect": "No"},
        }
    )
    result = export(course)
    assert result.codes() == ["aiken-unsupported", "aiken-nothing"]
    assert result.issues[-1].severity == "error"


def test_output_is_deterministic_and_independent_of_option_order(
    sample: pmkit.Course, export: Callable
) -> None:
    first = export(sample, letters="paren", true_false="choice").data
    second = export(sample, true_false="choice", letters="paren").data
    assert first == second


@pytest.mark.parametrize(
    ("raw", "flat"),
    [
        ("a\nb", "a b"),
        ("a\r\nb\rc", "a b c"),
        ("a\n\n\nb", "a b"),
        ("a\u2028b\u2029c\x85d\x0be\x0cf", "a b c d e f"),
        ("tab\tnul\x00del\x7f", "tab nul del"),
        ("  both ends  ", "both ends"),
        ("\u00a0kept\u00a0", "\u00a0kept\u00a0"),  # Moodle's trim keeps no-break spaces too
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("<b>&amp;</b> {=~#}", "<b>&amp;</b> {=~#}"),
    ],
)
def test_flatten(raw: str, flat: str) -> None:
    assert flatten(raw) == flat


@pytest.mark.parametrize(
    "rights",
    [[True], [False, False], [True, True]],
    ids=["one-option", "no-right-option", "two-right-options"],
)
def test_a_question_built_in_code_that_is_not_single_answer_is_an_error(
    rights: list[bool], sample: pmkit.Course, export: Callable
) -> None:
    # pmkit's validation never lets these through; the exporter must not crash on them.
    q = sample.knowledge_check.questions[0]
    assert isinstance(q, pmkit.ChoiceQuestion)
    options = tuple(
        dataclasses.replace(o, correct=right) for o, right in zip(q.options, rights, strict=False)
    )
    course = dataclasses.replace(
        sample,
        knowledge_check=dataclasses.replace(
            sample.knowledge_check, questions=(dataclasses.replace(q, options=options),)
        ),
    )
    result = export(course)
    assert result.codes() == ["aiken-not-single-answer"]
    assert result.issues[0].severity == "error" and result.data == b""
