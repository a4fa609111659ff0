"""Allocation draws and the tamper-evident pre-registration log."""

import datetime as dt
import secrets
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fibrotrack.trials import protocols, sealing
from fibrotrack.trials.actions import Amendment, do_amend_plan
from fibrotrack.trials.models import Allocation, AppendOnlyError, PreRegistrationEntry
from fibrotrack.trials.schedule import PlannedPhase, blocks
from fibrotrack.trials.sealing import verify_chain
from fibrotrack.trials.tests.helpers import ldn_regimen, new_trial, started, symptom, with_custodian


def planned(template):
    return [
        PlannedPhase(i, p.kind, p.days, p.counts, p.blinded, p.block) for i, p in enumerate(template.phases, start=1)
    ]


def test_the_allocation_uses_the_operating_system_csprng(monkeypatch):
    calls = []
    real = secrets.SystemRandom.shuffle

    def spy(self, x):
        calls.append(list(x))
        return real(self, x)

    monkeypatch.setattr(secrets.SystemRandom, "shuffle", spy)
    payload = sealing.draw_allocation(planned(protocols.pairs(k=3, n=7)))
    assert len(calls) == 4  # three pairs and the container letters
    assert len(payload["salt"]) == 32


@given(k=st.integers(min_value=1, max_value=8))
def test_a_drawn_allocation_is_always_a_permutation_with_one_letter_per_condition(k):
    phases = planned(protocols.pairs(k=k, n=7))
    payload = sealing.draw_allocation(phases)
    assert {int(b): sorted(v) for b, v in payload["order"].items()} == blocks(phases)
    assert sorted(payload["containers"]) == ["placebo", "treatment"]
    assert sorted(payload["containers"].values()) == ["A", "B"]


def test_both_orders_of_a_pair_occur():
    phases = planned(protocols.pairs(k=1, n=7))
    seen = Counter(tuple(sealing.draw_allocation(phases)["order"]["1"]) for _ in range(200))
    assert set(seen) == {(1, 2), (2, 1)}


def test_the_seal_changes_with_any_change_to_the_allocation():
    payload = sealing.draw_allocation(planned(protocols.ldn_pilot()))
    digest = sealing.allocation_digest(payload)
    flipped = {**payload, "containers": {k: ("B" if v == "A" else "A") for k, v in payload["containers"].items()}}
    assert sealing.allocation_digest(flipped) != digest


@pytest.fixture
def running(owner, clinician, today):
    regimen = ldn_regimen(owner, today - dt.timedelta(days=30))
    trial = with_custodian(new_trial(owner, regimen=regimen), clinician)
    return started(trial, today - dt.timedelta(days=20))


def test_starting_registers_the_plan_with_the_allocation_seal(running):
    entry = running.prereg_entries.get()
    assert entry.seq == 1 and entry.kind == "registered"
    assert entry.payload["allocation_seal"] == running.allocation.digest
    assert entry.payload["primary_outcome"]["key"] == "pain"
    assert [p["kind"] for p in entry.payload["phases"]] == ["baseline", "placebo", "treatment", "washout"]
    assert verify_chain([e.as_record() for e in running.prereg_entries.all()]) is None


def test_changes_after_the_start_are_appended_never_rewritten(running, owner, today):
    first = running.prereg_entries.get()
    do_amend_plan(
        running, Amendment(reason="Fatigue matters to me too", secondary_outcomes=[symptom(owner, "fatigue")]), today
    )
    do_amend_plan(running, Amendment(reason="My doctor suggested 20%", threshold_pct=20), today)
    entries = list(running.prereg_entries.all())
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].hash == first.hash and entries[0].payload == first.payload
    assert entries[1].payload["changes"] == {"secondary_outcomes": {"from": [], "to": ["Fatigue"]}}
    assert entries[2].prev_hash == entries[1].hash
    assert verify_chain([e.as_record() for e in entries]) is None


def test_the_log_and_the_allocation_refuse_updates_and_deletes(running):
    entry = running.prereg_entries.get()
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    allocation = Allocation.objects.get(trial=running)
    allocation.payload = {}
    with pytest.raises(AppendOnlyError):
        allocation.save()
    with pytest.raises(AppendOnlyError):
        allocation.delete()


def test_a_change_made_behind_the_apps_back_is_detected(running, owner, today, owner_client):
    do_amend_plan(running, Amendment(reason="typo", threshold_pct=25), today)
    PreRegistrationEntry.objects.filter(trial=running, seq=1).update(payload={"threshold_pct": 50})
    records = [e.as_record() for e in running.prereg_entries.all()]
    assert verify_chain(records) == 1
    response = owner_client.get(f"/trials/{running.pk}/registration/")
    assert "fails its integrity check at entry 1" in response.content.decode()


def test_deleting_an_entry_breaks_the_chain(running, today):
    do_amend_plan(running, Amendment(reason="a", threshold_pct=25), today)
    do_amend_plan(running, Amendment(reason="b", threshold_pct=35), today)
    records = [e.as_record() for e in running.prereg_entries.all()]
    del records[1]
    assert verify_chain(records) == 3


@given(reasons=st.lists(st.text(max_size=20), min_size=1, max_size=6), tamper=st.data())
def test_any_single_edit_to_a_chain_is_caught(reasons, tamper):
    records, prev = [], sealing.GENESIS
    for seq, reason in enumerate(reasons, start=1):
        created = dt.datetime(2026, 1, seq, tzinfo=dt.UTC).isoformat()
        h = sealing.entry_hash(prev, seq, "amended", created, reason, {"n": seq})
        records.append(
            {
                "seq": seq,
                "kind": "amended",
                "created_at": created,
                "reason": reason,
                "payload": {"n": seq},
                "prev_hash": prev,
                "hash": h,
            }
        )
        prev = h
    assert verify_chain(records) is None
    i = tamper.draw(st.integers(min_value=0, max_value=len(records) - 1))
    records[i] = {**records[i], "reason": records[i]["reason"] + "!"}
    assert verify_chain(records) == i + 1


def test_rewriting_the_allocation_together_with_its_digest_is_caught_by_the_registered_seal(
    running, owner, today, owner_client
):
    from fibrotrack.trials import actions, result

    swapped = {**running.allocation.payload}
    swapped["containers"] = {k: ("B" if v == "A" else "A") for k, v in swapped["containers"].items()}
    Allocation.objects.filter(trial=running).update(payload=swapped, digest=sealing.allocation_digest(swapped))
    html = owner_client.get(f"/trials/{running.pk}/registration/").content.decode()
    assert "does not match the seal registered at the start" in html
    actions.do_unblind(running, owner, "participant", emergency=True, reason="test", today=today)
    actions.do_stop_early(running, "test", today)
    res = result.compute(type(running).objects.get(pk=running.pk), today)
    assert res.allocation_digest_ok is False
    assert "allocation_tampered" in {w.code for w in res.warnings}
    assert res.chain_ok  # the log itself is intact: the seal in entry 1 is what exposes the swap


def test_an_untouched_allocation_matches_its_registered_seal(running, today):
    from fibrotrack.trials import result_warnings

    assert result_warnings.allocation_matches_seal(running, list(running.prereg_entries.all())) is True
