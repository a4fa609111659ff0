"""Importing a watch's export: measures, hours slept offered but never overwritten, idempotent, owner-only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fibrotrack.diary.models import CheckIn, CheckInRevision, DailyMeasure
from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.portability.imports import reader
from fibrotrack.portability.imports.base import ImportRefused, Options
from fibrotrack.portability.models import ImportJob
from fibrotrack.portability.tests.wearable_helpers import APPLE_SAMPLE, SAMPLES, sleep, steps, write_apple

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _berlin(owner, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    owner.time_zone = "Europe/Berlin"
    owner.save(update_fields=["time_zone"])


def _state(user):
    return (
        sorted(DailyMeasure.objects.filter(user=user).values_list("day", "kind", "value", "source")),
        sorted(CheckIn.objects.filter(user=user).values_list("day", "hours_slept")),
        CheckInRevision.objects.filter(user=user).count(),
    )


def test_apple_import_writes_measures_and_offers_hours_slept(owner):
    result = reader("apple-health").apply(APPLE_SAMPLE, owner, Options())
    measures = {(m.day, m.kind): (m.value, m.source) for m in DailyMeasure.objects.filter(user=owner)}
    assert measures == {
        (D(2024, 3, 9), "steps"): (Decimal("5700.00"), "Apple Health: Jo’s Apple Watch"),
        (D(2024, 3, 10), "sleep_hours"): (Decimal("7.75"), "Apple Health"),
        (D(2024, 3, 10), "resting_hr"): (Decimal("58.00"), "Apple Health"),
        (D(2024, 3, 10), "hrv_sdnn"): (Decimal("45.00"), "Apple Health"),
        (D(2024, 3, 12), "sleep_hours"): (Decimal("7.50"), "Apple Health"),
    }
    # No check-in on those days yet: each gets one holding only the hours slept, with a revision.
    assert dict(CheckIn.objects.filter(user=owner).values_list("day", "hours_slept")) == {
        D(2024, 3, 10): Decimal("7.75"),
        D(2024, 3, 12): Decimal("7.50"),
    }
    assert CheckInRevision.objects.filter(user=owner, action="created").count() == 2
    assert dict(result.written)["New daily measures"] == 5


def test_importing_the_same_file_twice_changes_nothing(owner):
    make_checkin(owner, D(2024, 3, 10), hours_slept=Decimal("6.5"))
    reader("apple-health").apply(APPLE_SAMPLE, owner, Options())
    first = _state(owner)
    result = reader("apple-health").apply(APPLE_SAMPLE, owner, Options())
    assert _state(owner) == first
    assert result.total == 0
    preview = reader("apple-health").preview(APPLE_SAMPLE, owner, Options())
    changes = dict(preview.changes)
    assert changes["New daily measures"] == 0 and changes["Daily measures updated"] == 0


def test_hours_the_person_typed_are_kept_unless_they_choose_the_watchs(owner):
    make_checkin(owner, D(2024, 3, 10), hours_slept=Decimal("6.5"), pain=4)
    make_checkin(owner, D(2024, 3, 12), pain=3)  # a day without hours slept: filled in
    preview = reader("apple-health").preview(APPLE_SAMPLE, owner, Options())
    assert preview.conflicts == [(D(2024, 3, 10), "6.50", "7.75")]
    reader("apple-health").apply(APPLE_SAMPLE, owner, Options())
    assert CheckIn.objects.get(user=owner, day=D(2024, 3, 10)).hours_slept == Decimal("6.5")
    assert CheckIn.objects.get(user=owner, day=D(2024, 3, 12)).hours_slept == Decimal("7.5")

    loaded = CheckIn.objects.get(user=owner, day=D(2024, 3, 10)).updated_at  # a check-in form's version
    reader("apple-health").apply(APPLE_SAMPLE, owner, Options(replace_sleep=True))
    day = CheckIn.objects.get(user=owner, day=D(2024, 3, 10))
    assert day.updated_at > loaded  # so a form loaded before the import asks instead of overwriting
    assert day.hours_slept == Decimal("7.75") and day.score_map  # the pain score stays
    revision = CheckInRevision.objects.filter(user=owner, day=D(2024, 3, 10)).first()
    assert revision.changes["hours_slept"] == ["6.50", "7.75"]


def test_a_changed_export_updates_the_measures(owner, tmp_path):
    path = write_apple(tmp_path / "export.xml", steps("2024-03-09 10:00:00 +0100", 100))
    reader("apple-health").apply(path, owner, Options())
    path = write_apple(tmp_path / "export.xml", steps("2024-03-09 10:00:00 +0100", 250))
    result = reader("apple-health").apply(path, owner, Options())
    assert DailyMeasure.objects.get(user=owner).value == Decimal("250")
    assert dict(result.written)["Daily measures updated"] == 1


def test_fitbit_and_google_fit_import(owner):
    reader("fitbit").apply(SAMPLES / "fitbit_resting_heart_rate-2024-03-09.json", owner, Options())
    reader("google-fit").apply(SAMPLES / "google_fit_daily_activity_metrics.csv", owner, Options())
    assert sorted(DailyMeasure.objects.filter(user=owner).values_list("day", "kind", "value", "source")) == [
        (D(2024, 3, 9), "resting_hr", Decimal("61.42"), "Fitbit"),
        (D(2024, 3, 9), "steps", Decimal("5123.00"), "Google Fit"),
        (D(2024, 3, 10), "steps", Decimal("2011.00"), "Google Fit"),
    ]


def test_the_preview_only_reads(owner):
    make_checkin(owner, D(2024, 3, 10), hours_slept=Decimal("6.5"))
    before = _state(owner)
    with CaptureQueriesContext(connection) as queries:
        preview = reader("apple-health").preview(APPLE_SAMPLE, owner, Options())
    assert {q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries} == {"SELECT"}
    assert len(queries.captured_queries) <= 3
    assert _state(owner) == before
    assert dict(preview.changes)["New daily measures"] == 5


def test_a_refused_file_changes_nothing(owner, tmp_path):
    reader("apple-health").apply(APPLE_SAMPLE, owner, Options())
    before = _state(owner)
    bomb = tmp_path / "export.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY a "aaaa">]><HealthData>&a;</HealthData>')
    whole = write_apple(
        tmp_path / "export.zip", sleep("2024-03-10 00:00:00 +0100", "2024-03-10 05:00:00 +0100"), zipped=True
    )
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[:-30])
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n1,2\n")
    for fmt, path in (("apple-health", bomb), ("apple-health", cut), ("google-fit", wrong), ("fitbit", wrong)):
        with pytest.raises(ImportRefused):
            reader(fmt).apply(path, owner, Options())
    assert _state(owner) == before


def _upload(client, path, fmt):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes()), "format": fmt, "weather": "note"}
    response = client.post("/me/data/import/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_the_pages_preview_then_import_in_the_background(owner_client, owner):
    make_checkin(owner, D(2024, 3, 10), hours_slept=Decimal("6.5"))
    preview_url = _upload(owner_client, APPLE_SAMPLE, "apple-health")
    page = owner_client.get(preview_url).content.decode()
    assert "Hours slept you typed yourself" in page and "7.75" in page and 'name="replace_sleep"' in page
    assert not DailyMeasure.objects.exists()
    response = owner_client.post(preview_url + "confirm/", {"replace_sleep": "1"})
    assert response["Location"] == preview_url + "status/"
    job = ImportJob.objects.get(user=owner)
    assert job.replace_sleep and job.status == "done", job.error
    assert "Import finished" in owner_client.get(response["Location"]).content.decode()
    assert CheckIn.objects.get(user=owner, day=D(2024, 3, 10)).hours_slept == Decimal("7.75")
    assert DailyMeasure.objects.filter(user=owner).count() == 5


def test_a_refused_upload_says_why_on_the_preview(owner_client, tmp_path):
    bad = tmp_path / "Daily activity metrics.csv"
    bad.write_text("not,the,right\ncolumns,at,all\n")
    page = owner_client.get(_upload(owner_client, bad, "google-fit")).content.decode()
    assert "Daily activity metrics.csv" in page and "Step count" in page
    assert "Import into my diary" not in page


def test_another_persons_import_is_a_404(owner_client, stranger_client, owner):
    preview_url = _upload(owner_client, APPLE_SAMPLE, "apple-health")
    assert stranger_client.get(preview_url).status_code == 404
    assert stranger_client.post(preview_url + "confirm/").status_code == 404
    owner_client.post(preview_url + "confirm/")
    assert stranger_client.get(preview_url + "status/").status_code == 404
    assert owner_client.get(preview_url + "status/").status_code == 200


def test_a_watch_export_may_be_larger_than_other_imports(owner):
    from fibrotrack.portability.forms import MAX_UPLOAD, ImportForm

    for fmt, ok in (("apple-health", True), ("flaredown-research", False)):
        big = SimpleUploadedFile("export.zip", b"PK")
        big.size = MAX_UPLOAD + 1
        form = ImportForm({"format": fmt, "weather": "note"}, {"file": big})
        assert form.is_valid() is ok, form.errors


def test_a_large_upload_is_read_by_the_worker_and_read_only_once(owner_client, owner, monkeypatch):
    from fibrotrack.portability.wearables import apple, background

    monkeypatch.setattr(background, "INLINE_BYTES", 100)  # the sample is "large"
    calls = []
    real = apple.read

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setitem(background.READERS, "apple-health", counting)
    preview_url = _upload(owner_client, APPLE_SAMPLE, "apple-health")
    first = owner_client.get(preview_url)
    # The (immediate, in tests) worker has read it; the request itself only enqueued it and says so.
    assert "Reading your file" in first.content.decode() and calls == [1]
    polled = owner_client.get(preview_url, headers={"HX-Request": "true"})
    assert polled.status_code == 204 and polled["HX-Refresh"] == "true"
    page = owner_client.get(preview_url).content.decode()
    assert "What will happen" in page and calls == [1]
    owner_client.post(preview_url + "confirm/")
    assert ImportJob.objects.get(user=owner).status == "done"
    assert DailyMeasure.objects.filter(user=owner).count() == 5
    assert calls == [1]  # the import wrote the summary the preview kept; it did not read 2 GB again


def test_a_refusal_found_by_the_worker_shows_on_the_preview(owner_client, monkeypatch, tmp_path):
    from fibrotrack.portability.wearables import background

    monkeypatch.setattr(background, "INLINE_BYTES", 10)
    bomb = tmp_path / "export.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY a "aaaa">]><HealthData>&a;</HealthData>')
    preview_url = _upload(owner_client, bomb, "apple-health")
    owner_client.get(preview_url)
    page = owner_client.get(preview_url).content.decode()
    assert "declares XML entities" in page and "Import into my diary" not in page


@pytest.mark.parametrize("fmt", ["fibrotrack-json", "fibrotrack-csv"])
def test_measures_are_in_the_export_and_read_back(owner, stranger, tmp_path, fmt):
    from fibrotrack.portability.export_csv import export_csv
    from fibrotrack.portability.export_json import export_json

    reader("apple-health").apply(APPLE_SAMPLE, owner, Options())
    path = tmp_path / "export"
    path.write_bytes((export_json if fmt == "fibrotrack-json" else export_csv)(owner))
    assert b"5700.00" in path.read_bytes() and b"hrv_sdnn" in path.read_bytes()
    reader(fmt).apply(path, stranger, Options())
    mine = DailyMeasure.objects.filter(user=owner).values_list("day", "kind", "value", "source")
    assert sorted(DailyMeasure.objects.filter(user=stranger).values_list("day", "kind", "value", "source")) == sorted(
        mine
    )
    result = reader(fmt).apply(path, stranger, Options())  # again: nothing new
    assert dict(result.written).get("Daily measures from devices (steps, heart rate, sleep)") == 0


def test_deleting_the_account_deletes_the_measures_and_the_uploads(
    owner_client, owner, django_capture_on_commit_callbacks
):
    from fibrotrack.lib.testing.factories import PASSWORD
    from fibrotrack.portability import uploads

    reader("apple-health").apply(APPLE_SAMPLE, owner, Options())
    assert DailyMeasure.objects.filter(user=owner).exists()
    _upload(owner_client, APPLE_SAMPLE, "apple-health")  # waiting for its confirmation
    assert any(uploads.root().glob(f"{owner.pk}/*/upload"))
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("accounts:delete"), {"posts": "delete", "confirm": "DELETE", "password": PASSWORD}
        )
    assert response.status_code == 302
    assert not DailyMeasure.objects.exists()
    assert not (uploads.root() / str(owner.pk)).exists()


def test_the_command_line_previews_and_imports_a_watch_export(owner):
    import io

    from django.core.management import call_command

    make_checkin(owner, D(2024, 3, 10), hours_slept=Decimal("6.5"))
    out = io.StringIO()
    call_command(
        "import_data", str(APPLE_SAMPLE), "--user", owner.email, "--format", "apple-health", "--dry-run", stdout=out
    )
    assert "Hours slept on 2024-03-10: typed 6.50, device 7.75" in out.getvalue()
    assert not DailyMeasure.objects.exists()
    call_command(
        "import_data",
        str(APPLE_SAMPLE),
        "--user",
        owner.email,
        "--format",
        "apple-health",
        "--replace-sleep",
        stdout=out,
    )
    assert CheckIn.objects.get(user=owner, day=D(2024, 3, 10)).hours_slept == Decimal("7.75")


def test_a_small_zip_that_unpacks_large_is_read_by_the_worker(owner_client, owner, monkeypatch, tmp_path):
    from fibrotrack.portability.wearables import background

    monkeypatch.setattr(background, "INLINE_BYTES", 5000)
    zipped = write_apple(
        tmp_path / "export.zip", *[steps(f"2024-03-09 10:{m:02d}:00 +0100", 5) for m in range(60)], zipped=True
    )
    assert zipped.stat().st_size < 5000  # the zip is small; what it holds is not
    page = owner_client.get(_upload(owner_client, zipped, "apple-health")).content.decode()
    assert "Reading your file" in page
