from django.contrib import admin
from django.urls import include, path

from fibrotrack.accounts.views import home
from fibrotrack.api.api import api
from fibrotrack.lib import pwa
from fibrotrack.lib.views import healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("sw.js", pwa.service_worker, name="sw"),
    path("manifest.json", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("fibrotrack.accounts.urls")),
    path("diary/", include("fibrotrack.diary.urls")),
    path("treatments/", include("fibrotrack.treatments.urls")),
    path("community/", include("fibrotrack.community.urls")),
    path("trials/", include("fibrotrack.trials.urls")),
    path("reports/", include("fibrotrack.reports.urls")),
    path("me/data/", include("fibrotrack.portability.urls")),
    path("knowledge/", include("fibrotrack.knowledge.urls")),
    path("me/api-tokens/", include("fibrotrack.api.urls")),
    path("api/v1/", api.urls),
    path("me/weather/", include("fibrotrack.weather.urls")),
    path("reminders/", include("fibrotrack.reminders.urls")),
    path("admin/", admin.site.urls),
]
