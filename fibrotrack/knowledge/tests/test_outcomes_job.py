"""The background computation: recomputed whole, only sharing people, a withdrawal drops out at the next run."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from fibrotrack.knowledge.outcome_models import OutcomeConsent, OutcomeRun, TreatmentOutcome
from fibrotrack.knowledge.outcomes_access import counted_treatments
from fibrotrack.knowledge.outcomes_actions import do_compute_outcomes, do_consent, do_withdraw
from fibrotrack.knowledge.tests.seed import TODAY, sharing_person
from fibrotrack.lib.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sharing_is_off_by_default(owner):
    assert not OutcomeConsent.objects.filter(user=owner).exists()
    sharing_person(consent=False)
    do_compute_outcomes(TODAY)
    assert OutcomeConsent.objects.count() == 0


def test_ten_sharing_people_make_a_cell_and_nine_do_not():
    people = [sharing_person(before=6, after=3, side_effect="dizziness") for _ in range(9)]
    sharing_person(consent=False)
    do_compute_outcomes(TODAY)
    assert not TreatmentOutcome.objects.exists()
    people.append(sharing_person(before=6, after=3, side_effect="dizziness"))
    run = do_compute_outcomes(TODAY)
    cell = TreatmentOutcome.objects.get(treatment__key="pregabalin")
    assert (run.cells, run.sharing_people) == (1, 10)
    assert cell.people == 10 and cell.estimated_people == 10
    assert cell.improvement_median == 50 and cell.improved_share == 100
    assert cell.side_effects == [{"key": "dizziness", "name": "Dizziness", "people": 10, "share": 100}]
    assert counted_treatments(people[0], OutcomeConsent.objects.get(user=people[0]), run) == ["Pregabalin"]


def test_a_withdrawn_person_drops_the_cell_below_ten_and_it_is_hidden_at_the_next_run():
    people = [sharing_person() for _ in range(10)]
    do_compute_outcomes(TODAY)
    assert TreatmentOutcome.objects.count() == 1
    assert do_withdraw(people[3])
    # Until the next run, the old figures stand (the page says so); the run removes them.
    assert TreatmentOutcome.objects.count() == 1
    do_compute_outcomes(TODAY)
    assert not TreatmentOutcome.objects.exists()
    run = OutcomeRun.objects.latest("finished_at")
    assert counted_treatments(people[3], OutcomeConsent.objects.get(user=people[3]), run) == []


def test_withdrawing_twice_or_without_consent_changes_nothing(owner):
    assert do_withdraw(owner) is False
    do_consent(owner)
    assert do_withdraw(owner) is True
    assert do_withdraw(owner) is False


def test_consenting_again_after_withdrawing_counts_again():
    people = [sharing_person() for _ in range(10)]
    do_withdraw(people[0])
    do_compute_outcomes(TODAY)
    assert not TreatmentOutcome.objects.exists()
    do_consent(people[0])
    do_compute_outcomes(TODAY)
    assert TreatmentOutcome.objects.get().people == 10


def test_the_command_computes_and_can_queue(monkeypatch):
    [sharing_person() for _ in range(10)]
    call_command("compute_outcomes")
    assert OutcomeRun.objects.count() == 1
    queued = []
    monkeypatch.setattr("fibrotrack.lib.tasks.enqueue", lambda task, *a: queued.append(task))
    call_command("compute_outcomes", "--queue")
    assert [t.name for t in queued] == ["compute_outcomes"]
    assert OutcomeRun.objects.count() == 1


def test_deleting_an_account_deletes_the_consent():
    person = UserFactory()
    do_consent(person)
    person.delete()
    assert not OutcomeConsent.objects.exists()


def test_the_export_includes_the_sharing_setting(owner):
    from fibrotrack.portability.export_json import build_document

    assert build_document(owner)["outcome_sharing"] is None
    do_consent(owner)
    shared = build_document(owner)["outcome_sharing"]
    assert shared["sharing"] is True and shared["withdrawn_at"] is None
    assert shared["consented_at"] <= timezone.now().isoformat()
