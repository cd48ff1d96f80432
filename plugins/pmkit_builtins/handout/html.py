"""The handout as one self-contained, print-ready HTML page.

Embedded CSS with a print stylesheet (``@page`` size from the ``paper``
option, page numbers where the engine supports ``@page`` margin boxes, the
answer key on its own page, table rows never split), the decision tree as
inline SVG, no script and no external URL. Every text is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any, ClassVar

import pmkit
from pmkit.model import course as m

from . import content as c
from .svg import render_svgs

PAPER = {"a4": "A4", "letter": "letter"}

CSS = """\
@page { size: %(size)s; margin: 18mm 16mm 20mm 16mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
html { font-family: Georgia, "Times New Roman", serif; color: #111111; background: #ffffff; }
body { max-width: 48rem; margin: 0 auto; padding: 1rem; line-height: 1.45; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; line-height: 1.2; }
h2 { border-bottom: 2px solid #333333; padding-bottom: .2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #555555; padding: .3rem .45rem; text-align: left;
  vertical-align: top; }
thead th { background: #e8e8e8; }
td.num, th.num { text-align: center; width: 4.5rem; }
.box { font-size: 1.2em; }
.instruction { font-style: italic; }
.answer-line { border-bottom: 1px solid #555555; height: 1.6rem; margin: .3rem 0 1rem; }
ul.ticks { list-style: none; padding-left: .5rem; }
figure { margin: 1rem 0; }
svg { max-width: 100%%; height: auto; }
.answer-key { break-before: page; page-break-before: always; }
tr, li, figure { break-inside: avoid; page-break-inside: avoid; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
@media print { body { max-width: none; padding: 0; font-size: 11pt; } }
"""


def esc(text: str | None) -> str:
    """Content text on one line, HTML-escaped (quotes too)."""
    return escape(c.flat(text), quote=True)


def _paras(text: str | None) -> list[str]:
    return [f"<p>{escape(p)}</p>" for p in c.paragraphs(text)]


def _list(items: Iterable[str], tag: str = "ul", cls: str = "") -> list[str]:
    attr = f' class="{cls}"' if cls else ""
    return [f"<{tag}{attr}>", *[f"<li>{i}</li>" for i in items], f"</{tag}>"]


def _table(caption: str | None, header: list[str], rows: Iterable[list[str]],
           row_headers: bool = True, num_from: int = 99) -> list[str]:
    """A table of escaped HTML cells; a row's first cell is its row header."""
    out = ["<table>"]
    if caption:
        out.append(f"<caption>{caption}</caption>")
    num = ' class="num"'
    out.append("<thead><tr>" + "".join(
        f'<th scope="col"{num if i >= num_from else ""}>{h}</th>'
        for i, h in enumerate(header)) + "</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            cls = ' class="num"' if i >= num_from else ""
            if i == 0 and row_headers:
                cells.append(f'<th scope="row">{cell}</th>')
            else:
                cells.append(f"<td{cls}>{cell}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return [*out, "</tbody>", "</table>"]


def _outline(course: m.Course) -> list[str]:
    tree = course.decision_tree
    out: list[str] = []

    def walk(node: m.TreeNode, seen: frozenset[str]) -> None:
        out.append(f"<li><strong>{esc(node.prompt)}</strong><ul>")
        for option in node.options:
            text = esc(option.label)
            if option.text:
                text += f": {esc(option.text)}"
            if option.track:
                text += f" → <strong>{esc(c.track_name(course, option.track))}</strong>"
            following = tree.node(option.next) if option.next else None
            out.append(f"<li>{text}")
            if following is not None and following.id not in seen:
                out.append("<ul>")
                walk(following, seen | {following.id})
                out.append("</ul>")
            out.append("</li>")
        out.append("</ul></li>")

    out.append("<ul>")
    walk(tree.start_node, frozenset({tree.start}))
    out.append("</ul>")
    return out


def _question(n: int, q: m.KnowledgeQuestion) -> list[str]:
    L = c.LABELS
    out = [f'<section class="question" aria-labelledby="kc-{n}">',
           f'<h3 id="kc-{n}">{n}. {esc(q.prompt)}</h3>',
           f'<p class="instruction">{esc(c.instruction(q))}</p>']
    if isinstance(q, m.ChoiceQuestion):
        out += _list((f'<span class="box" aria-hidden="true">☐</span> {c.letter(i)}. '
                      f"{esc(o.text)}" for i, o in enumerate(q.options)), "ul", "ticks")
    elif isinstance(q, m.TrueFalseQuestion):
        out += _list((f'<span class="box" aria-hidden="true">☐</span> {v}'
                      for v in ("True", "False")), "ul", "ticks")
    elif isinstance(q, m.MatchingQuestion):
        answers = c.matching_answers(q)
        out += _table(None, [esc(L["question"]), esc(L["your_answer"])],
                      ([esc(p.prompt), ""] for p in q.pairs))
        out += _list((f"{c.letter(i)}. {esc(a)}" for i, a in enumerate(answers)), "ul", "ticks")
    else:
        assert isinstance(q, m.OrderingQuestion)
        out += _list((f"{c.letter(i)}. {esc(item.text)}"
                      for i, item in enumerate(c.ordering_items(q))), "ul", "ticks")
        out += [f"<p>{esc(L['your_answer'])}</p>", '<div class="answer-line"></div>']
    return [*out, "</section>"]


def render(course: m.Course, options: dict[str, Any]) -> str:
    """The whole handout as an HTML document (ends with one newline)."""
    L = c.LABELS
    g = course.guidance
    out = ["<!DOCTYPE html>", f'<html lang="{escape(course.language, quote=True)}">', "<head>",
           '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{esc(course.title)}</title>",
           "<style>", CSS % {"size": PAPER[options["paper"]]}, "</style>", "</head>", "<body>",
           "<main>", f"<h1>{esc(course.title)}</h1>", *_paras(course.description)]

    def h2(text: str, cls: str = "") -> None:
        attr = f' class="{cls}"' if cls else ""
        out.append(f"<section{attr}>")
        out.append(f"<h2>{esc(text)}</h2>")

    def end() -> None:
        out.append("</section>")

    h2(course.introduction.heading)
    out.extend(_paras(course.introduction.text))
    end()

    sd = course.self_discovery
    h2(sd.title)
    out.extend(_paras(sd.intro))
    if options["worksheet"]:
        out.append(f"<p>{esc(L['worksheet_help'])}</p>")
    number = 0
    for group in sd.groups:
        out.append(f"<h3>{esc(group.title)}</h3>")
        rows = []
        for q in group.questions:
            number += 1
            rows.append([str(number), esc(q.text)])
        if options["worksheet"]:
            box = '<span class="box">☐</span>'
            out += _table(None, ["#", esc(L["question"]), esc(L["yes"]), esc(L["no"])],
                          ([r[0], r[1], box, box] for r in rows), num_from=2)
        else:
            out += _list((r[1] for r in rows), "ol")
    end()

    tree = course.decision_tree
    h2(tree.title)
    out.extend(_paras(tree.intro))
    out.append(f"<h3>{esc(L['starting_points'])}</h3>")
    start_rows = []
    for option in tree.start_node.options:
        if option.track:
            leads = esc(c.track_name(course, option.track))
        else:
            following = tree.node(option.next or "")
            leads = f"→ {esc(following.prompt)}" if following else ""
        start_rows.append([esc(option.label), leads, esc(option.text or "")])
    out += _table(None, [esc(L["background"]), esc(L["track"]), esc(L["what_it_means"])],
                  start_rows)
    out.append(f"<h3>{esc(L['outline'])}</h3>")
    out += _outline(course)
    out.append(f"<h3>{esc(L['diagram'])}</h3>")
    for svg in render_svgs(course):
        out += ["<figure>", svg, "</figure>"]
    end()

    if options["worksheet"]:
        h2(L["scoring_key"])
        out += _list((esc(t) for t in c.tally_instructions(course)), "ol")
        box = '<span class="box">☐</span>'
        rows = [[esc(r.label), box] + [str(r.points.get(t.id, "")) for t in course.tracks]
                for r in c.tally_rows(course)]
        rows.append([f"<strong>{esc(L['total'])}</strong>", ""] + ["" for _ in course.tracks])
        out += _table(None, [esc(L["points_row"]), esc(L["tick"])]
                      + [esc(t.short_title) for t in course.tracks], rows, num_from=1)
        end()

    h2(g.tracks_intro.heading)
    out.extend(_paras(g.tracks_intro.text))
    out.append(f"<h3>{esc(L['comparison'])}</h3>")
    labels = {"perfect_for": L["perfect_for"], "duties": L["duties"], "skills": L["skills"],
              "progression": L["progression"], "industries": L["industries"]}
    comparison = []
    for row in c.COMPARISON_ROWS:
        tag = "ol" if row == "progression" else "ul"
        cells = []
        for t in course.tracks:
            values = c.comparison_value(t, row)
            cells.append(esc(values[0]) if len(values) == 1 and row == "perfect_for"
                         else "".join(_list((esc(v) for v in values), tag)))
        comparison.append([esc(labels[row].rstrip(":")), *cells])
    out += _table(None, [esc(L["aspect"])] + [esc(t.short_title) for t in course.tracks],
                  comparison)
    end()

    h2(L["tracks"])
    for t in course.tracks:
        out.append(f"<h3>{esc(t.title)}</h3>")
        out.append(f"<p><strong>{esc(L['perfect_for'])}</strong> {esc(t.perfect_for)}</p>")
        out.append(f"<p><strong>{esc(L['duties'])}</strong></p>")
        out += _list(esc(d) for d in t.duties)
        out.append(f"<p><strong>{esc(L['skills'])}</strong></p>")
        out += _list(esc(s) for s in t.key_skills)
        out.append(f"<p><strong>{esc(L['progression'])}</strong></p>")
        out += _list((esc(p) for p in t.progression), "ol")
        out.append(f"<p><strong>{esc(L['industries'])}</strong> "
                   f"{esc(', '.join(t.industries))}</p>")
        if t.courses:
            out.append(f"<p><strong>{esc(L['courses'])}</strong></p>")
            items = []
            for link in t.courses:
                item = f"{esc(link.title)} ({esc(link.provider)})"
                if link.description:
                    item += f": {esc(link.description)}"
                if link.url:
                    item += f" <span class=\"url\">{esc(link.url)}</span>"
                items.append(item)
            out += _list(items)
    end()

    f = g.future
    h2(f.heading)
    out.extend(_paras(f.text))
    out.append(f"<h3>{esc(f.industries_heading)}</h3>")
    out.extend(_paras(f.industries_text))
    out += _list(f"<strong>{esc(t.short_title)}</strong>: {esc(', '.join(t.industries))}"
                 for t in course.tracks)
    out.append(f"<h3>{esc(f.work_environments_heading)}</h3>")
    out += _list(f"<strong>{esc(w.label)}</strong>: {esc(w.text)}" for w in f.work_environments)
    end()
    h2(g.making_your_choice.heading)
    out.extend(_paras(g.making_your_choice.text))
    end()

    kc = course.knowledge_check
    h2(kc.title)
    out.extend(_paras(kc.intro))
    for n, kq in enumerate(kc.questions, 1):
        out += _question(n, kq)
    end()

    h2(g.first_steps.heading)
    out.extend(_paras(g.first_steps.intro))
    out += _list((f'<span class="box" aria-hidden="true">☐</span> {esc(s)}'
                  for s in g.first_steps.steps), "ul", "ticks")
    end()
    h2(g.continuous_growth.heading)
    out.extend(_paras(g.continuous_growth.intro))
    out += _list(esc(h) for h in g.continuous_growth.habits)
    end()
    h2(L["closing"])
    out.extend(_paras(g.closing))
    end()
    h2(L["source"])
    out += [f"<p>{escape(line)}</p>" for line in c.source_lines(course)]
    end()

    if options["answer_key"]:
        h2(L["answer_key"], "answer-key")
        for n, kq in enumerate(kc.questions, 1):
            out.append(f"<h3>{n}. {esc(kq.prompt)}</h3>")
            out.append(f"<p><strong>{esc(c.answer_key(kq))}</strong></p>")
            out.extend(_paras(kq.explanation))
        end()
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


class HtmlHandoutExporter(pmkit.Exporter):
    """The printable handout as one self-contained HTML page with a print stylesheet:
    worksheet, scoring key, decision-tree diagram (inline SVG), tracks, knowledge
    check and answer key on its own page."""

    name = "html"
    title = "Printable handout as one self-contained, print-ready HTML page"
    kind = "html"
    suffix = ".html"
    options: ClassVar[dict[str, dict[str, Any]]] = {
        "answer_key": {"type": "boolean", "default": True,
                       "meta": {"help": "include the knowledge-check answer key on its own page"}},
        "worksheet": {"type": "boolean", "default": True,
                      "meta": {"help": "include the tick-box worksheet and its scoring key"}},
        "paper": {"type": "string", "allowed": ["a4", "letter"], "default": "a4",
                  "meta": {"help": "paper size for printing: a4 or letter"}},
    }

    def filename(self, ctx: pmkit.ExportContext) -> str:
        """``<course-id>-handout.html``."""
        return f"{ctx.course.id}-handout{self.suffix}"

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write the handout as UTF-8 HTML."""
        target.write_text(render(ctx.course, dict(ctx.options)), encoding="utf-8", newline="\n")
