"""Trial planning: how likely is a design to detect a given improvement?

:func:`simulate_power` generates diaries for a planned sequence of phases
with stationary AR(1) day-to-day noise, analyses each with the same
regression with AR(1) errors as :func:`fibrostats.analyze`, and reports how
often the improvement is detected (the 95% interval for the improvement lies
above zero) and how often the estimated improvement reaches the responder
threshold.  Simulated values are not clipped to the scale, so the noise
stays exactly AR(1); with a realistic SD this rarely matters.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .contrasts import t_quantile
from .models import fit_ar1
from .randomization import min_attainable_p
from .results import JSONValue, to_jsonable
from .simulate import ar1_noise
from .types import AnalysisInputError, Design


@dataclass(frozen=True)
class PowerResult:
    phases: list[tuple[str, int]]
    reference: str
    treatment: str
    design: str
    sd: float
    rho: float
    effect_pct: float
    effect_points: float
    reference_mean: float
    missing_fraction: float
    n_sims: int
    seed: int
    power: float
    power_mc_se: float
    responder_rate: float
    responder_threshold_pct: float
    median_ci_half_width: float
    min_attainable_p: float | None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, JSONValue]:
        out = to_jsonable(self)
        if not isinstance(out, dict):  # pragma: no cover - dataclasses map to dicts
            raise TypeError("unexpected serialisation")
        return out


def simulate_power(
    phases: Sequence[tuple[str, int]],
    *,
    sd: float,
    rho: float,
    effect_pct: float = 30.0,
    reference: str = "baseline",
    treatment: str | None = None,
    reference_mean: float = 6.0,
    lower_is_better: bool = True,
    scale_min: float = 0.0,
    phase_shift_pct: Mapping[str, float] | None = None,
    missing_fraction: float = 0.0,
    design: Design = "fixed",
    n_sims: int = 500,
    seed: int = 0,
    ci_level: float = 0.95,
    responder_threshold_pct: float = 30.0,
    min_phase_days: int = 7,
    target_power: float = 0.8,
) -> PowerResult:
    """Simulate a planned trial ``n_sims`` times and report detection rates.

    ``phases`` lists ``(name, days)`` in order, e.g.
    ``[("baseline", 14), ("placebo", 14), ("ldn", 56), ("washout", 14)]``
    (Younger & Mackey 2009).  A phase may appear several times (ABAB).  The
    reference phases sit at ``reference_mean``; the treatment phases are
    ``effect_pct`` percent better (measured from ``scale_min``); other phases
    sit at the reference level shifted by ``phase_shift_pct`` (percent
    improvement, default 0).  ``sd`` is the day-to-day SD, ``rho`` the lag-1
    autocorrelation.  ``treatment`` defaults to the only phase that is not
    the reference, placebo, washout or run-in.
    """
    if not phases:
        raise AnalysisInputError("at least two phases are needed")
    names = [p for p, _ in phases]
    if any(days < 1 for _, days in phases):
        raise AnalysisInputError("every phase needs at least one day")
    if treatment is None:
        cand = sorted({p for p in names if p not in (reference, "placebo", "washout", "run-in")})
        if len(cand) != 1:
            raise AnalysisInputError("name the treatment phase")
        treatment = cand[0]
    if reference not in names or treatment not in names or reference == treatment:
        raise AnalysisInputError("the reference and treatment must be two phases of the plan")
    if not (sd > 0 and math.isfinite(sd)):
        raise AnalysisInputError("sd must be positive")
    if not -0.95 <= rho <= 0.95:
        raise AnalysisInputError("rho must be between -0.95 and 0.95")
    if not 0 <= missing_fraction < 0.9:
        raise AnalysisInputError("missing_fraction must be in [0, 0.9)")
    if n_sims < 10:
        raise AnalysisInputError("n_sims must be at least 10")
    base = reference_mean - scale_min
    if base <= 0:
        raise AnalysisInputError("reference_mean must be above scale_min")
    direction = -1.0 if lower_is_better else 1.0
    effect_points = effect_pct / 100.0 * base
    shifts = dict(phase_shift_pct or {})

    labels = np.concatenate([np.full(days, name, dtype=object) for name, days in phases])
    n = labels.size
    cells = list(dict.fromkeys(names))
    x = np.column_stack([(labels == p).astype(np.float64) for p in cells])
    mean = np.empty(n)
    for p in cells:
        pct = effect_pct if p == treatment else shifts.get(p, 0.0)
        mean[labels == p] = reference_mean + direction * pct / 100.0 * base
    c = np.zeros(len(cells))
    c[cells.index(treatment)] = direction
    c[cells.index(reference)] = -direction
    cref = np.zeros(len(cells))
    cref[cells.index(reference)] = 1.0

    rng = np.random.default_rng(seed)
    noise = ar1_noise(rng, n_sims, n, sd, rho)
    keep_all = rng.random((n_sims, n)) >= missing_fraction
    t_all = np.arange(n, dtype=np.int64)
    detected = 0
    responders = 0
    half_widths: list[float] = []
    for s in range(n_sims):
        keep = keep_all[s]
        if not all(keep[labels == p].any() for p in cells):
            continue  # a whole phase missing: treated as not detected
        xs = x[keep]
        if xs.shape[0] - xs.shape[1] < 3:
            continue
        fit = fit_ar1(mean[keep] + noise[s, keep], xs, t_all[keep])
        est, se = fit.contrast(c)
        q = t_quantile(fit.satterthwaite_df(c), ci_level)
        detected += bool(est - q * se > 0)
        level = float(cref @ fit.params) - scale_min
        responders += bool(level > 0 and 100.0 * est / level >= responder_threshold_pct)
        half_widths.append(q * se)
    power = detected / n_sims
    warnings: list[str] = []
    for name, days in phases:
        if days < min_phase_days:
            warnings.append(
                f"Phase '{name}' is only {days} days long (fewer than {min_phase_days}): too "
                "short to estimate its average reliably."
            )
    if power < target_power:
        warnings.append(
            f"This design detects a {effect_pct:g}% improvement only {100 * power:.0f}% of the "
            f"time (target {100 * target_power:.0f}%). Longer phases or more pairs would help."
        )
    pmin = None
    if design == "randomized-pairs":
        # Each entry of the plan is one period; two periods make a pair.
        periods = sum(1 for name, _ in phases if name in (reference, treatment))
        pmin = min_attainable_p("randomized-pairs", n_pairs=max(periods // 2, 1))
    if pmin is not None and pmin >= 0.05:
        warnings.append(
            f"With this number of randomized pairs the randomization test cannot reach "
            f"p < 0.05 (smallest possible p = {pmin:.3g})."
        )
    return PowerResult(
        phases=[(p, int(d)) for p, d in phases],
        reference=reference,
        treatment=treatment,
        design=design,
        sd=sd,
        rho=rho,
        effect_pct=effect_pct,
        effect_points=effect_points,
        reference_mean=reference_mean,
        missing_fraction=missing_fraction,
        n_sims=n_sims,
        seed=seed,
        power=power,
        power_mc_se=math.sqrt(max(power * (1.0 - power), 1e-12) / n_sims),
        responder_rate=responders / n_sims,
        responder_threshold_pct=responder_threshold_pct,
        median_ci_half_width=float(np.median(half_widths)) if half_widths else math.nan,
        min_attainable_p=pmin,
        warnings=warnings,
    )
