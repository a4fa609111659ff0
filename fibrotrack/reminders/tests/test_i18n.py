"""Issue 21: reminders speak the recipient's language (their setting, else the site's), whoever runs the worker.

E-mails and Web Push messages are built by the worker, outside any request; the calendar feed is fetched
by a calendar app without a session. Each uses the person's own language, never the language that happens
to be active, and the pseudo-locale (⟦…⟧) shows that none of their words is left unmarked.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fibrotrack.accounts.forms import time_zone_choices
from fibrotrack.lib.testing.factories import UserFactory as _UserFactory
from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text
from fibrotrack.reminders import sync, tokens
from fibrotrack.reminders.actions import do_new_calendar_link, do_subscribe_push
from fibrotrack.reminders.models import ReminderSettings
from fibrotrack.reminders.tests.fakepush import Browser, push_service
from fibrotrack.reminders.tests.helpers import IMMEDIATE, local, run_at, travel
from fibrotrack.treatments.tests.helpers import start

NAME, DAY, EVENING = "Europe/Berlin", dt.date(2026, 6, 1), dt.time(20, 0)

UserFactory: Any = _UserFactory  # factory_boy is untyped


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Spanish leaves Spanish on for the thread (LocaleMiddleware activates, nothing resets):
    later tests that build texts outside a request expect the default."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _inline_worker(settings: Any, tmp_path: Any) -> None:
    settings.TASKS = IMMEDIATE
    settings.VAR_DIR = tmp_path


def person(language: str, **extra: Any) -> Any:
    """Someone with a daily check-in reminder at 20:00 and naltrexone at night, on its first plan step."""
    with travel(local(NAME, DAY, dt.time(9, 0))):
        user = UserFactory(time_zone=NAME, reminder_time=EVENING, language=language, **extra)
        regimen = start(user, "naltrexone", on=DAY, plan="ldn_standard", schedule="nightly", amount=None)
        sync.sync_doses(user, regimen, enabled=True)
    return user


def _mail_to(user: Any) -> list[Any]:
    """[check-in reminder, dose reminder] sent to ``user``."""
    sent = [m for m in mail.outbox if m.to == [user.email]]
    return sorted(sent, key=lambda m: "LDN" in m.subject)


def _run_evening_and_night() -> None:
    run_at(local(NAME, DAY, EVENING))
    run_at(local(NAME, DAY, sync.NIGHTLY_TIME))


def test_a_reminder_e_mail_is_in_german_for_a_german_speaker_and_in_english_for_an_english_one(db):
    german, english = person("de"), person("")
    # Whatever language the worker's thread has on, each e-mail is in its recipient's.
    with translation.override("es"):
        _run_evening_and_night()
    checkin, dose = _mail_to(german)
    assert dose.subject == "[FibroTrack] Naltrexon (LDN) 1 mg heute Abend"
    assert "Tippe auf „Genommen“, wenn du es genommen hast." in dose.body
    assert checkin.subject == "[FibroTrack] Zeit für deinen Eintrag"
    assert "Wie war heute? Es dauert keine Minute." in checkin.body
    assert "Du bekommst das, weil du bei FibroTrack eine Erinnerung eingestellt hast." in checkin.body
    assert "Diese E-Mails abbestellen:" in checkin.body
    checkin, dose = _mail_to(english)
    assert dose.subject == "[FibroTrack] Naltrexone (LDN) 1 mg tonight"
    assert checkin.subject == "[FibroTrack] Time for your check-in"
    assert "Stop these e-mails:" in checkin.body and "Zeit" not in checkin.body


def test_without_a_setting_the_site_default_is_used(db, settings):
    settings.LANGUAGE_CODE = "es"
    user = person("")
    _run_evening_and_night()
    checkin, dose = _mail_to(user)
    assert checkin.subject == "[FibroTrack] Es hora de tu registro"
    assert dose.subject == "[FibroTrack] Naltrexona (LDN) 1 mg esta noche"


def _push_payloads(user: Any) -> list[dict[str, Any]]:
    browser = Browser()
    ReminderSettings.objects.create(user=user, by_email=False)
    with push_service() as service:
        do_subscribe_push(user, endpoint=service.url("/d"), p256dh=browser.p256dh, auth=browser.auth_b64)
        _run_evening_and_night()
        received = list(service.received)
    return [json.loads(browser.decrypt(r.body)) for r in received]


def test_a_push_reminder_is_in_the_persons_language(db):
    checkin, dose = _push_payloads(person("es"))
    assert (checkin["title"], checkin["body"]) == (
        "Es hora de tu registro",
        "¿Qué tal hoy? Se tarda menos de un minuto.",
    )
    assert dose["title"] == "Naltrexona (LDN) 1 mg esta noche"
    assert dose["body"] == "Toca «Tomada» cuando lo hayas tomado."
    assert dose["taken"]["title"] == "Tomada"
    assert dose["url"].startswith("/") and dose["tag"].startswith("fibrotrack-reminder-")  # keys stay as they are


def test_the_calendar_feed_is_in_the_persons_language_not_the_calendar_apps(db):
    user = person("de")
    token = do_new_calendar_link(user)
    with travel(local(NAME, DAY, dt.time(9, 0))):
        response = Client().get(reverse("reminders:calendar", args=[token]), HTTP_ACCEPT_LANGUAGE="en")
    cal = icalendar.Calendar.from_ical(response.content)
    assert str(cal["x-wr-calname"]) == "FibroTrack-Erinnerungen"
    summaries = {str(e["summary"]) for e in cal.walk("VEVENT")}
    assert "Zeit für deinen Eintrag" in summaries and "Naltrexon (LDN) 1 mg" in summaries
    assert "Naltrexon (LDN) 4,5 mg" in summaries  # the plan's last step, with the German decimal mark


def test_the_unsubscribe_page_follows_the_persons_language(db):
    user = person("de")
    url = tokens.unsubscribe_url(user.pk)
    page = Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Erinnerungs-E-Mails abbestellen?" in page
    page = Client().post(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Erledigt: keine Erinnerungs-E-Mails mehr." in page


# Pseudo-locale: no word of a reminder is left unmarked --------------------------------------------------------


@pytest.fixture
def pseudo():
    with pseudo_locale():
        yield


def _plain(text: str) -> str:
    return f"<body><p>{html.escape(text)}</p></body>"


def test_reminder_e_mails_and_push_messages_have_no_untranslated_word(db, pseudo):
    user = person(PSEUDO)
    _run_evening_and_night()
    sent = _mail_to(user)
    assert len(sent) == 2
    for message in sent:
        links = [word for word in message.body.split() if word.startswith("http")]
        assert "⟦" in message.subject
        assert untranslated_text(_plain(message.subject)) == [], message.subject
        assert untranslated_text(_plain(message.body), ignore=links) == [], message.body
    mail.outbox.clear()
    other = person(PSEUDO)
    for payload in _push_payloads(other):
        words = [payload["title"], payload["body"], payload.get("taken", {}).get("title", "")]
        assert untranslated_text(_plain(" ".join(words))) == [], payload


def test_the_reminder_pages_have_no_untranslated_word(owner, owner_client, pseudo):
    start(owner, "magnesium", amount="200", schedule="daily", times=("08:00", "20:00"))
    start(owner, "naltrexone", plan="ldn_standard")
    do_new_calendar_link(owner)
    response = owner_client.get(reverse("reminders:settings"), HTTP_ACCEPT_LANGUAGE=PSEUDO)
    page = response.content.decode()
    assert "⟦Dose reminders⟧" in page
    feed = reverse("reminders:calendar", args=[owner.reminder_settings.calendar_token])
    # Time zones are named by their IANA identifiers, in no language.
    zones = [label for _, label in time_zone_choices()]
    assert untranslated_text(page, ignore=[owner.display_name, feed, *zones]) == []
    # A bad value: the form's own error messages.
    data = {"reminder_time": "late", "time_zone": "Mars/Olympus", "paused_until": "soon"}
    response = owner_client.post(reverse("reminders:settings"), data, HTTP_ACCEPT_LANGUAGE=PSEUDO)
    assert response.status_code == 400
    assert untranslated_text(response.content.decode(), ignore=[owner.display_name, feed, *zones]) == []
    url = tokens.unsubscribe_url(owner.pk)
    for response in (
        Client().get(url, HTTP_ACCEPT_LANGUAGE=PSEUDO),
        Client().post(url, HTTP_ACCEPT_LANGUAGE=PSEUDO),
        Client().get(url[:-5] + "abcde", HTTP_ACCEPT_LANGUAGE=PSEUDO),
    ):
        assert untranslated_text(response.content.decode()) == []


def test_the_calendar_feed_has_no_untranslated_word(db, pseudo):
    user = person(PSEUDO)
    token = do_new_calendar_link(user)
    with travel(local(NAME, DAY, dt.time(9, 0))):
        body = Client().get(reverse("reminders:calendar", args=[token])).content
    cal = icalendar.Calendar.from_ical(body)
    texts = [str(cal["x-wr-calname"]), *(str(e["summary"]) for e in cal.walk("VEVENT"))]
    assert all("⟦" in t for t in texts)
    assert untranslated_text(_plain(" ".join(texts))) == []
