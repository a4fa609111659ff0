"""Sessions and the signed-in person: Django's cached_db sessions and Django's and allauth's backends."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _request(client):
    request = RequestFactory().get("/")
    request.session = SessionStore(client.cookies["sessionid"].value)
    return request


def test_it_uses_djangos_own_session_store_and_backends():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert settings.AUTHENTICATION_BACKENDS == [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ]


def test_a_signed_in_request_reads_only_the_person_from_the_database(owner, client, django_assert_num_queries):
    client.force_login(owner)
    with django_assert_num_queries(1):  # the session comes from the cache
        assert get_user(_request(client)) == owner


def test_a_session_outlives_the_cache(owner, client, django_assert_num_queries):
    client.force_login(owner)
    cache.clear()  # a restarted Redis, a culled file
    with django_assert_num_queries(2):  # the session from the database, the person
        assert get_user(_request(client)) == owner
    with django_assert_num_queries(1):  # and it is cached again
        assert get_user(_request(client)) == owner


def test_an_expired_session_signs_nobody_in(owner, client):
    client.force_login(owner)
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    cache.clear()
    assert get_user(_request(client)).is_anonymous


def test_a_deactivated_person_is_signed_out(owner, client):
    client.force_login(owner)
    owner.is_active = False
    owner.save()
    assert get_user(_request(client)).is_anonymous


def test_signing_out_forgets_the_session_everywhere(owner, client):
    client.force_login(owner)
    key = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert SessionStore(key).load() == {}


def test_a_person_signed_in_by_email_stays_signed_in(owner, client):
    owner.set_password("correct horse battery")
    owner.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(user=owner, email=owner.email, defaults={"verified": True, "primary": True})
    response = client.post("/accounts/login/", {"login": owner.email, "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.get("/diary/").wsgi_request.user == owner
