from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "fibrotrack.portability"
    label = "portability"
    verbose_name = "Data portability: exports, imports and import jobs"

    def ready(self) -> None:
        from fibrotrack.accounts import deletion_steps
        from fibrotrack.lib import navigation
        from fibrotrack.portability.actions import do_discard_uploads

        navigation.add_settings_link("Download or import my data", "data:index", order=45)
        deletion_steps.register(do_discard_uploads)
