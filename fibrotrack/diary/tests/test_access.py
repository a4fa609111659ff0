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
    return {"owner": owner, "day": day.isoformat(), "symptom": owner.symptoms.first().pk, "assessment": assessment.pk}


# Every URL of the diary and accounts apps, classified. URLs that name one of
# the owner's objects must be 404 for anyone else, whatever the method; URLs
# that name no object show the visitor their own data only.
OBJECT_URLS = {
    "diary:symptom_edit": "symptom",
    "diary:symptom_move": "symptom",
    "diary:acr_detail": "assessment",
    "diary:acr_delete": "assessment",
    "diary:delete": "day",
    "diary:revisions": "day",
}
OWN_DATA_URLS = {
    # The day's page is addressed by date, not by owner: another person sees
    # (and may fill in) their own entry for that date, never the owner's.
    "diary:day": "day",
    "diary:today": None,
    "diary:history": None,
    "diary:chart": None,
    "diary:symptoms": None,
    "diary:acr_list": None,
    "diary:acr_new": None,
    "accounts:settings": None,
    "accounts:onboarding": None,
    "accounts:delete": None,
}


def _url_names(module):
    return {f"{module.app_name}:{p.name}" for p in module.urlpatterns}


def test_every_diary_and_accounts_url_is_classified():
    from fibrotrack.accounts import urls as account_urls
    from fibrotrack.diary import urls as diary_urls

    names = _url_names(diary_urls) | _url_names(account_urls)
    assert names == OBJECT_URLS.keys() | OWN_DATA_URLS.keys(), "classify new URLs in this test"


def test_every_object_url_is_404_for_another_person(owner_data, stranger_client):
    for name, kind in OBJECT_URLS.items():
        url = reverse(name, args=[owner_data[kind]])
        for method in ("get", "post"):
            response = getattr(stranger_client, method)(url, {"name": "x", "direction": "up", "is_active": "on"})
            assert response.status_code in (404, 405), (name, method, response.status_code)
            if method == "post":
                assert response.status_code == 404, (name, method)
    assert CheckIn.objects.filter(note=SECRET).exists()
    assert owner_data["owner"].symptoms.get(pk=owner_data["symptom"]).name != "x"
    assert owner_data["owner"].acr_assessments.filter(pk=owner_data["assessment"]).exists()


def test_own_data_urls_never_show_another_persons_data(owner_data, stranger_client):
    for name, kind in OWN_DATA_URLS.items():
        url = reverse(name, args=[owner_data[kind]] if kind else [])
        response = stranger_client.get(url)
        assert response.status_code == 200, name
        assert SECRET not in response.content.decode(), name


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
