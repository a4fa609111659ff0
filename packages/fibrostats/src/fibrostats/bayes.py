"""Probability that the true improvement is clinically important.

Model (issue item 3):

* prior: the true improvement Delta (points, positive = better) is
  N(0, tau^2), a *sceptical* prior centred on no effect;
* likelihood: the autocorrelation-adjusted estimate d with standard error s
  and Satterthwaite degrees of freedom nu, ``(d - Delta) / s ~ t_nu``.  A t
  rather than a normal likelihood carries the uncertainty about the
  variance and rho into the probabilities (with nu large it is the usual
  normal-normal model);
* posterior: prior x likelihood, integrated numerically on a grid (the t
  likelihood has no conjugate form).  The grid is the union of a fine grid
  over the likelihood and one over the prior, so a very precise estimate
  cannot fall between grid points.

Percent thresholds are converted to points with the model's estimate of the
reference level, ``points = pct / 100 * (reference_level - scale_min)``,
treating that level as known (its standard error is usually small compared
with that of the difference; the conversion is written into the output).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import special

from .data import FloatArray
from .describe import FLOOR_TOLERANCE
from .results import (
    ImportanceResult,
    Likelihood,
    Posterior,
    Prior,
    ThresholdProbability,
)
from .types import ImportanceThreshold, OutcomeSpec

_GRID_POINTS = 2001


class PosteriorGrid:
    """Posterior of the improvement on a grid, with its CDF."""

    def __init__(self, estimate: float, se: float, df: float, prior_sd: float) -> None:
        if not (se > 0 and prior_sd > 0 and df > 0):
            raise ValueError("se, prior_sd and df must be positive")
        # Heavy t tails need a wide likelihood window when df is small.
        width = 12.0 if df > 30 else 40.0
        lik = np.linspace(estimate - width * se, estimate + width * se, _GRID_POINTS)
        pri = np.linspace(-10.0 * prior_sd, 10.0 * prior_sd, _GRID_POINTS)
        x = np.unique(np.concatenate([lik, pri]))
        z = (x - estimate) / se
        log_lik = -0.5 * (df + 1.0) * np.log1p(z * z / df)
        log_prior = -0.5 * (x / prior_sd) ** 2
        log_post = log_lik + log_prior
        dens = np.exp(log_post - log_post.max())
        # Cumulative trapezoid integration on the (non-uniform) grid.
        steps = 0.5 * (dens[1:] + dens[:-1]) * np.diff(x)
        cdf = np.concatenate([[0.0], np.cumsum(steps)])
        total = cdf[-1]
        self.x: FloatArray = x
        self.density: FloatArray = dens / total
        self.cdf: FloatArray = cdf / total

    def prob_at_least(self, threshold: float) -> float:
        return float(min(max(1.0 - np.interp(threshold, self.x, self.cdf), 0.0), 1.0))

    def quantile(self, q: float) -> float:
        return float(np.interp(q, self.cdf, self.x))

    def mean_sd(self) -> tuple[float, float]:
        w = self.density
        dx = np.diff(self.x)
        m = float(np.sum(0.5 * (w[1:] * self.x[1:] + w[:-1] * self.x[:-1]) * dx))
        second = float(np.sum(0.5 * (w[1:] * self.x[1:] ** 2 + w[:-1] * self.x[:-1] ** 2) * dx))
        return m, math.sqrt(max(second - m * m, 0.0))


def normal_posterior(estimate: float, se: float, prior_sd: float) -> tuple[float, float]:
    """Conjugate normal-normal posterior (mean, sd): the large-df limit."""
    w = prior_sd**2 / (prior_sd**2 + se**2)
    return w * estimate, math.sqrt(w) * se


def prob_exceeds_normal(estimate: float, se: float, prior_sd: float, threshold: float) -> float:
    m, s = normal_posterior(estimate, se, prior_sd)
    return float(special.ndtr((m - threshold) / s))


def threshold_points(
    threshold: ImportanceThreshold, outcome: OutcomeSpec, reference_level: float | None
) -> float | None:
    """A threshold expressed in the outcome's own units (points)."""
    if threshold.kind == "points":
        return threshold.value * outcome.scale_range / 10.0
    if reference_level is None:
        return None
    base = reference_level - outcome.scale_min
    if not math.isfinite(base) or base <= FLOOR_TOLERANCE * outcome.scale_range:
        return None
    return threshold.value / 100.0 * base


def assess_importance(
    *,
    estimate: float,
    se: float,
    df: float,
    outcome: OutcomeSpec,
    prior_sd: float,
    prior_sd_0_10: float,
    reference_level: float | None,
    thresholds: Sequence[ImportanceThreshold],
    ci_level: float,
    source: str = "ar1-gls",
) -> tuple[ImportanceResult, PosteriorGrid]:
    """Posterior probabilities of reaching each threshold (improvement in points)."""
    grid = PosteriorGrid(estimate, se, df, prior_sd)
    mean, sd = grid.mean_sd()
    tail = (1.0 - ci_level) / 2.0
    probs: list[ThresholdProbability] = []
    best: tuple[float, str] | None = None
    for th in thresholds:
        pts = threshold_points(th, outcome, reference_level)
        meets = None if pts is None else bool(estimate >= pts)
        probs.append(
            ThresholdProbability(
                key=th.key,
                label=th.label,
                kind=th.kind,
                value=th.value,
                threshold_points=pts,
                estimate_meets=meets,
                probability=None if pts is None else grid.prob_at_least(pts),
            )
        )
        if meets and th.kind == "percent" and (best is None or th.value > best[0]):
            best = (th.value, th.key)
    units = f"points on the {outcome.scale_min:g}-{outcome.scale_max:g} scale"
    prior = Prior(
        distribution="normal",
        mean=0.0,
        sd=prior_sd,
        sd_on_0_10_scale=prior_sd_0_10,
        units=units,
        description=(
            f"Sceptical prior: before seeing the data the improvement is taken to be "
            f"normally distributed around no effect with SD {prior_sd:.3g} {units}."
        ),
    )
    conversion = "percent thresholds converted to points as pct/100 x (reference level - scale minimum)" + (
        f" = pct/100 x {reference_level - outcome.scale_min:.4g}"
        if reference_level is not None
        else "; the reference level is unknown"
    )
    result = ImportanceResult(
        prior=prior,
        likelihood=Likelihood(distribution="student-t", estimate=estimate, se=se, df=df, source=source),
        posterior=Posterior(
            mean=mean,
            sd=sd,
            ci_low=grid.quantile(tail),
            ci_high=grid.quantile(1.0 - tail),
        ),
        reference_level=reference_level,
        percent_conversion=conversion,
        thresholds=probs,
        highest_threshold_met=None if best is None else best[1],
    )
    return result, grid
