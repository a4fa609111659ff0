"""How the study's parts meet: visits and guesses in the dataset, the list drawn at opening, capsules at withdrawal."""

import datetime as dt

import pytest
from django.utils import timezone

from fibrotrack.lib.dates import diary_day
from fibrotrack.studies import roles
from fibrotrack.studies.actions.allocation import do_randomise
from fibrotrack.studies.actions.enrolment import do_close_enrolment, do_open_enrolment, do_withdraw
from fibrotrack.studies.dataset import guess_rows, lab_rows
from fibrotrack.studies.models import AllocationSlot, BlindingGuess, Study
from fibrotrack.studies.tests.blind_helpers import eligible, make_study, staff, staff_view
from fibrotrack.studies.tests.world import build_study_world
from fibrotrack.treatments.models import Regimen

pytestmark = pytest.mark.django_db


def test_the_dataset_reads_the_lab_measures_entered_at_visits_by_study_day():
    world = build_study_world()
    rows = lab_rows(world.study)
    first = world.participants["participant"]
    mine = {(r["measure"], r["value"]) for r in rows if r["participant"] == first.code}
    assert ("pressure_kpa", 251.5) in mine and any(m == "cold_pressor_s" for m, _ in mine)
    assert all(r["study_day"] >= 1 for r in rows)
    assert {r["participant"] for r in rows} == {"PROBE-001", "PROBE-002"}


def test_the_dataset_takes_the_guess_about_the_first_bottle_only():
    world = build_study_world()
    p = world.participants["participant"]
    BlindingGuess.objects.create(participant=p, bottle=1, guess="drug")
    BlindingGuess.objects.create(participant=p, bottle=2, guess="placebo")
    assert guess_rows(world.study) == [{"participant": p.code, "guess": "drug"}]


def test_opening_enrolment_draws_the_concealed_list():
    study = make_study()
    Study.objects.filter(pk=study.pk).update(status=Study.Status.DRAFT)
    study.refresh_from_db()
    view = staff_view(study, roles.PI)
    # The helper's study has no consent yet: publish one the way the PI does.
    from fibrotrack.studies.actions.consent import do_publish_consent, do_save_consent_draft

    do_save_consent_draft(view, text="You may stop at any time.", shares=["diary"])
    do_publish_consent(view)
    assert not AllocationSlot.objects.filter(study=study).exists()
    do_open_enrolment(view)
    assert AllocationSlot.objects.filter(study=study).count() >= study.target_enrolment
    do_close_enrolment(view)
    do_open_enrolment(view)  # drawing again is a no-op: the list is never replaced
    assert AllocationSlot.objects.filter(study=study, participant__isnull=False).count() == 0


def test_withdrawing_ends_the_study_capsules_in_the_persons_own_treatments():
    study = make_study()
    (person,) = eligible(study)
    today = diary_day(person.user)
    do_randomise(person, staff(study, roles.COORDINATOR), start_date=today - dt.timedelta(days=20))
    person.refresh_from_db()
    (capsules,) = Regimen.objects.filter(user=person.user)
    assert capsules.stopped_on > today
    do_withdraw(person, by=person.user, keep_data=True)
    capsules.refresh_from_db()
    assert capsules.stopped_on == today - dt.timedelta(days=1)


def test_withdrawing_before_the_capsules_start_removes_them():
    study = make_study()
    (person,) = eligible(study)
    do_randomise(person, staff(study, roles.COORDINATOR), start_date=timezone.localdate() + dt.timedelta(days=3))
    assert Regimen.objects.filter(user=person.user).count() == 1
    do_withdraw(person, by=person.user, keep_data=False)
    assert not Regimen.objects.filter(user=person.user).exists()
