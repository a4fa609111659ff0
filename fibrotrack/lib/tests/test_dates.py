"""The diary day across midnight, the turnover hour and DST changes."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from fibrotrack.lib.dates import diary_day

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def person(tz="Europe/London", hour=4):
    return SimpleNamespace(time_zone=tz, day_starts_at_hour=hour)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (dt.datetime(2026, 6, 10, 0, 30), dt.date(2026, 6, 9)),
        (dt.datetime(2026, 6, 10, 3, 59), dt.date(2026, 6, 9)),
        (dt.datetime(2026, 6, 10, 4, 0), dt.date(2026, 6, 10)),
        (dt.datetime(2026, 6, 10, 23, 59), dt.date(2026, 6, 10)),
    ],
)
def test_the_day_turns_over_at_the_chosen_hour(local, expected):
    assert diary_day(person(), local.replace(tzinfo=LONDON)) == expected


def test_midnight_turnover_is_the_plain_calendar_date():
    assert diary_day(person(hour=0), dt.datetime(2026, 6, 10, 0, 30, tzinfo=LONDON)) == dt.date(2026, 6, 10)


def test_it_uses_the_persons_time_zone_not_the_servers():
    instant = dt.datetime(2026, 6, 10, 2, 0, tzinfo=dt.UTC)  # 22:00 the day before in New York
    assert diary_day(person("America/New_York"), instant) == dt.date(2026, 6, 9)
    assert diary_day(person("Asia/Tokyo"), instant) == dt.date(2026, 6, 10)


def test_spring_forward_night():
    # London skips 01:00-02:00 on 29 March 2026. 03:30 BST is still "last night".
    instant = dt.datetime(2026, 3, 29, 2, 30, tzinfo=dt.UTC)  # 03:30 BST
    assert diary_day(person(), instant) == dt.date(2026, 3, 28)
    assert diary_day(person(), dt.datetime(2026, 3, 29, 3, 0, tzinfo=dt.UTC)) == dt.date(2026, 3, 29)  # 04:00 BST


def test_fall_back_night_repeated_hour():
    # New York repeats 01:00-02:00 on 1 November 2026; both 01:30s are the previous day.
    first = dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)  # 01:30 EDT
    second = dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)  # 01:30 EST
    assert diary_day(person("America/New_York"), first) == dt.date(2026, 10, 31)
    assert diary_day(person("America/New_York"), second) == dt.date(2026, 10, 31)
    assert diary_day(person("America/New_York"), dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)) == dt.date(2026, 11, 1)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        diary_day(person(), dt.datetime(2026, 1, 1, 12, 0))  # noqa: DTZ001


def test_an_unknown_zone_falls_back_to_utc():
    assert diary_day(person("Mars/Olympus"), dt.datetime(2026, 1, 1, 5, 0, tzinfo=dt.UTC)) == dt.date(2026, 1, 1)
