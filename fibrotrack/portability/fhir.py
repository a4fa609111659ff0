"""A FHIR R4 Bundle (type "collection") of everything a clinician's system can use.

* one Patient, pseudonymous: no name, e-mail or birth date, only an id that is
  stable for this account on this server and means nothing elsewhere;
* one Observation per value: pain as LOINC 72514-3 (0-10 numeric rating,
  ``valueInteger``), hours slept as LOINC 93832-4 (``valueQuantity`` in h),
  other symptoms and the ACR 2016 scores with FibroTrack codes;
* one MedicationStatement per regimen, with one dosage per period of a dose;
* one AdverseEvent per side-effect episode, pointing at the suspected regimen.

Built as plain dicts (JSON), validated in the tests with ``fhir.resources``
(R4B models; these five resources are unchanged between R4 and R4B).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from django.conf import settings
from django.utils import timezone

from fibrotrack.accounts.models import User
from fibrotrack.diary.models import Acr2016Assessment, CheckIn, SymptomScore
from fibrotrack.lib.dates import diary_day
from fibrotrack.treatments import titration
from fibrotrack.treatments.models import Regimen, SideEffect
from fibrotrack.treatments.schedule import Kind

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CODESYSTEM = "https://fibrotrack.org/fhir/CodeSystem"
SYMPTOM_SYSTEM = f"{CODESYSTEM}/symptom"
ACR_SYSTEM = f"{CODESYSTEM}/acr2016"
TREATMENT_SYSTEM = f"{CODESYSTEM}/treatment"
SIDE_EFFECT_SYSTEM = f"{CODESYSTEM}/side-effect"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SEVERITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
OUTCOME_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"

# FibroTrack symptom key -> (LOINC code, display). Only codes that mean the same thing.
LOINC_SYMPTOMS = {"pain": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")}
SLEEP_DURATION = ("93832-4", "Sleep duration")


def pseudonym(user: User) -> str:
    """Stable per account and server, not reversible without the server's secret key."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:fhir-patient:{user.pk}".encode()).hexdigest()
    return str(uuid.UUID(digest[:32]))


class _Ids:
    def __init__(self, seed: str) -> None:
        self.namespace = uuid.UUID(seed)

    def url(self, *parts: object) -> str:
        return f"urn:uuid:{uuid.uuid5(self.namespace, '/'.join(map(str, parts)))}"


def _observation(patient: str, day: str, code: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": code,
        "subject": {"reference": patient},
        "effectiveDateTime": day,
        **value,
    }


def _symptom_code(key: str, name: str) -> dict[str, Any]:
    coding = [{"system": SYMPTOM_SYSTEM, "code": key, "display": name}]
    if key in LOINC_SYMPTOMS:
        code, display = LOINC_SYMPTOMS[key]
        coding.insert(0, {"system": LOINC, "code": code, "display": display})
    return {"coding": coding, "text": f"{name} (0-10)"}


def _observations(user: User, patient: str, ids: _Ids) -> list[tuple[str, dict[str, Any]]]:
    entries = []
    for checkin_id, day, key, name, value in (
        SymptomScore.objects.filter(checkin__user=user)
        .order_by("checkin__day", "symptom__position", "symptom__key")
        .values_list("checkin_id", "checkin__day", "symptom__key", "symptom__name", "value")
    ):
        resource = _observation(patient, day.isoformat(), _symptom_code(key, name), {"valueInteger": value})
        entries.append((ids.url("score", checkin_id, key), resource))
    for day, hours in (
        CheckIn.objects.filter(user=user, hours_slept__isnull=False).order_by("day").values_list("day", "hours_slept")
    ):
        sleep_code: dict[str, Any] = {
            "coding": [{"system": LOINC, "code": SLEEP_DURATION[0], "display": SLEEP_DURATION[1]}],
            "text": "Hours slept",
        }
        quantity = {"valueQuantity": {"value": float(hours or 0), "unit": "h", "system": UCUM, "code": "h"}}
        entries.append((ids.url("sleep", day), _observation(patient, day.isoformat(), sleep_code, quantity)))
    for assessment in Acr2016Assessment.objects.filter(user=user).order_by("day", "id"):
        result = assessment.result
        for key, label, value in (
            ("wpi", "Widespread Pain Index (0-19)", result.wpi),
            ("sss", "Symptom Severity Scale (0-12)", result.sss),
            ("psd", "Polysymptomatic distress (0-31)", result.psd),
        ):
            code = {"coding": [{"system": ACR_SYSTEM, "code": key, "display": label}], "text": label}
            resource = _observation(patient, assessment.day.isoformat(), code, {"valueInteger": value})
            entries.append((ids.url("acr", assessment.pk, key), resource))
    return entries


def _dosages(regimen: Regimen, today: dt.date) -> list[dict[str, Any]]:
    spec = regimen.dose_spec()
    changes = titration.transitions(spec, until=regimen.stopped_on or max(today, regimen.started_on))
    dosages: list[dict[str, Any]] = []
    for index, change in enumerate(changes):
        if change.dose is None or change.dose.amount is None:
            continue  # stopped, or a planned pause: no dose in that period
        end = changes[index + 1].day if index + 1 < len(changes) else None
        bounds: dict[str, str] = {"start": change.day.isoformat()}
        if end is not None:
            bounds["end"] = (end - dt.timedelta(days=1)).isoformat()
        elif regimen.stopped_on:
            bounds["end"] = regimen.stopped_on.isoformat()
        amount = change.dose.amount
        dosage: dict[str, Any] = {
            "sequence": len(dosages) + 1,
            "text": f"{titration.format_amount(amount)} {change.dose.unit}, {regimen.schedule_text.lower()}",
            "timing": {"repeat": {"boundsPeriod": bounds}},
            "doseAndRate": [{"doseQuantity": {"value": float(amount), "unit": change.dose.unit}}],
        }
        if regimen.schedule == Kind.AS_NEEDED:
            dosage["asNeededBoolean"] = True
        dosages.append(dosage)
    return dosages


def _medication_statements(
    user: User, patient: str, ids: _Ids
) -> tuple[list[tuple[str, dict[str, Any]]], dict[int, str]]:
    today = diary_day(user)
    entries, urls = [], {}
    regimens = Regimen.objects.filter(user=user).select_related("treatment", "plan").prefetch_related("dose_changes")
    for regimen in regimens.order_by("started_on", "id"):
        url = ids.url("regimen", regimen.pk)
        urls[regimen.pk] = url
        period = {"start": regimen.started_on.isoformat()}
        if regimen.stopped_on:
            period["end"] = regimen.stopped_on.isoformat()
        resource: dict[str, Any] = {
            "resourceType": "MedicationStatement",
            "status": "completed" if regimen.stopped_on and regimen.stopped_on < today else "active",
            "medicationCodeableConcept": {
                "coding": [
                    {"system": TREATMENT_SYSTEM, "code": regimen.treatment.key, "display": regimen.treatment.name}
                ],
                "text": regimen.treatment.name,
            },
            "subject": {"reference": patient},
            "effectivePeriod": period,
            "dosage": _dosages(regimen, today),
        }
        if regimen.note:
            resource["note"] = [{"text": regimen.note}]
        entries.append((url, resource))
    return entries, urls


def _adverse_events(user: User, patient: str, ids: _Ids, regimens: dict[int, str]) -> list[tuple[str, dict[str, Any]]]:
    entries = []
    for effect in SideEffect.objects.filter(user=user).order_by("onset_on", "id"):
        resource: dict[str, Any] = {
            "resourceType": "AdverseEvent",
            "actuality": "actual",
            "subject": {"reference": patient},
            "event": {
                "coding": [{"system": SIDE_EFFECT_SYSTEM, "code": effect.key, "display": effect.name}],
                "text": effect.name,
            },
            "date": effect.onset_on.isoformat(),
            "severity": {"coding": [{"system": SEVERITY_SYSTEM, "code": effect.severity}]},
            "outcome": {
                "coding": [{"system": OUTCOME_SYSTEM, "code": "ongoing" if effect.is_ongoing else "resolved"}],
                "text": "ongoing" if effect.is_ongoing else f"ended {effect.ended_on}",
            },
        }
        if effect.regimen_id in regimens:
            resource["suspectEntity"] = [{"instance": {"reference": regimens[effect.regimen_id]}}]
        entries.append((ids.url("side-effect", effect.pk), resource))
    return entries


def build_bundle(user: User) -> dict[str, Any]:
    seed = pseudonym(user)
    ids = _Ids(seed)
    patient_url = f"urn:uuid:{seed}"
    patient = {"resourceType": "Patient", "id": seed, "active": True}
    statements, regimen_urls = _medication_statements(user, patient_url, ids)
    entries = [
        (patient_url, patient),
        *_observations(user, patient_url, ids),
        *statements,
        *_adverse_events(user, patient_url, ids, regimen_urls),
    ]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }


def export_fhir(user: User) -> bytes:
    return json.dumps(build_bundle(user), ensure_ascii=False).encode()
