"""Study-level analysis: many participants, one protocol (docs/analysis-methods.md, section 8).

The input is plain data, one row per participant-day: a participant id, the
day (dates or integer day numbers), the *condition* the day belonged to
(``baseline``, ``placebo``, ``ldn``, ``washout``...) and one column per
outcome (NaN = missing).  Nothing here knows about Django; FibroTrack's
studies app builds the frame from the locked dataset and stores
``StudyResult.to_dict()``.

Pieces (each usable on its own):

* :func:`pooled_contrast` - the pooled treatment contrast with participant
  random effects and per-person AR(1) errors (:func:`~fibrostats.series.pooled_series`),
  with each participant's own estimate for a forest plot and tau;
* :func:`participant_changes`, :func:`responders`, :func:`percent_change_summary`
  - the pilot's reporting (Younger & Mackey 2009): per-person percent change
  against the comparison condition, responders at >= 30%, and the mean
  percent change with its interval;
* :func:`crossover_check` - period and sequence (carry-over) effects of a
  counterbalanced crossover;
* :func:`analyze_study` - all of the above for every outcome, plus the lab
  measures (:mod:`fibrostats.lab`) and the blinding index
  (:mod:`fibrostats.blinding`), in one JSON-able result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ._version import __version__
from .blinding import BlindingResult, bang_blinding_index
from .contrasts import t_quantile, t_two_sided_p
from .lab import LabMeasureResult, LabMeasureSpec, lab_by_phase
from .results import SCHEMA_VERSION, Interval, JSONValue, to_jsonable
from .series import MIN_DAYS_PER_ARM, Method, pooled_series
from .types import AnalysisInputError, OutcomeSpec

DEFAULT_RESPONDER_PCT = 30.0


def _as_dict(obj: object) -> dict[str, JSONValue]:
    out = to_jsonable(obj)
    if not isinstance(out, dict):  # pragma: no cover - dataclasses map to dicts
        raise TypeError("unexpected serialisation")
    return out


def wilson_interval(successes: int, n: int, ci_level: float = 0.95) -> Interval:
    """A proportion with Wilson's score interval (Wilson 1927); ``None`` for ``n = 0``."""
    if n <= 0:
        return Interval(None, None, None)
    z = float(stats.norm.ppf(0.5 + ci_level / 2))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def _t_interval(values: np.ndarray, ci_level: float) -> tuple[Interval, float | None]:
    """Mean with a one-sample t interval, and the sd."""
    n = values.size
    if n == 0:
        return Interval(None, None, None), None
    mean = float(values.mean())
    if n < 2:
        return Interval(mean, None, None), None
    sd = float(values.std(ddof=1))
    half = t_quantile(n - 1, ci_level) * sd / math.sqrt(n)
    return Interval(mean, mean - half, mean + half), sd


def _columns(df: pd.DataFrame, *names: str | None) -> None:
    missing = [c for c in names if c is not None and c not in df.columns]
    if missing:
        raise AnalysisInputError(f"missing column(s): {', '.join(missing)}", column=missing[0])


# --- 1. the pooled contrast ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForestRow:
    """One participant's own estimate (treatment - reference), for a forest plot."""

    participant: str
    n_days: int
    n_treatment: int
    n_reference: int
    estimate: float
    ci_low: float | None
    ci_high: float | None
    rho: float | None
    shrunken: float


@dataclass(frozen=True)
class StudyContrast:
    outcome: str
    reference: str
    treatment: str
    method: str
    n_participants: int
    effect: Interval
    improvement: Interval
    se: float
    df: float
    p_value: float | None
    tau: float
    i_squared: float | None
    prediction_interval: Interval | None
    forest: list[ForestRow]
    excluded: dict[str, str]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, JSONValue]:
        return _as_dict(self)


def pooled_contrast(
    diary: pd.DataFrame,
    outcome: OutcomeSpec,
    *,
    treatment: str,
    reference: str,
    participant: str = "participant",
    condition: str = "condition",
    time: str | None = "date",
    ci_level: float = 0.95,
    method: Method = "two-stage",
) -> StudyContrast:
    """Treatment vs reference, pooled over participants (two-stage AR(1) random-effects model;
    ``method="mixedlm"`` gives the one-stage cross-check of section 8).

    Days of other conditions (baseline, washout...) are left out; their dates
    stay gaps in each person's AR(1) time axis.  Raises ``AnalysisInputError``
    when fewer than two participants have usable data.
    """
    _columns(diary, participant, condition, outcome.name, time)
    rows = diary.loc[
        diary[condition].isin([treatment, reference]), [c for c in (participant, condition, outcome.name, time) if c]
    ]
    res = pooled_series(
        rows,
        participant=participant,
        treatment=condition,
        outcome=outcome.name,
        time=time,
        treated_value=treatment,
        control_value=reference,
        lower_is_better=outcome.lower_is_better,
        method=method,
        ci_level=ci_level,
    )
    forest = []
    for p in res.persons:
        lo: float | None = None
        hi: float | None = None
        if p.df is not None and p.se > 0:
            half = t_quantile(p.df, ci_level) * p.se
            lo, hi = p.estimate - half, p.estimate + half
        forest.append(
            ForestRow(p.participant, p.n_days, p.n_treated, p.n_control, p.estimate, lo, hi, p.rho, p.shrunken)
        )
    return StudyContrast(
        outcome=outcome.name,
        reference=reference,
        treatment=treatment,
        method=res.method,
        n_participants=res.n_participants,
        effect=res.effect,
        improvement=res.improvement,
        se=res.se,
        df=res.df,
        p_value=res.p_value,
        tau=res.between_person_sd,
        i_squared=res.i_squared,
        prediction_interval=res.prediction_interval,
        forest=forest,
        excluded=res.excluded,
        notes=res.notes,
    )


# --- 2-3. per-person percent change, responders, the pilot's reporting --------------------------------------


@dataclass(frozen=True)
class ParticipantChange:
    participant: str
    n_reference: int
    n_treatment: int
    reference_mean: float | None
    treatment_mean: float | None
    percent_change: float | None
    responder: bool | None
    reason: str | None


def participant_changes(
    diary: pd.DataFrame,
    outcome: OutcomeSpec,
    *,
    treatment: str,
    reference: str,
    participant: str = "participant",
    condition: str = "condition",
    threshold_pct: float = DEFAULT_RESPONDER_PCT,
) -> list[ParticipantChange]:
    """Each participant's percent improvement on ``treatment`` over ``reference``.

    ``percent = 100 * direction * (mean_T - mean_R) / (mean_R - scale_min)``
    on the observed daily means (the published formula on a 0-10 scale);
    a responder improves by at least ``threshold_pct``.  A participant with
    fewer than two observed days in either condition, or whose reference
    level is at the scale floor, is not classified (``reason`` says why).
    """
    _columns(diary, participant, condition, outcome.name)
    rows = diary.loc[diary[condition].isin([treatment, reference]), [participant, condition, outcome.name]]
    y = pd.to_numeric(rows[outcome.name], errors="coerce")
    rows = rows.assign(**{outcome.name: y}).dropna(subset=[outcome.name])
    people = pd.unique(diary[participant].astype(str))
    agg = rows.groupby([rows[participant].astype(str), condition])[outcome.name].agg(["mean", "count"])
    direction = -1.0 if outcome.lower_is_better else 1.0
    floor_tol = 1e-9 * max(outcome.scale_max - outcome.scale_min, 1.0)
    out = []
    for pid in sorted(people):
        n_r = int(agg["count"].get((pid, reference), 0))
        n_t = int(agg["count"].get((pid, treatment), 0))
        m_r = float(agg["mean"][(pid, reference)]) if n_r else None
        m_t = float(agg["mean"][(pid, treatment)]) if n_t else None
        pct: float | None = None
        reason: str | None = None
        if n_r < MIN_DAYS_PER_ARM or n_t < MIN_DAYS_PER_ARM or m_r is None or m_t is None:
            reason = f"too few days ({n_t} {treatment}, {n_r} {reference})"
        elif m_r - outcome.scale_min <= floor_tol:
            reason = "reference level at the scale floor: percent change undefined"
        else:
            pct = 100.0 * direction * (m_t - m_r) / (m_r - outcome.scale_min)
        responder = None if pct is None else bool(pct >= threshold_pct - 1e-9)
        out.append(ParticipantChange(pid, n_r, n_t, m_r, m_t, pct, responder, reason))
    return out


@dataclass(frozen=True)
class ResponderSummary:
    outcome: str
    reference: str
    treatment: str
    threshold_pct: float
    n_classified: int
    n_responders: int
    proportion: Interval
    not_classified: list[ParticipantChange]


def responders(
    changes: Sequence[ParticipantChange],
    *,
    outcome: str,
    treatment: str,
    reference: str,
    threshold_pct: float = DEFAULT_RESPONDER_PCT,
    ci_level: float = 0.95,
) -> ResponderSummary:
    """Count responders among the classified participants, with a Wilson interval for the proportion."""
    classified = [c for c in changes if c.responder is not None]
    k = sum(1 for c in classified if c.responder)
    return ResponderSummary(
        outcome=outcome,
        reference=reference,
        treatment=treatment,
        threshold_pct=threshold_pct,
        n_classified=len(classified),
        n_responders=k,
        proportion=wilson_interval(k, len(classified), ci_level),
        not_classified=[c for c in changes if c.responder is None],
    )


@dataclass(frozen=True)
class PercentChangeSummary:
    """The pilot's reporting: percent improvement on the treatment vs the reference, over participants."""

    outcome: str
    reference: str
    treatment: str
    n: int
    mean: Interval
    sd: float | None
    median: float | None
    percent_of_means: float | None


def percent_change_summary(
    changes: Sequence[ParticipantChange],
    outcome: OutcomeSpec,
    *,
    treatment: str,
    reference: str,
    ci_level: float = 0.95,
) -> PercentChangeSummary:
    """Mean (t interval) and median of the participants' percent changes, and the
    percent change of the group means (``percent_of_means``, a point estimate)."""
    pct = np.array([c.percent_change for c in changes if c.percent_change is not None], dtype=np.float64)
    mean, sd = _t_interval(pct, ci_level)
    usable = [c for c in changes if c.percent_change is not None]
    pom = None
    if usable:
        m_r = float(np.mean([c.reference_mean for c in usable]))
        m_t = float(np.mean([c.treatment_mean for c in usable]))
        direction = -1.0 if outcome.lower_is_better else 1.0
        pom = 100.0 * direction * (m_t - m_r) / (m_r - outcome.scale_min) if m_r > outcome.scale_min else None
    return PercentChangeSummary(
        outcome=outcome.name,
        reference=reference,
        treatment=treatment,
        n=int(pct.size),
        mean=mean,
        sd=sd,
        median=float(np.median(pct)) if pct.size else None,
        percent_of_means=pom,
    )


# --- 5. crossover: period and sequence (carry-over) ---------------------------------------------------------


@dataclass(frozen=True)
class PeriodEffect:
    period: int
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float


@dataclass(frozen=True)
class SequenceCount:
    sequence: str
    n: int


@dataclass(frozen=True)
class CrossoverCheck:
    outcome: str
    reference: str
    treatment: str
    n_participants: int
    sequences: list[SequenceCount]
    counterbalanced: bool
    treatment_effect: Interval | None
    period_effects: list[PeriodEffect]
    carryover: Interval | None
    carryover_p_value: float | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, JSONValue]:
        return _as_dict(self)


def _period_means(
    diary: pd.DataFrame,
    outcome: str,
    treatment: str,
    reference: str,
    participant: str,
    condition: str,
    time: str | None,
    period: str | None,
) -> pd.DataFrame:
    """One row per participant and period: its condition and mean."""
    cols = [c for c in (participant, condition, outcome, time, period) if c]
    rows = diary.loc[diary[condition].isin([treatment, reference]), cols].copy()
    rows["_pid"] = rows[participant].astype(str)
    if period is None:
        # Periods are the runs of one condition in each person's own time order.
        if time is not None:
            rows = rows.sort_values(["_pid", time], kind="stable")
        change = (rows[condition] != rows.groupby("_pid")[condition].shift()).astype(int)
        rows["_period"] = change.groupby(rows["_pid"]).cumsum()
    else:
        rows["_period"] = pd.to_numeric(rows[period], errors="coerce")
        rows = rows.dropna(subset=["_period"])
        rows["_period"] = rows["_period"].astype(int)
    rows["_y"] = pd.to_numeric(rows[outcome], errors="coerce")
    per = rows.groupby(["_pid", "_period"], sort=True).agg(
        cond=(condition, "first"), n_cond=(condition, "nunique"), y=("_y", "mean")
    )
    if (per["n_cond"] > 1).any():
        raise AnalysisInputError("a period holds more than one condition")
    return per.reset_index()


def crossover_check(
    diary: pd.DataFrame,
    outcome: OutcomeSpec,
    *,
    treatment: str,
    reference: str,
    participant: str = "participant",
    condition: str = "condition",
    time: str | None = "date",
    period: str | None = None,
    ci_level: float = 0.95,
) -> CrossoverCheck:
    """Period effects and the sequence (carry-over) comparison of a crossover.

    Summary-measure analysis on each participant's period means ``m_ij``
    (valid whatever the day-to-day autocorrelation, since the variance is
    estimated between people): ``m_ij = a_i + b * treated_ij + g_j + e_ij``
    with participant fixed effects, period effects ``g_j`` relative to the
    first period, by least squares.  For two periods this is the classical
    2 x 2 crossover analysis.  Carry-over (a sequence effect) compares the
    participants' mean over periods between two sequences (Grizzle 1965), or
    gives a one-way ANOVA p-value for more; it has low power and should be
    reported, not used to choose the analysis (Senn 2002).  Periods are the
    runs of one condition in time order unless a ``period`` column is named
    (needed when adjacent periods have the same condition, e.g. ABBA).
    """
    _columns(diary, participant, condition, outcome.name, time, period)
    per = _period_means(diary, outcome.name, treatment, reference, participant, condition, time, period)
    per = per.dropna(subset=["y"])
    seq = per.groupby("_pid")["cond"].agg(lambda s: "-".join(map(str, s)))
    counts = seq.value_counts().sort_index()
    sequences = [SequenceCount(str(s), int(n)) for s, n in counts.items()]
    notes: list[str] = []
    # Participants with at least two periods and both conditions carry within-person information.
    n_cond = per.groupby("_pid")["cond"].nunique()
    both = set(n_cond.index[n_cond == 2])
    use = per[per["_pid"].isin(both)].copy()
    n_people = len(both)
    counterbalanced = len({seq[p] for p in both}) >= 2
    empty = CrossoverCheck(outcome.name, reference, treatment, n_people, sequences, False, None, [], None, None, notes)
    if n_people < 2:
        notes.append("Fewer than two participants have both conditions: nothing to check.")
        return empty
    if not counterbalanced:
        notes.append(
            "Every participant had the conditions in the same order: period (time) effects cannot be "
            "separated from the treatment effect, so the contrast includes any change over time."
        )
        return empty
    periods = sorted(int(p) for p in use["_period"].unique())
    x_cols = [(use["cond"] == treatment).to_numpy(dtype=np.float64)]
    x_cols += [(use["_period"] == p).to_numpy(dtype=np.float64) for p in periods[1:]]
    x = np.column_stack(x_cols)
    y = use["y"].to_numpy(dtype=np.float64)
    # Participant fixed effects by centring within participant (the within estimator).
    codes = pd.factorize(use["_pid"])[0]
    counts_i = np.bincount(codes)
    y_c = y - (np.bincount(codes, weights=y) / counts_i)[codes]
    x_c = x - np.column_stack([np.bincount(codes, weights=x[:, j]) / counts_i for j in range(x.shape[1])])[codes]
    df_res = y.size - n_people - x.shape[1]
    if df_res < 1 or np.linalg.matrix_rank(x_c) < x.shape[1]:
        notes.append("The periods and conditions are not balanced enough to separate period effects.")
        return empty
    xtx_inv = np.linalg.inv(x_c.T @ x_c)
    beta = xtx_inv @ x_c.T @ y_c
    resid = y_c - x_c @ beta
    s2 = float(resid @ resid) / df_res
    se = np.sqrt(np.maximum(np.diag(xtx_inv) * s2, 0.0))
    q = t_quantile(df_res, ci_level)

    def _ci(j: int) -> tuple[float, float, float, float]:
        b, s = float(beta[j]), float(se[j])
        return b, b - q * s, b + q * s, (t_two_sided_p(b / s, df_res) if s > 0 else 1.0)

    est, lo, hi, _ = _ci(0)
    period_effects = [PeriodEffect(p, *_ci(j + 1)) for j, p in enumerate(periods[1:])]
    # Carry-over: each participant's mean over their periods, compared between sequences.
    person_mean = use.groupby("_pid")["y"].mean()
    groups = {
        s: person_mean[[p for p in person_mean.index if seq[p] == s]].to_numpy() for s in sorted({seq[p] for p in both})
    }
    carry: Interval | None = None
    carry_p: float | None = None
    sizes = [g.size for g in groups.values()]
    if len(groups) == 2 and min(sizes) >= 2:
        (s1, g1), (s2, g2) = groups.items()
        t = stats.ttest_ind(g1, g2, equal_var=True)
        dfc = g1.size + g2.size - 2
        pooled = ((g1.size - 1) * g1.var(ddof=1) + (g2.size - 1) * g2.var(ddof=1)) / dfc
        diff = float(g1.mean() - g2.mean())
        half = t_quantile(dfc, ci_level) * math.sqrt(pooled * (1 / g1.size + 1 / g2.size))
        carry = Interval(diff, diff - half, diff + half)
        carry_p = float(t.pvalue) if math.isfinite(float(t.pvalue)) else None
        notes.append(f"Carry-over: mean over periods, sequence {s1} minus sequence {s2}.")
    elif len(groups) > 2 and min(sizes) >= 2:
        carry_p = float(stats.f_oneway(*groups.values()).pvalue)
        notes.append("Carry-over: one-way ANOVA of each participant's mean over periods across sequences.")
    notes.append(
        "The carry-over comparison is between participants and has little power; report it, but do "
        "not use it to choose the analysis (Senn 2002). Washouts are the protection against carry-over."
    )
    return CrossoverCheck(
        outcome.name,
        reference,
        treatment,
        n_people,
        sequences,
        True,
        Interval(est, lo, hi),
        period_effects,
        carry,
        carry_p,
        notes,
    )


# --- everything together ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudyOutcomeResult:
    outcome: OutcomeSpec
    contrasts: list[StudyContrast]
    changes: list[ParticipantChange]
    responders: ResponderSummary | None
    percent_change: list[PercentChangeSummary]
    crossover: CrossoverCheck | None
    notes: list[str]


@dataclass(frozen=True)
class StudyResult:
    schema_version: str
    package_version: str
    treatment: str
    placebo: str | None
    baseline: str | None
    responder_reference: str | None
    responder_threshold_pct: float
    ci_level: float
    n_participants: int
    outcomes: list[StudyOutcomeResult]
    lab: list[LabMeasureResult]
    blinding: BlindingResult | None
    notes: list[str]

    def to_dict(self) -> dict[str, JSONValue]:
        return _as_dict(self)


def analyze_study(
    diary: pd.DataFrame,
    outcomes: Sequence[OutcomeSpec],
    *,
    treatment: str,
    placebo: str | None = "placebo",
    baseline: str | None = "baseline",
    participant: str = "participant",
    condition: str = "condition",
    time: str | None = "date",
    period: str | None = None,
    responder_threshold_pct: float = DEFAULT_RESPONDER_PCT,
    responder_reference: str | None = None,
    ci_level: float = 0.95,
    lab: pd.DataFrame | None = None,
    lab_measures: Sequence[LabMeasureSpec] = (),
    guesses: pd.DataFrame | None = None,
) -> StudyResult:
    """The pre-registered study analysis on a locked dataset.

    For each outcome: the pooled contrast of ``treatment`` against
    ``placebo`` and against ``baseline`` (each only when that condition is in
    the data), the per-person percent changes and responders against
    ``responder_reference`` (default: placebo when present, else baseline),
    the mean percent change against each reference, and, when the treatment
    and placebo came in different orders, the crossover check.  ``lab``
    (columns participant, condition, measure, value) is summarised per phase
    for ``lab_measures``; ``guesses`` (columns ``actual``, ``guess``) gives
    Bang's blinding index.  A contrast that cannot be estimated is left out
    with a note; invalid input raises ``AnalysisInputError``.
    """
    _columns(diary, participant, condition, time, period, *[o.name for o in outcomes])
    if not outcomes:
        raise AnalysisInputError("name at least one outcome")
    present = set(diary[condition].dropna().astype(str))
    if treatment not in present:
        raise AnalysisInputError(f"no days of the treatment condition {treatment!r}", column=condition)
    plc = placebo if placebo in present else None
    base = baseline if baseline in present else None
    references = [r for r in (plc, base) if r is not None]
    resp_ref = responder_reference or (references[0] if references else None)
    notes: list[str] = []
    results = []
    for spec in outcomes:
        o_notes: list[str] = []
        contrasts = []
        for ref in references:
            try:
                contrasts.append(
                    pooled_contrast(
                        diary,
                        spec,
                        treatment=treatment,
                        reference=ref,
                        participant=participant,
                        condition=condition,
                        time=time,
                        ci_level=ci_level,
                    )
                )
            except AnalysisInputError as exc:
                o_notes.append(f"{treatment} vs {ref}: not estimable ({exc}).")
        changes: list[ParticipantChange] = []
        resp = None
        if resp_ref is not None:
            changes = participant_changes(
                diary,
                spec,
                treatment=treatment,
                reference=resp_ref,
                participant=participant,
                condition=condition,
                threshold_pct=responder_threshold_pct,
            )
            resp = responders(
                changes,
                outcome=spec.name,
                treatment=treatment,
                reference=resp_ref,
                threshold_pct=responder_threshold_pct,
                ci_level=ci_level,
            )
        pct = []
        for ref in references:
            ch = (
                changes
                if ref == resp_ref
                else participant_changes(
                    diary,
                    spec,
                    treatment=treatment,
                    reference=ref,
                    participant=participant,
                    condition=condition,
                    threshold_pct=responder_threshold_pct,
                )
            )
            pct.append(percent_change_summary(ch, spec, treatment=treatment, reference=ref, ci_level=ci_level))
        cross = None
        if plc is not None:
            cross = crossover_check(
                diary,
                spec,
                treatment=treatment,
                reference=plc,
                participant=participant,
                condition=condition,
                time=time,
                period=period,
                ci_level=ci_level,
            )
        results.append(StudyOutcomeResult(spec, contrasts, changes, resp, pct, cross, o_notes))
    lab_results: list[LabMeasureResult] = []
    if lab is not None and lab_measures:
        lab_results = lab_by_phase(lab, lab_measures, treatment=treatment, references=references, ci_level=ci_level)
    blinding = None
    if guesses is not None:
        _columns(guesses, "actual", "guess")
        g = [None if pd.isna(v) else str(v) for v in guesses["guess"]]
        blinding = bang_blinding_index([str(a) for a in guesses["actual"]], g, ci_level=ci_level)
    if plc is None:
        notes.append(
            "No placebo condition: the comparison with baseline cannot separate the drug from expectation or time."
        )
    return StudyResult(
        schema_version=SCHEMA_VERSION,
        package_version=__version__,
        treatment=treatment,
        placebo=plc,
        baseline=base,
        responder_reference=resp_ref,
        responder_threshold_pct=responder_threshold_pct,
        ci_level=ci_level,
        n_participants=int(diary[participant].nunique()),
        outcomes=results,
        lab=lab_results,
        blinding=blinding,
        notes=notes,
    )
