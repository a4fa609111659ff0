"""The result of a trial: fibrostats' analysis turned into what a person and a clinician read.

Only this module and ``planning.py`` call fibrostats, with the plain data
frame built in ``dataset.py``. The result is computed only for a trial the
participant may see unblinded (the views check), so every phase here is
named for what it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fibrostats import (
    IMMPACT_THRESHOLDS,
    AnalysisConfig,
    AnalysisInputError,
    AnalysisResult,
    ContrastResult,
    ImportanceThreshold,
    OutcomeResult,
    OutcomeSpec,
    analyze,
    probability_phrase,
)
from fibrotrack.lib import change, charts
from fibrotrack.lib.series import rolling_mean
from fibrotrack.treatments import queries
from fibrotrack.trials import dataset, protocols
from fibrotrack.trials.custodianlog import custodian_changes
from fibrotrack.trials.models import Assessment, PreRegistrationEntry, Trial, UnblindingEvent
from fibrotrack.trials.schedule import ScheduledPhase
from fibrotrack.trials.sealing import allocation_digest, verify_chain
from fibrotrack.trials.svg import distribution_svg

DISCUSS = (
    "This is one person's trial. Discuss what it means, and any change to your treatment, with your doctor "
    "before acting on it."
)
CHOSEN_KEY = "chosen_threshold"


def _fmt(x: float | None, digits: int = 1) -> str:
    if x is None:
        return "—"
    s = f"{x:.{digits}f}"
    return s[1:] if s.startswith("-0") and float(s) == 0 else s


@dataclass
class Warning_:
    code: str
    message: str


@dataclass
class OutcomeView:
    name: str
    is_primary: bool
    lower_is_better: bool
    scale: str
    phases: list[dict[str, Any]]
    contrasts: list[dict[str, Any]]
    responder: dict[str, Any] | None
    randomization: dict[str, Any] | None
    verdict: str
    distribution_svg: Any
    raw: OutcomeResult


@dataclass
class TrialResult:
    trial: Trial
    schedule: list[ScheduledPhase]
    headline: str
    verdict: str
    outcomes: list[OutcomeView]
    warnings: list[Warning_]
    notes: list[str]
    methods: list[tuple[str, str]]
    chart_svg: Any
    chart_table: list[dict[str, Any]]
    assessments: list[dict[str, Any]]
    amendments: list[PreRegistrationEntry]
    registration: PreRegistrationEntry | None
    chain_ok: bool
    chain_broken_at: int | None
    unblindings: list[UnblindingEvent]
    allocation_rows: list[dict[str, Any]]
    allocation_digest_ok: bool | None
    caveats: list[str]
    raw: AnalysisResult | None = None
    discuss: str = DISCUSS
    key_numbers: dict[str, Any] = field(default_factory=dict)


def phase_name(trial: Trial, label: str) -> str:
    kind = label.removesuffix(dataset.NOT_COUNTED)
    name = trial.label_for(kind)
    return name + (" (not counted)" if label.endswith(dataset.NOT_COUNTED) else "")


def available_comparisons(trial: Trial, sched: Sequence[ScheduledPhase]) -> list[tuple[str, str]]:
    """The planned comparisons whose phases both happened (a trial stopped early may lack some)."""
    labels = {dataset.analysis_label(s) for s in sched}
    return [(r, t) for r, t in trial.comparisons if r in labels and t in labels]


def no_planned_comparison(trial: Trial) -> tuple[str, str]:
    """Headline and verdict when the trial stopped before any planned comparison could be made."""
    ref, trt = trial.comparisons[0] if trial.comparisons else (protocols.BASELINE, protocols.TREATMENT)
    return (
        f"No answer: the trial ended before {trial.label_for(trt)} could be compared with {trial.label_for(ref)}.",
        "None of the planned comparisons can be made, because the trial stopped before the phases they need. "
        f"So it cannot say whether {trial.treatment_name} helps. The tables below describe the days that did "
        "happen; a difference between those phases is not the question the trial asked.",
    )


def _config(trial: Trial, sched: Sequence[ScheduledPhase], end: dt.date, confounders: list[str]) -> AnalysisConfig:
    outcomes = [
        OutcomeSpec(
            name=s.key,
            lower_is_better=s.lower_is_better,
            scale_min=float(s.scale_min),
            scale_max=float(s.scale_max),
            label=s.name,
        )
        for s in trial.outcomes()
    ]
    labels = {dataset.analysis_label(s) for s in sched}
    excluded = sorted(label for label in labels if label.endswith(dataset.NOT_COUNTED))
    comparisons = available_comparisons(trial, sched)
    reference, treatment = comparisons[0] if comparisons else ("baseline", None)
    placebo = protocols.PLACEBO if protocols.PLACEBO in labels and reference != protocols.PLACEBO else None
    thresholds = list(IMMPACT_THRESHOLDS)
    if not any(t.kind == "percent" and t.value == trial.threshold_pct for t in thresholds):
        thresholds.append(
            ImportanceThreshold(
                CHOSEN_KEY, f"at least {trial.threshold_pct}% (your threshold)", "percent", float(trial.threshold_pct)
            )
        )
    design = "fixed"
    period_starts = None
    if trial.design == "randomized-pairs":
        design = "randomized-pairs"
        period_starts = [s.start for s in sched if s.phase.block is not None]
    taken_labels = [label for label in labels if label in protocols.TAKEN_KINDS]
    return AnalysisConfig(
        outcomes=outcomes,
        reference=reference,
        treatment=treatment,
        placebo=placebo,
        comparisons=comparisons[1:] or None,
        design=design,  # type: ignore[arg-type]
        exclude_phases=excluded,
        planned_days=dataset.days_by_label(sched, end),
        thresholds=thresholds,
        responder_threshold_pct=float(trial.threshold_pct),
        confounders=confounders,
        period_starts=period_starts,
        adherence_phases=taken_labels or None,
    )


def threshold_probability(c: ContrastResult, pct: int) -> float | None:
    if c.importance is None:
        return None
    for t in c.importance.thresholds:
        if t.kind == "percent" and t.value == pct:
            return t.probability
    return None


def contrast_sentence(trial: Trial, outcome: OutcomeResult, c: ContrastResult, endpoint: bool = False) -> str:
    """E.g. 'Pain was 1.8 points lower on LDN than on placebo (95% CI 1.0 to 2.6), a 31% improvement; ...'."""
    label = outcome.outcome.label
    trt, ref = phase_name(trial, c.treatment), phase_name(trial, c.reference)
    if not c.estimable:
        return f"{label} on {trt} cannot be compared with {ref}: one of them has no recorded days."
    e = c.primary
    if e is None or e.difference.estimate is None:
        return (
            f"{label} averaged {_fmt(c.treatment_mean)} on {trt} and {_fmt(c.reference_mean)} on {ref}; there are "
            "too few recorded days to say how certain this difference is."
        )
    diff: float
    if endpoint and c.endpoint is not None and c.endpoint.improvement.estimate is not None:
        imp = c.endpoint.improvement
        pct = c.endpoint.percent_change
        estimate = float(c.endpoint.improvement.estimate)
        diff = -estimate if outcome.outcome.lower_is_better else estimate
        lo_hi = (imp.ci_low, imp.ci_high)
        head = f"Over the final {c.endpoint.days} days of {trt}, {label.lower()} was"
    else:
        diff = e.difference.estimate
        lo_hi = (e.improvement.ci_low, e.improvement.ci_high)
        pct = c.percent_change.estimate if c.percent_change else None
        head = f"{label} was"
    word = "lower" if diff < 0 else "higher"
    points = abs(diff)
    text = f"{head} {_fmt(points)} point{'s' if _fmt(points) != '1.0' else ''} {word} on {trt} than on {ref}"
    lo, hi = lo_hi
    percent = "" if pct is None else f", {change.improvement(pct)}"
    if lo is not None and hi is not None and lo <= 0 <= hi:
        # The percentage belongs to the estimate, so it comes before the caveat about the interval.
        text += (
            f"{percent}; the 95% confidence interval runs from {_fmt(abs(lo))} {'better' if lo > 0 else 'worse'} to "
            f"{_fmt(abs(hi))} {'better' if hi > 0 else 'worse'}, so there may be no real difference"
        )
    elif lo is not None and hi is not None:
        a, b = sorted((abs(lo), abs(hi)))
        text += f" (95% CI {_fmt(a)} to {_fmt(b)}){percent}"
    else:
        text += percent
    prob = threshold_probability(c, trial.threshold_pct)
    if prob is not None:
        text += (
            f"; the chance that the true improvement is at least {trial.threshold_pct}% is {probability_phrase(prob)}"
        )
    return text + "."


def headline_for(trial: Trial, outcome: OutcomeResult, c: ContrastResult | None) -> str:
    if c is None or not c.estimable or c.primary is None or c.primary.improvement.ci_low is None:
        return "Not enough data for a clear answer."
    lo, hi = c.primary.improvement.ci_low, c.primary.improvement.ci_high or 0.0
    prob = threshold_probability(c, trial.threshold_pct)
    trt = phase_name(trial, c.treatment)
    ref = phase_name(trial, c.reference)
    if prob is not None and prob >= 0.8:
        return f"{trt} probably helped enough to be worth it by your {trial.threshold_pct}% rule (compared with {ref})."
    if lo > 0:
        return f"{trt} probably helped compared with {ref}, but perhaps by less than your {trial.threshold_pct}% rule."
    if hi < 0:
        return f"{outcome.outcome.label} was worse on {trt} than on {ref}."
    return f"No clear difference between {trt} and {ref}."


def _confounders(trial: Trial, start: dt.date, end: dt.date) -> list[str]:
    own = {r.pk for p in trial.phases.all() for r in p.regimens.all()}
    changes = queries.treatment_changes(trial.user, start, end)
    return [f"{c.day:%-d %b %Y}: {c.label}." for c in changes if c.regimen_id not in own]


def _phase_rows(trial: Trial, o: OutcomeResult) -> list[dict[str, Any]]:
    return [
        {
            "name": phase_name(trial, p.phase),
            "included": p.included,
            "first": p.first_date,
            "last": p.last_date,
            "planned": p.days_planned,
            "observed": p.days_observed,
            "missing": p.days_missing,
            "mean": _fmt(p.mean),
            "sd": _fmt(p.sd),
            "median": _fmt(p.median),
            "last3": _fmt(p.last_days_mean),
            "adherence": None if p.adherence is None else round(100 * p.adherence),
        }
        for p in o.phases
    ]


def _contrast_rows(trial: Trial, o: OutcomeResult) -> list[dict[str, Any]]:
    rows = []
    for c in o.contrasts:
        e = c.primary
        rows.append(
            {
                "name": f"{phase_name(trial, c.treatment)} vs {phase_name(trial, c.reference)}",
                "estimable": c.estimable,
                "difference": _fmt(e.difference.estimate) if e else "—",
                "ci": f"{_fmt(e.difference.ci_low)} to {_fmt(e.difference.ci_high)}"
                if e and e.difference.ci_low is not None
                else "—",
                "p": f"{e.p_value:.3f}" if e and e.p_value is not None else "—",
                # One decimal: clinicians cite these; the words carry the direction.
                "percent": change.improvement(c.percent_change.estimate, 1) if c.percent_change else "—",
                "percent_ci": change.improvement_range(c.percent_change.ci_low, c.percent_change.ci_high)
                if c.percent_change
                else "—",
                "probability": (
                    probability_phrase(p) if (p := threshold_probability(c, trial.threshold_pct)) is not None else "—"
                ),
                "endpoint": (
                    f"{_fmt(c.endpoint.endpoint_mean)} "
                    f"({change.improvement(c.endpoint.improvement.estimate, 1, points=True)}, 95% CI "
                    f"{change.improvement_range(c.endpoint.improvement.ci_low, c.endpoint.improvement.ci_high, 1, points=True)})"
                    if c.endpoint and c.endpoint.endpoint_mean is not None
                    else "—"
                ),
                "sensitivity": [
                    f"{s.label}: {_fmt(s.difference.estimate)} (95% CI {_fmt(s.difference.ci_low)} to {_fmt(s.difference.ci_high)})"
                    for s in c.sensitivity
                ],
                "sentence": contrast_sentence(trial, o, c),
                "endpoint_sentence": contrast_sentence(trial, o, c, endpoint=True) if c.endpoint else "",
            }
        )
    return rows


def _responder(trial: Trial, o: OutcomeResult) -> dict[str, Any] | None:
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
        "probability": None if r.probability is None else probability_phrase(r.probability),
        "responder_endpoint": r.responder_endpoint,
    }


def _randomization(o: OutcomeResult) -> dict[str, Any] | None:
    r = o.randomization
    if r is None:
        return None
    return {
        "available": r.available,
        "p": None if r.p_value is None else f"{r.p_value:.3g}",
        "min_p": None if r.min_attainable_p is None else f"{r.min_attainable_p:.3g}",
        "can_reach": r.can_reach_0_05,
        "message": r.message,
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
            where = "Blinded part"
        else:
            where = trial.label_for(placed.phase.kind)
        rows.append({"a": a, "phase": where})
    return rows


def _allocation_rows(trial: Trial, sched: Sequence[ScheduledPhase]) -> list[dict[str, Any]]:
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


def _methods(
    trial: Trial, sched: Sequence[ScheduledPhase], result: AnalysisResult | None, outcome: OutcomeResult | None
) -> list[tuple[str, str]]:
    template = protocols.TEMPLATE_NAMES.get(trial.template, "Custom")
    allocation = trial.allocation_or_none()
    periods = "; ".join(
        f"{trial.label_for(s.phase.kind)} {s.start:%-d %b %Y}–{s.end:%-d %b %Y} ({s.days} days"
        f"{', not counted' if not s.phase.counts else ''})"
        for s in sched
    )
    if trial.is_randomized and allocation is not None:
        randomization = (
            "The order within each randomized block was drawn by FibroTrack with the operating system's "
            "cryptographically secure random source (Python secrets) when the trial started, and sealed "
            f"(SHA-256 {allocation.digest[:16]}…). "
        )
        if trial.design == "randomized-pairs":
            randomization += "A randomization test on the pairs is reported."
        else:
            randomization += "With only two possible orders, no useful randomization test is possible."
    else:
        randomization = "Not randomized: the phases ran in a fixed order."
    if trial.blinded:
        blinding = (
            "Blinded by a custodian with their own FibroTrack account: matched containers labelled by letter; which letter held the active "
            "treatment was drawn at random and kept from the participant. "
            + " ".join(
                f"Unblinded on {u.day:%-d %b %Y} ({u.get_kind_display().lower()}{': ' + u.reason if u.reason else ''})."
                for u in trial.unblindings.all()
            )
        )
    else:
        blinding = "Open label: the participant knew what they were taking in each phase."
    outcomes = (
        f"Primary: {trial.primary_outcome.name}, rated daily in the diary (0–{trial.primary_outcome.scale_max}, "
        f"{trial.primary_outcome.direction_label}). "
        + (
            "Secondary: " + ", ".join(s.name for s in trial.secondary_outcomes.all()) + ". "
            if trial.secondary_outcomes.all()
            else ""
        )
        + f"Pre-registered at the start; a {trial.threshold_pct}% improvement counts as worth it."
    )
    analysis = (
        "Regression with first-order autoregressive (AR(1)) errors on calendar days, fitted by restricted maximum "
        "likelihood, with Satterthwaite degrees of freedom for the 95% confidence intervals (fibrostats "
        f"{result.package_version if result else ''}). Day-to-day correlation is estimated from the data"
        + (f" (ρ = {outcome.model.rho:.2f})" if outcome is not None and outcome.model is not None else "")
        + ". Sensitivity analyses: Newey–West HAC and, for comparison only, ordinary least squares that ignores the "
        "correlation. Percent change uses the published formula (reference − treatment)/reference; its interval "
        "is Fieller's. The probability of reaching your threshold uses a sceptical prior centred on no effect."
    )
    carryover = (
        "Carry-over is not modelled. "
        + (
            "Washout, pause and run-in days were left out of the comparisons as planned. "
            if any(not s.phase.counts for s in sched)
            else "No days were left out. "
        )
        + (
            "The endpoint (the mean of the final 3 days of each condition, as in Younger et al. 2013) reduces the "
            "influence of slow onset and carry-over."
            if trial.endpoint_last_days
            else "The endpoint variant (final 3 days) is shown as a check on slow onset."
        )
    )
    return [
        ("Design", f"{template}. {trial.title}."),
        ("Periods", periods or "—"),
        ("Randomization", randomization),
        ("Blinding", blinding),
        ("Outcomes", outcomes),
        ("Analysis", analysis),
        ("Carry-over and slow onset", carryover),
    ]


def _chart(
    trial: Trial, sched: Sequence[ScheduledPhase], values: dict[dt.date, int], end: dt.date
) -> tuple[Any, list[dict[str, Any]]]:
    start = sched[0].start
    floats = {d: float(v) for d, v in values.items()}
    smooth = rolling_mean(floats, start, end)
    symptom = trial.primary_outcome
    bands = [charts.Band(s.start, min(s.end, end), trial.label_for(s.phase.kind)) for s in sched if s.start <= end]
    svg = charts.timeline_svg(
        [charts.Series(symptom.name, floats, smooth)],
        start,
        end,
        y_min=symptom.scale_min,
        y_max=symptom.scale_max,
        title=f"{symptom.name} each day of the trial with its 7-day mean, phases shaded",
        bands=bands,
    )
    table = []
    for s in sched:
        for offset in range(s.days):
            day = s.start + dt.timedelta(days=offset)
            if day > end:
                break
            table.append({"day": day, "phase": trial.label_for(s.phase.kind), "value": values.get(day)})
    return svg, table


def allocation_matches_seal(trial: Trial, entries: Sequence[PreRegistrationEntry]) -> bool | None:
    """Whether the stored allocation is the one sealed at the start (None when there is no allocation).

    The allocation must hash to its own digest *and* that digest must be the seal recorded in the
    hash-chained registration entry, so rewriting the allocation together with its digest is caught too.
    """
    allocation = trial.allocation_or_none()
    if allocation is None:
        return None
    registered = entries[0].payload.get("allocation_seal") if entries else None
    return allocation_digest(allocation.payload) == allocation.digest == registered


def _warnings(
    trial: Trial,
    result: AnalysisResult | None,
    sched: Sequence[ScheduledPhase],
    chain_bad: int | None,
    digest_ok: bool | None = None,
) -> list[Warning_]:
    out: list[Warning_] = []
    if chain_bad is not None:
        out.append(
            Warning_(
                "log_tampered",
                f"The pre-registration log fails its integrity check at entry {chain_bad}: it was changed outside FibroTrack.",
            )
        )
    if digest_ok is False:
        out.append(
            Warning_(
                "allocation_tampered",
                "The allocation does not match the seal registered at the start: it was changed outside "
                "FibroTrack, so which period was which cannot be trusted.",
            )
        )
    for u in trial.unblindings.all():
        if u.kind == UnblindingEvent.Kind.EMERGENCY:
            out.append(
                Warning_(
                    "blinding_broken",
                    f"The blind was broken on {u.day:%-d %B %Y} ({u.reason}). Days after that were rated knowing "
                    "what was being taken, so expectations may have coloured them.",
                )
            )
    out += [Warning_(code, text) for code, text in custodian_changes(trial)]
    for e in trial.prereg_entries.all():
        if e.kind == PreRegistrationEntry.Kind.AMENDED:
            if set(e.payload.get("changes", {})) == {"custodian"}:
                continue  # reported by custodian_changes
            what = ", ".join(k.replace("_", " ") for k in e.payload.get("changes", {}))
            out.append(
                Warning_(
                    "plan_changed",
                    f"The plan was changed after the start, on {e.created_at:%-d %B %Y} ({what}): “{e.reason}”. "
                    "Results for changed outcomes or thresholds are less trustworthy than pre-registered ones.",
                )
            )
    for phase in trial.phases.all():
        if phase.kind in protocols.NEEDS_REGIMEN and not phase.regimens.all():
            out.append(
                Warning_(
                    "regimen_missing",
                    f"Phase {phase.position} ({trial.label_for(phase.kind)}) no longer has a treatment linked "
                    "(it may have been deleted), so adherence in it is unknown.",
                )
            )
    if trial.status == Trial.Status.STOPPED:
        reached = {s.phase.position for s in sched}
        missing = [p for p in trial.phases.all() if p.position not in reached]
        text = f"The trial was stopped early on {trial.stopped_on:%-d %B %Y}: “{trial.stop_reason}”. "
        if missing:
            text += (
                "These phases never happened: "
                + ", ".join(trial.label_for(p.kind) for p in missing)
                + ", so comparisons that need them cannot be made. "
            )
        text += (
            "The phases that did happen can still be compared, with wider intervals if they were cut short. If "
            "you stopped because of how you felt (side effects, a flare, no benefit), the last days may not be "
            "typical, and a shortened treatment phase may miss a slow-acting effect."
        )
        out.append(Warning_("stopped_early", text))
    if trial.template == protocols.BEFORE_AFTER:
        out.append(Warning_("before_after", protocols.BEFORE_AFTER_CAVEAT))
    if result is not None:
        seen = set()
        for n in result.all_warnings():
            if n.severity != "warning":
                continue
            message = n.message
            for kind in protocols.KINDS:
                message = message.replace(f"'{kind}'", trial.label_for(kind)).replace(
                    f"'{kind}{dataset.NOT_COUNTED}'", trial.label_for(kind) + " (not counted)"
                )
            if message not in seen:
                seen.add(message)
                out.append(Warning_(n.code, message))
    return out


def compute(trial: Trial, today: dt.date) -> TrialResult:
    """Analyse a trial whose allocation the viewer may see (the caller checks)."""
    sched = trial.actual_schedule()
    end = min(sched[-1].end, today) if sched else today
    data = dataset.build(trial, sched, today)
    raw: AnalysisResult | None = None
    analysis_error: str | None = None
    if data is not None and len(data.frame) >= 2 and trial.comparisons:
        config = _config(trial, sched, data.end, _confounders(trial, data.start, data.end))
        try:
            raw = analyze(data.frame, config)
        except AnalysisInputError as error:  # e.g. only excluded days happened before a stop
            analysis_error = str(error)
    entries = list(trial.prereg_entries.all())
    chain_bad = verify_chain([e.as_record() for e in entries])
    digest_ok = allocation_matches_seal(trial, entries)
    outcome_views: list[OutcomeView] = []
    verdict = "There is not enough diary data in the compared phases to analyse yet."
    headline = "Not enough data for a clear answer."
    primary_raw = None
    planned_ok = bool(available_comparisons(trial, sched))
    if not planned_ok and sched:
        headline, verdict = no_planned_comparison(trial)
    for o in raw.outcomes if raw else []:
        is_primary = o.outcome.name == trial.primary_outcome.key
        first = o.contrasts[0] if o.contrasts else None
        sentence = contrast_sentence(trial, o, first, endpoint=trial.endpoint_last_days) if first else ""
        if is_primary:
            primary_raw = o
            if planned_ok:
                verdict = sentence or verdict
                headline = headline_for(trial, o, first)
        included = [p for p in o.phases if p.included]
        dist = distribution_svg(
            [
                (
                    phase_name(trial, p.phase),
                    [float(v) for d, v in data.values[_symptom_id(trial, o)].items() if _label_on(sched, d) == p.phase],
                )
                for p in included
            ]
            if data
            else [],
            y_min=o.outcome.scale_min,
            y_max=o.outcome.scale_max,
            title=f"{o.outcome.label}: spread of daily values in each phase",
        )
        outcome_views.append(
            OutcomeView(
                name=o.outcome.label,
                is_primary=is_primary,
                lower_is_better=o.outcome.lower_is_better,
                scale=f"{o.outcome.scale_min:g}–{o.outcome.scale_max:g}",
                phases=_phase_rows(trial, o),
                contrasts=_contrast_rows(trial, o),
                responder=_responder(trial, o),
                randomization=_randomization(o),
                verdict=sentence,
                distribution_svg=dist,
                raw=o,
            )
        )
    outcome_views.sort(key=lambda v: not v.is_primary)
    chart_svg: Any = None
    chart_table: list[dict[str, Any]] = []
    if data is not None:
        chart_svg, chart_table = _chart(trial, sched, data.values[trial.primary_outcome.pk], end)
    unblindings = list(trial.unblindings.all())
    key: dict[str, Any] = {}
    if primary_raw is not None and primary_raw.contrasts and planned_ok:
        c = primary_raw.contrasts[0]
        key = {
            "comparison": f"{phase_name(trial, c.treatment)} vs {phase_name(trial, c.reference)}",
            "difference": c.primary.difference.estimate if c.primary else None,
            "ci_low": c.primary.difference.ci_low if c.primary else None,
            "ci_high": c.primary.difference.ci_high if c.primary else None,
            "percent": c.percent_change.estimate if c.percent_change else None,
            "probability": threshold_probability(c, trial.threshold_pct),
            "responder": primary_raw.responder.responder if primary_raw.responder else None,
            "randomization_p": primary_raw.randomization.p_value if primary_raw.randomization else None,
        }
    notes = list(protocols.get(trial.template).notes) if trial.template != protocols.PAIRS else []
    return TrialResult(
        trial=trial,
        schedule=sched,
        headline=headline,
        verdict=verdict,
        outcomes=outcome_views,
        warnings=_warnings(trial, raw, sched, chain_bad, digest_ok)
        + (
            [Warning_("analysis_failed", f"The days recorded could not be analysed: {analysis_error}.")]
            if analysis_error
            else []
        ),
        notes=notes,
        methods=_methods(trial, sched, raw, primary_raw),
        chart_svg=chart_svg,
        chart_table=chart_table,
        assessments=assessment_rows(trial, sched, reveal=True),
        amendments=[e for e in entries if e.kind == PreRegistrationEntry.Kind.AMENDED],
        registration=entries[0] if entries else None,
        chain_ok=chain_bad is None,
        chain_broken_at=chain_bad,
        unblindings=unblindings,
        allocation_rows=_allocation_rows(trial, sched),
        allocation_digest_ok=digest_ok,
        caveats=list(raw.caveats) if raw else [DISCUSS],
        raw=raw,
        key_numbers=key,
    )


def _symptom_id(trial: Trial, o: OutcomeResult) -> int:
    return int(next(s.pk for s in trial.outcomes() if s.key == o.outcome.name))


def _label_on(sched: Sequence[ScheduledPhase], day: dt.date) -> str | None:
    placed = next((s for s in sched if s.covers(day)), None)
    return dataset.analysis_label(placed) if placed else None


def assessments_summary(trial: Trial) -> list[dict[str, Any]]:
    kinds = dict(Assessment.Kind.choices)
    out = []
    for kind, label in kinds.items():
        rows = [a for a in trial.assessments.all() if a.kind == kind]
        if rows:
            out.append({"label": label, "unit": Assessment.UNITS[kind], "rows": rows})
    return out
