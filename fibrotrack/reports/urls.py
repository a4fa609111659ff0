from django.urls import path

from fibrotrack.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.progress_view, name="dashboard"),
    path("details/", views.dashboard_view, name="details"),
    path("report/", views.report_options, name="report"),
    path("report/view/", views.report_view, name="report_view"),
    path("report/pdf/", views.report_pdf, name="report_pdf"),
    # The patient's side of sharing.
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/links/new/", views.link_new, name="link_new"),
    path("sharing/links/<int:pk>/revoke/", views.link_revoke, name="link_revoke"),
    path("sharing/clinicians/invite/", views.invite, name="invite"),
    path("sharing/clinicians/<int:pk>/end/", views.grant_end, name="grant_end"),
    path("sharing/clinicians/<int:pk>/resend/", views.grant_resend, name="grant_resend"),
    path("sharing/log/", views.access_log, name="access_log"),
    # The clinician's side.
    path("invitations/<str:token>/", views.invite_accept, name="invite_accept"),
    path("patients/", views.patients, name="patients"),
    path("patients/<int:pk>/", views.patient_dashboard, name="patient_dashboard"),
    path("patients/<int:pk>/report/", views.patient_report, name="patient_report"),
    path("patients/<int:pk>/report/view/", views.patient_report_view, name="patient_report_view"),
    path("patients/<int:pk>/report/pdf/", views.patient_report_pdf, name="patient_report_pdf"),
    # Share links: anyone holding a live token, no account needed.
    path("s/<str:token>/", views.shared_dashboard, name="shared"),
    path("s/<str:token>/report/", views.shared_report, name="shared_report"),
    path("s/<str:token>/report.pdf", views.shared_pdf, name="shared_pdf"),
]
