"""A trial's result in words: phase names, the verdict sentence and the headline.

One convention for a change everywhere (``lib.change``): "21% worse", never a
signed percentage beside "improvement".
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from fibrostats import (
    ContrastResult,
    OutcomeResult,
)
from fibrotrack.lib import change
from fibrotrack.trials import dataset
from fibrotrack.trials.models import Trial
from fibrotrack.trials.words import chance, in_sentence


def fmt(x: float | None, digits: int = 1) -> str:
    """A number as the page shows it (the active language's decimal mark), without a misleading "-0.0"."""
    if x is None:
        return "—"
    value = round(x, digits)
    return number_format(0.0 if value == 0 else value, digits)


def phase_name(trial: Trial, label: str) -> str:
    kind = label.removesuffix(dataset.NOT_COUNTED)
    name = trial.label_for(kind)
    return gettext("%(phase)s (not counted)") % {"phase": name} if label.endswith(dataset.NOT_COUNTED) else name


def threshold_probability(c: ContrastResult, pct: int) -> float | None:
    if c.importance is None:
        return None
    for t in c.importance.thresholds:
        if t.kind == "percent" and t.value == pct:
            return t.probability
    return None


def _direction(x: float) -> str:
    amount = fmt(abs(x))
    return (
        gettext("%(amount)s better") % {"amount": amount} if x > 0 else gettext("%(amount)s worse") % {"amount": amount}
    )


def _difference(trial: Trial, label: str, trt: str, ref: str, diff: float, endpoint_days: int | None) -> str:
    """ "Pain was 1.8 points lower on LDN than on placebo", or over the final days of a condition."""
    points = abs(diff)
    count = 1 if round(points, 1) == 1.0 else 2  # "1.0 point", "0.4 points"
    words_ = {"label": label, "trt": trt, "ref": ref, "points": fmt(points), "days": endpoint_days or 0}
    if endpoint_days is not None:
        words_["label"] = in_sentence(label)
        if diff < 0:
            text = ngettext(
                "Over the final %(days)d days of %(trt)s, %(label)s was %(points)s point lower on %(trt)s than on %(ref)s",
                "Over the final %(days)d days of %(trt)s, %(label)s was %(points)s points lower on %(trt)s than on %(ref)s",
                count,
            )
        else:
            text = ngettext(
                "Over the final %(days)d days of %(trt)s, %(label)s was %(points)s point higher on %(trt)s than on %(ref)s",
                "Over the final %(days)d days of %(trt)s, %(label)s was %(points)s points higher on %(trt)s than on %(ref)s",
                count,
            )
    elif diff < 0:
        text = ngettext(
            "%(label)s was %(points)s point lower on %(trt)s than on %(ref)s",
            "%(label)s was %(points)s points lower on %(trt)s than on %(ref)s",
            count,
        )
    else:
        text = ngettext(
            "%(label)s was %(points)s point higher on %(trt)s than on %(ref)s",
            "%(label)s was %(points)s points higher on %(trt)s than on %(ref)s",
            count,
        )
    return text % words_


def contrast_sentence(trial: Trial, outcome: OutcomeResult, c: ContrastResult, endpoint: bool = False) -> str:
    """E.g. 'Pain was 1.8 points lower on LDN than on placebo (95% CI 1.0 to 2.6), a 31% improvement; ...'."""
    label = outcome.outcome.label
    trt, ref = phase_name(trial, c.treatment), phase_name(trial, c.reference)
    if not c.estimable:
        return gettext("%(label)s on %(trt)s cannot be compared with %(ref)s: one of them has no recorded days.") % {
            "label": label,
            "trt": trt,
            "ref": ref,
        }
    e = c.primary
    if e is None or e.difference.estimate is None:
        return gettext(
            "%(label)s averaged %(trt_mean)s on %(trt)s and %(ref_mean)s on %(ref)s; there are too few recorded "
            "days to say how certain this difference is."
        ) % {
            "label": label,
            "trt_mean": fmt(c.treatment_mean),
            "trt": trt,
            "ref_mean": fmt(c.reference_mean),
            "ref": ref,
        }
    diff: float
    endpoint_days: int | None = None
    if endpoint and c.endpoint is not None and c.endpoint.improvement.estimate is not None:
        imp = c.endpoint.improvement
        pct = c.endpoint.percent_change
        estimate = float(c.endpoint.improvement.estimate)
        diff = -estimate if outcome.outcome.lower_is_better else estimate
        lo_hi = (imp.ci_low, imp.ci_high)
        endpoint_days = c.endpoint.days
    else:
        diff = e.difference.estimate
        lo_hi = (e.improvement.ci_low, e.improvement.ci_high)
        pct = c.percent_change.estimate if c.percent_change else None
    text = _difference(trial, label, trt, ref, diff, endpoint_days)
    lo, hi = lo_hi
    percent = "" if pct is None else f", {change.improvement(pct)}"
    if lo is not None and hi is not None and lo <= 0 <= hi:
        # The percentage belongs to the estimate, so it comes before the caveat about the interval.
        text += percent + gettext(
            "; the 95%% confidence interval runs from %(low)s to %(high)s, so there may be no real difference"
        ) % {"low": _direction(lo), "high": _direction(hi)}
    elif lo is not None and hi is not None:
        a, b = sorted((abs(lo), abs(hi)))
        text += " " + gettext("(95%% CI %(low)s to %(high)s)") % {"low": fmt(a), "high": fmt(b)} + percent
    else:
        text += percent
    prob = threshold_probability(c, trial.threshold_pct)
    if prob is not None:
        text += gettext("; the chance that the true improvement is at least %(pct)d%% is %(chance)s") % {
            "pct": trial.threshold_pct,
            "chance": chance(prob),
        }
    return text + "."


def headline_for(trial: Trial, outcome: OutcomeResult, c: ContrastResult | None) -> str:
    if c is None or not c.estimable or c.primary is None or c.primary.improvement.ci_low is None:
        return gettext("Not enough data for a clear answer.")
    lo, hi = c.primary.improvement.ci_low, c.primary.improvement.ci_high or 0.0
    prob = threshold_probability(c, trial.threshold_pct)
    words_ = {
        "trt": phase_name(trial, c.treatment),
        "ref": phase_name(trial, c.reference),
        "pct": trial.threshold_pct,
        "label": outcome.outcome.label,
    }
    if prob is not None and prob >= 0.8:
        text = gettext("%(trt)s probably helped enough to be worth it by your %(pct)d%% rule (compared with %(ref)s).")
    elif lo > 0:
        text = gettext("%(trt)s probably helped compared with %(ref)s, but perhaps by less than your %(pct)d%% rule.")
    elif hi < 0:
        text = gettext("%(label)s was worse on %(trt)s than on %(ref)s.")
    else:
        text = gettext("No clear difference between %(trt)s and %(ref)s.")
    return text % words_


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
            "chance": chance(prob),
        }
    return text + gettext(", but %(cannot)s.") % words
