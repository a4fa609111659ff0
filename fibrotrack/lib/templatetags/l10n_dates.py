"""Every template's ``|date`` and ``|time`` in the person's order and clock, with no template changed.

Loaded as a builtin (``TEMPLATES[...]["OPTIONS"]["builtins"]`` in config/settings.py), so these replace
Django's filters of the same name everywhere. The templates keep writing one English-order pattern
(``|date:"j M Y"``); ``fibrotrack.lib.l10n.date_pattern`` turns it into the active locale's ("5. Dez.
2026" in German, "Dec 5, 2026" in the United States) from ``FIBROTRACK_DATES`` in config/formats.
Named formats (``|date:"SHORT_DATE_FORMAT"``) follow the region as well. A pattern no locale lists is
used as written, exactly as Django's own filter would.

Also ``|temperature``, ``|precipitation`` and ``|weight``: values stored in SI, shown in the person's units.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template import defaultfilters

from fibrotrack.lib import l10n

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    return defaultfilters.date(value, l10n.date_pattern(arg))


@register.filter(expects_localtime=True, is_safe=False)
def time(value: Any, arg: str | None = None) -> str:
    return defaultfilters.time(value, l10n.date_pattern(arg or "TIME_FORMAT"))


@register.filter(is_safe=True)
def temperature(value: Any) -> str:
    return l10n.temperature(None if value in (None, "") else float(value))


@register.filter(is_safe=True)
def precipitation(value: Any) -> str:
    return l10n.precipitation(None if value in (None, "") else float(value))


@register.filter(is_safe=True)
def weight(value: Any) -> str:
    return l10n.weight(None if value in (None, "") else float(value))
