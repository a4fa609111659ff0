"""A trial's result in words: phase names, the verdict sentence and the headline.

One convention for a change everywhere (``lib.change``): "21% worse", never a
signed percentage beside "improvement".
"""

from __future__ import annotations

from django.utils.translation import gettext

from fibrostats import (
    ContrastResult,
    OutcomeResult,
    probability_phrase,
)
from fibrotrack.lib import change
from fibrotrack.trials import dataset
from fibrotrack.trials.models import Trial


def fmt(x: float | None, digits: int = 1) -> str:
    if x is None:
        return "—"
    s = f"{x:.{digits}f}"
    return s[1:] if s.startswith("-0") and float(s) == 0 else s


def phase_name(trial: Trial, label: str) -> str:
    kind = label.removesuffix(dataset.NOT_COUNTED)
    name = trial.label_for(kind)
    return name + (" (not counted)" if label.endswith(dataset.NOT_COUNTED) else "")


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
            f"{label} averaged {fmt(c.treatment_mean)} on {trt} and {fmt(c.reference_mean)} on {ref}; there are "
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
    text = f"{head} {fmt(points)} point{'s' if fmt(points) != '1.0' else ''} {word} on {trt} than on {ref}"
    lo, hi = lo_hi
    percent = "" if pct is None else f", {change.improvement(pct)}"
    if lo is not None and hi is not None and lo <= 0 <= hi:
        # The percentage belongs to the estimate, so it comes before the caveat about the interval.
        text += (
            f"{percent}; the 95% confidence interval runs from {fmt(abs(lo))} {'better' if lo > 0 else 'worse'} to "
            f"{fmt(abs(hi))} {'better' if hi > 0 else 'worse'}, so there may be no real difference"
        )
    elif lo is not None and hi is not None:
        a, b = sorted((abs(lo), abs(hi)))
        text += f" (95% CI {fmt(a)} to {fmt(b)}){percent}"
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


def cannot_tell(trial: Trial, c: ContrastResult) -> str:
    """What this trial cannot tell, the most important limit first."""
    low, high = (c.primary.improvement.ci_low, c.primary.improvement.ci_high) if c.primary else (None, None)
    if low is not None and high is not None and low <= 0 <= high:
        return gettext("it cannot rule out that there was no real difference")
    if not trial.blinded:
        return gettext("it cannot separate the treatment from expecting it to work, because you knew what you took")
    return gettext("it cannot tell whether the change will last after the trial")


def short_verdict(trial: Trial, outcome: OutcomeResult, c: ContrastResult | None) -> str:
    """The verdict in one sentence: what changed, by how much, how sure, and what it cannot tell.

    E.g. "Pain was 21% better on LDN 4.5 mg than on Placebo (1.2 points; likely between 0.4 and 2.0 points
    better), the chance of at least your 30% is about 35%, but it cannot tell whether the change will last
    after the trial." Directions are words (``lib.change``), never signed numbers.
    """
    if c is None or not c.estimable or c.primary is None or c.primary.improvement.estimate is None:
        return ""
    e = c.primary
    words = {
        "label": outcome.outcome.label,
        "trt": phase_name(trial, c.treatment),
        "ref": phase_name(trial, c.reference),
        "points": change.improvement(e.improvement.estimate, 1, points=True),
        "range": change.improvement_range(e.improvement.ci_low, e.improvement.ci_high, 1, points=True),
        "cannot": cannot_tell(trial, c),
    }
    pct = c.percent_change.estimate if c.percent_change else None
    if pct is not None and round(abs(pct)) > 0:
        words["change"] = change.improvement(pct)
        text = gettext("%(label)s was %(change)s on %(trt)s than on %(ref)s (%(points)s; likely %(range)s)") % words
    else:
        text = gettext("%(label)s was %(points)s on %(trt)s than on %(ref)s (likely %(range)s)") % words
    prob = threshold_probability(c, trial.threshold_pct)
    if prob is not None:
        text += gettext(", the chance of at least your %(pct)d%% improvement is %(chance)s") % {
            "pct": trial.threshold_pct,
            "chance": probability_phrase(prob),
        }
    return text + gettext(", but %(cannot)s.") % words
