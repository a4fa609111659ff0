"""Bang's blinding index (Bang, Ni & Davis 2004), one per arm.

At the end of a blinded study, before unblinding, each participant says which
condition they think they received: the drug, the placebo, or "don't know".
For an arm with ``n`` answers, of which ``n_c`` guess the arm's own condition
(correct) and ``n_w`` the other one (wrong),

    BI = (2 n_c / (n_c + n_w) - 1) * (n_c + n_w) / n  =  (n_c - n_w) / n

from -1 (everyone guessed the opposite) through 0 (guesses no better than
chance, or everyone "don't know") to 1 (everyone guessed right).  With
``p_c = n_c / n`` and ``p_w = n_w / n`` the multinomial variance is

    Var(BI) = (p_c (1 - p_c) + p_w (1 - p_w) + 2 p_c p_w) / n

and the interval is the normal (Wald) one, clipped to [-1, 1].  The formula
and the variance are those of the R package ``BI`` (Schwartz & Mercaldo,
``R/BI.r``), which implements Bang et al. (2004).  Details and caveats:
docs/analysis-methods.md, section 8.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from scipy import stats

from .results import Interval, JSONValue, to_jsonable
from .types import AnalysisInputError

#: The three answers a participant can give.
GUESSES = ("drug", "placebo", "dont_know")

Reading = Literal["consistent_with_blinding", "more_correct_than_chance", "more_wrong_than_chance"]


@dataclass(frozen=True)
class BlindingArm:
    arm: str
    n: int
    n_correct: int
    n_wrong: int
    n_dont_know: int
    index: Interval
    se: float | None
    reading: Reading | None


@dataclass(frozen=True)
class BlindingResult:
    method: str
    ci_level: float
    arms: list[BlindingArm]
    n_missing: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, JSONValue]:
        out = to_jsonable(self)
        if not isinstance(out, dict):  # pragma: no cover - dataclasses map to dicts
            raise TypeError("unexpected serialisation")
        return out


def _arm(arm: str, n_c: int, n_w: int, n_dk: int, z: float) -> BlindingArm:
    n = n_c + n_w + n_dk
    if n == 0:
        return BlindingArm(arm, 0, 0, 0, 0, Interval(None, None, None), None, None)
    pc, pw = n_c / n, n_w / n
    bi = pc - pw
    se = math.sqrt(max(pc * (1 - pc) + pw * (1 - pw) + 2 * pc * pw, 0.0) / n)
    lo, hi = max(-1.0, bi - z * se), min(1.0, bi + z * se)
    reading: Reading
    if lo > 0:
        reading = "more_correct_than_chance"
    elif hi < 0:
        reading = "more_wrong_than_chance"
    else:
        reading = "consistent_with_blinding"
    return BlindingArm(arm, n, n_c, n_w, n_dk, Interval(bi, lo, hi), se, reading)


def bang_blinding_index(
    actual: Sequence[str],
    guess: Sequence[str | None],
    *,
    drug: str = "drug",
    placebo: str = "placebo",
    dont_know: str = "dont_know",
    ci_level: float = 0.95,
) -> BlindingResult:
    """Bang's blinding index for the drug arm and the placebo arm.

    ``actual[i]`` is what participant ``i`` received (``drug`` or ``placebo``)
    and ``guess[i]`` their answer (``drug``, ``placebo``, ``dont_know``, or
    ``None`` when they did not answer; unanswered are counted in
    ``n_missing`` and left out).  In a crossover each participant received
    both: ask about one bottle (say bottle A) and pass what bottle A held as
    ``actual`` and the guess about bottle A as ``guess``; the two "arms" are
    then the two sequences.
    """
    if len(actual) != len(guess):
        raise AnalysisInputError("actual and guess must have the same length")
    if not 0 < ci_level < 1:
        raise AnalysisInputError("ci_level must be between 0 and 1")
    counts: dict[str, list[int]] = {drug: [0, 0, 0], placebo: [0, 0, 0]}  # correct, wrong, don't know
    missing = 0
    for a, g in zip(actual, guess, strict=True):
        if a not in counts:
            raise AnalysisInputError(f"unknown allocation {a!r} (expected {drug!r} or {placebo!r})")
        if g is None or (isinstance(g, float) and math.isnan(g)):
            missing += 1
            continue
        if g == dont_know:
            counts[a][2] += 1
        elif g in counts:
            counts[a][0 if g == a else 1] += 1
        else:
            raise AnalysisInputError(f"unknown guess {g!r} (expected {drug!r}, {placebo!r} or {dont_know!r})")
    z = float(stats.norm.ppf(0.5 + ci_level / 2))
    arms = [_arm(name, counts[name][0], counts[name][1], counts[name][2], z) for name in (drug, placebo)]
    notes = [
        "Bang's blinding index per arm: 0 is what guessing at random gives, 1 everyone "
        "guessed right, -1 everyone guessed wrong. Values between -0.2 and 0.2 are usually "
        "read as successful blinding. Correct guesses can also come from the treatment working "
        "(or its side effects), not only from a broken blind.",
    ]
    if missing:
        notes.append(f"{missing} participant(s) gave no answer and are left out.")
    return BlindingResult("bang-2004", ci_level, arms, missing, notes)
