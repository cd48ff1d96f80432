"""The HTML handout: one self-contained page that parses, holds every seed fact,
loads nothing, escapes every text (SVG included), prints on the chosen paper and
passes axe-core in headless Chromium."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import lxml.html
import pytest
import yaml
from browserkit import axe_check, format_violations, serve
from lxml import etree

from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit.testing import ExporterContract
from pmkit_builtins.handout import content
from pmkit_builtins.handout.html import HtmlHandoutExporter
from pmkit_builtins.handout.html import render as html_render
from pmkit_builtins.handout.svg import render_svgs

REPO = Path(__file__).resolve().parent.parent
SEED_FACTS = REPO / "tests" / "data" / "seed_facts.txt"
HOSTILE = 'Pipe | star * <script>alert(1)</script> # & "quote" 😀 مرحبا بالعالم ]]>'
URL = re.compile(r"(?:https?:)?//|url\(\s*['\"]?(?!#)", re.IGNORECASE)


class TestHtmlHandoutContract(ExporterContract):
    exporter_class = HtmlHandoutExporter


class TestHtmlHandoutContractLetter(ExporterContract):
    exporter_class = HtmlHandoutExporter
    exporter_options: ClassVar[dict[str, Any]] = {
        "paper": "letter",
        "answer_key": False,
        "worksheet": False,
    }


def render(course: m.Course, **options: Any) -> str:
    """The HTML handout of ``course`` with default options unless given."""
    return html_render(course, {"answer_key": True, "worksheet": True, "paper": "a4", **options})


def seed_facts() -> list[str]:
    """The seed facts, one per non-comment line."""
    return [
        line.strip()
        for line in SEED_FACTS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def text_of(html: str) -> str:
    """The document's text, whitespace collapsed."""
    return " ".join(lxml.html.document_fromstring(html).text_content().split())


@pytest.fixture
def course(bundled_content: Path) -> m.Course:
    """The bundled course."""
    return load_course(bundled_content).course


def test_parses_with_lang_title_and_ordered_headings(course: m.Course) -> None:
    doc = lxml.html.document_fromstring(render(course))
    assert doc.get("lang") == course.language
    assert doc.findtext(".//title") == course.title
    levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    for th in doc.iter("th"):
        assert th.get("scope") in ("col", "row")


def test_self_contained_no_script_no_external_url(course: m.Course) -> None:
    html = render(course)
    doc = lxml.html.document_fromstring(html)
    assert not list(doc.iter("script", "link", "iframe", "img", "object", "embed"))
    assert not [el for el in doc.iter() if any(a.lower().startswith("on") for a in el.attrib)]
    without_namespace = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not URL.search(without_namespace), URL.search(without_namespace)
    assert "@font-face" not in html and "@import" not in html


def test_every_seed_fact_is_present(course: m.Course) -> None:
    text = text_of(render(course))
    missing = [fact for fact in seed_facts() if fact not in text]
    assert not missing, missing


def test_tables(course: m.Course) -> None:
    doc = lxml.html.document_fromstring(render(course))
    names = [t.short_title for t in course.tracks]
    by_first = {t.xpath("string(.//thead//th[1])"): t for t in doc.iter("table")}
    tally = by_first[content.labels(course)["points_row"]]
    assert [th.text_content() for th in tally.xpath(".//thead//th")][1:] == [
        content.labels(course)["tick"],
        *names,
    ]
    rows = tally.xpath(".//tbody/tr")
    assert [r[0].text_content() for r in rows] == [r.label for r in content.tally_rows(course)] + [
        "Total"
    ]
    for row, tr in zip(content.tally_rows(course), rows, strict=False):
        assert tr[1].text_content() == "☐"
        assert [c.text_content() for c in tr[2:]] == [
            str(row.points.get(t.id, "")) for t in course.tracks
        ]
    comparison = by_first["Aspect"]
    assert [r[0].text_content() for r in comparison.xpath(".//tbody/tr")] == [
        "Perfect for",
        "What you'll do",
        "Key skills to develop",
        "Career progression",
        "Industries",
    ]


def test_answer_key_on_its_own_page_and_options(course: m.Course) -> None:
    html = render(course)
    doc = lxml.html.document_fromstring(html)
    [key] = doc.find_class("answer-key")
    assert key.xpath("string(h2)") == "Answer key"
    assert ".answer-key { break-before: page; page-break-before: always; }" in html
    assert "counter(page)" in html
    assert "size: A4;" in html and "size: letter;" in render(course, paper="letter")
    assert "size: A4;" not in render(course, paper="letter")
    assert not lxml.html.document_fromstring(render(course, answer_key=False)).find_class(
        "answer-key"
    )
    no_sheet = render(course, worksheet=False)
    assert content.labels(course)["points_row"] not in no_sheet and "☐</span></td>" not in no_sheet


def test_svg_diagram_is_accessible(course: m.Course) -> None:
    doc = lxml.html.document_fromstring(render(course))
    [svg] = doc.xpath("//svg")
    assert svg.get("role") == "img"
    assert course.decision_tree.title in svg.xpath("string(title)")
    start = course.decision_tree.start_node
    assert svg.xpath("string(desc)").startswith(content.flat(start.prompt))
    shown = " ".join(svg.xpath(".//text//text()"))
    for t in course.tracks:
        assert t.short_title in shown


def _hostile_course(folder: Path) -> m.Course:
    def edit(name: str, change: Callable[[Any], None]) -> None:
        path = folder / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    def track(d: Any) -> None:
        d["short_title"] = HOSTILE
        d["duties"][0] = HOSTILE

    def tree(d: Any) -> None:
        d["title"] = HOSTILE
        d["nodes"][0]["prompt"] = HOSTILE
        d["nodes"][0]["options"][0]["label"] = HOSTILE

    def sd(d: Any) -> None:
        d["groups"][0]["questions"][0]["text"] = HOSTILE

    edit("tracks/technical-pm.yaml", track)
    edit("decision-tree.yaml", tree)
    edit("self-discovery.yaml", sd)
    return load_course(folder).course


def test_hostile_strings_are_escaped_everywhere(bundled_content: Path) -> None:
    course = _hostile_course(bundled_content)
    html = render(course)
    assert "<script>" not in html
    doc = lxml.html.document_fromstring(html)
    assert not list(doc.iter("script"))
    assert text_of(html).count(HOSTILE) >= 8
    [svg_text] = render_svgs(course)
    tree = etree.fromstring(svg_text.encode("utf-8"))  # well-formed XML on its own
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert HOSTILE in tree.findtext("s:title", namespaces=ns)  # type: ignore[operator]
    assert HOSTILE in tree.findtext("s:desc", namespaces=ns)  # type: ignore[operator]
    drawn = " ".join("".join(t.itertext()) for t in tree.iterfind(".//s:text", ns))
    assert "<script>" in drawn and "مرحبا" in drawn


@pytest.mark.parametrize("hostile", [False, True])
def test_axe_reports_nothing_serious(
    page: Any, bundled_content: Path, tmp_path: Path, hostile: bool
) -> None:
    course = _hostile_course(bundled_content) if hostile else load_course(bundled_content).course
    site = tmp_path / "site"
    site.mkdir()
    (site / "handout.html").write_text(render(course), encoding="utf-8")
    with serve(site) as server:
        page.goto(server.url("handout.html"))
        assert page.evaluate("document.querySelectorAll('script').length") == 0
        assert page.locator("svg[role=img]").count() == 1
        violations = axe_check(page)  # injects axe's own script
        assert violations == [], format_violations(violations)


def test_diagram_parts_are_numbered(tmp_path: Path) -> None:
    """A tree drawn in parts: each part has a caption with its number, matching the
    "Go to part N" boxes."""
    from course_shapes import SHAPES, write_course

    shape = next(s for s in SHAPES if s.name == "three-tracks-joined")
    course = load_course(write_course(shape, tmp_path / "content")).course
    doc = lxml.html.document_fromstring(render(course))
    figures = [f for f in doc.iter("figure") if f.xpath(".//svg")]
    assert len(figures) > 1
    assert [f.findtext("figcaption") for f in figures] == [
        f"Part {n} of {len(figures)}" for n in range(1, len(figures) + 1)
    ]
    assert "Go to part 2" in " ".join(doc.xpath("//svg//text//text()"))
