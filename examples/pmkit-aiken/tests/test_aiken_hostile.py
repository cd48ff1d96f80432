"""Hostile content: markup, line breaks, lines Moodle would misread, odd characters.

Every course here is a copy of the sample course (in a temporary folder)
whose knowledge check is replaced, so pmkit validates it like real content.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

MARKUP = '<b>bold</b> & <script>alert("x")</script> &amp; <!-- c --> ]]> {=~#:}'


def test_markup_is_written_as_is_and_moodle_shows_it_as_text(
    course_with: Callable, make_single: Callable, export: Callable, moodle_reader: Callable
) -> None:
    course = course_with(make_single("q", f"Which? {MARKUP}", MARKUP, "<i>plain</i>"))
    data = export(course).data
    assert data.decode("utf-8").splitlines() == [
        f"Which? {MARKUP}",
        f"A. {MARKUP}",
        "B. <i>plain</i>",
        "ANSWER: A",
    ]
    (question,), errors = moodle_reader(data)
    assert errors == []
    # Moodle escapes on import, so the learner sees exactly what the author wrote ...
    assert question.shown == (f"Which? {MARKUP}", [MARKUP, "<i>plain</i>"], 0)
    # ... and no tag reaches the page as HTML.
    assert "<" not in question.questiontext + "".join(question.answers)
    assert "&amp;amp;" in question.answers[0]


@pytest.mark.parametrize(
    "prompt",
    [
        "U.S. law requires which filing?",  # a letter and a dot: Moodle sees an option
        "A) or B): which one?",
        "I.Roman numeral without a space",
        "ANSWER: is this the question?",
        "?",  # shorter than 2 characters: Moodle skips it
        "  \n  X  \n ",  # the same after flattening
    ],
)
def test_prompts_moodle_would_misread_are_left_out_with_a_warning(
    prompt: str,
    course_with: Callable,
    make_single: Callable,
    export: Callable,
    moodle_reader: Callable,
) -> None:
    course = course_with(
        make_single("bad", prompt, "yes", "no"),
        make_single("good", "A fine question?", "yes", "no"),
    )
    result = export(course)
    assert result.codes() == ["aiken-misread"]
    issue = result.issues[0]
    bad = course.knowledge_check.questions[0]
    assert issue.severity == "warning" and "bad" in issue.message
    assert (issue.file, issue.line, issue.column) == (
        bad.source.file,
        bad.source.line,
        bad.source.column,
    )
    questions, errors = moodle_reader(result.data)
    assert errors == [] and [q.shown[0] for q in questions] == ["A fine question?"]


@pytest.mark.parametrize(
    "prompt",
    [
        "a) lower-case letters are not options",
        "AB. two letters are not an option",
        "1. digits are not options",
        "\u00c4) a non-ASCII capital is not an option",
        "\u00a0A. a leading no-break space survives Moodle's trim",
        "é",  # one character, but 2 bytes: Moodle keeps it
        "Answer: only the upper-case ANSWER: counts",
    ],
)
def test_prompts_moodle_reads_as_questions_are_kept(
    prompt: str,
    course_with: Callable,
    make_single: Callable,
    export: Callable,
    moodle_reader: Callable,
) -> None:
    result = export(course_with(make_single("q", prompt, "yes", "no")))
    assert result.issues == []
    (question,), errors = moodle_reader(result.data)
    assert errors == [] and question.shown == (prompt, ["yes", "no"], 0)


def test_options_that_look_like_aiken_syntax_are_safe(
    course_with: Callable, make_single: Callable, export: Callable, moodle_reader: Callable
) -> None:
    texts = ["ANSWER: B", "B) not a label", "C.", "\n\nD. after blank lines"]
    result = export(course_with(make_single("q", "Pick one.", *texts, right=2)))
    assert result.issues == []
    (question,), errors = moodle_reader(result.data)
    assert errors == []
    assert question.shown == (
        "Pick one.",
        ["ANSWER: B", "B) not a label", "C.", "D. after blank lines"],
        2,
    )


@pytest.mark.parametrize("blank", ["   ", "\n\n", "\t", "\u2028"])
def test_an_option_without_visible_text_leaves_the_question_out(
    blank: str, course_with: Callable, make_single: Callable, export: Callable
) -> None:
    course = course_with(
        make_single("q", "Pick one.", "fine", blank), make_single("ok", "Another?", "yes", "no")
    )
    result = export(course)
    assert result.codes() == ["aiken-empty-option"]
    option = course.knowledge_check.questions[0].options[1]
    assert (result.issues[0].line, result.issues[0].column) == (
        option.source.line,
        option.source.column,
    )
    assert "Pick one." not in result.text


def test_line_breaks_of_every_kind_never_split_a_line(
    course_with: Callable, make_single: Callable, export: Callable, moodle_reader: Callable
) -> None:
    # Every line break content can hold: pmkit refuses CR, NEL, VT, FF and the
    # other control characters when it validates (issue 12).
    breaks = "a\nb\n\nc\u2028d\u2029e"
    result = export(course_with(make_single("q", f"Q {breaks}", f"x {breaks}", "y")))
    lines = result.data.split(b"\n")
    assert lines == [b"Q a b c d e", b"A. x a b c d e", b"B. y", b"ANSWER: A", b""]
    assert result.text.splitlines() == [line.decode() for line in lines[:-1]]
    assert moodle_reader(result.data)[1] == []


def test_unicode_survives_as_utf8(
    course_with: Callable, make_single: Callable, export: Callable, moodle_reader: Callable
) -> None:
    prompt = "Quelle réponse ? 日本語 🎉 עברית \u202eRTL\u202c"
    result = export(course_with(make_single("q", prompt, "Ça", "Ğ")))
    assert not result.data.startswith(b"\xef\xbb\xbf")
    (question,), _ = moodle_reader(result.data)
    assert question.shown == (prompt, ["Ça", "Ğ"], 0)


def test_a_very_long_prompt_stays_one_line(
    course_with: Callable, make_single: Callable, export: Callable
) -> None:
    prompt = "word " * 3999 + "end?\n"
    result = export(course_with(make_single("q", prompt, "yes", "no")))
    first = result.text.split("\n")[0]
    assert first == prompt.strip() and len(first) == 19_999
