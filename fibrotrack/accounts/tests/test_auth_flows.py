"""Every account flow end to end: verify, log in and out, reset, change e-mail and password, TOTP."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fibrotrack.accounts.models import User
from fibrotrack.lib.testing.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a different sturdy passphrase 77"  # noqa: S105


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth's rate limits (e-mail cooldowns and so on) live in the cache; start each test clean."""
    from django.core.cache import cache

    cache.clear()


def _last_link(fragment):
    body = mail.outbox[-1].body
    links = re.findall(r"https?://[^\s]+", body)
    matching = [link for link in links if fragment in link]
    assert matching, body
    return "/" + matching[-1].split("/", 3)[3]


def _log_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_the_emailed_link_verifies_the_address(client):
    client.post(
        reverse("account_signup"),
        {"email": "verify@example.org", "password1": "a sturdy passphrase 42", "password2": "a sturdy passphrase 42"},
    )
    address = EmailAddress.objects.get(email="verify@example.org")
    assert not address.verified
    link = _last_link("confirm-email")
    assert client.get(link).status_code == 200  # shows a button; a GET alone changes nothing
    assert not EmailAddress.objects.get(pk=address.pk).verified
    client.post(link)
    assert EmailAddress.objects.get(pk=address.pk).verified


def test_log_in_and_out():
    user = UserFactory(email="inout@example.org")
    client = Client()
    response = _log_in(client, "inout@example.org")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    wrong = Client()
    assert _log_in(wrong, "inout@example.org", "wrong password").status_code == 200
    assert "_auth_user_id" not in wrong.session
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("diary:today"))["Location"].startswith(reverse("account_login"))


def test_a_forgotten_password_is_reset_through_the_emailed_link():
    user = UserFactory(email="forgot@example.org")
    client = Client()
    client.post(reverse("account_reset_password"), {"email": "forgot@example.org"})
    link = _last_link("/password/reset/key/")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


def test_a_reset_for_an_unknown_address_reveals_nothing():
    client = Client()
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302  # the same "check your e-mail" page as for a real account
    assert not any("password/reset/key" in m.body for m in mail.outbox)


def test_the_password_can_be_changed():
    user = UserFactory(email="change@example.org")
    client = Client()
    _log_in(client, "change@example.org")
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    refused = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not it", "password1": "another one 123456", "password2": "another one 123456"},
    )
    assert refused.status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_email_address_can_be_changed_after_confirming_the_new_one():
    user = UserFactory(email="old@example.org")
    EmailAddress.objects.create(user=user, email="old@example.org", primary=True, verified=True)
    client = Client()
    _log_in(client, "old@example.org")
    client.post(reverse("account_email"), {"action_add": "", "email": "moved@example.org"})
    added = EmailAddress.objects.get(user=user, email="moved@example.org")
    assert not added.verified
    client.post(_last_link("confirm-email"))
    added.refresh_from_db()
    assert added.verified
    client.post(reverse("account_email"), {"action_primary": "", "email": "moved@example.org"})
    user.refresh_from_db()
    assert user.email == "moved@example.org"
    assert _log_in(Client(), "moved@example.org").status_code == 302


def _code(secret, at):
    return format_hotp_value(hotp_value(secret, int(at.timestamp()) // 30))


def test_two_factor_authentication_with_totp_is_optional_and_then_required():
    UserFactory(email="totp@example.org")
    client = Client()
    assert _log_in(client, "totp@example.org")["Location"] == reverse("diary:today")  # off by default

    # Turning it on is a sensitive change: allauth asks for the password again first.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        page = client.get(reverse("mfa_activate_totp"))
        assert page.status_code == 200, page.get("Location")
        secret = client.session[SECRET_SESSION_KEY]
        response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret, start)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user__email="totp@example.org", type=Authenticator.Type.TOTP).exists()

    later = start + dt.timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        fresh = Client()
        response = _log_in(fresh, "totp@example.org")
        assert response["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in fresh.session  # the password alone is not enough
        fresh.post(reverse("mfa_authenticate"), {"code": "000000" if _code(secret, later) != "000000" else "111111"})
        assert "_auth_user_id" not in fresh.session
        fresh.post(reverse("mfa_authenticate"), {"code": _code(secret, later)})
        assert fresh.session["_auth_user_id"] == str(User.objects.get(email="totp@example.org").pk)


def test_argon2_really_hashes_in_production_settings(settings):
    # The suite uses a fast hasher; prove the real settings' one is installed and works.
    from config import settings as real

    settings.PASSWORD_HASHERS = real.PASSWORD_HASHERS
    assert make_password("x").startswith("argon2$argon2id$")
