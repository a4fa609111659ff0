""" "My progress" at a glance: this week against the person's usual, what is running, what seems linked, what next.

Two phone screens at most, for someone with fibro fog: every part is a few
words and one number, the rest is one tap deeper (the details page, the
trial, the treatment). A constant number of queries whatever the amount of
data: the diary's four (``dashboard.load_diary``), the regimens (two), the
running trials (their prefetches) and the latest questionnaire.

The "usual" is the person's own: the median and the middle half (the
interquartile range) of their daily values over the 12 weeks before this
week. A blinded trial shows only what its participant may see
(``trials.display.today_view`` with ``reveal=False``).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fibrotrack.accounts.models import User
from fibrotrack.diary.models import TrackedSymptom
from fibrotrack.reports import associations, dashboard, insights
from fibrotrack.treatments import access as treatment_access
from fibrotrack.treatments import titration
from fibrotrack.trials import access as trial_access
from fibrotrack.trials import display as trial_display
from fibrotrack.trials.models import Trial

WEEK = 7
USUAL_WEEKS = 12
MIN_USUAL_DAYS = 14
MIN_WEEK_DAYS = 3
INSIGHT_DAYS = 365
TOP_INSIGHTS = 3
DOSE_LOOKAHEAD = 7
PHASE_ENDING_DAYS = 3
ACR_EVERY_DAYS = 90


@dataclass
class Cell:
    value: int
    usual: bool
    now: bool


@dataclass
class WeekRow:
    symptom: TrackedSymptom
    mean: float | None
    days: int
    median: float | None
    q1: float | None
    q3: float | None
    verdict: str
    verdict_full: str
    cells: list[Cell]

    @property
    def mean_text(self) -> str:
        return "—" if self.mean is None else number_format(round(self.mean, 1), 1)

    @property
    def usual_text(self) -> str:
        if self.q1 is None or self.q3 is None:
            return _("not enough days yet")
        low, high = number_format(round(self.q1, 1), 1), number_format(round(self.q3, 1), 1)
        return low if low == high else _("%(low)s to %(high)s") % {"low": low, "high": high}


def _verdict(symptom: TrackedSymptom, mean: float | None, cells: list[Cell]) -> tuple[str, str]:
    """(short word, full words), judged on the strip the person sees: the circled cell against the shaded ones."""
    if mean is None:
        return _("too few days"), _("too few days this week to compare")
    shaded = [c.value for c in cells if c.usual]
    if not shaded:
        return _("no usual yet"), _("not enough earlier days for a usual range yet")
    now = round(mean)
    if min(shaded) <= now <= max(shaded):
        return _("as usual"), _("within your usual range")
    better = (now < min(shaded)) == symptom.lower_is_better
    return (_("better"), _("better than usual")) if better else (_("worse"), _("worse than usual"))


def week_rows(data: dashboard.DiaryData, today: dt.date) -> list[WeekRow]:
    """This week (the last 7 days) for each symptom, against the 12 weeks before it."""
    week_start = today - dt.timedelta(days=WEEK - 1)
    usual_start = week_start - dt.timedelta(days=WEEK * USUAL_WEEKS)
    rows = []
    for s in data.symptoms:
        if not s.is_active:
            continue
        values = data.values.get(s.pk, {})
        week = [v for d, v in values.items() if week_start <= d <= today]
        usual = sorted(v for d, v in values.items() if usual_start <= d < week_start)
        mean = statistics.fmean(week) if len(week) >= MIN_WEEK_DAYS else None
        median = q1 = q3 = None
        if len(usual) >= MIN_USUAL_DAYS:
            q1, median, q3 = statistics.quantiles(usual, n=4, method="inclusive")
        cells = [
            Cell(
                v,
                q1 is not None and q3 is not None and q1 - 0.5 < v < q3 + 0.5,
                mean is not None and round(mean) == v,
            )
            for v in range(int(s.scale_min), int(s.scale_max) + 1)
        ]
        rows.append(WeekRow(s, mean, len(week), median, q1, q3, *_verdict(s, mean, cells), cells))
    return rows


@dataclass
class Running:
    text: str
    url: str


@dataclass
class NextStep:
    text: str
    url: str
    action: str


def _dose_text(dose: titration.Dose | None) -> str:
    if dose is None:
        return ""
    if dose.amount is None:
        return _("a planned pause")
    return f"{titration.format_amount(dose.amount)} {dose.unit}"


def treatments(user: User, today: dt.date) -> tuple[list[Running], list[NextStep]]:
    """Regimens in use today, with their plan step, and any dose step due in the coming week."""
    running, steps = [], []
    for r in treatment_access.active_regimens_on(user, today).order_by("treatment__name", "started_on"):
        spec = r.dose_spec()
        dose = titration.expected_dose(spec, today)
        text = r.treatment.name
        if dose is not None:
            text = _("%(name)s, %(dose)s") % {"name": text, "dose": _dose_text(dose)}
            if dose.step is not None and spec.plan is not None and not dose.plan_finished:
                text += ", " + _("step %(step)d of %(steps)d") % {"step": dose.step, "steps": len(spec.plan.steps)}
        url = reverse("treatments:detail", args=[r.pk])
        running.append(Running(text, url))
        for ahead in range(1, DOSE_LOOKAHEAD + 1):
            day = today + dt.timedelta(days=ahead)
            if spec.stop is not None and day > spec.stop:
                break
            upcoming = titration.expected_dose(spec, day)
            if (
                upcoming is not None
                and dose is not None
                and (upcoming.amount, upcoming.unit) != (dose.amount, dose.unit)
            ):
                steps.append(
                    NextStep(
                        _("%(name)s changes to %(dose)s on %(day)s.")
                        % {"name": r.treatment.name, "dose": _dose_text(upcoming), "day": date_format(day, "l j M")},
                        url,
                        _("See the plan"),
                    )
                )
                break
    return running, steps


def trials(user: User, today: dt.date) -> tuple[list[Running], list[NextStep]]:
    """Running trials as their participant sees them: the blind stays sealed."""
    running, steps = [], []
    for trial in trial_access.trials_for_user(user).filter(status=Trial.Status.RUNNING).order_by("start_date"):
        url = reverse("trials:detail", args=[trial.pk])
        last = trial.last_day
        if last is not None and today > last:
            steps.append(NextStep(_("Your trial “%(title)s” has ended.") % {"title": trial.title}, url, _("Finish it")))
            running.append(Running(_("Trial “%(title)s”: ended, waiting to be finished") % {"title": trial.title}, url))
            continue
        view = trial_display.today_view(trial, today, reveal=False)
        if view is None:
            continue
        segment_left = view.segment_days - view.segment_day
        running.append(
            Running(
                ngettext(
                    "Trial “%(title)s”: %(segment)s, day %(day)d of %(days)d, %(left)d day left",
                    "Trial “%(title)s”: %(segment)s, day %(day)d of %(days)d, %(left)d days left",
                    view.left,
                )
                % {
                    "title": trial.title,
                    "segment": view.segment,
                    "day": view.number,
                    "days": view.total,
                    "left": view.left,
                },
                url,
            )
        )
        if segment_left <= PHASE_ENDING_DAYS and view.left > segment_left:
            steps.append(
                NextStep(
                    ngettext(
                        "“%(segment)s” of your trial ends in %(n)d day.",
                        "“%(segment)s” of your trial ends in %(n)d days.",
                        segment_left,
                    )
                    % {"segment": view.segment, "n": segment_left}
                    if segment_left
                    else _("Today is the last day of “%(segment)s” in your trial.") % {"segment": view.segment},
                    url,
                    _("What comes next"),
                )
            )
    return running, steps


def build(user: User, today: dt.date) -> dict[str, object]:
    data = dashboard.load_diary(user, today - dt.timedelta(days=INSIGHT_DAYS - 1), today)
    rows = week_rows(data, today)
    running, steps = treatments(user, today)
    trial_running, trial_steps = trials(user, today)
    running += trial_running
    next_steps: list[NextStep] = []
    if today not in data.logged_days:
        next_steps.append(NextStep(_("Not checked in today."), reverse("diary:today"), _("Check in")))
    next_steps += trial_steps + steps
    latest = dashboard.latest_acr(user, today)
    if data.symptoms and (latest is None or (today - latest.day).days >= ACR_EVERY_DAYS):
        next_steps.append(
            NextStep(
                _("The ACR 2016 questionnaire is due (about every 3 months)."),
                reverse("diary:acr_new"),
                _("Fill it in"),
            )
        )
    focus = dashboard.primary_symptom(data.symptoms)
    linked = None
    if focus is not None:
        found = associations.for_symptom(data, focus, today - dt.timedelta(days=INSIGHT_DAYS - 1), today)
        linked = insights.insights(found, limit=TOP_INSIGHTS)
    return {
        "today": today,
        "week_rows": rows,
        "running": running,
        "next_steps": next_steps,
        "linked": linked,
        "focus": focus,
        "has_data": bool(data.logged_days),
    }
