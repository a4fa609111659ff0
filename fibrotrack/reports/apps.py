from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fibrotrack.reports"
    label = "reports"
    verbose_name = "Reports, sharing and data portability"
