"""Choosing who is due and claiming their reminders: set-based, safe to run twice at once.

A scheduler run (``run``: ``fibrotrack send_reminders``, once a minute) is
small whatever the number of people, so that 100,000 reminders due in one
minute are queued in well under the minute:

1. under a lock on the one ``SchedulerCursor`` row it takes the window since
   the last run's instant, and selects the reminders whose ``next_due_at``
   falls in it (an indexed range), plus any left behind from long ago;
2. it enqueues them for the worker in batches of consecutive ids
   (``sending.process_due``), moves the cursor on and commits. Two schedulers
   queue the same window once: the second waits for the lock, then finds it
   empty;
3. the worker, per batch and in one transaction, claims each reminder in the
   sent log with one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING``
   per channel (``claim``): the unique constraint (reminder, local day,
   channel) refuses what another batch, run or restart already claimed, so
   nothing is ever sent twice. It moves the batch's ``next_due_at`` on with
   one UPDATE per (time zone, local time) (``advance``), then sends.

A reminder more than ``LATE_LIMIT`` overdue (the scheduler or the worker was
down) is not sent, only moved on: "check in" at 3 a.m. for last evening
helps nobody. Failed sends are re-queued by a conditional UPDATE, so one run
wins each.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from fibrotrack.lib.tasks import enqueue
from fibrotrack.reminders.models import PushSubscription, Reminder, ReminderSend, SchedulerCursor
from fibrotrack.reminders.schedule import next_occurrence, zone

LATE_LIMIT = dt.timedelta(hours=3)
BATCH_SIZE = 1000
RETRY_AFTER = dt.timedelta(minutes=5)
# A due reminder older than the window by this much was lost (a batch that failed): queue it again.
# Not at once: a worker that is only behind would be sent the same batches every minute.
STRAGGLER_AFTER = dt.timedelta(minutes=15)
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


def claim(now: dt.datetime, channel: str, batch: str, first: int, last: int) -> list[int]:
    """Claim the due reminders with ids in [first, last] for ``channel``; returns the sent-log ids won."""
    select = (
        claimable(now, channel)
        .filter(id__range=(first, last))
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


def advance(now: dt.datetime, first: int, last: int, *, late: bool) -> int:
    """Move the due reminders with ids in [first, last] on; one UPDATE per (time zone, local time).

    ``late``: only those too late to send, to their first occurrence within the
    late limit, which may be one due now (the scheduler was down all day and is
    back at 20:00), so that the claim that follows sends today's. Otherwise: all
    due ones, to their first occurrence after ``now``.
    """
    moved = 0
    found = due(now).filter(id__range=(first, last))
    after = now
    if late:
        found, after = found.filter(next_due_at__lte=now - LATE_LIMIT), now - LATE_LIMIT
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


def _window(now: dt.datetime) -> Q:
    """Due since the last run, plus anything a lost batch left behind."""
    # The row may not exist yet (a new or flushed database) and two schedulers may both
    # find it missing: ON CONFLICT DO NOTHING lets the second wait for the first's row
    # instead of failing on the primary key, and then both queue behind its lock.
    SchedulerCursor.objects.bulk_create([SchedulerCursor(pk=1, until=now - LATE_LIMIT)], ignore_conflicts=True)
    cursor = SchedulerCursor.objects.select_for_update().get(pk=1)
    # A clock set back (or a test travelling in time): look back the late limit; the sent log dedupes.
    start = cursor.until if cursor.until <= now else now - LATE_LIMIT
    cursor.until = now
    cursor.save(update_fields=["until"])
    return Q(next_due_at__gt=start, next_due_at__lte=now) | Q(next_due_at__lte=start - STRAGGLER_AFTER)


def run(now: dt.datetime | None = None) -> int:
    """Enqueue everything due at ``now`` (and today's failed sends again). Returns how many reminders."""
    from fibrotrack.reminders.sending import process_due, send_batch

    now = now or timezone.now()
    with transaction.atomic():
        found = Reminder.objects.filter(enabled=True).filter(_window(now))
        ids = list(found.order_by("id").values_list("id", flat=True))
        for first, last in batches(ids):
            enqueue(process_due, now.isoformat(), first, last)
        retry_batch = uuid.uuid4().hex
        retries = _requeue_failed(now, retry_batch)
        for first, last in batches(sorted(retries)):
            enqueue(send_batch, retry_batch, first, last)
    return len(ids)
