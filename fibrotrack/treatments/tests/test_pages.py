"""The treatment list, the regimen page, side effects, and their query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.treatments.actions import DoseEntry, do_log_doses
from fibrotrack.treatments.models import DoseLog, SideEffect
from fibrotrack.treatments.tests.helpers import start

pytestmark = pytest.mark.django_db
LIST = reverse("treatments:list")
KEYS = ["magnesium", "pregabalin", "duloxetine", "melatonin", "vitamin_d", "coq10", "yoga", "walking", "caffeine"]


def _log_days(regimen, first, last, status="taken"):
    day = first
    entries = []
    while day <= last:
        do_log_doses(regimen.user, day, [DoseEntry(regimen, 0, status, Decimal(1), "mg")])
        entries.append(day)
        day += dt.timedelta(days=1)
    return entries


def test_the_list_shows_current_and_past(owner, owner_client, today):
    start(owner, "magnesium", on=today - dt.timedelta(days=30), amount="300")
    start(
        owner,
        "pregabalin",
        on=today - dt.timedelta(days=90),
        stop=today - dt.timedelta(days=40),
        stop_reason="side_effects",
    )
    html = owner_client.get(LIST).content.decode()
    current, past = html.split('id="past-heading"')
    assert "Magnesium" in current and "300 mg" in current and "Pregabalin" not in current
    assert "Pregabalin" in past and "Side effects" in past


def test_the_list_shows_adherence_over_four_weeks(owner, owner_client, today):
    regimen = start(owner, "magnesium", on=today - dt.timedelta(days=9), amount="300")
    _log_days(regimen, today - dt.timedelta(days=9), today - dt.timedelta(days=5))
    do_log_doses(owner, today - dt.timedelta(days=4), [DoseEntry(regimen, 0, "skipped")])
    html = owner_client.get(LIST).content.decode()
    # 10 days from the start to today; today is not answered yet, so 9 are counted.
    assert "5 of 9 doses taken (56%), 3 not recorded" in html


def test_mark_all_taken(owner, owner_client, today):
    ldn = start(owner, "naltrexone", on=today, plan="ldn_standard")
    pregabalin = start(owner, "pregabalin", amount="75", schedule="daily", times=("08:00", "20:00"))
    start(owner, "ibuprofen", amount="400", schedule="as_needed")
    do_log_doses(owner, today, [DoseEntry(pregabalin, 1, "skipped")])
    assert "2 doses still to record today" in owner_client.get(LIST).content.decode()
    assert owner_client.post(reverse("treatments:mark_all_taken")).status_code == 302
    logs = {(log.regimen_id, log.slot): (log.status, log.amount) for log in DoseLog.objects.filter(day=today)}
    assert logs == {
        (ldn.pk, 0): ("taken", Decimal(1)),
        (pregabalin.pk, 0): ("taken", Decimal(75)),
        (pregabalin.pk, 1): ("skipped", None),  # an answer is never overwritten
    }
    owner_client.post(reverse("treatments:mark_all_taken"))
    assert DoseLog.objects.filter(day=today).count() == 3


def test_the_list_page_costs_the_same_for_one_or_many(
    owner, owner_client, today, django_assert_num_queries, django_assert_max_num_queries
):
    start(owner, "naltrexone", on=today - dt.timedelta(days=10), plan="ldn_standard")
    owner_client.get(LIST)  # warm the session
    with django_assert_max_num_queries(50) as one:
        owner_client.get(LIST)
    expected = len(one.captured_queries)
    for i, key in enumerate(KEYS):
        regimen = start(
            owner,
            key,
            on=today - dt.timedelta(days=20 + i),
            amount="5",
            unit="minutes" if key in ("yoga", "walking") else "mg",
        )
        _log_days(regimen, today - dt.timedelta(days=5), today - dt.timedelta(days=1))
    start(owner, "codeine", on=today - dt.timedelta(days=200), stop=today - dt.timedelta(days=100))
    with django_assert_num_queries(expected):
        response = owner_client.get(LIST)
    assert response.content.decode().count('class="tx-card"') == 1 + len(KEYS)


def test_the_regimen_page_costs_the_same_for_a_short_or_long_history(
    owner, owner_client, today, django_assert_num_queries, django_assert_max_num_queries
):
    short = start(owner, "naltrexone", on=today - dt.timedelta(days=2), plan="ldn_standard")
    SideEffect.objects.create(user=owner, key="nausea", name="Nausea", severity="mild", onset_on=today, regimen=short)
    owner_client.get(reverse("treatments:detail", args=[short.pk]))
    with django_assert_max_num_queries(50) as baseline:
        owner_client.get(reverse("treatments:detail", args=[short.pk]))
    expected = len(baseline.captured_queries)
    long = start(owner, "magnesium", on=today - dt.timedelta(days=400), amount="300")
    _log_days(long, today - dt.timedelta(days=60), today - dt.timedelta(days=1))
    owner_client.post(
        reverse("treatments:change_dose", args=[long.pk]),
        {
            "effective_on": (today - dt.timedelta(days=100)).isoformat(),
            "amount": "400",
            "unit": "mg",
            "reason": "own_choice",
        },
    )
    SideEffect.objects.create(
        user=owner,
        key="loose_stools",
        name="Loose stools",
        severity="mild",
        onset_on=today - dt.timedelta(days=50),
        regimen=long,
    )
    with django_assert_num_queries(expected):
        response = owner_client.get(reverse("treatments:detail", args=[long.pk]))
    assert response.status_code == 200


def test_the_regimen_page_shows_history_adherence_and_plan(owner, owner_client, today):
    regimen = start(owner, "naltrexone", on=today - dt.timedelta(days=15), plan="ldn_standard")
    _log_days(regimen, today - dt.timedelta(days=15), today - dt.timedelta(days=3))
    do_log_doses(owner, today - dt.timedelta(days=2), [DoseEntry(regimen, 0, "different", Decimal("1.5"), "mg")])
    html = owner_client.get(reverse("treatments:detail", args=[regimen.pk])).content.decode()
    assert "3 mg" in html and "Plan step 3 of 5" in html  # today is in week three
    assert 'aria-current="step"' in html
    assert "14 of 15 taken (1 at a different dose), 0 skipped, 1 not recorded" in html
    assert "By week (Monday to Sunday)" in html
    assert "<svg" in html and "dose in force" in html


def test_as_needed_has_no_adherence_and_says_so(owner, owner_client, today):
    regimen = start(owner, "ibuprofen", on=today - dt.timedelta(days=10), amount="400", schedule="as_needed")
    html = owner_client.get(reverse("treatments:detail", args=[regimen.pk])).content.decode()
    assert "taken as needed, so there are no expected doses to measure against" in html


def test_side_effects_are_seen_against_the_dose(owner, owner_client, today):
    regimen = start(owner, "naltrexone", on=today - dt.timedelta(days=10), plan="ldn_standard")
    for offset in (9, 8, 2):
        owner_client.post(
            reverse("diary:day", args=[(today - dt.timedelta(days=offset)).isoformat()]), {"tx-se_vivid_dreams": "mild"}
        )
    html = owner_client.get(reverse("treatments:detail", args=[regimen.pk])).content.decode()
    assert "Vivid dreams" in html
    assert html.count("<title>Vivid dreams,") == 3  # one bar per day in the chart
    assert '<th scope="col">Vivid dreams</th>' in html  # and a column in the table


def test_logging_and_editing_a_side_effect(owner, owner_client, today):
    regimen = start(owner, "pregabalin", on=today - dt.timedelta(days=30), amount="75")
    url = reverse("treatments:side_effects")
    bad = owner_client.post(
        url, {"name": "Dizziness", "severity": "moderate", "onset_on": today.isoformat(), "is_ongoing": "no"}
    )
    assert bad.status_code == 400 and "Enter the day it stopped." in bad.content.decode()
    ok = owner_client.post(
        url,
        {
            "name": "Dizziness",
            "severity": "moderate",
            "onset_on": (today - dt.timedelta(days=3)).isoformat(),
            "is_ongoing": "yes",
            "regimen": str(regimen.pk),
        },
    )
    assert ok.status_code == 302
    effect = SideEffect.objects.get(user=owner)
    assert (effect.key, effect.regimen, effect.is_ongoing) == ("dizziness", regimen, True)
    edit = reverse("treatments:side_effect_edit", args=[effect.pk])
    backwards = owner_client.post(
        edit,
        {
            "name": "Dizziness",
            "severity": "mild",
            "onset_on": (today - dt.timedelta(days=3)).isoformat(),
            "is_ongoing": "no",
            "ended_on": (today - dt.timedelta(days=5)).isoformat(),
        },
    )
    assert backwards.status_code == 400 and "It can’t stop before it started" in backwards.content.decode()
    owner_client.post(
        edit,
        {
            "name": "Dizziness",
            "severity": "mild",
            "onset_on": (today - dt.timedelta(days=3)).isoformat(),
            "is_ongoing": "no",
            "ended_on": today.isoformat(),
        },
    )
    effect.refresh_from_db()
    assert (effect.is_ongoing, effect.ended_on, effect.severity) == (False, today, "mild")
    assert owner_client.post(reverse("treatments:side_effect_delete", args=[effect.pk])).status_code == 302
    assert not SideEffect.objects.exists()


def test_a_side_effect_cannot_be_pinned_on_someone_elses_regimen(owner, stranger, stranger_client, today):
    theirs = start(owner, "magnesium")
    response = stranger_client.post(
        reverse("treatments:side_effects"),
        {
            "name": "Nausea",
            "severity": "mild",
            "onset_on": today.isoformat(),
            "is_ongoing": "yes",
            "regimen": str(theirs.pk),
        },
    )
    assert response.status_code == 400
    assert not SideEffect.objects.exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("treatments:side_effect_edit", "get"),
        ("treatments:side_effect_edit", "post"),
        ("treatments:side_effect_delete", "post"),
    ],
)
def test_another_persons_side_effect_is_404(owner, stranger_client, today, name, method):
    effect = SideEffect.objects.create(user=owner, key="nausea", name="Nausea", severity="mild", onset_on=today)
    assert getattr(stranger_client, method)(reverse(name, args=[effect.pk]), {}).status_code == 404
    assert SideEffect.objects.filter(pk=effect.pk, name="Nausea").exists()


def test_lists_show_only_your_own(owner, stranger_client, today):
    start(owner, "naltrexone", plan="ldn_standard")
    SideEffect.objects.create(user=owner, key="nausea", name="Secret nausea", severity="mild", onset_on=today)
    assert "Naltrexone" not in stranger_client.get(LIST).content.decode()
    assert "Secret nausea" not in stranger_client.get(reverse("treatments:side_effects")).content.decode()
    stranger_client.post(reverse("treatments:mark_all_taken"))
    assert not DoseLog.objects.exists()


def test_the_nav_links_to_treatments(owner_client):
    assert f'href="{LIST}"' in owner_client.get(reverse("diary:today")).content.decode()


def test_many_people_do_not_slow_the_list(owner, owner_client, today, django_assert_max_num_queries):
    for _ in range(3):
        other = UserFactory()
        start(other, "magnesium")
    start(owner, "magnesium")
    with django_assert_max_num_queries(12):
        owner_client.get(LIST)
