"""Report sections contributed by other apps, wired here so those apps need not know about reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fibrotrack.reports import report_sections


def trials_section(user: Any, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    """N-of-1 trial results, when the person has a trial overlapping the period."""
    from fibrotrack.trials.report import build_report_context

    context = build_report_context(user, start, end)
    return context if context.get("trials") else None


TRIALS = report_sections.ReportSection(
    "trials",
    "Personal treatment trials",
    "trials/_report_section.html",
    trials_section,
    order=60,
    own_heading=True,
    help="Results of your N-of-1 trials, when there are any in the period.",
)
