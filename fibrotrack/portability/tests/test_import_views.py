"""The import pages: upload -> preview -> confirm, owner-only, nothing written before confirming."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from fibrotrack.diary.models import CheckIn
from fibrotrack.portability import uploads

pytestmark = pytest.mark.django_db

HEADER = "user_id,age,sex,country,checkin_date,trackable_id,trackable_type,trackable_name,trackable_value\n"
FILE = HEADER + "u1,30,f,US,2017-04-25,1,Symptom,Fatigue,3\nu1,30,f,US,2017-04-26,1,Symptom,Fatigue,9\n"


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def upload(client, content=FILE, fmt="flaredown-research"):
    data = {"file": SimpleUploadedFile("fd.csv", content.encode(), "text/csv"), "format": fmt, "weather": "note"}
    response = client.post("/me/data/import/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_upload_preview_confirm(owner_client, owner):
    preview_url = upload(owner_client)
    response = owner_client.get(preview_url)
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Nothing has been saved yet" in page
    assert "row 3" in page and "“9” is not a rating from 0 to 4" in page
    assert "0→0, 1→3, 2→5, 3→8, 4→10" in page
    assert not CheckIn.objects.filter(user=owner).exists()
    confirmed = owner_client.post(preview_url + "confirm/")
    assert confirmed.status_code == 302 and confirmed["Location"] == preview_url + "status/"
    done = owner_client.get(confirmed["Location"])
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    assert "Import finished" in done.content.decode()
    assert CheckIn.objects.get(user=owner).score_map == {owner.symptoms.get(key="fatigue").pk: 8}
    assert owner_client.get(preview_url).status_code == 404  # the upload is gone
    assert not any(uploads.root().glob("*/*"))


def test_another_person_cannot_see_or_confirm_an_upload(owner_client, stranger_client, owner):
    preview_url = upload(owner_client)
    assert stranger_client.get(preview_url).status_code == 404
    assert stranger_client.post(preview_url + "confirm/").status_code == 404
    assert stranger_client.post(preview_url + "cancel/").status_code == 404
    assert not CheckIn.objects.exists()
    # The same person in another session (no token in it) cannot reach it either.
    other_session = Client()
    other_session.force_login(owner)
    assert other_session.get(preview_url).status_code == 404


def test_cancel_deletes_the_file(owner_client):
    preview_url = upload(owner_client)
    response = owner_client.post(preview_url + "cancel/", follow=True)
    assert "Nothing was saved" in response.content.decode()
    assert owner_client.get(preview_url).status_code == 404


def test_a_file_with_several_people_asks_which_one(owner_client, owner):
    content = HEADER + "u1,30,f,US,2017-04-25,1,Symptom,Fatigue,3\nu2,30,f,US,2017-04-26,1,Symptom,Fatigue,1\n"
    preview_url = upload(owner_client, content)
    page = owner_client.get(preview_url).content.decode()
    assert "This file holds 2 people" in page
    assert "u1 (1 row)" in page and "u2 (1 row)" in page
    page = owner_client.get(preview_url + "?source_user=u2").content.decode()
    assert "Importing Flaredown user_id u2." in page
    owner_client.post(preview_url + "confirm/", {"source_user": "u2"})
    assert CheckIn.objects.get(user=owner).day.isoformat() == "2017-04-26"


def test_a_tampered_upload_is_refused(owner_client):
    preview_url = upload(owner_client)
    token = re.search(r"/import/([^/]+)/", preview_url)[1]
    (next(uploads.root().glob(f"*/{token}")) / "upload").write_text(HEADER)
    assert owner_client.get(preview_url).status_code == 404


def test_an_upload_is_required(owner_client):
    response = owner_client.post("/me/data/import/", {"format": "flaredown-research"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_stale_uploads_are_swept(owner_client):
    upload(owner_client)
    assert uploads.sweep(now=10**12) == 1


def test_the_import_command_dry_run_writes_nothing_and_then_imports(owner, tmp_path, capsys):
    path = tmp_path / "fd.csv"
    path.write_text(FILE)
    call_command("import_data", str(path), "--user", "owner@example.org", "--format", "flaredown-research", "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run: nothing was written." in out and "row 3: “9” is not a rating from 0 to 4" in out
    assert not CheckIn.objects.exists()
    call_command("import_data", str(path), "--user", "owner@example.org", "--format", "flaredown-research")
    assert "Imported:" in capsys.readouterr().out
    assert CheckIn.objects.filter(user=owner).count() == 1


def test_the_import_command_lists_the_people_in_a_shared_file(owner, tmp_path):
    path = tmp_path / "fd.csv"
    path.write_text(FILE + "u2,30,f,US,2017-04-26,1,Symptom,Fatigue,1\n" * 3)
    with pytest.raises(CommandError) as error:
        call_command("import_data", str(path), "--user", "owner@example.org", "--format", "flaredown-research")
    message = str(error.value)
    assert "holds 2 people" in message and "u2  3" in message and "u1  2" in message
    call_command(
        "import_data", str(path), "--user", "owner@example.org", "--format", "flaredown-research", "--source-user", "u2"
    )
    assert CheckIn.objects.filter(user=owner).count() == 1
