"""``analyze``: the single-person analysis, phase by phase and outcome by outcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ._version import __version__
from .bayes import PosteriorGrid, assess_importance
from .contrasts import (
    OutcomeModel,
    build_model,
    contrast_vector,
    effect,
    endpoint_contrast,
    fieller_percent,
    reference_level,
)
from .data import Series, prepare
from .describe import describe_phase as _describe_phase
from .describe import percent_change, phase_days_planned
from .quality import global_warnings, phase_warnings
from .randomization import run_for_outcome
from .results import (
    SCHEMA_VERSION,
    AnalysisResult,
    ContrastResult,
    EffectEstimate,
    ImportanceResult,
    Notice,
    OutcomeInfo,
    OutcomeResult,
    PhaseSummary,
    ResponderResult,
)
from .types import AnalysisConfig, OutcomeSpec

Role = Literal["primary", "placebo", "requested", "versus-reference"]
Pair = tuple[str, str, Role]

CAVEATS = [
    "These numbers describe one person's diary. A difference between phases is an "
    "association with the treatment periods, not proof that the treatment caused it.",
    "Unless the order of the phases was randomized, a before/after difference cannot be "
    "separated from changes over time, expectations (placebo response) or regression to "
    "the mean (starting a treatment during a bad spell that would have eased anyway).",
    "Intervals and probabilities allow for day-to-day correlation (regression with AR(1) "
    "errors); they do not allow for other treatment changes, carry-over or missing days "
    "that were skipped because of how the person felt.",
    "Discuss any decision about treatment with your doctor.",
]


def _resolve_treatment(config: AnalysisConfig, included: list[str]) -> tuple[str | None, bool]:
    """The treatment phase, and whether it was inferred rather than given."""
    if config.treatment is not None:
        return config.treatment, False
    candidates = [p for p in included if p not in (config.reference, config.placebo)]
    if len(candidates) == 1:
        return candidates[0], True
    return None, False


def _pairs(
    config: AnalysisConfig,
    included: list[str],
    treatment: str | None,
    placebo: str | None,
) -> list[Pair]:
    pairs: list[Pair] = []

    def add(ref: str, trt: str, role: Role) -> None:
        if ref != trt and all((r, t) != (ref, trt) for r, t, _ in pairs):
            pairs.append((ref, trt, role))

    if treatment is not None:
        add(config.reference, treatment, "primary")
        if placebo is not None:
            add(placebo, treatment, "placebo")
    for ref, trt in config.comparisons or ():
        add(ref, trt, "requested")
    if treatment is None and not config.comparisons:
        for p in included:
            add(config.reference, p, "versus-reference")
    return pairs


def _contrast(
    series: Series,
    model: OutcomeModel,
    ref: str,
    trt: str,
    role: Role,
    config: AnalysisConfig,
    notices: list[Notice],
) -> tuple[ContrastResult, PosteriorGrid | None]:
    outcome = model.outcome
    y = series.values[outcome.name]
    obs = ~np.isnan(y)
    yr = y[obs & (series.phase == ref)]
    yt = y[obs & (series.phase == trt)]
    ref_mean = float(yr.mean()) if yr.size else None
    trt_mean = float(yt.mean()) if yt.size else None
    estimable = bool(yr.size and yt.size and ref in model.phases and trt in model.phases)
    obs_diff = None if ref_mean is None or trt_mean is None else trt_mean - ref_mean
    pct_obs = None
    if ref_mean is not None and trt_mean is not None:
        pct_obs = percent_change(
            ref_mean,
            trt_mean,
            lower_is_better=outcome.lower_is_better,
            scale_min=outcome.scale_min,
            scale_range=outcome.scale_range,
        )
    if not estimable:
        result = ContrastResult(
            reference=ref,
            treatment=trt,
            role=role,
            estimable=False,
            n_reference=int(yr.size),
            n_treatment=int(yt.size),
            reference_mean=ref_mean,
            treatment_mean=trt_mean,
            observed_difference=obs_diff,
            observed_improvement=None if obs_diff is None else outcome.direction * obs_diff,
            percent_change_observed=pct_obs,
            primary=None,
            reference_level=None,
            percent_change=None,
            sensitivity=[],
            endpoint=None,
            importance=None,
        )
        return result, None

    c = contrast_vector(model, ref, trt)
    primary: EffectEstimate | None = None
    sensitivity: list[EffectEstimate] = []
    if model.ar1 is not None:
        primary = effect(model.ar1, c, outcome, config.ci_level, "ar1-gls")
    if model.hac is not None:
        sensitivity.append(effect(model.hac, c, outcome, config.ci_level, "newey-west-hac"))
    if model.ols is not None and config.include_ols:
        sensitivity.append(effect(model.ols, c, outcome, config.ci_level, "ols"))
    level = reference_level(model, ref)
    pct = pct_interval = None
    if model.ar1 is not None:
        pct, pct_interval = fieller_percent(model.ar1, model, ref, trt, config.ci_level)
        if pct is None or pct_obs is None:
            # A percentage of (almost) nothing: the observed reference mean or
            # the model's reference level sits at the bottom of the scale.
            pct_interval = None
            level = None
            notices.append(
                Notice(
                    "percent_undefined",
                    "warning",
                    f"The '{ref}' level of {outcome.display_name} is at the bottom of the scale, "
                    "so a percent change cannot be calculated.",
                    outcome.name,
                    ref,
                )
            )
        elif pct_interval is not None and pct_interval.ci_low is None and not model.ar1.degenerate:
            notices.append(
                Notice(
                    "percent_interval_unbounded",
                    "warning",
                    f"The '{ref}' level of {outcome.display_name} is too close to the bottom of the "
                    "scale to put a useful interval around the percent change; use the change in points instead.",
                    outcome.name,
                    ref,
                )
            )
    endpoint = endpoint_contrast(
        model,
        series,
        ref,
        trt,
        days=config.endpoint_days,
        level=config.ci_level,
        notices=notices,
    )
    importance: ImportanceResult | None = None
    grid: PosteriorGrid | None = None
    if (
        primary is not None
        and primary.se is not None
        and primary.df is not None
        and primary.improvement.estimate is not None
    ):
        importance, grid = assess_importance(
            estimate=primary.improvement.estimate,
            se=primary.se,
            df=primary.df,
            outcome=outcome,
            prior_sd=config.prior_sd_for(outcome),
            prior_sd_0_10=config.prior_sd,
            reference_level=level,
            thresholds=config.thresholds,
            ci_level=config.ci_level,
        )
    result = ContrastResult(
        reference=ref,
        treatment=trt,
        role=role,
        estimable=True,
        n_reference=int(yr.size),
        n_treatment=int(yt.size),
        reference_mean=ref_mean,
        treatment_mean=trt_mean,
        observed_difference=obs_diff,
        observed_improvement=None if obs_diff is None else outcome.direction * obs_diff,
        percent_change_observed=pct_obs,
        primary=primary,
        reference_level=level,
        percent_change=pct_interval,
        sensitivity=sensitivity,
        endpoint=endpoint,
        importance=importance,
    )
    return result, grid


def _responder(
    contrast: ContrastResult,
    grid: PosteriorGrid | None,
    outcome: OutcomeSpec,
    config: AnalysisConfig,
) -> ResponderResult:
    thr = config.responder_threshold_pct
    pct = None if contrast.percent_change is None else contrast.percent_change.estimate
    prob = None
    if grid is not None and contrast.reference_level is not None:
        base = contrast.reference_level - outcome.scale_min
        if base > 0:
            prob = grid.prob_at_least(thr / 100.0 * base)
    pct_end = None if contrast.endpoint is None else contrast.endpoint.percent_change
    return ResponderResult(
        reference=contrast.reference,
        treatment=contrast.treatment,
        threshold_pct=thr,
        percent_change=pct,
        responder=None if pct is None else bool(pct >= thr),
        probability=prob,
        percent_change_endpoint=pct_end,
        responder_endpoint=None if pct_end is None else bool(pct_end >= thr),
    )


def _analyze_outcome(
    series: Series,
    outcome: OutcomeSpec,
    config: AnalysisConfig,
    included: list[str],
    treatment: str | None,
    placebo: str | None,
    pairs: list[Pair],
    adherence_phases: Sequence[str],
) -> OutcomeResult:
    notices: list[Notice] = []
    planned = config.planned_days or {}
    summaries: list[PhaseSummary] = [
        _describe_phase(
            series,
            p,
            outcome,
            included=p in included,
            planned=planned.get(p),
            endpoint_days=config.endpoint_days,
        )
        for p in series.phase_order
    ]
    notices.extend(phase_warnings(summaries, outcome, config, adherence_phases))
    model = build_model(
        series,
        outcome,
        included,
        trend=config.trend,
        hac_maxlags=config.hac_maxlags,
        notices=notices,
        covariates=config.covariates,
    )
    contrasts: list[ContrastResult] = []
    grids: dict[tuple[str, str], PosteriorGrid | None] = {}
    for ref, trt, role in pairs:
        c, grid = _contrast(series, model, ref, trt, role, config, notices)
        contrasts.append(c)
        grids[(ref, trt)] = grid
    responder = None
    if treatment is not None:
        rref = placebo if placebo is not None else config.reference
        for c in contrasts:
            if (c.reference, c.treatment) == (rref, treatment) and c.estimable:
                responder = _responder(c, grids[(rref, treatment)], outcome, config)
    randomization = None
    if config.design != "fixed" and treatment is not None:
        randomization = run_for_outcome(series, outcome, config.reference, treatment, config)
        if not randomization.available:
            notices.append(
                Notice(
                    "randomization_unavailable",
                    "warning",
                    f"The randomization test could not be run: {randomization.message}.",
                    outcome.name,
                )
            )
        elif randomization.can_reach_0_05 is False:
            notices.append(
                Notice(
                    "randomization_underpowered",
                    "warning",
                    f"With {randomization.units} randomization units the smallest possible "
                    f"p-value is {randomization.min_attainable_p:.3g}: this design cannot reach "
                    "p < 0.05 whatever the data show.",
                    outcome.name,
                )
            )
    return OutcomeResult(
        outcome=OutcomeInfo(
            name=outcome.name,
            label=outcome.display_name,
            lower_is_better=outcome.lower_is_better,
            scale_min=outcome.scale_min,
            scale_max=outcome.scale_max,
        ),
        phases=summaries,
        model=model.info() if model.ar1 is not None else None,
        contrasts=contrasts,
        responder=responder,
        randomization=randomization,
        warnings=notices,
    )


def _unattributed_gaps(series: Series) -> list[Notice]:
    """Days without any row between two different phases.

    They cannot be attributed to either phase (the diary does not say when one
    ended and the next began), so the per-phase missing-day counts cannot
    include them; ``planned_days`` resolves this.
    """
    out: list[Notice] = []
    for a, b in zip(series.runs[:-1], series.runs[1:], strict=True):
        gap = b.first_day - a.last_day - 1
        if gap > 0:
            first = series.date_of(a.last_day + 1)
            last = series.date_of(b.first_day - 1)
            out.append(
                Notice(
                    "unattributed_days",
                    "warning",
                    f"{gap} day{'s' if gap > 1 else ''} between '{a.phase}' and '{b.phase}' "
                    f"({first} to {last}) have no entries and cannot be attributed to either "
                    "phase, so they are not counted as missing; give the planned phase lengths to count them.",
                )
            )
    return out


def analyze(df: pd.DataFrame, config: AnalysisConfig, *, lines: Sequence[int] | None = None) -> AnalysisResult:
    """Analyse a daily diary according to ``config``.

    ``df`` has columns ``date``, ``phase``, one column per outcome and
    optionally ``taken`` (adherence, 1/0).  ``lines`` optionally maps rows to
    the lines of the source file for error messages.  Raises
    :class:`~fibrostats.types.AnalysisInputError` on invalid input; otherwise
    never fails on a valid series, however short or gappy: what cannot be
    estimated is ``None`` with a warning saying why.
    """
    series = prepare(df, config, lines=lines)
    excluded_set = set(config.exclude_phases)
    excluded = [p for p in series.phase_order if p in excluded_set]
    included = [p for p in series.phase_order if p not in excluded_set]
    treatment, inferred = _resolve_treatment(config, included)
    placebo = config.placebo
    if placebo not in included or placebo in (config.reference, treatment):
        placebo = None
    pairs = _pairs(config, included, treatment, placebo)
    if config.adherence_phases is not None:
        adherence_phases: list[str] = list(config.adherence_phases)
    elif treatment is not None:
        adherence_phases = [p for p in (treatment, placebo) if p is not None]
    else:
        adherence_phases = [p for p in included if p != config.reference]

    excluded_days = {p: int(np.count_nonzero(series.phase == p)) for p in excluded}
    notices = global_warnings(config, excluded_days)
    if inferred and treatment is not None:
        notices.append(
            Notice(
                "treatment_inferred",
                "info",
                f"No treatment phase was named; '{treatment}' is the only phase that is "
                "neither the reference nor placebo, so it is analysed as the treatment.",
                phase=treatment,
            )
        )
    notices.extend(_unattributed_gaps(series))
    for p in included:
        if config.planned_days and p in config.planned_days:
            span = phase_days_planned(series, p, None)
            if span > config.planned_days[p]:
                notices.append(
                    Notice(
                        "longer_than_planned",
                        "info",
                        f"Phase '{p}' spans {span} days, more than the {config.planned_days[p]} planned.",
                        phase=p,
                    )
                )
    outcomes = [
        _analyze_outcome(series, o, config, included, treatment, placebo, pairs, adherence_phases)
        for o in config.outcomes
    ]
    return AnalysisResult(
        schema_version=SCHEMA_VERSION,
        package_version=__version__,
        design=config.design,
        reference=config.reference,
        treatment=treatment,
        placebo=placebo,
        ci_level=config.ci_level,
        trend=config.trend,
        first_date=series.first_date,
        last_date=series.date_of(int(series.t[-1])),
        phases_included=included,
        phases_excluded=excluded,
        outcomes=outcomes,
        warnings=notices,
        caveats=list(CAVEATS),
    )
