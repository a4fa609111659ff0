"""Community fixtures: people old enough to post freely, groups, and helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from fibrotrack.community.actions.groups import do_ensure_group_forum
from fibrotrack.community.models import Forum, Membership, SupportGroup
from fibrotrack.lib.testing.factories import UserFactory

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Tasks run inline, so e-mails land in mail.outbox during the test."""
    settings.TASKS = IMMEDIATE  # django-tasks resets its backends on setting_changed


def person(**kwargs):
    """A member whose account is a month old, so only the everyone-limits apply."""
    kwargs.setdefault("date_joined", timezone.now() - dt.timedelta(days=30))
    return UserFactory(**kwargs)


@pytest.fixture
def owner(db):
    return person(email="owner@example.org", display_name="Owner")


@pytest.fixture
def stranger(db):
    return person(email="stranger@example.org", display_name="Stranger")


@pytest.fixture
def clinician(db):
    return person(email="clinician@example.org", display_name="DrClinician")


@pytest.fixture
def friend(db):
    return person(email="friend@example.org", display_name="Friend")


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Permission

    user = person(email="mod@example.org", display_name="ModMaria")
    user.user_permissions.add(Permission.objects.get(codename="moderate_all"))
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def friend_client(friend):
    return client_for(friend)


@pytest.fixture
def moderator_client(moderator):
    return client_for(moderator)


@pytest.fixture
def sleep_group(db):
    return SupportGroup.objects.get(slug="sleep")


@pytest.fixture
def private_group(db, owner, friend):
    group = SupportGroup.objects.create(
        name="Night owls",
        slug="night-owls",
        description="A small private group.",
        rules="Be gentle.",
        kind=SupportGroup.Kind.PRIVATE,
        is_listed=False,
    )
    do_ensure_group_forum(group)
    Membership.objects.create(group=group, user=owner, role=Membership.Role.MODERATOR)
    Membership.objects.create(group=group, user=friend)
    return group


def join(user, group):
    Membership.objects.get_or_create(group=group, user=user, defaults={"status": Membership.Status.ACTIVE})


def category(slug="introductions"):
    return Forum.objects.get(slug=slug)
