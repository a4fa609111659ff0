"""Keeping each person's reminder rows and their next due instant in step with their settings.

The check-in reminder's time and the time zone are the user row's (accounts);
dose times are the regimen's (treatments). Both are saved elsewhere, so the
rows here follow through ``post_save`` (wired in ``RemindersConfig.ready``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fibrotrack.lib.dates import diary_day
from fibrotrack.reminders.models import Reminder
from fibrotrack.reminders.schedule import next_occurrence, zone
from fibrotrack.treatments.schedule import Kind

# Nightly doses have no time of their own; the reminder comes at this hour.
NIGHTLY_TIME = dt.time(21, 0)
_WATCHED = {"reminder_time", "time_zone"}


def dose_times(regimen: Any) -> list[dt.time]:
    """The reminder time of each of a regimen's dose slots: set times (daily) or the evening (nightly)."""
    if regimen.schedule == Kind.DAILY:
        return [dt.time.fromisoformat(t) for t in regimen.times]
    if regimen.schedule == Kind.NIGHTLY:
        return [NIGHTLY_TIME]
    return []


def reschedule(reminders: list[Reminder], time_zone: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    tz = zone(time_zone)
    for reminder in reminders:
        reminder.next_due_at, reminder.next_due_day = next_occurrence(reminder.local_time, tz, now)
    Reminder.objects.bulk_update(reminders, ["local_time", "next_due_at", "next_due_day", "enabled"])


def sync_checkin(user: Any, now: dt.datetime | None = None) -> None:
    with transaction.atomic():
        existing = Reminder.objects.filter(user=user, kind=Reminder.Kind.CHECKIN).first()
        if user.reminder_time is None:
            if existing is not None:
                existing.delete()
            return
        if existing is None:
            existing = Reminder.objects.create(user=user, kind=Reminder.Kind.CHECKIN, local_time=user.reminder_time)
        existing.local_time = user.reminder_time
        reschedule([existing], user.time_zone, now)


def sync_doses(user: Any, regimen: Any, enabled: bool | None = None, now: dt.datetime | None = None) -> None:
    """One reminder per dose slot of ``regimen``; ``enabled`` None keeps the person's choice."""
    with transaction.atomic():
        times = dose_times(regimen)
        rows = {r.slot: r for r in Reminder.objects.filter(kind=Reminder.Kind.DOSE, regimen=regimen)}
        if enabled is None and not rows:
            return
        on = enabled if enabled is not None else any(r.enabled for r in rows.values())
        # Stopped before today: off. A stop date still ahead (the last day) is checked at send time.
        on = on and (regimen.stopped_on is None or regimen.stopped_on >= diary_day(user))
        Reminder.objects.filter(kind=Reminder.Kind.DOSE, regimen=regimen, slot__gte=len(times)).delete()
        keep = []
        for slot, at in enumerate(times):
            row = rows.get(slot) or Reminder(user=user, kind=Reminder.Kind.DOSE, regimen=regimen, slot=slot)
            row.local_time, row.enabled = at, on
            if row.pk is None:
                row.save()
            keep.append(row)
        reschedule(keep, user.time_zone, now)


def reschedule_all(user: Any) -> None:
    reschedule(list(Reminder.objects.filter(user=user)), user.time_zone)


def on_user_saved(sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if update_fields is not None and not (_WATCHED & set(update_fields)):
        return
    if instance.reminder_time is None and not Reminder.objects.filter(user=instance).exists():
        return
    sync_checkin(instance)
    reschedule_all(instance)


def on_regimen_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or created or not Reminder.objects.filter(regimen=instance).exists():
        return
    sync_doses(instance.user, instance)
