from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class RemindersConfig(AppConfig):
    name = "fibrotrack.reminders"
    label = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from fibrotrack.accounts.models import User
        from fibrotrack.lib import navigation
        from fibrotrack.reminders import sync
        from fibrotrack.treatments.models import Regimen

        navigation.add_settings_link(gettext_lazy("Reminders"), "reminders:settings", order=10)
        # The daily reminder's time and the time zone live on the user row (accounts), and a
        # regimen's dose times on the regimen (treatments): a change to either moves the next due instant.
        post_save.connect(sync.on_user_saved, sender=User, dispatch_uid="reminders.user")
        post_save.connect(sync.on_regimen_saved, sender=Regimen, dispatch_uid="reminders.regimen")
