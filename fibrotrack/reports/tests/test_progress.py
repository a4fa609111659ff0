"""My progress at a glance: this week against the usual, what is running, what seems linked, what next."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fibrotrack.lib.testing.factories import UserFactory, make_checkin
from fibrotrack.reports import glance
from fibrotrack.reports.tests.seed import seed_diary
from fibrotrack.treatments.tests.helpers import start as start_regimen

URL = reverse("reports:dashboard")


def _pain_row(owner, today):
    data = glance.dashboard.load_diary(owner, today - dt.timedelta(days=120), today, with_tags=False)
    return next(r for r in glance.week_rows(data, today) if r.symptom.key == "pain")


def _fill(owner, today, usual, week):
    """Pain ``usual`` for the 12 weeks before this week, then ``week`` for the last 7 days."""
    for i in range(7 + 84):
        day = today - dt.timedelta(days=i)
        make_checkin(owner, day, pain=week if i < 7 else usual[i % len(usual)])


def test_this_week_is_compared_with_the_persons_own_usual_range(owner, today):
    _fill(owner, today, usual=[3, 4, 5, 6], week=9)
    row = _pain_row(owner, today)
    assert row.mean == 9 and row.days == 7
    assert (row.q1, row.median, row.q3) == (3.75, 4.5, 5.25)
    assert [c.value for c in row.cells if c.usual] == [4, 5]
    assert [c.value for c in row.cells if c.now] == [9]
    assert row.verdict_full == "worse than usual"


def test_a_week_below_the_usual_range_reads_better_for_pain(owner, today):
    _fill(owner, today, usual=[5, 6, 7], week=2)
    assert _pain_row(owner, today).verdict_full == "better than usual"


def test_a_week_inside_the_usual_range_reads_as_usual(owner, today):
    _fill(owner, today, usual=[3, 4, 5, 6], week=5)
    assert _pain_row(owner, today).verdict_full == "within your usual range"


def test_without_earlier_days_there_is_no_usual_range_yet(owner, today):
    for i in range(5):
        make_checkin(owner, today - dt.timedelta(days=i), pain=4)
    row = _pain_row(owner, today)
    assert row.q1 is None and not any(c.usual for c in row.cells)
    assert row.verdict_full == "not enough earlier days for a usual range yet"


def test_the_page_asks_for_todays_check_in_until_it_is_done(owner, owner_client, today):
    make_checkin(owner, today - dt.timedelta(days=1), pain=4)
    html = owner_client.get(URL).content.decode()
    assert "Not checked in today." in html and reverse("diary:today") in html
    make_checkin(owner, today, pain=4)
    assert "Not checked in today." not in owner_client.get(URL).content.decode()


def test_a_dose_step_due_this_week_is_the_next_thing_to_do(owner, owner_client, today):
    # LDN standard: 1 mg for 7 days, then 2 mg: started 5 days ago, the step is in 2 days.
    start_regimen(owner, "naltrexone", on=today - dt.timedelta(days=5), plan="ldn_standard")
    make_checkin(owner, today, pain=4)
    ctx = glance.build(owner, today)
    assert [r.text for r in ctx["running"]] == ["Naltrexone (LDN), 1 mg, step 1 of 5"]
    step_day = today + dt.timedelta(days=2)
    doses = [s.text for s in ctx["next_steps"] if "changes to" in s.text]
    assert doses == [f"Naltrexone (LDN) changes to 2 mg on {step_day:%A %-d %b}."]


def test_a_running_blinded_trial_shows_its_phase_and_days_left_without_breaking_the_blind(
    owner, owner_client, clinician, today
):
    from fibrotrack.trials import protocols
    from fibrotrack.trials.tests.helpers import ldn_regimen, new_trial, started, with_custodian

    trial = with_custodian(new_trial(owner, protocols.ldn_pilot(), regimen=ldn_regimen(owner, today)), clinician)
    started(trial, today - dt.timedelta(days=1))
    html = owner_client.get(URL).content.decode()
    assert "day 2 of" in html and "days left" in html
    # The participant's page never names what the blinded part holds.
    for kind in ("Placebo", "placebo"):
        assert kind not in html.split('id="running-heading"')[1].split("</section>")[0]


def test_clear_links_are_stated_in_plain_words(owner, owner_client, today):
    # The seed makes pain 2 points higher on the day after "Stress".
    seed_diary(owner, today - dt.timedelta(days=364), today, seed=5, fill=1.0)
    html = owner_client.get(URL).content.decode()
    linked = html.split('id="linked-heading"')[1].split("</section>")[0]
    assert "On the day after you tagged “Stress”, your pain was about" in linked
    assert "(likely between" in linked and "not proof of a cause" in linked


def test_everything_else_is_one_tap_away(owner_client):
    html = owner_client.get(URL).content.decode()
    for name in ("reports:details", "reports:report", "reports:sharing"):
        assert f'href="{reverse(name)}"' in html


def test_its_query_count_is_fixed_and_does_not_grow_with_the_data(
    owner, owner_client, today, django_assert_num_queries
):
    small = UserFactory()
    seed_diary(small, today - dt.timedelta(days=20), today, seed=2)
    seed_diary(owner, today - dt.timedelta(days=3 * 365), today, seed=3)
    small_client = Client()
    small_client.force_login(small)

    def count(client):
        client.get(URL)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    assert count(owner_client) == count(small_client)
    owner_client.get(URL)
    # The person (1; the session is in the cache), the diary (4), regimens with their dose changes (2),
    # running trials (1), the latest questionnaire (1).
    # 10: the person, symptoms, scores, sleep, tags, weather, regimens, doses, trials, questionnaires.
    with django_assert_num_queries(10):
        owner_client.get(URL)


def test_another_persons_data_never_shows(owner, stranger_client, today):
    make_checkin(owner, today, pain=9)
    start_regimen(owner, "naltrexone", on=today, plan="ldn_standard")
    html = stranger_client.get(URL).content.decode()
    assert "Naltrexone" not in html
    assert "Nothing recorded yet" in html


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["reports:dashboard", "reports:details"])
def test_another_persons_treatment_or_trial_link_is_a_404_for_the_stranger(owner, stranger_client, today, name):
    regimen = start_regimen(owner, "naltrexone", on=today, plan="ldn_standard")
    assert stranger_client.get(reverse(name)).status_code == 200
    assert stranger_client.get(reverse("treatments:detail", args=[regimen.pk])).status_code == 404
