"""A check-in form loaded before another save of the same day never silently overwrites it.

Runs on SQLite and PostgreSQL (DATABASE_URL).
"""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fibrotrack.diary import conflicts
from fibrotrack.diary.actions import CheckInData, do_save_checkin
from fibrotrack.diary.models import CheckIn, CheckInRevision, Tag
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = pytest.mark.django_db


def _hidden(response, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    return html.unescape(match.group(1))


def _version(response):
    return _hidden(response, "version")


def _pain(user):
    return user.symptoms.get(key="pain").pk


def _form(user, loaded, *, pain="2", note="", **extra):
    """What the check-in page posts: every answer, and the version and picture it was loaded with.

    ``loaded`` is (version, picture) or a version alone (a page from before the picture was sent).
    """
    version, picture = loaded if isinstance(loaded, tuple) else (loaded, "")
    return {f"s_{_pain(user)}": pain, "note": note, "version": version, "loaded": picture, **extra}


def _carried(response):
    """The hidden fields of the conflict page, as the browser would send them back."""
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.content.decode())
    out = {}
    for name, value in fields:
        if name != "csrfmiddlewaretoken":
            out.setdefault(name, []).append(html.unescape(value))
    return out


@pytest.fixture
def two_tabs(owner, owner_client):
    """A day with Pain 2, opened in two tabs; returns the day's URL and the version both tabs loaded."""
    day = diary_day(owner) - dt.timedelta(days=1)
    make_checkin(owner, day, pain=2, note="slept badly")
    url = reverse("diary:day", args=[day.isoformat()])
    first, second = owner_client.get(url), owner_client.get(url)
    assert _version(first) == _version(second) != conflicts.NEW
    return day, url, (_version(first), _hidden(first, "loaded"))


def _stored(user, day):
    checkin = CheckIn.objects.get(user=user, day=day)
    return checkin.score_map.get(_pain(user)), checkin.note


def test_a_stale_tab_gets_both_versions_and_saves_nothing(owner, owner_client, two_tabs):
    day, url, loaded = two_tabs
    assert owner_client.post(url, _form(owner, loaded, pain="9", note="slept badly")).status_code == 302  # tab 1
    response = owner_client.post(url, _form(owner, loaded, pain="2", note="walked 10 minutes"))  # tab 2
    assert response.status_code == 409
    page = response.content.decode()
    assert "This day was changed elsewhere" in page
    assert "<legend>Pain</legend>" in page and "<legend>Note</legend>" in page
    assert "Yours: <strong>2</strong>" in page and "Saved: <strong>9</strong>" in page
    assert "Yours: <strong>walked 10 minutes</strong>" in page
    assert "Hours slept" not in page  # only the fields that differ
    assert _stored(owner, day) == (9, "slept badly")
    assert CheckInRevision.objects.filter(user=owner, day=day).count() == 2


def test_choosing_mine_for_the_note_keeps_the_other_tabs_pain(owner, owner_client, two_tabs):
    day, url, loaded = two_tabs
    owner_client.post(url, _form(owner, loaded, pain="9", note="slept badly"))
    conflict = owner_client.post(url, _form(owner, loaded, pain="2", note="walked 10 minutes"))
    answer = {**_carried(conflict), "resolve": "each", "pick_note": "mine", f"pick_s_{_pain(owner)}": "saved"}
    assert owner_client.post(url, answer).status_code == 302
    assert _stored(owner, day) == (9, "walked 10 minutes")


def test_a_replayed_choice_is_one_save_and_no_second_question(owner, owner_client, two_tabs):
    day, url, loaded = two_tabs
    owner_client.post(url, _form(owner, loaded, pain="9", note="slept badly"))
    conflict = owner_client.post(url, _form(owner, loaded, pain="2", note="walked 10 minutes"))
    answer = {**_carried(conflict), "resolve": "each", "pick_note": "mine", f"pick_s_{_pain(owner)}": "saved"}
    assert [owner_client.post(url, answer).status_code for _ in range(2)] == [302, 302]
    assert _stored(owner, day) == (9, "walked 10 minutes")
    assert CheckInRevision.objects.filter(user=owner, day=day).count() == 3


def test_a_difference_left_unanswered_keeps_the_saved_value(owner, owner_client, two_tabs):
    day, url, loaded = two_tabs
    owner_client.post(url, _form(owner, loaded, pain="9", note="slept badly"))
    conflict = owner_client.post(url, _form(owner, loaded, pain="2", note="walked 10 minutes"))
    owner_client.post(url, {**_carried(conflict), "resolve": "each", "pick_note": "mine"})
    assert _stored(owner, day) == (9, "walked 10 minutes")


def test_keep_my_changes_keeps_the_other_tabs_pain_that_this_tab_never_touched(owner, owner_client, two_tabs):
    day, url, loaded = two_tabs
    owner_client.post(url, _form(owner, loaded, pain="9", note="slept badly"))
    conflict = owner_client.post(url, _form(owner, loaded, pain="2", note="walked 10 minutes"))
    page = conflict.content.decode()
    assert page.count("You changed this.") == 1  # the note
    assert page.count("Changed elsewhere. You did not change it on this page.") == 1  # the pain
    assert f'id="pick_s_{_pain(owner)}_saved" checked' in page and 'id="pick_note_mine" checked' in page
    assert owner_client.post(url, {**_carried(conflict), "resolve": "mine"}).status_code == 302
    assert _stored(owner, day) == (9, "walked 10 minutes")


def test_a_field_chosen_as_mine_replaces_the_saved_one_even_if_untouched(owner, owner_client, two_tabs):
    day, url, loaded = two_tabs
    owner_client.post(url, _form(owner, loaded, pain="9", note="slept badly"))
    conflict = owner_client.post(url, _form(owner, loaded, pain="2", note="walked 10 minutes"))
    answer = {**_carried(conflict), "resolve": "each", "pick_note": "mine", f"pick_s_{_pain(owner)}": "mine"}
    owner_client.post(url, answer)
    assert _stored(owner, day) == (2, "walked 10 minutes")


def test_without_the_loaded_picture_every_difference_counts_as_the_persons(owner, owner_client, two_tabs):
    """A page rendered before the picture was sent (or one whose picture was tampered with)."""
    day, url, loaded = two_tabs
    owner_client.post(url, _form(owner, loaded, pain="9", note="slept badly"))
    for picture in ("", "not-signed"):
        stale = _form(owner, (loaded[0], picture), pain="2", note="walked 10 minutes")
        conflict = owner_client.post(url, stale)
        assert conflict.content.decode().count("You changed this.") == 2
    assert owner_client.post(url, {**_carried(conflict), "resolve": "mine"}).status_code == 302
    assert _stored(owner, day) == (2, "walked 10 minutes")


def test_keep_the_saved_version_writes_nothing(owner, owner_client, two_tabs):
    day, url, loaded = two_tabs
    owner_client.post(url, _form(owner, loaded, pain="9", note="slept badly"))
    conflict = owner_client.post(url, _form(owner, loaded, pain="2", note="walked 10 minutes"))
    response = owner_client.post(url, {**_carried(conflict), "resolve": "saved"}, follow=True)
    assert "Kept the saved version" in response.content.decode()
    assert _stored(owner, day) == (9, "slept badly")
    assert CheckInRevision.objects.filter(user=owner, day=day).count() == 2


def test_a_third_save_while_choosing_asks_again(owner, owner_client, two_tabs):
    day, url, loaded = two_tabs
    owner_client.post(url, _form(owner, loaded, pain="9", note="slept badly"))
    conflict = owner_client.post(url, _form(owner, loaded, pain="2", note="walked 10 minutes"))
    make_checkin(owner, day, pain=7, note="from the phone")  # a third writer
    again = owner_client.post(url, {**_carried(conflict), "resolve": "mine"})
    assert again.status_code == 409
    assert "Saved: <strong>from the phone</strong>" in again.content.decode()
    # Pain was left to the saved value, which is now the third writer's: not asked again.
    assert "<legend>Pain</legend>" not in again.content.decode()
    assert _stored(owner, day) == (7, "from the phone")


def test_a_replayed_identical_form_is_one_save_and_no_conflict(owner, owner_client, two_tabs):
    day, url, loaded = two_tabs
    form = _form(owner, loaded, pain="6", note="better", new_tag="Long drive")
    first = owner_client.post(url, form)
    second = owner_client.post(url, form)  # a double tap: same version, already stored
    assert (first.status_code, second.status_code) == (302, 302)
    assert _stored(owner, day) == (6, "better")
    assert CheckInRevision.objects.filter(user=owner, day=day).count() == 2
    assert list(CheckIn.objects.get(user=owner, day=day).tags.values_list("name", flat=True)) == ["Long drive"]


def test_a_new_day_created_in_two_tabs(owner, owner_client):
    url = reverse("diary:today")
    first, second = owner_client.get(url), owner_client.get(url)
    assert _version(first) == _version(second) == conflicts.NEW
    loaded = (conflicts.NEW, _hidden(second, "loaded"))
    assert owner_client.post(url, _form(owner, loaded, pain="5", note="tab one")).status_code == 302
    assert owner_client.post(url, _form(owner, loaded, pain="5", note="tab one")).status_code == 302
    response = owner_client.post(url, _form(owner, loaded, pain="6", note="tab two"))
    assert response.status_code == 409
    assert "Saved: <strong>tab one</strong>" in response.content.decode()
    assert response.content.decode().count("You changed this.") == 2
    assert _stored(owner, diary_day(owner)) == (5, "tab one")
    assert CheckIn.objects.filter(user=owner).count() == 1


def test_a_day_deleted_in_another_tab_is_not_silently_made_again(owner, owner_client, two_tabs):
    day, url, loaded = two_tabs
    CheckIn.objects.get(user=owner, day=day).delete()
    response = owner_client.post(url, _form(owner, loaded, pain="2", note="slept badly"))
    assert response.status_code == 409
    assert "Saved: <strong>not answered</strong>" in response.content.decode()
    assert not CheckIn.objects.filter(user=owner, day=day).exists()


def test_another_person_never_sees_the_owners_day(owner, stranger, stranger_client, two_tabs):
    """The day is found by (person, day): someone else posting the owner's form meets only their own day."""
    day, url, loaded = two_tabs
    response = stranger_client.post(url, _form(stranger, loaded, pain="4", note="mine"))
    assert response.status_code == 409  # their own day does not exist, so the version is not theirs
    assert "slept badly" not in response.content.decode()
    assert _stored(owner, day) == (2, "slept badly")
    assert stranger_client.get(reverse("diary:revisions", args=[day.isoformat()])).status_code == 404


def test_an_unreadable_version_is_treated_as_stale(owner, owner_client, two_tabs):
    day, url, _ = two_tabs
    assert owner_client.post(url, _form(owner, ("yesterday-ish", ""), pain="8")).status_code == 409
    assert owner_client.post(url, _form(owner, ("yesterday-ish", ""), pain="2", note="slept badly")).status_code == 302
    assert _stored(owner, day) == (2, "slept badly")


def test_the_differences_use_the_checkins_words(owner):
    day = diary_day(owner) - dt.timedelta(days=3)
    stress = Tag.objects.get(key="stress")
    stored, _ = do_save_checkin(
        owner,
        day,
        CheckInData(scores={}, hours_slept=Decimal("6.5"), pain_regions=["neck"], tag_ids=[stress.pk]),
    )
    mine = CheckInData(
        scores={_pain(owner): 4},
        hours_slept=Decimal("7"),
        pain_regions=["neck", "lower_back"],
        tag_ids=[],
        new_tag="Cold weather",
        note="n",
        symptom_names={_pain(owner): "Pain"},
    )
    with pytest.raises(conflicts.StaleCheckIn) as stale:
        do_save_checkin(owner, day, mine, version=conflicts.NEW)
    found = {c.key: (c.label, c.mine, c.saved) for c in stale.value.conflicts}
    assert found == {
        f"s_{_pain(owner)}": ("Pain", "4", "not answered"),
        "hours_slept": ("Hours slept", "7", "6.5"),
        "pain_regions": ("Where it hurt", "Neck, Lower back", "Neck"),
        "tags": ("What happened", "Cold weather", "Stress"),
        "note": ("Note", "n", "no note"),
    }
    assert stale.value.version == conflicts.version_of(stored)
    assert not Tag.objects.filter(name="Cold weather").exists()  # nothing saved, not even the new tag


def test_the_version_check_adds_no_query_to_a_normal_save(owner):
    counts = []
    for offset, checked in ((20, False), (21, True)):
        day = diary_day(owner) - dt.timedelta(days=offset)
        checkin = make_checkin(owner, day, pain=5, note="before")
        edit = CheckInData(scores={_pain(owner): 6}, note="after", symptom_names={_pain(owner): "Pain"})
        version = conflicts.version_of(checkin) if checked else None
        with CaptureQueriesContext(connection) as queries:
            do_save_checkin(owner, day, edit, version=version)
        counts.append(len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]))
    assert counts[0] == counts[1] == 7
