"""Issue 21: ``makemessages`` leaves no untranslated or fuzzy entry in Spanish or German.

The extraction runs for real (``makemessages``, which needs GNU gettext's
xgettext) into a copy of the catalogues, so a string marked in the code but
missing from the committed catalogue fails here as surely as an empty
translation. On a machine without gettext the extraction half is skipped,
except under CI, where it must run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LANGUAGES = ("es", "de")
DOMAINS = ("django", "djangojs")
# As ``make messages`` (the Makefile).
IGNORE = [".venv/*", "packages/*", "var/*", "node_modules/*", "benchmarks/*", "*/tests/*"]
EXTRA_IGNORE = {"django": ["static/*"], "djangojs": ["static/vendor/*", "static/admin/*"]}


def _catalogue(root: Path, language: str, domain: str):  # type: ignore[no-untyped-def]
    with open(root / language / "LC_MESSAGES" / f"{domain}.po", "rb") as po:
        return read_po(po, locale=language)


def _problems(catalogue) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for m in catalogue:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple | list) else [m.string]
        if m.fuzzy:
            out.append(f"fuzzy: {m.id!r}")
        elif not all(strings):
            out.append(f"untranslated: {m.id!r}")
        elif m.pluralizable and len(strings) != catalogue.num_plurals:
            out.append(f"{len(strings)} plural forms, not {catalogue.num_plurals}: {m.id!r}")
    return out


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_committed_catalogue_is_complete(language, domain):
    assert _problems(_catalogue(Path(settings.BASE_DIR) / "locale", language, domain)) == []


def test_extracting_the_messages_again_finds_nothing_new(tmp_path, monkeypatch):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is needed under CI to check the catalogues")
        pytest.skip("GNU gettext is not installed")
    committed = Path(settings.BASE_DIR) / "locale"
    shutil.copytree(committed, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.chdir(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[str(tmp_path / "locale")]):
        for domain, extra in EXTRA_IGNORE.items():
            call_command(
                "makemessages",
                locale=list(LANGUAGES),
                domain=domain,
                add_location="file",
                no_obsolete=True,
                ignore_patterns=IGNORE + extra,
                verbosity=0,
            )
    for language in LANGUAGES:
        for domain in DOMAINS:
            fresh = _catalogue(tmp_path / "locale", language, domain)
            old = _catalogue(committed, language, domain)
            new_ids = sorted(str(m.id) for m in fresh if m.id and old.get(m.id, context=m.context) is None)
            assert new_ids == [], f"{language}/{domain}: run makemessages and translate {new_ids[:10]}"
            assert _problems(fresh) == [], f"{language}/{domain}"
