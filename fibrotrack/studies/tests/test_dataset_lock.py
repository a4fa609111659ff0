"""Locking the analysis dataset: what goes in, who may lock, when, and that it never changes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.studies import dataset, roles
from fibrotrack.studies.actions.analysis import do_lock_dataset
from fibrotrack.studies.models import AppendOnlyError, ConsentSignature, ConsentVersion, Participant, Study
from fibrotrack.studies.tests.results_world import finished_world
from fibrotrack.studies.tests.world import build_study_world

pytestmark = pytest.mark.django_db


def _rows(payload):
    return [dict(zip(payload["diary"]["columns"], r, strict=True)) for r in payload["diary"]["rows"]]


def test_the_dataset_holds_each_day_in_the_window_with_its_condition_and_nothing_identifying():
    world = finished_world(every_day=3)
    payload = dataset.build_dataset(world.study)
    rows = _rows(payload)
    by_code = {p.code: p for p in world.participants.values()}
    assert {r["participant"] for r in rows} == set(by_code)
    for r in rows:
        p = by_code[r["participant"]]
        assert 1 <= r["study_day"] <= 126
        # AB: LDN on days 15-98; BA: placebo on days 15-42 then LDN.
        expected = {
            "AB": "ldn" if 15 <= r["study_day"] <= 98 else None,
            "BA": "placebo" if 15 <= r["study_day"] <= 42 else None,
        }[p.allocation.arm]
        if expected:
            assert r["condition"] == expected
        assert r["pain"] != 9  # the days outside the window are never read
    text = dataset.canonical(payload)
    assert "private words" not in text
    assert str(world.participants["participant"].start_date.year) + "-" not in text
    for secret in ("Quillon", "Zebedee", "@example.org"):
        assert secret not in text


def test_a_participant_who_withdrew_removing_their_data_or_stopped_sharing_the_diary_is_left_out():
    world = finished_world(every_day=5)
    gone = world.participants["participant"]
    Participant.objects.filter(pk=gone.pk).update(status=Participant.Status.WITHDRAWN, withdrawal_keeps_data=False)
    payload = dataset.build_dataset(world.study)
    assert {r[0] for r in payload["diary"]["rows"]} == {world.participants["other_participant"].code}
    excluded = {p["code"]: p["excluded_because"] for p in payload["participants"] if not p["included"]}
    assert excluded == {gone.code: "withdrew_and_removed_data"}

    other = world.participants["other_participant"]
    v2 = ConsentVersion.objects.create(study=world.study, version=2, text="v2", shares=["diary", "doses"])
    ConsentSignature.objects.create(participant=other, version=v2, typed_name="x", shares=["doses"])
    payload = dataset.build_dataset(world.study)
    assert payload["diary"]["rows"] == []
    assert {p["excluded_because"] for p in payload["participants"]} == {"withdrew_and_removed_data", "diary_not_shared"}


def test_only_the_pi_locks_and_only_a_closed_or_finished_study():
    world = build_study_world()
    with pytest.raises(PermissionDenied):
        do_lock_dataset(world.study, world.users[roles.COORDINATOR])
    with pytest.raises(ValidationError, match="Close the study"):
        do_lock_dataset(world.study, world.users[roles.PI])
    # Open, but everyone randomised has finished: it may be locked.
    Participant.objects.filter(study=world.study).update(status=Participant.Status.COMPLETED)
    lock = do_lock_dataset(world.study, world.users[roles.PI])
    world.study.refresh_from_db()
    assert world.study.status == Study.Status.LOCKED and world.study.locked_at == lock.created_at
    with pytest.raises(ValidationError, match="already locked"):
        do_lock_dataset(world.study, world.users[roles.PI])


def test_the_locked_dataset_never_changes_and_its_digest_matches():
    world = finished_world(every_day=4)
    lock = do_lock_dataset(world.study, world.users[roles.PI])
    assert lock.digest == dataset.sha256(lock.data)
    assert lock.n_participants == 2
    before = lock.data
    p = world.participants["participant"]
    make_checkin(world.users["participant"], p.start_date + dt.timedelta(days=1), pain=10)
    lock.refresh_from_db()
    assert lock.data == before
    assert json.loads(lock.data)["diary"]["rows"] == json.loads(before)["diary"]["rows"]
    lock.data = "{}"
    with pytest.raises(AppendOnlyError):
        lock.save()


def test_lab_values_and_guesses_get_their_condition_from_the_allocation():
    world = finished_world(every_day=9)
    a, b = world.participants["participant"], world.participants["other_participant"]  # AB and BA
    lab = [
        {"participant": a.code, "study_day": 20, "measure": "pressure_kpa", "value": 250.0},
        {"participant": b.code, "study_day": 20, "measure": "pressure_kpa", "value": 240.0},
        {"participant": "NOT-IN-STUDY", "study_day": 20, "measure": "pressure_kpa", "value": 1.0},
    ]
    guesses = [{"participant": a.code, "guess": "drug"}, {"participant": b.code, "guess": "dont_know"}]
    payload = dataset.build_dataset(world.study, lab=lab, guesses=guesses)
    assert payload["lab"]["rows"] == [
        [a.code, 20, "ldn", "pressure_kpa", 250.0],
        [b.code, 20, "placebo", "pressure_kpa", 240.0],
    ]
    assert payload["guesses"]["rows"] == [[a.code, "drug", "drug"], [b.code, "placebo", "dont_know"]]
