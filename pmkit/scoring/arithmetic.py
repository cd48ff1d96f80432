"""Exact grade and share arithmetic, shared by Python scorers and their browser twins.

Everything is integer arithmetic, so the JavaScript twins
(``pmkit-scoring.js``) compute the same numbers bit for bit.
"""

from __future__ import annotations

#: Grades are counted in integer units of a question: lcm(1..26). Every fraction
#: pmkit grades has a denominator of at most 26 (options, pairs, items), so
#: every question's score is exact in these units and sums never drift (three
#: thirds make exactly one). Being a multiple of 100, it also lets percent and
#: pass/fail be computed without multiplying the total by 100, which keeps a
#: JavaScript twin (whose integers are exact below 2**53) exact up to about
#: 336,000 questions.
SCORE_UNITS = 26_771_144_400
PERCENT_UNITS = SCORE_UNITS // 100


def percent_of(total_units: int, questions: int) -> int:
    """``total_units`` of ``questions`` whole questions as a percent, rounded half up.

    Divides by ``questions * PERCENT_UNITS`` instead of multiplying the total
    by 100, so the JavaScript twin stays within exact integers.
    """
    if questions <= 0:
        return 0
    per_percent = questions * PERCENT_UNITS
    quotient, remainder = divmod(total_units, per_percent)
    return quotient + (1 if 2 * remainder >= per_percent else 0)


def reaches(percent: int, mastery: int) -> bool:
    """Pass/fail, decided on the same whole percent that is shown and reported.

    An LMS that recomputes pass/fail from ``score.raw`` and the mastery score
    then agrees with the package, and a learner never reads "80% — not passed"
    against a pass mark of 80%.
    """
    return percent >= mastery


def share_percent(points: int, total: int) -> int:
    """``points`` of ``total`` as a whole percent, rounded half up, in integer arithmetic."""
    if total <= 0:
        return 0
    return (200 * points + total) // (2 * total)


def units(numerator: int, denominator: int) -> int:
    """A fraction of a question in :data:`SCORE_UNITS`, clamped to [0, 1].

    Exact for every denominator up to 26; other fractions are rounded half up.
    """
    numerator = max(0, min(numerator, denominator))
    return (2 * numerator * SCORE_UNITS + denominator) // (2 * denominator)
