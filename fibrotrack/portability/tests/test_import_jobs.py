"""Confirming an import queues it for the background worker; its status page is the owner's alone."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from fibrotrack.diary.models import CheckIn, CheckInRevision, SymptomScore
from fibrotrack.portability import jobs, uploads
from fibrotrack.portability.imports import flaredown
from fibrotrack.portability.imports.base import READING, SAVING
from fibrotrack.portability.models import ImportJob

pytestmark = pytest.mark.django_db

HEADER = "user_id,age,sex,country,checkin_date,trackable_id,trackable_type,trackable_name,trackable_value\n"
FILE = HEADER + "u1,30,f,US,2017-04-25,1,Symptom,Fatigue,3\nu1,30,f,US,2017-04-26,1,Symptom,Fatigue,9\n"
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def no_worker(settings, monkeypatch):
    """Tasks are queued and stay queued, as under `make run` with no worker running (for a file too big to run at once)."""
    monkeypatch.setattr(jobs, "RUN_AT_ONCE_BYTES", 0)
    settings.TASKS = DUMMY
    backend = jobs.run_import.get_backend()
    backend.clear()
    return backend


def upload(client, content=FILE):
    data = {"file": SimpleUploadedFile("fd.csv", content.encode(), "text/csv"), "format": "flaredown-research"}
    response = client.post("/me/data/import/", {**data, "weather": "note"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def confirm(client, preview_url):
    response = client.post(preview_url + "confirm/")
    assert response.status_code == 302
    assert response["Location"] == preview_url + "status/"
    return response["Location"]


def test_confirm_runs_the_import_as_a_task_and_the_status_page_shows_the_result(owner_client, owner):
    status_url = confirm(owner_client, upload(owner_client))
    job = ImportJob.objects.get(user=owner)
    assert job.status == ImportJob.Status.DONE and job.finished_at is not None
    assert job.rows == 2
    response = owner_client.get(status_url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "<h1>Import finished</h1>" in page
    assert re.search(r"<th scope=\"row\">New diary days</th><td class=\"num\">1</td>", page)
    assert "Rows left out (1)" in page and "row 3: “9” is not a rating from 0 to 4" in page
    assert 'http-equiv="refresh"' not in page and "hx-trigger" not in page  # finished: no more polling
    assert CheckIn.objects.filter(user=owner).count() == 1
    assert not any(uploads.root().glob("*/*")), "the upload is deleted once imported"
    # The data page lists it, with its outcome.
    index = owner_client.get("/me/data/").content.decode()
    assert "Your recent imports" in index and "fd.csv" in index and "1 row left out" in index


def test_a_stranger_gets_404_and_the_token_is_not_stored(owner_client, stranger_client, owner):
    status_url = confirm(owner_client, upload(owner_client))
    token = status_url.split("/")[-3]
    assert len(token) >= 32
    assert stranger_client.get(status_url).status_code == 404
    assert stranger_client.get(status_url, headers={"HX-Request": "true"}).status_code == 404
    assert stranger_client.post(status_url.replace("status/", "confirm/")).status_code == 404
    assert "fd.csv" not in stranger_client.get("/me/data/").content.decode()
    assert Client().get(status_url).status_code == 302  # signed out: to the login page
    job = ImportJob.objects.get(user=owner)
    assert token not in job.token_hash and len(job.token_hash) == 64
    assert (
        owner_client.get(status_url.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 404
    )
    # The owner, signed in elsewhere, can follow their own import.
    elsewhere = Client()
    elsewhere.force_login(owner)
    assert elsewhere.get(status_url).status_code == 200


def test_without_a_worker_the_page_says_the_import_is_queued(owner_client, owner, no_worker):
    status_url = confirm(owner_client, upload(owner_client))
    assert len(no_worker.results) == 1
    assert not CheckIn.objects.exists()
    page = owner_client.get(status_url).content.decode()
    assert "Queued: waiting for the background worker." in page and "Nothing has been saved yet." in page
    # It refreshes itself: htmx polls the progress block; without JavaScript, a meta refresh in <noscript>.
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert f'hx-get="{status_url}" hx-trigger="every 3s"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "no inline script (CSP)"
    assert "db_worker" not in page  # not yet: it has only just been queued
    ImportJob.objects.filter(user=owner).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    page = owner_client.get(status_url).content.decode()
    assert "It has waited 5 minutes" in page and "<code>fibrotrack db_worker</code>" in page
    # The upload is out of the preview's reach, but waits for the worker.
    assert owner_client.get(status_url.replace("status/", "")).status_code == 404
    assert len(list(uploads.root().glob("*/job-*/upload"))) == 1


def test_a_second_confirm_does_not_enqueue_again(owner_client, owner, no_worker):
    preview_url = upload(owner_client)
    status_url = confirm(owner_client, preview_url)
    assert confirm(owner_client, preview_url) == status_url  # a double tap lands on the same status page
    assert ImportJob.objects.filter(user=owner).count() == 1
    assert len(no_worker.results) == 1
    # The worker takes it up once; a second delivery of the same task does nothing.
    job = ImportJob.objects.get(user=owner)
    assert jobs.run_import.call(job.pk) == "done"
    assert jobs.run_import.call(job.pk) == "not queued"
    assert CheckInRevision.objects.filter(user=owner).count() == 1
    assert confirm(owner_client, preview_url) == status_url  # and after it is done
    assert ImportJob.objects.filter(user=owner).count() == 1 and len(no_worker.results) == 1
    assert "Import finished" in owner_client.get(status_url).content.decode()


def test_a_double_confirm_with_an_inline_backend_imports_once(owner_client, owner):
    preview_url = upload(owner_client)
    confirm(owner_client, preview_url)
    confirm(owner_client, preview_url)
    assert ImportJob.objects.filter(user=owner).count() == 1
    assert CheckInRevision.objects.filter(user=owner).count() == 1


def test_the_running_page_counts_rows_and_polling_ends_with_a_full_reload(owner_client, owner, no_worker):
    status_url = confirm(owner_client, upload(owner_client))
    job = ImportJob.objects.get(user=owner)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    cache.set(jobs.progress_key(job.pk), {"phase": READING, "rows": 120000, "total": None, "at": 1e12})
    page = owner_client.get(status_url).content.decode()
    assert "<h1>Importing fd.csv</h1>" in page
    assert "Importing… 120,000 rows so far." in page and "nothing is saved until the whole file" in page
    cache.set(jobs.progress_key(job.pk), {"phase": SAVING, "rows": 250000, "total": 1000000, "at": 1e12})
    fragment = owner_client.get(status_url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "no-store" in fragment["Cache-Control"]
    text = fragment.content.decode()
    assert "<html" not in text and "(250,000 of 1,000,000 rows)" in text
    # No progress for a long while: say plainly that it may have stopped, and what that means.
    cache.set(jobs.progress_key(job.pk), {"phase": SAVING, "rows": 250000, "total": 1000000, "at": 1.0})
    assert "nothing from it is in your diary" in owner_client.get(status_url).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    jobs.run_import.call(job.pk)
    finished = owner_client.get(status_url, headers={"HX-Request": "true"})
    assert finished.status_code == 204 and finished["HX-Refresh"] == "true"
    assert cache.get(jobs.progress_key(job.pk)) is None


def test_the_worker_reports_progress_while_reading_and_saving(owner_client, owner, no_worker, monkeypatch):
    monkeypatch.setattr(flaredown, "PROGRESS_EVERY", 1)
    seen = []
    real_set = cache.set

    def spy(key, value, *args, **kwargs):
        if key.startswith("portability:import-progress:"):
            seen.append((value["phase"], value["rows"], value["total"]))
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    rows = "".join(f"u1,30,f,US,2017-05-{d:02d},1,Symptom,Fatigue,2\n" for d in range(1, 6))
    confirm(owner_client, upload(owner_client, HEADER + rows))
    jobs.run_import.call(ImportJob.objects.get(user=owner).pk)
    assert (READING, 5, None) in seen
    assert (SAVING, 3, 5) in seen and seen[-1] == (SAVING, 5, 5)
    assert ImportJob.objects.get(user=owner).rows == 5


def test_a_failure_half_way_leaves_nothing_written(owner_client, owner, no_worker, monkeypatch):
    status_url = confirm(owner_client, upload(owner_client))
    real_flush = flaredown.Writer.flush

    def flush_then_fail(self):
        real_flush(self)
        assert CheckIn.objects.filter(user=owner).exists()  # the rows were written inside the transaction ...
        raise RuntimeError("disk full")

    monkeypatch.setattr(flaredown.Writer, "flush", flush_then_fail)
    assert jobs.run_import.call(ImportJob.objects.get(user=owner).pk) == "failed"
    assert not CheckIn.objects.filter(user=owner).exists()  # ... and rolled back with it
    assert not SymptomScore.objects.exists() and not CheckInRevision.objects.exists()
    assert not owner.symptoms.filter(name__icontains="flaredown").exists()
    page = owner_client.get(status_url).content.decode()
    assert "<h1>Import failed</h1>" in page and "Something went wrong on our side" in page
    assert "Nothing from fd.csv was saved" in page
    assert 'http-equiv="refresh"' not in page
    assert not any(uploads.root().glob("*/*")), "the upload is deleted when the import fails, too"
    assert "Failed: nothing was saved" in owner_client.get("/me/data/").content.decode()


def test_a_changed_or_missing_upload_fails_with_a_clear_message(owner_client, owner, no_worker):
    status_url = confirm(owner_client, upload(owner_client))
    (next(uploads.root().glob("*/job-*")) / "upload").write_text(FILE + "u1,30,f,US,2017-04-27,1,Symptom,Fatigue,1\n")
    jobs.run_import.call(ImportJob.objects.get(user=owner).pk)
    page = owner_client.get(status_url).content.decode()
    assert "<h1>Import failed</h1>" in page and "is not the file you" in page and "upload it again" in page
    assert not CheckIn.objects.exists()


def test_a_refused_file_fails_with_the_readers_message(owner_client, owner, no_worker):
    content = HEADER + "u1,30,f,US,2017-04-25,1,Symptom,Fatigue,3\nu2,30,f,US,2017-04-26,1,Symptom,Fatigue,1\n"
    status_url = confirm(owner_client, upload(owner_client, content))  # forged: the preview offers no button here
    jobs.run_import.call(ImportJob.objects.get(user=owner).pk)
    assert "This file holds 2 people" in owner_client.get(status_url).content.decode()
    assert not CheckIn.objects.exists()


def test_finished_jobs_are_forgotten_after_a_week_and_old_job_files_swept(owner_client, owner, no_worker):
    confirm(owner_client, upload(owner_client))
    old = ImportJob.objects.get(user=owner)
    jobs.run_import.call(old.pk)
    ImportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))
    confirm(owner_client, upload(owner_client))
    assert list(ImportJob.objects.values_list("status", flat=True)) == ["queued"]
    assert uploads.sweep(now=timezone.now().timestamp() + 2 * 24 * 3600) == 0, "a queued job's file waits a week"
    assert uploads.sweep(now=timezone.now().timestamp() + 8 * 24 * 3600) == 1


def test_with_redis_a_long_import_is_not_killed_at_rqs_default_three_minutes(monkeypatch):
    import importlib

    import config.settings as project_settings

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
        assert reloaded.RQ_QUEUES["default"]["DEFAULT_TIMEOUT"] >= 30 * 60
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(project_settings)


def test_a_small_import_finishes_in_the_confirm_request_without_waiting_for_the_worker(owner_client, owner, settings):
    settings.TASKS = DUMMY  # a worker that never comes
    jobs.run_import.get_backend().clear()
    status_url = confirm(owner_client, upload(owner_client))
    job = ImportJob.objects.get(user=owner)
    assert job.status == ImportJob.Status.DONE
    assert jobs.run_import.get_backend().results == []  # nothing left queued for the worker
    assert "Import finished" in owner_client.get(status_url).content.decode()
