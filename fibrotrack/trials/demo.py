"""A demo trial that fits the diary and treatment demo data: the LDN pilot design, blinded.

The treatments demo starts the trial capsules (matched placebo or LDN 4.5 mg)
on ``ldn_start`` and stops them after the LDN phase. Here the person ran that
as a single-blind trial with a pharmacist as custodian: 14 days of baseline
before ``ldn_start``, then the capsules (placebo for 14 days, LDN for 56),
then 14 days of washout, with assessments every two weeks. The trial
finished as planned and was unblinded at the end. When the demo period is
too short for that, the trial is still running and blinded. The diary
demo's values are not made to improve: the result is whatever the diary
shows, as it would be for a real person.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from fibrotrack.accounts.models import User
from fibrotrack.diary.models import TrackedSymptom
from fibrotrack.treatments.models import Regimen
from fibrotrack.trials import protocols
from fibrotrack.trials.actions import append_entry, plan_snapshot
from fibrotrack.trials.models import Allocation, Assessment, Phase, PreRegistrationEntry, Trial, UnblindingEvent
from fibrotrack.trials.schedule import end_date
from fibrotrack.trials.sealing import allocation_digest, draw_allocation

CUSTODIAN_EMAIL = "pharmacist.demo@example.org"


def _custodian() -> User:
    user, created = User.objects.get_or_create(email=CUSTODIAN_EMAIL, defaults={"display_name": "PharmacistPat"})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def build(user: User, start: dt.date, end: dt.date, rng: random.Random) -> str:
    Trial.objects.filter(user=user).delete()
    # The first LDN regimen is the trial capsules; a later one is LDN taken openly after the trial.
    ldn = Regimen.objects.filter(user=user, treatment__key="naltrexone").order_by("started_on").first()
    pain = TrackedSymptom.objects.filter(user=user, key="pain").first()
    if ldn is None or pain is None:
        return "no trial (the demo has no LDN or no pain diary)"
    template = protocols.ldn_pilot()
    trial_start = ldn.started_on - dt.timedelta(days=14)
    trial = Trial.objects.create(
        user=user,
        title="LDN pilot design: is LDN helping my pain?",
        template=template.key,
        blinded=True,
        treatment_name="LDN 4.5 mg",
        primary_outcome=pain,
        comparisons=[list(c) for c in template.comparisons],
        assessment_every_days=14,
        custodian=_custodian(),
        had_custodian=True,
    )
    trial.secondary_outcomes.set(TrackedSymptom.objects.filter(user=user, key__in=["fatigue", "sleep_quality"]))
    for position, spec in enumerate(template.phases, start=1):
        phase = Phase.objects.create(
            trial=trial,
            position=position,
            kind=spec.kind,
            days=spec.days,
            counts_in_analysis=spec.counts,
            blinded=spec.blinded,
        )
        if spec.kind in (protocols.PLACEBO, protocols.TREATMENT):
            phase.regimens.set([ldn])
    trial.start_date = trial_start
    trial.started_at = _at(trial_start - dt.timedelta(days=1))
    trial.status = Trial.Status.RUNNING
    trial.save()
    payload = draw_allocation(trial.planned())
    Allocation.objects.create(
        trial=trial, payload=payload, digest=allocation_digest(payload), created_at=trial.started_at
    )
    snapshot = plan_snapshot(trial)
    snapshot["allocation_seal"] = allocation_digest(payload)
    snapshot["planned_end"] = end_date(trial_start, trial.planned()).isoformat()
    append_entry(trial, PreRegistrationEntry.Kind.REGISTERED, "", snapshot, at=trial.started_at)

    trial_end = end_date(trial_start, trial.planned())  # the last day of the washout
    finished = trial_end < end
    last = trial_end if finished else end
    visits = []
    day = trial_start
    while day <= last:
        weeks_on = max((day - ldn.started_on).days - 14, 0) / 7
        visits += [
            Assessment(
                trial=trial,
                measured_on=day,
                kind="pressure_kpa",
                value=Decimal(str(round(190 + 4 * weeks_on + rng.gauss(0, 18)))),
                site="right trapezius",
                entered_role="custodian",
                created_at=_at(day, 15),
            ),
            Assessment(
                trial=trial,
                measured_on=day,
                kind="heat_c",
                value=Decimal(str(round(43.5 + 0.1 * weeks_on + rng.gauss(0, 0.6), 1))),
                entered_role="custodian",
                created_at=_at(day, 15),
            ),
            Assessment(
                trial=trial,
                measured_on=day,
                kind="cold_c",
                value=Decimal(str(round(19 - 0.2 * weeks_on + rng.gauss(0, 1.5), 1))),
                entered_role="custodian",
                created_at=_at(day, 15),
            ),
        ]
        seconds = round(60 + 6 * weeks_on + rng.gauss(0, 15))
        capped = seconds >= 180
        visits.append(
            Assessment(
                trial=trial,
                measured_on=day,
                kind="cold_pressor_s",
                value=Decimal(min(seconds, 180)),
                censored=capped,
                cap=Decimal(180) if capped else None,
                entered_role="custodian",
                created_at=_at(day, 15),
            )
        )
        day += dt.timedelta(days=14)
    Assessment.objects.bulk_create(visits)
    if not finished:
        return f"LDN pilot trial from {trial_start:%-d %B}, running and blinded"
    trial.status = Trial.Status.FINISHED
    trial.ended_at = _at(trial_end + dt.timedelta(days=1), 18)
    trial.save()
    UnblindingEvent.objects.create(
        trial=trial,
        kind=UnblindingEvent.Kind.END,
        by=user,
        by_role="participant",
        day=trial_end + dt.timedelta(days=1),
        created_at=min(trial.ended_at, timezone.now()),
    )
    return (
        f"LDN pilot trial {trial_start:%-d %B} to {trial_end:%-d %B}, finished and unblinded, {len(visits)} lab results"
    )
