"""A safe (never too small) estimate of how wide a line of text is drawn.

The diagram is SVG generated in Python and drawn by WeasyPrint (the PDF) and by
browsers, so its boxes are sized before any font is at hand. The estimate adds
up DejaVu Sans advance widths (:mod:`.fontmetrics`), taking for each character
the wider of the regular and bold weight, and then adds :data:`SAFETY`.

Why that is safe: the SVG asks for ``DejaVu Sans`` first, so WeasyPrint (and any
browser with the font) draws these advances; kerning narrows DejaVu Sans text
(shaped lines measured with HarfBuzz were at most a rounding error, 0.01 %,
wider than the sum of advances), well within :data:`SAFETY`. A browser without
DejaVu Sans falls back to its sans-serif font (Arial, Helvetica, Liberation
Sans, Roboto…), all narrower than DejaVu Sans, which is one of the widest sans
fonts. A character outside the table (emoji, CJK, scripts DejaVu Sans lacks)
comes from a fallback font and is counted as :data:`FALLBACK_EM` em, wider than
the advance of such glyphs in common fallback fonts.
"""

from __future__ import annotations

import re
from functools import cache

from .fontmetrics import RUNS, UNITS_PER_EM

#: The pieces of a word a line may end after: up to and including each hyphen.
_HYPHENATED = re.compile(r"[^-]*-+|[^-]+")
#: Width of a character missing from the table, in em.
FALLBACK_EM = 1.3
#: Extra room for rounding and hinting, as a fraction of the width.
SAFETY = 0.04


@cache
def _table() -> dict[int, int]:
    return {start + i: w for start, run in RUNS for i, w in enumerate(run)}


def char_em(ch: str) -> float:
    """The advance width of one character in em (the table, else the fallback)."""
    width = _table().get(ord(ch))
    return FALLBACK_EM if width is None else width / UNITS_PER_EM


def text_width(text: str, font_size: float) -> float:
    """The width of ``text`` on one line at ``font_size`` (same unit as the font size)."""
    return sum(char_em(ch) for ch in text) * font_size * (1 + SAFETY)


def wrap(text: str, max_width: float, font_size: float) -> list[str]:
    """``text`` broken into lines no wider than ``max_width``.

    Breaks at spaces and after hyphens; a word still wider than a line is cut
    between characters (no hyphen is added: it might read as part of the word).
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        pieces = [p for part in _HYPHENATED.findall(word) for p in _cut(part, max_width, font_size)]
        for n, piece in enumerate(pieces):
            joined = current + piece if n else (f"{current} {piece}" if current else piece)
            if text_width(joined, font_size) <= max_width:
                current = joined
            else:
                if current:
                    lines.append(current)
                current = piece
    if current:
        lines.append(current)
    return lines or [""]


def widest_word(text: str, font_size: float) -> float:
    """The width of the widest piece of ``text`` that :func:`wrap` does not break."""
    return max(
        (text_width(p, font_size) for w in text.split() for p in _HYPHENATED.findall(w)),
        default=0.0,
    )


def _cut(word: str, max_width: float, font_size: float) -> list[str]:
    """``word`` as pieces that each fit ``max_width`` (one piece when it fits)."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and text_width(current + ch, font_size) > max_width:
            pieces.append(current)
            current = ""
        current += ch
    if current:
        pieces.append(current)
    return pieces
