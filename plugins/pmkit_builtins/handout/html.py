"""The handout as one self-contained, print-ready HTML page.

Embedded CSS with a print stylesheet (``@page`` size from the ``paper``
option, page numbers where the engine supports ``@page`` margin boxes, the
answer key on its own page, table rows never split), the decision tree as
inline SVG, no script and no external URL. Every text is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from typing import Any, ClassVar

import pmkit

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
figcaption { font-family: Helvetica, Arial, sans-serif; font-weight: bold; margin: .3rem 0; }
svg { max-width: 100%%; height: auto; }
.answer-key { break-before: page; page-break-before: always; }
tr, li, figure, h1, h2, h3, .question, .keep, ul.ticks {
  break-inside: avoid; page-break-inside: avoid; }
h1, h2, h3, caption { break-after: avoid; page-break-after: avoid; }
p { orphans: 3; widows: 3; }
.outline li { break-inside: auto; page-break-inside: auto; }  /* a long tree may break */
@media print { body { max-width: none; padding: 0; font-size: 11pt; } }
table.many td.num, table.many th.num { width: auto; }  /* 4+ tracks: room for the labels */
@media screen and (max-width: 40rem) {  /* a phone: nothing wider than the screen */
  body { padding: .5rem; }
  .outline ul { padding-left: 1rem; }
  table { font-size: .85rem; }
  th, td { overflow-wrap: anywhere; padding: .25rem .3rem; }
  td ul, td ol { padding-left: 1rem; }
  table.many { font-size: .75rem; }
  table.many thead th.num { writing-mode: vertical-rl; transform: rotate(180deg);
    white-space: nowrap; vertical-align: bottom; padding: .4rem .2rem; }  /* read upwards */
}
"""


def esc(text: str | None) -> str:
    """Content text on one line, HTML-escaped (quotes too)."""
    return escape(c.flat(text), quote=True)


def _paras(text: str | None) -> list[str]:
    return [f"<p>{escape(p)}</p>" for p in c.paragraphs(text)]


def _list(items: Iterable[str], tag: str = "ul", cls: str = "") -> list[str]:
    attr = f' class="{cls}"' if cls else ""
    return [f"<{tag}{attr}>", *[f"<li>{i}</li>" for i in items], f"</{tag}>"]


def _table(
    caption: str | None,
    header: list[str],
    rows: Iterable[list[str]],
    row_headers: bool = True,
    num_from: int = 99,
    cls: str = "",
) -> list[str]:
    """A table of escaped HTML cells; a row's first cell is its row header."""
    out = [f'<table class="{cls}">' if cls else "<table>"]
    if caption:
        out.append(f"<caption>{caption}</caption>")
    num = ' class="num"'
    out.append(
        "<thead><tr>"
        + "".join(
            f'<th scope="col"{num if i >= num_from else ""}>{h}</th>' for i, h in enumerate(header)
        )
        + "</tr></thead>"
    )
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


def _outline(course: pmkit.Course) -> list[str]:
    tree = course.decision_tree
    out: list[str] = []
    # A question reached by several answers (a join) is spelled out the first time,
    # depth first; later answers that lead to it point back to it.
    shown: set[str] = set()

    def walk(node: pmkit.TreeNode) -> None:
        shown.add(node.id)
        out.append(f'<li id="outline-{esc(node.id)}"><strong>{esc(node.prompt)}</strong><ul>')
        for option in node.options:
            text = esc(option.label)
            if option.text:
                text += f": {esc(option.text)}"
            if option.track:
                text += f" → <strong>{esc(c.track_name(course, option.track))}</strong>"
            following = tree.node(option.next) if option.next else None
            if following is not None and following.id in shown:
                see = esc(c.LABELS["see_above"]).replace(
                    "{prompt}",
                    f'<a href="#outline-{esc(following.id)}">{esc(following.prompt)}</a>',
                )
                text += f" → {see}"
            out.append(f"<li>{text}")
            if following is not None and following.id not in shown:
                out.append("<ul>")
                walk(following)
                out.append("</ul>")
            out.append("</li>")
        out.append("</ul></li>")

    out.append('<ul class="outline">')
    walk(tree.start_node)
    out.append("</ul>")
    return out


def _question(course: pmkit.Course, n: int, q: pmkit.KnowledgeQuestion) -> list[str]:
    L = c.LABELS
    out = [
        f'<section class="question" aria-labelledby="kc-{n}">',
        f'<h3 id="kc-{n}">{n}. {esc(q.prompt)}</h3>',
        f'<p class="instruction">{esc(c.instruction(q))}</p>',
    ]
    if isinstance(q, pmkit.ChoiceQuestion):
        shown = c.choice_options(course, q)
        out += _list(
            (
                f'<span class="box" aria-hidden="true">☐</span> {c.letter(i)}. {esc(o.text)}'
                for i, o in enumerate(shown)
            ),
            "ul",
            "ticks",
        )
    elif isinstance(q, pmkit.TrueFalseQuestion):
        out += _list(
            (f'<span class="box" aria-hidden="true">☐</span> {v}' for v in ("True", "False")),
            "ul",
            "ticks",
        )
    elif isinstance(q, pmkit.MatchingQuestion):
        answers = c.matching_answers(course, q)
        out += _table(
            None,
            [esc(L["question"]), esc(L["your_answer"])],
            ([esc(p.prompt), ""] for p in q.pairs),
        )
        out += _list((f"{c.letter(i)}. {esc(a)}" for i, a in enumerate(answers)), "ul", "ticks")
    else:
        assert isinstance(q, pmkit.OrderingQuestion)
        out += _list(
            (
                f"{c.letter(i)}. {esc(item.text)}"
                for i, item in enumerate(c.ordering_items(course, q))
            ),
            "ul",
            "ticks",
        )
        out += [f"<p>{esc(L['your_answer'])}</p>", '<div class="answer-line"></div>']
    return [*out, "</section>"]


def _section(heading: str, body: list[str], cls: str = "") -> list[str]:
    """A ``<section>`` with an ``<h2>``."""
    attr = f' class="{cls}"' if cls else ""
    return [f"<section{attr}>", f"<h2>{esc(heading)}</h2>", *body, "</section>"]


def _keep(*parts: list[str]) -> list[str]:
    """A block the print stylesheet keeps on one page (a heading with its table...)."""
    return ['<div class="keep">', *(line for part in parts for line in part), "</div>"]


def _head(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    return [
        "<!DOCTYPE html>",
        f'<html lang="{escape(course.language, quote=True)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(course.title)}</title>",
        "<style>",
        CSS % {"size": PAPER[options["paper"]]},
        "</style>",
        "</head>",
    ]


def _own(place: str) -> Callable[[pmkit.Course, dict[str, Any]], list[str]]:
    """The course's own sections placed at ``place`` (where: content.OWN_SECTIONS)."""

    def sections(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
        out: list[str] = []
        for section in course.guidance.placed(place):
            out += _section(section.heading, _paras(section.text))
        return out

    return sections


def _introduction(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    return _section(course.introduction.heading, _paras(course.introduction.text))


def _self_discovery(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    L = c.LABELS
    sd = course.self_discovery
    body = _paras(sd.intro)
    if options["worksheet"]:
        body.append(f"<p>{esc(L['worksheet_help'])}</p>")
    number = 0
    box = '<span class="box">☐</span>'
    for group in sd.groups:
        rows = []
        for q in group.questions:
            number += 1
            rows.append([str(number), esc(q.text)])
        heading = [f"<h3>{esc(group.title)}</h3>"]
        if options["worksheet"]:
            body += _keep(
                heading,
                _table(
                    None,
                    ["#", esc(L["question"]), esc(L["yes"]), esc(L["no"])],
                    ([r[0], r[1], box, box] for r in rows),
                    num_from=2,
                ),
            )
        else:
            body += _keep(heading, _list((r[1] for r in rows), "ol"))
    return _section(sd.title, body)


def _decision_tree(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    L = c.LABELS
    tree = course.decision_tree
    start_rows = []
    for option in tree.start_node.options:
        start_rows.append(
            [esc(option.label), esc(c.leads_to(course, option)), esc(option.text or "")]
        )
    body = _paras(tree.intro)
    if options["edition"] == "full":  # the short edition has them in the outline below
        body += _keep(
            [f"<h3>{esc(L['starting_points'])}</h3>"],
            _table(
                None,
                [esc(L["background"]), esc(L["leads_to"]), esc(L["what_it_means"])],
                start_rows,
            ),
        )
    body += [f"<h3>{esc(L['outline'])}</h3>", *_outline(course)]
    svgs = render_svgs(course)
    # Parts are numbered where they are drawn: an answer box says "Go to part N".
    captions = (
        [f"<figcaption>Part {n} of {len(svgs)}</figcaption>" for n in range(1, len(svgs) + 1)]
        if len(svgs) > 1
        else [""]
    )
    figures = [
        ["<figure>", caption, svg, "</figure>"] if caption else ["<figure>", svg, "</figure>"]
        for caption, svg in zip(captions, svgs, strict=True)
    ]
    # The heading stays with the first drawing; each drawing fits a page on its own.
    body += _keep([f"<h3>{esc(L['diagram'])}</h3>"], figures[0])
    for figure in figures[1:]:
        body += figure
    return _section(tree.title, body)


def _scoring_key(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    if not options["worksheet"]:
        return []
    L = c.LABELS
    box = '<span class="box">☐</span>'
    rows = [
        [esc(r.label), box] + [str(r.points.get(t.id, "")) for t in course.tracks]
        for r in c.tally_rows(course)
    ]
    rows.append([f"<strong>{esc(L['total'])}</strong>", ""] + ["" for _ in course.tracks])
    instructions = _list((esc(t) for t in c.tally_instructions(course)), "ol")
    table = _table(
        None,
        [esc(L["points_row"]), esc(L["tick"])] + [esc(t.short_title) for t in course.tracks],
        rows,
        num_from=1,
        # More than three track columns at a fixed width leave the answers a sliver.
        cls="many" if len(course.tracks) > 3 else "",
    )
    # Heading, instructions and table are one block: moved to a new page together,
    # and a table taller than a page breaks between rows after its heading.
    return [
        "<section>",
        *_keep([f"<h2>{esc(L['scoring_key'])}</h2>"], instructions, table),
        "</section>",
    ]


#: Tracks per side-by-side table: more columns than this do not fit an A4 or Letter
#: page at a readable size, so a course with more tracks gets several tables.
TRACKS_PER_TABLE = 3


def _comparison(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    L = c.LABELS
    g = course.guidance
    # The introduction points to the rest of the full handout; the short one has only the table.
    full = options["edition"] == "full"
    intro = _paras(g.tracks_intro.text) if full and g.tracks_intro else []
    body = [*intro]
    tracks = list(course.tracks)
    # Even groups (4 tracks: 2 + 2, not 3 + 1), none wider than TRACKS_PER_TABLE.
    groups = -(-len(tracks) // TRACKS_PER_TABLE)
    size = -(-len(tracks) // groups)
    for n, start in enumerate(range(0, len(tracks), size), 1):
        part = f" ({n} of {groups})" if groups > 1 else ""
        if g.tracks_intro or groups > 1:  # else the part's own heading says it
            body += [f"<h3>{esc(L['comparison'])}{part}</h3>"]
        body += _comparison_table(tracks[start : start + size])
    return _section(g.tracks_intro.heading if g.tracks_intro else L["comparison"], body)


def _comparison_table(tracks: list[pmkit.Track]) -> list[str]:
    L = c.LABELS
    labels = {
        "perfect_for": L["perfect_for"],
        "duties": L["duties"],
        "skills": L["skills"],
        "progression": L["progression"],
        "industries": L["industries"],
    }
    rows = []
    for row in c.COMPARISON_ROWS:
        tag = "ol" if row == "progression" else "ul"
        cells = []
        for t in tracks:
            values = c.comparison_value(t, row)
            cells.append(
                esc(values[0])
                if len(values) == 1 and row == "perfect_for"
                else "".join(_list((esc(v) for v in values), tag))
            )
        rows.append([esc(labels[row].rstrip(":")), *cells])
    return _table(None, [esc(L["aspect"])] + [esc(t.short_title) for t in tracks], rows)


def _track(t: pmkit.Track) -> list[str]:
    L = c.LABELS
    out = [
        f"<h3>{esc(t.title)}</h3>",
        f"<p><strong>{esc(L['perfect_for'])}</strong> {esc(t.perfect_for)}</p>",
    ]
    out += _keep([f"<p><strong>{esc(L['duties'])}</strong></p>"], _list(esc(d) for d in t.duties))
    out += _keep(
        [f"<p><strong>{esc(L['skills'])}</strong></p>"], _list(esc(s) for s in t.key_skills)
    )
    out += _keep(
        [f"<p><strong>{esc(L['progression'])}</strong></p>"],
        _list((esc(p) for p in t.progression), "ol"),
    )
    out.append(f"<p><strong>{esc(L['industries'])}</strong> {esc(', '.join(t.industries))}</p>")
    if t.courses:
        items = []
        for link in t.courses:
            item = f"{esc(link.title)} ({esc(link.provider)})"
            if link.description:
                item += f": {esc(link.description)}"
            if link.url:
                item += f' <span class="url">{esc(link.url)}</span>'
            items.append(item)
        out += _keep([f"<p><strong>{esc(L['courses'])}</strong></p>"], _list(items))
    return out


def _tracks(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    return _section(c.LABELS["tracks"], [line for t in course.tracks for line in _track(t)])


def _future(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    f = course.guidance.future
    if f is None:
        return []
    body = _paras(f.text)
    body += _keep(
        [f"<h3>{esc(f.industries_heading)}</h3>", *_paras(f.industries_text)],
        _list(
            f"<strong>{esc(t.short_title)}</strong>: {esc(', '.join(t.industries))}"
            for t in course.tracks
        ),
    )
    body += _keep(
        [f"<h3>{esc(f.work_environments_heading)}</h3>"],
        _list(f"<strong>{esc(w.label)}</strong>: {esc(w.text)}" for w in f.work_environments),
    )
    return _section(f.heading, body)


def _making_your_choice(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    choice = course.guidance.making_your_choice
    if choice is None:
        return []
    return _section(choice.heading, _paras(choice.text))


def _knowledge_check(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    kc = course.knowledge_check
    body = _paras(kc.intro)
    for n, kq in enumerate(kc.questions, 1):
        body += _question(course, n, kq)
    return _section(kc.title, body)


def _first_steps(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    steps = course.guidance.first_steps
    if steps is None:
        return []
    # The checklist stays with its introduction (and so with its heading).
    return _section(
        steps.heading,
        _keep(
            _paras(steps.intro),
            _list(
                (f'<span class="box" aria-hidden="true">☐</span> {esc(s)}' for s in steps.steps),
                "ul",
                "ticks",
            ),
        ),
    )


def _continuous_growth(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    growth = course.guidance.continuous_growth
    if growth is None:
        return []
    return _section(growth.heading, _paras(growth.intro) + _list(esc(h) for h in growth.habits))


def _closing(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    if course.guidance.closing is None:
        return []
    return _section(c.LABELS["closing"], _paras(course.guidance.closing))


def _source(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    if course.attribution is None:
        return []
    return _section(
        c.LABELS["source"], _keep([f"<p>{escape(line)}</p>" for line in c.source_lines(course)])
    )


def _answer_key(course: pmkit.Course, options: dict[str, Any]) -> list[str]:
    if not options["answer_key"]:
        return []
    body: list[str] = []
    for n, kq in enumerate(course.knowledge_check.questions, 1):
        body += _keep(
            [
                f"<h3>{n}. {esc(kq.prompt)}</h3>",
                f"<p><strong>{esc(c.answer_key(course, kq))}</strong></p>",
            ],
            _paras(kq.explanation),
        )
    return _section(c.LABELS["answer_key"], body, "answer-key")


#: The sections of each edition, in order. The short one is what an instructor hands
#: out for the exercise: the worksheet, the tree, the scoring key and the tracks.
EDITIONS: dict[str, tuple[Callable[[pmkit.Course, dict[str, Any]], list[str]], ...]] = {
    "full": (
        _introduction,
        _own("introduction"),
        _self_discovery,
        _decision_tree,
        _own("decision-tree"),
        _scoring_key,
        _comparison,
        _tracks,
        _own("tracks"),
        _future,
        _own("future"),
        _making_your_choice,
        _knowledge_check,
        _first_steps,
        _continuous_growth,
        _closing,
        _own("next-steps"),
        _source,
        _answer_key,
    ),
    "short": (_self_discovery, _decision_tree, _scoring_key, _comparison, _source),
}


def render(course: pmkit.Course, options: dict[str, Any]) -> str:
    """The whole handout as an HTML document (ends with one newline)."""
    options = {"edition": "full", **options}
    out = [
        *_head(course, options),
        "<body>",
        "<main>",
        f"<h1>{esc(course.title)}</h1>",
        *_paras(course.description),
    ]
    for section in EDITIONS[options["edition"]]:
        out += section(course, options)
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
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option(
            "answer_key", "boolean", True, "include the knowledge-check answer key on its own page"
        ),
        pmkit.Option(
            "worksheet", "boolean", True, "include the tick-box worksheet and its scoring key"
        ),
        pmkit.Option(
            "paper",
            "string",
            "a4",
            "paper size for printing: a4 or letter",
            allowed=("a4", "letter"),
        ),
        pmkit.Option(
            "edition",
            "string",
            "full",
            "full: the whole course; short: the worksheet, decision tree, scoring "
            "key and tracks side by side",
            allowed=("full", "short"),
        ),
    )

    def filename(self, ctx: pmkit.ExportContext) -> str:
        """``<course-id>-handout.html``."""
        return f"{ctx.course.id}-handout{self.suffix}"

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write the handout as UTF-8 HTML."""
        target.write_text(render(ctx.course, dict(ctx.options)), encoding="utf-8", newline="\n")
