"""The team: invitations by e-mail through the worker, only the invited address accepts, one role per person."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from fibrotrack.studies import access, roles
from fibrotrack.studies.actions import staff
from fibrotrack.studies.models import Membership
from fibrotrack.studies.tests.enrol_helpers import join, open_study, user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_immediate_tasks"),
]


@pytest.fixture
def _immediate_tasks():
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        yield


def _invite(study, pi, email="coord@example.org", role=roles.COORDINATOR):
    return staff.do_invite_staff(access.get_staff_view(pi, study.uuid), email=email, role=role)


def _token_from_mail() -> str:
    found = re.search(r"/studies/team-invite/([0-9a-f]+)/", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def test_the_invited_address_receives_a_link_and_accepts_it(client):
    study, pi = open_study()
    _invite(study, pi)
    assert mail.outbox[-1].to == ["coord@example.org"]
    assert study.title in mail.outbox[-1].body
    token = _token_from_mail()
    invited = user(email="coord@example.org")
    client.force_login(invited)
    url = reverse("studies:staff_accept", args=[token])
    assert "Accept and join the team" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("studies:home", args=[study.uuid])
    assert Membership.objects.get(study=study, user=invited).role == roles.COORDINATOR
    # The link works once.
    assert client.get(url).status_code == 404


def test_another_account_cannot_accept_someone_elses_invitation(client):
    study, pi = open_study()
    _invite(study, pi)
    token = _token_from_mail()
    client.force_login(user(email="someone.else@example.org"))
    url = reverse("studies:staff_accept", args=[token])
    assert "sent to a different e-mail address" in client.get(url).content.decode()
    assert client.post(url).status_code == 403
    assert not Membership.objects.filter(study=study, role=roles.COORDINATOR).exists()


def test_a_participant_cannot_join_the_team_of_their_study():
    study, pi = open_study()
    participant = join(study, pi)
    with pytest.raises(ValidationError, match="participant of the study"):
        _invite(study, pi, email=participant.user.email)


def test_a_participant_who_joined_after_the_invitation_cannot_accept_it():
    study, pi = open_study()
    person = user(email="later@example.org")
    invite = _invite(study, pi, email="later@example.org")
    join(study, pi, person=person)
    with pytest.raises(PermissionDenied, match="take part in this study"):
        staff.do_accept_staff_invite(person, invite)


def test_one_role_per_person():
    study, pi = open_study()
    with pytest.raises(ValidationError, match="one role per person"):
        _invite(study, pi, email=pi.email)


def test_the_pi_removes_a_member_but_not_themself(client):
    study, pi = open_study()
    monitor = user()
    membership = Membership.objects.create(study=study, user=monitor, role=roles.MONITOR)
    client.force_login(pi)
    client.post(reverse("studies:staff_remove", args=[study.uuid, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    own = Membership.objects.get(study=study, user=pi)
    with pytest.raises(ValidationError):
        staff.do_remove_staff(access.get_staff_view(pi, study.uuid), own)


def test_only_the_pi_invites(client):
    study, pi = open_study()
    coordinator = user()
    Membership.objects.create(study=study, user=coordinator, role=roles.COORDINATOR)
    client.force_login(coordinator)
    response = client.post(reverse("studies:staff", args=[study.uuid]), {"email": "x@example.org", "role": "monitor"})
    assert response.status_code == 403
    assert not mail.outbox


@override_settings(FIBROTRACK_INVITES_PER_HOUR=2)
def test_invitations_are_flood_controlled():
    study, pi = open_study()
    _invite(study, pi, email="a@example.org")
    _invite(study, pi, email="b@example.org")
    with pytest.raises(ValidationError, match="Please try again later"):
        _invite(study, pi, email="c@example.org")
    assert len(mail.outbox) == 2
