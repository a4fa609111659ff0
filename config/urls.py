from django.contrib import admin
from django.urls import include, path

from fibrotrack.accounts.views import home
from fibrotrack.lib.views import healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("fibrotrack.accounts.urls")),
    path("diary/", include("fibrotrack.diary.urls")),
    path("treatments/", include("fibrotrack.treatments.urls")),
    path("community/", include("fibrotrack.community.urls")),
    path("trials/", include("fibrotrack.trials.urls")),
    path("reports/", include("fibrotrack.reports.urls")),
    path("me/data/", include("fibrotrack.portability.urls")),
    path("reminders/", include("fibrotrack.reminders.urls")),
    path("admin/", admin.site.urls),
]
