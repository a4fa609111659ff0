"""Issue 14, item 6: the demo is one coherent story. Its invariants, checked on the built demo.

Every newcomer judges FibroTrack by the demo, so what one page says must
agree with every other: the treatment dates with the trial's phases, the
doses with the trial's name, the side effects' severity with their days,
the trials list with the trial's page, the forum post and the README with
the data.
"""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from fibrotrack.community.models import Post
from fibrotrack.lib.demo import build_demo
from fibrotrack.lib.testing.factories import PASSWORD
from fibrotrack.reports import dashboard
from fibrotrack.treatments import titration
from fibrotrack.treatments.models import Regimen, SideEffect
from fibrotrack.trials import protocols
from fibrotrack.trials.models import Trial

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    user, summaries = build_demo("demo@example.org", PASSWORD)
    client = Client()
    client.force_login(user)
    return user, summaries, client


def _phases(trial):
    return {s.phase.kind: s for s in trial.actual_schedule()}


def test_ldn_is_taken_only_in_the_trials_ldn_phases_or_after_the_trial(demo):
    user, _, _ = demo
    trial = Trial.objects.get(user=user)
    phases = _phases(trial)
    placebo, ldn_phase = phases[protocols.PLACEBO], phases[protocols.TREATMENT]
    baseline, washout = phases[protocols.BASELINE], phases[protocols.WASHOUT]
    regimens = list(Regimen.objects.filter(user=user, treatment__key="naltrexone").order_by("started_on"))
    linked = {r.pk for p in trial.phases.all() for r in p.regimens.all()}
    capsules = regimens[0]
    assert capsules.pk in linked
    assert capsules.started_on == placebo.start and capsules.stopped_on == ldn_phase.end
    for day in (baseline.start, baseline.end, washout.start, washout.end):
        assert not any(r.is_active_on(day) for r in regimens), day
    assert all(r.started_on > washout.end for r in regimens[1:])
    from fibrotrack.trials.conflicts import regimen_conflicts

    assert regimen_conflicts(trial, trial.start_date) == []


def test_the_ldn_phase_is_the_dose_the_trial_is_named_after(demo):
    user, _, _ = demo
    trial = Trial.objects.get(user=user)
    dose = re.search(r"(\d+(?:\.\d+)?) mg", trial.treatment_name)
    assert dose is not None
    phases = _phases(trial)
    capsules = Regimen.objects.filter(user=user, treatment__key="naltrexone").order_by("started_on").first()
    for kind in (protocols.PLACEBO, protocols.TREATMENT):  # the same capsules in both blinded phases
        phase = phases[kind]
        for day in (phase.start, phase.start + dt.timedelta(days=phase.days // 2), phase.end):
            expected = titration.expected_dose(capsules.dose_spec(), day)
            assert expected is not None and expected.amount == Decimal(dose.group(1)), (kind, day)


def test_a_side_effects_severity_is_the_worst_of_its_days(demo):
    user, _, _ = demo
    for effect in SideEffect.objects.filter(user=user):
        days = list(effect.reports.values_list("severity", flat=True))
        assert effect.severity == max(days, key=dashboard.SEVERITY_LEVEL.__getitem__), effect.name
    end = max(SideEffect.objects.filter(user=user).values_list("onset_on", flat=True)) + dt.timedelta(days=20)
    for start in (end - dt.timedelta(days=n) for n in (7, 14, 28, 90)):
        rows, _ = dashboard.side_effects(user, start, end)
        for row in rows:
            seen = [label for label, n in row.counts.items() if n]
            if seen:  # the severity shown is the worst of the days shown
                assert row.severity == seen[-1], (row.name, row.severity, row.counts)


def test_the_trial_reads_the_same_on_the_list_and_its_page(demo):
    user, _, client = demo
    trial = Trial.objects.get(user=user)
    assert trial.status == Trial.Status.FINISHED and trial.is_unblinded
    listing = client.get(reverse("trials:list")).content.decode()
    detail = client.get(reverse("trials:detail", args=[trial.pk])).content.decode()
    assert "· unblinded" in listing and "· blinded" not in listing
    assert "unblinded" in detail
    assert "Finished" in listing and "Finished" in detail


def test_the_forum_post_and_the_readme_tell_the_demos_story(demo):
    user, summaries, _ = demo
    doses = {
        amount.normalize()
        for r in Regimen.objects.filter(user=user).prefetch_related("dose_changes")
        for amount in r.dose_changes.values_list("amount", flat=True)
    }
    for post in Post.objects.filter(author=user):
        for said in re.findall(r"(\d+(?:\.\d+)?) ?mg", post.body):
            assert Decimal(said).normalize() in doses, said
        assert "every two weeks" not in post.body
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    sentence = " ".join(readme[readme.index("The demo account holds") :].split("\n\n")[0].split())
    trial = Trial.objects.get(user=user)
    if "finished" in sentence:
        assert trial.status == Trial.Status.FINISHED
    if "titration" in sentence:
        assert any(r.plan_or_none() for r in Regimen.objects.filter(user=user))
    assert "blinded" in sentence and trial.blinded
    assert any("finished and unblinded" in s for s in summaries)
