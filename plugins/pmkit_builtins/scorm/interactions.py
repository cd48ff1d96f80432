"""What the package will write to the LMS for each question, computed and checked
at build time (docs/scorm-package.md, "QuestionScorm").

The runtime used in tests (scorm-again) is lenient in places, and real LMSs
are not: every value the package can send is derived here and checked against
the version's data-model rules before anything is written (docs/decisions.md §25–26).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import Any

import pmkit

BASE36 = string.digits + string.ascii_lowercase

#: SCORM 1.2 CMIIdentifier / 2004 long_identifier_type and short_identifier_type
#: (the pattern scorm-again and the specifications agree on).
IDENTIFIER_12 = re.compile(r"[\x21-\x7e]{1,255}\Z")
LONG_IDENTIFIER_2004 = re.compile(r"\S{1,4000}\Z")
SHORT_IDENTIFIER_2004 = re.compile(r"[\w\-()+.:=@;$_!*'%/#]{1,250}\Z")
#: 2004 localized_string_type (SPM 250): `.` excludes line breaks, and a text
#: starting with `{` would be read as a language tag.
DESCRIPTION_2004 = re.compile(r"(\{lang=[a-zA-Z]{1,8}(-[a-zA-Z0-9-]{2,8})?\})?(?!\{).{0,250}\Z")
RESPONSE_12_MAX = 255

LIMITS = {
    "1.2": {"suspendData": 4096, "location": 255},
    "2004": {"suspendData": 64000, "location": 1000},
}


def token(version: str, index: int, ident: str) -> str:
    """The response token of the ``index``-th choice with id ``ident``."""
    if version == "1.2":
        return BASE36[index]  # SCORM 1.2 choice responses are single characters 0-9a-z
    # Moodle's 2004 runtime refuses `-` in short identifiers (error 406, answer lost).
    return ident.replace("-", "_")


def description(text: str, language: str) -> str:
    """A 2004 interaction description: one line, at most 250 characters, tagged."""
    flat = " ".join(text.split())
    if flat.startswith("{"):
        flat = " " + flat  # a leading `{` would be parsed as a language tag
    if len(flat) > 250:
        flat = flat[:249] + "…"
    return f"{{lang={language}}}{flat}"


def _base36(n: int) -> str:
    """``n.toString(36)`` as the app writes it."""
    digits = ""
    while True:
        n, d = divmod(n, 36)
        digits = BASE36[d] + digits
        if n == 0:
            return digits


def _seps(version: str) -> dict[str, str]:
    return {
        "sep": "," if version == "1.2" else "[,]",
        "pairSep": "." if version == "1.2" else "[.]",
    }


def _true_false(version: str) -> dict[str, str]:
    return {"true": "t", "false": "f"} if version == "1.2" else {"true": "true", "false": "false"}


def question_data(course: pmkit.Course, version: str) -> dict[str, dict[str, Any]]:
    """``QuestionScorm`` for every self-discovery question, tree node and graded question."""
    out: dict[str, dict[str, Any]] = {}
    seps = _seps(version)

    def entry(
        qid: str,
        kind: str,
        prompt: str,
        tokens: dict[str, str],
        *,
        graded: bool,
        correct: str | None,
        targets: dict[str, str] | None = None,
    ) -> None:
        data: dict[str, Any] = {
            "interaction": qid,
            "type": kind,
            "weighting": 1 if graded else 0,
            "graded": graded,
        }
        if version == "2004":
            data["description"] = description(prompt, course.language)
        data["tokens"] = tokens
        if targets is not None:
            data["targets"] = targets
        data.update(seps)
        data["correct"] = correct
        out[qid] = data

    tf = _true_false(version)
    for q in course.self_discovery.questions:
        entry(q.id, "true-false", q.text, dict(tf), graded=False, correct=None)
    for node in course.decision_tree.nodes:
        entry(
            node.id,
            "choice",
            node.prompt,
            {o.id: token(version, i, o.id) for i, o in enumerate(node.options)},
            graded=False,
            correct=None,
        )
    for kq in course.knowledge_check.questions:
        sep, pair_sep = seps["sep"], seps["pairSep"]
        if isinstance(kq, pmkit.ChoiceQuestion):
            tokens = {o.id: token(version, i, o.id) for i, o in enumerate(kq.options)}
            right = [tokens[o.id] for o in kq.options if o.correct]
            entry(kq.id, "choice", kq.prompt, tokens, graded=True, correct=sep.join(right))
        elif isinstance(kq, pmkit.TrueFalseQuestion):
            entry(
                kq.id,
                "true-false",
                kq.prompt,
                dict(tf),
                graded=True,
                correct=tf["true" if kq.answer else "false"],
            )
        elif isinstance(kq, pmkit.MatchingQuestion):
            sources = {p.id: token(version, i, p.id) for i, p in enumerate(kq.pairs)}
            answers: list[pmkit.MatchPair | pmkit.Distractor] = [*kq.pairs, *kq.distractors]
            targets = {a.id: token(version, i, a.id) for i, a in enumerate(answers)}
            pattern = sep.join(f"{sources[p.id]}{pair_sep}{targets[p.id]}" for p in kq.pairs)
            entry(
                kq.id, "matching", kq.prompt, sources, graded=True, correct=pattern, targets=targets
            )
        elif isinstance(kq, pmkit.OrderingQuestion):
            tokens = {it.id: token(version, i, it.id) for i, it in enumerate(kq.items)}
            entry(
                kq.id,
                "sequencing",
                kq.prompt,
                tokens,
                graded=True,
                correct=sep.join(tokens[it.id] for it in kq.items),
            )
    return out


def compact_question_data(
    course: pmkit.Course, version: str, full: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """``questions`` and ``separators`` as course-data.js holds them: what the app
    can derive is left out (docs/scorm-package.md, "PMKIT_PACKAGE").

    ``interaction`` is the key, ``weighting`` follows ``graded``, ``sep`` and
    ``pairSep`` are the same for every question (written once), and a 2004
    ``description`` that is ``{lang=<language>}`` followed by the prompt as
    written is rebuilt from the course. app-course.js puts the fields back, so
    the rest of the app reads the full ``QuestionScorm``.
    """
    prompts: dict[str, str] = {q.id: q.text for q in course.self_discovery.questions}
    prompts.update((n.id, n.prompt) for n in course.decision_tree.nodes)
    prompts.update((q.id, q.prompt) for q in course.knowledge_check.questions)
    derived = f"{{lang={course.language}}}"
    questions: dict[str, dict[str, Any]] = {}
    for qid, data in full.items():
        entry = {
            k: v
            for k, v in data.items()
            if k not in ("interaction", "weighting", "sep", "pairSep", "description")
        }
        if "description" in data and data["description"] != derived + prompts[qid]:
            entry["description"] = data["description"]
        questions[qid] = entry
    return {"questions": questions, "separators": _seps(version)}


def _longest_response(data: dict[str, Any]) -> str:
    sep = data["sep"]
    if data["type"] == "matching":
        target = max(data["targets"].values(), key=len)
        return sep.join(f"{s}{data['pairSep']}{target}" for s in data["tokens"].values())
    if data["type"] == "true-false":
        return max(data["tokens"].values(), key=len)
    return sep.join(data["tokens"].values())


def check_values(
    course: pmkit.Course, version: str, questions: dict[str, dict[str, Any]]
) -> Iterator[pmkit.Issue]:
    """Every value the package can send, against the version's rules."""
    sources = {q.id: q.source for q in course.self_discovery.questions}
    sources.update({n.id: n.source for n in course.decision_tree.nodes})
    sources.update({q.id: q.source for q in course.knowledge_check.questions})
    for qid, data in questions.items():
        src = sources[qid]

        def issue(message: str, _src: pmkit.Source = src) -> pmkit.Issue:
            return pmkit.Issue(
                _src.file, _src.line, _src.column, f"SCORM {version}: {message}", code="scorm"
            )

        ident = IDENTIFIER_12 if version == "1.2" else LONG_IDENTIFIER_2004
        if not ident.match(data["interaction"]):
            yield issue(f"interaction id {data['interaction']!r} is not a valid identifier")
        if version == "1.2":
            if len(data["tokens"]) > len(BASE36) or len(data.get("targets", {})) > len(BASE36):
                yield issue("more than 36 choices cannot be written as SCORM 1.2 responses")
            longest = _longest_response(data)
            if len(longest) > RESPONSE_12_MAX:
                yield issue(
                    f"the longest answer would be {len(longest)} characters, over the "
                    f"{RESPONSE_12_MAX} SCORM 1.2 allows; use SCORM 2004"
                )
        else:
            for tok in [*data["tokens"].values(), *data.get("targets", {}).values()]:
                if data["type"] != "true-false" and not SHORT_IDENTIFIER_2004.match(tok):
                    yield issue(f"response identifier {tok!r} is not a valid short identifier")
            if not DESCRIPTION_2004.match(data["description"]):
                yield issue("the interaction description cannot be written")  # pragma: no cover


#: The app's screens (``SCREENS`` in app-course.js), the knowledge check counted once.
APP_SCREENS = 10


def app_screens(course: pmkit.Course) -> int:
    """How many screens the app shows this course on (``SCREENS.length`` in
    app-course.js): "your future" and "next steps" are left out when empty."""
    g = course.guidance
    note = course.attribution is not None and bool(course.attribution.note)
    future = g.future is not None
    next_steps = bool(g.first_steps or g.continuous_growth or g.closing or g.placed("next-steps"))
    return APP_SCREENS - (not future) - (not (next_steps or note))


def knowledge_check_screens(course: pmkit.Course) -> int:
    """How many screens the app shows the knowledge check on (``kcPages`` in app-course.js)."""
    count = len(course.knowledge_check.questions)
    per = course.knowledge_check.questions_per_screen
    per = per if per and per > 0 else max(1, count)
    return max(1, -(-count // per))


def state_budget(course: pmkit.Course) -> int:
    """The longest ``cmi.suspend_data`` the package can write (docs/scorm-package.md)."""
    # The screen number is as wide as the last one, the finish screen's.
    last_screen = app_screens(course) - 1 + knowledge_check_screens(course) - 1
    screen = len(_base36(last_screen))
    fixed = len("p3") + len(course.version) + screen + 1 + 4  # flags, interaction count
    fixed += 2 + 2  # knowledge-check attempts (at most `zz`) and best percent (100 = `2s`)
    separators = 10  # eleven `|`-separated fields
    self_discovery = len(course.self_discovery.questions)
    tree = len(course.decision_tree.nodes)
    knowledge = max(0, len(course.knowledge_check.questions) - 1)  # `.` separators
    for q in course.knowledge_check.questions:
        if isinstance(q, pmkit.ChoiceQuestion):
            knowledge += 1 if q.type == "single" else len(q.options)
        elif isinstance(q, pmkit.TrueFalseQuestion):
            knowledge += 1
        elif isinstance(q, pmkit.MatchingQuestion):
            knowledge += len(q.pairs)
        elif isinstance(q, pmkit.OrderingQuestion):
            knowledge += len(q.items)
    marks = len(course.knowledge_check.questions)  # checked/skipped, one per question
    return fixed + separators + self_discovery + tree + knowledge + marks
