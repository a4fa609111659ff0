import datetime as dt

import pytest
from django.apps import apps
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from fibrotrack.accounts.models import User
from fibrotrack.diary.models import TrackedSymptom
from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.testing.factories import PASSWORD, UserFactory, make_checkin

pytestmark = pytest.mark.django_db


def test_signing_up_sends_a_verification_email_before_anything_else(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "a sturdy passphrase 42", "password2": "a sturdy passphrase 42"},
    )
    assert response.status_code == 302
    # The same answer as for an address that already has an account (test_login_protection).
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.get(email="new@example.org").password.startswith("md5$")  # the test hasher
    assert any("new@example.org" in m.to for m in mail.outbox)


def test_a_person_who_has_not_onboarded_is_sent_to_onboarding(client):
    user = UserFactory(onboarded=False)
    client.force_login(user)
    assert client.get(reverse("diary:today"))["Location"] == reverse("accounts:onboarding")


def test_onboarding_creates_the_chosen_symptoms_and_a_custom_one(client):
    user = UserFactory(onboarded=False)
    client.force_login(user)
    response = client.post(
        reverse("accounts:onboarding"),
        {
            "defaults": ["pain", "fatigue", "sleep_quality"],
            "custom_name": "Headache",
            "custom_direction": "lower",
            "custom_scale": "5",
            "time_zone": "America/Chicago",
            "day_starts_at_hour": "5",
            "display_name": "Sunny",
        },
    )
    assert response["Location"] == reverse("diary:today")
    user.refresh_from_db()
    assert user.onboarded_at is not None
    assert (user.time_zone, user.day_starts_at_hour, user.display_name) == ("America/Chicago", 5, "Sunny")
    assert [s.name for s in TrackedSymptom.objects.filter(user=user, is_active=True)] == [
        "Pain",
        "Fatigue",
        "Sleep quality",
        "Headache",
    ]
    sleep = TrackedSymptom.objects.get(user=user, key="sleep_quality")
    assert sleep.lower_is_better is False
    headache = TrackedSymptom.objects.get(user=user, name="Headache")
    assert (headache.scale_min, headache.scale_max, headache.lower_is_better, headache.is_custom) == (0, 5, True, True)


def test_onboarding_needs_at_least_one_symptom(client):
    user = UserFactory(onboarded=False)
    client.force_login(user)
    response = client.post(reverse("accounts:onboarding"), {"time_zone": "UTC", "day_starts_at_hour": "4"})
    assert response.status_code == 400
    assert "Choose at least one thing to track" in response.content.decode()


def test_settings_reject_an_unknown_time_zone(owner_client):
    response = owner_client.post(
        reverse("accounts:settings"), {"time_zone": "Mars/Base", "day_starts_at_hour": "4", "units": "metric"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_settings_save(owner, owner_client):
    response = owner_client.post(
        reverse("accounts:settings"),
        {
            "display_name": "Owl",
            "time_zone": "Asia/Tokyo",
            "day_starts_at_hour": "3",
            "units": "us",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.display_name, owner.time_zone, owner.day_starts_at_hour, owner.units) == (
        "Owl",
        "Asia/Tokyo",
        3,
        "us",
    )


def test_login_is_throttled_after_repeated_failures(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/5m/key"}
    UserFactory(email="target@example.org")
    client = Client()
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "target@example.org", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "target@example.org", "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_deleting_needs_the_word_and_the_password(owner, owner_client):
    response = owner_client.post(reverse("accounts:delete"), {"posts": "delete", "confirm": "yes", "password": "nope"})
    assert response.status_code == 400
    assert User.objects.filter(pk=owner.pk).exists()


def _row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_deleting_an_account_leaves_nothing_of_theirs_in_any_table(client):
    bystander, _ = build_demo("bystander@example.org", PASSWORD, days=30, seed=1)
    before = _row_counts()
    victim, _ = build_demo("victim@example.org", PASSWORD, days=60, seed=2)
    make_checkin(victim, dt.date(2020, 1, 1), pain=4, note="edited")  # adds the revision log too
    client.post(reverse("account_login"), {"login": "victim@example.org", "password": PASSWORD})
    other_device = Client()
    other_device.force_login(victim)
    during = _row_counts()
    grown = {label for label, count in during.items() if count > before[label]}
    assert {
        "accounts.User",
        "diary.CheckIn",
        "diary.SymptomScore",
        "diary.CheckInRevision",
        "sessions.Session",
    } <= grown

    response = client.post(reverse("accounts:delete"), {"posts": "delete", "confirm": "DELETE", "password": PASSWORD})

    assert response["Location"] == reverse("home")
    after = _row_counts()
    # The demo also gives the community cast new threads and replies; those are
    # other people's words and stay. Everything else must be back where it was.
    community = {label for label in after if label.startswith("community.")}
    assert {k: v for k, v in after.items() if k not in community} == {
        k: v for k, v in before.items() if k not in community
    }, "some rows of the deleted person remain"
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.many_to_one and field.related_model is User:
                assert not model._default_manager.filter(**{field.name: victim.pk}).exists(), (
                    f"{model._meta.label}.{field.name} still points at the deleted person"
                )
    # Nor does their address or their words survive in any text column of any table.
    from django.db import models as m

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, (m.CharField, m.TextField)) and not field.is_relation:
                for marker in ("victim@example.org", "edited"):
                    if marker == "edited" and model._meta.label.startswith("community."):
                        continue  # other people's posts may say "edited"
                    assert not model._default_manager.filter(**{f"{field.name}__contains": marker}).exists(), (
                        f"{model._meta.label}.{field.name} still holds {marker!r}"
                    )
    assert not Session.objects.filter(session_key=other_device.session.session_key).exists()
    assert not cache.get(cached_db.KEY_PREFIX + other_device.session.session_key)  # nor its cached copy
    assert "_auth_user_id" not in client.session
    assert User.objects.filter(pk=bystander.pk).exists()
