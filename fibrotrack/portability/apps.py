from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PortabilityConfig(AppConfig):
    name = "fibrotrack.portability"
    label = "portability"
    verbose_name = "Data portability: exports, imports and import jobs"

    def ready(self) -> None:
        from fibrotrack.accounts import deletion_steps
        from fibrotrack.lib import navigation
        from fibrotrack.portability.actions import do_discard_uploads

        navigation.add_settings_link(gettext_lazy("Download or import my data"), "data:index", order=45)
        deletion_steps.register(do_discard_uploads)
