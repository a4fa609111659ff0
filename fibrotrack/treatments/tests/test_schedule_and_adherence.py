"""Which doses are due, and how many of them were taken."""

import datetime as dt

import pytest

from fibrotrack.treatments.adherence import daily, tally, week_start, weekly
from fibrotrack.treatments.schedule import Kind, Schedule, parse_times

MONDAY = dt.date(2026, 3, 2)


def test_each_schedule_has_its_slots():
    assert [s.label for s in Schedule(Kind.DAILY, ("08:00", "20:00")).slots(MONDAY)] == ["at 08:00", "at 20:00"]
    assert [s.label for s in Schedule(Kind.NIGHTLY).slots(MONDAY)] == ["at night"]
    assert len(Schedule(Kind.SEVERAL, doses_per_day=3).slots(MONDAY)) == 3
    weekly_ = Schedule(Kind.WEEKLY, weekdays=(0, 3))
    assert len(weekly_.slots(MONDAY)) == 1
    assert weekly_.slots(MONDAY + dt.timedelta(days=1)) == []
    assert weekly_.describe() == "weekly on Mondays and Thursdays"
    assert Schedule(Kind.AS_NEEDED).slots(MONDAY) == []
    assert not Schedule(Kind.AS_NEEDED).has_expected_doses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8:00, 20:00", ["08:00", "20:00"]),
        ("20:00 8:00 8:00", ["08:00", "20:00"]),
        ("8am, 8 pm", ["08:00", "20:00"]),
        ("12am", ["00:00"]),
        ("21.30", ["21:30"]),
        ("", []),
    ],
)
def test_times_are_read_flexibly(text, expected):
    assert parse_times(text) == expected


@pytest.mark.parametrize("text", ["25:00", "8:75", "noon", "13pm", "1,2,3,4,5,6,7"])
def test_unreadable_times_are_explained(text):
    with pytest.raises(ValueError, match=r"\S"):
        parse_times(text)


def _expected(days, per_day=1):
    return {MONDAY + dt.timedelta(days=i): per_day for i in range(days)}


def test_taken_at_a_different_dose_still_counts_as_taken():
    logged = {(MONDAY, 0): "taken", (MONDAY + dt.timedelta(days=1), 0): "different"}
    result = tally(_expected(2), logged, today=MONDAY + dt.timedelta(days=10))
    assert (result.expected, result.taken, result.different, result.taken_any, result.percent) == (2, 1, 1, 2, 100)


def test_skipped_and_unrecorded_are_kept_apart():
    logged = {(MONDAY, 0): "taken", (MONDAY + dt.timedelta(days=1), 0): "skipped"}
    result = tally(_expected(4), logged, today=MONDAY + dt.timedelta(days=10))
    assert (result.taken, result.skipped, result.unrecorded, result.expected) == (1, 1, 2, 4)
    assert result.rate == 0.25


def test_today_counts_only_once_answered():
    today = MONDAY + dt.timedelta(days=1)
    expected = _expected(2, per_day=2)
    assert tally(expected, {(MONDAY, 0): "taken", (MONDAY, 1): "taken"}, today).expected == 2
    partly = tally(expected, {(MONDAY, 0): "taken", (MONDAY, 1): "taken", (today, 1): "taken"}, today)
    assert (partly.expected, partly.taken) == (3, 3)


def test_days_after_today_never_count():
    assert tally(_expected(7), {}, today=MONDAY).expected == 0


def test_nothing_expected_means_no_rate():
    result = tally({}, {}, today=MONDAY)
    assert result.rate is None and result.percent is None


def test_weeks_are_iso_weeks_and_cross_the_year_end():
    start = dt.date(2026, 12, 28)  # a Monday; ISO week 53 runs to Sunday 3 January 2027
    expected = {start + dt.timedelta(days=i): 1 for i in range(10)}
    logged = {(start + dt.timedelta(days=i), 0): "taken" for i in range(0, 10, 2)}
    weeks = weekly(expected, logged, today=dt.date(2027, 2, 1))
    assert [w for w, _ in weeks] == [dt.date(2027, 1, 4), dt.date(2026, 12, 28)]
    assert [(t.taken, t.expected) for _, t in weeks] == [(1, 3), (4, 7)]
    assert week_start(dt.date(2027, 1, 3)) == dt.date(2026, 12, 28)


def test_daily_share_for_trials():
    expected = {MONDAY: 2, MONDAY + dt.timedelta(days=1): 0}
    shares = daily(expected, {(MONDAY, 0): "taken", (MONDAY, 1): "skipped"}, today=MONDAY + dt.timedelta(days=5))
    assert shares == {MONDAY: 0.5, MONDAY + dt.timedelta(days=1): None}
