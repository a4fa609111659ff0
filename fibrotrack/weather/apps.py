from typing import cast

from django.apps import AppConfig


class WeatherConfig(AppConfig):
    name = "fibrotrack.weather"
    label = "weather"
    verbose_name = "Weather"

    def ready(self) -> None:
        from django.conf import settings
        from django.utils.translation import gettext_lazy

        from fibrotrack.accounts import deletion_steps
        from fibrotrack.lib import navigation
        from fibrotrack.weather.actions import delete_for_account

        deletion_steps.register(delete_for_account)
        if settings.WEATHER_ENABLED:
            navigation.add_settings_link(cast(str, gettext_lazy("Weather")), "weather:settings", order=35)
