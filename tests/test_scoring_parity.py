"""The browser twin ``pmkit-scoring.js`` returns exactly what ``algorithms.py`` returns.

Every self-discovery x decision-tree answer set of the bundled course, a large
seeded sample of knowledge-check responses and hand-made edge cases go through
the Python reference (:mod:`pmkit_builtins.scoring.algorithms`) and through the
JavaScript twin under Node; the JSON-decoded results must be identical, key
order included (docs/decisions.md §12–14). Node runs once per test, not once per case.

Node is required: CI installs it, so a missing ``node`` fails loudly.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from pmkit.content.load import load_course
from pmkit.scoring.table import scoring_table
from pmkit_builtins.scoring import algorithms

ROOT = Path(__file__).resolve().parent.parent
TWIN = ROOT / "plugins" / "pmkit_builtins" / "scoring" / "js" / "pmkit-scoring.js"
RECOMMENDERS = ("weighted", "decision-tree")
GRADERS = ("partial-credit", "all-or-nothing")
SCORERS = RECOMMENDERS + GRADERS
NODE_TIMEOUT = 120  # seconds; a hang is a failure, never a measurement

#: A case for the driver: (index into the tables, scorer name, answers, options).
Case = tuple[int, str, dict[str, Any], dict[str, Any]]

#: Loads the twin like a page would (a classic script in the global scope) and
#: writes one JSON result per case, one per line, in case order, to a file the
#: test reads line by line (so tens of thousands of results are never all held
#: in memory). Answer sets are shipped once and referred to by index.
DRIVER = r"""
"use strict";
var fs = require("fs");
var vm = require("vm");
vm.runInThisContext(fs.readFileSync(process.argv[2], "utf8"), { filename: process.argv[2] });
var input = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
var out = fs.openSync(process.argv[4], "w");
var batch = [];
for (var i = 0; i < input.cases.length; i++) {
  var c = input.cases[i];
  var result;
  try {
    result = pmkitScorers.get(c[1])(input.tables[c[0]], input.answers[c[2]], c[3]);
  } catch (e) {
    result = { error: String(e && e.message ? e.message : e) };
  }
  batch.push(JSON.stringify(result));
  if (batch.length === 1000 || i === input.cases.length - 1) {
    fs.writeSync(out, batch.join("\n") + "\n");
    batch = [];
  }
}
fs.closeSync(out);
"""


# --------------------------------------------------------------------------- helpers


def node_binary() -> str:
    """The ``node`` executable, or a test failure saying how to get one."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "`node` (Node.js 18+) is not on PATH: the browser-twin parity tests need it "
            "(CI installs it; locally install Node.js, e.g. `apt-get install nodejs`)"
        )
    return node


def run_node(tmp_path: Path, script: str, *args: str) -> str:
    """Run a Node ``script`` (written to ``tmp_path``) and return its stdout."""
    driver = tmp_path / "driver.js"
    driver.write_text(script, encoding="utf-8")
    result = subprocess.run(
        [node_binary(), str(driver), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=NODE_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"node failed ({result.returncode}):\n{result.stderr}"
    return result.stdout


def run_twin(
    tmp_path: Path, tables: Sequence[Mapping[str, Any]], cases: Sequence[Case]
) -> Iterator[str]:
    """Every case through the JavaScript twin, in one Node run: one JSON text per case."""
    index: dict[int, int] = {}
    answer_sets: list[Mapping[str, Any]] = []
    shipped = []
    for table, scorer, answers, options in cases:
        if id(answers) not in index:
            index[id(answers)] = len(answer_sets)
            answer_sets.append(answers)
        shipped.append((table, scorer, index[id(answers)], options))
    data, results = tmp_path / "cases.json", tmp_path / "results.jsonl"
    data.write_text(
        json.dumps({"tables": list(tables), "answers": answer_sets, "cases": shipped}),
        encoding="utf-8",
    )
    del answer_sets, shipped
    run_node(tmp_path, DRIVER, str(TWIN), str(data), str(results))
    count = 0
    with results.open(encoding="utf-8") as lines:
        for line in lines:
            count += 1
            yield line.rstrip("\n")
    assert count == len(cases), f"node wrote {count} results for {len(cases)} cases"


def run_python(
    table: Mapping[str, Any], scorer: str, answers: Mapping[str, Any], options: Mapping[str, Any]
) -> Any:
    """One case through the Python reference, the way the Scorer classes call it."""
    try:
        if scorer in RECOMMENDERS:
            return algorithms.recommend(table, answers, scorer)
        mastery = options.get("mastery")
        return algorithms.grade(
            table, answers, scorer, table["mastery"] if mastery is None else mastery
        )
    except Exception as e:
        return {"error": f"{type(e).__name__}: {e}"}


def difference(py: Any, js: Any, where: str = "$", *, ordered: bool = True) -> str | None:
    """Where ``js`` differs from ``py`` (None when identical), key order included.

    Numbers compare with ``==`` (JSON cannot tell the float 1.0 from the int 1),
    but a bool never equals a number.
    """
    if isinstance(py, bool) or isinstance(js, bool):
        same = isinstance(py, bool) and isinstance(js, bool) and py == js
        return None if same else f"{where}: {py!r} != {js!r}"
    if isinstance(py, int | float) and isinstance(js, int | float):
        return None if py == js else f"{where}: {py!r} != {js!r}"
    if isinstance(py, list) and isinstance(js, list):
        if len(py) != len(js):
            return f"{where}: {len(py)} items != {len(js)} items ({py!r} vs {js!r})"
        for i, (a, b) in enumerate(zip(py, js, strict=True)):
            found = difference(a, b, f"{where}[{i}]", ordered=ordered)
            if found:
                return found
        return None
    if isinstance(py, dict) and isinstance(js, dict):
        py_keys, js_keys = list(py), list(js)
        if (py_keys if ordered else sorted(py_keys)) != (js_keys if ordered else sorted(js_keys)):
            return f"{where}: keys {py_keys} != {js_keys}"
        for k in py_keys:
            found = difference(py[k], js[k], f"{where}.{k}", ordered=ordered)
            if found:
                return found
        return None
    if type(py) is type(js) and py == js:
        return None
    return f"{where}: {py!r} != {js!r}"


def parity(
    tmp_path: Path,
    tables: Sequence[Mapping[str, Any]],
    cases: Sequence[Case],
    *,
    ordered: bool = True,
) -> Iterator[Any]:
    """Run ``cases`` through both and yield each (agreed) result in case order.

    Fails on the first mismatch, naming its inputs and both results.
    """
    for n, ((table, scorer, answers, options), line) in enumerate(
        zip(cases, run_twin(tmp_path, tables, cases), strict=True)
    ):
        js = json.loads(line)
        py = run_python(tables[table], scorer, answers, options)
        if "error" in py or "error" in js:  # an error only matches an error
            found = None if "error" in py and "error" in js else "$: only one side raised"
        else:
            found = difference(py, js, ordered=ordered)
        if found:
            pytest.fail(
                f"case {n} of {len(cases)}: scorer={scorer!r} options={options!r}\n"
                f"answers={json.dumps(answers)}\n{found}\n"
                f"python={json.dumps(py)}\njs={line}"
            )
        yield py


def assert_parity(
    tmp_path: Path,
    tables: Sequence[Mapping[str, Any]],
    cases: Sequence[Case],
    *,
    ordered: bool = True,
) -> list[Any]:
    """:func:`parity` for a list of cases small enough to keep every result."""
    return list(parity(tmp_path, tables, cases, ordered=ordered))


@pytest.fixture(scope="module")
def table() -> dict[str, Any]:
    """The scoring table of the bundled course."""
    return scoring_table(load_course(ROOT / "content").course)


def tree_paths(table: Mapping[str, Any]) -> list[dict[str, str]]:
    """Every complete decision-tree answer set, derived from the table.

    From the start node each option; an option that leads on (``next``, no
    track) is followed by every option of that node, recursively.
    """
    nodes = {n["id"]: n for n in table["decision_tree"]["nodes"]}

    def walk(node_id: str, chosen: dict[str, str]) -> Iterator[dict[str, str]]:
        for option in nodes[node_id]["options"]:
            answers = {**chosen, node_id: option["id"]}
            if option["track"] is None and option["next"] is not None:
                yield from walk(option["next"], answers)
            else:
                yield answers

    return list(walk(table["decision_tree"]["start"], {}))


# --------------------------------------------------------------------------- recommendation


def test_every_recommendation_answer_set_matches(table: dict[str, Any], tmp_path: Path) -> None:
    """All 2^n yes/no sets x every tree path, with "no" given, omitted, or partly omitted.

    Unanswered counts as "no" (docs/decisions.md §6): the variants with "no" answers
    left out must score exactly like the explicit ones, in both languages.
    """
    ids = [q["id"] for q in table["self_discovery"]]
    paths = tree_paths(table)
    assert ids and len(paths) > 1
    pick = random.Random(1234)
    explicit_sets, variants = [], []
    for yes in itertools.product((True, False), repeat=len(ids)):
        for path in paths:
            explicit = {**dict(zip(ids, yes, strict=True)), **path}
            explicit_sets.append(explicit)
            absent = {**{q: True for q, y in zip(ids, yes, strict=True) if y}, **path}
            some = {
                **{q: y for q, y in zip(ids, yes, strict=True) if y or pick.random() < 0.5},
                **path,
            }
            variants.append((explicit, absent, some))
    assert len(explicit_sets) == 2 ** len(ids) * len(paths)

    cases: list[Case] = [
        (0, scorer, answers, {})
        for group in variants
        for answers in group
        for scorer in RECOMMENDERS
    ]
    results = assert_parity(tmp_path, [table], cases)
    assert len(results) == len(explicit_sets) * 3 * len(RECOMMENDERS)

    per_set = 3 * len(RECOMMENDERS)
    for n in range(len(variants)):
        chunk = results[n * per_set : (n + 1) * per_set]
        for i in range(len(RECOMMENDERS)):
            explicit, absent, some = chunk[i :: len(RECOMMENDERS)]
            assert explicit == absent == some, variants[n]
            assert "error" not in explicit


def test_incomplete_tree_answers_match(table: dict[str, Any], tmp_path: Path) -> None:
    """Answers that stop before the tree ends (no start, or no follow-up) still agree."""
    ids = [q["id"] for q in table["self_discovery"]]
    lead_on = [
        (n["id"], o["id"])
        for n in table["decision_tree"]["nodes"]
        for o in n["options"]
        if o["next"] is not None
    ]
    assert lead_on
    partial: list[dict[str, Any]] = [
        {},
        {table["decision_tree"]["start"]: "no-such-option"},
        *({node: option} for node, option in lead_on),
    ]
    cases: list[Case] = []
    for yes in itertools.product((True, False), repeat=len(ids)):
        for tree in partial:
            answers = {**dict(zip(ids, yes, strict=True)), **tree}
            cases += [(0, scorer, answers, {}) for scorer in RECOMMENDERS]
    assert_parity(tmp_path, [table], cases)


# --------------------------------------------------------------------------- grade


def random_answer(key: Mapping[str, Any], pick: random.Random) -> tuple[bool, Any]:
    """(answered?, answer) for one knowledge-check question: unanswered, right, wrong or partly.

    An unanswered question is usually absent and sometimes an explicit null.
    """
    how = pick.choice(("unanswered", "right", "wrong", "partly"))
    kind = key["type"]
    if how == "unanswered":
        return pick.random() < 0.2, None
    if kind == "true-false":
        return True, key["correct"] if how == "right" else not key["correct"]
    if kind == "single":
        wrong = [o for o in key["options"] if o not in key["correct"]]
        choices = {"right": key["correct"], "wrong": wrong, "partly": key["options"]}[how]
        return True, pick.choice(choices)
    if kind == "multiple":
        options = list(key["options"])
        if how == "right":
            chosen = list(key["correct"])
        elif how == "wrong":
            wrong = [o for o in options if o not in key["correct"]]
            chosen = pick.sample(wrong, pick.randint(1, len(wrong)))
        else:
            chosen = pick.sample(options, pick.randint(0, len(options)))
        pick.shuffle(chosen)
        return True, chosen
    if kind == "matching":
        lefts = list(key["correct"])
        if how == "right":
            pairs = list(key["correct"].items())
            pick.shuffle(pairs)
            return True, dict(pairs)
        if how == "wrong":
            return True, {
                left: pick.choice([a for a in key["answers"] if a != key["correct"][left]])
                for left in lefts
            }
        chosen = pick.sample(lefts, pick.randint(0, len(lefts)))
        return True, {left: pick.choice(key["answers"]) for left in chosen}
    order = list(key["correct"])
    if how != "right":
        pick.shuffle(order)
    return True, order


def test_knowledge_check_sample_matches(table: dict[str, Any], tmp_path: Path) -> None:
    """5,000 seeded response sets x both grade scorers x the course's and three other pass marks."""
    pick = random.Random(1234)
    masteries: list[dict[str, Any]] = [
        {},
        {"mastery": None},
        {"mastery": 50},
        {"mastery": 100},
        {"mastery": 0},
    ]
    cases: list[Case] = []
    statuses: set[str] = set()
    for _ in range(5000):
        answers: dict[str, Any] = {}
        for key in table["knowledge_check"]:
            present, answer = random_answer(key, pick)
            if present:
                answers[key["id"]] = answer
        cases += [(0, scorer, answers, options) for scorer in GRADERS for options in masteries]
    compared, passed = 0, set()
    for r in parity(tmp_path, [table], cases):
        compared += 1
        statuses.update(q["status"] for q in r["questions"])
        passed.add(r["passed"])
    assert compared == 5000 * len(GRADERS) * len(masteries)
    assert statuses == {"correct", "partial", "incorrect", "unanswered"}
    assert passed == {True, False}


# --------------------------------------------------------------------------- edge cases


def _node(
    node_id: str, *options: tuple[str, dict[str, int], str | None, str | None]
) -> dict[str, Any]:
    return {
        "id": node_id,
        "options": [{"id": o, "points": p, "next": nxt, "track": t} for o, p, nxt, t in options],
    }


def _table(
    tracks: list[str],
    self_discovery: dict[str, dict[str, int]],
    nodes: list[dict[str, Any]],
    knowledge_check: list[dict[str, Any]],
    mastery: int = 80,
) -> dict[str, Any]:
    return {
        "tracks": tracks,
        "mastery": mastery,
        "scorers": {"recommendation": "weighted", "grade": "partial-credit"},
        "self_discovery": [{"id": q, "points": p} for q, p in self_discovery.items()],
        "decision_tree": {"start": nodes[0]["id"] if nodes else "start", "nodes": nodes},
        "knowledge_check": knowledge_check,
    }


ZERO = _table(
    ["alpha", "beta", "gamma"],
    {"q1": {"alpha": 0}, "q2": {}, "constructor": {"beta": 0}},
    [
        _node(
            "start",
            ("to-beta", {}, None, "beta"),
            ("nowhere", {"alpha": 0}, None, None),
            ("on", {}, "null", None),
        ),
        _node("null", ("x", {"gamma": 0}, None, "gamma")),
    ],
    [],
)
TIE = _table(
    ["x", "y", "z"],
    {
        "q1": {"y": 2, "z": 2},
        "q2": {"z": 1, "x": 1},
        "q3": {"y": 1},
        "q4": {"y": 7, "x": 1, "z": 0},
    },
    [_node("start", ("pick-x", {"x": 2}, None, "x"), ("pick-none", {}, None, None))],
    [],
)
KC = _table(
    ["t"],
    {},
    [_node("start", ("only", {"t": 1}, None, "t"))],
    [
        {"id": "m-neg", "type": "multiple", "options": ["a", "b", "c", "d"], "correct": ["a"]},
        {"id": "m3k1", "type": "multiple", "options": ["a", "b", "c"], "correct": ["a"]},
        {"id": "m3k2", "type": "multiple", "options": ["a", "b", "c"], "correct": ["a", "b"]},
        {
            "id": "match3",
            "type": "matching",
            "answers": ["p1", "p2", "p3", "d1"],
            "correct": {"p1": "p1", "p2": "p2", "p3": "p3"},
        },
        {"id": "order3", "type": "ordering", "correct": ["i1", "i2", "i3"]},
        {"id": "tf", "type": "true-false", "correct": True},
        {"id": "constructor", "type": "single", "options": ["a", "b"], "correct": ["a"]},
    ],
    mastery=60,
)
ALL_CORRECT = _table(
    ["t"],
    {},
    [],
    [{"id": "every", "type": "multiple", "options": ["a", "b"], "correct": ["a", "b"]}],
)
NUMERIC_TRACKS = _table(
    ["b", "1", "a"],
    {"q1": {"b": 1, "1": 2, "a": 3}},
    [_node("start", ("go", {"a": 1, "1": 1}, None, "1"))],
    [],
)


def _scores(result: Mapping[str, Any]) -> dict[str, tuple[str, float]]:
    return {q["question"]: (q["status"], q["score"]) for q in result["questions"]}


def test_edge_cases_match(table: dict[str, Any], tmp_path: Path) -> None:
    """Zero points, ties, clamping, k-of-n fractions, thirds, empty and odd answer sets."""
    tables = [ZERO, TIE, KC, table, ALL_CORRECT]
    rec: list[tuple[int, dict[str, Any]]] = [
        (0, {}),
        (0, {"q1": True, "q2": True, "constructor": True}),
        (0, {"start": "to-beta", "q1": True}),
        (0, {"start": "nowhere"}),
        (0, {"start": "on", "null": "x"}),
        (0, {"start": "on"}),
        (0, {"start": "nowhere", "null": "x"}),
        (1, {"q1": True}),
        (1, {"q1": True, "q2": True}),
        (1, {"q1": True, "q3": True}),
        (1, {"q4": True}),
        (1, {"q4": 1, "q1": "yes"}),
        (1, {"start": "pick-x", "q1": True}),
        (1, {"start": "pick-none", "q2": True, "q3": True}),
        (1, {"start": None}),
    ]
    kc: list[tuple[int, dict[str, Any]]] = [
        (2, {}),
        (3, {}),
        (4, {}),
        (0, {}),
        (4, {"every": ["a"]}),
        (
            2,
            {
                "m-neg": ["b", "c", "d"],
                "m3k1": ["a", "b"],
                "m3k2": ["a"],
                "match3": {"p1": "p1"},
                "order3": ["i1", "i3", "i2"],
                "tf": True,
                "constructor": "a",
            },
        ),
        (
            2,
            {
                "m-neg": ["a", "b"],
                "m3k1": ["a"],
                "m3k2": ["a", "c"],
                "match3": {"p1": "p1", "p2": "p2", "p3": "d1"},
                "order3": ["i2", "i1", "i3"],
                "tf": 1,
            },
        ),
        (
            2,
            {
                "m-neg": ["a", "b", "c"],
                "m3k1": ["b"],
                "m3k2": ["a", "b", "c"],
                "match3": {"p1": "p1", "p2": "p2", "p3": "p3"},
                "order3": ["i1", "i2", "i3"],
                "tf": False,
                "constructor": None,
            },
        ),
        (
            2,
            {
                "m-neg": [],
                "m3k1": ["c", "a"],
                "m3k2": ["b", "a"],
                "match3": {},
                "order3": ["i1"],
                "tf": 0,
            },
        ),
    ]
    options: list[dict[str, Any]] = [{}, {"mastery": 50}, {"mastery": 100}, {"mastery": 0}]
    cases: list[Case] = [(t, s, a, {}) for t, a in rec for s in RECOMMENDERS]
    cases += [(t, s, a, o) for t, a in kc for s in GRADERS for o in options]
    results = assert_parity(tmp_path, tables, cases)
    got = {
        (c[0], c[1], json.dumps(c[2]), json.dumps(c[3])): r
        for c, r in zip(cases, results, strict=True)
    }

    def result(t: int, scorer: str, answers: dict[str, Any], opts: Any = None) -> Any:
        return got[(t, scorer, json.dumps(answers), json.dumps(opts or {}))]

    # All points zero: every share is 0 and every track ties; the first is named.
    zero = result(0, "weighted", {"q1": True, "q2": True, "constructor": True})
    assert (zero["total"], zero["track"], zero["tie"]) == (0, "alpha", ["alpha", "beta", "gamma"])
    assert [t["share"] for t in zero["tracks"]] == [0, 0, 0]
    assert zero["contributions"] == []
    assert result(0, "decision-tree", {"start": "to-beta", "q1": True})["track"] == "beta"
    # A null `next` never reaches the node called "null"; the id "null" does.
    assert result(0, "decision-tree", {"start": "nowhere", "null": "x"})["path"] == [
        {"node": "start", "option": "nowhere"}
    ]
    assert result(0, "decision-tree", {"start": "on", "null": "x"})["track"] == "gamma"
    # Ties at the top are reported; shares round half up (1/8 = 12.5 -> 13, 87.5 -> 88).
    tie = result(1, "weighted", {"q1": True})
    assert (tie["track"], tie["tie"]) == ("y", ["y", "z"])
    assert [t["share"] for t in tie["tracks"]] == [0, 50, 50]
    half = result(1, "weighted", {"q4": True})
    assert [t["share"] for t in half["tracks"]] == [13, 88, 0]
    assert half["contributions"] == [{"question": "q4", "answer": True, "points": {"y": 7, "x": 1}}]
    assert result(1, "weighted", {"q4": 1, "q1": "yes"})["total"] == 0  # only `true` is yes
    assert result(1, "decision-tree", {"start": "pick-none", "q2": True, "q3": True})["tie"] == [
        "x",
        "y",
        "z",
    ]
    # Knowledge-check fractions: clamping, k of n, and exact thirds (no rounding).
    first = _scores(
        result(
            2,
            "partial-credit",
            {
                "m-neg": ["b", "c", "d"],
                "m3k1": ["a", "b"],
                "m3k2": ["a"],
                "match3": {"p1": "p1"},
                "order3": ["i1", "i3", "i2"],
                "tf": True,
                "constructor": "a",
            },
        )
    )
    assert first == {
        "m-neg": ("incorrect", 0.0),
        "m3k1": ("partial", 0.5),
        "m3k2": ("partial", 0.5),
        "match3": ("partial", 1 / 3),
        "order3": ("partial", 1 / 3),
        "tf": ("correct", 1.0),
        "constructor": ("correct", 1.0),
    }
    second = _scores(
        result(
            2,
            "partial-credit",
            {
                "m-neg": ["a", "b"],
                "m3k1": ["a"],
                "m3k2": ["a", "c"],
                "match3": {"p1": "p1", "p2": "p2", "p3": "d1"},
                "order3": ["i2", "i1", "i3"],
                "tf": 1,
            },
        )
    )
    assert second["m-neg"] == ("partial", 2 / 3) == second["match3"]
    assert second["m3k2"] == ("incorrect", 0.0)
    assert second["constructor"] == ("unanswered", 0.0)
    third = result(
        2,
        "partial-credit",
        {
            "m-neg": ["a", "b", "c"],
            "m3k1": ["b"],
            "m3k2": ["a", "b", "c"],
            "match3": {"p1": "p1", "p2": "p2", "p3": "p3"},
            "order3": ["i1", "i2", "i3"],
            "tf": False,
            "constructor": None,
        },
    )
    assert _scores(third)["m-neg"] == ("partial", 1 / 3)
    assert _scores(third)["m3k2"] == ("incorrect", 0.0)
    assert (third["points"], third["percent"], third["passed"]) == (7 / 3, 33, False)
    strict = _scores(
        result(
            2,
            "all-or-nothing",
            {
                "m-neg": ["a", "b"],
                "m3k1": ["a"],
                "m3k2": ["a", "c"],
                "match3": {"p1": "p1", "p2": "p2", "p3": "d1"},
                "order3": ["i2", "i1", "i3"],
                "tf": 1,
            },
        )
    )
    assert strict["m-neg"] == ("incorrect", 0.0)
    assert strict["m3k1"] == ("correct", 1.0)
    # No answers at all; and a course without knowledge-check questions.
    empty = result(3, "partial-credit", {})
    assert (empty["points"], empty["percent"], empty["passed"]) == (0.0, 0, False)
    assert {q["status"] for q in empty["questions"]} == {"unanswered"}
    nothing = result(0, "partial-credit", {}, {"mastery": 100})
    # Pass/fail is decided on the shown percent: 0% of nothing does not reach 100%.
    assert (nothing["max"], nothing["scaled"], nothing["percent"], nothing["passed"]) == (
        0,
        0.0,
        0,
        False,
    )
    # Python raises (a multiple answer whose options are all correct: k*(n-k) == 0); so does JS.
    assert "ZeroDivisionError" in result(4, "partial-credit", {"every": ["a"]})["error"]


def test_numeric_track_ids_match_except_key_order(tmp_path: Path) -> None:
    """Track ids like "1" are valid ids, but a JS object lists integer-like keys first.

    The values agree; only the key order of ``contributions[].points`` can differ:
    ``JSON.parse`` itself puts integer-like keys first, so the twin never sees the
    table's order for them.
    """
    cases: list[Case] = [(0, s, {"q1": True, "start": "go"}, {}) for s in RECOMMENDERS]
    results = assert_parity(tmp_path, [NUMERIC_TRACKS], cases, ordered=False)
    assert results[0]["track"] == "a"
    assert results[1]["track"] == "1"


# --------------------------------------------------------------------------- the script itself


def test_twin_is_a_classic_script(tmp_path: Path) -> None:
    """No module syntax (decisions §14); loads by require() and vm; keeps an existing registry."""
    source = TWIN.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|export)\b", source, re.M)
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)
    assert not re.search(r"=>|`|\b(let|const|class)\b", code), "keep the twin ES5"
    for name in SCORERS:
        assert f'register("{name}"' in source
    script = r"""
    "use strict";
    var fs = require("fs");
    var vm = require("vm");
    var twin = process.argv[2];
    var out = {};
    var viaRequire = require(twin);
    out.requireNames = viaRequire.names();
    out.sameObject = viaRequire === globalThis.pmkitScorers;
    try { pmkitScorers.get("nope"); out.nope = null; } catch (e) { out.nope = e.message; }
    delete globalThis.pmkitScorers;
    var seen = [];
    globalThis.pmkitScorers = {
      register: function (name, fn) { seen.push([name, typeof fn]); },
      get: function () { throw new Error("unused"); },
      names: function () { return seen.map(function (s) { return s[0]; }); }
    };
    vm.runInThisContext(fs.readFileSync(twin, "utf8"), { filename: twin });
    out.reused = seen;
    delete globalThis.pmkitScorers;
    vm.runInThisContext(fs.readFileSync(twin, "utf8"), { filename: twin });
    out.vmNames = pmkitScorers.names();
    try { pmkitScorers.register("bad", 42); out.bad = null; } catch (e) { out.bad = e.message; }
    process.stdout.write(JSON.stringify(out));
    """
    out = json.loads(run_node(tmp_path, script, str(TWIN)))
    assert out["requireNames"] == out["vmNames"] == list(SCORERS)
    assert out["sameObject"] is True
    assert out["nope"] and '"nope"' in out["nope"] and "weighted" in out["nope"]
    assert out["reused"] == [[name, "function"] for name in SCORERS]
    assert out["bad"] and "function" in out["bad"]


def test_scorer_classes_ship_the_twin() -> None:
    """Each built-in scorer's ``browser_twin_source()`` is this very file."""
    from pmkit.pluginhost.host import load_plugins

    host = load_plugins(environ={"PMKIT_LOAD_PLUGINS": ""})
    text = TWIN.read_text(encoding="utf-8")
    for name in SCORERS:
        assert host.scorers[name].obj.browser_twin_source() == text, name
