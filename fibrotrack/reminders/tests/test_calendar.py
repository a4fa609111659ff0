"""The private calendar feed: valid iCalendar, local times with their zone, a secret that can be revoked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from fibrotrack.lib.testing.factories import UserFactory as _UserFactory
from fibrotrack.reminders.actions import do_new_calendar_link
from fibrotrack.reminders.tests.helpers import local, travel
from fibrotrack.treatments.tests.helpers import start

NAME, TODAY = "Australia/Sydney", dt.date(2026, 3, 20)

UserFactory: Any = _UserFactory  # factory_boy is untyped


@pytest.fixture
def person(db: None) -> Any:
    with travel(local(NAME, TODAY, dt.time(9, 0))):
        user = UserFactory(time_zone=NAME, reminder_time=dt.time(20, 30))
        start(
            user, "naltrexone", on=TODAY - dt.timedelta(days=10), plan="ldn_standard", schedule="nightly", amount=None
        )
        start(user, "magnesium", on=TODAY, amount="200", schedule="daily", times=("08:00",))
    return user


def fetch(token: str) -> Any:
    with travel(local(NAME, TODAY, dt.time(9, 0))):
        return Client().get(reverse("reminders:calendar", args=[token]))


def events(body: bytes) -> dict[str, Any]:
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_the_feed_parses_and_recurs_at_local_times_with_the_zone(person):
    response = fetch(do_new_calendar_link(person))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == [NAME]
    found = events(response.content)
    checkin = found["Time for your check-in"]
    assert checkin.decoded("dtstart") == dt.datetime.combine(
        TODAY, dt.time(20, 30), tzinfo=checkin.decoded("dtstart").tzinfo
    )
    assert str(checkin.decoded("dtstart").tzinfo) == NAME
    assert checkin["rrule"]["FREQ"] == ["DAILY"]
    # A local time with its TZID (not UTC): after Sydney leaves summer time on 5 April, 20:30 stays 20:30.
    assert checkin["dtstart"].params["TZID"] == NAME
    assert checkin["dtstart"].to_ical() == b"20260320T203000"


def test_each_stretch_of_the_titration_plan_is_its_own_event(person):
    found = events(fetch(do_new_calendar_link(person)).content)
    ldn = sorted((e for s, e in found.items() if s.startswith("Naltrexone")), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in ldn] == [f"Naltrexone (LDN) {mg} mg" for mg in ("1", "2", "3", "4", "4.5")]
    assert "UNTIL" not in ldn[-1]["rrule"]  # the last step holds until the regimen stops
    two = next(e for e in ldn if str(e["summary"]) == "Naltrexone (LDN) 2 mg")
    assert two.decoded("dtstart").replace(tzinfo=None) == dt.datetime.combine(
        TODAY - dt.timedelta(days=3), dt.time(21, 0)
    )
    until = two["rrule"]["UNTIL"][0].astimezone(two.decoded("dtstart").tzinfo)
    assert until.date() == TODAY + dt.timedelta(days=3) and until.time() == dt.time(21, 0)
    assert "Magnesium 200 mg" in found


def test_a_new_link_revokes_the_old_one(person):
    old = do_new_calendar_link(person)
    new = do_new_calendar_link(person)
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200


def test_an_unknown_link_or_an_inactive_account_gets_nothing(person):
    token = do_new_calendar_link(person)
    assert fetch("x" * 43).status_code == 404
    person.is_active = False
    person.save()
    assert fetch(token).status_code == 404


def test_the_settings_page_makes_and_stops_the_link(person):
    client = Client()
    client.force_login(person)
    assert client.post(reverse("reminders:calendar_new")).status_code == 302
    page = client.get(reverse("reminders:settings")).content.decode()
    token = person.reminder_settings.calendar_token
    assert reverse("reminders:calendar", args=[token]) in page
    client.post(reverse("reminders:calendar_stop"))
    assert fetch(token).status_code == 404
