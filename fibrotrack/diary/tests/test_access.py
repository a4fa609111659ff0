"""Every diary page is scoped to its owner: another person gets 404 or only their own data."""

import datetime as dt

import pytest
from django.urls import reverse

from fibrotrack.diary.actions import do_record_acr_assessment
from fibrotrack.diary.models import CheckIn
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = pytest.mark.django_db
SECRET = "owner-private-note-7781"


@pytest.fixture
def owner_data(owner):
    day = diary_day(owner) - dt.timedelta(days=1)
    make_checkin(owner, day, pain=9, note=SECRET)
    assessment = do_record_acr_assessment(
        owner,
        day,
        regions=["neck"],
        fatigue=1,
        unrefreshed=1,
        cognitive=1,
        headache=False,
        abdominal=False,
        depression=False,
        three_months=True,
    )
    return {"day": day.isoformat(), "symptom": owner.symptoms.first().pk, "assessment": assessment.pk}


def test_object_urls_are_404_for_another_person(owner_data, stranger_client):
    for name, args, method in [
        ("diary:symptom_edit", [owner_data["symptom"]], "get"),
        ("diary:symptom_edit", [owner_data["symptom"]], "post"),
        ("diary:symptom_move", [owner_data["symptom"]], "post"),
        ("diary:acr_detail", [owner_data["assessment"]], "get"),
        ("diary:acr_delete", [owner_data["assessment"]], "post"),
        ("diary:delete", [owner_data["day"]], "post"),
        ("diary:revisions", [owner_data["day"]], "get"),
    ]:
        response = getattr(stranger_client, method)(reverse(name, args=args), {"name": "x", "direction": "up"})
        assert response.status_code == 404, (name, method)
    assert CheckIn.objects.filter(note=SECRET).exists()


def test_day_pages_show_only_your_own_entry(owner_data, stranger_client):
    for name, args in [
        ("diary:day", [owner_data["day"]]),
        ("diary:today", []),
        ("diary:history", []),
        ("diary:chart", []),
        ("diary:symptoms", []),
        ("diary:acr_list", []),
    ]:
        response = stranger_client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert SECRET not in response.content.decode(), name
    # Saving "that" day as the stranger creates the stranger's own entry and leaves the owner's alone.
    stranger_client.post(reverse("diary:day", args=[owner_data["day"]]), {"note": "mine"})
    assert CheckIn.objects.filter(note=SECRET).exists()
    assert CheckIn.objects.filter(note="mine").count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, owner_data):
    for name, args in [
        ("diary:today", []),
        ("diary:day", [owner_data["day"]]),
        ("diary:history", []),
        ("diary:chart", []),
        ("diary:symptoms", []),
        ("diary:acr_list", []),
        ("diary:acr_detail", [owner_data["assessment"]]),
        ("accounts:settings", []),
        ("accounts:delete", []),
        ("accounts:onboarding", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login")), name


def test_a_bad_date_in_the_url_is_404(owner_client):
    assert owner_client.get("/diary/day/2026-02-30/").status_code == 404
    assert owner_client.get("/diary/day/yesterday/").status_code == 404
