"""The decision tree drawn as inline SVG, generated in Python (no JavaScript, so
print engines such as WeasyPrint draw it too).

Layout, left to right: a question, its answers, the next question (for an
answer that leads on) or the track it ends in (the rightmost column, in course
order). Each answer gets its own row; every text is XML-escaped.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

import pmkit

from . import content as c

BOX_W = 200
COL_GAP = 44
LINE_H = 16
PAD = 8
ROW_GAP = 14
WRAP = 28


@dataclass
class _Box:
    col: int
    row: int
    lines: list[str]
    kind: str  # question | option | track
    y: float = 0.0
    h: float = 0.0

    @property
    def x(self) -> float:
        return self.col * (BOX_W + COL_GAP)


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(c.flat(text), WRAP, break_long_words=True) or [""]


def render_svg(course: pmkit.Course, element_id: str = "decision-tree-diagram") -> str:
    """The decision-tree diagram: ``<svg role="img">`` with ``<title>`` and ``<desc>``."""
    tree = course.decision_tree
    boxes: list[_Box] = []
    edges: list[tuple[int, int]] = []
    track_edges: list[tuple[int, str]] = []
    next_row = [0]
    max_col = [0]

    def place(node: pmkit.TreeNode, col: int, seen: frozenset[str]) -> int:
        q = len(boxes)
        boxes.append(_Box(col, next_row[0], _wrap(node.prompt), "question"))
        max_col[0] = max(max_col[0], col + 1)
        for option in node.options:
            o = len(boxes)
            boxes.append(_Box(col + 1, next_row[0], _wrap(option.label), "option"))
            edges.append((q, o))
            following = tree.node(option.next) if option.next else None
            if option.track:
                track_edges.append((o, option.track))
                next_row[0] += 1
            elif following is not None and following.id not in seen:
                edges.append((o, place(following, col + 2, seen | {following.id})))
            else:
                next_row[0] += 1
        return q

    place(tree.start_node, 0, frozenset({tree.start}))
    rows = max(next_row[0], len(course.tracks), 1)
    row_h = max(len(b.lines) for b in boxes) * LINE_H + 2 * PAD + ROW_GAP
    track_col = max_col[0] + 1
    track_index: dict[str, int] = {}
    span = rows / max(len(course.tracks), 1)
    for i, t in enumerate(course.tracks):
        track_index[t.id] = len(boxes)
        boxes.append(_Box(track_col, 0, _wrap(t.short_title), "track"))
        boxes[-1].y = (i + 0.5) * span * row_h
    for b in boxes:
        b.h = len(b.lines) * LINE_H + 2 * PAD
        if b.kind == "track":
            b.y -= b.h / 2
        else:
            b.y = b.row * row_h + (row_h - ROW_GAP - b.h) / 2
    for o, track_id in track_edges:
        if track_id in track_index:
            edges.append((o, track_index[track_id]))

    width = (track_col + 1) * BOX_W + track_col * COL_GAP
    height = rows * row_h
    title = escape(c.flat(tree.title))
    desc = escape(_describe(course))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{element_id}" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{element_id}-title {element_id}-desc">',
        f'<title id="{element_id}-title">{title}</title>',
        f'<desc id="{element_id}-desc">{desc}</desc>',
        '<defs><marker id="dt-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#333333"/></marker></defs>',
    ]
    for a, b in edges:
        src, dst = boxes[a], boxes[b]
        x1, y1 = src.x + BOX_W, src.y + src.h / 2
        x2, y2 = dst.x, dst.y + dst.h / 2
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                   'stroke="#333333" stroke-width="1.5" marker-end="url(#dt-arrow)"/>')
    fills = {"question": "#e8eef7", "option": "#ffffff", "track": "#dff0e0"}
    for box in boxes:
        weight = ' font-weight="bold"' if box.kind != "option" else ""
        out.append(f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{BOX_W}" height="{box.h:.1f}" '
                   f'rx="6" fill="{fills[box.kind]}" stroke="#333333"/>')
        out.append(f'<text x="{box.x + PAD:.1f}" y="{box.y + PAD + LINE_H - 4:.1f}" '
                   f'font-size="13" font-family="sans-serif" fill="#111111"{weight}>')
        for i, line in enumerate(box.lines):
            dy = "0" if i == 0 else str(LINE_H)
            out.append(f'<tspan x="{box.x + PAD:.1f}" dy="{dy}">{escape(line)}</tspan>')
        out.append("</text>")
    out.append("</svg>")
    return "\n".join(out)


def _describe(course: pmkit.Course) -> str:
    """A text equivalent of the diagram for assistive technology."""
    tree = course.decision_tree
    parts = []
    for node in tree.nodes:
        answers = []
        for o in node.options:
            if o.track:
                answers.append(f"{c.flat(o.label)} leads to {c.track_name(course, o.track)}")
            else:
                nxt = tree.node(o.next or "")
                answers.append(f"{c.flat(o.label)} leads to the question "
                               f"{c.flat(nxt.prompt) if nxt else ''}")
        parts.append(f"{c.flat(node.prompt)} " + "; ".join(answers) + ".")
    return " ".join(parts)
