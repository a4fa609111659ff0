from typing import cast

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fibrotrack.api"
    label = "api"
    verbose_name = "JSON API"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from fibrotrack.accounts import deletion_steps
        from fibrotrack.api import actions
        from fibrotrack.lib import navigation

        # Lazy, so that the settings page shows it in the reader's language (rendered as a string).
        label = cast(str, _("Access tokens for apps (API)"))
        navigation.add_settings_link(label, "api_tokens:index", order=60)
        deletion_steps.register(actions.delete_tokens_step)
