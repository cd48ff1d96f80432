"""``pmkit export --format gift``: Moodle's GIFT text format, read back by real parsers.

Every export is parsed twice:

* by ``gift-pegjs`` (npm, installed by ``npm ci``), a real GIFT parser, run
  under Node by a small driver; its questions are compared with the model;
* by :func:`moodle_read`, a line-by-line port of the part of Moodle 5.1's own
  GIFT importer (``question/format/gift/format.php``, ``qformat_gift``) that
  decides a question's type, single/multiple, answer fractions and true/false
  feedback. gift-pegjs differs from Moodle exactly there: it labels the two
  true/false feedbacks by position (``trueFeedback`` is the *first*, which
  Moodle shows for a wrong answer), reads ``=%50%x`` as a 50 % answer where
  Moodle gives 100 %, and does not decode the escapes of matching answers.

Node and gift-pegjs are required: a missing one fails with the install line.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from browserkit import REPO_ROOT, require_node_file
from click.testing import Result
from golden_files import assert_golden
from test_moodle_xml import tree_question_text

import pmkit
from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit_builtins.moodle.fractions import ALLOWED
from pmkit_builtins.scoring import PartialCreditScorer

RunCli = Callable[..., Result]

GOLDEN = REPO_ROOT / "tests" / "golden" / "gift-pm-career-paths.txt"
NODE_TIMEOUT = 60

#: Prints the parse of the GIFT file argv[3] as JSON; gift-pegjs is loaded from argv[2].
DRIVER = r"""
const { parse } = require(process.argv[2]);
const fs = require("fs");
const text = fs.readFileSync(process.argv[3], "utf8");
try {
  process.stdout.write(JSON.stringify(parse(text)));
} catch (error) {
  process.stderr.write(`${error.message} at ${JSON.stringify(error.location)}\n`);
  process.exit(2);
}
"""

#: gift-pegjs leaves escapes in matching answers as these placeholders (its
#: PlainText rule skips the decoding its other rules do); Moodle decodes them.
PEG_PLACEHOLDERS = {
    "&&092;": "\\",
    "&&058;": ":",
    "&&035;": "#",
    "&&061;": "=",
    "&&123;": "{",
    "&&125;": "}",
    "&&126;": "~",
    "&&010": "\n",
}


# --------------------------------------------------------------------------- helpers


def node_binary() -> str:
    """The ``node`` executable, or a test failure saying how to get one."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "`node` (Node.js 18+) is not on PATH: the GIFT tests parse the export with "
            "gift-pegjs under Node (install Node.js, e.g. `apt-get install nodejs`, "
            f"then run `npm ci` in {REPO_ROOT})",
            pytrace=False,
        )
    return node


def peg_parse(gift: Path, tmp_path: Path) -> list[dict[str, Any]]:
    """The GIFT file as gift-pegjs parses it (a list of questions and categories)."""
    parser = require_node_file("gift-pegjs/pegjs-gift.js")
    driver = tmp_path / "gift-driver.js"
    driver.write_text(DRIVER, encoding="utf-8")
    result = subprocess.run(
        [node_binary(), str(driver), str(parser), str(gift)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=NODE_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"gift-pegjs could not parse {gift}:\n{result.stderr}"
    parsed: list[dict[str, Any]] = json.loads(result.stdout)
    return parsed


def export(
    run_cli: RunCli, content: Path, *options: str, output: str = "exports"
) -> tuple[Result, Path]:
    """Run ``pmkit export --format gift``; return the result and the file's path."""
    args = ["export", "-v", "--format", "gift", "--content", str(content), "--output", output]
    for pair in options:
        args += ["-o", *pair.split("=", 1)]
    result = run_cli(*args)
    course_id = yaml.safe_load((content / "course.yaml").read_text(encoding="utf-8"))["id"]
    return result, Path(output).resolve() / f"{course_id}-gift.txt"


def from_html(text: str) -> str:
    """The plain text a learner reads: ``<p>`` paragraphs and ``<br>`` undone, entities decoded."""
    if text.startswith("<p>") and text.endswith("</p>"):
        text = text[3:-4].replace("</p><p>", "\n\n")
    return html.unescape(text.replace("<br>", "\n"))


def peg_text(node: Mapping[str, Any] | None) -> str | None:
    """The learner's text of a gift-pegjs text node (format must be HTML)."""
    if node is None:
        return None
    assert node["format"] == "html", node
    return from_html(node["text"])


def peg_plain(text: str) -> str:
    """A matching answer from gift-pegjs with its escapes decoded, HTML entities too."""
    for placeholder, char in PEG_PLACEHOLDERS.items():
        text = text.replace(placeholder, char)
    return html.unescape(text)


def category_name(name: str) -> str:
    """As Moodle's category paths need it: ``/`` inside a name doubled, one line."""
    return " ".join(name.split()).replace("/", "//")


def course_categories(course: m.Course) -> list[str]:
    """The two category paths under the default root."""
    base = f"$course$/top/{category_name(course.title)}"
    return [
        f"{base}/{category_name(course.knowledge_check.title)}",
        f"{base}/{category_name(course.self_discovery.title)}",
    ]


def name_fits(name: str, text: str) -> bool:
    """A question name is the text's first words, as plain text, at most 80 characters."""
    flat = " ".join(text.split())
    if len(flat) <= 80:
        return name == flat
    return len(name) <= 80 and name.endswith("…") and flat.startswith(name[:-1])


def by_category(parsed: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """The parsed questions under each category path (as Moodle reads it), in order.

    gift-pegjs returns the rest of the ``$CATEGORY:`` line verbatim; Moodle
    runs its escape pre-pass over it and never undoes it (the category branch
    of ``readquestion`` returns before ``escapedchar_post``).
    """
    groups: dict[str, list[Mapping[str, Any]]] = {}
    current: list[Mapping[str, Any]] | None = None
    for item in parsed:
        if item["type"] == "Category":
            current = groups.setdefault(_escapedchar_pre(item["title"]).strip(), [])
        else:
            assert current is not None, f"a question before any $CATEGORY: {item}"
            current.append(item)
    return groups


# --------------------------------------------------------------------------- Moodle's reading


@dataclass
class MoodleQuestion:
    """What Moodle's GIFT importer makes of one question block."""

    qtype: str
    name: str
    idnumber: str
    tags: list[str]
    single: bool | None = None
    answers: list[tuple[str, float, str]] | None = None  # (text, fraction, feedback)
    truefalse: tuple[bool, str, str] | None = None  # (answer, feedback true, feedback false)
    subquestions: list[tuple[str, str]] | None = None


_PRE = [
    ("\\:", "&&058;"),
    ("\\#", "&&035;"),
    ("\\=", "&&061;"),
    ("\\{", "&&123;"),
    ("\\}", "&&125;"),
    ("\\~", "&&126;"),
    ("\\n", "&&010"),
]
_WEIGHT = re.compile(r"^%\-*([0-9]{1,2})\.?([0-9]*)%")


def _escapedchar_pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in _PRE:
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _escapedchar_post(text: str) -> str:
    for escaped, placeholder in _PRE:
        text = text.replace(placeholder, "\n" if escaped == "\\n" else escaped[1])
    return text


def _text_with_format(text: str) -> str:
    """``parse_text_with_format``: a leading ``[format]`` is read; then unescaped, trimmed."""
    if text.startswith("["):
        end = text.find("]")
        if text[1:end] in ("moodle", "html", "plain", "markdown"):
            assert text[1:end] == "html", text
            text = text[end + 1 :]
    return _escapedchar_post(text).strip()


def moodle_read(block: str) -> MoodleQuestion:
    """Port of ``qformat_gift::readquestion`` (Moodle 5.1) for the types pmkit writes."""
    lines = [line.strip() for line in block.split("\n")]
    comments = "\n".join(line for line in lines if line.startswith("//"))
    text = "\n".join(" " if line.startswith("//") else line for line in lines).strip()
    text = _escapedchar_pre(text)
    assert text.startswith("::"), block
    text = text[2:]
    end = text.index("::")
    name, text = _escapedchar_post(text[:end]), text[end + 2 :].strip()
    start, finish = text.index("{"), text.index("}")
    answertext = text[start + 1 : finish].strip()
    assert text.endswith("}"), "text after the answers would become a missing-word question"
    separator = answertext.rfind("####")
    if separator >= 0:
        answertext = answertext[:separator].strip()
    found = re.search(r"\[id:((?:\\]|[^]\x00-\x1f])+)]", comments)
    question = MoodleQuestion(
        qtype="",
        name=name,
        idnumber=found.group(1) if found else "",
        tags=re.findall(r"\[tag:((?:\\]|[^]<>`\x00-\x1f])+)]", comments),
    )
    if "~" in answertext:
        question.qtype, question.single, question.answers = "multichoice", "=" in answertext, []
        parts = answertext.replace("=", "~=").split("~")
        if not parts[0].strip():
            parts = parts[1:]
        for part in parts:
            part = part.strip()
            if part.startswith("="):
                weight, part = 1.0, part[1:]
            elif _WEIGHT.match(part):
                part = part[1:]
                weight, part = float(part[: part.index("%")]) / 100, part[part.index("%") + 1 :]
            else:
                weight = 0.0
            answer, _, feedback = part.partition("#")
            question.answers.append(
                (_text_with_format(answer.strip()), weight, _text_with_format(feedback.strip()))
            )
    elif "=" in answertext and "->" in answertext:
        question.qtype, question.subquestions = "match", []
        parts = answertext.split("=")
        if not parts[0].strip():
            parts = parts[1:]
        for part in parts:
            part = part.strip()
            marker = part.index("->")
            question.subquestions.append(
                (_text_with_format(part[:marker]), _escapedchar_post(part[marker + 2 :]).strip())
            )
    else:
        check = answertext.split("#", 1)[0].strip() if "#" in answertext[1:] else answertext
        assert check in ("T", "TRUE", "F", "FALSE"), f"Moodle would read a short answer: {block}"
        bits = [*answertext.split("#", 2), "", ""]
        answer, wrong, right = (_text_with_format(b.strip()) for b in bits[:3])
        is_true = answer in ("T", "TRUE")
        question.qtype = "truefalse"
        question.truefalse = (is_true, right, wrong) if is_true else (is_true, wrong, right)
    return question


def question_blocks(gift: str) -> dict[str, str]:
    """Each question block of the file (blank-line separated) by its ``[id:…]``."""
    blocks = {}
    for block in gift.split("\n\n"):
        found = re.search(r"^// \[id:([a-z0-9-]+)]", block, re.M)
        if found:
            blocks[found.group(1)] = block
    return blocks


# --------------------------------------------------------------------------- the comparison


def _fractions(q: m.KnowledgeQuestion) -> Mapping[str, Fraction]:
    return PartialCreditScorer().answer_fractions(q, {})


def check_choice(
    course: m.Course, q: m.ChoiceQuestion, peg: Mapping[str, Any], moodle: MoodleQuestion
) -> None:
    exact = _fractions(q)
    # Options in the order every export shows them (pmkit.option_order), not authoring order.
    order = [o for o in pmkit.option_order(course, q) if isinstance(o, m.ChoiceOption)]
    assert peg["type"] == "MC"
    assert moodle.qtype == "multichoice" and moodle.single is (q.type == "single")
    assert [peg_text(c["text"]) for c in peg["choices"]] == [o.text for o in order]
    assert [peg_text(c["feedback"]) for c in peg["choices"]] == [o.feedback for o in order]
    assert moodle.answers is not None
    for option, choice, (text, fraction, feedback) in zip(
        order, peg["choices"], moodle.answers, strict=True
    ):
        assert from_html(text) == option.text
        assert (from_html(feedback) or None) == option.feedback
        # Moodle's grade check: within 0.00001 of its list (every value here is in it).
        assert exact[option.id] in ALLOWED
        assert fraction == pytest.approx(float(exact[option.id]), abs=1e-5)
        if q.type == "single":
            assert choice["isCorrect"] is option.correct
            assert choice["weight"] is None
        else:
            assert choice["isCorrect"] is False
            assert choice["weight"] == pytest.approx(float(exact[option.id] * 100), abs=1e-3)
    if q.type == "multiple":
        assert sum(f for _, f, _ in moodle.answers if f > 0) == pytest.approx(1, abs=1e-4)


def check_truefalse(q: m.TrueFalseQuestion, peg: Mapping[str, Any], moodle: MoodleQuestion) -> None:
    right, wrong = (
        (q.true_feedback, q.false_feedback) if q.answer else (q.false_feedback, q.true_feedback)
    )
    assert peg["type"] == "TF" and peg["isTrue"] is q.answer
    # gift-pegjs names the two feedbacks by position: the first is Moodle's
    # "wrong answer" feedback, the second its "right answer" feedback.
    assert peg_text(peg["trueFeedback"]) == wrong
    assert peg_text(peg["falseFeedback"]) == right
    assert moodle.qtype == "truefalse" and moodle.truefalse is not None
    answer, feedback_true, feedback_false = moodle.truefalse
    assert answer is q.answer
    assert (from_html(feedback_true) or None) == q.true_feedback
    assert (from_html(feedback_false) or None) == q.false_feedback


def check_matching(q: m.MatchingQuestion, peg: Mapping[str, Any], moodle: MoodleQuestion) -> None:
    expected = [(p.prompt, p.match) for p in q.pairs] + [("", d.text) for d in q.distractors]
    assert peg["type"] == "Matching"
    assert [
        (peg_text(p["subquestion"]), peg_plain(p["subanswer"])) for p in peg["matchPairs"]
    ] == expected
    assert moodle.qtype == "match" and moodle.subquestions is not None
    assert [(from_html(t), html.unescape(a)) for t, a in moodle.subquestions] == expected


def check_reflection(
    peg: Mapping[str, Any],
    moodle: MoodleQuestion,
    text: str,
    labels: Sequence[str],
    feedback_has: Sequence[Sequence[str]],
) -> None:
    """A reflection question: single answer, every answer 100 %, feedback per answer."""
    assert peg["type"] == "MC"
    assert peg_text(peg["stem"]) == text
    assert [peg_text(c["text"]) for c in peg["choices"]] == list(labels)
    assert [c["isCorrect"] for c in peg["choices"]] == [True] + [False] * (len(labels) - 1)
    assert [c["weight"] for c in peg["choices"]] == [None] + [100] * (len(labels) - 1)
    for choice, words in zip(peg["choices"], feedback_has, strict=True):
        shown = peg_text(choice["feedback"]) or ""
        assert all(w in shown for w in words), (shown, words)
    assert moodle.qtype == "multichoice" and moodle.single is True
    assert moodle.answers is not None
    assert [f for _, f, _ in moodle.answers] == [1.0] * len(labels)
    assert peg["globalFeedback"] is None


def assert_matches_model(gift_path: Path, parsed: list[dict[str, Any]], course: m.Course) -> None:
    """Every question of the model (but ordering) is in the export, as the model says."""
    groups = by_category(parsed)
    kc_path, reflection_path = course_categories(course)
    assert list(groups) == [kc_path, reflection_path]
    blocks = question_blocks(gift_path.read_text(encoding="utf-8"))

    graded = [q for q in course.knowledge_check.questions if not isinstance(q, m.OrderingQuestion)]
    assert [p["id"] for p in groups[kc_path]] == [q.id for q in graded]
    for q, peg in zip(graded, groups[kc_path], strict=True):
        moodle = moodle_read(blocks[q.id])
        assert moodle.idnumber == peg["id"] == q.id
        assert (peg["tags"] or []) == moodle.tags == list(q.tracks)
        assert peg["title"] == moodle.name and name_fits(peg["title"], q.prompt)
        assert peg_text(peg["stem"]) == q.prompt
        assert peg_text(peg["globalFeedback"]) == q.explanation
        assert peg["hasEmbeddedAnswers"] is False
        if isinstance(q, m.ChoiceQuestion):
            check_choice(course, q, peg, moodle)
        elif isinstance(q, m.TrueFalseQuestion):
            check_truefalse(q, peg, moodle)
        else:
            assert isinstance(q, m.MatchingQuestion)
            check_matching(q, peg, moodle)

    reflection = groups[reflection_path]
    yes_no = course.self_discovery.questions
    nodes = course.decision_tree.nodes
    assert [p["id"] for p in reflection] == [q.id for q in yes_no] + [n.id for n in nodes]
    shorts = {t.id: t.short_title for t in course.tracks}
    for q, peg in zip(yes_no, reflection[: len(yes_no)], strict=True):
        moodle = moodle_read(blocks[q.id])
        positive = [t for t, p in q.points.items() if p > 0]
        assert (peg["tags"] or []) == moodle.tags == positive
        assert name_fits(peg["title"], q.text)
        check_reflection(
            peg,
            moodle,
            q.text,
            ["Yes", "No"],
            [[f"{shorts[t]} (+{q.points[t]})" for t in positive], []],
        )
    for node, peg in zip(nodes, reflection[len(yes_no) :], strict=True):
        moodle = moodle_read(blocks[node.id])
        text = tree_question_text(course, node)
        assert name_fits(peg["title"], node.prompt)
        wanted = []
        for option in node.options:
            track = course.track(option.track) if option.track else None
            following = course.decision_tree.node(option.next or "")
            lead = track.short_title if track else following.prompt if following else ""
            wanted.append([w for w in (option.text, lead) if w])
        check_reflection(peg, moodle, text, [o.label for o in node.options], wanted)


def assert_line_structure(gift: str) -> None:
    """Every line is a comment, a category, a name line, an answer line, ``}`` or blank."""
    for number, line in enumerate(gift.split("\n"), 1):
        assert line == "" or line.startswith(("// ", "$CATEGORY: ", "::", "\t", "}")), (
            f"line {number}: {line!r}"
        )
    assert gift.endswith("}\n") and "\r" not in gift and "\n\n\n" not in gift


# --------------------------------------------------------------------------- the tests


def test_bundled_course_parses_and_matches_the_model(
    run_cli: RunCli, bundled_content: Path, tmp_path: Path
) -> None:
    result, path = export(run_cli, bundled_content)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().startswith(str(Path("exports") / path.name))
    course = load_course(bundled_content).course
    gift = path.read_text(encoding="utf-8")
    assert_line_structure(gift)
    assert_matches_model(path, peg_parse(path, tmp_path), course)


def test_sample_course_has_one_question_of_each_type(
    run_cli: RunCli, sample_course: Path, tmp_path: Path
) -> None:
    result, path = export(run_cli, sample_course)
    assert result.exit_code == 0, result.stderr
    course = load_course(sample_course).course
    parsed = peg_parse(path, tmp_path)
    assert_matches_model(path, parsed, course)
    types = {p["id"]: p["type"] for p in parsed if p["type"] != "Category"}
    assert types == {
        "kc-single": "MC",
        "kc-multiple": "MC",
        "kc-true-false": "TF",
        "kc-matching": "Matching",
        "likes-prototypes": "MC",
        "likes-experiments": "MC",
        "likes-users": "MC",
        "background": "MC",
        "interest": "MC",
    }
    blocks = question_blocks(path.read_text(encoding="utf-8"))
    # The distractor is an empty prompt (Moodle keeps it as an extra wrong choice).
    assert "\t= -> Juggling\n" in blocks["kc-matching"]
    assert (
        "\tTRUE\n\t#<p>It is one of the Beta PM's duties.</p>\n\t#<p>Right.</p>\n"
        in (blocks["kc-true-false"])
    )
    assert (
        "\t=People who like the first letter of the alphabet#<p>Right.</p>\n"
        in (blocks["kc-single"])
    )
    # In the shared option order (pmkit.option_order), not the authoring order.
    assert "\t~%50%Alpha PM\n\t~%-100%Gamma PM\n\t~%50%Beta PM\n" in blocks["kc-multiple"]


def test_ordering_questions_are_left_out_with_a_warning_naming_each(
    run_cli: RunCli, bundled_content: Path
) -> None:
    result, path = export(run_cli, bundled_content)
    assert result.exit_code == 0, result.stderr
    course = load_course(bundled_content).course
    ordering = [q for q in course.knowledge_check.questions if isinstance(q, m.OrderingQuestion)]
    assert len(ordering) == 2
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    for q in ordering:
        [line] = [w for w in warnings if f"`{q.id}`" in w]
        assert line.startswith(f"{q.source}: warning: ")
        assert "GIFT has no ordering" in line and "Moodle before 4.4" not in line
        assert f"[id:{q.id}]" not in path.read_text(encoding="utf-8")
    # What else GIFT cannot carry is said once per question (or once), nothing more.
    matching = [q for q in course.knowledge_check.questions if isinstance(q, m.MatchingQuestion)]
    combined = [w for w in warnings if "GIFT has no combined feedback" in w]
    assert sorted(combined) == sorted(w for w in warnings for q in matching if f"`{q.id}`" in w)
    assert len(combined) == len(matching)
    [mark] = [w for w in warnings if "default mark" in w]
    assert mark.startswith(f"{course.self_discovery.source}: warning: ")
    assert len(warnings) == len(ordering) + len(matching) + 1


def test_golden_file(run_cli: RunCli, bundled_content: Path) -> None:
    """Byte-exact; ``PMKIT_UPDATE_GOLDEN=1`` rewrites the golden file after a wanted change."""
    result, path = export(run_cli, bundled_content)
    assert result.exit_code == 0, result.stderr
    assert_golden(GOLDEN.name, path.read_bytes())


def test_export_is_deterministic(
    run_cli: RunCli, bundled_content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, path_a = export(run_cli, bundled_content, output="a")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    second, path_b = export(run_cli, bundled_content, output="b")
    assert first.exit_code == second.exit_code == 0
    assert path_a.read_bytes() == path_b.read_bytes()


def test_all_or_nothing_is_refused_before_writing(
    run_cli: RunCli, bundled_content: Path, tmp_path: Path
) -> None:
    result, path = export(run_cli, bundled_content, "scorer=all-or-nothing")
    assert result.exit_code == 1
    course = load_course(bundled_content).course
    refused = [
        q
        for q in course.knowledge_check.questions
        if isinstance(q, m.MatchingQuestion) or getattr(q, "type", "") == "multiple"
    ]
    assert len(refused) == 7
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    for q in refused:
        [line] = [e for e in errors if f"`{q.id}`" in e]
        assert re.match(
            rf"{re.escape(q.source.file)}:{q.source.line}:{q.source.column}: "
            r"error: .*all-or-nothing",
            line,
        ), line
    assert len(errors) == len(refused)
    assert not path.exists() and not (tmp_path / "exports").exists()


def test_category_option_sets_the_root(
    run_cli: RunCli, sample_course: Path, tmp_path: Path
) -> None:
    result, path = export(run_cli, sample_course, "category=$course$/top/Bank: A//B")
    assert result.exit_code == 0, result.stderr
    groups = by_category(peg_parse(path, tmp_path))
    assert list(groups) == [
        "$course$/top/Bank: A//B/Knowledge Check",
        "$course$/top/Bank: A//B/Self-Discovery Questions",
    ]


def test_a_category_path_is_one_line(run_cli: RunCli, sample_course: Path, tmp_path: Path) -> None:
    result, path = export(run_cli, sample_course, "category=Bank\nTwo")
    assert not path.exists()
    assert result.exit_code == 1
    assert "error: option gift.category: a category path is one line" in result.stderr
    assert not (tmp_path / "exports").exists()


# --------------------------------------------------------------------------- hostile strings

#: Shown to the learner exactly as written: GIFT's and HTML's special characters,
#: CDATA's end, an entity, emoji, right-to-left text, comment and feedback markers.
HOSTILE = (
    "{}~=#: \\ \\n \\: ]]> <b>bold</b> &nbsp; &amp; a->b // #### %1% "
    "🙂 \U0001f469\u200d\U0001f4bb שלום עולם \u202eRTL\u202c"
)
#: Starts of answers that GIFT or Moodle could read as syntax.
STARTS = ["[plain]", "%50%", "[html]", "=", "~", "#", "\\", "->", "::"]
#: Keys of content text fields (every one the GIFT export shows).
TEXT_KEYS = {
    "title",
    "intro",
    "prompt",
    "explanation",
    "text",
    "feedback",
    "true_feedback",
    "false_feedback",
    "match",
    "correct",
    "partial",
    "incorrect",
    "label",
    "short_title",
    "perfect_for",
}
#: Fields shown as answers: they also get a hostile start.
ANSWER_KEYS = {"label", "match"}
PARAGRAPH_KEYS = {"prompt", "explanation", "feedback", "true_feedback", "false_feedback"}


def _hostile(data: Any, key: str, counter: Iterator[int], shift: int) -> Any:
    if isinstance(data, dict):
        return {k: _hostile(v, k, counter, shift) for k, v in data.items()}
    if isinstance(data, list):
        return [_hostile(v, key, counter, shift) for v in data]
    if not isinstance(data, str) or key not in TEXT_KEYS:
        return data
    n = next(counter)
    text = f"{data} {HOSTILE} #{n}"
    if key in ANSWER_KEYS or key == "text":
        text = f"{STARTS[(n + shift) % len(STARTS)]}{text}"
    if key in PARAGRAPH_KEYS:
        text += f"\n\nSecond <i>paragraph</i> #{n}\nwith a line break: {{x}}"
    return text


def make_hostile(content: Path, shift: int = 0) -> None:
    """Put hostile strings into every text field of every file of ``content``.

    Answers (and other ``text`` fields) also start with one of ``STARTS``;
    ``shift`` rotates which, so that over ``len(STARTS)`` runs every start
    lands on every answer.
    """
    counter = iter(range(1, 10_000))
    for path in sorted(content.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = _hostile(data, "", counter, shift)
        path.write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8"
        )


@pytest.mark.parametrize("shift", range(len(STARTS)))
def test_hostile_strings_survive_a_parse_round_trip(
    run_cli: RunCli, sample_course: Path, tmp_path: Path, shift: int
) -> None:
    make_hostile(sample_course, shift)
    course = load_course(sample_course).course
    assert HOSTILE in course.title and HOSTILE in course.knowledge_check.questions[0].prompt
    options = [
        o.text
        for q in course.knowledge_check.questions
        if isinstance(q, m.ChoiceQuestion)
        for o in q.options
    ]
    assert all(o.startswith(tuple(STARTS)) and HOSTILE in o for o in options)
    result, path = export(run_cli, sample_course)
    assert result.exit_code == 0, result.stderr
    gift = path.read_text(encoding="utf-8")
    assert_line_structure(gift)
    parsed = peg_parse(path, tmp_path)
    assert_matches_model(path, parsed, course)
    # Names are plain text (Moodle strips tags from names): escaped for GIFT only.
    names = [p["title"] for p in parsed if p["type"] != "Category"]
    assert any("<b>bold</b>" in n for n in names)
    # HTML is escaped before GIFT is: no tag of the content reaches Moodle as a tag.
    for line in gift.splitlines():
        if not line.startswith(("// ", "$CATEGORY: ")):
            body = re.sub(r"^::(?:\\.|[^\\:])*::", "", line)  # the name is plain text
            assert "<b>" not in body and "<i>" not in body, line


# --------------------------------------------------------------------------- tree marks


BUNDLED_MARK = (
    "(If you answered \u201cNew to Product\u201d to \u201cWhich background is yours?\u201d)"
)


def test_each_follow_up_says_which_answer_leads_to_it_in_gift_and_moodle_xml(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A bank has no branching: a follow-up question names the answers that lead to it,
    the same words in GIFT (read by a GIFT parser) and Moodle XML; a join names all."""
    from course_shapes import SHAPES, write_course
    from test_moodle_xml import by_id, parse, shown

    for content in (
        REPO_ROOT / "content",
        write_course(
            next(s for s in SHAPES if s.name == "four-tracks-joined-parents"), tmp_path / "j"
        ),
    ):
        course = load_course(content).course
        out = tmp_path / f"out-{content.name}"
        result = run_cli(
            "export", "-q", "-f", "gift", "-f", "moodle", "-c", str(content), "-d", out
        )
        assert result.exit_code == 0, result.stderr
        gift = next(out.glob("*-gift.txt"))
        stems = {p["id"]: peg_text(p["stem"]) for p in peg_parse(gift, tmp_path) if p.get("id")}
        xml = by_id(parse(next(out.glob("*-moodle.xml")).read_bytes()))
        parents = {
            n.id: [(p, o) for p in course.decision_tree.nodes for o in p.options if o.next == n.id]
            for n in course.decision_tree.nodes
        }
        for node in course.decision_tree.nodes:
            text = stems[node.id]
            assert (
                text == shown(xml[node.id].find("questiontext")) == tree_question_text(course, node)
            )
            assert ("(If you answered" in text) is (node.id != course.decision_tree.start)
            for parent, option in parents[node.id]:
                assert f"\u201c{option.label}\u201d" in text and parent.prompt in text
        if content.name == "content":
            assert BUNDLED_MARK in stems["interest"]
        else:
            joined = [n for n, ps in parents.items() if len({p.id for p, _ in ps}) > 1]
            assert joined, "the joined shape has a question of several parents"
            assert stems[joined[0]].count(", or \u201c") >= 1
