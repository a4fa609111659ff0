from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ReportsConfig(AppConfig):
    name = "fibrotrack.reports"
    label = "reports"
    verbose_name = "Reports and sharing"

    def ready(self) -> None:
        from fibrotrack.lib import navigation
        from fibrotrack.reports import report_sections
        from fibrotrack.reports.contrib import TRIAL_METHODS, TRIALS
        from fibrotrack.reports.report import BUILTIN

        for section in (*BUILTIN, TRIALS, TRIAL_METHODS):
            report_sections.register(section)
        navigation.add_nav(gettext_lazy("My progress"), "reports:dashboard", order=25, tab=True)
        navigation.add_settings_link(gettext_lazy("Sharing"), "reports:sharing", order=40)
