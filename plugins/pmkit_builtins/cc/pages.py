"""Web pages of the cartridge: each :class:`pmkit.CourseSection` as one HTML5 document.

Every page stands alone: no links to the other pages (Moodle's Common
Cartridge import rewrites such links but does not copy their targets, see
docs/decisions.md §40), no scripts, no external files; the only links are the
https URLs the content names. Built with lxml, so every text is escaped by the
serializer; ``dir="auto"`` on each text element lets right-to-left text
display the right way round inside a left-to-right page. The small stylesheet
sits in ``<head>``, which some importers drop (Moodle keeps only ``<body>``):
the pages read well without it.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

import pmkit

STYLE = """
body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 48rem;
       margin: 1rem auto; padding: 0 1rem; color: #1a1a1a; background: #fff; }
table { border-collapse: collapse; }
th, td { border: 1px solid #767676; padding: 0.25rem 0.5rem; text-align: start;
         vertical-align: top; }
caption { font-weight: bold; text-align: start; }
.question { border-inline-start: 4px solid #2b5797; padding-inline-start: 0.75rem;
            margin: 1rem 0; }
.instruction { font-style: italic; }
"""


def _text(parent: etree._Element, tag: str, text: str, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrib)
    element.text = text
    if text:
        element.set("dir", "auto")
    return element


def _paragraphs(parent: etree._Element, text: str | None) -> None:
    for block in pmkit.text_paragraphs(text):
        _text(parent, "p", block)


def _question(
    parent: etree._Element, q: pmkit.QuestionBlock, level: int, texts: pmkit.UiStrings
) -> None:
    box = etree.SubElement(parent, "section", {"class": "question", "aria-labelledby": f"q-{q.id}"})
    _text(box, f"h{level}", texts("cc.question", number=q.number), id=f"q-{q.id}")
    _paragraphs(box, q.prompt)
    _paragraphs(box, q.text)
    _text(box, "p", q.instruction, **{"class": "instruction"})
    if q.prompts:
        items = etree.SubElement(box, "ol")
        for p in q.prompts:
            _text(items, "li", p.text)
        _text(box, "p", texts["cc.choose_from"])
    choices = etree.SubElement(box, "ol", type="A")
    for c in q.choices:
        li = _text(choices, "li", c.text)
        if c.note:
            _text(li, "p", c.note)


def _block(body: etree._Element, block: object, level: int, texts: pmkit.UiStrings) -> None:
    """Render one block; ``level`` is the level of the heading it comes under."""
    if isinstance(block, pmkit.HeadingBlock):
        _text(body, f"h{block.level}", block.text)
    elif isinstance(block, pmkit.ParagraphBlock):
        _text(body, "p", block.text)
    elif isinstance(block, pmkit.ListBlock):
        lst = etree.SubElement(body, "ol" if block.ordered else "ul")
        for item in block.items:
            _text(lst, "li", item)
    elif isinstance(block, pmkit.TermsBlock):
        dl = etree.SubElement(body, "dl")
        links = block.links or (None,) * len(block.terms)
        for (term, description), url in zip(block.terms, links, strict=True):
            dt = etree.SubElement(dl, "dt", dir="auto")
            if url:
                _text(dt, "a", term, href=url)
            else:
                dt.text = term
            if description:
                _text(dl, "dd", description)
    elif isinstance(block, pmkit.TableBlock):
        table = etree.SubElement(body, "table")
        _text(table, "caption", block.caption)
        head = etree.SubElement(etree.SubElement(table, "thead"), "tr")
        for cell in block.header:
            _text(head, "th", cell, scope="col")
        rows = etree.SubElement(table, "tbody")
        for row in block.rows:
            tr = etree.SubElement(rows, "tr")
            _text(tr, "th", row[0], scope="row")
            for cell in row[1:]:
                _text(tr, "td", cell)
    elif isinstance(block, pmkit.QuestionBlock):
        # One level below the heading above, so heading levels never skip one.
        _question(body, block, min(level + 1, 6), texts)
    else:  # pragma: no cover - a block type added to the model but not here
        raise TypeError(f"unknown block {type(block).__name__}")


def page_html(
    course: pmkit.Course, section: pmkit.CourseSection, *, answer_key: bool = False
) -> bytes:
    """One complete page: ``<!DOCTYPE html>``, language, title, one ``<main>`` with an ``<h1>``."""
    texts = pmkit.ui_strings(course)
    root = etree.Element("html", lang=course.language)
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    etree.SubElement(head, "title").text = f"{section.title} — {' '.join(course.title.split())}"
    etree.SubElement(head, "style").text = STYLE
    main = etree.SubElement(etree.SubElement(root, "body"), "main")
    _text(main, "h1", section.title)
    level = 1
    for block in section.blocks:
        _block(main, block, level, texts)
        if isinstance(block, pmkit.HeadingBlock):
            level = block.level
    questions = [q for q in section.questions if q.answer is not None]
    if answer_key and questions:
        _text(main, "h2", texts["cc.answers"])
        dl = etree.SubElement(main, "dl")
        for q in questions:
            _text(dl, "dt", texts("cc.answer", number=q.number, answer=q.answer))
            dd = etree.SubElement(dl, "dd")
            _paragraphs(dd, q.explanation)
    return (
        lxml_html.tostring(root, doctype="<!DOCTYPE html>", encoding="utf-8", method="html") + b"\n"
    )
