"""Issue 21: the language follows the person's setting, else the browser; the switcher.

(That the catalogues are complete is test_i18n_complete.py's.)
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
TODAY = reverse("diary:today")
SETLANG = reverse("set_language")


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
    assert 'action="/i18n/setlang/"' in page
    # Spanish and German are complete: offered by their names alone, each in its own language.
    assert '<option value="es" lang="es">Español</option>' in page
    assert '<option value="de" lang="de">Deutsch</option>' in page
    client.post(SETLANG, {"language": "es", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_a_language_still_being_translated_says_so_in_that_language(settings):
    settings.FIBROTRACK_LANGUAGES_PARTIAL = ["de"]
    page = Client().get(reverse("account_login")).content.decode()
    assert "Deutsch (teilweise übersetzt)" in page and '<option value="es" lang="es">Español</option>' in page


def test_the_settings_page_names_each_language_in_its_own_language(owner_client):
    page = owner_client.get(reverse("accounts:settings"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<option value="de" lang="de">Deutsch</option>' in page
    assert '<option value="" selected>Automático</option>' in page


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
