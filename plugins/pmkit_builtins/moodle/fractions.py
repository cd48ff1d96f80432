"""Moodle's grade fractions: the only values its importer accepts, and snapping to them.

Moodle XML and GIFT write answer fractions as percentages, and Moodle refuses
any value not within 0.001 of its fixed list (question_bank::
fraction_options_full; "Grades (...) do not match grade options", which
stops the whole import). A scorer's exact fractions are snapped to that list
so that the right options of a multiple-answer question still add up to
exactly 100 %, which the Moodle question editor requires.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

#: The positive values of Moodle's list, as exact fractions, largest first.
POSITIVE: tuple[Fraction, ...] = (
    Fraction(1),
    Fraction(9, 10),
    Fraction(5, 6),
    Fraction(4, 5),
    Fraction(3, 4),
    Fraction(7, 10),
    Fraction(2, 3),
    Fraction(3, 5),
    Fraction(1, 2),
    Fraction(2, 5),
    Fraction(1, 3),
    Fraction(3, 10),
    Fraction(1, 4),
    Fraction(1, 5),
    Fraction(1, 6),
    Fraction(1, 7),
    Fraction(1, 8),
    Fraction(1, 9),
    Fraction(1, 10),
    Fraction(1, 20),
)
ALLOWED: frozenset[Fraction] = frozenset({Fraction(0), *POSITIVE, *(-v for v in POSITIVE)})


def percent(value: Fraction) -> str:
    """The percentage the way Moodle's exporter writes it: ``33.33333``, ``-100``, ``12.5``."""
    text = f"{float(value * 100):.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@cache
def nearest(value: Fraction) -> Fraction:
    """The allowed fraction nearest ``value`` (ties: the one nearer zero).

    Cached, and a value already allowed returns at once: a bank of thousands
    of questions repeats a handful of fractions, and Fraction arithmetic over
    the whole list for each option dominated the export.
    """
    if value in ALLOWED:
        return value
    return min(ALLOWED, key=lambda a: (abs(a - value), abs(a)))


@cache
def split_whole(count: int) -> tuple[Fraction, ...] | None:
    """``count`` allowed positive fractions summing to exactly 1, as even as possible.

    None when no such choice exists (more than 20 right options: the smallest
    allowed fraction is 1/20). The spread (largest minus smallest) is
    minimised, then the values are returned largest first.
    """
    if count < 1:
        return None
    if Fraction(1, count) in POSITIVE:
        return (Fraction(1, count),) * count
    best: tuple[Fraction, ...] | None = None

    def search(left: int, remaining: Fraction, ceiling: int, chosen: list[Fraction]) -> None:
        nonlocal best
        if left == 0:
            if remaining == 0:
                candidate = tuple(chosen)
                if best is None or (candidate[0] - candidate[-1]) < (best[0] - best[-1]):
                    best = candidate
            return
        for i in range(ceiling, len(POSITIVE)):
            value = POSITIVE[i]
            # Values are non-increasing, so `left` copies of `value` bound the rest.
            if value * left < remaining:
                break
            if value > remaining:
                continue
            if best is not None and chosen and chosen[0] - value >= best[0] - best[-1]:
                break
            chosen.append(value)
            search(left - 1, remaining - value, i, chosen)
            chosen.pop()

    search(count, Fraction(1), 0, [])
    return best
