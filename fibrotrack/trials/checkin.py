"""The trials part of the daily check-in: which trial day it is, and the primary outcome first.

Registered with ``fibrotrack.diary.checkin_sections`` in ``TrialsConfig.ready()``. It
asks nothing of its own (adherence is answered in the treatments section);
its form is empty, so it never blocks a save. It shows the trial day and
today's container letter above the symptoms, and ``leading_symptoms`` tells
the diary to ask the trial's primary outcome (then its secondary outcomes)
first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms

from fibrotrack.trials import access, display
from fibrotrack.trials.conflicts import clash_on

if TYPE_CHECKING:
    from fibrotrack.diary.models import CheckIn


class TrialBanner(forms.Form):
    """No fields: a carrier for what the template shows."""

    def __init__(self, data: Mapping[str, Any] | None, *, items: list[dict[str, Any]]) -> None:
        super().__init__(data, prefix="trial")
        self.items = items


def running_on(user: Any, day: dt.date) -> list[Any]:
    """Trials running on ``day``; remembered on the user object for the request, as the check-in asks twice."""
    memo: dict[dt.date, list[Any]] = user.__dict__.setdefault("_trials_running_on", {})
    if day not in memo:
        # A cheap probe first: most people have no trial running, and the full
        # query (three joins and the phases) costs more than the rest of a check-in.
        if not access.has_trial_running_on(user, day):
            memo[day] = []
            return memo[day]
        trials = access.trials_for_user(user).filter(status="running", start_date__lte=day)
        memo[day] = [t for t in trials if t.last_day is not None and day <= t.last_day]
    return memo[day]


class TrialSection:
    key = "trials"
    order = -10  # before the symptoms
    template_name = "trials/_checkin_section.html"

    def get_form(self, user: Any, day: dt.date, data: Mapping[str, Any] | None) -> TrialBanner | None:
        trials = running_on(user, day)
        if not trials:
            return None
        items = [
            {
                "trial": t,
                "today": display.today_view(t, day, reveal=access.may_see_allocation(t, "participant")),
                "clash": clash_on(t, day),
            }
            for t in trials
        ]
        return TrialBanner(data, items=items)

    def save(self, user: Any, day: dt.date, checkin: CheckIn, form: forms.Form) -> bool:
        """Nothing to save: the scores are the diary's own."""
        return False

    def leading_symptoms(self, user: Any, day: dt.date) -> list[int]:
        out: list[int] = []
        for trial in running_on(user, day):
            for symptom in trial.outcomes():
                if symptom.pk not in out:
                    out.append(symptom.pk)
        return out


SECTION = TrialSection()
