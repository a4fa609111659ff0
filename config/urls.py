from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from fibrotrack.accounts.views import home, set_language
from fibrotrack.api.api import api
from fibrotrack.lib import pwa
from fibrotrack.lib.views import healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("sw.js", pwa.service_worker, name="sw"),
    path("manifest.json", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    # The footer's language switcher (Django's set_language, also saving the person's setting) and the
    # JavaScript catalogue, for pages whose scripts need their words translated (<script src>, CSP-safe).
    path("i18n/setlang/", set_language, name="set_language"),
    # Our own catalogue only (locale/*/djangojs.po): not the admin's, which has its own URL.
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["fibrotrack.lib"]), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("fibrotrack.accounts.urls")),
    path("diary/", include("fibrotrack.diary.urls")),
    path("treatments/", include("fibrotrack.treatments.urls")),
    path("community/", include("fibrotrack.community.urls")),
    path("trials/", include("fibrotrack.trials.urls")),
    path("studies/", include("fibrotrack.studies.urls")),
    path("reports/", include("fibrotrack.reports.urls")),
    path("me/data/", include("fibrotrack.portability.urls")),
    path("knowledge/", include("fibrotrack.knowledge.urls")),
    path("me/api-tokens/", include("fibrotrack.api.urls")),
    path("api/v1/", api.urls),
    path("me/weather/", include("fibrotrack.weather.urls")),
    path("reminders/", include("fibrotrack.reminders.urls")),
    path("admin/", admin.site.urls),
]
