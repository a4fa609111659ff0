"""Trials for the printable report (PDF) of a period: ``build_report_context(user, start, end)``.

Returns the person's started trials that overlap the period, each with its
protocol in one line and, once it may be seen, its verdict and key numbers.
A trial that is still blinded is described by its plan only: the allocation,
the per-phase results and anything that depends on which bottle held what
are left out until it is unblinded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext

from fibrotrack.lib import change
from fibrotrack.lib.dates import diary_day
from fibrotrack.trials import access, device_outcomes, display, result, words
from fibrotrack.trials.result_warnings import split_warnings


def _number(x: Any, digits: int = 1) -> str | None:
    return None if x is None else f"{x:.{digits}f}"


def build_report_context(user: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    today = diary_day(user)
    items: list[dict[str, Any]] = []
    trials = (
        access.trials_for_user(user).exclude(status="draft").filter(start_date__lte=end).order_by("start_date", "pk")
    )
    for trial in trials:
        last = trial.last_day
        if last is None or last < start:
            continue
        revealed = access.may_see_allocation(trial, "participant")
        item: dict[str, Any] = {
            "title": trial.display_title,
            "design": words.template_name(trial.template),
            "status": trial.get_status_display(),
            "start": trial.start_date,
            "end": last,
            "blinded": trial.blinded,
            "revealed": revealed,
            "protocol": display.summary_line(trial),
            "primary_outcome": trial.primary_outcome.label,
            "secondary_outcomes": [s.label for s in trial.secondary_outcomes.all()]
            + [o.name for o in device_outcomes.outcomes_of(trial.secondary_measures)],
            "threshold_pct": trial.threshold_pct,
            "stop_reason": trial.stop_reason,
            "verdict": None,
            "headline": None,
            "key_numbers": {},
            "warnings": [],
            "notes": [],
            "methods": [],
        }
        if trial.has_ended(today) and revealed:
            res = result.compute(trial, today)
            urgent, other = split_warnings(res.warnings)
            k = res.key_numbers
            # The difference is treatment minus reference; as an improvement, positive is better.
            better = -1.0 if trial.primary_outcome.lower_is_better else 1.0
            item.update(
                verdict=res.verdict,
                headline=res.headline,
                warnings=[w.message for w in urgent],
                notes=[w.message for w in other],
                methods=res.methods,
                key_numbers={
                    "comparison": k.get("comparison"),
                    "difference": _number(k.get("difference")),
                    "ci_low": _number(k.get("ci_low")),
                    "ci_high": _number(k.get("ci_high")),
                    "difference_words": change.points_change(
                        k.get("difference"), lower_is_better=trial.primary_outcome.lower_is_better
                    ),
                    "difference_ci_words": change.improvement_range(
                        None if k.get("ci_low") is None else better * k["ci_low"],
                        None if k.get("ci_high") is None else better * k["ci_high"],
                        1,
                        points=True,
                    ),
                    # One decimal: clinicians cite it; the words carry the direction.
                    "percent": change.improvement(k.get("percent"), 1),
                    # The web page's wording ("less than 1%"), from the same function.
                    "probability": None if k.get("probability") is None else words.chance(k["probability"]),
                    "responder": k.get("responder"),
                    "randomization_p": None if k.get("randomization_p") is None else f"{k['randomization_p']:.3g}",
                },
            )
        elif not trial.has_ended(today):
            item["note"] = gettext(
                "Still running: no result is shown until it ends, so the remaining days are not swayed."
            )
        else:
            item["note"] = gettext("Ended but still blinded: the result is shown after unblinding.")
        items.append(item)
    return {"trials": items, "start": start, "end": end, "discuss": str(result.DISCUSS)}
