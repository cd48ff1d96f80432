"""The SCORM app and the handout laid out for 2 and 6 tracks (tests/course_shapes.py).

Headless Chromium at a desktop (1280 px) and a phone (375 px) width: no
screen of the app and no part of the HTML handout is wider than the window,
the recommendation chart and the track cards show every track, and the
handout's outline writes a question that branches join at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browserkit import serve, unzip
from click.testing import Result
from course_shapes import SHAPES, Shape, write_course
from playwright.sync_api import expect

import pmkit

RunCli = Callable[..., Result]
WIDTHS = (1280, 375)
SHAPE = {s.name: s for s in SHAPES}
TWO_AND_SIX = ("two-tracks-shallow", "six-tracks-wide-deep")
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _export(run_cli: RunCli, shape: Shape, tmp_path: Path, *formats: str) -> tuple[Path, Path]:
    content = write_course(shape, tmp_path / "content")
    args = ["export", "-q", "-c", str(content), "-d", "out"]
    for name in formats:
        args += ["-f", name]
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return content, tmp_path / "out"


def _deepest_path(course: pmkit.Course) -> list[tuple[str, str]]:
    """Node and option ids of a path that goes on wherever it can (the longest walk)."""
    tree = course.decision_tree
    path: list[tuple[str, str]] = []
    node: pmkit.TreeNode | None = tree.start_node
    while node is not None:
        option = next((o for o in node.options if o.next), node.options[0])
        path.append((node.id, option.id))
        node = tree.node(option.next) if option.next else None
    return path


@pytest.mark.parametrize("name", TWO_AND_SIX)
def test_every_app_screen_fits_and_the_chart_and_cards_show_every_track(
    name: str, run_cli: RunCli, page: Any, tmp_path: Path
) -> None:
    content, out = _export(run_cli, SHAPE[name], tmp_path, "scorm")
    course = pmkit.load_course(content).course
    ids = list(course.track_ids)
    with serve(unzip(next(out.glob("*-scorm12.zip")), tmp_path / "pkg")) as server:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(server.url("index.html"))
            page.evaluate("localStorage.clear()")  # a fresh start at each width
            page.reload()
            page.locator("#btn-next").click()
            for q in course.self_discovery.questions:  # every "yes": points for every track
                page.locator(f"[id='sd_{q.id}_yes']").check()
            page.locator("#btn-next").click()
            for node_id, option_id in _deepest_path(course):
                page.locator(f"[id='tree_{node_id}_{option_id}']").check()
            page.locator("#btn-next").click()
            expect(page.locator("#screen-heading")).to_be_visible()
            for screen in page.evaluate("window.pmkitApp.screens()"):
                page.evaluate(f"window.pmkitApp.go('{screen}')")
                expect(page.locator(f"[data-screen='{screen}']")).to_be_visible()
                assert page.evaluate(OVERFLOW) <= 0, (width, screen)
            page.evaluate("window.pmkitApp.go('recommendation')")
            rows = page.locator("#track-points tbody tr")
            assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.track)")) == sorted(ids)
            for track_id in ids:  # each bar is drawn inside its cell, none squeezed to nothing
                bar = page.locator(f"#track-points tr[data-track='{track_id}'] .bar")
                box = bar.bounding_box()
                assert box is not None and box["width"] >= 40, (width, track_id, box)
            page.evaluate("window.pmkitApp.go('tracks')")
            expect(page.locator("#tracks-overview tbody tr")).to_have_count(len(ids))
            expect(page.locator("section.track")).to_have_count(len(ids))
            for section in page.locator("section.track").all():
                box = section.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("name", TWO_AND_SIX)
def test_the_html_handout_fits_a_phone_and_a_desktop(
    name: str, run_cli: RunCli, page: Any, tmp_path: Path
) -> None:
    _, out = _export(run_cli, SHAPE[name], tmp_path, "html")
    with serve(out) as server:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(server.url(next(out.glob("*-handout.html")).name))
            wide = page.evaluate(
                """() => [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                .map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40))"""
            )
            assert wide == [] and page.evaluate(OVERFLOW) <= 0, (width, wide[:5])


def test_many_tracks_leave_the_scoring_key_room_for_the_answers(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _, out = _export(run_cli, SHAPE["six-tracks-wide-deep"], tmp_path, "html")
    html = next(out.glob("*-handout.html")).read_text(encoding="utf-8")
    assert html.count('<table class="many">') == 1  # the scoring key, its six track columns
    bundled = Path(__file__).resolve().parent.parent / "content"
    assert run_cli("export", "-q", "-f", "html", "-c", str(bundled), "-d", "b").exit_code == 0
    assert 'class="many"' not in next((tmp_path / "b").glob("*.html")).read_text("utf-8")


def test_the_outline_writes_a_joined_question_once(run_cli: RunCli, tmp_path: Path) -> None:
    content, out = _export(run_cli, SHAPE["six-tracks-wide-deep"], tmp_path, "markdown", "html")
    course = pmkit.load_course(content).course
    tree = course.decision_tree
    parents: dict[str, int] = {}
    for node in tree.nodes:
        for option in node.options:
            if option.next:
                parents[option.next] = parents.get(option.next, 0) + 1
    joined = [n for n in tree.nodes if parents.get(n.id, 0) > 1]
    assert joined, "the shape has questions several answers lead to"
    markdown = next(out.glob("*.md")).read_text(encoding="utf-8")
    outline = markdown.split("### The decision tree step by step")[1].split("```mermaid")[0]
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    html_outline = re.search(r'<ul class="outline">.*?\n</ul>', html, re.S)
    assert html_outline is not None
    for node in tree.nodes:
        assert outline.count(f"- **{node.prompt}**") == 1, node.id
        assert html_outline.group(0).count(f"<strong>{node.prompt}</strong>") == 1, node.id
    for node in joined:  # every other answer that leads there points back to it
        refs = parents[node.id] - 1
        assert outline.count(f"continue with “{node.prompt}” above") == refs, node.id
