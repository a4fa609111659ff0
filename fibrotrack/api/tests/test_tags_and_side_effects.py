"""Tags and side effects written through the API: idempotent, checked by the apps' own rules."""

import datetime as dt
import uuid

import pytest

from fibrotrack.api.tests.helpers import ApiClient, token_for
from fibrotrack.diary.models import Tag
from fibrotrack.lib.dates import diary_day
from fibrotrack.treatments.models import SideEffect

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    return ApiClient(token_for(owner, "write"))


def test_a_new_tag_is_created_once_and_then_answered_as_it_is(owner, api):
    first = api.post("tags", {"name": "Long drive"})
    assert first.status_code == 201, first.content
    tag = first.json()
    assert tag["name"] == "Long drive" and tag["is_builtin"] is False
    again = api.post("tags", {"name": "  long DRIVE "})
    assert again.status_code == 200
    assert again.json() == tag
    assert Tag.objects.filter(user=owner).count() == 1


def test_a_new_tag_can_be_used_in_a_check_in_at_once(owner, api):
    key = api.post("tags", {"name": "Cold weather"}).json()["key"]
    body = {"client_id": str(uuid.uuid4()), "scores": {"pain": 3}, "tags": [key]}
    response = api.put(f"checkins/{diary_day(owner).isoformat()}", body)
    assert response.status_code == 200, response.content
    assert response.json()["tags"] == [key]


@pytest.mark.parametrize("name", ["", "   ", "x" * 41, "nul\x00byte"])
def test_a_bad_tag_name_creates_nothing(owner, api, name):
    response = api.post("tags", {"name": name})
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert not Tag.objects.filter(user=owner).exists()


def test_a_read_only_token_cannot_add_a_tag(owner):
    response = ApiClient(token_for(owner, "read")).post("tags", {"name": "Nope"})
    assert response.status_code == 403
    assert not Tag.objects.filter(user=owner).exists()


def test_another_persons_tag_of_the_same_name_is_not_reused(owner, stranger, api):
    theirs = ApiClient(token_for(stranger, "write")).post("tags", {"name": "Sauna"}).json()
    mine = api.post("tags", {"name": "Sauna"})
    assert mine.status_code == 201
    assert mine.json()["id"] != theirs["id"]


def test_the_same_side_effect_sent_twice_is_recorded_once(owner, api):
    onset = (diary_day(owner) - dt.timedelta(days=2)).isoformat()
    body = {"name": "Headache", "severity": "mild", "onset_on": onset, "note": "after lunch"}
    first = api.post("side-effects", body)
    assert first.status_code == 201, first.content
    again = api.post("side-effects", body)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert SideEffect.objects.filter(user=owner).count() == 1
    # A different answer is a different record.
    assert api.post("side-effects", {**body, "severity": "severe"}).status_code == 201
    assert SideEffect.objects.filter(user=owner).count() == 2
