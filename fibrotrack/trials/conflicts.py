"""A trial on a treatment the person already takes: found before the start, and explained.

The phases before the trial's treatment starts (a baseline, a run-in) are
measured without it. If the person's treatments show that treatment still
being taken then, that stretch is not a baseline and the comparison means
nothing: the check-in would say "baseline: nothing new today" and ask for
today's naltrexone dose in the same breath. So starting such a trial is
refused, with what to do: pause the treatment first.

The trial's treatment is known by the regimens linked to its phases, and by
its name (so "LDN 4.5 mg" finds "Naltrexone (LDN)", alias "LDN").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from fibrotrack.treatments.models import Regimen
from fibrotrack.trials import schedule, words
from fibrotrack.trials.models import Trial


def _day(day: dt.date) -> str:
    return words.format_date(day, "j F")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.casefold()))


def _names(treatment: Any) -> list[set[str]]:
    """Each name the treatment goes by, as a set of words; the part in brackets counts on its own too."""
    names = [treatment.key.replace("_", " "), treatment.name, *treatment.aliases]
    names += re.findall(r"\(([^)]*)\)", treatment.name)
    names.append(re.sub(r"\([^)]*\)", "", treatment.name))
    return [w for n in names if (w := _words(n))]


def names_match(trial_treatment: str, treatment: Any) -> bool:
    """Whether the trial's treatment name names this treatment (every word of one of its names)."""
    said = _words(trial_treatment)
    return any(words <= said for words in _names(treatment))


def before_treatment(trial: Trial, start: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """The stretch from ``start`` until the first phase with the trial's treatment: (first, last day, its label)."""
    phases = sorted(trial.phases.all(), key=lambda p: p.position)
    first = next((i for i, p in enumerate(phases) if p.regimens.all()), None)
    if first is None:
        return None
    block = phases[first].block
    if block is not None:  # a randomized block may run any of its phases first
        first = next(i for i, p in enumerate(phases) if p.block == block)
    if first == 0:
        return None
    laid = schedule.lay_out([p.planned() for p in phases], start)
    return start, laid[first].start - dt.timedelta(days=1), trial.in_sentence(phases[0].kind)


def regimen_conflicts(trial: Trial, start: dt.date) -> list[str]:
    """Why the trial cannot start on ``start`` while its treatment is already being taken (empty when it can)."""
    stretch = before_treatment(trial, start)
    if stretch is None:
        return []
    first, last, label = stretch
    linked = {r.treatment_id for p in trial.phases.all() for r in p.regimens.all()}
    taken = (
        Regimen.objects.filter(user=trial.user, started_on__lte=last)
        .filter(Q(stopped_on=None) | Q(stopped_on__gte=first))
        .select_related("treatment")
        .order_by("started_on")
    )
    problems = []
    for regimen in taken:
        treatment = regimen.treatment
        if treatment.pk not in linked and not names_match(trial.treatment_name, treatment):
            continue
        resume = last + dt.timedelta(days=1)
        if regimen.started_on < first:
            fix = gettext(
                "Pause it first: on its page, stop it with its last day on %(last)s, "
                "and add it again from %(resume)s, linked to the trial, when its treatment phase begins."
            ) % {"last": _day(first - dt.timedelta(days=1)), "resume": _day(resume)}
        else:
            fix = gettext(
                "Let it start when the trial's treatment phase begins: on its page, delete it and add it again "
                "from %(resume)s, then link the new one to the trial."
            ) % {"resume": _day(resume)}
        problems.append(
            gettext(
                "You are taking %(treatment)s (on your Treatments page since %(since)s), and it would still be "
                "going during the %(phase)s (%(first)s to %(last)s). A %(phase)s on %(treatment)s is not a "
                "%(phase)s: the trial would compare it with itself. %(fix)s If you should not pause it, discuss "
                "a different design with your doctor."
            )
            % {
                "treatment": treatment.name,
                "since": words.format_date(regimen.started_on, "j F Y"),
                "phase": label,
                "first": _day(first),
                "last": _day(last),
                "fix": fix,
            }
        )
    return problems


def clash_on(trial: Trial, day: dt.date) -> str:
    """For a running trial: what to say when ``day`` is in a phase meant to be without the trial's treatment
    (a baseline, a washout) and the person's treatments show it taken (empty when all is well).

    A trial started before this was checked, or a regimen added later, would otherwise leave the check-in
    saying "baseline: nothing new today" while asking for today's dose. Blinded phases are never named here.
    """
    current = schedule.phase_on(trial.actual_schedule(), day)
    if current is None or current.phase.blinded:
        return ""
    phases = list(trial.phases.all())
    here = next((p for p in phases if p.position == current.phase.position), None)
    if here is None or here.regimens.all():
        return ""
    linked = {r.treatment_id for p in phases for r in p.regimens.all()}
    taken = (
        Regimen.objects.filter(user=trial.user, started_on__lte=day)
        .filter(Q(stopped_on=None) | Q(stopped_on__gte=day))
        .select_related("treatment")
    )
    names = [
        r.treatment.name for r in taken if r.treatment_id in linked or names_match(trial.treatment_name, r.treatment)
    ]
    if not names:
        return ""
    label = trial.in_sentence(here.kind)
    return gettext(
        "Today is in your trial’s %(phase)s, which is meant to be without %(treatment)s, yet %(treatment)s is on "
        "your treatments today. A %(phase)s on %(treatment)s is not a %(phase)s: pause it on its page until the "
        "trial’s treatment phase, or discuss with your doctor whether this trial still makes sense."
    ) % {"phase": label, "treatment": names[0]}
