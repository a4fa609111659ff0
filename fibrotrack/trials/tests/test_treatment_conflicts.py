"""Issue 14, item 5: a trial on a treatment already being taken is found before the start, and explained."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from fibrotrack.treatments.actions import RegimenData, do_add_custom_treatment, do_start_regimen
from fibrotrack.treatments.tests.helpers import catalogue, start
from fibrotrack.trials import actions, protocols
from fibrotrack.trials.conflicts import names_match, regimen_conflicts
from fibrotrack.trials.models import Trial
from fibrotrack.trials.tests.helpers import new_trial, with_custodian

pytestmark = pytest.mark.django_db


def test_starting_an_ldn_trial_while_taking_ldn_is_refused_with_the_reason(owner, owner_client, clinician, today):
    regimen = start(owner, "naltrexone", on=today, plan="ldn_standard")
    trial = with_custodian(new_trial(owner, protocols.ldn_pilot(), regimen=regimen), clinician)
    response = owner_client.post(reverse("trials:start", args=[trial.pk]), {"start_date": today.isoformat()})
    assert response.status_code == 400
    text = " ".join(str(m) for m in response.context["messages"])
    assert "You are taking Naltrexone (LDN)" in text
    assert "A baseline on Naltrexone (LDN) is not a baseline" in text
    assert "delete it and add it again from" in text  # it started with the trial: move it
    assert Trial.objects.get(pk=trial.pk).status == Trial.Status.DRAFT


def test_the_plan_page_explains_the_clash_before_the_start(owner, owner_client, today):
    regimen = start(owner, "naltrexone", on=today, plan="ldn_standard")
    trial = new_trial(owner, protocols.ldn_pilot(), regimen=regimen)
    html = owner_client.get(reverse("trials:plan", args=[trial.pk])).content.decode()
    assert "Your treatments clash with this plan if it starts today" in html
    response = owner_client.post(reverse("trials:start", args=[trial.pk]), {"start_date": today.isoformat()})
    assert response.status_code == 400
    assert "is not a baseline" in response.content.decode()


def test_an_ldn_regimen_found_by_the_trials_name_clashes_too(owner, today):
    start(owner, "naltrexone", on=today - dt.timedelta(days=30), amount="4.5")  # not linked to the trial
    capsules = do_add_custom_treatment(owner, name="Trial capsules", category="medication", unit="mg")
    data = RegimenData(capsules, "mg", today + dt.timedelta(days=14), "nightly", amount=Decimal("4.5"))
    trial = new_trial(owner, protocols.ldn_pilot(), regimen=do_start_regimen(owner, data, today=today))
    [clash] = regimen_conflicts(trial, today)
    assert "You are taking Naltrexone (LDN)" in clash and "Pause it first" in clash


def test_trial_capsules_from_the_first_treatment_phase_are_fine(owner, owner_client, clinician, today):
    capsules = start(owner, "naltrexone", on=today + dt.timedelta(days=14), amount="4.5")
    start(owner, "magnesium", on=today - dt.timedelta(days=30), amount="300")  # another treatment: no clash
    trial = with_custodian(new_trial(owner, protocols.ldn_pilot(), regimen=capsules), clinician)
    assert regimen_conflicts(trial, today) == []
    response = owner_client.post(reverse("trials:start", args=[trial.pk]), {"start_date": today.isoformat()})
    assert response.status_code == 302
    assert Trial.objects.get(pk=trial.pk).status == Trial.Status.RUNNING


def test_the_trials_name_finds_its_treatment():
    ldn = catalogue("naltrexone")
    assert names_match("LDN 4.5 mg", ldn) and names_match("low-dose naltrexone", ldn)
    assert not names_match("Magnesium 300 mg", ldn)


def test_a_running_trials_baseline_with_the_treatment_taken_is_flagged_in_the_checkin(
    owner, owner_client, clinician, today
):
    # As on main before this check: the trial started while LDN was already on the treatments page.
    regimen = start(owner, "naltrexone", on=today, plan="ldn_standard")
    trial = with_custodian(new_trial(owner, protocols.ldn_pilot(), regimen=regimen), clinician)
    actions.do_start_trial(trial, today, today)
    html = owner_client.get(reverse("diary:today")).content.decode()
    assert "Today is in your trial’s baseline, which is meant to be without Naltrexone (LDN)" in html
    assert "pause it on its page" in html


def test_a_well_planned_trial_has_no_flag_in_the_checkin(owner, owner_client, clinician, today):
    capsules = start(owner, "naltrexone", on=today + dt.timedelta(days=14), amount="4.5")
    trial = with_custodian(new_trial(owner, protocols.ldn_pilot(), regimen=capsules), clinician)
    actions.do_start_trial(trial, today, today)
    html = owner_client.get(reverse("diary:today")).content.decode()
    assert "Your trial" in html and "Today is in your trial’s" not in html
