"""The reminders settings page, this device's push subscription and one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fibrotrack.reminders import tokens
from fibrotrack.reminders.actions import do_subscribe_push
from fibrotrack.reminders.models import PushSubscription, Reminder, ReminderSettings
from fibrotrack.treatments.tests.helpers import start

URL = reverse("reminders:settings")


@pytest.fixture(autouse=True)
def _var(settings: Any, tmp_path: Any) -> None:
    settings.VAR_DIR = tmp_path


def form(**extra: str) -> dict[str, str]:
    return {"reminder_time": "20:30", "time_zone": "Europe/Berlin", "by_email": "on", **extra}


def test_the_page_shows_the_choices_and_the_push_key(owner, owner_client, django_assert_max_num_queries):
    start(owner, "naltrexone", schedule="nightly")
    with django_assert_max_num_queries(12):
        response = owner_client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-push-key="' in page and "js/reminders.js" in page
    assert "Naltrexone (LDN) at 21:00" in page


def test_saving_schedules_the_reminders(owner, owner_client):
    regimen = start(owner, "naltrexone", schedule="nightly")
    response = owner_client.post(URL, form(paused_until="2099-01-01", **{f"dose_{regimen.pk}": "on"}))
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.reminder_time, owner.time_zone) == (dt.time(20, 30), "Europe/Berlin")
    assert ReminderSettings.objects.get(user=owner).paused_until == dt.date(2099, 1, 1)
    kinds = sorted(Reminder.objects.filter(user=owner, enabled=True).values_list("kind", "local_time"))
    assert kinds == [("checkin", dt.time(20, 30)), ("dose", dt.time(21, 0))]
    assert all(r.next_due_at is not None for r in Reminder.objects.filter(user=owner))


def test_turning_a_dose_reminder_off(owner, owner_client):
    regimen = start(owner, "naltrexone", schedule="nightly")
    owner_client.post(URL, form(**{f"dose_{regimen.pk}": "on"}))
    owner_client.post(URL, form())
    assert not Reminder.objects.filter(kind="dose", enabled=True).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus", "not a time zone we know"),
        ("reminder_time", "25:99", "Write the time like 20:30"),
        ("reminder_time", "evening", "Write the time like 20:30"),
        ("paused_until", "2000-01-01", "Pick a day after today"),
        ("paused_until", "someday", "Write the date like"),
    ],
)
def test_a_bad_value_is_refused_with_a_message(owner, owner_client, field, value, message):
    response = owner_client.post(URL, form(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    owner.refresh_from_db()
    assert owner.reminder_time is None and not Reminder.objects.exists()


def test_another_persons_regimen_cannot_be_switched_on(owner, stranger, stranger_client):
    theirs = start(owner, "naltrexone", schedule="nightly")
    stranger_client.post(URL, form(**{f"dose_{theirs.pk}": "on"}))
    assert not Reminder.objects.filter(regimen=theirs).exists()


def test_signed_out_people_are_sent_to_sign_in(db):
    for name in ("settings", "calendar_new", "calendar_stop", "push_subscribe", "push_unsubscribe"):
        response = Client().post(reverse(f"reminders:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def _post_json(client: Client, name: str, data: dict[str, Any]) -> Any:
    return client.post(reverse(f"reminders:{name}"), json.dumps(data), content_type="application/json")


SUBSCRIPTION = {"endpoint": "https://push.example.org/abc", "keys": {"p256dh": "BPUB", "auth": "AUTH"}}


def test_this_device_subscribes_and_unsubscribes(owner, owner_client):
    assert _post_json(owner_client, "push_subscribe", SUBSCRIPTION).status_code == 201
    assert _post_json(owner_client, "push_subscribe", SUBSCRIPTION).status_code == 201  # again: still one
    assert PushSubscription.objects.get().user == owner
    assert _post_json(owner_client, "push_unsubscribe", {"endpoint": SUBSCRIPTION["endpoint"]}).status_code == 200
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"endpoint": "http://push.example.org/x", "keys": {"p256dh": "a", "auth": "b"}}, {"endpoint": "https://x"}],
)
def test_an_unusable_subscription_is_refused(owner_client, data):
    assert _post_json(owner_client, "push_subscribe", data).status_code == 400
    assert not PushSubscription.objects.exists()


def test_another_person_cannot_remove_my_device(owner, stranger_client):
    do_subscribe_push(owner, endpoint=SUBSCRIPTION["endpoint"], p256dh="BPUB", auth="AUTH")
    response = _post_json(stranger_client, "push_unsubscribe", {"endpoint": SUBSCRIPTION["endpoint"]})
    assert response.status_code == 404
    assert PushSubscription.objects.filter(user=owner).exists()


def test_one_click_unsubscribe_works_without_signing_in(owner):
    url = tokens.unsubscribe_url(owner.pk)
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200 and "Stop the reminder e-mails?" in page.content.decode()
    assert ReminderSettings.objects.filter(user=owner, by_email=False).count() == 0
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert ReminderSettings.objects.get(user=owner).by_email is False


def test_a_bad_unsubscribe_token_changes_nothing(owner):
    token = tokens.unsubscribe_token(owner.pk)
    response = Client().post(reverse("reminders:unsubscribe", args=[token[:-3] + "abc"]))
    assert response.status_code == 400
    assert not ReminderSettings.objects.exists()


def test_the_general_settings_page_links_to_reminders(owner_client):
    assert URL in owner_client.get(reverse("accounts:settings")).content.decode()


def test_without_a_usable_push_key_the_page_still_works(owner_client, settings):
    settings.VAPID_PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----"
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert "data-push-key" not in response.content.decode()
