"""Plan arithmetic: the dose in force on every day, across month ends, leap days and DST."""

import datetime as dt
from decimal import Decimal

import pytest

from fibrotrack.treatments.titration import (
    TEMPLATES,
    Change,
    DoseSpec,
    Plan,
    Step,
    describe_steps,
    doses_between,
    expected_dose,
    format_amount,
    plan_calendar,
    plan_end,
    transitions,
)

D = Decimal


def amount(spec, day):
    dose = expected_dose(spec, day)
    if dose is None:
        return None
    return "pause" if dose.is_pause else dose.amount


def ldn(start, template="ldn_standard", stop=None, changes=()):
    return DoseSpec(start, stop, "mg", Plan(start, TEMPLATES[template].steps, order=1), tuple(changes))


def test_standard_plan_goes_up_one_mg_a_week_to_four_and_a_half():
    spec = ldn(dt.date(2026, 3, 2))
    week = dt.timedelta(days=7)
    assert [amount(spec, dt.date(2026, 3, 2) + n * week) for n in range(6)] == [
        D("1"),
        D("2"),
        D("3"),
        D("4"),
        D("4.5"),
        D("4.5"),
    ]
    assert amount(spec, dt.date(2026, 3, 8)) == D("1")  # the last day of week one
    assert amount(spec, dt.date(2026, 3, 9)) == D("2")  # the first day of week two


def test_slow_plan_uses_half_mg_steps_every_two_weeks():
    spec = ldn(dt.date(2026, 1, 1), "ldn_slow")
    assert amount(spec, dt.date(2026, 1, 1)) == D("0.5")
    assert amount(spec, dt.date(2026, 1, 14)) == D("0.5")
    assert amount(spec, dt.date(2026, 1, 15)) == D("1.0")
    assert amount(spec, dt.date(2026, 1, 1) + dt.timedelta(days=14 * 8)) == D("4.5")
    assert amount(spec, dt.date(2027, 1, 1)) == D("4.5")


def test_the_published_case_schedule_with_its_pause():
    start = dt.date(2026, 5, 1)
    spec = ldn(start, "ldn_case")

    def on(offset):
        return amount(spec, start + dt.timedelta(days=offset))

    assert [on(0), on(1)] == [D("1"), D("1")]  # 1 mg for 2 nights
    assert [on(2), on(3)] == [D("2"), D("2")]  # 2 mg for 2 nights
    assert on(4) == on(17) == D("4.5")  # 4.5 mg for 2 weeks
    assert on(18) == on(31) == "pause"  # a 2-week pause
    assert on(32) == on(32 + 97) == D("4.5")  # then 4.5 mg for 14 weeks
    assert on(32 + 98) == D("4.5")  # and the last step holds
    assert plan_end(spec.plan) == start + dt.timedelta(days=2 + 2 + 14 + 14 + 98 - 1)


def test_steps_cross_month_ends_and_the_leap_day():
    # 7-day steps from 26 February 2028 (a leap year): 26 Feb–3 Mar, 4–10 Mar, ...
    spec = ldn(dt.date(2028, 2, 26))
    assert amount(spec, dt.date(2028, 2, 29)) == D("1")
    assert amount(spec, dt.date(2028, 3, 3)) == D("1")
    assert amount(spec, dt.date(2028, 3, 4)) == D("2")
    # The same plan in a common year: 26 Feb–4 Mar.
    spec = ldn(dt.date(2027, 2, 26))
    assert amount(spec, dt.date(2027, 3, 4)) == D("1")
    assert amount(spec, dt.date(2027, 3, 5)) == D("2")


def test_steps_cross_the_year_end():
    spec = ldn(dt.date(2026, 12, 29))
    assert amount(spec, dt.date(2027, 1, 4)) == D("1")
    assert amount(spec, dt.date(2027, 1, 5)) == D("2")
    assert [s[0] for s in plan_calendar(spec.plan)] == [
        dt.date(2026, 12, 29),
        dt.date(2027, 1, 5),
        dt.date(2027, 1, 12),
        dt.date(2027, 1, 19),
        dt.date(2027, 1, 26),
    ]


@pytest.mark.parametrize(
    ("start", "change_day"),
    [
        # Europe moves its clocks on the last Sunday of March and October; the US on
        # the second Sunday of March and the first of November. Calendar arithmetic
        # must not care: a step boundary on a 23- or 25-hour day stays on its date.
        (dt.date(2026, 3, 22), dt.date(2026, 3, 29)),
        (dt.date(2026, 10, 18), dt.date(2026, 10, 25)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 8)),
        (dt.date(2026, 10, 25), dt.date(2026, 11, 1)),
    ],
)
def test_a_step_boundary_on_a_dst_change_day_stays_on_its_date(start, change_day):
    spec = ldn(start)
    assert amount(spec, change_day - dt.timedelta(days=1)) == D("1")
    assert amount(spec, change_day) == D("2")


def test_nothing_is_expected_outside_the_regimen():
    spec = ldn(dt.date(2026, 3, 2), stop=dt.date(2026, 3, 20))
    assert expected_dose(spec, dt.date(2026, 3, 1)) is None
    assert amount(spec, dt.date(2026, 3, 20)) == D("3")  # the stop date is the last day
    assert expected_dose(spec, dt.date(2026, 3, 21)) is None


def test_after_the_plan_ends_the_last_step_holds():
    spec = ldn(dt.date(2026, 1, 1))
    dose = expected_dose(spec, dt.date(2026, 6, 1))
    assert dose.amount == D("4.5") and dose.plan_finished and dose.step == 5


def test_a_later_manual_change_overrides_the_plan_from_its_date():
    start = dt.date(2026, 3, 2)
    change = Change(dt.date(2026, 3, 12), D("1.5"), "mg", order=2)  # back down, in week two
    spec = ldn(start, changes=[change])
    assert amount(spec, dt.date(2026, 3, 11)) == D("2")
    assert amount(spec, dt.date(2026, 3, 12)) == D("1.5")
    assert amount(spec, dt.date(2026, 5, 1)) == D("1.5")  # the plan no longer applies
    assert expected_dose(spec, dt.date(2026, 3, 12)).source == "change"


def test_on_the_same_day_the_event_recorded_later_wins():
    day = dt.date(2026, 3, 2)
    earlier = Change(day, D("50"), "mg", order=1)
    spec = DoseSpec(day, None, "mg", Plan(day, (Step(D("1"), 7),), order=2), (earlier,))
    assert amount(spec, day) == D("1")
    later = Change(day, D("50"), "mg", order=3)
    spec = DoseSpec(day, None, "mg", Plan(day, (Step(D("1"), 7),), order=2), (later,))
    assert amount(spec, day) == D("50")


def test_a_dose_change_never_rewrites_the_past():
    start = dt.date(2026, 1, 1)
    first = Change(start, D("75"), "mg", order=1)
    before = doses_between(DoseSpec(start, None, "mg", None, (first,)), start, dt.date(2026, 1, 31))
    second = Change(dt.date(2026, 1, 15), D("150"), "mg", order=2)
    after = doses_between(DoseSpec(start, None, "mg", None, (first, second)), start, dt.date(2026, 1, 31))
    assert {d: v for d, v in after.items() if d < dt.date(2026, 1, 15)} == {
        d: v for d, v in before.items() if d < dt.date(2026, 1, 15)
    }
    assert after[dt.date(2026, 1, 15)].amount == D("150")


def test_transitions_list_each_change_of_dose_once():
    spec = ldn(dt.date(2026, 5, 1), "ldn_case")
    steps = transitions(spec, dt.date(2026, 12, 31))
    assert [(t.day, t.label) for t in steps] == [
        (dt.date(2026, 5, 1), "1 mg"),
        (dt.date(2026, 5, 3), "2 mg"),
        (dt.date(2026, 5, 5), "4.5 mg"),
        (dt.date(2026, 5, 19), "pause"),
        (dt.date(2026, 6, 2), "4.5 mg"),
    ]


def test_amounts_read_plainly():
    assert format_amount(D("4.500")) == "4.5"
    assert format_amount(D("300.000")) == "300"
    assert format_amount(D("0.125")) == "0.125"
    assert format_amount(None) == "pause"
    assert describe_steps((Step(D("1"), 2), Step(None, 1)), "mg") == "1 mg for 2 days, then pause for 1 day"
