"""Reminders arrive at the person's local time, once a day, only when needed, never twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from fibrotrack.accounts.models import User
from fibrotrack.lib.testing.factories import UserFactory as _UserFactory
from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.reminders import scheduler
from fibrotrack.reminders.models import Reminder, ReminderSend, ReminderSettings, SchedulerCursor
from fibrotrack.reminders.tests.helpers import IMMEDIATE, local, run_at, travel

EIGHT_PM = dt.time(20, 0)
# (zone, the day before the clocks change, the day they change)
DST = [
    ("Europe/Berlin", dt.date(2026, 3, 28), dt.date(2026, 3, 29)),
    ("Europe/Berlin", dt.date(2026, 10, 24), dt.date(2026, 10, 25)),
    ("America/New_York", dt.date(2026, 3, 7), dt.date(2026, 3, 8)),
    ("America/New_York", dt.date(2026, 10, 31), dt.date(2026, 11, 1)),
    ("Australia/Sydney", dt.date(2026, 4, 4), dt.date(2026, 4, 5)),
    ("Australia/Sydney", dt.date(2026, 10, 3), dt.date(2026, 10, 4)),
]

UserFactory: Any = _UserFactory  # factory_boy is untyped


@pytest.fixture(autouse=True)
def _inline_worker(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = IMMEDIATE
    settings.VAR_DIR = tmp_path


def person(name: str, day: dt.date, **extra: Any) -> User:
    with travel(local(name, day, dt.time(9, 0))):
        user: User = UserFactory(time_zone=name, reminder_time=EIGHT_PM, **extra)
    return user


def sent_to(user: User) -> int:
    return sum(1 for m in mail.outbox if m.to == [user.email])


@pytest.mark.parametrize(("name", "before", "change"), DST)
def test_the_reminder_comes_at_local_time_on_both_sides_of_a_dst_change(db, name, before, change):
    user = person(name, before)
    for day in (before, change, change + dt.timedelta(days=1)):
        run_at(local(name, day, dt.time(19, 59)))
        assert sent_to(user) == (day - before).days, f"early on {day}"
        run_at(local(name, day, EIGHT_PM))
        assert sent_to(user) == (day - before).days + 1, f"not at 20:00 on {day}"
        run_at(local(name, day, dt.time(20, 1)))
        run_at(local(name, day, dt.time(21, 0)))
        assert sent_to(user) == (day - before).days + 1, f"twice on {day}"
    reminder = Reminder.objects.get(user=user)
    assert reminder.next_due_at.astimezone(reminder.next_due_at.tzinfo) == local(
        name, change + dt.timedelta(days=2), EIGHT_PM
    )


def test_the_e_mail_says_what_to_do_and_offers_one_click_unsubscribe(db):
    user = person("Europe/Berlin", dt.date(2026, 6, 1))
    run_at(local("Europe/Berlin", dt.date(2026, 6, 1), EIGHT_PM))
    [message] = mail.outbox
    assert "check-in" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.body and user.email == message.to[0]


def test_no_reminder_when_todays_check_in_is_done(db):
    name, day = "America/New_York", dt.date(2026, 6, 1)
    user = person(name, day)
    with travel(local(name, day, dt.time(18, 0))):
        make_checkin(user, day, pain=4)
    run_at(local(name, day, EIGHT_PM))
    assert sent_to(user) == 0
    assert ReminderSend.objects.get().status == ReminderSend.Status.SKIPPED
    run_at(local(name, day + dt.timedelta(days=1), EIGHT_PM))
    assert sent_to(user) == 1


def test_the_day_boundary_decides_which_check_in_counts(db):
    # A reminder at 1 a.m. with the day turning at 4 a.m. is about the evening before.
    name, day = "Europe/Berlin", dt.date(2026, 6, 1)
    with travel(local(name, day - dt.timedelta(days=1), dt.time(9, 0))):
        user = UserFactory(time_zone=name, reminder_time=dt.time(1, 0), day_starts_at_hour=4)
    with travel(local(name, day, dt.time(23, 0))):
        make_checkin(user, day, pain=4)
    run_at(local(name, day + dt.timedelta(days=1), dt.time(1, 0)))
    assert sent_to(user) == 0


def test_never_for_an_inactive_account(db):
    name, day = "Australia/Sydney", dt.date(2026, 6, 1)
    user = person(name, day, is_active=False)
    run_at(local(name, day, EIGHT_PM))
    assert sent_to(user) == 0
    assert not ReminderSend.objects.exists()
    # ... and it is moved on rather than claimed later.
    assert Reminder.objects.get(user=user).next_due_day == day + dt.timedelta(days=1)


def test_paused_until_a_date_then_back(db):
    name, day = "Europe/Berlin", dt.date(2026, 8, 1)
    user = person(name, day)
    ReminderSettings.objects.create(user=user, paused_until=day + dt.timedelta(days=2))
    for offset in range(4):
        run_at(local(name, day + dt.timedelta(days=offset), EIGHT_PM))
    assert sent_to(user) == 2  # on the day it ends, and the day after


def test_e_mail_off_sends_no_e_mail(db):
    name, day = "Europe/Berlin", dt.date(2026, 8, 1)
    user = person(name, day)
    ReminderSettings.objects.create(user=user, by_email=False)
    run_at(local(name, day, EIGHT_PM))
    assert sent_to(user) == 0


def test_a_long_overdue_reminder_is_moved_on_not_sent(db):
    name, day = "Europe/Berlin", dt.date(2026, 8, 1)
    user = person(name, day)
    run_at(local(name, day, dt.time(23, 30)))  # the scheduler was down from 20:00
    assert sent_to(user) == 0
    run_at(local(name, day + dt.timedelta(days=1), EIGHT_PM))
    assert sent_to(user) == 1


def test_back_after_a_day_down_it_sends_todays_reminder_not_yesterdays(db):
    name, day = "Europe/Berlin", dt.date(2026, 8, 1)
    user = person(name, day)
    next_day = day + dt.timedelta(days=1)
    run_at(local(name, next_day, EIGHT_PM))  # down since yesterday morning
    run_at(local(name, next_day, dt.time(20, 1)))
    assert sent_to(user) == 1
    assert ReminderSend.objects.get().local_day == next_day


def test_two_schedulers_at_once_never_send_twice(db, monkeypatch):
    """Both queued the same reminders (as if both read before either wrote): the claim refuses the second."""
    name, day = "Europe/Berlin", dt.date(2026, 8, 1)
    people = [person(name, day) for _ in range(3)]
    monkeypatch.setattr(scheduler, "advance", lambda *args, **kwargs: 0)
    at = local(name, day, EIGHT_PM)
    assert run_at(at) == 3
    SchedulerCursor.objects.update(until=at - dt.timedelta(minutes=1))  # the second read the same window
    assert run_at(at) == 3
    assert run_at(at + dt.timedelta(minutes=1)) == 0
    assert [sent_to(p) for p in people] == [1, 1, 1]
    assert ReminderSend.objects.count() == 3


def test_a_lost_batch_is_queued_again_later(db, settings):
    name, day = "Europe/Berlin", dt.date(2026, 8, 1)
    user = person(name, day)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    run_at(local(name, day, EIGHT_PM))  # queued, but the worker lost it
    settings.TASKS = IMMEDIATE
    for minute in (1, 2, 14, 15):
        run_at(local(name, day, dt.time(20, minute)))
    assert sent_to(user) == 0  # a worker that is only behind is not sent the batch again
    run_at(local(name, day, dt.time(20, 16)))
    assert sent_to(user) == 1


def test_a_restart_resends_nothing_already_claimed(db):
    name, day = "Europe/Berlin", dt.date(2026, 8, 1)
    user = person(name, day)
    run_at(local(name, day, EIGHT_PM))
    # The process died after claiming and before moving the reminder on.
    reminder = Reminder.objects.get(user=user)
    Reminder.objects.filter(pk=reminder.pk).update(next_due_at=local(name, day, EIGHT_PM), next_due_day=day)
    run_at(local(name, day, dt.time(20, 2)))
    assert sent_to(user) == 1


def test_changing_the_time_zone_moves_the_next_reminder(db):
    user = person("Europe/Berlin", dt.date(2026, 8, 1))
    with travel(local("Europe/Berlin", dt.date(2026, 8, 1), dt.time(9, 0))):
        user.time_zone = "America/New_York"
        user.save()
    reminder = Reminder.objects.get(user=user)
    assert reminder.next_due_at == local("America/New_York", dt.date(2026, 8, 1), EIGHT_PM)


def test_clearing_the_time_stops_the_reminder(db):
    user = person("Europe/Berlin", dt.date(2026, 8, 1))
    user.reminder_time = None
    user.save()
    assert not Reminder.objects.filter(user=user).exists()
