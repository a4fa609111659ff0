"""Issue 21: the language and the region change the words, never the behaviour.

The same answers posted by a browser in English, American English, Spanish or German store the same
diary day (across a DST night), the same values (a decimal posted with a point stays that number) and
the same ACR 2016 scores.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from fibrotrack.diary import acr2016
from fibrotrack.diary.models import Acr2016Assessment, CheckIn

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "en-US,en;q=0.9", "es-ES,es;q=0.9", "de-DE,de;q=0.9"]


def _checkin(user, **overrides):
    symptoms = {s.key: s for s in user.symptoms.all()}
    data = {f"s_{symptoms['pain'].pk}": "6", f"s_{symptoms['fatigue'].pk}": "7", "hours_slept": "6.5", "note": "ok"}
    return {**data, **overrides}


@pytest.mark.parametrize("accept_language", LANGUAGES)
@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # New York falls back on 1 November 2026: the second 01:30 (EST) is still 31 October.
        (dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC), dt.date(2026, 10, 31)),
        # It springs forward on 8 March 2026: 03:30 EDT is before the 4 a.m. turnover.
        (dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC), dt.date(2026, 3, 7)),
        (dt.datetime(2026, 3, 8, 8, 0, tzinfo=dt.UTC), dt.date(2026, 3, 8)),
    ],
)
def test_the_diary_day_and_the_values_do_not_depend_on_the_language(
    owner, owner_client, accept_language, utc, expected
):
    owner.time_zone = "America/New_York"
    owner.save(update_fields=["time_zone"])
    with time_machine.travel(utc, tick=False):
        response = owner_client.post(reverse("diary:today"), _checkin(owner), HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    checkin = CheckIn.objects.get(user=owner)
    assert checkin.day == expected
    assert checkin.hours_slept == Decimal("6.5")  # the form's decimal point, whatever the page's decimal comma
    assert {s.symptom.key: s.value for s in checkin.scores.select_related("symptom")} == {"pain": 6, "fatigue": 7}


ACR = {
    "regions": ["neck", "hip_l", "shoulder_l", "shoulder_r", "lower_leg_r", "upper_arm_l", "upper_leg_r"],
    "fatigue": "2",
    "unrefreshed": "1",
    "cognitive": "3",
    "headache": "on",
    "three_months": "1",
}


@pytest.mark.parametrize("accept_language", LANGUAGES)
def test_the_acr_2016_scores_do_not_depend_on_the_language(owner, owner_client, accept_language):
    response = owner_client.post(reverse("diary:acr_new"), ACR, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    stored = Acr2016Assessment.objects.get(user=owner)
    assert sorted(stored.regions) == sorted(ACR["regions"])  # the keys stay English
    result = acr2016.score(
        regions=stored.regions,
        fatigue=stored.fatigue,
        unrefreshed=stored.unrefreshed,
        cognitive=stored.cognitive,
        headache=stored.headache,
        abdominal=stored.abdominal,
        depression=stored.depression,
        three_months=stored.three_months,
    )
    assert (result.wpi, result.sss, result.criteria_met) == (7, 7, True)
    page = owner_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert page.count("<strong>7</strong>") >= 2  # WPI 7 of 19, SSS 7 of 12
