"""The result of a trial: fibrostats' analysis turned into what a person and a clinician read.

Only this module (with its parts ``result_text``, ``result_tables`` and
``result_warnings``) and ``planning.py`` call fibrostats, with the plain data
frame built in ``dataset.py``. The result is computed only for a trial the
participant may see unblinded (the views check), so every phase here is
named for what it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from fibrostats import (
    IMMPACT_THRESHOLDS,
    AnalysisConfig,
    AnalysisInputError,
    AnalysisResult,
    ImportanceThreshold,
    OutcomeResult,
    OutcomeSpec,
    analyze,
)
from fibrotrack.lib import charts
from fibrotrack.lib.series import rolling_mean
from fibrotrack.treatments import queries
from fibrotrack.trials import dataset, device_outcomes, protocols, words
from fibrotrack.trials.models import Assessment, PreRegistrationEntry, Trial, UnblindingEvent, unit_label
from fibrotrack.trials.result_tables import (
    allocation_rows,
    assessment_rows,
    contrast_rows,
    methods_rows,
    phase_rows,
    randomization_row,
    responder_row,
    versus,
)
from fibrotrack.trials.result_text import (
    contrast_sentence,
    headline_for,
    phase_name,
    short_verdict,
    threshold_probability,
)
from fibrotrack.trials.result_warnings import Warning_, allocation_matches_seal, trial_warnings
from fibrotrack.trials.schedule import ScheduledPhase
from fibrotrack.trials.sealing import verify_chain

DISCUSS = gettext_lazy(
    "This is one person's trial. Discuss what it means, and any change to your treatment, with your doctor "
    "before acting on it."
)
CHOSEN_KEY = "chosen_threshold"
# Taller than the charts' default: the result's one chart is scaled to a phone's width and must stay legible.
CHART_HEIGHT = 380


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
    discuss: str = ""
    # The verdict in one sentence (what changed, by how much, how sure, what it cannot tell); "" when
    # there is no estimate, and the page shows ``verdict`` instead.
    short_verdict: str = ""
    key_numbers: dict[str, Any] = field(default_factory=dict)


def available_comparisons(trial: Trial, sched: Sequence[ScheduledPhase]) -> list[tuple[str, str]]:
    """The planned comparisons whose phases both happened (a trial stopped early may lack some)."""
    labels = {dataset.analysis_label(s) for s in sched}
    return [(r, t) for r, t in trial.comparisons if r in labels and t in labels]


def no_planned_comparison(trial: Trial) -> tuple[str, str]:
    """Headline and verdict when the trial stopped before any planned comparison could be made."""
    ref, trt = trial.comparisons[0] if trial.comparisons else (protocols.BASELINE, protocols.TREATMENT)
    names = {"trt": trial.label_for(trt), "ref": trial.label_for(ref), "name": trial.label_for(protocols.TREATMENT)}
    return (
        gettext("No answer: the trial ended before %(trt)s could be compared with %(ref)s.") % names,
        gettext(
            "None of the planned comparisons can be made, because the trial stopped before the phases they need. "
            "So it cannot say whether %(name)s helps. The tables below describe the days that did "
            "happen; a difference between those phases is not the question the trial asked."
        )
        % names,
    )


def _config(trial: Trial, sched: Sequence[ScheduledPhase], end: dt.date, confounders: list[str]) -> AnalysisConfig:
    outcomes = [
        OutcomeSpec(
            name=s.key,
            lower_is_better=s.lower_is_better,
            scale_min=float(s.scale_min),
            scale_max=float(s.scale_max),
            # The name shown in the result's sentences, in the active language (the key stays in ``name``).
            label=str(getattr(s, "label", s.name)),
        )
        for s in trial.analysis_outcomes()
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
        covariates=[dataset.WEATHER_COLUMN] if trial.weather_covariate else [],
    )


def _confounders(trial: Trial, start: dt.date, end: dt.date) -> list[str]:
    own = {r.pk for p in trial.phases.all() for r in p.regimens.all()}
    changes = queries.treatment_changes(trial.user, start, end)
    return [f"{words.format_date(c.day, 'j M Y')}: {c.label}." for c in changes if c.regimen_id not in own]


def _chart(
    trial: Trial, sched: Sequence[ScheduledPhase], values: dict[dt.date, int], end: dt.date
) -> tuple[Any, list[dict[str, Any]]]:
    start = sched[0].start
    floats = {d: float(v) for d, v in values.items()}
    smooth = rolling_mean(floats, start, end)
    symptom = trial.primary_outcome
    bands = [
        charts.Band(s.start, min(s.end, end), trial.label_for(s.phase.kind), charts.PHASE)
        for s in sched
        if s.start <= end
    ]
    svg = charts.timeline_svg(
        [charts.Series(symptom.label, floats, smooth)],
        start,
        end,
        y_min=symptom.scale_min,
        y_max=symptom.scale_max,
        title=gettext("%(name)s each day of the trial with its 7-day mean, phases shaded") % {"name": symptom.label},
        bands=bands,
        height=CHART_HEIGHT,
    )
    table = []
    for s in sched:
        for offset in range(s.days):
            day = s.start + dt.timedelta(days=offset)
            if day > end:
                break
            table.append({"day": day, "phase": trial.label_for(s.phase.kind), "value": values.get(day)})
    return svg, table


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
    verdict = gettext("There is not enough diary data in the compared phases to analyse yet.")
    headline = gettext("Not enough data for a clear answer.")
    primary_raw = None
    one_sentence = ""
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
                one_sentence = short_verdict(trial, o, first)
        included = [p for p in o.phases if p.included]
        spread = (
            [
                (
                    phase_name(trial, p.phase),
                    [float(v) for d, v in data.values[_symptom_id(trial, o)].items() if _label_on(sched, d) == p.phase],
                )
                for p in included
            ]
            if data
            else []
        )
        y_min, y_max, scale = device_outcomes.display_range(o.outcome, [v for _, vs in spread for v in vs])
        dist = charts.distribution_svg(
            spread,
            y_min=y_min,
            y_max=y_max,
            title=gettext("%(name)s: spread of daily values in each phase") % {"name": o.outcome.label},
        )
        outcome_views.append(
            OutcomeView(
                name=o.outcome.label,
                is_primary=is_primary,
                lower_is_better=o.outcome.lower_is_better,
                scale=scale,
                phases=phase_rows(trial, o),
                contrasts=contrast_rows(trial, o),
                responder=responder_row(trial, o),
                randomization=randomization_row(o),
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
            "comparison": versus(trial, c.treatment, c.reference),
            "difference": c.primary.difference.estimate if c.primary else None,
            "ci_low": c.primary.difference.ci_low if c.primary else None,
            "ci_high": c.primary.difference.ci_high if c.primary else None,
            "percent": c.percent_change.estimate if c.percent_change else None,
            "probability": threshold_probability(c, trial.threshold_pct),
            "responder": primary_raw.responder.responder if primary_raw.responder else None,
            "randomization_p": primary_raw.randomization.p_value if primary_raw.randomization else None,
        }
    notes = words.template_notes(protocols.get(trial.template)) if trial.template != protocols.PAIRS else []
    return TrialResult(
        trial=trial,
        schedule=sched,
        headline=headline,
        verdict=verdict,
        outcomes=outcome_views,
        warnings=trial_warnings(trial, raw, sched, chain_bad, digest_ok)
        + (
            [
                Warning_(
                    "analysis_failed",
                    gettext("The days recorded could not be analysed: %(reason)s.") % {"reason": analysis_error},
                )
            ]
            if analysis_error
            else []
        ),
        notes=notes,
        methods=methods_rows(trial, sched, raw, primary_raw),
        chart_svg=chart_svg,
        chart_table=chart_table,
        assessments=assessment_rows(trial, sched, reveal=True),
        amendments=[e for e in entries if e.kind == PreRegistrationEntry.Kind.AMENDED],
        registration=entries[0] if entries else None,
        chain_ok=chain_bad is None,
        chain_broken_at=chain_bad,
        unblindings=unblindings,
        allocation_rows=allocation_rows(trial, sched),
        allocation_digest_ok=digest_ok,
        caveats=[words.caveat(c) for c in raw.caveats] if raw else [str(DISCUSS)],
        discuss=str(DISCUSS),
        raw=raw,
        key_numbers=key,
        short_verdict=one_sentence,
    )


def _symptom_id(trial: Trial, o: OutcomeResult) -> Any:
    """Where the dataset filed this outcome's days: a symptom's id, or a device measure's key."""
    return next(s.pk for s in trial.analysis_outcomes() if s.key == o.outcome.name)


def _label_on(sched: Sequence[ScheduledPhase], day: dt.date) -> str | None:
    placed = next((s for s in sched if s.covers(day)), None)
    return dataset.analysis_label(placed) if placed else None


def assessments_summary(trial: Trial) -> list[dict[str, Any]]:
    kinds = dict(Assessment.Kind.choices)
    out = []
    for kind, label in kinds.items():
        rows = [a for a in trial.assessments.all() if a.kind == kind]
        if rows:
            out.append({"label": label, "unit": unit_label(kind), "rows": rows})
    return out
