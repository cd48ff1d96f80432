"""The decision-tree diagram's geometry, read back from the generated SVG.

For the bundled course and generated courses of other shapes
(:mod:`course_shapes`): no arrow crosses a box other than its own two ends,
no text sticks out of its box (measured with the real DejaVu Sans font, not
the table the layout uses), boxes do not overlap, text is at least 8 pt when
printed, each drawing fits a printed page, and a question with several
parents is drawn once.
"""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from course_shapes import SHAPES, Shape, write_course
from lxml import etree

from pmkit.content import model as m
from pmkit.content.load import load_course
from pmkit_builtins.handout import svg as svg_module
from pmkit_builtins.handout.fontmetrics import RUNS, UNITS_PER_EM
from pmkit_builtins.handout.textwidth import text_width

ImageFont = pytest.importorskip("PIL.ImageFont")

NS = {"s": "http://www.w3.org/2000/svg"}
PX_PER_MM = 96 / 25.4
#: The printed width and height the handout's @page rule leaves (A4 width, Letter height).
CONTENT_WIDTH = (210 - 32) * PX_PER_MM
CONTENT_HEIGHT = (279.4 - 38) * PX_PER_MM
MIN_PT = 8.0
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"normal": FONT_DIR / "DejaVuSans.ttf", "bold": FONT_DIR / "DejaVuSans-Bold.ttf"}
ASCENT, DESCENT = 1901 / 2048, 483 / 2048  # DejaVu Sans hhea ascender and descender


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    kind: str

    def touches(self, px: float, py: float, tol: float = 1.5) -> bool:
        """Whether (px, py) lies on this rectangle's outline."""
        inside = (
            self.x - tol <= px <= self.x + self.w + tol
            and self.y - tol <= py <= self.y + self.h + tol
        )
        near_side = (
            min(
                abs(px - self.x),
                abs(px - self.x - self.w),
                abs(py - self.y),
                abs(py - self.y - self.h),
            )
            <= tol
        )
        return inside and near_side

    def crossed_by(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether segment a-b enters this rectangle's inside (Liang-Barsky clipping)."""
        shrink = 0.5  # a line running along an outline does not cross the box
        lo_x, hi_x = self.x + shrink, self.x + self.w - shrink
        lo_y, hi_y = self.y + shrink, self.y + self.h - shrink
        t0, t1 = 0.0, 1.0
        dx, dy = b[0] - a[0], b[1] - a[1]
        for p, q in ((-dx, a[0] - lo_x), (dx, hi_x - a[0]), (-dy, a[1] - lo_y), (dy, hi_y - a[1])):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
        return True


@dataclass(frozen=True)
class Line:
    text: str
    x: float
    y: float
    size: float
    weight: str


def _f(el: etree._Element, name: str, default: float = 0.0) -> float:
    value = el.get(name)
    return float(value) if value is not None else default


def rects(svg: etree._Element) -> list[Rect]:
    return [
        Rect(
            _f(r, "x"),
            _f(r, "y"),
            _f(r, "width"),
            _f(r, "height"),
            (r.get("class") or "").removeprefix("dt-"),
        )
        for r in svg.iterfind(".//s:rect", NS)
    ]


def edges(svg: etree._Element) -> list[list[tuple[float, float]]]:
    """Every arrow as a list of points (``<line>`` or ``<polyline>``)."""
    out = [
        [(_f(e, "x1"), _f(e, "y1")), (_f(e, "x2"), _f(e, "y2"))]
        for e in svg.iterfind(".//s:line", NS)
    ]
    for e in svg.iterfind(".//s:polyline", NS):
        pairs = (p.split(",") for p in (e.get("points") or "").split())
        out.append([(float(x), float(y)) for x, y in pairs])
    return out


def lines(svg: etree._Element) -> list[Line]:
    """Every drawn line of text, with its absolute start point (``x``/``y`` or ``dy``)."""
    out = []
    for text in svg.iterfind(".//s:text", NS):
        size = _f(text, "font-size", 16.0)
        weight = text.get("font-weight", "normal")
        x, y = _f(text, "x"), _f(text, "y")
        for span in text.iterfind("s:tspan", NS):
            x = _f(span, "x", x)
            y = _f(span, "y", y + _f(span, "dy"))
            out.append(Line(span.text or "", x, y, size, weight))
    return out


def printed_scale(svg: etree._Element) -> float:
    """How much print shrinks the drawing: its width on paper over its own width."""
    view_w = float((svg.get("viewBox") or "0 0 0 0").split()[2])
    width = svg.get("width", "100%")
    drawn = CONTENT_WIDTH * float(width[:-1]) / 100 if width.endswith("%") else float(width)
    return min(drawn, CONTENT_WIDTH) / view_w


def real_width(line: Line) -> float:
    font = ImageFont.truetype(str(FONTS["bold" if line.weight == "bold" else "normal"]), size=100)
    return float(font.getlength(line.text)) * line.size / 100


def problems(svg_text: str) -> list[str]:
    """Everything wrong with one drawing's geometry (an empty list when it is right)."""
    svg = etree.fromstring(svg_text.encode("utf-8"))
    boxes = rects(svg)
    found: list[str] = []
    for n, points in enumerate(edges(svg)):
        ends = [b for b in boxes if b.touches(*points[0]) or b.touches(*points[-1])]
        for a, b in itertools.pairwise(points):
            for box in boxes:
                if box not in ends and box.crossed_by(a, b):
                    found.append(f"arrow {n} segment {a}->{b} crosses box {box}")
    for i, one in enumerate(boxes):
        for two in boxes[i + 1 :]:
            if (
                one.x < two.x + two.w
                and two.x < one.x + one.w
                and one.y < two.y + two.h
                and two.y < one.y + one.h
            ):
                found.append(f"boxes overlap: {one} and {two}")
    scale = printed_scale(svg)
    for line in lines(svg):
        pt = line.size * scale * 0.75
        if pt < MIN_PT - 1e-6:
            found.append(f"{line.text!r} is printed at {pt:.1f} pt")
        home = [b for b in boxes if b.x <= line.x <= b.x + b.w and b.y <= line.y <= b.y + b.h]
        if not home:
            found.append(f"{line.text!r} is outside every box")
            continue
        box = home[0]
        right = line.x + real_width(line)
        if (
            line.x < box.x + 2
            or right > box.x + box.w - 2
            or line.y - ASCENT * line.size < box.y
            or line.y + DESCENT * line.size > box.y + box.h
        ):
            found.append(f"{line.text!r} ({line.x:.1f}..{right:.1f}) sticks out of {box}")
    height = float((svg.get("viewBox") or "0 0 0 0").split()[3]) * scale
    if height > CONTENT_HEIGHT:
        found.append(f"the drawing is {height:.0f} px tall, more than a page")
    return found


def drawings(course: m.Course) -> list[str]:
    return svg_module.render_svgs(course)


def check(course: m.Course) -> None:
    found = [p for svg in drawings(course) for p in problems(svg)]
    assert not found, "\n".join(found[:20])


# --------------------------------------------------------------------------- the courses


@pytest.fixture(autouse=True)
def _font() -> None:
    if not all(path.is_file() for path in FONTS.values()):
        pytest.skip("DejaVu Sans (fonts-dejavu-core) is needed to measure the text")


def test_bundled_course(bundled_content: Path) -> None:
    course = load_course(bundled_content).course
    [svg] = drawings(course)
    check(course)
    # Every track and question of the bundled tree fits one drawing without a crossing.
    tree = etree.fromstring(svg.encode("utf-8"))
    assert {r.kind for r in rects(tree)} == {"question", "option", "track"}


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_generated_course(shape: Shape, tmp_path: Path) -> None:
    course = load_course(write_course(shape, tmp_path / "content")).course
    check(course)
    _drawn_once(course)


def _drawn_once(course: m.Course) -> None:
    """Each question is drawn as a question box once (parts continue it, never repeat it)."""
    prompts: list[str] = []
    for svg in drawings(course):
        tree = etree.fromstring(svg.encode("utf-8"))
        texts = list(tree.iterfind(".//s:text", NS))  # one per box, in box order
        for rect_el, text in zip(tree.iterfind(".//s:rect", NS), texts, strict=True):
            if rect_el.get("class") == "dt-question":
                drawn = "".join(" " + (s.text or "") for s in text.iterfind("s:tspan", NS))
                if "(continued)" not in drawn:
                    prompts.append(drawn)
    assert len(prompts) == len(svg_module.questions_in_order(course.decision_tree))


def test_joined_branches_are_drawn_once_in_one_drawing(tmp_path: Path) -> None:
    shape = Shape("small-join", tracks=3, depth=2, width=4, joins=True, words=2)
    course = load_course(write_course(shape, tmp_path / "content")).course
    parents: dict[str, int] = {}
    for node in course.decision_tree.nodes:
        for option in node.options:
            if option.next:
                parents[option.next] = parents.get(option.next, 0) + 1
    assert max(parents.values()) >= 2, "the shape must have a join"
    assert len(drawings(course)) == 1
    check(course)
    _drawn_once(course)


def test_a_long_word_is_cut_to_fit_not_shrunk(bundled_content: Path) -> None:
    path = bundled_content / "decision-tree.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "label: Technical Background", "label: " + "Supercalifragilistic" * 5
        ),
        "utf-8",
    )
    check(load_course(bundled_content).course)


def test_hostile_text_is_escaped_and_fits(bundled_content: Path) -> None:
    hostile = 'Pipe | star * <script>alert(1)</script> # & "quote" ]]> {x}'
    path = bundled_content / "decision-tree.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "prompt: Which background is yours?", f"prompt: '{hostile}'"
        ),
        "utf-8",
    )
    course = load_course(bundled_content).course
    [svg] = drawings(course)
    assert "<script>" not in svg
    check(course)


# --------------------------------------------------------------------------- the width table


def test_width_table_is_never_narrower_than_the_font() -> None:
    """The packaged table (used at export time) against the installed DejaVu Sans:
    every character, and kerned sentences (shaped with kerning where Pillow can)."""
    for weight in ("normal", "bold"):
        font = ImageFont.truetype(
            str(FONTS[weight]), size=UNITS_PER_EM, layout_engine=ImageFont.Layout.BASIC
        )
        for start, run in RUNS:
            for i in range(len(run)):
                ch = chr(start + i)
                assert text_width(ch, UNITS_PER_EM) >= font.getlength(ch), hex(start + i)
    for sentence in (
        "Customer-focused individuals who love design thinking",
        "AVAWA Type Tj. LT Yo Wa fi ff",
        "Which of these sounds most like you?",
    ):
        for weight in ("normal", "bold"):
            shaped = ImageFont.truetype(str(FONTS[weight]), size=120)
            assert text_width(sentence, 12) >= shaped.getlength(sentence) / 10, sentence


def test_the_check_catches_a_crossing_and_overflow() -> None:
    """The checker itself: a box in an arrow's way and text wider than its box."""
    bad = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100" width="300">'
        '<rect x="0" y="0" width="50" height="30"/><rect x="100" y="0" width="50" '
        'height="30"/><rect x="200" y="0" width="50" height="30"/>'
        '<line x1="50" y1="15" x2="200" y2="15"/>'
        '<text font-size="12"><tspan x="5" y="20">far too long for this box</tspan></text>'
        "</svg>"
    )
    found = problems(bad)
    assert any("crosses box" in p for p in found)
    assert any("sticks out" in p for p in found)


def test_copy_of_course_untouched(tmp_path: Path) -> None:
    """write_course leaves the bundled course alone."""
    before = sorted(p.name for p in (Path(__file__).parent.parent / "content").rglob("*"))
    write_course(SHAPES[0], tmp_path / "c")
    shutil.rmtree(tmp_path / "c")
    assert before == sorted(p.name for p in (Path(__file__).parent.parent / "content").rglob("*"))
