"""The next due instant follows the local wall clock through DST changes (pure, no database)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from fibrotrack.reminders.schedule import next_occurrence, occurrence, zone

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = dt.UTC


@pytest.mark.parametrize(
    ("name", "before", "after", "utc_before", "utc_after"),
    [
        # Berlin goes to summer time on 29 March 2026: 20:00 is 19:00 UTC, then 18:00 UTC.
        ("Europe/Berlin", dt.date(2026, 3, 28), dt.date(2026, 3, 29), 19, 18),
        # New York on 8 March 2026: 20:00 is 01:00 UTC the next day, then 00:00 UTC.
        ("America/New_York", dt.date(2026, 3, 7), dt.date(2026, 3, 8), 1, 0),
        # Sydney leaves summer time on 5 April 2026: 20:00 is 09:00 UTC, then 10:00 UTC.
        ("Australia/Sydney", dt.date(2026, 4, 4), dt.date(2026, 4, 5), 9, 10),
    ],
)
def test_the_same_local_time_moves_in_utc_across_dst(name, before, after, utc_before, utc_after):
    tz = zone(name)
    first, day = next_occurrence(dt.time(20, 0), tz, occurrence(before, dt.time(12, 0), tz))
    second, next_day = next_occurrence(dt.time(20, 0), tz, first)
    assert (day, next_day) == (before, after)
    assert first.astimezone(tz).time() == second.astimezone(tz).time() == dt.time(20, 0)
    assert (first.hour, second.hour) == (utc_before, utc_after)


def test_the_next_occurrence_is_strictly_after():
    at = occurrence(dt.date(2026, 1, 5), dt.time(20, 0), BERLIN)
    assert next_occurrence(dt.time(20, 0), BERLIN, at)[1] == dt.date(2026, 1, 6)
    assert next_occurrence(dt.time(20, 0), BERLIN, at - dt.timedelta(seconds=1)) == (at, dt.date(2026, 1, 5))


def test_a_time_lost_to_spring_forward_comes_an_hour_later():
    # 02:30 does not exist in Berlin on 29 March 2026; the reminder comes at 03:30 local.
    instant, day = next_occurrence(dt.time(2, 30), BERLIN, dt.datetime(2026, 3, 29, 0, 0, tzinfo=UTC))
    assert day == dt.date(2026, 3, 29)
    assert instant.astimezone(BERLIN).time() == dt.time(3, 30)


def test_a_time_repeated_at_fall_back_comes_once():
    first, day = next_occurrence(dt.time(2, 30), BERLIN, dt.datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    again, next_day = next_occurrence(dt.time(2, 30), BERLIN, first)
    assert (day, next_day) == (dt.date(2026, 10, 25), dt.date(2026, 10, 26))


def test_an_unknown_zone_falls_back_to_utc():
    assert str(zone("Mars/Olympus")) == "UTC"
