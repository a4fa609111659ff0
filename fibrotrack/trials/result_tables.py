"""The tables of a trial's result page: phases, comparisons, responder, randomization, assessments, allocation, methods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext, ngettext

from fibrostats import (
    AnalysisResult,
    OutcomeResult,
)
from fibrotrack.lib import change
from fibrotrack.trials import device_outcomes, words
from fibrotrack.trials.display import BLINDED_LABEL
from fibrotrack.trials.models import Trial
from fibrotrack.trials.result_text import contrast_sentence, fmt, phase_name, threshold_probability
from fibrotrack.trials.schedule import ScheduledPhase
from fibrotrack.trials.words import in_sentence


def phase_rows(trial: Trial, o: OutcomeResult) -> list[dict[str, Any]]:
    return [
        {
            "name": phase_name(trial, p.phase),
            "included": p.included,
            "first": p.first_date,
            "last": p.last_date,
            "planned": p.days_planned,
            "observed": p.days_observed,
            "missing": p.days_missing,
            "mean": fmt(p.mean),
            "sd": fmt(p.sd),
            "median": fmt(p.median),
            "last3": fmt(p.last_days_mean),
            "adherence": None if p.adherence is None else round(100 * p.adherence),
        }
        for p in o.phases
    ]


def contrast_rows(trial: Trial, o: OutcomeResult) -> list[dict[str, Any]]:
    rows = []
    for c in o.contrasts:
        e = c.primary
        rows.append(
            {
                "name": versus(trial, c.treatment, c.reference),
                "estimable": c.estimable,
                "difference": fmt(e.difference.estimate) if e else "—",
                "ci": gettext("%(low)s to %(high)s")
                % {"low": fmt(e.difference.ci_low), "high": fmt(e.difference.ci_high)}
                if e and e.difference.ci_low is not None
                else "—",
                "p": f"{e.p_value:.3f}" if e and e.p_value is not None else "—",
                # One decimal: clinicians cite these; the words carry the direction.
                "percent": change.improvement(c.percent_change.estimate, 1) if c.percent_change else "—",
                "percent_ci": change.improvement_range(c.percent_change.ci_low, c.percent_change.ci_high)
                if c.percent_change
                else "—",
                "probability": (
                    words.chance(p) if (p := threshold_probability(c, trial.threshold_pct)) is not None else "—"
                ),
                "endpoint": (
                    gettext("%(mean)s (%(change)s, 95%% CI %(range)s)")
                    % {
                        "mean": fmt(c.endpoint.endpoint_mean),
                        "change": change.improvement(c.endpoint.improvement.estimate, 1, points=True),
                        "range": change.improvement_range(
                            c.endpoint.improvement.ci_low, c.endpoint.improvement.ci_high, 1, points=True
                        ),
                    }
                    if c.endpoint and c.endpoint.endpoint_mean is not None
                    else "—"
                ),
                "sensitivity": [
                    gettext("%(method)s: %(difference)s (95%% CI %(low)s to %(high)s)")
                    % {
                        "method": words.method_label(s.method, s.label),
                        "difference": fmt(s.difference.estimate),
                        "low": fmt(s.difference.ci_low),
                        "high": fmt(s.difference.ci_high),
                    }
                    for s in c.sensitivity
                ],
                "sentence": contrast_sentence(trial, o, c),
                "endpoint_sentence": contrast_sentence(trial, o, c, endpoint=True) if c.endpoint else "",
            }
        )
    return rows


def responder_row(trial: Trial, o: OutcomeResult) -> dict[str, Any] | None:
    r = o.responder
    if r is None:
        return None
    return {
        "against": phase_name(trial, r.reference),
        "treatment": phase_name(trial, r.treatment),
        "threshold": r.threshold_pct,
        # One decimal, so that 29.6% is never shown as a "30%" that misses the 30% rule.
        "percent": None if r.percent_change is None else change.improvement(r.percent_change, 1),
        "responder": r.responder,
        "probability": None if r.probability is None else words.chance(r.probability),
        "responder_endpoint": r.responder_endpoint,
    }


def randomization_row(o: OutcomeResult) -> dict[str, Any] | None:
    r = o.randomization
    if r is None:
        return None
    return {
        "available": r.available,
        "p": None if r.p_value is None else f"{r.p_value:.3g}",
        "min_p": None if r.min_attainable_p is None else f"{r.min_attainable_p:.3g}",
        "can_reach": r.can_reach_0_05,
        "message": words.randomization_message(r),
        "method": r.method,
        "allocations": r.n_allocations,
    }


def assessment_rows(trial: Trial, sched: Sequence[ScheduledPhase], reveal: bool) -> list[dict[str, Any]]:
    rows = []
    for a in trial.assessments.all():
        placed = next((s for s in sched if s.covers(a.measured_on)), None)
        if placed is None:
            where = "—"
        elif placed.phase.blinded and not reveal:
            where = str(BLINDED_LABEL)
        else:
            where = trial.label_for(placed.phase.kind)
        rows.append({"a": a, "phase": where})
    return rows


def allocation_rows(trial: Trial, sched: Sequence[ScheduledPhase]) -> list[dict[str, Any]]:
    allocation = trial.allocation_or_none()
    containers = (allocation.payload.get("containers", {}) if allocation else {}) or {}
    return [
        {
            "start": s.start,
            "end": s.end,
            "days": s.days,
            "name": trial.label_for(s.phase.kind),
            "container": containers.get(s.phase.kind) if s.phase.blinded else None,
            "block": s.phase.block,
            "counts": s.phase.counts,
        }
        for s in sched
    ]


def versus(trial: Trial, treatment: str, reference: str) -> str:
    return gettext("%(treatment)s vs %(reference)s") % {
        "treatment": phase_name(trial, treatment),
        "reference": phase_name(trial, reference),
    }


def _day(day: Any) -> str:
    return words.format_date(day, "j M Y")


def methods_rows(
    trial: Trial, sched: Sequence[ScheduledPhase], result: AnalysisResult | None, outcome: OutcomeResult | None
) -> list[tuple[str, str]]:
    template = words.template_name(trial.template)
    allocation = trial.allocation_or_none()
    periods = "; ".join(
        (
            ngettext(
                "%(phase)s %(first)s–%(last)s (%(days)d day, not counted)",
                "%(phase)s %(first)s–%(last)s (%(days)d days, not counted)",
                s.days,
            )
            if not s.phase.counts
            else ngettext(
                "%(phase)s %(first)s–%(last)s (%(days)d day)", "%(phase)s %(first)s–%(last)s (%(days)d days)", s.days
            )
        )
        % {"phase": trial.label_for(s.phase.kind), "first": _day(s.start), "last": _day(s.end), "days": s.days}
        for s in sched
    )
    if trial.is_randomized and allocation is not None:
        randomization = gettext(
            "The order within each randomized block was drawn by FibroTrack with the operating system's "
            "cryptographically secure random source (Python secrets) when the trial started, and sealed "
            "(SHA-256 %(seal)s…)."
        ) % {"seal": allocation.digest[:16]}
        if trial.design == "randomized-pairs":
            randomization += " " + gettext("A randomization test on the pairs is reported.")
        else:
            randomization += " " + gettext("With only two possible orders, no useful randomization test is possible.")
    else:
        randomization = gettext("Not randomized: the phases ran in a fixed order.")
    if trial.blinded:
        unblinded = [
            (
                gettext("Unblinded on %(day)s (%(kind)s: %(reason)s).")
                if u.reason
                else gettext("Unblinded on %(day)s (%(kind)s).")
            )
            % {"day": _day(u.day), "kind": in_sentence(str(u.get_kind_display())), "reason": u.reason}
            for u in trial.unblindings.all()
        ]
        blinding = " ".join(
            [
                gettext(
                    "Blinded by a custodian with their own FibroTrack account: matched containers labelled by "
                    "letter; which letter held the active treatment was drawn at random and kept from the "
                    "participant."
                ),
                *unblinded,
            ]
        )
    else:
        blinding = gettext("Open label: the participant knew what they were taking in each phase.")
    primary = trial.primary_outcome
    direction = gettext("lower is better") if primary.lower_is_better else gettext("higher is better")
    parts = [
        gettext("Primary: %(name)s, rated daily in the diary (0–%(max)s, %(direction)s).")
        % {"name": primary.label, "max": primary.scale_max, "direction": direction}
    ]
    secondary = list(trial.secondary_outcomes.all())
    if secondary:
        parts.append(gettext("Secondary: %(names)s.") % {"names": ", ".join(s.label for s in secondary)})
    if trial.secondary_measures:
        parts.append(
            gettext("Measured by a watch or phone (imported from its export; devices estimate these): ")
            + ", ".join(
                f"{o.name} ({gettext('lower is better') if o.lower_is_better else gettext('higher is better')})"
                for o in device_outcomes.outcomes_of(trial.secondary_measures)
            )
            + "."
        )
    parts.append(
        gettext("Pre-registered at the start; a %(pct)d%% improvement counts as worth it.")
        % {"pct": trial.threshold_pct}
    )
    outcomes = " ".join(parts)
    rho = (
        " " + gettext("(ρ = %(rho)s)") % {"rho": f"{outcome.model.rho:.2f}"}
        if outcome is not None and outcome.model is not None
        else ""
    )
    analysis = gettext(
        "Regression with first-order autoregressive (AR(1)) errors on calendar days, fitted by restricted maximum "
        "likelihood, with Satterthwaite degrees of freedom for the 95%% confidence intervals (fibrostats "
        "%(version)s). Day-to-day correlation is estimated from the data%(rho)s. Sensitivity analyses: Newey–West "
        "HAC and, for comparison only, ordinary least squares that ignores the correlation. Percent change uses "
        "the published formula (reference − treatment)/reference; its interval is Fieller's. The probability of "
        "reaching your threshold uses a sceptical prior centred on no effect."
    ) % {"version": result.package_version if result else "", "rho": rho}
    carryover = " ".join(
        [
            gettext("Carry-over is not modelled."),
            gettext("Washout, pause and run-in days were left out of the comparisons as planned.")
            if any(not s.phase.counts for s in sched)
            else gettext("No days were left out."),
            gettext(
                "The endpoint (the mean of the final 3 days of each condition, as in Younger et al. 2013) reduces "
                "the influence of slow onset and carry-over."
            )
            if trial.endpoint_last_days
            else gettext("The endpoint variant (final 3 days) is shown as a check on slow onset."),
        ]
    )
    return [
        (gettext("Design"), gettext("%(design)s. %(title)s.") % {"design": template, "title": trial.display_title}),
        (gettext("Periods"), periods or "—"),
        (gettext("Randomization"), randomization),
        (gettext("Blinding"), blinding),
        (gettext("Outcomes"), outcomes),
        (gettext("Analysis"), analysis),
        (gettext("Carry-over and slow onset"), carryover),
        *([(gettext("Weather"), weather_sentence(outcome))] if trial.weather_covariate else []),
    ]


def weather_sentence(outcome: OutcomeResult | None) -> str:
    """How the pre-registered weather covariate entered the model, in plain words."""
    from django.utils.translation import gettext

    from fibrotrack.trials.dataset import WEATHER_COLUMN

    effect = next(
        (c for c in (outcome.model.covariates if outcome and outcome.model else []) if c.name == WEATHER_COLUMN), None
    )
    if effect is None or effect.per_unit is None or effect.ci_low is None or effect.ci_high is None:
        return gettext(
            "Planned to allow for the weather (the day's change in air pressure), but there was not enough "
            "weather data for the trial's days, so the comparison above does not allow for it."
        )
    return gettext(
        "The comparison allows for the weather: each day's change in air pressure was in the model, so a stormy "
        "or calm stretch is not counted as an effect of the treatment. On these days, each hPa of rise in "
        "pressure went with %(per_unit)s points (95%% CI %(low)s to %(high)s); an association, not a cause."
    ) % {"per_unit": f"{effect.per_unit:+.2f}", "low": f"{effect.ci_low:+.2f}", "high": f"{effect.ci_high:+.2f}"}
