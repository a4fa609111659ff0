"""My progress: the dashboard for a chosen period."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from fibrotrack.diary.models import TrackedSymptom
from fibrotrack.lib.testing.factories import UserFactory, make_checkin
from fibrotrack.reports import dashboard
from fibrotrack.reports.tests.seed import seed_diary
from fibrotrack.treatments.models import SideEffect, SideEffectReport

URL = reverse("reports:details")


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_shows_every_part_of_the_dashboard(owner_client, year_of_data):
    html = owner_client.get(URL, {"period": "365"}).content.decode()
    for text in (
        "Symptoms over time",
        "Pain",
        "Fatigue",
        "7-day mean",
        "Monthly summary",
        "Best and worst weeks",
        "Side effects",
        "Nausea",
        "WPI, SSS and PSD over time",
        "What goes with bad days",
        "associations, not causes",
        "Duloxetine",  # the treatment band on the timeline
    ):
        assert text in html, text
    assert html.count("<svg") >= 7  # a timeline per symptom, side effects and ACR scores
    assert 'class="heatmap' in html


def test_the_timelines_shade_treatments_and_trial_phases_and_mark_dose_steps(owner, owner_client, today):
    from fibrotrack.trials import protocols
    from fibrotrack.trials.tests.helpers import ldn_regimen, new_trial, started

    seed_diary(owner, today - dt.timedelta(days=80), today)  # duloxetine 30 mg, then 60 mg two weeks later
    start = today - dt.timedelta(days=5)
    started(new_trial(owner, protocols.before_after(), regimen=ldn_regimen(owner, start)), start)
    html = owner_client.get(URL, {"period": "91"}).content.decode()
    listed = html.split("Treatments and changes on the charts, as a list")[1].split("</details>")[0]
    assert "Trial: Baseline" in listed and "Duloxetine" in listed and "60 mg" in listed
    assert "Shaded spans are treatments or trial phases" in html
    assert "Trial: Baseline" in html.split('id="timelines"')[1].split("<details")[0]  # drawn on the chart itself


def test_every_chart_has_a_table_alternative(owner_client, year_of_data):
    html = owner_client.get(URL, {"period": "365"}).content.decode()
    assert "All daily values as a table" in html
    assert "<caption>Daily values and 7-day means" in html
    assert "<caption>Side effects in this period</caption>" in html
    assert "<caption>ACR 2016 questionnaires in this period</caption>" in html
    # Every SVG chart is labelled for screen readers.
    assert all('role="img" aria-label="' in svg for svg in re.findall(r"<svg[^>]*>", html) if "chart" in svg)


def test_nothing_loads_from_another_host(owner_client, year_of_data):
    html = owner_client.get(URL).content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_switching_the_period_changes_the_range(owner_client, today, year_of_data):
    html = owner_client.get(URL, {"period": "28"}).content.decode()
    start = today - dt.timedelta(days=27)
    assert f"{start:%-d %b %Y} to {today:%-d %b %Y}" in html
    assert "Weekly summary" in html


def test_a_custom_period_is_used(owner_client, today, year_of_data):
    start, end = today - dt.timedelta(days=200), today - dt.timedelta(days=100)
    html = owner_client.get(URL, {"period": "custom", "start": start, "end": end}).content.decode()
    assert f"{start:%-d %b %Y} to {end:%-d %b %Y}" in html


def test_a_custom_period_ending_before_it_starts_is_explained(owner_client, today):
    html = owner_client.get(
        URL, {"period": "custom", "start": today, "end": today - dt.timedelta(days=3)}
    ).content.decode()
    assert "The last day must be on or after the first day." in html


def test_the_summary_can_be_weekly_or_monthly(owner_client, year_of_data):
    assert "Monthly summary" in owner_client.get(URL, {"period": "91", "by": "month"}).content.decode()
    assert "Weekly summary" in owner_client.get(URL, {"period": "365", "by": "week"}).content.decode()


def test_its_query_count_does_not_grow_with_the_data(owner, owner_client, today):
    small = UserFactory()
    seed_diary(small, today - dt.timedelta(days=20), today, seed=2)
    small_client = Client()
    small_client.force_login(small)
    seed_diary(owner, today - dt.timedelta(days=3 * 365), today, seed=3)
    # Both have a side effect in the period, so the same kinds of rows exist; only the amount differs.
    recent = SideEffect.objects.create(
        user=owner, key="dizziness", name="Dizziness", severity="mild", onset_on=today - dt.timedelta(days=10)
    )
    SideEffectReport.objects.create(side_effect=recent, day=today - dt.timedelta(days=9), severity="mild")

    def count(client):
        client.get(URL, {"period": "365"})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"period": "365"}).status_code == 200
        return len(captured)

    assert count(owner_client) == count(small_client)


def test_a_person_with_no_entries_sees_an_empty_dashboard(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert "0 of 91 days logged" in response.content.decode()


def test_archived_symptoms_with_data_still_show(owner, owner_client, today):
    make_checkin(owner, today, stiffness=7)
    TrackedSymptom.objects.filter(user=owner, key="stiffness").update(is_active=False)
    assert "Stiffness" in owner_client.get(URL).content.decode()


def test_another_persons_data_never_shows(owner, stranger_client, today):
    make_checkin(owner, today, note="secret", pain=9)
    html = stranger_client.get(URL).content.decode()
    assert "0 of 91 days logged" in html


# --- The arithmetic -----------------------------------------------------------------


@pytest.fixture
def pain(owner):
    return owner.symptoms.get(key="pain")


@pytest.fixture
def mood(owner):
    return owner.symptoms.get(key="mood")


def test_best_and_worst_day_follow_the_symptoms_direction(pain, mood):
    d = dt.date(2024, 3, 1)
    values = {d: 3.0, d + dt.timedelta(days=1): 8.0, d + dt.timedelta(days=2): 5.0}
    p = dashboard.summarise(pain, values, d, d + dt.timedelta(days=6))
    assert (p.best, p.best_day, p.worst, p.worst_day, p.days_logged) == (3.0, d, 8.0, d + dt.timedelta(days=1), 3)
    assert p.mean_text == "5.3"
    m = dashboard.summarise(mood, values, d, d + dt.timedelta(days=6))
    assert (m.best, m.worst) == (8.0, 3.0)


def test_buckets_are_calendar_weeks_and_months_clipped_to_the_period():
    weeks = dashboard.buckets(dt.date(2024, 3, 6), dt.date(2024, 3, 20), "week")
    assert [(b0, b1) for _, b0, b1 in weeks] == [
        (dt.date(2024, 3, 18), dt.date(2024, 3, 20)),
        (dt.date(2024, 3, 11), dt.date(2024, 3, 17)),
        (dt.date(2024, 3, 6), dt.date(2024, 3, 10)),
    ]
    months = dashboard.buckets(dt.date(2024, 1, 15), dt.date(2024, 3, 2), "month")
    assert [label for label, _, _ in months] == ["March 2024", "February 2024", "January 2024"]
    assert months[-1][1] == dt.date(2024, 1, 15) and months[0][2] == dt.date(2024, 3, 2)


def test_best_and_worst_weeks_need_four_days_and_whole_weeks(pain):
    monday = dt.date(2024, 4, 1)
    values = {}
    for week, level in enumerate([2.0, 7.0, 4.0]):
        for day in range(4):
            values[monday + dt.timedelta(days=7 * week + day)] = level
    values[monday + dt.timedelta(days=21)] = 0.0  # a lone day in a fourth week: too few
    best, worst = dashboard.best_and_worst_weeks(pain, values, monday, monday + dt.timedelta(days=27), n=1)
    assert [w.start for w in best] == [monday]
    assert [w.start for w in worst] == [monday + dt.timedelta(days=7)]
    assert best[0].days_logged == 4


def test_bad_days_finds_a_planted_next_day_trigger(owner, today):
    # The seed makes pain 2 points higher on the day after "Stress".
    seed_diary(owner, today - dt.timedelta(days=364), today, seed=5, fill=1.0)
    ctx = dashboard.build(owner, today - dt.timedelta(days=364), today, include={"associations"})
    rows = ctx["associations"]["rows"]
    stress_next = next(r for r in rows if r.predictor == "Stress" and r.lag == 1)
    assert stress_next.significant
    assert stress_next.ci_low is not None and stress_next.ci_low > 0.5
    assert ctx["associations"]["label"] == "association, not cause"


def test_bad_days_says_when_there_is_too_little_data(owner, today):
    make_checkin(owner, today, pain=5)
    ctx = dashboard.build(owner, today - dt.timedelta(days=27), today, include={"associations"})
    assert "Not enough days yet" in ctx["associations"]["message"]


@given(
    st.dictionaries(
        st.integers(min_value=0, max_value=60).map(lambda n: dt.date(2024, 2, 20) + dt.timedelta(days=n)),
        st.integers(min_value=0, max_value=10).map(float),
    )
)
def test_the_fast_rolling_mean_matches_the_shared_one(values):
    from fibrotrack.lib.series import rolling_mean

    start, end = dt.date(2024, 2, 26), dt.date(2024, 4, 10)
    assert dashboard.fast_rolling_mean(values, start, end) == rolling_mean(values, start, end)
