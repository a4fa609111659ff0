"""A plain-language summary of an analysis, for the person who kept the diary.

Every number that is an estimate comes with its uncertainty, probabilities
are rounded to what the data can support ("about 55%"), and the summary ends
with the caveats: association is not cause, a before/after comparison cannot
rule out time, expectation or regression to the mean, and decisions belong
in a conversation with a doctor.
"""

from __future__ import annotations

import textwrap

from .results import (
    AnalysisResult,
    ContrastResult,
    EffectEstimate,
    Notice,
    OutcomeResult,
    RandomizationResult,
    ResponderResult,
)

_WIDTH = 78


def _num(x: float) -> str:
    """One decimal, without a misleading '-0.0'."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def _pct(x: float) -> str:
    return f"{x:.0f}%"


def _better_or_worse(improvement_pct: float, digits: int = 0) -> str:
    """An improvement in words, the number always positive: "21% worse", never "a -21% change"."""
    amount = f"{abs(improvement_pct):.{digits}f}"
    if float(amount) == 0:
        return "no change"
    return f"{amount}% {'better' if improvement_pct > 0 else 'worse'}"


def _range_words(lo: float, hi: float) -> str:
    """An interval of improvements in words: "5% to 35% better", "12% worse to 30% better"."""
    lo, hi = sorted((lo, hi))
    if round(lo) >= 0:
        return f"{_pct(abs(lo))} to {_pct(abs(hi))} better"
    if round(hi) <= 0:
        return f"{_pct(abs(hi))} to {_pct(abs(lo))} worse"
    return f"{_better_or_worse(lo)} to {_better_or_worse(hi)}"


def probability_phrase(p: float) -> str:
    """Round a probability to what a daily diary can support."""
    if p < 0.01:
        return "less than 1%"
    if p > 0.99:
        return "more than 99%"
    if p < 0.1 or p > 0.9:
        return f"about {round(100 * p):.0f}%"
    return f"about {5 * round(20 * p):.0f}%"


def _amount(points: float) -> str:
    """'1.8 points lower' / '0.4 points higher' for treatment minus reference."""
    word = "lower" if points < 0 else "higher"
    mag = abs(points)
    unit = "point" if _num(mag) == "1.0" else "points"
    return f"{_num(mag)} {unit} {word}"


def _points(x: float) -> str:
    return f"{round(x, 1):g}"


def _difference_sentence(c: ContrastResult, e: EffectEstimate, label: str, level: int) -> str:
    """E.g. 'Pain was 1.8 points lower on ldn than on placebo (95% CI 1.0 to 2.6),
    31% better (95% CI 12% to 47% better).'"""
    d = e.difference
    if d.estimate is None:
        return ""
    head = f"{label.capitalize()} was {_amount(d.estimate)} on {c.treatment} than on {c.reference}"
    pc = c.percent_change
    pct = ""
    pct_ci = ""
    if pc is not None and pc.estimate is not None:
        pct = f", {_better_or_worse(pc.estimate)}"
        if pc.ci_low is not None and pc.ci_high is not None:
            pct_ci = _range_words(pc.ci_low, pc.ci_high)
    if d.ci_low is None or d.ci_high is None:
        return f"{head}{pct} (the uncertainty could not be estimated)."
    if d.ci_low < 0 < d.ci_high:
        in_pct = f" ({pct_ci})" if pct_ci else ""
        return (
            f"{head}{pct}, but the {level}% confidence interval runs from "
            f"{_amount(d.ci_low)} to {_amount(d.ci_high)}{in_pct}, so there may be no real difference."
        )
    lo, hi = sorted((abs(d.ci_low), abs(d.ci_high)))
    text = f"{head} ({level}% CI {_num(lo)} to {_num(hi)}){pct}"
    if pct_ci:
        text += f" ({level}% CI {pct_ci})"
    return text + "."


def _contrast_paragraph(c: ContrastResult, outcome: OutcomeResult, level: int) -> str:
    title = f"{c.treatment} compared with {c.reference}"
    label = outcome.outcome.label
    if not c.estimable:
        return f"{title}: cannot be compared because one of the phases has no recorded {label} values."
    parts: list[str] = []
    if c.reference_mean is not None and c.treatment_mean is not None:
        parts.append(
            f"{label.capitalize()} averaged {_num(c.reference_mean)} on {c.reference} and "
            f"{_num(c.treatment_mean)} on {c.treatment}."
        )
    e = c.primary
    if e is None:
        parts.append("There are too few recorded days to say how certain any difference is.")
        return f"{title}: " + " ".join(parts)
    parts.append(_difference_sentence(c, e, label, level))
    imp = c.importance
    if imp is not None:
        probs = [t for t in imp.thresholds if t.probability is not None]
        main = next((t for t in probs if t.key == "moderate_30pct"), probs[0] if probs else None)
        if main is not None and main.probability is not None:
            text = (
                f"The chance that the true improvement is {main.label.split(' (')[0]} is "
                f"{probability_phrase(main.probability)}"
            )
            pts = next((t for t in probs if t.kind == "points" and t is not main), None)
            if pts is not None and pts.probability is not None and pts.threshold_points:
                text += (
                    f"; that it is at least {_points(pts.threshold_points)} points, "
                    f"{probability_phrase(pts.probability)}"
                )
            parts.append(text + " (starting from a cautious assumption that most treatments change little).")
    ep = c.endpoint
    if ep is not None and ep.endpoint_mean is not None and ep.percent_change is not None:
        parts.append(
            f"Over the last {ep.days} recorded days of {c.treatment} {label} averaged "
            f"{_num(ep.endpoint_mean)}, {_better_or_worse(ep.percent_change)} than the {c.reference} average."
        )
    return f"{title}: " + " ".join(parts)


def _responder_paragraph(r: ResponderResult) -> str:
    if r.responder is None or r.percent_change is None:
        return f"Response ({r.threshold_pct:g}% rule, {r.treatment} vs {r.reference}): cannot be decided."
    verdict = "counts as a response" if r.responder else "does not count as a response"
    # One decimal, so that 29.6% is never shown as a "30%" that misses the 30% rule.
    text = (
        f"Response: compared with {r.reference}, {r.treatment} was {_better_or_worse(r.percent_change, 1)}, "
        f"which {verdict} by the {r.threshold_pct:g}% rule used in the low-dose naltrexone studies"
    )
    if r.probability is not None:
        text += (
            f"; the chance that the true improvement is at least {r.threshold_pct:g}% is "
            f"{probability_phrase(r.probability)}"
        )
    return text + "."


def _randomization_paragraph(r: RandomizationResult) -> str:
    if not r.available or r.p_value is None:
        return f"Randomization test: not available ({r.message})."
    text = (
        f"Randomization test: p = {r.p_value:.3g} ({r.message}). If {r.treatment} made no "
        "difference, a result at least this favourable would turn up this often by the luck of the randomization alone."
    )
    if r.can_reach_0_05 is False and r.min_attainable_p is not None:
        text += f" This design cannot give p below {r.min_attainable_p:.3g}, however large the effect."
    return text


def _phase_line(o: OutcomeResult) -> str:
    bits = []
    for p in o.phases:
        avg = "" if p.mean is None else f", average {_num(p.mean)}"
        excl = " (not compared)" if not p.included else ""
        bits.append(f"{p.phase}{excl}: {p.days_observed} of {p.days_planned} days recorded{avg}")
    return "Phases - " + "; ".join(bits) + "."


def _warning_lines(notices: list[Notice]) -> list[str]:
    return [n.message for n in notices if n.severity == "warning"]


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(
        text,
        width=_WIDTH,
        initial_indent=indent,
        subsequent_indent=" " * len(indent) or "  ",
    )


def render_text(result: AnalysisResult) -> str:
    """Plain-language summary of ``result``."""
    level = round(100 * result.ci_level)
    out: list[str] = []
    span = f"{result.first_date.isoformat()} to {result.last_date.isoformat()}"
    out.append(f"FibroTrack analysis of your diary, {span}")
    out.append("")
    for o in result.outcomes:
        info = o.outcome
        direction = "lower is better" if info.lower_is_better else "higher is better"
        out.append(f"{info.label.upper()} (scale {info.scale_min:g}-{info.scale_max:g}, {direction})")
        out.append(_wrap(_phase_line(o)))
        for c in o.contrasts:
            out.append("")
            out.append(_wrap(_contrast_paragraph(c, o, level)))
        if o.responder is not None:
            out.append("")
            out.append(_wrap(_responder_paragraph(o.responder)))
        if o.randomization is not None:
            out.append("")
            out.append(_wrap(_randomization_paragraph(o.randomization)))
        warnings = _warning_lines(o.warnings)
        if warnings:
            out.append("")
            out.append("Please note:")
            out.extend(_wrap(w, "  - ") for w in warnings)
        out.append("")
    general = _warning_lines(result.warnings)
    if general:
        out.append("Please also note:" if any(_warning_lines(o.warnings) for o in result.outcomes) else "Please note:")
        out.extend(_wrap(w, "  - ") for w in general)
        out.append("")
    if result.phases_excluded:
        out.append(
            _wrap("Left out of the comparisons as the protocol asks: " + ", ".join(result.phases_excluded) + ".")
        )
        out.append("")
    out.append("What this can and cannot tell you:")
    out.extend(_wrap(c, "  - ") for c in result.caveats)
    return "\n".join(out) + "\n"
