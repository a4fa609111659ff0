"""An import preview only reads: it never opens a transaction, so it never holds SQLite's write lock.

It once ran the whole import and rolled it back; on SQLite that kept everyone
else's saves waiting for as long as the preview took, and failed them with
"database is locked" when several previews ran at once.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fibrotrack.diary.actions import CheckInData, do_save_checkin
from fibrotrack.diary.models import CheckIn
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.portability.codecs import diary as diary_codec
from fibrotrack.portability.export_csv import export_csv
from fibrotrack.portability.export_json import export_json
from fibrotrack.portability.imports import reader
from fibrotrack.portability.imports.base import Options
from fibrotrack.portability.tests.portability_helpers import fill_account

SAVE_SECONDS = 3.0  # a save normally takes milliseconds; the lock's busy timeout is 20 s


@pytest.mark.django_db
@pytest.mark.parametrize(("fmt", "export"), [("fibrotrack-csv", export_csv), ("fibrotrack-json", export_json)])
def test_the_preview_runs_no_write_and_no_transaction(owner, tmp_path, monkeypatch, fmt, export):
    fill_account(owner, days=15)
    path = tmp_path / "export"
    path.write_bytes(export(owner))
    target = UserFactory()
    seen: list[int] = []
    real = diary_codec.parse_checkin
    test_blocks = len(connection.atomic_blocks)  # the test's own transaction

    def parse(*args, **kwargs):
        seen.append(len(connection.atomic_blocks) - test_blocks)
        return real(*args, **kwargs)

    monkeypatch.setattr(diary_codec, "parse_checkin", parse)
    with CaptureQueriesContext(connection) as queries:
        preview = reader(fmt).preview(path, target, Options())
    assert seen and not any(seen)  # parsing the records happens outside any transaction
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    assert set(statements) == {"SELECT"}, statements
    assert dict(preview.changes)["New diary days"] == CheckIn.objects.filter(user=owner).count()


@pytest.mark.django_db(transaction=True)
def test_someone_elses_save_goes_through_while_a_preview_is_parsing(owner, tmp_path, monkeypatch):
    """The preview is held in the middle of its parsing while another person saves their day."""
    fill_account(owner, days=30)
    path = tmp_path / "export.csv"
    path.write_bytes(export_csv(owner))
    target, other = UserFactory(), UserFactory()
    parsing, saved = threading.Event(), threading.Event()
    real = diary_codec.parse_checkin

    def slow_parse(*args, **kwargs):
        parsing.set()
        saved.wait(timeout=30)
        return real(*args, **kwargs)

    monkeypatch.setattr(diary_codec, "parse_checkin", slow_parse)
    failures: list[BaseException] = []

    def run_preview() -> None:
        try:
            reader("fibrotrack-csv").preview(path, target, Options())
        except BaseException as error:  # reported in the main thread
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run_preview)
    thread.start()
    try:
        assert parsing.wait(timeout=30), "the preview never reached its parsing"
        started = time.monotonic()
        do_save_checkin(other, diary_day(other) - dt.timedelta(days=1), CheckInData(scores={}, note="saved meanwhile"))
        took = time.monotonic() - started
    finally:
        saved.set()
        thread.join(timeout=60)
    assert not failures, failures
    assert took < SAVE_SECONDS
    assert CheckIn.objects.get(user=other).note == "saved meanwhile"
    assert not CheckIn.objects.filter(user=target).exists()


@pytest.mark.django_db
def test_a_fibrotrack_file_over_the_preview_limit_is_refused_with_a_reason(owner_client, monkeypatch):
    from fibrotrack.portability import forms

    monkeypatch.setattr(forms, "MAX_DOCUMENT_UPLOAD", 100)
    content = ",".join(forms.FORMATS) * 10
    for fmt, status in (("fibrotrack-csv", 400), ("flaredown-research", 302)):
        data = {"file": SimpleUploadedFile("big.csv", content.encode(), "text/csv"), "format": fmt, "weather": "note"}
        response = owner_client.post(reverse("data:upload"), data)
        assert response.status_code == status
        if status == 400:
            assert "can be up to 40 MB" in response.content.decode()


@pytest.mark.django_db
def test_the_preview_lists_the_bad_diary_records_that_confirming_leaves_out(owner, tmp_path):
    fill_account(owner, days=6)
    document = json.loads(export_json(owner))
    document["checkins"][0]["scores"]["pain"] = 11
    document["checkins"][2]["tags"] = ["no_such_tag"]
    document["symptoms"].append({"key": "odd", "name": "Odd", "scale_min": 5, "scale_max": 50})
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    target = UserFactory()
    preview = reader("fibrotrack-json").preview(path, target, Options())
    result = reader("fibrotrack-json").apply(path, target, Options())
    assert {(p.location, p.reason) for p in preview.problems} == {(p.location, p.reason) for p in result.problems}
    assert preview.problem_count == 3
    assert dict(preview.changes)["New diary days"] == CheckIn.objects.filter(user=target).count()
