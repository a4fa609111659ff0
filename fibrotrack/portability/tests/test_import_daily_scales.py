"""Flaredown conditions and symptoms never silently become daily check-in scales: the person chooses."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fibrotrack.diary.models import SymptomScore, TrackedSymptom
from fibrotrack.portability.imports import reader
from fibrotrack.portability.imports.base import Options
from fibrotrack.portability.models import ImportJob

pytestmark = pytest.mark.django_db

HEADER = "user_id,age,sex,country,checkin_date,trackable_id,trackable_type,trackable_name,trackable_value\n"
ROWS = [
    "u1,30,female,DE,2017-04-25,1,Condition,Fibromyalgia,3",
    "u1,30,female,DE,2017-04-25,2,Condition,Headache,2",
    "u1,30,female,DE,2017-04-25,3,Symptom,Fatigue,4",
    "u1,30,female,DE,2017-04-25,4,Symptom,Nausea,1",
    "u1,30,female,DE,2017-04-26,3,Symptom,Fatigue,2",
]
PERSONAL = "Date,Fibromyalgia,Dizziness,Duloxetine,Tags,Foods\n2020-01-01,3,2,30.0 mg,,\n"


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def research(tmp_path):
    path = tmp_path / "fd.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n")
    return path


def active_names(user):
    return set(TrackedSymptom.objects.filter(user=user, is_active=True).values_list("name", flat=True))


def test_the_preview_lists_each_new_scale_with_symptoms_ticked_and_conditions_not(owner, tmp_path):
    preview = reader("flaredown-research").preview(research(tmp_path), owner, Options())
    chosen = {scale.name: (scale.condition, scale.daily) for scale in preview.new_scales}
    assert chosen == {"Nausea": (False, True), "Fibromyalgia": (True, False), "Headache": (True, False)}
    assert ("Fatigue", "Fatigue") in preview.joined  # a scale the person already tracks is not asked about
    assert dict(preview.changes)["New symptoms and conditions"] == 3


def test_a_known_diagnosis_in_the_personal_export_starts_unticked(owner, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(PERSONAL)
    preview = reader("flaredown-personal").preview(path, owner, Options())
    assert {s.name: s.daily for s in preview.new_scales} == {"Fibromyalgia": False, "Dizziness": True}


def test_without_a_choice_conditions_are_kept_in_history_but_not_in_the_check_in(owner, tmp_path):
    before = active_names(owner)
    reader("flaredown-research").apply(research(tmp_path), owner, Options())
    assert active_names(owner) - before == {"Nausea"}
    fibro = TrackedSymptom.objects.get(user=owner, name="Fibromyalgia")
    assert not fibro.is_active
    assert SymptomScore.objects.get(symptom=fibro).value == 8  # its values are still imported


def test_the_persons_ticks_decide_which_new_scales_join_the_check_in(owner, tmp_path):
    before = active_names(owner)
    reader("flaredown-research").apply(research(tmp_path), owner, Options(daily=frozenset({"headache"})))
    assert active_names(owner) - before == {"Headache"}
    assert not TrackedSymptom.objects.get(user=owner, name="Nausea").is_active


def test_the_choices_on_the_preview_page_flow_into_the_import_job(owner_client, owner, tmp_path):
    data = {"file": SimpleUploadedFile("fd.csv", (HEADER + "\n".join(ROWS)).encode(), "text/csv")}
    preview_url = owner_client.post("/me/data/import/", {**data, "format": "flaredown-research", "weather": "note"})[
        "Location"
    ]
    page = owner_client.get(preview_url).content.decode()
    assert re.search(r'name="daily" value="nausea"[^>]*checked', page)
    assert re.search(r'name="daily" value="fibromyalgia"(?![^>]*checked)[^>]*>', page)
    assert "Which of these new ones do you want to rate every day?" in page
    before = active_names(owner)
    owner_client.post(preview_url + "confirm/", {"daily_chosen": "1", "daily": ["fibromyalgia"]})
    job = ImportJob.objects.get(user=owner)
    assert job.status == ImportJob.Status.DONE and job.daily_symptoms == ["fibromyalgia"]
    assert active_names(owner) - before == {"Fibromyalgia"}


def test_unticking_everything_adds_nothing_to_the_check_in(owner_client, owner, tmp_path):
    data = {"file": SimpleUploadedFile("fd.csv", (HEADER + "\n".join(ROWS)).encode(), "text/csv")}
    preview_url = owner_client.post("/me/data/import/", {**data, "format": "flaredown-research", "weather": "note"})[
        "Location"
    ]
    before = active_names(owner)
    owner_client.post(preview_url + "confirm/", {"daily_chosen": "1"})
    assert active_names(owner) == before
    assert TrackedSymptom.objects.filter(user=owner, is_active=False, name="Nausea").exists()


def test_the_command_lines_dry_run_says_where_each_new_scale_goes(owner, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "import_data", str(research(tmp_path)), "--user", owner.email, "--format", "flaredown-research", "--dry-run",
        stdout=out,
    )  # fmt: skip
    assert "New scale Nausea: the daily check-in" in out.getvalue()
    assert "New scale Fibromyalgia: history only (archived)" in out.getvalue()
