"""The result: seeded diaries with a known truth give the expected verdict, warnings and methods."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from fibrotrack.treatments.tests.helpers import start as start_regimen
from fibrotrack.trials import actions, protocols, result
from fibrotrack.trials.models import Trial
from fibrotrack.trials.tests.helpers import (
    ldn_regimen,
    log_doses,
    new_trial,
    seed_diary,
    started,
    symptom,
    with_custodian,
)


def _pilot(owner, clinician, today, level, *, seed=3, take=True, sd=1.0):
    """A finished blinded LDN pilot whose diary follows ``level(phase kind)``."""
    start = today - dt.timedelta(days=100)
    regimen = ldn_regimen(owner, start + dt.timedelta(days=14))
    trial = started(with_custodian(new_trial(owner, regimen=regimen), clinician), start)
    sched = trial.actual_schedule()

    def by_day(day):
        return level(next(s.phase.kind for s in sched if s.covers(day)))

    seed_diary(owner, start, trial.last_day, by_day, sd=sd, rho=0.4, seed=seed)
    if take:
        log_doses(regimen, start + dt.timedelta(days=14), start + dt.timedelta(days=83))
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    return Trial.objects.get(pk=trial.pk)


def test_a_true_50_percent_improvement_on_ldn_is_found_and_called_worth_it(owner, clinician, today):
    levels = {"baseline": 6.0, "placebo": 6.0, "treatment": 3.0, "washout": 5.0}
    trial = _pilot(owner, clinician, today, levels.__getitem__, sd=0.8)
    res = result.compute(trial, today)
    k = res.key_numbers
    assert k["comparison"] == "LDN 4.5 mg vs Placebo"
    assert k["ci_low"] < -3.0 < k["ci_high"] < 0  # the interval covers the truth and excludes no effect
    assert 35 < k["percent"] < 65
    assert k["responder"] is True
    assert k["probability"] > 0.8
    assert res.headline == "LDN 4.5 mg probably helped enough to be worth it by your 30% rule (compared with Placebo)."
    assert res.verdict.startswith("Pain was ") and "points lower on LDN 4.5 mg than on Placebo (95% CI " in res.verdict
    assert re.search(r"\), \d+% better; the chance that the true improvement is at least 30% is about", res.verdict)
    assert not [w for w in res.warnings if w.code in {"low_adherence", "blinding_broken", "plan_changed"}]


def test_no_true_effect_gives_no_clear_difference(owner, clinician, today):
    trial = _pilot(owner, clinician, today, lambda kind: 6.0, seed=11)
    res = result.compute(trial, today)
    assert res.headline == "No clear difference between LDN 4.5 mg and Placebo."
    assert "so there may be no real difference" in res.verdict
    # The percentage is read with the estimate, before the caveat about the interval.
    assert re.search(
        r"than on Placebo, (\d+% (better|worse)|no change); the 95% confidence interval runs from", res.verdict
    )
    assert res.key_numbers["responder"] is False


def test_a_placebo_response_is_not_credited_to_ldn(owner, clinician, today):
    """Better on placebo and LDN alike than at baseline: LDN vs placebo shows nothing."""
    levels = {"baseline": 7.0, "placebo": 4.5, "treatment": 4.5, "washout": 6.0}
    trial = _pilot(owner, clinician, today, levels.__getitem__, seed=5)
    res = result.compute(trial, today)
    primary = next(o for o in res.outcomes if o.is_primary)
    vs_baseline = primary.raw.contrasts[1]
    assert vs_baseline.primary.improvement.ci_low > 0  # looks great against baseline...
    assert res.headline.startswith("No clear difference")  # ...but not against placebo


def test_the_result_page_shows_verdict_warnings_methods_and_charts(owner, clinician, today, owner_client):
    levels = {"baseline": 6.0, "placebo": 6.0, "treatment": 3.6, "washout": 5.0}
    trial = _pilot(owner, clinician, today, levels.__getitem__)
    trial.assessments.create(measured_on=trial.start_date, kind="pressure_kpa", value=180, entered_role="custodian")
    trial.assessments.create(measured_on=trial.start_date, kind="cold_pressor_s", value=180, censored=True, cap=180)
    html = owner_client.get(reverse("trials:result", args=[trial.pk])).content.decode()
    for text in (
        "In short",
        "Discuss what it means",
        "Methods (for your clinician)",
        "CENT 2015",
        "AR(1)",
        "Satterthwaite",
        "Carry-over",
        "Randomization",
        "Blinding",
        'role="img"',
        "spread of daily values in each phase",
        "The same numbers as a table",
        "≥ 180 seconds",
        "Responder (30% rule",
        "matches",
    ):
        assert text in html, text


def test_warnings_cover_low_adherence_other_treatment_changes_and_changed_outcomes(owner, clinician, today):
    start = today - dt.timedelta(days=100)
    regimen = ldn_regimen(owner, start + dt.timedelta(days=14))
    trial = started(with_custodian(new_trial(owner, regimen=regimen), clinician), start)
    start_regimen(owner, "magnesium", on=start + dt.timedelta(days=40), amount="300")  # a confounder
    actions.do_amend_plan(
        trial,
        actions.Amendment(reason="Fatigue bothers me more", secondary_outcomes=[symptom(owner, "fatigue")]),
        start + dt.timedelta(days=20),
    )
    seed_diary(owner, start, trial.last_day, lambda d: 6)
    log_doses(regimen, start + dt.timedelta(days=14), start + dt.timedelta(days=83), status="skipped")
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    res = result.compute(Trial.objects.get(pk=trial.pk), today)
    codes = {w.code for w in res.warnings}
    assert {"low_adherence", "other_treatment_change", "plan_changed"} <= codes
    text = " ".join(w.message for w in res.warnings)
    assert "Magnesium" in text and "Fatigue bothers me more" in text


def test_emergency_unblinding_is_logged_and_warned_about(owner, clinician, today):
    start = today - dt.timedelta(days=40)
    regimen = ldn_regimen(owner, start)
    trial = started(with_custodian(new_trial(owner, regimen=regimen), clinician), start)
    seed_diary(owner, start, today, lambda d: 6)
    with pytest.raises(Exception, match="still running"):
        actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    actions.do_unblind(trial, clinician, "custodian", emergency=True, reason="Rash; GP asked", today=today)
    actions.do_stop_early(trial, "Rash", today)
    res = result.compute(Trial.objects.get(pk=trial.pk), today)
    codes = [w.code for w in res.warnings]
    assert "blinding_broken" in codes and "stopped_early" in codes
    stopped = next(w for w in res.warnings if w.code == "stopped_early").message
    assert "These phases never happened: Washout" in stopped
    assert "cannot be made" in stopped and "can still be compared" in stopped


def test_a_randomized_pairs_trial_reports_the_randomization_p_value(owner, clinician, today):
    start = today - dt.timedelta(days=90)
    regimen = ldn_regimen(owner, start)
    trial = started(with_custodian(new_trial(owner, protocols.pairs(k=5, n=7), regimen=regimen), clinician), start)
    sched = trial.actual_schedule()
    seed_diary(
        owner,
        start,
        trial.last_day,
        lambda d: 3.5 if next(s.phase.kind for s in sched if s.covers(d)) == "treatment" else 6.5,
        seed=2,
    )
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    res = result.compute(Trial.objects.get(pk=trial.pk), today)
    primary = next(o for o in res.outcomes if o.is_primary)
    assert primary.randomization["available"]
    assert primary.randomization["p"] == "0.0312"  # 1/32: every one of the 5 pairs favoured LDN
    assert "Randomization" in dict(res.methods) and "cryptographically secure" in dict(res.methods)["Randomization"]


def test_a_crossover_uses_the_final_3_days_as_its_endpoint(owner, clinician, today):
    start = today - dt.timedelta(days=130)
    regimen = ldn_regimen(owner, start)
    trial = started(with_custodian(new_trial(owner, protocols.crossover(), regimen=regimen), clinician), start)
    assert trial.endpoint_last_days
    seed_diary(owner, start, trial.last_day, lambda d: 6)
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    res = result.compute(Trial.objects.get(pk=trial.pk), today)
    assert res.verdict.startswith("Over the final 3 days of LDN 4.5 mg, pain was")


def test_a_before_after_trial_says_it_cannot_separate_treatment_from_time(owner, today):
    start = today - dt.timedelta(days=60)
    trial = started(new_trial(owner, protocols.before_after(), regimen=ldn_regimen(owner, start)), start)
    seed_diary(owner, start, trial.last_day, lambda d: 6 if d < start + dt.timedelta(days=14) else 4)
    actions.do_finish(trial, today)
    res = result.compute(Trial.objects.get(pk=trial.pk), today)
    assert any(w.code == "before_after" and "regression to the mean" in w.message for w in res.warnings)


def test_the_result_waits_for_the_end_and_for_unblinding(owner, clinician, today, owner_client):
    start = today - dt.timedelta(days=10)
    trial = started(with_custodian(new_trial(owner, regimen=ldn_regimen(owner, start)), clinician), start)
    response = owner_client.get(reverse("trials:result", args=[trial.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("trials:detail", args=[trial.pk])


def test_short_and_incomplete_phases_are_warned_about(owner, today):
    """A custom plan with a 5-day baseline and a diary with many missed days."""
    start = today - dt.timedelta(days=60)
    trial = new_trial(owner, protocols.custom(), regimen=ldn_regimen(owner, start))
    baseline = trial.phases.get(kind="baseline")
    actions.do_update_phase(trial, baseline, actions.PhaseData("baseline", 5, True, False, []))
    trial = started(trial, start)
    seed_diary(owner, start, trial.last_day, lambda d: 6, seed=8, skip=0.45)
    actions.do_finish(trial, today)
    res = result.compute(Trial.objects.get(pk=trial.pk), today)
    codes = {w.code for w in res.warnings}
    assert {"short_phase", "missing_days"} <= codes
    text = " ".join(w.message for w in res.warnings)
    assert "Phase “Baseline” has only" in text and "'baseline'" not in text  # named in the person's words


@pytest.mark.parametrize("days_in", [5, 20])
def test_stopping_before_ldn_began_gives_no_answer_rather_than_crediting_placebo(owner, clinician, today, days_in):
    """Stopped in the baseline (day 6) or on placebo (day 21): no planned comparison can be made."""
    start = today - dt.timedelta(days=days_in)
    trial = started(with_custodian(new_trial(owner, regimen=ldn_regimen(owner, start)), clinician), start)
    seed_diary(owner, start, today, lambda d: 6 if d < start + dt.timedelta(days=14) else 3.5)
    actions.do_unblind(trial, owner, "participant", emergency=True, reason="Side effects", today=today)
    actions.do_stop_early(trial, "Side effects", today)
    res = result.compute(Trial.objects.get(pk=trial.pk), today)
    assert res.headline == "No answer: the trial ended before LDN 4.5 mg could be compared with Placebo."
    assert "cannot say whether LDN 4.5 mg helps" in res.verdict
    assert "helped" not in res.headline and res.key_numbers == {}
    assert "stopped_early" in {w.code for w in res.warnings}
