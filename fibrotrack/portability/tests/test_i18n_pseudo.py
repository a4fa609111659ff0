"""Issue 21: the "Your data" pages (downloads, import preview, progress and result) are translated; the
machine-readable files (CSV columns, JSON keys, FHIR codes) are the same in every language; the ZIP's
README and PDF are in the person's language; an import's result is written in the language it was asked in."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text
from fibrotrack.portability import jobs
from fibrotrack.portability.export_csv import export_csv
from fibrotrack.portability.export_json import export_json
from fibrotrack.portability.fhir import export_fhir
from fibrotrack.portability.models import ImportJob
from fibrotrack.portability.tests.portability_helpers import fill_account

pytestmark = pytest.mark.django_db


IN_PSEUDO = {"HTTP_ACCEPT_LANGUAGE": PSEUDO}
HEADER = "user_id,age,sex,country,checkin_date,trackable_id,trackable_type,trackable_name,trackable_value\n"
FLAREDOWN = HEADER + (
    "u1,30,f,US,2017-04-25,1,Symptom,Fatigue,3\n"
    "u1,30,f,US,2017-04-25,2,Condition,Fibromyalgia,2\n"
    "u1,30,f,US,2017-04-25,3,Treatment,Duloxetine,30.0 mg\n"
    "u1,30,f,US,2017-04-25,4,Tag,stress,\n"
    "u1,30,f,US,2017-04-25,5,Weather,icon,rain\n"
    "u1,30,f,US,2017-04-26,1,Symptom,Fatigue,9\n"
    "u1,30,f,US,2017-04-26,6,HBI,general_wellbeing,2\n"
)
# The file's own words (Flaredown's names, the person's file name) are their data.
FILE_WORDS = ["fd.csv", "Fatigue", "Fibromyalgia", "Duloxetine", "stress", "icon", "rain", "u1", "Symptom",
              "Condition", "Treatment", "Tag", "Weather", "HBI", "general_wellbeing", "US", "mg", "f",
              *HEADER.strip().split(",")]  # fmt: skip


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def pseudo():
    with pseudo_locale():
        yield


def _upload(
    client: Client,
    content: str = FLAREDOWN,
    name: str = "fd.csv",
    kind: str = "flaredown-research",
    language: str = "en",
) -> str:
    data = {"file": SimpleUploadedFile(name, content.encode(), "text/csv"), "format": kind, "weather": "note"}
    response = client.post(reverse("data:upload"), data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def test_the_data_pages_have_no_untranslated_word(owner, owner_client, pseudo):
    page = owner_client.get(reverse("data:index"), **IN_PSEUDO).content.decode()
    assert "⟦Your data⟧" in page
    assert untranslated_text(page, ignore=[owner.display_name]) == []
    preview_url = _upload(owner_client, language=PSEUDO)
    page = owner_client.get(preview_url, **IN_PSEUDO).content.decode()
    assert "⟦Check your import⟧" in page and "⟦row {number}⟧" not in page
    assert untranslated_text(page, ignore=[owner.display_name, *FILE_WORDS]) == []
    response = owner_client.post(preview_url + "confirm/", follow=True, **IN_PSEUDO)
    page = response.content.decode()
    assert "⟦Import finished⟧" in page
    assert untranslated_text(page, ignore=[owner.display_name, *FILE_WORDS]) == []
    page = owner_client.get(reverse("data:index"), **IN_PSEUDO).content.decode()
    assert untranslated_text(page, ignore=[owner.display_name, *FILE_WORDS]) == []


def test_a_fibrotrack_file_with_bad_records_previews_in_the_language(owner, owner_client, pseudo):
    document = json.loads(export_json(owner))
    document["checkins"] = [{"day": "not a day"}, {"day": "2024-01-01", "scores": {"nope": 3}}]
    preview_url = _upload(owner_client, json.dumps(document), "mine.json", "fibrotrack-json", language=PSEUDO)
    page = owner_client.get(preview_url, **IN_PSEUDO).content.decode()
    assert "⟦Rows we cannot read" in page
    left = untranslated_text(page, ignore=[owner.display_name, "mine.json", "not a day", "'nope'", "checkins #1",
                                           "checkins #2", "2024-01-01", "nope 3"])  # fmt: skip
    assert left == []


def test_an_import_result_is_written_in_the_language_it_was_asked_in(owner, owner_client):
    preview_url = _upload(owner_client, language="de")
    owner_client.post(preview_url + "confirm/", HTTP_ACCEPT_LANGUAGE="de")
    job = ImportJob.objects.get(user=owner)
    assert job.language == "de"
    assert "Neue Tagebuchtage" in [label for label, _n in job.result["written"]]


def test_the_worker_writes_in_the_persons_own_language_when_they_chose_one(owner, owner_client, monkeypatch):
    monkeypatch.setattr(jobs, "RUN_AT_ONCE_BYTES", 0)  # through the task, as the worker runs it
    owner.language = "es"
    owner.save()
    preview_url = _upload(owner_client, language="de")
    owner_client.post(preview_url + "confirm/", HTTP_ACCEPT_LANGUAGE="de")
    job = ImportJob.objects.get(user=owner)
    assert "Días nuevos en el diario" in [label for label, _n in job.result["written"]]


@pytest.mark.parametrize("language", ["es", "de", PSEUDO])
def test_machine_readable_exports_are_the_same_in_every_language(owner, owner_client, language):
    fill_account(owner)
    english = {
        "csv": export_csv(owner),
        "fhir": json.loads(export_fhir(owner)),
        "json": json.loads(export_json(owner)),
    }
    with pseudo_locale():
        for key in english:
            response = owner_client.post(reverse("data:export", args=[key]), HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if key == "csv":
                got = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
                want = list(csv.reader(io.StringIO(english["csv"].decode("utf-8-sig"))))
                assert got[0] == want[0]  # the column names
                assert sorted(row[1:3] for row in got[1:]) == sorted(row[1:3] for row in want[1:])  # codes
            else:
                got = json.loads(body)
                assert _keys(got) == _keys(english[key])
                if key == "fhir":
                    assert _codes(got) == _codes(english[key])


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _codes(value: object) -> list[str]:
    if isinstance(value, dict):
        own = [f"{value.get('system')}|{value['code']}"] if "code" in value and isinstance(value["code"], str) else []
        return sorted(own + [c for v in value.values() for c in _codes(v)])
    if isinstance(value, list):
        return sorted(c for v in value for c in _codes(v))
    return []


def test_the_zip_has_its_readme_and_pdf_in_the_persons_language(owner, owner_client):
    fill_account(owner, days=10)
    owner.language = "de"
    owner.save()
    response = owner_client.post(reverse("data:export", args=["zip"]), HTTP_ACCEPT_LANGUAGE="en")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        readme = archive.read("README.txt").decode()
        pdf = PdfReader(io.BytesIO(archive.read("report.pdf")))
        names = archive.namelist()
    assert "Deine FibroTrack-Daten" in readme and "fibrotrack.csv" in readme
    assert "Gesundheitsübersicht" in " ".join((pdf.pages[0].extract_text() or "").split())
    assert sorted(names) == sorted(["README.txt", "fibrotrack.json", "fibrotrack.csv", "fibrotrack-fhir.json",
                                    "report.pdf"])  # fmt: skip
