"""A layered (left-to-right) layout of boxes and arrows, for the decision-tree diagram.

Every box sits in a column given by the caller; an arrow always goes from a
column to a later one. An arrow that skips columns is routed through a
reserved gap in each column it passes (a "dummy" slot that no box may
occupy), so every piece of an arrow either runs in the empty space between
two columns or horizontally through its own slot: no arrow can cross a box.
The order of the boxes in each column is chosen by barycenter sweeps, keeping
the order with the fewest arrow crossings (course order wins ties).

Text is wrapped with :mod:`.textwidth` and every box in a column is as wide as
the column, sized from the measured text. :func:`layout` returns ``None``
when the drawing does not fit the width or height it is given: the caller
splits the drawing then, it is never scaled down.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from .textwidth import text_width, widest_word, wrap

FONT_SIZE = 12.0  # px: 9 pt in print, where 1 px is 0.75 pt
LINE_H = 15.0
PAD_X = 7.0
PAD_Y = 6.0
COL_GAP = 30.0
ROW_GAP = 10.0
SLOT_H = 6.0  # height of the gap reserved for an arrow passing through a column
MARGIN = 2.0  # room for strokes at the edges of the drawing
WRAP_WIDEST = 230.0  # widest text line tried
WRAP_NARROWEST = 80.0  # narrowest text line tried before giving up
WRAP_STEP = 6.0
SWEEPS = 8


@dataclass(frozen=True)
class BoxSpec:
    """A box to draw: its key, kind (a CSS-like style name), text and column."""

    key: str
    kind: str
    text: str
    column: int
    bold: bool = False


@dataclass
class Box:
    """A placed box: the spec, its text lines and its rectangle."""

    spec: BoxSpec
    lines: list[str]
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0


@dataclass
class Arrow:
    """A placed arrow: from one box to another through ``points``."""

    src: str
    dst: str
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Drawing:
    """A laid-out diagram: boxes (in drawing order), arrows, overall size."""

    boxes: list[Box]
    arrows: list[Arrow]
    width: float
    height: float


@dataclass
class _Item:
    """A box or an arrow's slot in one column."""

    key: str
    column: int
    box: Box | None = None
    y: float = 0.0
    h: float = SLOT_H

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def layout(
    boxes: Sequence[BoxSpec], arrows: Sequence[tuple[str, str]], max_width: float, max_height: float
) -> Drawing | None:
    """Lay out ``boxes`` and ``arrows`` within ``max_width`` × ``max_height`` (or None)."""
    columns = max((b.column for b in boxes), default=0) + 1
    items, chains = _items(boxes, arrows, columns)
    order = _order(items, chains, columns)
    widths = _fit_columns(order, max_width)
    if widths is None:
        return None
    xs = _column_x(widths)
    for col, column in enumerate(order):
        for item in column:
            if item.box is not None:
                item.box.x, item.box.w = xs[col], widths[col]
                item.h = item.box.h
    _place_rows(order, chains)
    height = max((i.y + i.h for col in order for i in col), default=0.0) + MARGIN
    if height > max_height:
        return None
    for column in order:
        for item in column:
            if item.box is not None:
                item.box.y = item.y
    placed = [a for a in (_route(chain, order, xs, widths) for chain in chains)]
    _spread_ports(placed, {i.key: i.box for col in order for i in col if i.box})
    drawn = [i.box for col in order for i in col if i.box is not None]
    drawn.sort(key=lambda b: [s.key for s in boxes].index(b.spec.key))
    return Drawing(drawn, placed, xs[-1] + widths[-1] + MARGIN, height)


def _items(
    boxes: Sequence[BoxSpec], arrows: Sequence[tuple[str, str]], columns: int
) -> tuple[list[list[_Item]], list[list[_Item]]]:
    """Items per column in the given order, and each arrow as a chain of items."""
    by_key: dict[str, _Item] = {}
    cols: list[list[_Item]] = [[] for _ in range(columns)]
    for spec in boxes:
        item = _Item(spec.key, spec.column, Box(spec, [spec.text]))
        by_key[spec.key] = item
        cols[spec.column].append(item)
    chains: list[list[_Item]] = []
    for n, (src, dst) in enumerate(arrows):
        a, b = by_key[src], by_key[dst]
        if b.column <= a.column:
            raise ValueError(f"arrow {src} -> {dst} does not go to a later column")
        chain = [a]
        for col in range(a.column + 1, b.column):
            slot = _Item(f"~{n}.{col}", col)
            cols[col].append(slot)
            chain.append(slot)
        chains.append([*chain, b])
    return cols, chains


def _neighbours(chains: list[list[_Item]]) -> tuple[dict[int, list[_Item]], dict[int, list[_Item]]]:
    before: dict[int, list[_Item]] = {}
    after: dict[int, list[_Item]] = {}
    for chain in chains:
        for a, b in itertools.pairwise(chain):
            after.setdefault(id(a), []).append(b)
            before.setdefault(id(b), []).append(a)
    return before, after


def _order(cols: list[list[_Item]], chains: list[list[_Item]], columns: int) -> list[list[_Item]]:
    """The column orders with the fewest crossings found by barycenter sweeps."""
    before, after = _neighbours(chains)
    best = [list(c) for c in cols]
    best_crossings = _crossings(best, after)
    current = [list(c) for c in cols]
    for sweep in range(SWEEPS):
        down = sweep % 2 == 0
        span = range(1, columns) if down else range(columns - 2, -1, -1)
        for col in span:
            ref = current[col - 1] if down else current[col + 1]
            links = before if down else after
            current[col] = _by_barycenter(current[col], ref, links)
        crossings = _crossings(current, after)
        if crossings < best_crossings:
            best, best_crossings = [list(c) for c in current], crossings
    return best


def _by_barycenter(
    column: list[_Item], ref: list[_Item], links: dict[int, list[_Item]]
) -> list[_Item]:
    """``column`` sorted by the mean position of each item's links in ``ref``."""
    pos = {id(item): i for i, item in enumerate(ref)}

    def key(indexed: tuple[int, _Item]) -> tuple[float, int]:
        index, item = indexed
        linked = [pos[id(o)] for o in links.get(id(item), []) if id(o) in pos]
        # An item without links keeps its place relative to its neighbours.
        centre = sum(linked) / len(linked) if linked else index * len(ref) / max(len(column), 1)
        return centre, index

    return [item for _, item in sorted(enumerate(column), key=key)]


def _crossings(cols: list[list[_Item]], after: dict[int, list[_Item]]) -> int:
    """How many pairs of arrow pieces cross between neighbouring columns."""
    total = 0
    for col in range(len(cols) - 1):
        pos = {id(item): i for i, item in enumerate(cols[col + 1])}
        pieces = [
            (i, pos[id(b)])
            for i, a in enumerate(cols[col])
            for b in after.get(id(a), [])
            if id(b) in pos
        ]
        total += sum(
            1
            for n, (a1, b1) in enumerate(pieces)
            for a2, b2 in pieces[n + 1 :]
            if (a1 - a2) * (b1 - b2) < 0
        )
    return total


def _fit_columns(cols: list[list[_Item]], max_width: float) -> list[float] | None:
    """Wrap every box's text so the columns fit ``max_width``: the column widths.

    The widest column is narrowed first. Words are kept whole while that can
    fit; only then are the narrowest columns allowed to cut long words.
    """
    limits = [WRAP_WIDEST] * len(cols)
    widths = [_wrap_column(col, limit) for col, limit in zip(cols, limits, strict=True)]
    for floors in (_word_floors(cols), [WRAP_NARROWEST] * len(cols)):
        while sum(widths) + COL_GAP * (len(cols) - 1) + 2 * MARGIN > max_width:
            narrower = [c for c in range(len(cols)) if limits[c] - WRAP_STEP >= floors[c]]
            if not narrower:
                break
            col = max(narrower, key=lambda c: (widths[c], -c))
            limits[col] = max(floors[col], min(limits[col], widths[col] - 2 * PAD_X) - WRAP_STEP)
            widths[col] = _wrap_column(cols[col], limits[col])
        else:
            return widths
    return None


def _word_floors(cols: list[list[_Item]]) -> list[float]:
    """Per column, the narrowest text line that breaks no word (within the limits)."""
    floors = []
    for column in cols:
        words = [widest_word(i.box.spec.text, FONT_SIZE) for i in column if i.box is not None]
        floors.append(min(max([WRAP_NARROWEST, *words]), WRAP_WIDEST))
    return floors


def _wrap_column(column: list[_Item], limit: float) -> float:
    """Wrap the boxes of a column at ``limit``; the column's width."""
    widest = 0.0
    for item in column:
        if item.box is None:
            continue
        box = item.box
        box.lines = wrap(box.spec.text, limit, FONT_SIZE)
        box.h = len(box.lines) * LINE_H + 2 * PAD_Y
        widest = max(widest, *(text_width(line, FONT_SIZE) for line in box.lines))
    return max(widest + 2 * PAD_X, 3 * PAD_X)


def _column_x(widths: list[float]) -> list[float]:
    xs = []
    x = MARGIN
    for w in widths:
        xs.append(x)
        x += w + COL_GAP
    return xs


def _place_rows(order: list[list[_Item]], chains: list[list[_Item]]) -> None:
    """Vertical positions: each item near the mean of its links, never overlapping."""
    before, after = _neighbours(chains)
    for column in order:
        _stack(column, before)
    for column in reversed(order[:-1]):
        _stack(column, after)
    low = min((i.y for col in order for i in col), default=0.0)
    for column in order:
        for item in column:
            item.y += MARGIN - low


def _stack(column: list[_Item], links: dict[int, list[_Item]]) -> None:
    """Place ``column`` top to bottom, each item centred on its links if there is room."""
    bottom = float("-inf")
    for item in column:
        linked = links.get(id(item), [])
        wanted = (sum(o.cy for o in linked) / len(linked) - item.h / 2) if linked else item.y
        gap = ROW_GAP if bottom > float("-inf") else 0.0
        item.y = max(wanted, bottom + gap)
        bottom = item.y + item.h


def _route(
    chain: list[_Item], order: list[list[_Item]], xs: list[float], widths: list[float]
) -> Arrow:
    """An arrow's points: out of the right side, through its slots, into the left side."""
    first, last = chain[0], chain[-1]
    points = [(xs[first.column] + widths[first.column], first.cy)]
    for slot in chain[1:-1]:
        points += [(xs[slot.column], slot.cy), (xs[slot.column] + widths[slot.column], slot.cy)]
    points.append((xs[last.column], last.cy))
    return Arrow(first.key, last.key, points)


def _spread_ports(arrows: list[Arrow], boxes: dict[str, Box]) -> None:
    """Spread the arrows leaving (entering) a box over its right (left) side, in the
    order of their other ends, so arrows sharing a box neither overlap nor cross there."""
    outgoing: dict[str, list[Arrow]] = {}
    incoming: dict[str, list[Arrow]] = {}
    for arrow in arrows:
        outgoing.setdefault(arrow.src, []).append(arrow)
        incoming.setdefault(arrow.dst, []).append(arrow)
    for key, group in outgoing.items():
        group.sort(key=lambda a: a.points[1][1])
        for y, arrow in zip(_ports(boxes[key], len(group)), group, strict=True):
            arrow.points[0] = (arrow.points[0][0], y)
    for key, group in incoming.items():
        group.sort(key=lambda a: a.points[-2][1])
        for y, arrow in zip(_ports(boxes[key], len(group)), group, strict=True):
            arrow.points[-1] = (arrow.points[-1][0], y)


def _ports(box: Box, count: int) -> list[float]:
    """``count`` heights spread over the middle of a box's side."""
    if count == 1:
        return [box.y + box.h / 2]
    top, span = box.y + PAD_Y, box.h - 2 * PAD_Y
    return [top + span * (k + 0.5) / count for k in range(count)]
