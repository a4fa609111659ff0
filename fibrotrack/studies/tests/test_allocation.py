"""The allocation list and randomisation: permuted blocks, strata, kits that tell nothing, one slot per person."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from fibrotrack.lib.dates import diary_day
from fibrotrack.studies import designs, roles
from fibrotrack.studies.actions.allocation import KIT_ALPHABET, do_generate_allocation, do_randomise
from fibrotrack.studies.models import AllocationSlot, Participant, StudyVisit
from fibrotrack.studies.tests.blind_helpers import eligible, make_study, staff
from fibrotrack.treatments.models import Regimen

pytestmark = pytest.mark.django_db


def test_every_block_holds_each_sequence_equally_often_with_sizes_from_the_protocol() -> None:
    study = make_study(target=200)
    do_generate_allocation(study)
    slots = list(AllocationSlot.objects.filter(study=study).order_by("seq"))
    assert len(slots) >= 200
    blocks: dict[int, list[AllocationSlot]] = {}
    for slot in slots:
        blocks.setdefault(slot.block, []).append(slot)
    assert {len(b) for b in blocks.values()} == {2, 4}  # 50+ blocks: both sizes of the protocol come up
    for block in blocks.values():
        assert {s.block_size for s in block} == {len(block)}
        counts = Counter(s.arm for s in block)
        assert counts["AB"] == counts["BA"] == len(block) // 2


def test_a_fixed_design_gives_everyone_its_one_sequence() -> None:
    study = make_study(designs.ldn_pilot_2009(), target=3)
    do_generate_allocation(study)
    assert set(AllocationSlot.objects.filter(study=study).values_list("arm", flat=True)) == {"fixed"}


def test_the_list_is_drawn_per_stratum_of_the_protocols_factor() -> None:
    study = make_study(designs.naltrexone_single_dose_2009(), target=10)
    drawn = do_generate_allocation(study)
    slots = list(AllocationSlot.objects.filter(study=study))
    assert drawn == len(slots)
    by_stratum = Counter(s.stratum for s in slots)
    assert set(by_stratum) == {"fibromyalgia", "healthy_control"}
    assert all(n >= 10 for n in by_stratum.values())
    for stratum in by_stratum:
        seqs = sorted(s.seq for s in slots if s.stratum == stratum)
        assert seqs == list(range(1, len(seqs) + 1))
    # Drawing again changes nothing: every stratum has its list.
    assert do_generate_allocation(study) == 0


def test_kit_numbers_are_random_unique_and_say_nothing_about_the_arm() -> None:
    study = make_study(target=40)
    do_generate_allocation(study)
    kits = list(AllocationSlot.objects.filter(study=study).values_list("kit", "arm", "seq"))
    assert len({k for k, _a, _s in kits}) == len(kits)
    pattern = re.compile(rf"^K-[{KIT_ALPHABET}]{{6}}$")
    assert all(pattern.match(k) for k, _a, _s in kits)
    # Not in list order: sorting the kits does not give the sequence numbers back.
    assert [s for _k, _a, s in sorted(kits)] != sorted(s for _k, _a, s in kits)


def test_randomising_takes_the_next_free_slot_and_starts_tomorrow() -> None:
    study = make_study()
    do_generate_allocation(study)
    first, second = eligible(study, 2)
    slot = do_randomise(first, staff(study, roles.COORDINATOR))
    assert slot.seq == 1
    first.refresh_from_db()
    assert first.status == Participant.Status.ACTIVE
    assert first.randomised_at is not None
    assert first.user is not None
    assert first.start_date == diary_day(first.user) + dt.timedelta(days=1)
    assert first.end_date == first.start_date + dt.timedelta(days=125)  # the 2013 crossover: 126 days
    chosen = dt.date.today() + dt.timedelta(days=10)
    assert do_randomise(second, staff(study, roles.COORDINATOR), start_date=chosen).seq == 2
    second.refresh_from_db()
    assert second.start_date == chosen


def test_randomising_places_the_visits_in_dates() -> None:
    study = make_study()
    (person,) = eligible(study)
    do_randomise(person, staff(study, roles.COORDINATOR))
    person.refresh_from_db()
    visits = list(StudyVisit.objects.filter(participant=person).order_by("number"))
    protocol = designs.ldn_crossover_2013()
    assert len(visits) == len(protocol.visits)
    assert person.start_date is not None
    assert visits[1].due_on == person.start_date + dt.timedelta(days=14)
    assert visits[0].window_start == person.start_date  # never before the first day


def test_the_capsules_join_the_participants_own_treatments_under_a_name_without_the_arm() -> None:
    study = make_study()
    (person,) = eligible(study)
    slot = do_randomise(person, staff(study, roles.COORDINATOR))
    person.refresh_from_db()
    regimens = list(Regimen.objects.filter(user=person.user).select_related("treatment"))
    assert len(regimens) == 1  # LDN and placebo back to back: one course of capsules
    regimen = regimens[0]
    name = regimen.treatment.name
    assert name == f"FMS study capsules, kit {slot.kit}"
    for word in ("LDN 4.5", "Placebo", "placebo", "naltrexone", slot.arm):
        assert word not in name
    assert regimen.schedule == "nightly"
    assert person.start_date is not None
    assert regimen.started_on == person.start_date + dt.timedelta(days=14)  # after the baseline
    assert regimen.stopped_on == person.start_date + dt.timedelta(days=125)
    # Naltrexone blocks opioids: the capsules carry the flag for everyone (whatever the bottle holds).
    assert regimen.treatment.is_opioid_antagonist


def test_the_capsule_regimen_is_the_same_whatever_the_arm() -> None:
    study = make_study(dataclasses.replace(designs.ldn_crossover_2013(), block_sizes=(2,)), target=2)
    do_generate_allocation(study)
    people = eligible(study, 2)
    slots = [do_randomise(p, staff(study, roles.COORDINATOR), start_date=dt.date(2030, 1, 1)) for p in people]
    assert {s.arm for s in slots} == {"AB", "BA"}  # one block of two
    shape = {
        (r.started_on, r.stopped_on, r.schedule, r.unit, r.treatment.name.split(",")[0])
        for r in Regimen.objects.filter(user__in=[p.user for p in people]).select_related("treatment")
    }
    assert len(shape) == 1


def test_only_an_eligible_participant_is_randomised() -> None:
    study = make_study()
    (person,) = eligible(study)
    person.status = Participant.Status.SCREENING
    person.save()
    with pytest.raises(ValidationError):
        do_randomise(person, staff(study, roles.COORDINATOR))
    assert not AllocationSlot.objects.filter(participant=person).exists()


def test_a_full_stratum_is_extended_by_a_new_block() -> None:
    study = make_study(target=2)
    do_generate_allocation(study)
    people = eligible(study, 3)
    for p in people:
        do_randomise(p, staff(study, roles.COORDINATOR))
    slots = AllocationSlot.objects.filter(study=study)
    assert slots.filter(participant__isnull=False).count() == 3
    assert slots.count() >= 4
    assert sorted(slots.values_list("seq", flat=True)) == list(range(1, slots.count() + 1))


def test_a_stratified_study_randomises_within_the_participants_group() -> None:
    study = make_study(designs.naltrexone_single_dose_2009(), target=4)
    (control,) = eligible(study, group="healthy_control")
    slot = do_randomise(control, staff(study, roles.COORDINATOR))
    assert slot.stratum == "healthy_control"
    control.refresh_from_db()
    assert control.stratum == "healthy_control"
    # Lab sessions: the dose is given at the lab, so no nightly capsules are added.
    assert not Regimen.objects.filter(user=control.user).exists()
