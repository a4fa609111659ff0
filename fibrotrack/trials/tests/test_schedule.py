"""Schedule arithmetic: phases on the calendar, day numbers, sealed block order, DST."""

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fibrotrack.lib.dates import diary_day
from fibrotrack.trials import protocols, schedule
from fibrotrack.trials.schedule import PlannedPhase


def planned(template):
    return [
        PlannedPhase(i, p.kind, p.days, p.counts, p.blinded, p.block) for i, p in enumerate(template.phases, start=1)
    ]


def test_the_ldn_pilot_lays_out_14_14_56_14_days():
    sched = schedule.build(planned(protocols.ldn_pilot()), dt.date(2026, 3, 1))
    assert [(s.phase.kind, s.start, s.end) for s in sched] == [
        ("baseline", dt.date(2026, 3, 1), dt.date(2026, 3, 14)),
        ("placebo", dt.date(2026, 3, 15), dt.date(2026, 3, 28)),
        ("treatment", dt.date(2026, 3, 29), dt.date(2026, 5, 23)),
        ("washout", dt.date(2026, 5, 24), dt.date(2026, 6, 6)),
    ]
    assert schedule.end_date(dt.date(2026, 3, 1), planned(protocols.ldn_pilot())) == dt.date(2026, 6, 6)


def test_day_numbers_and_days_left_count_calendar_days():
    start, end = dt.date(2026, 3, 1), dt.date(2026, 6, 6)
    assert schedule.day_number(start, start) == 1
    assert schedule.day_number(start, dt.date(2026, 3, 29)) == 29
    assert schedule.days_left(end, end) == 0
    assert schedule.days_left(end, start) == 97


def test_phases_across_a_leap_day_and_a_month_end_keep_their_length():
    sched = schedule.build([PlannedPhase(1, "baseline", 14), PlannedPhase(2, "treatment", 3)], dt.date(2028, 2, 20))
    assert sched[0].end == dt.date(2028, 3, 4)  # 29 February counted
    assert sched[1].start == dt.date(2028, 3, 5)


def test_a_day_turning_over_across_the_dst_change_stays_in_its_phase():
    """Clocks go forward in London on 29 March 2026; 01:30 local that night still belongs to 28 March."""

    class Person:
        time_zone = "Europe/London"
        day_starts_at_hour = 4

    london = zoneinfo.ZoneInfo("Europe/London")
    sched = schedule.build(planned(protocols.ldn_pilot()), dt.date(2026, 3, 1))
    night = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC).astimezone(london)
    day = diary_day(Person(), night)
    assert day == dt.date(2026, 3, 28)
    assert schedule.phase_on(sched, day).phase.kind == "placebo"
    morning = dt.datetime(2026, 3, 29, 4, 30, tzinfo=london)
    assert schedule.phase_on(sched, diary_day(Person(), morning)).phase.kind == "treatment"
    # The autumn change (25 October 2026) repeats 01:00-02:00 and still maps to one date.
    repeat = dt.datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=london)
    assert diary_day(Person(), repeat) == dt.date(2026, 10, 24)


def test_a_drawn_order_permutes_only_within_its_block():
    phases = planned(protocols.pairs(k=3, n=7))
    order = {1: [2, 1], 2: [3, 4], 3: [6, 5]}
    actual = schedule.actual_order(phases, order)
    assert [p.position for p in actual] == [2, 1, 3, 4, 6, 5]
    assert [p.kind for p in actual] == ["placebo", "treatment", "treatment", "placebo", "placebo", "treatment"]


def test_an_order_that_is_not_a_permutation_of_the_block_is_refused():
    with pytest.raises(ValueError, match="not a permutation"):
        schedule.actual_order(planned(protocols.pairs(k=2, n=7)), {1: [1, 3]})


def test_a_zero_day_phase_cannot_be_laid_out():
    with pytest.raises(ValueError, match="at least one day"):
        schedule.lay_out([PlannedPhase(1, "baseline", 0)], dt.date(2026, 1, 1))


def test_blinded_phases_merge_into_one_segment_until_revealed():
    sched = schedule.build(planned(protocols.ldn_pilot()), dt.date(2026, 3, 1))
    hidden = schedule.segments(sched, reveal=False)
    assert [(s.blinded, s.days) for s in hidden] == [(False, 14), (True, 70), (False, 14)]
    assert len(schedule.segments(sched, reveal=True)) == 4


def test_stopping_early_truncates_the_schedule():
    sched = schedule.build(planned(protocols.ldn_pilot()), dt.date(2026, 3, 1))
    cut = schedule.truncate(sched, dt.date(2026, 3, 20))
    assert [(s.phase.kind, s.days) for s in cut] == [("baseline", 14), ("placebo", 6)]


@given(
    lengths=st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=12),
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)),
    probe=st.integers(min_value=0, max_value=800),
)
def test_every_day_of_a_schedule_belongs_to_exactly_one_phase(lengths, start, probe):
    phases = [PlannedPhase(i, "baseline", n) for i, n in enumerate(lengths, start=1)]
    sched = schedule.build(phases, start)
    total = sum(lengths)
    assert (sched[-1].end - sched[0].start).days + 1 == total
    day = start + dt.timedelta(days=probe)
    owners = [s for s in sched if s.covers(day)]
    assert len(owners) == (1 if probe < total else 0)
    for a, b in zip(sched, sched[1:], strict=False):
        assert b.start == a.end + dt.timedelta(days=1)
