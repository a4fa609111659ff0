from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class StudiesConfig(AppConfig):
    name = "fibrotrack.studies"
    label = "studies"
    verbose_name = gettext_lazy("Research studies")

    def ready(self) -> None:
        from fibrotrack.lib import navigation

        navigation.add_nav(gettext_lazy("Studies"), "studies:list", order=45)
