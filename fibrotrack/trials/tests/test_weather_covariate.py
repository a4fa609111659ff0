"""Allowing for the weather: a stormy placebo phase is not credited to the treatment."""

import datetime as dt
import random

from django.utils import timezone

from fibrotrack.lib.series import days
from fibrotrack.trials import actions, result
from fibrotrack.trials.dataset import WEATHER_COLUMN
from fibrotrack.trials.models import Trial
from fibrotrack.trials.tests.helpers import ldn_regimen, log_doses, new_trial, seed_diary, started, with_custodian
from fibrotrack.weather.models import WeatherCell, WeatherDay, WeatherLocation


def _stormy_placebo_trial(owner, clinician, today, *, allow_for_weather, seed=7):
    """A blinded LDN pilot where LDN does nothing, but the placebo weeks were stormy and pain follows pressure."""
    start = today - dt.timedelta(days=100)
    regimen = ldn_regimen(owner, start + dt.timedelta(days=14))
    trial = new_trial(owner, regimen=regimen)
    trial.weather_covariate = allow_for_weather
    trial.save(update_fields=["weather_covariate"])
    trial = started(with_custodian(trial, clinician), start)
    sched = trial.actual_schedule()
    kind = {day: s.phase.kind for s in sched for day in days(s.start, s.end)}
    rng = random.Random(seed)
    change = {d: (-4.0 if kind.get(d) == "placebo" else 1.0) + rng.gauss(0, 2.5) for d in days(start, trial.last_day)}
    # The cell and its days as the fetch job leaves them (the job itself is tested in the weather app).
    cell = WeatherCell.objects.create(lat10=538, lon10=-15, timezone="Europe/London")
    WeatherLocation.objects.create(user=owner, cell=cell)
    WeatherDay.objects.bulk_create(
        WeatherDay(cell=cell, day=d, pressure_change=c, source="archive", fetched_at=timezone.now())
        for d, c in change.items()
    )
    seed_diary(owner, start, trial.last_day, lambda d: 6.0 - 0.4 * change[d], sd=0.7, rho=0.3, seed=seed)
    log_doses(regimen, start + dt.timedelta(days=14), start + dt.timedelta(days=83))
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    return Trial.objects.get(pk=trial.pk)


def test_the_weather_covariate_changes_the_estimate_when_weather_and_phase_are_confounded(owner, clinician, today):
    plain = result.compute(_stormy_placebo_trial(owner, clinician, today, allow_for_weather=False), today)
    assert plain.key_numbers["ci_high"] < 0  # unadjusted, LDN looks as if it helped
    Trial.objects.filter(pk=plain.trial.pk).update(weather_covariate=True)
    adjusted = result.compute(Trial.objects.get(pk=plain.trial.pk), today)
    k = adjusted.key_numbers
    assert k["ci_low"] < 0 < k["ci_high"]  # allowing for the weather, no effect is left
    assert abs(k["difference"]) < abs(plain.key_numbers["difference"]) / 2
    primary = next(o for o in adjusted.outcomes if o.is_primary).raw
    (effect,) = primary.model.covariates
    assert effect.name == WEATHER_COLUMN and effect.ci_low < -0.4 < effect.ci_high
    methods = dict(adjusted.methods)
    assert "allows for the weather" in methods["Weather"]
    assert "Weather" not in dict(plain.methods)


def test_without_weather_data_the_plan_says_it_could_not_allow_for_it(owner, clinician, today):
    trial = _stormy_placebo_trial(owner, clinician, today, allow_for_weather=True)
    WeatherDay.objects.all().delete()
    res = result.compute(trial, today)
    assert res.key_numbers["difference"] is not None
    assert "not enough weather data" in dict(res.methods)["Weather"]


def test_the_choice_is_part_of_the_registered_plan(owner, clinician, today):
    trial = _stormy_placebo_trial(owner, clinician, today, allow_for_weather=True)
    registered = trial.prereg_entries.order_by("pk").first()
    assert registered.payload["weather_covariate"] is True


def test_the_plan_page_offers_and_saves_the_weather_choice(owner, owner_client, today):
    from django.urls import reverse

    trial = new_trial(owner, regimen=ldn_regimen(owner, today))
    url = reverse("trials:plan", args=[trial.pk])
    assert "Allow for the weather" in owner_client.get(url).content.decode()
    ref, trt = trial.comparisons[0]
    data = {
        "save": "settings",
        "title": trial.title,
        "treatment_name": trial.treatment_name,
        "primary_outcome": trial.primary_outcome_id,
        "comparisons": [f"{ref}:{trt}"],
        "threshold_pct": "30",
        "assessment_every_days": "0",
        "weather_covariate": "on",
    }
    assert owner_client.post(url, data).status_code == 302
    assert Trial.objects.get(pk=trial.pk).weather_covariate is True
    data.pop("weather_covariate")
    owner_client.post(url, data)
    assert Trial.objects.get(pk=trial.pk).weather_covariate is False


def test_another_person_cannot_reach_the_plan(owner, stranger_client, today):
    from django.urls import reverse

    trial = new_trial(owner, regimen=ldn_regimen(owner, today))
    assert stranger_client.get(reverse("trials:plan", args=[trial.pk])).status_code == 404
