"""The SCORM package in a real browser (docs/scorm-package.md is the contract).

Headless Chromium runs the exported zip against scorm-again (SCORM 1.2 and 2004)
through the browser kit (tests/browserkit.py): a learner's full run and the CMI
the runtime holds afterwards, a failed run graded like the Python scorer, resume,
relaunch after Finish, API discovery, axe-core on every screen, hostile content,
the state budget against the real encoder, and standalone mode.

The tests drive the page as a learner does (clicks, key presses, select boxes);
the app's test hooks (``window.pmkitApp``) are only used to read its state.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browserkit import (
    LmsSession,
    OpenCourse,
    PageRecord,
    axe_check,
    format_violations,
    serve,
    unzip,
)
from click.testing import CliRunner
from playwright.sync_api import Frame, Locator, Page, expect

from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit.pluginhost.host import load_plugins
from pmkit.scoring.scorer import Grade, Recommendation
from pmkit_builtins.scorm.interactions import state_budget

REPO = Path(__file__).resolve().parent.parent
BUNDLED_CONTENT = REPO / "content"
VERSIONS = ("1.2", "2004")
ZIP_NAMES = {"1.2": "pm-career-paths-scorm12.zip", "2004": "pm-career-paths-scorm2004.zip"}

#: The screens in order (docs/scorm-package.md, "Screens").
SCREENS = (
    "welcome",
    "self-discovery",
    "starting-point",
    "recommendation",
    "tracks",
    "decision-tree",
    "future",
    "knowledge-check",
    "next-steps",
    "finish",
)

#: The state's flags (docs/scorm-package.md, "The state").
SUBMITTED, FINISHED, PASSED, FAILED = 1, 2, 4, 8

#: What each version calls the same things.
NAMES: dict[str, dict[str, str]] = {
    "1.2": {
        "initialize": "LMSInitialize",
        "finish": "LMSFinish",
        "set": "LMSSetValue",
        "location": "cmi.core.lesson_location",
        "exit": "cmi.core.exit",
        "response": "student_response",
        "wrong": "wrong",
    },
    "2004": {
        "initialize": "Initialize",
        "finish": "Terminate",
        "set": "SetValue",
        "location": "cmi.location",
        "exit": "cmi.exit",
        "response": "learner_response",
        "wrong": "incorrect",
    },
}

TIMESPAN_12 = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
CLOCK_12 = re.compile(r"^\d{2}:\d{2}:\d{2}$")
DURATION_2004 = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$")
TIMESTAMP_2004 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,2})?$")

#: The self-discovery questions a test learner says "yes" to (the rest: "no").
YES = frozenset({"complex-problems", "data-driven", "cross-functional-teams", "user-needs"})
#: A starting point through the follow-up question: "New to Product", then an interest.
NEW_TO_PRODUCT = (("background", "new-to-product"), ("interest", "business-minded"))
TECHNICAL = (("background", "technical-background"),)

#: Content that must reach the page as text, never as markup.
HOSTILE = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> '
    "'single' \"double\" ]]> 🚀 مرحبا بالعالم"
)

# --------------------------------------------------------------------------- building


def export(content: Path, version: str, dest: Path) -> Path:
    """Export ``content`` with the real CLI (in-process) and return the zip."""
    from pmkit.cli import cli

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PMKIT_NO_CACHE", "1")
        result = CliRunner().invoke(
            cli,
            [
                "export",
                "-f",
                "scorm",
                "-c",
                str(content),
                "-d",
                str(dest),
                "-o",
                "version",
                version,
            ],
            catch_exceptions=False,
        )
    assert result.exit_code == 0, result.output
    package = dest / ZIP_NAMES[version]
    assert package.is_file()
    return package


def package_data(package: Path) -> dict[str, Any]:
    """``PMKIT_PACKAGE`` as the zip ships it (course-data.js)."""
    with zipfile.ZipFile(package) as zf:
        text = zf.read("course-data.js").decode("ascii")
    prefix = "var PMKIT_PACKAGE = "
    assert text.startswith(prefix)
    return with_full_questions(json.loads(text[len(prefix) :].rstrip().removesuffix(";")))


def with_full_questions(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every QuestionScorm whole again, by the rule course-data.js is
    written with (docs/scorm-package.md; tests/test_state_codec.py checks the app
    follows it)."""
    scorm, course = data["scorm"], data["course"]
    prompts = {
        q["id"]: q["text"] for g in course["self_discovery"]["groups"] for q in g["questions"]
    }
    prompts.update((n["id"], n["prompt"]) for n in course["decision_tree"]["nodes"])
    prompts.update((q["id"], q["prompt"]) for q in course["knowledge_check"]["questions"])
    for qid, q in scorm["questions"].items():
        q.update(interaction=qid, weighting=1 if q["graded"] else 0, **scorm["separators"])
        if scorm["version"] != "1.2":  # 2004 and cmi5: the 2004 table, with descriptions
            q.setdefault("description", f"{{lang={course['language']}}}{prompts[qid]}")
    return data


def replace_once(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in ``path`` (which must contain it)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def add_knowledge_questions(content: Path, rounds: int) -> None:
    """Add ``rounds`` x five knowledge-check questions (one of each type) to ``content``."""
    feedback = '{correct: "Yes.", partial: "Partly.", incorrect: "No."}'
    lines = ["kind: knowledge-check", "questions:"]
    for r in range(rounds):
        common = ["    explanation: Because.", "    tracks: [technical-pm]"]
        lines += [
            f"  - id: extra-single-{r}",
            "    type: single",
            "    prompt: Pick one.",
            *common,
            "    options:",
        ]
        lines += [
            f"      - {{id: o{i}, text: Option {i}, correct: {str(i == 2).lower()}}}"
            for i in range(7)
        ]
        lines += [
            f"  - id: extra-multiple-{r}",
            "    type: multiple",
            "    prompt: Pick some.",
            *common,
            "    options:",
        ]
        lines += [
            f"      - {{id: o{i}, text: Option {i}, correct: {str(i % 2 == 0).lower()}}}"
            for i in range(9)
        ]
        lines += [
            f"  - id: extra-true-false-{r}",
            "    type: true-false",
            "    prompt: True or not?",
            *common,
            "    answer: true",
        ]
        lines += [
            f"  - id: extra-matching-{r}",
            "    type: matching",
            "    prompt: Match them.",
            *common,
            f"    feedback: {feedback}",
            "    pairs:",
        ]
        lines += [f"      - {{id: p{i}, prompt: Prompt {i}, match: Match {i}}}" for i in range(6)]
        lines += ["    distractors:"]
        lines += [f"      - {{id: d{i}, text: Distractor {i}}}" for i in range(4)]
        lines += [
            f"  - id: extra-ordering-{r}",
            "    type: ordering",
            "    prompt: Order them.",
            *common,
            f"    feedback: {feedback}",
            "    items:",
        ]
        lines += [f"      - {{id: i{i}, text: Item {i}}}" for i in range(11)]
    (content / "extra-knowledge-check.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    course = content / "course.yaml"
    text = course.read_text(encoding="utf-8")
    assert text.endswith("  - knowledge-check.yaml\n")
    course.write_text(text + "  - extra-knowledge-check.yaml\n", encoding="utf-8")


@pytest.fixture(scope="module")
def content_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the bundled course, shared by the module (never edited)."""
    target = tmp_path_factory.mktemp("bundled") / "content"
    shutil.copytree(BUNDLED_CONTENT, target)
    return target


@pytest.fixture(scope="module")
def course(content_dir: Path) -> m.Course:
    """The bundled course model (the right answers, the Python scorers' input)."""
    return load_course(content_dir).course


@pytest.fixture(scope="module")
def packages(content_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled course exported once per version: ``{"1.2": zip, "2004": zip}``."""
    out = tmp_path_factory.mktemp("exports")
    return {version: export(content_dir, version, out) for version in VERSIONS}


# --------------------------------------------------------------------------- scoring


@functools.cache
def _scorers() -> Mapping[str, Any]:
    return load_plugins().scorers


def recommend(course: m.Course, answers: Mapping[str, Any]) -> Recommendation:
    """The Python weighted scorer's recommendation (the package's default)."""
    return _scorers()["weighted"].obj().score(course, answers, {})


def grade(course: m.Course, answers: Mapping[str, Any]) -> Grade:
    """The Python partial-credit scorer's grade (the package's default)."""
    return _scorers()["partial-credit"].obj().score(course, answers, {})


def self_discovery_answers(course: m.Course, yes: frozenset[str] = YES) -> dict[str, bool]:
    """An answer for every self-discovery question: yes for ``yes``, no otherwise."""
    return {q.id: q.id in yes for q in course.self_discovery.questions}


AS_SHOWN = object()
"""An ordering question left in the order the page shows (the learner's answer then)."""


def knowledge_plan(course: m.Course, style: str) -> dict[str, Any]:
    """Answers to give in the knowledge check, in the scorers' format.

    ``right``: every answer right. ``wrong``: every answer wrong. ``mixed``: of
    each type, the first question is wrong (single, true/false), partly right
    (multiple: one right option only; matching: two pairs swapped) or left as
    shown (ordering); the second single-choice question is skipped (absent), the
    second multiple-choice one gets only wrong options, the second matching one a
    single pair matched to a distractor; the rest are right.
    """
    plan: dict[str, Any] = {}
    seen: Counter[str] = Counter()
    for q in course.knowledge_check.questions:
        n = seen[q.type]
        seen[q.type] += 1
        wrong = style == "wrong" or (style == "mixed" and n == 0)
        second = style == "mixed" and n == 1
        if isinstance(q, m.ChoiceQuestion):
            right_ids = [o.id for o in q.options if o.correct]
            wrong_ids = [o.id for o in q.options if not o.correct]
            if q.type == "single":
                if second:
                    continue  # skipped: no answer, no interaction
                plan[q.id] = wrong_ids[0] if wrong else right_ids[0]
            elif wrong and style == "mixed":
                plan[q.id] = right_ids[:1]  # partly right (when more than one is right)
            else:
                plan[q.id] = wrong_ids if wrong or second else right_ids
        elif isinstance(q, m.TrueFalseQuestion):
            plan[q.id] = (not q.answer) if wrong else q.answer
        elif isinstance(q, m.MatchingQuestion):
            ids = [p.id for p in q.pairs]
            if wrong and style == "mixed":  # the first two swapped, the rest right
                plan[q.id] = {ids[0]: ids[1], ids[1]: ids[0], **{i: i for i in ids[2:]}}
            elif wrong:
                plan[q.id] = {i: ids[(k + 1) % len(ids)] for k, i in enumerate(ids)}
            elif second:  # one pair only, matched to a distractor (or a wrong pair)
                plan[q.id] = {ids[0]: q.distractors[0].id if q.distractors else ids[1]}
            else:
                plan[q.id] = {i: i for i in ids}
        elif isinstance(q, m.OrderingQuestion):
            ids = [it.id for it in q.items]
            if wrong and style == "mixed":
                plan[q.id] = AS_SHOWN
            else:
                plan[q.id] = ids[::-1] if wrong else ids
    return plan


# --------------------------------------------------------------------------- the learner


def by_id(element_id: str) -> str:
    """A selector for an id built from content ids (safe whatever the id holds)."""
    return f'[id="{element_id}"]'


@dataclass
class Learner:
    """A learner at one course window: the LMS's frame, its popup, or a page."""

    c: Page | Frame

    def at(self, selector: str) -> Locator:
        """A locator in the course window."""
        return self.c.locator(selector)

    def screen(self) -> str:
        """The id of the screen shown."""
        value = self.at("#main > section[data-screen]").get_attribute("data-screen")
        assert value is not None
        return value

    def expect_screen(self, screen: str) -> None:
        """Wait until ``screen`` is shown."""
        expect(self.at("#main > section[data-screen]")).to_have_attribute("data-screen", screen)
        expect(self.at(f"section#screen-{screen}")).to_be_visible()

    def _move(self, button: str, delta: int) -> None:
        target = SCREENS[SCREENS.index(self.screen()) + delta]
        self.at(button).click()
        self.expect_screen(target)
        expect(self.at("h1#screen-heading")).to_be_focused()
        expect(self.at("#progress-text")).to_contain_text(
            f"Step {SCREENS.index(target) + 1} of {len(SCREENS)}"
        )

    def next(self) -> None:
        """Select Next (Start on the welcome screen) and land on the next screen."""
        self._move("#btn-next", 1)

    def back(self) -> None:
        """Select Back and land on the previous screen."""
        self._move("#btn-back", -1)

    def walk_to(self, screen: str) -> None:
        """Select Next or Back until ``screen`` is shown."""
        while self.screen() != screen:
            if SCREENS.index(self.screen()) < SCREENS.index(screen):
                self.next()
            else:
                self.back()

    def start(self) -> None:
        """From the welcome screen, select Start."""
        self.expect_screen("welcome")
        expect(self.at("#btn-next")).to_have_text("Start")
        self.next()

    def answer_self_discovery(self, answers: Mapping[str, bool], *, keyboard: bool = False) -> None:
        """Answer yes/no questions (with Space on the focused radio when ``keyboard``)."""
        for qid, yes in answers.items():
            radio = self.at(by_id(f"sd_{qid}_{'yes' if yes else 'no'}"))
            if keyboard:
                radio.focus()
                radio.press("Space")
                expect(radio).to_be_checked()
            else:
                radio.check()

    def choose_start(self, path: Sequence[tuple[str, str]]) -> None:
        """Answer the starting-point questions (a follow-up appears after some options)."""
        for node, option in path:
            self.at(by_id(f"tree_{node}_{option}")).check()

    def shown_order(self, qid: str) -> list[str]:
        """The item ids of an ordering question, in the order shown."""
        return self.at(f"{by_id(f'kc_{qid}_list')} li.order-item").evaluate_all(
            "(items) => items.map((li) => li.dataset.item)"
        )

    def order(self, qid: str, wanted: Sequence[str]) -> None:
        """Press Move up / Move down until the items are in ``wanted`` order."""
        for position, item in enumerate(wanted):
            while (at := self.shown_order(qid).index(item)) != position:
                direction = "up" if at > position else "down"
                self.at(by_id(f"kc_{qid}_{item}_{direction}")).click()
        assert self.shown_order(qid) == list(wanted)

    def next_questions(self) -> None:
        """On a knowledge check of several screens: "Next questions", or "Skip" when
        a question on the screen is left unanswered (Next is disabled then)."""
        heading = self.at("#kc-page-heading").text_content()
        if self.at("#kc-next").get_attribute("aria-disabled") == "true":
            self.at("#kc-skip").click()
        else:
            self.at("#kc-next").click()
        expect(self.at("#kc-page-heading")).not_to_have_text(heading or "")
        expect(self.at("#kc-page-heading")).to_be_focused()

    def show_question(self, qid: str) -> None:
        """Page through the knowledge check until question ``qid`` is on the screen."""
        while self.at(by_id(f"kc_{qid}")).count() == 0:
            assert self.at("#kc-next").count() == 1, f"question {qid} not found"
            self.next_questions()

    def answer_knowledge(self, course: m.Course, plan: Mapping[str, Any]) -> dict[str, Any]:
        """Give the planned answers, screen by screen; return them as given (orders
        left as shown, read)."""
        given: dict[str, Any] = {}
        for q in course.knowledge_check.questions:
            if q.id not in plan:
                continue
            self.show_question(q.id)
            answer = plan[q.id]
            if q.type == "single":
                self.at(by_id(f"kc_{q.id}_{answer}")).check()
            elif q.type == "multiple":
                for option in answer:
                    self.at(by_id(f"kc_{q.id}_{option}")).check()
            elif q.type == "true-false":
                self.at(by_id(f"kc_{q.id}_{'true' if answer else 'false'}")).check()
            elif q.type == "matching":
                for pair, target in answer.items():
                    self.at(by_id(f"kc_{q.id}_{pair}")).select_option(value=target)
            elif q.type == "ordering":
                if answer is AS_SHOWN:
                    answer = self.shown_order(q.id)
                else:
                    self.order(q.id, answer)
            given[q.id] = answer
        return given

    def submit_knowledge(self) -> None:
        """Go to the check's last screen, select Submit answers and wait for the result."""
        while self.at("#kc-submit").count() == 0:
            self.next_questions()
        self.at("#kc-submit").click()
        expect(self.at("#kc-result")).to_be_visible()
        expect(self.at("#kc-result")).to_be_focused()
        expect(self.at("#kc-submit")).to_have_count(0)

    def finish(self) -> None:
        """Select Finish and wait for the read-only results."""
        self.at("#btn-finish").click()
        expect(self.at("#finish-status")).to_be_visible()
        expect(self.at("#course-nav")).to_be_hidden()

    def state(self) -> dict[str, Any]:
        """The app's state (read through its test hook)."""
        return self.c.evaluate("() => pmkitApp.state()")

    def decode(self, text: str) -> dict[str, Any] | None:
        """``pmkitApp.decodeState(text)``."""
        return self.c.evaluate("(text) => pmkitApp.decodeState(text)", text)


def expect_recommendation(learner: Learner, course: m.Course, rec: Recommendation) -> None:
    """The recommendation screen shows the Python scorer's result."""
    headline = learner.at("#recommended-track")
    expect(headline).to_have_attribute("data-track", rec.track)
    if rec.tie:
        expect(headline).to_have_attribute("data-tie", " ".join(rec.tie))
    else:
        assert headline.get_attribute("data-tie") is None
        title = next(t.title for t in course.tracks if t.id == rec.track)
        expect(headline).to_contain_text(title)
    expect(learner.at("#track-points tbody tr")).to_have_count(len(rec.tracks))
    for score in rec.tracks:
        row = learner.at(f'#track-points tr[data-track="{score.track}"]')
        expect(row.locator("td.num")).to_have_text(str(score.points))
        expect(row.locator(".bar-value")).to_have_text(f"{score.share}%")
    expect(learner.at("#reasons > li")).to_have_count(len(rec.contributions))


def explore_tree(learner: Learner, course: m.Course, answers: Mapping[str, Any]) -> None:
    """The decision tree screen starts from the learner's own path (``answers``);
    explore another answer of its first step and come back, answers unchanged."""
    path = recommend(course, answers).path
    steps = learner.at("#journey > li.journey-step")
    expect(steps).to_have_count(len(path))
    for k, step in enumerate(path):
        expect(steps.nth(k)).to_have_attribute("data-node", step.node)
        node = course.decision_tree.node(step.node)
        assert node is not None
        option = next(o for o in node.options if o.id == step.option)
        expect(steps.nth(k).locator(".journey-answer")).to_contain_text(
            option.label or next(t.perfect_for for t in course.tracks if t.id == option.track)
        )
    last = course.decision_tree.node(path[-1].node)
    assert last is not None
    end = next(o for o in last.options if o.id == path[-1].option)
    expect(learner.at("#journey-end")).to_have_attribute("data-track", end.track or "")
    start = course.decision_tree.start_node
    other = next(o for o in start.options if o.id != path[0].option and o.track)
    button = learner.at(by_id(f"walk_{start.id}_{other.id}"))
    button.click()
    expect(learner.at("#walk-outcome")).to_have_attribute("data-track", other.track or "")
    expect(learner.at("#walk-step")).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "true")
    learner.at("#walk-return").click()
    expect(learner.at("#walk-explore")).to_have_count(0)
    expect(button).to_be_focused()
    assert {
        k: v for k, v in learner.state()["answers"].items() if course.decision_tree.node(k)
    } == {s.node: s.option for s in path}


def run_to_knowledge_check(
    learner: Learner, course: m.Course, sd: Mapping[str, bool], path: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """Welcome → self-discovery → starting point → … → knowledge check; the answers given."""
    learner.start()
    learner.answer_self_discovery(sd)
    learner.next()
    learner.choose_start(path)
    learner.walk_to("knowledge-check")
    return {**sd, **dict(path)}


# --------------------------------------------------------------------------- the LMS's view


def assert_no_runtime_errors(session: LmsSession) -> None:
    """Zero failed calls, exceptions or calls after the finish in the runtime's log."""
    errors = session.errors()
    assert errors == [], json.dumps(errors, indent=1)


def assert_finished_once(session: LmsSession) -> None:
    """Exactly one LMSFinish/Terminate, and it is the last call the course made."""
    log = session.log()
    finish = NAMES[session.version]["finish"]
    finishes = [entry for entry in log if entry["method"] == finish]
    assert len(finishes) == 1, finishes
    assert log[-1]["method"] == finish, log[-3:]
    assert finishes[0]["result"] == "true" and finishes[0]["error"] == "0"


def rows(session: LmsSession, collection: str) -> list[dict[str, Any]]:
    """``cmi.interactions`` or ``cmi.objectives`` as a list (n = 0, 1, ...)."""
    held = session.get(f"cmi.{collection}") or {}
    assert sorted(held, key=int) == [str(n) for n in range(len(held))]
    return [held[str(n)] for n in range(len(held))]


@dataclass(frozen=True)
class Expected:
    """One interaction the package must have recorded."""

    id: str
    response: str
    result: str | float


def response_of(meta: Mapping[str, Any], answer: Any) -> str:
    """The response the contract prescribes for ``answer`` (tokens joined with ``sep``)."""
    tokens, sep = meta["tokens"], meta["sep"]
    if meta["type"] == "true-false":
        return tokens["true" if answer else "false"]
    if meta["type"] == "choice":
        if isinstance(answer, str):
            return tokens[answer]
        return sep.join(tokens[option] for option in tokens if option in answer)
    if meta["type"] == "matching":
        return sep.join(
            f"{tokens[p]}{meta['pairSep']}{meta['targets'][answer[p]]}"
            for p in tokens
            if p in answer
        )
    return sep.join(tokens[item] for item in answer)


def expected_interactions(
    course: m.Course,
    data: Mapping[str, Any],
    version: str,
    answers: Mapping[str, Any],
    graded: Grade | None,
) -> list[Expected]:
    """The interactions, in order: self-discovery answers, the starting-point path, then
    the knowledge check's answered questions (when it was submitted)."""
    questions = data["scorm"]["questions"]
    out = [
        Expected(q.id, response_of(questions[q.id], answers[q.id]), "neutral")
        for q in course.self_discovery.questions
        if q.id in answers
    ]
    out += [
        Expected(step.node, response_of(questions[step.node], step.option), "neutral")
        for step in recommend(course, answers).path
    ]
    if graded is not None:
        for outcome in graded.questions:
            if outcome.status == "unanswered":
                continue
            result: str | float = {"correct": "correct", "incorrect": NAMES[version]["wrong"]}.get(
                outcome.status, outcome.score
            )
            out.append(
                Expected(
                    outcome.question,
                    response_of(questions[outcome.question], answers[outcome.question]),
                    result,
                )
            )
    return out


def assert_interactions(
    session: LmsSession, data: Mapping[str, Any], expected: Sequence[Expected]
) -> None:
    """Every interaction with the contract's fields, as the runtime holds it."""
    names = NAMES[session.version]
    questions = data["scorm"]["questions"]
    held = rows(session, "interactions")
    assert [row["id"] for row in held] == [e.id for e in expected]
    for row, want in zip(held, expected, strict=True):
        meta = questions[want.id]
        where = f"interaction {want.id}: {row}"
        assert meta["interaction"] == want.id
        assert row["type"] == meta["type"], where
        assert row[names["response"]] == want.response, where
        if isinstance(want.result, float):
            assert float(row["result"]) == pytest.approx(want.result, abs=1e-4), where
            assert 0 < float(row["result"]) < 1, where
        else:
            assert row["result"] == want.result, where
        assert row["weighting"] == str(meta["weighting"]), where
        assert meta["weighting"] == (1 if meta["graded"] else 0)
        pattern = row["correct_responses"].get("0", {}).get("pattern")
        assert pattern == meta["correct"], where
        if session.version == "1.2":
            assert CLOCK_12.match(row["time"]), where
            assert TIMESPAN_12.match(row["latency"]), where
        else:
            assert TIMESTAMP_2004.match(row["timestamp"]), where
            assert DURATION_2004.match(row["latency"]), where
            assert row["description"] == meta["description"], where
            assert row["description"].startswith("{lang=en}"), where


def assert_objectives(session: LmsSession, rec: Recommendation) -> None:
    """One objective per track (looked up by id) with the track's share as its score."""
    held = {row["id"]: row for row in rows(session, "objectives")}
    assert set(held) == {score.track for score in rec.tracks}
    assert len(held) == len(rec.tracks)
    for score in rec.tracks:
        objective = held[score.track]
        assert objective["score"]["raw"] == str(score.share), objective
        assert objective["score"]["min"] == "0" and objective["score"]["max"] == "100"
        if session.version == "1.2":
            assert objective["status"] == "completed", objective
        else:
            assert float(objective["score"]["scaled"]) == pytest.approx(score.share / 100)
            assert objective["completion_status"] == "completed", objective


def assert_status(session: LmsSession, passed: bool, percent: int) -> None:
    """Status and score as the runtime holds them after a submitted knowledge check."""
    if session.version == "1.2":
        assert session.get("cmi.core.lesson_status") == ("passed" if passed else "failed")
        assert session.get("cmi.core.score.raw") == str(percent)
        assert session.get("cmi.core.score.min") == "0"
        assert session.get("cmi.core.score.max") == "100"
    else:
        assert session.get("cmi.completion_status") == "completed"
        assert session.get("cmi.success_status") == ("passed" if passed else "failed")
        assert session.get("cmi.score.raw") == str(percent)
        assert float(session.get("cmi.score.scaled")) == pytest.approx(percent / 100)
        assert session.get("cmi.score.min") == "0"
        assert session.get("cmi.score.max") == "100"


def assert_incomplete(session: LmsSession) -> None:
    """The status before the knowledge check is submitted."""
    if session.version == "1.2":
        assert session.get("cmi.core.lesson_status") == "incomplete"
    else:
        assert session.get("cmi.completion_status") == "incomplete"
        assert session.get("cmi.success_status") == "unknown"


def assert_suspend_data(
    session: LmsSession, learner: Learner, answers: Mapping[str, Any], flags: int, screen: str
) -> None:
    """The saved state decodes to the learner's answers, position and flags, within the
    worst case the package computed."""
    text = session.get("cmi.suspend_data")
    assert isinstance(text, str) and text.startswith("p3|")
    decoded = learner.decode(text)
    assert decoded is not None, text
    assert decoded["answers"] == dict(answers)
    assert decoded["screen"] == SCREENS.index(screen)
    assert decoded["flags"] == flags
    assert decoded["interactions"] == len(rows(session, "interactions"))
    worst = learner.c.evaluate("() => pmkitApp.worstCaseState()")
    assert len(text) <= len(worst) <= (4096 if session.version == "1.2" else 64000)


# --------------------------------------------------------------------------- 1. a full run


@pytest.mark.parametrize("version", VERSIONS)
def test_a_learner_who_passes_leaves_every_value_in_the_lms(
    lms: OpenCourse,
    page_record: PageRecord,
    packages: dict[str, Path],
    course: m.Course,
    version: str,
) -> None:
    package = packages[version]
    data = package_data(package)
    session = lms(package, version)
    learner = Learner(session.course)
    assert learner.c.evaluate("() => pmkitApp.screens()") == list(SCREENS)

    learner.start()
    sd = self_discovery_answers(course)
    learner.answer_self_discovery(sd)
    expect(learner.at("#sd-status")).to_contain_text(f"answered {len(sd)} of {len(sd)}")
    learner.next()
    learner.choose_start(NEW_TO_PRODUCT)
    learner.next()
    answers: dict[str, Any] = {**sd, **dict(NEW_TO_PRODUCT)}
    rec = recommend(course, answers)
    expect_recommendation(learner, course, rec)

    learner.next()  # the track explorer
    for track in course.tracks:
        expect(learner.at(f"section#track-{track.id}")).to_be_visible()
        expect(learner.at(f"section#track-{track.id} ol.ladder > li")).to_have_count(
            len(track.progression)
        )
    learner.next()  # the decision tree: the learner's own path, another explored
    explore_tree(learner, course, answers)
    learner.next()  # your future
    expect(learner.at("#industries tbody tr")).to_have_count(len(course.tracks))
    learner.next()  # the knowledge check
    given = learner.answer_knowledge(course, knowledge_plan(course, "right"))
    answers |= given
    learner.submit_knowledge()
    expect(learner.at("#kc-score")).to_have_attribute("data-percent", "100")
    expect(learner.at("#kc-score")).to_have_attribute("data-passed", "true")
    for q in course.knowledge_check.questions:
        expect(learner.at(by_id(f"kc_{q.id}_feedback"))).to_have_attribute("data-status", "correct")
    learner.next()  # next steps
    learner.next()  # finish
    learner.finish()
    assert_suspend_data(session, learner, answers, SUBMITTED | FINISHED | PASSED, "finish")
    session.unload()  # pagehide after Finish: nothing more may be called

    names = NAMES[version]
    assert_no_runtime_errors(session)
    assert_finished_once(session)
    graded = grade(course, answers)
    assert graded.percent == 100 and graded.passed
    assert_status(session, True, 100)
    # suspend after Finish too, so the LMS hands the results back on the next launch
    # (docs/scorm-package.md, "Leaving and coming back").
    assert session.get(names["exit"]) == "suspend"
    if version == "1.2":
        assert TIMESPAN_12.match(session.get("cmi.core.session_time"))
    else:
        assert session.get("cmi.score.scaled") == "1"
        assert float(session.get("cmi.progress_measure")) == 1
        assert DURATION_2004.match(session.get("cmi.session_time"))
        assert session.get("cmi.session_time").startswith("PT")
    assert session.get(names["location"]) == "finish"
    expected = expected_interactions(course, data, version, answers, graded)
    assert len(expected) == len(sd) + len(NEW_TO_PRODUCT) + len(course.knowledge_check.questions)
    questions = data["scorm"]["questions"]
    assert all(e.response == questions[e.id]["correct"] for e in expected if e.result != "neutral")
    assert_interactions(session, data, expected)
    assert_objectives(session, rec)
    page_record.assert_clean()


# --------------------------------------------------------------------------- 2. a failed run


@pytest.mark.parametrize("version", VERSIONS)
def test_a_mixed_run_fails_with_the_python_scorers_grade(
    lms: OpenCourse,
    page_record: PageRecord,
    packages: dict[str, Path],
    course: m.Course,
    version: str,
) -> None:
    package = packages[version]
    data = package_data(package)
    session = lms(package, version)
    learner = Learner(session.course)
    answers = run_to_knowledge_check(learner, course, self_discovery_answers(course), TECHNICAL)
    given = learner.answer_knowledge(course, knowledge_plan(course, "mixed"))
    answers |= given
    graded = grade(course, answers)
    statuses = Counter(q.status for q in graded.questions)
    assert not graded.passed and 0 < graded.percent < 100
    assert statuses["partial"] >= 2 and statuses["incorrect"] >= 2
    assert statuses["unanswered"] == 1
    for q in course.knowledge_check.questions:  # shuffled: nothing starts in its place
        if isinstance(q, m.OrderingQuestion) and given[q.id] != [i.id for i in q.items]:
            assert all(a != b.id for a, b in zip(given[q.id], q.items, strict=True))
    assert_incomplete(session)

    learner.submit_knowledge()
    score = learner.at("#kc-score")
    expect(score).to_have_attribute("data-percent", str(graded.percent))
    expect(score).to_have_attribute("data-passed", "false")
    for outcome in graded.questions:
        expect(learner.at(by_id(f"kc_{outcome.question}_feedback"))).to_have_attribute(
            "data-status", outcome.status
        )
    assert_status(session, False, graded.percent)
    learner.walk_to("finish")
    learner.finish()

    assert_no_runtime_errors(session)
    assert_finished_once(session)
    assert_status(session, False, graded.percent)
    assert_interactions(
        session, data, expected_interactions(course, data, version, answers, graded)
    )
    assert_suspend_data(session, learner, answers, SUBMITTED | FINISHED | FAILED, "finish")
    page_record.assert_clean()


# --------------------------------------------------------------------------- 3. resume


@pytest.mark.parametrize("version", VERSIONS)
def test_a_relaunch_resumes_on_the_same_screen_with_the_answers(
    lms: OpenCourse,
    page_record: PageRecord,
    packages: dict[str, Path],
    course: m.Course,
    version: str,
) -> None:
    session = lms(packages[version], version)
    learner = Learner(session.course)
    questions = course.self_discovery.questions
    half = {q.id: q.id in YES for q in questions[: len(questions) // 2]}
    learner.start()
    learner.answer_self_discovery(half, keyboard=True)
    learner.next()
    before = learner.state()
    assert before["answers"] == half
    session.unload()
    assert_no_runtime_errors(session)
    assert_finished_once(session)
    assert session.get(NAMES[version]["exit"]) == "suspend"
    assert session.get(NAMES[version]["location"]) == "starting-point"
    assert len(rows(session, "interactions")) == len(half)

    again = session.relaunch()
    resumed = Learner(again.course)
    resumed.expect_screen("starting-point")
    expect(resumed.at("#notices")).to_contain_text("continuing where you left off")
    assert resumed.state()["answers"] == before["answers"]
    assert resumed.state()["interactions"] == len(half)
    resumed.back()
    for q in questions:
        yes, no = resumed.at(by_id(f"sd_{q.id}_yes")), resumed.at(by_id(f"sd_{q.id}_no"))
        if q.id in half:
            expect(yes if half[q.id] else no).to_be_checked()
            expect(no if half[q.id] else yes).not_to_be_checked()
        else:
            expect(yes).not_to_be_checked()
            expect(no).not_to_be_checked()
    resumed.next()  # leaving the screen again records nothing twice
    assert [row["id"] for row in rows(again, "interactions")] == list(half)
    assert_no_runtime_errors(again)
    page_record.assert_clean()


# --------------------------------------------------------------------------- 4. after Finish


@pytest.mark.parametrize("version", VERSIONS)
def test_a_relaunch_after_finish_shows_results_and_never_lowers_the_status(
    lms: OpenCourse,
    page_record: PageRecord,
    packages: dict[str, Path],
    course: m.Course,
    version: str,
) -> None:
    package = packages[version]
    data = package_data(package)
    session = lms(package, version)
    learner = Learner(session.course)
    first = run_to_knowledge_check(learner, course, {}, TECHNICAL)
    first |= learner.answer_knowledge(course, knowledge_plan(course, "right"))
    learner.submit_knowledge()
    learner.walk_to("finish")
    learner.finish()
    assert_status(session, True, 100)
    assert_no_runtime_errors(session)
    assert_finished_once(session)

    again = session.relaunch()
    results = Learner(again.course)
    results.expect_screen("finish")
    expect(results.at("#finish-status")).to_be_visible()
    expect(results.at("#course-nav")).to_be_hidden()
    expect(results.at("#kc-score")).to_contain_text("100%")
    expect(results.at("#recommended-track")).to_have_attribute("data-track", "technical-pm")
    expect(results.at("input, select")).to_have_count(0)  # read only
    retake = results.at("#btn-retake")
    expect(retake).to_be_visible()
    retake.click()
    results.expect_screen("self-discovery")
    assert results.state()["answers"] == {}
    results.next()
    results.choose_start(TECHNICAL)
    results.walk_to("knowledge-check")
    second = {
        **dict(TECHNICAL),
        **results.answer_knowledge(course, knowledge_plan(course, "wrong")),
    }
    results.submit_knowledge()
    expect(results.at("#kc-score")).to_have_attribute("data-passed", "false")
    assert_status(again, True, 100)  # never lowered
    results.walk_to("finish")
    results.finish()

    assert_no_runtime_errors(again)
    assert_finished_once(again)
    assert_status(again, True, 100)
    set_call = NAMES[version]["set"]
    status_elements = {
        "cmi.core.lesson_status",
        "cmi.success_status",
        "cmi.completion_status",
        "cmi.core.score.raw",
        "cmi.score.raw",
        "cmi.score.scaled",
    }
    rewritten = [
        entry["args"] for entry in again.calls(set_call) if entry["args"][0] in status_elements
    ]
    assert rewritten == [], "the second session rewrote the status or score"
    assert_interactions(
        again,
        data,
        [  # the retake's answers are appended
            *expected_interactions(course, data, version, first, grade(course, first)),
            *expected_interactions(course, data, version, second, grade(course, second)),
        ],
    )
    page_record.assert_clean()


# --------------------------------------------------------------------------- 5. finding the API


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("launch", ["one-frame-deeper", "window-opener"])
def test_the_api_is_found_one_frame_deeper_and_through_the_opener(
    lms: OpenCourse,
    page_record: PageRecord,
    packages: dict[str, Path],
    course: m.Course,
    version: str,
    launch: str,
) -> None:
    if launch == "window-opener":
        session = lms(packages[version], version, via_opener=True)
        assert isinstance(session.course, Page) and session.course is not session.page
    else:
        session = lms(packages[version], version, depth=2)
        frame = session.course
        assert isinstance(frame, Frame)
        assert frame.parent_frame is not None
        assert frame.parent_frame.parent_frame is session.page.main_frame
    learner = Learner(session.course)
    learner.start()
    sd = self_discovery_answers(course)
    learner.answer_self_discovery(sd)
    learner.next()
    learner.choose_start(TECHNICAL)
    learner.next()
    assert len(session.calls(NAMES[version]["initialize"])) == 1
    assert [row["id"] for row in rows(session, "interactions")] == [*sd, "background"]
    assert_no_runtime_errors(session)
    page_record.assert_clean()


# --------------------------------------------------------------------------- 6. axe-core


def _audit(learner: Learner, where: str, found: dict[str, str], width: int) -> None:
    violations = axe_check(learner.c)
    if violations:
        found[where] = format_violations(violations)
    overflow = learner.c.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if width <= 400 and overflow > 0:
        found[f"{where} (layout)"] = f"scrolls sideways by {overflow}px at {width}px wide"


def _audit_every_screen(learner: Learner, course: m.Course, width: int) -> dict[str, str]:
    """Walk every screen in every state worth seeing; axe (and layout) findings by screen."""
    found: dict[str, str] = {}
    tree = course.decision_tree
    via = next(o for o in tree.start_node.options if o.next)
    _audit(learner, "welcome", found, width)
    learner.start()
    _audit(learner, "self-discovery", found, width)
    learner.answer_self_discovery(self_discovery_answers(course))
    _audit(learner, "self-discovery answered", found, width)
    learner.next()
    learner.at("#btn-next").click()  # unanswered: an error, focus on the question
    expect(learner.at("#tree-error")).to_be_visible()
    learner.expect_screen("starting-point")
    _audit(learner, "starting-point error", found, width)
    learner.choose_start(NEW_TO_PRODUCT)
    _audit(learner, "starting-point follow-up", found, width)
    for screen in ("recommendation", "tracks", "decision-tree"):
        learner.next()
        _audit(learner, screen, found, width)
    other = next(o for o in tree.start_node.options if o.id != via.id)
    learner.at(by_id(f"walk_{tree.start}_{other.id}")).click()
    expect(learner.at("#walk-outcome")).to_be_visible()
    _audit(learner, "decision-tree exploring", found, width)
    learner.at("#walk-return").click()
    learner.next()
    _audit(learner, "future", found, width)
    learner.next()
    _audit(learner, "knowledge-check", found, width)
    learner.answer_knowledge(course, knowledge_plan(course, "mixed"))
    learner.submit_knowledge()
    _audit(learner, "knowledge-check submitted", found, width)
    learner.next()
    _audit(learner, "next-steps", found, width)
    learner.next()
    _audit(learner, "finish", found, width)
    learner.finish()
    _audit(learner, "finished", found, width)
    return found


@pytest.mark.parametrize(("where", "width"), [("lms", 1280), ("standalone", 375)])
def test_every_screen_passes_axe(
    lms: OpenCourse,
    page_record: PageRecord,
    packages: dict[str, Path],
    course: m.Course,
    tmp_path: Path,
    where: str,
    width: int,
) -> None:
    page = page_record.page
    page.set_viewport_size({"width": width, "height": 800})
    if where == "lms":
        session = lms(packages["1.2"], "1.2")
        found = _audit_every_screen(Learner(session.course), course, width)
        assert_no_runtime_errors(session)
    else:
        with serve(unzip(packages["1.2"], tmp_path / "package")) as server:
            page.goto(server.url("index.html"))
            assert page.evaluate("() => window.innerWidth") == width
            found = _audit_every_screen(Learner(page), course, width)
    assert not found, "\n".join(f"--- {screen}\n{text}" for screen, text in found.items())
    page_record.assert_clean()


# --------------------------------------------------------------------------- 7. hostile content


def make_hostile(content: Path) -> dict[str, str]:
    """Put ``HOSTILE`` into a track title, a duty, a self-discovery question and a
    knowledge-check option of ``content``; return the strings by place."""
    strings = {
        "track": f"Track {HOSTILE}",
        "duty": f"Duty {HOSTILE}",
        "question": f"Question {HOSTILE}?",
        "option": f"Option {HOSTILE}",
    }
    track = content / "tracks" / "technical-pm.yaml"
    replace_once(
        track, "title: The Technical Product Manager\n", f"title: {yaml_string(strings['track'])}\n"
    )
    replace_once(
        track, "  - Guide technical product development\n", f"  - {yaml_string(strings['duty'])}\n"
    )
    replace_once(
        content / "self-discovery.yaml",
        "text: Do you enjoy solving complex problems?\n",
        f"text: {yaml_string(strings['question'])}\n",
    )
    replace_once(
        content / "knowledge-check.yaml",
        "        text: Tech-savvy individuals who love working with engineering teams\n",
        f"        text: {yaml_string(strings['option'])}\n",
    )
    return strings


def assert_text(locator: Locator, text: str) -> None:
    """``text`` is in the rendered text of ``locator`` (so it was not parsed as markup)."""
    expect(locator.first).to_be_visible()
    shown = locator.first.inner_text()
    assert text in shown, f"{text!r} not in {shown!r}"


@pytest.mark.parametrize("version", VERSIONS)
def test_hostile_content_shows_as_text(
    lms: OpenCourse,
    page_record: PageRecord,
    bundled_content: Path,
    tmp_path: Path,
    version: str,
) -> None:
    strings = make_hostile(bundled_content)
    hostile_course = load_course(bundled_content).course
    assert hostile_course.tracks[0].title == strings["track"]
    package = export(bundled_content, version, tmp_path / "out")
    dialogs: list[str] = []
    page_record.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    session = lms(package, version)
    learner = Learner(session.course)
    learner.start()
    assert_text(learner.at(f"{by_id('q_complex-problems')} legend"), strings["question"])
    learner.answer_self_discovery({"complex-problems": True})
    learner.next()
    learner.choose_start(TECHNICAL)
    learner.next()
    assert_text(learner.at("#recommended-track"), strings["track"])
    assert_text(learner.at("#reasons"), strings["question"])
    learner.next()
    assert_text(learner.at("#track-technical-pm-title"), strings["track"])
    assert_text(learner.at("#track-technical-pm"), strings["duty"])
    learner.walk_to("knowledge-check")
    option = by_id("kc_kc-technical-perfect-for_tech-savvy")
    assert_text(
        learner.at('label[for="kc_kc-technical-perfect-for_tech-savvy"]'), strings["option"]
    )
    learner.at(option).check()
    learner.submit_knowledge()
    assert_text(learner.at(by_id("kc_kc-technical-perfect-for_feedback")), strings["option"])

    for window in (learner.c, session.page):
        assert window.evaluate("() => typeof window.__pwned") == "undefined"
    assert learner.c.evaluate("() => document.querySelectorAll('img').length") == 0
    assert learner.c.evaluate("() => document.querySelectorAll('script').length") == 4
    assert dialogs == []
    if version == "2004":
        described = {row["id"]: row["description"] for row in rows(session, "interactions")}
        assert described["complex-problems"] == "{lang=en}" + strings["question"]
    assert_no_runtime_errors(session)
    page_record.assert_clean()


# --------------------------------------------------------------------------- 8. the state budget


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("size", ["bundled", "larger"])
def test_the_state_budget_is_the_encoders_worst_case(
    page_record: PageRecord,
    bundled_content: Path,
    course: m.Course,
    tmp_path: Path,
    version: str,
    size: str,
) -> None:
    if size == "larger":
        add_knowledge_questions(bundled_content, 6)
    measured = load_course(bundled_content).course
    budget = state_budget(measured)
    if size == "larger":
        assert len(measured.knowledge_check.questions) == len(course.knowledge_check.questions) + 30
        assert state_budget(course) < budget <= 4096
    package = export(bundled_content, version, tmp_path / "out")
    page = page_record.page
    with serve(unzip(package, tmp_path / "package")) as server:
        page.goto(server.url("index.html"))
        worst = page.evaluate("() => pmkitApp.worstCaseState()")
        decoded = page.evaluate("(text) => pmkitApp.decodeState(text)", worst)
        again = page.evaluate("(text) => pmkitApp.encodeState(pmkitApp.decodeState(text))", worst)
    assert len(worst) == budget
    assert decoded is not None and again == worst
    assert decoded["flags"] == SUBMITTED | FINISHED | PASSED | FAILED
    assert set(decoded["answers"]) == (
        {q.id for q in measured.self_discovery.questions}
        | {n.id for n in measured.decision_tree.nodes}
        | {q.id for q in measured.knowledge_check.questions}
    )
    page_record.assert_clean()


# --------------------------------------------------------------------------- 9. standalone


@pytest.mark.parametrize("version", VERSIONS)
def test_standalone_mode_keeps_progress_until_reset(
    page_record: PageRecord,
    packages: dict[str, Path],
    course: m.Course,
    tmp_path: Path,
    version: str,
) -> None:
    page = page_record.page
    data = package_data(packages[version])
    questions = course.self_discovery.questions
    some = {questions[0].id: True, questions[1].id: False, questions[-1].id: True}
    with serve(unzip(packages[version], tmp_path / "package")) as server:
        page.goto(server.url("index.html"))
        learner = Learner(page)
        expect(page.locator("#btn-reset")).to_be_visible()
        learner.start()
        learner.answer_self_discovery(some)
        page.reload()
        learner.expect_screen("self-discovery")
        for qid, yes in some.items():
            expect(page.locator(by_id(f"sd_{qid}_{'yes' if yes else 'no'}"))).to_be_checked()
        expect(page.locator(by_id(f"sd_{questions[2].id}_yes"))).not_to_be_checked()
        saved = page.evaluate("(key) => localStorage.getItem(key)", data["scorm"]["storageKey"])
        assert learner.decode(saved)["answers"] == some

        page.locator("#btn-reset").click()  # asks first: Cancel keeps everything
        page.locator("#btn-reset-no").click()
        expect(page.locator("#btn-reset")).to_be_focused()
        assert learner.state()["answers"] == some
        page.locator("#btn-reset").click()
        page.locator("#btn-reset-yes").click()
        learner.expect_screen("welcome")
        assert learner.state()["answers"] == {}
        page.reload()
        learner.expect_screen("welcome")
        learner.start()
        expect(page.locator("#screen-self-discovery input:checked")).to_have_count(0)
    page_record.assert_clean()
