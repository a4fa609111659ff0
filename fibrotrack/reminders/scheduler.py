"""Choosing who is due and claiming their reminders: set-based, safe to run twice at once.

One run, in one transaction:

1. re-queue today's failed pushes (a conditional UPDATE: only one run wins a row);
2. claim every due reminder, per channel, with one ``INSERT ... SELECT ...
   ON CONFLICT DO NOTHING``: the sent log's unique constraint (reminder,
   local day, channel) refuses what another run (or an earlier one, before a
   restart) already claimed, so nothing is ever sent twice;
3. enqueue the claimed rows for the worker in batches (sending is background work);
4. move every due reminder's ``next_due_at`` on, per (time zone, local time):
   all reminders in one zone at one local time share their next instant, so
   this is a handful of UPDATEs whatever the number of people.

A reminder more than ``LATE_LIMIT`` overdue (the scheduler was down) is not
sent, only moved on: "check in" at 3 a.m. for last evening helps nobody.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from fibrotrack.lib.tasks import enqueue
from fibrotrack.reminders.models import PushSubscription, Reminder, ReminderSend
from fibrotrack.reminders.schedule import next_occurrence, zone

LATE_LIMIT = dt.timedelta(hours=3)
BATCH_SIZE = 500
RETRY_AFTER = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 4


def due(now: dt.datetime) -> QuerySet[Reminder]:
    return Reminder.objects.filter(enabled=True, next_due_at__lte=now)


def claimable(now: dt.datetime, channel: str) -> QuerySet[Reminder]:
    """Due, not too late, for an active account that has not paused, with this channel switched on."""
    not_paused = Q(user__reminder_settings__paused_until__isnull=True) | Q(
        user__reminder_settings__paused_until__lte=models.F("next_due_day")
    )
    found = due(now).filter(next_due_at__gt=now - LATE_LIMIT, user__is_active=True).filter(not_paused)
    if channel == ReminderSend.Channel.EMAIL:
        return found.filter(Q(user__reminder_settings__isnull=True) | Q(user__reminder_settings__by_email=True))
    return found.filter(Exists(PushSubscription.objects.filter(user=OuterRef("user_id"))))


def _claim(now: dt.datetime, channel: str, batch: str) -> list[int]:
    select = (
        claimable(now, channel)
        .order_by()
        .values_list(
            "id",
            "next_due_day",
            Value(channel, output_field=models.CharField()),
            Value(ReminderSend.Status.QUEUED, output_field=models.CharField()),
            Value(batch, output_field=models.CharField()),
            Value(0, output_field=models.IntegerField()),
            Value([], output_field=models.JSONField()),
            Value(now, output_field=models.DateTimeField()),
            Value(now, output_field=models.DateTimeField()),
        )
    )
    sql, params = select.query.sql_with_params()
    table = connection.ops.quote_name(ReminderSend._meta.db_table)
    columns = "reminder_id, local_day, channel, status, batch, attempts, delivered, created_at, updated_at"
    # One statement for any number of people: the ORM has no INSERT ... SELECT. The unique
    # constraint refuses rows another run claimed; RETURNING gives back only the rows this
    # one inserted (portable: SQLite 3.35+ and PostgreSQL both read ON CONFLICT and RETURNING).
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql} ON CONFLICT DO NOTHING RETURNING id", params)  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _requeue_failed(now: dt.datetime, batch: str) -> list[int]:
    """Failed rows of the last 12 hours, due for another attempt: a conditional UPDATE, so one run wins each."""
    retry = ReminderSend.objects.filter(
        status=ReminderSend.Status.FAILED,
        attempts__lt=MAX_ATTEMPTS,
        updated_at__lte=now - RETRY_AFTER,
        created_at__gte=now - dt.timedelta(hours=12),
    )
    candidates = list(retry.values_list("id", flat=True))
    if not candidates or not retry.filter(id__in=candidates).update(
        status=ReminderSend.Status.QUEUED, batch=batch, updated_at=now
    ):
        return []
    return list(ReminderSend.objects.filter(id__in=candidates, batch=batch).values_list("id", flat=True))


def _advance(now: dt.datetime) -> int:
    """Move every due reminder to its next occurrence; one UPDATE per (time zone, local time).

    A reminder too late to send moves to its first occurrence within the late
    limit, which may be one that is due now (the scheduler was down all day and
    is back at 20:00): the next run claims it.
    """
    moved = 0
    on_time = due(now).filter(next_due_at__gt=now - LATE_LIMIT)
    late = due(now).filter(next_due_at__lte=now - LATE_LIMIT)
    for found, after in ((on_time, now), (late, now - LATE_LIMIT)):
        groups = found.order_by().values_list("user__time_zone", "local_time").distinct()
        for time_zone, local_time in list(groups):
            instant, day = next_occurrence(local_time, zone(time_zone), after)
            moved += found.filter(user__time_zone=time_zone, local_time=local_time).update(
                next_due_at=instant, next_due_day=day
            )
    return moved


def batches(ids: list[int], size: int = BATCH_SIZE) -> list[tuple[int, int]]:
    """Consecutive id ranges of at most ``size`` claimed rows: tiny task arguments."""
    return [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def run(now: dt.datetime | None = None) -> int:
    """Claim and enqueue everything due at ``now``. Returns how many sends were enqueued."""
    from fibrotrack.reminders.sending import send_batch

    now = now or timezone.now()
    batch = uuid.uuid4().hex
    with transaction.atomic():
        ids = _requeue_failed(now, batch)
        for channel in ReminderSend.Channel.values:
            ids += _claim(now, channel, batch)
        ids.sort()
        for first, last in batches(ids):
            enqueue(send_batch, batch, first, last)
        _advance(now)
    return len(ids)
