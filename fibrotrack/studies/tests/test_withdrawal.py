"""Withdrawal at any time: keep or remove what was given; the study stops reading the diary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fibrotrack.lib.dates import diary_day
from fibrotrack.studies import monitoring, roles
from fibrotrack.studies.actions import enrolment
from fibrotrack.studies.models import ConsentSignature, Membership, Participant, Screening
from fibrotrack.studies.tests.enrol_helpers import eligible_answers, join, open_study, user

pytestmark = pytest.mark.django_db


def _screened():
    study, pi = open_study()
    participant = join(study, pi)
    enrolment.do_screen(participant, eligible_answers(), {"age": 45})
    participant.refresh_from_db()
    return study, pi, participant


def test_the_withdrawal_page_offers_keep_or_remove(client):
    study, _pi, participant = _screened()
    client.force_login(participant.user)
    page = client.get(reverse("studies:me_withdraw", args=[study.uuid])).content.decode()
    assert 'name="keep" value="keep"' in page and 'name="keep" value="remove"' in page


def test_withdrawing_and_removing_deletes_answers_but_keeps_the_pseudonymous_row_and_the_consent(client):
    study, _pi, participant = _screened()
    client.force_login(participant.user)
    response = client.post(reverse("studies:me_withdraw", args=[study.uuid]), {"keep": "remove", "reason": ""})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.status == Participant.Status.WITHDRAWN
    assert participant.withdrawal_keeps_data is False
    assert participant.withdrawn_by == participant.user
    assert not Screening.objects.filter(participant=participant).exists()
    assert ConsentSignature.objects.filter(participant=participant).count() == 1
    assert participant.end_date == diary_day(participant.user) - dt.timedelta(days=1)
    assert monitoring.diary_window(participant, timezone.localdate()) is None
    assert "removed from the study" in client.get(reverse("studies:me", args=[study.uuid])).content.decode()


def test_withdrawing_and_keeping_stops_the_diary_the_day_before():
    study, _pi, participant = _screened()
    participant.status = Participant.Status.ACTIVE
    participant.open_window(diary_day(participant.user) - dt.timedelta(days=10), 126)
    participant.save()
    enrolment.do_withdraw(participant, by=participant.user, keep_data=True)
    participant.refresh_from_db()
    today = diary_day(participant.user)
    assert Screening.objects.filter(participant=participant).exists()
    assert monitoring.diary_window(participant, today + dt.timedelta(days=30)) == (
        participant.start_date,
        today - dt.timedelta(days=1),
    )
    assert participant.signatures.get().shares == ["diary", "doses"]  # what the window may read


def test_the_coordinator_records_a_withdrawal_on_the_participants_behalf(client):
    study, _pi, participant = _screened()
    coordinator = user()
    Membership.objects.create(study=study, user=coordinator, role=roles.COORDINATOR)
    client.force_login(coordinator)
    url = reverse("studies:participant_withdraw", args=[study.uuid, participant.pk])
    client.post(url, {"keep": "keep", "reason": "Phoned to say she is moving abroad."})
    participant.refresh_from_db()
    assert participant.status == Participant.Status.WITHDRAWN
    assert participant.withdrawn_by == coordinator
    assert participant.withdrawal_reason == "Phoned to say she is moving abroad."


def test_an_assessor_cannot_record_a_withdrawal(client):
    study, _pi, participant = _screened()
    assessor = user()
    Membership.objects.create(study=study, user=assessor, role=roles.ASSESSOR)
    client.force_login(assessor)
    url = reverse("studies:participant_withdraw", args=[study.uuid, participant.pk])
    assert client.post(url, {"keep": "remove"}).status_code == 404
    participant.refresh_from_db()
    assert participant.status == Participant.Status.ELIGIBLE


def test_a_withdrawal_is_recorded_once():
    _study, _pi, participant = _screened()
    enrolment.do_withdraw(participant, by=participant.user, keep_data=True)
    with pytest.raises(Exception, match="already ended"):
        enrolment.do_withdraw(participant, by=participant.user, keep_data=False)


def test_removing_data_keeps_adverse_event_reports_for_safety():
    from fibrotrack.studies.models import AdverseEvent

    _study, _pi, participant = _screened()
    AdverseEvent.objects.create(
        participant=participant, description="Vivid dreams", onset_on=diary_day(participant.user), reporter_role="self"
    )
    enrolment.do_withdraw(participant, by=participant.user, keep_data=False)
    assert AdverseEvent.objects.filter(participant=participant).count() == 1
    assert not Screening.objects.filter(participant=participant).exists()
