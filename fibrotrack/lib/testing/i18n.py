"""A pseudo-locale for tests: find words on a page that are not marked for translation.

``pseudo_locale()`` builds a catalogue for the test-only language ``PSEUDO`` from the extracted messages
(the msgids of ``locale/es/LC_MESSAGES/django.po``, which ``makemessages`` keeps in step with the code),
where every msgstr is "⟦" + msgid + "⟧", compiles it with Babel into a temporary LOCALE_PATHS directory,
and turns the language on for the test. The words that Django and the installed packages (allauth's
sign-in pages, Django's password rules) translate with their own catalogues are wrapped too, when those
catalogues have them in both Spanish and German: they reach people translated, though not by us. ``untranslated_text(html, ignore=...)`` then lists every
visible text (text nodes of the body, and the attributes people see or hear) that still has letters
outside ⟦…⟧: a string that nobody marked for translation.

To check another page: render it with ``HTTP_ACCEPT_LANGUAGE=PSEUDO`` inside ``pseudo_locale()``, pass
the person's own data you seeded (names, notes) as ``ignore``, and assert the result is empty; see
fibrotrack/diary/tests/test_i18n_pseudo.py. After marking new strings, run ``makemessages`` (README).
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.test import override_settings

PSEUDO = "xx"  # no real language has this code (ISO 639 leaves qaa-qtz and "xx"-like codes unused)
_SOURCE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
# Attributes whose words a person sees or hears; data-* holds texts that scripts show.
_SPOKEN = {"aria-label", "title", "placeholder", "alt", "data-confirm"}
_WRAPPED = re.compile(r"⟦[^⟦⟧]*⟧")  # innermost first: "⟦Saved ⟦today⟧.⟧" nests
# The brand, and the words of dates, which Django's own catalogues translate (not ours).
_NEUTRAL = re.compile(
    r"\b(FibroTrack|Mon|Tue|Wed|Thu|Fri|Sat|Sun|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|January|February|March|April|June|July|August|"
    r"September|October|November|December)\b"
)


def _wrap(text: str) -> str:
    return f"⟦{text}⟧"


# The languages that a package's own catalogue must translate for its words to count as translated.
_REAL_LANGUAGES = ("es", "de")


def _package_locale_dirs() -> list[Path]:
    """Django's own catalogues and the installed packages' (not ours: those are in locale/)."""
    import django

    # Our apps' folders, not the checkout: a virtualenv inside the checkout (.venv, as `make` makes it)
    # holds the packages' catalogues, which count.
    ours = (Path(settings.BASE_DIR) / "fibrotrack").resolve()
    found = [Path(django.__file__).parent / "conf" / "locale"]
    for app in apps.get_app_configs():
        folder = Path(app.path).resolve() / "locale"
        if folder.is_dir() and not folder.is_relative_to(ours):
            found.append(folder)
    return found


@functools.cache
def _packages_messages() -> tuple[Message, ...]:
    """The messages that Django's and the packages' catalogues translate in every one of our languages."""
    translated: dict[str, dict[tuple[object, str | None], Message]] = {}
    for language in _REAL_LANGUAGES:
        seen = translated.setdefault(language, {})
        for folder in _package_locale_dirs():
            mo = folder / language / "LC_MESSAGES" / "django.mo"
            if not mo.is_file():
                continue
            with open(mo, "rb") as source:
                for message in read_mo(source):
                    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
                    key = tuple(message.id) if isinstance(message.id, list) else message.id
                    if message.id and all(strings):
                        seen.setdefault((key, message.context), message)
    first, *others = (translated[language] for language in _REAL_LANGUAGES)
    return tuple(m for key, m in first.items() if all(key in other for other in others))


@contextmanager
def pseudo_locale() -> Iterator[None]:
    with open(_SOURCE, "rb") as source:
        extracted = read_po(source)
    pseudo = Catalog(locale="en", domain="django")
    for message in extracted:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        wrapped = tuple(_wrap(i) for i in ids)
        string = wrapped if message.pluralizable else wrapped[0]
        pseudo.add(message.id, string, context=message.context)
    for message in _packages_messages():
        if pseudo.get(message.id, context=message.context) is None:
            ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
            wrapped = tuple(_wrap(i) for i in ids)
            pseudo.add(message.id, wrapped if message.pluralizable else wrapped[0], context=message.context)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / PSEUDO / "LC_MESSAGES"
        target.mkdir(parents=True)
        with open(target / "django.mo", "wb") as mo:
            write_mo(mo, pseudo)
        languages = [*settings.LANGUAGES, (PSEUDO, "Pseudo")]
        offered = [*settings.FIBROTRACK_LANGUAGES_OFFERED, PSEUDO]
        with override_settings(LOCALE_PATHS=[tmp], LANGUAGES=languages, FIBROTRACK_LANGUAGES_OFFERED=offered):
            yield


# Elements inside a sentence: a translated sentence may hold them ("You are viewing <strong>Sam</strong>’s
# diary"), so their text joins the text around them into one run, checked as a whole.
_INLINE = {"a", "abbr", "b", "bdi", "br", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s",
           "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}  # fmt: skip


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_body, self.skip, self.found = False, 0, []  # type: ignore[var-annotated]
        # Elements in a language of their own (lang="…", like the switcher's "Español") are not this page's words.
        self.other_language: list[str] = []
        self.run: list[str] = []

    def flush(self) -> None:
        if self.run:
            self.found.append("".join(self.run))
            self.run = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _INLINE:
            self.flush()
        if tag == "body":
            self.in_body = True
        if tag in ("script", "style"):
            self.skip += 1
        if tag != "html" and dict(attrs).get("lang"):
            self.other_language.append(tag)
            self.skip += 1
        if self.in_body:
            for name, value in attrs:
                if value and (name in _SPOKEN or (name.startswith("data-") and " " in value.strip())):
                    self.found.append(value)
            if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
                self.found.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _INLINE:
            self.flush()
        if tag in ("script", "style"):
            self.skip -= 1
        if self.other_language and self.other_language[-1] == tag:
            self.other_language.pop()
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.in_body and not self.skip:
            self.run.append(data)


def untranslated_text(html: str, *, ignore: Iterable[str] = ()) -> list[str]:
    """Visible texts of ``html`` with letters outside ⟦…⟧, after removing ``ignore`` (the person's data)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser.flush()
    left = []
    for text in parser.found:
        rest, previous = text, ""
        while rest != previous:
            rest, previous = _WRAPPED.sub(" ", rest), rest
        for data in sorted(map(str, filter(None, ignore)), key=len, reverse=True):  # a lazy label is a str too
            rest = rest.replace(data, " ")
        rest = _NEUTRAL.sub(" ", rest)
        if re.search(r"[^\W\d_]", rest):
            left.append(" ".join(text.split()))
    return left
