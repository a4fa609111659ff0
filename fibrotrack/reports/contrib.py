"""Report sections contributed by other apps, wired here so those apps need not know about reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from fibrotrack.reports import report_sections


def trials_section(user: Any, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    """N-of-1 trial results, when the person has a trial overlapping the period."""
    from fibrotrack.trials.report import build_report_context

    context = report_sections.shared(("trials", user.pk, start, end), lambda: build_report_context(user, start, end))
    return context if context.get("trials") else None


def trial_methods_section(user: Any, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    """The appendix for trials with a result: notes on the data and the CENT methods."""
    context = trials_section(user, start, end)
    if not context:
        return None
    trials = [t for t in context["trials"] if t.get("methods") or t.get("notes")]
    return {"trials": trials} if trials else None


TRIALS = report_sections.ReportSection(
    "trials",
    _("Personal treatment trials"),
    "trials/_report_section.html",
    trials_section,
    order=60,
    own_heading=True,
    help=_("Results of your N-of-1 trials, when there are any in the period."),
)


TRIAL_METHODS = report_sections.ReportSection(
    "trial_methods",
    _("Appendix: trial methods (CENT)"),
    "reports/sections/trial_methods.html",
    trial_methods_section,
    order=92,
    appendix=True,
    help=_("How each trial was run and analysed, for a clinician, after the daily values."),
)
