"""Activate each person's own time zone and language so every page shows their local time, in their words."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from fibrotrack.lib import l10n


class UserTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        tzname = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        if tzname:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tzname))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class UserLanguageMiddleware:
    """The person's own language setting, when they chose one; else LocaleMiddleware's choice stands
    (the switcher's cookie, then the browser's Accept-Language)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        offered = settings.FIBROTRACK_LANGUAGES_OFFERED
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if not (language in offered and translation.check_for_language(language)):
            # The browser's or the cookie's choice, unless that language is not on offer (yet).
            language = translation.get_language() if translation.get_language() in offered else settings.LANGUAGE_CODE
        if language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class ConventionsMiddleware:
    """The region's conventions for this request (date order, first weekday, units): ``fibrotrack.lib.l10n``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        conventions = l10n.conventions_for(user, request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        token = l10n.activate(conventions)
        try:
            return self.get_response(request)
        finally:
            l10n.deactivate(token)
