"""Scorer options set by the course (`scorers: options:` in course.yaml): checked with
positions against the installed scorers' declarations, used by `pmkit score`/`quiz`
under the command line's `-o`, and passed to every scorer method an export calls
(``answer_fractions``) and to the SCORM package's browser twins."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from click.testing import Result
from fakesite import FakeSite

Run = Callable[..., Result]

#: One right answer of 17: 6 % (partial-credit), far below the bundled pass mark of 80.
ONE_RIGHT = {
    "background": "new-to-product",
    "interest": "tech-savvy",
    "kc-technical-perfect-for": "tech-savvy",
}

#: A third-party grade scorer whose Moodle fractions depend on its option: negative
#: marking, where a wrong single-choice answer costs `penalty` of a question.
NEGATIVE_MARKING = '''
from fractions import Fraction
from typing import Any, ClassVar

import pmkit


class NegativeMarking(pmkit.Scorer):
    """Right option 1, a wrong one minus `penalty` (single-choice questions only)."""

    name = "negative-marking"
    kind = "grade"
    title = "Negative marking"
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option("penalty", "number", 0.5, "what a wrong answer costs", minimum=0, maximum=1),
    )

    def score(self, course, answers, options):
        raise NotImplementedError

    def answer_fractions(self, question, options):
        if not isinstance(question, pmkit.ChoiceQuestion) or question.type != "single":
            raise pmkit.ScorerCannotExpress("single-choice questions only")
        penalty = Fraction(str(options["penalty"]))
        return {o.id: Fraction(1) if o.correct else -penalty for o in question.options}


@pmkit.hookimpl
def register_scorers(register: Any) -> None:
    register(NegativeMarking)
'''


def set_scorers(content: Path, scorers: dict[str, Any]) -> Path:
    """Replace the `scorers:` block of course.yaml (kept as the last-but-one key)."""
    path = content / "course.yaml"
    text = path.read_text(encoding="utf-8")
    block = yaml.safe_dump({"scorers": scorers}, sort_keys=False)
    text = re.sub(r"^scorers:\n(?:  .*\n)+", block, text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line containing ``needle``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def answers_file(tmp_path: Path, answers: dict[str, Any]) -> str:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    return str(path)


def grade_of(run_cli: Run, content: Path, answers: str, *args: str) -> dict[str, Any]:
    result = run_cli("score", "--json", "--content", str(content), "-a", answers, *args)
    assert result.exit_code == 0, result.stderr
    grade: dict[str, Any] = json.loads(result.stdout)["grade"]
    return grade


def test_the_course_sets_a_scorer_option_and_the_command_line_wins(
    run_cli: Run, bundled_content: Path, tmp_path: Path
) -> None:
    answers = answers_file(tmp_path, ONE_RIGHT)
    assert grade_of(run_cli, bundled_content, answers)["mastery"] == 80
    set_scorers(
        bundled_content,
        {
            "recommendation": "weighted",
            "grade": "partial-credit",
            "options": {"partial-credit": {"mastery": 5}},
        },
    )
    grade = grade_of(run_cli, bundled_content, answers)
    assert (grade["mastery"], grade["percent"], grade["passed"]) == (5, 6, True)
    grade = grade_of(run_cli, bundled_content, answers, "-o", "mastery", "7")
    assert (grade["mastery"], grade["passed"]) == (7, False)
    # Another grade scorer chosen on the command line does not get partial-credit's values.
    grade = grade_of(run_cli, bundled_content, answers, "-s", "all-or-nothing")
    assert grade["mastery"] == 80


def test_bad_scorer_options_are_positioned_errors_all_at_once(
    run_cli: Run, bundled_content: Path
) -> None:
    path = set_scorers(
        bundled_content,
        {
            "recommendation": "weighted",
            "grade": "partial-credit",
            "options": {
                "partial-credit": {"mastry": 50},
                "all-or-nothing": {"mastery": 150},
                "weighted": {"mastery": "high"},
            },
        },
    )
    result = run_cli("validate", "--content", str(bundled_content))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    err = result.stderr
    line = line_of(path, "mastry:")
    assert re.search(
        rf"course\.yaml:{line}:\d+: error: scorer 'partial-credit' has no option 'mastry'; "
        r"did you mean 'mastery'\? \(its options: mastery",
        err,
    ), err
    line = line_of(path, "mastery: 150")
    assert re.search(
        rf"course\.yaml:{line}:\d+: error: scorer 'all-or-nothing' option 'mastery': 150 is "
        r"above the maximum, 100",
        err,
    ), err
    assert re.search(r"error: scorer 'weighted' has no option 'mastery' \(its options: none", err)
    assert "the content has 3 errors" in err


def test_a_value_that_is_no_scalar_is_a_content_error(run_cli: Run, bundled_content: Path) -> None:
    path = set_scorers(
        bundled_content,
        {"grade": "partial-credit", "options": {"partial-credit": {"mastery": [50]}}},
    )
    result = run_cli("validate", "--content", str(bundled_content))
    assert result.exit_code == 1, result.stdout
    assert re.search(
        rf"course\.yaml:{line_of(path, '- 50')}:\d+: error: `mastery` must be a "
        r"single value \(text, a number, or true/false\), not a list",
        result.stderr,
    ), result.stderr


def test_options_for_a_scorer_that_is_not_installed_are_a_warning(
    run_cli: Run, bundled_content: Path
) -> None:
    set_scorers(
        bundled_content,
        {"grade": "partial-credit", "options": {"negative-marking": {"penalty": 0.25}}},
    )
    result = run_cli("validate", "--content", str(bundled_content))
    assert result.exit_code == 0, result.stderr
    assert re.search(
        r"course\.yaml:\d+:\d+: warning: options are set for scorer 'negative-marking', "
        r"which is not installed",
        result.stderr,
    )


def test_answer_fractions_get_the_course_options_in_a_moodle_export(
    run_cli: Run, bundled_content: Path, site: FakeSite
) -> None:
    site.plugin("pmkit-negative-marking", NEGATIVE_MARKING)
    questions = bundled_content / "knowledge-check.yaml"
    data = yaml.safe_load(questions.read_text(encoding="utf-8"))
    data["questions"] = [q for q in data["questions"] if q["type"] == "single"]
    questions.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    set_scorers(
        bundled_content,
        {
            "grade": "negative-marking",
            "options": {"negative-marking": {"penalty": 0.25}},
        },
    )
    out = bundled_content.parent / "exports"
    result = run_cli(
        "export", "-f", "moodle", "--content", str(bundled_content), "--output", str(out)
    )
    assert result.exit_code == 0, result.stderr
    xml = next(out.glob("*.xml")).read_text(encoding="utf-8")
    fractions = set(re.findall(r'<answer fraction="([-0-9.]+)"', xml))
    assert "-25" in fractions and "100" in fractions and "-50" not in fractions


def test_the_scorm_package_gives_the_twins_the_course_options(
    run_cli: Run, bundled_content: Path
) -> None:
    set_scorers(
        bundled_content,
        {
            "recommendation": "weighted",
            "grade": "partial-credit",
            "options": {"partial-credit": {"mastery": 60}},
        },
    )
    out = bundled_content.parent / "exports"
    result = run_cli(
        "export", "-f", "scorm", "--content", str(bundled_content), "--output", str(out)
    )
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(next(out.glob("*.zip"))) as package:
        data = package.read("course-data.js").decode("utf-8")
        manifest = package.read("imsmanifest.xml").decode("utf-8")
    assert re.search(r'"scorerOptions":\s*\{\s*"recommendation":\s*\{\}', data)
    assert re.search(r'"grade":\s*\{\s*"mastery":\s*60\s*\}', data)
    # The package's pass mark follows the grade scorer's course value.
    assert re.search(r'"mastery":\s*60\s*,', data)
    assert "<adlcp:masteryscore>60</adlcp:masteryscore>" in manifest
