"""Two schedulers at the same instant, really concurrent, on PostgreSQL: everyone gets one reminder."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections

from fibrotrack.lib.testing.factories import UserFactory as _UserFactory
from fibrotrack.reminders import scheduler
from fibrotrack.reminders.models import ReminderSend
from fibrotrack.reminders.tests.helpers import IMMEDIATE, local, travel

UserFactory: Any = _UserFactory  # factory_boy is untyped
NAME, DAY, EIGHT_PM = "Europe/Berlin", dt.date(2026, 8, 1), dt.time(20, 0)


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_send_each_reminder_once(settings: Any, tmp_path: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (DATABASE_URL); SQLite serialises writers")
    settings.TASKS = IMMEDIATE
    settings.VAR_DIR = tmp_path
    with travel(local(NAME, DAY, dt.time(9, 0))):
        people = [UserFactory(time_zone=NAME, reminder_time=EIGHT_PM) for _ in range(20)]
    at = local(NAME, DAY, EIGHT_PM)
    start = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def one_scheduler() -> None:
        try:
            start.wait()
            counts.append(scheduler.run(at))
        except BaseException as error:  # noqa: BLE001 (reported by the test below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sum(counts) == 20
    assert ReminderSend.objects.count() == 20
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


@pytest.mark.django_db(transaction=True)
def test_the_same_batch_run_twice_at_once_sends_once(settings: Any, tmp_path: Any) -> None:
    """A queue that delivers a batch twice, to two workers at the same moment: the claim lets one through."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (DATABASE_URL); SQLite serialises writers")
    from fibrotrack.reminders.models import Reminder
    from fibrotrack.reminders.sending import process_due

    settings.VAR_DIR = tmp_path
    with travel(local(NAME, DAY, dt.time(9, 0))):
        people = [UserFactory(time_zone=NAME, reminder_time=EIGHT_PM) for _ in range(20)]
    ids = sorted(Reminder.objects.values_list("id", flat=True))
    at = local(NAME, DAY, EIGHT_PM).isoformat()
    start = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def one_worker() -> None:
        try:
            start.wait()
            sent.append(process_due.call(at, ids[0], ids[-1]))
        except BaseException as error:  # noqa: BLE001 (reported by the test below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sum(sent) == 20
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
