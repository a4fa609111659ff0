from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fibrotrack.reports"
    label = "reports"
    verbose_name = "Reports, sharing and data portability"

    def ready(self) -> None:
        from fibrotrack.lib import navigation
        from fibrotrack.reports import sections
        from fibrotrack.reports.contrib import TRIALS
        from fibrotrack.reports.report import BUILTIN

        for section in (*BUILTIN, TRIALS):
            sections.register(section)
        navigation.add_nav("My progress", "reports:dashboard", order=25)
        navigation.add_settings_link("Sharing", "reports:sharing", order=40)
        navigation.add_settings_link("Download or import my data", "data:index", order=45)
