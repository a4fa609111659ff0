from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from fibrotrack.lib.i18n import offered_languages
from fibrotrack.lib.navigation import more_links, nav_links, settings_links, tab_links


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "extra_nav": nav_links,
        "tab_nav": tab_links,
        "more_nav": more_links,
        "extra_settings_links": settings_links,
        # A callable: only pages that render the switcher pay for it.
        "offered_languages": offered_languages,
    }
