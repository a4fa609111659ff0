"""A personal trial's own estimate stands in for the before/after estimate of the same treatment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fibrotrack.knowledge.outcome_models import OutcomeConsent
from fibrotrack.lib.dates import diary_day
from fibrotrack.reports import outcomes
from fibrotrack.trials import actions
from fibrotrack.trials.tests.helpers import ldn_regimen, log_doses, new_trial, seed_diary, started, with_custodian

pytestmark = pytest.mark.django_db


def _pilot(owner, clinician, today, treatment_level):
    start = today - dt.timedelta(days=100)
    regimen = ldn_regimen(owner, start + dt.timedelta(days=14))
    trial = started(with_custodian(new_trial(owner, regimen=regimen), clinician), start)
    levels = {"baseline": 6.0, "placebo": 6.0, "treatment": treatment_level, "washout": 5.0}
    sched = trial.actual_schedule()
    seed_diary(owner, start, trial.last_day, lambda d: levels[next(s.phase.kind for s in sched if s.covers(d))])
    log_doses(regimen, start + dt.timedelta(days=14), start + dt.timedelta(days=83))
    return trial


def sharing():
    return OutcomeConsent.objects.filter(consented_at__isnull=False, withdrawn_at=None).values("user_id")


@pytest.mark.parametrize("treatment_level", [3.0, 6.0])
def test_an_unblinded_trial_gives_its_own_estimate(owner, clinician, treatment_level):
    today = diary_day(owner)
    trial = _pilot(owner, clinician, today, treatment_level)
    OutcomeConsent.objects.create(user=owner, consented_at=timezone.now())
    # Still blinded: the trial's result is not the participant's to share yet.
    assert outcomes.trial_estimates(sharing(), today).empty
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    [row] = outcomes.trial_estimates(sharing(), today).itertuples()
    assert (row.user_id, row.treatment_key, row.source) == (owner.pk, "naltrexone", "trial")
    # Pain 6 against the treatment phase's level: (6 - level) / 6 of the room to improve, give or take the noise.
    assert row.improvement == pytest.approx((6.0 - treatment_level) / 6.0, abs=0.12)
    [person] = outcomes.people(sharing(), today).itertuples()
    assert person.source == "trial" and person.improvement == row.improvement


def test_someone_who_does_not_share_gives_no_trial_estimate(owner, clinician):
    today = diary_day(owner)
    trial = _pilot(owner, clinician, today, 3.0)
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    assert outcomes.trial_estimates(sharing(), today).empty
