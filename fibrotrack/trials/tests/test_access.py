"""Access: another person gets 404 on every trial view; the custodian sees only the custodian's pages."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from fibrotrack.trials import protocols
from fibrotrack.trials.tests.helpers import ldn_regimen, new_trial, seed_diary, started, with_custodian

TRIAL_VIEWS = [
    ("trials:detail", "get"),
    ("trials:plan", "get"),
    ("trials:plan", "post"),
    ("trials:start", "post"),
    ("trials:delete", "post"),
    ("trials:invite", "post"),
    ("trials:remove_custodian", "post"),
    ("trials:custodian", "get"),
    ("trials:registration", "get"),
    ("trials:amend", "get"),
    ("trials:amend", "post"),
    ("trials:stop", "get"),
    ("trials:stop", "post"),
    ("trials:unblind", "get"),
    ("trials:unblind", "post"),
    ("trials:finish", "post"),
    ("trials:result", "get"),
    ("trials:assessment_new", "get"),
    ("trials:assessment_new", "post"),
]


@pytest.fixture
def trial(owner, clinician, today):
    regimen = ldn_regimen(owner, today - dt.timedelta(days=30))
    trial = with_custodian(new_trial(owner, regimen=regimen, title="Secret LDN trial of the owner"), clinician)
    return started(trial, today - dt.timedelta(days=20))


@pytest.mark.parametrize(("name", "method"), TRIAL_VIEWS)
def test_a_stranger_gets_404_on_every_trial_view(trial, stranger_client, name, method):
    url = reverse(name, args=[trial.pk])
    response = getattr(stranger_client, method)(url, {"save": "settings", "reason": "x", "confirm": "on"})
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method"), [("trials:phase_remove", "post"), ("trials:phase_move", "post")])
def test_a_stranger_gets_404_on_phase_actions(owner, stranger_client, today, name, method):
    draft = new_trial(owner, protocols.before_after())
    phase = draft.phases.first()
    assert stranger_client.post(reverse(name, args=[draft.pk, phase.pk])).status_code == 404


def test_a_stranger_cannot_read_a_draft_plan_or_delete_it(owner, stranger_client):
    draft = new_trial(owner, protocols.before_after())
    assert stranger_client.get(reverse("trials:plan", args=[draft.pk])).status_code == 404
    assert stranger_client.post(reverse("trials:delete", args=[draft.pk])).status_code == 404
    assert draft.__class__.objects.filter(pk=draft.pk).exists()


def test_the_list_shows_only_ones_own_trials(trial, stranger_client):
    html = stranger_client.get(reverse("trials:list")).content.decode()
    assert trial.title not in html


def test_anonymous_visitors_are_sent_to_log_in(trial, client):
    response = client.get(reverse("trials:detail", args=[trial.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_custodian_reaches_only_the_custodian_pages(trial, clinician):
    custodian = Client()
    custodian.force_login(clinician)
    for name in ("trials:custodian", "trials:registration", "trials:assessment_new", "trials:unblind"):
        assert custodian.get(reverse(name, args=[trial.pk])).status_code == 200, name
    for name in ("trials:detail", "trials:plan", "trials:result", "trials:amend", "trials:stop"):
        assert custodian.get(reverse(name, args=[trial.pk])).status_code == 404, name
    assert custodian.post(reverse("trials:finish", args=[trial.pk])).status_code == 404
    html = custodian.get(reverse("trials:list")).content.decode()
    assert "Trials you hold the blind for" in html and trial.title in html


def test_the_custodian_does_not_see_the_participants_diary(trial, owner, clinician, today):
    seed_diary(owner, today - dt.timedelta(days=20), today, lambda d: 7)
    custodian = Client()
    custodian.force_login(clinician)
    main = custodian.get(reverse("trials:custodian", args=[trial.pk])).content.decode().split("<main", 1)[1]
    assert "Pain" not in main and "Diary days" not in main
    assert custodian.get(reverse("diary:chart")).content.decode().count("Trial:") == 0


def test_a_custodian_can_record_an_assessment_marked_as_theirs(trial, clinician, today):
    custodian = Client()
    custodian.force_login(clinician)
    response = custodian.post(
        reverse("trials:assessment_new", args=[trial.pk]),
        {"measured_on": today.isoformat(), "kind": "pressure_kpa", "value": "210", "site": "right trapezius"},
    )
    assert response.status_code == 302
    a = trial.assessments.get()
    assert (a.entered_role, a.entered_by, a.value) == ("custodian", clinician, 210)


def test_the_list_page_costs_the_same_for_one_trial_or_many(
    owner, owner_client, today, django_assert_num_queries, django_assert_max_num_queries
):
    regimen = ldn_regimen(owner, today - dt.timedelta(days=400))
    started(new_trial(owner, protocols.before_after(), regimen=regimen), today - dt.timedelta(days=5))
    owner_client.get(reverse("trials:list"))
    with django_assert_max_num_queries(30) as one:
        owner_client.get(reverse("trials:list"))
    expected = len(one.captured_queries)
    for i, outcome in enumerate(["fatigue", "mood", "sleep_quality", "stiffness", "fibro_fog", "pain"]):
        t = new_trial(
            owner, protocols.ldn_pilot() if i % 2 else protocols.pairs(k=2, n=7), regimen=regimen, outcome=outcome
        )
        if i < 4:
            t.blinded = False
            t.save()
            started(t, today - dt.timedelta(days=3 + i))
    with django_assert_num_queries(expected):
        response = owner_client.get(reverse("trials:list"))
    assert response.content.decode().count('class="tr-card"') == 7


def test_the_custodian_list_costs_the_same_for_one_trial_or_many(
    owner, clinician, today, django_assert_num_queries, django_assert_max_num_queries
):
    client = Client()
    client.force_login(clinician)
    regimen = ldn_regimen(owner, today)
    with_custodian(new_trial(owner, regimen=regimen), clinician)
    client.get(reverse("trials:list"))
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("trials:list"))
    for _ in range(4):
        with_custodian(new_trial(owner, regimen=regimen), clinician)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("trials:list"))
