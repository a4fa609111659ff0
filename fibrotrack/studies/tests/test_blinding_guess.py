"""The end-of-study blinding question: asked after the last bottle, once, never after one's own unblinding."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fibrotrack.studies import roles
from fibrotrack.studies.actions.allocation import do_randomise
from fibrotrack.studies.models import BlindingGuess, Participant, UnblindingEvent
from fibrotrack.studies.tests.blind_helpers import client_for, eligible, make_study, staff

pytestmark = pytest.mark.django_db


def _participant(days_ago: int) -> Participant:
    study = make_study(target=2)
    (person,) = eligible(study)
    do_randomise(person, staff(study, roles.COORDINATOR))
    person.refresh_from_db()
    person.start_date = dt.date.today() - dt.timedelta(days=days_ago)
    person.save()
    return person


def _url(person: Participant) -> str:
    return reverse("studies:blinding_guess", kwargs={"study": person.study.uuid})


def test_the_question_waits_for_the_last_bottle() -> None:
    person = _participant(days_ago=20)
    client = client_for(person.user)
    body = client.get(_url(person)).content.decode()
    assert "comes after your last study bottle" in body
    assert client.post(_url(person), {"bottle_1": "drug", "bottle_2": "placebo"}).status_code == 400
    assert not BlindingGuess.objects.exists()


def test_after_the_last_bottle_each_bottle_gets_an_answer_once() -> None:
    person = _participant(days_ago=130)  # 126 days in the 2013 crossover
    client = client_for(person.user)
    body = client.get(_url(person)).content.decode()
    assert "Bottle 1" in body and "Bottle 2" in body and "I don’t know" in body
    assert client.post(_url(person), {"bottle_1": "drug"}).status_code == 400  # every bottle
    assert client.post(_url(person), {"bottle_1": "drug", "bottle_2": "dont_know"}).status_code == 302
    assert dict(BlindingGuess.objects.filter(participant=person).values_list("bottle", "guess")) == {
        1: "drug",
        2: "dont_know",
    }
    assert client.post(_url(person), {"bottle_1": "placebo", "bottle_2": "placebo"}).status_code == 400
    assert BlindingGuess.objects.filter(participant=person).count() == 2


def test_a_completed_participant_is_asked_even_before_the_planned_end() -> None:
    person = _participant(days_ago=20)
    person.status = Participant.Status.COMPLETED
    person.save()
    assert "Which bottle held" in client_for(person.user).get(_url(person)).content.decode()
    assert client_for(person.user).post(_url(person), {"bottle_1": "placebo", "bottle_2": "drug"}).status_code == 302


def test_someone_whose_blind_was_broken_is_not_asked() -> None:
    person = _participant(days_ago=130)
    UnblindingEvent.objects.create(
        study=person.study, participant=person, kind="emergency", reason="rash", by_role=roles.PI
    )
    client = client_for(person.user)
    assert "no question for you" in client.get(_url(person)).content.decode()
    assert client.post(_url(person), {"bottle_1": "drug", "bottle_2": "placebo"}).status_code == 400
    assert not BlindingGuess.objects.exists()


def test_staff_and_a_stranger_get_404_and_another_participant_only_their_own(stranger: object) -> None:
    person = _participant(days_ago=130)
    other = eligible(person.study, start=50)[0]
    # Another participant of the same study reaches only their own question (not yet randomised: not asked).
    assert "no question for you" in client_for(other.user).get(_url(person)).content.decode()
    assert client_for(staff(person.study, roles.PI)).get(_url(person)).status_code == 404
    assert client_for(stranger).get(_url(person)).status_code == 404


def test_the_participants_own_study_page_asks_once_the_last_bottle_is_finished() -> None:
    person = _participant(days_ago=130)
    from fibrotrack.studies.models import ConsentSignature, ConsentVersion

    version = ConsentVersion.objects.create(study=person.study, version=1, text="Consent", shares=["diary"])
    ConsentSignature.objects.create(participant=person, version=version, typed_name="Me", shares=["diary"])
    me = reverse("studies:me", kwargs={"study": person.study.uuid})
    client = client_for(person.user)
    assert _url(person) in client.get(me).content.decode()
    client.post(_url(person), {"bottle_1": "drug", "bottle_2": "placebo"})
    assert _url(person) not in client.get(me).content.decode()
