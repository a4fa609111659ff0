"""Playwright journeys: download my data (JSON), and import a Flaredown file with preview -> confirm."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from fibrotrack.diary.models import CheckIn
from fibrotrack.lib.testing.browser import serious_accessibility_violations
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLAREDOWN = (
    "user_id,age,sex,country,checkin_date,trackable_id,trackable_type,trackable_name,trackable_value\n"
    "u1,30,female,US,2017-04-25,1,Symptom,Fatigue,4\n"
    "u1,30,female,US,2017-04-25,2,Treatment,Ibuprofen,400.0 mg\n"
    "u1,30,female,US,2017-04-25,3,Tag,Stress,\n"
    "u1,30,female,US,2017-04-26,1,Symptom,Fatigue,7\n"
)


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_download_my_data_as_json(logged_in_page, live_server, owner):
    import datetime as dt

    make_checkin(owner, dt.date(2024, 3, 1), note="A good day", pain=3)
    page = logged_in_page
    page.goto(f"{live_server.url}/me/settings/")
    page.get_by_role("link", name="Download or import my data").click()
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()
    assert serious_accessibility_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download FibroTrack JSON").click()
    download = download_info.value
    assert re.fullmatch(r"fibrotrack-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    document = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert document["format"] == "fibrotrack"
    assert document["checkins"][0]["note"] == "A good day"


def test_import_a_flaredown_file_with_preview_then_confirm(logged_in_page, live_server, owner, tmp_path):
    path = tmp_path / "flaredown.csv"
    path.write_text(FLAREDOWN)
    page = logged_in_page
    page.goto(f"{live_server.url}/me/data/")
    page.get_by_label("File to import").set_input_files(str(path))
    page.get_by_role("group", name="What kind of file is it?").get_by_text("Flaredown research export").click()
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Check your import")).to_be_visible()
    expect(page.get_by_text("Nothing has been saved yet.")).to_be_visible()
    expect(page.get_by_text("0→0, 1→3, 2→5, 3→8, 4→10", exact=False)).to_be_visible()
    problems = page.get_by_role("region", name=re.compile(r"Rows we cannot read \(1\)"))
    expect(problems).to_contain_text("row 5")
    expect(problems).to_contain_text("“7” is not a rating from 0 to 4")
    assert serious_accessibility_violations(page) == []
    assert not CheckIn.objects.filter(user=owner).exists()

    page.get_by_role("button", name="Import into my diary").click()
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    expect(page.get_by_role("table", name="What was saved")).to_contain_text("New diary days")
    assert serious_accessibility_violations(page) == []
    day = CheckIn.objects.get(user=owner)
    assert day.score_map == {owner.symptoms.get(key="fatigue").pk: 10}
    assert [t.name for t in day.tags.all()] == ["Stress"]


def test_the_status_page_follows_a_queued_import_until_it_is_done(
    logged_in_page, live_server, owner, tmp_path, settings, monkeypatch
):
    """No worker yet: the page says so; once the worker has run, htmx polling brings in the result."""
    from fibrotrack.portability import jobs
    from fibrotrack.portability.models import ImportJob

    monkeypatch.setattr(jobs, "RUN_AT_ONCE_BYTES", 0)  # a file this small would otherwise run at once
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    path = tmp_path / "flaredown.csv"
    path.write_text(FLAREDOWN)
    page = logged_in_page
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/me/data/")
    page.get_by_label("File to import").set_input_files(str(path))
    page.get_by_role("group", name="What kind of file is it?").get_by_text("Flaredown research export").click()
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name="Import into my diary").click()

    expect(page.get_by_role("heading", name="Importing flaredown.csv")).to_be_visible()
    expect(page.get_by_text("Queued: waiting for the background worker.")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    assert not CheckIn.objects.filter(user=owner).exists()

    jobs.run_import.call(ImportJob.objects.get(user=owner).pk)  # the worker takes it up
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    expect(page.get_by_role("table", name="What was saved")).to_contain_text("New diary days")
    assert CheckIn.objects.filter(user=owner).count() == 1  # the 26th's only row is bad (7 is not 0-4)
    assert not [e for e in errors if "Content Security Policy" in e]


def test_the_preview_asks_which_new_flaredown_scales_join_the_daily_check_in(
    logged_in_page, live_server, owner, tmp_path
):
    """At phone size (390x844): a condition starts unticked, a symptom ticked, and the ticks decide."""
    path = tmp_path / "flaredown.csv"
    path.write_text(
        "user_id,age,sex,country,checkin_date,trackable_id,trackable_type,trackable_name,trackable_value\n"
        "u1,30,female,DE,2017-04-25,1,Condition,Fibromyalgia,3\n"
        "u1,30,female,DE,2017-04-25,2,Condition,Headache,2\n"
        "u1,30,female,DE,2017-04-25,3,Symptom,Nausea,1\n"
    )
    page = logged_in_page
    assert page.viewport_size == {"width": 390, "height": 844}
    page.goto(f"{live_server.url}/me/data/")
    page.get_by_label("File to import").set_input_files(str(path))
    page.get_by_role("group", name="What kind of file is it?").get_by_text("Flaredown research export").click()
    page.get_by_role("button", name="Upload and preview").click()

    choice = page.get_by_role("group", name="Which of these new ones do you want to rate every day?")
    expect(choice).to_be_visible()
    fibro = choice.get_by_role("checkbox", name=re.compile("Fibromyalgia"))
    headache = choice.get_by_role("checkbox", name=re.compile("Headache"))
    nausea = choice.get_by_role("checkbox", name=re.compile("Nausea"))
    expect(fibro).not_to_be_checked()
    expect(headache).not_to_be_checked()
    expect(nausea).to_be_checked()
    box = headache.locator("xpath=..").bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 390  # a large target, on screen
    assert serious_accessibility_violations(page) == []

    headache.check()
    nausea.uncheck()
    page.get_by_role("button", name="Import into my diary").click()
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    active = set(owner.symptoms.filter(is_active=True, is_custom=True).values_list("name", flat=True))
    assert active == {"Headache"}
    assert set(owner.symptoms.filter(is_active=False).values_list("name", flat=True)) >= {"Fibromyalgia", "Nausea"}
