"""The pre-registered analysis on the locked dataset: masked before unblinding, labelled after."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fibrostats import __version__ as fibrostats_version
from fibrotrack.studies import analysis, designs, roles
from fibrotrack.studies.actions.analysis import do_lock_dataset, do_run_analysis
from fibrotrack.studies.models import AppendOnlyError
from fibrotrack.studies.tests.results_world import TRUE_EFFECT, finished_world, unblind

pytestmark = pytest.mark.django_db


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def test_the_plan_comes_from_the_protocol():
    protocol = designs.ldn_crossover_2013()
    plan = analysis.plan_for(protocol)
    assert (plan.treatment, plan.placebo, plan.baseline) == ("ldn", "placebo", "baseline")
    assert [o.name for o in plan.outcomes] == [protocol.primary_outcome, *protocol.secondary_outcomes]
    better = {o.name: o.lower_is_better for o in plan.outcomes}
    assert better["pain"] and better["fatigue"] and not better["mood"]
    assert plan.responder_threshold_pct == 30
    assert [m.name for m in plan.lab] == ["pressure_kpa", "heat_c", "cold_c", "cold_pressor_s"]
    assert plan.lab[-1].cap == 180
    single = analysis.plan_for(designs.naltrexone_single_dose_2009())
    assert (single.treatment, single.placebo, single.baseline) == ("naltrexone_50", "placebo", None)


def test_nothing_runs_before_the_lock_and_only_the_pi_runs_it():
    world = finished_world(every_day=6)
    with pytest.raises(ValidationError, match="Lock the dataset first"):
        do_run_analysis(world.study, world.users[roles.PI])
    do_lock_dataset(world.study, world.users[roles.PI])
    with pytest.raises(PermissionDenied):
        do_run_analysis(world.study, world.users[roles.MONITOR])


def test_before_unblinding_the_run_is_masked_and_names_no_condition():
    world = finished_world(every_day=2)
    lock = do_lock_dataset(world.study, world.users[roles.PI])
    run = do_run_analysis(world.study, world.users[roles.PI])
    assert run.masked
    assert sorted(run.label_key) == ["A", "B"] and sorted(run.label_key.values()) == ["ldn", "placebo"]
    named = {"ldn", "placebo", "baseline"}
    assert not [v for v in _strings(run.result) if any(n in v for n in named)]
    contrast = run.result["outcomes"][0]["contrasts"][0]
    assert (contrast["treatment"], contrast["reference"]) == ("B", "A")
    # The size is visible, the direction is the hidden key's.
    sign = 1 if run.label_key["B"] == "ldn" else -1
    assert contrast["effect"]["estimate"] == pytest.approx(sign * TRUE_EFFECT, abs=0.5)
    assert all(r["n_treatment"] is None for r in contrast["forest"])
    assert run.dataset_digest == lock.digest


def test_after_unblinding_the_run_uses_the_real_labels_and_records_what_it_used():
    world = finished_world(every_day=2)
    lock = do_lock_dataset(world.study, world.users[roles.PI])
    unblind(world)
    run = do_run_analysis(world.study, world.users[roles.PI])
    assert not run.masked and run.label_key == {}
    assert run.fibrostats_version == fibrostats_version
    assert run.dataset_digest == lock.digest and run.lock == lock
    pain = run.result["outcomes"][0]
    vs_placebo = next(c for c in pain["contrasts"] if c["reference"] == "placebo")
    assert vs_placebo["treatment"] == "ldn"
    assert vs_placebo["effect"]["ci_low"] < TRUE_EFFECT < vs_placebo["effect"]["ci_high"]
    assert pain["responders"]["n_responders"] == 2  # 6 -> 4 is a 33% improvement
    assert any("fatigue" in note for note in run.result["notes"])  # no data recorded: said, not hidden
    run.result = {}
    with pytest.raises(AppendOnlyError):
        run.save()
