"""Which languages the switcher and the settings page offer.

A language is offered only when listed in ``FIBROTRACK_LANGUAGES_OFFERED`` (and in ``LANGUAGES``):
a person who picks Español and then sees a mostly English app is worse off than one never offered it.
Those in ``FIBROTRACK_LANGUAGES_PARTIAL`` (none by default: es and de are complete) are offered with
"(partly translated)", for a language whose catalogue is still being filled in.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext


def _label(code: str, name: str) -> str:
    if code in settings.FIBROTRACK_LANGUAGES_PARTIAL:
        # The note is in the language being offered: its speaker may not read this page's language.
        with translation.override(code):
            note = gettext("partly translated")
        return f"{name} ({note})"
    return name


def offered_languages() -> list[tuple[str, str]]:
    """(code, name in its own language), in the order of ``LANGUAGES``."""
    offered = set(settings.FIBROTRACK_LANGUAGES_OFFERED)
    return [(code, _label(code, name)) for code, name in settings.LANGUAGES if code in offered]


def is_offered(code: str) -> bool:
    return code in {c for c, _ in offered_languages()}


offered_languages_lazy = lazy(offered_languages, list)


def person_language(user: object, fallback: str | None = None) -> str:
    """The language to write to ``user`` in outside a request (a PDF, an e-mail, the worker).

    Their own setting if they chose one, else ``fallback`` (the language of the request that
    asked for it), else the site's default; only a language on offer.
    """
    offered = settings.FIBROTRACK_LANGUAGES_OFFERED
    for code in (getattr(user, "language", ""), fallback):
        if code and code in offered and translation.check_for_language(code):
            return str(code)
    return str(settings.LANGUAGE_CODE)
