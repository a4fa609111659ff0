"""The results page, its downloads and the research exports, per role, before and after lock and unblinding."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from fibrotrack.portability import fhir as personal_fhir
from fibrotrack.studies import fhir as study_fhir
from fibrotrack.studies import roles
from fibrotrack.studies.actions.analysis import do_lock_dataset, do_run_analysis
from fibrotrack.studies.models import AccessLogEntry, Study
from fibrotrack.studies.tests.results_world import finished_world, unblind
from fibrotrack.studies.tests.world import SECRET_EMAILS, SECRET_NAMES

pytestmark = pytest.mark.django_db
DOWNLOADS = ("studies:results_pdf", "studies:results_csv")
EXPORTS = ("studies:export_dataset", "studies:export_dictionary", "studies:export_fhir")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name, world):
    return reverse(name, kwargs={"study": world.study.uuid})


@pytest.fixture
def published():
    world = finished_world(every_day=2)
    do_lock_dataset(world.study, world.users[roles.PI])
    unblind(world)
    do_run_analysis(world.study, world.users[roles.PI])
    return world


def test_before_the_lock_the_page_is_a_notice_and_the_pi_is_offered_the_lock(django_assert_max_num_queries):
    world = finished_world(every_day=10)
    pi = _client(world.users[roles.PI])
    with django_assert_max_num_queries(6):
        body = pi.get(_url("studies:results", world)).content.decode()
    assert "once the dataset is locked" in body
    assert _url("studies:lock_dataset", world) in body
    body = _client(world.users[roles.COORDINATOR]).get(_url("studies:results", world)).content.decode()
    assert _url("studies:lock_dataset", world) not in body


def test_the_pi_locks_from_the_page_with_a_confirmation():
    world = finished_world(every_day=10)
    pi = _client(world.users[roles.PI])
    response = pi.post(_url("studies:lock_dataset", world))
    assert "Tick the box" in response.content.decode()
    assert Study.objects.get(pk=world.study.pk).locked_at is None
    response = pi.post(_url("studies:lock_dataset", world), {"confirm": "yes"})
    assert response.status_code == 302
    assert Study.objects.get(pk=world.study.pk).status == Study.Status.LOCKED
    # Before unblinding: the PI runs the masked analysis; nobody else sees it.
    response = pi.post(_url("studies:run_analysis", world), follow=True)
    assert "masked as A and B" in response.content.decode()
    assert "Condition A" in response.content.decode()
    for role in (roles.COORDINATOR, roles.MONITOR, roles.ASSESSOR, roles.PHARMACIST):
        body = _client(world.users[role]).get(_url("studies:results", world)).content.decode()
        assert "Condition A" not in body and "once the study is unblinded" in body
    for name in DOWNLOADS + EXPORTS:
        assert pi.get(_url(name, world)).status_code == 404


def test_after_unblinding_everyone_who_sees_results_reads_the_answer_in_plain_words(
    published, django_assert_max_num_queries
):
    world = published
    for role in roles.SEES_RESULTS:
        client = _client(world.users[role])
        with django_assert_max_num_queries(9):
            body = client.get(_url("studies:results", world)).content.decode()
        assert re.search(r"pain was on average [\d.]+ points lower on LDN 4.5 mg than on Placebo", body), role
        assert "95% confidence interval" in body and "discuss it with their doctor" in body
        assert "<svg" in body and 'role="img"' in body
        for secret in (*SECRET_NAMES.values(), *SECRET_EMAILS.values()):
            assert secret not in body
    for who in ("participant", "other_participant", "stranger"):
        client = _client(world.users[who])
        for name in ("studies:results", *DOWNLOADS, *EXPORTS):
            assert client.get(_url(name, world)).status_code == 404, (who, name)


def test_the_paper_pdf_and_csv(published):
    client = _client(published.users[roles.ASSESSOR])
    response = client.get(_url("studies:results_pdf", published))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    rows = list(csv.DictReader(io.StringIO(client.get(_url("studies:results_csv", published)).content.decode())))
    pooled = [r for r in rows if r["section"] == "pooled" and r["comparison"] == "ldn vs placebo"]
    assert pooled and float(pooled[0]["ci_low"]) < -2 < float(pooled[0]["ci_high"])
    assert {r["section"] for r in rows} >= {"pooled", "participant", "responders", "percent change"}


def test_the_methods_section_is_written_from_the_protocol(published):
    body = _client(published.users[roles.PI]).get(_url("studies:results", published)).content.decode()
    for words in (
        "permuted blocks of randomly chosen sizes (2, 4)",
        "Hartung-Knapp-Sidik-Jonkman",
        "AR(1)",
        "Double-blind",
    ):
        assert words in body
    lock = published.study.dataset_locks.get()
    assert lock.digest in body and "fibrostats" in body


def test_exports_are_de_identified_logged_and_only_for_the_pi_coordinator_and_monitor(published):
    world = published
    for role in roles.EXPORTS_DATA:
        client = _client(world.users[role])
        for name in EXPORTS:
            assert client.get(_url(name, world)).status_code == 200, (role, name)
    assert AccessLogEntry.objects.filter(study=world.study, action__startswith="export").count() == 3 * len(EXPORTS)
    for role in (roles.ASSESSOR, roles.PHARMACIST):
        for name in EXPORTS:
            assert _client(world.users[role]).get(_url(name, world)).status_code == 404

    client = _client(world.users[roles.MONITOR])
    text = client.get(_url("studies:export_dataset", world)).content.decode()
    header = text.splitlines()[0].split(",")
    assert header[:6] == ["participant", "sequence", "group", "study_day", "condition", "period"]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no calendar dates
    assert "private words" not in text and "Quillon" not in text
    dictionary = list(
        csv.DictReader(io.StringIO(client.get(_url("studies:export_dictionary", world)).content.decode()))
    )
    assert [r["column"] for r in dictionary] == header

    bundle = json.loads(client.get(_url("studies:export_fhir", world)).content)
    Bundle.model_validate(bundle)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("ResearchStudy") == 1 and kinds.count("ResearchSubject") == 2
    pain = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")
    assert pain["code"]["coding"][0]["code"] == "72514-3"
    assert "effectiveDateTime" not in pain
    assert not re.search(r"\d{4}-\d{2}-\d{2}", json.dumps(bundle))


def test_the_study_export_codes_symptoms_as_the_personal_export_does():
    assert study_fhir.LOINC_SYMPTOMS == personal_fhir.LOINC_SYMPTOMS
    assert study_fhir.SYMPTOM_SYSTEM == personal_fhir.SYMPTOM_SYSTEM
    assert study_fhir.symptom_code("pain", "Pain") == personal_fhir._symptom_code("pain", "Pain")


def test_the_result_reports_each_emergency_unblinding(published):
    # The world's other participant was unblinded in an emergency by the PI (tests/world.py).
    page = _client(published.users[roles.MONITOR]).get(_url("studies:results", published)).content.decode()
    section = page.split('id="emergency-heading"', 1)[1].split("</section>", 1)[0]
    assert "PROBE-002" in section and "PROBE-001" not in section
