"""The planning helper: how informative would this design be for this person?

Uses the person's own day-to-day variability of the primary outcome (the SD
and lag-1 autocorrelation of their last 90 diary days) and simulates the
design with fibrostats' ``simulate_power`` (the same AR(1) model as the
analysis). With fewer than 21 diary days it gives no figure at all, only how
many more days it needs: a power computed from typical values looks like a
promise about this person that nothing supports. Also reports the smallest
p-value the randomization can reach, and states the strongest verdict the
design can reach, in words that agree with both: the power is how often the
model's 95% interval would clear zero; the randomization test is a second,
separate check that some designs can never pass.

Typical values when there is no diary yet: SD 1.2 points and lag-1
autocorrelation 0.5 on a 0-10 scale, level 6. Daily fibromyalgia pain
ratings in the LDN studies varied by roughly a point from day to day around
a level of about 6 (Younger & Mackey 2009; Younger et al. 2013), and
symptom diaries are typically moderately autocorrelated; treat these as
rough guides, which is why the person's own diary is preferred.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import statistics
from dataclasses import dataclass, field
from math import factorial
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext, ngettext

from fibrostats import AnalysisInputError, min_attainable_p, simulate_power
from fibrotrack.trials import dataset, protocols, words
from fibrotrack.trials.models import Trial
from fibrotrack.trials.schedule import actual_order, blocks

TYPICAL_SD, TYPICAL_RHO, TYPICAL_LEVEL = 1.2, 0.5, 6.0
MIN_OWN_DAYS = 21
N_SIMS = 200


@dataclass
class Variability:
    sd: float
    rho: float
    level: float
    days: int
    own: bool


@dataclass
class Plan:
    variability: Variability
    power: float | None
    power_pct: int | None
    threshold_pct: int
    comparison: str
    min_p: float | None
    min_p_text: str
    warnings: list[str] = field(default_factory=list)
    ci_half_width: float | None = None
    needs_days: int = 0  # more diary days needed before a figure can be given
    verdict: str = ""  # the strongest verdict the design can reach


def own_variability(user: Any, symptom: Any, today: dt.date) -> Variability:
    start = today - dt.timedelta(days=90)
    values = dataset.scores_by_symptom(user, [symptom], start, today)[symptom.pk]
    scale = (symptom.scale_max - symptom.scale_min) / 10.0
    if len(values) < MIN_OWN_DAYS:
        return Variability(
            TYPICAL_SD * scale, TYPICAL_RHO, symptom.scale_min + TYPICAL_LEVEL * scale, len(values), own=False
        )
    ordered = sorted(values)
    series = [float(values[d]) for d in ordered]
    sd = statistics.stdev(series)
    mean = statistics.fmean(series)
    pairs = [
        (values[d] - mean, values[d + dt.timedelta(days=1)] - mean)
        for d in ordered
        if d + dt.timedelta(days=1) in values
    ]
    var = sum((v - mean) ** 2 for v in series) / len(series)
    rho = (sum(a * b for a, b in pairs) / len(pairs)) / var if pairs and var > 0 else 0.0
    return Variability(max(sd, 0.3 * scale), max(min(rho, 0.9), -0.5), mean, len(values), own=True)


def randomization_min_p(trial: Trial) -> float | None:
    """The smallest p-value the randomization can produce, or None for a fixed order."""
    groups = blocks(trial.planned())
    if not groups:
        return None
    if trial.template == protocols.PAIRS:
        return min_attainable_p("randomized-pairs", n_pairs=len(groups))
    orders = 1
    for positions in groups.values():
        orders *= factorial(len(positions))
    return 1.0 / orders


def plan(trial: Trial, today: dt.date) -> Plan:
    var = own_variability(trial.user, trial.primary_outcome, today)
    symptom = trial.primary_outcome
    ref, trt = trial.comparisons[0] if trial.comparisons else (protocols.BASELINE, protocols.TREATMENT)
    comparison = gettext("%(treatment)s vs %(reference)s") % {
        "treatment": trial.label_for(trt),
        "reference": trial.label_for(ref),
    }
    phases = [
        (p.kind if p.counts else p.kind + dataset.NOT_COUNTED, p.days) for p in actual_order(trial.planned(), None)
    ]
    warnings: list[str] = []
    power = half = None
    level = var.level
    base = level - symptom.scale_min
    names = {n for n, _ in phases}
    needs_days = 0 if var.own else MIN_OWN_DAYS - var.days
    if needs_days:
        warnings.append(
            ngettext(
                "To say how informative this design would be for you, FibroTrack needs at least %(needed)d days "
                "of your diary with %(symptom)s; you have %(have)d. Check in for %(more)d more day and a figure "
                "will show here.",
                "To say how informative this design would be for you, FibroTrack needs at least %(needed)d days "
                "of your diary with %(symptom)s; you have %(have)d. Check in for %(more)d more days and a figure "
                "will show here.",
                needs_days,
            )
            % {
                "needed": MIN_OWN_DAYS,
                "symptom": words.in_sentence(symptom.label),
                "have": var.days,
                "more": needs_days,
            }
        )
    elif ref in names and trt in names and base > 0:
        spec = f"{phases}:{var.sd:.3f}:{var.rho:.3f}:{level:.2f}:{trial.threshold_pct}:{ref}:{trt}"
        key = "trials:plan:" + hashlib.sha256(spec.encode()).hexdigest()
        cached = cache.get(key)
        if cached is None:
            try:
                result = simulate_power(
                    phases,
                    sd=var.sd,
                    rho=max(min(var.rho, 0.95), -0.95),
                    effect_pct=float(trial.threshold_pct),
                    reference=ref,
                    treatment=trt,
                    reference_mean=level,
                    lower_is_better=symptom.lower_is_better,
                    scale_min=float(symptom.scale_min),
                    n_sims=N_SIMS,
                    seed=2009,
                )
                cached = (result.power, result.median_ci_half_width, list(result.warnings))
            except AnalysisInputError as error:
                cached = (None, None, [str(error)])
            cache.set(key, cached, 3600)
        power, half, sim_warnings = cached
        # fibrostats' own notes on the simulation are English (docs/architecture.md, "Translations").
        warnings += [w for w in sim_warnings if "randomization" not in w]
    else:
        warnings.append(gettext("Add the phases of the main comparison to see how informative the design would be."))
    for p in trial.phases.all():
        if p.counts_in_analysis and p.days < 7:
            text = ngettext(
                "Phase %(number)d (%(name)s) is only %(days)d day: too short to estimate its average reliably.",
                "Phase %(number)d (%(name)s) is only %(days)d days: too short to estimate its average reliably.",
                p.days,
            ) % {"number": p.position, "name": trial.label_for(p.kind), "days": p.days}
            if text not in warnings:
                warnings.append(text)
    min_p = randomization_min_p(trial)
    if min_p is None:
        min_p_text = gettext(
            "The order is fixed, so there is no randomization test; the result rests on the model alone and cannot "
            "rule out changes over time."
        )
        verdict = (
            gettext(
                "The strongest result this design can give is the model's 95%% interval clearing zero; "
                "with a fixed order, it cannot tell the treatment from a change that came with time."
            )
            % {}
        )
    else:
        min_p_text = gettext("The smallest p-value this randomization can give is %(p)s.") % {"p": f"{min_p:.3g}"}
        if min_p >= 0.05:
            min_p_text += " " + gettext("It cannot reach p < 0.05 whatever happens: add pairs if that matters to you.")
            verdict = (
                gettext(
                    "So the strongest result this design can give is the model's 95%% interval clearing zero; "
                    "the randomization test cannot confirm it, however large the improvement."
                )
                % {}
            )
        else:
            verdict = gettext(
                "The strongest result this design can give is both: the model's 95%% interval clearing "
                "zero, and the randomization test below p = 0.05 (it can reach %(p)s)."
            ) % {"p": f"{min_p:.3g}"}
    if power is not None and not math.isnan(power) and power < 0.5:
        warnings.append(
            gettext(
                "This design is too short to be informative: it would usually miss a real %(pct)d%% improvement. "
                "Longer phases or more pairs would help."
            )
            % {"pct": trial.threshold_pct}
        )
    return Plan(
        variability=var,
        power=power,
        power_pct=None if power is None else round(100 * power),
        threshold_pct=trial.threshold_pct,
        comparison=comparison,
        min_p=min_p,
        min_p_text=min_p_text,
        warnings=warnings,
        ci_half_width=None if half is None or (isinstance(half, float) and math.isnan(half)) else half,
        needs_days=needs_days,
        verdict=verdict,
    )
