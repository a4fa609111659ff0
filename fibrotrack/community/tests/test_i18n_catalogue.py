"""Issue 21: every message used by the community, accounts and knowledge files is translated in es and de."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

# The files of this slice: every message located in them must be translated, with no fuzzy entry.
AREA = (
    "templates/community/",
    "templates/accounts/",
    "templates/allauth/",
    "templates/admin/",
    "templates/knowledge/",
    "templates/home.html",
    "templates/offline.html",
    "fibrotrack/community/",
    "fibrotrack/accounts/",
    "fibrotrack/knowledge/",
)


@pytest.mark.parametrize("language", ["es", "de"])
def test_the_community_accounts_and_knowledge_files_are_fully_translated(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    with open(path, "rb") as po:
        catalogue = read_po(po, locale=language)
    in_area = [m for m in catalogue if m.id and any(loc.startswith(AREA) for loc, _ in m.locations)]
    assert len(in_area) > 900  # the slice is really there
    missing = [m.id for m in in_area if m.fuzzy or not all(m.string if m.pluralizable else [m.string])]
    assert missing == []
    plurals = [m for m in in_area if m.pluralizable]
    assert plurals and all(len(m.string) == catalogue.num_plurals for m in plurals)
    # A translation keeps every placeholder of its message (a lost one would fail at run time or hide data).
    for m in in_area:
        ids = m.id if m.pluralizable else [m.id]
        strings = m.string if m.pluralizable else [m.string]
        wanted = {p for i in ids for p in _placeholders(i)}
        for s in strings[1:] if m.pluralizable else strings:
            assert _placeholders(s) == wanted, (m.id, s)


def _placeholders(text):
    import re

    return set(re.findall(r"%\(\w+\)s|\{\w+\}", text))
