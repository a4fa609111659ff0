"""Issue 21: the account pages and the home page are translated (pseudo-locale ⟦…⟧, then Spanish and German).

The sign-in and sign-up pages are allauth's templates in our layout: allauth's words come with allauth's
own catalogues (which have Spanish and German), so on those pages a word is acceptable when allauth's
catalogue translates it; every other word must be ours and marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import allauth
import django.conf
import django.contrib.auth
import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po
from django.test import Client
from django.urls import reverse

from fibrotrack.accounts import onboarding_steps
from fibrotrack.lib.i18n import offered_languages
from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text

pytestmark = pytest.mark.django_db
IN_PSEUDO = {"HTTP_ACCEPT_LANGUAGE": PSEUDO}


@pytest.fixture
def pseudo():
    with pseudo_locale():
        yield


def _messages() -> Iterator[Message]:
    """allauth's and Django's (the password rules) Spanish catalogues: what they translate themselves."""
    for package in (allauth, django.contrib.auth, django.conf):
        with open(Path(str(package.__file__)).parent / "locale" / "es" / "LC_MESSAGES" / "django.po", "rb") as po:
            yield from read_po(po)


@cache
def _allauths_words() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    words, patterns = set(), []
    for message in _messages():
        for text in message.id if isinstance(message.id, tuple | list) else (message.id,):
            if text and message.string:
                text = " ".join(text.split())
                words.add(text)
                if "%(" in text:  # a sentence around a link: "%(link)ssign up%(end_link)s first"
                    parts = re.split(r"%\(\w+\)[sd]", text)
                    patterns.append(re.compile(".*?".join(re.escape(p) for p in parts)))
    return frozenset(words), tuple(patterns)


def _allauths(text):
    words, patterns = _allauths_words()
    return text in words or any(p.fullmatch(text) for p in patterns)


def _zone(text):
    """A time zone's IANA name as the list shows it ("America/Buenos Aires", "UTC"): not ours to translate."""
    return text == "UTC" or re.fullmatch(r"[A-Z][\w+-]*(/[\w+ -]+)+", text) is not None


def _page(client, url):
    response = client.get(url, **IN_PSEUDO)
    assert response.status_code == 200, url
    return re.sub(r"</?(?:a|strong|em|time)\b[^>]*>", "", response.content.decode())


def test_the_settings_welcome_and_delete_pages_have_no_untranslated_word(owner, owner_client, pseudo, monkeypatch):
    # Each language is offered under its own name ("Deutsch"), as the switcher does.
    names = [name for _code, name in offered_languages()]
    for url in (reverse("accounts:settings"), reverse("accounts:delete")):
        page = _page(owner_client, url)
        assert "⟦" in page
        # Time-zone names (Europe/Madrid) are the IANA database's own names.
        found = [t for t in untranslated_text(page, ignore=[owner.display_name, *names]) if not _zone(t)]
        assert found == [], url
    owner.onboarded_at = None
    owner.save()
    # The other apps' steps ("What do you want to track?") are their slices' words, checked by their tests.
    monkeypatch.setattr(onboarding_steps, "registered", list)
    page = _page(owner_client, reverse("accounts:onboarding"))
    assert "⟦Start my diary⟧" in page
    found = [t for t in untranslated_text(page, ignore=[owner.display_name]) if not _zone(t)]
    assert found == []


def test_the_home_page_has_no_untranslated_word(pseudo):
    page = _page(Client(), reverse("home"))
    assert "⟦Keep track of fibromyalgia, one day at a time⟧" in page
    assert untranslated_text(page) == []


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_the_sign_in_pages_have_only_words_that_allauth_or_we_translate(name, pseudo):
    page = _page(Client(), reverse(name))
    left = [text for text in untranslated_text(page) if not _allauths(text)]
    assert left == []


def test_the_settings_and_sign_in_pages_in_spanish_and_german(owner_client):
    page = owner_client.get(reverse("accounts:settings"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Inicio de sesión y seguridad" in page and "Borrar mi cuenta y todos mis datos" in page
    page = owner_client.get(reverse("accounts:settings"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Anmeldung und Sicherheit" in page and "Mein Konto und alle meine Daten löschen" in page
    page = Client().get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Anmeldung" in page and "Passwort vergessen?" in page  # allauth's own German
    page = Client().get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Crea tu cuenta gratis" in page
