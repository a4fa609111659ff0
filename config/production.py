"""Production hardening, for a deployment behind an HTTPS proxy.

Use with ``DJANGO_SETTINGS_MODULE=config.production``. ``manage.py check
--deploy`` passes with no warnings under this module (a test proves it).
"""

from __future__ import annotations

from config.env import envbool, envint
from config.settings import *  # noqa: F403
from config.settings import DEBUG

if DEBUG:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("config.production must not run with DEBUG on")

SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
# The proxy terminates TLS and tells us so; only trust this header behind one.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
