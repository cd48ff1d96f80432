"""Skipping the alias walk when a file can hold no anchor changes no result.

pmkit.content.yaml_positions walks the node graph for alias bombs only when
the text may hold an anchor; the builder checks nesting itself otherwise.
Every refusal must stay exactly what it was: the same message at the same
place, whichever check finds it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pmkit.content import yaml_positions as yp

#: A comment holding an anchor-like `&` forces the walk without changing the data.
FORCE_WALK = "\n# &walk\n"


def issues(text: str) -> list[tuple[int | None, int | None, str]]:
    _doc, found = yp.load_yaml(text.encode(), "f.yaml")
    return [(i.line, i.column, i.message) for i in found]


def nested_maps(depth: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "leaf: 1\n"


def nested_flow(depth: int) -> str:
    return "x: " + "[" * depth + "1" + "]" * depth + "\n"


CASES = {
    "deep mappings": nested_maps(70),
    "mapping whose keys are one too deep": nested_maps(64),
    "just deep enough": nested_maps(62),
    "deep flow lists": nested_flow(70),
    "bad tag before deep nesting": "a: !!python/name:os.system x\n" + nested_maps(70),
    "bad tag, no deep nesting": "a: !!python/name:os.system x\nb: 1\n",
    "duplicate key before deep nesting": "a: 1\na: 2\n" + nested_maps(70),
    "yaml 1.1 value after deep nesting": nested_maps(70) + "z: yes\n",
    "R&D text": "a: R&D and Q & A\nb: [x&y]\n",
    "valid": "a: [1, 2, {b: c}]\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_result_with_and_without_the_walk(name: str) -> None:
    text = CASES[name]
    assert yp._MAY_ANCHOR.search(text) is None, "the case itself must not force the walk"
    assert issues(text) == issues(text + FORCE_WALK)


def test_texts_without_anchors_skip_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = yp._check_expansion

    def counted(node: yp.yaml.Node) -> None:
        calls.append(node)
        real(node)

    monkeypatch.setattr(yp, "_check_expansion", counted)
    assert issues(CASES["R&D text"]) == []
    assert calls == []
    assert issues("a: &x 1\nb: *x\n") == []
    assert len(calls) == 1


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1]\nb: *x\n",
        "[&x 1, *x]\n",
        '{"a":&x [1], "b": *x}\n',
        "- &x\n  a: 1\n- *x\n",
        "!!map &x {a: 1}\n",
    ],
)
def test_every_way_to_write_an_anchor_walks(text: str) -> None:
    assert yp._MAY_ANCHOR.search(text) is not None


def test_alias_bombs_are_still_refused() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        lines.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{', '.join(['*' + prev] * 10)}]")
    found = issues("\n".join(lines) + "\n")
    assert len(found) == 1 and "aliases would expand" in found[0][2]


# A file without anchors is also built straight from parser events, without the
# node graph (pmkit.content.yaml_positions._stream); the result must be the node
# path's to the last position, and every problem is left to the node path.

VALID = {
    "styles": (
        "a: plain\nb: 'single'\nc: \"double \\u00e9\"\nd: |\n  lit\n  eral\ne: >-\n  fol\n  ded\n"
    ),
    "scalars": "i: 12\nf: 1.5\nt: true\nn: null\ne:\nd: 2024-01-02\ns: '010'\nneg: -3\n",
    "flow": "a: [1, 'x', {b: c, d: [e]}]\nb: {}\nc: []\n",
    "nested": "- a: 1\n  b:\n    - x\n    - y: [z]\n- - deep\n  - list\n",
    "tags on scalars": "a: !!str 12\nb: !!int '7'\nc: ! plain\n",
    "tags on collections": "a: !!seq [1]\nb: !!map {c: d}\n",
    "markers": "%YAML 1.1\n---\na: 1\n...\n",
    "unicode keys and comments": '# c\nclé: valeur  # c\n"quoted key": 1\n? complex\n: value\n',
    "scalar document": "just text\n",
}

INVALID = {
    "two documents": "a: 1\n---\nb: 2\n",
    "duplicate key": "a: 1\na: 2\n",
    "merge key": "a: {b: 1}\nc:\n  <<: {d: 2}\n",
    "number key": "1: a\n",
    "yaml 1.1 boolean": "a: yes\n",
    "bad tag": "a: !!python/object x\n",
    "undefined alias": "a: *x\n",
    "syntax error after a refusal": "a: yes\nb: x: y\nc: 1\n",
    "control character escape": 'a: "\\x1b[31m"\n',
}


def loaded(text: str) -> tuple[Any, Any, Any, list[tuple[int | None, int | None, str]]]:
    doc, found = yp.load_yaml(text.encode(), "f.yaml")
    if doc is None:
        return None, None, None, [(i.line, i.column, i.message) for i in found]
    return doc.data, doc.marks, doc.key_marks, []


@pytest.mark.parametrize("name", sorted(VALID) + sorted(INVALID))
def test_events_build_what_the_node_graph_builds(name: str) -> None:
    text = VALID.get(name) or INVALID[name]
    assert yp._MAY_ANCHOR.search(text) is None
    assert loaded(text) == loaded(text + FORCE_WALK)
    assert (loaded(text)[3] == []) is (name in VALID)


def test_valid_plain_files_take_the_event_path() -> None:
    for name in ("styles", "scalars", "flow", "nested", "markers", "scalar document"):
        assert yp._stream(yp._Loader, VALID[name], "f.yaml") is not None, name
    for name in INVALID:
        assert yp._stream(yp._Loader, INVALID[name], "f.yaml") is None, name


def test_the_bundled_course_is_built_the_same_either_way() -> None:
    root = Path(__file__).resolve().parent.parent / "content"
    for path in sorted(root.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert loaded(text) == loaded(text + FORCE_WALK), path
        assert yp._stream(yp._Loader, text, "f.yaml") is not None, path
