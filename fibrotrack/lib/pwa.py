"""The installable app: web app manifest, service worker and offline page.

The service worker must be served from the site root so that its scope is the
whole site, but its code lives in ``static/js/sw.js`` like every other script.
``/sw.js`` is therefore a small generated prelude: the cache version, the
(hashed) static URLs to keep for offline use, then ``importScripts`` of the
outbox, the worker body and the push handlers. A deploy that changes any of
those files changes their hashed names, hence this prelude's bytes, and the
browser installs the new worker; the old caches go when it activates.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

THEME_COLOR = "#5b3f8c"  # the favicon's purple
BACKGROUND_COLOR = "#ffffff"

# What every page needs to draw itself with no connection: the app shell. A page
# adds its own scripts and styles when it asks the worker to remember it (offline.js).
SHELL = (
    "css/app.css",
    "js/app.js",
    "js/outbox.js",
    "js/offline.js",
    "vendor/htmx.min.js",
    "favicon.svg",
    "icons/icon-192.png",
)
# Loaded by the worker itself (importScripts), in this order.
WORKER_SCRIPTS = ("js/outbox.js", "js/sw.js", "js/sw-push.js")


def _version(paths: tuple[str, ...]) -> str:
    """Changes whenever a file the worker keeps or runs changes.

    With the hashed storage of production the URLs already say so; the plain
    storage of development and tests keeps one name, so add the files' mtimes.
    """
    parts = [staticfiles_storage.url(p) for p in paths]
    if not hasattr(staticfiles_storage, "manifest_name"):
        for path in paths:
            found = finders.find(path)
            if isinstance(found, str):
                parts.append(str(os.stat(found).st_mtime_ns))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    config = {
        "version": _version(SHELL + WORKER_SCRIPTS),
        "shell": [staticfiles_storage.url(p) for p in SHELL] + [reverse("offline")],
        "offline": reverse("offline"),
        "static": settings.STATIC_URL,
        # Only the check-in pages (today's and a dated day's) are kept for offline use: they are what
        # a person needs in bed with a bad connection, and the less health data in the cache the better.
        "checkin": f"^{re.escape(reverse('diary:today'))}(day/\\d{{4}}-\\d{{2}}-\\d{{2}}/)?$",
    }
    scripts = ", ".join(json.dumps(staticfiles_storage.url(p)) for p in WORKER_SCRIPTS)
    body = f'"use strict";\nself.FT = {json.dumps(config)};\nimportScripts({scripts});\n'
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    # The browser checks for a new worker on every navigation; never let a cache answer for it.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    name = str(settings.SITE_NAME)
    icons: list[dict[str, Any]] = [
        {"src": staticfiles_storage.url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": staticfiles_storage.url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": staticfiles_storage.url("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    data = {
        "id": reverse("diary:today"),
        "name": name,
        "short_name": name[:12],
        "description": gettext("Your daily fibromyalgia diary."),
        "lang": settings.LANGUAGE_CODE,
        "start_url": reverse("diary:today"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page it has no copy of while there is no connection."""
    return render(request, "offline.html")
