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

        navigation.add_settings_link(_("Access tokens for apps (API)"), "api_tokens:index", order=60)
        deletion_steps.register(actions.delete_tokens_step)
