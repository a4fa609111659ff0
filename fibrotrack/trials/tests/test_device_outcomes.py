"""A watch's daily measures as a trial's secondary outcomes: chosen in the plan, analysed in their direction."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

import pytest

from fibrotrack.diary.models import DailyMeasure
from fibrotrack.lib.series import days
from fibrotrack.trials import actions, dataset, result
from fibrotrack.trials.forms import PlanForm
from fibrotrack.trials.models import Trial
from fibrotrack.trials.tests.helpers import ldn_regimen, log_doses, new_trial, seed_diary, started, with_custodian

pytestmark = pytest.mark.django_db


def _seed_measure(user, start, end, kind, level, sd, seed):
    rng = random.Random(seed)
    DailyMeasure.objects.bulk_create(
        [
            DailyMeasure(user=user, day=d, kind=kind, value=Decimal(f"{max(0.0, level(d) + rng.gauss(0, sd)):.2f}"))
            for d in days(start, end)
            if rng.random() > 0.1  # a watch left on the charger now and then
        ]
    )


def _trial_with_measures(owner, clinician, today, measures):
    start = today - dt.timedelta(days=100)
    regimen = ldn_regimen(owner, start + dt.timedelta(days=14))
    trial = new_trial(owner, regimen=regimen)
    trial.secondary_measures = measures
    trial.save(update_fields=["secondary_measures"])
    trial = started(with_custodian(trial, clinician), start)
    sched = trial.actual_schedule()

    def kind_on(day):
        return next(s.phase.kind for s in sched if s.covers(day))

    seed_diary(owner, start, trial.last_day, lambda d: 6.0, sd=0.8, seed=5)
    on_ldn = {"treatment": True}
    _seed_measure(owner, start, trial.last_day, "steps", lambda d: 8000 if on_ldn.get(kind_on(d)) else 5000, 600, 1)
    _seed_measure(owner, start, trial.last_day, "resting_hr", lambda d: 60 if on_ldn.get(kind_on(d)) else 66, 1.5, 2)
    log_doses(regimen, start + dt.timedelta(days=14), start + dt.timedelta(days=83))
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    return Trial.objects.get(pk=trial.pk)


def test_the_plan_offers_each_measure_with_its_direction(owner):
    form = PlanForm(symptoms=list(owner.symptoms.all()), kinds={"baseline", "treatment"})
    labels = dict(form.fields["secondary_measures"].choices)
    assert labels["steps"] == "Steps (higher is better)"
    assert labels["resting_hr"] == "Resting heart rate (lower is better)"
    assert labels["hrv_sdnn"] == "Heart-rate variability (SDNN) (higher is better)"


def test_measures_are_analysed_as_secondary_outcomes_in_their_direction(owner, clinician, today):
    trial = _trial_with_measures(owner, clinician, today, ["steps", "resting_hr"])
    data = dataset.build(trial, trial.actual_schedule(), today)
    assert {"pain", "device:steps", "device:resting_hr"} <= set(data.frame.columns)
    assert data.frame["device:steps"].isna().any()  # the days without the watch stay missing, never 0
    res = result.compute(trial, today)
    views = {v.name: v for v in res.outcomes}
    assert list(views)[0] == "Pain" and views["Pain"].is_primary  # the primary stays first and decides the verdict
    steps, resting = views["Steps"], views["Resting heart rate"]
    assert not steps.lower_is_better and resting.lower_is_better
    steps_change = steps.raw.contrasts[0].primary.difference
    resting_change = resting.raw.contrasts[0].primary.difference
    assert steps_change.ci_low < 3000 < steps_change.ci_high and steps_change.ci_low > 0
    assert resting_change.ci_low < -6 < resting_change.ci_high < 0
    assert math.isfinite(steps.raw.contrasts[0].percent_change.estimate)
    assert steps.scale == "as measured by the device, in steps" and resting.scale.endswith("bpm")
    assert views["Pain"].scale == "0–10"


def test_the_result_page_shows_the_device_outcomes_to_their_owner_only(owner, clinician, today, stranger_client):
    from django.test import Client
    from django.urls import reverse

    trial = _trial_with_measures(owner, clinician, today, ["steps"])
    client = Client()
    client.force_login(owner)
    page = client.get(reverse("trials:result", args=[trial.pk])).content.decode()
    assert "Steps" in page and "as measured by the device, in steps" in page and "higher is better" in page
    assert "Measured by a watch or phone (imported from its export; devices estimate these): Steps" in page
    assert stranger_client.get(reverse("trials:result", args=[trial.pk])).status_code == 404


def test_choosing_measures_is_registered_and_a_change_is_an_amendment(owner, clinician, today):
    trial = new_trial(owner, regimen=ldn_regimen(owner, today))
    plan = actions.PlanSettings(
        title=trial.title,
        treatment_name=trial.treatment_name,
        control_name=trial.control_name,
        primary_outcome=trial.primary_outcome,
        secondary_outcomes=[],
        comparisons=trial.comparisons,
        threshold_pct=30,
        blinded=False,
        endpoint_last_days=False,
        assessment_every_days=0,
        secondary_measures=["resting_hr", "steps"],
    )
    actions.do_update_plan(trial, plan)
    trial.refresh_from_db()
    assert trial.secondary_measures == ["steps", "resting_hr"]
    assert actions.plan_snapshot(trial)["secondary_measures"] == ["steps", "resting_hr"]
    trial = started(trial, today)
    actions.do_amend_plan(trial, actions.Amendment(reason="the watch broke", secondary_measures=["steps"]), today)
    trial.refresh_from_db()
    assert trial.secondary_measures == ["steps"]
    entry = trial.prereg_entries.last()
    assert entry.payload["changes"]["secondary_measures"] == {"from": ["steps", "resting_hr"], "to": ["steps"]}
    assert entry.payload["plan"]["secondary_measures"] == ["steps"]


def test_an_unknown_measure_is_refused(owner):
    from django.core.exceptions import ValidationError

    trial = new_trial(owner)
    with pytest.raises(ValidationError):
        actions.do_update_plan(
            trial,
            actions.PlanSettings(
                title="t",
                treatment_name="x",
                control_name="y",
                primary_outcome=trial.primary_outcome,
                secondary_outcomes=[],
                comparisons=trial.comparisons,
                threshold_pct=30,
                blinded=False,
                endpoint_last_days=False,
                assessment_every_days=0,
                secondary_measures=["weight"],
            ),
        )
