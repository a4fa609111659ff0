"""Issue 21: every message of the reports, the diary's pages, "Your data", the API and the shared plumbing
(base.html, lib/: navigation, charts, messages) is translated into Spanish and German, nothing fuzzy,
plurals with all their forms, and every placeholder kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings

# The area's files: these folders and files, not their tests.
AREA = re.compile(
    r"^(templates/(reports|diary|portability|api)/|templates/base\.html$|templates/_[^/]*\.html$"
    r"|fibrotrack/(reports|diary|portability|api|lib)/)"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0]*\d*(?:\.\d+)?[sdif]|\{\w+\}")


def _catalogue(language: str) -> Catalog:
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    with open(path, "rb") as po:
        return read_po(po, locale=language)


def _in_area(message: Message) -> bool:
    return any(AREA.match(location) and "/tests/" not in location for location, _line in message.locations)


@pytest.mark.parametrize("language", ["es", "de"])
def test_the_reports_diary_data_and_api_pages_are_fully_translated(language):
    catalogue = _catalogue(language)
    assert not catalogue.fuzzy
    mine = [m for m in catalogue if m.id and _in_area(m)]
    assert len(mine) > 900  # the area is really there
    missing = [m.id for m in mine if m.fuzzy or not all(m.string if m.pluralizable else [m.string])]
    assert missing == []
    plurals = [m for m in mine if m.pluralizable]
    assert len(plurals) > 20 and all(len(m.string) == catalogue.num_plurals for m in plurals)


@pytest.mark.parametrize("language", ["es", "de"])
def test_every_translation_keeps_the_placeholders_of_its_message(language):
    wrong = []
    for m in _catalogue(language):
        if not (m.id and _in_area(m)):
            continue
        if m.pluralizable:
            expected = set(PLACEHOLDER.findall(m.id[1]))
            for form in m.string:
                if not set(PLACEHOLDER.findall(form)) <= expected:
                    wrong.append((m.id, form))
            if set(PLACEHOLDER.findall(m.string[-1])) != expected:
                wrong.append((m.id, m.string[-1]))
        elif sorted(PLACEHOLDER.findall(m.string)) != sorted(PLACEHOLDER.findall(m.id)):
            wrong.append((m.id, m.string))
    assert wrong == []


def test_spanish_says_tu_never_usted():
    """The catalogue speaks to the person as a friend would (issue 21)."""
    spanish = " ".join(m.string for m in _catalogue("es") if m.id and _in_area(m) and isinstance(m.string, str))
    assert not re.search(r"\busted(es)?\b", spanish.lower())
