"""Bad input gets a clear message: zero-day phases, a missing regimen, overlaps, past phases, starts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fibrotrack.trials import actions, protocols
from fibrotrack.trials.models import Phase, Trial
from fibrotrack.trials.tests.helpers import ldn_regimen, new_trial, started, symptom, with_custodian


def _phase_post(trial, **changes):
    data = {"save": "phases"}
    for p in trial.phases.all():
        data.update(
            {
                f"p{p.pk}-kind": p.kind,
                f"p{p.pk}-days": str(p.days),
                f"p{p.pk}-counts_in_analysis": "on" if p.counts_in_analysis else "",
                f"p{p.pk}-blinded": "on" if p.blinded else "",
            }
        )
        data[f"p{p.pk}-regimens"] = [r.pk for r in p.regimens.all()]
    data.update(changes)
    return data


def test_a_zero_day_phase_is_refused_with_a_plain_message(owner, owner_client, today):
    trial = new_trial(owner, protocols.before_after(), regimen=ldn_regimen(owner, today))
    first = trial.phases.first()
    response = owner_client.post(
        reverse("trials:plan", args=[trial.pk]), _phase_post(trial, **{f"p{first.pk}-days": "0"})
    )
    assert response.status_code == 400
    assert "A phase needs at least 1 day. To leave it out, remove the phase instead." in response.content.decode()
    assert Phase.objects.get(pk=first.pk).days == 14
    with pytest.raises(ValidationError, match="at least 1 day"):
        actions.do_add_phase(trial, "washout", 0)


def test_a_trial_without_its_treatment_regimen_cannot_start(owner, owner_client, today):
    trial = new_trial(owner, protocols.before_after())  # no regimen linked
    response = owner_client.get(reverse("trials:plan", args=[trial.pk]))
    assert "has no treatment linked" in response.content.decode()
    response = owner_client.post(reverse("trials:start", args=[trial.pk]), {"start_date": today.isoformat()})
    assert response.status_code == 400
    assert "Phase 2 (LDN 4.5 mg) has no treatment linked" in response.content.decode()
    assert Trial.objects.get(pk=trial.pk).is_draft


def test_a_blinded_trial_needs_an_accepted_custodian(owner, today):
    trial = new_trial(owner, regimen=ldn_regimen(owner, today))
    with pytest.raises(ValidationError) as error:
        actions.do_start_trial(trial, today, today)
    assert any("needs a custodian" in m for m in error.value.messages)


def test_blinded_phases_must_share_the_same_trial_capsules(owner, clinician, today):
    regimen = ldn_regimen(owner, today)
    trial = with_custodian(new_trial(owner, regimen=regimen), clinician)
    trial.phases.get(kind="placebo").regimens.clear()
    problems = __import__("fibrotrack.trials.access", fromlist=["x"]).check_ready_to_start(trial)
    assert any("same treatment linked" in p for p in problems)


def test_overlapping_trials_on_the_same_outcome_are_refused(owner, clinician, today):
    regimen = ldn_regimen(owner, today - dt.timedelta(days=5))
    first = started(
        new_trial(owner, protocols.before_after(), regimen=regimen, title="First"), today - dt.timedelta(days=5)
    )
    second = new_trial(owner, protocols.before_after(), regimen=regimen, title="Second")
    with pytest.raises(ValidationError, match="“First” already measures the same outcome"):
        actions.do_start_trial(second, today, today)
    # After the first ends, the second may start.
    actions.do_start_trial(second, first.last_day + dt.timedelta(days=1), today)
    # A different outcome may run at the same time.
    third = new_trial(owner, protocols.before_after(), regimen=regimen, outcome="fatigue", title="Third")
    actions.do_start_trial(third, today, today)


def test_a_secondary_outcome_overlap_counts_too(owner, today):
    regimen = ldn_regimen(owner, today)
    first = started(new_trial(owner, protocols.before_after(), regimen=regimen), today)
    first.secondary_outcomes.set([symptom(owner, "fatigue")])
    other = new_trial(owner, protocols.before_after(), regimen=regimen, outcome="fatigue")
    with pytest.raises(ValidationError, match="same outcome"):
        actions.do_start_trial(other, today, today)


def test_a_trial_cannot_start_in_the_past(owner, owner_client, today):
    trial = new_trial(owner, protocols.before_after(), regimen=ldn_regimen(owner, today))
    response = owner_client.post(
        reverse("trials:start", args=[trial.pk]), {"start_date": (today - dt.timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 400
    assert "cannot start in the past" in response.content.decode()


def test_past_phases_of_a_running_trial_cannot_be_edited(owner, owner_client, today):
    regimen = ldn_regimen(owner, today - dt.timedelta(days=20))
    trial = started(new_trial(owner, protocols.before_after(), regimen=regimen), today - dt.timedelta(days=20))
    baseline, treatment = trial.phases.all()
    data = {
        "reason": "I want a longer baseline",
        "threshold_pct": "30",
        "primary_outcome": trial.primary_outcome_id,
        f"days_{baseline.pk}": "21",
        f"days_{treatment.pk}": "42",
    }
    response = owner_client.post(reverse("trials:amend", args=[trial.pk]), data)
    assert response.status_code == 400
    assert "Past phases cannot be changed" in response.content.decode()
    assert Phase.objects.get(pk=baseline.pk).days == 14
    # The current phase may be lengthened, with a reason that is logged.
    data.update({f"days_{baseline.pk}": "14", f"days_{treatment.pk}": "56"})
    response = owner_client.post(reverse("trials:amend", args=[trial.pk]), data)
    assert response.status_code == 302
    assert trial.prereg_entries.last().payload["changes"]["phases"] == [{"position": 2, "from": 42, "to": 56}]
    # ...but not shortened to end before today.
    with pytest.raises(ValidationError, match="cannot be shortened"):
        actions.do_amend_plan(trial, actions.Amendment(reason="x", phase_days={treatment.pk: 2}), today)


def test_a_draft_plan_is_frozen_after_the_start(owner, today):
    trial = started(new_trial(owner, protocols.before_after(), regimen=ldn_regimen(owner, today)), today)
    with pytest.raises(ValidationError, match="frozen"):
        actions.do_add_phase(trial, "washout", 7)
    with pytest.raises(ValidationError, match="cannot be deleted"):
        actions.do_delete_draft(trial)


def test_an_amendment_needs_a_reason(owner, today):
    trial = started(new_trial(owner, protocols.before_after(), regimen=ldn_regimen(owner, today)), today)
    with pytest.raises(ValidationError, match="Say why"):
        actions.do_amend_plan(trial, actions.Amendment(reason=" ", threshold_pct=20), today)


def test_randomized_periods_cannot_change_length_after_the_start(owner, clinician, today):
    trial = with_custodian(new_trial(owner, protocols.pairs(k=2, n=7), regimen=ldn_regimen(owner, today)), clinician)
    trial.phases.filter(kind="placebo").first()
    trial = started(trial, today)
    last = trial.phases.last()
    with pytest.raises(ValidationError, match="order is sealed"):
        actions.do_amend_plan(trial, actions.Amendment(reason="x", phase_days={last.pk: 10}), today)


def test_assessment_values_outside_the_tests_range_are_refused(owner, owner_client, today):
    trial = started(new_trial(owner, protocols.before_after(), regimen=ldn_regimen(owner, today)), today)
    response = owner_client.post(
        reverse("trials:assessment_new", args=[trial.pk]),
        {"measured_on": today.isoformat(), "kind": "heat_c", "value": "90"},
    )
    assert response.status_code == 400
    assert "between 30 and 55 °C" in response.content.decode()


def test_a_cold_pressor_value_at_the_cap_is_stored_censored(owner, owner_client, today):
    trial = started(new_trial(owner, protocols.before_after(), regimen=ldn_regimen(owner, today)), today)
    response = owner_client.post(
        reverse("trials:assessment_new", args=[trial.pk]),
        {"measured_on": today.isoformat(), "kind": "cold_pressor_s", "value": "180", "at_cap": "on", "cap": "180"},
    )
    assert response.status_code == 302
    a = trial.assessments.get()
    assert (a.censored, a.value, a.cap) == (True, 180, 180)
    assert a.display_value == "≥ 180 seconds (stopped at the cap)"


def test_a_cold_pressor_time_equal_to_the_limit_is_censored_even_without_the_tick(owner, owner_client, today):
    trial = started(new_trial(owner, protocols.before_after(), regimen=ldn_regimen(owner, today)), today)
    url = reverse("trials:assessment_new", args=[trial.pk])
    response = owner_client.post(
        url, {"measured_on": today.isoformat(), "kind": "cold_pressor_s", "value": "180", "cap": "180"}
    )
    assert response.status_code == 302
    a = trial.assessments.get()
    assert (a.censored, a.value, a.cap) == (True, 180, 180)
    # Below the limit it is an exact time; above the limit is impossible.
    owner_client.post(url, {"measured_on": today.isoformat(), "kind": "cold_pressor_s", "value": "95", "cap": "180"})
    assert trial.assessments.get(value=95).censored is False
    response = owner_client.post(
        url, {"measured_on": today.isoformat(), "kind": "cold_pressor_s", "value": "200", "cap": "180"}
    )
    assert response.status_code == 400
    assert "cannot be longer than the test’s limit" in response.content.decode()
    with pytest.raises(ValidationError, match="cannot be longer"):
        actions.do_record_assessment(
            trial, owner, "participant", actions.AssessmentData(today, "cold_pressor_s", 200, cap=180), today
        )
    with pytest.raises(ValidationError, match="Only the cold-pressor test"):
        actions.do_record_assessment(
            trial, owner, "participant", actions.AssessmentData(today, "heat_c", 45, at_cap=True), today
        )


def test_heat_and_cold_thresholds_are_stored_in_degrees_and_pressure_in_kpa(owner, today):
    trial = started(new_trial(owner, protocols.before_after(), regimen=ldn_regimen(owner, today)), today)
    for kind, value in (("heat_c", "44.5"), ("cold_c", "12.0"), ("pressure_kpa", "250")):
        actions.do_record_assessment(
            trial,
            owner,
            "participant",
            actions.AssessmentData(today, kind, __import__("decimal").Decimal(value)),
            today,
        )
    shown = {a.kind: a.display_value for a in trial.assessments.all()}
    assert shown == {"heat_c": "44.5 °C", "cold_c": "12 °C", "pressure_kpa": "250 kPa"}
