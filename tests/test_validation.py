"""The broken-content corpus: every way content can be wrong is reported in the author's terms.

Each case copies the sample course (pmkit/data/sample-course), breaks it
with one small edit and checks that :func:`pmkit.content.load.load_course`
raises :class:`~pmkit.errors.ContentError` with an issue at the right file,
line (and column) carrying the right message. Line numbers refer to the
sample course's files as they are in pmkit/data/sample-course.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit.errors import ContentError
from pmkit.issues import Issue

Edit = Callable[[Path], None]


# ---------------------------------------------------------------- edits


def replace(file: str, old: str, new: str, count: int = 1) -> Edit:
    """Replace ``old`` (which must occur exactly ``count`` times) in ``file``."""

    def edit(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {file}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return edit


def append(file: str, text: str) -> Edit:
    """Add ``text`` at the end of ``file``."""

    def edit(root: Path) -> None:
        with (root / file).open("a", encoding="utf-8") as f:
            f.write(text)

    return edit


def write(file: str, content: str | bytes) -> Edit:
    """Create or overwrite ``file``."""

    def edit(root: Path) -> None:
        path = root / file
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return edit


def delete(file: str) -> Edit:
    """Remove ``file``."""

    def edit(root: Path) -> None:
        (root / file).unlink()

    return edit


def copy(source: str, target: str) -> Edit:
    """Copy ``source`` to ``target`` inside the course."""

    def edit(root: Path) -> None:
        shutil.copyfile(root / source, root / target)

    return edit


def move_outside_and_link(file: str) -> Edit:
    """Move ``file`` out of the content folder and leave a symlink to it in its place."""

    def edit(root: Path) -> None:
        outside = root.parent / f"outside-{Path(file).name}"
        shutil.move(root / file, outside)
        os.symlink(outside, root / file)

    return edit


def include(path: str) -> Edit:
    """List one more file at the end of course.yaml's ``include``."""
    return append("course.yaml", f"  - {path}\n")


def many_options(n: int) -> str:
    return "".join(
        f"      - id: extra-{i}\n        text: Extra option {i}\n        correct: false\n"
        for i in range(n)
    )


ORPHAN_NODE = """\
  - id: orphan
    prompt: Nobody gets here.
    options:
      - id: a
        track: alpha-pm
      - id: b
        track: beta-pm
"""

SINGLE_FEEDBACK = "        correct: true\n        feedback: Right.\n"
SINGLE_WRONG = "        correct: false\n        feedback: That is the Beta track.\n"


# ---------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Case:
    """One broken course: the edits and the issue they must produce."""

    id: str
    edits: Sequence[Edit]
    file: str
    line: int
    column: int | None
    message: str


CASES: list[Case] = [
    # ---- schema: fields and types
    Case(
        "unknown-field-did-you-mean",
        [replace("tracks/alpha.yaml", "short_title:", "shortt_title:")],
        "tracks/alpha.yaml",
        5,
        1,
        "unknown field `shortt_title`; did you mean `short_title`?",
    ),
    Case(
        "unknown-nested-field-did-you-mean",
        [replace("tracks/alpha.yaml", "    url:", "    ulr:")],
        "tracks/alpha.yaml",
        20,
        5,
        "unknown field `ulr`; did you mean `url`?",
    ),
    Case(
        "missing-required-field",
        [replace("tracks/beta.yaml", "perfect_for: People who like to test things twice\n", "")],
        "tracks/beta.yaml",
        2,
        1,
        "missing required field `perfect_for`",
    ),
    Case(
        "missing-required-nested-field",
        [replace("course.yaml", "  disclaimer: This content is made up for tests only.\n", "")],
        "course.yaml",
        18,
        3,
        "missing required field `disclaimer`",
    ),
    Case(
        "number-where-text-expected",
        [replace("course.yaml", "title: Sample Course", "title: 42")],
        "course.yaml",
        7,
        8,
        "`title` must be text, not the number 42 (quote it)",
    ),
    Case(
        "unquoted-version-is-a-number",
        [replace("course.yaml", 'version: "1.0.0"', "version: 1.0")],
        "course.yaml",
        8,
        10,
        "`version` must be text, not the number 1.0 (quote it)",
    ),
    Case(
        "list-where-mapping-expected",
        [
            replace(
                "course.yaml",
                "\n  publisher: pmkit\n  title: The pmkit sample course\n"
                "  disclaimer: This content is made up for tests only.\n",
                " [pmkit]\n",
            )
        ],
        "course.yaml",
        17,
        9,
        "`source` must be a mapping, not a list",
    ),
    Case(
        "bad-id-pattern",
        [replace("tracks/alpha.yaml", "id: alpha-pm", "id: Alpha_PM")],
        "tracks/alpha.yaml",
        3,
        5,
        "'Alpha_PM' is not a valid id",
    ),
    Case(
        "id-too-long",
        [replace("course.yaml", "id: sample-course", "id: " + "x" * 65)],
        "course.yaml",
        6,
        5,
        "is not a valid id",
    ),
    Case(
        "bad-semver",
        [replace("course.yaml", 'version: "1.0.0"', 'version: "1.0"')],
        "course.yaml",
        8,
        10,
        "'1.0' is not a semantic version",
    ),
    Case(
        "bad-language-tag",
        [replace("course.yaml", "language: en", "language: english_US")],
        "course.yaml",
        9,
        11,
        "is not a BCP 47 language tag",
    ),
    Case(
        "mastery-out-of-range",
        [replace("course.yaml", "mastery: 80", "mastery: 120")],
        "course.yaml",
        21,
        10,
        "`mastery` is 120; it must be at most 100",
    ),
    Case(
        "mastery-negative",
        [replace("course.yaml", "mastery: 80", "mastery: -1")],
        "course.yaml",
        21,
        10,
        "`mastery` is -1; it must be at least 0",
    ),
    Case(
        "points-out-of-range",
        [replace("self-discovery.yaml", "points: {alpha-pm: 2}", "points: {alpha-pm: 6}")],
        "self-discovery.yaml",
        11,
        28,
        "`alpha-pm` is 6; it must be at most 5",
    ),
    Case(
        "boolean-as-points",
        [replace("self-discovery.yaml", "points: {alpha-pm: 2}", "points: {alpha-pm: true}")],
        "self-discovery.yaml",
        11,
        28,
        "`alpha-pm` must be a whole number, not the boolean true",
    ),
    Case(
        "non-https-course-url",
        [replace("tracks/alpha.yaml", "https://example.org", "http://example.org")],
        "tracks/alpha.yaml",
        20,
        10,
        "is not an https:// URL",
    ),
    Case(
        "too-few-progression-steps",
        [replace("tracks/alpha.yaml", "  - Alpha PM\n", "")],
        "tracks/alpha.yaml",
        13,
        3,
        "`progression` has 1 item; it needs at least 2",
    ),
    Case(
        "empty-text",
        [replace("guidance.yaml", "closing: Good luck.", 'closing: ""')],
        "guidance.yaml",
        33,
        10,
        "`closing` must not be empty",
    ),
    Case(
        "null-value",
        [replace("guidance.yaml", "closing: Good luck.", "closing:")],
        "guidance.yaml",
        33,
        None,
        "`closing`",
    ),
    Case(
        "unknown-question-type-suggests-types",
        [replace("knowledge-check.yaml", "type: single", "type: singel")],
        "knowledge-check.yaml",
        7,
        11,
        "unknown question type 'singel'; use one of: single, multiple, true-false, matching",
    ),
    Case(
        "true-false-answer-not-boolean",
        [replace("knowledge-check.yaml", "    answer: true\n", "    answer: yes please\n")],
        "knowledge-check.yaml",
        38,
        13,
        "`answer` must be true or false, not text",
    ),
    Case(
        "matching-feedback-incomplete",
        [replace("knowledge-check.yaml", "      partial: Some matched.\n", "")],
        "knowledge-check.yaml",
        56,
        7,
        "missing required field `partial`",
    ),
    Case(
        "ordering-with-one-item",
        [
            replace(
                "knowledge-check.yaml",
                "      - id: beta\n        text: Beta PM\n"
                "      - id: senior\n        text: Senior Beta PM\n",
                "",
            )
        ],
        "knowledge-check.yaml",
        65,
        7,
        "`items` has 1 item; it needs at least 2",
    ),
    Case(
        "more-than-26-options",
        [replace("knowledge-check.yaml", SINGLE_WRONG, SINGLE_WRONG + many_options(25))],
        "knowledge-check.yaml",
        12,
        7,
        "`options` has 27 items; it needs at most 26",
    ),
    # ---- kind
    Case(
        "unknown-kind",
        [replace("tracks/alpha.yaml", "kind: track", "kind: trak")],
        "tracks/alpha.yaml",
        2,
        7,
        "this file has unknown kind 'trak'",
    ),
    Case(
        "missing-kind",
        [replace("tracks/alpha.yaml", "kind: track\n", "")],
        "tracks/alpha.yaml",
        2,
        1,
        "this file has no `kind`",
    ),
    Case(
        "included-file-is-a-list",
        [write("guidance.yaml", "- just\n- a list\n")],
        "guidance.yaml",
        1,
        1,
        "has no `kind`",
    ),
    # ---- include paths
    Case(
        "include-dot-dot",
        [replace("course.yaml", "  - guidance.yaml", "  - ../guidance.yaml")],
        "course.yaml",
        28,
        5,
        "`..` is not allowed",
    ),
    Case(
        "include-dot-dot-inside",
        [replace("course.yaml", "  - guidance.yaml", "  - tracks/../guidance.yaml")],
        "course.yaml",
        28,
        5,
        "`..` is not allowed",
    ),
    Case(
        "include-absolute-path",
        [replace("course.yaml", "  - guidance.yaml", "  - /etc/guidance.yaml")],
        "course.yaml",
        28,
        5,
        "use a relative path",
    ),
    Case(
        "include-backslash-path",
        [replace("course.yaml", "  - tracks/beta.yaml", "  - tracks\\beta.yaml")],
        "course.yaml",
        26,
        5,
        "use a relative path with `/`",
    ),
    Case(
        "include-symlink-outside",
        [move_outside_and_link("guidance.yaml")],
        "course.yaml",
        28,
        5,
        "leads outside the content folder",
    ),
    Case(
        "include-missing-file",
        [delete("guidance.yaml")],
        "course.yaml",
        28,
        5,
        "included file 'guidance.yaml' does not exist",
    ),
    Case(
        "include-not-yaml",
        [write("notes.txt", "kind: guidance\n"), include("notes.txt")],
        "course.yaml",
        30,
        5,
        "only .yaml/.yml files can be included",
    ),
    Case(
        "include-listed-twice",
        [include("guidance.yaml")],
        "course.yaml",
        30,
        5,
        "'guidance.yaml' is included twice (first as item 5)",
    ),
    Case(
        "include-same-file-by-another-name",
        [include("./tracks/alpha.yaml")],
        "course.yaml",
        30,
        5,
        "is included twice (first as item 2)",
    ),
    Case(
        "second-decision-tree",
        [copy("decision-tree.yaml", "decision-tree-2.yaml"), include("decision-tree-2.yaml")],
        "decision-tree-2.yaml",
        3,
        1,
        "a course has exactly one `decision-tree` file",
    ),
    Case(
        "no-knowledge-check",
        [replace("course.yaml", "  - knowledge-check.yaml\n", "")],
        "course.yaml",
        22,
        1,
        "no included file has `kind: knowledge-check`",
    ),
    Case(
        "no-tracks",
        [replace("course.yaml", "  - tracks/alpha.yaml\n  - tracks/beta.yaml\n", "")],
        "course.yaml",
        22,
        1,
        "no included file has `kind: track`",
    ),
    Case(
        "unsupported-format-version",
        [replace("course.yaml", "\npmkit: 1\n", "\npmkit: 2\n")],
        "course.yaml",
        5,
        8,
        "content format `pmkit: 2` is not supported",
    ),
    Case(
        "missing-format-version",
        [replace("course.yaml", "\npmkit: 1\n", "\n")],
        "course.yaml",
        5,
        1,
        "missing required field `pmkit`",
    ),
    # ---- ids
    Case(
        "duplicate-id-across-files",
        [replace("guidance.yaml", "- id: startups", "- id: likes-users")],
        "guidance.yaml",
        16,
        7,
        "id `likes-users` is already used at ",
    ),
    Case(
        "duplicate-track-id",
        [replace("tracks/beta.yaml", "id: beta-pm", "id: alpha-pm")],
        "tracks/beta.yaml",
        3,
        1,
        "id `alpha-pm` is already used at ",
    ),
    Case(
        "duplicate-option-id-in-question",
        [replace("knowledge-check.yaml", "- id: twice", "- id: first-letter")],
        "knowledge-check.yaml",
        16,
        9,
        "id `first-letter` appears twice in question `kc-single`",
    ),
    Case(
        "duplicate-option-id-in-tree-node",
        [replace("decision-tree.yaml", "- id: tester", "- id: builder")],
        "decision-tree.yaml",
        16,
        9,
        "id `builder` appears twice in node `background`",
    ),
    # ---- track references
    Case(
        "unknown-track-in-points",
        [replace("self-discovery.yaml", "points: {alpha-pm: 2}", "points: {gamma-pm: 2}")],
        "self-discovery.yaml",
        11,
        9,
        "unknown track `gamma-pm`; known tracks: alpha-pm, beta-pm",
    ),
    Case(
        "unknown-track-in-tree-outcome",
        [
            replace(
                "decision-tree.yaml",
                "        track: beta-pm\n        points: {beta-pm: 2}",
                "        track: gamma-pm\n        points: {beta-pm: 2}",
            )
        ],
        "decision-tree.yaml",
        31,
        9,
        "unknown track `gamma-pm`",
    ),
    Case(
        "unknown-track-in-question-tags",
        [replace("knowledge-check.yaml", "tracks: [beta-pm]", "tracks: [beta]")],
        "knowledge-check.yaml",
        63,
        5,
        "unknown track `beta`",
    ),
    Case(
        "self-discovery-points-all-zero",
        [replace("self-discovery.yaml", "{alpha-pm: 1, beta-pm: 1}", "{alpha-pm: 0, beta-pm: 0}")],
        "self-discovery.yaml",
        17,
        9,
        'a "yes" to this question gives no points',
    ),
    # ---- decision tree shape
    Case(
        "next-to-unknown-node",
        [replace("decision-tree.yaml", "next: interest", "next: interests")],
        "decision-tree.yaml",
        22,
        9,
        "`next` names unknown node `interests`",
    ),
    Case(
        "start-is-unknown-node",
        [replace("decision-tree.yaml", "start: background", "start: backgrounds")],
        "decision-tree.yaml",
        6,
        1,
        "start node `backgrounds` does not exist",
    ),
    Case(
        "option-with-next-and-track",
        [
            replace(
                "decision-tree.yaml",
                "        next: interest\n",
                "        next: interest\n        track: alpha-pm\n",
            )
        ],
        "decision-tree.yaml",
        20,
        9,
        "an option needs exactly one of `next`",
    ),
    Case(
        "option-with-neither-next-nor-track",
        [replace("decision-tree.yaml", "        next: interest\n", "")],
        "decision-tree.yaml",
        20,
        9,
        "an option needs exactly one of `next`",
    ),
    Case(
        "decision-tree-cycle",
        [
            replace(
                "decision-tree.yaml",
                "      - id: twice\n        track: beta-pm\n",
                "      - id: twice\n        label: Back\n        next: background\n",
            )
        ],
        "decision-tree.yaml",
        32,
        9,
        "`next: background` makes a cycle in the decision tree",
    ),
    Case(
        "unreachable-node",
        [append("decision-tree.yaml", ORPHAN_NODE)],
        "decision-tree.yaml",
        33,
        5,
        "node `orphan` cannot be reached from the start node",
    ),
    Case(
        "track-no-path-reaches",
        [replace("decision-tree.yaml", "track: beta-pm", "track: alpha-pm", count=2)],
        "decision-tree.yaml",
        3,
        1,
        "no path of the decision tree ends in track `beta-pm`",
    ),
    # ---- answer keys
    Case(
        "single-answer-with-no-correct-option",
        [
            replace(
                "knowledge-check.yaml",
                SINGLE_FEEDBACK,
                "        correct: false\n        feedback: Right.\n",
            )
        ],
        "knowledge-check.yaml",
        11,
        5,
        "exactly one option with `correct: true`; it has 0",
    ),
    Case(
        "single-answer-with-two-correct-options",
        [
            replace(
                "knowledge-check.yaml",
                SINGLE_WRONG,
                "        correct: true\n        feedback: That is the Beta track.\n",
            )
        ],
        "knowledge-check.yaml",
        11,
        5,
        "exactly one option with `correct: true`; it has 2",
    ),
    Case(
        "multiple-answer-all-correct",
        [
            replace(
                "knowledge-check.yaml",
                "text: Gamma PM\n        correct: false",
                "text: Gamma PM\n        correct: true",
            )
        ],
        "knowledge-check.yaml",
        24,
        5,
        "needs at least one right and one wrong option",
    ),
    Case(
        "multiple-answer-none-correct",
        [
            replace(
                "knowledge-check.yaml",
                "        correct: true\n      - id: beta",
                "        correct: false\n      - id: beta",
            ),
            replace(
                "knowledge-check.yaml",
                "        correct: true\n      - id: gamma",
                "        correct: false\n      - id: gamma",
            ),
        ],
        "knowledge-check.yaml",
        24,
        5,
        "needs at least one right and one wrong option",
    ),
    Case(
        "choice-options-with-the-same-text",
        [replace("knowledge-check.yaml", "text: Gamma PM", "text: Beta PM")],
        "knowledge-check.yaml",
        20,
        5,
        "two options read 'Beta PM'",
    ),
    Case(
        "matching-with-two-distinct-answers",
        [
            replace(
                "knowledge-check.yaml",
                "    distractors:\n      - id: juggling\n        text: Juggling\n",
                "",
            )
        ],
        "knowledge-check.yaml",
        45,
        5,
        "at least 3 distinct answers (it has 2)",
    ),
    Case(
        "matching-with-duplicate-answer-texts",
        [replace("knowledge-check.yaml", "text: Juggling", "text: Prototyping")],
        "knowledge-check.yaml",
        41,
        5,
        "two answers read 'Prototyping'",
    ),
    Case(
        "ordering-items-with-the-same-text",
        [replace("knowledge-check.yaml", "text: Senior Beta PM", "text: Beta PM")],
        "knowledge-check.yaml",
        59,
        5,
        "two items read 'Beta PM'",
    ),
    # ---- files
    Case(
        "invalid-utf8-in-included-file",
        [write("guidance.yaml", b"kind: guidance\nclosing: Good luck \xff.\n")],
        "guidance.yaml",
        2,
        20,
        "not valid UTF-8 (byte 0xff)",
    ),
    Case(
        "tab-in-included-file",
        [
            replace(
                "guidance.yaml", "  text: There are two tracks.", "\ttext: There are two tracks."
            )
        ],
        "guidance.yaml",
        5,
        1,
        "tabs",
    ),
    Case(
        "empty-included-file",
        [write("guidance.yaml", "")],
        "guidance.yaml",
        1,
        1,
        "the file is empty",
    ),
    Case(
        "comment-only-included-file",
        [write("guidance.yaml", "# nothing here yet\n")],
        "guidance.yaml",
        1,
        1,
        "the file is empty",
    ),
    Case(
        "duplicate-key-in-included-file",
        [append("guidance.yaml", "closing: Good luck again.\n")],
        "guidance.yaml",
        34,
        1,
        "duplicate key 'closing' (first defined at line 33)",
    ),
    Case(
        "python-tag-in-course-file",
        [
            replace(
                "course.yaml", "title: Sample Course", "title: !!python/object/apply:os.getcwd []"
            )
        ],
        "course.yaml",
        7,
        8,
        "is not allowed",
    ),
    Case(
        "course-folder-without-course-yaml",
        [delete("course.yaml")],
        "course.yaml",
        None,
        None,
        "the folder has no course.yaml",
    ),
    Case(
        "course-yaml-is-not-a-mapping",
        [write("course.yaml", "- a\n- b\n")],
        "course.yaml",
        1,
        1,
        "expected a mapping of fields, found a list",
    ),
    # ---- odd values: reported at their place, never a crash, never let through
    Case(
        "question-type-is-a-list",
        [replace("knowledge-check.yaml", "type: single", "type: [single]")],
        "knowledge-check.yaml",
        7,
        11,
        "`type`",
    ),
    Case(
        "question-type-is-a-mapping",
        [replace("knowledge-check.yaml", "type: single", "type: {single: 1}")],
        "knowledge-check.yaml",
        7,
        11,
        "`type`",
    ),
    Case(
        "format-version-quoted",
        [replace("course.yaml", "\npmkit: 1\n", '\npmkit: "1"\n')],
        "course.yaml",
        5,
        8,
        "`pmkit` must be a whole number",
    ),
    Case(
        "format-version-boolean",
        [replace("course.yaml", "\npmkit: 1\n", "\npmkit: true\n")],
        "course.yaml",
        5,
        8,
        "`pmkit` must be a whole number, not the boolean true",
    ),
    Case(
        "id-with-trailing-newline",
        [replace("tracks/alpha.yaml", "id: alpha-pm", 'id: "alpha-pm\\n"')],
        "tracks/alpha.yaml",
        3,
        5,
        "is not a valid id",
    ),
    Case(
        "version-with-trailing-newline",
        [replace("course.yaml", 'version: "1.0.0"', 'version: "1.0.0\\n"')],
        "course.yaml",
        8,
        10,
        "is not a semantic version",
    ),
    Case(
        "url-with-trailing-newline",
        [
            replace(
                "tracks/alpha.yaml",
                "url: https://example.org/alpha",
                'url: "https://example.org/alpha\\n"',
            )
        ],
        "tracks/alpha.yaml",
        20,
        10,
        "is not an https:// URL",
    ),
]


def broken(root: Path, edits: Sequence[Edit]) -> list[Issue]:
    """Apply ``edits`` to the course at ``root`` and return the issues it then has."""
    for edit in edits:
        edit(root)
    with pytest.raises(ContentError) as info:
        load_course(root)
    issues = info.value.issues
    assert issues, "ContentError without issues"
    return issues


def describe(issues: Sequence[Issue], root: Path) -> str:
    return "\n".join(i.format().replace(f"{root.as_posix()}/", "") for i in issues)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_content_is_reported(sample_course: Path, case: Case) -> None:
    issues = broken(sample_course, case.edits)
    matching = [
        i
        for i in issues
        if i.file.endswith(case.file)
        and not i.file.endswith(f"-{case.file}")  # decision-tree-2.yaml is not decision-tree.yaml
        and i.line == case.line
        and (case.column is None or i.column == case.column)
        and case.message in i.message
        and i.severity == "error"
    ]
    assert matching, (
        f"expected {case.file}:{case.line}:{case.column}: ...{case.message}... among\n"
        + describe(issues, sample_course)
    )


def test_issue_files_are_the_files_that_hold_the_problem(sample_course: Path) -> None:
    """The reported file is the edited file itself, not just any path ending the same way."""
    issues = broken(sample_course, [replace("tracks/alpha.yaml", "kind: track", "kind: trak")])
    assert [Path(i.file).resolve() for i in issues] == [
        (sample_course / "tracks" / "alpha.yaml").resolve()
    ]


def test_duplicate_id_names_the_first_place(sample_course: Path) -> None:
    issues = broken(
        sample_course, [replace("guidance.yaml", "- id: startups", "- id: likes-users")]
    )
    (issue,) = [i for i in issues if "likes-users" in i.message]
    assert re.search(r"already used at \S*self-discovery\.yaml:15;", issue.message), issue.message


def test_second_decision_tree_names_the_first_file(sample_course: Path) -> None:
    issues = broken(
        sample_course,
        [copy("decision-tree.yaml", "decision-tree-2.yaml"), include("decision-tree-2.yaml")],
    )
    (issue,) = issues
    assert issue.file.endswith("decision-tree-2.yaml")
    assert re.search(r"\(first: \S*/decision-tree\.yaml\)", issue.message), issue.message


def test_unknown_question_type_reports_only_the_type(sample_course: Path) -> None:
    """A misspelt ``type`` must not also call the type's own fields unknown."""
    issues = broken(
        sample_course, [replace("knowledge-check.yaml", "type: single", "type: singel")]
    )
    assert len(issues) == 1, describe(issues, sample_course)
    assert "unknown question type 'singel'" in issues[0].message


def test_unknown_field_without_close_match_lists_known_fields(sample_course: Path) -> None:
    issues = broken(sample_course, [append("guidance.yaml", "zzzzz: 1\n")])
    (issue,) = issues
    assert (issue.line, issue.column) == (34, 1)
    assert "unknown field `zzzzz`; known fields: closing, continuous_growth" in issue.message


# ---------------------------------------------------------- all errors at once


def test_all_schema_errors_are_reported_at_once(sample_course: Path) -> None:
    issues = broken(
        sample_course,
        [
            replace("course.yaml", "title: Sample Course", "title: 42"),
            replace("tracks/alpha.yaml", "short_title:", "shortt_title:"),
            replace("knowledge-check.yaml", "    answer: true\n", "    answer: 3\n"),
        ],
    )
    found = {(Path(i.file).name, i.line) for i in issues}
    assert {("course.yaml", 7), ("alpha.yaml", 5), ("knowledge-check.yaml", 38)} <= found, describe(
        issues, sample_course
    )


def test_all_rule_errors_are_reported_at_once(sample_course: Path) -> None:
    issues = broken(
        sample_course,
        [
            replace("self-discovery.yaml", "points: {alpha-pm: 2}", "points: {gamma-pm: 2}"),
            replace("decision-tree.yaml", "next: interest", "next: interests"),
            replace(
                "knowledge-check.yaml",
                SINGLE_FEEDBACK,
                "        correct: false\n        feedback: Right.\n",
            ),
        ],
    )
    found = {(Path(i.file).name, i.line) for i in issues}
    assert {
        ("self-discovery.yaml", 11),
        ("decision-tree.yaml", 22),
        ("knowledge-check.yaml", 11),
    } <= found, describe(issues, sample_course)


def test_issues_are_sorted_by_file_and_line(sample_course: Path) -> None:
    issues = broken(
        sample_course,
        [
            replace("knowledge-check.yaml", "text: Juggling", "text: Prototyping"),
            replace("decision-tree.yaml", "track: beta-pm", "track: alpha-pm", count=2),
            replace("self-discovery.yaml", "points: {alpha-pm: 2}", "points: {gamma-pm: 2}"),
            replace(
                "self-discovery.yaml", "{alpha-pm: 1, beta-pm: 1}", "{alpha-pm: 0, beta-pm: 0}"
            ),
            replace("guidance.yaml", "- id: startups", "- id: alpha-pm"),
        ],
    )
    assert len(issues) >= 5
    keys = [(i.file, i.line, i.column) for i in issues]
    assert keys == sorted(keys)
    assert len({i.file for i in issues}) >= 4


# ---------------------------------------------------------------------- CLI


def break_three_files(root: Path) -> None:
    for edit in (
        replace("course.yaml", "title: Sample Course", "title: 42"),
        replace("tracks/alpha.yaml", "short_title:", "shortt_title:"),
        replace("knowledge-check.yaml", "    answer: true\n", "    answer: 3\n"),
    ):
        edit(root)


def test_cli_validate_reports_broken_content(sample_course: Path, run_cli: Callable) -> None:
    break_three_files(sample_course)
    result = run_cli("validate", "-c", "sample-course")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    issue_lines = [ln for ln in lines if re.match(r"^\S+:\d+:\d+: error: ", ln)]
    assert len(issue_lines) == 4, result.stderr  # shortt_title is unknown and short_title missing
    assert "sample-course/course.yaml:7:8: error: `title` must be text" in result.stderr
    assert (
        "sample-course/tracks/alpha.yaml:5:1: error: unknown field `shortt_title`" in result.stderr
    )
    assert "sample-course/knowledge-check.yaml:38:13: error: `answer`" in result.stderr
    assert lines[-1] == "Error: the content has 4 errors"


def test_cli_validate_json_on_broken_content(sample_course: Path, run_cli: Callable) -> None:
    break_three_files(sample_course)
    result = run_cli("validate", "-c", "sample-course", "--json")
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["valid"] is False
    issues = data["issues"]
    assert len(issues) == 4
    assert {"file", "line", "column", "severity", "code", "message"} <= set(issues[0])
    assert {
        "file": "sample-course/course.yaml",
        "line": 7,
        "column": 8,
        "severity": "error",
        "code": "schema",
        "message": "`title` must be text, not the number 42 (quote it)",
    } in issues


def test_cli_validate_missing_folder(run_cli: Callable) -> None:
    result = run_cli("validate", "-c", "no-such-course")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    # No line and column for a folder that is not there; where it was looked for instead.
    assert (
        "no-such-course: error: no course folder: no-such-course was looked for in the "
        "current folder ("
    ) in result.stderr


def test_cli_validate_sample_course(sample_course: Path, run_cli: Callable) -> None:
    result = run_cli("validate", "-c", "sample-course")
    assert result.exit_code == 0, result.stderr
    assert "sample-course: valid" in result.stdout
    assert (
        "2 tracks, 3 self-discovery questions, 2 decision-tree nodes, "
        "5 knowledge-check questions" in result.stdout
    )


# ------------------------------------------------------- valid courses, model


def test_sample_course_is_valid(sample_course: Path) -> None:
    loaded = load_course(sample_course)
    assert loaded.warnings == []
    course = loaded.course
    assert (course.id, course.version, course.language, course.mastery) == (
        "sample-course",
        "1.0.0",
        "en",
        80,
    )
    assert course.track_ids == ("alpha-pm", "beta-pm")
    assert [q.type for q in course.knowledge_check.questions] == [
        "single",
        "multiple",
        "true-false",
        "matching",
        "ordering",
    ]
    assert len(course.self_discovery.questions) == 3
    tree = course.decision_tree
    assert [o.track or o.next for o in tree.start_node.options] == [
        "alpha-pm",
        "beta-pm",
        "interest",
    ]
    interest = tree.node("interest")
    assert interest is not None
    # An option without a label takes its track's perfect_for.
    assert interest.options[0].label == "People who like the first letter of the alphabet"


def test_bundled_course_is_valid(bundled_content: Path) -> None:
    loaded = load_course(bundled_content)
    assert loaded.warnings == []
    assert loaded.course.format_version == 1


@pytest.fixture(params=["sample", "bundled"])
def loaded_course(request: pytest.FixtureRequest) -> tuple[m.Course, Path]:
    name = "sample_course" if request.param == "sample" else "bundled_content"
    root: Path = request.getfixturevalue(name)
    return load_course(root).course, root


def test_model_is_immutable(loaded_course: tuple[m.Course, Path]) -> None:
    course, _ = loaded_course
    with pytest.raises(dataclasses.FrozenInstanceError):
        course.title = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        course.tracks[0].id = "changed"  # type: ignore[misc]
    question = course.self_discovery.questions[0]
    with pytest.raises(TypeError):
        question.points["alpha-pm"] = 5  # type: ignore[index]
    assert isinstance(question.points, MappingProxyType)
    for node in course.walk():
        for f in dataclasses.fields(node):  # type: ignore[arg-type]
            value = getattr(node, f.name)
            assert not isinstance(value, list | dict | set), (type(node).__name__, f.name)
            if f.name == "points":
                assert isinstance(value, MappingProxyType), (type(node).__name__, f.name)


def test_model_sequences_are_tuples(loaded_course: tuple[m.Course, Path]) -> None:
    course, _ = loaded_course
    assert isinstance(course.tracks, tuple)
    assert isinstance(course.tracks[0].duties, tuple)
    assert isinstance(course.decision_tree.nodes, tuple)
    assert isinstance(course.knowledge_check.questions, tuple)
    assert isinstance(course.guidance.first_steps.steps, tuple)


def test_every_node_has_a_source_inside_the_content(loaded_course: tuple[m.Course, Path]) -> None:
    course, root = loaded_course
    root = root.resolve()
    files: set[Path] = set()
    count = 0
    for node in course.walk():
        source = getattr(node, "source", None)
        if source is None:
            continue
        count += 1
        assert isinstance(source, m.Source)
        assert source.line >= 1 and source.column >= 1, (node, source)
        path = Path(source.file).resolve()
        assert path.is_relative_to(root), source
        assert path.is_file(), source
        files.add(path)
    assert count > 20
    # Every included file contributed nodes.
    assert {p.name for p in files} >= {
        "course.yaml",
        "self-discovery.yaml",
        "decision-tree.yaml",
        "guidance.yaml",
        "knowledge-check.yaml",
    }


def test_sources_point_at_the_authored_lines(sample_course: Path) -> None:
    course = load_course(sample_course).course
    assert course.tracks[1].source.line == 2  # beta.yaml's mapping starts after its comment
    interest = course.decision_tree.node("interest")
    assert interest is not None
    assert (interest.source.line, interest.source.column) == (23, 5)
    matching = course.knowledge_check.question("kc-matching")
    assert isinstance(matching, m.MatchingQuestion)
    assert matching.distractors[0].source.line == 53
    assert Path(matching.source.file).name == "knowledge-check.yaml"


def test_a_course_naming_a_scorer_that_is_not_installed_is_invalid_here(
    run_cli: Callable[..., Any], bundled_content: Path
) -> None:
    course = bundled_content / "course.yaml"
    text = course.read_text(encoding="utf-8")
    assert "grade: partial-credit" in text
    course.write_text(
        text.replace("grade: partial-credit", "grade: partial-credt"), encoding="utf-8"
    )
    result = run_cli("validate", "--content", str(bundled_content))
    assert result.exit_code == 1
    line = next(l for l in result.stderr.splitlines() if "is not installed" in l)  # noqa: E741
    assert re.match(
        r".*course\.yaml:\d+:\d+: error: the grade scorer 'partial-credt' is not "
        r"installed; did you mean 'partial-credit'\?",
        line,
    ), line
