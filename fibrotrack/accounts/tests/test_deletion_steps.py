"""Deleting an account runs what other apps register in ``accounts.deletion_steps``."""

from __future__ import annotations

import pytest

from fibrotrack.accounts import deletion_steps
from fibrotrack.accounts.actions import do_delete_account
from fibrotrack.accounts.models import User
from fibrotrack.community.actions.deletion import do_prepare_account_deletion
from fibrotrack.diary.models import TrackedSymptom
from fibrotrack.lib.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, bool, bool]] = []

    def __call__(self, user, *, keep_posts):
        self.calls.append((user.pk, keep_posts, User.objects.filter(pk=user.pk).exists()))


def _register(monkeypatch, *steps):
    for step in steps:
        monkeypatch.setitem(deletion_steps._STEPS, step, None)


def test_community_registers_its_deletion_step():
    assert do_prepare_account_deletion in deletion_steps.registered()


def test_registering_a_step_twice_runs_it_once(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(deletion_steps, "_STEPS", {})
    deletion_steps.register(recorder)
    deletion_steps.register(recorder)
    assert deletion_steps.registered() == [recorder]


@pytest.mark.parametrize("keep_posts", [True, False])
def test_every_step_runs_with_the_persons_choice_before_the_user_goes(monkeypatch, keep_posts):
    first, second = Recorder(), Recorder()
    _register(monkeypatch, first, second)
    user = UserFactory()
    pk = user.pk
    do_delete_account(user, keep_posts=keep_posts)
    assert first.calls == second.calls == [(pk, keep_posts, True)]
    assert not User.objects.filter(pk=pk).exists()


def test_a_failing_step_changes_nothing(monkeypatch):
    user = UserFactory(display_name="Stays")  # onboarded, so tracking the default symptoms
    symptoms = TrackedSymptom.objects.filter(user=user).count()

    def erase_symptoms(user, *, keep_posts):
        TrackedSymptom.objects.filter(user=user).delete()

    def fail(user, *, keep_posts):
        raise RuntimeError("the posts could not be anonymised")

    _register(monkeypatch, erase_symptoms, fail)
    with pytest.raises(RuntimeError):
        do_delete_account(user, keep_posts=False)
    assert User.objects.filter(pk=user.pk, display_name="Stays").exists()
    assert TrackedSymptom.objects.filter(user=user).count() == symptoms > 0
