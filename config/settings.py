"""FibroTrack settings.

Everything that differs between a laptop and a server is read from the
environment through the typed helpers in ``config.env``. With nothing set,
the app runs on an embedded SQLite database under ``var/`` so that
``make run`` works on a machine that has only Python. ``config.production``
layers the HTTPS-only hardening on top of this module.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint, envlist, envstr, envstr_or_file, parse_email_url

# Lets ModelAdmin[...] and friends be subscripted at run time, for typing.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("FIBROTRACK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)
# A checkout's commands fall back on the secret `make run` generated (not FIBROTRACK_VAR_DIR: make writes it here).
SECRET_KEY = envstr_or_file("SECRET_KEY", BASE_DIR / "var" / "secret_key")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment (DEBUG is off). `make run` generates one in var/secret_key, "
            "which a checkout's commands then read."
        )
    SECRET_KEY = "insecure-debug-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = envstr("SITE_NAME", "FibroTrack")
SITE_ROOT = envstr("SITE_ROOT", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "fibrotrack.lib",
    "fibrotrack.accounts",
    "fibrotrack.weather",
    "fibrotrack.diary",
    "fibrotrack.treatments",
    "django_tasks",
    "django_tasks_db",
    "fibrotrack.community",
    "fibrotrack.trials",
    "fibrotrack.studies",
    "fibrotrack.reports",
    "fibrotrack.portability",
    "fibrotrack.knowledge",
    # The JSON API; "ninja" serves its docs' Swagger UI from our static files, not a CDN.
    "ninja",
    "fibrotrack.api",
    "fibrotrack.reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common (Django's order): the browser's language or the cookie.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
    "fibrotrack.lib.middleware.UserTimezoneMiddleware",
    # The signed-in person's own language setting wins over the browser's (after authentication).
    "fibrotrack.lib.middleware.UserLanguageMiddleware",
    # The region's conventions (date order, first weekday, units): after the language (lib/l10n.py).
    "fibrotrack.lib.middleware.ConventionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fibrotrack.lib.context_processors.site",
            ],
            # |date and |time in the person's order and clock (lib/templatetags/l10n_dates.py), and unit filters.
            "builtins": ["fibrotrack.lib.templatetags.l10n_dates"],
        },
    },
]

# --- Database -------------------------------------------------------------
# Persistent connections with health checks: measured on this machine kind,
# PostgreSQL writes fell from ~930 to ~150 requests/s without them.
CONN_MAX_AGE = envint("CONN_MAX_AGE", 600)
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fibrotrack.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ yet; SQLite will not create the folder itself.
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL + synchronous=FULL + IMMEDIATE transactions + a busy timeout reached
    # ~1,000 one-row inserts/s here and lost nothing to a kill -9 under load.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    _db["TEST"] = {"NAME": envstr("SQLITE_TEST_NAME", "") or None}
# Never set synchronous_commit=off on PostgreSQL: it lost acknowledged writes
# in a crash test and gave no reliable gain.
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (login throttling counters, sessions and the per-person memo live here, so it must be shared) -----
REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's (the admin's log-in, force_login) and allauth's (log-in by e-mail address).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "diary:today"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# "optional": an existing account can sign in before confirming its address; a banner
# asks them to confirm it, which password reset and reminders need. A new sign-up always
# confirms first (accounts/forms.py): that is what keeps sign-up from revealing who has
# an account here, which on a fibromyalgia diary is itself health data.
ACCOUNT_EMAIL_VERIFICATION = envstr("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"signup": "fibrotrack.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SIGNUP_REDIRECT_URL = "accounts:onboarding"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "fibrotrack.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_RATE_LIMITS = {
    # Failed passwords are throttled per client address and per account, each with a
    # longer second window, so a steady guesser backs off to a few tries an hour. The
    # account's own limit only stops passwords: its owner can still sign in with a code
    # e-mailed to them (ACCOUNT_LOGIN_BY_CODE_ENABLED), so knowing an address is not
    # enough to keep its owner out.
    "login_failed": "10/m/ip,60/h/ip,5/5m/key,20/h/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Behind a proxy every request comes from the proxy's address, so the limits above would
# be shared by everyone. Set this to the number of proxies you run that append to
# X-Forwarded-For (1 for the nginx in docs/deployment.md); 0 ignores the header, which is
# right only when clients connect directly (a client can write anything in it).
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
ACCOUNT_SESSION_REMEMBER = None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Invitations e-mail people who have no say in them (clinicians, custodians): each
# person may send this many per hour and per day, new ones and resends together.
FIBROTRACK_INVITES_PER_HOUR = envint("FIBROTRACK_INVITES_PER_HOUR", 5)
FIBROTRACK_INVITES_PER_DAY = envint("FIBROTRACK_INVITES_PER_DAY", 20)
# Requests one API token may make per minute (counted in the cache); past that, 429 with Retry-After.
FIBROTRACK_API_REQUESTS_PER_MINUTE = envint("FIBROTRACK_API_REQUESTS_PER_MINUTE", 120)
# /healthz/ answers 503 when the disk holding FIBROTRACK_VAR_DIR has less than this free.
FIBROTRACK_HEALTHZ_MIN_FREE_MB = envint("FIBROTRACK_HEALTHZ_MIN_FREE_MB", 200)

# --- E-mail -------------------------------------------------------------------
# Either one EMAIL_URL (smtp://user:pass@host:587, smtps://..., console:) or the
# separate EMAIL_HOST/EMAIL_PORT/... variables. Without either, mail is printed.
EMAIL_URL = envstr("EMAIL_URL")
EMAIL_HOST = envstr("EMAIL_HOST")
if EMAIL_URL:
    globals().update(parse_email_url(EMAIL_URL))
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "FibroTrack <fibrotrack@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
# Catalogues live in locale/ (.po in git; .mo compiled by `make`, see docs/deployment.md).
LANGUAGES = [("en", "English"), ("es", "Español"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Languages the switcher offers. A language is listed only once its catalogue covers what a person
# sees (es and de are complete). One being added can be offered early, marked "(partly translated)"
# on the switcher, by listing it in FIBROTRACK_LANGUAGES_PARTIAL.
FIBROTRACK_LANGUAGES_OFFERED = envlist("FIBROTRACK_LANGUAGES_OFFERED", ["en", "es", "de"])
FIBROTRACK_LANGUAGES_PARTIAL = envlist("FIBROTRACK_LANGUAGES_PARTIAL", [])
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Dates and numbers per locale (Django always localizes): our additions to Django's formats, and the
# project's date patterns in each locale's order (config/formats/__init__.py, fibrotrack/lib/l10n.py).
FORMAT_MODULE_PATH = ["config.formats"]
# Off on purpose: it would put separators into every number a template prints, years and ids in links
# included ("2,026"). Large counts that need one use |intcomma or lib.l10n.
USE_THOUSAND_SEPARATOR = False

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security -----------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Django's database sessions, read through the cache above (the database answers on a miss).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Health data pages load nothing from a third party and run no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The service worker (/sw.js and the scripts it imports) and the web app manifest.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# --- FibroTrack -----------------------------------------------------------------
# Limits that protect the database and the people reading the text.
FIBROTRACK_NOTE_MAX_CHARS = 5000

# --- Reminders -------------------------------------------------------------------
# Web Push's VAPID key (PEM, or the raw key in URL-safe base64); without it one is
# generated into FIBROTRACK_VAR_DIR/vapid_private.pem on first use. The subject is the
# contact a push service may write to (default: mailto: DEFAULT_FROM_EMAIL's address).
VAPID_PRIVATE_KEY = envstr("VAPID_PRIVATE_KEY").replace("\\n", "\n")
VAPID_SUBJECT = envstr("VAPID_SUBJECT")


# --- Weather ---------------------------------------------------------------------
# Opt-in daily weather per 0.1° cell from Open-Meteo (fibrotrack/weather). Off for the whole site
# with WEATHER_ENABLED=0; the URLs may point at a self-hosted Open-Meteo instead of the public one.
WEATHER_ENABLED = envbool("WEATHER_ENABLED", True)
WEATHER_API_URL = envstr("WEATHER_API_URL", "https://api.open-meteo.com/v1/forecast")
WEATHER_ARCHIVE_URL = envstr("WEATHER_ARCHIVE_URL", "https://archive-api.open-meteo.com/v1/archive")
WEATHER_GEOCODING_URL = envstr("WEATHER_GEOCODING_URL", "https://geocoding-api.open-meteo.com/v1/search")
WEATHER_TIMEOUT_SECONDS = envint("WEATHER_TIMEOUT_SECONDS", 10)
WEATHER_RETRIES = envint("WEATHER_RETRIES", 3)
WEATHER_BACKFILL_DAYS = envint("WEATHER_BACKFILL_DAYS", 365)
# --- End of Weather ----------------------------------------------------------------


# --- Community -------------------------------------------------------------------
# Background tasks (e-mail, confirmed imports): the database queue by default, run by
# `fibrotrack db_worker`; with REDIS_URL set, RQ on Redis (`fibrotrack rqworker`).
# RQ kills a job after 180 s by default; a large import on a slow server can take longer.
if REDIS_URL:
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Search engines may index public community pages only if the deployment says so.
COMMUNITY_ALLOW_INDEXING = envbool("COMMUNITY_ALLOW_INDEXING", False)
# Shown whenever a post or message mentions self-harm or suicide. Markdown, one resource a line;
# empty means the built-in UK/US/international list in fibrotrack/community/crisis.py.
COMMUNITY_CRISIS_RESOURCES = envstr("COMMUNITY_CRISIS_RESOURCES", "").replace("\\n", "\n")
# Word filter (comma-separated; "word*" also matches longer words).
COMMUNITY_BLOCKED_WORDS = envlist("COMMUNITY_BLOCKED_WORDS", [])
COMMUNITY_CENSORED_WORDS = envlist("COMMUNITY_CENSORED_WORDS", [])
# Flood control for everyone, and limits for accounts younger than COMMUNITY_NEW_ACCOUNT_DAYS.
COMMUNITY_FLOOD_SECONDS = envint("COMMUNITY_FLOOD_SECONDS", 60)
COMMUNITY_FLOOD_POSTS = envint("COMMUNITY_FLOOD_POSTS", 5)
COMMUNITY_FLOOD_MESSAGES = envint("COMMUNITY_FLOOD_MESSAGES", 10)
COMMUNITY_NEW_ACCOUNT_DAYS = envint("COMMUNITY_NEW_ACCOUNT_DAYS", 2)
COMMUNITY_NEW_ACCOUNT_THREADS_PER_DAY = envint("COMMUNITY_NEW_ACCOUNT_THREADS_PER_DAY", 3)
COMMUNITY_NEW_ACCOUNT_POSTS_PER_DAY = envint("COMMUNITY_NEW_ACCOUNT_POSTS_PER_DAY", 20)
COMMUNITY_NEW_ACCOUNT_MESSAGES_PER_DAY = envint("COMMUNITY_NEW_ACCOUNT_MESSAGES_PER_DAY", 20)
COMMUNITY_NEW_ACCOUNT_LINKS = envint("COMMUNITY_NEW_ACCOUNT_LINKS", 2)
COMMUNITY_POST_MAX_CHARS = envint("COMMUNITY_POST_MAX_CHARS", 20_000)
COMMUNITY_MESSAGE_MAX_CHARS = envint("COMMUNITY_MESSAGE_MAX_CHARS", 5000)
# --- End of Community ----------------------------------------------------------------
