"""The FHIR R4 export: a valid collection Bundle with a pseudonymous Patient."""

import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from fibrotrack.portability.fhir import build_bundle
from fibrotrack.portability.tests.portability_helpers import fill_account

pytestmark = pytest.mark.django_db


def resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_bundle_validates_against_the_fhir_models(owner):
    fill_account(owner)
    bundle = build_bundle(owner)
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    kinds = {e.resource.get_resource_type() for e in parsed.entry}
    assert kinds == {"Patient", "Observation", "MedicationStatement", "AdverseEvent"}


def test_the_patient_is_pseudonymous(owner):
    fill_account(owner)
    bundle = build_bundle(owner)
    (patient,) = resources(bundle, "Patient")
    text = json.dumps(bundle)
    assert "owner@example.org" not in text and "Owner" not in text
    assert set(patient) == {"resourceType", "id", "active"}
    assert build_bundle(owner)["entry"][0]["fullUrl"] == bundle["entry"][0]["fullUrl"]  # stable


def test_pain_uses_loinc_and_other_symptoms_the_fibrotrack_code_system(owner):
    fill_account(owner)
    observations = resources(build_bundle(owner), "Observation")
    pain = [o for o in observations if o["code"]["coding"][0]["code"] == "72514-3"]
    assert pain and all(o["code"]["coding"][0]["system"] == "http://loinc.org" for o in pain)
    assert all(isinstance(o["valueInteger"], int) for o in pain)
    fatigue = [o for o in observations if o["code"]["coding"][0]["code"] == "fatigue"]
    assert fatigue[0]["code"]["coding"][0]["system"] == "https://fibrotrack.org/fhir/CodeSystem/symptom"
    sleep = [o for o in observations if o["code"]["coding"][0]["code"] == "93832-4"]
    assert sleep[0]["valueQuantity"]["code"] == "h"
    scores = sum(len(c.score_map) for c in owner.checkins.prefetch_related("scores"))
    symptom_obs = [o for o in observations if "valueInteger" in o and "acr2016" not in o["code"]["coding"][0]["system"]]
    assert len(symptom_obs) == scores  # one Observation per value


def test_regimens_carry_their_doses_and_side_effects_point_at_the_suspect(owner):
    fill_account(owner)
    bundle = build_bundle(owner)
    statements = resources(bundle, "MedicationStatement")
    tea = next(s for s in statements if s["medicationCodeableConcept"]["text"] == "Ginger tea")
    assert tea["status"] == "completed"
    assert [d["doseAndRate"][0]["doseQuantity"]["value"] for d in tea["dosage"]] == [250.0, 312.5]
    assert (
        tea["dosage"][0]["timing"]["repeat"]["boundsPeriod"]["end"]
        < tea["dosage"][1]["timing"]["repeat"]["boundsPeriod"]["start"]
    )
    ldn = next(s for s in statements if s["medicationCodeableConcept"]["text"].startswith("Naltrexone"))
    assert ldn["status"] == "active" and ldn["dosage"][0]["doseAndRate"][0]["doseQuantity"]["unit"] == "mg"
    (event,) = resources(bundle, "AdverseEvent")
    ldn_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is ldn)
    assert event["suspectEntity"][0]["instance"]["reference"] == ldn_url
    assert event["severity"]["coding"][0]["code"] == "moderate"


def test_the_download_is_fhir_json(owner_client):
    response = owner_client.post("/me/data/export/fhir/")
    assert response["Content-Type"] == "application/fhir+json"
    assert json.loads(response.content)["resourceType"] == "Bundle"
