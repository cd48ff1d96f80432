"""A decision tree whose branches join (a question reached from several answers): the
handout's step-by-step outline spells the shared question out once and points back to
it from every other answer that leads there (Markdown read with markdown-it, HTML with
lxml)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from course_shapes import SHAPES, write_course
from markdown_it import MarkdownIt

import pmkit
from pmkit_builtins.handout.html import render as html_render
from pmkit_builtins.handout.markdown import render as md_render

JOINED = [s for s in SHAPES if s.joins]


def parents(tree: pmkit.DecisionTree) -> Counter[str]:
    """How many answers lead to each question."""
    return Counter(o.next for n in tree.nodes for o in n.options if o.next)


@pytest.fixture(params=JOINED, ids=[s.name for s in JOINED])
def joined(request: pytest.FixtureRequest, tmp_path: Path) -> pmkit.Course:
    course = pmkit.load_course(write_course(request.param, tmp_path / "content")).course
    assert any(count > 1 for count in parents(course.decision_tree).values()), "a join"
    return course


def test_the_html_outline_spells_a_joined_question_once_and_links_back(
    joined: pmkit.Course,
) -> None:
    page = lxml.html.fromstring(
        html_render(joined, {"answer_key": True, "worksheet": True, "paper": "a4"})
    )
    tree = joined.decision_tree
    questions = page.xpath("//ul[@class='outline']//li[starts-with(@id, 'outline-')]")
    spelled = Counter(li.get("id").removeprefix("outline-") for li in questions)
    assert set(spelled) == {n.id for n in tree.nodes}
    assert set(spelled.values()) == {1}, "every question is spelled out exactly once"
    links = Counter(
        a.get("href").removeprefix("#outline-")
        for a in page.xpath("//ul[@class='outline']//a[@href]")
    )
    for node_id, count in parents(tree).items():
        assert links[node_id] == count - 1, node_id  # the other answers point back
        target = page.get_element_by_id(f"outline-{node_id}")
        assert target is not None


def test_the_markdown_outline_spells_a_joined_question_once(joined: pmkit.Course) -> None:
    text = md_render(joined, {"answer_key": True, "worksheet": True})
    # markdown-it stops at 20 nested blocks by default (a guard of its own, not
    # CommonMark's); a five-level tree nests deeper.
    html = MarkdownIt("commonmark", {"maxNesting": 100}).render(text)
    root = lxml.html.fromstring(f"<div>{html}</div>")
    tree = joined.decision_tree
    bold = Counter(s.text_content() for s in root.iter("strong"))
    for node in tree.nodes:
        assert bold[node.prompt] == 1, node.prompt
    shown = " ".join(root.text_content().split())
    for node_id, count in parents(tree).items():
        node = tree.node(node_id)
        assert node is not None
        assert shown.count(f"continue with “{node.prompt}” above") == count - 1
