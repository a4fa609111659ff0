"""Clinician invitations cannot be used to send spam: per-sender limits, and no sender text in the subject."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fibrotrack.reports import actions
from fibrotrack.reports.models import ClinicianGrant

pytestmark = pytest.mark.django_db
SPAM = "CHEAP PILLS at pills.example.com"


def _invite(client, n):
    return client.post(reverse("reports:invite"), {"email": f"target{n}@example.org", "patient_name": SPAM})


def test_invitations_stop_at_the_hourly_limit_with_a_clear_message(owner, owner_client, settings):
    settings.FIBROTRACK_INVITES_PER_HOUR = 5
    for n in range(5):
        assert _invite(owner_client, n).status_code == 302
    response = _invite(owner_client, 99)
    assert response.status_code == 429
    assert "You have sent 5 invitations in the last hour" in response.content.decode()
    assert ClinicianGrant.objects.filter(patient=owner).count() == 5
    assert len(mail.outbox) == 5
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        assert _invite(owner_client, 100).status_code == 302


def test_invitations_stop_at_the_daily_limit(owner, owner_client, settings):
    settings.FIBROTRACK_INVITES_PER_DAY = 7
    start = timezone.now()
    for n in range(7):
        with time_machine.travel(start + dt.timedelta(hours=2 * n)):
            assert _invite(owner_client, n).status_code == 302
    with time_machine.travel(start + dt.timedelta(hours=15)):
        assert _invite(owner_client, 99).status_code == 429
    assert len(mail.outbox) == 7


def test_sending_again_counts_too_and_waits_a_day(owner, owner_client, settings):
    settings.FIBROTRACK_INVITES_PER_HOUR = 3
    grant = actions.do_invite_clinician(owner, "target@example.org", SPAM)
    url = reverse("reports:grant_resend", args=[grant.pk])
    for _ in range(20):
        assert owner_client.post(url).status_code == 302
    assert len(mail.outbox) == 1
    page = owner_client.get(reverse("reports:sharing")).content.decode()
    assert "sent less than a day ago" in page

    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    with time_machine.travel(later):
        for n in range(2):
            actions.do_invite_clinician(owner, f"other{n}@example.org")
        owner_client.post(url)  # the third e-mail of this hour
        assert len(mail.outbox) == 4
    with time_machine.travel(later + dt.timedelta(days=1, minutes=1)):
        for n in range(3):
            actions.do_invite_clinician(owner, f"more{n}@example.org")
        owner_client.post(url)  # a fourth this hour: refused
    assert len(mail.outbox) == 7


def test_the_sender_never_writes_the_subject_and_is_quoted_in_the_body(owner):
    actions.do_invite_clinician(owner, "target@example.org", SPAM)
    message = mail.outbox[-1]
    assert SPAM not in message.subject
    assert f"They gave their name as:\n\n    {SPAM}\n" in message.body
    assert "cannot check it" in message.body
