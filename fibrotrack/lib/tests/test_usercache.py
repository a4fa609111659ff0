"""The memo of a person's check-in set-up, and that every change reaches the next check-in."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from fibrotrack.accounts.models import User
from fibrotrack.diary import access, actions
from fibrotrack.diary.models import Tag
from fibrotrack.lib import usercache
from fibrotrack.lib.dates import diary_day
from fibrotrack.treatments.actions import do_log_side_effect, do_stop_regimen
from fibrotrack.treatments.tests.helpers import start

pytestmark = pytest.mark.django_db
TODAY = reverse("diary:today")


def _fresh(user):
    return User.objects.get(pk=user.pk)  # as the next request sees it


def test_it_builds_once_while_nothing_changes(owner):
    calls = []
    assert usercache.memo(_fresh(owner), "x", lambda: calls.append(1) or "built") == "built"
    assert usercache.memo(_fresh(owner), "x", lambda: calls.append(1) or "again") == "built"
    assert calls == [1]


def test_a_bump_invalidates_only_that_person(owner, stranger):
    usercache.memo(_fresh(owner), "x", lambda: "old")
    usercache.memo(_fresh(stranger), "x", lambda: "theirs")
    usercache.bump(owner.pk)
    assert usercache.memo(_fresh(owner), "x", lambda: "new") == "new"
    assert usercache.memo(_fresh(stranger), "x", lambda: "rebuilt") == "theirs"


def test_it_keeps_the_memo_in_djangos_cache_under_the_persons_version(owner):
    user = _fresh(owner)
    usercache.memo(user, "x", lambda: ("built",))
    assert cache.get(f"usercache:{owner.pk}:x", version=user.cache_version) == ("built",)
    usercache.bump(owner.pk)
    assert cache.get(f"usercache:{owner.pk}:x", version=_fresh(owner).cache_version) is None


def test_a_change_and_its_bump_roll_back_together(owner):
    version = _fresh(owner).cache_version
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.do_add_symptom(owner, "Tinnitus")
        raise RuntimeError
    assert _fresh(owner).cache_version == version


def test_saving_a_stale_user_never_rolls_the_version_back(owner):
    stale = _fresh(owner)
    usercache.bump(owner.pk)
    stale.display_name = "Robin"
    stale.save()
    fresh = _fresh(owner)
    assert fresh.display_name == "Robin"
    assert fresh.cache_version == stale.cache_version + 1


def test_the_check_in_set_up_hands_out_fresh_instances(owner):
    first, _ = access.checkin_setup(owner)
    first[0].name = "changed in memory"
    again, _ = access.checkin_setup(_fresh(owner))
    assert again[0].name != "changed in memory"


def test_a_new_symptom_reaches_the_check_in(owner, owner_client):
    owner_client.get(TODAY)
    actions.do_add_symptom(owner, "Tinnitus")
    assert "Tinnitus" in owner_client.get(TODAY).content.decode()


def test_a_renamed_or_archived_symptom_reaches_the_check_in(owner, owner_client):
    symptoms = {s.key: s for s in owner.symptoms.all()}
    owner_client.get(TODAY)
    actions.do_update_symptom(symptoms["mood"], name="Low mood", lower_is_better=True, is_active=True)
    actions.do_update_symptom(symptoms["stiffness"], name="Stiffness", lower_is_better=True, is_active=False)
    html = owner_client.get(TODAY).content.decode()
    assert "Low mood" in html
    assert 'id="symptom-stiffness"' not in html


def test_a_moved_symptom_reaches_the_check_in(owner, owner_client):
    html = owner_client.get(TODAY).content.decode()
    assert html.index('id="symptom-pain"') < html.index('id="symptom-fatigue"')
    actions.do_move_symptom(owner.symptoms.get(key="fatigue"), -1)  # bulk_update: no signals, so it bumps by hand
    html = owner_client.get(TODAY).content.decode()
    assert html.index('id="symptom-fatigue"') < html.index('id="symptom-pain"')


def test_a_tag_added_during_a_check_in_is_offered_next_time(owner, owner_client):
    owner_client.get(TODAY)
    owner_client.post(TODAY, {"new_tag": "Long drive"})
    assert "Long drive" in owner_client.get(TODAY).content.decode()


def test_a_changed_built_in_tag_reaches_everyone(owner, owner_client):
    owner_client.get(TODAY)
    tag = Tag.objects.get(user=None, key="stress")
    tag.name = "Stress or worry"
    tag.save()
    assert "Stress or worry" in owner_client.get(TODAY).content.decode()


def test_reloading_unchanged_reference_data_invalidates_nothing(owner):
    from fibrotrack.lib.reference import load_all

    version = _fresh(owner).cache_version
    load_all()
    assert _fresh(owner).cache_version == version


def test_a_new_or_stopped_regimen_reaches_the_check_in(owner, owner_client):
    today = diary_day(owner)
    assert 'id="treatments"' not in owner_client.get(TODAY).content.decode()
    regimen = start(owner, "naltrexone", on=today - dt.timedelta(days=1))
    assert 'id="treatments"' in owner_client.get(TODAY).content.decode()
    do_stop_regimen(regimen, stopped_on=today - dt.timedelta(days=1), reason="side effects")
    assert 'id="treatments"' not in owner_client.get(TODAY).content.decode()


def test_a_side_effect_going_on_reaches_the_check_in(owner, owner_client):
    today = diary_day(owner)
    assert 'id="treatments"' not in owner_client.get(TODAY).content.decode()
    do_log_side_effect(owner, name="Vivid dreams", onset_on=today, severity="mild", is_ongoing=True)
    assert "Vivid dreams" in owner_client.get(TODAY).content.decode()
