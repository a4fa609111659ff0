"""Issue 21: the daily check-in in Spanish and German in a real browser, by the browser's language
and by the footer's switcher; the day saved is the same whatever the language."""

import re

import pytest
from django.urls import reverse

from fibrotrack.diary.models import CheckIn
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rate(page, symptom, value):
    page.get_by_role("group", name=re.compile(f"^{symptom}")).get_by_role("radio", name=str(value), exact=True).check()


@pytest.fixture
def berlin_owner(owner):
    # Berlin has DST: the diary day is the local date with the day boundary (lib/dates.py), not UTC's.
    owner.time_zone = "Europe/Berlin"
    owner.save()
    return owner


@pytest.mark.parametrize(
    ("locale", "heading", "pain", "saved", "english"),
    [
        ("es-ES", "¿Dónde te duele?", "Dolor", "Bien hecho por registrarlo", "Where does it hurt?"),
        ("de-DE", "Wo tut es weh?", "Schmerz", "Gut gemacht", "Where does it hurt?"),
    ],
)
def test_the_check_in_follows_the_browsers_language(
    _playwright_browser, live_server, berlin_owner, locale, heading, pain, saved, english
):
    context = _playwright_browser.new_context(viewport={"width": 390, "height": 844}, locale=locale)
    context.set_default_timeout(10_000)
    try:
        log_in(context, live_server.url, berlin_owner)
        page = context.new_page()
        page.goto(live_server.url + reverse("diary:today"))
        assert page.locator("html").get_attribute("lang") == locale[:2]
        body = page.locator("body").inner_text()
        assert heading in body and english not in body
        _rate(page, pain, 6)
        page.locator("form.checkin button[type=submit]").click()
        page.get_by_text(saved).wait_for()
        checkin = CheckIn.objects.get(user=berlin_owner)
        assert checkin.day == diary_day(berlin_owner)
        assert {s.symptom.key: s.value for s in checkin.scores.select_related("symptom")} == {"pain": 6}
    finally:
        context.close()


def test_the_switcher_changes_the_language_and_keeps_it(logged_in_page, live_server, berlin_owner):
    page = logged_in_page
    page.goto(live_server.url + reverse("diary:today"))
    assert "Where does it hurt?" in page.locator("body").inner_text()
    page.get_by_role("link", name="More").click()  # on a phone the switcher is under "More"
    page.get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url(re.compile(reverse("diary:today") + "$"))
    assert "Wo tut es weh?" in page.locator("body").inner_text()
    berlin_owner.refresh_from_db()
    assert berlin_owner.language == "de"
    _rate(page, "Erschöpfung", 4)
    page.get_by_role("button", name=re.compile("speichern$")).click()
    page.get_by_text("Gut gemacht").wait_for()
    assert CheckIn.objects.get(user=berlin_owner).day == diary_day(berlin_owner)
