"""Dose reminders: the day's dose from the plan, skipped when taken or paused, and the "Taken" button."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from fibrotrack.lib.testing.factories import UserFactory as _UserFactory
from fibrotrack.reminders import sending, sync, texts, tokens
from fibrotrack.reminders.actions import do_subscribe_push
from fibrotrack.reminders.models import ReminderSend, ReminderSettings
from fibrotrack.reminders.tests.fakepush import Browser, push_service
from fibrotrack.reminders.tests.helpers import IMMEDIATE, local, run_at, travel
from fibrotrack.treatments.models import DoseLog
from fibrotrack.treatments.tests.helpers import start

NAME, START = "America/New_York", dt.date(2026, 3, 1)

UserFactory: Any = _UserFactory  # factory_boy is untyped


@pytest.fixture(autouse=True)
def _inline_worker(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = IMMEDIATE
    settings.VAR_DIR = tmp_path


@pytest.fixture
def ldn(db: None) -> Any:
    with travel(local(NAME, START, dt.time(9, 0))):
        user = UserFactory(time_zone=NAME)
        regimen = start(user, "naltrexone", on=START, plan="ldn_standard", schedule="nightly", amount=None)
        sync.sync_doses(user, regimen, enabled=True)
    return regimen


def test_the_text_follows_the_titration_plan(ldn):
    assert texts.dose_message(ldn, 0, START).title == "Naltrexone (LDN) 1 mg tonight"
    assert texts.dose_message(ldn, 0, START + dt.timedelta(days=7)).title == "Naltrexone (LDN) 2 mg tonight"
    assert texts.dose_message(ldn, 0, START + dt.timedelta(days=40)).title == "Naltrexone (LDN) 4.5 mg tonight"


def test_daily_doses_at_set_times_get_one_reminder_each(db):
    with travel(local(NAME, START, dt.time(7, 0))):
        user = UserFactory(time_zone=NAME)
        regimen = start(user, "magnesium", on=START, amount="200", schedule="daily", times=("08:00", "20:00"))
        sync.sync_doses(user, regimen, enabled=True)
    assert texts.dose_message(regimen, 1, START).title == "Magnesium 200 mg at 20:00"
    run_at(local(NAME, START, dt.time(8, 0)))
    run_at(local(NAME, START, dt.time(20, 0)))
    assert ReminderSend.objects.filter(status=ReminderSend.Status.SENT).count() == 2


def test_a_planned_pause_sends_no_reminder(db):
    with travel(local(NAME, START, dt.time(9, 0))):
        user = UserFactory(time_zone=NAME)
        regimen = start(user, "naltrexone", on=START, plan="ldn_case", schedule="nightly", amount=None)
    assert texts.dose_message(regimen, 0, START + dt.timedelta(days=20)).due is False


def test_no_reminder_for_a_dose_already_recorded(ldn, mailoutbox):
    DoseLog.objects.create(regimen=ldn, day=START, slot=0, status="taken", amount=1, unit="mg")
    run_at(local(NAME, START, sync.NIGHTLY_TIME))
    assert not mailoutbox
    run_at(local(NAME, START + dt.timedelta(days=1), sync.NIGHTLY_TIME))
    assert [m.subject for m in mailoutbox] == ["[FibroTrack] Naltrexone (LDN) 1 mg tonight"]


def _payload(ldn: Any) -> dict[str, Any]:
    browser = Browser()
    ReminderSettings.objects.create(user=ldn.user, by_email=False)
    with push_service() as service:
        do_subscribe_push(ldn.user, endpoint=service.url("/d"), p256dh=browser.p256dh, auth=browser.auth_b64)
        run_at(local(NAME, START, sync.NIGHTLY_TIME))
        [received] = service.received
    return dict(json.loads(browser.decrypt(received.body)))


def _take(token: str) -> Any:
    return Client().post(reverse("reminders:taken"), json.dumps({"token": token}), content_type="application/json")


def test_taken_records_exactly_one_dose_without_a_session(ldn):
    payload = _payload(ldn)
    assert payload["title"] == "Naltrexone (LDN) 1 mg tonight"
    taken = payload["taken"]
    assert taken["url"].endswith(reverse("reminders:taken")) and taken["title"] == "Taken"
    with travel(local(NAME, START, dt.time(21, 5))):
        response = _take(taken["token"])
        replay = _take(taken["token"])
    assert response.status_code == 200 and response.json()["recorded"] is True
    assert replay.status_code == 409
    [log] = DoseLog.objects.filter(regimen=ldn)
    assert (log.day, log.slot, log.status, log.amount) == (START, 0, "taken", 1)


def test_two_tokens_for_the_same_dose_still_record_one(ldn):
    with travel(local(NAME, START, dt.time(21, 5))):
        for _ in range(2):
            assert _take(tokens.taken_token(ldn.user_id, ldn.pk, START, 0)).status_code == 200
    assert DoseLog.objects.filter(regimen=ldn).count() == 1


def test_a_forged_or_altered_token_is_refused(ldn):
    good = tokens.taken_token(ldn.user_id, ldn.pk, START, 0)
    forged = signing.dumps({"u": ldn.user_id, "r": ldn.pk, "d": START.isoformat(), "s": 0, "n": "x" * 32}, key="other")
    for token in (forged, good[:-2] + "xx", "", "nonsense"):
        assert _take(token).status_code == 400
    assert not DoseLog.objects.exists()


def test_an_old_token_is_refused(ldn):
    with travel(local(NAME, START, dt.time(21, 0))):
        token = tokens.taken_token(ldn.user_id, ldn.pk, START, 0)
    with travel(local(NAME, START + dt.timedelta(days=1), dt.time(10, 0))):
        assert _take(token).status_code == 400
    assert not DoseLog.objects.exists()


def test_a_token_cannot_record_someone_elses_regimen(ldn, stranger):
    token = tokens.taken_token(stranger.pk, ldn.pk, START, 0)
    assert _take(token).status_code == 404
    assert not DoseLog.objects.exists()


def test_taken_only_answers_post(ldn):
    assert Client().get(reverse("reminders:taken")).status_code == 405


def test_stopping_the_regimen_stops_its_reminders(ldn, mailoutbox):
    from fibrotrack.treatments.actions import do_stop_regimen

    do_stop_regimen(ldn, stopped_on=START, reason="other")
    run_at(local(NAME, START + dt.timedelta(days=1), sync.NIGHTLY_TIME))
    assert not mailoutbox


def test_the_slot_day_uses_the_day_boundary(ldn):
    send = ReminderSend(reminder=ldn.reminders.get(), local_day=START, channel="email")
    assert sending.slot_day(send) == START


def test_a_stop_date_ahead_sends_until_then_and_then_switches_off(db, mailoutbox):
    from fibrotrack.treatments.actions import do_stop_regimen

    with travel(local(NAME, START, dt.time(9, 0))):
        user = UserFactory(time_zone=NAME)
        regimen = start(user, "magnesium", on=START, amount="200", schedule="nightly")
        sync.sync_doses(user, regimen, enabled=True)
        do_stop_regimen(regimen, stopped_on=START + dt.timedelta(days=1), reason="other")
    for offset in range(3):
        run_at(local(NAME, START + dt.timedelta(days=offset), sync.NIGHTLY_TIME))
    assert len(mailoutbox) == 2
    assert not regimen.reminders.filter(enabled=True).exists()
