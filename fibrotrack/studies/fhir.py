"""The locked study as a FHIR R4 Bundle: ResearchStudy, one Patient and ResearchSubject per participant, and
their diary scores as Observations.

De-identified like the CSV export: a Patient carries only the participant's
study code; Observations carry the study day (an extension) instead of a
calendar date, so ``effective[x]`` (optional in FHIR) is left out. Symptom
scores use the same coding as the personal export (``portability/fhir.py``:
pain as LOINC 72514-3 beside FibroTrack's symptom code system); studies sit
below portability in the app layers, so the codes are repeated here and a
test checks that both modules agree.
"""

from __future__ import annotations

import uuid
from typing import Any

from fibrotrack.studies import designs
from fibrotrack.studies.models import DatasetLock, Study

LOINC = "http://loinc.org"
CODESYSTEM = "https://fibrotrack.org/fhir/CodeSystem"
SYMPTOM_SYSTEM = f"{CODESYSTEM}/symptom"
STUDY_SYSTEM = "https://fibrotrack.org/fhir/study"
STUDY_DAY_EXTENSION = "https://fibrotrack.org/fhir/StructureDefinition/study-day"
CONDITION_EXTENSION = "https://fibrotrack.org/fhir/StructureDefinition/study-condition"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
LOINC_SYMPTOMS = {"pain": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")}
SYMPTOM_NAMES = {"pain": "Pain", "fatigue": "Fatigue", "sleep_quality": "Sleep quality", "mood": "Mood"}
SUBJECT_STATUS = {"completed": "off-study", "withdrawn": "withdrawn", "active": "on-study"}
STUDY_STATUS: dict[str, str] = {Study.Status.LOCKED.value: "completed", Study.Status.UNBLINDED.value: "completed"}


def symptom_code(key: str, name: str) -> dict[str, Any]:
    coding = [{"system": SYMPTOM_SYSTEM, "code": key, "display": name}]
    if key in LOINC_SYMPTOMS:
        code, display = LOINC_SYMPTOMS[key]
        coding.insert(0, {"system": LOINC, "code": code, "display": display})
    return {"coding": coding, "text": f"{name} (0-10)"}


def bundle(study: Study, lock: DatasetLock, payload: dict[str, Any]) -> dict[str, Any]:
    protocol = designs.Protocol.from_json(payload["protocol"])
    namespace = uuid.UUID(str(study.uuid))

    def url(*parts: object) -> str:
        return f"urn:uuid:{uuid.uuid5(namespace, '/'.join(map(str, parts)))}"

    study_url = url("study")
    entries: list[tuple[str, dict[str, Any]]] = [
        (
            study_url,
            {
                "resourceType": "ResearchStudy",
                "identifier": [{"system": STUDY_SYSTEM, "value": study.short_code}],
                "title": study.title,
                "status": STUDY_STATUS.get(str(study.status), "active"),
                "description": protocol.summary,
                "arm": [
                    {
                        "name": name,
                        "description": " → ".join(protocol.condition(k).label for k in steps),
                    }
                    for name, steps in protocol.sequences.items()
                ],
                "note": [
                    {"text": f"Dataset SHA-256 {lock.digest}; protocol hash {payload.get('protocol_hash') or '-'}"}
                ],
            },
        )
    ]
    patients = {}
    for p in payload["participants"]:
        if not p["included"]:
            continue
        patient = url("patient", p["code"])
        patients[p["code"]] = patient
        entries.append(
            (
                patient,
                {
                    "resourceType": "Patient",
                    "identifier": [{"system": f"{STUDY_SYSTEM}/{study.short_code}", "value": p["code"]}],
                },
            )
        )
        entries.append(
            (
                url("subject", p["code"]),
                {
                    "resourceType": "ResearchSubject",
                    "status": SUBJECT_STATUS.get(p["status"], "off-study"),
                    "study": {"reference": study_url},
                    "individual": {"reference": patient},
                    "assignedArm": p["sequence"],
                    "actualArm": p["sequence"],
                },
            )
        )
    outcomes = payload["outcomes"]
    codes = [symptom_code(o["symptom"], SYMPTOM_NAMES.get(o["symptom"], o["symptom"])) for o in outcomes]
    fixed = len(payload["diary"]["columns"]) - len(outcomes)
    for row in payload["diary"]["rows"]:
        code, study_day, condition = row[0], row[1], row[2]
        for o, value, coded in zip(outcomes, row[fixed:], codes, strict=True):
            if value is None:
                continue
            entries.append(
                (
                    url("obs", code, study_day, o["key"]),
                    {
                        "resourceType": "Observation",
                        "status": "final",
                        "extension": [
                            {"url": STUDY_DAY_EXTENSION, "valueInteger": study_day},
                            {"url": CONDITION_EXTENSION, "valueString": condition},
                        ],
                        "category": [
                            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
                        ],
                        "code": coded,
                        "subject": {"reference": patients[code]},
                        "valueInteger": int(value),
                    },
                )
            )
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "identifier": {"system": STUDY_SYSTEM, "value": f"{study.short_code}-{lock.digest[:16]}"},
        "entry": [{"fullUrl": full, "resource": resource} for full, resource in entries],
    }
