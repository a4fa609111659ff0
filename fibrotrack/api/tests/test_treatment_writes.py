"""Regimens and doses through the API: the treatment forms' rules and safety checks, idempotent, never another's."""

import datetime as dt

import pytest

from fibrotrack.api.tests.helpers import ApiClient, token_for
from fibrotrack.lib.dates import diary_day
from fibrotrack.treatments.models import DoseChange, DoseLog, OpioidAnswer, Regimen, SafetyAcknowledgement
from fibrotrack.treatments.tests.helpers import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    return ApiClient(token_for(owner, "write"))


def _state(user):
    return (
        sorted(Regimen.objects.filter(user=user).values_list("pk", "stopped_on", "stop_reason")),
        sorted(DoseChange.objects.filter(regimen__user=user).values_list("pk", "amount")),
        sorted(DoseLog.objects.filter(regimen__user=user).values_list("regimen_id", "day", "slot", "status")),
        SafetyAcknowledgement.objects.filter(user=user).count(),
    )


MAGNESIUM = {"treatment_key": "magnesium", "amount": "300", "unit": "mg", "times": ["08:00"]}


def test_starting_a_regimen_from_the_catalogue_reads_back(owner, api):
    response = api.post("regimens", MAGNESIUM)
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["treatment"]["key"] == "magnesium"
    assert made["dose_changes"][0]["amount"] == "300.000"
    assert made["started_on"] == diary_day(owner).isoformat()
    assert api.get(f"regimens/{made['id']}").json()["id"] == made["id"]


def test_starting_the_same_regimen_twice_is_refused_by_the_forms_duplicate_check(owner, api):
    assert api.post("regimens", MAGNESIUM).status_code == 201
    before = _state(owner)
    response = api.post("regimens", MAGNESIUM)
    assert response.status_code == 422
    assert "already have Magnesium" in response.content.decode()
    assert _state(owner) == before


@pytest.mark.parametrize(
    "change",
    [
        {"treatment_key": "no_such_thing"},
        {"amount": "-3"},
        {"amount": "lots"},
        {"unit": "bucket"},
        {"times": []},
        {"schedule": "hourly"},
        {"started_on": "1800-01-01"},
        {"treatment_key": None},
        {"treatment_id": 1},
        {"plan": "custom"},
    ],
)
def test_bad_input_starts_nothing(owner, api, change):
    before = _state(owner)
    response = api.post("regimens", {**MAGNESIUM, **change})
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert _state(owner) == before


def test_another_persons_own_treatment_cannot_be_started(owner, stranger, api):
    from fibrotrack.treatments.actions import do_add_custom_treatment

    theirs = do_add_custom_treatment(stranger, name="Secret brew", category="supplement", unit="mg")
    body = {**MAGNESIUM, "treatment_key": None, "treatment_id": theirs.pk}
    response = api.post("regimens", body)
    assert response.status_code == 422
    assert "Secret brew" not in response.content.decode()
    assert not Regimen.objects.filter(user=owner).exists()


def test_my_own_treatment_can_be_started_by_its_key(owner, api):
    from fibrotrack.treatments.actions import do_add_custom_treatment

    mine = do_add_custom_treatment(owner, name="My tea", category="supplement", unit="mg")
    response = api.post("regimens", {**MAGNESIUM, "treatment_key": mine.key})
    assert response.status_code == 201, response.content
    assert response.json()["treatment"]["is_own"] is True


def test_an_opioid_on_naltrexone_needs_the_safety_acknowledgement(owner, api):
    start(owner, "naltrexone", amount="4.5", on=diary_day(owner) - dt.timedelta(days=10))
    body = {"treatment_key": "tramadol", "amount": "50", "unit": "mg", "times": ["08:00"]}
    before = _state(owner)
    refused = api.post("regimens", body)
    assert refused.status_code == 409, refused.content
    answer = refused.json()
    assert "naltrexone" in answer["detail"].lower()
    assert answer["errors"][0]["loc"] == ["acknowledged_safety"]
    assert _state(owner) == before

    accepted = api.post("regimens", {**body, "acknowledged_safety": True})
    assert accepted.status_code == 201, accepted.content
    assert SafetyAcknowledgement.objects.filter(user=owner).count() == 1


def test_a_dose_change_is_added_once_however_often_it_is_sent(owner, api):
    regimen = start(owner, "magnesium", amount="300", on=diary_day(owner) - dt.timedelta(days=5))
    body = {"amount": "400", "reason": "own_choice"}
    first = api.post(f"regimens/{regimen.pk}/dose-changes", body)
    assert first.status_code == 201, first.content
    assert [c["amount"] for c in first.json()["dose_changes"]] == ["300.000", "400.000"]
    again = api.post(f"regimens/{regimen.pk}/dose-changes", {**body, "amount": "400.0"})
    assert again.status_code == 200
    assert DoseChange.objects.filter(regimen=regimen).count() == 2


def test_a_dose_change_before_the_start_changes_nothing(owner, api):
    regimen = start(owner, "magnesium", amount="300", on=diary_day(owner) - dt.timedelta(days=5))
    before = _state(owner)
    day = (regimen.started_on - dt.timedelta(days=1)).isoformat()
    response = api.post(f"regimens/{regimen.pk}/dose-changes", {"amount": "400", "effective_on": day})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["effective_on"]
    assert _state(owner) == before


def test_stopping_records_the_day_and_reason_and_repeats_harmlessly(owner, api):
    regimen = start(owner, "naltrexone", amount="4.5", on=diary_day(owner) - dt.timedelta(days=5))
    body = {"reason": "side_effects", "stopped_on": diary_day(owner).isoformat()}
    response = api.post(f"regimens/{regimen.pk}/stop", body)
    assert response.status_code == 200, response.content
    assert response.json()["stopped_on"] == diary_day(owner).isoformat()
    assert response.json()["stop_reason"] == "side_effects"
    assert api.post(f"regimens/{regimen.pk}/stop", body).status_code == 200
    regimen.refresh_from_db()
    assert regimen.stop_reason == "side_effects"


def test_a_stop_without_a_reason_changes_nothing(owner, api):
    regimen = start(owner, "magnesium", amount="300", on=diary_day(owner) - dt.timedelta(days=5))
    before = _state(owner)
    response = api.post(f"regimens/{regimen.pk}/stop", {"reason": ""})
    assert response.status_code == 422
    assert _state(owner) == before


def test_a_dose_recorded_twice_is_one_record(owner, api):
    regimen = start(owner, "magnesium", amount="300", on=diary_day(owner) - dt.timedelta(days=5))
    url = f"regimens/{regimen.pk}/doses/{diary_day(owner).isoformat()}"
    first = api.put(url, {"status": "taken"})
    assert first.status_code == 200, first.content
    assert first.json()["changed"] is True and first.json()["amount"] == "300.000"
    second = api.put(url, {"status": "taken"})
    assert second.status_code == 200 and second.json()["changed"] is False
    assert DoseLog.objects.filter(regimen=regimen).count() == 1
    skipped = api.put(url, {"status": "skipped"})
    assert skipped.json()["status"] == "skipped"
    assert DoseLog.objects.get(regimen=regimen).status == "skipped"


@pytest.mark.parametrize(
    ("body", "when"),
    [
        ({"status": "eaten"}, 0),
        ({"status": "different"}, 0),
        ({"status": "different", "amount": "0"}, 0),
        ({"status": "taken", "slot": 3}, 0),
        ({"status": "taken"}, 1),  # tomorrow
        ({"status": "taken"}, -30),  # before the regimen started
    ],
)
def test_bad_doses_record_nothing(owner, api, body, when):
    regimen = start(owner, "magnesium", amount="300", on=diary_day(owner) - dt.timedelta(days=5))
    day = diary_day(owner) + dt.timedelta(days=when)
    response = api.put(f"regimens/{regimen.pk}/doses/{day.isoformat()}", body)
    assert response.status_code == 422, response.content
    assert not DoseLog.objects.exists()


def test_an_opioid_dose_on_naltrexone_needs_the_acknowledgement(owner, api):
    today = diary_day(owner)
    start(owner, "naltrexone", amount="4.5", on=today - dt.timedelta(days=10))
    tramadol = start(owner, "tramadol", amount="50", on=today - dt.timedelta(days=3))
    url = f"regimens/{tramadol.pk}/doses/{today.isoformat()}"
    refused = api.put(url, {"status": "taken"})
    assert refused.status_code == 409, refused.content
    assert "naltrexone" in refused.json()["detail"].lower()
    assert not DoseLog.objects.exists()
    accepted = api.put(url, {"status": "taken", "acknowledged_safety": True})
    assert accepted.status_code == 200, accepted.content
    assert OpioidAnswer.objects.get(user=owner, day=today).took_opioid is True


def test_another_persons_regimen_is_not_found(owner, stranger, api):
    theirs = start(stranger, "magnesium", amount="300", on=diary_day(stranger) - dt.timedelta(days=5))
    before = _state(stranger)
    day = diary_day(stranger).isoformat()
    assert api.put(f"regimens/{theirs.pk}/doses/{day}", {"status": "taken"}).status_code == 404
    assert api.post(f"regimens/{theirs.pk}/stop", {"reason": "other"}).status_code == 404
    assert api.post(f"regimens/{theirs.pk}/dose-changes", {"amount": "1"}).status_code == 404
    assert _state(stranger) == before


def test_a_read_only_token_cannot_write_treatments(owner):
    reader = ApiClient(token_for(owner, "read"))
    regimen = start(owner, "magnesium", amount="300")
    before = _state(owner)
    assert reader.post("regimens", MAGNESIUM).status_code == 403
    assert reader.post(f"regimens/{regimen.pk}/stop", {"reason": "other"}).status_code == 403
    assert reader.put(f"regimens/{regimen.pk}/doses/{diary_day(owner)}", {"status": "taken"}).status_code == 403
    assert _state(owner) == before


def test_a_caution_is_returned_as_a_warning_without_blocking(owner, api):
    start(owner, "duloxetine", amount="30", on=diary_day(owner) - dt.timedelta(days=10))
    body = {"treatment_key": "amitriptyline", "amount": "10", "unit": "mg", "schedule": "nightly"}
    response = api.post("regimens", body)
    assert response.status_code == 201, response.content
    warnings = response.json()["warnings"]
    assert len(warnings) == 1 and "Duloxetine" in warnings[0]
    assert not SafetyAcknowledgement.objects.filter(user=owner).exists()


def test_stopping_naltrexone_warns_about_opioids_afterwards(owner, api):
    regimen = start(owner, "naltrexone", amount="4.5", on=diary_day(owner) - dt.timedelta(days=10))
    response = api.post(f"regimens/{regimen.pk}/stop", {"reason": "other"})
    assert response.status_code == 200, response.content
    assert any("opioid" in w.lower() for w in response.json()["warnings"])
    magnesium = start(owner, "magnesium", amount="300", on=diary_day(owner) - dt.timedelta(days=10))
    assert api.post(f"regimens/{magnesium.pk}/stop", {"reason": "other"}).json()["warnings"] == []
