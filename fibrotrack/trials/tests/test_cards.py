"""A trial result as a community progress card: only once it has ended and is unblinded, and only the result."""

import datetime as dt

import pytest
from django.urls import reverse

from fibrotrack.community.models import ProgressCard
from fibrotrack.diary.models import CheckIn
from fibrotrack.treatments.tests.helpers import start as start_regimen
from fibrotrack.trials import actions, protocols
from fibrotrack.trials.cards import shareable_trials
from fibrotrack.trials.models import Trial
from fibrotrack.trials.tests.helpers import ldn_regimen, log_doses, new_trial, seed_diary, started, with_custodian

pytestmark = pytest.mark.django_db


def _finished_blinded_pilot(owner, clinician, today):
    start = today - dt.timedelta(days=100)
    regimen = ldn_regimen(owner, start + dt.timedelta(days=14))
    trial = started(with_custodian(new_trial(owner, regimen=regimen, title="Is LDN helping?"), clinician), start)
    levels = {"baseline": 6.0, "placebo": 6.0, "treatment": 3.0, "washout": 5.0}
    sched = trial.actual_schedule()
    seed_diary(owner, start, trial.last_day, lambda d: levels[next(s.phase.kind for s in sched if s.covers(d))])
    log_doses(regimen, start + dt.timedelta(days=14), start + dt.timedelta(days=83))
    CheckIn.objects.filter(user=owner, day=start).update(note="private note about my boss")
    return trial


def test_only_ended_and_unblinded_trials_can_be_shared(owner, clinician, today):
    magnesium = start_regimen(owner, "magnesium", on=today - dt.timedelta(days=3), amount="300")
    running = new_trial(owner, protocols.before_after(), regimen=magnesium, outcome="fatigue", title="Going")
    running = started(running, today)
    trial = _finished_blinded_pilot(owner, clinician, today)
    # Ended but blinded: a card would give the allocation away.
    assert shareable_trials(owner) == []
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    assert [t.pk for t in shareable_trials(owner)] == [trial.pk]
    assert running.pk not in [t.pk for t in shareable_trials(owner)]


def test_the_card_shows_the_verdict_and_chart_and_nothing_else_from_the_diary(
    owner, owner_client, stranger_client, clinician, today
):
    trial = _finished_blinded_pilot(owner, clinician, today)
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    url = reverse("community:card_new", args=["trial"])
    form_page = owner_client.get(url).content.decode()
    assert "Is LDN helping?" in form_page

    response = owner_client.post(url, {"trial": trial.pk, "caption": "My LDN pilot"})
    card = ProgressCard.objects.get()
    assert response["Location"] == reverse("community:card_detail", args=[card.pk])
    assert card.kind == "trial" and card.title == "Is LDN helping?: my trial result"
    assert "probably helped" in card.svg and "95% CI" in card.svg and "<svg" in card.svg
    assert "discuss" in card.svg.lower()
    assert "boss" not in card.svg  # no diary notes
    # The preview shows it exactly; nobody else sees the draft.
    assert card.svg in owner_client.get(response["Location"]).content.decode()
    assert stranger_client.get(response["Location"]).status_code == 404


def test_someone_else_cannot_make_a_card_of_my_trial(owner, stranger_client, clinician, today):
    trial = _finished_blinded_pilot(owner, clinician, today)
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    response = stranger_client.post(reverse("community:card_new", args=["trial"]), {"trial": trial.pk})
    assert response.status_code == 400
    assert not ProgressCard.objects.exists()
    assert Trial.objects.filter(pk=trial.pk).exists()
