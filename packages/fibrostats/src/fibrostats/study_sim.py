"""A simulated study with known truth, for tests, the demo and the benchmark.

A counterbalanced two-period crossover in the shape of Younger et al. (2013):
a baseline, then the treatment and the placebo in a random half-and-half
order (optionally with a washout between), daily ratings with a
person-specific treatment effect, a period effect and stationary AR(1)
noise on calendar days, days missing completely at random; lab visits at
the end of the baseline and of each period; and an end-of-study guess of
what the first bottle held.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .simulate import ar1_noise


@dataclass(frozen=True)
class StudyTruth:
    effect: float
    tau: float
    period_effect: float
    person_effects: dict[str, float]


@dataclass(frozen=True)
class SimulatedStudy:
    """``diary``: participant, date, day, condition, period (0 outside the two periods),
    sequence, and the outcome.  ``lab``: participant, condition, date, measure, value.
    ``guesses``: participant, actual (what bottle A, the first period's, held: drug or
    placebo), guess (drug, placebo or dont_know about bottle A)."""

    diary: pd.DataFrame
    lab: pd.DataFrame
    guesses: pd.DataFrame
    truth: StudyTruth


def simulate_study(
    n_participants: int = 30,
    *,
    treatment: str = "ldn",
    placebo: str = "placebo",
    baseline: str = "baseline",
    washout: str = "washout",
    baseline_days: int = 14,
    treatment_days: int = 56,
    placebo_days: int = 28,
    washout_days: int = 0,
    effect: float = -1.5,
    tau: float = 0.5,
    period_effect: float = 0.0,
    placebo_response: float = 0.0,
    mean: float = 6.0,
    between_sd: float = 1.0,
    sd: float = 1.5,
    rho: float = 0.4,
    missing_fraction: float = 0.1,
    outcome: str = "pain",
    guess_dont_know: float = 0.3,
    guess_correct: float = 0.5,
    cold_pressor_cap: float = 180.0,
    integer_scores: bool = False,
    start: dt.date = dt.date(2025, 1, 6),
    seed: int | np.random.Generator = 0,
) -> SimulatedStudy:
    """Simulate a finished counterbalanced crossover with a known mean ``effect``
    (treatment minus placebo, in outcome points; negative = better for pain).

    Person ``i``'s effect is ``effect + tau * z_i``; period 2 adds
    ``period_effect``; placebo days add ``placebo_response`` over baseline.
    Values are not clipped or rounded, so the noise is exactly the model's,
    unless ``integer_scores``: then each value is rounded to a whole number
    and clipped to 0-10, as the app's diary records it (the truth is still the
    latent effect, which the recorded scores reproduce closely when the means
    are away from 0 and 10).
    ``guess_correct`` is the chance that a participant who guesses is right
    (0.5 = a perfect blind).
    """
    if n_participants < 2:
        raise ValueError("at least two participants")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    k = n_participants
    ids = [f"P{i + 1:04d}" for i in range(k)]
    # Counterbalanced: exactly half (rounded) start with the treatment, in random order.
    first_treatment = rng.permutation(np.arange(k) < (k + 1) // 2)
    person_effect = effect + tau * rng.normal(size=k)
    level = mean + between_sd * rng.normal(size=k)

    def template(trt_first: bool) -> tuple[list[str], list[int]]:
        first = (treatment, treatment_days) if trt_first else (placebo, placebo_days)
        second = (placebo, placebo_days) if trt_first else (treatment, treatment_days)
        cond = [baseline] * baseline_days + [first[0]] * first[1] + [washout] * washout_days + [second[0]] * second[1]
        per = [0] * baseline_days + [1] * first[1] + [0] * washout_days + [2] * second[1]
        return cond, per

    n_days = baseline_days + treatment_days + placebo_days + washout_days
    cond = np.empty((k, n_days), dtype=object)
    period = np.empty((k, n_days), dtype=np.int64)
    for i in range(k):
        c, p = template(bool(first_treatment[i]))
        cond[i], period[i] = c, p
    y = level[:, None] + ar1_noise(rng, k, n_days, sd, rho)
    y += np.where(cond == treatment, person_effect[:, None], 0.0)
    y += np.where(cond == placebo, placebo_response, 0.0)
    y += np.where(period == 2, period_effect, 0.0)
    if integer_scores:
        y = np.clip(np.round(y), 0.0, 10.0)
    # Staggered enrolment: each participant starts within the first 60 days.
    offsets = rng.integers(0, 60, size=k)
    day = np.tile(np.arange(n_days), k)
    dates = pd.Timestamp(start) + pd.to_timedelta(np.repeat(offsets, n_days) + day, unit="D")
    seq = np.where(first_treatment, f"{treatment}-{placebo}", f"{placebo}-{treatment}")
    diary = pd.DataFrame(
        {
            "participant": np.repeat(ids, n_days),
            "date": dates,
            "day": day,
            "condition": cond.ravel(),
            "period": period.ravel(),
            "sequence": np.repeat(seq, n_days),
            outcome: y.ravel(),
        }
    )
    keep = rng.random(len(diary)) >= missing_fraction
    diary = diary.loc[keep].reset_index(drop=True)
    # Each person's response as a fraction of the mean effect (1 = typical, 0 = none) drives the lab effects.
    response = np.clip(person_effect / effect, 0.0, 3.0) if abs(effect) > 1e-6 else np.zeros(k)
    lab = _lab(rng, ids, offsets, cond, response, cold_pressor_cap, start)
    guesses = _guesses(rng, ids, first_treatment, guess_dont_know, guess_correct)
    truth = StudyTruth(effect, tau, period_effect, {p: float(e) for p, e in zip(ids, person_effect, strict=True)})
    return SimulatedStudy(diary, lab, guesses, truth)


def _lab(
    rng: np.random.Generator,
    ids: list[str],
    offsets: np.ndarray,
    cond: np.ndarray,
    response: np.ndarray,
    cap: float,
    start: dt.date,
) -> pd.DataFrame:
    """A lab visit on the last day of each run of one condition (washout excluded)."""
    rows = []
    for i, pid in enumerate(ids):
        c = cond[i]
        ends = [j for j in range(c.size) if (j + 1 == c.size or c[j + 1] != c[j]) and c[j] != "washout"]
        base = {
            "pressure": rng.normal(250, 60),
            "heat": rng.normal(44, 2),
            "cold": rng.normal(12, 5),
            "cold_pressor": rng.normal(np.log(70), 0.8),
        }
        for j in ends:
            on = 1.0 if c[j] not in ("baseline", "placebo") else 0.0
            r = max(float(response[i]), 0.0) * on  # the lab effect follows the person's diary response
            values = {
                "pressure_kpa": base["pressure"] + 20 * r + rng.normal(0, 25),
                "heat_threshold_c": base["heat"] + 0.5 * r + rng.normal(0, 1),
                "cold_threshold_c": base["cold"] - 1.0 * r + rng.normal(0, 2),
                "cold_pressor_s": min(float(np.exp(base["cold_pressor"] + 0.2 * r + rng.normal(0, 0.3))), cap),
            }
            date = pd.Timestamp(start) + pd.Timedelta(days=int(offsets[i]) + j)
            rows += [(pid, str(c[j]), date, m, float(v)) for m, v in values.items()]
    return pd.DataFrame(rows, columns=["participant", "condition", "date", "measure", "value"])


def _guesses(
    rng: np.random.Generator, ids: list[str], first_treatment: np.ndarray, p_dk: float, p_correct: float
) -> pd.DataFrame:
    actual = np.where(first_treatment, "drug", "placebo")
    other = np.where(first_treatment, "placebo", "drug")
    guess = np.where(rng.random(len(ids)) < p_correct, actual, other).astype(object)
    guess[rng.random(len(ids)) < p_dk] = "dont_know"
    return pd.DataFrame({"participant": ids, "actual": actual, "guess": guess})
