"""Check-ins through the API: idempotent by client_id, stale versions refused, bad input changes nothing."""

import datetime as dt
import uuid

import pytest

from fibrotrack.api.tests.helpers import ApiClient, token_for
from fibrotrack.diary.models import CheckIn, CheckInRevision, CheckInSubmission
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    return ApiClient(token_for(owner, "write"))


def _url(day):
    return f"checkins/{day.isoformat()}"


def test_a_put_saves_the_day_and_reads_back(owner, api):
    day = diary_day(owner)
    body = {"client_id": str(uuid.uuid4()), "scores": {"pain": 6, "fatigue": 3}, "hours_slept": 6.5, "note": "ok"}
    response = api.put(_url(day), body)
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["changed"] is True
    assert saved["scores"] == {"pain": 6, "fatigue": 3}
    assert saved["hours_slept"] == 6.5
    got = api.get(_url(day)).json()
    assert got["scores"] == {"pain": 6, "fatigue": 3} and got["note"] == "ok"
    assert got["version"] == saved["version"]


def test_the_same_client_id_sent_twice_saves_once(owner, api):
    day = diary_day(owner)
    body = {"client_id": str(uuid.uuid4()), "scores": {"pain": 4}}
    first = api.put(_url(day), body)
    again = api.put(_url(day), body)
    assert first.status_code == again.status_code == 200
    assert first.json()["changed"] is True and again.json()["changed"] is False
    assert {k: v for k, v in first.json().items() if k != "changed"} == {
        k: v for k, v in again.json().items() if k != "changed"
    }
    assert CheckInRevision.objects.filter(user=owner, day=day).count() == 1
    assert CheckInSubmission.objects.filter(user=owner).count() == 1


def test_a_replay_does_not_undo_a_later_save(owner, api):
    day = diary_day(owner)
    key = str(uuid.uuid4())
    api.put(_url(day), {"client_id": key, "scores": {"pain": 4}})
    api.put(_url(day), {"client_id": str(uuid.uuid4()), "scores": {"pain": 9}})
    replay = api.put(_url(day), {"client_id": key, "scores": {"pain": 4}})
    assert replay.status_code == 200 and replay.json()["scores"]["pain"] == 9


def test_a_client_id_of_another_day_is_refused_clearly(owner, api):
    day = diary_day(owner)
    key = str(uuid.uuid4())
    api.put(_url(day), {"client_id": key, "scores": {"pain": 4}})
    yesterday = day - dt.timedelta(days=1)
    response = api.put(_url(yesterday), {"client_id": key, "scores": {"pain": 7}})
    assert response.status_code == 409
    assert day.isoformat() in response.json()["detail"]
    assert not CheckIn.objects.filter(user=owner, day=yesterday).exists()


def test_a_put_without_client_id_is_refused(owner, api):
    response = api.put(_url(diary_day(owner)), {"scores": {"pain": 4}})
    assert response.status_code == 422
    assert not CheckIn.objects.filter(user=owner).exists()


def test_a_stale_version_is_refused_with_the_differences(owner, api):
    day = diary_day(owner)
    first = api.put(_url(day), {"client_id": str(uuid.uuid4()), "scores": {"pain": 4}}).json()
    api.put(_url(day), {"client_id": str(uuid.uuid4()), "scores": {"pain": 8}, "version": first["version"]})
    stale = api.put(_url(day), {"client_id": str(uuid.uuid4()), "scores": {"pain": 2}, "version": first["version"]})
    assert stale.status_code == 409
    body = stale.json()
    assert [c["field"] for c in body["conflicts"]] == [f"s_{owner.symptoms.get(key='pain').pk}"]
    assert body["version"] != first["version"]
    assert CheckIn.objects.get(user=owner, day=day).score_map[owner.symptoms.get(key="pain").pk] == 8
    # Sent again with the version it was told about, the save goes through.
    retry = api.put(_url(day), {"client_id": str(uuid.uuid4()), "scores": {"pain": 2}, "version": body["version"]})
    assert retry.status_code == 200 and retry.json()["scores"]["pain"] == 2


@pytest.mark.parametrize(
    ("body", "raw"),
    [
        (None, "{not json"),
        (None, "[1, 2]"),
        ({"client_id": "not-a-uuid", "scores": {"pain": 4}}, None),
        ({"client_id": "00000000-0000-4000-8000-000000000001", "scores": {"pain": "lots"}}, None),
        ({"client_id": "00000000-0000-4000-8000-000000000001", "scores": {"pain": 11}}, None),
        ({"client_id": "00000000-0000-4000-8000-000000000001", "scores": {"no_such": 1}}, None),
        ({"client_id": "00000000-0000-4000-8000-000000000001", "tags": ["no_such_tag"]}, None),
        ({"client_id": "00000000-0000-4000-8000-000000000001", "pain_regions": ["tail"]}, None),
        ({"client_id": "00000000-0000-4000-8000-000000000001", "hours_slept": 25}, None),
        ({"client_id": "00000000-0000-4000-8000-000000000001", "surprise": 1}, None),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(owner, api, body, raw):
    response = api.request("PUT", _url(diary_day(owner)), body, raw=raw)
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"]
    assert not CheckIn.objects.filter(user=owner).exists()
    assert not CheckInSubmission.objects.filter(user=owner).exists()


def test_a_future_day_is_refused(owner, api):
    tomorrow = diary_day(owner) + dt.timedelta(days=1)
    response = api.put(_url(tomorrow), {"client_id": str(uuid.uuid4()), "scores": {"pain": 4}})
    assert response.status_code == 422
    assert "hasn’t happened" in response.json()["detail"]


def test_the_list_covers_the_period_oldest_first(owner, api):
    today = diary_day(owner)
    for n in (1, 2, 40):
        make_checkin(owner, today - dt.timedelta(days=n), pain=n % 10)
    start = (today - dt.timedelta(days=10)).isoformat()
    listed = api.get(f"checkins?start={start}").json()
    days = [c["day"] for c in listed]
    assert days == [(today - dt.timedelta(days=2)).isoformat(), (today - dt.timedelta(days=1)).isoformat()]
    # The list says what one day's answer says, version included.
    assert listed[-1] == api.get(f"checkins/{days[-1]}").json()
    assert api.get(f"checkins?start={today.isoformat()}&end={start}").status_code == 422
    assert api.get("checkins?start=0001-01-01").status_code == 422  # more than 400 days
    assert api.get("checkins?end=0001-01-01").json() == []  # the calendar's first year: no overflow
    assert api.get("doses?end=9999-12-31").status_code == 200


def test_a_day_can_be_deleted(owner, api):
    day = diary_day(owner) - dt.timedelta(days=1)
    make_checkin(owner, day, pain=5)
    assert api.request("DELETE", _url(day)).status_code == 204
    assert not CheckIn.objects.filter(user=owner, day=day).exists()
    assert api.request("DELETE", _url(day)).status_code == 404


def test_a_token_write_needs_no_csrf_token(owner):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    body = {"client_id": str(uuid.uuid4()), "scores": {"pain": 4}}
    headers = {"Authorization": f"Bearer {token_for(owner, 'write')}"}
    response = client.put(
        f"/api/v1/checkins/{diary_day(owner).isoformat()}", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 200
