"""The "daily reminder" time people set before reminders were sent: schedule it now; start the cursor."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils import timezone

from fibrotrack.reminders.schedule import next_occurrence, zone


def schedule_existing(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("accounts", "User")  # noqa: N806 (a model class)
    Reminder = apps.get_model("reminders", "Reminder")  # noqa: N806
    now = timezone.now()
    rows = []
    for user_id, at, time_zone in User.objects.exclude(reminder_time=None).values_list(
        "id", "reminder_time", "time_zone"
    ).iterator():
        instant, day = next_occurrence(at, zone(time_zone), now)
        rows.append(Reminder(user_id=user_id, kind="checkin", local_time=at, next_due_at=instant, next_due_day=day))
    Reminder.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    # The scheduler's cursor starts now: nothing before this was ever due.
    apps.get_model("reminders", "SchedulerCursor").objects.get_or_create(pk=1, defaults={"until": now})


class Migration(migrations.Migration):
    dependencies = [("reminders", "0001_initial")]

    operations = [migrations.RunPython(schedule_existing, migrations.RunPython.noop)]
