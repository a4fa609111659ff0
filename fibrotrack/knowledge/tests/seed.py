"""Sharing people with a known diary, in bulk (a few queries per person), for the outcome tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fibrotrack.diary.models import CheckIn, SymptomScore
from fibrotrack.knowledge.outcome_models import OutcomeConsent
from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.treatments.models import Regimen, SideEffect, Treatment

START = dt.date(2025, 3, 1)
TODAY = dt.date(2025, 6, 1)


def add_course(
    user: Any,
    key: str = "pregabalin",
    *,
    start: dt.date = START,
    before: int = 6,
    after: int = 3,
    days: int = 28,
    stopped_on: dt.date | None = None,
    side_effect: str | None = None,
    symptom: str = "pain",
) -> Regimen:
    """A course of catalogue treatment ``key`` with pain ``before`` for 4 weeks, then ``after`` on it."""
    treatment = Treatment.objects.get(user=None, key=key)
    regimen = Regimen.objects.create(user=user, treatment=treatment, unit="mg", started_on=start, stopped_on=stopped_on)
    pain = user.symptoms.get(key=symptom)
    existing = set(CheckIn.objects.filter(user=user).values_list("day", flat=True))
    wanted = [start + dt.timedelta(days=d) for d in range(-days, days)]
    CheckIn.objects.bulk_create([CheckIn(user=user, day=d) for d in wanted if d not in existing])
    checkins = CheckIn.objects.filter(user=user, day__in=wanted)
    SymptomScore.objects.bulk_create(
        [SymptomScore(checkin=c, symptom=pain, value=before if c.day < start else after) for c in checkins],
        ignore_conflicts=True,
    )
    if side_effect:
        SideEffect.objects.create(
            user=user, key=side_effect, name=side_effect.title(), severity="mild", onset_on=start, regimen=regimen
        )
    return regimen


def sharing_person(consent: bool = True, **course: Any) -> Any:
    user: Any = UserFactory(symptoms=["pain", "fatigue"])  # type: ignore[no-untyped-call]
    add_course(user, **course)
    if consent:
        OutcomeConsent.objects.create(user=user, consented_at=timezone.now())
    return user
