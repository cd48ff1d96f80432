"""Page breaks of the printed handout, read back from rendered PDFs.

The PDF from WeasyPrint (A4 and Letter) and the HTML printed by Chromium
(A4): a knowledge-check question stays on one page with its instruction,
options or table; a self-discovery group stays with its heading; every
table row is whole on one page; no heading is the last line of a page; a
checklist is not split; and no text is printed below 8 pt. Checked from the
text and its positions on each page (pypdf), not from the stylesheet.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import pypdf
import pytest
from course_shapes import SHAPES, write_course

from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit_builtins.handout import content, html, pdf

MIN_PT = 8.0
FOOTER_PT = 60.0  # the page number sits in the bottom margin (20 mm = 57 pt)


def norm(text: str) -> str:
    """Text compared without whitespace, soft hyphens or ligatures (line breaks vary)."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("☐", "")
    return re.sub(r"\s+", "", text)


@dataclass
class Page:
    """One printed page: its text (in drawing order, normalised), its lines top to
    bottom by position, and the smallest font on it."""

    text: str
    lines: list[str]
    smallest_pt: float
    #: Where the right-most run of text starts, and the page's width (points).
    rightmost: float = 0.0
    width: float = 0.0


def read_pages(data: bytes) -> list[Page]:
    return [_page(p) for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def _page(page: pypdf.PageObject) -> Page:
    rows: dict[float, list[tuple[float, str]]] = {}
    sizes: list[float] = []
    starts: list[float] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if not text.strip():
            return
        m = [
            tm[0] * cm[0] + tm[1] * cm[2],
            tm[0] * cm[1] + tm[1] * cm[3],
            tm[2] * cm[0] + tm[3] * cm[2],
            tm[2] * cm[1] + tm[3] * cm[3],
            tm[4] * cm[0] + tm[5] * cm[2] + cm[4],
            tm[4] * cm[1] + tm[5] * cm[3] + cm[5],
        ]
        sizes.append(size * math.hypot(m[2], m[3]))
        starts.append(m[4])
        if m[5] > FOOTER_PT:
            rows.setdefault(round(m[5] / 3) * 3, []).append((m[4], text))

    text = page.extract_text(visitor_text=visit)
    lines = ["".join(t for _, t in sorted(rows[y])) for y in sorted(rows, reverse=True)]
    return Page(
        norm(text),
        lines,
        min(sizes, default=99.0),
        max(starts, default=0.0),
        float(page.mediabox.width),
    )


def page_of(pages: list[Page], text: str, start: int = 0) -> int | None:
    """The first page (from ``start``) holding all of ``text``, or None."""
    wanted = norm(text)
    return next((i for i in range(start, len(pages)) if wanted in pages[i].text), None)


# --------------------------------------------------------------------------- the checks


def kept_together(course: m.Course, edition: str) -> Iterator[tuple[str, list[str]]]:
    """Groups of texts that must share a page: (name, texts), the first text leading."""
    for group in course.self_discovery.groups:
        yield (
            f"group {group.title}",
            [group.title] + [content.flat(q.text) for q in group.questions],
        )
    if edition == "short":
        return
    for n, q in enumerate(course.knowledge_check.questions, 1):
        texts = [f"{n}. {content.flat(q.prompt)}", content.instruction(course, q)]
        if isinstance(q, m.ChoiceQuestion):
            texts += [content.flat(o.text) for o in q.options]
        elif isinstance(q, m.MatchingQuestion):
            texts += [content.flat(p.prompt) for p in q.pairs] + content.matching_answers(course, q)
        elif isinstance(q, m.OrderingQuestion):
            texts += [content.flat(i.text) for i in q.items]
        yield f"question {n}", texts
    steps = course.guidance.first_steps
    yield "first steps", [steps.heading] + [content.flat(s) for s in steps.steps]


def problems(
    course: m.Course, document: str, pages: list[Page], edition: str = "full"
) -> list[str]:
    """Every page-break fault of one rendered handout."""
    found = []
    key = page_of(pages, content.labels(course)["answer_key"], 1) or len(pages)
    for name, texts in kept_together(course, edition):
        first = page_of(pages[:key], texts[0])
        if first is None:
            found.append(f"{name}: {texts[0]!r} is on no single page")
            continue
        # After the lead on its page (the same words may stand earlier, in a question).
        after = pages[first].text[pages[first].text.index(norm(texts[0])) :]
        missing = [t for t in texts[1:] if norm(t) not in after]
        if missing:
            found.append(f"{name} is split: page {first + 1} lacks {missing}")
    doc = lxml.html.document_fromstring(document)
    for tr in doc.iter("tr"):
        # Each text of the row (a cell, or an item of a list in a cell): whole on one page.
        cells = [str(t) for t in tr.itertext() if len(norm(str(t))) >= 4]
        if cells and not any(all(norm(c) in p.text for c in cells) for p in pages):
            found.append(f"table row split: {cells}")
    headings = ["".join(str(t) for t in h.itertext()) for h in doc.iter("h2", "h3")]
    for i, page in enumerate(pages):
        for heading in headings:
            bottom = "".join(page.lines[-3:])
            if norm(bottom).endswith(norm(heading)) and i + 1 < len(pages):
                found.append(f"heading {heading!r} ends page {i + 1}")
        if page.smallest_pt < MIN_PT:
            found.append(f"page {i + 1} has text at {page.smallest_pt:.1f} pt")
    return found


def render_html(course: m.Course, **options: Any) -> str:
    return html.render(
        course, {"answer_key": True, "worksheet": True, "paper": "a4", "edition": "full", **options}
    )


def check_weasyprint(course: m.Course, **options: Any) -> list[Page]:
    document = render_html(course, **options)
    pages = read_pages(pdf.render_pdf(document, 0))
    found = problems(course, document, pages, options.get("edition", "full"))
    # Text that starts inside the right margin: a table too wide for the page is cut
    # off there (six tracks side by side once lost the last column).
    found += [
        f"page {n}: text starts at {p.rightmost:.0f} pt, beyond the margin of a "
        f"{p.width:.0f} pt page"
        for n, p in enumerate(pages, 1)
        if p.rightmost > p.width - 40
    ]
    assert not found, "\n".join(found)
    return pages


@pytest.fixture
def course(bundled_content: Path) -> m.Course:
    return load_course(bundled_content).course


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_bundled_course_breaks_cleanly(course: m.Course, paper: str) -> None:
    check_weasyprint(course, paper=paper)


@pytest.mark.parametrize("shape", [SHAPES[1], SHAPES[4], SHAPES[5]], ids=lambda s: s.name)
def test_generated_course_breaks_cleanly(shape: Any, tmp_path: Path) -> None:
    check_weasyprint(load_course(write_course(shape, tmp_path / "content")).course)


def test_short_edition(course: m.Course) -> None:
    """The short edition: worksheet, tree, scoring key and the tracks side by side."""
    full = check_weasyprint(course)
    short = check_weasyprint(course, edition="short")
    assert len(short) <= len(full) // 2
    text = "".join(p.text for p in short)
    for present in (
        course.self_discovery.title,
        content.labels(course)["scoring_key"],
        content.labels(course)["comparison"],
        course.decision_tree.title,
    ):
        assert norm(present) in text
    for absent in (
        course.knowledge_check.title,
        content.labels(course)["answer_key"],
        content.labels(course)["tracks"],
    ):
        assert norm(absent) not in text


def test_the_check_finds_a_split_question(course: m.Course) -> None:
    """The checker itself, on a handout whose questions may break anywhere."""
    document = render_html(course).replace(".question, ", "").replace("ul.ticks {", "x {")
    document = document.replace("break-inside: avoid; page-break-inside: avoid;", "")
    found = problems(course, document, read_pages(pdf.render_pdf(document, 0)))
    assert found


def test_chromium_print_breaks_cleanly(page: Any, course: m.Course, tmp_path: Path) -> None:
    """The HTML handout printed from Chromium at A4."""
    from browserkit import serve

    document = render_html(course)
    site = tmp_path / "site"
    site.mkdir()
    (site / "handout.html").write_text(document, encoding="utf-8")
    with serve(site) as server:
        page.goto(server.url("handout.html"))
        data = page.pdf(prefer_css_page_size=True, display_header_footer=False)
    found = problems(course, document, read_pages(data))
    assert not found, "\n".join(found)
