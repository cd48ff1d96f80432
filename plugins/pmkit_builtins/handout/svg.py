"""The decision tree drawn as inline SVG, generated in Python (no JavaScript, so
print engines such as WeasyPrint draw it too).

Layered layout, left to right (:mod:`.layout`): a question, its answers, the
next question (for an answer that leads on) and the tracks in the rightmost
column. A question with several parents is drawn once. Text is 12 px (9 pt in
print) and the drawing is never wider than the printed page, so it is never
scaled down: a tree that does not fit is drawn in parts instead, one question
and its answers per part, an answer that leads on pointing to the part of its
next question. Every text is XML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import pmkit

from . import content as c
from .layout import FONT_SIZE, LINE_H, PAD_X, PAD_Y, BoxSpec, Drawing, layout

#: The printable width (A4 less 16 mm margins, the narrower of A4 and Letter), in px.
PAGE_WIDTH = 672.0
#: The tallest drawing that fits a printed page below a heading, in px.
PAGE_HEIGHT = 820.0

FILLS = {"question": "#e8eef7", "option": "#ffffff", "track": "#dff0e0", "link": "#f4f4f4"}
FONT_FAMILY = "'DejaVu Sans', sans-serif"


@dataclass(frozen=True)
class Part:
    """One drawing of the diagram: its boxes and arrows, and what it shows in words."""

    boxes: list[BoxSpec]
    arrows: list[tuple[str, str]]
    description: str


def render_svgs(course: pmkit.Course, element_id: str = "decision-tree-diagram") -> list[str]:
    """The decision-tree diagram: one ``<svg role="img">`` per part (usually one)."""
    drawings = _drawings(course)
    title = c.flat(course.decision_tree.title)
    texts = pmkit.ui_strings(course)
    out = []
    for n, (drawing, description) in enumerate(drawings, 1):
        ident = element_id if len(drawings) == 1 else f"{element_id}-{n}"
        alt = (
            texts("handout.diagram_alt", title=title)
            if len(drawings) == 1
            else texts("handout.diagram_alt_part", title=title, n=n, total=len(drawings))
        )
        out.append(_svg(drawing, ident, alt, description))
    return out


# --------------------------------------------------------------------------- the graph


def questions_in_order(tree: pmkit.DecisionTree) -> list[pmkit.TreeNode]:
    """The questions reachable from the start, depth first in option order."""
    seen: list[pmkit.TreeNode] = []

    def visit(node: pmkit.TreeNode) -> None:
        if any(n.id == node.id for n in seen):
            return
        seen.append(node)
        for option in node.options:
            following = tree.node(option.next) if option.next else None
            if following is not None:
                visit(following)

    visit(tree.start_node)
    return seen


def depths(tree: pmkit.DecisionTree) -> dict[str, int]:
    """Each reachable question's depth: the longest path to it from the start.

    The longest path (not the shortest) puts a question with several parents
    to the right of all of them, so every arrow points rightwards.
    """
    nodes = questions_in_order(tree)
    depth = {n.id: 0 for n in nodes}
    # Longest paths in a graph without cycles settle within len(nodes) rounds;
    # the bound also keeps a (content-invalid) cycle from looping for ever.
    for _ in range(len(nodes)):
        changed = False
        for node in nodes:
            for option in node.options:
                if option.next in depth and depth[option.next] < depth[node.id] + 1:
                    depth[option.next] = depth[node.id] + 1
                    changed = True
        if not changed:
            break
    return depth


def _whole(course: pmkit.Course) -> Part:
    """The whole tree as one drawing."""
    tree = course.decision_tree
    depth = depths(tree)
    last = 2 * max(depth.values(), default=0) + 2
    boxes: list[BoxSpec] = []
    arrows: list[tuple[str, str]] = []
    for node in questions_in_order(tree):
        boxes.append(
            BoxSpec(f"q:{node.id}", "question", c.flat(node.prompt), 2 * depth[node.id], bold=True)
        )
        for option in node.options:
            key = f"o:{node.id}:{option.id}"
            boxes.append(BoxSpec(key, "option", c.flat(option.label), 2 * depth[node.id] + 1))
            arrows.append((f"q:{node.id}", key))
            if option.next in depth and depth[option.next] > depth[node.id]:
                arrows.append((key, f"q:{option.next}"))
            elif option.track:
                arrows.append((key, f"t:{option.track}"))
    boxes += _tracks(course, {dst for _, dst in arrows}, last)
    return Part(boxes, arrows, _describe(course, questions_in_order(tree)))


def _tracks(course: pmkit.Course, wanted: set[str], column: int) -> list[BoxSpec]:
    """The boxes of the tracks some arrow points to, in course order."""
    return [
        BoxSpec(f"t:{t.id}", "track", c.flat(t.short_title), column, bold=True)
        for t in course.tracks
        if f"t:{t.id}" in wanted
    ]


def _question_part(
    course: pmkit.Course,
    node: pmkit.TreeNode,
    options: list[pmkit.TreeOption],
    part_of: dict[str, int],
    continued: bool,
) -> Part:
    """One question and some of its answers, each pointing to a track or a part."""
    tree = course.decision_tree
    texts = pmkit.ui_strings(course)
    prompt = c.flat(node.prompt) + (" " + texts["handout.continued"] if continued else "")
    boxes = [BoxSpec(f"q:{node.id}", "question", prompt, 0, bold=True)]
    arrows: list[tuple[str, str]] = []
    links: list[BoxSpec] = []
    for option in options:
        key = f"o:{node.id}:{option.id}"
        boxes.append(BoxSpec(key, "option", c.flat(option.label), 1))
        arrows.append((f"q:{node.id}", key))
        following = tree.node(option.next) if option.next else None
        if following is not None and following.id in part_of:
            link = f"l:{following.id}"
            if all(b.key != link for b in links):
                links.append(
                    BoxSpec(
                        link,
                        "link",
                        texts(
                            "handout.go_to_part",
                            n=part_of[following.id],
                            question=c.flat(following.prompt),
                        ),
                        2,
                    )
                )
            arrows.append((key, link))
        elif option.track:
            arrows.append((key, f"t:{option.track}"))
    boxes += links + _tracks(course, {dst for _, dst in arrows}, 2)
    return Part(boxes, arrows, _describe(course, [node], options))


def _in_parts(course: pmkit.Course) -> list[tuple[Drawing, str]]:
    """One drawing per question (more when its answers are too many for a page)."""
    nodes = questions_in_order(course.decision_tree)
    chunks: list[tuple[pmkit.TreeNode, list[pmkit.TreeOption]]] = []
    for node in nodes:
        options = list(node.options)
        size = len(options)
        while options:
            # Fewer answers per part until the part fits a page (one always does).
            part = _question_part(course, node, options[:size], {}, False)
            if size == 1 or layout(part.boxes, part.arrows, PAGE_WIDTH, PAGE_HEIGHT):
                chunks.append((node, options[:size]))
                options = options[size:]
                size = len(options)
            else:
                size -= 1
    part_of: dict[str, int] = {}
    for n, (node, _) in enumerate(chunks, 1):
        part_of.setdefault(node.id, n)
    drawings = []
    for n, (node, options) in enumerate(chunks, 1):
        part = _question_part(course, node, options, part_of, part_of[node.id] != n)
        drawing = layout(part.boxes, part.arrows, PAGE_WIDTH, PAGE_HEIGHT) or layout(
            part.boxes, part.arrows, PAGE_WIDTH, float("inf")
        )
        assert drawing is not None  # three columns always fit the width
        drawings.append((drawing, part.description))
    return drawings


def _drawings(course: pmkit.Course) -> list[tuple[Drawing, str]]:
    whole = _whole(course)
    drawing = layout(whole.boxes, whole.arrows, PAGE_WIDTH, PAGE_HEIGHT)
    if drawing is not None:
        return [(drawing, whole.description)]
    return _in_parts(course)


# --------------------------------------------------------------------------- SVG


def _svg(drawing: Drawing, ident: str, alt: str, description: str) -> str:
    w, h = round(drawing.width, 1), round(drawing.height, 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{ident}" role="img" '
        f'viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(alt)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#333333"/></marker></defs>',
    ]
    for arrow in drawing.arrows:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in arrow.points)
        out.append(
            f'<polyline points="{points}" fill="none" stroke="#333333" '
            f'stroke-width="1.3" marker-end="url(#{ident}-arrow)"/>'
        )
    for box in drawing.boxes:
        kind = box.spec.kind
        dash = ' stroke-dasharray="4 2"' if kind == "link" else ""
        weight = ' font-weight="bold"' if box.spec.bold else ""
        out.append(
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" '
            f'height="{box.h:.1f}" rx="5" class="dt-{kind}" fill="{FILLS[kind]}" '
            f'stroke="#333333"{dash}/>'
        )
        out.append(
            f'<text font-size="{FONT_SIZE:g}" font-family="{FONT_FAMILY}" fill="#111111"{weight}>'
        )
        for i, line in enumerate(box.lines):
            # Baseline: the line box's top plus the font's ascent (about 0.93 em
            # for DejaVu Sans), centred in the line height.
            y = box.y + PAD_Y + i * LINE_H + (LINE_H - FONT_SIZE) / 2 + FONT_SIZE * 0.93
            out.append(f'<tspan x="{box.x + PAD_X:.1f}" y="{y:.1f}">{escape(line)}</tspan>')
        out.append("</text>")
    out.append("</svg>")
    return "\n".join(out)


def _describe(
    course: pmkit.Course, nodes: list[pmkit.TreeNode], only: list[pmkit.TreeOption] | None = None
) -> str:
    """A text equivalent of a drawing for assistive technology."""
    tree = course.decision_tree
    texts = pmkit.ui_strings(course)
    parts = []
    for node in nodes:
        answers = []
        for o in only if only is not None else node.options:
            if o.track:
                answers.append(
                    texts(
                        "handout.answer_leads_to",
                        answer=c.flat(o.label),
                        target=c.track_name(course, o.track),
                    )
                )
            else:
                nxt = tree.node(o.next or "")
                answers.append(
                    texts(
                        "handout.answer_leads_to_question",
                        answer=c.flat(o.label),
                        question=c.flat(nxt.prompt) if nxt else "",
                    )
                )
        parts.append(f"{c.flat(node.prompt)} " + "; ".join(answers) + ".")
    return " ".join(parts)
