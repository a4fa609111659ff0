"""Personal access tokens: shown once, stored hashed, scoped, expiring, revocable, rate limited."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from fibrotrack.accounts.actions import do_delete_account
from fibrotrack.api.access import token_digest
from fibrotrack.api.actions import do_create_token
from fibrotrack.api.models import ApiToken
from fibrotrack.api.tests.helpers import ApiClient, token_for
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = pytest.mark.django_db


def test_the_page_shows_a_new_token_once_and_stores_only_its_hash(owner, owner_client):
    url = reverse("api_tokens:index")
    response = owner_client.post(url, {"name": "My script", "scope": "read", "days": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = re.search(r'id="new-token" type="text" readonly value="(ft_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=owner)
    assert token.digest == token_digest(secret) and secret not in token.digest and token.scope == "read"
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    # Shown once: the next load lists the token by name and hint only.
    again = owner_client.get(url).content.decode()
    assert "My script" in again and secret not in again and token.hint in again
    assert ApiClient(secret).get("symptoms").status_code == 200


def test_the_page_refuses_a_lifetime_over_a_year_and_a_missing_name(owner, owner_client):
    url = reverse("api_tokens:index")
    assert owner_client.post(url, {"name": "x", "scope": "read", "days": "3650"}).status_code == 400
    assert owner_client.post(url, {"name": "  ", "scope": "write", "days": "30"}).status_code == 400
    assert not ApiToken.objects.exists()
    with pytest.raises(ValueError):
        do_create_token(owner, name="x", scope="read", days=400)


def test_a_revoked_token_stops_working(owner, owner_client):
    token, secret = do_create_token(owner, name="old", scope="read", days=30)
    assert ApiClient(secret).get("tags").status_code == 200
    response = owner_client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert ApiClient(secret).get("tags").status_code == 401
    assert "Revoked" in owner_client.get(reverse("api_tokens:index")).content.decode()


def test_nobody_else_can_revoke_a_token(owner, stranger_client):
    token, secret = do_create_token(owner, name="mine", scope="read", days=30)
    assert stranger_client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert ApiClient(secret).get("tags").status_code == 200


def test_a_token_stops_at_its_expiry(owner):
    _, secret = do_create_token(owner, name="week", scope="read", days=7)
    assert ApiClient(secret).get("tags").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        assert ApiClient(secret).get("tags").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(owner, django_assert_num_queries):
    token, secret = do_create_token(owner, name="t", scope="read", days=7)
    client = ApiClient(secret)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("tags")
        first = ApiToken.objects.get(pk=token.pk).last_used_at
        assert first == start
        # Within the minute: the token lookup and the tags, no write.
        with django_assert_num_queries(2):
            client.get("tags")
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        client.get("tags")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start + dt.timedelta(seconds=61)


def test_too_many_requests_get_429_with_retry_after(owner, settings):
    settings.FIBROTRACK_API_REQUESTS_PER_MINUTE = 3
    client = ApiClient(token_for(owner, "read"))
    start = timezone.now().replace(second=10, microsecond=0)
    with time_machine.travel(start, tick=False):
        assert [client.get("tags").status_code for _ in range(4)] == [200, 200, 200, 429]
        refused = client.get("tags")
        assert refused.status_code == 429 and refused["Retry-After"] == "50"
        # Another token of the same person has its own count.
        assert ApiClient(token_for(owner, "read")).get("tags").status_code == 200
    with time_machine.travel(start + dt.timedelta(seconds=60), tick=False):
        assert client.get("tags").status_code == 200


def test_deleting_the_account_removes_its_tokens(owner):
    _, secret = do_create_token(owner, name="t", scope="write", days=7)
    do_delete_account(owner, keep_posts=False)
    assert not ApiToken.objects.exists()
    assert ApiClient(secret).get("tags").status_code == 401


def test_a_year_of_checkins_is_listed_in_constant_queries(owner, django_assert_num_queries):
    client = ApiClient(token_for(owner, "read"))
    today = diary_day(owner)
    client.get("checkins")  # the first request notes the token's use and fills the per-person memo

    def count() -> int:
        with django_assert_num_queries(4):  # the token and its person, the days, their scores, their tags
            response = client.get("checkins")
        return len(response.json())

    make_checkin(owner, today - dt.timedelta(days=1), pain=3)
    assert count() == 1
    for n in range(2, 40):
        make_checkin(owner, today - dt.timedelta(days=n), pain=n % 10)
    assert count() == 39


def test_the_tokens_page_lists_in_constant_queries(owner, owner_client, django_assert_max_num_queries):
    url = reverse("api_tokens:index")
    do_create_token(owner, name="one", scope="read", days=7)
    owner_client.get(url)
    with django_assert_max_num_queries(8) as few:
        owner_client.get(url)
    for n in range(5):
        do_create_token(owner, name=f"more {n}", scope="write", days=30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = owner_client.get(url).content.decode()
    assert page.count("Revoke<span") == 6
