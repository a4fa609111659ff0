"""Words for a change: "21% better", "21% worse", "no change".

One convention wherever a change is shown (trial results, the doctor's
report, community result cards): the number is always positive and the
words carry the direction, judged by which way is better for the outcome
(lower pain is better, more energy is better). A signed percentage beside
the words "improvement" or "worsening" reads two ways at once ("Improvement
-21%"), so no page shows one. The digits are the caller's: one decimal
where a rule is applied (29.6% must not read as the 30% it misses) or a
clinician may cite the number.
"""

from __future__ import annotations

import math

from django.utils.formats import number_format
from django.utils.translation import gettext

NOTHING = "—"


def _missing(x: float | None) -> bool:
    return x is None or math.isnan(x)


def _amount(x: float, digits: int, points: bool) -> str:
    number = number_format(round(abs(x), digits), digits)
    return gettext("%(number)s points") % {"number": number} if points else f"{number}%"


def _bare(x: float, digits: int, points: bool) -> str:
    """The first number of a range: "0.4 to 2.0 points better" but "5% to 35% better"."""
    return number_format(round(abs(x), digits), digits) if points else _amount(x, digits, points)


def improvement(value: float | None, digits: int = 0, *, points: bool = False) -> str:
    """A change signed so that positive is better (as fibrostats reports it), in words.

    ``value`` is a percentage, or with ``points`` a difference on the outcome's scale.
    """
    if value is None or _missing(value):
        return NOTHING
    if round(abs(value), digits) == 0:
        return gettext("no change")
    if value > 0:
        return gettext("%(amount)s better") % {"amount": _amount(value, digits, points)}
    return gettext("%(amount)s worse") % {"amount": _amount(value, digits, points)}


def percent_change(change_pct: float | None, *, lower_is_better: bool, digits: int = 0) -> str:
    """A change signed as the values moved ((new - old) / old, in percent), in words."""
    if change_pct is None or _missing(change_pct):
        return NOTHING
    return improvement(-change_pct if lower_is_better else change_pct, digits)


def points_change(delta: float | None, *, lower_is_better: bool, digits: int = 1) -> str:
    """A difference in points as the values moved (new - old), in words: "1.2 points better"."""
    if delta is None or _missing(delta):
        return NOTHING
    return improvement(-delta if lower_is_better else delta, digits, points=True)


def improvement_range(low: float | None, high: float | None, digits: int = 0, *, points: bool = False) -> str:
    """An interval of improvements in words: "5% to 35% better", "12% worse to 30% better"."""
    if low is None or high is None or _missing(low) or _missing(high):
        return NOTHING
    low, high = sorted((low, high))
    if round(low, digits) >= 0:
        if round(high, digits) == 0:
            return gettext("no change")
        return gettext("%(low)s to %(high)s better") % {
            "low": _bare(low, digits, points),
            "high": _amount(high, digits, points),
        }
    if round(high, digits) <= 0:
        # The smaller worsening first, as in "5% to 35% worse".
        return gettext("%(low)s to %(high)s worse") % {
            "low": _bare(high, digits, points),
            "high": _amount(low, digits, points),
        }
    return gettext("%(worse)s to %(better)s") % {
        "worse": improvement(low, digits, points=points),
        "better": improvement(high, digits, points=points),
    }
