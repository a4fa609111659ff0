"""Issue 21: every message of the studies app is translated in Spanish and German, and the pages really show it."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

from fibrotrack.studies.tests.enrol_helpers import join, make_code, open_study, user

STUDIES_FILES = ("fibrotrack/studies/", "templates/studies/")


def _studies_messages(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    with open(path, "rb") as po:
        catalogue = read_po(po, locale=language)
    located = [m for m in catalogue if m.id and any(loc.startswith(STUDIES_FILES) for loc, _ in m.locations)]
    return catalogue, located


@pytest.mark.parametrize("language", ["es", "de"])
def test_every_message_of_the_studies_app_is_translated(language):
    catalogue, located = _studies_messages(language)
    assert len(located) > 400  # the studies messages are really there
    missing = [m.id for m in located if m.fuzzy or not all(m.string if m.pluralizable else [m.string])]
    assert missing == []


@pytest.mark.parametrize(("language", "forms"), [("es", 3), ("de", 2)])
def test_the_studies_plurals_have_every_form_of_the_language(language, forms):
    catalogue, located = _studies_messages(language)
    plurals = [m for m in located if m.pluralizable]
    assert catalogue.num_plurals == forms
    assert len(plurals) >= 10 and all(len(m.string) == forms for m in plurals)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("es", ["Formulario de consentimiento", "Participar es decisión tuya", "Firmar y continuar"]),
        ("de", ["Einwilligungserklärung", "Die Teilnahme ist deine Entscheidung", "Unterschreiben und weiter"]),
    ],
)
def test_the_consent_page_is_in_the_persons_language(client, language, words):
    study, pi = open_study()
    code = make_code(study, pi)
    client.force_login(user())
    page = client.get(reverse("studies:join_code", args=[code]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert all(word in page for word in words), words


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [("es", ["Seguimiento", "Flujo de participantes", "aleatorizados"]), ("de", ["Monitoring", "randomisiert"])],
)
def test_the_monitoring_page_is_in_the_persons_language(client, language, words):
    study, pi = open_study()
    join(study, pi)
    client.force_login(pi)
    page = client.get(reverse("studies:monitoring", args=[study.uuid]), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    assert all(word in page.content.decode() for word in words), words
