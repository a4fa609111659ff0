"""Export and import: complete, lossless, idempotent, and never the allocation while blinded."""

import contextlib
import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.trials import actions
from fibrotrack.trials.models import Trial
from fibrotrack.trials.portability import ImportError_, export_trials, import_trials
from fibrotrack.trials.sealing import verify_chain
from fibrotrack.trials.tests.helpers import ldn_regimen, new_trial, started, symptom, with_custodian


@pytest.fixture
def finished(owner, clinician, today):
    start = today - dt.timedelta(days=100)
    regimen = ldn_regimen(owner, start + dt.timedelta(days=14))
    trial = started(with_custodian(new_trial(owner, regimen=regimen), clinician), start)
    trial.secondary_outcomes.set([symptom(owner, "fatigue")])
    actions.do_amend_plan(
        trial,
        actions.Amendment(
            reason="Sleep too", secondary_outcomes=[symptom(owner, "fatigue"), symptom(owner, "sleep_quality")]
        ),
        start + dt.timedelta(days=3),
    )
    actions.do_record_assessment(
        trial, clinician, "custodian", actions.AssessmentData(start, "cold_pressor_s", 180, at_cap=True), today
    )
    actions.do_record_assessment(trial, owner, "participant", actions.AssessmentData(start, "heat_c", 44.5), today)
    actions.do_unblind(trial, owner, "participant", emergency=False, reason="", today=today)
    return Trial.objects.get(pk=trial.pk)


def _strip(records):
    return json.loads(json.dumps(records))


def test_the_export_is_complete_and_json_safe(finished, owner):
    [record] = _strip(export_trials(owner))
    assert record["title"] == finished.title and record["status"] == "finished"
    assert [p["kind"] for p in record["phases"]] == ["baseline", "placebo", "treatment", "washout"]
    assert record["phases"][2]["regimens"][0]["treatment"] == "naltrexone"
    assert [e["kind"] for e in record["preregistration"]] == ["registered", "amended"]
    assert verify_chain(record["preregistration"]) is None
    assert {a["kind"] for a in record["assessments"]} == {"cold_pressor_s", "heat_c"}
    assert next(a for a in record["assessments"] if a["kind"] == "cold_pressor_s")["censored"] is True
    assert record["unblinding"][0]["kind"] == "end"
    assert record["allocation"]["digest"] == record["allocation_seal"]
    assert "clinician@example.org" not in json.dumps(record)  # the custodian is someone else


def test_a_blinded_trial_is_exported_without_its_allocation(owner, clinician, today):
    trial = started(with_custodian(new_trial(owner, regimen=ldn_regimen(owner, today)), clinician), today)
    [record] = export_trials(owner)
    assert record["allocation"] is None
    assert trial.allocation.payload["salt"] not in json.dumps(record)


def test_the_round_trip_is_lossless_and_reimporting_creates_nothing(finished, owner, today):
    records = _strip(export_trials(owner))
    newcomer = UserFactory()
    ldn_regimen(newcomer, finished.start_date + dt.timedelta(days=14))
    assert import_trials(newcomer, records) == 1
    assert import_trials(newcomer, records) == 0
    assert Trial.objects.filter(user=newcomer).count() == 1
    again = _strip(export_trials(newcomer))
    for key in records[0]:
        assert again[0][key] == records[0][key], key
    assert again == records


def test_importing_into_the_same_account_is_idempotent(finished, owner):
    records = _strip(export_trials(owner))
    assert import_trials(owner, records) == 0
    assert Trial.objects.filter(user=owner).count() == 1


def test_bad_records_are_refused_with_a_message_and_nothing_is_kept(owner):
    with pytest.raises(ImportError_, match="needs a 'uuid'"):
        import_trials(owner, [{"title": "x"}])
    good = {
        "uuid": "2b0e4a0c-6f7e-4c55-9d6c-1b2f0c7d8e9f",
        "template": "custom",
        "status": "draft",
        "primary_outcome": {"key": "pain"},
    }
    bad_phase = {
        **good,
        "uuid": "3b0e4a0c-6f7e-4c55-9d6c-1b2f0c7d8e9f",
        "phases": [{"position": 1, "kind": "baseline", "days": 0}],
    }
    with pytest.raises(ImportError_, match="needs at least 1"):
        import_trials(owner, [good, bad_phase])
    assert not Trial.objects.filter(user=owner).exists()


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    data=st.dictionaries(
        st.sampled_from(["uuid", "template", "status", "primary_outcome", "phases", "start_date"]),
        st.one_of(st.none(), st.text(max_size=8), st.integers(), st.lists(st.integers(), max_size=2)),
    )
)
def test_arbitrary_junk_never_crashes_the_importer(owner, data):
    with contextlib.suppress(ImportError_):
        import_trials(owner, [data])
