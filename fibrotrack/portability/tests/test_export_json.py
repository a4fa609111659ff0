"""The JSON export: versioned, complete, exact, and only ever the owner's own data."""

import datetime as dt
import json

import pytest

from fibrotrack.portability import codec_registry
from fibrotrack.portability.export_json import build_document
from fibrotrack.portability.tests.portability_helpers import fill_account

pytestmark = pytest.mark.django_db


def test_it_is_versioned_and_holds_every_section(owner):
    fill_account(owner)
    document = build_document(owner)
    assert document["format"] == "fibrotrack"
    assert document["version"] == 1
    for key in ("profile", "symptoms", "tags", "checkins", "acr2016", "treatments", "regimens", "side_effects"):
        assert document[key], key
    assert document["profile"]["time_zone"] == "Europe/London"


def test_values_are_exact_and_refer_by_natural_keys(owner):
    context = fill_account(owner)
    document = build_document(owner)
    day = document["checkins"][1]
    assert day["hours_slept"] == "6.5"
    assert set(day["scores"]) <= {s["key"] for s in document["symptoms"]}
    assert "jaw_clenching" in {s["key"] for s in document["symptoms"]}
    assert document["tags"] == [{"key": "swimming", "name": "Swimming", "is_trigger": True}]
    tea = next(r for r in document["regimens"] if r["treatment"]["key"] == "ginger_tea")
    assert tea["treatment"]["custom"] is True
    assert [c["amount"] for c in tea["dose_changes"]] == ["250", "312.5"]
    assert tea["stopped_on"] == (context["start"] + dt.timedelta(days=15)).isoformat()
    ldn = next(r for r in document["regimens"] if r["treatment"]["key"] == "naltrexone")
    assert ldn["plan"]["template"] == "ldn_standard"
    assert {log["status"] for log in ldn["dose_logs"]} == {"taken", "skipped"}
    effect = document["side_effects"][0]
    assert effect["regimen"]["treatment"]["key"] == "naltrexone"
    assert [r["severity"] for r in effect["reports"]] == ["mild", "moderate", "mild"]
    acr = document["acr2016"][0]
    assert (acr["wpi"], acr["sss"]) == (7, 6 + 2)
    assert document["opioid_answers"][0]["took_opioid"] is False


def test_another_persons_data_never_appears(owner, stranger):
    fill_account(stranger)
    document = build_document(owner)
    assert document["checkins"] == []
    assert document["regimens"] == []
    assert document["profile"]["email"] == "owner@example.org"


def test_trials_are_part_of_the_export_when_the_trials_app_provides_them():
    keys = [s.key for s in codec_registry.available()]
    try:
        import fibrotrack.trials.portability  # noqa: F401
    except ModuleNotFoundError:
        assert "trials" not in keys
    else:
        assert "trials" in keys


def test_the_download_is_a_post_for_the_signed_in_person_only(owner_client, owner, stranger):
    fill_account(stranger)
    response = owner_client.post("/me/data/export/json/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="fibrotrack-')
    assert response["Cache-Control"] == "no-store"
    document = json.loads(response.content)
    assert document["profile"]["email"] == "owner@example.org"
    assert document["checkins"] == []
    assert owner_client.get("/me/data/export/json/").status_code == 405
    assert owner_client.post("/me/data/export/xml/").status_code == 404


def test_signed_out_people_are_sent_to_log_in(client):
    response = client.post("/me/data/export/json/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_data_page_is_linked_from_settings_and_offers_every_format(owner_client):
    settings_page = owner_client.get("/me/settings/").content.decode()
    assert "/me/data/" in settings_page
    page = owner_client.get("/me/data/").content.decode()
    for label in ("Download Everything (ZIP)", "Download FibroTrack JSON", "Download Spreadsheet (CSV)", "FHIR R4"):
        assert label in page
