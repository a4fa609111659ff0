"""The custodian is fixed at the start: changing who holds the blind takes a logged unblinding the result reports."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.trials import actions, result
from fibrotrack.trials.models import CustodianInvite, PreRegistrationEntry, Trial
from fibrotrack.trials.tests.helpers import ldn_regimen, new_trial, seed_diary, started, with_custodian

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _link(message):
    line = next(line for line in message.body.splitlines() if "/trials/invite/" in line).strip()
    return "/" + line.split("/", 3)[3]


@pytest.fixture
def running(owner, clinician, today):
    start = today - dt.timedelta(days=20)
    trial = started(with_custodian(new_trial(owner, regimen=ldn_regimen(owner, start)), clinician), start)
    mail.outbox.clear()
    return trial


def test_a_running_blind_trial_refuses_a_new_custodian(running, owner, owner_client, clinician):
    url = reverse("trials:invite", args=[running.pk])
    response = owner_client.post(url, {"email": "my-second@example.org"}, follow=True)
    assert response.status_code == 200
    assert "its custodian cannot change" in response.content.decode()
    assert not CustodianInvite.objects.filter(email="my-second@example.org").exists()
    assert mail.outbox == []
    assert Trial.objects.get(pk=running.pk).custodian == clinician
    assert _client(clinician).get(reverse("trials:custodian", args=[running.pk])).status_code == 200


def test_an_invitation_still_open_at_the_start_is_retired(owner, clinician, today):
    trial = with_custodian(new_trial(owner, regimen=ldn_regimen(owner, today)), clinician)
    actions.do_invite_custodian(trial, "my-second@example.org")
    second = UserFactory(email="my-second@example.org")
    link = _link(mail.outbox[-1])
    started(trial, today)
    assert _client(second).post(link).status_code == 404
    assert Trial.objects.get(pk=trial.pk).custodian == clinician


def test_only_the_invited_address_can_accept(owner, clinician, stranger, today):
    trial = new_trial(owner, regimen=ldn_regimen(owner, today))
    actions.do_invite_custodian(trial, clinician.email)
    link = _link(mail.outbox[-1])
    response = _client(stranger).post(link)
    assert response.status_code == 403
    assert "sent to a different e-mail address" in response.content.decode()
    assert trial.title not in _client(stranger).get(link).content.decode()
    assert Trial.objects.get(pk=trial.pk).custodian is None
    assert _client(clinician).post(link).status_code == 302
    assert Trial.objects.get(pk=trial.pk).custodian == clinician


def test_the_action_refuses_another_account_too(owner, stranger, today):
    trial = new_trial(owner, regimen=ldn_regimen(owner, today))
    invite = actions.do_invite_custodian(trial, "someone@example.org")
    with pytest.raises(Exception, match="different e-mail address"):
        actions.do_accept_invite(stranger, invite)
    assert CustodianInvite.objects.get(pk=invite.pk).accepted_at is None


def test_after_an_emergency_unblinding_a_new_custodian_is_logged_and_reported(running, owner, clinician, today):
    seed_diary(owner, running.start_date, today, lambda d: 6)
    actions.do_unblind(running, clinician, "custodian", emergency=True, reason="Rash; GP asked", today=today)
    trial = Trial.objects.get(pk=running.pk)
    invite = actions.do_invite_custodian(trial, "pharmacist@example.org")
    pharmacist = UserFactory(email="pharmacist@example.org", display_name="Pharmacist")
    actions.do_accept_invite(pharmacist, invite)
    trial = Trial.objects.get(pk=running.pk)
    assert trial.custodian == pharmacist
    entry = trial.prereg_entries.get(kind=PreRegistrationEntry.Kind.AMENDED)
    assert entry.payload["changes"] == {"custodian": {"from": "DrClinician", "to": "Pharmacist"}}
    codes = [w.code for w in result.compute(trial, today).warnings]
    assert "blinding_broken" in codes and "custodian_changed" in codes


def test_the_result_warns_of_a_custodian_who_took_over_while_blind(running, owner, today):
    # A change that reached the database without the log (as before the custodian froze at the start).
    second = UserFactory(email="my-second@example.org")
    CustodianInvite.objects.create(
        trial=running, email=second.email, nonce="n", token_hash="h", accepted_at=timezone.now(), accepted_by=second
    )
    Trial.objects.filter(pk=running.pk).update(custodian=second)
    seed_diary(owner, running.start_date, today, lambda d: 6)
    warnings = result.compute(Trial.objects.get(pk=running.pk), today).warnings
    [changed] = [w for w in warnings if w.code == "custodian_changed"]
    assert "while the trial was still blind" in changed.message


def test_custodian_invitations_are_limited_per_sender(owner, today, settings):
    settings.FIBROTRACK_INVITES_PER_HOUR = 3
    trial = new_trial(owner, regimen=ldn_regimen(owner, today))
    for n in range(3):
        actions.do_invite_custodian(trial, f"c{n}@example.org")
    with pytest.raises(Exception, match="You have sent 3 custodian invitations in the last hour"):
        actions.do_invite_custodian(trial, "c9@example.org")
    assert len(mail.outbox) == 3


def test_the_invitation_e_mail_quotes_the_participant_and_leaves_out_the_title(owner, today):
    owner.display_name = "Buy cheap pills"
    owner.save()
    trial = new_trial(owner, regimen=ldn_regimen(owner, today), title="VISIT pills.example.com NOW")
    actions.do_invite_custodian(trial, "friend@example.org")
    message = mail.outbox[-1]
    assert "pills" not in message.subject
    assert "VISIT pills.example.com" not in message.body
    assert "Their name on FibroTrack is:\n\n    Buy cheap pills\n" in message.body
