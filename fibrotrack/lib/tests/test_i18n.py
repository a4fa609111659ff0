"""Issue 21: the language follows the person's setting, else the browser; the switcher; the catalogues."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
TODAY = reverse("diary:today")
SETLANG = reverse("set_language")

# The files of the daily check-in journey: every message they use is translated (issue 21's first slice).
# To add a journey: translate its messages, then add its files here.
SLICE = {
    "templates/base.html",
    "templates/diary/checkin.html",
    "templates/diary/checkin_conflict.html",
    "templates/diary/_bodymap.html",
    "templates/treatments/_checkin_section.html",
    "templates/treatments/_finding.html",
    "fibrotrack/diary/forms.py",
    "fibrotrack/diary/defaults.py",
    "fibrotrack/diary/regions.py",
    "fibrotrack/diary/conflicts.py",
    "fibrotrack/diary/views.py",
    "fibrotrack/treatments/checkin.py",
    "fibrotrack/treatments/schedule.py",
    "fibrotrack/treatments/catalogue.py",
    "fibrotrack/lib/i18n.py",
}


@pytest.mark.parametrize("language", ["es", "de"])
def test_the_check_in_slice_is_fully_translated(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    with open(path, "rb") as po:
        catalogue = read_po(po, locale=language)
    assert not catalogue.fuzzy
    in_slice = [m for m in catalogue if m.id and any(loc in SLICE for loc, _ in m.locations)]
    assert len(in_slice) > 150  # the slice is really there
    missing = [m.id for m in in_slice if m.fuzzy or not all(m.string if m.pluralizable else [m.string])]
    assert missing == []
    plurals = [m for m in in_slice if m.pluralizable]
    assert plurals and all(len(m.string) == catalogue.num_plurals for m in plurals)


def test_the_browsers_language_is_used_when_the_person_chose_none(owner, owner_client):
    page = owner_client.get(TODAY, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert '<html lang="de"' in page and "Wo tut es weh?" in page and "Schmerz" in page
    page = owner_client.get(TODAY, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Dónde te duele?" in page and "Dolor" in page


def test_the_persons_setting_wins_over_the_browser(owner, owner_client):
    owner.language = "es"
    owner.save()
    page = owner_client.get(TODAY, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="es"' in page and "¿Dónde te duele?" in page


def test_the_switcher_saves_a_signed_in_persons_setting(owner, owner_client):
    response = owner_client.post(SETLANG, {"language": "de", "next": TODAY})
    assert response.status_code == 302 and response["Location"] == TODAY
    owner.refresh_from_db()
    assert owner.language == "de"
    assert "Wo tut es weh?" in owner_client.get(TODAY).content.decode()


def test_the_switcher_works_signed_out_with_a_cookie_and_is_on_every_page():
    client = Client()
    page = client.get(reverse("account_login")).content.decode()
    assert 'action="/i18n/setlang/"' in page and "Español (traducción parcial)" in page
    client.post(SETLANG, {"language": "es", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_it_refuses_a_language_not_on_offer(owner, owner_client, settings):
    settings.FIBROTRACK_LANGUAGES_OFFERED = ["en", "es"]
    owner_client.post(SETLANG, {"language": "de", "next": TODAY})
    owner.refresh_from_db()
    assert owner.language == ""
    page = owner_client.get(TODAY, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Deutsch" not in page and "Where does it hurt?" in page


def test_the_settings_page_sets_and_clears_the_language(owner, owner_client):
    url = reverse("accounts:settings")
    form = {"time_zone": "UTC", "day_starts_at_hour": "4", "units": owner.units, "language": "de"}
    assert owner_client.post(url, {**form, "paper_size": owner.paper_size}).status_code == 302
    owner.refresh_from_db()
    assert owner.language == "de"
    owner_client.post(url, {**form, "language": "", "paper_size": owner.paper_size})
    owner.refresh_from_db()
    assert owner.language == ""


def test_the_javascript_catalogue_is_served():
    response = Client().get(reverse("javascript-catalog"), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200 and "django.gettext" in response.content.decode()
