"""Issue 21: the words our JavaScript shows go through Django's JavaScript catalogue, translated in es and de."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.urls import reverse

JS = Path(settings.BASE_DIR) / "static" / "js"
# The service worker's files show only texts the server sends (a reminder's title, "Taken"), already
# translated for the person; their fallbacks are never shown. A worker has no page to load /jsi18n/ in.
NOT_PAGES = {"sw.js", "sw-push.js"}
# A sentence in a string literal: a capital, a word, a space, and more ("Copied the link." / `5 characters`).
SENTENCE = re.compile(r"""(["'`])([A-Z][a-z]+[ ,][^"'`]*?|\$\{[^}]+\} [a-z][^"'`]*?)\1""")
MARKED = re.compile(r"\b(?:gettext|ngettext|pgettext|npgettext)\(\s*$")


def _unmarked_sentences(source: str) -> list[str]:
    found = []
    for line in source.splitlines():
        code = line.split("//", 1)[0] if not line.lstrip().startswith("//") else ""
        for match in SENTENCE.finditer(code):
            before = code[: match.start()]
            # Marked: the literal is gettext's first argument, or ngettext's second (after the first's comma).
            if MARKED.search(before) or re.search(r"ngettext\(\s*(\"[^\"]*\"|'[^']*'),\s*$", before):
                continue
            found.append(match.group(0))
    return found


def test_the_check_finds_an_unmarked_sentence():
    assert _unmarked_sentences('status.textContent = "Copied the link.";') == ['"Copied the link."']
    assert _unmarked_sentences("x.textContent = `${n} characters left.`;") == ["`${n} characters left.`"]
    assert _unmarked_sentences('status.textContent = t.gettext("Copied the link.");') == []
    assert _unmarked_sentences('t.ngettext("One thing left.", "Some things left.", n)') == []


@pytest.mark.parametrize("path", sorted(p.name for p in JS.glob("*.js") if p.name not in NOT_PAGES))
def test_every_sentence_in_our_javascript_is_marked_for_translation(path):
    assert _unmarked_sentences((JS / path).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("language", ["es", "de"])
def test_the_javascript_catalogues_are_complete(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "djangojs.po"
    with open(path, "rb") as po:
        catalogue = read_po(po, locale=language)
    assert not catalogue.fuzzy
    messages = [m for m in catalogue if m.id]
    assert len(messages) >= 4
    missing = [m.id for m in messages if m.fuzzy or not all(m.string if m.pluralizable else [m.string])]
    assert missing == []
    plurals = [m for m in messages if m.pluralizable]
    assert plurals and all(len(m.string) == catalogue.num_plurals for m in plurals)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "word"), [("es", "Copiado."), ("de", "Kopiert."), ("en", "")])
def test_the_catalogue_serves_the_translations(language, word):
    page = Client().get(reverse("javascript-catalog"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "django.ngettext" in page and "django.interpolate" in page
    if word:
        assert word in page and "character too many" in page


@pytest.mark.django_db
def test_every_page_loads_the_catalogue_before_the_scripts_as_a_file(owner_client):
    page = owner_client.get(reverse("diary:today")).content.decode()
    catalogue = page.index(f'<script src="{reverse("javascript-catalog")}" defer></script>')
    assert catalogue < page.index("js/app.js")
    # Same origin, so the strict CSP (script-src 'self', no inline script) allows it.
    response = owner_client.get(reverse("diary:today"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
