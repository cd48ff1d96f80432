#!/usr/bin/env python3
"""Generate a synthetic, valid pmkit course for benchmarking.

Usage::

    python benchmarks/make_content.py N DIR [--seed SEED]

Writes into DIR a course in the ``pmkit: 1`` content format (see
``docs/content-format.md``): ``course.yaml``, three track files, a
self-discovery file, a decision tree, guidance, and one
``knowledge-check.yaml`` holding N questions whose types cycle through
``single``, ``multiple`` and ``true-false`` (the types text2qti also has).

The same N questions (same stems, options, per-option feedback and
explanation) are written to ``DIR/text2qti/quiz.md`` in text2qti's plain-text
quiz format, so that ``text2qti DIR/text2qti/quiz.md`` does the equivalent
work and serves as a yardstick.

Everything is deterministic: the generator is seeded, so the same N and seed
always give byte-identical files.  Question texts are built from a small,
markup-free vocabulary (letters, digits, spaces and ``, . ' ( ) ? : -``) so
that they mean the same thing as pmkit plain text and as text2qti Markdown.

Only the standard library and PyYAML are used.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_SEED = 20240607
TRACK_IDS: tuple[str, str, str] = ("technical-pm", "growth-pm", "strategic-pm")
QUESTION_TYPES: tuple[str, str, str] = ("single", "multiple", "true-false")
OPTION_IDS = "abcd"
KC_FILE = "knowledge-check.yaml"
QUIZ_FILE = Path("text2qti") / "quiz.md"
KC_TITLE = "Knowledge Check"
#: Knowledge-check questions per screen in the generated course.
KC_PER_SCREEN = 5
KC_INTRO = (
    "Test what you have learned about the three product management tracks, "
    "how to choose between them, and how to grow in the role."
)

# --------------------------------------------------------------------------
# Vocabulary for the knowledge-check questions.  A mixed-radix decomposition
# of the question index over these lists gives every question a distinct stem
# (7 * 17 * 13 * 11 = 17,017 per choice type, 32 * 7 * 13 * 11 = 32,032 for
# true-false) before a "(variant k)" suffix is needed.
# --------------------------------------------------------------------------

ROLES: tuple[str, ...] = (
    "a new PM",
    "a technical PM",
    "a growth PM",
    "a strategic PM",
    "an associate PM",
    "a senior PM",
    "a product owner",
)

CONTEXTS: tuple[str, ...] = (
    "at a fintech startup",
    "in a healthcare scale-up",
    "on a mobile banking app",
    "in a B2B analytics company",
    "at an online marketplace",
    "on a developer tools team",
    "in a public sector service",
    "at a logistics platform",
    "in a consumer fitness app",
    "at an edtech company",
    "on an internal platform team",
    "in a travel booking service",
    "at a media streaming company",
    "on a payments API team",
    "in a retail ecommerce group",
    "in an insurance product group",
    "at a games studio",
)

GOALS: tuple[str, ...] = (
    "keep stakeholders aligned",
    "protect the team's focus",
    "make a defensible priority call",
    "learn what customers really need",
    "reduce delivery risk",
    "build trust with engineering",
    "show progress to leadership",
    "improve activation",
    "decide what to build next",
    "keep the roadmap honest",
    "avoid wasted effort",
    "grow retention",
    "choose between two bets",
)

SITUATIONS: tuple[str, ...] = (
    "when a launch slips",
    "when two leaders disagree",
    "after retention drops",
    "while planning a quarter",
    "after a rival launch",
    "when tech debt grows",
    "before an enterprise deal",
    "when data and interviews clash",
    "while onboarding a team",
    "when a key account may churn",
    "after a small test win",
)

# (option text, rationale used in feedback)
GOOD_PRACTICES: tuple[tuple[str, str], ...] = (
    (
        "Write a one-page decision record that names the trade-offs accepted",
        "a short written record makes the reasoning visible, so people who "
        "disagree can see what was weighed and why the call went this way.",
    ),
    (
        "Tie each roadmap item to a measurable outcome the team agreed on",
        "outcomes give the team a shared definition of success and make it "
        "easier to drop work that no longer moves the number that matters.",
    ),
    (
        "Talk to a handful of affected customers before changing the plan",
        "a few direct conversations reveal the context behind the numbers "
        "and often change which problem looks most worth solving first.",
    ),
    (
        "Ask engineering for a rough size estimate before promising a date",
        "even a coarse estimate exposes hidden complexity early and keeps "
        "commitments grounded in what the team can actually deliver.",
    ),
    (
        "Run a small, time-boxed experiment on the riskiest assumption",
        "testing the assumption most likely to be wrong first is the "
        "cheapest way to learn before the team invests months of effort.",
    ),
    (
        "Share the prioritisation criteria openly and apply them consistently",
        "transparent criteria let stakeholders predict decisions, argue "
        "with the criteria instead of the person, and accept a no more easily.",
    ),
    (
        "Reserve a fixed share of each sprint for paying down technical debt",
        "a steady allowance keeps the codebase healthy without stopping "
        "feature work and avoids a painful rewrite a year from now.",
    ),
    (
        "Check the funnel data for the affected segment before reacting",
        "segment level data shows whether the change is real, how large it "
        "is, and which users are affected, which prevents overreaction.",
    ),
    (
        "Agree on a success metric and a review date before the launch",
        "deciding up front what good looks like makes the post launch "
        "review honest and stops the team from moving the goalposts later.",
    ),
    (
        "Escalate early with options rather than waiting for a perfect answer",
        "leaders can help most when they hear about a problem early, and "
        "bringing options turns the escalation into a quick decision.",
    ),
    (
        "Pair a designer with an engineer to explore the problem together",
        "joint exploration surfaces constraints and ideas that neither "
        "discipline would find alone, which leads to simpler solutions.",
    ),
    (
        "Summarise what you heard back to stakeholders to confirm it",
        "playing back what you heard catches misunderstandings while they "
        "are cheap to fix and shows people that they were listened to.",
    ),
    (
        "Cut scope to protect the date and record what moved to later",
        "trimming scope keeps the promise that matters most, and a visible "
        "list of deferred items shows nothing was silently dropped.",
    ),
    (
        "Look for the underlying job the customer is trying to get done",
        "understanding the job behind a request opens up solutions that "
        "serve many customers instead of one literal feature ask.",
    ),
    (
        "Review support tickets regularly with the whole team",
        "reading real complaints together builds shared empathy and keeps "
        "the most painful problems in front of the people who can fix them.",
    ),
    (
        "Compare the opportunity against the current strategy first",
        "checking fit with the strategy keeps the team from chasing every "
        "attractive idea and protects the bets that were already agreed.",
    ),
)

POOR_PRACTICES: tuple[tuple[str, str], ...] = (
    (
        "Promise the feature to every stakeholder so nobody feels left out",
        "promising everything to everyone guarantees broken commitments and "
        "erodes trust faster than an honest no would have.",
    ),
    (
        "Copy the competitor's feature exactly to close the gap quickly",
        "a copied feature ignores your own users' context and strategy, and "
        "it usually arrives after the competitor has already moved on.",
    ),
    (
        "Decide alone and announce the change at the next all-hands meeting",
        "deciding in isolation skips the people with the most context and "
        "turns a reasonable change into a surprise that people resist.",
    ),
    (
        "Add the request to the roadmap without checking its impact",
        "unexamined requests crowd out higher value work, and the roadmap "
        "turns into a list of promises rather than a set of bets.",
    ),
    (
        "Ask the team to work weekends until the original date is met",
        "sustained overtime lowers quality and morale, and it hides the "
        "planning problem that caused the slip in the first place.",
    ),
    (
        "Ignore the qualitative feedback because the dashboard looks healthy",
        "dashboards show what happened but rarely why, so dismissing what "
        "customers say throws away the best early warning you have.",
    ),
    (
        "Postpone all technical debt work until after the next funding round",
        "deferring all maintenance lets small problems compound until they "
        "slow every future release and force a risky rewrite.",
    ),
    (
        "Pick the option the most senior person in the room prefers",
        "seniority is not evidence, and deferring to rank teaches the team "
        "that data and customer insight do not change decisions.",
    ),
    (
        "Ship the redesign to all users at once and watch what happens",
        "a full release without a staged rollout makes it hard to measure "
        "the effect and expensive to roll back if something breaks.",
    ),
    (
        "Keep the decision private until every detail has been settled",
        "waiting for perfect detail delays feedback, and people who learn "
        "about a decision late tend to reopen it instead of supporting it.",
    ),
    (
        "Measure success by the number of features shipped each quarter",
        "output counts reward busyness rather than impact and push the team "
        "to ship more things instead of solving the right problems.",
    ),
    (
        "Treat every customer request as a commitment for the next sprint",
        "turning requests straight into commitments leaves no room for "
        "judgement and lets the most recent caller set the direction.",
    ),
    (
        "Replace user research with a survey sent to the whole mailing list",
        "broad surveys tell you what people say they want, not how they "
        "behave, and they miss the context that interviews uncover.",
    ),
    (
        "Let the loudest stakeholder set the priorities for the quarter",
        "volume is not value, and letting it decide priorities sidelines "
        "quieter teams whose problems may matter more to customers.",
    ),
    (
        "Skip the retrospective to save time for the next release",
        "skipping reflection saves an hour now but repeats the same "
        "mistakes in every later release, which costs far more time.",
    ),
    (
        "Rewrite the product from scratch before fixing any known issues",
        "a full rewrite delays every fix for months and tends to recreate "
        "old bugs while adding new ones along the way.",
    ),
)

CORRECT_LEADS: tuple[str, ...] = ("Correct.", "Yes.", "Right.", "Well spotted.")
INCORRECT_LEADS: tuple[str, ...] = (
    "Not quite.",
    "Not the best choice.",
    "Think again.",
    "Not really.",
)

PRINCIPLES: tuple[str, ...] = (
    "Good product decisions start from the problem and the outcome you want, "
    "not from the first solution someone proposes.",
    "A product manager earns trust by making trade-offs explicit and "
    "explaining them in plain language to everyone affected.",
    "Evidence from customers and from usage data is strongest when the two "
    "are read together rather than one being used to dismiss the other.",
    "Small, reversible steps let a team learn quickly while keeping the cost of being wrong low.",
    "Commitments should be grounded in what the team can actually deliver, "
    "which means involving engineering before dates are promised.",
    "Strategy is a tool for saying no: it helps the team decline attractive "
    "work that does not serve the bets already agreed.",
    "Alignment comes from shared criteria and visible reasoning, not from "
    "agreeing with whoever asks the loudest.",
    "Healthy teams protect time for maintenance and reflection so that "
    "delivery speed holds up over many releases.",
    "The best escalations arrive early, describe the problem clearly and "
    "bring concrete options for a decision.",
    "Measuring outcomes instead of output keeps attention on whether "
    "customers are better off, not on how busy the team looks.",
    "Writing decisions down turns a one-off conversation into something new "
    "team members and future reviews can learn from.",
    "Listening carefully and playing back what was heard prevents costly "
    "misunderstandings between product, design and engineering.",
    "Each track applies these habits differently, but all three rely on the "
    "same core of curiosity, clarity and follow-through.",
    "The seed article stresses that the right path depends on your strengths "
    "and the kind of problems you enjoy solving.",
    "Revisiting a decision with fresh data is a strength, as long as the "
    "review was planned and the criteria stay the same.",
)


@dataclass
class Option:
    """One answer option of a single or multiple choice question."""

    id: str
    text: str
    correct: bool
    feedback: str


@dataclass
class Question:
    """A knowledge-check question, in a form both output formats can use."""

    id: str
    type: str  # single | multiple | true-false
    prompt: str
    explanation: str
    tracks: list[str]
    options: list[Option] = field(default_factory=list)
    answer: bool | None = None  # true-false only
    true_feedback: str = ""
    false_feedback: str = ""


def _lower_first(text: str) -> str:
    """Lower-case the first character of *text* (it starts with a verb)."""
    return text[:1].lower() + text[1:]


def _digits(index: int, radices: tuple[int, ...]) -> tuple[list[int], int]:
    """Mixed-radix digits of *index*, least significant first, and the rest."""
    digits = []
    for radix in radices:
        index, digit = divmod(index, radix)
        digits.append(digit)
    return digits, index


def _capitalise(text: str) -> str:
    """Upper-case the first character of *text*."""
    return text[:1].upper() + text[1:]


def generate_questions(n: int, seed: int = DEFAULT_SEED) -> list[Question]:
    """Build *n* deterministic knowledge-check questions.

    Types cycle single, multiple, true-false.  Stems are unique (text2qti
    rejects duplicate questions); option texts are unique within a question.
    """
    rng = random.Random(seed)
    width = max(5, len(str(n)))
    # Good and poor practices interleaved, so true-false answers alternate.
    statements = [p for pair in zip(GOOD_PRACTICES, POOR_PRACTICES, strict=True) for p in pair]
    questions: list[Question] = []
    for i in range(n):
        qtype = QUESTION_TYPES[i % 3]
        explanation = " ".join(rng.sample(PRINCIPLES, 3))
        tracks = [TRACK_IDS[i % len(TRACK_IDS)]]
        qid = f"kc-{i + 1:0{width}d}"
        if qtype == "true-false":
            (s, r, g, t), variant = _digits(
                i // 3, (len(statements), len(ROLES), len(GOALS), len(SITUATIONS))
            )
            practice, rationale = statements[s]
            answer = statements[s] in GOOD_PRACTICES
            suffix = f" (variant {variant + 1})" if variant else ""
            prompt = (
                f"True or false: to {GOALS[g]} {SITUATIONS[t]}, {ROLES[r]} should "
                f"{_lower_first(practice)}{suffix}."
            )
            right = f"{rng.choice(CORRECT_LEADS)} {_capitalise(rationale)}"
            wrong = f"{rng.choice(INCORRECT_LEADS)} {_capitalise(rationale)}"
            questions.append(
                Question(
                    id=qid,
                    type=qtype,
                    prompt=prompt,
                    explanation=explanation,
                    tracks=tracks,
                    answer=answer,
                    true_feedback=right if answer else wrong,
                    false_feedback=wrong if answer else right,
                )
            )
            continue
        (r, c, g, t), variant = _digits(
            i // 3, (len(ROLES), len(CONTEXTS), len(GOALS), len(SITUATIONS))
        )
        suffix = f" (variant {variant + 1})" if variant else ""
        who_what = f"{ROLES[r]} {CONTEXTS[c]} {GOALS[g]} {SITUATIONS[t]}{suffix}"
        if qtype == "single":
            n_correct = 1
            prompt = f"Which action best helps {who_what}?"
        else:
            n_correct = rng.randint(1, 3)
            prompt = f"Which of these help {who_what}? Select all that apply."
        picks = [(p, True) for p in rng.sample(GOOD_PRACTICES, n_correct)]
        picks += [(p, False) for p in rng.sample(POOR_PRACTICES, 4 - n_correct)]
        rng.shuffle(picks)
        options = []
        for option_id, ((text, rationale), correct) in zip(OPTION_IDS, picks, strict=True):
            lead = rng.choice(CORRECT_LEADS if correct else INCORRECT_LEADS)
            options.append(Option(option_id, text, correct, f"{lead} {_capitalise(rationale)}"))
        questions.append(
            Question(
                id=qid,
                type=qtype,
                prompt=prompt,
                explanation=explanation,
                tracks=tracks,
                options=options,
            )
        )
    return questions


# --------------------------------------------------------------------------
# YAML emission for the (large) knowledge-check file.  Written by hand rather
# than with yaml.safe_dump so that it looks like an author wrote it (folded
# block scalars for long texts) and so that N=10,000 is generated quickly.
# --------------------------------------------------------------------------

_PLAIN_SAFE = re.compile(r"[A-Za-z][A-Za-z0-9 ,.'()?/-]*")
_YAML_SPECIAL_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"})
FOLD_WIDTH = 78


def yaml_scalar(text: str) -> str:
    """Return *text* as a one-line YAML scalar: plain if safe, else quoted."""
    if (
        _PLAIN_SAFE.fullmatch(text)
        and not text.endswith(" ")
        and "  " not in text
        and text.lower() not in _YAML_SPECIAL_WORDS
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def yaml_text(key: str, text: str, indent: int) -> list[str]:
    """Emit ``key: text`` at *indent*, folding long single-paragraph texts."""
    pad = " " * indent
    line = f"{pad}{key}: {yaml_scalar(text)}"
    if len(line) <= FOLD_WIDTH or "\n" in text or "  " in text or text != text.strip():
        return [line]
    body_pad = pad + "  "
    wrapped = textwrap.wrap(
        text,
        width=FOLD_WIDTH,
        initial_indent=body_pad,
        subsequent_indent=body_pad,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [f"{pad}{key}: >-", *wrapped]


def knowledge_check_yaml(questions: list[Question]) -> Iterator[str]:
    """Yield the lines of ``knowledge-check.yaml`` for *questions*."""
    yield "kind: knowledge-check"
    yield f"title: {yaml_scalar(KC_TITLE)}"
    # Paged as a long check would be: at 10,000 questions that is 2,000 screens,
    # more than the first state format could number (the SCORM figures open them).
    yield f"questions_per_screen: {KC_PER_SCREEN}"
    yield from yaml_text("intro", KC_INTRO, 0)
    yield "questions:"
    for q in questions:
        yield f"  - id: {q.id}"
        yield f"    type: {q.type}"
        yield from yaml_text("prompt", q.prompt, 4)
        yield from yaml_text("explanation", q.explanation, 4)
        yield f"    tracks: [{', '.join(q.tracks)}]"
        if q.type == "true-false":
            yield f"    answer: {'true' if q.answer else 'false'}"
            yield from yaml_text("true_feedback", q.true_feedback, 4)
            yield from yaml_text("false_feedback", q.false_feedback, 4)
            continue
        yield "    options:"
        for o in q.options:
            yield f"      - id: {o.id}"
            yield from yaml_text("text", o.text, 8)
            yield f"        correct: {'true' if o.correct else 'false'}"
            yield from yaml_text("feedback", o.feedback, 8)


# --------------------------------------------------------------------------
# text2qti plain-text quiz.
# --------------------------------------------------------------------------

# Characters that are Markdown / text2qti syntax somewhere.  The generator's
# vocabulary avoids them; this check guards against future edits.
_T2Q_UNSAFE = re.compile(r"[*_`$\\<>&#\[\]!%{}|~^=+\"]|--|\n")


def t2q_safe(text: str) -> str:
    """Return *text* unchanged after checking it is inert for text2qti.

    text2qti treats every chunk as Markdown (with smarty quotes, LaTeX in
    ``$...$``, siunitx macros, HTML comments and line-start markers such as
    ``1.``, ``*``, ``-``, ``+``).  Generated texts must contain none of these,
    otherwise the two tools would not be rendering the same plain text.
    """
    if _T2Q_UNSAFE.search(text) or re.match(r"\d+\.|[-+*]", text):
        raise ValueError(f"text is not inert for text2qti: {text!r}")
    return text


def text2qti_quiz(questions: list[Question]) -> Iterator[str]:
    """Yield the lines of a text2qti quiz file holding *questions*."""
    yield f"Quiz title: {t2q_safe(KC_TITLE)}"
    yield f"Quiz description: {t2q_safe(KC_INTRO)}"
    yield ""
    for number, q in enumerate(questions, 1):
        yield f"{number}.  {t2q_safe(q.prompt)}"
        yield f"... {t2q_safe(q.explanation)}"
        if q.type == "true-false":
            yield f"{'*' if q.answer else ''}a) {'' if q.answer else ' '}True"
            yield f"... {t2q_safe(q.true_feedback)}"
            yield f"{'' if q.answer else '*'}b) {' ' if q.answer else ''}False"
            yield f"... {t2q_safe(q.false_feedback)}"
        else:
            for number_of_option, o in enumerate(q.options):
                letter = chr(ord("a") + number_of_option)
                if q.type == "single":
                    marker = f"*{letter})" if o.correct else f"{letter}) "
                else:
                    marker = "[*]" if o.correct else "[ ]"
                yield f"{marker} {t2q_safe(o.text)}"
                yield f"... {t2q_safe(o.feedback)}"
        yield ""


# --------------------------------------------------------------------------
# The rest of the course: small files, dumped with PyYAML.
# --------------------------------------------------------------------------


class _NoAliasDumper(yaml.SafeDumper):
    """SafeDumper that never emits anchors/aliases for repeated objects."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never use aliases."""
        return True


class Quoted(str):
    """A string that is always written double-quoted (e.g. ``"1.0.0"``)."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    """Write multi-paragraph strings as literal block scalars."""
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_quoted(dumper: yaml.SafeDumper, data: Quoted) -> yaml.ScalarNode:
    """Write :class:`Quoted` strings double-quoted."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


_NoAliasDumper.add_representer(str, _represent_str)
_NoAliasDumper.add_representer(Quoted, _represent_quoted)


def _dump(data: dict[str, Any]) -> str:
    """Dump *data* as block-style YAML, keys in insertion order."""
    return yaml.dump(
        data,
        Dumper=_NoAliasDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=78,
    )


def course_files(kc_file: str = KC_FILE) -> dict[str, dict[str, Any]]:
    """Return every file of the course except the knowledge check."""
    tracks: dict[str, dict[str, Any]] = {
        "tracks/technical-pm.yaml": {
            "kind": "track",
            "id": "technical-pm",
            "title": "The Technical Product Manager",
            "short_title": "Technical PM",
            "perfect_for": "Tech-savvy individuals who love working closely with engineering teams",
            "duties": [
                "Translate complex technical requirements into product features",
                "Work with engineers on architecture and platform decisions",
                "Balance technical debt against new feature work",
                "Own APIs, developer experience and platform roadmaps",
            ],
            "key_skills": [
                "System design basics",
                "Reading and discussing code with engineers",
                "Writing clear technical specifications",
                "Data analysis with SQL",
            ],
            "progression": [
                "Associate Technical Product Manager",
                "Technical Product Manager",
                "Senior Technical Product Manager",
                "Group Product Manager, Platform",
                "VP of Product, Platform",
            ],
            "industries": [
                "Cloud infrastructure",
                "Developer tools",
                "Cybersecurity",
                "Artificial intelligence",
            ],
            "courses": [
                {
                    "title": "Software Product Management",
                    "provider": "University of Alberta",
                    "url": "https://www.coursera.org/specializations/product-management",
                    "description": "Requirements, planning and agile practice.",
                },
                {
                    "title": "Technical Foundations for Product Managers",
                    "provider": "Example Academy",
                },
            ],
        },
        "tracks/growth-pm.yaml": {
            "kind": "track",
            "id": "growth-pm",
            "title": "The Growth Product Manager",
            "short_title": "Growth PM",
            "perfect_for": "Data-driven people who enjoy experiments and measurable results",
            "duties": [
                "Design and run experiments across the user funnel",
                "Improve activation, retention and monetisation",
                "Work with marketing on acquisition channels",
            ],
            "key_skills": [
                "Experiment design and statistics",
                "Funnel and cohort analysis",
                "Copywriting and positioning",
            ],
            "progression": [
                "Growth Analyst",
                "Growth Product Manager",
                "Senior Growth Product Manager",
                "Head of Growth",
            ],
            "industries": ["Consumer apps", "E-commerce", "Software as a service"],
            "courses": [
                {
                    "title": "Digital Product Management",
                    "provider": "University of Virginia",
                    "url": "https://www.coursera.org/specializations/uva-darden-digital-product-management",
                }
            ],
        },
        "tracks/strategic-pm.yaml": {
            "kind": "track",
            "id": "strategic-pm",
            "title": "The Strategic Product Manager",
            "short_title": "Strategic PM",
            "perfect_for": "Big-picture thinkers who like markets, positioning and long-term bets",
            "duties": [
                "Set product vision and multi-year strategy",
                "Analyse markets, competitors and business models",
                "Align leadership around a small number of bets",
            ],
            "key_skills": [
                "Market analysis",
                "Business case writing",
                "Stakeholder management",
                "Storytelling",
            ],
            "progression": [
                "Product Manager",
                "Senior Product Manager",
                "Director of Product",
                "Chief Product Officer",
            ],
            "industries": ["Financial services", "Healthcare", "Enterprise software"],
        },
    }
    self_discovery = {
        "kind": "self-discovery",
        "title": "Self-Discovery Questions",
        "intro": (
            "By considering these questions, you can see which track fits "
            "your strengths. Answer each one with yes or no."
        ),
        "groups": [
            {
                "id": "strategic-mind",
                "title": "Your Strategic Mind",
                "questions": [
                    {
                        "id": "complex-problems",
                        "text": "Do you enjoy solving complex problems?",
                        "points": {"strategic-pm": 2, "technical-pm": 1},
                    },
                    {
                        "id": "long-term-view",
                        "text": "Do you like thinking about where a market will be in five years?",
                        "points": {"strategic-pm": 3},
                    },
                    {
                        "id": "business-models",
                        "text": "Are you curious about how companies make money?",
                        "points": {"strategic-pm": 2, "growth-pm": 1},
                    },
                ],
            },
            {
                "id": "technical-side",
                "title": "Your Technical Side",
                "questions": [
                    {
                        "id": "likes-code",
                        "text": "Do you enjoy reading code or technical documentation?",
                        "points": {"technical-pm": 3},
                    },
                    {
                        "id": "system-design",
                        "text": "Do you like discussing how systems fit together?",
                        "points": {"technical-pm": 2},
                    },
                ],
            },
            {
                "id": "data-and-experiments",
                "title": "Data and Experiments",
                "questions": [
                    {
                        "id": "loves-metrics",
                        "text": "Do you check numbers first when something changes?",
                        "points": {"growth-pm": 3},
                    },
                    {
                        "id": "runs-tests",
                        "text": "Would you enjoy running many small experiments each month?",
                        "points": {"growth-pm": 2, "technical-pm": 0},
                    },
                ],
            },
        ],
    }
    decision_tree = {
        "kind": "decision-tree",
        "title": "Consider Your Starting Point",
        "intro": "Look at the list below and pick the background closest to yours.",
        "start": "background",
        "nodes": [
            {
                "id": "background",
                "prompt": "Which background is yours?",
                "options": [
                    {
                        "id": "technical-background",
                        "label": "Technical Background",
                        "text": "The Technical PM path leverages your engineering knowledge.",
                        "points": {"technical-pm": 3},
                        "track": "technical-pm",
                    },
                    {
                        "id": "business-background",
                        "label": "Business Background",
                        "text": "Your commercial experience fits strategy or growth.",
                        "points": {"strategic-pm": 1},
                        "next": "business-focus",
                    },
                    {
                        "id": "marketing-background",
                        "label": "Marketing Background",
                        "text": "Growth PM builds on your campaign and funnel experience.",
                        "points": {"growth-pm": 3},
                        "track": "growth-pm",
                    },
                    {
                        "id": "new-to-product",
                        "label": "New to Product",
                        "text": "Start with fundamentals and choose based on interests.",
                        "next": "interest",
                    },
                ],
            },
            {
                "id": "business-focus",
                "prompt": "Which part of the business excites you most?",
                "options": [
                    {
                        "id": "long-term-strategy",
                        "label": "Long-term strategy and markets",
                        "points": {"strategic-pm": 3},
                        "track": "strategic-pm",
                    },
                    {
                        "id": "revenue-metrics",
                        "label": "Revenue and conversion metrics",
                        "points": {"growth-pm": 2},
                        "track": "growth-pm",
                    },
                ],
            },
            {
                "id": "interest",
                "prompt": "Which of these sounds most like you?",
                "options": [
                    {"id": "tech-savvy", "track": "technical-pm", "points": {"technical-pm": 2}},
                    {"id": "data-driven", "track": "growth-pm", "points": {"growth-pm": 2}},
                    {"id": "big-picture", "track": "strategic-pm", "points": {"strategic-pm": 2}},
                ],
            },
        ],
    }
    guidance = {
        "kind": "guidance",
        "tracks_intro": {
            "heading": "Starting Your Product Management Career",
            "text": (
                "Product management has several distinct paths. The three "
                "tracks below are common starting points.\n\nEach suits a "
                "different mix of skills and interests."
            ),
        },
        "making_your_choice": {
            "heading": "Making Your Choice",
            "text": (
                "There is no wrong track. Pick the one that matches your "
                "strengths today; you can move between tracks later."
            ),
        },
        "future": {
            "heading": "Think About Your Future",
            "text": "Consider where you want to be in five years and work backwards.",
            "industries_heading": "Industries to Consider",
            "industries_text": "Each track is in demand in different industries.",
            "work_environments_heading": "Work Environments",
            "work_environments": [
                {
                    "id": "startup",
                    "label": "Startup",
                    "text": "Broad scope, fast pace and a lot of ambiguity.",
                },
                {
                    "id": "scale-up",
                    "label": "Scale-up",
                    "text": "Growing teams, new processes and room to specialise.",
                },
                {
                    "id": "enterprise",
                    "label": "Enterprise",
                    "text": "Large customers, mature processes and deep specialisation.",
                },
            ],
        },
        "first_steps": {
            "heading": "Your First Steps",
            "intro": "Whichever track you choose, these steps help you start.",
            "steps": [
                "Take an introductory product management course.",
                "Interview two product managers about their daily work.",
                "Write a product teardown of an app you use every day.",
                "Volunteer for a cross-functional project at work.",
            ],
        },
        "continuous_growth": {
            "heading": "Continuous Growth",
            "intro": "Great product managers keep learning.",
            "habits": [
                "Read one product case study a week.",
                "Ask for feedback after every major launch.",
                "Keep a decision journal.",
            ],
        },
        "closing": "Choose a track, start small, and keep learning as you go.",
    }
    include = [*tracks, "self-discovery.yaml", "decision-tree.yaml", "guidance.yaml", kc_file]
    course = {
        "pmkit": 1,
        "id": "pm-career-paths",
        "title": "Product Management Career Paths",
        "version": Quoted("1.0.0"),
        "language": "en",
        "description": (
            "A guided course that helps you choose between the technical, "
            "growth and strategic product management tracks."
        ),
        "introduction": {
            "heading": "Welcome",
            "text": (
                "This course walks you through the main product management "
                "tracks.\n\nAnswer the questions honestly to get a recommendation."
            ),
        },
        "source": {
            "publisher": "Coursera",
            "title": "Product Management Career Paths: A Guide",
            "author": "Benchmark Fixture",
            "disclaimer": "Synthetic content generated for performance benchmarks.",
            "note": "Generated by benchmarks/make_content.py.",
        },
        "mastery": 80,
        "scorers": {"recommendation": "weighted", "grade": "partial-credit"},
        "include": include,
    }
    files: dict[str, dict[str, Any]] = {"course.yaml": course, **tracks}
    files["self-discovery.yaml"] = self_discovery
    files["decision-tree.yaml"] = decision_tree
    files["guidance.yaml"] = guidance
    return files


@dataclass
class ContentInfo:
    """What :func:`make_content` wrote."""

    root: Path
    n_questions: int
    kc_path: Path
    quiz_path: Path
    kc_bytes: int
    quiz_bytes: int


def _write_lines(path: Path, lines: Iterator[str]) -> int:
    """Write *lines* (newline-terminated) to *path*; return the byte count."""
    data = "".join(f"{line}\n" for line in lines).encode("utf-8")
    path.write_bytes(data)
    return len(data)


def make_content(n: int, root: Path, seed: int = DEFAULT_SEED) -> ContentInfo:
    """Write a course with *n* knowledge-check questions into *root*."""
    if n < 1:
        raise ValueError("N must be at least 1")
    root.mkdir(parents=True, exist_ok=True)
    for rel, data in course_files().items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_dump(data), encoding="utf-8")
    questions = generate_questions(n, seed)
    kc_path = root / KC_FILE
    kc_bytes = _write_lines(kc_path, knowledge_check_yaml(questions))
    quiz_path = root / QUIZ_FILE
    quiz_path.parent.mkdir(parents=True, exist_ok=True)
    quiz_bytes = _write_lines(quiz_path, text2qti_quiz(questions))
    return ContentInfo(root, n, kc_path, quiz_path, kc_bytes, quiz_bytes)


ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def _check_tree(rel: str, doc: dict[str, Any], tracks: list[str]) -> list[str]:
    """Check a decision tree: next/track, reachability, no cycles."""
    problems: list[str] = []
    nodes = {node["id"]: node for node in doc["nodes"]}
    reached_tracks: set[str] = set()
    seen: set[str] = set()

    def walk(node_id: str, path: tuple[str, ...]) -> None:
        if node_id in path:
            problems.append(f"{rel}: cycle through {node_id}")
            return
        seen.add(node_id)
        for opt in nodes[node_id]["options"]:
            if ("next" in opt) == ("track" in opt):
                problems.append(f"{rel}: {opt['id']} needs exactly one of next or track")
            if "label" not in opt and "track" not in opt:
                problems.append(f"{rel}: {opt['id']} needs a label")
            if "track" in opt:
                reached_tracks.add(opt["track"])
            elif opt.get("next") in nodes:
                walk(opt["next"], (*path, node_id))
            else:
                problems.append(f"{rel}: unknown node {opt.get('next')}")

    walk(doc["start"], ())
    if seen != set(nodes):
        problems.append(f"{rel}: unreachable nodes {sorted(set(nodes) - seen)}")
    if reached_tracks != set(tracks):
        problems.append(f"{rel}: unreachable tracks {sorted(set(tracks) - reached_tracks)}")
    return problems


def check_content(root: Path, n: int, seed: int = DEFAULT_SEED) -> list[str]:
    """Re-read a generated course and check it; return a list of problems.

    A stand-in for ``pmkit validate`` (it checks the rules of the content
    format this generator could get wrong, not the whole contract): the YAML
    parses, the knowledge check round-trips to exactly the generated
    questions, ids are well formed and unique, cross references resolve, and
    the decision tree reaches every track from ``start`` without cycles.
    """
    problems: list[str] = []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def load(rel: str) -> Any:
        with (root / rel).open(encoding="utf-8") as f:
            return yaml.load(f, Loader=loader)

    course = load("course.yaml")
    docs = {rel: load(rel) for rel in course["include"]}
    if not isinstance(course["version"], str):
        problems.append("course.yaml: version is not a string")
    ids: list[str] = []
    tracks = [d["id"] for d in docs.values() if d["kind"] == "track"]
    ids += tracks
    kinds = [d["kind"] for d in docs.values()]
    for kind in ("self-discovery", "decision-tree", "guidance"):
        if kinds.count(kind) != 1:
            problems.append(f"expected exactly one {kind} file")

    def check_points(where: str, points: dict[str, int], need_positive: bool) -> None:
        for track, value in points.items():
            if track not in tracks:
                problems.append(f"{where}: unknown track {track}")
            if not isinstance(value, int) or not 0 <= value <= 5:
                problems.append(f"{where}: bad points {value!r}")
        if need_positive and not any(v > 0 for v in points.values()):
            problems.append(f"{where}: points need a track above 0")

    questions: list[dict[str, Any]] = []
    for rel, doc in docs.items():
        if doc["kind"] == "track":
            for key, low, high in (
                ("duties", 1, 10),
                ("key_skills", 1, 10),
                ("progression", 2, 8),
                ("industries", 1, 10),
            ):
                if not low <= len(doc[key]) <= high:
                    problems.append(f"{rel}: {key} needs {low}-{high} entries")
            for c in doc.get("courses", []):
                if "url" in c and not c["url"].startswith("https://"):
                    problems.append(f"{rel}: course url must be https")
        elif doc["kind"] == "self-discovery":
            for group in doc["groups"]:
                ids.append(group["id"])
                for q in group["questions"]:
                    ids.append(q["id"])
                    check_points(f"{rel}:{q['id']}", q["points"], True)
        elif doc["kind"] == "decision-tree":
            ids += [node["id"] for node in doc["nodes"]]
            problems += _check_tree(rel, doc, tracks)
            for node in doc["nodes"]:
                for opt in node["options"]:
                    check_points(f"{rel}:{opt['id']}", opt.get("points", {}), False)
        elif doc["kind"] == "guidance":
            ids += [env["id"] for env in doc["future"]["work_environments"]]
        elif doc["kind"] == "knowledge-check":
            questions += doc["questions"]
    ids += [q["id"] for q in questions]
    bad = [i for i in ids if not isinstance(i, str) or not ID_RE.fullmatch(i)]
    dupes = sorted(i for i, count in Counter(ids).items() if count > 1)
    problems += [f"bad id {i!r}" for i in bad] + [f"duplicate id {i}" for i in dupes]
    expected = [
        dict(
            id=q.id,
            type=q.type,
            prompt=q.prompt,
            explanation=q.explanation,
            tracks=q.tracks,
            **(
                {
                    "answer": q.answer,
                    "true_feedback": q.true_feedback,
                    "false_feedback": q.false_feedback,
                }
                if q.type == "true-false"
                else {
                    "options": [
                        {"id": o.id, "text": o.text, "correct": o.correct, "feedback": o.feedback}
                        for o in q.options
                    ]
                }
            ),
        )
        for q in generate_questions(n, seed)
    ]
    if questions != expected:
        problems.append("knowledge-check.yaml does not round-trip to the generated questions")
    for q in questions:
        if q["type"] in ("single", "multiple"):
            n_ok = sum(o["correct"] for o in q["options"])
            if q["type"] == "single" and n_ok != 1:
                problems.append(f"{q['id']}: single needs exactly one correct option")
            if q["type"] == "multiple" and not 1 <= n_ok < len(q["options"]):
                problems.append(f"{q['id']}: multiple needs a correct and a wrong option")
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, metavar="N", help="number of knowledge-check questions")
    parser.add_argument("dir", type=Path, metavar="DIR", help="folder to write the course into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed")
    parser.add_argument(
        "--check",
        action="store_true",
        help="re-read the written files and check them against the content format",
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    info = make_content(args.n, args.dir, args.seed)
    print(
        f"wrote {info.n_questions} questions to {info.root}: "
        f"{KC_FILE} {info.kc_bytes / 1e6:.2f} MB, "
        f"{QUIZ_FILE.as_posix()} {info.quiz_bytes / 1e6:.2f} MB"
    )
    if args.check:
        problems = check_content(args.dir, args.n, args.seed)
        for problem in problems:
            print(f"check: {problem}", file=sys.stderr)
        if problems:
            return 1
        print("check: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
