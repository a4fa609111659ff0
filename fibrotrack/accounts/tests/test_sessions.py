"""The session store and the backends read with one statement, and behave exactly as Django's."""

import datetime as dt

import pytest
from django.contrib.auth import get_user
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.utils import timezone

from fibrotrack.accounts import backends
from fibrotrack.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _stored(**data):
    store = SessionStore()
    store.update(data)
    store.create()
    store.save()
    return store.session_key


def test_it_reads_a_stored_session():
    key = _stored(colour="blue")
    assert SessionStore(key).load() == {"colour": "blue"}


def test_an_expired_session_is_empty_and_loses_its_key():
    key = _stored(colour="blue")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


@pytest.mark.parametrize("key", ["x" * 32, None])
def test_an_unknown_or_missing_key_is_an_empty_session(key):
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_a_new_key_is_saved_on_write_not_reused():
    # A forged key never becomes someone's session: the store makes its own.
    store = SessionStore("forged" + "x" * 26)
    store["colour"] = "red"
    store.save()
    assert store.session_key != "forged" + "x" * 26
    assert SessionStore(store.session_key).load() == {"colour": "red"}


def test_reading_a_session_is_one_query(django_assert_num_queries):
    key = _stored(colour="blue")
    with django_assert_num_queries(1):
        SessionStore(key).load()


def test_a_signed_in_request_costs_two_queries(owner, client, django_assert_num_queries):
    client.force_login(owner)
    request = RequestFactory().get("/")
    request.session = SessionStore(client.cookies["sessionid"].value)
    with django_assert_num_queries(2):  # the session, the person
        assert get_user(request) == owner


@pytest.mark.parametrize("backend", [backends.ModelBackend(), backends.AuthenticationBackend()])
def test_each_backend_returns_an_active_person_and_nobody_else(backend, owner, stranger):
    stranger.is_active = False
    stranger.save()
    found = backend.get_user(str(owner.pk))  # the session stores the key as text
    assert found == owner
    assert (found.email, found.time_zone, found.date_joined) == (owner.email, owner.time_zone, owner.date_joined)
    assert backend.get_user(stranger.pk) is None
    assert backend.get_user(owner.pk + 1000) is None


def test_a_person_signed_in_by_email_stays_signed_in(owner, client):
    owner.set_password("correct horse battery")
    owner.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(user=owner, email=owner.email, defaults={"verified": True, "primary": True})
    response = client.post("/accounts/login/", {"login": owner.email, "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.get("/diary/").wsgi_request.user == owner
