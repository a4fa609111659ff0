"""Sign-up, sign-in and their throttles: no account is revealed, nobody is locked out by someone else."""

import importlib
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fibrotrack.accounts.models import User
from fibrotrack.lib.testing.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a sturdy passphrase 42"  # noqa: S105


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def _sign_up(client, email):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )


def _log_in(client, email, password=PASSWORD, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, headers=headers)


def _signed_in(client):
    return "_auth_user_id" in client.session


def test_sign_up_answers_the_same_for_a_taken_and_a_free_address():
    UserFactory(email="diarist@example.org")
    taken = _sign_up(Client(), "diarist@example.org")
    free = _sign_up(Client(), "newcomer@example.org")
    assert taken.status_code == free.status_code == 302
    assert taken["Location"] == free["Location"] == reverse("account_email_verification_sent")
    page = Client().get(taken["Location"]).content.decode()
    assert "already registered" not in page
    assert User.objects.filter(email="diarist@example.org").count() == 1
    # The owner of the taken address hears about it; nobody else learns anything.
    to_owner = [m for m in mail.outbox if "diarist@example.org" in m.to]
    assert len(to_owner) == 1
    assert "confirm-email" not in to_owner[0].body


def test_a_new_account_confirms_its_address_and_then_onboards():
    client = Client()
    _sign_up(client, "newcomer@example.org")
    assert not _signed_in(client)
    link = re.search(r"https?://\S+confirm-email/\S+", mail.outbox[-1].body).group(0)
    response = client.post("/" + link.split("/", 3)[3])
    assert _signed_in(client)
    assert response["Location"] == reverse("accounts:onboarding")


def _failures(client, email, n, **headers):
    for _ in range(n):
        _log_in(client, email, "wrong", **headers)


def test_failed_passwords_cannot_lock_the_owner_out_of_an_emailed_code():
    owner = UserFactory(email="target@example.org")
    _failures(Client(REMOTE_ADDR="203.0.113.9"), owner.email, 5)
    blocked = Client()
    response = _log_in(blocked, owner.email)
    assert not _signed_in(blocked)
    assert "sign in with a code" in response.content.decode()

    client = Client()
    response = client.post(reverse("account_request_login_code"), {"email": owner.email})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    client.post(reverse("account_confirm_login_code"), {"code": code})
    assert _signed_in(client)


def test_a_steady_guesser_backs_off_to_an_hourly_limit():
    owner = UserFactory(email="target@example.org")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    start = timezone.now()
    # Five guesses every six minutes stay under the five-minute limit...
    for window in range(4):
        with time_machine.travel(start + timezone.timedelta(minutes=6 * window), tick=False):
            _failures(attacker, owner.email, 5)
    # ...but twenty in the hour hold the password login shut for longer than five minutes.
    with time_machine.travel(start + timezone.timedelta(minutes=30), tick=False):
        client = Client()
        _log_in(client, owner.email)
        assert not _signed_in(client)
    with time_machine.travel(start + timezone.timedelta(minutes=90), tick=False):
        client = Client()
        _log_in(client, owner.email)
        assert _signed_in(client)


def _settings_with_env(monkeypatch, **env):
    import config.settings

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        return vars(importlib.reload(config.settings)).copy()
    finally:
        for name in env:
            monkeypatch.delenv(name)
        importlib.reload(config.settings)


def test_behind_the_documented_proxy_each_client_has_its_own_login_limit(settings, monkeypatch):
    configured = _settings_with_env(monkeypatch, TRUSTED_PROXY_COUNT="1")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = configured["ALLAUTH_TRUSTED_PROXY_COUNT"]
    UserFactory(email="someone@example.org")
    other = UserFactory(email="other@example.org")
    # Every request reaches the app from nginx; nginx appends the real client address.
    attacker = Client(REMOTE_ADDR="10.0.0.2")
    for n in range(12):
        _log_in(attacker, "someone@example.org", "wrong", x_forwarded_for=f"198.18.0.{n}, 203.0.113.9")
    person = Client(REMOTE_ADDR="10.0.0.2")
    _log_in(person, other.email, x_forwarded_for="198.51.100.7")
    assert _signed_in(person)
    # The attacker's own address is held back, whatever it writes in the header.
    _log_in(attacker, "third@example.org", "wrong", x_forwarded_for="198.18.1.1, 203.0.113.9")
    late = _log_in(attacker, other.email, x_forwarded_for="198.18.1.2, 203.0.113.9")
    assert "Too many failed login attempts" in late.content.decode()


def test_the_proxy_count_is_documented_with_the_nginx_example():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "deployment.md").read_text()
    assert "TRUSTED_PROXY_COUNT=1" in text
