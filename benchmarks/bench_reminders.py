"""Reminder scheduler benchmark: 100,000 people due in the same minute.

``run()`` returns ``[(name, measured, unit, target), ...]``. In a child process
with its own throwaway database (SQLite, and PostgreSQL when a server
answers), 100,000 people in four time zones have their daily reminder due at
the same instant (20:00 in Berlin, 14:00 in New York, 23:30 in Kolkata, 04:00
in Sydney), and 50,000 more are due later. Measured: one ``scheduler.run``,
which chooses who is due and enqueues them for the worker in batches of
1,000 (in the database queue). Median of 3 runs, the state reset between
them. The target is PostgreSQL's. Reported only: the worker's share for one
batch (claim 1,000 reminders in the sent log, move them on, render and send
1,000 e-mails to Django's in-memory backend).

Run directly: ``python benchmarks/bench_reminders.py`` (BENCH_REMINDER_PEOPLE=10000 for a quicker look).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

from benchmarks.child import run_vendors

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = int(os.environ.get("BENCH_REMINDER_PEOPLE", "100000"))
LATER = PEOPLE // 2
NOW = dt.datetime(2026, 6, 1, 18, 0, tzinfo=dt.UTC)
ZONES = [
    ("Europe/Berlin", dt.time(20, 0)),
    ("America/New_York", dt.time(14, 0)),
    ("Asia/Kolkata", dt.time(23, 30)),
    ("Australia/Sydney", dt.time(4, 0)),
]


def _seed() -> None:
    from fibrotrack.accounts.models import User
    from fibrotrack.reminders.models import Reminder
    from fibrotrack.reminders.schedule import next_occurrence, zone

    batch = 5000
    for start in range(0, PEOPLE + LATER, batch):
        users = []
        for n in range(start, min(start + batch, PEOPLE + LATER)):
            name, _ = ZONES[n % len(ZONES)]
            users.append(User(email=f"p{n}@example.org", password="!", time_zone=name))  # noqa: S106
        created = User.objects.bulk_create(users)
        reminders = []
        for n, user in enumerate(created, start):
            name, at = ZONES[n % len(ZONES)]
            if n >= PEOPLE:
                at = dt.time(21, 15)
            instant, day = next_occurrence(at, zone(name), NOW - dt.timedelta(seconds=1))
            reminders.append(Reminder(user=user, kind="checkin", local_time=at, next_due_at=instant, next_due_day=day))
        Reminder.objects.bulk_create(reminders)


def _reset() -> None:
    from django_tasks_db.models import DBTaskResult

    from fibrotrack.reminders.models import Reminder, ReminderSend, SchedulerCursor
    from fibrotrack.reminders.schedule import next_occurrence, zone

    ReminderSend.objects.all().delete()
    DBTaskResult.objects.all().delete()
    SchedulerCursor.objects.update_or_create(pk=1, defaults={"until": NOW - dt.timedelta(minutes=1)})
    for name, at in ZONES:
        instant, day = next_occurrence(at, zone(name), NOW - dt.timedelta(seconds=1))
        Reminder.objects.filter(user__time_zone=name, local_time=at).update(next_due_at=instant, next_due_day=day)


def _measure() -> list[tuple[str, float, str, float]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from fibrotrack.reminders import scheduler
    from fibrotrack.reminders.models import ReminderSend
    from fibrotrack.reminders.sending import process_due

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _seed()
    print(
        f"  seeded {PEOPLE + LATER:,} people on {connection.vendor} in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    times = []
    for _ in range(3):
        _reset()
        started = time.perf_counter()
        queued = scheduler.run(NOW)
        times.append(time.perf_counter() - started)
        # A benchmark's sanity checks: everyone due was queued, in batches.
        assert queued == PEOPLE, queued  # noqa: S101
        assert DBTaskResult.objects.count() == -(-PEOPLE // scheduler.BATCH_SIZE)  # noqa: S101
    print(f"  runs: {', '.join(f'{t:.2f} s' for t in times)}", file=sys.stderr)
    task = DBTaskResult.objects.order_by("enqueued_at", "id").first()
    assert task is not None  # noqa: S101
    started = time.perf_counter()
    sent = process_due.call(*task.args_kwargs["args"])
    worker = time.perf_counter() - started
    assert sent == scheduler.BATCH_SIZE == ReminderSend.objects.count(), sent  # noqa: S101
    return [
        (f"reminders: choose and enqueue {PEOPLE:,} people due in one minute", statistics.median(times), "s", 2.0),
        (f"reminders: the worker's batch of {scheduler.BATCH_SIZE:,} (claim, move on, e-mail)", worker, "s", math.inf),
    ]


def run() -> list[tuple[str, float, str, float]]:
    """On SQLite and, when a server answers, on PostgreSQL, each in a child process on a throwaway database."""
    return run_vendors(__file__, "bench_fibrotrack_reminders", targets_on="postgres")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--child" in sys.argv:
        print(json.dumps(_measure()))
    else:
        run()
