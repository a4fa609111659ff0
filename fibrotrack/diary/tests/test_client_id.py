"""A check-in sent twice under one client id (the offline outbox, the API) is one save.

Runs on SQLite and PostgreSQL (DATABASE_URL).
"""

import datetime as dt
import html
import io
import re
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fibrotrack.diary.actions import SUBMISSION_DAYS, CheckInData, ClientIdUsed, do_delete_checkin, do_save_checkin
from fibrotrack.diary.models import CheckIn, CheckInRevision, CheckInSubmission
from fibrotrack.lib.dates import diary_day

pytestmark = pytest.mark.django_db


def _pain(user):
    return user.symptoms.get(key="pain").pk


def _data(user, pain, note=""):
    return CheckInData(scores={_pain(user): pain}, note=note)


def test_it_saves_once_for_one_client_id(owner):
    day = diary_day(owner)
    key = uuid.uuid4()
    first, changed = do_save_checkin(owner, day, _data(owner, 4, "tired"), client_id=key)
    again, changed_again = do_save_checkin(owner, day, _data(owner, 4, "tired"), client_id=key)
    assert changed and not changed_again
    assert again.pk == first.pk
    assert CheckInRevision.objects.filter(user=owner, day=day).count() == 1
    assert CheckInSubmission.objects.filter(user=owner, client_id=key, checkin=first).count() == 1


def test_a_replay_does_not_undo_a_later_edit(owner):
    day = diary_day(owner)
    key = uuid.uuid4()
    do_save_checkin(owner, day, _data(owner, 4), client_id=key)
    do_save_checkin(owner, day, _data(owner, 9), client_id=uuid.uuid4())
    # The outbox sends the first save again (its answer was lost): the 9 stands.
    checkin, changed = do_save_checkin(owner, day, _data(owner, 4), client_id=key)
    assert not changed
    assert checkin.score_map[_pain(owner)] == 9


def test_a_replay_does_not_bring_back_a_deleted_day(owner):
    day = diary_day(owner)
    key = uuid.uuid4()
    checkin, _ = do_save_checkin(owner, day, _data(owner, 4), client_id=key)
    do_delete_checkin(checkin)
    replayed, changed = do_save_checkin(owner, day, _data(owner, 4), client_id=key)
    assert not changed and replayed.pk is None
    assert not CheckIn.objects.filter(user=owner, day=day).exists()


def test_it_refuses_a_client_id_used_for_another_day(owner):
    day = diary_day(owner)
    key = uuid.uuid4()
    do_save_checkin(owner, day, _data(owner, 4), client_id=key)
    with pytest.raises(ClientIdUsed):
        do_save_checkin(owner, day - dt.timedelta(days=1), _data(owner, 7), client_id=key)
    assert not CheckIn.objects.filter(user=owner, day=day - dt.timedelta(days=1)).exists()


def test_one_client_id_is_per_person(owner, stranger):
    key = uuid.uuid4()
    do_save_checkin(owner, diary_day(owner), _data(owner, 4), client_id=key)
    # Another person's outbox may never collide with (or probe) this one's ids.
    checkin, changed = do_save_checkin(stranger, diary_day(stranger), _data(stranger, 6), client_id=key)
    assert changed and checkin.user == stranger


def _client_id(response):
    match = re.search(r'name="client_id" value="([^"]*)"', response.content.decode())
    return html.unescape(match.group(1))


def test_the_page_gives_each_load_its_own_client_id(owner, owner_client):
    url = reverse("diary:day", kwargs={"day": diary_day(owner).isoformat()})
    first, second = _client_id(owner_client.get(url)), _client_id(owner_client.get(url))
    assert uuid.UUID(first) and uuid.UUID(second) and first != second


def test_the_page_saves_a_form_sent_twice_once(owner, owner_client):
    url = reverse("diary:day", kwargs={"day": diary_day(owner).isoformat()})
    page = owner_client.get(url)
    form = {f"s_{_pain(owner)}": "5", "client_id": _client_id(page)}
    assert owner_client.post(url, form).status_code == 302
    assert owner_client.post(url, {**form, f"s_{_pain(owner)}": "8"}).status_code == 302
    assert CheckIn.objects.get(user=owner).score_map[_pain(owner)] == 5


def test_the_page_refuses_a_client_id_of_another_day_clearly(owner, owner_client):
    today = diary_day(owner)
    key = str(uuid.uuid4())
    owner_client.post(
        reverse("diary:day", kwargs={"day": today.isoformat()}), {f"s_{_pain(owner)}": "5", "client_id": key}
    )
    yesterday = reverse("diary:day", kwargs={"day": (today - dt.timedelta(days=1)).isoformat()})
    response = owner_client.post(yesterday, {f"s_{_pain(owner)}": "7", "client_id": key})
    assert response.status_code == 400
    assert "already used for another day" in response.content.decode()
    assert CheckIn.objects.filter(user=owner).count() == 1


def test_the_page_refuses_a_malformed_client_id(owner, owner_client):
    url = reverse("diary:day", kwargs={"day": diary_day(owner).isoformat()})
    response = owner_client.post(url, {f"s_{_pain(owner)}": "5", "client_id": "not-a-uuid"})
    assert response.status_code == 400
    assert not CheckIn.objects.filter(user=owner).exists()


def test_it_forgets_client_ids_after_the_outbox_window(owner):
    day = diary_day(owner)
    old, recent = uuid.uuid4(), uuid.uuid4()
    do_save_checkin(owner, day, _data(owner, 4), client_id=old)
    do_save_checkin(owner, day - dt.timedelta(days=1), _data(owner, 5), client_id=recent)
    CheckInSubmission.objects.filter(client_id=old).update(
        created_at=timezone.now() - dt.timedelta(days=SUBMISSION_DAYS, minutes=1)
    )
    call_command("prune_submissions", stdout=io.StringIO())
    assert list(CheckInSubmission.objects.values_list("client_id", flat=True)) == [recent]


def test_it_saves_no_empty_day(owner, owner_client):
    url = reverse("diary:day", kwargs={"day": diary_day(owner).isoformat()})
    response = owner_client.post(url, {"client_id": str(uuid.uuid4())}, follow=True)
    assert "Nothing to save yet" in response.content.decode()
    assert not CheckIn.objects.filter(user=owner).exists()


def test_an_emptied_day_is_still_saved(owner):
    # Clearing every answer of a day that exists is an edit, not nothing.
    day = diary_day(owner)
    do_save_checkin(owner, day, _data(owner, 4))
    checkin, changed = do_save_checkin(owner, day, CheckInData(scores={_pain(owner): None}))
    assert changed and checkin.score_map == {}
