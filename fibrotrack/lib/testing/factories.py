"""Factory fixtures with readable flags, e.g. ``UserFactory(onboarded=False)``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from fibrotrack.accounts.models import User
from fibrotrack.diary.actions import CheckInData, do_save_checkin, do_setup_symptoms
from fibrotrack.diary.defaults import DEFAULT_SYMPTOMS
from fibrotrack.diary.models import CheckIn

PASSWORD = "correct horse battery staple"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        onboarded = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Member{n}")
    time_zone = "Europe/London"
    day_starts_at_hour = 4
    onboarded_at = factory.Maybe("onboarded", factory.LazyFunction(timezone.now), None)

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:  # noqa: N805
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()

    @factory.post_generation
    def symptoms(obj: User, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:  # noqa: N805
        if create and obj.onboarded_at is not None:
            do_setup_symptoms(obj, extracted if extracted is not None else [s.key for s in DEFAULT_SYMPTOMS])


def make_checkin(user: User, day: dt.date, note: str = "", hours_slept: Any = None, **scores: int) -> CheckIn:
    """A check-in with scores given by symptom key, e.g. ``make_checkin(u, d, pain=6)``."""
    symptoms = {s.key: s.pk for s in user.symptoms.all()}
    data = CheckInData(scores={symptoms[k]: v for k, v in scores.items()}, note=note, hours_slept=hours_slept)
    checkin, _ = do_save_checkin(user, day, data)
    return checkin
