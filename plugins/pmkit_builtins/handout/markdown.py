"""The handout as GitHub-flavoured Markdown (valid CommonMark, no raw HTML).

Every piece of content text goes through :func:`md_escape` (or
:func:`cell_escape` inside tables), so ``*``, ``|``, ``<``, ``#`` or ``[`` in
the course are shown as written and never change the layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

import pmkit

from . import content as c

#: ASCII punctuation that can start or end inline markup (or an HTML tag, entity,
#: autolink or table cell) anywhere in a line: always backslash-escaped.
_INLINE = set("\\`*_[]<>|#~&!{}")
#: A paragraph that starts like a block (list item, heading underline, ordered list).
_BLOCK_START = re.compile(r"^([-+=]|\d{1,9}(?=[.)]))")


def md_escape(text: str | None) -> str:
    """``text`` on one line, escaped so CommonMark/GFM shows it literally."""
    flat = c.flat(text)
    out = "".join("\\" + ch if ch in _INLINE else ch for ch in flat)
    match = _BLOCK_START.match(out)
    if match:
        end = match.end()
        out = out[:end] + "\\" + out[end:] if match.group(1)[0].isdigit() else "\\" + out
    return out


def cell_escape(text: str | None) -> str:
    """``text`` for a GFM table cell: escaped, newlines flattened to spaces, ``|`` escaped."""
    return md_escape(text)


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    """A GFM table; cells are already escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _paras(text: str | None) -> list[str]:
    out: list[str] = []
    for p in c.paragraphs(text):
        out += [md_escape(p), ""]
    return out


def _heading(level: int, text: str) -> list[str]:
    return ["#" * level + " " + md_escape(text), ""]


def _bullets(items: Iterable[str], marker: str = "-") -> list[str]:
    return [f"{marker} {md_escape(i)}" for i in items] + [""]


def _mermaid_text(text: str) -> str:
    """A Mermaid label: characters Mermaid or HTML would read are entity codes."""
    codes = {
        '"': "#quot;",
        "#": "#35;",
        "<": "#lt;",
        ">": "#gt;",
        "&": "#amp;",
        "`": "#96;",
        "|": "#124;",
        "[": "#91;",
        "]": "#93;",
        "{": "#123;",
        "}": "#125;",
    }
    return "".join(codes.get(ch, ch) for ch in c.flat(text))


def mermaid(course: pmkit.Course) -> list[str]:
    """The decision tree as a Mermaid flowchart (node ids are generated, labels escaped)."""
    tree = course.decision_tree
    ids = {n.id: f"q{i}" for i, n in enumerate(tree.nodes)}
    tracks = {t.id: f"t{i}" for i, t in enumerate(course.tracks)}
    lines = ["```mermaid", "flowchart TD"]
    for node in tree.nodes:
        lines.append(f'    {ids[node.id]}["{_mermaid_text(node.prompt)}"]')
    for track in course.tracks:
        lines.append(f'    {tracks[track.id]}(["{_mermaid_text(track.short_title)}"])')
    for node in tree.nodes:
        for option in node.options:
            target = ids.get(option.next or "") or tracks.get(option.track or "")
            if target:
                lines.append(f'    {ids[node.id]} -->|"{_mermaid_text(option.label)}"| {target}')
    return [*lines, "```", ""]


def outline(course: pmkit.Course) -> list[str]:
    """The decision tree as a nested list: question, answers, where each leads."""
    tree = course.decision_tree
    lines: list[str] = []
    # A question reached by several answers (a join) is spelled out the first time,
    # depth first; later answers that lead to it point back to it.
    shown: set[str] = set()

    def walk(node: pmkit.TreeNode, depth: int) -> None:
        shown.add(node.id)
        pad = "  " * depth
        lines.append(f"{pad}- **{md_escape(node.prompt)}**")
        for option in node.options:
            text = md_escape(option.label)
            if option.text:
                text += f": {md_escape(option.text)}"
            following = tree.node(option.next) if option.next else None
            if option.track:
                text += f" → **{md_escape(c.track_name(course, option.track))}**"
            if following is not None and following.id in shown:
                see = md_escape(c.LABELS["see_above"].replace("{prompt}", following.prompt))
                text += f" → {see}"
            lines.append(f"{pad}  - {text}")
            if following is not None and following.id not in shown:
                walk(following, depth + 2)

    walk(tree.start_node, 0)
    return [*lines, ""]


def _question(course: pmkit.Course, number: int, q: pmkit.KnowledgeQuestion) -> list[str]:
    lines = [f"### {number}\\. {md_escape(q.prompt)}", "", f"*{md_escape(c.instruction(q))}*", ""]
    if isinstance(q, pmkit.ChoiceQuestion):
        shown = c.choice_options(course, q)
        lines += [f"- [ ] {c.letter(i)}\\. {md_escape(o.text)}" for i, o in enumerate(shown)]
        lines.append("")
    elif isinstance(q, pmkit.TrueFalseQuestion):
        lines += ["- [ ] True", "- [ ] False", ""]
    elif isinstance(q, pmkit.MatchingQuestion):
        answers = c.matching_answers(course, q)
        lines += _table(
            [c.LABELS["question"], c.LABELS["your_answer"]],
            [[cell_escape(p.prompt), "\\_\\_\\_"] for p in q.pairs],
        )
        lines += [f"{c.letter(i)}\\. {md_escape(a)}  " for i, a in enumerate(answers)]
        lines[-1] = lines[-1].rstrip()
        lines.append("")
    else:
        assert isinstance(q, pmkit.OrderingQuestion)
        lines += [
            f"{c.letter(i)}\\. {md_escape(item.text)}  "
            for i, item in enumerate(c.ordering_items(course, q))
        ]
        lines[-1] = lines[-1].rstrip()
        lines += ["", f"{md_escape(c.LABELS['your_answer'])} \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_", ""]
    return lines


def _own(course: pmkit.Course, place: str) -> list[str]:
    """The course's own sections placed at ``place`` (where: content.OWN_SECTIONS)."""
    out: list[str] = []
    for section in course.guidance.placed(place):
        out += _heading(2, section.heading) + _paras(section.text)
    return out


def render(course: pmkit.Course, options: dict[str, Any]) -> str:
    """The whole handout as Markdown text (ends with one newline)."""
    L = c.LABELS
    out: list[str] = [*_heading(1, course.title), *_paras(course.description)]
    out += _heading(2, course.introduction.heading) + _paras(course.introduction.text)
    out += _own(course, "introduction")

    sd = course.self_discovery
    out += _heading(2, sd.title) + _paras(sd.intro)
    number = 0
    if options["worksheet"]:
        out += [md_escape(L["worksheet_help"]), ""]
    for group in sd.groups:
        out += _heading(3, group.title)
        rows = []
        for q in group.questions:
            number += 1
            rows.append([str(number), cell_escape(q.text), "☐", "☐"])
        if options["worksheet"]:
            out += _table(["#", L["question"], L["yes"], L["no"]], rows)
        else:
            out += [f"{r[0]}. {r[1]}" for r in rows] + [""]

    tree = course.decision_tree
    out += _heading(2, tree.title) + _paras(tree.intro)
    out += _heading(3, L["starting_points"])
    start_rows = []
    for option in tree.start_node.options:
        start_rows.append(
            [
                cell_escape(option.label),
                cell_escape(c.leads_to(course, option)),
                cell_escape(option.text or ""),
            ]
        )
    out += _table([L["background"], L["leads_to"], L["what_it_means"]], start_rows)
    out += _heading(3, L["outline"]) + outline(course) + mermaid(course)
    out += _own(course, "decision-tree")

    if options["worksheet"]:
        out += _heading(2, L["scoring_key"])
        out += [f"{i}. {md_escape(t)}" for i, t in enumerate(c.tally_instructions(course), 1)]
        out.append("")
        rows = [
            [cell_escape(r.label), "☐"] + [str(r.points.get(t.id, "")) for t in course.tracks]
            for r in c.tally_rows(course)
        ]
        rows.append([f"**{L['total']}**", ""] + ["" for _ in course.tracks])
        out += _table(
            [md_escape(L["points_row"]), md_escape(L["tick"])]
            + [cell_escape(t.short_title) for t in course.tracks],
            rows,
        )

    g = course.guidance
    if g.tracks_intro is not None:
        out += _heading(2, g.tracks_intro.heading) + _paras(g.tracks_intro.text)
        out += _heading(3, L["comparison"])
    else:  # the table is the whole part, under its own name
        out += _heading(2, L["comparison"])
    comparison = []
    for row in c.COMPARISON_ROWS:
        sep = " → " if row == "progression" else "; "
        cells = [cell_escape(sep.join(c.comparison_value(t, row))) for t in course.tracks]
        label = {
            "perfect_for": L["perfect_for"],
            "duties": L["duties"],
            "skills": L["skills"],
            "progression": L["progression"],
            "industries": L["industries"],
        }[row]
        comparison.append([f"**{md_escape(label.rstrip(':'))}**", *cells])
    out += _table(
        [md_escape(L["aspect"])] + [cell_escape(t.short_title) for t in course.tracks], comparison
    )

    out += _heading(2, L["tracks"])
    for t in course.tracks:
        out += _heading(3, t.title)
        out += [f"**{md_escape(L['perfect_for'])}** {md_escape(t.perfect_for)}", ""]
        out += [f"**{md_escape(L['duties'])}**", "", *_bullets(t.duties)]
        out += [f"**{md_escape(L['skills'])}**", "", *_bullets(t.key_skills)]
        out += [f"**{md_escape(L['progression'])}**", ""]
        out += [f"{i}. {md_escape(p)}" for i, p in enumerate(t.progression, 1)] + [""]
        out += [f"**{md_escape(L['industries'])}** {md_escape(', '.join(t.industries))}", ""]
        if t.courses:
            out += [f"**{md_escape(L['courses'])}**", ""]
            for link in t.courses:
                item = f"{md_escape(link.title)} ({md_escape(link.provider)})"
                if link.description:
                    item += f": {md_escape(link.description)}"
                if link.url:
                    item += f" {md_escape(link.url)}"
                out.append(f"- {item}")
            out.append("")
    out += _own(course, "tracks")

    f = g.future
    if f is not None:
        out += _heading(2, f.heading) + _paras(f.text)
        out += _heading(3, f.industries_heading) + _paras(f.industries_text)
        out += [
            f"- **{md_escape(t.short_title)}**: {md_escape(', '.join(t.industries))}"
            for t in course.tracks
        ] + [""]
        out += _heading(3, f.work_environments_heading)
        out += [f"- **{md_escape(w.label)}**: {md_escape(w.text)}" for w in f.work_environments]
        out.append("")
        out += _own(course, "future")
    if g.making_your_choice is not None:
        out += _heading(2, g.making_your_choice.heading) + _paras(g.making_your_choice.text)

    kc = course.knowledge_check
    out += _heading(2, kc.title) + _paras(kc.intro)
    for n, kq in enumerate(kc.questions, 1):
        out += _question(course, n, kq)

    if g.first_steps is not None:
        out += _heading(2, g.first_steps.heading) + _paras(g.first_steps.intro)
        out += [f"- [ ] {md_escape(s)}" for s in g.first_steps.steps] + [""]
    if g.continuous_growth is not None:
        out += _heading(2, g.continuous_growth.heading) + _paras(g.continuous_growth.intro)
        out += _bullets(g.continuous_growth.habits)
    if g.closing is not None:
        out += _heading(2, L["closing"]) + _paras(g.closing)
    out += _own(course, "next-steps")
    if course.attribution is not None:
        out += _heading(2, L["source"])
        for line in c.source_lines(course):
            out += [md_escape(line), ""]

    if options["answer_key"]:
        out += _heading(2, L["answer_key"])
        for n, kq in enumerate(kc.questions, 1):
            out += [f"### {n}\\. {md_escape(kq.prompt)}", ""]
            out += [f"**{md_escape(c.answer_key(course, kq))}**", "", *_paras(kq.explanation)]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


class MarkdownHandoutExporter(pmkit.Exporter):
    """The printable handout as GitHub-flavoured Markdown: worksheet, scoring key,
    decision tree (outline and Mermaid), tracks, knowledge check and answer key."""

    name = "markdown"
    title = "Printable handout as GitHub-flavoured Markdown (worksheet, tally, answer key)"
    kind = "markdown"
    suffix = ".md"
    options: ClassVar[tuple[pmkit.Option, ...]] = (
        pmkit.Option(
            "answer_key", "boolean", True, "include the knowledge-check answer key at the end"
        ),
        pmkit.Option(
            "worksheet", "boolean", True, "include the tick-box worksheet and its scoring key"
        ),
    )

    def filename(self, ctx: pmkit.ExportContext) -> str:
        """``<course-id>-handout.md``."""
        return f"{ctx.course.id}-handout{self.suffix}"

    def export(self, ctx: pmkit.ExportContext, target: Path) -> None:
        """Write the handout as UTF-8 Markdown."""
        target.write_text(render(ctx.course, dict(ctx.options)), encoding="utf-8", newline="\n")
