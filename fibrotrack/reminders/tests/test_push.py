"""Web Push: encrypted to the device's keys, expired devices removed, a dead push service delays nothing else."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from py_vapid import Vapid02

from fibrotrack.lib.testing.factories import UserFactory as _UserFactory
from fibrotrack.reminders import push, scheduler
from fibrotrack.reminders.actions import do_subscribe_push
from fibrotrack.reminders.models import PushSubscription, ReminderSend, ReminderSettings
from fibrotrack.reminders.tests.fakepush import Browser, closed_port_url, push_service
from fibrotrack.reminders.tests.helpers import IMMEDIATE, local, run_at, travel

NAME, DAY, EIGHT_PM = "Europe/Berlin", dt.date(2026, 6, 1), dt.time(20, 0)

UserFactory: Any = _UserFactory  # factory_boy is untyped


@pytest.fixture(autouse=True)
def _inline_worker(settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.TASKS = IMMEDIATE
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(push, "TIMEOUT_SECONDS", 0.5)


def person_with_device(endpoint: str, browser: Browser) -> Any:
    with travel(local(NAME, DAY, dt.time(9, 0))):
        user = UserFactory(time_zone=NAME, reminder_time=EIGHT_PM)
    ReminderSettings.objects.create(user=user, by_email=False)
    do_subscribe_push(user, endpoint=endpoint, p256dh=browser.p256dh, auth=browser.auth_b64)
    return user


def test_the_device_receives_the_reminder_encrypted_to_its_own_keys(db):
    browser = Browser()
    with push_service() as service:
        person_with_device(service.url("/device/1"), browser)
        assert run_at(local(NAME, DAY, EIGHT_PM)) == 1
        [received] = service.received
    payload = json.loads(browser.decrypt(received.body))
    assert payload["title"] == "Time for your check-in"
    assert payload["url"] == "/diary/"
    assert received.headers["content-encoding"] == "aes128gcm"
    # Signed with the server's VAPID key, whose public half the settings page hands to the browser.
    assert f"k={push.public_key()}" in received.headers["authorization"]
    assert ReminderSend.objects.get().status == ReminderSend.Status.SENT
    assert not mail.outbox


def test_a_stranger_cannot_read_it(db):
    browser, eavesdropper = Browser(), Browser()
    with push_service() as service:
        person_with_device(service.url("/device/1"), browser)
        run_at(local(NAME, DAY, EIGHT_PM))
        body = service.received[0].body
    with pytest.raises(Exception):  # noqa: B017, PT011 (any decryption failure)
        eavesdropper.decrypt(body)


@pytest.mark.parametrize("status", [404, 410])
def test_an_expired_subscription_is_removed(db, status):
    with push_service() as service:
        service.status["/device/old"] = status
        user = person_with_device(service.url("/device/old"), Browser())
        do_subscribe_push(user, endpoint=service.url("/device/new"), p256dh=Browser().p256dh, auth=Browser().auth_b64)
        run_at(local(NAME, DAY, EIGHT_PM))
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [service.url("/device/new")]
    assert ReminderSend.objects.get().status == ReminderSend.Status.SENT


def test_a_push_service_that_is_down_or_hangs_does_not_stop_the_others(db):
    browsers = [Browser() for _ in range(3)]
    with push_service() as service:
        service.hang.add("/device/hangs")
        refused = person_with_device(closed_port_url(), browsers[0])
        hangs = person_with_device(service.url("/device/hangs"), browsers[1])
        fine = person_with_device(service.url("/device/fine"), browsers[2])
        assert run_at(local(NAME, DAY, EIGHT_PM)) == 3
        delivered = service.bodies("/device/fine")
    assert json.loads(browsers[2].decrypt(delivered[0]))["title"]
    status = {s.reminder.user_id: s.status for s in ReminderSend.objects.select_related("reminder")}
    assert status == {
        refused.pk: ReminderSend.Status.FAILED,
        hangs.pk: ReminderSend.Status.FAILED,
        fine.pk: ReminderSend.Status.SENT,
    }
    # The devices stay subscribed: a service that is down is not an expired subscription.
    assert PushSubscription.objects.count() == 3


def test_a_failed_push_is_retried_later_that_day_only_to_the_device_that_missed_it(db):
    reached, missed = Browser(), Browser()
    with push_service() as service:
        service.status["/device/b"] = 503
        user = person_with_device(service.url("/device/a"), reached)
        do_subscribe_push(user, endpoint=service.url("/device/b"), p256dh=missed.p256dh, auth=missed.auth_b64)
        run_at(local(NAME, DAY, EIGHT_PM))
        assert ReminderSend.objects.get().status == ReminderSend.Status.FAILED
        run_at(local(NAME, DAY, dt.time(20, 2)))  # too soon for a retry
        assert len(service.received) == 2
        del service.status["/device/b"]
        run_at(local(NAME, DAY, dt.time(20, 10)))
        assert [r.path for r in service.received] == ["/device/a", "/device/b", "/device/b"]
        assert ReminderSend.objects.get().status == ReminderSend.Status.SENT
        run_at(local(NAME, DAY, dt.time(20, 30)))
        assert len(service.received) == 3


def test_retries_stop_after_the_last_attempt(db):
    with push_service() as service:
        service.status["/device/a"] = 500
        person_with_device(service.url("/device/a"), Browser())
        for minute in range(0, 60, 6):
            run_at(local(NAME, DAY, EIGHT_PM) + dt.timedelta(minutes=minute))
        assert len(service.received) == scheduler.MAX_ATTEMPTS


def test_the_vapid_key_is_generated_once_into_the_var_directory(db, settings, tmp_path):
    settings.VAPID_PRIVATE_KEY = ""
    first = push.public_key()
    assert (tmp_path / "vapid_private.pem").exists()
    push._key.cache_clear()
    assert push.public_key() == first


def test_the_vapid_key_can_come_from_the_environment(db, settings):
    key = Vapid02()
    key.generate_keys()
    settings.VAPID_PRIVATE_KEY = key.private_pem().decode()
    assert isinstance(push.private_key(), ec.EllipticCurvePrivateKey)
    assert push.private_key().private_numbers() == key.private_key.private_numbers()
