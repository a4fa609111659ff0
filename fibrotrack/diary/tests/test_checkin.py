import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from fibrotrack.diary.models import CheckIn, CheckInRevision, SymptomScore, Tag
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = pytest.mark.django_db


def _post_data(user, **overrides):
    symptoms = {s.key: s for s in user.symptoms.all()}
    data = {f"s_{symptoms['pain'].pk}": "6", f"s_{symptoms['fatigue'].pk}": "7", "hours_slept": "6.5", "note": "ok"}
    data.update(overrides)
    return data


def test_it_saves_a_full_checkin(owner, owner_client):
    stress = Tag.objects.get(key="stress")
    data = _post_data(owner, pain_regions=["neck", "lower_back"], tags=[str(stress.pk)], new_tag="Long drive")
    response = owner_client.post(reverse("diary:today"), data)
    assert response.status_code == 302
    checkin = CheckIn.objects.get(user=owner)
    assert checkin.day == diary_day(owner)
    assert {s.symptom.key: s.value for s in checkin.scores.select_related("symptom")} == {"pain": 6, "fatigue": 7}
    assert checkin.pain_regions == ["lower_back", "neck"]
    assert sorted(t.name for t in checkin.tags.all()) == ["Long drive", "Stress"]
    assert str(checkin.hours_slept) == "6.50"
    assert CheckInRevision.objects.get(user=owner).action == "created"


def test_resubmitting_never_duplicates(owner, owner_client):
    for _ in range(3):
        owner_client.post(reverse("diary:today"), _post_data(owner))
    assert CheckIn.objects.filter(user=owner).count() == 1
    assert SymptomScore.objects.filter(checkin__user=owner).count() == 2
    assert CheckInRevision.objects.filter(user=owner).count() == 1


def test_editing_keeps_a_history(owner, owner_client):
    yesterday = diary_day(owner) - dt.timedelta(days=1)
    make_checkin(owner, yesterday, pain=5)
    url = reverse("diary:day", args=[yesterday.isoformat()])
    owner_client.post(url, _post_data(owner, **{f"s_{owner.symptoms.get(key='pain').pk}": "3"}))
    revisions = list(CheckInRevision.objects.filter(user=owner, day=yesterday).order_by("id"))
    assert [r.action for r in revisions] == ["created", "updated"]
    assert revisions[1].changes["scores"][0] == {"Pain": 5}
    assert revisions[1].changes["scores"][1]["Pain"] == 3
    page = owner_client.get(reverse("diary:revisions", args=[yesterday.isoformat()]))
    assert '<th scope="row">Pain</th><td>5</td><td>3</td>' in page.content.decode()


def test_unanswered_symptoms_are_not_stored(owner, owner_client):
    owner_client.post(reverse("diary:today"), {"note": "only a note"})
    checkin = CheckIn.objects.get(user=owner)
    assert checkin.scores.count() == 0
    assert checkin.note == "only a note"


def test_new_form_has_no_preselected_value(owner_client):
    html = owner_client.get(reverse("diary:today")).content.decode()
    assert 'type="radio"' in html
    assert "checked" not in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pain", "11", "Pain must be a whole number from 0 to 10"),
        ("pain", "-1", "Pain must be a whole number from 0 to 10"),
        ("hours_slept", "25", "less than or equal to 24"),
        ("note", "x" * 5001, "Notes can be up to 5,000 characters"),
        ("tags", "999999", "is not one of your tags"),
        ("pain_regions", "tail", "“tail” is not one of the 19 body areas"),
        ("new_tag", "x" * 41, "at most 40 characters"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(owner, owner_client, field, value, message):
    key = f"s_{owner.symptoms.get(key='pain').pk}" if field == "pain" else field
    data = _post_data(owner, **{key: value})
    data.setdefault("new_tag", "Brand new tag")
    response = owner_client.post(reverse("diary:today"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    # The message sits next to its own field: the next form control after it is that field.
    after = html[html.index(message) :]
    boundary = min(i for i in (after.find("<fieldset"), after.find('class="field'), len(after)) if i >= 0)
    assert f'name="{key}"' in after[:boundary], f"{message!r} is not next to {key}"
    assert not CheckIn.objects.filter(user=owner).exists()
    assert not Tag.objects.filter(user=owner).exists()


def test_a_bad_answer_while_editing_leaves_the_day_exactly_as_it_was(owner, owner_client):
    day = diary_day(owner) - dt.timedelta(days=1)
    make_checkin(owner, day, pain=5, note="before")
    pain = owner.symptoms.get(key="pain")
    url = reverse("diary:day", args=[day.isoformat()])
    response = owner_client.post(
        url, {f"s_{pain.pk}": "2", "note": "after", "hours_slept": "99", "new_tag": "Should not exist"}
    )
    assert response.status_code == 400
    checkin = CheckIn.objects.get(user=owner, day=day)
    assert checkin.note == "before"
    assert checkin.hours_slept is None
    assert checkin.score_map == {pain.pk: 5}
    assert CheckInRevision.objects.filter(user=owner, day=day).count() == 1
    assert not Tag.objects.filter(name="Should not exist").exists()


def test_a_failure_during_the_save_rolls_everything_back(owner, owner_client, monkeypatch):
    def create(**kwargs):
        # The last write of a save: by now the day, its scores, tags and the new tag exist.
        raise RuntimeError("disk full")

    monkeypatch.setattr(CheckInRevision.objects, "create", create)
    with pytest.raises(RuntimeError):
        owner_client.post(reverse("diary:today"), _post_data(owner, new_tag="Long drive", pain_regions=["neck"]))
    assert not CheckIn.objects.filter(user=owner).exists()
    assert not SymptomScore.objects.filter(checkin__user=owner).exists()
    assert not Tag.objects.filter(name="Long drive").exists()


def test_an_unknown_symptom_is_refused(owner, stranger, owner_client):
    foreign = stranger.symptoms.get(key="pain")
    response = owner_client.post(reverse("diary:today"), _post_data(owner, **{f"s_{foreign.pk}": "4"}))
    assert response.status_code == 400
    assert "a symptom you don’t track" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_future_day_cannot_be_filled_in(owner, owner_client):
    tomorrow = diary_day(owner) + dt.timedelta(days=1)
    url = reverse("diary:day", args=[tomorrow.isoformat()])
    assert "hasn’t happened yet" in owner_client.get(url).content.decode()
    response = owner_client.post(url, _post_data(owner))
    assert response.status_code == 400
    assert not CheckIn.objects.exists()
    go = owner_client.get(reverse("diary:today"), {"day": tomorrow.isoformat()})
    assert "hasn’t happened yet" in go.content.decode()


def test_one_am_counts_as_the_previous_day(owner, owner_client):
    # 01:00 in London on 15 March is still the diary day of 14 March.
    with time_machine.travel(dt.datetime(2026, 3, 15, 1, 0, tzinfo=dt.UTC), tick=False):
        owner_client.post(reverse("diary:today"), _post_data(owner))
    assert CheckIn.objects.get(user=owner).day == dt.date(2026, 3, 14)


def test_a_day_can_be_deleted(owner, owner_client):
    day = diary_day(owner) - dt.timedelta(days=2)
    make_checkin(owner, day, pain=4, note="secret")
    response = owner_client.post(reverse("diary:delete", args=[day.isoformat()]))
    assert response.status_code == 302
    assert not CheckIn.objects.filter(user=owner).exists()
    deleted = CheckInRevision.objects.get(user=owner, action="deleted")
    assert deleted.changes["note"] == ["secret", None]


def test_archived_symptoms_keep_their_history(owner, owner_client):
    day = diary_day(owner) - dt.timedelta(days=1)
    make_checkin(owner, day, stiffness=8)
    stiffness = owner.symptoms.get(key="stiffness")
    owner_client.post(reverse("diary:symptom_edit", args=[stiffness.pk]), {"name": "Stiffness", "direction": "lower"})
    stiffness.refresh_from_db()
    assert not stiffness.is_active
    owner_client.get(reverse("diary:symptoms"))  # consume the flash message
    assert "Stiffness" not in owner_client.get(reverse("diary:today")).content.decode()
    past = owner_client.get(reverse("diary:day", args=[day.isoformat()])).content.decode()
    assert "(no longer tracked)" in past


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # New York falls back on 1 November 2026: 01:30 happens twice, both are still 31 October.
        (dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC), dt.date(2026, 10, 31)),  # 01:30 EDT
        (dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC), dt.date(2026, 10, 31)),  # 01:30 EST
        (dt.datetime(2026, 11, 1, 8, 59, tzinfo=dt.UTC), dt.date(2026, 10, 31)),  # 03:59 EST
        (dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC), dt.date(2026, 11, 1)),  # 04:00 EST
        # It springs forward on 8 March 2026: 02:00-03:00 never happens.
        (dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC), dt.date(2026, 3, 7)),  # 03:30 EDT
        (dt.datetime(2026, 3, 8, 8, 0, tzinfo=dt.UTC), dt.date(2026, 3, 8)),  # 04:00 EDT
    ],
)
def test_check_ins_on_dst_nights_land_on_the_right_diary_day(owner, owner_client, utc, expected):
    owner.time_zone = "America/New_York"
    owner.save(update_fields=["time_zone"])
    with time_machine.travel(utc, tick=False):
        owner_client.post(reverse("diary:today"), _post_data(owner))
        again = owner_client.post(reverse("diary:today"), _post_data(owner, note="changed"))
    assert again.status_code == 302
    assert list(CheckIn.objects.filter(user=owner).values_list("day", "note")) == [(expected, "changed")]
