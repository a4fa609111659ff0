from django.urls import path

from fibrotrack.studies.views import home, monitoring

app_name = "studies"

urlpatterns = [
    path("", home.study_list, name="list"),
    path("<uuid:study>/monitoring/", monitoring.dashboard, name="monitoring"),
    path("<uuid:study>/report-event/", monitoring.report_own_event, name="report_own_event"),
    path("<uuid:study>/participants/<int:participant>/report-event/", monitoring.report_event, name="report_event"),
]
