"""Scoped reads: a person's reminder settings, reminders and devices; the feed by its secret."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from fibrotrack.reminders.models import PushSubscription, Reminder, ReminderSettings
from fibrotrack.treatments.access import regimens_with_treatment
from fibrotrack.treatments.models import Regimen


def settings_for_user(user: Any) -> ReminderSettings:
    """The person's settings; unsaved defaults when they have never changed any."""
    found = ReminderSettings.objects.filter(user=user).first()
    return found if found is not None else ReminderSettings(user=user)


def dose_reminders_for_user(user: Any) -> QuerySet[Reminder]:
    return Reminder.objects.filter(user=user, kind=Reminder.Kind.DOSE)


def remindable_regimens(user: Any) -> list[Regimen]:
    """Running regimens with dose times a reminder can follow (set times, or nightly)."""
    return [
        r
        for r in regimens_with_treatment(user).filter(stopped_on__isnull=True, schedule__in=("daily", "nightly"))
        if r.schedule == "nightly" or r.times
    ]


def get_subscription_for_user(user: Any, endpoint: str) -> PushSubscription:
    found = PushSubscription.objects.filter(user=user, endpoint=endpoint).first()
    if found is None:
        raise Http404("No such device")
    return found


def get_user_for_calendar(token: str) -> Any:
    found = (
        ReminderSettings.objects.select_related("user")
        .filter(calendar_token=token, user__is_active=True)
        .exclude(calendar_token=None)
        .first()
    )
    if found is None or not token:
        raise Http404("No such calendar")
    return found.user
