from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "fibrotrack.portability"
    label = "portability"
    verbose_name = "Data portability: exports, imports and import jobs"

    def ready(self) -> None:
        from fibrotrack.lib import navigation

        navigation.add_settings_link("Download or import my data", "data:index", order=45)
