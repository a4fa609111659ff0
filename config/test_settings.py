"""Settings for the test suite: the real settings, made fast and hermetic."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 50)

from config.settings import *  # noqa: E402, F403

# Argon2 is deliberately slow; the suite creates hundreds of users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# No test reaches the internet: weather tests start a local fake Open-Meteo and point these at it.
WEATHER_API_URL = "http://127.0.0.1:9/v1/forecast"
WEATHER_ARCHIVE_URL = "http://127.0.0.1:9/v1/archive"
WEATHER_GEOCODING_URL = "http://127.0.0.1:9/v1/search"
WEATHER_TIMEOUT_SECONDS = 2
WEATHER_RETRIES = 0  # the weather tests that need retries set them
