"""`pmkit score`, `pmkit scorers` and `pmkit quiz` through the command line, and the
quiz's interactive loop (`pmkit.cli.quiz.run_quiz`) with a scripted reader."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from pmkit.cli.quiz import QuizInputError, run_quiz
from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit.pluginhost.host import load_plugins
from pmkit.scoring.answers import check_answers
from pmkit.scoring.scorer import Grade

Run = Callable[..., Result]

TRACKS = {
    "technical-pm": ("The Technical Product Manager", "Technical PM"),
    "ux-pm": ("The User Experience Product Manager", "UX PM"),
    "strategic-pm": ("The Strategic Product Manager", "Strategic PM"),
}
YES_NO_TEXT = [
    "Do you enjoy solving complex problems?",
    "Can you balance different stakeholder needs?",
    "Are you good at seeing the big picture?",
    "Do you like making data-driven decisions?",
    "Can you influence without authority?",
    "Are you comfortable with ambiguity?",
    "Do you enjoy coordinating cross-functional teams?",
    "Are you passionate about user needs?",
]
YES_NO_IDS = [
    "complex-problems",
    "stakeholder-needs",
    "big-picture",
    "data-driven",
    "influence-without-authority",
    "ambiguity",
    "cross-functional-teams",
    "user-needs",
]

ANSWERS_YAML = """\
# self-discovery
complex-problems: true
big-picture: true
user-needs: false
background: new-to-product
interest: tech-savvy
"""
#: What ANSWERS_YAML holds, as data.
ANSWERS = {
    "complex-problems": True,
    "big-picture": True,
    "user-needs": False,
    "background": "new-to-product",
    "interest": "tech-savvy",
}
#: Knowledge-check answers: one right, one partly right, one wrong.
KC = {
    "kc-technical-perfect-for": "tech-savvy",
    "kc-technical-duties": ["guide-development", "work-with-engineers"],
    "kc-strategic-business-models": False,
}
#: Self-discovery leans Strategic, the starting point says UX.
LEANING = {
    "big-picture": True,
    "stakeholder-needs": True,
    "data-driven": True,
    "ambiguity": True,
    "background": "design-background",
}

BAR = "[█░#.]{20}"
ISSUE = re.compile(r"^(?P<file>[^\n:]+):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.*)$", re.M)


# --------------------------------------------------------------------------- helpers


def write(path: Path, text: str) -> str:
    """Write ``text`` to ``path``; return the path as a string for the command line."""
    path.write_text(text, encoding="utf-8")
    return str(path)


def expected_report(
    course_dir: Path,
    answers: Mapping[str, Any],
    recommendation: str = "weighted",
    grade: str | None = "partial-credit",
) -> dict[str, Any]:
    """The `--json` report computed from the Python scorer classes directly."""
    host = load_plugins(warn=lambda message: None)
    course = load_course(course_dir).course
    rec = host.scorers[recommendation].obj().score(course, answers, {}).to_dict()
    graded = {q.id for q in course.knowledge_check.questions} & set(answers)
    result = (
        host.scorers[grade].obj().score(course, answers, {}).to_dict() if grade and graded else None
    )
    return json.loads(json.dumps({"recommendation": rec, "grade": result}))


def issues(stderr: str) -> list[tuple[str, int, int, str]]:
    """The ``FILE:LINE:COL: error: MESSAGE`` lines of ``stderr``."""
    return [(i["file"], int(i["line"]), int(i["col"]), i["msg"]) for i in ISSUE.finditer(stderr)]


def assert_clean_failure(result: Result, code: int = 1) -> None:
    """A reported failure: the exit code, nothing on stdout, no traceback."""
    assert result.exit_code == code, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def quiz_input(*lines: str) -> str:
    """Scripted quiz input, one answer per line."""
    return "".join(f"{line}\n" for line in lines)


# ---------------------------------------------------------------------- pmkit score


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_score_human_output(
    run_cli: Run, bundled_content: Path, tmp_path: Path, suffix: str
) -> None:
    text = ANSWERS_YAML if suffix == "yaml" else json.dumps(ANSWERS, indent=2)
    result = run_cli("score", "--answers", write(tmp_path / f"a.{suffix}", text))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith("Recommended track: The Technical Product Manager (Technical PM)\n")
    assert "Tie between" not in out
    assert "Points per track (weighted scorer):" in out
    for track, (_, short) in TRACKS.items():
        match = re.search(rf"^  {re.escape(short)} +{BAR}  +(\d+) pts +(\d+)%(.*)$", out, re.M)
        assert match, f"no bar for {track}"
        assert ("<- recommended" in match[3]) is (track == "technical-pm")
    assert re.search(r"^  Technical PM +\S+ +5 pts +56%", out, re.M)
    assert re.search(r"^  Strategic PM +\S+ +4 pts +44%", out, re.M)
    drove = out.split("What drove it:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert drove == [
        "  Do you enjoy solving complex problems? — yes: Technical PM +3, Strategic PM +1",
        "  Are you good at seeing the big picture? — yes: Strategic PM +3",
        "  Which of these sounds most like you? — Tech-savvy individuals who love working "
        "with engineering teams: Technical PM +2",
    ]
    assert (
        "Career progression (Technical PM):\n  1. Associate Technical Product Manager\n"
        "  2. Technical PM\n"
    ) in out
    assert (
        "Taking the First Step:\n  1. Choose your path based on your background and interests.\n"
    ) in out
    assert "Knowledge check" not in out


def test_score_with_knowledge_check_answers_shows_the_grade(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    file = write(tmp_path / "a.yaml", yaml.safe_dump({**ANSWERS, **KC}))
    result = run_cli("score", "-a", file)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("Recommended track: The Technical Product Manager")
    grade_line = next(line for line in out.splitlines() if line.startswith("Knowledge check"))
    assert grade_line == (
        "Knowledge check (partial-credit): 1.67 of 17 points, 10% — not passed (pass mark 80%)"
    )
    assert re.search(r"^  right +1\.00  Who is The Technical Product Manager", out, re.M)
    assert re.search(r"^  partly right +0\.67  Which of these are listed", out, re.M)
    assert re.search(r"^  wrong +0\.00  Defining business models", out, re.M)
    assert len(re.findall(r"^  not answered ", out, re.M)) == 14


def test_score_json_matches_the_python_scorers(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    answers = {**ANSWERS, **KC}
    result = run_cli(
        "score", "--json", "--answers", write(tmp_path / "a.json", json.dumps(answers))
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"recommendation", "grade"}
    assert report == expected_report(bundled_content, answers)
    assert report["recommendation"]["track"] == "technical-pm"
    assert report["grade"]["scorer"] == "partial-credit"


def test_score_json_without_knowledge_check_answers_has_no_grade(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    result = run_cli("score", "--json", "-a", write(tmp_path / "a.yaml", ANSWERS_YAML))
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["grade"] is None
    assert report == expected_report(bundled_content, ANSWERS)


def test_yaml_and_json_files_give_the_same_result(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    from_yaml = run_cli("score", "--json", "-a", write(tmp_path / "a.yaml", ANSWERS_YAML))
    from_json = run_cli("score", "--json", "-a", write(tmp_path / "a.json", json.dumps(ANSWERS)))
    assert from_yaml.exit_code == from_json.exit_code == 0
    assert from_yaml.stdout == from_json.stdout


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(ANSWERS_YAML, id="yaml"),
        pytest.param(json.dumps(ANSWERS), id="json"),
    ],
)
def test_score_reads_standard_input(run_cli: Run, bundled_content: Path, text: str) -> None:
    result = run_cli("score", "--json", "--answers", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == expected_report(bundled_content, ANSWERS)


@pytest.mark.parametrize(
    ("args", "answers", "recommendation", "grade"),
    [
        pytest.param(
            ("--scorer", "decision-tree"), LEANING, "decision-tree", None, id="decision-tree"
        ),
        pytest.param(("-s", "weighted"), LEANING, "weighted", None, id="weighted-explicit"),
        pytest.param(
            ("--scorer", "all-or-nothing"),
            {**LEANING, **KC},
            "weighted",
            "all-or-nothing",
            id="all-or-nothing",
        ),
        pytest.param(
            ("-s", "decision-tree", "-s", "all-or-nothing"),
            {**LEANING, **KC},
            "decision-tree",
            "all-or-nothing",
            id="both-kinds",
        ),
    ],
)
def test_score_with_another_scorer(
    run_cli: Run,
    bundled_content: Path,
    tmp_path: Path,
    args: tuple[str, ...],
    answers: dict[str, Any],
    recommendation: str,
    grade: str | None,
) -> None:
    result = run_cli(
        "score", "--json", "-a", write(tmp_path / "a.yaml", yaml.safe_dump(answers)), *args
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == expected_report(
        bundled_content, answers, recommendation, grade or "partial-credit"
    )
    assert report["recommendation"]["scorer"] == recommendation
    if grade:
        assert report["grade"]["scorer"] == grade


def test_the_scorer_changes_the_result(run_cli: Run, bundled_content: Path, tmp_path: Path) -> None:
    file = write(tmp_path / "a.yaml", yaml.safe_dump({**LEANING, **KC}))
    default = json.loads(run_cli("score", "--json", "-a", file).stdout)
    tree = json.loads(run_cli("score", "--json", "-a", file, "-s", "decision-tree").stdout)
    strict = json.loads(run_cli("score", "--json", "-a", file, "-s", "all-or-nothing").stdout)
    assert default["recommendation"]["track"] == "strategic-pm"
    assert tree["recommendation"]["track"] == "ux-pm"
    assert default["grade"]["points"] > strict["grade"]["points"]
    human = run_cli("score", "-a", file, "-s", "decision-tree")
    assert human.stdout.startswith("Recommended track: The User Experience Product Manager")
    assert "Points per track (decision-tree scorer):" in human.stdout
    assert "Knowledge check (partial-credit)" in human.stdout


def test_a_tie_is_reported_in_the_human_output(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    file = write(tmp_path / "a.yaml", "user-needs: true\nbackground: business-background\n")
    result = run_cli("score", "-a", file)
    assert result.exit_code == 0
    assert result.stdout.startswith("Recommended track: The User Experience Product Manager")
    assert "Tie between UX PM and Strategic PM" in result.stdout


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        pytest.param("wieghted", "did you mean 'weighted'?", id="weighted"),
        pytest.param("partial", "did you mean 'partial-credit'?", id="partial"),
        pytest.param("decision_tree", "did you mean 'decision-tree'?", id="decision-tree"),
    ],
)
def test_unknown_scorer_is_a_usage_error(
    run_cli: Run, bundled_content: Path, tmp_path: Path, name: str, hint: str
) -> None:
    result = run_cli("score", "-a", write(tmp_path / "a.yaml", ANSWERS_YAML), "--scorer", name)
    assert_clean_failure(result, 2)
    assert f"unknown scorer {name!r}" in result.stderr
    assert hint in result.stderr


def test_malformed_answers_are_reported_at_their_lines(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    text = (
        "complex-problems: true\n"
        "big-pictur: true\n"
        "user-needs: maybe\n"
        "background: new-to-product\n"
        "interest: tech-savy\n"
        "kc-technical-duties: [guide-development, nope]\n"
    )
    file = write(tmp_path / "bad.yaml", text)
    result = run_cli("score", "-a", file)
    assert_clean_failure(result)
    found = issues(result.stderr)
    assert {(line, col) for _, line, col, _ in found} == {(2, 1), (3, 1), (5, 1), (6, 1)}
    assert all(f == file for f, *_ in found)
    by_line = {line: msg for _, line, _, msg in found}
    assert "unknown question id 'big-pictur'" in by_line[2]
    assert "did you mean 'big-picture'?" in by_line[2]
    assert "'user-needs'" in by_line[3] and "true or false" in by_line[3]
    assert "'tech-savy' is not an option of 'interest'" in by_line[5]
    assert "'nope' is not an option of 'kc-technical-duties'" in by_line[6]
    assert result.stderr.rstrip().endswith("Error: the answers have 4 problems")


def test_missing_starting_point_is_reported(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    file = write(tmp_path / "a.yaml", "complex-problems: true\n")
    result = run_cli("score", "-a", file)
    assert_clean_failure(result)
    [(name, _, _, msg)] = issues(result.stderr)
    assert name == file
    assert msg.startswith("missing required answer 'background'")
    assert "new-to-product" in msg


def test_missing_follow_up_is_reported(run_cli: Run, bundled_content: Path, tmp_path: Path) -> None:
    file = write(tmp_path / "a.yaml", "complex-problems: true\nbackground: new-to-product\n")
    result = run_cli("score", "-a", file)
    assert_clean_failure(result)
    [(_, _, _, msg)] = issues(result.stderr)
    assert "missing required answer 'interest'" in msg


def test_problems_in_answers_from_standard_input_name_stdin(
    run_cli: Run, bundled_content: Path
) -> None:
    result = run_cli("score", "-a", "-", input="background: technical-background\nbogus: 1\n")
    assert_clean_failure(result)
    [(name, line, col, msg)] = issues(result.stderr)
    assert (name, line, col) == ("<stdin>", 2, 1)
    assert "unknown question id 'bogus'" in msg


def test_problems_in_a_json_file_name_the_file_and_answer(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    file = write(
        tmp_path / "a.json",
        json.dumps({"background": "technical-background", "kc-design-background": 3}, indent=2),
    )
    result = run_cli("score", "-a", file)
    assert_clean_failure(result)
    [(name, _, _, msg)] = issues(result.stderr)
    assert name == file
    assert "'kc-design-background'" in msg


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        pytest.param(
            "background: technical-background\nkc-ux-duties: [a, b\n",
            3,
            "YAML syntax error",
            id="unclosed-flow-list",
        ),
        pytest.param("background: [\n", 2, "YAML syntax error", id="unclosed-bracket"),
        pytest.param(
            "background: technical-background\n  complex-problems: true\n",
            2,
            "YAML syntax error",
            id="bad-indentation",
        ),
    ],
)
def test_yaml_syntax_error_is_positioned(
    run_cli: Run, bundled_content: Path, tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    file = write(tmp_path / "a.yaml", text)
    result = run_cli("score", "-a", file)
    assert_clean_failure(result)
    found = issues(result.stderr)
    assert len(found) == 1
    assert found[0][0] == file
    assert found[0][1] == line
    assert fragment in found[0][3]


def test_broken_json_is_reported_with_a_position(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    file = write(tmp_path / "a.json", '{\n  "background": "technical-background",\n  "x": [\n}\n')
    result = run_cli("score", "-a", file)
    assert_clean_failure(result)
    [(name, line, _, _)] = issues(result.stderr)
    assert name == file and line > 1


def test_answers_that_are_not_a_mapping(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    file = write(tmp_path / "a.yaml", "- background\n- technical-background\n")
    result = run_cli("score", "-a", file)
    assert_clean_failure(result)
    assert issues(result.stderr) == [
        (file, 1, 1, "answers must be a mapping of question id to answer")
    ]


def test_an_empty_answers_file_is_reported_in_answers_terms(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    """The message must fit an answers file: there is no `include` to remove it from."""
    file = write(tmp_path / "a.yaml", "")
    result = run_cli("score", "-a", file)
    assert_clean_failure(result)
    [(name, line, col, msg)] = issues(result.stderr)
    assert (name, line, col) == (file, 1, 1)
    assert "include" not in msg


def test_a_missing_answers_file(run_cli: Run, bundled_content: Path, tmp_path: Path) -> None:
    """click's FileError: exit code 1 (not a usage error), the message names the file."""
    result = run_cli("score", "--answers", "no-such-answers.yaml")
    assert_clean_failure(result, 1)
    assert "no-such-answers.yaml" in result.stderr
    assert "No such file" in result.stderr


def test_score_needs_the_answers_option(run_cli: Run, bundled_content: Path) -> None:
    result = run_cli("score")
    assert_clean_failure(result, 2)
    assert "--answers" in result.stderr


def test_score_on_another_course_folder(run_cli: Run, sample_course: Path, tmp_path: Path) -> None:
    file = write(tmp_path / "a.yaml", "likes-experiments: true\nbackground: builder\n")
    result = run_cli("score", "--json", "-c", str(sample_course), "-a", file)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == expected_report(
        sample_course, {"likes-experiments": True, "background": "builder"}
    )
    assert report["recommendation"]["track"] == "alpha-pm"


# -------------------------------------------------------------------- pmkit scorers

BUILTINS = {
    "weighted": "recommendation",
    "decision-tree": "recommendation",
    "partial-credit": "grade",
    "all-or-nothing": "grade",
}


def test_scorers_json(run_cli: Run) -> None:
    result = run_cli("scorers", "--json")
    assert result.exit_code == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    for name, kind in BUILTINS.items():
        row = rows[name]
        assert row["kind"] == kind
        assert row["browser_twin"] is True
        assert row["builtin"] is True
        assert row["title"]
        if kind == "grade":
            [option] = row["options"]
            assert (option["name"], option["type"], option["default"]) == (
                "mastery",
                "integer",
                None,
            )
            assert "pass mark" in option["help"]
        else:
            assert row["options"] == []


def test_scorers_json_is_grouped_by_kind_then_name(run_cli: Run) -> None:
    rows = json.loads(run_cli("scorers", "--json").stdout)
    keys = [(row["kind"], row["name"]) for row in rows]
    assert keys == sorted(keys)


def test_scorers_text(run_cli: Run) -> None:
    result = run_cli("scorers")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    for name, kind in BUILTINS.items():
        assert re.search(rf"^{re.escape(name)}  \({kind}; browser twin; built-in\)$", out, re.M)
    blocks = {block.split("  ", 1)[0]: block for block in re.split(r"\n(?=\S)", out.strip())}
    for name, kind in BUILTINS.items():
        has_mastery = "-o mastery (integer, 0 to 100): pass mark" in blocks[name]
        assert has_mastery is (kind == "grade"), name


# ---------------------------------------------------------------------- pmkit quiz

#: Eight y/n answers (yes to 1, 3, 4 and 7) and a background number.
EIGHT = ("y", "n", "y", "y", "n", "n", "y", "n")
EIGHT_ANSWERS = {qid: reply == "y" for qid, reply in zip(YES_NO_IDS, EIGHT, strict=True)}


def test_quiz_full_run(run_cli: Run, bundled_content: Path) -> None:
    result = run_cli("quiz", input=quiz_input(*EIGHT, "3"))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.lstrip("\n").startswith(
        "Recommended track: The Strategic Product Manager (Strategic PM)\n"
    )
    assert "What drove it:" in out and "Career progression (Strategic PM):" in out
    for i, text in enumerate(YES_NO_TEXT, 1):
        assert f"[{i}/8] {text}" in result.stderr
        assert text not in out.split("What drove it:")[0]
    assert "Which background is yours?" in result.stderr
    assert "  3) Business Background — Strategic PM path applies your business acumen" in (
        result.stderr
    )
    assert "Choose 1-4" not in out and "[1/8]" not in out


def test_quiz_json_matches_the_scorer(run_cli: Run, bundled_content: Path) -> None:
    result = run_cli("quiz", "--json", input=quiz_input(*EIGHT, "1"))
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    answers = {**EIGHT_ANSWERS, "background": "technical-background"}
    assert report == expected_report(bundled_content, answers)
    assert report["grade"] is None
    assert report["recommendation"]["track"] == "technical-pm"


def test_quiz_new_to_product_asks_the_interest_question(
    run_cli: Run, bundled_content: Path
) -> None:
    result = run_cli("quiz", "--json", input=quiz_input(*["n"] * 8, "4", "2"))
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["recommendation"]["track"] == "ux-pm"
    assert report["recommendation"]["path"] == [
        {"node": "background", "option": "new-to-product"},
        {"node": "interest", "option": "customer-focused"},
    ]
    assert "Which of these sounds most like you?" in result.stderr
    assert "Choose 1-3" in result.stderr
    assert "  2) Customer-focused individuals who love design thinking" in result.stderr


def test_quiz_decision_tree_scorer(run_cli: Run, bundled_content: Path) -> None:
    replies = ("n", "y", "y", "y", "n", "y", "n", "n", "2")
    result = run_cli("quiz", "--json", "-s", "decision-tree", input=quiz_input(*replies))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["recommendation"]["scorer"] == "decision-tree"
    assert json.loads(result.stdout)["recommendation"]["track"] == "ux-pm"
    weighted = run_cli("quiz", "--json", input=quiz_input(*replies))
    assert json.loads(weighted.stdout)["recommendation"]["track"] == "strategic-pm"


def test_quiz_back_changes_the_recorded_answer(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    replies = ("y", "b", "n", *EIGHT[1:], "3")
    result = run_cli("quiz", "--json", "--save", "saved.yaml", input=quiz_input(*replies))
    assert result.exit_code == 0, result.stderr
    saved = yaml.safe_load((tmp_path / "saved.yaml").read_text(encoding="utf-8"))
    assert saved["complex-problems"] is False
    contributions = json.loads(result.stdout)["recommendation"]["contributions"]
    assert "complex-problems" not in [c["question"] for c in contributions]
    assert result.stderr.count("[1/8] Do you enjoy solving complex problems?") == 2


def test_quiz_save_feeds_pmkit_score(run_cli: Run, bundled_content: Path, tmp_path: Path) -> None:
    quiz = run_cli("quiz", "--json", "--save", "mine.yaml", input=quiz_input(*EIGHT, "4", "3"))
    assert quiz.exit_code == 0, quiz.stderr
    saved = yaml.safe_load((tmp_path / "mine.yaml").read_text(encoding="utf-8"))
    assert saved == {**EIGHT_ANSWERS, "background": "new-to-product", "interest": "business-minded"}
    assert check_answers(load_course(bundled_content).course, saved) == []
    score = run_cli("score", "--json", "--answers", "mine.yaml")
    assert score.exit_code == 0, score.stderr
    assert json.loads(score.stdout) == json.loads(quiz.stdout)
    human_quiz = run_cli("quiz", input=quiz_input(*EIGHT, "4", "3"))
    human_score = run_cli("score", "--answers", "mine.yaml")
    assert human_quiz.stdout.strip() == human_score.stdout.strip()


@pytest.mark.parametrize(
    ("replies", "line", "fragments"),
    [
        pytest.param(
            ("y", "n", "maybe"),
            3,
            ["'maybe' is not an answer here", "y or n expected"],
            id="yes-no",
        ),
        pytest.param(("",), 1, ["'' is not an answer here"], id="blank-line"),
        pytest.param(
            (*EIGHT, "5"),
            9,
            ["'5' is not an answer here", "a number from 1 to 4 expected"],
            id="background-range",
        ),
        pytest.param(
            (*EIGHT, "technical"), 9, ["'technical' is not an answer here"], id="background-word"
        ),
        pytest.param(("y", "b", "x"), 3, ["'x' is not an answer here"], id="after-back"),
        pytest.param((*EIGHT, "4", "0"), 10, ["a number from 1 to 3 expected"], id="interest-zero"),
    ],
)
def test_quiz_invalid_scripted_input_stops(
    run_cli: Run, bundled_content: Path, replies: tuple[str, ...], line: int, fragments: list[str]
) -> None:
    result = run_cli("quiz", input=quiz_input(*replies, *EIGHT, "1"))
    assert_clean_failure(result)
    error = result.stderr.rstrip().splitlines()[-1]
    assert error.startswith(f"Error: line {line}: ")
    for fragment in fragments:
        assert fragment in error


@pytest.mark.parametrize(
    ("replies", "named"),
    [
        pytest.param((), "Do you enjoy solving complex problems?", id="no-input"),
        pytest.param(("y", "y"), "Are you good at seeing the big picture?", id="third-question"),
        pytest.param(EIGHT, "Which background is yours?", id="background"),
        pytest.param((*EIGHT, "4"), "Which of these sounds most like you?", id="interest"),
    ],
)
def test_quiz_input_that_ends_early(
    run_cli: Run, bundled_content: Path, replies: tuple[str, ...], named: str
) -> None:
    result = run_cli("quiz", input=quiz_input(*replies))
    assert_clean_failure(result)
    error = result.stderr.rstrip().splitlines()[-1]
    assert error.startswith("Error: the input ended before this question was answered")
    assert named in error


def test_quiz_save_to_an_unwritable_place_is_a_clean_error(
    run_cli: Run, bundled_content: Path
) -> None:
    """A --save path in a missing folder is refused before the first question (a usage
    error, exit 2), so no answer is lost."""
    result = run_cli("quiz", "--save", "no-such-folder/answers.yaml", input=quiz_input(*EIGHT, "1"))
    assert result.exit_code == 2
    assert "[1/8]" not in result.stderr
    assert "Traceback" not in result.stderr
    error = result.stderr.rstrip().splitlines()[-1]
    assert "no-such-folder/answers.yaml" in error
    assert "internal error" not in error


def test_quiz_unknown_scorer(run_cli: Run, bundled_content: Path) -> None:
    result = run_cli("quiz", "-s", "wieghted", input=quiz_input(*EIGHT, "1"))
    assert_clean_failure(result, 2)
    assert "did you mean 'weighted'?" in result.stderr


# ------------------------------------------------------- run_quiz, interactive mode


class Script:
    """A scripted terminal: ``read`` returns the next line (None at the end) and
    records each prompt; ``say`` records everything printed."""

    def __init__(self, *lines: str) -> None:
        self.lines = list(lines)
        self.prompts: list[str] = []
        self.said: list[str] = []

    def read(self, prompt: str) -> str | None:
        """The next scripted line, or None when the script is used up."""
        self.prompts.append(prompt)
        return self.lines.pop(0) + "\n" if self.lines else None

    def say(self, text: str) -> None:
        """Record printed text."""
        self.said.append(text)


@pytest.fixture
def course(bundled_content: Path) -> m.Course:
    """The bundled course."""
    return load_course(bundled_content).course


def interactive(course: m.Course, *lines: str) -> tuple[dict[str, Any], Script]:
    """Run the quiz interactively over ``lines``; return the answers and the script."""
    script = Script(*lines)
    answers = run_quiz(course, script.read, script.say, interactive=True)
    assert script.lines == [], "the quiz ended before the script did"
    return answers, script


def numbers(script: Script) -> list[str]:
    """Each prompt shortened to its question marker: ``1/8`` … ``8/8`` or ``1-4``/``1-3``."""
    found = [re.match(r"\[(\d/8)\]|Choose (1-\d)", p) for p in script.prompts]
    return [(match[1] or match[2]) if match else "?" for match in found]


def test_interactive_invalid_input_asks_again(course: m.Course) -> None:
    answers, script = interactive(course, "maybe", "Y", *EIGHT[1:], "9", "zero", "1")
    assert answers == {**EIGHT_ANSWERS, "background": "technical-background"}
    assert "  'maybe' is not an answer here; try again." in script.said
    assert "  '9' is not an answer here; try again." in script.said
    assert "  'zero' is not an answer here; try again." in script.said
    assert numbers(script) == ["1/8", "1/8", *[f"{i}/8" for i in range(2, 9)], "1-4", "1-4", "1-4"]


def test_interactive_accepts_long_forms(course: m.Course) -> None:
    answers, _ = interactive(course, "yes", "no", "true", "false", "1", "0", " Y ", "N", " 2 ")
    assert list(answers.values())[:8] == [True, False, True, False, True, False, True, False]
    assert answers["background"] == "design-background"


def test_interactive_back_at_the_first_question_is_harmless(course: m.Course) -> None:
    answers, script = interactive(course, "b", "back", *EIGHT, "1")
    assert answers == {**EIGHT_ANSWERS, "background": "technical-background"}
    assert numbers(script)[:3] == ["1/8", "1/8", "1/8"]
    assert "b=back" not in script.prompts[0]
    assert "b=back" in script.prompts[3]


def test_interactive_back_over_the_group_boundary(course: m.Course) -> None:
    first_group = EIGHT[:4]
    answers, script = interactive(course, *first_group, "b", "n", *EIGHT[4:], "1")
    assert answers == {**EIGHT_ANSWERS, "data-driven": False, "background": "technical-background"}
    assert numbers(script)[:7] == ["1/8", "2/8", "3/8", "4/8", "5/8", "4/8", "5/8"]
    assert script.said.count("\nYour Strategic Mind") == 2
    assert script.said.count("\nYour Leadership Style") == 2


def test_interactive_back_from_the_background_to_the_last_question(course: m.Course) -> None:
    answers, script = interactive(course, *EIGHT, "b", "y", "3")
    assert answers == {**EIGHT_ANSWERS, "user-needs": True, "background": "business-background"}
    assert numbers(script)[-3:] == ["1-4", "8/8", "1-4"]


def test_interactive_back_from_the_interest_node_to_the_background(course: m.Course) -> None:
    answers, script = interactive(course, *EIGHT, "4", "b", "2")
    assert answers == {**EIGHT_ANSWERS, "background": "design-background"}
    assert "interest" not in answers
    assert numbers(script)[-3:] == ["1-4", "1-3", "1-4"]
    assert script.said.count("\nWhich background is yours?") == 2


def test_interactive_back_twice_from_the_interest_node(course: m.Course) -> None:
    answers, script = interactive(course, *EIGHT, "4", "b", "b", "y", "4", "1")
    assert answers == {
        **EIGHT_ANSWERS,
        "user-needs": True,
        "background": "new-to-product",
        "interest": "tech-savvy",
    }
    assert numbers(script)[-6:] == ["1-4", "1-3", "1-4", "8/8", "1-4", "1-3"]


def test_interactive_end_of_input_stops(course: m.Course) -> None:
    script = Script("y", "n")
    with pytest.raises(QuizInputError, match="big picture"):
        run_quiz(course, script.read, script.say, interactive=True)


def test_scripted_mode_of_run_quiz_stops_at_the_first_bad_line(course: m.Course) -> None:
    script = Script("y", "b", "?", "n")
    with pytest.raises(QuizInputError, match=r"^line 3: '\?' is not an answer here"):
        run_quiz(course, script.read, script.say, interactive=False)
    assert not any("try again" in text for text in script.said)


def test_quiz_refuses_a_grade_scorer_naming_the_recommendation_ones(
    run_cli: Run, bundled_content: Path
) -> None:
    result = run_cli("quiz", "-s", "partial-credit", input=quiz_input(*EIGHT, "1"))
    assert_clean_failure(result, 2)
    assert (
        "scorer 'partial-credit' is a grade scorer; this command takes recommendation "
        "scorers: decision-tree, weighted"
    ) in result.stderr


def test_score_refuses_two_scorers_of_one_kind(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("background: design-background\n", encoding="utf-8")
    result = run_cli("score", "--answers", str(answers), "-s", "weighted", "-s", "decision-tree")
    assert_clean_failure(result, 2)
    assert (
        "--scorer 'weighted' and --scorer 'decision-tree' are both recommendation" in result.stderr
    )


def test_rounded_shares_that_do_not_add_up_to_100_say_so(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    yes = [
        "complex-problems",
        "stakeholder-needs",
        "big-picture",
        "data-driven",
        "influence-without-authority",
        "ambiguity",
        "cross-functional-teams",
    ]
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "".join(f"{q}: true\n" for q in yes) + "user-needs: false\nbackground: design-background\n",
        encoding="utf-8",
    )
    result = run_cli("score", "--answers", str(answers))
    assert result.exit_code == 0, result.stderr
    shares = [int(s) for s in re.findall(r"pts +(\d+)%", result.stdout)]
    assert sum(shares) == 99
    assert "(shares are rounded to whole percents, so they add up to 99%)" in result.stdout
    answers.write_text("background: design-background\nuser-needs: true\n", encoding="utf-8")
    even = run_cli("score", "--answers", str(answers))
    assert "shares are rounded" not in even.stdout


def test_points_of_a_grade_are_shown_with_two_decimals(bundled_content: Path) -> None:
    from pmkit.cli.render import render_grade

    course = load_course(bundled_content).course
    grade = Grade("partial-credit", 2 / 3, 17, 0.04, 4, 80, False, ())
    assert render_grade(course, grade).startswith(
        "Knowledge check (partial-credit): 0.67 of 17 points, 4% — not passed"
    )


def test_scorer_options_reach_the_scorer(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.yaml"
    course = load_course(bundled_content).course
    tf = next(q for q in course.knowledge_check.questions if q.type == "true-false")
    answers.write_text(
        f"background: design-background\n{tf.id}: {str(tf.answer).lower()}\n", encoding="utf-8"
    )
    lenient = run_cli("score", "--json", "--answers", str(answers), "-o", "mastery", "0")
    assert lenient.exit_code == 0, lenient.stderr
    grade = json.loads(lenient.stdout)["grade"]
    assert grade["mastery"] == 0 and grade["passed"] is True
    scoped = run_cli(
        "score", "--json", "--answers", str(answers), "-o", "partial-credit.mastery", "5"
    )
    assert json.loads(scoped.stdout)["grade"]["mastery"] == 5
    wrong = run_cli("score", "--answers", str(answers), "-o", "mastery", "101")
    assert_clean_failure(wrong, 2)
    assert "option partial-credit.mastery: '101' is above the maximum, 100" in wrong.stderr
    unknown = run_cli("score", "--answers", str(answers), "-o", "mastry", "5")
    assert_clean_failure(unknown, 2)
    assert "did you mean 'mastery'?" in unknown.stderr
