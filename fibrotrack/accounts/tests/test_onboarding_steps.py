"""The welcome page runs what other apps register in ``accounts.onboarding_steps``."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from fibrotrack.accounts import onboarding_steps
from fibrotrack.accounts.forms import OnboardingForm
from fibrotrack.diary.models import TrackedSymptom
from fibrotrack.lib.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"defaults": ["pain"], "time_zone": "UTC", "day_starts_at_hour": "4"}


class ColourForm(forms.Form):
    favourite_colour = forms.CharField(max_length=20)


class ColourStep:
    """A stand-in for another app's step; it records what it was given."""

    key = "test.colour"
    order = 20  # after the diary's symptoms
    template_name = "test_colour_step.html"  # written by the ``colour_template`` fixture

    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.saved: list[tuple[int, str, bool]] = []

    def get_form(self, user, data):
        return ColourForm(data)

    def save(self, user, form):
        # The diary's step (order 10) has already run in this transaction.
        has_symptoms = TrackedSymptom.objects.filter(user=user).exists()
        self.saved.append((user.pk, form.cleaned_data["favourite_colour"], has_symptoms))
        if self.fail:
            raise RuntimeError("the colour store is down")


@pytest.fixture(autouse=True)
def colour_template(settings, tmp_path):
    (tmp_path / ColourStep.template_name).write_text(
        '{% with field=form.favourite_colour %}{% include "_field.html" %}{% endwith %}'
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]


@pytest.fixture
def newcomer(client):
    user = UserFactory(onboarded=False)
    client.force_login(user)
    return user


def _register(monkeypatch, step):
    monkeypatch.setitem(onboarding_steps._STEPS, step.key, step)


def test_the_diary_registers_its_symptom_step():
    assert [s.key for s in onboarding_steps.registered()][:1] == ["diary.symptoms"]


def test_steps_are_asked_in_their_order(monkeypatch):
    _register(monkeypatch, ColourStep())
    assert [s.key for s in onboarding_steps.registered()] == ["diary.symptoms", "test.colour"]


def test_no_two_parts_of_the_welcome_form_share_a_field_name():
    user = UserFactory.build()
    names = list(OnboardingForm().fields)
    for step in onboarding_steps.registered():
        names += list(step.get_form(user, None).fields)
    assert len(names) == len(set(names))


def test_the_welcome_page_shows_every_step(client, newcomer, monkeypatch):
    _register(monkeypatch, ColourStep())
    html = client.get(reverse("accounts:onboarding")).content.decode()
    # The diary's step, then the other one, each through its own template; then the person's own fields.
    assert html.index('name="defaults"') < html.index('name="favourite_colour"') < html.index('name="time_zone"')


def test_onboarding_saves_a_registered_step_with_the_rest(client, newcomer, monkeypatch):
    step = ColourStep()
    _register(monkeypatch, step)
    response = client.post(reverse("accounts:onboarding"), {**ANSWERS, "favourite_colour": "teal"})
    assert response["Location"] == reverse("diary:today")
    assert step.saved == [(newcomer.pk, "teal", True)]
    newcomer.refresh_from_db()
    assert newcomer.onboarded_at is not None


def test_an_invalid_step_saves_nothing_and_every_part_shows_its_errors(client, newcomer, monkeypatch):
    step = ColourStep()
    _register(monkeypatch, step)
    response = client.post(reverse("accounts:onboarding"), {"time_zone": "UTC", "day_starts_at_hour": "4"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose at least one thing to track" in html  # every step was validated, not just the first
    assert "This field is required" in html  # the colour
    assert step.saved == []
    assert not TrackedSymptom.objects.filter(user=newcomer).exists()
    newcomer.refresh_from_db()
    assert newcomer.onboarded_at is None


def test_a_failing_step_rolls_back_the_steps_before_it(client, newcomer, monkeypatch):
    step = ColourStep(fail=True)
    _register(monkeypatch, step)
    with pytest.raises(RuntimeError):
        client.post(reverse("accounts:onboarding"), {**ANSWERS, "favourite_colour": "teal"})
    assert step.saved == [(newcomer.pk, "teal", True)]  # the diary's symptoms existed inside the transaction
    assert not TrackedSymptom.objects.filter(user=newcomer).exists()
    newcomer.refresh_from_db()
    assert newcomer.onboarded_at is None
